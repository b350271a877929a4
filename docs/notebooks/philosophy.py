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
# # Try it: the start chooses the solution
#
# This notebook reruns two experiments of the philosophy chapter with the site's own code
# (`snippets/philosophy/`). First a diagonal network $w = u \odot u - v \odot v$ fits 40
# noise-free points of a 5-sparse linear function in dimension 100, from $u = v = \alpha$: the
# smaller $\alpha$, the closer the answer to the sparse truth. Then the lazy-vs-rich experiment:
# how far a ReLU network's first layer travels, by init scale. Change `alphas`, `scales` or the
# seed and run it again.

# %%
import numpy as np

from snippets.philosophy import implicit, lazy

alphas = [1e-3, 1e-1, 1.0]  # try other init scales
seed = 0
X, w_true = implicit.sparse_problem(seed)
y = X @ w_true
w = implicit.diagonal_net(np.broadcast_to(X, (len(alphas),) + X.shape), y, np.array(alphas)[:, None])
pinv = np.linalg.pinv(X) @ y
print(
    f"truth: l1 norm {np.abs(w_true).sum():.2f};  minimum-l2 interpolant: l1 norm {np.abs(pinv).sum():.2f}, "
    f"test error {((pinv - w_true) ** 2).sum():.3f}"
)
for a, wa in zip(alphas, w):
    print(
        f"alpha = {a:g}: train error {np.mean((X @ wa - y) ** 2):.1e}, l1 norm {np.abs(wa).sum():.2f}, "
        f"test error {((wa - w_true) ** 2).sum():.1e}"
    )

# %% [markdown]
# Lazy and rich: the relative movement of the first layer after 400 steps, with a step size
# that shrinks as the weights grow (so no scale diverges).

# %%
scales = [0.125, 1.0, 8.0]
X, y, Xt, yt, W1, w2 = (a[None] for a in lazy.problem(seed))
for s in scales:
    (A, a), (A0, a0), f0 = lazy.scaled_relu_fit(X, y, W1, w2, s)
    move = np.linalg.norm(A - A0) / np.linalg.norm(A0)
    print(
        f"scale {s:g}: first layer moved {move:.2e} of its norm; weights finite: {bool(np.isfinite(A).all())}"
    )

# %% [markdown]
# The chapter's figure, drawn by the same function the build uses:

# %%
from snippets._style import show  # noqa: E402

show(lazy.fig_lazy_rich)
