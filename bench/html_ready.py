"""The HTML snapshot opened in headless Chromium: how long until it is drawn and usable.

Usage: python -m bench.html_ready DATASET [RUNS] [--chromium PATH]

The dataset is exported as ``chronomap export --html`` writes it, then loaded
RUNS times (3 by default), each in a fresh Chromium (a new profile, network
off, a 1600x1000 view), driven over its DevTools pipe. Ready is read on the
page's own clock (``performance.now()``, from the start of navigation): the load
event has fired, the map has a marker or cluster drawn, the timeline strip's
canvas says it is drawn, and two animation frames have passed since.

Figures: ``html_ready_ms`` (median), ``html_ready_runs``, ``html_load_event_ms``
(median), ``html_export_ms`` and ``html_mb``. Without Chromium, one
``html_ready_error`` line says so (``make bench`` installs it on Debian).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .common import dataset_arg, emit, fail

TIMEOUT_S = 120.0
MAP_DRAWN = ".leaflet-marker-pane .cm-marker, .leaflet-marker-pane .cm-cluster"
STRIP_DRAWN = "canvas.cm-strip-canvas[data-drawn]"
# Installed before the page's own scripts: records the page's clock once it is drawn.
PROBE = """(function () {
  function check() {
    if (document.querySelector(MAP) && document.querySelector(STRIP)) {
      requestAnimationFrame(function () { requestAnimationFrame(function () {
        window.__benchReady = performance.now(); }); });
      return;
    }
    requestAnimationFrame(check);
  }
  window.addEventListener("load", function () {
    window.__benchLoad = performance.now();
    check();
  });
})();""".replace("MAP", json.dumps(MAP_DRAWN)).replace("STRIP", json.dumps(STRIP_DRAWN))
# Resolves with both times once the probe has them (polled on a timer: a page busy
# drawing is not interrupted by the question).
ANSWER = """new Promise(function (resolve) {
  (function wait() {
    if (window.__benchReady !== undefined) {
      resolve(JSON.stringify({ready: window.__benchReady, load: window.__benchLoad}));
    } else { setTimeout(wait, 50); }
  })();
})"""
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--window-size=1600,1000",
    "--remote-debugging-pipe",
)


def find_chromium(given: str | None = None) -> str | None:
    for name in (given, os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if name and (found := shutil.which(name)):
            return found
    return None


class DevTools:
    """One Chromium, spoken to over --remote-debugging-pipe (it reads fd 3, writes fd 4;
    messages are JSON, each ended by a NUL byte)."""

    def __init__(self, chromium: str, profile: Path) -> None:
        to_read, self._to = os.pipe()
        self._from, from_write = os.pipe()

        def fds() -> None:
            # Copied above 9 first, so that placing them on 3 and 4 overwrites neither;
            # dup2 leaves the copies on 3 and 4 open across exec, the originals close.
            read, write = (
                fcntl.fcntl(to_read, fcntl.F_DUPFD, 10),
                fcntl.fcntl(from_write, fcntl.F_DUPFD, 10),
            )
            os.dup2(read, 3)
            os.dup2(write, 4)

        self.proc = subprocess.Popen(
            [chromium, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,  # 3 and 4 must stay open; every other descriptor is close-on-exec
            preexec_fn=fds,
            start_new_session=True,  # its helpers go with it in close()
        )
        os.close(to_read)
        os.close(from_write)
        self._buffer = b""
        self._next = 0

    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str = "",
        timeout: float = 30.0,
    ) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to, json.dumps(message).encode("utf-8") + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._next:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error'].get('message')}")
                    return reply.get("result", {})
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from], [], [], left)[0]:
                raise TimeoutError(f"{method}: no answer within {timeout:.0f} s")
            chunk = os.read(self._from, 1 << 20)
            if not chunk:
                raise RuntimeError(f"{method}: Chromium closed")
            self._buffer += chunk

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.call("Browser.close", timeout=5)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        for fd in (self._to, self._from):
            with contextlib.suppress(OSError):
                os.close(fd)


def load_once(chromium: str, page: Path, timeout: float = TIMEOUT_S) -> dict[str, float]:
    """One load of ``page`` in a fresh Chromium: {"ready": ms, "load": ms}."""
    profile = Path(tempfile.mkdtemp(prefix="chronomap-bench-chromium-"))
    browser = DevTools(chromium, profile)
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for method, params in (
            ("Page.enable", {}),
            ("Network.enable", {}),
            (
                "Network.emulateNetworkConditions",
                {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
            ),
            (
                "Emulation.setDeviceMetricsOverride",
                {"width": 1600, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
            ),
            ("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE}),
            ("Page.navigate", {"url": page.resolve().as_uri()}),
        ):
            browser.call(method, params, session, timeout)
        answer = browser.call(
            "Runtime.evaluate",
            {"expression": ANSWER, "awaitPromise": True, "returnByValue": True},
            session,
            timeout,
        )
        value = answer.get("result", {}).get("value")
        if not isinstance(value, str):
            raise RuntimeError(f"the page gave no ready time: {answer}")
        return json.loads(value)
    finally:
        browser.close()
        shutil.rmtree(profile, ignore_errors=True)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    given = sys.argv[sys.argv.index("--chromium") + 1] if "--chromium" in sys.argv else None
    if given in args:
        args.remove(given)
    path = dataset_arg()
    runs = int(args[1]) if len(args) > 1 else 3
    chromium = find_chromium(given)
    if chromium is None:
        emit(html_ready_error="no Chromium (Debian: apt-get install chromium; make bench does)")
        return
    from desktop.core.load import load_dataset
    from desktop.exports.html_export import export_html
    from desktop.exports.view import view_from_flags

    dataset = load_dataset(path).dataset
    page = Path(tempfile.mkdtemp(prefix="chronomap-bench-html-")) / "snapshot.html"
    started = time.perf_counter()
    export_html(dataset, page, view_from_flags(dataset))
    emit(
        html_export_ms=round((time.perf_counter() - started) * 1000),
        html_mb=round(page.stat().st_size / 1e6, 2),
    )
    load_once(chromium, page)  # the first start of Chromium reads its files from disk
    ready, load = [], []
    for _ in range(runs):
        try:
            times = load_once(chromium, page)
        except (RuntimeError, TimeoutError, OSError) as exc:
            fail(f"the snapshot did not get drawn: {exc}")
        ready.append(round(times["ready"]))
        load.append(round(times["load"]))
    emit(
        html_ready_ms=round(statistics.median(ready)),
        html_ready_runs=ready,
        html_load_event_ms=round(statistics.median(load)),
    )


if __name__ == "__main__":
    main()
