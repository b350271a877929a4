"""Saxe, McClelland & Ganguli (2014): exact learning dynamics of deep linear networks."""

from __future__ import annotations

import functools

# --8<-- [start:imports]
import numpy as np

# --8<-- [end:imports]
from snippets import claim, figure, table
from snippets._seeds import rng
from snippets._style import COLORS, new_figure
from snippets.deep._common import BLOCKS, blockwise, haar_orthogonal

MODES, DEPTHS = 30, 31  # rng keys
S = np.array([3.0, 2.0, 1.0, 0.5])


# --8<-- [start:saxe_modes]
def saxe_modes(s, g, hidden=16, init_std=1e-3, lr=0.01, steps=1500, seeds=20):
    """Full-batch GD on y = W32 W21 x with whitened inputs and Sigma31 = diag(s).

    Returns the mode strengths u[t, seed, mode] = (W32 W21)[a, a] and each mode's initial
    strength from the symmetric part of the initial weights, u0 = |a0 + b0|^2 / 4."""
    W21 = g.normal(0, init_std, (seeds, hidden, len(s)))
    W32 = g.normal(0, init_std, (seeds, len(s), hidden))
    u0 = ((W21 + W32.mT) ** 2).sum(1) / 4  # [seeds, modes]
    traj = np.empty((steps, seeds, len(s)))
    for t in range(steps):
        E = np.diag(s) - W32 @ W21  # their eq. 2 with Sigma11 = I
        W21, W32 = W21 + lr * W32.mT @ E, W32 + lr * E @ W21.mT
        traj[t] = np.diagonal(W32 @ W21, axis1=1, axis2=2)
    return traj, u0


def saxe_half_time(s, u0, tau):
    """Their eq. 11 with u_f = s/2: t = tau/(2s) ln(u_f (s - u0) / (u0 (s - u_f)))."""
    uf = s / 2
    return tau / (2 * s) * np.log(uf * (s - u0) / (u0 * (s - uf)))


# --8<-- [end:saxe_modes]

LR = 0.01
MODE_SEEDS = 4  # per block


@functools.cache
def _modes():
    runs = [saxe_modes(S, rng(MODES, b), lr=LR, steps=2500, seeds=MODE_SEEDS) for b in range(BLOCKS)]
    traj = np.concatenate([r[0] for r in runs], 1)
    u0 = np.concatenate([r[1] for r in runs])
    half = (traj >= S / 2).argmax(0) + 1.0  # first step at which u >= s/2: [seeds, modes]
    return traj, u0, half, saxe_half_time(S, u0, 1 / LR)


@claim(
    "deep.saxe-half-times",
    "In a one-hidden-layer linear net, each mode's measured half-learning time matches Saxe et al.'s "
    "eq. 11 within 10% on every seed and mode, and modes are learned strongest first on every seed.",
)
def saxe_half_times():
    _, _, half, theory = _modes()
    rel = np.abs(half / theory - 1)
    return {
        "max_rel_err": float(rel.max()),
        "median_rel_err": float(np.median(rel)),
        "strongest_first": bool((np.diff(half, axis=1) > 0).all()),
        "seeds": int(half.shape[0]),
        **{f"t_half_s{s:g}": float(np.median(half[:, i])) for i, s in enumerate(S)},
        **{f"theory_s{s:g}": float(np.median(theory[:, i])) for i, s in enumerate(S)},
    }


# --8<-- [start:saxe_step]
def deep_linear_step(W, M, lr):
    """One full-batch GD step on |W_L ... W_1 - M|^2 / 2 (whitened inputs); W: list of [runs, n, n]."""
    pre = [np.eye(M.shape[-1])]  # pre[i] = W_i ... W_1
    for Wi in W:
        pre.append(Wi @ pre[-1])
    g = pre[-1] - M  # dLoss/dP
    for i in range(len(W) - 1, -1, -1):
        gW = g @ pre[i].mT  # dLoss/dW_i = (W_L ... W_i+1)^T g (W_i-1 ... W_1)^T
        g = W[i].mT @ g
        W[i] = W[i] - lr * gW
    return W, (pre[-1] - M)


# --8<-- [end:saxe_step]

DEPTH_LIST = (2, 4, 8, 16, 32)
LRS = tuple(0.8 * 2.0**-k for k in range(7))
CAP, WIDTH, DEPTH_SEEDS = 400, 16, 4
GAUSS_MAX_DEPTH = 8  # step cap, width, seeds per block and learning rate


def _decided(t_hit, t, groups):
    """True once min over groups (learning rates) of the median over seeds is final at step t: a
    group's median is final once more than half of its runs finished; an unfinished group's median
    is at least the lower bound below."""
    T = np.sort(t_hit.reshape(groups, -1), 1)
    k = T.shape[1] // 2  # median of an even count: mean of T[k - 1] and T[k]
    final = np.isfinite(T[:, k])
    if not final.any():
        return False
    best = ((T[:, k - 1] + T[:, k]) / 2)[final].min()
    lower = np.where(np.isfinite(T[:, k - 1]), (T[:, k - 1] + t + 1) / 2, t + 1)[~final]
    return bool((lower >= best).all())


def _steps_to_target(W0, M, lr, groups):
    """Steps of :func:`deep_linear_step` until the loss is below 1% of the zero map's (inf: not
    within CAP). Speed-ups that change no result: runs that finish or diverge leave the batch, and
    the loop ends once the best learning rate's median is decided."""
    W = [W0[:, i].copy() for i in range(W0.shape[1])]
    M = np.broadcast_to(M, (len(W0), *M.shape[-2:])).copy()
    lr = np.asarray(lr, float)[:, None, None]
    target = 0.01 * (M**2).sum((1, 2)) / 2
    t_hit, live = np.full(len(W0), np.inf), np.arange(len(W0))
    with np.errstate(all="ignore"):
        for t in range(CAP):
            W, E = deep_linear_step(W, M, lr)
            loss = (E**2).sum((1, 2)) / 2
            done = loss < target
            t_hit[live[done]] = t + 1
            keep = ~done & np.isfinite(loss)
            if not keep.all():
                W, M, lr, live, target = [x[keep] for x in W], M[keep], lr[keep], live[keep], target[keep]
            if not len(live) or _decided(t_hit, t + 1, groups):
                break
    return t_hit


def _target(g, runs):
    """A fixed map with singular values 0.5 ... 2 and random singular vectors."""
    U, V = haar_orthogonal(g, (2,), WIDTH)
    return U @ np.diag(np.linspace(0.5, 2.0, WIDTH)) @ V.T


@functools.cache
def _depth_scan():
    """Per block and depth: the median steps over seeds for the best of 7 learning rates, and
    that learning rate, for three arms that share their random matrices: orthogonal init with a
    randomly rotated target, orthogonal init with a target aligned to the initial product (Saxe's
    decoupled initial conditions), and scaled Gaussian init with the rotated target."""
    n_lr = len(LRS)
    lr = np.repeat(LRS, DEPTH_SEEDS)
    out = {k: np.empty((BLOCKS, len(DEPTH_LIST))) for k in ("rotated", "aligned", "gaussian")}
    best = {k: np.empty((BLOCKS, len(DEPTH_LIST))) for k in out}
    for b in range(BLOCKS):
        g = rng(DEPTHS, b)
        M = _target(g, n_lr * DEPTH_SEEDS)
        orth = haar_orthogonal(g, (n_lr * DEPTH_SEEDS, max(DEPTH_LIST)), WIDTH)
        gauss = g.normal(0, 1 / np.sqrt(WIDTH), orth.shape)
        V = haar_orthogonal(g, (n_lr * DEPTH_SEEDS,), WIDTH)
        for j, L in enumerate(DEPTH_LIST):
            P0 = orth[:, 0]
            for i in range(1, L):
                P0 = orth[:, i] @ P0
            aligned = P0 @ V @ np.diag(np.linspace(0.5, 2.0, WIDTH)) @ V.mT  # same singular vectors as P0
            for name, W0, Mk in (("rotated", orth, M), ("aligned", orth, aligned), ("gaussian", gauss, M)):
                if name == "gaussian" and L > GAUSS_MAX_DEPTH:
                    out[name][b, j] = best[name][b, j] = np.nan  # not run: capped from depth 8 on
                    continue
                t = np.median(_steps_to_target(W0[:, :L], Mk, lr, n_lr).reshape(n_lr, DEPTH_SEEDS), 1)
                out[name][b, j], best[name][b, j] = t.min(), LRS[int(np.argmin(t))]
    return out, best


@claim(
    "deep.saxe-depth",
    "With a target aligned to the initial product (Saxe et al.'s decoupled initial conditions), "
    "orthogonal init reaches 1% loss in the same number of steps at every depth from 2 to 32 in "
    "every block, with the best learning rate 0.8/L. With a randomly rotated target, depth 4 takes "
    "more than 1.5x as long as depth 2 in every block; scaled Gaussian init does not reach 1% loss "
    "within 400 steps at depth 8 in any block, where orthogonal init does in most blocks.",
)
def saxe_depth():
    t, best = _depth_scan()
    a, r, gs = t["aligned"], t["rotated"], t["gaussian"]
    j8 = DEPTH_LIST.index(8)
    L = np.array(DEPTH_LIST)
    return {
        "aligned_ratio": float(a.max() / a.min()),
        "aligned_steps": float(np.median(a)),
        "aligned_lr_times_depth_max": float((best["aligned"] * L).max()),
        "aligned_lr_times_depth_min": float((best["aligned"] * L).min()),
        **blockwise(r[:, 1] / r[:, 0], "rotated_2_to_4"),
        **blockwise(r[:, 0], "rotated_t2"),
        **blockwise(r[:, 1], "rotated_t4"),
        **blockwise(gs[:, 0], "gauss_t2"),
        "gauss_8_capped": bool(np.isinf(gs[:, j8]).all()),
        "orth_8_finished_rate": float(np.isfinite(r[:, j8]).mean()),
        "cap": CAP,
        "blocks": BLOCKS,
    }


@table("deep/saxe-table", caption="Saxe, McClelland & Ganguli (2014) next to our reproduction.")
def saxe_table():
    h, d = saxe_half_times(), saxe_depth()
    head = ["quantity", "paper", "where", "ours", "verdict"]
    rows = [
        [
            "time for mode strength u: u₀ → s/2",
            "τ/(2s) ln[u_f(s−u₀)/(u₀(s−u_f))]",
            "eq. 11",
            f"max error {h['max_rel_err']:.1%} over {h['seeds']} seeds × 4 modes",
            "agrees",
        ],
        ["order of learning", "stronger modes first", "§1.3", "strongest first on every seed", "agrees"],
        [
            "learning time vs depth, orthogonal, decoupled (aligned) target",
            "depth independent",
            "Fig. 6A, §3",
            f"{d['aligned_steps']:.0f} steps at every depth 2–32; best rate 0.8/L",
            "agrees",
        ],
        [
            "same, target rotated against the initial product",
            "(outside the analysis)",
            "",
            f"depth 4 / depth 2: {d['rotated_2_to_4']:.1f} ({d['rotated_2_to_4_min']:.1f}–"
            f"{d['rotated_2_to_4_max']:.1f})",
            "differs: rotated target",
        ],
        [
            "learning time vs depth, scaled Gaussian",
            "grows with depth",
            "Fig. 6A",
            f"> {CAP} steps from depth 8 (depth 2: {d['gauss_t2']:.0f})",
            "agrees",
        ],
    ]
    return head, rows


@figure(
    "deep/saxe-modes",
    alt="Mode strengths of a one-hidden-layer linear network over training: each of four modes "
    "follows a sigmoid, the strongest rises first, and the dashed closed-form curves lie on the "
    "simulated ones.",
    caption="Saxe et al.'s mode dynamics: the four input-output modes (s = 3, 2, 1, 0.5) of one seed, "
    "simulated (solid) against their eq. 12 (dashed).",
)
def fig_saxe_modes():
    traj, u0, _, _ = _modes()
    fig, ax = new_figure(1, 1, width=4.8, height=3.2)
    t = np.arange(1, traj.shape[0] + 1)
    tau = 1 / LR
    styles = ("-", "--", "-.", ":")
    for i, s in enumerate(S):
        ax.plot(t[::10], traj[::10, 0, i], color=COLORS[i], ls=styles[i], lw=2)
        u = s * np.exp(2 * s * t / tau) / (np.exp(2 * s * t / tau) - 1 + s / u0[0, i])
        ax.plot(t[::20], u[::20], "k.", ms=2)
        ax.annotate(rf"$s={s:g}$", (t[-1], s), xytext=(-4, 3), textcoords="offset points", ha="right")
    ax.set_xlabel("step")
    ax.set_ylabel(r"mode strength $u$")
    return fig


@figure(
    "deep/saxe",
    alt="Left: steps to 1% loss against depth on log axes: orthogonal init with an aligned target "
    "is flat at 2 steps, orthogonal with a rotated target rises from depth 2 to 4 and then more "
    "slowly, scaled Gaussian init hits the step cap from depth 8. Right: the best learning rate "
    "against depth falls as 0.8/L for the aligned target.",
    caption="Saxe et al. in a width-16 deep linear net. Left: steps to 1% loss with the best of 7 "
    "learning rates per depth (median over seed blocks, bars: range); the dotted line is the step "
    "cap. Right: the best learning rate against depth, with the line 0.8/L.",
)
def fig_saxe():
    t, best = _depth_scan()
    fig, (a0, a1) = new_figure(1, 2, width=6.0, height=3.2)
    L = np.array(DEPTH_LIST)
    marks = {"aligned": ("o", "-"), "rotated": ("s", "--"), "gaussian": ("^", ":")}
    for i, (name, label) in enumerate(
        (("aligned", "orthogonal, aligned"), ("rotated", "orthogonal, rotated"), ("gaussian", "Gaussian"))
    ):
        v = np.minimum(t[name], CAP)
        ok = ~np.isnan(v).any(0)
        med = np.median(v[:, ok], 0)
        a0.errorbar(
            L[ok],
            med,
            yerr=[med - v[:, ok].min(0), v[:, ok].max(0) - med],
            marker=marks[name][0],
            ls=marks[name][1],
            color=COLORS[i],
            label=label,
            capsize=2,
        )
        if name != "gaussian":
            a1.plot(L, np.median(best[name], 0), marker=marks[name][0], ls=marks[name][1], color=COLORS[i])
    a0.axhline(CAP, color=COLORS[6], ls=":", lw=1)
    a1.plot(L, 0.8 / L, color=COLORS[6], lw=1, ls=":")
    a1.annotate(r"$0.8/L$", (L[-2], 0.8 / L[-2]), xytext=(4, 4), textcoords="offset points")
    for ax in (a0, a1):
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xticks(L, [str(x) for x in L])
        ax.minorticks_off()
        ax.set_xlabel(r"depth $L$")
    a0.set_ylabel("steps to 1% loss")
    a1.set_ylabel("best learning rate")
    a0.legend(fontsize=8, loc="center right")
    return fig
