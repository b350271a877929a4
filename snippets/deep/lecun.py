"""LeCun, Bottou, Orr & Müller (1998): 1.7159 tanh(2x/3) with weight std 1/sqrt(fan_in)."""

from __future__ import annotations

import functools

import numpy as np

from snippets import claim, figure, table
from snippets._seeds import rng
from snippets._style import COLORS, new_figure
from snippets.deep._common import BLOCKS, blockwise
from snippets.deep.meanfield import SB2, chi1, critical_sw2, q_star, xi_c

A, B = 1.7159, 2.0 / 3.0
SIM = 50  # rng key
WIDTH, DEPTH, BURN_IN = 1000, 50, 10


def phi(h):
    return A * np.tanh(B * h)


def dphi(h):
    return A * B / np.cosh(B * h) ** 2


@claim(
    "deep.lecun-near-critical",
    "LeCun's recipe (1.7159 tanh(2x/3), weight std 1/sqrt(fan_in), zero bias) maps to tanh with "
    "sigma_w^2 = (1.7159 * 2/3)^2 = 1.309 and sigma_b^2 = 0, where chi1 is within 5% of 1 (just on "
    "the chaotic side); f(1) = 1 to within 1e-4.",
)
def lecun_near_critical():
    q = float(q_star(1.0, 0.0, phi))
    return {
        "sw2_equiv": (A * B) ** 2,
        "q_star": q,
        "chi1": float(chi1(1.0, q, dphi)),
        "xi_c": float(xi_c(1.0, 0.0, phi, dphi)),
        "f_of_1": float(phi(1.0)),
    }


@functools.cache
def _simulated_chi1():
    """Per block, one 50-layer net of width 1000: the mean over layers 11-50 of the log of the
    per-layer growth of a back-propagated gradient's squared norm (its geometric-mean chi1)."""
    out = []
    for b in range(BLOCKS):
        g = rng(SIM, b)
        h = g.normal(0, np.sqrt(q_star(1.0, 0.0, phi)), WIDTH)
        Ws, hs = [], []
        for _ in range(DEPTH):
            W = g.standard_normal((WIDTH, WIDTH), dtype=np.float32) / np.float32(np.sqrt(WIDTH))
            hs.append(h)
            h = W @ phi(h)
            Ws.append(W)
        grad, logs = g.normal(size=WIDTH), []
        for W, hp in zip(Ws[::-1], hs[::-1]):
            new = dphi(hp) * (W.T @ grad)
            logs.append(np.log((new**2).sum() / (grad**2).sum()))
            grad = new
        out.append(np.exp(np.mean(logs[: DEPTH - BURN_IN])))  # the layers after the burn-in
    return np.array(out)


@claim(
    "deep.lecun-chi1-simulated",
    "In a simulated LeCun net (50 layers of width 1000, 5 blocks of one net), the per-layer growth "
    "of a back-propagated gradient's squared norm, averaged over layers 11-50, is within 2% of the "
    "mean-field chi1 in every block.",
)
def lecun_chi1_simulated():
    s = _simulated_chi1()
    theory = lecun_near_critical()["chi1"]
    return {
        **blockwise(s, "chi1_sim"),
        "chi1_theory": theory,
        "max_rel_err": float(np.abs(s / theory - 1).max()),
        "blocks": BLOCKS,
    }


@table("deep/lecun-table", caption="LeCun et al. (1998) recipe placed on the mean-field phase diagram.")
def lecun_table():
    r, s = lecun_near_critical(), lecun_chi1_simulated()
    head = ["quantity", "paper", "where", "ours", "verdict"]
    rows = [
        ["activation", "f(x) = 1.7159 tanh(2x/3)", "§4.4", f"f(1) = {r['f_of_1']:.5f}", "agrees"],
        ["weight init", "std m^(−1/2), m = fan-in", "§4.6", "σ_w² = 1", "—"],
        ["equivalent plain-tanh point (σ_w², σ_b²)", "", "", f"({r['sw2_equiv']:.3f}, 0)", ""],
        ["χ₁ at the fixed point, mean field", "", "", f"{r['chi1']:.3f}", ""],
        [
            "χ₁ simulated, 50 × 1000",
            "",
            "",
            f"{s['chi1_sim']:.3f} ({s['chi1_sim_min']:.3f}–{s['chi1_sim_max']:.3f})",
            "",
        ],
        ["ξ_c", "", "", f"{r['xi_c']:.0f} layers", ""],
    ]
    return head, rows


@functools.cache
def _phase_grid(n_w=60, n_b=40):
    sw2 = np.linspace(0.5, 4.0, n_w)
    sb2 = np.linspace(0.0, 0.3, n_b)
    SW, SB = np.meshgrid(sw2, sb2)
    q = q_star(SW, SB, iters=300)
    return sw2, sb2, chi1(SW, q)


@figure(
    "deep/phase-diagram",
    alt="A heat map of the correlation depth scale over sigma_w squared (0.5 to 4) and sigma_b squared "
    "(0 to 0.3) for tanh, with the critical line chi1 = 1 curving up from sigma_w squared = 1. LeCun's "
    "recipe sits just right of the line at sigma_b squared = 0; the ordered and chaotic simulation "
    "points sit on either side of it.",
    caption="The order-to-chaos phase diagram of tanh networks: colour is |1/ln χ₁| (log scale), the "
    "black curve is χ₁ = 1. Markers: our ordered and chaotic simulations (σ_b² = 0.05), the critical "
    "point at σ_b² = 0.05, and LeCun's recipe in plain-tanh units.",
)
def fig_phase():
    sw2, sb2, x1 = _phase_grid()
    fig, ax = new_figure(1, 1, width=5.0, height=3.6)
    xi = np.abs(-1 / np.log(np.clip(x1, 1e-9, None)))
    im = ax.pcolormesh(
        sw2, sb2, np.log10(np.clip(xi, 0.5, 1e3)), shading="auto", cmap="viridis", rasterized=True
    )
    fig.colorbar(im, ax=ax, label=r"$\log_{10}\,|1/\ln\chi_1|$")
    ax.contour(sw2, sb2, x1, levels=[1.0], colors="k", linewidths=1.5)
    ax.grid(False)
    r = lecun_near_critical()
    ax.plot([1.2, 3.0], [SB2, SB2], "o", color="w", mec="k", label="ordered / chaotic simulation")
    ax.plot(critical_sw2(SB2), SB2, "s", color=COLORS[1], mec="k", label=r"critical, $\sigma_b^2=0.05$")
    ax.plot(r["sw2_equiv"], 0.0, "*", ms=14, color=COLORS[3], mec="k", label="LeCun 1998", clip_on=False)
    ax.set_xlabel(r"$\sigma_w^2$")
    ax.set_ylabel(r"$\sigma_b^2$")
    ax.legend(fontsize=8, loc="upper left")
    return fig
