"""A realistic synthetic organization, for demos, tests and benchmarks.

:func:`generate` returns three sheets (``People``, ``Projects``, ``Mentorship``) as
rows with the header first, the way an HR export, a project tracker and a mentoring
list would hold them:

- one CEO at the top; each department headed by a VP (or a "Head of" when small);
  directors and senior managers between the VP and the team leads as the department's
  size demands; teams of 5-12 people (the lead included); departments added as the
  org grows (Engineering, Product, Design, Sales, Marketing, Operations, Finance,
  People, ...);
- levels ``L3``-``L8`` for individual contributors, ``L6`` (team lead) to ``L11``
  (SVP) for managers and ``L12`` for the CEO, with titles to match ("Senior Software
  Engineer", "Engineering Manager", "Director of Engineering", "VP Sales");
- a few people with a dotted-line manager in another department (``;``-separated
  when there are several);
- unique work emails ``first.last@example.com``; names from a diverse built-in list,
  accents included ("José", "Zoë", "Łukasz") so encodings get exercised; in orgs of
  1,000 or more a few people share a full name, as in real companies, which is why
  every reference uses an employee id or an email;
- ``people // 20`` projects, one row per membership, the member named by employee id
  or email; most stay inside one team, about a fifth span 2-3 teams, a few span many
  departments (org-wide); every project has at least one lead; roles use the variants
  trackers use ("Lead", "Tech Lead", "DRI", "Engineer", "Sponsor", ...);
- ``people // 5`` mentorships by work email, always from a more senior mentor to a more
  junior mentee, so mentees at mid levels mentor juniors in turn (chains), never a loop.

Everything comes from one ``random.Random(seed)``: the same arguments give the same
rows. Generation is linear in ``people`` (100,000 people take about two seconds).

``dirty=True`` returns the same org plus the faults real exports carry, so
validation has something to find. The faults, all present whenever ``people >= 20``:

People sheet
    1. two title rows above the header: ``Acme Corp HR export`` and
       ``Generated 2026-01-15 07:30 UTC``;
    2. a duplicate employee id: a second, different person with an existing id,
       placed after the first one (the first should be kept);
    3. a row with no id and no name (a "Contractor" placeholder with a team);
    4. an unknown manager id (``99999``);
    5. a self manager (a person whose Manager ID is their own id);
    6. a reporting cycle A -> B -> C -> A among three people of one team;
    7. ids written as text ``"1042.0"`` and ``" 1042 "`` in Manager ID cells (they
       must resolve like ``1042``), and the same in Projects' Member cells;
    8. two blank rows in the middle;
    9. a formula-looking full name ``=HYPERLINK("http://x","y")`` (written as text,
       never as a formula);
    10. an HTML-looking team name ``<b>Ops</b>`` (a whole team, also in Projects) and
        an HTML-looking job title ``<img src=x onerror=alert(1)>``;

Projects sheet
    11. a member not in the people data (``pat.contractor@partner-agency.com``,
        to be kept as an external person);
    12. a duplicate membership (the same project and member twice);
    13. an unknown role ``Wizard``;
    14. a blank row in the middle;

Mentorship sheet
    15. a self mentorship;
    16. an unknown mentor email (``ghost.mentor@example.com``);
    17. a blank row in the middle.

:func:`write_xlsx` and :func:`write_csv_folder` save the sheets (atomically);
:func:`sample_org` builds the org in memory without touching the disk.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import random
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from orgmap.safety import atomic_path, atomic_write_text, safe_cell

if TYPE_CHECKING:  # the builder is only needed by sample_org
    from orgmap.model import Org

__all__ = [
    "PEOPLE_HEADER",
    "PROJECTS_HEADER",
    "MENTORSHIP_HEADER",
    "SHEETS",
    "generate",
    "write_xlsx",
    "write_csv_folder",
    "sample_org",
    "count_rows",
]

PEOPLE_HEADER = [
    "Employee ID",
    "Full Name",
    "Work Email",
    "Manager ID",
    "Dotted Line Manager",
    "Job Title",
    "Level",
    "Team",
    "Department",
    "Location",
    "Start Date",
]
PROJECTS_HEADER = ["Project", "Member", "Role", "Team"]
MENTORSHIP_HEADER = ["Mentor", "Mentee"]
SHEETS = ("People", "Projects", "Mentorship")

#: Faults need a handful of individual contributors to land on.
MIN_DIRTY_PEOPLE = 20


# -- names ------------------------------------------------------------------------------
def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "James Mary José Zoë Aisha Wei Priya Mohammed Olga Kenji Sofía Chloé Björn Ingrid "
    "Søren Anaïs Łukasz Ayşe Thảo Chidi Ngozi Oluwaseun Mateus João François Hélène "
    "Renée Zoltán Małgorzata Dmitri Yuki Hiroshi Min-jun Seo-yeon Ananya Rahul Fatima "
    "Omar Leila Amir Noa Avi Kwame Amara Thandiwe Sipho Mei Jun Carlos Lucía Diego "
    "Valentina Camila Mateo Liam Emma Olivia Noah Ava Ethan Isabella Lucas Mia Elijah "
    "Harper Aarav Diya Ishaan Saanvi Arjun Kavya Tariq Yasmin Hamza Nour Elif Emre Anna "
    "Jan Eva Piotr Katarzyna Tomás Ana Pedro Beatriz Inês Rui Giulia Marco Chiara Luca "
    "Francesca Pierre Camille Léa Julien Margaux Lars Astrid Nils Freya Oskar Maja Sven "
    "Siobhán Seán Niamh Aoife Ciarán Grace Daniel Sarah David Rachel Michael Laura "
    "Robert Jennifer William Elizabeth Thomas Jessica Christopher Ashley Matthew Emily "
    "Andrew Hannah Joshua Samantha Kevin Nicole Brian Stephanie Ryan Rebecca Jamal "
    "Keisha Darnell Imani Malik Aaliyah Andre Tanisha Hyun-woo Ji-ho Tuan Linh Bao Anh "
    "Rizwan Sana Bilal Zainab Kofi Abena Tendai Nia Xin Hao Ming Sakura Haruto Aiko "
    "Raúl Ximena Joaquín Dolores Gabriel Manon Jürgen Käthe Dagný Þóra Ólafur Ewa"
)

LAST_NAMES = _words(
    "Smith Johnson Williams Brown Jones García Martínez Rodríguez López Hernández "
    "González Pérez Sánchez Ramírez Torres Nguyễn Tran Le Pham Kim Lee Park Choi Wang "
    "Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Patel Sharma Singh Kumar Gupta Reddy "
    "Iyer Nair Khan Ahmed Ali Hussain Rahman Haddad Nasser Cohen Levi Friedman Müller "
    "Schmidt Schneider Fischer Weber Meyer Wagner Becker Schäfer Köhler Dubois Lefèvre "
    "Moreau Laurent Girard Bernard Rossi Russo Ferrari Esposito Bianchi Romano Silva "
    "Santos Oliveira Souza Costa Pereira Ferreira Gonçalves Almeida Kowalski Nowak "
    "Wiśniewski Wójcik Novák Dvořák Horváth Nagy Kovács Szabó Ivanov Petrov Sokolov "
    "Popescu Yılmaz Kaya Demir Şahin Öztürk Andersson Johansson Karlsson Nilsson "
    "Eriksson Larsen Hansen Jensen Nielsen Sørensen Virtanen Korhonen O'Brien O'Connor "
    "Murphy Kelly Walsh MacDonald Campbell Stewart Okafor Adeyemi Okonkwo Mensah "
    "Boateng Mwangi Otieno Dlamini Nkosi Tanaka Suzuki Sato Takahashi Watanabe Yamamoto "
    "Nakamura Kobayashi Ito Wilson Taylor Anderson Thomas Jackson White Harris Martin "
    "Thompson Moore Clark Lewis Robinson Walker Young Allen King Wright Scott Green "
    "Baker Adams Nelson Hill Mitchell Roberts Carter Phillips Evans Turner Parker "
    "Collins Edwards Morris Rogers Reed Cook Morgan Bell Cooper Richardson Howard Ward "
    "Peterson Gray Watson Brooks Sanders Price Bennett Wood Barnes Ross Henderson "
    "Coleman Jenkins Perry Powell Hughes Flores Washington Butler Foster Bryant Russell "
    "Griffin Díaz Hayes Jónsdóttir Guðmundsson Þórsson Ferreira-Lima Abdullah Mahmoud"
) + ("van der Berg", "de Jong", "Da Silva", "Ben-David", "St. Clair")

# Letters NFKD does not take apart; mapped by hand for email addresses.
_ASCII = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "đ": "d", "æ": "ae", "œ": "oe",
     "ı": "i", "þ": "th", "Þ": "Th", "ð": "d"}
)  # fmt: skip


def _email_part(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())


# -- departments ------------------------------------------------------------------------
# name, share of headcount, manager title, IC roles (first is the most common), team names
_DEPARTMENTS: tuple[tuple[str, float, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("Engineering", 38, "Engineering Manager",
     ("Software Engineer", "Software Engineer", "Software Engineer", "Site Reliability Engineer",
      "QA Engineer", "Data Engineer"),
     ("Platform", "Payments", "Search", "Mobile", "Infrastructure", "Identity", "Checkout",
      "Observability", "Storage", "Billing", "Public API", "Web", "Developer Experience",
      "Reliability", "Messaging", "Notifications", "Risk", "ML Platform", "Integrations",
      "Frontend Foundations", "Core Services", "Data Platform")),
    ("Product", 7, "Group Product Manager", ("Product Manager", "Product Analyst"),
     ("Core Product", "Growth Product", "Platform Product", "Enterprise Product",
      "Mobile Product", "Monetization")),
    ("Design", 5, "Design Manager", ("Product Designer", "UX Researcher", "Content Designer"),
     ("Product Design", "Design Systems", "UX Research", "Brand Design", "Content Design")),
    ("Sales", 14, "Sales Manager",
     ("Account Executive", "Sales Development Representative", "Solutions Engineer"),
     ("NA Enterprise", "NA Mid-Market", "EMEA Enterprise", "EMEA Commercial", "APAC",
      "LATAM", "Public Sector", "Sales Engineering", "Inside Sales", "Strategic Accounts")),
    ("Marketing", 6, "Marketing Manager",
     ("Product Marketing Specialist", "Content Marketer", "Growth Marketer",
      "Marketing Analyst"),
     ("Product Marketing", "Demand Generation", "Brand", "Communications", "Events",
      "Lifecycle Marketing")),
    ("Operations", 5, "Operations Manager",
     ("Operations Analyst", "Program Manager", "Business Operations Specialist"),
     ("Business Operations", "Workplace", "Procurement", "Revenue Operations",
      "Strategy & Planning")),
    ("Finance", 4, "Finance Manager", ("Financial Analyst", "Accountant", "FP&A Analyst"),
     ("FP&A", "Accounting", "Tax", "Treasury", "Payroll")),
    ("People", 4, "HR Manager",
     ("HR Business Partner", "Recruiter", "People Operations Specialist"),
     ("Talent Acquisition", "People Operations", "Learning & Development",
      "Total Rewards", "People Partners")),
    ("Customer Success", 8, "Customer Success Team Lead",
     ("Customer Success Manager", "Implementation Specialist", "Support Engineer"),
     ("Onboarding", "Enterprise Success", "Renewals", "Professional Services",
      "Customer Education")),
    ("Data Science", 4, "Data Science Manager",
     ("Data Scientist", "Data Analyst", "Machine Learning Engineer"),
     ("Analytics", "Experimentation", "Applied ML", "Insights", "Forecasting")),
    ("Legal", 2, "Managing Counsel", ("Counsel", "Paralegal", "Compliance Analyst"),
     ("Commercial Legal", "Privacy", "Compliance", "Corporate Legal")),
    ("Security", 3, "Security Engineering Manager", ("Security Engineer", "Security Analyst"),
     ("Application Security", "Security Operations", "Governance Risk & Compliance",
      "Detection & Response")),
    ("IT", 2, "IT Manager", ("IT Support Engineer", "Systems Administrator"),
     ("IT Support", "Corporate Systems", "Endpoint Engineering")),
    ("Support", 6, "Support Manager", ("Support Specialist", "Technical Support Engineer"),
     ("Tier 1 Support", "Technical Support", "Support Operations", "Community")),
    ("Research", 3, "Research Manager", ("Research Scientist", "Research Engineer"),
     ("Applied Research", "Fundamental Research", "Research Infrastructure")),
    ("Partnerships", 2, "Partnerships Lead", ("Partner Manager", "Alliances Manager"),
     ("Technology Partners", "Channel Partners", "Strategic Alliances")),
)  # fmt: skip
_TEAM_QUALIFIERS = (
    "Core", "Experience", "Foundations", "Insights", "Tools", "Services", "Edge", "Labs",
    "North", "South", "East", "West", "Scale", "Quality", "Automation", "Enablement",
)  # fmt: skip

# (people up to, departments): the org adds functions as it grows.
_DEPARTMENT_COUNT = ((20, 1), (50, 2), (120, 4), (250, 6), (600, 8), (2000, 10),
                     (10_000, 12), (50_000, 14))  # fmt: skip

_LOCATIONS = (
    "San Francisco", "New York", "London", "Berlin", "Toronto", "Bengaluru", "São Paulo",
    "Singapore", "Dublin", "Sydney", "Tokyo", "Zürich", "Austin", "Paris",
)  # fmt: skip

# IC level -> share; L8 (distinguished) is rare.
_IC_LEVELS = ((3, 0.24), (4, 0.30), (5, 0.28), (6, 0.12), (7, 0.05), (8, 0.01))
_IC_PREFIX = {3: "{} I", 4: "{} II", 5: "Senior {}", 6: "Staff {}", 7: "Principal {}",
              8: "Distinguished {}"}  # fmt: skip

_PROJECT_ADJECTIVES = _words(
    "Amber Arctic Azure Bold Bright Silent Crimson Golden Hidden Iron Jade Lunar Midnight "
    "Nimble Northern Obsidian Quiet Rapid Scarlet Silver Solar Swift Velvet Violet Wild "
    "Copper Coral Cosmic Electric Emerald Frosted Gentle Hollow Indigo Ivory Lucky Misty "
    "Neon Noble Polar Proud Royal Rustic Sapphire Shadow Steady Stellar Stone Sunny Teal"
)
_PROJECT_NOUNS = _words(
    "Falcon Harbor Lighthouse Meadow Comet Compass Summit Beacon Canyon Glacier Horizon "
    "Lantern Mosaic Nebula Orchard Otter Pelican Phoenix Prism Quartz Raven River Sparrow "
    "Tundra Voyage Willow Atlas Badger Bison Cedar Delta Ember Fjord Galaxy Heron Island "
    "Jaguar Kestrel Lotus Maple Nova Oasis Pine Pulsar Ridge Sequoia Tide Vertex Zephyr"
)
_ORG_WIDE_NAMES = (
    "SOC 2 Readiness", "ERP Migration", "AI Enablement", "Company Offsite 2026",
    "Pricing & Packaging Refresh", "EU Data Residency", "Annual Planning 2027",
    "Accessibility Program", "Cost Efficiency Program", "New Market Launch: Japan",
    "Incident Readiness", "Brand Refresh",
)  # fmt: skip

_LEAD_ROLES = (("Lead", 70), ("Tech Lead", 15), ("DRI", 10), ("Owner", 5))
_STAKEHOLDER_ROLES = (("Stakeholder", 75), ("Sponsor", 15), ("Reviewer", 10))

_FOUNDED = dt.date(2013, 4, 1)
_LAST_HIRE = dt.date(2026, 6, 30)


class _Person:
    __slots__ = ("idx", "eid", "name", "email", "mgr", "dotted", "title", "level", "team",
                 "dept", "loc", "start", "tier", "reports")  # fmt: skip

    def __init__(self, idx: int, title: str, level: int, team: str, dept: str, tier: int):
        self.idx = idx
        self.eid = 0
        self.name = ""
        self.email = ""
        self.mgr: _Person | None = None
        self.dotted: list[_Person] = []
        self.title = title
        self.level = level
        self.team = team
        self.dept = dept
        self.loc = ""
        self.start = _FOUNDED
        #: -1 for an individual contributor, 0 for a team lead, higher up the tree.
        self.tier = tier
        self.reports = 0


def _weighted(rng: random.Random, choices: tuple[tuple[Any, float], ...]) -> Any:
    total = sum(w for _, w in choices)
    x = rng.random() * total
    for value, weight in choices:
        x -= weight
        if x < 0:
            return value
    return choices[-1][0]


def _split(total: int, weights: list[float], minimum: int) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder), each >= minimum."""
    n = len(weights)
    spare = total - minimum * n
    scale = sum(weights)
    raw = [spare * w / scale for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(n), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: spare - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]


class _Builder:
    """Builds one org; split in steps so each stays readable."""

    def __init__(self, people: int, seed: int) -> None:
        self.n = people
        self.rng = random.Random(seed)
        self.people: list[_Person] = []
        self.team_names: set[str] = set()
        self.teams: dict[str, list[_Person]] = {}  # team -> members, lead first
        self.team_dept: dict[str, str] = {}
        self.work_teams: list[str] = []  # teams with a lead and ICs (not leadership groups)
        self.managers: list[_Person] = []

    # -- structure ------------------------------------------------------------------------
    def _new(self, title: str, level: int, team: str, dept: str, tier: int) -> _Person:
        p = _Person(len(self.people), title, level, team, dept, tier)
        self.people.append(p)
        self.teams.setdefault(team, []).append(p)
        self.team_dept[team] = dept
        return p

    def _team_name(self, stems: tuple[str, ...], counter: list[int]) -> str:
        # Plain names first, then "<stem> <qualifier>", then numbered: unique org-wide.
        while True:
            k = counter[0]
            counter[0] += 1
            stem = stems[k % len(stems)]
            rnd = k // len(stems)
            if rnd == 0:
                name = stem
            elif rnd <= len(_TEAM_QUALIFIERS):
                name = f"{stem} {_TEAM_QUALIFIERS[(rnd - 1 + k) % len(_TEAM_QUALIFIERS)]}"
            else:
                name = f"{stem} {rnd - len(_TEAM_QUALIFIERS) + 1}"
            if name not in self.team_names:
                self.team_names.add(name)
                return name

    def build_structure(self) -> None:
        n = self.n
        ceo = self._new("Chief Executive Officer", 12, "Office of the CEO", "Executive", 99)
        if n >= 100:
            self._new("Chief of Staff", 9, "Office of the CEO", "Executive", -1).mgr = ceo
            self._new("Executive Assistant", 5, "Office of the CEO", "Executive", -1).mgr = ceo
        self.team_names.add("Office of the CEO")
        remaining = n - len(self.people)
        if remaining <= 0:
            return
        count = next((d for limit, d in _DEPARTMENT_COUNT if n <= limit), len(_DEPARTMENTS))
        count = max(1, min(count, remaining // 5 or 1))
        depts = _DEPARTMENTS[:count]
        sizes = _split(remaining, [d[1] for d in depts], 0)
        for spec, size in zip(depts, sizes, strict=True):
            if size > 0:
                self._department(spec, size, ceo)

    def _department(self, spec: tuple, size: int, ceo: _Person) -> None:
        rng = self.rng
        dept, _, mgr_title, roles, stems = spec
        counter = [0]
        if size <= 12:  # one team, its lead heads the department
            team = self._team_name(stems, counter)
            head = self._new(f"Head of {dept}", 8, team, dept, 0)
            head.mgr = ceo
            self.managers.append(head)
            self._fill_team(team, head, size - 1, roles, dept)
            self.work_teams.append(team)
            return
        # Choose the number of teams so that the ICs left after the management layers
        # give teams of 5-12 people (4-11 ICs plus the lead).
        n_teams = max(2, round(size / 8.5))
        for _ in range(50):
            tiers = [n_teams]
            while tiers[-1] > 1:
                tiers.append(math.ceil(tiers[-1] / rng.randint(4, 7)))
            ics = size - sum(tiers)
            if ics < 4 * n_teams:
                n_teams -= 1
            elif ics > 11 * n_teams:
                n_teams += 1
            else:
                break
            if n_teams < 1:
                n_teams = 1
                tiers = [1]
                ics = size - 1
                break
        top = len(tiers) - 1  # the department head's tier
        # Titles of the layers between team leads (tier 0) and the head.
        middle = top - 1
        ladder = {
            0: [],
            1: [("Director of {d}", 8)],
            2: [("Director of {d}", 8), ("Senior Director of {d}", 9)],
            3: [("Senior {m}", 7), ("Director of {d}", 8), ("Senior Director of {d}", 9)],
        }.get(
            middle,
            [("Senior {m}", 7)] * (middle - 3)
            + [("Director of {d}", 8), ("Senior Director of {d}", 9), ("VP {d}", 10)],
        )
        if top == 0:
            head_title, head_level = f"Head of {dept}", 8
        elif middle >= 4:
            head_title, head_level = f"SVP {dept}", 11
        else:
            head_title, head_level = f"VP {dept}", 10

        # Build top-down so that leadership groups and teams come out in tree order.
        leadership: list[str] = []

        def leadership_team() -> str:
            # Managers above team leads sit in "<Dept> Leadership" groups of <= 10.
            if not leadership or len(self.teams[leadership[-1]]) >= 10:
                suffix = f" {len(leadership) + 1}" if leadership else ""
                name = f"{dept} Leadership{suffix}"
                self.team_names.add(name)
                leadership.append(name)
            return leadership[-1]

        # 4-11 ICs per team, spread at random; the bounds only give way if the loop
        # above could not settle (it always does for the sizes tried).
        base = min(4, ics // n_teams)
        team_sizes = [base] * n_teams
        open_slots: list[int] = []
        for _ in range(ics - base * n_teams):
            if not open_slots:
                open_slots = [t for t in range(n_teams) if team_sizes[t] < 11] or list(
                    range(n_teams)
                )
            k = rng.randrange(len(open_slots))
            t = open_slots[k]
            team_sizes[t] += 1
            if team_sizes[t] >= 11:
                open_slots[k] = open_slots[-1]
                open_slots.pop()
        team_iter = iter(team_sizes)

        def grow(manager: _Person, tier: int, count: int) -> None:
            """Give ``manager`` ``count`` tier-``tier`` reports, recursively."""
            for _ in range(count):
                if tier == 0:
                    team = self._team_name(stems, counter)
                    lead = self._new(mgr_title, 6, team, dept, 0)
                    lead.mgr = manager
                    self.managers.append(lead)
                    self._fill_team(team, lead, next(team_iter), roles, dept)
                    self.work_teams.append(team)
                else:
                    title, level = ladder[tier - 1]
                    p = self._new(
                        title.format(d=dept, m=mgr_title), level, leadership_team(), dept, tier
                    )
                    p.mgr = manager
                    self.managers.append(p)
                    grow(p, tier - 1, children[tier - 1].pop())

        # children[t] holds, per tier-(t+1) manager, how many tier-t reports they get.
        children: list[list[int]] = []
        for t in range(top):
            parents = tiers[t + 1]
            per = _split(tiers[t], [1.0] * parents, 1 if tiers[t] >= parents else 0)
            rng.shuffle(per)
            children.append(per)
        if top == 0:
            team = self._team_name(stems, counter)
            head = self._new(head_title, head_level, team, dept, 0)
            head.mgr = ceo
            self.managers.append(head)
            self._fill_team(team, head, size - 1, roles, dept)
            self.work_teams.append(team)
            return
        head = self._new(head_title, head_level, leadership_team(), dept, top)
        head.mgr = ceo
        self.managers.append(head)
        grow(head, top - 1, children[top - 1].pop())

    def _fill_team(self, team: str, lead: _Person, ics: int, roles: tuple, dept: str) -> None:
        rng = self.rng
        main_role = roles[0] if rng.random() < 0.7 else rng.choice(roles)
        for _ in range(ics):
            role = main_role if rng.random() < 0.85 else rng.choice(roles)
            level = _weighted(rng, _IC_LEVELS)
            if level == 8 and dept != "Engineering":
                level = 7
            p = self._new(_IC_PREFIX[level].format(role), level, team, dept, -1)
            p.mgr = lead

    # -- people details --------------------------------------------------------------------
    def assign_details(self) -> None:
        rng = self.rng
        span = (_LAST_HIRE - _FOUNDED).days
        team_loc: dict[str, str] = {}
        for team in self.teams:
            team_loc[team] = _LOCATIONS[min(int(rng.expovariate(0.35)), len(_LOCATIONS) - 1)]
        for p in self.people:
            if p.mgr is not None:
                p.mgr.reports += 1
            r = rng.random()
            if r < 0.8:
                p.loc = team_loc[p.team]
            elif r < 0.92:
                p.loc = "Remote"
            else:
                p.loc = rng.choice(_LOCATIONS)
            # Most hires are recent (the company grew); leaders joined earlier.
            skew = 0.55 if p.tier < 1 else 1.3
            p.start = _FOUNDED + dt.timedelta(days=int(span * rng.random() ** skew))
        self.people[0].start = _FOUNDED
        # Employee ids follow hiring order, as most HR systems number them.
        for eid, p in enumerate(sorted(self.people, key=lambda q: (q.start, q.idx)), 1001):
            p.eid = eid
        self._names()
        self._dotted_lines()

    def _names(self) -> None:
        rng = self.rng
        used_names: set[str] = set()
        used_emails: set[str] = set()
        n_first, n_last = len(FIRST_NAMES), len(LAST_NAMES)
        # In big orgs a few people share a full name (references then go by id/email).
        twins = 2 + self.n // 20_000 if self.n >= 1000 else 0
        twin_at = set(rng.sample(range(self.n // 2, self.n), twins)) if twins else set()
        first_mail = [_email_part(x) for x in FIRST_NAMES]
        last_mail = [_email_part(x) for x in LAST_NAMES]
        # Once plain "First Last" pairs run short, go to a middle initial sooner.
        plain_tries = 4 if self.n < n_first * n_last // 4 else 1
        rand = rng.random
        names_so_far: list[tuple[int, str, int]] = []
        for i, p in enumerate(self.people):
            if i in twin_at:
                fi, middle, la = names_so_far[int(rand() * len(names_so_far))]
            else:
                for attempt in range(plain_tries + 6):
                    fi, la = int(rand() * n_first), int(rand() * n_last)
                    middle = chr(65 + int(rand() * 26)) if attempt >= plain_tries else ""
                    if _full(FIRST_NAMES[fi], middle, LAST_NAMES[la]) not in used_names:
                        break
            full = _full(FIRST_NAMES[fi], middle, LAST_NAMES[la])
            used_names.add(full)
            names_so_far.append((fi, middle, la))
            parts = (first_mail[fi], middle.lower(), last_mail[la])
            local = ".".join(x for x in parts if x)
            email, k = f"{local}@example.com", 2
            while email in used_emails:
                email = f"{local}{k}@example.com"
                k += 1
            used_emails.add(email)
            p.name, p.email = full, email

    def _dotted_lines(self) -> None:
        rng = self.rng
        if len(self.managers) < 3:
            return
        for p in self.people[1:]:
            if rng.random() >= 0.03:
                continue
            wanted = 2 if rng.random() < 0.12 else 1
            for _ in range(6 * wanted):
                m = self.managers[rng.randrange(len(self.managers))]
                # A matrix manager sits elsewhere, usually in another department.
                if m is p or m is p.mgr or m in p.dotted or m.level <= p.level - 2:
                    continue
                if m.dept == p.dept and rng.random() < 0.7:
                    continue
                p.dotted.append(m)
                if len(p.dotted) == wanted:
                    break

    # -- rows ---------------------------------------------------------------------------------
    def people_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [list(PEOPLE_HEADER)]
        for p in sorted(self.people, key=lambda q: q.eid):
            if not p.dotted:
                dotted: Any = None
            elif len(p.dotted) == 1:
                dotted = p.dotted[0].eid
            else:
                dotted = "; ".join(str(m.eid) for m in p.dotted)
            rows.append([
                p.eid, p.name, p.email, p.mgr.eid if p.mgr else None, dotted, p.title,
                f"L{p.level}", p.team, p.dept, p.loc, p.start,
            ])  # fmt: skip
        return rows

    def project_rows(self) -> list[list[Any]]:
        rng, n = self.rng, self.n
        rows: list[list[Any]] = [list(PROJECTS_HEADER)]
        count = max(1, n // 20) if n >= 2 and self.work_teams else 0
        if not count:
            return rows
        n_org = max(1, round(0.08 * count)) if count >= 3 else 0
        n_cross = max(1, round(0.22 * count)) if count >= 2 else 0
        kinds = ["org"] * n_org + ["cross"] * n_cross
        kinds += ["team"] * (count - len(kinds))
        kinds = kinds[:count]
        rng.shuffle(kinds)
        # The first cross-team project spans three teams, so every sample has one.
        first_cross = kinds.index("cross") if "cross" in kinds else -1
        names = self._project_names(kinds)
        by_dept: dict[str, list[str]] = {}
        for team in self.work_teams:
            by_dept.setdefault(self.team_dept[team], []).append(team)
        depts = list(by_dept)
        for i, (kind, name) in enumerate(zip(kinds, names, strict=True)):
            home = self.work_teams[rng.randrange(len(self.work_teams))]
            if kind == "team":
                teams = [home]
                per_team = (2, 6)
            elif kind == "cross":
                wanted = 3 if i == first_cross else rng.choice((2, 2, 3))
                teams = [home]
                for _ in range(wanted * 4):
                    if len(teams) == wanted:
                        break
                    # Usually a sibling team, sometimes a partner function.
                    same = by_dept[self.team_dept[home]]
                    pool = same if rng.random() < 0.6 and len(same) > 1 else self.work_teams
                    t = pool[rng.randrange(len(pool))]
                    if t not in teams:
                        teams.append(t)
                per_team = (2, 4)
            else:
                home_dept = self.team_dept[home]
                others = [d for d in depts if d != home_dept]
                k = min(len(others), rng.randint(3, 7))
                teams = [home]
                for d in rng.sample(others, k):
                    pool = by_dept[d]
                    teams.append(pool[rng.randrange(len(pool))])
                per_team = (1, 3)
            self._project_members(rows, name, kind, teams, per_team)
        return rows

    def _project_names(self, kinds: list[str]) -> list[str]:
        rng = self.rng
        used: set[str] = set()
        org_names = list(_ORG_WIDE_NAMES)
        rng.shuffle(org_names)
        out = []
        for kind in kinds:
            if kind == "org" and org_names:
                name = org_names.pop()
            else:
                name = f"{rng.choice(_PROJECT_ADJECTIVES)} {rng.choice(_PROJECT_NOUNS)}"
                base, k = name, 2
                while name in used:
                    name = f"{base} {k}"
                    k += 1
            used.add(name)
            out.append(name)
        return out

    def _project_members(
        self, rows: list, project: str, kind: str, teams: list[str], per_team: tuple[int, int]
    ) -> None:
        rng = self.rng
        members: list[_Person] = []
        for team in teams:
            pool = self.teams[team]
            k = min(len(pool), rng.randint(*per_team))
            members.extend(rng.sample(pool, k))
        if not members:
            return
        home_team = teams[0]
        # The lead: the most senior of the home team's members (org-wide work is led
        # by someone senior), sometimes a second lead as "Tech Lead".
        home = [m for m in members if m.team == home_team] or members
        lead = max(home, key=lambda m: (m.level, -m.idx))
        leads = {lead.idx}
        if len(members) >= 4 and rng.random() < 0.15:
            leads.add(rng.choice(members).idx)
        stakeholders = []
        if kind != "team" or rng.random() < 0.3:
            boss = self.teams[home_team][0].mgr
            if boss is not None and all(boss is not m for m in members):
                stakeholders.append(boss)
        for m in members:
            if m.idx in leads:
                role = _weighted(rng, _LEAD_ROLES) if len(leads) == 1 else "Tech Lead"
                if len(leads) > 1 and m is lead:
                    role = "Lead"
            else:
                r = rng.random()
                role = "Contributor"
                if r < 0.12:
                    role = "Engineer" if m.dept == "Engineering" else "Member"
            rows.append([project, self._ref(m), role, home_team])
        for s in stakeholders:
            rows.append([project, self._ref(s), _weighted(rng, _STAKEHOLDER_ROLES), home_team])

    def _ref(self, p: _Person) -> Any:
        # Trackers name people either way; both must resolve.
        return p.eid if self.rng.random() < 0.7 else p.email

    def mentorship_rows(self) -> list[list[Any]]:
        rng, n = self.rng, self.n
        rows: list[list[Any]] = [list(MENTORSHIP_HEADER)]
        wanted = n // 5
        by_level: dict[int, list[_Person]] = {}
        by_dept_level: dict[tuple[str, int], list[_Person]] = {}
        for p in self.people[1:]:
            by_level.setdefault(p.level, []).append(p)
            by_dept_level.setdefault((p.dept, p.level), []).append(p)
        mentees = [p for p in self.people[1:] if p.level <= 7]
        if not mentees or wanted == 0:
            return rows
        seen: set[tuple[int, int]] = set()
        for _ in range(wanted * 10):
            if len(rows) > wanted:
                break
            mentee = mentees[rng.randrange(len(mentees))]
            # Strictly more senior, one to three levels up: mentorship never loops, and
            # mid-level mentees mentor juniors in turn.
            level = mentee.level + rng.choice((1, 1, 2, 2, 3))
            pool = by_dept_level.get((mentee.dept, level)) if rng.random() < 0.65 else None
            pool = pool or by_level.get(level)
            if not pool:
                continue
            mentor = pool[rng.randrange(len(pool))]
            if (mentor.idx, mentee.idx) in seen:
                continue
            seen.add((mentor.idx, mentee.idx))
            rows.append([mentor.email, mentee.email])
        return rows


def _full(first: str, middle: str, last: str) -> str:
    return f"{first} {middle}. {last}" if middle else f"{first} {last}"


# -- faults --------------------------------------------------------------------------------
def _make_dirty(sheets: dict[str, list[list[Any]]], rng: random.Random) -> None:
    """Add the faults listed in the module docstring, in place."""
    people, projects, mentorship = sheets["People"], sheets["Projects"], sheets["Mentorship"]
    header, body = people[0], people[1:]
    col = {name: i for i, name in enumerate(PEOPLE_HEADER)}
    managers = {row[col["Manager ID"]] for row in body}
    # Faults land on individual contributors without reports, each on a different one,
    # and never on the people the other faults refer to.
    ics = [row for row in body if row[col["Employee ID"]] not in managers]
    by_team: dict[str, list[list[Any]]] = {}
    for row in ics:
        by_team.setdefault(row[col["Team"]], []).append(row)
    cycle_team = next(t for t, rows in sorted(by_team.items()) if len(rows) >= 3)
    a, b, c = by_team[cycle_team][:3]
    a[col["Manager ID"]], b[col["Manager ID"]], c[col["Manager ID"]] = (
        b[col["Employee ID"]], c[col["Employee ID"]], a[col["Employee ID"]]
    )  # fmt: skip
    taken = {id(a), id(b), id(c)}
    free = [row for row in ics if id(row) not in taken]
    rng.shuffle(free)
    unknown_mgr, self_mgr, formula, html_title, dup_source = free[:5]
    rest = free[5:]
    unknown_mgr[col["Manager ID"]] = 99999
    self_mgr[col["Manager ID"]] = self_mgr[col["Employee ID"]]
    formula[col["Full Name"]] = '=HYPERLINK("http://x","y")'
    html_title[col["Job Title"]] = "<img src=x onerror=alert(1)>"
    # Ids written as text in references (float-looking and padded).
    text_ids = [r for r in rest if isinstance(r[col["Manager ID"]], int)][:4]
    for k, row in enumerate(text_ids):
        mid = row[col["Manager ID"]]
        row[col["Manager ID"]] = f"{mid}.0" if k % 2 == 0 else f" {mid} "
    # One team becomes "<b>Ops</b>", in People and in Projects.
    work = [r for r in rest if r[col["Department"]] != "Executive"]
    ops_team = next(
        (r[col["Team"]] for r in work if r[col["Department"]] == "Operations"),
        work[0][col["Team"]],
    )
    for row in body:
        if row[col["Team"]] == ops_team:
            row[col["Team"]] = "<b>Ops</b>"
    for row in projects[1:]:
        if row[3] == ops_team:
            row[3] = "<b>Ops</b>"

    duplicate = list(dup_source)
    duplicate[col["Full Name"]] = "Duplicate Person"
    duplicate[col["Work Email"]] = "duplicate.person@example.com"
    nobody = [None] * len(header)
    nobody[col["Job Title"]] = "Contractor"
    nobody[col["Team"]] = dup_source[col["Team"]]
    nobody[col["Department"]] = dup_source[col["Department"]]
    pos = body.index(dup_source)
    body.insert(rng.randint(pos + 1, len(body)), duplicate)
    body.insert(rng.randint(1, len(body) - 1), nobody)
    middle = len(body) // 2
    body[middle:middle] = [[], []]
    sheets["People"] = [
        ["Acme Corp HR export"],
        ["Generated 2026-01-15 07:30 UTC"],
        header,
        *body,
    ]

    # Projects: external member, duplicate membership, unknown role, text ids, blank row.
    proj = projects[1:]
    first_project = proj[0][0]
    proj.insert(1, [first_project, "pat.contractor@partner-agency.com", "Contributor", proj[0][3]])
    proj.insert(2, list(proj[0]))  # the same membership again
    wizard = next((r for r in proj[3:] if r[2] == "Contributor"), proj[-1])
    wizard[2] = "Wizard"
    id_members = [r for r in proj[3:] if isinstance(r[1], int) and r is not wizard][:2]
    for k, row in enumerate(id_members):
        row[1] = f"{row[1]}.0" if k == 0 else f" {row[1]} "
    proj.insert(len(proj) // 2, [])
    sheets["Projects"] = [projects[0], *proj]

    # Mentorship: self mentorship, unknown mentor, blank row.
    ment = mentorship[1:]
    someone = dup_source[col["Work Email"]]
    ment.insert(0, [someone, someone])
    ment.insert(len(ment) // 2, [])
    ment.append(["ghost.mentor@example.com", a[col["Work Email"]]])
    sheets["Mentorship"] = [mentorship[0], *ment]


# -- public API ----------------------------------------------------------------------------
def generate(
    people: int = 300,
    seed: int = 0,
    dirty: bool = False,
    *,
    progress: Callable[[float, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> dict[str, list[list]]:
    """A synthetic org as sheets of rows, header first (see the module docstring).

    Parameters
    ----------
    people : int
        Headcount, at least 1 (at least 20 with ``dirty``).
    seed : int
        Same seed, same rows.
    dirty : bool
        Add the faults real exports carry (listed in the module docstring).
    progress, cancel : callable, optional
        ``progress(fraction, message)`` between steps; when ``cancel()`` is true,
        :class:`orgmap.model.Cancelled` is raised.

    Returns
    -------
    dict
        ``{"People": rows, "Projects": rows, "Mentorship": rows}``; cells are ``int``,
        ``str``, ``datetime.date`` or ``None``.
    """
    if isinstance(people, bool) or not isinstance(people, int) or people < 1:
        raise ValueError(f"people must be a whole number >= 1, not {people!r}")
    if dirty and people < MIN_DIRTY_PEOPLE:
        raise ValueError(f"a dirty sample needs at least {MIN_DIRTY_PEOPLE} people")

    def step(fraction: float, message: str) -> None:
        if cancel is not None and cancel():
            from orgmap.model import Cancelled

            raise Cancelled("sample generation cancelled")
        if progress is not None:
            progress(fraction, message)

    b = _Builder(people, seed)
    step(0.0, "departments and teams")
    b.build_structure()
    step(0.3, "names, emails, start dates")
    b.assign_details()
    step(0.6, "people rows")
    sheets = {"People": b.people_rows()}
    step(0.7, "projects")
    sheets["Projects"] = b.project_rows()
    step(0.85, "mentorships")
    sheets["Mentorship"] = b.mentorship_rows()
    if dirty:
        _make_dirty(sheets, random.Random(f"dirty-{seed}"))
    step(1.0, "done")
    return sheets


def count_rows(sheets: dict[str, list[list]]) -> dict[str, int]:
    """Data rows per sheet: rows after the header that are not blank."""
    headers = {tuple(PEOPLE_HEADER), tuple(PROJECTS_HEADER), tuple(MENTORSHIP_HEADER)}
    out = {}
    for name, rows in sheets.items():
        start = next((i for i, r in enumerate(rows) if tuple(r) in headers), 0)
        out[name] = sum(1 for r in rows[start + 1 :] if any(v is not None for v in r))
    return out


def write_xlsx(
    sheets: dict[str, list[list]],
    path: Path | str,
    progress: Callable[[float, str], None] | None = None,
) -> Path:
    """Save the sheets as one workbook (atomically); text is never written as a formula.

    openpyxl's write-only mode streams rows to disk; 100,000 people take about 15 s,
    hence ``progress(fraction, message)`` every few thousand rows.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    path = Path(path)
    wb = Workbook(write_only=True)
    total = max(1, sum(len(rows) for rows in sheets.values()))
    done = 0
    for name, rows in sheets.items():
        ws = wb.create_sheet(title=name)
        width = max((len(r) for r in rows), default=0)
        for i in range(width):
            # Wide enough to read names and titles when a person opens the sample.
            letter = chr(65 + i) if i < 26 else "A" + chr(65 + i - 26)
            ws.column_dimensions[letter].width = 14 if name == "People" else 24
        for row in rows:
            if any(isinstance(v, str) and v[:1] == "=" for v in row):
                cells: list[Any] = []
                for v in row:
                    cell = WriteOnlyCell(ws, value=v)
                    if isinstance(v, str):
                        cell.data_type = "s"  # text that looks like a formula stays text
                    cells.append(cell)
                ws.append(cells)
            else:
                ws.append(row)
            done += 1
            if progress is not None and done % 5000 == 0:
                progress(0.95 * done / total, f"writing {name}")
    with atomic_path(path) as tmp:
        wb.save(tmp)
    if progress is not None:
        progress(1.0, f"wrote {path.name}")
    return path


def write_csv_folder(sheets: dict[str, list[list]], folder: Path | str) -> list[Path]:
    """Save each sheet as ``<folder>/<sheet>.csv`` (UTF-8 with a BOM so Excel shows
    accents); text that would be a formula gets a leading ``'``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in sheets.items():
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        for row in rows:
            writer.writerow(
                [
                    "" if v is None else v.isoformat() if isinstance(v, dt.date) else safe_cell(v)
                    for v in row
                ]
            )
        target = folder / f"{name}.csv"
        atomic_write_text(target, "\ufeff" + buf.getvalue())
        written.append(target)
    return written


def sample_org(
    people: int = 300,
    seed: int = 0,
    dirty: bool = False,
    progress: Callable[[float, str], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> Org:
    """The sample org built in memory (no file written), through the normal builder."""
    from orgmap.builder import build_org
    from orgmap.tables import Table

    def part(lo: float, hi: float) -> Callable[[float, str], None] | None:
        if progress is None:
            return None
        return lambda f, msg: progress(lo + (hi - lo) * f, msg)

    sheets = generate(people, seed, dirty, progress=part(0.0, 0.3), cancel=cancel)
    tables = [
        Table(file=f"sample-{people}-{seed}.xlsx", sheet=name, rows=rows)
        for name, rows in sheets.items()
    ]
    return build_org(tables, progress=part(0.3, 1.0), cancel=cancel)
