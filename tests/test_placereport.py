"""Tests of lagesbild.places.text: the place report's text and tables, with the small-count rule applied.

Most tests feed hand-made analysis results (``place.Analysis``) so that every expected count and
sentence can be worked out by hand; a few run :func:`lagesbild.places.analysis.analyse` on tiny synthetic
place data, and one module fixture uses the bundled example (:func:`placereport.example`).
"""

from __future__ import annotations

import json
import numbers
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import test_place  # the synthetic place data of the analysis' tests
from shapely.geometry import box

from lagesbild.core import privacy
from lagesbild.core.fmt import NBSP
from lagesbild.core.paths import PROJ_ROOT
from lagesbild.places import analysis as place
from lagesbild.places import factors
from lagesbild.places import text as pr
from lagesbild.places.data import PlaceData
from lagesbild.sources import districts

K = factors.FACTOR_KEYS
NAN = float("nan")
SMALL = privacy.SMALL_LABEL  # "färre än 3"
SECRET_NOTE = "ANTECKNING-HEMLIG"
SECRET_TEXT = "FRITEXT-HEMLIG"
INC, CIT = place.INCIDENT_LOG, place.CITIZEN_REPORT


def small_numbers(values) -> list:
    """The numeric values 1 or 2 (any count between 0 and 3) among ``values``: never publishable."""
    return [v for v in values if isinstance(v, numbers.Number) and not isinstance(v, bool)
            and not pd.isna(v) and 0 < v < privacy.MIN_PUBLISHED]


def small_in_text(text: str) -> list[str]:
    """Counts of 1 or 2 written out in front of "händelse(r)" or "rapport(er)"."""
    return re.findall(r"(?<![\d,])[12]\s+(?:händelse|medborgarrapport|rapport)", text)


# --------------------------------------------------------------------------------------------
# synthetic data
# --------------------------------------------------------------------------------------------

def make_places(n: int = 3) -> gpd.GeoDataFrame:
    boxes = [box(0, 0, 100, 100), box(1000, 0, 1100, 100), box(2000, 0, 2100, 100)][:n]
    return gpd.GeoDataFrame({
        "plats_id": ["P1", "P2", "P3"][:n], "namn": ["Torget", "Parken", "Tunneln"][:n],
        "kommun_kod": ["1283"] * n, "stadsdel": ["Söder", "Dalhem", ""][:n], "radie_m": [NAN] * n,
    }, geometry=boxes, crs="EPSG:3006")


def inspection(pid: str, day: str, base: float, **scores) -> dict:
    return {"plats_id": pid, "datum": pd.Timestamp(day), "typ": "besiktning", "roll": "polis",
            **{k: float(scores.get(k, base)) for k in K}, "anteckning": SECRET_NOTE}


def incidents(rows: list[tuple]) -> pd.DataFrame:
    """From (tid, kategori, kalla, plats_id, x, y)."""
    return pd.DataFrame([{"tid": pd.Timestamp(t), "kategori": c, "kalla": s, "plats_id": p, "x": float(x),
                          "y": float(y), "fritext": SECRET_TEXT} for t, c, s, p, x, y in rows],
                        columns=["tid", "kategori", "kalla", "plats_id", "x", "y", "fritext"])


def reports(rows: list[tuple]) -> pd.DataFrame:
    """From (tid, kategori, plats_id, x, y)."""
    return pd.DataFrame([{"tid": pd.Timestamp(t), "kategori": c, "plats_id": p, "x": float(x), "y": float(y),
                          "fritext": SECRET_TEXT} for t, c, p, x, y in rows],
                        columns=["tid", "kategori", "plats_id", "x", "y", "fritext"])


def make_data(insp=None, inc=None, rep=None, n_places: int = 3, example: bool = False) -> PlaceData:
    return PlaceData(places=make_places(n_places), inspections=insp, incidents=inc, citizen_reports=rep,
                     example=example, description="Testdata", source="Testkommunen", files=[], kommun_kod="1283")


def rich_data() -> PlaceData:
    """P1: all 3 but belysning 1, overblickbarhet 2; P2: all 4 but belysning 2; P3 not assessed.
    6 incidents at P1 (by id), 1 incident and 3 citizen reports at P2 (by id)."""
    insp = pd.DataFrame([inspection("P1", "2025-03-01", 3, belysning=1, overblickbarhet=2),
                         inspection("P2", "2025-03-02", 4, belysning=2)])
    inc = incidents([(f"2025-05-{d:02d} 21:00", "Klotter", "polis", "P1", NAN, NAN) for d in range(1, 7)]
                    + [("2025-05-20 10:00", "Stöld", "kommun", "P2", NAN, NAN)])
    rep = reports([("2025-06-01 12:00", "Belysning", "P2", NAN, NAN)] * 3)
    return make_data(insp, inc, rep)


class Cfg:
    kommun, name, lan = "1283", "Helsingborg", "Skåne län"


@pytest.fixture(scope="module")
def rich():
    data = rich_data()
    return data, place.analyse(data, months=12, permutations=99)


@pytest.fixture(scope="module")
def example():
    return pr.example()


def events_analysis(kallor: dict[str, int], positioned: bool = True) -> place.Analysis:
    """An Analysis whose events have the given count per ``kalla`` ("medborgare" = citizen reports)."""
    rows = []
    for kalla, n in kallor.items():
        rows += [{"tid": pd.Timestamp("2025-03-01"), "kategori": "a", "kalla": kalla,
                  "kalla_typ": CIT if kalla == "medborgare" else INC, "plats_id": "",
                  "x": 10.0 if positioned else NAN, "y": 10.0 if positioned else NAN}] * n
    return place.Analysis(events=pd.DataFrame(rows), period=(pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-31")))


# --------------------------------------------------------------------------------------------
# tables with counts: never a 1 or a 2
# --------------------------------------------------------------------------------------------

class TestSourceTable:
    def test_masked_and_sorted(self):
        t = pr.source_table(events_analysis({"kommun": 2, "polis": 5, "medborgare": 1, "skola": 3}))
        assert list(t.columns) == ["Källa", "Antal"]
        # kommun 2 and medborgare 1 are merged: "övriga källor" 3, and the table still adds up to 11
        assert t["Källa"].tolist() == ["polis", "skola", "övriga källor"]
        assert t["Antal"].tolist() == [5, 3, 3]
        assert small_numbers(t["Antal"]) == []

    def test_example(self, example):
        t = pr.source_table(example[1])
        assert small_numbers(t["Antal"]) == []
        # no source of the example is small, so the shown counts add up to its events
        assert sum(t["Antal"]) == len(example[1].events)


class TestPlaceCountsDisplay:
    @staticmethod
    def analysis(handelser, medborgare) -> place.Analysis:
        n = len(handelser)
        per = pd.DataFrame({"plats_id": [f"P{i}" for i in range(n)], "namn": [f"Plats {i}" for i in range(n)],
                            "stadsdel": [""] * n, "handelser": handelser, "medborgarrapporter": medborgare})
        per["totalt"] = per["handelser"] + per["medborgarrapporter"]
        return place.Analysis(per_place=per)

    def test_masked(self):
        t = pr.place_counts_display(self.analysis([1, 0, 5, 2, 0], [0, 2, 1, 0, 0]))
        assert list(t.columns) == ["Plats", "Stadsdel", "Händelselogg", "Medborgarrapporter", "Totalt"]
        assert t["Händelselogg"].tolist() == [SMALL, 0, "visas inte", SMALL, 0]  # 5 would give the 1 back
        assert t["Medborgarrapporter"].tolist() == [0, SMALL, SMALL, 0, 0]
        assert t["Totalt"].tolist() == [SMALL, SMALL, 6, SMALL, 0]
        for column in ["Händelselogg", "Medborgarrapporter", "Totalt"]:
            assert small_numbers(t[column]) == []

    def test_example_masked(self, example):
        t = pr.place_counts_display(example[1])
        values = t[["Händelselogg", "Medborgarrapporter", "Totalt"]].to_numpy().ravel().tolist()
        assert small_numbers(values) == []

    @pytest.mark.parametrize(("handelser", "medborgare"), [(5, 1), (5, 2), (1, 7), (40, 2)])
    def test_masked_count_cannot_be_recovered_from_the_total(self, handelser, medborgare):
        # the total is published; so the part next to a masked 1 or 2 must not be
        row = pr.place_counts_display(self.analysis([handelser], [medborgare])).iloc[0]
        assert row["Totalt"] == handelser + medborgare
        assert sorted([row["Händelselogg"], row["Medborgarrapporter"]]) == sorted([SMALL, "visas inte"])


class TestPriorityDisplay:
    @staticmethod
    def setup(loads: dict[str, int]):
        profiles = pd.DataFrame([{"plats_id": "P1", **dict.fromkeys(K, 2.0)},
                                 {"plats_id": "P2", **dict.fromkeys(K, 3.0)},
                                 {"plats_id": "P3", **dict.fromkeys(K, 4.0)}])
        priority = factors.priority_list(profiles, pd.Series(loads))
        return make_data(), place.Analysis(priority=priority)

    def test_masked_counts_and_reasons(self):
        data, a = self.setup({"P1": 7, "P2": 2, "P3": 1})
        t = pr.priority_display(data, a)
        assert list(t.columns) == ["Rang", "Plats", "Samlad poäng", "Händelser och rapporter", "Prioritet", "Skäl"]
        # P1: brist 0.75, belastning 1 → 0.875; P2: 0.5, 2/7; P3: 0.25, 1/7
        assert t["Plats"].tolist() == ["Torget", "Parken", "Tunneln"]
        assert t["Rang"].tolist() == [1, 2, 3]
        assert t["Händelser och rapporter"].tolist() == [7, SMALL, SMALL]
        assert small_numbers(t["Händelser och rapporter"]) == []
        for reason in t["Skäl"]:
            assert small_in_text(reason) == []
        assert f"{SMALL} händelser" in t["Skäl"].iloc[1]

    def test_example(self, example):
        t = pr.priority_display(*example)
        assert small_numbers(t["Händelser och rapporter"]) == []
        assert len(t) == len(example[1].priority)

    def test_masked_load_cannot_be_told_apart(self):
        one = pr.priority_display(*self.setup({"P1": 10, "P2": 1, "P3": 0}))
        two = pr.priority_display(*self.setup({"P1": 10, "P2": 2, "P3": 0}))
        assert one["Händelser och rapporter"].tolist() == two["Händelser och rapporter"].tolist()  # both masked
        assert one.astype(str).equals(two.astype(str))


class TestPoliceDisplay:
    def test_masked_with_swedish_headings(self):
        c = pd.DataFrame({"stadsdel": ["Söder", "Dalhem", "Eneborg", "Fredriksdal", "Planteringen"],
                          "handelser": [14, 2, 1, 0, 3], "vanligaste_typer": ["Bråk (3)", "", "", "", "Brand (3)"]})
        t = pr.police_display(c)
        assert list(t.columns) == ["Stadsdel", "Händelser", "Vanligaste typer (minst 3)"]
        assert t["Händelser"].tolist() == [14, SMALL, SMALL, 0, 3]
        assert t["Vanligaste typer (minst 3)"].tolist() == ["Bråk (3)", "–", "–", "–", "Brand (3)"]
        assert small_numbers(t["Händelser"]) == []

    def test_from_district_counts(self):
        ev = pd.DataFrame({"summary": ["Söder. Bråk."] * 4 + ["Dalhem. Brand."] * 2, "type": ["Bråk"] * 4 + ["Brand"] * 2})
        t = pr.police_display(districts.district_counts(ev, ["Söder", "Dalhem"]))
        assert t["Händelser"].tolist() == [4, SMALL]
        assert t["Vanligaste typer (minst 3)"].tolist() == ["Bråk (4)", "–"]


class TestCrossTableDifferencing:
    def test_small_source_not_recoverable_from_total(self):
        # the incident total (11 or 12) is published in the text: polis 10 must then not be shown on its own
        for n in (1, 2):
            a = events_analysis({"polis": 10, "kommun": n})
            assert pr.source_table(a).values.tolist() == [["övriga källor", 10 + n]]
            assert f"{10 + n} händelser" in pr.describe_events(a)


# --------------------------------------------------------------------------------------------
# events text, map cells
# --------------------------------------------------------------------------------------------

class TestDescribeEvents:
    def test_two_incidents(self):
        text = pr.describe_events(events_analysis({"polis": 2}))
        assert text == (
            f"Under januari 2025–december 2025 finns {SMALL} händelser i händelseloggen och 0 medborgarrapporter. "
            "Händelser som bara anges med plats räknas till platsen och ritas i platsens ruta; "
            f"{SMALL} har en position eller plats och finns på kartan. Fritext ur loggarna visas aldrig.")

    def test_counts_and_positions(self):
        a = events_analysis({"polis": 1200, "medborgare": 4})
        a.events.loc[a.events.index[:3], ["x", "y"]] = NAN  # three without a position
        text = pr.describe_events(a)
        assert f"finns 1{NBSP}200 händelser i händelseloggen och 4 medborgarrapporter" in text
        assert f"1{NBSP}201 har en position" in text

    def test_with_analyse_and_two_incidents(self):
        inc = incidents([("2025-02-03 10:00", "Klotter", "polis", "P1", NAN, NAN),
                         ("2025-02-04 10:00", "Klotter", "polis", "", 50.0, 50.0)])
        a = place.analyse(make_data(inc=inc), months=1, permutations=99)
        text = pr.describe_events(a)
        assert text.startswith(f"Under februari 2025–februari 2025 finns {SMALL} händelser i händelseloggen och 0 "
                               "medborgarrapporter.")
        assert small_in_text(text) == [] and " 2 " not in text
        assert len(a.cells) == 0  # two events in one cell: nothing on the map
        assert a.suppressed == SMALL


class TestCellsForMap:
    @staticmethod
    def analysis(antal, het) -> place.Analysis:
        cells = gpd.GeoDataFrame({"cell_id": [f"E{250 * i}N0" for i in range(len(antal))], "row": 0,
                                  "col": list(range(len(antal))), "antal": antal, "het_fdr": het},
                                 geometry=[box(250 * i, 0, 250 * (i + 1), 250) for i in range(len(antal))],
                                 crs="EPSG:3006")
        return place.Analysis(cells=cells)

    def test_labels(self):
        g = pr.cells_for_map(self.analysis([3, 12], [False, True]))
        assert list(g.columns) == ["cell_id", "antal", "geometry", "ruta", "het"]
        assert g["ruta"].tolist() == ["Ruta E0N0", "Ruta E250N0"]
        assert g["het"].tolist() == ["nej", "ja"]
        assert g["antal"].tolist() == [3, 12]

    @pytest.mark.parametrize("small", [1, 2])
    def test_small_cell_raises(self, small):
        with pytest.raises(ValueError, match="fewer than 3"):
            pr.cells_for_map(self.analysis([5, small, 7], [False, False, True]))

    def test_from_analyse(self, rich):
        g = pr.cells_for_map(rich[1])
        # P1's point: 6 incidents; P2's point: 1 incident + 3 reports = 4
        assert sorted(g["antal"].tolist()) == [4, 6]


# --------------------------------------------------------------------------------------------
# concentration text
# --------------------------------------------------------------------------------------------

CONCENTRATION = {"gini": 0.8464, "gini_generalized": 0.8464, "top10": 0.73, "top20": 0.855, "n_cells": 1500,
                 "n_cells_with_events": 202, "n_events": 800, "share_cells_50": 0.022}


class TestConcentrationText:
    def test_describe_concentration(self):
        text = pr.describe_concentration(place.Analysis(concentration=CONCENTRATION))
        assert text == (
            f"Händelserna är koncentrerade: hälften av dem finns i 2,2{NBSP}% av rutorna. "
            f"De 10 procent av rutorna med flest händelser har 73{NBSP}% av händelserna, de 20 procent med flest har "
            f"86{NBSP}%. Ginikoefficienten är 0,85 (0 är jämnt fördelat, 1 är allt i en ruta). Måtten räknar alla "
            f"1{NBSP}500 rutor i området som omsluter händelserna, också tomma rutor, så de beror på hur stort "
            "området är: jämför bara med samma rutnät.")

    def test_lorenz_alt_text(self):
        text = pr.lorenz_alt_text(place.Analysis(concentration=CONCENTRATION))
        assert text == ("Lorenzkurva som ligger långt från diagonalen: de 10 procent rutor som har flest händelser har "
                        f"73{NBSP}% av dem. Ginikoefficient 0,85.")

    def test_shares_are_not_left_as_fractions(self):
        c = CONCENTRATION | {"top10": 0.5, "share_cells_50": 0.1}
        text = pr.describe_concentration(place.Analysis(concentration=c))
        assert f"10,0{NBSP}% av rutorna" in text and f"50{NBSP}% av händelserna" in text
        assert "0,1" not in text and "0,5" not in text

    def test_from_analyse(self, rich):
        # lattice around x 50…1050, y 50: 7 × 3 = 21 cells, counts 6 and 4: top 10 % = ceil(2.1) = 3 cells hold all,
        # half of 10 events is in the top cell alone: 1/21 = 4.8 %
        text = pr.describe_concentration(rich[1])
        assert f"hälften av dem finns i 4,8{NBSP}% av rutorna" in text
        assert f"har 100{NBSP}% av händelserna" in text
        assert "alla 21 rutor" in text


# --------------------------------------------------------------------------------------------
# scores and measures
# --------------------------------------------------------------------------------------------

class TestScoreText:
    @pytest.mark.parametrize(("value", "text"), [
        (2.75, "2,8"), (3, "3,0"), (1.0, "1,0"), (4.875, "4,9"), (np.float64(2.125), "2,1"),
        (NAN, "ej bedömd"), (None, "ej bedömd"), (np.nan, "ej bedömd"),
    ])
    def test_values(self, value, text):
        assert pr.score_text(value) == text

    def test_is_the_score_formatter(self):
        assert pr.SCORE_FORMAT == {"Samlad poäng": pr.score_text}


def expected_names(key: str, kind: str) -> str:
    return "; ".join(m.name for m in factors.MEASURES if m.kind == kind and key in m.factors) or "–"


class TestMeasuresBrief:
    def test_split_matches_measures(self):
        t = pr.measures_brief(list(K))
        assert list(t.columns) == ["Svag faktor", "Fysiska åtgärder", "Sociala åtgärder"]
        assert t["Svag faktor"].tolist() == [factors.FACTOR_NAMES[k] for k in K]
        for key, (_, row) in zip(K, t.iterrows(), strict=True):
            assert row["Fysiska åtgärder"] == expected_names(key, factors.PHYSICAL), key
            assert row["Sociala åtgärder"] == expected_names(key, factors.SOCIAL), key

    def test_belysning_has_no_social_measure(self):
        t = pr.measures_brief(["belysning"])
        assert t.to_dict("records") == [{"Svag faktor": "Belysning",
                                         "Fysiska åtgärder": "Förbättrad belysning; Beskärning och röjning för siktlinjer",
                                         "Sociala åtgärder": "–"}]

    def test_repeats_once_in_given_order(self):
        t = pr.measures_brief(["information", "belysning", "information"])
        assert t["Svag faktor"].tolist() == ["Information", "Belysning"]


class TestMeasuresCatalogue:
    @pytest.mark.parametrize("keys", [list(K), ["belysning", "overblickbarhet"], ["information"],
                                      ["samhorighet", "sakerhetsatgarder"]])
    def test_each_measure_once_with_all_its_factors(self, keys):
        t = pr.measures_catalogue(keys)
        assert list(t.columns) == ["Åtgärd", "Slag", "Svaga faktorer den avser", "Vad det innebär", "Vem"]
        relevant = [m for m in factors.MEASURES if set(m.factors) & set(keys)]
        assert sorted(t["Åtgärd"]) == sorted(m.name for m in relevant)
        for m in relevant:
            row = t[t["Åtgärd"] == m.name].iloc[0]
            named = set(row["Svaga faktorer den avser"].split(", "))
            assert named == {factors.FACTOR_NAMES[k] for k in m.factors if k in keys}, m.name
            assert (row["Slag"], row["Vad det innebär"], row["Vem"]) == (m.kind, m.description, ", ".join(m.actors))

    def test_physical_before_social(self):
        kinds = pr.measures_catalogue(list(K))["Slag"].tolist()
        assert kinds == sorted(kinds, key=[factors.PHYSICAL, factors.SOCIAL].index)
        assert set(kinds) == {factors.PHYSICAL, factors.SOCIAL}

    def test_empty(self):
        assert pr.measures_catalogue([]).empty


# --------------------------------------------------------------------------------------------
# no data, summary, key figures
# --------------------------------------------------------------------------------------------

class TestNoDataText:
    def test_example_folder(self):
        text = pr.no_data_text("Falun", place.EXAMPLE_PLACES)
        assert text == (
            "Det finns inga platsdata för Falun. Rapporten läste de medföljande exempeldata (data/example/places), som "
            "bara har platser i Helsingborg, eftersom ingen egen mapp med platsdata (place_data) är angiven för "
            "kommunen. Rapporten kan därför inte bedöma några platser, visa händelser på kartan eller föreslå åtgärder.")

    def test_example_folder_spelled_differently(self):
        folder = PROJ_ROOT / "data" / "example" / ".." / "example" / "places"
        assert pr.no_data_text("Falun", str(folder)) == pr.no_data_text("Falun", place.EXAMPLE_PLACES)

    def test_other_folder(self, tmp_path):
        text = pr.no_data_text("Falun", tmp_path / "platser_falun")
        assert text == ("Det finns inga platsdata för Falun. Mappen platser_falun har inga platser med kommunkoden "
                        "för Falun. Rapporten kan därför inte bedöma några platser, visa händelser på kartan eller "
                        "föreslå åtgärder.")
        assert "exempeldata" not in text


class TestSummaryPoints:
    def test_no_data_no_districts(self):
        assert pr.summary_points(None, None, None, "Falun", []) == [
            "Det finns inga platsdata för Falun: rapporten kan inte bedöma några platser ännu.",
            "Inga stadsdelar är angivna, så polisens händelser räknas inte per stadsdel."]

    def test_no_data_with_districts_but_no_police(self):
        assert pr.summary_points(None, None, None, "Falun", ["Norr"]) == [
            "Det finns inga platsdata för Falun: rapporten kan inte bedöma några platser ännu."]

    def test_no_data_police_counts_small(self):
        police = pd.DataFrame({"stadsdel": ["Norr", "Söder"], "handelser": [2, 1], "vanligaste_typer": ["", ""]})
        points = pr.summary_points(None, None, police, "Falun", ["Norr", "Söder"])
        assert points[-1] == "Polisens sammanfattningar nämner de angivna stadsdelarna färre än 3 gånger var."
        assert not any(re.search(r"\b[12]\b", p) for p in points)

    def test_no_data_police_largest_named(self):
        police = pd.DataFrame({"stadsdel": ["Norr", "Söder"], "handelser": [2, 7], "vanligaste_typer": ["", ""]})
        points = pr.summary_points(None, None, police, "Falun", ["Norr", "Söder"])
        assert points[-1] == "Polisens händelser som nämner en stadsdel: flest nämner Söder (7). Det är en undre gräns."

    def test_with_data(self, rich):
        data, a = rich
        points = pr.summary_points(a, data, None, "Helsingborg", [])
        # Torget (6 × 3 + 1 + 2) / 8 = 2.625, Parken (7 × 4 + 2) / 8 = 3.75; belysning weak at both
        assert points[0] == "2 platser är bedömda. Lägst samlad poäng har Torget (2,6 av 5)."
        assert points[1] == "Den vanligaste svaga faktorn är belysning (2 av 2 platser)."
        assert points[2].startswith("Händelser och medborgarrapporter juli 2024–juni 2025: ")
        assert points[2].endswith(f"hälften av händelserna finns i 4,8{NBSP}% av rutorna.")
        assert points[3] == f"Högst prioritet får Torget: {a.priority['skal'].iloc[0]}"
        assert points[4] == "Inga stadsdelar är angivna, så polisens händelser räknas inte per stadsdel."
        assert len(points) == 5

    def test_example_data_said_first(self, rich):
        data, a = rich
        data = PlaceData(**{**vars(data), "example": True})
        assert pr.summary_points(a, data, None, "Helsingborg", ["Söder"])[0].startswith("Exempeldata: ")


class TestKeyFigures:
    def test_synthetic(self, rich):
        data, a = rich
        k = pr.key_figures("Platsbedömning", Cfg(), data, a, None)
        text = json.dumps(k, allow_nan=False, ensure_ascii=False)
        assert SECRET_TEXT not in text and SECRET_NOTE not in text
        assert "fritext" not in text and "anteckning" not in text
        assert k["title"] == "Platsbedömning" and k["kommun"] == "1283"
        assert (k["place_data"], k["example_data"], k["places"], k["places_assessed"]) == (True, False, 3, 2)
        # latest event 2025-06-01 → the 12 months July 2024 – June 2025
        assert k["period"] == ["2024-07", "2025-06"]
        assert k["priority"] == ["Torget", "Parken"]
        assert k["districts_counted"] == []
        assert isinstance(k["hot_spot_cells"], int) and isinstance(k["gini"], float)

    def test_police_districts(self, rich):
        data, a = rich
        police = pd.DataFrame({"stadsdel": ["Söder", "Dalhem"], "handelser": [4, 1], "vanligaste_typer": ["", ""]})
        k = pr.key_figures("T", Cfg(), data, a, police)
        assert k["districts_counted"] == ["Söder", "Dalhem"]
        json.dumps(k, allow_nan=False)

    def test_citizen_reports_counted_only_from_three(self, rich):
        data, a = rich
        for n, expected in ((0, None), (1, None), (2, None), (3, 3), (7, 7)):
            reports = pd.DataFrame({"tid": pd.to_datetime(["2025-01-01"] * n), "kategori": ["Belysning"] * n})
            k = pr.key_figures("T", Cfg(), PlaceData(**{**vars(data), "citizen_reports": reports if n else None}),
                               a, None)
            assert k["citizen_reports"] == expected

    def test_no_data(self):
        k = pr.key_figures("T", Cfg(), None, None, None)
        json.dumps(k, allow_nan=False)
        assert (k["place_data"], k["places"], k["places_assessed"], k["period"], k["priority"]) == (False, 0, 0, None, [])

    def test_example(self, example):
        k = pr.key_figures("Platsbedömning", Cfg(), *example, None)
        json.loads(json.dumps(k, allow_nan=False))
        assert k["example_data"] is True and k["period"] == ["2024-01", "2025-12"]
        secrets = {str(s) for df in (example[0].incidents, example[0].citizen_reports) for s in df["fritext"]
                   if len(str(s)) > 20}
        notes = {str(s) for s in example[0].inspections["anteckning"] if len(str(s)) > 20}
        text = json.dumps(k, ensure_ascii=False)
        assert not any(s in text for s in secrets | notes)


class TestSmallHelpers:
    def test_period_text(self):
        a = place.Analysis(period=(pd.Timestamp("2024-01-01"), pd.Timestamp("2025-12-31")))
        assert pr.period_text(a) == "januari 2024–december 2025"
        assert pr.period_text(place.Analysis(period=None)) == "ingen period"
        assert pr.period_text(None) == "ingen period"

    def test_provenance_files(self):
        data = make_data()
        data.files = [{"name": "places/platser.csv"}]
        assert pr.provenance_files([{"name": "a"}], data) == [{"name": "a"}, {"name": "places/platser.csv"}]
        assert pr.provenance_files([{"name": "a"}], None) == [{"name": "a"}]

    def test_source_text(self, tmp_path):
        data = make_data()
        assert pr.source_text(None, "handelser") == "Ingen platsdata"
        data.folder = tmp_path / "mina_platser"
        data.files = [{"date": "2025-01-02"}, {"date": "2025-03-04"}]
        assert pr.source_text(data, "handelser") == "Händelselogg (Testkommunen, mina_platser, 4 mars 2025)"

    def test_folder_under_project_root_is_relative(self):
        data = make_data()
        data.folder = PROJ_ROOT / "indata" / "platser"
        assert pr.source_text(data, "handelser") == "Händelselogg (Testkommunen, indata/platser)"


def test_source_table_with_a_tiny_log_publishes_no_small_count():
    t = pr.source_table(events_analysis({"polis": 1, "kommun": 1}))
    assert t.values.tolist() == [["övriga källor", SMALL]]


# --------------------------------------------------------------------------------------------
# the maps' reference layers (kommun outline, Polisen's utsatta områden, basemap) in the captions
# --------------------------------------------------------------------------------------------

def reference(names_classes: list[tuple[str, str]], *, outline: bool = True, basemap=None):
    """Reference layers with areas over the synthetic places (which lie at x 0–2100, y 0–100 in SWEREF 99 TM)."""
    from lagesbild.render import mapref

    areas = gpd.GeoDataFrame({"name": [n for n, _ in names_classes], "class": [c for _, c in names_classes]},
                             geometry=[box(-200 + 900 * i, -200, 400 + 900 * i, 300) for i in range(len(names_classes))],
                             crs="EPSG:3006")
    return mapref.ReferenceLayers(outline=make_places() if outline else None, areas=areas, basemap=basemap)


class TestMapReferences:
    def test_places_map_text_keeps_its_sentences_and_names_the_areas(self, rich):
        data, a = rich
        plain = pr.map_alt_text(data, a)
        text = pr.map_alt_text(data, a, reference([("Söder", "utsatt"), ("Dalhem / Drottninghög", "utsatt")]))
        # in the frame's order (mapref.reference_layers sorts särskilt first, then by name)
        assert text == plain + " Kartan visar också kommungränsen och Polisens utsatta områden Söder och Dalhem / Drottninghög."

    def test_grid_map_text_with_both_classes(self, rich):
        data, a = rich
        plain = pr.grid_alt_text(a, data)
        text = pr.grid_alt_text(a, data, reference([("Söder", "utsatt"), ("Norr", "sarskilt")]))
        assert text == plain + (" Kartan visar också kommungränsen och Polisens särskilt utsatta område Norr samt "
                                "utsatta område Söder.")

    def test_a_kommun_without_areas_gets_one_neutral_sentence(self, rich):
        data, a = rich
        for text in (pr.map_alt_text(data, a, reference([])), pr.grid_alt_text(a, data, reference([]))):
            assert text.endswith(". Kartan visar också kommungränsen.") and "utsatt" not in text
        assert pr.map_alt_text(data, a, None) == pr.map_alt_text(data, a)

    def test_basemap_is_said_in_the_caption(self, rich):
        from lagesbild.render.mapref import Basemap

        data, a = rich
        ref = reference([], basemap=Basemap("https://karta.example-kommun.se/{z}/{x}/{y}.png", "© Example kommun"))
        assert pr.map_alt_text(data, a, ref).endswith(
            "Bakgrundskartan hämtas från karta.example-kommun.se, som kommunen har angett; kartan gör anrop dit när den "
            "visas.")
        assert pr.map_source(data, ref, "platser").endswith("; bakgrundskarta: © Example kommun")

    def test_map_source_credits_polisen_only_with_areas(self, rich):
        data, _ = rich
        with_areas = pr.map_source(data, reference([("Söder", "utsatt")]), "handelser", "medborgarrapporter")
        assert with_areas == (pr.source_text(data, "handelser", "medborgarrapporter")
                              + "; kommungräns: SCB (förenklad); Polismyndigheten, utsatta områden 2025")
        without = pr.map_source(data, reference([]), "platser")
        assert "Polismyndigheten" not in without and without.endswith("; kommungräns: SCB (förenklad)")


# --------------------------------------------------------------------------------------------
# describe_place, moved here from lagesbild.places.analysis (with its tests from test_place.py, whose
# synthetic data they use)
# --------------------------------------------------------------------------------------------


def latest_and_changes(insp: pd.DataFrame, pid: str):
    latest = factors.latest_profiles(insp).set_index("plats_id").loc[pid]
    changes = factors.change_since_previous(insp)
    return latest, changes[changes["plats_id"] == pid] if len(changes) else changes


class TestDescribePlace:
    def test_no_previous_round_and_no_overall_score(self):
        latest, _ = latest_and_changes(test_place.make_inspections(), "P2")
        assert pr.describe_place(latest) == (
            "Senast bedömd 2 maj 2025 (besiktning, 1 bedömare). "
            "Ingen samlad poäng: färre än 4 av de åtta faktorerna är bedömda. "
            "Svag faktor: Belysning (2,0). "
            "Det finns ingen tidigare bedömning att jämföra med.")

    def test_empty_changes_same_as_none(self):
        latest, changes = latest_and_changes(test_place.make_inspections(), "P2")
        assert changes.empty
        assert pr.describe_place(latest, changes) == pr.describe_place(latest, None)

    def test_better_and_worse_different_kinds(self):
        latest, changes = latest_and_changes(test_place.make_inspections(), "P1")
        assert pr.describe_place(latest, changes) == (
            "Senast bedömd 10 april 2025 (trygghetsvandring, 1 bedömare). Samlad poäng 3,0 av 5. "
            "Svag faktor: Belysning (1,0). "
            "Sedan föregående bedömning 12 april 2024 har Information blivit bättre och Belysning blivit sämre. "
            "Övriga faktorer är oförändrade (mindre än 0,5 poängs skillnad). "
            "Observera att bedömningarna gjordes på olika sätt (besiktning och trygghetsvandring), "
            "så förändringen kan delvis bero på metoden.")

    def test_same_kind_no_note_and_two_assessors(self):
        insp = pd.DataFrame([
            test_place.inspection("P", "2024-04-12", base=3),
            test_place.inspection("P", "2025-04-10", base=3, belysning=1, overblickbarhet=2),
            test_place.inspection("P", "2025-04-10", roll="boende", base=3, belysning=2, overblickbarhet=2,
                       information=4, samhorighet=4),
        ])
        latest, changes = latest_and_changes(insp, "P")
        # belysning (1+2)/2 = 1.5, overblickbarhet 2, information and samhorighet 3.5: +0.5 counts as better
        text = pr.describe_place(latest, changes)
        assert text.startswith("Senast bedömd 10 april 2025 (besiktning, 2 bedömare). Samlad poäng 2,8 av 5. "
                               "Svaga faktorer: Belysning (1,5) och Överblickbarhet (2,0). ")
        assert ("har Samhörighet och Information blivit bättre och Överblickbarhet och Belysning blivit sämre. "
                "Övriga faktorer är oförändrade") in text
        assert "olika sätt" not in text

    def test_all_unchanged(self):
        insp = pd.DataFrame([test_place.inspection("P", "2024-04-12", base=4),
                             test_place.inspection("P", "2025-04-10", base=4, belysning=4.4)])  # mean 4.05: halves round up (fmt.number)
        latest, changes = latest_and_changes(insp, "P")
        assert pr.describe_place(latest, changes) == (
            "Senast bedömd 10 april 2025 (besiktning, 1 bedömare). Samlad poäng 4,1 av 5. "
            "Ingen faktor har 2 poäng eller lägre. "
            "Sedan föregående bedömning 12 april 2024 är alla faktorer oförändrade (mindre än 0,5 poängs skillnad).")

    def test_every_factor_changed_no_others_sentence(self):
        insp = pd.DataFrame([test_place.inspection("P", "2024-04-12", base=3),
                             test_place.inspection("P", "2025-04-10", base=4)])
        latest, changes = latest_and_changes(insp, "P")
        text = pr.describe_place(latest, changes)
        assert "Övriga faktorer" not in text
        assert "Information blivit bättre." in text

    @pytest.mark.parametrize("latest_scores", [
        {"belysning": 1, "omhandertagna_miljoer": 3, "befolkade_platser": 3, "overblickbarhet": 3},
        {"belysning": 3, "omhandertagna_miljoer": 3, "befolkade_platser": 3, "overblickbarhet": 3},
    ], ids=["one-worse", "none-changed"])
    def test_not_comparable_factors_not_called_unchanged(self, latest_scores):
        # The latest round assessed only 4 of 8 factors: the other 4 cannot be compared, so the text
        # must not say that the other (or all) factors are unchanged.
        insp = pd.DataFrame([test_place.inspection("P", "2024-04-12", base=3),
                             test_place.inspection("P", "2025-04-10", **latest_scores)])
        latest, changes = latest_and_changes(insp, "P")
        assert (changes["riktning"] == factors.NOT_COMPARABLE).sum() == 4
        text = pr.describe_place(latest, changes)
        assert "Övriga faktorer är oförändrade" not in text
        assert "alla faktorer oförändrade" not in text
