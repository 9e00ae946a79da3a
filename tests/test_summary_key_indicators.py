"""Tests of lagesbild.summary.key_indicators: the traffic light against the län and riket, in words."""

from __future__ import annotations

import pytest
from summary_figures import indicator, key_table, light, ntu_latest

from lagesbild.stats import indicators
from lagesbild.summary import key_indicators as ki


class TestKeyIndicators:
    def test_light_text(self):
        assert ki.light_text(light(indicators.HIGHER)) == "▲ Högre (sämre)"
        assert ki.light_text(light(indicators.LOWER)) == "▼ Lägre (bättre)"
        assert ki.light_text(light(indicators.HIGHER, higher_is_worse=False)) == "▲ Högre (bättre)"
        assert ki.light_text(light(indicators.UNCLEAR)) == "○ Ingen tydlig skillnad"
        assert ki.light_text(light(indicators.MISSING)) == "– Uppgift saknas"

    def test_display_with_and_without_population(self):
        # the same Falun 2024 car crimes: with the population and with it derived from count / rate; both give a
        # table, and 250 against 383 with a between-kommun variance of 0,005 is clearly lower either way
        for rec in (indicator(population=59964.2), indicator()):
            t = indicators.indicator_table([rec], ntu_latest())
            d = ki.key_indicator_display(t)
            assert d["Nyckeltal"].tolist() == ["Bilbrott", "Misshandel", "Otrygg ute sent"]
            assert d.loc[0, ["År", "Kommunen", "Länet", "Riket"]].tolist() == ["2024", "250", "226", "383"]
            assert d.loc[0, "Underlag"] == "Anmälda brott per 100 000 invånare (Brå, kommunindikatorer)"
            assert d.loc[1, ["Kommunen", "Länet", "Riket"]].tolist() == ["2,4\u00a0%", "2,1\u00a0%", "–"]
            assert d.loc[1, "Jämfört med riket"] == "– Uppgift saknas"
            assert d.loc[0, "Jämfört med riket"] == "▼ Lägre (bättre)"
            # 30 % [26–34] against riket 25,0 % [24,6–25,4]: z = 5 / sqrt(2,04² + 0,20²) ≈ 2,44, p ≈ 0,015
            assert d.loc[2, "Jämfört med riket"] == "▲ Högre (sämre)"
            assert d.loc[2, "Underlag"] == "NTU, andel i procent (Otrygghet)"

    def test_preliminary_year_is_marked(self):
        t = indicators.indicator_table([indicator(year=2025, preliminary=True, set="sol")])
        d = ki.key_indicator_display(t)
        assert d.loc[0, "År"] == "2025 (prel.)" and d.loc[0, "Underlag"].endswith("(Brå, statistikdatabasen)")

    def test_method_text_names_the_tests_used(self):
        text = ki.method_text(indicators.indicator_table([indicator(population=59964.2)]), 0.05)
        assert "trattdiagrammets regel (Spiegelhalter 2005)" in text and "p < 0,05" in text
        assert "summan av alla kommuner" in text and "större än kommuner brukar skilja sig" in text
        assert "p < 0,01" in ki.method_text(indicators.indicator_table([indicator()]), 0.01)
        assert "Metoder" not in ki.method_text(indicators.indicator_table(None), 0.05)

    def test_counts(self):
        t = key_table([
            {"indicator": "A", "lan": light(indicators.HIGHER), "riket": light(indicators.LOWER, indicators.RIKET)},
            {"indicator": "B", "lan": light(indicators.LOWER), "riket": light(indicators.UNCLEAR, indicators.RIKET)},
            {"indicator": "C", "lan": light(indicators.MISSING), "riket": light(indicators.MISSING, indicators.RIKET)},
            {"indicator": "D"},
        ])
        assert ki.key_indicator_counts(t) == {"indicators": 4, "worse": 1, "better": 1, "missing": 1}
        assert ki.key_indicator_counts(indicators.indicator_table(None)) == {"indicators": 0, "worse": 0, "better": 0,
                                                                            "missing": 0}


class TestWords:
    """Every code of lagesbild.stats.indicators has its Swedish here (moved from Light.text, .detail, .word)."""

    def test_every_code_is_worded(self):
        assert set(ki.STATUS_WORDS) == set(ki.CELL_WORDS) == set(indicators.STATUSES)
        assert set(ki.ASSESSMENT_WORDS) == set(indicators.ASSESSMENTS)
        assert set(ki.COMPARISON_WORDS) == set(indicators.COMPARISONS)
        assert set(ki.METHOD_TEXTS) == set(indicators.METHODS)
        assert set(ki.REASON_TEXTS) == set(indicators.REASONS)
        assert set(ki.SOURCE_WORDS) == {indicators.CRIME, indicators.NTU}
        assert set(ki.NOTE_TEXTS) == {indicators.POPULATION_DERIVED}

    def test_the_published_words_are_the_ones_before_the_codes(self):
        # lagesbild.json and the cell colours keep the values they had when stats wrote Swedish
        assert ki.STATUS_WORDS == {"higher": "högre", "lower": "lägre", "unclear": "ingen tydlig skillnad",
                                   "missing": "saknas"}
        assert ki.ASSESSMENT_WORDS == {"worse": "sämre", "better": "bättre"}
        assert ki.SOURCE_WORDS == {"crime": "Anmälda brott", "ntu": "NTU"}

    def test_cell_classes_are_the_renderers(self):
        from lagesbild.render.report import CELL_CLASSES

        assert set(ki.ASSESSMENT_WORDS.values()) <= set(CELL_CLASSES)

    def test_phrase(self):
        assert ki.light_phrase(indicators.rate_light(1446, 152_429, ref_rate=1167, tau2=0.0,
                                                     comparison="riket")) == "Tydligt lägre än i riket (bättre)"
        assert ki.light_phrase(indicators.rate_light(400, 10_000, ref_rate=1000, tau2=0.05)) == \
            "Tydligt högre än i länet (sämre)"
        assert ki.light_phrase(light(indicators.HIGHER, higher_is_worse=False)) == "Tydligt högre än i länet (bättre)"
        assert ki.light_phrase(light(indicators.UNCLEAR, indicators.RIKET)) == "Ingen tydlig skillnad mot riket"
        assert ki.light_phrase(light(indicators.MISSING)) == "Uppgift saknas för jämförelse med länet"

    def test_detail(self):
        share = indicators.share_light(19, 15, 23, 25.0, 24.6, 25.4, comparison="riket")
        assert ki.light_detail(share) == "skillnad −6,0 procentenheter (95 % KI −10,0 till −2,0), p = 0,003"
        rate = indicators.rate_light(400, 10_000, ref_rate=1000, tau2=0.0)
        assert ki.light_detail(rate).startswith("kvot 4,00 (95 % KI ") and ki.light_detail(rate).endswith("p < 0,001")

    @pytest.mark.parametrize(("light_", "text"), [
        (indicators.rate_light(None, 1000, ref_rate=5, tau2=0.0), "Kommunens antal saknas."),
        (indicators.rate_light(3, None, ref_rate=5, tau2=0.0), "Kommunens folkmängd saknas."),
        (indicators.rate_light(3, 1000, ref_rate=None, tau2=0.0, comparison="riket"), "Jämförelsevärdet för riket saknas."),
        (indicators.rate_light(3, 1000, ref_rate=5, tau2=None), "Variationen mellan kommuner kan inte skattas i den här "
         "kategorin (för få kommuner har den i underlaget), så ingen jämförelse görs."),
        (indicators.share_light(None, 1, 3, 2, 1, 3), "Kommunens andel eller dess intervall saknas."),
        (indicators.share_light(2, 1, 3, 2, None, 3, comparison="riket"), "Andelen för riket eller dess intervall saknas."),
        (indicators.share_light(2, 2, 2, 3, 3, 3), "Osäkerheten går inte att beräkna (intervall utan bredd)."),
        (indicators.missing_light(), "Uppgift saknas."),
    ])
    def test_reasons(self, light_, text):
        assert light_.status == indicators.MISSING and ki.light_detail(light_) == text

    def test_method(self):
        lan = indicators.rate_light(400, 10_000, ref_rate=1000, tau2=0.05)
        assert ki.light_method(lan) == ("trattdiagrammets regel (Spiegelhalter 2005): kommunens antal mot det som "
                                        "länets tal ger vid kommunens folkmängd, med hänsyn till både slumpen och den "
                                        "vanliga variationen mellan kommuner")
        assert ki.light_method(indicators.share_light(19, 15, 23, 21.2, 19.3, 23.2)) == \
            "z-test av skillnaden, standardfel ur båda 95 %-intervallen"
        assert ki.light_method(indicators.missing_light()) == ""

    def test_an_unknown_region_is_an_error(self):
        with pytest.raises(ValueError, match="unknown comparison region 'länet'"):
            ki.light_phrase(light(indicators.HIGHER, comparison="länet"))


class TestSentencesAndFigures:
    def test_compare_phrase(self):
        low, high, unclear = indicators.LOWER, indicators.HIGHER, indicators.UNCLEAR
        riket = indicators.RIKET
        assert ki.compare_phrase(light(low), light(low, riket)) == "tydligt lägre än i länet och riket"
        assert ki.compare_phrase(light(high), light(unclear, riket)) == \
            "tydligt högre än i länet och ingen tydlig skillnad mot riket"
        assert ki.compare_phrase(light(unclear), light(unclear, riket)) == "ingen tydlig skillnad mot länet och riket"
        assert ki.compare_phrase(light(indicators.MISSING), light(high, riket)) == "tydligt högre än i riket"
        assert ki.compare_phrase(light(indicators.MISSING), light(indicators.MISSING, riket)) == "jämförelse saknas"

    def test_classes(self):
        t = key_table([{"indicator": "A", "lan": light(indicators.HIGHER), "riket": light(indicators.LOWER, "riket")},
                       {"indicator": "B", "lan": light(indicators.MISSING)}])
        assert ki.key_indicator_classes(t) == {"Jämfört med länet": ["sämre", None],
                                               "Jämfört med riket": ["bättre", None]}
        assert ki.key_indicator_classes(indicators.indicator_table(None)) == {"Jämfört med länet": [],
                                                                              "Jämfört med riket": []}

    def test_figures_for_the_json(self):
        t = key_table([{"indicator": "A", "value": 250.0, "value_lan": 226.0, "value_riket": float("nan"),
                        "lan": light(indicators.HIGHER, p=0.01, estimate=1.5),
                        "riket": light(indicators.MISSING, indicators.RIKET)},
                       {"indicator": "Otrygg", "source": indicators.NTU, "year": None, "lan": light(indicators.LOWER)}])
        rows = ki.key_indicator_figures(t)
        assert rows[0] == {"source": "Anmälda brott", "indicator": "A", "year": 2024, "value": 250.0,
                           "value_lan": 226.0, "value_riket": None,
                           "lan": {"status": "högre", "assessment": "sämre", "estimate": 1.5, "p_value": 0.01},
                           "riket": {"status": "saknas", "assessment": None, "estimate": None, "p_value": None}}
        assert rows[1]["source"] == "NTU" and rows[1]["year"] is None
        assert rows[1]["lan"]["status"] == "lägre" and rows[1]["lan"]["assessment"] == "bättre"
        assert ki.key_indicator_figures(indicators.indicator_table(None)) == []

    def test_a_row_without_a_year(self):
        t = key_table([{"indicator": "A", "year": None}, {"indicator": "B", "year": 2024}])  # pandas: NaN, 2024.0
        assert ki.key_indicator_display(t)["År"].tolist() == ["–", "2024"]
        assert [r["year"] for r in ki.key_indicator_figures(t)] == [None, 2024]
