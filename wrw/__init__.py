"""The engines of the Why Random Weights build, importable and unit-tested on their own.

``hooks/site.py`` only adapts MkDocs events to :class:`wrw.site.Build`. The engines:

* :mod:`wrw.cache`: compute figures, claims and tables, cached by a key that follows the code;
* :mod:`wrw.notebooks`: execute the notebooks, cached by their code cells;
* :mod:`wrw.grammar`: the one parser of each grammar (shortcodes, includes, section markers,
  imports, test markers), shared by the build and the tests;
* :mod:`wrw.render`, :mod:`wrw.ledger`: what shortcodes and the claims ledger become;
* :mod:`wrw.checks`: what the build enforces (claims ↔ tests ↔ markers, section markers, nav);
* :mod:`wrw.katex`, :mod:`wrw.bib`, :mod:`wrw.linkcheck`, :mod:`wrw.sources`,
  :mod:`wrw.notebook_html`: math, references, links, source pages, notebook pages.

This file holds no engine code, only :data:`SESSION` and :func:`fresh`, and is never reloaded.
"""

from __future__ import annotations

import sys
from pathlib import Path

#: State that outlives one build under ``mkdocs serve``: plain data only (the dirty-serve flag,
#: the snippets tree hash, registry texts, the KaTeX process and cache), so that reloading an
#: engine module never leaves an object of a stale class behind.
SESSION: dict = {}


def fresh() -> None:
    """Forget every engine module if any file of this package changed since it was imported, so
    that ``mkdocs serve`` runs an edited engine on its next rebuild, without a restart."""
    here = Path(__file__).resolve().parent
    stamp = sorted((p.name, p.stat().st_mtime_ns) for p in here.glob("*.py"))
    if SESSION.get("engine_stamp") not in (None, stamp):
        for name in [m for m in sys.modules if m.startswith(__name__ + ".")]:
            del sys.modules[name]
    SESSION["engine_stamp"] = stamp
