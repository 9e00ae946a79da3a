"""Tests of lagesbild.stats.spatial: grid, suppression, events per place (hot spots: test_hotspots.py,
concentration: test_concentration.py)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon, box

from lagesbild.stats import spatial as sp

NAN = float("nan")


# ============================================================================================
# Grid
# ============================================================================================


def test_grid_alignment_and_ids_on_hand_placed_points():
    # cell 250: (250,250) and (499,260) are in the cell with corner (250,250); (500,0) lies on the
    # west edge of the cell with corner (500,0), which holds it
    g = sp.grid_counts([250, 499, 500], [250, 260, 0], 250, margin_cells=0)
    assert g.crs.to_epsg() == 3006
    assert g[["cell_id", "row", "col", "antal"]].values.tolist() == [
        ["E250N0", 0, 0, 0],
        ["E500N0", 0, 1, 1],
        ["E250N250", 1, 0, 2],
        ["E500N250", 1, 1, 0],
    ]
    assert [geom.bounds for geom in g.geometry] == [
        (250, 0, 500, 250), (500, 0, 750, 250), (250, 250, 500, 500), (500, 250, 750, 500),
    ]
    assert list(g.index) == [0, 1, 2, 3]
    assert g.attrs["cell_size"] == 250 and (g.attrs["x0"], g.attrs["y0"]) == (250, 0)
    assert (g.attrs["nrows"], g.attrs["ncols"]) == (2, 2)


def test_grid_real_coordinates_and_margin():
    g = sp.grid_cells([674123.4], [6580987.6], 250, margin_cells=1)
    assert len(g) == 9
    centre = g[(g["row"] == 1) & (g["col"] == 1)].iloc[0]
    assert centre["cell_id"] == "E674000N6580750"
    assert centre.geometry.bounds == (674000, 6580750, 674250, 6581000)
    assert g["cell_id"].iloc[0] == "E673750N6580500"  # south-west corner cell
    g2 = sp.grid_cells([674123.4], [6580987.6], 1000, margin_cells=2)
    assert len(g2) == 25 and g2["cell_id"].iloc[12] == "E674000N6580000"


def test_grid_counts_include_zeros_and_drop_nan():
    x = [10, 20, 30, 760, NAN, 5, None]
    y = [10, 20, 30, 10, 5, NAN, 7]
    g = sp.grid_counts(x, y, 250, margin_cells=1)
    assert g.attrs["dropped"] == 3 and g.attrs["n_events"] == 4
    assert g["antal"].sum() == 4
    # lattice: columns -1..4 (x0 = -250), rows -1..1 → 6 × 3 cells, mostly empty
    assert len(g) == 18 and (g["antal"] == 0).sum() == 16
    assert g.set_index("cell_id").loc[["E0N0", "E750N0"], "antal"].tolist() == [3, 1]


def test_grid_counts_category_subcounts():
    by = pd.Series(["Belysning", "", "Annat", None, "Belysning"], dtype="str")
    g = sp.grid_counts(pd.Series([1.0, 2, 3, 300, 301]), pd.Series([1.0, 2, 3, 1, 1]), 250,
                       margin_cells=0, by=by)
    assert g.attrs["categories"] == ["Annat", "Belysning", "Uppgift saknas"]
    assert g[["cell_id", "antal", "Annat", "Belysning", "Uppgift saknas"]].values.tolist() == [
        ["E0N0", 3, 1, 1, 1],
        ["E250N0", 2, 0, 1, 1],
    ]
    # a categorical keeps its order and unused categories (as zero columns)
    cat = pd.Categorical(["b", "b"], categories=["b", "a"])
    g2 = sp.grid_counts([1, 2], [1, 2], 250, margin_cells=0, by=pd.Series(cat))
    assert g2.attrs["categories"] == ["b", "a"] and g2[["b", "a"]].values.tolist() == [[2, 0]]


def test_grid_category_of_dropped_event_is_not_counted():
    g = sp.grid_counts([1, NAN], [1, 1], 250, margin_cells=0, by=["a", "b"])
    assert g[["antal", "a", "b"]].values.tolist() == [[1, 1, 0]]


def test_grid_errors():
    for bad in (0, -250, 12.5, True, NAN, "250"):
        with pytest.raises(ValueError, match="cell_size"):
            sp.grid_cells([1], [1], bad)
    with pytest.raises(ValueError, match="margin_cells"):
        sp.grid_cells([1], [1], 250, margin_cells=-1)
    # a stray point 500 km away (e.g. swapped or mistyped coordinates)
    with pytest.raises(ValueError, match="increase the cell size"):
        sp.grid_cells([674000, 174000], [6580000, 6080000], 250)
    with pytest.raises(ValueError, match="`by`"):
        sp.grid_counts([1, 2], [1, 2], by=["a"])
    with pytest.raises(ValueError, match="different indexes"):
        sp.grid_counts(pd.Series([1.0, 2.0], index=[5, 6]), [1, 2], by=pd.Series(["a", "b"]))
    with pytest.raises(ValueError, match="collide"):
        sp.grid_counts([1], [1], by=["antal"])
    with pytest.raises(ValueError, match="equally long"):
        sp.grid_cells([1, 2], [1])


def test_grid_empty_input():
    g = sp.grid_cells([], [])
    assert len(g) == 0 and list(g.columns) == ["cell_id", "row", "col", "geometry"]
    assert g.crs.to_epsg() == 3006
    c = sp.grid_counts([NAN, NAN], [1, 2], by=["a", "b"])
    assert len(c) == 0 and c.attrs["dropped"] == 2 and "antal" in c.columns
    p = sp.publishable(c)
    assert len(p) == 0 and p.attrs["suppressed_cells"] == 0 and p.attrs["suppressed_events"] == 0


# ============================================================================================
# Suppression
# ============================================================================================


def _points_in_cells(cells_counts: dict[tuple[int, int], int], size: int = 250, seed: int = 1):
    """Points (not on cell corners) with the given count per (col, row) cell."""
    rng = np.random.default_rng(seed)
    xs, ys = [], []
    for (c, r), k in cells_counts.items():
        xs += list(c * size + rng.uniform(1, size - 1, k))
        ys += list(r * size + rng.uniform(1, size - 1, k))
    return np.array(xs), np.array(ys)


def test_publishable_drops_small_cells_and_reports_aggregate():
    x, y = _points_in_cells({(0, 0): 1, (1, 0): 2, (2, 0): 3, (3, 0): 5, (0, 1): 4})
    g = sp.grid_counts(x, y, 250, margin_cells=1)
    p = sp.publishable(g)
    assert sorted(p["antal"].tolist()) == [3, 4, 5]
    assert not p["antal"].between(1, 2).any()
    assert p.attrs["suppressed_cells"] == 2
    assert p.attrs["suppressed_events"] == 3 and "suppressed_events_text" not in p.attrs  # words are the report's
    assert p.attrs["min_count"] == 3


def test_publishable_suppressed_aggregate_below_three_is_not_given():
    x, y = _points_in_cells({(0, 0): 1, (5, 0): 4})
    p = sp.publishable(sp.grid_counts(x, y, 250))
    assert p.attrs["suppressed_cells"] == 1
    assert p.attrs["suppressed_events"] is None
    x, y = _points_in_cells({(0, 0): 4})
    p0 = sp.publishable(sp.grid_counts(x, y, 250))
    assert (p0.attrs["suppressed_cells"], p0.attrs["suppressed_events"]) == (0, 0)


def test_publishable_higher_threshold():
    x, y = _points_in_cells({(0, 0): 3, (1, 0): 4, (2, 0): 5})
    p = sp.publishable(sp.grid_counts(x, y, 250), min_count=5)
    assert p["antal"].tolist() == [5]
    assert p.attrs["suppressed_events"] == 7 and p.attrs["suppressed_cells"] == 2
    x, y = _points_in_cells({(0, 0): 3, (2, 0): 5})
    p = sp.publishable(sp.grid_counts(x, y, 250), min_count=5)
    assert p.attrs["suppressed_events"] is None and p.attrs["min_count"] == 5


@pytest.mark.parametrize("bad", [2, 1, 0, -3, 2.5, True, "3"])
def test_publishable_rule_cannot_be_weakened(bad):
    g = sp.grid_counts([1, 2, 3], [1, 2, 3])
    with pytest.raises(ValueError, match="min_count"):
        sp.publishable(g, min_count=bad)


def test_publishable_category_breakdown_never_reveals_one_or_two():
    x, y = _points_in_cells({(0, 0): 5, (1, 0): 6, (2, 0): 7})
    # cell (0,0): a 3 + b 2 → the whole breakdown is hidden (b alone would be 5 − 3 = 2);
    # cell (1,0): a 6 + b 0 → shown; cell (2,0): a 3 + b 4 → shown
    by = ["a"] * 3 + ["b"] * 2 + ["a"] * 6 + ["a"] * 3 + ["b"] * 4
    p = sp.publishable(sp.grid_counts(x, y, 250, margin_cells=0, by=by))
    assert p[["cell_id", "antal"]].values.tolist() == [["E0N0", 5], ["E250N0", 6], ["E500N0", 7]]
    assert p["a"].isna().tolist() == [True, False, False] and p["b"].isna().tolist() == [True, False, False]
    assert p[["a", "b"]].iloc[1:].values.tolist() == [[6, 0], [3, 4]]
    assert p.attrs["hidden_breakdown_cells"] == 1 and p.attrs["categories"] == ["a", "b"]


@pytest.mark.parametrize("seed", range(8))
def test_publishable_random_data_has_no_small_number_anywhere(seed):
    rng = np.random.default_rng(seed)
    n = 400
    x = rng.normal(674000, 600, n)
    y = rng.normal(6580000, 600, n)
    by = rng.choice(["Skadegörelse", "Belysning", "Annat"], n, p=[0.6, 0.3, 0.1])
    p = sp.publishable(sp.grid_counts(x, y, 250, by=by))
    numbers_shown = p[["antal", *p.attrs["categories"]]].to_numpy(dtype=float)
    shown = numbers_shown[~np.isnan(numbers_shown)]
    assert not ((shown >= 1) & (shown <= 2)).any()
    cats = p[p.attrs["categories"]]
    # a breakdown is shown whole or not at all, so nothing can be recovered by subtraction
    assert (cats.isna().all(axis=1) | cats.notna().all(axis=1)).all()
    shown_rows = cats.notna().all(axis=1)
    assert (cats[shown_rows].sum(axis=1) == p.loc[shown_rows, "antal"]).all()
    ev = p.attrs["suppressed_events"]
    assert ev is None or ev == 0 or ev >= 3


def test_publishable_geometry_holds_cell_corners_only():
    x, y = _points_in_cells({(2700, 26300): 4, (2701, 26300): 3, (2702, 26301): 1}, seed=7)
    assert not np.isin(x % 250, 0).any()
    p = sp.publishable(sp.grid_counts(x, y, 250))
    coords = shapely.get_coordinates(p.geometry.to_numpy())
    assert (coords % 250 == 0).all()
    inputs = set(zip(x.tolist(), y.tolist(), strict=True))
    assert not inputs & set(map(tuple, coords.tolist()))
    assert set(p.geometry.geom_type) == {"Polygon"}
    assert list(p.columns) == ["cell_id", "row", "col", "antal", "geometry"]


def test_publishable_refuses_points_and_unaligned_shapes():
    pts = gpd.GeoDataFrame({"cell_id": ["a"], "row": [0], "col": [0], "antal": [5]},
                           geometry=gpd.points_from_xy([674010.5], [6580020.5]), crs=3006)
    with pytest.raises(ValueError, match="grid cells"):
        sp.publishable(pts)
    shifted = sp.grid_counts(*_points_in_cells({(0, 0): 4}))
    shifted["geometry"] = shifted.geometry.translate(3.0, 0.0)
    with pytest.raises(ValueError, match="aligned"):
        sp.publishable(shifted)
    with pytest.raises(ValueError, match="antal"):
        sp.publishable(sp.grid_cells([1], [1]))
    with pytest.raises(ValueError, match="EPSG:3006"):
        sp.publishable(sp.grid_counts(*_points_in_cells({(0, 0): 4})).set_crs(3857, allow_override=True))


def test_publishable_whitelists_columns():
    x, y = _points_in_cells({(0, 0): 4})
    g = sp.grid_counts(x, y, 250, margin_cells=0, by=["a"] * 4)
    g["forsta_x"] = x[0]  # something that must not leak
    p = sp.publishable(g)
    assert "forsta_x" not in p.columns and p.attrs["dropped_columns"] == ["forsta_x"]
    g.attrs.pop("categories")  # without the list of categories their columns are left out too
    p2 = sp.publishable(g)
    assert list(p2.columns) == ["cell_id", "row", "col", "antal", "geometry"]
    assert set(p2.attrs["dropped_columns"]) == {"a", "forsta_x"}


# ============================================================================================
# Events and places
# ============================================================================================


def _places():
    return gpd.GeoDataFrame(
        {"plats_id": ["P1", "P2", "P3"], "namn": ["Torget", "Parken", "Stationen"]},
        geometry=[box(0, 0, 100, 100), box(50, 50, 150, 150), box(1000, 1000, 1100, 1100)],
        crs=3006,
    )


def _events():
    return pd.DataFrame(
        {
            "plats_id": pd.array(["P3", "", "", "", "P9", pd.NA, "P1", ""], dtype="str"),
            "x": [NAN, 10, 75, 500, NAN, NAN, 1050, 100],
            "y": [NAN, 10, 75, 500, NAN, NAN, 1050, 10],
            "kategori": ["a", "b", "a", "a", "b", "a", "b", "a"],
        },
        index=range(2, 10),  # spreadsheet rows
    )


def test_events_per_place():
    out = sp.events_per_place(_places(), _events())
    # row 2: P3 by id; row 3: inside P1; row 4: inside P1 and P2 (overlap, counts for both);
    # row 8: P1 by id although its point lies in P3; rows 5 (no place), 6 (unknown id P9),
    # 7 (nothing) and 9 (on P1's edge: not "within") match nothing
    assert list(zip(out.index, out["plats_id_tilldelad"], out["tilldelad_via"], strict=True)) == [
        (2, "P3", "plats_id"),
        (3, "P1", "position"),
        (4, "P1", "position"),
        (4, "P2", "position"),
        (8, "P1", "plats_id"),
    ]
    assert out.groupby("plats_id_tilldelad").size().to_dict() == {"P1": 3, "P2": 1, "P3": 1}
    assert out.groupby(["plats_id_tilldelad", "kategori"]).size().to_dict() == {
        ("P1", "a"): 1, ("P1", "b"): 2, ("P2", "a"): 1, ("P3", "a"): 1}
    assert out.attrs["unmatched"] == 4 and out.attrs["unknown_place_ids"] == ["P9"]
    assert list(out.columns[:4]) == ["plats_id", "x", "y", "kategori"]


def test_events_per_place_nothing_matches():
    ev = pd.DataFrame({"plats_id": pd.array([""], dtype="str"), "x": [5000.0], "y": [5000.0]})
    out = sp.events_per_place(_places(), ev)
    assert len(out) == 0 and "plats_id_tilldelad" in out.columns and out.attrs["unmatched"] == 1


def test_events_per_place_input_errors():
    with pytest.raises(ValueError, match="EPSG:3006"):
        sp.events_per_place(_places().to_crs(4326), _events())
    dup = _places()
    dup["plats_id"] = ["P1", "P1", "P3"]
    with pytest.raises(ValueError, match="unique"):
        sp.events_per_place(dup, _events())
    with pytest.raises(ValueError, match="'x'"):
        sp.events_per_place(_places(), _events().drop(columns="x"))


def test_place_point_uses_representative_point_inside_the_polygon():
    # an L-shaped place whose centroid lies outside it
    ell = Polygon([(0, 0), (300, 0), (300, 50), (50, 50), (50, 300), (0, 300)])
    places = gpd.GeoDataFrame({"plats_id": ["L", "Q"]}, geometry=[ell, box(1000, 0, 1100, 100)], crs=3006)
    assert not ell.contains(ell.centroid)
    events = pd.DataFrame({"plats_id": pd.array(["L", "Q", "", "X"], dtype="str"),
                           "x": [NAN, 1010.0, NAN, NAN], "y": [NAN, 20.0, NAN, NAN]})
    out = sp.place_point(places, events)
    rp = ell.representative_point()
    assert (out.loc[0, "x"], out.loc[0, "y"]) == (rp.x, rp.y) and ell.contains(rp)
    assert (out.loc[1, "x"], out.loc[1, "y"]) == (1010.0, 20.0)  # own position kept
    assert out[["x", "y"]].iloc[2:].isna().all().all()  # no id / unknown id: still no position
    assert out["xy_fran_plats"].tolist() == [True, False, False, False] and out.attrs["filled"] == 1
    assert events["x"].isna().sum() == 3  # the input is not changed
    # on the grid the event lands in the cell of the representative point
    g = sp.grid_counts(out["x"], out["y"], 250, margin_cells=0)
    cell = g[g["antal"] > 0].set_index("cell_id")["antal"]
    expected_id = f"E{int(rp.x // 250) * 250}N{int(rp.y // 250) * 250}"
    assert cell[expected_id] == 1 and g.attrs["dropped"] == 2


def test_the_old_module_still_answers_for_the_names_it_gave_away():
    """``lagesbild.spatial`` (stats.spatial) forwards what moved to hotspots and concentration."""
    from lagesbild import spatial as old
    from lagesbild.stats import concentration, hotspots

    assert old.hot_spots is hotspots.hot_spots and old.HOT_SPOT_CLASSES is hotspots.HOT_SPOT_CLASSES
    assert old.gini is concentration.gini and old.concentration_summary is concentration.concentration_summary
    with pytest.raises(AttributeError, match="nor has lagesbild.stats.hotspots"):
        old.no_such_name  # noqa: B018
