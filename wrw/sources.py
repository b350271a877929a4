"""Source pages: every snippet and test module published with line anchors (``#L-<n>``), so that
figures, claims and the ledger link to the code that made them."""

from __future__ import annotations

from pathlib import Path

from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parent.parent
SLOT = '<div class="wrw-source-slot"></div>'


def code_page(kind: str, filename: str) -> str:
    """``code/<kind>-<name>.md`` for ``<kind>/<name>.py``; a file in a sub-folder
    (``snippets/deep/he.py``) gets ``code/snippets-deep-he.md``."""
    return f"code/{kind}-{filename.removesuffix('.py').replace('/', '-')}.md"


def code_url(page_url: str, path: str, line: int) -> str:
    """URL, from the page at ``page_url``, of a line of ``snippets/….py`` or ``tests/….py``.

    Written as raw HTML links: the line anchors are added after Markdown, so the link check
    (:mod:`wrw.linkcheck`) checks them, not MkDocs."""
    p = Path(path)
    rel = p.resolve().relative_to(ROOT) if p.is_absolute() else p
    kind, filename = rel.parts[0], Path(*rel.parts[1:]).as_posix()
    target = code_page(kind, filename).removesuffix(".md") + "/"
    return f"{get_relative_url(target, page_url)}#L-{line}"


def pages() -> dict[str, tuple[Path, str]]:
    """``{code page src_uri: (source file, Markdown stub)}`` for every public snippet and test module."""
    out = {}
    for kind in ("snippets", "tests"):
        for py in sorted((ROOT / kind).rglob("*.py")):
            if py.name.startswith("_") or py.name == "conftest.py" or "__pycache__" in py.parts:
                continue
            rel = py.relative_to(ROOT / kind).as_posix()
            md = (
                f"---\nsearch:\n  exclude: true\n---\n\n# `{kind}/{rel}`\n\n"
                f"The source of `{kind}/{rel}` as it ran in this build. Line anchors: `#L-<n>`.\n\n{SLOT}\n"
            )
            out[code_page(kind, rel)] = (py, md)
    return out


def highlight(source: str) -> str:
    """Highlighted source with an anchor ``L-<n>`` on every line (no link per line number:
    thousands of links make the page slow for assistive tools)."""
    from pygments import highlight as pyg
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    fmt = HtmlFormatter(cssclass="highlight wrw-source", linenos="inline", lineanchors="L")
    return pyg(source, PythonLexer(), fmt).replace("\n\n", "\n&#8203;\n")


def fill(page_html: str, source: Path) -> str:
    """The page with its slot replaced by the highlighted source (after Markdown: its HTML parser
    is slow on large sources)."""
    return page_html.replace(SLOT, highlight(source.read_text(encoding="utf-8")), 1)
