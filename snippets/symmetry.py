"""Symmetry: why not zeros, and what randomness really buys (docs/symmetry.md).

Small networks trained with full-batch optimizers, vectorized over runs: every parameter array
carries a leading run axis R (seeds, or seeds x settings). Hidden units are tanh unless stated,
the output is a sigmoid, the loss binary cross-entropy. XOR inputs are centred (+-1).
"""

from __future__ import annotations

import functools

# --8<-- [start:imports]
import numpy as np

# --8<-- [end:imports]
from snippets import claim, figure, nn, table
from snippets._seeds import over_blocks, rng
from snippets._style import COLORS, new_figure

# --8<-- [start:constants]
HIDDEN = 8  # hidden units of the XOR networks
STEPS = 2000  # training steps of the XOR experiments
SEEDS = 64  # seeds of every stochastic XOR experiment
CONST = 0.5  # the constant of the constant init
OPTIMIZERS = {"gd": 0.5, "momentum": 0.1, "adam": 0.05}  # optimizer: learning rate
X_XOR = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])  # centred XOR inputs
Y_XOR = np.array([0.0, 1.0, 1.0, 0.0])  # and labels
# --8<-- [end:constants]
BLOCKS = 5  # independent seed blocks of every stochastic claim (median and range over blocks)
# experiment ids: the first key of every rng(...) call in this module
RANDOM, RING, SAFE, RESIDUAL, LORA, EPS, DROPOUT_MASKS, COSINE = range(1, 9)


# --8<-- [start:mlp]
def forward_backward(params, X, y, act="tanh", masks=None):
    """Loss [R], logits [R, N] and gradients of R networks, params = [W1, b1, ..., WL, bL]
    in the toolkit's layout (W_l [R, n_out, n_in]); sigmoid output, cross-entropy loss."""
    Ws, bs = params[0::2], params[1::2]
    out, cache = nn.mlp_forward(Ws, bs, X, act, masks)
    logit = out[..., 0]
    loss = np.mean(np.logaddexp(0.0, logit) - y * logit, axis=-1)
    d_out = (nn.sigmoid(logit) - y)[..., None] / len(y)  # dloss/dlogit, [R, N, 1]
    gWs, gbs = nn.mlp_backward(Ws, cache, d_out, act)
    return loss, logit, [g for pair in zip(gWs, gbs) for g in pair]


# --8<-- [end:mlp]


# --8<-- [start:optimizers]
class Optimizer:
    """Gradient descent, heavy-ball momentum or Adam. Every update is elementwise: equal
    gradients in, equal updates out."""

    def __init__(self, kind, lr, params, beta1=0.9, beta2=0.999, eps=1e-8):
        self.kind, self.lr, self.b1, self.b2, self.eps, self.t = kind, lr, beta1, beta2, eps, 0
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, params, grads):
        self.t += 1
        for p, g, m, v in zip(params, grads, self.m, self.v):
            if self.kind == "gd":
                p -= self.lr * g
            elif self.kind == "momentum":
                m *= self.b1
                m += g
                p -= self.lr * m
            elif self.kind == "adam":
                m += (1 - self.b1) * (g - m)
                v += (1 - self.b2) * (g * g - v)
                m_hat, v_hat = m / (1 - self.b1**self.t), v / (1 - self.b2**self.t)
                p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
            else:
                raise ValueError(self.kind)


# --8<-- [end:optimizers]


# --8<-- [start:train]
def train(
    params, X=X_XOR, y=Y_XOR, *, steps=STEPS, opt="gd", lr=None, act="tanh", dropout=0.0, seed=0, every=0
):
    """Train R networks at once. Returns a dict: the final `params`, the `loss` and training
    `acc` per step ([steps + 1, R]), `snaps` (the parameters every `every` steps), `moves`
    (the length of each step of the first layer's weights, [steps, R]) and `gmax` (the largest
    |gradient| each parameter array ever received, [R] per array)."""
    params = [np.array(p, dtype=float) for p in params]
    optim = Optimizer(opt, OPTIMIZERS[opt] if lr is None else lr, params)
    masks_rng = rng(DROPOUT_MASKS, seed)
    sizes = [len(b[0]) for b in params[1:-2:2]]  # hidden widths
    losses, accs, snaps, moves = [], [], [], []
    gmax = [np.zeros(len(p)) for p in params]
    for t in range(steps + 1):
        masks = None
        if dropout:  # inverted dropout on every hidden layer, a fresh mask per step
            shape = (len(params[0]), len(X))
            masks = [(masks_rng.random(shape + (n,)) >= dropout) / (1 - dropout) for n in sizes]
        loss, logit, grads = forward_backward(params, X, y, act, masks)
        losses.append(loss)
        accs.append(((logit > 0) == (y > 0.5)).mean(axis=-1))
        if every and t % every == 0:
            snaps.append([p.copy() for p in params])
        if t == steps:
            break
        for k, g in enumerate(grads):
            gmax[k] = np.maximum(gmax[k], np.abs(g).reshape(len(g), -1).max(axis=1))
        W1 = params[0].copy()
        optim.step(params, grads)
        moves.append(np.linalg.norm((params[0] - W1).reshape(len(W1), -1), axis=1))
    return {
        "params": params,
        "loss": np.array(losses),
        "acc": np.array(accs),
        "snaps": snaps,
        "moves": np.array(moves),
        "gmax": gmax,
    }


# --8<-- [end:train]


# --8<-- [start:inits]
def random_init(runs, sizes=(2, HIDDEN, 1), seed=0, scale=1.0):
    """LeCun normal weights (std = scale / sqrt(fan_in)), zero biases: [W1, b1, W2, b2]."""
    Ws, bs = nn.init_weights(rng(RANDOM, seed), sizes, "lecun", gain=scale, seeds=runs)
    return [p for pair in zip(Ws, bs) for p in pair]


def constant_init(runs, sizes=(2, HIDDEN, 1), c=CONST):
    """Every weight equal to c, every bias 0: all hidden units of a layer start identical."""
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        params += [np.full((runs, n_out, n_in), float(c)), np.zeros((runs, n_out))]
    return params


# --8<-- [end:inits]


def evaluate(params, X=X_XOR, y=Y_XOR, act="tanh"):
    """Loss [R] and accuracy [R] of trained networks (no dropout)."""
    loss, logit, _ = forward_backward(params, X, y, act)
    return loss, ((logit > 0) == (y > 0.5)).mean(axis=-1)


# --8<-- [start:spread]
def unit_spread(params):
    """Asymmetry of the first hidden layer: the RMS distance of each unit's parameters
    (incoming weights, bias, outgoing weights) from the mean unit, per run [R]."""
    W1, b1, W2 = params[0], params[1], params[2]
    units = np.concatenate([W1, b1[..., None], W2.mT], axis=-1)  # [R, H, .]
    dev = units - units.mean(axis=1, keepdims=True)
    return np.sqrt((dev**2).sum(-1).mean(-1))


# --8<-- [end:spread]


# ----------------------------------------------------------------------------------------------
# 1. The symmetry theorem
# ----------------------------------------------------------------------------------------------


# --8<-- [start:twin]
def width_one_twin(c=CONST, width=HIDDEN, steps=STEPS, opt="gd"):
    """The network a tied width-H network really is: one tanh unit whose outgoing weight is
    multiplied by H. Each of the H tied copies receives 1/H of this unit's gradient, so the
    unit's gradients are divided by H before the (same) optimizer sees them."""
    w, b, v, c0 = np.full(2, float(c)), np.zeros(()), np.full((), float(c)), np.zeros(())
    params = [w, b, v, c0]
    optim = Optimizer(opt, OPTIMIZERS[opt], params)
    losses = []
    for t in range(steps + 1):
        h = np.tanh(X_XOR @ w + b)  # [4]
        logit = width * v * h + c0
        losses.append(np.mean(np.logaddexp(0.0, logit) - Y_XOR * logit))
        d = (nn.sigmoid(logit) - Y_XOR) / len(Y_XOR)
        d_pre = d * width * v * (1 - h**2)
        grads = [  # d loss / d (w, b, v, c); the unit's share is divided by the width
            X_XOR.T @ d_pre / width,
            d_pre.sum() / width,
            (d * width * h).sum() / width,
            d.sum(),
        ]
        if t < steps:
            optim.step(params, grads)
    return np.array(losses)


# --8<-- [end:twin]


@functools.cache
def tied_runs():
    """Constant-init XOR networks trained by each optimizer, with their width-1 twins."""
    out = {}
    for opt in OPTIMIZERS:
        run = train(constant_init(1), opt=opt, every=10)
        run["twin"] = width_one_twin(opt=opt)
        out[opt] = run
    return out


@functools.cache
def random_runs():
    """BLOCKS x SEEDS random-init XOR networks trained by gradient descent; block b holds runs
    b * SEEDS .. (b + 1) * SEEDS - 1, drawn from rng(RANDOM, b)."""
    init = [np.concatenate(ps) for ps in zip(*(random_init(SEEDS, seed=b) for b in range(BLOCKS)))]
    run = train(init, every=10)
    run["init"] = init
    return run


def per_block(values):
    """Split a per-run array [BLOCKS * n] into blocks: [BLOCKS, n]."""
    return np.asarray(values).reshape(BLOCKS, -1)


def block_stats(stats):
    """over_blocks for measurements that are already computed for every block: `stats(b)`."""
    return over_blocks(stats, blocks=BLOCKS)


def _max_unit_gap(params):
    """Largest difference between any hidden unit and unit 0, over all first-layer parameters."""
    W1, b1, W2 = params[0], params[1], params[2]
    return float(
        max(np.abs(W1 - W1[:, :1]).max(), np.abs(b1 - b1[:, :1]).max(), np.abs(W2 - W2[:, :, :1]).max())
    )


@claim(
    "symmetry.tied-units-stay-identical",
    f"From a constant start, the {HIDDEN} hidden units of an XOR network stay bit-identical "
    f"through {STEPS} steps of gradient descent, of momentum and of Adam.",
)
def tied_units_stay_identical():
    runs = tied_runs()
    out = {opt: _max_unit_gap(runs[opt]["params"]) for opt in OPTIMIZERS}
    out["moved"] = float(min(np.abs(runs[o]["params"][0] - CONST).max() for o in OPTIMIZERS))
    out["steps"], out["hidden"] = STEPS, HIDDEN
    return out


@claim(
    "symmetry.width-one-equivalence",
    "The loss curve of the constant-init network equals, to 1e-12 at every step, that of a "
    "single tanh unit whose outgoing weight is multiplied by the width (its gradient shared "
    "by the copies), for gradient descent, momentum and Adam.",
)
def width_one_equivalence():
    runs = tied_runs()
    return {opt: float(np.abs(runs[opt]["loss"][:, 0] - runs[opt]["twin"]).max()) for opt in OPTIMIZERS}


@claim(
    "symmetry.xor-constant-vs-random",
    "From a constant start XOR accuracy never exceeds 0.75 with any of the three optimizers; "
    "from a random start gradient descent solves XOR on nearly every seed.",
)
def xor_constant_vs_random():
    runs, rnd = tied_runs(), random_runs()
    out = {f"{opt}_max_acc": float(runs[opt]["acc"].max()) for opt in OPTIMIZERS}
    out.update({f"{opt}_final_acc": float(runs[opt]["acc"][-1, 0]) for opt in OPTIMIZERS})
    solved = per_block(rnd["acc"][-1] == 1)
    out.update(block_stats(lambda b: {"random_success": float(solved[b].mean())}))
    out["seeds"] = SEEDS
    return out


# ----------------------------------------------------------------------------------------------
# 2. Zero init, exactly
# ----------------------------------------------------------------------------------------------


def ring_data(n=64, seed=0):
    """2-D Gaussian points labelled 1 inside the circle of radius 1 (not linearly separable)."""
    X = rng(RING, seed).standard_normal((n, 2))
    return X, (np.linalg.norm(X, axis=1) < 1.0).astype(float)


ZERO_ACTS = ("tanh", "relu", "sigmoid", "gelu")
ZERO_STEPS = 300


@functools.cache
def zero_init_runs():
    """All-zero 2- and 3-layer networks on the ring data, per activation."""
    X, y = ring_data()
    out = {}
    for act in ZERO_ACTS:
        for depth, sizes in ((2, (2, HIDDEN, 1)), (3, (2, HIDDEN, HIDDEN, 1))):
            run = train(constant_init(1, sizes, c=0.0), X, y, steps=ZERO_STEPS, act=act)
            out[act, depth] = run
    return out


def _zero_summary(act, depth):
    run = zero_init_runs()[act, depth]
    _, y = ring_data()
    p = y.mean()
    names = [f"{k}{l + 1}" for l in range(depth) for k in ("W", "b")]
    moved = [n for n, g in zip(names, run["gmax"]) if g.max() > 0]
    hidden = run["params"][:-2]  # every hidden layer: rows must stay identical
    tied = all(np.all(W == W[:, :1]) for W in hidden[0::2]) and all(
        np.all(b == b[:, :1]) for b in hidden[1::2]
    )
    return {
        "moved": moved,
        "tied": bool(tied),
        "loss": float(run["loss"][-1, 0]),
        "mean_loss": float(-(p * np.log(p) + (1 - p) * np.log(1 - p))),
        "weights_moved": bool(any(np.abs(W).max() > 0 for W in hidden[0::2])),
    }


@claim(
    "symmetry.zero-init-exact",
    "From all-zero weights, tanh, ReLU and GELU networks (2 and 3 layers) receive exactly zero "
    "gradient on every weight at every step, so only the output bias learns and the network "
    "predicts the label mean; sigmoid networks move their weights, but every layer's units "
    "stay identical.",
)
def zero_init_exact():
    out = {}
    for act in ZERO_ACTS:
        for depth in (2, 3):
            s = _zero_summary(act, depth)
            key = f"{act}{depth}"
            out[f"{key}_only_output_bias"] = s["moved"] == [f"b{depth}"]
            out[f"{key}_tied"] = s["tied"]
            out[f"{key}_weights_moved"] = s["weights_moved"]
            out[f"{key}_excess_loss"] = s["loss"] - s["mean_loss"]
    out["steps"] = ZERO_STEPS
    return out


@table(
    "symmetry/zero-init",
    caption=f"All-zero networks ({HIDDEN} units per hidden layer) trained for {ZERO_STEPS} "
    "steps of gradient descent on the ring data. Columns: the parameters that ever "
    "received a non-zero gradient, whether the hidden units of each layer are still "
    "identical, and the final loss next to the loss of always predicting the label "
    "mean.",
)
def zero_init_table():
    rows = []
    for act in ZERO_ACTS:
        f, df = nn.ACTIVATIONS[act]
        for depth in (2, 3):
            s = _zero_summary(act, depth)
            rows.append(
                [
                    act,
                    str(depth),
                    f"{float(f(np.zeros(()))):g}",
                    f"{float(df(np.zeros(()))):g}",
                    ", ".join(s["moved"]),
                    "yes" if s["tied"] else "no",
                    f"{s['loss']:.4f}",
                    f"{s['mean_loss']:.4f}",
                ]
            )
    header = [
        "activation",
        "layers",
        "φ(0)",
        "φ′(0)",
        "non-zero gradient",
        "units identical",
        "final loss",
        "mean-prediction loss",
    ]
    return header, rows


# ----------------------------------------------------------------------------------------------
# 3. What may safely be zero
# ----------------------------------------------------------------------------------------------

NARROW = 2  # hidden units of the narrow XOR net used for the success-rate comparison
SAFE_SEEDS = 128
SAFE_STEPS = 1000
SAFE_CONFIGS = (
    "random readout, zero biases",
    "zero readout, zero biases",
    "random readout, random biases",
    "zero readout, random biases",
)


@functools.cache
def zero_readout_runs():
    """Narrow XOR nets over the same first-layer draws: readout random or zero, first-layer
    biases zero or uniform in +-1/sqrt(2). Runs are grouped by SAFE_CONFIGS."""
    S, H = BLOCKS * SAFE_SEEDS, NARROW
    draws = [rng(SAFE, b) for b in range(BLOCKS)]  # block b: runs b * SAFE_SEEDS ...
    W1 = np.concatenate([r.standard_normal((SAFE_SEEDS, H, 2)) for r in draws]) / np.sqrt(2)
    W2 = np.concatenate([r.standard_normal((SAFE_SEEDS, 1, H)) for r in draws]) / np.sqrt(H)
    b1 = np.concatenate([r.uniform(-1, 1, (SAFE_SEEDS, H)) for r in draws]) / np.sqrt(2)
    zb = np.zeros_like(b1)
    configs = [(zb, W2), (zb, 0 * W2), (b1, W2), (b1, 0 * W2)]
    init = [
        np.concatenate([W1] * 4),
        np.concatenate([b for b, _ in configs]),
        np.concatenate([w for _, w in configs]),
        np.zeros((4 * S, 1)),
    ]
    run = train(init, steps=SAFE_STEPS)
    _, _, grads = forward_backward(init, X_XOR, Y_XOR)
    run["grad0"] = np.max([np.abs(g).reshape(4 * S, -1).max(1) for g in grads], axis=0)
    return run


@claim(
    "symmetry.zero-readout",
    f"With a random first layer (random biases too), a zero readout trains XOR (width {NARROW}) "
    "at the same success rate as a random readout over the same draws; with zero biases on "
    "centred XOR, the zero-readout network is an exact stationary point and never trains.",
)
def zero_readout():
    run = zero_readout_runs()
    ok = (run["acc"][-1] == 1).reshape(4, BLOCKS, SAFE_SEEDS)
    g0 = run["grad0"].reshape(4, -1)
    keys = ("random_zb", "zero_zb", "random_rb", "zero_rb")
    out = block_stats(lambda b: {k: float(ok[i, b].mean()) for i, k in enumerate(keys)})
    ok = ok.reshape(4, -1)  # the paired comparison pools every block
    out["zero_zb_first_grad"] = float(g0[1].max())
    out["only_zero_solved"] = int((ok[3] & ~ok[2]).sum())  # discordant pairs, random biases
    out["only_random_solved"] = int((ok[2] & ~ok[3]).sum())
    out["seeds"], out["width"], out["steps"] = SAFE_SEEDS, NARROW, SAFE_STEPS
    return out


# --8<-- [start:residual]
def residual_xor(E, U, V, w, steps=STEPS, lr=0.5):
    """h0 = E x;  h1 = h0 + V tanh(U h0 + b);  logit = w . h1 + c.  Gradient descent on XOR.
    Shapes: E [R, H, 2], U and V [R, H, H], w [R, H]. Returns the final training accuracy [R]."""
    E, U, V, w = (np.array(a, dtype=float) for a in (E, U, V, w))
    b, c = np.zeros(U.shape[:2]), np.zeros(len(w))
    for t in range(steps + 1):
        h0 = X_XOR @ E.mT  # [R, 4, H]
        a = np.tanh(h0 @ U.mT + b[:, None])
        h1 = h0 + a @ V.mT
        logit = (h1 @ w[:, :, None])[..., 0] + c[:, None]
        if t == steps:
            return ((logit > 0) == (Y_XOR > 0.5)).mean(-1)
        d = (1 / (1 + np.exp(-logit)) - Y_XOR) / 4  # [R, 4]
        dh1 = d[..., None] * w[:, None, :]
        dz = (dh1 @ V) * (1 - a**2)
        dh0 = dh1 + dz @ U
        grads = [
            dh0.mT @ X_XOR,
            dz.mT @ h0,
            dh1.mT @ a,
            (d[..., None] * h1).sum(1),
            dz.sum(1),
            d.sum(1),
        ]
        for p, g in zip((E, U, V, w, b, c), grads):
            p -= lr * g


# --8<-- [end:residual]


@claim(
    "symmetry.zero-residual-branch",
    "A residual block whose branch ends in a zero matrix trains XOR at the same success rate "
    "as one whose branch is fully random, over the same draws of the other weights.",
)
def zero_residual_branch():
    H, S = 4, BLOCKS * SEEDS
    draws = [rng(RESIDUAL, b) for b in range(BLOCKS)]  # block b: runs b * SEEDS ...
    E, U, V, w = (
        np.concatenate([r.standard_normal((SEEDS, *shape)) for r in draws]) / np.sqrt(shape[-1])
        for shape in ((H, 2), (H, H), (H, H), (H,))
    )
    acc = residual_xor(
        np.concatenate([E, E]),
        np.concatenate([U, U]),
        np.concatenate([V, np.zeros_like(V)]),
        np.concatenate([w, w]),
    )
    rnd, zero = acc[:S] == 1, acc[S:] == 1
    blocks = block_stats(
        lambda b: {"random": float(per_block(rnd)[b].mean()), "zero": float(per_block(zero)[b].mean())}
    )
    return blocks | {
        "seeds": SEEDS,
        "width": H,
        "only_zero_solved": int((zero & ~rnd).sum()),
        "only_random_solved": int((rnd & ~zero).sum()),
    }


# --8<-- [start:lora]
def lora_finetune(A, B, steps=300, lr=0.2, seed=3):
    """Fit W0 + B A to a teacher W0 + (rank-2 change) by gradient descent on squared error.
    A: [R, r, d] and B: [R, d, r]. Returns the loss per step [steps + 1, R] and, per run,
    the largest |gradient| that A received at the first step."""
    r = rng(LORA, seed)
    d = A.shape[2]
    W0 = r.standard_normal((d, d)) / np.sqrt(d)  # the "pretrained" weight, frozen
    delta = r.standard_normal((d, 2)) @ r.standard_normal((2, d)) / d
    X = r.standard_normal((4 * d, d))
    Y = X @ (W0 + delta).T
    A, B = np.array(A, dtype=float), np.array(B, dtype=float)
    losses = []
    for t in range(steps + 1):
        err = X @ (W0 + B @ A).mT - Y  # [R, N, d]
        losses.append((err**2).sum(-1).mean(-1))
        gW = err.mT @ X * (2 / len(X))  # dloss/dW, [R, d, d]
        gA, gB = B.mT @ gW, gW @ A.mT
        if t == 0:
            gA0 = np.abs(gA).reshape(len(A), -1).max(1)
        A -= lr * gA
        B -= lr * gB
    return np.array(losses), gA0


# --8<-- [end:lora]


LORA_SEEDS = 100


@claim(
    "symmetry.lora-b-zero",
    "LoRA's start (B = 0, A random) fits a rank-2 change on every seed although A's first "
    "gradient is exactly zero; with A = 0 too, no gradient is ever non-zero and the loss "
    "never moves.",
)
def lora_b_zero():
    d, r, S = 16, 4, LORA_SEEDS
    A = rng(LORA, 4).standard_normal((S, r, d)) / np.sqrt(d)
    losses, gA0 = lora_finetune(np.concatenate([A, 0 * A]), np.zeros((2 * S, d, r)))
    ratio = losses[-1] / losses[0]
    return {
        "b_zero_worst_ratio": float(ratio[:S].max()),
        "b_zero_first_grad_A": float(gA0[:S].max()),
        "both_zero_ratio_min": float(ratio[S:].min()),
        "seeds": S,
    }


# ----------------------------------------------------------------------------------------------
# 4. Signs
# ----------------------------------------------------------------------------------------------


def _flip(params, units):
    """Negate the incoming weights, bias and outgoing weights of the given first-layer units."""
    W1, b1, W2, b2 = (p.copy() for p in params)
    W1[:, units] *= -1
    b1[:, units] *= -1
    W2[:, :, units] *= -1
    return [W1, b1, W2, b2]


@claim(
    "symmetry.sign-flip-same-function",
    "Negating a tanh unit's incoming weights, bias and outgoing weights leaves the network's "
    "output unchanged, for trained networks on a grid of inputs.",
)
def sign_flip_same_function():
    params = random_runs()["params"]
    g = np.linspace(-2, 2, 21)
    grid = np.stack(np.meshgrid(g, g), -1).reshape(-1, 2)
    _, base, _ = forward_backward(params, grid, np.zeros(len(grid)))
    _, flipped, _ = forward_backward(_flip(params, [0, 2, 5]), grid, np.zeros(len(grid)))
    return float(np.abs(base - flipped).max())


@functools.cache
def mirrored_runs():
    """The same seeds trained from an init and from its negation (W1, b1, W2 negated)."""
    S = 20
    init = random_init(S, seed=5)
    both = [np.concatenate([p, q]) for p, q in zip(init, _flip(init, slice(None)))]
    return {opt: train(both, opt=opt, steps=1000) for opt in ("gd", "adam")}


@claim(
    "symmetry.mirrored-run",
    "Training from a negated init gives the mirror image of the original run: the same loss "
    "at every step and negated weights, with gradient descent and with Adam.",
)
def mirrored_run():
    out = {}
    for opt, run in mirrored_runs().items():
        a, b = run["params"], _flip([p[20:] for p in run["params"]], slice(None))
        out[f"{opt}_loss_diff"] = float(np.abs(run["loss"][:, :20] - run["loss"][:, 20:]).max())
        out[f"{opt}_weight_diff"] = float(max(np.abs(p[:20] - q).max() for p, q in zip(a, b)))
    return out


@claim(
    "symmetry.sign-kept",
    "After training from a random start, most first-layer weights still have the sign they "
    "were initialized with: the init picks the signs, training builds around them.",
)
def sign_kept():
    run = random_runs()
    kept = per_block((np.sign(run["init"][0]) == np.sign(run["params"][0])).mean(axis=(1, 2)))
    ok = per_block(run["acc"][-1] == 1)
    out = block_stats(lambda b: {"kept": float(kept[b][ok[b]].mean())})
    out["seeds"] = SEEDS
    return out


# ----------------------------------------------------------------------------------------------
# 5. Epsilon: how symmetry breaking speeds learning up
# ----------------------------------------------------------------------------------------------

EPSILONS = (1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-8, 1e-12)
EPS_SEEDS = 20
EPS_STEPS = 3000
EPS_EVERY = 10


# --8<-- [start:epsilon]
def epsilon_run(epsilons, seeds, steps, every=10, c=CONST, seed=6):
    """Constant init c plus eps * N(0, 1) noise on every weight, trained by gradient descent.
    Returns the unit spread every `every` steps [steps // every + 1, R], the step at which each
    run first classifies all of XOR (-1 if never) [R], and the eps of each run [R]."""
    eps = np.repeat(epsilons, seeds)
    noise = rng(EPS, seed)
    params = constant_init(len(eps), c=c)
    for k in (0, 2):  # W1, W2
        params[k] = params[k] + eps[:, None, None] * noise.standard_normal(params[k].shape)
    optim = Optimizer("gd", OPTIMIZERS["gd"], params)
    spread, solved = [], np.full(len(eps), -1)
    for t in range(steps + 1):
        if t % every == 0:
            spread.append(unit_spread(params))
        _, logit, grads = forward_backward(params, X_XOR, Y_XOR)
        solved[(solved < 0) & ((logit > 0) == (Y_XOR > 0.5)).all(-1)] = t
        optim.step(params, grads)
    return np.array(spread), solved, eps


# --8<-- [end:epsilon]


@functools.cache
def epsilon_runs():
    """EPS_SEEDS seeds per eps in each of BLOCKS blocks, trained in one batch."""
    return epsilon_run(np.array(EPSILONS), BLOCKS * EPS_SEEDS, EPS_STEPS, EPS_EVERY)


def _eps_table(block=None):
    """Per eps: the fraction of seeds that solve XOR, their median steps to solve it, and the
    median spread over time; over the seeds of one block, or of every block (None)."""
    spread, solved, eps = epsilon_runs()
    rows = {}
    for e in EPSILONS:
        idx = np.flatnonzero(eps == e)
        if block is not None:
            idx = idx[block * EPS_SEEDS : (block + 1) * EPS_SEEDS]
        s = solved[idx]
        rows[e] = {
            "rate": float((s >= 0).mean()),
            "median": float(np.median(np.where(s >= 0, s, np.inf))),
            "spread": np.median(spread[:, idx], axis=1),
        }
    return rows


EARLY = 100  # steps over which the early growth rate is fitted


def _growth(block):
    rows = _eps_table(block)
    n = EARLY // EPS_EVERY + 1
    t = np.arange(n) * EPS_EVERY
    rates, r2s = [], []
    for e in EPSILONS:
        if e > 1e-4:  # linear regime only: the spread must stay far below the weights (~0.5)
            continue
        logs = np.log(rows[e]["spread"][:n])
        slope, icpt = np.polyfit(t, logs, 1)
        resid = logs - (slope * t + icpt)
        rates.append(slope)
        r2s.append(1 - resid.var() / logs.var())
    late = rows[1e-12]["spread"]
    late_rate = (np.log(late[-1]) - np.log(late[-1 - 1000 // EPS_EVERY])) / 1000
    return {
        "rate": float(np.mean(rates)),
        "rate_spread": float((max(rates) - min(rates)) / np.mean(rates)),
        "min_r2": float(min(r2s)),
        "late_rate": float(late_rate),
        "factor_per_100": float(np.exp(100 * np.mean(rates))),
        "steps_per_decade": float(np.log(10) / np.mean(rates)),  # if the early rate held on
        "late_over_early": float(late_rate / np.mean(rates)),
    }


@claim(
    "symmetry.epsilon-growth",
    "Near the symmetric start the spread between units grows exponentially: over the first "
    f"{EARLY} steps log(spread) is a straight line with the same slope for every small eps, "
    "and its growth rate later falls.",
)
def epsilon_growth():
    return over_blocks(_growth, BLOCKS) | {"steps": EARLY, "seeds": EPS_SEEDS}


ESCAPES = (1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6)  # the eps whose steps to solve XOR are quoted


def _escape(block):
    rows = _eps_table(block)
    steps = np.array([rows[e]["median"] for e in ESCAPES])
    out = {f"steps_{-int(round(np.log10(e)))}": rows[e]["median"] for e in ESCAPES}
    out.update({f"rate_{-int(round(np.log10(e)))}": rows[e]["rate"] for e in EPSILONS})
    out["slope"] = float(np.polyfit(np.log10(1 / np.array(ESCAPES)), steps, 1)[0])
    out["first_decade"] = float(steps[1] - steps[0])
    out["last_decade"] = float(steps[-1] - steps[-2])
    out["last_over_first"] = out["last_decade"] / out["first_decade"]
    return out


@claim(
    "symmetry.epsilon-escape",
    "The steps needed to solve XOR grow as eps shrinks: the first decade of eps costs about "
    "ln(10)/rate steps, as exponential growth at the early rate predicts, later decades "
    f"cost several times more; for eps = 1e-8 and below no seed escapes within {EPS_STEPS} steps.",
)
def epsilon_escape():
    return over_blocks(_escape, BLOCKS) | {"budget": EPS_STEPS, "seeds": EPS_SEEDS}


# ----------------------------------------------------------------------------------------------
# 6. Symmetry breaking without random weights
# ----------------------------------------------------------------------------------------------

DROPOUT = 0.5


@functools.cache
def dropout_runs():
    """Constant init (c) and all-zero init trained with dropout; seeds differ only in masks."""
    n = BLOCKS * SEEDS
    init = [np.concatenate([p, q]) for p, q in zip(constant_init(n), constant_init(n, c=0.0))]
    run = train(init, dropout=DROPOUT, seed=7)
    run["eval"] = evaluate(run["params"])
    return run


@claim(
    "symmetry.dropout-breaks-symmetry",
    f"Dropout (p = {DROPOUT}) lets constant-init units separate and solve XOR on most seeds; "
    "from exact zeros (tanh) no weight ever moves, with or without dropout.",
)
def dropout_breaks_symmetry():
    run = dropout_runs()
    _, acc = run["eval"]
    n = BLOCKS * SEEDS
    const, zero = per_block(acc[:n] == 1), per_block(acc[n:] == 1)
    out = block_stats(
        lambda b: {"constant_success": float(const[b].mean()), "zero_success": float(zero[b].mean())}
    )
    return out | {
        "zero_max_weight": float(max(np.abs(run["params"][k][n:]).max() for k in (0, 2))),
        "constant_min_spread": float(unit_spread([p[:n] for p in run["params"]]).min()),
        "seeds": SEEDS,
    }


# --8<-- [start:deterministic]
def hadamard(n):
    """Sylvester's Hadamard matrix of order n (a power of 2)."""
    H = np.ones((1, 1))
    while len(H) < n:
        H = np.block([[H, H], [H, -H]])
    return H


def zero_like(n_out, n_in):
    """ZerO's rule for one matrix (Zhao et al., Algorithm 1): a partial identity when
    n_out <= n_in, else a partial identity times a normalized Hadamard matrix."""
    if n_out <= n_in:
        return np.eye(n_out, n_in)
    p = 2 ** int(np.ceil(np.log2(n_out)))
    return np.eye(n_out, p) @ hadamard(p) / np.sqrt(p) @ np.eye(p, n_in)


def angles_init(hidden=HIDDEN):
    """Deterministic and asymmetric: unit i's weights point at angle pi * i / hidden (no two
    units parallel or antiparallel), biases evenly spaced in [-1/2, 1/2], zero readout."""
    theta = np.pi * np.arange(hidden) / hidden
    W1 = np.stack([np.cos(theta), np.sin(theta)], -1)
    return W1, np.linspace(-0.5, 0.5, hidden), np.zeros((1, hidden))


# --8<-- [end:deterministic]


@functools.cache
def deterministic_runs():
    W1a, W2a = zero_like(HIDDEN, 2), zero_like(1, HIDDEN)
    W1b, b1b, W2b = angles_init()
    init = [np.stack([W1a, W1b]), np.stack([0 * b1b, b1b]), np.stack([W2a, W2b]), np.zeros((2, 1))]
    return train(init)


@claim(
    "symmetry.deterministic-init",
    "Two deterministic, non-random inits train XOR to full accuracy: ZerO's identity plus "
    "Hadamard rule and evenly spread angles; ZerO leaves two groups of tied units that stay "
    "tied.",
)
def deterministic_init():
    run = deterministic_runs()
    W1 = run["params"][0][0]
    W2 = run["params"][2][0, 0]
    groups = [[2, 4, 6], [3, 5, 7]]  # same incoming rows and zero outgoing weight at init
    tied = all(np.all(W1[g] == W1[g[0]]) and np.all(W2[g] == W2[g[0]]) for g in groups)
    distinct_rows = len({tuple(r) for r in zero_like(HIDDEN, 2)})
    return {
        "zero_like_acc": float(run["acc"][-1, 0]),
        "angles_acc": float(run["acc"][-1, 1]),
        "zero_like_loss": float(run["loss"][-1, 0]),
        "angles_loss": float(run["loss"][-1, 1]),
        "zero_like_groups_tied": bool(tied),
        "zero_like_distinct_rows": distinct_rows,
    }


# --8<-- [start:cosine]
def random_row_cosines(n, pairs=2000, seed=8):
    """Cosine similarity between `pairs` pairs of independent Gaussian rows of width n."""
    u, v = rng(COSINE, seed).standard_normal((2, pairs, n))
    return (u * v).sum(-1) / np.linalg.norm(u, axis=-1) / np.linalg.norm(v, axis=-1)


# --8<-- [end:cosine]


WIDTHS = (4, 16, 64, 256, 1024)


@claim(
    "symmetry.cosine-random-rows",
    "The cosine similarity of two random rows of width n has root-mean-square 1/sqrt(n): "
    "wide random layers start with nearly orthogonal units.",
)
def cosine_random_rows():
    out = {}
    for n in WIDTHS:
        c = random_row_cosines(n)
        out[f"rms_sqrt_n_{n}"] = float(np.sqrt((c**2).mean() * n))
        out[f"mean_abs_{n}"] = float(np.abs(c).mean())
    return out


# ----------------------------------------------------------------------------------------------
# 8. The popular answer, measured
# ----------------------------------------------------------------------------------------------


@claim(
    "symmetry.verdict-gap",
    "The gap between units does expand, exponentially at first; but weights that merely grow "
    "do not break symmetry (the tied network's weights grow with zero gap), and the expansion "
    "stops once the network has solved the task.",
)
def verdict_gap():
    tied = tied_runs()["gd"]
    snaps = random_runs()["snaps"]
    spread = np.array([unit_spread(s) for s in snaps])  # [T, R], every 10 steps
    solved = np.argmax(random_runs()["acc"][::10] == 1, axis=0)  # first snapshot solved
    late = spread[-1] / spread[np.minimum(solved + 20, len(spread) - 1)]  # 200 steps after solving
    late = per_block(late)
    out = {
        "tied_norm_growth": float(np.linalg.norm(tied["params"][0]) / np.linalg.norm(tied["snaps"][0][0])),
        "tied_gap": _max_unit_gap(tied["params"]),
        "growth_per_100": epsilon_growth()["factor_per_100"],
    }
    out.update(block_stats(lambda b: {"late_growth_median": float(np.median(late[b]))}))
    return out


@claim(
    "symmetry.verdict-slow",
    "Constant weights do not update slowly: step for step, the tied first layer moves about as "
    "far as a random one, and its step length is no more constant; it just moves every unit "
    "the same way.",
)
def verdict_slow():
    tied = tied_runs()["gd"]["moves"][:, 0]  # [steps]
    rnd = random_runs()["moves"]  # [steps, R]
    mean_step, cv = per_block(rnd.mean(0)), per_block(rnd.std(0) / rnd.mean(0))  # cv: variation
    out = {"tied_mean_step": float(tied.mean()), "tied_cv": float(tied.std() / tied.mean())}
    out.update(
        block_stats(
            lambda b: {
                "ratio": float(tied.mean() / np.median(mean_step[b])),
                "random_cv": float(np.median(cv[b])),
            }
        )
    )
    return out


# ----------------------------------------------------------------------------------------------
# Figures
# ----------------------------------------------------------------------------------------------


@figure(
    "symmetry/trajectories",
    alt="Two panels of first-layer weight trajectories of the 8 hidden units of an XOR "
    "network over 2000 steps. Left, constant init: the 8 lines lie exactly on top of "
    "each other. Right, random init: the lines start apart and fan out.",
    caption="Weight from input 1 of each hidden unit during gradient descent on XOR. From a "
    "constant start the 8 units are one line (they are bit-identical); from a random "
    "start they fan out and the network solves XOR.",
)
def fig_trajectories():
    return draw_trajectories(tied_runs()["gd"]["snaps"], random_runs()["snaps"], every=10)


def draw_trajectories(tied_snaps, random_snaps, every):
    """Two panels: the first input weight of every hidden unit of run 0 over training, from a
    constant and from a random start (also drawn on the home page)."""
    fig, axes = new_figure(1, 2, width=6.4, height=2.8, sharey=True)
    steps = np.arange(len(tied_snaps)) * every
    w = np.array([s[0][0, :, 0] for s in tied_snaps])  # [T, H], run 0: every column the same
    axes[0].plot(steps, w, color=COLORS[0], lw=2)
    axes[0].annotate(
        f"all {HIDDEN} units\n(one line)",
        (steps[-1], w[-1, 0]),
        xytext=(0.45, 0.2),
        textcoords="axes fraction",
        arrowprops={"arrowstyle": "->", "color": COLORS[0]},
    )
    w = np.array([s[0][0, :, 0] for s in random_snaps])
    for j in range(HIDDEN):
        axes[1].plot(steps, w[:, j], color=COLORS[j % 4], ls=("-", "--")[j // 4], lw=1.4)
    for ax, title in zip(axes, ("constant init", "random init")):
        ax.set_title(title)
        ax.set_xlabel("step")
    axes[0].set_ylabel(r"weight from input 1, $W_1[i, 1]$")
    return fig


@figure(
    "symmetry/boundaries",
    alt="Two panels of the XOR plane coloured by the network's predicted probability. Left, "
    "constant init: one straight boundary, three of the four points on the right side. "
    "Right, random init: a band that separates both XOR classes.",
    caption="Learned decision regions after training. The constant-init network is a single "
    "tanh unit in disguise, so its boundary is a straight line and it gets 3 of 4 "
    "points; the random-init network carves out XOR.",
)
def fig_boundaries():
    fig, axes = new_figure(1, 2, width=7.2, height=3.2, sharey=True)
    g = np.linspace(-1.6, 1.6, 61)
    grid = np.stack(np.meshgrid(g, g), -1).reshape(-1, 2)
    for ax, params, title in (
        (axes[0], tied_runs()["gd"]["params"], "constant init"),
        (axes[1], [p[:1] for p in random_runs()["params"]], "random init"),
    ):
        _, logit, _ = forward_backward(params, grid, np.zeros(len(grid)))
        prob = (1 / (1 + np.exp(-logit[0]))).reshape(len(g), len(g))
        cs = ax.contourf(g, g, prob, levels=np.linspace(0, 1, 11), cmap="PuOr_r", alpha=0.8)
        ax.contour(g, g, prob, levels=[0.5], colors=[COLORS[6]], linewidths=1.5)
        for cls, marker in ((0, "o"), (1, "s")):
            pts = X_XOR[Y_XOR == cls]
            ax.scatter(
                pts[:, 0],
                pts[:, 1],
                marker=marker,
                s=60,
                c=COLORS[2 * cls],
                edgecolors="white",
                zorder=3,
                label=f"class {cls}",
            )
        ax.set_title(title)
        ax.set_xlabel("$x_1$")
        ax.set_aspect("equal")
        ax.grid(False)
    axes[0].set_ylabel("$x_2$")
    fig.colorbar(cs, ax=axes, shrink=0.8, label="predicted P(class 1)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=2)
    return fig


@figure(
    "symmetry/epsilon",
    alt="Left: spread between hidden units versus step on a log scale, one curve per noise "
    "size eps from 1e-1 to 1e-12; each starts at its eps, rises steeply along a straight "
    "line, then bends over. Right: steps needed to solve XOR versus eps on a log axis, "
    "rising faster and faster as eps shrinks, above the dashed early-rate prediction, with no "
    "point for 1e-8 and 1e-12.",
    caption="Constant init plus noise of size ε. Left: median spread between units (log "
    "scale): every curve starts with the same straight-line rise (exponential growth at one "
    "rate, whatever ε), then bends over. Right: median steps until XOR is solved (all seeds of "
    "every block), against what the early growth rate predicts (dashed): the later decades of ε "
    "cost more and more; at ε = 10⁻⁸ and 10⁻¹² no seed escapes within the budget.",
)
def fig_epsilon():
    rows = _eps_table()  # every block's seeds
    fig, (a0, a1) = new_figure(1, 2, width=7.0, height=3.2)
    t = np.arange(0, EPS_STEPS + 1, EPS_EVERY)
    for i, e in enumerate(EPSILONS):
        style = {"color": COLORS[i % 6], "ls": ("-", "--")[i // 6]}
        a0.semilogy(t, rows[e]["spread"], **style, label=rf"$10^{{{np.log10(e):.0f}}}$")
    a0.set_xlim(0, 1500)
    a0.set_xlabel("step")
    a0.set_ylabel("spread between units")
    a0.legend(title=r"$\varepsilon$", ncol=2, fontsize="small", loc="lower right")
    solved = list(ESCAPES)
    steps = np.array([rows[e]["median"] for e in solved])
    a1.semilogx(solved, steps, "o-", color=COLORS[0], label="measured (median)")
    per_decade = epsilon_growth()["steps_per_decade"]
    pred = steps[0] + per_decade * np.arange(len(solved))
    a1.semilogx(solved, pred, "--", color=COLORS[5], label="at the early rate")
    a1.axhline(EPS_STEPS, color=COLORS[6], lw=1, ls=":")
    a1.text(solved[-1], EPS_STEPS * 0.95, "budget", va="top")
    a1.invert_xaxis()
    a1.set_xlabel(r"noise size $\varepsilon$")
    a1.set_ylabel("steps to solve XOR")
    a1.legend(fontsize="small")
    return fig


@figure(
    "symmetry/cosine",
    alt="Left: histograms of the cosine similarity between random rows for widths 4, 16, 64 "
    "and 256, each narrower than the last. Right: root-mean-square cosine versus width "
    "on log-log axes, lying on the line 1 over square root of n.",
    caption="Random rows are nearly orthogonal. Left: distribution of the cosine similarity "
    "between two independent Gaussian rows of width n. Right: its root-mean-square "
    "against n, with the line 1/√n.",
)
def fig_cosine():
    fig, (a0, a1) = new_figure(1, 2, width=6.4, height=2.8)
    bins = np.linspace(-1, 1, 61)
    for i, n in enumerate(WIDTHS[:4]):
        a0.hist(
            random_row_cosines(n),
            bins=bins,
            density=True,
            histtype="step",
            lw=1.4,
            color=COLORS[i],
            ls=("-", "--", "-.", ":")[i],
            label=rf"$n = {n}$",
        )
    a0.set_xlabel("cosine similarity")
    a0.set_ylabel("density")
    a0.legend(fontsize="small")
    rms = [np.sqrt((random_row_cosines(n) ** 2).mean()) for n in WIDTHS]
    a1.loglog(WIDTHS, rms, "o", color=COLORS[0], label="measured")
    a1.loglog(WIDTHS, 1 / np.sqrt(WIDTHS), "--", color=COLORS[5], label=r"$1/\sqrt{n}$")
    a1.set_xlabel(r"width $n$")
    a1.set_ylabel("RMS cosine")
    a1.legend(fontsize="small")
    return fig
