"""Claims of architectures#residual (snippets/architectures/residual.py)."""

import math

import pytest

from snippets.architectures import residual as m


@pytest.mark.claim(
    "architectures.resnet-variance",
    survives={
        "plain_L16 x1.2": "illustrative; the sentence's tested statement is the per-block factor",
        "plain_L16 x0.8": "illustrative; the sentence's tested statement is the per-block factor",
        "fixup_max_dev x1.2": "exactly zero",
        "fixup_max_dev x0.8": "exactly zero",
    },
)
def test_resnet_variance():
    v = m.resnet_variance()
    assert v["plain_per_block"] == pytest.approx(3.0, rel=0.1)  # "triples ... within 10%"
    assert math.e**2 / 1.2 < v["sqrtL_max"] < 1.1 * math.e**2  # levels off near e², never above 1.1·e²
    assert v["fixup_max_dev"] == 0.0 and v["zero_gamma_max_dev"] == 0.0  # exactly 1


@pytest.mark.claim(
    "architectures.resnet-training",
    survives={"plain_success x1.2": "exactly zero", "plain_success x0.8": "exactly zero"},
)
def test_resnet_training():
    v = m.resnet_training()
    assert v["plain_success"] < 0.5  # "diverges or stalls in most seeds"
    for k in ("sqrtL", "fixup", "zero_gamma"):
        assert v[f"{k}_success"] == 1.0  # "in every seed"


@pytest.mark.claim(
    "architectures.fixup-depth",
    survives={
        "fixup_slope x1.2": "a slope near zero: ±20% of ~0 is still flat",
        "fixup_slope x0.8": "a slope near zero: ±20% of ~0 is still flat",
        "ratio_L128 x1.2": "the sentence quotes the measured ratio with its block range; the test checks > 20",
        "zero_last_slope x1.2": "8 seeds per block, and the data move with the offset: medians 0.82-1.07 over 4 offsets",
        "zero_last_slope x0.8": "8 seeds per block, and the data move with the offset: medians 0.82-1.07 over 4 offsets",
    },
)
def test_fixup_depth():
    v = m.fixup_depth()
    # zero-last-only: the one-step output change grows with depth (slope well above 0 in every block, about 1)
    assert v["zero_last_slope_min"] > 0.6 and v["zero_last_slope_max"] < 1.2
    # Fixup: flat (slope within ±0.15, spread below 1.5 over 8..128 blocks) in every block
    assert max(abs(v["fixup_slope_min"]), abs(v["fixup_slope_max"])) < 0.15
    assert v["fixup_spread_max"] < 1.5
    assert v["ratio_L128_min"] > 20  # "more than 20 times" at 128 blocks
