"""The map page stays open all day: the garbage it makes is collected as it goes, not left
to pile up until V8's first limit (a gigabyte or more) is reached."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui

# About 400 MB of garbage, made as a long session makes it: objects that live a little
# while (here, the last four arrays of 1 MB), then are dropped.
GARBAGE_JS = """(function () {
  var kept = [];
  for (var i = 0; i < 400; i++) {
    kept.push(new Array(131072).fill(i + 0.5));
    if (kept.length > 4) kept.shift();
  }
  return kept.length;
})()"""


def resident_mb(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    raise AssertionError(f"no VmRSS for {pid}")


def test_the_page_collects_its_garbage_as_it_goes(window, page) -> None:
    pid = window.map.page().renderProcessPid()
    before = resident_mb(pid)
    assert page(GARBAGE_JS) == 4
    # Without an early first collection the page's process grows by the whole 400 MB.
    assert resident_mb(pid) - before < 150
