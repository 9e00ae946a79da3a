"""Tests of lagesbild.sources.readers: CSV and Excel files as Swedish users have them.

Every input file is written in the test from bytes, so the encoding and separator under test
are visible here. Expected values are worked out by hand.
"""

from __future__ import annotations

import io
import math
import zipfile

import numpy as np
import openpyxl
import pandas as pd
from helpers import raises_input_error, write

from lagesbild.core.errors import InputError
from lagesbild.sources.readers import decode, is_missing, read_table, sniff_separator, to_number

NBSP = "\u00a0"  # no-break space, Excel's thousands separator in a Swedish locale
NNBSP = "\u202f"  # narrow no-break space, the thousands separator of newer CLDR locales



def xlsx(tmp_path, name: str, rows: list[list]) -> object:
    """An .xlsx with one sheet holding ``rows`` from A1 (None = empty cell, [] = empty row)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    p = tmp_path / name
    wb.save(p)
    return p



class TestDecode:
    def test_utf8(self):
        assert decode("Gävle;Malmö".encode()) == ("Gävle;Malmö", "utf-8")

    def test_utf8_bom_is_removed(self):
        assert decode(b"\xef\xbb\xbfKommun") == ("Kommun", "utf-8-sig")

    def test_latin1_bytes_fall_back_to_cp1252(self):
        # å = E5, ä = E4, ö = F6 in Latin-1; not valid UTF-8 on their own.
        assert decode(b"\xe5\xe4\xf6") == ("åäö", "cp1252")

    def test_cp1252_en_dash(self):
        # 0x96 is "–" in Windows-1252 (a C1 control code in Latin-1).
        assert decode(b"a\x96b") == ("a–b", "cp1252")

    def test_empty_bytes(self):
        e = raises_input_error(decode, b"  \n", "x.csv")
        assert e.file == "x.csv"
        assert "empty" in e.problem

    def test_utf16_is_refused_not_decoded_as_garbage(self):
        # Excel's "Unicode text" is UTF-16 LE with a BOM: every ASCII letter is followed by a NUL byte.
        e = raises_input_error(decode, "kommun;år\nFalun;2024\n".encode("utf-16"), "x.csv")
        assert e.file == "x.csv" and "NUL bytes" in e.problem and "UTF-16" in e.problem
        assert "CSV UTF-8" in e.fix

    def test_binary_file_is_refused(self):
        e = raises_input_error(decode, b"PK\x03\x04\x14\x00\x06\x00", "x.csv")  # the start of a zip (an .xlsx)
        assert "NUL bytes" in e.problem


class TestSniffSeparator:
    def test_semicolon_although_decimal_commas(self):
        assert sniff_separator(["kommun;antal", "Falun;1,5", "Mora;2,5"]) == ";"

    def test_comma(self):
        assert sniff_separator(["kommun,antal", "Falun,1", "Mora,2"]) == ","

    def test_tab(self):
        assert sniff_separator(["kommun\tantal", "Falun\t1"]) == "\t"

    def test_most_lines_win_over_a_title_line(self):
        assert sniff_separator(["Anmälda brott, 2024", "kommun;år;antal", "Falun;2024;7", "Mora;2024;3"]) == ";"


class TestReadTable:
    # --- encodings ------------------------------------------------------------------------

    def test_utf8(self, tmp_path):
        p = write(tmp_path, "a.csv", "kommun;brottstyp\nÖrebro;Skadegörelse\n".encode())
        df = read_table(p)
        assert list(df.columns) == ["kommun", "brottstyp"]
        assert df.loc[2].tolist() == ["Örebro", "Skadegörelse"]
        assert df.attrs == {"file": str(p), "encoding": "utf-8", "separator": ";"}

    def test_utf8_bom_not_in_first_column_name(self, tmp_path):
        p = write(tmp_path, "a.csv", "Kommun;År\nLuleå;2024\n".encode("utf-8-sig"))
        df = read_table(p)
        assert list(df.columns) == ["Kommun", "År"]
        assert df.attrs["encoding"] == "utf-8-sig"

    def test_latin1_letters_survive(self, tmp_path):
        p = write(tmp_path, "a.csv", "kommun;län\nHärnösand;Västernorrlands län\nÅre;Jämtlands län\n".encode("latin-1"))
        df = read_table(p)
        assert list(df.columns) == ["kommun", "län"]
        assert df["kommun"].tolist() == ["Härnösand", "Åre"]
        assert df.loc[3, "län"] == "Jämtlands län"
        assert df.attrs["encoding"] == "cp1252"

    # --- separators -----------------------------------------------------------------------

    def test_semicolon_with_decimal_comma(self, tmp_path):
        p = write(tmp_path, "a.csv", b"kommun;andel\nFalun;12,5\nMora;3,25\n")
        df = read_table(p)
        assert df.attrs["separator"] == ";"
        assert df["andel"].tolist() == ["12,5", "3,25"]

    def test_comma_with_quoted_text(self, tmp_path):
        p = write(tmp_path, "a.csv", b'kommun,kommentar\nFalun,"stor, men lugn"\n')
        df = read_table(p)
        assert df.attrs["separator"] == ","
        assert df.loc[2, "kommentar"] == "stor, men lugn"

    def test_tab(self, tmp_path):
        p = write(tmp_path, "a.txt", b"kommun\tantal\nFalun\t7\n")
        df = read_table(p)
        assert df.attrs["separator"] == "\t"
        assert df.loc[2, "antal"] == "7"

    def test_tsv_suffix_means_tab(self, tmp_path):
        # One column per line would sniff as ","; the .tsv suffix says tab.
        p = write(tmp_path, "a.tsv", b"kommun, namn\tantal\nFalun, stad\t7\n")
        df = read_table(p)
        assert list(df.columns) == ["kommun, namn", "antal"]

    # --- cells, titles, row numbers -------------------------------------------------------

    def test_cells_and_names_are_stripped_strings(self, tmp_path):
        p = write(tmp_path, "a.csv", b' kommun ;"antal"\n  Falun ; 7 \n')
        df = read_table(p)
        assert list(df.columns) == ["kommun", "antal"]
        assert df.loc[2].tolist() == ["Falun", "7"]
        assert all(pd.api.types.is_string_dtype(t) for t in df.dtypes)

    def test_missing_markers_are_kept_as_text(self, tmp_path):
        p = write(tmp_path, "a.csv", b"kommun;2023;2024\nFalun;..;\n")
        df = read_table(p)
        assert df.loc[2, "2023"] == ".."
        assert df.loc[2, "2024"] == ""

    def test_pxweb_title_line_is_skipped_and_rows_keep_their_numbers(self, tmp_path):
        # Line 1 title, line 2 empty, line 3 header, lines 4-5 data (as SCB's PxWeb exports).
        text = '"Folkmängd efter region och år"\n\n"region";"2022";"2023"\n"2080 Falun";"59 000";"59 100"\n"2062 Mora";"20 000";".."\n'
        p = write(tmp_path, "a.csv", text.encode("cp1252"))
        df = read_table(p)
        assert list(df.columns) == ["region", "2022", "2023"]
        assert df.index.tolist() == [4, 5]
        assert df.index.name == "row"
        assert df.loc[5, "2023"] == ".."

    def test_blank_lines_between_rows_do_not_shift_row_numbers(self, tmp_path):
        p = write(tmp_path, "a.csv", b"a;b\n1;2\n\n3;4\n")
        assert read_table(p).index.tolist() == [2, 4]

    def test_single_column_file(self, tmp_path):
        p = write(tmp_path, "a.csv", b"kommun\nFalun\nMora\n")
        assert read_table(p)["kommun"].tolist() == ["Falun", "Mora"]

    def test_footnote_below_table_is_skipped(self, tmp_path):
        p = write(tmp_path, "a.csv", "kommun;antal\nFalun;7\nKälla: Brå\n".encode())
        df = read_table(p)
        assert df.index.tolist() == [2]

    def test_thousands_separators_stay_in_cells(self, tmp_path):
        text = f"kommun;a;b;c\nFalun;1 234;1{NBSP}234;1{NNBSP}234\n"
        df = read_table(write(tmp_path, "a.csv", text.encode()))
        assert df.loc[2, "b"] == "1\u00a0234"
        assert to_number(df.loc[:, "c"], file="a.csv", column="c").tolist() == [1234.0]

    # --- malformed files ------------------------------------------------------------------

    def test_missing_file(self, tmp_path):
        e = raises_input_error(read_table, tmp_path / "finns_inte.csv")
        assert e.file == str(tmp_path / "finns_inte.csv")
        assert "does not exist" in e.problem

    def test_unsupported_suffix(self, tmp_path):
        p = write(tmp_path, "brott.ods", b"x")
        e = raises_input_error(read_table, p)
        assert e.file == str(p)
        assert "'.ods'" in e.problem
        assert ".xlsx" in e.fix

    def test_empty_file(self, tmp_path):
        p = write(tmp_path, "a.csv", b"")
        e = raises_input_error(read_table, p)
        assert e.file == str(p)
        assert e.row is None
        assert "empty" in e.problem

    def test_only_blank_lines(self, tmp_path):
        p = write(tmp_path, "a.csv", b"\xef\xbb\xbf\n;\n")
        e = raises_input_error(read_table, p)
        assert "no rows" in e.problem

    def test_header_only(self, tmp_path):
        p = write(tmp_path, "a.csv", b"kommun;antal\n")
        e = raises_input_error(read_table, p)
        assert e.file == str(p)
        assert "no data rows" in e.problem

    def test_row_with_too_many_fields_is_named(self, tmp_path):
        # Row 3 has an unquoted decimal comma in a comma-separated file: 4 fields, not 3.
        p = write(tmp_path, "a.csv", b"kommun,ar,antal\nFalun,2023,7\nMora,2023,1,5\nLeksand,2023,2\n")
        e = raises_input_error(read_table, p)
        assert (e.file, e.row, e.column) == (str(p), 3, None)
        assert "4 fields" in e.problem and "3" in e.problem

    def test_row_with_too_few_fields_is_named(self, tmp_path):
        p = write(tmp_path, "a.csv", b"a;b;c\n1;2;3\n4;5\n6;7;8\n")
        e = raises_input_error(read_table, p)
        assert e.row == 3

    def test_duplicate_column_names_differing_in_case(self, tmp_path):
        p = write(tmp_path, "a.csv", b"kommun;antal;Antal\nFalun;1;2\n")
        e = raises_input_error(read_table, p)
        assert (e.file, e.row, e.column) == (str(p), 1, "Antal")
        assert "twice" in e.problem

    def test_column_without_name(self, tmp_path):
        p = write(tmp_path, "a.csv", b"kommun;;antal\nFalun;x;1\n")
        e = raises_input_error(read_table, p)
        assert e.row == 1
        assert "no name" in e.problem

    def test_carriage_return_inside_a_field_is_an_input_error(self, tmp_path):
        # csv.reader refuses a bare CR inside an unquoted field ("new-line character seen in unquoted field").
        p = write(tmp_path, "a.csv", b"a;b\n1;2\n3;x\ry\rz\n")
        e = raises_input_error(read_table, p)
        assert (e.file, e.row) == (str(p), 3)
        assert "cannot be read as a table" in e.problem and "new-line character" in e.problem

    def test_field_beyond_the_csv_size_limit_is_an_input_error(self, tmp_path):
        p = write(tmp_path, "a.csv", b'a;b\n1;"' + b"x" * 200_000 + b'"\n')  # csv's default limit: 131 072
        e = raises_input_error(read_table, p)
        assert "field larger than field limit" in e.problem


class TestReadExcel:
    def test_plain_sheet(self, tmp_path):
        p = xlsx(tmp_path, "a.xlsx", [["kommun", "år", "antal"], ["Gävle", 2024, 1234], ["Mora", 2024, 12.5]])
        df = read_table(p)
        assert list(df.columns) == ["kommun", "år", "antal"]
        assert df.index.tolist() == [2, 3]
        assert df.loc[2].tolist() == ["Gävle", "2024", "1234"]
        assert df.loc[3, "antal"] == "12.5"
        assert df.attrs["encoding"] == "xlsx"

    def test_title_row_and_blank_row_above_header(self, tmp_path):
        # Row 1 title, row 2 empty, row 3 header, rows 4 and 6 data, row 5 empty.
        p = xlsx(tmp_path, "a.xlsx", [
            ["Anmälda brott 2024"], [], ["kommun", "år", "antal"], ["Falun", 2024, 7], [], ["Mora", 2024, 3],
        ])
        df = read_table(p)
        assert list(df.columns) == ["kommun", "år", "antal"]
        assert df.index.tolist() == [4, 6]
        assert df.loc[6, "kommun"] == "Mora"

    def test_other_sheet_by_name(self, tmp_path):
        wb = openpyxl.Workbook()
        wb.active.append(["x"])
        ws = wb.create_sheet("Brott")
        ws.append(["kommun", "antal"])
        ws.append(["Falun", 7])
        wb.save(tmp_path / "a.xlsx")
        df = read_table(tmp_path / "a.xlsx", sheet="Brott")
        assert df.loc[2].tolist() == ["Falun", "7"]

    def test_missing_sheet(self, tmp_path):
        p = xlsx(tmp_path, "a.xlsx", [["a"], [1]])
        e = raises_input_error(read_table, p, sheet="Finns inte")
        assert e.file == str(p)

    def test_empty_sheet(self, tmp_path):
        p = xlsx(tmp_path, "a.xlsx", [])
        e = raises_input_error(read_table, p)
        assert "empty" in e.problem

    def test_header_only(self, tmp_path):
        p = xlsx(tmp_path, "a.xlsx", [["kommun", "antal"]])
        e = raises_input_error(read_table, p)
        assert "no data rows" in e.problem

    def test_duplicate_column_names(self, tmp_path):
        p = xlsx(tmp_path, "a.xlsx", [["Anmälda brott"], ["kommun", "antal", "kommun"], ["Falun", 1, "Falun"]])
        e = raises_input_error(read_table, p)
        assert (e.row, e.column) == (2, "kommun")

    def test_not_an_excel_file(self, tmp_path):
        p = write(tmp_path, "a.xlsx", b"kommun;antal\nFalun;1\n")
        e = raises_input_error(read_table, p)
        assert e.file == str(p)
        assert "cannot be read" in e.problem

    def test_truncated_xlsx(self, tmp_path):
        # What an interrupted download or copy leaves: the zip signature, then nothing usable.
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("xl/workbook.xml", "<workbook/>")
        p = write(tmp_path, "a.xlsx", buf.getvalue()[:40])
        raises_input_error(read_table, p)

    def test_xls_is_read_or_rejected_clearly(self, tmp_path):
        # The 8-byte OLE2 signature every Excel 97-2003 .xls starts with.
        p = write(tmp_path, "a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
        raises_input_error(read_table, p)


class TestIsMissing:
    def test_markers(self):
        cells = pd.Series(["..", ".", "-", "–", "", " ", "NA", "0", "12", "..1"])
        assert is_missing(cells).tolist() == [True] * 7 + [False] * 3

    def test_real_missing_values(self):
        assert is_missing(pd.Series(["1", None, np.nan], dtype=object)).tolist() == [False, True, True]


class TestToNumber:
    def num(self, cells: list[str], **kw) -> list[float]:
        s = pd.Series(cells, index=range(2, 2 + len(cells)))
        return to_number(s, file="a.csv", column="v", **kw).tolist()

    def test_decimal_comma_and_point(self):
        assert self.num(["12,5", "12.5", "0,05", "7"]) == [12.5, 12.5, 0.05, 7.0]

    def test_thousands_separators(self):
        cells = ["1 234", f"1{NBSP}234", f"1{NNBSP}234", f"1{NBSP}234{NBSP}567,8", "1,234.5"]
        assert self.num(cells) == [1234.0, 1234.0, 1234.0, 1234567.8, 1234.5]

    def test_signs(self):
        # "−" is U+2212, the minus sign Excel and typeset reports use.
        assert self.num(["-3", "\u22123", "+4", "–2,5"]) == [-3.0, -3.0, 4.0, -2.5]

    def test_missing_markers_become_nan(self):
        out = self.num(["..", "", "5", "."])
        assert [math.isnan(v) for v in out] == [True, True, False, True]
        assert out[2] == 5.0

    def test_float64_and_same_index(self):
        s = pd.Series(["1", "2"], index=[7, 9])
        out = to_number(s, file="a.csv", column="v")
        assert out.dtype == "float64"
        assert out.index.tolist() == [7, 9]

    def test_integer_accepts_whole_numbers(self):
        assert self.num(["1 200", "3,0", ".."], integer=True)[:2] == [1200.0, 3.0]

    def test_not_a_number_names_row_and_column(self):
        s = pd.Series(["12", "13", "12 st"], index=[2, 3, 4])
        e = raises_input_error(to_number, s, file="brott.csv", column="antal")
        assert (e.file, e.row, e.column) == ("brott.csv", 4, "antal")
        assert "'12 st' is not a number" in e.problem

    def test_not_integer(self):
        s = pd.Series(["12", "3,5"], index=[2, 3])
        e = raises_input_error(to_number, s, file="brott.csv", column="antal", integer=True)
        assert (e.row, e.column) == (3, "antal")
        assert "whole number" in e.problem

    def test_negative_below_minimum(self):
        s = pd.Series(["0", "5", "\u22121"], index=[2, 3, 4])
        e = raises_input_error(to_number, s, file="befolkning.csv", column="folkmängd", minimum=0)
        assert (e.file, e.row, e.column) == ("befolkning.csv", 4, "folkmängd")
        assert "below" in e.problem

    def test_zero_is_allowed_with_minimum_zero(self):
        assert self.num(["0"], minimum=0) == [0.0]

    def test_missing_not_allowed(self):
        s = pd.Series(["59 000", ".."], index=[4, 5])
        e = raises_input_error(to_number, s, file="be0101.csv", column="population", allow_missing=False)
        assert (e.row, e.column) == (5, "population")
        assert "missing" in e.problem

    def test_row_is_none_when_index_is_not_row_numbers(self):
        s = pd.Series(["x"], index=["a"])
        e = raises_input_error(to_number, s, file="a.csv", column="v")
        assert e.row is None and e.column == "v"

    def test_point_thousands_with_decimal_comma(self):
        # The comma comes after the point, so it cannot be a thousands separator.
        try:
            assert self.num(["1.234,5"]) == [1234.5]
        except InputError:
            pass  # rejecting the cell would be as good as reading it right

    def test_nan_and_none_are_missing(self):
        out = to_number(pd.Series([1.5, np.nan, None], index=[2, 3, 4], dtype=object), file="e.parquet", column="lat")
        assert out.iloc[0] == 1.5 and out.iloc[1:].isna().all()
