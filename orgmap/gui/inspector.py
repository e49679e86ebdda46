"""The inspector: everything about the selected node, with clickable neighbours.

Rendered as rich text in a ``QTextBrowser``. Every text that came from a spreadsheet
goes through :func:`html.escape` before it is placed in the page (a name like
``<img src=x>`` shows as typed, never as markup). Links use the ``node:`` scheme with
the node key percent-encoded; clicking one emits :attr:`Inspector.nodeActivated`.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import quote, unquote

from PySide6.QtCore import QEvent, QUrl, Signal
from PySide6.QtWidgets import QTextBrowser

from orgmap import present
from orgmap.gui.models import PENDING_TEXT, metric_infos, pending_metrics

__all__ = ["Inspector", "node_link", "inspector_html"]

_ATTRS = (
    ("id", "ID"),
    ("email", "Email"),
    ("title", "Title"),
    ("level", "Level"),
    ("team", "Team"),
    ("department", "Department"),
    ("location", "Location"),
    ("start_date", "Start date"),
)
_SKIP_EXTRA = {
    "kind",
    "name",
    "external",
    "source_file",
    "source_sheet",
    "source_row",
    *(k for k, _ in _ATTRS),
}
_ROLE_ORDER = {"lead": 0, "contributor": 1, "stakeholder": 2}
_KIND_LABEL = {"person": "Person", "team": "Team", "department": "Department", "project": "Project"}
_LIST_LIMIT = 40


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def node_link(org: Any, node: str, suffix: str = "") -> str:
    """An escaped ``<a href="node:...">label</a>`` for a node."""
    label = esc(org.label(node))
    extra = f' <span class="muted">{esc(suffix)}</span>' if suffix else ""
    return f'<a href="node:{quote(node, safe="")}">{label}</a>{extra}'


def _link_list(org: Any, items: list[tuple[str, str]], empty: str = "none") -> str:
    if not items:
        return f'<span class="muted">{esc(empty)}</span>'
    shown = [node_link(org, node, suffix) for node, suffix in items[:_LIST_LIMIT]]
    more = len(items) - _LIST_LIMIT
    if more > 0:
        shown.append(f'<span class="muted">and {more:,} more</span>')
    return "<br>".join(shown)


def _table(rows: list[tuple[str, str]]) -> str:
    if not rows:
        return ""
    body = "".join(f'<tr><td class="key">{k}</td><td class="val">{v}</td></tr>' for k, v in rows)
    return f'<table cellspacing="0" cellpadding="2" width="100%">{body}</table>'


def _section(title: str, content: str) -> str:
    return f"<h3>{esc(title)}</h3>{content}" if content else ""


#: How far each reach metric looks, said beside its number (the header's reach is
#: k steps on the map; these count direct collaborators unless they say otherwise).
_SCOPE = {
    "teams_reached": "direct",
    "departments_reached": "direct",
    "org_reach": "direct",
    "reach_2": "within 2 steps",
}


def _metric_rows(
    metrics: dict[str, Any],
    section: str,
    entity: str,
    node: str,
    why: dict[str, list[str]] | None = None,
    expanded: set[str] | None = None,
) -> list[tuple[str, str]]:
    values = (metrics.get(section) or {}).get(node) or {}
    rows = []
    infos = metric_infos(entity)
    expanded = expanded or set()
    pending = pending_metrics(metrics)
    for info in infos:
        if info.name == "key_person_risk_detail":
            continue  # the detail is the "why" of key-person risk
        if info.name in pending:
            rows.append((esc(info.label), f'<span class="muted">{esc(PENDING_TEXT)}</span>'))
            continue
        if info.name not in values:
            continue
        text = present.value(values[info.name], info.fmt)
        if text == "":
            continue
        tip = f"{info.description} Source: {info.reference}."
        label = f'<span title="{esc(tip)}">{esc(info.label)}</span>'
        shown = esc(text)
        if info.name in _SCOPE:
            shown += f' <span class="muted">({_SCOPE[info.name]})</span>'
        lines = (why or {}).get(info.name)
        if lines:
            open_ = "*" in expanded or info.name in expanded
            shown += f' <a class="why" href="why:{info.name}">{"hide" if open_ else "why?"}</a>'
            if open_:
                shown += '<div class="whytext">' + "<br>".join(esc(x) for x in lines) + "</div>"
        rows.append((label, shown))
    return rows


def _why(org: Any, metrics: dict[str, Any], node: str) -> dict[str, list[str]]:
    if not metrics:
        return {}
    from orgmap.explain import explain

    relations = (metrics.get("summary") or {}).get("relations")
    return explain(org, metrics, node, relations)


def _by_kind(org: Any, node: str, kind: str, *, incoming: bool) -> list[tuple[str, dict]]:
    g = org.graph
    edges = (
        g.in_edges(node, keys=True, data=True)
        if incoming
        else g.out_edges(node, keys=True, data=True)
    )
    out = []
    for u, v, _key, data in edges:
        if data.get("kind") == kind:
            out.append((u if incoming else v, data))
    return out


def _sorted_people(org: Any, items: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(items, key=lambda it: org.label(it[0]).casefold())


def _reach_line(reach: tuple[int, int, int, int] | None) -> str:
    if reach is None:
        return ""
    k, people, teams, depts = reach
    steps = "step" if k == 1 else "steps"
    spans = [
        f"<b>{n:,}</b> {noun}{'s' if n != 1 else ''}"
        for n, noun in ((teams, "team"), (depts, "department"))
        if n
    ]
    across = f", across {' and '.join(spans)}" if spans else ""
    return (
        f'<p class="reach"><b>{people:,}</b> people within {k} {steps} on the map{across}'
        f' <span class="muted">(within {k} {steps}; the metrics below say direct or '
        "within 2 steps)</span></p>"
    )


def _person_html(
    org: Any,
    metrics: dict[str, Any],
    node: str,
    reach: tuple[int, int, int, int] | None = None,
    expanded: set[str] | None = None,
) -> str:
    g = org.graph
    d = g.nodes[node]
    attrs = []
    for key, label in _ATTRS:
        value = d.get(key)
        if value not in (None, ""):
            if key == "team" and g.has_node(f"team:{value}"):
                attrs.append((label, node_link(org, f"team:{value}")))
            elif key == "department" and g.has_node(f"department:{value}"):
                attrs.append((label, node_link(org, f"department:{value}")))
            else:
                attrs.append((label, esc(value)))
    for key, value in d.items():
        if key not in _SKIP_EXTRA and value not in (None, ""):
            attrs.append((esc(key.replace("_", " ").capitalize()), esc(value)))
    if d.get("external"):
        attrs.append(("Note", "not in the people data (named on a project or tie)"))
    managers = [(m, "") for m, _ in _by_kind(org, node, "reports_to", incoming=False)]
    dotted = [(m, "dotted line") for m, _ in _by_kind(org, node, "dotted_line", incoming=False)]
    reports = _sorted_people(
        org,
        [
            (r, g.nodes[r].get("title") or "")
            for r, _ in _by_kind(org, node, "reports_to", incoming=True)
        ],
    )
    mentees = _sorted_people(
        org, [(m, "") for m, _ in _by_kind(org, node, "mentors", incoming=False)]
    )
    mentors = _sorted_people(
        org, [(m, "") for m, _ in _by_kind(org, node, "mentors", incoming=True)]
    )
    projects = sorted(
        (
            (p, data.get("role") or "")
            for p, data in _by_kind(org, node, "works_on", incoming=False)
        ),
        key=lambda it: (_ROLE_ORDER.get(it[1], 3), org.label(it[0]).casefold()),
    )
    profile = _profile_block(org, metrics, node)
    parts = [
        _header(org, node, d.get("title") or "", "person"),
        _reach_line(reach),
        _section("Attributes", _table(attrs)),
        _section("Manager", _link_list(org, managers + dotted, "none (top of the org)")),
        _section(f"Projects ({len(projects)})", _link_list(org, projects)),
        _section(f"Reports ({len(reports)})", _link_list(org, reports)),
        _section(f"Mentees ({len(mentees)})", _link_list(org, mentees)),
        _section(f"Mentors ({len(mentors)})", _link_list(org, mentors)) if mentors else "",
        _section(
            "Metrics",
            _explain_all(expanded)
            + _table(
                _metric_rows(metrics, "people", "person", node, _why(org, metrics, node), expanded)
            ),
        ),
        profile,
        _source(d),
    ]
    return "".join(parts)


def _profile_block(org: Any, metrics: dict[str, Any], node: str) -> str:
    if not metrics.get("people"):
        return ""
    try:
        from orgmap.profile import impact_profile, profile_fragment

        text = profile_fragment(impact_profile(org, metrics, node))
    except Exception as exc:  # a profile failure must not blank the inspector
        text = f"<p>(impact profile unavailable: {esc(type(exc).__name__)}: {esc(exc)})</p>"
    return _section("Impact profile", text)


def _explain_all(expanded: set[str] | None) -> str:
    if expanded and "*" in expanded:
        return '<p><a href="why:*">Hide the explanations</a></p>'
    return '<p><a href="why:*">Explain every number</a></p>'


def _bridges(metrics: dict[str, Any], node: str) -> str:
    entries = ((metrics.get("teams") or {}).get(node) or {}).get("bridge_people") or []
    if not entries:
        return ""
    rows = []
    for e in entries[:_LIST_LIMIT]:
        flag = (
            f' <span class="warn">single point: only {esc(" - ".join(e["sole"]))}</span>'
            if e.get("sole")
            else ""
        )
        people = esc(", ".join(e["people"][:8])) + (
            f" and {len(e['people']) - 8} more" if len(e["people"]) > 8 else ""
        )
        rows.append((esc(e["team"]), f"{people} ({e['edges']} ties){flag}"))
    return _table(rows)


def _project_html(
    org: Any, metrics: dict[str, Any], node: str, expanded: set[str] | None = None
) -> str:
    d = org.graph.nodes[node]
    members = sorted(
        ((p, data.get("role") or "") for p, data in _by_kind(org, node, "works_on", incoming=True)),
        key=lambda it: (_ROLE_ORDER.get(it[1], 3), org.label(it[0]).casefold()),
    )
    teams: dict[str, int] = {}
    for person, _ in members:
        team = org.graph.nodes[person].get("team")
        if team and org.graph.has_node(f"team:{team}"):
            teams[f"team:{team}"] = teams.get(f"team:{team}", 0) + 1
    team_items = sorted(
        ((t, f"{n} {'person' if n == 1 else 'people'}"), n) for t, n in teams.items()
    )
    team_items = [it for it, _ in sorted(team_items, key=lambda x: -x[1])]
    attrs = []
    if d.get("team"):
        attrs.append(("Home team", esc(d["team"])))
    return "".join(
        [
            _header(org, node, "", "project"),
            _section("Attributes", _table(attrs)),
            _section(
                "Metrics",
                _explain_all(expanded)
                + _table(
                    _metric_rows(
                        metrics, "projects", "project", node, _why(org, metrics, node), expanded
                    )
                ),
            ),
            _section(f"Teams ({len(team_items)})", _link_list(org, team_items)),
            _section(f"Members ({len(members)})", _link_list(org, members)),
            _source(d),
        ]
    )


def _team_html(
    org: Any, metrics: dict[str, Any], node: str, expanded: set[str] | None = None
) -> str:
    d = org.graph.nodes[node]
    members = _sorted_people(
        org,
        [
            (p, org.graph.nodes[p].get("title") or "")
            for p, _ in _by_kind(org, node, "member_of", incoming=True)
        ],
    )
    dept = org.department_of(node)
    depts = [(dept, "")] if dept else []
    return "".join(
        [
            _header(org, node, "", "team"),
            _section("Department", _link_list(org, depts)) if depts else "",
            _section(
                "Metrics",
                _explain_all(expanded)
                + _table(
                    _metric_rows(metrics, "teams", "team", node, _why(org, metrics, node), expanded)
                ),
            ),
            _section("Partner teams and who carries each link", _bridges(metrics, node)),
            _section(f"Members ({len(members)})", _link_list(org, members)),
            _source(d),
        ]
    )


def _department_html(org: Any, metrics: dict[str, Any], node: str) -> str:
    teams = sorted(
        ((t, "") for t, _ in _by_kind(org, node, "part_of", incoming=True)),
        key=lambda it: org.label(it[0]).casefold(),
    )
    return _header(org, node, "", "department") + _section(
        f"Teams ({len(teams)})", _link_list(org, teams)
    )


def _header(org: Any, node: str, subtitle: str, kind: str) -> str:
    sub = f'<div class="sub">{esc(subtitle)}</div>' if subtitle else ""
    return (
        f'<div class="kind">{esc(_KIND_LABEL.get(kind, kind))}</div>'
        f"<h2>{esc(org.label(node))}</h2>{sub}"
    )


def _source(d: dict[str, Any]) -> str:
    if not d.get("source_file"):
        return ""
    where = esc(d.get("source_file"))
    if d.get("source_sheet"):
        where += f" &rsaquo; {esc(d['source_sheet'])}"
    if d.get("source_row") is not None:
        where += f" &rsaquo; row {esc(d['source_row'])}"
    return f'<p class="muted small">From {where}</p>'


def changes_html(title: str, rows: list[tuple[str, str, str, str]]) -> str:
    """A compared or what-if node's metrics: (metric, before, after, change) rows."""
    if not rows:
        return ""
    head = "<tr><th></th><th>before</th><th>after</th><th>change</th></tr>"
    body = "".join(
        f'<tr><td class="key">{esc(m)}</td><td>{esc(b)}</td><td>{esc(a)}</td><td>{esc(c)}</td></tr>'
        for m, b, a, c in rows
    )
    return _section(title, f'<table class="profile" cellspacing="0">{head}{body}</table>')


def inspector_html(
    org: Any,
    metrics: dict[str, Any] | None,
    node: str | None,
    reach: tuple[int, int, int, int] | None = None,
    expanded: set[str] | None = None,
) -> str:
    """The inspector page for ``node`` (escaped rich text), or a hint when none.

    ``expanded``: metric names whose "why" is shown open (``"*"``: all)."""
    if org is None or not node or not org.graph.has_node(node):
        return (
            '<p class="muted">Click a person, project or team on the map or in the explorer '
            "to see their details, metrics and reach.</p>"
        )
    metrics = metrics or {}
    kind = org.graph.nodes[node].get("kind")
    render = {
        "person": _person_html,
        "project": _project_html,
        "team": _team_html,
        "department": _department_html,
    }.get(kind)
    if render is None:
        return f"<h2>{esc(org.label(node))}</h2>"
    if kind == "person":
        return _person_html(org, metrics, node, reach, expanded)
    if kind == "department":
        return render(org, metrics, node)
    return render(org, metrics, node, expanded)


_CSS = """
h2 { margin: 0 0 2px 0; font-size: 17px; }
h3 { margin: 14px 0 4px 0; font-size: 12px; text-transform: uppercase;
     letter-spacing: 1px; color: #888888; }
.kind { font-size: 11px; text-transform: uppercase; letter-spacing: 1px; }
.sub { margin-bottom: 4px; }
.muted { color: #888888; }
.small { font-size: 11px; margin-top: 14px; }
td.key { color: #888888; padding-right: 10px; white-space: nowrap; }
pre.profile { white-space: pre-wrap; font-size: 12px; }
.whytext { color: #666666; font-size: 11px; margin: 2px 0 4px 0; }
.warn { color: #c0392b; font-weight: bold; }
table.profile td, table.profile th { padding: 2px 4px; }
table.profile th { color: #888888; text-align: left; }
p.reach { margin: 6px 0 2px 0; }
a { text-decoration: none; }
"""


class Inspector(QTextBrowser):
    """Rich-text details of the selection; ``nodeActivated(node)`` when a link is clicked."""

    nodeActivated = Signal(str)  # noqa: N815 - Qt signal naming

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspector")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDefaultStyleSheet(_CSS)
        self.anchorClicked.connect(self._on_anchor)
        self.node: str | None = None
        self.expanded: set[str] = set()
        #: (title, rows) of the shown node's before and after, while comparing
        self.changes: tuple[str, list[tuple[str, str, str, str]]] | None = None
        self.show_node(None, None, None)

    def show_node(
        self,
        org: Any,
        metrics: dict[str, Any] | None,
        node: str | None,
        reach: tuple[int, int, int, int] | None = None,
    ) -> None:
        """Show ``node``; ``reach`` is (k, people, teams, departments) within k steps."""
        self.node = node if org is not None and node and org.graph.has_node(node) else None
        if getattr(self, "_shown", (None, None, None))[2] != node:
            self.expanded = set()  # a new selection starts with every why closed
        self._shown = (org, metrics, node, reach)
        self._render()

    def set_changes(self, title: str, rows: list[tuple[str, str, str, str]] | None) -> None:
        """Before, after and change of the shown node (Compare, What-if); None: none."""
        self.changes = (title, rows) if rows else None
        if getattr(self, "_shown", None):
            self._render()

    def _render(self) -> None:
        page = inspector_html(*self._shown, self.expanded)
        changes = self.changes
        if changes is not None and self.node is not None:
            # after the header (its first section), before everything else
            cut = page.find("<h3>")
            extra = changes_html(*changes)
            page = page[:cut] + extra + page[cut:] if cut >= 0 else page + extra
        self.setHtml(page)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        # Links take their colour from the palette when the page is built: rebuild it
        # when the system switches between light and dark.
        if event.type() == QEvent.Type.PaletteChange and getattr(self, "_shown", None):
            self._render()
        super().changeEvent(event)

    def links(self) -> list[str]:
        """The node keys this page links to, in page order (for keyboard users and tests)."""
        import re

        return [unquote(m) for m in re.findall(r'href="node:([^"]+)"', self.toHtml())]

    def toggle_why(self, name: str) -> None:
        """Open or close the explanation of one metric (``"*"``: every metric)."""
        self.expanded ^= {name}
        bar = self.verticalScrollBar().value()
        self._render()
        self.verticalScrollBar().setValue(bar)  # stay where the reader clicked

    def _on_anchor(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("why:"):
            self.toggle_why(text[len("why:") :])
            return
        if text.startswith("node:"):
            self.nodeActivated.emit(unquote(text[len("node:") :]))
