"""The home page (docs/index.md) quotes the chapters' claims; it measures one number of its own.

Its one figure redraws the symmetry chapter's XOR runs (snippets/symmetry.py): the same networks,
the same steps, so the home page and the chapter can never disagree.
"""

from __future__ import annotations

import numpy as np

from snippets import claim, figure, symmetry
from snippets._seeds import rng

SCALE_784 = 1  # experiment id of rng(...)


@figure(
    "index/hidden-trajectories",
    alt="Two panels of first-layer weight trajectories of the 8 hidden units of an XOR network "
    "during 2000 steps of gradient descent. Left, constant init: all 8 units are one line. Right, "
    "random init: 8 lines that start apart and spread out.",
    caption=f"The weight from input 1 of each of the {symmetry.HIDDEN} hidden units of one XOR "
    f"network over {symmetry.STEPS} steps of gradient descent (the symmetry chapter's runs). From a "
    "constant start the units move as one; from a random start they differentiate, and the network "
    "solves XOR.",
)
def fig_hidden_trajectories():
    return symmetry.draw_trajectories(
        symmetry.tied_runs()["gd"]["snaps"], symmetry.random_runs()["snaps"], every=10
    )


@claim(
    "index.scale-784",
    "For a layer with 784 inputs, std 1/sqrt(784) (LeCun) keeps the second moment of the "
    "pre-activations equal to that of unit-variance inputs, and std sqrt(2/784) (He) does the "
    "same for the inputs of the next layer after a ReLU (within 5%).",
)
def scale_784(fan_in=784, width=2048, batch=256, seed=0):
    r = rng(SCALE_784, seed)
    x = r.standard_normal((batch, fan_in))  # unit second moment
    lecun, he = 1 / np.sqrt(fan_in), np.sqrt(2 / fan_in)
    z = x @ r.normal(0, lecun, (fan_in, width))  # pre-activations under LeCun
    a = np.maximum(x @ r.normal(0, he, (fan_in, width)), 0)  # ReLU outputs under He
    return {
        "lecun_std": float(lecun),
        "he_std": float(he),
        "lecun_ratio": float((z**2).mean()),
        "he_ratio": float((a**2).mean()),
    }
