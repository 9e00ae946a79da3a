"""Hot and cold spots: Getis-Ord Gi* on the lattice of event counts, and a hot-spot map safe to publish.

Everything works in SWEREF 99 TM (EPSG:3006, metres), on the lattice of :mod:`lagesbild.stats.spatial`.

* :func:`hot_spots` runs Getis-Ord Gi* (``esda.G_Local`` with ``star=True``) on the complete lattice
  (:func:`lagesbild.stats.spatial.grid_counts`).
* :func:`publishable_hot_spots` is the only way a hot-spot map leaves the analysis: classes only, no
  counts, no z-scores (as :func:`lagesbild.stats.spatial.publishable` is for the counts).

esda, libpysal and statsmodels are imported inside the functions that need them, so
``import lagesbild.stats.hotspots`` stays reasonably fast.

References
----------
Getis, A. & Ord, J. K. (1992). The analysis of spatial association by use of distance statistics.
*Geographical Analysis* 24(3), 189–206.

Ord, J. K. & Getis, A. (1995). Local spatial autocorrelation statistics: distributional issues and
an application. *Geographical Analysis* 27(4), 286–306.

Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate: a practical and powerful
approach to multiple testing. *Journal of the Royal Statistical Society B* 57(1), 289–300.
"""

from __future__ import annotations

import numbers
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd

from lagesbild.core.fmt import plain
from lagesbild.stats.spatial import _BASE_COLUMNS, _check_lattice_geometry, _non_negative_int

#: Codes of ``attrs["notes"]`` of :func:`hot_spots`: fewer than 3 cells (nothing marked), every cell with the
#: same count (nothing to find), cells whose neighbourhood is the whole lattice (Gi* undefined there, counted
#: as not significant), fewer than 30 cells (the result is uncertain).
HOT_SPOT_NOTES = ("too_few_cells", "all_cells_equal", "undefined_cells", "fewer_than_30_cells")

#: Hot-spot classes from cold to hot, the categories of the ``klass`` column of :func:`hot_spots`: labels
#: of the values, like the categories of the events, not sentences.
HOT_SPOT_CLASSES = [
    "Kall punkt (99 %)",
    "Kall punkt (95 %)",
    "Kall punkt (90 %)",
    "Inte signifikant",
    "Het punkt (90 %)",
    "Het punkt (95 %)",
    "Het punkt (99 %)",
]


# ============================================================================================
# Hot spots: Getis-Ord Gi*
# ============================================================================================


def _lattice_positions(grid: pd.DataFrame) -> tuple[np.ndarray, int, int]:
    """Position ``row * ncols + col`` of every row of a complete lattice, and (nrows, ncols)."""
    for column in ("row", "col", "antal"):
        if column not in grid.columns:
            raise ValueError(f"The grid has no {plain(column)} column; build it with grid_counts().")
    rows = grid["row"].to_numpy(dtype=np.int64)
    cols = grid["col"].to_numpy(dtype=np.int64)
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64), 0, 0
    nrows, ncols = int(rows.max()) + 1, int(cols.max()) + 1
    pos = rows * ncols + cols
    if rows.min() < 0 or cols.min() < 0 or len(pos) != nrows * ncols or len(np.unique(pos)) != len(pos):
        raise ValueError("Hot spots need the complete lattice (every row × col once, zeros included) "
                         "as returned by grid_counts(), not a filtered or published grid.")
    return pos, nrows, ncols


def _classify(z: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Gi_Bin-style class −3…3 from the two-sided normal p and the sign of z (0 where undefined)."""
    level = np.zeros(len(z), dtype=np.int64)
    finite = np.isfinite(z) & np.isfinite(p)
    for threshold, value in ((0.10, 1), (0.05, 2), (0.01, 3)):
        level[finite & (p < threshold)] = value
    return level * np.sign(np.where(finite, z, 0)).astype(np.int64)


def hot_spots(
    grid: pd.DataFrame,
    *,
    permutations: int = 999,
    seed: int | None = 12345,
    alpha: float = 0.05,
) -> gpd.GeoDataFrame:
    """Getis-Ord Gi* hot and cold spots on the complete lattice of event counts.

    Gi* (``esda.G_Local(star=True)``) compares the events in each cell *and its neighbours* with
    what the whole lattice would give if events were spread at random over it.

    Weights: queen contiguity on the lattice (``libpysal.weights.lat2W(rook=False)``: the up to
    eight cells sharing an edge or a corner), binary and not row-standardised
    (``transform="B"``), as in Getis & Ord's Gi* and the common GIS hot-spot tools. With
    ``star=True`` and binary weights esda sets the self-weight ``w_ii = 1``, so the neighbourhood
    of an inner cell is 3 × 3 = 9 cells (6 on an edge, 4 in a corner), and the mean and variance
    are taken over all ``n`` cells including cell ``i``. The z-score is then

    ``z_i = (Σ_j w_ij x_j − x̄ Σ_j w_ij) / (S √((n Σ_j w_ij² − (Σ_j w_ij)²) / (n − 1)))``,
    ``S² = Σ_j x_j² / n − x̄²`` (Ord & Getis 1995), which is what esda computes.

    Parameters
    ----------
    grid : pandas.DataFrame or geopandas.GeoDataFrame
        The complete lattice from :func:`lagesbild.stats.spatial.grid_counts` (needs ``row``, ``col``,
        ``antal``; every cell once, zeros included — not the output of
        :func:`lagesbild.stats.spatial.publishable`).
    permutations : int, default 999
        Conditional permutations for ``p_sim``; 0 skips them (``p_sim`` is then NaN).
    seed : int or None, default 12345
        Seed of esda's permutations (same seed, same ``p_sim``). numpy's global random state,
        which esda reseeds, is restored afterwards.
    alpha : float, default 0.05
        False discovery rate for ``het_fdr``.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy of ``grid`` with:

        ``gi_z``
            Gi* z-score (``esda.G_Local.Zs``).
        ``p_norm``
            Two-sided p under the normal approximation, ``2 × (1 − Φ(|z|))`` (esda's ``p_norm``
            is one-sided and is doubled).
        ``p_sim``
            Two-sided permutation pseudo p: ``min(1, 2 × esda's p_sim)``, where esda's p_sim is
            ``(min(#sim ≥ obs, #sim < obs) + 1) / (permutations + 1)`` (one-sided, towards the
            observed tail). The smallest possible value is ``2 / (permutations + 1)``.
        ``p_fdr``
            Benjamini–Hochberg adjusted ``p_norm`` (``statsmodels.stats.multitest.multipletests``,
            ``method="fdr_bh"``) over the cells where z is defined.
        ``gi_bin``
            −3…3 as ArcGIS's Gi_Bin: ±3 if ``p_norm < 0.01``, ±2 if ``< 0.05``, ±1 if ``< 0.10``
            (|z| above about 2.58, 1.96, 1.65), the sign of z; 0 otherwise.
        ``klass``
            Swedish label of ``gi_bin`` (ordered categorical, :data:`HOT_SPOT_CLASSES`):
            ``"Het punkt (99 %)"`` … ``"Inte signifikant"`` … ``"Kall punkt (99 %)"``. The bins
            are not corrected for multiple testing; ``het_fdr`` is.
        ``het_fdr``
            Hot spot (z > 0) that stays significant after the FDR correction at ``alpha``.

        ``attrs["notes"]`` lists codes of :data:`HOT_SPOT_NOTES` (degenerate input, cells whose z is
        undefined, fewer than 30 cells) and ``attrs["undefined_cells"]`` the number of cells whose z is
        undefined; ``attrs`` also holds ``weights``, ``permutations``, ``seed`` and ``alpha``.

    Raises
    ------
    ValueError
        If the grid is not a complete lattice, ``permutations`` is negative or ``alpha`` is not
        in (0, 1).

    Notes
    -----
    Degenerate cases do not raise: with fewer than 3 cells, or all counts equal (e.g. all zero),
    every cell is "Inte signifikant" with NaN z and p. A cell whose neighbourhood is the whole
    lattice (the centre of a 3 × 3 lattice) has an undefined z (0/0) and is treated the same.

    The result holds ``antal`` and exact z-scores, from which small counts can be recovered: it
    is for the analysis; publish a hot-spot map through :func:`publishable_hot_spots`.

    Examples
    --------
    >>> import numpy as np
    >>> from lagesbild.stats.spatial import grid_counts
    >>> xs = np.r_[np.full(12, 1125.0), np.arange(0, 2500, 250.0) + 10]
    >>> ys = np.r_[np.full(12, 1125.0), np.arange(0, 2500, 250.0) + 10]
    >>> h = hot_spots(grid_counts(xs, ys, 250), permutations=99)
    >>> h.loc[h["antal"] == 13, ["cell_id", "klass"]].values.tolist()
    [['E1000N1000', 'Het punkt (99 %)']]
    >>> hot_spots(grid_counts([10.0], [10.0]), permutations=0)["klass"].unique().tolist()
    ['Inte signifikant']
    """
    permutations = _non_negative_int(permutations, "permutations")
    if not (isinstance(alpha, numbers.Real) and 0 < alpha < 1):
        raise ValueError(f"alpha must be between 0 and 1, got {plain(alpha)}.")
    pos, nrows, ncols = _lattice_positions(grid)
    n = len(pos)
    y = np.empty(n, dtype=float)
    y[pos] = pd.to_numeric(grid["antal"]).to_numpy(dtype=float)
    if not np.isfinite(y).all() or (y < 0).any():
        raise ValueError("'antal' must be counts ≥ 0 without missing values.")

    z = np.full(n, np.nan)
    p_norm = np.full(n, np.nan)
    p_sim = np.full(n, np.nan)
    notes: list[str] = []
    undefined = 0
    if n < 3:
        notes.append("too_few_cells")
    elif np.ptp(y) == 0:
        notes.append("all_cells_equal")
    else:
        z, p_norm, p_sim, undefined = _gi_star(y, nrows, ncols, permutations, seed)
        if undefined:
            notes.append("undefined_cells")
        if n < 30:
            notes.append("fewer_than_30_cells")

    p_fdr = np.full(n, np.nan)
    reject = np.zeros(n, dtype=bool)
    finite = np.isfinite(p_norm)
    if finite.any():
        from statsmodels.stats.multitest import multipletests

        rej, adjusted, _, _ = multipletests(p_norm[finite], alpha=alpha, method="fdr_bh")
        p_fdr[finite] = adjusted
        reject[finite] = rej
    gi_bin = _classify(z, p_norm)

    out = grid.copy()
    out["gi_z"] = z[pos]
    out["p_norm"] = p_norm[pos]
    out["p_sim"] = p_sim[pos]
    out["p_fdr"] = p_fdr[pos]
    out["gi_bin"] = gi_bin[pos]
    labels = np.array(HOT_SPOT_CLASSES, dtype=object)[gi_bin[pos] + 3]
    out["klass"] = pd.Categorical(labels, categories=HOT_SPOT_CLASSES, ordered=True)
    out["het_fdr"] = (reject & (np.nan_to_num(z) > 0))[pos]
    out.attrs.update(
        notes=notes,
        undefined_cells=int(undefined),
        weights="queen contiguity (lat2W rook=False), binary, self-weight 1 (Gi*)",
        permutations=permutations,
        seed=seed,
        alpha=alpha,
    )
    return out


def _gi_star(y: np.ndarray, nrows: int, ncols: int, permutations: int, seed: int | None):
    """esda Gi* on a lattice in row-major order: (z, two-sided p_norm, two-sided p_sim, n undefined)."""
    with warnings.catch_warnings():
        # Importing esda imports tqdm.auto (esda.moran_local_mv), which in a Jupyter kernel without
        # ipywidgets warns "IProgress not found" on stderr, and the warning would land in the report.
        # We never show a progress bar from esda, so this one import-time warning is dropped.
        warnings.filterwarnings("ignore", message="IProgress not found")
        from esda.getisord import G_Local
    from libpysal.weights import lat2W

    w = lat2W(nrows, ncols, rook=False)
    w.transform = "B"
    state = np.random.get_state()
    try:
        with warnings.catch_warnings():
            # esda announces that crand's default alternative will change; we use today's
            # "directed" p_sim and document how it is made two-sided.
            warnings.filterwarnings("ignore", message="The alternative hypothesis for conditional",
                                    category=DeprecationWarning)
            with np.errstate(divide="ignore", invalid="ignore"):
                g = G_Local(y, w, transform="B", star=True, permutations=permutations, seed=seed,
                            n_jobs=1, keep_simulations=False)
    finally:
        np.random.set_state(state)
    n = len(y)
    # Σ_j w_ij including the self-weight; a neighbourhood that is the whole lattice gives 0/0.
    cardinality = np.asarray(w.sparse.sum(axis=1)).ravel() + 1
    undefined = cardinality >= n
    z = np.where(undefined, np.nan, g.Zs)
    p_norm = np.where(undefined, np.nan, 2.0 * g.p_norm)
    if permutations:
        # esda keeps p_sim = (k + 1) / (permutations + 1) in float32; recover the exact fraction
        p_one = np.round(np.asarray(g.p_sim, dtype=float) * (permutations + 1)) / (permutations + 1)
        p_sim = np.where(undefined, np.nan, np.minimum(1.0, 2.0 * p_one))
    else:
        p_sim = np.full(n, np.nan)
    return z, p_norm, p_sim, int(undefined.sum())


def publishable_hot_spots(hot: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A hot-spot map that may be published: cell polygons and classes, no counts or z-scores.

    Exact z-scores of all cells, or the counts, would let a reader recover the small counts of
    single cells; the classes describe a neighbourhood of up to nine cells and are shown for
    every cell of the lattice.

    Parameters
    ----------
    hot : geopandas.GeoDataFrame
        Output of :func:`hot_spots`.

    Returns
    -------
    geopandas.GeoDataFrame
        ``cell_id``, ``row``, ``col``, ``gi_bin``, ``klass``, ``het_fdr`` and the cell polygons;
        ``attrs``: ``cell_size``, ``notes``.

    Raises
    ------
    ValueError
        If a column is missing or a geometry is not an aligned grid cell.

    Examples
    --------
    >>> from lagesbild.stats.spatial import grid_counts
    >>> h = hot_spots(grid_counts([10.0, 20.0], [10.0, 20.0]), permutations=0)
    >>> list(publishable_hot_spots(h).columns)
    ['cell_id', 'row', 'col', 'gi_bin', 'klass', 'het_fdr', 'geometry']
    """
    columns = [*_BASE_COLUMNS, "gi_bin", "klass", "het_fdr"]
    missing = [c for c in columns if c not in hot.columns]
    if missing or not isinstance(hot, gpd.GeoDataFrame):
        raise ValueError(f"publishable_hot_spots() takes the output of hot_spots(); missing {missing}.")
    size = _check_lattice_geometry(hot)
    out = hot[columns + ["geometry"]].copy()
    out.attrs = {"cell_size": size, "notes": list(hot.attrs.get("notes", []))}
    return out
