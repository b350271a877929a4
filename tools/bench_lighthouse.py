"""Lighthouse on every page of the built site: performance, accessibility, best practices, SEO
and the DOM size, as a phone reader gets them (``make bench`` prints this table).

Lighthouse 12.2.3 (npm, pinned in package.json), its mobile preset, Debian's Chromium headless;
the site is served gzip-compressed on 127.0.0.1, as GitHub Pages serves it. Targets (issue 13):
performance >= 90, accessibility, best practices and SEO 100, at most 3,000 DOM elements.

    .venv/bin/python tools/bench_lighthouse.py [SITE_DIR] [--pages PAGE ...] [--all] [--json FILE]

SITE_DIR defaults to site/. By default every page but the source listings (code/); ``--all``
includes those too. A page is a URL path relative to the site root ("" is the home page).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 100}
MAX_DOM = 3000


def run_page(url: str, out: Path) -> dict:
    """One Lighthouse run (mobile preset) of ``url``: the four scores (0-100), DOM elements, and
    the failing audits of the categories below target."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROMIUM", "/usr/bin/chromium")}
    cmd = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox",
        "--max-wait-for-load=60000",
    ]
    # its own process group, so that a timeout also ends the Chromium that Lighthouse started
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        stdout, stderr = proc.communicate(timeout=600)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {"error": "Lighthouse took over 600 s"}
    p = subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)
    if p.returncode or not out.exists():
        return {"error": (p.stderr or p.stdout)[-500:]}
    rep = json.loads(out.read_text())
    row = {c: round(100 * (rep["categories"][c]["score"] or 0)) for c in CATEGORIES}
    row["dom"] = int(rep["audits"]["dom-size"].get("numericValue") or 0)
    for k in (
        "first-contentful-paint",
        "largest-contentful-paint",
        "total-blocking-time",
        "cumulative-layout-shift",
    ):
        row[k] = rep["audits"][k].get("displayValue", "")
    failing = []
    row["contrast"] = [
        it.get("node", {}).get("selector", "")
        for it in (rep["audits"].get("color-contrast", {}).get("details") or {}).get("items", [])
    ][:5]
    for c in CATEGORIES:
        if row[c] >= TARGETS[c]:
            continue
        for ref in rep["categories"][c]["auditRefs"]:
            a = rep["audits"][ref["id"]]
            if ref.get("weight") and a.get("score") is not None and a["score"] < 0.9:
                failing.append(f"{c}:{ref['id']}")
    row["failing"] = failing
    return row


def main() -> None:
    from browser import serve, site_pages

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", nargs="?", default=str(ROOT / "site"))
    ap.add_argument("--pages", nargs="*")
    ap.add_argument("--all", action="store_true", help="include the source listings (code/)")
    ap.add_argument("--json", help="also write the rows to this file")
    a = ap.parse_args()
    site = Path(a.site)
    if not LIGHTHOUSE.exists():
        sys.exit("bench_lighthouse: node_modules/.bin/lighthouse is missing: run `npm ci`")
    pages = (
        a.pages
        if a.pages is not None
        else [p for p in site_pages(site) if a.all or not p.startswith("code/")]
    )
    rows = {}
    with serve(site, compress=True) as base, tempfile.TemporaryDirectory() as tmp:
        for i, rel in enumerate(pages):
            rows[rel] = run_page(base + rel, Path(tmp) / f"{i}.json")
            print(f"  measured /{rel}: {rows[rel]}", file=sys.stderr, flush=True)
    print("| page | performance | accessibility | best practices | SEO | DOM elements | LCP | TBT |")
    print("|---|---|---|---|---|---|---|---|")
    for rel, r in rows.items():
        if "error" in r:
            print(f"| `/{rel}` | error: {r['error'].splitlines()[-1] if r['error'] else '?'} |||||||")
            continue
        cells = [f"{r[c]}" + ("" if r[c] >= TARGETS[c] else " ✗") for c in CATEGORIES]
        cells.append(f"{r['dom']:,}" + ("" if r["dom"] <= MAX_DOM else " ✗"))
        cells += [r["largest-contentful-paint"], r["total-blocking-time"]]
        print(f"| `/{rel}` | " + " | ".join(cells) + " |")
    print(
        f"\nTargets: performance ≥ 90; accessibility, best practices, SEO 100; ≤ {MAX_DOM:,} DOM elements (✗: missed)."
    )
    for rel, r in rows.items():
        if r.get("failing"):
            print(f"- `/{rel}` below target: {', '.join(r['failing'])}")
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
