"""Shared test set-up: Qt offscreen, and QtWebEngine's sandbox off only where it must be."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Chromium refuses to start its sandbox as root; CI and this machine run as root.
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --disable-background-networking")

# In CI, property-based tests draw the same examples every run: a failure there
# is then a real regression, reproducible from the log, not a roll of the dice.
# Local runs keep exploring new examples.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")


import pytest  # noqa: E402


@pytest.fixture(scope="session")
def qapp_cls():
    """Qt tests run in the app's own QApplication class, as the app does."""
    from desktop.gui.file_open import ChronomapApplication

    return ChronomapApplication


@pytest.fixture(scope="session")
def synthetic_parquet(tmp_path_factory):
    """3,000 synthetic events (every precision, intervals, routes) as canonical Parquet:
    the engine's tests and the window's engine mode read the same file."""
    from desktop.core.formats.parquet_file import write_parquet_dataset
    from desktop.core.synthetic import make_dataset

    dataset = make_dataset(3000, n_places=120, n_sources=40, seed=7)
    path = tmp_path_factory.mktemp("engine") / "synthetic.parquet"
    write_parquet_dataset(dataset, path)
    return dataset, path
