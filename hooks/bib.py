"""A small BibTeX reader for docs/references.bib, and the references page it renders."""

from __future__ import annotations

import re

ENTRY = re.compile(r"@(\w+)\s*\{\s*([^,\s]+)\s*,", re.S)


class BibError(ValueError):
    pass


def _braced(text: str, i: int) -> tuple[str, int]:
    """The content of the group opening at text[i] ('{' or '"'), and the index after it."""
    if text[i] == '"':
        j = text.index('"', i + 1)
        return text[i + 1 : j], j + 1
    depth, j = 0, i
    while j < len(text):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1 : j], j + 1
        j += 1
    raise BibError("unbalanced braces")


def parse(text: str) -> dict[str, dict[str, str]]:
    """``{key: {"type": ..., field: value}}``; every entry needs a title, a year and a link."""
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("%"))
    out: dict[str, dict[str, str]] = {}
    for m in ENTRY.finditer(text):
        kind, key = m.group(1).lower(), m.group(2)
        fields: dict[str, str] = {"type": kind}
        i = m.end()
        while True:
            fm = re.compile(r"\s*(\w+)\s*=\s*").match(text, i)
            if not fm:
                break
            name, i = fm.group(1).lower(), fm.end()
            if text[i] in '{"':
                value, i = _braced(text, i)
            else:
                vm = re.compile(r"[^,}\s]+").match(text, i)
                value, i = vm.group(0), vm.end()
            fields[name] = re.sub(r"\s+", " ", value.replace("{", "").replace("}", "")).strip()
            cm = re.compile(r"\s*,").match(text, i)
            if not cm:
                break
            i = cm.end()
        if key in out:
            raise BibError(f"duplicate key {key!r}")
        for need in ("title", "year", "author"):
            if need not in fields:
                raise BibError(f"entry {key!r} has no {need}")
        if not (fields.get("doi") or fields.get("url") or fields.get("eprint")):
            raise BibError(f"entry {key!r} has no doi, url or eprint link")
        out[key] = fields
    return out


def authors(e: dict) -> list[str]:
    return [a.strip() for a in e["author"].split(" and ") if a.strip()]


def _last(name: str) -> str:
    return name.split(",")[0].strip() if "," in name else name.split()[-1]


def short(e: dict) -> str:
    """``Glorot & Bengio 2010``, ``He et al. 2015``."""
    names = [_last(a) for a in authors(e)]
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


def render_markdown(refs: dict[str, dict[str, str]]) -> str:
    """The references list, sorted by first author, each with an anchor ``ref-<key>``."""
    items = []
    for key, e in sorted(refs.items(), key=lambda kv: (_last(authors(kv[1])[0]).lower(), kv[1]["year"])):
        who = ", ".join(authors(e))
        venue = e.get("journal") or e.get("booktitle") or e.get("publisher") or e.get("howpublished") or ""
        label, url = link(e)
        note = f" {e['note']}." if e.get("note") else ""
        items.append(
            f'<p id="ref-{key}" class="wrw-ref"><strong>{short(e)}</strong> · {who} ({e["year"]}). '
            f'<em>{e["title"]}</em>. {venue + ". " if venue else ""}<a href="{url}">{label}</a>.{note} '
            f"<code>{key}</code></p>"
        )
    return "\n\n".join(items)


def to_bibtex(key: str, e: dict) -> str:
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in e.items() if k != "type")
    return f"@{e['type']}{{{key},\n{body}\n}}"
