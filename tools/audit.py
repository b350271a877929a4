#!/usr/bin/env python
"""The claims audit: does every ✓ hold on seeds nobody chose, and can every claim test fail?

    python tools/audit.py [--offsets 0,1000,2000,3000,4000] [--no-mutants] [--jobs 2]

1. **Spread.** Runs the claim tests (``pytest -m claim``) once per seed offset (``SEED_OFFSET``,
   read by :mod:`snippets._seeds`), and prints, per claim, how many offsets passed and the min /
   median / max of every value the pages quote.
2. **Mutants.** At the first offset, re-runs each claim test with its claim's quoted values 20%
   off (×1.2 and ×0.8) and its booleans flipped (``tools/audit_plugin.py``), and prints every
   mutant under which the test still passes. Target: ``mutants surviving: 0``.

The report is printed and written to ``.cache/audit/report.md``; the exit status is non-zero when
a claim test failed at some offset or a mutant survived.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / ".cache" / "audit"
PYTEST = ROOT / ".venv" / "bin" / "pytest"


def run(offset: int, mutate: bool, jobs: int, paths: list[str]) -> tuple[int, float, Path]:
    d = OUT / f"offset-{offset}"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    env = dict(
        os.environ,
        SEED_OFFSET=str(offset),
        WRW_AUDIT_DIR=str(d),
        WRW_MUTATE="1" if mutate else "0",
        PYTHONPATH=os.pathsep.join([str(ROOT / "tools"), os.environ.get("PYTHONPATH", "")]),
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
    )
    cmd = [str(PYTEST), "-q", "-m", "claim", "-p", "audit_plugin", "-p", "no:cacheprovider", *paths]
    if jobs > 1:
        cmd += ["-n", str(jobs)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    tail = "\n".join(proc.stdout.strip().splitlines()[-3:])
    print(f"  offset {offset}: {tail.splitlines()[-1] if tail else proc.returncode}", flush=True)
    return proc.returncode, time.perf_counter() - t0, d


def _rows(d: Path, name: str) -> list[dict]:
    out = []
    for f in sorted(d.glob(f"{name}-*.jsonl")):
        out += [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def _fmt(v) -> str:
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--offsets", default="0,1000,2000,3000,4000", help="comma-separated SEED_OFFSET values")
    ap.add_argument("--no-mutants", action="store_true", help="skip the mutation pass")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("paths", nargs="*", default=["tests"])
    a = ap.parse_args()
    offsets = [int(x) for x in a.offsets.split(",") if x.strip()]
    if len(offsets) < 1:
        ap.error("give at least one offset")
    print(f"claims audit: offsets {offsets}, mutants {'off' if a.no_mutants else 'on (first offset)'}")
    values: dict[str, dict[int, dict]] = defaultdict(dict)
    passed: dict[str, dict[int, bool]] = defaultdict(dict)
    mutants: list[dict] = []
    times = {}
    for i, off in enumerate(offsets):
        _, secs, d = run(off, mutate=(i == 0 and not a.no_mutants), jobs=a.jobs, paths=a.paths)
        times[off] = secs
        for r in _rows(d, "values"):
            values[r["claim"]][off] = r["value"] if isinstance(r["value"], dict) else {"": r["value"]}
            passed[r["claim"]][off] = passed[r["claim"]].get(off, True) and r["passed"]
        if i == 0:
            mutants = _rows(d, "mutants")

    sys.path.insert(0, str(ROOT / "tools"))
    from audit_plugin import _quoted_keys

    quoted = _quoted_keys()
    lines = [
        f"# Claims audit ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})",
        "",
        f"Seed offsets: {', '.join(map(str, offsets))} ({', '.join(f'{times[o]:.0f} s' for o in offsets)}).",
        "",
        "| claim | passed at | quoted value: min / median / max over offsets |",
        "|---|---|---|",
    ]
    failing = []
    for cid in sorted(values):
        ok = passed[cid]
        n_ok = sum(ok.values())
        if n_ok < len(ok):
            failing.append(f"{cid} (failed at offset {', '.join(str(o) for o, p in ok.items() if not p)})")
        cells = []
        for key in sorted(quoted.get(cid, set())):
            vs = [values[cid][o].get(key) for o in offsets if o in values[cid]]
            nums = [v for v in vs if isinstance(v, (int, float)) and not isinstance(v, bool)]
            label = key or "value"
            if len(nums) == len(vs) and nums:
                cells.append(
                    f"{label}: {_fmt(min(nums))} / {_fmt(statistics.median(nums))} / {_fmt(max(nums))}"
                )
            elif vs:
                cells.append(f"{label}: {', '.join(sorted({_fmt(v) for v in vs}))}")
        lines.append(f"| `{cid}` | {n_ok}/{len(ok)} | {'; '.join(cells) or '(no quoted value)'} |")
    survivors = [m for m in mutants if m["survived"] and not m.get("reason")]
    explained = [m for m in mutants if m["survived"] and m.get("reason")]
    lines += ["", f"Claim tests failing at some offset: {len(failing)}"]
    lines += [f"- {f}" for f in failing]
    lines += [
        "",
        f"Mutants: {len(mutants)} planted in {len({m['claim'] for m in mutants})} claims; "
        f"mutants surviving: {len(survivors)}",
    ]
    lines += [f"- `{m['claim']}` survives `{m['mutant']}` ({m['test']})" for m in survivors]
    if explained:
        lines += ["", f"Survivors explained on their test ({len(explained)}):"]
        lines += [f"- `{m['claim']}` `{m['mutant']}`: {m['reason']}" for m in explained]
    no_mutant = sorted(set(values) - {m["claim"] for m in mutants}) if mutants else []
    if no_mutant:
        lines += ["", "Claims with nothing to mutate (no quoted number or boolean): " + ", ".join(no_mutant)]
    report = "\n".join(lines) + "\n"
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "report.md").write_text(report, encoding="utf-8")
    print(report)
    return 1 if failing or survivors else 0


if __name__ == "__main__":
    sys.exit(main())
