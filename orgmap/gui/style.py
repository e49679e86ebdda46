"""Light and dark: follow the system colour scheme, add one small style sheet."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from orgmap.assets import resource_path

__all__ = ["apply_style", "is_dark", "stylesheet_path", "app_icon"]


def stylesheet_path() -> Path:
    return resource_path("styles/app.qss")


def app_icon():
    """The orgmap icon (``orgmap/resources/icons/orgmap.svg``), or an empty icon if it is
    missing."""
    from PySide6.QtGui import QIcon

    path = resource_path("icons/orgmap.svg")
    return QIcon(str(path)) if path.exists() else QIcon()


def is_dark(app: QGuiApplication | None = None) -> bool:
    app = app or QGuiApplication.instance()
    if app is None:
        return False
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128


def _dark_palette() -> QPalette:
    p = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#23262b",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1b1d21",
        QPalette.ColorRole.AlternateBase: "#262a30",
        QPalette.ColorRole.ToolTipBase: "#2d3138",
        QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.PlaceholderText: "#8a9099",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#2b2f35",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Highlight: "#3d7be0",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#7fb0ff",
        QPalette.ColorRole.Mid: "#3a3f47",
        QPalette.ColorRole.Midlight: "#32363d",
    }
    for role, color in colors.items():
        p.setColor(role, QColor(color))
    return p


def _light_palette(app: QApplication) -> QPalette:
    p = app.style().standardPalette()
    p.setColor(QPalette.ColorRole.Highlight, QColor("#2f6fd6"))
    p.setColor(QPalette.ColorRole.Link, QColor("#1f5fbf"))
    return p


def apply_style(app: QApplication, dark: bool | None = None) -> None:
    """Fusion (the same look everywhere), the system's light or dark scheme, our sheet.

    ``dark`` None asks the system. Called again when the system switches scheme, so
    the app follows it live.
    """
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    if dark is None:
        dark = app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    app.setPalette(_dark_palette() if dark else _light_palette(app))
    try:
        app.setStyleSheet(stylesheet_path().read_text(encoding="utf-8"))
    except OSError:
        app.setStyleSheet("")
    app.setWindowIcon(app_icon())
    if not getattr(app, "_orgmap_scheme_hooked", False):
        app.styleHints().colorSchemeChanged.connect(
            lambda scheme: apply_style(app, scheme == Qt.ColorScheme.Dark)
        )
        app._orgmap_scheme_hooked = True  # type: ignore[attr-defined]
