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
# This notebook reruns the home page's experiment with the site's own code: the symmetry
# chapter's XOR networks (`snippets/symmetry.py`, built on the toolkit `snippets/nn.py`). A 2-8-1
# tanh network learns XOR (inputs $\pm 1$) by gradient descent. From a constant start its hidden
# units receive identical gradients, so they stay identical; from a random start with standard
# deviation $1/\sqrt{n_\text{in}}$ they differentiate. Change the constant, the seed count or the
# step count and run it again.

# %%
from snippets import symmetry as s

run = s.train(s.constant_init(1, c=0.5), steps=1000)
W1 = run["params"][0][0]
print("constant start, hidden rows identical:", bool((W1 == W1[0]).all()))
print("best accuracy ever reached:", run["acc"].max())

# %%
run = s.train(s.random_init(16, seed=1), steps=2000)
solved = run["acc"][-1] == 1
print(f"random start: solved XOR on {solved.mean():.0%} of {len(solved)} seeds")

# %% [markdown]
# The site's figure, drawn by the same function the build uses:

# %%
from snippets import index
from snippets._style import show

show(index.fig_hidden_trajectories)
