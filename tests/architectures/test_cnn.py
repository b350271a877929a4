"""Claims of architectures#cnn (snippets/architectures/cnn.py)."""

import pytest

from snippets.architectures import cnn as m


@pytest.mark.claim("architectures.conv-fan-in")
def test_conv_fan_in():
    v = m.conv_fan_in()
    # median over blocks within 10% of 1 (right fan) and of k² = 9 (kernel forgotten); every block within 15%
    # (4 seeds per block: the per-block factor spreads about ±10%)
    for key, target in (("right_per_layer", 1.0), ("wrong_per_layer", 9.0)):
        assert v[key] == pytest.approx(target, rel=0.1)
        assert target * 0.85 < v[f"{key}_min"] and v[f"{key}_max"] < target * 1.15


@pytest.mark.claim("architectures.convtranspose-fan")
def test_convtranspose_fan():
    v = m.convtranspose_fan()
    # unit-variance inputs and weights: output variance = number of terms; within 5% in every block
    for k in ("measured_terms_min", "measured_terms_max"):
        assert v[k] == pytest.approx(v["c_in_k2_over_s2"], rel=0.05)
    assert v["torch_fan_in"] == 16 * 4 * 4 and v["c_in_k2"] / v["c_in_k2_over_s2"] == 4
