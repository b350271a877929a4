"""Width: the standard parametrization (SP) against μP, with common random numbers across widths.

Every width and both parametrizations see the same data; at a given width SP and μP share their
standard-normal weight draws (μP then zeroes the readout and rescales the learning rates).
"""

from __future__ import annotations

import functools

import numpy as np

from snippets import claim, figure
from snippets._seeds import rng
from snippets._style import COLORS
from snippets.architectures._common import EXP, LINES, MARKERS, block_stats, fig_axes

BLOCKS, PER_BLOCK = 5, 4
D_IN, BATCH, N0 = 16, 32, 32  # input size, batch, μP base width


# --8<-- [start:mup]
def init(n, param, Z):
    """Weights of a d-n-n-1 ReLU MLP from shared standard-normal draws Z; learning-rate multipliers."""
    d = Z[0].shape[-2]
    W = [Z[0] / np.sqrt(d), Z[1] / np.sqrt(n), Z[2] / np.sqrt(n)]
    if param == "SP":  # one learning rate for every layer
        return W, (1.0, 1.0, 1.0)
    W[2] = np.zeros_like(W[2])  # μP for SGD: zero readout, learning rates ×n/n0, ×1, ×n0/n
    return W, (n / N0, 1.0, N0 / n)


def forward(W, X):
    h1 = np.maximum(X @ W[0], 0)
    h2 = np.maximum(h1 @ W[1], 0)
    return h1, h2, h2 @ W[2]


def sgd_step(W, X, y, lrs):
    """One full-batch SGD step on the mean squared error; lrs are per layer (arrays broadcast over seeds)."""
    h1, h2, f = forward(W, X)
    g = (f - y) / X.shape[-2]
    g2 = (g @ W[2].mT) * (h2 > 0)
    g1 = (g2 @ W[1].mT) * (h1 > 0)
    grads = [X.mT @ g1, h1.mT @ g2, h2.mT @ g]
    return [w - lr * gw for w, lr, gw in zip(W, lrs, grads)]


# --8<-- [end:mup]


@functools.cache
def data():
    """One data set for every width and parametrization: inputs and a fixed random teacher."""
    g = rng(EXP["mup"], 0)
    X = g.standard_normal((BATCH, D_IN))
    T = g.standard_normal((D_IN, 1)) / np.sqrt(D_IN)
    return X, np.tanh(2 * X @ T)


def draws(n, seeds, key):
    g = rng(*key, n)
    return [
        g.standard_normal((seeds, D_IN, n)),
        g.standard_normal((seeds, n, n)),
        g.standard_normal((seeds, n, 1)),
    ]


COORD_WIDTHS = (32, 64, 128, 256, 512)
COORD_LR, COORD_STEPS = 0.05, 3


@functools.cache
def coord_check(n):
    """RMS change of h1, h2 and the output after a few steps, per seed [3, 20], for SP and μP."""
    X, y = data()
    Z = draws(n, BLOCKS * PER_BLOCK, (EXP["mup"], 1))
    out = {}
    for p in ("SP", "μP"):
        W, mult = init(n, p, Z)
        before = forward(W, X)
        for _ in range(COORD_STEPS):
            W = sgd_step(W, X, y, [COORD_LR * m for m in mult])
        after = forward(W, X)
        out[p] = np.array([np.sqrt(((a - b) ** 2).mean((-2, -1))) for a, b in zip(after, before)])
    return out


def _slope(v):
    return float(np.polyfit(np.log(COORD_WIDTHS), np.log(v), 1)[0])


@claim(
    "architectures.mup-exponents",
    "At a fixed learning rate, the first updates of the standard parametrization grow with width n "
    "(output change ∝ n^a with a ≥ 0.75); under μP with a zero-initialised readout neither the output change "
    "nor the feature change grows (both exponents below 0.15), in every seed block.",
)
def mup_exponents():
    per = []
    for b in range(BLOCKS):
        sl = slice(PER_BLOCK * b, PER_BLOCK * (b + 1))
        med = {
            p: np.array([np.median(coord_check(n)[p][:, sl], 1) for n in COORD_WIDTHS]) for p in ("SP", "μP")
        }
        per.append(
            {
                "sp_output": _slope(med["SP"][:, 2]),
                "sp_feature": _slope(med["SP"][:, 1]),
                "mup_output": _slope(med["μP"][:, 2]),
                "mup_feature": _slope(med["μP"][:, 1]),
            }
        )
    return block_stats(per)


@figure(
    "architectures/mup",
    alt="Coordinate check: two log-log panels of the RMS change of each layer's activations after 3 SGD steps "
    "against width from 32 to 512. Top, standard parametrization: the output and the second hidden layer grow "
    "with width. Bottom, muP: all three lines are flat.",
    caption="Coordinate check: RMS change of each layer's activations after 3 SGD steps at learning rate 0.05 "
    "against width (2-hidden-layer ReLU MLP, median over 20 seeds; SP top, μP bottom).",
)
def fig_mup():
    fig, axes = fig_axes(2, height=2.6)
    for ax, p in zip(axes, ("SP", "μP")):
        for i, (name, c, ls, m) in enumerate(zip((r"$h_1$", r"$h_2$", "output $f$"), COLORS, LINES, MARKERS)):
            v = [np.median(coord_check(n)[p][i]) for n in COORD_WIDTHS]
            ax.loglog(COORD_WIDTHS, v, color=c, ls=ls, marker=m, ms=4, label=name)
        ax.set_xticks(COORD_WIDTHS, [str(n) for n in COORD_WIDTHS])
        ax.minorticks_off()
        ax.set_title(p, loc="left")
        ax.set_ylabel("RMS change")
    axes[0].legend(ncols=3, fontsize="small")
    axes[1].set_xlabel("width $n$")
    return fig


# ------------------------------------------------------------------------------------------------
# the learning-rate sweep: does the optimum move with width?
# ------------------------------------------------------------------------------------------------
SWEEP_WIDTHS = (32, 128, 512)
SWEEP_LRS = tuple(2.0**k for k in range(-7, 2))
SWEEP_STEPS, SWEEP_SEEDS = 60, 2  # seeds per block


def shallow_sweep_step(W, X, y, lrs):
    """SGD on a d-n-1 ReLU MLP (the sweep's model: one hidden layer keeps a wide sweep cheap)."""
    h = np.maximum(X @ W[0], 0)
    g = (h @ W[1] - y) / X.shape[-2]
    g1 = (g @ W[1].mT) * (h > 0)
    return [W[0] - lrs[0] * (X.mT @ g1), W[1] - lrs[1] * (h.mT @ g)]


@functools.cache
def lr_sweep(n, p):
    """Final training loss [lrs, blocks·seeds] of a d-n-1 ReLU MLP after SWEEP_STEPS steps of SGD;
    the learning rates sit on the seed axis and share the draws."""
    X, y = data()
    S, L = BLOCKS * SWEEP_SEEDS, len(SWEEP_LRS)
    g = rng(EXP["mup-sweep"], n)
    Z0, Z1 = g.standard_normal((S, D_IN, n)), g.standard_normal((S, n, 1))
    W = [np.tile(Z0, (L, 1, 1)) / np.sqrt(D_IN), np.tile(Z1, (L, 1, 1)) / np.sqrt(n)]
    mult = (1.0, 1.0)
    if p == "μP":  # zero readout; learning rates ×n/n0 (input layer), ×n0/n (readout)
        W[1] = np.zeros_like(W[1])
        mult = (n / N0, N0 / n)
    lr = np.repeat(np.array(SWEEP_LRS), S)[:, None, None]
    with np.errstate(all="ignore"):
        for _ in range(SWEEP_STEPS):
            W = shallow_sweep_step(W, X, y, [lr * m for m in mult])
        loss = ((np.maximum(X @ W[0], 0) @ W[1] - y) ** 2).mean((-2, -1))
    loss = np.where(np.isfinite(loss), loss, np.inf)
    return loss.reshape(L, S)


def best_lr(n, p, block):
    sl = slice(SWEEP_SEEDS * block, SWEEP_SEEDS * (block + 1))
    return SWEEP_LRS[int(np.argmin(np.median(lr_sweep(n, p)[:, sl], 1)))]


@claim(
    "architectures.mup-lr-transfer",
    "In a learning-rate sweep (powers of 2) of a one-hidden-layer ReLU MLP at widths 32, 128 and 512, the best learning rate under SP falls "
    "by at least 4× from width 32 to 512, while under μP it moves by at most one grid step (2×), in every "
    "seed block.",
)
def mup_lr_transfer():
    per = []
    for b in range(BLOCKS):
        sp = [best_lr(n, "SP", b) for n in SWEEP_WIDTHS]
        mu = [best_lr(n, "μP", b) for n in SWEEP_WIDTHS]
        per.append(
            {
                "sp_shift": sp[0] / sp[-1],
                "mup_shift": max(mu) / min(mu),
                "sp_best_32": sp[0],
                "sp_best_512": sp[-1],
                "mup_best_32": mu[0],
                "mup_best_512": mu[-1],
            }
        )
    return {**block_stats(per), "grid_step": 2.0}


@figure(
    "architectures/mup-sweep",
    alt="Two panels of final training loss against learning rate on log axes, one curve per width 32, 128 and 512. "
    "Top, SP: the minimum moves to smaller learning rates as width grows and wide models diverge earlier. Bottom, "
    "muP: the curves' minima line up at the same learning rate.",
    caption="Learning-rate sweep after 60 full-batch SGD steps (MSE, one-hidden-layer ReLU MLP; median over 10 "
    "seeds; the widths share their data, SP and μP their draws). Diverged runs are left out.",
)
def fig_mup_sweep():
    fig, axes = fig_axes(2, height=2.6)
    for ax, p in zip(axes, ("SP", "μP")):
        for n, c, ls, m in zip(SWEEP_WIDTHS, COLORS, LINES, MARKERS):
            v = np.median(lr_sweep(n, p), 1)
            ok = np.isfinite(v) & (v < 10)
            ax.loglog(np.array(SWEEP_LRS)[ok], v[ok], color=c, ls=ls, marker=m, ms=4, label=f"$n = {n}$")
            i = int(np.argmin(v))
            ax.plot([SWEEP_LRS[i]], [v[i]], marker="*", color=c, ms=12, ls="none")
        ax.set_title(p, loc="left")
        ax.set_ylabel("final loss")
    axes[0].legend(ncols=3, fontsize="small")
    axes[1].set_xlabel("learning rate")
    return fig
