"""Anonymized copies of an org: stable pseudonyms, and no combination of attributes rare
enough to point at one person.

Pseudonyms
----------
Each person gets ``Person 3F2A9C``, email ``person-3f2a9c@example.invalid`` and id
``P-3F2A9C``: the first hex digits of HMAC-SHA256(salt, source id). The same id and salt
give the same pseudonym on every run, so two anonymized maps of the same org can be
compared; without the salt nobody can compute them. With an empty salt anyone who can
guess ids can recompute the mapping, so share maps made with a secret ``--salt``.

Quasi-identifiers (k-anonymity)
-------------------------------
A name is not the only thing that identifies someone: the only "Staff Engineer, L6,
Platform, Berlin, started 2019-03-04" is one person whatever they are called. The
quasi-identifiers ``title, level, team, department, location, start_date`` are therefore
generalised until every combination shown is shared by at least ``min_group`` (k, default
5) people. One ladder, coarsest last, is walked step by step (each step is cumulative):

====  =====================================================
step  what is shown
====  =====================================================
0     every attribute as read
1     start date as its year
2     start date dropped
3     location dropped
4     title as its family (its last word: "Senior Software Engineer" -> "Engineer")
5     level as its band (L1-3, L4-6, ...; a level without a number is dropped)
6     title dropped
7     level dropped
8     team dropped (the department still shown)
9     department dropped: nothing shown (the person is "suppressed")
====  =====================================================

At each step the people not yet placed are grouped by what that step would show; every
group of at least k is placed there (shown at that step), and the rest go on to the next
step, grouped only among themselves. So people in common positions keep their detail and
only the rare ones are generalised (local recoding, deterministic: the same org gives the
same result). Every combination an output shows is shared by at least k people, counted
among exactly those shown with that combination; people with nothing shown are counted as
suppressed in the summary. A person whose team is dropped also loses the ``member_of``
link to it (the link would show the team).

What this does not hide: the graph's shape (whom someone reports to, their projects and
mentees) and metrics such as ``org_size`` still single out, say, the CEO. k-anonymity of
attributes protects against someone who knows a colleague's title, level, team, office
and start date; it is not a guarantee against someone who knows the org chart.

What is kept
------------
- structure: every node and edge (node keys renamed where they held a person's id),
  edge kinds, tie types and weights, project roles;
- for people only ``kind, id, name, email, external`` and the generalised
  quasi-identifiers; any other column (a phone number, an unmapped "Manager name", age,
  the source row that points back into the spreadsheet) is dropped, since it may name or
  identify someone;
- team, department and project names (they are the map's landmarks, not people);
- ``issues`` are dropped (their messages quote cell values) and the source files' names
  become ``input 1``, ``input 2``...
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from orgmap.model import Org, unique_name
from orgmap.nxgraph import fast_graph
from orgmap.overlay import Overlay

__all__ = [
    "anonymize",
    "anonymize_org",
    "anonymize_with_mapping",
    "pseudonym",
    "prepare",
    "rekey",
    "rekey_positions",
    "Anonymized",
    "Generalisation",
    "KEPT_PERSON_ATTRS",
    "QUASI_IDENTIFIERS",
    "LADDER",
    "DEFAULT_MIN_GROUP",
]

#: Every combination of quasi-identifiers shown is shared by at least this many people.
DEFAULT_MIN_GROUP = 5
#: The attributes that, together, can point at one person (shown in this order).
QUASI_IDENTIFIERS = ("title", "level", "team", "department", "location", "start_date")
#: The generalisation ladder: (attribute, what it becomes), applied cumulatively.
LADDER: tuple[tuple[str, str], ...] = (
    ("start_date", "year"),
    ("start_date", "dropped"),
    ("location", "dropped"),
    ("title", "family"),
    ("level", "band"),
    ("title", "dropped"),
    ("level", "dropped"),
    ("team", "dropped"),
    ("department", "dropped"),
)
#: Person attributes an anonymized org keeps (name, email and id are replaced).
KEPT_PERSON_ATTRS = ("kind", *QUASI_IDENTIFIERS, "external")
#: Non-person node attributes an anonymized org keeps.
KEPT_OTHER_ATTRS = ("kind", "name", "department", "team")
#: Edge attributes kept.
KEPT_EDGE_ATTRS = ("kind", "type", "weight", "role")
#: Metrics tables keyed by node.
_NODE_TABLES = ("people", "projects", "teams")

_DIGITS = 6
_BAND = 3
_LEVEL = re.compile(r"^(\D*?)\s*(\d+)\s*$")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
# title words that only rank within a family ("Engineer II", "Senior Engineer")
_RANK_WORD = re.compile(r"^(?:[ivx]+|\d+|[a-z]?\d+)$", re.IGNORECASE)


# -- pseudonyms --------------------------------------------------------------------------
def _digest(pid: str, salt: str) -> str:
    return hmac.new(salt.encode("utf-8"), pid.encode("utf-8"), hashlib.sha256).hexdigest()


def pseudonym(pid: str, salt: str = "", digits: int = _DIGITS) -> str:
    """The pseudonym code for source id ``pid`` (``"3F2A9C"``)."""
    return _digest(str(pid), salt)[:digits].upper()


def _codes(org: Org, salt: str) -> dict[str, str]:
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
        # identical ids give the same digest: told apart by order
        codes[p] = unique_name(digests[p][:n].upper(), taken, "{base}-{n}")
    return codes


# -- generalisation ----------------------------------------------------------------------
def title_family(title: str) -> str | None:
    """The last word of a title that is not a rank: ``"Software Engineer II"`` ->
    ``"Engineer"``; None when nothing is left."""
    words = [w for w in re.split(r"[\s,/()\-]+", title) if w]
    while words and _RANK_WORD.match(words[-1]):
        words.pop()
    return words[-1].capitalize() if words else None


def level_band(level: str) -> str | None:
    """``"L5"`` -> ``"L4-6"``, ``"12"`` -> ``"10-12"``; None for a level with no number."""
    m = _LEVEL.match(level)
    if m is None:
        return None
    n = int(m.group(2))
    if n < 1:
        return f"{m.group(1)}{n}"
    lo = ((n - 1) // _BAND) * _BAND + 1
    return f"{m.group(1)}{lo}-{lo + _BAND - 1}"


def start_year(value: Any) -> str | None:
    if isinstance(value, _dt.date):
        return str(value.year)
    m = _YEAR.search(str(value))
    return m.group(1) if m else None


_COARSER = {"year": start_year, "family": title_family, "band": level_band}
#: The rung between "as read" and "dropped", for the attributes that have one.
_RUNG = {a: h for a, h in LADDER if h != "dropped"}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


@dataclass
class Generalisation:
    """What :func:`anonymize_org` did to the quasi-identifiers, for the user to read."""

    min_group: int
    people: int = 0
    #: attribute -> {"kept": n, "year"/"family"/"band": n, "dropped": n} over people who had it
    attributes: dict[str, dict[str, int]] = field(default_factory=dict)
    #: people who had something to show and now show nothing
    suppressed: int = 0
    #: combinations shown (people with at least one attribute shown) and the smallest one
    groups: int = 0
    smallest_group: int | None = None

    def lines(self) -> list[str]:
        """The summary in words: one line for k, one per attribute changed."""
        head = (
            f"anonymized: names, emails and ids replaced; {self.people:,} people in "
            f"{self.groups:,} groups of at least {self.min_group} with the same "
            f"title, level, team, department, location and start date"
        )
        if self.smallest_group is not None:
            head += f" (smallest group {self.smallest_group})"
        lines = [head]
        for attr in QUASI_IDENTIFIERS:
            counts = self.attributes.get(attr, {})
            changed = {k: counts[k] for k in _WORDS if counts.get(k)}
            if not changed:
                continue
            label = attr.replace("_", " ")
            parts = [f"{v:,} {_WORDS[k]}" for k, v in changed.items()]
            lines.append(f"  {label}: {', '.join(parts)}; {counts.get('kept', 0):,} kept")
        if self.suppressed:
            lines.append(
                f"  {self.suppressed:,} people show none of these (no group of "
                f"{self.min_group} shared even their department)"
            )
        return lines

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


_WORDS = {
    "year": "as year",
    "family": "as title family",
    "band": "as level band",
    "dropped": "dropped",
}


def _row_keys(codes: np.ndarray, sizes: list[int]) -> np.ndarray:
    """One sortable key per row of ``codes``: the codes packed into one int64 when they
    fit (sorting rows as a whole is ten times slower), else the rows themselves."""
    bits = [max(1, int(size).bit_length()) for size in sizes]
    if sum(bits) > 63:
        return np.ascontiguousarray(codes).view(np.dtype((np.void, codes.shape[1] * 8))).ravel()
    key = np.zeros(len(codes), dtype=np.int64)
    for i, b in enumerate(bits):
        key = (key << b) | codes[:, i]
    return key


def generalise(
    org: Org, min_group: int = DEFAULT_MIN_GROUP
) -> tuple[dict[str, dict], Generalisation]:
    """``{person: {attribute: shown value}}`` (None = not shown) and the summary.

    Values are coded as integers per attribute (0 = not shown) so each rung is one array
    lookup and each grouping one ``np.unique`` over the people not yet placed: a second
    at 100k people instead of the ten a loop over tuples takes.
    """
    if min_group < 1:
        raise ValueError("min_group must be 1 or more")
    node_data = dict(org.graph.nodes(data=True))
    people = sorted(org.people())
    n, width = len(people), len(QUASI_IDENTIFIERS)
    # per attribute: value -> code (1, 2, ...) and back
    names: list[list[str | None]] = [[None] for _ in QUASI_IDENTIFIERS]
    index: list[dict[str, int]] = [{} for _ in QUASI_IDENTIFIERS]

    def code(i: int, value: str | None) -> int:
        if value is None:
            return 0
        c = index[i].get(value)
        if c is None:
            c = index[i][value] = len(names[i])
            names[i].append(value)
        return c

    rows = []
    for p in people:
        data = node_data[p]
        row = []
        for i, attr in enumerate(QUASI_IDENTIFIERS):
            value = data.get(attr)
            # the builder's text is already stripped: the common case needs no _text
            row.append(code(i, value if type(value) is str and value else _text(value)))
        rows.append(row)
    original = np.array(rows, dtype=np.int64).reshape(n, width)
    current = original.copy()
    shown = np.zeros_like(original)
    remaining = np.flatnonzero(original.any(axis=1))  # people with something to show
    for step in range(len(LADDER) + 1):
        if remaining.size == 0:
            break
        if step:
            # one attribute one rung coarser; each attribute is still as read when its
            # first rung comes (the ladder touches one attribute at a time), so rungs
            # compose
            attr, how = LADDER[step - 1]
            i = QUASI_IDENTIFIERS.index(attr)
            coarser = _COARSER.get(how)
            table = np.zeros(len(names[i]), dtype=np.int64)
            if coarser is not None:
                for c in range(1, len(names[i])):
                    table[c] = code(i, coarser(names[i][c]))  # type: ignore[arg-type]
            current[remaining, i] = table[current[remaining, i]]
        keys = current[remaining]
        _, inverse, counts = np.unique(
            _row_keys(keys, [len(v) for v in names]), return_inverse=True, return_counts=True
        )
        placed = (counts[inverse.ravel()] >= min_group) | ~keys.any(axis=1)
        shown[remaining[placed]] = keys[placed]
        remaining = remaining[~placed]
    assert remaining.size == 0  # the last rung shows nothing, so everyone is placed

    summary = Generalisation(min_group=min_group, people=n)
    had = original > 0
    for i, attr in enumerate(QUASI_IDENTIFIERS):
        before, after = original[:, i], shown[:, i]
        kept = int((had[:, i] & (after == before)).sum())
        dropped = int((had[:, i] & (after == 0)).sum())
        counts_of = {"kept": kept, "dropped": dropped}
        rung = _RUNG.get(attr)
        if rung is not None:
            counts_of[rung] = int(had[:, i].sum()) - kept - dropped
        summary.attributes[attr] = {k: v for k, v in counts_of.items() if v}
    visible = shown.any(axis=1)
    summary.suppressed = int((~visible & had.any(axis=1)).sum())
    if visible.any():
        _, sizes = np.unique(_row_keys(shown[visible], [len(v) for v in names]), return_counts=True)
        summary.groups, summary.smallest_group = len(sizes), int(sizes.min())
    result = {
        p: {a: names[i][int(shown[row, i])] for i, a in enumerate(QUASI_IDENTIFIERS)}
        for row, p in enumerate(people)
    }
    return result, summary


# -- the anonymized copy -----------------------------------------------------------------
@dataclass
class Anonymized:
    """An anonymized org, the ``{old node key: new node key}`` mapping, and what was
    generalised."""

    org: Org
    mapping: dict[str, str]
    summary: Generalisation
    #: The metrics and canvas positions re-keyed for ``org`` (:func:`prepare`).
    metrics: dict[str, Any] | None = None
    positions: dict[str, tuple[float, float]] | None = None


def anonymize_org(org: Org, salt: str = "", min_group: int = DEFAULT_MIN_GROUP) -> Anonymized:
    """Pseudonymise and generalise ``org`` (see the module docstring); ``org`` is not
    modified."""
    graph = org.graph
    codes = _codes(org, salt)
    shown, summary = generalise(org, min_group)
    mapping: dict[str, str] = {}
    nodes: dict[str, dict[str, Any]] = {}
    teamless: set[str] = set()
    for node, data in graph.nodes(data=True):
        if data.get("kind") == "person":
            code = codes[node]
            key = f"person:P-{code}"
            attrs: dict[str, Any] = {k: data[k] for k in ("kind", "external") if k in data}
            attrs.update({a: v for a, v in shown[node].items() if v is not None})
            attrs.update(
                id=f"P-{code}",
                name=f"Person {code}",
                email=f"person-{code.lower()}@example.invalid",
            )
            if shown[node]["team"] is None:
                teamless.add(node)
        else:
            key = node
            attrs = {k: data[k] for k in KEPT_OTHER_ATTRS if k in data}
        mapping[node] = key
        nodes[key] = attrs
    edges = {
        (mapping[u], mapping[v], k): {a: data[a] for a in KEPT_EDGE_ATTRS if a in data}
        for u, v, k, data in graph.edges(keys=True, data=True)
        # a person whose team is not shown is not linked to it either
        if not (u in teamless and data.get("kind") == "member_of")
    }
    # the builder's bulk graph fill: networkx's add_edges_from takes seconds at 100k
    new = fast_graph(nodes, edges)
    sheets = []
    files: dict[str, str] = {}
    for s in org.sheets:
        name = files.setdefault(s.file, f"input {len(files) + 1}")
        sheets.append(dataclasses.replace(s, file=name, sheet=f"{s.kind or 'table'}"))
    copy = Org(graph=new, issues=[], sheets=sheets, unreadable=[])
    return Anonymized(copy, mapping, summary)


def rekey(
    metrics: Mapping[str, Any] | None, mapping: Mapping[str, str], anon: Org | None = None
) -> dict[str, Any] | None:
    """``metrics`` (:func:`orgmap.metrics.compute_all`'s result, keyed by the original
    nodes) keyed by the anonymized ones; the summary's source names follow ``anon``.

    The one place metrics follow a re-keying: the HTML map, the graph export, the report
    and the GUI's exports all go through it.
    """
    if metrics is None:
        return None
    out: dict[str, Any] = {}
    for key, table in metrics.items():
        if key in _NODE_TABLES and isinstance(table, dict):
            out[key] = {mapping.get(n, n): vals for n, vals in table.items()}
        elif key == "summary" and isinstance(table, dict) and anon is not None:
            summary = dict(table)
            if "sheets" in summary:
                summary["sheets"] = [s.to_dict() for s in anon.sheets]
            if "unreadable_files" in summary:
                summary["unreadable_files"] = [
                    f"unreadable input {i + 1}" for i in range(len(summary["unreadable_files"]))
                ]
            out[key] = summary
        else:
            out[key] = table
    return out


def rekey_positions(
    positions: Mapping[str, tuple[float, float]] | None, mapping: Mapping[str, str]
) -> dict[str, tuple[float, float]] | None:
    """Canvas positions keyed by the anonymized nodes."""
    if positions is None:
        return None
    return {mapping.get(n, n): xy for n, xy in positions.items()}


def rekey_overlay(overlay: Overlay, mapping: Mapping[str, str]) -> Overlay:
    """An overlay in anonymized node keys; ghosts (people no longer in the org) lose
    their names, since no pseudonym was made for them."""
    from orgmap.overlay import Ghost

    # a ghost's key is an original node key too (person:<id>): it gets a neutral one
    ghost_keys = {k: f"ghost:{i + 1}" for i, k in enumerate(overlay.ghosts)}

    def key(n: str) -> str:
        return ghost_keys.get(n) or mapping.get(n) or "(not in this org)"

    return dataclasses.replace(
        overlay,
        paths=tuple(tuple(key(n) for n in p) for p in overlay.paths),
        marks={key(n): m for n, m in overlay.marks.items()},
        ghosts={
            ghost_keys[k]: Ghost("(not in this org)", g.x, g.y) for k, g in overlay.ghosts.items()
        },
    )


def prepare(
    org: Org,
    metrics: Mapping[str, Any] | None = None,
    salt: str = "",
    min_group: int = DEFAULT_MIN_GROUP,
    positions: Mapping[str, tuple[float, float]] | None = None,
) -> Anonymized:
    """Everything an output needs, anonymized: the org, its metrics and canvas positions
    re-keyed, and the summary of what was generalised, also recorded in
    ``metrics["summary"]["anonymized"]`` (so the report and the JSON say it too).

    The one entry point for the command line, the HTML map, the graph export and the
    GUI's exports.
    """
    result = anonymize_org(org, salt, min_group)
    result.metrics = rekey(metrics, result.mapping, result.org)
    if result.metrics is not None:
        _rename_named_lists(result.metrics, result.org)
    result.positions = rekey_positions(positions, result.mapping)
    if result.metrics is not None and isinstance(result.metrics.get("summary"), dict):
        result.metrics["summary"] = {
            **result.metrics["summary"],
            "anonymized": {**result.summary.to_dict(), "lines": result.summary.lines()},
        }
    return result


def _rename_named_lists(metrics: dict[str, Any], anon: Org) -> None:
    """The named lists (key-person risk detail, bridge people) are sentences holding real
    names: compute them again on the pseudonymised org, so no name survives."""
    from orgmap.metrics import risk, teams

    relations = (metrics.get("summary") or {}).get("relations")
    named = {
        ("people", "key_person_risk_detail"): lambda: risk.key_person_risk_detail(anon, relations),
        ("teams", "bridge_people"): lambda: teams.bridge_people(anon, relations),
    }
    for (section, name), compute in named.items():
        table = metrics.get(section)
        if not isinstance(table, dict) or not any(name in v for v in table.values()):
            continue
        values = compute()
        metrics[section] = {
            n: ({**v, name: values.get(n, [])} if name in v else v) for n, v in table.items()
        }


def anonymize_with_mapping(
    org: Org, salt: str = "", min_group: int = DEFAULT_MIN_GROUP
) -> tuple[Org, dict[str, str]]:
    """:func:`anonymize_org`'s org and ``{old node key: new node key}``.

    Callers holding data keyed by the original nodes (metrics, positions) translate it
    with :func:`rekey`.
    """
    result = anonymize_org(org, salt, min_group)
    return result.org, result.mapping


def anonymize(org: Org, salt: str = "", min_group: int = DEFAULT_MIN_GROUP) -> Org:
    """A copy of ``org`` with stable pseudonyms for every person and generalised
    quasi-identifiers (see the module docstring).

    Examples
    --------
    >>> from orgmap.model import Org
    >>> org = Org()
    >>> org.graph.add_node("person:ann@x.com", kind="person", id="ann@x.com", name="Ann")
    >>> anon = anonymize(org, salt="s3cret")
    >>> [d["name"].startswith("Person ") for _, d in anon.graph.nodes(data=True)]
    [True]
    """
    return anonymize_org(org, salt, min_group).org
