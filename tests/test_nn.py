"""Unit tests of the shared toolkit (snippets/nn.py): derivatives, initializer scales, gradients."""

import numpy as np
import pytest

from snippets import nn
from snippets._seeds import rng


@pytest.mark.parametrize("name", sorted(nn.ACTIVATIONS))
def test_derivative_matches_finite_difference(name):
    f, df = nn.ACTIVATIONS[name]
    z = np.linspace(-4, 4, 801) + 1e-3  # off the kinks of relu, leaky relu, elu, selu
    h = 1e-6
    assert np.allclose(df(z), (f(z + h) - f(z - h)) / (2 * h), atol=1e-5)


def test_erf_within_its_stated_error():
    import math

    x = np.linspace(-6, 6, 2001)
    assert np.max(np.abs(nn.erf(x) - np.vectorize(math.erf)(x))) < 1.5e-7


@pytest.mark.parametrize(
    ("scheme", "var"), [("lecun", 1 / 300), ("glorot", 2 / (300 + 200)), ("he", 2 / 300)]
)
def test_init_std_names(scheme, var):
    # LeCun 1/fan_in, Glorot 2/(fan_in + fan_out), He 2/fan_in
    assert nn.init_std(scheme, 300, 200) ** 2 == pytest.approx(var)
    Ws, bs = nn.init_weights(rng(0), (300, 200), scheme, seeds=50)
    assert Ws[0].shape == (50, 200, 300) and bs[0].shape == (50, 200)
    # 3 million draws: the sample variance is within 0.3% (four standard errors of 0.08%)
    assert Ws[0].var() == pytest.approx(var, rel=0.003)
    assert not bs[0].any()


@pytest.mark.parametrize("shape", [(5, 8, 8), (5, 3, 8), (5, 8, 3)])
def test_orthogonal(shape):
    Q = nn.orthogonal(rng(1), shape)
    assert Q.shape == shape
    small = min(shape[1:])
    G = Q @ Q.mT if shape[1] <= shape[2] else Q.mT @ Q  # the Gram matrix of the shorter side
    assert np.allclose(G, np.eye(small), atol=1e-12)


def test_orthogonal_is_haar():
    # the sign fix makes the distribution uniform: E[Q_ij] = 0 and E[Q_ij^2] = 1/n for every entry
    Q = nn.orthogonal(rng(2), (20000, 3, 3))
    assert np.abs(Q.mean(0)).max() < 0.02  # standard error 1/sqrt(3 * 20000) = 0.004
    assert np.allclose((Q**2).mean(0), 1 / 3, atol=0.01)


def test_orthogonal_gain_and_per_layer_gain():
    Ws, _ = nn.init_weights(rng(3), (4, 6, 6, 1), "orthogonal", gain=(1.0, 2.0, 3.0), seeds=2)
    assert np.allclose(Ws[1] @ Ws[1].mT, 4 * np.eye(6))
    Ws, _ = nn.init_weights(rng(3), (4, 6, 1), "he", gain=(1.0, 0.0))
    assert Ws[0].shape == (6, 4) and not Ws[1].any()


@pytest.mark.parametrize("act", ["tanh", "relu", "gelu", "sigmoid"])
def test_backward_matches_finite_differences(act):
    r = rng(4)
    Ws, bs = nn.init_weights(r, (3, 5, 4, 2), "lecun", seeds=2)
    bs = [b + 0.1 * r.standard_normal(b.shape) for b in bs]
    X, T = r.standard_normal((6, 3)), r.standard_normal((2, 6, 2))
    masks = [(r.random((2, 6, n)) > 0.3) / 0.7 for n in (5, 4)]

    def loss(Ws, bs):
        out, _ = nn.mlp_forward(Ws, bs, X, act, masks)
        return 0.5 * ((out - T) ** 2).sum()

    out, cache = nn.mlp_forward(Ws, bs, X, act, masks)
    gWs, gbs = nn.mlp_backward(Ws, cache, out - T, act)
    h = 1e-6
    for params, grads in ((Ws, gWs), (bs, gbs)):
        for p, g in zip(params, grads):
            num = np.zeros_like(p)
            for i in np.ndindex(p.shape):
                old = p[i]
                p[i] = old + h
                up = loss(Ws, bs)
                p[i] = old - h
                num[i] = (up - loss(Ws, bs)) / (2 * h)
                p[i] = old
            assert np.allclose(g, num, atol=1e-6)


def test_shared_and_per_network_inputs_agree():
    Ws, bs = nn.init_weights(rng(5), (2, 8, 1), seeds=3)
    X = rng(6).standard_normal((4, 2))
    a, _ = nn.mlp_forward(Ws, bs, X)
    b, _ = nn.mlp_forward(Ws, bs, np.broadcast_to(X, (3, 4, 2)))
    assert np.array_equal(a, b)
