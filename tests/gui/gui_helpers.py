"""Shared helpers of the GUI tests (a module, so tests can import it by name)."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "orgmap" / "samples" / "sample-org.xlsx"
DIRTY = REPO / "orgmap" / "samples" / "dirty-org.xlsx"


class Chooser:
    """Answers the window's file questions: the next paths to open, the next save path."""

    def __init__(self) -> None:
        self.open_answers: list[list[str]] = []
        self.save_answers: list[str | None] = []
        self.asked: list[str] = []

    def open_paths(self, parent) -> list[str]:
        self.asked.append("open")
        return self.open_answers.pop(0) if self.open_answers else []

    def save_path(self, parent, title, file_filter, suggested) -> str | None:
        self.asked.append(f"save:{suggested}")
        return self.save_answers.pop(0) if self.save_answers else None


def make_window(qtbot, settings):
    from orgmap.gui.window import MainWindow

    window = MainWindow(settings)
    window.chooser = Chooser()
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    return window


def open_and_wait(qtbot, window, paths, mapping=None, timeout=60_000):
    with qtbot.waitSignal(window.loadFinished, timeout=timeout) as blocker:
        window.open_files([str(p) for p in paths], mapping)
    return blocker.args[0]


def reach_by_hand(org, node, k, kinds=("reports_to", "dotted_line", "mentors", "tie", "projects")):
    """People within ``k`` steps of ``node``, walked here on the raw graph (not with the
    views under test): person links of the given kinds, and "projects" for two members
    of one project. The person is included."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(org.people())
    people = set(org.people())
    for u, v, kind in org.graph.edges(keys=True):
        kind = org.graph.edges[u, v, kind].get("kind", kind)
        if kind in kinds and u in people and v in people and u != v:
            g.add_edge(u, v)
    if "projects" in kinds:
        for project in org.projects():
            members = [p for p, _, kk in org.graph.in_edges(project, keys=True) if kk == "works_on"]
            g.add_edges_from((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return set(nx.single_source_shortest_path_length(g, node, cutoff=k))
