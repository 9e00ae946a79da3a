"""The åtgärdsplan year by year, and the follow-up of the previous plan's goals against the data.

Lag (2023:196) makes a cycle: lägesbild → åtgärdsplan → uppföljning → ny lägesbild. A kommun keeps
one plan per year in a folder (``atgardsplan_2025.csv``, ``atgardsplan_2026.xlsx`` …; the parameter
``focus_plan`` names the folder, or a single file as before). :func:`load_plans` reads them
(:class:`Plans`): the newest is the current plan (section 3 of the lägesbild), the one before it is
followed up row by row in section 4. With ``focus_plan`` empty the bundled example plans
(:data:`EXAMPLE_PLANS`, Falun and Helsingborg) are read when they have rows for the kommun.

:func:`follow_up` judges each goal of a plan: a goal with a measure (a Brå category per 100 000, an
NTU share, a trygghetsmätning area's total index, a wastewater load, a place's factor score, the events
at a place) gets its status computed from the data by
:func:`lagesbild.stats.goals.goal_status`; the series come from the crime report's key figures (never
recomputed: :func:`crime_observations`), from the lägesbild's own NTU table, from the
trygghetsmätning it reads, from the wastewater report's key figures and, for a place's factor score and
the events at a place, from the place assessment report's key figures (``place_series``:
:func:`place_observations`, :func:`event_goal_status`; a count below 3 is never published there, and a
goal on it is judged at the count's least favourable value). A goal without a measure keeps the status
the analyst wrote. The Swedish words are in :mod:`lagesbild.summary.plan_text`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lagesbild.core import reads
from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.core.paths import DATA
from lagesbild.inputs.folders import EXAMPLE_MARK, read_metadata, read_metadata_defaults
from lagesbild.inputs.tables import normalise
from lagesbild.places.factors import CHANGE_TOLERANCE
from lagesbild.sources.processed import sha256
from lagesbild.sources.readers import CSV_SUFFIXES, EXCEL_SUFFIXES
from lagesbild.stats import goals as g
from lagesbild.summary.focus_plan import focus_plan_path, load_focus_plan

#: The bundled example plans (invented; Falun, 2080, and Helsingborg, 1283), read when ``focus_plan`` is empty.
EXAMPLE_PLANS = DATA / "example" / "atgardsplan"

_PLAN_NAME = re.compile(r"^(?:atgardsplan|åtgärdsplan)_(\d{4})$")


@dataclass(frozen=True)
class PlanYear:
    """One year's plan: ``year`` (None when the file name carries none), the loaded ``plan``, its ``file``."""

    year: int | None
    plan: pd.DataFrame
    file: Path


@dataclass(frozen=True)
class Plans:
    """A kommun's plans (:func:`load_plans`): the current one, the one before it, and where they came from.

    Attributes
    ----------
    current, previous : PlanYear or None
        The newest plan and the one before it (None: none).
    example : bool
        Invented example plans (every report says so).
    folder : Path or None
        The folder read (None: a single file or nothing).
    files : list of dict
        Every plan file read, for the provenance (``name``, ``description``, ``sha256``, ``date``).
    """

    current: PlanYear | None = None
    previous: PlanYear | None = None
    example: bool = False
    folder: Path | None = None
    files: list[dict] = field(default_factory=list)

    @property
    def current_file(self) -> Path | None:
        """The current plan's file (None: no plan, the report shows the draft)."""
        return None if self.current is None else self.current.file


def plan_year(path: str | Path) -> int | None:
    """The year in a plan's file name (``atgardsplan_2026.xlsx``), or None.

    Examples
    --------
    >>> plan_year("plans/Atgardsplan_2026.xlsx"), plan_year("åtgärdsplan_2025.csv"), plan_year("atgardsplan.csv")
    (2026, 2025, None)
    """
    m = _PLAN_NAME.match(normalise(Path(path).stem))
    return int(m.group(1)) if m else None


def _is_table(p: Path) -> bool:
    return p.is_file() and not p.name.startswith(("~$", ".")) and p.suffix.lower() in (*CSV_SUFFIXES, *EXCEL_SUFFIXES)


def _provenance(p: Path, year: int | None, meta: Mapping, example: bool, *, in_folder: bool = True) -> dict:
    date = meta.get("datum") or dt.date.fromtimestamp(p.stat().st_mtime).isoformat()
    what = "Kommunens åtgärdsplan" + (f" {year}" if year is not None else "")
    return {"name": f"{p.parent.name}/{p.name}" if in_folder else p.name,
            "description": what + (EXAMPLE_MARK if example else ""), "sha256": sha256(p), "date": date}


def plan_provenance(plan_file: str | Path) -> list[dict]:
    """The provenance of the plans a lägesbild shows: the current plan's file and, in a folder of plans by
    year, the previous year's plan that section 4 follows up (the newest plan before it).

    Examples
    --------
    >>> [(f["name"], f["description"]) for f in plan_provenance(EXAMPLE_PLANS / "atgardsplan_2026.csv")]
    [('atgardsplan/atgardsplan_2025.csv', 'Kommunens åtgärdsplan 2025 (påhittade exempeldata)'), ('atgardsplan/atgardsplan_2026.csv', 'Kommunens åtgärdsplan 2026 (påhittade exempeldata)')]
    """
    path = Path(plan_file)
    year = plan_year(path)
    meta_path = path.parent / "metadata.yaml"
    if year is None:
        return [_provenance(path, None, read_metadata_defaults(), False, in_folder=False)]
    meta = read_metadata(meta_path) if meta_path.exists() else read_metadata_defaults()
    example = bool(meta["exempeldata"])
    earlier = {plan_year(p): p for p in path.parent.iterdir() if _is_table(p) and (plan_year(p) or year) < year}
    files = ([earlier[max(earlier)]] if earlier else []) + [path]
    return [_provenance(p, plan_year(p), meta, example) for p in files]


def load_plans(value: str, kommun: str) -> Plans:
    """Read a kommun's åtgärdsplaner: a folder with one plan per year, a single file, or the bundled example.

    Parameters
    ----------
    value : str
        The parameter ``focus_plan``: a folder of ``atgardsplan_<year>.csv``/``.xlsx`` files (the
        newest is the current plan, the one before it is followed up), a single plan file (the current
        plan; nothing to follow up), or "" for the example plans in :data:`EXAMPLE_PLANS`, which are
        used only when they have rows for ``kommun``. Relative paths are relative to the project.
    kommun : str

    Returns
    -------
    Plans
        Without a plan (an empty value and no example rows for the kommun) ``current`` is None: the
        report shows the draft.

    Raises
    ------
    InputError
        A missing path; in a folder, a table file whose name is not ``atgardsplan_<year>``, two files
        of one year, no plan file at all (not for the example), a bad ``metadata.yaml``; and every
        error of :func:`lagesbild.summary.focus_plan.load_focus_plan`.

    Examples
    --------
    >>> p = load_plans("", "2080")
    >>> p.example, p.current.year, p.previous.year, [f["name"] for f in p.files]
    (True, 2026, 2025, ['atgardsplan/atgardsplan_2025.csv', 'atgardsplan/atgardsplan_2026.csv'])
    >>> load_plans("", "0114").current is None
    True
    """
    kommun = str(kommun).strip()
    given = focus_plan_path(value)
    path = EXAMPLE_PLANS if given is None else given
    if path.is_file():
        year = plan_year(path)
        return Plans(current=PlanYear(year, load_focus_plan(path, kommun), path), files=[
            _provenance(path, year, read_metadata_defaults(), False, in_folder=False)])
    reads.folder(path)
    if not path.is_dir():  # only the bundled example can be missing here (focus_plan_path checks the rest)
        return Plans()
    meta_path = path / "metadata.yaml"
    meta = read_metadata(meta_path) if meta_path.exists() else read_metadata_defaults()
    example = bool(meta["exempeldata"])
    found: dict[int, Path] = {}
    for p in sorted(path.iterdir()):
        if not _is_table(p):
            continue
        year = plan_year(p)
        if year is None:
            raise InputError(p, f"{plain(p.name)} is not a plan of a year",
                             "name each plan atgardsplan_<year>.csv or .xlsx (e.g. atgardsplan_2026.xlsx), or move "
                             "the file out of the folder")
        if year in found:
            raise InputError(p, f"there are two plans for {year} ({found[year].name} and {p.name})",
                             "keep one file per year in the folder")
        found[year] = p
    if not found and given is not None:
        raise InputError(path, "the folder holds no åtgärdsplan",
                         "add the plan as atgardsplan_<year>.csv or .xlsx (start from "
                         "data/templates/atgardsplan/atgardsplan.csv), or give the plan's file instead of the folder")
    plans: list[PlanYear] = []
    for year, p in sorted(found.items()):
        plan = load_focus_plan(p, kommun, allow_empty=given is None)
        if len(plan):
            plans.append(PlanYear(year, plan, p))
    files = [_provenance(py.file, py.year, meta, example) for py in plans]
    return Plans(current=plans[-1] if plans else None, previous=plans[-2] if len(plans) > 1 else None,
                 example=example and bool(plans), folder=path, files=files)


# --- the series a goal is measured on -------------------------------------------------------


def _num(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    value = float(value)
    return None if math.isnan(value) else value


def crime_observations(crime: Mapping | None, category: str) -> list[g.CountObservation] | None:
    """A Brå category's yearly counts with population, from the crime report's key figures (None: no such category).

    Uses the record's ``series`` (every year); a record without it (a report built by an earlier
    version) gives its latest and previous year.

    Examples
    --------
    >>> crime = {"indicators": [{"indicator": "Bilbrott", "year": 2024, "count": 150, "population": 60000.0,
    ...     "previous_year": 2023, "previous_count": 203, "previous_rate": 339.0}]}
    >>> [(o.year, o.count, round(o.exposure)) for o in crime_observations(crime, "bilbrott")]
    [(2023, 203, 59882), (2024, 150, 60000)]
    >>> crime_observations(crime, "Rån") is None
    True
    """
    key = category.strip().casefold()
    rec = next((r for r in (crime or {}).get("indicators", []) if str(r["indicator"]).casefold() == key), None)
    if rec is None:
        return None
    if rec.get("series"):
        points = [(p["year"], p.get("count"), _num(p.get("population"))) for p in rec["series"]]
    else:
        prev_rate = _num(rec.get("previous_rate"))
        prev_pop = (rec["previous_count"] / prev_rate * g.PER if rec.get("previous_count") is not None and prev_rate
                    else None)
        points = [(rec.get("previous_year"), rec.get("previous_count"), prev_pop),
                  (rec["year"], rec.get("count"), _num(rec.get("population")))]
    return [g.CountObservation(int(y), int(c), float(n)) for y, c, n in points
            if y is not None and c is not None and n is not None and n > 0]


def survey_observations(frame: pd.DataFrame | None, subject: str, *, kind: str) -> list[g.SurveyObservation] | None:
    """An NTU question's shares (the kommun's rows) or a trygghetsmätning area's total index, by year.

    Parameters
    ----------
    frame : pandas.DataFrame or None
        ``kind="ntu"``: :attr:`lagesbild.sources.ntu.NtuComparison.frame` (``level``, ``indicator``,
        ``label``, ``year``, ``share``, ``ci_low``, ``ci_high``); ``kind="trygghetsmatning"``:
        :attr:`lagesbild.summary.surveys.TrygghetData.results` (``omrade``, ``is_total``, ``year``,
        ``index``, ``ci_low``, ``ci_high``).
    subject : str
        The NTU question (its label or full indicator) or the area, case-insensitively.

    Returns
    -------
    list of SurveyObservation or None
        None when the frame has no such question or area.

    Examples
    --------
    >>> tm = pd.DataFrame({"omrade": ["Centrum", "Centrum"], "is_total": [True, True], "year": [2023, 2024],
    ...                    "index": [2.42, 2.75], "ci_low": [2.32, 2.66], "ci_high": [2.52, 2.84]})
    >>> [(o.year, o.value) for o in survey_observations(tm, "centrum", kind="trygghetsmatning")]
    [(2023, 2.42), (2024, 2.75)]
    >>> survey_observations(tm, "Söder", kind="trygghetsmatning") is None
    True
    """
    if frame is None or frame.empty:
        return None
    key = subject.strip().casefold()
    if kind == "ntu":
        rows = frame[(frame["level"] == "kommun") & ((frame["label"].astype(str).str.casefold() == key)
                                                     | (frame["indicator"].astype(str).str.casefold() == key))]
        value = "share"
    elif kind == "trygghetsmatning":
        rows = frame[frame["is_total"].astype(bool) & (frame["omrade"].astype(str).str.casefold() == key)]
        value = "index"
    else:
        raise ValueError(f"kind must be 'ntu' or 'trygghetsmatning', not {plain(kind)}")
    if rows.empty:
        return None
    return [g.SurveyObservation(int(r["year"]), float(r[value]), _num(r["ci_low"]), _num(r["ci_high"]))
            for r in rows.sort_values("year").to_dict("records") if _num(r[value]) is not None]


def wastewater_observations(wastewater: Mapping | None, substance: str) -> list[g.LoadObservation] | None:
    """A substance's yearly loads at the kommun's main site, from the wastewater report's key figures (None: none).

    Examples
    --------
    >>> ww = {"load_series": [{"substance": "Kokain", "site_id": "S", "year": 2024, "days": 7, "mean": 300.0,
    ...     "log_mean": 5.7, "log_sd": 0.3}, {"substance": "Kokain", "site_id": "S", "year": 2025, "days": 7,
    ...     "mean": 150.0, "log_mean": None, "log_sd": None}]}
    >>> [(o.year, o.value, o.has_log) for o in wastewater_observations(ww, "kokain")]
    [(2024, 300.0, True), (2025, 150.0, False)]
    >>> wastewater_observations(ww, "Amfetamin") is None
    True
    """
    key = substance.strip().casefold()
    rows = [r for r in (wastewater or {}).get("load_series", []) if str(r["substance"]).casefold() == key]
    if not rows:
        return None
    site = rows[0]["site_id"]  # the report's main site (own measurements first)
    return [g.LoadObservation(int(r["year"]), float(r["mean"]), int(r["days"]), _num(r.get("log_mean")),
                              _num(r.get("log_sd"))) for r in rows if r["site_id"] == site and r.get("mean") is not None]


#: The measures on a place of the place data (:mod:`lagesbild.places.series`).
PLACE_MEASURES: tuple[str, ...] = ("faktorpoang", "handelser")


def place_series(places: Mapping | None) -> list[dict] | None:
    """The place report's yearly series per place (``place_series``), or None without place data.

    None also for key figures of a place report built before it published the series (build it again).

    Examples
    --------
    >>> place_series({"place_data": True, "place_series": []}), place_series({"place_data": False}), place_series(None)
    ([], None, None)
    """
    if places is None or not places.get("place_data") or "place_series" not in places:
        return None
    return list(places["place_series"])


def find_place(series: list[dict], subject: str) -> dict | None:
    """The place named ``subject`` (its name in ``platser``, or its ``plats_id``), case-insensitively.

    Examples
    --------
    >>> s = [{"plats_id": "HBG-008", "name": "Gångtunneln vid Eneborg"}]
    >>> find_place(s, " gångtunneln vid eneborg")["plats_id"], find_place(s, "hbg-008")["name"], find_place(s, "Torget")
    ('HBG-008', 'Gångtunneln vid Eneborg', None)
    """
    key = " ".join(str(subject).split()).casefold()
    by_name = [p for p in series if " ".join(str(p["name"]).split()).casefold() == key]
    by_id = [p for p in series if str(p["plats_id"]).casefold() == key]
    found = by_name or by_id
    return found[0] if found else None


def is_example_plan(plan: pd.DataFrame) -> bool:
    """Whether a loaded plan is one of the bundled example plans (:data:`EXAMPLE_PLANS`).

    Examples
    --------
    >>> is_example_plan(load_plans("", "1283").current.plan), is_example_plan(pd.DataFrame())
    (True, False)
    """
    file = plan.attrs.get("file")
    return file is not None and Path(file).resolve().parent == EXAMPLE_PLANS.resolve()


def check_plan_places(plan: pd.DataFrame, places: Mapping | None) -> None:
    """Check that every goal on a place names a place of the place data (only when there is place data).

    The bundled example plans (:func:`is_example_plan`) are not checked: they name the places of the
    bundled example place data, and with a kommun's own place data their places are simply not found
    (the follow-up says so row by row) rather than an error in a file the analyst did not write.

    Parameters
    ----------
    plan : pandas.DataFrame
        :func:`lagesbild.summary.focus_plan.load_focus_plan` (index = spreadsheet row, ``attrs`` with the
        file and its headers).
    places : mapping or None
        The place report's key figures.

    Raises
    ------
    InputError
        Naming the plan's file, row and column (``matt_avser``) and listing the places there are.

    Examples
    --------
    >>> plan = pd.DataFrame({"matt": ["handelser"], "matt_avser": ["Torget"]}, index=[3])
    >>> plan.attrs["file"] = "atgardsplan_2025.csv"
    >>> places = {"place_data": True, "place_series": [{"plats_id": "P1", "name": "Stortorget"}]}
    >>> check_plan_places(plan, places)
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: atgardsplan_2025.csv, row 3, column 'matt_avser': 'Torget' is not a place in the kommun's place data. Fix: write the place's name as in the place data's platser (Stortorget), or its plats_id.
    >>> check_plan_places(plan, {"place_data": False})  # without place data the goal is not measurable yet
    """
    series = place_series(places)
    if series is None or "matt" not in plan or is_example_plan(plan):
        return
    headers = plan.attrs.get("headers", {})
    for row, r in plan.iterrows():
        if r["matt"] in PLACE_MEASURES and find_place(series, r["matt_avser"]) is None:
            known = ", ".join(str(p["name"]) for p in series) or "no places"
            raise InputError(plan.attrs.get("file", "åtgärdsplan"),
                             f"{plain(r['matt_avser'])} is not a place in the kommun's place data",
                             f"write the place's name as in the place data's platser ({known}), or its plats_id",
                             row=row, column=headers.get("matt_avser", "matt_avser"))


def check_plans_places(plans: Plans, places: Mapping | None) -> None:
    """:func:`check_plan_places` for every plan read (the current one too, so that a misspelt place is
    found the year the plan is written, not when it is followed up).

    Examples
    --------
    >>> check_plans_places(Plans(), None)
    """
    for py in (plans.previous, plans.current):
        if py is not None:
            check_plan_places(py.plan, places)


def place_observations(place: Mapping) -> list[g.ScoreObservation]:
    """A place's combined factor score by year (the latest inspection of each year), from ``place_series``.

    Examples
    --------
    >>> place_observations({"scores": [{"year": 2024, "date": "2024-08-30", "score": 1.67}]})
    [ScoreObservation(year=2024, value=1.67)]
    """
    return [g.ScoreObservation(int(p["year"]), float(p["score"])) for p in place.get("scores", [])]


def score_baseline(observations: list[g.ScoreObservation], baseline_year: int | None) -> g.ScoreObservation | None:
    """The score a goal starts from: the latest inspection in or before the baseline year (places are not
    inspected every year).

    Examples
    --------
    >>> obs = [g.ScoreObservation(2023, 2.9), g.ScoreObservation(2025, 2.6)]
    >>> score_baseline(obs, 2024), score_baseline(obs, 2022)
    (ScoreObservation(year=2023, value=2.9), None)
    """
    if baseline_year is None:
        return None
    before = [o for o in observations if o.year <= baseline_year]
    return max(before, key=lambda o: o.year) if before else None


def _event_candidates(point: Mapping, low_first: bool) -> tuple[int, ...]:
    if not point["small"]:
        return (int(point["count"]),)
    values = tuple(range(3))
    return values if low_first else values[::-1]


def event_goal_status(points: list[Mapping], target: float, target_year: int, baseline_year: int | None, *,
                      lower_is_better: bool = True, start_year: int | None = None,
                      alpha: float = 0.05) -> g.GoalStatus:
    """Judge a goal on the events at a place from the place report's published yearly counts.

    Each year is a count with the covered part of the year as its exposure (events per year, the E-test
    of :func:`lagesbild.stats.counts.poisson_change` for the change, an exact Poisson test for the level).
    A count below 3 is not published: the goal is judged at each value it may have (0, 1, 2) and keeps
    the least favourable status (:func:`lagesbild.stats.goals.least_favourable`), so the status says
    nothing more about it. A count withheld so that a small one cannot be worked out ("hidden") cannot be
    judged: as the observation judged it makes the goal not measurable ("withheld"); as the baseline it is
    left out (the level against the target is still tested).

    Parameters
    ----------
    points : list of mapping
        The place's ``events`` in ``place_series`` (``year``, ``months``, ``count``, ``small``, ``hidden``).
    target, target_year, baseline_year, lower_is_better, start_year, alpha
        As :func:`lagesbild.stats.goals.goal_status` (``baseline_year`` None: no baseline).

    Returns
    -------
    lagesbild.stats.goals.GoalStatus

    Examples
    --------
    26 events in 2024, 31 in 2025, goal at most 20 by 2027: not clearly more (E-test p = 0,51, as
    ``scipy.stats.poisson_means_test(31, 1, 26, 1)`` gives), not towards the target, so not met yet. Dalhemsparken 27 → 25, goal at most 20 by 2027: moving towards
    it, not clearly (p = 0,79): on the way.

    >>> pts = lambda a, b: [{"year": 2024, "months": 12, "count": a, "small": False, "hidden": False},
    ...                     {"year": 2025, "months": 12, "count": b, "small": False, "hidden": False}]
    >>> s = event_goal_status(pts(26, 31), 20, 2027, 2024, start_year=2024)
    >>> s.status, s.reason, round(s.change_p, 2)
    ('not_met', 'short_of_target', 0.51)
    >>> s = event_goal_status(pts(27, 25), 20, 2027, 2024, start_year=2024)
    >>> s.status, s.reason, round(s.change_p, 2)
    ('on_the_way', 'moving_towards', 0.79)
    """
    by_year = {int(p["year"]): p for p in points}
    stand_in = [g.CountObservation(y, 0, 1.0, per=1.0) for y in by_year]  # only the years are picked
    base, latest = g.pick_observations(stand_in, int(target_year), baseline_year)
    if latest is None:
        return g.goal_status(target, target_year, None, lower_is_better=lower_is_better, alpha=alpha)

    def obs(year: int, count: int) -> g.CountObservation:
        return g.CountObservation(year, count, by_year[year]["months"] / 12, per=1.0)

    lp = by_year[latest.year]
    if lp["hidden"] and (start_year is None or latest.year > start_year):
        return g.GoalStatus(g.NOT_MEASURABLE, "withheld", float(target), int(target_year), bool(lower_is_better),
                            year=latest.year, baseline_year=None if base is None else base.year, alpha=alpha)
    latest_values = (0,) if lp["hidden"] else _event_candidates(lp, low_first=not lower_is_better)
    bp = None if base is None or by_year[base.year]["hidden"] else by_year[base.year]
    base_values = (None,) if bp is None else _event_candidates(bp, low_first=lower_is_better)
    statuses = [g.goal_status(target, target_year, obs(latest.year, c),
                              None if b is None else obs(base.year, b), lower_is_better=lower_is_better,
                              start_year=start_year, alpha=alpha)
                for c in latest_values for b in base_values]
    return g.least_favourable(statuses)


#: Columns of :func:`follow_up`.
FOLLOWUP_COLUMNS: tuple[str, ...] = ("problem", "atgard", "operativt_mal", "ansvarig", "matt", "matt_avser",
                                     "status", "computed", "source", "found", "example", "preliminary", "goal",
                                     "start_year", "points")


def follow_up(plan: pd.DataFrame, year: int | None, *, crime: Mapping | None = None,
              ntu_frame: pd.DataFrame | None = None, trygghet=None, wastewater: Mapping | None = None,
              places: Mapping | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """Judge every goal of a plan: computed from the data where it has a measure, else as the analyst wrote.

    Parameters
    ----------
    plan : pandas.DataFrame
        :func:`lagesbild.summary.focus_plan.load_focus_plan`.
    year : int or None
        The plan's year: without ``utgangsar`` the baseline is the year before it, and only a
        measurement after that year follows the plan up.
    crime : mapping or None
        The crime report's key figures (:meth:`lagesbild.summary.sources.Sources.figures`).
    ntu_frame : pandas.DataFrame or None
        :attr:`lagesbild.sources.ntu.NtuComparison.frame` (empty: no NTU for the kommun).
    trygghet : lagesbild.summary.surveys.TrygghetData or None
        The trygghetsmätning the lägesbild reads (its ``results``; ``example``: invented, which the
        goals measured on it say).
    wastewater : mapping or None
        The wastewater report's key figures (its ``load_series``; ``example_data``).
    places : mapping or None
        The place assessment report's key figures (its ``place_series``; ``example_data``).
    alpha : float

    Returns
    -------
    pandas.DataFrame
        :data:`FOLLOWUP_COLUMNS`, one row per goal in the plan's order: ``status`` a code of
        :data:`lagesbild.stats.goals.STATUSES` (or "" when the analyst wrote none), ``computed``
        whether it was computed, ``source`` whether the measure's source (the crime report, NTU, the
        trygghetsmätning) is there at all, ``found`` whether the measure's series is in it, ``example``
        whether that series is example data, ``preliminary`` whether the judged year's Brå figures are
        preliminary, ``goal`` the :class:`~lagesbild.stats.goals.GoalStatus`
        (None without a measure), ``start_year`` the last year before the plan (or None), ``points``
        the place's published yearly counts by year for a goal on events (else None).

    Raises
    ------
    InputError
        A goal on a place that is not in the place data (:func:`check_plan_places`).

    Examples
    --------
    >>> plan = pd.DataFrame([{"problem": "Bilbrott", "atgard": "Belysning", "operativt_mal": "Högst 260", "ansvarig": "",
    ...     "status": "", "matt": "brott", "matt_avser": "Bilbrott", "malvarde": "260", "malar": "2027",
    ...     "riktning": "högst", "utgangsar": ""}, {"problem": "Klotter", "atgard": "Sanering", "operativt_mal": "Färre",
    ...     "ansvarig": "", "status": "on_the_way", "matt": "", "matt_avser": "", "malvarde": "", "malar": "",
    ...     "riktning": "", "utgangsar": ""}])
    >>> crime = {"indicators": [{"indicator": "Bilbrott", "year": 2024, "count": 150, "population": 60000.0,
    ...     "previous_year": 2023, "previous_count": 203, "previous_rate": 339.0}]}
    >>> f = follow_up(plan, 2024, crime=crime)
    >>> f["status"].tolist(), f["computed"].tolist(), f.loc[0, "goal"].reason
    (['met', 'on_the_way'], [True, False], 'clear_change')
    """
    check_plan_places(plan, places)
    series = place_series(places)
    rows = []
    for r in plan.to_dict("records"):
        out = {k: r.get(k, "") for k in ("problem", "atgard", "operativt_mal", "ansvarig", "matt", "matt_avser")}
        kind = r.get("matt", "")
        start = int(year) - 1 if year is not None else None
        if not kind:
            rows.append({**out, "status": r.get("status", ""), "computed": False, "source": False, "found": False,
                         "example": False, "preliminary": False, "goal": None, "start_year": None, "points": None})
            continue
        base_year = int(r["utgangsar"]) if r.get("utgangsar") else start
        start = start if start is not None else base_year
        lower = r.get("riktning", "högst") != "minst"
        if kind in PLACE_MEASURES:
            place = find_place(series, r["matt_avser"]) if series is not None else None
            example = bool(places.get("example_data")) if places is not None else False
            points = None
            if kind == "faktorpoang":
                source = series is not None
                obs = place_observations(place) if place is not None else []
                _, latest = g.pick_observations(obs, int(r["malar"]), None)
                status = g.goal_status(float(r["malvarde"]), int(r["malar"]), latest, score_baseline(obs, base_year),
                                       lower_is_better=lower, start_year=start, alpha=alpha,
                                       tolerance=CHANGE_TOLERANCE)
            else:
                source = series is not None and any(p.get("events") for p in series)
                points = {int(p["year"]): p for p in (place or {}).get("events", [])}
                status = event_goal_status(list(points.values()), float(r["malvarde"]), int(r["malar"]), base_year,
                                           lower_is_better=lower, start_year=start, alpha=alpha)
            rows.append({**out, "status": status.status, "computed": True, "source": source,
                         "found": place is not None, "example": example and place is not None, "preliminary": False,
                         "goal": status, "start_year": start, "points": points})
            continue
        if kind == "brott":
            obs, example, source = crime_observations(crime, r["matt_avser"]), False, crime is not None
        elif kind == "ntu":
            obs, example = survey_observations(ntu_frame, r["matt_avser"], kind="ntu"), False
            source = ntu_frame is not None and not ntu_frame.empty
        elif kind == "avloppsvatten":
            obs = wastewater_observations(wastewater, r["matt_avser"])
            source = wastewater is not None and bool(wastewater.get("load_series"))
            example = wastewater is not None and bool(wastewater.get("example_data"))
        else:
            obs = survey_observations(None if trygghet is None else trygghet.results, r["matt_avser"],
                                      kind="trygghetsmatning")
            example, source = trygghet is not None and bool(trygghet.example), trygghet is not None
        baseline, latest = g.pick_observations(obs or [], int(r["malar"]), base_year)
        status = g.goal_status(float(r["malvarde"]), int(r["malar"]), latest, baseline,
                               lower_is_better=lower, start_year=start, alpha=alpha)
        preliminary = kind == "brott" and status.year in set((crime or {}).get("preliminary_years") or [])
        rows.append({**out, "status": status.status, "computed": True, "source": source, "found": obs is not None,
                     "example": example and obs is not None, "preliminary": preliminary, "goal": status,
                     "start_year": start, "points": None})
    return pd.DataFrame(rows, columns=list(FOLLOWUP_COLUMNS))


def status_counts(followup: pd.DataFrame) -> dict[str, int]:
    """How many goals have each status (codes of :data:`lagesbild.stats.goals.STATUSES`, "" for none written).

    Examples
    --------
    >>> status_counts(pd.DataFrame({"status": ["met", "met", "", "not_met"]}))
    {'met': 2, 'on_the_way': 0, 'not_met': 1, 'not_measurable': 0, '': 1}
    """
    values = followup["status"].tolist()
    return {code: values.count(code) for code in (*g.STATUSES, "")}


__all__ = ["EXAMPLE_PLANS", "FOLLOWUP_COLUMNS", "PLACE_MEASURES", "PlanYear", "Plans", "check_plan_places", "check_plans_places", "is_example_plan",
           "crime_observations", "event_goal_status", "find_place", "follow_up", "load_plans", "place_observations",
           "place_series", "plan_provenance", "plan_year", "score_baseline", "status_counts", "survey_observations",
           "wastewater_observations"]
