"""Percentile ranks: where a value stands among others, as a share from 0 to 1."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["percentile_rank", "percentile_of"]


def _clean(values: Sequence[float] | np.ndarray) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    # values equal in exact arithmetic can differ in the last bits (PageRank sums);
    # rounding makes such ties count as ties
    arr = np.where(np.isfinite(arr), arr, 0.0)
    return np.round(arr, 10)


def percentile_rank(values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Each value's percentile rank among the others: the share of the *other* values
    that are lower, ties counted half.

    The highest of ``n`` distinct values gets 1.0, the lowest 0.0, and a value equal to
    all others 0.5. A single value has no others; it gets 1.0. Non-finite values are
    ranked as 0.

    References
    ----------
    The mid-rank percentile (Hazen 1914; Wikipedia: Percentile rank).

    Examples
    --------
    >>> percentile_rank([1, 2, 3, 3, 5]).tolist()
    [0.0, 0.25, 0.625, 0.625, 1.0]
    >>> percentile_rank([7]).tolist()
    [1.0]
    """
    arr = _clean(values)
    n = len(arr)
    if n == 0:
        return np.zeros(0)
    if n == 1:
        return np.ones(1)
    order = np.sort(arr)
    below = np.searchsorted(order, arr, side="left")
    equal = np.searchsorted(order, arr, side="right") - below - 1  # others equal
    return (below + 0.5 * equal) / (n - 1)


def percentile_of(value: float, others: Sequence[float] | np.ndarray) -> float:
    """The percentile rank of ``value`` among ``others`` (which include it once).

    References
    ----------
    The mid-rank percentile (Hazen 1914; Wikipedia: Percentile rank).

    Examples
    --------
    >>> percentile_of(3, [1, 2, 3])
    1.0
    """
    arr = _clean(others)
    if len(arr) <= 1:
        return 1.0
    v = float(np.round(value, 10))
    below = int(np.count_nonzero(arr < v))
    equal = int(np.count_nonzero(arr == v)) - 1
    return (below + 0.5 * max(equal, 0)) / (len(arr) - 1)
