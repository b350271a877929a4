"""What the build enforces (wrw/checks.py), on small made-up registries."""

from __future__ import annotations

from pathlib import Path

from wrw import checks
from wrw.grammar import ClaimTest

HERE = Path(__file__).resolve()


class E:  # the part of a registry Entry the checks read
    def __init__(self, id_):
        self.id, self.source_file, self.source_line = id_, str(HERE), 7


def test_claims_tests_and_markers_agree():
    claims = {"a.one": E("a.one"), "a.two": E("a.two")}
    tests = [
        ClaimTest("a.one", "test_one", "test_a.py", 5, 4),
        ClaimTest("a.twoo", "test_two", "test_a.py", 9, 8),
    ]
    pages = {"a.md": "One.<!-- claim: a.one -->\nValue <!-- value: a.on.key -->.\n"}
    problems = checks.claims(claims, tests, pages)
    here = "tests/test_wrw_checks.py:7"
    assert problems == [
        "tests/test_a.py:8: @pytest.mark.claim names unknown claim 'a.twoo' (did you mean 'a.two'?)",
        "docs/a.md:2: value shortcode names unknown claim 'a.on' (did you mean 'a.one'?)",
        f"{here}: claim 'a.two' has no test marked @pytest.mark.claim('a.two') (did you mean 'a.twoo'?)",
        f"{here}: claim 'a.two' has no <!-- claim: a.two --> marker on any page",
    ]


def test_all_good_is_silent():
    claims = {"a.one": E("a.one")}
    tests = [ClaimTest("a.one", "t", "test_a.py", 2, 1)]
    assert checks.claims(claims, tests, {"a.md": "x<!-- claim: a.one -->"}) == []


def test_section_markers_name_file_and_line(tmp_path):
    f = tmp_path / "m.py"
    f.write_text("# --8<-- [start:qr]\n# --8<-- [end:qrr]\n")
    problems = checks.section_markers([f])
    assert problems[0].startswith(f"{f}:1: section 'qr' has no [end:qr]")
    assert "did you mean [end:qrr] at line 2?" in problems[0]


def test_nav():
    assert checks.nav({"index.md"}, ["index.md", "new.md"]) == [
        "docs/new.md is not in the nav of mkdocs.yml: add a line for it"
    ]
