"""The one parser of each grammar (wrw/grammar.py): shortcodes, includes, section markers,
imports and test markers."""

from __future__ import annotations

from wrw import grammar


def test_shortcodes_outside_fences_only():
    md = (
        "A <!-- value: a.b.key .2f range --> and <!-- claim: a.b -->.\n"
        "```python\n<!-- claim: in.fence -->\n```\n"
        "<!--pytest-codeblocks:cont-->\n<!-- claims-ledger -->\n<!-- just a comment -->\n"
    )
    found = list(grammar.shortcodes(md))
    assert [(s.name, s.arg, s.line) for s in found] == [
        ("value", "a.b.key .2f range", 1),
        ("claim", "a.b", 1),
        ("claims-ledger", "", 6),
    ]
    assert found[0].ref == "a.b" and found[1].ref == "a.b"


def test_substitute_keeps_fences_and_pytest_directives():
    md = "x <!-- cite: k -->\n~~~\n<!-- cite: k -->\n~~~\n<!--pytest-codeblocks:skip-->"
    out = grammar.substitute(md, lambda sc: f"[{sc.name}:{sc.arg}]")
    assert out == "x [cite:k]\n~~~\n<!-- cite: k -->\n~~~\n<!--pytest-codeblocks:skip-->"


def test_includes_and_line_ranges():
    md = '```python\n--8<-- "snippets/x.py:train"\n--8<-- "snippets/y.py:3:9"\n--8<-- "README.md"\n```'
    assert [(i.path, i.section, i.line) for i in grammar.includes(md)] == [
        ("snippets/x.py", "train", 2),
        ("snippets/y.py", "", 3),
        ("README.md", "", 4),
    ]


def test_check_includes_names_page_line_and_near_miss(tmp_path):
    (tmp_path / "m.py").write_text("# --8<-- [start:train]\nx = 1\n# --8<-- [end:train]\n")
    md = '--8<-- "m.py:trian"\n--8<-- "missing.py"\n--8<-- "m.py:train"\n'
    assert grammar.check_includes(md, "p.md", tmp_path) == [
        "docs/p.md:1: section 'trian' not found in m.py (did you mean 'train'?)",
        "docs/p.md:2: included file 'missing.py' does not exist",
    ]


def test_sections_ok():
    src = "a\n# --8<-- [start:one]\nx\n# --8<-- [end:one]\n# --8<-- [start:two]\n# --8<-- [end:two]\n"
    assert grammar.sections(src) == ({"one": (2, 4), "two": (5, 6)}, [])


def test_sections_mistyped_end_names_line_and_near_miss():
    src = "# --8<-- [start:qr]\nx\n# --8<-- [end:qrr]\n"
    _, problems = grammar.sections(src)
    assert problems == [
        "line 1: section 'qr' has no [end:qr] after it (did you mean [end:qrr] at line 3?)",
        "line 3: [end:qrr] closes no section (did you mean 'qr'?)",
    ]


def test_sections_duplicates_and_order():
    src = "# --8<-- [end:a]\n# --8<-- [start:a]\n# --8<-- [end:a]\n# --8<-- [start:b]\n# --8<-- [start:b]\n"
    _, problems = grammar.sections(src)
    assert "line 1: [end:a] comes before its start (line 2)" in problems
    assert "line 5: section 'b' starts again (first at line 4)" in problems


def test_imported_modules_absolute_relative_and_packages():
    src = (
        "import numpy as np\nimport snippets.scale\nfrom snippets import deep, index as ix\n"
        "from snippets.deep.he import run\nfrom . import _common\nfrom .parts import f\n"
    )
    names = grammar.imported_modules(src, package="snippets.deep")
    assert {"snippets.scale", "snippets.deep", "snippets.index", "snippets.deep.he"} <= names
    assert {"snippets.deep._common", "snippets.deep.parts"} <= names
    assert not any(n.startswith("numpy") for n in names)


def test_claim_tests_read_markers_without_import(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "test_x.py").write_text(
        "import pytest\nimport no_such_module\n\n\n@pytest.mark.claim('x.a', 'x.b')\ndef test_a():\n    pass\n"
    )
    found = grammar.claim_tests(tmp_path)
    assert [(t.claim, t.test, t.file, t.line, t.marker_line) for t in found] == [
        ("x.a", "test_a", "sub/test_x.py", 6, 5),
        ("x.b", "test_a", "sub/test_x.py", 6, 5),
    ]


def test_did_you_mean():
    assert grammar.did_you_mean("index.random-solve-xor", ["index.random-solves-xor", "deep.x"]) == (
        " (did you mean 'index.random-solves-xor'?)"
    )
    assert grammar.did_you_mean("zzz", ["index.a"]) == ""
