"""Charts of the wastewater report (``notebooks/wastewater.ipynb``): drug loads in wastewater.

``ww_loads_over_time``   load per year, one line per measuring site, the European mean beside them
``ww_weekday_pattern``   load per weekday, EUDA's weekday and weekend groups told apart

Their alt texts are in :mod:`lagesbild.wastewater.text`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from lagesbild.core import fmt
from lagesbild.core.fmt import plain
from lagesbild.render.charts.style import (
    _LABEL_SIZE,
    _LINESTYLES,
    _MARKERS,
    _TEXT_GREY,
    _TICK_SIZE,
    GREY,
    LEVEL_STYLES,
    PALETTE,
    _AutoSwedishFormatter,
    _new_axes,
    _require_columns,
    _style_cycle,
    _tidy,
    _year_formatter,
)

__all__ = [
    "ww_loads_over_time",
    "ww_weekday_pattern",
]

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
