"""The home page (docs/index.md) quotes the chapters' claims; it measures nothing of its own.

Its one figure redraws the symmetry chapter's XOR runs (snippets/symmetry.py): the same networks,
the same steps, so the home page and the chapter can never disagree.
"""

from __future__ import annotations

from snippets import figure, symmetry


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
