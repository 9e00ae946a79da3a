"""Tests of lagesbild.fetch: Kolada, SCB and polisen.se loaders, without any network.

Every answer is hand-made in the documented format of its API (Kolada v2: ``values``/``count``/
``next_page``, Hypergene/kolada README; SCB PxWeb v1: table metadata ``variables`` and JSON-stat 2.0
data; polisen.se: a JSON list of events) and served by a fake ``requests`` session. The data
folder is the tiny hand-made tree of test_processed in tmp_path; nothing is written to data/.
The no-network test talks to 127.0.0.1:9 (discard port, nothing listens), never to the Internet.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
import requests
from test_processed import hashes, make_raw

from lagesbild import fetch, processed, sources
from lagesbild.paths import DataDir

KOLADA = "https://api.kolada.se/v2"


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
    {"id": "N07403", "title": "Anmälda våldsbrott, antal/100 000 inv", "municipality_type": "K"},
    {"id": "U07418", "title": "Anmälda våldsbrott (treårsmedelvärde), antal/1000 inv", "municipality_type": "K"},
], "count": 2, "next_page": KPI_URL_2}
KPI_PAGE_2 = {"values": [
    {"id": "N90001", "title": "Anmälda brott totalt, antal/100 000 inv", "municipality_type": "K"},
    {"id": "N90002", "title": "Anmälda brott, antal/100 000 inv", "municipality_type": "L"},
], "count": 2, "previous_page": KPI_URL}
GROUPS = {"values": [
    {"id": "G1", "title": "Större stad (SKR 2011)", "members": [{"id": "2080", "title": "Falun"}, {"id": "2081", "title": "Borlänge"}]},
    {"id": "G2", "title": "Större stad, SKR:s kommungruppsindelning 2017",
     "members": [{"id": "1283", "title": "Helsingborg"}, {"id": "2080", "title": "Falun"}]},
    {"id": "G3", "title": "Landsbygdskommun med besöksnäring 2017", "members": [{"id": "2081", "title": "Borlänge"}]},
    {"id": "G4", "title": "Kommuner i Dalarna", "members": [{"id": "2080"}, {"id": "2081"}]},
], "count": 4}
DATA_URL = f"{KOLADA}/data/kpi/N90001,N07403/municipality/0000,0012,0020,1283,2080/year/2023,2024"
DATA_URL_2 = DATA_URL + "?page=2"


def item(kpi, mid, year, value, female=None):
    values = [{"gender": "T", "value": value, "count": 1, "status": ""}]
    if female is not None:
        values.append({"gender": "K", "value": female, "count": 1, "status": ""})
    return {"kpi": kpi, "municipality": mid, "period": year, "values": values}


DATA_PAGE_1 = {"values": [item("N90001", "2080", 2023, 11210.4), item("N90001", "2080", 2024, 10987.0),
                          item("N90001", "0020", 2024, 9876.5), item("N07403", "2080", 2024, 812.3, female=500.0)],
               "count": 4, "next_page": DATA_URL_2}
DATA_PAGE_2 = {"values": [item("N90001", "0000", 2024, 12345.6), item("N90001", "1283", 2024, None),
                          item("N90001", "G2", 2024, 9000.0)], "count": 3}


def kolada_routes() -> dict:
    return {("GET", KPI_URL): FakeResponse(KPI_PAGE_1), ("GET", KPI_URL_2): FakeResponse(KPI_PAGE_2),
            ("GET", f"{KOLADA}/municipality_groups"): FakeResponse(GROUPS),
            ("GET", DATA_URL): FakeResponse(DATA_PAGE_1), ("GET", DATA_URL_2): FakeResponse(DATA_PAGE_2)}


class TestKoladaParsers:
    def test_kpis_by_title_not_by_guessed_id(self):
        kpis = fetch.select_kolada_kpis(KPI_PAGE_1["values"] + KPI_PAGE_2["values"])
        # the three-year mean per 1 000 and the region-only KPI are not taken
        assert [(k["id"], k["indicator"]) for k in kpis] == [("N90001", "Totalt antal anmälda brott"),
                                                              ("N07403", "Våldsbrott")]

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

    def test_kommun_in_two_groups_is_an_error(self, data):
        kommuner = sources.load_kommuner(data / "raw/geo/swedish_admin_areas.csv")
        bad = [{"id": "A", "title": "Storstäder", "members": [{"id": "2080"}]},
               {"id": "B", "title": "Mindre stad/tätort", "members": [{"id": "2080"}]}]
        with pytest.raises(fetch.FetchError, match="2080 is in both"):
            fetch.parse_kommungrupper(bad, kommuner)


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
        # every page was asked for exactly once
        assert sorted(u for _, u, _ in http.session.calls) == sorted([KPI_URL, KPI_URL_2, f"{KOLADA}/municipality_groups",
                                                                     DATA_URL, DATA_URL_2])

    def test_provenance_record(self, data, tmp_path):
        fetch.commit(fetch.fetch_kolada(DataDir(data), http_with(kolada_routes(), tmp_path), ["2080"], (2023, 2024)),
                     DataDir(data))
        prov = json.loads((data / "fetched/crime/kolada_2080_2023-2024.csv.provenance.json").read_text())
        assert prov["source"] == "kolada" and prov["rows"] == 6 and prov["years"] == [2023, 2024]
        assert [k["id"] for k in prov["kpis"]] == ["N90001", "N07403"]
        assert prov["kpis"][1]["title"] == "Anmälda våldsbrott, antal/100 000 inv"
        assert set(prov["urls"]) == {KPI_URL, KPI_URL_2, f"{KOLADA}/municipality_groups", DATA_URL, DATA_URL_2}
        assert datetime.fromisoformat(prov["fetched_at"]).tzinfo is not None
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
        newer = {"values": [item("N90001", "2080", 2024, 1.0)], "count": 1}
        routes = kolada_routes() | {("GET", f"{KOLADA}/data/kpi/N90001,N07403/year/2024"): FakeResponse(newer)}
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
        assert len(first.session.calls) == 5 and second.session.calls == []
        refresh = http_with(routes, tmp_path, max_age=0)
        fetch.fetch_kolada(DataDir(data), refresh, ["2080"], (2023, 2024))
        assert len(refresh.session.calls) == 5


# ---------------------------------------------------------------------------------------------
# The HTTP layer
# ---------------------------------------------------------------------------------------------

class TestHttp:
    def test_retries_with_exponential_backoff(self):
        u = "https://api.kolada.se/v2/x"
        h = http_with({("GET", u): [FakeResponse({}, 503), FakeResponse({}, 502), FakeResponse({"values": []})]}, retries=3)
        assert h.get_json(u) == {"values": []}
        assert h.sleeps == [0.5, 1.0]

    def test_retry_after_is_honoured(self):
        u = "https://api.kolada.se/v2/x"
        h = http_with({("GET", u): [FakeResponse({}, 429, {"Retry-After": "7"}), FakeResponse([1])]})
        assert h.get_json(u) == [1] and h.sleeps == [7.0]

    def test_connection_errors_are_retried_then_reported(self):
        u = "https://api.kolada.se/v2/x"
        h = http_with({("GET", u): requests.ConnectionError("[Errno 111] Connection refused")}, retries=2)
        with pytest.raises(fetch.FetchError) as info:
            h.get_json(u)
        assert len(h.session.calls) == 3 and h.sleeps == [0.5, 1.0]
        assert str(info.value) == ("error: could not reach api.kolada.se (connection refused); "
                                   "the bundled data in data/raw is still used")

    def test_client_error_is_not_retried(self):
        u = "https://api.kolada.se/v2/x"
        h = http_with({("GET", u): FakeResponse({}, 404)})
        with pytest.raises(fetch.FetchError, match="HTTP 404") as info:
            h.get_json(u)
        assert len(h.session.calls) == 1 and info.value.reached

    def test_timeout_user_agent_and_json_body(self):
        u = "https://api.scb.se/t"
        h = http_with({("POST", u): FakeResponse({"ok": 1})}, timeout=12)
        calls = []
        h.session.request = lambda method, url, json=None, timeout=None: calls.append((method, url, json, timeout)) or FakeResponse({})
        h.post_json(u, {"query": []})
        assert calls == [("POST", u, {"query": []}, 12)]
        assert "lagesbild" in h.session.headers["User-Agent"]


# ---------------------------------------------------------------------------------------------
# SCB
# ---------------------------------------------------------------------------------------------

SCB = fetch.SCB_BEFOLKNING
SCB_META = {"title": "Folkmängden efter region, civilstånd, ålder, kön och år",
            "variables": [{"code": "Region", "text": "region", "values": ["00", "2080"], "valueTexts": ["Riket", "Falun"]},
                          {"code": "ContentsCode", "text": "tabellinnehåll", "values": ["BE0101N1"], "valueTexts": ["Folkmängd"]},
                          {"code": "Tid", "text": "år", "values": ["2022", "2023", "2024"], "valueTexts": ["2022", "2023", "2024"]}]}
SCB_DATA = {"version": "2.0", "class": "dataset", "label": "Folkmängd", "id": ["Region", "ContentsCode", "Tid"], "size": [2, 1, 2],
            "dimension": {"Region": {"label": "region", "category": {"index": {"2080": 0, "2081": 1},
                                                                      "label": {"2080": "Falun", "2081": "Borlänge"}}},
                          "ContentsCode": {"category": {"index": {"BE0101N1": 0}, "label": {"BE0101N1": "Folkmängd"}}},
                          "Tid": {"category": {"index": {"2023": 0, "2024": 1}}}},
            "value": [59500, 59686, 52000, None]}


class TestScb:
    def test_population_parsed_with_the_same_loader_and_preferred(self, data, tmp_path):
        routes = {("GET", SCB): FakeResponse(SCB_META), ("POST", SCB): FakeResponse(SCB_DATA)}
        http = http_with(routes, tmp_path)
        staged = fetch.fetch_scb(DataDir(data), http, ["2080", "2081"], (2023, 2030))
        assert http.session.calls[1][2] == fetch.scb_query(["2080", "2081"], [2023, 2024])  # only published years
        fetch.commit(staged, DataDir(data))
        f = data / "fetched/population/scb_2080_2081_2023-2024.csv"
        pop = sources.load_population(f)
        assert pop.to_dict("records") == [
            {"kommun_kod": "2080", "kommun": "Falun", "year": 2023, "population": 59500},
            {"kommun_kod": "2080", "kommun": "Falun", "year": 2024, "population": 59686},
            {"kommun_kod": "2081", "kommun": "Borlänge", "year": 2023, "population": 52000}]
        prov = json.loads(Path(str(f) + ".provenance.json").read_text())
        assert prov["rows"] == 3 and prov["table"] == "BE0101N1" and prov["urls"] == [SCB]
        built = processed.load(data).population.set_index(["kommun_kod", "year"])["population"]
        assert built[("2080", 2023)] == 59500  # bundled 59 000 replaced
        assert built[("1283", 2023)] == 150000  # bundled, nothing fetched for it

    def test_no_published_year_in_range(self, data):
        http = http_with({("GET", SCB): FakeResponse(SCB_META)})
        with pytest.raises(fetch.FetchError, match="2022–2024, none in 2030–2031"):
            fetch.fetch_scb(DataDir(data), http, ["2080"], (2030, 2031))

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

        monkeypatch.setattr(fetch.os, "replace", failing_replace)
        with pytest.raises(OSError):
            fetch.commit(staged, d)
        monkeypatch.setattr(fetch.os, "replace", real)
        assert state(data) == before
        assert not (data / "fetched/population").exists()
        assert not [p for p in (data / "fetched").rglob("*") if p.name.startswith(".")]  # no temporary files left


class TestNoNetwork:
    def test_one_line_message_and_exit_1(self, data, capsys):
        before = state(data)
        http = fetch.Http(cache_dir=data / "cache", retries=1, backoff=0, timeout=2)
        code = fetch.main(["kolada", "--kommun", "2080", "--data", str(data), "--base-url", "http://127.0.0.1:9/v2"],
                          http=http)
        out = capsys.readouterr()
        assert code == 1 and out.out == ""
        assert out.err == ("error: could not reach 127.0.0.1:9 (connection refused); "
                           "the bundled data in data/raw is still used\n")
        assert state(data) == before

    def test_command_line_without_traceback(self, data):
        r = subprocess.run([sys.executable, "-m", "lagesbild.fetch", "scb", "--all", "--data", str(data), "--retries", "0",
                            "--timeout", "2", "--base-url", "http://127.0.0.1:9/BefolkningNy"],
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
        routes = {("GET", SCB): FakeResponse(SCB_META), ("POST", SCB): FakeResponse(SCB_DATA)}
        assert fetch.main(["scb", "--kommun", "2080", "2081", "--years", "2023-2024", "--data", str(data)],
                          http=http_with(routes, tmp_path)) == 0
        out = capsys.readouterr().out
        assert "population/scb_2080_2081_2023-2024.csv: 3 rows, 2023–2024" in out and "wrote 1 file(s)" in out
