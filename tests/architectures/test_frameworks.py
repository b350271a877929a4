"""Claims of architectures#framework-defaults and the decision guide (snippets/architectures/frameworks.py)."""

import math

import pytest

from snippets.architectures import frameworks as m


@pytest.mark.claim("architectures.embedding-scales-differ")
def test_embedding_scales_differ():
    v = m.embedding_scales()
    assert v["ratio"] > 10  # "more than an order of magnitude"
    assert v["ratio"] == pytest.approx(max(v[k] for k in ("torch", "keras", "flax")) / v["keras"], rel=1e-9)
    # the three measured stds are the documented formulas (N(0,1), U(±0.05), 1/sqrt(256)), within 1%
    assert v["torch"] == pytest.approx(1.0, rel=0.01)
    assert v["keras"] == pytest.approx(0.05 / math.sqrt(3), rel=0.01)
    assert v["flax"] == pytest.approx(1 / 16, rel=0.01)


@pytest.mark.claim("architectures.torch-linear-not-he")
def test_torch_linear_not_he():
    v = m.torch_linear_vs_he()
    # std 1/sqrt(3 fan_in), variance ratio 1/6 (131072 draws: sampling error ~0.3%)
    assert v["std"] == pytest.approx(1 / math.sqrt(3 * 256), rel=0.01)
    assert v["var_ratio"] == pytest.approx(1 / 6, rel=0.02)
    assert v["max_abs"] <= 1 / 16 + 1e-9
    assert v["he_std"] == pytest.approx(math.sqrt(2 / 256), rel=1e-12)


@pytest.mark.claim("architectures.torch-default-shrinks-relu")
def test_torch_default_shrinks_relu():
    v = m.torch_default_shrink()
    # "about 6 per layer": 1/(3·2) exactly in expectation; every block within 10%
    assert 1 / 6 * 0.9 < v["per_layer_factor_min"] and v["per_layer_factor_max"] < 1 / 6 * 1.1
    assert 0.9 < v["he_per_layer_min"] and v["he_per_layer_max"] < 1.1  # "He keeps it at 1"
    # "a floor of order 1/(3 fan_in)": within a factor 2 of it in every block, far above the bias-free value
    assert (
        v["bias_floor"] / 2 < v["with_bias_layer20_min"] and v["with_bias_layer20_max"] < 2 * v["bias_floor"]
    )
    assert v["no_bias_layer20_max"] < 1e-6 * v["with_bias_layer20_min"]
    assert v["bias_floor"] == pytest.approx(1 / (3 * 128), rel=1e-12)


@pytest.mark.claim(
    "architectures.recurrent-per-gate",
    survives={
        "keras_lstm_sv_min x1.2": "the smallest singular value is ~1e-4: the page quotes it as 'from about zero'",
        "keras_lstm_sv_min x0.8": "the smallest singular value is ~1e-4: the page quotes it as 'from about zero'",
        "flax_block_ortho_err x1.2": "an upper bound at float32 rounding level (4e-7 against 1e-5)",
        "flax_block_ortho_err x0.8": "an upper bound at float32 rounding level (4e-7 against 1e-5)",
    },
)
def test_recurrent_per_gate():
    v = m.recurrent_per_gate()
    # a (256, 256) block of a row-orthonormal (256, 1024) matrix: RMS singular value sqrt(1/4) = 1/2
    assert v["keras_lstm_sv_rms_min"] == pytest.approx(0.5, rel=0.02)
    assert v["keras_lstm_sv_rms_max"] == pytest.approx(0.5, rel=0.02)
    assert 0.8 < v["keras_lstm_sv_max"] < 0.95 and v["keras_lstm_sv_min"] < 0.01  # spread from ~0 to ~0.86
    assert v["keras_lstm_whole_ortho_err"] < 1e-5  # the stacked matrix is orthogonal
    assert v["keras_gru_sv_rms"] == pytest.approx(math.sqrt(1 / 3), rel=0.02)
    assert v["flax_block_ortho_err"] < 1e-5 and v["keras_simplernn_ortho_err"] < 1e-5


@pytest.mark.claim(
    "architectures.torch-encoder-clones",
    settings=("layers",),
    survives={"max_diff x1.2": "exactly zero", "max_diff x0.8": "exactly zero"},
)
def test_torch_encoder_clones():
    v = m.torch_encoder_clones()
    assert v["layers"] >= 2 and v["max_diff"] == 0.0 and v["same_object"] is False


@pytest.mark.claim("architectures.torch-transformer-xavier")
def test_torch_transformer_xavier():
    v = m.torch_transformer_xavier()
    assert v["linear1_std"] == pytest.approx(v["xavier_std"], rel=0.01)
    assert v["ratio_to_default"] == pytest.approx(1.10, abs=0.01)  # "1.10 times larger"
    assert v["in_proj_std"] == pytest.approx(v["in_proj_xavier_std"], rel=0.01)
    assert v["linear_default_std"] == pytest.approx(1 / math.sqrt(3 * 256), rel=1e-5)  # JSON keeps 6 digits
    assert v["xavier_std"] == pytest.approx(math.sqrt(2 / (256 + 1024)), rel=1e-5)


@pytest.mark.claim(
    "architectures.keras-shared-initializer",
    survives={
        k: "exactly zero"
        for k in ("shared_unseeded x1.2", "shared_unseeded x0.8", "shared_seeded x1.2", "shared_seeded x0.8")
    },
)
def test_keras_shared_initializer():
    v = m.keras_shared_initializer()
    assert v["shared_unseeded"] == 0.0 and v["shared_seeded"] == 0.0  # identical, seeded or not
    assert v["separate"] > 0.1 and v["string"] > 0.1  # different
    assert v["seed_warnings"] == 0  # "no warning about the seed"


@pytest.mark.claim("architectures.keras-3d-fans")
def test_keras_3d_fans():
    v = m.keras_3d_fans()
    assert v["std_3d"] == pytest.approx(v["conv_fans_std"], rel=0.01)
    assert v["ratio"] == pytest.approx(1 / math.sqrt(3), rel=0.01)
    assert v["std_2d"] == pytest.approx(v["glorot_2d_std"], rel=0.01)


def test_tables_render():
    for f in (
        m.tbl_framework_defaults,
        m.tbl_framework_defaults_recurrent,
        m.tbl_framework_sources,
        m.tbl_framework_traps,
        m.tbl_decision_guide,
    ):
        header, rows = f()
        assert rows and all(len(r) == len(header) for r in rows)
        assert len(header) <= 3  # fits a 1280 px page (issue 13)


def test_decision_guide_cells_are_whole_phrases():
    _, rows = m.tbl_decision_guide()
    for r in rows:
        for cell in r:
            assert cell.count("(") == cell.count(")"), cell  # nothing cut mid-phrase
