"""Claims of docs/deep.md#saxe-2014."""

import pytest

from snippets.deep import saxe


@pytest.mark.claim(
    "deep.saxe-half-times",
    settings=("seeds",),
    survives={
        "max_rel_err x0.8": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
        "median_rel_err": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
    },
)
def test_saxe_half_times():
    r = saxe.saxe_half_times()
    assert r["max_rel_err"] < 0.10
    assert r["strongest_first"] is True
    for s in ("3", "2", "1", "0.5"):  # quoted medians within 10% of eq. 11's
        assert abs(r[f"t_half_s{s}"] / r[f"theory_s{s}"] - 1) < 0.10


@pytest.mark.claim(
    "deep.saxe-depth",
    settings=("cap", "blocks"),
    survives={
        "rotated_2_to_4": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
        "orth_8_finished_rate x1.2": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
    },
)
def test_saxe_depth():
    r = saxe.saxe_depth()
    assert r["aligned_ratio"] == 1.0  # the same number of steps at every depth, every block
    assert r["aligned_lr_times_depth_min"] == r["aligned_lr_times_depth_max"] == 0.8  # best rate 0.8/L
    assert r["rotated_2_to_4_min"] > 1.5  # depth 4 more than 1.5x depth 2 in every block
    assert r["gauss_8_capped"] is True  # Gaussian: capped at depth 8 in every block
    assert r["orth_8_finished_rate"] > 0.5  # orthogonal: finished at depth 8 in most blocks
    assert r["aligned_steps"] == 2.0 and r["cap"] == 400
