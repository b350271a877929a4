"""The initialization recipes that ship, read at their source (``data/recipes.json``), instantiated
at toy width in numpy and measured on the same columns.

The toy is a pre-norm residual stack at width ``TOY_D`` with the recipe's real depth: per block, a
token-wise linear branch (standing in for attention: value and output projections) and a GELU MLP
branch (width 4d); parameter-free LayerNorm; a readout over ``TOY_V`` tokens. Std formulas are
evaluated at the toy width for the toy columns, and at the real model's size for the precision
columns.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

import numpy as np

from snippets import claim, table
from snippets._seeds import rng
from snippets.practice._common import layernorm, round_bf16, round_fp8_e4m3, softmax_xent

DATA = Path(__file__).resolve().parents[2] / "data" / "recipes.json"
EXPERIMENT = 1502
TOY_D, TOY_V, TOKENS, SEEDS, LR = 128, 512, 64, 2, 1e-3
FP8_TINY = 2.0**-10  # |w| below this rounds to zero in FP8-E4M3 (half the smallest subnormal)


@functools.cache
def recipes() -> list[dict]:
    return json.loads(DATA.read_text(encoding="utf-8"))["recipes"]


def recipe(rid: str) -> dict:
    return next(r for r in recipes() if r["id"] == rid)


# --8<-- [start:std]
def std(formula: str, d: int, L: int, V: int, f: int, layer: int = 0) -> float:
    """Evaluate a std formula of data/recipes.json ("0.02/sqrt(2*L)", "d**-0.5", ...)."""
    env = {"sqrt": math.sqrt, "d": d, "L": L, "V": V, "f": f, "l": layer}
    return float(eval(formula, {"__builtins__": {}}, env))  # formulas come from our data file


# --8<-- [end:std]


def _gelu(z):
    return 0.5 * z * (1 + np.tanh(0.7978845608 * (z + 0.044715 * z**3)))


def _draw(r, shape, s, cut):
    w = r.standard_normal(shape)
    if cut:  # truncated normal by resampling, as torch's trunc_normal_ with a = -cut*s, b = cut*s
        bad = np.abs(w) > cut
        while bad.any():
            w[bad] = r.standard_normal(int(bad.sum()))
            bad = np.abs(w) > cut
    return w * s


def toy_measure(rid: str, seed: int) -> dict[str, float]:
    """Residual growth, initial loss - ln V and the first block's LayerNorm Jacobian at toy width."""
    spec, real = recipe(rid)["spec"], recipe(rid)["real"]
    d, L, V, f, cut = TOY_D, real["L"], TOY_V, 4 * TOY_D, spec.get("cut")
    r = rng(EXPERIMENT, seed)
    E = _draw(r, (V, d), std(spec["emb"], d, L, V, f), cut)
    tok = r.integers(0, V, TOKENS)
    x = E[tok]
    if "pos" in spec:
        x = x + _draw(r, (TOKENS, d), std(spec["pos"], d, L, V, f), cut)
    x0 = layernorm(x) if spec.get("emb_norm") else x
    jac = layernorm_jacobian_norm(x0[0])
    h = x0
    for layer in range(L):
        s_in = std(spec["in"], d, L, V, f, layer)
        s_out = 0.0 if spec["out"] == "zero" else std(spec["out"], d, L, V, f, layer)
        h = h + (layernorm(h) @ _draw(r, (d, d), s_in, cut)) @ _draw(r, (d, d), s_out, cut)
        h = h + _gelu(layernorm(h) @ _draw(r, (d, f), s_in, cut)) @ _draw(r, (f, d), s_out, cut)
    hn = layernorm(h)
    ro = spec["readout"]
    if ro.startswith("tied"):
        logits = hn @ E.T * (d**-0.5 if ro == "tied*d**-0.5" else 1.0)
    else:
        logits = hn @ _draw(r, (d, V), std(ro, d, L, V, f), cut)
    loss = float(softmax_xent(logits, r.integers(0, V, TOKENS)))
    return {"growth": float(h.var() / x0.var()), "excess_loss": loss - math.log(V), "ln_jacobian": jac}


def layernorm_jacobian_norm(x, eps=1e-5) -> float:
    """Spectral norm of the Jacobian of a parameter-free LayerNorm at ``x`` (one token), by
    finite differences of the function itself."""
    d, h = x.size, 1e-6
    J = np.empty((d, d))
    for i in range(d):
        e = np.zeros(d)
        e[i] = h
        J[:, i] = (layernorm(x + e, eps) - layernorm(x - e, eps)) / (2 * h)
    return float(np.linalg.norm(J, 2))


def real_stds(rid: str) -> dict[str, float]:
    """Every non-zero std of the recipe at its real size (the out-projection at its smallest)."""
    spec, real = recipe(rid)["spec"], recipe(rid)["real"]
    d, L, V, f = real["d"], real["L"], real["V"], real["f"]
    out = {k: std(spec[k], d, L, V, f) for k in ("emb", "in") if k in spec}
    if "pos" in spec:
        out["pos"] = std(spec["pos"], d, L, V, f)
    if spec["out"] != "zero":
        out["out"] = min(std(spec["out"], d, L, V, f, layer) for layer in range(L))
    if not spec["readout"].startswith("tied"):
        out["readout"] = std(spec["readout"], d, L, V, f)
    return out


def zero_fractions(s: float, cut, seed: int, n: int = 200_000) -> dict[str, float]:
    """Fraction of N(0, s^2) draws (cut at ±cut·s if given) that round to 0 in bf16 and FP8-E4M3."""
    w = _draw(rng(EXPERIMENT, 99, seed), n, s, cut).astype(np.float32)
    return {"bf16": float((round_bf16(w) == 0).mean()), "fp8": float((round_fp8_e4m3(w) == 0).mean())}


@functools.cache
def measure_all() -> dict[str, dict[str, float]]:
    out = {}
    for rc in recipes():
        runs = [toy_measure(rc["id"], s) for s in range(SEEDS)]
        row = {k: float(np.median([run[k] for run in runs])) for k in runs[0]}
        stds = real_stds(rc["id"])
        name, smin = min(stds.items(), key=lambda kv: kv[1])
        row.update(smallest=name, smallest_std=smin, adam_rel=LR / smin)
        row.update(zero_fractions(smin, rc["spec"].get("cut"), 0))
        row["has_zero"] = rc["spec"]["out"] == "zero"
        out[rc["id"]] = row
    return out


@table(
    "practice/recipes",
    caption=f"Each recipe instantiated in numpy. Toy columns at width {TOY_D} with the recipe's real depth "
    f"(median of {SEEDS} seeds): residual-stream variance after the last block over that of the input, "
    f"initial loss minus ln V (V = {TOY_V}), and the spectral norm of the first LayerNorm's Jacobian. "
    "Precision columns at the real model's size, for its smallest non-zero std (emb = embedding, "
    "out = residual output projection): Adam's first relative update lr/σ at lr = 10⁻³, and the "
    "fraction of weights that round to zero in bf16 and in FP8-E4M3 without scaling.",
)
def tbl_recipes():
    m = measure_all()
    header = [
        "recipe",
        "Var growth",
        "loss − ln V",
        "‖J_LN‖",
        "smallest σ (real size)",
        "lr/σ",
        "bf16 → 0",
        "FP8 → 0",
    ]
    rows = []
    for rc in recipes():
        v = m[rc["id"]]
        zero = " (+ zero c_proj)" if v["has_zero"] else ""
        rows.append(
            [
                rc["name"],
                f"{v['growth']:.3g}",
                f"{v['excess_loss']:+.2f}",
                f"{v['ln_jacobian']:.3g}",
                f"{v['smallest']} {v['smallest_std']:.2g}{zero}",
                f"{v['adam_rel']:.2g}",
                f"{v['bf16']:.0%}",
                f"{v['fp8']:.1%}",
            ]
        )
    return header, rows


@table(
    "practice/recipe-sources",
    caption="Where each recipe was read (repository@commit path:line, or "
    "document and page), with the line as read. The full list, with notes, is data/recipes.json.",
)
def tbl_sources():
    rows = []
    for rc in recipes():
        for s in rc["sources"]:
            quote = s["quote"].replace("`", "'").replace("|", "\\|")
            rows.append([rc["name"], f"`{s['where']}`", f"`{quote}`"])
    return ["recipe", "source", "as read"], rows


@claim("practice.bloom-std", "BLOOM's 0.0048 is √(1/(3·14336)), the 530B paper's formula at BLOOM's width.")
def bloom_std():
    s = std(recipe("bloom")["spec"]["in"], 14336, 70, 0, 0)
    return {"std": s, "readme_value": 0.00482197968631537, "launched": 0.0048}


@claim(
    "practice.pythia-from-config",
    "A Pythia-160M built from its Hugging Face config draws its residual "
    "output projections at 0.02, 3.3 times the 0.0060 of GPT-NeoX's wang_init.",
)
def pythia_from_config():
    wang = std(recipe("pythia")["spec"]["out"], 768, 12, 0, 0)
    return {"wang": wang, "hf": 0.02, "ratio": 0.02 / wang}


@claim(
    "practice.fp8-underflow",
    "Without scaling, FP8-E4M3 rounds to zero a fifth of GPT-2's scaled residual "
    "projections (0.02/√24) and nearly all of BLOOM's (0.0048/√140); bf16 rounds none of any recipe to zero.",
)
def fp8_underflow():
    m = measure_all()
    return {
        "gpt2": m["gpt2-hf"]["fp8"],
        "gpt2_std": m["gpt2-hf"]["smallest_std"],
        "bloom": m["bloom"]["fp8"],
        "bloom_std": m["bloom"]["smallest_std"],
        "bf16_none": all(v["bf16"] == 0 for v in m.values()),
    }


@claim(
    "practice.residual-scaling-growth",
    "At width 128 and 12 blocks, GPT-2's released init (0.02 everywhere) "
    "grows the residual stream's variance more than the paper's 0.02/√(2L) output projections do.",
)
def residual_scaling_growth():
    m = measure_all()
    return {"openai": m["gpt2-openai"]["growth"], "scaled": m["gpt2-hf"]["growth"]}


@claim(
    "practice.small-embedding-jacobian",
    "With GPT-2's 0.02 embeddings (plus its 0.01 position embeddings) "
    "the first LayerNorm's Jacobian has norm ≈ 1/σ of its input, about 45; torchtitan's N(0,1) embedding gives ≈ 1.",
)
def small_embedding_jacobian():
    m = measure_all()
    return {
        "gpt2": m["gpt2-openai"]["ln_jacobian"],
        "titan": m["torchtitan-llama3"]["ln_jacobian"],
        "gpt2_inv_sigma": 1 / math.sqrt(0.02**2 + 0.01**2),
    }
