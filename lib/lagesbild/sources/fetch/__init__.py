"""Fetch current data from the public APIs into ``data/fetched/``: ``python -m lagesbild.sources.fetch SOURCE``.

Sources (``SOURCE``), one module each
-------------------------------------
``kolada`` (:mod:`~lagesbild.sources.fetch.kolada`)
    Kolada API v3 (RKA): Brå's reported crime per 100 000 inhabitants as ``fetched/crime/kolada_*.csv``,
    SKR's kommungruppsindelning as ``fetched/kommungrupper/kolada_kommungrupper.csv``, and Brå's NTU
    shares that pass a check against the bundled ones as ``fetched/ntu/kolada_ntu_*.csv``.
``scb`` (:mod:`~lagesbild.sources.fetch.scb`)
    SCB's PxWebApi 2.0, table ``TAB638``: population of every kommun per year as
    ``fetched/population/scb_alla_*.csv``.
``polisen`` (:mod:`~lagesbild.sources.fetch.polisen`)
    https://polisen.se/api/events: the latest events not yet in the archive as
    ``fetched/police_events/polisen_<time>.json``.

The rest of the package: :mod:`~lagesbild.sources.fetch.common` (the error, the HTTP layer with its
retries and cache, staging and the all-or-nothing write, provenance) and
:mod:`~lagesbild.sources.fetch.cli` (the command line; ``__main__`` runs it).

Every written file gets a ``<file>.provenance.json`` (source, URLs, fetch time, KPI ids or SCB
table, API version and query, row counts); :mod:`lagesbild.sources.processed` reads fetched files with the
same loaders as ``raw/`` and prefers their rows over bundled ones. Requests go through :class:`Http`:
a timeout, retries with exponential back-off on 429/5xx and connection errors (``Retry-After`` is
honoured), a User-Agent naming lägesbild, and a response cache in ``data/cache/`` (so a re-run
within a day does not download again). Nothing is written until everything has been downloaded and
parsed; then all files are written to temporary files and renamed into place, and a failure while
renaming puts back what was there.

Without network the command prints one line — ``error: could not reach api.kolada.se (…); the
bundled data in data/raw is still used`` — and exits with 1.

This package was one module; its public names still work here (``fetch.fetch_kolada``,
``from lagesbild.sources.fetch import Http``): :data:`HOME` names the submodule of each, imported on
first use. A name is *defined* in one submodule only, so patch it there (``monkeypatch.setattr(
fetch.scb, "SCB_MAX_CELLS", 5)``), not on the package.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Submodule → the public names it holds (the former module's names).
_NAMES: dict[str, tuple[str, ...]] = {
    "common": ("USER_AGENT", "CACHE_MAX_AGE", "FetchError", "Http", "Staged", "commit"),
    "kolada": ("KOLADA", "KOLADA_MAX_IDS", "KOLADA_MAX_YEARS", "KOLADA_KPIS", "SKR_GROUPS", "KOLADA_SOURCE",
               "KOLADA_LICENCE", "KOLADA_NEXT_KEYS", "NTU_MARKER", "NTU_RULES", "NTU_TOLERANCE", "NTU_MIN_AGREEING",
               "NTU_MIN_POINTS", "NTU_SHIFTS", "NTU_UNIT", "NTU_SOURCE", "kolada_next_page", "kolada_pages",
               "kolada_data_urls", "select_kolada_kpis", "kolada_region_code", "parse_kolada_data",
               "parse_kommungrupper", "kolada_municipality_id", "ntu_rules_matched", "select_ntu_kpis",
               "parse_kolada_values", "ntu_agreement", "ntu_agrees", "check_ntu_kpi", "fetch_kolada"),
    "scb": ("SCB", "SCB_API", "SCB_TABLE", "SCB_CONTENTS", "SCB_CONTENTS_LABEL", "SCB_DATA_PARAMS", "SCB_MAX_CELLS",
            "parse_jsonstat2", "parse_scb_metadata", "parse_scb_population", "scb_query", "fetch_scb"),
    "polisen": ("POLISEN", "new_events", "fetch_polisen"),
    "cli": ("parse_years", "kommun_arg", "build_parser", "main"),
}
#: Public name → the submodule that defines it.
HOME: dict[str, str] = {name: module for module, names in _NAMES.items() for name in names}

__all__ = sorted(HOME)


def __getattr__(name: str) -> Any:
    """A submodule (``fetch.kolada``), or a public name from the submodule that holds it (``fetch.Http``).

    Examples
    --------
    >>> from lagesbild.sources import fetch
    >>> fetch.fetch_scb.__module__, fetch.kolada.__name__
    ('lagesbild.sources.fetch.scb', 'lagesbild.sources.fetch.kolada')
    """
    if name in _NAMES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in HOME:
        return getattr(importlib.import_module(f"{__name__}.{HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(HOME) | set(_NAMES))
