"""run_all.py --scheduler: the same jobs on a Dask distributed cluster (lagesbild.run.dask).

The cluster is real: a scheduler and workers started as separate processes on loopback, as an
operator would start them (``python -m dask scheduler`` / ``python -m dask worker``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from lagesbild.core.paths import DATA, PROJ_ROOT
from lagesbild.run import batch, cli, jobs
from lagesbild.run import dask as cluster

#: Kommuner of the shared local build (conftest.SHARED_KOMMUNER) the cluster's reports are compared with.
KOMMUNER = ["2080", "1283", "1287", "1488"]
REPORTS = ["crime_trends", "wastewater"]


class Cluster:
    """A scheduler and workers on loopback, each its own process (no nanny: a kill is a real loss)."""

    def __init__(self, folder: Path, workers: int) -> None:
        self.folder = folder
        self.file = folder / "scheduler.json"
        self.procs: dict[str, subprocess.Popen] = {}
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.procs["scheduler"] = self._start(["scheduler", "--host", "127.0.0.1", "--port", "0"], "scheduler", env)
        deadline = time.monotonic() + 60
        while not self.file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert self.file.exists(), (folder / "scheduler.log").read_text()
        self.address = json.loads(self.file.read_text())["address"]
        for i in range(workers):
            name = f"w{i + 1}"
            self.procs[name] = self._start(["worker", self.address, "--name", name, "--nthreads", "1", "--no-nanny",
                                            "--preload", "lagesbild.run.dask"], name, env)
        from distributed import Client

        with Client(self.address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=120)

    def _start(self, args: list[str], name: str, env: dict) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 — closed with the process
        cmd = [sys.executable, "-m", "dask", *args, "--no-dashboard"]
        if args[0] == "scheduler":
            cmd += ["--scheduler-file", str(self.file)]
        return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder, env=env)

    def kill(self, name: str) -> None:
        self.procs[name].send_signal(signal.SIGKILL)
        self.procs[name].wait(timeout=30)

    def stop(self) -> None:
        """Workers first (killed: a graceful close waits for the scheduler), then the scheduler."""
        for name, proc in self.procs.items():
            if name != "scheduler" and proc.poll() is None:
                proc.kill()
        for name, proc in self.procs.items():
            if name == "scheduler":
                proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=20)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """One cluster for this module's tests, in file order: the last one kills a worker."""
    c = Cluster(tmp_path_factory.mktemp("cluster"), workers=2)
    yield c
    c.stop()


def run_all(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(PROJ_ROOT / "run_all.py"), "--no-progress", *args],
                          capture_output=True, text=True, timeout=900, cwd=PROJ_ROOT)


def key_figures(out: Path) -> dict:
    """(kommun, report) → the report's key figures without their build time."""
    return {(p.parent.name, p.stem): {k: v for k, v in json.loads(p.read_text(encoding="utf-8")).items()
                                      if k != "generated"}
            for p in sorted(out.glob("*/*.json"))}


@pytest.mark.slow
def test_a_cluster_run_publishes_the_same_reports_as_a_local_run(dask_cluster, reports_build, tmp_path):
    """The local run is the suite's shared build (conftest.reports_build: the same params/, every report)."""
    local, remote = reports_build.out, tmp_path / "remote"
    assert reports_build.proc.returncode == 0, reports_build.proc.stderr
    kommuner = [a for k in KOMMUNER for a in ("--kommun", k)]
    proc = run_all(*kommuner, "--report", *REPORTS, "--out", str(remote),
                   "--scheduler", dask_cluster.address)
    assert proc.returncode == 0, proc.stderr
    assert f"Dask cluster {dask_cluster.address}: 2 workers" in proc.stderr
    assert len(key_figures(remote)) == len(KOMMUNER) * len(REPORTS)
    assert key_figures(remote) == {key: figures for key, figures in key_figures(local).items()
                                   if key[0] in KOMMUNER and key[1] in REPORTS}
    assert (remote / "index.html").exists()
    for kommun in KOMMUNER:  # the page itself: same text (map element ids are random in both)
        a = (local / kommun / "crime_trends.html").read_text(encoding="utf-8")
        b = (remote / kommun / "crime_trends.html").read_text(encoding="utf-8")
        assert abs(len(a) - len(b)) < 0.01 * len(a)
    assert not [p for p in remote.rglob(".*")]  # no temporary file left behind


@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_nothing_and_each_report_is_published_once(dask_cluster, tmp_path,
                                                                                 monkeypatch):
    from distributed import Client

    out = tmp_path / "out"
    recorded: Counter = Counter()
    real_record = jobs.record

    def counting_record(job, outcome):
        recorded[(job.kommun, job.report)] += 1
        return real_record(job, outcome)

    monkeypatch.setattr(jobs, "record", counting_record)
    killed: dict = {}

    def kill_w1_while_it_works():
        with Client(dask_cluster.address, timeout=30, set_as_default=False) as client:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                busy = {client.scheduler_info()["workers"][addr]["name"]: tasks
                        for addr, tasks in client.processing().items() if tasks}
                if busy.get("w1"):
                    killed["tasks"] = busy["w1"]
                    dask_cluster.kill("w1")
                    return
                time.sleep(0.05)

    killer = threading.Thread(target=kill_w1_while_it_works)
    killer.start()
    summary = batch.run(KOMMUNER, REPORTS, out_dir=out, progress=False, scheduler=dask_cluster.address)
    killer.join()
    assert killed.get("tasks"), "w1 never ran a job: the test did not kill a busy worker"
    assert summary.ok, [r.error for r in summary.failures]
    expected = {(k, r) for k in KOMMUNER for r in REPORTS}
    assert set(recorded) == expected and set(recorded.values()) == {1}
    assert summary.published == len(expected)
    assert {(p.parent.name, p.stem) for p in out.glob("*/*.html")} == expected
    assert not [p for p in out.rglob(".*")]


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2)
    with pytest.raises(cluster.ClusterError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9.*Fix:"):
        cluster.connect("tcp://127.0.0.1:9")


def test_run_all_reports_an_unreachable_scheduler_without_a_traceback(monkeypatch, capsys):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2)
    code = cli.main(["--kommun", "2080", "--report", "crime_trends", "--no-progress",
                        "--scheduler", "tcp://127.0.0.1:9", "--out", "/nonexistent/never-written"])
    err = capsys.readouterr().err
    assert code == 1 and "error: cannot reach the Dask scheduler" in err and "Fix:" in err
    assert "Traceback" not in err and not Path("/nonexistent/never-written").exists()


class TestRunJob:
    """What a worker does with a job: prepare once per engine and data folder, then render (writes nothing)."""

    def test_the_engine_is_prepared_once_and_renders_each_job(self, monkeypatch, tmp_path):
        from lagesbild.run import engines

        calls = []

        class Recorder:
            name, description = "recorder", "for the test"

            def available(self):
                return True

            def prepare(self, data_dir=None):
                calls.append(("prepare", data_dir))

            def pool_context(self, data_dir):
                raise AssertionError("a cluster worker has no pool")

            def render(self, job):
                calls.append(("render", job.report))
                return jobs.Outcome(jobs.Result(job.kommun, job.report, True))

        monkeypatch.setitem(engines.ENGINES, "recorder", Recorder())
        monkeypatch.setattr(cluster, "_PREPARED", set())
        job = jobs.Job("2080", "Falun", "", "crime_trends", {"data_dir": str(tmp_path)}, str(tmp_path / "out"), "")
        outcomes = [cluster.run_job(job, "recorder") for _ in range(2)]
        assert all(o.result.ok for o in outcomes)
        assert calls == [("prepare", str(tmp_path)), ("render", "crime_trends"), ("render", "crime_trends")]
        assert not (tmp_path / "out").exists()

    def test_an_unknown_engine_is_refused_by_name(self, tmp_path):
        from lagesbild.run.engines import EngineError

        job = jobs.Job("2080", "Falun", "", "crime_trends", {"data_dir": str(tmp_path)}, str(tmp_path), "")
        with pytest.raises(EngineError, match="unknown engine 'hot'; the engines are warm, kernel"):
            cluster.run_job(job, "hot")


class FakeClient:
    """Stands in for distributed.Client in check_workers: ``run`` returns each worker's fingerprint."""

    def __init__(self, fingerprints: dict) -> None:
        self.fingerprints = fingerprints

    def run(self, fn, *args):
        return self.fingerprints


class TestCheckWorkers:
    def test_identical_workers_pass(self):
        fp = cluster.fingerprint(DATA, REPORTS)
        cluster.check_workers(FakeClient({"tcp://a": fp, "tcp://b": fp}), DATA, REPORTS)

    def test_a_worker_on_another_commit_or_without_the_data_is_refused_by_name(self):
        fp = cluster.fingerprint(DATA, REPORTS)
        other = dict(fp, git_commit="0123456789", data=None)
        with pytest.raises(cluster.ClusterError) as err:
            cluster.check_workers(FakeClient({"tcp://a": fp, "tcp://b": other}), DATA, REPORTS)
        text = str(err.value)
        assert "tcp://b: git_commit:" in text and "0123456789 on the worker" in text
        assert "does not see the data folder at the same path" in text and "tcp://a" not in text
        assert "Fix:" in text

    def test_a_changed_notebook_is_named(self):
        fp = cluster.fingerprint(DATA, REPORTS)
        other = dict(fp, notebooks=dict(fp["notebooks"], wastewater="ffff"))
        with pytest.raises(cluster.ClusterError, match="notebooks differ: wastewater"):
            cluster.check_workers(FakeClient({"tcp://b": other}), DATA, REPORTS)

    def test_the_fingerprint_sees_a_missing_data_folder(self, tmp_path):
        assert cluster.fingerprint(tmp_path, REPORTS)["data"] is None
        assert cluster.fingerprint(DATA, REPORTS)["data"] is not None
