"""The home page's proof of the pipeline: XOR from a constant start vs a random start.

A 2-H-1 tanh network trained by full-batch gradient descent on XOR, vectorized over seeds
(arrays carry a leading seed axis). The symmetry chapter proves and extends all of this.
"""

from __future__ import annotations

import functools

import numpy as np

from snippets import claim, figure
from snippets._style import COLORS, new_figure

# --8<-- [start:train]
X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)  # the four XOR inputs
Y = np.array([0, 1, 1, 0], dtype=float)  # and their labels
SEEDS, HIDDEN, STEPS, LR = 64, 8, 3000, 1.0


def train_xor(W1, b1, w2, b2, steps=STEPS, lr=LR, record=()):
    """Full-batch gradient descent on XOR for a batch of networks.

    W1: [S, H, 2] first-layer weights, b1: [S, H], w2: [S, H] readout, b2: [S].
    Hidden units are tanh, the output a sigmoid, the loss binary cross-entropy.
    Returns the trained parameters, the loss per step [steps, S] and, at the
    steps listed in `record`, a copy of W1.
    """
    W1, b1, w2, b2 = (np.array(a, dtype=float) for a in (W1, b1, w2, b2))
    losses, snaps = np.empty((steps, len(b2))), {}
    for t in range(steps):
        if t in record:
            snaps[t] = W1.copy()
        h = np.tanh(np.einsum("shi,ni->snh", W1, X) + b1[:, None, :])  # [S, 4, H]
        p = 1 / (1 + np.exp(-(h @ w2[:, :, None])[..., 0] - b2[:, None]))  # [S, 4]
        losses[t] = -np.mean(Y * np.log(p + 1e-12) + (1 - Y) * np.log(1 - p + 1e-12), axis=1)
        d_out = (p - Y) / len(Y)  # dLoss/dlogit, [S, 4]
        d_h = d_out[:, :, None] * w2[:, None, :] * (1 - h**2)  # [S, 4, H]
        W1 -= lr * np.einsum("snh,ni->shi", d_h, X)
        b1 -= lr * d_h.sum(1)
        w2 -= lr * np.einsum("sn,snh->sh", d_out, h)
        b2 -= lr * d_out.sum(1)
    return (W1, b1, w2, b2), losses, snaps


# --8<-- [end:train]


# --8<-- [start:inits]
def constant_init(seeds=SEEDS, hidden=HIDDEN, c=0.5):
    """Every weight equal to c, every bias 0: all hidden units start identical."""
    return (
        np.full((seeds, hidden, 2), c),
        np.zeros((seeds, hidden)),
        np.full((seeds, hidden), c),
        np.zeros(seeds),
    )


def random_init(seeds=SEEDS, hidden=HIDDEN, seed=0):
    """LeCun normal weights (std 1/sqrt(fan_in)), zero biases; one network per seed."""
    rng = np.random.default_rng(seed)
    return (
        rng.normal(0, 1 / np.sqrt(2), (seeds, hidden, 2)),
        np.zeros((seeds, hidden)),
        rng.normal(0, 1 / np.sqrt(hidden), (seeds, hidden)),
        np.zeros(seeds),
    )


# --8<-- [end:inits]


def accuracy(params):
    W1, b1, w2, b2 = params
    h = np.tanh(np.einsum("shi,ni->snh", W1, X) + b1[:, None, :])
    logits = (h @ w2[:, :, None])[..., 0] + b2[:, None]
    return ((logits > 0) == (Y > 0.5)).mean(axis=1)


@functools.cache
def runs():
    """Trained constant-init and random-init batches: {name: (params, losses, W1 snapshots)}."""
    record = tuple(range(0, STEPS, 25))
    return {
        name: train_xor(*init(), record=record)
        for name, init in (("constant", constant_init), ("random", random_init))
    }


@claim(
    "index.constant-stays-symmetric",
    "From a constant start, the 8 hidden units of an XOR network are still bit-identical after "
    "3000 steps of gradient descent, and the network gets at most 3 of the 4 XOR points right.",
)
def constant_stays_symmetric():
    (W1, b1, w2, _), _, _ = runs()["constant"]
    identical = bool((W1 == W1[:, :1]).all() and (b1 == b1[:, :1]).all() and (w2 == w2[:, :1]).all())
    return {
        "identical": identical,
        "max_accuracy": float(accuracy(runs()["constant"][0]).max()),
        "hidden": HIDDEN,
        "steps": STEPS,
    }


@claim(
    "index.random-solves-xor",
    "From a random (LeCun normal) start, the same network solves XOR on most seeds.",
)
def random_solves_xor():
    acc = accuracy(runs()["random"][0])
    return {"success_rate": float((acc == 1).mean()), "seeds": SEEDS}


@figure(
    "index/hidden-trajectories",
    alt="Two panels of first-layer weight trajectories of 8 hidden units during training on "
    "XOR. Left, constant init: all 8 lines lie on top of each other. Right, random init: "
    "the lines start apart and spread out.",
    caption="The first input weight of each of the 8 hidden units over training, for one "
    "network. From a constant start the units move as one; from a random start they "
    "differentiate, and the network solves XOR.",
)
def fig_hidden_trajectories():
    fig, axes = new_figure(1, 2, width=7.2, height=2.8, sharey=True)
    for ax, name in zip(axes, ("constant", "random")):
        _, _, snaps = runs()[name]
        steps = sorted(snaps)
        w = np.array([snaps[t][0, :, 0] for t in steps])  # [T, H] for seed 0
        for j in range(HIDDEN):
            ax.plot(steps, w[:, j], color=COLORS[j % len(COLORS)], lw=1.4)
        ax.set_title(f"{name} init")
        ax.set_xlabel("gradient-descent step")
    axes[0].set_ylabel("weight from input 1")
    return fig


@claim(
    "index.scale-784",
    "For a layer with 784 inputs, std 1/sqrt(784) (LeCun) keeps the second moment of the "
    "pre-activations equal to that of unit-variance inputs, and std sqrt(2/784) (He) does the "
    "same for the inputs of the next layer after a ReLU.",
)
def scale_784(fan_in=784, width=2048, batch=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, fan_in))  # unit second moment
    lecun, he = 1 / np.sqrt(fan_in), np.sqrt(2 / fan_in)
    z = x @ rng.normal(0, lecun, (fan_in, width))  # pre-activations under LeCun
    a = np.maximum(x @ rng.normal(0, he, (fan_in, width)), 0)  # ReLU outputs under He
    return {
        "lecun_std": float(lecun),
        "he_std": float(he),
        "lecun_ratio": float((z**2).mean()),
        "he_ratio": float((a**2).mean()),
    }
