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
# # Try it: how small should the initial weights be?
#
# This notebook reruns the scale chapter's key experiment with the site's own code
# (`snippets/scale.py`): a signal goes through 50 fully connected layers whose weights have a fixed
# standard deviation, and we watch the RMS of the pre-activations. Only the derived scale,
# gain / √fan_in, keeps it alive; the dashed lines are the variance recursion
# $q_l = n\,\sigma^2\,\mathbb{E}[\phi(z)^2]$, $z \sim \mathcal{N}(0, q_{l-1})$.
#
# Change `WIDTH`, `STDS` or the activation and run it again: the recursion predicts every curve.

# %%
import matplotlib.pyplot as plt
import numpy as np

from snippets import scale
from snippets._seeds import rng

WIDTH, DEPTH, SEEDS, BATCH = 256, 50, 4, 16
STDS = [0.01, 0.1, 1.0]

r = rng(0)  # the site's seeded generator (SEED_OFFSET shifts it)
bank = r.standard_normal((SEEDS, DEPTH, WIDTH, WIDTH), dtype=np.float32)  # unit-variance weights
z0 = r.standard_normal((SEEDS, WIDTH, BATCH))  # inputs, treated as pre-activations
top = r.standard_normal((SEEDS, WIDTH, BATCH))  # dLoss/dz at the top layer

fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), layout="constrained")
for ax, act in zip(axes, ["tanh", "relu"]):
    phi, dphi = scale.ACTIVATIONS[act]
    derived = scale.gain(phi) / np.sqrt(WIDTH)
    for std in STDS + [derived]:
        q, _ = scale.propagate(phi, dphi, bank, std, z0, top, backward=False)
        line = ax.plot(np.sqrt(q.mean(0)), label=f"std {std:.3g}")[0]
        rec = scale.forward_recursion(phi, WIDTH * std**2, DEPTH)
        ax.plot(np.sqrt(rec), ls="--", lw=1, color=line.get_color())
    ax.set_yscale("log")
    ax.set_ylim(1e-30, 1e30)
    ax.set_title(f"{act}, width {WIDTH}")
    ax.set_xlabel("layer")
    ax.legend(fontsize="small")
axes[0].set_ylabel("RMS of the pre-activations")
plt.show()

# %% [markdown]
# ## The gain of each activation
#
# The gain $g$ solves $g^2\,\mathbb{E}[\phi(z)^2] = 1$ for $z \sim \mathcal{N}(0, 1)$, so that
# $\mathrm{Var}[w] = g^2/\text{fan\_in}$ keeps the second moment at 1 from layer to layer. The
# chapter computes it by Gauss–Hermite quadrature; PyTorch's `calculate_gain` constants are beside it.

# %%
for name, (phi, _) in scale.ACTIVATIONS.items():
    torch_gain = scale.TORCH_GAINS[name]
    print(
        f"{name:11s} computed {scale.gain(phi):.4f}   PyTorch {'—' if torch_gain is None else f'{torch_gain:.4f}'}"
    )

# %% [markdown]
# ## How small, in numbers
#
# The recommended standard deviation for a few fan-ins (a square layer for Glorot):

# %%
for n in [64, 256, 784, 1024, 4096]:
    r = scale.recommended_std(n)
    print(f"fan_in {n:5d}:  LeCun {r['lecun']:.4f}   Glorot {r['glorot']:.4f}   He {r['he']:.4f}")
