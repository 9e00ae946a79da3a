"""Tests of lagesbild.summary.texts: the kommun's own texts in the lägesbild (folder, names, encoding, template)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from helpers import raises_input_error, write

from lagesbild.core import reads
from lagesbild.core.paths import DATA, PROJ_ROOT
from lagesbild.summary import texts as tx

TEMPLATES_DIR = DATA / "templates" / "lagesbild_texter"
ALLOWED = ("sammanfattning.md, kartlaggning.md, annan_information.md, analys.md, atgardsplan.md, "
           "uppfoljning.md")


class TestTextsFolder:
    def test_empty_means_no_texts(self):
        assert tx.texts_folder("") is None and tx.texts_folder("  ") is None

    def test_relative_to_the_project_root_like_the_other_folders(self, tmp_path):
        assert tx.texts_folder("data/templates/lagesbild_texter") == PROJ_ROOT / "data/templates/lagesbild_texter"
        assert tx.texts_folder(str(tmp_path)) == tmp_path

    def test_missing_folder_is_an_error_naming_it(self, tmp_path):
        err = raises_input_error(tx.texts_folder, str(tmp_path / "texter"))
        assert err.file == str(tmp_path / "texter") and "does not exist" in err.problem

    def test_a_file_is_not_a_folder(self, tmp_path):
        p = write(tmp_path, "analys.md", b"x")
        err = raises_input_error(tx.texts_folder, str(p))
        assert err.file == str(p) and err.problem == "texts names a file, not a folder"


class TestFindTexts:
    def test_only_the_six_names_in_the_reports_order(self, tmp_path):
        for name in ("uppfoljning.md", "analys.md", "sammanfattning.md", "README.md", "readme.MD", "metadata.yaml",
                     "karta.png", ".analys.md.swp", "~$analys.docx"):
            write(tmp_path, name, b"x")
        (tmp_path / "bilder").mkdir()
        found = tx.find_texts(tmp_path)
        assert list(found) == ["sammanfattning", "analys", "uppfoljning"]
        assert found["analys"] == tmp_path / "analys.md"

    @pytest.mark.parametrize("name", ["Analys.md", "analys.txt", "ANALYS.MD", "slutsatser.md", "analys.markdown",
                                      "analys.md.txt", "analys.docx", "Sammanfattning.md", "atgärdsplan.md"])
    def test_unknown_or_near_miss_names_are_errors_listing_the_allowed(self, tmp_path, name):
        write(tmp_path, "analys.md" if name != "analys.md.txt" else "kartlaggning.md", b"x")
        write(tmp_path, name, b"x")
        err = raises_input_error(tx.find_texts, tmp_path)
        assert err.file == str(tmp_path / name)
        assert repr(name) in err.problem and ALLOWED in err.fix

    def test_empty_folder_has_no_texts(self, tmp_path):
        assert tx.find_texts(tmp_path) == {}


class TestReadText:
    def test_utf8_with_and_without_bom_and_windows_line_ends(self, tmp_path):
        a = write(tmp_path, "a.md", "Åtgärd\r\növer".encode())
        b = write(tmp_path, "b.md", b"\xef\xbb\xbf" + "Åtgärd\növer".encode())
        assert tx.read_text(a) == tx.read_text(b) == "Åtgärd\növer"

    def test_latin1_is_an_error_naming_file_and_row(self, tmp_path):
        p = write(tmp_path, "analys.md", "Rad ett\nRad två\nRåd".encode("latin-1"))
        err = raises_input_error(tx.read_text, p)
        assert err.file == str(p) and err.row == 2 and "UTF-8" in err.problem

    def test_too_long_is_an_error(self, tmp_path):
        p = write(tmp_path, "analys.md", b"a" * (tx.MAX_TEXT_BYTES + 1))
        assert "more than" in raises_input_error(tx.read_text, p).problem


class TestLoadTexts:
    def test_empty_parameter(self):
        own = tx.load_texts("")
        assert own.folder is None and own.texts == {} and not own.example and own.provenance() == []

    def test_missing_files_are_simply_absent(self, tmp_path):
        write(tmp_path, "analys.md", "Våldet har **ökat**.\n".encode())
        write(tmp_path, "uppfoljning.md", b"  \n\n")  # blank: as if missing
        own = tx.load_texts(str(tmp_path))
        assert own.texts == {"analys": "Våldet har **ökat**.\n"} and list(own.files) == ["analys"]
        assert own.text("sammanfattning") == "" and own.text("uppfoljning") == ""
        assert own.label("analys") == "Kommunens egen text (analys.md)" and not own.example

    def test_example_text_is_labelled(self, tmp_path):
        write(tmp_path, "analys.md", b"Text.")
        write(tmp_path, "metadata.yaml", b"exempeldata: true\ndatum: 2026-01-15\n")
        own = tx.load_texts(str(tmp_path))
        assert own.example and own.label("analys") == "EXEMPELTEXT, inte kommunens egen (analys.md)"
        [entry] = own.provenance()
        assert entry["name"] == f"{tmp_path.name}/analys.md" and entry["date"] == "2026-01-15"
        assert entry["description"] == "Kommunens egen text under 3. Analys (påhittade exempeldata)"
        assert len(entry["sha256"]) == 64

    def test_bad_metadata_is_an_error(self, tmp_path):
        write(tmp_path, "analys.md", b"Text.")
        write(tmp_path, "metadata.yaml", b"exempeldata: kanske\n")
        assert raises_input_error(tx.load_texts, str(tmp_path)).column == "exempeldata"

    def test_unknown_section_is_a_programming_error(self):
        with pytest.raises(ValueError, match="unknown section 'Analys'"):
            tx.OwnTexts().text("Analys")

    def test_reads_are_recorded_so_an_edit_rebuilds_the_report(self, tmp_path):
        from lagesbild.run.fresh import folder_digest

        p = write(tmp_path, "analys.md", b"Version 1")
        reads.start()
        tx.load_texts(str(tmp_path))
        snap = reads.snapshot()
        assert str(tmp_path.resolve()) in snap["folders"] and str(p.resolve()) in snap["files"]
        before = folder_digest(tmp_path)
        p.write_bytes(b"Version 2")
        assert folder_digest(tmp_path) != before  # the rebuild rules see the edit
        write(tmp_path, "sammanfattning.md", b"Ny")
        assert folder_digest(tmp_path) not in (before, None)  # and a new text

    def test_a_missing_folder_is_recorded_too(self, tmp_path):
        reads.start()
        raises_input_error(tx.load_texts, str(tmp_path / "texter"))
        assert str((tmp_path / "texter").resolve()) in reads.snapshot()["folders"]


class TestTemplates:
    def test_committed_templates_are_current(self, tmp_path):
        written = tx.write_templates(tmp_path)
        assert [p.name for p in written] == [*tx.TEXT_FILE_NAMES, "metadata.yaml", "README.md"]
        for path in written:
            committed = TEMPLATES_DIR / path.name
            assert committed.exists(), f"{committed} is missing: run write_templates('data/templates/lagesbild_texter')"
            assert committed.read_bytes() == path.read_bytes(), f"{path.name}: run write_templates(…)"
        extra = {p.name for p in TEMPLATES_DIR.iterdir()} - {p.name for p in written}
        assert not extra, f"files in {TEMPLATES_DIR} that write_templates does not write: {extra}"

    def test_template_folder_loads_as_labelled_example_text(self):
        own = tx.load_texts("data/templates/lagesbild_texter")
        assert list(own.texts) == list(tx.TEXT_SECTIONS) and own.example
        assert all(text.startswith("*Vägledning (ta bort raden): ") for text in own.texts.values())

    def test_readme_documents_every_file_and_the_markdown(self):
        readme = (TEMPLATES_DIR / "README.md").read_text(encoding="utf-8")
        for name in tx.TEXT_FILE_NAMES:
            assert f"`{name}`" in readme
        for words in ("UTF-8", "javascript:", "Tabeller", "Bilder", "exempeldata: false", "texts:"):
            assert words in readme

    def test_a_kommun_yaml_points_at_the_example_texts(self):
        import yaml

        params = yaml.safe_load(Path(PROJ_ROOT / "params" / "2080_falun.yaml").read_text(encoding="utf-8"))
        folder = tx.texts_folder(params["reports"]["lagesbild"]["texts"])
        assert folder == TEMPLATES_DIR and tx.load_texts(folder).example


def _execute(tmp_path, **parameters):
    import papermill

    from lagesbild.core.paths import NOTEBOOKS

    (tmp_path / "reports").mkdir(exist_ok=True)  # no other report: the lägesbild says so and still builds
    return papermill.execute_notebook(str(NOTEBOOKS / "lagesbild.ipynb"), str(tmp_path / "out.ipynb"),
                                      parameters={"kommun": "2080", "reports_dir": str(tmp_path / "reports"),
                                                  **parameters},
                                      progress_bar=False, kernel_name="python3", cwd=str(NOTEBOOKS))


@pytest.mark.slow
class TestNotebook:
    def test_each_text_under_its_heading_marked_escaped_and_recorded(self, tmp_path):
        folder = tmp_path / "texter"
        folder.mkdir()
        for section in tx.TEXT_SECTIONS:
            write(folder, f"{section}.md", f"# Om {section}\n\nText för {section}. <script>alert(1)</script>".encode())
        nb = _execute(tmp_path, texts=str(folder))
        cells = nb.cells
        headings = {"sammanfattning": "## Det viktigaste", "kartlaggning": "## 1. Kartläggning",
                    "annan_information": "## 2. Annan information", "analys": "## 3. Analys",
                    "atgardsplan": "### ", "uppfoljning": "## 4. Uppföljning"}
        for section, heading in headings.items():
            label = f"Kommunens egen text ({section}.md)"
            [i] = [i for i, c in enumerate(cells) if c.cell_type == "code" and any(
                label in o.get("data", {}).get("text/html", "") for o in c.get("outputs", []))]
            assert cells[i - 1].cell_type == "markdown" and cells[i - 1].source.startswith(heading), section
            out = "".join(o.get("data", {}).get("text/html", "") for o in cells[i].outputs)
            top = "h4" if section == "atgardsplan" else "h3"
            assert f"<{top}>Om {section}</{top}>" in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
            assert "<script>" not in out
        html = "".join(o.get("data", {}).get("text/html", "") for c in cells if c.cell_type == "code"
                       for o in c.get("outputs", []))
        assert "EXEMPELTEXT" not in html and "texter/analys.md" in html  # listed in "Om underlaget"
        [record] = [o["data"][reads.MIME] for c in cells if c.cell_type == "code" for o in c.get("outputs", [])
                    if reads.MIME in o.get("data", {})]
        assert str(folder.resolve()) in record["folders"]  # editing a text rebuilds the lägesbild

    def test_a_misnamed_text_stops_the_report_naming_it(self, tmp_path):
        import papermill

        folder = tmp_path / "texter"
        folder.mkdir()
        write(folder, "Analys.md", b"Text")
        with pytest.raises(papermill.PapermillExecutionError) as info:
            _execute(tmp_path, texts=str(folder))
        assert info.value.ename == "InputError" and "Analys.md" in info.value.evalue
        assert ALLOWED in info.value.evalue


@pytest.mark.slow
def test_bad_texts_fail_the_lagesbild_cleanly(tmp_path):
    """As tests/test_bad_inputs.py checks every per-kommun folder: exit code 1, the summary line names the file (and
    row), the problem and the fix, no traceback, the old report kept, and another kommun in the same run built."""
    from test_bad_inputs import Case, check_per_kommun_case, run_folder_group

    def misnamed(folder: Path) -> None:
        (folder / "analys.md").rename(folder / "Analys.md")

    def latin1(folder: Path) -> None:
        (folder / "analys.md").write_bytes("Rad ett\nRad tva\nRad tre: åtgärd\n".encode("cp1252"))

    cases = [Case("misnamed_text", "2021", "Analys.md", None, None,
                  ("'Analys.md' is not one of the lägesbild's text files", ALLOWED),
                  misnamed),
             Case("text_not_utf8", "2023", "analys.md", 3, None, ("the file is not UTF-8 text", "save it as UTF-8"),
                  latin1)]
    run = run_folder_group(tmp_path, "lagesbild", "texts", TEMPLATES_DIR, cases, good="2080", good_folder=TEMPLATES_DIR)
    for case in cases:
        check_per_kommun_case(run, case)
        assert all(n in run.proc.stderr for n in case.needles), case.name
    # the good kommun reads the template's example texts: the published page shows each under its section, labelled
    page = html.unescape((run.out / "2080" / "lagesbild.html").read_text(encoding="utf-8"))
    assert "Rutorna märkta EXEMPELTEXT är påhittade exempeltexter, inte kommunens egna slutsatser" in page
    sections = re.split(r"<h2[^>]*>", page)
    for section, heading in (("sammanfattning", "Det viktigaste"), ("kartlaggning", "1. Kartläggning"),
                             ("annan_information", "2. Annan information"), ("analys", "3. Analys"),
                             ("atgardsplan", "3. Analys"), ("uppfoljning", "4. Uppföljning")):
        label = f"EXEMPELTEXT, inte kommunens egen ({section}.md)"
        [where] = [s for s in sections if label in s]
        assert where.startswith(heading), (section, where[:40])
        assert f'role="region" aria-label="{label}"><p class="lb-own-label">{label}</p>' in where
    assert "lagesbild_texter/analys.md" in page.split("Om underlaget", 1)[1]
