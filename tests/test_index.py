"""The home page quotes the chapters' claims (tested in tests/test_symmetry.py and
tests/test_scale.py); here: its figure shows the symmetry chapter's runs."""

import numpy as np

from snippets import index, symmetry


def test_figure_draws_the_chapters_runs():
    fig = index.fig_hidden_trajectories()
    left, right = fig.axes[:2]
    tied = np.array([s[0][0, :, 0] for s in symmetry.tied_runs()["gd"]["snaps"]])
    assert np.array_equal(left.lines[0].get_ydata(), tied[:, 0])
    assert len(right.lines) == symmetry.HIDDEN
    assert (tied == tied[:, :1]).all()  # the constant-init units are one line
