"""Start-up costs a report process does not need to pay.

Importing ``nbformat`` (every executed notebook passes through it) imports ``jsonschema``, whose format
checkers import ``rfc3987_syntax`` when it is installed (JupyterLab brings it), and that compiles 38
URI grammars with lark at import: about one second, in every process, for a checker the notebook
schema never uses. :func:`defer_uri_grammars` puts a stand-in module in its place that imports the
real one on first use, so the checker still works, only later. Measured in ``bench/README.md``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

_NAME = "rfc3987_syntax"


def defer_uri_grammars() -> bool:
    """Make ``import rfc3987_syntax`` cheap until one of its functions is called; True if a stand-in was set.

    Nothing is done when the package is not installed or already imported.

    Examples
    --------
    >>> import sys
    >>> installed = importlib.util.find_spec("rfc3987_syntax") is not None
    >>> defer_uri_grammars() == (installed and getattr(sys.modules.get("rfc3987_syntax"), "_deferred", False))
    True
    >>> if installed:
    ...     from rfc3987_syntax import is_valid_syntax
    ...     print(is_valid_syntax("iri", "https://exempel.se/å"), is_valid_syntax("iri", "inte en iri"))
    ... else:
    ...     print(True, False)
    True False
    """
    if _NAME in sys.modules or importlib.util.find_spec(_NAME) is None:
        return False
    stub = types.ModuleType(_NAME, "A stand-in that imports rfc3987_syntax on first use (lagesbild.core.startup).")
    stub._deferred = True

    def _real():
        if sys.modules.get(_NAME) is stub:
            del sys.modules[_NAME]
        return importlib.import_module(_NAME)

    def is_valid_syntax(*args, **kwargs):
        return _real().is_valid_syntax(*args, **kwargs)

    def __getattr__(name: str):
        if name.startswith("__"):  # the import system asks for __path__, __file__ …: not a use
            raise AttributeError(name)
        return getattr(_real(), name)

    stub.is_valid_syntax = is_valid_syntax
    stub.__getattr__ = __getattr__
    sys.modules[_NAME] = stub
    return True
