"""Qt's and Chromium's start-up chatter stays off the terminal; real errors get through."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from desktop.gui.chromium_noise import is_noise, kept

# Standard error of `chronomap export --png` and of the window's start, offscreen as
# root, and under Xvfb: what a user would otherwise see on every start.
NOISE = [
    "Sandboxing disabled by user.",
    "QRhiGles2: Failed to create temporary context",
    "QRhiGles2: Failed to create context",
    "Failed to create RHI for backend: OpenGL",
    "This plugin does not support createPlatformVulkanInstance",
    "QVulkanInstance: Failed to initialize Vulkan",
    "GBM is not supported with the current configuration and Vulkan is not available. "
    "Fallback to software rendering.",
    "[10071:10090:1129/053721.676685:ERROR:../../../qtwebengine/src/3rdparty/chromium/dbus/"
    "bus.cc:408] Failed to connect to the bus: Failed to connect to socket "
    "/run/dbus/system_bus_socket: No such file or directory",
    "This plugin does not support propagateSizeHints()",
    "GPUInfo not initialized on GpuInfoUpdate",
    "Unsupported scale factor (0.500000) detected on Display0",
    # Under X11 (Xvfb) with Mesa's software renderer and no Vulkan loader.
    "Failed to load vulkan: Cannot load library vulkan: vulkan: cannot open shared object "
    "file: No such file or directory",
    "initInstance: No Vulkan library available",
    "Failed to create platform Vulkan instance",
    "Unable to detect GPU vendor for device: Mesa/X.org llvmpipe (LLVM 15.0.6, 256 bits) 4.5 "
    "(Compatibility Profile) Mesa 22.3.6",
    "GLX: No DRI3 Extension.",
]

# What must always reach the user.
REAL = [
    "Traceback (most recent call last):",
    '  File "desktop/cli.py", line 12, in main',
    "MemoryError",
    "chronomap export: cannot write /tmp/nodir/x.png: the folder /tmp/nodir does not exist",
    "data/events.csv:4:start: error: not a date: 'soon'",
    "qt.qpa.xcb: could not connect to display :9",
    "qt.qpa.plugin: From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed to load the Qt xcb "
    "platform plugin.",
    "js: Uncaught ReferenceError: L is not defined",
    # Chromium's fatal errors, from the same sources as its noise, stay.
    "[10071:10090:1129/053721.676685:FATAL:../../../qtwebengine/src/3rdparty/chromium/gpu/"
    "ipc/service/gpu_init.cc:600] Passthrough is not supported, GL is disabled",
    "[10071:10071:1129/053721.676685:ERROR:../../../qtwebengine/src/3rdparty/chromium/content/"
    "browser/renderer_host/render_process_host_impl.cc:5000] Renderer process crashed",
    "Segmentation fault (core dumped)",
]


def test_noise_is_recognised() -> None:
    assert [line for line in NOISE if not is_noise(line)] == []


def test_real_errors_are_kept() -> None:
    assert [line for line in REAL if is_noise(line)] == []
    mixed = [NOISE[0], REAL[0], NOISE[7], REAL[1], REAL[2], NOISE[-1], REAL[3]]
    assert list(kept(mixed)) == [REAL[0], REAL[1], REAL[2], REAL[3]]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the filter is Linux only")
def test_the_filter_passes_real_errors_from_the_app_and_its_child_processes(
    tmp_path: Path,
) -> None:
    """Installed, the filter sees descriptor 2 of the process and of what it starts."""
    script = textwrap.dedent(
        f"""
        import os, subprocess, sys
        from desktop.gui.chromium_noise import install
        install()
        print({REAL[0]!r}, file=sys.stderr, flush=True)
        os.write(2, {(NOISE[7] + chr(10)).encode()!r})
        os.write(2, {(REAL[3] + chr(10)).encode()!r})
        subprocess.run(["sh", "-c", "echo {NOISE[1]} >&2; echo {REAL[5]} >&2"])
        print("standard output untouched")
        os.write(2, b"a last line with no end")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "standard output untouched\n"
    assert result.stderr.splitlines() == [REAL[0], REAL[3], REAL[5], "a last line with no end"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the filter is Linux only")
def test_an_image_export_prints_only_what_it_wrote_and_verbose_brings_the_rest_back(
    tmp_path: Path,
) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")

    def export(*extra: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "desktop", "export", "--png", "out.png", *extra]
        return subprocess.run(
            command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=180
        )

    quiet = export("--size", "640x360")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr.splitlines() == ["wrote out.png"]

    verbose = export("--size", "640x360", "--verbose")
    assert verbose.returncode == 0, verbose.stderr
    lines = verbose.stderr.splitlines()
    assert lines[-1] == "wrote out.png"
    # Everything --verbose adds is what the filter took out, nothing else.
    assert all(is_noise(line) for line in lines[:-1]), lines

    # A real error of the same run still reaches the user.
    failed = export("--size", "640x360", "--select", "no-such-event")
    assert failed.returncode != 0
    assert "no-such-event" in failed.stderr
    assert not any(is_noise(line) for line in failed.stderr.splitlines())
