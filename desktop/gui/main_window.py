"""The main window: composes the views around one ViewState, and owns menus and settings.

Every view subscribes to the state; the window only loads datasets, builds
menus, remembers layout and recent files, and keeps the status bar counts.
(docs/architecture.md: how a change flows from a key press to the page.)
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.briefing import window_dates
from desktop.core.display import span_words, window_words
from desktop.core.framing import open_dataset
from desktop.core.load import FORMATS, LoadResult, UnreadableError, load_dataset
from desktop.core.model import Dataset, Event
from desktop.core.problems import Problem
from desktop.core.view_state import FrozenView, TimeWindow, ViewState
from desktop.mapview.palette import category_colors

from .detail_panel import DetailPanel
from .document import Document
from .engine_source import is_engine_url, too_large
from .event_actions import EventActions
from .event_table import EventTable
from .export_menu import ExportMenu, export_view
from .filter_bar import FilterBar
from .help_menu import add_help_menu
from .idle_release import IdleRelease
from .live_reload import DatasetWatcher
from .loading import load_with_progress
from .map_view import MapView
from .place_actions import PlaceActions
from .playback_bar import PlaybackBar
from .presenter import Presenter, PresenterHeader, Stage
from .problems_panel import ProblemsPanel
from .sources_panel import SourcesPanel, sources_dock
from .story_panel import StoryPanel
from .timeline_first_frame import FirstFrame, deliver, fits_first_frame

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent

    from .engine_mode import EngineMode, Opened
    from .review_panel import ReviewPanel
    from .timeline_view import TimelineView

MAX_RECENT = 8
APP_NAME = "Chronomap"


def file_filter() -> str:
    """The Open dialog's filter, from the format registry (one line per file format)."""
    lines = []
    patterns = []
    for fmt in FORMATS:
        if not fmt.extensions:
            continue
        globs = " ".join(f"*{ext}" for ext in fmt.extensions)
        patterns.append(globs)
        lines.append(f"{fmt.label} ({globs})")
    return ";;".join([f"All datasets ({' '.join(patterns)})", *lines, "All files (*)"])


def status_text(state: ViewState) -> str:
    data = state.dataset
    parts = [f"{len(data.events)} events", f"{len(data.places)} places"]
    window = state.window
    if window is not None:
        parts.append(f"window {window_words(*window.days())}")
    if state.hidden_categories:
        parts.append(f"{len(state.hidden_categories)} categories hidden")
    if state.search:
        parts.append(f"search “{state.search}”")
    parts.append(f"{state.visible_count()} shown")
    if state.selection:
        parts.append(f"{len(state.selection)} selected")
    return " · ".join(parts)


class MainWindow(QMainWindow):
    """The window. ``settings`` is injectable so tests never touch the user's settings."""

    sigDatasetOpened = Signal(object)  # LoadResult
    sigTimelineDrawn = Signal()  # the first frame's or the timeline's first paint of a dataset

    def __init__(
        self,
        settings: QSettings | None = None,
        cache_dir: Path | None = None,
        map_view: MapView | None = None,
        first_frame: bool = False,
    ):
        """``map_view``: a map already loading its page (start-up); it follows this state.
        ``first_frame``: show a plain painting of the timeline until ``timeline`` is first
        asked for (start-up: pyqtgraph is imported meanwhile)."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.setAcceptDrops(True)
        self.settings = settings or QSettings()
        self.state = ViewState(Dataset())
        self.result: LoadResult | None = None
        colors: dict[str, str] = {}
        self._colors: dict[str, str] | None = None

        # The map subscribes first: its page takes longest to load, so it starts first.
        if map_view is not None:
            map_view.follow(self.state)
        self.map = (
            map_view
            if map_view is not None
            else MapView(self.state, cache_dir=cache_dir, editable=True)
        )
        self._timeline: TimelineView | None = None
        self.first_frame: FirstFrame | None = None
        if not first_frame:
            from .timeline_view import TimelineView

            self._timeline = TimelineView(self.state, colors)
        self.table = EventTable(self.state, colors)
        self.detail = DetailPanel(self.state, colors)
        self.filters = FilterBar(self.state, colors)
        self.problems = ProblemsPanel()
        self.problems.sigChanged.connect(self._title_problems)

        side = QSplitter(Qt.Orientation.Vertical)
        side.setObjectName("sideSplitter")
        side.addWidget(self.table)
        side.addWidget(self.detail)
        side.setSizes([300, 260])
        top = QSplitter(Qt.Orientation.Horizontal)
        top.setObjectName("topSplitter")
        top.addWidget(self.map)
        top.addWidget(side)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        top.setSizes([900, 700])
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(top)
        # The timeline, or in its place the counts of a source queried, not loaded.
        self.timelines = QStackedWidget()
        self.timelines.setObjectName("timelines")
        if self._timeline is not None:
            self.timelines.addWidget(self._timeline)
        else:
            self.first_frame = FirstFrame(self.state, colors, self._first_input)
            self.first_frame.sigDrawn.connect(self.sigTimelineDrawn)
            self.timelines.addWidget(self.first_frame)
        self.splitter.addWidget(self.timelines)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([520, 440])  # the timeline: eras, lanes, axis and overview
        self._splitters = [self.splitter, top, side]

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.presenter_header = PresenterHeader()
        layout.addWidget(self.presenter_header)
        layout.addWidget(self.filters)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.problems_dock = QDockWidget("Problems", self)
        self.problems_dock.setObjectName("problemsDock")
        self.problems_dock.setWidget(self.problems)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)
        self.problems_dock.hide()

        self._status = QLabel()
        # No stretch: the rest of the bar is the messages' (a brush's dates, a drag's
        # target, "Saved …"), which a stretched label would leave no room to show.
        self.statusBar().addPermanentWidget(self._status)
        # The query engine's side of the window (its timeline, worker and imports) is
        # made when a source is first queried: most windows never need it.
        self._engine_mode: EngineMode | None = None
        self.document = Document(
            self, self.current_dataset, self.show_edited, lambda: self.state.selection
        )
        self.document.sigMessage.connect(self._say)
        self.document.stack.cleanChanged.connect(self._clean_changed)
        self.watcher = DatasetWatcher(self)
        self.watcher.sigChanged.connect(self._changed_on_disk)
        self.document.sigSaved.connect(lambda _path: self._saved())
        self._build_menus()
        self._compose_editing()
        self._compose_places()
        self._compose_briefing()
        self._compose_review()
        self._compose_sources()
        add_help_menu(self, self.about)
        self.state.subscribe(lambda _changed: self._update_status())
        self.idle_release = IdleRelease(self.state, self)
        if self._timeline is not None:
            self._wire_timeline(self._timeline)
        self._restore_layout()

    # -- the timeline ---------------------------------------------------------

    @property
    def timeline(self) -> TimelineView:
        """The timeline, built (in place of the first frame) the first time it is asked for."""
        if self._timeline is None:
            self._build_timeline()
        assert self._timeline is not None
        return self._timeline

    @property
    def timeline_drawn(self) -> bool:
        """The events are on screen in the timeline, or in its first frame."""
        if self._timeline is not None:
            return self._timeline.drawn
        return self.first_frame is not None and self.first_frame.drawn

    def _build_timeline(self) -> None:
        from .timeline_view import TimelineView  # pyqtgraph: after the first frame

        view = TimelineView(self.state, self._colors or {})
        self._timeline = view
        self._wire_timeline(view)
        frame = self.first_frame
        assert frame is not None
        # The same place in the stack, and shown if the frame was: no jump on screen.
        current = self.timelines.currentWidget() is frame
        focused = frame.hasFocus()
        self.timelines.insertWidget(self.timelines.indexOf(frame), view)
        view.setGeometry(frame.geometry())
        view.catch_up()
        if current:
            self.timelines.setCurrentWidget(view)
        if focused:
            view.setFocus()
        self.timelines.removeWidget(frame)
        frame.close_state()
        frame.hide()
        frame.deleteLater()
        self.first_frame = None

    def _wire_timeline(self, view: TimelineView) -> None:
        view.sigDrawn.connect(self.sigTimelineDrawn)
        view.sigEventMoved.connect(self.events.move)
        view.sigEventMoving.connect(self._previewing_move)
        # A brush shows its dates while it moves; they apply when it is let go.
        view.sigWindowChanged.connect(self._previewing_window)
        view.sigWindowChangeFinished.connect(lambda _window: self.statusBar().clearMessage())

    def _first_input(self, event: QEvent | None) -> None:
        """Input on the first frame (or a view it cannot paint): the timeline takes its
        place now and handles it."""
        timeline = self.timeline
        if event is not None:
            deliver(event, timeline)

    # -- menus --------------------------------------------------------------

    def _build_menus(self) -> None:
        file_menu = self.file_menu = self.menuBar().addMenu("&File")
        self.open_action = QAction(
            "&Open…", self, shortcut=QKeySequence(QKeySequence.StandardKey.Open)
        )
        self.open_action.setStatusTip("Open a CSV folder, .xlsx workbook or .json dataset")
        self.open_action.triggered.connect(self._open_dialog)
        file_menu.addAction(self.open_action)
        open_folder = QAction("Open CSV &Folder…", self)
        open_folder.triggered.connect(self._open_folder_dialog)
        file_menu.addAction(open_folder)
        self.import_action = QAction("&Import Table…", self)
        self.import_action.setStatusTip("Open a table of events, choosing what each column is")
        self.import_action.triggered.connect(self._import_file)
        file_menu.addAction(self.import_action)
        self.engine_url_action = QAction("Open Engine &URL…", self)
        self.engine_url_action.setStatusTip(
            "Query a source too large to load: trino://, pyspark://, clickhouse://, "
            "bigquery:// or duckdb:// (the table after #)"
        )
        self.engine_url_action.triggered.connect(self._open_url_dialog)
        file_menu.addAction(self.engine_url_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        builtin = QAction("Open &Built-in Dataset", self)
        builtin.triggered.connect(self.open_builtin)
        file_menu.addAction(builtin)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        self.quit_action = quit_action
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit_menu = self.edit_menu = self.menuBar().addMenu("&Edit")
        find = QAction("&Find…", self, shortcut=QKeySequence(QKeySequence.StandardKey.Find))
        find.triggered.connect(self.focus_search)
        edit_menu.addAction(find)
        clear = QAction("Clear &Selection", self)
        clear.triggered.connect(self.state.clear_selection)
        edit_menu.addAction(clear)

        view_menu = self.view_menu = self.menuBar().addMenu("&View")
        home = QAction("Show the &Story", self, shortcut=QKeySequence("Ctrl+0"))
        home.triggered.connect(lambda: self.timeline.go_home())
        view_menu.addAction(home)
        clear_window = QAction("Clear Time &Window", self)
        clear_window.triggered.connect(lambda: self.timeline.clear_window())
        view_menu.addAction(clear_window)
        view_menu.addSeparator()
        self.online_action = QAction("&Online Basemap (OpenStreetMap)", self, checkable=True)
        self.online_action.setToolTip(
            "Draw OpenStreetMap tiles over the offline basemap (needs a network connection)"
        )
        self.online_action.toggled.connect(self.set_online_basemap)
        view_menu.addAction(self.online_action)
        self.map.bridge.basemapFailed.connect(self._online_basemap_failed)
        self.map.sigPageLost.connect(self._map_lost)
        self.map.sigRecovered.connect(self._map_recovered)
        view_menu.addSeparator()
        view_menu.addAction(self.problems_dock.toggleViewAction())
        self._refresh_recent()

    ONLINE_TILES = "OpenStreetMap.Mapnik"

    def set_online_basemap(self, on: bool) -> None:
        """Switch the optional online basemap; the choice is remembered."""
        self.settings.setValue("map/online", on)
        if self.online_action.isChecked() != on:
            self.online_action.setChecked(on)
        tiles = self.ONLINE_TILES if on else None
        if self.map.online_tiles != tiles:
            self.map.online_tiles = tiles
            if self.state.dataset.events or self.state.dataset.places:
                self.map.show_dataset()

    def _online_basemap_failed(self, name: str) -> None:
        self.online_action.blockSignals(True)
        self.online_action.setChecked(False)
        self.online_action.blockSignals(False)
        self.map.online_tiles = None
        self.statusBar().showMessage(
            "No network: the OpenStreetMap tiles could not load, so the offline basemap is shown.",
            15000,
        )

    def _compose_editing(self) -> None:
        """The event actions in the Edit menu; a double-click on a listed event edits it."""
        self.events = EventActions(self, self.state, self.document)
        self.edit_menu.addSeparator()
        for action in self.events.actions:
            self.edit_menu.addAction(action)
            self.addAction(action)  # its shortcut works wherever the focus is
        self.table.doubleClicked.connect(
            lambda index: self.events.edit_event(self.table.shown_ids()[index.row()])
        )
        self.sigDatasetOpened.connect(lambda _result: self.events.dataset_opened())

    def _compose_places(self) -> None:
        """The Places menu and toolbar: places added, moved and drawn on the map."""
        self.places = PlaceActions(self, self.state, self.document, self.map)
        menu = self.places_menu = QMenu("&Places", self)
        self.menuBar().insertMenu(self.view_menu.menuAction(), menu)
        tools = QToolBar("Places", self)
        tools.setObjectName("placesBar")
        for action in self.places.actions:
            menu.addAction(action)
            tools.addAction(action)
        menu.addSeparator()
        for action in self.places.place_actions:
            menu.addAction(action)
        for action in (*self.places.actions, self.places.cancel_action, self.places.finish_action):
            self.addAction(action)  # its shortcut works wherever the focus is
        self.addToolBar(tools)
        self.places.sigMessage.connect(
            lambda text: (
                self.statusBar().showMessage(text) if text else self.statusBar().clearMessage()
            )
        )
        self.sigDatasetOpened.connect(lambda _result: self.places.dataset_opened())

    def _map_lost(self, how: str, reloading: bool) -> None:
        if reloading:
            self.statusBar().showMessage(f"The map stopped ({how}): reloading it…")
        else:
            self.statusBar().showMessage(
                f"The map stopped again while loading ({how}): reopen the dataset to try again"
            )

    def _map_recovered(self, how: str) -> None:
        self.statusBar().showMessage(
            f"The map stopped ({how}) and was reloaded, showing the same view", 15000
        )

    def _compose_briefing(self) -> None:
        """The story panel, presenter, playback bar and Export menu, wired into the menus."""
        self.story = StoryPanel(self.state, self.document.stack)
        self.story_dock = QDockWidget("Story", self)
        self.story_dock.setObjectName("storyDock")
        self.story_dock.setWidget(self.story)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.story_dock)
        self.sigDatasetOpened.connect(self.story.set_result)

        stage = Stage(
            self,
            self.map,
            lambda: self.timeline,
            self.splitter,
            self.presenter_header,
            self._chrome,
        )
        self.presenter = Presenter(self.state, stage, self.story.steps_now)
        self.present_action = QAction("&Present from Beginning", self)
        self.present_action.setShortcut(QKeySequence("F5"))
        self.present_action.triggered.connect(lambda: self.present(0))
        self.present_here_action = QAction("Present from &Current Step", self)
        self.present_here_action.setShortcut(QKeySequence("Shift+F5"))
        self.present_here_action.triggered.connect(
            lambda: self.present(max(self.story.list.currentRow(), 0))
        )

        self.playback = PlaybackBar(self.state, self)
        self.export_menu = ExportMenu(
            self, self.state, self.export_view, self.story.current_dataset
        )
        self.export_menu.sigFinished.connect(
            lambda ok, text: self._say(f"Exported {text}" if ok else "Export failed")
        )

        file_menu = self.file_menu
        file_menu.insertAction(self.quit_action, self.document.save_action)
        file_menu.insertAction(self.quit_action, self.document.save_as_action)
        file_menu.insertSeparator(self.quit_action)
        file_menu.insertMenu(self.quit_action, self.export_menu.menu)
        file_menu.insertSeparator(self.quit_action)
        first = self.edit_menu.actions()[0]
        self.edit_menu.insertAction(first, self.document.undo_action)
        self.edit_menu.insertAction(first, self.document.redo_action)
        self.edit_menu.insertSeparator(first)
        self.edit_menu.addSeparator()
        self.edit_menu.addAction(self.story.add_action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.present_action)
        self.view_menu.addAction(self.present_here_action)
        self.view_menu.addAction(self.story_dock.toggleViewAction())
        self.view_menu.addAction(self.playback.toggleViewAction())

        tools = QToolBar("Briefing", self)
        tools.setObjectName("briefingBar")
        tools.addAction(self.story.add_action)
        tools.addAction(self.present_action)
        export_button = QToolButton(tools)
        export_button.setText("Export")
        export_button.setToolTip("Export what the window shows (PNG, HTML, decks, JSON)")
        export_button.setMenu(self.export_menu.menu)
        export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        tools.addWidget(export_button)
        self.addToolBar(tools)
        self.addToolBar(self.playback)

    def _compose_review(self) -> None:
        """The article review dock and its File action (its accepts are on the one history).

        The panel itself is built the first time it is needed: it brings the article
        readers and the gazetteer, which the window's start does not need."""
        self._review: ReviewPanel | None = None
        self.review_dock = QDockWidget("Review Articles", self)
        self.review_dock.setObjectName("reviewDock")
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.review_dock)
        self.tabifyDockWidget(self.story_dock, self.review_dock)
        self.review_dock.hide()
        self.review_dock.visibilityChanged.connect(lambda shown: shown and self.review)
        self.sigDatasetOpened.connect(lambda result: self._review_dataset(result.dataset))
        self.extract_action = QAction("E&xtract Events from Articles…", self)
        self.extract_action.setStatusTip("Candidate events from .txt, .html, .pdf or .eml articles")
        self.extract_action.triggered.connect(lambda: self.review.open_dialog())
        self.extract_action.triggered.connect(self._show_review)
        self.file_menu.insertAction(self.quit_action, self.extract_action)
        self.file_menu.insertSeparator(self.quit_action)
        self.view_menu.addAction(self.review_dock.toggleViewAction())

    @property
    def review(self) -> ReviewPanel:
        """The article review panel, built on first use."""
        if self._review is None:
            from .review_panel import ReviewPanel

            self._review = ReviewPanel(
                lambda: self.state.dataset,
                self.show_edited,
                self.settings,
                undo_stack=self.document.stack,
                save=self.document.save,
            )
            self.review_dock.setWidget(self._review)
        return self._review

    def _review_dataset(self, dataset: Dataset) -> None:
        # A panel not built yet reads the open dataset when it is.
        if self._review is not None:
            self._review.dataset_replaced(dataset)

    def _compose_sources(self) -> None:
        """The Sources panel, a dock beside the story (View > Sources)."""
        self.sources = SourcesPanel(self.state, self.document)
        self.sources_dock = sources_dock(self, self.sources, self.story_dock)
        self.view_menu.addAction(self.sources_dock.toggleViewAction())

    def _show_review(self) -> None:
        if not self.review_dock.isVisible():
            self.review_dock.show()
            # Candidates beside the article need room: half the window at first.
            self.resizeDocks([self.review_dock], [self.width() // 2], Qt.Orientation.Horizontal)
        self.review_dock.raise_()

    def open_articles(self, paths: list[Path]) -> list[str]:
        """Candidate events from articles, in the review panel; one line per unreadable file."""
        self._show_review()
        problems = self.review.open_articles(paths)
        if problems:
            self.statusBar().showMessage(problems[0], 8000)
        return problems

    def _chrome(self) -> list[QWidget]:
        """What presenting hides: menus, bars, panels; the map and timeline stay."""
        side = self.table.parentWidget()
        widgets: list[QWidget] = [self.menuBar(), self.statusBar(), self.filters]
        if side is not None:
            widgets.append(side)
        widgets += self.findChildren(QDockWidget) + self.findChildren(QToolBar)
        return widgets

    def present(self, index: int = 0) -> bool:
        """Full screen on the story from step ``index`` (F5 from the start, Shift+F5 here)."""
        if not self.story.steps:
            self.statusBar().showMessage("This dataset has no story to present", 6000)
            return False
        self.playback.pause()
        return self.presenter.start(index)

    def export_view(self) -> FrozenView:
        """What an export shows: the view state as it is (a story step on screen included)."""
        return export_view(self.state)

    def _say(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def _previewing_window(self, window: TimeWindow | None) -> None:
        if window is not None:
            dates = window_words(*window_dates(window))
            self.statusBar().showMessage(f"Window {dates} (let go to apply)")

    def _previewing_move(self, event: Event | None) -> None:
        if event is None:
            self.statusBar().clearMessage()
        else:
            when = span_words(event.start, event.end)
            self.statusBar().showMessage(
                f"Move “{event.title}” to {when} (let go to apply, Esc cancels)"
            )

    def focus_search(self) -> None:
        self.filters.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filters.search_box.selectAll()

    def _open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open dataset", self._last_folder(), file_filter()
        )
        if path:
            self.open_path(Path(path))

    def _open_folder_dialog(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Open CSV folder", self._last_folder())
        if path:
            self.open_path(Path(path))

    def _open_url_dialog(self) -> None:
        url, ok = QInputDialog.getText(
            self, "Open engine URL", "Connection URL (the table after #):"
        )
        if ok and url.strip():
            self.open_engine(url.strip())

    def _last_folder(self) -> str:
        last = str(self.settings.value("lastDataset", "") or "")
        return str(Path(last).parent) if last else str(Path.home())

    # -- datasets -----------------------------------------------------------

    def open_builtin(self) -> None:
        from desktop.resources import builtin_dataset

        self.open_path(builtin_dataset(), remember=False)

    def _import_file(self) -> None:
        from . import import_dialog  # imported on first use: not needed to start

        import_dialog.import_file(self)

    def open_path(self, path: Path, remember: bool = True) -> bool:
        """Open a dataset; problems are listed, and whatever is usable is shown.
        A source too large to load (or an engine URL) is queried instead."""
        if is_engine_url(str(path)) or too_large(path):
            return self.open_engine(str(path), remember)
        if not self.document.may_discard():
            return False
        try:
            result = load_with_progress(self, path)
        except UnreadableError as exc:
            self.problems.set_problems([Problem(str(path), 0, "-", str(exc))])
            self.problems_dock.show()
            self.statusBar().showMessage(f"Cannot open {path}", 8000)
            return False
        if result is None:
            self.statusBar().showMessage(f"Opening {path.name} was cancelled", 8000)
            return False
        # Opening a table's remembered import choices opens the table itself.
        path = result.path
        # A table not recognised with confidence, or losing rows: let the user say.
        from . import import_dialog  # imported on first use: not needed to start

        result = import_dialog.review(self, path, result)
        self.show_result(result, path, remember)
        return True

    def open_engine(self, source: str, remember: bool = True) -> bool:
        """Query ``source`` (a large Parquet file or DuckDB database, or an engine URL)
        instead of loading it. It opens on the engine's thread; the window shows it
        once it is open, or says in one line why it cannot be."""
        if not self.document.may_discard():
            return False
        self._engine_remember = remember
        self.statusBar().showMessage(f"Opening {source} with the query engine…")
        self.engine_mode.open(source)
        return True

    @property
    def engine_mode(self) -> EngineMode:
        """The query engine's side of the window, made on first use."""
        if self._engine_mode is None:
            from .engine_mode import EngineMode

            self.timeline  # noqa: B018 (the first frame paints datasets, not queried sources)
            mode = EngineMode(self)
            self.timelines.addWidget(mode.timeline)
            mode.sigFailed.connect(self._engine_failed)
            for widget in mode.status_widgets():
                self.statusBar().addPermanentWidget(widget)
            self._engine_mode = mode
        return self._engine_mode

    def enter_engine_mode(self, mode: EngineMode, opened: Opened) -> None:
        """Show an opened engine source: its places on the map, its counts on the
        engine timeline, its categories in the filter bar."""
        self.result = None
        self.watcher.watch(None)
        colors = category_colors(opened.categories)
        self._colors = colors
        for view in (self.table, self.detail, self.filters):
            view.set_colors(colors)
        mode.timeline.set_colors(colors)
        self.filters.set_categories(sorted(opened.categories))
        self.map.counts_from_state = False
        self.timelines.setCurrentWidget(mode.timeline)
        open_dataset(self.state, opened.places, opened.place_totals())
        # Nothing here can be saved or edited: the source is read where it lies.
        self.document.closed()
        self.events.dataset_opened()
        self.problems.set_problems([])
        self.problems_dock.hide()
        source = mode.opening or opened.places.title
        self.setWindowTitle(f"{opened.places.title} — {APP_NAME}")
        if getattr(self, "_engine_remember", True) and not is_engine_url(source):
            self._remember(Path(source))
        self.statusBar().showMessage(
            f"Opened {source} in {opened.seconds:.1f} s: queried, not loaded", 8000
        )
        self.update_status()

    def leave_engine_mode(self, mode: EngineMode) -> None:
        self.map.counts_from_state = True
        self.filters.set_categories(None)
        self.detail.set_hint(None)
        self.timelines.setCurrentWidget(self.timeline)

    def _engine_failed(self, line: str) -> None:
        source = self.engine_mode.opening or "engine"
        if not self.engine_mode.active:
            self.problems.set_problems([Problem(source, 0, "-", line)])
            self.problems_dock.show()
        self.statusBar().showMessage(line, 15000)

    def show_result(self, result: LoadResult, path: Path, remember: bool = True) -> None:
        """Show a dataset already loaded from ``path``."""
        if self._engine_mode is not None:
            self._engine_mode.leave()
        if self.first_frame is not None and (
            self.result is not None or not fits_first_frame(result.dataset)
        ):
            self.timeline  # noqa: B018 (the first frame is for the first, small dataset)
        self.result = result
        self._set_colors(result.dataset)
        open_dataset(self.state, result.dataset)
        self.problems.opened(result.path, result.format, result.dataset, result.problems)
        # Notes alone (a recognised layout, a date order) do not call for attention.
        self.problems_dock.setVisible(bool(result.errors or result.warnings))
        self._title_problems()
        title = result.dataset.title or path.name
        # [*]: Qt shows it as "*" while the window is modified (unsaved edits).
        self.setWindowTitle(f"{title}[*] — {APP_NAME}")
        if remember:
            self._remember(path)
        self._update_status()
        self.sigDatasetOpened.emit(result)
        self.document.opened(result)
        self.setWindowModified(False)
        self.watcher.watch(result.path, result.format)

    def _clean_changed(self, clean: bool) -> None:
        if shiboken6.isValid(self):  # the stack is cleared as the window is destroyed
            self.setWindowModified(not clean)

    def _saved(self) -> None:
        result = self.document.result
        if result is not None and self.result is not None:
            self.result.path, self.result.format = result.path, result.format
            self.watcher.watch(result.path, result.format)  # Save As: watch the new one
            self.problems.saved(Path(result.path), result.format, self.document.saved)
        self.watcher.remember()

    def _changed_on_disk(self) -> None:
        """Another program saved the dataset: show its version, keeping the view.

        With edits not saved here, ask: reload (the edits go), or keep the edits
        (a later save writes only the rows edited here, over what is on disk)."""
        result = self.result
        if result is None:
            return
        name = Path(result.path).name
        if self.document.modified:
            answer = QMessageBox.question(
                self,
                "Changed on disk",
                f"{name} was changed by another program, and this window has edits "
                "that are not saved.\n\nReload it from disk and drop your edits? "
                "(No keeps your edits: saving them writes only the rows you edited.)",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self._say(f"{name} changed on disk; your edits are kept (not saved yet)")
                return
        try:
            fresh = load_dataset(result.path)
        except UnreadableError as exc:
            self._say(f"{name} changed on disk but cannot be read: {exc}")
            return
        if not fresh.dataset.events and result.dataset.events:
            self._say(f"{name} changed on disk but has no readable events now; not reloaded")
            return
        self.reload(fresh)
        self._say(f"Reloaded {name}: it was changed on disk")

    def reload(self, result: LoadResult) -> None:
        """The open dataset again, as ``result`` read it: selection, window, filters,
        story step and where the map and timeline look all stay."""
        self.result = result
        self._set_colors(result.dataset)
        self.state.update_dataset(result.dataset)
        self.problems.opened(result.path, result.format, result.dataset, result.problems)
        self._title_problems()
        self.story.set_result(result)
        self._review_dataset(result.dataset)
        self.document.opened(result)
        self._update_status()

    def current_dataset(self) -> Dataset:
        """The open dataset as edited, story included (saved or not)."""
        dataset = replace(self.state.dataset, story=self.story.editor.steps)
        dataset.keep_caches(self.state.dataset)  # an edit of a place sorts no events
        return dataset

    def show_edited(self, dataset: Dataset, selection: tuple[str, ...] | None = None) -> None:
        """An edit (or its Undo) changed the dataset: show it, keeping the analyst's view."""
        # The colours on screen stay; a new category takes one of its own.
        colors = category_colors(dataset.categories(), (self._colors or {}).items())
        dataset = replace(dataset, palette=tuple(colors.items()))
        self._set_colors(dataset)
        if self.result is not None:
            self.result.dataset = dataset
        self.state.update_dataset(dataset, selection)
        self.problems.edited(dataset)
        self._update_status()

    def _title_problems(self) -> None:
        problems = self.problems.problems()
        self.problems_dock.setWindowTitle(
            f"Problems ({self.problems.summary()})" if problems else "Problems"
        )

    def _set_colors(self, dataset: Dataset) -> None:
        colors = category_colors(dataset.categories(), dataset.palette)
        if colors == self._colors:
            return
        self._colors = colors
        span = self.state.span
        shown = self._timeline if self._timeline is not None else self.first_frame
        for view in (shown, self.table, self.detail, self.filters):
            if view is not None:
                view.set_colors(colors)
        if span is not None:
            # The timeline redrew at its home view: an edit's frame is where it was.
            self.state.report_span(*span)

    def _remember(self, path: Path) -> None:
        text = str(path.resolve())
        recent = [p for p in self.recent_files() if p != text]
        recent.insert(0, text)
        self.settings.setValue("recentFiles", recent[:MAX_RECENT])
        self.settings.setValue("lastDataset", text)
        self._refresh_recent()

    def recent_files(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        if isinstance(value, str):  # QSettings returns a lone string for one item
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        for text in recent:
            action = self.recent_menu.addAction(text)
            action.triggered.connect(lambda _checked=False, p=text: self.open_path(Path(p)))
        self.recent_menu.setEnabled(bool(recent))

    def _update_status(self) -> None:
        if self._engine_mode is not None and self._engine_mode.active:
            self._status.setText(self._engine_mode.status_text())
        else:
            self._status.setText(status_text(self.state))

    def update_status(self) -> None:
        self._update_status()

    def status_message(self) -> str:
        return self._status.text()

    # -- drag and drop ------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt naming)
        urls = event.mimeData().urls()
        if urls and all(u.isLocalFile() for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt naming)
        urls = [u for u in event.mimeData().urls() if u.isLocalFile()]
        if urls:
            event.acceptProposedAction()
            paths = [Path(u.toLocalFile()) for u in urls]
            from desktop.core.articles.reading import is_article_path

            if all(is_article_path(p) for p in paths):
                self.open_articles(paths)
            else:
                self.open_path(paths[0])

    # -- settings -----------------------------------------------------------

    def _restore_layout(self) -> None:
        online = str(self.settings.value("map/online", "false")).lower() == "true"
        if online:
            self.map.online_tiles = self.ONLINE_TILES
            self.online_action.blockSignals(True)
            self.online_action.setChecked(True)
            self.online_action.blockSignals(False)
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = self.settings.value("windowState")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        for splitter in self._splitters:
            sizes = self.settings.value(f"splitter/{splitter.objectName()}")
            if isinstance(sizes, QByteArray):
                splitter.restoreState(sizes)

    def save_layout(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("windowState", self.saveState())
        for splitter in self._splitters:
            self.settings.setValue(f"splitter/{splitter.objectName()}", splitter.saveState())
        self.settings.sync()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if not self.document.may_discard():
            event.ignore()
            return
        self.presenter.stop()
        self.save_layout()
        if self._engine_mode is not None:
            self._engine_mode.close()
        super().closeEvent(event)

    def about(self) -> None:
        QMessageBox.about(self, APP_NAME, "Dated, sourced events on a linked timeline and map.")
