"""The engine interface (lagesbild.run.engines): one registry, looked up by name, no branches per engine."""

from __future__ import annotations

import json

import pytest

from lagesbild.core.errors import LagesbildError
from lagesbild.run import engines, jobs, local
from lagesbild.run.engines import ENGINES, Engine, EngineError, default_engine, get_engine, register
from lagesbild.run.engines.kernel import KernelEngine
from lagesbild.run.engines.warm import WarmEngine


class Fake:
    """A minimal engine: renders a fixed page, or fails."""

    description = "for the tests"

    def __init__(self, name="fake", ok=True, can_run=True):
        self.name, self.ok, self.can_run = name, ok, can_run
        self.rendered = []

    def available(self):
        return self.can_run

    def prepare(self, data_dir=None):
        """Nothing to prepare."""

    def pool_context(self, data_dir):
        import multiprocessing

        return multiprocessing.get_context("spawn")

    def render(self, job):
        self.rendered.append(job.report)
        result = jobs.Result(job.kommun, job.report, self.ok, error=None if self.ok else "ValueError: bad")
        if self.ok:
            return jobs.Outcome(result, "<html>page</html>", {"report": job.report})
        return jobs.Outcome(result, traceback="Traceback …")


@pytest.fixture
def fake(monkeypatch):
    """A fake engine registered for one test (the registry is restored afterwards)."""
    monkeypatch.setattr(engines, "ENGINES", dict(ENGINES))
    return register(Fake())


class TestRegistry:
    def test_warm_and_kernel_in_order_of_preference(self):
        assert list(ENGINES) == ["warm", "kernel"]
        assert isinstance(ENGINES["warm"], WarmEngine) and isinstance(ENGINES["kernel"], KernelEngine)
        assert all(isinstance(e, Engine) and e.name == n for n, e in ENGINES.items())

    def test_an_unknown_engine_is_a_clear_error_naming_the_known_ones(self):
        with pytest.raises(EngineError, match=r"unknown engine 'hot'; the engines are warm, kernel"):
            get_engine("hot")
        assert issubclass(EngineError, LagesbildError) and issubclass(EngineError, ValueError)

    def test_an_engine_that_cannot_run_here_says_which_one_can(self, monkeypatch):
        monkeypatch.setattr(engines, "ENGINES", dict(ENGINES))
        register(Fake("warm", can_run=False))
        with pytest.raises(EngineError, match="the warm engine cannot run on this platform; use --engine kernel"):
            get_engine("warm")
        assert default_engine() == "kernel"

    def test_default_is_warm_where_the_platform_can_fork(self):
        import os

        assert default_engine() == ("warm" if hasattr(os, "fork") else "kernel")

    def test_register_refuses_an_object_without_the_interface(self):
        class NoRender:
            name, description = "x", "y"

            def available(self):
                return True

        with pytest.raises(TypeError, match="an engine needs name, description, available, prepare"):
            register(NoRender())

    def test_a_registered_engine_is_found_by_name(self, fake):
        assert get_engine("fake") is fake and "fake" in engines.ENGINES


class TestKernelEngine:
    def test_needs_nothing_but_spawned_workers(self, tmp_path):
        engine = KernelEngine()
        assert engine.available() and engine.retries == 2
        assert engine.prepare(tmp_path) is None
        assert engine.pool_context(tmp_path).get_start_method() == "spawn"


class TestLocalExecute:
    """local.execute: render with the named engine, then record (the page, or the debugging files)."""

    @staticmethod
    def job(tmp_path):
        return jobs.Job("2080", "Falun", "Dalarnas län", "crime_trends", {}, str(tmp_path), "")

    def test_a_rendered_page_is_recorded_and_leftovers_removed(self, fake, tmp_path):
        (tmp_path / "2080").mkdir()
        (tmp_path / "2080" / ".crime_trends.html.x.tmp").write_text("half", encoding="utf-8")
        res = local.execute(self.job(tmp_path), "fake")
        assert res.ok and fake.rendered == ["crime_trends"]
        assert sorted(p.name for p in (tmp_path / "2080").iterdir()) == ["crime_trends.html", "crime_trends.json"]
        assert json.loads((tmp_path / "2080" / "crime_trends.json").read_text(encoding="utf-8")) == {
            "report": "crime_trends"}

    def test_a_failure_keeps_the_old_report(self, fake, tmp_path):
        fake.ok = False
        (tmp_path / "2080").mkdir()
        (tmp_path / "2080" / "crime_trends.html").write_text("GOOD OLD REPORT", encoding="utf-8")
        res = local.execute(self.job(tmp_path), "fake")
        assert not res.ok and res.error == "ValueError: bad"
        assert (tmp_path / "2080" / "crime_trends.html").read_text(encoding="utf-8") == "GOOD OLD REPORT"
        assert (tmp_path / "2080" / "_failed" / "crime_trends.traceback.txt").exists()

    def test_an_unknown_engine_runs_nothing(self, tmp_path):
        with pytest.raises(EngineError, match="the engines are warm, kernel"):
            local.execute(self.job(tmp_path), "hot")
        assert not list(tmp_path.iterdir())


class TestRunRefusesAnUnknownEngine:
    def test_before_anything_is_built(self, tmp_path):
        from lagesbild.run.batch import run

        with pytest.raises(EngineError, match="unknown engine 'hot'"):
            run(["2080"], ["crime_trends"], data_dir=tmp_path / "nodata", out_dir=tmp_path / "out", engine="hot",
                progress=False)
        assert not (tmp_path / "out").exists()

    def test_the_command_line_offers_the_registered_engines(self, capsys):
        from lagesbild.run.cli import parser

        with pytest.raises(SystemExit):
            parser().parse_args(["--kommun", "2080", "--engine", "hot"])
        err = capsys.readouterr().err
        assert "invalid choice: 'hot'" in err and "warm" in err and "kernel" in err


@pytest.mark.slow
@pytest.mark.skipif(default_engine() != "warm", reason="the shared build ran on the kernel engine")
def test_warm_and_kernel_engines_publish_the_same_report(reports_build, tmp_path):
    """Same key figures and the same text (map element ids are random in both). The warm run is the
    suite's shared build (conftest.reports_build, the default engine); only the kernel run is made here."""
    from conftest import run_all

    assert reports_build.proc.returncode == 0, reports_build.proc.stderr
    reports = ("crime_trends", "wastewater")
    proc = run_all("--kommun", "2080", "--report", *reports, "--out", str(tmp_path), "--engine", "kernel",
                   "--workers", "1", timeout=600)
    assert proc.returncode == 0, proc.stderr

    def figures(out):
        return {r: {k: v for k, v in json.loads((out / "2080" / f"{r}.json").read_text(encoding="utf-8")).items()
                    if k != "generated"} for r in reports}

    assert figures(tmp_path) == figures(reports_build.out)
    for r in reports:
        warm_page = (reports_build.out / "2080" / f"{r}.html").read_text(encoding="utf-8")
        kernel_page = (tmp_path / "2080" / f"{r}.html").read_text(encoding="utf-8")
        assert abs(len(warm_page) - len(kernel_page)) < 0.01 * len(warm_page)
