"""Charts of the project evaluation (``notebooks/project_evaluation.ipynb``).

``estimate_intervals``   effect estimates with their confidence intervals against the line of no
                         effect (the Weighted Displacement Difference of a before/after comparison)

Its alt text is in :mod:`lagesbild.projects.text` (``effect_alt``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from lagesbild.core import fmt
from lagesbild.render.charts.style import (
    _LABEL_SIZE,
    _TEXT_GREY,
    _TICK_SIZE,
    PALETTE,
    _AutoSwedishFormatter,
    _new_axes,
    _require_columns,
    _tidy,
)

__all__ = [
    "estimate_intervals",
]

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
