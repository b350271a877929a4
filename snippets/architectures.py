"""Different networks and the "magic numbers": per-architecture init, framework defaults, LSUV.

Every experiment here is numpy only and vectorized over seeds (leading axis ``S``). The
framework-defaults table is read from ``data/framework_defaults.json``, which
``tools/check_framework_defaults.py`` checks against real PyTorch, Keras and Flax layers.
"""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

import numpy as np

from snippets import claim, figure, table
from snippets._style import COLORS, new_figure

DATA = Path(__file__).resolve().parents[1] / "data" / "framework_defaults.json"
SEEDS = 20


# ------------------------------------------------------------------------------------------------
# shared helpers
# ------------------------------------------------------------------------------------------------
def _relu(z):
    return np.maximum(z, 0.0)


def toy_task(n=256, d=16, classes=4, seed=0):
    """A small classification task: labels of a random tanh teacher on Gaussian inputs."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    teacher = np.tanh(X @ rng.standard_normal((d, 32)) / np.sqrt(d)) @ rng.standard_normal((32, classes))
    y = teacher.argmax(1)
    return X, np.eye(classes)[y]


def softmax_xent(logits, Y):
    """Mean cross-entropy and its gradient wrt the logits; logits [..., B, C], Y [B, C]."""
    z = logits - logits.max(-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    loss = -(Y * logp).sum(-1).mean(-1)
    grad = (np.exp(logp) - Y) / Y.shape[0]
    return loss, grad


def _layernorm(z, eps=1e-5):
    mu = z.mean(-1, keepdims=True)
    inv = 1.0 / np.sqrt(z.var(-1, keepdims=True) + eps)
    return (z - mu) * inv, inv


def _layernorm_back(g, zn, inv):
    return inv * (g - g.mean(-1, keepdims=True) - zn * (g * zn).mean(-1, keepdims=True))


def mlp_grads(Ws, bs, X, Y, act="relu", norm=False):
    """Loss [S], per-layer grads, and per-layer (pre-activation, activation) of a vectorized MLP.

    ``Ws[l]`` has shape [S, n_in, n_out], ``bs[l]`` [S, 1, n_out] or None. Hidden layers apply
    an optional parameter-free LayerNorm (gamma = 1, beta = 0) and then ``act``.
    """
    f = {"relu": _relu, "tanh": np.tanh}[act]
    h, cache = X, []
    for i, W in enumerate(Ws):
        z = h @ W + (0.0 if bs[i] is None else bs[i])
        if i == len(Ws) - 1:
            cache.append((h, z, None, None, None))
            break
        zn, inv = _layernorm(z) if norm else (z, None)
        a = f(zn)
        cache.append((h, z, zn, inv, a))
        h = a
    loss, g = softmax_xent(z, Y)
    gWs, gbs = [None] * len(Ws), [None] * len(Ws)
    for i in range(len(Ws) - 1, -1, -1):
        h, z, zn, inv, a = cache[i]
        if i < len(Ws) - 1:
            g = g * ((zn > 0) if act == "relu" else 1.0 - a**2)
            if norm:
                g = _layernorm_back(g, zn, inv)
        gWs[i] = np.swapaxes(h, -1, -2) @ g if h.ndim == 3 else np.einsum("bi,sbo->sio", h, g)
        gbs[i] = g.sum(-2, keepdims=True)
        g = g @ np.swapaxes(Ws[i], -1, -2)
    return loss, gWs, gbs, cache


def train_mlp(Ws, bs, X, Y, *, act="relu", norm=False, lr=0.1, steps=100):
    """Full-batch gradient descent; returns the loss curve [steps + 1, S] (inf where it diverged)."""
    Ws = [W.copy() for W in Ws]
    bs = [None if b is None else b.copy() for b in bs]
    curve = []
    with np.errstate(all="ignore"):
        for _ in range(steps + 1):
            loss, gWs, gbs, _ = mlp_grads(Ws, bs, X, Y, act, norm)
            curve.append(np.where(np.isfinite(loss), loss, np.inf))
            for i in range(len(Ws)):
                Ws[i] -= lr * gWs[i]
                if bs[i] is not None:
                    bs[i] -= lr * gbs[i]
    return np.array(curve)


def gaussian_layers(rng, sizes, std_fn, seeds=SEEDS):
    """Weights [S, n_in, n_out] drawn N(0, std_fn(n_in, n_out)^2) for consecutive ``sizes``."""
    return [rng.standard_normal((seeds, a, b)) * std_fn(a, b) for a, b in zip(sizes[:-1], sizes[1:])]


def torch_default_layers(rng, sizes, seeds=SEEDS):
    """PyTorch's nn.Linear default: weights and biases U(±1/sqrt(fan_in))."""
    Ws, bs = [], []
    for a, b in zip(sizes[:-1], sizes[1:]):
        bound = 1 / np.sqrt(a)
        Ws.append(rng.uniform(-bound, bound, (seeds, a, b)))
        bs.append(rng.uniform(-bound, bound, (seeds, 1, b)))
    return Ws, bs


# ------------------------------------------------------------------------------------------------
# the framework-defaults table (data file)
# ------------------------------------------------------------------------------------------------
@functools.cache
def defaults_data() -> dict:
    return json.loads(DATA.read_text())


def _cell(c: dict) -> str:
    if "src" not in c:
        return c["init"]
    if "gamma" in c:
        stat = "exactly"
    elif "value" in c:
        stat = f"all {c['value']:g}"
    else:
        stat = f"σ = {c['std']:.3g}" + (
            f", max {c['bound']:.3g}" if c.get("bound") and c.get("bound_reached", True) else ""
        )
    src = f"`{c['src']['file'].rsplit('/', 1)[-1]}:{c['src']['line']}`"
    return f"{c['init']}; {stat} · {src}"


def _defaults_table(group):
    d = defaults_data()
    v = d["checked_with"]
    header = [
        "layer (shape)",
        f"PyTorch {v['torch']['torch']}",
        f"Keras {v['keras']['keras']}",
        f"Flax {v['flax']['flax']}",
    ]
    rows = []
    for r in d["rows"]:
        if r["group"] != group:
            continue
        shape = f" ({r['shape']})" if r["shape"] else ""
        rows.append([r["layer"] + shape] + [_cell(r[fw]) for fw in ("torch", "keras", "flax")])
    return header, rows


@table(
    "architectures/framework-defaults",
    caption="Default initialisation of feed-forward layers, measured by tools/check_framework_defaults.py "
    "on the installed frameworks (σ = measured-and-checked std at the stated shape; file:line of the "
    "installed source that sets it).",
)
def tbl_framework_defaults():
    return _defaults_table("ff")


@table(
    "architectures/framework-defaults-recurrent",
    caption="Default initialisation of recurrent layers (input size 128, hidden size 256), measured the same way.",
)
def tbl_framework_defaults_recurrent():
    return _defaults_table("rec")


@claim(
    "architectures.embedding-scales-differ",
    "The default embedding std differs across PyTorch, Keras and Flax by more than an order of magnitude.",
)
def embedding_scales():
    row = next(r for r in defaults_data()["rows"] if r["id"] == "embedding")
    stds = {fw: row[fw]["measured"]["std"] for fw in ("torch", "keras", "flax")}
    return {**stds, "ratio": max(stds.values()) / min(stds.values())}


@claim(
    "architectures.torch-linear-not-he",
    "PyTorch's default Linear weight std is 1/sqrt(3·fan_in): its variance is one sixth of He's.",
)
def torch_linear_vs_he():
    row = next(r for r in defaults_data()["rows"] if r["id"] == "linear-weight")
    m = row["torch"]["measured"]
    fan_in = 256
    he = math.sqrt(2 / fan_in)
    return {"std": m["std"], "he_std": he, "var_ratio": (m["std"] / he) ** 2, "max_abs": m["max_abs"]}


# --8<-- [start:default_depth]
import numpy as np  # noqa: E402, F811


def depth_profile(Ws, bs, X):
    """Mean squared pre-activation after each layer of a ReLU MLP, averaged over seeds."""
    h, q = X, []
    for W, b in zip(Ws, bs):
        z = h @ W + (0.0 if b is None else b)
        q.append(float((z**2).mean()))
        h = np.maximum(z, 0.0)
    return np.array(q)


# --8<-- [end:default_depth]


@functools.cache
def defaults_in_deep_relu(width=128, depth=20):
    """Pre-activation second moment vs depth of a ReLU MLP under each framework's Linear/Dense default."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((128, width))
    sizes = [width] * (depth + 1)
    s = 4  # seeds: the profile is a deterministic average over width x batch x seeds
    tW, tb = torch_default_layers(rng, sizes, s)
    bound = np.sqrt(6 / (2 * width))
    kW = [rng.uniform(-bound, bound, (s, width, width)) for _ in range(depth)]
    from_std = {"He N(0, 2/fan_in)": lambda a, b: np.sqrt(2 / a)}
    hW = gaussian_layers(rng, sizes, from_std["He N(0, 2/fan_in)"], s)
    return {
        "PyTorch default (with its biases)": depth_profile(tW, tb, X),
        "PyTorch default, biases off": depth_profile(tW, [None] * depth, X),
        "Keras glorot_uniform / Flax lecun_normal": depth_profile(kW, [None] * depth, X),
        "He": depth_profile(hW, [None] * depth, X),
    }


@claim(
    "architectures.torch-default-shrinks-relu",
    "In a deep ReLU MLP without biases, PyTorch's default Linear init divides the pre-activation "
    "second moment by about 6 per layer (He keeps it at 1); its biases then set a floor of order 1/(3·fan_in).",
)
def torch_default_shrink():
    prof = defaults_in_deep_relu()
    nob = prof["PyTorch default, biases off"]
    per_layer = float(np.exp(np.mean(np.diff(np.log(nob)))))
    he = prof["He"]
    return {
        "per_layer_factor": per_layer,
        "he_per_layer": float(np.exp(np.mean(np.diff(np.log(he))))),
        "with_bias_layer20": float(prof["PyTorch default (with its biases)"][-1]),
        "no_bias_layer20": float(nob[-1]),
        "bias_floor": 1 / (3 * 128),
    }


@figure(
    "architectures/defaults-deep-relu",
    alt="Log-scale plot of pre-activation second moment against layer index for a 20-layer ReLU MLP of width 128. "
    "He stays near 1; Keras/Flax defaults halve it every layer; PyTorch's default divides it by about six per layer "
    "until its random biases hold it at a floor near 1e-3.",
    caption="What each framework's default Linear/Dense init does to a deep ReLU MLP (width 128, no normalization).",
)
def fig_defaults_deep_relu():
    prof = defaults_in_deep_relu()
    fig, ax = new_figure(width=6.4, height=3.4)
    for (name, q), c in zip(prof.items(), COLORS):
        ax.semilogy(np.arange(1, len(q) + 1), q, marker="o", ms=3, color=c, label=name)
    ax.set_xlabel("layer")
    ax.set_ylabel("mean squared pre-activation")
    ax.legend(fontsize=8)
    return fig


# ------------------------------------------------------------------------------------------------
# CNNs: fan_in = C_in * kh * kw; transposed convolutions
# ------------------------------------------------------------------------------------------------
# --8<-- [start:conv]
import numpy as np  # noqa: E402, F811


def conv2d(x, w):
    """'same'-padded stride-1 convolution. x: [S, C_in, H, W]; w: [S, C_out, C_in, k, k]."""
    k = w.shape[-1]
    p = k // 2
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    H, W = x.shape[-2:]
    out = 0.0
    for i in range(k):
        for j in range(k):
            out = out + np.einsum("schw,soc->sohw", xp[:, :, i : i + H, j : j + W], w[:, :, :, i, j])
    return out


def conv_transpose2d(x, w, stride):
    """Transposed convolution. x: [S, C_in, H, W]; w: [S, C_in, C_out, k, k] (PyTorch's layout)."""
    S, _, H, W = x.shape
    k = w.shape[-1]
    out = np.zeros((S, w.shape[2], (H - 1) * stride + k, (W - 1) * stride + k))
    for i in range(k):
        for j in range(k):
            out[:, :, i : i + stride * H : stride, j : j + stride * W : stride] += np.einsum(
                "schw,sco->sohw", x, w[:, :, :, i, j]
            )
    return out


# --8<-- [end:conv]


@functools.cache
def conv_depth_experiment(channels=16, k=3, depth=8, size=12, seeds=SEEDS):
    """Activation second moment through a ReLU conv stack, He with fan_in = C·k² vs fan_in = C."""
    rng = np.random.default_rng(2)
    out = {}
    for name, fan in (
        ("fan_in = C_in·k_h·k_w", channels * k * k),
        ("fan_in = C_in (kernel forgotten)", channels),
    ):
        x = rng.standard_normal((seeds, channels, size, size))
        q = []
        for _ in range(depth):
            w = rng.standard_normal((seeds, channels, channels, k, k)) * np.sqrt(2 / fan)
            z = conv2d(x, w)
            inner = z[:, :, k:-k, k:-k]  # away from the zero padding
            q.append(float((inner**2).mean()))
            x = np.maximum(z, 0.0)
        out[name] = np.array(q)
    return out


@claim(
    "architectures.conv-fan-in",
    "He init with fan_in = C_in·k_h·k_w keeps a ReLU conv stack's activations at unit scale; using "
    "fan_in = C_in multiplies the second moment by about k_h·k_w = 9 per layer.",
)
def conv_fan_in():
    r = conv_depth_experiment()
    right, wrong = r.values()
    return {
        "right_per_layer": float(np.exp(np.mean(np.diff(np.log(right))))),
        "wrong_per_layer": float(np.exp(np.mean(np.diff(np.log(wrong))))),
        "right_last": float(right[-1]),
    }


@functools.cache
def convtranspose_experiment(c_in=16, c_out=16, k=4, stride=2, seeds=SEEDS):
    """Output variance of a transposed conv with unit-variance input, for weight std 1/sqrt(fan)."""
    rng = np.random.default_rng(3)
    x = rng.standard_normal((seeds, c_in, 10, 10))
    w = rng.standard_normal((seeds, c_in, c_out, k, k))
    y = conv_transpose2d(x, w, stride)[:, :, k:-k, k:-k]  # interior: full overlap
    contributions = float((y**2).mean())  # = number of (weight, input) terms summed per output
    return {
        "measured_terms": contributions,
        "c_in_k2_over_s2": c_in * k * k / stride**2,
        "torch_fan_in": c_out * k * k,
        "c_in_k2": c_in * k * k,
    }


@claim(
    "architectures.convtranspose-fan",
    "In a transposed convolution each output sums C_in·k²/s² terms, not C_in·k²; PyTorch computes the "
    "fan_in of its (C_in, C_out, k, k) weight as C_out·k².",
)
def convtranspose_fan():
    return convtranspose_experiment()


@figure(
    "architectures/conv-fan",
    alt="Left: log plot of activation second moment over 8 conv layers; with fan_in = C·k² it stays near 1, with "
    "fan_in = C it grows about ninefold per layer. Right: bar chart of the number of terms per transposed-conv "
    "output: measured equals C_in·k²/s² = 64, against C_in·k² = 256 and PyTorch's C_out·k² = 256.",
    caption="CNN fans. Left: a 3×3 ReLU conv stack (16 channels) under He init with the right and a wrong fan_in. "
    "Right: terms summed per output of a stride-2, 4×4 transposed convolution.",
)
def fig_conv_fan():
    r = conv_depth_experiment()
    t = convtranspose_experiment()
    fig, (a, b) = new_figure(1, 2, width=7.2, height=3.0)
    for (name, q), c in zip(r.items(), COLORS):
        a.semilogy(np.arange(1, len(q) + 1), q, marker="o", ms=3, color=c, label=name)
    a.set_xlabel("conv layer")
    a.set_ylabel("mean squared pre-activation")
    a.legend(fontsize=7)
    labels = ["measured", "C_in·k²/s²", "C_in·k²", "PyTorch\nC_out·k²"]
    vals = [t["measured_terms"], t["c_in_k2_over_s2"], t["c_in_k2"], t["torch_fan_in"]]
    b.bar(labels, vals, color=[COLORS[0], COLORS[2], COLORS[6], COLORS[5]])
    b.set_ylabel("terms per output")
    b.tick_params(axis="x", labelsize=7)
    return fig


# ------------------------------------------------------------------------------------------------
# RNNs: the spectral radius sets the rate; orthogonal keeps the norm
# ------------------------------------------------------------------------------------------------
# --8<-- [start:rnn]
import numpy as np  # noqa: E402, F811


def orthogonal(rng, n, seeds):
    """Haar-random orthogonal matrices [seeds, n, n] (QR with the sign fix)."""
    q, r = np.linalg.qr(rng.standard_normal((seeds, n, n)))
    return q * np.sign(np.diagonal(r, axis1=1, axis2=2))[:, None, :]


def norm_through_time(W, T):
    """||h_t|| / ||h_0|| for h_t = W h_{t-1}; W: [S, n, n]. Returns [T + 1, S]."""
    h = np.random.default_rng(0).standard_normal(W.shape[:2])
    h /= np.linalg.norm(h, axis=1, keepdims=True)
    out = [np.ones(W.shape[0])]
    for _ in range(T):
        h = (W @ h[..., None])[..., 0]
        out.append(np.linalg.norm(h, axis=1))
    return np.array(out)


# --8<-- [end:rnn]


@functools.cache
def rnn_experiment(n=64, T=100, gains=(0.9, 1.0, 1.1)):
    rng = np.random.default_rng(4)
    res = {}
    for g in gains:
        W = rng.standard_normal((SEEDS, n, n)) * g / np.sqrt(n)
        rho = np.abs(np.linalg.eigvals(W)).max(1)
        res[f"Gaussian, gain {g}"] = (norm_through_time(W, T), rho)
    Q = orthogonal(rng, n, SEEDS)
    res["orthogonal"] = (norm_through_time(Q, T), np.abs(np.linalg.eigvals(Q)).max(1))
    return res


@claim(
    "architectures.rnn-spectral-radius",
    "Through 100 steps of h_t = W h_{t-1}, the norm grows or decays per step at the rate of W's spectral "
    "radius (within 5%), while an orthogonal W keeps it exactly.",
)
def rnn_rates():
    out = {}
    for name, (norms, rho) in rnn_experiment().items():
        T = norms.shape[0] - 1
        # per-step rate over the second half, after the transient
        rate = np.exp((np.log(norms[-1]) - np.log(norms[T // 2])) / (T - T // 2))
        key = name.replace("Gaussian, gain ", "g").replace(".", "_")
        out[f"{key}_rate"] = float(np.median(rate))
        out[f"{key}_rho"] = float(np.median(rho))
        out[f"{key}_max_rel_err"] = float(np.max(np.abs(rate / rho - 1)))
    out["orth_max_dev"] = float(np.abs(rnn_experiment()["orthogonal"][0] - 1).max())
    return out


@figure(
    "architectures/rnn-norm",
    alt="Log plot of hidden-state norm over 100 time steps: Gaussian recurrent matrices with gain 0.9 decay, gain "
    "1.1 grow exponentially, gain 1.0 drifts, and the orthogonal matrix stays exactly at 1.",
    caption="Norm of h_t = W h_{t−1} through time (width 64, median and 10–90% band over 20 seeds).",
)
def fig_rnn_norm():
    fig, ax = new_figure(width=6.4, height=3.2)
    for (name, (norms, _)), c in zip(rnn_experiment().items(), COLORS):
        t = np.arange(norms.shape[0])
        ax.semilogy(t, np.median(norms, 1), color=c, label=name)
        ax.fill_between(t, np.percentile(norms, 10, 1), np.percentile(norms, 90, 1), color=c, alpha=0.2, lw=0)
    ax.set_xlabel("time step t")
    ax.set_ylabel("‖h_t‖ / ‖h_0‖")
    ax.legend(fontsize=8)
    return fig


# ------------------------------------------------------------------------------------------------
# LSTMs: forget-gate bias
# ------------------------------------------------------------------------------------------------
# --8<-- [start:lstm]
import numpy as np  # noqa: E402, F811


def lstm_cells(params, x, c0, h0):
    """Run an LSTM over x [T, S, B, n_in]; return the cell states [T + 1, S, B, n]."""
    Wx, Wh, b = params  # [S, n_in, 4n], [S, n, 4n], [S, 1, 4n]; gate order i, f, g, o
    n = Wh.shape[1]
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    c, h, cs = c0, h0, [c0]
    for xt in x:
        z = xt @ Wx + h @ Wh + b
        i, f, g, o = (
            sig(z[..., :n]),
            sig(z[..., n : 2 * n]),
            np.tanh(z[..., 2 * n : 3 * n]),
            sig(z[..., 3 * n :]),
        )
        c = f * c + i * g
        h = o * np.tanh(c)
        cs.append(c)
    return np.array(cs)


def cell_gradient_through_time(params, x, eps=1e-6):
    """|| d c_t / d c_0 · v || for a random unit direction v, by a forward difference (all paths)."""
    S, B, n = x.shape[1], x.shape[2], params[1].shape[1]
    rng = np.random.default_rng(0)
    c0, h0 = np.zeros((S, B, n)), np.zeros((S, B, n))
    v = rng.standard_normal((S, B, n))
    v /= np.linalg.norm(v, axis=-1, keepdims=True)
    base = lstm_cells(params, x, c0, h0)
    bumped = lstm_cells(params, x, c0 + eps * v, h0)
    return np.linalg.norm(bumped - base, axis=-1).mean(-1) / eps  # [T + 1, S]


# --8<-- [end:lstm]


@functools.cache
def lstm_experiment(n=64, n_in=32, T=60, B=8, biases=(0.0, 1.0, 2.0)):
    """Keras-style LSTM (glorot_uniform input, orthogonal recurrent) with forget bias 0, 1, 2."""
    rng = np.random.default_rng(5)
    bound = np.sqrt(6 / (n_in + 4 * n))
    Wx = rng.uniform(-bound, bound, (SEEDS, n_in, 4 * n))
    Wh = np.concatenate([orthogonal(rng, n, SEEDS) for _ in range(4)], axis=2)
    x = rng.standard_normal((T, SEEDS, B, n_in))
    out = {}
    for bf in biases:
        b = np.zeros((SEEDS, 1, 4 * n))
        b[..., n : 2 * n] = bf
        out[bf] = cell_gradient_through_time((Wx, Wh, b), x)
    return out


@claim(
    "architectures.lstm-forget-bias",
    "The gradient reaching the LSTM cell state from 50 steps later is orders of magnitude larger with "
    "forget-gate bias 1 than with bias 0, and larger still with bias 2.",
)
def lstm_forget():
    r = lstm_experiment()
    t = 50
    g = {bf: np.median(v[t]) for bf, v in r.items()}
    return {
        "bias0": float(g[0.0]),
        "bias1": float(g[1.0]),
        "bias2": float(g[2.0]),
        "ratio_1_over_0": float(g[1.0] / g[0.0]),
        "ratio_2_over_1": float(g[2.0] / g[1.0]),
        "sigmoid0": 0.5,
        "sigmoid1": float(1 / (1 + np.exp(-1))),
        "sigmoid2": float(1 / (1 + np.exp(-2))),
    }


@figure(
    "architectures/lstm-forget",
    alt="Log plot of the gradient norm of the cell state with respect to the initial cell state over 60 steps, for "
    "forget bias 0, 1 and 2: bias 0 falls fastest (roughly halving each step), bias 2 slowest.",
    caption="‖∂c_t/∂c_0‖ of an LSTM (64 units, Keras-style init) with forget-gate bias 0, 1 and 2; median and "
    "10–90% band over 20 seeds.",
)
def fig_lstm_forget():
    fig, ax = new_figure(width=6.4, height=3.2)
    for (bf, g), c in zip(lstm_experiment().items(), COLORS):
        t = np.arange(g.shape[0])
        ax.semilogy(t, np.median(g, 1), color=c, label=f"forget bias {bf:g}")
        ax.fill_between(t, np.percentile(g, 10, 1), np.percentile(g, 90, 1), color=c, alpha=0.2, lw=0)
    ax.set_xlabel("steps T")
    ax.set_ylabel("‖∂c_T/∂c_0 · v‖")
    ax.legend(fontsize=8)
    return fig


# ------------------------------------------------------------------------------------------------
# residual networks
# ------------------------------------------------------------------------------------------------
# --8<-- [start:resnet]
import numpy as np  # noqa: E402, F811


def residual_init(rng, L, n, scheme, seeds=20):
    """Branch weights (W1, W2) [L, S, n, n] and branch multiplier for x <- x + a·W2ᵀrelu(W1ᵀx)."""
    he = np.sqrt(2 / n)
    W1 = rng.standard_normal((L, seeds, n, n)) * he
    W2 = rng.standard_normal((L, seeds, n, n)) * he
    a = 1.0
    if scheme == "1/sqrt(L)":
        a = 1 / np.sqrt(L)
    elif scheme == "Fixup":  # m = 2 layers per branch: scale W1 by L^(-1/(2m-2)), zero the last layer
        W1 *= L ** (-1 / 2)
        W2[:] = 0.0
    elif scheme == "zero-γ":  # a norm with γ = 0 ends each branch: the branch outputs 0 at init
        a = 0.0
    return W1, W2, a


def residual_forward(x, W1, W2, a):
    """Returns the stream after every block: [L + 1, S, B, n]."""
    xs = [x]
    for l in range(W1.shape[0]):
        x = x + a * (np.maximum(x @ W1[l], 0.0) @ W2[l])
        xs.append(x)
    return np.array(xs)


# --8<-- [end:resnet]


RES_SCHEMES = ("plain He", "1/sqrt(L)", "Fixup", "zero-γ")
RES_DEPTHS = (1, 2, 4, 8, 16, 32, 64)


@functools.cache
def residual_variance(n=64, B=32):
    """Var(x_L) / Var(x_0) of a residual MLP with L blocks, per scheme and depth. [S] per entry."""
    out = {}
    for scheme in RES_SCHEMES:
        for L in RES_DEPTHS:
            rng = np.random.default_rng(6)  # the same draws for every scheme and depth
            x0 = rng.standard_normal((SEEDS, B, n))
            W1, W2, a = residual_init(rng, L, n, scheme)
            with np.errstate(over="ignore"):
                xL = residual_forward(x0, W1, W2, a)[-1]
            out[scheme, L] = (xL**2).mean((1, 2)) / (x0**2).mean((1, 2))
    return out


@claim(
    "architectures.resnet-variance",
    "Under plain He init a residual MLP's output variance triples with every block (1 + 2 from a two-layer He "
    "branch, within 10%); scaling branches by 1/sqrt(L) levels it off at e² ≈ 7.4, the limit of (1 + 2/L)^L "
    "(never above 1.1·e²), and Fixup or zero-γ keep it at exactly 1.",
)
def resnet_variance():
    r = residual_variance()
    plain = np.array([np.median(r["plain He", L]) for L in RES_DEPTHS])
    growth = float(np.exp(np.polyfit(RES_DEPTHS, np.log(plain), 1)[0]))
    return {
        "plain_per_block": growth,
        "plain_L16": float(np.median(r["plain He", 16])),
        "sqrtL_max": float(max(np.median(r["1/sqrt(L)", L]) for L in RES_DEPTHS)),
        "fixup_max_dev": float(max(np.abs(r["Fixup", L] - 1).max() for L in RES_DEPTHS)),
        "zero_gamma_max_dev": float(max(np.abs(r["zero-γ", L] - 1).max() for L in RES_DEPTHS)),
    }


def _res_train(scheme, L, n, X, Y, lr, steps, seed):
    """Train a residual MLP (stem, L blocks, readout) by full-batch GD; returns the loss curve [steps + 1, S]."""
    rng = np.random.default_rng(seed)
    d, C = X.shape[1], Y.shape[1]
    Win = rng.standard_normal((SEEDS, d, n)) * np.sqrt(1 / d)
    Wout = rng.standard_normal((SEEDS, n, C)) * np.sqrt(1 / n)
    W1, W2, a = residual_init(rng, L, n, scheme)
    gamma = np.zeros((L, SEEDS, 1, n)) if scheme == "zero-γ" else None
    curve = []
    with np.errstate(all="ignore"):
        for _ in range(steps + 1):
            x = np.einsum("bd,sdn->sbn", X, Win)
            cache = []
            for l in range(L):
                u = x @ W1[l]
                r = np.maximum(u, 0.0)
                v = r @ W2[l]
                if gamma is not None:
                    vn, inv = _layernorm(v)
                    x_new = x + gamma[l] * vn
                else:
                    vn, inv = None, None
                    x_new = x + a * v
                cache.append((x, u, r, vn, inv))
                x = x_new
            loss, g = softmax_xent(x @ Wout, Y)
            curve.append(np.where(np.isfinite(loss), loss, np.inf))
            gWout = np.swapaxes(x, 1, 2) @ g
            g = g @ np.swapaxes(Wout, 1, 2)
            for l in range(L - 1, -1, -1):
                x, u, r, vn, inv = cache[l]
                if gamma is not None:
                    ggamma = (g * vn).sum(1, keepdims=True)
                    gv = _layernorm_back(g * gamma[l], vn, inv)
                    gamma[l] -= lr * ggamma
                else:
                    gv = a * g
                gW2 = np.swapaxes(r, 1, 2) @ gv
                gu = (gv @ np.swapaxes(W2[l], 1, 2)) * (u > 0)
                gW1 = np.swapaxes(x, 1, 2) @ gu
                g = g + gu @ np.swapaxes(W1[l], 1, 2)
                W1[l] -= lr * gW1
                W2[l] -= lr * gW2
            Win -= lr * np.einsum("bd,sbn->sdn", X, g)
            Wout -= lr * gWout
    return np.array(curve)


@functools.cache
def residual_training(L=12, n=24, lr=0.05, steps=60):
    X, Y = toy_task(n=64)
    return {s: _res_train(s, L, n, X, Y, lr, steps, seed=7) for s in RES_SCHEMES}


@claim(
    "architectures.resnet-training",
    "Training a 12-block residual MLP at one learning rate, plain He init diverges or stalls in most seeds, "
    "while 1/sqrt(L), Fixup and zero-γ all reduce the loss below half of its chance level ln C in every seed.",
)
def resnet_training():
    r = residual_training()
    lnC = np.log(4)
    out = {}
    for s, curve in r.items():
        key = {"plain He": "plain", "1/sqrt(L)": "sqrtL", "Fixup": "fixup", "zero-γ": "zero_gamma"}[s]
        final = curve[-1]
        out[f"{key}_success"] = float(np.mean(final < 0.5 * lnC))
        out[f"{key}_median_final"] = float(np.median(final))
    out["lnC"] = float(lnC)
    return out


@figure(
    "architectures/resnet",
    alt="Left: log plot of output variance against number of residual blocks: plain He grows as 3^L, 1/sqrt(L) "
    "levels off below e squared, Fixup and zero-gamma stay at 1. Right: training loss curves of a 16-block residual MLP "
    "for the four schemes; plain He diverges, the others fall.",
    caption="Residual networks. Left: Var(x_L)/Var(x_0) at init vs number of blocks (width 64, median over "
    "20 seeds). Right: full-batch training loss, 12 blocks, learning rate 0.05 (median and 10–90% band over 20 seeds).",
)
def fig_resnet():
    r = residual_variance()
    t = residual_training()
    fig, (a, b) = new_figure(1, 2, width=7.4, height=3.2)
    for s, c in zip(RES_SCHEMES, COLORS):
        a.loglog(RES_DEPTHS, [np.median(r[s, L]) for L in RES_DEPTHS], marker="o", ms=3, color=c, label=s)
        curve = np.minimum(t[s], 1e3)
        k = np.arange(curve.shape[0])
        b.semilogy(k, np.median(curve, 1), color=c, label=s)
        b.fill_between(k, np.percentile(curve, 10, 1), np.percentile(curve, 90, 1), color=c, alpha=0.15, lw=0)
    a.set_xlabel("residual blocks L")
    a.set_ylabel("Var(x_L) / Var(x_0)")
    a.legend(fontsize=7)
    b.axhline(np.log(4), color=COLORS[6], ls="--", lw=1)
    b.set_xlabel("step")
    b.set_ylabel("training loss (capped at 1e3)")
    return fig


# ------------------------------------------------------------------------------------------------
# Transformers: std 0.02 and GPT-2's 1/sqrt(N) residual projections
# ------------------------------------------------------------------------------------------------
# --8<-- [start:gpt]
import numpy as np  # noqa: E402, F811


def gelu(z):
    return 0.5 * z * (1 + np.tanh(np.sqrt(2 / np.pi) * (z + 0.044715 * z**3)))


def gpt_weights(rng, n_blocks, d=64, std=0.02, seeds=20):
    """Per block: W_qkv [S, d, 3d], W_o [S, d, d], W_fc [S, d, 4d], W_proj [S, 4d, d], all N(0, std²)."""
    shapes = ((d, 3 * d), (d, d), (d, 4 * d), (4 * d, d))
    return [[rng.standard_normal((seeds, *s)) * std for s in shapes] for _ in range(n_blocks)]


def gpt_stream_variance(x, blocks, proj_scale=1.0):
    """Var of the residual stream after pre-LN blocks, relative to the embedding x [S, T, d].

    The two residual projections of a block (attention out, MLP out) are multiplied by
    ``proj_scale`` (GPT-2: 1/sqrt(N) with N = 2·blocks residual layers; 0: zero-init).
    """
    T, d = x.shape[1:]
    v0 = (x**2).mean()
    mask = np.triu(np.full((T, T), -np.inf), 1)
    ln = lambda x: (x - x.mean(-1, keepdims=True)) / x.std(-1, keepdims=True)  # noqa: E731
    out = []
    for W_qkv, W_o, W_fc, W_proj in blocks:
        q, k, v = np.split(ln(x) @ W_qkv, 3, axis=-1)
        s = q @ np.swapaxes(k, 1, 2) / np.sqrt(d) + mask
        p = np.exp(s - s.max(-1, keepdims=True))
        p /= p.sum(-1, keepdims=True)
        x = x + (p @ v) @ W_o * proj_scale
        x = x + gelu(ln(x) @ W_fc) @ W_proj * proj_scale
        out.append((x**2).mean() / v0)
    return np.array(out)


# --8<-- [end:gpt]


GPT_DEPTHS = (2, 4, 8, 16, 32)


@functools.cache
def gpt_experiment():
    rng = np.random.default_rng(8)
    x = rng.standard_normal((20, 16, 64)) * 0.02  # token + position embedding, std 0.02
    blocks = gpt_weights(rng, max(GPT_DEPTHS))  # block k is the same in every model
    res = {}
    for name in ("std 0.02 everywhere", "GPT-2: projections × 1/sqrt(2N)", "projections zero-init"):
        finals = []
        for N in GPT_DEPTHS:
            scale = {"std 0.02 everywhere": 1.0, "projections zero-init": 0.0}.get(name, 1 / np.sqrt(2 * N))
            finals.append(gpt_stream_variance(x, blocks[:N], proj_scale=scale)[-1])
        res[name] = np.array(finals)
    return res


@claim(
    "architectures.gpt2-residual-scaling",
    "With std 0.02 everywhere, the variance of a pre-LN Transformer's residual stream grows about linearly "
    "with the number of blocks N; with GPT-2's 1/sqrt(N) scaling of the residual projections it stays flat "
    "(within a factor 1.5 from 2 to 32 blocks).",
)
def gpt2_scaling():
    r = gpt_experiment()
    plain = r["std 0.02 everywhere"]
    slope = float(np.polyfit(np.log(GPT_DEPTHS), np.log(plain - 1), 1)[0])
    scaled = r["GPT-2: projections × 1/sqrt(2N)"]
    return {
        "plain_N2": float(plain[0]),
        "plain_N32": float(plain[-1]),
        "plain_loglog_slope": slope,
        "scaled_N2": float(scaled[0]),
        "scaled_N32": float(scaled[-1]),
        "scaled_spread": float(scaled.max() / scaled.min()),
        "zero_init_N32": float(r["projections zero-init"][-1]),
    }


@claim(
    "architectures.gpt2-std-vs-lecun",
    "GPT-2's std 0.02 is smaller than LeCun's 1/sqrt(d_model) for every GPT-2 size.",
)
def gpt2_std_vs_lecun():
    # d_model of GPT-2 small, medium, large, XL (Radford et al. 2019, Table 2)
    return {f"d{d}": 0.02 * math.sqrt(d) for d in (768, 1024, 1280, 1600)}


@figure(
    "architectures/gpt2",
    alt="Log-log plot of final residual-stream variance relative to the embedding against number of blocks: "
    "with std 0.02 everywhere it rises roughly linearly; with GPT-2's scaled projections it stays flat near 2; "
    "with zero-initialised projections it stays at exactly 1.",
    caption="Residual-stream variance of a pre-LN Transformer at init (d_model 64, 16 tokens, 20 seeds) "
    "relative to the embedding variance, after N blocks.",
)
def fig_gpt2():
    fig, ax = new_figure(width=6.0, height=3.2)
    for (name, v), c in zip(gpt_experiment().items(), COLORS):
        ax.loglog(GPT_DEPTHS, v, marker="o", ms=4, color=c, label=name)
    ax.set_xlabel("blocks N")
    ax.set_ylabel("Var(stream) / Var(embedding)")
    ax.legend(fontsize=8)
    return fig


# ------------------------------------------------------------------------------------------------
# normalization layers widen the trainable range of init scales
# ------------------------------------------------------------------------------------------------
NORM_GAINS = tuple(2.0**k for k in range(-4, 5))


@functools.cache
def norm_range(depth=6, width=32, lr=0.1, steps=80, seeds=8):
    """Fraction of seeds whose loss falls below ln(C)/2, per weight multiplier g, with and without LayerNorm."""
    X, Y = toy_task(n=64)
    rng = np.random.default_rng(9)
    sizes = [X.shape[1]] + [width] * depth
    G = len(NORM_GAINS)
    out = {}
    for norm in (False, True):
        base = gaussian_layers(rng, sizes, lambda a, b: np.sqrt(2 / a), G * seeds)
        g = np.repeat(np.array(NORM_GAINS), seeds)[:, None, None]
        Ws = [W * g for W in base] + [rng.standard_normal((G * seeds, width, Y.shape[1])) / np.sqrt(width)]
        curve = train_mlp(Ws, [None] * len(Ws), X, Y, norm=norm, lr=lr, steps=steps)
        ok = (curve[-1] < 0.5 * np.log(Y.shape[1])).reshape(G, seeds).mean(1)
        out["LayerNorm" if norm else "no norm"] = ok
    return out


def _decades(ok):
    """Decades of weight scale covered by the grid points (spaced by 2×) where at least half the seeds trained."""
    return sum(o >= 0.5 for o in ok) * math.log10(2)


@claim(
    "architectures.norm-widens-range",
    "A 6-layer ReLU MLP with LayerNorm (γ = 1, β = 0) trains across a range of weight scales at least "
    "twice as wide, in decades, as the same MLP without normalization.",
)
def norm_widens():
    r = norm_range()
    return {
        "decades_norm": _decades(r["LayerNorm"]),
        "decades_plain": _decades(r["no norm"]),
        "min_gain_norm": min(g for g, o in zip(NORM_GAINS, r["LayerNorm"]) if o >= 0.5),
        "max_gain_norm": max(g for g, o in zip(NORM_GAINS, r["LayerNorm"]) if o >= 0.5),
        "min_gain_plain": min((g for g, o in zip(NORM_GAINS, r["no norm"]) if o >= 0.5), default=0),
        "max_gain_plain": max((g for g, o in zip(NORM_GAINS, r["no norm"]) if o >= 0.5), default=0),
    }


@figure(
    "architectures/norm-range",
    alt="Success rate against weight multiplier g from 1/16 to 16 on a log axis: without normalization only "
    "multipliers near 1 train; with LayerNorm a much wider band of multipliers trains.",
    caption="Fraction of 8 seeds reaching loss < ln(C)/2 in 80 steps, for hidden weights N(0, g²·2/fan_in); "
    "6 hidden layers of width 32, learning rate 0.1.",
)
def fig_norm_range():
    fig, ax = new_figure(width=6.0, height=3.0)
    for (name, ok), c, m in zip(norm_range().items(), COLORS, "os"):
        ax.semilogx(NORM_GAINS, ok, marker=m, color=c, label=name, base=2)
    ax.set_xlabel("weight multiplier g (× He std)")
    ax.set_ylabel("fraction of seeds that trained")
    ax.legend(fontsize=8)
    return fig


# ------------------------------------------------------------------------------------------------
# width scaling: SP vs muP
# ------------------------------------------------------------------------------------------------
# --8<-- [start:mup]
import numpy as np  # noqa: E402, F811


def first_updates(n, param, rng, n0=32, d=16, B=32, steps=3, lr=0.05, seeds=20):
    """RMS change of the output and of the last hidden features after a few SGD steps (MSE loss)."""
    X = rng.standard_normal((B, d))
    y = rng.standard_normal((B, 1))
    W = [rng.standard_normal((seeds, d, n)) / np.sqrt(d), rng.standard_normal((seeds, n, n)) / np.sqrt(n)]
    if param == "SP":  # standard: readout N(0, 1/n), one learning rate for all layers
        W.append(rng.standard_normal((seeds, n, 1)) / np.sqrt(n))
        lrs = [lr, lr, lr]
    else:  # muP for SGD, base width n0: readout zero, learning rates lr·n/n0, lr, lr·n0/n
        W.append(np.zeros((seeds, n, 1)))
        lrs = [lr * n / n0, lr, lr * n0 / n]

    def forward(W):
        z1 = np.einsum("bd,sdn->sbn", X, W[0])
        h1 = np.maximum(z1, 0)
        z2 = h1 @ W[1]
        h2 = np.maximum(z2, 0)
        return z1, h1, z2, h2, h2 @ W[2]

    _, _, _, h2_0, f0 = forward(W)
    for _ in range(steps):
        z1, h1, z2, h2, f = forward(W)
        g = (f - y) / B
        grads = [
            None,
            np.swapaxes(h1, 1, 2) @ ((g @ np.swapaxes(W[2], 1, 2)) * (z2 > 0)),
            np.swapaxes(h2, 1, 2) @ g,
        ]
        g1 = (((g @ np.swapaxes(W[2], 1, 2)) * (z2 > 0)) @ np.swapaxes(W[1], 1, 2)) * (z1 > 0)
        grads[0] = np.einsum("bd,sbn->sdn", X, g1)
        W = [w - e * gw for w, e, gw in zip(W, lrs, grads)]
    _, _, _, h2_1, f1 = forward(W)
    return float(np.sqrt(((f1 - f0) ** 2).mean())), float(np.sqrt(((h2_1 - h2_0) ** 2).mean()))


# --8<-- [end:mup]


MUP_WIDTHS = (32, 64, 128, 256, 512)


@functools.cache
def mup_experiment():
    rng = np.random.default_rng(10)
    return {p: np.array([first_updates(n, p, rng) for n in MUP_WIDTHS]) for p in ("SP", "muP")}


@claim(
    "architectures.mup-exponents",
    "At a fixed learning rate, the first updates of the standard parametrization grow with width n "
    "(output change ∝ n^a with a ≥ 0.75); under μP with a zero-initialised readout neither the output change "
    "nor the feature change grows (both exponents below 0.15).",
)
def mup_exponents():
    r = mup_experiment()
    lw = np.log(MUP_WIDTHS)
    slope = lambda v: float(np.polyfit(lw, np.log(v), 1)[0])  # noqa: E731
    return {
        "sp_output": slope(r["SP"][:, 0]),
        "sp_feature": slope(r["SP"][:, 1]),
        "mup_output": slope(r["muP"][:, 0]),
        "mup_feature": slope(r["muP"][:, 1]),
    }


@figure(
    "architectures/mup",
    alt="Log-log plot of first-update size against width from 32 to 512: under SP the output change and "
    "feature change rise with width; under muP both stay flat.",
    caption="Size of the first updates (RMS change after 3 SGD steps) vs width, 2-hidden-layer ReLU MLP, "
    "20 seeds. Solid: output; dashed: last hidden features.",
)
def fig_mup():
    r = mup_experiment()
    fig, ax = new_figure(width=6.0, height=3.2)
    for (p, v), c in zip(r.items(), COLORS):
        ax.loglog(MUP_WIDTHS, v[:, 0], marker="o", color=c, label=f"{p}: output")
        ax.loglog(MUP_WIDTHS, v[:, 1], marker="s", ls="--", color=c, label=f"{p}: features")
    ax.set_xlabel("width n")
    ax.set_ylabel("RMS change after 3 steps")
    ax.legend(fontsize=8)
    return fig


# ------------------------------------------------------------------------------------------------
# embeddings: the scale decides the initial loss when the readout is tied
# ------------------------------------------------------------------------------------------------
# --8<-- [start:embedding]
import numpy as np  # noqa: E402, F811


def tied_initial_loss(emb_std, vocab=512, d=128, B=64, seeds=20, seed=11):
    """Initial next-token loss of logits = LayerNorm(E[token]) @ Eᵀ with random targets; [seeds]."""
    rng = np.random.default_rng(seed)
    E = rng.standard_normal((seeds, vocab, d)) * emb_std
    tok = rng.integers(0, vocab, B)
    target = np.eye(vocab)[rng.integers(0, vocab, B)]
    h = E[:, tok]
    h = (h - h.mean(-1, keepdims=True)) / h.std(-1, keepdims=True)
    z = h @ np.swapaxes(E, 1, 2)
    z = z - z.max(-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    return -(target * logp).sum(-1).mean(-1)


# --8<-- [end:embedding]


EMB_STDS = tuple(np.logspace(-2.5, 0.5, 13))


@functools.cache
def embedding_experiment():
    # each framework's default std at this width d = 128 (Flax's is 1/sqrt(features): 0.0625 at 256 in the table)
    fw = {
        "torch": embedding_scales()["torch"],
        "keras": embedding_scales()["keras"],
        "flax": 1 / math.sqrt(128),
    }
    sweep = np.array([np.median(tied_initial_loss(s)) for s in EMB_STDS])
    at_fw = {k: float(np.median(tied_initial_loss(s))) for k, s in fw.items()}
    return sweep, at_fw


@claim(
    "architectures.embedding-initial-loss",
    "With a tied readout (vocabulary 512, width 128), PyTorch's N(0, 1) and Flax's N(0, 1/d) default embeddings "
    "start the loss more than 1.5× above ln V, Keras's U(±0.05) within 10% of ln V.",
)
def embedding_initial_loss():
    _, at_fw = embedding_experiment()
    return {**at_fw, "lnV": float(np.log(512)), "flax_std": 1 / math.sqrt(128)}


@figure(
    "architectures/embedding",
    alt="Initial loss against embedding std on a log axis with the ln V line: below about 0.1 the loss sits at "
    "ln V; above it rises steeply. Markers: Keras's default sits at ln V, Flax's above it, PyTorch's std 1 far above.",
    caption="Initial loss of a tied-embedding readout vs embedding std (vocabulary 512, width 128, 20 seeds); "
    "dashed: ln V.",
)
def fig_embedding():
    sweep, at_fw = embedding_experiment()
    stds = {
        "torch": embedding_scales()["torch"],
        "keras": embedding_scales()["keras"],
        "flax": 1 / math.sqrt(128),
    }
    fig, ax = new_figure(width=6.0, height=3.0)
    ax.semilogx(EMB_STDS, sweep, color=COLORS[0], marker="o", ms=3, label="tied readout")
    ax.axhline(np.log(512), color=COLORS[6], ls="--", lw=1, label="ln V")
    for (k, s), c, m in zip(stds.items(), COLORS[1:], "s^D"):
        ax.plot([s], [at_fw[k]], marker=m, color=c, ls="none", ms=7, label=f"{k} default")
    ax.set_xlabel("embedding std")
    ax.set_ylabel("initial loss")
    ax.legend(fontsize=8)
    return fig


# ------------------------------------------------------------------------------------------------
# LSUV (Mishkin & Matas 2016)
# ------------------------------------------------------------------------------------------------
# --8<-- [start:lsuv]
import numpy as np  # noqa: E402, F811


def lsuv(Ws, X, act=np.tanh, tol=0.1, max_iter=10, seed=0):
    """Layer-sequential unit-variance init: orthonormal start, then rescale each layer's output.

    Ws: list of [S, n_in, n_out] (only shapes are used). Returns the new weights and the number of
    rescaling passes each layer needed.
    """
    rng = np.random.default_rng(seed)
    out, passes, h = [], [], X
    for W in Ws:
        S, a, b = W.shape
        q, r = np.linalg.qr(rng.standard_normal((S, max(a, b), min(a, b))))
        q = q * np.sign(np.diagonal(r, axis1=1, axis2=2))[:, None, :]
        W = q if a >= b else np.swapaxes(q, 1, 2)  # orthonormal columns or rows
        for k in range(max_iter):  # noqa: B007 (k is the pass count)
            var = (h @ W).var(axis=(-2, -1), keepdims=True)  # per seed
            if np.all(np.abs(var - 1) < tol):
                break
            W = W / np.sqrt(var)
        passes.append(k)
        out.append(W)
        h = act(h @ W)
    return out, passes


# --8<-- [end:lsuv]


LSUV_DEPTH, LSUV_WIDTH = 12, 32


@functools.cache
def lsuv_experiment():
    X, Y = toy_task()
    rng = np.random.default_rng(12)
    sizes = [X.shape[1]] + [LSUV_WIDTH] * LSUV_DEPTH + [Y.shape[1]]
    shapes = [np.empty((SEEDS, a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    Ws, passes = lsuv(shapes, X, act=_relu)
    h, used = X, []
    for W in Ws:
        used.append((h @ W).var(axis=(-2, -1)))
        h = _relu(h @ W)
    # variance of every layer's output on a fresh batch of the same distribution
    Xf = np.random.default_rng(99).standard_normal((512, X.shape[1]))
    h, fresh = Xf, []
    for W in Ws:
        z = h @ W
        fresh.append(z.var(axis=(-2, -1)))
        h = _relu(z)
    tW, tb = torch_default_layers(rng, sizes)
    hW = gaussian_layers(rng, sizes, lambda a, b: np.sqrt(2 / a))
    runs = {
        "PyTorch default": (tW, tb),
        "He": (hW, [None] * len(hW)),
        "LSUV": (Ws, [None] * len(Ws)),
    }
    curves = {k: train_mlp(w, b, X[:128], Y[:128], lr=0.05, steps=100) for k, (w, b) in runs.items()}
    return np.array(used), np.array(fresh), passes, curves


@claim(
    "architectures.lsuv-unit-variance",
    "After LSUV, every layer of a 13-layer ReLU MLP has output variance within 1 ± 0.1 on the batch LSUV saw, "
    "for all 20 seeds, after at most 3 rescaling passes per layer; on a fresh batch the median over seeds of "
    "every layer is also within 1 ± 0.1.",
)
def lsuv_unit():
    used, fresh, passes, _ = lsuv_experiment()
    med = np.median(fresh, 1)
    return {
        "min_var": float(used.min()),
        "max_var": float(used.max()),
        "max_passes": int(max(passes)),
        "fresh_min": float(fresh.min()),
        "fresh_max": float(fresh.max()),
        "fresh_median_min": float(med.min()),
        "fresh_median_max": float(med.max()),
    }


@claim(
    "architectures.lsuv-training",
    "On the toy task, a 13-layer ReLU MLP initialised with LSUV or He gets below half of ln C in 100 steps "
    "(median over 20 seeds), while PyTorch's default Linear init stays above 90% of ln C.",
)
def lsuv_training():
    *_, curves = lsuv_experiment()
    out = {f"{k.split()[0].lower()}_final": float(np.median(v[-1])) for k, v in curves.items()}
    out["lnC"] = float(np.log(4))
    return out


@figure(
    "architectures/lsuv",
    alt="Left: per-layer output variance after LSUV on a fresh batch, median within 0.9 to 1.1. Right: training loss curves: LSUV and "
    "He fall, PyTorch default stays near ln 4.",
    caption="LSUV on a 13-layer ReLU MLP (width 32). Left: output variance of each layer on a fresh batch "
    "(median and range over 20 seeds; shaded: 1 ± 0.1). Right: full-batch training loss (median, 10–90% band).",
)
def fig_lsuv():
    _, fresh, _, curves = lsuv_experiment()
    fig, (a, b) = new_figure(1, 2, width=7.2, height=3.0)
    layers = np.arange(1, fresh.shape[0] + 1)
    a.plot(layers, np.median(fresh, 1), marker="o", color=COLORS[0])
    a.fill_between(layers, fresh.min(1), fresh.max(1), color=COLORS[0], alpha=0.2, lw=0)
    a.axhspan(0.9, 1.1, color=COLORS[6], alpha=0.15, lw=0)
    a.set_ylim(0.5, 1.5)
    a.set_xlabel("layer")
    a.set_ylabel("output variance")
    for (k, v), c in zip(curves.items(), COLORS[1:]):
        s = np.arange(v.shape[0])
        b.plot(s, np.median(v, 1), color=c, label=k)
        b.fill_between(s, np.percentile(v, 10, 1), np.percentile(v, 90, 1), color=c, alpha=0.15, lw=0)
    b.axhline(np.log(4), color=COLORS[6], ls="--", lw=1)
    b.set_xlabel("step")
    b.set_ylabel("training loss")
    b.legend(fontsize=8)
    return fig


# ------------------------------------------------------------------------------------------------
# diagnose your own init
# ------------------------------------------------------------------------------------------------
# --8<-- [start:diagnose]
import numpy as np  # noqa: E402, F811


def diagnose(Ws, bs, X, Y, act="tanh"):
    """Per-layer activation and gradient statistics of an MLP at init, and the initial-loss check.

    Ws: list of [n_in, n_out] (one network); bs: list of [n_out] or None; Y: one-hot [B, C].
    """
    from snippets.architectures import mlp_grads  # forward + backward of a (vectorized) MLP

    Ws3 = [W[None] for W in Ws]
    bs3 = [None if b is None else b[None, None] for b in bs]
    loss, gWs, _, cache = mlp_grads(Ws3, bs3, X, Y, act)
    rows = []
    for i, (W, gW, (_, z, _, _, a)) in enumerate(zip(Ws, gWs, cache)):
        out = z if a is None else a
        flat = np.abs(out) > 0.97 if act == "tanh" else out <= 0
        rows.append(
            {
                "layer": i + 1,
                "act_mean": float(out.mean()),
                "act_std": float(out.std()),
                "saturated_or_dead": float(flat.mean()) if a is not None else float("nan"),
                "grad_std": float(gW.std()),
                "grad_to_weight": float(gW.std() / W.std()),
            }
        )
    C = Y.shape[1]
    expected = -np.log(1 / C)  # Karpathy: a fresh classifier should predict ~uniformly
    return rows, {
        "initial_loss": float(loss[0]),
        "expected": float(expected),
        "ok": bool(abs(loss[0] / expected - 1) < 0.1),
    }


# --8<-- [end:diagnose]


def _diag_nets(rng, sizes, kind):
    if kind == "bad: N(0, 1)":
        return [rng.standard_normal((a, b)) for a, b in zip(sizes[:-1], sizes[1:])]
    # LeCun × tanh gain 5/3 for hidden layers; a small readout so the start is near uniform
    Ws = [rng.standard_normal((a, b)) * (5 / 3) / np.sqrt(a) for a, b in zip(sizes[:-2], sizes[1:-1])]
    return Ws + [rng.standard_normal(sizes[-2:]) * 0.1 / np.sqrt(sizes[-2])]


DIAG_SIZES = (16, 64, 64, 64, 64, 4)


@functools.cache
def diagnose_experiment():
    X, Y = toy_task()
    rng = np.random.default_rng(13)
    out = {}
    for kind in ("bad: N(0, 1)", "good: LeCun × 5/3, small readout"):
        runs = [diagnose(_diag_nets(rng, DIAG_SIZES, kind), [None] * 5, X, Y) for _ in range(SEEDS)]
        out[kind] = runs
    return out


@table("architectures/diagnose", caption="diagnose() on a 5-layer tanh MLP (width 64, 4 classes), one seed.")
def tbl_diagnose():
    header = ["init", "layer", "act mean", "act std", "saturated", "grad std", "grad/weight", "initial loss"]
    rows = []
    for kind, runs in diagnose_experiment().items():
        layer_rows, check = runs[0]
        for r in layer_rows:
            sat = "—" if np.isnan(r["saturated_or_dead"]) else f"{r['saturated_or_dead']:.0%}"
            loss = (
                f"{check['initial_loss']:.2f} vs −ln(1/4) = {check['expected']:.2f}"
                if r["layer"] == 1
                else ""
            )
            rows.append(
                [
                    kind if r["layer"] == 1 else "",
                    str(r["layer"]),
                    f"{r['act_mean']:.2f}",
                    f"{r['act_std']:.2f}",
                    sat,
                    f"{r['grad_std']:.2g}",
                    f"{r['grad_to_weight']:.2g}",
                    loss,
                ]
            )
    return header, rows


@claim(
    "architectures.initial-loss-check",
    "The initial-loss check flags the N(0, 1) tanh MLP (loss more than twice −ln(1/C)) in every seed and passes "
    "the LeCun × 5/3 one (within 10% of −ln(1/C)) in every seed.",
)
def initial_loss_check():
    r = diagnose_experiment()
    bad = np.array([c["initial_loss"] for _, c in r["bad: N(0, 1)"]])
    good = np.array([c["initial_loss"] for _, c in r["good: LeCun × 5/3, small readout"]])
    lnC = float(np.log(4))
    return {
        "bad_min": float(bad.min()),
        "bad_median": float(np.median(bad)),
        "good_max_rel_err": float(np.max(np.abs(good / lnC - 1))),
        "good_median": float(np.median(good)),
        "good_pass_rate": float(np.mean([c["ok"] for _, c in r["good: LeCun × 5/3, small readout"]])),
        "bad_pass_rate": float(np.mean([c["ok"] for _, c in r["bad: N(0, 1)"]])),
        "expected": lnC,
        "bad_saturation_last_hidden": float(
            np.median([rows[-2]["saturated_or_dead"] for rows, _ in r["bad: N(0, 1)"]])
        ),
    }


# ------------------------------------------------------------------------------------------------
# the decision guide
# ------------------------------------------------------------------------------------------------
def _default(row_id, fw):
    c = next(r for r in defaults_data()["rows"] if r["id"] == row_id)[fw]
    return c["init"].split(" (")[0].split(":")[0]


@table(
    "architectures/decision-guide", caption="Which init to use. Defaults are from the measured table above."
)
def tbl_decision_guide():
    header = [
        "architecture · activation",
        "use",
        "PyTorch default",
        "Keras default",
        "Flax default",
        "change the default?",
        "evidence",
    ]
    d = lambda i: [_default(i, fw) for fw in ("torch", "keras", "flax")]  # noqa: E731
    rows = [
        [
            "MLP/CNN · ReLU, GELU",
            "He: N(0, 2/fan_in), fan_in = C_in·k_h·k_w",
            *d("linear-weight"),
            "yes in PyTorch and Keras, Flax (their variance is 1/6 and 1/2 of He's) for deep nets without norm",
            "[defaults](#framework-defaults), [CNN](#cnn)",
        ],
        [
            "MLP/CNN · tanh",
            "LeCun × gain 5/3 (or Glorot)",
            *d("linear-weight"),
            "PyTorch: yes (std is 1/√3 of LeCun's); Keras/Flax: close enough",
            "[diagnose](#diagnose)",
        ],
        [
            "any · with BatchNorm/LayerNorm",
            "any sane scale; γ = 1, β = 0",
            *d("batchnorm"),
            "rarely: norm layers widen the usable range",
            "[normalization](#normalization)",
        ],
        [
            "ResNet (no norm)",
            "Fixup: zero last branch layer, rescale the rest",
            *d("conv-weight"),
            "yes: zero the last layer (or γ) of each branch",
            "[residual](#residual)",
        ],
        [
            "ResNet (with BN)",
            "zero-γ in the last BN of each block",
            *d("batchnorm"),
            "optional: set that γ to 0",
            "[residual](#residual)",
        ],
        [
            "Transformer",
            "N(0, 0.02²); residual projections × 1/√(2·blocks) or zero",
            *d("mha-in"),
            "yes for deep stacks: scale or zero the output projections",
            "[transformers](#transformers)",
        ],
        [
            "RNN (tanh)",
            "orthogonal recurrent matrix",
            *d("rnn-recurrent"),
            "PyTorch: yes (use orthogonal_)",
            "[RNN](#rnn)",
        ],
        [
            "LSTM",
            "orthogonal recurrent, forget bias 1",
            *d("lstm-forget-bias"),
            "PyTorch and Flax: set the forget bias to 1",
            "[LSTM](#lstm)",
        ],
        [
            "Embedding (tied readout)",
            "small std (≈ 1/√d or 0.02)",
            *d("embedding"),
            "PyTorch: yes if tied",
            "[embeddings](#embeddings)",
        ],
        [
            "wide nets, width transfer",
            "μP: zero readout, per-layer learning rates",
            "—",
            "—",
            "—",
            "yes if you tune on a narrow model",
            "[μP](#width)",
        ],
        ["anything unusual", "LSUV, or check with diagnose()", "—", "—", "—", "measure it", "[LSUV](#lsuv)"],
    ]
    return header, rows
