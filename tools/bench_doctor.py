"""Benchmark of the Init Doctor (docs/doctor.md): how long the analysis of a 100-layer model takes in
Debian's headless Chromium (the bar: at most 50 ms). It is a benchmark, not a timed test; on a
loaded machine read the minimum, the cost of the analysis itself.

    .venv/bin/python tools/bench_doctor.py [SITE_DIR] [--repeats N]

SITE_DIR defaults to site/ (build it with `make site`). Models: a 100-Linear ReLU MLP (PyTorch
print, 200 modules), a 100-layer tanh MLP with LayerNorm and Dropout, and torchvision's ResNet-18
print from data/doctor_fixtures/.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def mlp(depth: int, width: int = 512, extra: bool = False) -> str:
    lines, k = ["Sequential("], 0
    for _ in range(depth):
        lines.append(f"  ({k}): Linear(in_features={width}, out_features={width}, bias=True)")
        k += 1
        if extra:
            lines.append(f"  ({k}): LayerNorm(({width},), eps=1e-05, elementwise_affine=True)")
            lines.append(f"  ({k + 1}): Dropout(p=0.1, inplace=False)")
            k += 2
        lines.append(f"  ({k}): {'Tanh' if extra else 'ReLU'}()")
        k += 1
    return "\n".join([*lines, ")"])


def bench_doctor(site: Path, repeats: int = 20) -> dict:
    from browser import chromium, serve

    models = {
        "relu-mlp-100": (mlp(100), "64x512"),
        "tanh-ln-mlp-100": (mlp(100, extra=True), "64x512"),
        "resnet18": tuple(
            json.loads((ROOT / "data/doctor_fixtures/resnet18.json").read_text())[k]
            for k in ("text", "input")
        ),
    }
    out: dict = {"repeats": repeats}
    with serve(site) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "doctor/")
        page.wait_for_function("window.wrwDoctor !== undefined")
        for name, (text, shape) in models.items():
            times = page.evaluate(
                """([t, s, n]) => { const out = []; wrwDoctor.analyze(t, s);
                   for (let i = 0; i < n; i++) { const t0 = performance.now(); wrwDoctor.analyze(t, s); out.push(performance.now() - t0); }
                   return out; }""",
                [text, shape, repeats],
            )
            rows = page.evaluate("([t, s]) => wrwDoctor.analyze(t, s).rows.length", [text, shape])
            out[name] = {
                "modules": rows,
                "min_ms": round(min(times), 1),
                "median_ms": round(statistics.median(times), 1),
                "max_ms": round(max(times), 1),
            }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", nargs="?", default=str(ROOT / "site"))
    ap.add_argument("--repeats", type=int, default=20)
    a = ap.parse_args()
    print(json.dumps(bench_doctor(Path(a.site), a.repeats), indent=2))


if __name__ == "__main__":
    main()
