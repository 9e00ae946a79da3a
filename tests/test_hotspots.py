"""Tests of lagesbild.stats.hotspots: Getis-Ord Gi* hot spots and the hot-spot map that may be published."""

from __future__ import annotations

import math
import warnings

import geopandas as gpd
import numpy as np
import pytest

from lagesbild.stats import hotspots
from lagesbild.stats import spatial as sp

# ============================================================================================
# Gi* hot spots
# ============================================================================================


def _lattice(counts: np.ndarray) -> gpd.GeoDataFrame:
    """A complete lattice (rows from the south) with the given counts[row, col]."""
    nrows, ncols = counts.shape
    g = sp.grid_cells([0, (ncols - 1) * 100 + 50], [0, (nrows - 1) * 100 + 50], 100, margin_cells=0)
    g["antal"] = counts[g["row"], g["col"]].astype(np.int64)
    return g


def _gi_star_by_hand(counts: np.ndarray) -> np.ndarray:
    """Gi* z of Getis & Ord (1992) / Ord & Getis (1995) with binary queen weights and w_ii = 1
    (NaN where the neighbourhood is the whole lattice)."""
    nrows, ncols = counts.shape
    r, c = np.divmod(np.arange(nrows * ncols), ncols)
    w = ((np.abs(r[:, None] - r[None, :]) <= 1) & (np.abs(c[:, None] - c[None, :]) <= 1)).astype(float)
    x = counts.ravel().astype(float)
    n = len(x)
    xbar = x.mean()
    s = math.sqrt((x**2).sum() / n - xbar**2)
    wsum = w.sum(axis=1)
    num = w @ x - xbar * wsum
    den = s * np.sqrt((n * (w**2).sum(axis=1) - wsum**2) / (n - 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return (num / den).reshape(nrows, ncols)


# one high cell (row 2, col 2)
COUNTS_4X4 = np.array([
    [0, 1, 0, 1],
    [1, 2, 1, 0],
    [0, 1, 12, 2],
    [1, 0, 2, 1],
])

# a cluster of high cells around (2, 2) and an empty east side: hot and cold spots of every level
COUNTS_6X6 = np.array([
    [0, 0, 1, 2, 0, 0],
    [2, 5, 5, 6, 0, 0],
    [2, 4, 12, 4, 0, 0],
    [3, 5, 6, 7, 1, 1],
    [0, 0, 1, 2, 3, 0],
    [0, 0, 1, 0, 1, 1],
])


@pytest.mark.parametrize("counts", [COUNTS_4X4, COUNTS_6X6], ids=["4x4", "6x6"])
def test_gi_star_matches_hand_formula_and_esda(counts):
    from esda.getisord import G_Local
    from libpysal.weights import lat2W
    from scipy.stats import norm
    from statsmodels.stats.multitest import multipletests

    g = _lattice(counts)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = hotspots.hot_spots(g, permutations=199, seed=7)
    z = h["gi_z"].to_numpy()
    rows, cols = h["row"].to_numpy(), h["col"].to_numpy()

    hand = _gi_star_by_hand(counts)[rows, cols]
    np.testing.assert_allclose(z, hand, rtol=1e-10)

    nrows, ncols = counts.shape
    y = counts.ravel().astype(float)  # lat2W ids are row * ncols + col
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        ref = G_Local(y, lat2W(nrows, ncols, rook=False), transform="B", star=True, permutations=199, seed=7,
                      n_jobs=1)
    order = rows * ncols + cols
    np.testing.assert_allclose(z, ref.Zs[order], rtol=1e-12)
    np.testing.assert_allclose(h["p_norm"], 2 * norm.sf(np.abs(hand)), rtol=1e-9)
    np.testing.assert_allclose(h["p_sim"], np.minimum(1, 2 * ref.p_sim[order]), rtol=1e-6)
    reject, adjusted, _, _ = multipletests(2 * norm.sf(np.abs(hand)), alpha=0.05, method="fdr_bh")
    np.testing.assert_allclose(h["p_fdr"], adjusted, rtol=1e-9)
    assert h["het_fdr"].tolist() == (reject & (hand > 0)).tolist()


def test_gi_star_classes_follow_the_usual_cut_offs():
    g = _lattice(COUNTS_6X6)
    h = hotspots.hot_spots(g, permutations=0)
    hand = _gi_star_by_hand(COUNTS_6X6)[h["row"], h["col"]]
    high = h[(h["row"] == 2) & (h["col"] == 2)].iloc[0]
    assert high["gi_z"] > 2.576 and high["klass"] == "Het punkt (99 %)" and high["gi_bin"] == 3
    # two-sided normal p < 0.01 / 0.05 / 0.10 ⇔ |z| > 2.5758 / 1.9600 / 1.6449
    expected = np.select(
        [hand > 2.5758, hand > 1.9600, hand > 1.6449, hand < -2.5758, hand < -1.9600, hand < -1.6449],
        ["Het punkt (99 %)", "Het punkt (95 %)", "Het punkt (90 %)", "Kall punkt (99 %)", "Kall punkt (95 %)",
         "Kall punkt (90 %)"], "Inte signifikant")
    assert h["klass"].astype(str).tolist() == expected.tolist()
    assert len(set(expected)) == 6  # every level but the coldest occurs
    assert h["het_fdr"].sum() > 0 and not h.loc[h["het_fdr"], "klass"].astype(str).str.startswith("Kall").any()
    assert h["klass"].cat.ordered and list(h["klass"].cat.categories) == hotspots.HOT_SPOT_CLASSES


def test_gi_star_self_weight_is_one_in_esda():
    # what esda does with star=True and binary weights: the diagonal is filled with 1
    from esda.getisord import _infer_star_and_structure_w
    from libpysal.weights import lat2W

    w, star = _infer_star_and_structure_w(lat2W(3, 3, rook=False), True, "B")
    assert bool(star) and (w.sparse.diagonal() == 1).all()


def test_hot_spots_independent_of_row_order_and_keeps_columns():
    g = _lattice(COUNTS_4X4)
    h = hotspots.hot_spots(g, permutations=99)
    shuffled = g.sample(frac=1, random_state=3)
    hs = hotspots.hot_spots(shuffled, permutations=99)
    assert hs.index.tolist() == shuffled.index.tolist()
    a = h.set_index("cell_id")
    b = hs.set_index("cell_id").loc[a.index]
    np.testing.assert_allclose(a["gi_z"], b["gi_z"], rtol=1e-12)
    assert a["klass"].tolist() == b["klass"].tolist()
    assert {"cell_id", "antal", "geometry"} <= set(h.columns)


def test_hot_spots_seed_reproducible_and_global_rng_restored():
    g = _lattice(COUNTS_4X4)
    np.random.seed(0)
    expected = np.random.rand()
    np.random.seed(0)
    h1 = hotspots.hot_spots(g, permutations=99, seed=1)
    assert np.random.rand() == expected
    h2 = hotspots.hot_spots(g, permutations=99, seed=1)
    np.testing.assert_array_equal(h1["p_sim"], h2["p_sim"])
    assert (h1["p_sim"] >= 2 / 100).all() and set(np.round(h1["p_sim"] * 100 / 2, 9)) <= set(range(1, 51))
    assert hotspots.hot_spots(g, permutations=0)["p_sim"].isna().all()


@pytest.mark.parametrize("counts", [np.zeros((4, 4)), np.full((3, 5), 2), np.array([[0, 4]])])
def test_hot_spots_degenerate_grids(counts):
    g = _lattice(counts)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = hotspots.hot_spots(g)
    assert (h["klass"] == "Inte signifikant").all()
    assert h[["gi_z", "p_norm", "p_sim", "p_fdr"]].isna().all().all()
    assert not h["het_fdr"].any() and (h["gi_bin"] == 0).all()
    assert len(h.attrs["notes"]) == 1 and h.attrs["notes"][0] in ("too_few_cells", "all_cells_equal")
    assert h.attrs["undefined_cells"] == 0


def test_hot_spots_cell_whose_neighbourhood_is_everything():
    # one event, margin 1: a 3 × 3 lattice whose centre's neighbourhood is the whole lattice (0/0)
    g = sp.grid_counts([10.0], [10.0], 250)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = hotspots.hot_spots(g, permutations=99)
    centre = h[(h["row"] == 1) & (h["col"] == 1)].iloc[0]
    assert math.isnan(centre["gi_z"]) and centre["klass"] == "Inte signifikant"
    others = h[~((h["row"] == 1) & (h["col"] == 1))]
    np.testing.assert_allclose(others["gi_z"], _gi_star_by_hand(np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]]))
                               .ravel()[others["row"] * 3 + others["col"]], rtol=1e-10)
    assert h.attrs["notes"] == ["undefined_cells", "fewer_than_30_cells"] and h.attrs["undefined_cells"] == 1
    assert set(h.attrs["notes"]) <= set(hotspots.HOT_SPOT_NOTES)


def test_hot_spots_needs_complete_lattice():
    g = _lattice(COUNTS_4X4)
    with pytest.raises(ValueError, match="complete lattice"):
        hotspots.hot_spots(g[g["antal"] >= 3])
    with pytest.raises(ValueError, match="antal"):
        hotspots.hot_spots(g.drop(columns="antal"))
    with pytest.raises(ValueError, match="alpha"):
        hotspots.hot_spots(g, alpha=1.5)
    with pytest.raises(ValueError, match="permutations"):
        hotspots.hot_spots(g, permutations=-1)


def test_publishable_hot_spots_has_no_counts_or_scores():
    h = hotspots.hot_spots(_lattice(COUNTS_4X4), permutations=0)
    p = hotspots.publishable_hot_spots(h)
    assert list(p.columns) == ["cell_id", "row", "col", "gi_bin", "klass", "het_fdr", "geometry"]
    assert len(p) == 16 and p.attrs["cell_size"] == 100
    with pytest.raises(ValueError, match="hot_spots"):
        hotspots.publishable_hot_spots(_lattice(COUNTS_4X4))
