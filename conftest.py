"""Repository-wide pytest set-up: test the code a page really shows.

``pytest --codeblocks docs`` runs every ```` ```python ```` block of the Markdown pages. A block that
includes snippet sections (``--8<-- "snippets/x.py:section"``) is first expanded with the same
pymdownx.snippets extension and settings as the site, so the code tested is the code shown. This
file sits at the root so that it applies however pytest is called (``pytest --codeblocks docs/x.md``).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "tests"))


def _expand_snippets(text: str) -> str:
    import markdown

    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={
            "pymdownx.snippets": {"base_path": [str(ROOT)], "check_paths": True, "dedent_subsections": True}
        },
    )
    return "\n".join(md.preprocessors["snippet"].run(text.split("\n")))


def _install_codeblock_expansion() -> None:
    try:
        import pytest_codeblocks.main as cb_main
        import pytest_codeblocks.plugin as cb_plugin
    except ImportError:
        return

    def extract_from_file(f, encoding="utf-8", *args, **kwargs):
        text = Path(f).read_text(encoding=encoding)
        return cb_main.extract_from_buffer(io.StringIO(_expand_snippets(text)), *args, **kwargs)

    cb_plugin.extract_from_file = extract_from_file


_install_codeblock_expansion()
