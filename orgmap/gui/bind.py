"""Widgets that follow a :class:`~orgmap.gui.state.ViewState` attribute by name.

Each ``bind_*`` shows the attribute's value now and whenever ``state.events.<name>``
fires, with the widget's own signals blocked while it is set: a widget moved by the
state never reports that move back as a user's choice, so no "syncing" flags are needed.
What a user does with the widget goes the other way, through the window's setters.
Each returns its ``refresh()`` (call it after refilling a combo's items).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, QSignalBlocker
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QMenu, QSpinBox

__all__ = ["bind_combo", "bind_spin", "bind_choice", "bind_members", "bind_menu_choice"]


def _follow(state: Any, name: str, show: Callable[[Any], None]) -> Callable[[], None]:
    getattr(state.events, name).connect(show)

    def refresh() -> None:
        show(getattr(state, name))

    refresh()
    return refresh


def _quiet(widget: QObject, apply: Callable[[], None]) -> None:
    blocker = QSignalBlocker(widget)
    try:
        apply()
    finally:
        blocker.unblock()


def bind_combo(combo: QComboBox, state: Any, name: str) -> Callable[[], None]:
    """The combo's current item is the one whose data is ``state.<name>``."""

    def show(value: Any) -> None:
        _quiet(combo, lambda: combo.setCurrentIndex(max(0, combo.findData(value))))

    return _follow(state, name, show)


def bind_spin(spin: QSpinBox, state: Any, name: str) -> Callable[[], None]:
    def show(value: Any) -> None:
        _quiet(spin, lambda: spin.setValue(int(value)))

    return _follow(state, name, show)


def bind_choice(actions: Mapping[Any, QAction], state: Any, name: str) -> Callable[[], None]:
    """Checkable actions, one per value: the one for ``state.<name>`` is checked."""

    def show(value: Any) -> None:
        for key, act in actions.items():
            _quiet(act, lambda a=act, k=key: a.setChecked(k == value))

    return _follow(state, name, show)


def bind_members(actions: Mapping[Any, QAction], state: Any, name: str) -> Callable[[], None]:
    """Checkable actions, one per possible member: checked when in ``state.<name>``."""

    def show(value: Any) -> None:
        members = set(value or ())
        for key, act in actions.items():
            _quiet(act, lambda a=act, k=key: a.setChecked(k in members))

    return _follow(state, name, show)


def bind_menu_choice(menu: QMenu, state: Any, name: str) -> Callable[[], None]:
    """A menu of checkable actions carrying values in ``data()`` (refilled at will)."""

    def show(value: Any) -> None:
        for act in menu.actions():
            if act.isCheckable():
                _quiet(act, lambda a=act: a.setChecked(a.data() == value))

    return _follow(state, name, show)
