"""The one diff of two orgs: who joined, left, moved; links gained and lost; metric changes.

Used by ``orgmap diff`` (two snapshots), the app's Compare, and What-if (the original
against the edited copy), so the three always agree.

People are matched by id, else by email, else by a name unique on both sides; a match
by name alone is listed (``matched_by_name``) so a reader can check it. Teams,
departments and projects are matched by name.

>>> from orgmap.metrics.examples import example_org
>>> d = diff_orgs(example_org(), example_org())
>>> d.is_empty(), d.summary_text()
(True, 'no changes')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from orgmap.model import MENTORS, REPORTS_TO, TIE, Org, fold
from orgmap.overlay import Ghost, Overlay

__all__ = [
    "OrgDiff",
    "diff_orgs",
    "diff_overlay",
    "match_people",
    "PERSON_METRICS",
    "TEAM_METRICS",
]

#: The person metrics whose change a diff reports (SPEC 5 and issue 13).
PERSON_METRICS = ("reach_2", "influence", "brokerage", "key_person_risk")
#: The team metrics whose change a diff reports.
TEAM_METRICS = ("ei_index", "silo")
#: Attributes whose change is "changed" (a move is manager, team or department).
CHANGED_FIELDS = ("name", "id", "email", "title", "level")


def _key(value: Any) -> str:
    return str(value).strip().lower() if value not in (None, "") else ""


def match_people(old: Org, new: Org) -> dict[str, tuple[str, str]]:
    """``{old node: (new node, how)}`` with ``how`` one of ``id``, ``email``, ``name``.

    Each step only looks at the people the steps before left unmatched; an email or
    name shared by two people on either side matches nobody (never a guess).
    """
    og, ng = old.graph._node, new.graph._node
    old_people = old.people()
    new_people = new.people()
    out: dict[str, tuple[str, str]] = {}
    taken: set[str] = set()
    for how in ("id", "email", "name"):
        left_old = [n for n in old_people if n not in out]
        left_new = [n for n in new_people if n not in taken]
        if not left_old or not left_new:
            break

        def key_of(data: dict[str, Any], how: str = how) -> str:
            return fold(data.get("name") or "") if how == "name" else _key(data.get(how))

        index: dict[str, list[str]] = {}
        for n in left_new:
            k = key_of(ng[n])
            if k:
                index.setdefault(k, []).append(n)
        counts: dict[str, int] = {}
        for n in left_old:
            k = key_of(og[n])
            if k:
                counts[k] = counts.get(k, 0) + 1
        for n in left_old:
            k = key_of(og[n])
            hits = index.get(k)
            if k and hits and len(hits) == 1 and counts[k] == 1:
                out[n] = (hits[0], how)
                taken.add(hits[0])
    return out


@dataclass
class OrgDiff:
    """What changed from ``old`` to ``new``; every list holds plain dicts (JSON-ready).

    ``people_metrics`` and ``teams`` hold only what changed; ``lost_last_link`` names
    the people who had a collaborator before and have none after.
    """

    joined: list[dict[str, Any]] = field(default_factory=list)
    left: list[dict[str, Any]] = field(default_factory=list)
    moved: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    matched_by_name: list[dict[str, Any]] = field(default_factory=list)
    #: ``{"reporting_lines"|"ties"|"mentorships"|"cross_team_projects": {"gained": [...],
    #: "lost": [...]}}``
    links: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    people_metrics: list[dict[str, Any]] = field(default_factory=list)
    teams: list[dict[str, Any]] = field(default_factory=list)
    lost_last_link: list[dict[str, Any]] = field(default_factory=list)
    #: old node -> new node for every matched person (not in the JSON: node keys).
    matches: dict[str, str] = field(default_factory=dict, repr=False)
    #: Per person section, the node of each entry, in order: the old org's node for
    #: ``left``, the new org's for the others (not in the JSON).
    nodes: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def is_empty(self) -> bool:
        lists = (self.joined, self.left, self.moved, self.changed, self.people_metrics)
        lists += (self.teams, self.lost_last_link)
        links = any(v["gained"] or v["lost"] for v in self.links.values())
        return not any(lists) and not links

    def counts(self) -> dict[str, int]:
        out = {
            "joined": len(self.joined),
            "left": len(self.left),
            "moved": len(self.moved),
            "changed": len(self.changed),
            "matched_by_name": len(self.matched_by_name),
            "lost_last_link": len(self.lost_last_link),
        }
        for kind, v in self.links.items():
            out[f"{kind}_gained"] = len(v["gained"])
            out[f"{kind}_lost"] = len(v["lost"])
        return out

    def silo_changes(self) -> tuple[list[str], list[str]]:
        """(teams that became silos, teams that are no longer silos), by name."""
        became = [t["team"] for t in self.teams if t["silo_new"] and not t["silo_old"]]
        ended = [t["team"] for t in self.teams if t["silo_old"] and not t["silo_new"]]
        return became, ended

    def summary_text(self) -> str:
        """One line: "3 joined, 1 left, 2 moved; Platform is no longer a silo"."""
        if self.is_empty():
            return "no changes"
        parts = [f"{len(self.joined)} joined, {len(self.left)} left, {len(self.moved)} moved"]
        if self.changed:
            people = len({c["new_id"] for c in self.changed})
            parts.append(f"{people} changed title, level, name, id or email")
        became, ended = self.silo_changes()
        parts += _teams_said(ended, "is no longer a silo", "are no longer silos")
        parts += _teams_said(became, "became a silo", "became silos")
        if self.lost_last_link:
            names = ", ".join(p["name"] for p in self.lost_last_link[:3])
            more = len(self.lost_last_link) - 3
            parts.append(
                f"{len(self.lost_last_link)} lost their last link ({names}"
                + (f" and {more} more)" if more > 0 else ")")
            )
        if self.matched_by_name:
            parts.append(f"{len(self.matched_by_name)} matched by name only")
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": {"text": self.summary_text(), **self.counts()},
            "joined": self.joined,
            "left": self.left,
            "moved": self.moved,
            "changed": self.changed,
            "matched_by_name": self.matched_by_name,
            "links": self.links,
            "people_metrics": self.people_metrics,
            "teams": self.teams,
            "lost_last_link": self.lost_last_link,
        }


def _teams_said(teams: list[str], one: str, several: str, most: int = 3) -> list[str]:
    """ "Platform is no longer a silo" per team, up to ``most``; then one count."""
    if len(teams) <= most:
        return [f"{t} {one}" for t in teams]
    return [f"{len(teams)} teams {several} ({', '.join(teams[:most])}...)"]


def _person(org: Org, node: str) -> dict[str, Any]:
    data = org.graph._node[node]
    managers = [v for v, keys in org.graph._succ[node].items() if REPORTS_TO in keys]
    return {
        "id": data.get("id"),
        "name": org.label(node),
        "team": data.get("team"),
        "department": data.get("department"),
        "manager": org.label(managers[0]) if managers else None,
    }


def _person_values(
    org: Org, metrics: dict[str, Any] | None, relations: Iterable[str] | None
) -> dict[str, dict[str, Any]]:
    """``{metric: {node: value}}`` for :data:`PERSON_METRICS`, from ``metrics`` where it
    has them, else computed (only these, not every metric)."""
    from orgmap.metrics import brokerage, influence, reach, risk

    compute = {
        "reach_2": lambda: reach.reach_2(org, relations),
        "influence": lambda: influence.influence(org, relations),
        "brokerage": lambda: brokerage.brokerage(org, relations),
        "key_person_risk": lambda: risk.key_person_risk(org, relations),
    }
    return _values(metrics, "people", PERSON_METRICS, compute)


def _values(
    metrics: dict[str, Any] | None, section: str, names: Iterable[str], compute: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    table = (metrics or {}).get(section)
    for name in names:
        if table and all(name in row for row in table.values()):
            out[name] = {node: row[name] for node, row in table.items()}
        elif metrics is not None and metrics.get("partial"):
            continue  # a what-if still computing this one: left out, not guessed
        else:
            out[name] = compute[name]()
    return out


def _team_values(
    org: Org, metrics: dict[str, Any] | None, relations: Iterable[str] | None
) -> dict[str, dict[str, Any]]:
    from orgmap.metrics import teams

    compute = {
        "ei_index": lambda: teams.ei_index(org, relations),
        "silo": lambda: teams.silo(org, relations),
    }
    return _values(metrics, "teams", TEAM_METRICS, compute)


def _degrees(org: Org, relations: Iterable[str] | None) -> dict[str, int]:
    from orgmap.views import collaboration_matrix, people_index

    mat = collaboration_matrix(org, relations)
    return dict(zip(people_index(org).nodes, np.diff(mat.indptr).tolist(), strict=True))


def _edge_sets(
    org: Org, canon: dict[str, str], only: set[str] | None = None
) -> dict[str, dict[tuple, tuple[str, str]]]:
    """Per edge kind (reports_to, tie, mentors): ``{(a, b[, type]): (u, v)}`` over
    people, ends named by their matched key; with ``only``, just the edges touching
    those nodes."""
    out: dict[str, dict[tuple, tuple[str, str]]] = {REPORTS_TO: {}, TIE: {}, MENTORS: {}}
    succ, pred = org.graph._succ, org.graph._pred
    if only is None:
        pairs = ((u, v, keys) for u, nbrs in succ.items() for v, keys in nbrs.items())
    else:
        nodes = [u for u in only if u in succ]
        pairs = (
            *((u, v, keys) for u in nodes for v, keys in succ[u].items()),
            *((v, u, keys) for u in nodes for v, keys in pred[u].items()),
        )
    for u, v, keys in pairs:
        cu = canon.get(u)
        if cu is None:
            continue
        cv = canon.get(v)
        if cv is None:
            continue
        for data in keys.values():
            kind = data.get("kind")
            table = out.get(kind)
            if table is None:
                continue
            sig = (cu, cv, str(data.get("type") or "tie")) if kind == TIE else (cu, cv)
            table[sig] = (u, v)
    return out


def _by_names(link: dict[str, Any]) -> tuple[str, ...]:
    return (str(link["from"]).casefold(), str(link["to"]).casefold(), str(link.get("type", "")))


def _changed_value(old: Any, new: Any) -> bool:
    if isinstance(old, float) or isinstance(new, float):
        if old is None or new is None:
            return old is not new
        return abs(float(old) - float(new)) > 1e-12 * max(1.0, abs(float(old)))
    return old != new


def diff_orgs(
    old: Org,
    new: Org,
    relations: Iterable[str] | None = None,
    old_metrics: dict[str, Any] | None = None,
    new_metrics: dict[str, Any] | None = None,
    only: Iterable[str] | None = None,
) -> OrgDiff:
    """Everything that changed from ``old`` to ``new``.

    Parameters
    ----------
    old, new : Org
    relations : iterable of str, optional
        The relations the metrics use (all by default).
    old_metrics, new_metrics : dict, optional
        :func:`orgmap.metrics.compute_all` results, when already computed (the app);
        otherwise only the metrics the diff reports are computed. A dict with
        ``"partial": True`` (a what-if half way) leaves out what it lacks.
    only : iterable of str, optional
        For two orgs with the same node keys where nothing outside these nodes changed
        (a what-if and its original: the nodes its edits touched): people are matched by
        key, and only these nodes' attributes and links are compared, so the diff of a
        100 000-person what-if costs its edits, not the org. Metric changes are always
        compared for everyone.
    """
    from orgmap.metrics.projects import teams_spanned

    d = OrgDiff()
    og, ng = old.graph._node, new.graph._node
    touched = None if only is None else set(only)
    old_people, new_people = old.people(), new.people()
    if touched is None:
        matched = match_people(old, new)
        d.matches = {o: n for o, (n, _how) in matched.items()}
        scope_old, scope_new = old_people, new_people
    else:
        d.matches = {o: o for o in old_people if o in ng}
        # in the org's order, so the lists read the same way every time
        scope_old = [n for n in old_people if n in touched]
        scope_new = [n for n in new_people if n in touched]
        matched = {o: (o, "id") for o in scope_old if o in d.matches}
    back = {n: o for o, n in d.matches.items()}
    # a person's key on both sides: the new node when matched, else marked by side
    canon_old = {o: d.matches.get(o, f"old\0{o}") for o in old_people}
    canon_new = {n: n for n in new_people}

    # A person who left the people data but is still named in a project or mentorship
    # list stays on as an "external" person: left, not moved. External people (not in
    # the people data) neither join nor leave.
    def inside(data: dict[str, Any]) -> bool:
        return not data.get("external")

    d.nodes = {k: [] for k in ("joined", "left", "moved", "changed", "people_metrics")}
    d.nodes["joined"] = [
        n for n in scope_new if inside(ng[n]) and (n not in back or not inside(og[back[n]]))
    ]
    d.nodes["left"] = [
        o
        for o in scope_old
        if inside(og[o]) and (o not in d.matches or not inside(ng[d.matches[o]]))
    ]
    matched = {o: m for o, m in matched.items() if inside(og[o]) == inside(ng[m[0]])}
    d.nodes["lost_last_link"] = []
    d.joined = [_person(new, n) for n in d.nodes["joined"]]
    d.left = [_person(old, o) for o in d.nodes["left"]]

    for o, (n, how) in matched.items():
        od, nd = og[o], ng[n]
        if how == "name":
            d.matched_by_name.append(
                {"old_id": od.get("id"), "new_id": nd.get("id"), "name": new.label(n)}
            )
        moves: dict[str, list[Any]] = {}
        old_mgr = [v for v, k in old.graph._succ[o].items() if REPORTS_TO in k]
        new_mgr = [v for v, k in new.graph._succ[n].items() if REPORTS_TO in k]
        old_mgr_key = canon_old.get(old_mgr[0]) if old_mgr else None
        same_mgr = old_mgr_key == (new_mgr[0] if new_mgr else None)
        same_place = all((od.get(k) or None) == (nd.get(k) or None) for k in ("team", "department"))
        if not (same_mgr and same_place):  # names looked up only for the few who moved
            before, after = _person(old, o), _person(new, n)
            if not same_mgr:
                moves["manager"] = [before["manager"], after["manager"]]
            for key in ("team", "department"):
                if (before[key] or None) != (after[key] or None):
                    moves[key] = [before[key], after[key]]
        if moves:
            d.moved.append({"id": nd.get("id"), "name": new.label(n), **moves})
            d.nodes["moved"].append(n)
        for key in CHANGED_FIELDS:
            a, b = od.get(key), nd.get(key)
            if (a or None) != (b or None):
                d.changed.append(
                    {"new_id": nd.get("id"), "name": new.label(n), "field": key, "old": a, "new": b}
                )
                d.nodes["changed"].append(n)

    def named(org: Org, u: str, v: str) -> dict[str, Any]:
        return {"from": org.label(u), "from_id": org.graph._node[u].get("id"),
                "to": org.label(v), "to_id": org.graph._node[v].get("id")}  # fmt: skip

    kinds = {"reporting_lines": REPORTS_TO, "ties": TIE, "mentorships": MENTORS}
    # one pass over each org's edges for the three kinds
    sets_old = _edge_sets(old, canon_old, touched)
    sets_new = _edge_sets(new, canon_new, touched)
    for label, kind in kinds.items():
        a, b = sets_old[kind], sets_new[kind]
        lost = [
            named(old, *a[s]) | ({"type": s[2]} if kind == TIE else {}) for s in a if s not in b
        ]
        gained = [
            named(new, *b[s]) | ({"type": s[2]} if kind == TIE else {}) for s in b if s not in a
        ]
        d.links[label] = {
            "gained": sorted(gained, key=_by_names),
            "lost": sorted(lost, key=_by_names),
        }

    def cross(org: Org) -> dict[str, int]:
        return {org.label(p): k for p, k in teams_spanned(org).items() if k >= 2}

    oc, nc = cross(old), cross(new)
    d.links["cross_team_projects"] = {
        "gained": [{"project": p, "teams": nc[p]} for p in nc if p not in oc],
        "lost": [{"project": p, "teams": oc[p]} for p in oc if p not in nc],
    }

    ov, nv = (
        _person_values(old, old_metrics, relations),
        _person_values(new, new_metrics, relations),
    )
    names = [m for m in PERSON_METRICS if m in ov and m in nv]
    for o, n in d.matches.items():
        row: dict[str, Any] = {}
        for m in names:
            a, b = ov[m].get(o), nv[m].get(n)
            if a != b and _changed_value(a, b):
                change = None if a is None or b is None else b - a
                row[m] = {"old": a, "new": b, "change": change}
        if row:
            d.people_metrics.append({"id": ng[n].get("id"), "name": new.label(n), **row})
            d.nodes["people_metrics"].append(n)

    ot, nt = _team_values(old, old_metrics, relations), _team_values(new, new_metrics, relations)
    if "ei_index" in ot and "ei_index" in nt:
        teams = list(dict.fromkeys([*ot["ei_index"], *nt["ei_index"]]))
        for t in teams:
            a, b = ot["ei_index"].get(t), nt["ei_index"].get(t)
            sa, sb = ot.get("silo", {}).get(t, False), nt.get("silo", {}).get(t, False)
            if _changed_value(a, b) or sa != sb or (t in ot["ei_index"]) != (t in nt["ei_index"]):
                change = None if a is None or b is None else b - a
                name = new.label(t) if t in new.graph else old.label(t)
                d.teams.append(
                    {"team": name, "ei_old": a, "ei_new": b, "ei_change": change,
                     "silo_old": bool(sa), "silo_new": bool(sb),
                     "present": "both" if t in old.graph and t in new.graph
                     else ("new" if t in new.graph else "old")}
                )  # fmt: skip

    deg_old, deg_new = _degrees(old, relations), _degrees(new, relations)
    for o, n in d.matches.items():
        if deg_old[o] > 0 and deg_new[n] == 0:
            d.lost_last_link.append({"id": ng[n].get("id"), "name": new.label(n)})
            d.nodes["lost_last_link"].append(n)
    return d


def diff_overlay(
    diff: OrgDiff,
    old: Org,
    new: Org,
    positions: dict[str, tuple[float, float]],
    title: str,
    on_map: str = "new",
) -> Overlay:
    """The diff drawn over a map (:class:`orgmap.overlay.Overlay`).

    ``on_map="new"`` (Compare: the map is NEW): joined people are marked ``added``,
    moved ``moved``, changed ``changed``, those who lost their last link ``cut_off``,
    and each person who left is a ghost near their old manager (or their old team's
    people) on the map, marked ``left``. ``on_map="old"`` (What-if: the map is the
    original): the people an edit removed are marked ``left`` where they stand.
    """
    marks: dict[str, str] = {}
    ghosts: dict[str, Ghost] = {}
    for n in diff.nodes.get("changed", []):
        marks[n] = "changed"
    for n in diff.nodes.get("moved", []):
        marks[n] = "moved"
    for n in diff.nodes.get("joined", []):
        marks[n] = "added"
    for n in diff.nodes.get("lost_last_link", []):
        marks[n] = "cut_off"
    if on_map == "old":
        back = {v: k for k, v in diff.matches.items()}
        marks = {back.get(n, n): m for n, m in marks.items()}
        for o in diff.nodes.get("left", []):
            marks[o] = "left"
        return Overlay(title=title, marks=marks)
    placed: dict[str, int] = {}
    for o in diff.nodes.get("left", []):
        spot = _old_place(diff, old, o, positions)
        if spot is None:
            continue
        # a few ghosts near one manager fan out instead of stacking
        k = placed.get(spot[2], 0)
        placed[spot[2]] = k + 1
        ghosts[o] = Ghost(
            old.label(o), spot[0] + 30.0 * (k % 5 - 2), spot[1] + 40.0 + 30.0 * (k // 5)
        )
        marks[o] = "left"
    return Overlay(title=title, marks=marks, ghosts=ghosts)


def _old_place(
    diff: OrgDiff, old: Org, node: str, positions: dict[str, tuple[float, float]]
) -> tuple[float, float, str] | None:
    """Where a person who left stood, on the new map: under their old manager, else
    amid the people of their old team; None when neither is on the map."""
    g = old.graph
    for v, keys in g._succ[node].items():
        if REPORTS_TO in keys:
            m = diff.matches.get(v)
            if m is not None and m in positions:
                x, y = positions[m]
                return float(x), float(y), m
    team = g._node[node].get("team")
    if team:
        mates = [
            diff.matches[u]
            for u, keys in g._pred.get(f"team:{team}", {}).items()
            if u in diff.matches and diff.matches[u] in positions
        ]
        if mates:
            xs = [positions[m][0] for m in mates]
            ys = [positions[m][1] for m in mates]
            return sum(xs) / len(xs), max(ys), f"team:{team}"
    return None
