#!/usr/bin/env python
"""Check ``data/framework_defaults.json`` against the real frameworks.

The data file is the table of default initialisations that the page ``architectures`` renders.
Each cell states an expected distribution (``std``, optionally ``bound``, ``mean``, ``value`` or
``orthogonal``) and the source line that sets it. This script

1. instantiates the layer in PyTorch, Keras 3 (JAX backend) and Flax (linen),
2. measures the std, the largest absolute value, the mean and, where asked, how far the
   matrix is from having orthonormal rows or columns,
3. checks each measurement against the cell, and checks that the cited line of the
   installed framework source still contains the cited text.

``--write`` records the measurements, the line numbers and the framework versions in the data
file. Without it, the script only checks and exits non-zero on a mismatch. Frameworks that are
not importable are skipped (``--require`` makes that an error).

Usage::

    python tools/check_framework_defaults.py [--write] [--require] [--data data/framework_defaults.json]
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import json
import math
import os
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "framework_defaults.json"
FRAMEWORKS = ("torch", "keras", "flax")
PACKAGES = {"torch": ["torch"], "keras": ["keras", "jax"], "flax": ["flax", "jax"]}

# shapes used for every measurement (also stated in the data file)
D_IN, D_OUT = 256, 512  # Linear / Dense
C_IN, C_OUT, K = 64, 128, 3  # Conv2d
KT, ST = 4, 2  # ConvTranspose2d kernel and stride
VOCAB, EMB = 10000, 256  # Embedding
RNN_IN, HID = 128, 256  # RNN, LSTM, GRU
D_MODEL, HEADS, D_FF = 256, 8, 1024  # attention, Transformer layer
TRUNC_STD = 0.02


def stats(arrays, orthogonal=False):
    """Measured statistics of one or several arrays (several: checked as one population)."""
    import numpy as np

    arrays = [np.asarray(a, dtype=np.float64) for a in arrays]
    flat = np.concatenate([a.ravel() for a in arrays])
    out = {
        "std": float(flat.std()),
        "mean": float(flat.mean()),
        "max_abs": float(np.abs(flat).max()),
        "min": float(flat.min()),
        "max": float(flat.max()),
        "n": int(flat.size),
    }
    if orthogonal:
        errs = []
        for a in arrays:
            m = a.reshape(a.shape[0], -1) if a.ndim > 2 else a
            small = m @ m.T if m.shape[0] <= m.shape[1] else m.T @ m
            errs.append(float(np.abs(small - np.eye(small.shape[0])).max()))
        out["ortho_err"] = max(errs)
    return out


# ----------------------------------------------------------------------------------------------
# PyTorch
# ----------------------------------------------------------------------------------------------
def measure_torch() -> dict:
    import torch
    from torch import nn

    torch.manual_seed(0)
    t = lambda p: p.detach().cpu().numpy()  # noqa: E731
    lin = nn.Linear(D_IN, D_OUT)
    conv = nn.Conv2d(C_IN, C_OUT, K)
    convt = nn.ConvTranspose2d(C_IN, C_OUT, KT, stride=ST)
    emb = nn.Embedding(VOCAB, EMB)
    rnn, lstm, gru = (cls(RNN_IN, HID) for cls in (nn.RNN, nn.LSTM, nn.GRU))
    ln, bn = nn.LayerNorm(D_MODEL), nn.BatchNorm1d(D_MODEL)
    mha = nn.MultiheadAttention(D_MODEL, HEADS)
    enc = nn.TransformerEncoderLayer(D_MODEL, HEADS, dim_feedforward=D_FF)
    trunc = torch.empty(1000, 1000)
    nn.init.trunc_normal_(trunc, std=TRUNC_STD)
    recs = (rnn, lstm, gru)
    forget = t(lstm.bias_ih_l0)[HID : 2 * HID] + t(lstm.bias_hh_l0)[HID : 2 * HID]  # gates i,f,g,o
    return {
        "linear-weight": stats([t(lin.weight)]),
        "linear-bias": stats([t(lin.bias)]),
        "conv-weight": stats([t(conv.weight)]),
        "conv-bias": stats([t(conv.bias)]),
        "convtranspose-weight": stats([t(convt.weight)]),
        "embedding": stats([t(emb.weight)]),
        **{
            f"{name}-{part}": stats(arrays)
            for name, m in zip(("rnn", "lstm", "gru"), recs)
            for part, arrays in (
                ("input", [t(m.weight_ih_l0)]),
                ("recurrent", [t(m.weight_hh_l0)]),
                ("bias", [t(m.bias_ih_l0), t(m.bias_hh_l0)]),
            )
        },
        "lstm-forget-bias": stats([forget]),
        "layernorm": {"gamma": stats([t(ln.weight)]), "beta": stats([t(ln.bias)])},
        "batchnorm": {"gamma": stats([t(bn.weight)]), "beta": stats([t(bn.bias)])},
        "mha-in": stats([t(mha.in_proj_weight)]),
        "mha-in-bias": stats([t(mha.in_proj_bias), t(mha.out_proj.bias)]),
        "mha-out": stats([t(mha.out_proj.weight)]),
        "ffn-1": stats([t(enc.linear1.weight)]),
        "ffn-2": stats([t(enc.linear2.weight)]),
        "trunc-normal": stats([t(trunc)]),
    }


# ----------------------------------------------------------------------------------------------
# Keras 3
# ----------------------------------------------------------------------------------------------
def measure_keras() -> dict:
    import keras
    import numpy as np

    keras.utils.set_random_seed(0)
    L = keras.layers
    k = lambda v: np.asarray(keras.ops.convert_to_numpy(v))  # noqa: E731

    def built(layer, shape):
        layer.build(shape)
        return layer

    dense = built(L.Dense(D_OUT), (None, D_IN))
    conv = built(L.Conv2D(C_OUT, K), (None, 32, 32, C_IN))
    convt = built(L.Conv2DTranspose(C_OUT, KT, strides=ST), (None, 16, 16, C_IN))
    emb = built(L.Embedding(VOCAB, EMB), (None, 8))
    cells = {}
    for name, cls in (("rnn", L.SimpleRNN), ("lstm", L.LSTM), ("gru", L.GRU)):
        cells[name] = built(cls(HID), (None, 10, RNN_IN)).cell
    lstm_bias = k(cells["lstm"].bias)
    ln = built(L.LayerNormalization(), (None, D_MODEL))
    bn = built(L.BatchNormalization(), (None, D_MODEL))
    mha = L.MultiHeadAttention(num_heads=HEADS, key_dim=D_MODEL // HEADS)
    x = np.zeros((1, 4, D_MODEL), dtype="float32")
    mha(x, x)
    trunc = k(keras.initializers.TruncatedNormal(stddev=TRUNC_STD, seed=0)((1000, 1000)))
    return {
        "linear-weight": stats([k(dense.kernel)]),
        "linear-bias": stats([k(dense.bias)]),
        "conv-weight": stats([k(conv.kernel)]),
        "conv-bias": stats([k(conv.bias)]),
        "convtranspose-weight": stats([k(convt.kernel)]),
        "embedding": stats([k(emb.embeddings)]),
        **{f"{n}-input": stats([k(c.kernel)]) for n, c in cells.items()},
        **{f"{n}-recurrent": stats([k(c.recurrent_kernel)], orthogonal=True) for n, c in cells.items()},
        "rnn-bias": stats([k(cells["rnn"].bias)]),
        "gru-bias": stats([k(cells["gru"].bias)]),
        "lstm-bias": stats([np.delete(lstm_bias, np.s_[HID : 2 * HID])]),
        "lstm-forget-bias": stats([lstm_bias[HID : 2 * HID]]),  # gates i,f,c,o
        "layernorm": {"gamma": stats([k(ln.gamma)]), "beta": stats([k(ln.beta)])},
        "batchnorm": {"gamma": stats([k(bn.gamma)]), "beta": stats([k(bn.beta)])},
        "mha-in": stats([k(mha.query_dense.kernel), k(mha.key_dense.kernel), k(mha.value_dense.kernel)]),
        "mha-in-bias": stats(
            [k(d.bias) for d in (mha.query_dense, mha.key_dense, mha.value_dense, mha.output_dense)]
        ),
        "mha-out": stats([k(mha.output_dense.kernel)]),
        "trunc-normal": stats([trunc]),
    }


# ----------------------------------------------------------------------------------------------
# Flax (linen)
# ----------------------------------------------------------------------------------------------
def measure_flax() -> dict:
    import flax.linen as nn
    import jax
    import jax.numpy as jnp
    import numpy as np

    key = jax.random.key(0)

    def params(module, *inputs):
        return jax.tree_util.tree_map(np.asarray, module.init(key, *inputs)["params"])

    dense = params(nn.Dense(D_OUT), jnp.zeros((1, D_IN)))
    conv = params(nn.Conv(C_OUT, (K, K)), jnp.zeros((1, 32, 32, C_IN)))
    convt = params(nn.ConvTranspose(C_OUT, (KT, KT), strides=(ST, ST)), jnp.zeros((1, 16, 16, C_IN)))
    emb = params(nn.Embed(VOCAB, EMB), jnp.zeros((1, 8), dtype=jnp.int32))
    x = jnp.zeros((1, RNN_IN))
    carry1 = jnp.zeros((1, HID))
    cells = {
        "rnn": params(nn.SimpleCell(HID), carry1, x),
        "lstm": params(nn.LSTMCell(HID), (carry1, carry1), x),
        "gru": params(nn.GRUCell(HID), carry1, x),
    }
    rec = {}
    for name, gates in (("rnn", ""), ("lstm", "ifgo"), ("gru", "rzn")):
        p = cells[name]
        rec[f"{name}-input"] = stats([p[f"i{g}"]["kernel"] for g in gates] if gates else [p["i"]["kernel"]])
        rec[f"{name}-recurrent"] = stats(
            [p[f"h{g}"]["kernel"] for g in gates] if gates else [p["h"]["kernel"]], orthogonal=True
        )
        biases = [v["bias"] for n, v in p.items() if "bias" in v and n != "hf"]
        rec[f"{name}-bias"] = stats(biases)
    ln = params(nn.LayerNorm(), jnp.zeros((1, D_MODEL)))
    bn = nn.BatchNorm(use_running_average=False).init(key, jnp.zeros((2, D_MODEL)))["params"]
    xa = jnp.zeros((1, 4, D_MODEL))
    mha = params(nn.MultiHeadDotProductAttention(num_heads=HEADS), xa, xa)
    trunc = np.asarray(nn.initializers.truncated_normal(stddev=TRUNC_STD)(key, (1000, 1000)))
    return {
        "linear-weight": stats([dense["kernel"]]),
        "linear-bias": stats([dense["bias"]]),
        "conv-weight": stats([conv["kernel"]]),
        "conv-bias": stats([conv["bias"]]),
        "convtranspose-weight": stats([convt["kernel"]]),
        "embedding": stats([emb["embedding"]]),
        **rec,
        "lstm-forget-bias": stats([cells["lstm"]["hf"]["bias"]]),
        "layernorm": {"gamma": stats([ln["scale"]]), "beta": stats([ln["bias"]])},
        "batchnorm": {"gamma": stats([np.asarray(bn["scale"])]), "beta": stats([np.asarray(bn["bias"])])},
        "mha-in": stats([mha[n]["kernel"] for n in ("query", "key", "value")]),
        "mha-in-bias": stats([mha[n]["bias"] for n in ("query", "key", "value", "out")]),
        "mha-out": stats([mha["out"]["kernel"]]),
        "trunc-normal": stats([trunc]),
    }


MEASURE = {"torch": measure_torch, "keras": measure_keras, "flax": measure_flax}


# ----------------------------------------------------------------------------------------------
# checking
# ----------------------------------------------------------------------------------------------
def versions(fw: str) -> dict:
    return {p: importlib.metadata.version(p) for p in PACKAGES[fw]}


def package_root(fw: str) -> Path:
    mod = importlib.import_module({"torch": "torch", "keras": "keras", "flax": "flax"}[fw])
    return Path(mod.__file__).resolve().parent.parent  # site-packages


def find_source(fw: str, src: dict) -> int:
    """The line number (1-based) of ``src['text']`` in ``src['file']`` of the installed package."""
    path = package_root(fw) / src["file"]
    lines = path.read_text().splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if src["text"] in line]
    if not hits:
        raise LookupError(f"{fw}: {src['file']} no longer contains {src['text']!r}")
    after = src.get("after")
    if after:  # the first hit after a line containing `after` (e.g. a class or def)
        start = next(i + 1 for i, line in enumerate(lines) if after in line)
        hits = [h for h in hits if h > start] or hits
    return hits[0]


def check_cell(fw: str, row_id: str, cell: dict, measured: dict) -> list[str]:
    """Problems with one cell; an empty list when the measurement agrees with the cell."""
    errs = []
    where = f"{row_id}/{fw}"
    parts = {"": (cell, measured)}
    if "gamma" in measured:
        parts = {"gamma": (cell["gamma"], measured["gamma"]), "beta": (cell["beta"], measured["beta"])}
    for part, (want, got) in parts.items():
        w = f"{where}{'/' + part if part else ''}"
        if "value" in want:  # a constant
            if not (got["min"] == got["max"] == want["value"]):
                errs.append(f"{w}: expected constant {want['value']}, measured [{got['min']}, {got['max']}]")
            continue
        std = want["std"]
        # a sample std of n draws is within 4 standard errors (relative error ~ 1/sqrt(2n), kurtosis aside)
        tol = 4 * math.sqrt(2 / got["n"]) + 1e-3
        if abs(got["std"] - std) > tol * std:
            errs.append(f"{w}: std {got['std']:.5g} vs expected {std:.5g} (tolerance {tol:.1%})")
        mean = want.get("mean", 0.0)
        if abs(got["mean"] - mean) > 5 * std / math.sqrt(got["n"]) + 1e-7:
            errs.append(f"{w}: mean {got['mean']:.5g} vs expected {mean}")
        if "bound" in want:
            b = want["bound"]
            lo, hi = mean - b, mean + b
            if got["min"] < lo - 1e-6 * b or got["max"] > hi + 1e-6 * b:
                errs.append(f"{w}: values [{got['min']:.5g}, {got['max']:.5g}] outside ±{b:.5g}")
            if want.get("bound_reached", True) and max(hi - got["max"], got["min"] - lo) > 0.1 * b:
                errs.append(
                    f"{w}: bound ±{b:.5g} not approached (measured [{got['min']:.5g}, {got['max']:.5g}])"
                )
        if "max_abs_at_least" in want and got["max_abs"] < want["max_abs_at_least"]:
            errs.append(f"{w}: max |w| {got['max_abs']:.5g} below {want['max_abs_at_least']}")
        if want.get("orthogonal") and got.get("ortho_err", 1.0) > 1e-4:
            errs.append(f"{w}: not orthogonal (max |WWᵀ−I| = {got.get('ortho_err')})")
    return errs


def rounded(d):
    if isinstance(d, dict):
        return {k: rounded(v) for k, v in d.items()}
    if isinstance(d, float):
        return float(f"{d:.6g}")
    return d


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--write", action="store_true", help="record measurements, lines and versions")
    ap.add_argument("--require", action="store_true", help="fail when a framework is missing")
    args = ap.parse_args(argv)

    data = json.loads(args.data.read_text())
    problems: list[str] = []
    checked = []
    for fw in FRAMEWORKS:
        try:
            measured = MEASURE[fw]()
        except ImportError as e:
            msg = f"{fw}: not importable ({e}); skipped"
            print(msg)
            if args.require:
                problems.append(msg)
            continue
        checked.append(fw)
        data.setdefault("checked_with", {})[fw] = versions(fw)
        for row in data["rows"]:
            cell = row.get(fw)
            if not cell or "src" not in cell:  # "—": no such layer in this framework
                continue
            if row["id"] not in measured:
                problems.append(f"{row['id']}/{fw}: no measurement defined")
                continue
            m = measured[row["id"]]
            problems += check_cell(fw, row["id"], cell, m)
            try:
                line = find_source(fw, cell["src"])
            except LookupError as e:
                problems.append(str(e))
                line = None
            if args.write:
                cell["measured"] = rounded(m)
                cell["src"]["line"] = line
            elif line is not None and cell["src"].get("line") != line:
                problems.append(
                    f"{row['id']}/{fw}: source moved to line {line} (recorded {cell['src'].get('line')})"
                )
            if not args.write and "measured" not in cell:
                problems.append(f"{row['id']}/{fw}: no recorded measurement (run with --write)")
        print(f"{fw}: measured {len(measured)} layers with {versions(fw)}")
    if args.write and checked:
        args.data.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {args.data}")
    for p in problems:
        print("MISMATCH", p)
    print(f"{len(problems)} problems; frameworks checked: {', '.join(checked) or 'none'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
