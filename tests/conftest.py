"""Shared fixtures: strict builds of the project and of planted-fault copies of it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from projects import ROOT, mkdocs_build


def pytest_collection_modifyitems(items):
    """A test that needs the built site is a ``build`` test: ``make test-fast`` (``-m "not build"``)
    skips it, so the quick loop never builds."""
    for item in items:
        if "built_site" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.build)


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
