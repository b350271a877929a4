"""MkDocs hooks of Why Random Weights: snippets -> figures, claims, tables, notebooks, math.

Every failure raises ``PluginError`` with a one-line message that names the file and the id, so
``mkdocs build --strict`` exits non-zero and nothing (no traceback) is published.

Shortcodes (HTML comments, invisible on GitHub; an unknown one fails the build):

    <!-- figure: slug/name -->           numbered figure with alt text, caption and code link
    <!-- table: slug/name -->            Markdown table computed by the build
    <!-- claim: slug.name -->            link to the claim's row in the claims ledger
    <!-- value: slug.name[.key] [fmt] --> the claim's value measured in this build
    <!-- cite: key[, key] -->            citation of docs/references.bib
    <!-- claims-ledger -->  <!-- references -->   the two generated listings
"""

from __future__ import annotations

import html
import json
import os
import posixpath
import re
import subprocess
import sys
import time
from pathlib import Path

# One BLAS thread per process: the build runs snippet modules in parallel processes, and
# oversubscribed OpenBLAS threads make small matrix products many times slower on 2 cores.
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

from mkdocs.exceptions import PluginError  # noqa: E402
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bib  # noqa: E402
import claims_index  # noqa: E402
import compute  # noqa: E402
import linkcheck  # noqa: E402
import notebooks  # noqa: E402

log = get_plugin_logger("wrw")
ROOT = compute.ROOT
KATEX_DIR = ROOT / "node_modules" / "katex" / "dist"
# `<!-- name: arg -->`, or a bare `<!-- claims-ledger -->` / `<!-- references -->`; a comment of
# free text is not a shortcode.
SHORTCODE = re.compile(r"<!--\s*(?:([a-z][a-z.-]*)\s*:(.*?)|(claims-ledger|references))\s*-->")
KNOWN = {"figure", "table", "claim", "value", "cite", "claims-ledger", "references"}
FENCE = re.compile(r"^\s*(```|~~~)")
INCLUDE = re.compile(r'^\s*-{1,}8<-{1,}\s+"([^"]+)"\s*$')

# State that survives rebuilds under `mkdocs serve` (this module is re-executed per build, so keep
# it on the long-lived `compute` module).
S = compute.__dict__.setdefault("_site_state", {"tree": None, "katex_cache": None})


class Build:
    """Everything computed for one build."""

    results: dict = {}
    figures: dict = {}  # id -> Entry
    claims: dict = {}  # id -> Entry
    tables: dict = {}
    values: dict = {}  # claim id -> flattened value
    refs: dict = {}  # bib key -> entry
    marker_pages: dict = {}  # claim id -> (src_uri, anchor) of its first marker
    anchored: set = set()  # (src_uri, claim id) whose marker got its anchor
    fig_numbers: dict = {}
    notebook_pages: dict = {}  # src_uri -> executed .ipynb
    timings: dict = {}
    files = None  # the build's Files, for resolving links in notebooks
    sources: dict = {}  # code page src_uri -> the .py file it shows
    built: set = set()  # dest_uri of the pages rendered in this build


B = Build()


def _fail(msg: str):
    raise PluginError(msg)


# ---------------------------------------------------------------------------------------- config
def on_startup(command, dirty):
    S["dirty"] = bool(dirty)  # `mkdocs serve --dirty` (make serve): rebuild only what changed


def on_config(config):
    t0 = time.perf_counter()
    tree = compute.tree_hash()
    try:
        reg = compute.load_registry(force=S["tree"] is not None and S["tree"] != tree)
    except compute.ComputeError as e:
        _fail(str(e))
    S["tree"] = tree
    B.figures, B.claims, B.tables = dict(reg.FIGURES), dict(reg.CLAIMS), dict(reg.TABLES)
    bib_path = ROOT / "docs" / "references.bib"
    try:
        B.refs = bib.parse(bib_path.read_text(encoding="utf-8"))
    except bib.BibError as e:
        _fail(f"docs/references.bib: {e}")
    B.marker_pages, B.anchored, B.fig_numbers, B.notebook_pages = {}, set(), {}, {}
    B.timings = {"config": time.perf_counter() - t0}
    return config


# ----------------------------------------------------------------------------------------- files
@event_priority(100)  # before mkdocs-jupyter wraps the notebook files
def on_files(files: Files, config):
    t0 = time.perf_counter()
    B.files = files
    B.sources, B.built = {}, set()
    modules = sorted({e.module for e in [*B.figures.values(), *B.claims.values(), *B.tables.values()]})
    if os.environ.get("FIGURES_OFF") == "1":  # benchmark floor: no snippet runs at all
        B.results, computed = {}, []
    else:
        try:
            B.results, computed = compute.compute_all(modules)
        except compute.ComputeError as e:
            _fail(str(e))
        compute.prune(modules, {m: r.key for m, r in B.results.items()})
    if computed:
        log.info("computed %s", ", ".join(computed))
    B.values = {}
    for r in B.results.values():
        B.values.update(r.claims)
        for id_, svg in r.figures.items():
            files.append(File.generated(config, f"figures/{id_}.svg", content=svg))
    B.timings["snippets"] = time.perf_counter() - t0
    B.timings["computed"] = computed

    # KaTeX stylesheet and fonts (woff2 only: every browser the theme supports reads it).
    if not KATEX_DIR.exists():
        _fail("node_modules/katex is missing: run `npm ci` (the Makefile does)")
    files.append(
        File.generated(config, "assets/katex/katex.min.css", abs_src_path=str(KATEX_DIR / "katex.min.css"))
    )
    for f in sorted((KATEX_DIR / "fonts").glob("*.woff2")):
        files.append(File.generated(config, f"assets/katex/fonts/{f.name}", abs_src_path=str(f)))

    # Notebooks: executed here (cached by source and snippets/), rendered by mkdocs-jupyter.
    t1 = time.perf_counter()
    for f in list(files):
        if f.src_uri.startswith("notebooks/") and f.src_uri.endswith(".py"):
            try:
                f.abs_src_path = str(
                    notebooks.executed(Path(f.abs_src_path), _notebook_deps(Path(f.abs_src_path)))
                )
            except notebooks.NotebookError as e:
                _fail(str(e))
            B.notebook_pages[f.src_uri] = f.abs_src_path
            stem = f.src_uri.removesuffix(".py")  # the executed notebook, downloadable beside its page
            dl = notebooks.download_copy(Path(f.abs_src_path))
            files.append(File.generated(config, f"{stem}/{Path(stem).name}.ipynb", abs_src_path=str(dl)))
    notebooks.prune()
    B.timings["notebooks"] = time.perf_counter() - t1

    # Where each claim is made: its first marker (pages are scanned in file order).
    for f in files.documentation_pages():
        if f.src_uri.endswith(".md") and f.abs_src_path and Path(f.abs_src_path).exists():
            text = Path(f.abs_src_path).read_text(encoding="utf-8")
            for m in re.finditer(r"<!--\s*claim\s*:\s*(\S+?)\s*-->", text):
                B.marker_pages.setdefault(m.group(1), (f.src_uri, f"claim-ref-{m.group(1)}"))

    # Source pages: every snippet and test module, with line anchors, so figures and claims link to code.
    for kind, folder in (("snippets", ROOT / "snippets"), ("tests", ROOT / "tests")):
        for py in sorted(folder.rglob("*.py")):
            if py.name.startswith("_") or py.name == "conftest.py" or "__pycache__" in py.parts:
                continue
            rel = py.relative_to(folder).as_posix()
            md = (
                f"---\nsearch:\n  exclude: true\n---\n\n# `{kind}/{rel}`\n\n"
                f"The source of `{kind}/{rel}` as it ran in this build. Line anchors: `#L-<n>`.\n\n"
                f'<div class="wrw-source-slot"></div>\n'
            )
            B.sources[code_page(kind, rel)] = py
            files.append(File.generated(config, code_page(kind, rel), content=md))
    _mark_dirty(files, bool(computed))
    return files


def _highlight(source: str) -> str:
    """Highlighted source with an anchor ``L-<n>`` on every line (raw HTML, so MkDocs sees them)."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    # no link per line number: thousands of links make the page slow for assistive tools
    fmt = HtmlFormatter(cssclass="highlight wrw-source", linenos="inline", lineanchors="L")
    return highlight(source, PythonLexer(), fmt).replace("\n\n", "\n&#8203;\n")


def _notebook_deps(src: Path) -> str:
    """The cache keys of the snippet modules a notebook imports, so that editing one module
    re-executes only the notebooks that use it."""
    text = src.read_text(encoding="utf-8")
    mods = set(re.findall(r"\bsnippets\.([a-z_][a-z0-9_]*)", text))
    for m in re.finditer(r"from\s+snippets\s+import\s+\(?([\w\s,]+)", text):
        mods |= {x.split()[0] for x in m.group(1).split(",") if x.split()}
    keys = []
    for m in sorted(mods):
        f = compute.module_file("snippets." + m)
        if f is None:
            continue
        if f.name == "__init__.py":  # a chapter package: every part of it
            parts = sorted(p.stem for p in f.parent.glob("*.py") if not p.name.startswith("_"))
            keys += [f"{m}.{p}={compute.module_key(f'snippets.{m}.{p}')}" for p in parts]
        keys.append(f"{m}={compute.module_key('snippets.' + m)}")
    return ";".join(keys) or "none"


def _mark_dirty(files: Files, recomputed: bool) -> None:
    """Under ``serve --dirty`` MkDocs re-renders only pages whose source changed. Make that true
    of what this hook adds: pages quote measured values, so a recomputed snippet re-renders every
    page; the claims ledger is always rebuilt; the source listings only when a source changed."""
    if not S.get("dirty"):
        return
    sources = S["tree"] + str(  # S["tree"]: hashed by on_config for this build
        sorted((p.name, p.stat().st_mtime_ns) for p in (ROOT / "tests").glob("*.py"))
    )
    sources_changed, S["sources"] = S.get("sources") != sources, sources
    for f in files.documentation_pages():
        if f.src_uri.startswith("code/"):
            f.is_modified = (lambda v: lambda: v)(sources_changed)
        elif recomputed or f.src_uri == "claims.md":
            f.is_modified = lambda: True


def code_page(kind: str, filename: str) -> str:
    """``code/<kind>-<name>.md`` for ``<kind>/<name>.py``; a file in a sub-folder
    (``snippets/deep/he.py``) gets ``code/snippets-deep-he.md``."""
    return f"code/{kind}-{filename.removesuffix('.py').replace('/', '-')}.md"


def code_url(page_url: str, path: str, line: int) -> str:
    """URL, from the page at ``page_url``, of a line of ``snippets/x.py`` or ``tests/x.py``.

    Links to source lines are written as raw HTML: the line anchors are added after Markdown
    (see on_page_content), so hooks/linkcheck.py checks them, not MkDocs."""
    p = Path(path)
    rel = p.resolve().relative_to(ROOT) if p.is_absolute() else p
    kind, filename = rel.parts[0], Path(*rel.parts[1:]).as_posix()
    target = code_page(kind, filename).removesuffix(".md") + "/"
    return f"{get_relative_url(target, page_url)}#L-{line}"


@event_priority(100)
def on_pre_page(page, config, files):
    # mkdocs-jupyter wraps each notebook File in a NotebookFile, whose abs_src_path is computed
    # afresh from docs/: point it at the executed notebook again before mkdocs-jupyter reads it.
    executed = B.notebook_pages.get(page.file.src_uri)
    if executed:
        page.file.abs_src_path = executed
    return page


# -------------------------------------------------------------------------------------- markdown
def _check_includes(markdown: str, page_src: str) -> None:
    """Every ``--8<-- "file:section"`` names an existing file and section (pymdownx would fail
    without saying which page asked)."""
    for n, line in enumerate(markdown.splitlines(), 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        target = m.group(1)
        path, _, section = target.partition(":")
        if section.isdigit() or re.fullmatch(r"\d*:\d*", section or "x"):
            section = ""
        f = ROOT / path
        if not f.is_file():
            _fail(f"docs/{page_src}:{n}: included file {path!r} does not exist")
        if section and f"--8<-- [start:{section}]" not in f.read_text(encoding="utf-8"):
            _fail(f"docs/{page_src}:{n}: section {section!r} not found in {path}")


def on_page_markdown(markdown: str, page, config, files):
    src = page.file.src_uri
    if src.startswith("code/"):
        return markdown
    _check_includes(markdown, src)
    if compute.module_file("snippets." + Path(src).stem) is not None and "/" not in src:
        markdown = markdown.rstrip() + "\n\n" + _cite_box(markdown, page, config)
    out, in_fence = [], False
    for n, line in enumerate(markdown.split("\n"), 1):
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence or "<!--" not in line:
            out.append(line)
            continue
        out.append(SHORTCODE.sub(lambda m, n=n: _shortcode(m, page, n), line))
    return "\n".join(out)


def _cite_box(markdown: str, page, config) -> str:
    """A collapsible "Cite this page" box with the permalink and a BibTeX entry."""
    m = re.search(r"^#\s+(.+?)(?:\s*\{[^}]*\})?\s*$", markdown, re.M)
    title = m.group(1).strip() if m else (page.title or config.site_name)
    url = (config.site_url or "").rstrip("/") + "/" + page.file.url
    slug = Path(page.file.src_uri).stem
    bibtex = (
        f"@misc{{whyrandomweights-{slug},\n"
        f"  title        = {{{{{title}}}}},\n"
        f"  author       = {{{{The Why Random Weights contributors}}}},\n"
        f"  howpublished = {{\\url{{{url}}}}},\n"
        f"  year         = {{{time.strftime('%Y')}}},\n"
        f"  note         = {{Every number on the page is computed by the site's build and tested}}\n}}"
    )
    body = "\n".join("    " + line for line in bibtex.splitlines())
    return (
        f'??? quote "Cite this page"\n\n    Permalink: <{url}>. To cite one answer, use the permalink (¶) '
        f"of its section.\n\n    ```bibtex\n{body}\n    ```\n"
    )


def _shortcode(m: re.Match, page, lineno: int) -> str:
    name, arg = m.group(1) or m.group(3), (m.group(2) or "").strip()
    src = page.file.src_uri
    where = f"docs/{src}:{lineno}"
    if name.startswith("pytest"):
        return m.group(0)
    if name not in KNOWN:
        _fail(f"{where}: unknown shortcode {name!r}")
    if name == "figure":
        return _figure(arg, page, where)
    if name == "table":
        e = B.tables.get(arg)
        if e is None:
            _fail(f"{where}: unknown table id {arg!r}")
        header, rows = _result(e)["tables"][arg]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
        cap = f'\n\n<p class="wrw-table-caption">{html.escape(e.text)}</p>' if e.text else ""
        return "\n\n" + "\n".join(lines) + cap + "\n\n"
    if name == "claim":
        e = _claim(arg, where)
        anchor = f"claim-ref-{arg}"
        attr = ""
        if B.marker_pages.get(arg) == (src, anchor) and (src, arg) not in B.anchored:
            B.anchored.add((src, arg))
            attr = f" #{anchor}"
        link = get_relative_url("claims.md", src)
        return (
            f'[✓]({link}#{arg} "Tested claim {arg}: {_attr(e.text)}")'
            f'{{.wrw-claim{attr} aria-label="tested claim {arg}"}}'
        )
    if name == "value":
        return _value(arg, page, where)
    if name == "cite":
        keys = [k.strip() for k in arg.split(",") if k.strip()]
        parts = []
        for k in keys:
            if k not in B.refs:
                _fail(f"{where}: unknown citation key {k!r} (not in docs/references.bib)")
            link = get_relative_url("references.md", src)
            parts.append(f'[{bib.short(B.refs[k])}]({link}#ref-{k} "{_attr(bib.title(B.refs[k]))}")')
        return "(" + "; ".join(parts) + ")"
    if name == "claims-ledger":
        return _ledger(page)
    if name == "references":
        return bib.render_markdown(B.refs)
    return m.group(0)


def _attr(s: str) -> str:
    return s.replace('"', "&quot;").replace("\n", " ")


def _result(e) -> dict:
    r = B.results.get(e.module)
    if r is None:
        if os.environ.get("FIGURES_OFF") == "1":
            return {"tables": {e.id: [["(figures off)"], []]}, "claims": {e.id: {"": 0}}}
        _fail(f"{e.module}: no result for {e.id}")
    return {"tables": r.tables, "claims": r.claims, "figures": r.figures}


def _claim(arg: str, where: str):
    e = B.claims.get(arg)
    if e is None:
        _fail(f"{where}: unknown claim id {arg!r}")
    return e


def _value(arg: str, page, where: str) -> str:
    parts = arg.split()
    ref, fmt = parts[0], (parts[1] if len(parts) > 1 else "")
    with_range = len(parts) > 2 and parts[2] == "range"
    if len(parts) > 3 or (len(parts) > 2 and not with_range):
        _fail(f"{where}: value shortcode takes `id[.key] [format] [range]`, got {arg!r}")
    pieces = ref.split(".")
    cid, key = ".".join(pieces[:2]), ".".join(pieces[2:])
    e = _claim(cid, where)
    if os.environ.get("FIGURES_OFF") == "1" and cid not in B.values:
        text = "…"
    else:
        vals = B.values.get(cid)
        if vals is None:
            _fail(f"{where}: claim {cid!r} has no measured value")
        if key not in vals:
            keys = ", ".join(repr(k) for k in vals) or "none"
            _fail(f"{where}: claim {cid!r} has no value key {key!r} (keys: {keys})")
        v = vals[key]
        try:
            text = format(v, fmt) if fmt else str(v)
        except (ValueError, TypeError) as ex:
            _fail(f"{where}: cannot format {cid}{'.' + key if key else ''}={v!r} with {fmt!r}: {ex}")
        if with_range:
            lo, hi = vals.get(f"{key}_min"), vals.get(f"{key}_max")
            if lo is None or hi is None:
                _fail(f"{where}: `range` needs keys {key}_min and {key}_max in claim {cid!r}")
            n = vals.get("blocks")
            lo_t, hi_t = format(lo, fmt) if fmt else str(lo), format(hi, fmt) if fmt else str(hi)
            span = f"{lo_t}–{hi_t}" if lo_t != hi_t else f"{lo_t} in every block"
            text += f" ({span}{f' over {n} seed blocks' if n and lo_t != hi_t else ''})"
    link = get_relative_url("claims.md", page.file.src_uri)
    return f'[{text}]({link}#{cid} "Measured in this build: {_attr(e.text)}"){{.wrw-value}}'


def _figure(arg: str, page, where: str) -> str:
    e = B.figures.get(arg)
    if e is None:
        _fail(f"{where}: unknown figure id {arg!r}")
    src = page.file.src_uri
    if os.environ.get("FIGURES_OFF") == "1":
        return f'\n<figure class="wrw-figure"><figcaption>{html.escape(e.text)}</figcaption></figure>\n'
    num = B.fig_numbers.setdefault(src, {}).setdefault(arg, len(B.fig_numbers.get(src, {})) + 1)
    url = get_relative_url(f"figures/{arg}.svg", page.file.url)
    fid = "fig-" + arg.replace("/", "-")
    code = code_url(page.file.url, e.source_file, e.source_line)
    alt = html.escape(e.alt, quote=True)
    return (
        f'\n<figure class="wrw-figure" id="{fid}">\n'
        f'<a class="wrw-zoom" href="{url}" title="Open the full-size figure">'
        f'<img class="wrw-fig-light" src="{url}#only-light" alt="{alt}"></a>'
        f'<a class="wrw-zoom" href="{url}" title="Open the full-size figure" tabindex="-1" aria-hidden="true">'
        f'<img class="wrw-fig-dark" src="{url}#only-dark" alt=""></a>\n'
        f'<figcaption><a class="wrw-fignum" href="#{fid}">Figure {num}.</a> {html.escape(e.text)} '
        f'<a class="wrw-code" href="{code}">Code</a></figcaption>\n</figure>\n'
    )


def _ledger(page) -> str:
    """One section per page slug; a row per claim: id and statement, where it is made, the test
    that checks it, and the values measured in this build."""
    src = page.file.src_uri
    tests = _claim_tests()
    out = [f"{len(B.claims)} claims, {sum(1 for c in B.claims if c in tests)} of them with a test."]
    for slug in sorted({e.slug for e in B.claims.values()}, key=lambda s: (s != "index", s)):
        out += [
            "",
            f"## `{slug}` {{#ledger-{slug}}}",
            "",
            "| Claim | Made in | Tested by | Measured in this build |",
            "|---|---|---|---|",
        ]
        for cid in sorted(c for c, e in B.claims.items() if e.slug == slug):
            e = B.claims[cid]
            made = B.marker_pages.get(cid)
            made_md = f"[{made[0]}]({get_relative_url(made[0], src)}#{made[1]})" if made else "—"
            t = tests.get(cid)
            test_md = (
                f'<a href="{code_url(page.file.url, "tests/" + t[1], t[2])}"><code>{t[0]}</code></a>'
                if t
                else "—"
            )
            vals = B.values.get(cid, {})
            val = "<br>".join(f"{k} = {_short(v)}" if k else _short(v) for k, v in vals.items())
            out.append(
                f'| <span id="{cid}"></span>**`{cid.split(".", 1)[1]}`**<br>{e.text} | {made_md} | {test_md} | {val} |'
            )
    return "\n".join(out)


def _short(v) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, list):
        return "[" + ", ".join(_short(x) for x in v[:6]) + (", …" if len(v) > 6 else "") + "]"
    return str(v)


def _claim_tests() -> dict[str, tuple[str, str, int]]:
    """claim id -> (test function, test file, line), from ``@pytest.mark.claim("id")`` in tests/."""
    return claims_index.claim_tests(ROOT / "tests")


# ------------------------------------------------------------------------------------------ html
MATH = re.compile(r'<(span|div) class="arithmatex">\s*(?:\\\((.*?)\\\)|\\\[(.*?)\\\])\s*</\1>', re.S)


def on_page_content(html_: str, page, config, files):
    if page.file.src_uri in B.notebook_pages:
        return html_
    if page.file.src_uri in B.sources:  # highlighted after Markdown: its HTML parser is slow on it
        src = B.sources[page.file.src_uri].read_text(encoding="utf-8")
        return html_.replace('<div class="wrw-source-slot"></div>', _highlight(src), 1)
    return MATH.sub(lambda m: _katex(m, page), html_)


def _katex(m: re.Match, page) -> str:
    display = m.group(1) == "div"
    return _math_html(html.unescape(m.group(3) if display else m.group(2)), display, page)


def _math_html(tex: str, display: bool, page) -> str:
    """KaTeX HTML of one formula; a TeX error fails the build naming the page."""
    out = katex_render(tex, display)
    if out.startswith("ERROR:"):
        _fail(f"docs/{page.file.src_uri}: math {tex[:60]!r}: {out[6:]}")
    return f'<div class="wrw-math">{out}</div>' if display else out


def katex_render(tex: str, display: bool) -> str:
    cache = S["katex_cache"]
    if cache is None:
        p = ROOT / ".cache" / "katex.json"
        cache = S["katex_cache"] = json.loads(p.read_text()) if p.exists() else {}
        S["katex_dirty"] = False
    key = ("D" if display else "I") + tex
    if key not in cache:
        proc = S.get("katex_proc")
        if proc is None or proc.poll() is not None:
            proc = S["katex_proc"] = subprocess.Popen(
                ["node", str(ROOT / "hooks" / "katex_render.cjs")],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        proc.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
        proc.stdin.flush()
        ans = json.loads(proc.stdout.readline())
        if "error" in ans:
            return "ERROR:" + ans["error"]
        cache[key] = ans["html"]
        S["katex_dirty"] = True
    return cache[key]


NB_MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)


NB_MD_LINK = re.compile(r'href="([^":#?]+\.md)(#[^"]*)?"')


def _notebook_links(output: str, page) -> str:
    """Links in notebook Markdown cells are written like the site's (``../scale.md#how-small``,
    relative to ``docs/notebooks/``); mkdocs-jupyter leaves them as they are, so point them at the
    pages' URLs. A link to a missing page fails the build."""

    def fix(m: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), m.group(1)))
        f = B.files.get_file_from_path(target) if B.files is not None else None
        if f is None:
            _fail(f"docs/{page.file.src_uri}: link to missing page {m.group(1)!r}")
        return f'href="{get_relative_url(f.url, page.file.url)}{m.group(2) or ""}"'

    return NB_MD_LINK.sub(fix, output)


NB_STYLE = re.compile(
    r"<style[^>]*>(?:(?!</style>).)*?(?:jp-|highlight-ipynb|jupyter)(?:(?!</style>).)*</style>", re.S
)
NB_MARKDOWN = re.compile(
    r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.S
)
NB_MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)
NB_CODE = re.compile(r"(<code>.*?</code>|<pre>.*?</pre>)", re.S)


def _notebook_math(output: str, page) -> str:
    """Typeset the ``$…$`` and ``$$…$$`` of notebook Markdown cells with KaTeX at build time, as
    for Markdown pages: notebook pages load no math script either."""

    def cell(m: re.Match) -> str:
        parts = NB_CODE.split(m.group(2))
        for i in range(0, len(parts), 2):  # even parts are outside <code> and <pre>
            parts[i] = NB_MATH.sub(lambda mm: _typeset(mm, page), parts[i])
        return m.group(1) + "".join(parts) + m.group(3)

    return NB_MARKDOWN.sub(cell, output)


def _typeset(m: re.Match, page) -> str:
    display = m.group(1) is not None
    return _math_html(html.unescape(m.group(1) if display else m.group(2)), display, page)


def on_post_page(output: str, page, config):
    B.built.add(page.file.dest_uri)
    if page.file.src_uri in B.notebook_pages:
        output = _notebook_links(output, page)
        output = NB_MATHJAX.sub("", output)
        # mkdocs-jupyter inlines ~570 KB of JupyterLab CSS per page; assets/notebook.css replaces it
        output = NB_STYLE.sub("", output)
        css = get_relative_url("assets/notebook.css", page.file.url)
        output = output.replace("</head>", f'<link rel="stylesheet" href="{css}"></head>', 1)
        output = _notebook_math(output, page)
        name = Path(page.file.src_uri).stem
        dl = (
            f'<p class="wrw-download"><a class="md-button md-button--primary" href="{name}.ipynb" download>'
            f"Download this notebook (.ipynb)</a></p>"
        )
        output = output.replace('<div class="jupyter-wrapper">', dl + '<div class="jupyter-wrapper">', 1)
    return output


def on_post_build(config):
    if S.get("katex_dirty"):
        p = ROOT / ".cache" / "katex.json"
        p.parent.mkdir(exist_ok=True)
        tmp = p.with_suffix(f".tmp-{os.getpid()}")
        tmp.write_text(json.dumps(S["katex_cache"], sort_keys=True))
        os.replace(tmp, p)
        S["katex_dirty"] = False
    # under `serve --dirty`, the pages rebuilt this time; a full build checks every page
    only = B.built if S.get("dirty") else None
    problems = linkcheck.check(Path(config.site_dir), only)
    if problems:
        _fail("broken internal links: " + "; ".join(problems[:10]))
    log.info(
        "snippets %.2fs (computed: %s), notebooks %.2fs",
        B.timings.get("snippets", 0),
        ", ".join(B.timings.get("computed") or []) or "none",
        B.timings.get("notebooks", 0),
    )
