"""One run: build the given reports for the given kommuner and publish their HTML and the landing page.

A run (:func:`run`; ``run_all.py`` is its command line, :mod:`lagesbild.run.cli`):

1. builds ``data/processed/`` from ``data/raw/`` if a raw file changed (once, in this process);
2. validates every job's parameters (:func:`lagesbild.run.jobs.plan`) before anything executes — a bad
   YAML fails that kommun only;
3. executes each (kommun, report) with an engine (:mod:`lagesbild.run.engines`: by default each worker
   imports everything and loads the data once and forks a fresh child per report; ``engine="kernel"``
   runs a fresh Jupyter kernel per report) on the local pool (:mod:`lagesbild.run.local`) or, with a
   scheduler address, on a Dask cluster (:mod:`lagesbild.run.dask`); either way the HTML is exported
   in-process with nbconvert's ``HTMLExporter``;
4. writes ``OUT/<kommun>/<report>.html`` and ``.json`` atomically — a failed job never replaces a good
   report — and keeps a failed executed notebook in ``OUT/<kommun>/_failed/``;
5. with ``formats`` (``run_all.py --format pdf docx``), writes each report's PDF (and the lägesbild's Word
   document) from its published page, in this process's pool (:mod:`lagesbild.run.formats`) — on the
   local and the cluster path alike; a report whose PDF fails is that report's failure;
6. rewrites ``OUT/index.html`` from every report present, with links to the formats built.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from lagesbild.core.paths import DATA, PARAMS, REPORTS, pinned_git_commit
from lagesbild.run.engines import default_engine, get_engine
from lagesbild.run.jobs import JobOrder, Result, plan

_STOCKHOLM = ZoneInfo("Europe/Stockholm")


@dataclass
class Summary:
    """All results of a run."""

    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0
    published: int = 0  # reports written by this process (cluster runs; local workers write their own)
    up_to_date: int = 0  # reports not rebuilt: nothing they read had changed (lagesbild.run.fresh)
    converted: int = 0  # reports whose PDF or Word files this run wrote (lagesbild.run.formats)

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if not r.ok]

    @property
    def ok(self) -> bool:
        return bool(self.results) and not self.failures


def run(kommuner: list[str], reports: list[str], data_dir: str | Path = DATA, out_dir: str | Path = REPORTS,
        workers: int | None = None, params_dir: str | Path = PARAMS, progress: bool = True,
        engine: str | None = None, scheduler: str | None = None, force: bool = False,
        formats: tuple[str, ...] = ("html",)) -> Summary:
    """Build the given reports for the given kommuner; never stops at the first failure.

    A report whose page in ``out_dir`` was built from exactly what it would read now is not rebuilt
    (:func:`lagesbild.run.fresh.up_to_date`): its result is ok and counted in ``Summary.up_to_date``.
    When nothing is left to build, no worker or cluster is started and no file is written.

    Parameters
    ----------
    kommuner : list of str
        Four-digit kommun codes.
    reports : list of str
        Report (notebook) names.
    data_dir, out_dir, params_dir : str or Path
    workers : int, optional
        Worker processes (default: one per core).
    progress : bool
        Show a progress bar on stderr.
    engine : {"warm", "kernel"}, optional
        How reports run (:data:`lagesbild.run.engines.ENGINES`); default
        :func:`~lagesbild.run.engines.default_engine`.
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://HOST:PORT``): run the jobs on that cluster
        (:mod:`lagesbild.run.dask`) instead of a local pool; ``workers`` is then ignored.
    force : bool
        Rebuild every report, up to date or not.
    formats : tuple of str
        What to write (:func:`lagesbild.publish.formats.check_formats`): html always; ``pdf`` for every
        report, ``docx`` for the lägesbild, made from the published pages (an up-to-date page is converted
        without running its notebook again, unless its maps lack their static pictures).

    Raises
    ------
    lagesbild.run.engines.EngineError
        An unknown engine, or one that cannot run here (before anything runs).
    lagesbild.run.dask.ClusterError
        With ``scheduler``: the cluster cannot be reached, has no worker, or its workers differ from
        this machine (before any report runs).

    Returns
    -------
    Summary
    """
    from lagesbild.publish import landing

    t0 = time.perf_counter()
    engine = engine or default_engine()
    get_engine(engine)  # an unknown engine is refused before the data is built
    out_dir = Path(out_dir).resolve()
    data_dir = Path(data_dir).resolve()
    summary = Summary()
    jobs, summary.results = plan(kommuner, reports, data_dir, out_dir, params_dir, formats)
    workers = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    bar = _progress(len(jobs), progress)

    def done(res: Result) -> None:
        summary.results.append(res)
        bar.update(1)
        if not res.ok:
            bar.write(f"FAILED {res.kommun} {res.report}: {res.error}")

    skip = None
    if not force:
        from lagesbild.run import fresh

        manifest = fresh.read_manifest(data_dir)

        def skip(job):
            if not fresh.up_to_date(job, manifest):
                return None
            bar.update(1)
            return Result(job.kommun, job.report, True, name=job.name)

    order = JobOrder(jobs, skip=skip)

    def start() -> None:  # before the first report runs, never when nothing runs: a summary reads the folder
        out_dir.mkdir(parents=True, exist_ok=True)

    with pinned_git_commit() if order.ready else contextlib.nullcontext():  # git asked once, not twice per report
        if order.ready and scheduler:
            from lagesbild.run import dask as cluster

            summary.published = cluster.run_on_cluster(scheduler, order, reports, data_dir, engine, done, log=bar.write,
                                                       on_start=start)
        elif order.ready:
            from lagesbild.run import local

            start()
            if engine == "warm" and os.environ.get(local.WARM_PROCESS):  # in the warm server: fork, no pool to start
                local.run_forks(order, workers, done)
            else:
                local.run_pool(order, engine, data_dir, workers, done)
    summary.results += order.skipped  # up to date (also those released by the run: a summary of fresh sources)
    summary.up_to_date = len(order.skipped)
    bar.close()
    if len(formats) > 1:
        from lagesbild.run import formats as council

        todo = [j for j in jobs if council.pending(j)]
        summary.results = council.build_all(todo, summary.results, workers, log=bar.write)
        failed = {(r.kommun, r.report) for r in summary.failures}
        summary.converted = sum((j.kommun, j.report) not in failed for j in todo)
        skipped = {(r.kommun, r.report) for r in order.skipped}
        summary.up_to_date = len(skipped - failed)  # a report whose PDF failed is not up to date
    if summary.converted or summary.up_to_date < len(summary.results) or not (out_dir / "index.html").is_file():
        landing.build_landing(out_dir, index_entries(out_dir, summary.failures, data_dir), data_dir=data_dir)
    summary.seconds = time.perf_counter() - t0
    return summary


def index_entries(out_dir: Path, failures: list[Result] = (), data_dir: str | Path = DATA) -> list[dict]:
    """One entry per published report found in ``out_dir`` (read from its JSON), plus this run's
    failures that have no earlier report to show (listed as failed, unlinked).

    Examples
    --------
    >>> import json, tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> (out / "2080").mkdir()
    >>> _ = (out / "2080" / "crime_trends.html").write_text("<html></html>")
    >>> _ = (out / "2080" / "crime_trends.json").write_text(json.dumps({"kommun": "2080", "name": "Falun",
    ...     "report": "crime_trends", "generated": "2026-01-10T08:00:00+00:00",
    ...     "key_figures": {"title": "Brottsutvecklingen i Falun"}}))
    >>> [(e["href"], e["generated"], e["title"]) for e in index_entries(out)]
    [('2080/crime_trends.html', '10 januari 2026 kl. 09:00', 'Brottsutvecklingen i Falun')]
    """
    import json

    import pandas as pd

    from lagesbild.core import fmt
    from lagesbild.publish.formats import built_formats

    entries, seen = [], set()
    for p in sorted(Path(out_dir).glob("*/*.json")):
        meta = json.loads(p.read_text(encoding="utf-8"))
        if not (p.with_suffix(".html")).exists():
            continue
        generated = meta.get("generated", "")
        if generated:
            local = datetime.fromisoformat(generated).astimezone(_STOCKHOLM)
            generated = f"{fmt.day(local)} kl. {local:%H:%M}"
        entries.append({
            "kommun": meta["kommun"], "name": meta["name"], "lan": meta.get("lan", ""), "report": meta["report"],
            "href": f"{p.parent.name}/{p.stem}.html", "generated": generated,
            "title": meta.get("key_figures", {}).get("title", meta["report"]),
            "formats": {f: f"{p.parent.name}/{name}" for f, name in built_formats(p.parent, p.stem).items()},
        })
        seen.add((meta["kommun"], meta["report"]))
    if not failures:
        return entries
    table = pd.read_parquet(Path(data_dir).resolve() / "processed" / "kommuner.parquet").set_index("kommun_kod")
    for r in failures:
        if (r.kommun, r.report) in seen or r.kommun not in table.index:
            continue
        entries.append({"kommun": r.kommun, "name": str(table.loc[r.kommun, "kommun"]), "lan": str(table.loc[r.kommun, "lan"]),
                        "report": r.report, "title": r.report, "status": "failed",
                        "message": "kunde inte byggas i senaste körningen; se körningens felsammanfattning"})
    return entries


class _NoBar:
    def update(self, n: int) -> None: ...
    def write(self, s: str) -> None:
        print(s, file=sys.stderr)
    def close(self) -> None: ...


def _progress(total: int, show: bool):
    if not show:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, unit="rapport", desc="Rapporter", file=sys.stderr, dynamic_ncols=True)
