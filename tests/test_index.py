"""The home page quotes the chapters' claims (tested in tests/test_symmetry.py and
tests/test_scale.py); here: its figure shows the symmetry chapter's runs."""

import numpy as np
import pytest

from snippets import index, symmetry


def test_figure_draws_the_chapters_runs():
    fig = index.fig_hidden_trajectories()
    left, right = fig.axes[:2]
    tied = np.array([s[0][0, :, 0] for s in symmetry.tied_runs()["gd"]["snaps"]])
    assert np.array_equal(left.lines[0].get_ydata(), tied[:, 0])
    assert len(right.lines) == symmetry.HIDDEN
    assert (tied == tied[:, :1]).all()  # the constant-init units are one line


@pytest.mark.claim("index.scale-784")
def test_scale_784():
    v = index.scale_784()
    assert v["lecun_std"] == pytest.approx(784**-0.5)
    assert v["he_std"] == pytest.approx((2 / 784) ** 0.5)
    # 256 x 2048 samples: the second moments' sampling error is 0.2% (LeCun) to about 1.5% (He,
    # whose ReLU outputs share a mean direction); 5% is over three of those
    assert v["lecun_ratio"] == pytest.approx(1, rel=0.05)
    assert v["he_ratio"] == pytest.approx(1, rel=0.05)
