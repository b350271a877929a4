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
# # Try it: symmetry, and how fast it breaks
#
# This notebook reruns the symmetry chapter's experiments with the site's own code
# (`snippets/symmetry.py`). A 2-8-1 tanh network learns XOR (inputs $\pm 1$). From a constant
# start its hidden units stay bit-identical under any of the three optimizers; from a random start
# they fan out. Then a constant start plus noise of size $\varepsilon$: the smaller the noise, the
# longer the units take to separate. Change the constant `c`, the optimizer or the noise sizes and
# run it again.

# %%
import numpy as np
from IPython.display import SVG

from snippets import symmetry as s
from snippets._style import render_svg

c, opt = 0.5, "adam"  # try another constant, or "gd" / "momentum"
run = s.train(s.constant_init(1, c=c), opt=opt)
W1 = run["params"][0][0]
identical = bool((W1 == W1[0]).all())
print(f"constant {c}, {opt}: hidden rows identical after {s.STEPS} steps: {identical}")
print("best accuracy ever reached:", run["acc"].max())

# %%
rnd = s.train(s.random_init(16, seed=1))
print(f"random start: solved XOR on {np.mean(rnd['acc'][-1] == 1):.0%} of 16 seeds")

# %% [markdown]
# The chapter's figure, drawn by the same function the build uses:

# %%
SVG(render_svg(s.fig_trajectories))

# %% [markdown]
# Now break the symmetry by a little: constant init plus $\varepsilon\,\mathcal N(0, 1)$ on every
# weight. Near the symmetric start the spread between units grows by the same factor per step
# whatever $\varepsilon$ is, so the first factors of 10 in $\varepsilon$ each cost about the same
# number of extra steps. The later ones cost more and more (in the chapter, the sixth decade costs
# several times the first): the growth rate fades as the tied network settles towards its best
# one-unit solution, and a tiny enough $\varepsilon$ never escapes within the budget.

# %%
epsilons = np.array([1e-2, 1e-4, 1e-6, 1e-8])
spread, solved, eps = s.epsilon_run(epsilons, seeds=5, steps=1500)
print("steps to solve XOR, 5 seeds each (-1: not within 1500 steps)")
# the median cost per decade grows: compare the gaps between the rows
for e in epsilons:
    print(f"eps = {e:.0e}: {solved[eps == e].tolist()}")
