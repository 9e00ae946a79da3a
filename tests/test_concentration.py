"""Tests of lagesbild.stats.concentration: Lorenz curve, Gini, generalized Gini, top shares."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lagesbild.stats import concentration as conc

NAN = float("nan")


# ============================================================================================
# Concentration
# ============================================================================================


def test_gini_hand_values():
    assert conc.gini([0, 0, 0, 10]) == pytest.approx(0.75)  # (2·4·10 − 5·10) / (4·10)
    assert conc.gini([1, 1, 1, 1]) == 0.0
    assert conc.gini([1, 2, 3]) == pytest.approx(4 / 18)  # (2·(1+4+9) − 4·6) / (3·6)
    assert math.isnan(conc.gini([0, 0])) and math.isnan(conc.gini([]))


def test_gini_equals_inequality_and_twice_the_lorenz_area():
    from inequality.gini import Gini

    counts = np.random.default_rng(5).poisson(0.7, 300)
    assert conc.gini(counts) == pytest.approx(Gini(counts.astype(float)).g, abs=1e-12)
    lz = conc.lorenz(counts)
    area = np.sum(np.diff(lz["andel_rutor"]) * (lz["andel_handelser"].iloc[:-1].to_numpy()
                                                  + lz["andel_handelser"].iloc[1:].to_numpy()) / 2)
    assert conc.gini(counts) == pytest.approx(1 - 2 * area, abs=1e-12)


def test_lorenz_points():
    lz = conc.lorenz([0, 3, 1])
    assert list(lz.columns) == ["andel_rutor", "andel_handelser"]
    np.testing.assert_allclose(lz.to_numpy(), [[0, 0], [1 / 3, 0], [2 / 3, 0.25], [1, 1]])
    allzero = conc.lorenz([0, 0])
    assert allzero["andel_handelser"].iloc[0] == 0 and allzero["andel_handelser"].iloc[1:].isna().all()
    assert len(conc.lorenz([])) == 0


def test_generalized_gini():
    # the example of the authors' R package lorenzgini: 8 crimes over 10 units, G = 0.8, G' = 0.75
    assert conc.gini([5, 2, 1, 0, 0, 0, 0, 0, 0, 0]) == pytest.approx(0.8)
    assert conc.gini_generalized([5, 2, 1, 0, 0, 0, 0, 0, 0, 0]) == pytest.approx(0.75)
    # as many events as cells or more: the same as the Gini (lorenzgini: 20 crimes, 10 units, 0.78)
    assert conc.gini_generalized([10, 8, 2, 0, 0, 0, 0, 0, 0, 0]) == pytest.approx(0.78)
    # five events each in its own cell of ten: maximal attainable equality
    assert conc.gini_generalized([1] * 5 + [0] * 5) == pytest.approx(0.0)
    # 3 + 1 + 1 over ten cells, by geometry (descending Lorenz curve): area under the curve
    # 0.89, under the line of maximal equality from (0,0) to (0.5,1) and on 0.75, so
    # G' = (0.89 − 0.75) / (1 − 0.75) = 0.56 (and G = (0.89 − 0.5) / 0.5 = 0.78)
    assert conc.gini([3, 1, 1, 0, 0, 0, 0, 0, 0, 0]) == pytest.approx(0.78)
    assert conc.gini_generalized([3, 1, 1, 0, 0, 0, 0, 0, 0, 0]) == pytest.approx(0.56)
    with pytest.raises(ValueError, match="whole"):
        conc.gini_generalized([0.5, 1])
    assert math.isnan(conc.gini_generalized([0, 0, 0]))


def test_top_share():
    counts = [5, 3, 1, 1, 0, 0, 0, 0, 0, 0]
    assert conc.top_share(counts, 0.1) == 0.5
    assert conc.top_share(counts, 0.2) == 0.8
    assert conc.top_share(counts, 1) == 1.0
    # 25 cells: ceil(2.5) = 3 cells; 30 cells: 3 cells although 0.1 * 30 = 3.0000000000000004
    c25 = [10, 5, 4] + [1] * 22
    assert conc.top_share(c25, 0.1) == pytest.approx(19 / 41)
    c30 = [10, 5, 4, 3] + [0] * 26
    assert conc.top_share(c30, 0.1) == pytest.approx(19 / 22)
    assert conc.top_share([0, 0, 7], 0.01) == 1.0  # at least one cell
    for bad in (0, -0.1, 1.5):
        with pytest.raises(ValueError, match="share"):
            conc.top_share(counts, bad)
    assert math.isnan(conc.top_share([0, 0], 0.5))


def test_concentration_summary():
    s = conc.concentration_summary([5, 3, 1, 1, 0, 0, 0, 0, 0, 0])
    assert s == {
        "gini": pytest.approx(0.74),  # (2·(7+8+27+50) − 11·10) / 100
        "gini_generalized": pytest.approx(0.74),
        "top10": 0.5,
        "top20": 0.8,
        "n_cells": 10,
        "n_cells_with_events": 4,
        "n_events": 10,
        "share_cells_50": 0.1,
    }
    assert conc.concentration_summary([2, 2, 2, 2])["share_cells_50"] == 0.5
    assert conc.concentration_summary([1, 1, 1])["share_cells_50"] == pytest.approx(2 / 3)
    empty = conc.concentration_summary([0, 0, 0])
    assert empty["n_events"] == 0 and math.isnan(empty["gini"]) and math.isnan(empty["share_cells_50"])


@pytest.mark.parametrize("bad", [[-1, 2], [NAN, 1], [math.inf]])
def test_concentration_rejects_bad_counts(bad):
    for func in (conc.gini, conc.lorenz, conc.top_share, conc.concentration_summary):
        with pytest.raises(ValueError, match="Counts"):
            func(bad)
