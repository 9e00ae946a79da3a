"""lägesbild: helpers behind the crime-prevention situation-picture notebooks.

The library is layered; each package imports only the packages above it in this list (checked by
``tests/test_architecture.py``), so a change's room is the lowest layer that can hold it::

    core/        paths, errors, Swedish formatting, privacy rules, atomic files, strict YAML,  imports nothing of ours
                 the report registry (reports) and the key-figure models (keyfigures)
    sources/     public data: readers, schemas, loaders, data/processed/, EUDA, NTU, fetch   → core
    inputs/      the kommun's own tables: templates, loaders with row/column errors           → core, sources
    stats/       counts, funnels, spatial statistics, effects; numbers and dataclasses       → core
    text/        Swedish shared by the reports (findings, the opening, the caveats register)   → core, stats
    render/      HTML pieces, charts, maps, the offline check                                 → core, stats
    crime/ places/ wastewater/ projects/   one package per report domain (data, analysis,  → the layers above
                 Swedish text)
    summary/     the lägesbild summary that ties the domains together                          → the domains
    publish/     the offline HTML export, key-figure JSON, the landing page                    → core, sources, render
    run/         parameters, jobs, engines, the local pool, Dask, the CLI, notebook helpers   → everything

Notebooks keep the short names of the flat layout that came before (``from lagesbild import crime,
charts, report``; ``from lagesbild.paths import DATA``): :data:`MOVED` maps each old module name to its
place, resolved lazily (PEP 562) so that ``import lagesbild`` stays cheap.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys

__version__ = "0.1.0"

#: Old flat module name → its module in the layered layout. Old names keep working, lazily.
MOVED: dict[str, str] = {
    "paths": "core.paths", "errors": "core.errors", "fmt": "core.fmt", "privacy": "core.privacy",
    "units": "core.units", "workbook": "core.workbook",
    "readers": "sources.readers", "schemas": "sources.schemas", "categories": "sources.categories",
    "substances": "sources.substances", "processed": "sources.processed", "euda": "sources.euda",
    "ntu": "sources.ntu", "fetch": "sources.fetch", "districts": "sources.districts",
    "placedata": "places.data", "trygghet": "summary.surveys",
    "funnel": "stats.funnel", "spatial": "stats.spatial", "evaluation": "stats.effects",
    "indicators": "stats.indicators",
    "narrative": "text.narrative",
    "report": "render.report", "charts": "render.charts", "maps": "render.maps", "basemap": "render.basemap",
    "crimetext": "crime.text",
    "factors": "places.factors", "place": "places.analysis", "placereport": "places.text",
    "wwtrends": "wastewater.trends", "wwreport": "wastewater.text", "labresults": "wastewater.labresults",
    "evalreport": "projects.text",
    "landing": "publish.landing",
    "params": "run.params", "runner": "run.runner", "warm": "run.engines.warm", "cluster": "run.dask",
}
#: Old module names that are now packages of the same name: each package forwards attribute access to
#: the module that holds the old module's functions (``lagesbild.crime.analyse`` is
#: ``lagesbild.crime.analysis.analyse``).
PACKAGES = ("sources", "stats", "crime", "projects", "summary", "publish")


def __getattr__(name: str):
    """``lagesbild.<old name>`` (e.g. ``from lagesbild import charts``): the module it moved to."""
    if name in MOVED:
        module = importlib.import_module(f"{__name__}.{MOVED[name]}")
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(MOVED))


class _MovedLoader(importlib.abc.Loader):
    """Loads ``lagesbild.<old name>`` as the very module object it moved to (no second copy)."""

    def __init__(self, target: str):
        self.target = target

    def create_module(self, spec):
        module = importlib.import_module(self.target)
        self._spec = module.__spec__  # the import system overwrites __spec__ with the alias's; put it back
        return module

    def exec_module(self, module) -> None:
        """Nothing to run (the target is already executed); the module keeps its own ``__spec__``."""
        module.__spec__ = self._spec

    def get_code(self, fullname: str):
        """The target's code, so that ``python -m lagesbild.fetch`` runs ``lagesbild.sources.fetch``.

        A target that is a package gives its ``__main__``'s code, as ``python -m`` runs a package.
        """
        spec = importlib.util.find_spec(self.target)
        if spec.submodule_search_locations is None:
            return spec.loader.get_code(self.target)
        main = f"{self.target}.__main__"
        main_spec = importlib.util.find_spec(main)
        if main_spec is None:  # runpy turns this into its usual one-line error
            raise ImportError(f"No module named {main}; {fullname!r} is the package {self.target!r} "
                              "and cannot be directly executed")
        return main_spec.loader.get_code(main)


class _MovedFinder(importlib.abc.MetaPathFinder):
    """Finds ``lagesbild.<old name>`` and its dotted uses (``from lagesbild.paths import DATA``)."""

    def find_spec(self, fullname: str, path=None, target=None):
        head, _, tail = fullname.partition(".")
        if head != __name__ or tail not in MOVED:
            return None
        return importlib.machinery.ModuleSpec(fullname, _MovedLoader(f"{__name__}.{MOVED[tail]}"))


if not any(isinstance(f, _MovedFinder) for f in sys.meta_path):
    sys.meta_path.append(_MovedFinder())
