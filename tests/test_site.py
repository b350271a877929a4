"""Integrity of the site: claims, figures, tables, sections, pages and anchors agree.

These run without building: they read the registry, the pages and the tests. The built-site
checks (strict build, links, anchors) use the ``built_site`` fixture.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from snippets import _registry as reg
from wrw import checks, grammar

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def registry():
    reg.load_all()
    return reg


def _pages() -> dict[str, str]:
    return {p.relative_to(DOCS).as_posix(): p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md")}


def _markers() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {k: set() for k in grammar.KNOWN}
    for text in _pages().values():
        for sc in grammar.shortcodes(text):
            out[sc.name].add(sc.ref)
    return out


def test_claims_tests_and_markers_agree(registry):
    """The check the build runs (wrw/checks.py): every claim has a test and a ✓ on a page; every
    test and every marker names a registered claim."""
    assert checks.claims(registry.CLAIMS, grammar.claim_tests(ROOT / "tests"), _pages()) == []


def test_section_markers_pair_up():
    files = sorted(p for p in (ROOT / "snippets").rglob("*.py") if "__pycache__" not in p.parts)
    assert checks.section_markers(files) == []


def test_every_figure_and_table_is_shown_and_exists(registry):
    m = _markers()
    assert not sorted(m["figure"] - set(registry.FIGURES)), "pages reference missing figures"
    assert not sorted(m["table"] - set(registry.TABLES)), "pages reference missing tables"
    assert not sorted(set(registry.FIGURES) - m["figure"]), "figures that no page shows"
    assert not sorted(set(registry.TABLES) - m["table"]), "tables that no page shows"


def test_every_included_section_exists():
    missing = [p for page, text in _pages().items() for p in grammar.check_includes(text, page, ROOT)]
    assert not missing


def test_page_snippet_test_share_a_slug(registry):
    """docs/<slug>.md <-> snippets/<slug>.py <-> tests/test_<slug>.py; a chapter split into a package
    mirrors its parts: snippets/<slug>/<part>.py <-> tests/<slug>/test_<part>.py (or one
    tests/test_<slug>.py for the whole package)."""
    problems = []
    for name in reg.snippet_modules():
        parts = name.split(".")[1:]
        slug = parts[0]
        whole = ROOT / "tests" / f"test_{slug}.py"
        if not (DOCS / f"{slug}.md").exists():
            problems.append(f"{name} has no docs/{slug}.md")
        if len(parts) == 1:
            if not whole.exists() and not (ROOT / "tests" / slug).is_dir():
                problems.append(f"{name} has neither tests/test_{slug}.py nor tests/{slug}/")
        elif not whole.exists() and not (ROOT / "tests" / slug / f"test_{parts[1]}.py").exists():
            problems.append(f"{name} has neither tests/{slug}/test_{parts[1]}.py nor tests/test_{slug}.py")
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
    from wrw import linkcheck

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
