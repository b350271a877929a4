"""Scale: how small should the initial weights be, and why 1/sqrt(fan_in) (docs/scale.md).

Conventions. A plain fully connected net of width n: z_0 ~ N(0, 1) is the input, treated as a
pre-activation, and z_l = W_l phi(z_{l-1}) (+ b_l) for l = 1..L, with W_l[i, j] iid, mean 0,
variance std^2 = gain^2 / n. q_l = E[z_l^2] is the second moment of the pre-activations.
Backward: delta_L = dLoss/dz_L is a fixed random vector (the loss is a random projection of z_L),
delta_{l-1} = phi'(z_{l-1}) * (W_l^T delta_l).

Every stochastic experiment draws its weights from one cached bank of standard normals
[SEEDS, DEPTH, WIDTH, WIDTH] and scales it, so that an experiment costs matrix products only.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from numpy.polynomial.hermite_e import hermegauss

from snippets import claim, figure, nn, table
from snippets._seeds import over_blocks, rng, seed_block
from snippets._style import COLORS, new_figure

WIDTH = 256  # width of the simulated deep nets
DEPTH = 50  # their depth
SEEDS = 20  # independent networks (seeds) per setting
BATCH = 32  # inputs per network
STDS = (0.01, 0.1, 1.0)  # the fixed standard deviations of the off-scale figures
FAN_INS = (64, 256, 784, 1024, 4096)  # the rows of the "10^?" table
MULTIPLIERS = tuple(2.0**k for k in range(-4, 5))  # the Goldilocks sweep, 1/16x .. 16x
TANH_GAIN_TORCH = 5.0 / 3  # torch.nn.init.calculate_gain("tanh")
TRUNC = 2.0  # truncation point of the truncated normal, in units of its sigma
BLOCKS = 5  # independent seed blocks of the one-layer claim
# experiment ids: the first key of every rng(...) call in this module
ONE_LAYER, BANK, IO, BIAS_BANK, CLASSIC, CLASSIC_DIRECT, GOLDILOCKS, UNIFORM, TRUNCATED, TRUNC_SAMPLES = (
    range(1, 11)
)

#: the activations of this chapter, from the toolkit's table: name -> (phi, phi')
ACTIVATIONS = {
    k: nn.ACTIVATIONS[k] for k in ("tanh", "sigmoid", "relu", "leaky_relu", "elu", "selu", "gelu", "silu")
}

# What torch.nn.init.calculate_gain returns (torch/nn/init.py, quoted on the page); None: it raises.
TORCH_GAINS = {
    "tanh": 5.0 / 3,
    "sigmoid": 1.0,
    "relu": math.sqrt(2.0),
    "leaky_relu": math.sqrt(2.0 / (1 + 0.01**2)),
    "elu": None,
    "selu": 3.0 / 4,
    "gelu": None,
    "silu": None,
}


# --8<-- [start:one_layer]
def one_layer(n=784, inputs=2048, seed=0):
    """One n -> n layer at LeCun's and He's std: output second moment / what the rule predicts."""
    r = rng(ONE_LAYER, seed)
    x = r.standard_normal((n, inputs))  # inputs with unit second moment
    lecun, he = 1 / np.sqrt(n), np.sqrt(2 / n)
    z = lecun * r.standard_normal((n, n)) @ x  # linear unit: E[z^2] = n * lecun^2 * E[x^2] = 1
    h = np.maximum(z, 0)  # ReLU keeps half the second moment: E[h^2] = E[z^2] / 2
    z2 = he * r.standard_normal((n, n)) @ h  # He: E[z2^2] = n * (2 / n) * E[h^2] = 1
    return {
        "lecun_std": lecun,
        "he_std": he,
        "lecun_ratio": np.mean(z**2) / np.mean(x**2),
        "he_ratio": np.mean(z2**2) / np.mean(z**2),
    }


# --8<-- [end:one_layer]


# --8<-- [start:recursion]
NODES, WEIGHTS = hermegauss(200)  # sum(WEIGHTS * f(NODES)) = integral of f(x) exp(-x^2/2)
WEIGHTS = WEIGHTS / np.sqrt(2 * np.pi)  # now sum(WEIGHTS * f(NODES)) = E[f(x)], x ~ N(0, 1)


def gauss_mean(f, q=1.0):
    """E[f(z)] for z ~ N(0, q): 200-point Gauss-Hermite quadrature for q <= 2. For larger q its
    nodes get too sparse to resolve f's unit-scale features (where tanh bends), so then a
    trapezoid rule on 8001 points over +-8 standard deviations."""
    if q <= 2:
        return float(np.sum(WEIGHTS * f(np.sqrt(q) * NODES)))
    z = np.linspace(-8, 8, 8001) * np.sqrt(q)
    return float(np.trapezoid(f(z) * np.exp(-z * z / (2 * q)), z) / np.sqrt(2 * np.pi * q))


def forward_recursion(phi, gain2, depth, q0=1.0, sb2=0.0):
    """q_l = n Var[w] E[phi(z)^2] + Var[b], z ~ N(0, q_{l-1}); gain2 = n Var[w]. Returns q_0..q_L."""
    q = [q0]
    for _ in range(depth):
        q.append(gain2 * gauss_mean(lambda z: phi(z) ** 2, q[-1]) + sb2)
    return np.array(q)


def backward_recursion(dphi, gain2, q):
    """E[delta_l^2] / E[delta_L^2] for l = 0..L: each layer down multiplies by n Var[w] E[phi'(z)^2]."""
    g = [1.0]
    for ql in q[-2::-1]:  # q_{L-1}, ..., q_0
        g.append(g[-1] * gain2 * gauss_mean(lambda z: dphi(z) ** 2, ql))
    return np.array(g[::-1])


def gain(phi):
    """The gain g with g^2 E[phi(z)^2] = 1 at z ~ N(0, 1): Var[w] = g^2 / fan_in keeps q_l = 1."""
    return 1 / np.sqrt(gauss_mean(lambda z: phi(z) ** 2))


# --8<-- [end:recursion]


# --8<-- [start:simulate]
def propagate(phi, dphi, bank, std, z0, top, bias=None, backward=True):
    """Run [seeds] nets of width n forward (and backward) through the layers of `bank`.

    bank: [seeds, L, n, n] standard normals, scaled by `std`; z0: [seeds, n, batch] inputs;
    top: [seeds, n, batch] = dLoss/dz_L; bias: [seeds, L, n, 1]. Returns the second moments of
    z_l and of delta_l = dLoss/dz_l per seed: q [seeds, L+1], g [seeds, L+1].
    """
    zs = [z0]
    for l in range(bank.shape[1]):
        z = std * (bank[:, l] @ phi(zs[-1]))  # W_l phi(z_{l-1}), W_l = std * bank[:, l]
        zs.append(z if bias is None else z + bias[:, l])
    q = np.stack([np.mean(np.square(z, dtype=np.float64), axis=(1, 2)) for z in zs], axis=1)
    if not backward:
        return q, None
    deltas = [top]
    for l in reversed(range(bank.shape[1])):  # delta_l = phi'(z_l) * (W_{l+1}^T delta_{l+1})
        deltas.append(dphi(zs[l]) * (std * (np.swapaxes(bank[:, l], 1, 2) @ deltas[-1])))
    g = np.stack([np.mean(np.square(d, dtype=np.float64), axis=(1, 2)) for d in deltas[::-1]], axis=1)
    return q, g


# --8<-- [end:simulate]


# ------------------------------------------------------------------------------------------------
# Shared random numbers and the cached runs
# ------------------------------------------------------------------------------------------------


@functools.cache
def _bank():
    """[SEEDS, DEPTH, WIDTH, WIDTH] standard normals, float32 (262 MB), shared by all runs."""
    return rng(BANK).standard_normal((SEEDS, DEPTH, WIDTH, WIDTH), dtype=np.float32)


@functools.cache
def _io():
    """Inputs z_0 ~ N(0, 1) and the top-layer gradient, [SEEDS, WIDTH, BATCH] each, float64."""
    return rng(IO).standard_normal((2, SEEDS, WIDTH, BATCH))


@functools.cache
def _bias_bank():
    return rng(BIAS_BANK).standard_normal((SEEDS, DEPTH, WIDTH, 1))


@functools.cache
def _gains():
    return {name: gain(phi) for name, (phi, _) in ACTIVATIONS.items()}


def derived_std(act, n=WIDTH):
    """The scale the recursion derives: gain / sqrt(fan_in), with the gain computed for `act`."""
    return math.sqrt(2 / n) if act == "relu" else float(_gains()[act] / np.sqrt(n))


_RUNS: dict = {}
HE = math.sqrt(2 / WIDTH)


def run(act, std, depth=DEPTH, backward=True, dist="normal", sb=0.0, seeds=SEEDS):
    """q, g ([seeds, depth+1] each, float64) of the width-256 nets on the shared bank. Cached.

    A forward-only or shallower request reuses a cached deeper forward-and-backward run (the first
    layers are the same). ReLU without bias is positively homogeneous: scaling every weight by c
    scales z_l by c^l and delta_l by c^(L-l), so its fixed-std runs are exact rescalings of the He run.
    """
    std = float(std)
    for full in ((act, std, DEPTH, True, dist, sb, seeds), (act, std, DEPTH, backward, dist, sb, seeds)):
        if full in _RUNS and (depth == DEPTH or not backward):
            q, g = _RUNS[full]
            return q[:, : depth + 1], (g if depth == DEPTH else None)
    key = (act, std, depth, backward, dist, sb, seeds)
    if key in _RUNS:
        return _RUNS[key]
    if act == "relu" and sb == 0 and dist == "normal" and std != HE:
        q, g = run("relu", HE, depth, backward, dist, sb, seeds)
        c2 = (std / HE) ** 2
        layers = np.arange(depth + 1)
        _RUNS[key] = q * c2**layers, None if g is None else g * c2 ** layers[::-1]
        return _RUNS[key]
    phi, dphi = ACTIVATIONS[act]
    bank = {"normal": _bank, "uniform": _uniform_bank, "truncated": _truncated_bank}[dist]()[:seeds, :depth]
    # float32 unless the recursion says the moments leave float32's range (1e-38 .. 3e38)
    q = forward_recursion(phi, WIDTH * std**2, depth, sb2=sb**2)
    r = np.concatenate([q, backward_recursion(dphi, WIDTH * std**2, q)])
    dtype = np.float32 if 1e-25 < r.min() and r.max() < 1e25 else np.float64
    z0, top = (a[:seeds].astype(dtype) for a in _io())
    bias = None if sb == 0 else (sb * _bias_bank()[:seeds, :depth]).astype(dtype)
    _RUNS[key] = propagate(phi, dphi, bank, dtype(std), z0, top, bias=bias, backward=backward)
    return _RUNS[key]


def _floats(out):
    """Plain Python floats for numpy scalars, so that a claim's values are plain numbers."""
    return {k: float(v) if isinstance(v, np.floating) else v for k, v in out.items()}


# ------------------------------------------------------------------------------------------------
# 1. The derivation, checked
# ------------------------------------------------------------------------------------------------


ONE_LAYER_SEEDS = 10  # seeds per block


@claim(
    "scale.one-layer",
    "One 784-wide layer at std 1/sqrt(784) keeps the second moment of a linear signal, and at "
    "sqrt(2/784) keeps it through ReLU: the mean ratio over 10 seeds is within 2% of 1 in every "
    "block, and every single seed within 10%.",
)
def one_layer_claim(seeds=ONE_LAYER_SEEDS):
    runs = {b: [one_layer(inputs=128, seed=s) for s in seed_block(b, seeds)] for b in range(BLOCKS)}

    def block(b):
        return {k: float(np.mean([r[k] for r in runs[b]])) for k in ("lecun_ratio", "he_ratio")}

    out = over_blocks(block, BLOCKS)
    everything = [r for rs in runs.values() for r in rs]
    out["worst_seed"] = float(max(abs(r[k] - 1) for r in everything for k in ("lecun_ratio", "he_ratio")))
    out["lecun_std"], out["he_std"] = everything[0]["lecun_std"], everything[0]["he_std"]
    out["seeds"] = seeds
    return _floats(out)


@claim(
    "scale.relu-moments",
    "For z ~ N(0, 1), relu(z) has second moment 1/2 but variance 1/2 - 1/(2 pi): He's "
    "factor 2 undoes the halving of the second moment, not of the variance.",
)
def relu_moments():
    # a fine trapezoid rule: Gauss-Hermite converges slowly on relu's kink (its error here is 1e-3)
    z = np.linspace(-12, 12, 240001)
    pdf = np.exp(-z * z / 2) / np.sqrt(2 * np.pi)
    relu = ACTIVATIONS["relu"][0]
    m1, m2 = np.trapezoid(relu(z) * pdf, z), np.trapezoid(relu(z) ** 2 * pdf, z)
    return {"second_moment": float(m2), "mean": float(m1), "variance": float(m2 - m1**2)}


def _compare(pred, sim, steps):
    """Seed mean vs prediction, per layer.

    steps: how many recursion steps separate each layer from where the recursion starts. Returns
    the largest relative error, the largest relative standard error of the seed mean, and the
    largest ratio of the error to the finite-width budget: steps/n of the prediction (corrections of
    order 1/n per layer, compounded) plus 4 standard errors of the seed mean: a band for every layer
    at once (Bonferroni over 50 layers at a 0.3% total error rate needs 3.9 standard errors).
    """
    mean, se = sim.mean(0), sim.std(0, ddof=1) / np.sqrt(sim.shape[0])
    budget = steps / WIDTH * np.abs(pred) + 4 * se
    ok = budget > 0
    return {
        "iter_rel": float(np.max(np.abs(mean / pred - 1))),
        "iter_spread": float(np.max(se / mean)),
        "iter_budget": float(np.max(np.abs(mean - pred)[ok] / budget[ok])),
    }


def _check(act, gain2, q, g=None, sb2=0.0):
    """One-step errors (mean over layers and seeds, its standard error) and the iterated comparison."""
    phi, dphi = ACTIVATIONS[act]
    L = q.shape[1] - 1
    f2 = np.vectorize(lambda qq: gauss_mean(lambda z: phi(z) ** 2, qq))
    q_rec = forward_recursion(phi, gain2, L, sb2=sb2)
    fwd = q[:, 1:] / (gain2 * f2(q[:, :-1]) + sb2) - 1  # [seeds, L]
    out = {
        "fwd": {
            "step_mean": float(fwd.mean()),
            "step_se": float(fwd.mean(1).std(ddof=1) / np.sqrt(len(q))),
            **_compare(q_rec, q, np.arange(L + 1)),
        }
    }
    if g is not None:
        g = g / g[:, -1:]  # relative to the top layer, like the recursion
        d2 = np.vectorize(lambda qq: gauss_mean(lambda z: dphi(z) ** 2, qq))
        bwd = g[:, :-1] / (gain2 * d2(q[:, :-1]) * g[:, 1:]) - 1
        out["bwd"] = {
            "step_mean": float(bwd.mean()),
            "step_se": float(bwd.mean(1).std(ddof=1) / np.sqrt(len(q))),
            **_compare(backward_recursion(dphi, gain2, q_rec), g, np.arange(L, -1, -1)),
        }
    return out


RECURSION_CASES = {  # name: (activation, gain^2 = n Var[w]); None: the computed gain
    "tanh_lecun": ("tanh", 1.0),
    "tanh_gain": ("tanh", None),
    "relu_he": ("relu", 2.0),
}


@functools.cache
def _recursion_checks():
    out = {}
    for name, (act, gain2) in RECURSION_CASES.items():
        gain2 = _gains()[act] ** 2 if gain2 is None else gain2
        for key, v in _check(act, gain2, *run(act, math.sqrt(gain2 / WIDTH))).items():
            out[f"{name}_{key}"] = v
    return out


def _recursion_claim(key):
    out = {}
    for name in RECURSION_CASES:
        for k, v in _recursion_checks()[f"{name}_{key}"].items():
            out[f"{name}_{k}"] = v
    return out


@claim(
    "scale.forward-recursion",
    "At width 256, one step of the forward recursion applied to each "
    "layer's measured second moment predicts the next layer's with an average error below 1%, and the "
    "recursion iterated over 50 layers stays within the finite-width budget (l/n plus 4 standard errors "
    "of the 20-seed mean), for tanh and ReLU.",
)
def forward_recursion_claim():
    return _recursion_claim("fwd")


@claim(
    "scale.backward-recursion",
    "The same holds backward for the gradient's second moment, from the top layer down.",
)
def backward_recursion_claim():
    return _recursion_claim("bwd")


# ------------------------------------------------------------------------------------------------
# 2. Off scale: the rates at which signals vanish and explode
# ------------------------------------------------------------------------------------------------


def _settings(act):
    """(label, std) of the figures: three fixed stds and the derived one."""
    return [(f"std {s:g}", s) for s in STDS] + [(f"derived {derived_std(act):.3g}", derived_std(act))]


def _per_layer_factor(q, seeds=slice(None)):
    """Geometric-mean factor per layer of the seed-mean second moment, from layer 0 to the last."""
    m = q[seeds].mean(0)
    return float((m[-1] / m[0]) ** (1 / (len(m) - 1)))


@claim(
    "scale.rates",
    "Off scale, the second moment vanishes or explodes at the per-layer rate the "
    "recursion predicts (within 3%), forward and backward; for ReLU the rate is n std^2 / 2, so He's std "
    "and 1/sqrt(fan_in) differ by a factor of 2 per layer.",
)
def rates():
    out = {}
    for act in ("tanh", "relu"):
        phi, dphi = ACTIVATIONS[act]
        for label, std in [(f"std{s:g}", s) for s in STDS] + [("derived", derived_std(act))]:
            q, g = run(act, std)
            q_rec = forward_recursion(phi, WIDTH * std**2, DEPTH)
            g_rec = backward_recursion(dphi, WIDTH * std**2, q_rec)
            out[f"{act}_{label}"] = _per_layer_factor(q)
            out[f"{act}_{label}_pred"] = float((q_rec[-1] / q_rec[0]) ** (1 / DEPTH))
            out[f"{act}_{label}_grad"] = _per_layer_factor(g[:, ::-1])  # from the top layer down
            out[f"{act}_{label}_grad_pred"] = float(g_rec[0] ** (1 / DEPTH))
    # He vs 1/fan_in for ReLU, measured on independent seeds (0-9 and 10-19)
    he = _per_layer_factor(run("relu", HE)[0], slice(0, SEEDS // 2))
    lecun = _per_layer_factor(run("relu", 1 / math.sqrt(WIDTH))[0], slice(SEEDS // 2, SEEDS))
    out.update({"relu_he": he, "relu_lecun": lecun, "he_over_lecun": he / lecun})
    return out


@claim(
    "scale.classic-001",
    "With the classic std 0.01, a 10-layer net of width 1000 shrinks the "
    "signal's RMS by the factor the recursion predicts: (n std^2)^(L/2) = 10^-5 for tanh, and ReLU halves "
    "the second moment at each of its 9 inner layers on top of that.",
)
def classic_001(n=1000, depth=10, seeds=SEEDS, std=0.01):
    """Each seed: one input x ~ N(0, I_n) through `depth` fresh width-n layers (the first takes x as is).

    For a single input h, the entries of W h are iid N(0, std^2 |h|^2): drawing that vector directly
    has exactly the distribution of drawing W (n^2 numbers) and multiplying, at n numbers per layer.
    """
    r = rng(CLASSIC)
    out = {"seeds": seeds}
    for act in ("tanh", "relu"):
        phi = ACTIVATIONS[act][0]
        x = r.standard_normal((seeds, n))
        z = x
        for layer in range(depth):
            h = phi(z) if layer else x
            z = std * np.linalg.norm(h, axis=1, keepdims=True) * r.standard_normal((seeds, n))
        ratio = np.sqrt(np.mean(z**2, axis=1) / np.mean(x**2, axis=1))  # RMS out / RMS in, per seed
        q = forward_recursion(phi, n * std**2, depth - 1, q0=n * std**2)  # q_1 = n std^2 E[x^2]
        out[f"{act}_rms_ratio"] = float(np.exp(np.mean(np.log(ratio))))
        out[f"{act}_log10"] = float(np.mean(np.log10(ratio)))
        out[f"{act}_min"], out[f"{act}_max"] = float(ratio.min()), float(ratio.max())
        out[f"{act}_pred"] = float(np.sqrt(q[-1]))
        out[f"{act}_per_layer"] = n * std**2 / (2 if act == "relu" else 1)
    return out


def classic_001_direct(n=1000, depth=10, seeds=2, std=0.01):
    """The same experiment with the full n x n matrices (used by the test to check the shortcut)."""
    r = rng(CLASSIC_DIRECT)
    out = {}
    for act in ("tanh", "relu"):
        phi = ACTIVATIONS[act][0]
        x = r.standard_normal((seeds, n, 8))
        z = x
        for layer in range(depth):
            h = phi(z) if layer else x
            z = std * r.standard_normal((seeds, n, n), dtype=np.float32).astype(np.float64) @ h
        out[f"{act}_log10"] = float(np.mean(0.5 * np.log10(np.mean(z**2, axis=(1, 2)) / np.mean(x**2))))
    return out


@claim(
    "scale.histograms",
    "With std 1, most tanh units of every layer are saturated; with std 0.01, "
    "the activations collapse toward 0 layer after layer; with the derived std they keep their spread.",
)
def histogram_stats():
    out = {}
    for key, std in (("small", 0.01), ("derived", derived_std("tanh")), ("large", 1.0)):
        h = np.tanh(_tanh_layers(std))  # [layers, values]
        out[f"{key}_saturated_l1"] = float(np.mean(np.abs(h[0]) > 0.99))
        out[f"{key}_saturated_l50"] = float(np.mean(np.abs(h[-1]) > 0.99))
        out[f"{key}_saturated_min"] = float(np.min(np.mean(np.abs(h) > 0.99, axis=1)))
        out[f"{key}_saturated_max"] = float(np.max(np.mean(np.abs(h) > 0.99, axis=1)))
        out[f"{key}_rms_l2"] = float(np.sqrt(np.mean(h[HIST_LAYERS.index(2)] ** 2)))
        out[f"{key}_rms_l1"] = float(np.sqrt(np.mean(h[0] ** 2)))
        out[f"{key}_rms_l5"] = float(np.sqrt(np.mean(h[HIST_LAYERS.index(5)] ** 2)))
        out[f"{key}_rms_l50"] = float(np.sqrt(np.mean(h[-1] ** 2)))
    return out


HIST_LAYERS = (1, 2, 5, 20, 50)


@functools.cache
def _tanh_layers(std, seeds=4):
    """Pre-activations of layers HIST_LAYERS (seeds 0..3 of the bank), flattened: [len, values]."""
    phi = ACTIVATIONS["tanh"][0]
    z = _io()[0][:seeds]
    bank = _bank()
    keep = []
    for l in range(DEPTH):
        z = (std * bank[:seeds, l].astype(np.float64)) @ phi(z)
        if l + 1 in HIST_LAYERS:
            keep.append(z.ravel())
    return np.array(keep)


# ------------------------------------------------------------------------------------------------
# 3. The "10^?" table
# ------------------------------------------------------------------------------------------------


def recommended_std(fan_in, fan_out=None):
    fan_out = fan_in if fan_out is None else fan_out
    return {
        "lecun": 1 / math.sqrt(fan_in),
        "glorot": math.sqrt(2 / (fan_in + fan_out)),
        "glorot_4x": math.sqrt(2 / (fan_in + 4 * fan_in)),
        "he": math.sqrt(2 / fan_in),
        "tanh": _gains()["tanh"] / math.sqrt(fan_in),
    }


@table(
    "scale/std-table",
    caption="The recommended standard deviation of the initial weights. Glorot "
    "depends on fan_out too: shown for a square layer (fan_out = fan_in, where it equals LeCun) and "
    "for fan_out = 4 fan_in (a transformer MLP's first layer). Computed by the build.",
)
def std_table():
    header = [
        "fan_in",
        "LeCun 1/√fan_in",
        "Glorot, fan_out = fan_in",
        "Glorot, fan_out = 4·fan_in",
        "He √(2/fan_in)",
        "He as 10^x",
    ]
    rows = []
    for n in FAN_INS:
        r = recommended_std(n)
        rows.append(
            [
                str(n),
                f"{r['lecun']:.4f}",
                f"{r['glorot']:.4f}",
                f"{r['glorot_4x']:.4f}",
                f"{r['he']:.4f}",
                f"10^{math.log10(r['he']):.2f}",
            ]
        )
    return header, rows


@claim(
    "scale.std-784",
    "The recommended std is a gain over sqrt(fan_in): for fan_in 784, LeCun's 1/sqrt(784), He's "
    "sqrt(2/784) and, for tanh, the computed gain over sqrt(784).",
)
def std_784():
    r = recommended_std(784)
    return _floats(
        {
            "lecun": r["lecun"],
            "he": r["he"],
            "tanh": r["tanh"],
            "lecun_log10": math.log10(r["lecun"]),
            "he_64": recommended_std(64)["he"],
            "he_4096": recommended_std(4096)["he"],
        }
    )


# ------------------------------------------------------------------------------------------------
# 4. The Goldilocks curve: train at 1/16x .. 16x the derived scale
# ------------------------------------------------------------------------------------------------

GOLD = {"width": 32, "depth": 10, "d_in": 16, "n": 32, "steps": 100, "lr": 0.03, "seeds": SEEDS}


# --8<-- [start:goldilocks]
def train_deep(act, multipliers, width=32, depth=10, d_in=16, n=32, steps=100, lr=0.03, seeds=20, seed=0):
    """Full-batch gradient descent on [len(multipliers) x seeds] deep nets at once; final MSE loss.

    depth hidden layers of `width` units and a linear output, no biases. Layer l's weights have
    std m * gain_l / sqrt(fan_in): gain 1 for the raw input layer, the computed gain after an
    activation. Each seed has its own data: x ~ N(0, I), y = a random tanh teacher, scaled to
    unit variance. Every multiplier scales the same base draw (common random numbers).
    """
    r = rng(GOLDILOCKS, seed)
    M, S = len(multipliers), seeds
    X = r.standard_normal((S, n, d_in))
    Y = np.tanh(X @ r.standard_normal((S, d_in, 64)) * (1.5 / np.sqrt(d_in))) @ r.standard_normal((S, 64, 1))
    Y = (Y - Y.mean(1, keepdims=True)) / Y.std(1, keepdims=True)  # predicting 0 scores loss 1
    gains = [1.0] + [gain(ACTIVATIONS[act][0])] * depth
    Ws, bs = nn.init_weights(r, [d_in] + [width] * depth + [1], "lecun", gain=gains, seeds=S)
    m = np.repeat(np.asarray(multipliers), S)[:, None, None]  # run k = (multiplier k // S, seed k % S)
    Ws = [(m * np.tile(W, (M, 1, 1))).astype(np.float32) for W in Ws]
    bs = [np.zeros((M * S, b.shape[-1]), np.float32) for b in bs]  # zero, and never trained
    X, Y = (np.tile(a, (M, 1, 1)).astype(np.float32) for a in (X, Y))
    with np.errstate(all="ignore"):  # diverging runs overflow to inf/nan: they count as failed
        for step in range(steps + 1):
            out, cache = nn.mlp_forward(Ws, bs, X, act)
            loss = np.mean((out - Y) ** 2, axis=(1, 2))
            if step < steps:
                gWs, _ = nn.mlp_backward(Ws, cache, 2 * (out - Y) / n, act)
                Ws = [W - lr * g for W, g in zip(Ws, gWs)]
    loss = np.where(np.isfinite(loss), loss, np.inf)
    return loss.reshape(M, S)


# --8<-- [end:goldilocks]


@functools.cache
def _goldilocks(act):
    return train_deep(act, MULTIPLIERS, **GOLD)


@claim(
    "scale.goldilocks",
    "Trained for a fixed budget, 10-layer tanh and ReLU nets do best at 0.5x-2x "
    "the derived scale; at 1/16x and 16x their median final loss is at least 10 times the best one's.",
)
def goldilocks():
    out = {}
    for act in ("tanh", "relu"):
        L = _goldilocks(act)
        med = np.median(L, axis=1)
        best = int(np.argmin(med))
        out[f"{act}_best"] = MULTIPLIERS[best]
        out[f"{act}_best_loss"] = float(med[best])
        out[f"{act}_loss_small"] = float(med[0])
        out[f"{act}_loss_large"] = float(med[-1])
        out[f"{act}_loss_1"] = float(med[MULTIPLIERS.index(1.0)])
        out[f"{act}_diverged_large"] = float(np.mean(~np.isfinite(L[-1])))
        out[f"{act}_ratio_extremes"] = float(min(med[0], med[-1]) / med[best])
    out["min_ratio_extremes"] = min(out["tanh_ratio_extremes"], out["relu_ratio_extremes"])
    out["seeds"] = GOLD["seeds"]
    return out


# ------------------------------------------------------------------------------------------------
# 5. Gains per activation
# ------------------------------------------------------------------------------------------------


def fixed_point_slope(phi, dphi, g):
    """d q_{l+1} / d q_l at q = 1 for gain g: g^2 E[z phi(z) phi'(z)]. Below 1: the fixed point attracts."""
    return g**2 * gauss_mean(lambda z: z * phi(z) * dphi(z))


@claim(
    "scale.gains",
    "Gauss-Hermite quadrature gives, for each activation, the gain g with g^2 E[phi(z)^2] = 1 at "
    "z ~ N(0, 1): exactly sqrt(2) for ReLU, 1 for SELU, and the values of the gains table for the others.",
)
def gains():
    out = {}
    for name, (phi, dphi) in ACTIVATIONS.items():
        g = _gains()[name]
        out[name] = g
        out[f"{name}_chi"] = g**2 * gauss_mean(lambda z, d=dphi: d(z) ** 2)  # gradient factor per layer
        out[f"{name}_slope"] = fixed_point_slope(phi, dphi, g)
    out["tanh_torch_over_computed"] = TANH_GAIN_TORCH / _gains()["tanh"]
    out["tanh_torch_fixed_point"] = q = _fixed_point("tanh", TANH_GAIN_TORCH**2)
    dtanh = ACTIVATIONS["tanh"][1]
    out["tanh_torch_chi"] = TANH_GAIN_TORCH**2 * gauss_mean(lambda z: dtanh(z) ** 2, q)  # at its q*
    out["selu_torch_fixed_point"] = _fixed_point("selu", 0.75**2)
    out["sigmoid_torch_fixed_point"] = _fixed_point("sigmoid", 1.0)
    return _floats(out)


def _fixed_point(act, gain2, sb2=0.0, iters=2000):
    """The q the forward recursion settles at, iterated from q = 1."""
    return float(forward_recursion(ACTIVATIONS[act][0], gain2, iters, sb2=sb2)[-1])


def _depth50(act, which="computed"):
    """q of 50-layer nets with the computed gains (20 seeds) or PyTorch's (4 seeds, figure only)."""
    if which == "computed":
        return run(act, derived_std(act), backward=False)[0]
    return run(act, TORCH_GAINS[act] / math.sqrt(WIDTH), backward=False, seeds=4)[0]


@claim(
    "scale.gains-depth50",
    "In 50-layer nets of width 256 with the computed gains, the 20-seed mean "
    "second moment stays within a factor 2 of 1 at every layer for every activation whose fixed point "
    "attracts or is neutral (slope <= 1); GELU and SiLU, whose fixed point repels, drift away.",
)
def gains_depth50():
    out = {}
    for name, (phi, dphi) in ACTIVATIONS.items():
        m = _depth50(name).mean(0)
        out[f"{name}_min"], out[f"{name}_max"] = float(m.min()), float(m.max())
        out[f"{name}_last"] = float(m[-1])
        out[f"{name}_slope"] = fixed_point_slope(phi, dphi, _gains()[name])
    return _floats(out)


# ------------------------------------------------------------------------------------------------
# 6. Uniform, normal and truncated normal
# ------------------------------------------------------------------------------------------------

DIST_DEPTH = 30


@functools.cache
def _uniform_bank():
    """Unit-variance uniform weights on [-sqrt(3), sqrt(3)], [SEEDS, DIST_DEPTH, WIDTH, WIDTH]."""
    u = rng(UNIFORM).random((SEEDS, DIST_DEPTH, WIDTH, WIDTH), dtype=np.float32)
    u -= 0.5
    u *= np.float32(2 * np.sqrt(3))
    return u


def truncated_std(c=TRUNC):
    """Std of N(0, 1) truncated to [-c, c], by quadrature: the correction of a truncated normal."""
    t = np.linspace(0, c, 20001)
    pdf = np.exp(-t * t / 2) / np.sqrt(2 * np.pi)
    mass = 2 * np.trapezoid(pdf, t)
    return float(np.sqrt(2 * np.trapezoid(t * t * pdf, t) / mass))


# --8<-- [start:trunc_normal]
def trunc_normal(rng, shape, std=1.0, a=-2.0, b=2.0):
    """PyTorch's trunc_normal_ semantics: N(0, std^2) redrawn until inside [a, b].

    a and b are absolute values, not multiples of std."""
    w = std * rng.standard_normal(shape)
    bad = (w < a) | (w > b)
    while bad.any():
        w[bad] = std * rng.standard_normal(int(bad.sum()))
        bad = (w < a) | (w > b)
    return w


# --8<-- [end:trunc_normal]


@functools.cache
def _truncated_bank():
    """Normal bank truncated at +-2 (redrawing the 4.6% outside) and divided by the correction 0.88."""
    g = _bank()[:, :DIST_DEPTH].copy()
    bad = np.abs(g) > TRUNC
    r = rng(TRUNCATED)
    while bad.any():
        g[bad] = r.standard_normal(int(bad.sum()), dtype=np.float32)
        bad = np.abs(g) > TRUNC
    return g / np.float32(truncated_std())


DIST_CASES = {"tanh": lambda: derived_std("tanh"), "relu": lambda: HE}


@claim(
    "scale.distributions",
    "At equal variance, uniform, normal and truncated-normal weights propagate "
    "the same second moment: for each, the one-step recursion error averages below 0.5% (tanh) and 2% "
    "(ReLU, whose 20-seed mean is noisier: about 0.5%), and the iterated "
    "recursion stays within the finite-width budget over 30 layers, for tanh and ReLU.",
)
def distributions():
    out = {}
    for act, std in DIST_CASES.items():
        for dist in ("normal", "uniform", "truncated"):
            q = run(act, std(), depth=DIST_DEPTH, backward=False, dist=dist)[0]
            for k, v in _check(act, WIDTH * std() ** 2, q)["fwd"].items():
                out[f"{act}_{dist}_{k}"] = v
            out[f"{act}_{dist}_last"] = float(q[:, -1].mean())
    out["uniform_var"] = float(np.var(_uniform_bank()[0, 0]))
    out["truncated_var"] = float(np.var(_truncated_bank()[0, 0]))
    out["normal_var"] = float(np.var(_bank()[0, 0]))
    out["uniform_bound"] = math.sqrt(3)
    return out


@claim(
    "scale.trunc-correction",
    "A normal truncated at +-2 sigma has std c = 0.8796 sigma; since the bounds "
    "of trunc_normal_ are absolute, std 0.02 with the default bounds (+-2) truncates nothing, and "
    "dividing the std by c there inflates it by 1/c.",
)
def trunc_correction():
    r = rng(TRUNC_SAMPLES)
    c = truncated_std()
    sampled = trunc_normal(r, 1_000_000, std=1.0, a=-2.0, b=2.0).std()
    small = trunc_normal(r, 1_000_000, std=0.02)  # default bounds: -2, 2 (100 std away)
    pattern = trunc_normal(r, 1_000_000, std=0.02 / c)  # "std / 0.88" with the default bounds
    proper = trunc_normal(r, 1_000_000, std=0.02 / c, a=-2 * 0.02 / c, b=2 * 0.02 / c)
    return {
        "correction": c,
        "sampled": float(sampled),
        "small_std_ratio": float(small.std() / 0.02),
        "pattern_ratio": float(pattern.std() / 0.02),
        "proper_ratio": float(proper.std() / 0.02),
        "uniform_bound_factor": math.sqrt(3),
        "inflation": 1 / c - 1,
    }


# ------------------------------------------------------------------------------------------------
# 7. Biases
# ------------------------------------------------------------------------------------------------

BIAS_STDS = (0.0, 0.1, 0.3)


@claim(
    "scale.bias",
    "A bias of variance sb^2 adds sb^2 to every layer's second moment (one-step error "
    "below 1%): ReLU nets at He's std grow linearly, q_l = 1 + l sb^2, instead of staying at 1, and tanh "
    "nets at std 1/sqrt(n) settle at a fixed point q* > 0 instead of decaying to 0.",
)
def bias():
    out = {}
    for act, gain2 in (("relu", 2.0), ("tanh", 1.0)):
        for sb in BIAS_STDS[1:]:
            q = run(act, math.sqrt(gain2 / WIDTH), backward=False, sb=sb)[0]
            c = _check(act, gain2, q, sb2=sb**2)["fwd"]
            out[f"{act}_sb{sb:g}_step_mean"] = c["step_mean"]
            out[f"{act}_sb{sb:g}_budget"] = c["iter_budget"]
            out[f"{act}_sb{sb:g}_last"] = float(q[:, -1].mean())
            out[f"{act}_sb{sb:g}_rec"] = float(
                forward_recursion(ACTIVATIONS[act][0], gain2, DEPTH, sb2=sb**2)[-1]
            )
        out[f"{act}_sb0_last"] = float(run(act, math.sqrt(gain2 / WIDTH))[0][:, -1].mean())
        out[f"{act}_sb0_rec"] = float(forward_recursion(ACTIVATIONS[act][0], gain2, DEPTH)[-1])
    for sb in BIAS_STDS[1:]:
        out[f"tanh_sb{sb:g}_fixed"] = _fixed_point("tanh", 1.0, sb2=sb**2)
    return out


# ------------------------------------------------------------------------------------------------
# 8. Framework defaults
# ------------------------------------------------------------------------------------------------


@claim(
    "scale.torch-linear",
    "A uniform init on +-1/sqrt(fan_in), PyTorch's nn.Linear default, has "
    "variance 1/(3 fan_in), a sixth of He's: a ReLU net loses a factor 6 of second moment per layer.",
)
def torch_linear():
    std = 1 / np.sqrt(3 * WIDTH)  # U(-1/sqrt(n), 1/sqrt(n)) has variance 1/(3n)
    q = run("relu", std, depth=DIST_DEPTH, backward=False, dist="uniform")[0]
    return _floats(
        {
            "variance_ratio_to_he": (std**2) / (2 / WIDTH),
            "per_layer": _per_layer_factor(q, slice(None)),
            "pred": WIDTH * std**2 / 2,
        }
    )


# ------------------------------------------------------------------------------------------------
# Figures and tables
# ------------------------------------------------------------------------------------------------


def _label_rows(ax, title):
    from matplotlib.ticker import MaxNLocator

    ax.set_title(title)
    ax.set_xlabel("layer")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


@figure(
    "scale/activation-scale",
    alt="Two panels, tanh and ReLU, RMS of the pre-activations against "
    "layer 0 to 50 on a log axis. With std 0.01 both fall by orders of magnitude per layer; with std "
    "1 tanh jumps to about 10 and stays there (saturated) while ReLU grows without bound; std 0.1 "
    "decays for tanh and grows for ReLU; the derived std keeps the RMS flat near 1. Dashed lines, the "
    "recursion, lie on the simulated curves.",
    caption="RMS of the pre-activations through 50 layers of width 256 (mean over 20 seeds, solid) and "
    "the variance recursion (dashed). Only the derived scale, gain/√fan_in, keeps the signal alive.",
)
def fig_activation_scale():
    fig, axes = new_figure(1, 2, width=7.5, height=3.4)
    for ax, act in zip(axes, ("tanh", "relu"), strict=True):
        phi = ACTIVATIONS[act][0]
        for (label, std), c in zip(_settings(act), COLORS, strict=False):
            q = run(act, std)[0].mean(0)
            ax.plot(np.sqrt(q), color=c, label=label)
            ax.plot(np.sqrt(forward_recursion(phi, WIDTH * std**2, DEPTH)), color=c, ls="--", lw=1)
        ax.set_yscale("log")
        ax.set_ylim(1e-30, 1e30)
        _label_rows(ax, act)
    axes[0].set_ylabel(r"RMS of $z_l$")
    for ax in axes:
        ax.legend(loc="upper left", fontsize="small")
    return fig


@figure(
    "scale/histograms",
    alt="Three panels of histograms of tanh activations at layers 1, 2, 5, 20 and "
    "50. Left, std 0.01: every layer is a spike at 0, narrower with depth. Middle, derived std: broad "
    "distributions over -1..1 that look alike at every layer. Right, std 1: mass piled at -1 and +1.",
    caption="Activation values tanh(z) per layer, in the style of Glorot & Bengio: "
    "collapse at a small std (left), saturation at a large one (right), a stable spread at the "
    "derived std (middle). Width 256, 4 seeds × 32 inputs.",
)
def fig_histograms():
    fig, axes = new_figure(1, 3, width=8, height=3.0, sharey=True)
    bins = np.linspace(-1, 1, 51)
    cases = (("std 0.01", 0.01), (f"derived {derived_std('tanh'):.3g}", derived_std("tanh")), ("std 1", 1.0))
    for ax, (title, std) in zip(axes, cases, strict=True):
        h = np.tanh(_tanh_layers(std))
        for layer, values, c in zip(HIST_LAYERS, h, COLORS, strict=False):
            counts, _ = np.histogram(values, bins=bins)
            ax.stairs(counts / counts.sum(), bins, color=c, label=f"layer {layer}")
        ax.set_yscale("log")
        ax.set_ylim(1e-4, 1.5)
        ax.set_title(title)
        ax.set_xlabel(r"$\tanh(z)$")
    axes[0].set_ylabel("fraction of units")
    axes[2].legend(loc="upper center", fontsize="small")
    return fig


@figure(
    "scale/gradient-norms",
    alt="Two panels, tanh and ReLU: RMS of the gradient with respect to each "
    "layer's pre-activations, relative to the top layer, against layer on a log axis. With std 0.01 it "
    "falls by orders of magnitude toward the input; with std 1 ReLU's rises by orders of magnitude and "
    "tanh's grows mildly; the derived std keeps it within a small factor of 1.",
    caption="Backpropagated gradient RMS per layer, relative to layer 50, mean over 20 seeds (solid) and "
    "the backward recursion (dashed). The gradient vanishes or explodes at the rate the forward signal "
    "does; the derived scale keeps both.",
)
def fig_gradient_norms():
    fig, axes = new_figure(1, 2, width=7.5, height=3.4)
    for ax, act in zip(axes, ("tanh", "relu"), strict=True):
        phi, dphi = ACTIVATIONS[act]
        for (label, std), c in zip(_settings(act), COLORS, strict=False):
            g = run(act, std)[1].mean(0)
            ax.plot(np.sqrt(g / g[-1]), color=c, label=label)
            rec = backward_recursion(dphi, WIDTH * std**2, forward_recursion(phi, WIDTH * std**2, DEPTH))
            ax.plot(np.sqrt(rec), color=c, ls="--", lw=1)
        ax.set_yscale("log")
        ax.set_ylim(1e-30, 1e30)
        _label_rows(ax, act)
    axes[0].set_ylabel("gradient RMS / layer 50's")
    for ax in axes:
        ax.legend(loc="upper right", fontsize="small")
    return fig


@figure(
    "scale/goldilocks",
    alt="Two panels, tanh and ReLU: final training loss against the init "
    "multiplier from 1/16 to 16 on log axes, median over 20 seeds with a band from the 25th to the 75th "
    "percentile. Both curves are high (loss 1, nothing learned) at small multipliers, lowest near 1 "
    "and 2, and high again at large multipliers; the ReLU runs above 1x diverge and are drawn at the "
    "top edge.",
    caption=f"The Goldilocks curve: final training loss after {GOLD['steps']} steps of full-batch gradient "
    f"descent (learning rate {GOLD['lr']:g}, {GOLD['n']} points per task) against the init scale, as a "
    f"multiple of the derived one. Median and interquartile band over {GOLD['seeds']} seeds; diverged runs "
    "are drawn at the top edge. Loss 1 is what predicting 0 scores.",
)
def fig_goldilocks():
    fig, axes = new_figure(1, 2, width=7.5, height=3.2, sharey=True)
    top = 1e2
    for ax, act in zip(axes, ("tanh", "relu"), strict=True):
        L = np.minimum(_goldilocks(act), top)
        lo, med, hi = np.percentile(L, [25, 50, 75], axis=1)
        ax.fill_between(MULTIPLIERS, lo, hi, color=COLORS[0], alpha=0.25, lw=0)
        ax.plot(MULTIPLIERS, med, "o-", color=COLORS[0], ms=4)
        ax.axhline(1.0, color=COLORS[6], ls=":", lw=1)
        ax.axvspan(0.5, 2, color=COLORS[2], alpha=0.08, lw=0)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_ylim(None, top * 1.5)
        ax.set_title(act)
        ax.set_xlabel("init std / derived std")
    axes[0].set_ylabel("final training loss (MSE)")
    return fig


@figure(
    "scale/gains-depth",
    alt="Two panels: second moment of the pre-activations against layer 0 to 50, "
    "log axis, one line per activation. Left, with the computed gains: tanh, sigmoid, ReLU, leaky ReLU, "
    "ELU and SELU stay within the shaded band from 0.5 to 2, while GELU and SiLU climb out of it. Right, "
    "with PyTorch's constants: each settles at a different level, SELU with 3/4 and sigmoid with 1 "
    "well below 1.",
    caption="Second moment through 50 layers of width 256 (mean over 20 seeds). Left: the computed "
    "gains. Right: torch.nn.init.calculate_gain's constants (ELU, GELU and SiLU have none). Shaded: "
    "within a factor 2 of 1.",
)
def fig_gains_depth():
    fig, axes = new_figure(1, 2, width=7.5, height=3.4, sharey=True)
    for ax, which in zip(axes, ("computed", "torch"), strict=True):
        for (name, _), c in zip(ACTIVATIONS.items(), COLORS, strict=True):
            if which == "torch" and TORCH_GAINS[name] is None:
                continue
            ls = "--" if name in ("leaky_relu",) else "-"
            ax.plot(_depth50(name, which).mean(0), color=c, ls=ls, label=name)
        ax.axhspan(0.5, 2, color=COLORS[6], alpha=0.12, lw=0)
        ax.set_yscale("log")
        ax.set_ylim(1e-2, 1e3)
        _label_rows(ax, f"{which} gains")
    axes[0].set_ylabel(r"second moment $q_l$")
    axes[0].legend(loc="upper left", fontsize="small", ncol=2)
    return fig


@figure(
    "scale/distributions",
    alt="Two panels, tanh and ReLU: second moment against layer 0 to 30 for "
    "normal, uniform and truncated normal weights of equal variance; the three lines lie on top of each "
    "other.",
    caption="Normal, uniform and truncated-normal weights of the same variance propagate the same "
    "second moment (width 256, 20 seeds; the three nets share their random numbers).",
)
def fig_distributions():
    fig, axes = new_figure(1, 2, width=7, height=3.0)
    for ax, (act, std) in zip(axes, (("tanh", derived_std("tanh")), ("relu", HE)), strict=True):
        for dist, c, ls in (
            ("normal", COLORS[0], "-"),
            ("uniform", COLORS[1], "--"),
            ("truncated", COLORS[2], ":"),
        ):
            q = run(act, std, depth=DIST_DEPTH, backward=False, dist=dist)[0].mean(0)
            ax.plot(q, color=c, ls=ls, label=dist)
        ax.set_ylim(0, 2 * q.max())
        _label_rows(ax, act)
    axes[0].set_ylabel(r"second moment $q_l$")
    axes[1].legend(fontsize="small")
    return fig


@figure(
    "scale/bias",
    alt="Two panels of second moment against layer 0 to 50. Left, ReLU with He init: "
    "flat at 1 without bias, rising in straight lines with bias std 0.1 and 0.3. Right, tanh at std "
    "1/sqrt(n): without bias it decays toward 0; with bias it levels off at a positive fixed point.",
    caption="Biases at init: a bias of standard deviation σ adds σ² to the second moment per layer. ReLU (He) grows linearly, "
    "tanh (std 1/√n) settles at a fixed point q* > 0 (dotted: q* from the recursion). Width 256, 20 "
    "seeds.",
)
def fig_bias():
    fig, axes = new_figure(1, 2, width=7, height=3.0)
    for sb, c in zip(BIAS_STDS, COLORS, strict=False):
        q = run("relu", HE, backward=False, sb=sb)[0].mean(0)
        axes[0].plot(q, color=c, label=rf"$\sigma_b = {sb:g}$")
        axes[0].plot(1 + np.arange(DEPTH + 1) * sb**2, color=c, ls="--", lw=1)
        qt = run("tanh", 1 / math.sqrt(WIDTH), backward=False, sb=sb)[0].mean(0)
        axes[1].plot(qt, color=c, label=rf"$\sigma_b = {sb:g}$")
        if sb:
            axes[1].axhline(_fixed_point("tanh", 1.0, sb2=sb**2), color=c, ls=":", lw=1)
    _label_rows(axes[0], "ReLU, He")
    _label_rows(axes[1], r"tanh, std $1/\sqrt{n}$")
    axes[0].set_ylabel(r"second moment $q_l$")
    axes[0].legend(fontsize="small")
    return fig


@table(
    "scale/gains",
    caption="Gains per activation. Computed: g with g² E[φ(z)²] = 1 for z ~ N(0, 1) "
    "(Gauss–Hermite, 200 nodes). Gradient factor: g² E[φ'(z)²], the change of the gradient's second "
    "moment per layer at that gain. Slope: the derivative of the map from one layer's q to the next, at q = 1 "
    "(below 1 the fixed point attracts). "
    "PyTorch: torch.nn.init.calculate_gain.",
)
def gains_table():
    v = gains()
    header = ["activation", "computed gain", "PyTorch gain", "gradient factor per layer", "fixed-point slope"]
    rows = []
    for name in ACTIVATIONS:
        t = TORCH_GAINS[name]
        rows.append(
            [
                name,
                f"{v[name]:.4f}",
                "—" if t is None else f"{t:.4f}",
                f"{v[name + '_chi']:.3f}",
                f"{v[name + '_slope']:.3f}",
            ]
        )
    return header, rows
