"""Claims of docs/philosophy.md. Each test asserts its claim at the strength of its words; the
bands are the ones the sentences state, set from the per-block spread at seed offsets 0, 7000,
1234 and 99991 (five seed blocks each)."""

import numpy as np
import pytest

from snippets.philosophy import ensemble, guess, implicit, lazy, summary


def blocks(v, key):
    """The per-block values of a quoted statistic."""
    return np.asarray(v[f"{key}_per_block"])


def within(v, key, lo, hi):
    """Every seed block's value lies in [lo, hi], and so do the median and range quoted."""
    b = blocks(v, key)
    return bool(np.all((b >= lo) & (b <= hi)) and lo <= v[f"{key}_min"] <= v[key] <= v[f"{key}_max"] <= hi)


@pytest.mark.claim(
    "philosophy.sparse-small-init",
    settings=("seeds",),
    survives={
        "test_mse": "one-sided: 'below 1/500 of the minimum-l2 interpolant's' (block medians "
        "spread 4e-4 to 4e-3 over offsets, wider than 20%)",
    },
)
def test_sparse_small_init():
    v = implicit.sparse_small_init()
    assert v["seeds"] >= 20 and v["blocks"] == 5 and v["alpha"] == 1e-3
    assert within(v, "l1_ratio", 0.98, 1.02)  # "within 2% of the truth's"
    # "below 1/500 of the minimum-l2 interpolant's", block by block
    assert np.all(blocks(v, "test_mse") * 500 < blocks(v, "pinv_test_mse"))
    assert within(v, "pinv_l1_ratio", 1.8, 2.2)  # "about twice (1.8 to 2.2)"
    assert within(v, "pinv_test_mse", 2.5, 3.5)  # "test error about 3"
    assert v["worst_train_rel_max"] < 1e-3  # an interpolant: training error about zero


@pytest.mark.claim(
    "philosophy.sparse-large-init",
    survives={
        "worst_to_pinv": "an upper bound: 'within 1% on every seed'",
        "worst_train_rel": "an upper bound: 'below 1e-3 of the targets' mean square'",
        "ratio": "one-sided: 'over 500 times' (block values 930 to 6700 over offsets)",
    },
)
def test_sparse_large_init():
    v = implicit.sparse_large_init()
    assert v["worst_to_pinv"] < 0.01  # "the minimum-l2 interpolant, within 1%, on every seed"
    assert within(v, "test_mse", 2.5, 3.5)  # "about 3 (2.5 to 3.5 in every block)"
    assert v["ratio_min"] > 500  # "over 500 times the small start's in every block"
    assert v["worst_train_rel"] < 1e-3  # every scale, every seed


@pytest.mark.claim(
    "philosophy.completion",
    survives={
        "small_test": "an upper bound: 'within 5% in every block' (block medians 2e-4 to 2.5e-2)",
        "worst_train_rel": "an upper bound: 'fit the observed entries to within 1%'",
        "large_test": "the band 1.4 to 2.5 is the spread of block values over offsets (1.6 to 2.3)",
    },
)
def test_completion():
    v = implicit.completion()
    assert v["seeds"] >= 15
    assert v["small_test_max"] < 0.05  # "right to within 5%, every block"
    # effective rank ≈ 2 (the truth's): median within 5%, every block within 10% (blocks measured 1.86-2.00
    # at SEED_OFFSET=4242); a large start gives about 13
    assert 1.9 <= v["small_erank"] <= 2.1
    assert within(v, "small_erank", 1.8, 2.2)
    assert within(v, "large_test", 1.4, 2.5)  # "wrong by 1.4 to 2.5 times their own size"
    assert within(v, "large_erank", 12.0, 15.0)
    assert v["worst_train_rel"] < 0.01  # "both fit the observed entries to within 1%"


@pytest.mark.claim(
    "philosophy.lazy-rich-stable",
    settings=("seeds",),
    survives={
        "move_large": "the band 0.7e-3 to 1.5e-3 is the spread over offsets (0.9e-3 to 1.3e-3), "
        "wider than 20% around any one offset's value",
        "move_small": "the band 1.5 to 2.5 is the spread of block values over offsets (1.7 to 2.1)",
    },
)
def test_lazy_rich_stable():
    v = lazy.lazy_rich_stable()
    assert v["all_finite"] is True  # no NaN, no overflow, at any scale or seed
    assert v["monotone_min"] == 1.0  # falls at every step of scale, in every block
    assert within(v, "move_small", 1.5, 2.5)
    assert within(v, "move_large", 0.7e-3, 1.5e-3)
    assert within(v, "exponent", -2.15, -1.85)  # scale^-2, within 0.15


@pytest.mark.claim(
    "philosophy.lazy-rich-function",
    survives={
        "train_small": "relative: 'within 25% of each other' (a 20% shift of one side can stay within)",
        "train_large": "relative: 'within 25% of each other'",
        "kernel_small": "a band, 2% to 15%, from block medians spread 3% to 11% over offsets",
        "kernel_large": "an upper bound: 'less than 1e-6'",
        "err_small": "relative: 'within 5 points, not the lower in the median'",
        "err_large": "relative: 'within 5 points, not the lower in the median'",
    },
)
def test_lazy_rich_function():
    v = lazy.lazy_rich_function()
    small, large = blocks(v, "train_small"), blocks(v, "train_large")
    assert np.all(np.abs(small / large - 1) < 0.25)  # "within 25% of each other"
    assert within(v, "kernel_small", 0.02, 0.15)
    assert v["kernel_large_max"] < 1e-6
    assert np.all(np.abs(blocks(v, "err_small") - blocks(v, "err_large")) <= 0.05)  # 5 points
    assert v["err_small"] >= v["err_large"]  # the rich one is not the lower in the median


@pytest.mark.claim(
    "philosophy.reptile",
    settings=("seeds", "test_tasks"),
    survives={
        "ratio": "the band 15% to 30% is the spread of block values over offsets (18% to 26%)",
        "reptile": "quoted for context; the claim is their ratio",
        "random": "quoted for context; the claim is their ratio",
    },
)
def test_reptile():
    v = guess.reptile_claim()
    assert v["seeds"] >= 10 and v["test_tasks"] >= 100
    assert within(v, "ratio", 0.15, 0.30)


@pytest.mark.claim(
    "philosophy.pretrain",
    survives={
        "ratio": "an upper bound: 'below 0.9 in every block'",
        "pretrained": "quoted for context; the claim is the comparison",
        "random": "quoted for context; the claim is the comparison",
    },
)
def test_pretrain():
    v = guess.pretrain_claim()
    assert v["seeds"] >= 20
    assert v["ratio_max"] < 0.9  # lower in every block, by at least 10%
    assert np.all(blocks(v, "pretrained") < blocks(v, "random"))


@pytest.mark.claim(
    "philosophy.hippo",
    survives={
        "random": "quoted for context; the claim is the LegS error and the ratio",
        "ratio": "the band 0.3 to 0.5 is the spread over offsets (0.35 to 0.42)",
    },
)
def test_hippo():
    v = guess.hippo_claim()
    assert within(v, "legs", 0.22, 0.28)  # "about a quarter"
    assert within(v, "ratio", 0.3, 0.5)


@pytest.mark.claim(
    "philosophy.ensemble",
    survives={
        "gain": "the band 0.25 to 0.8 is the spread of block values over offsets (0.27 to 0.76)",
        "vs_order": "a band, 'about as well' (0.8 to 1.25)",
        "diversity_ratio": "a band, 0.7 to 1.5 (block values 0.78 to 1.24 over offsets)",
    },
)
def test_ensemble():
    v = ensemble.ensemble_claim()
    assert v["seeds_total"] >= 40
    assert within(v, "gain", 0.25, 0.8)
    assert within(v, "vs_order", 0.8, 1.25)  # "about as well"
    assert within(v, "diversity_ratio", 0.7, 1.5)


def test_summary_table_has_every_philosophy():
    header, rows = summary.philosophies()
    assert len(header) == 4 and len(rows) == 7 and all(len(r) == 4 for r in rows)


def test_diagonal_net_starts_at_zero_and_fits():
    """w = u^2 - v^2 is zero at u = v, whatever alpha; one step reduces the loss."""
    X, w_true = implicit.sparse_problem(0)
    y = X @ w_true
    w1 = implicit.diagonal_net(X, y, 1.0, steps=1)
    assert np.mean((X @ w1 - y) ** 2) < np.mean(y**2)
    assert np.all(implicit.diagonal_net(X, y, 0.5, steps=0) == 0.0)


def test_legs_matrix_is_the_papers():
    """HiPPO-LegS: A[n, k] = sqrt(2n+1) sqrt(2k+1) for n > k, n + 1 on the diagonal, 0 above."""
    A, B = guess.legs_matrices(4)
    assert A[2, 0] == pytest.approx(np.sqrt(5) * 1) and A[3, 1] == pytest.approx(np.sqrt(7 * 3))
    assert list(np.diag(A)) == [1, 2, 3, 4] and np.all(np.triu(A, 1) == 0)
    assert B == pytest.approx(np.sqrt([1, 3, 5, 7]))
