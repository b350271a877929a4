#!/usr/bin/env python
"""Framework facts for the practice chapter, measured in the framework venv and written to
``data/practice_frameworks.json`` (with versions and the source lines they rest on).

    /work/main/.fw-venv/bin/python tools/check_practice_frameworks.py          # measure and write
    /work/main/.fw-venv/bin/python tools/check_practice_frameworks.py --check  # compare with the file

1. **LSTM forget bias.** PyTorch stacks the gates as (input, forget, cell, output) in both bias
   vectors ``bias_ih`` and ``bias_hh``. With zero weights and zero input, the new cell state is
   c1 = f·c0 + i·g, so the forget gate is f = c1(c0 = 1) − c1(c0 = 0): set one slice to 1 in one
   vector, or in both, and read f.
2. **Porting nn.Linear.** PyTorch's weight init U(±1/√fan_in) against Keras ``VarianceScaling`` and
   Flax/JAX ``variance_scaling`` with scale 1/3, mode fan_in, uniform distribution.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import inspect
import json
import math
import os
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "practice_frameworks.json"
H, FAN_IN, FAN_OUT = 8, 512, 256


def source_line(module, needle: str) -> str:
    """``path:line`` (relative to site-packages) of the first line of ``module`` containing ``needle``."""
    path = Path(inspect.getsourcefile(module))
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            site = next(p for p in path.parents if p.name == "site-packages")
            return f"{path.relative_to(site)}:{i}: {line.strip()}"
    raise SystemExit(f"{path}: no line contains {needle!r}: the quoted source changed")


def lstm() -> dict:
    import torch

    cell = torch.nn.LSTMCell(4, H)
    out = {"hidden": H}
    with torch.no_grad():
        for p in cell.parameters():
            p.zero_()
        x, h0 = torch.zeros(1, 4), torch.zeros(1, H)

        def gate():  # f = c1(c0 = 1) - c1(c0 = 0), per unit, averaged
            c1 = [cell(x, (h0, torch.full((1, H), c)))[1] for c in (1.0, 0.0)]
            return float((c1[0] - c1[1]).mean())

        slices = {}
        for k, name in enumerate(("input", "forget", "cell", "output")):
            cell.bias_ih.zero_()
            cell.bias_ih[k * H : (k + 1) * H] = 1.0
            slices[name] = gate()
        start = max(range(4), key=lambda k: list(slices.values())[k]) * H
        cell.bias_ih.zero_()
        cell.bias_ih[start : start + H] = 1.0
        one = gate()
        cell.bias_hh[start : start + H] = 1.0
        both = gate()
    import torch.nn.modules.rnn as rnn

    out.update(
        forget_gate_by_slice=slices,
        forget_slice_start=start,
        gate_one_vector=one,
        gate_both_vectors=both,
        source=source_line(rnn, "(W_ii|W_if|W_ig|W_io)"),
    )
    return out


def port() -> dict:
    import jax
    import keras
    import numpy as np
    import torch
    import torch.nn.modules.linear as linear
    from flax import linen as nn
    from jax._src.nn import initializers as jinit
    from keras.src.initializers import random_initializers as kinit

    torch.manual_seed(0)
    w_t = torch.nn.Linear(FAN_IN, FAN_OUT).weight.detach().numpy().astype(np.float64)  # (out, in)
    w_k = np.asarray(
        keras.initializers.VarianceScaling(1 / 3, "fan_in", "uniform", seed=0)((FAN_IN, FAN_OUT))
    )
    w_f = np.asarray(
        nn.initializers.variance_scaling(1 / 3, "fan_in", "uniform")(jax.random.key(0), (FAN_IN, FAN_OUT))
    )
    return {
        "fan_in": FAN_IN,
        "fan_out": FAN_OUT,
        "torch_std": float(w_t.std()),
        "keras_std": float(w_k.std()),
        "flax_std": float(w_f.std()),
        "torch_max": float(np.abs(w_t).max()),
        "keras_max": float(np.abs(w_k).max()),
        "flax_max": float(np.abs(w_f).max()),
        "target_std": 1 / math.sqrt(3 * FAN_IN),
        "bound": 1 / math.sqrt(FAN_IN),
        "torch_layout": "weight (out_features, in_features): transpose to a Keras/Flax kernel (in, out)",
        "sources": {
            "torch": source_line(linear, "kaiming_uniform_(self.weight, a=math.sqrt(5))"),
            "keras": source_line(kinit, "limit = math.sqrt(3.0 * scale)"),
            "flax": source_line(jinit, 'if mode == "fan_in": denominator = fan_in'),
        },
    }


def measure() -> dict:
    versions = {p: importlib.metadata.version(p) for p in ("torch", "keras", "jax", "flax")}
    return {"versions": versions, "lstm": lstm(), "port": port()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with data/practice_frameworks.json")
    args = ap.parse_args()
    new = measure()
    if args.check:
        old = json.loads(DATA.read_text(encoding="utf-8"))
        ok = old["lstm"]["forget_slice_start"] == new["lstm"]["forget_slice_start"] and all(
            abs(old["lstm"][k] - new["lstm"][k]) < 1e-6 for k in ("gate_one_vector", "gate_both_vectors")
        )
        print("ok" if ok else "differs")
        return 0 if ok else 1
    DATA.write_text(json.dumps(new, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(json.dumps(new, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
