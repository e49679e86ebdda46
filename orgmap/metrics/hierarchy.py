"""The formal hierarchy: direct reports, everyone below, depth from the top.

These follow the reporting lines (``reports_to``) only, whatever ``--relations``
says: they describe the org chart, not the informal network. Dotted lines are not
part of the hierarchy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from orgmap.model import Org
from orgmap.views import people_index

__all__ = ["direct_reports", "org_size", "depth", "span_of_control", "hierarchy_depth"]


@dataclass
class _Tree:
    manager: np.ndarray  # manager index, -1 for a root
    direct: np.ndarray
    size: np.ndarray
    depth: np.ndarray


def tree(org: Org) -> _Tree:
    """The reporting tree as arrays over :func:`orgmap.views.people_index` (cached)."""
    return org.cached(("orgmap.metrics", "tree"), lambda: _tree(org))


def _tree(org: Org) -> _Tree:
    people = people_index(org)
    n = people.n
    src, dst = people.reports
    manager = np.full(n, -1, dtype=np.int64)
    # the builder gives everyone at most one manager; if a hand-made graph has more,
    # the first one counts
    first = np.unique(src, return_index=True)[1] if len(src) else np.zeros(0, dtype=np.int64)
    manager[src[first]] = dst[first]
    direct = np.bincount(manager[manager >= 0], minlength=n).astype(np.int64)
    depth = np.zeros(n, dtype=np.int64)
    size = np.zeros(n, dtype=np.int64)
    # walk down level by level from the roots; people in a cycle (never reached from a
    # root; the builder breaks cycles, so only hand-made graphs have them) keep depth 0
    order = np.argsort(manager, kind="stable")
    sorted_managers = manager[order]
    frontier = np.flatnonzero(manager < 0)
    levels = [frontier]
    seen = np.zeros(n, dtype=bool)
    seen[frontier] = True
    d = 0
    while len(frontier):
        lo = np.searchsorted(sorted_managers, frontier, side="left")
        hi = np.searchsorted(sorted_managers, frontier, side="right")
        counts = hi - lo
        if counts.sum() == 0:
            break
        starts = np.repeat(lo, counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        children = order[starts + offsets]
        children = children[~seen[children]]
        seen[children] = True
        d += 1
        depth[children] = d
        levels.append(children)
        frontier = children
    for level in reversed(levels[1:]):
        np.add.at(size, manager[level], size[level] + 1)
    return _Tree(manager=manager, direct=direct, size=size, depth=depth)


def direct_reports(org: Org) -> dict[str, int]:
    """Number of people who report to each person.

    Parameters
    ----------
    org : Org

    Returns
    -------
    dict
        ``{person node: count}``; 0 for people nobody reports to.

    References
    ----------
    The span of control of classic organization design (Graicunas 1937).

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> direct_reports(example_org())["person:1"]
    2
    """
    t = tree(org)
    return dict(zip(people_index(org).nodes, t.direct.tolist(), strict=True))


def org_size(org: Org) -> dict[str, int]:
    """Number of people anywhere below each person in the reporting tree.

    References
    ----------
    The formal org chart (reporting lines); Graicunas, V. A. (1937). Relationship in
    organization. In Papers on the Science of Administration.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> org_size(example_org())["person:1"], org_size(example_org())["person:2"]
    (6, 2)
    """
    t = tree(org)
    return dict(zip(people_index(org).nodes, t.size.tolist(), strict=True))


def depth(org: Org) -> dict[str, int]:
    """Number of reporting steps from the top: 0 for anyone without a manager.

    References
    ----------
    The formal org chart (reporting lines); Graicunas, V. A. (1937). Relationship in
    organization. In Papers on the Science of Administration.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> depth(example_org())["person:6"]
    2
    """
    t = tree(org)
    return dict(zip(people_index(org).nodes, t.depth.tolist(), strict=True))


def hierarchy_depth(org: Org) -> int:
    """The deepest ``depth`` in the org (0 for an org without reporting lines).

    References
    ----------
    The formal org chart (reporting lines); Graicunas, V. A. (1937). Relationship in
    organization. In Papers on the Science of Administration.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> hierarchy_depth(example_org())
    2
    """
    t = tree(org)
    return int(t.depth.max()) if len(t.depth) else 0


def span_of_control(org: Org) -> dict[str, float]:
    """Median and largest number of direct reports among managers (people with >= 1).

    Both are 0 when nobody has reports.

    References
    ----------
    The formal org chart (reporting lines); Graicunas, V. A. (1937). Relationship in
    organization. In Papers on the Science of Administration.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> span_of_control(example_org())
    {'median': 2.0, 'max': 2}
    """
    direct = tree(org).direct
    managers = direct[direct > 0]
    if not len(managers):
        return {"median": 0.0, "max": 0}
    return {"median": float(np.median(managers)), "max": int(managers.max())}
