"""Copies and strict builds of the project, for the planted-fault tests and the benchmark."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def copy_project(dest: Path, *, caches: bool = True) -> Path:
    """A copy of the project's sources, with its warm ``.cache`` unless ``caches=False``."""
    skip = {"site", "node_modules", "__pycache__", "artifacts"}
    # hidden folders at the top are tools' state (.venv, .fw-venv: GBs of frameworks, .git, ...),
    # except the build cache, which makes the planted-fault builds warm
    keep_hidden = {".cache"} if caches else set()

    def ignore(folder: str, names: list[str]) -> set[str]:
        top = Path(folder) == ROOT
        return {
            n
            for n in names
            if n in skip or (top and n.startswith(".") and n not in keep_hidden and Path(folder, n).is_dir())
        }

    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest


def mkdocs_build(project: Path, dest: Path, env: dict | None = None, timeout: int = 600):
    """``mkdocs build --strict`` of ``project`` into ``dest``; returns the CompletedProcess."""
    e = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(project))
    e.update(env or {})
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "-d", str(dest)],
        cwd=project,
        env=e,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
