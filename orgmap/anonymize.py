"""Stable pseudonyms: an org copy with no person's name, email or id left in it.

Each person gets ``Person 3F2A9C``, email ``person-3f2a9c@example.invalid`` and id
``P-3F2A9C``: the first hex digits of HMAC-SHA256(salt, source id). The same id and salt
give the same pseudonym on every run, so two anonymized maps of the same org can be
compared; without the salt nobody can compute them. With an empty salt anyone who can
guess ids can recompute the mapping, so share maps made with a secret ``--salt``.

What is kept, and why:

- structure: every node and edge (node keys renamed where they held a person's id),
  edge kinds, tie types and weights, project roles;
- for people only ``kind, id, name, email, title, level, team, department, location,
  external`` (pseudonymised where personal); any other column (a phone number, an
  unmapped "Manager name", age, start date, the source row that points back into the
  spreadsheet) is dropped, since it may name or identify someone;
- team, department and project names (they are the map's landmarks, not people);
- ``issues`` are dropped (their messages quote cell values).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import networkx as nx

from orgmap.model import Org

__all__ = ["anonymize", "anonymize_with_mapping", "pseudonym", "KEPT_PERSON_ATTRS"]

#: Person attributes an anonymized org keeps (name, email and id are replaced).
KEPT_PERSON_ATTRS = ("kind", "title", "level", "team", "department", "location", "external")
#: Non-person node attributes an anonymized org keeps.
KEPT_OTHER_ATTRS = ("kind", "name", "department", "team")
#: Edge attributes kept.
KEPT_EDGE_ATTRS = ("kind", "type", "weight", "role")

_DIGITS = 6


def _digest(pid: str, salt: str) -> str:
    return hmac.new(salt.encode("utf-8"), pid.encode("utf-8"), hashlib.sha256).hexdigest()


def pseudonym(pid: str, salt: str = "", digits: int = _DIGITS) -> str:
    """The pseudonym code for source id ``pid`` (``"3F2A9C"``)."""
    return _digest(str(pid), salt)[:digits].upper()


def anonymize_with_mapping(org: Org, salt: str = "") -> tuple[Org, dict[str, str]]:
    """:func:`anonymize`, also returning ``{old node key: new node key}``.

    Callers holding data keyed by the original nodes (metrics, positions) translate it
    through the mapping.
    """
    graph = org.graph
    people = sorted(org.people())
    # Codes: 6 hex digits; on the rare clash (about 1 in 3,000 pairs at 100k people) the
    # person whose full digest sorts later gets more digits, so the result does not depend
    # on the order people were read in.
    digests = {p: _digest(str(graph.nodes[p].get("id", p)), salt) for p in people}
    codes: dict[str, str] = {}
    taken: set[str] = set()
    for p in sorted(people, key=lambda q: (digests[q], q)):
        n = _DIGITS
        while digests[p][:n].upper() in taken and n < len(digests[p]):
            n += 1
        code = digests[p][:n].upper()
        if code in taken:  # identical ids: same digest; disambiguate by order
            k = 2
            while f"{code}-{k}" in taken:
                k += 1
            code = f"{code}-{k}"
        taken.add(code)
        codes[p] = code

    mapping: dict[str, str] = {}
    new = nx.MultiDiGraph()
    new_nodes = []
    for node, data in graph.nodes(data=True):
        if data.get("kind") == "person":
            code = codes[node]
            key = f"person:P-{code}"
            attrs: dict[str, Any] = {k: data[k] for k in KEPT_PERSON_ATTRS if k in data}
            attrs.update(
                id=f"P-{code}",
                name=f"Person {code}",
                email=f"person-{code.lower()}@example.invalid",
            )
        else:
            key = node
            attrs = {k: data[k] for k in KEPT_OTHER_ATTRS if k in data}
        mapping[node] = key
        new_nodes.append((key, attrs))
    new.add_nodes_from(new_nodes)
    # bulk insertion: add_edge per edge costs twice as much on a 100k-person org
    new.add_edges_from(
        (mapping[u], mapping[v], k, {a: data[a] for a in KEPT_EDGE_ATTRS if a in data})
        for u, v, k, data in graph.edges(keys=True, data=True)
    )
    copy = Org(graph=new, issues=[], sheets=list(org.sheets), unreadable=[])
    return copy, mapping


def anonymize(org: Org, salt: str = "") -> Org:
    """A copy of ``org`` with stable pseudonyms for every person (see the module docstring).

    Examples
    --------
    >>> from orgmap.model import Org
    >>> org = Org()
    >>> org.graph.add_node("person:ann@x.com", kind="person", id="ann@x.com", name="Ann")
    >>> anon = anonymize(org, salt="s3cret")
    >>> [d["name"].startswith("Person ") for _, d in anon.graph.nodes(data=True)]
    [True]
    """
    return anonymize_with_mapping(org, salt)[0]
