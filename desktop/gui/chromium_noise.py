"""Keep Qt's and Chromium's start-up chatter off the terminal; let everything else through.

Every start of the window and every image export makes QtWebEngine print a
dozen lines about GPU back ends, Vulkan, D-Bus and the sandbox that say nothing
a user can act on. Chromium writes them straight to the process's standard
error (file descriptor 2), from its own threads and child processes, so they
cannot be caught as Python output: ``install`` puts a small filter process
between descriptor 2 and the terminal, which drops the lines matching
``NOISE`` and passes every other line (tracebacks, Chromium's fatal errors,
the app's own messages) unchanged. ``--verbose`` leaves it out.

Imports no Qt: it is installed before Qt starts, so it sees Qt's first line.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
from collections.abc import Iterable, Iterator

# Chromium's log prefix: [pid:tid:MMDD/HHMMSS.micro:LEVEL:source/file.cc(line)] or :line]
_CHROMIUM = r"\[\d+:\d+:\d+/\d+\.\d+:(?:ERROR|WARNING|INFO|VERBOSE\d*):"
# Chromium sources whose non-fatal lines report only the absence of a GPU, Vulkan,
# D-Bus, a keyring or audio, each of which Chromium copes with by itself.
_CHROMIUM_SOURCES = (
    r"(?:dbus/|gpu/|components/viz/|ui/gl/|ui/ozone/|angle|vulkan|gl_|egl_|gbm_|"
    r"sandbox|media/audio|device_event_log|command_buffer|shared_image|va_|vaapi)"
)
NOISE_PATTERNS = (
    # Chromium's own log lines from the GPU, Vulkan, D-Bus, sandbox and audio code.
    rf"{_CHROMIUM}[^\]]*{_CHROMIUM_SOURCES}[^\]]*\]",
    # Qt's graphics back ends finding no OpenGL or Vulkan, then falling back to software.
    r"QRhiGles2: Failed to create (temporary )?context",
    r"Failed to create RHI( for backend: \w+)?",
    r"This plugin does not support (createPlatformVulkanInstance|propagateSizeHints\(\))",
    r"QVulkanInstance: Failed to initialize Vulkan",
    r"GBM is not supported with the current configuration",
    r"GPUInfo not initialized on GpuInfoUpdate",
    # Chromium on a page drawn below one device pixel per pixel (small image exports).
    r"Unsupported scale factor \(\S+\) detected on Display\d+",
    r"(qt\.webenginecontext|qt\.qpa\.wayland|qt\.qpa\.xcb: XKeyboard|qt\.glx|qt\.rhi)",
    r"(libva error|glx: failed to create|MESA: error: ZINK|MESA-LOADER: failed to open)",
    r"(libEGL warning|Vulkan: |vkCreateInstance|Fontconfig warning: ignoring)",
    r"Failed to load vulkan: |initInstance: No Vulkan library available",
    r"Failed to create platform Vulkan instance|GLX: No DRI3 Extension",
    r"Unable to detect GPU vendor for device: ",
    # Said because the app itself turns Chromium's sandbox off as root or in CI.
    r"Sandboxing disabled by user\.",
    # Set-up warnings with no effect on a desktop app.
    r"QStandardPaths: (XDG_RUNTIME_DIR not set|wrong permissions on runtime directory)",
    r"Qt WebEngine seems to be initialized from a plugin",
)
NOISE = re.compile("|".join(f"(?:{p})" for p in NOISE_PATTERNS))
# Chromium's FATAL lines (and anything else at that level) are never noise.
_FATAL = re.compile(r"\[\d+:\d+:\d+/\d+\.\d+:FATAL:")


def is_noise(line: str) -> bool:
    """Whether a line of standard error is chatter to drop (never a fatal error)."""
    return bool(NOISE.search(line)) and not _FATAL.search(line)


def kept(lines: Iterable[str]) -> Iterator[str]:
    """The lines a user should see."""
    return (line for line in lines if not is_noise(line))


_installed = False


def install() -> None:
    """From now on, standard error reaches the terminal through the noise filter.

    Linux only (the filter is a forked process reading a pipe); elsewhere, or if
    the pipe cannot be made, standard error stays as it is.
    """
    global _installed
    if _installed or not sys.platform.startswith("linux"):
        return
    sys.stderr.flush()
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return
    if pid == 0:  # the filter: reads until every writer (the app, Chromium's helpers) is gone
        try:
            _keep_only(read_end)
            _filter(read_end, 2)
        finally:
            os._exit(0)
    # The pipe stays in place to the end, so Qt's messages as it shuts down are
    # filtered too; the filter then ends on its own once the app and Chromium's
    # helper processes (which die with it) have closed their ends.
    os.close(read_end)
    os.dup2(write_end, 2)
    os.close(write_end)
    _installed = True


def _keep_only(source: int) -> None:
    """In the filter: hold nothing but the pipe and the terminal's standard error.

    A copy of the app's standard output (or any other descriptor) held here would
    keep whoever reads it waiting after the app has exited.
    """
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd > 2 and fd != source:
            with contextlib.suppress(OSError):  # listdir's own, closed already
                os.close(fd)


def _filter(source: int, target: int) -> None:
    # Ctrl+C reaches the whole process group: the filter stays to pass on what the
    # app prints as it stops, and ends when the app's side of the pipe closes.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    pending = b""
    while True:
        try:
            chunk = os.read(source, 65536)
        except InterruptedError:
            continue
        except OSError:
            break
        if not chunk:
            break
        *lines, pending = (pending + chunk).split(b"\n")
        _write(target, lines)
        if len(pending) > 65536:  # a very long line without an end: pass it on as it is
            _write(target, [pending])
            pending = b""
    if pending:
        _write(target, [pending])


def _write(target: int, lines: list[bytes]) -> None:
    out = b"".join(line + b"\n" for line in lines if not is_noise(line.decode("utf-8", "replace")))
    while out:
        try:
            out = out[os.write(target, out) :]
        except InterruptedError:
            continue
        except OSError:
            return
