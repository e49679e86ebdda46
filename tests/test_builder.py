"""The pure row-builder: detection, references, validation and the reconciliation."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgmap.builder import build_org, detect
from orgmap.cells import normalize_id
from orgmap.tables import Table

PEOPLE = [
    {"Employee ID": 1, "Full Name": "Ada Lovelace", "Work Email": "ada@x.com", "Manager ID": None},
    {"Employee ID": 2, "Full Name": "Bo Chen", "Work Email": "bo@x.com", "Manager ID": 1},
    {"Employee ID": 3, "Full Name": "Cy Diaz", "Work Email": "cy@x.com", "Manager ID": "2.0"},
]


def people_table(rows=PEOPLE, **kw) -> Table:
    return Table.from_dicts(rows, file="hr.xlsx", sheet="People", **kw)


def codes(org) -> list[str]:
    return [i.code for i in org.issues]


def reconciles(org) -> bool:
    return all(s.rows_read == s.imported + s.rejected + s.blank + s.skipped for s in org.sheets)


def test_ids_are_normalized():
    assert normalize_id(1001) == normalize_id(1001.0) == normalize_id(" 1001 ") == "1001"
    assert normalize_id("1001.0") == "1001"
    assert normalize_id("") is None and normalize_id(None) is None


def test_header_below_title_rows_and_row_numbers():
    rows = [
        ["Acme Corp HR export"],
        ["Generated 2026-11-01"],
        [],
        ["Emp No", "Name", "Reports To", "Dept"],
        [10, "Ann", None, "R&D"],
        [11, "Ben", 99, "R&D"],
    ]
    org = build_org([Table.from_rows(rows, file="hr.xlsx", sheet="Staff")])
    spec = org.sheets[0]
    assert spec.kind == "people" and spec.header_row == 4
    assert spec.mapping == {
        "Emp No": "id",
        "Name": "name",
        "Reports To": "manager",
        "Dept": "department",
    }
    (issue,) = org.issues
    assert (issue.file, issue.sheet, issue.row, issue.column) == (
        "hr.xlsx",
        "Staff",
        6,
        "Reports To",
    )
    assert issue.severity == "warning" and issue.code == "unknown_manager"
    assert "99" in issue.message
    # the person with an unknown manager is kept, as a root
    assert org.graph.out_degree("person:11") == 0
    assert spec.rows_read == 2 and spec.imported == 2


def test_references_by_id_email_and_name():
    rows = [
        {"ID": "a1", "Name": "Ann Lee", "Email": "ann@x.com"},
        {"ID": "b2", "Name": "Ben Ng", "Email": "ben@x.com", "Manager": "ann@x.com"},
        {"ID": "c3", "Name": "Cat Ode", "Email": "cat@x.com", "Manager": "Ng, Ben"},
        {"ID": "d4", "Name": "Dan Poe", "Email": "dan@x.com", "Manager": "cat ode"},
    ]
    org = build_org([Table.from_dicts(rows)])
    assert not org.issues
    g = org.graph
    assert g.has_edge("person:b2", "person:a1", key="reports_to")
    assert g.has_edge("person:c3", "person:b2", key="reports_to")
    assert g.has_edge("person:d4", "person:c3", key="reports_to")


def test_ambiguous_manager_is_a_warning_not_a_guess():
    rows = [
        {"ID": 1, "Name": "Sam Smith"},
        {"ID": 2, "Name": "Sam Smith"},
        {"ID": 3, "Name": "Kim", "Manager": "Sam Smith"},
    ]
    org = build_org([Table.from_dicts(rows)])
    (issue,) = org.issues
    assert issue.code == "ambiguous_manager" and "1, 2" in issue.message
    assert org.graph.out_degree("person:3") == 0


def test_duplicate_id_rejected_first_kept():
    rows = [
        {"ID": 1, "Name": "Ann"},
        {"ID": "1.0", "Name": "Imposter"},
        {"ID": None, "Name": None, "Team": "X"},
    ]
    org = build_org([Table.from_dicts(rows)])
    assert codes(org) == ["duplicate_id", "missing_id"]
    assert org.graph.nodes["person:1"]["name"] == "Ann"
    assert [i.row for i in org.issues] == [3, 4]
    sheet = org.sheets[0]
    assert (sheet.imported, sheet.rejected) == (1, 2)


def test_self_manager_and_cycle_broken_and_named():
    rows = [
        {"ID": 1, "Name": "A", "Manager": 1},
        {"ID": 2, "Name": "B", "Manager": 3},
        {"ID": 3, "Name": "C", "Manager": 4},
        {"ID": 4, "Name": "D", "Manager": 2},
        {"ID": 5, "Name": "E", "Manager": 2},
    ]
    org = build_org([Table.from_dicts(rows)])
    assert codes(org) == ["self_manager", "reporting_cycle"]
    cycle = org.issues[1]
    assert all(f"({i})" in cycle.message for i in (2, 3, 4))
    # broken at one edge: the hierarchy is now a forest
    import networkx as nx

    reports = nx.DiGraph([(u, v) for u, v, k in org.graph.edges(keys=True) if k == "reports_to"])
    assert nx.is_directed_acyclic_graph(reports)
    assert reports.number_of_edges() == 3  # 2->3, 3->4 or 4->2 minus one, plus 5->2


def test_teams_departments_and_extras():
    rows = [
        {"ID": 1, "Name": "A", "Team": "Core", "Department": "Eng", "Age": "33", "Tenure": "9,5"},
        {"ID": 2, "Name": "B", "Team": "Core", "Department": "Eng", "Age": 40},
        {"ID": 3, "Name": "C", "Department": "Sales"},
    ]
    org = build_org([Table.from_dicts(rows, file="x.csv", sheet="x")])
    org2 = build_org([Table(file="x.csv", sheet="x", rows=people_rows(rows), decimal_comma=True)])
    g = org2.graph
    assert sorted(org.teams()) == ["team:Core"]
    assert sorted(org.departments()) == ["department:Eng", "department:Sales"]
    assert g.has_edge("person:1", "team:Core", key="member_of")
    assert g.has_edge("team:Core", "department:Eng", key="part_of")
    assert g.nodes["person:1"]["tenure"] == pytest.approx(9.5)
    assert g.nodes["person:1"]["age"] == 33
    assert g.nodes["person:3"]["department"] == "Sales"
    assert not any(k == "member_of" for _, _, k in g.out_edges("person:3", keys=True))


def people_rows(records):
    header = list(records[0])
    for r in records:
        for k in r:
            if k not in header:
                header.append(k)
    return [header] + [[r.get(h) for h in header] for r in records]


def test_first_and_last_name_columns():
    org = build_org(
        [Table.from_dicts([{"First Name": "Zoë", "Last Name": "Ñúñez", "Email": "z@x"}])]
    )
    (node,) = org.people()
    assert org.graph.nodes[node]["name"] == "Zoë Ñúñez"


def test_projects_lists_roles_external_and_duplicates():
    projects = Table.from_dicts(
        [
            {"Project": "Apollo", "Members": "1, 2\n3", "Lead": "ada@x.com"},
            {"Project": "Apollo", "Members": "2"},
            {"Project": "Zeus", "Members": "3; outsider@vendor.com"},
            {"Project": None, "Members": "1"},
        ],
        file="tracker.csv",
        sheet="tracker",
    )
    org = build_org([people_table(), projects])
    g = org.graph
    assert g.edges["person:1", "project:Apollo", "works_on"]["role"] == "lead"
    assert g.edges["person:2", "project:Apollo", "works_on"]["role"] == "contributor"
    ext = "person:outsider@vendor.com"
    assert g.nodes[ext]["external"] is True
    assert codes(org) == [
        "duplicate_membership",
        "duplicate_membership",
        "external_member",
        "missing_project",
    ]
    assert org.counts()["memberships"] == 5
    assert reconciles(org)


def test_roles_normalised_and_unknown_role_warned():
    projects = Table.from_dicts(
        [
            {"Project": "P", "Assignee": 1, "Role": "Tech Lead"},
            {"Project": "P", "Assignee": 2, "Role": "Sponsor"},
            {"Project": "P", "Assignee": 3, "Role": "Wizard"},
        ],
        sheet="Projects",
    )
    org = build_org([people_table(), projects])
    roles = {u: d["role"] for u, _, d in org.edges_of("works_on")}
    assert roles == {"person:1": "lead", "person:2": "stakeholder", "person:3": "contributor"}
    (issue,) = org.issues
    assert issue.code == "unknown_role" and issue.column == "Role" and issue.row == 4


def test_mentorship_by_email_and_bad_rows():
    mentoring = Table.from_dicts(
        [
            {"Mentor": "ada@x.com", "Mentee": "bo@x.com"},
            {"Mentor": "bo@x.com", "Mentee": "cy@x.com"},
            {"Mentor": "cy@x.com", "Mentee": "cy@x.com"},
            {"Mentor": "nobody@x.com", "Mentee": "bo@x.com"},
        ],
        file="mentoring.csv",
        sheet="mentoring",
    )
    org = build_org([people_table(), mentoring])
    assert org.counts()["mentorships"] == 2
    assert codes(org) == ["self_mentorship", "unknown_mentor"]
    err = org.issues[1]
    assert (err.severity, err.row, err.column) == ("error", 5, "Mentor")
    sheet = org.sheets[1]
    assert (sheet.rows_read, sheet.imported, sheet.rejected) == (4, 3, 1)


def test_ties_types_from_sheet_name_zero_weight_and_formal_relations():
    advice = Table.from_rows(
        [["ego", "alter", "edge"], [1, 2, 1], [1, 3, 0], [2, 3, "0,5"], [3, 1, "x"]],
        file="Advice.csv",
        sheet="Advice",
    )
    advice.decimal_comma = True
    reports = Table.from_rows(
        [["From", "To", "Type"], [9, 8, "reports to"], [8, 7, "Dotted line"]], sheet="links"
    )
    people = Table.from_dicts([{"ID": i} for i in (1, 2, 3, 7, 8, 9)])
    org = build_org([advice, reports, people])
    g = org.graph
    assert g.edges["person:1", "person:2", "tie:advice"]["weight"] == 1
    assert g.edges["person:2", "person:3", "tie:advice"]["weight"] == pytest.approx(0.5)
    assert not g.has_edge("person:1", "person:3")
    assert g.has_edge("person:9", "person:8", key="reports_to")
    assert g.has_edge("person:8", "person:7", key="dotted_line")
    # the zero is no tie: skipped and said once for the sheet, with its row
    assert codes(org) == ["zero_weight", "bad_weight"]
    zero = org.issues[0]
    assert zero.severity == "info" and zero.covers(3) and not zero.covers(2)
    assert org.sheets[0].skipped == 1
    assert reconciles(org)


def test_unrecognised_sheet_is_listed_not_dropped():
    notes = Table.from_rows(
        [["Random"], ["stuff"], [None], ["more"]], file="hr.xlsx", sheet="Notes"
    )
    org = build_org([people_table(), notes])
    issue = org.issues[-1]
    # a notes sheet is skipped as info (not an error: the exit code stays 0)
    assert issue.code == "sheet_skipped" and issue.sheet == "Notes"
    assert issue.severity == "info" and "not a table" in issue.message
    assert "rows 1-4" in issue.message
    assert org.sheets[-1].skipped == 3 and org.sheets[-1].blank == 1
    assert reconciles(org)


def test_mapping_overrides_detection():
    table = Table.from_dicts([{"Who": 1, "Chief": None}, {"Who": 2, "Chief": 1}], sheet="Staff")
    assert detect(table).kind is None
    org = build_org([table], mapping={"Staff.Who": "id", "Staff.Chief": "manager"})
    assert org.graph.has_edge("person:2", "person:1", key="reports_to")
    # and a column can be ignored
    org = build_org([people_table()], mapping={"People.Manager ID": "ignore"})
    assert org.counts()["reporting_lines"] == 0


def test_ignored_column_is_not_read_at_all():
    rows = [
        {"ID": 1, "Name": "A", "Team": "Core", "Department": "Eng"},
        {"ID": 2, "Name": "B", "Team": "Core", "Department": "Eng"},
    ]
    org = build_org([Table.from_dicts(rows, sheet="People")], mapping={"People.Team": "ignore"})
    assert org.teams() == []
    assert "team" not in org.graph.nodes["person:1"]
    assert org.sheets[0].mapping == {"ID": "id", "Name": "name", "Department": "department"}


def test_unmapped_column_never_overwrites_a_field():
    table = Table.from_rows([["ID", "Team", "Team"], [1, "Core", "Other"]], sheet="People")
    org = build_org([table])
    node = org.graph.nodes["person:1"]
    assert node["team"] == "Core" and node["column_team"] == "Other"


def test_dates_and_float_ids_from_workbooks():
    rows = [["ID", "Name", "Start Date", "Manager"], [1.0, "A", dt.datetime(2020, 1, 2), None]]
    rows.append([2.0, "B", dt.datetime(2021, 5, 6), 1.0])
    org = build_org([Table.from_rows(rows)])
    assert org.graph.nodes["person:1"]["start_date"] == "2020-01-02"
    assert org.graph.has_edge("person:2", "person:1", key="reports_to")


def test_dotted_line_several_managers():
    rows = [
        {"ID": 1, "Name": "A"},
        {"ID": 2, "Name": "B"},
        {"ID": 3, "Name": "C", "Manager": 1, "Dotted-Line Manager": "2; 99"},
    ]
    org = build_org([Table.from_dicts(rows)])
    assert org.graph.has_edge("person:3", "person:2", key="dotted_line")
    assert codes(org) == ["unknown_dotted_line"]


def test_cancel_raises_named_exception():
    from orgmap.model import Cancelled

    rows = [{"ID": i, "Name": f"P{i}"} for i in range(5000)]
    with pytest.raises(Cancelled):
        build_org([Table.from_dicts(rows)], cancel=lambda: True)


cell = st.one_of(
    st.none(),
    st.integers(-5, 50),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(["", " ", "1", "2.0", "a@x", "Sam Smith", "Smith, Sam", "=1+1", "\n"]),
)
headers = st.lists(
    st.sampled_from(
        [
            "ID",
            "Name",
            "Email",
            "Manager",
            "Team",
            "Dept",
            "Dotted Line",
            "Level",
            "Junk",
            "Project",
            "Members",
            "Mentor",
            "Mentee",
            "From",
            "To",
            "Weight",
        ]
    ),
    min_size=1,
    max_size=6,
    unique=True,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_table_reconciles_and_never_raises(data):
    tables = []
    for n in range(data.draw(st.integers(1, 3))):
        cols = data.draw(headers)
        body = data.draw(
            st.lists(st.lists(cell, min_size=len(cols), max_size=len(cols)), max_size=15)
        )
        tables.append(Table.from_rows([cols, *body], file=f"f{n}.csv", sheet=f"s{n}"))
    org = build_org(tables)
    assert reconciles(org)
    total = sum(len(t.rows) for t in tables)
    assert sum(s.rows_read for s in org.sheets) <= total
    for issue in org.issues:
        assert issue.file and issue.row is not None and issue.message


def test_fast_graph_equals_networkx_built_graph():
    import networkx as nx

    from orgmap.nxgraph import fast_graph as _fast_graph

    nodes = {"a": {"kind": "person"}, "b": {"kind": "person"}, "c": {"kind": "team"}}
    edges = {
        ("a", "b", "reports_to"): {"kind": "reports_to"},
        ("a", "b", "tie:advice"): {"kind": "tie", "weight": 2.0},
        ("b", "a", "tie:advice"): {"kind": "tie", "weight": 1.0},
        ("a", "c", "member_of"): {"kind": "member_of"},
    }
    fast = _fast_graph(nodes, edges)
    ref = nx.MultiDiGraph()
    ref.add_nodes_from(nodes.items())
    ref.add_edges_from((u, v, k, d) for (u, v, k), d in edges.items())
    assert nx.utils.graphs_equal(fast, ref)
    assert sorted(fast.in_edges("b", keys=True)) == sorted(ref.in_edges("b", keys=True))
    assert fast.number_of_edges() == 4 and fast.degree("a") == ref.degree("a")


def test_fast_graph_takes_the_public_api_outside_its_networkx_range(monkeypatch):
    import networkx as nx

    from orgmap import nxgraph

    nodes = {"a": {"kind": "person"}, "b": {"kind": "person"}}
    edges = {("a", "b", "reports_to"): {"kind": "reports_to"}, ("b", "a", "mentors"): {}}
    lo, hi = nxgraph.FAST_GRAPH_NETWORKX
    assert lo <= nxgraph.networkx_version() < hi  # the installed networkx is in range
    fast = nxgraph.fast_graph(nodes, edges)
    public = nxgraph.public_graph(nodes, edges)
    assert nx.utils.graphs_equal(fast, public)
    used = []
    monkeypatch.setattr(nxgraph, "public_graph", lambda *a: used.append(a) or public)
    nxgraph.fast_graph(nodes, edges)
    assert used == []
    monkeypatch.setattr(nx, "__version__", "4.0.1")
    assert nxgraph.fast_graph(nodes, edges) is public and len(used) == 1
    assert sorted(public.edges(keys=True)) == [("a", "b", "reports_to"), ("b", "a", "mentors")]


def test_a_person_reference_names_one_person_or_says_who_it_could_be():
    from orgmap.metrics.examples import OrgBuilder
    from orgmap.model import UnknownPerson

    b = OrgBuilder()
    b.person("k1", "Kim Ng", email="kim.ng@example.com").person("k2", "Kim Ng")
    b.person("z", "Zoë Adams")
    org = b.org()
    assert org.resolve_person("kim.ng@example.com") == "person:k1"
    assert org.resolve_person("Zoë Adams") == "person:z"
    with pytest.raises(UnknownPerson) as twice:
        org.resolve_person("Kim Ng", "--person")
    assert str(twice.value).startswith(
        "--person 'Kim Ng' matches 2 people: Kim Ng (k1); Kim Ng (k2)"
    )
    with pytest.raises(UnknownPerson) as nobody:
        org.resolve_person("Zoe Adam")
    assert "nobody with that id, email or name; closest: Zoë Adams (z)" in str(nobody.value)
    assert nobody.value.suggestions[0] == "Zoë Adams (z)"


def test_dates_read_in_the_formats_exports_write():
    from orgmap.cells import date_key

    # Jira's CSV ("dd/MMM/yy h:mm a"), day-month-name, month-name-first, ISO, US, EU
    assert date_key("23/Oct/26 4:00 PM") == "2026-10-23"
    assert date_key("03-Sep-2026") == "2026-09-03"
    assert date_key("Sep 3, 2026") == "2026-09-03"
    assert date_key("2026-09-03T10:00:00") == "2026-09-03"
    assert date_key("9/3/2026") == "2026-09-03"
    assert date_key("3.9.2026") == "2026-09-03"
    assert date_key("31/Feb/26") is None and date_key("12/Foo/26") is None
