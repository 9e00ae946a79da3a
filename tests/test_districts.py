"""Counts per district from polisen.se summaries (lagesbild.sources.districts)."""

from __future__ import annotations

import pandas as pd
import pytest

from lagesbild.sources import districts


@pytest.mark.parametrize(("text", "hit"), [
    ("Söder. En skadad person anträffas utomhus.", True),
    ("Skottlossning på Söder i natt.", True),
    ("Bråk vid Söder-skolan", False),        # part of a compound
    ("Brand på Södergatan.", False),
    ("Körde söder om stan.", False),         # a direction, not the district
    ("Rån, Söder", True),
    ("(Söder)", True),
])
def test_mention_pattern_matches_whole_capitalised_words(text, hit):
    assert bool(districts.mention_pattern("Söder").search(text)) is hit


def test_multiword_names_allow_any_whitespace():
    p = districts.mention_pattern("Norra  hamnen")
    assert p.search("Brand i Norra\u00a0hamnen") and p.search("Norra hamnen.") and not p.search("Norra hamnens")


def test_regex_characters_in_names_are_literal():
    p = districts.mention_pattern("St. Jörgen")
    assert p.search("Bråk i St. Jörgen") and not p.search("Bråk i Sta Jörgen")


def test_empty_name_is_rejected():
    with pytest.raises(ValueError, match="empty"):
        districts.mention_pattern("  ")


def test_duplicate_names_are_rejected():
    with pytest.raises(ValueError, match="Söder"):
        districts.mentions(pd.Series(["x"]), ["Söder", " Söder"])


def test_counts_and_types_by_hand():
    ev = pd.DataFrame({
        "summary": ["Söder. Bråk.", "Söder. Bråk.", "Bråk på Söder och i Dalhem.", "Dalhem. Brand.", "Söder. Rån.",
                    None, "Centralt. Stöld."],
        "type": ["Bråk", "Bråk", "Bråk", "Brand", "Rån", "Bråk", "Stöld"],
    })
    out = districts.district_counts(ev, ["Söder", "Dalhem", "Eneborg"])
    assert out["stadsdel"].tolist() == ["Söder", "Dalhem", "Eneborg"]
    assert out["handelser"].tolist() == [4, 2, 0]          # the event naming both counts for both
    assert out["vanligaste_typer"].tolist() == ["Bråk (3)", "", ""]  # types with fewer than 3 are not listed


def test_publishable_counts_mask_one_and_two():
    out = districts.publishable_counts(pd.DataFrame({"stadsdel": ["A", "B", "C"], "handelser": [0, 1, 3],
                                                     "vanligaste_typer": ["", "", ""]}))
    assert out["handelser"].tolist() == [0, "färre än 3", 3]
