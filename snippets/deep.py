"""Deep networks: the classic initialization results, reproduced next to the papers.

Each section of ``docs/deep.md`` has a small numpy reproduction here, vectorized over seeds
(arrays shaped ``[runs, ...]``), a "paper vs ours" table, a figure and claims. The heavy
experiments are memoized with :func:`functools.cache`, so claims, tables and figures share one run.
"""

from __future__ import annotations

import functools

# --8<-- [start:imports]
import numpy as np

# --8<-- [end:imports]
from snippets import claim, figure, table
from snippets._style import COLORS, new_figure

SEEDS = 20


# --8<-- [start:haar]
def haar_orthogonal(rng, shape, n):
    """Haar-random orthogonal n x n matrices, shape [*shape, n, n]: QR of a Gaussian, signs fixed."""
    Q, R = np.linalg.qr(rng.normal(size=(*shape, n, n)))
    return Q * np.sign(np.diagonal(R, axis1=-2, axis2=-1))[..., None, :]  # column j times sign(R_jj)


# --8<-- [end:haar]


@functools.cache
def _shared_weights(n, runs, layers, seed=0):
    """One shared set of Haar-orthogonal and unit-variance Gaussian matrices [runs, layers, n, n],
    reused by every experiment with that width (so the random matrices are drawn once)."""
    rng = np.random.default_rng(seed)
    return haar_orthogonal(rng, (runs, layers), n), rng.normal(0, 1 / np.sqrt(n), (runs, layers, n, n))


# ----------------------------------------------------------------------------------------------
# A small vectorized MLP: weights are [runs, n_in, n_out]; every run trains in lockstep.
# ----------------------------------------------------------------------------------------------
def _act(name):
    if name == "tanh":
        return np.tanh, lambda h, a: 1.0 - a * a
    if name == "relu":
        return (lambda h: np.maximum(h, 0.0)), (lambda h, a: (h > 0).astype(h.dtype))
    raise ValueError(name)


def _forward(Ws, bs, X, act):
    """Activations of every layer; the last layer is linear (logits)."""
    f, _ = _act(act)
    hs, acts = [], [X]
    a = X
    for i, (W, b) in enumerate(zip(Ws, bs)):
        h = a @ W + b
        a = h if i == len(Ws) - 1 else f(h)
        hs.append(h)
        acts.append(a)
    return hs, acts


def _backward(Ws, hs, acts, dlogits, act):
    """Gradients wrt weights, biases and every pre-activation (back-propagated gradients)."""
    _, df = _act(act)
    gW, gb, gh = [None] * len(Ws), [None] * len(Ws), [None] * len(Ws)
    g = dlogits
    for i in range(len(Ws) - 1, -1, -1):
        gh[i] = g
        gW[i] = np.swapaxes(acts[i], -1, -2) @ g
        gb[i] = g.sum(-2, keepdims=True)
        if i:
            g = (g @ np.swapaxes(Ws[i], -1, -2)) * df(hs[i - 1], acts[i])
    return gW, gb, gh


def _xent(logits, y):
    """Mean cross-entropy, accuracy and d(loss)/d(logits); ``y`` holds integer labels."""
    z = logits - logits.max(-1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(-1, keepdims=True)
    y = np.broadcast_to(y, logits.shape[:-1])
    n = y.shape[-1]
    onehot = np.eye(logits.shape[-1], dtype=logits.dtype)[y]
    loss = -(np.log(np.take_along_axis(p, y[..., None], -1) + 1e-12)).mean((-1, -2))
    acc = (p.argmax(-1) == y).mean(-1)
    return loss, acc, (p - onehot) / n


def _train(Ws, bs, data, act, lr, steps, batch=64, momentum=0.9, seed=0):
    """SGD with momentum on all runs at once; returns final test loss and accuracy per run.

    Computes in the weights' dtype (the training experiments use float32, twice as fast)."""
    dt = Ws[0].dtype
    Xtr, ytr, Xte, yte = data
    Xtr, Xte = Xtr.astype(dt), Xte.astype(dt)
    rng = np.random.default_rng(seed)
    vW = [np.zeros_like(W) for W in Ws]
    vb = [np.zeros_like(b) for b in bs]
    lr = np.asarray(lr, dt).reshape(-1, 1, 1)
    momentum = dt.type(momentum)
    with np.errstate(all="ignore"):
        for _ in range(steps):
            idx = rng.integers(0, len(ytr), batch)
            hs, acts = _forward(Ws, bs, Xtr[idx], act)
            _, _, d = _xent(hs[-1], ytr[idx])
            gW, gb, _ = _backward(Ws, hs, acts, d, act)
            for i in range(len(Ws)):
                vW[i] = momentum * vW[i] - lr * gW[i]
                vb[i] = momentum * vb[i] - lr * gb[i]
                Ws[i] += vW[i]
                bs[i] += vb[i]
        hs, _ = _forward(Ws, bs, Xte, act)
        loss, acc, _ = _xent(hs[-1], np.broadcast_to(yte, hs[-1].shape[:-1]))
    loss = np.where(np.isfinite(loss), loss, np.inf)
    return loss, acc


@functools.cache
def _teacher_task(d=32, classes=4, n_train=2048, n_test=1024, seed=1234):
    """Inputs x ~ N(0, I_d); labels = argmax of a random one-hidden-layer tanh teacher."""
    rng = np.random.default_rng(seed)
    A = rng.normal(0, 1 / np.sqrt(d), (d, 64))
    B = rng.normal(0, 1 / np.sqrt(64), (64, classes))
    X = rng.normal(size=(n_train + n_test, d))
    y = (np.tanh(2.0 * X @ A) @ B).argmax(-1)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


# ----------------------------------------------------------------------------------------------
# Glorot & Bengio (2010)
# ----------------------------------------------------------------------------------------------
# --8<-- [start:glorot_init]
def glorot_inits(sizes, seeds, rng):
    """Weights for both schemes of Glorot & Bengio, shape [seeds, n_in, n_out] per layer."""
    standard, normalized = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        u = rng.uniform(-1, 1, (seeds, n_in, n_out))
        standard.append(u / np.sqrt(n_in))  # U[-1/sqrt(n), 1/sqrt(n)], their eq. 1
        normalized.append(u * np.sqrt(6 / (n_in + n_out)))  # their eq. 16
    return standard, normalized


# --8<-- [end:glorot_init]

GLOROT_SIZES = [32] + [100] * 5 + [4]


@functools.cache
def _glorot_init_stats():
    """Activations, back-propagated gradients and weight gradients at initialization."""
    Xtr, ytr, _, _ = _teacher_task()
    X, y = Xtr[:512], ytr[:512]
    std, nrm = glorot_inits(GLOROT_SIZES, SEEDS, np.random.default_rng(0))
    out = {}
    for name, Ws in (("standard", std), ("normalized", nrm)):
        bs = [np.zeros((SEEDS, 1, W.shape[-1])) for W in Ws]
        hs, acts = _forward(Ws, bs, X, "tanh")
        _, _, d = _xent(hs[-1], np.broadcast_to(y, hs[-1].shape[:-1]))
        gW, _, gh = _backward(Ws, hs, acts, d, "tanh")
        out[name] = {
            "acts": [a for a in acts[1:6]],  # 5 hidden layers, [seeds, P, 100]
            "backprop": [g for g in gh[:5]],  # dCost/ds for the 5 hidden layers
            "weightgrad": [g for g in gW[:5]],
        }
    return out


def _layer_std(arrs):
    return np.stack([a.reshape(a.shape[0], -1).std(-1) for a in arrs], -1)  # [seeds, layers]


@claim(
    "deep.glorot-backprop-shrinks",
    "At initialization, standard init shrinks the back-propagated gradient from layer 5 to layer 1 "
    "by more than 4x on every seed; normalized init by less than 4x on every seed (about 2x).",
)
def glorot_backprop_ratio():
    s = _glorot_init_stats()
    r = {k: _layer_std(s[k]["backprop"]) for k in s}
    ratio = {k: r[k][:, 0] / r[k][:, 4] for k in r}  # layer 1 over layer 5, per seed
    return {
        "standard": float(np.median(ratio["standard"])),
        "normalized": float(np.median(ratio["normalized"])),
        "standard_max": float(ratio["standard"].max()),
        "normalized_min": float(ratio["normalized"].min()),
    }


@claim(
    "deep.glorot-weightgrad-level",
    "At initialization the weight-gradient spread across the 5 layers stays within 2x under both inits.",
)
def glorot_weightgrad_spread():
    s = _glorot_init_stats()
    out = {}
    for k in s:
        w = _layer_std(s[k]["weightgrad"])
        out[k] = float((w.max(-1) / w.min(-1)).max())  # worst seed
    return out


GLOROT_LRS = (0.01, 0.03, 0.1)
GLOROT_STEPS = 300
GLOROT_TRAIN_SIZES = [32] + [50] * 5 + [4]


@functools.cache
def _glorot_training():
    """Train the 5-layer tanh net from both inits; best learning rate per init (as the paper)."""
    data = _teacher_task()
    runs = SEEDS * len(GLOROT_LRS)
    std, nrm = glorot_inits(GLOROT_TRAIN_SIZES, runs, np.random.default_rng(7))  # same draws, two scales
    Ws = [np.concatenate(pair).astype(np.float32) for pair in zip(std, nrm)]  # both inits in one batch
    bs = [np.zeros((2 * runs, 1, W.shape[-1]), np.float32) for W in Ws]
    lr = np.tile(np.repeat(GLOROT_LRS, SEEDS), 2)
    loss, acc = _train(Ws, bs, data, "tanh", lr, GLOROT_STEPS, batch=32, seed=3)
    loss, acc = loss.reshape(2, len(GLOROT_LRS), SEEDS), acc.reshape(2, len(GLOROT_LRS), SEEDS)
    res = {}
    for i, name in enumerate(("standard", "normalized")):
        best = int(np.argmin(np.median(loss[i], -1)))
        res[name] = {"loss": loss[i, best], "err": 1 - acc[i, best], "lr": GLOROT_LRS[best]}
    return res


@claim(
    "deep.glorot-no-loss-advantage",
    "On our small teacher task, with a 300-step budget and the best of three learning rates each, "
    "normalized init does not end at a lower test loss than standard init on most seeds (it does on "
    "fewer than half of 20).",
)
def glorot_lower_loss():
    r = _glorot_training()
    wins = float((r["normalized"]["loss"] < r["standard"]["loss"]).mean())
    return {
        "standard": float(np.median(r["standard"]["loss"])),
        "normalized": float(np.median(r["normalized"]["loss"])),
        "win_rate": wins,
        "err_standard": float(np.median(r["standard"]["err"])),
        "err_normalized": float(np.median(r["normalized"]["err"])),
    }


@table("deep/glorot-table", caption="Glorot & Bengio (2010), Table 1, next to our toy reproduction.")
def glorot_table():
    r = glorot_lower_loss()
    b = glorot_backprop_ratio()
    head = [
        "quantity",
        "paper: Tanh (standard)",
        "paper: Tanh N (normalized)",
        "where",
        "ours: standard",
        "ours: normalized",
    ]
    rows = [
        ["test error, Shapeset-3×2", "27.15 %", "15.60 %", "Table 1", "", ""],
        ["test error, MNIST", "1.76 %", "1.64 %", "Table 1", "", ""],
        ["test error, CIFAR-10", "55.9 %", "52.92 %", "Table 1", "", ""],
        ["test error, Small-ImageNet", "70.58 %", "68.57 %", "Table 1", "", ""],
        [
            "test error, our teacher task (median of 20 seeds)",
            "",
            "",
            "",
            f"{r['err_standard']:.1%}",
            f"{r['err_normalized']:.1%}",
        ],
        ["n·Var[W] at init", "1/3", "1 (equal widths)", "eqs. 15, 12", "0.333", "1.000"],
        [
            "back-prop gradient std, layer 1 / layer 5",
            "decreasing",
            "level",
            "Fig. 7",
            f"{b['standard']:.2f}",
            f"{b['normalized']:.2f}",
        ],
    ]
    return head, rows


@figure(
    "deep/glorot-histograms",
    alt="Two rows of histograms for a 5-layer tanh network at initialization. With standard init the "
    "back-propagated gradients get narrower toward layer 1 and activations shrink toward higher layers; "
    "with normalized init both stay about as wide in every layer.",
    caption="Glorot & Bengio's Figures 6 and 7 in miniature: activation (left) and back-propagated "
    "gradient (right) histograms per layer at initialization, standard init (top) against normalized "
    "init (bottom), pooled over 20 seeds.",
)
def fig_glorot():
    s = _glorot_init_stats()
    fig, axes = new_figure(2, 2, width=7.5, height=5.0)
    for row, name in enumerate(("standard", "normalized")):
        for col, key in enumerate(("acts", "backprop")):
            ax = axes[row, col]
            arrs = s[name][key]
            lim = 1.0 if key == "acts" else float(np.quantile(np.abs(s["normalized"][key][4]), 0.995))
            bins = np.linspace(-lim, lim, 41)
            for i, a in enumerate(arrs):
                v = a.ravel()[::7]
                ax.hist(v, bins=bins, histtype="step", color=COLORS[i], label=f"layer {i + 1}", density=True)
            ax.set_yscale("log")
            ax.set_title(f"{name}: {'activations' if key == 'acts' else 'back-prop gradients'}")
            if row == 1:
                ax.set_xlabel("value")
    axes[0, 0].legend(fontsize=7)
    return fig


# ----------------------------------------------------------------------------------------------
# He, Zhang, Ren & Sun (2015)
# ----------------------------------------------------------------------------------------------
# --8<-- [start:he_scale]
def relu_depth_scale(depth, width, var_times_n, seeds=20, seed=0, samples=128):
    """log2(std after layer l / std of the input) of a plain ReLU stack: [seeds, depth]."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(seeds, samples, width))
    h, out = x, []
    for layer in range(depth):
        W = rng.normal(0, np.sqrt(var_times_n / width), (seeds, width, width))
        h = (np.maximum(h, 0) if layer else h) @ W  # ReLU between layers, not on the input
        out.append(np.log2(h.std((1, 2)) / x.std((1, 2))))
    return np.stack(out, -1)


# --8<-- [end:he_scale]

HE_WIDTH = 64
HE_DEPTH = 30


@functools.cache
def _he_scale_curves():
    """Xavier and He at width 64, 30 layers, 20 seeds: one run gives every depth."""
    return {v: relu_depth_scale(HE_DEPTH, HE_WIDTH, v, SEEDS) for v in (1.0, 2.0)}


@claim(
    "deep.he-output-scale",
    "In a 30-layer plain ReLU net at init, Xavier scales the output std to about 2^-15 of the input's "
    "(seed-mean log2 ratio within 0.5 of -15); He keeps it at about 2^0 (seed mean within 0.5 of 0).",
)
def he_output_scale():
    c = _he_scale_curves()
    x, h = c[1.0][:, -1], c[2.0][:, -1]
    return {
        "xavier_mean": float(x.mean()),
        "xavier_min": float(x.min()),
        "xavier_max": float(x.max()),
        "he_mean": float(h.mean()),
        "he_absmax": float(np.abs(h).max()),
    }


HE_STEPS = 250
HE_LR = 0.02


def _relu_net(depth, width, d, classes, var_times_n, rng):
    """float32 weights [runs, n_in, n_out]; ``var_times_n`` holds one n Var[w] per run."""
    v = np.asarray(var_times_n, float)[:, None, None]
    sizes = [d] + [width] * (depth - 1) + [classes]
    Ws = [
        (rng.normal(size=(len(v), a, b)) * np.sqrt(v / a)).astype(np.float32)
        for a, b in zip(sizes[:-1], sizes[1:])
    ]
    bs = [np.zeros((len(v), 1, b), np.float32) for b in sizes[1:]]
    return Ws, bs


@functools.cache
def _he_training():
    """Xavier and He side by side in one batch of 2 x 20 runs, for 30 and 10 layers."""
    data = _teacher_task()
    d, classes = data[0].shape[1], 4
    out = {}
    for depth in (30, 10):
        v = np.repeat([1.0, 2.0], SEEDS)  # runs 0-19 Xavier, 20-39 He
        Ws, bs = _relu_net(depth, 32, d, classes, v, np.random.default_rng(11))
        loss, acc = _train(Ws, bs, data, "relu", HE_LR, HE_STEPS, batch=32, seed=5)
        out[(depth, "xavier")], out[(depth, "he")] = acc[:SEEDS], acc[SEEDS:]
    chance = float(np.bincount(data[3], minlength=classes).max() / len(data[3]))
    return out, chance


HE_MARGIN = 0.10  # "trains": test accuracy at least 10 points above the majority-class rate


@claim(
    "deep.he-30-layer",
    "Trained for the same SGD budget, a 30-layer ReLU MLP with Xavier init trains on none of 20 seeds "
    "(it stays at the majority-class rate), while He init trains on most of them.",
)
def he_30_layer():
    acc, chance = _he_training()
    return {
        "chance": chance,
        "xavier_max": float(acc[(30, "xavier")].max()),
        "xavier_success": float((acc[(30, "xavier")] >= chance + HE_MARGIN).mean()),
        "he_success": float((acc[(30, "he")] >= chance + HE_MARGIN).mean()),
        "he_min": float(acc[(30, "he")].min()),
        "he_median": float(np.median(acc[(30, "he")])),
    }


@claim(
    "deep.he-shallow-both",
    "A 10-layer ReLU MLP trains under both Xavier and He init (at least 10 points above the "
    "majority-class rate on every one of 20 seeds).",
)
def he_shallow():
    acc, chance = _he_training()
    return {
        "chance": chance,
        "xavier_min": float(acc[(10, "xavier")].min()),
        "he_min": float(acc[(10, "he")].min()),
        "xavier_success": float((acc[(10, "xavier")] >= chance + HE_MARGIN).mean()),
        "he_success": float((acc[(10, "he")] >= chance + HE_MARGIN).mean()),
    }


# --8<-- [start:he_fanout]
def he_fan_in_vs_fan_out(widths, mode, seeds=20, seed=0):
    """Forward and backward log2 gain through a ReLU stack with varying widths."""
    rng = np.random.default_rng(seed)
    Ws = []
    for n_in, n_out in zip(widths[:-1], widths[1:]):
        n = n_in if mode == "fan_in" else n_out  # eq. 10 uses n_l, eq. 14 uses n-hat_l
        Ws.append(rng.normal(0, np.sqrt(2 / n), (seeds, n_in, n_out)))
    x = rng.normal(size=(seeds, 128, widths[0]))
    h, masks = x @ Ws[0], []
    for W in Ws[1:]:
        masks.append(h > 0)
        h = np.maximum(h, 0) @ W
    g = rng.normal(size=h.shape)  # a gradient arriving at the top
    g_top = g
    for W, m in zip(Ws[:0:-1], masks[::-1]):
        g = (g @ np.swapaxes(W, 1, 2)) * m
    fwd = np.log2(h.var((1, 2)) / (x @ Ws[0]).var((1, 2))) / 2
    bwd = np.log2(g.var((1, 2)) / g_top.var((1, 2))) / 2
    return fwd.mean(), bwd.mean()


# --8<-- [end:he_fanout]

HE_WIDTHS = [64, 256, 64, 256, 64, 256, 64, 256, 64, 256, 64]


@claim(
    "deep.he-factor-half",
    "A ReLU layer with Var[w] = 1/n halves the signal variance (measured gain within 10% of 1/2); "
    "the factor 2 of He init restores a gain within 10% of 1.",
)
def he_factor_half():
    # the first layer has no ReLU on its input; the second layer's variance gain is the ReLU layer's
    x, h = (relu_depth_scale(2, 256, v, SEEDS) for v in (1.0, 2.0))
    g_x = 4.0 ** (x[:, 1] - x[:, 0]).mean()
    g_h = 4.0 ** (h[:, 1] - h[:, 0]).mean()
    return {"gain_xavier": float(g_x), "gain_he": float(g_h)}


@claim(
    "deep.he-fan-out",
    "With widths alternating 64/256, fan-in He init keeps the forward signal level (|log2 std gain| < 0.5) "
    "and fan-out He init keeps the backward signal level; the other direction drifts by "
    "the paper's predicted factor sqrt(c_2/d_L) (within 0.5 in log2).",
)
def he_fan_out():
    w = HE_WIDTHS
    f_in, b_in = he_fan_in_vs_fan_out(w, "fan_in", SEEDS)
    f_out, b_out = he_fan_in_vs_fan_out(w, "fan_out", SEEDS)
    # paper (text after eq. 14): with eq. 14 the forward product is c_2/d_L; by symmetry eq. 10 gives d_L/c_2
    pred_f_out = 0.5 * np.log2(w[1] / w[-1])
    pred_b_in = 0.5 * np.log2(w[-1] / w[1])
    return {
        "fwd_fan_in": float(f_in),
        "bwd_fan_in": float(b_in),
        "fwd_fan_out": float(f_out),
        "bwd_fan_out": float(b_out),
        "pred_fwd_fan_out": float(pred_f_out),
        "pred_bwd_fan_in": float(pred_b_in),
    }


@table("deep/he-table", caption="He et al. (2015) next to our MLP reproduction.")
def he_table():
    s = he_output_scale()
    t30, t10, f = he_30_layer(), he_shallow(), he_factor_half()
    acc, chance = _he_training()
    head = ["quantity", "paper", "where", "ours"]
    rows = [
        [
            "std after L layers, Xavier / He",
            "1/√2^L",
            "§2.2, Comparisons with Xavier",
            f"2^{s['xavier_mean']:.1f} at L = 30 (exact: 2^-15)",
        ],
        [
            "22-layer model (ours: 10-layer MLP)",
            "both converge; He reduces error earlier",
            "Fig. 2",
            f"test acc. Xavier {np.median(acc[(10, 'xavier')]):.0%}, He {np.median(acc[(10, 'he')]):.0%}",
        ],
        [
            "30-layer model, Xavier",
            "completely stalls",
            "Fig. 3",
            f"test acc. ≤ {t30['xavier_max']:.0%} (majority class {chance:.0%})",
        ],
        [
            "30-layer model, He",
            "converges",
            "Fig. 3",
            f"test acc. median {t30['he_median']:.0%}, min {t30['he_min']:.0%}",
        ],
        [
            "variance gain of one ReLU layer, Var = 1/n vs 2/n",
            "1/2 vs 1",
            "eqs. 8, 10",
            f"{f['gain_xavier']:.3f} vs {f['gain_he']:.3f}",
        ],
        [
            "14-layer ImageNet top-1/top-5 error, Xavier vs He",
            "33.90/13.44 vs 33.82/13.34",
            "§2.2, text",
            "(not reproduced)",
        ],
    ]
    del t10
    return head, rows


@figure(
    "deep/he-depth",
    alt="Left: log2 of the signal std against depth for a ReLU MLP; He init stays flat near 0, Xavier falls "
    "on a straight line to about -15 at depth 30. Right: test accuracy after training for 10- and 30-layer "
    "nets; Xavier at 30 layers sits at the majority-class rate, the other three are well above it.",
    caption="He et al. in an MLP. Left: the signal scale through a plain ReLU stack at init (20 seeds, "
    "thin lines) against the prediction −(L−1)/2 for Xavier. Right: test accuracy per seed after the same "
    "SGD budget; the dashed line is the majority-class rate.",
)
def fig_he():
    fig, (a0, a1) = new_figure(1, 2, width=7.5, height=3.2)
    depths = np.arange(1, HE_DEPTH + 1)
    for name, v, c in (("Xavier (1/n)", 1.0, COLORS[0]), ("He (2/n)", 2.0, COLORS[1])):
        curves = _he_scale_curves()[v]
        for k in range(curves.shape[0]):
            a0.plot(depths, curves[k], color=c, lw=0.6, alpha=0.5)
        a0.plot([], [], color=c, label=name)
    a0.plot(depths, -(depths - 1) / 2, "k--", lw=1, label="−(L−1)/2")
    a0.set_xlabel("depth L")
    a0.set_ylabel("log2(std out / std in)")
    a0.legend()
    acc, chance = _he_training()
    keys = [(10, "xavier"), (10, "he"), (30, "xavier"), (30, "he")]
    for i, k in enumerate(keys):
        a1.scatter(
            np.full(SEEDS, i) + np.linspace(-0.15, 0.15, SEEDS),
            acc[k],
            s=8,
            color=COLORS[0 if k[1] == "xavier" else 1],
        )
    a1.axhline(chance, color=COLORS[6], ls="--", lw=1)
    a1.set_xticks(range(4), [f"{d} layers\n{n}" for d, n in keys])
    a1.set_ylabel("test accuracy")
    return fig


# ----------------------------------------------------------------------------------------------
# Saxe, McClelland & Ganguli (2014)
# ----------------------------------------------------------------------------------------------
SAXE_S = np.array([3.0, 2.0, 1.0, 0.5])


# --8<-- [start:saxe_modes]
def saxe_modes(s, hidden=16, init_std=1e-3, lr=0.01, steps=4000, seeds=20, seed=0):
    """Full-batch GD on a linear net y = W32 W21 x with whitened inputs (Sigma11 = I).

    The input-output correlation Sigma31 = diag(s), so mode a is u_a = (W32 W21)[a, a].
    Returns the trajectories u[t, seed, mode] and each mode's initial strength u0 from
    the symmetric part of the initial weights, u0 = |a0 + b0|^2 / 4.
    """
    rng = np.random.default_rng(seed)
    n = len(s)
    S31 = np.diag(s)
    W21 = rng.normal(0, init_std, (seeds, hidden, n))
    W32 = rng.normal(0, init_std, (seeds, n, hidden))
    u0 = ((W21 + np.swapaxes(W32, 1, 2)) ** 2).sum(1) / 4  # [seeds, modes]
    traj = np.empty((steps, seeds, n))
    for t in range(steps):
        E = S31 - W32 @ W21  # their eq. 2 with Sigma11 = I
        W21, W32 = W21 + lr * np.swapaxes(W32, 1, 2) @ E, W32 + lr * E @ np.swapaxes(W21, 1, 2)
        traj[t] = np.diagonal(W32 @ W21, axis1=1, axis2=2)
    return traj, u0


def saxe_half_time(s, u0, tau):
    """Their eq. 11 with u_f = s/2: t = tau/(2s) ln(u_f (s - u0) / (u0 (s - u_f)))."""
    uf = s / 2
    return tau / (2 * s) * np.log(uf * (s - u0) / (u0 * (s - uf)))


# --8<-- [end:saxe_modes]

SAXE_LR = 0.01


@functools.cache
def _saxe_modes():
    traj, u0 = saxe_modes(SAXE_S, lr=SAXE_LR, seeds=SEEDS)
    half = (traj >= SAXE_S / 2).argmax(0) + 1.0  # first step at which u >= s/2: [seeds, modes]
    theory = saxe_half_time(SAXE_S, u0, 1 / SAXE_LR)
    return traj, u0, half, theory


@claim(
    "deep.saxe-half-times",
    "In a one-hidden-layer linear net, each mode's measured half-learning time matches Saxe et al.'s "
    "eq. 11 within 10% on every seed and mode, and modes are learned strongest first.",
)
def saxe_half_times():
    _, _, half, theory = _saxe_modes()
    rel = np.abs(half / theory - 1)
    ordered = bool((np.diff(half, axis=1) > 0).all())
    return {
        "max_rel_err": float(rel.max()),
        "median_rel_err": float(np.median(rel)),
        "strongest_first": ordered,
        **{f"t_half_s{s:g}": float(np.median(half[:, i])) for i, s in enumerate(SAXE_S)},
    }


# --8<-- [start:saxe_depth]
def deep_linear_times(Ws, M, lr, max_steps=400, stop=None):
    """Full-batch GD on deep linear nets y = W_L ... W_1 x with whitened inputs (Sigma11 = I).

    Ws: initial weights [runs, L, n, n]; M: the target map; lr: one learning rate per run. Returns
    the number of steps each run needs to push its loss below 1% of the zero map's (inf: not within
    max_steps). Finished and diverged runs leave the batch; ``stop(t_hit, t)`` may end it early.
    """
    runs, depth = Ws.shape[:2]
    W = [Ws[:, i].copy() for i in range(depth)]
    lr = np.asarray(lr, float)[:, None, None]
    target = 0.01 * (M**2).sum() / 2
    t_hit, live = np.full(runs, np.inf), np.arange(runs)
    with np.errstate(all="ignore"):
        for t in range(max_steps):
            pre = [None, W[0]]  # pre[i] = W_i ... W_1 (pre[0] is the identity)
            for Wi in W[1:]:
                pre.append(Wi @ pre[-1])
            g = pre[-1] - M  # dLoss/dP for Loss = |P - M|^2 / 2
            loss = (g**2).sum((1, 2)) / 2
            t_hit[live[(loss < target) & np.isinf(t_hit[live])]] = t
            keep = np.isinf(t_hit[live]) & np.isfinite(loss)
            if not keep.all():  # drop finished and diverged runs from the batch
                W, g, pre = [x[keep] for x in W], g[keep], [None] + [x[keep] for x in pre[1:]]
                lr, live = lr[keep], live[keep]
            if not len(live) or (stop is not None and stop(t_hit, t)):
                break
            for i in range(depth - 1, -1, -1):
                gW = g if i == 0 else g @ np.swapaxes(pre[i], 1, 2)
                g = np.swapaxes(W[i], 1, 2) @ g
                W[i] = W[i] - lr * gW
    return t_hit


# --8<-- [end:saxe_depth]

SAXE_DEPTHS = (2, 4, 8, 16, 32)
SAXE_LRS = tuple(0.8 * 2.0**-k for k in range(7))
SAXE_CAP = 400
SAXE_WIDTH = 16


def _best_median_decided(t_hit, t, groups):
    """True once min over groups (learning rates) of the median over seeds is final at step t.

    A group's median is final once more than half of its runs have finished (later finishers come
    after t); a group that is not final has a median of at least its lower bound below.
    """
    T = np.sort(t_hit.reshape(groups, -1), 1)
    k = T.shape[1] // 2  # median of an even count: mean of T[k - 1] and T[k]
    final = np.isfinite(T[:, k])
    if not final.any():
        return False
    best = ((T[:, k - 1] + T[:, k]) / 2)[final].min()
    lower = np.where(np.isfinite(T[:, k - 1]), (T[:, k - 1] + t + 1) / 2, t + 1)[~final]
    return bool((lower >= best).all())


@functools.cache
def _saxe_target():
    rng = np.random.default_rng(5)
    U, V = haar_orthogonal(rng, (2,), SAXE_WIDTH)
    return U @ np.diag(np.linspace(0.5, 2.0, SAXE_WIDTH)) @ V.T  # singular values 0.5 ... 2


@functools.cache
def _saxe_depth():
    """Median steps (20 seeds) with the best of 7 learning rates, per depth; one shared set of
    initial matrices: the depth-L nets use the first L layers of 32."""
    n_lr = len(SAXE_LRS)
    orth, gauss = _shared_weights(SAXE_WIDTH, n_lr * SEEDS, max(SAXE_DEPTHS))
    lr = np.repeat(SAXE_LRS, SEEDS)
    out = {}
    for name, Ws in (("orthogonal", orth), ("gaussian", gauss)):
        med = []
        for L in SAXE_DEPTHS:
            t = deep_linear_times(
                Ws[:, :L], _saxe_target(), lr, SAXE_CAP, lambda h, t: _best_median_decided(h, t, n_lr)
            )
            med.append(np.median(t.reshape(n_lr, SEEDS), 1).min())
        out[name] = np.array(med)
    return out


@claim(
    "deep.saxe-depth",
    "With the best learning rate per depth, orthogonal init's learning time changes by less than 3x "
    "from depth 4 to 32 (but depth 2 is more than 3x faster than depth 4); scaled Gaussian init is "
    "at least 10x slower than at depth 2 from depth 8 on.",
)
def saxe_depth():
    t = _saxe_depth()
    o, g = t["orthogonal"], np.minimum(t["gaussian"], SAXE_CAP)  # capped runs: a lower bound
    return {
        "orth_ratio_4_32": float(o[1:].max() / o[1:].min()),
        "orth_2_to_4": float(o[1] / o[0]),
        "gauss_min_slowdown_from_8": float(g[2:].min() / g[0]),
        "orth_t2": float(o[0]),
        "orth_t32": float(o[-1]),
        "gauss_t2": float(g[0]),
        "gauss_capped_from": int(SAXE_DEPTHS[int(np.argmax(np.isinf(t["gaussian"])))])
        if np.isinf(t["gaussian"]).any()
        else 0,
        "cap": SAXE_CAP,
    }


@table("deep/saxe-table", caption="Saxe, McClelland & Ganguli (2014) next to our reproduction.")
def saxe_table():
    h = saxe_half_times()
    d = saxe_depth()
    head = ["quantity", "paper", "where", "ours"]
    rows = [
        [
            "time for mode strength u: u0 → uf",
            "τ/(2s) ln[uf(s−u0)/(u0(s−uf))]",
            "eq. 11",
            f"max error {h['max_rel_err']:.1%} over 20 seeds × 4 modes",
        ],
        [
            "order of learning",
            "stronger modes faster, time ∝ 1/s",
            "§1.3",
            "strongest first on every seed" if h["strongest_first"] else "order violated",
        ],
        [
            "learning time vs depth, orthogonal",
            "depth independent",
            "Fig. 6A (red)",
            f"max/min over depths 4–32: {d['orth_ratio_4_32']:.1f}; depth 4 / depth 2: {d['orth_2_to_4']:.0f}",
        ],
        [
            "learning time vs depth, scaled Gaussian",
            "grows with depth",
            "Fig. 6A (blue)",
            f"≥ {d['gauss_min_slowdown_from_8']:.0f}× depth 2 from depth 8 on (runs capped at {SAXE_CAP} steps)",
        ],
    ]
    return head, rows


@figure(
    "deep/saxe",
    alt="Left: mode strengths of a linear network over training; each of four modes follows a sigmoid, the "
    "strongest rises first, and the dashed closed-form curves lie on the simulated ones. Right: learning "
    "time against depth on log axes; orthogonal init stays flat while scaled Gaussian init rises steeply.",
    caption="Saxe et al. Left: the four input-output modes (s = 3, 2, 1, 0.5) of one seed, simulated "
    "(solid) and their eq. 12 (dashed). Right: steps to 1% loss with the best learning rate per depth, "
    "median over 20 seeds; the dotted line is the step cap (points on it did not finish).",
)
def fig_saxe():
    traj, u0, _, _ = _saxe_modes()
    fig, (a0, a1) = new_figure(1, 2, width=7.5, height=3.2)
    t = np.arange(1, traj.shape[0] + 1)
    tau = 1 / SAXE_LR
    for i, s in enumerate(SAXE_S):
        a0.plot(t[::10], traj[::10, 0, i], color=COLORS[i], label=f"s = {s:g}")
        u = s * np.exp(2 * s * t / tau) / (np.exp(2 * s * t / tau) - 1 + s / u0[0, i])
        a0.plot(t[::10], u[::10], "k--", lw=0.8)
    a0.set_xlabel("step")
    a0.set_ylabel("mode strength u")
    a0.legend(loc="center right")
    d = _saxe_depth()
    for init, c in (("orthogonal", COLORS[1]), ("gaussian", COLORS[0])):
        a1.plot(SAXE_DEPTHS, np.minimum(d[init], SAXE_CAP), "o-", color=c, label=f"{init} init")
    a1.axhline(SAXE_CAP, color=COLORS[6], ls=":", lw=1)
    a1.set_xscale("log", base=2)
    a1.set_yscale("log")
    a1.set_xlabel("depth")
    a1.set_ylabel("steps to 1% loss")
    a1.legend()
    return fig


# ----------------------------------------------------------------------------------------------
# Mean field: Poole et al. (2016), Schoenholz et al. (2017)
# ----------------------------------------------------------------------------------------------
# --8<-- [start:meanfield]
Z, WZ = np.polynomial.hermite_e.hermegauss(81)  # nodes and weights for E over z ~ N(0, 1)
WZ = WZ / np.sqrt(2 * np.pi)


def gauss(f):
    """E[f(z)], z ~ N(0, 1), vectorized over leading axes of f's output."""
    return (WZ * f(Z)).sum(-1)


def q_star(sw2, sb2, phi=np.tanh, iters=400):
    """Fixed point of the length map q <- sw2 E[phi(sqrt(q) z)^2] + sb2."""
    q = np.ones(np.broadcast(sw2, sb2).shape)
    for _ in range(iters):
        q = sw2 * (WZ * phi(np.sqrt(q)[..., None] * Z) ** 2).sum(-1) + sb2
    return q


def chi1(sw2, q, dphi=lambda u: 1 / np.cosh(u) ** 2):
    """Slope of the correlation map at c = 1: sw2 E[phi'(sqrt(q*) z)^2]."""
    return sw2 * gauss(lambda z: dphi(np.sqrt(q)[..., None] * z) ** 2)


def c_map(c, q, sw2, sb2, phi=np.tanh):
    """One step of the correlation map for two inputs of length q*."""
    z1, z2 = Z[:, None], Z[None, :]
    c = np.asarray(c, float)[..., None, None]
    u1 = np.sqrt(q) * z1
    u2 = np.sqrt(q) * (c * z1 + np.sqrt(1 - c**2) * z2)
    return (sw2 * (np.outer(WZ, WZ) * phi(u1) * phi(u2)).sum((-1, -2)) + sb2) / q


def critical_sw2(sb2, lo=0.5, hi=6.0):
    """sigma_w^2 on the critical line chi1 = 1 at a given sigma_b^2 (bisection)."""
    for _ in range(50):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if chi1(mid, q_star(mid, sb2)) < 1 else (lo, mid)
    return lo  # the ordered side of the line, to within 2^-50


# --8<-- [end:meanfield]


def _d2tanh(u):
    t = np.tanh(u)
    return -2 * t * (1 - t * t)


def xi_q(sw2, sb2):
    """Depth scale of the length map: 1/xi_q = -ln(chi1 + sw2 E[phi'' phi]) at q*."""
    q = q_star(sw2, sb2)
    slope = chi1(sw2, q) + sw2 * gauss(
        lambda z: _d2tanh(np.sqrt(q)[..., None] * z) * np.tanh(np.sqrt(q)[..., None] * z)
    )
    return -1 / np.log(slope)


def c_star(sw2, sb2, iters=300):
    q = q_star(sw2, sb2)
    c = 0.5
    for _ in range(iters):
        c = min(c_map(c, q, sw2, sb2), 1.0 - 1e-12)
    return c


def xi_c(sw2, sb2, phi=np.tanh, dphi=lambda u: 1 / np.cosh(u) ** 2):
    """Correlation depth scale: -1/ln chi_c with chi_c = sw2 E[phi'(u1) phi'(u2)] at c*."""
    q = q_star(sw2, sb2, phi)
    x1 = chi1(sw2, q, dphi)
    if x1 < 1:
        return -1 / np.log(x1)
    c = 0.5
    for _ in range(300):
        c = min(c_map(c, q, sw2, sb2, phi), 1.0 - 1e-12)
    z1, z2 = Z[:, None], Z[None, :]
    u1, u2 = np.sqrt(q) * z1, np.sqrt(q) * (c * z1 + np.sqrt(1 - c**2) * z2)
    chic = sw2 * (np.outer(WZ, WZ) * dphi(u1) * dphi(u2)).sum()
    return -1 / np.log(chic)


MF_SB2 = 0.05
MF_ORDERED_SW2 = 1.2
MF_WIDTH = 400
MF_DEPTH = 30


@functools.cache
def _meanfield_sim(sw2=MF_ORDERED_SW2, sb2=MF_SB2, c0=0.6, width=MF_WIDTH, depth=MF_DEPTH, seeds=SEEDS):
    """Two inputs at length q* and correlation c0 through a wide random tanh net."""
    rng = np.random.default_rng(21)
    q = float(q_star(sw2, sb2))
    z1, z2 = rng.normal(size=(2, seeds, width))
    h = np.stack([np.sqrt(q) * z1, np.sqrt(q) * (c0 * z1 + np.sqrt(1 - c0**2) * z2)], -1)  # [seeds, N, 2]
    qs, cs = [], []
    for _ in range(depth):
        W = rng.normal(0, np.sqrt(sw2 / width), (seeds, width, width))
        b = rng.normal(0, np.sqrt(sb2), (seeds, width, 1))
        h = W @ np.tanh(h) + b
        m = (h[..., 0] * h[..., 1]).mean(-1)
        q1, q2 = (h**2).mean(1).T
        qs.append((q1 + q2) / 2)
        cs.append(m / np.sqrt(q1 * q2))
    c_th = [c0]
    for _ in range(depth):
        c_th.append(float(c_map(c_th[-1], q, sw2, sb2)))
    return np.array(qs).T, np.array(cs).T, q, np.array(c_th[1:])


@claim(
    "deep.meanfield-maps",
    "In a 400-wide random tanh net (20 seeds) the seed-averaged length stays within 5% of q* and the "
    "seed-averaged correlation within 0.03 of the correlation map, at every one of 30 layers.",
)
def meanfield_maps():
    qs, cs, q, c_th = _meanfield_sim()
    return {
        "q_rel_err": float(np.abs(qs.mean(0) / q - 1).max()),
        "c_abs_err": float(np.abs(cs.mean(0) - c_th).max()),
        "q_star": q,
    }


@claim(
    "deep.meanfield-xi-c",
    "In the ordered phase (sigma_w^2 = 1.2, sigma_b^2 = 0.05) the correlation depth scale fitted to "
    "the simulated decay of 1 - c matches xi_c = -1/ln chi1 within 15%.",
)
def meanfield_xi_c():
    _, cs, q, c_th = _meanfield_sim()
    one_minus = 1 - cs.mean(0)
    layers = np.arange(1, len(one_minus) + 1)
    sel = (1 - c_th < 0.1) & (one_minus > 1e-6)  # the linear regime near c = 1
    slope = np.polyfit(layers[sel], np.log(one_minus[sel]), 1)[0]
    theory = float(xi_c(MF_ORDERED_SW2, MF_SB2))
    return {"fitted": float(-1 / slope), "theory": theory, "rel_err": float(abs(-1 / slope / theory - 1))}


@claim(
    "deep.meanfield-critical",
    "The critical line chi1 = 1 for tanh crosses sigma_b^2 = 0.05 at the sigma_w^2 computed here; "
    "there xi_c exceeds 1000 layers, and it is finite on either side.",
)
def meanfield_critical():
    sw = float(critical_sw2(MF_SB2))
    return {
        "sw2": sw,
        "xi_c_at": float(xi_c(sw, MF_SB2)),
        "xi_c_below": float(xi_c(sw - 0.3, MF_SB2)),
        "xi_c_above": float(xi_c(sw + 0.3, MF_SB2)),
        "xi_q_at": float(xi_q(sw, MF_SB2)),
    }


@functools.cache
def _phase_grid(n_w=60, n_b=40):
    sw2 = np.linspace(0.5, 4.0, n_w)
    sb2 = np.linspace(0.0, 0.3, n_b)
    SW, SB = np.meshgrid(sw2, sb2)
    q = q_star(SW, SB, iters=300)
    return sw2, sb2, chi1(SW, q), q


@table("deep/meanfield-table", caption="Mean-field quantities for tanh computed by this build.")
def meanfield_table():
    m, x, c = meanfield_maps(), meanfield_xi_c(), meanfield_critical()
    head = ["quantity", "paper", "where", "ours"]
    rows = [
        ["critical σ_w² at σ_b² = 0.05", "on the line χ1 = 1", "Schoenholz et al., §3", f"{c['sw2']:.3f}"],
        [
            "ξ_c at criticality",
            "diverges",
            "Schoenholz et al., abstract",
            f"> 10^{int(np.log10(c['xi_c_at']))} layers (bisection limit)",
        ],
        [
            "ξ_c at σ_w² = 1.2, σ_b² = 0.05",
            "−1/ln χ1",
            "Schoenholz et al., §3",
            f"theory {x['theory']:.2f}, fitted {x['fitted']:.2f}",
        ],
        [
            "simulated q vs q*",
            "concentrates at large width",
            "Poole et al., §2",
            f"max error {m['q_rel_err']:.1%}",
        ],
        [
            "simulated c vs correlation map",
            "concentrates at large width",
            "Poole et al., §2",
            f"max error {m['c_abs_err']:.3f}",
        ],
    ]
    return head, rows


@figure(
    "deep/meanfield-maps",
    alt="Left: the length map for tanh at three weight variances, crossing the diagonal at the fixed point "
    "q*. Middle: the correlation map for an ordered, a critical and a chaotic setting, with dots from a "
    "simulated 400-wide net on the ordered curve. Right: 1 minus the correlation against depth on a log "
    "axis; the simulated points follow a straight line with the slope predicted by xi_c.",
    caption="Mean field for tanh, σ_b² = 0.05. Left: the length map and its fixed point q*. Middle: the "
    "correlation map; dots are one-layer steps measured in a 400-wide net at σ_w² = 1.2. Right: the "
    "decay of 1 − c with depth (seed mean of 20) against the map and against the slope −1/ξ_c.",
)
def fig_meanfield():
    fig, (a0, a1, a2) = new_figure(1, 3, width=8.5, height=3.0)
    qq = np.linspace(0, 3, 100)
    crit = float(critical_sw2(MF_SB2))
    for i, sw2 in enumerate((1.2, crit, 3.0)):
        a0.plot(
            qq,
            sw2 * gauss(lambda z: np.tanh(np.sqrt(qq)[:, None] * z) ** 2) + MF_SB2,
            color=COLORS[i],
            label=f"σ_w² = {sw2:.2f}",
        )
    a0.plot(qq, qq, color=COLORS[6], ls="--", lw=1)
    a0.set_xlabel("q (layer l)")
    a0.set_ylabel("q (layer l+1)")
    a0.legend(fontsize=7)
    cc = np.linspace(-0.99, 0.999, 60)
    for i, sw2 in enumerate((1.2, crit, 3.0)):
        q = float(q_star(sw2, MF_SB2))
        a1.plot(cc, c_map(cc, q, sw2, MF_SB2), color=COLORS[i])
    a1.plot(cc, cc, color=COLORS[6], ls="--", lw=1)
    _, cs, _, _ = _meanfield_sim()
    cm = cs.mean(0)
    a1.scatter(cm[:-1], cm[1:], s=8, color=COLORS[0], zorder=3)
    a1.set_xlabel("c (layer l)")
    a1.set_ylabel("c (layer l+1)")
    _, cs, _, c_th = _meanfield_sim()
    layers = np.arange(1, len(c_th) + 1)
    a2.semilogy(layers, 1 - cs.mean(0), "o", ms=3, color=COLORS[0], label="simulated")
    a2.semilogy(layers, 1 - c_th, color=COLORS[1], label="correlation map")
    x = meanfield_xi_c()
    a2.semilogy(
        layers,
        (1 - c_th[-1]) * np.exp(-(layers - layers[-1]) / x["theory"]),
        "k--",
        lw=0.8,
        label="slope −1/ξ_c",
    )
    a2.set_xlabel("layer")
    a2.set_ylabel("1 − c")
    a2.legend(fontsize=7)
    return fig


# Trainability against depth and sigma_w^2 (Schoenholz et al.), on a short budget
TRAIN_SW2 = tuple(np.linspace(0.5, 4.0, 15))
TRAIN_DEPTHS = (4, 8, 16, 24, 32, 48)
TRAIN_SEEDS = 2
TRAIN_STEPS = 150
TRAIN_LR = 0.005
TRAIN_WIDTH = 32


@functools.cache
def _trainability():
    """Mean test accuracy [depth, sigma_w^2] of tanh MLPs (sigma_b^2 = 0.05) after a short SGD run.

    Every sigma_w^2 and seed of one depth trains in one batch (float32); weights N(0, sigma_w^2/n_in),
    biases N(0, sigma_b^2), as in the mean-field analysis.
    """
    data = _teacher_task()
    d, classes = data[0].shape[1], 4
    v = np.repeat(TRAIN_SW2, TRAIN_SEEDS)
    acc = np.empty((len(TRAIN_DEPTHS), len(TRAIN_SW2)))
    for i, L in enumerate(TRAIN_DEPTHS):
        rng = np.random.default_rng(L)
        sizes = [d] + [TRAIN_WIDTH] * (L - 1) + [classes]
        Ws = [
            (rng.normal(size=(len(v), a, b)) * np.sqrt(v / a)[:, None, None]).astype(np.float32)
            for a, b in zip(sizes[:-1], sizes[1:])
        ]
        bs = [(rng.normal(0, np.sqrt(MF_SB2), (len(v), 1, b))).astype(np.float32) for b in sizes[1:]]
        _, a = _train(Ws, bs, data, "tanh", TRAIN_LR, TRAIN_STEPS, batch=32, seed=1)
        acc[i] = a.reshape(len(TRAIN_SW2), TRAIN_SEEDS).mean(1)
    chance = float(np.bincount(data[3], minlength=classes).max() / len(data[3]))
    six_xi = 6 * np.array([xi_c(s, MF_SB2) for s in TRAIN_SW2])
    return acc, chance, six_xi


@claim(
    "deep.trainability-6xi",
    "In a short-budget scan of tanh nets (sigma_b^2 = 0.05, 150 SGD steps), fewer than 1 in 10 of the "
    "(depth, sigma_w^2) cells deeper than 6 xi_c train, while more than half of the cells shallower "
    "than 6 xi_c do.",
)
def trainability_6xi():
    acc, chance, six_xi = _trainability()
    trained = acc >= chance + HE_MARGIN  # same criterion as the ReLU experiment: 10 points above chance
    beyond = np.array(TRAIN_DEPTHS)[:, None] > six_xi[None, :]
    deepest = [max([L for L, t in zip(TRAIN_DEPTHS, col) if t], default=0) for col in trained.T]
    below = [max([L for L in TRAIN_DEPTHS if L <= x], default=0) for x in six_xi]  # last depth under 6 xi_c
    ordered = np.array(TRAIN_SW2) < critical_sw2(MF_SB2)
    return {
        "ordered_columns": int(ordered.sum()),
        "ordered_reach_curve": int(sum(d == b for d, b, o in zip(deepest, below, ordered) if o)),
        "beyond_rate": float(trained[beyond].mean()),
        "beyond_cells": int(beyond.sum()),
        "beyond_trained": int(trained[beyond].sum()),
        "within_rate": float(trained[~beyond].mean()),
        "within_cells": int((~beyond).sum()),
        "deepest_trained": int(max(deepest)),
        "deepest_at_ends": int(max(deepest[0], deepest[-1])),
        "chance": chance,
    }


@figure(
    "deep/trainability",
    alt="A heat map of test accuracy over sigma_w squared (0.5 to 4) and depth (4 to 48) for tanh "
    "networks after a short training run. Accuracy is high for shallow nets everywhere and stays high "
    "to the largest depths only near the critical sigma_w squared of about 1.76. The 6 xi_c curve "
    "bounds the trained region on the ordered (left) side; on the chaotic (right) side the trained "
    "region ends well below it.",
    caption="Trainability of tanh MLPs (width 32, σ_b² = 0.05) on the teacher task after 150 SGD steps: "
    "colour is the test accuracy (mean of 2 seeds), dots mark cells that train (10 points above the "
    "majority-class rate). Solid curve: 6ξ_c from the mean-field theory; dashed line: the critical σ_w².",
)
def fig_trainability():
    acc, chance, _ = _trainability()
    sw2, depths = np.array(TRAIN_SW2), np.array(TRAIN_DEPTHS)
    fig, ax = new_figure(1, 1, width=5.5, height=3.6)
    dw = sw2[1] - sw2[0]
    x_edges = np.r_[sw2 - dw / 2, sw2[-1] + dw / 2]
    y_mid = (depths[1:] + depths[:-1]) / 2
    y_edges = np.r_[depths[0] - (y_mid[0] - depths[0]), y_mid, depths[-1] + (depths[-1] - y_mid[-1])]
    im = ax.pcolormesh(x_edges, y_edges, acc, cmap="viridis", rasterized=True)
    fig.colorbar(im, ax=ax, label="test accuracy")
    ii, jj = np.nonzero(acc >= chance + HE_MARGIN)
    ax.plot(sw2[jj], depths[ii], ".", color="w", ms=4)
    fine = np.linspace(x_edges[0], x_edges[-1], 200)
    ax.plot(fine, 6 * np.array([xi_c(s, MF_SB2) for s in fine]), color=COLORS[1], lw=2)
    ax.axvline(critical_sw2(MF_SB2), color=COLORS[7], ls="--", lw=1)
    ax.set_ylim(y_edges[0], y_edges[-1])
    ax.set_xlabel("σ_w²")
    ax.set_ylabel("depth L")
    ax.grid(False)
    return fig


# ----------------------------------------------------------------------------------------------
# LeCun, Bottou, Orr & Müller (1998): 1.7159 tanh(2x/3), std 1/sqrt(fan_in)
# ----------------------------------------------------------------------------------------------
LECUN_A, LECUN_B = 1.7159, 2.0 / 3.0


@claim(
    "deep.lecun-near-critical",
    "LeCun's recipe (1.7159 tanh(2x/3), weight std 1/sqrt(fan_in), zero bias) maps to tanh with "
    "sigma_w^2 = (1.7159 * 2/3)^2 = 1.309 and sigma_b^2 = 0, where chi1 is within 5% of 1.",
)
def lecun_near_critical():
    phi = lambda h: LECUN_A * np.tanh(LECUN_B * h)  # noqa: E731
    dphi = lambda h: LECUN_A * LECUN_B / np.cosh(LECUN_B * h) ** 2  # noqa: E731
    q = float(q_star(1.0, 0.0, phi))
    x1 = float(chi1(1.0, q, dphi))
    return {
        "sw2_equiv": (LECUN_A * LECUN_B) ** 2,
        "q_star": q,
        "chi1": x1,
        "xi_c": float(xi_c(1.0, 0.0, phi, dphi)),
        "plain_tanh_chi1": float(chi1(1.0, q_star(1.0, 0.0, iters=2000))),
    }


@table("deep/lecun-table", caption="LeCun et al. (1998) recipe placed on the mean-field phase diagram.")
def lecun_table():
    r = lecun_near_critical()
    head = ["quantity", "paper", "where", "ours"]
    rows = [
        ["activation", "f(x) = 1.7159 tanh(2x/3)", "§4.4", "same"],
        ["weight init", "std m^(−1/2), m = fan-in", "§4.6", "σ_w² = 1"],
        ["equivalent plain-tanh point (σ_w², σ_b²)", "", "", f"({r['sw2_equiv']:.3f}, 0)"],
        ["χ1 at the fixed point", "", "", f"{r['chi1']:.3f}"],
        ["ξ_c", "", "", f"{r['xi_c']:.0f} layers"],
    ]
    return head, rows


@figure(
    "deep/phase-diagram",
    alt="A heat map of the correlation depth scale over sigma_w squared (0.5 to 4) and sigma_b squared "
    "(0 to 0.3) for tanh, with the critical line chi1 = 1 curving up from sigma_w squared = 1. LeCun's "
    "recipe sits just right of the line at sigma_b squared = 0; the ordered simulation point sits left of it.",
    caption="The order-to-chaos phase diagram of tanh networks: colour is ξ_c (log scale), the black "
    "curve is χ1 = 1. Markers: our ordered simulation (σ_w² = 1.2, σ_b² = 0.05), the critical point at "
    "σ_b² = 0.05, and LeCun's recipe expressed in plain-tanh units.",
)
def fig_phase():
    sw2, sb2, x1, _ = _phase_grid()
    fig, ax = new_figure(1, 1, width=5.5, height=3.6)
    xi = np.abs(-1 / np.log(np.clip(x1, 1e-9, None)))  # ordered-phase formula, shown on both sides
    im = ax.pcolormesh(
        sw2, sb2, np.log10(np.clip(xi, 0.5, 1e3)), shading="auto", cmap="viridis", rasterized=True
    )
    fig.colorbar(im, ax=ax, label="log10 |1 / ln χ1|")
    ax.contour(sw2, sb2, x1, levels=[1.0], colors="k", linewidths=1.5)
    ax.grid(False)
    c = meanfield_critical()
    r = lecun_near_critical()
    ax.plot(MF_ORDERED_SW2, MF_SB2, "o", color=COLORS[1], label="ordered simulation")
    ax.plot(c["sw2"], MF_SB2, "s", color=COLORS[3], label="critical, σ_b² = 0.05")
    ax.plot(r["sw2_equiv"], 0.0, "*", ms=12, color=COLORS[7], mec="k", label="LeCun 1998", clip_on=False)
    ax.set_xlabel("σ_w²")
    ax.set_ylabel("σ_b²")
    ax.legend(fontsize=7, loc="upper left")
    return fig


# ----------------------------------------------------------------------------------------------
# Pennington, Schoenholz & Ganguli (2017): Jacobian spectra
# ----------------------------------------------------------------------------------------------
# --8<-- [start:jacobian]
def jacobian_sq_singular_values(Ws, act, sw2, sb2, q, depths, seed=0):
    """Eigenvalues of J J^T, J = D_L W_L ... D_1 W_1, at each depth L in ``depths``.

    Ws: unit-scale weights [seeds, layers, n, n] (orthogonal, or Gaussian with variance 1/n), used
    as sqrt(sw2) Ws; biases have variance sb2 and the input pre-activations variance q.
    """
    rng = np.random.default_rng(seed)
    seeds, _, n = Ws.shape[:3]
    phi, dphi = {
        "tanh": (np.tanh, lambda h: 1 / np.cosh(h) ** 2),
        "relu": (lambda h: np.maximum(h, 0), lambda h: (h > 0) * 1.0),
    }[act]
    h = rng.normal(0, np.sqrt(q), (seeds, n, 1))
    J, out = None, []
    for L in range(1, max(depths) + 1):
        W = np.sqrt(sw2) * Ws[:, L - 1]
        h = W @ phi(h) + rng.normal(0, np.sqrt(sb2), (seeds, n, 1))
        J = dphi(h) * (W if J is None else W @ J)  # D_l W_l J
        if L in depths:
            out.append(np.linalg.eigvalsh(J @ np.swapaxes(J, 1, 2)))  # [seeds, n]
    return out


# --8<-- [end:jacobian]

PEN_DEPTHS = (1, 2, 4, 8, 16, 32)
PEN_QSTAR = 1 / 64
PEN_WIDTH = 100


def _tanh_critical_point(q):
    """(sigma_w^2, sigma_b^2) on the critical line with fixed point q*."""
    sw2 = 1 / gauss(lambda z: 1 / np.cosh(np.sqrt(q) * z) ** 4)
    sb2 = q - sw2 * gauss(lambda z: np.tanh(np.sqrt(q) * z) ** 2)
    return float(sw2), float(sb2)


def jacobian_variance_theory(depth, act, weights, q=PEN_QSTAR):
    """Var of the eigenvalues of J J^T from free probability at chi1 = 1.

    Each layer multiplies freely independent factors of mean 1: D^2 (scaled by sw2) with variance
    mu2 - 1, and W W^T with variance 1 (Gaussian, Marchenko-Pastur) or 0 (orthogonal). Variances
    of free products of mean-1 factors add: sigma^2 = L (mu2 - 1 + [Gaussian]).
    """
    if act == "relu":
        mu2 = 2.0  # sw2 = 2, phi'^2 in {0, 1} with probability 1/2 each
    else:
        sw2, _ = _tanh_critical_point(q)
        mu2 = sw2**2 * gauss(lambda z: 1 / np.cosh(np.sqrt(q) * z) ** 8)
    return depth * (mu2 - 1 + (1.0 if weights == "gaussian" else 0.0))


PEN_CASES = (("tanh", "orthogonal"), ("tanh", "gaussian"), ("relu", "orthogonal"), ("relu", "gaussian"))


@functools.cache
def _pennington():
    """All four cases share one set of 20 x 32 orthogonal and 20 x 32 Gaussian matrices."""
    sw2, sb2 = _tanh_critical_point(PEN_QSTAR)
    mats = dict(zip(("orthogonal", "gaussian"), _shared_weights(PEN_WIDTH, SEEDS, max(PEN_DEPTHS), seed=3)))
    out = {}
    for act, wts in PEN_CASES:
        args = (sw2, sb2, PEN_QSTAR) if act == "tanh" else (2.0, 0.0, 1.0)
        out[(act, wts)] = jacobian_sq_singular_values(mats[wts], act, *args, PEN_DEPTHS, seed=3)
    return out


@claim(
    "deep.pennington-isometry",
    "At criticality with q* = 1/64, orthogonal tanh nets keep at least 90% of the Jacobian's singular "
    "values within [1/2, 2] at every depth up to 32; Gaussian tanh and orthogonal ReLU nets keep less "
    "than half there at depth 32.",
)
def pennington_isometry():
    r = _pennington()

    def frac(lam):
        s = np.sqrt(np.clip(lam, 0, None))
        return float(((s >= 0.5) & (s <= 2)).mean())

    return {
        "tanh_orth_min": min(frac(lam) for lam in r[("tanh", "orthogonal")]),
        "tanh_gauss_32": frac(r[("tanh", "gaussian")][-1]),
        "relu_orth_32": frac(r[("relu", "orthogonal")][-1]),
        "relu_gauss_32": frac(r[("relu", "gaussian")][-1]),
    }


@claim(
    "deep.pennington-variance",
    "The measured variance of the squared singular values matches the free-probability formula "
    "L (mu2 - 1 + [Gaussian]) within 25% in all four cases up to depth 8 (width 100); tanh stays within "
    "25% up to depth 32, ReLU does not.",
)
def pennington_variance():
    r = _pennington()
    out = {}
    for act, wts in PEN_CASES:
        e = [
            abs(lam.var(1).mean() / jacobian_variance_theory(L, act, wts) - 1)
            for L, lam in zip(PEN_DEPTHS, r[(act, wts)])
        ]
        out[f"{act}_{wts}_upto8"] = float(max(e[: PEN_DEPTHS.index(8) + 1]))
        out[f"{act}_{wts}_all"] = float(max(e))
    return out


@table("deep/pennington-table", caption="Pennington, Schoenholz & Ganguli (2017) next to our reproduction.")
def pennington_table():
    r = _pennington()
    head = ["case", "paper", "where", "theory Var(λ) at L = 16", "ours at L = 16", "ours at L = 32"]
    i16, i32 = PEN_DEPTHS.index(16), PEN_DEPTHS.index(32)
    claims_ = {
        ("tanh", "orthogonal"): "can achieve isometry",
        ("tanh", "gaussian"): "no isometry with Gaussian weights",
        ("relu", "orthogonal"): "incapable of dynamical isometry",
        ("relu", "gaussian"): "incapable of dynamical isometry",
    }
    rows = []
    for k in PEN_CASES:
        rows.append(
            [
                f"{k[0]}, {k[1]}",
                claims_[k],
                "abstract",
                f"{jacobian_variance_theory(16, *k):.2f}",
                f"{r[k][i16].var(1).mean():.2f}",
                f"{r[k][i32].var(1).mean():.2f}",
            ]
        )
    return head, rows


@figure(
    "deep/pennington",
    alt="Histograms of Jacobian singular values on a log axis at depths 2, 8 and 32 for four cases. "
    "Orthogonal tanh stays in a narrow peak at 1 at every depth; Gaussian tanh, orthogonal ReLU and "
    "Gaussian ReLU spread over orders of magnitude as depth grows.",
    caption="Singular values of the input-output Jacobian at criticality (tanh: q* = 1/64; ReLU: "
    "σ_w² = 2), width 100, 20 seeds pooled, at depths 2, 8 and 32.",
)
def fig_pennington():
    r = _pennington()
    fig, axes = new_figure(1, 4, width=8.5, height=2.8, sharey=True)
    bins = np.linspace(-4, 2, 49)
    for ax, k in zip(axes, PEN_CASES):
        for j, L in enumerate((2, 8, 32)):
            lam = r[k][PEN_DEPTHS.index(L)].ravel()
            s = np.log10(np.sqrt(np.clip(lam, 1e-30, None)))
            ax.hist(s, bins=bins, histtype="step", density=True, color=COLORS[j], label=f"L = {L}")
        ax.set_title(f"{k[0]}, {k[1]}", fontsize=9)
        ax.set_xlabel("log10 singular value")
    axes[0].legend(fontsize=7)
    return fig
