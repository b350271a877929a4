"""pytest plugin of the claims audit (``tools/audit.py``); loaded with ``-p audit_plugin``.

For every test marked ``@pytest.mark.claim("<id>")`` it

* records the claim's measured value (flattened) and the test's outcome, one JSON line per test,
  in ``$WRW_AUDIT_DIR/values-<worker>.jsonl``;
* with ``WRW_MUTATE=1``, runs the test body again once per *mutant*: the value the test sees is
  the measured one with one quoted key multiplied by 1.2 or 0.8 (its ``_min``/``_max``/
  ``_per_block`` companions too), or a boolean flipped. A mutant under which the test still
  passes is a *survivor*, written to ``$WRW_AUDIT_DIR/mutants-<worker>.jsonl``: its test would
  pass if the sentence were 20% off, or the opposite verdict.

Which keys are mutated: the keys the pages quote (``<!-- value: id.key -->``) and every boolean;
a claim whose pages quote no key gets every numeric key mutated at once. Keys that are settings of
the experiment rather than measurements (a seed count, a width) are declared on the test,
``@pytest.mark.claim("id", settings=("seeds", "width"))``, and are not mutated. A mutant that
survives for a reason (a one-sided sentence: "at most 0.75" still holds at 0.6) is explained on the
test, ``survives={"max_accuracy x0.8": "an upper bound: any lower value satisfies it"}`` (the key
is a mutant label or a value key); the audit prints the reason and does not count it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FACTORS = (1.2, 0.8)
VALUE = re.compile(
    r"<!--\s*value\s*:\s*([a-z][a-z0-9_-]*\.[a-z0-9][a-z0-9-]*)(?:\.(\S+?))?(?:\s+[^>]*?)?\s*-->"
)


def _quoted_keys() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for page in (ROOT / "docs").rglob("*.md"):
        for cid, key in VALUE.findall(page.read_text(encoding="utf-8")):
            out.setdefault(cid, set()).add(key or "")
    return out


def _scale(v, f):
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, (int, float)):
        return v * f
    if isinstance(v, (list, tuple)):
        return type(v)(_scale(x, f) for x in v)
    if hasattr(v, "__array__"):
        return v * f
    return v


def _set(value, keys: set[str], f):
    """The claim value with ``keys`` (and their spread companions) multiplied by ``f``."""
    if not isinstance(value, dict):
        return _scale(value, f)
    out = dict(value)
    for k in list(out):
        base = re.sub(r"_(min|max|per_block)$", "", k)
        if k in keys or base in keys:
            out[k] = _scale(out[k], f)
    return out


def mutants(cid: str, value, quoted: set[str], settings: frozenset[str] = frozenset()):
    """``(label, mutated value)`` pairs for one claim value."""
    if isinstance(value, bool):
        yield "flipped", not value
        return
    if not isinstance(value, dict):
        if isinstance(value, (int, float)):
            for f in FACTORS:
                yield f"x{f}", value * f
        return
    value_keys = {k: v for k, v in value.items() if re.sub(r"_(min|max|per_block)$", "", k) not in settings}
    bools = [k for k, v in value_keys.items() if isinstance(v, bool)]
    for k in bools:
        yield f"{k} flipped", {**value, k: not value[k]}
    numeric = {
        k
        for k, v in value_keys.items()
        if not isinstance(v, bool) and isinstance(v, (int, float, list)) and v != []
    }
    keys = [k for k in sorted(quoted) if k in numeric]
    if keys:
        for k in keys:
            for f in FACTORS:
                yield f"{k} x{f}", _set(value, {k}, f)
    elif numeric and not bools:
        for f in FACTORS:
            yield f"all x{f}", _set(value, numeric, f)


def _out(name: str) -> Path:
    d = Path(os.environ.get("WRW_AUDIT_DIR", ROOT / ".cache" / "audit"))
    d.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return d / f"{name}-{worker}.jsonl"


def _append(name: str, row: dict) -> None:
    with _out(name).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(row, default=str) + "\n")


@pytest.hookimpl(hookwrapper=True)
def pytest_pyfunc_call(pyfuncitem):
    marker = pyfuncitem.get_closest_marker("claim")
    outcome = yield
    if marker is None:
        return
    from snippets import _registry as reg

    passed = outcome.excinfo is None
    offset = int(os.environ.get("SEED_OFFSET", "0") or 0)
    for cid in marker.args:
        entry = reg.CLAIMS.get(cid)
        value = None
        if entry is not None:
            try:
                value = reg.flatten_value(entry.func())
            except Exception as e:  # noqa: BLE001 - the audit reports it
                value = {"error": f"{type(e).__name__}: {e}"}
        _append(
            "values",
            {"claim": cid, "test": pyfuncitem.nodeid, "offset": offset, "passed": passed, "value": value},
        )
    if not passed or os.environ.get("WRW_MUTATE") != "1":
        return
    quoted = _quoted_keys()
    func = pyfuncitem.obj
    args = {a: pyfuncitem.funcargs[a] for a in pyfuncitem._fixtureinfo.argnames}
    for cid in marker.args:
        entry = reg.CLAIMS.get(cid)
        if entry is None:
            continue
        true_value = entry.func()
        settings = frozenset(marker.kwargs.get("settings", ()))
        for label, mutated in mutants(cid, true_value, quoted.get(cid, set()), settings):
            reg.MUTATOR = lambda id_, v, cid=cid, mutated=mutated: mutated if id_ == cid else v
            try:
                func(**args)
                survived = True
            except Exception:  # noqa: BLE001 - any failure kills the mutant
                survived = False
            finally:
                reg.MUTATOR = None
            reasons = marker.kwargs.get("survives", {})
            reason = reasons.get(label) or reasons.get(label.split(" ")[0]) if survived else None
            _append(
                "mutants",
                {
                    "claim": cid,
                    "test": pyfuncitem.nodeid,
                    "mutant": label,
                    "survived": survived,
                    "reason": reason,
                },
            )
