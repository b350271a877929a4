"""Diagnose your own init: per-layer statistics and Karpathy's "verify loss @ init" check; tanh's critical gain."""

from __future__ import annotations

import functools

import numpy as np

from snippets import claim, table
from snippets._seeds import rng
from snippets.architectures._common import EXP, SEEDS, mlp_grads, toy_task


# --8<-- [start:diagnose]
def diagnose(Ws, bs, X, Y, act="tanh"):
    """Per-layer activation and gradient statistics of an MLP at init, and the initial-loss check.

    Ws: list of [n_in, n_out] (one network); bs: list of [n_out] or None; Y: one-hot [B, C].
    """
    Ws3 = [W[None] for W in Ws]
    bs3 = [None if b is None else b[None, None] for b in bs]
    loss, gWs, _, cache = mlp_grads(Ws3, bs3, X, Y, act)
    rows = []
    for i, (W, gW, (_, z, _, _, a)) in enumerate(zip(Ws, gWs, cache)):
        out = z if a is None else a
        flat = np.abs(out) > 0.97 if act == "tanh" else out <= 0
        rows.append(
            {
                "layer": i + 1,
                "act_mean": float(out.mean()),
                "act_std": float(out.std()),
                "saturated_or_dead": float(flat.mean()) if a is not None else float("nan"),
                "grad_std": float(gW.std()),
                "grad_to_weight": float(gW.std() / W.std()),
            }
        )
    C = Y.shape[1]
    expected = -np.log(1 / C)  # Karpathy: a fresh classifier should predict ~uniformly
    return rows, {
        "initial_loss": float(loss[0]),
        "expected": float(expected),
        "ok": bool(abs(loss[0] / expected - 1) < 0.1),
    }


# --8<-- [end:diagnose]


GOOD = "good: LeCun, small readout"


def _diag_nets(g, sizes, kind):
    if kind == "bad: N(0, 1)":
        return [g.standard_normal((a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    # LeCun (σ_w² = 1, critical for tanh at zero bias) for hidden layers; a small readout for a near-uniform start
    Ws = [g.standard_normal((a, b)) / np.sqrt(a) for a, b in zip(sizes[:-2], sizes[1:-1])]
    return Ws + [g.standard_normal(sizes[-2:]) * 0.1 / np.sqrt(sizes[-2])]


DIAG_SIZES = (16, 64, 64, 64, 64, 4)


@functools.cache
def diagnose_experiment():
    X, Y = toy_task()
    out = {}
    for kind in ("bad: N(0, 1)", GOOD):
        runs = [
            diagnose(_diag_nets(rng(EXP["diagnose"], s), DIAG_SIZES, kind), [None] * 5, X, Y)
            for s in range(SEEDS)
        ]
        out[kind] = runs
    return out


@table("architectures/diagnose", caption="diagnose() on a 5-layer tanh MLP (width 64, 4 classes), one seed.")
def tbl_diagnose():
    header = ["init", "layer", "act mean", "act std", "saturated", "grad std", "grad/weight", "initial loss"]
    rows = []
    for kind, runs in diagnose_experiment().items():
        layer_rows, check = runs[0]
        for r in layer_rows:
            sat = "—" if np.isnan(r["saturated_or_dead"]) else f"{r['saturated_or_dead']:.0%}"
            loss = (
                f"{check['initial_loss']:.2f} vs −ln(1/4) = {check['expected']:.2f}"
                if r["layer"] == 1
                else ""
            )
            rows.append(
                [
                    kind if r["layer"] == 1 else "",
                    str(r["layer"]),
                    f"{r['act_mean']:.2f}",
                    f"{r['act_std']:.2f}",
                    sat,
                    f"{r['grad_std']:.2g}",
                    f"{r['grad_to_weight']:.2g}",
                    loss,
                ]
            )
    return header, rows


@claim(
    "architectures.initial-loss-check",
    "The initial-loss check flags the N(0, 1) tanh MLP (loss more than twice −ln(1/C)) in every seed and passes "
    "the LeCun one with a small readout (within 10% of −ln(1/C)) in every seed.",
)
def initial_loss_check():
    r = diagnose_experiment()
    bad = np.array([c["initial_loss"] for _, c in r["bad: N(0, 1)"]])
    good = np.array([c["initial_loss"] for _, c in r[GOOD]])
    lnC = float(np.log(4))
    return {
        "bad_min": float(bad.min()),
        "bad_median": float(np.median(bad)),
        "good_max_rel_err": float(np.max(np.abs(good / lnC - 1))),
        "good_median": float(np.median(good)),
        "good_pass_rate": float(np.mean([c["ok"] for _, c in r[GOOD]])),
        "bad_pass_rate": float(np.mean([c["ok"] for _, c in r["bad: N(0, 1)"]])),
        "expected": lnC,
        "bad_saturation_last_hidden": float(
            np.median([rows[-2]["saturated_or_dead"] for rows, _ in r["bad: N(0, 1)"]])
        ),
    }


def chi1_tanh(sigma_w2, sigma_b2=0.0, iters=500):
    """Mean-field fixed point q* of a tanh net and its χ₁ = σ_w² E[tanh'(√q* z)²] (Poole et al. 2016)."""
    z, w = np.polynomial.hermite_e.hermegauss(101)
    w = w / w.sum()
    q = 1.0
    for _ in range(iters):
        q = sigma_w2 * (w * np.tanh(np.sqrt(q) * z) ** 2).sum() + sigma_b2
    return float(q), float(sigma_w2 * (w / np.cosh(np.sqrt(q) * z) ** 4).sum())


@claim(
    "architectures.tanh-gain-chaotic",
    "At zero bias, tanh with LeCun's σ_w² = 1 sits at the critical point χ₁ = 1, while PyTorch's tanh gain 5/3 "
    "(σ_w² = 25/9) is in the chaotic phase, χ₁ ≈ 1.21.",
)
def tanh_gain_chaotic():
    q_lecun, chi_lecun = chi1_tanh(1.0)
    q_gain, chi_gain = chi1_tanh(25 / 9)
    return {"chi1_lecun": chi_lecun, "chi1_gain53": chi_gain, "q_gain53": q_gain}
