"""Events in time: police events per month, and events by weekday and hour of day.

``monthly_events``          one line per event type over the months
``monthly_events_panels``   the same as small multiples, one bar panel per type (easier with few events)
``monthly_events_alt``      their finding in words: the period, the types ranked, the peak month
``weekday_hour``            a weekday × hour heatmap
``weekday_hour_alt``        its finding in words: the weekday and hour with most events

The crime report draws polisen.se's events with them; the place assessment draws a place's events and
reports by weekday and hour (small counts hidden, ``missing_label``).
"""

from __future__ import annotations

import math
import textwrap
from datetime import datetime

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from lagesbild.core import fmt
from lagesbild.render.charts.style import (
    _LABEL_SIZE,
    _LIGHT_GREY,
    _TICK_SIZE,
    PALETTE,
    _AutoSwedishFormatter,
    _join,
    _new_axes,
    _panel_title,
    _require_columns,
    _style_cycle,
    _tidy,
    _unlabelled,
    bar_collection,
)

__all__ = [
    "monthly_events",
    "monthly_events_panels",
    "monthly_events_alt",
    "weekday_hour",
    "weekday_hour_alt",
]


# --------------------------------------------------------------------------------------------
# Police events per month
# --------------------------------------------------------------------------------------------


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
    >>> [float(p.vertices[1, 1]) for p in fig.axes[0].collections[0].get_paths()]   # February had no burglary: 0
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
        bar_collection(ax, x, table[name].to_numpy(dtype=float), width=24, color=PALETTE[0])
        _panel_title(ax, textwrap.fill(name, 32), _LABEL_SIZE)
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
    _unlabelled(axes.flat)
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


# --------------------------------------------------------------------------------------------
# Events by weekday and hour of day
# --------------------------------------------------------------------------------------------


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
