"""Light and dark follow the system's colour scheme, live."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

from orgmap.gui.style import apply_style, is_dark


def test_palette_follows_a_system_scheme_switch(qapp):
    hints = qapp.styleHints()
    apply_style(qapp)
    try:
        # what the platform emits when the user switches their system to dark, and back
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert is_dark(qapp)
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 80
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert not is_dark(qapp)
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 180
    finally:
        apply_style(qapp)


def test_style_sheet_and_icon_ship_with_the_app(qapp):
    apply_style(qapp)
    assert "QToolBar#mainToolbar" in qapp.styleSheet()
    assert not qapp.windowIcon().isNull()
