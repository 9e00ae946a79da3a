"""Project evaluation (``notebooks/project_evaluation.ipynb``).

``data``  project, commitment and survey registers; treated, displacement and control areas; counts
``text``  the report's verdict, texts and tables

The package forwards attribute access to ``data``, which holds what the flat module ``lagesbild.projects``
held before the layered layout (``lagesbild.projects.X`` is ``lagesbild.projects.data.X``).
"""

import importlib
from pathlib import Path

_SUBMODULES = {p.stem for p in Path(__file__).parent.glob("*.py")} - {"__init__"}


def __getattr__(name: str):
    if name in _SUBMODULES:  # a submodule not imported yet (never shadowed by a name in data)
        return importlib.import_module(f"{__name__}.{name}")
    return getattr(importlib.import_module(f"{__name__}.data"), name)
