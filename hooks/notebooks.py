"""Execute the jupytext notebooks under docs/notebooks/ at build time, with a cache.

mkdocs-jupyter then renders the executed ``.ipynb`` (its own ``execute`` stays off): this module
owns execution so that a failing or hanging cell fails the build with the notebook's name, and so
that the cache key covers ``snippets/``, which the notebooks import.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "notebooks"
_used: set[Path] = set()


class NotebookError(RuntimeError):
    pass


def timeout() -> int:
    """Seconds a cell may run (``NOTEBOOK_TIMEOUT``, default 120)."""
    return int(os.environ.get("NOTEBOOK_TIMEOUT", "120"))


def key(src: Path, deps: str) -> str:
    import jupytext
    import nbclient

    h = hashlib.sha256(src.read_bytes())
    h.update(f"{deps};jupytext={jupytext.__version__};nbclient={nbclient.__version__}".encode())
    return h.hexdigest()[:16]


def executed(src: Path, deps: str) -> Path:
    """The path of the executed notebook for ``src`` (a percent-format ``.py``); ``deps`` names
    the versions of the snippet modules it imports."""
    k = key(src, deps)
    out = CACHE / k / (src.stem + ".ipynb")
    _used.add(out.parent)
    if out.exists() and os.environ.get("FIGURES_REFRESH") != "1":
        return out
    import jupytext
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    rel = src.relative_to(ROOT)
    nb = jupytext.read(src)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    t0 = time.perf_counter()
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
        raise NotebookError(f"{rel}: cell {_failed_cell(nb)} timed out after {timeout()} s") from None
    except CellExecutionError as e:
        raise NotebookError(f"{rel}: cell {_failed_cell(nb)} raised {e.ename}: {e.evalue}") from None
    except DeadKernelError as e:
        raise NotebookError(f"{rel}: the kernel died: {e}") from None
    except Exception as e:  # noqa: BLE001 - kernel start-up and other failures, named
        raise NotebookError(f"{rel}: execution failed: {type(e).__name__}: {e}") from None
    for cell in nb.cells:  # outputs only; execution metadata would make the file differ per run
        cell.get("metadata", {}).pop("execution", None)
    tmp = out.with_name(out.name + f".tmp-{os.getpid()}")
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, tmp)
    os.replace(tmp, out)
    executed.last_seconds = time.perf_counter() - t0
    return out


def download_copy(executed_nb: Path) -> Path:
    """A copy of an executed notebook to publish for download, outside the folder pattern that
    mkdocs-jupyter renders as pages (``*/notebooks/*/*.ipynb``)."""
    out = executed_nb.parent / "download" / executed_nb.name
    if not out.exists():
        out.parent.mkdir(exist_ok=True)
        shutil.copyfile(executed_nb, out)
    return out


def _failed_cell(nb) -> str:
    """1-based index of the last code cell that ran, with its first line."""
    last = None
    for i, c in enumerate(nb.cells, 1):
        if c.cell_type == "code" and c.get("execution_count") is not None:
            last = (i, c.source.strip().splitlines()[0] if c.source.strip() else "")
        elif c.cell_type == "code" and last is not None:
            break
    for i, c in enumerate(nb.cells, 1):  # the cell that raised has an error output
        for o in c.get("outputs", []):
            if o.get("output_type") == "error":
                return f"{i} ({c.source.strip().splitlines()[0][:60]!r})"
    return f"{last[0] + 1 if last else 1}"


def prune() -> None:
    """Delete executed notebooks that this build did not use."""
    if not CACHE.exists():
        return
    for d in CACHE.iterdir():
        if d not in _used:
            shutil.rmtree(d, ignore_errors=True)
    _used.clear()
