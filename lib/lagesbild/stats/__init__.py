"""Statistics: numbers and small dataclasses, never Swedish sentences.

``counts``      change and trend tests for counts (Poisson E-test, exact intervals, GLM trend)
``funnel``      funnel plots (Spiegelhalter 2005) with limits widened for the variation between kommuner
``spatial``     grid in SWEREF 99 TM, Getis-Ord Gi* hot spots, concentration
``effects``     WDD (Wheeler & Ratcliffe 2018), WDQ, net effect, regression to the mean, survey change
``indicators``  traffic lights for indicators (funnel rule)

The package forwards attribute access to ``counts``, which holds what the flat module ``lagesbild.stats``
held before the layered layout (``lagesbild.stats.X`` is ``lagesbild.stats.counts.X``).
"""

import importlib
from pathlib import Path

_SUBMODULES = {p.stem for p in Path(__file__).parent.glob("*.py")} - {"__init__"}


def __getattr__(name: str):
    if name in _SUBMODULES:  # a submodule not imported yet (never shadowed by a name in counts)
        return importlib.import_module(f"{__name__}.{name}")
    return getattr(importlib.import_module(f"{__name__}.counts"), name)
