"""Lazy attribute access for a package that replaced a flat module of the same name (PEP 562).

``lagesbild.crime`` was one module before the layered layout and is now a package; code written for
the module (``crime.analyse(...)``) keeps working because the package's ``__getattr__`` forwards
names it lacks to the submodule that holds them. Nothing is imported until a name is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any


def forward(package: str, init_file: str, target: str) -> Callable[[str], Any]:
    """A module-level ``__getattr__`` for ``package``: its submodules first, else ``target``'s names.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    init_file : str
        Its ``__init__.py`` (``__file__``), to list the submodules without importing them.
    target : str
        The submodule that holds the former flat module's names.

    Returns
    -------
    callable
        ``__getattr__(name)``: a submodule named ``name`` (imported on first use; never shadowed by
        a name in ``target``), else ``getattr(target, name)`` (AttributeError as usual).

    Examples
    --------
    >>> getattr_ = forward("lagesbild.crime", __import__("lagesbild.crime").crime.__file__, "analysis")
    >>> getattr_("text").__name__, getattr_("analyse").__name__
    ('lagesbild.crime.text', 'analyse')
    """
    submodules = {p.stem for p in Path(init_file).parent.glob("*.py")} - {"__init__"}
    submodules |= {p.parent.name for p in Path(init_file).parent.glob("*/__init__.py")}

    def __getattr__(name: str) -> Any:
        if name in submodules:
            return importlib.import_module(f"{package}.{name}")
        return getattr(importlib.import_module(f"{package}.{target}"), name)

    return __getattr__
