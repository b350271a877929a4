"""CNNs: the fan of a convolution is C_in·k_h·k_w; transposed convolutions sum C_in·k²/s² terms."""

from __future__ import annotations

import functools

import numpy as np

from snippets import claim, figure
from snippets._seeds import over_blocks, rng
from snippets._style import COLORS
from snippets.architectures._common import EXP, LINES, MARKERS, fig_axes

BLOCKS, PER_BLOCK = 5, 16  # 80 seeds, in 5 independent blocks (16 keep each block within ±6%)


# --8<-- [start:conv]
def conv2d(x, w):
    """'same'-padded stride-1 convolution. x: [S, C_in, H, W]; w: [S, C_out, C_in, k, k]."""
    k = w.shape[-1]
    p = k // 2
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    H, W = x.shape[-2:]
    out = 0.0
    for i in range(k):
        for j in range(k):
            out = out + np.einsum("schw,soc->sohw", xp[:, :, i : i + H, j : j + W], w[:, :, :, i, j])
    return out


def conv_transpose2d(x, w, stride):
    """Transposed convolution. x: [S, C_in, H, W]; w: [S, C_in, C_out, k, k] (PyTorch's layout)."""
    S, _, H, W = x.shape
    k = w.shape[-1]
    out = np.zeros((S, w.shape[2], (H - 1) * stride + k, (W - 1) * stride + k))
    for i in range(k):
        for j in range(k):
            out[:, :, i : i + stride * H : stride, j : j + stride * W : stride] += np.einsum(
                "schw,sco->sohw", x, w[:, :, :, i, j]
            )
    return out


# --8<-- [end:conv]

FANS = (("fan_in = C_in·k_h·k_w", 9), ("fan_in = C_in (kernel forgotten)", 1))


@functools.cache
def conv_depth_experiment(block=0, channels=16, k=3, depth=8, size=12, seeds=PER_BLOCK):
    """Activation second moment through a ReLU conv stack, He with fan_in = C·k² vs fan_in = C.
    Both arms use the same input and the same standard-normal draws (common random numbers)."""
    g = rng(EXP["conv"], block)
    x0 = g.standard_normal((seeds, channels, size, size))
    Z = [g.standard_normal((seeds, channels, channels, k, k)) for _ in range(depth)]
    out = {}
    for name, window in FANS:
        x, q = x0, []
        for z in Z:
            y = conv2d(x, z * np.sqrt(2 / (channels * window)))
            q.append(float((y[:, :, k:-k, k:-k] ** 2).mean()))  # away from the zero padding
            x = np.maximum(y, 0.0)
        out[name] = np.array(q)
    return out


def _per_layer(q):
    return float(np.exp(np.mean(np.diff(np.log(q)))))


@claim(
    "architectures.conv-fan-in",
    "He init with fan_in = C_in·k_h·k_w keeps a ReLU conv stack's activations at unit scale (per-layer factor "
    "within 10% of 1, median over 5 seed blocks; every block within 15%); using fan_in = C_in multiplies the "
    "second moment by about k_h·k_w = 9 per layer (same tolerances).",
)
def conv_fan_in():
    def measure(b):
        right, wrong = conv_depth_experiment(b).values()
        return {"right_per_layer": _per_layer(right), "wrong_per_layer": _per_layer(wrong)}

    return over_blocks(measure, BLOCKS)


@functools.cache
def convtranspose_experiment(block=0, c_in=16, c_out=16, k=4, stride=2, seeds=16):
    """Output variance of a transposed conv with unit-variance input and weights: the number of terms."""
    g = rng(EXP["convtranspose"], block)
    x = g.standard_normal((seeds, c_in, 10, 10))
    w = g.standard_normal((seeds, c_in, c_out, k, k))
    y = conv_transpose2d(x, w, stride)[:, :, k:-k, k:-k]  # interior: full overlap
    return float((y**2).mean())


@claim(
    "architectures.convtranspose-fan",
    "In a transposed convolution each output sums C_in·k²/s² terms (measured within 5% in every seed block), "
    "not C_in·k²; PyTorch computes the fan_in of its (C_in, C_out, k, k) weight as C_out·k².",
)
def convtranspose_fan():
    out = over_blocks(lambda b: {"measured_terms": convtranspose_experiment(b)}, BLOCKS)
    return {**out, "c_in_k2_over_s2": 16 * 16 / 4, "torch_fan_in": 16 * 16, "c_in_k2": 16 * 16}


@figure(
    "architectures/conv-fan",
    alt="Top: log plot of activation second moment over 8 conv layers; with fan_in = C·k² it stays near 1, with "
    "fan_in = C it grows about ninefold per layer. Bottom: bar chart of the number of terms per transposed-conv "
    "output: measured equals C_in·k²/s² = 64, against C_in·k² = 256 and PyTorch's C_out·k² = 256.",
    caption="CNN fans. Top: a 3×3 ReLU conv stack (16 channels) under He init with the right and a wrong fan_in "
    "(one seed block). Bottom: terms summed per output of a stride-2, 4×4 transposed convolution.",
)
def fig_conv_fan():
    r = conv_depth_experiment()
    t = convtranspose_fan()
    fig, (a, b) = fig_axes(2, height=2.8)
    for (name, q), c, ls, m in zip(r.items(), COLORS, LINES, MARKERS):
        a.semilogy(np.arange(1, len(q) + 1), q, marker=m, ms=4, color=c, ls=ls)
        label = r"fan$_{in} = C_{in} k_h k_w$" if "k_w" in name else r"fan$_{in} = C_{in}$"
        a.annotate(label, (len(q), q[-1]), xytext=(-6, 10), textcoords="offset points", ha="right", color=c)
    a.set_xticks(range(1, 9))
    a.set_xlabel("conv layer $l$")
    a.set_ylabel(r"mean $z_l^2$")
    labels = ["measured", r"$C_{in}k^2/s^2$", r"$C_{in}k^2$", "PyTorch\n" + r"$C_{out}k^2$"]
    vals = [t["measured_terms"], t["c_in_k2_over_s2"], t["c_in_k2"], t["torch_fan_in"]]
    b.bar(labels, vals, color=[COLORS[0], COLORS[2], COLORS[6], COLORS[5]])
    b.set_ylabel("terms per output")
    return fig
