"""Claims of architectures#rnn and #lstm (snippets/architectures/rnn.py)."""

import pytest

from snippets.architectures import rnn as m


@pytest.mark.claim(
    "architectures.rnn-spectral-radius",
    survives={
        "g1_1_max_rel_err x0.8": "an upper bound (within 5%): a smaller error satisfies it",
        "orth_max_dev x1.2": "an upper bound at rounding level (1e-15 against 1e-10)",
        "orth_max_dev x0.8": "an upper bound at rounding level (1e-15 against 1e-10)",
    },
)
def test_rnn_spectral_radius():
    v = m.rnn_rates()
    # the quoted median rate is the quoted median radius, within 5% (every block)
    for q in ("", "_min", "_max"):
        assert v[f"g1_1_rate{q}"] == pytest.approx(v[f"g1_1_rho{q}"], rel=0.05)
    for g in ("g0_9", "g1_0", "g1_1", "orth"):
        assert v[f"{g}_max_rel_err_max"] < 0.05  # every seed of every block: rate within 5% of rho
    assert v["orth_max_dev_max"] < 1e-10  # "keeps it exactly" (float64)
    assert 1 < v["g1_0_rho_min"] and v["g1_0_rho_max"] < 1.15  # gain 1.0: rho fluctuates above 1
    assert 1.1 * 0.95 < v["g1_1_rho_min"] and v["g1_1_rho_max"] < 1.1 * 1.15  # circular law: radius ≈ gain


@pytest.mark.claim(
    "architectures.lstm-forget-bias",
    settings=("sigmoid1",),
)
def test_lstm_forget_bias():
    v = m.lstm_forget()
    # the quoted factor is bias1 / bias0 in every block, and the quoted values are consistent with it
    for a, b, r in (("bias1", "bias0", "ratio_1_over_0"), ("bias2", "bias1", "ratio_2_over_1")):
        ratios = [x / y for x, y in zip(v[f"{a}_per_block"], v[f"{b}_per_block"])]
        assert ratios == pytest.approx(v[f"{r}_per_block"], rel=1e-9)
    assert v["ratio_1_over_0_min"] > 100  # at least 100 times, every block
    assert v["ratio_2_over_1_min"] > 1  # "larger still"
    # "about 0.69 per step (within 10%), not 0.5": every block
    assert 0.69 * 0.9 < v["per_step_bias0_min"] and v["per_step_bias0_max"] < 0.69 * 1.1
    assert v["per_step_bias0_min"] > 0.55  # distinguishable from halving
