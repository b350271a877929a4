"""Claims of docs/deep.md#lecun-1998."""

import pytest

from snippets.deep import lecun


@pytest.mark.claim(
    "deep.lecun-near-critical",
    survives={"xi_c": "quoted for context; -1/ln chi_c, tested through chi1"},
)
def test_lecun_near_critical():
    r = lecun.lecun_near_critical()
    assert abs(r["sw2_equiv"] - (1.7159 * 2 / 3) ** 2) < 1e-12 and abs(r["sw2_equiv"] - 1.309) < 1e-3
    assert 1 < r["chi1"] < 1.05  # within 5% of 1, on the chaotic side
    assert abs(r["f_of_1"] - 1) < 1e-4


@pytest.mark.claim("deep.lecun-chi1-simulated", settings=("blocks",))
def test_lecun_chi1_simulated():
    r = lecun.lecun_chi1_simulated()
    assert r["max_rel_err"] < 0.02  # every block within 2% of the mean-field chi1
    assert abs(r["chi1_sim"] / r["chi1_theory"] - 1) < 0.02
    assert abs(r["chi1_theory"] - lecun.lecun_near_critical()["chi1"]) < 1e-12
