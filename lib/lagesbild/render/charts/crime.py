"""Charts of the crime report (``notebooks/crime_trends.ipynb``): rates per year and the kommun among others.

``indicator_trends``       reported crimes per 100 000 inhabitants over the years, one panel per
                           category: the kommun, its län and the riket
``indicator_trends_alt``   its finding in words: detectable trends, above the riket or not
``bar_ranking``            named values ranked, largest at the top, the own kommun highlighted
``group_strip``            every kommun of the kommungrupp relative to the group's median
``group_strip_alt``        its finding in words: where the kommun lies in its group

The report's other charts are the police events in time (:mod:`lagesbild.render.charts.events`) and the
funnel plots (:mod:`lagesbild.render.charts.funnel`).
"""

from __future__ import annotations

import math
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from lagesbild.core import fmt
from lagesbild.core.fmt import plain
from lagesbild.render.charts.style import (
    _LABEL_SIZE,
    _LEVEL_ORDER,
    _LIGHT_GREY,
    _TEXT_GREY,
    _TICK_SIZE,
    _TITLE_SIZE,
    GREY,
    LEVEL_STYLES,
    PALETTE,
    _AutoSwedishFormatter,
    _join,
    _new_axes,
    _panel_title,
    _require_columns,
    _tidy,
    _unlabelled,
    _year_formatter,
)

__all__ = [
    "indicator_trends",
    "indicator_trends_alt",
    "bar_ranking",
    "group_strip",
    "group_strip_alt",
]


# --------------------------------------------------------------------------------------------
# Rates per year: the kommun, its län and the riket
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
        _panel_title(ax, textwrap.fill(str(indicator), title_width), _TITLE_SIZE)
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
    _unlabelled(axes_flat[:len(indicators)])

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
        rows = data[data["level"].isin(["kommun", "riket"])].dropna(subset="_v")
        # one table for every category (one pivot per category cost a tenth of a second)
        wide_all = rows.pivot_table(index=["indicator", "year"], columns="level", values="_v", aggfunc="first")
        present = set(wide_all.index.get_level_values("indicator"))
        for indicator in indicators:
            if indicator not in present:
                continue
            wide = wide_all.xs(indicator, level="indicator").dropna()
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


# --------------------------------------------------------------------------------------------
# The kommun among others: a ranking, the kommungrupp
# --------------------------------------------------------------------------------------------


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


def group_strip(rates: pd.DataFrame, *, own_label: str, ax: Axes | None = None) -> Axes:
    """Every kommun of a group as a dot per indicator, relative to the group's median; the own kommun stands out.

    Rates of different crime categories differ a hundredfold, so each row shows the rates divided by
    that indicator's group median on a logarithmic axis (1 = the median, 2 = twice it); a rate of 0
    sits at the left edge. An indicator whose group median is 0 cannot be shown this way (error).

    Parameters
    ----------
    rates : pandas.DataFrame
        ``indicator, rate, own`` (:func:`lagesbild.crime.groups.kommungrupp_rates`), rows in report order.
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
