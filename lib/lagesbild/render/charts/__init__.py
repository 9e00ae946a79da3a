"""Matplotlib charts for the reports: colour-blind safe, Swedish labels and number formatting.

Every chart function is a pure plotting function: it takes the data (and optionally an ``ax`` to draw
on), draws, and returns the Axes (or the Figure for multi-panel charts). Nothing is shown or saved
here; the notebook displays the figure and the publishing layer writes it out.

Its modules, each importing only ``style`` of the others:

``style``       the look every chart shares: the palette (``PALETTE``, ``LINE_PALETTE``, ``GREY``), the
                comparison levels' line styles (``LEVEL_STYLES``), font sizes, Swedish tick formatting
                (``swedish_formatter``), the contrast check (``contrast_ratio``) and the helpers of the
                modules below (a new tidy axes, the check of an input's columns, a Swedish list)
``crime``       the crime report: rates per year (``indicator_trends``), a ranking (``bar_ranking``), the
                kommungrupp (``group_strip``)
``events``      events in time: per month (``monthly_events``, ``monthly_events_panels``) and by weekday
                and hour (``weekday_hour``); the crime report and the place assessment
``funnel``      the trattdiagram: every kommun's rate against its population (``funnel_panels``)
``places``      the place assessment: a place's factor profile, the Lorenz curve of concentration
``wastewater``  the wastewater report: loads per year and per weekday (``ww_loads_over_time``, …)
``projects``    the project evaluation: effect estimates with their intervals (``estimate_intervals``)

Design rules followed by every chart:

* categories use the Okabe–Ito palette (``PALETTE``), heatmaps use cividis; lines use only its
  colours with at least 3:1 contrast against the white background (``LINE_PALETTE``, WCAG 1.4.11),
  and the grey of context lines has 3:1 too;
* colour is never the only carrier of meaning: lines also differ in line style and marker, the
  highlighted bar is hatched, and every line is named in a legend;
* numbers on axes, colourbars and labels use Swedish formatting (:func:`lagesbild.core.fmt.number`:
  decimal comma, non-breaking space as thousands separator, "−" as minus);
* degenerate input (no rows, only missing values, an indicator without data) raises
  :class:`ValueError` saying what is missing; a chart never silently renders empty;
* every chart has a function that states its finding in words, for the image's alt text: next to the
  chart here (``indicator_trends_alt``, ``monthly_events_alt``, ``weekday_hour_alt``, ``funnel_alt``,
  ``group_strip_alt``), in the report's text module for the report-specific charts
  (:mod:`lagesbild.places.text`, :mod:`lagesbild.wastewater.text`, :mod:`lagesbild.projects.text`).

Notebooks call every public name through the package (``from lagesbild import charts``;
``charts.indicator_trends(...)``) and code imports it from here (``from lagesbild.render.charts import
PALETTE``): a name is looked up, lazily, in the ``__all__`` of the modules above, so ``import
lagesbild.render.charts`` imports neither matplotlib nor pandas, and a chart can move between modules
without changing a caller. A new chart goes into the module of its report, its name into that
module's ``__all__``.
"""

import importlib

#: The modules whose public names the package forwards, in lookup order (no name is in two of them).
FORWARDED = ("style", "crime", "events", "funnel", "places", "wastewater", "projects")


def __getattr__(name: str):
    """``charts.<name>``: a module of the package, or the public name from the module whose ``__all__`` has it.

    Examples
    --------
    >>> from lagesbild import charts
    >>> charts.bar_ranking.__module__, charts.funnel.__name__
    ('lagesbild.render.charts.crime', 'lagesbild.render.charts.funnel')
    """
    if name in FORWARDED:  # a submodule not imported yet
        return importlib.import_module(f"{__name__}.{name}")
    if not name.startswith("_"):
        for module_name in FORWARDED:
            module = importlib.import_module(f"{__name__}.{module_name}")
            if name in module.__all__:
                value = getattr(module, name)
                globals()[name] = value
                return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}; its public names are in the __all__ "
                         f"of lagesbild.render.charts.{{{', '.join(FORWARDED)}}}")


def __dir__() -> list[str]:
    """The package's own names, its modules and every name they forward (imports them all).

    Examples
    --------
    >>> from lagesbild import charts
    >>> {"style", "PALETTE", "funnel_panels", "ww_weekday_pattern"} <= set(dir(charts))
    True
    """
    forwarded = (n for m in FORWARDED for n in importlib.import_module(f"{__name__}.{m}").__all__)
    return sorted(set(globals()) | set(FORWARDED) | set(forwarded))
