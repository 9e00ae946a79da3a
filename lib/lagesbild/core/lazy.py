"""Lazy attribute access for packages and modules whose names moved (PEP 562).

``lagesbild.crime`` was one module before the layered layout and is now a package; code written for
the module (``crime.analyse(...)``) keeps working because the package's ``__getattr__`` forwards
names it lacks to the submodules that hold them. A module that gave some of its names to a new
module forwards them the same way (:func:`also_in`). Nothing is imported until a name is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any


def also_in(module: str, *homes: str) -> Callable[[str], Any]:
    """A module-level ``__getattr__`` for ``module``: a public name it lacks, from the first of ``homes`` that has it.

    The value is cached in ``module``'s namespace after the first lookup. Dunder names are never
    forwarded (``inspect`` and ``doctest`` probe them).

    Parameters
    ----------
    module : str
        The forwarding module's ``__name__``.
    *homes : str
        Full names of the modules that now hold the names, in lookup order.

    Returns
    -------
    callable
        ``__getattr__(name)``; an AttributeError names the modules it looked in.

    Examples
    --------
    >>> getattr_ = also_in("lagesbild.core.fmt", "lagesbild.core.paths")
    >>> getattr_("DATA").name
    'data'
    >>> getattr_("__wrapped__")
    Traceback (most recent call last):
    ...
    AttributeError: module 'lagesbild.core.fmt' has no attribute '__wrapped__' (nor has lagesbild.core.paths)
    """

    def __getattr__(name: str) -> Any:
        if not (name.startswith("__") and name.endswith("__")):
            for home in homes:
                mod = importlib.import_module(home)
                if hasattr(mod, name):
                    value = getattr(mod, name)
                    vars(importlib.import_module(module))[name] = value
                    return value
        raise AttributeError(f"module {module!r} has no attribute {name!r} (nor has {', '.join(homes)})")

    return __getattr__


def forward(package: str, init_file: str, *targets: str) -> Callable[[str], Any]:
    """A module-level ``__getattr__`` for ``package``: its submodules first, else the names of ``targets``.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    init_file : str
        Its ``__init__.py`` (``__file__``), to list the submodules without importing them.
    *targets : str
        The submodules (relative names) that hold the former flat module's names, in lookup order.

    Returns
    -------
    callable
        ``__getattr__(name)``: a submodule named ``name`` (imported on first use; never shadowed by
        a name in a target), else the name from the first target that has it (AttributeError as usual).

    Examples
    --------
    >>> getattr_ = forward("lagesbild.crime", __import__("lagesbild.crime").crime.__file__, "analysis")
    >>> getattr_("text").__name__, getattr_("analyse").__name__
    ('lagesbild.crime.text', 'analyse')
    """
    submodules = {p.stem for p in Path(init_file).parent.glob("*.py")} - {"__init__"}
    submodules |= {p.parent.name for p in Path(init_file).parent.glob("*/__init__.py")}
    names = also_in(package, *(f"{package}.{t}" for t in targets))

    def __getattr__(name: str) -> Any:
        if name in submodules:
            return importlib.import_module(f"{package}.{name}")
        return names(name)

    return __getattr__
