"""Tests of lagesbild.sources.processed: build data/processed/ from data/raw/, rebuild only what changed.

Most tests build a tiny hand-made raw/ tree (three kommuner in two län) in tmp_path. One test
builds the real bundled data/raw from a copy in tmp_path; nothing is ever written to data/.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from lagesbild.core.errors import InputError
from lagesbild.sources import processed

KOMMUNER_CSV = """\
municipality_code,municipality_name,county_code,county_name
2080,Falun,20,Dalarnas län
2081,Borlänge,20,Dalarnas län
1283,Helsingborg,12,Skåne län
"""

CRIME_CSV = """\
region_code,region_name,year,indicator,unit,value
00,Hela landet,2023,Stöld,Antal,1000
20,Dalarnas län,2023,Stöld,Antal,300
2080,Falun,2023,Stöld,Antal,100
2080,Falun,2024,Stöld,Antal,110
2081,Borlänge,2024,Stöld,Antal per 100 000 inv,250.5
"""

POPULATION_CSV = """\
kommun_kod;kommun;year;population
2080;Falun;2023;59 000
2081;Borlänge;2023;52 000
1283;Helsingborg;2023;150 000
"""

EVENTS_CSV = """\
id;datetime;type;location_name;lat;lon;name;summary;url
1;2024-05-01T13:45:00+02:00;Stöld;falun;60,6;15,6;Stöld, Falun;Cykel;https://polisen.se/1
2;2024-05-02T10:00:00+02:00;Rån;DALARNAS LÄN;60,5;15,4;Rån, Dalarna;;https://polisen.se/2
"""

WW_DAILY_CSV = """\
"Year","Metabolite","Site ID","Country","City","Wednesday","Thursday","Friday","Saturday","Sunday","Monday","Tuesday","Weekday mean","Weekend mean","Daily mean"
2024,"MDMA","SE900","SE","Falun",1,2,3,4,5,6,7,3.33,4.5,4
2024,"cocaine","AT001","AT","Graz",10,10,10,10,10,10,10,10,10,10
"""
WW_SITES_CSV = """\
"SiteID","Country","City","Location","Latitude","Longitude","Population","Institution","Website"
"SE900","SE","Falun","Främby","60.6","15.6",40000,"RISE","N/A"
"AT001","AT","Graz","ARA Graz","47.07","15.44",425000,"Medical University Innsbruck","N/A"
"""
WW_EUROPE_CSV = """\
"metabolite","2023","2024"
"Benzoylecgonine",700.5,800.25
"""
WW_SWEDEN_CSV = "site_id;kommun_kod;kommun;note\nSE900;2080;Falun;test site\n"
WW_KINDS = ("ww_sites_sweden", "ww_sites", "ww_daily", "ww_summary", "ww_europe")

#: Event 2 again (updated later by the police) and a new event 3, as the API returns them.
EVENTS_JSON = [
    {"id": 2, "datetime": "2024-05-02 12:00:00 +02:00", "name": "Rån, Dalarna", "summary": "Uppdaterad.",
     "url": "/aktuellt/2", "type": "Rån", "location": {"name": "Dalarnas län", "gps": "60.5,15.4"}},
    {"id": 3, "datetime": "2024-06-01 09:00:00 +02:00", "name": "Brand, Helsingborg", "summary": "",
     "url": "/aktuellt/3", "type": "Brand", "location": {"name": "Helsingborg", "gps": "56.05,12.69"}},
]


def polygon_fc(features: list[tuple[dict, tuple[float, float]]]) -> str:
    """GeoJSON with one 1°×1° square per feature, its lower-left corner given."""
    def square(x, y):
        return [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": square(*corner)}}
        for props, corner in features]}, ensure_ascii=False)


def make_raw(root: Path) -> Path:
    """A complete tiny raw/ tree under ``root``; returns ``root``."""
    raw = root / "raw"
    files = {
        "geo/swedish_admin_areas.csv": KOMMUNER_CSV,
        "geo/kommuner_test.geojson": polygon_fc([
            ({"kommun_kod": "2080", "kommun": "Falun"}, (15, 60)),
            ({"kommun_kod": "2081", "kommun": "Borlänge"}, (16, 60)),
            ({"kommun_kod": "1283", "kommun": "Helsingborg"}, (12, 56)),
        ]),
        "geo/lan_test.geojson": polygon_fc([({"lan_kod": "20", "lan": "Dalarnas län"}, (15, 60)),
                                            ({"lan_kod": "12", "lan": "Skåne län"}, (12, 56))]),
        "crime/bra.csv": CRIME_CSV,
        "population/scb.csv": POPULATION_CSV,
        "police_events/a.csv": EVENTS_CSV,
        "police_events/b.json": json.dumps(EVENTS_JSON, ensure_ascii=False),
        "wastewater/ww-all-data.csv": WW_DAILY_CSV,
        "wastewater/ww-site-info.csv": WW_SITES_CSV,
        "wastewater/ww-aggregated-trends.csv": WW_EUROPE_CSV,
        "wastewater/euda_sites_sweden.csv": WW_SWEDEN_CSV,
    }
    for rel, text in files.items():
        p = raw / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def built(log: list[str]) -> list[str]:
    """Names of the parquet files the log lines say were built."""
    return [line.split()[1] for line in log]


@pytest.fixture
def data(tmp_path) -> Path:
    return make_raw(tmp_path / "data")


@pytest.fixture(scope="module")
def built_template(tmp_path_factory) -> Path:
    root = make_raw(tmp_path_factory.mktemp("template") / "data")
    processed.build(root)
    return root


@pytest.fixture
def built_data(built_template, tmp_path) -> Path:
    """A copy of the tiny tree, already built once (copying is faster than building per test)."""
    return shutil.copytree(built_template, tmp_path / "data")


class TestBuild:
    def test_builds_every_kind(self, data):
        log: list[str] = []
        manifest = processed.build(data, log=log.append)
        out = data / "processed"
        assert sorted(p.name for p in out.glob("*.parquet")) == sorted(
            f"{k}.parquet" for k in ("kommuner", "boundaries", "lan_boundaries", "crime", "population", "events", *WW_KINDS))
        assert built(log) == ["kommuner.parquet", "boundaries.parquet", "lan_boundaries.parquet",
                              "crime.parquet", "population.parquet", "events.parquet",
                              *(f"{k}.parquet" for k in WW_KINDS)]
        assert {k: v["rows"] for k, v in manifest["kinds"].items()} == {
            "kommuner": 3, "boundaries": 3, "lan_boundaries": 2, "crime": 5, "population": 3, "events": 3,
            "ww_sites_sweden": 1, "ww_sites": 2, "ww_daily": 14, "ww_summary": 2, "ww_europe": 2}
        assert json.loads((out / "manifest.json").read_text()) == manifest
        rec = manifest["kinds"]["population"]["files"]
        assert [(r["path"], r["bytes"]) for r in rec] == [("population/scb.csv", len(POPULATION_CSV.encode()))]
        assert rec[0]["sha256"] == hashlib.sha256(POPULATION_CSV.encode()).hexdigest()

    def test_parquet_contents(self, built_data):
        out = built_data / "processed"
        pop = pd.read_parquet(out / "population.parquet")
        assert pop["population"].tolist() == [59000, 52000, 150000]
        crime = pd.read_parquet(out / "crime.parquet")
        assert crime["region_code"].tolist() == ["00", "20", "2080", "2080", "2081"]
        ev = pd.read_parquet(out / "events.parquet").set_index("id")
        assert ev.index.tolist() == [1, 2, 3]
        assert ev.loc[2, "summary"] == "Uppdaterad."  # the later version of event 2 wins
        assert ev.loc[3, "url"] == "https://polisen.se/aktuellt/3"
        # Event 2 is placed in a län, not a kommun (missing reads back from Parquet as NaN).
        assert ev["kommun_kod"].fillna("-").tolist() == ["2080", "-", "1283"]
        assert ev["lan_kod"].tolist() == ["20", "20", "12"]

    def test_second_build_rebuilds_nothing(self, built_data):
        before = hashes(built_data / "processed")
        log: list[str] = []
        processed.build(built_data, log=log.append)
        assert log == []
        assert hashes(built_data / "processed") == before

    def test_changed_raw_file_rebuilds_only_its_kind(self, built_data):
        out = built_data / "processed"
        before = hashes(out)
        (built_data / "raw/population/scb.csv").write_text(POPULATION_CSV + "2080;Falun;2024;59 500\n", encoding="utf-8")
        log: list[str] = []
        manifest = processed.build(built_data, log=log.append)
        assert built(log) == ["population.parquet"]
        after = hashes(out)
        assert {k for k in before if before[k] != after[k]} == {"population.parquet", "manifest.json"}
        assert manifest["kinds"]["population"]["rows"] == 4

    def test_new_raw_file_rebuilds_its_kind(self, built_data):
        (built_data / "raw/crime/extra.csv").write_text(
            "region_code,region_name,year,indicator,unit,value\n1283,Helsingborg,2024,Rån,Antal,40\n", encoding="utf-8")
        log: list[str] = []
        manifest = processed.build(built_data, log=log.append)
        assert built(log) == ["crime.parquet"]
        assert manifest["kinds"]["crime"]["rows"] == 6
        assert [r["path"] for r in manifest["kinds"]["crime"]["files"]] == ["crime/bra.csv", "crime/extra.csv"]

    def test_new_builder_format_rebuilds_everything_once(self, built_data, monkeypatch):
        monkeypatch.setattr(processed, "FORMAT", processed.FORMAT + 1)
        log: list[str] = []
        processed.build(built_data, log=log.append)
        assert len(log) == len(processed.BUILD_ORDER) == 11
        log.clear()
        processed.build(built_data, log=log.append)
        assert log == []

    def test_force_rebuilds_everything(self, built_data):
        log: list[str] = []
        processed.build(built_data, force=True, log=log.append)
        assert len(log) == len(processed.BUILD_ORDER)

    def test_a_new_site_mapping_rebuilds_the_wastewater_tables_that_use_it(self, built_data):
        (built_data / "raw/wastewater/euda_sites_sweden.csv").write_text(
            "site_id;kommun_kod;kommun;note\nSE900;2081;Borlänge;moved\n", encoding="utf-8")
        log: list[str] = []
        processed.build(built_data, log=log.append)
        assert built(log) == ["ww_sites_sweden.parquet", "ww_daily.parquet", "ww_summary.parquet"]
        summary = pd.read_parquet(built_data / "processed/ww_summary.parquet").set_index("site_id")
        assert summary.loc["SE900", "kommun_kod"] == "2081"

    def test_deleted_parquet_is_rebuilt(self, built_data):
        (built_data / "processed/crime.parquet").unlink()
        log: list[str] = []
        processed.build(built_data, log=log.append)
        assert built(log) == ["crime.parquet"]

    def test_raw_files_are_never_modified(self, data):
        raw = data / "raw"
        before = hashes(raw)
        for p in raw.rglob("*"):
            if p.is_file():
                p.chmod(0o444)  # any attempt to write would fail loudly
        processed.build(data)
        processed.build(data, force=True)
        assert hashes(raw) == before
        assert not (raw / "processed").exists()

    def test_bad_raw_file_leaves_previous_build_untouched(self, built_data):
        out = built_data / "processed"
        before = hashes(out)
        bad = built_data / "raw/crime/bra.csv"
        bad.write_text(CRIME_CSV + "2081,Borlänge,2023,Stöld,Antal,fem\n", encoding="utf-8")
        with pytest.raises(InputError) as info:
            processed.build(built_data)
        e = info.value
        assert (e.file, e.row, e.column) == (str(bad), 7, "value")
        assert "Fix:" in str(e)
        assert hashes(out) == before  # same parquet and manifest bytes, no temp files left behind

    def test_after_fixing_the_bad_file_the_build_completes(self, built_data):
        bad = built_data / "raw/crime/bra.csv"
        bad.write_text(CRIME_CSV + "2081,Borlänge,2023,Stöld,Antal,fem\n", encoding="utf-8")
        with pytest.raises(InputError):
            processed.build(built_data)
        bad.write_text(CRIME_CSV + "2081,Borlänge,2023,Stöld,Antal,5\n", encoding="utf-8")
        log: list[str] = []
        manifest = processed.build(built_data, log=log.append)
        assert built(log) == ["crime.parquet"]
        assert manifest["kinds"]["crime"]["rows"] == 6

    def test_two_crime_files_disagreeing_name_both(self, data):
        (data / "raw/crime/nyare.csv").write_text(
            "region_code,region_name,year,indicator,unit,value\n2080,Falun,2024,Stöld,Antal,115\n", encoding="utf-8")
        with pytest.raises(InputError) as info:
            processed.build(data)
        e = info.value
        assert e.file == str((data / "raw/crime").resolve())
        assert "bra.csv" in e.problem and "nyare.csv" in e.problem
        assert "2080" in e.problem and "2024" in e.problem
        assert "Fix:" in str(e)

    def test_two_crime_files_overlapping_identically_are_stacked(self, data):
        (data / "raw/crime/kopia.csv").write_text(
            "region_code;region_name;year;indicator;unit;value\n2080;Falun;2024;Stöld;Antal;110\n"
            "2080;Falun;2025;Stöld;Antal;120\n", encoding="utf-8")
        manifest = processed.build(data)
        assert manifest["kinds"]["crime"]["rows"] == 6

    def test_two_population_files_disagreeing(self, data):
        (data / "raw/population/b.csv").write_text("kommun_kod,kommun,year,population\n2080,Falun,2023,58000\n")
        with pytest.raises(InputError) as info:
            processed.build(data)
        assert "scb.csv" in info.value.problem and "b.csv" in info.value.problem

    def test_two_files_for_a_single_kind(self, data):
        (data / "raw/geo/kommuner_andra.geojson").write_text(polygon_fc([({"kommun_kod": "2080"}, (15, 60))]))
        with pytest.raises(InputError) as info:
            processed.build(data)
        assert "kommuner_andra.geojson" in info.value.problem
        assert "exactly one" in info.value.fix

    def test_missing_kind(self, data):
        shutil.rmtree(data / "raw/population")
        with pytest.raises(InputError) as info:
            processed.build(data)
        assert "population" in info.value.problem
        assert "population/*.csv" in info.value.fix

    def test_changed_kommun_list_updates_event_regions(self, built_data):
        # A fourth kommun is added; the event placed in "Säter" should now get its code.
        (built_data / "raw/police_events/c.csv").write_text(
            "id;datetime;type;location_name;lat;lon;name;summary;url\n"
            "9;2024-07-01T12:00:00+02:00;Stöld;Säter;60,35;15,75;n;s;u\n", encoding="utf-8")
        processed.build(built_data)
        (built_data / "raw/geo/swedish_admin_areas.csv").write_text(KOMMUNER_CSV + "2082,Säter,20,Dalarnas län\n",
                                                                    encoding="utf-8")
        processed.build(built_data)
        ev = pd.read_parquet(built_data / "processed/events.parquet").set_index("id")
        assert ev.loc[9, "kommun_kod"] == "2082"


class TestLoad:
    def test_dataset_and_provenance(self, data):
        ds = processed.load(data)
        assert len(ds.kommuner) == 3 and len(ds.crime) == 5 and len(ds.events) == 3
        assert ds.boundaries.crs.to_epsg() == 4326
        assert [f["name"] for f in ds.files] == [
            "raw/geo/swedish_admin_areas.csv", "raw/geo/kommuner_test.geojson", "raw/geo/lan_test.geojson",
            "raw/crime/bra.csv", "raw/population/scb.csv", "raw/police_events/a.csv", "raw/police_events/b.json",
            "raw/wastewater/euda_sites_sweden.csv", "raw/wastewater/ww-site-info.csv", "raw/wastewater/ww-all-data.csv",
            "raw/wastewater/ww-aggregated-trends.csv"]
        # one raw file behind two kinds is listed once, under both
        assert [f["kinds"] for f in ds.files if f["name"].endswith("all-data.csv")] == [["ww_daily", "ww_summary"]]
        assert [f["name"] for f in ds.files_of("ww_summary")] == ["raw/wastewater/ww-all-data.csv"]
        assert len(ds.ww_daily) == 14 and ds.ww_summary.set_index("site_id").loc["SE900", "kommun_kod"] == "2080"
        vintage = {f["name"]: f["vintage"] for f in ds.files}
        assert vintage["raw/crime/bra.csv"] == "2023–2024, 4 regioner"
        assert vintage["raw/police_events/a.csv"] == "2024-05-01 – 2024-06-01"


class TestAttachEventRegions:
    KOMMUNER = pd.DataFrame({"kommun_kod": ["2080", "2081", "1283"], "kommun": ["Falun", "Borlänge", "Helsingborg"],
                             "lan_kod": ["20", "20", "12"], "lan": ["Dalarnas län", "Dalarnas län", "Skåne län"]})

    def test_case_insensitive_kommun_and_lan(self):
        ev = pd.DataFrame({"id": [1, 2, 3, 4, 5, 6],
                           "location_name": ["falun", "BORLÄNGE", " Helsingborg ", "dalarnas län", "Skåne län", "Oslo"]})
        out = processed.attach_event_regions(ev, self.KOMMUNER)
        assert out["kommun_kod"].tolist() == ["2080", "2081", "1283", None, None, None]
        assert out["lan_kod"].tolist() == ["20", "20", "12", "20", "12", None]
        assert out["id"].tolist() == [1, 2, 3, 4, 5, 6]
        assert "kommun_kod" not in ev.columns  # the input is not changed


class TestRealData:
    def test_bundled_raw_data_builds(self, bundled_data, tmp_path):
        manifest = bundled_data.manifest  # conftest built data/raw once for the run; this is what build returned
        # crime: Brå's SOL file has 290 kommuner × 11 years × 6 categories = 19 140 counts and
        # 290 × 11 = 3 190 rates Brå published (the total's; the derived ones are not read); the
        # kommunindikatorer 4 080 rows. They share the total's count and rate for 15 Dalarna kommuner ×
        # 8 years = 240 keys: 19 140 + 3 190 + 4 080 − 240 = 26 170.
        assert {k: v["rows"] for k, v in manifest["kinds"].items()} == {
            "kommuner": 290, "boundaries": 290, "lan_boundaries": 21, "crime": 26170, "population": 20300,
            "events": 85011, "ww_sites_sweden": 10, "ww_sites": 217, "ww_daily": 30632, "ww_summary": 4376,
            "ww_europe": 14, "ntu": 2992, "kommungrupper": 290, "utsatta_omraden": 65}
        shutil.copytree(bundled_data.root, tmp_path / "data")  # the shared folder is never changed
        log: list[str] = []
        processed.build(tmp_path / "data", log=log.append)
        assert log == []


# ============================================================================================
# The optional NTU kind
# ============================================================================================

NTU_CSV = """\
region_code,region_name,year,indicator,unit,value
2080,Falun,2024,Oro för att utsättas för misshandel,Andel (%) som oroar sig,5.0
2080,Falun,2024,Oro för att utsättas för misshandel,KI (95 %) undre gräns,3.0
2080,Falun,2024,Oro för att utsättas för misshandel,KI (95 %) övre gräns,7.0
20,Dalarnas län,2024,Oro för att utsättas för misshandel,Andel (%) som oroar sig,6.5
2080,Falun,2024,Antal svarande i NTU.,,427
"""


def add_ntu(root: Path, text: str = NTU_CSV, name: str = "bra_ntu.csv") -> Path:
    p = root / "raw" / "ntu" / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")
    return p


class TestNtuKind:
    def test_is_optional(self, built_data):
        assert processed.KINDS["ntu"].optional and "ntu" in processed.OPTIONAL and "ntu" not in processed.BUILD_ORDER
        manifest = json.loads((built_data / "processed" / "manifest.json").read_text())
        assert "ntu" not in manifest["kinds"] and not (built_data / "processed" / "ntu.parquet").exists()
        from lagesbild.sources.ntu import NTU_COLUMNS

        ds = processed.load(built_data)
        assert ds.ntu.empty and list(ds.ntu.columns) == list(NTU_COLUMNS)
        assert not [f for f in ds.files if "ntu" in f["kinds"]]

    def test_built_and_loaded_when_present(self, built_data):
        add_ntu(built_data)
        log: list[str] = []
        manifest = processed.build(built_data, log=log.append)
        assert built(log) == ["ntu.parquet"]  # nothing else is rebuilt
        assert manifest["kinds"]["ntu"]["rows"] == 2
        assert manifest["kinds"]["ntu"]["files"][0]["path"] == "ntu/bra_ntu.csv"
        ds = processed.load(built_data)
        falun = ds.ntu.set_index("region_code").loc["2080"]
        assert (falun["share"], falun["ci_low"], falun["ci_high"], falun["respondents"]) == (5.0, 3.0, 7.0, 427.0)
        assert falun["theme"] == "oro" and falun["label"] == "Oro för misshandel"
        entry = [f for f in ds.files if f["kinds"] == ["ntu"]]
        assert [f["name"] for f in entry] == ["raw/ntu/bra_ntu.csv"]
        assert entry[0]["vintage"] == "2024–2024, 2 regioner" and "Källa: Brå" in entry[0]["description"]
        log.clear()
        processed.build(built_data, log=log.append)
        assert log == []

    def test_removed_file_removes_the_table(self, built_data):
        p = add_ntu(built_data)
        processed.build(built_data)
        assert (built_data / "processed" / "ntu.parquet").exists()
        p.unlink()
        manifest = processed.build(built_data)
        assert "ntu" not in manifest["kinds"] and not (built_data / "processed" / "ntu.parquet").exists()
        assert processed.load(built_data).ntu.empty

    def test_a_new_kommun_list_rebuilds_it(self, built_data):
        add_ntu(built_data)
        processed.build(built_data)
        (built_data / "raw/geo/swedish_admin_areas.csv").write_text(KOMMUNER_CSV + "2082,Säter,20,Dalarnas län\n",
                                                                    encoding="utf-8")
        log: list[str] = []
        processed.build(built_data, log=log.append)
        assert "ntu.parquet" in built(log)

    def test_bad_file_names_row_and_column(self, built_data):
        bad = add_ntu(built_data, NTU_CSV + "2080,Falun,2024,Oro för att utsättas för misshandel,Medelvärde,3\n")
        with pytest.raises(InputError) as info:
            processed.build(built_data)
        assert (info.value.file, info.value.row, info.value.column) == (str(bad), 7, "unit")

    def test_unknown_region_is_refused_against_the_kommun_list(self, built_data):
        add_ntu(built_data, NTU_CSV.replace("2080,Falun", "2099,Nowhere"))
        with pytest.raises(InputError) as info:
            processed.build(built_data)
        assert info.value.column == "region_code" and "2099" in info.value.problem

    def test_two_files_disagreeing(self, built_data):
        add_ntu(built_data)
        add_ntu(built_data, NTU_CSV.replace(",5.0\n", ",5.5\n").replace(",7.0\n", ",7.5\n"), "andra.csv")
        with pytest.raises(InputError) as info:
            processed.build(built_data)
        assert "bra_ntu.csv" in info.value.problem and "andra.csv" in info.value.problem

    def test_bundled_ntu(self, bundled_data):
        ds = processed.load(bundled_data.root)
        assert len(ds.ntu) == 2992 and ds.ntu["region_code"].nunique() == 17
        entry = [f for f in ds.files if f["kinds"] == ["ntu"]][0]
        assert entry["name"] == "raw/ntu/bra_kommunindikatorer_dalarna_ntu.csv"
        assert entry["vintage"] == "2016–2025, 17 regioner"


class TestFetchedNtu:
    """A fetched NTU share (Kolada, no interval) never hides a bundled share that has Brå's interval."""

    RAW = ("region_code,region_name,year,indicator,unit,value\n"
           "2080,Falun,2024,Oro för att utsättas för misshandel,Andel (%) som oroar sig,5.0\n"
           "2080,Falun,2024,Oro för att utsättas för misshandel,KI (95 %) undre gräns,3.0\n"
           "2080,Falun,2024,Oro för att utsättas för misshandel,KI (95 %) övre gräns,7.0\n"
           "2080,Falun,2023,Oro för att utsättas för misshandel,Andel (%) som oroar sig,4.0\n")
    FETCHED = ("region_code,region_name,year,indicator,unit,value\n"
               "2080,Falun,2024,Oro för att utsättas för misshandel,Andel (%) enligt Kolada,6.0\n"
               "2080,Falun,2023,Oro för att utsättas för misshandel,Andel (%) enligt Kolada,4.5\n"
               "2080,Falun,2025,Oro för att utsättas för misshandel,Andel (%) enligt Kolada,5.5\n")

    def test_interval_wins_then_fetched_fills_and_replaces_shares_without_one(self, data):
        (data / "raw/ntu").mkdir(parents=True)
        (data / "raw/ntu/bra.csv").write_text(self.RAW, encoding="utf-8")
        f = data / "fetched/ntu/kolada_ntu.csv"
        f.parent.mkdir(parents=True)
        f.write_text(self.FETCHED, encoding="utf-8")
        f.with_name(f.name + processed.PROVENANCE_SUFFIX).write_text(json.dumps({"fetched_at": "2026-11-01T00:00:00+00:00"}))
        ntu = processed.load(data).ntu.set_index("year")[["share", "ci_low", "ci_high"]]
        assert ntu.loc[2024].tolist() == [5.0, 3.0, 7.0]  # Brå's share with its interval stays
        assert ntu.loc[2023, "share"] == 4.5 and pd.isna(ntu.loc[2023, "ci_low"])  # no interval: the later fetch wins
        assert ntu.loc[2025, "share"] == 5.5  # a year the bundled data lacks
