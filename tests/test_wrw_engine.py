"""The engine package as `mkdocs serve` uses it: reloaded when it changes; math typeset by KaTeX."""

from __future__ import annotations

import shutil
import sys

import pytest

from wrw import katex


def test_fresh_forgets_engines_only_when_a_file_changed(tmp_path, monkeypatch):
    import wrw.grammar

    wrw.fresh()
    assert "wrw.grammar" in sys.modules
    wrw.fresh()  # nothing changed
    assert "wrw.grammar" in sys.modules
    stamp = wrw.SESSION["engine_stamp"]
    monkeypatch.setitem(wrw.SESSION, "engine_stamp", [*stamp[:-1], (stamp[-1][0], -1)])
    before = sys.modules["wrw.grammar"]
    wrw.fresh()  # as after an edit of an engine module
    assert "wrw.grammar" not in sys.modules
    import wrw.grammar as again

    assert again is not before
    assert wrw.SESSION["engine_stamp"] == stamp


@pytest.mark.skipif(not shutil.which("node") or not katex.DIST.exists(), reason="needs node and node_modules")
def test_katex_renders_and_fails_on_bad_tex(monkeypatch, tmp_path):
    monkeypatch.setattr(katex, "CACHE", tmp_path / "katex.json")
    session: dict = {}
    try:
        html = katex.typeset_page(session, '<p><span class="arithmatex">\\(\\sigma_w^2\\)</span></p>')
        assert 'class="katex"' in html and "arithmatex" not in html
        with pytest.raises(katex.MathError, match="frac"):
            katex.render(session, "\\frac{1}{", False)
        katex.save(session)
        assert (tmp_path / "katex.json").exists()
    finally:
        if session.get("katex_proc"):
            session["katex_proc"].kill()
            session["katex_proc"].wait()
