"""Helpers shared by the parts of the architectures chapter (not a page section of its own).

Every random draw goes through :func:`snippets._seeds.rng`; experiments put seeds on a leading
array axis ``S``.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import numpy as np

from snippets._seeds import rng

DATA = Path(__file__).resolve().parents[2] / "data" / "framework_defaults.json"
TRAPS = Path(__file__).resolve().parents[2] / "data" / "framework_traps.json"
SEEDS = 20

# experiment ids: the first element of every rng key, one per experiment of the chapter
EXP = {
    name: i + 100
    for i, name in enumerate(
        (
            "toy",
            "defaults-depth",
            "conv",
            "convtranspose",
            "rnn",
            "lstm",
            "resnet-var",
            "resnet-train",
            "gpt",
            "norm",
            "mup",
            "embedding",
            "lsuv",
            "diagnose",
            "fixup",
            "zero",
            "lsuv-fresh",
            "mup-sweep",
        )
    )
}


@functools.cache
def defaults_data() -> dict:
    return json.loads(DATA.read_text())


@functools.cache
def traps_data() -> dict:
    return json.loads(TRAPS.read_text())


def orthogonal(g, n, seeds):
    """Haar-random orthogonal matrices [seeds, n, n] (QR with the sign fix) from generator ``g``."""
    q, r = np.linalg.qr(g.standard_normal((seeds, n, n)))
    return q * np.sign(np.diagonal(r, axis1=1, axis2=2))[:, None, :]


def _relu(z):
    return np.maximum(z, 0.0)


def toy_task(n=256, d=16, classes=4, seed=0):
    """A small classification task: labels of a random tanh teacher on Gaussian inputs."""
    g = rng(EXP["toy"], seed)
    X = g.standard_normal((n, d))
    teacher = np.tanh(X @ g.standard_normal((d, 32)) / np.sqrt(d)) @ g.standard_normal((32, classes))
    y = teacher.argmax(1)
    return X, np.eye(classes)[y]


def softmax_xent(logits, Y):
    """Mean cross-entropy and its gradient wrt the logits; logits [..., B, C], Y [B, C]."""
    z = logits - logits.max(-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    loss = -(Y * logp).sum(-1).mean(-1)
    grad = (np.exp(logp) - Y) / Y.shape[0]
    return loss, grad


def _layernorm(z, eps=1e-5):
    mu = z.mean(-1, keepdims=True)
    inv = 1.0 / np.sqrt(z.var(-1, keepdims=True) + eps)
    return (z - mu) * inv, inv


def _layernorm_back(g, zn, inv):
    return inv * (g - g.mean(-1, keepdims=True) - zn * (g * zn).mean(-1, keepdims=True))


def mlp_grads(Ws, bs, X, Y, act="relu", norm=False):
    """Loss [S], per-layer grads, and per-layer (pre-activation, activation) of a vectorized MLP.

    ``Ws[l]`` has shape [S, n_in, n_out], ``bs[l]`` [S, 1, n_out] or None. Hidden layers apply
    an optional parameter-free LayerNorm (gamma = 1, beta = 0) and then ``act``.
    """
    f = {"relu": _relu, "tanh": np.tanh}[act]
    h, cache = X, []
    for i, W in enumerate(Ws):
        z = h @ W + (0.0 if bs[i] is None else bs[i])
        if i == len(Ws) - 1:
            cache.append((h, z, None, None, None))
            break
        zn, inv = _layernorm(z) if norm else (z, None)
        a = f(zn)
        cache.append((h, z, zn, inv, a))
        h = a
    loss, g = softmax_xent(z, Y)
    gWs, gbs = [None] * len(Ws), [None] * len(Ws)
    for i in range(len(Ws) - 1, -1, -1):
        h, z, zn, inv, a = cache[i]
        if i < len(Ws) - 1:
            g = g * ((zn > 0) if act == "relu" else 1.0 - a**2)
            if norm:
                g = _layernorm_back(g, zn, inv)
        gWs[i] = np.swapaxes(h, -1, -2) @ g if h.ndim == 3 else np.einsum("bi,sbo->sio", h, g)
        gbs[i] = g.sum(-2, keepdims=True)
        g = g @ np.swapaxes(Ws[i], -1, -2)
    return loss, gWs, gbs, cache


def train_mlp(Ws, bs, X, Y, *, act="relu", norm=False, lr=0.1, steps=100):
    """Full-batch gradient descent; returns the loss curve [steps + 1, S] (inf where it diverged)."""
    Ws = [W.copy() for W in Ws]
    bs = [None if b is None else b.copy() for b in bs]
    curve = []
    with np.errstate(all="ignore"):
        for _ in range(steps + 1):
            loss, gWs, gbs, _ = mlp_grads(Ws, bs, X, Y, act, norm)
            curve.append(np.where(np.isfinite(loss), loss, np.inf))
            for i in range(len(Ws)):
                Ws[i] -= lr * gWs[i]
                if bs[i] is not None:
                    bs[i] -= lr * gbs[i]
    return np.array(curve)


def gaussian_layers(g, sizes, std_fn, seeds=SEEDS):
    """Weights [S, n_in, n_out] drawn N(0, std_fn(n_in, n_out)^2) for consecutive ``sizes``."""
    return [g.standard_normal((seeds, a, b)) * std_fn(a, b) for a, b in zip(sizes[:-1], sizes[1:])]


def torch_default_layers(g, sizes, seeds=SEEDS):
    """PyTorch's nn.Linear default: weights and biases U(±1/sqrt(fan_in))."""
    Ws, bs = [], []
    for a, b in zip(sizes[:-1], sizes[1:]):
        bound = 1 / np.sqrt(a)
        Ws.append(g.uniform(-bound, bound, (seeds, a, b)))
        bs.append(g.uniform(-bound, bound, (seeds, 1, b)))
    return Ws, bs


LINES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 1)))
MARKERS = "osD^vP"


def fig_axes(panels=1, height=3.0):
    """A figure sized for the ~700 px column that stays legible on a 390 px phone: one panel, or
    ``panels`` panels stacked vertically (never side by side)."""
    from snippets._style import new_figure

    return new_figure(panels, 1, width=5.0, height=height * panels)


def block_stats(per_block: list[dict]) -> dict:
    """Median, range and per-block values of each key of per-block statistics (as ``over_blocks``)."""
    out: dict = {"blocks": len(per_block)}
    for k in per_block[0]:
        v = [float(p[k]) for p in per_block]
        out.update({k: float(np.median(v)), f"{k}_min": min(v), f"{k}_max": max(v), f"{k}_per_block": v})
    return out
