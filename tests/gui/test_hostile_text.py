"""Every text from the data is shown in Qt as the characters it holds, never as markup.

An org whose names, titles, teams, projects and references are HTML (``<b>``, ``<img>``,
``<a href>``) is opened in a real window; every model the app shows (explorer People,
Projects and Teams, the issues panel, the import dialog's preview and issues) is walked
for every row, column and role returning text, and what Qt would draw is checked: text
Qt takes as rich (``Qt.mightBeRichText``) must render to the literal characters with no
bold, image or link in the rendered document.
"""

import re

import openpyxl
from gui_helpers import open_and_wait
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QTextDocument

BOLD = "<b>Ada Bold Lovelace</b>"
IMAGE = "<img src=x> Grace Image Hopper"
LINK = '<a href="http://evil.example/">Alan Link Turing</a>'
HOSTILE = (BOLD, IMAGE, LINK)

TEXT_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.StatusTipRole,
    Qt.ItemDataRole.WhatsThisRole,
    Qt.ItemDataRole.EditRole,
)
#: Roles Qt draws as rich text when the text looks like it (item views draw the display
#: text plainly; tooltips and "What's this" go through QTextDocument).
RICH_ROLES = (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.WhatsThisRole)


def hostile_workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "People"
    ws.append(["Employee ID", "Full Name", "Manager ID", "Title", "Team", "Department"])
    ws.append([1, BOLD, None, IMAGE, LINK, BOLD])
    ws.append([2, IMAGE, 1, LINK, LINK, BOLD])
    ws.append([3, LINK, 1, BOLD, BOLD, IMAGE])
    # an unknown manager: the issue message quotes the cell
    ws.append([4, "Dana Plain", "<b>nobody at all here</b>", "Engineer", BOLD, IMAGE])
    pj = wb.create_sheet("Projects")
    pj.append(["Project", "Member", "Role"])
    pj.append([f"{BOLD} project", 1, "lead"])
    pj.append([f"{BOLD} project", 3, "contributor"])
    pj.append([f"{LINK} project", 2, "lead"])
    wb.save(path)
    return path


def rendered(text: str) -> tuple[str, list[str]]:
    """(what the user reads, the markup effects Qt applies) for a text shown as a tooltip."""
    if not Qt.mightBeRichText(text):
        return text, []
    doc = QTextDocument()
    doc.setHtml(text)
    effects = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                effects.append("image")
            if fmt.isAnchor():
                effects.append(f"link {fmt.anchorHref()}")
            if fmt.fontWeight() > QFont.Weight.Normal:
                effects.append("bold")
            it += 1
        block = block.next()
    return doc.toPlainText(), effects


def assert_literal(text: str, where: str) -> None:
    seen, effects = rendered(text)
    assert not effects, (where, text, effects)
    for h in HOSTILE:
        if h in text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"):
            assert h in seen, (where, text, seen)


def walk(model, name: str) -> int:
    """Check every cell and header of ``model``; return how many hostile texts were seen
    in rich-text roles (so the test cannot pass by looking at nothing)."""
    hostile_rich = 0
    for row in range(model.rowCount(QModelIndex())):
        for col in range(model.columnCount(QModelIndex())):
            index = model.index(row, col)
            display = model.data(index, Qt.ItemDataRole.DisplayRole)
            for role in TEXT_ROLES:
                value = model.data(index, role)
                if not isinstance(value, str):
                    continue
                if role in RICH_ROLES:
                    assert_literal(value, f"{name}[{row},{col}] role {role}")
                    seen, _ = rendered(value)
                    if any(h in seen for h in HOSTILE) or "<b>nobody" in seen:
                        hostile_rich += 1
                    # the tooltip says what the cell says
                    tip = role == RICH_ROLES[0] and name.startswith("explorer")
                    if tip and isinstance(display, str) and len(display) > 20:
                        assert seen == display, (name, row, col, seen, display)
    for col in range(model.columnCount(QModelIndex())):
        for role in RICH_ROLES:
            value = model.headerData(col, Qt.Orientation.Horizontal, role)
            if isinstance(value, str):
                assert_literal(value, f"{name} header {col}")
    return hostile_rich


def test_every_model_shows_hostile_text_literally(qtbot, window, tmp_path):
    path = hostile_workbook(tmp_path / "hostile.xlsx")
    assert open_and_wait(qtbot, window, [path]) == "done"
    counts = {}
    for key, model in window.explorer.models.items():
        assert model is not None and model.rowCount() > 0, key
        counts[key] = walk(model, f"explorer {key}")
    counts["issues"] = walk(window.issues.model, "issues")
    # people: three hostile names, titles and teams, each a tooltip (over 20 characters)
    assert counts["people"] >= 9, counts
    assert counts["projects"] >= 2, counts
    assert counts["teams"] >= 3, counts
    assert counts["issues"] >= 1, counts  # the unknown manager's message

    # the inspector (rich text by design) shows the literal name, no image, no outside link
    node = next(n for n in window.org.people() if window.org.graph.nodes[n]["name"] == IMAGE)
    window.select_node(node)
    text = window.inspector.toPlainText()
    assert IMAGE in text and LINK in text  # the name, and the team
    html = window.inspector.toHtml()
    assert "<img" not in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    # only the app's own links: to a node, or to a metric's explanation
    assert hrefs and all(h.startswith(("node:", "why:")) for h in hrefs), hrefs


def test_import_dialog_preview_and_issues_show_hostile_text_literally(qtbot, window, tmp_path):
    from test_import_dialog import open_dialog

    path = hostile_workbook(tmp_path / "hostile.xlsx")
    dialog = open_dialog(qtbot, window, [path])
    walk(dialog.preview.model(), "preview")
    # the preview cells hold the hostile text (display role, drawn plainly by the view)
    shown = {
        dialog.preview.model().data(dialog.preview.model().index(r, c))
        for r in range(dialog.preview.rowCount())
        for c in range(dialog.preview.columnCount())
    }
    assert BOLD in shown and IMAGE in shown
    qtbot.waitUntil(lambda: dialog.issues.model.rowCount() > 0, timeout=20_000)
    assert walk(dialog.issues.model, "dialog issues") >= 1
    for i in range(dialog.table_list.count()):
        tip = dialog.table_list.item(i).toolTip()
        if tip:
            assert_literal(tip, f"table list {i}")
    for c in range(dialog.preview.columnCount()):
        combo = dialog.preview.cellWidget(0, c)
        if combo is not None and combo.toolTip():
            assert_literal(combo.toolTip(), f"combo {c}")
    dialog.reject()
