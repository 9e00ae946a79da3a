"""Crime trends (``notebooks/crime_trends.ipynb``).

``analysis``  reported-crime and police-event tables for one kommun: comparisons, tests, funnels, kommungrupp
``text``      the crime report's Swedish sentences

The package forwards attribute access to ``analysis``, which holds what the flat module ``lagesbild.crime``
held before the layered layout (``lagesbild.crime.X`` is ``lagesbild.crime.analysis.X``).
"""

import importlib
from pathlib import Path

_SUBMODULES = {p.stem for p in Path(__file__).parent.glob("*.py")} - {"__init__"}


def __getattr__(name: str):
    if name in _SUBMODULES:  # a submodule not imported yet (never shadowed by a name in analysis)
        return importlib.import_module(f"{__name__}.{name}")
    return getattr(importlib.import_module(f"{__name__}.analysis"), name)
