"""Claims of architectures#normalization and #lsuv (snippets/architectures/normalization.py)."""

import pytest

from snippets.architectures import normalization as m


@pytest.mark.claim(
    "architectures.norm-widens-range",
    survives={
        k: "grid-valued (powers of 2 of the multiplier): the tested statement is the width ratio of the two bands"
        for k in (
            "decades_norm x1.2",
            "decades_plain x0.8",
            "min_gain_norm x1.2",
            "min_gain_norm x0.8",
            "max_gain_norm x1.2",
            "max_gain_norm x0.8",
            "min_gain_plain x1.2",
            "min_gain_plain x0.8",
        )
    },
)
def test_norm_widens_range():
    v = m.norm_widens()
    assert v["decades_norm"] >= 2 * v["decades_plain"] > 0


@pytest.mark.claim(
    "architectures.lsuv-unit-variance",
    survives={
        "relu_max_passes x1.2": "an upper bound (at most 3 passes)",
        "relu_max_passes x0.8": "an upper bound",
    },
)
def test_lsuv_unit_variance():
    v = m.lsuv_unit()
    for act in ("relu", "tanh"):
        assert 0.9 <= v[f"{act}_min_var"] and v[f"{act}_max_var"] <= 1.1  # all 20 seeds, every layer
        assert v[f"{act}_max_passes"] <= 3
        assert 0.9 <= v[f"{act}_fresh_median_min"] and v[f"{act}_fresh_median_max"] <= 1.1


@pytest.mark.claim(
    "architectures.lsuv-training",
    settings=("lnC",),
    survives={
        k: "an upper bound (below half of ln C): any lower loss satisfies it"
        for k in (
            "relu_lsuv x0.8",
            "relu_formula x0.8",
            "tanh_lsuv x0.8",
            "tanh_formula x0.8",
            "relu_lsuv x1.2",
            "tanh_lsuv x1.2",
        )
    },
)
def test_lsuv_training():
    v = m.lsuv_training()
    half = 0.5 * v["lnC"]
    for act in ("relu", "tanh"):
        assert v[f"{act}_lsuv_max"] < half and v[f"{act}_formula_max"] < half  # every block
        assert v[f"{act}_small_min"] > 0.99 * v["lnC"]  # small Gaussian: stays above 99% of ln C
        assert v[f"{act}_small_max"] < 1.01 * v["lnC"]  # ... that is, at ln C
