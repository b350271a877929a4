"""Claims of docs/deep.md#frankle-2019."""

import pytest

from snippets.deep import frankle


@pytest.mark.claim(
    "deep.frankle-ticket",
    settings=("seeds", "blocks"),
    survives={
        "acc_win_rate": "a bound in the sentence: any value on the safe side of it satisfies the sentence (most seeds)",
        "ticket_acc x1.2": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
        "reinit_acc x0.8": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
        "dense_acc": "quoted for context, not claimed",
    },
)
def test_frankle_ticket():
    r = frankle.frankle_ticket()
    assert r["loss_every_seed"] is True
    assert r["acc_win_rate"] > 0.5  # "most seeds"
    assert r["ticket_loss"] < r["reinit_loss"] and r["ticket_acc"] > r["reinit_acc"]
    assert 0.75 < r["ticket_loss"] / r["reinit_loss"] < 0.95  # the medians' gap: 0.84-0.85 at offsets 0, 7000
