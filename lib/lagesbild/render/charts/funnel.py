"""Funnel plots (trattdiagram): every kommun's rate against its population, within control limits.

The limits are computed in :mod:`lagesbild.stats.funnel` (the national rate, with overdispersion-adjusted
95 % and 99,8 % limits); this module draws them, one panel per crime category (:func:`funnel_panels`), and
says in words where the own kommun lies (:func:`funnel_alt`). Drawn in the crime report.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from lagesbild.core import fmt
from lagesbild.core.fmt import plain
from lagesbild.render import pngs
from lagesbild.render.charts.style import (
    _LABEL_SIZE,
    _LIGHT_GREY,
    _TEXT_GREY,
    _TICK_SIZE,
    _TITLE_SIZE,
    PALETTE,
    _AutoSwedishFormatter,
    _join,
    _panel_title,
    _tidy,
    swedish_formatter,
)
from lagesbild.stats.funnel import Funnel, limit_curves

__all__ = [
    "funnel_panels",
    "funnel_alt",
]

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

    What every kommun's figure shares (all kommuner as grey dots, the limits, axes, titles, the room for
    the legend) is drawn once per process and content (a hash of the funnels' numbers and matplotlib's
    settings) and kept as a backdrop (:func:`lagesbild.render.pngs.backdrop`); the figure returned has that
    layout, and its PNG is the backdrop with only the kommun's own artists drawn over it (the group, the
    kommun and its name, the legend). That is ≈ 0,5 s less for each crime report (``bench/README.md``).
    A kommun missing in some panel gets a note and headroom of its own, so its figure is laid out and
    drawn whole. The own kommun's name stands left of its marker in the right part of a panel, so a
    large kommun's name stays inside it.

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
    per = next(iter(funnels.values())).per
    # the shared part (every kommun's dots, the limits, the axes) is drawn once per process and content:
    # only when the kommun is in every panel (a missing one adds a note and headroom of its own)
    shared = all(row is not None for row in own_rows.values())
    fig, any_group, overlay = _funnel_figure(funnels, names, ncols_used, per, own_rows=own_rows,
                                                   own_label=own_label, hide={own, *members}, members=members)
    legend = _funnel_legend(fig, own_label, group_label or "Kommungruppen" if any_group else None)
    if shared:
        pngs.draw_on_backdrop(fig, _funnel_backdrop(funnels, names, ncols_used, per), [*overlay, legend])
    return fig


#: Backdrops of funnel figures drawn in this process (:func:`_funnel_backdrop`), newest last: content key →
#: backdrop. The national funnels are the same for every kommun; the warm engine's warm-up draws them
#: before it forks the report processes, so those start with the backdrop drawn.
_BACKDROPS: dict[str, pngs.Backdrop] = {}
#: How many backdrops a process keeps (each ≈ 5 MB of pixels).
_BACKDROPS_KEPT = 4


def _funnel_key(funnels: dict[str, Funnel], names: list[str], ncols: int, per: float) -> str:
    """A hash of everything the shared part of a funnel figure is drawn from, and of matplotlib's settings."""
    import hashlib

    import matplotlib

    h = hashlib.blake2b(digest_size=16)
    h.update(repr((names, ncols, per, pngs.FIGURE_DPI, matplotlib.__version__,
                   sorted((k, repr(v)) for k, v in matplotlib.rcParams.items()))).encode())
    for name in names:
        f = funnels[name]
        units = f.units.loc[f.units["included"]]
        h.update(repr((name, f.target_rate, f.has_limits, f.od.method, f.od.tau2, len(units))).encode())
        h.update(np.ascontiguousarray(units["population"].to_numpy(dtype=float)).tobytes())
        h.update(np.ascontiguousarray(units["rate"].to_numpy(dtype=float)).tobytes())
        if f.has_limits:
            h.update(np.ascontiguousarray(limit_curves(f).to_numpy(dtype=float)).tobytes())
    return h.hexdigest()


def _funnel_backdrop(funnels: dict[str, Funnel], names: list[str], ncols: int, per: float) -> pngs.Backdrop:
    """The shared part of a funnel figure: every kommun as a grey dot, limits, axes; from the cache or drawn."""
    key = _funnel_key(funnels, names, ncols, per)
    found = _BACKDROPS.pop(key, None)
    if found is None:
        fig, _, _ = _funnel_figure(funnels, names, ncols, per, own_rows=dict.fromkeys(names), own_label="",
                                      hide=set(), members=set(), notes=False)
        # the layout makes room for a legend of the same rows as every kommun's; the pixels leave it out
        legend = _funnel_legend(fig, "Kommunens namn", "Kommungruppen")
        try:
            found = pngs.backdrop(fig, hide=[legend])
        finally:
            plt.close(fig)
    _BACKDROPS[key] = found
    while len(_BACKDROPS) > _BACKDROPS_KEPT:
        del _BACKDROPS[next(iter(_BACKDROPS))]
    return found


def _funnel_figure(funnels: dict[str, Funnel], names: list[str], ncols: int, per: float, *,
                   own_rows: dict[str, pd.Series | None], own_label: str, hide: set, members: set,
                   notes: bool = True) -> tuple[Figure, bool, list]:
    """The funnel figure without its legend: (figure, whether any group member is drawn, own artists).

    ``hide`` are the kommuner not drawn as grey dots; the group's ``members`` are drawn as squares and the
    own kommun (``own_rows``) as a diamond with its name: these are the figure's own artists.
    """
    nrows = math.ceil(len(names) / ncols)
    width = 9.0 if ncols > 1 else 6.0
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, 2.8 * nrows + 1.0), layout="constrained",
                             squeeze=False)
    title_width = max(18, int(95 / ncols))
    any_group, overlay = False, []
    for i, (ax, name) in enumerate(zip(axes.flat, names, strict=False)):
        f = funnels[name]
        units = f.units.loc[f.units["included"]]
        x = units["population"].to_numpy(dtype=float)
        y = units["rate"].to_numpy(dtype=float)
        is_group = np.asarray(units.index.isin(list(members)))
        any_group = any_group or bool(is_group.any())
        rest = ~np.asarray(units.index.isin(list(hide)))
        ax.scatter(x[rest], y[rest], **_FUNNEL_OTHER)
        if is_group.any():
            overlay.append(ax.scatter(x[is_group], y[is_group], **_FUNNEL_GROUP))
        panel_notes = []
        row = own_rows[name]
        if row is not None:
            overlay.append(ax.scatter([row["population"]], [row["rate"]], **_FUNNEL_OWN))
            overlay.append(_own_name(ax, own_label, row["population"], row["rate"], x))
        elif notes:
            panel_notes.append(f"Uppgift saknas för {own_label}")
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
                panel_notes.append("Gränserna ej justerade för överspridning (för få kommuner)")
        else:
            panel_notes.append("Inga gränser: inga anmälda brott")
        if panel_notes:
            ax.text(0.02, 0.98, "\n".join(textwrap.fill(n, title_width + 8) for n in panel_notes),
                    transform=ax.transAxes, ha="left", va="top", fontsize=_TICK_SIZE - 1, color=_TEXT_GREY,
                    zorder=1, bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5})
            top *= 1.25  # headroom for the note; the kommuner are drawn over it, never under
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(ticker.LogLocator(base=10))
        # minor ticks at 2 and 5 of each decade (not 2–9): the log spacing still shows, and every tick is
        # an object matplotlib lays out and draws (≈ 0,12 s less per funnel figure, bench/README.md)
        ax.xaxis.set_minor_locator(ticker.LogLocator(base=10, subs=(2.0, 5.0)))
        ax.xaxis.set_major_formatter(swedish_formatter(0))
        ax.xaxis.set_minor_formatter(ticker.NullFormatter())
        ax.yaxis.set_major_formatter(_AutoSwedishFormatter())
        ax.set_ylim(0, top)
        _panel_title(ax, textwrap.fill(str(name), title_width), _TITLE_SIZE)
        if i + ncols >= len(names):  # the lowest panel of its column
            ax.set_xlabel("Folkmängd (logaritmisk skala)", fontsize=_TICK_SIZE)
        _tidy(ax)
        ax.tick_params(axis="x", labelsize=_TICK_SIZE - 1)
    for ax in axes.flat[len(names):]:
        fig.delaxes(ax)
    fig.supylabel(f"Anmälda brott per {fmt.number(per)} invånare", fontsize=_LABEL_SIZE)
    return fig, any_group, overlay


def _own_name(ax, label: str, x: float, y: float, xs: np.ndarray):
    """The own kommun's name beside its marker: to the right, or to the left in the panel's right part.

    On the left the name of a large kommun (Stockholm, far right on the log axis) stays in its panel. A white
    outline keeps the name readable where it crosses other kommuner's dots.
    """
    from matplotlib import patheffects

    lo, hi = float(np.nanmin(xs)), float(np.nanmax(xs))
    share = (math.log(x) - math.log(lo)) / (math.log(hi) - math.log(lo)) if hi > lo > 0 and x > 0 else 0.0
    left = share > 0.6
    return ax.annotate(label, (x, y), xytext=(-6 if left else 6, 5), textcoords="offset points",
                       ha="right" if left else "left", fontsize=_TICK_SIZE, fontweight="bold", color="black",
                       zorder=6, path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")])


def _funnel_legend(fig: Figure, own_label: str, group_label: str | None):
    """The legend shared by the panels, below them; ``group_label`` None leaves the group out."""
    def marker(style: dict, label: str) -> Line2D:
        return Line2D([], [], linestyle="none", marker=style["marker"], markersize=math.sqrt(style["s"]),
                      markerfacecolor=style["color"], markeredgecolor=style.get("edgecolors", style["color"]),
                      label=label)

    handles = [marker(_FUNNEL_OWN, own_label)]
    if group_label is not None:
        handles.append(marker(_FUNNEL_GROUP, group_label))
    handles += [
        marker(_FUNNEL_OTHER, "Övriga kommuner"),
        Line2D([], [], **{k: v for k, v in _FUNNEL_TARGET.items() if k != "zorder"}, label="Riket (alla kommuner)"),
        Line2D([], [], **{k: v for k, v in _FUNNEL_95.items() if k != "zorder"}, label=f"95{_PCT}-gränser"),
        Line2D([], [], **{k: v for k, v in _FUNNEL_998.items() if k != "zorder"}, label=f"99,8{_PCT}-gränser"),
    ]
    return fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False, fontsize=_TICK_SIZE,
                      handlelength=3)


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
