"""Teams: size, ties inside and outside, the E-I index, silos and partner teams.

Ties are edges of the collaboration graph (pairs of people who share a project, a
tie, a mentorship or a reporting line), each pair counted once whatever its weight.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp

from orgmap.model import Org
from orgmap.views import collaboration_matrix, normalize_relations, people_index, team_links

__all__ = [
    "SILO_EI",
    "ei_index_value",
    "size",
    "internal_ties",
    "external_ties",
    "ei_index",
    "silo",
    "partner_teams",
    "bridge_people",
]

#: A team of two or more is a silo when its E-I index is at or below this (at least
#: three internal ties for each external one), or it has no ties at all.
SILO_EI = -0.5


def ei_index_value(external: int, internal: int) -> float | None:
    """Krackhardt & Stern's E-I index, ``(E - I) / (E + I)``; ``None`` when ``E + I = 0``.

    From -1 (every tie inside the group) to +1 (every tie outside it).

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational
    crises: an experimental simulation. Social Psychology Quarterly 51(2), 123-140.

    Examples
    --------
    >>> ei_index_value(1, 3), ei_index_value(0, 0)
    (-0.5, None)
    """
    total = external + internal
    return None if total == 0 else (external - internal) / total


def _ties(org: Org, relations: Iterable[str] | None) -> tuple[np.ndarray, np.ndarray]:
    chosen = normalize_relations(relations)

    def compute() -> tuple[np.ndarray, np.ndarray]:
        people = people_index(org)
        nt = len(people.team_nodes)
        upper = sp.triu(collaboration_matrix(org, chosen), k=1).tocoo()
        tu, tv = people.team[upper.row], people.team[upper.col]
        same = (tu == tv) & (tu >= 0)
        internal = np.bincount(tu[same], minlength=nt)
        # an edge leaving a team counts for that team; between two teams, for both
        ext_u = tu[(~same) & (tu >= 0)]
        ext_v = tv[(~same) & (tv >= 0)]
        external = np.bincount(np.concatenate([ext_u, ext_v]), minlength=nt)
        return internal.astype(np.int64), external.astype(np.int64)

    return org.cached(("orgmap.metrics", "team_ties", chosen), compute)


def _sizes(org: Org) -> np.ndarray:
    people = people_index(org)
    has = people.team >= 0
    return np.bincount(people.team[has], minlength=len(people.team_nodes)).astype(np.int64)


def size(org: Org) -> dict[str, int]:
    """Number of people in each team.

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises.
    Social Psychology Quarterly 51(2), 123-140.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> size(example_org())["team:Platform"]
    3
    """
    return dict(zip(people_index(org).team_nodes, _sizes(org).tolist(), strict=True))


def internal_ties(org: Org, relations: Iterable[str] | None = None) -> dict[str, int]:
    """Collaboration ties between two members of the team.

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises.
    Social Psychology Quarterly 51(2), 123-140.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> internal_ties(example_org())["team:Platform"]  # Ben-Di, Ben-Flo, Di-Flo
    3
    """
    internal, _ = _ties(org, relations)
    return dict(zip(people_index(org).team_nodes, internal.tolist(), strict=True))


def external_ties(org: Org, relations: Iterable[str] | None = None) -> dict[str, int]:
    """Collaboration ties between a member of the team and anyone outside it.

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises.
    Social Psychology Quarterly 51(2), 123-140.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> external_ties(example_org())["team:Platform"]  # Ada-Ben, Ben-Ed, Di-Ed, Flo-Gus
    4
    """
    _, external = _ties(org, relations)
    return dict(zip(people_index(org).team_nodes, external.tolist(), strict=True))


def ei_index(org: Org, relations: Iterable[str] | None = None) -> dict[str, float | None]:
    """Krackhardt & Stern's E-I index of each team: ``(E - I) / (E + I)``.

    ``None`` for a team with no ties at all (the index is undefined).

    References
    ----------
    Krackhardt & Stern (1988), see :func:`ei_index_value`.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> round(ei_index(example_org())["team:Platform"], 3)  # (4 - 3) / 7
    0.143
    """
    internal, external = _ties(org, relations)
    return {
        node: ei_index_value(e, i)
        for node, e, i in zip(
            people_index(org).team_nodes, external.tolist(), internal.tolist(), strict=True
        )
    }


def silo(org: Org, relations: Iterable[str] | None = None) -> dict[str, bool]:
    """Whether a team keeps to itself.

    True for a team of two or more whose E-I index is at or below :data:`SILO_EI`
    (-0.5: three or more internal ties per external one), or that has no ties at
    all. A one-person team is never a silo.

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises.
    Social Psychology Quarterly 51(2), 123-140.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> silo(example_org())["team:Platform"]
    False
    """
    internal, external = _ties(org, relations)
    sizes = _sizes(org)
    out = {}
    for node, e, i, s in zip(
        people_index(org).team_nodes,
        external.tolist(),
        internal.tolist(),
        sizes.tolist(),
        strict=True,
    ):
        ei = ei_index_value(e, i)
        out[node] = s >= 2 and (ei is None or ei <= SILO_EI)
    return out


def partner_teams(org: Org, relations: Iterable[str] | None = None) -> dict[str, list[str]]:
    """The teams linked to each team on the team graph, strongest link first.

    Names (not node keys), ties in strength broken by name.

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises.
    Social Psychology Quarterly 51(2), 123-140.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> partner_teams(example_org())["team:Platform"]
    ['Data', 'Leadership']
    """
    people = people_index(org)
    links = team_links(org, relations).tocsr()
    names = [str(org.graph.nodes[t].get("name") or t) for t in people.team_nodes]
    out: dict[str, list[str]] = {}
    for t, node in enumerate(people.team_nodes):
        cols = links.indices[links.indptr[t] : links.indptr[t + 1]].tolist()
        weights = links.data[links.indptr[t] : links.indptr[t + 1]].tolist()
        ranked = sorted(zip(weights, cols, strict=True), key=lambda wc: (-wc[0], names[wc[1]]))
        out[node] = [names[c] for _, c in ranked]
    return out


def bridge_people(org: Org, relations: Iterable[str] | None = None) -> dict[str, list[dict]]:
    """Per team and partner team, the people who carry the link, single carriers flagged.

    On the collaboration graph (the edges :mod:`orgmap.metrics.risk` counts): for
    each team a list, one entry per team it has a collaboration edge with, the
    partner with the most edges first: ``{"team": partner name, "edges": k,
    "people": [names, this team's first], "sole": [names] , "text": ...}``.
    ``sole`` names the one person (two when a single edge is the whole link) who
    touches every edge of the pair: if they leave, the two teams lose their last
    direct link.

    References
    ----------
    Cross, R. & Prusak, L. (2002). The people who make organizations go -- or stop.
    Harvard Business Review 80(6), 104-112.

    Examples
    --------
    >>> from orgmap.metrics.examples import example_org
    >>> for e in bridge_people(example_org())["team:Data"]:  # Ed-Ben, Ed-Di; Cy-Ada
    ...     print(e["text"])
    Platform: Ed, Ben, Di (2 ties; only Ed carries it)
    Leadership: Cy, Ada (1 tie; only the tie Cy - Ada carries it)
    """
    from orgmap.metrics.info import plural
    from orgmap.metrics.risk import team_pair_carriers

    people = people_index(org)
    graph = org.graph
    names = [str(graph.nodes[t].get("name") or t) for t in people.team_nodes]
    out: dict[str, list[dict]] = {t: [] for t in people.team_nodes}
    carried = team_pair_carriers(org, relations)
    # each carrier's label once (a person carries many pairs: 660k lookups at 100k people)
    label = {p: org.label(people.nodes[p]) for e in carried.values() for p in e["carriers"]}
    team_of = people.team.tolist()  # plain ints: numpy item access per sort key is slow
    for (a, b), entry in carried.items():
        sole_set = set(entry["sole"])
        for own, other in ((a, b), (b, a)):
            carriers = sorted(
                entry["carriers"], key=lambda p, own=own: (team_of[p] != own, label[p])
            )
            shown = [label[p] for p in carriers]
            sole = [label[p] for p in carriers if p in sole_set]
            if len(sole) == 1:
                flag = f"; only {sole[0]} carries it"
            elif sole:  # one tie is the whole link: either end leaving cuts it
                flag = f"; only the tie {' - '.join(sole)} carries it"
            else:
                flag = ""
            out[people.team_nodes[own]].append(
                {
                    "team": names[other],
                    "edges": entry["edges"],
                    "people": shown,
                    "sole": sole,
                    "text": f"{names[other]}: {', '.join(shown)} "
                    f"({plural(entry['edges'], 'tie')}{flag})",
                }
            )
    for entries in out.values():
        entries.sort(key=lambda e: (-e["edges"], e["team"]))
    return out
