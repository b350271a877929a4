"""Build-time computation of the snippets' figures, claims and tables, with a content-hash cache.

Used by ``hooks/site.py``; importable and testable on its own. One cache entry per snippet module:

    .cache/build/<module>/<key>/figures/<name>.svg   claims.json   tables.json

``<key>`` hashes the module's source, the snippet modules it imports (transitively), the registry,
the style and the numpy/matplotlib versions. An entry is computed in a temporary folder and renamed
into place only after every figure, claim and table of the module succeeded, so a failed run
records nothing. ``FIGURES_REFRESH=1`` ignores existing entries.
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

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"
CACHE = ROOT / ".cache" / "build"
# Files every module's results depend on.
_ALWAYS = ["_registry.py", "_style.py", "_seeds.py", "style.mplstyle", "__init__.py"]


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


_IMPORTS: dict[tuple, set[str]] = {}  # (path, mtime, size) -> imports: `mkdocs serve` re-asks often


def _local_imports(path: Path) -> set[str]:
    """Snippet module files imported by ``path`` (``snippets.x`` and relative imports)."""
    st = path.stat()
    memo = (str(path), st.st_mtime_ns, st.st_size)
    if memo not in _IMPORTS:
        _IMPORTS[memo] = _parse_imports(path)
    return _IMPORTS[memo]


def _parse_imports(path: Path) -> set[str]:
    out: set[str] = set()
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    except SyntaxError as e:
        raise ComputeError(f"{path.relative_to(ROOT)}:{e.lineno}: syntax error: {e.msg}") from None
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = node.module or ""
                names = [base] if base else [a.name for a in node.names]
                names = [f"snippets.{n}" for n in names]
            elif node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for n in names:
            if n.startswith("snippets."):
                f = module_file(n)
                if f is not None:
                    out.add(f.relative_to(SNIPPETS).as_posix())
                    if f.parent != SNIPPETS:  # a package's modules depend on its __init__
                        init = f.parent / "__init__.py"
                        if init.exists():
                            out.add(init.relative_to(SNIPPETS).as_posix())
    return out


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


def module_key(module: str) -> str:
    """Cache key of a snippet module: its source and everything it depends on."""
    import matplotlib
    import numpy

    f0 = module_file(module)
    if f0 is None:
        raise ComputeError(f"{module}: no such snippet module")
    name = f0.relative_to(SNIPPETS).as_posix()
    seen: set[str] = set()
    todo = [name]
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        todo.extend(_local_imports(SNIPPETS / f) - seen)
    h = hashlib.sha256()
    for f in sorted(seen | set(_ALWAYS)):
        h.update(f.encode() + b"\0" + (SNIPPETS / f).read_bytes() + b"\0")
    from snippets._seeds import OFFSET

    h.update(
        f"numpy={numpy.__version__};matplotlib={matplotlib.__version__};py={sys.version_info[:2]};"
        f"seed_offset={OFFSET}".encode()
    )
    return h.hexdigest()[:16]


def tree_hash() -> str:
    """Hash of every file under ``snippets/`` (used to reload modules and key notebooks)."""
    h = hashlib.sha256()
    for f in sorted(SNIPPETS.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(SNIPPETS)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def load_registry(force: bool = False):
    """(Re)import every snippet module; returns the registry module. Raises ComputeError."""
    if force:
        for name in [m for m in sys.modules if m == "snippets" or m.startswith("snippets.")]:
            del sys.modules[name]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    reg = importlib.import_module("snippets._registry")
    for name in reg.snippet_modules():
        try:
            importlib.import_module(name)
        except Exception as e:  # noqa: BLE001 - reported, never published
            raise ComputeError(f"{module_src(name)}: import failed: {_describe(e)}") from None
    return reg


def _describe(e: BaseException) -> str:
    """``Type: message (at snippets/x.py:LINE)``: the innermost frame inside the project."""
    where = ""
    for fr in reversed(traceback.extract_tb(e.__traceback__)):
        p = Path(fr.filename)
        if ROOT in p.parents and p.relative_to(ROOT).parts[0] in ("snippets", "docs", "tests"):
            where = f" (at {p.relative_to(ROOT)}:{fr.lineno})"
            break
    msg = str(e).strip().splitlines()[0] if str(e).strip() else ""
    return f"{type(e).__name__}: {msg}{where}"


def compute_module(module: str, key: str) -> ModuleResult:
    """Run every figure, claim and table of one module. Raises ComputeError naming the culprit."""
    from snippets._registry import CLAIMS, FIGURES, TABLES, flatten_value
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
                    res.claims[id_] = flatten_value(e.func())
                else:
                    header, rows = e.func()
                    res.tables[id_] = [[str(h) for h in header], [[str(c) for c in r] for r in rows]]
            except Exception as ex:  # noqa: BLE001
                raise ComputeError(f"{src}: {kind} {id_!r} failed: {_describe(ex)}") from None
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

    Returns ``(results, computed_modules)``; raises ComputeError on the first failure.
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
    errors: list[str] = []
    if len(misses) > 1 and jobs > 1:
        import multiprocessing as mp

        with mp.get_context("fork").Pool(min(jobs, len(misses))) as pool:
            outs = pool.starmap(_worker, misses)
    else:
        outs = [_worker(m, k) for m, k in misses]
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
