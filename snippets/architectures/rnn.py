"""RNNs (the spectral radius sets the rate; orthogonal keeps the norm) and the LSTM forget-gate bias."""

from __future__ import annotations

import functools

import numpy as np

from snippets import claim, figure
from snippets._seeds import over_blocks, rng
from snippets._style import COLORS
from snippets.architectures._common import EXP, LINES, fig_axes, orthogonal

BLOCKS, PER_BLOCK = 5, 4  # 20 seeds in 5 independent blocks


# --8<-- [start:rnn]
def norm_through_time(W, T, h0):
    """||h_t|| / ||h_0|| for h_t = W h_{t-1}; W: [S, n, n], h0: [S, n]. Returns [T + 1, S]."""
    h = h0 / np.linalg.norm(h0, axis=1, keepdims=True)
    out = [np.ones(W.shape[0])]
    for _ in range(T):
        h = (W @ h[..., None])[..., 0]
        out.append(np.linalg.norm(h, axis=1))
    return np.array(out)


# --8<-- [end:rnn]

RNN_ARMS = ("gain 0.9", "gain 1.0", "gain 1.1", "orthogonal")


@functools.cache
def rnn_experiment(block=0, n=64, T=100):
    """Every arm uses the same Gaussian draws Z (scaled by the gain) and the same start h0."""
    g = rng(EXP["rnn"], block)
    Z = g.standard_normal((PER_BLOCK, n, n)) / np.sqrt(n)
    h0 = g.standard_normal((PER_BLOCK, n))
    Q = orthogonal(g, n, PER_BLOCK)
    res = {}
    for name in RNN_ARMS:
        W = Q if name == "orthogonal" else Z * float(name.split()[1])
        res[name] = (norm_through_time(W, T, h0), np.abs(np.linalg.eigvals(W)).max(1))
    return res


@claim(
    "architectures.rnn-spectral-radius",
    "Through 100 steps of h_t = W h_{t-1}, the norm grows or decays per step at the rate of W's spectral "
    "radius (within 5% on every seed of every block), while an orthogonal W keeps it exactly.",
)
def rnn_rates():
    def measure(b):
        out = {}
        for name, (norms, rho) in rnn_experiment(b).items():
            T = norms.shape[0] - 1
            rate = np.exp((np.log(norms[-1]) - np.log(norms[T // 2])) / (T - T // 2))  # second half
            key = "orth" if name == "orthogonal" else "g" + name.split()[1].replace(".", "_")
            out[f"{key}_rate"] = float(np.median(rate))
            out[f"{key}_rho"] = float(np.median(rho))
            out[f"{key}_max_rel_err"] = float(np.max(np.abs(rate / rho - 1)))
        out["orth_max_dev"] = float(np.abs(rnn_experiment(b)["orthogonal"][0] - 1).max())
        return out

    return over_blocks(measure, BLOCKS)


@figure(
    "architectures/rnn-norm",
    alt="Log plot of hidden-state norm over 100 time steps: Gaussian recurrent matrices with gain 0.9 decay, gain "
    "1.1 grow exponentially, gain 1.0 drifts, and the orthogonal matrix stays exactly at 1.",
    caption="Norm of h_t = W h_{t−1} through time (width 64, median over 20 seeds; the arms share their draws).",
)
def fig_rnn_norm():
    runs = [rnn_experiment(b) for b in range(BLOCKS)]
    fig, ax = fig_axes(height=3.2)
    for name, c, ls in zip(RNN_ARMS, COLORS, LINES):
        norms = np.concatenate([r[name][0] for r in runs], axis=1)
        t = np.arange(norms.shape[0])
        med = np.median(norms, 1)
        ax.semilogy(t, med, color=c, ls=ls)
        ax.annotate(name, (t[-1], med[-1]), xytext=(-2, 4), textcoords="offset points", ha="right", color=c)
    ax.set_xlabel("time step $t$")
    ax.set_ylabel(r"$\|h_t\| / \|h_0\|$")
    return fig


# ------------------------------------------------------------------------------------------------
# LSTMs: forget-gate bias
# ------------------------------------------------------------------------------------------------
# --8<-- [start:lstm]
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def lstm_cells(params, x, c0, h0):
    """Run an LSTM over x [T, S, B, n_in]; return the cell states [T + 1, S, B, n]."""
    Wx, Wh, b = params  # [S, n_in, 4n], [S, n, 4n], [S, 1, 4n]; gate order i, f, g, o
    c, h, cs = c0, h0, [c0]
    for xt in x:
        i, f, g, o = np.split(xt @ Wx + h @ Wh + b, 4, axis=-1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        cs.append(c)
    return np.array(cs)


def cell_gradient_through_time(params, x, v, eps=1e-6):
    """||d c_t / d c_0 · v|| for unit directions v [S, B, n], by a forward difference (all paths)."""
    c0 = h0 = np.zeros(v.shape)
    base = lstm_cells(params, x, c0, h0)
    bumped = lstm_cells(params, x, c0 + eps * v, h0)
    return np.linalg.norm(bumped - base, axis=-1).mean(-1) / eps  # [T + 1, S]


# --8<-- [end:lstm]

LSTM_BIASES = (0.0, 1.0, 2.0)


@functools.cache
def lstm_experiment(block=0, n=64, n_in=32, T=60, B=8):
    """LSTM with glorot_uniform input weights and an orthogonal recurrent block per gate, forget bias 0, 1, 2;
    the three arms share every draw."""
    g = rng(EXP["lstm"], block)
    S = PER_BLOCK
    bound = np.sqrt(6 / (n_in + 4 * n))
    Wx = g.uniform(-bound, bound, (S, n_in, 4 * n))
    Wh = np.concatenate([orthogonal(g, n, S) for _ in range(4)], axis=2)
    x = g.standard_normal((T, S, B, n_in))
    v = g.standard_normal((S, B, n))
    v /= np.linalg.norm(v, axis=-1, keepdims=True)
    out = {}
    for bf in LSTM_BIASES:
        b = np.zeros((S, 1, 4 * n))
        b[..., n : 2 * n] = bf
        out[bf] = cell_gradient_through_time((Wx, Wh, b), x, v)
    return out


@claim(
    "architectures.lstm-forget-bias",
    "The gradient reaching the LSTM cell state from 50 steps later is at least 100 times larger with forget-gate "
    "bias 1 than with bias 0, and larger still with bias 2, in every seed block; with bias 0 it shrinks by a "
    "factor of about 0.69 per step (within 10%), not 0.5.",
)
def lstm_forget():
    def measure(b):
        r = lstm_experiment(b)
        g = {bf: np.median(v, 1) for bf, v in r.items()}  # median over seeds, per step
        t = 50
        per_step = float(np.exp(np.mean(np.diff(np.log(g[0.0][10 : t + 1])))))
        return {
            "bias0": float(g[0.0][t]),
            "bias1": float(g[1.0][t]),
            "bias2": float(g[2.0][t]),
            "ratio_1_over_0": float(g[1.0][t] / g[0.0][t]),
            "ratio_2_over_1": float(g[2.0][t] / g[1.0][t]),
            "per_step_bias0": per_step,
        }

    return {**over_blocks(measure, BLOCKS), "sigmoid1": float(1 / (1 + np.exp(-1)))}


@figure(
    "architectures/lstm-forget",
    alt="Log plot of the gradient norm of the cell state with respect to the initial cell state over 60 steps, for "
    "forget bias 0, 1 and 2: bias 0 falls fastest (about 0.69 per step), bias 2 slowest.",
    caption="‖∂c_t/∂c_0 · v‖ of an LSTM (64 units, orthogonal recurrent block per gate) with forget-gate bias 0, 1 "
    "and 2; median and 10–90% band over 20 seeds (the arms share their draws).",
)
def fig_lstm_forget():
    runs = [lstm_experiment(b) for b in range(BLOCKS)]
    fig, ax = fig_axes(height=3.2)
    for bf, c, ls in zip(LSTM_BIASES, COLORS, LINES):
        g = np.concatenate([r[bf] for r in runs], axis=1)
        t = np.arange(g.shape[0])
        med = np.median(g, 1)
        ax.semilogy(t, med, color=c, ls=ls)
        ax.fill_between(t, np.percentile(g, 10, 1), np.percentile(g, 90, 1), color=c, alpha=0.2, lw=0)
        ax.annotate(
            f"$b_f = {bf:g}$",
            (t[-1], med[-1]),
            xytext=(-12, 9),
            textcoords="offset points",
            ha="right",
            color=c,
        )
    ax.set_xlabel("steps $T$")
    ax.set_ylabel(r"$\|\partial c_T/\partial c_0 \cdot v\|$")
    return fig
