"""Width and precision: the spectral view of a wide-to-narrow readout, and unit scaling (N(0, 1)
weights with the 1/√fan_in moved into the operation)."""

from __future__ import annotations

import math

import numpy as np

from snippets import claim
from snippets._seeds import over_blocks, rng, seed_block
from snippets.practice._common import round_fp8_e4m3

EXPERIMENT = 1521
FAN_IN, FAN_OUT, BLOCKS = 4096, 10, 5


# --8<-- [start:spectral]
def spectral_excess(r):
    """‖W‖₂ of a fan_in → fan_out readout drawn at std 1/√fan_in, over the spectral
    condition's √(fan_out/fan_in) (Yang, Simon & Bernstein 2023)."""
    W = r.standard_normal((FAN_OUT, FAN_IN)) / math.sqrt(FAN_IN)
    return np.linalg.norm(W, 2) / math.sqrt(FAN_OUT / FAN_IN)


# --8<-- [end:spectral]


@claim(
    "practice.spectral-readout",
    "A 4096 → 10 readout drawn at 1/√fan_in has a spectral norm about 21 times "
    "the √(fan_out/fan_in) that the spectral condition asks for.",
)
def spectral_readout():
    v = over_blocks(
        lambda b: {
            "ratio": float(np.median([spectral_excess(rng(EXPERIMENT, s)) for s in seed_block(b, 4)]))
        },
        BLOCKS,
    )
    theory = (1 + math.sqrt(FAN_OUT / FAN_IN)) / math.sqrt(FAN_OUT / FAN_IN)
    return {
        "ratio": v["ratio"],
        "ratio_min": v["ratio_min"],
        "ratio_max": v["ratio_max"],
        "blocks": BLOCKS,
        "theory": theory,
    }


# --8<-- [start:unit_scaling]
def unit_scaled(x, W):
    """Unit scaling: the weight is N(0, 1); the op divides by √fan_in."""
    return x @ W / math.sqrt(W.shape[0])


# --8<-- [end:unit_scaling]


@claim(
    "practice.unit-scaling",
    "Unit scaling computes the same function as a 1/√fan_in init, but its N(0, 1) "
    "weights survive FP8-E4M3: unscaled, 5% of the 1/√4096-scaled weights round to zero against 0.08% of "
    "the unit-scaled ones.",
)
def unit_scaling():
    r = rng(EXPERIMENT, 1)
    x, W = r.standard_normal((64, FAN_IN)), r.standard_normal((FAN_IN, 256))
    same = np.abs(unit_scaled(x, W) - x @ (W / math.sqrt(FAN_IN))).max()
    return {
        "max_diff": float(same),
        "same_function": bool(same < 1e-12),
        "zero_scaled": float((round_fp8_e4m3(W / math.sqrt(FAN_IN)) == 0).mean()),
        "zero_unit": float((round_fp8_e4m3(W) == 0).mean()),
        "n": W.size,
    }
