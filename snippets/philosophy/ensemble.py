"""What else randomness buys: differently seeded networks land in different solutions, so an
ensemble of them averages out more than an ensemble of one init trained with different data
orders (Lakshminarayanan et al. 2017; Fort et al. 2019).

A 1-64-1 tanh network fits 24 noisy points of a smooth curve by minibatch SGD (batch 4). Per
seed, two ensembles of MEMBERS networks share the data: one whose members differ in their init
and their data order, one whose members share one init and differ only in their data order.
"""

from __future__ import annotations

import functools

# --8<-- [start:imports]
import numpy as np

# --8<-- [end:imports]
from snippets import claim
from snippets._seeds import over_blocks, rng

BLOCKS, PER_BLOCK = 5, 8
MEMBERS, HIDDEN, N_POINTS, BATCH, EPOCHS, LR, NOISE = 5, 64, 24, 4, 100, 0.05, 0.3
ENSEMBLE_ID = 1407
X_TEST = np.linspace(-1, 1, 201)[:, None]


def target(x):
    return np.sin(3 * x) + 0.5 * x


def init(g, runs):
    """LeCun normal weights, zero biases, for `runs` 1-HIDDEN-1 tanh networks."""
    return [
        g.standard_normal((runs, 1, HIDDEN)),
        np.zeros((runs, 1, HIDDEN)),
        g.standard_normal((runs, HIDDEN, 1)) / np.sqrt(HIDDEN),
        np.zeros((runs, 1, 1)),
    ]


def predict(p, x):
    return np.tanh(x @ p[0] + p[1]) @ p[2] + p[3]


# --8<-- [start:sgd]
def sgd(p, x, y, orders):
    """Minibatch SGD on R networks; orders [R, EPOCHS, N] is each network's data order."""
    for epoch in orders.transpose(1, 0, 2):  # [R, N]
        for idx in epoch.reshape(len(epoch), -1, BATCH).transpose(1, 0, 2):  # a batch per net
            xb, yb = x[np.arange(len(idx))[:, None], idx], y[np.arange(len(idx))[:, None], idx]
            h = np.tanh(xb @ p[0] + p[1])
            d = 2 * (h @ p[2] + p[3] - yb) / BATCH
            dh = (d @ p[2].mT) * (1 - h**2)
            grads = (xb.mT @ dh, dh.sum(-2, keepdims=True), h.mT @ d, d.sum(-2, keepdims=True))
            p = [q - LR * gq for q, gq in zip(p, grads)]
    return p


# --8<-- [end:sgd]


@functools.cache
def ensemble_runs():
    """Test MSE against the noise-free curve, [seeds, members], for both ensembles, and the
    ensembles' own test MSE [seeds]."""
    S = BLOCKS * PER_BLOCK
    xs, ys, inits, orders = [], [], [], []
    for seed in range(S):
        g = rng(ENSEMBLE_ID, seed)
        x = g.uniform(-1, 1, (N_POINTS, 1))
        xs.append(x)
        ys.append(target(x) + NOISE * g.standard_normal(x.shape))
        p = init(g, MEMBERS)  # arm "seeds": MEMBERS different inits; arm "order": the first one
        inits.append([np.concatenate([q, np.repeat(q[:1], MEMBERS, 0)]) for q in p])
        order = np.argsort(g.random((MEMBERS, EPOCHS, N_POINTS)), -1)  # the same orders in both arms
        orders.append(np.concatenate([order, order]))
    R = 2 * MEMBERS
    x, y = np.repeat(np.stack(xs), R, 0), np.repeat(np.stack(ys), R, 0)
    p = [np.concatenate([i[k] for i in inits]) for k in range(4)]
    p = sgd(p, x, y, np.concatenate(orders))
    pred = predict(p, X_TEST).reshape(S, 2, MEMBERS, -1)  # [S, arm, member, test]
    true = target(X_TEST)[:, 0]
    return {
        "member": ((pred - true) ** 2).mean(-1),  # [S, arm, member]
        "ensemble": ((pred.mean(2) - true) ** 2).mean(-1),  # [S, arm]
        "diversity": pred.var(2).mean(-1),  # [S, arm]
        "pred": pred,
    }


@claim(
    "philosophy.ensemble",
    f"In every seed block, an ensemble of {MEMBERS} differently seeded networks has between a "
    "quarter and 80% of the test error of its average member; an ensemble of one init trained "
    "with only the data order changed does about as well (test-error ratio between 0.8 and "
    "1.25), its members disagreeing 0.7 to 1.5 times as much: with batches of 4, the data "
    "order alone spreads the members.",
)
def ensemble_claim():
    r = ensemble_runs()

    def measure(b):
        s = slice(b * PER_BLOCK, (b + 1) * PER_BLOCK)
        med = lambda a: float(np.median(a[s]))  # noqa: E731
        return {
            "member": med(r["member"][:, 0].mean(-1)),
            "seeds": med(r["ensemble"][:, 0]),
            "order": med(r["ensemble"][:, 1]),
            "gain": med(r["ensemble"][:, 0] / r["member"][:, 0].mean(-1)),
            "vs_order": med(r["ensemble"][:, 0] / r["ensemble"][:, 1]),
            "diversity_ratio": med(r["diversity"][:, 1] / r["diversity"][:, 0]),
        }

    out = over_blocks(measure, BLOCKS)
    out["seeds_total"] = BLOCKS * PER_BLOCK
    return out
