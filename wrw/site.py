"""The build of Why Random Weights as one object, :class:`Build`, whose methods the MkDocs hooks
(``hooks/site.py``) call event by event. Long-lived state (``mkdocs serve`` rebuilds) is the plain
``session`` dict of :mod:`wrw`; everything else belongs to one build."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.structure.files import File, Files, InclusionLevel

from wrw import bib, cache, checks, grammar, katex, linkcheck, notebook_html, notebooks, render, sources

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


class BuildError(RuntimeError):
    """A one-line message naming the file (and line) at fault; the hook raises it as PluginError."""


def build_stamp() -> str:
    """``YYYY-MM-DD, commit abc1234`` of this build (the date alone outside a git checkout)."""
    import subprocess

    day = time.strftime("%Y-%m-%d", time.gmtime())
    try:
        sha = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        sha = ""
    return f"{day}, commit {sha}" if sha else day


def _figures_off() -> bool:
    return os.environ.get("FIGURES_OFF") == "1"  # benchmark floor: no snippet runs at all


@dataclass
class Build:
    session: dict  # survives `mkdocs serve` rebuilds: dirty flag, snippets tree hash, KaTeX
    figures: dict = field(default_factory=dict)  # id -> registry Entry
    claims: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)
    claim_tests: list = field(default_factory=list)  # grammar.ClaimTest
    stamp: str = ""  # build date and commit, for the cite box
    refs: dict = field(default_factory=dict)  # bib key -> entry
    results: dict = field(default_factory=dict)  # module -> cache.ModuleResult
    values: dict = field(default_factory=dict)  # claim id -> flattened value
    computed: list = field(default_factory=list)  # modules computed (not cached) in this build
    marker_pages: dict = field(default_factory=dict)  # claim id -> (src_uri, anchor) of its first ✓
    anchored: set = field(default_factory=set)  # (src_uri, claim id) whose marker got its anchor
    fig_numbers: dict = field(default_factory=dict)  # src_uri -> {figure id: number}
    notebook_pages: dict = field(default_factory=dict)  # src_uri -> executed .ipynb
    sources: dict = field(default_factory=dict)  # code page src_uri -> the .py it shows
    built: set = field(default_factory=set)  # dest_uri of the pages rendered in this build
    files: Files | None = None
    timings: dict = field(default_factory=dict)

    # ------------------------------------------------------------------------------ config
    def config(self) -> None:
        t0 = time.perf_counter()
        s = self.session
        tree = cache.tree_hash()
        try:
            reg = cache.load_registry(force=s.get("tree") not in (None, tree))
        except cache.ComputeError as e:
            raise BuildError(str(e)) from None
        s["tree"] = tree
        self.figures, self.claims, self.tables = dict(reg.FIGURES), dict(reg.CLAIMS), dict(reg.TABLES)
        try:
            self.refs = bib.parse((DOCS / "references.bib").read_text(encoding="utf-8"))
        except bib.BibError as e:
            raise BuildError(f"docs/references.bib: {e}") from None
        self.claim_tests = grammar.claim_tests(ROOT / "tests")
        self.stamp = build_stamp()
        pages = {p.relative_to(DOCS).as_posix(): p.read_text(encoding="utf-8") for p in DOCS.rglob("*.md")}
        snippet_files = sorted(p for p in (ROOT / "snippets").rglob("*.py") if "__pycache__" not in p.parts)
        problems = checks.claims(self.claims, self.claim_tests, pages) + checks.section_markers(snippet_files)
        if problems:
            more = f" (and {len(problems) - 8} more)" if len(problems) > 8 else ""
            raise BuildError("; ".join(problems[:8]) + more)
        self.timings["config"] = time.perf_counter() - t0

    # ------------------------------------------------------------------------------- files
    def add_files(self, files: Files, config) -> Files:
        t0 = time.perf_counter()
        self.files = files
        modules = sorted(
            {e.module for e in [*self.figures.values(), *self.claims.values(), *self.tables.values()]}
        )
        if not _figures_off():
            try:
                self.results, self.computed = cache.compute_all(modules)
            except cache.ComputeError as e:
                raise BuildError(str(e)) from None
            cache.prune(modules, {m: r.key for m, r in self.results.items()})
        for r in self.results.values():
            self.values.update(r.claims)
            for id_, svg in r.figures.items():
                files.append(File.generated(config, f"figures/{id_}.svg", content=svg))
        self.timings["snippets"] = time.perf_counter() - t0
        try:
            for uri, path in katex.assets():
                files.append(File.generated(config, uri, abs_src_path=str(path)))
        except katex.MathError as e:
            raise BuildError(str(e)) from None

        t1 = time.perf_counter()  # notebooks: executed here, rendered by mkdocs-jupyter
        for f in list(files):
            if f.src_uri.startswith("notebooks/") and f.src_uri.endswith(".py"):
                src = Path(f.abs_src_path)
                try:
                    f.abs_src_path = str(notebooks.executed(src, notebooks.deps(src)))
                except (notebooks.NotebookError, cache.ComputeError) as e:
                    raise BuildError(str(e)) from None
                self.notebook_pages[f.src_uri] = f.abs_src_path
                stem = f.src_uri.removesuffix(".py")  # the executed notebook, downloadable beside its page
                dl = notebooks.download_copy(Path(f.abs_src_path))
                files.append(File.generated(config, f"{stem}/{Path(stem).name}.ipynb", abs_src_path=str(dl)))
        notebooks.prune()
        self.timings["notebooks"] = time.perf_counter() - t1

        changed_text = self._registry_text_changed()
        for f in files.documentation_pages():  # where each claim is made: its first ✓ (file order)
            if f.src_uri.endswith(".md") and f.abs_src_path and Path(f.abs_src_path).exists():
                text = Path(f.abs_src_path).read_text(encoding="utf-8")
                refs = set()
                for sc in grammar.shortcodes(text):
                    refs.add(sc.ref)
                    if sc.name == "claim":
                        self.marker_pages.setdefault(sc.ref, (f.src_uri, f"claim-ref-{sc.ref}"))
                if refs & changed_text:
                    self._modified(f, True)
        for uri, (py, md) in sources.pages().items():
            self.sources[uri] = py
            files.append(File.generated(config, uri, content=md, inclusion=InclusionLevel.NOT_IN_NAV))
        self._mark_dirty(files)
        return files

    def _registry_text_changed(self) -> set[str]:
        """Ids whose caption, alt text or statement changed since the last build of this session
        (read at page time, not part of the cache key: their pages re-render under serve)."""
        texts = {
            id_: (e.text, e.alt) for d in (self.figures, self.claims, self.tables) for id_, e in d.items()
        }
        old, self.session["texts"] = self.session.get("texts"), texts
        if old is None:
            return set()
        return {id_ for id_, t in texts.items() if old.get(id_) != t}

    def _modified(self, f, value: bool) -> None:
        if self.session.get("dirty"):
            f.is_modified = (lambda v: lambda: v)(value)

    def _mark_dirty(self, files: Files) -> None:
        """Under ``serve --dirty`` MkDocs re-renders only pages whose source changed. Make that
        true of what the build adds: a recomputed snippet re-renders every page (pages quote
        values); the ledger always; a source listing only when its own file changed."""
        if not self.session.get("dirty"):
            return
        stamps = {uri: py.stat().st_mtime_ns for uri, py in self.sources.items()}
        old, self.session["source_stamps"] = self.session.get("source_stamps", {}), stamps
        for f in files.documentation_pages():
            if f.src_uri in stamps:
                self._modified(f, old.get(f.src_uri) != stamps[f.src_uri])
            elif self.computed or f.src_uri == "claims.md":
                self._modified(f, True)

    # --------------------------------------------------------------------------------- nav
    def check_nav(self, nav, files: Files) -> None:
        in_nav = {p.file.src_uri for p in nav.pages}
        pages = [f.src_uri for f in files.documentation_pages() if f.src_uri not in self.sources]
        problems = checks.nav(in_nav, pages)
        if problems:
            raise BuildError("; ".join(problems))

    # -------------------------------------------------------------------------------- pages
    def pre_page(self, page) -> None:
        # mkdocs-jupyter wraps each notebook File in a NotebookFile whose abs_src_path is computed
        # afresh from docs/: point it at the executed notebook again before mkdocs-jupyter reads it.
        if page.file.src_uri in self.notebook_pages:
            page.file.abs_src_path = self.notebook_pages[page.file.src_uri]

    def markdown(self, markdown: str, page, config) -> str:
        src = page.file.src_uri
        if src.startswith("code/"):
            return markdown
        problems = grammar.check_includes(markdown, src, ROOT)
        if problems:
            raise BuildError(problems[0])
        if "/" not in src and cache.module_file("snippets." + src.removesuffix(".md")) is not None:
            box = render.cite_box(markdown, page, config, time.strftime("%Y"), self.stamp)
            markdown = markdown.rstrip() + "\n\n" + box
        try:
            return grammar.substitute(markdown, lambda sc: render.shortcode(self, sc, page))
        except render.ShortcodeError as e:
            raise BuildError(str(e)) from None

    def content(self, page_html: str, page) -> str:
        src = page.file.src_uri
        if src in self.notebook_pages:
            return page_html
        if src in self.sources:
            return sources.fill(page_html, self.sources[src])
        try:
            return render.search_exclusions(katex.typeset_page(self.session, page_html))
        except katex.MathError as e:
            raise BuildError(f"docs/{src}: {e}") from None

    def post_page(self, output: str, page) -> str:
        self.built.add(page.file.dest_uri)
        if page.file.src_uri not in self.notebook_pages:
            return output
        try:
            output = notebook_html.fix_links(output, page.file.src_uri, page.file.url, self.files)
            return katex.typeset_notebook(self.session, notebook_html.slim(output, page.file.url))
        except (notebook_html.LinkError, katex.MathError) as e:
            msg = f"docs/{page.file.src_uri}: {e}" if isinstance(e, katex.MathError) else str(e)
            raise BuildError(msg) from None

    def post_build(self, site_dir: str) -> str:
        katex.save(self.session)
        # under `serve --dirty`, the pages rebuilt this time; a full build checks every page
        problems = linkcheck.check(Path(site_dir), self.built if self.session.get("dirty") else None)
        if problems:
            raise BuildError("broken internal links: " + "; ".join(problems[:10]))
        t = self.timings
        return (
            f"registry and checks {t.get('config', 0):.2f}s, snippets {t.get('snippets', 0):.2f}s "
            f"(computed: {', '.join(self.computed) or 'none'}), notebooks {t.get('notebooks', 0):.2f}s"
        )
