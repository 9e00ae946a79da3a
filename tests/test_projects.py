"""Tests of lagesbild.projects.data, .templates and .areas: registers, survey indices, templates, areas and counts.

Inputs are written in the test as text (or as an .xlsx with openpyxl), so what is tested is visible
here. Areas are checked against closed-form areas of buffered squares; counts against tables
written out by hand for a small synthetic event set, and on the example data against a direct
geopandas spatial join.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import math

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
import shapely
from helpers import raises_input_error
from pyproj import Transformer
from shapely.geometry import box

from lagesbild.core.errors import InputError
from lagesbild.core.paths import DATA
from lagesbild.places.data import load_place_data, load_places
from lagesbild.projects import areas as pa
from lagesbild.projects import data as pr
from lagesbild.projects import templates as pt

TEMPLATES_DIR = DATA / "templates" / "projects"
EXAMPLE_DIR = DATA / "example" / "projects"
PLACES_DIR = DATA / "example" / "places"

# ============================================================================================
# Helpers
# ============================================================================================

PROJECT_HEADER = ["projekt_id", "namn", "kommun", "atgarder", "atgardstyp", "budget_sek", "start", "slut",
                  "behandlat_omrade", "kontrollomrade", "fore_start", "fore_slut", "efter_start", "efter_slut",
                  "koordinatsystem", "kommentar"]
SQUARE = "POLYGON ((360000 6215000, 360100 6215000, 360100 6215100, 360000 6215100, 360000 6215000))"
FAR_SQUARE = "POLYGON ((362000 6215000, 362100 6215000, 362100 6215100, 362000 6215100, 362000 6215000))"


def project(**kw) -> dict[str, str]:
    """One valid project row (polygon areas in SWEREF 99 TM); keywords override cells."""
    base = {"projekt_id": "P1", "namn": "Ljusare torg", "kommun": "1283", "atgarder": "belysning; röjning",
            "atgardstyp": "fysisk", "budget_sek": "100 000", "start": "2024-07-01", "slut": "2024-12-31",
            "behandlat_omrade": SQUARE, "kontrollomrade": FAR_SQUARE, "fore_start": "2024-01-01",
            "fore_slut": "2024-06-30", "efter_start": "2025-01-01", "efter_slut": "2025-06-30",
            "koordinatsystem": "EPSG:3006", "kommentar": ""}
    base.update(kw)
    return base


def table(tmp_path, name: str, header: list[str], rows: list[dict]) -> object:
    """A ;-separated UTF-8 CSV written by pandas' csv writer rules (cells with ; are quoted)."""
    path = tmp_path / name
    buf = io.StringIO()
    pd.DataFrame([[r.get(h, "") for h in header] for r in rows], columns=header).to_csv(
        buf, sep=";", index=False)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def projects_file(tmp_path, *rows: dict, header: list[str] = PROJECT_HEADER):
    return table(tmp_path, "projekt.csv", header, list(rows))


COMMITMENT_HEADER = ["atagande_id", "kommun", "ar", "text", "agare", "indikator", "typ", "mal", "enhet", "deadline",
                     "utfall", "fore", "efter", "kalla"]


def commitment(**kw) -> dict[str, str]:
    base = {"atagande_id": "A1", "kommun": "1380", "ar": "2025", "text": "Minst 900 timmar polis", "agare": "polis",
            "indikator": "Timmar", "typ": "minst", "mal": "900", "enhet": "timmar", "deadline": "2025-12-31",
            "utfall": "950", "fore": "", "efter": "", "kalla": "Uppföljning"}
    base.update(kw)
    return base


def commitments_file(tmp_path, *rows: dict):
    return table(tmp_path, "ataganden.csv", COMMITMENT_HEADER, list(rows))


SURVEY_HEADER = ["projekt_id", "omrade", "kommun", "index", "period", "varde", "ki_lag", "ki_hog", "n", "kalla"]


def survey(**kw) -> dict[str, str]:
    base = {"projekt_id": "P1", "omrade": "", "kommun": "", "index": "Problemindex", "period": "före",
            "varde": "2,1", "ki_lag": "1,8", "ki_hog": "2,4", "n": "412", "kalla": "Mätningen"}
    base.update(kw)
    return base


def surveys_file(tmp_path, *rows: dict):
    return table(tmp_path, "enkat.csv", SURVEY_HEADER, list(rows))


def assert_where(err: InputError, row: int | None, column: str | None, *needles: str) -> None:
    assert err.row == row, str(err)
    assert err.column == column, str(err)
    for needle in needles:
        assert needle in str(err), (needle, str(err))


def test_places() -> gpd.GeoDataFrame:
    """Two squares of 100 × 100 m in kommun 1283 and one in 1380, far apart."""
    return gpd.GeoDataFrame(
        {"plats_id": ["A", "B", "C"], "namn": ["a", "b", "c"], "kommun_kod": ["1283", "1283", "1380"]},
        geometry=[box(360000, 6215000, 360100, 6215100), box(360200, 6215000, 360300, 6215100),
                  box(365000, 6215000, 365100, 6215100)], crs="EPSG:3006")


test_places.__test__ = False  # a helper, not a test


# ============================================================================================
# Project register
# ============================================================================================


class TestLoadProjects:
    def test_valid_row(self, tmp_path):
        df = pr.load_projects(projects_file(tmp_path, project()))
        assert list(df.columns) == list(pr.PROJECTS_SCHEMA.columns)
        assert df.index.tolist() == [2]
        r = df.loc[2]
        assert r["kommun_kod"] == "1283" and r["budget_sek"] == 100_000.0
        assert r["atgarder"] == "belysning; röjning"
        assert r["start"] == pd.Timestamp("2024-07-01") and r["efter_slut"] == pd.Timestamp("2025-06-30")
        assert r["behandlat_geometri"].equals(shapely.from_wkt(SQUARE))
        assert r["behandlat_platser"] == "" and r["kontroll_platser"] == ""

    def test_days_count_the_end_day(self, tmp_path):
        # 2024 is a leap year: Jan 31 + Feb 29 + Mar 31 + Apr 30 + May 31 + Jun 30 = 182 days;
        # 2025: 31 + 28 + 31 + 30 + 31 + 30 = 181 days; a single day counts as 1
        df = pr.load_projects(projects_file(
            tmp_path, project(), project(projekt_id="P2", efter_start="2025-01-01", efter_slut="2025-01-01")))
        assert df["fore_dagar"].tolist() == [182, 182]
        assert df["efter_dagar"].tolist() == [181, 1]

    def test_periods_may_touch_the_intervention(self, tmp_path):
        df = pr.load_projects(projects_file(tmp_path, project(fore_slut="2024-07-01", efter_start="2024-12-31")))
        assert df.loc[2, "fore_dagar"] == 183 and df.loc[2, "efter_start"] == pd.Timestamp("2024-12-31")

    def test_headers_case_and_swedish_letters(self, tmp_path):
        header = ["Projekt_ID", "Namn", "Kommunkod", "Åtgärder", "ÅTGÄRDSTYP", "Start", "Slut", "Behandlat område",
                  "Före_start", "Före_slut", "Efter_start", "Efter_slut", "Koordinatsystem"]
        row = dict(zip(header, ["P1", "x", "0114", "a", "Fysisk och social", "2024-07-01", "2024-12-31", SQUARE,
                                "2024-01-01", "2024-06-30", "2025-01-01", "2025-06-30", "sweref 99 tm"], strict=True))
        df = pr.load_projects(projects_file(tmp_path, row, header=header))
        assert df.loc[2, "kommun_kod"] == "0114" and df.loc[2, "atgardstyp"] == "fysisk och social"
        assert np.isnan(df.loc[2, "budget_sek"]) and df.loc[2, "kontroll_geometri"] is None

    def test_wgs84_polygon_is_transformed(self, tmp_path):
        wkt = "POLYGON ((12.73 56.06, 12.74 56.06, 12.74 56.065, 12.73 56.065, 12.73 56.06))"
        df = pr.load_projects(projects_file(tmp_path, project(behandlat_omrade=wkt, kontrollomrade="",
                                                              koordinatsystem="WGS 84")))
        to_sweref = Transformer.from_crs("EPSG:4326", "EPSG:3006", always_xy=True)
        x, y = to_sweref.transform(12.73, 56.06)
        assert df.loc[2, "behandlat_geometri"].exterior.coords[0] == pytest.approx((x, y), abs=0.01)

    @pytest.mark.parametrize("cells, row, column, needle", [
        ({"projekt_id": ""}, 3, "projekt_id", "empty"),
        ({"projekt_id": "P1"}, 3, "projekt_id", "rows 2 and 3"),
        ({"namn": ""}, 3, "namn", "empty"),
        ({"kommun": "114"}, 3, "kommun", "four-digit"),
        ({"atgarder": " ; "}, 3, "atgarder", "measures is empty"),
        ({"atgardstyp": "teknisk"}, 3, "atgardstyp", "'teknisk'"),
        ({"budget_sek": "-5"}, 3, "budget_sek", "below 0"),
        ({"budget_sek": "mycket"}, 3, "budget_sek", "not a number"),
        ({"start": "1/7/2024"}, 3, "start", "not a date"),
        ({"slut": ""}, 3, "slut", "empty"),
        ({"behandlat_omrade": ""}, 3, "behandlat_omrade", "treated area is empty"),
        ({"koordinatsystem": ""}, 3, "koordinatsystem", "no koordinatsystem"),
        ({"koordinatsystem": "RT 90"}, 3, "koordinatsystem", "'RT 90'"),
        ({"behandlat_omrade": "POLYGON ((1 2, 3"}, 3, "behandlat_omrade", "not valid WKT"),
        ({"behandlat_omrade": "POINT (360000 6215000)"}, 3, "behandlat_omrade", "not a polygon"),
        ({"kontrollomrade": "POLYGON ((6215000 360000, 6215100 360000, 6215100 360100, 6215000 360000))"},
         3, "kontrollomrade", "swapped"),
        ({"kontrollomrade": SQUARE}, 3, "kontrollomrade", "overlaps the treated area"),
    ])
    def test_errors_name_row_and_column(self, tmp_path, cells, row, column, needle):
        path = projects_file(tmp_path, project(), project(**{"projekt_id": "P2", **cells}))
        assert_where(raises_input_error(pr.load_projects, path), row, column, needle)

    @pytest.mark.parametrize("cells, column, needle", [
        ({"slut": "2024-06-30"}, "slut", "ends (slut 2024-06-30) before it starts"),
        ({"fore_slut": "2024-07-02"}, "fore_slut", "after the intervention starts"),
        ({"efter_start": "2024-12-30"}, "efter_start", "before the intervention ends"),
        ({"fore_start": "2024-07-01", "fore_slut": "2024-06-30"}, "fore_slut", "before period ends (2024-06-30) before"),
        ({"efter_slut": "2024-12-31"}, "efter_slut", "after period ends (2024-12-31) before"),
    ])
    def test_period_order_errors(self, tmp_path, cells, column, needle):
        err = raises_input_error(pr.load_projects, projects_file(tmp_path, project(), project(projekt_id="P2", **cells)))
        assert_where(err, 3, column, needle)

    def test_period_error_fix_says_what_to_do(self, tmp_path):
        err = raises_input_error(pr.load_projects, projects_file(tmp_path, project(fore_slut="2024-08-01")))
        assert "must end on or before start" in err.fix

    def test_unknown_and_missing_columns(self, tmp_path):
        row = project()
        row["budjet"] = row.pop("budget_sek")
        header = [h if h != "budget_sek" else "budjet" for h in PROJECT_HEADER]
        assert_where(raises_input_error(pr.load_projects, projects_file(tmp_path, row, header=header)),
                     1, "budjet", "unknown column")
        header = [h for h in PROJECT_HEADER if h != "fore_slut"]
        assert_where(raises_input_error(pr.load_projects, projects_file(tmp_path, project(), header=header)),
                     1, None, "fore_slut")

    def test_excel_equals_csv(self, tmp_path):
        csv_path = projects_file(tmp_path, project(), project(projekt_id="P2", kommun="0114", budget_sek=""))
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Projekt"
        ws.append(PROJECT_HEADER)
        for pid, kommun, budget in (("P1", "1283", 100000), ("P2", "0114", None)):
            ws.append([pid, "Ljusare torg", kommun, "belysning; röjning", "fysisk", budget,
                       dt.datetime(2024, 7, 1), dt.datetime(2024, 12, 31), SQUARE, FAR_SQUARE,
                       dt.datetime(2024, 1, 1), dt.datetime(2024, 6, 30), dt.datetime(2025, 1, 1),
                       dt.datetime(2025, 6, 30), "EPSG:3006", None])
        xlsx = tmp_path / "projekt.xlsx"
        wb.save(xlsx)
        a, b = pr.load_projects(csv_path), pr.load_projects(xlsx)
        geo = ["behandlat_geometri", "kontroll_geometri"]
        pd.testing.assert_frame_equal(a.drop(columns=geo), b.drop(columns=geo), check_index_type=False)
        for col in geo:
            assert all(x.equals(y) for x, y in zip(a[col], b[col], strict=True))


class TestPlaceIds:
    def test_ids_resolved_to_the_union(self, tmp_path):
        path = projects_file(tmp_path, project(behandlat_omrade="A; B;", kontrollomrade="", koordinatsystem=""))
        places = test_places()
        unresolved = pr.load_projects(path)
        assert unresolved.loc[2, "behandlat_platser"] == "A; B" and unresolved.loc[2, "behandlat_geometri"] is None
        df = pr.load_projects(path, places)
        geom = df.loc[2, "behandlat_geometri"]
        assert geom.area == pytest.approx(2 * 100 * 100)  # two disjoint 100 m squares
        assert geom.equals(box(360000, 6215000, 360100, 6215100).union(box(360200, 6215000, 360300, 6215100)))

    def test_unknown_id_names_row_and_column(self, tmp_path):
        path = projects_file(tmp_path, project(), project(projekt_id="P2", behandlat_omrade="A",
                                                          kontrollomrade="A; X", koordinatsystem=""))
        err = raises_input_error(pr.load_projects, path, test_places())
        assert_where(err, 3, "kontrollomrade", "'X'", "not in the places register")
        assert "A, B, C" in err.fix

    def test_place_of_another_kommun(self, tmp_path):
        path = projects_file(tmp_path, project(behandlat_omrade="C", kontrollomrade="", koordinatsystem=""))
        assert_where(raises_input_error(pr.load_projects, path, test_places()), 2, "behandlat_omrade",
                     "kommun 1380")

    def test_same_place_as_treated_and_control(self, tmp_path):
        path = projects_file(tmp_path, project(behandlat_omrade="A", kontrollomrade="A", koordinatsystem=""))
        assert pr.load_projects(path).loc[2, "kontroll_platser"] == "A"  # not known to overlap before resolving
        assert_where(raises_input_error(pr.load_projects, path, test_places()), 2, "kontrollomrade", "overlaps")

    def test_resolve_areas_keeps_polygons(self, tmp_path):
        path = projects_file(tmp_path, project(kontrollomrade="B"))
        df = pa.resolve_areas(pr.load_projects(path), test_places())
        assert df.loc[2, "behandlat_geometri"].equals(shapely.from_wkt(SQUARE))
        assert df.loc[2, "kontroll_geometri"].equals(box(360200, 6215000, 360300, 6215100))

    def test_resolve_areas_rejects_other_frames(self, tmp_path):
        df = pr.load_projects(projects_file(tmp_path, project()))
        with pytest.raises(ValueError, match="EPSG:3006"):
            pa.resolve_areas(df, test_places().to_crs("EPSG:4326"))


# ============================================================================================
# Commitments
# ============================================================================================


class TestCommitments:
    def test_each_type(self, tmp_path):
        path = commitments_file(
            tmp_path, commitment(),
            commitment(atagande_id="A2", typ="Högst", mal="10", utfall=""),
            commitment(atagande_id="A3", typ="minska", mal="", utfall="", fore="48", efter="35"),
            commitment(atagande_id="A4", typ="oka", mal="", utfall="", fore="", efter=""),
            commitment(atagande_id="A5", typ="Ja/Nej", mal="", utfall="Nej", agare="bada"),
            commitment(atagande_id="A6", typ="ja / nej", mal="", utfall=""))
        df = pr.load_commitments(path)
        assert list(df.columns) == list(pr.COMMITMENTS_SCHEMA.columns)
        assert df["typ"].tolist() == ["minst", "högst", "minska", "öka", "ja/nej", "ja/nej"]
        assert df["mal"].tolist()[:2] == [900.0, 10.0] and df["mal"].iloc[2:].isna().all()
        assert df["utfall"].fillna(-9).tolist() == [950.0, -9, -9, -9, 0.0, -9]
        assert df["fore"].fillna(-9).tolist() == [-9, -9, 48.0, -9, -9, -9]
        assert df["rapporterat"].tolist() == [True, False, True, False, True, False]
        assert df.loc[6, "agare"] == "båda" and df["ar"].tolist() == [2025] * 6
        assert df.loc[2, "deadline"] == pd.Timestamp("2025-12-31")

    @pytest.mark.parametrize("cells, column, needle", [
        ({"atagande_id": "A1"}, "atagande_id", "rows 2 and 3"),
        ({"kommun": "13800"}, "kommun", "four-digit"),
        ({"ar": "25"}, "ar", "not a year"),
        ({"ar": "2025,5"}, "ar", "not a whole number"),
        ({"text": ""}, "text", "text is empty"),
        ({"agare": "region"}, "agare", "'region'"),
        ({"typ": "ungefär"}, "typ", "'ungefär'"),
        ({"mal": ""}, "mal", "target (mal) is empty"),
        ({"mal": "-1"}, "mal", "below 0"),
        ({"typ": "minska", "utfall": "", "fore": "4", "efter": "3"}, "mal", "typ is minska"),
        ({"deadline": "31/12/2025"}, "deadline", "not a date"),
        ({"deadline": "2024-12-31"}, "deadline", "before the commitment's year"),
        ({"utfall": "ja"}, "utfall", "not a number"),
        ({"typ": "ja/nej", "mal": "", "utfall": "kanske"}, "utfall", "'kanske' is not ja or nej"),
        ({"typ": "minska", "mal": "", "utfall": "35", "fore": "48", "efter": "35"}, "utfall", "typ is minska"),
        ({"typ": "minska", "mal": "", "utfall": "", "fore": "48"}, "efter", "fore is filled but efter is empty"),
        ({"typ": "öka", "mal": "", "utfall": "", "efter": "3"}, "fore", "efter is filled but fore is empty"),
        ({"typ": "minska", "mal": "", "utfall": "", "fore": "4,5", "efter": "3"}, "fore", "not a whole number"),
        ({"typ": "minska", "mal": "", "utfall": "", "fore": "-4", "efter": "3"}, "fore", "below 0"),
        ({"fore": "4", "efter": "3"}, "fore", "typ is minst"),
    ])
    def test_errors_name_row_and_column(self, tmp_path, cells, column, needle):
        path = commitments_file(tmp_path, commitment(), commitment(**{"atagande_id": "A2", **cells}))
        assert_where(raises_input_error(pr.load_commitments, path), 3, column, needle)

    def test_excel_equals_csv(self, tmp_path):
        rows = [commitment(), commitment(atagande_id="A2", typ="minska", mal="", utfall="", fore="48", efter="35"),
                commitment(atagande_id="A3", typ="ja/nej", mal="", utfall="ja", kommun="0114")]
        csv_path = commitments_file(tmp_path, *rows)
        wb = openpyxl.Workbook()
        wb.active.title = "Info"
        ws = wb.create_sheet("Åtaganden")
        ws.append(COMMITMENT_HEADER)
        for r in rows:
            cells = []
            for h in COMMITMENT_HEADER:
                v = r[h]
                if h == "deadline":
                    v = dt.datetime.fromisoformat(v)
                elif h in ("ar", "mal", "utfall", "fore", "efter") and v not in ("", "ja"):
                    v = int(v)
                cells.append(v if v != "" else None)
            ws.append(cells)
        xlsx = tmp_path / "ataganden.xlsx"
        wb.save(xlsx)
        pd.testing.assert_frame_equal(pr.load_commitments(csv_path), pr.load_commitments(xlsx),
                                      check_index_type=False)


# ============================================================================================
# Surveys
# ============================================================================================


class TestSurveys:
    def projects(self, tmp_path):
        return pr.load_projects(projects_file(tmp_path, project()))

    def test_project_and_area_rows(self, tmp_path):
        path = surveys_file(tmp_path, survey(), survey(period="Efter", varde="1,7", ki_lag="1,4", ki_hog="2,0"),
                            survey(projekt_id="", omrade="Söder", kommun="1283", ki_lag="", ki_hog="", n=""))
        df = pr.load_surveys(path, self.projects(tmp_path))
        assert list(df.columns) == list(pr.SURVEYS_SCHEMA.columns)
        assert df["kommun_kod"].tolist() == ["1283"] * 3  # the project's kommun for project rows
        assert df["period"].tolist() == ["före", "efter", "före"]
        assert df["varde"].tolist() == [2.1, 1.7, 2.1]
        assert df.loc[4, ["ki_lag", "ki_hog", "n"]].isna().all()

    @pytest.mark.parametrize("cells, column, needle", [
        ({"projekt_id": "", "omrade": ""}, "projekt_id", "neither a projekt_id nor an omrade"),
        ({"projekt_id": "P9"}, "projekt_id", "'P9' is not in the project register"),
        ({"projekt_id": "", "omrade": "Söder"}, "kommun", "no projekt_id and no kommun"),
        ({"kommun": "1380"}, "kommun", "differs from the project's kommun 1283"),
        ({"kommun": "12"}, "kommun", "four-digit"),
        ({"index": ""}, "index", "index name is empty"),
        ({"period": "under"}, "period", "'under'"),
        ({"varde": ""}, "varde", "missing"),
        ({"ki_hog": ""}, "ki_hog", "ki_lag is filled but ki_hog is empty"),
        ({"varde": "2,5"}, "varde", "not inside its interval"),
        ({"n": "0"}, "n", "below 1"),
        ({"n": "10,5"}, "n", "not a whole number"),
        ({"period": "fore"}, "period", "appears in rows 2 and 3"),
    ])
    def test_errors_name_row_and_column(self, tmp_path, cells, column, needle):
        path = surveys_file(tmp_path, survey(), survey(**{"period": "efter", **cells}))
        assert_where(raises_input_error(pr.load_surveys, path, self.projects(tmp_path)), 3, column, needle)


# ============================================================================================
# Project folder
# ============================================================================================


def write_folder(tmp_path, projects: list[dict] | None = None, commitments: list[dict] | None = None,
                 surveys: list[dict] | None = None):
    folder = tmp_path / "projekt_mapp"
    folder.mkdir()
    if projects is not None:
        table(folder, "projekt.csv", PROJECT_HEADER, projects)
    if commitments is not None:
        table(folder, "Åtaganden.csv", COMMITMENT_HEADER, commitments)
    if surveys is not None:
        table(folder, "enkat.csv", SURVEY_HEADER, surveys)
    return folder


class TestFolder:
    def test_filters_to_the_kommun(self, tmp_path):
        folder = write_folder(
            tmp_path,
            [project(), project(projekt_id="P2", kommun="1380", behandlat_omrade="C; X", kontrollomrade="",
                                koordinatsystem="")],
            [commitment(), commitment(atagande_id="A2", kommun="1283")],
            [survey(), survey(projekt_id="P2", period="efter")])
        data = pr.load_project_folder(folder, "1283", places=test_places())
        assert data.projects["projekt_id"].tolist() == ["P1"]
        assert data.commitments["atagande_id"].tolist() == ["A2"]
        assert data.surveys["projekt_id"].tolist() == ["P1"]
        assert not data.example and data.kommun_kod == "1283" and data.folder == folder
        assert [f["name"] for f in data.files] == ["projekt_mapp/projekt.csv", "projekt_mapp/Åtaganden.csv",
                                                  "projekt_mapp/enkat.csv"]
        # another kommun's project names an unknown place: only a problem when that kommun is loaded
        err = raises_input_error(pr.load_project_folder, folder, "1380", places=test_places())
        assert_where(err, 3, "behandlat_omrade", "'X'")

    def test_none_when_the_kommun_has_neither(self, tmp_path):
        folder = write_folder(tmp_path, [project()], None, [survey()])
        assert pr.load_project_folder(folder, "1380") is None
        data = pr.load_project_folder(folder, "1283")
        assert data.commitments is None and len(data.projects) == 1 and len(data.surveys) == 1

    def test_commitments_only(self, tmp_path):
        data = pr.load_project_folder(write_folder(tmp_path, None, [commitment()]), "1380")
        assert data.projects is None and data.surveys is None and len(data.commitments) == 1
        assert [f["name"] for f in data.files] == ["projekt_mapp/Åtaganden.csv"]

    def test_folder_errors(self, tmp_path):
        raises_input_error(pr.load_project_folder, tmp_path / "saknas", "1283")
        raises_input_error(pr.load_project_folder, tmp_path, "128")
        folder = write_folder(tmp_path, None, None, [survey(projekt_id="", omrade="Söder", kommun="1283")])
        assert "neither a project register" in str(raises_input_error(pr.load_project_folder, folder, "1283"))
        (folder / "ataganden.csv").write_text("x", encoding="utf-8")
        (folder / "åtaganden.xlsx").write_text("x", encoding="utf-8")
        assert "two ataganden files" in str(raises_input_error(pr.find_project_files, folder))

    def test_survey_project_without_register(self, tmp_path):
        folder = write_folder(tmp_path, None, [commitment()], [survey()])
        assert_where(raises_input_error(pr.load_project_folder, folder, "1380"), 2, "projekt_id", "'P1'")

    def test_unknown_table_name(self, tmp_path):
        folder = write_folder(tmp_path, [project()])
        (folder / "platser.csv").write_text("x", encoding="utf-8")
        assert "not a project-folder table" in str(raises_input_error(pr.find_project_files, folder))

    def test_find_files_ignores_other_files(self, tmp_path):
        for name in ("PROJEKT.xlsx", "enkät.csv", "metadata.yaml", "~$projekt.xlsx", "README.md"):
            (tmp_path / name).write_text("x", encoding="utf-8")
        assert {k: p.name for k, p in pr.find_project_files(tmp_path).items()} == {
            "projekt": "PROJEKT.xlsx", "enkat": "enkät.csv"}


# ============================================================================================
# Areas
# ============================================================================================


def square_row(control=None, **kw) -> dict:
    row = {"projekt_id": "P1", "behandlat_geometri": box(0, 0, 100, 100), "behandlat_platser": "",
           "kontroll_geometri": control, "kontroll_platser": ""}
    row.update(kw)
    return row


def inscribed_ring(side: float, width: float) -> float:
    """Area of a square's buffer ring when each quarter circle is QUAD_SEGS chords (vertices on the circle):
    four rectangles side × width plus a regular N-gon inscribed in a circle of radius width, N = 4·QUAD_SEGS."""
    n = 4 * pa.QUAD_SEGS
    return 4 * side * width + n / 2 * width**2 * math.sin(2 * math.pi / n)


class TestAreas:
    def test_square_with_50_m_ring(self):
        areas = pa.project_areas(square_row(), buffer_m=50)
        assert areas.crs.to_epsg() == 3006
        assert areas["roll"].tolist() == ["behandlat", "förskjutning"]
        assert areas["projekt_id"].tolist() == ["P1", "P1"]
        assert areas.area.iloc[0] == pytest.approx(100 * 100)
        ring = areas.area.iloc[1]
        assert ring == pytest.approx(inscribed_ring(100, 50), rel=1e-9)
        # the exact ring (quarter circles) is 100² + 4·100·50 + π·50² − 100²; the chords lose 0.011 %
        exact = 4 * 100 * 50 + math.pi * 50**2
        assert ring < exact and ring == pytest.approx(exact, rel=2e-4)
        assert areas.attrs["notes"] == [] and areas.attrs["buffer_m"] == 50.0

    def test_ring_cut_by_the_control_area(self):
        # the control square starts 30 m east of the treated square: the ring's east strip
        # (x 100–150, y 0–100) overlaps it in x 130–150, y 0–100 = 20 × 100 = 2 000 m²
        areas = pa.project_areas(square_row(box(130, 0, 230, 100)), buffer_m=50)
        assert areas["roll"].tolist() == list(pa.AREA_ROLES)
        assert areas.area.iloc[1] == pytest.approx(inscribed_ring(100, 50) - 2000, rel=1e-9)
        assert areas.area.iloc[2] == pytest.approx(100 * 100)
        assert len(areas.attrs["notes"]) == 2
        assert "räknas bara till kontrollområdet" in areas.attrs["notes"][0]
        assert "2\u00a0000 m²" in areas.attrs["notes"][0]
        # the four areas never overlap, and together cover the two buffers
        geoms = areas.geometry.tolist()
        for i in range(4):
            for j in range(i + 1, 4):
                assert geoms[i].intersection(geoms[j]).area == pytest.approx(0, abs=1e-6), (i, j)
        both = box(0, 0, 100, 100).buffer(50, quad_segs=pa.QUAD_SEGS).union(
            box(130, 0, 230, 100).buffer(50, quad_segs=pa.QUAD_SEGS))
        assert areas.area.sum() == pytest.approx(both.area, rel=1e-9)

    def test_far_control_has_a_full_ring_and_no_notes(self):
        areas = pa.project_areas(square_row(box(1000, 0, 1100, 100)), buffer_m=50)
        assert areas.area.iloc[3] == pytest.approx(inscribed_ring(100, 50), rel=1e-9)
        assert areas.attrs["notes"] == []

    def test_place_ids_need_places(self):
        row = square_row(behandlat_geometri=None, behandlat_platser="A; B")
        with pytest.raises(ValueError, match="places="):
            pa.project_areas(row)
        areas = pa.project_areas(row, places=test_places(), buffer_m=10)
        assert areas.area.iloc[0] == pytest.approx(20_000)
        with pytest.raises(ValueError, match="'X'"):
            pa.project_areas(square_row(behandlat_geometri=None, behandlat_platser="X"), places=test_places())

    def test_series_row_from_the_loader(self, tmp_path):
        df = pr.load_projects(projects_file(tmp_path, project(kontrollomrade="")))
        areas = pa.project_areas(df.loc[2])
        assert areas["roll"].tolist() == ["behandlat", "förskjutning"]
        assert areas.area.iloc[1] == pytest.approx(inscribed_ring(100, 250), rel=1e-9)

    @pytest.mark.parametrize("width", [0, -1, 2000.5, float("nan"), float("inf"), True, "250"])
    def test_bad_buffer(self, width):
        with pytest.raises(ValueError, match="buffer_m"):
            pa.project_areas(square_row(), buffer_m=width)

    def test_largest_buffer(self):
        assert pa.project_areas(square_row(), buffer_m=2000).attrs["buffer_m"] == 2000.0

    def test_overlapping_control_and_missing_treated(self):
        with pytest.raises(ValueError, match="overlaps"):
            pa.project_areas(square_row(box(50, 50, 150, 150)))
        with pytest.raises(ValueError, match="no treated area"):
            pa.project_areas(square_row(behandlat_geometri=None))


# ============================================================================================
# Counts
# ============================================================================================

PERIODS = {"före": ("2024-01-01", "2024-01-31"), "efter": ("2024-03-01", "2024-03-31")}


def tiny_events() -> pd.DataFrame:
    rows = [  # x, y, time, category, plats_id — where each lands is in the comment
        (50, 50, "2024-01-10 12:00", "Klotter", ""),        # treated, före
        (100, 50, "2024-01-31 23:59:59", "Klotter", ""),    # on the treated edge → treated; last second of före
        (120, 50, "2024-01-01 00:00", "Hot", ""),           # ring, first moment of före
        (150, 50, "2024-03-31 22:00", "", ""),              # ring's outer edge → ring, efter, no category
        (1050, 50, "2024-03-05 10:00", "Klotter", ""),      # control, efter
        (1130, 50, "2024-03-06 10:00", "Hot", ""),          # control ring, efter
        (5000, 5000, "2024-01-10 12:00", "Klotter", ""),    # in no area
        (50, 50, "2024-02-01 00:00", "Klotter", ""),        # treated, between the periods
        (50, 50, "2023-12-31 23:59", "Klotter", ""),        # treated, before före
        (50, 50, "2024-04-01 00:00", "Klotter", ""),        # treated, the day after efter
        (np.nan, np.nan, "2024-03-10 08:00", "Hot", "A"),   # no position: place A (the treated square), efter
    ]
    return pd.DataFrame({"x": [r[0] for r in rows], "y": [r[1] for r in rows],
                         "tid": pd.to_datetime([r[2] for r in rows], format="ISO8601"), "kategori": [r[3] for r in rows],
                         "plats_id": [r[4] for r in rows]})


def tiny_places() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"plats_id": ["A"]}, geometry=[box(0, 0, 100, 100)], crs="EPSG:3006")


class TestCounts:
    def areas(self):
        return pa.project_areas(square_row(box(1000, 0, 1100, 100)), buffer_m=50)

    def test_by_hand(self):
        counts = pa.count_events(self.areas(), tiny_events(), PERIODS, places=tiny_places())
        assert list(counts.columns) == list(pa.COUNT_COLUMNS)
        cats = ["alla", "Hot", "Klotter", "Uppgift saknas"]
        assert len(counts) == 4 * 2 * len(cats)  # zero counts are rows too
        got = counts.set_index(["roll", "period", "kategori"])["antal"].to_dict()
        expected = {
            ("behandlat", "före"): {"alla": 2, "Klotter": 2},
            ("behandlat", "efter"): {"alla": 1, "Hot": 1},
            ("förskjutning", "före"): {"alla": 1, "Hot": 1},
            ("förskjutning", "efter"): {"alla": 1, "Uppgift saknas": 1},
            ("kontroll", "före"): {},
            ("kontroll", "efter"): {"alla": 1, "Klotter": 1},
            ("kontrollförskjutning", "före"): {},
            ("kontrollförskjutning", "efter"): {"alla": 1, "Hot": 1},
        }
        for (role, period), by_cat in expected.items():
            for cat in cats:
                assert got[(role, period, cat)] == by_cat.get(cat, 0), (role, period, cat)
        assert counts["antal"].dtype == np.int64
        assert counts.attrs == {"by": "kategori", "unplaced": 0, "filled": 1}

    def test_without_places_the_id_only_event_is_unplaced(self):
        counts = pa.count_events(self.areas(), tiny_events(), PERIODS, by=None)
        assert counts["kategori"].unique().tolist() == ["alla"]
        assert counts[(counts["roll"] == "behandlat") & (counts["period"] == "efter")]["antal"].tolist() == [0]
        assert counts.attrs["unplaced"] == 1 and counts.attrs["filled"] == 0

    def test_projects_are_counted_independently(self):
        a = self.areas()
        b = pa.project_areas(square_row(projekt_id="P2", behandlat_geometri=box(-50, -50, 150, 150)), buffer_m=50)
        counts = pa.count_events(pd.concat([a, b], ignore_index=True), tiny_events(), PERIODS, by=None)
        p2 = counts[counts["projekt_id"] == "P2"].set_index(["roll", "period"])["antal"]
        # P2's treated square (−50…150) covers every event of P1's treated area and ring
        assert p2[("behandlat", "före")] == 3 and p2[("behandlat", "efter")] == 1
        # P1 without places: 2 + 1 before, 1 + 1 + 1 + 1 after in ring, control and control ring
        assert counts[counts["projekt_id"] == "P1"]["antal"].sum() == 6

    def test_project_periods(self, tmp_path):
        df = pr.load_projects(projects_file(tmp_path, project()))
        periods = pa.project_periods(df.loc[2])
        assert periods == {"före": (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-06-30")),
                           "efter": (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-06-30"))}

    @pytest.mark.parametrize("periods, match", [
        ({}, "non-empty"),
        ({"före": ("2024-01-31", "2024-01-01")}, "before it starts"),
        ({"före": ("2024-01-01", "2024-01-31 12:00")}, "whole day"),
        ({"före": ("2024-01-01",)}, "pair of dates"),
        ({"före": ("i går", "i dag")}, "pair of dates"),
    ])
    def test_bad_periods(self, periods, match):
        with pytest.raises(ValueError, match=match):
            pa.count_events(self.areas(), tiny_events(), periods)

    def test_bad_areas_and_events(self):
        areas = self.areas()
        with pytest.raises(ValueError, match="EPSG:3006"):
            pa.count_events(areas.to_crs("EPSG:4326"), tiny_events(), PERIODS)
        with pytest.raises(ValueError, match="unknown roll"):
            pa.count_events(areas.assign(roll="buffert"), tiny_events(), PERIODS)
        with pytest.raises(ValueError, match="two areas"):
            pa.count_events(pd.concat([areas, areas]), tiny_events(), PERIODS)
        with pytest.raises(ValueError, match="kalla"):
            pa.count_events(areas, tiny_events(), PERIODS, by="kalla")


# ============================================================================================
# Templates
# ============================================================================================


def sheet_values(path_or_bytes) -> dict[str, list[tuple]]:
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    wb = openpyxl.load_workbook(source)
    return {ws.title: [tuple(c.value for c in r) for r in ws.iter_rows()] for ws in wb.worksheets}


class TestTemplates:
    def test_committed_templates_are_current(self, tmp_path):
        written = pt.write_templates(tmp_path)
        assert [p.name for p in written] == ["projekt.csv", "ataganden.csv", "enkat.csv", "mallar.xlsx", "README.md"]
        for path in written:
            committed = TEMPLATES_DIR / path.name
            assert committed.exists(), f"{committed} is missing: run write_templates('data/templates/projects')"
            if path.suffix == ".xlsx":
                assert sheet_values(committed) == sheet_values(path), "run write_templates('data/templates/projects')"
            else:
                assert committed.read_bytes() == path.read_bytes(), f"{path.name}: run write_templates(…)"

    def test_workbook_is_deterministic_and_has_instructions(self):
        assert pt.workbook_bytes() == pt.workbook_bytes()
        sheets = sheet_values(pt.workbook_bytes())
        assert list(sheets) == ["projekt", "ataganden", "enkat", "Instruktioner"]
        assert [c[0] for c in sheets["Instruktioner"]] == [r[0] or None for r in pt.instructions_rows()]

    def test_csv_format(self):
        for kind in pt.FILE_KINDS:
            raw = (TEMPLATES_DIR / f"{kind}.csv").read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf")
            assert raw.decode("utf-8-sig").splitlines()[0] == ";".join(pt.TEMPLATES[kind].header)

    def test_template_rows_load_and_excel_equals_csv(self):
        places = load_places(PLACES_DIR / "platser.csv")
        projects = pr.load_projects(TEMPLATES_DIR / "projekt.csv", places)
        assert len(projects) == len(pt.TEMPLATES["projekt"].rows)
        assert projects.loc[2, "behandlat_geometri"].equals(places.set_index("plats_id").geometry["HBG-001"])
        commitments = pr.load_commitments(TEMPLATES_DIR / "ataganden.csv")
        surveys = pr.load_surveys(TEMPLATES_DIR / "enkat.csv", projects)
        assert len(commitments) == 3 and len(surveys) == 3
        xlsx = TEMPLATES_DIR / "mallar.xlsx"
        geo = ["behandlat_geometri", "kontroll_geometri"]
        pd.testing.assert_frame_equal(pr.load_projects(xlsx, places).drop(columns=geo), projects.drop(columns=geo),
                                      check_index_type=False)
        pd.testing.assert_frame_equal(pr.load_commitments(xlsx), commitments, check_index_type=False)
        pd.testing.assert_frame_equal(pr.load_surveys(xlsx, projects), surveys, check_index_type=False)

    def test_readme_documents_every_column(self):
        text = (TEMPLATES_DIR / "README.md").read_text(encoding="utf-8")
        for template in pt.TEMPLATES.values():
            for col in template.columns:
                assert f"| {col.name} | {'ja' if col.required else 'nej'} |" in text, col.name
        assert pt.PERIOD_RULE in text and pt.AREA_RULE in text

    def test_write_csv_round_trip(self, tmp_path):
        path = tmp_path / "ataganden.csv"
        pt.write_csv(path, "ataganden", [{"åtagande_id": "A1", "kommun": "0114", "år": 2025, "text": 'a;b "c"',
                                          "ägare": "kommun", "typ": "ja/nej", "deadline": "2025-12-31",
                                          "utfall": "ja", "mal": None, "fore": float("nan")}])
        df = pr.load_commitments(path)
        assert df.loc[2, ["kommun_kod", "text", "utfall"]].tolist() == ["0114", 'a;b "c"', 1.0]
        with pytest.raises(ValueError, match="unknown column"):
            pt.csv_text("ataganden", [{"budget": 1}])
        with pytest.raises(ValueError, match="cells"):
            pt.csv_text("enkat", [("P1",)])


# ============================================================================================
# Example data
# ============================================================================================


class TestExample:
    def places(self):
        return load_place_data(PLACES_DIR, "1283")

    def test_helsingborg(self):
        place_data = self.places()
        data = pr.load_project_folder(EXAMPLE_DIR, "1283", places=place_data.places)
        assert data.example is True and "påhittade" in data.description.lower()
        assert all("(påhittade exempeldata)" in f["description"] for f in data.files)
        p = data.projects.iloc[0]
        assert p["namn"] == "Trygg Drottninghög – belysning och aktivering"
        assert p["atgarder"] == "belysning; beskärning; aktivering" and p["atgardstyp"] == "fysisk och social"
        assert p["budget_sek"] == 1_400_000.0
        assert (p["start"], p["slut"]) == (pd.Timestamp("2024-07-01"), pd.Timestamp("2024-12-31"))
        assert (p["fore_dagar"], p["efter_dagar"]) == (182, 181)
        assert (p["behandlat_platser"], p["kontroll_platser"]) == ("HBG-001", "HBG-006")
        assert len(data.commitments) == 1 and data.commitments.iloc[0]["utfall"] == 1.0
        s = data.surveys.set_index("period")
        assert s.loc["före", ["varde", "ki_lag", "ki_hog"]].tolist() == [2.1, 1.8, 2.4]
        assert s.loc["efter", ["varde", "ki_lag", "ki_hog"]].tolist() == [1.7, 1.4, 2.0]

    def test_halmstad(self):
        data = pr.load_project_folder(EXAMPLE_DIR, "1380")
        assert data.projects is None and data.surveys is None
        c = data.commitments.set_index("text")
        assert len(c) == 4 and set(c["ar"]) == {2025}
        hours = c.loc["Minst 900 timmar synlig uniformerad polis i stadskärnan"]
        assert (hours["typ"], hours["mal"], hours["enhet"], hours["utfall"]) == ("minst", 900.0, "timmar", 950.0)
        graffiti = c.loc["Klotter i stadskärnan saneras två gånger per år"]
        assert (graffiti["typ"], graffiti["mal"], graffiti["enhet"], graffiti["utfall"]) == ("minst", 2.0, "gånger", 1.0)
        assault = c.loc["Antalet misshandelsbrott i stadskärnan ska minska"]
        assert (assault["typ"], assault["fore"], assault["efter"]) == ("minska", 48.0, 35.0)
        walk = c.loc["Trygghetsvandring i varje prioriterat område"]
        assert walk["typ"] == "ja/nej" and np.isnan(walk["utfall"]) and not walk["rapporterat"]
        assert walk["deadline"] == pd.Timestamp("2025-12-31")

    def test_counts_match_a_direct_spatial_join(self):
        place_data = self.places()
        places, incidents = place_data.places, place_data.incidents
        data = pr.load_project_folder(EXAMPLE_DIR, "1283", places=places)
        row = data.projects.iloc[0]
        counts = pa.count_events(pa.project_areas(row), incidents, pa.project_periods(row), places=places)
        alla = counts[counts["kategori"] == "alla"].set_index(["roll", "period"])["antal"]
        by_id = places.set_index("plats_id").geometry
        for role, pid in (("behandlat", "HBG-001"), ("kontroll", "HBG-006")):
            for period, (start, end) in {"före": ("2024-01-01", "2024-07-01"),
                                         "efter": ("2025-01-01", "2025-07-01")}.items():
                in_time = (incidents["tid"] >= start) & (incidents["tid"] < end)
                positioned = incidents[in_time & incidents["x"].notna()]
                points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(positioned["x"], positioned["y"]),
                                          crs="EPSG:3006")
                inside = int(points.covered_by(by_id[pid]).sum())
                id_only = int((in_time & incidents["x"].isna() & (incidents["plats_id"] == pid)).sum())
                assert alla[(role, period)] == inside + id_only, (role, period)
        assert (alla >= 4).all()  # non-trivial counts in every area and period
        per_category = counts[counts["kategori"] != "alla"].groupby(["roll", "period"])["antal"].sum()
        assert (per_category == alla.reindex(per_category.index)).all()
        readme = (DATA / "example" / "README.md").read_text(encoding="utf-8")
        for role, label in (("behandlat", "treated area"), ("förskjutning", "displacement ring"),
                            ("kontroll", "control area"), ("kontrollförskjutning", "control's ring")):
            assert f"{label} {alla[(role, 'före')]} → {alla[(role, 'efter')]}" in readme, label

    def test_script_reproduces_the_committed_files(self, tmp_path, monkeypatch):
        spec = importlib.util.spec_from_file_location("make_example_projects", EXAMPLE_DIR / "make_example.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        monkeypatch.setattr(module, "HERE", tmp_path)
        module.main()
        for name in ("metadata.yaml", "projekt.csv", "ataganden.csv", "enkat.csv"):
            assert (tmp_path / name).read_bytes() == (EXAMPLE_DIR / name).read_bytes(), name

    def test_readme_section(self):
        text = (DATA / "example" / "README.md").read_text(encoding="utf-8")
        assert "## `projects/`" in text and "projects/make_example.py" in text and "Halmstad" in text
