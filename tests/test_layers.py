"""Tests of the data layers of lagesbild.sources.processed: raw < fetched < local, every replaced value recorded.

Most tests add files to the tiny hand-made raw tree of test_processed.py (``make_raw``: Falun 2080 and
Borlänge 2081 in Dalarna, Helsingborg 1283) and build it in tmp_path. Its crime file has, among others,
Falun 2024 Stöld 110 (Antal) and Borlänge 2024 Stöld 250.5 (per 100 000 inv); its population Falun 2023
59 000. The last section builds a copy of the real bundle once for the module; nothing is written to data/.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from test_processed import KOMMUNER_CSV, built, built_data, built_template, make_raw, polygon_fc  # noqa: F401 (fixtures)

from lagesbild.core.errors import InputError
from lagesbild.core.paths import DATA
from lagesbild.sources import processed

CRIME_HEADER = "region_code;region_name;year;indicator;unit;value\n"
RATE = "Antal per 100 000 inv"


def put(root: Path, rel: str, text: str) -> Path:
    """Write ``text`` to ``root/rel`` (folders made as needed)."""
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


def put_record(path: Path, **record) -> Path:
    """Write the provenance record beside ``path``."""
    p = path.with_name(path.name + processed.PROVENANCE_SUFFIX)
    p.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return p


def value(crime: pd.DataFrame, region: str, year: int, indicator: str = "Stöld", unit: str = "Antal"):
    row = crime[(crime["region_code"] == region) & (crime["year"] == year) & (crime["indicator"] == indicator)
                & (crime["unit"] == unit)]
    assert len(row) == 1, row
    return row["value"].iloc[0]


def replaced(ds: processed.Dataset) -> list[dict]:
    """The replaced values as plain records (year as int or None), in a stable order."""
    rows = [{**r, "year": None if pd.isna(r["year"]) else int(r["year"])}
            for r in ds.replaced.to_dict("records")]
    return sorted(rows, key=lambda r: (r["kind"], r["file"], r["over"], r["region_code"], r["item"]))


def entry(ds: processed.Dataset, name: str) -> dict:
    found = [f for f in ds.files if f["name"] == name]
    assert len(found) == 1, [f["name"] for f in ds.files]
    return found[0]


@pytest.fixture
def data(built_data) -> Path:  # noqa: F811 (the imported fixture, under the name these tests use)
    """A copy of test_processed's tiny tree, built once already (copying is faster than building)."""
    return built_data


class TestLocalReplacesRaw:
    def test_replaced_value_is_used_and_recorded(self, data):
        put(data, "local/crime/egen.csv", CRIME_HEADER + "2080;Falun;2024;Stöld;Antal;112\n"
                                                         "2080;Falun;2025;Stöld;Antal;120\n")
        ds = processed.load(data)
        assert value(ds.crime, "2080", 2024) == 112
        assert value(ds.crime, "2080", 2025) == 120  # a year raw/ lacks is added, and is no replacement
        assert value(ds.crime, "2080", 2023) == 100  # what the local file does not have stays
        assert len(ds.crime) == 6
        assert replaced(ds) == [{"kind": "crime", "file": "local/crime/egen.csv", "over": "raw/crime/bra.csv",
                                 "region_code": "2080", "year": 2024, "item": "Stöld, antal",
                                 "old": "110", "new": "112"}]
        assert (data / "processed" / f"crime{processed.REPLACED_SUFFIX}").exists()
        manifest = json.loads((data / "processed/manifest.json").read_text())
        assert manifest["kinds"]["crime"]["replaced"] == 1
        size = (data / "local/crime/egen.csv").stat().st_size
        assert manifest["kinds"]["crime"]["files"][-1] | {"sha256": ""} == {
            "path": "crime/egen.csv", "dir": "local", "sha256": "", "bytes": size}
        local = entry(ds, "local/crime/egen.csv")
        assert local["kinds"] == ["crime"]
        assert "Egen fil i local/" in local["description"]
        assert local["description"].endswith("Ersätter 1 värde i äldre filer.")
        assert "Ersätter" not in entry(ds, "raw/crime/bra.csv")["description"]

    def test_a_rate_is_recorded_with_its_unit_and_decimals(self, data):
        put(data, "local/crime/egen.csv", CRIME_HEADER + f"2081;Borlänge;2024;Stöld;{RATE};251\n")
        ds = processed.load(data)
        assert value(ds.crime, "2081", 2024, unit=RATE) == 251
        [rec] = replaced(ds)
        assert (rec["region_code"], rec["item"], rec["old"], rec["new"]) == (
            "2081", "Stöld, antal per 100 000 inv", "250.5", "251")

    def test_an_equal_value_is_no_replacement(self, data):
        put(data, "local/crime/egen.csv", CRIME_HEADER + "2080;Falun;2024;Stöld;Antal;110\n")
        ds = processed.load(data)
        assert value(ds.crime, "2080", 2024) == 110
        assert ds.replaced.empty and list(ds.replaced.columns) == processed.REPLACED_COLUMNS
        assert not (data / "processed" / f"crime{processed.REPLACED_SUFFIX}").exists()

    def test_local_population_replaces_raw(self, data):
        put(data, "local/population/egen.csv", "kommun_kod;kommun;year;population\n2080;Falun;2023;59 500\n")
        ds = processed.load(data)
        assert ds.population.set_index(["kommun_kod", "year"]).loc[("2080", 2023), "population"] == 59500
        assert replaced(ds) == [{"kind": "population", "file": "local/population/egen.csv",
                                 "over": "raw/population/scb.csv", "region_code": "2080", "year": 2023,
                                 "item": "folkmängd", "old": "59000", "new": "59500"}]

    def test_local_kommungrupp_replaces_raw(self, data):
        put(data, "raw/kommungrupper/skr.csv", "kommun_kod,kommun,kommungrupp\n"
                                               "2080,Falun,Mindre stad/tätort\n2081,Borlänge,Större stad\n"
                                               "1283,Helsingborg,Större stad\n")
        put(data, "local/kommungrupper/egen.csv", "kommun_kod,kommun,kommungrupp\n2080,Falun,Större stad\n")
        ds = processed.load(data)
        assert dict(zip(ds.kommungrupper["kommun_kod"], ds.kommungrupper["kommungrupp"], strict=True)) == {
            "2080": "Större stad", "2081": "Större stad", "1283": "Större stad"}
        assert replaced(ds) == [{"kind": "kommungrupper", "file": "local/kommungrupper/egen.csv",
                                 "over": "raw/kommungrupper/skr.csv", "region_code": "2080", "year": None,
                                 "item": "kommungrupp", "old": "Mindre stad/tätort", "new": "Större stad"}]


class TestMissingNeverReplaces:
    def test_dots_in_a_local_file_keep_the_raw_value(self, data):
        put(data, "local/crime/egen.csv", CRIME_HEADER + "2080;Falun;2024;Stöld;Antal;..\n"
                                                         "2081;Borlänge;2024;Stöld;Antal per 100 000 inv;\n"
                                                         "2080;Falun;2023;Stöld;Antal;101\n")
        ds = processed.load(data)
        assert value(ds.crime, "2080", 2024) == 110
        assert value(ds.crime, "2081", 2024, unit=RATE) == 250.5
        assert value(ds.crime, "2080", 2023) == 101
        assert [(r["year"], r["old"], r["new"]) for r in replaced(ds)] == [(2023, "100", "101")]

    def test_a_missing_value_raw_lacks_is_kept_as_missing(self, data):
        put(data, "local/crime/egen.csv", CRIME_HEADER + "2080;Falun;2025;Stöld;Antal;..\n")
        ds = processed.load(data)
        assert pd.isna(value(ds.crime, "2080", 2025)) and ds.replaced.empty


class TestTwoLocalFiles:
    def test_the_later_name_wins(self, data):
        # written newest first, so that the order cannot come from the time of writing
        put(data, "local/crime/2026-03 brå.csv", CRIME_HEADER + "2080;Falun;2024;Stöld;Antal;115\n")
        put(data, "local/crime/2025-03 brå.csv", CRIME_HEADER + "2080;Falun;2024;Stöld;Antal;113\n"
                                                                "2080;Falun;2023;Stöld;Antal;99\n")
        ds = processed.load(data)
        assert value(ds.crime, "2080", 2024) == 115
        assert value(ds.crime, "2080", 2023) == 99  # only the earlier local file has it
        assert [(r["file"], r["over"], r["year"], r["old"], r["new"]) for r in replaced(ds)] == [
            ("local/crime/2025-03 brå.csv", "raw/crime/bra.csv", 2023, "100", "99"),
            ("local/crime/2026-03 brå.csv", "local/crime/2025-03 brå.csv", 2024, "113", "115"),
            ("local/crime/2026-03 brå.csv", "raw/crime/bra.csv", 2024, "110", "115")]


def put_fetched(data: Path, name: str, falun_2024: int, fetched_at: str) -> Path:
    """A fetched crime file with Falun's 2024 Stöld count and its provenance record."""
    p = put(data, f"fetched/crime/{name}", CRIME_HEADER + f"2080;Falun;2024;Stöld;Antal;{falun_2024}\n")
    put_record(p, fetched_at=fetched_at, source_text="Kolada (RKA)", licence="CC BY 4.0",
               urls=["https://api.kolada.se/v3/data"])
    return p


class TestLayerOrder:
    def test_fetched_beats_raw(self, data):
        put_fetched(data, "kolada.csv", 111, "2026-02-01T10:00:00+00:00")
        ds = processed.load(data)
        assert value(ds.crime, "2080", 2024) == 111
        assert [(r["file"], r["over"], r["old"], r["new"]) for r in replaced(ds)] == [
            ("fetched/crime/kolada.csv", "raw/crime/bra.csv", "110", "111")]
        description = entry(ds, "fetched/crime/kolada.csv")["description"]
        assert "hämtad 2026-02-01 från https://api.kolada.se/v3/data" in description
        assert "Kolada (RKA)" in description

    def test_local_beats_fetched(self, data):
        put_fetched(data, "kolada.csv", 111, "2026-02-01T10:00:00+00:00")
        put(data, "local/crime/egen.csv", CRIME_HEADER + "2080;Falun;2024;Stöld;Antal;112\n")
        ds = processed.load(data)
        assert value(ds.crime, "2080", 2024) == 112
        assert [(r["file"], r["over"], r["old"], r["new"]) for r in replaced(ds)] == [
            ("local/crime/egen.csv", "fetched/crime/kolada.csv", "111", "112"),
            ("local/crime/egen.csv", "raw/crime/bra.csv", "110", "112")]

    def test_the_later_fetch_wins_whatever_its_name(self, data):
        put_fetched(data, "a.csv", 114, "2026-03-01T10:00:00+00:00")
        put_fetched(data, "b.csv", 111, "2026-02-01T10:00:00+00:00")
        ds = processed.load(data)
        assert value(ds.crime, "2080", 2024) == 114


class TestConflictInsideRaw:
    NEWER = CRIME_HEADER + "2080;Falun;2024;Stöld;Antal;115\n"

    def test_without_vintages_names_both_files_and_points_at_local(self, data):
        put(data, "raw/crime/nyare.csv", self.NEWER)
        with pytest.raises(InputError) as info:
            processed.build(data)
        e = info.value
        assert e.file == str((data / "raw/crime").resolve())
        assert "raw/crime/bra.csv" in e.problem and "raw/crime/nyare.csv" in e.problem
        assert "'region_code': '2080'" in e.problem and "'year': 2024" in e.problem
        assert "local/crime/" in e.fix

    @pytest.mark.parametrize("vintages", [("2025", None), (None, "2026-01"), ("2025", "2025")])
    def test_one_vintage_missing_or_both_equal_is_still_an_error(self, data, vintages):
        old, new = data / "raw/crime/bra.csv", put(data, "raw/crime/nyare.csv", self.NEWER)
        for path, vintage in zip((old, new), vintages, strict=True):
            if vintage:
                put_record(path, vintage=vintage)
        with pytest.raises(InputError) as info:
            processed.build(data)
        assert "bra.csv" in info.value.problem and "nyare.csv" in info.value.problem

    def test_following_the_fix_builds(self, data):
        put(data, "raw/crime/nyare.csv", self.NEWER)
        put(data, "local/crime/egen.csv", CRIME_HEADER + "2080;Falun;2024;Stöld;Antal;116\n")
        ds = processed.load(data)
        assert value(ds.crime, "2080", 2024) == 116
        assert [(r["over"], r["old"], r["new"]) for r in replaced(ds)] == [
            ("raw/crime/bra.csv", "110", "116"), ("raw/crime/nyare.csv", "115", "116")]


class TestVintages:
    """Two bundled files whose provenance records give different vintages: the later vintage wins."""

    SOL = CRIME_HEADER + "2080;Falun;2024;Stöld;Antal;115\n2080;Falun;2025;Stöld;Antal;117\n"

    def test_the_later_vintage_wins_though_its_name_comes_first(self, data):
        put_record(data / "raw/crime/bra.csv", vintage="2025", source_text="Brå, kommunindikatorer")
        put_record(put(data, "raw/crime/a_sol.csv", self.SOL), vintage="2026-01", source_text="Brå, SOL")
        ds = processed.load(data)
        assert value(ds.crime, "2080", 2024) == 115
        assert replaced(ds) == [{"kind": "crime", "file": "raw/crime/a_sol.csv", "over": "raw/crime/bra.csv",
                                 "region_code": "2080", "year": 2024, "item": "Stöld, antal",
                                 "old": "110", "new": "115"}]
        sol = entry(ds, "raw/crime/a_sol.csv")["description"]
        assert "Källa: Brå, SOL (version 2026-01)" in sol and sol.endswith("Ersätter 1 värde i äldre filer.")
        assert "(version 2025)" in entry(ds, "raw/crime/bra.csv")["description"]

    def test_the_older_vintage_loses_though_its_name_comes_last(self, data):
        put_record(data / "raw/crime/bra.csv", vintage="2026-01")
        put_record(put(data, "raw/crime/a_sol.csv", self.SOL), vintage="2025")
        ds = processed.load(data)
        assert value(ds.crime, "2080", 2024) == 110
        assert [(r["file"], r["over"], r["old"], r["new"]) for r in replaced(ds)] == [
            ("raw/crime/bra.csv", "raw/crime/a_sol.csv", "115", "110")]


class TestPreliminaryYears:
    def test_marks_the_rows_of_those_years(self, data):
        put_record(data / "raw/crime/bra.csv", vintage="2025-01", preliminary_years=[2024])
        crime = processed.load(data).crime
        assert sorted(zip(crime["region_code"], crime["year"], crime["preliminary"], strict=True)) == [
            ("00", 2023, False), ("20", 2023, False), ("2080", 2023, False), ("2080", 2024, True),
            ("2081", 2024, True)]

    def test_a_newer_local_figure_is_not_preliminary(self, data):
        put_record(data / "raw/crime/bra.csv", preliminary_years=[2024])
        put(data, "local/crime/slutliga.csv", CRIME_HEADER + "2080;Falun;2024;Stöld;Antal;112\n")
        crime = processed.load(data).crime.set_index(["region_code", "year"])
        assert not crime.loc[("2080", 2024), "preliminary"] and crime.loc[("2081", 2024), "preliminary"]


class TestFileCoverage:
    def test_each_file_says_what_it_covers(self, data):
        put(data, "local/crime/egen.csv", CRIME_HEADER + "2080;Falun;2025;Stöld;Antal;120\n"
                                                         "2081;Borlänge;2025;Stöld;Antal;90\n")
        put(data, "local/population/egen.csv", "kommun_kod;kommun;year;population\n2080;Falun;2024;59 500\n")
        ds = processed.load(data)
        vintage = {f["name"]: f["vintage"] for f in ds.files}
        assert vintage["raw/crime/bra.csv"] == "2023–2024, 4 regioner"  # 00, 20, 2080, 2081
        assert vintage["local/crime/egen.csv"] == "2025–2025, 2 regioner"
        assert vintage["raw/population/scb.csv"] == "2023–2023, 3 kommuner"
        assert vintage["local/population/egen.csv"] == "2024–2024, kommun 2080"


class TestReplacedOf:
    @pytest.fixture
    def ds(self, data) -> processed.Dataset:
        put(data, "local/crime/egen.csv", CRIME_HEADER + "2080;Falun;2024;Stöld;Antal;112\n"
                                                         f"2081;Borlänge;2024;Stöld;{RATE};251\n")
        put(data, "local/population/egen.csv", "kommun_kod;kommun;year;population\n2080;Falun;2023;59 500\n")
        return processed.load(data)

    def test_by_kind(self, ds):
        assert len(ds.replaced) == 3
        assert sorted(ds.replaced_of("crime")["region_code"]) == ["2080", "2081"]
        population = ds.replaced_of("population")
        assert population[["region_code", "item"]].values.tolist() == [["2080", "folkmängd"]]
        assert len(ds.replaced_of("crime", "population")) == 3
        ntu = ds.replaced_of("ntu")
        assert ntu.empty and list(ntu.columns) == processed.REPLACED_COLUMNS

    def test_by_region(self, ds):
        assert ds.replaced_of("crime", regions=["2080"])["new"].tolist() == ["112"]
        falun = ds.replaced_of("crime", "population", regions=["2080"])
        assert falun["kind"].tolist() == ["crime", "population"]
        assert ds.replaced_of("crime", regions=("2081", "20"))["new"].tolist() == ["251"]
        assert ds.replaced_of("crime", regions=["1283"]).empty

    def test_unknown_kind(self, ds):
        with pytest.raises(ValueError, match="brott"):
            ds.replaced_of("brott")


class TestRebuild:
    def test_removing_the_local_file_removes_the_replaced_values(self, data):
        local = put(data, "local/crime/egen.csv", CRIME_HEADER + "2080;Falun;2024;Stöld;Antal;112\n")
        assert len(processed.load(data).replaced) == 1
        table = data / "processed" / f"crime{processed.REPLACED_SUFFIX}"
        assert table.exists()
        local.unlink()
        log: list[str] = []
        manifest = processed.build(data, log=log.append)
        assert built(log) == ["crime.parquet"]
        assert not table.exists() and manifest["kinds"]["crime"]["replaced"] == 0
        ds = processed.load(data)
        assert ds.replaced.empty and value(ds.crime, "2080", 2024) == 110
        assert "local/crime/egen.csv" not in [f["name"] for f in ds.files]

    def test_a_new_local_file_rebuilds_only_its_kind(self, data):
        put(data, "local/population/egen.csv", "kommun_kod;kommun;year;population\n2080;Falun;2023;59 500\n")
        log: list[str] = []
        processed.build(data, log=log.append)
        assert built(log) == ["population.parquet"]
        assert "1 values replaced by newer files" in log[0]

    def test_a_changed_provenance_record_rebuilds_the_kind(self, data):
        raw = data / "raw/crime/bra.csv"
        log: list[str] = []
        put_record(raw, vintage="2025")  # a new record
        processed.build(data, log=log.append)
        assert built(log) == ["crime.parquet"]
        log.clear()
        processed.build(data, log=log.append)
        assert log == []  # unchanged: nothing rebuilt
        put_record(raw, vintage="2025", preliminary_years=[2024])  # the same file, a changed record
        processed.build(data, log=log.append)
        assert built(log) == ["crime.parquet"]
        crime = processed.load(data).crime
        assert crime.loc[crime["year"] == 2024, "preliminary"].all()
        assert not crime.loc[crime["year"] == 2023, "preliminary"].any()
        raw.with_name(raw.name + processed.PROVENANCE_SUFFIX).unlink()  # a removed record
        log.clear()
        processed.build(data, log=log.append)
        assert built(log) == ["crime.parquet"]
        assert not processed.load(data).crime["preliminary"].any()


class TestRawFileAsSymlink:
    def test_a_linked_raw_file_builds_under_its_name_in_raw(self, tmp_path):
        # A data folder of one's own may link to the bundled files instead of copying them.
        root = make_raw(tmp_path / "data")
        elsewhere = tmp_path / "bundle" / "bra.csv"
        elsewhere.parent.mkdir()
        shutil.move(root / "raw/crime/bra.csv", elsewhere)
        (root / "raw/crime/bra.csv").symlink_to(elsewhere)
        put(root, "local/crime/egen.csv", CRIME_HEADER + "2080;Falun;2024;Stöld;Antal;112\n")
        ds = processed.load(root)
        assert "raw/crime/bra.csv" in [f["name"] for f in ds.files]
        assert ds.replaced["over"].tolist() == ["raw/crime/bra.csv"]


class TestUtsattaOmradenKind:
    def test_optional(self, data):
        manifest = json.loads((data / "processed/manifest.json").read_text())
        assert "utsatta_omraden" not in manifest["kinds"]
        ds = processed.load(data)
        assert ds.utsatta_omraden.empty and "kommun_kod" in ds.utsatta_omraden.columns

    def test_built_with_the_kommun_of_each_area(self, data):
        # Falun's square is lon 15–16, lat 60–61; the area lon 15.2–15.3, lat 60.2–60.3 lies inside it.
        area = [[[15.2, 60.2], [15.3, 60.2], [15.3, 60.3], [15.2, 60.3], [15.2, 60.2]]]
        feature = {"type": "Feature", "properties": {"name": "Centrum", "class": "särskilt"},
                   "geometry": {"type": "Polygon", "coordinates": area}}
        put(data, "raw/utsatta_omraden/polisen.geojson",
            json.dumps({"type": "FeatureCollection", "features": [feature]}, ensure_ascii=False))
        log: list[str] = []
        processed.build(data, log=log.append)
        assert built(log) == ["utsatta_omraden.parquet"]
        uso = processed.load(data).utsatta_omraden
        assert uso[["name", "class", "kommun_kod", "kommun_share", "distance_m"]].values.tolist() == [
            ["Centrum", "sarskilt", "2080", 1.0, 0.0]]
        # new kommun boundaries rebuild it (Borlänge now holds the square)
        put(data, "raw/geo/kommuner_test.geojson", polygon_fc([
            ({"kommun_kod": "2081", "kommun": "Borlänge"}, (15, 60)),
            ({"kommun_kod": "2080", "kommun": "Falun"}, (16, 60)),
            ({"kommun_kod": "1283", "kommun": "Helsingborg"}, (12, 56))]))
        log.clear()
        processed.build(data, log=log.append)
        assert "utsatta_omraden.parquet" in built(log)
        assert processed.load(data).utsatta_omraden["kommun_kod"].tolist() == ["2081"]

    def test_a_kommun_list_without_the_area_is_unaffected(self, data):
        put(data, "raw/geo/swedish_admin_areas.csv", KOMMUNER_CSV + "2082,Säter,20,Dalarnas län\n")
        log: list[str] = []
        processed.build(data, log=log.append)
        assert "utsatta_omraden.parquet" not in built(log)


# ============================================================================================
# The real bundle (built once for this module, from a copy)
# ============================================================================================

SOL_FILE = "crime/bra_anmalda_brott_kommun_2015_2025_long.csv"
KI_FILE = "crime/bra_kommunindikatorer_dalarna_anmalda_brott.csv"
TOTAL = "Totalt antal anmälda brott"
#: Dalarna's 15 kommuner (SCB codes).
DALARNA = ["2021", "2023", "2026", "2029", "2031", "2034", "2039", "2061", "2062", "2080", "2081", "2082",
           "2083", "2084", "2085"]


@pytest.fixture(scope="module")
def bundle(bundled_data) -> processed.Dataset:
    """The bundled raw data, built once for the run (conftest's bundled_data)."""
    return processed.load(bundled_data.root)


@pytest.fixture(scope="module")
def raw_sol() -> pd.DataFrame:
    return pd.read_csv(DATA / "raw" / SOL_FILE, dtype={"kommunkod": str})


@pytest.fixture(scope="module")
def raw_ki() -> pd.DataFrame:
    return pd.read_csv(DATA / "raw" / KI_FILE, dtype={"region_code": str})


class TestBundledCrime:
    def test_sol_and_kommunindikatorer_totals_are_the_same_counts(self, bundle, raw_sol, raw_ki):
        sol = raw_sol[raw_sol["kategori_sv"] == TOTAL]
        sol = sol.rename(columns={"kommunkod": "region_code", "ar": "year"})
        ki = raw_ki[(raw_ki["indicator"] == TOTAL) & (raw_ki["unit"] == "Antal")]
        both = sol.merge(ki, on=["region_code", "year"])
        assert sorted(set(both["region_code"])) == DALARNA
        assert sorted(set(both["year"])) == list(range(2017, 2025))
        assert len(both) == 15 * 8
        assert (both["antal"] == both["value"]).all()
        # and the build has one count per kommun and year, that count, never recorded as replaced
        crime = bundle.crime
        counts = crime[(crime["indicator"] == TOTAL) & (crime["unit"] == "Antal")
                       & crime["region_code"].isin(DALARNA) & crime["year"].between(2017, 2024)]
        assert len(counts) == 120
        merged = counts.merge(both, on=["region_code", "year"], suffixes=("", "_ki"))
        assert (merged["value"] == merged["value_ki"]).all()
        assert not bundle.replaced["item"].str.endswith(", antal").any()

    def test_the_14_rate_disagreements_of_2024(self, bundle, raw_sol, raw_ki):
        rep = bundle.replaced_of("crime")
        assert len(rep) == 14 and len(bundle.replaced) == 14
        assert set(rep["year"]) == {2024}
        assert set(rep["item"]) == {f"{TOTAL}, antal per 100 000 inv"}
        assert set(rep["file"]) == {"raw/" + SOL_FILE} and set(rep["over"]) == {"raw/" + KI_FILE}  # SOL wins
        lan = bundle.kommuner.set_index("kommun_kod")["lan_kod"]
        assert set(rep["region_code"].map(lan)) == {"20"}
        # Falun: the kommunindikatorer say 7 833 per 100 000 for 2024, SOL 7 836
        falun = rep[rep["region_code"] == "2080"]
        assert falun[["old", "new"]].values.tolist() == [["7833", "7836"]]
        # the same 14 found in the raw files directly: Brå's own SOL rates against the kommunindikator rates
        sol = raw_sol[(raw_sol["kategori_sv"] == TOTAL) & (raw_sol["per_100k_kalla"] != "härledd")]
        ki = raw_ki[(raw_ki["indicator"] == TOTAL) & (raw_ki["unit"] == RATE)]
        both = sol.merge(ki, left_on=["kommunkod", "ar"], right_on=["region_code", "year"])
        differ = both[both["per_100k"] != both["value"]]
        assert {(r.kommunkod, r.ar, f"{r.value:.0f}", f"{r.per_100k:.0f}") for r in differ.itertuples()} == {
            (r.region_code, r.year, r.old, r.new) for r in rep.itertuples()}
        assert value(bundle.crime, "2080", 2024, TOTAL, RATE) == 7836

    def test_files_coverage_and_replacements_are_listed(self, bundle):
        sol, ki = entry(bundle, "raw/" + SOL_FILE), entry(bundle, "raw/" + KI_FILE)
        assert sol["vintage"] == "2015–2025, 290 regioner" and ki["vintage"] == "2017–2024, 17 regioner"
        assert "(version 2026-01)" in sol["description"]
        assert "Ersätter 14 värden i äldre filer." in sol["description"]
        assert "(version 2025)" in ki["description"] and "Ersätter" not in ki["description"]

    def test_2025_is_preliminary(self, bundle):
        crime = bundle.crime
        assert crime.loc[crime["year"] == 2025, "preliminary"].all()
        assert not crime.loc[crime["year"] != 2025, "preliminary"].any()
        # 2025 is in the SOL file only: 290 kommuner × 6 counts + 290 rates of the total
        assert (crime["year"] == 2025).sum() == 290 * 7


class TestBundledUtsattaOmraden:
    def test_areas_and_their_kommuner(self, bundle):
        uso = bundle.utsatta_omraden
        assert len(uso) == 65 and uso["kommun_kod"].notna().all()
        assert set(uso["class"]) == {"utsatt", "sarskilt"}
        helsingborg = uso[uso["kommun_kod"] == "1283"].set_index("name")
        assert set(helsingborg.index) == {"Dalhem / Drottninghög / Fredriksdal", "Söder"}
        # Söder lies a little outside the simplified coastline of the bundled boundary
        assert helsingborg.loc["Söder", "kommun_share"] == 0.0
        assert helsingborg.loc["Söder", "distance_m"] == pytest.approx(204, abs=10)
        assert helsingborg.loc["Dalhem / Drottninghög / Fredriksdal", "distance_m"] == 0.0
        assert uso.loc[uso["kommun_kod"] == "1488", "name"].tolist() == ["Kronogården / Lextorp Norra"]
        assert (uso["distance_m"] <= 2_000).all()


class TestBundledKommungrupper:
    def test_groups(self, bundle):
        groups = bundle.kommungrupper
        assert len(groups) == 290 and set(groups["kommun_kod"]) == set(bundle.kommuner["kommun_kod"])
        assert groups["kommungrupp_kod"].value_counts().to_dict() == {
            "A1": 3, "A2": 43, "B3": 23, "B4": 63, "B5": 24, "C6": 27, "C7": 51, "C8": 35, "C9": 21}
        assert groups.groupby("kommungrupp_kod")["kommungrupp"].nunique().eq(1).all()  # one name per code
        by_code = groups.set_index("kommun_kod")
        assert by_code.loc["1283", ["kommungrupp", "kommungrupp_kod"]].tolist() == ["Större stad", "B3"]
        assert by_code.loc["0180", ["kommungrupp", "kommungrupp_kod"]].tolist() == ["Storstäder", "A1"]
        assert by_code.loc["2080", "kommun"] == "Falun"


class TestSingleFileKindInLocal:
    """A single-file kind in local/ (e.g. a kommun's more detailed boundaries) replaces the raw file as a whole."""

    def test_local_boundaries_replace_the_raw_ones(self, tmp_path):
        data = make_raw(tmp_path)
        local = data / "local" / "geo"
        local.mkdir(parents=True)
        (local / "kommuner_detaljerade.geojson").write_text(polygon_fc([
            ({"kommun_kod": "2080", "kommun": "Falun"}, (14, 61)),
            ({"kommun_kod": "2081", "kommun": "Borlänge"}, (16, 60)),
            ({"kommun_kod": "1283", "kommun": "Helsingborg"}, (12, 56)),
        ]), encoding="utf-8")
        ds = processed.load(data)
        falun = ds.boundaries.set_index("kommun_kod").loc["2080"].geometry
        assert falun.bounds == (14.0, 61.0, 15.0, 62.0)
        names = [f["name"] for f in ds.files if "boundaries" in f["kinds"]]
        assert names == ["local/geo/kommuner_detaljerade.geojson"]
