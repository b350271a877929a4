"""Claims of the width and precision section (docs/practice.md#width-precision)."""

import math
from statistics import NormalDist

import pytest

import snippets.practice.width_precision as m


@pytest.mark.claim("practice.spectral-readout")
def test_spectral_readout():
    v = m.spectral_readout()
    # random-matrix theory: ||W||_2 -> (1 + sqrt(fan_out/fan_in)) for 1/sqrt(fan_in) entries;
    # 10 x 4096 is close to the limit (measured blocks within 1.1% of it)
    assert v["ratio"] == pytest.approx(v["theory"], rel=0.03)
    assert v["theory"] == pytest.approx((1 + math.sqrt(10 / 4096)) * math.sqrt(4096 / 10), rel=1e-12)
    assert 20 < v["ratio_min"] and v["ratio_max"] < 22.5


@pytest.mark.claim("practice.unit-scaling", settings=("n",))
def test_unit_scaling():
    v = m.unit_scaling()
    assert v["same_function"] is True
    n = v["n"]
    for key, std in (("zero_scaled", 1 / 64), ("zero_unit", 1.0)):
        p = 2 * NormalDist().cdf(2**-10 / std) - 1
        assert v[key] == pytest.approx(p, abs=4 * math.sqrt(p * (1 - p) / n))
