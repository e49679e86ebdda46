"""The whole graph for Gephi, Cytoscape and friends: GraphML, GEXF 1.2 or node-link JSON.

Every node and edge keeps its attributes and gets its metrics, flattened to what the
formats hold: no ``None`` (missing values are simply absent), dicts and lists as JSON
strings, dates as ISO text, NaN and infinities dropped. Each attribute has one type
across the file (int, float, bool or string; mixed columns become strings), so Gephi's
typed attribute columns and networkx's readers agree with what was written.

In GEXF and JSON a person's ``id`` attribute is written as ``person_id`` (the formats'
own node ``id`` is the node key, ``person:<id>``); GEXF nodes are labelled with ``name``.

Metrics become node attributes under their SPEC names (``influence``, ``brokerage``,
...); one that collides with a source attribute is written as ``metric_<name>``.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from orgmap.metrics.info import NAMED_METRICS
from orgmap.model import Org, unique_name
from orgmap.safety import clean_text

__all__ = ["FORMATS", "ExportError", "export_graph", "flat_graph"]

#: File extension -> label.
FORMATS = {".graphml": "GraphML", ".gexf": "GEXF 1.2", ".json": "node-link JSON"}

Progress = Callable[[float, str], None] | None


class ExportError(ValueError):
    """A clear, user-facing reason the export could not be written."""


def _text(value: str) -> str:
    # XML 1.0 cannot hold control characters: one cleaner for every output (orgmap.safety)
    return clean_text(value)


def _scalar(value: Any) -> Any:
    """A value every format holds, or None to leave the attribute out."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        try:
            return _scalar(value.item())
        except (TypeError, ValueError):
            pass
    if isinstance(value, (dict, list, tuple, set, frozenset)):
        if isinstance(value, (set, frozenset)):
            value = sorted(value, key=str)
        return _text(
            json.dumps(value, ensure_ascii=False, default=str, sort_keys=True, allow_nan=False)
        )
    return _text(str(value))


def _unify(records: list[dict[str, Any]]) -> None:
    """Give each attribute one type across all records (in place).

    bool stays bool only if every value is bool; int and float mix to float; anything
    else mixed becomes text.
    """
    types: dict[str, set[type]] = {}
    for rec in records:
        for k, v in rec.items():
            types.setdefault(k, set()).add(type(v))
    for k, ts in types.items():
        if len(ts) <= 1:
            continue
        if ts <= {int, float}:
            for rec in records:
                if k in rec:
                    rec[k] = float(rec[k])
        else:
            for rec in records:
                if k in rec and not isinstance(rec[k], str):
                    rec[k] = json.dumps(rec[k]) if isinstance(rec[k], bool) else str(rec[k])


def flat_graph(org: Org, metrics: dict | None = None) -> nx.MultiDiGraph:
    """A copy of the org graph with scalar attributes and the metrics on the nodes."""
    graph = org.graph
    metric_of: dict[str, dict[str, Any]] = {}
    for table in ("people", "projects", "teams"):
        for node, vals in ((metrics or {}).get(table) or {}).items():
            if isinstance(vals, dict):
                metric_of[node] = vals
    node_recs: list[dict[str, Any]] = []
    nodes = list(graph.nodes)
    for node in nodes:
        data = graph.nodes[node]
        rec = {str(k): s for k, v in data.items() if (s := _scalar(v)) is not None}
        for name, value in metric_of.get(node, {}).items():
            if name in NAMED_METRICS:  # sentences naming people: not a node attribute
                continue
            s = _scalar(value)
            if s is None:
                continue
            rec[f"metric_{name}" if name in rec else name] = s
        node_recs.append(rec)
    _unify(node_recs)
    edges = list(graph.edges(keys=True, data=True))
    edge_recs = [
        {str(k): s for k, v in data.items() if (s := _scalar(v)) is not None}
        for _, _, _, data in edges
    ]
    _unify(edge_recs)
    # node keys and attribute names are written as XML attribute values too; two keys
    # that differ only in a control character would become one, so they keep a suffix
    keys: dict[Any, str] = {}
    used: set[str] = set()
    for node in nodes:
        keys[node] = unique_name(_text(str(node)), used)
    out = nx.MultiDiGraph()
    out.add_nodes_from(
        (keys[n], {_text(k): v for k, v in rec.items()})
        for n, rec in zip(nodes, node_recs, strict=True)
    )
    for (u, v, key, _), rec in zip(edges, edge_recs, strict=True):
        out.add_edge(keys[u], keys[v], key=_text(str(key)), **{_text(k): x for k, x in rec.items()})
    return out


def _rename_person_id(flat: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GEXF and node-link JSON use ``id`` for the node key: a person's own ``id``
    attribute is written as ``person_id`` there so neither hides the other."""
    for _, data in flat.nodes(data=True):
        if "id" in data:
            data["person_id"] = data.pop("id")
    return flat


def _for_gexf(flat: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """networkx's GEXF writer takes ``id`` as the GEXF id and ``label`` as the label:
    node keys stay the ids, and nodes are labelled with their names for Gephi."""
    _rename_person_id(flat)
    for _, data in flat.nodes(data=True):
        if "name" in data:
            data["label"] = data["name"]
    return flat


def export_graph(
    org: Org,
    path: Path | str,
    metrics: dict | None = None,
    *,
    anonymize: bool = False,
    salt: str = "",
    min_group: int = 5,
    progress: Progress = None,
) -> Path:
    """Write the graph with attributes and metrics to ``path``; format by extension.

    ``.graphml`` (GraphML), ``.gexf`` (GEXF 1.2, typed attributes, Gephi) or ``.json``
    (networkx node-link: ``{"directed", "multigraph", "graph", "nodes", "edges"}``).
    The file is written atomically. With ``anonymize`` the graph is pseudonymised first
    and its quasi-identifiers generalised to groups of ``min_group`` (:mod:`orgmap.anonymize`);
    ``metrics``, keyed by the original nodes, follow it.
    Raises :class:`ExportError` for an unknown extension or an unwritable path.
    """
    from orgmap.safety import atomic_path, atomic_write_text

    target = Path(path)
    ext = target.suffix.lower()
    if ext not in FORMATS:
        raise ExportError(
            f"cannot export to {target.name!r}: use one of {', '.join(sorted(FORMATS))}"
        )
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(f"cannot write {target}: folder {parent} does not exist")
    if anonymize:
        from orgmap.anonymize import prepare

        anon = prepare(org, metrics, salt, min_group)
        org, metrics = anon.org, anon.metrics
    if progress:
        progress(0.1, "flattening attributes")
    flat = flat_graph(org, metrics)
    if progress:
        progress(0.4, f"writing {FORMATS[ext]}")
    try:
        if ext == ".json":
            data = nx.node_link_data(_rename_person_id(flat), edges="edges")
            text = json.dumps(data, ensure_ascii=False, allow_nan=False, indent=1)
            atomic_write_text(target, text + "\n")
        else:
            with atomic_path(target) as tmp:
                if ext == ".graphml":
                    nx.write_graphml(flat, tmp, encoding="utf-8", named_key_ids=True)
                else:
                    nx.write_gexf(_for_gexf(flat), tmp, encoding="utf-8", version="1.2draft")
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from exc
    if progress:
        progress(1.0, "done")
    return target
