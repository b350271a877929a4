"""Check every internal link and anchor of a built site (the hook's raw-HTML links included)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        for k in ("id", "name"):
            if d.get(k):
                self.ids.add(d[k])
        if tag == "a" and d.get("href"):
            self.links.append(d["href"])
        if tag in ("img", "script") and d.get("src"):
            self.links.append(d["src"])
        if tag == "link" and d.get("href"):
            self.links.append(d["href"])


def check(site: Path) -> list[str]:
    """``page: href`` for each link to a missing file or a missing anchor."""
    pages: dict[str, _Page] = {}
    for f in site.rglob("*.html"):
        p = _Page()
        p.feed(f.read_text(encoding="utf-8", errors="replace"))
        pages[f.relative_to(site).as_posix()] = p
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
