"""Claims of architectures#diagnose (snippets/architectures/diagnose.py)."""

import math

import pytest

from snippets._seeds import rng
from snippets.architectures import diagnose as m
from snippets.architectures._common import toy_task


@pytest.mark.claim(
    "architectures.initial-loss-check",
    survives={
        "bad_min x1.2": "a lower bound (more than twice −ln(1/C))",
        "bad_median x1.2": "quoted for context above the tested bound",
        "bad_median x0.8": "quoted for context above the tested bound",
        "good_max_rel_err x0.8": "an upper bound (within 10%)",
        "bad_saturation_last_hidden x1.2": "descriptive: the share of saturated units in the failing net",
        "bad_saturation_last_hidden x0.8": "descriptive: the share of saturated units in the failing net",
    },
)
def test_initial_loss_check():
    v = m.initial_loss_check()
    assert v["expected"] == pytest.approx(math.log(4), rel=1e-12)
    assert v["bad_median"] >= v["bad_min"]
    assert v["bad_min"] > 2 * v["expected"] and v["bad_pass_rate"] == 0.0  # every seed
    assert v["good_max_rel_err"] < 0.1 and v["good_pass_rate"] == 1.0  # every seed


@pytest.mark.claim("architectures.tanh-gain-chaotic")
def test_tanh_gain_chaotic():
    v = m.tanh_gain_chaotic()
    assert v["chi1_lecun"] == pytest.approx(1.0, abs=0.005)
    assert v["chi1_gain53"] == pytest.approx(1.21, abs=0.005)


def test_diagnose_reports_every_layer():
    X, Y = toy_task(n=32)
    Ws = m._diag_nets(rng(0), m.DIAG_SIZES, m.GOOD)
    rows, check = m.diagnose(Ws, [None] * len(Ws), X, Y)
    assert [r["layer"] for r in rows] == list(range(1, len(Ws) + 1))
    assert check["expected"] == pytest.approx(math.log(4))


def test_table_renders():
    header, rows = m.tbl_diagnose()
    assert rows and all(len(r) == len(header) for r in rows)
