"""The practice chapter as a whole (docs/practice.md); its claim tests live in tests/practice/,
one module per part of snippets/practice/."""

from pathlib import Path

from snippets import _registry as reg

ROOT = Path(__file__).resolve().parents[1]


def test_every_part_has_its_test_module():
    reg.load_all()
    parts = {n.split(".")[2] for n in reg.snippet_modules() if n.startswith("snippets.practice.")}
    assert parts, "no parts found"
    for part in parts:
        assert (ROOT / "tests" / "practice" / f"test_{part}.py").exists(), part


def test_every_practice_claim_is_quoted_on_the_page():
    reg.load_all()
    page = (ROOT / "docs" / "practice.md").read_text(encoding="utf-8")
    for cid in reg.CLAIMS:
        if cid.startswith("practice."):
            assert f"<!-- claim: {cid} -->" in page, cid
