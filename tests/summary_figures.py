"""Hand-made key figures, as the four reports write them, and other fixtures of the summary's tests.

Fake, static and readable: every value is written here by hand, never copied from the code's output.
"""

from __future__ import annotations

import json

import pandas as pd

from lagesbild.stats import indicators
from lagesbild.stats.indicators import Light
from lagesbild.summary.sources import SOURCE_REPORTS

NAN = float("nan")


def indicator(name="Bilbrott", year=2024, count=150, rate=250.0, rate_lan=226.0, rate_riket=383.0, prev_count=200,
              prev_rate=339.0, ratio=0.74, change_p=0.005, change_detectable=True, trend_pct=5.8, trend_p=0.32,
              trend_detectable=False, **extra) -> dict:
    return {"indicator": name, "year": year, "previous_year": year - 1, "count": count, "previous_count": prev_count,
            "rate": rate, "previous_rate": prev_rate, "rate_lan": rate_lan, "rate_riket": rate_riket,
            "set": "kommunindikatorer", "preliminary": False, "dispersion": {"tau2": 0.005},
            "change": {"rate_ratio": ratio, "ci_low": None, "ci_high": None, "p_value": change_p,
                       "detectable": change_detectable, "too_few": False},
            "trend": {"first_year": 2017, "last_year": year, "annual_change_pct": trend_pct, "ci_low_pct": None,
                      "ci_high_pct": None, "p_value": trend_p, "detectable": trend_detectable, "too_few": False},
            **extra}


def crime_figures(**kw) -> dict:
    out = {"title": "Brottsutvecklingen i Falun", "kommun": "2080", "name": "Falun", "lan": "Dalarnas län",
           "bra_available": True, "bra_latest_year": 2024, "detectable_increases": [], "detectable_decreases": ["Bilbrott"],
           "focus_areas": {}, "indicators": [indicator()], "events_last_12_months": 129, "events_period_end": "2025-12"}
    out.update(kw)
    return out


def place_figures(**kw) -> dict:
    out = {"title": "Platsbedömning i Falun", "kommun": "2080", "name": "Falun", "lan": "Dalarnas län",
           "place_data": True, "example_data": False, "places": 8, "places_assessed": 6,
           "period": ["2024-01", "2025-12"], "hot_spot_cells": 3, "hot_spot_places": ["Torget", "Parken"],
           "priority": ["Torget", "Parken", "Stråket", "Tunneln"], "gini": 0.5, "districts_counted": []}
    out.update(kw)
    return out


def wastewater_figures(**kw) -> dict:
    out = {"title": "Narkotika i avloppsvatten – Falun", "kommun": "2080", "name": "Falun", "lan": "Dalarnas län",
           "own_measurements": True, "example_data": False, "sites": ["x"], "euda_sites": [],
           "latest": [{"substance": "Amfetamin", "year": 2025, "daily_mean": 256.4, "percentile_europe": 91.2},
                      {"substance": "Kokain", "year": 2025, "daily_mean": 100.3, "percentile_europe": 29.7}]}
    out.update(kw)
    return out


def project_figures(**kw) -> dict:
    out = {"title": "Utvärdering", "kommun": "2080", "name": "Falun", "lan": "Dalarnas län", "example_data": False,
           "projects": [{"id": "P1", "name": "Trygg park", "wdd_estimate": -12.0, "wdd_ci": [-20.5, -3.5],
                         "detectable": True}],
           "commitments": {"uppfyllt": 2, "delvis uppfyllt": 0, "ej uppfyllt": 1, "kan ej bedömas": 0}}
    out.update(kw)
    return out


FIGURES = {"crime_trends": crime_figures, "place_assessment": place_figures, "wastewater": wastewater_figures,
           "project_evaluation": project_figures}


def document(report_name: str, figures: dict | None = None, kommun: str = "2080",
             generated: str = "2026-01-10T08:00:00+00:00") -> dict:
    return {"kommun": kommun, "name": "Falun", "lan": "Dalarnas län", "report": report_name, "generated": generated,
            "lagesbild_version": "0.1.0", "git_commit": "abc", "parameters": {"kommun": kommun, "data_dir": "data"},
            "params_source": "2080_falun.yaml",
            "key_figures": FIGURES[report_name]() if figures is None else figures}


def write_reports(folder, kommun="2080", reports=tuple(SOURCE_REPORTS), **figures):
    (folder / kommun).mkdir(parents=True, exist_ok=True)
    for name in reports:
        doc = document(name, figures.get(name), kommun=kommun)
        (folder / kommun / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder


def light(status, comparison=indicators.LAN, p=0.01, estimate=1.5, higher_is_worse=True,
          method=indicators.FUNNEL) -> Light:
    """A hand-made traffic light (codes, as lagesbild.stats.indicators returns them)."""
    if status == indicators.MISSING:
        return indicators.missing_light(comparison)
    return Light(status, higher_is_worse, comparison, estimate, estimate - 0.1, estimate + 0.1, p, 0.05, "ratio", method)


def key_table(rows: list[dict]) -> pd.DataFrame:
    """A hand-made key-indicator table (the shape of indicators.indicator_table)."""
    out = []
    for r in rows:
        out.append({"source": r.get("source", indicators.CRIME), "theme": r.get("theme", ""),
                    "indicator": r["indicator"], "year": r.get("year", 2024), "value": r.get("value", 100.0),
                    "unit": "", "value_lan": r.get("value_lan", 80.0), "value_riket": r.get("value_riket", 90.0),
                    "higher_is_worse": True, "lan": r.get("lan", light(indicators.UNCLEAR)),
                    "riket": r.get("riket", light(indicators.UNCLEAR, indicators.RIKET)), "note": ""})
    return pd.DataFrame(out)


class Cfg:
    kommun, name, lan, lan_kod = "2080", "Falun", "Dalarnas län", "20"


def ntu_latest() -> pd.DataFrame:
    return pd.DataFrame([
        {"theme": "utsatthet", "theme_label": "Utsatthet för brott", "indicator": "x", "label": "Misshandel",
         "year": 2024, "survey_year": 2025, "share": 2.4, "ci_low": 1.5, "ci_high": 3.6, "respondents": 465.0,
         "share_lan": 2.07, "ci_low_lan": 1.5, "ci_high_lan": 2.8, "respondents_lan": 1969.0, "share_riket": NAN,
         "ci_low_riket": NAN, "ci_high_riket": NAN, "respondents_riket": NAN},
        {"theme": "otrygghet", "theme_label": "Otrygghet", "indicator": "y", "label": "Otrygg ute sent", "year": 2025,
         "survey_year": 2025, "share": 30.0, "ci_low": 26.0, "ci_high": 34.0, "respondents": NAN, "share_lan": 21.2,
         "ci_low_lan": 19.3, "ci_high_lan": 23.2, "respondents_lan": 1969.0, "share_riket": 25.0,
         "ci_low_riket": 24.6, "ci_high_riket": 25.4, "respondents_riket": 64751.0},
    ])


HEADER = "kommun;problem;aktivitet;uppfoljning;mal;ansvar"


def plan_csv(tmp_path, *lines: str, header: str = HEADER, name: str = "atgardsplan.csv"):
    p = tmp_path / name
    p.write_text(header + "\n" + "".join(line + "\n" for line in lines), encoding="utf-8")
    return p
