"""Claims of docs/index.md."""

import pytest

from snippets import index


@pytest.mark.claim("index.constant-stays-symmetric")
def test_constant_stays_symmetric():
    v = index.constant_stays_symmetric()
    assert v["identical"] is True
    # a network whose hidden units are identical computes a width-1 function, which can't fit XOR
    assert v["max_accuracy"] <= 0.75


@pytest.mark.claim("index.random-solves-xor")
def test_random_solves_xor():
    v = index.random_solves_xor()
    # "most seeds": more than half; the page quotes the measured rate
    assert v["seeds"] >= 20
    assert v["success_rate"] > 0.5


@pytest.mark.claim("index.scale-784")
def test_scale_784():
    v = index.scale_784()
    assert v["lecun_std"] == pytest.approx(784**-0.5)
    assert v["he_std"] == pytest.approx((2 / 784) ** 0.5)
    # 256 x 2048 samples: the sampling error of a second moment is far below 5%
    assert v["lecun_ratio"] == pytest.approx(1, rel=0.05)
    assert v["he_ratio"] == pytest.approx(1, rel=0.05)
