"""The Init Doctor (docs/doctor.md): paste a model, see what its initialization does to it.

``analyze(text, shape)`` reads PyTorch ``print(model)``, a Keras ``model.summary()`` or a Hugging Face
``config.json``, and returns the per-layer table (fan-in, fan-out, default init, predicted forward
second moment and backward gradient scale), the predicted initial loss, the traps found and their
fixes. docs/assets/doctor/doctor.js does the same in the browser; tests/doctor/ checks both against
each other and against fixtures measured by the frameworks (data/doctor_fixtures/).
"""

from __future__ import annotations

import math

from snippets.doctor.core import backward, forward, initial_loss
from snippets.doctor.others import lower_hf, lower_keras
from snippets.doctor.parse import DoctorError, detect, parse_hf, parse_input_shape, parse_keras, parse_torch
from snippets.doctor.torchnet import lower_torch
from snippets.doctor.traps import find_traps

__all__ = ["DoctorError", "analyze"]


def analyze(text, shape=""):
    """The doctor's whole answer for a pasted model (a dict of plain values, like the JS returns)."""
    kind = detect(text)
    dims = parse_input_shape(shape) if shape and shape.strip() else None
    unread = []
    if kind == "torch":
        root, unread = parse_torch(text)
        L = lower_torch(root, dims)
    elif kind == "keras":
        rows, unread = parse_keras(text)
        L = lower_keras(rows, dims)
    else:
        L = lower_hf(parse_hf(text), dims)
    ops = L.ops
    if not any(op["t"] in ("dense", "embed", "rnn") for op in ops):
        raise DoctorError(
            "no layer with weights found (Linear, Conv, Embedding, LSTM, Dense, ...): nothing to analyse"
        )
    fw = forward(ops, {"q": 1.0, "mu": 0.0, "c": 0.0})
    g = backward(ops, fw)
    rows = []
    for i, op in enumerate(ops):
        if "name" not in op:
            continue
        gi = g[i]
        if gi is not None and "pack" in op:
            gi = gi * op["pack"]
        info = op.get("info", {})
        rows.append({"name": op["name"], "layer": op.get("label", op["t"]), "line": op.get("line"),
                     "fan_in": info.get("fan_in"), "fan_out": info.get("fan_out"), "std": info.get("std"),
                     "init": info.get("init", ""), "q": fw[i]["out"]["q"], "g": gi})  # fmt: skip
    last = fw[-1]["out"]["q"]
    n_out = next((op["fout"] for op in reversed(ops) if op["t"] == "dense"), None)
    loss = None
    if n_out and n_out > 1:
        loss = {"q": last, "classes": n_out, "ln_c": math.log(n_out), "predicted": initial_loss(last, n_out)}
    traps = find_traps(L, fw, loss)
    return {"format": kind, "family": getattr(L, "family", ""), "rows": rows, "loss": loss, "traps": traps,
            "notes": L.notes, "unread": unread + getattr(L, "unknown", []), "n_ops": len(ops)}  # fmt: skip
