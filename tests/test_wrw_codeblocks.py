"""Pins the code-block set-up of the root conftest.py: pymdownx.snippets options read from
mkdocs.yml, and pytest-codeblocks' collector expanding includes before it extracts blocks."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
cb_plugin = pytest.importorskip("pytest_codeblocks.plugin")


def _root_conftest():
    spec = importlib.util.spec_from_file_location("wrw_root_conftest", ROOT / "conftest.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_options_come_from_mkdocs_yml():
    opts = _root_conftest().snippets_options()
    assert opts["check_paths"] is True and opts["dedent_subsections"] is True
    assert opts["base_path"] == [str(ROOT / ".")]


def test_the_collector_sees_expanded_includes():
    _root_conftest()  # installs the expansion (idempotent)
    assert cb_plugin.extract_from_file.__module__ == "wrw_root_conftest" or "conftest" in (
        cb_plugin.extract_from_file.__code__.co_filename
    )
    page = ROOT / "docs" / "nn.md"
    blocks = cb_plugin.extract_from_file(page)
    assert blocks, "docs/nn.md shows code"
    assert not any("--8<--" in b.code for b in blocks), "an include reached pytest unexpanded"
