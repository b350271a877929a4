"""Frankle & Carbin (2019): a small lottery-ticket experiment on the teacher task."""

from __future__ import annotations

import functools

# --8<-- [start:imports]
import numpy as np

# --8<-- [end:imports]
from snippets import claim, figure, table
from snippets._seeds import rng
from snippets._style import COLORS, new_figure
from snippets.deep._common import BLOCKS, blockwise, teacher_task, train

KEY = 80
SIZES = [32, 100, 100, 4]
SEEDS, STEPS, LR, BATCH, EVERY = 2, 1000, 0.02, 32, 50  # seeds per block
KEEP = 0.05  # fraction of weights kept in the hidden layers (the output layer keeps twice as many)


def he_normal(g, seeds):
    return [
        (g.normal(size=(seeds, a, b)) * np.sqrt(2 / a)).astype(np.float32)
        for a, b in zip(SIZES[:-1], SIZES[1:])
    ]


# --8<-- [start:prune]
def magnitude_masks(Ws, keep):
    """Keep the largest-magnitude fraction ``keep`` of each layer's trained weights (the output
    layer keeps 2 keep, as in the paper); Ws: [runs, n_in, n_out] per layer."""
    masks = []
    for i, W in enumerate(Ws):
        k = keep if i < len(Ws) - 1 else min(1.0, 2 * keep)
        a = np.abs(W).reshape(len(W), -1)
        thr = np.quantile(a, 1 - k, axis=1)[:, None, None]
        masks.append((np.abs(W) >= thr).astype(W.dtype))
    return masks


# --8<-- [end:prune]


def _zeros(runs):
    return [np.zeros((runs, 1, b), np.float32) for b in SIZES[1:]]


@functools.cache
def _lottery():
    """Train dense from theta_0, prune to KEEP, retrain the mask from theta_0 (the ticket) and from
    a fresh draw of the same distribution (re-randomized), with the same batches."""
    data = teacher_task()
    runs = BLOCKS * SEEDS
    theta0 = [np.concatenate(x) for x in zip(*(he_normal(rng(KEY, b), SEEDS) for b in range(BLOCKS)))]
    fresh = [np.concatenate(x) for x in zip(*(he_normal(rng(KEY, b, 2), SEEDS) for b in range(BLOCKS)))]
    batches = [rng(KEY, b, 1) for b in range(BLOCKS)]
    dense = [w.copy() for w in theta0]
    _, dense_acc, _ = train(dense, _zeros(runs), data, "relu", LR, STEPS, batches, BATCH, 0.9)
    masks = magnitude_masks(dense, KEEP)
    out = {"dense_acc": dense_acc}
    for name, start in (("ticket", theta0), ("reinit", fresh)):
        batches = [rng(KEY, b, 1) for b in range(BLOCKS)]
        Ws = [w * m for w, m in zip(start, masks)]
        _, acc, curve = train(
            Ws, _zeros(runs), data, "relu", LR, STEPS, batches, BATCH, 0.9, every=EVERY, masks=masks
        )
        out[name] = {"acc": acc.reshape(BLOCKS, SEEDS), "curve": curve.reshape(-1, BLOCKS, SEEDS)}
    return out


@claim(
    "deep.frankle-ticket",
    "With 5% of the hidden weights kept, the winning ticket (the pruning mask with its original "
    "initial values) ends at a lower training loss than the same mask re-randomized on every seed "
    "of every block, and at a higher test accuracy on most seeds.",
)
def frankle_ticket():
    r = _lottery()
    lt, lr_ = r["ticket"]["curve"][-1], r["reinit"]["curve"][-1]
    at, ar = r["ticket"]["acc"], r["reinit"]["acc"]
    return {
        **blockwise(np.median(lt, 1), "ticket_loss"),
        **blockwise(np.median(lr_, 1), "reinit_loss"),
        **blockwise(np.median(at, 1), "ticket_acc"),
        **blockwise(np.median(ar, 1), "reinit_acc"),
        "dense_acc": float(np.median(r["dense_acc"])),
        "loss_every_seed": bool((lt < lr_).all()),
        "acc_win_rate": float((at > ar).mean()),
        "seeds": BLOCKS * SEEDS,
        "blocks": BLOCKS,
    }


@figure(
    "deep/frankle",
    alt="Training loss against step for a pruned network keeping 5% of its weights: the winning "
    "ticket, started from its original initial values, falls faster and lower than the same mask "
    "started from re-randomized values.",
    caption="Frankle & Carbin in miniature: training loss of the 5% mask started from its original "
    "initial values (the winning ticket) and from a fresh draw of the same distribution (per seed "
    "thin, median thick; same batches).",
)
def fig_frankle():
    r = _lottery()
    fig, ax = new_figure(1, 1, width=4.8, height=3.2)
    for i, (name, label, ls) in enumerate(
        (("ticket", "winning ticket", "-"), ("reinit", "re-randomized", "--"))
    ):
        c = r[name]["curve"].reshape(r[name]["curve"].shape[0], -1)
        steps = np.arange(len(c)) * EVERY
        ax.plot(steps, c, color=COLORS[i], lw=0.5, alpha=0.4)
        ax.plot(steps, np.median(c, 1), color=COLORS[i], ls=ls, lw=2.2, label=label)
    ax.set_xlabel("step")
    ax.set_ylabel("training loss")
    ax.legend()
    return fig


@table("deep/frankle-table", caption="Frankle & Carbin (2019) next to our miniature.")
def frankle_table():
    r = frankle_ticket()
    head = ["quantity", "paper", "where", "ours", "verdict"]
    return head, [
        [
            "ticket vs re-randomized, same mask",
            "re-initialized tickets learn slower and reach lower accuracy",
            "§2, Fig. 4",
            f"training loss {r['ticket_loss']:.2f} vs {r['reinit_loss']:.2f}; "
            f"test accuracy {r['ticket_acc']:.1%} vs {r['reinit_acc']:.1%}",
            "agrees",
        ],
        [
            "network, data",
            "LeNet-300-100, MNIST",
            "§2",
            "32-100-100-4 ReLU MLP, teacher task",
            "setting differs",
        ],
        ["pruning", "iterative and one-shot, by magnitude", "§2", "one-shot to 5%, by magnitude", "one-shot"],
    ]
