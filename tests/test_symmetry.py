"""Claims of docs/symmetry.md: each test asserts its claim at the strength of its words, on every
seed block (the claims return the median and range over `s.BLOCKS` independent blocks of seeds).

Mutation audit (tools/audit.py): a quoted value 20% off must fail its test. Where it cannot, the
`survives` argument of the marker says why (an exact zero, or a one-sided sentence)."""

import math

import numpy as np
import pytest

from snippets import symmetry as s

ZERO = "an exact zero: 20% of zero is zero, and the test asserts == 0"
BOUND = "a one-sided sentence (an upper bound, 'at most' / 'within'): a smaller value satisfies it too"


def same_rate(a_only, b_only, n):
    """Paired comparison of two success rates over the same n draws (McNemar): under "the same
    rate" the discordant pairs split like a fair coin, so the difference of the rates stays within
    three standard deviations, 3 * sqrt(discordant pairs) / n."""
    return abs(a_only - b_only) <= 3 * math.sqrt(a_only + b_only)


def pooled(v, key):
    """The rate over every block (blocks have equal size): the mean of the per-block rates."""
    return float(np.mean(v[f"{key}_per_block"]))


@pytest.mark.claim(
    "symmetry.tied-units-stay-identical",
    settings=("steps", "hidden"),
    survives={"gd": ZERO, "momentum": ZERO, "adam": ZERO},
)
def test_tied_units_stay_identical():
    v = s.tied_units_stay_identical()
    # bit-identical: the difference between units is exactly zero, for every optimizer
    assert v["gd"] == v["momentum"] == v["adam"] == 0.0
    assert v["steps"] == s.STEPS and v["hidden"] == s.HIDDEN
    # "the weights moved by up to <moved>": the smallest, over optimizers, of the largest move
    runs = s.tied_runs()
    moved = min(np.abs(runs[o]["params"][0] - s.CONST).max() for o in s.OPTIMIZERS)
    assert v["moved"] == pytest.approx(moved, rel=1e-9) and moved > 0.1


@pytest.mark.claim(
    "symmetry.width-one-equivalence",
    survives={
        k: "rounding error: the sentence is an upper bound (1e-12), 2e-16 x 1.2 is rounding error too"
        for k in ("gd", "momentum", "adam")
    },
)
def test_width_one_equivalence():
    v = s.width_one_equivalence()
    for opt in s.OPTIMIZERS:
        assert v[opt] <= 1e-12


@pytest.mark.claim("symmetry.xor-constant-vs-random", settings=("seeds",))
def test_xor_constant_vs_random():
    v = s.xor_constant_vs_random()
    for opt in s.OPTIMIZERS:
        # a width-1 net is a linear classifier of its input: 3 of 4 XOR points at best, and it gets them
        assert v[f"{opt}_max_acc"] == 0.75
        assert v[f"{opt}_final_acc"] == 0.75
    assert v["seeds"] == s.SEEDS >= 20 and v["blocks"] == s.BLOCKS
    # "nearly every seed": at least 90% in every block (and a rate is at most 1)
    assert 0.9 <= v["random_success_min"] and v["random_success_max"] <= 1


@pytest.mark.claim("symmetry.zero-init-exact", settings=("steps",))
def test_zero_init_exact():
    v = s.zero_init_exact()
    assert v["steps"] == s.ZERO_STEPS
    for act in ("tanh", "relu", "gelu"):
        for depth in (2, 3):
            assert v[f"{act}{depth}_only_output_bias"] is True
            assert v[f"{act}{depth}_weights_moved"] is False
            assert v[f"{act}{depth}_tied"] is True
            # the output bias alone fits the label mean: the loss is the mean-prediction loss
            assert abs(v[f"{act}{depth}_excess_loss"]) < 1e-6
    for depth in (2, 3):
        assert v[f"sigmoid{depth}_only_output_bias"] is False
        assert v[f"sigmoid{depth}_weights_moved"] is True
        assert v[f"sigmoid{depth}_tied"] is True


@pytest.mark.claim(
    "symmetry.zero-readout",
    settings=("seeds", "width"),
    survives={"zero_zb": ZERO},
)
def test_zero_readout():
    v = s.zero_readout()
    n = s.BLOCKS * s.SAFE_SEEDS
    assert v["seeds"] == s.SAFE_SEEDS and v["width"] == s.NARROW
    zero, rnd = pooled(v, "zero_rb"), pooled(v, "random_rb")
    # the quoted rates and discordant counts are one paired comparison: rate difference = count difference / n
    assert zero - rnd == pytest.approx((v["only_zero_solved"] - v["only_random_solved"]) / n, abs=1e-12)
    assert zero == pytest.approx(np.mean(v["zero_rb_per_block"])) and 0 < zero < 1
    # "the same rate within sampling noise": McNemar, 3 standard deviations, over all blocks
    assert same_rate(v["only_zero_solved"], v["only_random_solved"], n)
    assert v["only_zero_solved"] + v["only_random_solved"] > 0  # a real comparison, not identical runs
    # the stationary point: not one gradient entry is non-zero, and no seed trains in any block
    assert v["zero_zb_first_grad"] == 0.0
    assert v["zero_zb_max"] == 0.0
    assert v["random_zb_min"] > 0.5  # while a random readout trains most seeds of every block


@pytest.mark.claim("symmetry.zero-residual-branch", settings=("seeds",))
def test_zero_residual_branch():
    v = s.zero_residual_branch()
    n = s.BLOCKS * s.SEEDS
    assert v["seeds"] == s.SEEDS >= 20
    zero, rnd = pooled(v, "zero"), pooled(v, "random")
    assert 0 < zero <= 1 and 0 < rnd <= 1
    assert zero - rnd == pytest.approx((v["only_zero_solved"] - v["only_random_solved"]) / n, abs=1e-12)
    assert same_rate(v["only_zero_solved"], v["only_random_solved"], n)


@pytest.mark.claim(
    "symmetry.lora-b-zero",
    settings=("seeds",),
    survives={"b_zero_worst_ratio": BOUND},
)
def test_lora_b_zero():
    v = s.lora_b_zero()
    assert v["seeds"] == s.LORA_SEEDS
    assert v["b_zero_first_grad_A"] == 0.0  # exactly zero at the first step
    assert v["b_zero_worst_ratio"] < 0.01  # "fits": the loss falls by more than 100x on every seed
    assert v["both_zero_ratio_min"] == 1.0  # never moves


@pytest.mark.claim("symmetry.sign-flip-same-function", survives={"x1.2": ZERO, "x0.8": ZERO})
def test_sign_flip_same_function():
    assert s.sign_flip_same_function() == 0.0  # negation is exact in floating point, tanh is odd


@pytest.mark.claim(
    "symmetry.mirrored-run",
    survives={k: ZERO for k in ("gd_loss_diff", "adam_loss_diff")},
)
def test_mirrored_run():
    v = s.mirrored_run()
    for opt in ("gd", "adam"):
        assert v[f"{opt}_loss_diff"] == 0.0
        assert v[f"{opt}_weight_diff"] == 0.0


@pytest.mark.claim("symmetry.sign-kept", settings=("seeds",))
def test_sign_kept():
    v = s.sign_kept()
    # "more than nine in ten" in every block (and a fraction is at most 1)
    assert 0.9 < v["kept_min"] and v["kept_max"] <= 1


@pytest.mark.claim(
    "symmetry.epsilon-growth",
    settings=("steps", "seeds", "blocks"),
    survives={"rate_spread": BOUND},
)
def test_epsilon_growth():
    v = s.epsilon_growth()
    assert v["steps"] == s.EARLY and v["seeds"] == s.EPS_SEEDS
    # log(spread) is a straight line in the early window, in every block (R^2 is at most 1)
    assert 0.95 <= v["min_r2_min"] and v["min_r2_max"] <= 1
    assert v["rate_spread_max"] <= 0.1  # the same slope (within 10%) for every small eps
    assert v["rate_min"] > 0  # it grows
    # the quoted factor and steps per decade are the quoted rate's, block by block
    for r, f, d in zip(v["rate_per_block"], v["factor_per_100_per_block"], v["steps_per_decade_per_block"]):
        assert f == pytest.approx(math.exp(100 * r), rel=1e-9)
        assert d == pytest.approx(math.log(10) / r, rel=1e-9)
    # and its growth rate later falls, below a tenth of the early rate
    for r, late, ratio in zip(v["rate_per_block"], v["late_rate_per_block"], v["late_over_early_per_block"]):
        assert 0 < late < r / 10 and ratio == pytest.approx(late / r, rel=1e-9)


@pytest.mark.claim("symmetry.epsilon-escape", settings=("budget", "seeds"))
def test_epsilon_escape():
    v = s.epsilon_escape()
    g = s.epsilon_growth()
    assert v["budget"] == s.EPS_STEPS and v["seeds"] == s.EPS_SEEDS
    for b in range(v["blocks"]):
        steps = [v[f"steps_{k}_per_block"][b] for k in range(1, 7)]
        # each quoted median is the median over that block's seeds of the steps to solve XOR
        rows = s._eps_table(b)
        assert steps == [rows[e]["median"] for e in s.ESCAPES]
        assert all(x < y for x, y in zip(steps, steps[1:]))  # monotone in log(1/eps)
        assert v["first_decade_per_block"][b] == steps[1] - steps[0]
        assert v["last_decade_per_block"][b] == steps[-1] - steps[-2]
        # the first decade costs about ln(10)/rate: within 20% of the early-rate prediction
        assert v["first_decade_per_block"][b] == pytest.approx(g["steps_per_decade_per_block"][b], rel=0.2)
        # "several times more": the last decade costs at least 3x the first
        ratio = v["last_decade_per_block"][b] / v["first_decade_per_block"][b]
        assert ratio >= 3 and v["last_over_first_per_block"][b] == pytest.approx(ratio, rel=1e-9)
    for k in range(1, 7):  # every seed of every block escapes for eps >= 1e-6 ...
        assert v[f"rate_{k}_min"] == 1.0
    assert v["rate_8_max"] == 0.0 and v["rate_12_max"] == 0.0  # ... and none for 1e-8 and 1e-12


@pytest.mark.claim("symmetry.dropout-breaks-symmetry", settings=("seeds",), survives={"zero_success": ZERO})
def test_dropout_breaks_symmetry():
    v = s.dropout_breaks_symmetry()
    assert v["seeds"] == s.SEEDS >= 20
    assert v["constant_success_min"] == 1.0 == v["constant_success_max"]  # "every seed", every block
    assert v["constant_min_spread"] > 0  # the units did separate on every seed
    assert v["zero_success_max"] == 0.0
    assert v["zero_max_weight"] == 0.0  # no weight ever moved


@pytest.mark.claim("symmetry.deterministic-init")
def test_deterministic_init():
    v = s.deterministic_init()
    assert v["zero_like_acc"] == 1.0
    assert v["angles_acc"] == 1.0
    assert v["zero_like_groups_tied"] is True
    # ZerO's first layer (8 x 2: identity rows, then Hadamard rows) has two distinct rows
    assert v["zero_like_distinct_rows"] == len({tuple(r) for r in s.zero_like(s.HIDDEN, 2)}) == 2


@pytest.mark.claim("symmetry.cosine-random-rows")
def test_cosine_random_rows():
    v = s.cosine_random_rows()
    # 2000 pairs: n cos^2 has variance about 2, so the sampling error of the RMS is about
    # sqrt(2 / 2000) / 2 = 1.6%; 10% is six standard errors
    for n in s.WIDTHS:
        assert v[f"rms_sqrt_n_{n}"] == pytest.approx(1.0, rel=0.1)
        # E|cos| = sqrt(2 / (pi n)) for large n (a Gaussian of variance 1/n); 2000 pairs: 2.4% error
        if n >= 64:
            assert v[f"mean_abs_{n}"] == pytest.approx(math.sqrt(2 / (math.pi * n)), rel=0.1)


@pytest.mark.claim("symmetry.verdict-gap", survives={"late_growth_median": BOUND, "tied_gap": ZERO})
def test_verdict_gap():
    v = s.verdict_gap()
    g = s.epsilon_growth()
    assert v["growth_per_100"] == g["factor_per_100"] > 2  # the gap expands (exponentially)
    tied = s.tied_runs()["gd"]
    growth = np.linalg.norm(tied["params"][0]) / np.linalg.norm(tied["snaps"][0][0])
    assert v["tied_norm_growth"] == pytest.approx(growth, rel=1e-9) and growth > 1  # larger weights
    assert v["tied_gap"] == 0.0  # and no gap
    # "stops expanding": in every block, less growth in the 1800 steps after solving than a tenth
    # of the growth of any early 100 steps
    assert v["late_growth_median_max"] < g["factor_per_100_min"] / 10


@pytest.mark.claim("symmetry.verdict-slow")
def test_verdict_slow():
    v = s.verdict_slow()
    # "about 1.5 times as far" (the quoted median, to one decimal): within 10% of 1.5 in every block
    # (the blocks spread by about 3%); a 20% error leaves the band
    assert 1.35 <= v["ratio_min"] and v["ratio_max"] <= 1.65
    tied = s.tied_runs()["gd"]["moves"][:, 0]
    assert v["tied_cv"] == pytest.approx(tied.std() / tied.mean(), rel=1e-9)
    assert v["tied_cv"] > 0.5  # the step length is not constant either: it varies by more than half its mean


def test_epsilon_run_is_reproducible():
    a = s.epsilon_run(np.array([1e-3]), 2, 50)
    b = s.epsilon_run(np.array([1e-3]), 2, 50)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
