"""Layout seconds (median of 3) at 1k, 10k and 100k people for each layout kind,
beside networkx's ``spring_layout`` measured in the same run (1k only: it is quadratic).

Run: ``python benchmarks/layout_bench.py [--sizes 1000,10000,100000]``.
Targets: orgchart 100k <= 1 s; network and teams 10k <= 3 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import random  # noqa: E402

import networkx as nx  # noqa: E402

from orgmap.layout import compute_layout  # noqa: E402
from orgmap.model import Org  # noqa: E402


def synthetic_org(people: int = 300, seed: int = 0) -> Org:
    try:
        from orgmap.sample import sample_org
    except ImportError:
        sample_org = None
    if sample_org is not None:
        return sample_org(people=people, seed=seed)
    return hand_built_org(people, seed)


def hand_built_org(people: int = 300, seed: int = 0) -> Org:
    rng = random.Random(seed)
    org = Org()
    g = org.graph
    n_depts = max(2, min(12, people // 300 + 2))
    n_teams = max(n_depts, people // 8)
    depts = [f"Dept {i}" for i in range(n_depts)]
    teams = [f"Team {i}" for i in range(n_teams)]
    team_dept = {t: depts[i % n_depts] for i, t in enumerate(teams)}
    for d in depts:
        g.add_node(f"department:{d}", kind="department", name=d)
    for t in teams:
        g.add_node(f"team:{t}", kind="team", name=t, department=team_dept[t])
        g.add_edge(f"team:{t}", f"department:{team_dept[t]}", key="part_of", kind="part_of")

    def add_person(i: int, team: str, level: int) -> str:
        key = f"person:E{i}"
        g.add_node(
            key,
            kind="person",
            id=f"E{i}",
            name=f"Person {i}",
            email=f"p{i}@example.com",
            title="Engineer" if level < 3 else "Manager",
            level=level,
            team=team,
            department=team_dept[team],
            source_file="synthetic",
            source_sheet="People",
            source_row=i + 2,
        )
        g.add_edge(key, f"team:{team}", key="member_of", kind="member_of")
        return key

    ceo = add_person(0, teams[0], 6)
    i = 1
    heads = {}
    for d in depts:
        t = next(t for t in teams if team_dept[t] == d)
        heads[d] = add_person(i, t, 5)
        g.add_edge(heads[d], ceo, key="reports_to", kind="reports_to")
        i += 1
    members: dict[str, list[str]] = {t: [] for t in teams}
    leads = {}
    for t in teams:
        if i >= people:
            break
        leads[t] = add_person(i, t, 4)
        g.add_edge(leads[t], heads[team_dept[t]], key="reports_to", kind="reports_to")
        members[t].append(leads[t])
        i += 1
    order = list(leads)
    while i < people:
        t = order[i % len(order)]
        p = add_person(i, t, rng.randint(1, 3))
        g.add_edge(p, leads[t], key="reports_to", kind="reports_to")
        members[t].append(p)
        i += 1
    everyone = org.people()
    for j in range(max(1, people // 20)):
        proj = f"project:Project {j}"
        g.add_node(proj, kind="project", name=f"Project {j}")
        home = rng.choice(order)
        pool = members[home]
        size = rng.randint(3, 8)
        chosen = set(rng.sample(pool, min(len(pool), size)))
        if rng.random() < 0.3:  # a cross-team project
            chosen.update(rng.sample(everyone, rng.randint(2, 6)))
        for k, p in enumerate(sorted(chosen)):
            g.add_edge(
                p, proj, key="works_on", kind="works_on", role="lead" if k == 0 else "contributor"
            )
    for _ in range(people // 5):
        a, b = rng.sample(everyone, 2)
        g.add_edge(a, b, key="mentors", kind="mentors")
    for _ in range(people // 20):
        a, b = rng.sample(everyone, 2)
        g.add_edge(a, b, key="dotted_line", kind="dotted_line")
    org.changed()
    return org


def median_time(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'people':>8} {'orgchart s':>11} {'network s':>10} {'teams s':>8} {'nx spring s':>12}")
    for n in sizes:
        org = synthetic_org(people=n, seed=0)
        row = [
            median_time(lambda k=k, org=org: compute_layout(org, k), args.repeat)
            for k in ("orgchart", "network", "teams")
        ]
        if n <= 1000:
            g = nx.Graph()
            people = org.people()
            g.add_nodes_from(people)
            g.add_edges_from(
                (u, v)
                for u, v, k in org.graph.edges(keys=True)
                if k in ("reports_to", "dotted_line", "mentors") or k.startswith("tie")
            )
            spring = f"{median_time(lambda g=g: nx.spring_layout(g, seed=0), args.repeat):12.3f}"
        else:
            spring = f"{'(skipped)':>12}"
        print(f"{n:>8} {row[0]:>11.3f} {row[1]:>10.3f} {row[2]:>8.3f} {spring}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
