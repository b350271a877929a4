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
# # Try it: a constant start vs a random start
#
# This notebook reruns the home page's experiment with the site's own code (`snippets/index.py`).
# A 2-8-1 tanh network learns XOR by gradient descent. From a constant start its hidden units
# receive identical gradients, so they stay identical; from a random start with standard deviation
# $1/\sqrt{n_\text{in}}$ they differentiate. Change the seed count, the constant or the step count
# and run it again.

# %%
import numpy as np

from snippets import index

params, losses, _ = index.train_xor(*index.constant_init(seeds=1), steps=1000)
W1 = params[0][0]
print("constant start, hidden rows identical:", bool((W1 == W1[0]).all()))
print("accuracy:", index.accuracy(params)[0])

# %%
params, losses, _ = index.train_xor(*index.random_init(seeds=16), steps=2000)
acc = index.accuracy(params)
print(f"random start: solved XOR on {np.mean(acc == 1):.0%} of {len(acc)} seeds")

# %% [markdown]
# The site's figure, drawn by the same function the build uses:

# %%
from snippets._style import show

show(index.fig_hidden_trajectories)
