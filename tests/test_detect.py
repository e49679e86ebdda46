"""Headers are read by meaning: spelling, case, separators and qualifiers do not matter,
and text that names no field maps to nothing."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from orgmap.builder import build_org
from orgmap.detect import column_candidates, detect, header_tokens
from orgmap.tables import Table

# (words of a header, the field a reader of the export means); hand-written
KNOWN = [
    (["employee", "id"], "id"),
    (["associate", "id"], "id"),
    (["full", "name"], "name"),
    (["first", "name"], "first_name"),
    (["last", "name"], "last_name"),
    (["email"], "email"),
    (["job", "title"], "title"),
    (["management", "level"], "level"),
    (["department"], "department"),
    (["cost", "center"], "department"),
    (["hire", "date"], "start_date"),
    (["location"], "location"),
    (["employment", "status"], "status"),
    (["effective", "date"], "snapshot_date"),
    (["reports", "to"], "manager"),
    (["supervisor"], "manager"),
    (["matrix", "manager"], "dotted_line"),
    (["coach"], "mentor"),
    (["mentee"], "mentee"),
    (["initiative"], "project"),
    (["assignee"], "member"),
]
QUALIFIERS = ["primary", "work", "business", "legal", "current", "home"]


def spell(words: list[str], style: str) -> str:
    if style == "camel":
        return words[0] + "".join(w.capitalize() for w in words[1:])
    if style == "pascal":
        return "".join(w.capitalize() for w in words)
    if style == "snake":
        return "_".join(words)
    if style == "upper_snake":
        return "_".join(words).upper()
    if style == "kebab":
        return "-".join(words)
    if style == "title":
        return " ".join(w.capitalize() for w in words)
    if style == "dotted":
        return ". ".join(words)
    return " ".join(words).upper()


STYLES = ["camel", "pascal", "snake", "upper_snake", "kebab", "title", "dotted", "upper"]


@settings(max_examples=300, deadline=None)
@given(
    known=st.sampled_from(KNOWN),
    style=st.sampled_from(STYLES),
    qualifier=st.one_of(st.none(), st.sampled_from(QUALIFIERS)),
    pad=st.sampled_from(["", " ", "  ", "\t"]),
)
def test_any_spelling_of_a_known_field_maps_to_it(known, style, qualifier, pad):
    words, want = known
    if qualifier and want not in ("manager", "dotted_line", "mentor", "mentee", "member"):
        words = [qualifier, *words]
    header = pad + spell(words, style) + pad
    cands = column_candidates(header)
    assert cands, header
    assert cands[0].field == want, (header, cands)


def test_a_relation_composes_with_a_reference_kind():
    cases = {
        "Coach Email": ("mentor", "email"),
        "Reports To Associate ID": ("manager", "id"),
        "Manager - Employee ID": ("manager", "id"),
        "Supervisor Work Email": ("manager", "email"),
        "PrimaryCollaborator_PersonId": ("source", "id"),
        "SecondaryCollaborator_PersonId": ("target", "id"),
        "REPORTSTOID": ("manager", "id"),
        "Reports To Name": ("manager", "name"),
    }
    for header, (fieldname, ref) in cases.items():
        top = column_candidates(header)[0]
        assert (top.field, top.ref) == (fieldname, ref), header


def test_ids_and_names_of_other_things_name_no_person():
    for header in ["Issue id", "Position ID", "Task ID", "USERNAME x", "HR", "Parent task"]:
        fields = {c.field for c in column_candidates(header)}
        assert not fields & {"id", "name", "manager"}, (header, fields)
    # an attribute of a related person is not the relation
    assert column_candidates("Manager Department") == ()
    assert header_tokens("Work Contact: Work Email") == ("work", "contact", "work", "email")


WORDS = st.text(alphabet=string.ascii_lowercase, min_size=3, max_size=9).filter(
    lambda w: not column_candidates(w)
)


@settings(max_examples=200, deadline=None)
@given(words=st.lists(WORDS, min_size=1, max_size=4), style=st.sampled_from(STYLES))
def test_text_that_is_no_header_maps_to_nothing(words, style):
    # words that name nothing alone name nothing together (no accidental field)
    header = spell(words, style)
    assert column_candidates(header) == () or all(c.score < 0.5 for c in column_candidates(header))


def test_content_refutes_a_header_guess():
    # Viva Insights' person query: 'Initiative' is a numeric survey answer, not a project
    rows = [["PersonId", "MetricDate", "Initiative", "Organization"]]
    rows += [[f"p{i}", "2026-10-04", i % 5 + 1, "Sales"] for i in range(30)]
    spec = detect(Table.from_rows(rows))
    assert spec.kind == "people"
    assert spec.mapping_by_header() == {
        "PersonId": "id",
        "MetricDate": "snapshot_date",
        "Organization": "department",
    }
    initiative = next(g for g in spec.guesses if g.header == "Initiative")
    assert initiative.field is None and "numbers" in initiative.evidence
    # an Email column of non-emails is not the email
    rows = [["ID", "Name", "Email"]] + [[i, f"P {i}", f"desk {i}"] for i in range(20)]
    assert "Email" not in detect(Table.from_rows(rows)).mapping_by_header()


def test_terminated_people_stay_off_the_map_and_are_listed():
    table = Table.from_rows(
        [
            ["Employee ID", "Name", "Manager ID", "Position Status"],
            [1, "Ada", None, "Active"],
            [2, "Bo", 1, "Terminated"],
            [3, "Cy", 2, "Leave"],
        ],
        sheet="HR",
    )
    org = build_org([table])
    assert sorted(org.graph.nodes[n]["name"] for n in org.people()) == ["Ada", "Cy"]
    sheet = org.sheets[0]
    assert (sheet.imported, sheet.skipped) == (2, 1)
    gone = [i for i in org.issues if i.code == "inactive_person"]
    assert len(gone) == 1 and gone[0].row == 3 and gone[0].severity == "info"
    # Cy's manager is the terminated Bo: the warning says so, Cy stays a root
    why = next(i for i in org.issues if i.row == 4)
    assert "kept off the map" in why.message and "Terminated" in why.message


def test_placeholders_are_empty():
    table = Table.from_rows(
        [
            ["USERID", "MANAGER"],
            [1, "NO_MANAGER"],
            [2, 1],
            [3, "#N/A"],
            [4, "-"],
            [5, "n/a"],
        ]
    )
    org = build_org([table])
    assert org.counts()["reporting_lines"] == 1
    assert not [i for i in org.issues if i.severity != "info"]


def test_weekly_snapshots_load_the_latest_and_keep_the_others():
    rows = [["PersonId", "MetricDate", "ManagerId"]]
    for week in ("2026-10-04", "2026-10-11", "2026-10-18"):
        rows += [["a", week, None], ["b", week, "a"]]
    rows.append(["c", "2026-10-18", "b"])  # joined in the last week
    org = build_org([Table.from_rows(rows, sheet="q")])
    sheet = org.sheets[0]
    assert (sheet.imported, sheet.skipped, sheet.rejected) == (3, 4, 0)
    assert sheet.snapshots == ["2026-10-04", "2026-10-11", "2026-10-18"]
    # the earlier rows are listed by row number, not dropped
    note = next(i for i in org.issues if i.code == "earlier_snapshots")
    assert [r for r in range(2, 10) if note.covers(r)] == [2, 3, 4, 5]
    # and an earlier snapshot can be shown instead
    old = build_org([Table.from_rows(rows, sheet="q")], at="2026-10-11")
    assert len(old.people()) == 2


def test_repeated_headers_are_all_read_or_said():
    table = Table.from_rows(
        [
            ["Full Name", "ID", "Full Name"],
            ["Ada Lovelace", 1, "Augusta Ada King"],
        ]
    )
    org = build_org([table])
    node = org.graph.nodes["person:1"]
    assert node["name"] == "Ada Lovelace"
    assert node["full_name"] == "Augusta Ada King"  # the second one kept, not dropped
    said = [i for i in org.issues if i.code == "repeated_header"]
    assert len(said) == 1 and "A as name, C kept as an attribute" in said[0].message
