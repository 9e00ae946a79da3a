"""End to end: run_all.py for two kommuner, failures that stop only their kommun, atomic publishing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lagesbild.core.paths import DATA, PARAMS, PROJ_ROOT
from lagesbild.publish import export as publish
from lagesbild.run import jobs, local
from lagesbild.run.engines import kernel

pytestmark = pytest.mark.slow


def run_all(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(PROJ_ROOT / "run_all.py"), "--no-progress", *args],
                          capture_output=True, text=True, timeout=600, cwd=PROJ_ROOT)


class TestEndToEnd:
    """Falun (Brå data bundled) and Helsingborg (no Brå data bundled), two workers."""

    def test_exit_code_zero_and_every_output_written(self, built_reports):
        out, proc = built_reports
        assert proc.returncode == 0, proc.stderr
        for kommun in ("2080", "1283"):
            assert (out / kommun / "crime_trends.html").stat().st_size > 10_000
            assert (out / kommun / "crime_trends.json").exists()
            assert not (out / kommun / "_failed").exists()
        assert (out / "index.html").exists()
        assert not list(out.rglob("*.tmp")) and not list(out.rglob(".*.ipynb"))

    def test_json_holds_key_figures_and_parameters(self, built_reports):
        out, _ = built_reports
        falun = json.loads((out / "2080" / "crime_trends.json").read_text(encoding="utf-8"))
        assert falun["kommun"] == "2080" and falun["name"] == "Falun" and falun["report"] == "crime_trends"
        assert falun["key_figures"]["bra_available"] is True
        assert falun["key_figures"]["bra_latest_year"] == 2025
        total = falun["key_figures"]["indicators"][0]
        assert total["indicator"] == "Totalt antal anmälda brott" and total["year"] == 2025
        assert total["count"] == 4485 and total["rate"] == 7480  # the bundled SOL file's values for Falun 2025
        assert falun["parameters"]["kommun"] == "2080"
        assert falun["params_source"] == "2080_falun.yaml"
        hbg = json.loads((out / "1283" / "crime_trends.json").read_text(encoding="utf-8"))
        assert hbg["key_figures"]["bra_available"] is True  # Brå's figures for every kommun are bundled
        assert hbg["parameters"]["focus_areas"][0] == "Våld i offentlig miljö"  # from params/1283_helsingborg.yaml

    def test_html_is_swedish_offline_and_shows_no_code(self, built_reports):
        out, _ = built_reports
        html = (out / "2080" / "crime_trends.html").read_text(encoding="utf-8")
        publish.assert_offline(html)
        assert 'lang="sv"' in html
        assert "Brottsutvecklingen i Falun" in html
        assert "processed.load(" not in html and "import lagesbild" not in html  # no input cells
        assert "Om underlaget" in html and "bra_kommunindikatorer_dalarna_anmalda_brott.csv" in html
        body = re.sub(r"<style.*?</style>", "", html, flags=re.S)  # the lab CSS names these classes
        assert "Traceback" not in body and "application/vnd.jupyter.stderr" not in body

    def test_kommun_outside_dalarna_gets_bras_figures(self, built_reports):
        out, _ = built_reports
        html = (out / "1283" / "crime_trends.html").read_text(encoding="utf-8")
        assert "Anmälda brott enligt Brås statistikdatabas" in html and "finns inte för Helsingborg" not in html
        assert "Brås kommunindikatorer" not in html  # Dalarna's finer categories only where they exist
        assert "Polisens händelser" in html and "<iframe" in html

    def test_index_links_both_kommuner(self, built_reports):
        out, _ = built_reports
        index = (out / "index.html").read_text(encoding="utf-8")
        assert 'href="2080/crime_trends.html"' in index and 'href="1283/crime_trends.html"' in index
        assert "Falun" in index and "Helsingborg" in index


class TestFailuresStopOnlyTheirKommun:
    def test_bad_yaml_and_failing_notebook_never_replace_good_reports(self, tmp_path):
        params = tmp_path / "params"
        params.mkdir()
        (params / "2021_vansbro.yaml").write_text("kommun: 2021\n", encoding="utf-8")  # unquoted: an int
        (params / "2062_mora.yaml").write_text('kommun: "2062"\nreports:\n  crime_trends:\n    alpha: 1.5\n', encoding="utf-8")
        (params / "2034_orsa.yaml").write_text('kommun: "2034"\n', encoding="utf-8")
        out = tmp_path / "out"
        for kommun in ("2021", "2062"):
            (out / kommun).mkdir(parents=True)
            (out / kommun / "crime_trends.html").write_text("GOOD OLD REPORT", encoding="utf-8")
        proc = run_all("--kommun", "2021", "--kommun", "2062", "--kommun", "2034", "--report", "crime_trends",
                       "--out", str(out), "--params", str(params), "--workers", "2")
        assert proc.returncode == 1
        # the good kommun was built
        assert (out / "2034" / "crime_trends.html").stat().st_size > 10_000
        # the failed ones kept their previous report untouched
        for kommun in ("2021", "2062"):
            assert (out / kommun / "crime_trends.html").read_text(encoding="utf-8") == "GOOD OLD REPORT"
        # the summary names each failure with a clear first line, no traceback
        assert "2021_vansbro.yaml" in proc.stderr and 'quote the code' in proc.stderr
        assert "2062 crime_trends: ValueError" in proc.stderr and "alpha" in proc.stderr
        assert "Traceback" not in proc.stderr
        # the failed executed notebook is kept for debugging
        assert (out / "2062" / "_failed" / "crime_trends.ipynb").exists()
        assert not list(out.rglob("*.tmp"))
        # the index links the built report and lists the failed ones, unlinked
        index = (out / "index.html").read_text(encoding="utf-8")
        assert 'href="2034/crime_trends.html"' in index
        assert "Vansbro" in index and "Mora" in index and 'href="2021/crime_trends.html"' not in index
        assert index.count('class="lb-status-failed"') == 2

    # A place setting out of range (a YAML's cell_size: 10) and a bad raw file are cases of test_bad_inputs.py.

    def test_unknown_kommun_code_is_an_error_before_anything_runs(self, tmp_path, capsys):
        """In-process: run_all.py's main refuses before anything is planned or run."""
        from lagesbild.run import cli

        assert cli.main(["--kommun", "9999", "--out", str(tmp_path), "--no-progress"]) == 1
        assert "'9999' is not the code of any of Sweden's 290 kommuner" in capsys.readouterr().err
        assert not (tmp_path / "9999").exists()

    def test_unknown_report_is_a_usage_error(self, tmp_path, capsys):
        from lagesbild.run import cli

        assert cli.main(["--kommun", "2080", "--report", "nonsense", "--out", str(tmp_path)]) == 2
        assert "unknown report 'nonsense'" in capsys.readouterr().err and not list(tmp_path.iterdir())


class TestPlan:
    def test_unknown_report_parameter_fails_that_job_only(self, tmp_path):
        params = tmp_path / "params"
        params.mkdir()
        (params / "2080_falun.yaml").write_text('kommun: "2080"\nreports:\n  crime_trends:\n    colour: red\n', encoding="utf-8")
        todo, failed = jobs.plan(["2080", "2081"], ["crime_trends"], DATA, tmp_path / "out", params)
        assert [j.kommun for j in todo] == ["2081"]
        assert failed[0].kommun == "2080" and "no parameter 'colour'" in failed[0].error

    def test_repo_params_all_plan_cleanly(self, tmp_path):
        from lagesbild.run.params import params_files

        codes = list(params_files(PARAMS))
        todo, failed = jobs.plan(codes, ["crime_trends"], DATA, tmp_path, PARAMS)
        assert not failed, [f.error for f in failed]
        assert len(todo) == len(codes) >= 19


class TestHelp:
    def test_help_explains_every_option(self):
        proc = run_all("--help")
        assert proc.returncode == 0
        for option in ("--kommun", "--all", "--configured", "--report", "--data", "--out", "--workers", "--params"):
            assert option in proc.stdout


class TestFirstLine:
    def test_strips_colour_codes(self):
        assert jobs.first_line("\x1b[31mValueError\x1b[0m: x\ny") == "ValueError: x"

    def test_empty(self):
        assert jobs.first_line("") == "unknown error"


def test_worker_environment_has_no_hidden_cwd_dependency(tmp_path):
    """run_all works from any working directory (paths resolve from the package)."""
    proc = subprocess.run([sys.executable, str(PROJ_ROOT / "run_all.py"), "--help"], capture_output=True, text=True,
                          cwd=tmp_path, env=os.environ | {"PYTHONPATH": ""})
    assert proc.returncode == 0


class TestExecute:
    """local.execute with the kernel engine in this process, papermill or the export replaced (no kernel: fast)."""

    @pytest.fixture
    def job(self, tmp_path):
        return jobs.Job(kommun="2080", name="Falun", lan="Dalarnas län", report="crime_trends",
                          parameters={"kommun": "2080", "data_dir": str(DATA)}, out_dir=str(tmp_path),
                          params_source="2080_falun.yaml")

    @staticmethod
    def executed_notebook():
        import nbformat

        from lagesbild.publish.export import KEY_FIGURES_MIME

        cell = nbformat.v4.new_code_cell("x = 1")
        cell.outputs = [
            nbformat.v4.new_output("display_data", data={"text/html": "<h1>Brottsutvecklingen i Falun</h1>"}),
            nbformat.v4.new_output("display_data", data={KEY_FIGURES_MIME: {"title": "Brottsutvecklingen i Falun", "bra_available": True}}),
        ]
        return nbformat.v4.new_notebook(cells=[cell], metadata={"kernelspec": {"name": "python3", "display_name": "P"}})

    def test_kernel_start_race_is_retried(self, job, tmp_path, monkeypatch):
        import papermill

        calls = []

        def flaky(*args, **kwargs):
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("Kernel didn't respond in 60 seconds")
            return self.executed_notebook()

        monkeypatch.setattr(papermill, "execute_notebook", flaky)
        monkeypatch.setattr(kernel.time, "sleep", lambda s: None)
        (tmp_path / "2080" / "_failed").mkdir(parents=True)
        (tmp_path / "2080" / "_failed" / "crime_trends.traceback.txt").write_text("old", encoding="utf-8")
        result = local.execute(job, "kernel")
        assert result.ok and len(calls) == 2
        meta = json.loads((tmp_path / "2080" / "crime_trends.json").read_text(encoding="utf-8"))
        assert meta["key_figures"]["title"] == "Brottsutvecklingen i Falun" and meta["parameters"]["data_dir"] == "data"
        assert "<h1>Brottsutvecklingen i Falun</h1>" in (tmp_path / "2080" / "crime_trends.html").read_text(encoding="utf-8")
        assert not list((tmp_path / "2080" / "_failed").iterdir())  # stale debugging files removed
        assert sorted(p.name for p in (tmp_path / "2080").iterdir()) == ["_failed", "crime_trends.html", "crime_trends.json"]

    def test_other_runtime_errors_are_not_retried(self, job, monkeypatch):
        import papermill

        calls = []

        def broken(*args, **kwargs):
            calls.append(1)
            raise RuntimeError("No such kernel named python3")

        monkeypatch.setattr(papermill, "execute_notebook", broken)
        result = local.execute(job, "kernel")
        assert not result.ok and len(calls) == 1
        assert result.error == "RuntimeError: No such kernel named python3"

    def test_failed_export_keeps_the_old_report_and_leaves_no_temp_files(self, job, tmp_path, monkeypatch):
        import papermill

        from lagesbild.publish import export as publish

        (tmp_path / "2080").mkdir()
        (tmp_path / "2080" / "crime_trends.html").write_text("GOOD OLD REPORT", encoding="utf-8")
        monkeypatch.setattr(papermill, "execute_notebook", lambda *a, **k: self.executed_notebook())

        def refuse(nb, title):
            raise ValueError("the page loads a script from https://cdn.example")

        monkeypatch.setattr(publish, "export_html", refuse)
        result = local.execute(job, "kernel")
        assert not result.ok and result.error.startswith("ValueError: the page loads a script")
        assert (tmp_path / "2080" / "crime_trends.html").read_text(encoding="utf-8") == "GOOD OLD REPORT"
        assert not (tmp_path / "2080" / "crime_trends.json").exists()
        assert (tmp_path / "2080" / "_failed" / "crime_trends.traceback.txt").exists()
        assert not [p for p in (tmp_path / "2080").iterdir() if p.name.startswith(".")]


class TestOwnDataFolder:
    def test_a_kommuns_own_latin1_export_feeds_its_report(self, tmp_path):
        """An analyst's own Brå export (wide, ';', decimal commas, Latin-1, PxWeb labels) next to the bundled data."""
        import shutil

        data = tmp_path / "data"
        shutil.copytree(DATA / "raw", data / "raw")
        lines = ["Anmälda brott, egen export (påhittade testvärden)", "",
                 "Region;Brottskategori;Enhet;2021;2022;2023;2024"]
        for region, scale in (("1283 Helsingborg", 1.0), ("12 Skåne län", 12.0)):
            lines += [f"{region};Totalt antal anmälda brott;Antal;{14000 * scale:.0f};{13500 * scale:.0f};{13000 * scale:.0f};{12000 * scale:.0f}",
                      f"{region};Totalt antal anmälda brott;Antal per 100 000 inv;12 962,9;12 386,8;11 818,2;10 810,8",
                      f"{region};Skadegörelsebrott;Antal;{2000 * scale:.0f};{2100 * scale:.0f};{1900 * scale:.0f};{1500 * scale:.0f}",
                      f"{region};Skadegörelsebrott;Antal per 100 000 inv;1 851,9;1 926,6;1 727,3;1 351,4"]
        (data / "local" / "crime").mkdir(parents=True)
        (data / "local" / "crime" / "helsingborg_egen_export.csv").write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
        out = tmp_path / "out"
        proc = run_all("--kommun", "1283", "--data", str(data), "--out", str(out), "--report", "crime_trends")
        assert proc.returncode == 0, proc.stderr
        meta = json.loads((out / "1283" / "crime_trends.json").read_text(encoding="utf-8"))
        assert meta["key_figures"]["bra_available"] is True
        assert "Skadegörelsebrott" in meta["key_figures"]["detectable_decreases"]  # 1 900 → 1 500
        cat = next(r for r in meta["key_figures"]["indicators"] if r["indicator"] == "Skadegörelsebrott")
        assert (cat["year"], cat["count"], cat["rate_lan"]) == (2024, 1500, 1351.4)  # the export's own län row
        html = (out / "1283" / "crime_trends.html").read_text(encoding="utf-8").replace("\u00a0", " ")
        assert "local/crime/helsingborg_egen_export.csv" in html
        # the export's totals differ from the bundled ones: the report names every replaced value
        assert "Värden som en nyare fil har ersatt" in html and "12 000" in html
        assert (data / "processed" / "manifest.json").exists()  # processed/ is built inside the user's folder


class TestJobOrder:
    """A kommun's summary ("lagesbild") starts only after the reports it reads in the same run have finished."""

    @staticmethod
    def make(*pairs):
        return [jobs.Job(k, k, "", r, {}, "", "") for k, r in pairs]

    def test_the_summary_waits_for_every_other_report_of_its_kommun_only(self):
        todo = self.make(("2080", "crime_trends"), ("2080", "wastewater"), ("2080", "lagesbild"),
                         ("2081", "crime_trends"), ("2081", "lagesbild"))
        order = jobs.JobOrder(todo)
        assert [(j.kommun, j.report) for j in order.ready] == [("2080", "crime_trends"), ("2080", "wastewater"),
                                                                ("2081", "crime_trends")]
        assert order.done(todo[3]) == [todo[4]]  # 2081 had one other report
        assert order.done(todo[0]) == []  # 2080 still has wastewater running
        assert order.done(todo[1]) == [todo[2]]
        assert len(order) == 0 and order.done(todo[2]) == [] and order.done(todo[4]) == []

    def test_a_summary_run_alone_starts_at_once(self):
        todo = self.make(("2080", "lagesbild"), ("2081", "lagesbild"))
        order = jobs.JobOrder(todo)
        assert order.ready == todo and len(order) == 0

    def test_every_job_is_released_exactly_once(self):
        import random

        from lagesbild.core.reports import names

        todo = self.make(*[(k, r) for k in ("2080", "2081", "2082") for r in names()])
        order = jobs.JobOrder(todo)
        started, queue = [], list(order.ready)
        random.Random(1).shuffle(queue)
        while queue:
            job = queue.pop()
            started.append(job)
            queue.extend(order.done(job))
        assert sorted(map(id, started)) == sorted(map(id, todo))
        for k in ("2080", "2081", "2082"):
            position = {j.report: i for i, j in enumerate(started) if j.kommun == k}
            assert position["lagesbild"] > max(p for r, p in position.items() if r != "lagesbild")

    def test_dependencies_come_from_the_given_function(self):
        todo = self.make(("2080", "a"), ("2080", "b"), ("2080", "c"))
        reads = {"c": ("a", "b"), "b": ("a",)}
        order = jobs.JobOrder(todo, depends_on=lambda report: reads.get(report, ()))
        assert order.ready == [todo[0]] and len(order) == 2
        assert order.done(todo[0]) == [todo[1]]
        assert order.done(todo[1]) == [todo[2]]

    def test_a_report_run_twice_releases_its_reader_after_both(self):
        todo = self.make(("2080", "crime_trends"), ("2080", "crime_trends"), ("2080", "lagesbild"))
        order = jobs.JobOrder(todo)
        assert order.done(todo[0]) == [] and order.done(todo[1]) == [todo[2]]


class TestOldNames:
    """The former one-module runner's names keep resolving (``lagesbild.runner``, ``run_all.py``)."""

    def test_lagesbild_runner_is_the_facade_and_keeps_its_names(self):
        import lagesbild.runner as old

        from lagesbild.run import batch, cli, runner
        from lagesbild.run.engines import ENGINES

        assert old is runner
        assert old.main is cli.main and old.run is batch.run and old.plan is jobs.plan
        assert old.Job is jobs.Job and old.record is jobs.record and old.ENGINES is ENGINES
        assert old.SUMMARY_REPORT == "lagesbild" and old.ipc_kernel_manager_class is kernel.ipc_kernel_manager_class
        assert set(old.__all__) <= set(dir(old))

    def test_render_and_execute_go_through_the_engines(self, monkeypatch, tmp_path):
        from lagesbild.run import runner
        from lagesbild.run.engines import ENGINES

        job = jobs.Job("2080", "Falun", "", "crime_trends", {}, str(tmp_path), "")
        seen = []

        def fake(self, job):
            seen.append(self.name)
            return jobs.Outcome(jobs.Result(job.kommun, job.report, False, error="E: x"))

        for engine in ENGINES.values():
            monkeypatch.setattr(type(engine), "render", fake)
        assert not runner.render_kernel(job).result.ok and not runner.render_warm(job).result.ok
        assert runner.execute(job).error == "E: x" and runner.execute_warm(job).error == "E: x"
        assert seen == ["kernel", "warm", "kernel", "warm"]


class TestIndexEntries:
    def test_a_failure_without_an_earlier_report_is_listed_unlinked(self, tmp_path):
        from lagesbild.run.batch import index_entries
        from lagesbild.sources import processed

        processed.build(DATA)
        entries = index_entries(tmp_path, [jobs.Result("2080", "wastewater", False, error="E: x")], DATA)
        assert [(e["name"], e["report"], e["status"]) for e in entries] == [("Falun", "wastewater", "failed")]
        assert "href" not in entries[0]

    def test_json_without_its_page_is_not_listed(self, tmp_path):
        from lagesbild.run.batch import index_entries

        (tmp_path / "2080").mkdir()
        (tmp_path / "2080" / "crime_trends.json").write_text('{"kommun": "2080"}', encoding="utf-8")
        assert index_entries(tmp_path) == []


class TestPinnedGitCommit:
    """A run asks git once (paths.pinned_git_commit, batch.run): the reports' processes inherit the commit."""

    def test_the_reports_use_the_pinned_commit_without_asking_git(self, monkeypatch):
        import subprocess

        from lagesbild.core import paths

        with paths.pinned_git_commit() as commit:
            def no_git(*args, **kwargs):
                raise AssertionError("git asked again inside the run")

            monkeypatch.setattr(subprocess, "run", no_git)
            assert paths.git_commit() == commit
            monkeypatch.undo()
        assert paths.GIT_COMMIT_VAR not in os.environ

    def test_batch_run_pins_the_commit_for_its_jobs(self, monkeypatch, tmp_path):
        from lagesbild.core import paths
        from lagesbild.run import batch, local

        seen = []

        def fake_pool(order, engine, data_dir, workers, done):
            seen.append(os.environ.get(paths.GIT_COMMIT_VAR))
            for job in list(order.ready):
                done(jobs.Result(job.kommun, job.report, False, error="not built in this test", name=job.name))

        monkeypatch.setattr(local, "run_pool", fake_pool)
        batch.run(["2080"], ["wastewater"], out_dir=tmp_path, workers=1, progress=False, force=True)
        assert seen == [paths.git_commit() or ""] and paths.GIT_COMMIT_VAR not in os.environ


def test_a_summary_alone_runs_into_a_folder_that_does_not_exist_yet(monkeypatch, tmp_path):
    """``run_all.py --report lagesbild --out new/`` : the summary reads its reports folder, so the run makes it
    before any report starts (it once failed with "the reports folder does not exist")."""
    from lagesbild.run import batch, local

    out = tmp_path / "new" / "reports"
    seen = []

    def fake_pool(order, engine, data_dir, workers, done):
        for job in list(order.ready):
            seen.append((job.report, Path(job.parameters["reports_dir"]) == out and out.is_dir()))
            done(jobs.Result(job.kommun, job.report, False, error="not built in this test", name=job.name))

    monkeypatch.setattr(local, "run_pool", fake_pool)
    batch.run(["2080"], ["lagesbild"], out_dir=out, workers=1, progress=False, force=True)
    assert seen == [("lagesbild", True)]
