"""Embeddings: small embeddings against LayerNorm's 1/σ Jacobian, tied readouts, position embeddings."""

from __future__ import annotations

import math

import numpy as np

from snippets import claim
from snippets._seeds import rng
from snippets.practice._common import layernorm
from snippets.practice.recipes import layernorm_jacobian_norm

EXPERIMENT = 1531
D, V, TOKENS = 768, 4096, 16


@claim(
    "practice.ln-jacobian",
    "At embedding std 0.02 (d = 768, ε = 10⁻⁵) the first LayerNorm's Jacobian has "
    "spectral norm 1/√(σ² + ε) ≈ 49, so it multiplies small input perturbations by about 49.",
)
def ln_jacobian():
    r = rng(EXPERIMENT, 0)
    x = 0.02 * r.standard_normal((TOKENS, D))
    norms = [layernorm_jacobian_norm(t) for t in x]
    return {
        "median": float(np.median(norms)),
        "min": float(min(norms)),
        "max": float(max(norms)),
        "predicted": 1 / math.sqrt(0.02**2 + 1e-5),
        "one_over_sigma": 50.0,
        "tokens": TOKENS,
    }


# --8<-- [start:tied]
def tied_self_logit(sigma, r):
    """Logit a tied readout gives the input token itself, reading LayerNorm(embedding)."""
    E = sigma * r.standard_normal((V, D))
    tok = r.integers(0, V, TOKENS)
    logits = layernorm(E[tok]) @ E.T
    return float(np.median(logits[np.arange(TOKENS), tok])), logits


# --8<-- [end:tied]


@claim(
    "practice.tied-readout",
    "A tied readout that reads the normalized embedding gives the input token a "
    "logit of about σ·d: 15 at σ = 0.02 and d = 768, far above ln V, so the initial loss is far above ln V "
    "until the blocks move the stream away from the embedding.",
)
def tied_readout():
    r = rng(EXPERIMENT, 1)
    self_logit, logits = tied_self_logit(0.02, r)
    z = logits - logits.max(1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(1, keepdims=True))
    loss = float(-logp[np.arange(TOKENS), r.integers(0, V, TOKENS)].mean())
    return {"self_logit": self_logit, "sigma_d": 0.02 * D, "loss": loss, "ln_v": math.log(V)}


@claim(
    "practice.position-share",
    "GPT-2's position embeddings (std 0.01) next to its token embeddings (0.02) "
    "make up a fifth of the first block's input variance.",
)
def position_share():
    r = rng(EXPERIMENT, 2)
    tokens, pos = 0.02 * r.standard_normal((1024, D)), 0.01 * r.standard_normal((1024, D))
    return {"share": float(pos.var() / (tokens + pos).var()), "predicted": 0.01**2 / (0.01**2 + 0.02**2)}
