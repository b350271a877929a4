"""Read what a reader pastes into the Init Doctor: PyTorch ``print(model)``, Keras ``model.summary()``
or a Hugging Face ``config.json``, into a tree of modules. Twin of docs/assets/doctor/doctor.js.

Every function here is written with scalar Python (no numpy) so that the JavaScript twin can do the
same operations in the same order.
"""

from __future__ import annotations

import json
import re


class DoctorError(ValueError):
    """Input the doctor cannot read; the message names the line."""


# --------------------------------------------------------------------------- argument lists
def split_top(s):
    """Split at commas that are not inside brackets or quotes."""
    out, depth, cur, quote = [], 0, "", ""
    for ch in s:
        if quote:
            cur += ch
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def parse_value(v):
    v = v.strip()
    if v in ("True", "False"):
        return v == "True"
    if v == "None":
        return None
    if v[:1] in "([" and v[-1:] in ")]":
        return [parse_value(x) for x in split_top(v[1:-1])]
    if v[:1] in "'\"":
        return v[1:-1]
    if re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", v):
        return float(v) if re.search(r"[.eE]", v) else int(v)
    return v


def parse_args(s):
    """``3, 64, kernel_size=(7, 7), bias=False`` -> {"0": 3, "1": 64, "kernel_size": [7, 7], ...}."""
    args, pos = {}, 0
    for part in split_top(s):
        m = re.match(r"^([A-Za-z_]\w*)\s*=\s*(.*)$", part, re.S)
        if m:
            args[m.group(1)] = parse_value(m.group(2))
        else:
            args[str(pos)] = parse_value(part)
            pos += 1
    return args


# ------------------------------------------------------------------------- PyTorch print
HEAD = re.compile(
    r"^\s*(?:\((?P<name>[\w.\-]+)\):\s*)?(?:(?P<rep>\d+) x )?(?P<type>[A-Za-z_][\w.]*)\((?P<rest>.*)$"
)


def clone(node, name):
    return {**node, "name": name, "children": [clone(c, c["name"]) for c in node["children"]]}


def parse_torch(text):
    """The tree of ``print(model)``: nodes {name, type, args, line, children}; repeats expanded."""
    lines = text.split("\n")
    root, stack, unread = None, [], []
    for i, raw in enumerate(lines):
        line = raw.rstrip()
        if not line.strip():
            continue
        if line.strip() == ")":
            if not stack:
                unread.append(
                    {"line": i + 1, "text": line.strip(), "why": "a closing bracket with no open module"}
                )
                continue
            node = stack.pop()
            if stack:
                attach(stack[-1], node)
            else:
                root = root or node
            continue
        m = HEAD.match(line)
        if not m:
            unread.append({"line": i + 1, "text": line.strip(), "why": "not a module line"})
            continue
        name = m.group("name")
        if name is None and stack:
            unread.append({"line": i + 1, "text": line.strip(), "why": "a module line without its (name):"})
            continue
        node = {"name": name or "", "type": m.group("type"), "args": {}, "line": i + 1, "children": []}
        node["rep"] = m.group("rep")
        rest = m.group("rest")
        if rest.endswith(")") and balanced(rest[:-1]):
            node["args"] = parse_args(rest[:-1])
            if stack:
                attach(stack[-1], node)
            elif root is None:
                root = node
            else:
                unread.append(
                    {"line": i + 1, "text": line.strip(), "why": "a second model after the first ended"}
                )
        elif rest == "":
            if root is not None and not stack:
                unread.append(
                    {"line": i + 1, "text": line.strip(), "why": "a second model after the first ended"}
                )
                continue
            stack.append(node)
        else:
            unread.append({"line": i + 1, "text": line.strip(), "why": "unbalanced brackets"})
    if stack:
        raise DoctorError(
            f"line {stack[-1]['line']}: `{stack[-1]['type']}(` is never closed: the paste looks cut off "
            f"(expected {len(stack)} more closing bracket(s))"
        )
    if root is None:
        raise DoctorError(
            "no PyTorch module found: expected a line like `Sequential(` or `Linear(in_features=...)`"
        )
    return root, unread


def balanced(s):
    d = 0
    for ch in s:
        d += 1 if ch == "(" else -1 if ch == ")" else 0
        if d < 0:
            return False
    return d == 0


def attach(parent, node):
    rep = node.get("rep")
    if rep:
        lo = int(node["name"].split("-")[0])
        for k in range(int(rep)):
            parent["children"].append(clone(node, str(lo + k)))
    else:
        parent["children"].append(node)


# ------------------------------------------------------------------------- Keras summary
KROW = re.compile(
    r"^[│|]?\s*([\w.\-/]+) \((\w+)\)\s*[│|]?\s*(\([^)]*\)|\[[^\]]*\]|multiple)\s*[│|]?\s*([\d,]+)"
)


def parse_keras(text):
    """Rows of ``model.summary()``: {name, type, shape (list, None for the batch), params, line}."""
    rows, unread = [], []
    for i, raw in enumerate(text.split("\n")):
        line = raw.strip()
        if not line or re.fullmatch(r"[\s━┏┓┗┛┡┩┃┳┻╇─├┤┼└┘┴┬│=_\-+]*", line):
            continue
        if re.match(
            r"^(Model:|[┃|]?\s*Layer \(type\)|Total params|Trainable params|Non-trainable params|Optimizer params)",
            line,
        ):
            continue
        m = KROW.match(line)
        if not m:
            unread.append({"line": i + 1, "text": line, "why": "not a layer row"})
            continue
        shape = m.group(3)
        dims = (
            None
            if shape == "multiple"
            else [None if x.strip() == "None" else int(x) for x in split_top(shape[1:-1])]
        )
        rows.append(
            {
                "name": m.group(1),
                "type": m.group(2),
                "shape": dims,
                "params": int(m.group(4).replace(",", "")),
                "line": i + 1,
            }
        )
    if not rows:
        raise DoctorError("no Keras layer rows found: expected rows like `dense (Dense)  (None, 128)  8,320`")
    return rows, unread


# ------------------------------------------------------------------------- detection
def detect(text):
    """'hf', 'keras' or 'torch' (or raise with the reason)."""
    s = text.strip()
    if not s:
        raise DoctorError("the input is empty: paste print(model), model.summary() or a config.json")
    if s.startswith("{"):
        return "hf"
    if re.search(r"Layer \(type\)", s) or re.search(
        r"^\s*[│|]?\s*\w+ \((Dense|Conv[123]D|LSTM|GRU|Embedding|InputLayer)\)", s, re.M
    ):
        return "keras"
    if re.search(r"^\s*(\([\w.\-]+\):\s*)?[A-Za-z_][\w.]*\(", s, re.M):
        return "torch"
    first = s.split("\n")[0][:60]
    raise DoctorError(f"line 1: `{first}` is not print(model) output, a Keras summary or a JSON config")


def parse_hf(text):
    try:
        cfg = json.loads(text)
    except json.JSONDecodeError as e:
        raise DoctorError(f"line {e.lineno}: the config.json does not parse (a JSON syntax error)") from None
    if not isinstance(cfg, dict):
        raise DoctorError("line 1: a config.json is a JSON object ({...})")
    return cfg


def parse_input_shape(s):
    """'8x3x224x224' -> [8, 3, 224, 224] (also commas or spaces)."""
    parts = [p for p in re.split(r"[x×,\s]+", (s or "").strip().strip("()[]")) if p]
    if not parts or not all(re.fullmatch(r"\d+", p) for p in parts):
        raise DoctorError(f"input shape `{s}`: write it as numbers separated by x, e.g. 8x3x224x224")
    return [int(p) for p in parts]
