"""Integrity of the site: claims, figures, tables, sections, pages and anchors agree.

These run without building: they read the registry, the pages and the tests. The built-site
checks (strict build, links, anchors) use the ``built_site`` fixture.
"""

from __future__ import annotations

import re
from pathlib import Path

import claims_index
import pytest

from snippets import _registry as reg

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MARKER = re.compile(r"<!--\s*(figure|table|claim|value)\s*:\s*(\S+?)(?:\s+\S+)?\s*-->")
INCLUDE = re.compile(r'^\s*-{1,}8<-{1,}\s+"([^"]+)"\s*$', re.M)


@pytest.fixture(scope="module")
def registry():
    reg.load_all()
    return reg


def _pages() -> dict[str, str]:
    return {p.relative_to(DOCS).as_posix(): p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md")}


def _markers() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {"figure": set(), "table": set(), "claim": set(), "value": set()}
    for text in _pages().values():
        for kind, ref in MARKER.findall(text):
            if kind == "value":
                ref = ".".join(ref.split(".")[:2])
            out[kind].add(ref)
    return out


def test_every_claim_has_a_test_and_a_marker(registry):
    tests = claims_index.claim_tests(ROOT / "tests")
    marked = _markers()["claim"]
    no_test = sorted(set(registry.CLAIMS) - set(tests))
    no_marker = sorted(set(registry.CLAIMS) - marked)
    assert not no_test, f"claims without a @pytest.mark.claim test: {no_test}"
    assert not no_marker, f"claims without a <!-- claim: id --> marker on a page: {no_marker}"


def test_every_test_and_marker_names_a_registered_claim(registry):
    tests = claims_index.claim_tests(ROOT / "tests")
    m = _markers()
    unknown_tests = sorted(set(tests) - set(registry.CLAIMS))
    unknown_markers = sorted((m["claim"] | m["value"]) - set(registry.CLAIMS))
    assert not unknown_tests, f"tests marked with unknown claim ids: {unknown_tests}"
    assert not unknown_markers, f"pages naming unknown claim ids: {unknown_markers}"


def test_every_figure_and_table_is_shown_and_exists(registry):
    m = _markers()
    assert not sorted(m["figure"] - set(registry.FIGURES)), "pages reference missing figures"
    assert not sorted(m["table"] - set(registry.TABLES)), "pages reference missing tables"
    assert not sorted(set(registry.FIGURES) - m["figure"]), "figures that no page shows"
    assert not sorted(set(registry.TABLES) - m["table"]), "tables that no page shows"


def test_every_included_section_exists():
    missing = []
    for page, text in _pages().items():
        for target in INCLUDE.findall(text):
            path, _, section = target.partition(":")
            f = ROOT / path
            if not f.is_file():
                missing.append(f"{page}: {path}")
            elif section and f"--8<-- [start:{section}]" not in f.read_text(encoding="utf-8"):
                missing.append(f"{page}: {path}:{section}")
    assert not missing


def test_page_snippet_test_share_a_slug(registry):
    """docs/<slug>.md <-> snippets/<slug>.py <-> tests/test_<slug>.py"""
    problems = []
    for name in reg.snippet_modules():
        slug = name.split(".")[1]
        for need in (DOCS / f"{slug}.md", ROOT / "tests" / f"test_{slug}.py"):
            if not need.exists():
                problems.append(f"snippets/{slug}.py has no {need.relative_to(ROOT)}")
    assert not problems


def test_claim_values_are_quotable(registry):
    """Every claim returns scalars (or a flat dict of them), so the prose can quote it."""
    for e in registry.CLAIMS.values():
        if e.slug != "index":
            continue  # each chapter's test module calls its own claims
        assert reg.flatten_value(e.func())


def test_svg_is_deterministic_across_processes(tmp_path):
    """Two fresh processes draw byte-identical SVGs (no dates, ids or hashes that vary)."""
    import subprocess
    import sys

    code = (
        "import sys; from snippets import index; from snippets._style import render_svg, theme_svg;"
        "sys.stdout.buffer.write(theme_svg(render_svg(index.fig_hidden_trajectories)))"
    )
    a, b = (
        subprocess.run([sys.executable, "-c", code], capture_output=True, check=True).stdout for _ in range(2)
    )
    assert a == b and a.startswith(b"<?xml")


def test_published_anchors_exist(built_site):
    """docs/anchors.txt lists the anchors answers link to; none may disappear."""
    missing = []
    for line in (DOCS / "anchors.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        page, _, anchor = line.partition("#")
        html = built_site / (page.removesuffix(".md").removesuffix("index") + "/index.html").lstrip("/")
        if not html.exists() or f'id="{anchor}"' not in html.read_text(encoding="utf-8"):
            missing.append(line)
    assert not missing, f"published anchors that disappeared: {missing}"


def test_built_site_has_no_broken_links(built_site):
    import linkcheck

    assert linkcheck.check(built_site) == []


def test_built_pages_show_no_traceback_or_raw_shortcode(built_site):
    bad = []
    for f in built_site.rglob("*.html"):
        if f.relative_to(built_site).parts[0] == "code":
            continue  # the published sources of the tests quote these strings on purpose
        text = f.read_text(encoding="utf-8")
        if "Traceback (most recent call last)" in text or re.search(
            r"&lt;!--\s*(figure|claim|value|table|cite):", text
        ):
            bad.append(f.relative_to(built_site).as_posix())
    assert not bad
