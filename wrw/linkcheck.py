"""Check every internal link and anchor of a built site (the hook's raw-HTML links included)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

_ID = re.compile(r"""\s(?:id|name)=["']([^"']+)["']""")
_LINK = re.compile(r"""<(?:a|img|script|link)\s[^>]*?\b(?:href|src)=["']([^"']+)["']""", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)


class _Page:
    """Ids and link targets of a generated HTML page (regular expressions: the pages are
    machine-written, and an HTML parser is ten times slower on the large source pages)."""

    def __init__(self, text: str):
        text = _COMMENT.sub("", text)
        self.ids = {html.unescape(i) for i in _ID.findall(text)}
        self.links = [html.unescape(h) for h in _LINK.findall(text)]


_PARSED: dict[tuple, _Page] = {}  # (path, mtime, size) -> parsed page, for `mkdocs serve --dirty`


def _parse(f: Path) -> _Page:
    st = f.stat()
    memo = (str(f), st.st_mtime_ns, st.st_size)
    if memo not in _PARSED:
        _PARSED[memo] = _Page(f.read_text(encoding="utf-8", errors="replace"))
    return _PARSED[memo]


def check(site: Path, only: set[str] | None = None) -> list[str]:
    """``page: href`` for each link to a missing file or a missing anchor; ``only`` limits the
    pages whose links are checked (site-relative paths), as after a dirty rebuild."""
    pages: dict[str, _Page] = {}
    for f in site.rglob("*.html"):
        pages[f.relative_to(site).as_posix()] = _parse(f)
    problems: list[str] = []
    for rel, p in sorted(pages.items()):
        if only is not None and rel not in only:
            continue
        base = "http://site/" + rel
        for href in p.links:
            if (
                re.match(r"^(https?:|mailto:|data:|javascript:|//)", href)
                or href.startswith("#")
                and href == "#"
            ):
                continue
            u = urlparse(urljoin(base, href))
            if u.netloc != "site":
                continue
            path = unquote(u.path.lstrip("/"))
            target = site / path
            if path == "" or path.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                problems.append(f"{rel}: {href} (no such file)")
                continue
            frag = unquote(u.fragment)
            if frag and target.suffix == ".html" and frag not in ("only-light", "only-dark"):
                tp = pages.get(target.relative_to(site).as_posix())
                if tp is not None and frag not in tp.ids:
                    problems.append(f"{rel}: {href} (no anchor #{frag})")
    return problems
