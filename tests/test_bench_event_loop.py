"""The benchmarks drive the window as the app's event loop would, deletions included."""

from __future__ import annotations

import pytest

from bench.common import spin_until

pytestmark = pytest.mark.gui


def test_waiting_deletes_what_a_key_press_let_go_of(qapp) -> None:
    # Leaving the presenter (Esc) restores the window's docks, and Qt lets go of the
    # old dock tab bars and layout animations with deleteLater. The app's event loop
    # deletes them; the benchmarks' waiting must too, or a soak counts every one
    # ever made as memory the app kept.
    from PySide6.QtCore import QObject, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QWidget

    owner = QObject()
    pressed: list[bool] = []

    class Window(QWidget):
        def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt naming)
            for _ in range(3):
                QObject(owner).deleteLater()
            pressed.append(True)

    window = Window()
    window.show()
    for _ in range(3):
        QTest.keyClick(window, Qt.Key.Key_Escape)
        assert spin_until(lambda: bool(pressed), 5)
        assert owner.findChildren(QObject) == []
    assert len(pressed) == 3
    window.close()
