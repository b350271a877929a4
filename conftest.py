"""Repository-wide pytest set-up: test the code a page really shows.

``pytest --codeblocks docs`` runs every ```` ```python ```` block of the Markdown pages (and of
README.md and CONTRIBUTING.md). A block that includes snippet sections
(``--8<-- "snippets/x.py:section"``) is first expanded by pymdownx.snippets with the options that
``mkdocs.yml`` gives it, so the code tested is the code shown. This file sits at the root so that it
applies however pytest is called (``pytest --codeblocks docs/x.md``).
"""

from __future__ import annotations

import io
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "tests"))

# pytest-codeblocks has no hook to pre-process a file, so the expansion replaces the function its
# collector calls (``pytest_codeblocks.plugin.extract_from_file``). Versions checked to work that
# way; tests/test_wrw_codeblocks.py pins it. Another version fails loudly instead of testing
# unexpanded includes.
CODEBLOCKS_VERSIONS = {"0.18.0"}


def snippets_options() -> dict:
    """The ``pymdownx.snippets`` options of ``mkdocs.yml``, with ``base_path`` made absolute."""
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    for ext in config["markdown_extensions"]:
        if isinstance(ext, dict) and "pymdownx.snippets" in ext:
            opts = dict(ext["pymdownx.snippets"] or {})
            break
    else:
        raise RuntimeError("mkdocs.yml does not configure pymdownx.snippets")
    base = opts.get("base_path", ["."])
    opts["base_path"] = [str(ROOT / b) for b in ([base] if isinstance(base, str) else base)]
    return opts


def expand_snippets(text: str) -> str:
    import markdown

    md = markdown.Markdown(
        extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": snippets_options()}
    )
    return "\n".join(md.preprocessors["snippet"].run(text.split("\n")))


def _install_codeblock_expansion() -> None:
    try:
        version = metadata.version("pytest-codeblocks")
    except metadata.PackageNotFoundError:
        return
    if version not in CODEBLOCKS_VERSIONS:
        raise RuntimeError(
            f"conftest.py: pytest-codeblocks {version} is not one of {sorted(CODEBLOCKS_VERSIONS)}; check that "
            "its collector still calls plugin.extract_from_file, then add the version to CODEBLOCKS_VERSIONS"
        )
    import pytest_codeblocks
    import pytest_codeblocks.plugin as cb_plugin

    def extract_from_file(f, encoding="utf-8", *args, **kwargs):
        text = Path(f).read_text(encoding=encoding)
        return pytest_codeblocks.extract_from_buffer(io.StringIO(expand_snippets(text)), *args, **kwargs)

    cb_plugin.extract_from_file = extract_from_file


_install_codeblock_expansion()
