"""Tests of lagesbild.projects.text: the texts, verdicts and tables of the project evaluation report.

Expected numbers are worked out by hand in the comments (z_0.975 = 1,959964, z_0.95 = 1,644854),
counts on the example data are recounted here with geopandas, and the statistics are compared with
:mod:`lagesbild.stats.effects` (and the E-test with ``scipy.stats.poisson_means_test``) called
directly. The ``small_counts`` rule that the lead is adding to :func:`evaluate_project` is not
tested here.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from helpers import raises_input_error
from scipy.stats import norm, poisson_means_test

from lagesbild.core import fmt, privacy
from lagesbild.core.errors import ParamsError
from lagesbild.core.paths import PROJ_ROOT
from lagesbild.places import analysis as place
from lagesbild.places import data as placedata
from lagesbild.places import factors
from lagesbild.projects import data as projects
from lagesbild.projects import text as er
from lagesbild.stats import commitments as cm
from lagesbild.stats import effects as ev
from lagesbild.stats import surveys as sv
from lagesbild.stats import treated as tr

M = fmt.MINUS  # "−"
S = fmt.NBSP  # non-breaking space (thousands separator, before "%")


def _sp(text: str) -> str:
    """The text with a non-breaking space before "%" written as an ordinary one (see the xfail below)."""
    return text.replace(f"{S}%", " %")


# ============================================================================================
# project_folder, check_buffer, source lines
# ============================================================================================


def test_project_folder_empty_gives_the_example(tmp_path):
    assert er.project_folder("") == er.EXAMPLE_PROJECTS
    assert er.project_folder("   ") == er.EXAMPLE_PROJECTS
    assert er.EXAMPLE_PROJECTS.is_dir() and (er.EXAMPLE_PROJECTS / "projekt.csv").is_file()


def test_project_folder_relative_absolute_and_home(tmp_path):
    assert er.project_folder("indata/projekt") == PROJ_ROOT / "indata" / "projekt"
    assert er.project_folder("  indata/projekt  ") == PROJ_ROOT / "indata" / "projekt"
    assert er.project_folder(str(tmp_path)) == tmp_path
    assert er.project_folder("~/projekt") == Path.home() / "projekt"


@pytest.mark.parametrize("value", [1, 2000, 1.0, 250, 250.5, 1999.9, np.float64(300.0)])
def test_check_buffer_accepts_1_to_2000(value):
    assert er.check_buffer(value) is None


@pytest.mark.parametrize("value", [0, 0.99, -250, 2000.5, 2001, float("nan"), float("inf"), True, False, "250",
                                   None, [250]])
def test_check_buffer_rejects_with_params_error_naming_buffer_m(value):
    err = raises_input_error(er.check_buffer, value, kind=ParamsError)
    assert err.column == "buffer_m"
    assert err.file == "notebook parameters"
    assert "buffer_m" in str(err) and "1–2000" in str(err)


def test_check_buffer_names_where():
    err = raises_input_error(er.check_buffer, 5000, where="params/helsingborg.yaml", kind=ParamsError)
    assert err.file == "params/helsingborg.yaml" and err.column == "buffer_m"
    assert "5000" in err.problem


def test_source_lines():
    assert er.source_text(None, er.EXAMPLE_PROJECTS) == "Projekt- och åtagandereg. saknas"
    assert (er.source_text(SimpleNamespace(example=True, source="x"), er.EXAMPLE_PROJECTS)
            == "Projekt- och åtagandeuppgifter (påhittade exempeldata, projects)")
    assert (er.source_text(SimpleNamespace(example=False, source=""), "/a/mina_projekt")
            == "Projekt- och åtagandeuppgifter (kommunens egna register, mina_projekt)")
    assert (er.source_text(SimpleNamespace(example=False, source="Stadens register"), "/a/p")
            == "Projekt- och åtagandeuppgifter (Stadens register, p)")
    assert er.events_source(None) == "Ingen händelselogg"
    assert (er.events_source(SimpleNamespace(example=True, source=""))
            == "Händelselogg och medborgarrapporter (påhittade exempeldata)")
    assert (er.events_source(SimpleNamespace(example=False, source=""))
            == "Händelselogg och medborgarrapporter (kommunens egna uppgifter)")
    assert er.inspections_source(None) == "Inga besiktningar"
    assert (er.inspections_source(SimpleNamespace(example=False, source="Besiktningsprotokoll"))
            == "Besiktningar och trygghetsvandringar (Besiktningsprotokoll)")


# ============================================================================================
# wdd_text
# ============================================================================================

_CHANCE = "Skillnaden kan bero på slumpen: intervallet rymmer både en minskning och ingen effekt alls."
_SURE = "Skillnaden är statistiskt säkerställd."
_LEAD = "Jämfört med utvecklingen i kontrollområdet blev det "


def test_wdd_text_detectable_reduction_hand_computed_interval():
    # treated 30 → 10, control 30 → 30: estimate (10 − 30) − (30 − 30) = −20, variance 30+10+30+30 = 100,
    # se 10, z = −2 (p = 0,0455 < 0,05); 95 % CI −20 ± 1,959964·10 = −39,5996 … −0,4004.
    res = ev.wdd((30, 10), (30, 30))
    assert res.estimate == -20 and res.se == 10
    assert res.ci_low == pytest.approx(-39.59964, abs=1e-4) and res.ci_high == pytest.approx(-0.40036, abs=1e-4)
    # −0,4 would print as a whole-number 0 next to "säkerställd": the interval gets one decimal instead
    assert er.wdd_text(res) == (f"{_LEAD}20 händelser färre i det behandlade området än väntat "
                                f"(95{S}% konfidensintervall {M}39,6 till {M}0,4). {_SURE}")


def test_wdd_text_level_follows_alpha():
    # alpha 0,10: −20 ± 1,644854·10 = −36,45 … −3,55
    text = er.wdd_text(ev.wdd((30, 10), (30, 30), alpha=0.1))
    assert f"(90{S}% konfidensintervall {M}36 till {M}4)" in text


def test_wdd_text_detectable_increase():
    # treated 10 → 40, control 30 → 30: +30, variance 110, se 10,4881; 30 ± 20,5563 = 9,44 … 50,56
    res = ev.wdd((10, 40), (30, 30))
    assert res.detectable
    assert er.wdd_text(res) == (f"{_LEAD}30 händelser fler i det behandlade området än väntat "
                                f"(95{S}% konfidensintervall 9 till 51). {_SURE}")


def test_wdd_text_zero_not_detectable():
    # treated 13 → 17, control 10 → 14: 4 − 4 = 0, variance 54, se 7,3485; 0 ± 14,4027
    res = ev.wdd((13, 17), (10, 14))
    assert er.wdd_text(res) == (f"{_LEAD}lika många händelser i det behandlade området som väntat "
                                f"(95{S}% konfidensintervall {M}14 till 14). {_CHANCE}")


@pytest.mark.parametrize("treated, words, interval", [
    # +1, variance 41, se 6,4031; 1 ± 12,5499 = −11,55 … 13,55
    ((10, 11), "1 händelse fler i det behandlade området än väntat", f"{M}12 till 14"),
    # −1 ± 12,5499 = −13,55 … 11,55
    ((11, 10), "1 händelse färre i det behandlade området än väntat", f"{M}14 till 12"),
])
def test_wdd_text_singular(treated, words, interval):
    text = er.wdd_text(ev.wdd(treated, (10, 10)))
    assert text == f"{_LEAD}{words} (95{S}% konfidensintervall {interval}). {_CHANCE}"
    assert "1 händelser" not in text


def test_wdd_text_rounded_estimate_decides_zero_and_singular():
    # per year with two years before and one after: treated 41/2 → 20 = −0,5 per year, control 40/2 → 20 = 0
    text = er.wdd_text(ev.wdd((41, 20), (40, 20), time_weights=(2, 1)))
    assert "1 händelse färre" in text  # 0,5 rounds away from zero to 1 (singular)
    # an estimate that prints as 0 (a plain result: with whole counts and no weights it cannot be ±0,4)
    fake = SimpleNamespace(alpha=0.05, estimate=-0.4, ci_low=-10.0, ci_high=9.2, too_few=False, detectable=False)
    assert "lika många händelser i det behandlade området som väntat" in er.wdd_text(fake)


def test_wdd_text_not_detectable_without_interval_around_zero():
    # Only reachable when p is not below alpha but the interval does not straddle 0 (e.g. at its edge).
    fake = SimpleNamespace(alpha=0.05, estimate=5.0, ci_low=0.0, ci_high=10.0, too_few=False, detectable=False)
    assert er.wdd_text(fake).endswith("(95\u00a0% konfidensintervall 0 till 10). Skillnaden är inte statistiskt "
                                      "säkerställd.")


def test_wdd_text_too_few():
    # treated 4 → 3 (7 < 10 events), control 30 → 30: −1, variance 67, se 8,1854; −1 ± 16,0430
    assert er.wdd_text(ev.wdd((4, 3), (30, 30))) == (
        "Det behandlade området har för få händelser för att effekten ska gå att bedöma "
        f"(skattning {M}1, 95{S}% konfidensintervall {M}17 till 15).")
    # an increase is signed with "+"
    assert f"(skattning +1, 95{S}% konfidensintervall {M}15 till 17)" in er.wdd_text(ev.wdd((3, 4), (30, 30)))


def test_wdd_text_too_few_signs_a_half():
    # per year: treated 3/2 → 2 = +0,5, control 4/2 → 2 = 0: estimate +0,5, printed "+1"
    res = ev.wdd((3, 2), (4, 2), time_weights=(2, 1))
    assert res.estimate == 0.5 and res.too_few
    assert "(skattning +1," in er.wdd_text(res)


# ============================================================================================
# treated_text, wdq_text, rtm_text
# ============================================================================================


def test_treated_text_detectable_decrease():
    assert poisson_means_test(20, 1, 40, 1).pvalue < 0.05  # 40 → 20 is a detectable decrease (p ≈ 0,01)
    assert _sp(er.treated_text(tr.treated_only(40, 20))) == (
        f"I det behandlade området minskade händelserna (40 före och 20 efter, {M}50 % per år räknat). "
        "Förändringen är statistiskt säkerställd (E-test), men utan jämförelse säger den inte om projektet var "
        "orsaken.")


def test_treated_text_not_detectable_increase_and_per_year():
    assert poisson_means_test(12, 1, 10, 1).pvalue >= 0.05
    assert _sp(er.treated_text(tr.treated_only(10, 12))) == (
        "I det behandlade området ökade händelserna (10 före och 12 efter, +20 % per år räknat). "
        "Förändringen är inte statistiskt säkerställd (E-test).")
    # 30 in two years (15 per year) against 10 in one year: −33,3 % per year; E-test p ≈ 0,23
    assert poisson_means_test(10, 1, 30, 2).pvalue >= 0.05
    text = _sp(er.treated_text(tr.treated_only(30, 10, years_before=2, years_after=1)))
    assert text.startswith(f"I det behandlade området minskade händelserna (30 före och 10 efter, {M}33 % per år räknat).")


def test_treated_text_percent_sign_after_non_breaking_space():
    assert f"{M}50{S}% per år" in er.treated_text(tr.treated_only(40, 20))


def test_treated_text_too_few_masks_small_counts():
    assert er.treated_text(tr.treated_only(4, 1)) == (
        "I det behandlade området är händelserna för få (4 före, färre än 3 efter) för att säga något om "
        "förändringen.")
    assert "(0 före, färre än 3 efter)" in er.treated_text(tr.treated_only(0, 2))


def test_treated_text_unchanged_is_grammatical():
    text = er.treated_text(tr.treated_only(10, 10))
    assert "var oförändrade händelserna" not in text
    assert "oförändrade" in text


def test_wdq_text_readable():
    # R 120 → 80, C 100 → 110, D 60 → 50: success 80/110 − 1,2 = −52/110, displacement 50/110 − 0,6 = −16/110,
    # WDQ = 16/52 = 0,3077 (diffusion); TNE = (120·1,1 − 80) + (60·1,1 − 50) = 52 + 16 = 68
    res = ev.wdq((120, 80), (100, 110), (60, 50))
    assert er.wdq_text(res) == (
        "Förskjutningskvoten (WDQ) är 0,31: spridning av vinster (diffusion) till närområdet, högst lika stor som "
        "den direkta effekten. Den totala nettoeffekten är +68,0 händelser (positivt betyder färre händelser; "
        "kvoten enligt Bowers & Johnson 2003, nettoeffekten enligt Guerette 2009). Kvoten har inget "
        "konfidensintervall: läs den som en beskrivning.")


def test_wdq_text_negative_quotient_and_net_effect():
    # R 13 → 17, C 10 → 14, D 19 → 15, DC 11 → 6: success 17/14 − 1,3 = −0,085714, displacement 15/6 − 19/11
    # = 0,772727, WDQ = −9,0152; TNE = (13·1,4 − 17) + (19·6/11 − 15) = 1,2 − 4,6364 = −3,4364
    text = er.wdq_text(ev.wdq((13, 17), (10, 14), (19, 15), (11, 6)))
    assert text.startswith(f"Förskjutningskvoten (WDQ) är {M}9,02: förskjutning till närområdet som är större än "
                           "den direkta effekten. Den totala nettoeffekten är " f"{M}3,4 händelser")


def test_wdq_text_not_direct_detectable():
    # success (17/14 − 13/10) = −12/140, displacement 15/14 − 19/10 = −116/140: WDQ = 116/12 = 9,667
    text = er.wdq_text(ev.wdq((13, 17), (10, 14), (19, 15)), direct_detectable=False)
    assert text == ("Förskjutningskvoten (WDQ) tolkas inte: det finns ingen säkerställd direkt effekt i det behandlade "
                    "området, så en kvot (9,67) mellan närområdets och områdets förändring beskriver mest "
                    "slumpvariation.")


@pytest.mark.parametrize("detectable", [True, False])
def test_wdq_text_not_computable_and_no_success(detectable):
    zero = ev.wdq((10, 5), (0, 5), (3, 3))
    assert zero.reading == "not_computable"
    assert er.wdq_text(zero, direct_detectable=detectable) == (
        "Förskjutningskvoten (WDQ) går inte att läsa: kan inte beräknas: kontrollområdet har 0 brott i någon period.")
    up = ev.wdq((10, 20), (10, 10), (5, 5))  # success 2 − 1 = +1: no direct effect, WDQ NaN
    assert math.isnan(up.wdq)
    assert er.wdq_text(up, direct_detectable=detectable) == (
        "Förskjutningskvoten (WDQ) går inte att läsa: " + er.WDQ_READINGS["no_success"][0].lower()
        + er.WDQ_READINGS["no_success"][1:])


def test_rtm_text():
    assert er.rtm_text(None) is None
    assert er.rtm_text(tr.regression_to_mean(pd.Series([10, 14, 8, 10, 11]), 1)) is None  # no warning
    # earlier 10, 11, 9, 11 → mean 10,25, printed 10,3 (half away from zero); before 30
    check = tr.regression_to_mean(pd.Series([10, 11, 9, 11, 30]), 1)
    assert check.warning
    assert er.rtm_text(check) == (
        "Observera: perioden före projektet hade fler händelser än perioderna innan (medel 30,0 mot 10,3). Om platsen "
        "valdes just för att händelserna var många kan de minska av sig själva efteråt (regression mot medelvärdet); "
        "en del av en minskning kan då bero på det och inte på projektet.")


# ============================================================================================
# verdict
# ============================================================================================

_PEAK = tr.regression_to_mean(pd.Series([10, 11, 9, 10, 30]), 1)
_CALM = tr.regression_to_mean(pd.Series([10, 14, 8, 10, 11]), 1)
_CAVEAT = " Men perioden före var ovanligt hög, så en del kan vara regression mot medelvärdet."
_DECREASE = ("Siffrorna talar för att händelserna minskade mer i det behandlade området än i kontrollområdet under "
             "samma tid. Det stöder att projektet bidrog, men bevisar det inte: annat kan ha ändrats samtidigt.")
_INCREASE = ("Händelserna ökade mer i det behandlade området än i kontrollområdet. Siffrorna ger inget stöd för att "
             "projektet minskade dem; det kan finnas förklaringar utanför projektet, till exempel mer rapportering.")
_UNCLEAR = ("Det går inte att säga att projektet minskade händelserna: skillnaden mot kontrollområdet kan bero på "
            "slumpen. Det betyder inte att projektet saknade effekt, bara att underlaget inte räcker för att visa den.")


def test_verdict_without_control():
    too_few = "Det går inte att säga om projektet fungerade: underlaget har för få händelser och inget kontrollområde."
    assert er.verdict(None, None) == too_few
    assert er.verdict(None, tr.treated_only(4, 1)) == too_few
    t = tr.treated_only(40, 20)
    assert _sp(er.verdict(None, t)) == ("Utan kontrollområde går det inte att skilja projektets effekt från den "
                                        "allmänna utvecklingen. I det behandlade området minskade händelserna "
                                        f"(40 före och 20 efter, {M}50 % per år räknat). Förändringen är statistiskt säkerställd (E-test), "
                                        "men utan jämförelse säger den inte om projektet var orsaken.")


def test_verdict_too_few_wdd():
    assert er.verdict(ev.wdd((4, 3), (30, 30)), tr.treated_only(4, 3), _PEAK) == (
        "Det går inte att säga om projektet fungerade: det behandlade området har för få händelser.")


def test_verdict_detectable_decrease_with_and_without_caveat():
    w = ev.wdd((30, 10), (30, 30))
    t = tr.treated_only(30, 10)
    assert er.verdict(w, t) == _DECREASE
    assert er.verdict(w, t, _CALM) == _DECREASE
    assert er.verdict(w, t, _PEAK) == _DECREASE + _CAVEAT


def test_verdict_detectable_increase():
    w = ev.wdd((10, 40), (30, 30))
    assert er.verdict(w, tr.treated_only(10, 40)) == _INCREASE
    # a peak before the project would push towards a decrease: no caveat on an increase
    assert er.verdict(w, tr.treated_only(10, 40), _PEAK) == _INCREASE


def test_verdict_not_detectable():
    w = ev.wdd((13, 17), (10, 14))
    assert not w.detectable and not w.too_few
    assert er.verdict(w, tr.treated_only(13, 17)) == _UNCLEAR
    assert er.verdict(w, tr.treated_only(13, 17), _PEAK) == _UNCLEAR + _CAVEAT
    # a non-detectable decrease is not a success either
    w2 = ev.wdd((30, 20), (30, 30))  # −10, se √110 = 10,49: p = 0,34
    assert er.verdict(w2, tr.treated_only(30, 20)) == _UNCLEAR


# ============================================================================================
# effect_rows, counts_display, pair
# ============================================================================================


def test_effect_rows_local_only():
    # local −20, se 10: −20 ± 1,959964·10
    rows = er.effect_rows(ev.wdd((30, 10), (30, 30)))
    assert rows["label"].tolist() == ["Behandlat område"]
    assert rows.loc[0, "estimate"] == -20
    assert rows.loc[0, "ci_low"] == pytest.approx(-39.599640, abs=1e-5)
    assert rows.loc[0, "ci_high"] == pytest.approx(-0.400360, abs=1e-5)


@pytest.mark.parametrize("alpha", [0.05, 0.1])
def test_effect_rows_with_displacement(alpha):
    # T 120 → 80, C 100 → 110: local −40 − 10 = −50, var 410; D 60 → 50, DC 80 → 85: −10 − 5 = −15, var 275;
    # total −65, var 685
    z = norm.ppf(1 - alpha / 2)
    rows = er.effect_rows(ev.wdd((120, 80), (100, 110), (60, 50), (80, 85), alpha))
    assert rows["label"].tolist() == ["Behandlat område", "Närområde (förskjutning)", "Totalt (WDD)"]
    expected = [(-50, 410), (-15, 275), (-65, 685)]
    for i, (est, var) in enumerate(expected):
        assert rows.loc[i, "estimate"] == est
        assert rows.loc[i, "ci_low"] == pytest.approx(est - z * math.sqrt(var), rel=1e-12)
        assert rows.loc[i, "ci_high"] == pytest.approx(est + z * math.sqrt(var), rel=1e-12)


def _counts(rows):
    return pd.DataFrame(rows, columns=["projekt_id", "roll", "period", "kategori", "antal"])


def test_counts_display_masks_orders_and_fills():
    c = _counts([
        ("P", "kontrollförskjutning", "före", "alla", 2),  # no "efter" row: shown as 0
        ("P", "kontroll", "efter", "alla", 31),
        ("P", "kontroll", "före", "alla", 30),
        ("P", "förskjutning", "före", "alla", 0),
        ("P", "förskjutning", "efter", "alla", 3),
        ("P", "behandlat", "efter", "alla", 1),
        ("P", "behandlat", "före", "alla", 40),
        ("P", "behandlat", "före", "Skadegörelse", 39),  # categories are not the total
        ("P", "behandlat", "efter", "Skadegörelse", 1),
        ("Q", "behandlat", "före", "alla", 7),  # another project
    ])
    out = er.counts_display(c, "P")
    assert out.columns.tolist() == ["Område", "Före", "Efter"]
    assert out.values.tolist() == [
        ["Behandlat område", 40, privacy.SMALL_LABEL],
        ["Närområde (förskjutning)", 0, 3],
        ["Kontrollområde", 30, 31],
        ["Kontrollområdets närområde", privacy.SMALL_LABEL, 0],
    ]
    privacy.assert_publishable(out[["Före", "Efter"]])


def test_counts_display_missing_period_and_project():
    c = _counts([("P", "kontroll", "före", "alla", 5), ("P", "behandlat", "före", "alla", 12)])
    assert er.counts_display(c, "P").values.tolist() == [["Behandlat område", 12, 0], ["Kontrollområde", 5, 0]]
    assert er.counts_display(c, "Q").empty


def test_pair():
    c = _counts([
        ("P", "behandlat", "före", "alla", 40), ("P", "behandlat", "efter", "alla", 25),
        ("P", "behandlat", "före", "Klotter", 10), ("Q", "behandlat", "före", "alla", 99),
        ("P", "kontroll", "före", "alla", 8),
    ])
    assert er.pair(c, "P", "behandlat") == (40, 25)
    assert er.pair(c, "P", "kontroll") == (8, 0)
    assert er.pair(c, "P", "förskjutning") is None
    assert er.pair(c, "Q", "behandlat") == (99, 0)
    got = er.pair(c, "P", "behandlat")
    assert all(type(v) is int for v in got)


# ============================================================================================
# commitments_table
# ============================================================================================


def _commitment(**kw):
    base = {"atagande_id": "A", "ar": 2025, "text": "Åtagande", "agare": "kommun", "typ": "minst", "mal": np.nan,
            "enhet": "", "deadline": pd.Timestamp("2025-12-31"), "utfall": np.nan, "fore": np.nan, "efter": np.nan}
    return {**base, **kw}


AFTER_DEADLINE = pd.Timestamp("2026-01-15")


def test_commitments_table_minst_and_hogst():
    c = pd.DataFrame([
        _commitment(text="Minst 900 timmar", mal=900.0, utfall=950.0),
        _commitment(text="Minst 900 timmar (text)", mal=900.0, utfall="712,5"),  # 712,5/900 = 79 % ≥ 75 %
        _commitment(text="Minst 1 000 besök", mal=1000.0, utfall=f"1{S}234,5"),
        _commitment(text="Minst 10 saneringar", mal=10.0, utfall="7"),  # 70 % < 75 %
        _commitment(text="Högst 4 dagar", typ="högst", mal=4.0, utfall=5.0),  # 4/5 = 80 %
        _commitment(text="Minst 5 möten", mal=5.0, utfall="  "),  # not reported
    ])
    out = er.commitments_table(c, today=AFTER_DEADLINE)
    assert out.columns.tolist() == ["År", "Åtagande", "Ägare", "Status", "Skäl"]
    assert out["Status"].tolist() == ["uppfyllt", "delvis uppfyllt", "uppfyllt", "ej uppfyllt", "delvis uppfyllt",
                                      "kan ej bedömas"]
    assert out["Skäl"].tolist() == [
        "Utfallet 950 når målet (minst 900).",
        f"Utfallet 712,5 når inte målet (minst 900), men är 79{S}% av målvärdet; delvis uppfyllt kräver minst 75{S}%.",
        f"Utfallet 1{S}234,5 når målet (minst 1{S}000).",
        f"Utfallet 7 når inte målet (minst 10) och är 70{S}% av målvärdet; delvis uppfyllt kräver minst 75{S}%.",
        f"Utfallet 5 ligger över målet (högst 4), men målvärdet är 80{S}% av utfallet; delvis uppfyllt kräver minst "
        f"75{S}%.",
        "Utfall saknas, och tidsfristen (31 december 2025) har passerat.",
    ]


def test_commitments_table_ja_nej_stored_as_numbers_or_text():
    c = pd.DataFrame([
        _commitment(typ="ja/nej", utfall=1.0, text="Belysning"),
        _commitment(typ="ja/nej", utfall=0.0, text="Trygghetsvandring"),
        _commitment(typ="ja/nej", utfall=np.nan, text="Dialogmöte"),
        _commitment(typ="ja/nej", utfall=" Ja ", text="Röjning"),
        _commitment(typ="ja/nej", utfall="nej", text="Skylt"),
    ])
    out = er.commitments_table(c, today=AFTER_DEADLINE)
    assert out["Status"].tolist() == ["uppfyllt", "ej uppfyllt", "kan ej bedömas", "uppfyllt", "ej uppfyllt"]
    assert out["Skäl"].tolist()[:3] == ["Åtagandet är genomfört.", "Åtagandet är inte genomfört.",
                                        "Utfall saknas, och tidsfristen (31 december 2025) har passerat."]
    # before the deadline a "nej" is preliminary and a missing outcome is not late
    early = er.commitments_table(c, today=pd.Timestamp("2025-06-01"))
    assert early["Skäl"].tolist()[1] == ("Åtagandet är inte genomfört. Tidsfristen (31 december 2025) har inte "
                                         "passerat, så bedömningen är preliminär.")
    assert early["Skäl"].tolist()[2] == "Utfall saknas ännu; tidsfristen (31 december 2025) har inte passerat."


def test_commitments_table_minska_and_oka_by_the_e_test():
    # E-test p-values (scipy's poisson_means_test, Krishnamoorthy & Thomson): 60 → 30: 0,0015; 30 → 25: 0,51
    assert poisson_means_test(30, 1, 60, 1).pvalue < 0.05
    assert poisson_means_test(25, 1, 30, 1).pvalue > 0.05
    c = pd.DataFrame([
        _commitment(typ="minska", text="Färre misshandel", fore=60.0, efter=30.0),
        _commitment(typ="minska", text="Färre rån", fore=30.0, efter=25.0),
        _commitment(typ="minska", text="Färre klotter", fore=20.0, efter=30.0),
        _commitment(typ="minska", text="Färre stölder"),  # not reported
        _commitment(typ="öka", text="Fler anmälningar", fore=10.0, efter=40.0),
    ])
    out = er.commitments_table(c, today=AFTER_DEADLINE)
    assert out["Status"].tolist() == ["uppfyllt", "delvis uppfyllt", "ej uppfyllt", "kan ej bedömas", "uppfyllt"]
    assert out["Skäl"].tolist()[0] == (f"Antalet minskade (60 före och 30 efter, {M}50{S}%); minskningen är "
                                       "statistiskt säkerställd (p = 0,001).")
    assert out["Skäl"].tolist()[3] == ("Antal före och efter insatsen saknas, och tidsfristen (31 december 2025) "
                                       "har passerat.")
    for (_, r), got in zip(c.iterrows(), out["Skäl"], strict=True):
        before = None if math.isnan(r["fore"]) else int(r["fore"])
        after = None if math.isnan(r["efter"]) else int(r["efter"])
        direct = cm.commitment_status(r["typ"], None, None, before=before, after=after, deadline=r["deadline"],
                                      today=AFTER_DEADLINE)
        assert got == er.commitment_reason(direct)


def test_commitments_table_year_as_text_and_columns():
    c = pd.DataFrame([_commitment(ar=2024, typ="ja/nej", utfall=1.0, agare="polis"),
                      _commitment(ar=2025.0, mal=3.0, utfall=3.0)])
    out = er.commitments_table(c, today=AFTER_DEADLINE)
    assert out["År"].tolist() == ["2024", "2025"]
    assert all(isinstance(v, str) for v in out["År"])
    assert out["Ägare"].tolist() == ["polis", "kommun"]
    empty = er.commitments_table(c.iloc[:0], today=AFTER_DEADLINE)
    assert empty.empty and empty.columns.tolist() == ["År", "Åtagande", "Ägare", "Status", "Skäl"]


def test_commitments_table_on_the_loaded_example():
    # Halmstad: 950 ≥ 900 → uppfyllt; 1 of 2 saneringar = 50 % → ej uppfyllt; misshandel 48 → 35 (E-test
    # p ≈ 0,16) → delvis uppfyllt; ja/nej without outcome after the deadline → kan ej bedömas.
    assert poisson_means_test(35, 1, 48, 1).pvalue > 0.05
    data = projects.load_project_folder(er.EXAMPLE_PROJECTS, "1380")
    out = er.commitments_table(data.commitments, today=AFTER_DEADLINE)
    assert out["Status"].tolist() == ["uppfyllt", "ej uppfyllt", "delvis uppfyllt", "kan ej bedömas"]
    assert out["År"].tolist() == ["2025"] * 4
    hbg = projects.load_project_folder(er.EXAMPLE_PROJECTS, "1283").commitments
    assert hbg["utfall"].tolist() == [1.0]  # stored as 1.0 by the loader
    assert er.commitments_table(hbg, today=AFTER_DEADLINE)["Status"].tolist() == ["uppfyllt"]


# ============================================================================================
# evaluate_project on the example (Helsingborg)
# ============================================================================================


@pytest.fixture(scope="module")
def pdata():
    return placedata.load_place_data(place.EXAMPLE_PLACES, "1283")


@pytest.fixture(scope="module")
def example_row(pdata):
    proj = projects.load_project_folder(er.EXAMPLE_PROJECTS, "1283", places=pdata.places)
    assert len(proj.projects) == 1
    return proj.projects.iloc[0]


@pytest.fixture(scope="module")
def example(example_row, pdata):
    return er.evaluate_project(example_row, pdata)


def _events_xy(pdata) -> tuple[pd.DataFrame, gpd.GeoSeries]:
    """Incidents and citizen reports; events with only a plats_id at the place's representative point."""
    cols = ["tid", "plats_id", "x", "y"]
    events = pd.concat([pdata.incidents[cols], pdata.citizen_reports[cols]], ignore_index=True)
    rep = pdata.places.set_index("plats_id").geometry.representative_point()
    no_xy = events["x"].isna() | events["y"].isna()
    x = events["x"].where(~no_xy, events["plats_id"].map(pd.Series(rep.x, index=rep.index)))
    y = events["y"].where(~no_xy, events["plats_id"].map(pd.Series(rep.y, index=rep.index)))
    events = events.assign(x=x.astype(float), y=y.astype(float), from_place=no_xy & x.notna())
    return events, gpd.GeoSeries(gpd.points_from_xy(events["x"], events["y"]), crs=3006)


def _recount(pdata, areas, periods) -> dict[str, list[int]]:
    """Events per area and period: covered by the area's polygon, the first area in role order wins."""
    events, points = _events_xy(pdata)
    taken = (events["x"].isna() | events["y"].isna()).to_numpy()
    geoms = dict(zip(areas["roll"], areas.geometry, strict=True))
    out = {}
    for role in er.AREA_NAMES:
        if role not in geoms:
            continue
        inside = points.covered_by(geoms[role]).to_numpy() & ~taken
        taken = taken | inside
        out[role] = []
        for start, end in periods:
            when = ((events["tid"] >= pd.Timestamp(start))
                    & (events["tid"] < pd.Timestamp(end) + pd.Timedelta(days=1))).to_numpy()
            out[role].append(int((inside & when).sum()))
    return out


def _periods(row):
    return [(row["fore_start"], row["fore_slut"]), (row["efter_start"], row["efter_slut"])]


def test_evaluate_project_example_areas_and_pairs(example, example_row, pdata):
    r = example
    assert r.row is example_row
    assert r.areas["roll"].tolist() == ["behandlat", "förskjutning", "kontroll", "kontrollförskjutning"]
    assert r.areas.crs.to_epsg() == 3006
    by_id = pdata.places.set_index("plats_id").geometry
    geoms = dict(zip(r.areas["roll"], r.areas.geometry, strict=True))
    assert geoms["behandlat"].equals(by_id["HBG-001"]) and geoms["kontroll"].equals(by_id["HBG-006"])
    assert r.periods == {"före": (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-06-30")),
                         "efter": (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-06-30"))}
    assert r.has_events is True and r.per_year is False  # 182 against 181 days
    assert r.notes == []

    recount = _recount(pdata, r.areas, _periods(example_row))
    assert {k: tuple(v) for k, v in recount.items()} == r.pairs
    assert r.pairs["behandlat"] == (13, 17)  # as in evaluate_project's docstring
    # not vacuous: some treated events have only a plats_id and are placed at the place's point
    events, points = _events_xy(pdata)
    only_id = events["from_place"] & (events["plats_id"] == "HBG-001")
    assert only_id.sum() > 0 and points[only_id].covered_by(geoms["behandlat"]).all()
    # the counts table holds the same totals and never counts an event twice
    assert int(r.counts[r.counts["kategori"] == "alla"]["antal"].sum()) == sum(map(sum, recount.values()))


def test_evaluate_project_example_estimates(example, example_row):
    r = example
    p = r.pairs
    (t0, t1), (c0, c1), (d0, d1), (e0, e1) = (p["behandlat"], p["kontroll"], p["förskjutning"],
                                              p["kontrollförskjutning"])
    assert r.wdd == ev.wdd(p["behandlat"], p["kontroll"], p["förskjutning"], p["kontrollförskjutning"], 0.05)
    # by hand: (T1 − T0) − (C1 − C0) + (D1 − D0) − (DC1 − DC0), variance the sum of all counts
    assert r.wdd.estimate == (t1 - t0) - (c1 - c0) + (d1 - d0) - (e1 - e0)
    assert r.wdd.variance == t0 + t1 + c0 + c1 + d0 + d1 + e0 + e1
    assert r.wdd.time_weights == (1.0, 1.0)
    assert r.wdq == ev.wdq(p["behandlat"], p["kontroll"], p["förskjutning"], p["kontrollförskjutning"])
    assert r.treated == tr.treated_only(t0, t1, 0.05, years_before=182 / 365.25, years_after=181 / 365.25)
    assert r.rtm is None  # the event log starts on the first day of the before period: no earlier window


def test_evaluate_project_unequal_periods_per_year(example_row, pdata):
    row = example_row.copy()
    row["efter_slut"] = pd.Timestamp("2025-12-31")
    row["efter_dagar"] = 365
    r = er.evaluate_project(row, pdata)
    assert r.per_year is True
    recount = _recount(pdata, r.areas, _periods(row))
    assert {k: tuple(v) for k, v in recount.items()} == r.pairs
    weights = (182 / 365.25, 365 / 365.25)
    assert r.wdd.time_weights == weights
    assert r.wdd == ev.wdd(r.pairs["behandlat"], r.pairs["kontroll"], r.pairs["förskjutning"],
                           r.pairs["kontrollförskjutning"], 0.05, time_weights=weights)
    t0, t1 = r.pairs["behandlat"]
    c0, c1 = r.pairs["kontroll"]
    d0, d1 = r.pairs["förskjutning"]
    e0, e1 = r.pairs["kontrollförskjutning"]
    per_year = ((t1 / weights[1] - t0 / weights[0]) - (c1 / weights[1] - c0 / weights[0])
                + (d1 / weights[1] - d0 / weights[0]) - (e1 / weights[1] - e0 / weights[0]))
    assert r.wdd.estimate == pytest.approx(per_year, rel=1e-12)


@pytest.mark.parametrize("days_after, per_year", [(189, False), (190, True)])
def test_evaluate_project_same_length_threshold(example_row, pdata, days_after, per_year):
    # 182 days before; a difference of SAME_LENGTH_DAYS = 7 days is still "the same length"
    assert er.SAME_LENGTH_DAYS == 7
    row = example_row.copy()
    row["efter_slut"] = row["efter_start"] + pd.Timedelta(days=days_after - 1)
    row["efter_dagar"] = days_after
    r = er.evaluate_project(row, pdata)
    assert r.per_year is per_year
    assert r.wdd.time_weights == ((182 / 365.25, days_after / 365.25) if per_year else (1.0, 1.0))


def test_evaluate_project_regression_to_the_mean_windows(example_row, pdata):
    # before period 1 Oct – 31 Dec 2024 (92 days): earlier windows of 92 days from 31 Mar 2024 (the log starts
    # 1 Jan 2024, so a third window would start before it)
    row = example_row.copy()
    row["fore_start"], row["fore_slut"], row["fore_dagar"] = pd.Timestamp("2024-10-01"), pd.Timestamp("2024-12-31"), 92
    row["efter_start"], row["efter_slut"], row["efter_dagar"] = (pd.Timestamp("2025-01-01"),
                                                                 pd.Timestamp("2025-04-02"), 92)
    r = er.evaluate_project(row, pdata)
    windows = [("2024-03-31", "2024-06-30"), ("2024-07-01", "2024-09-30"), ("2024-10-01", "2024-12-31")]
    series = _recount(pdata, r.areas.iloc[:1], windows)["behandlat"]
    assert series[-1] == r.pairs["behandlat"][0]
    assert r.rtm.earlier_periods == 2 and r.rtm.before_periods == 1
    assert r.rtm == tr.regression_to_mean(pd.Series(series), 1)


def test_evaluate_project_without_control(example_row, pdata):
    row = example_row.copy()
    row["kontroll_geometri"] = None
    row["kontroll_platser"] = ""
    r = er.evaluate_project(row, pdata)
    assert r.areas["roll"].tolist() == ["behandlat", "förskjutning"]
    assert set(r.pairs) == {"behandlat", "förskjutning"}
    assert r.wdd is None and r.wdq is None
    assert r.pairs["behandlat"] == tuple(_recount(pdata, r.areas, _periods(row))["behandlat"])
    assert er.verdict(r.wdd, r.treated, r.rtm).startswith("Utan kontrollområde går det inte att skilja")


def test_evaluate_project_without_place_data(example_row):
    r = er.evaluate_project(example_row, None)
    assert r.has_events is False and r.rtm is None
    assert r.pairs == dict.fromkeys(er.AREA_NAMES, (0, 0))
    assert r.wdd.too_few and r.treated.too_few
    assert r.wdq.reading == "not_computable"


# ============================================================================================
# project_table, factor_change, survey_table
# ============================================================================================

_PROJECT = {"namn": "Trygg plats", "atgarder": ("belysning", "röjning"), "atgardstyp": "fysisk",
            "budget_sek": 1_400_000, "start": pd.Timestamp("2024-07-01"), "slut": pd.Timestamp("2024-12-31"),
            "fore_start": pd.Timestamp("2024-01-01"), "fore_slut": pd.Timestamp("2024-06-30"),
            "efter_start": pd.Timestamp("2025-01-01"), "efter_slut": pd.Timestamp("2025-06-30")}


def test_project_table():
    t = er.project_table(_PROJECT)
    assert t.columns.tolist() == ["Uppgift", "Värde"]
    assert t.values.tolist() == [
        ["Projekt", "Trygg plats"],
        ["Åtgärder", "belysning, röjning (fysisk)"],
        ["Budget", f"1{S}400{S}000 kr"],
        ["Genomförande", "1 juli 2024 – 31 december 2024"],
        ["Period före", "1 januari 2024 – 30 juni 2024"],
        ["Period efter", "1 januari 2025 – 30 juni 2025"],
    ]


def test_project_table_of_the_loaded_example_never_shows_the_comment(example_row):
    t = er.project_table(example_row)
    assert t["Värde"].tolist()[:3] == ["Trygg Drottninghög – belysning och aktivering",
                                       "belysning; beskärning; aktivering (fysisk och social)", f"1{S}400{S}000 kr"]
    assert example_row["kommentar"]
    assert not any(example_row["kommentar"] in v for v in t["Värde"])


def test_project_table_unknown_budget():
    t = er.project_table({**_PROJECT, "budget_sek": float("nan")})
    assert t.loc[2, "Värde"] == "uppgift saknas"


def _inspection(pid, day, value, **override):
    scores = dict.fromkeys(factors.FACTOR_KEYS, float(value))
    scores.update(override)
    return {"plats_id": pid, "datum": pd.Timestamp(day), "typ": "besiktning", "roll": "polis", "anteckning": "",
            **scores}


def test_factor_change_latest_round_each_side():
    start, end = pd.Timestamp("2024-07-01"), pd.Timestamp("2024-12-31")
    first = factors.FACTOR_KEYS[0]
    insp = pd.DataFrame([
        _inspection("P1", "2024-03-01", 1),
        _inspection("P1", "2024-05-01", 1), _inspection("P1", "2024-05-01", 3),  # one round: mean 2
        _inspection("P1", "2024-09-01", 5),  # during the project: neither side
        _inspection("P1", "2025-02-01", 1),
        _inspection("P1", "2025-04-01", 4),  # latest after
        _inspection("P2", "2024-06-01", 3, **{first: float("nan")}),  # not assessed: mean over the others
        _inspection("P2", "2024-07-01", 5),  # on the start day: not before
        _inspection("P2", "2025-03-01", 3),
        _inspection("P3", "2024-02-01", 2),
        _inspection("P3", "2024-12-31", 5),  # on the end day: not after
        _inspection("Q", "2024-01-10", 1), _inspection("Q", "2025-01-10", 5),  # another place
    ])
    t = er.factor_change(insp, ["P1", "P2", "P3"], start, end)
    assert t.columns.tolist() == ["Faktor", "Före", "Efter", "Förändring"]
    assert t["Faktor"].tolist() == [factors.FACTOR_NAMES[k] for k in factors.FACTOR_KEYS]
    # before: P1 2, P2 3, P3 2 → 7/3 (first factor: P1 2, P3 2 → 2); after: P1 4, P2 3 → 3,5
    before = [2.0] + [7 / 3] * (len(factors.FACTOR_KEYS) - 1)
    assert t["Före"].tolist() == pytest.approx(before)
    assert t["Efter"].tolist() == pytest.approx([3.5] * len(factors.FACTOR_KEYS))
    assert t["Förändring"].tolist() == pytest.approx([3.5 - b for b in before])


def test_factor_change_none_without_both_sides():
    start, end = pd.Timestamp("2024-07-01"), pd.Timestamp("2024-12-31")
    only_before = pd.DataFrame([_inspection("P1", "2024-03-01", 2), _inspection("P1", "2024-12-31", 4)])
    only_after = pd.DataFrame([_inspection("P1", "2024-07-01", 2), _inspection("P1", "2025-03-01", 4)])
    assert er.factor_change(only_before, ["P1"], start, end) is None
    assert er.factor_change(only_after, ["P1"], start, end) is None
    both = pd.DataFrame([_inspection("P1", "2024-03-01", 2), _inspection("P1", "2025-03-01", 4)])
    assert er.factor_change(both, ["P2"], start, end) is None
    assert er.factor_change(None, ["P1"], start, end) is None
    assert er.factor_change(both.iloc[:0], ["P1"], start, end) is None
    assert er.factor_change(both, ("P1",), start, end)["Förändring"].tolist() == [2.0] * len(factors.FACTOR_KEYS)


def test_factor_formatters():
    score, change = er.FACTOR_FORMAT["Före"], er.FACTOR_FORMAT["Förändring"]
    assert [score(None), score(float("nan")), score(2.25), score(3)] == ["–", "–", "2,3", "3,0"]
    assert [change(None), change(1.25), change(-0.5), change(0.04), change(0.0)] == ["–", "+1,3", f"{M}0,5", "0,0",
                                                                                      "0,0"]
    sch = er.SURVEY_FORMAT["Förändring"]
    assert [sch(-0.4), sch(0.5), sch(0.001), er.SURVEY_FORMAT["Före"](2.1)] == [f"{M}0,40", "+0,50", "0,00", "2,10"]


def _surveys(rows):
    return pd.DataFrame(rows, columns=["projekt_id", "index", "period", "varde", "ki_lag", "ki_hog"])


def test_survey_table_change_and_interval():
    s = _surveys([
        ("P", "Problemindex", "före", 2.1, 1.8, 2.4), ("P", "Problemindex", "efter", 1.7, 1.4, 2.0),
        ("P", "Endast före", "före", 3.0, 2.8, 3.2),  # no after: skipped
        ("P", "Trygghetsindex", "efter", 3.5, 3.4, 3.6), ("P", "Trygghetsindex", "före", 3.0, 2.9, 3.1),
        ("Q", "Problemindex", "före", 9.0, 8.0, 10.0), ("Q", "Problemindex", "efter", 1.0, 0.5, 1.5),
    ])
    t = er.survey_table(s, "P")
    assert t.columns.tolist() == ["Index", "Före", "Efter", "Förändring", "Konfidensintervall", "Säkerställd"]
    assert t["Index"].tolist() == ["Problemindex", "Trygghetsindex"]
    for i, (b, a) in enumerate([((2.1, 1.8, 2.4), (1.7, 1.4, 2.0)), ((3.0, 2.9, 3.1), (3.5, 3.4, 3.6))]):
        ch = sv.survey_change(b, a)
        assert t.loc[i, "Före"] == b[0] and t.loc[i, "Efter"] == a[0]
        assert t.loc[i, "Förändring"] == ch.difference
        assert t.loc[i, "Konfidensintervall"] == f"{fmt.number(ch.ci_low, 2)} till {fmt.number(ch.ci_high, 2)}"
        assert t.loc[i, "Säkerställd"] == ("ja" if ch.detectable else "nej")
    # by hand: se = 0,3/(2·1,96) = 0,1531 each, se(d) = 0,2165; −0,4 ± 0,4243 = −0,82 … 0,02 (not detectable);
    # 0,5 ± 1,96·0,0722 = 0,36 … 0,64 (detectable)
    assert t["Konfidensintervall"].tolist() == [f"{M}0,82 till 0,02", "0,36 till 0,64"]
    assert t["Säkerställd"].tolist() == ["nej", "ja"]


def test_survey_table_none():
    s = _surveys([("P", "Problemindex", "före", 2.1, 1.8, 2.4)])
    assert er.survey_table(s, "P") is None
    assert er.survey_table(s, "Q") is None
    assert er.survey_table(None, "P") is None
    assert er.survey_table(s.iloc[:0], "P") is None


def test_survey_table_on_the_loaded_example():
    surveys = projects.load_project_folder(er.EXAMPLE_PROJECTS, "1283").surveys
    t = er.survey_table(surveys, "HBG-2024-01")
    assert t.values.tolist() == [["Problemindex (polisens trygghetsmätning)", 2.1, 1.7,
                                  sv.survey_change((2.1, 1.8, 2.4), (1.7, 1.4, 2.0)).difference,
                                  f"{M}0,82 till 0,02", "nej"]]


def test_survey_table_without_interval():
    s = _surveys([("P", "Problemindex", "före", 2.1, np.nan, np.nan), ("P", "Problemindex", "efter", 1.7, np.nan,
                                                                       np.nan)])
    t = er.survey_table(s, "P")
    if t is not None:
        assert t.loc[0, "Före"] == 2.1 and t.loc[0, "Efter"] == 1.7
        assert t.loc[0, "Säkerställd"] != "ja"


# ============================================================================================
# alt texts, no projects, summary, caveats, key figures, commitments intro
# ============================================================================================


def test_areas_alt():
    four = SimpleNamespace(areas=pd.DataFrame({"roll": ["kontrollförskjutning", "kontroll", "förskjutning",
                                                        "behandlat"]}), row={"namn": "Trygg plats"})
    assert er.areas_alt(four, 250) == ("Karta över Trygg plats: behandlat område, närområde (förskjutning), "
                                       "kontrollområde och kontrollområdets närområde med en ring på 250 meter runt "
                                       "områdena.")
    one = SimpleNamespace(areas=pd.DataFrame({"roll": ["behandlat"]}), row={"namn": "X"})
    assert er.areas_alt(one, 1500) == f"Karta över X: behandlat område med en ring på 1{S}500 meter runt områdena."


def test_effect_alt():
    # −50, se √410 = 20,248: −50 ± 39,686 = −89,7 … −10,3
    assert er.effect_alt(ev.wdd((120, 80), (100, 110))) == (
        f"Effektskattning med 95{S}% konfidensintervall, i händelser jämfört med kontrollområdet: behandlat område "
        f"{M}50 ({M}90 till {M}10). Hela intervallet ligger under noll: färre händelser än kontrollområdet ger "
        "anledning att vänta.")
    # 0 ± √54 · 1,96 = ±14,40: the interval spans zero, which is chance, never "no effect"
    assert er.effect_alt(ev.wdd((13, 17), (10, 14))) == (
        f"Effektskattning med 95{S}% konfidensintervall, i händelser jämfört med kontrollområdet: behandlat område "
        f"0 ({M}14 till +14). Intervallet rymmer noll: skillnaden mot kontrollområdet kan bero på slumpen.")


def test_effect_alt_names_every_estimate_in_the_chart():
    # local (80−120)−(110−100) = −50; displacement (50−60)−(85−80) = −15; total −65
    text = er.effect_alt(ev.wdd((120, 80), (100, 110), (60, 50), (80, 85)))
    assert text.startswith("Effektskattningar med")
    assert f"behandlat område {M}50 (" in text and f"närområde (förskjutning) {M}15 (" in text
    assert f"totalt (WDD) {M}65 (" in text and "för totalen" in text
    assert "ingen effekt" not in text


def test_no_projects_text(tmp_path):
    example = er.no_projects_text("Falun", er.EXAMPLE_PROJECTS, None)
    assert example == ("Det finns inga projekt för Falun att utvärdera. De medföljande exempeldata har bara ett projekt "
                       "i Helsingborg och åtaganden i Helsingborg och Halmstad, och ingen egen mapp (project_data) är "
                       "angiven för kommunen.")
    assert er.no_projects_text("Falun", er.EXAMPLE_PROJECTS / ".." / "projects", None) == example
    own = tmp_path / "mina_projekt"
    own.mkdir()
    assert er.no_projects_text("Falun", own, None) == (
        "Det finns inga projekt för Falun att utvärdera. Mappen mina_projekt har inga projekt med kommunens kod.")


def test_no_projects_text_matches_the_example_data():
    folder = er.EXAMPLE_PROJECTS
    p = projects.load_projects(folder / "projekt.csv")
    c = projects.load_commitments(folder / "ataganden.csv")
    assert p["kommun_kod"].tolist() == ["1283"]  # one project, in Helsingborg
    assert set(c["kommun_kod"]) == {"1283", "1380"}  # Helsingborg and Halmstad


def test_summary_points():
    assert er.summary_points([], None, "Falun") == ["Falun har inga projekt i underlaget att utvärdera."]
    results = [SimpleNamespace(row={"namn": "Trygg plats"}, wdd=ev.wdd((30, 10), (30, 30)),
                               treated=tr.treated_only(30, 10), rtm=_PEAK),
               SimpleNamespace(row={"namn": "Ljusare torg"}, wdd=None, treated=None, rtm=None)]
    table = pd.DataFrame({"Status": ["kan ej bedömas", "uppfyllt", "delvis uppfyllt", "uppfyllt"]})
    assert er.summary_points(results, table, "Falun") == [
        "Trygg plats: " + _DECREASE + _CAVEAT,
        "Ljusare torg: Det går inte att säga om projektet fungerade: underlaget har för få händelser och inget "
        "kontrollområde.",
        "Åtaganden: 2 uppfyllt, 1 delvis uppfyllt, 1 kan ej bedömas (av 4).",
    ]
    assert er.summary_points(results[:1], table.iloc[:0], "Falun") == ["Trygg plats: " + _DECREASE + _CAVEAT]
    assert er.summary_points([], table.iloc[:1], "Falun")[-1] == "Åtaganden: 1 kan ej bedömas (av 1)."


def test_caveats():
    base = er.caveats(None, [])
    assert len(base) == 4 and not any("påhittade" in c for c in base)
    assert base[-1] == f"Antal under {privacy.MIN_PUBLISHED} per område och period visas inte."
    assert any("Poisson" in c for c in base) and any("kontrollområde" in c for c in base)
    assert er.caveats(SimpleNamespace(example=False), []) == base
    example = er.caveats(SimpleNamespace(example=True), [])
    assert example == ["Projekten, åtagandena och händelserna i rapporten är påhittade exempeldata.", *base]


def test_key_figures_json(example):
    cfg = SimpleNamespace(kommun="1283", name="Helsingborg", lan="Skåne län")
    commitments = pd.DataFrame({"Status": ["uppfyllt", "uppfyllt", "ej uppfyllt"]})
    no_control = SimpleNamespace(row={"projekt_id": "P2", "namn": "Utan kontroll"}, wdd=None)
    kf = er.key_figures("Utvärdering", cfg, SimpleNamespace(example=True), [example, no_control], commitments)
    back = json.loads(json.dumps(kf, allow_nan=False))
    assert back == kf
    assert kf["title"] == "Utvärdering" and kf["kommun"] == "1283" and kf["example_data"] is True
    # the example: WDD +1, variance 105, se 10,247; 1 ± 20,0837 = −19,08 … 21,08
    assert kf["projects"][0] == {"id": "HBG-2024-01", "name": "Trygg Drottninghög – belysning och aktivering",
                                 "wdd_estimate": 1.0, "wdd_ci": [-19.08, 21.08], "detectable": False}
    assert kf["projects"][1] == {"id": "P2", "name": "Utan kontroll", "wdd_estimate": None, "wdd_ci": None,
                                 "detectable": None}
    assert kf["commitments"] == {"uppfyllt": 2, "delvis uppfyllt": 0, "ej uppfyllt": 1, "kan ej bedömas": 0}
    empty = er.key_figures("t", cfg, None, [], None)
    assert json.loads(json.dumps(empty)) == empty
    assert empty["projects"] == [] and empty["commitments"] == {} and empty["example_data"] is False


def test_commitments_intro_uses_partial_share(monkeypatch):
    text = er.commitments_intro()
    assert f"minst {fmt.number(100 * cm.PARTIAL_SHARE)} procent av målet" in text
    assert "minst 75 procent" in text and "E-test" in text
    monkeypatch.setattr(cm, "PARTIAL_SHARE", 0.8)
    assert "minst 80 procent av målet" in er.commitments_intro()


def test_small_counts_flag_and_no_estimate_in_key_figures():
    """An area with 1–2 events in a period: flagged, and the key figures carry no estimate (it would reveal the count)."""
    from types import SimpleNamespace as NS

    res = NS(row={"projekt_id": "P", "namn": "X"}, wdd=ev.wdd((2, 10), (5, 5)), small_counts=True)
    kf = er.key_figures("t", NS(kommun="1283", name="H", lan="S"), None, [res], None)
    assert kf["projects"][0]["wdd_estimate"] is None and kf["projects"][0]["wdd_ci"] is None
    assert er.summary_points([NS(**vars(res), treated=None, rtm=None)], None, "H")[0].endswith(
        "för få händelser i något område för att skatta effekten.")
    assert "färre än 3" in er.SMALL_COUNTS_TEXT


def test_evaluate_project_flags_small_counts(monkeypatch):
    from lagesbild.places import analysis as place
    from lagesbild.places import data as placedata
    from lagesbild.projects import data as projects

    pdata = placedata.load_place_data(place.EXAMPLE_PLACES, "1283")
    proj = projects.load_project_folder(er.EXAMPLE_PROJECTS, "1283", places=pdata.places)
    row = proj.projects.iloc[0].to_dict()
    assert er.evaluate_project(row, pdata).small_counts is False  # the example: 13/17, 19/15, 10/14, 11/6
    # a one-week after period: the control's surroundings have 1 event in it
    row.update(efter_start=pd.Timestamp("2025-01-01"), efter_slut=pd.Timestamp("2025-01-07"), efter_dagar=7)
    r = er.evaluate_project(row, pdata)
    assert r.pairs["kontrollförskjutning"] == (11, 1) and r.small_counts is True


# ============================================================================================
# the areas map's reference layers (kommun outline, Polisen's utsatta områden) and provenance
# ============================================================================================

def _project_with_areas():
    from shapely.geometry import box

    areas = gpd.GeoDataFrame({"roll": ["behandlat", "kontroll"]},
                             geometry=[box(0, 0, 200, 200), box(5000, 0, 5200, 200)], crs="EPSG:3006")
    return SimpleNamespace(areas=areas, row={"namn": "Trygg plats"})


def _reference(names_classes, outline=True):
    from shapely.geometry import box

    from lagesbild.render import mapref

    areas = gpd.GeoDataFrame({"name": [n for n, _ in names_classes], "class": [c for _, c in names_classes]},
                             geometry=[box(-100, -100, 300, 300), box(60_000, 0, 61_000, 1_000)][:len(names_classes)],
                             crs="EPSG:3006")
    kommun = gpd.GeoDataFrame(geometry=[box(-10_000, -10_000, 10_000, 10_000)], crs="EPSG:3006")
    return mapref.ReferenceLayers(outline=kommun if outline else None, areas=areas)


def test_areas_alt_keeps_its_sentence_and_names_the_utsatta_omraden():
    r = _project_with_areas()
    plain = er.areas_alt(r, 250)
    assert er.areas_alt(r, 250, None) == plain
    assert er.areas_alt(r, 250, _reference([("Drottninghög", "sarskilt"), ("Fjärran", "utsatt")])) == plain + (
        " Kartan visar också kommungränsen och Polisens särskilt utsatta område Drottninghög. Polisens utsatta "
        "område Fjärran ligger mer än 3 km bort och syns när kartan zoomas ut.")
    without = er.areas_alt(r, 250, _reference([]))
    assert without == plain + " Kartan visar också kommungränsen." and "utsatt" not in without


def test_map_source_credits_polisen_with_areas():
    assert er.map_source("Projekt", _reference([("Söder", "utsatt")])) == (
        "Projekt; områden i SWEREF 99 TM; kommungräns: SCB (förenklad); Polismyndigheten, utsatta områden 2025")
    assert er.map_source("Projekt", _reference([])) == "Projekt; områden i SWEREF 99 TM; kommungräns: SCB (förenklad)"


def test_provenance_lists_the_map_data_only_when_maps_are_drawn():
    from lagesbild.sources.processed import Dataset

    ds = Dataset(*[None] * 6, files=[{"name": "k.csv", "kinds": ["kommuner"]}, {"name": "b.geojson", "kinds": ["boundaries"]},
                                     {"name": "u.geojson", "kinds": ["utsatta_omraden"]}, {"name": "c.csv", "kinds": ["crime"]}])
    proj, pdata = SimpleNamespace(files=[{"name": "projekt.csv"}]), SimpleNamespace(files=[{"name": "platser.csv"}])
    names = [f["name"] for f in er.provenance_files(ds, proj, pdata, ["ett projekt"])]
    assert names == ["k.csv", "b.geojson", "u.geojson", "projekt.csv", "platser.csv"]
    assert [f["name"] for f in er.provenance_files(ds, proj, pdata, [])] == ["k.csv", "projekt.csv"]


def plain(text: str) -> str:
    """Report text with ordinary spaces and hyphen-minus, for readable assertions."""
    return text.replace("\u00a0", " ").replace("\u2212", "-")


def judge(*args, **kwargs) -> SimpleNamespace:
    """:func:`lagesbild.stats.commitments.commitment_status` as the report shows it: the status word and the reason."""
    s = cm.commitment_status(*args, **kwargs)
    return SimpleNamespace(status=er.STATUS_WORDS[s.status], reason=er.commitment_reason(s), share=s.share,
                           change=s.change, result=s)


# =============================================================================================
# Commitments: the status words and reasons of commitment_status's results (moved here from
# test_evaluation.py with the sentences, which are this report's)
# =============================================================================================


class TestCommitmentMinstHogst:
    def test_partial_share_constant(self):
        assert cm.PARTIAL_SHARE == 0.75
        assert set(er.STATUS_WORDS) == set(cm.STATUSES)
        assert set(er.STATUS_WORDS.values()) == {"uppfyllt", "delvis uppfyllt", "ej uppfyllt", "kan ej bedömas"}

    @pytest.mark.parametrize(
        ("target", "outcome", "status", "share"),
        [
            (10, 12, "uppfyllt", 1.2),
            (10, 10, "uppfyllt", 1.0),  # boundary: reaching the target is enough
            (10, 9, "delvis uppfyllt", 0.9),
            (8, 6, "delvis uppfyllt", 0.75),  # boundary: exactly 75 %
            (10, 7, "ej uppfyllt", 0.7),
            (10, 0, "ej uppfyllt", 0.0),
        ],
    )
    def test_minst(self, target, outcome, status, share):
        s = judge("minst", target, outcome)
        assert isinstance(s.result, cm.CommitmentStatus)
        assert (s.result.kind, s.status) == ("minst", status)
        assert s.share == pytest.approx(share)
        assert s.change is None

    @pytest.mark.parametrize(
        ("target", "outcome", "status", "share"),
        [
            (4, 3, "uppfyllt", 4 / 3),
            (4, 4, "uppfyllt", 1.0),  # boundary
            (3, 4, "delvis uppfyllt", 0.75),  # boundary: target is 75 % of the outcome
            (4, 5, "delvis uppfyllt", 0.8),
            (4, 6, "ej uppfyllt", 4 / 6),
            (0, 0, "uppfyllt", math.nan),
            (0, 2, "ej uppfyllt", 0.0),
        ],
    )
    def test_hogst(self, target, outcome, status, share):
        s = judge("högst", target, outcome)
        assert s.status == status
        if math.isnan(share):
            assert math.isnan(s.share)
        else:
            assert s.share == pytest.approx(share)

    @pytest.mark.parametrize(
        ("kind", "baseline", "target", "outcome", "status", "share"),
        [
            # Progress from the baseline: (85 − 60) / (90 − 60) = 0.8333.
            ("minst", 60, 90, 85, "delvis uppfyllt", 25 / 30),
            ("minst", 60, 90, 82.5, "delvis uppfyllt", 0.75),  # boundary
            ("minst", 60, 90, 80, "ej uppfyllt", 20 / 30),
            ("minst", 60, 90, 95, "uppfyllt", 35 / 30),
            # (10 − 5) / (10 − 4) = 0.8333; (10 − 5.5) / 6 = 0.75; (10 − 6) / 6 = 0.667.
            ("högst", 10, 4, 5, "delvis uppfyllt", 5 / 6),
            ("högst", 10, 4, 5.5, "delvis uppfyllt", 0.75),
            ("högst", 10, 4, 6, "ej uppfyllt", 4 / 6),
            ("högst", 10, 4, 4, "uppfyllt", 1.0),
        ],
    )
    def test_with_baseline(self, kind, baseline, target, outcome, status, share):
        s = judge(kind, target, outcome, baseline=baseline)
        assert s.status == status
        assert s.share == pytest.approx(share)

    def test_baseline_on_wrong_side(self):
        with pytest.raises(ValueError, match="above the baseline"):
            judge("minst", 50, 40, baseline=60)
        with pytest.raises(ValueError, match="below the baseline"):
            judge("högst", 10, 8, baseline=5)

    def test_share_undefined_gives_no_partial(self):
        # minst with target 0 and a negative outcome: no share, so not partially met.
        s = judge("minst", 0, -2)
        assert s.status == "ej uppfyllt" and math.isnan(s.share)

    def test_reasons(self):
        assert plain(judge("minst", 10, 12).reason) == "Utfallet 12 når målet (minst 10)."
        assert plain(judge("minst", 10, 9).reason) == (
            "Utfallet 9 når inte målet (minst 10), men är 90 % av målvärdet; "
            "delvis uppfyllt kräver minst 75 %."
        )
        reason = judge("högst", 4, 3.5).reason
        assert plain(reason) == "Utfallet 3,5 håller sig inom målet (högst 4)."
        assert plain(judge("minst", 90, 70, baseline=60).reason) == (
            "Utfallet 70 når inte målet (minst 90) och motsvarar 33 % av den planerade förändringen "
            "från 60 till 90; delvis uppfyllt kräver minst 75 %."
        )

    def test_reason_never_rounds_onto_the_threshold(self):
        # 0.7499 of the target is "ej uppfyllt": the text must not say 75 %.
        s = judge("minst", 10000, 7499)
        assert s.status == "ej uppfyllt"
        assert "74,99 %" in plain(s.reason)

    def test_preliminary_before_deadline(self):
        s = judge("minst", 10, 4, deadline=date(2025, 12, 31), today=date(2025, 6, 1))
        assert s.status == "ej uppfyllt"
        assert plain(s.reason) == (
            "Utfallet 4 når inte målet (minst 10) och är 40 % av målvärdet; delvis uppfyllt kräver "
            "minst 75 %. Tidsfristen (31 december 2025) har inte passerat, så bedömningen är preliminär."
        )
        # After the deadline, or when met, no such note.
        s = judge("minst", 10, 4, deadline="2025-12-31", today="2026-01-01")
        assert "Tidsfristen" not in s.reason
        s = judge("minst", 10, 12, deadline="2025-12-31", today="2025-06-01")
        assert "Tidsfristen" not in s.reason

    def test_deadline_day_itself_is_not_passed(self):
        s = judge("minst", 10, None, deadline="2025-12-31", today="2025-12-31")
        assert "har inte passerat" in s.reason

    @pytest.mark.parametrize("missing", [None, float("nan"), "", "  ", pd.NA])
    def test_missing_outcome(self, missing):
        s = judge("minst", 10, missing, deadline="2025-06-30", today="2025-09-01")
        assert s.status == "kan ej bedömas"
        assert s.reason == "Utfall saknas, och tidsfristen (30 juni 2025) har passerat."
        assert math.isnan(s.share)

    def test_missing_outcome_before_deadline_and_without_deadline(self):
        s = judge("högst", 4, None, deadline=datetime(2025, 12, 31, 12), today=date(2025, 6, 1))
        assert s.reason == "Utfall saknas ännu; tidsfristen (31 december 2025) har inte passerat."
        assert judge("högst", 4, None).reason == "Utfall saknas."

    def test_today_defaults_to_today(self):
        s = judge("minst", 10, None, deadline=date(2000, 1, 1))
        assert "har passerat" in s.reason

    @pytest.mark.parametrize(
        ("args", "kwargs", "match"),
        [
            (("minst", "tio", 5), {}, "target"),
            (("minst", 10, "fem"), {}, "outcome"),
            (("minst", None, 5), {}, "target"),
            (("minst", 10, 5), {"deadline": "31/12/2025"}, "deadline"),
            (("minst", 10, 5), {"today": 20250101}, "today"),
            (("mer", 10, 5), {}, "kind"),
        ],
    )
    def test_rejects_bad_input(self, args, kwargs, match):
        with pytest.raises(ValueError, match=match):
            judge(*args, **kwargs)


class TestCommitmentCounts:
    def test_minska_detectable_decrease(self):
        s = judge("minska", None, None, before=60, after=30)
        assert s.status == "uppfyllt"
        assert s.change is not None and s.change.reading == "decrease"
        assert s.change.p_value == pytest.approx(poisson_means_test(30, 1, 60, 1).pvalue)
        assert plain(s.reason) == (
            "Antalet minskade (60 före och 30 efter, -50 %); minskningen är statistiskt "
            "säkerställd (p = 0,001)."
        )

    def test_minska_not_detectable(self):
        # 60 → 50: p = 0.34 (E-test), fell but not detectably.
        s = judge("minska", None, None, before=60, after=50)
        assert s.status == "delvis uppfyllt"
        assert not s.change.detectable
        assert "inte statistiskt säkerställd" in s.reason

    @pytest.mark.parametrize(("before", "after"), [(30, 60), (40, 40), (40, 45)])
    def test_minska_rose_or_unchanged(self, before, after):
        s = judge("minska", None, None, before=before, after=after)
        assert s.status == "ej uppfyllt"

    def test_minska_unchanged_reason(self):
        assert plain(judge("minska", None, None, before=40, after=40).reason) == (
            "Antalet är oförändrat (40 före och 40 efter)."
        )

    def test_minska_too_few_boundary(self):
        s = judge("minska", None, None, before=9, after=0)
        assert s.status == "kan ej bedömas"
        assert plain(s.reason) == (
            "För få händelser (9 före och 0 efter) för att bedöma en förändring; minst 10 behövs sammanlagt."
        )
        assert judge("minska", None, None, before=10, after=0).status == "uppfyllt"

    def test_minska_with_percentage_target(self):
        # 100 → 60 is a detectable 40 % decrease: meets a 20 % target, not a 50 % target.
        assert judge("minska", 20, None, before=100, after=60).status == "uppfyllt"
        assert judge("minska", 40, None, before=100, after=60).status == "uppfyllt"
        s = judge("minska", 50, None, before=100, after=60)
        assert s.status == "delvis uppfyllt"
        assert "målet var en minskning med minst 50 %" in plain(s.reason)

    def test_minska_baseline_and_outcome_as_counts(self):
        a = judge("minska", None, 30, baseline=60)
        b = judge("minska", None, None, before=60, after=30)
        assert a == b

    def test_minska_years(self):
        # 40 in two years → 10 in one year: 20 → 10 per year, −50 %.
        s = judge("minska", None, None, before=40, after=10, years_before=2, years_after=1)
        assert s.status == "uppfyllt" and s.change.change_pct == -50
        assert "perioder på 2 och 1 år" in s.reason

    def test_oka_symmetric(self):
        assert judge("öka", None, None, before=30, after=60).status == "uppfyllt"
        assert judge("öka", None, None, before=50, after=60).status == "delvis uppfyllt"
        assert judge("öka", None, None, before=60, after=30).status == "ej uppfyllt"
        assert judge("öka", None, None, before=60, after=60).status == "ej uppfyllt"
        assert judge("öka", None, None, before=3, after=6).status == "kan ej bedömas"
        s = judge("öka", 300, None, before=30, after=60)
        assert s.status == "delvis uppfyllt" and "ökning med minst 300 %" in plain(s.reason)

    @pytest.mark.parametrize(
        ("before", "after", "what"),
        [
            (None, 30, "Antal före insatsen"),
            (60, None, "Antal efter insatsen"),
            (None, None, "Antal före och efter insatsen"),
            (float("nan"), 30, "Antal före insatsen"),
        ],
    )
    def test_missing_counts(self, before, after, what):
        s = judge(
            "minska", None, None, before=before, after=after, deadline="2025-06-30", today="2025-09-01"
        )
        assert s.status == "kan ej bedömas"
        assert s.reason == f"{what} saknas, och tidsfristen (30 juni 2025) har passerat."
        assert s.change is None

    def test_preliminary_note(self):
        s = judge(
            "minska", None, None, before=60, after=50, deadline="2026-01-01", today="2025-06-01"
        )
        assert plain(s.reason) == (
            "Antalet minskade (60 före och 50 efter, -17 %), men minskningen är inte statistiskt "
            "säkerställd (p = 0,34) och kan vara slumpmässig. Tidsfristen (1 januari 2026) har inte "
            "passerat, så bedömningen är preliminär."
        )

    def test_rejects_negative_target_and_bad_counts(self):
        with pytest.raises(ValueError, match="percent"):
            judge("minska", -10, None, before=60, after=30)
        with pytest.raises(ValueError):
            judge("minska", None, None, before=60, after=-3)


class TestCommitmentYesNo:
    @pytest.mark.parametrize(
        ("outcome", "status"),
        [
            ("ja", "uppfyllt"),
            (" Ja ", "uppfyllt"),
            (True, "uppfyllt"),
            ("nej", "ej uppfyllt"),
            ("NEJ", "ej uppfyllt"),
            (False, "ej uppfyllt"),
        ],
    )
    def test_yes_no(self, outcome, status):
        s = judge("ja/nej", None, outcome)
        assert s.status == status
        assert s.reason in ("Åtagandet är genomfört.", "Åtagandet är inte genomfört.")

    def test_missing(self):
        s = judge("ja/nej", None, None, deadline="2026-06-30", today="2025-09-01")
        assert s.status == "kan ej bedömas"
        assert s.reason == "Utfall saknas ännu; tidsfristen (30 juni 2026) har inte passerat."

    def test_not_done_before_deadline_is_preliminary(self):
        s = judge("ja/nej", None, "nej", deadline="2026-06-30", today="2025-09-01")
        assert s.status == "ej uppfyllt"
        assert s.reason == (
            "Åtagandet är inte genomfört. Tidsfristen (30 juni 2026) har inte passerat, så bedömningen "
            "är preliminär."
        )

    @pytest.mark.parametrize("outcome", ["delvis", "yes", 1])
    def test_rejects_other_answers(self, outcome):
        with pytest.raises(ValueError, match="'ja' or 'nej'"):
            judge("ja/nej", None, outcome)


def test_wdq_readings_and_method_texts_cover_every_code():
    assert set(er.WDQ_READINGS) == set(ev.WDQ_READING_CODES)
    for text in er.WDQ_READINGS.values():
        assert text.endswith(".") and text[0].isupper()
    assert set(er.METHOD_TEXTS) == {ev.WDD_METHOD, ev.WDD_HARM_METHOD}
    assert ev.wdd((10, 5), (10, 10)).method in er.METHOD_TEXTS
    assert er.METHOD_TEXTS["wdd"].startswith("Weighted Displacement Difference (Wheeler & Ratcliffe 2018)")
