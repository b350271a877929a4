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


def check(site: Path) -> list[str]:
    """``page: href`` for each link to a missing file or a missing anchor."""
    pages: dict[str, _Page] = {}
    for f in site.rglob("*.html"):
        pages[f.relative_to(site).as_posix()] = _Page(f.read_text(encoding="utf-8", errors="replace"))
    problems: list[str] = []
    for rel, p in sorted(pages.items()):
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
