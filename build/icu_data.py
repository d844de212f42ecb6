"""Empty Qt's ICU data library in the app bundle: 32 MB that the app never reads.

QtCore links ICU for collation, legacy text codecs and ICU time zones, none of
which Chronomap uses (Chromium brings its own ICU data, ``icudtl.dat``). The
library must stay, as QtCore loads it at start-up, but its data can be an
empty ICU data package: the original header, then a table of contents that
lists no items. ICU then reports any lookup as missing data, which Qt handles.

With a C compiler (``cc``) the library is rebuilt that small; without one, the
items are overwritten with zeros in place, which keeps the file's size on disk
but compresses to almost nothing in the downloads. Used by installer.spec.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

# ICU's data header: its size (2 bytes), the magic bytes, UDataInfo; "CmnD" names a
# package of items ("common data"), whose item count follows the header.
MAGIC = b"\xda\x27"
PACKAGE_FORMAT = b"CmnD"


def _locate(library: Path) -> tuple[str, int, int]:
    """(symbol name, file offset, size) of the library's ICU data package."""
    from elftools.elf.elffile import ELFFile

    with open(library, "rb") as handle:
        elf = ELFFile(handle)
        symbol = next(
            s
            for s in elf.get_section_by_name(".dynsym").iter_symbols()
            if re.fullmatch(r"icudt\d+_dat", s.name)
        )
        section = elf.get_section(symbol["st_shndx"])
        offset = symbol["st_value"] - section["sh_addr"] + section["sh_offset"]
        return symbol.name, offset, symbol["st_size"]


def _empty_package(library: Path, offset: int) -> bytes:
    """The library's own ICU data header, followed by a table of contents of no items."""
    with open(library, "rb") as handle:
        handle.seek(offset)
        start = handle.read(16)
        header_size = struct.unpack_from("<H", start)[0]
        if start[2:4] != MAGIC or start[12:16] != PACKAGE_FORMAT:
            raise ValueError(f"{library} does not hold an ICU data package")
        handle.seek(offset)
        header = handle.read(header_size)
    return header + struct.pack("<II", 0, 0)  # no items (and an empty entry, as ICU's own stub)


def item_count(library: Path) -> int:
    """How many items the library's ICU data package holds."""
    _symbol, offset, _size = _locate(library)
    with open(library, "rb") as handle:
        handle.seek(offset)
        header_size = struct.unpack("<H", handle.read(2))[0]
        handle.seek(offset + header_size)
        return struct.unpack("<I", handle.read(4))[0]


def _rebuilt(library: Path, symbol: str, package: bytes, compiler: str) -> bytes:
    """A shared library of the same name exporting only the empty package."""
    array = ", ".join(str(b) for b in package)
    source = (
        "/* An ICU data package holding no items, in place of Qt's ICU data. */\n"
        f'__attribute__((visibility("default"), aligned(16)))\n'
        f"const unsigned char {symbol}[{len(package)}] = {{{array}}};\n"
    )
    with tempfile.TemporaryDirectory() as folder:
        c_file = Path(folder, "icudata.c")
        c_file.write_text(source, encoding="ascii")
        output = Path(folder, library.name)
        subprocess.run(
            [
                compiler,
                "-shared",
                "-fPIC",
                "-O2",
                "-s",
                f"-Wl,-soname,{library.name}",
                "-Wl,-z,noexecstack",
                "-o",
                str(output),
                str(c_file),
            ],
            check=True,
            capture_output=True,
        )
        return output.read_bytes()


def empty_icu_data(folder: Path) -> list[str]:
    """Empty every ICU data library under ``folder``; returns one line per library done."""
    done = []
    for library in sorted(folder.rglob("libicudata.so.*")):
        if library.is_symlink():
            continue
        symbol, offset, size = _locate(library)
        package = _empty_package(library, offset)
        compiler = shutil.which("cc") or shutil.which("gcc")
        if compiler:
            content = _rebuilt(library, symbol, package, compiler)
            done.append(f"{library.name}: rebuilt with an empty ICU data package")
        else:
            content = bytearray(library.read_bytes())
            content[offset : offset + size] = package + bytes(size - len(package))
            done.append(f"{library.name}: ICU data zeroed in place (no C compiler to rebuild it)")
        # A new file, not an edit: the bundle's copy may share its data with
        # PyInstaller's cache of collected binaries.
        partial = library.with_name(library.name + ".part")
        partial.write_bytes(content)
        partial.chmod(library.stat().st_mode & 0o777)
        partial.replace(library)
    return done
