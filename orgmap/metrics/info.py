"""The one table of metrics: names, labels, descriptions, references and formats.

The report, the GUI's columns and the HTML tooltips all read :data:`METRICS`, so
a metric is named and explained in exactly one place.
"""

from __future__ import annotations

from typing import Any, Literal, NamedTuple

__all__ = [
    "MetricInfo",
    "METRICS",
    "NAMED_METRICS",
    "metric",
    "metrics_for",
    "REFERENCES",
    "plural",
]

Entity = Literal["person", "project", "team"]
Fmt = Literal["int", "float", "percent", "text", "bool", "list"]

#: Full citations, by the short name used in :attr:`MetricInfo.reference`.
REFERENCES = {
    "Katz 1953": "Katz, L. (1953). A new status index derived from sociometric analysis. "
    "Psychometrika 18(1), 39-43.",
    "Brin & Page 1998": "Brin, S. & Page, L. (1998). The anatomy of a large-scale hypertextual "
    "Web search engine. Computer Networks and ISDN Systems 30, 107-117.",
    "Brandes 2001": "Brandes, U. (2001). A faster algorithm for betweenness centrality. "
    "Journal of Mathematical Sociology 25(2), 163-177.",
    "Borassi & Natale 2019": "Borassi, M. & Natale, E. (2019). KADABRA is an ADaptive "
    "Algorithm for Betweenness via Random Approximation. ACM Journal of Experimental "
    "Algorithmics 24, 1.2.",
    "Burt 1992": "Burt, R. S. (1992). Structural Holes: The Social Structure of Competition. "
    "Harvard University Press.",
    "Krackhardt & Stern 1988": "Krackhardt, D. & Stern, R. N. (1988). Informal networks and "
    "organizational crises: an experimental simulation. Social Psychology Quarterly 51(2), "
    "123-140.",
    "Gould & Fernandez 1989": "Gould, R. V. & Fernandez, R. M. (1989). Structures of "
    "mediation: a formal approach to brokerage in transaction networks. Sociological "
    "Methodology 19, 89-126.",
    "Cross & Prusak 2002": "Cross, R. & Prusak, L. (2002). The people who make organizations "
    "go -- or stop. Harvard Business Review 80(6), 104-112.",
    "Borgatti 2005": "Borgatti, S. P. (2005). Centrality and network flow. Social Networks "
    "27, 55-71.",
    "Kram 1985": "Kram, K. E. (1985). Mentoring at Work. Scott, Foresman.",
    "Org chart": "The formal reporting lines of the people data.",
}


class MetricInfo(NamedTuple):
    """One metric: its JSON name, what it describes, and how to show it."""

    name: str
    entity: Entity
    label: str
    #: One sentence a reader understands, saying what is reported when undefined.
    description: str
    #: Short citations, keys of :data:`REFERENCES` joined by "; ".
    reference: str
    fmt: Fmt


_P, _J, _T = "person", "project", "team"

METRICS: list[MetricInfo] = [
    MetricInfo("direct_reports", _P, "Direct reports",
               "People who report to this person.", "Org chart", "int"),
    MetricInfo("org_size", _P, "Org size",
               "Everyone below this person in the reporting tree.", "Org chart", "int"),
    MetricInfo("depth", _P, "Depth",
               "Reporting steps from the top of the org (0 = no manager).", "Org chart", "int"),
    MetricInfo("influence", _P, "Influence",
               "Status over nominations (reports name managers, mentees mentors, members "
               "project leads, advice seekers those they ask): Katz status, PageRank's "
               "sociometric ancestor, where each nomination passes on a damped share of the "
               "nominator's own status; scaled so the average person scores 1.",
               "Katz 1953; Brin & Page 1998", "float"),
    MetricInfo("influence_percentile", _P, "Influence percentile",
               "Share of other people with lower influence (ties count half, so 100% means "
               "nobody is level or above; shown rounded down).",
               "Katz 1953; Brin & Page 1998", "percent"),
    MetricInfo("brokerage", _P, "Brokerage",
               "Betweenness on the collaboration graph (shared projects, ties, mentoring and "
               "reporting lines; a project of more than 1,000 members links each member to one "
               "hub, its first lead or else first member, not to each other): the share of "
               "shortest paths between others that pass through this person (exact up to 5,000 people; above, "
               "estimated with KADABRA, every value within 0.01 of the exact one with 90% "
               "probability; the summary says which ran).",
               "Brandes 2001; Borassi & Natale 2019", "float"),
    MetricInfo("constraint", _P, "Constraint",
               "Burt's constraint: how much this person's collaborators are tied to each "
               "other (high = closed network; blank when the person has no collaborators).",
               "Burt 1992", "float"),
    MetricInfo("effective_size", _P, "Effective size",
               "Burt's effective size: collaborators less their redundancy with each other "
               "(0 without collaborators).", "Burt 1992", "float"),
    MetricInfo("reach_2", _P, "Reach (2 steps)",
               "People within two steps on the collaboration graph (see Brokerage; a "
               "project of more than 1,000 members is a star around one hub).",
               "Borgatti 2005", "int"),
    MetricInfo("teams_reached", _P, "Teams reached",
               "Distinct teams among this person and their direct collaborators.",
               "Cross & Prusak 2002", "int"),
    MetricInfo("departments_reached", _P, "Departments reached",
               "Distinct departments among this person and their direct collaborators.",
               "Cross & Prusak 2002", "int"),
    MetricInfo("org_reach", _P, "Org reach",
               "Teams reached as a share of all teams.", "Cross & Prusak 2002", "percent"),
    MetricInfo("cross_team_projects", _P, "Cross-team projects",
               "Projects spanning two or more teams that this person works on.",
               "Cross & Prusak 2002", "int"),
    MetricInfo("cross_team_projects_led", _P, "Cross-team projects led",
               "Projects spanning two or more teams that this person leads.",
               "Cross & Prusak 2002", "int"),
    MetricInfo("mentees", _P, "Mentees", "People this person mentors.", "Kram 1985", "int"),
    MetricInfo("mentorship_reach", _P, "Mentorship reach",
               "Everyone below this person in the mentorship tree (mentees, their mentees, "
               "and so on).", "Kram 1985", "int"),
    MetricInfo("mentors_grown", _P, "Mentors grown",
               "Mentees of this person who now mentor others.", "Kram 1985", "int"),
    MetricInfo("key_person_risk", _P, "Key-person risk",
               "What loses its last connection if this person leaves: 10 points for each "
               "pair of teams whose every collaboration link runs through them, 1 for each "
               "person whose only collaborator they are (a sole bridge between two teams "
               "outranks stranding a leaf); named in Key-person risk: what breaks.",
               "Cross & Prusak 2002", "int"),
    MetricInfo("key_person_risk_detail", _P, "Key-person risk: what breaks",
               "The team pairs and people behind key-person risk, each with the chain of "
               "teams that would still link the pair (or none).", "Cross & Prusak 2002", "list"),
    MetricInfo("brokerage_roles", _P, "Brokerage roles",
               "Two-step flows of information this person brokers, by position: "
               "coordinator (all in one team), itinerant (broker from another team), "
               "gatekeeper (into the broker's team), representative (out of it), liaison "
               "(three teams).", "Gould & Fernandez 1989", "list"),
    MetricInfo("role", _P, "Network role",
               "Central connector, information broker, boundary spanner, formal leader, "
               "peripheral specialist or team member: the first rule that matches, each "
               "percentile with an absolute minimum (connector: top 10% of collaborators "
               "and at least 8; broker: top 10% of brokerage, 3x the average, 3 collaborators "
               "in 2 groups; spanner: top 20% of teams reached and at least 3, departments "
               "when there are no teams); someone with reports whom no rule singles out is "
               "a formal leader.", "Cross & Prusak 2002", "text"),
    MetricInfo("members", _J, "Members",
               "People on the project, any role.", "Cross & Prusak 2002", "int"),
    MetricInfo("leads", _J, "Leads", "Leads of the project.", "Cross & Prusak 2002", "int"),
    MetricInfo("teams_spanned", _J, "Teams spanned",
               "Distinct teams among the members and the project's home team.",
               "Cross & Prusak 2002", "int"),
    MetricInfo("departments_spanned", _J, "Departments spanned",
               "Distinct departments among the members and the home team.",
               "Cross & Prusak 2002", "int"),
    MetricInfo("org_wide", _J, "Org-wide",
               "Spans at least a quarter of the departments and at least 3 of them (all of "
               "them in smaller orgs; teams when there are no departments).",
               "Cross & Prusak 2002", "bool"),
    MetricInfo("bridges", _J, "Bridges",
               "Team pairs linked by this project and nothing else.",
               "Cross & Prusak 2002", "int"),
    MetricInfo("size", _T, "Size", "People in the team.", "Org chart", "int"),
    MetricInfo("internal_ties", _T, "Internal ties",
               "Collaboration ties between two members.", "Krackhardt & Stern 1988", "int"),
    MetricInfo("external_ties", _T, "External ties",
               "Collaboration ties between a member and someone outside the team.",
               "Krackhardt & Stern 1988", "int"),
    MetricInfo("ei_index", _T, "E-I index",
               "(External - internal) / (external + internal): -1 all inside, +1 all outside "
               "(blank without ties).", "Krackhardt & Stern 1988", "float"),
    MetricInfo("silo", _T, "Silo",
               "A team of two or more with an E-I index of -0.5 or below, or no ties at all.",
               "Krackhardt & Stern 1988", "bool"),
    MetricInfo("partner_teams", _T, "Partner teams",
               "Teams linked to this one by shared projects, mentoring or ties, strongest "
               "first.", "Krackhardt & Stern 1988", "list"),
    MetricInfo("bridge_people", _T, "Bridge people",
               "Per partner team, the people whose collaboration carries the link, and the "
               "one person who alone carries it when there is one.", "Cross & Prusak 2002",
               "list"),
]  # fmt: skip

#: Metrics whose values name people and teams (explanations, not attributes): an
#: anonymized copy must recompute them on the pseudonymised org, never map their keys.
NAMED_METRICS = frozenset({"key_person_risk_detail", "bridge_people"})

_BY_NAME = {(m.entity, m.name): m for m in METRICS}


def metric(name: str, entity: Entity = "person") -> MetricInfo:
    """The :class:`MetricInfo` of ``name`` (``KeyError`` if unknown)."""
    return _BY_NAME[(entity, name)]


def metrics_for(entity: Entity) -> list[MetricInfo]:
    """The metrics of one entity, in table order."""
    return [m for m in METRICS if m.entity == entity]


_IRREGULAR = {"person": "people"}


def plural(n: Any, word: str) -> str:
    """A count with its noun in the right number, for every text that prints counts.

    Examples
    --------
    >>> plural(1, "person"), plural(33627, "person"), plural(0, "unreadable file")
    ('1 person', '33,627 people', '0 unreadable files')
    """
    count = f"{n:,}" if isinstance(n, int) and not isinstance(n, bool) else str(n)
    if n == 1:
        return f"{count} {word}"
    head, _, last = word.rpartition(" ")
    many = _IRREGULAR.get(last, last + "s")
    return f"{count} {head + ' ' if head else ''}{many}"
