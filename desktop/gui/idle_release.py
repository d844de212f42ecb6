"""Memory given back once the window is idle after a burst of clicks.

Each selection, brush or search at a large dataset allocates and frees tens of
MB (masks, counts, label layouts). The C allocator keeps the freed pages for
reuse, spread over its arenas, so the resident size of a long session climbs
to the highest point any burst reached plus whatever fragmentation leaves
unused, and stays there. A few seconds after the last change the window hands
them back; the next burst asks for them again at no visible cost.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from desktop.core.memory import release_memory
from desktop.core.view_state import ViewState

IDLE_MS = 2_000


class IdleRelease(QObject):
    """Calls ``release_memory`` once, IDLE_MS after the last change of the view state."""

    def __init__(self, state: ViewState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.releases = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(IDLE_MS)
        self._timer.timeout.connect(self._release)
        state.subscribe(lambda _changed: self._timer.start())

    @property
    def pending(self) -> bool:
        """A release is waiting for the window to stay idle."""
        return self._timer.isActive()

    def _release(self) -> None:
        release_memory()
        self.releases += 1
