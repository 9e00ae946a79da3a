"""Tests of lagesbild.sources.schemas.validate: the first failing cell becomes an InputError naming row and column."""

from __future__ import annotations

import pandas as pd
import pytest

from lagesbild.core.errors import InputError
from lagesbild.sources import schemas
from lagesbild.sources.schemas import validate


def population(**columns) -> pd.DataFrame:
    """Two kommuner in 2023; the index is the spreadsheet row (header = row 1)."""
    data = {"kommun_kod": ["2080", "2081"], "kommun": ["Falun", "Borlänge"], "year": [2023, 2023],
            "population": [59000, 52000]}
    data.update(columns)
    return pd.DataFrame(data, index=[2, 3])


def crime(**columns) -> pd.DataFrame:
    data = {"region_code": ["2080", "2080", "00"], "region_name": ["Falun", "Falun", "Hela landet"],
            "year": [2023, 2024, 2024], "indicator": ["Stöld"] * 3, "unit": ["Antal", "Antal", "Antal per 100 000 inv"],
            "value": [100.0, 110.0, 2500.5]}
    data.update(columns)
    return pd.DataFrame(data, index=[2, 3, 4])


def fails(df: pd.DataFrame, schema) -> InputError:
    with pytest.raises(InputError) as info:
        validate(df, schema, "data/raw/x.csv")
    assert info.value.file == "data/raw/x.csv"
    assert "Fix:" in str(info.value)
    return info.value


class TestValidate:
    def test_good_population_passes_unchanged(self):
        df = population()
        out = validate(df, schemas.POPULATION, "x.csv")
        pd.testing.assert_frame_equal(out, df)

    def test_good_crime_passes_with_missing_value(self):
        out = validate(crime(value=[100.0, float("nan"), 2500.5]), schemas.CRIME, "x.csv")
        assert len(out) == 3

    def test_missing_column(self):
        e = fails(population().drop(columns="year"), schemas.POPULATION)
        assert (e.row, e.column) == (None, None)
        assert "year" in e.problem
        assert "kommun_kod, kommun, population" in e.fix  # what was found

    def test_kommun_code_without_leading_zero(self):
        e = fails(population(kommun_kod=["2080", "114"]), schemas.POPULATION)
        assert (e.row, e.column) == (3, "kommun_kod")
        assert "'114'" in e.problem
        assert "0114" in e.fix

    def test_region_code_of_three_digits(self):
        e = fails(crime(region_code=["2080", "2080", "120"]), schemas.CRIME)
        assert (e.row, e.column) == (4, "region_code")

    def test_duplicate_key_rows(self):
        e = fails(population(kommun_kod=["2080", "2080"]), schemas.POPULATION)
        assert e.row == 2  # the first of the duplicated rows
        assert "duplicate" in e.problem
        assert "2080" in e.problem

    def test_duplicate_crime_key(self):
        e = fails(crime(year=[2023, 2023, 2024]), schemas.CRIME)
        assert e.row == 2
        assert "duplicate" in e.problem

    def test_duplicate_names_both_rows_and_every_key_column(self):
        e = fails(crime(region_code=["00", "2080", "2080"], year=[2024, 2024, 2024], unit=["Antal"] * 3), schemas.CRIME)
        assert (e.row, e.column) == (3, None)  # the key has four columns: they are named in the problem
        assert e.problem == ("duplicate rows: rows 3 and 4 have the same region_code '2080', year 2024, "
                             "indicator 'Stöld' and unit 'Antal'")
        assert "region_code, year, indicator, unit" in e.fix

    def test_duplicate_of_a_unique_column(self):
        df = pd.DataFrame({"kommun_kod": ["0114", "2080", "0114"], "kommun": ["Upplands Väsby", "Falun", "X"],
                           "lan_kod": ["01", "20", "01"], "lan": ["Stockholms län", "Dalarnas län", "Stockholms län"]},
                          index=[2, 3, 4])
        e = fails(df, schemas.KOMMUNER)
        assert (e.row, e.column) == (2, "kommun_kod")
        assert "rows 2 and 4 have the same kommun_kod '0114'" in e.problem

    def test_same_key_in_other_unit_is_not_a_duplicate(self):
        df = crime(region_code=["2080"] * 3, year=[2023] * 3, unit=["Antal", "Antal per 100 000 inv", "Antal"],
                   indicator=["Stöld", "Stöld", "Rån"])
        assert len(validate(df, schemas.CRIME, "x.csv")) == 3

    def test_year_out_of_range(self):
        e = fails(population(year=[2023, 1850]), schemas.POPULATION)
        assert (e.row, e.column) == (3, "year")
        assert "1850" in e.problem
        assert "four digits between 1950 and 2100" in e.fix  # 1850 has four digits: the fix names the range

    def test_negative_value(self):
        e = fails(crime(value=[100.0, -1.0, 5.0]), schemas.CRIME)
        assert (e.row, e.column) == (3, "value")
        assert "negative" in e.fix

    def test_negative_population(self):
        e = fails(population(population=[5, -1]), schemas.POPULATION)
        assert (e.row, e.column) == (3, "population")

    def test_unknown_unit(self):
        e = fails(crime(unit=["Antal", "Procent", "Antal"]), schemas.CRIME)
        assert (e.row, e.column) == (3, "unit")
        assert "Antal per 100 000 inv" in e.fix

    def test_first_bad_row_is_reported(self):
        # Rows 3 and 4 are both bad (in different columns); row 3 is named.
        e = fails(crime(value=[1.0, 2.0, -3.0], year=[2023, 1900, 2024]), schemas.CRIME)
        assert (e.row, e.column) == (3, "year")

    def test_kommun_code_must_start_with_lan_code(self):
        df = pd.DataFrame({"kommun_kod": ["2080", "2180"], "kommun": ["Falun", "Fel"], "lan_kod": ["20", "20"],
                           "lan": ["Dalarnas län"] * 2}, index=[2, 3])
        e = fails(df, schemas.KOMMUNER)
        assert e.row == 3
        assert "län code" in e.problem

    def test_wrong_dtype(self):
        e = fails(population(year=[2023.0, 2024.0]), schemas.POPULATION)
        assert e.column == "year"
        assert "wrong type" in e.problem

    def test_message_shows_the_value_as_the_user_wrote_it(self):
        e = fails(population(year=[2023, 1850]), schemas.POPULATION)
        assert "np." not in str(e)
