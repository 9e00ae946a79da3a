"""The warm server (run_all.py --serve, lagesbild.run.server): the same reports, errors and exit codes, at once.

Every test gives the server and its clients a runtime folder of their own (``XDG_RUNTIME_DIR``), so no
analyst's server on the machine is used or disturbed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from lagesbild.core.paths import PROJ_ROOT
from lagesbild.run import jobs, local, server
from lagesbild.run.jobs import JobOrder

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the warm server forks")


def pngs(out: Path) -> list[str]:
    """The base64 PNGs of Falun's crime report in an output folder, in page order."""
    return re.findall(r'src="data:image/png;base64,([^"]+)"',
                      (out / "2080" / "crime_trends.html").read_text(encoding="utf-8"))


def short_runtime() -> Path:
    """A runtime folder of the test's own, short enough for a socket's path.

    pytest's ``tmp_path`` can be longer than a Unix socket's path allows (``CI`` checks out deep), and then
    ``server.socket_path`` falls back to the shared temp folder, where tests (or an analyst's server) would meet.
    """
    runtime = Path(tempfile.mkdtemp(prefix="lb-", dir="/tmp"))
    return runtime


@pytest.fixture
def runtime(monkeypatch):
    folder = short_runtime()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    assert server.socket_path().is_relative_to(folder)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


class Server:
    def __init__(self, runtime: Path, *args: str) -> None:
        self.env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime))
        self.log = runtime / "server.log"
        self.proc = subprocess.Popen([sys.executable, str(PROJ_ROOT / "run_all.py"), "--serve", *args],
                                     cwd=PROJ_ROOT, env=self.env, stdout=subprocess.DEVNULL,
                                     stderr=open(self.log, "wb"))  # noqa: SIM115 — closed with the process
        deadline = time.monotonic() + 120
        while "ready in" not in self.log.read_text(encoding="utf-8"):
            assert self.proc.poll() is None and time.monotonic() < deadline, self.log.read_text(encoding="utf-8")
            time.sleep(0.1)

    def run_all(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(PROJ_ROOT / "run_all.py"), "--no-progress", *args],
                              capture_output=True, text=True, timeout=600, cwd=PROJ_ROOT, env=self.env)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def warm_server():
    folder = short_runtime()
    s = Server(folder)
    # the warm heap is frozen before any report forks (a report's child would otherwise pay a full collection of it)
    frozen = re.search(r"\((\d+) objects frozen\)", s.log.read_text(encoding="utf-8"))
    assert frozen and int(frozen.group(1)) > 100_000, s.log.read_text(encoding="utf-8")
    yield s
    s.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
class TestServer:
    """In file order; the last test makes the server stop."""

    def test_a_command_is_run_by_the_server_and_publishes_what_a_run_without_it_does(self, warm_server, reports_build,
                                                                                    tmp_path):
        proc = warm_server.run_all("--kommun", "2080", "--report", "crime_trends", "wastewater", "--out", str(tmp_path))
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith("2 of 2 reports built")
        assert "run_all.py --no-progress --kommun 2080" in warm_server.log.read_text(encoding="utf-8")
        for report in ("crime_trends", "wastewater"):
            mine, theirs = (json.loads((out / "2080" / f"{report}.json").read_text(encoding="utf-8"))
                            for out in (tmp_path, reports_build.out))
            assert {k: v for k, v in mine.items() if k not in ("generated", "parameters")} == \
                   {k: v for k, v in theirs.items() if k not in ("generated", "parameters")}
        # two reports on the server: figures beside the cells whenever a core is idle (the same PNGs either way)
        assert pngs(tmp_path) == pngs(reports_build.out)
        again = warm_server.run_all("--kommun", "2080", "--report", "crime_trends", "wastewater", "--out", str(tmp_path))
        assert again.stdout.startswith("2 of 2 reports up to date"), again.stdout

    def test_one_report_draws_its_figures_beside_and_they_are_the_same_pngs(self, warm_server, reports_build,
                                                                           tmp_path):
        """One report leaves a core idle: its figures are drawn in processes of their own (run.local.figures_beside);
        the shared build's 40 reports drew theirs in the report's process. The same PNGs."""
        proc = warm_server.run_all("--kommun", "2080", "--report", "crime_trends", "--out", str(tmp_path))
        assert proc.returncode == 0, proc.stderr
        assert pngs(tmp_path) == pngs(reports_build.out) and len(pngs(tmp_path)) >= 5
        assert "lagesbild-pending-figure-" not in (tmp_path / "2080" / "crime_trends.html").read_text(encoding="utf-8")

    def test_errors_and_exit_codes_reach_the_caller(self, warm_server, tmp_path):
        proc = warm_server.run_all("--kommun", "9999", "--out", str(tmp_path))
        assert proc.returncode == 1 and "'9999' is not the code of any of Sweden's 290 kommuner" in proc.stderr
        proc = warm_server.run_all("--kommun", "2080", "--report", "nonsense", "--out", str(tmp_path))
        assert proc.returncode == 2 and "unknown report 'nonsense'" in proc.stderr
        proc = warm_server.run_all("--kommun", "2080", "--workers", "0", "--out", str(tmp_path))
        assert proc.returncode == 2 and "--workers must be at least 1" in proc.stderr

    def test_a_second_server_for_the_same_checkout_is_refused(self, warm_server):
        proc = subprocess.run([sys.executable, str(PROJ_ROOT / "run_all.py"), "--serve"], capture_output=True,
                              text=True, timeout=120, cwd=PROJ_ROOT, env=warm_server.env)
        assert proc.returncode == 1 and "a warm server already runs for this checkout" in proc.stderr

    def test_a_changed_library_stops_the_server_and_the_command_runs_without_it(self, warm_server, monkeypatch):
        monkeypatch.setenv("XDG_RUNTIME_DIR", warm_server.env["XDG_RUNTIME_DIR"])
        assert server.delegate(["--kommun", "2080"], library="a library edited since") is None
        warm_server.proc.wait(timeout=30)
        assert "the library changed; stopped" in warm_server.log.read_text(encoding="utf-8")
        assert not server.socket_path().exists()
        assert server.delegate(["--kommun", "2080"]) is None  # no server: run here


@pytest.mark.slow
def test_an_idle_server_stops_and_removes_its_socket(runtime):
    s = Server(runtime, "--idle-minutes", "0.01")
    s.proc.wait(timeout=60)
    assert "idle; stopped" in s.log.read_text(encoding="utf-8") and not server.socket_path().exists()


def test_a_socket_left_by_a_dead_server_is_not_used(runtime):
    path = server.socket_path()
    path.parent.mkdir(parents=True)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))
    dead.close()  # the file stays, nobody listens
    assert server.delegate(["--kommun", "2080"]) is None


class TestRunForks:
    """What the server's run process uses instead of a pool: a fork per job, single-threaded."""

    def test_every_job_runs_and_a_killed_one_is_its_failure(self, tmp_path, monkeypatch):
        def fake_execute(job, engine):
            if (job.kommun, job.report) == ("2081", "crime_trends"):
                os.kill(os.getpid(), signal.SIGKILL)
            return jobs.Result(job.kommun, job.report, True)

        monkeypatch.setattr(local, "execute", fake_execute)
        todo = [jobs.Job(k, "", "", r, {}, str(tmp_path), "") for k in ("2080", "2081") for r in ("crime_trends", "lagesbild")]
        results = []
        local.run_forks(JobOrder(todo), 2, results.append)
        by_job = {(r.kommun, r.report): r for r in results}
        assert len(results) == 4 and by_job[("2080", "crime_trends")].ok and by_job[("2080", "lagesbild")].ok
        assert not by_job[("2081", "crime_trends")].ok and "SIGKILL" in by_job[("2081", "crime_trends")].error
        assert by_job[("2081", "lagesbild")].ok  # released after its source failed, as in a pool


def test_without_unix_sockets_run_all_runs_as_before(monkeypatch, capsys):
    """Where there are no Unix sockets or fork (Windows), run_all.py never looks for a server; --serve says why."""
    monkeypatch.setattr(server, "available", lambda: False)
    assert server.delegate(["--kommun", "2080"]) is None
    assert server.serve(lambda argv: 0) == 1
    assert "needs Unix sockets and fork" in capsys.readouterr().err


def test_a_long_runtime_folder_falls_back_to_a_short_socket_path(monkeypatch):
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/tmp/" + "x" * 120)
    assert len(str(server.socket_path())) <= 100
