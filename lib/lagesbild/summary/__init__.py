"""The lägesbild summary (``notebooks/lagesbild.ipynb``) in the law's order.

``report``   standout findings, sources, focus areas, åtgärdsplan and uppföljning
``surveys``  a kommun's own trygghetsmätning: template, loader, area summaries

The package forwards attribute access to ``report``, which holds what the flat module ``lagesbild.summary``
held before the layered layout (``lagesbild.summary.X`` is ``lagesbild.summary.report.X``).
"""

import importlib
from pathlib import Path

_SUBMODULES = {p.stem for p in Path(__file__).parent.glob("*.py")} - {"__init__"}


def __getattr__(name: str):
    if name in _SUBMODULES:  # a submodule not imported yet (never shadowed by a name in report)
        return importlib.import_module(f"{__name__}.{name}")
    return getattr(importlib.import_module(f"{__name__}.report"), name)
