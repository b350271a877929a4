"""Normalization layers widen the range of usable init scales; LSUV lets the data set the scale."""

from __future__ import annotations

import functools
import math

import numpy as np

from snippets import claim, figure
from snippets._seeds import rng
from snippets._style import COLORS
from snippets.architectures._common import (
    EXP,
    LINES,
    MARKERS,
    SEEDS,
    _relu,
    block_stats,
    fig_axes,
    gaussian_layers,
    toy_task,
    train_mlp,
)

NORM_GAINS = tuple(2.0**k for k in range(-4, 5))


@functools.cache
def norm_range(depth=6, width=32, lr=0.1, steps=80, seeds=8):
    """Fraction of seeds whose loss falls below ln(C)/2, per weight multiplier g, with and without LayerNorm."""
    X, Y = toy_task(n=64)
    g = rng(EXP["norm"], 0)
    sizes = [X.shape[1]] + [width] * depth
    G = len(NORM_GAINS)
    out = {}
    for norm in (False, True):
        base = gaussian_layers(g, sizes, lambda a, b: np.sqrt(2 / a), G * seeds)
        mult = np.repeat(np.array(NORM_GAINS), seeds)[:, None, None]
        Ws = [W * mult for W in base] + [g.standard_normal((G * seeds, width, Y.shape[1])) / np.sqrt(width)]
        curve = train_mlp(Ws, [None] * len(Ws), X, Y, norm=norm, lr=lr, steps=steps)
        ok = (curve[-1] < 0.5 * np.log(Y.shape[1])).reshape(G, seeds).mean(1)
        out["LayerNorm" if norm else "no norm"] = ok
    return out


def _decades(ok):
    """Decades of weight scale covered by the grid points (spaced by 2×) where at least half the seeds trained."""
    return sum(o >= 0.5 for o in ok) * math.log10(2)


@claim(
    "architectures.norm-widens-range",
    "A 6-layer ReLU MLP with LayerNorm (γ = 1, β = 0) trains across a range of weight scales at least "
    "twice as wide, in decades, as the same MLP without normalization.",
)
def norm_widens():
    r = norm_range()
    return {
        "decades_norm": _decades(r["LayerNorm"]),
        "decades_plain": _decades(r["no norm"]),
        "min_gain_norm": min(g for g, o in zip(NORM_GAINS, r["LayerNorm"]) if o >= 0.5),
        "max_gain_norm": max(g for g, o in zip(NORM_GAINS, r["LayerNorm"]) if o >= 0.5),
        "min_gain_plain": min((g for g, o in zip(NORM_GAINS, r["no norm"]) if o >= 0.5), default=0),
        "max_gain_plain": max((g for g, o in zip(NORM_GAINS, r["no norm"]) if o >= 0.5), default=0),
    }


@figure(
    "architectures/norm-range",
    alt="Success rate against weight multiplier g from 1/16 to 16 on a log axis: without normalization only "
    "multipliers near 1 train; with LayerNorm a much wider band of multipliers trains.",
    caption="Fraction of 8 seeds reaching loss < ln(C)/2 in 80 steps, for hidden weights N(0, g²·2/fan_in); "
    "6 hidden layers of width 32, learning rate 0.1.",
)
def fig_norm_range():
    fig, ax = fig_axes(height=3.0)
    for (name, ok), c, m, ls in zip(norm_range().items(), COLORS, MARKERS, LINES):
        ax.semilogx(NORM_GAINS, ok, marker=m, color=c, ls=ls, label=name, base=2)
    ax.set_xlabel(r"weight multiplier $g$ (× He std)")
    ax.set_ylabel("fraction of seeds trained")
    ax.legend()
    return fig


# ------------------------------------------------------------------------------------------------
# LSUV (Mishkin & Matas 2016), on ReLU and tanh, against a small-Gaussian baseline
# ------------------------------------------------------------------------------------------------
# --8<-- [start:lsuv]
def lsuv(shapes, X, act, g, tol=0.1, max_iter=10):
    """Layer-sequential unit-variance init: orthonormal start, then rescale each layer until its
    output variance on the batch X is 1 ± tol. shapes: [(S, n_in, n_out), ...]; g: a Generator.
    Returns the weights and the number of rescaling passes each layer needed."""
    out, passes, h = [], [], X
    for S, a, b in shapes:
        q, r = np.linalg.qr(g.standard_normal((S, max(a, b), min(a, b))))
        W = q * np.sign(np.diagonal(r, axis1=1, axis2=2))[:, None, :]
        W = W if a >= b else W.mT  # orthonormal columns or rows
        k = 0
        while k < max_iter and np.any(np.abs((var := (h @ W).var(axis=(-2, -1), keepdims=True)) - 1) >= tol):
            W, k = W / np.sqrt(var), k + 1
        passes.append(k)
        out.append(W)
        h = act(h @ W)
    return out, passes


# --8<-- [end:lsuv]

LSUV_DEPTH, LSUV_WIDTH = 12, 32
TRAIN_SEEDS = 10  # per arm, in 5 blocks of 2
LSUV_ACTS = {"relu": _relu, "tanh": np.tanh}
LSUV_ARMS = ("LSUV", "formula", "small Gaussian")  # formula: He for ReLU, LeCun for tanh; small: N(0, 0.01²)


@functools.cache
def lsuv_experiment(act):
    """Per-layer output variance after LSUV (on its batch and on a fresh one), passes, and the training curves
    of LSUV, the formula init and N(0, 0.01²) (10 seeds each, in 5 blocks of 2, on 64 examples)."""
    X, Y = toy_task()
    f = LSUV_ACTS[act]
    sizes = [X.shape[1]] + [LSUV_WIDTH] * LSUV_DEPTH + [Y.shape[1]]
    shapes = [(SEEDS, a, b) for a, b in zip(sizes[:-1], sizes[1:])]
    Ws, passes = lsuv(shapes, X, f, rng(EXP["lsuv"], 0))
    Xf = rng(EXP["lsuv-fresh"], 0).standard_normal((512, X.shape[1]))
    stats = {}
    for name, data in (("used", X), ("fresh", Xf)):
        h, v = data, []
        for W in Ws:
            v.append((h @ W).var(axis=(-2, -1)))
            h = f(h @ W)
        stats[name] = np.array(v)  # [layers, S]
    # training: 10 seeds per arm (2 per block), the three arms on the seed axis
    T = TRAIN_SEEDS
    g = rng(EXP["lsuv"], 1)
    gain = 2.0 if act == "relu" else 1.0
    formula = gaussian_layers(g, sizes, lambda a, b: np.sqrt(gain / a), T)
    small = gaussian_layers(g, sizes, lambda a, b: 0.01, T)
    arms = [[W[:T] for W in Ws], formula, small]
    W_all = [np.concatenate([arm[i] for arm in arms]) for i in range(len(Ws))]
    curve = train_mlp(W_all, [None] * len(Ws), X[:64], Y[:64], act=act, lr=0.05, steps=100)
    curves = {name: curve[:, i * T : (i + 1) * T] for i, name in enumerate(LSUV_ARMS)}
    return stats, passes, curves


@claim(
    "architectures.lsuv-unit-variance",
    "After LSUV, every layer of a 13-layer MLP, ReLU or tanh, has output variance within 1 ± 0.1 on the batch "
    "LSUV saw, for all 20 seeds, after at most 3 rescaling passes per layer; on a fresh batch the median over "
    "seeds of every layer is also within 1 ± 0.1.",
)
def lsuv_unit():
    out = {}
    for act in LSUV_ACTS:
        stats, passes, _ = lsuv_experiment(act)
        med = np.median(stats["fresh"], 1)
        out.update(
            {
                f"{act}_min_var": float(stats["used"].min()),
                f"{act}_max_var": float(stats["used"].max()),
                f"{act}_max_passes": int(max(passes)),
                f"{act}_fresh_median_min": float(med.min()),
                f"{act}_fresh_median_max": float(med.max()),
            }
        )
    return out


@claim(
    "architectures.lsuv-training",
    "On the toy task, a 13-layer MLP initialised with LSUV gets below half of ln C in 100 steps (median over the "
    "seeds of every block), for ReLU and for tanh, as does the formula init (He, LeCun); from N(0, 0.01²) the loss "
    "stays above 99% of ln C.",
)
def lsuv_training():
    out = {"lnC": float(np.log(4)), "blocks": 5}
    for act in LSUV_ACTS:
        *_, curves = lsuv_experiment(act)
        for arm, key in zip(LSUV_ARMS, ("lsuv", "formula", "small")):
            per = [{f"{act}_{key}": float(np.median(curves[arm][-1, 2 * b : 2 * b + 2]))} for b in range(5)]
            out.update(block_stats(per))
    return out


@figure(
    "architectures/lsuv",
    alt="Top: per-layer output variance after LSUV on a fresh batch for ReLU and tanh networks, medians within 0.9 "
    "to 1.1. Bottom: training loss curves for ReLU and tanh: LSUV and the formula init fall, the small Gaussian "
    "init stays at ln 4.",
    caption="LSUV on a 13-layer MLP (width 32). Top: output variance of each layer on a fresh batch (median over 20 "
    "seeds; shaded: 1 ± 0.1). Bottom: full-batch training loss on 64 examples (median over 10 seeds); solid ReLU, "
    "dashed tanh.",
)
def fig_lsuv():
    fig, (a, b) = fig_axes(2, height=2.7)
    a.axhspan(0.9, 1.1, color=COLORS[6], alpha=0.15, lw=0)
    for act, c, m, ls in zip(LSUV_ACTS, COLORS, MARKERS, LINES):
        stats, _, curves = lsuv_experiment(act)
        layers = np.arange(1, stats["fresh"].shape[0] + 1)
        a.plot(layers, np.median(stats["fresh"], 1), marker=m, color=c, ls=ls, label=act)
        for arm, cc in zip(LSUV_ARMS, COLORS[2:]):
            v = np.median(curves[arm], 1)
            b.plot(np.arange(v.shape[0]), v, color=cc, ls=ls, label=f"{arm}" if act == "relu" else None)
    a.set_ylim(0.5, 1.5)
    a.set_xticks([1, 4, 7, 10, 13])
    a.set_xlabel("layer $l$")
    a.set_ylabel("output variance")
    a.legend(ncols=2)
    b.axhline(np.log(4), color=COLORS[6], ls=":", lw=1)
    b.set_xlabel("step")
    b.set_ylabel("training loss")
    b.legend(fontsize="small")
    return fig
