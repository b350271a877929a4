"""When the init *is* a guess at the optimum: a prior over tasks, learned or designed.

Three measurements, each against a random init of the same network:

* Reptile: an init meta-learned over a family of sine-regression tasks, then 5 SGD steps on 10
  points of a new task;
* pretraining: features learned on related tasks, then fine-tuning on a few points of a new one;
* HiPPO-LegS: a state matrix designed to memorize a signal's history, against a random one.
"""

from __future__ import annotations

import functools

# --8<-- [start:imports]
import numpy as np

# --8<-- [end:imports]
from snippets import claim, figure
from snippets._seeds import over_blocks, rng
from snippets._style import COLORS, new_figure

BLOCKS, PER_BLOCK = 5, 2
REPTILE_ID, PRETRAIN_ID, HIPPO_ID = 1404, 1405, 1406

# ----------------------------------------------------------------------------------------------
# Reptile on sine regression (Nichol et al. 2018, Section 8.1's toy problem)
# ----------------------------------------------------------------------------------------------
SIZES = (1, 32, 32, 1)  # a 1-32-32-1 tanh network
INNER_LR, INNER_STEPS, SHOTS = 0.02, 5, 10  # SGD on 10 points of a task, 5 steps
META_ITERS, META_BATCH, OUTER_LR = 1000, 5, 1.0
TEST_TASKS = 100


def init_mlp(g, runs):
    """LeCun normal weights, zero biases, for `runs` networks: [W1, b1, W2, b2, W3, b3]."""
    p = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:]):
        p += [g.standard_normal((runs, n_in, n_out)) / np.sqrt(n_in), np.zeros((runs, 1, n_out))]
    return p


def mlp_grad(p, x, y):
    """Mean squared error of R networks on x [R, n, 1] and its gradients."""
    hs = [x]
    for i in range(0, len(p) - 2, 2):
        hs.append(np.tanh(hs[-1] @ p[i] + p[i + 1]))
    out = hs[-1] @ p[-2] + p[-1]
    d = 2 * (out - y) / y.shape[-2]
    grads = [None] * len(p)
    for i in range(len(p) - 2, -1, -2):
        h = hs[i // 2]
        grads[i], grads[i + 1] = h.mT @ d, d.sum(-2, keepdims=True)
        if i:
            d = (d @ p[i].mT) * (1 - h**2)
    return ((out - y) ** 2).mean((-2, -1)), grads


def sine_tasks(g, shape, n):
    """x in [-5, 5], y = A sin(x + phase), A ~ U[0.1, 5], phase ~ U[0, pi]: `shape` tasks."""
    amp = g.uniform(0.1, 5.0, shape + (1, 1))
    phase = g.uniform(0.0, np.pi, shape + (1, 1))
    x = g.uniform(-5, 5, shape + (n, 1))
    return x, amp * np.sin(x + phase), (amp, phase)


# --8<-- [start:reptile]
def reptile(theta, g, iters=1000, batch=5):
    """Move the init towards the weights that a few SGD steps reach on sampled tasks."""
    for t in range(iters):
        x, y, _ = sine_tasks(g, (len(theta[0]), batch), SHOTS)
        phi = [np.repeat(p[:, None], batch, 1) for p in theta]  # [seeds, tasks, ...]
        for _ in range(INNER_STEPS):
            phi = [q - INNER_LR * gq for q, gq in zip(phi, mlp_grad(phi, x, y)[1])]
        eps = OUTER_LR * (1 - t / iters)  # linearly annealed meta step
        theta = [p + eps * (q.mean(1) - p) for p, q in zip(theta, phi)]
    return theta


# --8<-- [end:reptile]


def adapt_mse(theta, g):
    """Test MSE on new tasks after INNER_STEPS SGD steps on SHOTS points: [seeds]."""
    S = len(theta[0])
    x, y, (amp, phase) = sine_tasks(g, (S, TEST_TASKS), SHOTS)
    phi = [np.repeat(p[:, None], TEST_TASKS, 1) for p in theta]
    for _ in range(INNER_STEPS):
        phi = [q - INNER_LR * gq for q, gq in zip(phi, mlp_grad(phi, x, y)[1])]
    xt = np.broadcast_to(np.linspace(-5, 5, 100)[:, None], (S, TEST_TASKS, 100, 1))
    return mlp_grad(phi, xt, amp * np.sin(xt + phase))[0].mean(-1)


@functools.cache
def reptile_runs():
    S = BLOCKS * PER_BLOCK
    theta0 = init_mlp(rng(REPTILE_ID, 0), S)
    theta = reptile(theta0, rng(REPTILE_ID, 1), META_ITERS, META_BATCH)
    return {"random": adapt_mse(theta0, rng(REPTILE_ID, 2)), "reptile": adapt_mse(theta, rng(REPTILE_ID, 2))}


@claim(
    "philosophy.reptile",
    f"After {INNER_STEPS} SGD steps on {SHOTS} points of a new sine task, a network started "
    "from the Reptile init has 15% to 30% of the test error of the same network started from a "
    "random init, in every seed block.",
)
def reptile_claim():
    r = reptile_runs()

    def measure(b):
        s = slice(b * PER_BLOCK, (b + 1) * PER_BLOCK)
        rnd, rep = float(np.median(r["random"][s])), float(np.median(r["reptile"][s]))
        return {"random": rnd, "reptile": rep, "ratio": rep / rnd}

    out = over_blocks(measure, BLOCKS)
    out["seeds"], out["test_tasks"] = BLOCKS * PER_BLOCK, TEST_TASKS
    return out


# ----------------------------------------------------------------------------------------------
# Pretrain, then fine-tune
# ----------------------------------------------------------------------------------------------
PT_DIM, PT_HIDDEN = 8, 16  # input dimension, width of teacher and student
PT_N, FT_N = 200, 20  # pretraining points (task A), fine-tuning points (task B)
PT_STEPS, FT_STEPS, PT_LR = 800, 300, 0.1
PT_PER_BLOCK = 4  # seeds per block of this experiment
RELATED = 0.3  # task B = task A's teacher with every weight perturbed by 30% (relative)


def two_layer_fit(p, x, y, steps, lr=PT_LR):
    """Full-batch gradient descent on a tanh network p = [W1, b1, W2, b2] (all trained)."""
    for _ in range(steps):
        h = np.tanh(x @ p[0] + p[1])
        d = 2 * (h @ p[2] + p[3] - y) / y.shape[-2]
        dh = (d @ p[2].mT) * (1 - h**2)
        grads = (x.mT @ dh, dh.sum(-2, keepdims=True), h.mT @ d, d.sum(-2, keepdims=True))
        p = [q - lr * gq for q, gq in zip(p, grads)]
    return p


def _net(p, x):
    return np.tanh(x @ p[0] + p[1]) @ p[2] + p[3]


@functools.cache
def pretrain_runs():
    S = BLOCKS * PT_PER_BLOCK
    g = rng(PRETRAIN_ID, 0)
    lecun = lambda *shape: g.standard_normal((S,) + shape) / np.sqrt(shape[0])  # noqa: E731
    zeros = lambda *shape: np.zeros((S,) + shape)  # noqa: E731
    task_a = [2 * lecun(PT_DIM, PT_HIDDEN), zeros(1, PT_HIDDEN), lecun(PT_HIDDEN, 1), zeros(1, 1)]
    task_b = [w + RELATED * np.std(w) * g.standard_normal(w.shape) for w in task_a]
    random = [lecun(PT_DIM, PT_HIDDEN), zeros(1, PT_HIDDEN), lecun(PT_HIDDEN, 1), zeros(1, 1)]
    x_a, x_b, x_te = (g.standard_normal((S, n, PT_DIM)) for n in (PT_N, FT_N, 2000))
    pretrained = two_layer_fit(random, x_a, _net(task_a, x_a), PT_STEPS)  # training on task A
    y_te = _net(task_b, x_te)
    out = {}
    for name, start in (("pretrained", pretrained), ("random", random)):
        p = two_layer_fit(start, x_b, _net(task_b, x_b), FT_STEPS)  # fine-tuning on task B
        out[name] = ((_net(p, x_te) - y_te) ** 2).mean((-2, -1)) / y_te.var((-2, -1))
        out[name + "_start"] = ((_net(start, x_te) - y_te) ** 2).mean((-2, -1)) / y_te.var((-2, -1))
    return out


@claim(
    "philosophy.pretrain",
    f"Fine-tuned on {FT_N} points of a task B, a network pretrained on a related task A "
    "reaches a lower test error than the same network from a random init, with the same "
    "steps, in every seed block (ratio below 0.9).",
)
def pretrain_claim():
    r = pretrain_runs()

    def measure(b):
        s = slice(b * PT_PER_BLOCK, (b + 1) * PT_PER_BLOCK)
        pre, rnd = float(np.median(r["pretrained"][s])), float(np.median(r["random"][s]))
        return {"pretrained": pre, "random": rnd, "ratio": pre / rnd}

    out = over_blocks(measure, BLOCKS)
    out["seeds"] = BLOCKS * PT_PER_BLOCK
    return out


# ----------------------------------------------------------------------------------------------
# HiPPO-LegS: a state matrix designed to remember
# ----------------------------------------------------------------------------------------------
H_STATE, H_LEN, H_TRAIN, H_TEST = 16, 200, 400, 200


# --8<-- [start:hippo]
def legs_matrices(N):
    """HiPPO-LegS: A[n, k] = sqrt(2n+1) sqrt(2k+1) below the diagonal, n+1 on it; B[n] = sqrt(2n+1)."""
    q = np.sqrt(2 * np.arange(N) + 1.0)
    A = np.tril(np.outer(q, q), -1) + np.diag(np.arange(N) + 1.0)
    return A, q


def run_memory(u, steps):
    """Run a linear memory c_k = c_{k-1} M_k^T + u_k b_k over sequences u [..., T]; steps(k)
    gives (M_k, b_k). Returns the final state."""
    c = np.zeros(u.shape[:-1] + (len(steps(0)[1]),))
    for k in range(u.shape[-1]):
        Mk, bk = steps(k)
        c = c @ Mk.T + u[..., k, None] * bk
    return c


def legs_steps(N):
    """HiPPO-LegS, c' = (B u - A c) / t, discretized with bilinear steps at t = k + 1."""
    A, B = legs_matrices(N)
    eye = np.eye(N)

    def step(k):
        lhs = eye + A / (2 * (k + 1))
        return np.linalg.solve(lhs, eye - A / (2 * (k + 1))), np.linalg.solve(lhs, B / (k + 1))

    return step


# --8<-- [end:hippo]


def random_steps(g, N, radius=0.98):
    """A random recurrent matrix (Gaussian, rescaled to spectral radius `radius`), random input."""
    W = g.standard_normal((N, N))
    W *= radius / np.abs(np.linalg.eigvals(W)).max()
    b = g.standard_normal(N) / np.sqrt(N)
    return lambda k: (W, b)


def smooth_signals(g, n, T=H_LEN, modes=20):
    """Random smooth signals: Fourier series with `modes` harmonics, amplitudes 1/j."""
    t = np.arange(T) / T
    j = np.arange(1, modes + 1)[:, None]
    a, b = g.standard_normal((2, n, modes, 1)) / j
    return (a * np.cos(2 * np.pi * j * t) + b * np.sin(2 * np.pi * j * t)).sum(-2)


def memory_error(steps, u_train, u_test):
    """Relative error of the best linear readout (fitted on u_train) from the final state to
    the whole history, on u_test."""
    C, Ct = run_memory(u_train, steps), run_memory(u_test, steps)
    R = np.linalg.lstsq(C, u_train, rcond=None)[0]
    return float(np.linalg.norm(Ct @ R - u_test) / np.linalg.norm(u_test))


@functools.cache
def hippo_runs():
    out = {"legs": [], "random": []}
    legs = legs_steps(H_STATE)
    for seed in range(BLOCKS * PER_BLOCK):
        g = rng(HIPPO_ID, seed)
        u_tr, u_te = smooth_signals(g, H_TRAIN), smooth_signals(g, H_TEST)
        out["legs"].append(memory_error(legs, u_tr, u_te))
        out["random"].append(memory_error(random_steps(g, H_STATE), u_tr, u_te))
    return {k: np.array(v) for k, v in out.items()}


@claim(
    "philosophy.hippo",
    f"With {H_STATE} state variables, reading a whole smooth signal of {H_LEN} steps back from "
    "its final state, the HiPPO-LegS recurrence leaves a relative error of about a quarter "
    "(0.22 to 0.28 in every block), 0.3 to 0.5 times that of a random recurrent matrix with the "
    "same linear readout.",
)
def hippo_claim():
    r = hippo_runs()

    def measure(b):
        s = slice(b * PER_BLOCK, (b + 1) * PER_BLOCK)
        legs, rnd = float(np.median(r["legs"][s])), float(np.median(r["random"][s]))
        return {"legs": legs, "random": rnd, "ratio": legs / rnd}

    out = over_blocks(measure, BLOCKS)
    out["seeds"] = BLOCKS * PER_BLOCK
    return out


@figure(
    "philosophy/guess",
    alt="Three pairs of bars, one pair per experiment, each comparing a random init with an "
    "informed one: Reptile against random on sine tasks, pretrained against random on a related "
    "task, HiPPO-LegS against a random recurrent matrix on memory. In every pair the informed "
    "init's error is the lower bar.",
    caption="When the init is a guess: test error from a random start and from an informed one, "
    "per experiment (median over its seeds; lines: min–max).",
)
def fig_guess():
    runs = [
        ("sine tasks\n(MSE)", reptile_runs(), "random", "reptile", "Reptile"),
        ("related task\n(rel. MSE)", pretrain_runs(), "random", "pretrained", "pretrained"),
        ("memory\n(rel. error)", hippo_runs(), "random", "legs", "HiPPO"),
    ]
    fig, axes = new_figure(1, 3, width=6.4, height=2.6)
    for ax, (title, r, a, b, label) in zip(axes, runs):
        for i, (key, color, hatch) in enumerate(((a, COLORS[6], ""), (b, COLORS[0], "//"))):
            v = r[key]
            med = np.median(v)
            ax.bar(i, med, color=color, hatch=hatch, edgecolor="white", width=0.7)
            ax.plot([i, i], [v.min(), v.max()], color="#1a1a1b", lw=1)
        ax.set_xticks([0, 1], ["random", label])
        ax.set_title(title, fontsize=9)
    axes[0].set_ylabel("test error")
    return fig
