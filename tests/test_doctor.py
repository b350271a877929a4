"""Claims of docs/doctor.md: the Init Doctor against the frameworks' own measurements, and its
input handling. The fixtures are committed data (tools/doctor_fixtures.py made them), so these run
without the frameworks."""

from __future__ import annotations

import json
import math

import pytest

from snippets.doctor import DoctorError, analyze
from snippets.doctor import claims as dc
from snippets.doctor.traps import TRAP_IDS

STATED_TOL = 0.5  # the page's "within 0.5 decades" (a factor 3.2), fixed here on purpose


def recompute():
    """Worst errors straight from the fixture files, independently of the claim functions."""
    worst_q, worst_g = {}, {}
    for f in sorted(dc.FIXTURES.glob("*.json")):
        fx = json.loads(f.read_text())
        rows = {x["name"]: x for x in analyze(fx["text"], fx["input"])["rows"]}
        for name, m in fx["layers"].items():
            if name in rows:
                p = rows[name]
                worst_q[fx["name"]] = max(worst_q.get(fx["name"], 0.0), dc.decades(p["q"], m["q"]))
                if p["g"] is not None and "g" in m:
                    worst_g[fx["name"]] = max(worst_g.get(fx["name"], 0.0), dc.decades(p["g"], m["g"]))
    return worst_q, worst_g


def test_fixtures_are_from_the_frameworks():
    files = sorted(dc.FIXTURES.glob("*.json"))
    assert len(files) >= 10
    for f in files:
        fx = json.loads(f.read_text())
        assert fx["made_by"] == "tools/doctor_fixtures.py" and fx["seeds"] >= 3
        assert "torch" in fx["versions"] and fx["layers"]
        for v in fx["layers"].values():
            assert len(v["q_seeds"]) == fx["seeds"]


@pytest.mark.claim("doctor.forward-within")
def test_forward_within():
    v = dc.forward_within()
    worst_q, _ = recompute()
    assert v["tol"] == STATED_TOL and v["fixtures"] == len(worst_q) >= 10
    assert v["worst"] == pytest.approx(max(worst_q.values()), rel=1e-12)
    assert v["within"] == sum(w <= STATED_TOL for w in worst_q.values())
    assert v["within"] > v["fixtures"] / 2  # "most fixtures"
    srt = sorted(worst_q.values())
    assert v["median_worst"] == pytest.approx(srt[len(srt) // 2], rel=1e-12)
    assert v["layers"] >= 300


@pytest.mark.claim("doctor.backward-within")
def test_backward_within():
    v = dc.backward_within()
    _, worst_g = recompute()
    assert v["tol"] == STATED_TOL
    assert v["fixtures"] == len(worst_g)
    assert v["within"] == sum(w <= STATED_TOL for w in worst_g.values())
    assert v["within"] > v["fixtures"] / 2  # "most fixtures"


@pytest.mark.claim("doctor.traps-exact")
def test_traps_exact():
    v = dc.traps_exact()
    rep = dc.fixture_report()
    assert v["exact"] is True
    for name, r in rep.items():  # flagged exactly where the fixture has the trap
        assert set(r["traps"]) == dc.EXPECTED_TRAPS.get(name, set()), name
    assert v["covered"] == v["traps"] == len(TRAP_IDS)  # every flag is triggered by some fixture
    assert v["fixtures"] == len(rep)


@pytest.mark.claim("doctor.initial-loss")
def test_initial_loss():
    v = dc.initial_loss_claim()
    rep = dc.fixture_report()
    errs = [
        abs(r["loss_pred"] / r["loss_meas"] - 1)
        for r in rep.values()
        if r["loss_pred"] is not None and "tied-embedding-n01" not in r["traps"]
    ]
    assert v["fixtures"] == len(errs) >= 8
    assert v["worst_rel"] == pytest.approx(max(errs), rel=1e-12)
    assert v["worst_rel"] <= 0.05


def test_initial_loss_formula():
    from snippets.doctor.core import initial_loss

    assert initial_loss(0.0, 1000) == pytest.approx(math.log(1000), rel=1e-6)
    assert initial_loss(0.01, 10) == pytest.approx(math.log(10) + 0.005, rel=1e-3)  # ln C + s^2/2, small s


BAD = [
    ("", "empty"),
    ("hello world, this is not a model", "line 1"),
    ("Sequential(\n  (0): Linear(in_features=4, out_features=4, bias=True)\n  (1): ReLU()\n", "cut off"),
    ('{"model_type": "gpt2", "n_embd": 64', "line"),
    ('{"model_type": "bloom"}', "model_type"),
    ("Sequential(\n  (0): Dropout(p=0.1, inplace=False)\n)", "nothing to analyse"),
]


@pytest.mark.parametrize("text,expect", BAD)
def test_bad_input_names_the_problem(text, expect):
    with pytest.raises(DoctorError, match=expect):
        analyze(text)


def test_unknown_layers_are_named_by_line():
    text = "Sequential(\n  (0): Linear(in_features=8, out_features=8, bias=True)\n  (1): Frobnicate(k=3)\n  (2): ReLU()\n)"
    r = analyze(text)
    assert [u["line"] for u in r["unread"]] == [3]
    assert any("Frobnicate" in n["text"] and n["line"] == 3 for n in r["notes"])
