"""Execute the jupytext notebooks under docs/notebooks/ at build time, with a cache keyed on code.

mkdocs-jupyter then renders the executed ``.ipynb`` (its own ``execute`` stays off): this module
owns execution so that a failing or hanging cell fails the build with the notebook's name, and so
that the cache key covers the ``snippets`` modules the notebook imports.

Cache layout: ``.cache/notebooks/<code key>/run.ipynb`` is the executed notebook, keyed on its code
cells (plus the imported modules' keys and the tool versions): a Markdown-cell edit re-executes
nothing. ``<code key>/<page key>/<name>.ipynb`` is the page: the current cells with the outputs of
``run.ipynb``; ``…/download/<name>.ipynb`` its copy for download.
"""

from __future__ import annotations

import copy
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from wrw import cache, grammar

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "notebooks"
_used: set[Path] = set()


class NotebookError(RuntimeError):
    pass


def timeout() -> int:
    """Seconds a cell may run (``NOTEBOOK_TIMEOUT``, default 120)."""
    return int(os.environ.get("NOTEBOOK_TIMEOUT", "120"))


def deps(src: Path) -> str:
    """The cache keys of the snippet modules a notebook imports (every part of a chapter package),
    so that editing one module re-executes only the notebooks that use it."""
    try:
        names = grammar.imported_modules(src.read_text(encoding="utf-8"), str(src))
    except SyntaxError:
        names = set()  # jupytext reports it when it reads the notebook
    files = {f for n in names if (f := cache.module_file(n)) is not None}
    mods = set()
    for f in files:
        rel = f.relative_to(cache.SNIPPETS).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        mods.add("snippets." + ".".join(parts))
        if rel.name == "__init__":  # a chapter package: every part of it
            mods |= {
                f"snippets.{'.'.join(parts)}.{p.stem}"
                for p in f.parent.glob("*.py")
                if not p.name.startswith("_")
            }
    return ";".join(f"{m}={cache.module_key(m)}" for m in sorted(mods)) or "none"


def code_key(nb, dep_keys: str) -> str:
    import jupytext
    import nbclient

    h = hashlib.sha256()
    for c in nb.cells:
        if c.cell_type == "code":
            h.update(c.source.encode() + b"\0")
    h.update(f"{dep_keys};jupytext={jupytext.__version__};nbclient={nbclient.__version__}".encode())
    return h.hexdigest()[:16]


def executed(src: Path, dep_keys: str) -> Path:
    """The path of the executed notebook for ``src`` (a percent-format ``.py``); ``dep_keys`` names
    the versions of the snippet modules it imports (:func:`deps`)."""
    import jupytext
    import nbformat

    nb = jupytext.read(src)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for i, c in enumerate(nb.cells):  # stable cell ids (and so page anchors), not random ones
        c["id"] = hashlib.sha256(f"{i}\0{c.source}".encode()).hexdigest()[:8]
    ck = code_key(nb, dep_keys)
    run = CACHE / ck / "run.ipynb"
    _used.add(run.parent)
    ran_now = not run.exists() or os.environ.get("FIGURES_REFRESH") == "1"
    if ran_now:
        _execute(copy.deepcopy(nb), src, run)
    page = CACHE / ck / hashlib.sha256(src.read_bytes()).hexdigest()[:12] / (src.stem + ".ipynb")
    if ran_now or not page.exists():
        ran = [c for c in nbformat.read(run, as_version=4).cells if c.cell_type == "code"]
        code = [c for c in nb.cells if c.cell_type == "code"]
        for c, r in zip(code, ran, strict=True):
            c.outputs, c.execution_count = r.outputs, r.execution_count
        _write(nb, page)
        shutil.rmtree(page.parent / "download", ignore_errors=True)
    return page


def _write(nb, out: Path) -> None:
    import nbformat

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + f".tmp-{os.getpid()}")
    nbformat.write(nb, tmp)
    os.replace(tmp, out)


def _execute(nb, src: Path, out: Path) -> None:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    rel = src.relative_to(ROOT) if ROOT in src.parents else src
    client = NotebookClient(
        nb,
        timeout=timeout(),
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(src.parent)}},
    )
    try:
        # the kernel's own stderr (start-up notices, its traceback when a timeout interrupts it)
        # is not ours to print: errors are reported from the cell outputs, one line each
        client.execute(stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    except CellTimeoutError:
        raise NotebookError(f"{rel}: cell {failed_cell(nb)} timed out after {timeout()} s") from None
    except CellExecutionError as e:
        raise NotebookError(f"{rel}: cell {failed_cell(nb)} raised {e.ename}: {e.evalue}") from None
    except DeadKernelError as e:
        raise NotebookError(f"{rel}: the kernel died: {e}") from None
    except Exception as e:  # noqa: BLE001 - kernel start-up and other failures, named
        raise NotebookError(f"{rel}: execution failed: {type(e).__name__}: {e}") from None
    for cell in nb.cells:  # outputs only; execution metadata would make the file differ per run
        cell.get("metadata", {}).pop("execution", None)
    _write(nb, out)


def download_copy(executed_nb: Path) -> Path:
    """A copy of an executed notebook to publish for download, outside the folder pattern that
    mkdocs-jupyter renders as pages (``*/notebooks/*/*.ipynb``)."""
    out = executed_nb.parent / "download" / executed_nb.name
    if not out.exists():
        out.parent.mkdir(exist_ok=True)
        shutil.copyfile(executed_nb, out)
    return out


def failed_cell(nb) -> str:
    """1-based index of the cell that raised (with its first line), else after the last that ran."""
    for i, c in enumerate(nb.cells, 1):  # the cell that raised has an error output
        for o in c.get("outputs", []):
            if o.get("output_type") == "error":
                return f"{i} ({c.source.strip().splitlines()[0][:60]!r})"
    last = 0
    for i, c in enumerate(nb.cells, 1):
        if c.cell_type == "code" and c.get("execution_count") is not None:
            last = i
    return str(last + 1)


def prune() -> None:
    """Delete executed notebooks that this build did not use."""
    if CACHE.exists():
        for d in CACHE.iterdir():
            if d not in _used:
                shutil.rmtree(d, ignore_errors=True)
    _used.clear()
