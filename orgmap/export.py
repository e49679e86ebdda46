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
import functools
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from math import isfinite
from operator import itemgetter
from pathlib import Path
from typing import Any

import networkx as nx

from orgmap import palette
from orgmap.gcpause import paused_gc
from orgmap.metrics.info import NAMED_METRICS
from orgmap.model import Org, unique_name
from orgmap.safety import clean_text

__all__ = ["FORMATS", "ExportError", "export_graph", "flat_graph", "map_style"]

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
        return _text(_JSON_VALUE(value))
    return _text(str(value))


#: ``json.dumps(value, ensure_ascii=False, ...)`` without making an encoder per call
_JSON_VALUE = json.JSONEncoder(
    ensure_ascii=False, default=str, sort_keys=True, allow_nan=False
).encode
#: Types :func:`_scalar` turns into text (never None)
_AS_TEXT = frozenset({dict, list, tuple, set, frozenset, _dt.date, _dt.datetime, _dt.time})
_PLAIN = frozenset({str, int, bool, float})
_SLOW = object()  # a set of columns the per-value path flattens


def _picker(indexes: list[int]) -> Callable[[Sequence[Any]], tuple]:
    """``itemgetter(*indexes)`` that always returns a tuple."""
    if not indexes:
        return lambda values: ()
    if len(indexes) == 1:
        i = indexes[0]
        return lambda values: (values[i],)
    return itemgetter(*indexes)


def _unify(records: list[dict[str, Any]], mixed: dict[str, set[type]] | None = None) -> None:
    """Give each attribute one type across all records (in place).

    bool stays bool only if every value is bool; int and float mix to float; anything
    else mixed becomes text. ``mixed`` (attribute -> its types, for the attributes of
    more than one type) saves counting the types here when the caller already did.
    """
    if mixed is None:
        types: dict[str, set[type]] = {}
        for rec in records:
            for k, v in rec.items():
                types.setdefault(k, set()).add(type(v))
        mixed = {k: ts for k, ts in types.items() if len(ts) > 1}
    for k, ts in mixed.items():
        if ts <= {int, float}:
            for rec in records:
                if k in rec:
                    rec[k] = float(rec[k])
        else:
            for rec in records:
                if k in rec and not isinstance(rec[k], str):
                    rec[k] = json.dumps(rec[k]) if isinstance(rec[k], bool) else str(rec[k])


class _Flattener:
    """Records flattened value by value, each column's types noted on the way.

    This is :func:`_scalar` with its common cases (str, int, bool, float) inlined and
    attribute names cleaned once per name: at 100k people an export flattens about 4M
    values, and a call plus an ``isinstance`` chain per value was most of its time.
    Noting the types here saves :func:`_unify` another pass over every value.
    """

    def __init__(self) -> None:
        self.names: dict[str, str] = {}  # str key -> its cleaned text
        self.taken: set[str] = set()
        self.first: dict[str, type] = {}  # attribute -> the type of its first value
        self.mixed: dict[str, set[type]] = {}  # attribute -> its types, when several
        # False once a record's name was written twice (two keys cleaned to one text):
        # the overwritten value must not count, so the types are counted again
        self.exact = True
        self.plans: dict[tuple, Any] = {}
        self.texts: dict[int, Any] = {}  # id of a dict, list... -> its text (_as_text)
        self.held: list[Any] = []

    def record(self, data: dict[Any, Any], metrics: dict[str, Any]) -> dict[str, Any]:
        """``data`` and then ``metrics`` (but the named ones) flattened into a new record.

        The records of an org come in a few shapes (every person has the same columns
        of the same types), so the work per column -- its name, its conversion, its
        type -- is decided once per shape (:meth:`_plan`), and a record of a known shape
        is checked in a few C-level calls (every text printable, every float finite)
        and made with one ``dict(zip(...))``; a record that fails a check, or of an
        unusual shape, takes the value-by-value path (:meth:`add`).
        """
        values = (*data.values(), *metrics.values())
        shape = (tuple(data), tuple(metrics), tuple(map(type, values)))
        plan = self.plans.get(shape)
        if plan is None:
            plan = self.plans[shape] = self._plan(shape)
        if plan is not _SLOW:
            keep, names, texts, floats, others, types, noted = plan
            kept = keep(values)
            if "".join(texts(kept)).isprintable() and all(map(isfinite, floats(kept))):
                if others:
                    kept = list(kept)
                    for i in others:
                        kept[i] = self._as_text(kept[i])
                if not noted:  # the first record of its shape: its column types
                    plan[-1] = True
                    for name, t in zip(names, types, strict=True):
                        seen = self.first.setdefault(name, t)
                        if seen is not t:
                            self.mixed.setdefault(name, {seen}).add(t)
                return dict(zip(names, kept, strict=True))
        rec: dict[str, Any] = {}
        self.add(rec, data.items(), True)
        self.add(rec, ((k, v) for k, v in metrics.items() if k not in NAMED_METRICS), False)
        return rec

    def _as_text(self, value: Any) -> Any:
        """:func:`_scalar` of a dict, list, set or date: the same object (people with
        the same brokerage roles share one dict) is encoded once."""
        text = self.texts.get(id(value))
        if text is None:
            text = _scalar(value)
            self.texts[id(value)] = text
            self.held.append(value)  # alive, so its id is not reused while cached
        return text

    def _plan(self, shape: tuple[tuple, tuple, tuple[type, ...]]) -> Any:
        """How a record of ``shape`` (data keys, metric keys, value types) is flattened:
        the values kept, their names, which are text, floats or turned into text, and
        their types once flat; ``_SLOW`` when only :meth:`add` gets it right."""
        data_keys, metric_keys, types = shape
        names: list[str] = []
        kept: list[int] = []
        for i, k in enumerate(data_keys):
            name = self.names.get(k) if type(k) is str else None
            if name is None:
                name = self._name(k)
            names.append(name)
            kept.append(i)
        if len(set(names)) < len(names):  # two keys cleaned to one name
            return _SLOW
        taken = set(names)
        for i, k in enumerate(metric_keys, start=len(data_keys)):
            if k in NAMED_METRICS:  # sentences naming people: not a node attribute
                continue
            name = f"metric_{k}" if k in taken else k
            if name in taken:
                return _SLOW
            taken.add(name)
            names.append(name)
            kept.append(i)
        kinds = [types[i] for i in kept]
        if not all(t in _PLAIN or t in _AS_TEXT for t in kinds):
            return _SLOW
        texts = [j for j, t in enumerate(kinds) if t is str]
        floats = [j for j, t in enumerate(kinds) if t is float]
        others = [j for j, t in enumerate(kinds) if t in _AS_TEXT]
        flat_types = [str if t in _AS_TEXT else t for t in kinds]
        return [_picker(kept), names, _picker(texts), _picker(floats), others, flat_types, False]

    def _name(self, key: Any) -> str:
        """``key`` as an attribute name, cleaned (once per text key)."""
        name = _text(str(key))
        if name in self.taken:
            self.exact = False
        self.taken.add(name)
        if type(key) is str:  # 1 and True are one dict key, their texts two
            self.names[key] = name
        return name

    def add(self, rec: dict[str, Any], items: Iterable[tuple[Any, Any]], clean: bool) -> None:
        """Flatten ``items`` into ``rec``; with ``clean`` the keys are cleaned names."""
        names, first, mixed = self.names, self.first, self.mixed
        for k, v in items:
            t = type(v)
            if t is str:
                if not v.isprintable():
                    v = clean_text(v)
            elif t is float:
                if not isfinite(v):
                    continue
            elif t is not int and t is not bool:
                v = _scalar(v)
                if v is None:
                    continue
                t = type(v)
            if clean:
                name = names.get(k) if type(k) is str else None
                if name is None:
                    name = self._name(k)
            else:  # a metric: its own name, or metric_<name> beside a source attribute
                name = f"metric_{k}" if k in rec else k
                if name in rec:
                    self.exact = False
            rec[name] = v
            seen = first.setdefault(name, t)
            if seen is not t:
                mixed.setdefault(name, {seen}).add(t)


def _records(
    org: Org, metrics: dict | None
) -> tuple[list[str], list[dict[str, Any]], list[tuple[str, str, str, dict[str, Any]]]]:
    """Node keys, node records and edges, flattened (see the module docstring).

    Node keys and attribute names are written as XML attribute values too: two keys
    that differ only in a control character would become one, so they keep a suffix.
    """
    graph = org.graph
    metric_of: dict[str, dict[str, Any]] = {}
    for table in ("people", "projects", "teams"):
        for node, vals in ((metrics or {}).get(table) or {}).items():
            if isinstance(vals, dict):
                metric_of[node] = vals
    flat = _Flattener()
    node_recs: list[dict[str, Any]] = []
    nodes = list(graph.nodes)
    none: dict[str, Any] = {}
    for node, data in graph.nodes(data=True):
        node_recs.append(flat.record(data, metric_of.get(node, none)))
    _unify(node_recs, flat.mixed if flat.exact else None)
    keys: dict[Any, str] = {}
    used: set[str] = set()
    for node in nodes:
        keys[node] = unique_name(_text(str(node)), used)
    flat = _Flattener()
    edges = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        edges.append((keys[u], keys[v], _text(str(key)), flat.record(data, none)))
    _unify([rec for *_, rec in edges], flat.mixed if flat.exact else None)
    return [keys[n] for n in nodes], node_recs, edges


def flat_graph(org: Org, metrics: dict | None = None) -> nx.MultiDiGraph:
    """A copy of the org graph with scalar attributes and the metrics on the nodes."""
    nodes, node_recs, edges = _records(org, metrics)
    out = nx.MultiDiGraph()
    out.add_nodes_from(zip(nodes, node_recs, strict=True))
    for u, v, key, rec in edges:
        out.add_edge(u, v, key=key, **rec)
    return out


def _rename_person_id(flat: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Node-link JSON uses ``id`` for the node key: a person's own ``id`` attribute is
    written as ``person_id`` there so neither hides the other."""
    for _, data in flat.nodes(data=True):
        if "id" in data:
            data["person_id"] = data.pop("id")
    return flat


def _for_xml(org: Org, nodes: list[str], node_recs: list[dict[str, Any]]) -> None:
    """GraphML and GEXF readers take a node's ``id`` for its key (igraph warns and drops
    a data key named ``id``), and Gephi and Cytoscape show ``label``: a person's own
    ``id`` becomes ``person_id`` and every node gets a ``label`` (its name, in place)."""
    for node, rec in zip(org.graph.nodes, node_recs, strict=True):
        if "id" in rec:
            rec["person_id"] = rec.pop("id")
        if "label" not in rec:
            rec["label"] = _text(org.label(node))


# -- streaming XML writers -----------------------------------------------------------
# Written as text in chunks: networkx's writers build the whole document as an
# ElementTree first (3 GB and 100 s for 100k people); these hold one chunk at a time.
_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;",
     "\t": "&#9;"}
)  # fmt: skip
_NEEDS_ESCAPE = re.compile('[&<>"\n\r\t]').search
_CHUNK = 4000


def _q(value: str) -> str:
    """``value`` as the inside of a double-quoted XML attribute (newlines kept)."""
    # a regex search is several times cheaper than translate, and few values need it
    return value if _NEEDS_ESCAPE(value) is None else _escaped(value)


@functools.lru_cache(maxsize=4096)
def _escaped(value: str) -> str:
    # the texts that need escaping repeat: a person's brokerage roles are JSON text (its
    # quotes), one of a few thousand distinct ones at 100k people
    return value.translate(_ESCAPES)


def _xml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _types(records: Iterable[dict[str, Any]], names: dict[type, str]) -> dict[str, str]:
    """Attribute name -> its XML type, in order of first appearance (one type per
    attribute after :func:`_unify`)."""
    out: dict[str, str] = {}
    seen: set[tuple[str, ...]] = set()
    for rec in records:
        shape = tuple(rec)
        if shape in seen:  # most records share their set of attributes with another
            continue
        seen.add(shape)
        for k, v in rec.items():
            if k not in out:
                out[k] = names[type(v)]
    return out


_XML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
#: How a value of each XML type is written into a %-template: ``%d`` is ``str(int)``
#: and ``%r`` is ``repr(float)`` (what :func:`_xml_value` writes); booleans are turned
#: into ``true``/``false`` first.
_PERCENT = {"string": "%s", "long": "%d", "double": "%r", "boolean": "%s"}


class _Lines:
    """The lines of one element (a GraphML node, a GEXF edge...), one %-template per
    set of attributes.

    A 100k-person file has a few million values but only a handful of attribute sets
    (every person has the same columns): the markup around the values is built once per
    set and each line is one ``%`` of its values. Text is escaped only in the rare line
    where one of its strings needs it (one regex search over the line's strings).
    ``head`` and ``tail`` are %-templates of the values before and after the
    attributes, of XML types ``head_types`` and ``tail_types``; ``item`` makes the
    markup around one attribute's value from the attribute's id.
    """

    def __init__(
        self,
        head: str,
        head_types: tuple[str, ...],
        item: Callable[[str], tuple[str, str]],
        tail: str,
        tail_types: tuple[str, ...],
        types: dict[str, str],
        ids: dict[str, str],
    ) -> None:
        self.head, self.head_types, self.item = head, head_types, item
        self.tail, self.tail_types = tail, tail_types
        self.types, self.ids = types, ids
        self.shapes: dict[tuple[str, ...], tuple[str, Callable, list[int], list[int]]] = {}

    def _shape(self, names: tuple[str, ...]) -> tuple[str, Callable, list[int], list[int]]:
        parts = [self.head]
        for name in names:
            before, after = self.item(self.ids[name])
            kind = _PERCENT[self.types[name]]
            parts.append(before.replace("%", "%%") + kind + after.replace("%", "%%"))
        parts.append(self.tail)
        kinds = [*self.head_types, *(self.types[n] for n in names), *self.tail_types]
        strings = [i for i, k in enumerate(kinds) if k == "string"]
        bools = [i for i, k in enumerate(kinds) if k == "boolean"]
        pick = _picker(strings)
        shape = ("".join(parts), pick, strings, bools)
        self.shapes[names] = shape
        return shape

    def line(self, head: tuple, rec: dict[str, Any], tail: tuple = ()) -> str:
        names = tuple(rec)
        template, pick, strings, bools = self.shapes.get(names) or self._shape(names)
        vals = [*head, *rec.values(), *tail]
        for i in bools:
            vals[i] = "true" if vals[i] else "false"
        if _NEEDS_ESCAPE("".join(pick(vals))) is not None:
            for i in strings:
                vals[i] = _q(vals[i])
        return template % tuple(vals)


class _Chunks:
    """Lines gathered and written a few thousand at a time."""

    def __init__(self, fh: Any) -> None:
        self.fh, self.parts = fh, []

    def add(self, text: str) -> None:
        self.parts.append(text)
        if len(self.parts) >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        self.fh.write("".join(self.parts))
        self.parts.clear()


def write_graphml(
    fh: Any,
    nodes: list[str],
    node_recs: list[dict[str, Any]],
    edges: list[tuple[str, str, str, dict[str, Any]]],
) -> None:
    """GraphML with one ``<key>`` per attribute and domain, ids unique in the document
    (``n0``... for nodes, ``e0``... for edges: ``kind`` of a node and of an edge are two
    keys), typed ``boolean``/``long``/``double``/``string``; edge ids are their keys."""
    out = _Chunks(fh)
    out.add(
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    node_types = _types(node_recs, _XML_TYPES)
    node_keys: dict[str, str] = {}
    for i, (name, kind) in enumerate(node_types.items()):
        node_keys[name] = f"n{i}"
        out.add(f'<key id="n{i}" for="node" attr.name="{_q(name)}" attr.type="{kind}"/>\n')
    edge_types = _types((e[3] for e in edges), _XML_TYPES)
    edge_keys: dict[str, str] = {}
    for i, (name, kind) in enumerate(edge_types.items()):
        edge_keys[name] = f"e{i}"
        out.add(f'<key id="e{i}" for="edge" attr.name="{_q(name)}" attr.type="{kind}"/>\n')
    out.add('<graph edgedefault="directed">\n')

    def data(key: str) -> tuple[str, str]:
        return f'<data key="{key}">', "</data>"

    lines = _Lines('<node id="%s">', ("string",), data, "</node>\n", (), node_types, node_keys)
    for node, rec in zip(nodes, node_recs, strict=True):
        out.add(lines.line((node,), rec))
    lines = _Lines(
        '<edge id="%s" source="%s" target="%s">',
        ("string",) * 3,
        data,
        "</edge>\n",
        (),
        edge_types,
        edge_keys,
    )
    for u, v, key, rec in edges:
        out.add(lines.line((key, u, v), rec))
    out.add("</graph>\n</graphml>\n")
    out.flush()


def _gexf_attributes(out: _Chunks, cls: str, types: dict[str, str]) -> dict[str, str]:
    """Declare one class's attributes (numbered in order); returns name -> id."""
    ids: dict[str, str] = {}
    out.add(f'<attributes mode="static" class="{cls}">\n')
    for i, (name, kind) in enumerate(types.items()):
        ids[name] = str(i)
        out.add(f'<attribute id="{i}" title="{_q(name)}" type="{kind}"/>\n')
    out.add("</attributes>\n")
    return ids


def write_gexf(
    fh: Any,
    nodes: list[str],
    node_recs: list[dict[str, Any]],
    edges: list[tuple[str, str, str, dict[str, Any]]],
    viz: list[tuple[float, float, str, float]],
) -> None:
    """GEXF 1.2 with typed attributes and, per node, ``viz:position``, ``viz:color`` and
    ``viz:size`` (``viz[i]`` is ``(x, y, "#RRGGBB", size)``, y already pointing up).
    Edge ids are numbers (unique, as GEXF wants); the edge's key is its label and its
    ``networkx_key`` attribute, so networkx reads the same multigraph back."""
    out = _Chunks(fh)
    out.add(
        "<?xml version='1.0' encoding='utf-8'?>\n"
        '<gexf xmlns="http://www.gexf.net/1.2draft" '
        'xmlns:viz="http://www.gexf.net/1.2draft/viz" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft '
        'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
        "<meta><creator>orgmap</creator></meta>\n"
        '<graph defaultedgetype="directed" mode="static" name="">\n'
    )
    # the label is the node's own GEXF label, not an attribute beside it
    labels = [rec.get("label") for rec in node_recs]
    node_recs = [{k: v for k, v in rec.items() if k != "label"} for rec in node_recs]
    node_types = _types(node_recs, _XML_TYPES)
    node_ids = _gexf_attributes(out, "node", node_types)
    edge_recs = [{**rec, "networkx_key": key} for _, _, key, rec in edges]
    edge_types = _types(edge_recs, _XML_TYPES)
    edge_ids = _gexf_attributes(out, "edge", edge_types)
    out.add("<nodes>\n")

    def attvalue(key: str) -> tuple[str, str]:
        return f'<attvalue for="{key}" value="', '"/>'

    lines = _Lines(
        '<node id="%s" label="%s"><attvalues>',
        ("string", "string"),
        attvalue,
        '</attvalues><viz:size value="%r"/><viz:position x="%r" y="%r" z="0.0"/>'
        '<viz:color r="%d" g="%d" b="%d"/></node>\n',
        ("double",) * 3 + ("long",) * 3,
        node_types,
        node_ids,
    )
    for node, rec, label, (x, y, color, size) in zip(nodes, node_recs, labels, viz, strict=True):
        r, g, b = palette.hex_to_rgb(color)
        out.add(lines.line((node, str(label or node)), rec, (size, x, y, r, g, b)))
    out.add("</nodes>\n<edges>\n")
    lines = _Lines(
        '<edge id="%d" source="%s" target="%s" label="%s"><attvalues>',
        ("long", "string", "string", "string"),
        attvalue,
        "</attvalues></edge>\n",
        (),
        edge_types,
        edge_ids,
    )
    for i, ((u, v, key, _), rec) in enumerate(zip(edges, edge_recs, strict=True)):
        out.add(lines.line((i, u, v, key), rec))
    out.add("</edges>\n</graph>\n</gexf>\n")
    out.flush()


def write_node_link(fh: Any, data: dict[str, Any]) -> None:
    """``data`` (:func:`networkx.node_link_data` of a flat graph) as
    ``json.dumps(data, indent=1)`` writes it, byte for byte, with control characters
    replaced as :func:`orgmap.safety.atomic_write_text` does.

    Python's indenting encoder is pure Python (9 s for 100k people); the nodes and
    edges of a flat graph are dicts of scalars, so each is one call of the C encoder
    with the indented layout as its separators, and the file is written in chunks.
    """
    options: dict[str, Any] = {"ensure_ascii": False, "allow_nan": False}
    flat = json.JSONEncoder(separators=(",\n   ", ": "), **options).encode
    out = _Chunks(_CleanWriter(fh))
    sep = "{\n "
    for key, value in data.items():
        out.add(sep + json.dumps(key, **options) + ": ")
        sep = ",\n "
        if key in ("nodes", "edges") and isinstance(value, list) and value:
            item_sep = "[\n  "
            for item in value:
                text = flat(item)
                # no raw newline inside JSON text: the braces are the only lines to add
                out.add(item_sep + ("{\n   " + text[1:-1] + "\n  }" if item else text))
                item_sep = ",\n  "
            out.add("\n ]")
        else:  # directed, multigraph, graph: indented one level in
            out.add(json.dumps(value, indent=1, **options).replace("\n", "\n "))
    out.add("\n}\n" if data else "{}\n")
    out.flush()


class _CleanWriter:
    """A text file whose writes have control characters replaced (:func:`clean_text`)."""

    def __init__(self, fh: Any) -> None:
        self.fh = fh

    def write(self, text: str) -> None:
        self.fh.write(clean_text(text))


def map_style(
    org: Org,
    metrics: dict | None,
    positions: dict[str, tuple[float, float]] | None = None,
    layout: str = "network",
    seed: int = 0,
) -> list[tuple[float, float, str, float]]:
    """``(x, y, colour, size)`` of every node, in graph order, as the map draws them.

    Positions are ``positions`` (the canvas's) where given, else
    :func:`orgmap.layout.compute_layout` for ``layout``; y is flipped, since GEXF's
    y axis points up and the layout's down. Colours are the department colours of
    :func:`orgmap.palette.category_colors` (the map's default colouring; other kinds in
    their :data:`~orgmap.palette.KIND_COLORS`); sizes are the map's node diameters
    (the HTML map's sizing, by influence, members and headcount).
    """
    from orgmap.html_export.view import _node_sizes
    from orgmap.layout import compute_layout

    graph = org.graph
    nodes = list(graph.nodes)
    pos = dict(positions or {})
    missing = [n for n in nodes if n not in pos]
    if missing:
        pos.update(compute_layout(org, layout, nodes=nodes, seed=seed))
    colors = department_colors(org)
    _, _, sizes = _node_sizes(org, nodes, metrics)
    out = []
    for node, data in graph.nodes(data=True):
        x, y = pos.get(node, (0.0, 0.0))
        kind = data.get("kind", "person")
        if kind == "person":
            color = colors.get(data.get("department"), palette.MISSING_COLOR)
        else:
            color = palette.KIND_COLORS.get(kind, palette.MISSING_COLOR)
        out.append((float(x), -float(y), color, float(sizes[node])))
    return out


def department_colors(org: Org) -> dict[Any, str]:
    """Each department's colour on the map (:func:`orgmap.palette.group_colors`)."""
    return palette.group_colors(org, "department")


@paused_gc()
def export_graph(
    org: Org,
    path: Path | str,
    metrics: dict | None = None,
    *,
    anonymize: bool = False,
    salt: str = "",
    min_group: int = 5,
    progress: Progress = None,
    positions: dict[str, tuple[float, float]] | None = None,
    layout: str = "network",
    seed: int = 0,
) -> Path:
    """Write the graph with attributes and metrics to ``path``; format by extension.

    ``.graphml`` (GraphML), ``.gexf`` (GEXF 1.2, typed attributes, Gephi) or ``.json``
    (networkx node-link: ``{"directed", "multigraph", "graph", "nodes", "edges"}``).
    The file is written atomically. With ``anonymize`` the graph is pseudonymised first
    and its quasi-identifiers generalised to groups of ``min_group`` (:mod:`orgmap.anonymize`);
    ``metrics``, keyed by the original nodes, follow it. A GEXF carries the map's
    picture (:func:`map_style`): ``positions`` (the canvas's, keyed by the original
    nodes) or else the ``layout`` computed with ``seed``.
    Raises :class:`ExportError` for an unknown extension or an unwritable path.
    """
    from orgmap.safety import atomic_path

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

        anon = prepare(org, metrics, salt, min_group, positions)
        org, metrics, positions = anon.org, anon.metrics, anon.positions
    if progress:
        progress(0.1, "flattening attributes")
    viz = map_style(org, metrics, positions, layout, seed) if ext == ".gexf" else None
    if progress:
        progress(0.3, "flattening attributes")
    try:
        if ext == ".json":
            data = nx.node_link_data(_rename_person_id(flat_graph(org, metrics)), edges="edges")
            with (
                atomic_path(target) as tmp,
                open(tmp, "w", encoding="utf-8", errors="replace") as fh,
            ):
                write_node_link(fh, data)
        else:
            nodes, node_recs, edges = _records(org, metrics)
            _for_xml(org, nodes, node_recs)
            if progress:
                progress(0.5, f"writing {FORMATS[ext]}")
            with atomic_path(target) as tmp, open(tmp, "w", encoding="utf-8") as fh:
                if viz is None:
                    write_graphml(fh, nodes, node_recs, edges)
                else:
                    write_gexf(fh, nodes, node_recs, edges, viz)
    except OSError as exc:
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from exc
    if progress:
        progress(1.0, "done")
    return target
