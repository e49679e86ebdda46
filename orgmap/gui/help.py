"""Help > Metrics (every metric with its definition and source) and the profile export.

Both read the core: the one :data:`orgmap.metrics.METRICS` table and
:func:`orgmap.profile.impact_profile`; this module only renders and writes.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, Qt, QUrl
from PySide6.QtGui import QImage, QKeySequence, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

import orgmap
from orgmap.metrics.info import METRICS, REFERENCES
from orgmap.metrics.risk import TEAM_PAIR_WEIGHT
from orgmap.metrics.roles import ROLE_RULES

__all__ = [
    "metrics_help_html",
    "MetricsDialog",
    "reach_picture",
    "export_profile",
    "about",
    "show_shortcuts",
]

_ENTITY = {"person": "People", "project": "Projects", "team": "Teams"}


def metrics_help_html() -> str:
    """Every metric of :data:`METRICS`, grouped by entity: label, name, definition, source."""
    e = html.escape
    out = [
        "<h2>Metrics</h2><p>Every number orgmap shows, what it means and where it comes from.</p>"
    ]
    for entity, title in _ENTITY.items():
        out.append(f"<h3>{title}</h3><table cellspacing='0' cellpadding='3' width='100%'>")
        out.append("<tr><th align='left'>Metric</th><th align='left'>Definition</th>"
                   "<th align='left'>Source</th></tr>")  # fmt: skip
        for m in METRICS:
            if m.entity != entity:
                continue
            refs = "; ".join(REFERENCES.get(r.strip(), r.strip()) for r in m.reference.split(";"))
            out.append(
                f"<tr><td valign='top'><b>{e(m.label)}</b><br><code>{e(m.name)}</code></td>"
                f"<td valign='top'>{e(m.description)}</td><td valign='top'>{e(refs)}</td></tr>"
            )
        out.append("</table>")
    out.append("<h3>Network role rules (first match wins)</h3><ol>")
    out += [f"<li>{e(rule)}</li>" for rule in ROLE_RULES]
    out.append(
        f"</ol><p>Key-person risk: {TEAM_PAIR_WEIGHT} points per team pair whose every link "
        "runs through the person, 1 per person whose only collaborator they are.</p>"
    )
    return "".join(out)


class MetricsDialog(QDialog):
    """Help > Metrics: the metrics table in a scrollable page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("metricsHelp")
        self.setWindowTitle("Metrics")
        self.resize(860, 640)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(metrics_help_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)


def reach_picture(
    canvas: Any,
    org: Any,
    positions: dict,
    metrics: dict[str, Any],
    node: str,
    k: int = 2,
    size: tuple[int, int] = (900, 560),
) -> QImage:
    """The map with ``node`` selected and its ``k``-step reach lit, drawn offscreen on a
    twin of ``canvas`` (the window's canvas keeps its view and selection)."""
    twin = type(canvas)()
    try:
        twin.resize(*size)
        twin.set_graph(org, positions, metrics)
        twin.set_reach_depth(k)
        twin.select(node)
        twin.fit()
        return twin.render_image(*size)
    finally:
        twin.deleteLater()


def _png_data_uri(image: QImage) -> str:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return "data:image/png;base64," + base64.b64encode(bytes(data)).decode("ascii")


_PDF_PICTURE_WIDTH = 480


def export_profile(
    org: Any, metrics: dict[str, Any], node: str, path: str | Path, picture: QImage | None = None
) -> Path:
    """Write ``node``'s impact profile as a one-page HTML (``.html``) or PDF (``.pdf``),
    with ``picture`` (their reach on the map) embedded. Returns the path written."""
    from orgmap.profile import impact_profile, profile_html
    from orgmap.safety import atomic_path, atomic_write_text

    path = Path(path)
    profile = impact_profile(org, metrics, node)
    uri = _png_data_uri(picture) if picture is not None and not picture.isNull() else None
    page = profile_html(profile, picture=uri)
    if path.suffix.lower() != ".pdf":
        atomic_write_text(path, page)
        return path
    # Qt's rich text does not load data: URIs; the picture goes in as a resource
    doc = QTextDocument()
    if uri:
        # Qt's rich text ignores CSS max-width: the picture is scaled to the text width
        # left on an A4 page by the margins and the page style (about 5 inches at 96 dpi)
        fitted = picture.scaledToWidth(
            min(picture.width(), _PDF_PICTURE_WIDTH), Qt.TransformationMode.SmoothTransformation
        )
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl("reach.png"), fitted)
        page = page.replace(
            f'src="{html.escape(uri)}"', f'src="reach.png" width="{fitted.width()}"'
        ).replace(html.escape(uri), "reach.png")
    doc.setHtml(page)
    with atomic_path(path) as tmp:
        writer = QPdfWriter(str(tmp))
        writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
        writer.setTitle(f"Impact profile: {org.label(node)}")
        doc.print_(writer)
        del writer  # the file is complete once the writer is gone
    return path


def about(win: QWidget) -> None:
    QMessageBox.about(
        win,
        "About orgmap",
        f"<b>orgmap {html.escape(getattr(orgmap, '__version__', ''))}</b><p>Map how influence "
        "flows through an organization, from the spreadsheets it already has.</p>"
        "<p>Everything stays on this computer: orgmap never uses the network.</p>",
    )


def show_shortcuts(win: QWidget) -> None:
    rows = []
    seen = set()
    for act in win.actions():
        key = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        text = act.text().replace("&", "")
        if key and text and (text, key) not in seen:
            seen.add((text, key))
            rows.append(f"<tr><td><b>{html.escape(key)}</b></td><td>{html.escape(text)}</td></tr>")
    box = QMessageBox(win)
    box.setWindowTitle("Keyboard shortcuts")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText("<table cellpadding='3'>" + "".join(rows) + "</table>")
    box.open()
