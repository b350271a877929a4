"""Fail loudly: each planted fault makes the strict build exit non-zero and name its culprit.

Each test copies the project (with its warm caches, so only the planted change recomputes), plants
one fault, builds, and checks the exit code, the message, and that no traceback was printed.
"""

from __future__ import annotations

import re

import pytest
from projects import copy_project, mkdocs_build

pytestmark = pytest.mark.build


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def _build_fails(project, *culprits, env=None):
    proc = mkdocs_build(project, project / "site-out", env=env)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, f"the build passed despite the fault:\n{out[-2000:]}"
    for c in culprits:
        assert c in out, f"the build's message does not name {c!r}:\n{out[-2000:]}"
    assert "Traceback (most recent call last)" not in out, f"a traceback was printed:\n{out[-3000:]}"
    return out


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_snippet_exception_names_module_and_figure(project):
    _edit(
        project / "snippets/index.py",
        "    fig, axes = new_figure(1, 2, width=7.2",
        "    raise RuntimeError('planted fault')\n    fig, axes = new_figure(1, 2, width=7.2",
    )
    out = _build_fails(project, "snippets/index.py", "index/hidden-trajectories", "planted fault")
    assert re.search(r"snippets/index\.py:\d+", out), "the message gives the failing line"


def test_notebook_cell_exception_names_notebook(project):
    (project / "docs/notebooks/broken.py").write_text("# %%\nx = 1\n\n# %%\n1 / 0\n", encoding="utf-8")
    _build_fails(project, "docs/notebooks/broken.py", "ZeroDivisionError")


def test_notebook_hang_times_out_and_names_notebook(project):
    (project / "docs/notebooks/hang.py").write_text("# %%\nimport time\ntime.sleep(600)\n", encoding="utf-8")
    _build_fails(project, "docs/notebooks/hang.py", "timed out", env={"NOTEBOOK_TIMEOUT": "3"})


def test_missing_snippet_section_names_page_and_section(project):
    _edit(
        project / "docs/index.md",
        '--8<-- "snippets/index.py:train"',
        '--8<-- "snippets/index.py:no-such-section"',
    )
    _build_fails(project, "docs/index.md", "no-such-section")


def test_unknown_claim_id_names_page_and_id(project):
    _edit(
        project / "docs/index.md",
        "## How small",
        "A planted claim.<!-- claim: index.no-such-claim -->\n\n## How small",
    )
    _build_fails(project, "docs/index.md", "index.no-such-claim")


def test_unknown_value_key_names_page_and_key(project):
    _edit(
        project / "docs/index.md",
        "## How small",
        "<!-- value: index.random-solves-xor.no_such_key -->\n\n## How small",
    )
    _build_fails(project, "docs/index.md", "no_such_key")


def test_missing_figure_names_page_and_figure(project):
    _edit(project / "docs/index.md", "## How small", "<!-- figure: index/no-such-figure -->\n\n## How small")
    _build_fails(project, "docs/index.md", "index/no-such-figure")


def test_unknown_shortcode_fails(project):
    _edit(
        project / "docs/index.md", "## How small", "<!-- figur: index/hidden-trajectories -->\n\n## How small"
    )
    _build_fails(project, "docs/index.md", "figur")


def test_broken_internal_link_names_page_and_anchor(project):
    _edit(project / "docs/index.md", "## How small", "[planted](claims.md#no-such-anchor)\n\n## How small")
    _build_fails(project, "index.md", "no-such-anchor")


def test_broken_link_to_missing_page_fails(project):
    _edit(project / "docs/index.md", "## How small", "[planted](no-such-page.md)\n\n## How small")
    _build_fails(project, "index.md", "no-such-page.md")
