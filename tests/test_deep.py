"""Claims of docs/deep.md; thresholds are the ones stated in each claim's sentence."""

import pytest

import snippets.deep as d


@pytest.mark.claim("deep.glorot-backprop-shrinks")
def test_glorot_backprop_shrinks():
    r = d.glorot_backprop_ratio()
    assert r["standard_max"] < 1 / 4  # shrinks by more than 4x on every seed
    assert r["normalized_min"] > 1 / 4  # less than 4x on every seed


@pytest.mark.claim("deep.glorot-weightgrad-level")
def test_glorot_weightgrad_level():
    r = d.glorot_weightgrad_spread()
    assert r["standard"] < 2 and r["normalized"] < 2


@pytest.mark.claim("deep.glorot-no-loss-advantage")
def test_glorot_no_loss_advantage():
    assert d.glorot_lower_loss()["win_rate"] < 0.5


@pytest.mark.claim("deep.he-output-scale")
def test_he_output_scale():
    r = d.he_output_scale()
    assert abs(r["xavier_mean"] + 15) < 0.5
    assert abs(r["he_mean"]) < 0.5


@pytest.mark.claim("deep.he-30-layer")
def test_he_30_layer():
    r = d.he_30_layer()
    assert r["xavier_success"] == 0.0
    assert r["xavier_max"] <= r["chance"] + 0.02  # stays at the majority-class rate
    assert r["he_success"] > 0.5  # "most" seeds


@pytest.mark.claim("deep.he-shallow-both")
def test_he_shallow_both():
    r = d.he_shallow()
    assert r["xavier_success"] == 1.0 and r["he_success"] == 1.0


@pytest.mark.claim("deep.he-factor-half")
def test_he_factor_half():
    r = d.he_factor_half()
    assert abs(r["gain_xavier"] / 0.5 - 1) < 0.1
    assert abs(r["gain_he"] - 1) < 0.1


@pytest.mark.claim("deep.he-fan-out")
def test_he_fan_out():
    r = d.he_fan_out()
    assert abs(r["fwd_fan_in"]) < 0.5 and abs(r["bwd_fan_out"]) < 0.5
    assert abs(r["fwd_fan_out"] - r["pred_fwd_fan_out"]) < 0.5
    assert abs(r["bwd_fan_in"] - r["pred_bwd_fan_in"]) < 0.5


@pytest.mark.claim("deep.saxe-half-times")
def test_saxe_half_times():
    r = d.saxe_half_times()
    assert r["max_rel_err"] < 0.10
    assert r["strongest_first"]


@pytest.mark.claim("deep.saxe-depth")
def test_saxe_depth():
    r = d.saxe_depth()
    assert r["orth_ratio_4_32"] < 3
    assert r["orth_2_to_4"] > 3
    assert r["gauss_min_slowdown_from_8"] >= 10


@pytest.mark.claim("deep.meanfield-maps")
def test_meanfield_maps():
    r = d.meanfield_maps()
    assert r["q_rel_err"] < 0.05 and r["c_abs_err"] < 0.03


@pytest.mark.claim("deep.meanfield-xi-c")
def test_meanfield_xi_c():
    assert d.meanfield_xi_c()["rel_err"] < 0.15


@pytest.mark.claim("deep.meanfield-critical")
def test_meanfield_critical():
    r = d.meanfield_critical()
    assert r["xi_c_at"] > 1000
    assert r["xi_c_below"] < 1000 and r["xi_c_above"] < 1000
    # chi1 = 1 there, by construction of the bisection
    sw2 = r["sw2"]
    assert abs(float(d.chi1(sw2, d.q_star(sw2, d.MF_SB2))) - 1) < 1e-6


@pytest.mark.claim("deep.lecun-near-critical")
def test_lecun_near_critical():
    r = d.lecun_near_critical()
    assert abs(r["sw2_equiv"] - 1.309) < 1e-3
    assert abs(r["chi1"] - 1) < 0.05


@pytest.mark.claim("deep.pennington-isometry")
def test_pennington_isometry():
    r = d.pennington_isometry()
    assert r["tanh_orth_min"] >= 0.9
    assert r["tanh_gauss_32"] < 0.5 and r["relu_orth_32"] < 0.5


@pytest.mark.claim("deep.pennington-variance")
def test_pennington_variance():
    r = d.pennington_variance()
    for k in ("tanh_orthogonal", "tanh_gaussian", "relu_orthogonal", "relu_gaussian"):
        assert r[f"{k}_upto8"] < 0.25, k
    assert r["tanh_orthogonal_all"] < 0.25 and r["tanh_gaussian_all"] < 0.25
    assert r["relu_orthogonal_all"] >= 0.25 or r["relu_gaussian_all"] >= 0.25


@pytest.mark.claim("deep.trainability-6xi")
def test_trainability_6xi():
    r = d.trainability_6xi()
    assert r["beyond_rate"] < 0.1  # fewer than 1 in 10 cells deeper than 6 xi_c train
    assert r["within_rate"] > 0.5  # more than half of the cells below 6 xi_c train
