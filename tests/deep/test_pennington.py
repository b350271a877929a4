"""Claims of docs/deep.md#pennington-2017."""

import pytest

from snippets.deep import pennington as pen


@pytest.mark.claim(
    "deep.pennington-isometry",
    settings=("seeds",),
    survives={
        "tanh_orth_min x0.8": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
        "tanh_gauss_32": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
        "relu_orth_32": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
        "relu_gauss_32": "quoted for context; the sentence bounds only Gaussian tanh and orthogonal ReLU",
    },
)
def test_pennington_isometry():
    r = pen.pennington_isometry()
    assert 0.9 <= r["tanh_orth_min"] <= 1
    assert r["tanh_gauss_32"] < 0.5 and r["relu_orth_32"] < 0.5


@pytest.mark.claim(
    "deep.pennington-variance",
    survives={
        "relu_gaussian_upto4": "a bound in the sentence: any value on the safe side of it satisfies the sentence (a tolerance)",
        "tanh_orthogonal_all": "a bound in the sentence: any value on the safe side of it satisfies the sentence (a tolerance)",
    },
)
def test_pennington_variance():
    r = pen.pennington_variance()
    for k in ("tanh_orthogonal", "tanh_gaussian", "relu_orthogonal", "relu_gaussian"):
        assert r[f"{k}_upto4"] < 0.25, k
        assert abs(r[f"{k}_ratio_4"] - 1) <= r[f"{k}_upto4"] + 1e-12, k
    assert r["tanh_orthogonal_all"] < 0.25
