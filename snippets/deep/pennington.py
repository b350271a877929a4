"""Pennington, Schoenholz & Ganguli (2017): dynamical isometry of the input-output Jacobian."""

from __future__ import annotations

import functools

# --8<-- [start:imports]
import numpy as np

# --8<-- [end:imports]
from snippets import claim, figure, table
from snippets._seeds import rng
from snippets._style import COLORS, new_figure
from snippets.deep._common import BLOCKS, haar_orthogonal
from snippets.deep.meanfield import gauss

JAC = 60  # rng key


# --8<-- [start:jacobian]
def jacobian_sq_singular_values(Ws, act, sw2, sb2, q, depths, g):
    """Eigenvalues of J J^T, J = D_L W_L ... D_1 W_1, at each depth L in ``depths``.

    Ws: unit-scale weights [seeds, layers, n, n] (orthogonal, or Gaussian with variance 1/n),
    used as sqrt(sw2) Ws; biases have variance sb2, the input pre-activations variance q."""
    phi, dphi = {
        "tanh": (np.tanh, lambda h: 1 / np.cosh(h) ** 2),
        "relu": (lambda h: np.maximum(h, 0), lambda h: (h > 0) * 1.0),
    }[act]
    seeds, _, n = Ws.shape[:3]
    h = g.normal(0, np.sqrt(q), (seeds, n, 1))
    J, out = None, []
    for L in range(1, max(depths) + 1):
        W = np.sqrt(sw2) * Ws[:, L - 1]
        h = W @ phi(h) + g.normal(0, np.sqrt(sb2), (seeds, n, 1))
        J = dphi(h) * (W if J is None else W @ J)  # D_l W_l J
        if L in depths:
            out.append(np.linalg.eigvalsh(J @ J.mT))  # [seeds, n]
    return out


# --8<-- [end:jacobian]

DEPTHS = (1, 2, 4, 8, 16, 32)
QSTAR, WIDTH, SEEDS = 1 / 64, 100, 8  # seeds per block
CASES = (("tanh", "orthogonal"), ("tanh", "gaussian"), ("relu", "orthogonal"), ("relu", "gaussian"))


def tanh_critical_point(q):
    """(sigma_w^2, sigma_b^2) on the critical line with fixed point q*."""
    sw2 = 1 / gauss(lambda z: 1 / np.cosh(np.sqrt(q) * z) ** 4)
    sb2 = q - sw2 * gauss(lambda z: np.tanh(np.sqrt(q) * z) ** 2)
    return float(sw2), float(sb2)


def variance_theory(depth, act, weights, q=QSTAR):
    """Var of the eigenvalues of J J^T from free probability at chi1 = 1: each layer multiplies
    freely independent mean-1 factors, D^2 (scaled by sw2) with variance mu2 - 1 and W W^T with
    variance 1 (Gaussian, Marchenko-Pastur) or 0 (orthogonal); the variances add over layers."""
    if act == "relu":
        mu2 = 2.0  # sw2 = 2, phi'^2 in {0, 1} with probability 1/2 each
    else:
        sw2, _ = tanh_critical_point(q)
        mu2 = sw2**2 * gauss(lambda z: 1 / np.cosh(np.sqrt(q) * z) ** 8)
    return depth * (mu2 - 1 + (1.0 if weights == "gaussian" else 0.0))


@functools.cache
def _spectra():
    """All four cases share, per block, one set of orthogonal and one of Gaussian matrices and
    the same input and bias draws: {case: [eigenvalues [blocks * seeds, n] per depth]}."""
    sw2, sb2 = tanh_critical_point(QSTAR)
    out = {k: [[] for _ in DEPTHS] for k in CASES}
    for b in range(BLOCKS):
        g = rng(JAC, b)
        orth = haar_orthogonal(g, (SEEDS, max(DEPTHS)), WIDTH)
        mats = {"orthogonal": orth, "gaussian": g.normal(0, 1 / np.sqrt(WIDTH), orth.shape)}
        for act, wts in CASES:
            args = (sw2, sb2, QSTAR) if act == "tanh" else (2.0, 0.0, 1.0)
            lam = jacobian_sq_singular_values(mats[wts], act, *args, DEPTHS, rng(JAC, b, 1))
            for i, x in enumerate(lam):
                out[(act, wts)][i].append(x)
    return {k: [np.concatenate(x) for x in v] for k, v in out.items()}


def _frac(lam):
    s = np.sqrt(np.clip(lam, 0, None))
    return float(((s >= 0.5) & (s <= 2)).mean())


@claim(
    "deep.pennington-isometry",
    "At criticality with q* = 1/64, orthogonal tanh nets keep at least 90% of the Jacobian's singular "
    "values within [1/2, 2] at every depth up to 32; Gaussian tanh and orthogonal ReLU nets keep less "
    "than half there at depth 32.",
)
def pennington_isometry():
    r = _spectra()
    return {
        "tanh_orth_min": min(_frac(lam) for lam in r[("tanh", "orthogonal")]),
        "tanh_gauss_32": _frac(r[("tanh", "gaussian")][-1]),
        "relu_orth_32": _frac(r[("relu", "orthogonal")][-1]),
        "relu_gauss_32": _frac(r[("relu", "gaussian")][-1]),
        "seeds": BLOCKS * SEEDS,
    }


@claim(
    "deep.pennington-variance",
    "The measured variance of the squared singular values (pooled over 40 seeds, width 100) matches "
    "the free-probability formula L (mu2 - 1 + [Gaussian]) within 25% in all four cases up to depth 4, "
    "and for orthogonal tanh at every depth up to 32.",
)
def pennington_variance():
    r = _spectra()
    out = {}
    for act, wts in CASES:
        ratio = [lam.var(1).mean() / variance_theory(L, act, wts) for L, lam in zip(DEPTHS, r[(act, wts)])]
        out[f"{act}_{wts}_upto4"] = float(max(abs(x - 1) for x in ratio[: DEPTHS.index(4) + 1]))
        out[f"{act}_{wts}_all"] = float(max(abs(x - 1) for x in ratio))
        out[f"{act}_{wts}_ratio_4"] = float(ratio[DEPTHS.index(4)])
    return out


@table("deep/pennington-table", caption="Pennington, Schoenholz & Ganguli (2017) next to our reproduction.")
def pennington_table():
    r = _spectra()
    head = [
        "case",
        "paper (abstract)",
        "theory Var at L = 4",
        "ours at L = 4",
        "in [½, 2] at L = 32",
        "verdict",
    ]
    claims_ = {
        ("tanh", "orthogonal"): "can achieve isometry",
        ("tanh", "gaussian"): "no isometry with Gaussian weights",
        ("relu", "orthogonal"): "incapable of dynamical isometry",
        ("relu", "gaussian"): "incapable of dynamical isometry",
    }
    i4 = DEPTHS.index(4)
    return head, [
        [
            f"{k[0]}, {k[1]}",
            claims_[k],
            f"{variance_theory(4, *k):.2f}",
            f"{r[k][i4].var(1).mean():.2f}",
            f"{_frac(r[k][-1]):.0%}",
            "agrees",
        ]
        for k in CASES
    ]


@figure(
    "deep/pennington",
    alt="Histograms of Jacobian singular values on a log axis at depths 2, 8 and 32 for four cases. "
    "Orthogonal tanh stays in a narrow peak at 1 at every depth; Gaussian tanh, orthogonal ReLU and "
    "Gaussian ReLU spread over orders of magnitude as depth grows.",
    caption="Singular values of the input-output Jacobian at criticality (tanh: q* = 1/64; ReLU: "
    "σ_w² = 2), width 100, 40 seeds pooled, at depths 2, 8 and 32.",
)
def fig_pennington():
    r = _spectra()
    fig, axes = new_figure(2, 2, width=5.6, height=4.4, sharex=True, sharey=True)
    bins = np.linspace(-4, 2, 49)
    styles = ("-", "--", ":")
    for ax, k in zip(axes.ravel(), CASES):
        for j, L in enumerate((2, 8, 32)):
            lam = r[k][DEPTHS.index(L)].ravel()
            s = np.log10(np.sqrt(np.clip(lam, 1e-30, None)))
            ax.hist(
                s,
                bins=bins,
                histtype="step",
                density=True,
                color=COLORS[j],
                ls=styles[j],
                lw=1.8,
                label=rf"$L={L}$",
            )
        ax.set_title(f"{k[0]}, {k[1]}")
    for ax in axes[1]:
        ax.set_xlabel(r"$\log_{10}$ singular value")
    axes[0, 0].legend(fontsize=8)
    return fig
