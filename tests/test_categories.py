"""Unit tests of lagesbild.sources.categories: units in titles, Kolada's names, the sets, themes, focus areas."""

from __future__ import annotations

import pytest

from lagesbild.sources import categories
from lagesbild.sources.categories import KI_SET, OTHER_SET, SOL_SET, TOTAL, FocusMatch

SOL_NAMES = [
    TOTAL,
    "Brott mot person (3–7 kap. BrB)",
    "Stöld och rån m.m. (8 kap. BrB)",
    "Inbrottsstöld i bostad",
    "Skadegörelsebrott (12 kap. BrB)",
    "Narkotikabrott + vapenlagsbrott",
]
KI_NAMES = [
    "Stöld och tillgreppsbrott, totalt",
    "Bostadsinbrott",
    "Bilbrott",
    "Skadegörelsebrott",
    "Narkotikabrott",
    "Trafikbrott, totalt",
    "Rån mot privatperson, unga",
    "Våld i offentlig miljö mot vuxna",
    "Våld i nära relationer, mot kvinnor",
    "Våld i nära relationer, mot män",
    "Våld i offentlig miljö mot barn och unga, flickor",
    "Våld i offentlig miljö mot barn och unga, pojkar",
    "Våld i inomhusmiljö mot barn och unga, flickor",
    "Våld i inomhusmiljö mot barn och unga, pojkar",
]
HELSINGBORG_FOCUS = ["Våld i offentlig miljö", "Skadegörelsebrott", "Narkotikabrott"]


class TestSplitUnit:
    @pytest.mark.parametrize("title, expected", [
        # Kolada's titles
        ("Anmälda brott totalt, antal/100 000 inv", ("Anmälda brott totalt", "rate")),
        ("Anmälda våldsbrott, antal/100 000 inv.", ("Anmälda våldsbrott", "rate")),
        ("Anmälda brott om skadegörelse, antal/100 000 inv", ("Anmälda brott om skadegörelse", "rate")),
        ("Anmälda narkotikabrott, antal", ("Anmälda narkotikabrott", "count")),
        # spreadsheet headings
        ("Skadegörelse per 100 000 invånare", ("Skadegörelse", "rate")),
        ("Bilbrott (per 100 000 inv)", ("Bilbrott", "rate")),
        ("Rån per 100\u00a0000 invånare", ("Rån", "rate")),
        ("Rån per 100000 invånare", ("Rån", "rate")),
        ("Cykelstöld (antal)", ("Cykelstöld", "count")),
        ("Cykelstöld, antal", ("Cykelstöld", "count")),
    ])
    def test_unit_written_into_the_title(self, title, expected):
        assert categories.split_unit(title) == expected

    @pytest.mark.parametrize("title", ["Bilbrott", TOTAL, "Antal anmälda brott"])
    def test_title_without_unit_is_kept(self, title):
        # "antal" at the start of a name is part of the name, not its unit
        assert categories.split_unit(title) == (title, None)

    def test_surrounding_spaces_are_dropped(self):
        assert categories.split_unit("  Bilbrott  ") == ("Bilbrott", None)

    def test_a_title_that_is_only_a_unit_keeps_its_text(self):
        assert categories.split_unit("per 100 000 invånare") == ("per 100 000 invånare", None)


class TestCanonicalName:
    @pytest.mark.parametrize("title, name", [
        ("Anmälda brott totalt", TOTAL),
        ("Anmälda våldsbrott", "Våldsbrott"),
        ("Anmälda stöld- och tillgreppsbrott", "Stöld och tillgreppsbrott, totalt"),
        ("Anmälda stöldbrott", "Stöld och tillgreppsbrott, totalt"),
        ("Anmälda skadegörelsebrott", "Skadegörelsebrott"),
        ("Anmälda brott om skadegörelse", "Skadegörelsebrott"),
        ("Anmälda narkotikabrott", "Narkotikabrott"),
        ("Anmälda bostadsinbrott", "Bostadsinbrott"),
    ])
    def test_every_kolada_title(self, title, name):
        assert categories.canonical_name(title) == name

    def test_case_and_spaces_do_not_matter(self):
        assert categories.canonical_name("  ANMÄLDA NARKOTIKABROTT ") == "Narkotikabrott"

    def test_every_pattern_is_covered_above(self):
        assert len(categories.KOLADA_TITLES) == 7

    def test_other_titles_are_kept_stripped(self):
        assert categories.canonical_name(" Cykelstöld ") == "Cykelstöld"
        assert categories.canonical_name(TOTAL) == TOTAL

    def test_the_unit_must_be_split_off_first(self):
        title = "Anmälda brott totalt, antal/100 000 inv"
        assert categories.canonical_name(title) == title
        assert categories.canonical_name(categories.split_unit(title)[0]) == TOTAL


class TestCategorySet:
    @pytest.mark.parametrize("name", SOL_NAMES)
    def test_sol_names_and_the_total(self, name):
        assert categories.category_set(name) == SOL_SET

    @pytest.mark.parametrize("name", KI_NAMES)
    def test_kommunindikatorer(self, name):
        assert categories.category_set(name) == KI_SET

    @pytest.mark.parametrize("name", ["Cykelstöld", "Våldsbrott", "bilbrott", ""])
    def test_anything_else_is_other(self, name):
        assert categories.category_set(name) == OTHER_SET

    def test_the_lists_above_are_the_bundled_sets(self):
        assert list(categories.SOL_NAMES) == SOL_NAMES
        assert [c.name for c in categories.KOMMUNINDIKATORER] == KI_NAMES


class TestThemesOf:
    @pytest.mark.parametrize("text, themes", [
        ("Våld i offentlig miljö", ["person"]),
        ("Olaga hot", ["person"]),
        ("Hotet mot butiker", ["person"]),
        ("Rån mot privatperson", ["stold"]),
        ("Cykelstöld", ["stold"]),
        ("Bostadsinbrott", ["inbrott"]),
        ("Klotter", ["skadegorelse"]),
        ("Narkotikabrott", ["narkotika"]),
        ("Rattfylleri", ["trafik"]),
        ("Totalt antal anmälda brott", ["total"]),
        ("Stöld och inbrott", ["stold", "inbrott"]),
    ])
    def test_words_and_compounds(self, text, themes):
        assert categories.themes_of(text) == themes

    @pytest.mark.parametrize("text", ["Brott från bil", "Hotell och restauranger", "Bedrägeri"])
    def test_words_inside_other_words_do_not_count(self, text):
        # "rån" in "från", "hot" in "hotell"
        assert categories.themes_of(text) == []

    def test_case_does_not_matter(self):
        assert categories.themes_of("NARKOTIKA") == ["narkotika"]


class TestThemeOf:
    def test_bundled_category_has_its_own_theme(self):
        # "Brott mot person" also contains "brott" but the bundled theme decides
        assert categories.theme_of("Brott mot person (3–7 kap. BrB)") == "person"
        assert categories.theme_of("Rån mot privatperson, unga") == "stold"

    def test_other_category_by_its_only_theme(self):
        assert categories.theme_of("Våldsbrott") == "person"
        assert categories.theme_of("Stöld och inbrott") is None  # two themes: none
        assert categories.theme_of("Bedrägeri") is None


class TestMatchFocus:
    def test_helsingborg_sol_only(self):
        m = categories.match_focus(SOL_NAMES, HELSINGBORG_FOCUS)
        assert list(m) == HELSINGBORG_FOCUS
        # no SOL category begins with "Våld i offentlig miljö": the SOL category of violence, broader
        assert m["Våld i offentlig miljö"].direct == []
        assert m["Våld i offentlig miljö"].broader == ["Brott mot person (3–7 kap. BrB)"]
        assert m["Skadegörelsebrott"].direct == ["Skadegörelsebrott (12 kap. BrB)"]
        assert m["Skadegörelsebrott"].broader == []
        assert m["Narkotikabrott"].direct == ["Narkotikabrott + vapenlagsbrott"]
        assert m["Narkotikabrott"].broader == []

    def test_falun_sol_and_kommunindikatorer(self):
        m = categories.match_focus(SOL_NAMES + KI_NAMES, HELSINGBORG_FOCUS)
        violence = m["Våld i offentlig miljö"]
        assert violence.direct == ["Våld i offentlig miljö mot vuxna",
                                   "Våld i offentlig miljö mot barn och unga, flickor",
                                   "Våld i offentlig miljö mot barn och unga, pojkar"]
        assert violence.broader == ["Brott mot person (3–7 kap. BrB)"]
        assert violence.all == violence.direct + violence.broader
        assert m["Skadegörelsebrott"].direct == ["Skadegörelsebrott (12 kap. BrB)", "Skadegörelsebrott"]
        assert m["Skadegörelsebrott"].broader == []
        assert m["Narkotikabrott"].direct == ["Narkotikabrott + vapenlagsbrott", "Narkotikabrott"]
        assert m["Narkotikabrott"].broader == []

    def test_focus_area_matching_nothing(self):
        m = categories.match_focus(SOL_NAMES + KI_NAMES, ["Bedrägeri"])
        assert m["Bedrägeri"] == FocusMatch("Bedrägeri", [], [])
        assert m["Bedrägeri"].all == []

    def test_theme_without_a_sol_category_matches_nothing(self):
        # traffic offences are only a kommunindikator: in a SOL-only kommun nothing matches
        assert categories.match_focus(SOL_NAMES, ["Trafikbrott"])["Trafikbrott"].all == []
        both = categories.match_focus(SOL_NAMES + KI_NAMES, ["Trafikbrott"])
        assert both["Trafikbrott"].all == ["Trafikbrott, totalt"]

    def test_a_direct_match_on_the_total_still_gets_no_broader_theme(self):
        m = categories.match_focus(SOL_NAMES, ["totalt"])["totalt"]
        assert (m.direct, m.broader) == ([TOTAL], [])

    def test_broader_by_theme_for_a_category_only_a_kommunindikator_names(self):
        m = categories.match_focus(SOL_NAMES + KI_NAMES, ["Bostadsinbrott"])["Bostadsinbrott"]
        assert m.direct == ["Bostadsinbrott"]
        assert m.broader == ["Inbrottsstöld i bostad"]


class TestSetOrder:
    def test_sol_then_kommunindikatorer_then_others_alphabetically(self):
        mixed = ["Cykelstöld", "Bilbrott", "Bedrägeri", "Inbrottsstöld i bostad", TOTAL, "Bostadsinbrott",
                 "Bilbrott"]
        assert categories.set_order(mixed) == [TOTAL, "Inbrottsstöld i bostad", "Bostadsinbrott", "Bilbrott",
                                               "Bedrägeri", "Cykelstöld"]
