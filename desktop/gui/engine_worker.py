"""Engine queries off the GUI thread, the newest request first.

One thread asks the engine (a DuckDB connection answers one query at a time).
A request made while another runs supersedes it: a request still waiting is
dropped, and a running engine query is interrupted (DuckDB stops it between
vectors), so a brush never waits behind the query of the brush before it.
Answers and one-line failures come back to the GUI thread as signals, tagged
with their request's number so the receiver keeps only the newest.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.core.engine import EngineError


class QueryWorker(QObject):
    """Runs ``job()`` callables on one thread; the newest supersedes the others."""

    sigAnswered = Signal(int, object)  # request number, the job's value
    sigFailed = Signal(int, str)  # request number, one line
    sigBusy = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Condition()
        self._waiting: tuple[int, Callable[[], Any]] | None = None
        # Jobs that must run whatever comes after them (closing a source), in order.
        self._chores: list[Callable[[], Any]] = []
        self._running: int | None = None
        self._number = 0
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name="chronomap-engine", daemon=True)
        self._thread.start()

    @property
    def latest(self) -> int:
        return self._number

    def submit(self, job: Callable[[], Any], interrupt: Callable[[], None] | None = None) -> int:
        """Queue ``job``; a running job is interrupted with ``interrupt`` (if given).
        Returns the request's number."""
        with self._lock:
            self._number += 1
            self._waiting = (self._number, job)
            if self._running is not None and interrupt is not None:
                interrupt()
            self._lock.notify()
            number = self._number
        self.sigBusy.emit(True)
        return number

    def chore(self, job: Callable[[], Any]) -> None:
        """Run ``job`` before any request made after it; it is never superseded and its
        outcome is nobody's news."""
        with self._lock:
            self._chores.append(job)
            self._lock.notify()

    def stop(self, interrupt: Callable[[], None] | None = None, wait: float = 10.0) -> None:
        """End the thread (a running job is interrupted, if it can be), waiting for it:
        no answer may reach a window being destroyed."""
        with self._lock:
            self._stopped = True
            self._waiting = None
            running = self._running is not None
            self._lock.notify()
        if running and interrupt is not None:
            interrupt()
        self._thread.join(wait)

    def _loop(self) -> None:
        while True:
            with self._lock:
                while self._waiting is None and not self._chores and not self._stopped:
                    self._lock.wait()
                if self._stopped:
                    return
                chore = self._chores.pop(0) if self._chores else None
            if chore is not None:
                with contextlib.suppress(Exception):
                    chore()
                continue
            with self._lock:
                if self._waiting is None:
                    continue
                number, job = self._waiting
                self._waiting = None
                self._running = number
            try:
                value = job()
            except EngineError as exc:
                self._finish(number, None, str(exc))
            except Exception as exc:  # noqa: BLE001  (shown as one line; the window goes on)
                self._finish(number, None, f"{type(exc).__name__}: {exc}".splitlines()[0])
            else:
                self._finish(number, value, None)

    def _finish(self, number: int, value: Any, error: str | None) -> None:
        with self._lock:
            self._running = None
            stale = number != self._number or self._stopped
            idle = self._waiting is None
        if stale:
            return  # superseded: its answer (or its interruption) is nobody's news
        if error is not None:
            self.sigFailed.emit(number, error)
        else:
            self.sigAnswered.emit(number, value)
        if idle:
            self.sigBusy.emit(False)
