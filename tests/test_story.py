"""Building a story (add, edit, reorder, delete, undo) and saving it back into the dataset."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest

from desktop.core.dates import PartialDate
from desktop.core.load import load_dataset
from desktop.core.model import MapView, StoryStep
from desktop.core.save import save_dataset
from desktop.core.story import StoryEditor, save_story

from .helpers import copy_builtin


def titles(editor: StoryEditor) -> list[str]:
    return [s.title for s in editor.steps]


def test_edits_renumber_and_undo_redo():
    editor = StoryEditor([StoryStep(1, "A"), StoryStep(2, "B"), StoryStep(3, "C")])
    heard = []
    editor.subscribe(lambda: heard.append(titles(editor)))
    editor.add(StoryStep(0, "D"))
    editor.move(3, 0)
    editor.edit(1, caption="first caption")
    editor.delete(2)
    assert titles(editor) == ["D", "A", "C"]
    assert [s.order for s in editor.steps] == [1, 2, 3]
    assert editor.steps[1].caption == "first caption"
    assert editor.modified
    editor.undo()
    assert titles(editor) == ["D", "A", "B", "C"]
    editor.undo()
    editor.undo()
    assert titles(editor) == ["A", "B", "C", "D"]
    editor.redo()
    assert titles(editor) == ["D", "A", "B", "C"]
    assert len(heard) == 8  # four edits, three undos, one redo


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


NEW_STEP = StoryStep(
    0,
    "Added from the current view",
    caption="Signing week",
    notes="Say: three days before the inauguration.",
    events=("treaty-signed", "trump-inauguration"),
    start=PartialDate(2025, 1, 15),
    end=PartialDate(2025, 1, 22),
    view=MapView(50.0, 45.0, 4.0),
)


@pytest.mark.parametrize("form", ["folder", "d.xlsx", "d.json"])
def test_saved_story_reopens_identically_and_nothing_else_changes(tmp_path, form):
    folder = copy_builtin(tmp_path)
    if form == "folder":
        target = folder
    else:
        target = tmp_path / form
        save_dataset(load_dataset(folder).dataset, target)
    before = load_dataset(target).dataset
    other_files = {p.name: digest(p) for p in folder.iterdir() if p.name != "story.csv"}

    editor = StoryEditor(before.story)
    editor.add(NEW_STEP, index=1)
    editor.edit(0, title="The 2001 baseline, revisited", notes="New notes")
    editor.move(5, 2)
    editor.delete(len(editor.steps) - 1)
    backup = save_story(target, editor.steps)

    after = load_dataset(target)
    assert after.problems == []
    assert after.dataset.story == editor.steps
    assert after.dataset.story[1] == replace(NEW_STEP, order=2)
    assert after.dataset.events == before.events
    assert after.dataset.places == before.places
    assert after.dataset.sources == before.sources
    assert after.dataset.title == before.title
    assert backup is not None and backup.exists()
    if form == "folder":
        assert {p.name: digest(p) for p in folder.iterdir() if p.name in other_files} == other_files
        assert load_dataset(folder).dataset.story == editor.steps
