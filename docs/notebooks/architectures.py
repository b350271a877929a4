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
# # Architectures and magic numbers: try it yourself
#
# This notebook reuses the code of the [architectures page](../architectures.md). Change the
# settings and re-run the cells: the residual-stream variance of a residual MLP under different
# inits, and `diagnose()` on an MLP of your choice.

# %%
import matplotlib.pyplot as plt
import numpy as np

from snippets._seeds import rng
from snippets.architectures._common import toy_task
from snippets.architectures.diagnose import diagnose
from snippets.architectures.residual import residual_forward, residual_init

# %% [markdown]
# ## Residual networks: variance vs depth
# Try other widths, or add your own scheme to `residual_init`.

# %%
n, B, depths = 64, 32, [1, 2, 4, 8, 16, 32]
fig, ax = plt.subplots(figsize=(5, 3.2), layout="constrained")
for scheme in ("plain He", "1/sqrt(L)", "Fixup", "zero last", "zero-γ"):
    ratios = []
    for L in depths:
        g = rng(0)  # the same draws for every scheme
        x0 = g.standard_normal((8, B, n))
        W1, W2, a = residual_init(g, L, n, scheme, seeds=8)
        xL = residual_forward(x0, W1, W2, a)[-1]
        ratios.append(np.median((xL**2).mean((1, 2)) / (x0**2).mean((1, 2))))
    ax.loglog(depths, ratios, marker="o", label=scheme)
ax.set_xlabel("residual blocks $L$")
ax.set_ylabel(r"$\mathrm{Var}(x_L) / \mathrm{Var}(x_0)$")
ax.legend()

# %% [markdown]
# ## Diagnose your own init
# Change `std` (the weight std multiplier on LeCun's) or the activation, and read the per-layer table
# and the initial-loss check: a good init starts near −ln(1/C).

# %%
std, act, sizes = 1.0, "tanh", [16, 64, 64, 64, 4]
X, Y = toy_task()
g = rng(1)
Ws = [g.standard_normal((a, b)) * std / np.sqrt(a) for a, b in zip(sizes[:-1], sizes[1:])]
rows, check = diagnose(Ws, [None] * len(Ws), X, Y, act=act)
for r in rows:
    print({k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()})
print(check)
