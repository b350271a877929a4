"""Symptoms readers ask about, each measured: the initial loss far from ln C, the output bias from
the class prior, deep narrow ReLU nets born dead (and the positive-bias myth), SwiGLU's gated
product, and whether init matters with Adam and with BatchNorm.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

import numpy as np

from snippets import claim, figure
from snippets._seeds import over_blocks, rng, seed_block
from snippets.practice._common import fd_grads, softmax_xent

FRAMEWORKS = Path(__file__).resolve().parents[2] / "data" / "practice_frameworks.json"
EXP_LOSS, EXP_PRIOR, EXP_DEAD, EXP_BN = 1511, 1512, 1513, 1514
BLOCKS = 5


# ------------------------------------------------------------------------------------------------
# initial loss against ln C
# ------------------------------------------------------------------------------------------------
C, D_IN, HIDDEN, BATCH = 100, 32, 256, 512
READOUTS = {
    "He": math.sqrt(2 / HIDDEN),
    "LeCun": math.sqrt(1 / HIDDEN),
    "0.01 × LeCun": 0.01 / math.sqrt(HIDDEN),
    "zero": 0.0,
}


# --8<-- [start:initial_loss]
def initial_loss(readout_std, r):
    """Loss at step 0 of a one-hidden-layer ReLU classifier (He hidden layer, zero biases)."""
    x = r.standard_normal((BATCH, D_IN))
    h = np.maximum(x @ (r.standard_normal((D_IN, HIDDEN)) * math.sqrt(2 / D_IN)), 0)
    logits = h @ (r.standard_normal((HIDDEN, C)) * readout_std)
    return float(softmax_xent(logits, r.integers(0, C, BATCH)))


# --8<-- [end:initial_loss]


@claim(
    "practice.initial-loss",
    "A He-scaled readout starts a 100-class classifier well above ln C; a zero "
    "readout starts at exactly ln C and a 0.01 × LeCun one within 0.1% of it.",
)
def initial_loss_claim():
    def measure(block):
        seeds = seed_block(block, 4)
        return {
            name: float(np.mean([initial_loss(s, rng(EXP_LOSS, seed)) for seed in seeds]))
            for name, s in READOUTS.items()
        }

    v = over_blocks(measure, BLOCKS)
    return {
        "he": v["He"],
        "he_min": v["He_min"],
        "he_max": v["He_max"],
        "lecun": v["LeCun"],
        "small": v["0.01 × LeCun"],
        "zero": v["zero"],
        "ln_c": math.log(C),
        "blocks": BLOCKS,
        "he_logit_var": 2.0,
        "lecun_logit_var": 1.0,
    }


# ------------------------------------------------------------------------------------------------
# the output bias from the class prior
# ------------------------------------------------------------------------------------------------
K, N_PRIOR, D_PRIOR, LR_PRIOR, MAX_STEPS = 10, 1000, 16, 0.5, 60


def prior_task(r):
    p = 0.5 ** np.arange(K)
    p /= p.sum()
    x = r.standard_normal((N_PRIOR, D_PRIOR))
    z = x @ (0.5 * r.standard_normal((D_PRIOR, K))) + np.log(p)
    g = r.gumbel(size=z.shape)
    return x, (z + g).argmax(1)  # a sample from softmax(z): the labels are imbalanced


def train_softmax(x, y, b0, steps):
    """Full-batch gradient descent on softmax regression from W = 0; the loss curve."""
    W, b, Y, curve = np.zeros((x.shape[1], K)), b0.copy(), np.eye(K)[y], []
    for _ in range(steps + 1):
        z = x @ W + b
        z -= z.max(1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(1, keepdims=True))
        curve.append(-(Y * logp).sum(1).mean())
        g = (np.exp(logp) - Y) / len(y)
        W -= LR_PRIOR * x.T @ g
        b -= LR_PRIOR * g.sum(0)
    return np.array(curve)


# --8<-- [start:prior_bias]
def steps_saved(r):
    """Steps a zero output bias needs to reach the loss a log-prior bias starts at."""
    x, y = prior_task(r)
    freq = np.bincount(y, minlength=K) / len(y)
    b_prior = np.log(np.maximum(freq, 1e-12))
    zero_run = train_softmax(x, y, np.zeros(K), MAX_STEPS)
    start = train_softmax(x, y, b_prior, 0)[0]
    entropy = -(freq[freq > 0] * np.log(freq[freq > 0])).sum()
    return int(np.argmax(zero_run <= start)), float(zero_run[0]), float(start), float(entropy), freq[0]


# --8<-- [end:prior_bias]


@functools.cache
def prior_blocks(first_block=0, blocks=BLOCKS):
    def measure(block):
        runs = [steps_saved(rng(EXP_PRIOR, s)) for s in seed_block(first_block + block, 8)]
        return {
            "saved": float(np.median([r[0] for r in runs])),
            "zero_start": float(np.mean([r[1] for r in runs])),
            "prior_start": float(np.mean([r[2] for r in runs])),
            "label_entropy": float(np.mean([r[3] for r in runs])),
            "top_class": float(np.mean([r[4] for r in runs])),
        }

    return over_blocks(measure, blocks)


@claim(
    "practice.prior-bias",
    "On an imbalanced 10-class task, setting the output "
    "bias to the log class frequencies starts the loss where a zero bias gets only after many steps.",
)
def prior_bias():
    v = prior_blocks()
    keys = (
        "saved",
        "saved_min",
        "saved_max",
        "zero_start",
        "prior_start",
        "label_entropy",
        "top_class",
        "blocks",
    )
    return {k: v[k] for k in keys} | {
        "ln_k": math.log(K),
        "lr": LR_PRIOR,
    }


# ------------------------------------------------------------------------------------------------
# born dead: deep narrow ReLU networks, and a positive bias
# ------------------------------------------------------------------------------------------------
WIDTHS, DEPTHS, NETS, INPUTS = (2, 3, 4, 8), (2, 5, 10, 20, 40), 400, 64


# --8<-- [start:born_dead]
def collapsed(r, width, depth, bias=0.0, nets=400):
    """Which of ``nets`` He-initialized ReLU nets give the same output for all inputs?"""
    h = r.standard_normal((nets, INPUTS, width))
    for _ in range(depth):
        W = r.standard_normal((nets, width, width)) * math.sqrt(2 / width)
        h = np.maximum(h @ W + bias, 0.0)
    spread = np.abs(h - h[:, :1]).max(axis=(1, 2))  # 0 when every input lands on one point
    return spread == 0.0


# --8<-- [end:born_dead]


@functools.cache
def born_dead_grid(first_block=0):
    def measure(block):
        out = {}
        for wi, n in enumerate(WIDTHS):
            for L in DEPTHS:
                runs = [collapsed(rng(EXP_DEAD, wi, L, s), n, L) for s in seed_block(first_block + block, 1)]
                out[f"w{n}_L{L}"] = float(np.mean(runs))
        return out

    return over_blocks(measure, BLOCKS)


@claim(
    "practice.born-dead",
    "He-initialized ReLU nets with zero biases are born dead (one output for every "
    "input) with a probability that grows with depth and shrinks with width.",
)
def born_dead():
    v = born_dead_grid()
    keys = [f"w{n}_L{L}" for n in WIDTHS for L in DEPTHS]
    return (
        {k: v[k] for k in keys}
        | {f"{k}_min": v[f"{k}_min"] for k in keys}
        | {f"{k}_max": v[f"{k}_max"] for k in keys}
        | {"blocks": BLOCKS, "nets": NETS * BLOCKS}
    )


@functools.cache
def bias_runs(first_block=0):
    def measure(block):
        s = seed_block(first_block + block, 1)[0]
        return {
            f"b{b}": float(collapsed(rng(EXP_DEAD, 99, s), 3, 20, bias=b).mean()) for b in (0.0, 0.01, 0.1)
        }

    return over_blocks(measure, BLOCKS)


@claim(
    "practice.positive-bias",
    "A small positive bias lowers the chance that a deep narrow ReLU net is born "
    "dead but does not remove it: at width 3 and depth 20 about half the nets still collapse, with 0.01 "
    "as with 0.1.",
)
def positive_bias():
    v = bias_runs()
    return {k: v[k] for k in v if k.startswith("b") and not k.endswith("per_block")} | {
        "blocks": BLOCKS,
        "nets": NETS * BLOCKS,
    }


@figure(
    "practice/born-dead",
    alt="Probability that a He-initialized ReLU network with zero biases gives the "
    "same output for every input, against depth, for widths 2, 3, 4 and 8: it rises with depth, faster "
    "for narrower networks.",
    caption="Born dead: the fraction of randomly initialized ReLU networks "
    "(He, zero biases, 64 Gaussian inputs) whose output is identical for every input, median over seed "
    "blocks with its range.",
)
def fig_born_dead():
    from snippets._style import COLORS, new_figure

    v = born_dead_grid()
    fig, ax = new_figure(width=5.2, height=3.4)
    ends = []
    for i, (n, mk, ls) in enumerate(zip(WIDTHS, "osD^", ["-", "--", "-.", ":"])):
        med = [v[f"w{n}_L{L}"] for L in DEPTHS]
        lo = [v[f"w{n}_L{L}_min"] for L in DEPTHS]
        hi = [v[f"w{n}_L{L}_max"] for L in DEPTHS]
        ax.fill_between(DEPTHS, lo, hi, color=COLORS[i], alpha=0.15, lw=0)
        ax.plot(DEPTHS, med, marker=mk, ls=ls, color=COLORS[i])
        ends.append((med[-1], n, COLORS[i]))
    ends.sort(reverse=True)  # direct labels at the right end, pushed apart where curves meet
    y_prev = 2.0
    for y, n, col in ends:
        y = min(y, y_prev - 0.09)
        y_prev = y
        ax.annotate(f"width {n}", (DEPTHS[-1] * 1.12, y), va="center", color=col, fontsize=10)
    ax.set_xscale("log")
    ax.set_xticks(DEPTHS, [str(L) for L in DEPTHS])
    ax.set_xlim(DEPTHS[0] * 0.9, DEPTHS[-1] * 2.6)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(r"depth $L$ (ReLU layers)")
    ax.set_ylabel(r"$P(\mathrm{same\ output\ for\ all\ inputs})$")
    return fig


# ------------------------------------------------------------------------------------------------
# SwiGLU's gated product
# ------------------------------------------------------------------------------------------------
def _silu(a):
    return a / (1 + np.exp(-a))


@claim(
    "practice.swiglu-moment",
    "For unit-variance independent pre-activations a and b, the SwiGLU product "
    "silu(a)·b has second moment E[silu(a)²] ≈ 0.36, against 0.5 for relu(a).",
)
def swiglu_moment():
    a = np.linspace(-12, 12, 240_001)
    pdf = np.exp(-(a**2) / 2) / math.sqrt(2 * math.pi)
    m2 = float(np.trapezoid(_silu(a) ** 2 * pdf, a))
    relu = float(np.trapezoid(np.maximum(a, 0) ** 2 * pdf, a))
    return {"silu_b": m2, "relu": relu, "ratio": m2 / relu}


# ------------------------------------------------------------------------------------------------
# init with Adam and with BatchNorm
# ------------------------------------------------------------------------------------------------
def bn_net_loss(p, x, t):
    """Linear -> BatchNorm -> ReLU -> Linear -> BatchNorm, squared error."""

    def bn(h):
        return (h - h.mean(0)) / np.sqrt(h.var(0) + 1e-5)

    return float(((bn(np.maximum(bn(x @ p["W1"]), 0) @ p["W2"]) - t) ** 2).mean())


@claim(
    "practice.bn-scale",
    "Behind BatchNorm, shrinking every weight by 10 leaves the output unchanged but "
    "(up to BatchNorm's ε) but multiplies the gradient by 10: a 100× larger relative first step for SGD, a 10× "
    "larger one for Adam.",
)
def bn_scale():
    r = rng(EXP_BN, 0)
    x, t = r.standard_normal((64, 8)), r.standard_normal((64, 8))
    p = {"W1": r.standard_normal((8, 8)) / math.sqrt(8), "W2": r.standard_normal((8, 8)) / math.sqrt(8)}
    small = {k: 0.1 * v for k, v in p.items()}
    g, gs = fd_grads(lambda q: bn_net_loss(q, x, t), p), fd_grads(lambda q: bn_net_loss(q, x, t), small)
    norm = math.sqrt(sum(float((v**2).sum()) for v in p.values()))
    grad_ratio = _norm(gs) / _norm(g)

    def rel_step(q, grad, adam):
        """|first step| / |weights|: SGD steps lr·g, Adam (bias-corrected, eps 1e-8) lr·g/(|g| + eps)."""
        step = {k: (v / (np.abs(v) + 1e-8) if adam else v) for k, v in grad.items()}
        return _norm(step) / _norm(q)

    loss0, loss_small = bn_net_loss(p, x, t), bn_net_loss(small, x, t)
    return {
        "output_same": bool(abs(loss0 - loss_small) < 0.01 * loss0),
        "grad_ratio": grad_ratio,
        "sgd_rel_ratio": rel_step(small, gs, False) / rel_step(p, g, False),
        "adam_rel_ratio": rel_step(small, gs, True) / rel_step(p, g, True),
        "weight_norm": norm,
    }


def _norm(d):
    return math.sqrt(sum(float((v**2).sum()) for v in d.values()))


# ------------------------------------------------------------------------------------------------
# framework measurements (tools/check_practice_frameworks.py)
# ------------------------------------------------------------------------------------------------
@functools.cache
def frameworks() -> dict:
    return json.loads(FRAMEWORKS.read_text(encoding="utf-8"))


@claim(
    "practice.lstm-forget",
    "PyTorch's LSTM keeps the forget gate in rows H:2H of both bias vectors; setting "
    "both to 1 gives an effective forget bias of 2.",
)
def lstm_forget():
    v = frameworks()["lstm"]
    return {
        "forget_slice_start": v["forget_slice_start"],
        "gate_one": v["gate_one_vector"],
        "gate_both": v["gate_both_vectors"],
        "sigmoid_2": 1 / (1 + math.exp(-2)),
        "hidden": v["hidden"],
    }


@claim(
    "practice.port-linear",
    "PyTorch's Linear weight U(±1/√fan_in) is Keras's and Flax's variance scaling "
    "with scale 1/3, mode fan_in, uniform distribution (measured std and bounds agree within 1%).",
)
def port_linear():
    v = frameworks()["port"]
    return {
        k: v[k]
        for k in (
            "torch_std",
            "keras_std",
            "flax_std",
            "target_std",
            "torch_max",
            "keras_max",
            "flax_max",
            "bound",
        )
    }
