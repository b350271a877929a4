"""Claims of docs/deep.md#mean-field."""

import numpy as np
import pytest

from snippets.deep import meanfield as mf


def _map(c0, sw2, layers):
    q = float(mf.q_star(sw2, mf.SB2))
    c = c0
    for _ in range(layers):
        c = float(mf.c_map(c, q, sw2, mf.SB2))
    return c


@pytest.mark.claim(
    "deep.meanfield-maps",
    settings=("seeds",),
    survives={
        "q_rel_err": "a bound in the sentence: any value on the safe side of it satisfies the sentence (a tolerance)",
        "c_abs_err": "a bound in the sentence: any value on the safe side of it satisfies the sentence (a tolerance)",
    },
)
def test_meanfield_maps():
    r = mf.meanfield_maps()
    assert r["seeds"] == 20
    assert r["q_rel_err"] < 0.05 and r["c_abs_err"] < 0.03
    assert abs(r["q_star"] - float(mf.q_star(1.2, 0.05))) < 1e-12


@pytest.mark.claim(
    "deep.poole-cmap",
    survives={
        "ordered_err": "a bound in the sentence: any value on the safe side of it satisfies the sentence (a tolerance)",
        "chaotic_err": "a bound in the sentence: any value on the safe side of it satisfies the sentence (a tolerance)",
    },
)
def test_poole_cmap():
    r = mf.poole_cmap()
    assert r["ordered_err"] < 0.03 and r["chaotic_err"] < 0.03
    assert r["ordered_rises"] is True and r["chaotic_rises"] is True
    assert (
        abs(r["ordered_c8"] - _map(0.6, 1.2, 8)) < 1e-9 and abs(r["chaotic_c8"] - _map(0.99, 3.0, 8)) < 1e-9
    )
    assert r["ordered_chi1"] < 1 < r["chaotic_chi1"]


@pytest.mark.claim("deep.schoenholz-gradient", settings=("blocks",))
def test_schoenholz_gradient():
    r = mf.schoenholz_gradient()
    for phase in ("ordered", "chaotic"):  # within 10% of 30 ln chi1, in every block
        assert 0.9 < r[f"{phase}_rel_min"] and r[f"{phase}_rel_max"] < 1.1
        pred = 30 * np.log10(
            mf.chi1(
                *{"ordered": (1.2,), "chaotic": (3.0,)}[phase],
                mf.q_star({"ordered": 1.2, "chaotic": 3.0}[phase], mf.SB2),
            )
        )
        assert abs(r[f"{phase}_pred_log10"] - pred) < 1e-9
        assert abs(r[f"{phase}_log10"] / pred - 1) < 0.1
    assert r["ordered_pred_log10"] < 0 < r["chaotic_pred_log10"]  # vanishing / exploding


@pytest.mark.claim(
    "deep.meanfield-xi-c",
    survives={
        "fitted": "within the stated 15% tolerance of the theory",
        "rel_err": "a bound in the sentence: any value on the safe side of it satisfies the sentence (a tolerance)",
    },
)
def test_meanfield_xi_c():
    r = mf.meanfield_xi_c()
    assert r["rel_err"] < 0.15
    assert abs(r["theory"] + 1 / np.log(mf.chi1(1.2, mf.q_star(1.2, 0.05)))) < 1e-9
    assert abs(r["fitted"] / r["theory"] - 1) < 0.15


@pytest.mark.claim("deep.meanfield-critical", survives={"xi_q_at": "quoted for context, not claimed"})
def test_meanfield_critical():
    r = mf.meanfield_critical()
    assert abs(r["chi1_at"] - 1) < 1e-6
    assert 1.5 < r["sw2"] < 2.0
    assert 5 < r["xi_c_below"] < 100 and 5 < r["xi_c_above"] < 100  # finite: tens of layers
    assert abs(r["xi_c_below"] - float(mf.xi_c(r["sw2"] - 0.3, 0.05))) < 1e-9
    assert abs(r["xi_c_above"] - float(mf.xi_c(r["sw2"] + 0.3, 0.05))) < 1e-9


@pytest.mark.claim(
    "deep.trainability-6xi",
    settings=("beyond_cells", "within_cells"),
    survives={
        "beyond_rate": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
        "within_rate": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
    },
)
def test_trainability_6xi():
    r = mf.trainability_6xi()
    assert r["beyond_rate"] < r["within_rate"] / 3  # less than a third as often
    assert r["within_rate"] > 0.5  # more than half of the cells below 6 xi_c train
    assert r["beyond_cells"] + r["within_cells"] == len(mf.TRAIN_SW2) * len(mf.TRAIN_DEPTHS)
