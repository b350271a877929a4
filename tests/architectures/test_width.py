"""Claims of architectures#width (snippets/architectures/width.py)."""

import pytest

from snippets.architectures import width as m


@pytest.mark.claim(
    "architectures.mup-exponents",
    survives={
        "sp_output x1.2": "a lower bound (a ≥ 0.75)",
        "sp_feature x1.2": "quoted for context; the sentence bounds the output exponent",
        "sp_feature x0.8": "quoted for context; the sentence bounds the output exponent",
        "mup_output x0.8": "an upper bound near zero",
        "mup_output x1.2": "an upper bound near zero (0.15)",
        "mup_feature x0.8": "an upper bound near zero",
        "mup_feature x1.2": "an upper bound near zero (0.15)",
    },
)
def test_mup_exponents():
    v = m.mup_exponents()
    assert v["sp_output_min"] >= 0.75  # SP grows, every block
    for k in ("mup_output", "mup_feature"):  # μP: neither grows (exponent below 0.15), every block
        assert v[f"{k}_max"] < 0.15


@pytest.mark.claim(
    "architectures.mup-lr-transfer",
    settings=("grid_step",),
    survives={"sp_shift x1.2": "a lower bound (at least 4x)"},
)
def test_mup_lr_transfer():
    v = m.mup_lr_transfer()
    pb = lambda k: v[f"{k}_per_block"]  # noqa: E731
    # the quoted optima are consistent with the quoted shifts, block by block
    assert pb("sp_shift") == pytest.approx([a / b for a, b in zip(pb("sp_best_32"), pb("sp_best_512"))])
    for a, b, s in zip(pb("mup_best_32"), pb("mup_best_512"), pb("mup_shift")):
        assert max(a, b) / min(a, b) <= s  # the quoted optima are within the quoted shift
    assert v["sp_shift_min"] >= 4  # SP optimum falls by at least 4x, every block
    assert v["mup_shift_max"] <= v["grid_step"]  # μP: at most one grid step, every block
