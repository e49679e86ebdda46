"""Which betweenness estimator brokerage runs above the exact limit, chosen by measurement.

    python benchmarks/brokerage_bench.py [--sizes 10k] [--repeat 1]

For each size a fresh process builds the sample org's collaboration graph, computes
exact betweenness once (igraph's Brandes), then every candidate estimator, and prints
its time beside its accuracy against the exact values:

- ``top-100 overlap``: the share of the exact 100 top brokers the estimate also ranks
  in its top 100 (what the report's "Top brokers" list shows);
- ``Spearman``: rank correlation over everyone (what percentiles and sorting show);
- ``max abs err``: the largest error of a normalized value.

Candidates: igraph's sampled Brandes (sources drawn with a fixed seed, scaled by
n / k; Brandes & Pich 2007) at several k, and networkit's ``EstimateBetweenness``
(the same pivot sampling in C++, threaded), ``ApproxBetweenness`` (Riondato &
Kornaropoulos 2016, an (epsilon, delta) bound on the absolute error) and
``KadabraBetweenness`` (Borassi & Natale 2019, adaptive, same kind of bound).
The rule (issue 15): keep the fastest with a top-100 overlap of at least 0.9.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import (  # noqa: E402
    add_common_args,
    child_main,
    fmt_seconds,
    machine_load,
    note,
    print_table,
    run_child,
)

SCRIPT = Path(__file__).resolve()
TOP = 100


def _candidates(samples: list[int]) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = [
        (f"igraph sampled Brandes, k={k}", {"lib": "igraph", "k": k}) for k in samples
    ]
    out += [
        (f"networkit EstimateBetweenness, k={k}", {"lib": "nk-estimate", "k": k}) for k in samples
    ]
    out += [
        ("networkit ApproxBetweenness, eps=0.01, delta=0.1", {"lib": "nk-approx", "eps": 0.01}),
        ("networkit ApproxBetweenness, eps=0.005, delta=0.1", {"lib": "nk-approx", "eps": 0.005}),
        ("networkit KadabraBetweenness, eps=0.01, delta=0.1", {"lib": "nk-kadabra", "eps": 0.01}),
        (
            "networkit KadabraBetweenness, eps=0.005, delta=0.1",
            {"lib": "nk-kadabra", "eps": 0.005},
        ),
        ("orgmap KADABRA, rescaled, eps=0.01, delta=0.1 (chosen)", {"lib": "orgmap"}),
    ]
    return out


def _run(payload: dict[str, Any]) -> dict[str, Any]:
    import numpy as np
    from scipy.stats import spearmanr

    from orgmap.metrics.brokerage import betweenness_matrix, kadabra_matrix
    from orgmap.sample import sample_org
    from orgmap.views import collaboration_matrix, normalize_relations

    org = sample_org(payload["people"], seed=1)
    mat = collaboration_matrix(org, normalize_relations(None))
    n = mat.shape[0]
    t = time.perf_counter()
    exact, _ = betweenness_matrix(mat)
    exact_s = time.perf_counter() - t
    top_exact = set(np.argsort(-exact, kind="stable")[:TOP].tolist())
    rows = [{"name": "igraph exact Brandes", "s": exact_s, "overlap": 1.0, "rho": 1.0, "err": 0.0}]
    nk_graph = None
    only = [w.strip() for w in payload.get("only", "").split(",") if w.strip()]
    for name, cfg in _candidates(payload["samples"]):
        if only and not any(w in name for w in only):
            continue
        t = time.perf_counter()
        if cfg["lib"] == "igraph":
            est, _ = betweenness_matrix(mat, cfg["k"], seed=0)
        elif cfg["lib"] == "orgmap":
            est, _ = kadabra_matrix(mat, seed=0)
        else:
            import networkit as nk

            nk.setNumberOfThreads(1)  # as orgmap runs it: deterministic
            nk.engineering.setSeed(0, False)
            if nk_graph is None:
                upper = __import__("scipy.sparse").sparse.triu(mat, k=1).tocoo()
                nk_graph = nk.GraphFromCoo(
                    (np.ones(upper.nnz), (upper.row, upper.col)), n=n, directed=False
                )
            if cfg["lib"] == "nk-estimate":
                algo = nk.centrality.EstimateBetweenness(nk_graph, cfg["k"], True, False)
            elif cfg["lib"] == "nk-approx":
                algo = nk.centrality.ApproxBetweenness(nk_graph, cfg["eps"], 0.1)
            else:
                algo = nk.centrality.KadabraBetweenness(nk_graph, cfg["eps"], 0.1)
            algo.run()
            est = np.asarray(algo.scores(), dtype=np.float64)
            if cfg["lib"] == "nk-approx":
                # RK estimates the share of all pairs; brokerage's is pairs of others
                est = est * n * (n - 1) / ((n - 1) * (n - 2))
            # KADABRA is left on networkit's own scale: its error column shows why
            # orgmap rescales it
        seconds = time.perf_counter() - t
        top = set(np.argsort(-est, kind="stable")[:TOP].tolist())
        rows.append(
            {
                "name": name,
                "s": seconds,
                "overlap": len(top & top_exact) / TOP,
                "rho": float(spearmanr(exact, est).statistic),
                "err": float(np.max(np.abs(est - exact))),
            }
        )
    return {"rows": rows, "n": n, "edges": int(mat.nnz // 2), "top_exact": float(exact.max())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser, sizes="10000")
    parser.add_argument("--samples", default="64,128,256,512", help="k values to try")
    parser.add_argument(
        "--only", default="", help="comma-separated words: run only estimators naming one"
    )
    args = parser.parse_args()
    samples = [int(k) for k in args.samples.split(",")]
    print(f"# brokerage estimators vs exact betweenness ({machine_load()})\n")
    for people in args.sizes:
        note(f"{people} people ...")
        payload = {"people": people, "samples": samples, "only": args.only}
        res = run_child(SCRIPT, payload, timeout=3600)
        print(
            f"## {people:,} people, {res['edges']:,} collaboration edges, "
            f"largest exact value {res['top_exact']:.4f}\n"
        )
        print_table(
            ["estimator", "seconds", f"top-{TOP} overlap", "Spearman", "max abs err"],
            [
                [r["name"], fmt_seconds(r["s"]), f"{r['overlap']:.2f}", f"{r['rho']:.3f}",
                 f"{r['err']:.2g}"]
                for r in res["rows"]
            ],
        )  # fmt: skip
        print()
    print(f"finished at {machine_load()}")
    return 0


if __name__ == "__main__":
    if not child_main(_run):
        raise SystemExit(main())
