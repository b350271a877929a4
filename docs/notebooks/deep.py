# %% [markdown]
# # Deep networks: try it yourself
#
# This notebook reuses the code of the [deep networks page](../deep.md). Change the settings in the
# cells below and re-run them: the mean-field phase diagram of tanh networks, and the spectrum of the
# input-output Jacobian for orthogonal and Gaussian weights.

# %%
import matplotlib.pyplot as plt
import numpy as np

from snippets._seeds import rng
from snippets.deep._common import haar_orthogonal
from snippets.deep.meanfield import chi1, critical_sw2, q_star
from snippets.deep.pennington import jacobian_sq_singular_values, tanh_critical_point

# %% [markdown]
# ## The order-to-chaos phase diagram
# Colour is $\chi_1$; the black curve is the critical line $\chi_1 = 1$. Try another range of
# $\sigma_b^2$.

# %%
sw2 = np.linspace(0.5, 4.0, 40)
sb2 = np.linspace(0.0, 0.3, 25)
SW, SB = np.meshgrid(sw2, sb2)
X1 = chi1(SW, q_star(SW, SB, iters=200))
fig, ax = plt.subplots(figsize=(5, 3.5), layout="constrained")
im = ax.pcolormesh(sw2, sb2, X1, shading="auto", cmap="viridis")
ax.contour(sw2, sb2, X1, levels=[1.0], colors="k")
fig.colorbar(im, ax=ax, label=r"$\chi_1$")
ax.set_xlabel(r"$\sigma_w^2$")
ax.set_ylabel(r"$\sigma_b^2$")
print(f"critical sigma_w^2 at sigma_b^2 = 0.05: {critical_sw2(0.05):.3f}")

# %% [markdown]
# ## Jacobian singular values at criticality
# Tanh on the critical line with a small fixed point $q^*$; change `depth` or `q`.

# %%
q = 1 / 64
sw2_c, sb2_c = tanh_critical_point(q)
depth, width, seeds = 16, 64, 8
g = rng(0)
weights = {
    "orthogonal": haar_orthogonal(g, (seeds, depth), width),
    "gaussian": g.normal(0, 1 / np.sqrt(width), (seeds, depth, width, width)),
}
fig, ax = plt.subplots(figsize=(5, 3), layout="constrained")
for name, Ws in weights.items():
    (lam,) = jacobian_sq_singular_values(Ws, "tanh", sw2_c, sb2_c, q, depths=[depth], g=rng(1))
    ax.hist(
        np.log10(np.sqrt(np.clip(lam.ravel(), 1e-30, None))),
        bins=40,
        histtype="step",
        density=True,
        label=name,
    )
ax.set_xlabel(r"$\log_{10}$ singular value")
ax.legend()
