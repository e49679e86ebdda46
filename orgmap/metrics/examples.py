"""A seven-person org built by hand, for the runnable examples in the docstrings.

=====  =====  ===============  =====  ==========  ===========  =======
id     name   title            level  team        department   manager
=====  =====  ===============  =====  ==========  ===========  =======
1      Ada    CEO              L8     Leadership  Exec
2      Ben    Eng Manager      L6     Platform    Engineering  1
3      Cy     Data Lead        L6     Data        Engineering  1
4      Di     Senior Engineer  L5     Platform    Engineering  2
5      Ed     Data Scientist   L4     Data        Engineering  3
6      Flo    Engineer         L4     Platform    Engineering  2
7      Gus    Analyst          L4     (none)      (none)       3
=====  =====  ===============  =====  ==========  ===========  =======

Projects: Apollo (lead 2; contributors 4, 5), Zeus (lead 4; contributor 6;
stakeholder 2). Mentorship: 1 -> 2 -> 4 -> 6. Ties: 5 asks 2 for advice (weight 3),
6 names 7 a friend.
"""

from __future__ import annotations

import networkx as nx

from orgmap.model import (
    DEPARTMENT,
    DOTTED_LINE,
    MEMBER_OF,
    MENTORS,
    PART_OF,
    PERSON,
    PROJECT,
    REPORTS_TO,
    TEAM,
    TIE,
    WORKS_ON,
    Org,
    department_key,
    person_key,
    project_key,
    team_key,
)

__all__ = ["OrgBuilder", "example_org"]


class OrgBuilder:
    """A few lines per fact: the smallest way to hand-build an org graph (tests use it)."""

    def __init__(self) -> None:
        self.graph = nx.MultiDiGraph()

    def person(
        self,
        pid: str,
        name: str | None = None,
        team: str | None = None,
        department: str | None = None,
        manager: str | None = None,
        **attrs: object,
    ) -> OrgBuilder:
        node = person_key(pid)
        data = {"kind": PERSON, "id": pid, "name": name or pid, "external": False, **attrs}
        if team:
            data["team"] = team
        if department:
            data["department"] = department
        self.graph.add_node(node, **data)
        if department:
            self.graph.add_node(department_key(department), kind=DEPARTMENT, name=department)
        if team:
            self.graph.add_node(team_key(team), kind=TEAM, name=team)
            self.graph.add_edge(node, team_key(team), MEMBER_OF, kind=MEMBER_OF)
            if department and not self.graph.has_edge(
                team_key(team), department_key(department), PART_OF
            ):
                self.graph.add_edge(
                    team_key(team), department_key(department), PART_OF, kind=PART_OF
                )
        if manager:
            self.reports(pid, manager)
        return self

    def reports(self, pid: str, manager: str) -> OrgBuilder:
        self.graph.add_edge(person_key(pid), person_key(manager), REPORTS_TO, kind=REPORTS_TO)
        return self

    def dotted(self, pid: str, manager: str) -> OrgBuilder:
        self.graph.add_edge(person_key(pid), person_key(manager), DOTTED_LINE, kind=DOTTED_LINE)
        return self

    def project(
        self,
        name: str,
        lead: str | list[str] | None = None,
        members: list[str] = (),  # type: ignore[assignment]
        stakeholders: list[str] = (),  # type: ignore[assignment]
        team: str | None = None,
    ) -> OrgBuilder:
        node = project_key(name)
        self.graph.add_node(node, kind=PROJECT, name=name, **({"team": team} if team else {}))
        leads = [lead] if isinstance(lead, str) else list(lead or [])
        for role, ids in (("lead", leads), ("contributor", members), ("stakeholder", stakeholders)):
            for pid in ids:
                self.graph.add_edge(person_key(pid), node, WORKS_ON, kind=WORKS_ON, role=role)
        return self

    def mentor(self, mentor: str, mentee: str) -> OrgBuilder:
        self.graph.add_edge(person_key(mentor), person_key(mentee), MENTORS, kind=MENTORS)
        return self

    def tie(self, ego: str, alter: str, type: str = "advice", weight: float = 1) -> OrgBuilder:  # noqa: A002
        self.graph.add_edge(
            person_key(ego), person_key(alter), f"{TIE}:{type}", kind=TIE, type=type, weight=weight
        )
        return self

    def org(self) -> Org:
        return Org(graph=self.graph)


def example_org() -> Org:
    """The seven-person org of this module's docstring."""
    b = OrgBuilder()
    b.person("1", "Ada", "Leadership", "Exec", title="CEO", level="L8")
    b.person("2", "Ben", "Platform", "Engineering", "1", title="Eng Manager", level="L6")
    b.person("3", "Cy", "Data", "Engineering", "1", title="Data Lead", level="L6")
    b.person("4", "Di", "Platform", "Engineering", "2", title="Senior Engineer", level="L5")
    b.person("5", "Ed", "Data", "Engineering", "3", title="Data Scientist", level="L4")
    b.person("6", "Flo", "Platform", "Engineering", "2", title="Engineer", level="L4")
    b.person("7", "Gus", None, None, "3", title="Analyst", level="L4")
    b.project("Apollo", lead="2", members=["4", "5"])
    b.project("Zeus", lead="4", members=["6"], stakeholders=["2"])
    b.mentor("1", "2").mentor("2", "4").mentor("4", "6")
    b.tie("5", "2", "advice", 3).tie("6", "7", "friendship", 1)
    return b.org()
