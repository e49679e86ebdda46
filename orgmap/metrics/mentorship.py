"""Multiplied impact through mentoring: mentees, everyone below in the mentorship tree,
and mentees who now mentor others.

These follow the mentorship edges only, whatever ``--relations`` says: they
describe the mentoring itself.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from orgmap.model import Org
from orgmap.views import people_index

__all__ = ["mentees", "mentorship_reach", "mentors_grown"]


def _tree(org: Org) -> sp.csr_array:
    people = people_index(org)
    src, dst = people.mentors
    mat = sp.csr_array((np.ones(len(src)), (src, dst)), shape=(people.n, people.n))
    mat.sum_duplicates()
    return mat


def mentees(org: Org) -> dict[str, int]:
    """Number of distinct people a person mentors.

    References
    ----------
    Kram, K. E. (1985). Mentoring at Work. Scott, Foresman.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> mentees(example_org())["person:2"]
    1
    """
    counts = np.diff(_tree(org).indptr)
    return dict(zip(people_index(org).nodes, counts.tolist(), strict=True))


def _reach(org: Org) -> np.ndarray:
    mat = _tree(org)
    indptr, indices = mat.indptr, mat.indices
    n = mat.shape[0]
    out = np.zeros(n, dtype=np.int64)
    for start in np.flatnonzero(np.diff(indptr)).tolist():
        # a walk per mentor: mentoring chains are short, and a loop (A mentors B
        # mentors A) is walked once instead of forever
        seen = {start}
        stack = [start]
        while stack:
            i = stack.pop()
            for j in indices[indptr[i] : indptr[i + 1]].tolist():
                if j not in seen:
                    seen.add(j)
                    stack.append(j)
        out[start] = len(seen) - 1
    return out


def mentorship_reach(org: Org) -> dict[str, int]:
    """Everyone below a person in the mentorship tree: mentees, their mentees, and so on.

    The person is not counted even where mentoring loops back to them.

    References
    ----------
    Kram, K. E. (1985). Mentoring at Work. Scott, Foresman.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> mentorship_reach(example_org())["person:1"]  # Ben, Di, Flo
    3
    """
    values = org.cached(("orgmap.metrics", "mentorship_reach"), lambda: _reach(org))
    return dict(zip(people_index(org).nodes, values.tolist(), strict=True))


def mentors_grown(org: Org) -> dict[str, int]:
    """Number of a person's mentees who now mentor someone themselves.

    References
    ----------
    Kram, K. E. (1985). Mentoring at Work. Scott, Foresman.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> mentors_grown(example_org())["person:1"], mentors_grown(example_org())["person:4"]
    (1, 0)
    """
    mat = _tree(org)
    is_mentor = (np.diff(mat.indptr) > 0).astype(np.float64)
    grown = mat @ is_mentor
    return dict(zip(people_index(org).nodes, grown.astype(np.int64).tolist(), strict=True))
