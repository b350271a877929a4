"""docs/references.bib, read with pybtex and decoded to Unicode with pylatexenc, and the
references page it renders. Notes (``note = {…}``) are the authors' private remarks: never shown."""

from __future__ import annotations

import html
import re

REQUIRED = ("title", "year", "author")


class BibError(ValueError):
    pass


def _text(latex: str) -> str:
    """TeX to Unicode text: ``Doll{\\'a}r`` -> ``Dollár``, ``{ReLU}`` -> ``ReLU``, ``--`` -> ``–``."""
    from pylatexenc.latex2text import LatexNodes2Text

    return re.sub(r"\s+", " ", LatexNodes2Text(math_mode="text").latex_to_text(latex)).strip()


def parse(text: str) -> dict[str, dict]:
    """``{key: {"type", "authors": [(given, family)], field: unicode text}}``; every entry needs a
    title, a year, an author and a DOI, URL or eprint."""
    import pybtex.errors
    from pybtex.database import parse_string
    from pybtex.exceptions import PybtexError

    pybtex.errors.set_strict_mode(True)  # a duplicate key or a syntax error raises
    try:
        db = parse_string(text, "bibtex")
    except PybtexError as e:
        raise BibError(str(e)) from None
    out: dict[str, dict] = {}
    for key, entry in db.entries.items():
        fields: dict = {k.lower(): _text(v) for k, v in entry.fields.items()}
        fields["type"] = entry.type.lower()
        people = entry.persons.get("author", [])
        fields["authors"] = [
            (
                _text(" ".join(p.first_names + p.middle_names)),
                _text(" ".join(p.prelast_names + p.last_names + p.lineage_names)),
            )
            for p in people
        ]
        if people:
            fields["author"] = ", ".join(f"{g} {f}".strip() for g, f in fields["authors"])
        for need in REQUIRED:
            if not fields.get(need):
                raise BibError(f"entry {key!r} has no {need}")
        if not (fields.get("doi") or fields.get("url") or fields.get("eprint")):
            raise BibError(f"entry {key!r} has no doi, url or eprint link")
        out[key] = fields
    return out


def short(e: dict) -> str:
    """``Glorot & Bengio 2010``, ``He et al. 2015``."""
    names = [f for _, f in e["authors"]]
    if len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} & {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who} {e['year']}"


def title(e: dict) -> str:
    return e["title"]


def link(e: dict) -> tuple[str, str]:
    """(label, url) of the entry's primary link: DOI, then arXiv, then URL."""
    if e.get("doi"):
        return f"doi:{e['doi']}", f"https://doi.org/{e['doi']}"
    if e.get("eprint") and e.get("archiveprefix", "arxiv").lower() == "arxiv":
        return f"arXiv:{e['eprint']}", f"https://arxiv.org/abs/{e['eprint']}"
    url = e["url"]
    m = re.search(r"arxiv\.org/abs/([\w.\-/]+)", url)
    return (f"arXiv:{m.group(1)}" if m else url.split("//", 1)[-1].split("/", 1)[0]), url


def render_markdown(refs: dict[str, dict]) -> str:
    """The references list, sorted by first author, each with an anchor ``ref-<key>``."""
    items = []
    for key, e in sorted(refs.items(), key=lambda kv: (kv[1]["authors"][0][1].lower(), kv[1]["year"])):
        esc = html.escape
        venue = e.get("journal") or e.get("booktitle") or e.get("publisher") or e.get("howpublished") or ""
        label, url = link(e)
        items.append(
            f'<p id="ref-{key}" class="wrw-ref"><strong>{esc(short(e))}</strong> · {esc(e["author"])} '
            f"({e['year']}). <em>{esc(e['title'])}</em>. {esc(venue) + '. ' if venue else ''}"
            f'<a href="{esc(url)}">{esc(label)}</a>. <code>{key}</code></p>'
        )
    return "\n\n".join(items)
