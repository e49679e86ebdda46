"""Pseudonyms: stable per salt, unique, and nothing personal left over."""

from __future__ import annotations

import pytest

import orgmap.anonymize as anon_mod
from orgmap.anonymize import anonymize, anonymize_with_mapping, pseudonym
from orgmap.builder import build_org
from orgmap.tables import Table


def people_org(n: int = 40):
    rows = [["Employee ID", "Name", "Email", "Title", "Team", "Department", "Manager ID", "Phone"]]
    for i in range(n):
        rows.append(
            [
                f"ann{i}@corp.example" if i % 2 else str(1000 + i),
                f"Real Name{i}",
                f"real.name{i}@corp.example",
                "Engineer",
                f"Team {i % 4}",
                "R&D",
                "" if i == 0 else str(1000),
                f"+1 555 01{i:02d}",
            ]
        )
    return build_org([Table(file="hr.xlsx", sheet="People", rows=rows)])


def test_same_salt_same_pseudonyms_other_salt_other() -> None:
    org = people_org()
    a = anonymize(org, "salt")
    b = anonymize(people_org(), "salt")
    c = anonymize(org, "pepper")

    def names(o):
        return sorted(d["name"] for _, d in o.graph.nodes(data=True) if d["kind"] == "person")

    assert names(a) == names(b)
    assert set(names(a)).isdisjoint(names(c))
    assert pseudonym("1000", "salt") == pseudonym("1000", "salt") != pseudonym("1000", "pepper")


def test_nothing_personal_survives() -> None:
    org = people_org()
    anon, mapping = anonymize_with_mapping(org, "k")
    text = repr(sorted(anon.graph.nodes(data=True))) + repr(sorted(anon.graph.edges(keys=True)))
    for p in org.people():
        d = org.graph.nodes[p]
        assert d["name"] not in text and d["email"] not in text
        assert p not in anon.graph  # keys held ids, some of them emails
    assert "corp.example" not in text and "555" not in text and "hr.xlsx" not in text
    assert anon.issues == []
    for node in anon.people():
        d = anon.graph.nodes[node]
        assert d["name"].startswith("Person ") and d["email"].endswith("@example.invalid")
        assert node == f"person:{d['id']}"
        assert d["title"] == "Engineer" and d["department"] == "R&D"  # the map keeps structure
    assert set(mapping) == set(org.graph.nodes)


def test_structure_is_preserved() -> None:
    org = people_org()
    anon, mapping = anonymize_with_mapping(org, "k")
    assert anon.counts() == org.counts()
    for u, v, k in org.graph.edges(keys=True):
        assert anon.graph.has_edge(mapping[u], mapping[v], key=k)
    # the original is untouched
    assert org.graph.nodes[org.people()[1]]["name"].startswith("Real Name")


def test_clashing_codes_still_give_unique_people(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(anon_mod, "_DIGITS", 1)  # 16 codes for 40 people: clashes guaranteed
    org = people_org(40)
    anon = anonymize(org, "k")
    names = [d["name"] for _, d in anon.graph.nodes(data=True) if d["kind"] == "person"]
    assert len(set(names)) == 40
    assert anon.graph.number_of_nodes() == org.graph.number_of_nodes()
