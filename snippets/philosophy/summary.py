"""The closing table: each philosophy of initialization, what it optimizes at init, and the
effect measured on this page (numbers from the claims of the other parts)."""

from __future__ import annotations

from snippets import table
from snippets.philosophy import ensemble, guess, implicit, lazy


def _r(v, key, fmt):
    """Median and range over seed blocks, as the value shortcode's `range` format prints it."""
    lo, mid, hi = (format(v[k], fmt) for k in (f"{key}_min", key, f"{key}_max"))
    return f"{mid} ({lo}–{hi})"


@table(
    "philosophy/philosophies",
    caption="Philosophies of initialization. Numbers: median over seed blocks (range), measured "
    "in this build by the experiments above.",
)
def philosophies():
    sp, co = implicit.sparse_small_init(), implicit.completion()
    lz, rp = lazy.lazy_rich_stable(), guess.reptile_claim()
    pt, hp, en = guess.pretrain_claim(), guess.hippo_claim(), ensemble.ensemble_claim()
    header = ["philosophy", "what it sets at init", "measured effect", "when to use it"]
    rows = [
        [
            "random, at a trainable scale (LeCun, Glorot, He)",
            "distinct units; signal and gradient size",
            "the default: see the symmetry and scale chapters",
            "always, as the baseline",
        ],
        [
            "small init (rich regime)",
            "which zero-loss solution training returns",
            f"sparse regression: test error {_r(sp, 'test_mse', '.1e')} against "
            f"{_r(sp, 'pinv_test_mse', '.2f')} for the minimum-ℓ2 solution; matrix completion: "
            f"error {_r(co, 'small_test', '.1e')}, effective rank {_r(co, 'small_erank', '.2f')}",
            "over-parameterized models where a sparse or low-rank answer is wanted",
        ],
        [
            "large init (lazy regime)",
            "the kernel of the linearized network",
            f"first layer moves {_r(lz, 'move_large', '.1e')} of its norm at scale 8",
            "when fixed random features suffice, or to analyse training as a kernel method",
        ],
        [
            "meta-learned init (Reptile)",
            "a start that adapts fast across a task family",
            f"test error after 5 steps × {_r(rp, 'ratio', '.2f')} of a random start's",
            "many related small tasks, few examples each",
        ],
        [
            "pretrained init",
            "the solution of a related task",
            f"fine-tuned test error × {_r(pt, 'ratio', '.2f')} of a random start's",
            "a large related dataset exists",
        ],
        [
            "structured init (HiPPO-LegS)",
            "a known function: memory of the history",
            f"reconstruction error × {_r(hp, 'ratio', '.2f')} of a random recurrent matrix's",
            "the prior is known exactly (memory, convolution, attention patterns)",
        ],
        [
            "several random seeds (ensemble)",
            "diversity between members",
            f"ensemble error × {_r(en, 'gain', '.2f')} of its average member's",
            "when the compute for several models is available",
        ],
    ]
    return header, rows
