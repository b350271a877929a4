"""The build benchmark: one table, measured in one run (``make bench``).

Works on a temporary copy of the project so that the repository's own caches stay untouched:

* cold build (empty caches), warm build (no change), and the figures-off floor;
* under a running ``mkdocs serve`` (the time from saving a file to the page being served with the
  change): a prose-only edit, a caption edit in a snippet module (nothing may be recomputed: the
  cache key ignores captions) and a code edit of one snippet module (only it is recomputed);
* the test-suite time (``pytest -n 2``, unless ``--no-tests``);
* the weight of each page: HTML plus every asset and figure it loads, in headless Chromium.

``--update-readme`` writes the table between the BENCH markers of README.md, which the About
page includes (section ``bench``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "tests"))
from projects import copy_project, mkdocs_build  # noqa: E402

ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")


def build(project: Path, **env) -> tuple[float, str]:
    t0 = time.perf_counter()
    p = mkdocs_build(project, project / "site", env=dict(ENV, **env), timeout=3600)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit(f"bench: build failed:\n{p.stderr[-3000:]}")
    return dt, p.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8", "replace")
    except OSError:
        return ""


def serve_edits(project: Path) -> dict[str, float | int]:
    """Times, under ``mkdocs serve``, from saving an edit to serving the changed page."""
    port = _free_port()
    log = open(project / "serve.log", "w")
    proc = subprocess.Popen(
        [
            str(BIN / "mkdocs"),
            "serve",
            "--dirty",
            "-a",
            f"127.0.0.1:{port}",
        ],  # as `make serve` (with live reload: without it MkDocs does not watch the files)
        cwd=project,
        env=dict(ENV, PYTHONPATH=str(project)),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/"
    out: dict[str, float | int] = {}
    try:
        deadline = time.time() + 600
        while "Why Random Weights" not in _get(base):
            if time.time() > deadline or proc.poll() is not None:
                sys.exit(
                    "bench: mkdocs serve did not come up:\n" + (project / "serve.log").read_text()[-2000:]
                )
            time.sleep(0.2)

        def wait_for(url: str, needle: str) -> float:
            t0 = time.perf_counter()
            while needle not in _get(url):
                if time.perf_counter() - t0 > 300:
                    sys.exit(f"bench: {needle!r} never appeared at {url}")
                time.sleep(0.05)
            return time.perf_counter() - t0

        def wait_for_log(since: int, needle: str) -> float:
            """Seconds until ``needle`` appears in the serve log after byte ``since`` (a rebuild that
            changes no visible text: the log says when it has been served)."""
            t0 = time.perf_counter()
            while needle not in (project / "serve.log").read_text()[since:]:
                if time.perf_counter() - t0 > 300:
                    sys.exit(f"bench: {needle!r} never appeared in the serve log")
                time.sleep(0.05)
            return time.perf_counter() - t0

        about = project / "docs" / "about.md"
        time.sleep(1.0)  # let the watcher settle
        about.write_text(about.read_text() + "\n\nBenchmark prose edit marker.\n")
        out["prose_edit_s"] = wait_for(base + "about/", "Benchmark prose edit marker")

        snip = project / "snippets" / "index.py"

        def recomputed(since: int) -> str:
            m = re.search(r"computed (snippets\.[\w., ]+)", (project / "serve.log").read_text()[since:])
            return m.group(1).strip() if m else "nothing"

        # A caption edit: prose inside snippets/index.py, read at page time.
        before = len((project / "serve.log").read_text())
        snip.write_text(snip.read_text().replace('caption=f"', 'caption=f"Benchmark caption marker. ', 1))
        out["caption_edit_s"] = wait_for(base, "Benchmark caption marker")
        out["caption_recomputed"] = recomputed(before)

        # A code edit of one module (not only a comment): snippets/index.py.
        time.sleep(1.0)
        before = len((project / "serve.log").read_text())
        snip.write_text(snip.read_text().replace("fan_in=784, width=2048", "fan_in=784, width=2047"))
        out["snippet_edit_s"] = wait_for_log(before, "Documentation built")
        out["snippet_modules_recomputed"] = recomputed(before)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
        log.close()
    return out


def page_weights(site: Path) -> dict[str, int]:
    """Bytes loaded by each page (HTML, CSS, JS, fonts, figures), measured in Chromium."""
    from browser import chromium, serve, site_pages

    weights: dict[str, int] = {}
    with serve(site) as base, chromium() as browser:
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        for rel in site_pages(site):
            if rel.startswith("code/"):
                continue
            page = ctx.new_page()
            sizes: dict[str, int] = {}

            def on_response(r, sizes=sizes):
                try:
                    sizes[r.url] = len(r.body())
                except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
                    pass

            page.on("response", on_response)
            page.goto(base + rel, wait_until="networkidle")
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_timeout(300)
            weights[rel or "(home)"] = sum(sizes.values())
            page.close()
    return weights


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--no-tests", action="store_true", help="skip timing the test suite")
    ap.add_argument("--update-readme", action="store_true", help="write the table into README.md")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="wrw-bench-"))
    project = copy_project(tmp / "project", caches=False)
    rows: list[tuple[str, str, str]] = []

    cold, _ = build(project)
    rows.append(("cold build (empty caches)", f"{cold:.1f} s", ""))
    first = {
        p.relative_to(project / "site"): p.read_bytes() for p in (project / "site" / "figures").rglob("*.svg")
    }
    cold2, _ = build(project, FIGURES_REFRESH="1")
    second = {
        p.relative_to(project / "site"): p.read_bytes() for p in (project / "site" / "figures").rglob("*.svg")
    }
    same = sum(first[k] == second.get(k) for k in first)
    rows.append(
        (
            "second cold build (`FIGURES_REFRESH=1`)",
            f"{cold2:.1f} s",
            f"{same}/{len(first)} SVGs byte-identical to the first"
            + ("" if same == len(first) == len(second) else " (MISMATCH)"),
        )
    )
    warm, _ = build(project)
    floor, _ = build(project, FIGURES_OFF="1")
    rows.append(("warm build, no change", f"{warm:.2f} s", f"{warm / floor:.2f}× the floor (target ≤ 1.3×)"))
    rows.append(("build with figures off (the floor)", f"{floor:.2f} s", ""))

    weights = page_weights(project / "site")
    edits = serve_edits(project)
    rows.append(
        (
            "`mkdocs serve`: prose-only edit",
            f"{edits['prose_edit_s']:.2f} s",
            "save → page served (target ≤ 1 s)",
        )
    )
    rows.append(
        (
            "`mkdocs serve`: caption edit in a snippet module",
            f"{edits['caption_edit_s']:.2f} s",
            f"recomputed: {edits['caption_recomputed']} (target ≤ 1 s, nothing recomputed)",
        )
    )
    rows.append(
        (
            "`mkdocs serve`: snippet-module edit",
            f"{edits['snippet_edit_s']:.2f} s",
            f"recomputed: {edits['snippet_modules_recomputed']} (target: that module only)",
        )
    )
    if not args.no_tests:
        t0 = time.perf_counter()
        p = subprocess.run(
            [
                str(BIN / "pytest"),
                "-q",
                "--codeblocks",
                "-n",
                "2",
                "--dist",
                "loadfile",
                "tests",
                "docs",
                "README.md",
                "CONTRIBUTING.md",
                "-p",
                "no:cacheprovider",
            ],
            cwd=ROOT,
            env=ENV,
            capture_output=True,
            text=True,
        )
        tail = (p.stdout.strip().splitlines() or ["?"])[-1]
        rows.append(("test suite (`pytest -n 2`)", f"{time.perf_counter() - t0:.0f} s", tail.strip("= ")))
        t0 = time.perf_counter()
        p = subprocess.run(["make", "-s", "test-fast"], cwd=ROOT, env=ENV, capture_output=True, text=True)
        tail = (p.stdout.strip().splitlines() or ["?"])[-1]
        rows.append(("`make test-fast` (no build)", f"{time.perf_counter() - t0:.0f} s", tail.strip("= ")))

    md_pages = {k: v for k, v in weights.items() if not k.startswith("notebooks/")}
    nb_pages = {k: v for k, v in weights.items() if k.startswith("notebooks/")}
    med = statistics.median(md_pages.values())
    rows.append(
        ("median Markdown page weight", f"{med / 1e3:.0f} KB", f"{len(md_pages)} pages (target ≤ 600 KB)")
    )
    if nb_pages:
        rows.append(("heaviest notebook page", f"{max(nb_pages.values()) / 1e3:.0f} KB", "target ≤ 1.2 MB"))

    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores, Python {sys.version.split()[0]}.",
        "",
        "| step | measured | note |",
        "|---|---|---|",
        *[f"| {a} | {b} | {c} |" for a, b, c in rows],
        "",
        "| page | weight |",
        "|---|---|",
        *[f"| `{k}` | {v / 1e3:.0f} KB |" for k, v in sorted(weights.items())],
    ]
    table = "\n".join(lines)
    print(table)
    if args.update_readme:
        readme = ROOT / "README.md"
        text = readme.read_text()
        text = re.sub(
            r"<!-- BENCH START -->.*<!-- BENCH END -->",
            lambda _: (
                f"<!-- BENCH START -->\n<!-- --8<-- [start:bench] -->\n{table}\n"
                "<!-- --8<-- [end:bench] -->\n<!-- BENCH END -->"
            ),
            text,
            flags=re.S,
        )
        readme.write_text(text)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
