"""The key figures each report publishes, as pydantic models: checked when written and when read.

A report's notebook displays its key figures (:func:`lagesbild.render.report.key_figures`); the runner
writes them to ``<reports>/<kommun>/<report>.json`` inside an :class:`Envelope`, and the summary
(:mod:`lagesbild.summary.sources`) reads the other reports' files. Both sides use these models, so a
report cannot publish a figure the summary would refuse: :func:`check` runs before the file is
written. Fields not modelled here are kept as they are (``extra="allow"``); the modelled ones have
strict types.

The models live in ``core`` because both a lower layer (the summary) and the runner use them.

Examples
--------
>>> check("place_assessment", {"place_data": True, "place_series": [{"plats_id": "P1", "name": "Torget",
...     "events": [{"year": 2025, "months": 12, "count": 2, "small": False, "hidden": False}]}]})
Traceback (most recent call last):
...
lagesbild.core.keyfigures.KeyFigureError: the report place_assessment's key figure place_series.0.events.0: value error, a place's count of 2 events may not be published (3 or more, else small), found {'year': 2025, 'months': 12, 'count': 2, 'small': False, 'hidden': False}
>>> check("wastewater", {"own_measurements": False, "sites": ["Gävle"]})["sites"]
['Gävle']
>>> check("wastewater", {"sites": ["Gävle"]})
Traceback (most recent call last):
...
lagesbild.core.keyfigures.KeyFigureError: the report wastewater's key figure own_measurements: the field is missing
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from lagesbild.core.errors import LagesbildError
from lagesbild.core.reports import CRIME_TRENDS, PLACE_ASSESSMENT, PROJECT_EVALUATION, WASTEWATER


class KeyFigureError(LagesbildError):
    """A report's key figures do not match the model another report reads them with."""


class KeyFigureModel(BaseModel):
    """Strict types for the fields another report reads; other fields are kept as they are."""

    model_config = ConfigDict(extra="allow", strict=True)


class Change(KeyFigureModel):
    rate_ratio: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    p_value: float | None = None
    detectable: bool
    too_few: bool = False


class Trend(KeyFigureModel):
    first_year: int | None = None
    last_year: int | None = None
    annual_change_pct: float | None = None
    ci_low_pct: float | None = None
    ci_high_pct: float | None = None
    p_value: float | None = None
    detectable: bool
    too_few: bool = False


class SeriesPoint(KeyFigureModel):
    year: int
    count: int | None = None
    population: float | None = None


class Indicator(KeyFigureModel):
    indicator: str
    year: int
    count: int | None
    rate: float | None
    rate_lan: float | None = None
    rate_riket: float | None = None
    previous_year: int | None = None
    previous_count: int | None = None
    previous_rate: float | None = None
    change: Change | None = None
    trend: Trend | None = None
    population: float | None = None
    count_lan: int | None = None
    population_lan: float | None = None
    count_riket: int | None = None
    population_riket: float | None = None
    series: list[SeriesPoint] = []


class CrimeFigures(KeyFigureModel):
    bra_available: bool
    bra_latest_year: int | None = None
    detectable_increases: list[str] = []
    detectable_decreases: list[str] = []
    focus_areas: dict[str, list[str]] = {}
    indicators: list[Indicator] = []
    events_last_12_months: int | None = None
    events_period_end: str | None = None
    derived_count_years: list[int] = []
    kommungrupp: str | None = None
    kommungrupp_comparison: list[dict] = []


class ScorePoint(KeyFigureModel):
    year: int
    date: str
    score: float


class EventPoint(KeyFigureModel):
    """A place's events in a year: never a count below 3 (place-level data, :mod:`lagesbild.core.privacy`)."""

    year: int
    months: int
    count: int | None
    small: bool
    hidden: bool

    @model_validator(mode="after")
    def _publishable(self) -> EventPoint:
        if (self.small or self.hidden) != (self.count is None):
            raise ValueError("count must be None exactly when the count is small or hidden")
        if self.count is not None and self.count < 3:
            raise ValueError(f"a place's count of {self.count} events may not be published (3 or more, else small)")
        return self


class PlaceSeries(KeyFigureModel):
    plats_id: str
    name: str
    scores: list[ScorePoint] = []
    events: list[EventPoint] = []


class PlaceFigures(KeyFigureModel):
    place_data: bool
    example_data: bool = False
    places: int = 0
    places_assessed: int = 0
    period: list[str] | None = None
    hot_spot_cells: int | None = None
    hot_spot_places: list[str] = []
    priority: list[str] = []
    gini: float | None = None
    place_series: list[PlaceSeries] = []


class Latest(KeyFigureModel):
    substance: str
    year: int
    daily_mean: float | None
    percentile_europe: float | None = None


class LoadPoint(KeyFigureModel):
    substance: str
    site_id: str
    year: int
    days: int
    mean: float | None = None
    log_mean: float | None = None
    log_sd: float | None = None


class WastewaterFigures(KeyFigureModel):
    own_measurements: bool
    example_data: bool = False
    sites: list[str] = []
    euda_sites: list[str] = []
    latest: list[Latest] = []
    load_series: list[LoadPoint] = []


class Project(KeyFigureModel):
    id: str
    name: str
    wdd_estimate: float | None = None
    wdd_ci: list[float] | None = None
    detectable: bool | None = None


class ProjectFigures(KeyFigureModel):
    example_data: bool = False
    projects: list[Project]
    commitments: dict[str, int]


class Envelope(KeyFigureModel):
    report: str
    kommun: str
    name: str = ""
    generated: str
    lagesbild_version: str = ""
    git_commit: str | None = None
    parameters: dict = {}
    key_figures: dict


#: Report name → the model of the key figures it publishes (the summary reads these four).
MODELS: dict[str, type[KeyFigureModel]] = {
    CRIME_TRENDS.name: CrimeFigures, PLACE_ASSESSMENT.name: PlaceFigures, WASTEWATER.name: WastewaterFigures,
    PROJECT_EVALUATION.name: ProjectFigures,
}


def check(report: str, figures: dict) -> dict:
    """Validate a report's key figures against its model (reports without a model pass as they are).

    Parameters
    ----------
    report : str
        The report's name (a key of :data:`MODELS`, or any other report).
    figures : dict
        Its key figures.

    Returns
    -------
    dict
        The figures as the model dumps them (the same values; modelled fields with their types).

    Raises
    ------
    KeyFigureError
        Naming the report and the first field that is missing or has the wrong type.

    Examples
    --------
    >>> check("lagesbild", {"anything": 1})
    {'anything': 1}
    >>> check("project_evaluation", {"projects": [], "commitments": {"klar": "3"}})
    Traceback (most recent call last):
    ...
    lagesbild.core.keyfigures.KeyFigureError: the report project_evaluation's key figure commitments.klar: input should be a valid integer, found '3'
    """
    model = MODELS.get(report)
    if model is None:
        return dict(figures)
    try:
        return model.model_validate(figures).model_dump()
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        if err["type"] == "missing":
            problem = "the field is missing"
        else:
            msg = err["msg"].rstrip(".")
            problem = f"{msg[:1].lower()}{msg[1:]}, found {err.get('input')!r}"
        raise KeyFigureError(f"the report {report}'s key figure {where}: {problem}") from None
