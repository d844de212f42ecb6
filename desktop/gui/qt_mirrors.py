"""pyqtgraph's copies of QtCore, QtGui and QtWidgets, filled on first use.

pyqtgraph keeps its own mirror of each of the three modules and, as it is
imported, copies every name of PySide6's modules into them
(``pyqtgraph/Qt/__init__.py``, ``_copy_attrs``). PySide6 creates a class, and
its enums, the first time it is looked up: the copy makes it create all of
them, about 0.2 s of start-up, most never used. Here the mirrors look a name
up in PySide6 the first time it is asked for, and keep it; the copy, which only
asks whether a name is there, is told it is. Every name then reads the same
object as before, only later.

``install`` must run before pyqtgraph is first imported; after that it does
nothing. Should pyqtgraph change how it copies, the mirrors still answer every
name (looked up in PySide6), just without the saving.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any

_SOURCES = {
    "pyqtgraph.Qt.QtCore": "PySide6.QtCore",
    "pyqtgraph.Qt.QtGui": "PySide6.QtGui",
    "pyqtgraph.Qt.QtWidgets": "PySide6.QtWidgets",
}
_COPYING = "_copy_attrs"  # the function of pyqtgraph.Qt that copies every name


class _Mirror(types.ModuleType):
    """A module that takes each missing name from its PySide6 module on first use."""

    _source: types.ModuleType

    def __getattr__(self, name: str) -> Any:
        source = self.__dict__.get("_source")
        if source is None:
            raise AttributeError(name)
        if sys._getframe(1).f_code.co_name == _COPYING:
            # Only asked whether it is there (it is: PySide6 listed it).
            return True
        value = getattr(source, name)
        setattr(self, name, value)
        return value

    def __dir__(self) -> list[str]:
        source = self.__dict__.get("_source")
        return sorted(set(super().__dir__()) | set(dir(source) if source else ()))


class _MirrorLoader(importlib.abc.Loader):
    def __init__(self, loader: Any, source: str) -> None:
        self._loader = loader
        self._source = source

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        self._loader.exec_module(module)
        module.__class__ = _Mirror
        module.__dict__["_source"] = importlib.import_module(self._source)


class _MirrorFinder(importlib.abc.MetaPathFinder):
    def __init__(self) -> None:
        self._left = set(_SOURCES)

    def find_spec(
        self, fullname: str, path: Any = None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self._left:
            return None
        self._left.discard(fullname)
        if not self._left and self in sys.meta_path:
            sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _MirrorLoader(spec.loader, _SOURCES[fullname])
        return spec


def install() -> None:
    """Have pyqtgraph's mirrors filled on first use, if pyqtgraph is not imported yet."""
    if "pyqtgraph" in sys.modules or any(isinstance(f, _MirrorFinder) for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _MirrorFinder())
