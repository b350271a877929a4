"""The shared toolkit (docs/nn.md): activations, initializers and one vectorized MLP.

Teaching code, used by the chapters. One layout everywhere:

* a batch of independent networks (seeds) lives on a leading axis S;
* weights ``W[l]`` have shape ``[S, n_out, n_in]``: row ``i`` holds the incoming weights of unit ``i``
  (so ``z = W h + b`` as on the pages), biases ``b[l]`` have shape ``[S, n_out]``;
* data ``X`` is ``[N, n_in]`` (shared by every network) or ``[S, N, n_in]``;
* hidden layers apply the activation, the last layer is linear (its output is the logit or the
  regression output; the loss is the caller's).
"""

from __future__ import annotations

# --8<-- [start:activations]
import numpy as np


def erf(x):
    """Error function, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7); numpy has no erf."""
    s, x = np.sign(x), np.abs(x)
    t = 1 / (1 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return s * (1 - poly * np.exp(-x * x))


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))  # = 1 / (1 + e^-z), without overflow


def normal_cdf(z):
    return 0.5 * (1 + erf(z / np.sqrt(2)))


LAMBDA_SELU = 1.0507009873554804934193349852946  # Klambauer et al. 2017, as in PyTorch's source
ALPHA_SELU = 1.6732632423543772848170429916717

#: name -> (phi, phi'), both functions of the pre-activation z
ACTIVATIONS = {
    "linear": (lambda z: z, np.ones_like),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "sigmoid": (sigmoid, lambda z: sigmoid(z) * (1 - sigmoid(z))),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z: np.heaviside(z, 0.0)),
    "leaky_relu": (lambda z: np.where(z > 0, z, 0.01 * z), lambda z: np.where(z > 0, 1.0, 0.01)),
    "elu": (
        lambda z: np.where(z > 0, z, np.expm1(np.minimum(z, 0))),
        lambda z: np.where(z > 0, 1.0, np.exp(np.minimum(z, 0))),
    ),
    "selu": (
        lambda z: LAMBDA_SELU * np.where(z > 0, z, ALPHA_SELU * np.expm1(np.minimum(z, 0))),
        lambda z: LAMBDA_SELU * np.where(z > 0, 1.0, ALPHA_SELU * np.exp(np.minimum(z, 0))),
    ),
    "gelu": (  # exact GELU, z Phi(z)
        lambda z: z * normal_cdf(z),
        lambda z: normal_cdf(z) + z * np.exp(-z * z / 2) / np.sqrt(2 * np.pi),
    ),
    "silu": (lambda z: z * sigmoid(z), lambda z: sigmoid(z) * (1 + z * (1 - sigmoid(z)))),
}
# --8<-- [end:activations]


# --8<-- [start:init]
def init_std(scheme, fan_in, fan_out, gain=1.0):
    """The standard deviation of a named scheme: LeCun 1/fan_in, Glorot 2/(fan_in + fan_out),
    He 2/fan_in (variances), times gain."""
    var = {"lecun": 1 / fan_in, "glorot": 2 / (fan_in + fan_out), "he": 2 / fan_in}[scheme]
    return gain * np.sqrt(var)


def orthogonal(rng, shape):
    """Haar-random matrices with orthonormal rows or columns, shape [..., n_out, n_in]:
    QR of a Gaussian, with the signs fixed so that the distribution is uniform."""
    *batch, n_out, n_in = shape
    A = rng.standard_normal((*batch, max(n_out, n_in), min(n_out, n_in)))
    Q, R = np.linalg.qr(A)
    Q = Q * np.sign(np.diagonal(R, axis1=-2, axis2=-1))[..., None, :]
    return Q if n_out >= n_in else Q.mT


def init_weights(rng, sizes, scheme="lecun", gain=1.0, seeds=None):
    """Weights and zero biases of an MLP with layer sizes `sizes` (inputs first).

    scheme: "lecun", "glorot", "he" (Gaussian with that std) or "orthogonal" (times gain);
    gain: one number, or one per layer; seeds: the size of a leading axis of independent networks.
    Returns (Ws, bs): W[l] [S, n_out, n_in], b[l] [S, n_out] (no S axis if seeds is None).
    """
    lead = () if seeds is None else (seeds,)
    gains = np.broadcast_to(gain, (len(sizes) - 1,))
    Ws, bs = [], []
    for n_in, n_out, g in zip(sizes[:-1], sizes[1:], gains):
        if scheme == "orthogonal":
            W = g * orthogonal(rng, (*lead, n_out, n_in))
        else:
            W = init_std(scheme, n_in, n_out, g) * rng.standard_normal((*lead, n_out, n_in))
        Ws.append(W)
        bs.append(np.zeros((*lead, n_out)))
    return Ws, bs


# --8<-- [end:init]


# --8<-- [start:mlp]
def mlp_forward(Ws, bs, X, act="tanh", masks=None):
    """Output [S, N, n_out] of the last (linear) layer, and the cache for mlp_backward.
    masks: optional dropout masks, one per hidden layer, multiplied into its outputs."""
    phi, _ = ACTIVATIONS[act]
    hs, zs = [X], []  # each layer's input, and each layer's pre-activation
    for l, (W, b) in enumerate(zip(Ws, bs)):
        zs.append(hs[-1] @ W.mT + b[..., None, :])
        if l < len(Ws) - 1:
            hs.append(phi(zs[-1]) if masks is None else phi(zs[-1]) * masks[l])
    return zs[-1], (hs, zs, masks)


def mlp_backward(Ws, cache, d_out, act="tanh"):
    """Gradients (gWs, gbs) of the loss, given d_out = dLoss/d(output) [S, N, n_out]."""
    _, dphi = ACTIVATIONS[act]
    hs, zs, masks = cache
    gWs, gbs, d = [None] * len(Ws), [None] * len(Ws), d_out
    for l in reversed(range(len(Ws))):
        gWs[l] = d.mT @ hs[l]  # row i: sum over examples of d_i * (layer input)
        gbs[l] = d.sum(-2)
        if l > 0:  # back through W_l, then through the activation (and the mask)
            d = (d @ Ws[l]) * dphi(zs[l - 1])
            d = d if masks is None else d * masks[l - 1]
    return gWs, gbs


# --8<-- [end:mlp]
