"""Claims of the symptoms section (docs/practice.md#symptoms)."""

import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import snippets.practice.symptoms as m

ROOT = Path(__file__).resolve().parents[2]
FW = Path("/work/main/.fw-venv/bin/python")


def _gaussian_logit_loss(var, classes=100, n=200_000, seed=12345):
    """E[logsumexp(z)] - E[z_y] for i.i.d. N(0, var) logits and a label independent of them."""
    z = np.random.default_rng(seed).standard_normal((n // 100, classes)) * math.sqrt(var)
    zmax = z.max(1, keepdims=True)
    return float((zmax[:, 0] + np.log(np.exp(z - zmax).sum(1))).mean())


@pytest.mark.claim("practice.initial-loss", settings=("he_logit_var", "lecun_logit_var", "blocks"))
def test_initial_loss():
    v = m.initial_loss_claim()
    assert v["ln_c"] == pytest.approx(math.log(100), rel=1e-12)
    assert v["zero"] == pytest.approx(math.log(100), abs=1e-12)  # "exactly ln C"
    assert abs(v["small"] / v["ln_c"] - 1) < 1e-3  # "within 0.1%"
    # He readout on a He ReLU layer: logits ~ N(0, 2); LeCun: N(0, 1) (the logit variance is
    # readout variance x E|h|^2 = s^2 x 256 x 1); blocks agree within 1.2%
    assert v["he"] == pytest.approx(_gaussian_logit_loss(2.0), rel=0.03)
    assert v["lecun"] == pytest.approx(_gaussian_logit_loss(1.0), rel=0.03)
    assert v["he_min"] > v["ln_c"] + 0.5  # "well above ln C" in every block


@pytest.mark.claim("practice.prior-bias", settings=("lr", "blocks"))
def test_prior_bias():
    v = m.prior_bias()
    assert v["zero_start"] == pytest.approx(math.log(10), abs=1e-12)  # W = 0, b = 0: exactly ln K
    assert v["ln_k"] == pytest.approx(math.log(10), abs=1e-12)
    # with W = 0 and b = log(frequencies) the loss is exactly the entropy of the label frequencies
    assert v["prior_start"] == pytest.approx(v["label_entropy"], rel=1e-9)
    assert 0.3 < v["top_class"] < 0.6  # imbalanced: the most frequent of 10 classes holds 30-60%
    # steps saved: the same in every block, and reproduced on fresh blocks
    assert v["saved_min"] == v["saved_max"] == v["saved"] >= 1
    assert m.prior_blocks(first_block=5)["saved"] == v["saved"]


def _tol(p, per_block=400):
    """4 sd of the difference of two medians of 5 blocks (each 0.56 sd of one block of 400 nets)."""
    return 3.2 * math.sqrt(p * (1 - p) / per_block) + 1 / per_block


@pytest.mark.claim("practice.born-dead", settings=("blocks", "nets"))
def test_born_dead():
    v = m.born_dead()
    for w in m.WIDTHS:
        seq = [v[f"w{w}_L{L}"] for L in m.DEPTHS]
        assert all(b >= a - 0.02 for a, b in zip(seq, seq[1:]))  # grows with depth
    for L in m.DEPTHS:
        seq = [v[f"w{w}_L{L}"] for w in m.WIDTHS]
        assert all(b <= a + 0.02 for a, b in zip(seq, seq[1:]))  # shrinks with width
    assert v["w8_L20"] < 0.05  # "rare at width 8 up to depth 20"
    fresh = m.born_dead_grid(first_block=5)  # each quoted probability, reproduced on fresh nets
    for key in ("w2_L10", "w3_L20", "w4_L20"):
        assert 0 <= v[key] <= 1
        assert fresh[key] == pytest.approx(v[key], abs=_tol(v[key]))


@pytest.mark.claim("practice.positive-bias", settings=("blocks", "nets"))
def test_positive_bias():
    v = m.positive_bias()
    fresh = m.bias_runs(first_block=5)
    for key in ("b0.0", "b0.01", "b0.1"):
        assert 0 <= v[key] <= 1
        assert fresh[key] == pytest.approx(v[key], abs=_tol(v[key]))
    assert v["b0.01"] < v["b0.0"] - 0.2  # lowers it
    assert v["b0.01"] > 0.3 and v["b0.1"] > 0.3  # but about half still collapse
    assert v["b0.01"] == pytest.approx(v["b0.1"], abs=_tol(0.5))  # 0.01 as 0.1


@pytest.mark.claim("practice.swiglu-moment")
def test_swiglu_moment():
    v = m.swiglu_moment()
    a = np.random.default_rng(7).standard_normal(2_000_000)
    b = np.random.default_rng(8).standard_normal(2_000_000)
    mc = float(((a / (1 + np.exp(-a))) * b).var())
    assert v["silu_b"] == pytest.approx(mc, rel=0.01)  # quadrature against Monte Carlo
    assert v["relu"] == pytest.approx(0.5, rel=1e-6)
    assert v["ratio"] == pytest.approx(mc / 0.5, rel=0.01)


@pytest.mark.claim("practice.bn-scale", settings=("weight_norm",))
def test_bn_scale():
    v = m.bn_scale()
    assert v["output_same"] is True
    # scale invariance: grad(cW) = grad(W)/c exactly as eps -> 0; eps = 1e-5 costs < 1%
    assert v["grad_ratio"] == pytest.approx(10, rel=0.01)
    assert v["sgd_rel_ratio"] == pytest.approx(100, rel=0.01)
    assert v["adam_rel_ratio"] == pytest.approx(10, rel=1e-3)


@pytest.mark.claim("practice.lstm-forget", settings=("hidden",))
def test_lstm_forget():
    v = m.lstm_forget()
    assert v["forget_slice_start"] == v["hidden"] == 8  # rows H:2H
    assert v["gate_one"] == pytest.approx(1 / (1 + math.exp(-1)), rel=1e-6)
    assert v["gate_both"] == pytest.approx(1 / (1 + math.exp(-2)), rel=1e-6)
    assert v["sigmoid_2"] == pytest.approx(1 / (1 + math.exp(-2)), rel=1e-12)


@pytest.mark.claim("practice.port-linear")
def test_port_linear():
    v = m.port_linear()
    fan_in = m.frameworks()["port"]["fan_in"]
    assert v["target_std"] == pytest.approx(1 / math.sqrt(3 * fan_in), rel=1e-12)
    assert v["bound"] == pytest.approx(1 / math.sqrt(fan_in), rel=1e-12)
    for k in ("torch", "keras", "flax"):
        # 131 072 uniform draws: the sample std is within 0.5% of the true one
        assert v[f"{k}_std"] == pytest.approx(v["target_std"], rel=0.01)
        assert v["bound"] * 0.99 < v[f"{k}_max"] <= v["bound"]


@pytest.mark.skipif(not FW.exists() or not shutil.which(str(FW)), reason="framework venv absent")
def test_framework_data_is_current():
    proc = subprocess.run(
        [str(FW), "tools/check_practice_frameworks.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]
