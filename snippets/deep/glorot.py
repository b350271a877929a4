"""Glorot & Bengio (2010): standard against normalized initialization of a 5-layer tanh net."""

from __future__ import annotations

import functools

# --8<-- [start:imports]
import numpy as np

# --8<-- [end:imports]
from snippets import claim, figure, table
from snippets._seeds import rng
from snippets._style import COLORS, new_figure
from snippets.deep._common import BLOCKS, backward, blockwise, forward, teacher_task, train, xent


# --8<-- [start:glorot_init]
def glorot_inits(sizes, seeds, g):
    """Weights for both schemes of Glorot & Bengio, shape [seeds, n_in, n_out] per layer."""
    standard, normalized = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        u = g.uniform(-1, 1, (seeds, n_in, n_out))  # one draw, two scales
        standard.append(u / np.sqrt(n_in))  # U[-1/sqrt(n), 1/sqrt(n)], their eq. 1
        normalized.append(u * np.sqrt(6 / (n_in + n_out)))  # their eq. 16
    return standard, normalized


# --8<-- [end:glorot_init]

INIT, TRAIN = 10, 11  # rng keys of the two experiments
SIZES = [32] + [100] * 5 + [4]  # 5 tanh hidden layers of 100 units, 4 classes
INIT_SEEDS = 4  # seeds per block at initialization


@functools.cache
def _init_stats():
    """Per seed and hidden layer: activation std and back-propagated gradient std at init, and
    the weight-gradient std; [blocks * seeds, 5] per quantity and init."""
    Xtr, ytr, _, _ = teacher_task()
    X, y = Xtr[:512], ytr[:512]
    out = {"standard": {}, "normalized": {}}
    for b in range(BLOCKS):
        std, nrm = glorot_inits(SIZES, INIT_SEEDS, rng(INIT, b))
        for name, Ws in (("standard", std), ("normalized", nrm)):
            bs = [np.zeros((INIT_SEEDS, 1, W.shape[-1])) for W in Ws]
            hs, acts = forward(Ws, bs, X, "tanh")
            _, _, d = xent(hs[-1], y)
            gW, _, gh = backward(Ws, hs, acts, d, "tanh")
            for key, arrs in (("acts", acts[1:6]), ("backprop", gh[:5]), ("weightgrad", gW[:5])):
                s = np.stack([a.reshape(INIT_SEEDS, -1).std(-1) for a in arrs], -1)
                out[name].setdefault(key, []).append(s)
    return {k: {q: np.concatenate(v) for q, v in d.items()} for k, d in out.items()}


def _per_block(x):
    return x.reshape(BLOCKS, -1)


@claim(
    "deep.glorot-backprop-shrinks",
    "At initialization, standard init shrinks the back-propagated gradient from layer 5 to layer 1 "
    "by more than 4x on every seed of every block; normalized init by less than 4x on every seed.",
)
def glorot_backprop_ratio():
    s = _init_stats()
    ratio = {k: s[k]["backprop"][:, 0] / s[k]["backprop"][:, 4] for k in s}  # layer 1 / layer 5
    return {
        **blockwise(np.median(_per_block(ratio["standard"]), 1), "standard"),
        **blockwise(np.median(_per_block(ratio["normalized"]), 1), "normalized"),
        "standard_worst": float(ratio["standard"].max()),
        "normalized_worst": float(ratio["normalized"].min()),
        "seeds": int(ratio["standard"].size),
        "blocks": BLOCKS,
    }


@claim(
    "deep.glorot-weightgrad-level",
    "At initialization the weight-gradient std varies across the 5 layers by less than a factor 2 "
    "under both inits, on every seed.",
)
def glorot_weightgrad_spread():
    s = _init_stats()
    out = {}
    for k in s:
        w = s[k]["weightgrad"]
        out[k] = float((w.max(-1) / w.min(-1)).max())  # worst seed
    return out


LR, BATCH, STEPS, EVERY = 0.05, 10, 3000, 150
EVAL = 512  # the training loss is measured on the first 512 training examples
TRAIN_SIZES = SIZES
TRAIN_SEEDS = 2  # seeds per block and init


@functools.cache
def _training():
    """Plain SGD (no momentum), both inits from the same uniform draws and the same batches:
    training-loss curves [evals, blocks * seeds] and final test error per init."""
    data = teacher_task()
    Ws = []
    per_block = [glorot_inits(TRAIN_SIZES, TRAIN_SEEDS, rng(TRAIN, b)) for b in range(BLOCKS)]
    for i in range(len(TRAIN_SIZES) - 1):  # runs ordered [block][init][seed]
        Ws.append(np.concatenate([np.concatenate([s[i], n[i]]) for s, n in per_block]).astype(np.float32))
    bs = [np.zeros((len(W), 1, W.shape[-1]), np.float32) for W in Ws]
    batches = [rng(TRAIN, b, 1) for b in range(BLOCKS)]
    loss, acc, curve = train(
        Ws, bs, data, "tanh", LR, STEPS, batches, BATCH, momentum=0.0, every=EVERY, n_eval=EVAL
    )
    shape = (BLOCKS, 2, TRAIN_SEEDS)
    res = {}
    for i, name in enumerate(("standard", "normalized")):
        res[name] = {
            "curve": curve.reshape(-1, *shape)[:, :, i],  # [evals, blocks, seeds]
            "test_err": (1 - acc).reshape(shape)[:, i],
            "test_loss": loss.reshape(shape)[:, i],
        }
    return res


@claim(
    "deep.glorot-train-loss",
    "Trained with plain SGD (width 100, batch 10, learning rate 0.05, 3000 steps), normalized init "
    "ends at a lower training loss than standard init on every seed of every block.",
)
def glorot_train_loss():
    r = _training()
    s, n = r["standard"]["curve"][-1], r["normalized"]["curve"][-1]  # [blocks, seeds]
    return {
        **blockwise(np.median(s, 1), "standard"),
        **blockwise(np.median(n, 1), "normalized"),
        **blockwise(np.median(s / n, 1), "ratio"),
        "every_seed": bool((n < s).all()),
        "seeds": int(s.size),
        "blocks": BLOCKS,
    }


@claim(
    "deep.glorot-test-error",
    "On held-out data normalized init keeps no advantage: its test error is lower than standard "
    "init's on fewer than half of the seeds, and the block medians differ by less than 5 points.",
)
def glorot_test_error():
    r = _training()
    s, n = r["standard"]["test_err"], r["normalized"]["test_err"]
    return {
        **blockwise(np.median(s, 1), "standard"),
        **blockwise(np.median(n, 1), "normalized"),
        "max_block_gap": float(np.abs(np.median(s, 1) - np.median(n, 1)).max()),
        "normalized_lower_rate": float((n < s).mean()),
        "blocks": BLOCKS,
    }


@table("deep/glorot-table", caption="Glorot & Bengio (2010) next to our reproduction.")
def glorot_table():
    b, t, e = glorot_backprop_ratio(), glorot_train_loss(), glorot_test_error()
    head = [
        "quantity",
        "paper: standard",
        "paper: normalized",
        "where",
        "ours: standard",
        "ours: normalized",
        "verdict",
    ]
    rows = [
        ["n·Var[W] at init", "1/3", "1 (equal widths)", "eqs. 15, 12", "0.333", "1.000", "agrees"],
        [
            "back-prop gradient std, layer 1 / layer 5",
            "decreasing",
            "level",
            "Fig. 7",
            f"{b['standard']:.3f}",
            f"{b['normalized']:.2f}",
            "agrees",
        ],
        [
            "training loss (ours: 3000 SGD steps)",
            "higher",
            "lower",
            "Fig. 11",
            f"{t['standard']:.3f}",
            f"{t['normalized']:.3f}",
            "agrees",
        ],
        ["test error, Shapeset-3×2", "27.15 %", "15.60 %", "Table 1", "", "", ""],
        ["test error, MNIST", "1.76 %", "1.64 %", "Table 1", "", "", ""],
        ["test error, CIFAR-10", "55.9 %", "52.92 %", "Table 1", "", "", ""],
        [
            "test error, our teacher task",
            "",
            "",
            "",
            f"{e['standard']:.1%}",
            f"{e['normalized']:.1%}",
            "differs: 2048 training examples",
        ],
    ]
    return head, rows


@figure(
    "deep/glorot-ratios",
    alt="Two panels for a 5-layer tanh network at initialization. Left: activation std per layer; "
    "with standard init it falls from layer 1 to layer 5, with normalized init it stays nearly level. "
    "Right: back-propagated gradient std per layer relative to layer 5; with standard init it "
    "falls about tenfold towards layer 1, with normalized init about twofold.",
    caption="Glorot & Bengio's Figs. 6 and 7 as numbers: activation std (left) and back-propagated "
    "gradient std relative to layer 5 (right) per hidden layer at initialization, median over 20 "
    "seeds, standard against normalized init.",
)
def fig_glorot_ratios():
    s = _init_stats()
    fig, (a0, a1) = new_figure(1, 2, width=6.0, height=3.0)
    layers = np.arange(1, 6)
    for i, (name, mk, ls) in enumerate((("standard", "o", "-"), ("normalized", "s", "--"))):
        a0.plot(layers, np.median(s[name]["acts"], 0), marker=mk, ls=ls, color=COLORS[i], label=name)
        rel = s[name]["backprop"] / s[name]["backprop"][:, 4:5]
        a1.plot(layers, np.median(rel, 0), marker=mk, ls=ls, color=COLORS[i])
    a1.set_yscale("log")
    for ax in (a0, a1):
        ax.set_xticks(layers)
        ax.set_xlabel(r"hidden layer $l$")
    a0.set_ylabel("activation std")
    a1.set_ylabel("back-prop std / layer 5")
    a0.legend()
    return fig


@figure(
    "deep/glorot-training",
    alt="Training loss against step for the 5-layer tanh network trained with plain SGD: the "
    "normalized init's loss falls well below the standard init's and ends several times lower.",
    caption="Glorot & Bengio's training comparison in miniature: training loss on 512 training examples, "
    "per seed (thin) and median (thick), plain SGD with learning rate 0.05 and batch 10.",
)
def fig_glorot_training():
    r = _training()
    fig, ax = new_figure(1, 1, width=4.8, height=3.2)
    for i, (name, ls) in enumerate((("standard", "-"), ("normalized", "--"))):
        c = r[name]["curve"].reshape(r[name]["curve"].shape[0], -1)
        steps = np.arange(len(c)) * EVERY
        ax.plot(steps, c, color=COLORS[i], lw=0.5, alpha=0.4)
        ax.plot(steps, np.median(c, 1), color=COLORS[i], ls=ls, lw=2.2, label=name)
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("training loss")
    ax.legend()
    return fig
