"""The zero-init atlas: every place a modern network starts a parameter at exactly zero on purpose,
and the first training step at which each parameter's gradient is non-zero.

Each entry is a toy numpy version of the real construction (width 6, batch 16). Gradients are
central differences (:func:`snippets.practice._common.fd_grads`): a parameter that cannot reach the
loss leaves it bit-for-bit unchanged, so a structural zero measures exactly 0.0. Training is plain
gradient descent; the table records, per parameter, the first step whose gradient is non-zero.
"""

from __future__ import annotations

import numpy as np

from snippets import claim, table
from snippets._seeds import rng
from snippets.practice._common import fd_grads, layernorm

EXPERIMENT = 1501
D, B, STEPS, LR, SEEDS = 6, 16, 4, 0.1, 6
NEVER = -1  # "no non-zero gradient within STEPS steps"


def _relu(z):
    return np.maximum(z, 0.0)


def _mse(y, t):
    return float(((y - t) ** 2).mean())


# --8<-- [start:zero_pair]
def zero_pair_loss(p, x, t):
    """A residual branch whose two layers both start at zero: x + relu(x Z1) Z2."""
    return _mse(x + _relu(x @ p["Z1"]) @ p["Z2"], t)


# grad Z2 = relu(x Z1)^T g = 0 because Z1 = 0, and grad Z1 = x^T (g Z2^T * relu') = 0 because
# Z2 = 0: each zero hides the other, every step, so gradient descent never leaves the point.
# --8<-- [end:zero_pair]


def _models(r):
    """Toy versions of each construction: ``name -> (params, loss, roles)``.

    ``roles`` maps a row label to ``(param, column slice or None, init text)``.
    """
    x = r.standard_normal((B, D))
    t = np.tanh(x @ r.standard_normal((D, D)) / np.sqrt(D))

    def rand(*s):  # a LeCun-scaled draw
        return r.standard_normal(s) / np.sqrt(s[0])

    def zero(*s):
        return np.zeros(s)

    out = {}

    # LoRA on a linear layer: y = x W0 + x A B, W0 frozen, A random, B = 0 (peft layer.py:338,343)
    W0 = rand(D, D)
    out["LoRA (linear)"] = (
        {"A": rand(D, 2), "B": zero(2, D)},
        lambda p: _mse(x @ W0 + x @ p["A"] @ p["B"], t),
        {"A": ("A", None, "random"), "B": ("B", None, "0")},
    )
    # LoRA on an embedding: A = 0, B random (peft layer.py:349-350)
    tok = r.integers(0, 10, B)
    E0 = r.standard_normal((10, D))
    out["LoRA (embedding)"] = (
        {"A": zero(10, 2), "B": r.standard_normal((2, D))},
        lambda p: _mse(E0[tok] + p["A"][tok] @ p["B"], t),
        {"A": ("A", None, "0"), "B": ("B", None, "random")},
    )
    # zero readout (also the UNet's final zero_module conv): y = relu(x W1) W2 + b2
    out["zero readout"] = (
        {"W1": rand(D, D), "W2": zero(D, D), "b2": zero(1, D)},
        lambda p: _mse(_relu(x @ p["W1"]) @ p["W2"] + p["b2"], t),
        {"hidden W1": ("W1", None, "random"), "readout W2": ("W2", None, "0"), "bias b2": ("b2", None, "0")},
    )
    # zeroed residual output projection (nanochat c_proj, Fixup's last layer, zero_module in a ResBlock)
    Wout = rand(D, D)
    out["zero residual projection"] = (
        {"Wfc": rand(D, D), "Wproj": zero(D, D)},
        lambda p: _mse((x + _relu(x @ p["Wfc"]) @ p["Wproj"]) @ Wout, t),
        {"branch input Wfc": ("Wfc", None, "random"), "branch output Wproj": ("Wproj", None, "0")},
    )
    # ControlNet: frozen F(x) + Z2( F_copy(x + Z1 c) ), both zero convolutions start at 0
    c, Wb = r.standard_normal((B, D)), rand(D, D)
    out["ControlNet"] = (
        {"Z1": zero(D, D), "Wc": Wb.copy(), "Z2": zero(D, D)},
        lambda p: _mse(_relu(x @ Wb) + _relu((x + c @ p["Z1"]) @ p["Wc"]) @ p["Z2"], t),
        {
            "input zero conv Z1": ("Z1", None, "0"),
            "trainable copy": ("Wc", None, "copy of base"),
            "output zero conv Z2": ("Z2", None, "0"),
        },
    )

    # adaLN-Zero (DiT): (shift, scale, gate) = c W_ada; y = x + gate * MLP(LN(x)(1 + scale) + shift)
    def adaln(p):
        shift, scale, gate = np.split(c @ p["Wada"], 3, axis=-1)
        h = layernorm(x) * (1 + scale) + shift
        return _mse(x + gate * (_relu(h @ p["W1"]) @ p["W2"]), t)

    out["adaLN-Zero"] = (
        {"Wada": zero(D, 3 * D), "W1": rand(D, D), "W2": rand(D, D)},
        adaln,
        {
            "W_ada, shift and scale columns": ("Wada", slice(0, 2 * D), "0"),
            "W_ada, gate columns": ("Wada", slice(2 * D, 3 * D), "0"),
            "block MLP": ("W1", None, "random"),
        },
    )
    # LayerScale (CaiT): x + diag(lambda) f(x), lambda = 1e-5: small, not zero
    out["LayerScale"] = (
        {"lam": np.full((1, D), 1e-5), "W1": rand(D, D), "W2": rand(D, D)},
        lambda p: _mse(x + p["lam"] * (_relu(x @ p["W1"]) @ p["W2"]), t),
        {"lambda": ("lam", None, "1e-5"), "branch": ("W1", None, "random")},
    )
    # ReZero / SkipInit: x + alpha f(x), alpha = 0
    out["ReZero / SkipInit"] = (
        {"alpha": zero(1, 1), "W1": rand(D, D), "W2": rand(D, D)},
        lambda p: _mse(x + p["alpha"] * (_relu(x @ p["W1"]) @ p["W2"]), t),
        {"alpha": ("alpha", None, "0"), "branch": ("W1", None, "random")},
    )

    # BatchNorm zero-gamma: x + gamma * BN(f(x)) + beta, gamma = 0
    def bn0(p):
        h = _relu(x @ p["W1"]) @ p["W2"]
        hn = (h - h.mean(0)) / np.sqrt(h.var(0) + 1e-5)
        return _mse(x + p["gamma"] * hn + p["beta"], t)

    out["BatchNorm zero-γ"] = (
        {"gamma": zero(1, D), "beta": zero(1, D), "W1": rand(D, D), "W2": rand(D, D)},
        bn0,
        {"gamma": ("gamma", None, "0"), "beta": ("beta", None, "0"), "branch": ("W1", None, "random")},
    )
    # muP zero query: one attention head over 5 tokens, W_q = 0 (uniform attention at init)
    xs = r.standard_normal((B, 5, D))
    ts = np.tanh(xs @ r.standard_normal((D, D)) / np.sqrt(D))

    def attn(p):
        s = (xs @ p["Wq"]) @ (xs @ p["Wk"]).mT / D
        a = np.exp(s - s.max(-1, keepdims=True))
        a /= a.sum(-1, keepdims=True)
        return _mse(a @ (xs @ p["Wv"]), ts)

    out["μP zero query"] = (
        {"Wq": zero(D, D), "Wk": rand(D, D), "Wv": rand(D, D)},
        attn,
        {
            "query W_q": ("Wq", None, "0"),
            "key W_k": ("Wk", None, "random"),
            "value W_v": ("Wv", None, "random"),
        },
    )
    # the trap: two consecutive zero layers
    out["trap: zero, ReLU, zero"] = (
        {"Z1": zero(D, D), "Z2": zero(D, D)},
        lambda p: zero_pair_loss(p, x, t),
        {"inner Z1": ("Z1", None, "0"), "outer Z2": ("Z2", None, "0")},
    )
    return out


def first_nonzero_steps(seed: int) -> dict[tuple[str, str], int]:
    """``(model, row) -> first step (0-based) with a non-zero gradient``, or NEVER."""
    r = rng(EXPERIMENT, seed)
    first: dict[tuple[str, str], int] = {}
    for model, (params, loss, roles) in _models(r).items():
        for row in roles:
            first[(model, row)] = NEVER
        for step in range(STEPS):
            g = fd_grads(loss, params)
            for row, (name, cols, _) in roles.items():
                gi = g[name] if cols is None else g[name][:, cols]
                if first[(model, row)] == NEVER and np.any(gi != 0.0):
                    first[(model, row)] = step
            for name in params:
                params[name] -= LR * g[name]
    return first


#: What the tie-breaking argument predicts: 0 for a parameter whose own gradient has a non-zero
#: factor at init, 1 for one whose gradient passes through a zero that moves at step 0, NEVER when
#: the zero it waits for is itself waiting.
PREDICTED = {
    ("LoRA (linear)", "A"): 1,
    ("LoRA (linear)", "B"): 0,
    ("LoRA (embedding)", "A"): 0,
    ("LoRA (embedding)", "B"): 1,
    ("zero readout", "hidden W1"): 1,
    ("zero readout", "readout W2"): 0,
    ("zero readout", "bias b2"): 0,
    ("zero residual projection", "branch input Wfc"): 1,
    ("zero residual projection", "branch output Wproj"): 0,
    ("ControlNet", "input zero conv Z1"): 1,
    ("ControlNet", "trainable copy"): 1,
    ("ControlNet", "output zero conv Z2"): 0,
    ("adaLN-Zero", "W_ada, shift and scale columns"): 1,
    ("adaLN-Zero", "W_ada, gate columns"): 0,
    ("adaLN-Zero", "block MLP"): 1,
    ("LayerScale", "lambda"): 0,
    ("LayerScale", "branch"): 0,
    ("ReZero / SkipInit", "alpha"): 0,
    ("ReZero / SkipInit", "branch"): 1,
    ("BatchNorm zero-γ", "gamma"): 0,
    ("BatchNorm zero-γ", "beta"): 0,
    ("BatchNorm zero-γ", "branch"): 1,
    ("μP zero query", "query W_q"): 0,
    ("μP zero query", "key W_k"): 1,
    ("μP zero query", "value W_v"): 0,
    ("trap: zero, ReLU, zero", "inner Z1"): NEVER,
    ("trap: zero, ReLU, zero", "outer Z2"): NEVER,
}


def _all_seeds():
    return [first_nonzero_steps(s) for s in range(SEEDS)]


@claim(
    "practice.atlas-first-steps",
    "On every seed, each zero-initialized parameter's gradient becomes non-zero at the step the "
    "tie-breaking argument predicts (0 or 1), and the two consecutive zero layers never move.",
)
def atlas_first_steps():
    runs = _all_seeds()
    agree = all(run[k] == v for run in runs for k, v in PREDICTED.items())
    worst_wait = max(v for run in runs for k, v in run.items() if k[0] != "trap: zero, ReLU, zero")
    trap_moves = any(run[k] != NEVER for run in runs for k in run if k[0] == "trap: zero, ReLU, zero")
    return {
        "agree_every_seed": agree,
        "latest_step": worst_wait,
        "trap_moves": trap_moves,
        "seeds": SEEDS,
        "steps": STEPS,
    }


def _fmt_step(v):
    return "never" if v == NEVER else f"step {v}"


@table(
    "practice/atlas",
    caption=f"First gradient-descent step (0-based) at which each parameter's gradient is non-zero, "
    f"measured on toy numpy versions (width {D}, batch {B}) on {SEEDS} seeds; 'never' means not within "
    f"{STEPS} steps. Every seed gave the same step.",
)
def tbl_atlas():
    runs = _all_seeds()
    header = ["construction", "parameter", "starts at", "first non-zero gradient (measured)", "predicted"]
    rows = []
    inits = {
        (m, row): spec[2]
        for m, (_, _, roles) in _models(rng(EXPERIMENT, 0)).items()
        for row, spec in roles.items()
    }
    for (model, row), pred in PREDICTED.items():
        vals = sorted({run[(model, row)] for run in runs})
        rows.append(
            [model, row, inits[(model, row)], " / ".join(_fmt_step(v) for v in vals), _fmt_step(pred)]
        )
    return header, rows
