"""Helpers shared by the deep-networks chapter: seed blocks, a vectorized MLP, the teacher task.

Every random draw comes from :func:`snippets._seeds.rng`. An experiment runs in ``BLOCKS``
independent seed blocks; block ``b`` of experiment ``E`` draws everything from ``rng(E, b)``, so
compared arms that use the same key share their random numbers.
"""

from __future__ import annotations

import functools

import numpy as np

from snippets._seeds import rng

BLOCKS = 5  # independent seed blocks behind every quoted spread


def haar_orthogonal(g, shape, n):
    """Haar-random orthogonal n x n matrices, shape [*shape, n, n]: QR of a Gaussian, signs fixed."""
    Q, R = np.linalg.qr(g.normal(size=(*shape, n, n)))
    return Q * np.sign(np.diagonal(R, axis1=-2, axis2=-1))[..., None, :]


def blockwise(values, name):
    """Median and range over blocks of per-block statistics: {name, name_min, name_max}."""
    v = np.asarray(values, float)
    return {name: float(np.median(v)), f"{name}_min": float(v.min()), f"{name}_max": float(v.max())}


# ----------------------------------------------------------------------------------------------
# A small vectorized MLP: weights are [runs, n_in, n_out]; every run trains in lockstep.
# ----------------------------------------------------------------------------------------------
def _act(name):
    if name == "tanh":
        return np.tanh, lambda h, a: 1.0 - a * a
    if name == "relu":
        return (lambda h: np.maximum(h, 0.0)), (lambda h, a: (h > 0).astype(h.dtype))
    raise ValueError(name)


def forward(Ws, bs, X, act):
    """Pre-activations and activations of every layer; the last layer is linear (logits)."""
    f, _ = _act(act)
    hs, acts = [], [X]
    a = X
    for i, (W, b) in enumerate(zip(Ws, bs)):
        h = a @ W + b
        a = h if i == len(Ws) - 1 else f(h)
        hs.append(h)
        acts.append(a)
    return hs, acts


def backward(Ws, hs, acts, dlogits, act):
    """Gradients wrt weights, biases and every pre-activation (back-propagated gradients)."""
    _, df = _act(act)
    gW, gb, gh = [None] * len(Ws), [None] * len(Ws), [None] * len(Ws)
    g = dlogits
    for i in range(len(Ws) - 1, -1, -1):
        gh[i] = g
        gW[i] = acts[i].mT @ g
        gb[i] = g.sum(-2, keepdims=True)
        if i:
            g = (g @ Ws[i].mT) * df(hs[i - 1], acts[i])
    return gW, gb, gh


def xent(logits, y):
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


def evaluate(Ws, bs, X, y, act):
    """Loss and accuracy of every run on (X, y); non-finite losses become inf."""
    with np.errstate(all="ignore"):
        hs, _ = forward(Ws, bs, X.astype(Ws[0].dtype), act)
        loss, acc, _ = xent(hs[-1], y)
    return np.where(np.isfinite(loss), loss, np.inf), acc


def train(Ws, bs, data, act, lr, steps, g, batch=64, momentum=0.9, every=0, masks=None, n_eval=None):
    """SGD (with momentum) on all runs at once, in the weights' dtype. ``g`` draws the batches:
    one Generator (every run sees the same batches) or a list of Generators, one per equal
    group of consecutive runs (a seed block: the arms of one block share their batches).

    Returns the final test loss and accuracy per run and, if ``every`` > 0, the training loss on
    the first ``n_eval`` training examples (default: all) every ``every`` steps ([evals, runs],
    step 0 first). ``masks`` (one per
    layer, or None) keep pruned weights at zero.
    """
    dt = Ws[0].dtype
    Xtr, ytr, Xte, yte = data
    Xtr, Xte = Xtr.astype(dt), Xte.astype(dt)
    vW = [np.zeros_like(W) for W in Ws]
    vb = [np.zeros_like(b) for b in bs]
    lr = np.asarray(lr, dt).reshape(-1, 1, 1)
    momentum = np.asarray(momentum, dt).reshape(-1, 1, 1)
    curve = []
    with np.errstate(all="ignore"):
        for t in range(steps):
            if every and t % every == 0:
                curve.append(evaluate(Ws, bs, Xtr[:n_eval], ytr[:n_eval], act)[0])
            if isinstance(g, list):
                idx = np.stack([gi.integers(0, len(ytr), batch) for gi in g])
                idx = np.repeat(idx, len(Ws[0]) // len(g), 0)  # [runs, batch]
            else:
                idx = g.integers(0, len(ytr), batch)
            hs, acts = forward(Ws, bs, Xtr[idx], act)
            _, _, d = xent(hs[-1], ytr[idx])
            gW, gb, _ = backward(Ws, hs, acts, d, act)
            for i in range(len(Ws)):
                vW[i] = momentum * vW[i] - lr * gW[i]
                vb[i] = momentum * vb[i] - lr * gb[i]
                Ws[i] += vW[i] if masks is None else vW[i] * masks[i]
                bs[i] += vb[i]
        if every:
            curve.append(evaluate(Ws, bs, Xtr[:n_eval], ytr[:n_eval], act)[0])
    loss, acc = evaluate(Ws, bs, Xte, yte, act)
    return loss, acc, np.array(curve)


TASK = 1  # rng key of the teacher task


@functools.cache
def teacher_task(d=32, classes=4, n_train=2048, n_test=1024):
    """Inputs x ~ N(0, I_d); labels = argmax of a random one-hidden-layer tanh teacher."""
    g = rng(TASK)
    A = g.normal(0, 1 / np.sqrt(d), (d, 64))
    B = g.normal(0, 1 / np.sqrt(64), (64, classes))
    X = g.normal(size=(n_train + n_test, d))
    y = (np.tanh(2.0 * X @ A) @ B).argmax(-1)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def majority_rate(data, classes=4):
    """Test accuracy of always answering the most frequent test class."""
    return float(np.bincount(data[3], minlength=classes).max() / len(data[3]))
