"""A run's PDF and Word files: made from the published pages after the HTML step, each report on its own.

:func:`build_all` runs in the process that owns the run (after the local pool or the Dask cluster has
published the pages, so the same on both paths) and writes, for every report of the run whose page is
there, the formats :func:`lagesbild.publish.formats.extra_formats` asks for and that are missing or
outdated (:func:`pending`). A report whose PDF or Word file fails is that report's failure; the others
go on. Reports are converted in worker processes when there are several (each conversion takes seconds).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from lagesbild.publish.formats import extra_formats, files, render
from lagesbild.run.jobs import Job, Result


def record_key(html_path: Path, decision: dict | None) -> str:
    """What a format file is made from: the page's bytes, the library and the decision status (one digest)."""
    from lagesbild.run.fresh import library_digest

    h = hashlib.sha256(html_path.read_bytes())
    h.update(library_digest().encode())
    h.update(json.dumps(decision or {}, sort_keys=True).encode())
    return h.hexdigest()


def pending(job: Job) -> tuple[str, ...]:
    """The formats of the job's report that are missing, or older than its page or its decision status.

    Examples
    --------
    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> (out / "2080").mkdir()
    >>> _ = (out / "2080" / "wastewater.html").write_text("<html><body></body></html>")
    >>> pending(Job("2080", "Falun", "", "wastewater", {}, str(out), "", formats=("html", "pdf", "docx")))
    ('pdf',)
    """
    out = Path(job.out_dir) / job.kommun
    html_path = out / f"{job.report}.html"
    wanted = extra_formats(job.report, job.formats)
    if not wanted or not html_path.is_file():
        return ()
    key = record_key(html_path, job.decision)
    todo = []
    for fmt in wanted:
        path, record = files(out, job.report, fmt)
        try:
            kept = json.loads(record.read_text(encoding="utf-8")) if record.is_file() else {}
        except (OSError, ValueError):
            kept = {}
        if not path.is_file() or kept.get("key") != key:
            todo.append(fmt)
    return tuple(todo)


def build(job: Job) -> str | None:
    """Write the job's missing or outdated formats beside its page; None when all went well, else the error.

    Each file is written atomically and its record after it, under the lock on the kommun's folder (a
    run writing the same report waits), so nothing half-written is ever published.
    """
    from lagesbild.core.files import atomic_write_bytes, atomic_write_json
    from lagesbild.run.fresh import locked

    todo = pending(job)
    if not todo:
        return None
    out = Path(job.out_dir) / job.kommun
    current = todo[0]
    try:
        with locked(out):
            html_path = out / f"{job.report}.html"
            page = html_path.read_text(encoding="utf-8")
            meta = json.loads((out / f"{job.report}.json").read_text(encoding="utf-8"))
            key = record_key(html_path, job.decision)
            for current in todo:
                data = render(page, meta, current, job.decision)
                path, record = files(out, job.report, current)
                atomic_write_bytes(path, data)
                atomic_write_json(record, {"key": key, "format": current})
    except Exception as exc:  # noqa: BLE001 — one report's PDF or Word failure is that report's failure, never the run's
        from lagesbild.run.jobs import first_line

        return f"{current.upper()}: {type(exc).__name__}: {first_line(str(exc))}"
    return None


def _build_one(job: Job) -> tuple[str, str, str | None]:
    return job.kommun, job.report, build(job)


def build_all(jobs: list[Job], results: list[Result], workers: int = 1,
              log: Callable[[str], None] = print) -> list[Result]:
    """Write the formats of every job whose report is published; return ``results`` with format failures.

    Parameters
    ----------
    jobs : list of Job
        The run's jobs (with their ``formats``).
    results : list of Result
        Their results so far; a job whose result failed is left alone (its page is the previous one).
    workers : int
        Processes for the conversions (1: in this process).
    log : callable
        Called with one line per failure.

    Returns
    -------
    list of Result
        ``results`` with each report whose PDF or Word file failed turned into a failure naming the format.
    """
    ok = {(r.kommun, r.report) for r in results if r.ok}
    todo = [j for j in jobs if (j.kommun, j.report) in ok and pending(j)]
    if not todo:
        return results
    errors: dict[tuple[str, str], str] = {}
    if workers > 1 and len(todo) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        with ProcessPoolExecutor(max_workers=min(workers, len(todo)),
                                 mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {pool.submit(_build_one, job): job for job in todo}
            for future, job in futures.items():
                try:
                    _, _, error = future.result()
                except BrokenProcessPool as exc:  # a converter that crashed its process fails its report only
                    error = f"PDF/Word: the converting process died ({exc})"
                if error:
                    errors[(job.kommun, job.report)] = error
    else:
        for job in todo:
            error = build(job)
            if error:
                errors[(job.kommun, job.report)] = error
    out = []
    for r in results:
        error = errors.get((r.kommun, r.report))
        if error and r.ok:
            log(f"FAILED {r.kommun} {r.report}: {error}")
            r = Result(r.kommun, r.report, False, r.seconds, error, name=r.name)
        out.append(r)
    return out
