"""How concentrated events are over grid cells (or places): Lorenz curve, Gini, top shares.

* :func:`lorenz`, :func:`gini`, :func:`gini_generalized`, :func:`top_share` and
  :func:`concentration_summary` describe how concentrated events are over cells (or places).

Every figure depends on which cells are counted: use the complete lattice including cells without
events (``grid_counts(...)["antal"]`` of :mod:`lagesbild.stats.spatial`), and the same lattice when
comparing.

inequality is imported inside the function that needs it, so ``import lagesbild.stats.concentration``
stays fast.

References
----------
Bernasco, W. & Steenbeek, W. (2017). More places than crimes: implications for evaluating the law
of crime concentration at place. *Journal of Quantitative Criminology* 33(3), 451–467.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from lagesbild.core.fmt import plain

# ============================================================================================
# Concentration
# ============================================================================================


def _counts(counts: ArrayLike, *, integer: bool = False) -> np.ndarray:
    a = np.asarray(pd.to_numeric(pd.Series(np.asarray(counts, dtype=object).ravel()), errors="raise"),
                   dtype=float)
    if not np.isfinite(a).all() or (a < 0).any():
        raise ValueError("Counts must be finite and ≥ 0 (no missing values).")
    if integer and not np.array_equal(a, np.round(a)):
        raise ValueError("Counts must be whole numbers of events.")
    return a


def lorenz(counts: ArrayLike) -> pd.DataFrame:
    """Points of the Lorenz curve of events over cells (or places).

    Standard (ascending) Lorenz convention: cells sorted from fewest to most events; the curve
    runs from (0, 0) to (1, 1) below the diagonal, and the further below, the more concentrated.
    (Crime-and-place papers often plot the descending form instead, from the cells with most
    events; it is this curve rotated by 180° about (0,5; 0,5).)

    The result depends on which cells are counted: use the complete lattice including cells
    without events (``grid_counts(...)["antal"]``), and the same lattice when comparing.

    Parameters
    ----------
    counts : array-like of int
        Events per cell, ≥ 0.

    Returns
    -------
    pandas.DataFrame
        ``n + 1`` rows: ``andel_rutor`` (share of cells, ``k / n``) and ``andel_handelser``
        (share of events in the ``k`` cells with fewest events), starting with (0, 0). With no
        events the event shares are NaN; with no cells the frame is empty.

    Raises
    ------
    ValueError
        If a count is negative or missing.

    Examples
    --------
    >>> lorenz([0, 3, 1]).values.tolist()
    [[0.0, 0.0], [0.3333333333333333, 0.0], [0.6666666666666666, 0.25], [1.0, 1.0]]
    """
    a = np.sort(_counts(counts))
    n = len(a)
    if n == 0:
        return pd.DataFrame({"andel_rutor": pd.Series(dtype=float), "andel_handelser": pd.Series(dtype=float)})
    total = a.sum()
    cum = np.r_[0.0, np.cumsum(a)]
    shares = cum / total if total > 0 else np.r_[0.0, np.full(n, np.nan)]
    return pd.DataFrame({"andel_rutor": np.arange(n + 1) / n, "andel_handelser": shares})


def gini(counts: ArrayLike) -> float:
    """Gini coefficient of events over cells (``inequality.gini.Gini``).

    ``G = Σ_i (2i − n − 1) x_(i) / (n Σ x)`` with the counts sorted ascending (the "biased" Gini,
    twice the area between the Lorenz curve and the diagonal). 0 when every cell has as many
    events; at most ``(n − 1) / n`` when all events are in one cell.

    The result depends on which cells are counted (use the complete lattice including zeros). When
    there are fewer events than cells the Gini cannot be low even if events are spread out as much
    as possible; see :func:`gini_generalized`.

    Parameters
    ----------
    counts : array-like of int
        Events per cell, ≥ 0.

    Returns
    -------
    float
        The Gini coefficient; NaN with no cells or no events.

    Raises
    ------
    ValueError
        If a count is negative or missing.

    Examples
    --------
    >>> gini([0, 0, 0, 10])
    0.75
    >>> gini([1, 1, 1, 1])
    0.0
    """
    a = _counts(counts)
    if len(a) == 0 or a.sum() == 0:
        return float("nan")
    from inequality.gini import Gini

    return float(Gini(a).g)


def gini_generalized(counts: ArrayLike) -> float:
    """Generalized Gini of Bernasco & Steenbeek (2017) for when events are fewer than cells.

    With ``N`` events and ``n`` cells, ``G' = max(1, n / N) × (G − 1) + 1``, where ``G`` is
    :func:`gini`. It compares the Lorenz curve with the line of *maximal attainable* equality
    (each event in its own cell: from (0, 0) to (N / n, 1) in the descending form) instead of
    the diagonal, so five events in five different cells out of ten give 0, not 0.5. With
    ``N ≥ n`` it equals :func:`gini`. This is the "biased" generalized Gini
    (``gini(x, generalized = TRUE, unbiased = FALSE)`` of the authors' R package *lorenzgini*).

    Parameters
    ----------
    counts : array-like of int
        Events per cell, whole numbers ≥ 0.

    Returns
    -------
    float
        NaN with no cells or no events.

    Raises
    ------
    ValueError
        If a count is negative, missing or not a whole number.

    Examples
    --------
    >>> round(gini_generalized([5, 2, 1, 0, 0, 0, 0, 0, 0, 0]), 10)  # lorenzgini's example: 0.75
    0.75
    >>> round(gini_generalized([1, 1, 1, 1, 1, 0, 0, 0, 0, 0]), 10)
    0.0
    """
    a = _counts(counts, integer=True)
    g = gini(a)
    if math.isnan(g):
        return g
    return float(max(1.0, len(a) / a.sum()) * (g - 1.0) + 1.0)


def _top_k(n: int, share: float) -> int:
    # round() first so that e.g. 0.1 × 30 = 3.0000000000000004 counts as 3 cells, not 4
    return max(1, math.ceil(round(share * n, 9)))


def top_share(counts: ArrayLike, share: float = 0.1) -> float:
    """Share of events in the ``share`` fraction of cells with most events.

    The top group is ``ceil(share × n)`` cells (at least one), so with 25 cells the top 10 % is
    3 cells (12 %). Ties do not matter: the group's total is the same whichever tied cell is taken.
    The result depends on which cells are counted (use the complete lattice including zeros).

    Parameters
    ----------
    counts : array-like of int
        Events per cell, ≥ 0.
    share : float, default 0.1
        Fraction of cells, in (0, 1].

    Returns
    -------
    float
        Share of all events, 0–1; NaN with no cells or no events.

    Raises
    ------
    ValueError
        If ``share`` is not in (0, 1] or a count is negative or missing.

    Examples
    --------
    >>> top_share([5, 3, 1, 1, 0, 0, 0, 0, 0, 0], 0.1)
    0.5
    >>> top_share([5, 3, 1, 1, 0, 0, 0, 0, 0, 0], 0.2)
    0.8
    """
    if not (isinstance(share, numbers.Real) and 0 < share <= 1):
        raise ValueError(f"share must be in (0, 1], got {plain(share)}.")
    a = _counts(counts)
    if len(a) == 0 or a.sum() == 0:
        return float("nan")
    top = np.sort(a)[::-1][: _top_k(len(a), share)]
    return float(top.sum() / a.sum())


def concentration_summary(counts: ArrayLike) -> dict:
    """Key figures of how concentrated events are over cells.

    All figures depend on which cells are counted: use the complete lattice including cells
    without events (``grid_counts(...)["antal"]``), the same lattice when comparing years.

    Parameters
    ----------
    counts : array-like of int
        Events per cell, whole numbers ≥ 0.

    Returns
    -------
    dict
        ``gini`` (:func:`gini`), ``gini_generalized`` (:func:`gini_generalized`), ``top10`` and
        ``top20`` (:func:`top_share` at 0.1 and 0.2), ``n_cells``, ``n_cells_with_events``,
        ``n_events`` and ``share_cells_50``: the smallest share of cells (those with most events)
        that holds at least half of the events. Shares are 0–1; NaN with no events.

    Raises
    ------
    ValueError
        If a count is negative, missing or not a whole number.

    Examples
    --------
    >>> s = concentration_summary([5, 3, 1, 1, 0, 0, 0, 0, 0, 0])
    >>> s["top10"], s["share_cells_50"], s["n_cells_with_events"], round(s["gini"], 2)
    (0.5, 0.1, 4, 0.74)
    """
    a = _counts(counts, integer=True)
    n, total = len(a), float(a.sum())
    if n and total > 0:
        cum = np.cumsum(np.sort(a)[::-1])
        half = int(np.searchsorted(cum, total / 2, side="left")) + 1
        share_50 = half / n
    else:
        share_50 = float("nan")
    return {
        "gini": gini(a),
        "gini_generalized": gini_generalized(a),
        "top10": top_share(a, 0.1),
        "top20": top_share(a, 0.2),
        "n_cells": n,
        "n_cells_with_events": int((a > 0).sum()),
        "n_events": int(total),
        "share_cells_50": share_50,
    }
