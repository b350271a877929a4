"""Claims of architectures#zero (snippets/architectures/zero.py)."""

import pytest

from snippets.architectures import zero as m


@pytest.mark.claim("architectures.zero-rank")
def test_zero_rank():
    v = m.zero_rank()
    assert v["hadamard_rank_init"] == v["identity_rank_init"] == v["input_dim"] == 16
    assert v["hadamard_rank_trained"] == v["input_dim"] + v["classes"] == 20
    assert v["identity_rank_trained"] == 16
    assert v["distinct_units"] == 16 and v["hadamard_entry"] == pytest.approx(2 ** (-6 / 2))


def test_zero_init_shapes():
    assert m.zero_init(64, 16).tolist() == m.zero_init(64, 16, "identity").tolist()  # narrowing: identity
    H = m.zero_init(64, 64)
    assert (H == m.zero_init(64, 64, "identity")).all()  # square: identity
