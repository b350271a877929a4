"""Hanin & Rolnick (2018): the log-normal spread of the activation length, set by sum 1/n_l."""

from __future__ import annotations

import functools

# --8<-- [start:imports]
import numpy as np

# --8<-- [end:imports]
from snippets import claim, figure
from snippets._seeds import rng
from snippets._style import COLORS, new_figure
from snippets.deep._common import BLOCKS, blockwise

KEY = 70


# --8<-- [start:hanin]
def log_length(widths, g, seeds):
    """ln(|h_L|^2 / |h_0|^2) for one input through He-initialized ReLU layers of the given widths.

    A fresh Gaussian matrix W with Var = 2/n_in times a fixed vector a is a Gaussian vector
    with Var = 2 |a|^2 / n_in per entry, so each layer draws that vector directly (exact)."""
    h = g.normal(size=(seeds, widths[0]))
    out = np.log((h**2).sum(-1))
    for layer, n in enumerate(widths[1:]):
        a = np.maximum(h, 0) if layer else h  # ReLU between layers, not on the input
        h = g.normal(size=(seeds, n)) * np.sqrt(2 * (a**2).sum(-1, keepdims=True) / a.shape[-1])
    return np.log((h**2).sum(-1)) - out


# --8<-- [end:hanin]

ARCHS = {  # name: (depth, width); beta = sum of 1/n over the hidden layers
    "12 x 24": (12, 24),
    "48 x 96": (48, 96),
    "12 x 96": (12, 96),
    "48 x 24": (48, 24),
}
SEEDS = 2000  # per block


def beta(depth, width):
    return depth / width


@functools.cache
def _spread():
    """Per architecture: ln|h_L|^2/|h_0|^2 [blocks, seeds]."""
    return {
        name: np.stack([log_length([w] * (L + 1), rng(KEY, i, b), SEEDS) for b in range(BLOCKS)])
        for i, (name, (L, w)) in enumerate(ARCHS.items())
    }


def _skew(x):
    z = (x - x.mean(-1, keepdims=True)) / x.std(-1, keepdims=True)
    return (z**3).mean(-1)


@claim(
    "deep.hanin-beta",
    "In He-initialized ReLU nets, the spread of ln|h_L|^2 is set by beta = sum 1/n_l, not by depth: "
    "12 layers of width 24 and 48 layers of width 96 (both beta = 1/2) have standard deviations within "
    "10% of each other in every block, while 12 layers of width 96 (beta = 1/8) have about half "
    "(ratio within 15% of sqrt(1/4) = 0.5) in every block.",
)
def hanin_beta():
    s = {k: v.std(-1) for k, v in _spread().items()}  # [blocks]
    return {
        **blockwise(s["12 x 24"], "std_12x24"),
        **blockwise(s["48 x 96"], "std_48x96"),
        **blockwise(s["12 x 96"], "std_12x96"),
        **blockwise(s["48 x 24"], "std_48x24"),
        **blockwise(s["48 x 96"] / s["12 x 24"], "equal_beta_ratio"),
        **blockwise(s["12 x 96"] / s["12 x 24"], "quarter_beta_ratio"),
        "seeds": SEEDS,
        "blocks": BLOCKS,
    }


@claim(
    "deep.hanin-lognormal",
    "|h_L|^2 is close to log-normal: at beta = 1/2 the skewness of ln|h_L|^2 is below 0.3 in "
    "magnitude in every block, while |h_L|^2 itself is skewed by more than 1.5; and Var[ln|h_L|^2] "
    "/ beta lies between 4.5 and 6.5 for all four architectures, a 16-fold range of beta.",
)
def hanin_lognormal():
    sp = _spread()
    x = sp["48 x 96"]
    var_over_beta = {k: v.var(-1).mean() / beta(*ARCHS[k]) for k, v in sp.items()}
    return {
        **blockwise(np.abs(_skew(x)), "skew_log"),
        **blockwise(_skew(np.exp(x)), "skew_raw"),
        "var_over_beta_min": float(min(var_over_beta.values())),
        "var_over_beta_max": float(max(var_over_beta.values())),
        **{f"var_over_beta_{k.replace(' x ', 'x')}": float(v) for k, v in var_over_beta.items()},
        "blocks": BLOCKS,
    }


@figure(
    "deep/hanin",
    alt="Histograms of the log squared output length for four ReLU architectures. The two with "
    "beta = 1/2 (12 layers of width 24 and 48 layers of width 96) lie on top of each other; beta = "
    "1/8 is narrower, beta = 2 much wider. All are close to Gaussian in the log.",
    caption="Hanin & Rolnick's β = Σ 1/n_l at work: the distribution of ln|h_L|²/|h_0|² for four "
    "He-initialized ReLU architectures (10,000 seeds each). Equal β, equal spread.",
)
def fig_hanin():
    sp = _spread()
    fig, ax = new_figure(1, 1, width=4.8, height=3.2)
    bins = np.linspace(-12, 8, 81)
    styles = ("-", "--", "-.", ":")
    for i, (name, x) in enumerate(sp.items()):
        L, w = ARCHS[name]
        ax.hist(
            x.ravel(),
            bins=bins,
            histtype="step",
            density=True,
            color=COLORS[i],
            ls=styles[i],
            lw=1.8,
            label=rf"${L}\times{w}$, $\beta={beta(L, w):g}$",
        )
    ax.set_xlabel(r"$\ln\,|h_L|^2/|h_0|^2$")
    ax.set_ylabel("density")
    ax.legend(fontsize=8)
    return fig
