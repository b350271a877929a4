"""Helpers shared by the practice chapter's modules (numpy only)."""

from __future__ import annotations

import numpy as np


def fd_grads(loss, params: dict[str, np.ndarray], eps: float = 1e-6) -> dict[str, np.ndarray]:
    """Central-difference gradient of ``loss(params)`` for every entry of every array.

    An entry that cannot reach the loss leaves it bit-for-bit unchanged, so its difference is
    exactly 0.0: this measures *structural* zeros exactly, which is what the atlas needs.
    """
    grads = {}
    for name, p in params.items():
        g = np.zeros_like(p)
        flat, gf = p.reshape(-1), g.reshape(-1)
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + eps
            up = loss(params)
            flat[i] = old - eps
            down = loss(params)
            flat[i] = old
            gf[i] = (up - down) / (2 * eps)
        grads[name] = g
    return grads


def layernorm(z, eps=1e-5):
    mu = z.mean(-1, keepdims=True)
    return (z - mu) / np.sqrt(z.var(-1, keepdims=True) + eps)


def softmax_xent(logits, y):
    """Mean cross-entropy of integer labels ``y`` [..., B] under ``logits`` [..., B, C]."""
    z = logits - logits.max(-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    return -np.take_along_axis(logp, y[..., None], -1)[..., 0].mean(-1)


def round_fp8_e4m3(x):
    """Round to the nearest FP8-E4M3 value (round half to even; saturate at ±448).

    E4M3 has 3 mantissa bits and exponent bias 7: normal numbers from 2^-6, subnormals with the
    fixed quantum 2^-9, so any |x| < 2^-10 rounds to zero.
    """
    x = np.asarray(x, dtype=np.float64)
    a = np.abs(x)
    e = np.floor(np.log2(np.where(a > 0, a, 1.0)))
    e = np.maximum(e, -6.0)  # below 2^-6 the spacing stays that of the subnormals
    q = 2.0 ** (e - 3)  # spacing of representable numbers at this exponent
    r = np.round(a / q) * q  # np.round rounds half to even
    return np.sign(x) * np.minimum(r, 448.0)


def round_bf16(x):
    """Round float32 values to bfloat16 (round to nearest even on the top 16 bits)."""
    f = np.asarray(x, dtype=np.float32)
    b = f.view(np.uint32).astype(np.uint64)
    b = (b + 0x7FFF + ((b >> 16) & 1)) & 0xFFFF0000
    return b.astype(np.uint32).view(np.float32)
