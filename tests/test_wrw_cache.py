"""The compute cache (wrw/cache.py): its key follows the code, not the prose."""

from __future__ import annotations

import pytest

from wrw import cache

SRC = '''"""Module docstring."""
from snippets import claim, figure


@figure("m/f", alt="Alt text.", caption="A caption.")
def fig():
    """Docstring."""
    return 1  # a comment


@claim("m.c", "The statement.")
def c():
    return 2
'''


def fp(src: str) -> str:
    return cache.code_fingerprint(src)


@pytest.mark.parametrize(
    "old, new",
    [
        ("A caption.", "A caption, edited."),
        ("Alt text.", "Other alt text."),
        ("The statement.", "Another statement."),
        ('"""Docstring."""', '"""Another docstring."""'),
        ('"""Module docstring."""', '"""Other."""'),
        ("# a comment", "# another comment"),
        ("    return 2", "\n\n    return 2"),
    ],
)
def test_prose_edits_keep_the_key(old, new):
    assert old in SRC
    assert fp(SRC.replace(old, new)) == fp(SRC)


@pytest.mark.parametrize(
    "old, new",
    [("return 1", "return 3"), ('"m/f"', '"m/g"'), ('"m.c"', '"m.d"'), ("def c", "def d")],
)
def test_code_edits_change_the_key(old, new):
    assert fp(SRC.replace(old, new)) != fp(SRC)


def test_table_caption_is_prose():
    a = '@table("m/t", caption="One.")\ndef t():\n    return [], []\n'
    assert fp(a) == fp(a.replace("One.", "Two.")) != fp(a.replace("[], []", "['h'], []"))


def test_module_keys_follow_imports(tmp_path, monkeypatch):
    snip = tmp_path / "snippets"
    (snip / "pkg").mkdir(parents=True)
    for name in cache.ALWAYS:
        (snip / name).write_text("")
    (snip / "a.py").write_text("from snippets import b\nX = 1\n")
    (snip / "b.py").write_text("Y = 2\n")
    (snip / "c.py").write_text("Z = 3\n")
    (snip / "pkg" / "__init__.py").write_text("")
    (snip / "pkg" / "one.py").write_text("from ._common import h\n")
    (snip / "pkg" / "two.py").write_text("W = 1\n")
    (snip / "pkg" / "_common.py").write_text("def h():\n    return 1\n")
    monkeypatch.setattr(cache, "ROOT", tmp_path)
    monkeypatch.setattr(cache, "SNIPPETS", snip)
    assert set(cache.module_files("snippets.a")) >= {"a.py", "b.py"}
    assert "c.py" not in cache.module_files("snippets.a")
    assert {"pkg/one.py", "pkg/_common.py", "pkg/__init__.py"} <= set(cache.module_files("snippets.pkg.one"))
    assert "pkg/one.py" not in cache.module_files("snippets.pkg.two")
    keys = {
        m: cache.module_key(m) for m in ("snippets.a", "snippets.c", "snippets.pkg.one", "snippets.pkg.two")
    }
    (snip / "b.py").write_text('"""Docs."""\nY = 2  # same code\n')
    assert cache.module_key("snippets.a") == keys["snippets.a"]
    (snip / "b.py").write_text("Y = 3\n")
    assert cache.module_key("snippets.a") != keys["snippets.a"]  # an imported module's code
    assert cache.module_key("snippets.c") == keys["snippets.c"]
    (snip / "pkg" / "_common.py").write_text("def h():\n    return 2\n")
    assert cache.module_key("snippets.pkg.one") != keys["snippets.pkg.one"]
    assert cache.module_key("snippets.pkg.two") == keys["snippets.pkg.two"]  # one part only


def test_syntax_error_names_file_and_line(tmp_path, monkeypatch):
    snip = tmp_path / "snippets"
    snip.mkdir()
    (snip / "bad.py").write_text("x = 1\ndef (:\n")
    monkeypatch.setattr(cache, "ROOT", tmp_path)
    monkeypatch.setattr(cache, "SNIPPETS", snip)
    with pytest.raises(cache.ComputeError, match=r"snippets/bad\.py:2: syntax error"):
        cache.module_files("snippets.bad")


def test_cache_roundtrip(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "CACHE", tmp_path)
    res = cache.ModuleResult(
        "snippets.m", "k1", {"m/f": b"<svg/>"}, {"m.c": {"": 1.5}}, {"m/t": [["h"], [["1"]]]}
    )
    assert cache.read_cached("snippets.m", "k1") is None
    cache.write_cached(res)
    back = cache.read_cached("snippets.m", "k1")
    assert (back.figures, back.claims, back.tables, back.cached) == (
        res.figures,
        res.claims,
        res.tables,
        True,
    )
    assert cache.prune(["snippets.m"], {"snippets.m": "k2"}) == 1
    assert cache.read_cached("snippets.m", "k1") is None
