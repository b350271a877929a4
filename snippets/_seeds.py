"""One source of random numbers for every experiment on the site.

Every random draw in ``snippets/`` comes from :func:`rng`. The environment variable
``SEED_OFFSET`` (an integer, default 0) is mixed into every seed, so that one setting moves every
experiment to draws nobody chose: ``SEED_OFFSET=7000 pytest -m claim`` re-runs every claim test on
new seeds, and ``make audit`` does so at several offsets. The build keys its cache on the offset.

A stochastic number quoted in prose is the median over independent *seed blocks*, with its range
(:func:`over_blocks`, :func:`spread`); the page shows it with the ``range`` format of the value
shortcode: ``<!-- value: slug.claim.key .0% range -->`` → "70% (55–75% over 5 seed blocks)".
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

import numpy as np

#: The shift applied to every seed in this process (read once, at import).
OFFSET = int(os.environ.get("SEED_OFFSET", "0") or 0)


def rng(*key: int) -> np.random.Generator:
    """A generator for the experiment identified by ``key`` (one or more non-negative ints),
    shifted by ``SEED_OFFSET``. Arms that must share their random numbers share their key."""
    if not key:
        raise ValueError("rng() needs a key: rng(seed) or rng(experiment, seed)")
    return np.random.default_rng([OFFSET, *(int(k) for k in key)])


def seed_block(block: int, n: int) -> list[int]:
    """The seeds of block ``block`` (0, 1, …): ``n`` consecutive integers, disjoint across blocks."""
    return list(range(block * n, (block + 1) * n))


def spread(values: Sequence[float], name: str) -> dict[str, float]:
    """``{name: median, name_min: min, name_max: max}`` of per-block statistics."""
    v = np.asarray(values, dtype=float)
    return {name: float(np.median(v)), f"{name}_min": float(v.min()), f"{name}_max": float(v.max())}


def over_blocks(measure: Callable[[int], dict[str, float]], blocks: int = 5) -> dict[str, float]:
    """Run ``measure(block)`` for ``blocks`` independent seed blocks; each call returns a flat dict
    of statistics. Returns, for every key, its median and range over the blocks (see
    :func:`spread`), plus ``blocks`` and the per-block values as ``<key>_per_block`` lists."""
    runs = [measure(b) for b in range(blocks)]
    out: dict[str, float] = {"blocks": blocks}
    for k in runs[0]:
        vals = [r[k] for r in runs]
        out.update(spread(vals, k))
        out[f"{k}_per_block"] = [float(x) for x in vals]
    return out
