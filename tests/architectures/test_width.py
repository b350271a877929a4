"""Claims of architectures#width (snippets/architectures/width.py)."""

import pytest

from snippets.architectures import width as m


@pytest.mark.claim("architectures.mup-exponents")
def test_mup_exponents():
    v = m.mup_exponents()
    assert v["sp_output_min"] >= 0.75  # SP grows, every block
    for k in ("mup_output", "mup_feature"):  # μP: neither grows (exponent below 0.15), every block
        assert v[f"{k}_max"] < 0.15


@pytest.mark.claim("architectures.mup-lr-transfer")
def test_mup_lr_transfer():
    v = m.mup_lr_transfer()
    assert v["sp_shift_min"] >= 4  # SP optimum falls by at least 4x, every block
    assert v["mup_shift_max"] <= v["grid_step"]  # μP: at most one grid step, every block
