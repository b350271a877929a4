"""The project's small grammars, parsed in one place for the build and the tests alike.

* shortcodes: ``<!-- name: arg -->`` (and the bare ``<!-- claims-ledger -->``, ``<!-- references -->``)
  in Markdown pages, outside code fences;
* includes: a ``--8<-- "path[:section]"`` line (pymdownx.snippets, block form);
* section markers: ``# --8<-- [start:name]`` … ``# --8<-- [end:name]`` in snippet modules;
* imports: the ``snippets`` modules a Python file imports (AST, never regular expressions);
* test markers: ``@pytest.mark.claim("id", …)`` on test functions (AST, no import).
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SHORTCODE = re.compile(r"<!--\s*(?:([a-z][a-z.-]*)\s*:(.*?)|(claims-ledger|references))\s*-->")
KNOWN = ("figure", "table", "claim", "value", "cite", "claims-ledger", "references")
FENCE = re.compile(r"^\s*(```|~~~)")
INCLUDE = re.compile(r'^\s*-{1,}8<-{1,}\s+"([^"]+)"\s*$')
# as pymdownx.snippets reads a section marker (RE_SNIPPET_SECTION), anywhere on a line
SECTION = re.compile(r"-{1,}8<-{1,}[ \t]+\[[ \t]*(start|end)[ \t]*:[ \t]*([a-z][-_0-9a-z]*)[ \t]*\]", re.I)


def did_you_mean(word: str, choices) -> str:
    """`` (did you mean 'x'?)`` for the nearest choice, or ``""``."""
    near = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean {near[0]!r}?)" if near else ""


# ------------------------------------------------------------------------------------ shortcodes
@dataclass(frozen=True)
class Shortcode:
    name: str
    arg: str
    line: int  # 1-based

    @property
    def ref(self) -> str:
        """The id a figure/table/claim/value shortcode names (a value's key and format dropped)."""
        first = self.arg.split()[0] if self.arg.split() else ""
        return ".".join(first.split(".")[:2]) if self.name == "value" else first


def _shortcode(m: re.Match, line: int) -> Shortcode:
    return Shortcode(m.group(1) or m.group(3), (m.group(2) or "").strip(), line)


def substitute(markdown: str, render) -> str:
    """``markdown`` with every shortcode outside code fences replaced by ``render(shortcode)``;
    ``pytest…`` comments (pytest-codeblocks directives) are left as they are."""
    out, in_fence = [], False
    for n, line in enumerate(markdown.split("\n"), 1):
        if FENCE.match(line):
            in_fence = not in_fence
        if in_fence or "<!--" not in line:
            out.append(line)
            continue
        out.append(
            SHORTCODE.sub(
                lambda m, n=n: (
                    m.group(0) if (m.group(1) or "").startswith("pytest") else render(_shortcode(m, n))
                ),
                line,
            )
        )
    return "\n".join(out)


def shortcodes(markdown: str) -> Iterator[Shortcode]:
    """Every shortcode outside code fences, in order (the same scan as :func:`substitute`)."""
    found: list[Shortcode] = []

    def keep(sc: Shortcode) -> str:
        found.append(sc)
        return ""

    substitute(markdown, keep)
    return iter(found)


# -------------------------------------------------------------------------------------- includes
@dataclass(frozen=True)
class Include:
    path: str
    section: str  # "" for the whole file (or a line range)
    line: int


def includes(markdown: str) -> list[Include]:
    out = []
    for n, line in enumerate(markdown.splitlines(), 1):
        m = INCLUDE.match(line)
        if not m:
            continue
        path, _, section = m.group(1).partition(":")
        if re.fullmatch(r"[\d:,-]*", section):  # a line range, not a section name
            section = ""
        out.append(Include(path, section, n))
    return out


def check_includes(markdown: str, page: str, root: Path) -> list[str]:
    """``docs/<page>:<line>: …`` for each include of a missing file or section."""
    problems = []
    for inc in includes(markdown):
        f = root / inc.path
        if not f.is_file():
            problems.append(f"docs/{page}:{inc.line}: included file {inc.path!r} does not exist")
        elif inc.section:
            names = sections(f.read_text(encoding="utf-8"))[0]
            if inc.section not in names:
                problems.append(
                    f"docs/{page}:{inc.line}: section {inc.section!r} not found in {inc.path}"
                    + did_you_mean(inc.section, names)
                )
    return problems


# ------------------------------------------------------------------------------- section markers
def sections(source: str) -> tuple[dict[str, tuple[int, int]], list[str]]:
    """``({name: (start line, end line)}, problems)`` of a file's section markers.

    A problem (``line N: …``) is a start without exactly one end after it, an end without a start,
    or a name used for two sections; each names the near miss."""
    starts: dict[str, list[int]] = {}
    ends: dict[str, list[int]] = {}
    for n, line in enumerate(source.splitlines(), 1):
        for kind, name in SECTION.findall(line):
            (starts if kind.lower() == "start" else ends).setdefault(name, []).append(n)
    found: dict[str, tuple[int, int]] = {}
    problems: list[tuple[int, str]] = []
    orphans = [e for e in ends if e not in starts]
    for name, lines in starts.items():
        after = [e for e in ends.get(name, []) if e > lines[0]]
        if len(lines) > 1:
            problems.append((lines[1], f"section {name!r} starts again (first at line {lines[0]})"))
        elif not after:
            near = difflib.get_close_matches(name, orphans, n=1, cutoff=0.6)
            hint = f" (did you mean [end:{near[0]}] at line {ends[near[0]][0]}?)" if near else ""
            problems.append((lines[0], f"section {name!r} has no [end:{name}] after it{hint}"))
        elif len(ends[name]) > 1:
            problems.append((ends[name][1], f"section {name!r} ends twice (first at line {ends[name][0]})"))
        else:
            found[name] = (lines[0], after[0])
    for name, lines in ends.items():
        if name not in starts:
            problems.append((lines[0], f"[end:{name}] closes no section" + did_you_mean(name, starts)))
        elif lines[0] < starts[name][0]:
            problems.append((lines[0], f"[end:{name}] comes before its start (line {starts[name][0]})"))
    return found, [f"line {n}: {msg}" for n, msg in sorted(problems)]


# --------------------------------------------------------------------------------------- imports
def imported_modules(source: str, filename: str = "<source>", package: str = "snippets") -> set[str]:
    """Dotted names a Python source imports from ``snippets`` (``snippets.x``, ``snippets.x.f``;
    a relative import inside ``package`` is resolved against it). Raises SyntaxError."""
    tree = ast.parse(source, filename)
    out: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                mod = f"{base}.{node.module}" if node.module else base
                names = [mod] + [f"{mod}.{a.name}" for a in node.names]
            elif node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        out |= {n for n in names if n == "snippets" or n.startswith("snippets.")}
    return out


# ---------------------------------------------------------------------------------- test markers
@dataclass(frozen=True)
class ClaimTest:
    claim: str
    test: str  # function (or class) name
    file: str  # relative to the tests folder
    line: int  # of the def
    marker_line: int  # of the @pytest.mark.claim decorator


def claim_tests(tests_dir: Path) -> list[ClaimTest]:
    """Every ``@pytest.mark.claim("id", …)`` under ``tests_dir``, in file order."""
    out: list[ClaimTest] = []
    for f in sorted(tests_dir.rglob("test_*.py")):
        tree = ast.parse(f.read_text(encoding="utf-8"), str(f))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            for dec in node.decorator_list:
                if (
                    isinstance(dec, ast.Call)
                    and isinstance(dec.func, ast.Attribute)
                    and dec.func.attr == "claim"
                    and isinstance(dec.func.value, ast.Attribute)
                    and dec.func.value.attr == "mark"
                ):
                    for a in dec.args:
                        if isinstance(a, ast.Constant) and isinstance(a.value, str):
                            rel = f.relative_to(tests_dir).as_posix()
                            out.append(ClaimTest(a.value, node.name, rel, node.lineno, dec.lineno))
    return sorted(out, key=lambda t: (t.file, t.marker_line))
