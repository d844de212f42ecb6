"""Decks: one 16:9 page or slide per story step, with the step's notes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from desktop.core.load import load_dataset
from desktop.resources import builtin_dataset

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    folder = tmp_path_factory.mktemp("deck")
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "export",
            "--pdf",
            str(folder / "d.pdf"),
            "--pptx",
            str(folder / "d.pptx"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return folder


def test_pdf_has_one_16_9_page_per_step(deck, qapp):
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor
    from PySide6.QtPdf import QPdfDocument

    steps = load_dataset(builtin_dataset()).dataset.story
    document = QPdfDocument()
    document.load(str(deck / "d.pdf"))
    assert document.pageCount() == len(steps) == 9
    size = document.pagePointSize(0)
    assert abs(size.width() / size.height() - 16 / 9) < 0.01
    page = document.render(4, QSize(960, 540))
    # Not blank: the map's pale land colour fills much of the map area.
    land = QColor("#F2EFE9")
    samples = [page.pixelColor(x, y) for x in range(30, 660, 15) for y in range(90, 380, 15)]
    near = [
        c
        for c in samples
        if max(
            abs(c.red() - land.red()), abs(c.green() - land.green()), abs(c.blue() - land.blue())
        )
        <= 8
    ]
    assert len(near) > len(samples) * 0.2


def test_pptx_has_one_slide_per_step_with_title_and_notes(deck):
    from pptx import Presentation

    steps = load_dataset(builtin_dataset()).dataset.story
    slides = list(Presentation(str(deck / "d.pptx")).slides)
    assert len(slides) == len(steps)
    for slide, step in zip(slides, steps, strict=True):
        assert slide.shapes.title.text == step.title
        assert slide.notes_slide.notes_text_frame.text.startswith(step.notes)
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == 1 and pictures[0].image.size == (1920, 1080)


def test_pptx_text_names_each_flagged_event_and_what_its_flags_mean(deck):
    from pptx import Presentation

    from desktop.core import flags

    dataset = load_dataset(builtin_dataset()).dataset
    slides = list(Presentation(str(deck / "d.pptx")).slides)
    contents = slides[5]  # "What it contains, and lacks"
    notes = contents.notes_slide.notes_text_frame.text
    described = next(s for s in contents.shapes if s.shape_type == 13)._element.nvPicPr.cNvPr
    for text in (notes, described.get("descr")):
        assert "[contested · background] What the treaty contains, and lacks" in text
        assert f"contested: {flags.CONTESTED.meaning}" in text
        assert f"background: {flags.BACKGROUND.meaning}" in text
    # The last step's events are all background, from the public record.
    since = slides[8].notes_slide.notes_text_frame.text
    later = [e for e in dataset.events if e.id in dataset.story[8].events]
    assert all(f"[background] {e.title}" in since for e in later)


def test_no_story_is_explained(tmp_path):
    from tests.helpers import minimal_folder

    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "export",
            str(minimal_folder(tmp_path)),
            "--pptx",
            str(tmp_path / "d.pptx"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1 and "this dataset has no story" in run.stderr
    assert not (tmp_path / "d.pptx").exists()
