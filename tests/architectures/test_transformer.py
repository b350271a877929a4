"""Claims of architectures#transformers and #embeddings (snippets/architectures/transformer.py)."""

import math

import pytest

from snippets.architectures import transformer as m


@pytest.mark.claim(
    "architectures.gpt2-residual-scaling",
    survives={
        "plain_N2 x1.2": "illustrative start value; the tested statements are the growth rates",
        "plain_N2 x0.8": "illustrative start value; the tested statements are the growth rates",
    },
)
def test_gpt2_residual_scaling():
    v = m.gpt2_scaling()
    pb = lambda k: v[f"{k}_per_block"]  # noqa: E731
    # the quoted per-block increments are (Var − 1)/N of the quoted variances, and their ratio the tested one
    assert pb("plain_over_N_N64") == pytest.approx([(x - 1) / 64 for x in pb("plain_N64")], rel=1e-9)
    assert pb("superlinear_ratio") == pytest.approx(
        [a / b for a, b in zip(pb("plain_over_N_N64"), pb("plain_over_N_N4"))], rel=1e-9
    )
    for a, b, s in zip(pb("scaled_N2"), pb("scaled_N64"), pb("scaled_spread")):
        assert max(a, b) / min(a, b) <= s * (1 + 1e-9)
    # (Var − 1)/N larger at 64 blocks than at 4 in the median over seed blocks, as the page says (a single
    # block of 4 seeds can fall below 1: 0.93 at SEED_OFFSET=4242)
    assert v["superlinear_ratio"] > 1
    assert v["scaled_spread_max"] < 2  # "within a factor 2 from 2 to 64 blocks"
    assert v["zero_init_max_dev_max"] == 0.0  # "exactly 1"


@pytest.mark.claim(
    "architectures.gpt2-superlinear-cause",
    survives={
        "cos_1 x1.2": "a starting value; the tested statement is the rise past 0.5",
        "cos_1 x0.8": "a starting value; the tested statement is the rise past 0.5",
    },
)
def test_gpt2_superlinear_cause():
    v = m.gpt2_superlinear_cause()
    pb = lambda k: v[f"{k}_per_block"]  # noqa: E731
    assert pb("mlp_growth") == pytest.approx([a / b for a, b in zip(pb("mlp_64"), pb("mlp_4"))], rel=1e-9)
    assert pb("attn_growth") == pytest.approx([a / b for a, b in zip(pb("attn_64"), pb("attn_4"))], rel=1e-9)
    assert v["attn_growth_min"] > 1  # the attention increment grows from block 4 to 64 in every block
    assert v["attn_growth_from_1_min"] >= 2  # "at least twice" block 1's, every block
    assert pb("attn_growth_from_1") == pytest.approx(
        [a / b for a, b in zip(pb("attn_64"), pb("attn_1"))], rel=1e-9
    )
    assert 0.5 < v["mlp_growth_min"] and v["mlp_growth_max"] < 2  # MLP: less than a factor 2
    assert v["cos_64_min"] > 0.5 > v["cos_4_max"]  # tokens become more similar


@pytest.mark.claim("architectures.gpt2-std-vs-lecun")
def test_gpt2_std_vs_lecun():
    v = m.gpt2_std_vs_lecun()
    assert all(r < 1 for r in v.values())
    assert v["d768"] == pytest.approx(0.02 * math.sqrt(768))


@pytest.mark.claim("architectures.embedding-initial-loss", settings=("lnV",))
def test_embedding_initial_loss():
    v = m.embedding_initial_loss()
    assert v["torch_min"] > 1.5 * v["lnV"] and v["flax_min"] > 1.5 * v["lnV"]
    assert abs(v["keras_min"] / v["lnV"] - 1) < 0.1 and abs(v["keras_max"] / v["lnV"] - 1) < 0.1
    # large σ·d: the loss is about σ·d (σ = 1 and 1/sqrt(128) at d = 128), within 5%
    assert v["torch"] == pytest.approx(128, rel=0.05) and v["flax"] == pytest.approx(128**0.5, rel=0.05)


@pytest.mark.claim(
    "architectures.embedding-condition",
    settings=("gpt2_sigma_d", "lnV"),
    survives={"at_half_max_rel x0.8": "an upper bound (within 3%): a smaller error satisfies it"},
)
def test_embedding_condition():
    v = m.embedding_condition()
    # within 3% of ln V at σ·d = ln V / 2, every d: the self logit adds ln(1 + e^(σd)/V) = 0.7% and the other
    # logits' spread σ√d adds about σ²d/2 to the log-sum-exp, 1.2% of ln V at d = 64
    assert v["at_half_max_rel"] < 0.03
    assert v["large_max_rel_to_sd"] < 0.05  # about σ·d (within 5%) once σ·d ≥ 2 ln V
    assert v["gpt2_loss_min"] > 2 * v["lnV"] and v["gpt2_loss"] == pytest.approx(v["gpt2_sigma_d"], rel=0.05)
    assert v["gpt2_over_lnV"] == pytest.approx(2.5, abs=0.1)  # "2.5 times above ln 512"
