"""Tests of lagesbild.summary.standout: the fixed rule for what stands out."""

from __future__ import annotations

import pandas as pd
import pytest
from summary_figures import NAN, crime_figures, indicator, key_table, light, place_figures, wastewater_figures

from lagesbild.stats import indicators
from lagesbild.summary import standout
from lagesbild.summary import surveys as trygghet


class TestStandoutRule:
    def test_more_signals_rank_first(self):
        # A: only a level worse than the län (strongest kind, tiny p); B: an increase and a trend (two signals)
        table = key_table([{"indicator": "A", "lan": light(indicators.HIGHER, p=1e-9)}])
        crime = crime_figures(indicators=[
            indicator("A", change_detectable=False, ratio=1.1),
            indicator("B", ratio=1.5, change_p=0.04, trend_detectable=True, trend_pct=3.0, trend_p=0.03)])
        p = standout.standout_problems(table, crime)
        assert p["topic"].tolist() == ["B", "A"]
        assert p.loc[0, "signals"] == ("ökning", "trend") and p.loc[0, "n_signals"] == 2 and p.loc[0, "tier"] == 2
        assert p.loc[1, "signals"] == ("nivå",) and p.loc[1, "tier"] == 1

    def test_stronger_kind_first_then_smaller_p(self):
        table = key_table([{"indicator": "Nivå svag", "lan": light(indicators.HIGHER, p=0.04)},
                           {"indicator": "Nivå stark", "riket": light(indicators.HIGHER, indicators.RIKET, p=0.001)}])
        crime = crime_figures(indicators=[indicator("Ökning", ratio=1.3, change_p=1e-6)])
        p = standout.standout_problems(table, crime)
        assert p["topic"].tolist() == ["Nivå stark", "Nivå svag", "Ökning"]
        assert p["rank"].tolist() == [1, 2, 3]
        assert p.loc[0, "strength"] == 0.001

    def test_decreases_and_better_levels_are_never_problems(self):
        table = key_table([{"indicator": "Bättre", "lan": light(indicators.LOWER, p=1e-9)},
                           {"indicator": "Högre men bra", "lan": light(indicators.HIGHER, higher_is_worse=False)},
                           {"indicator": "Oklar"}])
        crime = crime_figures(indicators=[indicator("Minskar", ratio=0.5, trend_detectable=True, trend_pct=-8.0),
                                          indicator("Ökar oklart", ratio=1.8, change_detectable=False)])
        p = standout.standout_problems(table, crime)
        assert p.empty and list(p.columns) == list(standout.PROBLEM_COLUMNS) and p.attrs["candidates"] == 0

    def test_too_few_is_not_an_increase(self):
        rec = indicator("Få", ratio=3.0)
        rec["change"]["too_few"] = True
        assert standout.standout_problems(None, crime_figures(indicators=[rec])).empty

    def test_limit_and_candidates(self):
        crime = crime_figures(indicators=[indicator(f"K{i}", ratio=1.5, change_p=0.001 * (i + 1)) for i in range(7)])
        p = standout.standout_problems(None, crime)
        assert len(p) == standout.MAX_PROBLEMS == 5 and p.attrs["candidates"] == 7
        assert p["topic"].tolist() == ["K0", "K1", "K2", "K3", "K4"]  # smallest p first
        assert len(standout.standout_problems(None, crime, limit=3)) == 3
        with pytest.raises(ValueError, match="limit"):
            standout.standout_problems(None, crime, limit=0)

    def test_level_evidence_text(self):
        table = key_table([{"indicator": "Stöld", "value": 2563.0, "value_lan": 2385.0, "value_riket": 3252.0,
                            "lan": light(indicators.HIGHER, p=0.0049)}])
        p = standout.standout_problems(table)
        assert p.loc[0, "evidence"].replace("\u00a0", " ") == (
            "Tydligt högre än i länet (2024: 2 563 per 100 000 invånare mot länet 2 385; p = 0,005)")
        assert p.loc[0, "kind"] == "brott" and p.loc[0, "reports"] == ("crime_trends",)
        assert p.loc[0, "details"]["worse_than"] == ["länet"]

    def test_ntu_level(self):
        table = key_table([{"indicator": "Otrygg ute sent", "source": indicators.NTU, "value": 30.0, "value_lan": 21.2,
                            "value_riket": 25.0, "lan": light(indicators.HIGHER, p=0.001),
                            "riket": light(indicators.HIGHER, indicators.RIKET, p=0.02)}])
        p = standout.standout_problems(table)
        assert p.loc[0, "kind"] == "ntu" and p.loc[0, "reports"] == ("",)
        assert p.loc[0, "evidence"].startswith("Tydligt högre än i länet och riket (2024: 30,0\u00a0% mot länet "
                                               "21,2\u00a0%, riket 25,0\u00a0%; p = 0,001)")

    def test_focus_areas(self):
        crime = crime_figures(indicators=[indicator("Våld i offentlig miljö mot vuxna", ratio=1.4, change_p=0.01),
                                          indicator("Våld i offentlig miljö mot barn", ratio=0.9,
                                                    change_detectable=False)],
                              focus_areas={"Våld i offentlig miljö": ["Våld i offentlig miljö mot vuxna",
                                                                      "Våld i offentlig miljö mot barn"],
                                           "Klotter": []})
        p = standout.standout_problems(None, crime)
        # the matched category with an increase has two signals; the other matched one and the unmatched focus one
        assert p["topic"].tolist() == ["Våld i offentlig miljö mot vuxna", "Klotter", "Våld i offentlig miljö mot barn"]
        assert p.loc[0, "signals"] == ("ökning", "fokus")
        assert p.loc[1, "evidence"] == "Kommunens fokusområde; ingen motsvarande kategori i Brås statistik i underlaget"
        assert p.loc[2, "evidence"] == "Kommunens fokusområde (Våld i offentlig miljö)"
        assert p.loc[2, "details"]["rate"] == 250.0

    def test_places_wastewater_and_example_flags(self):
        ww = wastewater_figures(example_data=True, latest=[
            {"substance": "Amfetamin", "year": 2025, "daily_mean": 256.4, "percentile_europe": 91.2},
            {"substance": "Kokain", "year": 2025, "daily_mean": 100.0, "percentile_europe": 75.0},
            {"substance": "MDMA", "year": 2025, "daily_mean": 10.0, "percentile_europe": 74.9},
            {"substance": "Ketamin", "year": 2025, "daily_mean": 1.0, "percentile_europe": None}])
        p = standout.standout_problems(None, None, place_figures(hot_spot_places=["A", "B", "C"]), ww)
        assert p["topic"].tolist() == ["Platser med koncentrerade händelser", "Narkotika i avloppsvattnet: amfetamin",
                                       "Narkotika i avloppsvattnet: kokain"]  # 75 counts, 74,9 does not
        assert p.loc[0, "evidence"] == ("3 platser ligger vid statistiskt säkerställda hot spots (Getis-Ord Gi*): A, B "
                                        "och C")
        assert not p.loc[0, "example"] and p.loc[1, "example"] and p.loc[1, "evidence"].endswith("(exempeldata)")
        assert p.loc[1, "reports"] == ("wastewater",) and p.loc[1, "strength"] == -91.2

    def test_trygghet_areas(self):
        areas = pd.DataFrame({
            "omrade": ["Centrum", "Centrum", "Norr", "Söder"], "year": [2023, 2024, 2024, 2024],
            "index": [2.4, 2.75, 1.4, 1.2], "previous_index": [NAN, 2.42, 1.41, 1.1], "previous_year": [NAN, 2023, 2023, 2023],
            "change_status": [trygghet.NO_PREVIOUS, trygghet.INCREASE, trygghet.NO_CLEAR_CHANGE, trygghet.NO_CLEAR_CHANGE],
            "change_p": [NAN, 0.0001, 0.8, 0.3], "n_large_problems": [3, 1, 2, 0], "top_question": ["Fart"] * 4})
        p = standout.standout_problems(None, areas=areas, areas_example=True)
        assert p["topic"].tolist() == ["Centrum (polisens trygghetsmätning)", "Norr (polisens trygghetsmätning)"]
        assert p.loc[0, "evidence"] == ("Problemindex ökade tydligt från 2,42 (2023) till 2,75 (2024); polisens rapport "
                                        "anger stora problem för 1 fråga (exempeldata)")
        assert p.loc[1, "evidence"] == "Polisens rapport anger stora problem för 2 frågor (exempeldata)"
        assert p["example"].all() and p.loc[0, "details"]["area"] == "Centrum"

    def test_display_and_intro(self):
        crime = crime_figures(indicators=[indicator("Rån", ratio=2.0, change_p=0.01)])
        p = standout.standout_problems(None, crime)
        d = standout.problems_display(p)
        assert d.values.tolist() == [[1, "Rån", "Tydlig ökning från 2023 till 2024 (200 → 150 anmälda brott, +100\u00a0%)",
                                      "Brottsutvecklingen (crime_trends.html)"]]
        assert standout.problems_intro(p).endswith("Underlaget pekar bara ut 1 sådant problem.")
        assert standout.problems_intro(standout.standout_problems(None)).endswith("Underlaget pekar inte ut något sådant problem.")
        many = standout.standout_problems(None, crime_figures(indicators=[indicator(f"K{i}", ratio=1.5) for i in range(6)]))
        assert standout.problems_intro(many).endswith("Tabellen visar de 5 som sticker ut mest av 6.")
        three = standout.standout_problems(None, crime_figures(indicators=[indicator(f"K{i}", ratio=1.5) for i in range(3)]))
        assert standout.problems_intro(three).endswith("räknas aldrig som ett problem.")
        ntu_row = standout.standout_problems(key_table([{"indicator": "X", "source": indicators.NTU, "lan": light(indicators.HIGHER)}]))
        assert standout.problems_display(ntu_row).loc[0, "Källa"] == "den här rapporten, avsnitt 2"
