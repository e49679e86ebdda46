"""The impact profile of one person: their metrics beside their level cohort, in plain words.

A promotion committee asks about scope (how much of the org the person's work
touches), org-spanning work they lead, multiplied impact (people they grow) and
how they connect the org. :func:`impact_profile` gathers the numbers with the
person's percentile among people of the same level and in the whole org;
:func:`profile_text` and :func:`profile_html` say it in sentences.
"""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np

from orgmap import present
from orgmap.metrics.brokerage import describe as describe_brokerage
from orgmap.metrics.info import metric
from orgmap.metrics.info import plural as _count
from orgmap.model import Org

__all__ = [
    "impact_profile",
    "profile_text",
    "profile_html",
    "profile_fragment",
    "SECTIONS",
    "NOT_READ",
]

#: Sections of the profile, in order, and the metrics each shows.
SECTIONS: list[tuple[str, str, tuple[str, ...]]] = [
    ("scope", "Scope", ("teams_reached", "departments_reached", "org_reach", "reach_2")),
    (
        "org_spanning_work",
        "Org-spanning work led",
        ("cross_team_projects_led", "cross_team_projects"),
    ),
    ("multiplied_impact", "Multiplied impact", ("mentees", "mentorship_reach", "mentors_grown")),
    (
        "brokerage",
        "Brokerage and role",
        ("brokerage", "effective_size", "constraint", "influence", "key_person_risk"),
    ),
]
#: Metrics of :func:`orgmap.metrics.compute_all` a profile never reads: ``orgmap profile``
#: leaves them out (at 100k people the key-person detail alone is seconds).
NOT_READ = ("key_person_risk_detail", "bridge_people")

#: Metrics where less is more (the percentile is turned round in the words).
_LOWER_IS_STRONGER = {"constraint"}
#: Scope metrics counted in teams: left out when the data has no teams.
_TEAM_ONLY = {"teams_reached", "org_reach"}


def _is_none(name: str, value: Any) -> bool:
    """A zero of a more-is-stronger metric: nothing to rank, whatever the peers have."""
    return name not in _LOWER_IS_STRONGER and value is not None and float(value) == 0.0


class _Cohorts:
    """Sorted metric values per level (and for the whole org) of one metrics result.

    The GUI asks for a profile on every click; sorting 100 000 values per metric each
    time took most of a second, so the sorted arrays are kept for the last results.
    """

    def __init__(self, org: Org, metrics: dict[str, Any]) -> None:
        self.metrics = metrics
        self.levels: dict[str | None, list[str]] = {None: list(metrics["people"])}
        graph = org.graph
        for n in metrics["people"]:
            level = graph.nodes[n].get("level") if n in graph else None
            if level not in (None, ""):
                self.levels.setdefault(str(level), []).append(n)
        self.sorted: dict[tuple[str | None, str], np.ndarray] = {}

    def neighbours(self, level: str, node: str) -> tuple[str | None, list[str]]:
        """The levels just below and above ``level`` (natural order: L5 < L6 < L10), as
        one cohort with ``node`` in it: ``("L5 and L7", nodes)``; ``(None, [])`` when
        there is no other level."""
        order = sorted((lv for lv in self.levels if lv is not None), key=_level_key)
        if level not in order:
            return None, []
        i = order.index(level)
        near = [
            lv
            for lv in (order[i - 1] if i else None, order[i + 1] if i + 1 < len(order) else None)
            if lv
        ]
        if not near:
            return None, []
        # a key no level can have: the cohort holds the person, unlike a level's own list
        key = "\0" + " and ".join(near)
        if key not in self.levels:
            self.levels[key] = [n for lv in near for n in self.levels[lv]] + [node]
        return key, self.levels[key]

    def values(self, level: str | None, name: str) -> np.ndarray:
        key = (level, name)
        if key not in self.sorted:
            people = self.metrics["people"]
            raw = [people[n].get(name) for n in self.levels.get(level, [])]
            arr = np.asarray([v for v in raw if v is not None], dtype=np.float64)
            self.sorted[key] = np.sort(np.round(arr, 10))
        return self.sorted[key]

    def standing(
        self, level: str | None, name: str, value: Any, lower: bool
    ) -> tuple[float | None, float]:
        """Where ``value`` stands among the *other* people of the cohort.

        Returns ``(weaker, tied)``: the share of the others strictly weaker (a lower
        value; for a lower-is-stronger metric, a higher one) and the share with the
        same value. ``weaker`` is None when there are no others to compare with (a
        cohort of one) or no value. Ties never count as beaten: half-counted ties made
        a 0 read as "higher than 48%" when most people have 0.
        """
        if value is None:
            return None, 0.0
        arr = self.values(level, name)
        others = len(arr) - 1
        if others < 1:
            return None, 0.0
        v = float(np.round(float(value), 10))
        below = int(np.searchsorted(arr, v, side="left"))
        upto = int(np.searchsorted(arr, v, side="right"))
        tied = max(upto - below - 1, 0)
        weaker = len(arr) - upto if lower else below
        return weaker / others, tied / others


def _level_key(level: str) -> tuple:
    """Natural order of levels: "L5" < "L6" < "L10", "2" < "3", text after numbers."""
    import re

    digits = re.findall(r"\d+", level)
    return (0, int(digits[0]), level) if digits else (1, 0, level)


_RECENT: list[tuple[Org, dict[str, Any], _Cohorts]] = []


def _cohorts(org: Org, metrics: dict[str, Any]) -> _Cohorts:
    for o, m, c in _RECENT:
        if o is org and m is metrics:
            return c
    c = _Cohorts(org, metrics)
    _RECENT.insert(0, (org, metrics, c))
    del _RECENT[2:]  # the current result and the one before (a what-if beside it)
    return c


def _fmt_value(name: str, value: Any) -> str:
    if value is None:
        return "n/a"
    return present.metric_value(name, value) or "n/a"


def _sentence(name: str, value: Any, person: str, totals: dict[str, int]) -> str:
    v = value
    if name == "teams_reached":
        return f"Works directly with people in {v} of the org's {_count(totals['teams'], 'team')}."
    if name == "departments_reached":
        return f"Reaches {v} of {_count(totals['departments'], 'department')} through direct collaboration."
    if name == "org_reach":
        return f"That is {present.value(v, 'percent')} of all teams."
    if name == "reach_2":
        return f"{_count(v, 'person')} {'is' if v == 1 else 'are'} within two steps of {person}."
    if name == "cross_team_projects_led":
        return f"Leads {v} project{'s' if v != 1 else ''} that span{'' if v != 1 else 's'} teams."
    if name == "cross_team_projects":
        return f"Works on {v} cross-team project{'s' if v != 1 else ''} in all."
    if name == "mentees":
        return f"Mentors {v} {'person' if v == 1 else 'people'}."
    if name == "mentorship_reach":
        return f"{v} {'person is' if v == 1 else 'people are'} in {person}'s mentoring tree (mentees, their mentees, ...)."
    if name == "mentors_grown":
        return f"{v} of {person}'s mentees now mentor{'s' if v == 1 else ''} others."
    if name == "brokerage":
        return f"Sits on {present.value(v * 100)}% of the shortest paths between other people (brokerage)."
    if name == "effective_size":
        return f"Has {present.metric_value('effective_size', v)} non-redundant contacts (effective size)."
    if name == "constraint":
        if v is None:
            return "Has no collaborators, so constraint is undefined."
        return f"Network constraint {present.metric_value('constraint', v)}: the lower, the more {person}'s contacts are in separate groups."
    if name == "influence":
        return f"Influence {present.metric_value('influence', v)} (1 = the org's average): how much others look to {person}."
    if name == "key_person_risk":
        return (
            f"Key-person risk {v}: 10 points per team pair whose last link is {person}, "
            "1 per person with no other collaborator (the inspector names them)."
        )
    return f"{metric(name).label}: {v}."


def _floor_pct(share: float) -> str:
    # rounded down: 99.8% of the cohort is "99%", never a "100%" that is not everyone
    return f"{math.floor(share * 100 + 1e-9)}%"


def impact_profile(org: Org, metrics: dict[str, Any], node: str) -> dict[str, Any]:
    """The impact profile of ``node`` from the metrics of :func:`orgmap.metrics.compute_all`.

    Returns a plain dict: ``person`` (id, name, title, level, team, department),
    ``cohort`` (the level, its size, the org's size), ``role``,
    ``brokerage_roles``, ``projects_led`` (cross-team projects the person leads,
    org-wide ones marked) and ``sections``: for scope, org-spanning work led,
    multiplied impact, and brokerage and role, a ``summary`` sentence and
    ``items``, each with the metric's ``value``, ``level_percentile`` and
    ``org_percentile`` (the share of the *other* people of the cohort strictly
    weaker than this person: a lower value, or for constraint a higher one; ties
    are not counted as beaten; None for a cohort of one or no level),
    ``level_tied``/``org_tied`` (the share of the others with the same value),
    ``none`` (a zero of a more-is-stronger metric) and a plain ``sentence``. When
    the org has no teams, the scope section leaves out the team counts and talks
    about departments.

    Raises ``KeyError`` when ``node`` is not a person in ``metrics``.
    """
    people = metrics["people"]
    if node not in people:
        raise KeyError(f"no metrics for {node!r}")
    data = org.graph.nodes[node]
    name = org.label(node)
    values = people[node]
    cohorts = _cohorts(org, metrics)
    level = data.get("level")
    level = None if level in (None, "") else str(level)
    peers = cohorts.levels.get(level, []) if level is not None else []
    near_key, near = (None, [])
    if level is not None and len(peers) <= 1:
        # alone at a level: the levels just below and above stand in for peers
        near_key, near = cohorts.neighbours(level, node)
    shown_level = near_key if near_key else level
    shown_peers = len(near) if near_key else len(peers)
    everyone = cohorts.levels[None]
    summary = metrics.get("summary", {})
    totals = {
        "teams": int(summary.get("teams", len(org.teams()))),
        "departments": int(summary.get("departments", len(org.departments()))),
        "people": len(everyone),
    }

    led = []
    for _, project, edge in org.graph.out_edges(node, data=True):
        if edge.get("kind") == "works_on" and edge.get("role") == "lead":
            pm = metrics.get("projects", {}).get(project, {})
            if pm.get("teams_spanned", 0) >= 2:
                led.append(
                    {
                        "name": org.label(project),
                        "teams_spanned": pm.get("teams_spanned", 0),
                        "departments_spanned": pm.get("departments_spanned", 0),
                        "org_wide": bool(pm.get("org_wide")),
                    }
                )
    led.sort(key=lambda p: (-p["teams_spanned"], p["name"]))

    sections = []
    for key, title, names in SECTIONS:
        items = []
        for metric_name in names:
            value = values.get(metric_name)
            if not totals["teams"] and metric_name in _TEAM_ONLY:
                continue  # no teams in the data: "0 of the org's 0 teams" says nothing
            lower = metric_name in _LOWER_IS_STRONGER
            lp, lt = (
                cohorts.standing(shown_level, metric_name, value, lower) if level else (None, 0.0)
            )
            op, ot = cohorts.standing(None, metric_name, value, lower)
            items.append(
                {
                    "metric": metric_name,
                    "label": metric(metric_name).label,
                    "value": value,
                    "shown": _fmt_value(metric_name, value),
                    "level_percentile": lp,
                    "org_percentile": op,
                    "level_tied": lt,
                    "org_tied": ot,
                    "lower_is_stronger": lower,
                    "none": _is_none(metric_name, value),
                    "sentence": _sentence(metric_name, value, name, totals),
                }
            )
        sections.append(
            {
                "key": key,
                "title": title,
                "summary": _section_summary(
                    key, items, name, shown_level, shown_peers, led, near=bool(near_key)
                ),
                "items": items,
            }
        )
    return {
        "node": node,
        "person": {
            "id": data.get("id"),
            "name": name,
            "title": data.get("title"),
            "level": data.get("level"),
            "team": data.get("team"),
            "department": data.get("department"),
        },
        "cohort": {
            "level": level,
            "size": len(peers),
            "org_size": len(everyone),
            # alone at the level: the levels below and above it, compared instead
            "near_levels": near_key.lstrip("\0") if near_key else None,
            "near_size": len(near) - 1 if near_key else 0,
        },
        "role": values.get("role"),
        "brokerage_roles": values.get("brokerage_roles") or {},
        "projects_led": led,
        "sections": sections,
        "betweenness": summary.get("betweenness", {}),
    }


def _share_words(share: float, cohort: str) -> str:
    """ "all level L3 peers", "most of the whole org", "40% of level L3 peers" """
    if share >= 1.0:
        return f"all {cohort}" if not cohort.startswith("the ") else "everyone in the org"
    if share > 0.5:
        return f"most {cohort}" if not cohort.startswith("the ") else f"most of {cohort}"
    return f"{_floor_pct(share) if share >= 0.01 else 'a few'} of {cohort}"


def _standing_words(item: dict[str, Any], which: str, cohort: str) -> str | None:
    """Where the person stands in one cohort, without implying they beat anyone they tie.

    "higher than 37% of level L3 peers (63 people)" counts only the peers strictly
    below; a zero says "none yet" and the bottom says so.
    """
    weaker, tied = item[f"{which}_percentile"], item[f"{which}_tied"]
    if weaker is None:
        return None
    lower = item["lower_is_stronger"]
    among = "in" if cohort.startswith("the ") else "among"
    if item["none"]:
        return f"like {_share_words(tied, cohort)}" if tied > 0 else f"unlike all {cohort}"
    if weaker >= 1.0:
        return f"{'the lowest' if lower else 'the highest'} {among} {cohort}"
    if weaker <= 0.0:
        if tied <= 0.0:
            return f"{'the highest' if lower else 'the lowest'} {among} {cohort}"
        if tied >= 1.0:
            return f"the same as all {cohort}"
        return f"at the bottom, like {_share_words(tied, cohort)}"
    pct = _floor_pct(weaker) if weaker >= 0.01 else "under 1%"
    return f"{'lower' if lower else 'higher'} than {pct} of {cohort}"


def _compare_words(item: dict[str, Any], level: str | None, peers: int, near: bool = False) -> str:
    """ "higher than 85% of level L5 peers (40 people) and 92% of the whole org" """
    parts = []
    if level is not None and peers > 1:  # alone at a level: no peers
        cohort = (
            f"people at level {level.lstrip(chr(0))} ({peers - 1} people)"
            if near
            else f"level {level} peers ({peers} people)"
        )
        parts.append(_standing_words(item, "level", cohort))
    parts.append(_standing_words(item, "org", "the whole org"))
    parts = [p for p in parts if p]
    for prefix in ("at the bottom, like ", "like "):
        # "like most level L3 peers and most of the whole org", said once
        if len(parts) == 2 and all(p.startswith(prefix) for p in parts):
            parts[1] = parts[1].removeprefix(prefix)
    text = " and ".join(parts)
    if text and item["none"]:
        return f"none yet, {text}"
    return text


def _section_summary(
    key: str,
    items: list[dict[str, Any]],
    name: str,
    level: str | None,
    peers: int,
    led: list,
    near: bool = False,
) -> str:
    by = {i["metric"]: i for i in items}

    def _compare(item: dict[str, Any], level: str | None, peers: int) -> str:
        return _compare_words(item, level, peers, near)

    if key == "scope":
        depts = by["departments_reached"]
        if "teams_reached" not in by:  # no teams in the data: departments are the groups
            text = f"{name} works with {_count(depts['value'], 'department')} directly"
            cmp = _compare(depts, level, peers)
        else:
            i = by["teams_reached"]
            text = (
                f"{name} works with {_count(i['value'], 'team')} and "
                f"{_count(depts['value'], 'department')} directly"
            )
            cmp = _compare(i, level, peers)
        return f"{text}; that reach is {cmp}." if cmp else text + "."
    if key == "org_spanning_work":
        n = by["cross_team_projects_led"]["value"] or 0
        if not n:
            cmp = _compare(by["cross_team_projects_led"], level, peers)
            cmp = cmp.removeprefix("none yet, ")
            return f"{name} leads no project that spans teams" + (f", {cmp}." if cmp else ".")
        wide = sum(1 for p in led if p["org_wide"])
        # each project says whether it is org-wide: "1 of them org-wide (A, B)" read as both
        names = "; ".join(p["name"] + (", org-wide" if p["org_wide"] else "") for p in led[:5])
        extra = f", {wide} of them org-wide" if wide else ""
        cmp = _compare(by["cross_team_projects_led"], level, peers)
        return f"{name} leads {_count(n, 'cross-team project')}{extra} ({names}); {cmp}."
    if key == "multiplied_impact":
        m = by["mentees"]["value"] or 0
        if not m:
            cmp = _compare(by["mentees"], level, peers).removeprefix("none yet, ")
            return f"{name} mentors nobody in the data" + (f", {cmp}." if cmp else ".")
        cmp = _compare(by["mentorship_reach"], level, peers)
        grown = by["mentors_grown"]["value"]
        return (
            f"{name} mentors {m}, with {_count(by['mentorship_reach']['value'], 'person')} in "
            f"the mentoring tree and {_count(grown, 'mentee')} who now "
            f"mentor{'s' if grown == 1 else ''}; the tree is {cmp}."
        )
    i = by["brokerage"]
    cmp = _compare(i, level, peers)
    return f"{name}'s brokerage is {cmp}." if cmp else f"{name}'s brokerage: {i['shown']}."


def _pct(item: dict[str, Any], which: str) -> str:
    """The table's percentile column: the strictly-weaker share, "-" for a zero or no peers."""
    share = item[f"{which}_percentile"]
    if share is None or item["none"]:
        return "-"
    return _floor_pct(share)


def _head_parts(person: dict[str, Any]) -> list[str]:
    """["Engineer", "level L3", "team Storage", "department Engineering"]"""
    parts = [str(person["title"])] if person.get("title") else []
    for key in ("level", "team", "department"):
        if person.get(key) not in (None, ""):
            parts.append(f"{key} {person[key]}")
    return parts


def profile_text(profile: dict[str, Any]) -> str:
    """The profile as plain text for a terminal."""
    person = profile["person"]
    cohort = profile["cohort"]
    lines = [" · ".join([str(person["name"]), *_head_parts(person)]), ""]
    level = cohort["level"]
    lines.append(
        _compared(cohort)
        if level
        else f"No level in the data; compared with all {_count(cohort['org_size'], 'person')}."
    )
    lines.append(f"Network role: {profile.get('role') or '-'}")
    for section in profile["sections"]:
        lines += ["", section["title"].upper(), section["summary"]]
        for item in section["items"]:
            cmp = f"level {_pct(item, 'level')}, org {_pct(item, 'org')}"
            lines.append(f"  {item['label']:<26} {item['shown']:>10}   ({cmp})  {item['sentence']}")
        if section["key"] == "org_spanning_work":
            for p in profile["projects_led"]:
                wide = ", org-wide" if p["org_wide"] else ""
                lines.append(
                    f"    - {p['name']}: {_count(p['teams_spanned'], 'team')}, "
                    f"{_count(p['departments_spanned'], 'department')}{wide}"
                )
        if section["key"] == "brokerage":
            roles = profile["brokerage_roles"]
            shown = ", ".join(f"{k} {v}" for k, v in roles.items() if v) or "none"
            lines.append(f"  Brokerage positions (Gould & Fernandez): {shown}")
    bc = profile.get("betweenness") or {}
    if bc.get("method") not in (None, "exact"):
        lines += ["", f"Brokerage is {describe_brokerage(bc)}."]
    lines += [
        "",
        "Percentiles: the share of the other people in the cohort strictly below this person "
        '(for constraint, above); ties are not counted; "-" for a zero or no peers.',
    ]
    return "\n".join(lines) + "\n"


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:820px;margin:2em auto;
color:#1b1f24;background:#fff;line-height:1.45}
h1{margin:0;font-size:1.6em}.sub{color:#555;margin:.2em 0 1em}
.role{display:inline-block;background:#1f4e79;color:#fff;border-radius:1em;padding:.1em .8em}
section{border-top:1px solid #ddd;margin-top:1.2em;padding-top:.6em}
h2{font-size:1.1em;margin:.2em 0}.summary{margin:.3em 0 .6em}
table{border-collapse:collapse;width:100%;font-size:.92em}
td,th{padding:.25em .4em;text-align:left;vertical-align:top}th{color:#555;font-weight:600}
td.num{text-align:right;white-space:nowrap}td.pct{white-space:nowrap}
.bar{background:#eee;border-radius:3px;height:.7em;width:90px;display:inline-block}
.bar span{display:block;height:100%;background:#f08c2c;border-radius:3px}
.note{color:#666;font-size:.85em}
figure{margin:1em 0}img.map{max-width:100%;border:1px solid #ddd;border-radius:4px}
@media (prefers-color-scheme: dark){body{background:#16181b;color:#e6e6e6}
.sub,th,.note{color:#aaa}section{border-color:#333}.bar{background:#333}}
"""


def _bar(item: dict[str, Any], which: str) -> str:
    shown = _pct(item, which)
    if shown == "-":
        return "-"
    share = item[f"{which}_percentile"]
    return (
        f'<span class="bar" title="{shown}"><span style="width:{share * 100:.0f}%">'
        f"</span></span> {shown}"
    )


def _compared(cohort: dict[str, Any]) -> str:
    level, size = cohort["level"], cohort["size"]
    if size <= 1 and cohort.get("near_levels"):
        return (
            f"Alone at level {level}, so compared with the {_count(cohort['near_size'], 'person')} "
            f"at level {cohort['near_levels']} (the levels next to it) and all "
            f"{_count(cohort['org_size'], 'person')}."
        )
    if size <= 1:
        return (
            f"Alone at level {level}, and no other level to compare with; compared with all "
            f"{_count(cohort['org_size'], 'person')}."
        )
    return (
        f"Compared with {_count(size, 'person')} at level {level} and all "
        f"{_count(cohort['org_size'], 'person')}."
    )


def profile_html(profile: dict[str, Any], picture: str | None = None) -> str:
    """The profile as one self-contained HTML page (no script, no external request);
    every text is escaped. ``picture``: a ``data:image/png;base64,...`` URI of the
    person's reach on the map, shown under the header."""
    e = html.escape
    person = profile["person"]
    cohort = profile["cohort"]
    sub = " · ".join(e(x) for x in _head_parts(person))
    level = cohort["level"]
    level_head = f"Level {e(str(level))} ({cohort['size']})" if level else "Level"
    if level and cohort["size"] <= 1:
        near = cohort.get("near_levels")
        level_head = f"Level {e(str(near))} ({cohort['near_size']})" if near else "Level (alone)"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">",
        f"<title>Impact profile: {e(str(person['name']))}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(str(person['name']))}</h1>",
        f'<p class="sub">{sub}</p>' if sub else "",
        f'<p>Network role: <span class="role">{e(str(profile.get("role") or "-"))}</span></p>',
        f'<p class="note">{e(_compared(cohort))}</p>'
        if level
        else f'<p class="note">No level in the data; compared with all {_count(cohort["org_size"], "person")}.</p>',
    ]
    if picture and picture.startswith("data:image/png;base64,"):
        out.append(
            f'<figure><img class="map" alt="{e(str(person["name"]))} and their reach on the map" '
            f'src="{e(picture)}"><figcaption class="note">Their reach on the map: the people '
            "lit within the chosen steps; the rest fades.</figcaption></figure>"
        )
    for section in profile["sections"]:
        out.append(f"<section><h2>{e(section['title'])}</h2>")
        out.append(f'<p class="summary">{e(section["summary"])}</p>')
        out.append(
            f"<table><tr><th>Metric</th><th>Value</th><th>{level_head}</th><th>Whole org</th>"
            "<th>In plain words</th></tr>"
        )
        for item in section["items"]:
            out.append(
                f'<tr><td>{e(item["label"])}</td><td class="num">{e(item["shown"])}</td>'
                f'<td class="pct">{_bar(item, "level")}</td>'
                f'<td class="pct">{_bar(item, "org")}</td>'
                f"<td>{e(item['sentence'])}</td></tr>"
            )
        out.append("</table>")
        if section["key"] == "org_spanning_work" and profile["projects_led"]:
            out.append("<ul>")
            for p in profile["projects_led"]:
                wide = ", org-wide" if p["org_wide"] else ""
                out.append(
                    f"<li>{e(str(p['name']))}: {_count(p['teams_spanned'], 'team')}, "
                    f"{_count(p['departments_spanned'], 'department')}{wide}</li>"
                )
            out.append("</ul>")
        if section["key"] == "brokerage":
            roles = profile["brokerage_roles"]
            shown = ", ".join(f"{k} {v}" for k, v in roles.items() if v) or "none"
            out.append(
                f'<p class="note">Brokerage positions (Gould &amp; Fernandez 1989): {e(shown)}</p>'
            )
        out.append("</section>")
    bc = profile.get("betweenness") or {}
    if bc.get("method") not in (None, "exact"):
        out.append(f'<p class="note">Brokerage is {html.escape(describe_brokerage(bc))}.</p>')
    out.append(
        '<p class="note">Bars: the share of the cohort below this person (for constraint, '
        "above: less constrained is stronger). Sources: Katz 1953; Brandes 2001; Burt 1992; "
        "Gould &amp; Fernandez 1989; Cross &amp; Prusak 2002.</p>"
    )
    out.append("</body></html>")
    return "\n".join(x for x in out if x) + "\n"


def profile_fragment(profile: dict[str, Any]) -> str:
    """The profile as an HTML fragment of plain tables, for Qt rich text (the inspector):
    no page, no CSS bars, every text escaped."""
    e = html.escape
    cohort = profile["cohort"]
    level = cohort["level"]
    level_head = f"Level {e(str(level))}" if level else "Level"
    if level and cohort["size"] <= 1:
        near = cohort.get("near_levels")
        level_head = f"Level {e(str(near))}" if near else "Level (alone)"
    out = [
        f"<p>Network role: <b>{e(str(profile.get('role') or '-'))}</b></p>",
        f"<p>{e(_compared(cohort)) if level else 'No level in the data; compared with the whole org.'}</p>",
    ]
    for section in profile["sections"]:
        out.append(f"<p><b>{e(section['title'])}</b><br>{e(section['summary'])}</p>")
        out.append(
            '<table class="profile" cellspacing="0" width="100%"><tr><th>Metric</th>'
            f"<th>Value</th><th>{level_head}</th><th>Org</th></tr>"
        )
        for item in section["items"]:
            out.append(
                f'<tr><td title="{e(item["sentence"])}">{e(item["label"])}</td>'
                f'<td align="right">{e(item["shown"])}</td>'
                f'<td align="right">{_pct(item, "level")}</td>'
                f'<td align="right">{_pct(item, "org")}</td></tr>'
            )
        out.append("</table>")
    return "".join(out)
