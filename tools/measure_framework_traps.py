#!/usr/bin/env python
"""Measure framework behaviours that the defaults table does not show, and record them.

Each *trap* below is a measurement on the installed PyTorch, Keras 3 (JAX backend) and Flax
(linen), together with the source lines of the installed packages that cause it. The result is
written to ``data/framework_traps.json`` (``--write``) or checked against it (default: exit
non-zero when a recorded fact or a cited source line changed). Run it in the framework venv::

    /work/main/.fw-venv/bin/python tools/measure_framework_traps.py --write

Traps measured:

``recurrent-per-gate``
    Is each gate's block of the recurrent matrix orthogonal? Singular values of every
    (units × units) gate block of LSTM/GRU/SimpleRNN recurrent kernels.
``keras-forget-bias``
    Keras LSTM sets the forget-gate bias to 1 (``unit_forget_bias=True``).
``torch-encoder-clones``
    ``nn.TransformerEncoder`` deep-copies the layer it is given: every layer starts identical.
``torch-transformer-xavier``
    ``nn.Transformer`` re-initializes every matrix with ``xavier_uniform_``.
``keras-shared-initializer``
    Two Keras layers given the same initializer instance (seeded or not) start identical.
``keras-3d-fans``
    Keras ``GlorotUniform`` on a 3-D shape treats the leading axis as a convolution window.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import json
import os
import sys
import warnings
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "framework_traps.json"
HID, RNN_IN = 256, 128
D_MODEL, HEADS, D_FF = 256, 8, 1024


def r6(x):
    if isinstance(x, dict):
        return {k: r6(v) for k, v in x.items()}
    if isinstance(x, list):
        return [r6(v) for v in x]
    if isinstance(x, float):
        return float(f"{x:.6g}")
    return x


def block_svd(blocks):
    """Singular-value summary of each square gate block: RMS, min, max, and max |BBᵀ − I|."""
    import numpy as np

    out = []
    for b in blocks:
        b = np.asarray(b, dtype=np.float64)
        s = np.linalg.svd(b, compute_uv=False)
        out.append(
            {
                "sv_rms": float(np.sqrt((s**2).mean())),
                "sv_min": float(s.min()),
                "sv_max": float(s.max()),
                "ortho_err": float(np.abs(b @ b.T - np.eye(b.shape[0])).max()),
            }
        )
    return out


def source(pkg: str, file: str, text: str, after: str | None = None) -> dict:
    """The first line (1-based) of ``file`` in the installed ``pkg`` containing ``text``."""
    root = Path(importlib.import_module(pkg).__file__).resolve().parent.parent
    lines = (root / file).read_text().splitlines()
    start = 0
    if after:
        start = next(i for i, line in enumerate(lines) if after in line)
    line = next(i + 1 for i, s in enumerate(lines) if i >= start and text in s)
    return {"file": file, "line": line, "text": text.strip()}


# ----------------------------------------------------------------------------------------------
def measure_recurrent() -> dict:
    import flax.linen as fnn
    import jax
    import jax.numpy as jnp
    import keras
    import numpy as np
    import torch

    keras.utils.set_random_seed(0)
    k = lambda v: np.asarray(keras.ops.convert_to_numpy(v))  # noqa: E731
    res = {}
    for name, cls, gates in (("LSTM", keras.layers.LSTM, 4), ("GRU", keras.layers.GRU, 3)):
        layer = cls(HID)
        layer.build((None, 10, RNN_IN))
        R = k(layer.cell.recurrent_kernel)  # (units, gates·units)
        blocks = [R[:, g * HID : (g + 1) * HID] for g in range(gates)]
        whole = float(np.abs(R @ R.T - np.eye(HID)).max())
        res[f"keras-{name}"] = {"shape": list(R.shape), "whole_ortho_err": whole, "blocks": block_svd(blocks)}
    rnn = keras.layers.SimpleRNN(HID)
    rnn.build((None, 10, RNN_IN))
    res["keras-SimpleRNN"] = {"shape": [HID, HID], "blocks": block_svd([k(rnn.cell.recurrent_kernel)])}

    key = jax.random.key(0)
    x, c = jnp.zeros((1, RNN_IN)), jnp.zeros((1, HID))
    p = fnn.LSTMCell(HID).init(key, (c, c), x)["params"]
    res["flax-LSTMCell"] = {"shape": [HID, HID], "blocks": block_svd([p[f"h{g}"]["kernel"] for g in "ifgo"])}
    p = fnn.GRUCell(HID).init(key, c, x)["params"]
    res["flax-GRUCell"] = {"shape": [HID, HID], "blocks": block_svd([p[f"h{g}"]["kernel"] for g in "rzn"])}

    torch.manual_seed(0)
    W = torch.nn.LSTM(RNN_IN, HID).weight_hh_l0.detach().numpy()  # (4·hidden, hidden)
    res["torch-LSTM"] = {
        "shape": list(W.shape),
        "blocks": block_svd([W[g * HID : (g + 1) * HID] for g in range(4)]),
    }
    for v in res.values():
        v["block_sv_rms"] = [b["sv_rms"] for b in v["blocks"]]
        v["block_ortho_err_max"] = max(b["ortho_err"] for b in v["blocks"])
    return {
        "measured": res,
        "src": [
            source("keras", "keras/src/layers/rnn/lstm.py", 'recurrent_initializer="orthogonal",'),
            source(
                "keras",
                "keras/src/layers/rnn/lstm.py",
                "shape=(self.units, self.units * 4)",
                "recurrent_kernel",
            ),
            source(
                "keras",
                "keras/src/initializers/random_initializers.py",
                "flat_shape = (max(num_cols, num_rows)",
            ),
            source(
                "flax",
                "flax/linen/recurrent.py",
                "recurrent_kernel_init: Initializer = initializers.orthogonal()",
            ),
            source("flax", "flax/linen/recurrent.py", "dense_h(name='hf')(h)"),
        ],
    }


def measure_forget_bias() -> dict:
    import keras
    import numpy as np

    layer = keras.layers.LSTM(HID)
    layer.build((None, 10, RNN_IN))
    b = np.asarray(keras.ops.convert_to_numpy(layer.cell.bias))
    return {
        "measured": {
            "forget": [float(b[HID : 2 * HID].min()), float(b[HID : 2 * HID].max())],
            "others_max_abs": float(np.abs(np.delete(b, np.s_[HID : 2 * HID])).max()),
        },
        "src": [
            source("keras", "keras/src/layers/rnn/lstm.py", "unit_forget_bias=True,"),
            source("keras", "keras/src/layers/rnn/lstm.py", 'initializers.get("ones")'),
        ],
    }


def measure_torch_encoder() -> dict:
    import numpy as np
    import torch
    from torch import nn

    torch.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        layer = nn.TransformerEncoderLayer(D_MODEL, HEADS, dim_feedforward=D_FF)
        enc = nn.TransformerEncoder(layer, num_layers=6)
    p = [dict(m.named_parameters()) for m in enc.layers]
    with torch.no_grad():  # largest difference of any parameter from layer 0's
        diffs = [max(float((p[i][n] - p[0][n]).abs().max()) for n in p[0]) for i in range(1, len(p))]
    same_object = any(enc.layers[i] is enc.layers[0] for i in range(1, len(p)))
    # what identical layers do to symmetry: the per-layer gradient of an MSE loss differs only
    # through the layer's position, but the weights themselves start as copies
    x = torch.randn(5, 3, D_MODEL)
    enc(x).pow(2).mean().backward()
    g = [float(m.linear1.weight.grad.norm()) for m in enc.layers]
    return {
        "measured": {
            "layers": len(p),
            "max_param_diff_from_layer0": max(diffs),
            "same_python_object": same_object,
            "linear1_std": float(np.std(p[0]["linear1.weight"].detach().numpy())),
            "linear1_grad_norm_per_layer": g,
        },
        "src": [
            source(
                "torch",
                "torch/nn/modules/transformer.py",
                "self.layers = _get_clones(encoder_layer, num_layers)",
            ),
            source(
                "torch",
                "torch/nn/modules/transformer.py",
                "return ModuleList([copy.deepcopy(module) for i in range(N)])",
            ),
        ],
    }


def measure_torch_transformer() -> dict:
    import math

    import numpy as np
    import torch
    from torch import nn

    torch.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tr = nn.Transformer(D_MODEL, HEADS, 2, 2, dim_feedforward=D_FF)
    l0, l1 = tr.encoder.layers[0], tr.encoder.layers[1]
    w = l0.linear1.weight.detach().numpy()  # (1024, 256)
    inp = l0.self_attn.in_proj_weight.detach().numpy()  # (768, 256)
    return {
        "measured": {
            "linear1_std": float(w.std()),
            "linear1_max_abs": float(np.abs(w).max()),
            "xavier_std": math.sqrt(2 / (D_MODEL + D_FF)),
            "linear_default_std": 1 / math.sqrt(3 * D_MODEL),
            "in_proj_std": float(inp.std()),
            "in_proj_xavier_std": math.sqrt(2 / (D_MODEL + 3 * D_MODEL)),
            "layers_differ": float((l1.linear1.weight - l0.linear1.weight).abs().max()) > 0,
            "norm_weight_all_one": bool((l0.norm1.weight == 1).all()),
        },
        "src": [
            source("torch", "torch/nn/modules/transformer.py", "self._reset_parameters()"),
            source("torch", "torch/nn/modules/transformer.py", "xavier_uniform_(p)", "def _reset_parameters"),
        ],
    }


def measure_keras_shared() -> dict:
    import keras
    import numpy as np

    k = lambda v: np.asarray(keras.ops.convert_to_numpy(v))  # noqa: E731
    keras.utils.set_random_seed(0)

    def pair(init_a, init_b):
        a, b = (
            keras.layers.Dense(64, kernel_initializer=init_a),
            keras.layers.Dense(64, kernel_initializer=init_b),
        )
        a.build((None, 64))
        b.build((None, 64))
        return float(np.abs(k(a.kernel) - k(b.kernel)).max())

    unseeded = keras.initializers.GlorotUniform()
    seeded = keras.initializers.GlorotUniform(seed=42)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        res = {
            "shared_unseeded_instance": pair(unseeded, unseeded),
            "shared_seeded_instance": pair(seeded, seeded),
            "two_unseeded_instances": pair(
                keras.initializers.GlorotUniform(), keras.initializers.GlorotUniform()
            ),
            "string_name": pair("glorot_uniform", "glorot_uniform"),
        }
    # does Keras warn that the shared instance repeats itself? (any warning naming the seed)
    res["seed_warnings"] = sorted({str(x.message)[:200] for x in w if "seed" in str(x.message).lower()})
    return {
        "measured": res,
        "src": [
            source(
                "keras", "keras/src/initializers/random_initializers.py", "seed = random.make_default_seed()"
            ),
            source(
                "keras", "keras/src/random/seed_generator.py", "return python_random.randint(1, int(1e9))"
            ),
            source(
                "keras",
                "keras/src/random/seed_generator.py",
                "return convert_to_tensor([seed, 0], dtype=dtype)",
            ),
        ],
    }


def measure_keras_3d() -> dict:
    import math

    import keras
    import numpy as np

    init = keras.initializers.GlorotUniform(seed=0)
    w3 = np.asarray(keras.ops.convert_to_numpy(init((3, D_MODEL, D_MODEL))))
    w2 = np.asarray(keras.ops.convert_to_numpy(init((D_MODEL, D_MODEL))))
    return {
        "measured": {
            "shape": [3, D_MODEL, D_MODEL],
            "std_3d": float(w3.std()),
            "std_2d": float(w2.std()),
            "glorot_2d_std": math.sqrt(2 / (2 * D_MODEL)),
            "conv_fans_std": math.sqrt(2 / (2 * 3 * D_MODEL)),
        },
        "src": [
            source(
                "keras", "keras/src/initializers/random_initializers.py", "# Assuming convolution kernels"
            ),
            source(
                "keras",
                "keras/src/initializers/random_initializers.py",
                "fan_in = shape[-2] * receptive_field_size",
            ),
        ],
    }


TRAPS = {
    "recurrent-per-gate": measure_recurrent,
    "keras-forget-bias": measure_forget_bias,
    "torch-encoder-clones": measure_torch_encoder,
    "torch-transformer-xavier": measure_torch_transformer,
    "keras-shared-initializer": measure_keras_shared,
    "keras-3d-fans": measure_keras_3d,
}


def versions() -> dict:
    return {p: importlib.metadata.version(p) for p in ("torch", "keras", "jax", "flax")}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args(argv)
    out = {"about": __doc__.split("\n\n")[0], "checked_with": versions(), "traps": {}}
    for name, f in TRAPS.items():
        out["traps"][name] = r6(f())
        print(name, json.dumps(out["traps"][name]["measured"])[:300])
    if args.write:
        DATA.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
        print("wrote", DATA)
        return 0
    old = json.loads(DATA.read_text())
    problems = []
    for name, t in out["traps"].items():
        if t["src"] != old["traps"][name]["src"]:
            problems.append(f"{name}: source lines changed: {t['src']} vs {old['traps'][name]['src']}")
    for p in problems:
        print("MISMATCH", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
