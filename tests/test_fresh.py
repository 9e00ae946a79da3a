"""Rebuilds: nothing changed → nothing built; a change rebuilds exactly what read it (lagesbild.run.fresh).

The scenario runs ``run_all.py`` on a copy of the bundled data, a params folder of its own and a copy of
the example places, changes one kind of input at a time and checks which of Helsingborg's five reports
were rewritten (a rewritten file is a new inode: every write is an atomic replace).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lagesbild.core.paths import DATA, PROJ_ROOT, available_reports
from lagesbild.run import fresh, jobs

KOMMUN = "1283"
ALL = set(available_reports())


def run_all(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(PROJ_ROOT / "run_all.py"), "--no-progress", *args],
                          capture_output=True, text=True, timeout=600, cwd=PROJ_ROOT)


def files(out: Path) -> dict[str, tuple[int, int]]:
    """Every file of the output folder → (inode, mtime): a rewrite changes both."""
    return {str(p.relative_to(out)): (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(out.rglob("*"))
            if p.is_file()}


def rebuilt(before: dict, after: dict) -> set[str]:
    """The reports whose page was rewritten between two :func:`files` snapshots."""
    return {Path(name).stem for name, stamp in after.items()
            if name.startswith(f"{KOMMUN}/") and name.endswith(".html") and before.get(name) != stamp}


def yaml_text(place_data: Path, alpha: float = 0.05) -> str:
    """Helsingborg's YAML: both reports that read places read the test's copy of them."""
    return (f'kommun: "{KOMMUN}"\nname: Helsingborg\nreports:\n  place_assessment:\n    place_data: "{place_data}"\n'
            f'  project_evaluation:\n    place_data: "{place_data}"\n  crime_trends:\n    alpha: {alpha}\n')


@pytest.fixture(scope="module")
def scenario(tmp_path_factory, bundled_data):
    base = tmp_path_factory.mktemp("fresh")
    data, params, places, out = base / "data", base / "params", base / "places", base / "out"
    shutil.copytree(bundled_data.root, data)
    shutil.copytree(DATA / "example" / "places", places)
    params.mkdir()
    (params / f"{KOMMUN}_helsingborg.yaml").write_text(yaml_text(places), encoding="utf-8")

    def build(*extra: str) -> tuple[set[str], subprocess.CompletedProcess]:
        before = files(out) if out.exists() else {}
        proc = run_all("--kommun", KOMMUN, "--data", str(data), "--params", str(params), "--out", str(out), *extra)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return rebuilt(before, files(out)), proc

    first, proc = build()
    assert first == ALL, proc.stdout
    return type("Scenario", (), {"data": data, "params": params, "places": places, "out": out, "build": staticmethod(build)})


@pytest.mark.slow
class TestRebuilds:
    """In file order: each step changes one input and checks what was rebuilt, then the next starts from there."""

    def test_nothing_changed_rewrites_no_file_and_says_so(self, scenario):
        before = files(scenario.out)
        again, proc = scenario.build()
        assert again == set() and files(scenario.out) == before  # the index and the build records too
        assert proc.stdout.startswith("5 of 5 reports up to date, nothing to build"), proc.stdout

    def test_the_kommuns_place_data_rebuilds_what_reads_it_and_the_lagesbild(self, scenario):
        register = scenario.places / "besiktningar.csv"
        register.write_text(register.read_text(encoding="utf-8-sig").replace(";4;", ";3;", 1), encoding="utf-8-sig")
        changed, proc = scenario.build()
        assert changed == {"place_assessment", "project_evaluation", "lagesbild"}, proc.stdout
        assert "3 of 5 reports built, 2 up to date" in proc.stdout

    def test_a_new_file_in_a_folder_counts(self, scenario):
        (scenario.places / "metadata.yaml").write_text("exempeldata: false\n", encoding="utf-8")
        changed, _ = scenario.build()
        assert changed == {"place_assessment", "project_evaluation", "lagesbild"}

    def test_the_kommuns_yaml_rebuilds_the_report_whose_parameters_changed_and_the_lagesbild(self, scenario):
        yaml = scenario.params / f"{KOMMUN}_helsingborg.yaml"
        yaml.write_text(yaml_text(scenario.places, alpha=0.01), encoding="utf-8")
        changed, _ = scenario.build()
        assert changed == {"crime_trends", "lagesbild"}

    def test_a_raw_data_file_rebuilds_the_reports_that_read_its_kind(self, scenario):
        trends = next((scenario.data / "raw" / "wastewater").glob("*aggregated-trends*.csv"))
        lines = trends.read_text(encoding="utf-8").splitlines()
        lines.append(lines[-1])  # a duplicate of the last line is read as the same values: same data, new bytes
        trends.write_text("\n".join(lines[:-1]) + "\n\n", encoding="utf-8")
        changed, proc = scenario.build()
        assert changed == {"wastewater", "lagesbild"}, proc.stderr[-2000:]

    def test_force_rebuilds_what_is_asked_for(self, scenario):
        changed, _ = scenario.build("--force", "--report", "wastewater", "lagesbild")
        assert changed == {"wastewater", "lagesbild"}

    def test_a_failing_rebuild_keeps_the_report_and_is_tried_again(self, scenario):
        register = scenario.places / "besiktningar.csv"
        good = register.read_bytes()
        register.write_text(register.read_text(encoding="utf-8-sig").replace(";3;", ";9;", 1), encoding="utf-8-sig")
        page = scenario.out / KOMMUN / "place_assessment.html"
        kept = page.read_bytes()
        proc = run_all("--kommun", KOMMUN, "--data", str(scenario.data), "--params", str(scenario.params),
                       "--out", str(scenario.out), "--report", "place_assessment")
        assert proc.returncode == 1 and page.read_bytes() == kept
        proc = run_all("--kommun", KOMMUN, "--data", str(scenario.data), "--params", str(scenario.params),
                       "--out", str(scenario.out), "--report", "place_assessment")
        assert proc.returncode == 1, "a failure is never taken for an up-to-date report"
        register.write_bytes(good)
        changed, _ = scenario.build()
        assert changed == set(), "back to the inputs the report was built from: up to date again"


class TestUpToDate:
    """The check itself, on a hand-made report (no notebook runs)."""

    @pytest.fixture
    def job(self, tmp_path):
        out = tmp_path / "out"
        job = jobs.Job("2080", "Falun", "Dalarnas län", "crime_trends", {"kommun": "2080", "data_dir": str(DATA)},
                       str(out), "")
        inputs = {"kinds": ["crime"], "files": [str(tmp_path / "egen.csv")], "folders": [str(tmp_path)]}
        (tmp_path / "egen.csv").write_text("a;b\n1;2\n", encoding="utf-8")
        jobs.record(job, jobs.Outcome(jobs.Result("2080", "crime_trends", True), "<html></html>",
                                      {"report": "crime_trends"}, inputs=inputs))
        assert fresh.up_to_date(job)
        return job

    def test_a_new_library_or_notebook_is_never_up_to_date(self, job, monkeypatch):
        monkeypatch.setattr(fresh, "library_digest", lambda: "another library")
        assert not fresh.up_to_date(job)
        monkeypatch.undo()
        monkeypatch.setattr(fresh, "notebook_digest", lambda report: "another notebook")
        assert not fresh.up_to_date(job)

    def test_other_parameters_a_changed_file_or_folder_or_kind(self, job, tmp_path):
        other = jobs.Job(**{**job.__dict__, "parameters": job.parameters | {"alpha": 0.01}})
        assert not fresh.up_to_date(other)
        (tmp_path / "egen.csv").write_text("a;b\n1;3\n", encoding="utf-8")
        assert not fresh.up_to_date(job)
        (tmp_path / "egen.csv").write_text("a;b\n1;2\n", encoding="utf-8")
        assert fresh.up_to_date(job)
        (tmp_path / "ny.csv").write_text("", encoding="utf-8")  # the folder's listing
        assert not fresh.up_to_date(job)
        (tmp_path / "ny.csv").unlink()
        manifest = fresh.read_manifest(DATA)
        manifest["kinds"]["crime"] = {**manifest["kinds"]["crime"], "files": []}
        assert fresh.up_to_date(job) and not fresh.up_to_date(job, manifest)

    def test_key_figures_written_by_another_run_or_a_broken_record(self, job):
        meta = Path(job.out_dir) / "2080" / "crime_trends.json"
        meta.write_text(json.dumps({"report": "crime_trends", "generated": "later"}), encoding="utf-8")
        assert not fresh.up_to_date(job)
        record = Path(job.out_dir) / "2080" / fresh.RECORDS / "crime_trends.json"
        record.write_text("{", encoding="utf-8")
        assert not fresh.up_to_date(job)

    def test_a_report_that_does_not_say_what_it_read_is_always_rebuilt(self, job):
        jobs.record(job, jobs.Outcome(jobs.Result("2080", "crime_trends", True), "<html></html>",
                                      {"report": "crime_trends"}, inputs=None))
        assert not fresh.up_to_date(job)
        assert not (Path(job.out_dir) / "2080" / fresh.RECORDS / "crime_trends.json").exists()


@pytest.mark.slow
def test_two_runs_writing_the_same_reports_leave_whole_consistent_files(tmp_path):
    """Two run_all.py at once into one folder: both succeed, every file is whole, and a third run finds the
    pages, key figures and build records consistent (up to date)."""
    out = tmp_path / "out"
    cmd = [sys.executable, str(PROJ_ROOT / "run_all.py"), "--no-progress", "--kommun", "1287", "--report",
           "wastewater", "--out", str(out), "--workers", "1"]
    procs = [subprocess.Popen(cmd, cwd=PROJ_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-3000:]
    page = (out / "1287" / "wastewater.html").read_text(encoding="utf-8")
    assert page.rstrip().endswith("</html>")
    json.loads((out / "1287" / "wastewater.json").read_text(encoding="utf-8"))
    assert not [p for p in out.rglob(".*")]  # no temporary file left behind
    proc = run_all("--kommun", "1287", "--report", "wastewater", "--out", str(out))
    assert proc.stdout.startswith("1 of 1 reports up to date"), proc.stdout + proc.stderr
