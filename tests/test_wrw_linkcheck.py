"""The link check of the built site (wrw/linkcheck.py)."""

from __future__ import annotations

from wrw import linkcheck


def test_missing_pages_and_anchors(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<h1 id="top">x</h1><a href="a/#here">ok</a><a href="a/#gone">bad</a><a href="b/">missing</a>'
        '<a href="https://example.org/">external</a><!-- <a href="c/">commented out</a> -->'
        '<img src="f.svg#only-light">'
    )
    (tmp_path / "f.svg").write_text("<svg/>")
    (tmp_path / "a" / "index.html").write_text('<p id="here"></p><a href="../#top">back</a>')
    assert linkcheck.check(tmp_path) == [
        "index.html: a/#gone (no anchor #gone)",
        "index.html: b/ (no such file)",
    ]
    assert linkcheck.check(tmp_path, only={"a/index.html"}) == []
