"""Claims of docs/deep.md#glorot-2010; thresholds are the ones each sentence states."""

import pytest

from snippets.deep import glorot


@pytest.mark.claim("deep.glorot-backprop-shrinks", settings=("seeds", "blocks"))
def test_glorot_backprop_shrinks():
    r = glorot.glorot_backprop_ratio()
    assert r["standard_worst"] < 1 / 4  # more than 4x on every seed of every block
    assert r["normalized_worst"] > 1 / 4  # less than 4x on every seed
    # the quoted medians: the linear theory (eq. 13-15) gives (1/3)^2 = 0.11 and 1; tanh's slope
    # below 1 lowers both; bands from the block medians at offsets 0, 7000, 1234, 99991
    assert 0.07 < r["standard"] < 0.10
    assert 0.45 < r["normalized"] < 0.60


@pytest.mark.claim(
    "deep.glorot-weightgrad-level",
    survives={
        "standard": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
        "normalized x0.8": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
    },
)
def test_glorot_weightgrad_level():
    r = glorot.glorot_weightgrad_spread()
    assert 1 < r["standard"] < 2 and 1 < r["normalized"] < 2  # within a factor 2 on every seed


@pytest.mark.claim(
    "deep.glorot-train-loss",
    settings=("seeds", "blocks"),
    survives={
        "standard": "the medians move with the data set, which SEED_OFFSET redraws: 0.32-0.39 over 4 offsets",
        "normalized": "the medians move with the data set, which SEED_OFFSET redraws: 0.087-0.110 over 4 offsets",
    },
)
def test_glorot_train_loss():
    r = glorot.glorot_train_loss()
    assert r["every_seed"] is True
    # the quoted medians; bands from the block medians at offsets 0, 7000, 1234, 99991
    assert 0.25 < r["standard"] < 0.45 and 0.06 < r["normalized"] < 0.13
    assert 2.8 < r["ratio"] < 5


@pytest.mark.claim(
    "deep.glorot-test-error",
    settings=("blocks",),
    survives={
        "standard": "quoted for context; the sentence claims only the comparison",
        "normalized": "quoted for context; the sentence claims only the comparison",
        "normalized_lower_rate": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
    },
)
def test_glorot_test_error():
    r = glorot.glorot_test_error()
    assert r["normalized_lower_rate"] < 0.5  # lower on fewer than half of the seeds
    assert r["max_block_gap"] < 0.05  # block medians within 5 points of each other
