"""The framework-defaults data file, and (when the frameworks are importable) its live check."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "framework_defaults.json"
FRAMEWORKS = ("torch", "keras", "flax")


def test_data_file_is_complete():
    data = json.loads(DATA.read_text())
    assert set(data["checked_with"]) == set(FRAMEWORKS)
    for row in data["rows"]:
        for fw in FRAMEWORKS:
            cell = row[fw]
            assert cell["init"]
            if "src" in cell:  # a real layer: it was measured and its source line recorded
                assert isinstance(cell["src"]["line"], int), (row["id"], fw)
                assert "measured" in cell, (row["id"], fw)


@pytest.mark.skipif(
    not all(importlib.util.find_spec(m) for m in ("torch", "keras", "flax")),
    reason="torch, keras and flax are not all importable (see tools/check_framework_defaults.py)",
)
def test_framework_defaults_match_the_frameworks():
    r = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "check_framework_defaults.py"), "--require"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stdout + r.stderr


TRAPS = ROOT / "data" / "framework_traps.json"


def test_traps_file_is_complete():
    data = json.loads(TRAPS.read_text())
    assert set(data["checked_with"]) == {"torch", "keras", "jax", "flax"}
    assert set(data["traps"]) == {
        "recurrent-per-gate",
        "keras-forget-bias",
        "torch-encoder-clones",
        "torch-transformer-xavier",
        "keras-shared-initializer",
        "keras-3d-fans",
    }
    for name, t in data["traps"].items():
        assert t["measured"], name
        assert t["src"] and all(isinstance(s["line"], int) and s["file"] and s["text"] for s in t["src"]), (
            name
        )
    # the two data files were measured on the same framework versions
    versions = json.loads(DATA.read_text())["checked_with"]
    assert data["checked_with"]["torch"] == versions["torch"]["torch"]
    assert data["checked_with"]["keras"] == versions["keras"]["keras"]
    assert data["checked_with"]["flax"] == versions["flax"]["flax"]


@pytest.mark.skipif(
    not all(importlib.util.find_spec(m) for m in ("torch", "keras", "flax")),
    reason="torch, keras and flax are not all importable (see tools/measure_framework_traps.py)",
)
def test_framework_traps_source_lines_still_hold():
    r = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "measure_framework_traps.py")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stdout + r.stderr
