"""He, Zhang, Ren & Sun (2015): the factor 2 for ReLU, at initialization and in training."""

from __future__ import annotations

import functools

# --8<-- [start:imports]
import numpy as np

# --8<-- [end:imports]
from snippets import claim, figure, table
from snippets._seeds import rng
from snippets._style import COLORS, new_figure
from snippets.deep._common import BLOCKS, blockwise, majority_rate, teacher_task, train


# --8<-- [start:he_scale]
def relu_depth_scale(depth, width, var_times_n, g, seeds=20):
    """log2(|h_l| / |x|) after each layer l of a plain ReLU stack, one input per seed: [seeds, depth]."""
    x = g.normal(size=(seeds, 1, width))
    h, out = x, []
    for layer in range(depth):
        W = g.normal(0, np.sqrt(var_times_n / width), (seeds, width, width))
        h = (np.maximum(h, 0) if layer else h) @ W  # ReLU between layers, not on the input
        out.append(np.log2(np.linalg.norm(h, axis=(1, 2)) / np.linalg.norm(x, axis=(1, 2))))
    return np.stack(out, -1)


# --8<-- [end:he_scale]

SCALE, FANOUT, TRAIN = 20, 21, 22  # rng keys
WIDTH, DEPTH = 64, 30
SCALE_SEEDS = 80  # per block


@functools.cache
def _scale_curves():
    """Xavier (n Var[w] = 1) and He (2) from the same draws: [blocks, seeds, depth] each."""
    out = {1.0: [], 2.0: []}
    for b in range(BLOCKS):
        for v in out:
            out[v].append(relu_depth_scale(DEPTH, WIDTH, v, rng(SCALE, b), SCALE_SEEDS))
    return {v: np.stack(c) for v, c in out.items()}


def finite_width_bias(depth, width):
    """Second-order estimate of E[log2 |h_L|/|x|] minus its infinite-width value: a ReLU layer's
    squared-norm ratio R has relative variance about 5/n, the first (linear) layer's 2/n, and
    E[ln R] = ln E[R] - Var[R]/2 to second order."""
    return -((depth - 1) * 5 / width + 2 / width) / 2 / (2 * np.log(2))


@claim(
    "deep.he-output-scale",
    "In a 30-layer plain ReLU net of width 64 at init, Xavier's output is exactly 2^-15 times He's "
    "(same draws; log2 difference -15 to 1e-9 on every seed). Against the input, Xavier's seed-mean "
    "log2 ratio sits below -(L-1)/2 = -14.5 by a finite-width bias, negative in every block, whose "
    "median over blocks is within 0.25 of the second-order estimate -0.83; He's sits at +1/2 plus "
    "the same bias.",
)
def he_output_scale():
    c = _scale_curves()
    xv, he = c[1.0][..., -1], c[2.0][..., -1]  # [blocks, seeds]
    diff = xv - he
    bias = xv.mean(1) + (DEPTH - 1) / 2
    return {
        "diff_max_err": float(np.abs(diff + DEPTH / 2).max()),
        **blockwise(xv.mean(1), "xavier_mean"),
        **blockwise(he.mean(1), "he_mean"),
        **blockwise(bias, "bias"),
        "bias_pred": float(finite_width_bias(DEPTH, WIDTH)),
        "he_minus_bias_max_err": float(np.abs(he.mean(1) - bias - 0.5).max()),
        "seeds": SCALE_SEEDS * BLOCKS,
        "blocks": BLOCKS,
    }


@claim(
    "deep.he-factor-half",
    "A ReLU layer with Var[w] = 1/n halves the squared norm of the signal (measured gain within 5% of "
    "1/2); the factor 2 of He init restores a gain within 5% of 1.",
)
def he_factor_half():
    # the second layer's gain is the ReLU layer's (the first layer has no ReLU on its input)
    gains = {}
    for v in (1.0, 2.0):
        h = np.concatenate([relu_depth_scale(2, 256, v, rng(SCALE, 0, 100 + b), 40) for b in range(BLOCKS)])
        gains[v] = float(np.mean(4.0 ** (h[:, 1] - h[:, 0])))
    return {"gain_xavier": gains[1.0], "gain_he": gains[2.0]}


# --8<-- [start:he_fanout]
def he_fan_in_vs_fan_out(widths, mode, g, seeds=20):
    """Forward and backward log2 gain of the signal's std through a ReLU stack with varying widths."""
    Ws = []
    for n_in, n_out in zip(widths[:-1], widths[1:]):
        n = n_in if mode == "fan_in" else n_out  # eq. 10 uses n_l, eq. 14 uses n-hat_l
        Ws.append(g.normal(0, np.sqrt(2 / n), (seeds, n_in, n_out)))
    x = g.normal(size=(seeds, 128, widths[0]))
    h, masks = x @ Ws[0], []
    for W in Ws[1:]:
        masks.append(h > 0)
        h = np.maximum(h, 0) @ W
    g_top = g.normal(size=h.shape)  # a gradient arriving at the top
    grad = g_top
    for W, m in zip(Ws[:0:-1], masks[::-1]):
        grad = (grad @ W.mT) * m
    fwd = np.log2(h.var((1, 2)) / (x @ Ws[0]).var((1, 2))) / 2
    bwd = np.log2(grad.var((1, 2)) / g_top.var((1, 2))) / 2
    return fwd.mean(), bwd.mean()


# --8<-- [end:he_fanout]

WIDTHS = [64, 256] * 5 + [64]


@claim(
    "deep.he-fan-out",
    "With widths alternating 64/256 (200 seeds), fan-in He init keeps the forward signal level "
    "(|log2 std gain| < 0.15) and fan-out He init keeps the backward signal level; the other "
    "direction drifts by the paper's predicted factor sqrt(c_2/d_L) = 2^(+-1) (within 0.15 in log2).",
)
def he_fan_out():
    # common random numbers: both modes draw from the same generator state
    gains = {
        mode: np.mean(
            [he_fan_in_vs_fan_out(WIDTHS, mode, rng(FANOUT, b), seeds=40) for b in range(BLOCKS)], 0
        )
        for mode in ("fan_in", "fan_out")
    }
    (f_in, b_in), (f_out, b_out) = gains["fan_in"], gains["fan_out"]
    # paper (text after eq. 14): with eq. 14 the forward product is c_2/d_L; by symmetry eq. 10 gives d_L/c_2
    return {
        "fwd_fan_in": float(f_in),
        "bwd_fan_in": float(b_in),
        "fwd_fan_out": float(f_out),
        "bwd_fan_out": float(b_out),
        "pred_fwd_fan_out": float(0.5 * np.log2(WIDTHS[1] / WIDTHS[-1])),
        "pred_bwd_fan_in": float(0.5 * np.log2(WIDTHS[-1] / WIDTHS[1])),
    }


TRAIN_DEPTHS = (30, 14)  # the paper's 30-layer stall; a depth where both inits converge
TRAIN_WIDTH, TRAIN_SEEDS, STEPS, LR, BATCH, EVERY = 48, 2, 800, 0.005, 16, 25
EVAL = 512  # the training loss is measured on the first 512 training examples


def constant_guess_loss():
    """The training loss of the best constant prediction: the entropy of the class frequencies
    (a stalled net, whose output does not depend on its input, sits here or above)."""
    p = np.bincount(teacher_task()[1][:EVAL], minlength=4) / EVAL
    return float(-(p[p > 0] * np.log(p[p > 0])).sum())


def relu_net(depth, width, var_times_n, g, seeds, d=32, classes=4):
    """Both inits from the same unit draws: weights [2 * seeds, n_in, n_out], Xavier runs first."""
    sizes = [d] + [width] * (depth - 1) + [classes]
    Ws = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        u = g.normal(size=(seeds, a, b))
        Ws.append(np.concatenate([u * np.sqrt(v / a) for v in var_times_n]).astype(np.float32))
    return Ws, [np.zeros((len(W), 1, W.shape[-1]), np.float32) for W in Ws]


@functools.cache
def _training(depth):
    """SGD with momentum 0.9 for Xavier (n Var[w] = 1) and He (2), same draws and batches.
    Returns training-loss curves [evals, blocks, 2, seeds] (every EVERY steps) and test accuracy."""
    data = teacher_task()
    parts = [
        relu_net(depth, TRAIN_WIDTH, (1.0, 2.0), rng(TRAIN, depth, b), TRAIN_SEEDS) for b in range(BLOCKS)
    ]
    Ws = [np.concatenate([p[0][i] for p in parts]) for i in range(depth)]
    bs = [np.concatenate([p[1][i] for p in parts]) for i in range(depth)]
    batches = [rng(TRAIN, depth, b, 1) for b in range(BLOCKS)]
    _, acc, curve = train(
        Ws, bs, data, "relu", LR, STEPS, batches, BATCH, momentum=0.9, every=EVERY, n_eval=EVAL
    )
    shape = (BLOCKS, 2, TRAIN_SEEDS)
    return curve.reshape(-1, *shape), acc.reshape(shape), majority_rate(data)


def _first_below(curve, level):
    """Steps until the training loss first falls below ``level`` (inf: never): curve [evals, ...]."""
    below = curve < level
    return np.where(below.any(0), below.argmax(0) * EVERY, np.inf)


@claim(
    "deep.he-30-layer",
    "At 30 layers (width 48, SGD with momentum), He init lowers its training loss more than 5% below "
    "the best constant guess on at least 90% of the seeds, while Xavier init ends within 1% of the "
    "best constant guess on every seed: it completely stalls.",
)
def he_30_layer():
    curve, acc, chance = _training(30)
    h = constant_guess_loss()
    final = curve[-1] / h  # [blocks, 2, seeds], relative to the best constant guess
    xav, he = final[:, 0], final[:, 1]
    return {
        **blockwise(np.median(he, 1), "he_final"),
        "he_worst": float(he.max()),
        "he_rate": float((he < 0.95).mean()),
        "xavier_max_dev": float(np.abs(xav - 1).max()),
        "xavier_stalled": bool((np.abs(xav - 1) < 0.01).all()),
        "constant_guess": h,
        **blockwise(np.median(acc[:, 1], 1), "he_test_acc"),
        "xavier_test_acc_max": float(acc[:, 0].max()),
        "chance": chance,
        "seeds": int(he.size),
        "blocks": BLOCKS,
    }


@claim(
    "deep.he-shallow-both",
    "At 14 layers both inits lower their training loss 5% below the best constant guess on most "
    "seeds, and He init gets there first on every seed of every block (the paper: ours starts "
    "reducing error earlier).",
)
def he_shallow():
    curve, _, _ = _training(14)
    t = _first_below(curve, 0.95 * constant_guess_loss())  # [blocks, 2, seeds]
    xav, he = t[:, 0], t[:, 1]
    return {
        **blockwise(np.median(xav, 1), "xavier_steps"),
        **blockwise(np.median(he, 1), "he_steps"),
        "xavier_rate": float(np.isfinite(xav).mean()),
        "he_rate": float(np.isfinite(he).mean()),
        "he_first_every_seed": bool((he < xav).all()),
        "blocks": BLOCKS,
    }


@table("deep/he-table", caption="He et al. (2015) next to our MLP reproduction.")
def he_table():
    _s, f, t30, t14 = he_output_scale(), he_factor_half(), he_30_layer(), he_shallow()
    head = ["quantity", "paper", "where", "ours", "verdict"]
    rows = [
        [
            "variance gain of one ReLU layer, Var = 1/n vs 2/n",
            "1/2 vs 1",
            "eqs. 8, 10",
            f"{f['gain_xavier']:.3f} vs {f['gain_he']:.3f}",
            "agrees",
        ],
        [
            "std after L layers, Xavier / He",
            "1/√2^L",
            "§2.2",
            f"2^{-DEPTH / 2:.2f} exactly at L = {DEPTH}",
            "agrees",
        ],
        [
            "22-layer model: both converge, He first",
            "“starts reducing error earlier”",
            "Fig. 2",
            f"14 layers: steps to 5% below a constant guess: He {t14['he_steps']:.0f}, Xavier {t14['xavier_steps']:.0f}",
            "agrees (at 14 layers)",
        ],
        [
            "30-layer model, Xavier",
            "“completely stalls”",
            "Fig. 3",
            f"loss within {t30['xavier_max_dev']:.2%} of a constant guess",
            "agrees",
        ],
        [
            "30-layer model, He",
            "converges",
            "Fig. 3",
            f"loss {t30['he_final']:.2f} × constant guess (worst {t30['he_worst']:.2f})",
            "agrees",
        ],
        [
            "fan-in or fan-out",
            "either suffices",
            "eq. 14, §2.2",
            "one direction level, the other a fixed factor",
            "agrees",
        ],
    ]
    return head, rows


@figure(
    "deep/he-depth",
    alt="log2 of the signal size against depth for a width-64 ReLU MLP at initialization: He init "
    "stays flat just below +1/2, Xavier falls on a straight line just below -(L-1)/2 to about -15 "
    "at depth 30.",
    caption="He et al. at initialization: log₂ of |h_l|/|x| through a plain ReLU stack of width 64 "
    "(median over 400 seeds; band: middle 80%), against the infinite-width lines −(l−1)/2 (Xavier) "
    "and +1/2 (He).",
)
def fig_he_depth():
    c = _scale_curves()
    fig, ax = new_figure(1, 1, width=4.8, height=3.2)
    layers = np.arange(1, DEPTH + 1)
    for i, (v, name, ls) in enumerate(((1.0, "Xavier", "-"), (2.0, "He", "--"))):
        x = c[v].reshape(-1, DEPTH)
        ax.fill_between(layers, *np.quantile(x, [0.1, 0.9], 0), color=COLORS[i], alpha=0.25, lw=0)
        ax.plot(layers, np.median(x, 0), color=COLORS[i], ls=ls, lw=2)
        ax.annotate(
            name,
            (layers[-1], np.median(x[:, -1])),
            xytext=(-4, 6),
            textcoords="offset points",
            ha="right",
            color=COLORS[i],
        )
    ax.plot(layers, -(layers - 1) / 2, color=COLORS[6], ls=":", lw=1)
    ax.axhline(0.5, color=COLORS[6], ls=":", lw=1)
    ax.set_xticks([1, 5, 10, 15, 20, 25, 30])
    ax.set_xlabel(r"layer $l$")
    ax.set_ylabel(r"$\log_2\,|h_l|/|x|$")
    return fig


@figure(
    "deep/he-training",
    alt="Training loss against step for 30-layer and 14-layer ReLU MLPs. At 30 layers Xavier's loss "
    "stays flat at the loss of a constant guess while He's falls; at 14 layers both fall, He's much earlier.",
    caption="He et al.'s Figs. 2 and 3 in an MLP (width 48, SGD with momentum, same draws and batches "
    "for both inits): training loss per seed (thin) and median (thick); the dotted line is the "
    "“reduces error” level, 5% below the loss of the best constant guess.",
)
def fig_he_training():
    fig, axes = new_figure(1, 2, width=6.0, height=3.2, sharey=True)
    for ax, depth in zip(axes, TRAIN_DEPTHS):
        curve = _training(depth)[0]
        steps = np.arange(curve.shape[0]) * EVERY
        for i, (name, ls) in enumerate((("Xavier", "-"), ("He", "--"))):
            c = curve[:, :, i].reshape(len(steps), -1)
            ax.plot(steps, c, color=COLORS[i], lw=0.5, alpha=0.4)
            ax.plot(steps, np.median(c, 1), color=COLORS[i], ls=ls, lw=2.2, label=name)
        ax.axhline(0.95 * constant_guess_loss(), color=COLORS[6], ls=":", lw=1)
        ax.set_title(f"{depth} layers")
        ax.set_xlabel("step")
        ax.set_ylim(0.5, 2.0)
    axes[0].set_ylabel("training loss")
    axes[0].legend()
    return fig
