"""Which table is which, and which column is which field: recognition by meaning.

A header is read the way an analyst reads it. It is folded and split into words (case,
accents, punctuation, ``camelCase``, ``snake_case``, ``Prefix_Field``, run-together
``REPORTSTOID``); qualifiers that do not change the meaning are set aside (primary,
work, business, legal, preferred, home, current, description, code...); a relation
word composes with a reference kind (``Coach Email`` is the mentor given by email,
``Reports To Associate ID`` the manager given by id); an id or name of something else
(``Issue id``, ``Position ID``) names no person. Each column gets candidates with a
score (an exact known header is the strongest evidence), the content of the column
confirms or refutes them (emails look like emails, a project column holds names, not
small numbers), and each table kind takes the best column per field. The result says,
per column, what it became and why, so ``orgmap validate`` and the import dialog can
show the evidence.

Pure: tables of raw cells in, :class:`TableSpec` out. :mod:`orgmap.builder` reads rows
with it.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from orgmap.model import fold
from orgmap.tables import Table

__all__ = [
    "FIELDS",
    "KINDS",
    "LIST_FIELDS",
    "ColumnGuess",
    "TableSpec",
    "detect",
    "header_tokens",
    "column_candidates",
    "is_placeholder",
    "employment_inactive",
    "mapping_matches",
    "header_signature",
    "HEADER_SCAN_ROWS",
]

PEOPLE, PROJECTS, MENTORSHIP, TIES = "people", "projects", "mentorship", "ties"
KINDS = (PEOPLE, PROJECTS, MENTORSHIP, TIES)
HEADER_SCAN_ROWS = 20

#: The fields each kind reads; anything else in its header stays a plain attribute.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    PEOPLE: (
        "id", "name", "first_name", "last_name", "email", "manager", "dotted_line", "mentor",
        "title", "level", "team", "department", "location", "start_date", "status",
        "snapshot_date",
    ),
    PROJECTS: ("project", "member", "members", "role", "lead", "stakeholder", "team", "date"),
    MENTORSHIP: ("mentor", "mentee"),
    TIES: ("source", "target", "weight", "type", "date"),
}  # fmt: skip
FIELDS: frozenset[str] = frozenset(f for fs in KIND_FIELDS.values() for f in fs)
#: Fields a table may fill from several columns (Jira repeats ``Watchers``).
LIST_FIELDS = frozenset({"members", "stakeholder"})
#: Fields whose values name a person, and so carry a reference kind (id, email, name).
REFERENCE_FIELDS = frozenset(
    {"manager", "dotted_line", "mentor", "mentee", "member", "members", "lead", "stakeholder",
     "source", "target"}
)  # fmt: skip

# -- vocabulary -------------------------------------------------------------------------
# Attribute concepts: phrases (space-separated words) -> field, with a strength. The
# strongest reading of a header wins; 1.0 is reserved for a header that is exactly a
# known name.
_ATTRIBUTES: dict[str, dict[str, float]] = {
    "id": {
        "id": 1, "employee id": 1, "employee no": 1, "employee number": 1, "emp id": 1,
        "emp no": 1, "empid": 1, "worker id": 1, "person id": 1, "personnel number": 1,
        "personnel no": 1, "staff id": 1, "staff number": 1, "staff no": 1, "associate id": 1,
        "user id": 0.95, "userid": 0.95, "badge": 0.8, "badge id": 0.9, "badge number": 0.9,
        "employee code": 0.85, "member id": 0.9, "employee key": 0.8, "hris id": 0.9,
        "username": 0.6, "user name": 0.6, "login": 0.6, "handle": 0.6,
    },
    "name": {
        "name": 1, "full name": 1, "employee name": 1, "worker": 0.95, "worker name": 1,
        "display name": 1, "person name": 1, "legal name": 1, "employee full name": 1,
        "associate name": 1, "staff name": 1, "employee": 0.7, "person": 0.7,
        "preferred full name": 1,
    },
    "first_name": {"first name": 1, "given name": 1, "forename": 1, "first": 0.8},
    "last_name": {"last name": 1, "surname": 1, "family name": 1, "last": 0.8},
    "email": {"email": 1, "e mail": 1, "mail": 0.9, "email address": 1, "e mail address": 1},
    "title": {
        "title": 1, "job title": 1, "position": 0.9, "position title": 1, "job name": 0.9,
        "designation": 0.8, "job profile": 0.7, "job": 0.6, "job role": 0.8, "role": 0.7,
        "employee title": 1,
    },
    "level": {
        "level": 1, "grade": 1, "band": 1, "job level": 1, "career level": 1, "job grade": 1,
        "pay grade": 0.9, "management level": 1, "level designation": 1, "seniority": 0.8,
        "job band": 1, "seniority level": 1, "salary grade": 0.8, "career band": 1,
    },
    "team": {"team": 1, "squad": 1, "group": 0.9, "pod": 0.9, "workgroup": 0.9,
             "work group": 0.9, "sub team": 0.9, "subteam": 0.9},
    "department": {
        "department": 1, "dept": 1, "division": 0.8, "org": 0.9, "organization": 0.95,
        "organisation": 0.95, "cost center": 0.8, "cost centre": 0.8, "org unit": 0.9,
        "organizational unit": 0.9, "organisational unit": 0.9, "organization unit": 0.9,
        "supervisory organization": 0.95, "function": 0.75, "business unit": 0.85,
        "function type": 0.7, "org name": 0.9,
    },
    "location": {
        "location": 1, "office": 1, "site": 1, "city": 0.8, "work location": 1,
        "office location": 1, "work site": 1, "work address": 0.7, "region": 0.6,
        "country": 0.6, "location name": 1, "address": 0.6, "area": 0.6,
    },
    "start_date": {
        "start date": 1, "hire date": 1, "date hired": 1, "join date": 1, "joining date": 1,
        "started on": 1, "date of joining": 1, "original hire date": 0.95,
        "employment start date": 1, "date started": 1, "seniority date": 0.7,
        "hiredate": 1, "start": 0.6, "hired": 0.8, "date of hire": 1, "joined": 0.8,
    },
    "status": {
        "status": 0.9, "employment status": 1, "employee status": 1, "position status": 1,
        "worker status": 1, "active status": 1, "lifecycle status": 1, "employment state": 1,
        "role state": 0.9, "active": 0.8, "state": 0.6, "employee state": 1,
    },
    # when a link was last active: a tie's date, a tracker issue's last update (recent
    # links count for more when the loop-in looks for a route)
    "date": {
        "date": 0.9, "updated": 0.9, "last updated": 1, "updated at": 1, "updated on": 1,
        "last activity": 1, "last activity date": 1, "last active": 0.9, "last contact": 1,
        "last contacted": 1, "last interaction": 1, "interaction date": 1,
        "meeting date": 1, "contact date": 1, "metric date": 0.9, "week": 0.6,
        "last modified": 0.9, "modified": 0.8, "completed at": 0.8, "completed": 0.6,
        "resolved": 0.7, "end date": 0.7, "timestamp": 0.9,
    },
    "snapshot_date": {
        "effective date": 1, "metric date": 1, "snapshot date": 1, "as of": 1,
        "as of date": 1, "snapshot": 0.9, "report date": 0.8, "effective": 0.9,
        "extract date": 0.9, "data date": 0.9, "week": 0.6, "period": 0.6,
    },
    "project": {
        "project": 1, "initiative": 1, "epic": 1, "program": 1, "programme": 1,
        "projects": 0.95, "initiatives": 0.95, "workstream": 0.9, "project title": 1,
        "initiative title": 1, "epic title": 1,
    },
    # the tracker's parent / epic: the initiative (Jira's own project is a team's board)
    "parent": {
        "epic name": 1, "epic link": 1, "parent summary": 1, "parent": 0.9,
        "epic link summary": 1, "parent epic": 1, "epic summary": 1, "parent name": 1,
    },
    "members": {
        "members": 1, "contributors": 1, "team members": 1, "assignees": 1, "people": 0.9,
        "participants": 1, "collaborators": 0.9, "project members": 1,
    },
    "role": {"role": 1, "project role": 1, "member role": 1, "responsibility": 0.8},
    "weight": {
        "weight": 1, "count": 0.9, "edge": 0.9, "tie": 0.9, "value": 0.8, "strength": 1,
        "frequency": 0.9, "score": 0.7, "tie strength": 1, "hours": 0.5,
        "strong tie score": 1, "strong tie": 0.9,
    },
    "type": {"type": 1, "tie type": 1, "relation": 1, "relationship": 1,
             "relation type": 1, "edge type": 1, "relationship type": 1},
}  # fmt: skip

# Relation words: a person related to the row's person, given by id, email or name.
_ROLES: dict[str, dict[str, float]] = {
    "manager": {
        "manager": 1, "reports to": 1, "reporting to": 1, "supervisor": 1,
        "line manager": 1, "direct manager": 1, "reporting manager": 1, "people manager": 1,
        "boss": 0.9, "direct supervisor": 1, "report to": 1, "reporting line": 0.9,
        "managed by": 1, "supervised by": 1,
    },
    "dotted_line": {
        "dotted line": 1, "dotted line manager": 1, "dotted line managers": 1,
        "matrix manager": 1, "functional manager": 1, "secondary manager": 1,
        "dotted line to": 1, "indirect manager": 0.9, "solid line": 0,
    },
    "mentor": {"mentor": 1, "coach": 1, "buddy": 0.9, "advisor": 0.6, "sponsor": 0.5},
    "mentee": {"mentee": 1, "protege": 1, "coachee": 1, "mentored": 0.8},
    "member": {"member": 1, "assignee": 1, "contributor": 1, "participant": 0.9,
               "assigned to": 1, "person": 0.6, "employee": 0.6},
    "lead": {"lead": 1, "owner": 1, "dri": 1, "project lead": 1, "project owner": 1,
             "tech lead": 1, "leads": 1, "project manager": 0.8, "product owner": 0.8,
             "accountable": 0.8},
    "stakeholder": {"stakeholder": 1, "stakeholders": 1, "sponsor": 0.9, "reviewer": 0.9,
                    "reviewers": 0.9, "consulted": 0.8, "informed": 0.7, "watchers": 0.9,
                    "watcher": 0.9, "followers": 0.8, "follower": 0.8},
    "source": {"from": 1, "ego": 1, "source": 1, "respondent": 1, "sender": 1,
               "primary collaborator": 1, "nominator": 1, "rater": 0.9, "organizer": 0.6},
    "target": {"to": 1, "alter": 1, "target": 1, "nominee": 1, "receiver": 1,
               "secondary collaborator": 1, "recipient": 1, "collaborator": 0.8,
               "attendee": 0.6},
}  # fmt: skip

# Words that name the reference kind after a relation word.
_REF_WORDS = {"id": "id", "no": "id", "number": "id", "num": "id", "nr": "id", "key": "id",
              "code": "id", "email": "email", "mail": "email", "name": "name"}  # fmt: skip
# Nouns that say "a person" and add nothing to a reference (``Manager Employee ID``).
_PERSON_NOUNS = frozenset(
    {"employee", "associate", "worker", "person", "user", "staff", "emp", "personnel",
     "member", "people", "e", "address", "full", "display", "preferred", "legal", "work",
     "primary", "business", "s", "hris"}
)  # fmt: skip
# Words set aside when reading an attribute: they qualify without changing the field.
_QUALIFIERS = frozenset(
    {"primary", "work", "business", "legal", "preferred", "home", "current", "description",
     "desc", "official", "main", "company", "corporate", "custom", "field", "contact",
     "the", "of", "full", "actual", "present", "latest", "his", "her", "their", "s",
     "name", "text", "label", "title", "or", "chosen", "nick",
     # a vendor's name before a field says whose field it is, not which
     "github", "gusto", "workday", "adp", "jira", "slack", "bamboohr", "bamboo", "hibob",
     "bob", "personio", "rippling", "sap", "successfactors", "sf", "viva", "asana",
     "linear", "atlassian", "okta", "azure", "ad", "google", "microsoft", "hris", "ats",
     # annotations some exports add to a header: "Status [READ ONLY]", "Email [Required]"
     "required", "optional", "mandatory", "read", "only", "readonly", "editable"}
)  # fmt: skip
# Qualifiers that weaken a reading a little: a code is weaker than its description.
_WEAK_QUALIFIERS = {"code": 0.15, "id": 0.15, "key": 0.15, "no": 0.15, "number": 0.15}
# Headers that name no field even though they contain field words.
_NEVER = frozenset(
    {"account name", "hr", "hr manager", "hr business partner", "hrbp", "hr partner", "hr rep",
     "parent task", "parent issue", "parent id", "parent key", "sub task", "subtask",
     "issue type", "project type", "task type", "work type", "worker type", "employee type",
     "employment type", "position type", "job type", "contract type", "time type",
     "manager level", "is manager", "manager flag", "people manager flag",
     "supervisor indicator", "manager indicator", "layer", "title case",
     "due date", "created", "created at", "email opt out", "direct reports", "number of direct reports",
     "reports count", "span of control", "headcount", "team size", "direct report count",
     "total reports", "manager count"}
)  # fmt: skip

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NUMERIC = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_DATE_TEXT = re.compile(
    r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
    r"|\d{1,2}[ /-][A-Za-z]{3,9}[ /-]\d{2,4}|[A-Za-z]{3,9} \d{1,2},? \d{4})([ T].*)?$"
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORD = re.compile(r"[a-z0-9]+")

_PLACEHOLDERS = frozenset(
    {"na", "nan", "none", "null", "nil", "nomanager", "nomgr", "nosupervisor", "blank",
     "unassigned", "notapplicable", "undefined", "missing", "unknown", "ref", "value",
     "div0", "name"}
)  # fmt: skip
_PLACEHOLDER_STARTS = frozenset("nNuUbBmMdDvVrR")
# Employment statuses that keep a person off the map (listed as an issue, not lost).
_INACTIVE = frozenset(
    {"terminated", "termed", "term", "inactive", "withdrawn", "deceased", "retired",
     "left", "leaver", "separated", "former", "exited", "dismissed", "resigned",
     "offboarded", "offboarding", "deactivated", "disabled", "suspended", "ended", "t",
     "i", "false", "no", "0", "archived", "deleted", "terminatedemployee"}
)  # fmt: skip
_ACTIVE = frozenset(
    {"active", "a", "true", "yes", "1", "employed", "current", "onleave", "leave",
     "leaveofabsence", "loa", "paidleave", "unpaidleave", "gardenleave", "hired",
     "onboarding", "preboarding", "new", "probation", "parentalleave", "activeemployee"}
)  # fmt: skip


_VENDOR_WORDS = re.compile(r"GitHub|GitLab|BambooHR|HiBob|SuccessFactors|LinkedIn", re.I)


def _words(text: str) -> list[str]:
    text = _VENDOR_WORDS.sub(lambda m: f" {m.group(0).lower()} ", str(text))
    text = text.replace("#", " no ").replace("№", " no ").replace("&", " and ")
    if not text.isascii():
        text = "".join(
            ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
        )
    return _WORD.findall(_CAMEL.sub(" ", text).lower())


@functools.cache
def _vocabulary() -> frozenset[str]:
    words: set[str] = set(_REF_WORDS) | set(_PERSON_NOUNS) | set(_QUALIFIERS)
    for table in (_ATTRIBUTES, _ROLES):
        for phrases in table.values():
            for phrase in phrases:
                words.update(phrase.split())
    for phrase in _NEVER:
        words.update(phrase.split())
    return frozenset(w for w in words if len(w) > 1 or w in {"e", "s"})


@functools.cache
def _segment(word: str) -> tuple[str, ...]:
    """``reportstoid`` -> ``reports to id``: split a run-together word into known words."""
    vocab = _vocabulary()
    if word in vocab or len(word) < 4 or word.isdigit():
        return (word,)
    n = len(word)
    best: list[tuple[str, ...] | None] = [None] * (n + 1)
    best[0] = ()
    for end in range(1, n + 1):
        for start in range(max(0, end - 16), end):
            prev = best[start]
            piece = word[start:end]
            if prev is not None and piece in vocab and (len(piece) > 1):
                cand = (*prev, piece)
                if best[end] is None or len(cand) < len(best[end]):  # type: ignore[arg-type]
                    best[end] = cand
    return best[n] if best[n] else (word,)


def header_tokens(header: Any) -> tuple[str, ...]:
    """The words of a header: ``PrimaryCollaborator_PersonId`` -> primary collaborator person id."""
    if header is None:
        return ()
    out: list[str] = []
    for word in _words(str(header)):
        out.extend(_segment(word))
    return tuple(out)


def _find(tokens: Sequence[str], phrase: tuple[str, ...]) -> int:
    n = len(phrase)
    for i in range(len(tokens) - n + 1):
        if tuple(tokens[i : i + n]) == phrase:
            return i
    return -1


@functools.cache
def _phrases(table_id: int) -> list[tuple[tuple[str, ...], str, float]]:
    table = _ATTRIBUTES if table_id == 0 else _ROLES
    items = [(tuple(p.split()), f, float(s)) for f, ps in table.items() for p, s in ps.items()]
    items.sort(key=lambda item: -len(item[0]))  # longest phrase first
    return items


@dataclass(frozen=True)
class Candidate:
    field: str
    score: float
    ref: str | None  # id, email or name, for fields that reference a person
    how: str  # in words: why this reading


@functools.cache
def column_candidates(header: str) -> tuple[Candidate, ...]:
    """Every field a header could name, strongest first (content not yet looked at)."""
    tokens = header_tokens(header)
    if not tokens:
        return ()
    joined = " ".join(tokens)
    if joined in _NEVER or " ".join(t for t in tokens if t not in _QUALIFIERS) in _NEVER:
        return ()
    found: dict[str, Candidate] = {}

    def offer(c: Candidate) -> None:
        if c.score > 0 and (c.field not in found or found[c.field].score < c.score):
            found[c.field] = c

    # a relation word, composed with a reference kind
    role_strength = 0.0
    for phrase, role, strength in _phrases(1):
        at = _find(tokens, phrase)
        if at < 0:
            continue
        role_strength = strength
        rest = tokens[:at] + tokens[at + len(phrase) :]
        refs = [_REF_WORDS[t] for t in rest if t in _REF_WORDS]
        other = [t for t in rest if t not in _REF_WORDS and t not in _PERSON_NOUNS]
        other = [t for t in other if t not in _QUALIFIERS]
        ref = "id" if "id" in refs else "email" if "email" in refs else refs[0] if refs else None
        if not other:
            score = strength * (0.97 if rest else 1.0)
            how = f"'{' '.join(phrase)}'" + (f" given by {ref}" if ref else "")
            offer(Candidate(role, score, ref, how))
        elif not _attribute_reading(tuple(other)) and len(other) == 1:
            offer(Candidate(role, strength * 0.5, ref, f"'{' '.join(phrase)}' (partly)"))
        elif strength >= 0.8:
            return ()  # "Manager Department" is an attribute of the manager: no field
        break
    for attr in _attribute_reading(tokens):
        if role_strength >= 0.8:  # "Coach Email" is the coach's email, not the row's
            attr = Candidate(attr.field, attr.score * 0.6, attr.ref, attr.how)
        offer(attr)
    return tuple(sorted(found.values(), key=lambda c: -c.score))


def _attribute_reading(tokens: tuple[str, ...]) -> list[Candidate]:
    core = tuple(t for t in tokens if t not in _QUALIFIERS or t in ("name", "title"))
    penalty = sum(_WEAK_QUALIFIERS.get(t, 0.0) for t in tokens)
    tries = [(core, 0.0)]
    if "name" in core:
        tries.append((tuple(t for t in core if t != "name"), 0.0))
    if "title" in core and len(core) > 1:
        tries.append((tuple(t for t in core if t != "title"), 0.05))
    stripped = tuple(t for t in core if t not in _WEAK_QUALIFIERS)
    if stripped != core:
        tries.append((stripped, penalty))
    codes_ok = {"department", "team", "location", "project", "parent", "level"}
    for words, cost in tries:
        if not words:
            continue
        hits = []
        for phrase, fieldname, strength in _phrases(0):
            if phrase == words and (not cost or fieldname in codes_ok):
                # exactly a known name is the strongest evidence; with qualifiers, a little less
                exact = 1.0 if words == tokens else 0.95
                if {"preferred", "chosen", "nick"} & set(tokens):
                    exact -= 0.05  # a preferred name is weaker than the legal one beside it
                how = f"'{' '.join(phrase)}'" + ("" if exact == 1.0 else " (qualifiers set aside)")
                hits.append(Candidate(fieldname, strength * exact - cost, None, how))
        if hits:
            return hits
    # a phrase inside a longer header, with one word more at most
    for phrase, fieldname, strength in _phrases(0):
        at = _find(stripped, phrase)
        if at < 0 or (penalty and fieldname not in codes_ok):
            continue
        extra = [t for t in stripped if t not in phrase]
        suffix = fieldname == "weight" and stripped[-1:] == phrase[-1:]
        if (len(extra) > 1 or len(phrase) == 1 and len(stripped) > 2) and not suffix:
            continue
        # "Gusto employee ID": a two-word person phrase keeps its meaning after a prefix
        person_phrase = len(phrase) > 1 and any(t in _PERSON_NOUNS for t in phrase)
        if (
            fieldname in ("id", "name")
            and not person_phrase
            and any(t not in _PERSON_NOUNS for t in extra)
        ):
            return []  # "Issue id", "Project name": an id or name of something else
        if fieldname in ("type", "status", "role") and extra:
            return []  # "Issue Type", "Task Status": of something else
        return [
            Candidate(fieldname, strength * 0.6 - penalty, None, f"contains '{' '.join(phrase)}'")
        ]
    return []


# -- content ------------------------------------------------------------------------------
def is_placeholder(value: Any) -> bool:
    """``NO_MANAGER``, ``N/A``, ``-``, ``none``, ``#N/A``: a filled cell that means empty."""
    if type(value) is not str:
        return False
    if value[:1].isalnum() and value[:1] not in _PLACEHOLDER_STARTS:
        return False  # most cells: a name or an id, decided at the first letter
    text = value.strip()
    if not text:
        return True
    if len(text) > 16:
        return False
    key = fold(text)
    return key in _PLACEHOLDERS or (not key and not text.isalnum())


def employment_inactive(value: Any) -> bool | None:
    """True for Terminated/Inactive/Withdrawn..., False for active, None when unknown."""
    if value is None or value == "":
        return None
    key = fold(str(value))
    if key in _INACTIVE or key.startswith("terminat") or key.startswith("inactiv"):
        return True
    if key in _ACTIVE or key.startswith("active") or "leave" in key:
        return False
    return None


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and bool(_NUMERIC.match(value.strip()))


def _is_date(value: Any) -> bool:
    if isinstance(value, _dt.date | _dt.datetime):
        return True
    if isinstance(value, int | float) and not isinstance(value, bool):
        return 20000 < value < 80000  # an Excel serial date
    return isinstance(value, str) and bool(_DATE_TEXT.match(value.strip()))


@dataclass
class _Column:
    values: list[Any]  # a sample of the non-empty values

    @functools.cached_property
    def n(self) -> int:
        return len(self.values)

    def share(self, test) -> float:
        return sum(1 for v in self.values if test(v)) / self.n if self.n else 0.0

    @functools.cached_property
    def distinct(self) -> int:
        return len({fold(str(v)) for v in self.values})


def _check(fieldname: str, col: _Column) -> tuple[bool, str]:
    """Does the content confirm the header's reading? (ok, evidence in words)."""
    if col.n == 0:
        return True, "no values to check"
    if fieldname == "email":
        share = col.share(lambda v: isinstance(v, str) and bool(_EMAIL.match(v.strip())))
        return share >= 0.8, f"{share:.0%} look like emails"
    if fieldname in ("project", "parent"):
        share = col.share(_is_number)
        if share >= 0.9:
            return False, f"{share:.0%} are numbers, not project names"
        return True, f"{col.distinct} distinct names"
    if fieldname == "level":
        if col.n >= 30 and col.distinct > max(40, col.n // 2):
            return False, f"{col.distinct} distinct values: too many for levels"
        return True, f"{col.distinct} distinct values"
    if fieldname in ("start_date", "snapshot_date", "date"):
        share = col.share(_is_date)
        return share >= 0.8, f"{share:.0%} are dates"
    if fieldname == "weight":
        share = col.share(_is_number)
        return share >= 0.6, f"{share:.0%} are numbers"
    if fieldname == "status":
        known = col.share(lambda v: employment_inactive(v) is not None)
        if known < 0.6:
            sample = ", ".join(sorted({str(v) for v in col.values})[:3])
            return False, f"values ({sample}) are not employment statuses"
        return True, f"{known:.0%} are employment statuses"
    if fieldname in ("name", "first_name", "last_name", "title", "team"):
        share = col.share(_is_number)
        if share >= 0.9 and fieldname != "team":
            return False, f"{share:.0%} are numbers, not names"
    if fieldname in ("manager", "mentor", "mentee", "source", "target", "member", "lead"):
        emails = col.share(lambda v: isinstance(v, str) and "@" in v)
        numbers = col.share(_is_number)
        if emails >= 0.8:
            return True, "values are emails"
        if numbers >= 0.8:
            return True, "values are ids"
    return True, ""


# -- the result ---------------------------------------------------------------------------
@dataclass
class ColumnGuess:
    """What one column became, and why."""

    index: int
    header: str
    field: str | None
    confidence: float = 0.0  # 0..1
    ref: str | None = None  # for reference fields: id, email or name
    evidence: str = ""
    #: detected (a guess), exact (a known header), user (mapped by hand), remembered
    source: str = "detected"

    @property
    def column_letter(self) -> str:
        n, letters = self.index + 1, ""
        while n:
            n, rem = divmod(n - 1, 26)
            letters = chr(65 + rem) + letters
        return letters

    def to_dict(self) -> dict[str, Any]:
        return {
            "column": self.column_letter,
            "header": self.header,
            "field": self.field,
            "confidence": round(self.confidence, 2),
            "reference": self.ref,
            "evidence": self.evidence,
            "source": self.source,
        }


@dataclass
class TableSpec:
    """How a table is read: its kind, where its header is, and which column is which field."""

    kind: str | None
    header_index: int | None  # index into table.rows of the (last) header row
    header_row: int | None  # as the spreadsheet shows it
    headers: list[str] = field(default_factory=list)
    columns: dict[int, str] = field(default_factory=dict)  # column index -> field
    #: Columns the user mapped to ``ignore``: not read at all.
    ignored: set[int] = field(default_factory=set)
    preview: list[list[Any]] = field(default_factory=list)
    #: One entry per header cell: the field it became (or None) and the evidence.
    guesses: list[ColumnGuess] = field(default_factory=list)
    #: Why the table was not classified (a notes sheet, a pivot, no known header).
    reason: str = ""
    #: True when the sheet looks like a table of data (and so deserves a mapping).
    tabular: bool = False
    #: In words, decisions about the whole table (second header row, tracker parents).
    notes: list[str] = field(default_factory=list)
    #: Rows are a tracker's issues (Jira, Asana, Linear, GitHub): a row with no epic or
    #: no person is normal there, and one person on many issues of an epic is one member.
    tracker: bool = False
    #: (issue key column, epic name column): an Epic Link holds the epic's key, and the
    #: epic's own row gives its name (Jira Server and Data Center exports).
    parent_names: tuple[int, int] | None = None
    #: The project column lists several (``Projects``: "Search, Billing").
    project_list: bool = False
    #: Reference field -> other columns that name the same person (tried by content).
    alternates: dict[str, list[int]] = field(default_factory=dict)

    def mapping_by_header(self) -> dict[str, str]:
        return {self.headers[i]: f for i, f in sorted(self.columns.items())}

    def field_column(self, fieldname: str) -> int | None:
        return next((i for i, f in self.columns.items() if f == fieldname), None)


# -- user mappings --------------------------------------------------------------------------
def _fold_header(text: Any) -> str:
    return fold(str(text).replace("#", "no")) if text is not None else ""


def _sheet_keys(table: Table) -> set[str]:
    return {fold(table.sheet), fold(table.file), fold(table.file.rsplit(".", 1)[0]), ""}


def _overrides_for(table: Table, mapping: Mapping[str, str] | None) -> dict[str, str]:
    """The ``SHEET.COLUMN=field`` entries that apply to this table, keyed by folded column."""
    if not mapping:
        return {}
    keys = _sheet_keys(table)
    result: dict[str, str] = {}
    for key, fieldname in mapping.items():
        parts = key.split(".")
        for cut in range(len(parts) - 1, -1, -1):
            sheet, column = ".".join(parts[:cut]), ".".join(parts[cut:])
            if sheet == "*" or fold(sheet) in keys:
                result[_fold_header(column)] = fieldname
                break
    return result


def mapping_matches(key: str, tables: Iterable[Table]) -> bool:
    """Whether ``SHEET.COLUMN`` names a column in the first rows of some table."""
    parts = key.split(".")
    for table in tables:
        keys = _sheet_keys(table)
        cells = {_fold_header(c) for row in table.rows[:HEADER_SCAN_ROWS] for c in row if c}
        for cut in range(len(parts) - 1, -1, -1):
            sheet, column = ".".join(parts[:cut]), ".".join(parts[cut:])
            if (sheet == "*" or fold(sheet) in keys) and _fold_header(column) in cells:
                return True
    return False


def header_signature(headers: Iterable[Any]) -> str:
    """A key for 'the same export again': the folded header cells, in order."""
    return "|".join(_fold_header(h) for h in headers if h not in (None, ""))


# -- detection ----------------------------------------------------------------------------
def _text_cell(cell: Any) -> str | None:
    if cell is None:
        return None
    text = str(cell).strip()
    return text or None


def _row_candidates(
    row: list[Any], overrides: Mapping[str, str]
) -> list[tuple[int, str, tuple[Candidate, ...]]]:
    out = []
    for i, cell in enumerate(row):
        text = _text_cell(cell)
        if text is None or len(text) > 80 or isinstance(cell, int | float | _dt.date):
            continue
        key = _fold_header(text)
        if key in overrides:
            fieldname = overrides[key]
            out.append((i, text, (Candidate(fieldname, 1.0, None, "mapped by hand"),)))
            continue
        cands = column_candidates(text)
        if cands:
            out.append((i, text, cands))
    return out


_REF_RANK = {"id": 3, "email": 2, "name": 1, None: 0}


def _as(kind: str, fieldname: str) -> str:
    """The field a reading fills in a table of ``kind``: a tracker's parent is the project."""
    return "project" if kind == PROJECTS and fieldname == "parent" else fieldname


def _assign(
    kind: str,
    cands: list[tuple[int, str, tuple[Candidate, ...]]],
    rejected: Mapping[tuple[int, str], str],
) -> dict[int, Candidate]:
    """The best column for each field of ``kind`` (one per field; list fields take all)."""
    allowed = set(KIND_FIELDS[kind])
    offers: list[tuple[float, int, int, Candidate]] = []
    for i, _text, cs in cands:
        for c in cs:
            f = c.field
            if f == "ignore":
                offers.append((2.0, 0, i, c))
                continue
            f = _as(kind, f)
            if kind == PROJECTS and f in ("id", "name", "email"):
                # in a membership list a person column names the member
                if (i, c.field) in rejected:
                    continue
                c = Candidate("member", c.score * 0.7, c.field, f"a person's {c.field}")
                f = "member"
            if f not in allowed:
                continue
            if (i, c.field) in rejected:
                continue
            bonus = 0.01 if c.field == "parent" else 0.0
            offers.append((c.score + bonus, _REF_RANK.get(c.ref, 0), i, c))
    # the strongest reading first; between readings of one field, the stronger reference
    offers.sort(key=lambda o: (-o[0], -o[1], o[2]))
    taken_fields: dict[str, int] = {}
    chosen: dict[int, Candidate] = {}
    for score, _rank, i, c in offers:
        if i in chosen:
            continue
        f = _as(kind, c.field)
        if f == "ignore":
            chosen[i] = c
            continue
        if f in taken_fields and f not in LIST_FIELDS:
            # a second reading of a reference field: id beats email beats name
            j = taken_fields[f]
            if _REF_RANK.get(c.ref, 0) > _REF_RANK.get(chosen[j].ref, 0) and score >= 0.8:
                del chosen[j]
                taken_fields[f] = i
                chosen[i] = c
            continue
        taken_fields[f] = i
        chosen[i] = c
    return chosen


def _kind_fields(kind: str, chosen: Mapping[int, Candidate]) -> dict[int, str]:
    return {i: _as(kind, c.field) for i, c in chosen.items()}


def _valid(kind: str, fields: set[str]) -> bool:
    if kind == PEOPLE:
        return bool({"id", "name", "email"} & fields) or {"first_name", "last_name"} <= fields
    if kind == PROJECTS:
        return "project" in fields and bool({"member", "members", "lead", "stakeholder"} & fields)
    if kind == MENTORSHIP:
        return {"mentor", "mentee"} <= fields
    return {"source", "target"} <= fields


def _sample(table: Table, start: int, index: int, limit: int = 400) -> _Column:
    """Non-empty values of one column below the header: the first ones and a spread."""
    rows = table.rows
    n = len(rows) - start
    if n <= 0:
        return _Column([])
    if n <= limit:
        picks: Iterable[int] = range(start, len(rows))
    else:
        step = n / (limit // 2)
        picks = list(range(start, start + limit // 2)) + [
            start + int(k * step) for k in range(limit // 2)
        ]
    values = []
    for r in picks:
        row = rows[r]
        if index < len(row):
            v = row[index]
            if v is None or (type(v) is str and (not v.strip() or is_placeholder(v))):
                continue
            values.append(v)
    return _Column(values)


def _table_score(kind: str, chosen: Mapping[int, Candidate]) -> float:
    fields = _kind_fields(kind, chosen)
    if not _valid(kind, set(fields.values())):
        return 0.0
    base = sum(c.score for c in chosen.values() if c.field != "ignore")
    key = {
        PEOPLE: ("id", "name", "email", "manager", "first_name"),
        PROJECTS: ("project", "member", "members", "lead"),
        MENTORSHIP: ("mentor", "mentee"),
        TIES: ("source", "target"),
    }[kind]
    bonus = sum(c.score for i, c in chosen.items() if fields[i] in key)
    return base + 2 * bonus


def _pick_kind(
    cands: list[tuple[int, str, tuple[Candidate, ...]]], rejected: Mapping[tuple[int, str], str]
) -> tuple[str | None, dict[int, Candidate], float]:
    results = {k: _assign(k, cands, rejected) for k in KINDS}
    scores = {k: _table_score(k, results[k]) for k in KINDS}
    valid = [k for k in KINDS if scores[k] > 0]
    if not valid:
        return None, {}, 0.0
    people_fields = set(_kind_fields(PEOPLE, results[PEOPLE]).values())
    # a membership list (name, email, project) is a projects table; an org chart with a
    # project column (it has reporting lines) is a people table
    for kind in (MENTORSHIP, TIES, PROJECTS):
        if kind in valid:
            org_chart = PEOPLE in valid and {"manager", "dotted_line"} & people_fields
            if org_chart and scores[PEOPLE] >= scores[kind]:
                continue
            return kind, results[kind], scores[kind]
    return PEOPLE, results[PEOPLE], scores[PEOPLE]


_PIVOT = re.compile(
    r"^(row labels|column labels|grand total|total|(count|sum|average|max|min) of .+)$", re.I
)


def _tabular(table: Table) -> bool:
    """Does the sheet hold a table of data (a header and rows of several columns)?

    A pivot (``Row Labels``, ``Count of ...``, ``Grand Total``) is a summary, not data.
    """
    for row in table.rows[:HEADER_SCAN_ROWS]:
        for cell in row:
            if isinstance(cell, str) and _PIVOT.match(cell.strip()):
                return False
    widths = [sum(1 for c in r if c is not None and str(c).strip()) for r in table.rows[:200]]
    wide = [w for w in widths if w >= 2]
    return len(wide) >= 3


def detect(table: Table, mapping: Mapping[str, str] | None = None) -> TableSpec:
    """Find a table's header row (within the first 20 rows), classify it, map its columns.

    ``mapping`` (``{"SHEET.COLUMN": field}``, field ``ignore`` to drop a column)
    overrides detection for the columns it names.

    Examples
    --------
    >>> spec = detect(Table.from_rows([["Associate ID", "Reports To Associate ID"], [1, 2]]))
    >>> spec.kind, spec.mapping_by_header()
    ('people', {'Associate ID': 'id', 'Reports To Associate ID': 'manager'})
    """
    overrides = _overrides_for(table, mapping)
    best: tuple[float, int, list] | None = None
    for index, row in enumerate(table.rows[:HEADER_SCAN_ROWS]):
        cands = _row_candidates(row, overrides)
        if not cands:
            continue
        kind, chosen, score = _pick_kind(cands, {})
        total = score + len(chosen) + (10 if kind else 0)
        if best is None or total > best[0]:
            best = (total, index, cands)
    if best is None:
        return TableSpec(
            kind=None,
            header_index=None,
            header_row=None,
            reason=f"no column names a known field in the first {HEADER_SCAN_ROWS} rows",
            tabular=_tabular(table),
        )
    _, index, cands = best
    notes: list[str] = []
    header_rows = [index]
    # SuccessFactors writes a second, human-readable header row under the technical one
    if index + 1 < len(table.rows):
        nxt = _row_candidates(table.rows[index + 1], overrides)
        filled = [c for c in table.rows[index + 1] if _text_cell(c)]
        if len(nxt) >= 3 and len(nxt) >= 0.5 * len(filled):
            mine = {c[2][0].field for c in cands}
            theirs = {c[2][0].field for c in nxt}
            if len(mine & theirs) >= 0.6 * min(len(mine), len(theirs)):
                header_rows.append(index + 1)
                notes.append(
                    f"row {table.first_row + index + 1} repeats the header in words; read as "
                    "part of the header"
                )
                by_col = {i: (t, cs) for i, t, cs in cands}
                for i, t, cs in nxt:
                    if i not in by_col or cs[0].score > by_col[i][1][0].score:
                        by_col[i] = (t, cs)
                cands = [(i, t, cs) for i, (t, cs) in sorted(by_col.items())]
    data_start = header_rows[-1] + 1
    # the content confirms or refutes each reading
    rejected: dict[tuple[int, str], str] = {}
    evidence: dict[tuple[int, str], str] = {}
    samples: dict[int, _Column] = {}
    for i, _t, cs in cands:
        col = samples[i] = _sample(table, data_start, i)
        for c in cs:
            if c.how == "mapped by hand":
                continue
            ok, why = _check("project" if c.field == "parent" else c.field, col)
            if why:
                evidence[(i, c.field)] = why
            if not ok:
                rejected[(i, c.field)] = why
    kind, chosen, _score = _pick_kind(cands, rejected)
    headers = [_text_cell(c) or f"column {i + 1}" for i, c in enumerate(table.rows[index])]
    if len(header_rows) > 1:
        for i, c in enumerate(table.rows[index + 1]):
            if i >= len(headers):
                headers.append(_text_cell(c) or f"column {i + 1}")
            elif not _text_cell(table.rows[index][i] if i < len(table.rows[index]) else None):
                headers[i] = _text_cell(c) or headers[i]
    columns = _kind_fields(kind, chosen) if kind else {}
    if kind == PROJECTS:
        # the tracker's own project is one team's board when an epic or parent is there
        parent = [i for i, c in chosen.items() if c.field == "parent"]
        boards = sorted(
            (
                (-c.score, i)
                for i, _t, cs in cands
                for c in cs
                if c.field == "project"
                and c.score >= 0.9  # a project's name, not its key or id
                and i not in chosen
                and (i, "project") not in rejected
            ),
        )
        if parent and boards and "team" not in columns.values():
            i = boards[0][1]
            chosen[i] = Candidate("team", 0.8, None, "the tracker's own project: a team's board")
            columns[i] = "team"
            notes.append(
                f"'{headers[parent[0]]}' is the initiative; '{headers[i]}' is the tracker's "
                "own project, read as the team"
            )
    why_not: dict[int, str] = {}
    if kind is not None:
        _refine(kind, table, data_start, headers, cands, chosen, columns, why_not)
    # other columns naming the same person (Assignee beside Assignee Id): the builder
    # keeps the one whose values it finds among the people
    alternates: dict[str, list[int]] = {}
    for f in sorted(set(columns.values()) & LIST_FIELDS):
        groups: dict[str, list[int]] = {}
        for i, g in columns.items():
            if g == f:
                groups.setdefault(fold(headers[i]), []).append(i)
        if len(groups) > 1:
            ranked = sorted(groups.values(), key=lambda cols: -chosen[cols[0]].score)
            for cols in ranked[1:]:
                for i in cols:
                    del columns[i]
                    alternates.setdefault(f, []).append(i)
    for i, f in list(columns.items()):
        if f not in REFERENCE_FIELDS or f in LIST_FIELDS:
            continue
        for j, _t, cs in cands:
            if j in chosen or j == i:
                continue
            if any(c.field == f and (j, f) not in rejected and c.score >= 0.5 for c in cs):
                alternates.setdefault(f, []).append(j)
    ignored = {i for i, f in columns.items() if f == "ignore"}
    columns = {i: f for i, f in columns.items() if f != "ignore"}
    guesses = _guesses(
        headers, cands, chosen, columns, rejected, evidence, kind, samples, why_not, alternates
    )
    if kind is None:
        reason = "no set of columns makes a people, projects, mentorship or ties table"
        if not _tabular(table):
            reason = "a summary or pivot (row labels, counts, totals), not a table of data"
        found = sorted({cs[0].field for _, _, cs in cands})
        if found:
            reason += f" (found only: {', '.join(found)})"
    else:
        reason = ""
    return TableSpec(
        kind=kind,
        header_index=data_start - 1,
        header_row=table.first_row + index,
        headers=headers,
        columns=columns,
        ignored=ignored,
        preview=[list(r) for r in table.rows[data_start : data_start + 10]],
        guesses=guesses,
        reason=reason,
        tabular=_tabular(table),
        notes=notes,
        alternates=alternates,
        tracker=kind == PROJECTS and _is_tracker(headers, chosen),
        parent_names=_parent_names(kind, headers, columns) if kind == PROJECTS else None,
        project_list=kind == PROJECTS
        and any(
            f == "project" and header_tokens(headers[i])[-1:] in (("projects",), ("initiatives",))
            for i, f in columns.items()
        ),
    )


_TRACKER_WORDS = frozenset(
    {"issue key", "issue id", "issue type", "task id", "summary", "status", "priority",
     "sprint", "labels", "url", "created", "created at", "updated", "due date", "estimate",
     "cycle name", "milestone", "repository", "section column", "completed at", "tags",
     "story points", "resolution", "reporter", "creator", "parent task", "parent issue"}
)  # fmt: skip


def _is_tracker(headers: list[str], chosen: Mapping[int, Candidate]) -> bool:
    """An issue tracker's export: its rows are issues or tasks, not memberships."""
    if any(c.field == "parent" for c in chosen.values()):
        return True
    found = {" ".join(header_tokens(h)) for h in headers} & _TRACKER_WORDS
    return len(found) >= 2


def _parent_names(
    kind: str, headers: list[str], columns: Mapping[int, str]
) -> tuple[int, int] | None:
    project = next((i for i, f in columns.items() if f == "project"), None)
    if project is None or "link" not in header_tokens(headers[project]):
        return None
    toks = [header_tokens(h) for h in headers]
    name = next((i for i, t in enumerate(toks) if "epic" in t and "name" in t), None)
    key = next((i for i, t in enumerate(toks) if t[-2:] == ("issue", "key") or t == ("key",)), None)
    if name is None or key is None:
        return None
    return key, name


def _refine(
    kind: str,
    table: Table,
    data_start: int,
    headers: list[str],
    cands: list[tuple[int, str, tuple[Candidate, ...]]],
    chosen: dict[int, Candidate],
    columns: dict[int, str],
    why_not: dict[int, str],
) -> None:
    """Decisions that need the whole table: which of two names, which of two ids."""

    def drop(i: int, why: str) -> None:
        columns.pop(i, None)
        chosen.pop(i, None)
        why_not[i] = why

    def col_of(f: str) -> int | None:
        return next((i for i, g in columns.items() if g == f), None)

    if kind == PEOPLE:
        name, first, last = col_of("name"), col_of("first_name"), col_of("last_name")
        if name is not None and first is not None and last is not None:
            col = _sample(table, data_start, name)
            rows = max(1, len(table.rows) - data_start)
            full = col.share(lambda v: " " in str(v).strip()) >= 0.6 and col.n >= 0.5 * rows
            if {"preferred", "chosen", "nick"} & set(header_tokens(headers[name])) and not full:
                # a preferred (first) name beside first and last name is a nickname
                drop(name, f"'{headers[name]}' is a preferred first name; the name is first + last")
            else:
                drop(first, f"'{headers[name]}' is the full name; '{headers[first]}' not needed")
                drop(last, f"'{headers[name]}' is the full name; '{headers[last]}' not needed")
        # two id columns (USERID, EMPID): the one the manager column refers to
        manager = col_of("manager")
        current = col_of("id")
        if manager is not None and current is not None:
            others = [
                i for i, _t, cs in cands if i not in chosen and any(c.field == "id" for c in cs)
            ]
            if others:
                refs = {fold(str(v)) for v in _sample(table, data_start, manager).values}

                def overlap(i: int) -> float:
                    vals = {fold(str(v)) for v in _sample(table, data_start, i).values}
                    return len(refs & vals) / len(refs) if refs else 0.0

                best = max([current, *others], key=lambda i: (overlap(i), i == current))
                if best != current and overlap(best) > overlap(current):
                    chosen[best] = Candidate(
                        "id", chosen[current].score, None,
                        f"'{headers[manager]}' refers to its values",
                    )  # fmt: skip
                    columns[best] = "id"
                    drop(
                        current,
                        f"'{headers[best]}' is the id: '{headers[manager]}' refers to its values "
                        f"({overlap(best):.0%}), not to '{headers[current]}' ({overlap(current):.0%})",
                    )
    if kind == PROJECTS and "team" in columns.values():
        board = col_of("team")
        if board is not None and chosen[board].how.startswith("the tracker's own project"):
            # columns about the tracker's project describe the board, not the initiative
            for i in list(columns):
                if (
                    i != board
                    and columns[i] in ("lead",)
                    and "project" in header_tokens(headers[i])
                ):
                    drop(i, f"'{headers[i]}' belongs to the tracker's project (the board)")


def _guesses(
    headers: list[str],
    cands: list[tuple[int, str, tuple[Candidate, ...]]],
    chosen: Mapping[int, Candidate],
    columns: Mapping[int, str],
    rejected: Mapping[tuple[int, str], str],
    evidence: Mapping[tuple[int, str], str],
    kind: str | None,
    samples: Mapping[int, _Column],
    why_not: Mapping[int, str],
    alternates: Mapping[str, list[int]],
) -> list[ColumnGuess]:
    by_col = {i: cs for i, _t, cs in cands}
    field_owner = {f: i for i, f in columns.items() if f not in LIST_FIELDS}
    out = []
    for i, header in enumerate(headers):
        cs = by_col.get(i, ())
        if i in columns or (i in chosen and chosen[i].field == "ignore"):
            c = chosen[i]
            f = columns.get(i, c.field)
            source = "user" if c.how == "mapped by hand" else "detected"
            if source == "detected" and c.score >= 0.99:
                source = "exact"
            ref = c.ref
            why = evidence.get((i, c.field), "")
            if f in REFERENCE_FIELDS and ref is None and i in samples:
                col = samples[i]
                if col.n and col.share(lambda v: isinstance(v, str) and "@" in v) >= 0.8:
                    ref = "email"
                elif col.n and col.share(_is_number) >= 0.8:
                    ref = "id"
            text = f"header {c.how}" if c.how != "mapped by hand" else c.how
            if why:
                text += f"; content: {why}"
            out.append(ColumnGuess(i, header, f, c.score, ref, text, source))
            continue
        if not cs:
            out.append(ColumnGuess(i, header, None, 0.0, None, "no field matches this header"))
            continue
        top = cs[0]
        alt_of = next((f for f, cols in alternates.items() if i in cols), None)
        if i in why_not:
            why = why_not[i]
        elif alt_of is not None:
            why = f"also reads as {alt_of}: used instead if its values are found among the people"
        elif (i, top.field) in rejected:
            why = f"header reads as {top.field} ({top.how}), but content says no: {rejected[(i, top.field)]}"
        elif kind and (top.field if top.field != "parent" else "project") not in KIND_FIELDS[kind]:
            why = f"reads as {top.field}, which a {kind} table does not use"
        elif top.field in field_owner:
            other = headers[field_owner[top.field]]
            why = f"also reads as {top.field}; '{other}' is the stronger reading"
        else:
            why = f"reads as {top.field}, not used"
        out.append(ColumnGuess(i, header, None, 0.0, None, why))
    return out
