"""Charts of the place assessment (``notebooks/place_assessment.ipynb``).

``factor_profile``   a place's scores on the assessment's factors, weak ones marked, the previous
                     inspection's score beside each
``lorenz_curve``     how concentrated events are among grid cells (or places)

Their alt texts are in :mod:`lagesbild.places.text`; the heatmap of a place's events by weekday and hour
is :func:`lagesbild.render.charts.events.weekday_hour`.
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
from lagesbild.render.charts.style import (
    _LABEL_SIZE,
    _TEXT_GREY,
    _TICK_SIZE,
    GREY,
    PALETTE,
    _new_axes,
    _require_columns,
    _tidy,
)

__all__ = [
    "factor_profile",
    "lorenz_curve",
]

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
