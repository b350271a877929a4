"""Poole et al. (2016) and Schoenholz et al. (2017): order and chaos in wide random tanh nets."""

from __future__ import annotations

import functools

# --8<-- [start:imports]
import numpy as np

# --8<-- [end:imports]
from snippets import claim, figure, table
from snippets._seeds import rng
from snippets._style import COLORS, new_figure
from snippets.deep._common import BLOCKS, blockwise, majority_rate, teacher_task, train

# --8<-- [start:meanfield]
Z, WZ = np.polynomial.hermite_e.hermegauss(81)  # nodes and weights for E over z ~ N(0, 1)
WZ = WZ / np.sqrt(2 * np.pi)


def gauss(f):
    """E[f(z)], z ~ N(0, 1), vectorized over leading axes of f's output."""
    return (WZ * f(Z)).sum(-1)


def q_star(sw2, sb2, phi=np.tanh, iters=400):
    """Fixed point of the length map q <- sw2 E[phi(sqrt(q) z)^2] + sb2."""
    q = np.ones(np.broadcast(sw2, sb2).shape)
    for _ in range(iters):
        q = sw2 * (WZ * phi(np.sqrt(q)[..., None] * Z) ** 2).sum(-1) + sb2
    return q


def chi1(sw2, q, dphi=lambda u: 1 / np.cosh(u) ** 2):
    """Slope of the correlation map at c = 1: sw2 E[phi'(sqrt(q*) z)^2]."""
    return sw2 * gauss(lambda z: dphi(np.sqrt(q)[..., None] * z) ** 2)


def c_map(c, q, sw2, sb2, phi=np.tanh):
    """One step of the correlation map for two inputs of length q*."""
    z1, z2 = Z[:, None], Z[None, :]
    c = np.asarray(c, float)[..., None, None]
    u1 = np.sqrt(q) * z1
    u2 = np.sqrt(q) * (c * z1 + np.sqrt(1 - c**2) * z2)
    return (sw2 * (np.outer(WZ, WZ) * phi(u1) * phi(u2)).sum((-1, -2)) + sb2) / q


def critical_sw2(sb2, lo=0.5, hi=6.0):
    """sigma_w^2 on the critical line chi1 = 1 at a given sigma_b^2 (bisection)."""
    for _ in range(50):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if chi1(mid, q_star(mid, sb2)) < 1 else (lo, mid)
    return lo  # the ordered side of the line, to within 2^-50


# --8<-- [end:meanfield]


def _d2tanh(u):
    t = np.tanh(u)
    return -2 * t * (1 - t * t)


def xi_q(sw2, sb2):
    """Depth scale of the length map: 1/xi_q = -ln(chi1 + sw2 E[phi'' phi]) at q*."""
    q = q_star(sw2, sb2)
    slope = chi1(sw2, q) + sw2 * gauss(
        lambda z: _d2tanh(np.sqrt(q)[..., None] * z) * np.tanh(np.sqrt(q)[..., None] * z)
    )
    return -1 / np.log(slope)


def xi_c(sw2, sb2, phi=np.tanh, dphi=lambda u: 1 / np.cosh(u) ** 2):
    """Correlation depth scale: -1/ln chi_c with chi_c = sw2 E[phi'(u1) phi'(u2)] at c*."""
    q = q_star(sw2, sb2, phi)
    x1 = chi1(sw2, q, dphi)
    if x1 < 1:
        return -1 / np.log(x1)
    c = 0.5
    for _ in range(300):
        c = min(c_map(c, q, sw2, sb2, phi), 1.0 - 1e-12)
    z1, z2 = Z[:, None], Z[None, :]
    u1, u2 = np.sqrt(q) * z1, np.sqrt(q) * (c * z1 + np.sqrt(1 - c**2) * z2)
    chic = sw2 * (np.outer(WZ, WZ) * dphi(u1) * dphi(u2)).sum()
    return -1 / np.log(chic)


SB2 = 0.05
ORDERED, CHAOTIC = 1.2, 3.0  # sigma_w^2 on either side of the critical line
WIDTH, DEPTH, SIM_SEEDS = 400, 30, 4  # seeds per block
C0 = {ORDERED: 0.6, CHAOTIC: 0.99}  # starting correlation: far from c* in each phase
SIM = 40  # rng key


@functools.cache
def _simulate(sw2):
    """Two inputs of length q* and correlation c0 through a wide random tanh net, and a random
    gradient back-propagated from layer 30 to the input layer, through the same weights.
    Returns q [seeds, depth], c [seeds, depth], ln(|g_(L-k)|^2 / |g_L|^2) [seeds, k = 0 ... L], q*,
    and the correlation map's values [depth]."""
    q = float(q_star(sw2, SB2))
    c0 = C0[sw2]
    qs, cs, ratios = [], [], []
    for b in range(BLOCKS):
        g = rng(SIM, int(sw2 * 10), b)
        z1, z2 = g.normal(size=(2, SIM_SEEDS, WIDTH))
        h = np.stack([np.sqrt(q) * z1, np.sqrt(q) * (c0 * z1 + np.sqrt(1 - c0**2) * z2)], -1)
        Ws, hs, qb, cb = [], [h], [], []
        for _ in range(DEPTH):
            W = g.normal(0, np.sqrt(sw2 / WIDTH), (SIM_SEEDS, WIDTH, WIDTH))
            h = W @ np.tanh(h) + g.normal(0, np.sqrt(SB2), (SIM_SEEDS, WIDTH, 1))
            Ws.append(W)
            hs.append(h)
            q1, q2 = (h**2).mean(1).T
            qb.append((q1 + q2) / 2)
            cb.append((h[..., 0] * h[..., 1]).mean(-1) / np.sqrt(q1 * q2))
        grad = g.normal(size=(SIM_SEEDS, WIDTH, 1))  # dLoss/dh at layer 30, first input
        top, r = (grad**2).sum((1, 2)), [np.zeros(SIM_SEEDS)]
        for W, hp in zip(Ws[::-1], hs[-2::-1]):
            grad = (W.mT @ grad) / np.cosh(hp[..., :1]) ** 2  # dLoss/dh_{l-1} = phi'(h_{l-1}) W^T g
            r.append(np.log((grad**2).sum((1, 2)) / top))
        ratios.append(np.array(r).T)  # [seeds, layers back from the top: 0 ... 30]
        qs.append(np.array(qb).T)
        cs.append(np.array(cb).T)
    c_th = [c0]
    for _ in range(DEPTH):
        c_th.append(float(c_map(c_th[-1], q, sw2, SB2)))
    return np.concatenate(qs), np.concatenate(cs), np.concatenate(ratios), q, np.array(c_th[1:])


@claim(
    "deep.meanfield-maps",
    "In a 400-wide random tanh net at sigma_w^2 = 1.2, sigma_b^2 = 0.05 (20 seeds), the seed-averaged "
    "squared length stays within 5% of q* and the seed-averaged correlation within 0.03 of the "
    "correlation map, at every one of 30 layers.",
)
def meanfield_maps():
    qs, cs, _, q, c_th = _simulate(ORDERED)
    return {
        "q_rel_err": float(np.abs(qs.mean(0) / q - 1).max()),
        "c_abs_err": float(np.abs(cs.mean(0) - c_th).max()),
        "q_star": q,
        "seeds": int(qs.shape[0]),
    }


@claim(
    "deep.poole-cmap",
    "Over the first 8 layers, the simulated correlation (mean of 20 seeds, width 400) follows Poole "
    "et al.'s correlation map within 0.03 at every layer, both in the ordered phase (sigma_w^2 = 1.2, c rises "
    "from 0.6 towards 1) and in the chaotic phase (sigma_w^2 = 3, c falls from 0.99 towards c*).",
)
def poole_cmap():
    out = {}
    for name, sw2 in (("ordered", ORDERED), ("chaotic", CHAOTIC)):
        _, cs, _, _, c_th = _simulate(sw2)
        out[f"{name}_err"] = float(np.abs(cs[:, :8].mean(0) - c_th[:8]).max())
        out[f"{name}_c8"] = float(c_th[7])
        out[f"{name}_rises"] = bool(c_th[7] > C0[sw2]) if name == "ordered" else bool(c_th[7] < C0[sw2])
    out["chaotic_chi1"] = float(chi1(CHAOTIC, q_star(CHAOTIC, SB2)))
    out["ordered_chi1"] = float(chi1(ORDERED, q_star(ORDERED, SB2)))
    return out


@claim(
    "deep.schoenholz-gradient",
    "A gradient back-propagated through 30 layers of a 400-wide tanh net changes its squared norm by "
    "chi1^30 as Schoenholz et al. predict: the seed-mean of ln(|g_0|^2/|g_30|^2) is within 10% of "
    "30 ln chi1 in every block, in the ordered phase (vanishing) and in the chaotic phase (exploding).",
)
def schoenholz_gradient():
    out = {"blocks": BLOCKS}
    for name, sw2 in (("ordered", ORDERED), ("chaotic", CHAOTIC)):
        _, _, ratio, q, _ = _simulate(sw2)
        pred = DEPTH * np.log(chi1(sw2, q))
        per_block = ratio[:, -1].reshape(BLOCKS, -1).mean(1)
        out.update(blockwise(per_block / pred, f"{name}_rel"))
        out[f"{name}_pred_log10"] = float(pred / np.log(10))
        out.update(blockwise(per_block / np.log(10), f"{name}_log10"))
    return out


@claim(
    "deep.meanfield-xi-c",
    "In the ordered phase (sigma_w^2 = 1.2, sigma_b^2 = 0.05) the correlation depth scale fitted to "
    "the simulated decay of 1 - c matches xi_c = -1/ln chi1 within 15%.",
)
def meanfield_xi_c():
    _, cs, _, _, c_th = _simulate(ORDERED)
    one_minus = 1 - cs.mean(0)
    layers = np.arange(1, len(one_minus) + 1)
    sel = (1 - c_th < 0.1) & (one_minus > 1e-6)  # the linear regime near c = 1
    slope = np.polyfit(layers[sel], np.log(one_minus[sel]), 1)[0]
    theory = float(xi_c(ORDERED, SB2))
    return {"fitted": float(-1 / slope), "theory": theory, "rel_err": float(abs(-1 / slope / theory - 1))}


@claim(
    "deep.meanfield-critical",
    "The critical line chi1 = 1 for tanh crosses sigma_b^2 = 0.05 at the sigma_w^2 computed here "
    "(chi1 there is 1 to within 1e-6); 0.3 to either side xi_c is finite (tens of layers).",
)
def meanfield_critical():
    sw = float(critical_sw2(SB2))
    return {
        "sw2": sw,
        "chi1_at": float(chi1(sw, q_star(sw, SB2))),
        "xi_c_below": float(xi_c(sw - 0.3, SB2)),
        "xi_c_above": float(xi_c(sw + 0.3, SB2)),
        "xi_q_at": float(xi_q(sw, SB2)),
    }


# Trainability against depth and sigma_w^2 (Schoenholz et al.), on a short budget
TRAIN_SW2 = tuple(np.linspace(0.5, 4.0, 15))
TRAIN_DEPTHS = (4, 8, 16, 24, 32, 48)
TRAIN_SEEDS, TRAIN_STEPS, TRAIN_LR, TRAIN_WIDTH = 2, 150, 0.005, 32
TRAIN_KEY = 41
MARGIN = 0.10  # "trains": test accuracy at least 10 points above the majority-class rate


@functools.cache
def _trainability():
    """Mean test accuracy [depth, sigma_w^2] of tanh MLPs (sigma_b^2 = 0.05) after a short SGD run.
    Every sigma_w^2 and seed of one depth trains in one batch (float32) and shares its unit draws."""
    data = teacher_task()
    d, classes = data[0].shape[1], 4
    v = np.repeat(TRAIN_SW2, TRAIN_SEEDS)
    acc = np.empty((len(TRAIN_DEPTHS), len(TRAIN_SW2)))
    for i, L in enumerate(TRAIN_DEPTHS):
        g = rng(TRAIN_KEY, L)
        sizes = [d] + [TRAIN_WIDTH] * (L - 1) + [classes]
        unit = [g.normal(size=(TRAIN_SEEDS, a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
        Ws = [
            (np.tile(u, (len(TRAIN_SW2), 1, 1)) * np.sqrt(v / u.shape[1])[:, None, None]).astype(np.float32)
            for u in unit
        ]
        bs = [
            np.tile(g.normal(0, np.sqrt(SB2), (TRAIN_SEEDS, 1, b)), (len(TRAIN_SW2), 1, 1)).astype(np.float32)
            for b in sizes[1:]
        ]
        _, a, _ = train(Ws, bs, data, "tanh", TRAIN_LR, TRAIN_STEPS, rng(TRAIN_KEY, L, 1), batch=32)
        acc[i] = a.reshape(len(TRAIN_SW2), TRAIN_SEEDS).mean(1)
    six_xi = 6 * np.array([xi_c(s, SB2) for s in TRAIN_SW2])
    return acc, majority_rate(data), six_xi


@claim(
    "deep.trainability-6xi",
    "In a short-budget scan of tanh nets (sigma_b^2 = 0.05, 150 SGD steps), (depth, sigma_w^2) cells "
    "deeper than 6 xi_c train less than a third as often as cells shallower than 6 xi_c, of which "
    "more than half train.",
)
def trainability_6xi():
    acc, chance, six_xi = _trainability()
    trained = acc >= chance + MARGIN
    beyond = np.array(TRAIN_DEPTHS)[:, None] > six_xi[None, :]
    deepest = [max([L for L, t in zip(TRAIN_DEPTHS, col) if t], default=0) for col in trained.T]
    below = [max([L for L in TRAIN_DEPTHS if L <= x], default=0) for x in six_xi]
    ordered = np.array(TRAIN_SW2) < critical_sw2(SB2)
    return {
        "ordered_columns": int(ordered.sum()),
        "ordered_reach_curve": int(sum(d == b for d, b, o in zip(deepest, below, ordered) if o)),
        "beyond_rate": float(trained[beyond].mean()),
        "beyond_cells": int(beyond.sum()),
        "within_rate": float(trained[~beyond].mean()),
        "within_cells": int((~beyond).sum()),
        "deepest_trained": int(max(deepest)),
        "deepest_at_ends": int(max(deepest[0], deepest[-1])),
        "chance": chance,
    }


@table("deep/meanfield-table", caption="Poole et al. (2016) and Schoenholz et al. (2017) next to this build.")
def meanfield_table():
    m, x, c, p, s = (
        meanfield_maps(),
        meanfield_xi_c(),
        meanfield_critical(),
        poole_cmap(),
        schoenholz_gradient(),
    )
    head = ["quantity", "paper", "where", "ours", "verdict"]
    rows = [
        [
            "critical σ_w² at σ_b² = 0.05",
            "on the line χ₁ = 1",
            "Schoenholz et al., §3",
            f"{c['sw2']:.3f}",
            "—",
        ],
        [
            "ξ_c at σ_w² = 1.2",
            "−1/ln χ₁",
            "Schoenholz et al., eq. 9",
            f"theory {x['theory']:.2f}, fitted {x['fitted']:.2f}",
            "agrees",
        ],
        [
            "simulated q vs q*",
            "concentrates at large width",
            "Poole et al., §2",
            f"max error {m['q_rel_err']:.1%}",
            "agrees",
        ],
        [
            "c-map, first 8 layers, ordered / chaotic",
            "simulation on the map",
            "Poole et al., Fig. 2",
            f"max error {p['ordered_err']:.3f} / {p['chaotic_err']:.3f}",
            "agrees",
        ],
        [
            "gradient |g₀|²/|g₃₀|², ordered / chaotic",
            "∝ χ₁^L",
            "Schoenholz et al., §4",
            f"10^{s['ordered_log10']:.2f} vs 10^{s['ordered_pred_log10']:.2f} / "
            f"10^{s['chaotic_log10']:.2f} vs 10^{s['chaotic_pred_log10']:.2f}",
            "agrees",
        ],
    ]
    return head, rows


@figure(
    "deep/meanfield-maps",
    alt="Left: the correlation between two inputs over the first 8 layers of a 400-wide tanh net: "
    "in the ordered phase it rises from 0.6 towards 1, in the chaotic phase it falls from 0.99; "
    "simulated points lie on the mean-field map. Right: the squared norm of a back-propagated "
    "gradient against the number of layers it has crossed, on a log axis: it falls in the ordered "
    "phase and grows in the chaotic phase, along straight lines of slope ln chi1.",
    caption="Mean field for tanh at σ_b² = 0.05, ordered (σ_w² = 1.2) and chaotic (σ_w² = 3). "
    "Left: Poole et al.'s correlation map (lines) against a 400-wide net (markers, mean of 20 seeds). "
    "Right: Schoenholz et al.'s gradient prediction χ₁^k (lines) against the measured "
    "|g|² ratio (markers, mean of log over 20 seeds).",
)
def fig_meanfield():
    fig, (a0, a1) = new_figure(1, 2, width=6.0, height=3.2)
    layers = np.arange(0, 9)
    for i, (_name, sw2, mk) in enumerate((("ordered", ORDERED, "o"), ("chaotic", CHAOTIC, "s"))):
        _, cs, ratio, q, c_th = _simulate(sw2)
        a0.plot(layers, np.r_[C0[sw2], c_th[:8]], color=COLORS[i], ls="-" if i == 0 else "--")
        a0.plot(layers[1:], cs[:, :8].mean(0), mk, color=COLORS[i], ms=5, label=rf"$\sigma_w^2={sw2:g}$")
        k = np.arange(ratio.shape[1])
        a1.plot(k, k * np.log10(chi1(sw2, q)), color=COLORS[i], ls="-" if i == 0 else "--")
        a1.plot(k[::3], ratio.mean(0)[::3] / np.log(10), mk, color=COLORS[i], ms=5)
    a0.set_xlabel(r"layer $l$")
    a0.set_ylabel(r"correlation $c^l$")
    a0.set_xticks(layers)
    a0.legend(fontsize=9)
    a1.set_xlabel(r"layers back-propagated $k$")
    a1.set_ylabel(r"$\log_{10}\,|g_{L-k}|^2/|g_L|^2$")
    a1.set_xticks(range(0, DEPTH + 1, 10))
    return fig


@figure(
    "deep/trainability",
    alt="A heat map of test accuracy over sigma_w squared (0.5 to 4) and depth (4 to 48) for tanh "
    "networks after a short training run. Accuracy is high for shallow nets everywhere and stays high "
    "to the largest depths only near the critical sigma_w squared. The 6 xi_c curve bounds the "
    "trained region on the ordered (left) side; on the chaotic (right) side the trained region ends "
    "well below it.",
    caption="Trainability of tanh MLPs (width 32, σ_b² = 0.05) on the teacher task after 150 SGD "
    "steps: colour is the test accuracy (mean of 2 seeds), dots mark cells that train (10 points "
    "above the majority-class rate). Solid curve: 6ξ_c; dashed line: the critical σ_w².",
)
def fig_trainability():
    acc, chance, _ = _trainability()
    sw2, depths = np.array(TRAIN_SW2), np.array(TRAIN_DEPTHS)
    fig, ax = new_figure(1, 1, width=5.0, height=3.6)
    dw = sw2[1] - sw2[0]
    x_edges = np.r_[sw2 - dw / 2, sw2[-1] + dw / 2]
    y_mid = (depths[1:] + depths[:-1]) / 2
    y_edges = np.r_[depths[0] - (y_mid[0] - depths[0]), y_mid, depths[-1] + (depths[-1] - y_mid[-1])]
    im = ax.pcolormesh(x_edges, y_edges, acc, cmap="viridis", rasterized=True)
    fig.colorbar(im, ax=ax, label="test accuracy")
    ii, jj = np.nonzero(acc >= chance + MARGIN)
    ax.plot(sw2[jj], depths[ii], ".", color="w", ms=4)
    fine = np.linspace(x_edges[0], x_edges[-1], 200)
    ax.plot(fine, 6 * np.array([xi_c(s, SB2) for s in fine]), color=COLORS[1], lw=2)
    ax.annotate(
        r"$6\xi_c$", (1.2, 6 * xi_c(1.2, SB2)), xytext=(-28, 0), textcoords="offset points", color=COLORS[1]
    )
    ax.axvline(critical_sw2(SB2), color="w", ls="--", lw=1)
    ax.set_ylim(y_edges[0], y_edges[-1])
    ax.set_yticks(depths)
    ax.set_xlabel(r"$\sigma_w^2$")
    ax.set_ylabel(r"depth $L$")
    ax.grid(False)
    return fig
