"""Claims of the embeddings section (docs/practice.md#embeddings)."""

import math

import pytest

import snippets.practice.embeddings as m


@pytest.mark.claim("practice.ln-jacobian", settings=("tokens",))
def test_ln_jacobian():
    v = m.ln_jacobian()
    assert v["predicted"] == pytest.approx(1 / math.sqrt(0.02**2 + 1e-5), rel=1e-12)
    assert v["one_over_sigma"] == pytest.approx(1 / 0.02, rel=1e-12)
    # per token the norm is 1/sqrt(sample var + eps); over 768 entries the sample sd has a
    # relative sd of 2.6%, so the median of 16 tokens sits within 2% of the prediction
    assert v["median"] == pytest.approx(v["predicted"], rel=0.02)
    assert v["min"] == pytest.approx(v["predicted"], rel=0.1) and v["max"] == pytest.approx(
        v["predicted"], rel=0.1
    )


@pytest.mark.claim("practice.tied-readout")
def test_tied_readout():
    v = m.tied_readout()
    assert v["sigma_d"] == pytest.approx(0.02 * 768, rel=1e-12)
    # LN(e)·e = |e|^2 / sd(e) = d·sd(e): within the 2.6% sd of one token's sample sd
    assert v["self_logit"] == pytest.approx(v["sigma_d"], rel=0.05)
    assert v["ln_v"] == pytest.approx(math.log(4096), rel=1e-12)
    # the loss of a random target is dominated by the self logit: log(e^{sigma d} + V - 1) - 0
    assert v["loss"] == pytest.approx(math.log(math.exp(v["sigma_d"]) + 4095), rel=0.05)


@pytest.mark.claim("practice.position-share")
def test_position_share():
    v = m.position_share()
    assert v["predicted"] == pytest.approx(0.2, rel=1e-12)
    assert v["share"] == pytest.approx(0.2, rel=0.03)  # 786 432 draws per array
