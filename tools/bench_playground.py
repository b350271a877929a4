"""Benchmark of the playground (docs/playground.md): how long one update takes at depth 50 x width 256.

An "update" is what happens when the reader moves the sigma slider: the page recomputes the forward
and backward pass of the whole network in JavaScript and redraws the histograms and the chart.
This measures it in Debian's headless Chromium; it is a benchmark, not a timed test.

    .venv/bin/python tools/bench_playground.py [SITE_DIR] [--repeats N]

SITE_DIR defaults to site/ (build it with `make site`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

# Move the sigma slider one step (as the browser does for a drag or an arrow key: set the value,
# fire `input`), then wait for the page's `wrw-drawn` event. Returns the page's own timing of the
# update (compute and draw) and the wall time from the event to the end of the drawing, which also
# includes the wait for the next animation frame.
STEP_JS = """async (k) => {
  const root = document.getElementById('wrw-playground'), s = document.getElementById('pg-sigma');
  const done = new Promise((r) => root.addEventListener('wrw-drawn', r, { once: true }));
  const t0 = performance.now();
  s.value = (-1.6 + 0.05 * (k % 12)).toFixed(2);
  s.dispatchEvent(new Event('input', { bubbles: true }));
  await done;
  return { ...window.wrwPlayground.timing, wall: performance.now() - t0 };
}"""


def bench_playground(site: Path, repeats: int = 30, depth: int = 50, width: int = 256) -> dict:
    """Median and worst update times (ms) of the playground at ``depth`` x ``width``."""
    from browser import chromium, serve

    out: dict = {"depth": depth, "width": width, "repeats": repeats}
    with serve(site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "playground/")
        page.wait_for_function("document.getElementById('wrw-playground')?.dataset.draws >= 1")
        for act, init in [("tanh", "normal"), ("relu", "he"), ("tanh", "orthogonal")]:
            cfg = {"activation": act, "init": init, "depth": depth, "width": width, "sigma": 0.01, "seed": 0}
            t_first = page.evaluate(
                "c => { const t = performance.now(); window.wrwPlayground.set(c); return performance.now() - t; }",
                cfg,
            )
            runs = [page.evaluate(STEP_JS, k) for k in range(repeats)]
            key = f"{act}-{init}"
            out[key] = {
                "first_ms": round(t_first, 1),  # includes drawing the weights' random numbers
                **{
                    f"{m}_median_ms": round(statistics.median(r[m] for r in runs), 1)
                    for m in ("compute", "draw", "total", "wall")
                },
                "total_max_ms": round(max(r["total"] for r in runs), 1),
            }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", nargs="?", default=str(ROOT / "site"))
    ap.add_argument("--repeats", type=int, default=30)
    a = ap.parse_args()
    print(json.dumps(bench_playground(Path(a.site), a.repeats), indent=2))


if __name__ == "__main__":
    main()
