"""Figure style and deterministic SVG output, in light and dark variants.

Figures use colours that read on white and on Material's slate background: the Okabe-Ito
palette (:data:`COLORS`) for data, and sentinel foreground colours for text, axes and grid that
:func:`svg_variants` swaps for each theme. matplotlib is imported only when a figure is drawn.
"""

from __future__ import annotations

import io
from pathlib import Path

STYLE = Path(__file__).with_name("style.mplstyle")

#: Okabe-Ito colours, distinguishable with colour-blindness and legible in both themes.
COLORS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#8c8c8c", "#f0e442"]

# sentinel in the style file -> (CSS variable, light value, dark value)
_SWAPS = {
    "#1a1a1b": ("--wrw-fg", "#1f1f1f", "#e2e4e9"),
    "#c8c8c9": ("--wrw-grid", "#dcdcdc", "#3d414d"),
}
#: The URL fragment that selects the dark palette: ``<img src="fig.svg#only-dark">``.
DARK_FRAGMENT = "only-dark"


def new_figure(nrows: int = 1, ncols: int = 1, *, width: float = 6.4, height: float = 3.6, **kw):
    """A ``(fig, axes)`` pair with constrained layout; call it inside a ``@figure`` function."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, **kw)
    return fig, axes


def render_svg(func) -> bytes:
    """Call a figure function under the site style and return deterministic SVG bytes."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    with matplotlib.rc_context(fname=str(STYLE)):
        fig = func()
        if fig is None or not hasattr(fig, "savefig"):
            raise TypeError(f"{func.__module__}.{func.__name__} returned {type(fig).__name__}, not a Figure")
        buf = io.BytesIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def theme_svg(svg: bytes) -> bytes:
    """One SVG file that draws in the light palette, or in the dark one when its URL ends in
    ``#only-dark``: the sentinel colours become CSS variables, switched by ``:target``.

    Both ``<img>`` variants of a figure share one file, so the browser downloads it once.
    """
    light = ";".join(f"{var}:{lc}" for var, lc, _ in _SWAPS.values())
    dark = ";".join(f"{var}:{dc}" for var, _, dc in _SWAPS.values())
    for sentinel, (var, _, _) in _SWAPS.items():
        svg = svg.replace(sentinel.encode(), f"var({var})".encode())
    style = (
        f'<style>svg{{{light}}} #{DARK_FRAGMENT}:target ~ g{{{dark}}}</style><g id="{DARK_FRAGMENT}"></g>'
    ).encode()
    head, sep, rest = svg.partition(b"<defs>")
    if not sep:
        raise ValueError("unexpected SVG layout: no <defs>")
    return head + style + sep + rest


def show(func):
    """Display a ``@figure`` function's drawing in a notebook. Text and axes take the colour of
    the surrounding text (``currentColor``), so the figure reads in light and dark themes alike."""
    from IPython.display import SVG

    svg = render_svg(func)
    for sentinel, (var, _, _) in _SWAPS.items():
        svg = svg.replace(sentinel.encode(), b"currentColor" if var == "--wrw-fg" else b"#8888884d")
    return SVG(svg)
