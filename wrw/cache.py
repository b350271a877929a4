"""Build-time computation of the snippets' figures, claims and tables, with a content-hash cache.

One cache entry per snippet module (a chapter module, or one part of a chapter package):

    .cache/build/<module>/<key>/figures/<name>.svg   claims.json   tables.json   done

``<key>`` follows the *code*, not the prose: it hashes the syntax tree of the module and of the
snippet modules it imports (transitively), with docstrings and the text arguments of ``@figure``
(``alt=``, ``caption=``), ``@claim`` (the statement) and ``@table`` (``caption=``) removed, so a
comment, a docstring or a caption edit recomputes nothing (captions are read when the page is
rendered). Also hashed: the registry, style and seed modules, ``style.mplstyle``, the versions of
numpy, matplotlib and Python, and ``SEED_OFFSET``. An entry is computed in a temporary folder and
renamed into place only after everything in the module succeeded. ``FIGURES_REFRESH=1`` ignores
existing entries.

No library caches this for us: jupyter-cache and joblib do not see the imports of ``snippets/``.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import json
import os
import shutil
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from wrw import grammar

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
CACHE = ROOT / ".cache" / "build"
# Files every module's results depend on.
ALWAYS = ["_registry.py", "_style.py", "_seeds.py", "style.mplstyle", "__init__.py"]
# The prose arguments of the registry decorators: read at page time, never part of the key.
TEXT_ARGS = {"figure": {"alt", "caption"}, "claim": {"statement"}, "table": {"caption"}}


class ComputeError(RuntimeError):
    """A snippet failed; the message names the file, the id and the exception, with no traceback."""


@dataclass
class ModuleResult:
    module: str
    key: str
    figures: dict[str, bytes] = field(default_factory=dict)  # id -> svg
    claims: dict[str, dict] = field(default_factory=dict)  # id -> flattened value
    tables: dict[str, list] = field(default_factory=dict)  # id -> [header, rows]
    cached: bool = False


# ------------------------------------------------------------------------------------- the key
class _StripProse(ast.NodeTransformer):
    """Remove docstrings and the text arguments of @figure/@claim/@table."""

    def _doc(self, node):
        b = node.body
        if b and isinstance(b[0], ast.Expr) and isinstance(b[0].value, ast.Constant):
            if isinstance(b[0].value.value, str):
                node.body = b[1:] or [ast.Pass()]
        return node

    def visit_Module(self, node):
        return self.generic_visit(self._doc(node))

    def visit_ClassDef(self, node):
        return self.generic_visit(self._doc(node))

    def visit_FunctionDef(self, node):
        for dec in node.decorator_list:
            if isinstance(dec, ast.Call):
                f = dec.func
                name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
                if name in TEXT_ARGS:
                    dec.keywords = [k for k in dec.keywords if k.arg not in TEXT_ARGS[name]]
                    if name == "claim":
                        dec.args = dec.args[:1]  # claim(id, statement)
        return self.generic_visit(self._doc(node))

    visit_AsyncFunctionDef = visit_FunctionDef


def code_fingerprint(source: str, filename: str = "<source>") -> str:
    """Hash of the code of a Python source: comments, layout, docstrings and captions ignored."""
    tree = _StripProse().visit(ast.parse(source, filename))
    return hashlib.sha256(ast.dump(tree).encode()).hexdigest()


_MEMO: dict[tuple, tuple[str, set[str]]] = {}  # (path, mtime, size) -> (fingerprint, imports)


def _scan(path: Path) -> tuple[str, set[str]]:
    """(code fingerprint, snippet files imported) of one snippet file, memoized by mtime."""
    st = path.stat()
    memo = (str(path), st.st_mtime_ns, st.st_size)
    if memo not in _MEMO:
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        if path.suffix != ".py":
            _MEMO[memo] = (hashlib.sha256(text.encode()).hexdigest(), set())
            return _MEMO[memo]
        package = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if path.name != "__init__.py":
            package = package.rsplit(".", 1)[0]
        else:
            package = package.removesuffix(".__init__")
        try:
            fp = code_fingerprint(text, rel)
            names = grammar.imported_modules(text, rel, package)
        except SyntaxError as e:
            raise ComputeError(f"{rel}:{e.lineno}: syntax error: {e.msg}") from None
        deps = set()
        for n in names:
            f = module_file(n)
            if f is not None and f != path:
                deps.add(f.relative_to(SNIPPETS).as_posix())
        _MEMO[memo] = (fp, deps)
    return _MEMO[memo]


def module_file(module: str) -> Path | None:
    """The file of ``snippets.x`` (``snippets/x.py`` or ``snippets/x/__init__.py``) or of
    ``snippets.x.y`` (``snippets/x/y.py``); None for a name that is not a module file (a function
    imported with ``from snippets.x import f``)."""
    parts = module.split(".")[1:]
    if not parts:
        return None
    base = SNIPPETS.joinpath(*parts)
    for f in (base.with_suffix(".py"), base / "__init__.py"):
        if f.is_file():
            return f
    return None


def module_src(module: str) -> str:
    """``snippets/….py`` of a module, relative to the repository, for messages."""
    f = module_file(module)
    return f.relative_to(ROOT).as_posix() if f else module.replace(".", "/") + ".py"


def module_files(module: str) -> list[str]:
    """The snippet files (relative to ``snippets/``) whose code the module's results depend on:
    the module, what it imports (transitively), its package's ``__init__.py``, and :data:`ALWAYS`."""
    f0 = module_file(module)
    if f0 is None:
        raise ComputeError(f"{module}: no such snippet module")
    seen: set[str] = set()
    extra: set[str] = set()
    if f0.parent != SNIPPETS and (f0.parent / "__init__.py").exists():
        # importing snippets.x.y runs snippets/x/__init__.py (hashed; its imports not followed)
        extra.add((f0.parent / "__init__.py").relative_to(SNIPPETS).as_posix())
    todo = [f0.relative_to(SNIPPETS).as_posix()]
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        todo.extend(_scan(SNIPPETS / f)[1] - seen)
    return sorted(seen | extra | {a for a in ALWAYS if (SNIPPETS / a).exists()})


def module_key(module: str) -> str:
    """Cache key of a snippet module: the code (not the prose) of everything it depends on."""
    import matplotlib
    import numpy

    from snippets._seeds import OFFSET

    h = hashlib.sha256()
    for f in module_files(module):
        h.update(f.encode() + b"\0" + _scan(SNIPPETS / f)[0].encode() + b"\0")
    h.update(
        f"numpy={numpy.__version__};matplotlib={matplotlib.__version__};py={sys.version_info[:2]};"
        f"seed_offset={OFFSET}".encode()
    )
    return h.hexdigest()[:16]


def tree_hash() -> str:
    """Hash of every file under ``snippets/`` (any edit, prose included: modules are re-imported)."""
    h = hashlib.sha256()
    for f in sorted(SNIPPETS.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(SNIPPETS)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


# ------------------------------------------------------------------------------ registry, compute
def load_registry(force: bool = False):
    """(Re)import every snippet module; returns the registry module. Raises ComputeError."""
    if force:
        for name in [m for m in sys.modules if m == "snippets" or m.startswith("snippets.")]:
            del sys.modules[name]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    reg = importlib.import_module("snippets._registry")
    name = "snippets"
    try:
        for name in reg.snippet_modules():
            importlib.import_module(name)
    except Exception as e:  # noqa: BLE001 - reported, never published
        if type(e).__name__ == "RegistryError":  # its message names the author's file and line
            raise ComputeError(describe(e)) from None
        raise ComputeError(f"{module_src(name)}: import failed: {describe(e)}") from None
    return reg


def _author_frame(tb) -> str:
    """``snippets/x.py:LINE`` of the innermost frame in the project's own code: a chapter module
    before the shared ``snippets/_*.py`` helpers, so that an error names the author's line."""
    frames = []
    for fr in traceback.extract_tb(tb):
        p = Path(fr.filename)
        if ROOT in p.parents and p.relative_to(ROOT).parts[0] in ("snippets", "docs", "tests"):
            frames.append((p.relative_to(ROOT).as_posix(), fr.lineno, p.name.startswith("_")))
    own = [f for f in frames if not f[2]] or frames
    return f"{own[-1][0]}:{own[-1][1]}" if own else ""


def describe(e: BaseException) -> str:
    """``Type: message (at snippets/x.py:LINE)``; a RegistryError's message already names the line."""
    msg = str(e).strip().splitlines()[0] if str(e).strip() else ""
    if type(e).__name__ == "RegistryError":
        return msg
    where = _author_frame(e.__traceback__)
    return f"{type(e).__name__}: {msg}" + (f" (at {where})" if where else "")


def compute_module(module: str, key: str) -> ModuleResult:
    """Run every figure, claim and table of one module. Raises ComputeError naming the culprit."""
    from snippets._registry import CLAIMS, FIGURES, TABLES, RegistryError, flatten_value
    from snippets._style import render_svg, theme_svg

    res = ModuleResult(module, key)
    src = module_src(module)
    for kind, store in (("claim", CLAIMS), ("table", TABLES), ("figure", FIGURES)):
        for id_, e in sorted(store.items()):
            if e.module != module:
                continue
            try:
                if kind == "figure":
                    res.figures[id_] = theme_svg(render_svg(e.func))
                elif kind == "claim":
                    value = e.func()
                    try:
                        res.claims[id_] = flatten_value(value)
                    except RegistryError as ex:  # the author's claim function, not the registry
                        where = f"{Path(e.source_file).relative_to(ROOT).as_posix()}:{e.source_line}"
                        raise ComputeError(f"{where}: claim {id_!r} {ex}") from None
                else:
                    header, rows = e.func()
                    res.tables[id_] = [[str(h) for h in header], [[str(c) for c in r] for r in rows]]
            except ComputeError:
                raise
            except Exception as ex:  # noqa: BLE001
                raise ComputeError(f"{src}: {kind} {id_!r} failed: {describe(ex)}") from None
    return res


def _entry_dir(module: str, key: str) -> Path:
    return CACHE / module / key


def read_cached(module: str, key: str) -> ModuleResult | None:
    d = _entry_dir(module, key)
    if os.environ.get("FIGURES_REFRESH") == "1" or not (d / "done").exists():
        return None
    res = ModuleResult(module, key, cached=True)
    res.claims = json.loads((d / "claims.json").read_text(encoding="utf-8"))
    res.tables = json.loads((d / "tables.json").read_text(encoding="utf-8"))
    for f in sorted((d / "figures").glob("*.svg")):
        res.figures[f"{module.split('.')[1]}/{f.stem}"] = f.read_bytes()
    return res


def write_cached(res: ModuleResult) -> None:
    """Atomically record a successful result."""
    final = _entry_dir(res.module, res.key)
    tmp = final.with_name(f"{res.key}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "figures").mkdir(parents=True)
    for id_, svg in res.figures.items():
        (tmp / "figures" / f"{id_.split('/', 1)[1]}.svg").write_bytes(svg)
    (tmp / "claims.json").write_text(json.dumps(res.claims, indent=1, sort_keys=True), encoding="utf-8")
    (tmp / "tables.json").write_text(json.dumps(res.tables, indent=1, sort_keys=True), encoding="utf-8")
    (tmp / "done").write_text(res.key, encoding="utf-8")
    if (final / "done").exists():  # another build process recorded the same key meanwhile
        shutil.rmtree(tmp, ignore_errors=True)
        return
    shutil.rmtree(final, ignore_errors=True)  # an unfinished entry
    try:
        os.replace(tmp, final)
    except OSError:  # lost a race to an identical entry
        shutil.rmtree(tmp, ignore_errors=True)


def _worker(module: str, key: str):
    try:
        return compute_module(module, key), None
    except ComputeError as e:
        return None, str(e)


def compute_all(modules: list[str], *, jobs: int | None = None) -> tuple[dict[str, ModuleResult], list[str]]:
    """Results for every module, from the cache or computed (in parallel when several miss).

    Returns ``(results, computed_modules)``; raises ComputeError naming every failure.
    """
    results: dict[str, ModuleResult] = {}
    misses: list[tuple[str, str]] = []
    for m in modules:
        key = module_key(m)
        hit = read_cached(m, key)
        if hit is None:
            misses.append((m, key))
        else:
            results[m] = hit
    jobs = jobs or int(os.environ.get("BUILD_JOBS", min(2, os.cpu_count() or 1)))
    if len(misses) > 1 and jobs > 1:
        import multiprocessing as mp

        with mp.get_context("fork").Pool(min(jobs, len(misses))) as pool:
            outs = pool.starmap(_worker, misses)
    else:
        outs = [_worker(m, k) for m, k in misses]
    errors: list[str] = []
    for (m, _), (res, err) in zip(misses, outs):
        if err:
            errors.append(err)
            continue
        write_cached(res)
        results[m] = res
    if errors:
        raise ComputeError("; ".join(errors))
    return results, [m for m, _ in misses]


def prune(modules: list[str], keys: dict[str, str]) -> int:
    """Delete cache entries of other keys and of modules that no longer exist."""
    n = 0
    if not CACHE.exists():
        return 0
    for mdir in CACHE.iterdir():
        for kdir in mdir.iterdir() if mdir.is_dir() else []:
            if mdir.name not in modules or kdir.name != keys.get(mdir.name):
                shutil.rmtree(kdir, ignore_errors=True)
                n += 1
        if mdir.name not in modules:
            shutil.rmtree(mdir, ignore_errors=True)
    return n
