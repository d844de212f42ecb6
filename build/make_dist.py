"""The Linux downloads, built from the app bundle that `make app` leaves in dist/Chronomap.

    python build/make_dist.py [--app dist/Chronomap] [--out dist]

Writes, into --out:

- ``Chronomap-VERSION-linux-ARCH.tar.zst``: the portable app. It unpacks to a
  folder ``Chronomap-VERSION/`` holding the ``Chronomap`` program, its
  ``chronomap.desktop`` launcher and icon: nothing to install.
- ``chronomap_VERSION_DEBARCH.deb``: the app under /opt/chronomap, the
  ``chronomap`` command, a menu entry with its icon, and the MIME types that
  make a double-clicked dataset (``*.chronomap.json``, a folder's
  ``events.csv``) open in Chronomap.

Both carry the Qt and X11 (xcb) libraries the app loads. One line per file
says its size and how long it took (build/PACKAGING.md has the figures).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINUX = ROOT / "build" / "linux"
ICON = ROOT / "assets" / "icons" / "chronomap.png"
NAME = "Chronomap"
PACKAGE = "chronomap"
INSTALL_DIR = Path("opt") / PACKAGE
ICON_SIZES = (48, 64, 128, 256, 512)

# zstd level 9 with long-distance matching over a 128 MB window (what `zstd -d`
# and `tar --zstd` read without options): within a few MB of level 19's size in
# a tenth of its time. The .deb's zstd (dpkg-deb) has no long mode.
ARCHIVE_LEVEL = 9
WINDOW_LOG = 27
DEB_LEVEL = 9

DEB_ARCH = {"x86_64": "amd64", "aarch64": "arm64"}
# What the bundle does not carry, on purpose: the C library, and the graphics
# stack that must match the system's drivers (libGL, libEGL, libgbm, libxcb and
# libxcb-dri3; installer.spec and PyInstaller's exclusion list); fontconfig's
# configuration and a font come with libfontconfig1. Wayland's client libraries
# are there in any Wayland session, the only place Qt loads its Wayland plugin.
DEPENDS = "libc6 (>= {glibc}), libgl1, libegl1, libgbm1, libxcb1, libxcb-dri3-0, libfontconfig1"
RECOMMENDS = "libwayland-client0, libwayland-cursor0, libwayland-egl1"
# The .deb must name a maintainer: set CHRONOMAP_MAINTAINER when publishing one.
MAINTAINER = os.environ.get("CHRONOMAP_MAINTAINER", "Chronomap <packaging@chronomap.invalid>")


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from desktop import __version__

    return __version__


def files_size(folder: Path) -> int:
    """Bytes in the folder's files (symbolic links count as nothing)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def write_archive(app: Path, target: Path, top: str) -> None:
    """A .tar.zst of the bundle under the folder name ``top``; written atomically."""
    import zstandard

    def anonymous(info: tarfile.TarInfo) -> tarfile.TarInfo:
        # Whoever unpacks it owns the files; the builder's account is not recorded.
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    params = zstandard.ZstdCompressionParameters.from_level(
        ARCHIVE_LEVEL, window_log=WINDOW_LOG, enable_ldm=True, threads=os.cpu_count() or 1
    )
    partial = target.with_name(target.name + ".part")
    with (
        open(partial, "wb") as raw,
        zstandard.ZstdCompressor(compression_params=params).stream_writer(raw) as packed,
        tarfile.open(fileobj=packed, mode="w|", format=tarfile.PAX_FORMAT) as tar,
    ):
        tar.add(app, arcname=top, filter=anonymous)
    partial.replace(target)


def _link_or_copy(source: str, destination: str) -> None:
    """Hard-link where possible: the staging tree then costs no disk space or time."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def stage_deb(app: Path, stage: Path, version_text: str, arch: str) -> None:
    """The .deb's file tree, with DEBIAN/control."""
    from PIL import Image

    opt = stage / INSTALL_DIR
    # The launcher and icon beside the portable program are replaced by the
    # installed menu entry and the icon theme's copies.
    shutil.copytree(
        app,
        opt,
        symlinks=True,
        copy_function=_link_or_copy,
        ignore=lambda folder, names: (
            ["chronomap.desktop", "chronomap.png"] if Path(folder) == app else []
        ),
    )
    bin_dir = stage / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    # Relative, so the command also works from a tree unpacked elsewhere (dpkg -x).
    (bin_dir / PACKAGE).symlink_to(Path("..", "..", INSTALL_DIR, NAME))
    share = stage / "usr" / "share"
    (share / "applications").mkdir(parents=True)
    shutil.copy2(LINUX / "chronomap.desktop", share / "applications" / "chronomap.desktop")
    (share / "mime" / "packages").mkdir(parents=True)
    shutil.copy2(LINUX / "chronomap-mime.xml", share / "mime" / "packages" / "chronomap.xml")
    with Image.open(ICON) as icon:
        for size in ICON_SIZES:
            folder = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
            folder.mkdir(parents=True)
            icon.resize((size, size), Image.Resampling.LANCZOS).save(folder / "chronomap.png")

    glibc = platform.libc_ver()[1] or "2.31"
    control = stage / "DEBIAN" / "control"
    control.parent.mkdir()
    control.write_text(
        f"Package: {PACKAGE}\n"
        f"Version: {version_text}\n"
        f"Architecture: {arch}\n"
        f"Maintainer: {MAINTAINER}\n"
        f"Installed-Size: {(files_size(stage) + 1023) // 1024}\n"
        f"Depends: {DEPENDS.format(glibc=glibc)}\n"
        f"Recommends: {RECOMMENDS}\n"
        "Section: misc\n"
        "Priority: optional\n"
        "Description: timeline-and-map briefing tool\n"
        " Chronomap opens a dataset of dated, sourced events and shows it on a\n"
        " timeline linked both ways to a map; it steps through the dataset's story\n"
        " full screen in a briefing, and exports PNG, HTML, PDF and PowerPoint\n"
        " snapshots. It works with no network at all.\n",
        encoding="utf-8",
    )
    # Readable by everyone whatever the builder's umask was (the bundle's files,
    # hard-linked here, get the same modes, which suits them as well).
    for path in [stage, *stage.rglob("*")]:
        if not path.is_symlink():
            executable = path.is_dir() or path.stat().st_mode & 0o111
            path.chmod(0o755 if executable else 0o644)


def write_deb(app: Path, target: Path, version_text: str, arch: str) -> None:
    dpkg_deb = shutil.which("dpkg-deb")
    if dpkg_deb is None:
        raise SystemExit("make_dist: dpkg-deb is needed for the .deb ('dpkg' on every system)")
    stage = target.with_name(target.name + ".root")
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir()
    partial = target.with_name(target.name + ".part")
    try:
        stage_deb(app, stage, version_text, arch)
        subprocess.run(
            [
                dpkg_deb,
                "--root-owner-group",
                "-Zzstd",
                f"-z{DEB_LEVEL}",
                f"--threads-max={os.cpu_count() or 1}",
                "--build",
                str(stage),
                str(partial),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        partial.replace(target)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        partial.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app", type=Path, default=ROOT / "dist" / NAME, help="the app bundle")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where to write")
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux"):
        raise SystemExit("make_dist: builds the Linux downloads; see build/PACKAGING.md")
    if not (args.app / NAME).is_file():
        raise SystemExit(f"make_dist: no {args.app / NAME}; build the app first ('make app')")
    machine = platform.machine()
    version_text = version()
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"app: {files_size(args.app) / 1e6:.0f} MB unpacked ({args.app})")

    started = time.perf_counter()
    archive = args.out / f"{NAME}-{version_text}-linux-{machine}.tar.zst"
    write_archive(args.app, archive, f"{NAME}-{version_text}")
    print(
        f"{archive.name}: {archive.stat().st_size / 1e6:.1f} MB "
        f"in {time.perf_counter() - started:.0f} s"
    )

    started = time.perf_counter()
    deb = args.out / f"{PACKAGE}_{version_text}_{DEB_ARCH.get(machine, machine)}.deb"
    write_deb(args.app, deb, version_text, DEB_ARCH.get(machine, machine))
    print(f"{deb.name}: {deb.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
