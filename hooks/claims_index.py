"""Which test checks which claim: ``@pytest.mark.claim("<id>")`` found by reading tests/ (no import)."""

from __future__ import annotations

import ast
from pathlib import Path


def claim_tests(tests_dir: Path) -> dict[str, tuple[str, str, int]]:
    """claim id -> (test function name, test file path relative to ``tests_dir``, line of the def)."""
    out: dict[str, tuple[str, str, int]] = {}
    for f in sorted(tests_dir.rglob("test_*.py")):
        tree = ast.parse(f.read_text(encoding="utf-8"), str(f))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                continue
            for dec in node.decorator_list:
                for cid in _claim_ids(dec):
                    out.setdefault(cid, (node.name, f.relative_to(tests_dir).as_posix(), node.lineno))
    return out


def _claim_ids(dec: ast.expr) -> list[str]:
    # pytest.mark.claim("id") or pytest.mark.claim("id1", "id2")
    if (
        isinstance(dec, ast.Call)
        and isinstance(dec.func, ast.Attribute)
        and dec.func.attr == "claim"
        and isinstance(dec.func.value, ast.Attribute)
        and dec.func.value.attr == "mark"
    ):
        return [a.value for a in dec.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return []
