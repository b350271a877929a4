"""Math typeset at build time with the project's pinned KaTeX (node_modules/katex): one long-lived
``node`` process (``katex_render.cjs``) and a JSON cache in ``.cache/katex.json``.

The process and the cache live in the session dict (plain data), so they survive ``mkdocs serve``
rebuilds and a reload of this module."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "katex.json"
DIST = ROOT / "node_modules" / "katex" / "dist"
# pymdownx.arithmatex (generic) output
ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">\s*(?:\\\((.*?)\\\)|\\\[(.*?)\\\])\s*</\1>', re.S)
# $…$ and $$…$$ of notebook Markdown cells, outside <code> and <pre>
NB_MARKDOWN = re.compile(
    r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.S
)
NB_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)
NB_CODE = re.compile(r"(<code>.*?</code>|<pre>.*?</pre>)", re.S)


class MathError(ValueError):
    pass


def render(session: dict, tex: str, display: bool) -> str:
    """KaTeX HTML of one formula (a display formula wrapped in ``div.wrw-math``); raises MathError."""
    cache = session.get("katex_cache")
    if cache is None:
        cache = session["katex_cache"] = json.loads(CACHE.read_text()) if CACHE.exists() else {}
    key = ("D" if display else "I") + tex
    if key not in cache:
        proc = session.get("katex_proc")
        if proc is None or proc.poll() is not None:
            proc = session["katex_proc"] = subprocess.Popen(
                ["node", str(Path(__file__).with_name("katex_render.cjs"))],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        proc.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
        proc.stdin.flush()
        ans = json.loads(proc.stdout.readline())
        if "error" in ans:
            raise MathError(f"math {tex[:60]!r}: {ans['error']}")
        cache[key] = ans["html"]
        session["katex_dirty"] = True
    return f'<div class="wrw-math">{cache[key]}</div>' if display else cache[key]


def typeset_page(session: dict, page_html: str) -> str:
    """Every arithmatex span and div of a Markdown page, typeset."""

    def one(m: re.Match) -> str:
        display = m.group(1) == "div"
        return render(session, html.unescape(m.group(3) if display else m.group(2)), display)

    return ARITHMATEX.sub(one, page_html)


def typeset_notebook(session: dict, page_html: str) -> str:
    """The ``$…$`` and ``$$…$$`` of a notebook's Markdown cells, typeset (as on Markdown pages:
    notebook pages load no math script either)."""

    def math(m: re.Match) -> str:
        display = m.group(1) is not None
        return render(session, html.unescape(m.group(1) if display else m.group(2)), display)

    def cell(m: re.Match) -> str:
        parts = NB_CODE.split(m.group(2))
        for i in range(0, len(parts), 2):  # even parts are outside <code> and <pre>
            parts[i] = NB_MATH.sub(math, parts[i])
        return m.group(1) + "".join(parts) + m.group(3)

    return NB_MARKDOWN.sub(cell, page_html)


def save(session: dict) -> None:
    """Write the formula cache if this build added to it."""
    if session.get("katex_dirty"):
        CACHE.parent.mkdir(exist_ok=True)
        tmp = CACHE.with_suffix(f".tmp-{os.getpid()}")
        tmp.write_text(json.dumps(session["katex_cache"], sort_keys=True))
        os.replace(tmp, CACHE)
        session["katex_dirty"] = False


def assets() -> list[tuple[str, Path]]:
    """(site path, file) of the KaTeX stylesheet and its woff2 fonts (every browser the theme
    supports reads woff2)."""
    if not DIST.exists():
        raise MathError("node_modules/katex is missing: run `npm ci` (the Makefile does)")
    out = [("assets/katex/katex.min.css", DIST / "katex.min.css")]
    out += [(f"assets/katex/fonts/{f.name}", f) for f in sorted((DIST / "fonts").glob("*.woff2"))]
    return out
