"""From a parsed model to the doctor's ops, with each framework's default initialization.
Twin of docs/assets/doctor/doctor.js (lowering part).

The variances come from data/framework_defaults.json (see :func:`check_rules` in
``snippets/doctor/__init__.py``, which tests that these rules reproduce that table).
"""

from __future__ import annotations

import math

from snippets.doctor.parse import DoctorError

# --8<-- [start:rules]
# Weight variance of each framework's default, for a layer with fan_in / fan_out (receptive field
# included). PyTorch: U(+-1/sqrt(fan_in)) has variance 1/(3 fan_in); Keras: glorot_uniform.
RULES = {
    "torch": {
        "dense": lambda fi, fo: 1.0 / (3.0 * fi),
        "bias": lambda fi, fo: 1.0 / (3.0 * fi),
        "embed": 1.0,
    },
    "keras": {
        "dense": lambda fi, fo: 2.0 / (fi + fo),
        "bias": lambda fi, fo: 0.0,
        "embed": 0.05 * 0.05 / 3.0,
    },
}
# --8<-- [end:rules]
ACTS = {
    "ReLU": "relu",
    "GELU": "gelu",
    "SiLU": "silu",
    "Tanh": "tanh",
    "Sigmoid": "sigmoid",
    "LeakyReLU": "leaky_relu",
}
PASS = {"Identity", "Flatten", "Permute", "Unflatten", "Softmax", "LogSoftmax"}


def ntuple(v, n, default):
    if v is None:
        return [default] * n
    if isinstance(v, list):
        return [int(x) for x in v] if len(v) == n else [int(v[0])] * n
    return [int(v)] * n


def conv_dim(n, k, s, p, d):
    """Output length and the number of (output, tap) pairs that land inside the input."""
    n_out = (n + 2 * p - d * (k - 1) - 1) // s + 1
    valid = 0
    for o in range(n_out):
        for j in range(k):
            x = o * s - p + j * d
            if 0 <= x < n:
                valid += 1
    return n_out, valid


class Lowering:
    """State while turning a model into ops: the ops, notes, the shape (channels, spatial, T)."""

    def __init__(self, fw, shape):
        self.fw, self.ops, self.notes, self.layers = fw, [], [], []
        self.spatial, self.T = None, None
        self.shape = shape
        self.sstack = []
        self.calls = {}

    def emit(self, op, name=None, line=None, label=None, info=None):
        if name is not None:
            k = self.calls.get(name, 0) + 1
            self.calls[name] = k
            op["name"] = name if k == 1 else f"{name}@{k}"
        op["line"] = line
        if label:
            op["label"] = label
        if info:
            op["info"] = info
        self.ops.append(op)
        return op

    def note(self, line, text):
        self.notes.append({"line": line, "text": text})

    def push(self):
        self.emit({"t": "push"})
        self.sstack.append((self.spatial, self.T))

    def swap(self):
        self.emit({"t": "swap"})
        top = self.sstack.pop()
        self.sstack.append((self.spatial, self.T))
        self.spatial, self.T = top

    def add(self, name=None, line=None):
        self.emit({"t": "add"}, name, line)
        self.sstack.pop()

    def dense(self, name, line, label, fin, fout, w, b, init, fwc=1.0, bwc=1.0, bm=0.0):
        op = {"t": "dense", "fin": fin, "fout": fout, "w": w, "b": b, "bm": bm, "fwc": fwc, "bwc": bwc}
        info = {"fan_in": fin, "fan_out": fout, "std": math.sqrt(w), "init": init}
        self.layers.append({"kind": label, "name": name, "line": line, "init": init, "w": w, "fin": fin})
        return self.emit(op, name, line, label, info)

    def conv(self, name, line, label, cin, cout, k, s, p, d, groups, w_of, b_of, init, transposed=False):
        fin = cin // groups
        kk = 1
        for x in k:
            kk *= x
        if transposed:  # each output sums C_in k/s taps; each input feeds C_out k outputs; borders ignored
            ks = 1.0
            for i in range(len(k)):
                ks *= k[i] / s[i]
            if self.spatial and len(self.spatial) == len(k):
                self.spatial = [
                    (self.spatial[i] - 1) * s[i] - 2 * p[i] + d[i] * (k[i] - 1) + 1 for i in range(len(k))
                ]
            w = w_of(cout // groups * kk, cin // groups * kk)
            return self.dense(
                name, line, label, fin * ks, cout // groups * kk, w, b_of(cout // groups * kk, 0), init
            )
        fwc = bwc = 1.0
        if self.spatial and len(self.spatial) == len(k):
            out = []
            for i in range(len(k)):
                n_out, valid = conv_dim(self.spatial[i], k[i], s[i], p[i], d[i])
                fwc *= valid / (n_out * k[i])
                bwc *= valid / (self.spatial[i] * k[i])
                out.append(n_out)
            self.spatial = out
        w = w_of(fin * kk, cout * kk // groups)
        return self.dense(
            name, line, label, fin * kk, cout * kk // groups, w, b_of(fin * kk, cout * kk), init, fwc, bwc
        )

    def pool(self, name, line, kind, k, s, p):
        kk, r = 1, 1.0
        for x in k:
            kk *= x
        if self.spatial and len(self.spatial) == len(k):
            out = []
            for i in range(len(k)):
                n_out = (self.spatial[i] + 2 * p[i] - k[i]) // s[i] + 1
                r *= n_out / self.spatial[i]
                out.append(n_out)
            self.spatial = out
        else:
            for i in range(len(k)):
                r /= s[i]
        self.emit({"t": kind, "k": kk, "r": r}, name, line, "MaxPool" if kind == "maxpool" else "AvgPool")

    def rnn(self, name, line, label, cell, fin, H, layers, bidir, w_ih, w_hh, b, bf, init, last=False):
        dirs = 2 if bidir else 1
        for li in range(layers):
            op = {"t": "rnn", "cell": cell, "fin": fin if li == 0 else H * dirs, "H": H, "w_ih": w_ih(fin if li == 0 else H * dirs),
                  "w_hh": w_hh, "b": b, "bf": bf, "T": self.T or 1, "last": last and li == layers - 1}  # fmt: skip
            info = {"fan_in": op["fin"], "fan_out": H, "std": math.sqrt(op["w_ih"]), "init": init}
            self.layers.append({"kind": label, "name": name, "line": line, "init": init, "cell": cell})
            self.emit(op, name if li == layers - 1 else None, line, label, info)
        if not self.T:
            self.note(
                line, f"{label}: no sequence length given; assumed 1 step (give the input as batch x steps)"
            )


def need(node, key, pos=None):
    a = node["args"]
    if key in a:
        return a[key]
    if pos is not None and str(pos) in a:
        return a[str(pos)]
    raise DoctorError(f"line {node['line']}: `{node['type']}` needs `{key}`, which the line does not show")
