"""Shared fixtures: strict builds of the project and of planted-fault copies of it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """A strict build of the project, made once per test session (warm caches make it quick).

    ``WRW_SITE=path`` reuses a site built by the caller instead.
    """
    if os.environ.get("WRW_SITE"):
        return Path(os.environ["WRW_SITE"])
    dest = tmp_path_factory.mktemp("site")
    proc = mkdocs_build(ROOT, dest)
    if proc.returncode != 0:
        pytest.fail(f"strict build failed:\n{proc.stderr[-4000:]}")
    return dest


def copy_project(dest: Path) -> Path:
    """A copy of the project (sources and warm caches) for builds that plant faults."""
    ignore = shutil.ignore_patterns(
        ".venv", "site", "node_modules", ".git", "__pycache__", "artifacts", ".pytest_cache"
    )
    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest
