"""What the build enforces before it renders a page, so that ``mkdocs build --strict`` (and so
``make serve``) fails where the ✓ would be unearned. Each function returns messages that name a
file and line, with a did-you-mean from :func:`wrw.grammar.did_you_mean`; empty means fine."""

from __future__ import annotations

from pathlib import Path

from wrw import grammar

ROOT = Path(__file__).resolve().parent.parent


def _where(e) -> str:
    return f"{Path(e.source_file).resolve().relative_to(ROOT).as_posix()}:{e.source_line}"


def claims(claims: dict, tests: list, pages: dict[str, str]) -> list[str]:
    """A claim without a test or without a marker on any page, a test naming an unknown claim,
    a marker (claim or value) naming an unknown claim. ``pages``: ``{src_uri: markdown}``."""
    out = []
    tested = {t.claim for t in tests}
    for t in tests:
        if t.claim not in claims:
            out.append(
                f"tests/{t.file}:{t.marker_line}: @pytest.mark.claim names unknown claim {t.claim!r}"
                + grammar.did_you_mean(t.claim, claims)
            )
    marked: set[str] = set()  # claims with a ✓ marker
    for src, text in sorted(pages.items()):
        for sc in grammar.shortcodes(text):
            if sc.name == "claim":
                marked.add(sc.ref)
            if sc.name in ("claim", "value"):
                if sc.ref not in claims:
                    out.append(
                        f"docs/{src}:{sc.line}: {sc.name} shortcode names unknown claim {sc.ref!r}"
                        + grammar.did_you_mean(sc.ref, claims)
                    )
    for cid, e in sorted(claims.items()):
        if cid not in tested:
            near = grammar.did_you_mean(cid, tested - set(claims))
            out.append(f"{_where(e)}: claim {cid!r} has no test marked @pytest.mark.claim({cid!r}){near}")
        if cid not in marked:
            out.append(f"{_where(e)}: claim {cid!r} has no <!-- claim: {cid} --> marker on any page")
    return out


def section_markers(files: list[Path]) -> list[str]:
    """Every ``[start:x]`` has exactly one ``[end:x]`` after it; names unique per file."""
    out = []
    for f in files:
        _, problems = grammar.sections(f.read_text(encoding="utf-8"))
        rel = f.relative_to(ROOT).as_posix() if ROOT in f.parents else str(f)
        out += [f"{rel}:{p.removeprefix('line ')}" for p in problems]
    return out


def nav(nav_pages: set[str], doc_pages: list[str]) -> list[str]:
    """Every Markdown page and notebook of docs/ is in the nav of mkdocs.yml (generated pages aside)."""
    return [
        f"docs/{src} is not in the nav of mkdocs.yml: add a line for it"
        for src in sorted(doc_pages)
        if src not in nav_pages
    ]
