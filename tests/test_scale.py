"""Claims of docs/scale.md: how small the initial weights should be, and why 1/sqrt(fan_in)."""

import math

import numpy as np
import pytest

from snippets import nn, scale

BOUND = (
    "a one-sided sentence (an upper bound: 'below', 'within', 'at most'); a smaller value satisfies it too"
)


@pytest.mark.claim("scale.one-layer", settings=("seeds",), survives={"worst_seed": BOUND})
def test_one_layer():
    v = scale.one_layer_claim()
    assert v["seeds"] == scale.ONE_LAYER_SEEDS and v["blocks"] == scale.BLOCKS
    assert v["lecun_std"] == pytest.approx(784**-0.5)
    assert v["he_std"] == pytest.approx((2 / 784) ** 0.5)
    # "the mean over 10 seeds within 2% of 1 in every block": single seeds spread by 0.5% (LeCun) and
    # 2.1% (He, whose ReLU input has a large mean direction), so a 10-seed mean by 0.7%: 2% is 3 of those
    for k in ("lecun_ratio", "he_ratio"):
        assert 0.98 <= v[k + "_min"] and v[k + "_max"] <= 1.02
    # "every single seed within 10%" (about 5 standard deviations of a He seed)
    assert v["worst_seed"] <= 0.10


@pytest.mark.claim("scale.relu-moments")
def test_relu_moments():
    v = scale.relu_moments()
    # closed forms: E[relu(z)^2] = 1/2, E[relu(z)] = 1/sqrt(2 pi)
    assert v["second_moment"] == pytest.approx(0.5, abs=1e-9)
    assert v["mean"] == pytest.approx(1 / math.sqrt(2 * math.pi), abs=1e-9)
    assert v["variance"] == pytest.approx(0.5 - 1 / (2 * math.pi), abs=1e-9)


def _recursion_ok(v):
    for name in scale.RECURSION_CASES:
        # one step: average relative error below 1%
        assert abs(v[f"{name}_step_mean"]) < 0.01, name
        # iterated: every layer within the finite-width budget (steps/n + 4 standard errors: a simultaneous band
        # over 50 layers; with 3, offset 1234 put one ReLU-with-bias layer 5% over it)
        assert v[f"{name}_iter_budget"] <= 1, name


RECURSION_BOUNDS = {
    f"{name}_{k}": BOUND
    for name in scale.RECURSION_CASES
    for k in ("step_mean", "iter_budget", "iter_rel", "iter_spread")
}


@pytest.mark.claim("scale.forward-recursion", survives=RECURSION_BOUNDS)
def test_forward_recursion():
    assert scale.WIDTH >= 256 and scale.DEPTH >= 30 and scale.SEEDS >= 20
    _recursion_ok(scale.forward_recursion_claim())


@pytest.mark.claim("scale.backward-recursion", survives=RECURSION_BOUNDS)
def test_backward_recursion():
    _recursion_ok(scale.backward_recursion_claim())


@pytest.mark.claim("scale.rates")
def test_rates():
    v = scale.rates()
    for act in ("tanh", "relu"):
        for label in [f"std{s:g}" for s in scale.STDS] + ["derived"]:
            for kind in ("", "_grad"):
                key = f"{act}_{label}{kind}"
                # within 3% per layer of what the recursion predicts
                assert v[key] == pytest.approx(v[key + "_pred"], rel=0.03), key
    for s in scale.STDS:  # ReLU: n std^2 / 2 per layer
        assert v[f"relu_std{s:g}_pred"] == pytest.approx(scale.WIDTH * s**2 / 2, rel=1e-6)
    # He vs 1/fan_in, on independent seeds: 1 and 1/2 per layer, a factor 2 (3%)
    assert v["relu_he"] == pytest.approx(1, rel=0.03)
    assert v["relu_lecun"] == pytest.approx(0.5, rel=0.03)
    assert v["he_over_lecun"] == pytest.approx(v["relu_he"] / v["relu_lecun"], rel=1e-9)
    assert v["he_over_lecun"] == pytest.approx(2, rel=0.03)


@pytest.mark.claim("scale.classic-001", settings=("seeds",))
def test_classic_001():
    v = scale.classic_001()
    assert v["seeds"] >= 20
    for act in ("tanh", "relu"):
        # the 20-seed geometric mean within 10% of the recursion (seeds spread about +-12%)
        assert v[f"{act}_rms_ratio"] == pytest.approx(v[f"{act}_pred"], rel=0.10)
    assert v["tanh_pred"] == pytest.approx(1e-5, rel=0.15)  # (n std^2)^(L/2), less tanh's bend
    # ReLU: q_1 = n std^2 = 0.1, then each of the 9 inner layers multiplies by n std^2 / 2 = 0.05
    assert v["relu_pred"] == pytest.approx(math.sqrt(0.1 * 0.05**9), rel=1e-6)
    # the shortcut (drawing W h directly) agrees with full 1000 x 1000 matrices
    d = scale.classic_001_direct()
    for act in ("tanh", "relu"):
        assert d[f"{act}_log10"] == pytest.approx(v[f"{act}_log10"], abs=0.1)


@pytest.mark.claim(
    "scale.histograms",
    survives={"large_saturated_min": BOUND + " ('or more')", "derived_saturated_max": BOUND},
)
def test_histograms():
    v = scale.histogram_stats()
    # layers 1 and 5 at std 0.01: the RMS of tanh(z_l) the recursion predicts (4 seeds x 256 units x
    # 32 inputs: sampling error ~1% at layer 1, a few % at layer 5)
    q = scale.forward_recursion(np.tanh, scale.WIDTH * 0.01**2, 5)
    rms = [math.sqrt(scale.gauss_mean(lambda z: np.tanh(z) ** 2, ql)) for ql in q]
    assert v["small_rms_l1"] == pytest.approx(rms[1], rel=0.05)
    assert v["small_rms_l5"] == pytest.approx(rms[5], rel=0.10)
    assert v["large_saturated_min"] > 0.5  # "most units of every layer saturated"
    assert v["derived_saturated_max"] < 0.05
    # collapse: the RMS shrinks by sqrt(n std^2) = 0.16 per layer (0.2 allows the finite-width spread)
    f = math.sqrt(scale.WIDTH * 0.01**2)
    assert v["small_rms_l2"] < 1.25 * f * v["small_rms_l1"]
    assert v["small_rms_l5"] < (1.25 * f) ** 3 * v["small_rms_l2"]
    assert v["small_rms_l50"] < 1e-30
    # the derived std keeps the spread: layer 50's RMS within 10% of layer 1's
    assert v["derived_rms_l50"] == pytest.approx(v["derived_rms_l1"], rel=0.10)


@pytest.mark.claim("scale.std-784")
def test_std_784():
    v = scale.std_784()
    assert v["lecun"] == pytest.approx(1 / 28)
    assert v["he"] == pytest.approx(math.sqrt(2) / 28)
    assert v["tanh"] == pytest.approx(scale.gains()["tanh"] / 28)
    header, rows = scale.std_table()
    row = next(r for r in rows if r[0] == "784")
    assert float(row[1]) == pytest.approx(v["lecun"], abs=5e-5)
    assert float(row[4]) == pytest.approx(v["he"], abs=5e-5)
    assert v["lecun_log10"] == pytest.approx(math.log10(1 / 28))
    assert v["he_64"] == pytest.approx(math.sqrt(2 / 64)) and v["he_4096"] == pytest.approx(
        math.sqrt(2 / 4096)
    )


@pytest.mark.claim(
    "scale.goldilocks",
    settings=("seeds",),
    survives={"tanh_loss_large": "one-sided: 'at least 10 times worse'"},
)
def test_goldilocks():
    v = scale.goldilocks()
    assert v["seeds"] >= 20
    assert v["min_ratio_extremes"] == min(v["tanh_ratio_extremes"], v["relu_ratio_extremes"]) >= 10
    assert v["relu_diverged_large"] == 1.0  # every ReLU run at 16x diverges
    for act in ("tanh", "relu"):
        assert v[f"{act}_best"] in scale.MULTIPLIERS and 0.5 <= v[f"{act}_best"] <= 2
        assert v[f"{act}_loss_small"] == pytest.approx(1, rel=0.05)  # at 1/16x: what predicting 0 scores
        # both extremes: median final loss at least 10x the best multiplier's
        assert v[f"{act}_loss_small"] >= 10 * v[f"{act}_best_loss"]
        assert v[f"{act}_loss_large"] >= 10 * v[f"{act}_best_loss"]


def _trapezoid_mean(f):
    z = np.linspace(-12, 12, 240001)
    return np.trapezoid(f(z) * np.exp(-z * z / 2), z) / np.sqrt(2 * np.pi)


@pytest.mark.claim("scale.gains")
def test_gains():
    v = scale.gains()
    for name, (phi, _) in scale.ACTIVATIONS.items():
        # an independent rule (fine trapezoid); 1e-4 covers Gauss-Hermite's error on ELU/SELU's kink
        assert v[name] == pytest.approx(1 / np.sqrt(_trapezoid_mean(lambda z, p=phi: p(z) ** 2)), rel=1e-4)
    assert v["relu"] == pytest.approx(math.sqrt(2), rel=1e-9)
    assert v["leaky_relu"] == pytest.approx(math.sqrt(2 / (1 + 0.01**2)), rel=1e-9)  # = PyTorch's
    assert v["selu"] == pytest.approx(1, abs=1e-4)
    assert v["relu_chi"] == pytest.approx(1, rel=1e-9)
    # the A&S erf used by GELU is within its stated 1.5e-7 of math.erf
    x = np.linspace(-6, 6, 2001)
    assert np.max(np.abs(nn.erf(x) - np.vectorize(math.erf)(x))) < 1.5e-7
    # the gradient factor at the computed gain (q = 1) and at PyTorch's 5/3 (at its fixed point q*)
    dtanh = scale.ACTIVATIONS["tanh"][1]
    assert v["tanh_chi"] == pytest.approx(v["tanh"] ** 2 * _trapezoid_mean(lambda z: dtanh(z) ** 2), rel=1e-6)
    q = v["tanh_torch_fixed_point"]
    chi = (5 / 3) ** 2 * _trapezoid_mean(lambda z: dtanh(np.sqrt(q) * z) ** 2)
    assert v["tanh_torch_chi"] == pytest.approx(chi, rel=1e-4)
    assert v["tanh_torch_over_computed"] == pytest.approx((5 / 3) / v["tanh"], rel=1e-9)
    for name, (phi, dphi) in scale.ACTIVATIONS.items():
        g2 = v[name] ** 2
        # Gauss-Hermite converges slowly where phi' jumps (ReLU, leaky ReLU, SELU at 0): 0.3% measured
        assert v[f"{name}_chi"] == pytest.approx(g2 * _trapezoid_mean(lambda z, d=dphi: d(z) ** 2), rel=5e-3)
        slope = g2 * _trapezoid_mean(lambda z, p=phi, d=dphi: z * p(z) * d(z))
        assert v[f"{name}_slope"] == pytest.approx(slope, rel=5e-3), name
    for name, g2 in (("selu", 0.75**2), ("sigmoid", 1.0)):
        qs = v[f"{name}_torch_fixed_point"]
        phi = scale.ACTIVATIONS[name][0]
        assert qs == pytest.approx(
            g2 * _trapezoid_mean(lambda z, p=phi, qs=qs: p(np.sqrt(qs) * z) ** 2), rel=1e-4
        )
    # q* is the fixed point of q -> (5/3)^2 E[tanh(z)^2], z ~ N(0, q)
    assert q == pytest.approx(
        (5 / 3) ** 2 * _trapezoid_mean(lambda z: np.tanh(np.sqrt(q) * z) ** 2), rel=1e-6
    )


@pytest.mark.claim(
    "scale.gains-depth50",
    survives={
        "relu_max": BOUND + " ('up to', within a factor 2)",
        "gelu_last": "one-sided ('drift away', > 2)",
        "silu_last": "one-sided ('drift away': out of the factor-2 band)",
    },
)
def test_gains_depth50():
    v = scale.gains_depth50()
    for name in scale.ACTIVATIONS:
        if v[f"{name}_slope"] <= 1 + 1e-9:
            assert 0.5 <= v[f"{name}_min"] and v[f"{name}_max"] <= 2, name
        else:
            assert v[f"{name}_max"] > 2, name
    assert {n for n in scale.ACTIVATIONS if v[f"{n}_slope"] > 1 + 1e-9} == {"gelu", "silu"}


@pytest.mark.claim(
    "scale.distributions", survives={f"relu_{d}_step_mean": BOUND for d in ("normal", "uniform", "truncated")}
)
def test_distributions():
    v = scale.distributions()
    for act in scale.DIST_CASES:
        for dist in ("normal", "uniform", "truncated"):
            # the 20-seed mean's standard error is ~0.1% for tanh and ~0.5% for ReLU: the bounds
            # are four to five of those (measured at offsets 0 and 7000: at most 0.21% and 1.41%)
            assert abs(v[f"{act}_{dist}_step_mean"]) < (0.005 if act == "tanh" else 0.02)
            assert v[f"{act}_{dist}_iter_budget"] <= 1
    for dist in ("uniform", "truncated", "normal"):  # equal (unit) variance, to sampling error
        assert v[f"{dist}_var"] == pytest.approx(1, abs=0.01)


@pytest.mark.claim("scale.trunc-correction")
def test_trunc_correction():
    v = scale.trunc_correction()
    c = 2.0
    pdf = math.exp(-c * c / 2) / math.sqrt(2 * math.pi)
    exact = math.sqrt(1 - 2 * c * pdf / math.erf(c / math.sqrt(2)))
    assert v["correction"] == pytest.approx(exact, abs=1e-6)
    # 10^6 samples: the std of a sample std is ~0.07%; 0.5% is far above it
    assert v["sampled"] == pytest.approx(exact, rel=0.005)
    assert v["small_std_ratio"] == pytest.approx(1, rel=0.005)  # nothing truncated
    assert v["pattern_ratio"] == pytest.approx(1 / exact, rel=0.005)  # inflated by 1/c
    assert v["proper_ratio"] == pytest.approx(1, rel=0.005)  # bounds at +-2 std: corrected
    assert v["uniform_bound_factor"] ** 2 / 3 == pytest.approx(1)  # U(-sqrt(3), sqrt(3)) has variance 1


@pytest.mark.claim(
    "scale.bias",
    survives={
        "relu_sb0.1_step_mean": BOUND,
        "tanh_sb0.1_step_mean": BOUND,
        "relu_sb0.3_last": "within the finite-width budget, l/n = 20% at layer 50 (the sentence says so)",
        "tanh_sb0_last": "one-sided: 'decays toward 0'; the value is quoted for scale",
    },
)
def test_bias():
    v = scale.bias()
    # without a bias, tanh decays toward 0 (the sentence's claim; the 20-seed mean at layer 50 is within
    # 11% of the recursion's value at the offsets tried, a finite-width spread the page does not quantify)
    assert v["tanh_sb0_last"] < 0.1 * v["tanh_sb0.3_fixed"]
    assert v["relu_sb0.3_last"] > 1 + 0.5 * scale.DEPTH * 0.3**2  # it grows, far above 1
    for act in ("relu", "tanh"):
        for sb in scale.BIAS_STDS[1:]:
            assert abs(v[f"{act}_sb{sb:g}_step_mean"]) < 0.01
            assert v[f"{act}_sb{sb:g}_budget"] <= 1
    for sb in scale.BIAS_STDS[1:]:
        assert v[f"relu_sb{sb:g}_rec"] == pytest.approx(1 + scale.DEPTH * sb**2)
        # tanh settles at q* > 0 (within 10% at layer 50) instead of decaying like the unbiased net
        assert v[f"tanh_sb{sb:g}_last"] == pytest.approx(v[f"tanh_sb{sb:g}_fixed"], rel=0.10)
        assert v[f"tanh_sb{sb:g}_last"] > 5 * v["tanh_sb0_last"]


@pytest.mark.claim("scale.torch-linear")
def test_torch_linear():
    v = scale.torch_linear()
    assert v["variance_ratio_to_he"] == pytest.approx(1 / 6)
    assert v["pred"] == pytest.approx(1 / 6)
    assert v["per_layer"] == pytest.approx(v["pred"], rel=0.03)
