"""Giving memory back to the system once a burst of work has let go of it.

Both the C allocator (glibc's malloc) and Arrow's memory pool keep freed blocks
for reuse: after a large build, or a long stretch of clicking through a large
dataset, the process holds on to memory it no longer uses, tens to hundreds of
MB, until it exits.
"""

from __future__ import annotations

import contextlib
import sys


def release_memory() -> None:
    """Return what the process let go of: Arrow's unused pool blocks (when Arrow is
    loaded; importing it only for this would cost more than it frees) and the
    C allocator's free pages (glibc only)."""
    arrow = sys.modules.get("pyarrow")
    if arrow is not None:
        arrow.default_memory_pool().release_unused()
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):  # not glibc
            ctypes.CDLL("libc.so.6").malloc_trim(0)
