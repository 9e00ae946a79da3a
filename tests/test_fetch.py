"""Tests of lagesbild.sources.fetch: Kolada, SCB and polisen.se loaders, without any network.

Every answer is hand-made in the format its API is documented or seen to have (Kolada v3:
``values``/``count`` and the next page as ``next_page`` or ``next_url``, as public v3 clients read
it; SCB PxWebApi 2.0: JSON-stat 2.0 metadata and data, problem-JSON errors; polisen.se: a JSON list
of events) and served by a fake ``requests`` session. The data folder is the tiny hand-made tree of
test_processed in tmp_path; nothing is written to data/. The no-network tests talk to 127.0.0.1:9
(discard port, nothing listens), never to the Internet.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
import requests
from test_processed import hashes, make_raw

from lagesbild.core.paths import DataDir
from lagesbild.sources import fetch, processed
from lagesbild.sources import public as sources

KOLADA = "https://api.kolada.se/v3"
REPO = Path(__file__).resolve().parents[1]


def url(base: str, params: dict | None = None) -> str:
    return requests.Request("GET", base, params=params).prepare().url


class FakeResponse:
    def __init__(self, body, status: int = 200, headers: dict | None = None):
        self.body, self.status_code, self.headers = body, status, headers or {}

    def json(self):
        if isinstance(self.body, str):
            return json.loads(self.body)
        return json.loads(json.dumps(self.body))  # a fresh copy, as a real answer


class FakeSession:
    """Answers (method, url) from a table; a list answers one item per call (the last repeats)."""

    def __init__(self, routes: dict):
        self.routes, self.headers, self.calls = routes, {}, []

    def request(self, method, url, json=None, timeout=None):
        self.calls.append((method, url, json))
        answer = self.routes.get((method, url))
        if answer is None:
            raise AssertionError(f"unexpected request {method} {url}")
        if isinstance(answer, list):
            answer = answer.pop(0) if len(answer) > 1 else answer[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def http_with(routes: dict, tmp_path: Path | None = None, **kw) -> fetch.Http:
    sleeps: list[float] = []
    h = fetch.Http(cache_dir=tmp_path / "cache" if tmp_path else None, session=FakeSession(routes),
                   sleep=sleeps.append, **{"backoff": 0.5, "retries": 2, **kw})
    h.sleeps = sleeps
    return h


@pytest.fixture
def data(tmp_path) -> Path:
    root = make_raw(tmp_path / "data")
    # a bundled rate that the fetched Kolada row must replace
    (root / "raw/crime/total.csv").write_text(
        "region_code,region_name,year,indicator,unit,value\n"
        "2080,Falun,2023,Totalt antal anmälda brott,Antal per 100 000 inv,100\n"
        "2080,Falun,2023,Totalt antal anmälda brott,Antal,59\n", encoding="utf-8")
    return root


# ---------------------------------------------------------------------------------------------
# Kolada
# ---------------------------------------------------------------------------------------------

KPI_URL = url(f"{KOLADA}/kpi", {"title": "anmälda"})
KPI_URL_2 = KPI_URL + "&page=2&per_page=2"
KPI_PAGE_1 = {"values": [
    {"id": "N07403", "title": "Anmälda våldsbrott, antal/100 000 inv", "municipality_type": "K", "is_divided_by_gender": 0},
    {"id": "U07418", "title": "Anmälda våldsbrott (treårsmedelvärde), antal/1000 inv", "municipality_type": "K"},
], "count": 2, "next_page": KPI_URL_2}
KPI_PAGE_2 = {"values": [
    {"id": "N07540", "title": "Anmälda brott totalt, antal/100 000 inv", "municipality_type": "K", "is_divided_by_gender": 0},
    {"id": "N07544", "title": "Anmälda narkotikabrott, antal/100 000 inv", "municipality_type": "alla"},
    # a region-only KPI (its id is made up; only municipality_type L matters)
    {"id": "N07599", "title": "Anmälda brott, antal/100 000 inv", "municipality_type": "L"},
], "count": 3, "previous_page": KPI_URL}
GROUPS = {"values": [
    {"id": "G1", "title": "Större stad (SKR 2011)", "members": [{"id": "2080", "title": "Falun"}, {"id": "2081", "title": "Borlänge"}]},
    {"id": "G2", "title": "Större stad, SKR:s kommungruppsindelning 2017", "members": ["1283", "2080"]},
    {"id": "G3", "title": "Landsbygdskommun med besöksnäring 2017", "members": [{"id": "2081", "title": "Borlänge"}]},
    {"id": "G4", "title": "Kommuner i Dalarna", "members": ["2080", "2081"]},
], "count": 4}
KPIS = "N07540,N07403,N07544"  # total, violence, narcotics: the order of fetch.KOLADA_KPIS
DATA_URL = f"{KOLADA}/data/kpi/{KPIS}/municipality/0000,0012,0020,1283,2080/year/2023,2024"
DATA_URL_2 = DATA_URL + "?page=2"


def item(kpi, mid, year, value, female=None):
    values = [{"gender": "T", "value": value, "count": 1, "status": ""}]
    if female is not None:
        values.append({"gender": "K", "value": female, "count": 1, "status": ""})
    return {"kpi": kpi, "municipality": mid, "period": year, "values": values}


DATA_PAGE_1 = {"values": [item("N07540", "2080", 2023, 11210.4), item("N07540", "2080", 2024, 10987.0),
                          item("N07540", "0020", 2024, 9876.5), item("N07403", "2080", 2024, 812.3, female=500.0)],
               "count": 4, "next_url": DATA_URL_2}
DATA_PAGE_2 = {"values": [item("N07540", "0000", 2024, 12345.6), item("N07540", "1283", 2024, None),
                          item("N07540", "G2", 2024, 9000.0)], "count": 3, "next_url": None}


#: Every KPI (``/kpi``, read for the NTU candidates); here without any that mentions NTU.
KPI_ALL_URL = f"{KOLADA}/kpi"
KPI_ALL = {"values": KPI_PAGE_1["values"] + KPI_PAGE_2["values"], "count": 5}


def kolada_routes() -> dict:
    return {("GET", KPI_URL): FakeResponse(KPI_PAGE_1), ("GET", KPI_URL_2): FakeResponse(KPI_PAGE_2),
            ("GET", f"{KOLADA}/municipality_groups"): FakeResponse(GROUPS),
            ("GET", DATA_URL): FakeResponse(DATA_PAGE_1), ("GET", DATA_URL_2): FakeResponse(DATA_PAGE_2),
            ("GET", KPI_ALL_URL): FakeResponse(KPI_ALL)}


class TestKoladaParsers:
    def test_kpis_by_title_not_by_guessed_id(self):
        kpis = fetch.select_kolada_kpis(KPI_PAGE_1["values"] + KPI_PAGE_2["values"])
        # the three-year mean per 1 000 and the region-only KPI are not taken; "alla" is
        assert [(k["id"], k["indicator"]) for k in kpis] == [("N07540", "Totalt antal anmälda brott"),
                                                              ("N07403", "Våldsbrott"), ("N07544", "Narkotikabrott")]

    def test_region_codes(self):
        assert [fetch.kolada_region_code(i) for i in ["0000", "0012", "1283", "G2", "123"]] == ["00", "12", "1283", None, None]

    def test_groups_latest_indelning_and_longest_name(self, data):
        kommuner = sources.load_kommuner(data / "raw/geo/swedish_admin_areas.csv")
        groups, used = fetch.parse_kommungrupper(GROUPS["values"], kommuner)
        assert groups.to_dict("records") == [
            {"kommun_kod": "1283", "kommun": "Helsingborg", "kommungrupp": "Större stad"},
            {"kommun_kod": "2080", "kommun": "Falun", "kommungrupp": "Större stad"},
            {"kommun_kod": "2081", "kommun": "Borlänge", "kommungrupp": "Landsbygdskommun med besöksnäring"}]
        assert sorted(g["id"] for g in used) == ["G2", "G3"]

    @pytest.mark.parametrize("members", [["2080", " 2081 "], [{"id": "2080", "title": "Falun"}, {"id": "2081"}],
                                         ["2080", {"id": "2081", "title": "Borlänge"}]])
    def test_members_as_ids_or_objects(self, data, members):
        kommuner = sources.load_kommuner(data / "raw/geo/swedish_admin_areas.csv")
        groups, _ = fetch.parse_kommungrupper([{"id": "G9", "title": "Mindre stad/tätort", "members": members}], kommuner)
        assert groups.values.tolist() == [["2080", "Falun", "Mindre stad/tätort"], ["2081", "Borlänge", "Mindre stad/tätort"]]

    def test_kommun_in_two_groups_is_an_error(self, data):
        kommuner = sources.load_kommuner(data / "raw/geo/swedish_admin_areas.csv")
        bad = [{"id": "A", "title": "Storstäder", "members": ["2080"]},
               {"id": "B", "title": "Mindre stad/tätort", "members": [{"id": "2080"}]}]
        with pytest.raises(fetch.FetchError, match="2080 is in both"):
            fetch.parse_kommungrupper(bad, kommuner)


class TestKoladaPaging:
    U1 = f"{KOLADA}/kpi?title=a"
    U2 = f"{KOLADA}/kpi?title=a&page=2"
    U3 = f"{KOLADA}/kpi?title=a&page=3"

    @pytest.mark.parametrize("key", ["next_url", "next_page"])
    def test_follows_either_key(self, key):
        h = http_with({("GET", self.U1): FakeResponse({"values": [1, 2], "count": 5, key: self.U2}),
                       ("GET", self.U2): FakeResponse({"values": [3, 4], "count": 5, key: self.U3}),
                       ("GET", self.U3): FakeResponse({"values": [5], "count": 5, key: None})})
        assert fetch.kolada_pages(h, self.U1) == [1, 2, 3, 4, 5]
        assert [c[1] for c in h.session.calls] == [self.U1, self.U2, self.U3]

    def test_both_keys_that_agree_are_one_next_page(self):
        h = http_with({("GET", self.U1): FakeResponse({"values": [1], "next_page": self.U2, "next_url": self.U2}),
                       ("GET", self.U2): FakeResponse({"values": [2], "next_page": "", "next_url": None})})
        assert fetch.kolada_pages(h, self.U1) == [1, 2]
        assert [c[1] for c in h.session.calls] == [self.U1, self.U2]

    def test_both_keys_that_disagree_are_an_error(self):
        h = http_with({("GET", self.U1): FakeResponse({"values": [1], "next_page": self.U2, "next_url": self.U3})})
        with pytest.raises(fetch.FetchError) as info:
            fetch.kolada_pages(h, self.U1)
        assert info.value.reached and info.value.reason == (
            f"the answer to {self.U1} names two next pages: next_page {self.U2}, next_url {self.U3}")

    def test_a_page_pointing_back_stops_the_loop(self):
        pages = {self.U1: {"values": [1], "next_url": self.U2}, self.U2: {"values": [2], "next_url": self.U1}}
        asked = []

        class Fake:  # gives up after a few pages, so that a missing guard fails instead of hanging
            def get_json(self, u):
                asked.append(u)
                assert len(asked) < 5, "kolada_pages went round in a loop"
                return pages[u]

        with pytest.raises(fetch.FetchError) as info:
            fetch.kolada_pages(Fake(), self.U1)
        assert asked == [self.U1, self.U2] and info.value.reason == f"the next page points back to {self.U1}"

    def test_answer_without_values_is_an_error(self):
        h = http_with({("GET", self.U1): FakeResponse({"data": []})})
        with pytest.raises(fetch.FetchError, match="has no 'values' list"):
            fetch.kolada_pages(h, self.U1)


#: 30 kommuner of three län in one group (Värmland 17, Dalarna 20, Gävleborg 21): with riket and the
#: three län, 34 region ids, so two pieces (25 + 9) of at most 25 ids.
BIG_GROUP = ["1715", "1730", "1737", "1760", "1761",
             "2021", "2023", "2026", "2029", "2031", "2034", "2039", "2061", "2062", "2080", "2081", "2082", "2083",
             "2084", "2085",
             "2101", "2104", "2121", "2132", "2161", "2180", "2181", "2182", "2183", "2184"]
IDS_A = ("0000,0017,0020,0021,1715,1730,1737,1760,1761,2021,2023,2026,2029,2031,2034,2039,2061,2062,2080,2081,"
         "2082,2083,2084,2085,2101")
IDS_B = "2104,2121,2132,2161,2180,2181,2182,2183,2184"
YEARS_A = ",".join(str(y) for y in range(1995, 2020))  # 25 years
YEARS_B = "2020,2021,2022,2023,2024"


class TestKoladaChunking:
    @pytest.fixture
    def sweden(self, data):
        """The data folder with the bundled list of all 290 kommuner."""
        shutil.copy(REPO / "data/raw/geo/swedish_admin_areas.csv", data / "raw/geo/swedish_admin_areas.csv")
        return data

    def test_ids_and_years_cut_by_25(self, sweden):
        groups = {"values": [{"id": "G7", "title": "Större stad 2017", "members": BIG_GROUP}], "count": 1}
        pieces = [f"{KOLADA}/data/kpi/{KPIS}/municipality/{ids}/year/{years}"
                  for ids in (IDS_A, IDS_B) for years in (YEARS_A, YEARS_B)]
        routes = kolada_routes() | {("GET", f"{KOLADA}/municipality_groups"): FakeResponse(groups)}
        routes |= {("GET", u): FakeResponse({"values": [], "count": 0}) for u in pieces}
        routes[("GET", pieces[3])] = FakeResponse({"values": [item("N07540", "2184", 2024, 7000.0)], "count": 1})
        http = http_with(routes)
        staged = fetch.fetch_kolada(DataDir(sweden), http, ["2080"], (1995, 2024))
        asked = [u for _, u, _ in http.session.calls if "/data/" in u]
        assert asked == pieces
        assert len(IDS_A.split(",")) == 25 and len(YEARS_A.split(",")) == 25
        crime = staged.files["crime/kolada_2080_1995-2024.csv"].decode()
        assert crime.splitlines()[1:] == ["2184,Hudiksvall,2024,Totalt antal anmälda brott,Antal per 100 000 inv,7000.0"]

    def test_every_kommun_cuts_years_only(self, data):
        pieces = [f"{KOLADA}/data/kpi/{KPIS}/year/{years}" for years in (YEARS_A, YEARS_B)]
        routes = kolada_routes() | {("GET", u): FakeResponse({"values": [], "count": 0}) for u in pieces}
        http = http_with(routes)
        fetch.fetch_kolada(DataDir(data), http, None, (1995, 2024))
        assert [u for _, u, _ in http.session.calls if "/data/" in u] == pieces

    def test_more_than_25_kpis_are_cut_too(self):
        kpis = [f"N{i:05d}" for i in range(27)]
        assert fetch.kolada_data_urls(KOLADA, kpis, ["2080"], [2024]) == [
            f"{KOLADA}/data/kpi/{','.join(kpis[:25])}/municipality/2080/year/2024",
            f"{KOLADA}/data/kpi/N00025,N00026/municipality/2080/year/2024"]


class TestKoladaFetch:
    def test_parsed_into_the_crime_schema_with_paging(self, data, tmp_path):
        http = http_with(kolada_routes(), tmp_path)
        staged = fetch.fetch_kolada(DataDir(data), http, ["2080"], (2023, 2024))
        written = fetch.commit(staged, DataDir(data))
        crime_file = data / "fetched/crime/kolada_2080_2023-2024.csv"
        assert crime_file in written
        kommuner = sources.load_kommuner(data / "raw/geo/swedish_admin_areas.csv")
        crime = sources.load_crime(crime_file, kommuner)  # the same loader and schema as raw/
        got = {(r.region_code, r.year, r.indicator): r.value for r in crime.itertuples()}
        assert {k: v for k, v in got.items() if pd.notna(v)} == {
            ("2080", 2023, "Totalt antal anmälda brott"): 11210.4, ("2080", 2024, "Totalt antal anmälda brott"): 10987.0,
            ("20", 2024, "Totalt antal anmälda brott"): 9876.5, ("00", 2024, "Totalt antal anmälda brott"): 12345.6,
            ("2080", 2024, "Våldsbrott"): 812.3}  # the women-only value and the group's average are not rows
        assert pd.isna(got[("1283", 2024, "Totalt antal anmälda brott")])
        assert set(crime["unit"]) == {"Antal per 100 000 inv"} and len(crime) == 6
        assert set(crime.loc[crime["region_code"] == "00", "region_name"]) == {"Hela landet"}
        # every page was asked for exactly once, in order (KPIs paged by next_page, data by next_url)
        assert [u for _, u, _ in http.session.calls] == [KPI_URL, KPI_URL_2, f"{KOLADA}/municipality_groups",
                                                          DATA_URL, DATA_URL_2, KPI_ALL_URL]
        # no KPI mentions NTU: no NTU data asked for, no NTU file, and the summary says so
        assert staged.summary[-1] == "ntu: no Kolada KPI mentions NTU in its title or description; no NTU file written"
        assert not (data / "fetched/ntu").exists()

    def test_provenance_record(self, data, tmp_path):
        staged = fetch.fetch_kolada(DataDir(data), http_with(kolada_routes(), tmp_path), ["2080"], (2023, 2024))
        # Skåne (0012) was asked for (Helsingborg is in Falun's group) but has no values: said, not silently dropped
        assert "note: no values for the region ids 0012 (riket 0000, län 00LL); comparisons with them will be missing" \
            in staged.summary
        fetch.commit(staged, DataDir(data))
        prov = json.loads((data / "fetched/crime/kolada_2080_2023-2024.csv.provenance.json").read_text())
        assert prov["source"] == "kolada" and prov["rows"] == 6 and prov["years"] == [2023, 2024]
        assert [k["id"] for k in prov["kpis"]] == ["N07540", "N07403", "N07544"]
        assert prov["kpis"][1]["title"] == "Anmälda våldsbrott, antal/100 000 inv"
        assert prov["urls"] == [KPI_URL, KPI_URL_2, f"{KOLADA}/municipality_groups", DATA_URL, DATA_URL_2]
        assert datetime.fromisoformat(prov["fetched_at"]).tzinfo is not None
        assert prov["regions_without_values"] == ["0012"]
        gprov = json.loads((data / "fetched/kommungrupper/kolada_kommungrupper.csv.provenance.json").read_text())
        assert gprov["rows"] == 3 and gprov["urls"] == [KPI_URL, KPI_URL_2, f"{KOLADA}/municipality_groups"]

    def test_build_prefers_fetched_rows_and_lists_the_file(self, data, tmp_path):
        fetch.commit(fetch.fetch_kolada(DataDir(data), http_with(kolada_routes(), tmp_path), ["2080"], (2023, 2024)),
                     DataDir(data))
        ds = processed.load(data)
        falun = ds.crime[(ds.crime["region_code"] == "2080") & (ds.crime["indicator"] == "Totalt antal anmälda brott")]
        rates = falun[falun["unit"] == "Antal per 100 000 inv"].set_index("year")["value"]
        assert rates.to_dict() == {2023: 11210.4, 2024: 10987.0}  # 100 (bundled) replaced by 11210.4 (fetched)
        assert falun[falun["unit"] == "Antal"]["value"].tolist() == [59.0]  # the bundled count stays
        assert len(ds.crime) == 5 + 2 + 6 - 1  # bundled 7 rows, fetched 6, one replaced
        entry = [f for f in ds.files if f["name"] == "fetched/crime/kolada_2080_2023-2024.csv"]
        assert entry and entry[0]["kinds"] == ["crime"]
        assert f"hämtad {datetime.now().date().isoformat()[:4]}" in entry[0]["description"]
        assert "Kolada" in entry[0]["description"] and KPI_URL in entry[0]["description"]
        assert ds.kommungrupper.set_index("kommun_kod").loc["1283", "kommungrupp"] == "Större stad"
        manifest = json.loads((data / "processed/manifest.json").read_text())
        assert [r.get("dir") for r in manifest["kinds"]["crime"]["files"]] == [None, None, "fetched"]
        assert manifest["kinds"]["crime"]["files"][2]["fetched_at"] is not None

    def test_later_fetch_wins(self, data, tmp_path):
        d = DataDir(data)
        fetch.commit(fetch.fetch_kolada(d, http_with(kolada_routes(), tmp_path), ["2080"], (2023, 2024)), d)
        newer = {"values": [item("N07540", "2080", 2024, 1.0)], "count": 1}
        routes = kolada_routes() | {("GET", f"{KOLADA}/data/kpi/{KPIS}/year/2024"): FakeResponse(newer)}
        staged = fetch.fetch_kolada(d, http_with(routes), None, (2024, 2024))
        for rel in list(staged.files):  # make the second fetch certainly later
            if rel.endswith(processed.PROVENANCE_SUFFIX) and rel.startswith("crime/"):
                prov = json.loads(staged.files[rel])
                prov["fetched_at"] = "2999-01-01T00:00:00+00:00"
                staged.files[rel] = json.dumps(prov).encode()
        fetch.commit(staged, d)
        crime = processed.load(data).crime
        row = crime[(crime["region_code"] == "2080") & (crime["year"] == 2024) & (crime["unit"] == "Antal per 100 000 inv")
                    & (crime["indicator"] == "Totalt antal anmälda brott")]
        assert row["value"].tolist() == [1.0]

    def test_cache_avoids_a_second_download(self, data, tmp_path):
        routes = kolada_routes()
        first = http_with(routes, tmp_path)
        fetch.fetch_kolada(DataDir(data), first, ["2080"], (2023, 2024))
        second = http_with(routes, tmp_path)
        fetch.fetch_kolada(DataDir(data), second, ["2080"], (2023, 2024))
        assert len(first.session.calls) == 6 and second.session.calls == []
        refresh = http_with(routes, tmp_path, max_age=0)
        fetch.fetch_kolada(DataDir(data), refresh, ["2080"], (2023, 2024))
        assert len(refresh.session.calls) == 6


# ---------------------------------------------------------------------------------------------
# Kolada: NTU KPIs, found by metadata, mapped by keyword rules, checked against the bundled shares
# ---------------------------------------------------------------------------------------------

OM = "Oro för att utsättas för misshandel"
UM = "Självrapporterad utsatthet för misshandel"
OT = "Otrygghet vid utevistelse sent på kvällen i det egna bostadsområdet"
UNIT_OM = "Andel (%) i befolkningen (16–84 år) som oroar sig ganska/mycket ofta."
UNIT_UM = "Andel (%) utsatta i befolkningen (16-84 år)."
UNIT_OT = "Andel (%) i befolkningen (16–84 år) som känner sig ganska/mycket otrygga."
REGIONS = {"00": "Hela landet", "20": "Dalarnas län", "2080": "Falun"}
#: The bundled shares, 2022–2024 (year as in Brå's file: the year the figure is about).
BUNDLED = {
    (OM, UNIT_OM): {"00": [10.2, 11.6, 9.4], "20": [8.3, 9.9, 7.2], "2080": [7.0, 9.0, 5.0]},
    (UM, UNIT_UM): {"00": [2.1, 3.4, 1.2], "20": [1.2, 2.6, 0.3], "2080": [1.5, 2.9, 0.5]},
    (OT, UNIT_OT): {"00": [27.5, 24.9, 26.0], "20": [20.3, 22.8, 19.1], "2080": [20.0, 21.0, 19.0]},
}


def bundled_ntu_csv() -> str:
    lines = ["region_code,region_name,year,indicator,unit,value"]
    for (indicator, unit), regions in BUNDLED.items():
        for code, shares in regions.items():
            for year, share in zip((2022, 2023, 2024), shares, strict=True):
                lines.append(f"{code},{REGIONS[code]},{year},{indicator},{unit},{share}")
                if code == "2080":  # Falun's shares have their interval, as Brå's do
                    lines.append(f"{code},{REGIONS[code]},{year},{indicator},KI (95 %) undre gräns,{max(share - 2, 0):g}")
                    lines.append(f"{code},{REGIONS[code]},{year},{indicator},KI (95 %) övre gräns,{share + 2:g}")
    lines.append("2080,Falun,2024,Antal svarande i NTU.,,427")
    return "\n".join(lines) + "\n"


NTU_KPI_URL_2 = f"{KOLADA}/kpi?page=2"
NTU_META_1 = {"values": [
    # found by its description only (the title does not say NTU); mapped by its title
    {"id": "N90001", "title": "Oro för att utsättas för misshandel, andel (%)", "municipality_type": "K",
     "description": "Andel invånare 16–84 år som ganska eller mycket ofta oroar sig för att utsättas för misshandel. "
                    "Källa: Brå, Nationella trygghetsundersökningen."},
    {"id": "N90002", "title": "Utsatta för misshandel (NTU), andel (%)", "municipality_type": "alla"},
    KPI_PAGE_1["values"][0],  # a crime KPI: not NTU
], "count": 3, "next_page": NTU_KPI_URL_2}
NTU_META_2 = {"values": [
    {"id": "N90003", "title": "Otrygga vid utevistelse sent på kvällen (NTU), andel (%)", "municipality_type": "K"},
    {"id": "N90004", "title": "Förtroende för rättsväsendet (NTU), andel (%)", "municipality_type": "K"},
    {"id": "N90005", "title": "Oro för brott och utsatt för misshandel (NTU), andel (%)", "municipality_type": "K"},
    {"id": "N90006", "title": "Otrygghet (NTU), andel (%)", "municipality_type": "L"},
], "count": 4, "next_page": None}
NTU_IDS = "N90001,N90002,N90003"


def ntu_data_url(regions: str = "0000,0012,0020,1283,2080") -> str:
    return f"{KOLADA}/data/kpi/{NTU_IDS}/municipality/{regions}/year/2022,2023,2024,2025"


def ntu_values(om_1283_2024: float = 11.0) -> list[dict]:
    """Kolada's answer: N90001 agrees with the bundled shares as it is, N90002 with its period one year
    later (the survey year), N90003 is 3 points off everywhere."""
    def series(kpi, code, start, values):
        return [item(kpi, code, start + i, v) for i, v in enumerate(values) if v is not None]

    return [
        *series("N90001", "0000", 2022, [10.0, 12.0, 9.0, 9.5]), *series("N90001", "0020", 2022, [8.0, 10.0, 7.0]),
        *series("N90001", "2080", 2022, [7.0, 9.0, 5.4]),  # 5.4 against Brå's 5.0: agrees, but is not written
        *series("N90001", "1283", 2022, [13.0, 12.0]), item("N90001", "1283", 2024, om_1283_2024, female=14.0),
        item("N90001", "0012", 2024, 10.5), item("N90001", "G2", 2024, 50.0),
        *series("N90002", "0000", 2023, [2.0, 3.0, 1.0]), *series("N90002", "0020", 2023, [1.0, 3.0, 0.5]),
        *series("N90002", "2080", 2023, [1.5, 2.9, 0.5]), *series("N90002", "1283", 2023, [4.0, 2.5, 3.5]),
        *series("N90003", "0000", 2022, [30.5, 27.9, 29.0]), *series("N90003", "0020", 2022, [23.3, 25.8, 22.1]),
        *series("N90003", "2080", 2022, [23.0, 24.0, 22.0]), item("N90003", "1283", 2024, 30.0),
    ]


def ntu_routes(values: list[dict] | None = None, regions: str = "0000,0012,0020,1283,2080") -> dict:
    return kolada_routes() | {
        ("GET", KPI_ALL_URL): FakeResponse(NTU_META_1), ("GET", NTU_KPI_URL_2): FakeResponse(NTU_META_2),
        ("GET", ntu_data_url(regions)): FakeResponse({"values": ntu_values() if values is None else values,
                                                      "count": 1})}


@pytest.fixture
def ntu_data(data) -> Path:
    """The test data folder with a bundled NTU file (riket, Dalarnas län, Falun; 2022–2024)."""
    (data / "raw/ntu").mkdir(parents=True)
    (data / "raw/ntu/bra_ntu.csv").write_text(bundled_ntu_csv(), encoding="utf-8")
    return data


NTU_FILE = "ntu/kolada_ntu_2080_2023-2024.csv"
NTU_NOT_AGREEING = ("its values do not agree with the bundled NTU shares (at least 3 points, 80% within 0.6 "
                    "percentage points) with any year shift; closest: 1 of 6 points")


class TestNtuSelection:
    def test_candidates_by_title_or_description_and_mapped_by_rules(self):
        mapped, not_used = fetch.select_ntu_kpis(NTU_META_1["values"] + NTU_META_2["values"])
        assert [(k["id"], k["indicator"], k["matched_on"]) for k in mapped] == [
            ("N90001", OM, "title"), ("N90002", UM, "title"), ("N90003", OT, "title")]
        assert not_used == [
            {"id": "N90004", "title": "Förtroende för rättsväsendet (NTU), andel (%)",
             "reason": "no rule of NTU_RULES matches its title or description"},
            {"id": "N90005", "title": "Oro för brott och utsatt för misshandel (NTU), andel (%)",
             "reason": f"its title matches 2 rules: {UM}; {OM}"},
            {"id": "N90006", "title": "Otrygghet (NTU), andel (%)", "reason": "for regions only (municipality_type L)"}]

    def test_mapped_by_the_description_when_the_title_matches_no_rule(self):
        meta = [{"id": "X1", "title": "Trygghet i bostadsområdet, andel (%)",
                 "description": "Andel som känner sig otrygga vid utevistelse sent på kvällen (NTU)."},
                {"id": "X2", "title": "Nöjdhet med kommunen", "description": "Nationella Trygghetsundersökningen"},
                {"id": "X3", "title": "Otrygga vid utevistelse sent på kvällen, andel (%)", "description": ""}]
        mapped, not_used = fetch.select_ntu_kpis(meta)
        assert [(k["id"], k["indicator"], k["matched_on"]) for k in mapped] == [("X1", OT, "description")]
        assert [k["id"] for k in not_used] == ["X2"]  # X3 never mentions NTU: not a candidate at all

    @pytest.mark.parametrize("title, indicator", [
        ("Utsatta för cykelstöld bland cykelägare (NTU), andel (%)", "Självrapporterad utsatthet för cykelstöld bland cykelägare"),
        ("Oro för cykelstöld (NTU), andel (%)", None),  # worry is not victimisation
        ("Problem med gäng i bostadsområdet (NTU), andel (%)", "Problem med gäng som uppehåller sig i det egna bostadsområdet"),
        ("Oro för inbrott i bostaden (NTU), andel (%)", next(k for k in fetch.NTU_RULES if "bostadsinbrott" in k[0])[0]),
        ("Problem med skadegörelse och klotter (NTU), andel (%)", None),  # two rules
    ])
    def test_rules(self, title, indicator):
        found = fetch.ntu_rules_matched(title)
        assert (found[0] if len(found) == 1 else None) == indicator

    def test_every_rule_names_an_indicator_of_the_report(self):
        from lagesbild.sources.ntu import INDICATORS

        names = [r[0] for r in fetch.NTU_RULES]
        assert set(names) <= set(INDICATORS) and len(set(names)) == len(names) == 20


class TestNtuCheck:
    @staticmethod
    def frames(kolada: list[float], bundled: list[float], years=(2021, 2022, 2023, 2024, 2025)):
        k = pd.DataFrame({"region_code": "00", "year": list(years[:len(kolada)]), "value": kolada})
        b = pd.DataFrame({"region_code": "00", "year": list(years[:len(bundled)]), "share": bundled})
        return k, b

    def test_tolerance_is_inclusive_at_six_tenths(self):
        k, b = self.frames([10.6, 20.0, 30.0, 40.0, 50.0], [10.0, 20.6, 29.4, 40.0, 50.0])
        assert fetch.ntu_agreement(k, b, 0) == (5, 5)
        k, b = self.frames([10.61, 20.0, 30.0, 40.0, 50.0], [10.0, 20.0, 30.0, 40.0, 50.0])
        assert fetch.ntu_agreement(k, b, 0) == (5, 4)

    def test_eighty_percent_of_the_points(self):
        k, b = self.frames([1.0, 5.0, 9.0, 13.0, 17.0], [1.0, 5.0, 9.0, 13.0, 20.0])  # 4 of 5
        assert fetch.check_ntu_kpi(k, b) == (0, 5, 4)
        k, b = self.frames([1.0, 5.0, 9.0, 13.0], [1.0, 5.0, 9.0, 20.0])  # 3 of 4
        assert fetch.check_ntu_kpi(k, b) == (None, 4, 3)

    def test_shift_zero_preferred_when_several_agree(self):
        k, b = self.frames([5.0] * 5, [5.0] * 5)  # a flat series agrees at every shift
        assert fetch.check_ntu_kpi(k, b) == (0, 5, 5)

    def test_best_agreeing_shift_wins_over_zero(self):
        # a share that barely moves (rån, ~1 %) also agrees one year off: 0 agrees at 4 of 5, -1 at 5 of 5
        b = pd.DataFrame({"region_code": "00", "year": range(2019, 2025), "share": [1.0, 1.3, 1.6, 1.9, 1.1, 1.4]})
        k = pd.DataFrame({"region_code": "00", "year": range(2020, 2026), "value": [1.0, 1.3, 1.6, 1.9, 1.1, 1.4]})
        assert fetch.ntu_agreement(k, b, 0) == (5, 4) and fetch.ntu_agreement(k, b, -1) == (6, 6)
        assert fetch.check_ntu_kpi(k, b) == (-1, 6, 6)

    def test_later_period_gives_minus_one_and_earlier_plus_one(self):
        b = pd.DataFrame({"region_code": "00", "year": [2021, 2022, 2023, 2024], "share": [1.0, 5.0, 9.0, 13.0]})
        k = b.rename(columns={"share": "value"})
        assert fetch.check_ntu_kpi(k.assign(year=k["year"] + 1), b) == (-1, 4, 4)
        assert fetch.check_ntu_kpi(k.assign(year=k["year"] - 1), b) == (1, 4, 4)


class TestKoladaNtu:
    def test_accepted_checked_and_written_only_where_the_bundled_data_has_nothing(self, ntu_data, tmp_path):
        http = http_with(ntu_routes(), tmp_path)
        staged = fetch.fetch_kolada(DataDir(ntu_data), http, ["2080"], (2023, 2024))
        assert [u for _, u, _ in http.session.calls][-3:] == [KPI_ALL_URL, NTU_KPI_URL_2, ntu_data_url()]
        assert staged.files[NTU_FILE].decode().splitlines() == [
            "region_code,region_name,year,indicator,unit,value",
            f"12,Skåne län,2024,{OM},{fetch.NTU_UNIT},10.5",
            f"1283,Helsingborg,2023,{OM},{fetch.NTU_UNIT},12.0",
            f"1283,Helsingborg,2024,{OM},{fetch.NTU_UNIT},11.0",  # T, not the women's 14.0
            # N90002's periods 2024 and 2025 are the years 2023 and 2024 (shift −1); its period 2023 (2022) is
            # outside the years asked for
            f"1283,Helsingborg,2023,{UM},{fetch.NTU_UNIT},2.5",
            f"1283,Helsingborg,2024,{UM},{fetch.NTU_UNIT},3.5"]
        assert staged.summary[3:] == [f"{NTU_FILE}: 5 rows, KPIs N90001, N90002 (4 NTU KPI(s) not used, see the provenance)"]

    def test_provenance_kpis_shift_numbers_and_not_used(self, ntu_data, tmp_path):
        http = http_with(ntu_routes(), tmp_path)
        staged = fetch.fetch_kolada(DataDir(ntu_data), http, ["2080"], (2023, 2024))
        prov = json.loads(staged.files[NTU_FILE + processed.PROVENANCE_SUFFIX])
        assert prov["source"] == "kolada" and prov["rows"] == 5 and prov["urls"] == [KPI_ALL_URL, NTU_KPI_URL_2,
                                                                                      ntu_data_url()]
        assert prov["source_text"] == "Brå, Nationella trygghetsundersökningen (NTU), via Kolada (RKA)"
        assert [(k["id"], k["indicator"], k["year_shift"], k["compared"], k["agreeing"], k["rows"])
                for k in prov["kpis"]] == [("N90001", OM, 0, 9, 9, 3), ("N90002", UM, -1, 9, 9, 2)]
        assert prov["kpis"][0]["title"] == "Oro för att utsättas för misshandel, andel (%)"
        assert prov["kpis"][0]["tried"] == {"0": [9, 9], "-1": [7, 1], "+1": [6, 0]}
        assert prov["kpis"][1]["tried"] == {"0": [6, 0], "-1": [9, 9], "+1": [3, 0]}
        assert [(k["id"], k["reason"]) for k in prov["not_used"]] == [
            ("N90004", "no rule of NTU_RULES matches its title or description"),
            ("N90005", f"its title matches 2 rules: {UM}; {OM}"),
            ("N90006", "for regions only (municipality_type L)"),
            ("N90003", NTU_NOT_AGREEING)]
        disagreeing = prov["not_used"][3]
        assert (disagreeing["indicator"], disagreeing["year_shift"], disagreeing["compared"],
                disagreeing["agreeing"]) == (OT, None, 6, 1)
        assert disagreeing["tried"] == {"0": [9, 0], "-1": [6, 1], "+1": [6, 1]}
        assert prov["skipped_bundled"] == 12 and prov["check"]["against"] == ["ntu/bra_ntu.csv"]
        assert prov["check"]["tolerance_percentage_points"] == 0.6 and prov["check"]["min_points"] == 3

    def test_loads_and_keeps_the_bundled_share_with_its_interval(self, ntu_data, tmp_path):
        d = DataDir(ntu_data)
        fetch.commit(fetch.fetch_kolada(d, http_with(ntu_routes(), tmp_path), ["2080"], (2023, 2024)), d)
        f = ntu_data / "fetched" / NTU_FILE
        kommuner = sources.load_kommuner(ntu_data / "raw/geo/swedish_admin_areas.csv")
        from lagesbild.sources.ntu import load_ntu

        own = load_ntu(f, kommuner)  # share rows without interval rows load
        assert len(own) == 5 and own["ci_low"].isna().all() and own["ci_high"].isna().all()
        assert own["respondents"].isna().all() and set(own["unit"]) == {fetch.NTU_UNIT}
        ds = processed.load(ntu_data)
        ntu = ds.ntu.set_index(["region_code", "year", "indicator"])
        assert len(ntu) == 27 + 5 and ntu.index.is_unique
        falun = ntu.loc[("2080", 2024, OM)]  # Kolada's 5.4 was not written: Brå's 5.0 and its interval stay
        assert (falun["share"], falun["ci_low"], falun["ci_high"], falun["respondents"]) == (5.0, 3.0, 7.0, 427.0)
        hbg = ntu.loc[("1283", 2024, OM)]
        assert hbg["share"] == 11.0 and pd.isna(hbg["ci_low"]) and hbg["unit"] == fetch.NTU_UNIT
        assert (hbg["theme"], hbg["survey_year"]) == ("oro", 2024)
        victim = ntu.loc[("1283", 2024, UM)]
        assert (victim["share"], victim["survey_year"]) == (3.5, 2025)  # the year asked about, as Brå's file
        assert ntu.loc[("12", 2024, OM), "region_name"] == "Skåne län"
        assert [f["name"] for f in ds.files if "ntu" in f["kinds"]] == ["raw/ntu/bra_ntu.csv", f"fetched/{NTU_FILE}"]

    def test_bundled_regions_are_asked_for_the_check_but_only_the_requested_written(self, ntu_data, tmp_path):
        # Borlänge is alone in its kommungrupp: the check needs Falun from the bundled data too
        regions = "0000,0020,2081,2080"
        values = ntu_values() + [item("N90001", "2081", 2024, 6.0), item("N90002", "2081", 2025, 1.7)]
        routes = ntu_routes(values, regions)
        routes[("GET", f"{KOLADA}/data/kpi/{KPIS}/municipality/0000,0020,2081/year/2023,2024")] = FakeResponse(
            {"values": [], "count": 0})
        http = http_with(routes, tmp_path)
        staged = fetch.fetch_kolada(DataDir(ntu_data), http, ["2081"], (2023, 2024))
        assert http.session.calls[-1][1] == ntu_data_url(regions)
        assert staged.files["ntu/kolada_ntu_2081_2023-2024.csv"].decode().splitlines()[1:] == [
            f"2081,Borlänge,2024,{OM},{fetch.NTU_UNIT},6.0", f"2081,Borlänge,2024,{UM},{fetch.NTU_UNIT},1.7"]

    def test_no_kpi_passes_no_ntu_file_and_crime_still_lands(self, ntu_data, tmp_path, capsys):
        only = {"values": [NTU_META_2["values"][0], NTU_META_2["values"][1]], "count": 2}
        routes = kolada_routes() | {("GET", KPI_ALL_URL): FakeResponse(only),
                                    ("GET", f"{KOLADA}/data/kpi/N90003/municipality/0000,0012,0020,1283,2080/year/"
                                            "2022,2023,2024,2025"): FakeResponse({"values": ntu_values()})}
        code = fetch.main(["kolada", "--kommun", "2080", "--years", "2023-2024", "--data", str(ntu_data)],
                          http=http_with(routes, tmp_path))
        assert code == 0
        assert capsys.readouterr().out.splitlines()[3:] == [
            "ntu: none of the 2 NTU KPI(s) in Kolada passed the check against the bundled NTU figures; "
            "no NTU file written",
            "  not used: N90004 'Förtroende för rättsväsendet (NTU), andel (%)': "
            "no rule of NTU_RULES matches its title or description",
            f"  not used: N90003 'Otrygga vid utevistelse sent på kvällen (NTU), andel (%)': {NTU_NOT_AGREEING}",
            f"wrote 2 file(s) to {ntu_data / 'fetched'}; the reports use them from their next run"]
        assert (ntu_data / "fetched/crime/kolada_2080_2023-2024.csv").exists()
        assert not (ntu_data / "fetched/ntu").exists()

    def test_without_bundled_ntu_nothing_can_be_checked(self, data, tmp_path):
        routes = kolada_routes() | {("GET", KPI_ALL_URL): FakeResponse(NTU_META_1),
                                    ("GET", NTU_KPI_URL_2): FakeResponse(NTU_META_2)}
        http = http_with(routes, tmp_path)
        staged = fetch.fetch_kolada(DataDir(data), http, ["2080"], (2023, 2024))
        assert not [u for _, u, _ in http.session.calls if "/data/kpi/N9" in u]  # no NTU data asked for
        assert staged.summary[3] == ("ntu: none of the 6 NTU KPI(s) in Kolada passed the check against the bundled "
                                     "NTU figures; no NTU file written")
        assert "  not used: N90001 'Oro för att utsättas för misshandel, andel (%)': no bundled NTU figures " \
               "(raw/ntu/) to check it against" in staged.summary
        assert not [f for f in staged.files if f.startswith("ntu/")]

    def test_a_value_outside_0_100_is_an_error_naming_the_kpi(self, ntu_data, tmp_path):
        values = ntu_values(om_1283_2024=130.0)
        with pytest.raises(fetch.FetchError) as info:
            fetch.fetch_kolada(DataDir(ntu_data), http_with(ntu_routes(values), tmp_path), ["2080"], (2023, 2024))
        assert info.value.reason == ("the NTU KPI N90001 (Oro för att utsättas för misshandel, andel (%)) has 130 "
                                     "for region 1283 in 2024: not a share in % (0–100)")

    def test_nothing_the_bundled_data_lacks_writes_no_file(self, ntu_data, tmp_path):
        values = [v for v in ntu_values() if v["municipality"] in ("0000", "0020", "2080")]
        staged = fetch.fetch_kolada(DataDir(ntu_data), http_with(ntu_routes(values), tmp_path), ["2080"], (2023, 2024))
        assert not [f for f in staged.files if f.startswith("ntu/")]
        assert staged.summary[3] == ("ntu: 2 NTU KPI(s) from Kolada agree with the bundled NTU figures, but Kolada "
                                     "has nothing for these regions and years that the bundled data lacks; "
                                     "no NTU file written")


# ---------------------------------------------------------------------------------------------
# The HTTP layer
# ---------------------------------------------------------------------------------------------

class TestHttp:
    def test_retries_with_exponential_backoff(self):
        u = f"{KOLADA}/x"
        h = http_with({("GET", u): [FakeResponse({}, 503), FakeResponse({}, 502), FakeResponse({"values": []})]}, retries=3)
        assert h.get_json(u) == {"values": []}
        assert h.sleeps == [0.5, 1.0]

    def test_retry_after_is_honoured(self):
        u = f"{KOLADA}/x"
        h = http_with({("GET", u): [FakeResponse({}, 429, {"Retry-After": "7"}), FakeResponse([1])]})
        assert h.get_json(u) == [1] and h.sleeps == [7.0]

    def test_connection_errors_are_retried_then_reported(self):
        u = f"{KOLADA}/x"
        h = http_with({("GET", u): requests.ConnectionError("[Errno 111] Connection refused")}, retries=2)
        with pytest.raises(fetch.FetchError) as info:
            h.get_json(u)
        assert len(h.session.calls) == 3 and h.sleeps == [0.5, 1.0]
        assert str(info.value) == ("error: could not reach api.kolada.se (connection refused); "
                                   "the bundled data in data/raw is still used")

    def test_client_error_is_not_retried(self):
        u = f"{KOLADA}/x"
        h = http_with({("GET", u): FakeResponse({}, 404)})
        with pytest.raises(fetch.FetchError) as info:
            h.get_json(u)
        assert len(h.session.calls) == 1 and info.value.reached
        assert info.value.reason == f"HTTP 404 for {u}"

    def test_problem_json_title_in_the_reason(self):
        u = f"{fetch.SCB}/tables/TAB1/metadata?lang=sv"
        h = http_with({("GET", u): FakeResponse(PROBLEM_404, 404)})
        with pytest.raises(fetch.FetchError) as info:
            h.get_json(u)
        assert info.value.reason == f"HTTP 404 for {u}: Non-existent table"

    def test_an_error_page_that_is_not_json_gives_the_status_only(self):
        u = f"{fetch.SCB}/tables/TAB1/metadata?lang=sv"
        h = http_with({("GET", u): FakeResponse("<html>Bad gateway</html>", 502)}, retries=1)
        with pytest.raises(fetch.FetchError) as info:
            h.get_json(u)
        assert info.value.reason == f"HTTP 502 for {u}" and h.sleeps == [0.5]

    def test_rate_limit_problem_is_retried_and_named_when_it_persists(self):
        u = f"{fetch.SCB}/tables/TAB638/data?lang=sv&outputFormat=json-stat2"
        too_many = {"type": "Too many requests", "title": "Rate limit exceeded", "status": 429}
        h = http_with({("POST", u): FakeResponse(too_many, 429, {"Retry-After": "10"})}, retries=2)
        with pytest.raises(fetch.FetchError) as info:
            h.post_json(f"{fetch.SCB}/tables/TAB638/data", {"selection": []}, params=fetch.SCB_DATA_PARAMS)
        assert h.sleeps == [10.0, 10.0] and len(h.session.calls) == 3
        assert info.value.reason == f"HTTP 429 for {u}: Rate limit exceeded"

    def test_timeout_user_agent_query_string_and_json_body(self):
        u = f"{fetch.SCB}/tables/TAB638/data"
        h = http_with({}, timeout=12)
        calls = []
        h.session.request = lambda method, url, json=None, timeout=None: calls.append((method, url, json, timeout)) or FakeResponse({})
        h.post_json(u, {"selection": []}, params={"lang": "sv", "outputFormat": "json-stat2"})
        assert calls == [("POST", u + "?lang=sv&outputFormat=json-stat2", {"selection": []}, 12)]
        assert "lagesbild" in h.session.headers["User-Agent"]

    def test_cache_key_includes_the_body(self, tmp_path):
        u = f"{fetch.SCB}/t"
        h = http_with({("POST", u): [FakeResponse({"n": 1}), FakeResponse({"n": 2})]}, tmp_path)
        assert [h.post_json(u, {"a": 1}), h.post_json(u, {"a": 2}), h.post_json(u, {"a": 1})] == [{"n": 1}, {"n": 2}, {"n": 1}]
        assert len(h.session.calls) == 2


# ---------------------------------------------------------------------------------------------
# SCB (PxWebApi 2.0)
# ---------------------------------------------------------------------------------------------

SCB_META_URL = f"{fetch.SCB}/tables/TAB638/metadata?lang=sv"
SCB_DATA_URL = f"{fetch.SCB}/tables/TAB638/data?lang=sv&outputFormat=json-stat2"
PROBLEM_404 = {"type": "Parameter error", "title": "Non-existent table", "status": 404}


def scb_meta(contents: dict | None = None) -> dict:
    """TAB638's metadata as PxWebApi 2.0 gives it (JSON-stat 2.0, categories shortened)."""
    contents = contents or {"BE0101N1": "Folkmängd", "BE0101N2": "Folkökning"}
    return {
        "version": "2.0", "class": "dataset", "label": "Folkmängd efter region, civilstånd, ålder och kön. År 1968–2024",
        "source": "SCB", "updated": "2025-02-21T06:00:00Z",
        "id": ["Region", "Civilstand", "Alder", "Kon", "ContentsCode", "Tid"], "size": [5, 4, 3, 2, len(contents), 3],
        "dimension": {
            "Region": {"label": "region", "category": {
                "index": {"00": 0, "20": 1, "1283": 2, "2080": 3, "2081": 4},
                "label": {"00": "Riket", "20": "Dalarnas län", "1283": "Helsingborg", "2080": "Falun", "2081": "Borlänge"}},
                "extension": {"elimination": True, "codelists": [{"id": "vs_RegionLän07"}, {"id": "vs_RegionKommun07"}]}},
            "Civilstand": {"label": "civilstånd", "category": {
                "index": {"OG": 0, "G": 1, "ÄNKL": 2, "SK": 3},
                "label": {"OG": "ogifta", "G": "gifta", "ÄNKL": "änkor/änklingar", "SK": "skilda"}}},
            "Alder": {"label": "ålder", "category": {"index": {"0": 0, "1": 1, "100+": 2},
                                                     "label": {"0": "0 år", "1": "1 år", "100+": "100+ år"}}},
            "Kon": {"label": "kön", "category": {"index": {"1": 0, "2": 1}, "label": {"1": "män", "2": "kvinnor"}}},
            "ContentsCode": {"label": "tabellinnehåll", "category": {
                "index": {c: i for i, c in enumerate(contents)}, "label": contents}},
            "Tid": {"label": "år", "category": {"index": {"2022": 0, "2023": 1, "2024": 2},
                                                "label": {"2022": "2022", "2023": "2023", "2024": "2024"}}},
        },
    }


def scb_data(regions: dict[str, str], years: list[str], values: list, contents: str = "BE0101N1") -> dict:
    """A data answer (JSON-stat 2.0): Civilstand, Alder and Kon eliminated."""
    return {"version": "2.0", "class": "dataset", "label": "Folkmängd efter region och år", "source": "SCB",
            "id": ["Region", "ContentsCode", "Tid"], "size": [len(regions), 1, len(years)],
            "dimension": {"Region": {"label": "region", "category": {"index": {c: i for i, c in enumerate(regions)},
                                                                      "label": regions}},
                          "ContentsCode": {"category": {"index": {contents: 0}, "label": {contents: "Folkmängd"}}},
                          "Tid": {"category": {"index": {y: i for i, y in enumerate(years)}}}},
            "value": values}


KOMMUNER_3 = {"1283": "Helsingborg", "2080": "Falun", "2081": "Borlänge"}
SCB_DATA = scb_data(KOMMUNER_3, ["2023", "2024"], [None, 151000, 59500, 59686, 52000, None])
#: The body for every kommun of the test data, 2023–2024: Civilstand, Alder and Kon not selected.
SCB_BODY = {"selection": [{"variableCode": "Region", "valueCodes": ["1283", "2080", "2081"]},
                          {"variableCode": "ContentsCode", "valueCodes": ["BE0101N1"]},
                          {"variableCode": "Tid", "valueCodes": ["2023", "2024"]}]}


def scb_routes(meta: dict | None = None, answer: dict = SCB_DATA) -> dict:
    return {("GET", SCB_META_URL): FakeResponse(meta or scb_meta()), ("POST", SCB_DATA_URL): FakeResponse(answer)}


class TestScb:
    def test_metadata_then_one_post_with_the_exact_body_and_query_string(self, data, tmp_path):
        http = http_with(scb_routes(), tmp_path)
        fetch.fetch_scb(DataDir(data), http, None, (2023, 2030))  # only published years are asked for
        assert http.session.calls == [("GET", SCB_META_URL, None), ("POST", SCB_DATA_URL, SCB_BODY)]

    def test_contents_code_from_its_label_not_hard_coded(self, data):
        meta = scb_meta({"000007SX": "Medelfolkmängd", "000001AB": "Folkmängd"})
        http = http_with(scb_routes(meta, scb_data(KOMMUNER_3, ["2024"], [1, 2, 3], contents="000001AB")))
        staged = fetch.fetch_scb(DataDir(data), http, None, (2024, 2024))
        assert http.session.calls[1][2]["selection"][1] == {"variableCode": "ContentsCode", "valueCodes": ["000001AB"]}
        prov = json.loads(staged.files["population/scb_alla_2024-2024.csv.provenance.json"])
        assert prov["contents_code"] == "000001AB"

    def test_no_population_content_is_a_clear_error(self, data):
        http = http_with(scb_routes(scb_meta({"BE0101N2": "Folkökning"})))
        with pytest.raises(fetch.FetchError) as info:
            fetch.fetch_scb(DataDir(data), http, None, (2023, 2024))
        assert info.value.reason == ("the metadata of table TAB638 is not as expected (no ContentsCode labelled "
                                     "'Folkmängd' and no code BE0101N1 (the table has BE0101N2 'Folkökning'))")
        assert len(http.session.calls) == 1

    def test_population_parsed_with_the_same_loader_and_preferred(self, data, tmp_path):
        http = http_with(scb_routes(), tmp_path)
        staged = fetch.fetch_scb(DataDir(data), http, ["2080", "2081"], (2023, 2030))
        fetch.commit(staged, DataDir(data))
        f = data / "fetched/population/scb_alla_2023-2024.csv"
        pop = sources.load_population(f)
        assert pop.to_dict("records") == [
            {"kommun_kod": "1283", "kommun": "Helsingborg", "year": 2024, "population": 151000},
            {"kommun_kod": "2080", "kommun": "Falun", "year": 2023, "population": 59500},
            {"kommun_kod": "2080", "kommun": "Falun", "year": 2024, "population": 59686},
            {"kommun_kod": "2081", "kommun": "Borlänge", "year": 2023, "population": 52000}]
        prov = json.loads(Path(str(f) + ".provenance.json").read_text())
        assert prov["rows"] == 4 and prov["table"] == "TAB638" and prov["api"] == "PxWebApi 2.0"
        assert prov["api_url"] == "https://statistikdatabasen.scb.se/api/v2"
        assert prov["urls"] == [SCB_META_URL, SCB_DATA_URL]
        assert prov["queries"] == [SCB_BODY] and prov["query_string"] == "lang=sv&outputFormat=json-stat2"
        assert prov["kommuner"] == "alla" and prov["requested_kommuner"] == ["2080", "2081"]
        assert prov["years"] == [2023, 2024] and prov["kommuner_not_in_table"] == []
        built = processed.load(data).population.set_index(["kommun_kod", "year"])["population"]
        assert built[("2080", 2023)] == 59500  # bundled 59 000 replaced
        assert built[("1283", 2023)] == 150000  # bundled, SCB's cell is empty
        assert built[("1283", 2024)] == 151000

    def test_kommun_still_asks_for_every_kommun(self, data, tmp_path, capsys):
        http = http_with(scb_routes(), tmp_path)
        assert fetch.main(["scb", "--kommun", "2080", "--years", "2023-2024", "--data", str(data)], http=http) == 0
        assert http.session.calls[1] == ("POST", SCB_DATA_URL, SCB_BODY)
        out = capsys.readouterr().out.splitlines()
        assert out[0] == ("scb: population is fetched for all 3 kommuner, not only 2080: "
                          "län and riket populations are sums over every kommun")
        assert out[1] == "population/scb_alla_2023-2024.csv: 4 rows, 2023–2024"
        assert (data / "fetched/population/scb_alla_2023-2024.csv").exists()

    def test_without_kommun_no_extra_line(self, data, tmp_path, capsys):
        assert fetch.main(["scb", "--all", "--years", "2023-2024", "--data", str(data)],
                          http=http_with(scb_routes(), tmp_path)) == 0
        assert capsys.readouterr().out.splitlines()[0] == "population/scb_alla_2023-2024.csv: 4 rows, 2023–2024"

    def test_regions_cut_to_stay_under_max_data_cells(self, data, monkeypatch):
        monkeypatch.setattr(fetch.scb, "SCB_MAX_CELLS", 5)  # 2 years: at most 2 regions a request
        answers = [FakeResponse(scb_data({"1283": "Helsingborg", "2080": "Falun"}, ["2023", "2024"], [1, 2, 3, 4])),
                   FakeResponse(scb_data({"2081": "Borlänge"}, ["2023", "2024"], [5, 6]))]
        http = http_with({("GET", SCB_META_URL): FakeResponse(scb_meta()), ("POST", SCB_DATA_URL): answers})
        staged = fetch.fetch_scb(DataDir(data), http, None, (2023, 2024))
        assert [c[2]["selection"][0]["valueCodes"] for c in http.session.calls[1:]] == [["1283", "2080"], ["2081"]]
        assert staged.files["population/scb_alla_2023-2024.csv"].decode().splitlines() == [
            "kommun_kod,kommun,year,population", "1283,Helsingborg,2023,1", "1283,Helsingborg,2024,2",
            "2080,Falun,2023,3", "2080,Falun,2024,4", "2081,Borlänge,2023,5", "2081,Borlänge,2024,6"]

    def test_kommun_missing_from_the_table_is_recorded(self, data):
        meta = scb_meta()
        meta["dimension"]["Region"]["category"]["index"] = {"00": 0, "2080": 1, "2081": 2}
        answer = scb_data({"2080": "Falun", "2081": "Borlänge"}, ["2024"], [59686, 52000])
        http = http_with(scb_routes(meta, answer))
        staged = fetch.fetch_scb(DataDir(data), http, None, (2024, 2024))
        assert http.session.calls[1][2]["selection"][0]["valueCodes"] == ["2080", "2081"]
        prov = json.loads(staged.files["population/scb_alla_2024-2024.csv.provenance.json"])
        assert prov["kommuner_not_in_table"] == ["1283"]

    def test_problem_json_error_message(self, data, capsys):
        before = state(data)
        http = http_with({("GET", SCB_META_URL): FakeResponse(PROBLEM_404, 404)})
        assert fetch.main(["scb", "--all", "--data", str(data)], http=http) == 1
        out = capsys.readouterr()
        assert out.out == "" and out.err == (
            f"error: statistikdatabasen.scb.se did not give a usable answer (HTTP 404 for {SCB_META_URL}: "
            "Non-existent table); nothing was changed, the data already in data/ is still used\n")
        assert len(http.session.calls) == 1 and state(data) == before

    def test_no_published_year_in_range(self, data):
        http = http_with({("GET", SCB_META_URL): FakeResponse(scb_meta())})
        with pytest.raises(fetch.FetchError, match="2022–2024, none in 2030–2031"):
            fetch.fetch_scb(DataDir(data), http, ["2080"], (2030, 2031))

    def test_answer_that_is_not_jsonstat(self, data):
        http = http_with(scb_routes(answer={"data": []}))
        with pytest.raises(fetch.FetchError, match="not the expected JSON-stat"):
            fetch.fetch_scb(DataDir(data), http, None, (2023, 2024))

    def test_jsonstat_sparse_values(self):
        doc = {"id": ["a"], "size": [3], "dimension": {"a": {"category": {"index": ["x", "y", "z"]}}}, "value": {"1": 5}}
        assert fetch.parse_jsonstat2(doc)["value"].tolist()[1] == 5.0
        assert fetch.parse_jsonstat2(doc)["value"].isna().tolist() == [True, False, True]


# ---------------------------------------------------------------------------------------------
# polisen.se
# ---------------------------------------------------------------------------------------------

def api_event(eid, when, summary="", location="Falun"):
    return {"id": eid, "datetime": when, "name": f"1 maj 10:00, Stöld, {location}", "summary": summary,
            "url": f"/aktuellt/{eid}", "type": "Stöld", "location": {"name": location, "gps": "60.6,15.6"}}


class TestPolisen:
    FEED = [api_event(3, "2024-06-01 09:00:00 +02:00"),  # in the archive, same version
            api_event(2, "2024-05-03 08:00:00 +02:00", summary="Ny version"),  # in the archive, newer version
            api_event(7, "2024-07-01 10:00:00 +02:00"), api_event(7, "2024-07-01 10:00:00 +02:00")]  # new, twice

    def test_appends_only_new_events_without_duplicates(self, data, tmp_path):
        http = http_with({("GET", fetch.POLISEN): FakeResponse(self.FEED)}, tmp_path)
        staged = fetch.fetch_polisen(DataDir(data), http, None)
        assert staged.summary == ["polisen.se: 4 events received, 1 new, 1 updated, 1 already in the archive"]
        written = fetch.commit(staged, DataDir(data))
        [events_file] = [p for p in written if p.suffix == ".json" and not p.name.endswith(processed.PROVENANCE_SUFFIX)]
        assert sorted(e["id"] for e in json.loads(events_file.read_text())) == [2, 7]
        prov = json.loads(Path(str(events_file) + processed.PROVENANCE_SUFFIX).read_text())
        assert prov["counts"] == {"received": 4, "new": 1, "updated": 1, "known": 1} and prov["rows"] == 2
        ev = processed.load(data).events.set_index("id")
        assert sorted(ev.index) == [1, 2, 3, 7] and ev.index.is_unique
        assert ev.loc[2, "summary"] == "Ny version"  # the newest version kept

    def test_nothing_new_writes_nothing(self, data, tmp_path):
        http = http_with({("GET", fetch.POLISEN): FakeResponse([api_event(3, "2024-06-01 09:00:00 +02:00")])})
        staged = fetch.fetch_polisen(DataDir(data), http, None)
        assert staged.files == {}

    def test_kommun_filter_asks_for_kommun_and_lan(self, data):
        u = url(fetch.POLISEN, {"locationname": "Falun;Dalarnas län"})
        http = http_with({("GET", u): FakeResponse([])})
        fetch.fetch_polisen(DataDir(data), http, ["2080"])
        assert [c[1] for c in http.session.calls] == [u]


# ---------------------------------------------------------------------------------------------
# Atomic writes, no network, command line
# ---------------------------------------------------------------------------------------------

def state(root: Path) -> dict[str, str]:
    """Everything in the data folder that the suite reads (the response cache aside)."""
    return {k: v for k, v in hashes(root).items() if not k.startswith("cache/")}


class TestAtomic:
    def test_failure_mid_way_leaves_data_untouched(self, data, tmp_path, capsys):
        processed.build(data)
        d = DataDir(data)
        fetch.commit(fetch.fetch_kolada(d, http_with(kolada_routes()), ["2080"], (2023, 2024)), d)
        before = state(data)
        routes = kolada_routes() | {("GET", DATA_URL_2): FakeResponse({}, 500)}  # the last page fails every time
        http = http_with(routes, tmp_path, max_age=0)
        assert fetch.main(["kolada", "--kommun", "2080", "--years", "2023-2024", "--data", str(data)], http=http) == 1
        assert state(data) == before
        assert http.sleeps == [0.5, 1.0]
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "api.kolada.se" in err and "HTTP 500" in err and "Traceback" not in err

    def test_failure_while_renaming_restores_the_old_files(self, data, monkeypatch):
        d = DataDir(data)
        fetch.commit(fetch.fetch_kolada(d, http_with(kolada_routes()), ["2080"], (2023, 2024)), d)
        before = state(data)
        staged = fetch.fetch_kolada(d, http_with(kolada_routes()), ["2080"], (2023, 2024))
        staged.files["crime/kolada_2080_2023-2024.csv"] += b"2080,Falun,2022,Narkotikabrott,Antal per 100 000 inv,1\n"
        staged.files["population/new.csv"] = b"kommun_kod,kommun,year,population\n2080,Falun,2030,1\n"
        real, renames = os.replace, []

        def failing_replace(src, dst):
            renames.append(dst)
            if str(dst).endswith("new.csv"):
                raise OSError(28, "No space left on device")
            return real(src, dst)

        monkeypatch.setattr(fetch.common.os, "replace", failing_replace)
        with pytest.raises(OSError):
            fetch.commit(staged, d)
        monkeypatch.setattr(fetch.common.os, "replace", real)
        assert state(data) == before
        assert not (data / "fetched/population").exists()
        assert not [p for p in (data / "fetched").rglob("*") if p.name.startswith(".")]  # no temporary files left


class TestNoNetwork:
    def test_one_line_message_and_exit_1(self, data, capsys):
        before = state(data)
        http = fetch.Http(cache_dir=data / "cache", retries=1, backoff=0, timeout=2)
        code = fetch.main(["kolada", "--kommun", "2080", "--data", str(data), "--base-url", "http://127.0.0.1:9/v3"],
                          http=http)
        out = capsys.readouterr()
        assert code == 1 and out.out == ""
        assert out.err == ("error: could not reach 127.0.0.1:9 (connection refused); "
                           "the bundled data in data/raw is still used\n")
        assert state(data) == before

    def test_command_line_without_traceback(self, data):
        r = subprocess.run([sys.executable, "-m", "lagesbild.sources.fetch", "scb", "--all", "--data", str(data), "--retries", "0",
                            "--timeout", "2", "--base-url", "http://127.0.0.1:9/api/v2"],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 1 and r.stdout == ""
        assert r.stderr.splitlines() == ["error: could not reach 127.0.0.1:9 (connection refused); "
                                         "the bundled data in data/raw is still used"]


class TestCommandLine:
    @pytest.mark.parametrize("argv, message", [
        (["kolada", "--kommun", "128"], "'128' is not a four-digit kommun code"),
        (["kolada", "--kommun", "9999"], "'9999' is not the code of any Swedish kommun"),
        (["kolada", "--kommun", "1283", "--all"], "not allowed with argument"),
        (["scb", "--years", "2024-2015"], "the first year is after the last"),
        (["scb", "--years", "20x4"], "is not a year range"),
        (["polisen", "--years", "2024"], "--years does not apply to polisen"),
        (["bra"], "invalid choice"),
    ])
    def test_bad_arguments(self, argv, message, capsys):
        with pytest.raises(SystemExit) as info:
            fetch.main(argv)
        assert info.value.code == 2 and message in capsys.readouterr().err

    def test_good_arguments(self):
        a = fetch.build_parser().parse_args(["scb", "--kommun", "1283", "1287", "--years", "2020-2024"])
        assert (a.kommun, a.years, a.all) == (["1283", "1287"], (2020, 2024), False)
        assert fetch.parse_years(" 2019 – 2021 ") == (2019, 2021)

    def test_success_prints_what_was_written(self, data, tmp_path, capsys):
        assert fetch.main(["scb", "--kommun", "2080", "2081", "--years", "2023-2024", "--data", str(data)],
                          http=http_with(scb_routes(), tmp_path)) == 0
        assert capsys.readouterr().out.splitlines() == [
            "scb: population is fetched for all 3 kommuner, not only 2080, 2081: "
            "län and riket populations are sums over every kommun",
            "population/scb_alla_2023-2024.csv: 4 rows, 2023–2024",
            f"wrote 1 file(s) to {data / 'fetched'}; the reports use them from their next run"]


# ---------------------------------------------------------------------------------------------
# The package: the former module's names, one submodule per source
# ---------------------------------------------------------------------------------------------

def defined_names(module) -> set[str]:
    """The public names a submodule defines itself (not those it imports)."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(module))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {n for n in names if not n.startswith("_")}


class TestPackage:
    SUBMODULES = ("common", "kolada", "scb", "polisen", "cli")

    @pytest.mark.parametrize("sub", SUBMODULES)
    def test_every_public_name_of_a_submodule_is_forwarded_from_it(self, sub):
        module = getattr(fetch, sub)
        names = defined_names(module)
        assert names and {n for n, home in fetch.HOME.items() if home == sub} == names
        assert all(getattr(fetch, n) is getattr(module, n) for n in names)

    def test_names_of_the_former_module(self):
        from lagesbild.sources.fetch import FetchError, Http, fetch_kolada, main

        assert (Http.__module__, FetchError.__module__) == ("lagesbild.sources.fetch.common",) * 2
        assert (fetch_kolada.__module__, main.__module__) == ("lagesbild.sources.fetch.kolada",
                                                              "lagesbild.sources.fetch.cli")
        assert sorted(fetch.__all__) == sorted(fetch.HOME) and set(fetch.HOME) <= set(dir(fetch))

    def test_unknown_name(self):
        with pytest.raises(AttributeError, match="has no attribute 'fetch_bra'"):
            fetch.fetch_bra  # noqa: B018

    def test_python_m_runs_the_command_line(self):
        r = subprocess.run([sys.executable, "-m", "lagesbild.sources.fetch", "--help"], capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 0 and r.stdout.startswith("usage: python -m lagesbild.sources.fetch [-h]")

    def test_the_old_name_runs_the_package_main(self):
        """``python -m lagesbild.fetch``: the loader of old names gives a package's ``__main__``, as runpy does."""
        import lagesbild

        code = lagesbild._MovedLoader("lagesbild.sources.fetch").get_code("lagesbild.fetch")
        assert Path(code.co_filename).parts[-2:] == ("fetch", "__main__.py")
        with pytest.raises(ImportError, match="'lagesbild.core' and cannot be directly executed"):
            lagesbild._MovedLoader("lagesbild.core").get_code("lagesbild.x")
