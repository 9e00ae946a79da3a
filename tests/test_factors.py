"""Tests of lagesbild.places.factors against hand-computed values for small inspection frames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lagesbild.places import factors as fa
from lagesbild.places.factors import (
    FACTOR_KEYS,
    FACTOR_NAMES,
    MEASURES,
    Measure,
    change_since_previous,
    direction,
    inspection_rounds,
    latest_profiles,
    measures_for,
    n_assessed,
    overall_score,
    priority_list,
    profile_table,
    scale_label,
    weakest_factors,
)

NAN = float("nan")
D22, D23, D24 = pd.Timestamp("2022-05-02"), pd.Timestamp("2023-05-02"), pd.Timestamp("2024-05-02")


def row(plats_id: str, datum, typ: str = "besiktning", default: float = 3.0, roll: str = "polis",
        anteckning: str = "hemligt", **scores) -> dict:
    """One assessor's row: every factor ``default`` unless given."""
    unknown = set(scores) - set(FACTOR_KEYS)
    assert not unknown, unknown
    return {"plats_id": plats_id, "datum": pd.Timestamp(datum), "typ": typ, "roll": roll,
            **dict.fromkeys(FACTOR_KEYS, default), **scores, "anteckning": anteckning}


def frame(*rows: dict) -> pd.DataFrame:
    df = pd.DataFrame(list(rows))
    df[list(FACTOR_KEYS)] = df[list(FACTOR_KEYS)].astype("float64")
    return df


def scores(default: float = NAN, **given) -> dict:
    return {**dict.fromkeys(FACTOR_KEYS, default), **given}


def test_constants_unchanged():
    # Other modules import these; they must keep their values.
    assert len(FACTOR_KEYS) == 8 and fa.SCALE_MIN == 1 and fa.SCALE_MAX == 5 and fa.WEAK_AT_OR_BELOW == 2
    assert fa.MIN_ASSESSED == 4 and fa.CHANGE_TOLERANCE == 0.5


# ============================================================================================
# rounds
# ============================================================================================

class TestInspectionRounds:
    def test_mean_over_assessors_ignores_nan(self):
        insp = frame(
            row("P1", D24, "besiktning", belysning=1.0, information=3.0, samhorighet=NAN, roll="polis"),
            row("P1", D24, "trygghetsvandring", belysning=2.0, information=NAN, samhorighet=NAN,
                roll="boende"),
            row("P1", D24, "trygghetsvandring", belysning=4.0, information=NAN, samhorighet=NAN,
                roll="fastighetsägare"),
        )
        r = inspection_rounds(insp)
        assert len(r) == 1
        got = r.iloc[0]
        assert got["belysning"] == pytest.approx(7 / 3)          # (1 + 2 + 4) / 3
        assert got["information"] == 3.0                          # only one assessor scored it
        assert math.isnan(got["samhorighet"])                     # nobody scored it
        assert got["omhandertagna_miljoer"] == 3.0
        assert got["n_bedomare"] == 3
        assert got["typ"] == "besiktning, trygghetsvandring"

    def test_one_round_per_place_and_day_sorted(self):
        insp = frame(
            row("P2", D23, belysning=5.0),
            row("P1", D24, belysning=1.0),
            row("P1", "2023-05-02 18:30", belysning=2.0),      # same day as the next row: one round
            row("P1", D23, belysning=4.0),
        )
        r = inspection_rounds(insp)
        assert r[["plats_id", "datum"]].values.tolist() == [["P1", D23], ["P1", D24], ["P2", D23]]
        assert r["belysning"].tolist() == [3.0, 1.0, 5.0]
        assert r["n_bedomare"].tolist() == [2, 1, 1]
        assert r["typ"].tolist() == ["besiktning"] * 3
        assert list(r.index) == [0, 1, 2]

    def test_notes_and_roles_are_dropped(self):
        r = inspection_rounds(frame(row("P1", D24)))
        assert list(r.columns) == ["plats_id", "datum", "typ", "n_bedomare", *FACTOR_KEYS]
        assert not r.astype(str).apply(lambda c: c.str.contains("hemligt")).any().any()

    def test_missing_place_or_column_is_an_error(self):
        with pytest.raises(ValueError, match="plats_id"):
            inspection_rounds(frame(row("", D24)))
        with pytest.raises(ValueError, match="datum"):
            inspection_rounds(frame(row("P1", D24), row("P1", pd.NaT)))
        with pytest.raises(ValueError, match="belysning"):
            inspection_rounds(frame(row("P1", D24)).drop(columns="belysning"))

    def test_empty(self):
        r = inspection_rounds(frame(row("P1", D24)).iloc[0:0])
        assert r.empty and list(r.columns) == ["plats_id", "datum", "typ", "n_bedomare", *FACTOR_KEYS]


# ============================================================================================
# overall score and profiles
# ============================================================================================

class TestOverallScore:
    def test_min_assessed_rule(self):
        df = pd.DataFrame([
            scores(omhandertagna_miljoer=1.0, befolkade_platser=2.0, overblickbarhet=3.0, belysning=5.0),
            scores(omhandertagna_miljoer=4.0, befolkade_platser=4.0, overblickbarhet=4.0),
            scores(2.0, information=4.0),
            scores(),
        ], index=["a", "b", "c", "d"])
        s = overall_score(df)
        assert s.name == "samlad" and list(s.index) == ["a", "b", "c", "d"]
        assert s["a"] == pytest.approx(11 / 4)     # four assessed: exactly half is enough
        assert math.isnan(s["b"])                   # three assessed: too few
        assert s["c"] == pytest.approx(18 / 8)
        assert math.isnan(s["d"])

    def test_n_assessed(self):
        df = pd.DataFrame([scores(3.0, belysning=NAN), scores(), scores(information=1.0)])
        assert n_assessed(df).tolist() == [7, 0, 1]


class TestScaleLabel:
    @pytest.mark.parametrize("score, label", [
        (1, "Stora brister"), (1.49, "Stora brister"), (1.5, "Brister"), (2.0, "Brister"),
        (2.5, "Godtagbart"), (3.5, "Bra"), (4.5, "Mycket bra"), (5, "Mycket bra"),
        (NAN, "Ej bedömd"), (None, "Ej bedömd"),
    ])
    def test_rounded_half_up(self, score, label):
        assert scale_label(score) == label

    @pytest.mark.parametrize("score", [0.5, 5.5, -1])
    def test_outside_scale(self, score):
        with pytest.raises(ValueError, match="outside the scale"):
            scale_label(score)


def two_places() -> pd.DataFrame:
    """P1: three rounds (2022, 2023, 2024, the last with two assessors); P2: one round."""
    return frame(
        row("P1", D22, default=1.0),
        row("P1", D23, "trygghetsvandring", belysning=3.0, information=3.0),
        row("P1", D24, belysning=1.0, overblickbarhet=2.0, information=NAN),
        row("P1", D24, belysning=3.0, overblickbarhet=3.0, information=NAN),
        row("P2", D23, default=NAN, belysning=2.0, samhorighet=4.0, information=5.0),
    )


class TestLatestProfiles:
    def test_latest_round_per_place(self):
        p = latest_profiles(two_places())
        assert list(p.columns) == ["plats_id", "datum", "typ", "n_bedomare", *FACTOR_KEYS, "samlad",
                                   "n_bedomda", "foregaende_datum"]
        assert p["plats_id"].tolist() == ["P1", "P2"]
        p1, p2 = p.iloc[0], p.iloc[1]
        assert p1["datum"] == D24 and p1["foregaende_datum"] == D23 and p1["n_bedomare"] == 2
        assert p1["belysning"] == 2.0 and p1["overblickbarhet"] == 2.5 and math.isnan(p1["information"])
        # P1 latest: five factors at 3, belysning 2, överblickbarhet 2.5, information not assessed
        assert p1["samlad"] == pytest.approx((5 * 3 + 2 + 2.5) / 7)
        assert p1["n_bedomda"] == 7
        assert p2["datum"] == D23 and pd.isna(p2["foregaende_datum"])
        assert math.isnan(p2["samlad"]) and p2["n_bedomda"] == 3     # three of eight: no overall score

    def test_accepts_rounds(self):
        insp = two_places()
        pd.testing.assert_frame_equal(latest_profiles(inspection_rounds(insp)), latest_profiles(insp))


class TestProfileTable:
    def test_latest_against_previous(self):
        t = profile_table(two_places(), "P1")
        assert list(t.index) == list(FACTOR_KEYS) and t.index.name == "nyckel"
        assert list(t.columns) == ["faktor", "poang", "betyg", "foregaende", "forandring", "svag"]
        assert t["faktor"].tolist() == [FACTOR_NAMES[k] for k in FACTOR_KEYS]
        bel, ov, info, sam = (t.loc[k] for k in ("belysning", "overblickbarhet", "information", "samhorighet"))
        assert (bel["poang"], bel["betyg"], bel["foregaende"], bel["forandring"], bel["svag"]) == \
            (2.0, "Brister", 3.0, -1.0, True)
        assert (ov["poang"], ov["betyg"], ov["foregaende"], ov["forandring"], ov["svag"]) == \
            (2.5, "Godtagbart", 3.0, -0.5, False)
        assert math.isnan(info["poang"]) and info["betyg"] == "Ej bedömd" and info["foregaende"] == 3.0
        assert math.isnan(info["forandring"]) and not info["svag"]
        assert (sam["poang"], sam["betyg"], sam["forandring"], sam["svag"]) == (3.0, "Godtagbart", 0.0, False)
        assert t["svag"].dtype == bool

    def test_single_round_has_no_previous(self):
        t = profile_table(two_places(), "P2")
        assert t["foregaende"].isna().all() and t["forandring"].isna().all()
        assert t.loc["information", "betyg"] == "Mycket bra"
        assert t["svag"].tolist() == [k == "belysning" for k in FACTOR_KEYS]

    def test_accepts_rounds_and_rejects_unknown_place(self):
        insp = two_places()
        pd.testing.assert_frame_equal(profile_table(inspection_rounds(insp), "P1"), profile_table(insp, "P1"))
        with pytest.raises(ValueError, match="no inspection of place 'P9'"):
            profile_table(insp, "P9")


# ============================================================================================
# weakest factors and change
# ============================================================================================

class TestWeakestFactors:
    def test_lowest_first_ties_in_factor_order(self):
        s = scores(4.0, belysning=2.0, overblickbarhet=2.0, information=1.0, omhandertagna_miljoer=2.0)
        assert weakest_factors(s) == ["information", "omhandertagna_miljoer", "overblickbarhet"]
        assert weakest_factors(s, n=None) == ["information", "omhandertagna_miljoer", "overblickbarhet",
                                              "belysning"]
        assert weakest_factors(s, n=0) == []
        assert weakest_factors(pd.Series(s), n=1) == ["information"]

    def test_weak_boundary_and_missing(self):
        s = scores(4.0, belysning=2.0, overblickbarhet=2.5, information=NAN)
        assert weakest_factors(s) == ["belysning"]          # 2 is weak, 2.5 is not, NaN is not
        assert weakest_factors(scores(3.0)) == []

    def test_lowest_even_if_not_weak(self):
        s = scores(4.0, samhorighet=3.0, information=3.0, belysning=NAN)
        assert weakest_factors(s, n=2, only_weak=False) == ["samhorighet", "information"]
        assert weakest_factors(s, n=None, only_weak=False)[-1] == "identitet_rykte"
        assert len(weakest_factors(s, n=None, only_weak=False)) == 7

    def test_bad_input(self):
        with pytest.raises(ValueError, match="lack"):
            weakest_factors({"belysning": 1.0})
        with pytest.raises(ValueError, match="n must"):
            weakest_factors(scores(3.0), n=-1)


class TestDirection:
    @pytest.mark.parametrize("change, expected", [
        (0.5, "bättre"), (-0.5, "sämre"), (0.49, "oförändrad"), (-0.49, "oförändrad"), (0.0, "oförändrad"),
        (3.3 - 2.8, "bättre"),            # 0.4999999999999996 in floating point: meant as 0.5
        (2.0, "bättre"), (-4.0, "sämre"), (NAN, "ej jämförbar"), (None, "ej jämförbar"),
    ])
    def test_default_tolerance(self, change, expected):
        assert direction(change) == expected

    def test_custom_tolerance(self):
        assert direction(0.9, tolerance=1.0) == "oförändrad" and direction(1.0, tolerance=1.0) == "bättre"


def change_data() -> pd.DataFrame:
    return frame(
        # P1, 2023: three assessors
        row("P1", D23, samhorighet=3.0, identitet_rykte=NAN),
        row("P1", D23, samhorighet=3.0, identitet_rykte=NAN),
        row("P1", D23, samhorighet=4.0, identitet_rykte=NAN),
        # P1, 2024: two assessors
        row("P1", D24, belysning=2.0, overblickbarhet=3.0, identitet_rykte=4.0, information=NAN),
        row("P1", D24, belysning=3.0, overblickbarhet=4.0, identitet_rykte=4.0, information=NAN),
        # P2: one round only
        row("P2", D24),
        # P3: three rounds, the two latest of different kinds
        row("P3", D22, "trygghetsvandring", default=1.0),
        row("P3", D23, "besiktning", default=2.0),
        row("P3", D24, "trygghetsvandring", default=4.0),
    )


class TestChangeSincePrevious:
    def test_tolerance_boundaries_and_overall(self):
        c = change_since_previous(change_data())
        assert list(c.columns) == ["plats_id", "datum", "foregaende_datum", "typ", "foregaende_typ",
                                   "samma_typ", "nyckel", "faktor", "senaste", "foregaende", "forandring",
                                   "riktning"]
        p1 = c[c["plats_id"] == "P1"].set_index("nyckel")
        assert list(p1.index) == [*FACTOR_KEYS, "samlad"]
        assert p1.loc["samlad", "faktor"] == "Samlad poäng"
        assert (p1["datum"] == D24).all() and (p1["foregaende_datum"] == D23).all() and p1["samma_typ"].all()
        expected = {
            "omhandertagna_miljoer": (3.0, 3.0, 0.0, "oförändrad"),
            "befolkade_platser": (3.0, 3.0, 0.0, "oförändrad"),
            "overblickbarhet": (3.5, 3.0, 0.5, "bättre"),            # exactly the tolerance
            "belysning": (2.5, 3.0, -0.5, "sämre"),                   # exactly the tolerance
            "sakerhetsatgarder": (3.0, 3.0, 0.0, "oförändrad"),
            "samhorighet": (3.0, 10 / 3, -1 / 3, "oförändrad"),      # less than the tolerance
            # previous round: 7 factors, 6 × 3 + 10/3 = 64/3 → 64/21; latest: 7 factors summing to 22
            "samlad": (22 / 7, 64 / 21, 2 / 21, "oförändrad"),
        }
        for key, (latest, previous, change, riktning) in expected.items():
            got = p1.loc[key]
            assert got["senaste"] == pytest.approx(latest), key
            assert got["foregaende"] == pytest.approx(previous), key
            assert got["forandring"] == pytest.approx(change), key
            assert got["riktning"] == riktning, key
        # not assessed in one of the rounds
        assert math.isnan(p1.loc["identitet_rykte", "foregaende"])
        assert p1.loc["identitet_rykte", "riktning"] == "ej jämförbar"
        assert math.isnan(p1.loc["information", "senaste"])
        assert p1.loc["information", "riktning"] == "ej jämförbar"

    def test_only_places_with_two_rounds_two_latest_rounds(self):
        c = change_since_previous(change_data())
        assert c["plats_id"].unique().tolist() == ["P1", "P3"]
        p3 = c[c["plats_id"] == "P3"]
        assert len(p3) == 9
        assert (p3["foregaende_datum"] == D23).all() and (p3["foregaende"] == 2.0).all()
        assert (p3["forandring"] == 2.0).all() and (p3["riktning"] == "bättre").all()
        assert (p3["typ"] == "trygghetsvandring").all() and (p3["foregaende_typ"] == "besiktning").all()
        assert not p3["samma_typ"].any()

    def test_tolerance_parameter_and_rounds_input(self):
        c = change_since_previous(change_data(), tolerance=1.0)
        p1 = c[c["plats_id"] == "P1"].set_index("nyckel")
        assert p1.loc["belysning", "riktning"] == "oförändrad"
        pd.testing.assert_frame_equal(change_since_previous(inspection_rounds(change_data())),
                                      change_since_previous(change_data()))

    def test_no_place_with_two_rounds(self):
        c = change_since_previous(frame(row("P1", D24), row("P2", D23)))
        assert c.empty and "riktning" in c.columns


# ============================================================================================
# measures
# ============================================================================================

class TestMeasures:
    def test_integrity(self):
        keys = [m.key for m in MEASURES]
        assert len(keys) == len(set(keys))
        assert 15 <= len(MEASURES) <= 20
        for m in MEASURES:
            assert m.factors and set(m.factors) <= set(FACTOR_KEYS), m.key
            assert m.kind in ("fysisk", "social"), m.key
            assert m.name.strip() and m.description.strip() and m.actors, m.key
        for key in FACTOR_KEYS:
            found = [m for m in MEASURES if key in m.factors]
            assert len(found) >= 2, key
            assert any(m.kind == fa.PHYSICAL for m in found), key
        # A social measure for every factor except the two that are about the physical environment only.
        without_social = {k for k in FACTOR_KEYS
                          if not any(m.kind == fa.SOCIAL and k in m.factors for m in MEASURES)}
        assert without_social == {"overblickbarhet", "belysning"}

    def test_camera_surveillance_names_the_law(self):
        camera = next(m for m in MEASURES if m.key == "kamerabevakning")
        assert "kamerabevakningslagen" in camera.description and "IMY" in camera.description

    def test_invalid_measure(self):
        with pytest.raises(ValueError, match="kind"):
            Measure("x", "X", "annat", "", ("belysning",), ())
        with pytest.raises(ValueError, match="unknown"):
            Measure("x", "X", fa.SOCIAL, "", ("ljus",), ())
        with pytest.raises(ValueError, match="non-empty"):
            Measure("x", "X", fa.SOCIAL, "", (), ())

    def test_measures_for_order(self):
        m = measures_for(["information", "belysning", "information"])
        assert list(m.columns) == ["faktor", "atgard", "typ", "beskrivning", "aktorer"]
        assert m[["faktor", "atgard", "typ"]].values.tolist() == [
            ["Information", "Skyltning och information på platsen", "fysisk"],
            ["Information", "Information om vad som görs", "social"],
            ["Information", "Kommunikation för att bryta ett dåligt rykte", "social"],
            ["Belysning", "Förbättrad belysning", "fysisk"],
            ["Belysning", "Beskärning och röjning för siktlinjer", "fysisk"],
        ]
        assert m.loc[0, "aktorer"] == "kommunen, fastighetsägare"

    def test_physical_before_social_for_every_factor(self):
        for key in FACTOR_KEYS:
            kinds = measures_for(key)["typ"].tolist()
            assert kinds == sorted(kinds, key=["fysisk", "social"].index), key

    def test_measures_for_bad_and_empty(self):
        with pytest.raises(ValueError, match="unknown factor"):
            measures_for(["ljus"])
        empty = measures_for([])
        assert empty.empty and list(empty.columns) == ["faktor", "atgard", "typ", "beskrivning", "aktorer"]


# ============================================================================================
# priority list
# ============================================================================================

def priority_profiles() -> pd.DataFrame:
    return pd.DataFrame([
        {"plats_id": "A", **scores(2.0, belysning=1.0, overblickbarhet=1.0)},    # samlad 14/8 = 1.75
        {"plats_id": "B", **scores(4.0)},                                          # 4
        {"plats_id": "C", **scores(3.0)},                                          # 3
        {"plats_id": "D", **scores(belysning=1.0, information=1.0, samhorighet=1.0)},  # too few: NaN
        {"plats_id": "E", **scores(5.0)},                                          # 5
    ])


LOAD = pd.Series({"A": 10, "B": 40, "D": 40, "E": 20, "X": 999})   # C missing = 0; X not a profiled place


class TestPriorityList:
    def test_hand_computed(self):
        p = priority_list(priority_profiles(), LOAD)
        assert list(p.columns) == ["plats_id", "samlad", "handelser", "brist", "belastning", "prioritet",
                                   "rang", "skal"]
        # brist = (5 − samlad)/4; belastning = load/40; prioritet = mean
        # A: 0.8125, 0.25 → 0.53125   B: 0.25, 1 → 0.625   C: 0.5, 0 → 0.25   E: 0, 0.5 → 0.25   D: NaN
        assert p["plats_id"].tolist() == ["B", "A", "C", "E", "D"]     # C and E tie: by plats_id
        assert p["rang"].tolist() == [1, 2, 3, 4, 5]
        got = p.set_index("plats_id")
        assert got["samlad"].iloc[:4].tolist() == [4.0, 1.75, 3.0, 5.0] and math.isnan(got.loc["D", "samlad"])
        assert got["handelser"].tolist() == [40, 10, 0, 20, 40]
        assert got["brist"].iloc[:4].tolist() == [0.25, 0.8125, 0.5, 0.0] and math.isnan(got.loc["D", "brist"])
        assert got["belastning"].tolist() == [1.0, 0.25, 0.0, 0.5, 1.0]
        assert got["prioritet"].iloc[:4].tolist() == [0.625, 0.53125, 0.25, 0.25]
        assert math.isnan(got.loc["D", "prioritet"])
        assert pd.api.types.is_integer_dtype(p["handelser"])

    def test_reasons(self):
        got = priority_list(priority_profiles(), LOAD).set_index("plats_id")["skal"]
        assert got["B"] == "Samlad poäng 4,0 av 5 (ingen svag faktor) och 40 händelser, flest av 5 platser " \
                           "(delad placering)."
        assert got["A"] == ("Samlad poäng 1,8 av 5 (svagast: Överblickbarhet, Belysning, Omhändertagna "
                            "miljöer) och 10 händelser, fjärde flest av 5 platser.")
        assert got["C"] == "Samlad poäng 3,0 av 5 (ingen svag faktor) och inga händelser."
        assert got["E"] == "Samlad poäng 5,0 av 5 (ingen svag faktor) och 20 händelser, tredje flest av 5 platser."
        assert got["D"] == ("Ingen samlad poäng, för få faktorer bedömda (3 av 8); placeras sist. "
                            "40 händelser, flest av 5 platser (delad placering).")

    def test_weights(self):
        p = priority_list(priority_profiles(), LOAD, weights={"brist": 3, "belastning": 1})
        # A (3·0.8125 + 0.25)/4 = 0.671875, B (0.75 + 1)/4 = 0.4375, C 1.5/4 = 0.375, E 0.5/4 = 0.125
        assert p["plats_id"].tolist() == ["A", "B", "C", "E", "D"]
        assert p["prioritet"].iloc[:4].tolist() == [0.671875, 0.4375, 0.375, 0.125]
        only_load = priority_list(priority_profiles(), LOAD, weights={"brist": 0})
        assert only_load["plats_id"].tolist() == ["B", "E", "A", "C", "D"]

    def test_zero_load_and_mapping_input(self):
        p = priority_list(priority_profiles(), {"A": 0, "B": NAN})
        assert (p["belastning"] == 0).all() and (p["handelser"] == 0).all()
        assert p["plats_id"].tolist() == ["A", "C", "B", "E", "D"]
        assert p["prioritet"].iloc[:4].tolist() == [0.40625, 0.25, 0.125, 0.0]

    def test_computes_overall_when_missing_and_from_latest_profiles(self):
        with_samlad = priority_profiles()
        with_samlad["samlad"] = overall_score(with_samlad)
        pd.testing.assert_frame_equal(priority_list(with_samlad, LOAD), priority_list(priority_profiles(), LOAD))
        p = priority_list(latest_profiles(two_places()), pd.Series({"P1": 1}))
        assert p["plats_id"].tolist() == ["P1", "P2"]
        assert p.loc[0, "skal"].endswith("och färre än 3 händelser.")  # 1 is never published, nor its rank

    def test_a_load_of_one_or_two_counts_as_zero_in_share_and_rank(self):
        one = priority_list(priority_profiles(), pd.Series({"A": 10, "B": 1}))
        two = priority_list(priority_profiles(), pd.Series({"A": 10, "B": 2}))
        assert one[["plats_id", "belastning", "prioritet", "rang", "skal"]].equals(
            two[["plats_id", "belastning", "prioritet", "rang", "skal"]])
        assert one.set_index("plats_id").loc["B", "belastning"] == 0.0

    @pytest.mark.parametrize(("n", "text"), [(1, "färre än 3 händelser"), (2, "färre än 3 händelser"),
                                             (3, "3 händelser"), (0, "inga händelser")])
    def test_reasoning_never_publishes_one_or_two_events(self, n, text):
        p = priority_list(priority_profiles().iloc[[0]], pd.Series({"A": n}))
        assert text in p.loc[0, "skal"]

    def test_single_place_has_no_comparison(self):
        p = priority_list(priority_profiles().iloc[[0]], pd.Series({"A": 1234}))
        assert p.loc[0, "skal"].endswith("och 1\u00a0234 händelser.")
        assert p.loc[0, "prioritet"] == pytest.approx((0.8125 + 1) / 2)

    def test_bad_input(self):
        with pytest.raises(ValueError, match="negative"):
            priority_list(priority_profiles(), pd.Series({"A": -1}))
        with pytest.raises(ValueError, match="weight"):
            priority_list(priority_profiles(), LOAD, weights={"brist": -1})
        with pytest.raises(ValueError, match="unknown weight"):
            priority_list(priority_profiles(), LOAD, weights={"risk": 1})
        with pytest.raises(ValueError, match="positive sum"):
            priority_list(priority_profiles(), LOAD, weights={"brist": 0, "belastning": 0})
        with pytest.raises(ValueError, match="one row per place"):
            priority_list(pd.concat([priority_profiles(), priority_profiles()]), LOAD)

    def test_empty(self):
        p = priority_list(priority_profiles().iloc[0:0], LOAD)
        assert p.empty and "skal" in p.columns

    @pytest.mark.parametrize("rank, text", [(1, "flest"), (2, "näst flest"), (3, "tredje flest"),
                                            (10, "tionde flest"), (11, "11:e flest"), (12, "12:e flest"),
                                            (21, "21:a flest"), (22, "22:a flest"), (23, "23:e flest"),
                                            (111, "111:e flest")])
    def test_ordinals(self, rank, text):
        assert fa._ordinal_most(rank) == text


def test_priority_prioritet_in_unit_interval():
    rng = np.random.default_rng(1)
    profiles = pd.DataFrame([{"plats_id": f"P{i}", **dict(zip(FACTOR_KEYS, rng.integers(1, 6, 8).astype(float),
                                                                 strict=True))} for i in range(30)])
    load = pd.Series(rng.integers(0, 50, 30), index=[f"P{i}" for i in range(30)])
    p = priority_list(profiles, load)
    assert p["prioritet"].between(0, 1).all() and p["brist"].between(0, 1).all()
    # descending; values equal up to floating-point noise count as ties, ordered by plats_id
    assert (p["prioritet"].diff().dropna() <= 1e-12).all()
    for _, tied in p.groupby(p["prioritet"].round(9), sort=False):
        assert tied["plats_id"].tolist() == sorted(tied["plats_id"])
    assert p["belastning"].max() == 1.0
