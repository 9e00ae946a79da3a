"""Publishing: offline HTML, key-figure JSON, the landing page.

``export``   offline HTML export and key-figure extraction
``landing``  the landing page listing every kommun's reports

The package forwards attribute access to ``export``, which holds what the flat module ``lagesbild.publish``
held before the layered layout (``lagesbild.publish.X`` is ``lagesbild.publish.export.X``).
"""

import importlib
from pathlib import Path

_SUBMODULES = {p.stem for p in Path(__file__).parent.glob("*.py")} - {"__init__"}


def __getattr__(name: str):
    if name in _SUBMODULES:  # a submodule not imported yet (never shadowed by a name in export)
        return importlib.import_module(f"{__name__}.{name}")
    return getattr(importlib.import_module(f"{__name__}.export"), name)
