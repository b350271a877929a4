"""Transformers: GPT-2's std 0.02 and its 1/sqrt(N) residual projections, across depth; embeddings."""

from __future__ import annotations

import functools
import math

import numpy as np

from snippets import claim, figure
from snippets._seeds import rng
from snippets._style import COLORS
from snippets.architectures._common import EXP, LINES, MARKERS, block_stats, fig_axes

BLOCKS, PER_BLOCK = 5, 4  # 20 seeds in 5 independent blocks


# --8<-- [start:gpt]
def gelu(z):
    return 0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z * z * z)))


def layernorm(x):
    return (x - x.mean(-1, keepdims=True)) / x.std(-1, keepdims=True)


def gpt_block(x, W_qkv, W_o, W_fc, W_proj, proj_scale=1.0):
    """One pre-LN block on x [S, T, d]; returns the stream and the two branch outputs."""
    T, d = x.shape[1:]
    q, k, v = np.split(layernorm(x) @ W_qkv, 3, axis=-1)
    s = q @ k.mT / np.sqrt(d) + np.triu(np.full((T, T), -np.inf), 1)  # causal mask
    p = np.exp(s - s.max(-1, keepdims=True))
    attn = (p / p.sum(-1, keepdims=True)) @ v @ W_o * proj_scale
    x = x + attn
    mlp = gelu(layernorm(x) @ W_fc) @ W_proj * proj_scale
    return x + mlp, attn, mlp


# --8<-- [end:gpt]


def gpt_weights(g, n_blocks, d=64, std=0.02, seeds=PER_BLOCK):
    """Per block: W_qkv [S, d, 3d], W_o [S, d, d], W_fc [S, d, 4d], W_proj [S, 4d, d], all N(0, std²)."""
    shapes = ((d, 3 * d), (d, d), (d, 4 * d), (4 * d, d))
    return [[g.standard_normal((seeds, *s)) * std for s in shapes] for _ in range(n_blocks)]


GPT_DEPTHS = (2, 4, 8, 16, 32, 64)
GPT_ARMS = ("std 0.02 everywhere", "GPT-2: projections × 1/√N", "projections zero-init")


def _mean_cos(x):
    """Mean cosine similarity between the centred stream vectors of different tokens, per seed."""
    u = x - x.mean(-1, keepdims=True)
    u = u / np.linalg.norm(u, axis=-1, keepdims=True)
    c = u @ u.mT
    T = x.shape[1]
    return (c.sum((1, 2)) - T) / (T * (T - 1))


@functools.cache
def gpt_experiment_all(T=16, d=64):
    """Stream variance relative to the embedding after N blocks; block k is the same in every model.
    All seed blocks run at once (seeds of block b are rows 4b..4b+3, drawn from rng(EXP, b))."""
    x0, blocks = [], []
    for b in range(BLOCKS):
        g = rng(EXP["gpt"], b)
        x0.append(g.standard_normal((PER_BLOCK, T, d)) * 0.02)  # token + position embedding, std 0.02
        blocks.append(gpt_weights(g, max(GPT_DEPTHS), d))
    x0 = np.concatenate(x0)
    blocks = [
        [np.concatenate([blocks[b][k][j] for b in range(BLOCKS)]) for j in range(4)]
        for k in range(max(GPT_DEPTHS))
    ]
    v0 = (x0**2).mean((1, 2))
    res = {}
    # unscaled: one pass through all blocks, recording every block's increments
    x, trace = x0, {"var": [], "attn": [], "mlp": [], "cos": []}
    for W in blocks:
        x, a, m = gpt_block(x, *W)
        for k, val in (("var", x), ("attn", a), ("mlp", m)):
            trace[k].append((val**2).mean((1, 2)) / v0)
        trace["cos"].append(_mean_cos(x))
    res["trace"] = {k: np.array(v) for k, v in trace.items()}  # [blocks, S]
    res[GPT_ARMS[0]] = np.array([trace["var"][N - 1] for N in GPT_DEPTHS])
    for arm, scale in ((GPT_ARMS[1], lambda N: 1 / np.sqrt(2 * N)), (GPT_ARMS[2], lambda N: 0.0)):
        finals = []
        for N in GPT_DEPTHS:
            x = x0
            for W in blocks[:N]:
                x = gpt_block(x, *W, proj_scale=scale(N))[0]
            finals.append((x**2).mean((1, 2)) / v0)
        res[arm] = np.array(finals)  # [depths, S]
    return res


def gpt_experiment(block=0):
    """The results of one seed block (its 4 seeds)."""
    sl = slice(PER_BLOCK * block, PER_BLOCK * (block + 1))
    r = gpt_experiment_all()
    return {k: ({kk: vv[:, sl] for kk, vv in v.items()} if k == "trace" else v[:, sl]) for k, v in r.items()}


@claim(
    "architectures.gpt2-residual-scaling",
    "With std 0.02 everywhere, the variance of a pre-LN Transformer's residual stream grows faster than linearly "
    "with the number of blocks N (log-log slope of the added variance above 1.1 from 8 to 64 blocks); with "
    "GPT-2's 1/sqrt(N) scaling of the residual projections it stays within a factor 2 from 2 to 64 blocks, "
    "and with zero-initialised projections at exactly 1, in every seed block.",
)
def gpt2_scaling():
    per = []
    for b in range(BLOCKS):
        r = gpt_experiment(b)
        plain = np.median(r[GPT_ARMS[0]], 1)
        scaled = np.median(r[GPT_ARMS[1]], 1)
        i8 = GPT_DEPTHS.index(8)
        per.append(
            {
                "plain_N2": float(plain[0]),
                "plain_N32": float(plain[GPT_DEPTHS.index(32)]),
                "plain_N64": float(plain[-1]),
                "plain_over_N_N4": float((plain[1] - 1) / 4),
                "plain_over_N_N64": float((plain[-1] - 1) / 64),
                "superlinear_ratio": float(((plain[-1] - 1) / 64) / ((plain[1] - 1) / 4)),
                "plain_loglog_slope": float(
                    np.polyfit(np.log(GPT_DEPTHS[i8:]), np.log(plain[i8:] - 1), 1)[0]
                ),
                "scaled_N2": float(scaled[0]),
                "scaled_N64": float(scaled[-1]),
                "scaled_spread": float(scaled.max() / scaled.min()),
                "zero_init_max_dev": float(np.abs(r[GPT_ARMS[2]] - 1).max()),
            }
        )
    return block_stats(per)


@claim(
    "architectures.gpt2-superlinear-cause",
    "The unscaled growth is superlinear because the attention branch's contribution grows with depth: its "
    "per-block increment at block 64 is at least twice that at block 1 (and larger than at block 4), "
    "while the MLP branch's changes by less than a factor 2 from block 4 to 64, and the tokens' stream vectors become more similar (mean cosine rising above 0.5), "
    "so causal attention, which averages over tokens, stops averaging the noise away; in every seed block.",
)
def gpt2_superlinear_cause():
    per = []
    for b in range(BLOCKS):
        t = gpt_experiment(b)["trace"]
        a, m, c = (np.median(t[k], 1) for k in ("attn", "mlp", "cos"))
        per.append(
            {
                "attn_1": float(a[0]),
                "attn_4": float(a[3]),
                "attn_64": float(a[63]),
                "attn_growth": float(a[63] / a[3]),
                "attn_growth_from_1": float(a[63] / a[0]),
                "mlp_4": float(m[3]),
                "mlp_64": float(m[63]),
                "mlp_growth": float(m[63] / m[3]),
                "cos_1": float(c[0]),
                "cos_4": float(c[3]),
                "cos_64": float(c[63]),
            }
        )
    return block_stats(per)


@claim(
    "architectures.gpt2-std-vs-lecun",
    "GPT-2's std 0.02 is smaller than LeCun's 1/sqrt(d_model) for every GPT-2 size.",
)
def gpt2_std_vs_lecun():
    # d_model of GPT-2 small, medium, large, XL (Radford et al. 2019, Table 2)
    return {f"d{d}": 0.02 * math.sqrt(d) for d in (768, 1024, 1280, 1600)}


@figure(
    "architectures/gpt2",
    alt="Top: log-log plot of final residual-stream variance relative to the embedding against number of blocks "
    "from 2 to 64: with std 0.02 everywhere it rises faster than linearly; with GPT-2's scaled projections it "
    "stays near 2; with zero-initialised projections it stays at exactly 1. Bottom: per-block variance added by "
    "the attention and MLP branches against block index: the attention increment grows, the MLP increment is flat.",
    caption="Residual stream of a pre-LN Transformer at init (d_model 64, 16 tokens, median over 20 seeds). Top: "
    "variance relative to the embedding after N blocks. Bottom: what each branch adds per block, unscaled.",
)
def fig_gpt2():
    runs = [gpt_experiment(b) for b in range(BLOCKS)]
    fig, (a, b) = fig_axes(2, height=2.8)
    for arm, c, ls, mk in zip(GPT_ARMS, COLORS, LINES, MARKERS):
        v = np.median(np.concatenate([r[arm] for r in runs], 1), 1)
        a.loglog(GPT_DEPTHS, v, marker=mk, ms=4, color=c, ls=ls, label=arm)
    a.plot(GPT_DEPTHS, 1 + np.array(GPT_DEPTHS) * 2.0, color=COLORS[6], lw=1, ls=":", label="linear in N")
    a.set_xticks(GPT_DEPTHS, [str(n) for n in GPT_DEPTHS])
    a.minorticks_off()
    a.set_xlabel("blocks $N$")
    a.set_ylabel(r"$\mathrm{Var}(x_N) / \mathrm{Var}(x_0)$")
    a.legend(fontsize="small")
    for k, c, ls, dy in (("attn", COLORS[0], "-", -16), ("mlp", COLORS[5], "--", 8)):
        v = np.median(np.concatenate([r["trace"][k] for r in runs], 1), 1)
        n = np.arange(1, len(v) + 1)
        b.plot(n, v, color=c, ls=ls)
        b.annotate(
            "attention" if k == "attn" else "MLP",
            (n[-1], v[-1]),
            xytext=(-4, dy),
            textcoords="offset points",
            ha="right",
            color=c,
        )
    b.set_ylim(0, None)
    b.set_xticks([1, 16, 32, 48, 64])
    b.set_xlabel("block $l$")
    b.set_ylabel("variance added")
    return fig


# ------------------------------------------------------------------------------------------------
# embeddings: with a tied readout the scale sets the initial loss, through σ·d
# ------------------------------------------------------------------------------------------------
# --8<-- [start:embedding]
def tied_initial_loss(emb_std, g, vocab=512, d=128, B=64, seeds=4):
    """Initial next-token loss of logits = LayerNorm(E[token]) @ Eᵀ with random targets; [seeds]."""
    E = g.standard_normal((seeds, vocab, d)) * emb_std
    tok = g.integers(0, vocab, B)
    target = np.eye(vocab)[g.integers(0, vocab, B)]
    h = layernorm(E[:, tok])
    z = h @ E.mT  # the logit of the input token itself is about σ·d
    z = z - z.max(-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    return -(target * logp).sum(-1).mean(-1)


# --8<-- [end:embedding]

VOCAB = 512
EMB_DS = (64, 128, 768)
EMB_RATIOS = (0.25, 0.5, 1.0, 2.0, 4.0)  # σ·d / ln V


def _fw_emb_stds():
    from snippets.architectures.frameworks import embedding_scales

    s = embedding_scales()  # measured at 256 features; Flax's default is 1/sqrt(features)
    return {"torch": s["torch"], "keras": s["keras"], "flax": 1 / math.sqrt(128)}


@functools.cache
def embedding_loss(std, d, block):
    """Median initial loss over the 4 seeds of one block (the same draws for every std at a given d)."""
    return float(np.median(tied_initial_loss(std, rng(EXP["embedding"], d, block), vocab=VOCAB, d=d)))


@claim(
    "architectures.embedding-initial-loss",
    "With a tied readout (vocabulary 512, width 128), PyTorch's N(0, 1) and Flax's N(0, 1/d) default embeddings "
    "start the loss more than 1.5× above ln V, Keras's U(±0.05) within 10% of ln V, in every seed block.",
)
def embedding_initial_loss():
    stds = _fw_emb_stds()
    per = [{k: embedding_loss(s, 128, b) for k, s in stds.items()} for b in range(BLOCKS)]
    return {**block_stats(per), "lnV": float(np.log(VOCAB)), "flax_std": stds["flax"]}


@claim(
    "architectures.embedding-condition",
    "The initial loss of a tied readout depends on σ and d only through σ·d: for d = 64, 128 and 768 it is "
    "within 3% of ln V when σ·d = ln V/2 and about σ·d (within 5%) when σ·d ≥ 2 ln V; so GPT-2's σ = 0.02 at "
    "d = 768 (σ·d = 15.4) starts 2.5 times above ln 512.",
)
def embedding_condition():
    lnV = float(np.log(VOCAB))
    rel = {
        (r, d): float(np.median([embedding_loss(r * lnV / d, d, b) for b in range(BLOCKS)])) / lnV
        for r in EMB_RATIOS
        for d in EMB_DS
    }
    gpt = [embedding_loss(0.02, 768, b) for b in range(BLOCKS)]
    return {
        "lnV": lnV,
        "at_half_max_rel": max(abs(rel[0.5, d] - 1) for d in EMB_DS),
        "at_one": float(np.median([rel[1.0, d] for d in EMB_DS])),
        "large_max_rel_to_sd": max(abs(rel[r, d] / r - 1) for r in (2.0, 4.0) for d in EMB_DS),
        "gpt2_loss": float(np.median(gpt)),
        "gpt2_loss_min": float(min(gpt)),
        "gpt2_loss_max": float(max(gpt)),
        "gpt2_sigma_d": 0.02 * 768,
        "gpt2_over_lnV": float(np.median(gpt)) / lnV,
    }


@figure(
    "architectures/embedding",
    alt="Initial loss divided by ln V against sigma times d divided by ln V, on log axes, for widths 64, 128 and "
    "768: the three curves coincide, flat at 1 below about 0.5 and rising along the diagonal above 2. Markers show "
    "the PyTorch, Keras and Flax defaults at width 128.",
    caption="Initial loss of a tied-embedding readout (vocabulary 512, median over 20 seeds) against σ·d, both in "
    "units of ln V; markers: each framework's default std at d = 128.",
)
def fig_embedding():
    lnV = float(np.log(VOCAB))
    fig, ax = fig_axes(height=3.2)
    for d, c, ls, m in zip(EMB_DS, COLORS, LINES, MARKERS):
        v = [np.median([embedding_loss(r * lnV / d, d, b) for b in range(BLOCKS)]) / lnV for r in EMB_RATIOS]
        ax.loglog(EMB_RATIOS, v, color=c, ls=ls, marker=m, ms=4, label=f"$d = {d}$")
    for (k, s), c, m in zip(_fw_emb_stds().items(), COLORS[3:], "^vP"):
        x = s * 128 / lnV
        if x > 10:
            continue  # PyTorch's N(0, 1): σ·d / ln V = 20, off this scale
        y = np.median([embedding_loss(s, 128, b) for b in range(BLOCKS)]) / lnV
        ax.plot([x], [y], marker=m, color=c, ls="none", ms=8, label=f"{k} default")
    ax.set_xticks(EMB_RATIOS, [f"{r:g}" for r in EMB_RATIOS])
    ax.set_yticks([1, 2, 4], ["1", "2", "4"])
    ax.minorticks_off()
    ax.set_xlabel(r"$\sigma d / \ln V$")
    ax.set_ylabel(r"initial loss / $\ln V$")
    ax.legend(fontsize="small")
    return fig
