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
        "    return symmetry.draw_trajectories(",
        "    raise RuntimeError('planted fault')\n    return symmetry.draw_trajectories(",
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
        project / "docs/nn.md",
        '--8<-- "snippets/nn.py:activations"',
        '--8<-- "snippets/nn.py:no-such-section"',
    )
    _build_fails(project, "docs/nn.md", "no-such-section")


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
        "<!-- value: index.scale-784.no_such_key -->\n\n## How small",
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


# -- The build enforces the ✓ (issue 11, item 5): each names the author's file and line --------------
def test_mistyped_claim_marker_in_a_test_names_test_and_near_miss(project):
    _edit(
        project / "tests/test_index.py",
        '@pytest.mark.claim("index.scale-784")',
        '@pytest.mark.claim("index.scale-78")',
    )
    out = _build_fails(project, "index.scale-78'", "did you mean 'index.scale-784'?")
    assert re.search(r"tests/test_index\.py:\d+: @pytest.mark.claim names unknown claim", out)


def test_claim_without_page_marker_names_claim_and_line(project):
    _edit(project / "docs/index.md", "<!-- claim: index.scale-784 -->", "")
    out = _build_fails(project, "has no <!-- claim: index.scale-784 --> marker")
    assert re.search(r"snippets/index\.py:\d+: claim 'index.scale-784'", out)


def test_mistyped_end_marker_names_file_line_and_near_miss(project):
    _edit(project / "snippets/nn.py", "# --8<-- [end:activations]", "# --8<-- [end:activatoins]")
    out = _build_fails(project, "did you mean [end:activatoins]")
    assert re.search(r"snippets/nn\.py:\d+: section 'activations' has no \[end:activations\]", out)


def test_forgotten_nav_line_fails(project):
    _edit(project / "mkdocs.yml", "      - About this site: about.md\n", "")
    _build_fails(project, "docs/about.md is not in the nav of mkdocs.yml")


def test_array_claim_value_names_the_authors_line(project):
    _edit(project / "snippets/index.py", '"lecun_std": float(lecun),', '"lecun_std": np.full(3, lecun),')
    out = _build_fails(project, "index.scale-784", "numpy array of shape (3,)")
    assert re.search(r"snippets/index\.py:\d+: claim 'index.scale-784'", out)
    assert "_registry" not in out, "the message names the registry, not the author's code"


def test_wrong_slug_names_the_authors_line(project):
    with open(project / "snippets/index.py", "a", encoding="utf-8") as f:
        f.write('\n\n@claim("scale.planted", "A planted claim.")\ndef planted():\n    return 1\n')
    out = _build_fails(project, "'scale.planted' must start with the module's slug 'index'")
    assert re.search(r"snippets/index\.py:\d+: claim id", out)
    assert "_registry" not in out
