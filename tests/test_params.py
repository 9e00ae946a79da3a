"""Tests of lagesbild.run.params: per-kommun YAML and notebook parameters, validated before a run.

YAML files are written in the test from text, so the exact YAML under test is visible here.
The last classes guard the shipped configuration: every file in params/ and every notebook's
parameters cell.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest
from helpers import raises_input_error

from lagesbild.core.errors import ParamsError
from lagesbild.core.paths import DATA, NOTEBOOKS, PARAMS
from lagesbild.run import params
from lagesbild.run.params import (
    KommunConfig,
    build_parameters,
    check_kommun_code,
    check_type,
    load_config,
    params_files,
)
from lagesbild.sources import public as sources

#: Five kommuner in three län, as load_kommuner returns them.
KOMMUNER = pd.DataFrame({
    "kommun_kod": ["0114", "2080", "2081", "2082", "1283"],
    "kommun": ["Upplands Väsby", "Falun", "Borlänge", "Säter", "Helsingborg"],
    "lan_kod": ["01", "20", "20", "20", "12"],
    "lan": ["Stockholms län", "Dalarnas län", "Dalarnas län", "Dalarnas län", "Skåne län"],
})

#: Parameters as a notebook's parameters cell declares them (papermill's inspect_notebook).
DECLARED = {
    "kommun": {"type": "str"}, "focus_areas": {"type": "list[str]"}, "peers": {"type": "list[str]"},
    "data_dir": {"type": "str"}, "alpha": {"type": "float"}, "title": {"type": "str"},
    "categories": {"type": "list[str]"}, "top_n": {"type": "int"},
}


def yaml_file(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text(text, encoding="utf-8")
    return p


def fails(call, *args, **kwargs) -> ParamsError:
    return raises_input_error(call, *args, kind=ParamsError, **kwargs)


def config(**kw) -> KommunConfig:
    base = {"kommun": "2080", "name": "Falun", "lan_kod": "20", "lan": "Dalarnas län", "source": "2080_falun.yaml"}
    base.update(kw)
    return KommunConfig(**base)


@pytest.fixture(scope="module")
def real_kommuner() -> pd.DataFrame:
    return sources.load_kommuner(DATA / "raw/geo/swedish_admin_areas.csv")


@pytest.fixture(scope="module")
def crime_trends_parameters() -> dict[str, dict]:
    return params.notebook_parameters("crime_trends")


class TestParamsFiles:
    def test_maps_codes_to_files(self, tmp_path):
        a = yaml_file(tmp_path, "2080_falun.yaml", 'kommun: "2080"\n')
        b = yaml_file(tmp_path, "0114.yml", 'kommun: "0114"\n')
        yaml_file(tmp_path, "README.md", "not a params file")
        assert params_files(tmp_path) == {"0114": b, "2080": a}

    def test_empty_folder(self, tmp_path):
        assert params_files(tmp_path) == {}

    @pytest.mark.parametrize("name", ["falun.yaml", "114_upplands-vasby.yaml", "20800_falun.yaml", "falun_2080.yaml"])
    def test_badly_named_file(self, tmp_path, name):
        p = yaml_file(tmp_path, name, 'kommun: "2080"\n')
        e = fails(params_files, tmp_path)
        assert e.file == str(p)
        assert "four-digit" in e.problem
        assert "1283_helsingborg.yaml" in e.fix

    def test_two_files_for_one_kommun(self, tmp_path):
        yaml_file(tmp_path, "2080_falun.yaml", 'kommun: "2080"\n')
        yaml_file(tmp_path, "2080_falu_kommun.yaml", 'kommun: "2080"\n')
        e = fails(params_files, tmp_path)
        assert "second params file" in e.problem


class TestCheckKommunCode:
    def test_good(self):
        assert check_kommun_code("0114", "p.yaml", KOMMUNER) == "0114"

    def test_octal_number(self):
        e = fails(check_kommun_code, 76, "p.yaml", KOMMUNER)
        assert (e.file, e.column) == ("p.yaml", "kommun")
        assert "octal" in e.problem
        assert "quote" in e.fix

    @pytest.mark.parametrize("value", [2080.0, True, None, ["2080"]])
    def test_not_text(self, value):
        e = fails(check_kommun_code, value, "p.yaml", KOMMUNER, key="peers")
        assert e.column == "peers"

    @pytest.mark.parametrize("value", ["114", "02080", "Falun", "20 80", ""])
    def test_not_four_digits(self, value):
        e = fails(check_kommun_code, value, "p.yaml", KOMMUNER)
        assert "four-digit" in e.problem

    def test_unknown_code(self):
        e = fails(check_kommun_code, "9999", "p.yaml", KOMMUNER)
        assert "'9999'" in e.problem


class TestLoadConfig:
    def test_full_yaml(self, tmp_path):
        yaml_file(tmp_path, "2080_falun.yaml", (
            "# Falun\n"
            'kommun: "2080"\n'
            "name: Falu kommun\n"
            "focus_areas:\n  - Våld i offentlig miljö\n  - ' Skadegörelsebrott '\n"
            'peers: ["2081", "2082"]\n'
            "reports:\n  crime_trends:\n    top_event_types: 4\n"))
        cfg = load_config("2080", KOMMUNER, tmp_path)
        assert cfg == KommunConfig(
            kommun="2080", name="Falu kommun", lan_kod="20", lan="Dalarnas län",
            focus_areas=["Våld i offentlig miljö", "Skadegörelsebrott"], peers=["2081", "2082"],
            reports={"crime_trends": {"top_event_types": 4}}, source="2080_falun.yaml")

    def test_kommun_without_yaml_gets_defaults_from_table(self, tmp_path):
        yaml_file(tmp_path, "2080_falun.yaml", 'kommun: "2080"\n')
        cfg = load_config("2081", KOMMUNER, tmp_path)
        assert (cfg.kommun, cfg.name, cfg.lan_kod, cfg.lan) == ("2081", "Borlänge", "20", "Dalarnas län")
        assert (cfg.focus_areas, cfg.peers, cfg.reports) == ([], [], {})
        assert cfg.source == "standardvärden från kommuntabellen"

    def test_minimal_yaml_name_from_table(self, tmp_path):
        yaml_file(tmp_path, "0114_upplands-vasby.yaml", 'kommun: "0114"\n')
        cfg = load_config("0114", KOMMUNER, tmp_path)
        assert cfg.name == "Upplands Väsby"
        assert cfg.source == "0114_upplands-vasby.yaml"

    def test_unquoted_octal_code(self, tmp_path):
        # YAML 1.1 reads 0114 as an octal integer: 1*64 + 1*8 + 4 = 76.
        p = yaml_file(tmp_path, "0114_upplands-vasby.yaml", "kommun: 0114\n")
        e = fails(load_config, "0114", KOMMUNER, tmp_path)
        assert (e.file, e.column) == (str(p), "kommun")
        assert "76" in e.problem
        assert 'kommun: "0114"' in e.fix

    def test_unquoted_code(self, tmp_path):
        p = yaml_file(tmp_path, "1283_helsingborg.yaml", "kommun: 1283\n")
        e = fails(load_config, "1283", KOMMUNER, tmp_path)
        assert (e.file, e.column) == (str(p), "kommun")
        assert "the number 1283" in e.problem
        assert "quote" in e.fix

    def test_unknown_key(self, tmp_path):
        p = yaml_file(tmp_path, "2080_falun.yaml", 'kommun: "2080"\nfokus: [Rån]\n')
        e = fails(load_config, "2080", KOMMUNER, tmp_path)
        assert (e.file, e.column) == (str(p), "fokus")
        assert "'fokus'" in e.problem
        assert "focus_areas" in e.fix

    def test_focus_areas_a_string(self, tmp_path):
        yaml_file(tmp_path, "2080_falun.yaml", 'kommun: "2080"\nfocus_areas: Våld i offentlig miljö\n')
        e = fails(load_config, "2080", KOMMUNER, tmp_path)
        assert e.column == "focus_areas"
        assert "list" in e.problem

    def test_focus_areas_with_empty_entry(self, tmp_path):
        yaml_file(tmp_path, "2080_falun.yaml", 'kommun: "2080"\nfocus_areas: ["Rån", ""]\n')
        e = fails(load_config, "2080", KOMMUNER, tmp_path)
        assert e.column == "focus_areas"

    def test_peers_with_unknown_code(self, tmp_path):
        yaml_file(tmp_path, "2080_falun.yaml", 'kommun: "2080"\npeers: ["2081", "9999"]\n')
        e = fails(load_config, "2080", KOMMUNER, tmp_path)
        assert e.column == "peers"
        assert "'9999'" in e.problem

    def test_peers_unquoted(self, tmp_path):
        yaml_file(tmp_path, "2080_falun.yaml", 'kommun: "2080"\npeers: ["2081", 2082]\n')
        e = fails(load_config, "2080", KOMMUNER, tmp_path)
        assert e.column == "peers"
        assert "quoted" in e.fix

    def test_yaml_syntax_error_names_the_row(self, tmp_path):
        # Line 3: a second colon in an unquoted value.
        p = yaml_file(tmp_path, "2080_falun.yaml", 'kommun: "2080"\nfocus_areas: []\nname: Falun: stad\n')
        e = fails(load_config, "2080", KOMMUNER, tmp_path)
        assert (e.file, e.row) == (str(p), 3)
        assert "not valid YAML" in e.problem

    def test_key_written_twice_is_an_error_not_silently_the_last(self, tmp_path):
        # PyYAML's safe_load would keep only the second reports section (alpha lost without a word).
        p = yaml_file(tmp_path, "2080_falun.yaml", ('kommun: "2080"\nreports:\n  crime_trends:\n    alpha: 0.1\n'
                                                     "focus_areas: []\nreports:\n  place_assessment:\n    cell_size: 100\n"))
        e = fails(load_config, "2080", KOMMUNER, tmp_path)
        assert (e.file, e.row) == (str(p), 6)
        assert e.problem == "the key 'reports' appears twice (lines 2 and 6)"
        assert "merge" in e.fix

    def test_key_written_twice_inside_a_report_section(self, tmp_path):
        yaml_file(tmp_path, "2080_falun.yaml", 'kommun: "2080"\nreports:\n  crime_trends:\n    alpha: 0.1\n    alpha: 0.2\n')
        e = fails(load_config, "2080", KOMMUNER, tmp_path)
        assert e.row == 5 and "'alpha' appears twice" in e.problem

    def test_same_key_in_two_sections_is_fine(self, tmp_path):
        yaml_file(tmp_path, "2080_falun.yaml", ('kommun: "2080"\nreports:\n  crime_trends:\n    alpha: 0.1\n'
                                                "  place_assessment:\n    alpha: 0.2\n"))
        cfg = load_config("2080", KOMMUNER, tmp_path)
        assert cfg.reports == {"crime_trends": {"alpha": 0.1}, "place_assessment": {"alpha": 0.2}}

    def test_unclosed_list(self, tmp_path):
        yaml_file(tmp_path, "2080_falun.yaml", 'kommun: "2080"\nfocus_areas: [Rån\n')
        e = fails(load_config, "2080", KOMMUNER, tmp_path)
        assert e.row is not None

    def test_file_name_and_code_mismatch(self, tmp_path):
        p = yaml_file(tmp_path, "2080_falun.yaml", 'kommun: "2081"\n')
        e = fails(load_config, "2080", KOMMUNER, tmp_path)
        assert (e.file, e.column) == (str(p), "kommun")
        assert "'2081'" in e.problem and "2080" in e.problem

    def test_kommun_key_missing(self, tmp_path):
        yaml_file(tmp_path, "2080_falun.yaml", "name: Falun\n")
        e = fails(load_config, "2080", KOMMUNER, tmp_path)
        assert e.column == "kommun"
        assert 'kommun: "2080"' in e.fix

    @pytest.mark.parametrize("text", ["", "- Falun\n", "Falun\n"])
    def test_not_a_mapping(self, tmp_path, text):
        yaml_file(tmp_path, "2080_falun.yaml", text)
        e = fails(load_config, "2080", KOMMUNER, tmp_path)
        assert "key: value" in e.problem

    def test_empty_name(self, tmp_path):
        yaml_file(tmp_path, "2080_falun.yaml", 'kommun: "2080"\nname: ""\n')
        assert fails(load_config, "2080", KOMMUNER, tmp_path).column == "name"

    def test_unknown_report(self, tmp_path):
        yaml_file(tmp_path, "2080_falun.yaml", 'kommun: "2080"\nreports:\n  brottsutveckling:\n    alpha: 0.1\n')
        e = fails(load_config, "2080", KOMMUNER, tmp_path)
        assert e.column == "reports.brottsutveckling"
        assert "use the name of a report: lagesbild, crime_trends, place_assessment" in e.fix  # the registry's names

    def test_value_checks_are_keyed_by_registered_reports(self):
        from lagesbild.core.reports import BY_NAME

        assert set(params.VALUE_CHECKS) == {"place_assessment", "project_evaluation"} <= set(BY_NAME)

    def test_reports_not_a_mapping(self, tmp_path):
        yaml_file(tmp_path, "2080_falun.yaml", 'kommun: "2080"\nreports: [crime_trends]\n')
        assert fails(load_config, "2080", KOMMUNER, tmp_path).column == "reports"

    def test_latin1_file(self, tmp_path):
        (tmp_path / "2080_falun.yaml").write_bytes('kommun: "2080"\nfocus_areas: [Våld]\n'.encode("latin-1"))
        e = fails(load_config, "2080", KOMMUNER, tmp_path)
        assert "UTF-8" in e.problem

    def test_bad_code_asked_for(self, tmp_path):
        e = fails(load_config, "114", KOMMUNER, tmp_path)
        assert (e.file, e.column) == ("--kommun", "--kommun")


class TestCheckType:
    @pytest.mark.parametrize(("value", "type_name", "ok"), [
        ("Falun", "str", True),
        (2080, "str", False),
        (["Rån", "Stöld"], "list[str]", True),
        ([], "list[str]", True),
        ("Rån", "list[str]", False),
        (["Rån", 1], "list[str]", False),
        (("Rån",), "list[str]", False),
        (0.05, "float", True),
        (1, "float", True),  # YAML writes 1.0 as 1 when a user types "1"
        (True, "float", False),
        ("0.05", "float", False),
        (6, "int", True),
        (6.0, "int", False),
        (True, "int", False),
        (False, "bool", True),
        (None, "Optional[int]", True),
        ("x", "Optional[int]", False),
        (None, "str | None", True),
        ({"a": 1}, "dict", True),
        ("anything", "None", True),  # papermill's type for an unannotated parameter
        ("anything", "", True),
    ])
    def test_cases(self, value, type_name, ok):
        assert check_type(value, type_name) is ok


class TestBuildParameters:
    def test_common_keys_data_dir_and_report_entries(self, tmp_path):
        cfg = config(focus_areas=["Rån"], peers=["2081"], reports={"crime_trends": {"alpha": 0.1, "top_n": 3}})
        values = build_parameters("crime_trends", cfg, tmp_path / "data", declared=DECLARED)
        assert values == {"kommun": "2080", "data_dir": str((tmp_path / "data").resolve()), "focus_areas": ["Rån"],
                          "peers": ["2081"], "alpha": 0.1, "top_n": 3}

    def test_reports_dir_goes_only_to_a_notebook_that_declares_it(self, tmp_path):
        summary = {"kommun": {"type": "str"}, "data_dir": {"type": "str"}, "reports_dir": {"type": "str"}}
        values = build_parameters("lagesbild", config(), tmp_path, declared=summary, reports_dir=tmp_path / "out")
        assert values["reports_dir"] == str((tmp_path / "out").resolve())
        assert "reports_dir" not in build_parameters("crime_trends", config(), tmp_path, declared=DECLARED,
                                                     reports_dir=tmp_path / "out")

    @pytest.mark.parametrize("key", ["kommun", "data_dir", "reports_dir"])
    def test_a_yaml_cannot_set_what_the_run_decides(self, tmp_path, key):
        summary = {"kommun": {"type": "str"}, "data_dir": {"type": "str"}, "reports_dir": {"type": "str"}}
        e = fails(build_parameters, "lagesbild", config(reports={"lagesbild": {key: "x"}}), tmp_path,
                  declared=summary, reports_dir=tmp_path)
        assert e.column == f"reports.lagesbild.{key}" and "--out" in e.fix

    def test_entries_of_other_reports_are_not_passed(self, tmp_path):
        cfg = config(reports={"other_report": {"x": 1}})
        values = build_parameters("crime_trends", cfg, tmp_path, declared=DECLARED)
        assert "x" not in values

    def test_common_keys_only_when_declared(self, tmp_path):
        values = build_parameters("crime_trends", config(focus_areas=["Rån"]), tmp_path,
                                  declared={"kommun": {"type": "str"}, "data_dir": {"type": "str"}})
        assert set(values) == {"kommun", "data_dir"}

    def test_unknown_report_parameter(self, tmp_path):
        cfg = config(reports={"crime_trends": {"alfa": 0.1}})
        e = fails(build_parameters, "crime_trends", cfg, tmp_path, declared=DECLARED)
        assert (e.file, e.column) == ("2080_falun.yaml", "reports.crime_trends.alfa")
        assert "'alfa'" in e.problem
        assert "alpha" in e.fix

    def test_error_names_the_yaml_by_its_path(self, tmp_path):
        # With --params DIR the analyst sees which folder's file is wrong, as for the errors of load_config.
        p = yaml_file(tmp_path / "mina_parametrar", "2080_falun.yaml",
                      'kommun: "2080"\nreports:\n  crime_trends:\n    alfa: 0.1\n')
        cfg = load_config("2080", KOMMUNER, tmp_path / "mina_parametrar")
        assert cfg.source == "2080_falun.yaml" and cfg.path == str(p)
        e = fails(build_parameters, "crime_trends", cfg, tmp_path, declared=DECLARED)
        assert (e.file, e.column) == (str(p), "reports.crime_trends.alfa")

    def test_int_where_str(self, tmp_path):
        cfg = config(reports={"crime_trends": {"title": 2024}})
        e = fails(build_parameters, "crime_trends", cfg, tmp_path, declared=DECLARED)
        assert e.column == "title"
        assert "str" in e.problem

    def test_str_where_list_of_str(self, tmp_path):
        cfg = config(reports={"crime_trends": {"categories": "Rån"}})
        e = fails(build_parameters, "crime_trends", cfg, tmp_path, declared=DECLARED)
        assert e.column == "categories"
        assert "list[str]" in e.problem

    def test_text_where_float(self, tmp_path):
        cfg = config(reports={"crime_trends": {"alpha": "0,05"}})
        e = fails(build_parameters, "crime_trends", cfg, tmp_path, declared=DECLARED)
        assert e.column == "alpha"

    def test_kommun_without_yaml_is_named_in_error(self, tmp_path):
        cfg = config(source="standardvärden från kommuntabellen", reports={"crime_trends": {"top_n": "3"}})
        e = fails(build_parameters, "crime_trends", cfg, tmp_path, declared=DECLARED)
        assert e.file == "parameters for 2080"

    def test_notebook_without_data_dir(self, tmp_path):
        e = fails(build_parameters, "crime_trends", config(), tmp_path, declared={"kommun": {"type": "str"}})
        assert e.column == "data_dir"
        assert e.file.endswith("crime_trends.ipynb")

    def test_real_notebook_defaults(self, tmp_path, crime_trends_parameters):
        values = build_parameters("crime_trends", config(), tmp_path, declared=crime_trends_parameters)
        assert values == {"kommun": "2080", "data_dir": str(tmp_path.resolve()), "focus_areas": [], "peers": []}

    def test_report_entry_cannot_change_the_kommun(self, tmp_path):
        cfg = config(reports={"crime_trends": {"kommun": "2081"}})
        with pytest.raises(ParamsError):
            build_parameters("crime_trends", cfg, tmp_path, declared=DECLARED)


TILES = "https://karta.example-kommun.se/tiles/{z}/{x}/{y}.png"
BASEMAP_YAML = f'kommun: "2080"\nbasemap:\n  url: "{TILES}"\n  attribution: "© Falu kommun"\n'
#: The map reports' declared parameters, as far as the basemap is concerned.
MAP_DECLARED = {"kommun": {"type": "str"}, "data_dir": {"type": "str"}, "basemap_url": {"type": "str"},
                "basemap_attribution": {"type": "str"}}


class TestBasemap:
    def test_yaml_basemap_is_loaded(self, tmp_path):
        yaml_file(tmp_path, "2080_falun.yaml", BASEMAP_YAML)
        cfg = load_config("2080", KOMMUNER, tmp_path)
        assert cfg.basemap == {"url": TILES, "attribution": "© Falu kommun"}

    def test_off_by_default(self, tmp_path):
        yaml_file(tmp_path, "2080_falun.yaml", 'kommun: "2080"\n')
        assert load_config("2080", KOMMUNER, tmp_path).basemap is None
        assert load_config("2081", KOMMUNER, tmp_path).basemap is None  # no YAML at all

    @pytest.mark.parametrize(("body", "column", "problem"), [
        ("basemap: https://karta.se/{z}/{x}/{y}.png\n", "basemap", "must hold url and attribution"),
        (f'basemap:\n  url: "{TILES}"\n  attribution: "© X"\n  layers: [a]\n', "basemap.layers", "unknown key 'layers'"),
        ('basemap:\n  attribution: "© X"\n', "basemap.url", "no url"),
        (f'basemap:\n  url: "{TILES}"\n', "basemap.attribution", "no attribution"),
        (f'basemap:\n  url: "{TILES}"\n  attribution: ""\n', "basemap.attribution", "needs an attribution"),
        ('basemap:\n  url: "http://karta.se/{z}/{x}/{y}.png"\n  attribution: "© X"\n', "basemap.url", "not https"),
        ('basemap:\n  url: "https://karta.se/{z}/{y}.png"\n  attribution: "© X"\n', "basemap.url", "no '{x}'"),
        ('basemap:\n  url: "https://karta.se/{z}/{x}/{y}/{x}.png"\n  attribution: "© X"\n', "basemap.url",
         "more than once"),
        ('basemap:\n  url: "https://{s}.karta.se/{z}/{x}/{y}.png"\n  attribution: "© X"\n', "basemap.url",
         "not a plain host name"),
        ('basemap:\n  url: "https://user:pw@karta.se/{z}/{x}/{y}.png"\n  attribution: "© X"\n', "basemap.url",
         "not a plain host name"),
        ("basemap:\n  url: \"https://karta.se/{z}/{x}/{y}.png'+alert(1)+'\"\n  attribution: \"© X\"\n", "basemap.url",
         "quote"),
        ('basemap:\n  url: "https://karta.se/{z}/{x}/{y}.png?v={v}"\n  attribution: "© X"\n', "basemap.url",
         "placeholder '{v}'"),
        ("basemap:\n  url: 42\n  attribution: \"© X\"\n", "basemap.url", "non-empty text"),
    ])
    def test_bad_basemap_names_file_and_key(self, tmp_path, body, column, problem):
        p = yaml_file(tmp_path, "2080_falun.yaml", 'kommun: "2080"\n' + body)
        e = fails(load_config, "2080", KOMMUNER, tmp_path)
        assert (e.file, e.column) == (str(p), column)
        assert problem in e.problem

    def test_goes_only_to_notebooks_that_declare_it(self, tmp_path, crime_trends_parameters):
        cfg = config(basemap={"url": TILES, "attribution": "© Falu kommun"})
        values = build_parameters("place_assessment", cfg, tmp_path, declared=MAP_DECLARED)
        assert (values["basemap_url"], values["basemap_attribution"]) == (TILES, "© Falu kommun")
        assert not {"basemap_url", "basemap_attribution"} & set(
            build_parameters("crime_trends", cfg, tmp_path, declared=crime_trends_parameters))
        assert "basemap_url" not in build_parameters("place_assessment", config(), tmp_path, declared=MAP_DECLARED)

    @pytest.mark.parametrize("report", ["place_assessment", "project_evaluation"])
    def test_the_map_reports_declare_it_as_text(self, tmp_path, report):
        declared = params.notebook_parameters(report)
        assert declared["basemap_url"]["type"] == declared["basemap_attribution"]["type"] == "str"
        assert declared["basemap_url"]["default"] == declared["basemap_attribution"]["default"] == '""'
        cfg = config(basemap={"url": TILES, "attribution": "© Falu kommun"})
        assert build_parameters(report, cfg, tmp_path, declared=declared)["basemap_url"] == TILES

    def test_a_report_section_cannot_set_it(self, tmp_path):
        cfg = config(reports={"place_assessment": {"basemap_url": TILES}})
        e = fails(build_parameters, "place_assessment", cfg, tmp_path, declared=MAP_DECLARED)
        assert e.column == "reports.place_assessment.basemap_url" and "top level" in e.fix

    def test_a_bad_value_in_a_hand_made_config_is_caught(self, tmp_path):
        cfg = config(basemap={"url": "http://karta.se/{z}/{x}/{y}.png", "attribution": "© X"})
        e = fails(build_parameters, "place_assessment", cfg, tmp_path, declared=MAP_DECLARED)
        assert e.column == "basemap_url" and "https" in e.problem

    def test_notebook_parameters_are_checked(self):
        assert params.basemap_parameters("", "") is None
        basemap = params.basemap_parameters(f" {TILES} ", "© X")
        assert (basemap.url, basemap.host) == (TILES, "karta.example-kommun.se")
        e = fails(params.basemap_parameters, TILES, "")
        assert (e.file, e.column) == ("notebook parameters", "basemap_attribution")
        e = fails(params.basemap_parameters, "karta.se/{z}/{x}/{y}.png", "© X")
        assert e.column == "basemap_url" and "not https" in e.problem
        assert fails(params.basemap_parameters, "", "© X").column == "basemap_url"


class TestResolve:
    def test_default_peers_are_the_lan(self):
        cfg = params.resolve("2080", KOMMUNER)
        assert (cfg.name, cfg.lan, cfg.peers) == ("Falun", "Dalarnas län", ["2081", "2082"])

    def test_given_peers_and_focus(self):
        cfg = params.resolve("2080", KOMMUNER, focus_areas=[" Rån "], peers=["1283"])
        assert (cfg.peers, cfg.focus_areas) == (["1283"], ["Rån"])

    def test_octal_kommun(self):
        e = fails(params.resolve, 76, KOMMUNER)
        assert e.file == "parameter kommun"

    def test_bad_peer(self):
        assert fails(params.resolve, "2080", KOMMUNER, peers=["20801"]).column == "peers"


class TestShippedParams:
    """Every YAML in the repository's params/ is valid: this guards the shipped configuration."""

    SHIPPED = sorted(PARAMS.glob("*.y*ml"))

    def test_there_are_shipped_files(self):
        assert len(self.SHIPPED) >= 1

    def test_file_names(self):
        assert sorted(params_files(PARAMS).values()) == self.SHIPPED

    @pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
    def test_loads_and_builds_parameters(self, path, real_kommuner, crime_trends_parameters, tmp_path):
        code = path.name[:4]
        cfg = load_config(code, real_kommuner, PARAMS)
        assert cfg.source == path.name
        for report in ["crime_trends", *cfg.reports]:
            declared = crime_trends_parameters if report == "crime_trends" else params.notebook_parameters(report)
            assert build_parameters(report, cfg, tmp_path, declared=declared)["kommun"] == code


# --- notebook parameters cells ---------------------------------------------------------------

#: ``name: type = value`` or ``name = value`` at the start of a line (not ``==``).
_ASSIGNMENT = re.compile(r"^([A-Za-z_]\w*)\s*(?::[^=]*)?=(?!=)")


def assigned_names(notebook: Path) -> list[str]:
    """Names assigned in the notebook's cell tagged ``parameters``, read line by line."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(cells) == 1, f"{notebook.name}: expected one cell tagged 'parameters', found {len(cells)}"
    source = "".join(cells[0]["source"]) if isinstance(cells[0]["source"], list) else cells[0]["source"]
    return [m.group(1) for line in source.splitlines() if (m := _ASSIGNMENT.match(line))]


def write_notebook(path: Path, parameters_source: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(parameters_source, metadata={"tags": ["parameters"]})],
                                  metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(nb, path)
    return path


class TestNotebookParameters:
    def test_crime_trends_declares_the_common_parameters(self, crime_trends_parameters):
        assert {"kommun", "focus_areas", "peers", "data_dir"} <= set(crime_trends_parameters)
        assert crime_trends_parameters["kommun"]["type"] == "str"
        assert crime_trends_parameters["focus_areas"]["type"] == "list[str]"
        assert crime_trends_parameters["peers"]["type"] == "list[str]"
        assert crime_trends_parameters["data_dir"]["type"] == "str"

    @pytest.mark.parametrize("notebook", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
    def test_every_parameter_line_is_parsed_by_papermill(self, notebook):
        # papermill skips (with only a log line) a parameter line it cannot parse, e.g. one whose
        # comment holds "=": that parameter then silently keeps its default in every run.
        assert sorted(papermill.inspect_notebook(str(notebook))) == sorted(assigned_names(notebook))

    @pytest.mark.parametrize("comment", ["alpha=0.01 för strikt", "samma som a == b"])
    def test_the_check_above_catches_a_dropped_line(self, tmp_path, comment):
        nb = write_notebook(tmp_path / "t.ipynb", f'kommun: str = "2080"  # kod\nalpha: float = 0.05  # {comment}\n')
        assert assigned_names(nb) == ["kommun", "alpha"]
        assert sorted(papermill.inspect_notebook(str(nb))) == ["kommun"]

    def test_type_help_and_default_of_a_hand_made_notebook(self, tmp_path, monkeypatch):
        write_notebook(tmp_path / "liten.ipynb", 'kommun: str = "2080"  # kommunkod\ntop_n: int = 5\n')
        monkeypatch.setattr(params, "notebook_path", lambda report: tmp_path / f"{report}.ipynb")
        assert params.notebook_parameters("liten") == {
            "kommun": {"type": "str", "default": '"2080"', "help": "kommunkod"},
            "top_n": {"type": "int", "default": "5", "help": ""},
        }
