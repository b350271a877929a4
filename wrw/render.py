"""What each shortcode becomes on a page (see :mod:`wrw.grammar` for how they are found).

    <!-- figure: slug/name -->           numbered figure with alt text, caption and code link
    <!-- table: slug/name -->            Markdown table computed by the build
    <!-- claim: slug.name -->            ✓ linking to the claim's row in the claims ledger
    <!-- value: slug.name[.key] [fmt] [range] --> the claim's value measured in this build
    <!-- cite: key[, key] -->            citation of docs/references.bib
    <!-- claims-ledger -->  <!-- references -->   the two generated listings

Each function returns Markdown/HTML or raises :class:`ShortcodeError` naming the page and line.
"""

from __future__ import annotations

import html
import os

from mkdocs.utils import get_relative_url

from wrw import bib, grammar, ledger
from wrw.grammar import Shortcode
from wrw.sources import code_url


class ShortcodeError(ValueError):
    pass


def attr(s: str) -> str:
    return s.replace('"', "&quot;").replace("\n", " ")


def _figures_off() -> bool:
    return os.environ.get("FIGURES_OFF") == "1"


def shortcode(b, sc: Shortcode, page) -> str:
    where = f"docs/{page.file.src_uri}:{sc.line}"

    def fail(msg: str):
        raise ShortcodeError(f"{where}: {msg}")

    def entry(store: dict, kind: str, id_: str):
        if id_ not in store:
            fail(f"unknown {kind} id {id_!r}" + grammar.did_you_mean(id_, store))
        return store[id_]

    if sc.name not in grammar.KNOWN:
        fail(f"unknown shortcode {sc.name!r}" + grammar.did_you_mean(sc.name, grammar.KNOWN))
    if sc.name == "figure":
        return figure(b, entry(b.figures, "figure", sc.arg), page)
    if sc.name == "table":
        return table(b, entry(b.tables, "table", sc.arg), fail)
    if sc.name == "claim":
        return claim(b, entry(b.claims, "claim", sc.arg), page)
    if sc.name == "value":
        return value(b, sc.arg, entry(b.claims, "claim", sc.ref), page, fail)
    if sc.name == "cite":
        parts = []
        for k in (k.strip() for k in sc.arg.split(",")):
            if k:
                e = b.refs.get(k) or fail(
                    f"unknown citation key {k!r} (not in docs/references.bib)"
                    + grammar.did_you_mean(k, b.refs)
                )
                link = get_relative_url("references.md", page.file.src_uri)
                parts.append(f'[{bib.short(e)}]({link}#ref-{k} "{attr(bib.title(e))}")')
        return "(" + "; ".join(parts) + ")"
    if sc.name == "claims-ledger":
        return ledger.render(b, page)
    return bib.render_markdown(b.refs)  # references


def table(b, e, fail) -> str:
    if _figures_off() and e.module not in b.results:
        return "\n\n| (figures off) |\n|---|\n\n"
    r = b.results.get(e.module)
    if r is None or e.id not in r.tables:
        fail(f"{e.module}: no result for {e.id}")
    header, rows = r.tables[e.id]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    cap = f'\n\n<p class="wrw-table-caption">{html.escape(e.text)}</p>' if e.text else ""
    return "\n\n" + "\n".join(lines) + cap + "\n\n"


def claim(b, e, page) -> str:
    src, anchor = page.file.src_uri, f"claim-ref-{e.id}"
    extra = ""
    if b.marker_pages.get(e.id) == (src, anchor) and (src, e.id) not in b.anchored:
        b.anchored.add((src, e.id))  # the first marker of a claim carries its anchor
        extra = f" #{anchor}"
    link = get_relative_url("claims.md", src)
    return (
        f'[✓]({link}#{e.id} "Tested claim {e.id}: {attr(e.text)}")'
        f'{{.wrw-claim{extra} aria-label="tested claim {e.id}"}}'
    )


def value(b, arg: str, e, page, fail) -> str:
    parts = arg.split()
    fmt = parts[1] if len(parts) > 1 else ""
    with_range = len(parts) > 2 and parts[2] == "range"
    if len(parts) > 3 or (len(parts) > 2 and not with_range):
        fail(f"value shortcode takes `id[.key] [format] [range]`, got {arg!r}")
    key = ".".join(parts[0].split(".")[2:])
    link = get_relative_url("claims.md", page.file.src_uri)
    vals = b.values.get(e.id)
    if vals is None:
        if not _figures_off():
            fail(f"claim {e.id!r} has no measured value")
        text = "…"
    else:
        if key not in vals:
            fail(f"claim {e.id!r} has no value key {key!r} (keys: {', '.join(map(repr, vals)) or 'none'})")

        def fmt_(v):
            try:
                return format(v, fmt) if fmt else str(v)
            except (ValueError, TypeError) as ex:
                fail(f"cannot format {e.id}{'.' + key if key else ''}={v!r} with {fmt!r}: {ex}")

        text = fmt_(vals[key])
        if with_range:
            lo, hi = vals.get(f"{key}_min"), vals.get(f"{key}_max")
            if lo is None or hi is None:
                fail(f"`range` needs keys {key}_min and {key}_max in claim {e.id!r}")
            n = vals.get("blocks")
            lo_t, hi_t = fmt_(lo), fmt_(hi)
            dash = " to " if "-" in lo_t + hi_t else "–"  # "−2.32 to −2.22", not "−2.32–−2.22"
            span = f"{lo_t}{dash}{hi_t}" if lo_t != hi_t else f"{lo_t} in every block"
            text += f" ({span}{f' over {n} seed blocks' if n and lo_t != hi_t else ''})"
    t = next((t for t in b.claim_tests if t.claim == e.id), None)
    test = f' data-test="{t.test}"' if t else ""
    return (
        f'[{text}]({link}#{e.id} "Measured in this build: {attr(e.text)}")'
        f'{{.wrw-value data-claim="{e.id}"{test}}}'
    )


def figure(b, e, page) -> str:
    if _figures_off():
        return f'\n<figure class="wrw-figure"><figcaption>{html.escape(e.text)}</figcaption></figure>\n'
    src = page.file.src_uri
    numbers = b.fig_numbers.setdefault(src, {})
    num = numbers.setdefault(e.id, len(numbers) + 1)
    url = get_relative_url(f"figures/{e.id}.svg", page.file.url)
    fid = "fig-" + e.id.replace("/", "-")
    code = code_url(page.file.url, e.source_file, e.source_line)
    alt = html.escape(e.alt, quote=True)
    r = b.results.get(e.module)
    size = svg_size(r.figures[e.id]) if r is not None and e.id in r.figures else ""
    img = f'{size} decoding="async"'
    return (
        f'\n<figure class="wrw-figure" id="{fid}">\n'
        f'<a class="wrw-zoom" href="{url}" title="Open the full-size figure">'
        f'<img class="wrw-fig-light" src="{url}#only-light" alt="{alt}"{img}></a>'
        f'<a class="wrw-zoom" href="{url}" title="Open the full-size figure" tabindex="-1" aria-hidden="true">'
        f'<img class="wrw-fig-dark" src="{url}#only-dark" alt=""{img}></a>\n'
        f'<figcaption><a class="wrw-fignum" href="#{fid}">Figure {num}.</a> {html.escape(e.text)} '
        f'<a class="wrw-code" href="{code}">Code</a></figcaption>\n</figure>\n'
    )


def svg_size(svg: bytes) -> str:
    """` width=".." height=".."` in CSS px (1 pt = 4/3 px) from a matplotlib SVG's header, so the
    browser reserves the figure's space before it loads (no layout shift)."""
    import re

    m = re.search(rb'width="([\d.]+)pt" height="([\d.]+)pt"', svg[:600])
    if not m:
        return ""
    return f' width="{round(float(m.group(1)) * 4 / 3)}" height="{round(float(m.group(2)) * 4 / 3)}"'


#: code blocks, and KaTeX's TeX source: Material's search skips elements marked
#: ``data-search-exclude``, so code and formulas' TeX are not indexed as prose.
_TEX = '<annotation encoding="application/x-tex">'


def search_exclusions(page_html: str) -> str:
    import re

    page_html = re.sub(
        r'<div (class="(?:language-[\w-]+ )?highlight)', r"<div data-search-exclude \1", page_html
    )
    return page_html.replace(_TEX, '<annotation data-search-exclude encoding="application/x-tex">')


def cite_box(markdown: str, page, config, year: str, stamp: str = "") -> str:
    """A collapsible "Cite this page" box with the permalink and a BibTeX entry."""
    import re

    m = re.search(r"^#\s+(.+?)(?:\s*\{[^}]*\})?\s*$", markdown, re.M)
    title = m.group(1).strip() if m else (page.title or config.site_name)
    url = (config.site_url or "").rstrip("/") + "/" + page.file.url
    slug = page.file.src_uri.removesuffix(".md")
    bibtex = (
        f"@misc{{whyrandomweights-{slug},\n"
        f"  title        = {{{{{title}}}}},\n"
        f"  author       = {{{{The Why Random Weights contributors}}}},\n"
        f"  howpublished = {{\\url{{{url}}}}},\n"
        f"  year         = {{{year}}},\n"
        f"  note         = {{Every number on the page is computed by the site's build and tested}}\n}}"
    )
    body = "\n".join("    " + line for line in bibtex.splitlines())
    plain = f"The Why Random Weights contributors. “{title}.” Why Random Weights, {year}. {url}"
    built = f" Built {stamp}." if stamp else ""
    return (
        f'??? quote "Cite this page"\n\n    Permalink: <{url}>. To cite one answer, use the permalink (¶) '
        f"of its section, a figure's number or a value's “Copy link”.{built}\n\n"
        f"    Plain text:\n\n    > {plain}\n\n    ```bibtex\n{body}\n    ```\n"
    )
