"""The review panel in the real window: drop an article, accept, undo, reject, edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

pytestmark = pytest.mark.gui

ARTICLE = (
    "Chile and Peru sign border treaty\n"
    "Published: 2025-01-21\n\n"
    "On Friday, the presidents of Chile and Peru signed a border treaty in Lima.\n"
    "Last year, Peru joined the Pacific trade bloc at a summit in Santiago.\n"
    "Analysts believe the deal could change the region.\n"
)
SIGNED = "On Friday, the presidents of Chile and Peru signed a border treaty in Lima."
JOINED = "Last year, Peru joined the Pacific trade bloc at a summit in Santiago."


def drop(window, *paths: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)


def rows(panel) -> list[str]:
    return [panel.list.item(i).text() for i in range(panel.list.count())]


def row_of(panel, words: str) -> int:
    return next(i for i, c in enumerate(panel._shown) if words in c.citations[0].quote)


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "treaty.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_drop_accept_two_undo_one(qtbot, window, article) -> None:
    before = {e.id for e in window.state.dataset.events}
    drop(window, article)
    panel = window.review
    assert window.review_dock.isVisible()
    assert window.state.dataset.title  # the built-in dataset is still the open one
    assert len(rows(panel)) == 2, rows(panel)
    assert rows(panel)[0].startswith("2025-01-17 · ")

    panel.select_rows([row_of(panel, "On Friday")])
    assert panel.highlighted() == [SIGNED]  # the quote is marked in the article
    first = panel.accept_selected()
    panel.select_rows([row_of(panel, "Last year")])
    second = panel.accept_selected()
    assert len(first) == len(second) == 1
    assert {e.id for e in window.state.dataset.events} - before == {first[0], second[0]}
    assert len(rows(panel)) == 0  # accepted candidates leave the list

    # Accepts are on the window's one history: named in the Edit menu, and unsaved.
    assert window.isWindowModified()
    assert window.document.undo_action.text() == "&Undo Accept 1 event from articles"
    panel.undo_action.trigger()
    added = {e.id for e in window.state.dataset.events} - before
    assert added == {first[0]}
    assert len(rows(panel)) == 1  # the undone one is a candidate again
    event = window.state.dataset.event(first[0])
    assert event.start.iso() == "2025-01-17" and event.places[0] == "lima"
    assert window.state.dataset.citation(event.id, event.sources[0]).quote == SIGNED
    assert "lima" in window.state.dataset.places
    source = window.state.dataset.sources[event.sources[0]]
    assert source.date is not None and source.date.iso() == "2025-01-21"
    # The window shows it: the table lists it, and selecting it shows the quote.
    window.state.select([first[0]])
    qtbot.waitUntil(lambda: SIGNED in window.detail.toPlainText())


def test_rejected_candidates_are_remembered_for_the_article(
    qtbot, window, article, settings
) -> None:
    drop(window, article)
    panel = window.review
    panel.select_rows([row_of(panel, "Last year")])
    panel.reject_selected()
    assert rows(panel) == [r for r in rows(panel) if "Peru joined" not in r]
    assert len(rows(panel)) == 1

    from desktop.gui.review_panel import ReviewPanel

    again = ReviewPanel(lambda: window.state.dataset, window.show_edited, settings)
    qtbot.addWidget(again)
    again.open_articles([article])
    assert len(rows(again)) == 1 and "presidents of Chile" in again._shown[0].summary
    again.show_rejected.setChecked(True)
    assert len(rows(again)) == 2


def test_edit_and_publication_date(qtbot, window, article) -> None:
    drop(window, article)
    panel = window.review
    panel.select_rows([row_of(panel, "Last year")])
    panel.date.setText("2024-06")
    panel.places.setText("Santiago, Lima")
    panel.title.setText("Peru joins the Pacific trade bloc")
    panel.apply_edits()
    edited = panel.selected()[0]
    assert edited.when.start.iso() == "2024-06" and [p.name for p in edited.places] == [
        "Santiago",
        "Lima",
    ]
    assert edited.title == "Peru joins the Pacific trade bloc"

    # A new publication date moves every relative date with it.
    panel.published.setText("2023-03-10")
    panel.published.returnPressed.emit()
    friday = panel._shown[row_of(panel, "On Friday")]
    assert friday.when.start.iso() == "2023-03-10"  # that day was a Friday


def test_unreadable_article_dropped_is_one_line_and_changes_nothing(
    qtbot, window, tmp_path
) -> None:
    events = list(window.state.dataset.events)
    bad = tmp_path / "photo.txt"
    bad.write_bytes(bytes(range(256)) * 16)
    drop(window, bad)
    message = window.statusBar().currentMessage()
    assert message.startswith(str(bad)) and "binary" in message and "\n" not in message
    assert window.state.dataset.events == events
