# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Initialization in practice: try it yourself
#
# This notebook reuses the code of the [practice page](../practice.md). First, put zeros where
# you like in a small residual branch and watch which gradients are non-zero at each step; then
# measure how often deep narrow ReLU networks are born dead.

# %%
import numpy as np

from snippets._seeds import rng as seeded
from snippets.practice._common import fd_grads
from snippets.practice.symptoms import collapsed

# %% [markdown]
# ## Which gradients are zero?
# A residual branch `x + relu(x W1) W2` followed by a readout `W3`. Set any of them to zero with
# `zero = {...}` and read, per step, which gradients are non-zero. Two zeros in a row never move.

# %%
zero = {"W1", "W2"}  # try {"W2"}, {"W3"}, {"W1", "W3"}
rng = seeded(0)
x = rng.standard_normal((16, 6))
t = np.tanh(x @ rng.standard_normal((6, 6)))
p = {
    k: (np.zeros((6, 6)) if k in zero else rng.standard_normal((6, 6)) / np.sqrt(6))
    for k in ("W1", "W2", "W3")
}


def loss(p):
    return float((((x + np.maximum(x @ p["W1"], 0) @ p["W2"]) @ p["W3"] - t) ** 2).mean())


for step in range(4):
    g = fd_grads(loss, p)
    print(step, {k: bool(np.any(v != 0)) for k, v in g.items()})
    for k in p:
        p[k] -= 0.1 * g[k]

# %% [markdown]
# ## Born dead: width against depth
# The fraction of He-initialized ReLU nets (zero biases) whose output is the same for every input.
# Try a positive `bias`.

# %%
bias = 0.0
for width in (2, 3, 4, 8):
    row = [collapsed(seeded(width, L), width, L, bias=bias).mean() for L in (5, 10, 20)]
    print(f"width {width}:", " ".join(f"{v:.0%}" for v in row))
