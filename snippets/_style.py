"""Figure style and deterministic SVG output, in light and dark variants.

How to draw a figure that reads on every screen (the rules the browser test checks)
-------------------------------------------------------------------------------------

* **Size for the phone.** A figure is shown at its natural size on a desktop (1 pt of the SVG is
  1.33 CSS px) and shrunk to the column on a phone: about :data:`PHONE_COLUMN_PX` = 358 CSS px at
  a 390 px-wide viewport. Text of ``s`` pt in a figure ``w`` inches wide renders at
  ``s * 358 / (72 * w)`` px there, and must be at least :data:`MIN_TEXT_PX` = 12 px. With the
  default 12.5 pt text, a figure may be at most :data:`MAX_WIDTH_IN` = 5.1 in wide (the default
  of :func:`new_figure` is 5.0 in). :func:`text_px` measures a rendered SVG.
* **Several panels: stack them.** Two panels side by side in 5 in are cramped; use
  :func:`stacked` (one column of panels, shared x-axis optional), which is phone-friendly and
  reads well on a desktop too.
* **Colours: only from** :data:`COLORS` (or the cycle ``"C0"``…``"C7"``, the same colours). Each
  one is at least 3:1 against the page background in both themes (WCAG 1.4.11): the SVG draws
  :data:`LIGHT` on white and :data:`DARK` on Material's slate (#1e2129). The build swaps them
  with CSS variables (:func:`theme_svg`), so one file serves both themes. Never draw data in
  black (``"k"``) or white: black is drawn as the theme's foreground colour, white is not swapped.
* **Never by colour alone:** series differ by dash or marker too (:data:`DASHES`,
  :data:`MARKERS`), and direct labels (``ax.annotate`` at a line's end) beat a legend.
* **Typeset labels:** mathtext (``r"$\\sigma_w^2$"``), never raw ``z_l`` or ``sigma_b^2``; integer
  ticks for layers (``ax.xaxis.set_major_locator(MaxNLocator(integer=True))``).

matplotlib is imported only when a figure is drawn.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

STYLE = Path(__file__).with_name("style.mplstyle")

#: Rendered text must be at least this many CSS px when the figure is shown on a 390 px phone.
MIN_TEXT_PX = 12.0
#: The width of the content column at a 390 px viewport (Material's margins), in CSS px.
PHONE_COLUMN_PX = 358.0
#: The default font size of the style file, in pt.
FONT_PT = 12.5
#: The widest figure (inches) whose default text still renders at 12 px on a phone.
MAX_WIDTH_IN = int(10 * FONT_PT * PHONE_COLUMN_PX / (72 * MIN_TEXT_PX)) / 10

#: Data colours on white: Okabe-Ito hues, darkened where needed to reach >= 4.5:1 on #ffffff
#: (blue, orange, green, purple, teal, vermillion, grey, olive).
LIGHT = ["#0072b2", "#b35c00", "#007f5c", "#b8498a", "#00838f", "#c8400b", "#6e6e6e", "#857200"]
#: The same hues for Material's slate background #1e2129 (every one >= 6:1 there).
DARK = ["#4fa8ec", "#e69f00", "#1fbf8f", "#e58fc4", "#5fd4e3", "#ff7a3d", "#a8a8a8", "#f0e442"]
#: What figure code uses: the light values, which the build turns into per-theme CSS variables.
COLORS = list(LIGHT)
#: Line styles and markers to pair with COLORS[i], so that no series is told apart by hue alone.
DASHES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 2)), (0, (8, 2))]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]

# colour written by the style file or by figure code -> (CSS variable, light value, dark value)
_SWAPS = {
    "#1a1a1b": ("--wrw-fg", "#1f1f1f", "#e2e4e9"),
    "#c8c8c9": ("--wrw-grid", "#dcdcdc", "#3d414d"),
    "#000000": ("--wrw-fg", "#1f1f1f", "#e2e4e9"),  # "k" draws in the foreground colour
    **{lc: (f"--wrw-c{i}", lc, dc) for i, (lc, dc) in enumerate(zip(LIGHT, DARK, strict=True))},
}
#: The URL fragment that selects the dark palette: ``<img src="fig.svg#only-dark">``.
DARK_FRAGMENT = "only-dark"


def new_figure(nrows: int = 1, ncols: int = 1, *, width: float = 5.0, height: float = 3.2, **kw):
    """A ``(fig, axes)`` pair with constrained layout; call it inside a ``@figure`` function.

    The default width is the widest at which the default text reads on a phone (see the module
    docstring); more than one column of panels at that width is cramped: prefer :func:`stacked`."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, **kw)
    return fig, axes


def stacked(n: int, *, width: float = 5.0, panel_height: float = 2.6, sharex: bool = False, **kw):
    """``n`` panels in one column: the phone-friendly layout for a multi-panel figure. Returns
    ``(fig, axes)`` with ``axes`` a list of length ``n``."""
    fig, axes = new_figure(n, 1, width=width, height=panel_height * n, sharex=sharex, squeeze=False, **kw)
    return fig, list(axes[:, 0])


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


def render_png(func, dpi: int = 200) -> bytes:
    """The figure as a PNG on white, in the light palette: for Q&A sites, which do not embed SVG.
    (Foreground sentinels become the light theme's colours; data colours are the light ones.)"""
    import matplotlib

    matplotlib.use("Agg", force=False)
    light = {k.lstrip("#"): lc.lstrip("#") for k, (_, lc, _) in _SWAPS.items()}
    with matplotlib.rc_context(fname=str(STYLE)):
        for key in ("text.color", "axes.labelcolor", "axes.edgecolor", "xtick.color", "ytick.color"):
            matplotlib.rcParams[key] = "#" + light["1a1a1b"]
        matplotlib.rcParams["xtick.labelcolor"] = matplotlib.rcParams["ytick.labelcolor"] = (
            "#" + light["1a1a1b"]
        )
        matplotlib.rcParams["grid.color"] = "#" + light["c8c8c9"]
        fig = func()
        buf = io.BytesIO()
        fig.savefig(
            buf, format="png", dpi=dpi, facecolor="white", transparent=False, metadata={"Software": None}
        )
    return buf.getvalue()


def _css(theme: int) -> str:
    seen: dict[str, str] = {}
    for var, lc, dc in _SWAPS.values():
        seen.setdefault(var, (lc, dc)[theme])
    return ";".join(f"{k}:{v}" for k, v in seen.items())


def theme_svg(svg: bytes) -> bytes:
    """One SVG file that draws in the light palette, or in the dark one when its URL ends in
    ``#only-dark``: the sentinel colours (text, axes, grid) and the data colours of
    :data:`COLORS` become CSS variables, switched by ``:target``.

    Both ``<img>`` variants of a figure share one file, so the browser downloads it once.
    """
    for colour, (var, _, _) in _SWAPS.items():
        svg = re.sub(re.escape(colour).encode() + rb"(?![0-9a-fA-F])", f"var({var})".encode(), svg)
    style = (
        f'<style>svg{{{_css(0)}}} #{DARK_FRAGMENT}:target ~ g{{{_css(1)}}}</style><g id="{DARK_FRAGMENT}"></g>'
    ).encode()
    head, sep, rest = svg.partition(b"<defs>")
    if not sep:
        raise ValueError("unexpected SVG layout: no <defs>")
    return head + style + sep + rest


def text_px(svg: bytes, display_px: float = PHONE_COLUMN_PX) -> float:
    """The smallest text of a rendered SVG (``svg.fonttype: path``) in CSS px, when the SVG is
    shown ``display_px`` wide. matplotlib draws each text as glyphs scaled by ``size / 100``;
    this is the base size of each text (sub- and superscripts inside mathtext are 70% of it, as
    in print, and are not counted)."""
    m = re.search(rb'viewBox="0 0 ([\d.]+) ', svg)
    if not m:
        raise ValueError("no viewBox in the SVG")
    scales = [float(s) for s in re.findall(rb"scale\(([\d.]+) -[\d.]+\)", svg)]
    if not scales:
        return float("inf")
    return min(scales) * 100 * display_px / float(m.group(1))


def show(func):
    """Display a ``@figure`` function's drawing in a notebook. Text and axes take the colour of
    the surrounding text (``currentColor``); data colours read the site's CSS variables
    (``--wrw-c0``…, set per theme in ``docs/assets/site.css``) and fall back to the light palette
    elsewhere, so the figure reads in light and dark themes alike."""
    from IPython.display import SVG

    svg = render_svg(func)
    for colour, (var, lc, _) in _SWAPS.items():
        if var == "--wrw-fg":
            new = b"currentColor"
        elif var == "--wrw-grid":
            new = b"#8888884d"
        else:
            new = f"var({var}, {lc})".encode()
        svg = re.sub(re.escape(colour).encode() + rb"(?![0-9a-fA-F])", new, svg)
    return SVG(svg)
