"""Tests of lagesbild.places.data: place registers, inspections, incident logs and citizen reports.

Every input is written in the test as text (or as an .xlsx with openpyxl), so what is tested is
visible here. Coordinates are checked against pyproj and against the Transverse Mercator formula on
the central meridian (E = 500 000 m, N = k0 × meridian arc), computed here by numerical integration.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import io
import math
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from helpers import raises_input_error
from pyproj import Transformer
from scipy.integrate import quad

from lagesbild.core.errors import InputError
from lagesbild.core.paths import DATA
from lagesbild.places import data as pdata
from lagesbild.places.factors import FACTOR_KEYS, FACTOR_NAMES, SCALE

TEMPLATES_DIR = DATA / "templates"
EXAMPLE_DIR = DATA / "example" / "places"

PLACES_HEADER = "plats_id;namn;kommun;stadsdel;koordinatsystem;geometri;ost;nord;radie_m"
SQUARE = "POLYGON ((356300 6213500, 356400 6213500, 356400 6213600, 356300 6213600, 356300 6213500))"
P1 = f"P1;Torget;1283;Söder;EPSG:3006;{SQUARE};;;"
P2 = "P2;Parken;1283;;WGS 84;;12,70;56,05;100"
P3 = "P3;Stortorget;2080;;SWEREF 99 TM;;534 768;6 719 182;50"  # Falun

INSPECTIONS_HEADER = "plats_id;datum;typ;roll;" + ";".join(FACTOR_NAMES[k] for k in FACTOR_KEYS) + ";anteckning"
INCIDENTS_HEADER = "tid;kategori;kalla;plats_id;koordinatsystem;ost;nord;fritext"
REPORTS_HEADER = "tid;kategori;plats_id;koordinatsystem;ost;nord;fritext"

WGS_TO_SWEREF = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)


def table(tmp_path: Path, name: str, header: str, *rows: str) -> Path:
    """Write a ;-separated UTF-8 CSV (header = row 1, rows from row 2)."""
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def places_file(tmp_path: Path, *rows: str) -> Path:
    return table(tmp_path, "platser.csv", PLACES_HEADER, *(rows or (P1, P2)))


def scores(*values: object) -> str:
    """Eight factor cells (padded with empty cells)."""
    cells = [str(v) for v in values] + [""] * (8 - len(values))
    return ";".join(cells)


def inspection(plats="P1", datum="2025-03-14", typ="besiktning", roll="polis", factors="3;4;2;2;3;;3;2", note="Mörkt"):
    return f"{plats};{datum};{typ};{roll};{factors};{note}"


def assert_where(err: InputError, row: int | None, column: str | None, *in_message: str) -> None:
    assert err.row == row, str(err)
    assert err.column == column, str(err)
    for text in in_message:
        assert text in str(err), f"{text!r} not in {err}"


# ============================================================================================
# Places
# ============================================================================================


class TestLoadPlaces:
    def test_polygon_and_point(self, tmp_path):
        places = pdata.load_places(places_file(tmp_path, P1, P2, P3))
        assert places.crs.to_epsg() == 3006
        assert list(places.columns) == ["plats_id", "namn", "kommun_kod", "stadsdel", "radie_m", "geometry"]
        assert places.index.tolist() == [2, 3, 4]  # spreadsheet rows
        assert places["kommun_kod"].tolist() == ["1283", "1283", "2080"]
        assert places.loc[2, "geometry"].area == pytest.approx(100 * 100)  # SWEREF polygon kept as is
        assert math.isnan(places.loc[2, "radie_m"]) and places.loc[3, "radie_m"] == 100
        # the WGS 84 point is transformed with pyproj and stored as a circle of radius 100 m
        x, y = WGS_TO_SWEREF.transform(12.70, 56.05)
        circle = places.loc[3, "geometry"]
        assert circle.centroid.x == pytest.approx(x, abs=0.01) and circle.centroid.y == pytest.approx(y, abs=0.01)
        assert circle.area == pytest.approx(math.pi * 100**2, rel=0.005)
        # "534 768" with a space is a Swedish number
        assert places.loc[4, "geometry"].centroid.x == pytest.approx(534768, abs=0.01)
        pdata.PLACES_SCHEMA.validate(places)

    def test_headers_case_and_spaces_and_alias(self, tmp_path):
        path = table(tmp_path, "platser.csv", " PLATS_ID ;Namn;Kommun_kod;koordinatsystem;OST;Nord;Radie_M",
                     "P9;X;0114;epsg:4326;17,9;59,5;50")
        places = pdata.load_places(path)
        assert places.loc[2, "kommun_kod"] == "0114" and places.loc[2, "stadsdel"] == ""

    @pytest.mark.parametrize("spelling", ["EPSG:3006", "SWEREF 99 TM", "sweref99 tm", "3006"])
    def test_sweref_spellings(self, tmp_path, spelling):
        path = places_file(tmp_path, f"P1;X;1283;;{spelling};;356300;6213500;50")
        assert pdata.load_places(path).loc[2, "geometry"].centroid.x == pytest.approx(356300)

    @pytest.mark.parametrize("spelling", ["EPSG:4326", "WGS 84", "WGS84", "4326", "wgs 84"])
    def test_wgs_spellings(self, tmp_path, spelling):
        path = places_file(tmp_path, f"P1;X;1283;;{spelling};;12,70;56,05;50")
        x, _ = WGS_TO_SWEREF.transform(12.70, 56.05)
        assert pdata.load_places(path).loc[2, "geometry"].centroid.x == pytest.approx(x, abs=0.01)

    def test_wkt_in_wgs84_is_transformed(self, tmp_path):
        wkt = "POLYGON ((12.70 56.05, 12.701 56.05, 12.701 56.051, 12.70 56.05))"
        places = pdata.load_places(places_file(tmp_path, f"P1;X;1283;;WGS 84;{wkt};;;"))
        xs, ys = WGS_TO_SWEREF.transform([12.70, 12.701, 12.701], [56.05, 56.05, 56.051])
        got = np.asarray(places.loc[2, "geometry"].exterior.coords)[:3]
        np.testing.assert_allclose(got, np.c_[xs, ys], atol=0.01)

    def test_multipolygon(self, tmp_path):
        wkt = ("MULTIPOLYGON (((356300 6213500, 356400 6213500, 356400 6213600, 356300 6213500)), "
               "((356500 6213500, 356600 6213500, 356600 6213600, 356500 6213500)))")
        places = pdata.load_places(places_file(tmp_path, f"P1;X;1283;;EPSG:3006;{wkt};;;"))
        assert places.loc[2, "geometry"].geom_type == "MultiPolygon"
        assert places.loc[2, "geometry"].area == pytest.approx(2 * 5000)

    def test_missing_column(self, tmp_path):
        path = table(tmp_path, "platser.csv", "plats_id;kommun;koordinatsystem;ost;nord;radie_m",
                     "P1;1283;3006;356300;6213500;50")
        err = raises_input_error(pdata.load_places, path)
        assert_where(err, 1, None, "namn", "data/templates/platser.csv")

    def test_unknown_column(self, tmp_path):
        path = table(tmp_path, "platser.csv", PLACES_HEADER + ";farg", P1 + ";röd")
        assert_where(raises_input_error(pdata.load_places, path), 1, "farg", "unknown column", "rename it")

    def test_duplicate_plats_id_names_both_rows(self, tmp_path):
        path = places_file(tmp_path, P1, P2, P2.replace("Parken", "Parken igen"))
        err = raises_input_error(pdata.load_places, path)
        assert_where(err, 4, "plats_id", "'P2'", "rows 3 and 4", "renumber or delete")

    def test_empty_plats_id(self, tmp_path):
        err = raises_input_error(pdata.load_places, places_file(tmp_path, P1, ";" + P2[3:]))
        assert_where(err, 3, "plats_id", "empty")

    def test_bad_crs_value(self, tmp_path):
        path = places_file(tmp_path, P1, P2.replace("WGS 84", "RT90"))
        err = raises_input_error(pdata.load_places, path)
        assert_where(err, 3, "koordinatsystem", "'RT90'", "EPSG:3006", "SWEREF 99 TM first")

    def test_missing_crs(self, tmp_path):
        path = places_file(tmp_path, P1, P2.replace("WGS 84", ""))
        err = raises_input_error(pdata.load_places, path)
        assert_where(err, 3, "koordinatsystem", "empty", "never guessed")

    def test_swapped_lat_lon(self, tmp_path):
        path = places_file(tmp_path, P1, "P2;Parken;1283;;WGS 84;;56,05;12,70;100")
        err = raises_input_error(pdata.load_places, path)
        assert_where(err, 3, "ost", "swapped", "longitude", "latitude")

    def test_wgs84_declared_as_sweref(self, tmp_path):
        path = places_file(tmp_path, P1, "P2;Parken;1283;;EPSG:3006;;12,70;56,05;100")
        err = raises_input_error(pdata.load_places, path)
        assert_where(err, 3, "ost", "look like WGS 84", "set koordinatsystem to EPSG:4326")

    def test_sweref_declared_as_wgs84(self, tmp_path):
        path = places_file(tmp_path, "P1;X;1283;;WGS 84;;356300;6213500;50")
        err = raises_input_error(pdata.load_places, path)
        assert_where(err, 2, "ost", "look like SWEREF 99 TM", "EPSG:3006")

    def test_polygon_outside_sweden_for_its_crs(self, tmp_path):
        wkt = "POLYGON ((12.70 56.05, 12.701 56.05, 12.701 56.051, 12.70 56.05))"
        err = raises_input_error(pdata.load_places, places_file(tmp_path, f"P1;X;1283;;EPSG:3006;{wkt};;;"))
        assert_where(err, 2, "geometri", "look like WGS 84", "EPSG:4326")

    @pytest.mark.parametrize("wkt, problem", [
        ("POLYGN ((0 0, 1 0, 1 1, 0 0))", "not valid WKT"),
        ("POLYGON ((356300 6213500, 356400 6213500, 356400 6213600))", "not valid WKT"),  # ring not closed
        ("POINT (356300 6213500)", "a Point, not a polygon"),
        ("POLYGON EMPTY", "empty"),
    ])
    def test_bad_wkt(self, tmp_path, wkt, problem):
        err = raises_input_error(pdata.load_places, places_file(tmp_path, P1, f"P2;X;1283;;EPSG:3006;{wkt};;;"))
        assert_where(err, 3, "geometri", problem, "POLYGON ((")

    def test_invalid_polygon(self, tmp_path):
        bowtie = "POLYGON ((356300 6213500, 356400 6213600, 356400 6213500, 356300 6213600, 356300 6213500))"
        err = raises_input_error(pdata.load_places, places_file(tmp_path, f"P1;X;1283;;EPSG:3006;{bowtie};;;"))
        assert_where(err, 2, "geometri", "Self-intersection", "Fix Geometries")

    @pytest.mark.parametrize("radius, problem", [("", "missing"), ("-5", "-5 m"), ("0", "0 m"), ("2500", "2500 m")])
    def test_radius(self, tmp_path, radius, problem):
        err = raises_input_error(pdata.load_places, places_file(tmp_path, f"P1;X;1283;;3006;;356300;6213500;{radius}"))
        assert_where(err, 2, "radie_m", problem, "at most 2000")

    def test_no_geometry(self, tmp_path):
        err = raises_input_error(pdata.load_places, places_file(tmp_path, "P1;X;1283;;3006;;;;"))
        assert_where(err, 2, "geometri", "no geometry", "ost, nord and radie_m")

    def test_both_polygon_and_point(self, tmp_path):
        err = raises_input_error(pdata.load_places, places_file(tmp_path, f"P1;X;1283;;3006;{SQUARE};356300;6213500;50"))
        assert_where(err, 2, "ost", "both geometri", "EITHER")

    def test_point_without_nord(self, tmp_path):
        err = raises_input_error(pdata.load_places, places_file(tmp_path, "P1;X;1283;;3006;;356300;;50"))
        assert_where(err, 2, "nord", "nord is empty")

    @pytest.mark.parametrize("code", ["128", "12834", "Hbg", ""])
    def test_kommun_not_four_digits(self, tmp_path, code):
        err = raises_input_error(pdata.load_places, places_file(tmp_path, P1, P2.replace(";1283;", f";{code};")))
        assert_where(err, 3, "kommun", "four-digit", "leading zero")

    def test_coordinates_not_numbers(self, tmp_path):
        err = raises_input_error(pdata.load_places, places_file(tmp_path, "P1;X;1283;;3006;;öster;6213500;50"))
        assert_where(err, 2, "ost", "'öster' is not a number")


class TestDiagnoseCoordinates:
    def test_inside(self):
        assert pdata.diagnose_coordinates(356300, 6213500, "EPSG:3006") is None
        assert pdata.diagnose_coordinates(12.7, 56.05, "EPSG:4326") is None

    def test_sweref_swapped(self):
        problem, fix = pdata.diagnose_coordinates(6213500, 356300, "EPSG:3006")
        assert "swapped" in problem and "easting" in fix

    def test_wgs_swapped_declared_sweref(self):
        problem, fix = pdata.diagnose_coordinates(56.05, 12.7, "EPSG:3006")
        assert "swapped" in problem and "EPSG:4326" in fix

    def test_rt90(self):
        problem, fix = pdata.diagnose_coordinates(1_310_000, 6_215_000, "EPSG:3006")
        assert "RT 90" in problem and "convert" in fix

    def test_outside(self):
        problem, _ = pdata.diagnose_coordinates(2.35, 48.85, "EPSG:4326")  # Paris
        assert "outside Sweden" in problem


def test_crs_transformation_against_the_central_meridian(tmp_path):
    """On SWEREF 99 TM's central meridian (15° E) E = 500 000 m and N = 0.9996 × the GRS 80 meridian arc."""
    a, f = 6378137.0, 1 / 298.257222101
    e2 = f * (2 - f)
    arc, _ = quad(lambda p: a * (1 - e2) / (1 - e2 * math.sin(p) ** 2) ** 1.5, 0, math.radians(60))
    path = table(tmp_path, "medborgarrapporter.csv", REPORTS_HEADER,
                 "2025-01-01 12:00;Annat;;WGS 84;15;60;")
    df = pdata.load_citizen_reports(path)
    assert df.loc[2, "x"] == pytest.approx(500_000.0, abs=0.001)
    assert df.loc[2, "y"] == pytest.approx(0.9996 * arc, abs=0.001)


# ============================================================================================
# Inspections
# ============================================================================================


class TestLoadInspections:
    def test_loads_contract(self, tmp_path):
        places = pdata.load_places(places_file(tmp_path))
        path = table(tmp_path, "besiktningar.csv", INSPECTIONS_HEADER,
                     inspection(),
                     inspection("P2", "2024-10-01", "Okulär besiktning", "Kommunens tjänsteperson", scores(5), note=""))
        df = pdata.load_inspections(path, places)
        assert list(df.columns) == ["plats_id", "datum", "typ", "roll", *FACTOR_KEYS, "anteckning"]
        assert df.index.tolist() == [2, 3]
        assert str(df["datum"].dtype) == "datetime64[ns]"
        assert df.loc[2, "datum"] == pd.Timestamp("2025-03-14")
        assert df.loc[2, FACTOR_KEYS].tolist()[:5] == [3.0, 4.0, 2.0, 2.0, 3.0]
        assert math.isnan(df.loc[2, "samhorighet"])
        assert df.loc[3, ["typ", "roll"]].tolist() == ["besiktning", "kommunens tjänsteperson"]
        assert df.loc[2, "anteckning"] == "Mörkt" and df.loc[3, "anteckning"] == ""
        pdata.INSPECTIONS_SCHEMA.validate(df)

    def test_factor_headers_by_key_any_case_and_missing_columns(self, tmp_path):
        path = table(tmp_path, "besiktningar.csv", "plats_id;datum;typ;roll;BELYSNING;Overblickbarhet;identitet och rykte",
                     "P1;2025-03-14;trygghetsvandring;boende;1;;4")
        df = pdata.load_inspections(path)
        assert df.loc[2, "belysning"] == 1 and df.loc[2, "identitet_rykte"] == 4
        assert df.loc[2, ["overblickbarhet", "information"]].isna().all()
        assert df.loc[2, "anteckning"] == ""

    @pytest.mark.parametrize("value", ["0", "6", "2,5", "2.5", "bra", "-1"])
    def test_bad_score(self, tmp_path, value):
        path = table(tmp_path, "besiktningar.csv", INSPECTIONS_HEADER, inspection(),
                     inspection(factors=scores(3, 3, 3, value)))
        err = raises_input_error(pdata.load_inspections, path)
        assert_where(err, 3, "Belysning", repr(value) if value != "-1" else "-1", "whole number 1–5",
                     f"1 = {SCALE[1]}", "empty if the factor was not assessed")

    def test_missing_marker_is_not_assessed(self, tmp_path):
        path = table(tmp_path, "besiktningar.csv", INSPECTIONS_HEADER, inspection(factors=scores(3, "-", "")))
        df = pdata.load_inspections(path)
        assert df.loc[2, FACTOR_KEYS].notna().sum() == 1

    def test_row_without_scores(self, tmp_path):
        path = table(tmp_path, "besiktningar.csv", INSPECTIONS_HEADER, inspection(), inspection(factors=scores()))
        err = raises_input_error(pdata.load_inspections, path)
        assert_where(err, 3, "Omhändertagna miljöer", "no factor is scored", "at least one")

    def test_date_after_today_is_refused_today_is_not(self, tmp_path):
        today = dt.date.today()
        later = today + dt.timedelta(days=1)
        path = table(tmp_path, "besiktningar.csv", INSPECTIONS_HEADER, inspection(datum=today.isoformat()),
                     inspection(datum=later.isoformat()))
        err = raises_input_error(pdata.load_inspections, path)
        assert_where(err, 3, "datum", f"'{later.isoformat()}' is in the future", "year mistyped")

    def test_role_that_is_a_name(self, tmp_path):
        path = table(tmp_path, "besiktningar.csv", INSPECTIONS_HEADER, inspection(roll="Anna Svensson"))
        err = raises_input_error(pdata.load_inspections, path)
        assert_where(err, 2, "roll", "'Anna Svensson'", "give the role, never a person's name", "trygghetssamordnare")

    def test_unknown_type(self, tmp_path):
        path = table(tmp_path, "besiktningar.csv", INSPECTIONS_HEADER, inspection(typ="promenad"))
        assert_where(raises_input_error(pdata.load_inspections, path), 2, "typ", "'promenad'", "trygghetsvandring")

    def test_unknown_plats_id(self, tmp_path):
        places = pdata.load_places(places_file(tmp_path))
        path = table(tmp_path, "besiktningar.csv", INSPECTIONS_HEADER, inspection(), inspection(plats="P7"))
        err = raises_input_error(pdata.load_inspections, path, places)
        assert_where(err, 3, "plats_id", "'P7'", "not in the places register", "P1, P2")
        pdata.load_inspections(path)  # without a register the id cannot be checked

    @pytest.mark.parametrize("value", ["14/3/2025", "2025-02-30", "igår", "2025-03-14 10:00", ""])
    def test_bad_date(self, tmp_path, value):
        path = table(tmp_path, "besiktningar.csv", INSPECTIONS_HEADER, inspection(datum=value))
        err = raises_input_error(pdata.load_inspections, path)
        assert_where(err, 2, "datum", "2025-03-14")

    def test_missing_column(self, tmp_path):
        path = table(tmp_path, "besiktningar.csv", "plats_id;datum;typ;Belysning", "P1;2025-03-14;besiktning;3")
        assert_where(raises_input_error(pdata.load_inspections, path), 1, None, "missing: roll")

    def test_misspelt_factor_is_an_error(self, tmp_path):
        path = table(tmp_path, "besiktningar.csv", "plats_id;datum;typ;roll;Belysnig", "P1;2025-03-14;besiktning;polis;3")
        assert_where(raises_input_error(pdata.load_inspections, path), 1, "Belysnig", "unknown column")


# ============================================================================================
# Incidents and citizen reports
# ============================================================================================


class TestLoadIncidents:
    def test_loads_contract(self, tmp_path):
        places = pdata.load_places(places_file(tmp_path))
        path = table(tmp_path, "handelser.csv", INCIDENTS_HEADER,
                     "2025-03-14 22:15;Klotter;Polis;P1;EPSG:3006;356 350;6 213 550,5;Taggar",
                     "2025-03-15T01:05:30;Hot;trygghetsvärdar;P2;;;;",
                     "2025-03-16 7.05;Stöld;bostadsbolag;;WGS 84;12,70;56,05;")
        df = pdata.load_incidents(path, places)
        assert list(df.columns) == ["tid", "kategori", "kalla", "plats_id", "x", "y", "fritext"]
        assert str(df["tid"].dtype) == "datetime64[ns]"
        assert df["tid"].tolist() == [pd.Timestamp("2025-03-14 22:15"), pd.Timestamp("2025-03-15 01:05:30"),
                                      pd.Timestamp("2025-03-16 07:05")]
        assert df["kalla"].tolist() == ["polis", "trygghetsvärdar", "bostadsbolag"]
        assert df["plats_id"].tolist() == ["P1", "P2", ""]
        assert df.loc[2, ["x", "y"]].tolist() == [356350.0, 6213550.5]
        assert df.loc[3, ["x", "y"]].isna().all()
        x, y = WGS_TO_SWEREF.transform(12.70, 56.05)
        assert df.loc[4, "x"] == pytest.approx(x, abs=0.001) and df.loc[4, "y"] == pytest.approx(y, abs=0.001)
        assert df["fritext"].tolist() == ["Taggar", "", ""]
        pdata.INCIDENTS_SCHEMA.validate(df)

    def test_time_after_today_is_refused(self, tmp_path):
        # A mistyped year would be the latest event and move the analysis period past all real events.
        today, later = dt.date.today(), dt.date.today() + dt.timedelta(days=1)
        path = table(tmp_path, "handelser.csv", INCIDENTS_HEADER, f"{today} 23:59;Klotter;polis;P1;;;;",
                     f"{later} 00:00;Klotter;polis;P1;;;;")
        err = raises_input_error(pdata.load_incidents, path)
        assert_where(err, 3, "tid", f"'{later} 00:00' is in the future", f"today is {today}")
        path = table(tmp_path, "medborgarrapporter.csv", REPORTS_HEADER, "2052-03-14 18:40;Belysning;P2;;;;")
        assert_where(raises_input_error(pdata.load_citizen_reports, path), 2, "tid", "in the future")

    def test_unknown_source(self, tmp_path):
        path = table(tmp_path, "handelser.csv", INCIDENTS_HEADER, "2025-03-14 22:15;Klotter;grannen;P1;;;;")
        err = raises_input_error(pdata.load_incidents, path)
        assert_where(err, 2, "kalla", "'grannen'", "bevakningsbolag")

    def test_neither_position_nor_place(self, tmp_path):
        path = table(tmp_path, "handelser.csv", INCIDENTS_HEADER, "2025-03-14 22:15;Klotter;polis;P1;;;;",
                     "2025-03-14 22:15;Klotter;polis;;EPSG:3006;;;")
        err = raises_input_error(pdata.load_incidents, path)
        assert_where(err, 3, "plats_id", "neither a position nor a plats_id", "ost, nord and koordinatsystem")

    def test_position_without_crs(self, tmp_path):
        path = table(tmp_path, "handelser.csv", INCIDENTS_HEADER, "2025-03-14 22:15;Klotter;polis;;;356300;6213500;")
        err = raises_input_error(pdata.load_incidents, path)
        assert_where(err, 2, "koordinatsystem", "no koordinatsystem", "never guessed")

    def test_swapped_wgs84(self, tmp_path):
        path = table(tmp_path, "handelser.csv", INCIDENTS_HEADER, "2025-03-14 22:15;Klotter;polis;;WGS84;56,05;12,70;")
        err = raises_input_error(pdata.load_incidents, path)
        assert_where(err, 2, "ost", "swapped")

    def test_unknown_plats_id(self, tmp_path):
        places = pdata.load_places(places_file(tmp_path))
        path = table(tmp_path, "handelser.csv", INCIDENTS_HEADER, "2025-03-14 22:15;Klotter;polis;X9;;;;")
        assert_where(raises_input_error(pdata.load_incidents, path, places), 2, "plats_id", "'X9'")

    @pytest.mark.parametrize("value, problem", [
        ("2025-03-14", "no time of day"), ("14 mars 22:15", "not a date and time"),
        ("2025-03-14 25:15", "not a date and time"), ("", "empty"),
    ])
    def test_bad_time(self, tmp_path, value, problem):
        path = table(tmp_path, "handelser.csv", INCIDENTS_HEADER, f"{value};Klotter;polis;P1;;;;")
        err = raises_input_error(pdata.load_incidents, path)
        assert_where(err, 2, "tid", problem, "2025-03-14 22:15")

    def test_empty_category(self, tmp_path):
        path = table(tmp_path, "handelser.csv", INCIDENTS_HEADER, "2025-03-14 22:15; ;polis;P1;;;;")
        assert_where(raises_input_error(pdata.load_incidents, path), 2, "kategori", "empty")


class TestLoadCitizenReports:
    def test_categories_case_insensitive_canonical(self, tmp_path):
        path = table(tmp_path, "medborgarrapporter.csv", REPORTS_HEADER,
                     "2025-03-14 18:40;skadegörelse/nedskräpning;P1;;;;",
                     "2025-03-14 18:41;  MOTORBURNA FORDON ;;EPSG:3006;356300;6213500;Mopeder")
        df = pdata.load_citizen_reports(path)
        assert df["kategori"].tolist() == ["Skadegörelse/nedskräpning", "Motorburna fordon"]
        assert list(df.columns) == ["tid", "kategori", "plats_id", "x", "y", "fritext"]
        pdata.CITIZEN_REPORTS_SCHEMA.validate(df)

    def test_unknown_category(self, tmp_path):
        path = table(tmp_path, "medborgarrapporter.csv", REPORTS_HEADER, "2025-03-14 18:40;Klotter;P1;;;;")
        err = raises_input_error(pdata.load_citizen_reports, path)
        assert_where(err, 2, "kategori", "'Klotter'", "Skadegörelse/nedskräpning", "Allmänt otrygg plats")

    def test_all_seven_categories(self):
        assert pdata.CITIZEN_CATEGORIES == (
            "Skadegörelse/nedskräpning", "Belysning", "Osäker trafiksituation", "Motorburna fordon",
            "Samlingsplats", "Allmänt otrygg plats", "Annat")


# ============================================================================================
# Excel input
# ============================================================================================


def xlsx(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


class TestExcel:
    def test_places_with_numeric_cells(self, tmp_path):
        path = xlsx(tmp_path / "platser.xlsx", {"platser": [
            PLACES_HEADER.split(";"),
            ["P1", "Torget", 1283, "", "EPSG:3006", SQUARE, None, None, None],
            ["P2", "Parken", "1283", None, "WGS 84", None, 12.70, 56.05, 100],
        ]})
        places = pdata.load_places(path)
        assert places["kommun_kod"].tolist() == ["1283", "1283"]
        x, y = WGS_TO_SWEREF.transform(12.70, 56.05)
        assert places.loc[3, "geometry"].centroid.x == pytest.approx(x, abs=0.01)

    def test_inspections_sheet_by_name_with_excel_dates(self, tmp_path):
        header = INSPECTIONS_HEADER.split(";")
        path = xlsx(tmp_path / "besiktningar.xlsx", {
            "Läs mig": [["Det här bladet läses inte"]],
            "Besiktningar": [header, ["P1", dt.date(2025, 3, 14), "besiktning", "polis", 3, 4, None, 2, 3, 3, 3, 2, "ok"]],
        })
        df = pdata.load_inspections(path)
        assert df.loc[2, "datum"] == pd.Timestamp("2025-03-14")
        assert df.loc[2, "omhandertagna_miljoer"] == 3 and math.isnan(df.loc[2, "overblickbarhet"])

    def test_first_sheet_when_no_sheet_has_the_kind_name(self, tmp_path):
        path = xlsx(tmp_path / "handelser.xlsx", {"Blad1": [
            INCIDENTS_HEADER.split(";"),
            [dt.datetime(2025, 3, 14, 22, 15), "Klotter", "polis", "P1", None, None, None, None],
        ]})
        assert pdata.load_incidents(path).loc[2, "tid"] == pd.Timestamp("2025-03-14 22:15")

    def test_errors_name_the_excel_row_and_column(self, tmp_path):
        header = INSPECTIONS_HEADER.split(";")
        path = xlsx(tmp_path / "besiktningar.xlsx", {"besiktningar": [
            header,
            ["P1", dt.date(2025, 3, 14), "besiktning", "polis", 3, 4, 3, 2, 3, 3, 3, 2, ""],
            ["P1", dt.date(2025, 3, 15), "besiktning", "polis", 3, 4, 3, 2.5, 3, 3, 3, 2, ""],
        ]})
        err = raises_input_error(pdata.load_inspections, path)
        assert_where(err, 3, "Belysning", "'2.5'", "1–5")


# ============================================================================================
# A place-data folder
# ============================================================================================


def make_folder(tmp_path: Path, metadata: str | None = "exempeldata: false\nbeskrivning: Test\ndatum: 2025-06-01\n") -> Path:
    folder = tmp_path / "mina_platser"
    folder.mkdir()
    places_file(folder, P1, P2, P3)
    table(folder, "besiktningar.csv", INSPECTIONS_HEADER, inspection("P1"), inspection("P3"), inspection("P2"))
    x2, y2 = WGS_TO_SWEREF.transform(12.70, 56.05)
    table(folder, "handelser.csv", INCIDENTS_HEADER,
          "2025-03-14 22:15;Klotter;polis;P1;;;;",                                # kept: P1 is in 1283
          "2025-03-14 22:16;Klotter;polis;P3;;;;",                                # dropped: P3 is in Falun
          f"2025-03-14 22:17;Klotter;polis;;EPSG:3006;{x2 + 1500:.0f};{y2:.0f};",  # kept: 1.4 km from P2's box
          f"2025-03-14 22:18;Klotter;polis;;EPSG:3006;{x2 + 2200:.0f};{y2:.0f};",  # dropped: 2.1 km away
          "2025-03-14 22:19;Klotter;polis;;EPSG:3006;534768;6719182;")             # dropped: in Falun
    table(folder, "medborgarrapporter.csv", REPORTS_HEADER, "2025-03-14 18:40;Belysning;P2;;;;",
          "2025-03-14 18:41;Annat;;EPSG:3006;534700;6719100;")
    if metadata is not None:
        (folder / "metadata.yaml").write_text(metadata, encoding="utf-8")
    (folder / "README.md").write_text("ignored", encoding="utf-8")
    return folder


class TestLoadPlaceData:
    def test_filters_by_kommun(self, tmp_path):
        folder = make_folder(tmp_path)
        data = pdata.load_place_data(folder, "1283")
        assert data.kommun_kod == "1283" and data.example is False and data.description == "Test"
        assert data.places["plats_id"].tolist() == ["P1", "P2"]
        assert data.inspections["plats_id"].tolist() == ["P1", "P2"]
        assert data.incidents.index.tolist() == [2, 4]
        assert data.citizen_reports["plats_id"].tolist() == ["P2"]
        falun = pdata.load_place_data(folder, "2080")
        assert falun.places["plats_id"].tolist() == ["P3"]
        assert falun.incidents.index.tolist() == [3, 6]
        assert falun.citizen_reports["kategori"].tolist() == ["Annat"]

    def test_none_for_kommun_without_places(self, tmp_path):
        assert pdata.load_place_data(make_folder(tmp_path), "0114") is None

    def test_files_provenance(self, tmp_path):
        folder = make_folder(tmp_path)
        data = pdata.load_place_data(folder, "1283")
        names = [f["name"] for f in data.files]
        assert names == ["mina_platser/platser.csv", "mina_platser/besiktningar.csv", "mina_platser/handelser.csv",
                         "mina_platser/medborgarrapporter.csv"]
        first = data.files[0]
        assert first["sha256"] == hashlib.sha256((folder / "platser.csv").read_bytes()).hexdigest()
        assert first["date"] == "2025-06-01" and first["description"] == "Platsregister"

    def test_without_metadata_and_optional_files(self, tmp_path):
        folder = tmp_path / "p"
        folder.mkdir()
        places_file(folder)
        data = pdata.load_place_data(folder, "1283")
        assert data.example is False and data.inspections is None and data.incidents is None
        assert data.citizen_reports is None
        assert data.files[0]["date"] == dt.date.fromtimestamp((folder / "platser.csv").stat().st_mtime).isoformat()

    def test_cross_reference_checked_across_kommuner(self, tmp_path):
        folder = make_folder(tmp_path)
        table(folder, "besiktningar.csv", INSPECTIONS_HEADER, inspection("P1"), inspection("P4"))
        err = raises_input_error(pdata.load_place_data, folder, "2080")
        assert_where(err, 3, "plats_id", "'P4'")
        assert err.file.endswith("besiktningar.csv")

    def test_metadata_unknown_key(self, tmp_path):
        folder = make_folder(tmp_path, "exempeldata: true\nforfattare: Anna\n")
        err = raises_input_error(pdata.load_place_data, folder, "1283")
        assert_where(err, None, "forfattare", "unknown key", "exempeldata")
        assert err.file.endswith("metadata.yaml")

    def test_metadata_not_utf8(self, tmp_path):
        folder = make_folder(tmp_path, None)
        (folder / "metadata.yaml").write_bytes("beskrivning: Platser i Malmö\n".encode("latin-1"))
        err = raises_input_error(pdata.load_place_data, folder, "1283")
        assert_where(err, None, None, "not UTF-8", "save it as UTF-8")
        assert err.file.endswith("metadata.yaml")

    def test_metadata_yaml_syntax_error_is_one_line_with_its_row(self, tmp_path):
        folder = make_folder(tmp_path, "exempeldata: true\nbeskrivning: [Test\n")
        err = raises_input_error(pdata.load_place_data, folder, "1283")
        assert "not valid YAML" in err.problem and "\n" not in str(err)  # the run's summary shows one line
        assert err.row == 3  # PyYAML finds the open bracket unclosed at the end of the file

    def test_metadata_exempeldata_must_be_bool(self, tmp_path):
        folder = make_folder(tmp_path, "exempeldata: kanske\n")
        assert_where(raises_input_error(pdata.load_place_data, folder, "1283"), None, "exempeldata", "true or false")

    def test_missing_folder(self, tmp_path):
        err = raises_input_error(pdata.load_place_data, tmp_path / "finns_inte", "1283")
        assert "does not exist" in str(err) and "data/templates" in str(err)

    def test_folder_without_places(self, tmp_path):
        folder = make_folder(tmp_path)
        (folder / "platser.csv").unlink()
        assert "no places register" in str(raises_input_error(pdata.load_place_data, folder, "1283"))

    def test_two_files_of_one_kind(self, tmp_path):
        folder = make_folder(tmp_path)
        xlsx(folder / "Platser.xlsx", {"platser": [["plats_id"], ["P1"]]})
        assert "two platser files" in str(raises_input_error(pdata.load_place_data, folder, "1283"))

    def test_unknown_table_name(self, tmp_path):
        folder = make_folder(tmp_path)
        table(folder, "besiktning.csv", INSPECTIONS_HEADER, inspection())
        err = raises_input_error(pdata.load_place_data, folder, "1283")
        assert "'besiktning.csv' is not a place-data table" in str(err)

    def test_excel_lock_file_ignored(self, tmp_path):
        folder = make_folder(tmp_path)
        (folder / "~$platser.xlsx").write_bytes(b"lock")
        assert pdata.load_place_data(folder, "1283") is not None

    def test_bad_kommun_argument(self, tmp_path):
        assert "four-digit" in str(raises_input_error(pdata.load_place_data, make_folder(tmp_path), "128"))


# ============================================================================================
# Templates
# ============================================================================================


def sheet_values(path_or_bytes) -> dict[str, list[tuple]]:
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    wb = openpyxl.load_workbook(source)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in wb.worksheets}


class TestTemplates:
    def test_committed_templates_are_current(self, tmp_path):
        written = pdata.write_templates(tmp_path)
        for path in written:
            committed = TEMPLATES_DIR / path.name
            assert committed.exists(), f"{committed} is missing: run write_templates('data/templates')"
            if path.suffix == ".xlsx":
                assert sheet_values(committed) == sheet_values(path), "run write_templates('data/templates')"
            else:
                assert committed.read_bytes() == path.read_bytes(), f"{path.name}: run write_templates('data/templates')"

    def test_csv_format(self):
        raw = (TEMPLATES_DIR / "platser.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # BOM, so that Excel reads UTF-8
        header = raw.decode("utf-8-sig").splitlines()[0]
        assert header == PLACES_HEADER

    def test_templates_load(self):
        places = pdata.load_places(TEMPLATES_DIR / "platser.csv")
        assert places["plats_id"].tolist() == ["HBG-001", "HBG-002"]
        assert set(places.geometry.geom_type) == {"Polygon"} and places["radie_m"].isna().tolist() == [True, False]
        ins = pdata.load_inspections(TEMPLATES_DIR / "besiktningar.csv", places)
        row = pdata.TEMPLATES["besiktningar"].rows[0]
        expected = [float(v) if v else math.nan for v in row[4:12]]
        np.testing.assert_array_equal(ins.loc[2, list(FACTOR_KEYS)].to_numpy(dtype=float), expected)
        assert len(pdata.load_incidents(TEMPLATES_DIR / "handelser.csv", places)) == 1
        assert len(pdata.load_citizen_reports(TEMPLATES_DIR / "medborgarrapporter.csv", places)) == 1

    def test_workbook_sheets_load(self):
        book = TEMPLATES_DIR / "mallar.xlsx"
        places = pdata.load_places(book)
        csv_places = pdata.load_places(TEMPLATES_DIR / "platser.csv")
        assert places.geometry.geom_equals_exact(csv_places.geometry, 1e-6).all()
        pd.testing.assert_frame_equal(pdata.load_inspections(book, places),
                                      pdata.load_inspections(TEMPLATES_DIR / "besiktningar.csv", places),
                                      check_index_type=False, check_dtype=False)
        assert len(pdata.load_incidents(book, places)) == 1
        assert len(pdata.load_citizen_reports(book, places)) == 1

    def test_instructions_sheet(self):
        sheets = sheet_values(TEMPLATES_DIR / "mallar.xlsx")
        assert list(sheets) == [*pdata.FILE_KINDS, "Instruktioner"]
        text = " ".join(str(v) for row in sheets["Instruktioner"] for v in row if v)
        for needle in [*SCALE.values(), *FACTOR_NAMES.values(), *pdata.ROLES, *pdata.SOURCES,
                       *pdata.CITIZEN_CATEGORIES, "EPSG:3006", "EPSG:4326", "publiceras aldrig"]:
            assert needle in text, needle
        for kind in pdata.FILE_KINDS:
            assert sheets[kind][0] == tuple(pdata.TEMPLATES[kind].header)

    def test_workbook_is_deterministic(self):
        raw = pdata.workbook_bytes()
        assert raw == pdata.workbook_bytes()
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            core = z.read("docProps/core.xml").decode()
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "2025-01-01T00:00:00Z" in core

    def test_readme_documents_every_column(self):
        text = (TEMPLATES_DIR / "README.md").read_text(encoding="utf-8")
        for template in pdata.TEMPLATES.values():
            for col in template.columns:
                assert f"| {col.name} |" in text, col.name
        assert "## Integritet" in text and "## Skala" in text and "## Koordinater" in text

    def test_every_template_has_a_row_per_column(self):
        for kind, template in pdata.TEMPLATES.items():
            assert all(len(r) == len(template.columns) for r in template.rows), kind
            assert [c.name for c in template.columns if c.required], kind

    def test_csv_text_rejects_unknown_columns(self):
        with pytest.raises(ValueError, match="unknown column"):
            pdata.csv_text("platser", [{"plats_id": "P1", "färg": "röd"}])

    def test_csv_text_factor_key_and_nan(self):
        text = pdata.csv_text("besiktningar", [{"plats_id": "P1", "belysning": 2, "Information": float("nan")}])
        cells = text.splitlines()[1].split(";")
        assert cells[0] == "P1" and cells[4 + FACTOR_KEYS.index("belysning")] == "2" and cells[11] == ""


def test_write_csv_round_trip(tmp_path):
    path = tmp_path / "handelser.csv"
    pdata.write_csv(path, "handelser", [{"tid": "2025-03-14 22:15", "kategori": "Hot", "kalla": "polis",
                                         "plats_id": "P1", "fritext": "a;b \"c\""}])
    df = pdata.load_incidents(path)
    assert df.loc[2, "fritext"] == 'a;b "c"'  # quoted by the writer, read back intact


def test_read_metadata_date_and_defaults(tmp_path):
    path = tmp_path / "metadata.yaml"
    path.write_text("beskrivning: Test\ndatum: 2025-03-14\nkalla: Kommunen\n", encoding="utf-8")
    assert pdata.read_metadata(path) == {"exempeldata": False, "beskrivning": "Test", "kalla": "Kommunen",
                                         "datum": "2025-03-14"}
    path.write_text("datum: igår\n", encoding="utf-8")
    assert_where(raises_input_error(pdata.read_metadata, path), None, "datum", "not a date")
    assert pdata.read_metadata_defaults() == {"exempeldata": False, "beskrivning": "", "kalla": "", "datum": ""}


def test_find_files(tmp_path):
    for name in ("platser.csv", "HANDELSER.xlsx", "metadata.yaml", "make.py", ".hidden.csv"):
        (tmp_path / name).write_text("x")
    assert pdata.find_files(tmp_path) == {"platser": tmp_path / "platser.csv", "handelser": tmp_path / "HANDELSER.xlsx"}


def test_instructions_rows_and_markdown_share_templates():
    rows = pdata.instructions_rows()
    md = pdata.templates_markdown()
    for template in pdata.TEMPLATES.values():
        for col in template.columns:
            assert (col.name, "ja" if col.required else "nej", col.description, col.example) in rows
            assert col.description.replace("|", "\\|") in md


# ============================================================================================
# Example data
# ============================================================================================


class TestExampleData:
    def test_loads_as_example(self):
        data = pdata.load_place_data(EXAMPLE_DIR, "1283")
        assert data.example is True and "påhittade" in data.description.lower()
        assert len(data.places) == 8 and set(data.places["kommun_kod"]) == {"1283"}
        assert {"Dalhem", "Drottninghög", "Fredriksdal", "Söder", "Planteringen", "Högaborg", "Eneborg"} \
            <= set(data.places["stadsdel"])
        assert data.places["radie_m"].isna().any() and data.places["radie_m"].notna().any()  # polygons and points
        sizes = data.places.bounds.eval("maxx - minx")
        assert sizes.between(80, 250).all()
        assert not any(a.intersects(b) for i, a in enumerate(data.places.geometry)
                       for b in data.places.geometry.iloc[i + 1:])
        assert len(data.incidents) == 600 and len(data.citizen_reports) == 200  # nothing filtered away
        assert set(data.inspections["typ"]) == {"besiktning", "trygghetsvandring"}
        assert data.inspections[list(FACTOR_KEYS)].isna().any().any()
        counts = data.inspections.groupby("plats_id").size()
        assert counts.between(1, 3).all() and len(counts) == 8
        only_place = data.incidents["x"].isna()
        only_position = data.incidents["plats_id"] == ""
        assert only_place.sum() > 20 and only_position.sum() > 100
        assert data.incidents["tid"].between("2024-01-01", "2026-01-01").all()
        assert set(data.citizen_reports["kategori"]) == set(pdata.CITIZEN_CATEGORIES)
        assert all(f["description"].endswith("(påhittade exempeldata)") for f in data.files)

    def test_incident_pattern_evenings_and_weekends(self):
        data = pdata.load_place_data(EXAMPLE_DIR, "1283")
        tid = data.incidents["tid"]
        evening_night = tid.dt.hour.isin([18, 19, 20, 21, 22, 23, 0, 1, 2]).mean()
        assert evening_night > 0.5
        weekend = tid.dt.day_of_week.isin([4, 5, 6]).mean()  # Friday–Sunday: 3/7 = 0.43 if uniform
        assert weekend > 0.5

    def test_citizen_reports_use_both_crs(self):
        raw = pd.read_csv(EXAMPLE_DIR / "medborgarrapporter.csv", sep=";", dtype=str, encoding="utf-8-sig")
        assert set(raw["koordinatsystem"]) == {"WGS 84", "EPSG:3006"}

    def test_script_reproduces_the_committed_files(self, tmp_path, monkeypatch):
        spec = importlib.util.spec_from_file_location("make_example", EXAMPLE_DIR / "make_example.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        monkeypatch.setattr(module, "HERE", tmp_path)
        module.main()
        for name in ("metadata.yaml", "platser.csv", "besiktningar.csv", "handelser.csv", "medborgarrapporter.csv"):
            assert (tmp_path / name).read_bytes() == (EXAMPLE_DIR / name).read_bytes(), name

    def test_readme_says_example(self):
        text = (DATA / "example" / "README.md").read_text(encoding="utf-8")
        assert "invented" in text and "make_example.py" in text and "exempeldata: true" in text


def test_read_metadata_refuses_a_key_written_twice(tmp_path):
    """PyYAML keeps the last of two equal keys silently; a second `kalla:` must not replace the first unseen."""
    path = tmp_path / "metadata.yaml"
    path.write_text("kalla: Kommunen\nbeskrivning: Test\nkalla: Polisen\n", encoding="utf-8")
    err = raises_input_error(pdata.read_metadata, path)
    assert err.row == 3 and "the key 'kalla' appears twice (lines 1 and 3)" in str(err)
    assert "keep only one" in str(err)
