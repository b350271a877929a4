"""Claims of the zero-init atlas (docs/practice.md#zero-init-atlas)."""

import pytest

import snippets.practice.zero_atlas as m


@pytest.mark.claim("practice.atlas-first-steps", settings=("seeds", "steps"))
def test_atlas_first_steps():
    v = m.atlas_first_steps()
    assert v["seeds"] >= 5
    assert v["agree_every_seed"] is True  # every seed, every parameter: the predicted step
    assert v["latest_step"] == 1  # "0 or 1": nothing waits longer (except the trap)
    assert v["trap_moves"] is False  # the zero pair never gets a non-zero gradient


def test_atlas_table_rows_match_prediction():
    header, rows = m.tbl_atlas()
    assert len(rows) == len(m.PREDICTED)
    assert all(r[3] == r[4] for r in rows)
