"""Registries of the site's figures, claims and tables.

A snippet module declares what the build needs with three decorators:

* ``@figure("<slug>/<name>", alt=..., caption=...)`` on a function that returns a
  :class:`matplotlib.figure.Figure` (make it with :func:`snippets._style.new_figure`);
* ``@claim("<slug>.<name>", "one-line statement")`` on a function that measures the claim and
  returns a number, a bool, a string, or a flat ``dict`` of them;
* ``@table("<slug>/<name>", caption=...)`` on a function that returns ``(header, rows)``, lists of
  strings, which the build renders as a Markdown table.

``<slug>`` must be the module's own name (``snippets/symmetry.py`` declares ``symmetry/...`` and
``symmetry....``), so that a page, its snippet module and its test module share one name.

Decorating does no work: the functions run only when the build or a test calls them. Claim and
table functions are memoized, so a test and a figure that need the same measurement pay once.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SLUG = r"[a-z][a-z0-9_-]*"
NAME = r"[a-z0-9][a-z0-9-]*"
FIGURE_ID = re.compile(rf"^({SLUG})/({NAME})$")
CLAIM_ID = re.compile(rf"^({SLUG})\.({NAME})$")


@dataclass(frozen=True)
class Entry:
    """One registered figure, claim or table."""

    kind: str  # "figure", "claim" or "table"
    id: str
    slug: str
    func: Callable[[], Any]
    module: str  # e.g. "snippets.symmetry"
    text: str  # caption (figure, table) or statement (claim)
    alt: str = ""

    @property
    def source_file(self) -> str:
        return inspect.getsourcefile(self.func) or ""

    @property
    def source_line(self) -> int:
        return inspect.getsourcelines(self.func)[1]


FIGURES: dict[str, Entry] = {}
CLAIMS: dict[str, Entry] = {}
TABLES: dict[str, Entry] = {}


class RegistryError(ValueError):
    """A malformed or duplicated id; the message names the module and the id."""


def _module_slug(func: Callable) -> tuple[str, str]:
    """``snippets.<slug>`` or ``snippets.<slug>.<part>`` (a chapter split into a package): the slug
    is the second component."""
    module = func.__module__
    parts = module.split(".")
    return module, parts[1] if parts[0] == "snippets" and len(parts) > 1 else parts[-1]


def _register(store: dict[str, Entry], entry: Entry) -> None:
    old = store.get(entry.id)
    if old is not None and old.module != entry.module:
        raise RegistryError(
            f"{entry.kind} id {entry.id!r} is declared in both {old.module} and {entry.module}"
        )
    store[entry.id] = entry


def _check(pattern: re.Pattern, kind: str, id_: str, func: Callable) -> str:
    module, slug = _module_slug(func)
    m = pattern.match(id_)
    if not m:
        raise RegistryError(f"{module}: malformed {kind} id {id_!r} (expected {pattern.pattern})")
    if module.startswith("snippets.") and m.group(1) != slug:
        raise RegistryError(f"{module}: {kind} id {id_!r} must start with the module's slug {slug!r}")
    return slug


def figure(id_: str, *, alt: str, caption: str):
    """Register a function returning a matplotlib Figure as figure ``<slug>/<name>``."""
    if not alt.strip() or not caption.strip():
        raise RegistryError(f"figure {id_!r} needs both alt text and a caption")

    def deco(func):
        slug = _check(FIGURE_ID, "figure", id_, func)
        _register(FIGURES, Entry("figure", id_, slug, func, func.__module__, caption.strip(), alt.strip()))
        return func

    return deco


#: Set only by the mutation audit (``tools/audit_plugin.py``): ``MUTATOR(claim_id, value)`` returns
#: the value a claim's callers see, so that the audit can check that each test fails on a wrong value.
MUTATOR: Callable[[str, Any], Any] | None = None


def _memoized(kind: str, store: dict[str, Entry], pattern: re.Pattern, id_: str, text: str):
    """A decorator that registers a memoized function as a ``kind`` entry."""

    def deco(func):
        slug = _check(pattern, kind, id_, func)
        cached = functools.cache(func)
        functools.update_wrapper(cached, func)
        _register(store, Entry(kind, id_, slug, cached, func.__module__, text.strip()))
        if kind != "claim":
            return cached

        @functools.wraps(func)
        def measured():
            value = cached()
            return value if MUTATOR is None else MUTATOR(id_, value)

        measured.cache_clear = cached.cache_clear
        return measured

    return deco


def claim(id_: str, statement: str):
    """Register a memoized measuring function as claim ``<slug>.<name>``."""
    return _memoized("claim", CLAIMS, CLAIM_ID, id_, statement)


def table(id_: str, *, caption: str = ""):
    """Register a memoized function returning ``(header, rows)`` as table ``<slug>/<name>``."""
    return _memoized("table", TABLES, FIGURE_ID, id_, caption)


def snippet_modules() -> list[str]:
    """Names of the public snippet modules (``snippets/<slug>.py``, not ``_private`` ones)."""
    import snippets

    out = []
    for m in pkgutil.iter_modules(snippets.__path__):
        if m.name.startswith("_"):
            continue
        out.append(f"snippets.{m.name}")
        if m.ispkg:  # a chapter split into a package: snippets/<slug>/<part>.py
            pkg = importlib.import_module(f"snippets.{m.name}")
            out += [
                f"snippets.{m.name}.{s.name}"
                for s in pkgutil.iter_modules(pkg.__path__)
                if not s.name.startswith("_")
            ]
    return sorted(out)


def load_all() -> None:
    """Import every snippet module so that its decorators register."""
    for name in snippet_modules():
        importlib.import_module(name)


def flatten_value(value: Any) -> dict[str, Any]:
    """A claim's value as ``{key: scalar}``; a scalar claim has the single key ``""``."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if isinstance(v, dict):
                raise RegistryError(f"claim values nest at most one level deep (key {k!r})")
            out[str(k)] = _plain(v)
        return out
    return {"": _plain(value)}


def _plain(v: Any) -> Any:
    """numpy scalars to Python scalars, so values serialize to JSON."""
    if hasattr(v, "item") and callable(v.item):
        v = v.item()
    if isinstance(v, (bool, int, float, str)) or v is None:
        return v
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    raise RegistryError(f"claim value of type {type(v).__name__} cannot be quoted in prose")
