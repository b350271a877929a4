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
