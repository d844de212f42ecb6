"""Editing a briefing story, with undo, and writing it back into the dataset.

Saving rewrites only the story: the story.csv of a CSV folder, the story sheet
of a workbook, the "story" list of a JSON file. Every other table is left as
it was, and the file being replaced is first kept as NAME.bak.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from .atomic import atomic_write_bytes, keep_backup
from .formats.csv_folder import csv_bytes
from .formats.workbook import fill_sheet, workbook_bytes
from .model import StoryStep
from .records import normalise_header
from .schema import STORY, header_for, json_rows, text_rows

# The forms a story can be written back into; an imported format (TimelineJS,
# KML, ...) is saved as a new Chronomap dataset instead.
STORY_WRITABLE_FORMATS = frozenset({"csv-folder", "xlsx", "json"})


class StoryEditor:
    """The story's steps plus an undo history; listeners hear about every change."""

    def __init__(self, steps: list[StoryStep]):
        self._steps = self._renumbered(steps)
        self._undo: list[list[StoryStep]] = []
        self._redo: list[list[StoryStep]] = []
        self._listeners: list[Callable[[], None]] = []
        self.saved_steps = list(self._steps)

    @property
    def steps(self) -> list[StoryStep]:
        return list(self._steps)

    @property
    def modified(self) -> bool:
        return self._steps != self.saved_steps

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    @staticmethod
    def _renumbered(steps: list[StoryStep]) -> list[StoryStep]:
        # Orders are positions: renumbering after each edit keeps them 1..n
        # with no gaps, which is what a presenter's "3 Enter" jumps to.
        return [s if s.order == i else replace(s, order=i) for i, s in enumerate(steps, start=1)]

    def _apply(self, steps: list[StoryStep]) -> None:
        self._undo.append(self._steps)
        self._redo.clear()
        self._steps = self._renumbered(steps)
        self._notify()

    def _notify(self) -> None:
        for listener in self._listeners:
            listener()

    def add(self, step: StoryStep, index: int | None = None) -> None:
        steps = self.steps
        steps.insert(len(steps) if index is None else index, step)
        self._apply(steps)

    def edit(self, index: int, **changes: Any) -> None:
        steps = self.steps
        steps[index] = replace(steps[index], **changes)
        self._apply(steps)

    def move(self, index: int, to: int) -> None:
        steps = self.steps
        if not (0 <= index < len(steps) and 0 <= to < len(steps)) or index == to:
            return
        steps.insert(to, steps.pop(index))
        self._apply(steps)

    def delete(self, index: int) -> None:
        steps = self.steps
        del steps[index]
        self._apply(steps)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> None:
        if self._undo:
            self._redo.append(self._steps)
            self._steps = self._undo.pop()
            self._notify()

    def redo(self) -> None:
        if self._redo:
            self._undo.append(self._steps)
            self._steps = self._redo.pop()
            self._notify()

    def restore(self, steps: list[StoryStep]) -> None:
        """Put these steps back (the window's undo history does it): no history of its own."""
        self._steps = self._renumbered(steps)
        self._notify()

    def mark_saved(self) -> None:
        self.saved_steps = list(self._steps)


def save_story(dataset_path: str | os.PathLike[str], steps: list[StoryStep]) -> Path | None:
    """Write ``steps`` into the dataset at ``dataset_path``; returns the backup made, if any.

    Raises ValueError for a form the story cannot be written into.
    """
    path = Path(dataset_path)
    if path.is_dir():
        target = path / "story.csv"
        rows = text_rows(STORY, steps)
        backup = keep_backup(target)
        atomic_write_bytes(target, csv_bytes(header_for("story", rows), rows))
        return backup
    suffix = path.suffix.lower()
    if suffix == ".json":
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
        doc["story"] = json_rows(STORY, steps)
        backup = keep_backup(path)
        data = (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()
        atomic_write_bytes(path, data)
        return backup
    if suffix == ".xlsx":
        return _save_story_sheet(path, steps)
    raise ValueError(f"{path}: a story can be saved into a CSV folder, an .xlsx or a .json dataset")


def _save_story_sheet(path: Path, steps: list[StoryStep]) -> Path | None:
    import openpyxl

    book = openpyxl.load_workbook(path)
    names = {normalise_header(n): n for n in book.sheetnames}
    index = len(book.sheetnames)
    if "story" in names:
        index = book.sheetnames.index(names["story"])
        del book[names["story"]]
    fill_sheet(book.create_sheet("story", index), "story", text_rows(STORY, steps))
    backup = keep_backup(path)
    atomic_write_bytes(path, workbook_bytes(book))
    return backup
