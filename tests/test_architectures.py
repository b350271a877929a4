"""Claims of the page "Different networks and the magic numbers" (docs/architectures.md)."""

import math

import numpy as np
import pytest

import snippets.architectures as m


@pytest.mark.claim("architectures.embedding-scales-differ")
def test_embedding_scales_differ():
    # "more than an order of magnitude": largest / smallest default std > 10
    assert m.embedding_scales()["ratio"] > 10


@pytest.mark.claim("architectures.torch-linear-not-he")
def test_torch_linear_not_he():
    v = m.torch_linear_vs_he()
    # std 1/sqrt(3 fan_in) and variance ratio 1/6 (measured on 131072 draws: within 3%)
    assert v["std"] == pytest.approx(1 / math.sqrt(3 * 256), rel=0.03)
    assert v["var_ratio"] == pytest.approx(1 / 6, rel=0.06)
    assert v["max_abs"] <= 1 / 16 + 1e-9


@pytest.mark.claim("architectures.torch-default-shrinks-relu")
def test_torch_default_shrinks_relu():
    v = m.torch_default_shrink()
    assert v["per_layer_factor"] == pytest.approx(1 / 6, rel=0.1)  # "about 6 per layer"
    assert v["he_per_layer"] == pytest.approx(1.0, rel=0.1)  # "He keeps it at 1"
    # "a floor of order 1/(3 fan_in)": within a factor 3 of it, far above the bias-free value
    assert v["bias_floor"] / 3 < v["with_bias_layer20"] < 3 * v["bias_floor"]
    assert v["no_bias_layer20"] < 1e-6 * v["with_bias_layer20"]


@pytest.mark.claim("architectures.conv-fan-in")
def test_conv_fan_in():
    v = m.conv_fan_in()
    assert v["right_per_layer"] == pytest.approx(1.0, rel=0.1)
    assert v["wrong_per_layer"] == pytest.approx(9.0, rel=0.1)


@pytest.mark.claim("architectures.convtranspose-fan")
def test_convtranspose_fan():
    v = m.convtranspose_fan()
    # unit-variance inputs and weights: output variance = number of terms; 20 seeds x 16 ch x 10² px
    assert v["measured_terms"] == pytest.approx(v["c_in_k2_over_s2"], rel=0.05)
    assert v["torch_fan_in"] == 16 * 4 * 4 and v["c_in_k2"] / v["c_in_k2_over_s2"] == 4


@pytest.mark.claim("architectures.rnn-spectral-radius")
def test_rnn_spectral_radius():
    v = m.rnn_rates()
    for g in ("g0_9", "g1_0", "g1_1", "orthogonal"):
        assert v[f"{g}_max_rel_err"] < 0.05  # every seed: per-step rate within 5% of rho
    assert v["orth_max_dev"] < 1e-10  # "keeps it exactly" (float64)


@pytest.mark.claim("architectures.lstm-forget-bias")
def test_lstm_forget_bias():
    v = m.lstm_forget()
    assert v["ratio_1_over_0"] > 100  # "orders of magnitude" (at least two)
    assert v["ratio_2_over_1"] > 1  # "larger still"


@pytest.mark.claim("architectures.resnet-variance")
def test_resnet_variance():
    v = m.resnet_variance()
    assert v["plain_per_block"] == pytest.approx(3.0, rel=0.1)
    assert v["sqrtL_max"] < 1.1 * math.e**2
    assert v["fixup_max_dev"] == 0.0 and v["zero_gamma_max_dev"] == 0.0


@pytest.mark.claim("architectures.resnet-training")
def test_resnet_training():
    v = m.resnet_training()
    assert v["plain_success"] < 0.5  # "diverges or stalls in most seeds"
    for k in ("sqrtL", "fixup", "zero_gamma"):
        assert v[f"{k}_success"] == 1.0  # "in every seed"


@pytest.mark.claim("architectures.gpt2-residual-scaling")
def test_gpt2_residual_scaling():
    v = m.gpt2_scaling()
    assert 0.8 < v["plain_loglog_slope"] < 1.2  # "about linearly"
    assert v["scaled_spread"] < 1.5  # "within a factor 1.5 from 2 to 32 blocks"


@pytest.mark.claim("architectures.gpt2-std-vs-lecun")
def test_gpt2_std_vs_lecun():
    assert all(r < 1 for r in m.gpt2_std_vs_lecun().values())


@pytest.mark.claim("architectures.norm-widens-range")
def test_norm_widens_range():
    v = m.norm_widens()
    assert v["decades_norm"] >= 2 * v["decades_plain"] > 0


@pytest.mark.claim("architectures.mup-exponents")
def test_mup_exponents():
    v = m.mup_exponents()
    assert v["sp_output"] >= 0.75
    assert v["mup_output"] < 0.15 and v["mup_feature"] < 0.15


@pytest.mark.claim("architectures.embedding-initial-loss")
def test_embedding_initial_loss():
    v = m.embedding_initial_loss()
    assert v["torch"] > 1.5 * v["lnV"] and v["flax"] > 1.5 * v["lnV"]
    assert abs(v["keras"] / v["lnV"] - 1) < 0.1


@pytest.mark.claim("architectures.lsuv-unit-variance")
def test_lsuv_unit_variance():
    v = m.lsuv_unit()
    assert 0.9 <= v["min_var"] and v["max_var"] <= 1.1
    assert v["max_passes"] <= 3
    assert 0.9 <= v["fresh_median_min"] and v["fresh_median_max"] <= 1.1


@pytest.mark.claim("architectures.lsuv-training")
def test_lsuv_training():
    v = m.lsuv_training()
    assert v["lsuv_final"] < 0.5 * v["lnC"] and v["he_final"] < 0.5 * v["lnC"]
    assert v["pytorch_final"] > 0.9 * v["lnC"]


@pytest.mark.claim("architectures.initial-loss-check")
def test_initial_loss_check():
    v = m.initial_loss_check()
    assert v["bad_min"] > 2 * v["expected"] and v["bad_pass_rate"] == 0.0
    assert v["good_max_rel_err"] < 0.1 and v["good_pass_rate"] == 1.0


def test_diagnose_reports_every_layer():
    X, Y = m.toy_task(n=32)
    rng = np.random.default_rng(0)
    Ws = m._diag_nets(rng, m.DIAG_SIZES, "good")
    rows, check = m.diagnose(Ws, [None] * len(Ws), X, Y)
    assert [r["layer"] for r in rows] == list(range(1, len(Ws) + 1))
    assert check["expected"] == pytest.approx(math.log(4))


def test_tables_render():
    for f in (
        m.tbl_framework_defaults,
        m.tbl_framework_defaults_recurrent,
        m.tbl_decision_guide,
        m.tbl_diagnose,
    ):
        header, rows = f()
        assert rows and all(len(r) == len(header) for r in rows)
