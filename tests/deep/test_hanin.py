"""Claims of docs/deep.md#hanin-2018."""

import pytest

from snippets.deep import hanin


@pytest.mark.claim(
    "deep.hanin-beta",
    settings=("seeds", "blocks"),
    survives={
        "std_12x24": "quoted for context; the sentence claims the ratios",
        "std_48x96": "quoted for context; the sentence claims the ratios",
    },
)
def test_hanin_beta():
    r = hanin.hanin_beta()
    assert 0.9 < r["equal_beta_ratio_min"] and r["equal_beta_ratio_max"] < 1.1  # every block
    assert 0.425 < r["quarter_beta_ratio_min"] and r["quarter_beta_ratio_max"] < 0.575
    assert abs(r["equal_beta_ratio"] - r["std_48x96"] / r["std_12x24"]) < 0.05


@pytest.mark.claim(
    "deep.hanin-lognormal",
    settings=("blocks",),
    survives={
        "skew_log_max": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
        "skew_raw": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
        "var_over_beta_max x0.8": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
        "var_over_beta_min x1.2": "a bound in the sentence: any value on the safe side of it satisfies the sentence",
    },
)
def test_hanin_lognormal():
    r = hanin.hanin_lognormal()
    assert r["skew_log_max"] < 0.3 and r["skew_raw_min"] > 1.5
    assert 4.5 < r["var_over_beta_min"] and r["var_over_beta_max"] < 6.5
