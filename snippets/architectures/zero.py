"""ZerO (Zhao, Schäfer & Anandkumar 2022): deterministic init from identities and a Hadamard transform, and
the rank that the Hadamard step restores in a layer that widens."""

from __future__ import annotations

import functools

import numpy as np

from snippets import claim, figure
from snippets._style import COLORS
from snippets.architectures._common import LINES, fig_axes, mlp_grads, toy_task


# --8<-- [start:zero]
def hadamard(p):
    """Sylvester's Hadamard matrix of size p (a power of 2), entries ±1."""
    H = np.ones((1, 1))
    while H.shape[0] < p:
        H = np.block([[H, H], [H, -H]])
    return H


def zero_init(n_in, n_out, widen="hadamard"):
    """ZerO's Algorithm 1 for a weight used as x @ W (shape n_in × n_out). A layer that does not widen
    gets a partial identity; one that widens gets I·H/2^(k/2)·I (or, to compare, a partial identity)."""
    if n_out <= n_in or widen == "identity":
        return np.eye(n_in, n_out)
    k = int(np.ceil(np.log2(n_out)))
    return np.eye(n_in, 2**k) @ hadamard(2**k) / 2 ** (k / 2) @ np.eye(2**k, n_out)


# --8<-- [end:zero]

ZERO_SIZES = (16, 64, 64, 4)
ZERO_ARMS = ("hadamard", "identity")


def _rank(h):
    s = np.linalg.svd(h, compute_uv=False)
    return int((s > 1e-9 * s.max()).sum())


@functools.cache
def zero_experiment(steps=200, lr=0.1):  # deterministic init: only the data depend on SEED_OFFSET
    """Ranks of each hidden layer's activations (256 inputs) at init and after training, and the loss curves."""
    X, Y = toy_task()
    out = {}
    for arm in ZERO_ARMS:
        Ws = [zero_init(a, b, arm)[None] for a, b in zip(ZERO_SIZES[:-1], ZERO_SIZES[1:])]
        bs = [None] * len(Ws)
        ranks, curve = [], []
        for t in range(steps + 1):
            loss, gWs, _, cache = mlp_grads(Ws, bs, X, Y)
            curve.append(float(loss[0]))
            if t in (0, steps):
                ranks.append([_rank(c[4][0]) for c in cache[:-1]])  # hidden activations
            Ws = [W - lr * gW for W, gW in zip(Ws, gWs)]
        out[arm] = {"ranks_init": ranks[0], "ranks_trained": ranks[1], "curve": np.array(curve)}
    return out


@claim(
    "architectures.zero-rank",
    "In a 16-64-64-4 ReLU MLP initialised by ZerO's rule, both hidden layers start at rank 16 (the input "
    "dimension) on 256 inputs, with the Hadamard transform or a partial identity in the widening layer; after 200 "
    "gradient steps the Hadamard version has rank 20 = 16 + C, the partial identity still exactly 16.",
)
def zero_rank():
    r = zero_experiment()
    h, i = r["hadamard"], r["identity"]
    return {
        "hadamard_rank_init": min(h["ranks_init"]),
        "hadamard_rank_trained": min(h["ranks_trained"]),
        "identity_rank_init": max(i["ranks_init"]),
        "identity_rank_trained": max(i["ranks_trained"]),
        "hadamard_final_loss": float(h["curve"][-1]),
        "identity_final_loss": float(i["curve"][-1]),
        "hadamard_entry": float(abs(zero_init(16, 64)).max()),
        "distinct_units": len({tuple(c) for c in zero_init(16, 64).T}),
        "classes": 4,
        "input_dim": ZERO_SIZES[0],
        "width": ZERO_SIZES[1],
    }


@figure(
    "architectures/zero",
    alt="Training loss against step for a 16-64-64-4 ReLU MLP initialised by ZerO with the Hadamard transform "
    "and with a partial identity in the widening layer; the identity run "
    "is slower at first. Labels give the rank of the hidden layers after training: 20 against 16.",
    caption="ZerO's Hadamard step against a partial identity in the widening layer 16 → 64 (full-batch gradient "
    "descent, learning rate 0.1; no random numbers in the init). Labels: rank of the hidden activations.",
)
def fig_zero():
    r = zero_experiment()
    fig, ax = fig_axes(height=3.0)
    for arm, c, ls, dy in zip(ZERO_ARMS, COLORS, LINES, (-18, 12)):
        v = r[arm]["curve"]
        ax.plot(np.arange(v.shape[0]), v, color=c, ls=ls)
        x = v.shape[0] // 2
        ax.annotate(
            f"{arm}: rank {min(r[arm]['ranks_trained'])}",
            (x, v[x]),
            xytext=(0, dy),
            textcoords="offset points",
            ha="left",
            color=c,
        )
    ax.axhline(np.log(4), color=COLORS[6], ls=":", lw=1)
    ax.set_xlabel("step")
    ax.set_ylabel("training loss")
    return fig
