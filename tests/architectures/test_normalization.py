"""Claims of architectures#normalization and #lsuv (snippets/architectures/normalization.py)."""

import pytest

from snippets.architectures import normalization as m


@pytest.mark.claim("architectures.norm-widens-range")
def test_norm_widens_range():
    v = m.norm_widens()
    assert v["decades_norm"] >= 2 * v["decades_plain"] > 0


@pytest.mark.claim("architectures.lsuv-unit-variance")
def test_lsuv_unit_variance():
    v = m.lsuv_unit()
    for act in ("relu", "tanh"):
        assert 0.9 <= v[f"{act}_min_var"] and v[f"{act}_max_var"] <= 1.1  # all 20 seeds, every layer
        assert v[f"{act}_max_passes"] <= 3
        assert 0.9 <= v[f"{act}_fresh_median_min"] and v[f"{act}_fresh_median_max"] <= 1.1


@pytest.mark.claim("architectures.lsuv-training")
def test_lsuv_training():
    v = m.lsuv_training()
    half = 0.5 * v["lnC"]
    for act in ("relu", "tanh"):
        assert v[f"{act}_lsuv_max"] < half and v[f"{act}_formula_max"] < half  # every block
        assert v[f"{act}_small_min"] > 0.99 * v["lnC"]  # small Gaussian: stays above 99% of ln C
