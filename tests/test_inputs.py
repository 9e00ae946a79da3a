"""Tests of lagesbild.inputs: the framework the kommun's own tables are declared with.

The tables here are tiny and made up for the test (a fruit list and a basket folder), written as text
or with openpyxl, so that what is tested is the framework, not the place, lab, project, survey or
åtgärdsplan tables declared with it (those have their own test files).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import zipfile

import openpyxl
import pandas as pd
import pytest
from helpers import raises_input_error

from lagesbild.core.workbook import template_workbook
from lagesbild.inputs import coordinates as co
from lagesbild.inputs import folders as fo
from lagesbild.inputs import tables as it
from lagesbild.inputs.tables import Column, Rule, Table

FRUIT = Table(
    "frukt", "Frukt", "En rad per frukt | sort.",
    (
        Column("namn", True, "Fruktens namn.", "äpple", aliases=("frukt",)),
        Column("antal", True, "Antal, heltal 0 eller fler.", "3", aliases=("st", "styck")),
        Column("färg", False, "Färgen; tom = okänd.", "röd", key="farg"),
        Column("plockad", False, "Dag då frukten plockades, ÅÅÅÅ-MM-DD.", "2025-03-14"),
    ),
    rows=(("äpple", "3", "röd", "2025-03-14"), ("päron", "1 200", "", "")),
    templates="data/templates/frukt", names=("fruktlista",), description="Fruktlista", noun="fruit list",
    row_noun="fruit",
)
BASKET = Table("korg", "Korg", "En rad per korg.", (Column("korg_id", True, "Korgens id.", "K1"),),
               rows=(("K1",),), templates="data/templates/frukt", description="Korgar", noun="basket register",
               row_noun="basket")


def write_csv(tmp_path, text: str, name: str = "frukt.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def where(err, row, column, *in_message):
    assert (err.row, err.column) == (row, column), str(err)
    for text in in_message:
        assert text in str(err), f"{text!r} not in {err}"


# ============================================================================================
# Declaring a table
# ============================================================================================


class TestNormalise:
    def test_case_spaces_and_bom(self):
        assert it.normalise("\ufeff  Antal  Frukter ") == "antal frukter"
        assert it.normalise(2024) == "2024"


class TestTable:
    def test_header_fields_and_lookup(self):
        assert FRUIT.header == ["namn", "antal", "färg", "plockad"]
        assert FRUIT.fields == ["namn", "antal", "farg", "plockad"]
        assert FRUIT.lookup == {"namn": "namn", "frukt": "namn", "antal": "antal", "st": "antal", "styck": "antal",
                                "färg": "farg", "plockad": "plockad"}
        assert FRUIT.column("farg").name == "färg"
        with pytest.raises(KeyError):
            FRUIT.column("färg")

    def test_other_names(self):
        assert FRUIT.is_named("FRUKT") and FRUIT.is_named("Fruktlista") and not FRUIT.is_named("frukter")

    def test_two_columns_with_one_name_are_refused(self):
        with pytest.raises(ValueError, match="share a name"):
            Table("x", "X", "", (Column("a", True, ""), Column("b", True, "", key="a")))

    def test_example_rows_must_fit(self):
        with pytest.raises(ValueError, match="2 cells, not 1"):
            Table("x", "X", "", (Column("a", True, ""),), rows=(("1", "2"),))

    def test_table_takes_examples_from_rows(self):
        t = it.table("x", "X", "", [("a", True, "A.", "alias"), Column("b", False, "B."), Column("c", False, "C.", "c0")],
                     [("", "", "c1"), ("a1", "b1", "")], noun="x list")
        assert [(c.name, c.example, c.aliases) for c in t.columns] == [("a", "a1", ("alias",)), ("b", "b1", ()),
                                                                       ("c", "c0", ())]
        assert t.noun == "x list"


# ============================================================================================
# Reading a file: header errors name file, row 1, column and the fix
# ============================================================================================


class TestRead:
    def test_aliases_case_and_absent_optional_columns(self, tmp_path):
        path = write_csv(tmp_path, "FRUKT;St\näpple;3\npäron;1\n")
        df, headers = FRUIT.read(path)
        assert list(df.columns) == ["namn", "antal", "farg", "plockad"]
        assert df.index.tolist() == [2, 3]  # spreadsheet rows
        assert df.loc[3].tolist() == ["päron", "1", "", ""]
        assert headers == {"namn": "FRUKT", "antal": "St", "farg": "färg", "plockad": "plockad"}
        assert (df.attrs["file"], df.attrs["absent"]) == (str(path), ["farg", "plockad"])

    def test_unknown_column(self, tmp_path):
        path = write_csv(tmp_path, "namn;antal;vikt\näpple;3;100\n")
        err = raises_input_error(FRUIT.read, path)
        assert err.file == str(path)
        where(err, 1, "vikt", "unknown column 'vikt'", "one of the template's columns (namn, antal, färg, plockad)",
              "see data/templates/frukt/README.md")

    def test_two_columns_that_mean_the_same(self, tmp_path):
        err = raises_input_error(FRUIT.read, write_csv(tmp_path, "namn;st;antal\näpple;3;3\n"))
        where(err, 1, "antal", "the columns 'st' and 'antal' mean the same thing", "keep one of them")

    def test_missing_required_column(self, tmp_path):
        err = raises_input_error(FRUIT.read, write_csv(tmp_path, "namn;färg\näpple;röd\n"))
        where(err, 1, None, "required column(s) missing: antal", "found: namn, färg",
              "start from data/templates/frukt/frukt.csv")

    def test_excel_sheet_named_after_the_table_else_the_first(self, tmp_path):
        wb = openpyxl.Workbook()
        wb.active.title = "Läs mig"
        wb.active.append(["text"])
        sheet = wb.create_sheet("Fruktlista")
        sheet.append(["namn", "antal"])
        sheet.append(["äpple", 3])
        wb.save(tmp_path / "frukt.xlsx")
        df, _ = FRUIT.read(tmp_path / "frukt.xlsx")
        assert df.loc[2, ["namn", "antal"]].tolist() == ["äpple", "3"]
        del wb["Läs mig"]
        wb.active.title = "Blad1"
        wb.save(tmp_path / "annat.xlsx")
        assert FRUIT.read(tmp_path / "annat.xlsx")[0].loc[2, "namn"] == "äpple"


# ============================================================================================
# Cells: a bad value in row N names file, row N, the column as written and the fix
# ============================================================================================


class TestCheckCells:
    RULES = {"namn": it.NOT_EMPTY,
             "farg": Rule(it.in_vocabulary(["röd", "grön"]), lambda v: f"{v!r} is not a colour", "write röd or grön")}

    def test_first_bad_cell_by_row_then_rule(self, tmp_path):
        path = write_csv(tmp_path, "namn;antal;Färg\näpple;3;röd\n;1;blå\npäron;2;lila\n")
        df, headers = FRUIT.read(path)
        err = raises_input_error(it.check_cells, df, self.RULES, str(path), headers)
        assert err.file == str(path)
        where(err, 3, "namn", "the cell is empty", "this column cannot be empty")
        err = raises_input_error(it.check_cells, df, {"farg": self.RULES["farg"], "namn": it.NOT_EMPTY},
                                 str(path), headers)
        where(err, 3, "Färg", "'blå' is not a colour", "write röd or grön")

    def test_good_cells_pass(self, tmp_path):
        df, headers = FRUIT.read(write_csv(tmp_path, "namn;antal;färg\näpple;3;Röd\n"))
        it.check_cells(df, self.RULES, "f", headers)


class TestVocabulary:
    def test_rule_and_canonical_spelling(self):
        rule = it.vocabulary(("röd", "grön"), {"ljusgrön": "grön"}, "colour")
        assert rule.ok(pd.Series(["RÖD", " ljusgrön", "blå"])).tolist() == [True, True, False]
        assert (rule.problem("blå"), rule.problem(""), rule.fix) == ("'blå' is not a colour", "the colour is empty",
                                                                     "write one of: röd, grön")
        assert it.canonical(pd.Series(["RÖD", "Ljusgrön"]), ("röd", "grön"), {"ljusgrön": "grön"}).tolist() == \
            ["röd", "grön"]

    def test_kommun_rule(self):
        rule = it.kommun_rule("2080 for Falun")
        assert rule.ok(pd.Series(["2080", "0114", "114", "9999", ""])).tolist() == [True, True, False, False, False]
        assert it.kommun_rule(allow_empty=True).ok(pd.Series([""])).tolist() == [True]
        assert "2080 for Falun" in rule.fix and "keep the leading zero" in rule.fix


class TestNumbers:
    def test_swedish_numbers_and_the_bad_row(self, tmp_path):
        path = write_csv(tmp_path, "namn;antal\näpple;1 200\npäron;2,5\nplommon;många\n")
        df, headers = FRUIT.read(path)
        assert it.numbers(df.loc[[2, 3]], "antal", str(path), headers).tolist() == [1200.0, 2.5]
        where(raises_input_error(it.numbers, df, "antal", str(path), headers), 4, "antal", "'många' is not a number")

    def test_minimum_and_integer(self, tmp_path):
        df, headers = FRUIT.read(write_csv(tmp_path, "namn;antal\näpple;3\npäron;-1\n"))
        err = raises_input_error(it.numbers, df, "antal", "frukt.csv", headers, minimum=0, what="count")
        where(err, 3, "antal", "count '-1' is below 0", "write the count as a number 0 or larger")
        df, headers = FRUIT.read(write_csv(tmp_path, "namn;antal\näpple;2,5\n"))
        assert raises_input_error(it.numbers, df, "antal", "f", headers, integer=True).row == 2


class TestDatesAndTimes:
    def test_dates(self):
        values = pd.Series(["2025-03-14", " 2024-02-29 00:00:00"], index=[2, 3])
        assert it.parse_dates(values, "f", "plockad").dt.strftime("%Y-%m-%d").tolist() == ["2025-03-14", "2024-02-29"]
        err = raises_input_error(it.parse_dates, pd.Series(["2025-03-14", "14 mars"], index=[2, 3]), "f", "plockad")
        where(err, 3, "plockad", "'14 mars' is not a date", "2025-03-14")
        assert "the date is empty" in str(raises_input_error(it.parse_dates, pd.Series([""], index=[2]), "f", "d"))

    def test_a_day_after_today_only_when_allowed(self):
        tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
        values = pd.Series(["2025-01-01", tomorrow], index=[2, 3])
        assert len(it.parse_dates(values, "f", "d")) == 2
        err = raises_input_error(it.parse_dates, values, "f", "d", allow_future=False)
        where(err, 3, "d", f"'{tomorrow}' is in the future", "year mistyped")

    def test_times(self):
        values = pd.Series(["2025-03-14 22.15", "2025-03-14T7:05:09.6"], index=[2, 3])
        assert it.parse_times(values, "f", "tid").dt.strftime("%H:%M:%S").tolist() == ["22:15:00", "07:05:10"]
        where(raises_input_error(it.parse_times, pd.Series(["2025-03-14"], index=[4]), "f", "tid"), 4, "tid",
              "has no time of day")


class TestUnique:
    def test_first_repeat_reading_from_the_top(self):
        assert it.first_repeat(pd.Series(["a", "b", "b", "a"], index=[2, 3, 4, 5])) == (3, 4)
        assert it.first_repeat(pd.Series(["a", "b"], index=[2, 3])) is None

    def test_check_unique_names_both_rows_and_ignores_empty_cells(self):
        it.check_unique(pd.Series(["", "a", ""], index=[2, 3, 4]), "f", "namn", "namn")
        err = raises_input_error(it.check_unique, pd.Series(["a", "", "b", "a"], index=[2, 3, 4, 5]), "f", "Namn",
                                 "namn")
        where(err, 5, "Namn", "namn 'a' appears in rows 2 and 5", "every row needs its own namn")
        err = raises_input_error(it.check_unique, pd.Series(["a", "a"], index=[2, 3]), "f", "n", "id", "renumber")
        assert err.fix == "renumber"


def test_first_row_and_cell_text():
    assert it.first_row(pd.Series([False, True], index=[7, 8])) == 8
    assert it.cell_text(pd.Series([" a ", None, math.nan])).tolist() == ["a", "", ""]
    assert it.is_filled(pd.Series([" ", "x"])).tolist() == [False, True]


# ============================================================================================
# Template files: CSV, workbook, README; written the same way every time
# ============================================================================================


def fruit_workbook() -> bytes:
    rows = [*it.instructions_rows([FRUIT, BASKET], "Mall för frukt", "Fyll i bladen."), ("Regel", "", "Text.", "")]
    return template_workbook([FRUIT, BASKET], rows)


def fruit_readme() -> str:
    return "\n".join(["# Frukt", "", *it.files_markdown([FRUIT, BASKET], {"datum": "when"}),
                      *it.columns_markdown(FRUIT), *it.columns_markdown(BASKET)])


class TestTemplateFiles:
    def test_csv_text(self):
        text = FRUIT.csv_text([{"Frukt": "äpple", "styck": 3, "farg": None}, ("päron", "1", math.nan, "2025-03-14"),
                               {"namn": 'a;b "c"'}])
        assert text.startswith("\ufeff")
        assert text[1:].splitlines() == ["namn;antal;färg;plockad", "äpple;3;;", "päron;1;;2025-03-14",
                                         '"a;b ""c""";;;']
        with pytest.raises(ValueError, match="unknown column"):
            FRUIT.csv_text([{"vikt": 1}])
        with pytest.raises(ValueError, match="4 cells"):
            FRUIT.csv_text([("äpple",)])

    def test_written_csv_reads_back(self, tmp_path):
        FRUIT.write_csv(tmp_path / "frukt.csv", FRUIT.rows)
        df, _ = FRUIT.read(tmp_path / "frukt.csv")
        assert df.values.tolist() == [list(r) for r in FRUIT.rows]

    def test_instructions_rows(self):
        rows = it.instructions_rows([FRUIT], "Mall för frukt", "Fyll i bladet.")
        assert rows[:4] == [("Mall för frukt", "", "Fyll i bladet.", ""), it.BLANK,
                            ("frukt – Frukt", "", "En rad per frukt | sort.", ""),
                            ("Kolumn", "Obligatorisk kolumn", "Beskrivning", "Exempel")]
        assert rows[4:] == [("namn", "ja", "Fruktens namn.", "äpple"), ("antal", "ja", "Antal, heltal 0 eller fler.", "3"),
                            ("färg", "nej", "Färgen; tom = okänd.", "röd"),
                            ("plockad", "nej", "Dag då frukten plockades, ÅÅÅÅ-MM-DD.", "2025-03-14"), it.BLANK]

    def test_readme_tables(self):
        text = fruit_readme()
        assert "| `frukt.csv` / `frukt.xlsx` | Frukt |" in text
        assert "| `metadata.yaml` | `datum`: when. Other keys are an error. |" in text
        assert "## `frukt` – Frukt\n\nEn rad per frukt | sort.\n" in text  # purpose is a paragraph, not a cell
        assert "| namn | ja | Fruktens namn. (eller `frukt`) | äpple |" in text
        assert "| antal | ja | Antal, heltal 0 eller fler. (eller `st`, `styck`) | 3 |" in text
        assert it.columns_markdown(Table("x", "X", "P", (Column("a", False, "a | b", "c|d"),)))[-2] == \
            "| a | nej | a \\| b | c\\|d |"

    def test_generated_note(self):
        assert it.generated_note("m.write_templates", "T", "lib/m.py") == (
            "<!-- Generated by m.write_templates(); do not edit by hand: edit T in lib/m.py and run the function "
            "again. -->")

    def test_write_templates_is_deterministic(self, tmp_path):
        a = it.write_templates(tmp_path / "a", [FRUIT, BASKET], workbook_name="mallar.xlsx", workbook=fruit_workbook(),
                               readme=fruit_readme())
        b = it.write_templates(tmp_path / "b", [FRUIT, BASKET], workbook_name="mallar.xlsx", workbook=fruit_workbook(),
                               readme=fruit_readme())
        assert [p.name for p in a] == ["frukt.csv", "korg.csv", "mallar.xlsx", "README.md"]
        for x, y in zip(a, b, strict=True):
            assert x.read_bytes() == y.read_bytes(), x.name
        assert a[3].read_text(encoding="utf-8") == fruit_readme()
        with zipfile.ZipFile(a[2]) as z:
            assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}

    def test_workbook_sheets(self, tmp_path):
        wb = openpyxl.load_workbook(io.BytesIO(fruit_workbook()))
        assert wb.sheetnames == ["frukt", "korg", "Instruktioner"]
        assert [tuple(c.value for c in r) for r in wb["frukt"].iter_rows()] == [
            ("namn", "antal", "färg", "plockad"), ("äpple", "3", "röd", "2025-03-14"), ("päron", "1 200", None, None)]
        assert wb["frukt"]["B3"].number_format == "@"  # stored as text: 0114 and 1 200 stay as written
        assert wb["Instruktioner"]["A1"].value == "Mall för frukt" and wb["Instruktioner"]["A1"].font.bold
        (tmp_path / "mallar.xlsx").write_bytes(fruit_workbook())
        df, _ = FRUIT.read(tmp_path / "mallar.xlsx")  # the sheet named after the table
        assert df["namn"].tolist() == ["äpple", "päron"]


# ============================================================================================
# Folders and metadata.yaml
# ============================================================================================

FRUIT_FOLDER = fo.Folder("fruit folder", (FRUIT, BASKET), needs=("frukt",), table_noun="fruit-folder table",
                         example_kommun="2080")
ONE_TABLE = fo.Folder("fruit-list folder", (FRUIT,), needs=("frukt",), table_noun="fruit-list table",
                      merge_hint="put all fruit in one table")


def make_folder(tmp_path, *names: str):
    folder = tmp_path / "frukter"
    folder.mkdir(exist_ok=True)
    for name in names:
        (folder / name).write_text("namn;antal\näpple;3\n", encoding="utf-8")
    return folder


class TestFolder:
    def test_needs_must_be_its_tables(self):
        with pytest.raises(ValueError, match="needs"):
            fo.Folder("x", (FRUIT,), needs=("korg",))

    def test_find_ignores_other_files(self, tmp_path):
        folder = make_folder(tmp_path, "Frukt.csv", "korg.xlsx", "README.md", "~$frukt.xlsx", ".frukt.csv")
        assert {k: p.name for k, p in FRUIT_FOLDER.find(folder).items()} == {"frukt": "Frukt.csv", "korg": "korg.xlsx"}
        (folder / "Frukt.csv").unlink()
        assert FRUIT_FOLDER.find(make_folder(tmp_path, "FRUKTLISTA.csv"))["frukt"].name == "FRUKTLISTA.csv"

    def test_a_table_that_is_none_of_the_folders(self, tmp_path):
        folder = make_folder(tmp_path, "frukt.csv", "grönsaker.csv")
        err = raises_input_error(FRUIT_FOLDER.find, folder)
        assert err.file == str(folder / "grönsaker.csv")
        assert "'grönsaker.csv' is not a fruit-folder table" in err.problem and "frukt, korg (.csv or .xlsx)" in err.fix
        err = raises_input_error(ONE_TABLE.find, folder)
        assert err.fix == "name the fruit list frukt.csv or frukt.xlsx, or move the file out of the folder"

    def test_two_files_of_one_table(self, tmp_path):
        folder = make_folder(tmp_path, "frukt.csv", "frukt.xlsx")
        err = raises_input_error(FRUIT_FOLDER.find, folder)
        assert (err.problem, err.fix) == ("there are two frukt files (frukt.csv and frukt.xlsx)",
                                          "keep one of them in the folder")
        err = raises_input_error(ONE_TABLE.find, folder)
        assert (err.problem, err.fix) == ("there are two fruit lists (frukt.csv and frukt.xlsx)",
                                          "keep one of them in the folder (put all fruit in one table)")

    def test_missing_folder(self, tmp_path):
        err = raises_input_error(FRUIT_FOLDER.open, tmp_path / "saknas", "2080")
        assert err.problem == "the fruit folder does not exist"
        assert err.fix == "create it with at least frukt.csv (copy data/templates/frukt/), or correct the path"
        err = raises_input_error(ONE_TABLE.open, tmp_path / "saknas", "2080")
        assert err.fix == "create it with frukt.csv (copy data/templates/frukt/frukt.csv), or correct the path"

    def test_needed_table_missing(self, tmp_path):
        folder = make_folder(tmp_path, "korg.csv")
        err = raises_input_error(FRUIT_FOLDER.open, folder, "2080")
        assert err.file == str(folder / "frukt.csv")
        assert (err.problem, err.fix) == ("the folder has no fruit list (frukt.csv or frukt.xlsx)",
                                          "add frukt.csv from data/templates/frukt/ with one row per fruit")
        either = fo.Folder("fruit folder", (FRUIT, BASKET), needs=("frukt", "korg"))
        assert either.open(folder, "2080").tables.keys() == {"korg"}
        err = raises_input_error(either.require, folder, {})
        assert err.problem == ("the folder has neither a fruit list (frukt.csv/.xlsx) nor a basket register "
                               "(korg.csv/.xlsx)")
        assert err.fix == "add frukt.csv and/or korg.csv from data/templates/frukt/"

    def test_bad_kommun_argument(self, tmp_path):
        err = raises_input_error(FRUIT_FOLDER.open, make_folder(tmp_path, "frukt.csv"), "208")
        assert (err.problem, err.fix) == ("kommun '208' is not a four-digit kommun code", "pass e.g. '2080'")

    def test_open_and_provenance(self, tmp_path):
        folder = make_folder(tmp_path, "frukt.csv", "korg.csv")
        found = FRUIT_FOLDER.open(folder, " 2080 ")
        assert found.kommun == "2080" and not found.example
        files = found.provenance()
        today = dt.date.today().isoformat()
        assert [(f["name"], f["description"], f["date"]) for f in files] == [
            ("frukter/frukt.csv", "Fruktlista", today), ("frukter/korg.csv", "Korgar", today)]
        assert files[0]["sha256"] == hashlib.sha256((folder / "frukt.csv").read_bytes()).hexdigest()
        (folder / "metadata.yaml").write_text("exempeldata: true\ndatum: 2024-12-31\nkalla: Torget\n", encoding="utf-8")
        found = FRUIT_FOLDER.open(folder, "2080")
        assert found.example and found.metadata["kalla"] == "Torget"
        assert [(f["name"], f["description"], f["date"]) for f in found.provenance(["korg"])] == [
            ("frukter/korg.csv", "Korgar (påhittade exempeldata)", "2024-12-31")]


class TestReadMetadata:
    def test_defaults_and_values(self, tmp_path):
        path = tmp_path / "metadata.yaml"
        path.write_text("beskrivning: Frukt\nkalla: 12\n", encoding="utf-8")
        assert fo.read_metadata(path) == {"exempeldata": False, "beskrivning": "Frukt", "kalla": "12", "datum": ""}
        assert fo.read_metadata_defaults() == {"exempeldata": False, "beskrivning": "", "kalla": "", "datum": ""}

    @pytest.mark.parametrize("text, column, needle", [
        ("färg: röd\n", "färg", "unknown key 'färg'"),
        ("exempeldata: ja\n", "exempeldata", "not true or false"),
        ("datum: igår\n", "datum", "not a date"),
        ("kalla: [a, b]\n", "kalla", "not a text"),
        ("- a\n- b\n", None, "not a list of 'key: value' lines"),
        ("kalla: a\nkalla: b\n", None, "appears twice"),
    ])
    def test_errors(self, tmp_path, text, column, needle):
        path = tmp_path / "metadata.yaml"
        path.write_text(text, encoding="utf-8")
        err = raises_input_error(fo.read_metadata, path)
        assert err.column == column and needle in str(err)


# ============================================================================================
# Coordinates
# ============================================================================================


class TestCoordinates:
    def test_crs_spellings(self):
        assert [co.parse_crs(v) for v in ("SWEREF 99 TM", "epsg:4326", "3006", "", "RT90")] == \
            ["EPSG:3006", "EPSG:4326", "EPSG:3006", None, None]
        assert co.crs_rule().ok(pd.Series(["", "WGS84", "RT90"])).tolist() == [True, True, False]

    def test_diagnose(self):
        assert co.diagnose_coordinates(12.7, 56.05, "EPSG:4326") is None
        assert "swapped" in co.diagnose_coordinates(56.05, 12.7, "EPSG:4326")[0]
        assert "RT 90" in co.diagnose_coordinates(1_300_000, 6_200_000, "EPSG:3006")[0]

    def test_positions(self):
        df = pd.DataFrame({"koordinatsystem": ["EPSG:3006", ""], "ost": ["361000", ""], "nord": ["6213000", ""]},
                          index=[2, 3])
        headers = {c: c.upper() for c in df.columns}
        x, y = co.positions(df, "h.csv", headers)
        assert x.tolist()[0] == 361000.0 and math.isnan(x[3])
        half = df.assign(nord=["", ""])
        where(raises_input_error(co.positions, half, "h.csv", headers), 2, "NORD", "OST is filled but NORD is empty")
        no_crs = df.assign(koordinatsystem=["", ""])
        where(raises_input_error(co.positions, no_crs, "h.csv", headers), 2, "KOORDINATSYSTEM", "no koordinatsystem")
        outside = df.assign(ost=["12,7", ""], nord=["56,05", ""])
        where(raises_input_error(co.positions, outside, "h.csv", headers), 2, "OST", "look like WGS 84")

    def test_polygon(self):
        bow_tie = "POLYGON ((358900 6215010, 359050 6215130, 359050 6215010, 358900 6215130, 358900 6215010))"
        where(raises_input_error(co.parse_polygon, bow_tie, "EPSG:3006", "p.csv", 5, "geometri"), 5, "geometri",
              "the polygon is invalid", "Fix Geometries")
        where(raises_input_error(co.parse_polygon, "POLYGON ((", "EPSG:3006", "p.csv", 2, "geometri"), 2, "geometri",
              "not valid WKT")

    def test_coordinate_columns(self):
        assert [(c.name, c.required) for c in co.coordinate_columns()] == [
            ("koordinatsystem", False), ("ost", False), ("nord", False)]
