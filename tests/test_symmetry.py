"""Claims of docs/symmetry.md: each test asserts its claim with a threshold taken from its words."""

import math

import numpy as np
import pytest

from snippets import symmetry as s


def same_rate(a_only, b_only):
    """Paired comparison of two success rates over the same draws (McNemar): under "the same
    rate", the discordant pairs split like a fair coin, so their difference stays within two
    standard deviations, 2 * sqrt(number of discordant pairs)."""
    return abs(a_only - b_only) <= 2 * math.sqrt(a_only + b_only)


@pytest.mark.claim("symmetry.tied-units-stay-identical")
def test_tied_units_stay_identical():
    v = s.tied_units_stay_identical()
    # bit-identical: the difference between units is exactly zero, for every optimizer
    assert v["gd"] == v["momentum"] == v["adam"] == 0.0
    assert v["steps"] >= 1000  # "thousands of steps"
    assert v["moved"] > 0.1  # and the weights did train (they are not identical by standing still)


@pytest.mark.claim("symmetry.width-one-equivalence")
def test_width_one_equivalence():
    v = s.width_one_equivalence()
    for opt in s.OPTIMIZERS:
        assert v[opt] <= 1e-12


@pytest.mark.claim("symmetry.xor-constant-vs-random")
def test_xor_constant_vs_random():
    v = s.xor_constant_vs_random()
    for opt in s.OPTIMIZERS:
        # a width-1 net is a linear classifier of its input: 3 of 4 XOR points at best
        assert v[f"{opt}_max_acc"] <= 0.75
        assert v[f"{opt}_final_acc"] == 0.75
    assert v["seeds"] >= 20
    assert v["random_success"] >= 0.9  # "nearly every seed"


@pytest.mark.claim("symmetry.zero-init-exact")
def test_zero_init_exact():
    v = s.zero_init_exact()
    for act in ("tanh", "relu", "gelu"):
        for depth in (2, 3):
            assert v[f"{act}{depth}_only_output_bias"] is True
            assert v[f"{act}{depth}_weights_moved"] is False
            # the output bias alone fits the label mean: the loss is the mean-prediction loss
            assert abs(v[f"{act}{depth}_excess_loss"]) < 1e-6
    for depth in (2, 3):
        assert v[f"sigmoid{depth}_weights_moved"] is True
        assert v[f"sigmoid{depth}_tied"] is True


@pytest.mark.claim("symmetry.zero-readout")
def test_zero_readout():
    v = s.zero_readout()
    assert v["seeds"] >= 20
    assert same_rate(v["only_zero_solved"], v["only_random_solved"])
    # the stationary point: not one gradient entry is non-zero, and no seed trains
    assert v["zero_zb_first_grad"] == 0.0
    assert v["zero_zb"] == 0.0


@pytest.mark.claim("symmetry.zero-residual-branch")
def test_zero_residual_branch():
    v = s.zero_residual_branch()
    assert v["seeds"] >= 20
    assert same_rate(v["only_zero_solved"], v["only_random_solved"])


@pytest.mark.claim("symmetry.lora-b-zero")
def test_lora_b_zero():
    v = s.lora_b_zero()
    assert v["b_zero_first_grad_A"] == 0.0  # exactly zero at the first step
    assert v["b_zero_worst_ratio"] < 0.01  # "fits": the loss falls by more than 100x on every seed
    assert v["both_zero_ratio_min"] == 1.0  # never moves


@pytest.mark.claim("symmetry.sign-flip-same-function")
def test_sign_flip_same_function():
    assert s.sign_flip_same_function() == 0.0  # negation is exact in floating point, tanh is odd


@pytest.mark.claim("symmetry.mirrored-run")
def test_mirrored_run():
    v = s.mirrored_run()
    for opt in ("gd", "adam"):
        assert v[f"{opt}_loss_diff"] <= 1e-12
        assert v[f"{opt}_weight_diff"] <= 1e-12


@pytest.mark.claim("symmetry.sign-kept")
def test_sign_kept():
    assert s.sign_kept() > 0.5  # "most"


@pytest.mark.claim("symmetry.epsilon-growth")
def test_epsilon_growth():
    v = s.epsilon_growth()
    assert v["min_r2"] >= 0.95  # log(spread) is a straight line in the early window
    assert v["rate_spread"] <= 0.1  # the same slope (within 10%) for every small eps
    assert v["rate"] > 0  # it grows
    assert v["late_rate"] < v["rate"]  # and its growth rate later falls


@pytest.mark.claim("symmetry.epsilon-escape")
def test_epsilon_escape():
    v = s.epsilon_escape()
    solved = [k for k in range(1, 13) if f"steps_{k}" in v]
    steps = [v[f"steps_{k}"] for k in solved]
    assert len(solved) >= 4
    assert all(a < b for a, b in zip(steps, steps[1:]))  # monotone in log(1/eps)
    assert v["slope"] > 0
    # "about ln(10)/rate": within 20% of the prediction from the early growth rate
    assert v["first_decade"] == pytest.approx(s.epsilon_growth()["steps_per_decade"], rel=0.2)
    assert v["last_decade"] > v["first_decade"]  # "later decades cost more"
    assert v["rate_8"] == 0.0 and v["rate_12"] == 0.0  # no seed escapes within the budget


@pytest.mark.claim("symmetry.dropout-breaks-symmetry")
def test_dropout_breaks_symmetry():
    v = s.dropout_breaks_symmetry()
    assert v["seeds"] >= 20
    assert v["constant_success"] > 0.5  # "most seeds"
    assert v["constant_min_spread"] > 0  # the units did separate on every seed
    assert v["zero_success"] == 0.0
    assert v["zero_max_weight"] == 0.0  # no weight ever moved


@pytest.mark.claim("symmetry.deterministic-init")
def test_deterministic_init():
    v = s.deterministic_init()
    assert v["zero_like_acc"] == 1.0
    assert v["angles_acc"] == 1.0
    assert v["zero_like_groups_tied"] is True


@pytest.mark.claim("symmetry.cosine-random-rows")
def test_cosine_random_rows():
    v = s.cosine_random_rows()
    # 2000 pairs: n cos^2 has variance about 2, so the sampling error of the RMS is about
    # sqrt(2 / 2000) / 2 = 1.6%; 10% is six standard errors
    for n in s.WIDTHS:
        assert v[f"rms_sqrt_n_{n}"] == pytest.approx(1.0, rel=0.1)


@pytest.mark.claim("symmetry.lazy-vs-rich")
def test_lazy_vs_rich():
    v = s.lazy_vs_rich()
    moves = [v[f"move_{s.scale_key(x)}"] for x in s.SCALES]
    assert all(a > b for a, b in zip(moves, moves[1:]))  # the larger the scale, the less it moves
    assert moves[0] > 1.0  # "more than its own size"
    assert v["lazy_exponent"] == pytest.approx(-2.0, abs=0.1)  # 1/scale^2


@pytest.mark.claim("symmetry.verdict-gap")
def test_verdict_gap():
    v = s.verdict_gap()
    assert v["growth_per_100"] > 2  # the gap expands (exponentially: see epsilon-growth)
    assert v["tied_norm_growth"] > 1 and v["tied_gap"] == 0.0  # larger weights, no gap
    # "stops expanding": far less growth in the 1800 steps after solving than per early 100 steps
    assert v["late_growth_median"] < v["growth_per_100"] / 10


@pytest.mark.claim("symmetry.verdict-slow")
def test_verdict_slow():
    v = s.verdict_slow()
    assert v["ratio"] > 0.5  # "about as far": not slower by more than a factor 2
    assert v["tied_cv"] > 0.5  # the step length is not constant either


def test_epsilon_run_is_reproducible():
    a = s.epsilon_run(np.array([1e-3]), 2, 50)
    b = s.epsilon_run(np.array([1e-3]), 2, 50)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
