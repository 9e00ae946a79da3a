"""Matplotlib charts for the report: colour-blind safe, Swedish labels and number formatting.

Every function is a pure plotting function: it takes the data (and optionally an ``ax`` to draw
on), draws, and returns the Axes (or the Figure for multi-panel charts). Nothing is shown or
saved here; the notebook displays the figure and the publishing layer writes it out.

Design rules followed by every chart:

* categories use the Okabe–Ito palette (:data:`PALETTE`), heatmaps use cividis; lines use only its
  colours with at least 3:1 contrast against the white background (:data:`LINE_PALETTE`, WCAG 1.4.11),
  and the grey of context lines has 3:1 too;
* colour is never the only carrier of meaning: lines also differ in line style and marker, the
  highlighted bar is hatched, and every line is named in a legend;
* numbers on axes, colourbars and labels use Swedish formatting (:func:`lagesbild.core.fmt.number`:
  decimal comma, non-breaking space as thousands separator, "−" as minus);
* degenerate input (no rows, only missing values, an indicator without data) raises
  :class:`ValueError` saying what is missing; a chart never silently renders empty;
* every chart has a function that states its finding in words, for the image's alt text
  (:func:`indicator_trends_alt`, :func:`monthly_events_alt`, :func:`weekday_hour_alt`); the
  report-specific charts' alt texts are in :mod:`lagesbild.places.text`, :mod:`lagesbild.wastewater.text`
  and :mod:`lagesbild.projects.text`.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from datetime import datetime

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from lagesbild.core import fmt
from lagesbild.core.fmt import plain

__all__ = [
    "PALETTE",
    "LEVEL_STYLES",
    "swedish_formatter",
    "indicator_trends",
    "monthly_events",
    "weekday_hour",
    "bar_ranking",
    "LINE_PALETTE",
    "contrast_ratio",
    "indicator_trends_alt",
    "monthly_events_alt",
    "weekday_hour_alt",
]

#: Okabe–Ito colour-blind safe palette, ordered by contrast against a white background (the
#: yellow, hard to see as a thin line, comes last).
PALETTE: list[str] = [
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
]

#: The colours of :data:`PALETTE` with at least 3:1 contrast against white (WCAG 1.4.11 for
#: graphical objects), for lines; orange, sky blue and yellow are too light for a thin line.
LINE_PALETTE: list[str] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000"]

#: Neutral grey for context (comparison lines): 3.4:1 against white, so a grey line is still seen.
GREY = "#8C8C8C"
_LIGHT_GREY = "#BBBBBB"
_TEXT_GREY = "#444444"

#: Line style per comparison level; keyword arguments for :meth:`Axes.plot`. Levels differ in
#: line style, width and marker as well as colour, so they stay apart in greyscale print too.
LEVEL_STYLES: dict[str, dict] = {
    "kommun": {"color": PALETTE[0], "linestyle": "-", "linewidth": 2.6, "marker": "o",
               "markersize": 5, "zorder": 4},
    "län": {"color": PALETTE[1], "linestyle": "--", "linewidth": 1.8, "marker": "s",
            "markersize": 4, "zorder": 3},
    "riket": {"color": PALETTE[6], "linestyle": ":", "linewidth": 2.0, "marker": "^",
              "markersize": 5, "zorder": 3},
    "jämförelse": {"color": GREY, "linestyle": "-", "linewidth": 1.0, "marker": ".",
                   "markersize": 4, "zorder": 2},
}

_LEVEL_ORDER = list(LEVEL_STYLES)

# Line styles and markers cycled together with PALETTE for categorical lines.
_LINESTYLES = ["-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3))]
_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]

_FIGSIZE = (9.0, 4.0)
_TICK_SIZE = 9
_LABEL_SIZE = 10
_TITLE_SIZE = 10


# --------------------------------------------------------------------------------------------
# Formatting helpers
# --------------------------------------------------------------------------------------------


def swedish_formatter(decimals: int = 0) -> ticker.FuncFormatter:
    """Tick formatter that writes numbers the Swedish way.

    Built on :func:`lagesbild.core.fmt.number`: decimal comma, non-breaking space as thousands
    separator and "−" (U+2212) as the minus sign.

    Parameters
    ----------
    decimals : int, default 0
        Digits after the decimal comma.

    Returns
    -------
    matplotlib.ticker.FuncFormatter
        Set it with ``ax.yaxis.set_major_formatter(...)``.

    Raises
    ------
    ValueError
        If ``decimals`` is negative.

    Examples
    --------
    >>> f = swedish_formatter()
    >>> f(1234567).replace("\\u00a0", " ")
    '1 234 567'
    >>> swedish_formatter(1)(2.5)
    '2,5'
    >>> swedish_formatter(1)(-0.25)  # halves away from zero, as fmt.number
    '−0,3'
    """
    if decimals < 0:
        raise ValueError(f"decimals must be 0 or more, got {decimals}")

    def _format(x: float, pos: int | None = None) -> str:
        return fmt.number(x, decimals)

    return ticker.FuncFormatter(_format)


class _AutoSwedishFormatter(ticker.Formatter):
    """Swedish tick formatter that picks the fewest decimals that tell the ticks apart.

    Ticks 0, 0.5, 1, ... get one decimal ("0,5"); ticks 0, 500, 1 000 get none.
    """

    def __init__(self, max_decimals: int = 3) -> None:
        self.max_decimals = max_decimals
        self._decimals = 0

    def set_locs(self, locs) -> None:
        super().set_locs(locs)
        self._decimals = self._needed_decimals(np.asarray(locs, dtype=float))

    def _needed_decimals(self, locs: np.ndarray) -> int:
        locs = locs[np.isfinite(locs)]
        if locs.size == 0:
            return 0
        scale = max(float(np.max(np.abs(locs))), 1.0)
        for d in range(self.max_decimals + 1):
            if np.all(np.abs(np.round(locs, d) - locs) <= 1e-9 * scale):
                return d
        return self.max_decimals

    def __call__(self, x: float, pos: int | None = None) -> str:
        return fmt.number(x, self._decimals)


def _year_formatter() -> ticker.FuncFormatter:
    """Years as plain integers: "2024", never "2 024"."""
    return ticker.FuncFormatter(lambda x, pos=None: f"{int(round(x))}")


def _tidy(ax: Axes, grid_axis: str | None = "y") -> None:
    """Remove chart junk: top/right spines; a faint grid along the value axis only."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=_TICK_SIZE)
    if grid_axis:
        ax.grid(axis=grid_axis, color="#DDDDDD", linewidth=0.6)
        ax.set_axisbelow(True)


def _new_axes(ax: Axes | None, figsize: tuple[float, float] = _FIGSIZE) -> Axes:
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _require_columns(df: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{name} is missing column(s) {', '.join(map(repr, missing))}; "
            f"it needs {', '.join(map(repr, columns))}"
        )
    if df.empty:
        raise ValueError(f"{name} is empty: there are no rows to plot")


def _style_cycle(i: int) -> dict:
    """Colour, line style and marker for the i-th category line; all three vary."""
    return {
        "color": LINE_PALETTE[i % len(LINE_PALETTE)],
        "linestyle": _LINESTYLES[i % len(_LINESTYLES)],
        "marker": _MARKERS[i % len(_MARKERS)],
    }


# --------------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------------


def indicator_trends(
    rates: pd.DataFrame,
    indicators: list[str],
    *,
    value: str = "rate",
    ncols: int = 3,
    ylabel: str = "per 100 000 invånare",
) -> Figure:
    """Small multiples: one panel per indicator, one line per region over the years.

    Regions are styled by their comparison level (:data:`LEVEL_STYLES`: the kommun thick and
    solid, the län dashed, the riket dotted, comparison regions thin and grey) and named in a
    single legend shared by all panels. Each panel has its own y scale starting at 0. Missing
    values (NaN) are shown as gaps in the line, never as 0.

    Parameters
    ----------
    rates : pandas.DataFrame
        Long table with columns ``region_name`` (str), ``level`` (``"kommun"``, ``"län"``,
        ``"riket"`` or ``"jämförelse"``), ``indicator`` (str), ``year`` (int) and the
        ``value`` column (float, may be NaN). One row per region, indicator and year.
    indicators : list of str
        Indicators to draw, in panel order (row by row).
    value : str, default "rate"
        Column to plot, e.g. ``"rate"`` or ``"count"``.
    ncols : int, default 3
        Panels per row.
    ylabel : str, default "per 100 000 invånare"
        Label of the value axis, shared by all panels.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.axes`` holds the indicator panels in order (unused grid cells are removed).

    Raises
    ------
    ValueError
        If ``rates`` is empty or lacks a column, ``indicators`` is empty, a level is unknown,
        a region has two rows for the same indicator and year, a year is missing, or an
        indicator has no non-missing value (the message names the indicator).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> rates = pd.DataFrame({
    ...     "region_name": ["Ale", "Ale", "Västra Götaland", "Västra Götaland"],
    ...     "level": ["kommun", "kommun", "län", "län"],
    ...     "indicator": ["Misshandel"] * 4,
    ...     "year": [2023, 2024, 2023, 2024],
    ...     "count": [120.0, 130.0, 9000.0, 9100.0],
    ...     "rate": [390.5, 420.1, 510.0, 515.2],
    ... })
    >>> fig = indicator_trends(rates, ["Misshandel"])
    >>> [ax.get_title() for ax in fig.axes]
    ['Misshandel']
    >>> [line.get_label() for line in fig.axes[0].get_lines()]
    ['Ale', 'Västra Götaland']
    >>> plt.close(fig)
    """
    _require_columns(rates, ["region_name", "level", "indicator", "year", value], "rates")
    indicators = list(dict.fromkeys(indicators))
    if not indicators:
        raise ValueError("indicators is empty: name at least one indicator to plot")
    if ncols < 1:
        raise ValueError(f"ncols must be 1 or more, got {ncols}")

    unknown = sorted(set(rates["level"].dropna()) - set(LEVEL_STYLES))
    if unknown or rates["level"].isna().any():
        raise ValueError(
            f"rates has unknown level(s) {unknown or ['<missing>']}; "
            f"level must be one of {', '.join(map(repr, LEVEL_STYLES))}"
        )
    if rates["year"].isna().any():
        raise ValueError("rates has rows without a year; every row needs an integer year")

    data = rates.loc[rates["indicator"].isin(indicators),
                     ["region_name", "level", "indicator", "year", value]].reset_index(drop=True)
    data["_v"] = pd.to_numeric(data[value], errors="coerce").astype(float)
    dupes = data.duplicated(["region_name", "indicator", "year"])
    if dupes.any():
        first = data.loc[dupes].iloc[0]
        raise ValueError(
            f"rates has more than one row for region {plain(first['region_name'])}, indicator "
            f"{plain(first['indicator'])}, year {int(first['year'])}; keep one row per region, "
            "indicator and year"
        )
    for indicator in indicators:
        mask = data["indicator"] == indicator
        if not mask.any():
            raise ValueError(f"no data for indicator {plain(indicator)}: it has no rows in rates")
        if data.loc[mask, "_v"].isna().all():
            raise ValueError(
                f"no data for indicator {plain(indicator)}: {plain(value)} is missing for every "
                "region and year"
            )

    # Regions in legend order: by level (kommun first), then name; one level per region.
    regions = data[["region_name", "level"]].drop_duplicates()
    several = regions["region_name"].duplicated(keep=False)
    if several.any():
        name = regions.loc[several, "region_name"].iloc[0]
        raise ValueError(f"region {plain(name)} has more than one level in rates; give it one level")
    for level in ("kommun", "län", "riket"):
        names = regions.loc[regions["level"] == level, "region_name"].tolist()
        if len(names) > 1:
            raise ValueError(
                f"rates has {len(names)} regions at level {plain(level)} ({', '.join(names)}); they "
                "would be drawn identically. Keep one and give the others level 'jämförelse'"
            )
    regions = regions.assign(_order=regions["level"].map(_LEVEL_ORDER.index))
    regions = regions.sort_values(["_order", "region_name"])

    nrows = math.ceil(len(indicators) / ncols)
    ncols_used = min(ncols, len(indicators))
    width = 9.0 if ncols_used > 1 else 6.0
    fig, axes = plt.subplots(
        nrows, ncols_used, figsize=(width, 2.7 * nrows + 0.8), layout="constrained",
        squeeze=False,
    )
    axes_flat = axes.ravel()
    title_width = max(18, int(95 / ncols_used))
    has_data: dict[str, bool] = {}

    for ax, indicator in zip(axes_flat, indicators, strict=False):
        panel = data.loc[data["indicator"] == indicator]
        for name, level in zip(regions["region_name"], regions["level"], strict=True):
            line = panel.loc[panel["region_name"] == name].sort_values("year")
            if line.empty or line["_v"].isna().all():
                has_data.setdefault(name, False)
                continue
            has_data[name] = True
            ax.plot(line["year"].astype(int).to_numpy(), line["_v"].to_numpy(dtype=float),
                    label=name, **LEVEL_STYLES[level])
        ax.set_title(textwrap.fill(str(indicator), title_width), fontsize=_TITLE_SIZE)
        ax.xaxis.set_major_locator(ticker.MaxNLocator(nbins=5, integer=True))
        ax.xaxis.set_major_formatter(_year_formatter())
        ax.yaxis.set_major_formatter(_AutoSwedishFormatter())
        ax.set_ylim(bottom=0)
        years = panel["year"].astype(int)
        if years.min() == years.max():
            ax.set_xlim(years.min() - 1, years.max() + 1)
        _tidy(ax)
    for ax in axes_flat[len(indicators):]:
        fig.delaxes(ax)

    handles = [
        Line2D([], [], **{k: v for k, v in LEVEL_STYLES[level].items() if k != "zorder"},
               label=name if has_data.get(name) else f"{name} (uppgift saknas)")
        for name, level in zip(regions["region_name"], regions["level"], strict=True)
    ]
    # One row if the names fit (about 11 characters per inch at 9 pt), else equal columns.
    widths = [len(h.get_label()) + 7 for h in handles]
    if sum(widths) <= width * 11:
        legend_cols = len(handles)
    else:
        legend_cols = max(1, min(len(handles), int(width * 11 // max(widths))))
    fig.legend(handles=handles, loc="outside lower center", ncols=legend_cols,
               frameon=False, fontsize=_TICK_SIZE, handlelength=3)
    fig.supylabel(ylabel, fontsize=_LABEL_SIZE)
    return fig


def _monthly_table(monthly: pd.DataFrame, types: list[str] | None) -> tuple[pd.DataFrame, pd.DatetimeIndex, list[str]]:
    """Validate ``monthly`` and pivot it to months × types, months without a row as 0."""
    _require_columns(monthly, ["month", "type", "count"], "monthly")
    try:
        months = pd.to_datetime(monthly["month"])
    except (ValueError, TypeError) as exc:
        raise ValueError(f"monthly['month'] must hold dates (month start): {exc}") from exc
    if months.isna().any():
        raise ValueError("monthly has rows without a month; every row needs a month")
    if getattr(months.dt, "tz", None) is not None:
        months = months.dt.tz_localize(None)
    counts = pd.to_numeric(monthly["count"], errors="coerce")
    if counts.isna().all():
        raise ValueError("monthly has no counts: 'count' is missing in every row")

    data = pd.DataFrame({
        "month": months.dt.to_period("M").dt.to_timestamp(),
        "type": monthly["type"].astype(str),
        "count": counts.astype(float),
    })
    totals = data.groupby("type")["count"].sum()
    if types is None:
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
        types = [name for name, _ in ranked[:6]]
    else:
        types = list(dict.fromkeys(str(t) for t in types))
        if not types:
            raise ValueError("types is empty: name at least one event type, or pass None")
        missing = [t for t in types if t not in totals.index]
        if missing:
            raise ValueError(
                f"no events of type {', '.join(map(repr, missing))} in monthly; "
                f"types present: {', '.join(map(repr, sorted(totals.index)))}"
            )
    selected = data.loc[data["type"].isin(types)]
    if selected["count"].isna().all():
        raise ValueError(
            f"no counts for type(s) {', '.join(map(repr, types))}: 'count' is missing in every row"
        )

    full_months = pd.date_range(data["month"].min(), data["month"].max(), freq="MS")
    grid = pd.MultiIndex.from_product([full_months, types], names=["month", "type"])
    table = (
        selected.groupby(["month", "type"])["count"].sum(min_count=1)
        .reindex(grid, fill_value=0.0)  # month without a row: 0 events; explicit NaN: gap
        .unstack("type")[types]
    )

    return table, full_months, types


def monthly_events_panels(monthly: pd.DataFrame, *, types: list[str] | None = None, ncols: int = 3) -> Figure:
    """Monthly number of police events as small multiples: one bar panel per event type.

    Easier to read than overlapping lines when counts are small: each panel has its own y axis
    starting at 0 and the same months on x. Input and validation as :func:`monthly_events`.

    Parameters
    ----------
    monthly : pandas.DataFrame
        Columns ``month``, ``type``, ``count`` (see :func:`monthly_events`).
    types : list of str, optional
        Types to draw, in this order. Default: the six with most events.
    ncols : int
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        As :func:`monthly_events`; also when ``ncols`` < 1.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> monthly = pd.DataFrame({"month": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01"]),
    ...                         "type": ["Inbrott", "Inbrott", "Brand"], "count": [4, 2, 3]})
    >>> fig = monthly_events_panels(monthly)
    >>> [ax.get_title() for ax in fig.axes if ax.get_visible()]
    ['Inbrott', 'Brand']
    >>> [float(p.get_height()) for p in fig.axes[0].patches]   # February had no burglary: 0
    [4.0, 0.0, 2.0]
    >>> plt.close(fig)
    """
    if ncols < 1:
        raise ValueError(f"ncols must be at least 1, got {ncols}")
    table, full_months, types = _monthly_table(monthly, types)
    ncols = min(ncols, len(types))
    nrows = math.ceil(len(types) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(9, 2.2 * nrows + 0.6), layout="constrained",
                             sharex=True, squeeze=False)
    x = mdates.date2num(table.index.to_pydatetime())
    for ax, name in zip(axes.flat, types, strict=False):
        ax.bar(x, table[name].to_numpy(dtype=float), width=24, color=PALETTE[0])
        ax.set_title(textwrap.fill(name, 32), fontsize=_LABEL_SIZE)
        ax.yaxis.set_major_locator(ticker.MaxNLocator(integer=True, nbins=4, steps=[1, 2, 5, 10]))
        ax.yaxis.set_major_formatter(_AutoSwedishFormatter())
        top = np.nanmax(table[name].to_numpy(dtype=float))
        ax.set_ylim(0, max(1.0, float(top) * 1.1))
        _tidy(ax)
    for ax in list(axes.flat)[len(types):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        _month_ticks(ax, full_months)
        ax.tick_params(axis="x", labelsize=_TICK_SIZE - 1)
    fig.supylabel("antal händelser per månad", fontsize=_LABEL_SIZE)
    return fig


def monthly_events(
    monthly: pd.DataFrame,
    *,
    types: list[str] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Monthly number of police events, one line per event type.

    Months without any event of a type are drawn as 0 (the full month range from the first to
    the last month in ``monthly`` is filled); a ``count`` that is explicitly NaN stays a gap.

    Parameters
    ----------
    monthly : pandas.DataFrame
        Long table with columns ``month`` (Timestamp; any day in the month counts as that
        month), ``type`` (str) and ``count`` (int). Rows with the same month and type are
        summed.
    types : list of str, optional
        Event types to draw, in this order. Default: the six types with most events in total.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new 9 × 4 inch figure is created when omitted. The legend is placed
        to the right of the axes.

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``monthly`` is empty, lacks a column, has months that are not dates, has no count
        at all, or ``types`` names a type that is not in ``monthly``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> monthly = pd.DataFrame({
    ...     "month": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-01-01", "2024-02-01"]),
    ...     "type": ["Inbrott", "Inbrott", "Brand", "Brand"],
    ...     "count": [4, 2, 1, 3],
    ... })
    >>> ax = monthly_events(monthly)
    >>> [line.get_label() for line in ax.get_lines()]
    ['Inbrott', 'Brand']
    >>> ax.get_lines()[0].get_ydata().tolist()   # February had no burglary: 0, not a gap
    [4.0, 0.0, 2.0]
    >>> plt.close(ax.figure)
    """
    table, full_months, types = _monthly_table(monthly, types)

    ax = _new_axes(ax)
    x = table.index.to_numpy()
    for i, name in enumerate(types):
        ax.plot(x, table[name].to_numpy(dtype=float),
                label=textwrap.fill(name, 28), linewidth=1.8, markersize=4,
                markevery=max(1, len(x) // 24), **_style_cycle(i))

    _month_ticks(ax, full_months)
    ax.set_xlim(mdates.date2num(full_months[0]) - 10, mdates.date2num(full_months[-1]) + 10)
    ax.yaxis.set_major_locator(ticker.MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    ax.yaxis.set_major_formatter(_AutoSwedishFormatter())
    top = np.nanmax(table.to_numpy(dtype=float))
    ax.set_ylim(0, max(1.0, float(top) * 1.08))
    ax.set_ylabel("antal händelser per månad", fontsize=_LABEL_SIZE)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
              fontsize=_TICK_SIZE, handlelength=3)
    _tidy(ax)
    return ax


def _month_ticks(ax: Axes, months: pd.DatetimeIndex) -> None:
    """Swedish month ticks: at most ~12, the year under the first tick and every January."""
    n = len(months)
    step = next((s for s in (1, 2, 3, 6, 12) if n / s <= 12), 12 * math.ceil(n / 144))
    ticks = [m for m in months if (m.month - 1) % min(step, 12) == 0
             and (step <= 12 or (m.year - months[0].year) % (step // 12) == 0)]
    if not ticks:  # range shorter than one step and not touching an aligned month
        ticks = [months[0]]
    labels = []
    for i, m in enumerate(ticks):
        name = fmt.MONTHS_SHORT[m.month - 1]
        labels.append(f"{name}\n{m.year}" if i == 0 or m.month == 1 else name)
    ax.set_xticks([mdates.date2num(datetime(m.year, m.month, 1)) for m in ticks], labels)
    ax.xaxis.set_minor_locator(ticker.NullLocator())


def _weekday_hour_values(matrix: pd.DataFrame) -> np.ndarray:
    """Validate a weekday × hour count table; return it as a 7 × 24 float array (Monday first)."""
    if not isinstance(matrix, pd.DataFrame):
        raise ValueError(f"matrix must be a pandas DataFrame, got {type(matrix).__name__}")
    if matrix.empty:
        raise ValueError("matrix is empty: expected 7 weekdays × 24 hours of counts")
    try:
        index = [int(i) for i in matrix.index]
        columns = [int(c) for c in matrix.columns]
    except (TypeError, ValueError) as exc:
        raise ValueError(
            "matrix must have weekday numbers 0–6 as index and hours 0–23 as columns"
        ) from exc
    missing_days = sorted(set(range(7)) - set(index))
    missing_hours = sorted(set(range(24)) - set(columns))
    if missing_days or missing_hours or matrix.shape != (7, 24):
        raise ValueError(
            f"matrix must be 7 × 24 (weekday 0–6 × hour 0–23), got {matrix.shape[0]} × "
            f"{matrix.shape[1]}"
            + (f"; missing weekday(s) {missing_days}" if missing_days else "")
            + (f"; missing hour(s) {missing_hours}" if missing_hours else "")
        )
    values = (
        matrix.set_axis(index, axis=0).set_axis(columns, axis=1)
        .reindex(index=range(7), columns=range(24))
        .apply(pd.to_numeric, errors="coerce")
        .to_numpy(dtype=float)
    )
    if np.isnan(values).all():
        raise ValueError("matrix has no data: every weekday × hour cell is missing")
    if np.nansum(np.abs(values)) == 0:
        raise ValueError("matrix has no events: every weekday × hour cell is 0")
    return values


def weekday_hour(matrix: pd.DataFrame, *, ax: Axes | None = None, cmap: str = "cividis",
                 missing_label: str = "uppgift saknas") -> Axes:
    """Heatmap of events by weekday (rows) and hour of day (columns).

    Monday is at the top. Cells are not annotated (168 numbers would be unreadable); the
    colourbar, labelled "antal händelser", carries the scale in Swedish number formatting.
    Missing cells (NaN) are left uncoloured and hatched, and named "uppgift saknas".

    Parameters
    ----------
    matrix : pandas.DataFrame
        7 × 24 table of counts: index 0–6 (Monday = 0), columns 0–23 (hour).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new 9 × 4 inch figure is created when omitted.
    cmap : str, default "cividis"
        A perceptually uniform, colour-blind safe colormap (cividis or viridis).
    missing_label : str, default "uppgift saknas"
        The legend's name for missing cells, e.g. "färre än 3" for counts hidden by
        :func:`lagesbild.core.privacy.hide_small`.

    Returns
    -------
    matplotlib.axes.Axes
        The heatmap axes (the colourbar has its own axes in the same figure).

    Raises
    ------
    ValueError
        If ``matrix`` is not 7 × 24 with index 0–6 and columns 0–23, or it holds no events
        (every cell missing or zero).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> import pandas as pd
    >>> matrix = pd.DataFrame(np.arange(168).reshape(7, 24), index=range(7), columns=range(24))
    >>> ax = weekday_hour(matrix)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['mån', 'tis', 'ons', 'tor', 'fre', 'lör', 'sön']
    >>> plt.close(ax.figure)
    """
    values = _weekday_hour_values(matrix)

    ax = _new_axes(ax)
    mesh = ax.pcolormesh(
        np.arange(25) - 0.5, np.arange(8) - 0.5, np.ma.masked_invalid(values),
        cmap=cmap, vmin=0 if np.nanmin(values) >= 0 else None, shading="flat",
    )
    ax.set_xlim(-0.5, 23.5)
    ax.set_ylim(6.5, -0.5)  # Monday on top
    ax.set_yticks(range(7), fmt.WEEKDAYS_SHORT)
    ax.set_xticks(range(24), [str(h) for h in range(24)])
    ax.tick_params(length=0, labelsize=_TICK_SIZE)
    ax.set_xlabel("timme på dygnet", fontsize=_LABEL_SIZE)
    for spine in ax.spines.values():
        spine.set_visible(False)

    if np.isnan(values).any():
        # Masked cells are transparent: let a hatched axes background show through.
        ax.patch.set_facecolor("white")
        ax.patch.set_hatch("///")
        ax.patch.set_edgecolor(_LIGHT_GREY)
        ax.legend(handles=[Patch(facecolor="white", edgecolor=_LIGHT_GREY, hatch="///",
                                 label=missing_label)],
                  loc="lower right", bbox_to_anchor=(1.0, 1.0), frameon=False,
                  fontsize=_TICK_SIZE)

    cbar = ax.figure.colorbar(mesh, ax=ax, fraction=0.04, pad=0.02)
    cbar.set_label("antal händelser", fontsize=_LABEL_SIZE)
    cbar.ax.yaxis.set_major_locator(ticker.MaxNLocator(nbins=6, integer=True))
    cbar.ax.yaxis.set_major_formatter(_AutoSwedishFormatter())
    cbar.ax.tick_params(labelsize=_TICK_SIZE)
    cbar.outline.set_visible(False)
    return ax


def bar_ranking(
    values: pd.Series,
    *,
    highlight: str | None = None,
    ax: Axes | None = None,
    xlabel: str = "",
    decimals: int | None = None,
) -> Axes:
    """Horizontal bar chart ranking named values, largest at the top.

    The ``highlight`` bar (typically the report's own kommun) is drawn in a strong palette
    colour, hatched and with a bold name, so it stands out without colour; the others are
    grey. Each bar ends in its value in Swedish formatting. Missing values (NaN) are not
    dropped: they are listed last with the text "uppgift saknas" instead of a bar.

    Parameters
    ----------
    values : pandas.Series
        Index = names (unique), values = numbers.
    highlight : str, optional
        Name (index label) of the bar to highlight.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure 9 inches wide, its height growing with the number of
        bars, is created when omitted.
    xlabel : str, default ""
        Label of the value axis (the unit, e.g. "anmälda brott per 100 000 invånare").
    decimals : int, optional
        Decimals of the value labels. Default: 0 if every value is whole, else 1 (2 if every
        value is below 1 in size).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        If ``values`` is empty, has only missing values, has duplicate names, or ``highlight``
        is not one of the names.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> values = pd.Series({"Ale": 1250.0, "Kungälv": 980.5, "Stenungsund": float("nan")})
    >>> ax = bar_ranking(values, highlight="Ale")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Ale', 'Kungälv', 'Stenungsund']
    >>> [p.get_hatch() for p in ax.patches]
    ['///', None]
    >>> sorted(t.get_text().replace("\\u00a0", " ") for t in ax.texts)
    ['1 250,0', '980,5', 'uppgift saknas']
    >>> plt.close(ax.figure)
    """
    if not isinstance(values, pd.Series):
        raise ValueError(f"values must be a pandas Series, got {type(values).__name__}")
    if values.empty:
        raise ValueError("values is empty: there is nothing to rank")
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    if numbers.isna().all():
        raise ValueError("values has no data: every value is missing")
    if values.index.has_duplicates:
        dupes = sorted(map(str, values.index[values.index.duplicated()].unique()))
        raise ValueError(f"values has duplicate names {dupes}; each name may appear once")
    if highlight is not None and highlight not in values.index:
        raise ValueError(f"highlight {plain(highlight)} is not among the names in values")

    present = numbers.dropna().sort_values(ascending=False, kind="stable")
    absent = numbers[numbers.isna()]
    order = list(present.index) + list(absent.index)
    if decimals is None:
        whole = np.allclose(present, np.round(present))
        decimals = 0 if whole else (2 if present.abs().max() < 1 else 1)

    if ax is None:
        ax = _new_axes(None, figsize=(9.0, max(2.0, 0.32 * len(order) + 1.0)))
    y = np.arange(len(order))
    colors = [PALETTE[0] if name == highlight else _LIGHT_GREY for name in present.index]
    bars = ax.barh(y[: len(present)], present.to_numpy(), color=colors, height=0.7)
    for bar, name in zip(bars, present.index, strict=True):
        if name == highlight:
            bar.set_hatch("///")
            bar.set_edgecolor("white")
            bar.set_linewidth(0)
    ax.bar_label(bars, labels=[fmt.number(v, decimals) for v in present], padding=3,
                 fontsize=_TICK_SIZE)
    for yi in y[len(present):]:
        ax.annotate("uppgift saknas", (0, yi), xytext=(3, 0), textcoords="offset points",
                    va="center", ha="left", fontsize=_TICK_SIZE, fontstyle="italic",
                    color=_TEXT_GREY)

    ax.set_yticks(y, [str(name) for name in order])
    for label, name in zip(ax.get_yticklabels(), order, strict=True):
        if name == highlight:
            label.set_fontweight("bold")
    ax.set_ylim(len(order) - 0.5, -0.5)  # largest on top
    lo, hi = min(0.0, float(present.min())), max(0.0, float(present.max()))
    span = (hi - lo) or 1.0
    ax.set_xlim(lo - (0.15 * span if lo < 0 else 0), hi + 0.15 * span)
    ax.xaxis.set_major_formatter(_AutoSwedishFormatter())
    ax.set_xlabel(xlabel, fontsize=_LABEL_SIZE)
    ax.tick_params(axis="y", length=0)
    _tidy(ax, grid_axis="x")
    ax.spines["left"].set_visible(lo < 0)
    ax.axvline(0, color="#666666", linewidth=0.8, zorder=1)
    return ax


def factor_profile(profile: pd.DataFrame, *, scale_max: int = 5, weak_at_or_below: float = 2,
                   ax: Axes | None = None) -> Axes:
    """A place's factor profile: one horizontal bar per factor on the 1–5 scale.

    Weak factors (score at or below ``weak_at_or_below``) are drawn in vermillion *and* hatched, the
    others in blue; the previous inspection's score is a black diamond; a factor that was not assessed
    says "ej bedömd" instead of a bar. Each bar ends in its score with one decimal.

    Parameters
    ----------
    profile : pandas.DataFrame
        One row per factor, in the order to show (top to bottom): ``faktor`` (name), ``poang`` (score
        or NaN) and optionally ``foregaende`` (previous score or NaN).
    scale_max : int
        Top of the scale (the x axis runs from 0 to this).
    weak_at_or_below : float
        The weak threshold, drawn as a dashed line.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        Missing columns, no rows, or no factor assessed at all.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> p = pd.DataFrame({"faktor": ["Belysning", "Information", "Samhörighet"], "poang": [1.5, 4.0, float("nan")],
    ...                   "foregaende": [2.0, float("nan"), 3.0]})
    >>> ax = factor_profile(p)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Belysning', 'Information', 'Samhörighet']
    >>> [str(b.get_hatch()) for b in ax.patches[:2]]
    ['///', 'None']
    >>> sorted(t.get_text() for t in ax.texts)
    ['1,5', '4,0', 'ej bedömd']
    >>> plt.close(ax.figure)
    """
    _require_columns(profile, ["faktor", "poang"], "profile")
    scores = pd.to_numeric(profile["poang"], errors="coerce").astype(float)
    if scores.isna().all():
        raise ValueError("profile has no assessed factor: every score is missing")
    previous = (pd.to_numeric(profile["foregaende"], errors="coerce").astype(float)
                if "foregaende" in profile else pd.Series(np.nan, index=profile.index))
    names = [str(n) for n in profile["faktor"]]
    ax = _new_axes(ax, figsize=(8.0, 0.42 * len(names) + 1.2))
    y = np.arange(len(names))
    for yi, score in zip(y, scores, strict=True):
        if np.isnan(score):
            ax.annotate("ej bedömd", (0, yi), xytext=(3, 0), textcoords="offset points", va="center",
                        ha="left", fontsize=_TICK_SIZE, fontstyle="italic", color=_TEXT_GREY)
            continue
        weak = score <= weak_at_or_below
        bar = ax.barh(yi, score, height=0.65, color=PALETTE[1] if weak else PALETTE[0],
                      hatch="///" if weak else None, edgecolor="white", linewidth=0)
        ax.bar_label(bar, labels=[fmt.number(score, 1)], padding=3, fontsize=_TICK_SIZE)
    has_previous = previous.notna().any()
    if has_previous:
        ax.scatter(previous, y, marker="D", s=28, color="black", zorder=3)
    ax.axvline(weak_at_or_below, color=_TEXT_GREY, linestyle="--", linewidth=0.9)
    ax.set_yticks(y, names)
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xlim(0, scale_max + 0.6)
    ax.set_xticks(range(0, scale_max + 1))
    ax.set_xlabel(f"Poäng (1–{scale_max}, högre är bättre)", fontsize=_LABEL_SIZE)
    ax.tick_params(axis="y", length=0)
    handles = [Patch(facecolor=PALETTE[0], label="Senaste bedömning"),
               Patch(facecolor=PALETTE[1], hatch="///", edgecolor="white",
                     label=f"Svag faktor (högst {fmt.number(weak_at_or_below)})")]
    if has_previous:
        handles.append(Line2D([], [], marker="D", color="black", linestyle="none", label="Föregående bedömning"))
    ax.legend(handles=handles, fontsize=_TICK_SIZE, frameon=False, loc="upper center",
              bbox_to_anchor=(0.5, -0.18 if len(names) > 4 else -0.3), ncols=len(handles))
    _tidy(ax, grid_axis="x")
    return ax


def lorenz_curve(share_units: Sequence[float], share_events: Sequence[float], *,
                 xlabel: str = "Andel av rutorna (från färst till flest händelser)", ax: Axes | None = None) -> Axes:
    """A Lorenz curve of how concentrated events are among units (grid cells, places).

    Parameters
    ----------
    share_units, share_events : sequence of float
        Cumulative shares (0–1) of units and of events, starting at 0 and ending at 1, units sorted
        from fewest to most events (the standard Lorenz convention).
    xlabel : str
        The x axis label: what the units are.
    ax : matplotlib.axes.Axes, optional

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> ax = lorenz_curve([0, 0.5, 0.75, 1], [0, 0, 0.2, 1])
    >>> ax.get_xlabel()
    'Andel av rutorna (från färst till flest händelser)'
    >>> plt.close(ax.figure)
    """
    x = np.asarray(share_units, dtype=float)
    yv = np.asarray(share_events, dtype=float)
    if x.size < 2 or x.size != yv.size:
        raise ValueError("lorenz_curve needs two equally long sequences with at least two points")
    if np.isnan(x).any() or np.isnan(yv).any():
        raise ValueError("lorenz_curve: the shares contain missing values")
    ax = _new_axes(ax, figsize=(5.5, 4.6))
    ax.plot([0, 1], [0, 1], color=GREY, linestyle="--", linewidth=1, label="Jämn fördelning")
    ax.plot(x, yv, color=PALETTE[0], linewidth=2, label="Faktisk fördelning")
    ax.fill_between(x, yv, x, color=PALETTE[0], alpha=0.12, linewidth=0)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    pct = ticker.FuncFormatter(lambda v, pos=None: fmt.percent(100 * v))
    ax.xaxis.set_major_formatter(pct)
    ax.yaxis.set_major_formatter(pct)
    ax.set_xlabel(xlabel, fontsize=_LABEL_SIZE)
    ax.set_ylabel("Andel av händelserna", fontsize=_LABEL_SIZE)
    ax.legend(fontsize=_TICK_SIZE, frameon=False, loc="upper left")
    _tidy(ax, grid_axis="both")
    return ax


# --------------------------------------------------------------------------------------------
# Wastewater
# --------------------------------------------------------------------------------------------


def ww_loads_over_time(
    summary: pd.DataFrame,
    site_ids: Sequence[str],
    substance: str,
    *,
    highlight: str | None = None,
    european: pd.Series | None = None,
    european_label: str = "Europeiskt medelvärde (EUDA)",
    ax: Axes | None = None,
) -> Axes:
    """Drug load in wastewater per year: one line per measuring site, optionally the European mean.

    The ``highlight`` site (the kommun's own) is drawn like a kommun in :data:`LEVEL_STYLES`
    (thick, solid, blue, circles); the other sites are thin and grey and differ in line style and
    marker. Without ``highlight`` every site gets its own palette colour, line style and marker.
    The European mean, when given, is black and dotted with triangles. Every line is named in the
    legend; a site with no value for the substance is listed as "(uppgift saknas)". Years without
    a value are gaps, never 0, and every point has a marker, so a site with one year shows as a
    marker. When a site has several campaigns in a year, their daily means are averaged.

    Parameters
    ----------
    summary : pandas.DataFrame
        ``SUMMARY`` frame: columns ``site_id``, ``site`` (display name), ``year``, ``substance``
        and ``daily_mean`` (mg per day and 1 000 inhabitants).
    site_ids : sequence of str
        Sites to draw, in legend order (the highlighted one is drawn first).
    substance : str
        Substance key.
    highlight : str, optional
        Site id to highlight; must be in ``site_ids``.
    european : pandas.Series, optional
        European mean per year (index = year).
    european_label : str
        Legend text of the European line.
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        ``summary`` is empty or lacks a column, ``site_ids`` is empty, ``highlight`` is not one of
        ``site_ids``, no site has a value for the substance, or ``european`` has no value.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> s = pd.DataFrame({"site_id": ["SE002", "SE002", "SE003"], "site": ["Gävle", "Gävle", "Karlstad"],
    ...                   "year": [2023, 2024, 2024], "substance": "cocaine",
    ...                   "daily_mean": [250.0, 310.5, 180.0]})
    >>> ax = ww_loads_over_time(s, ["SE003", "SE002"], "cocaine", highlight="SE002")
    >>> [line.get_label() for line in ax.get_lines()]
    ['Gävle', 'Karlstad']
    >>> ax.get_lines()[1].get_xdata().tolist(), ax.get_lines()[1].get_marker()
    ([2024], 's')
    >>> plt.close(ax.figure)
    """
    from lagesbild.core.units import LOAD_UNIT as UNIT

    _require_columns(summary, ["site_id", "site", "year", "substance", "daily_mean"], "summary")
    site_ids = list(dict.fromkeys(str(s) for s in site_ids))
    if not site_ids:
        raise ValueError("site_ids is empty: name at least one site to plot")
    if highlight is not None:
        if highlight not in site_ids:
            raise ValueError(f"highlight {plain(highlight)} is not one of site_ids {site_ids}")
        site_ids = [highlight] + [s for s in site_ids if s != highlight]
    if summary["year"].isna().any():
        raise ValueError("summary has rows without a year; every row needs an integer year")

    data = summary.loc[(summary["substance"] == substance) & summary["site_id"].isin(site_ids)]
    data = data.assign(_v=pd.to_numeric(data["daily_mean"], errors="coerce").astype(float),
                       _year=data["year"].astype(int))
    if data["_v"].isna().all():
        raise ValueError(f"no data for substance {plain(substance)}: none of the sites {site_ids} has a daily mean")
    eu = None
    if european is not None:
        if not isinstance(european, pd.Series):
            raise ValueError(f"european must be a pandas Series indexed by year, got {type(european).__name__}")
        eu = pd.to_numeric(european, errors="coerce").astype(float)
        eu.index = [int(y) for y in eu.index]
        eu = eu.sort_index()
        if eu.isna().all():
            raise ValueError("european has no value: every year is missing")

    names = {}
    for sid in site_ids:
        given = data.loc[data["site_id"] == sid, "site"].dropna()
        names[sid] = str(given.iloc[0]) if not given.empty else sid
    counts = pd.Series(list(names.values())).value_counts()
    names = {sid: (f"{n} ({sid})" if counts[n] > 1 else n) for sid, n in names.items()}

    ax = _new_axes(ax)
    years_all = data.loc[data["_v"].notna(), "_year"]
    handles = []
    for i, sid in enumerate(site_ids):
        per_year = data.loc[data["site_id"] == sid].groupby("_year")["_v"].mean().dropna()
        if sid == highlight:
            style = {k: v for k, v in LEVEL_STYLES["kommun"].items() if k != "zorder"}
            zorder = 4
        elif highlight is not None:
            j = i - 1
            style = {"color": GREY, "linestyle": _LINESTYLES[j % len(_LINESTYLES)],
                     "marker": _MARKERS[(j + 1) % len(_MARKERS)], "linewidth": 1.2, "markersize": 4}
            zorder = 2
        else:
            style = {**_style_cycle(i), "linewidth": 1.8, "markersize": 5}
            zorder = 3
        if per_year.empty:
            handles.append(Line2D([], [], **style, label=f"{names[sid]} (uppgift saknas)"))
            continue
        full = per_year.reindex(range(per_year.index.min(), per_year.index.max() + 1))
        (line,) = ax.plot(full.index.to_numpy(), full.to_numpy(dtype=float), label=names[sid],
                          zorder=zorder, **style)
        handles.append(line)
    if eu is not None:
        eu = eu.dropna()
        full = eu.reindex(range(eu.index.min(), eu.index.max() + 1))
        style = {k: v for k, v in LEVEL_STYLES["riket"].items() if k != "zorder"}
        (line,) = ax.plot(full.index.to_numpy(), full.to_numpy(dtype=float), label=european_label,
                          zorder=3, **style)
        handles.append(line)
        years_all = pd.concat([years_all, pd.Series(eu.index)])

    ax.xaxis.set_major_locator(ticker.MaxNLocator(nbins=8, integer=True))
    ax.xaxis.set_major_formatter(_year_formatter())
    if years_all.min() == years_all.max():
        ax.set_xlim(years_all.min() - 1, years_all.max() + 1)
    ax.yaxis.set_major_formatter(_AutoSwedishFormatter())
    ax.set_ylim(bottom=0)
    ax.set_ylabel(UNIT, fontsize=_LABEL_SIZE)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
              fontsize=_TICK_SIZE, handlelength=3)
    _tidy(ax)
    return ax


def ww_weekday_pattern(profile: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Load per weekday as bars, Monday to Sunday, EUDA's weekday and weekend groups told apart.

    Tuesday–Thursday (EUDA's "weekday") are solid blue bars; Friday–Monday (EUDA's "weekend") are
    vermillion and hatched, so the groups differ without colour too; the legend names both. Each
    bar carries its value in Swedish formatting; a weekday without a value shows "uppgift saknas".

    Parameters
    ----------
    profile : pandas.DataFrame
        From :func:`lagesbild.wastewater.trends.weekday_profile`: columns ``weekday`` (0 = Monday … 6) and
        ``load``; one row per weekday (missing weekdays count as missing values).
    ax : matplotlib.axes.Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        ``profile`` is empty, lacks a column, has a weekday outside 0–6 or twice, or has no load.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> p = pd.DataFrame({"weekday": range(7), "load": [10.5, 9.13, 8.82, 12.87, 12.45, 28.11, 26.8]})
    >>> ax = ww_weekday_pattern(p)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['mån', 'tis', 'ons', 'tor', 'fre', 'lör', 'sön']
    >>> [str(b.get_hatch()) for b in ax.patches[:3]]
    ['///', 'None', 'None']
    >>> plt.close(ax.figure)
    """
    from lagesbild.core.units import LOAD_UNIT as UNIT
    from lagesbild.core.units import WEEKDAY_DAYS, WEEKDAY_GROUP, WEEKEND_GROUP

    _require_columns(profile, ["weekday", "load"], "profile")
    wd = pd.to_numeric(profile["weekday"], errors="coerce")
    if wd.isna().any() or not wd.isin(range(7)).all():
        raise ValueError("profile['weekday'] must be 0 (Monday) … 6 (Sunday) in every row")
    if wd.duplicated().any():
        raise ValueError("profile has a weekday twice; give one row per weekday")
    loads = (pd.Series(pd.to_numeric(profile["load"], errors="coerce").astype(float).to_numpy(),
                       index=wd.astype(int).to_numpy()).reindex(range(7)))
    if loads.isna().all():
        raise ValueError("profile has no load: every weekday is missing")

    ax = _new_axes(ax, figsize=(7.0, 3.8))
    top = float(loads.max())
    decimals = 0 if top >= 100 else (1 if top >= 1 else 2)
    for day, value in loads.items():
        weekday = day in WEEKDAY_DAYS
        if np.isnan(value):
            ax.annotate("uppgift saknas", (day, 0), xytext=(0, 3), textcoords="offset points", ha="center",
                        va="bottom", rotation=90, fontsize=_TICK_SIZE - 1, fontstyle="italic", color=_TEXT_GREY)
            continue
        bar = ax.bar(day, value, width=0.7, color=PALETTE[0] if weekday else PALETTE[1],
                     hatch=None if weekday else "///", edgecolor="white", linewidth=0)
        ax.bar_label(bar, labels=[fmt.number(value, decimals)], padding=2, fontsize=_TICK_SIZE)
    ax.set_xticks(range(7), fmt.WEEKDAYS_SHORT)
    ax.set_xlim(-0.6, 6.6)
    ax.set_ylim(0, top * 1.15 if top > 0 else 1.0)
    ax.yaxis.set_major_formatter(_AutoSwedishFormatter())
    ax.set_ylabel(UNIT, fontsize=_LABEL_SIZE)
    ax.tick_params(axis="x", length=0)
    handles = [Patch(facecolor=PALETTE[0], label=WEEKDAY_GROUP.capitalize()),
               Patch(facecolor=PALETTE[1], hatch="///", edgecolor="white", label=WEEKEND_GROUP.capitalize())]
    ax.legend(handles=handles, fontsize=_TICK_SIZE, frameon=False, loc="lower left", bbox_to_anchor=(0.0, 1.0),
              ncols=2)
    _tidy(ax)
    return ax


def estimate_intervals(rows: pd.DataFrame, *, xlabel: str, reference: float = 0.0,
                       lower_label: str = "minskning", upper_label: str = "ökning", ax: Axes | None = None) -> Axes:
    """Estimates with their confidence intervals as points and lines, against a reference line (no effect).

    Parameters
    ----------
    rows : pandas.DataFrame
        ``label``, ``estimate``, ``ci_low``, ``ci_high``; one row per estimate, top to bottom.
    xlabel : str
        What the estimate measures, with its unit.
    reference : float
        The value meaning "no effect" (a dashed line).
    lower_label, upper_label : str
        Words under the axis on each side of the reference (e.g. "färre brott än väntat").
    ax : matplotlib.axes.Axes, optional

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> r = pd.DataFrame({"label": ["Behandlat område"], "estimate": [-12.0], "ci_low": [-25.0], "ci_high": [1.0]})
    >>> ax = estimate_intervals(r, xlabel="Brott jämfört med väntat")
    >>> [t.get_text() for t in ax.get_yticklabels()], ax.get_lines()[0].get_xdata().tolist()
    (['Behandlat område'], [-25.0, 1.0])
    >>> plt.close(ax.figure)
    """
    _require_columns(rows, ["label", "estimate", "ci_low", "ci_high"], "rows")
    values = rows[["estimate", "ci_low", "ci_high"]].apply(pd.to_numeric, errors="coerce").astype(float)
    if values.isna().any().any():
        raise ValueError("rows has missing estimates or interval limits")
    ax = _new_axes(ax, figsize=(8.0, 0.6 * len(rows) + 1.4))
    y = np.arange(len(rows))
    for yi, (_, r) in zip(y, values.iterrows(), strict=True):
        ax.plot([r["ci_low"], r["ci_high"]], [yi, yi], color=PALETTE[0], linewidth=2.5, solid_capstyle="butt")
        ax.plot([r["estimate"]], [yi], marker="D", color=PALETTE[0], markersize=8, linestyle="none")
        ax.annotate(fmt.number(r["estimate"], 1), (r["estimate"], yi), xytext=(0, 8), textcoords="offset points",
                    ha="center", fontsize=_TICK_SIZE)
    ax.axvline(reference, color=_TEXT_GREY, linestyle="--", linewidth=1)
    span = max(abs(values.to_numpy() - reference).max(), 1.0) * 1.15
    ax.set_xlim(reference - span, reference + span)
    ax.set_ylim(len(rows) - 0.5, -0.7)
    ax.set_yticks(y, [str(v) for v in rows["label"]])
    ax.xaxis.set_major_formatter(_AutoSwedishFormatter())
    ax.set_xlabel(f"← {lower_label}     {xlabel}     {upper_label} →", fontsize=_LABEL_SIZE)
    ax.tick_params(axis="y", length=0)
    _tidy(ax, grid_axis="x")
    return ax


def group_strip(rates: pd.DataFrame, *, own_label: str, ax: Axes | None = None) -> Axes:
    """Every kommun of a group as a dot per indicator, relative to the group's median; the own kommun stands out.

    Rates of different crime categories differ a hundredfold, so each row shows the rates divided by
    that indicator's group median on a logarithmic axis (1 = the median, 2 = twice it); a rate of 0
    sits at the left edge. An indicator whose group median is 0 cannot be shown this way (error).

    Parameters
    ----------
    rates : pandas.DataFrame
        ``indicator, rate, own`` (:func:`lagesbild.crime.analysis.kommungrupp_rates`), rows in report order.
    own_label : str
        The own kommun's name, for the legend.
    ax : matplotlib.axes.Axes, optional

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> r = pd.DataFrame({"indicator": ["Bilbrott"] * 3, "rate": [50.0, 100.0, 200.0], "own": [False, True, False]})
    >>> ax = group_strip(r, own_label="Falun")
    >>> [t.get_text() for t in ax.get_yticklabels()], ax.collections[1].get_offsets().tolist()
    (['Bilbrott'], [[1.0, 0.0]])
    >>> plt.close(ax.figure)
    """
    _require_columns(rates, ["indicator", "rate", "own"], "rates")
    indicators = list(dict.fromkeys(rates["indicator"]))
    if not indicators:
        raise ValueError("rates has no rows")
    median = rates.groupby("indicator")["rate"].transform("median")
    if (median <= 0).any():
        raise ValueError("an indicator's group median is 0; leave it out of the chart (its table row says it)")
    ax = _new_axes(ax, figsize=(8.0, 0.45 * len(indicators) + 1.6))
    rel = rates["rate"] / median
    y = rates["indicator"].map({ind: i for i, ind in enumerate(indicators)})
    positive = rel[rel > 0]
    span = max(1 / float(positive.min()), float(positive.max()), 2.0) * 1.1
    rel = rel.clip(lower=1 / span)  # a rate of 0 sits at the left edge
    own = rates["own"].astype(bool)
    ax.scatter(rel[~own], y[~own], s=18, color=GREY, alpha=0.8, label="Övriga kommuner i gruppen", zorder=2)
    ax.scatter(rel[own], y[own], s=80, marker="D", color=PALETTE[0], edgecolor="white", label=own_label, zorder=3)
    ax.axvline(1.0, color=_TEXT_GREY, linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.set_xlim(1 / span / 1.05, span)
    ticks = [t for t in (0.25, 0.5, 1.0, 2.0, 4.0) if 1 / span <= t <= span]
    ax.set_xticks(ticks, [{0.25: "¼", 0.5: "½", 1.0: "median", 2.0: "2×", 4.0: "4×"}[t] for t in ticks])
    ax.xaxis.set_minor_locator(ticker.NullLocator())
    ax.set_ylim(len(indicators) - 0.5, -0.7)
    ax.set_yticks(range(len(indicators)), indicators)
    ax.set_xlabel("Anmälda brott per 100 000 invånare i förhållande till\ngruppens median (logaritmisk skala)",
                  fontsize=_LABEL_SIZE)  # two lines: long category names leave the axes narrow
    ax.tick_params(axis="y", length=0)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18 - 0.3 / len(indicators)), ncol=2, frameon=False,
              fontsize=_TICK_SIZE)
    _tidy(ax, grid_axis="x")
    return ax


def group_strip_alt(comparison: pd.DataFrame, *, name: str, group: str) -> str:
    """The finding of :func:`group_strip` in words: where the kommun lies in its group, per indicator.

    Examples
    --------
    >>> c = pd.DataFrame({"indicator": ["Bilbrott", "Rån"], "year": 2025, "n": [10, 10], "rank": [3, 9],
    ...                   "position": ["låg", "hög"]})
    >>> group_strip_alt(c, name="Falun", group="Större stad")
    'Falun jämfört med kommungruppen Större stad, 2025: lägst fjärdedel för bilbrott (plats 3 av 10, 1 = lägst), högst fjärdedel för rån (plats 9 av 10).'
    """
    if comparison.empty:
        return f"{name} jämfört med kommungruppen {group}: inga jämförbara kategorier."
    words = {"låg": "lägst fjärdedel", "hög": "högst fjärdedel", "mitten": "mittersta hälften"}
    parts = []
    for i, r in enumerate(comparison.itertuples()):
        rank = f"plats {r.rank} av {r.n}" + (", 1 = lägst" if i == 0 else "")
        parts.append(f"{words[r.position]} för {r.indicator[0].lower() + r.indicator[1:]} ({rank})")
    years = sorted(set(comparison["year"]))
    when = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return f"{name} jämfört med kommungruppen {group}, {when}: {', '.join(parts)}."


# --------------------------------------------------------------------------------------------
# Accessibility: contrast, and each chart's finding in words (alt texts)
# --------------------------------------------------------------------------------------------


def contrast_ratio(color: str, background: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two colours, from 1 (none) to 21 (black on white).

    Parameters
    ----------
    color, background : str
        Any matplotlib colour (``"#0072B2"``, ``"black"`` …).

    Returns
    -------
    float

    Examples
    --------
    >>> round(contrast_ratio("#000000"), 1), round(contrast_ratio("#767676"), 2)
    (21.0, 4.54)
    """
    from matplotlib.colors import to_rgb

    def luminance(c: str) -> float:
        channels = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in to_rgb(c)]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    a, b = sorted((luminance(color), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _join(items: Sequence[str], limit: int = 4) -> str:
    """A Swedish list: "a, b och c", after ``limit`` items "… och 3 till".

    When an item has a comma or "och" of its own ("Våld mot barn och unga, flickor"), the items are
    separated by semicolons so the list still reads right.
    """
    items = list(items)
    rest = len(items) - limit if len(items) > limit else 0
    items = items[:limit] if rest else items
    if any("," in i or " och " in i for i in items):
        return "; ".join(items) + (f"; och {rest} till" if rest else "")
    if rest:
        return ", ".join(items) + f" och {rest} till"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]


def _sentence_name(name: str) -> str:
    """A region name inside a sentence: "Hela landet" → "hela landet"; "Falun" and "Dalarnas län" stay."""
    return name[0].lower() + name[1:] if name in ("Hela landet", "Riket") else name


def indicator_trends_alt(rates: pd.DataFrame, indicators: list[str], trends: dict, *,
                         value: str = "rate") -> str:
    """The finding of :func:`indicator_trends` in words, for the image's alt text.

    Names the categories whose trend for the kommun is a statistically detectable increase or
    decrease (with the average change per year, at most three of each), those with no detectable
    trend (counted when more than two), and says in how many categories the kommun lay above the riket in the last
    year both have a value (naming them when they are one or two). The chart's details are in
    the report's text and table; an alt text stays short.

    Parameters
    ----------
    rates : pandas.DataFrame
        As for :func:`indicator_trends` (``region_name``, ``level``, ``indicator``, ``year`` and
        ``value``); one region has level ``"kommun"``.
    indicators : list of str
        The categories in the chart.
    trends : dict
        Category → trend test of the kommun's counts (:func:`lagesbild.stats.counts.trend_test`: uses
        ``too_few``, ``detectable`` and ``annual_change_pct``). A category without an entry counts
        as not assessed.
    value : str
        The plotted column.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``rates`` lacks a column, has no kommun, or ``indicators`` is empty.

    Examples
    --------
    >>> from types import SimpleNamespace as T
    >>> rates = pd.DataFrame({"region_name": ["Ale", "Ale", "Hela landet", "Hela landet"],
    ...                       "level": ["kommun", "kommun", "riket", "riket"], "indicator": ["Rån", "Stöld"] * 2,
    ...                       "year": 2024, "rate": [30.0, 500.0, 20.0, 900.0]})
    >>> trends = {"Rån": T(too_few=False, detectable=True, annual_change_pct=8.2),
    ...           "Stöld": T(too_few=False, detectable=False, annual_change_pct=-1.0)}
    >>> print(indicator_trends_alt(rates, ["Rån", "Stöld"], trends).replace("\\u00a0", " "))
    Ale jämfört med hela landet i 2 kategorier. Statistiskt säkerställd ökning: Rån (+8 % per år). Ingen statistiskt säkerställd trend: Stöld. Senaste året med jämförbara värden låg Ale över hela landet i 1 av 2 kategorier (Rån).
    """
    _require_columns(rates, ["region_name", "level", "indicator", "year", value], "rates")
    indicators = list(dict.fromkeys(indicators))
    if not indicators:
        raise ValueError("indicators is empty: name at least one indicator")
    names = rates.drop_duplicates("level").set_index("level")["region_name"]
    if "kommun" not in names.index:
        raise ValueError("rates has no region at level 'kommun'")
    kommun = str(names["kommun"])
    others = [_sentence_name(str(names[level])) for level in ("län", "riket") if level in names.index]
    parts = [f"{kommun} jämfört med {_join(others)}" if others else kommun]
    parts[0] += f" i {fmt.number(len(indicators))} {'kategori' if len(indicators) == 1 else 'kategorier'}."

    def change(t) -> str:
        pct = t.annual_change_pct
        return f"{fmt.percent(pct, 1 if abs(pct) < 0.5 else 0, signed=True)} per år"

    up = [f"{i} ({change(trends[i])})" for i in indicators
          if i in trends and not trends[i].too_few and trends[i].detectable and trends[i].annual_change_pct > 0]
    down = [f"{i} ({change(trends[i])})" for i in indicators
            if i in trends and not trends[i].too_few and trends[i].detectable and trends[i].annual_change_pct < 0]
    flat = [i for i in indicators if i in trends and not trends[i].too_few and not trends[i].detectable]
    unknown = [i for i in indicators if i not in trends or trends[i].too_few]
    if up:
        parts.append(f"Statistiskt säkerställd ökning: {_join(up, limit=3)}.")
    if down:
        parts.append(f"Statistiskt säkerställd minskning: {_join(down, limit=3)}.")
    if flat:
        if len(flat) == len(indicators) > 1:
            parts.append("Ingen av dem har en statistiskt säkerställd trend.")
        elif len(flat) <= 2:
            parts.append(f"Ingen statistiskt säkerställd trend: {_join(flat)}.")
        else:
            parts.append(f"Ingen statistiskt säkerställd trend i {'övriga ' if up or down else ''}"
                         f"{fmt.number(len(flat))} kategorier.")
    if unknown:
        parts.append(f"För få fall för att bedöma trenden: {_join(unknown, limit=3)}.")

    if "riket" in names.index:
        data = rates.assign(_v=pd.to_numeric(rates[value], errors="coerce"))
        above = []
        compared = 0
        for indicator in indicators:
            rows = data[(data["indicator"] == indicator) & data["level"].isin(["kommun", "riket"])].dropna(subset="_v")
            wide = rows.pivot_table(index="year", columns="level", values="_v", aggfunc="first").dropna()
            if {"kommun", "riket"} <= set(wide.columns) and len(wide):
                compared += 1
                last = wide.iloc[-1]
                if last["kommun"] > last["riket"]:
                    above.append(indicator)
        riket = _sentence_name(str(names["riket"]))
        when = f"Senaste året med jämförbara värden låg {kommun}"
        if compared and not above:
            parts.append(f"{when} inte över {riket} i någon kategori.")
        elif compared and len(above) == compared:
            parts.append(f"{when} över {riket} i {'kategorin' if compared == 1 else 'alla kategorierna'}.")
        elif compared:
            parts.append(f"{when} över {riket} i {fmt.number(len(above))} av {fmt.number(compared)} kategorier"
                         + (f" ({_join(above)})." if len(above) <= 2 else "."))
    return " ".join(parts)


def monthly_events_alt(monthly: pd.DataFrame, *, types: list[str] | None = None) -> str:
    """The finding of :func:`monthly_events` / :func:`monthly_events_panels` in words, for the alt text.

    The period, the event types ranked by their total (with the total), and the month with most
    events of the most common type. Counted exactly as the chart counts (same input rules).

    Parameters
    ----------
    monthly : pandas.DataFrame
        ``month``, ``type``, ``count`` (see :func:`monthly_events`).
    types : list of str, optional
        The types in the chart; default as the chart: the six with most events.

    Returns
    -------
    str

    Examples
    --------
    >>> monthly = pd.DataFrame({"month": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-02-01", "2024-03-01"]),
    ...                         "type": ["Inbrott", "Inbrott", "Brand", "Brand"], "count": [4, 2, 3, 1]})
    >>> monthly_events_alt(monthly)
    'Januari 2024–mars 2024: flest händelser av typen Inbrott (6), sedan Brand (4). Flest av typen Inbrott under en månad: 4 i januari 2024.'
    """
    table, months, types = _monthly_table(monthly, types)
    totals = table.sum().sort_values(ascending=False, kind="stable")
    top = str(totals.index[0])
    ranked = [f"{t} ({fmt.number(n)})" for t, n in totals.items()]
    period = f"{fmt.month(months[0])}–{fmt.month(months[-1])}"
    text = f"{period[0].upper()}{period[1:]}: flest händelser av typen {ranked[0]}"
    if len(ranked) > 1:
        text += f", sedan {_join(ranked[1:], limit=5)}"
    peak = table[top].idxmax()
    return (text + f". Flest av typen {top} under en månad: {fmt.number(table[top].max())} "
            f"i {fmt.month(peak)}.")


def weekday_hour_alt(matrix: pd.DataFrame, *, what: str = "händelser", private: bool = False) -> str:
    """The finding of :func:`weekday_hour` in words, for the alt text: when most events happen.

    The weekday and the hour of day with most events (each summed over the other), and the single
    weekday-and-hour with most. With ``private=True`` (place-level data) every count is written by
    :func:`lagesbild.core.privacy.small_total`, so a 1 or a 2 is never published.

    Parameters
    ----------
    matrix : pandas.DataFrame
        7 × 24 counts, as for :func:`weekday_hour`.
    what : str
        The plural noun for the events ("händelser", "händelser och rapporter").
    private : bool
        Mask counts of 1 and 2.

    Returns
    -------
    str

    Examples
    --------
    >>> m = pd.DataFrame(0, index=range(7), columns=range(24))
    >>> m.loc[4, 22], m.loc[4, 23], m.loc[5, 22] = 9, 4, 2
    >>> weekday_hour_alt(m)
    'Flest händelser på fredagar (13) och klockan 22–23 (11). Flest under en enskild timme: fredagar klockan 22–23 (9).'
    >>> m.loc[4, 22] = 1
    >>> weekday_hour_alt(m, private=True).endswith("fredagar klockan 23–00 (4).")
    True
    """
    from lagesbild.core import privacy

    values = np.nan_to_num(_weekday_hour_values(matrix), nan=0.0)

    def count(n: float) -> str:
        return privacy.small_total(int(round(n))) if private else fmt.number(n)

    def hours(h: int) -> str:
        return f"{h:02d}–{(h + 1) % 24:02d}"

    per_day, per_hour = values.sum(axis=1), values.sum(axis=0)
    day, hour = int(np.argmax(per_day)), int(np.argmax(per_hour))
    cell_day, cell_hour = np.unravel_index(int(np.argmax(values)), values.shape)
    return (f"Flest {what} på {fmt.WEEKDAYS[day]}ar ({count(per_day[day])}) och klockan {hours(hour)} "
            f"({count(per_hour[hour])}). Flest under en enskild timme: {fmt.WEEKDAYS[int(cell_day)]}ar klockan "
            f"{hours(int(cell_hour))} ({count(values[cell_day, cell_hour])}).")


# --------------------------------------------------------------------------------------------
# Funnel plots (trattdiagram): every kommun's rate against its population
# --------------------------------------------------------------------------------------------

# Imported here rather than at the top so that this section stays self-contained.
from lagesbild.stats.funnel import Funnel, limit_curves  # noqa: E402

_FUNNEL_OWN = {"marker": "D", "color": PALETTE[1], "s": 64, "edgecolors": "black", "linewidths": 0.7,
               "zorder": 5}
_FUNNEL_GROUP = {"marker": "s", "color": PALETTE[0], "s": 20, "edgecolors": "white", "linewidths": 0.4,
                 "zorder": 4}
_FUNNEL_OTHER = {"marker": "o", "color": _LIGHT_GREY, "s": 9, "linewidths": 0, "zorder": 2}
_FUNNEL_TARGET = {"color": PALETTE[6], "linestyle": "-", "linewidth": 1.2, "zorder": 3}
_FUNNEL_95 = {"color": _TEXT_GREY, "linestyle": "--", "linewidth": 1.0, "zorder": 3}
_FUNNEL_998 = {"color": _TEXT_GREY, "linestyle": ":", "linewidth": 1.3, "zorder": 3}
_PCT = f"{fmt.NBSP}%"


def _funnel_own_row(funnels: dict[str, Funnel], own: object) -> dict[str, pd.Series | None]:
    """The own kommun's row of each funnel's units (None when left out); error if it is in none."""
    if not funnels:
        raise ValueError("funnels is empty: give at least one category's funnel")
    rows: dict[str, pd.Series | None] = {}
    for name, f in funnels.items():
        units = f.units
        rows[name] = units.loc[own] if own in units.index and bool(units.loc[own, "included"]) else None
    if not any(own in f.units.index for f in funnels.values()):
        raise ValueError(
            f"own kommun {plain(own)} is not among the units of any funnel; check the id (and its type, "
            "e.g. '0180' as text)"
        )
    return rows


def _rate_text(x: float) -> str:
    return fmt.number(x, 1 if abs(x) < 10 else 0)


def funnel_panels(funnels: dict[str, Funnel], *, own: object, own_label: str, group: Sequence[object] = (),
                  group_label: str = "", ncols: int = 3) -> Figure:
    """Funnel plots (trattdiagram) as small multiples: one panel per crime category.

    Each panel shows every kommun's rate per 100 000 inhabitants against its population (log
    scale): all kommuner as small light-grey dots, the kommungrupp's members as blue squares, the
    own kommun as a large vermillion diamond with its name; the target (the national rate of all
    kommuner) as a solid line and the overdispersion-adjusted 95 % and 99,8 % control limits
    (:mod:`lagesbild.stats.funnel`) dashed and dotted. A kommun outside the dotted limits differs from
    the national level by more than kommuner usually do. One legend is shared by all panels.

    Parameters
    ----------
    funnels : dict of str to lagesbild.stats.funnel.Funnel
        Category name (the panel title) → its funnel, in panel order.
    own : object
        The own kommun's id in the funnels' units (e.g. ``"2080"``).
    own_label : str
        The own kommun's name, next to its marker and in the legend.
    group : sequence, optional
        Ids of the kommungrupp's members (the own kommun may be among them).
    group_label : str, optional
        Legend text for the group, e.g. ``"Större städer"``; default ``"Kommungruppen"``.
    ncols : int, default 3
        Panels per row.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.axes`` holds the category panels in order.

    Raises
    ------
    ValueError
        ``funnels`` is empty, ``ncols`` < 1, or the own kommun is in none of the funnels.

    Notes
    -----
    A category whose funnel has no limits (no events at all) shows the dots and a note; one in
    which the own kommun was left out (count or population missing) says so in the panel; one
    whose limits could not be adjusted for overdispersion (too few kommuner) says so too.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from lagesbild.stats.funnel import funnel
    >>> f = funnel([30, 60, 90, 150] * 3, [10_000, 20_000, 30_000, 40_000] * 3, ids=range(12))
    >>> fig = funnel_panels({"Rån": f}, own=3, own_label="Falun")
    >>> [ax.get_title() for ax in fig.axes], fig.legends[0].get_texts()[0].get_text()
    (['Rån'], 'Falun')
    >>> plt.close(fig)
    """
    if ncols < 1:
        raise ValueError(f"ncols must be 1 or more, got {ncols}")
    own_rows = _funnel_own_row(funnels, own)
    members = set(group) - {own}
    names = list(funnels)
    ncols_used = min(ncols, len(names))
    nrows = math.ceil(len(names) / ncols_used)
    width = 9.0 if ncols_used > 1 else 6.0
    fig, axes = plt.subplots(nrows, ncols_used, figsize=(width, 2.8 * nrows + 1.0), layout="constrained",
                             squeeze=False)
    title_width = max(18, int(95 / ncols_used))
    any_group = False
    for i, (ax, name) in enumerate(zip(axes.flat, names, strict=False)):
        f = funnels[name]
        units = f.units.loc[f.units["included"]]
        x = units["population"].to_numpy(dtype=float)
        y = units["rate"].to_numpy(dtype=float)
        is_own = np.asarray(units.index == own)
        is_group = np.asarray(units.index.isin(list(members)))
        any_group = any_group or bool(is_group.any())
        rest = ~is_own & ~is_group
        ax.scatter(x[rest], y[rest], **_FUNNEL_OTHER)
        ax.scatter(x[is_group], y[is_group], **_FUNNEL_GROUP)
        notes = []
        row = own_rows[name]
        if row is not None:
            ax.scatter([row["population"]], [row["rate"]], **_FUNNEL_OWN)
            ax.annotate(own_label, (row["population"], row["rate"]), xytext=(6, 5), textcoords="offset points",
                        fontsize=_TICK_SIZE, fontweight="bold", color="black", zorder=6)
        else:
            notes.append(f"Uppgift saknas för {own_label}")
        top = max(float(np.nanmax(y)), 1.5 * f.target_rate) * 1.12
        if top <= 0:  # no events anywhere: a 0–1 axis with the dots on the floor
            top = 1.0
            ax.yaxis.set_major_locator(ticker.FixedLocator([0.0, 1.0]))
        if f.has_limits:
            curves = limit_curves(f)
            ax.axhline(f.target_rate, **_FUNNEL_TARGET)
            for tag, style in (("95", _FUNNEL_95), ("998", _FUNNEL_998)):
                for side in ("low", "high"):
                    ax.plot(curves["population"], curves[f"{side}_{tag}"], **style)
            if f.od.method == "none" and math.isnan(f.od.tau2):
                notes.append("Gränserna ej justerade för överspridning (för få kommuner)")
        else:
            notes.append("Inga gränser: inga anmälda brott")
        if notes:
            ax.text(0.02, 0.98, "\n".join(textwrap.fill(n, title_width + 8) for n in notes), transform=ax.transAxes,
                    ha="left", va="top", fontsize=_TICK_SIZE - 1, color=_TEXT_GREY, zorder=1,
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5})
            top *= 1.25  # headroom for the note; the kommuner are drawn over it, never under
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(ticker.LogLocator(base=10))
        ax.xaxis.set_major_formatter(swedish_formatter(0))
        ax.xaxis.set_minor_formatter(ticker.NullFormatter())
        ax.yaxis.set_major_formatter(_AutoSwedishFormatter())
        ax.set_ylim(0, top)
        ax.set_title(textwrap.fill(str(name), title_width), fontsize=_TITLE_SIZE)
        if i + ncols_used >= len(names):  # the lowest panel of its column
            ax.set_xlabel("Folkmängd (logaritmisk skala)", fontsize=_TICK_SIZE)
        _tidy(ax)
        ax.tick_params(axis="x", labelsize=_TICK_SIZE - 1)
    for ax in axes.flat[len(names):]:
        fig.delaxes(ax)

    def marker(style: dict, label: str) -> Line2D:
        return Line2D([], [], linestyle="none", marker=style["marker"], markersize=math.sqrt(style["s"]),
                      markerfacecolor=style["color"], markeredgecolor=style.get("edgecolors", style["color"]),
                      label=label)

    handles = [marker(_FUNNEL_OWN, own_label)]
    if any_group:
        handles.append(marker(_FUNNEL_GROUP, group_label or "Kommungruppen"))
    handles += [
        marker(_FUNNEL_OTHER, "Övriga kommuner"),
        Line2D([], [], **{k: v for k, v in _FUNNEL_TARGET.items() if k != "zorder"}, label="Riket (alla kommuner)"),
        Line2D([], [], **{k: v for k, v in _FUNNEL_95.items() if k != "zorder"}, label=f"95{_PCT}-gränser"),
        Line2D([], [], **{k: v for k, v in _FUNNEL_998.items() if k != "zorder"}, label=f"99,8{_PCT}-gränser"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False, fontsize=_TICK_SIZE,
               handlelength=3)
    per = next(iter(funnels.values())).per
    fig.supylabel(f"Anmälda brott per {fmt.number(per)} invånare", fontsize=_LABEL_SIZE)
    return fig


def funnel_alt(funnels: dict[str, Funnel], *, own: object, own_label: str) -> str:
    """The finding of :func:`funnel_panels` in words, for the alt text: where the kommun lies, per category.

    Categories are grouped by the kommun's zone; those outside the limits get the kommun's rate
    and the national rate (per 100 000 inhabitants).

    Parameters
    ----------
    funnels : dict of str to lagesbild.stats.funnel.Funnel
        As for :func:`funnel_panels`.
    own : object
        The own kommun's id.
    own_label : str
        The own kommun's name.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        ``funnels`` is empty or the own kommun is in none of the funnels.

    Examples
    --------
    >>> from lagesbild.stats.funnel import funnel
    >>> f = funnel([100] * 11 + [200], [10_000] * 12, ids=range(12))
    >>> print(funnel_alt({"Rån": f, "Stöld": funnel([100] * 12, [10_000] * 12)}, own=11, own_label="Falun")
    ...       .replace("\\u00a0", " "))
    Falun jämfört med alla kommuner (anmälda brott per 100 000 invånare, gränser kring rikets nivå). Över den övre 99,8 %-gränsen för rån (2 000 mot rikets 1 083). Inom gränserna för stöld.
    """
    own_rows = _funnel_own_row(funnels, own)
    words = {
        "high_998": "Över den övre 99,8{pct}-gränsen för",
        "high_95": "Över den övre 95{pct}-gränsen men inom 99,8{pct}-gränsen för",
        "inside": "Inom gränserna för",
        "low_95": "Under den nedre 95{pct}-gränsen men inom 99,8{pct}-gränsen för",
        "low_998": "Under den nedre 99,8{pct}-gränsen för",
        "no_limits": "Inga gränser (inga anmälda brott) för",
        "missing": "Uppgift saknas för",
    }
    found: dict[str, list[str]] = {key: [] for key in words}
    for name, f in funnels.items():
        row = own_rows[name]
        label = name[0].lower() + name[1:] if name else name
        if row is None:
            found["missing"].append(label)
        elif not f.has_limits or not row["zone"]:
            found["no_limits"].append(label)
        elif row["zone"] == "inside":
            found["inside"].append(label)
        else:
            found[row["zone"]].append(f"{label} ({_rate_text(row['rate'])} mot rikets {_rate_text(f.target_rate)})")
    per = fmt.number(next(iter(funnels.values())).per)
    parts = [f"{own_label} jämfört med alla kommuner (anmälda brott per {per} invånare, gränser kring rikets nivå)."]
    for key, items in found.items():
        if items:
            parts.append(f"{words[key].format(pct=_PCT)} {_join(items, limit=3 if key == 'inside' else 4)}.")
    return " ".join(parts)
