"""Claims of the recipes that ship (docs/practice.md#recipes)."""

import json
import math
from statistics import NormalDist

import pytest

import snippets.practice.recipes as m


def test_every_recipe_has_a_read_source():
    data = json.loads(m.DATA.read_text(encoding="utf-8"))
    for rc in data["recipes"]:
        assert rc["sources"], rc["id"]
        for s in rc["sources"]:
            assert s["where"] and s["quote"], rc["id"]
            assert "@" in s["where"] or "transformers 5.24.0" in s["where"], s  # pinned to a commit/version


@pytest.mark.claim("practice.bloom-std")
def test_bloom_std():
    v = m.bloom_std()
    assert v["std"] == pytest.approx(0.00482197968631537, rel=1e-12)  # the README's own number
    assert v["readme_value"] == pytest.approx(math.sqrt(1 / (3 * 14336)), rel=1e-12)
    assert v["launched"] == pytest.approx(round(v["std"], 4), abs=1e-12)


@pytest.mark.claim("practice.pythia-from-config")
def test_pythia_from_config():
    v = m.pythia_from_config()
    assert v["wang"] == pytest.approx(2 / 12 / math.sqrt(768), rel=1e-12)
    assert v["hf"] == 0.02
    assert v["ratio"] == pytest.approx(0.02 * 12 * math.sqrt(768) / 2, rel=1e-12)


def _p_zero(std):
    """P(|w| < 2^-10) for w ~ N(0, std^2): the FP8-E4M3 underflow probability."""
    return 2 * NormalDist().cdf(2**-10 / std) - 1


@pytest.mark.claim("practice.fp8-underflow")
def test_fp8_underflow():
    v = m.fp8_underflow()
    n = 200_000
    for k in ("gpt2", "bloom"):
        p = _p_zero(v[f"{k}_std"])
        # 200 000 draws: binomial sd sqrt(p(1-p)/n) < 0.0012; allow 4 sd
        assert v[k] == pytest.approx(p, abs=4 * math.sqrt(p * (1 - p) / n))
    assert v["gpt2_std"] == pytest.approx(0.02 / math.sqrt(24), rel=1e-12)
    assert v["bloom_std"] == pytest.approx(math.sqrt(1 / (3 * 14336)) / math.sqrt(140), rel=1e-12)
    assert 0.15 < v["gpt2"] < 0.25  # "a fifth"
    assert v["bloom"] > 0.95  # "nearly all"
    assert v["bf16_none"] is True


@pytest.mark.claim("practice.residual-scaling-growth")
def test_residual_scaling_growth():
    v = m.residual_scaling_growth()
    # fresh seeds reproduce both growth factors within 10% (over 4 seeds they vary by < 5%)
    fresh = [m.toy_measure(rid, s)["growth"] for rid in ("gpt2-openai", "gpt2-hf") for s in (10, 11)]
    assert v["openai"] == pytest.approx(sum(fresh[:2]) / 2, rel=0.1)
    assert v["scaled"] == pytest.approx(sum(fresh[2:]) / 2, rel=0.1)
    assert v["openai"] > 10 * v["scaled"]


@pytest.mark.claim("practice.small-embedding-jacobian")
def test_small_embedding_jacobian():
    v = m.small_embedding_jacobian()
    # the Jacobian norm is 1/sqrt(var + eps) of the token it is taken at; one token's sample
    # variance over 128 entries has a relative sd of sqrt(2/128) = 12.5%, so its 1/sigma 6%
    assert v["gpt2"] == pytest.approx(v["gpt2_inv_sigma"], rel=0.12)
    assert v["gpt2_inv_sigma"] == pytest.approx(1 / math.sqrt(0.02**2 + 0.01**2), rel=1e-12)
    assert v["titan"] == pytest.approx(1.0, rel=0.12)
