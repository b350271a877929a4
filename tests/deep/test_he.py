"""Claims of docs/deep.md#he-2015."""

import pytest

from snippets.deep import he


@pytest.mark.claim("deep.he-output-scale", settings=("seeds", "blocks"))
def test_he_output_scale():
    r = he.he_output_scale()
    assert r["diff_max_err"] < 1e-9  # Xavier - He = -15 exactly, on every seed
    assert r["bias_max"] < 0  # the finite-width bias is negative in every block
    assert abs(r["bias_pred"] - he.finite_width_bias(30, 64)) < 1e-12 and abs(r["bias_pred"] + 0.83) < 0.01
    assert abs(r["bias"] - r["bias_pred"]) < 0.25  # median over blocks near the estimate
    assert abs(r["xavier_mean"] - (-14.5 + r["bias"])) < 1e-9  # Xavier = -(L-1)/2 + bias
    assert r["he_minus_bias_max_err"] < 1e-9  # He = +1/2 + the same bias


@pytest.mark.claim("deep.he-factor-half")
def test_he_factor_half():
    r = he.he_factor_half()
    assert abs(r["gain_xavier"] / 0.5 - 1) < 0.05
    assert abs(r["gain_he"] - 1) < 0.05


@pytest.mark.claim(
    "deep.he-fan-out",
    survives={
        "fwd_fan_in": "level means near 0: a tolerance of 0.15 around 0",
        "bwd_fan_out": "level means near 0: a tolerance of 0.15 around 0",
    },
)
def test_he_fan_out():
    r = he.he_fan_out()
    assert abs(r["fwd_fan_in"]) < 0.15 and abs(r["bwd_fan_out"]) < 0.15
    assert r["pred_fwd_fan_out"] == 1.0 and r["pred_bwd_fan_in"] == -1.0
    assert abs(r["fwd_fan_out"] - 1.0) < 0.15 and abs(r["bwd_fan_in"] + 1.0) < 0.15


@pytest.mark.claim(
    "deep.he-30-layer",
    settings=("seeds", "blocks", "chance"),
    survives={
        "he_rate": "a bound in the sentence (at least 90%); 100% at offsets 0, 7000, 99991, 90% at 1234",
        "he_final": "a bound in the sentence: any value on the safe side of it satisfies the sentence (below 0.95 on every seed)",
        "xavier_max_dev": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
    },
)
def test_he_30_layer():
    r = he.he_30_layer()
    assert r["he_rate"] >= 0.9  # at least 90% of the seeds learn (relative to the constant guess)
    assert r["xavier_stalled"] is True and r["xavier_max_dev"] < 0.01
    assert abs(r["constant_guess"] - he.constant_guess_loss()) < 1e-12 and r["constant_guess"] <= 1.3863


@pytest.mark.claim(
    "deep.he-shallow-both",
    settings=("blocks",),
    survives={
        "xavier_rate": "a bound in the sentence: any value on the safe side of it satisfies the sentence (most seeds)",
        "he_steps": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
        "xavier_steps": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
    },
)
def test_he_shallow_both():
    r = he.he_shallow()
    assert r["he_first_every_seed"] is True
    assert r["xavier_rate"] > 0.5 and r["he_rate"] > 0.5  # "most seeds"
    assert r["xavier_steps"] > 3 * r["he_steps"]  # the quoted medians: He several times earlier
