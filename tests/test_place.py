"""Tests of lagesbild.places.analysis: settings, folders, periods, events per place and the place analysis.

Expected values are worked out by hand from small synthetic places (boxes in SWEREF 99 TM),
inspections and events built here, so each number can be checked against the comment next to it.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from helpers import raises_input_error
from shapely.geometry import box

from lagesbild.core.errors import ParamsError
from lagesbild.core.paths import PROJ_ROOT
from lagesbild.places import analysis as place
from lagesbild.places import factors
from lagesbild.places.data import PlaceData
from lagesbild.run import params
from lagesbild.run.params import KommunConfig, build_parameters
from lagesbild.stats import hotspots, spatial

K = factors.FACTOR_KEYS
NAN = float("nan")
SECRET_NOTE = "ANTECKNING-HEMLIG"
SECRET_TEXT = "FRITEXT-HEMLIG"


# --------------------------------------------------------------------------------------------
# synthetic data
# --------------------------------------------------------------------------------------------

def make_places(n: int = 2) -> gpd.GeoDataFrame:
    """P1 = box(0, 0, 100, 100) in cell E0N0, P2 = box(1000, 0, 1100, 100) in cell E1000N0, P3 further east."""
    boxes = [box(0, 0, 100, 100), box(1000, 0, 1100, 100), box(2000, 0, 2100, 100)][:n]
    return gpd.GeoDataFrame({
        "plats_id": ["P1", "P2", "P3"][:n], "namn": ["Torget", "Parken", "Tunneln"][:n],
        "kommun_kod": ["1283"] * n, "stadsdel": ["Söder", "", "Dalhem"][:n], "radie_m": [NAN] * n,
    }, geometry=boxes, crs="EPSG:3006")


def inspection(pid: str, day: str, typ: str = "besiktning", roll: str = "polis", base: float = NAN, **scores) -> dict:
    """One assessor's row: every factor ``base`` (NaN = not assessed) unless given in ``scores``."""
    return {"plats_id": pid, "datum": pd.Timestamp(day), "typ": typ, "roll": roll,
            **{k: float(scores.get(k, base)) for k in K}, "anteckning": SECRET_NOTE}


def make_inspections() -> pd.DataFrame:
    """P1: two rounds (all 3, then belysning 1 and information 5 at a safety walk); P2: one round, 3 factors."""
    return pd.DataFrame([
        inspection("P1", "2024-04-12", base=3),
        inspection("P1", "2025-04-10", "trygghetsvandring", "boende", base=3, belysning=1, information=5),
        inspection("P2", "2025-05-02", belysning=2, overblickbarhet=4, information=4),
    ])


def event(tid: str, kategori: str = "Klotter", plats_id: str = "", x: float = NAN, y: float = NAN,
          kalla: str | None = "polis") -> dict:
    out = {"tid": pd.Timestamp(tid), "kategori": kategori, "plats_id": plats_id, "x": x, "y": y,
           "fritext": SECRET_TEXT}
    if kalla is not None:
        out["kalla"] = kalla
    return out


def frame(rows: list[dict], citizen: bool = False) -> pd.DataFrame:
    columns = ["tid", "kategori", "plats_id", "x", "y", "fritext"] if citizen else \
        ["tid", "kategori", "kalla", "plats_id", "x", "y", "fritext"]
    return pd.DataFrame(rows, columns=columns)


def make_incidents() -> pd.DataFrame:
    """5 at P1 by id (no position), 2 at (600, 50) in no place (cell E500N0), 1 before the period."""
    return frame([event(f"2025-0{m}-10 22:00", "Klotter", "P1", kalla="kommun") for m in range(1, 6)]
                 + [event("2025-06-15 03:00", "Stöld", x=600.0, y=50.0), event("2025-06-14 03:00", "Stöld", x=610.0, y=60.0)]
                 + [event("2024-06-30 23:00", "Rån", "P1")])


def make_reports() -> pd.DataFrame:
    """3 at P2 by id and 1 inside P2 by position (1050, 50): all in cell E1000N0."""
    return frame([event("2025-03-01 12:00", "Belysning", "P2", kalla=None) for _ in range(3)]
                 + [event("2025-03-02 12:00", "Belysning", x=1050.0, y=50.0, kalla=None)], citizen=True)


def make_data(inspections="default", incidents="default", reports="default", n_places: int = 2) -> PlaceData:
    return PlaceData(
        places=make_places(n_places),
        inspections=make_inspections() if isinstance(inspections, str) else inspections,
        incidents=make_incidents() if isinstance(incidents, str) else incidents,
        citizen_reports=make_reports() if isinstance(reports, str) else reports,
        example=False, description="Testdata", source="Testkommunen", files=[], kommun_kod="1283", folder=None)


def events_table(rows: list[tuple]) -> pd.DataFrame:
    """combined_events-shaped events from (kategori, kalla_typ, plats_id, x, y)."""
    return pd.DataFrame({
        "tid": pd.Timestamp("2025-01-01"), "kategori": [r[0] for r in rows], "kalla": "polis",
        "kalla_typ": [r[1] for r in rows], "plats_id": [r[2] for r in rows],
        "x": [float(r[3]) for r in rows], "y": [float(r[4]) for r in rows]})


INC, CIT = place.INCIDENT_LOG, place.CITIZEN_REPORT


@pytest.fixture(scope="module")
def analysis():
    return place.analyse(make_data(), months=12, permutations=99)


# --------------------------------------------------------------------------------------------
# settings
# --------------------------------------------------------------------------------------------

class TestCheckSettings:
    @pytest.mark.parametrize(("key", "value"), [
        ("cell_size", 50), ("cell_size", 2000), ("cell_size", 250.0),
        ("months", 1), ("months", 120),
        ("alpha", 0.001), ("alpha", 0.2), ("alpha", 0.05),
        ("permutations", 99), ("permutations", 99999),
    ])
    def test_at_the_limits_passes(self, key, value):
        assert place.check_settings({key: value}) is None

    @pytest.mark.parametrize(("key", "value"), [
        ("cell_size", 49), ("cell_size", 2001), ("cell_size", 49.9),
        ("months", 0), ("months", 121),
        ("alpha", 0.0009), ("alpha", 0.2001), ("alpha", 0),
        ("permutations", 98), ("permutations", 100000),
        ("cell_size", NAN), ("alpha", float("inf")), ("months", "12"), ("cell_size", None),
    ])
    def test_outside_raises_naming_key_and_where(self, key, value):
        e = raises_input_error(place.check_settings, {key: value, "kommun": "1283"}, "params/1283_helsingborg.yaml",
                               kind=ParamsError)
        assert (e.file, e.column) == ("params/1283_helsingborg.yaml", key)
        assert key in e.problem

    @pytest.mark.parametrize("key", ["cell_size", "months", "alpha", "permutations"])
    @pytest.mark.parametrize("value", [True, False])
    def test_bools_rejected(self, key, value):
        # True == 1 is inside the months range: only the bool check can reject it
        e = raises_input_error(place.check_settings, {key: value}, kind=ParamsError)
        assert (e.file, e.column) == ("parameters", key)

    def test_unknown_keys_ignored(self):
        assert place.check_settings({"kommun": 1283, "place_data": 5, "districts": None, "cell_size_m": 1}) is None

    def test_message_gives_range_and_reason(self):
        e = raises_input_error(place.check_settings, {"months": 121}, "notebook parameters", kind=ParamsError)
        assert "121" in e.problem
        assert "1 to 120" in e.fix

    def test_first_bad_key_in_limits_order(self):
        e = raises_input_error(place.check_settings, {"permutations": 5, "cell_size": 10}, kind=ParamsError)
        assert e.column == "cell_size"


class TestBuildParametersPlaceAssessment:
    DECLARED = {
        "kommun": {"type": "str"}, "place_data": {"type": "str"}, "districts": {"type": "list[str]"},
        "cell_size": {"type": "int"}, "months": {"type": "int"}, "alpha": {"type": "float"},
        "permutations": {"type": "int"}, "data_dir": {"type": "str"},
    }

    @staticmethod
    def cfg(**report) -> KommunConfig:
        return KommunConfig(kommun="1283", name="Helsingborg", lan_kod="12", lan="Skåne län",
                            reports={"place_assessment": report}, source="1283_helsingborg.yaml")

    def test_value_check_registered(self):
        assert "place_assessment" in params.VALUE_CHECKS

    def test_cell_size_10_rejected(self, tmp_path):
        e = raises_input_error(build_parameters, "place_assessment", self.cfg(cell_size=10), tmp_path,
                               declared=self.DECLARED, kind=ParamsError)
        assert (e.file, e.column) == ("1283_helsingborg.yaml", "cell_size")
        assert "10" in e.problem

    def test_alpha_too_large_rejected(self, tmp_path):
        e = raises_input_error(build_parameters, "place_assessment", self.cfg(alpha=0.5), tmp_path,
                               declared=self.DECLARED, kind=ParamsError)
        assert e.column == "alpha"

    def test_good_values_pass(self, tmp_path):
        values = build_parameters("place_assessment", self.cfg(cell_size=50, months=120, alpha=0.2, permutations=99),
                                  tmp_path, declared=self.DECLARED)
        assert (values["cell_size"], values["months"], values["alpha"], values["permutations"]) == (50, 120, 0.2, 99)

    def test_other_reports_not_range_checked(self, tmp_path):
        cfg = KommunConfig(kommun="1283", name="Helsingborg", lan_kod="12", lan="Skåne län",
                           reports={"crime_trends": {"cell_size": 10}}, source="1283_helsingborg.yaml")
        values = build_parameters("crime_trends", cfg, tmp_path, declared=self.DECLARED)
        assert values["cell_size"] == 10


# --------------------------------------------------------------------------------------------
# folders, events, periods
# --------------------------------------------------------------------------------------------

class TestPlaceFolder:
    @pytest.mark.parametrize("text", ["", "   ", "\t\n"])
    def test_empty_is_example(self, text):
        assert place.place_folder(text) == place.EXAMPLE_PLACES

    def test_relative_under_project_root(self):
        assert place.place_folder("indata/platser") == PROJ_ROOT / "indata" / "platser"

    def test_absolute_unchanged(self, tmp_path):
        assert place.place_folder(str(tmp_path)) == tmp_path

    def test_whitespace_stripped(self, tmp_path):
        assert place.place_folder("  indata/platser \n") == PROJ_ROOT / "indata" / "platser"
        assert place.place_folder(f" {tmp_path} ") == tmp_path


class TestCombinedEvents:
    def test_both_sources(self):
        out = place.combined_events(make_incidents(), make_reports())
        assert list(out.columns) == ["tid", "kategori", "kalla", "kalla_typ", "plats_id", "x", "y"]
        assert len(out) == 8 + 4
        assert out["kalla_typ"].tolist() == [INC] * 8 + [CIT] * 4
        assert out["kalla"].tolist() == ["kommun"] * 5 + ["polis"] * 3 + ["medborgare"] * 4
        assert out["plats_id"].tolist()[-4:] == ["P2", "P2", "P2", ""]

    def test_free_text_dropped(self):
        out = place.combined_events(make_incidents(), make_reports())
        assert "fritext" not in out.columns
        assert not out.astype(str).isin([SECRET_TEXT]).any().any()

    def test_citizen_report_kalla_overrides_any_given(self):
        reports = make_reports().assign(kalla="polis")
        assert set(place.combined_events(None, reports)["kalla"]) == {"medborgare"}

    @pytest.mark.parametrize("empty", [None, "frame"])
    def test_empty_input_has_the_columns(self, empty):
        inc = None if empty is None else make_incidents().iloc[:0]
        rep = None if empty is None else make_reports().iloc[:0]
        out = place.combined_events(inc, rep)
        assert out.empty
        assert list(out.columns) == ["tid", "kategori", "kalla", "kalla_typ", "plats_id", "x", "y"]
        assert pd.api.types.is_datetime64_any_dtype(out["tid"])
        assert out["x"].dtype == "float64" and out["y"].dtype == "float64"


class TestWindow:
    @staticmethod
    def times(*values):
        return pd.Series([pd.Timestamp(v) for v in values])

    def test_one_month(self):
        assert place.window(self.times("2025-03-15 10:00"), 1) == (pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-31"))

    def test_across_year_boundary(self):
        # Dec 2024, Jan 2025, Feb 2025 (28 days)
        assert place.window(self.times("2025-02-10"), 3) == (pd.Timestamp("2024-12-01"), pd.Timestamp("2025-02-28"))

    def test_twelve_months_of_a_leap_february(self):
        assert place.window(self.times("2024-02-29 23:59"), 12) == (pd.Timestamp("2023-03-01"), pd.Timestamp("2024-02-29"))

    def test_unsorted_input_uses_latest(self):
        t = self.times("2025-02-10", "2023-01-01", "2025-11-30 23:00", "2024-11-05")
        assert place.window(t, 24) == (pd.Timestamp("2023-12-01"), pd.Timestamp("2025-11-30"))

    def test_nat_ignored(self):
        t = pd.Series([pd.NaT, pd.Timestamp("2024-06-03"), pd.NaT])
        assert place.window(t, 2) == (pd.Timestamp("2024-05-01"), pd.Timestamp("2024-06-30"))

    def test_only_nat_or_empty_is_none(self):
        assert place.window(pd.Series([pd.NaT, pd.NaT]), 12) is None
        assert place.window(pd.Series([], dtype="datetime64[ns]"), 12) is None

    def test_end_is_midnight_of_the_last_day(self):
        start, end = place.window(self.times("2025-12-30 23:10"), 24)
        assert (start, end) == (pd.Timestamp("2024-01-01"), pd.Timestamp("2025-12-31"))
        assert end == end.normalize()


class TestInWindow:
    def test_end_day_inclusive(self):
        t = ["2024-12-31 23:59:59", "2025-01-01 00:00", "2025-01-31 23:59:59", "2025-02-01 00:00"]
        e = pd.DataFrame({"tid": [pd.Timestamp(v) for v in t], "n": range(4)})
        out = place.in_window(e, pd.Timestamp("2025-01-01"), pd.Timestamp("2025-01-31"))
        assert out["n"].tolist() == [1, 2]

    def test_one_day_window(self):
        e = pd.DataFrame({"tid": pd.to_datetime(["2025-05-05 00:00", "2025-05-05 12:00", "2025-05-06 00:00"])})
        assert len(place.in_window(e, pd.Timestamp("2025-05-05"), pd.Timestamp("2025-05-05"))) == 2


# --------------------------------------------------------------------------------------------
# events per place
# --------------------------------------------------------------------------------------------

class TestPerPlace:
    EVENTS = [
        ("Klotter", INC, "P1", NAN, NAN),      # P1 by id
        ("Klotter", INC, "", 50, 50),          # P1 by position
        ("Stöld", INC, "P1", 1050, 50),        # P1 by id although the point is in P2
        ("Belysning", CIT, "", 1050, 50),      # P2 by position
        ("Belysning", CIT, "P2", NAN, NAN),    # P2 by id
        ("Belysning", CIT, "P1", NAN, NAN),    # P1 by id, a citizen report
        ("Rån", INC, "", 5000, 5000),          # in no place
        ("Rån", INC, "P9", NAN, NAN),          # an id not in the register
    ]

    def test_by_id_and_position(self):
        out = place.per_place(make_places(), events_table(self.EVENTS))
        assert list(out.columns) == ["plats_id", "namn", "stadsdel", "handelser", "medborgarrapporter", "totalt"]
        assert out["plats_id"].tolist() == ["P1", "P2"]
        assert out["namn"].tolist() == ["Torget", "Parken"]
        assert out["handelser"].tolist() == [3, 0]
        assert out["medborgarrapporter"].tolist() == [1, 2]
        assert out["totalt"].tolist() == [4, 2]

    def test_event_in_no_place_counts_nowhere(self):
        out = place.per_place(make_places(), events_table([("Rån", INC, "", 5000, 5000)]))
        assert out["totalt"].tolist() == [0, 0]

    def test_empty_events(self):
        out = place.per_place(make_places(3), place.combined_events(None, None))
        assert out["plats_id"].tolist() == ["P1", "P2", "P3"]
        assert out[["handelser", "medborgarrapporter", "totalt"]].to_numpy().tolist() == [[0, 0, 0]] * 3

    def test_register_order_kept(self):
        places = make_places(3).iloc[[2, 0, 1]]
        out = place.per_place(places, events_table([("a", INC, "P1", NAN, NAN)]))
        assert out["plats_id"].tolist() == ["P3", "P1", "P2"]
        assert out["totalt"].tolist() == [0, 1, 0]


class TestCategoriesPerPlace:
    def events(self) -> pd.DataFrame:
        rows = ([("Klotter", INC, "P1", NAN, NAN)] * 4 + [("Stöld", INC, "", 50, 50)] * 3
                + [("Hot", INC, "P1", NAN, NAN)] * 2 + [("Rån", CIT, "P1", NAN, NAN)]
                + [("Belysning", CIT, "P2", NAN, NAN)] * 3 + [("Hot", INC, "", 1050, 50)]
                + [("Klotter", INC, "", 5000, 5000)] * 5)  # in no place
        return events_table(rows)

    def test_shown_hidden_and_others(self):
        out = place.categories_per_place(make_places(3), self.events())
        assert list(out.columns) == ["plats_id", "namn", "kategorier"]
        # P1: Klotter 4, Stöld 3 shown; Hot 2 + Rån 1 = 3 → "övriga (3)"
        # P2: Belysning 3 and Hot 1: "Belysning (3)" next to the place's published total 4 would give Hot 1
        #     back, so Belysning joins övriga (4)
        # P3: no events
        assert out["kategorier"].tolist() == ["Klotter (4), Stöld (3), övriga (3)", "övriga (4)", "inga"]

    def test_too_few_to_show(self):
        ev = events_table([("Klotter", INC, "P1", NAN, NAN)] * 2)
        assert place.categories_per_place(make_places(1), ev)["kategorier"].tolist() == ["för få att visa"]

    def test_two_small_categories_summed_into_others(self):
        ev = events_table([("Klotter", INC, "P1", NAN, NAN)] * 2 + [("Hot", INC, "P1", NAN, NAN)] * 2)
        assert place.categories_per_place(make_places(1), ev)["kategorier"].tolist() == ["övriga (4)"]

    def test_top_limits_named_categories(self):
        # top=1: Klotter (4) named; Stöld 3 + Hot 2 + Rån 1 = 6 in "övriga"
        out = place.categories_per_place(make_places(1), self.events(), top=1)
        assert out["kategorier"].tolist() == ["Klotter (4), övriga (6)"]

    def test_ties_alphabetical(self):
        ev = events_table([("Stöld", INC, "P1", NAN, NAN)] * 3 + [("Klotter", INC, "P1", NAN, NAN)] * 3)
        assert place.categories_per_place(make_places(1), ev)["kategorier"].tolist() == ["Klotter (3), Stöld (3)"]

    def test_no_small_number_in_text(self):
        out = place.categories_per_place(make_places(3), self.events())
        for text in out["kategorier"]:
            assert "(1)" not in text and "(2)" not in text

    def test_empty_events(self):
        out = place.categories_per_place(make_places(2), place.combined_events(None, None))
        assert out["kategorier"].tolist() == ["inga", "inga"]


# --------------------------------------------------------------------------------------------
# analyse
# --------------------------------------------------------------------------------------------

def dataframes(a) -> dict[str, pd.DataFrame]:
    return {k: v for k, v in vars(a).items() if isinstance(v, pd.DataFrame)}


class TestAnalyse:
    def test_period(self, analysis):
        # latest event 2025-06-15 → 12 months July 2024 – June 2025; the 2024-06-30 incident falls outside
        assert analysis.period == (pd.Timestamp("2024-07-01"), pd.Timestamp("2025-06-30"))
        assert len(analysis.events) == 5 + 2 + 4
        assert "Rån" not in set(analysis.events["kategori"])

    def test_positions_filled_from_place(self, analysis):
        p1 = analysis.events[analysis.events["plats_id"] == "P1"]
        rep = make_places().geometry.iloc[0].representative_point()
        assert (p1["x"] == rep.x).all() and (p1["y"] == rep.y).all()

    def test_per_place(self, analysis):
        c = analysis.per_place
        assert c["plats_id"].tolist() == ["P1", "P2"]
        assert c["handelser"].tolist() == [5, 0]
        assert c["medborgarrapporter"].tolist() == [0, 4]
        assert c["totalt"].tolist() == [5, 4]

    def test_categories(self, analysis):
        assert analysis.categories["kategorier"].tolist() == ["Klotter (5)", "Belysning (4)"]

    def test_cells_publishable(self, analysis):
        cells = analysis.cells
        assert (cells["antal"] >= 3).all()
        # E0N0: 5 at P1's point; E1000N0: 4 reports at P2; E500N0 has 2 and is not shown
        assert dict(zip(cells["cell_id"], cells["antal"], strict=True)) == {"E0N0": 5, "E1000N0": 4}
        assert {"klass", "het_fdr", "gi_bin"} <= set(cells.columns)
        assert analysis.suppressed == "färre än 3"

    def test_grid_is_complete_lattice(self, analysis):
        # x 50…1050, y 50 → columns 0…4, row 0, plus one margin cell each side: 7 × 3
        assert len(analysis.grid) == 21
        assert int(analysis.grid["antal"].sum()) == 11

    def test_concentration_over_lattice(self, analysis):
        counts = [5, 4, 2] + [0] * 18
        c = analysis.concentration
        assert c["n_cells"] == 21 and c["n_events"] == 11
        assert c["share_cells_50"] == pytest.approx(2 / 21)  # 5 + 4 ≥ 5.5 in the two top cells
        assert c["top10"] == pytest.approx(1.0)  # ceil(2.1) = 3 cells hold all 11
        from inequality.gini import Gini
        assert c["gini"] == pytest.approx(Gini(np.array(counts, dtype=float)).g)
        assert analysis.lorenz["andel_handelser"].iloc[-1] == pytest.approx(1.0)
        assert len(analysis.lorenz) == 22

    def test_matrix_counts_all_events_in_period(self, analysis):
        assert int(analysis.matrix.to_numpy().sum()) == 11
        # five incidents at 22:00 on the 10th of January–May 2025: Friday, Monday, Monday, Thursday, Saturday
        assert analysis.matrix[22].tolist() == [2, 0, 0, 1, 1, 1, 0]

    def test_rounds_latest_changes_priority(self, analysis):
        assert analysis.rounds["plats_id"].tolist() == ["P1", "P1", "P2"]
        assert analysis.latest["plats_id"].tolist() == ["P1", "P2"]
        assert analysis.latest["samlad"].iloc[0] == pytest.approx((6 * 3 + 1 + 5) / 8)
        assert np.isnan(analysis.latest["samlad"].iloc[1])  # 3 of 8 assessed
        assert set(analysis.changes["plats_id"]) == {"P1"}
        assert analysis.priority["plats_id"].tolist() == ["P1", "P2"]  # P2 has no overall score: last
        assert analysis.priority["handelser"].tolist() == [5, 4]

    def test_no_free_text_anywhere(self, analysis):
        frames = dataframes(analysis)
        assert {"events", "per_place", "categories", "rounds", "latest", "changes", "grid", "cells", "lorenz",
                "matrix", "priority"} <= set(frames)
        for name, df in frames.items():
            assert not {"fritext", "anteckning"} & set(map(str, df.columns)), name
            text = df.drop(columns=df.select_dtypes("number").columns).astype(str)
            assert not text.isin([SECRET_NOTE, SECRET_TEXT]).any().any(), name

    def test_settings_kept(self):
        a = place.analyse(make_data(), cell_size=500, months=6, alpha=0.1, permutations=99)
        assert (a.cell_size, a.alpha, a.permutations) == (500, 0.1, 99)
        assert a.period == (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-06-30"))
        assert (a.cells["antal"] >= 3).all()

    def test_without_inspections(self):
        a = place.analyse(make_data(inspections=None), months=12, permutations=99)
        assert a.rounds.empty and a.latest.empty and a.changes.empty and a.priority.empty
        assert a.per_place["totalt"].tolist() == [5, 4]
        assert a.cells is not None

    def test_without_incidents_and_reports(self):
        a = place.analyse(make_data(incidents=None, reports=None), permutations=99)
        assert a.period is None
        assert a.cells is None and a.grid is None and a.matrix is None
        assert a.events.empty
        assert a.per_place["totalt"].tolist() == [0, 0]
        assert a.categories["kategorier"].tolist() == ["inga", "inga"]
        assert a.concentration == {} and a.lorenz.empty
        assert a.suppressed == "0"
        assert len(a.latest) == 2
        assert a.priority["handelser"].tolist() == [0, 0]

    def test_only_citizen_reports(self):
        a = place.analyse(make_data(incidents=None), months=12, permutations=99)
        assert a.period == (pd.Timestamp("2024-04-01"), pd.Timestamp("2025-03-31"))
        assert a.cells["antal"].tolist() == [4]

    def test_events_without_any_position(self):
        # an incident whose id is not in the register and has no position cannot be put on the grid
        inc = frame([event("2025-01-01", "Rån", "P9")])
        a = place.analyse(make_data(incidents=inc, reports=None), permutations=99)
        assert a.period is not None and len(a.events) == 1
        assert a.cells is None and a.grid is None


# --------------------------------------------------------------------------------------------
# districts, place text, hot spots
# --------------------------------------------------------------------------------------------

class TestDistrictNames:
    def test_given_only(self):
        assert place.district_names([" Söder ", "Norra   hamnen", "", "Söder"]) == ["Söder", "Norra hamnen"]

    def test_places_added_after_given(self):
        data = make_data(n_places=3)  # stadsdel "Söder", "", "Dalhem"
        assert place.district_names(["Eneborg", "Dalhem"], data) == ["Eneborg", "Dalhem", "Söder"]

    def test_empty(self):
        assert place.district_names([]) == []


class TestHotSpotPlaces:
    CELLS = gpd.GeoDataFrame({"het_fdr": [True, False, True]},
                             geometry=[box(0, 0, 250, 250), box(250, 0, 500, 250), box(1000, 1000, 1250, 1250)],
                             crs="EPSG:3006")

    def places(self) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame({"namn": ["Kall", "Het", "Över gränsen", "Långt bort", "Andra heta"]}, geometry=[
            box(300, 10, 350, 50),        # only in the non-hot cell
            box(10, 10, 50, 50),          # inside the first hot cell
            box(200, 10, 300, 50),        # straddles the hot and the non-hot cell
            box(5000, 5000, 5100, 5100),  # far away
            box(1100, 1100, 1200, 1200),  # inside the second hot cell
        ], crs="EPSG:3006")

    def test_register_order(self):
        assert place.hot_spot_places(self.CELLS, self.places()) == ["Het", "Över gränsen", "Andra heta"]

    def test_no_hot_cell(self):
        cells = self.CELLS.assign(het_fdr=False)
        assert place.hot_spot_places(cells, self.places()) == []

    @pytest.mark.parametrize("cells", [None, CELLS.iloc[:0]])
    def test_no_cells(self, cells):
        assert place.hot_spot_places(cells, self.places()) == []

    def test_with_analysis_cells(self):
        # A lattice where one cell holds many events: with 99 permutations the FDR result is whatever
        # hotspots.hot_spots says; hot_spot_places must name exactly the places meeting those cells.
        xs = np.r_[np.full(30, 1125.0), np.arange(0, 2500, 250.0) + 10]
        ys = np.r_[np.full(30, 1125.0), np.arange(0, 2500, 250.0) + 10]
        lattice = spatial.grid_counts(xs, ys, 250)
        grid = hotspots.hot_spots(lattice, permutations=99)
        cells = spatial.publishable(lattice).join(grid.set_index("cell_id")[["het_fdr"]], on="cell_id")
        assert cells["het_fdr"].any()
        places = gpd.GeoDataFrame({"namn": ["Mitten", "Hörnet"]},
                                  geometry=[box(1100, 1100, 1150, 1150), box(2400, 2400, 2450, 2450)], crs="EPSG:3006")
        # only the centre cell (31 events) is published; the corner cell (1 event) is not
        assert cells["cell_id"].tolist() == ["E1000N1000"]
        assert place.hot_spot_places(cells, places) == ["Mitten"]


class TestAnalysisRepr:
    def test_repr_lists_attributes(self):
        assert repr(place.Analysis(b=1, a=2)) == "Analysis(a, b)"
