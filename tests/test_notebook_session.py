"""What every report notebook does the same way (lagesbild.run.notebook, lagesbild.text.opening), and that
the notebooks do it through those calls instead of repeating the lines."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from lagesbild import __version__
from lagesbild.core.errors import ParamsError
from lagesbild.core.paths import DATA, NOTEBOOKS
from lagesbild.run import notebook
from lagesbild.text import opening

NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))


class TestOpeningText:
    def test_a_domain_report_is_part_of_the_lagesbild(self):
        assert opening.opening("Helsingborg", "Den visar x.") == (
            "Den här rapporten är en del av Helsingborgs lägesbild enligt lagen (2023:196) om kommuners ansvar för "
            "brottsförebyggande arbete. Den visar x.")

    def test_a_name_ending_in_s_takes_no_second_s(self):
        assert opening.opening("Borås", "Den visar x.").startswith("Den här rapporten är en del av Borås lägesbild")

    def test_the_lagesbild_opens_with_what_the_law_asks(self):
        text = opening.opening("Falun", "Den sammanfattar y.", summary=True)
        assert text.startswith("Enligt 4 § lagen (2023:196) om kommuners ansvar för brottsförebyggande arbete ska "
                               "kommunen ta fram en lägesbild över brottsligheten inom kommunens område:")
        assert text.endswith("beslutar om en åtgärdsplan. Det här är Faluns lägesbild i lagens ordning. Den "
                             "sammanfattar y.")

    @pytest.mark.parametrize(("name", "about", "what"), [("", "Den visar x.", "name"), ("Falun", " ", "about")])
    def test_empty_text_is_refused(self, name, about, what):
        with pytest.raises(ValueError, match=what):
            opening.opening(name, about)


class TestOpening:
    def test_title_then_paragraph_escaped(self):
        out = notebook.opening("Brott i <Falun>", "Falun", "Den visar <b>x</b>.")
        assert out == ("<h1>Brott i &lt;Falun&gt;</h1><p>Den här rapporten är en del av Faluns lägesbild enligt lagen "
                       "(2023:196) om kommuners ansvar för brottsförebyggande arbete. Den visar &lt;b&gt;x&lt;/b&gt;.</p>")

    def test_summary_is_passed_on(self):
        assert "<p>Enligt 4 § lagen" in notebook.opening("Lägesbild för Falun", "Falun", "Den sammanfattar y.",
                                                         summary=True)


class TestProvenance:
    def test_version_commit_parameters_and_replaced_values(self, monkeypatch):
        monkeypatch.setattr("lagesbild.core.paths.git_commit", lambda: "abc1234567")
        replaced = pd.DataFrame([{"kind": "crime", "file": "local/crime/a.csv", "over": "raw/crime/b.csv",
                                  "region_code": "2080", "year": 2024, "item": "Bilbrott, antal", "old": "150",
                                  "new": "152"}])
        out = notebook.provenance([{"name": "raw/crime/b.csv", "description": "Brå"}],
                                  {"kommun": "2080", "peers": ["2081", "2082"]}, replaced=replaced)
        assert f"lagesbild version {__version__}" in out and "<code>abc1234567</code>" in out
        assert "raw/crime/b.csv" in out and "2081, 2082" in out
        assert "Värden som en nyare fil har ersatt" in out and "local/crime/a.csv" in out

    def test_outside_git_the_commit_is_unknown(self, monkeypatch):
        monkeypatch.setattr("lagesbild.core.paths.git_commit", lambda: None)
        assert "okänd (inte en git-checkout)" in notebook.provenance([], {})


class TestLoad:
    def test_the_bundled_data_and_the_kommuns_configuration(self):
        ds, cfg = notebook.load("2080", focus_areas=[" Rån "], peers=["2081"])
        assert (cfg.kommun, cfg.name, cfg.lan_kod, cfg.lan) == ("2080", "Falun", "20", "Dalarnas län")
        assert cfg.focus_areas == ["Rån"] and cfg.peers == ["2081"]
        assert "2080" in set(ds.kommuner["kommun_kod"]) and len(ds.crime)

    def test_an_empty_data_dir_is_the_projects_data(self):
        _, by_default = notebook.load("2080")
        _, explicit = notebook.load("2080", DATA)
        assert by_default == explicit
        assert "2081" in by_default.peers and "2080" not in by_default.peers  # the län's other kommuner

    def test_a_kommun_the_data_does_not_have(self):
        with pytest.raises(ParamsError) as e:
            notebook.load("9999")
        assert "parameter kommun" in str(e.value)


def code_of(path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=lambda p: p.stem)
class TestNotebooksUseTheSharedCalls:
    def test_load_open_and_provenance_once_each(self, path):
        code = code_of(path)
        for call in ("notebook.load(", "notebook.opening(", "notebook.provenance("):
            assert code.count(call) == 1, f"{path.name}: call {call}…) once"

    def test_the_repeated_lines_are_gone(self, path):
        code = code_of(path)
        for line in ("processed.load(", "params.resolve(", "report.provenance(", "git_commit", "lagen (2023:196) om kommuners ansvar",
                     "report.heading(title, 1)"):
            assert line not in code, f"{path.name}: use lagesbild.run.notebook instead of {line}"
