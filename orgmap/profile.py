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

from orgmap.metrics.info import metric
from orgmap.model import Org

__all__ = ["impact_profile", "profile_text", "profile_html", "SECTIONS"]

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
#: Metrics where less is more (the percentile is turned round in the words).
_LOWER_IS_STRONGER = {"constraint"}


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

    def values(self, level: str | None, name: str) -> np.ndarray:
        key = (level, name)
        if key not in self.sorted:
            people = self.metrics["people"]
            raw = [people[n].get(name) for n in self.levels.get(level, [])]
            arr = np.asarray([v for v in raw if v is not None], dtype=np.float64)
            self.sorted[key] = np.sort(np.round(arr, 10))
        return self.sorted[key]

    def percentile(self, level: str | None, name: str, value: Any) -> float | None:
        """As :func:`orgmap.metrics.percentile.percentile_of` over the cohort."""
        if value is None:
            return None
        arr = self.values(level, name)
        if len(arr) == 0:
            return None
        if len(arr) == 1:
            return 1.0
        v = float(np.round(float(value), 10))
        below = int(np.searchsorted(arr, v, side="left"))
        equal = int(np.searchsorted(arr, v, side="right")) - below - 1
        return (below + 0.5 * max(equal, 0)) / (len(arr) - 1)


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
    fmt = metric(name).fmt
    if fmt == "percent":
        return f"{value:.0%}"
    if fmt == "float":
        return f"{value:.4f}" if name == "brokerage" else f"{value:.2f}"
    return str(value)


def _sentence(name: str, value: Any, person: str, totals: dict[str, int]) -> str:
    v = value
    if name == "teams_reached":
        return f"Works directly with people in {v} of the org's {totals['teams']} teams."
    if name == "departments_reached":
        return f"Reaches {v} of {totals['departments']} departments through direct collaboration."
    if name == "org_reach":
        return f"That is {v:.0%} of all teams."
    if name == "reach_2":
        return f"{v} people are within two steps of {person}."
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
        return f"Sits on {v:.2%} of the shortest paths between other people (brokerage)."
    if name == "effective_size":
        return f"Has {v:.1f} non-redundant contacts (effective size)."
    if name == "constraint":
        if v is None:
            return "Has no collaborators, so constraint is undefined."
        return f"Network constraint {v:.2f}: the lower, the more {person}'s contacts are in separate groups."
    if name == "influence":
        return f"Influence {v:.2f} (1 = the org's average): how much others look to {person}."
    if name == "key_person_risk":
        return f"If {person} left, {v} connection{'s' if v != 1 else ''} (team pairs or people) would lose their last link."
    return f"{metric(name).label}: {v}."


def _floor_pct(share: float) -> str:
    # rounded down: 99.8% of the cohort is "99%", never a "100%" that is not everyone
    return f"{math.floor(share * 100 + 1e-9)}%"


def _standing(p: float | None, lower_is_stronger: bool) -> str | None:
    if p is None:
        return None
    share = 1.0 - p if lower_is_stronger else p
    return _floor_pct(share)


def impact_profile(org: Org, metrics: dict[str, Any], node: str) -> dict[str, Any]:
    """The impact profile of ``node`` from the metrics of :func:`orgmap.metrics.compute_all`.

    Returns a plain dict: ``person`` (id, name, title, level, team, department),
    ``cohort`` (the level, its size, the org's size), ``role``,
    ``brokerage_roles``, ``projects_led`` (cross-team projects the person leads,
    org-wide ones marked) and ``sections``: for scope, org-spanning work led,
    multiplied impact, and brokerage and role, a ``summary`` sentence and
    ``items``, each with the metric's ``value``, ``level_percentile`` and
    ``org_percentile`` (share of the cohort with a lower value, ties half; None
    when there is no level) and a plain ``sentence``.

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
            lower = metric_name in _LOWER_IS_STRONGER
            lp = cohorts.percentile(level, metric_name, value) if level else None
            op = cohorts.percentile(None, metric_name, value)
            items.append(
                {
                    "metric": metric_name,
                    "label": metric(metric_name).label,
                    "value": value,
                    "shown": _fmt_value(metric_name, value),
                    "level_percentile": lp,
                    "org_percentile": op,
                    "lower_is_stronger": lower,
                    "sentence": _sentence(metric_name, value, name, totals),
                }
            )
        sections.append(
            {
                "key": key,
                "title": title,
                "summary": _section_summary(key, items, name, level, len(peers), led),
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
        "cohort": {"level": level, "size": len(peers), "org_size": len(everyone)},
        "role": values.get("role"),
        "brokerage_roles": values.get("brokerage_roles") or {},
        "projects_led": led,
        "sections": sections,
        "betweenness": summary.get("betweenness", {}),
    }


def _standing_words(share: float, cohort: str, lower: bool) -> str:
    if share >= 1.0:
        return f"{'the lowest' if lower else 'the highest'} among {cohort}"
    if share <= 0.0:
        return f"{'the highest' if lower else 'the lowest'} among {cohort}"
    return f"{'lower' if lower else 'higher'} than {_floor_pct(share)} of {cohort}"


def _compare(item: dict[str, Any], level: str | None, peers: int) -> str:
    """ "higher than 85% of level L5 peers (40 people) and 92% of the whole org" """
    lower = item["lower_is_stronger"]
    parts = []
    lp, op = item["level_percentile"], item["org_percentile"]
    if lp is not None and level is not None and peers > 1:  # alone at a level: no peers
        share = 1.0 - lp if lower else lp
        parts.append(_standing_words(share, f"level {level} peers ({peers} people)", lower))
    if op is not None:
        share = 1.0 - op if lower else op
        parts.append(_standing_words(share, "the whole org", lower))
    return " and ".join(parts)


def _section_summary(
    key: str, items: list[dict[str, Any]], name: str, level: str | None, peers: int, led: list
) -> str:
    by = {i["metric"]: i for i in items}
    if key == "scope":
        i = by["teams_reached"]
        text = (
            f"{name} works with {i['value']} team{'s' if i['value'] != 1 else ''} and "
            f"{by['departments_reached']['value']} department"
            f"{'s' if by['departments_reached']['value'] != 1 else ''} directly"
        )
        cmp = _compare(i, level, peers)
        return f"{text}; that reach is {cmp}." if cmp else text + "."
    if key == "org_spanning_work":
        n = by["cross_team_projects_led"]["value"] or 0
        if not n:
            return f"{name} leads no project that spans teams."
        wide = sum(1 for p in led if p["org_wide"])
        names = ", ".join(p["name"] for p in led[:5])
        extra = f", {wide} of them org-wide" if wide else ""
        cmp = _compare(by["cross_team_projects_led"], level, peers)
        return (
            f"{name} leads {n} cross-team project{'s' if n != 1 else ''}{extra} ({names}); {cmp}."
        )
    if key == "multiplied_impact":
        m = by["mentees"]["value"] or 0
        if not m:
            return f"{name} mentors nobody in the data."
        cmp = _compare(by["mentorship_reach"], level, peers)
        return (
            f"{name} mentors {m}, with {by['mentorship_reach']['value']} people in the mentoring "
            f"tree and {_people(by['mentors_grown']['value'], 'mentee')} who now "
            f"mentor{'s' if by['mentors_grown']['value'] == 1 else ''}; the "
            f"tree is {cmp}."
        )
    i = by["brokerage"]
    cmp = _compare(i, level, peers)
    return f"{name}'s brokerage is {cmp}." if cmp else f"{name}'s brokerage: {i['shown']}."


def _people(n: Any, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _pct(p: float | None, lower: bool) -> str:
    s = _standing(p, lower)
    return "-" if s is None else s


def profile_text(profile: dict[str, Any]) -> str:
    """The profile as plain text for a terminal."""
    person = profile["person"]
    cohort = profile["cohort"]
    head = person["name"]
    details = [x for x in (person.get("title"), person.get("level")) if x]
    if details:
        head += f", {' '.join(str(d) for d in details[:1])}"
        if len(details) > 1:
            head += f" ({details[1]})"
    where = " / ".join(str(x) for x in (person.get("team"), person.get("department")) if x)
    lines = [head + (f" - {where}" if where else ""), ""]
    level = cohort["level"]
    lines.append(
        f"Compared with {_people(cohort['size'], 'person').replace('persons', 'people')} at "
        f"level {level} and all {cohort['org_size']} people."
        if level
        else f"No level in the data; compared with all {cohort['org_size']} people."
    )
    lines.append(f"Network role: {profile.get('role') or '-'}")
    for section in profile["sections"]:
        lines += ["", section["title"].upper(), section["summary"]]
        for item in section["items"]:
            lower = item["lower_is_stronger"]
            cmp = f"level {_pct(item['level_percentile'], lower)}, org {_pct(item['org_percentile'], lower)}"
            lines.append(f"  {item['label']:<26} {item['shown']:>10}   ({cmp})  {item['sentence']}")
        if section["key"] == "org_spanning_work":
            for p in profile["projects_led"]:
                wide = ", org-wide" if p["org_wide"] else ""
                lines.append(
                    f"    - {p['name']}: {p['teams_spanned']} teams, "
                    f"{p['departments_spanned']} departments{wide}"
                )
        if section["key"] == "brokerage":
            roles = profile["brokerage_roles"]
            shown = ", ".join(f"{k} {v}" for k, v in roles.items() if v) or "none"
            lines.append(f"  Brokerage positions (Gould & Fernandez): {shown}")
    bc = profile.get("betweenness") or {}
    if bc.get("method") == "sampled":
        lines += ["", f"Brokerage is estimated from {bc.get('samples')} sampled people."]
    lines += ["", "Percentiles: the share of the cohort below this person (for constraint, above)."]
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
@media (prefers-color-scheme: dark){body{background:#16181b;color:#e6e6e6}
.sub,th,.note{color:#aaa}section{border-color:#333}.bar{background:#333}}
"""


def _bar(p: float | None, lower: bool) -> str:
    if p is None:
        return "-"
    share = 1.0 - p if lower else p
    return (
        f'<span class="bar" title="{_floor_pct(share)}"><span style="width:{share * 100:.0f}%">'
        f"</span></span> {_floor_pct(share)}"
    )


def profile_html(profile: dict[str, Any]) -> str:
    """The profile as one self-contained HTML page (no script, no external request);
    every text is escaped."""
    e = html.escape
    person = profile["person"]
    cohort = profile["cohort"]
    sub = " · ".join(
        e(str(x))
        for x in (
            person.get("title"),
            person.get("level"),
            person.get("team"),
            person.get("department"),
        )
        if x
    )
    level = cohort["level"]
    level_head = f"Level {e(str(level))} ({cohort['size']})" if level else "Level"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>Impact profile: {e(str(person['name']))}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(str(person['name']))}</h1>",
        f'<p class="sub">{sub}</p>' if sub else "",
        f'<p>Network role: <span class="role">{e(str(profile.get("role") or "-"))}</span></p>',
        f'<p class="note">Compared with '
        f"{_people(cohort['size'], 'person').replace('persons', 'people')} at level "
        f"{e(str(level))} and all "
        f"{cohort['org_size']} people in the org.</p>"
        if level
        else f'<p class="note">No level in the data; compared with all {cohort["org_size"]} people.</p>',
    ]
    for section in profile["sections"]:
        out.append(f"<section><h2>{e(section['title'])}</h2>")
        out.append(f'<p class="summary">{e(section["summary"])}</p>')
        out.append(
            f"<table><tr><th>Metric</th><th>Value</th><th>{level_head}</th><th>Whole org</th>"
            "<th>In plain words</th></tr>"
        )
        for item in section["items"]:
            lower = item["lower_is_stronger"]
            out.append(
                f'<tr><td>{e(item["label"])}</td><td class="num">{e(item["shown"])}</td>'
                f'<td class="pct">{_bar(item["level_percentile"], lower)}</td>'
                f'<td class="pct">{_bar(item["org_percentile"], lower)}</td>'
                f"<td>{e(item['sentence'])}</td></tr>"
            )
        out.append("</table>")
        if section["key"] == "org_spanning_work" and profile["projects_led"]:
            out.append("<ul>")
            for p in profile["projects_led"]:
                wide = ", org-wide" if p["org_wide"] else ""
                out.append(
                    f"<li>{e(str(p['name']))}: {p['teams_spanned']} teams, "
                    f"{p['departments_spanned']} departments{wide}</li>"
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
    if bc.get("method") == "sampled":
        out.append(
            f'<p class="note">Brokerage is estimated from {int(bc.get("samples", 0))} sampled people.</p>'
        )
    out.append(
        '<p class="note">Bars: the share of the cohort below this person (for constraint, '
        "above: less constrained is stronger). Sources: Katz 1953; Brandes 2001; Burt 1992; "
        "Gould &amp; Fernandez 1989; Cross &amp; Prusak 2002.</p>"
    )
    out.append("</body></html>")
    return "\n".join(x for x in out if x) + "\n"
