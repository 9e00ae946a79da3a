"""The local process pool: jobs run on this machine's cores, each worker recording its own reports.

Each worker is prepared once by its engine (:meth:`~lagesbild.run.engines.Engine.prepare`: the warm
engine imports everything and loads the data) and then, per job, renders with the engine and records
the outcome (:func:`execute`). Jobs start in :class:`~lagesbild.run.jobs.JobOrder`: a kommun's summary
after the reports it reads.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from lagesbild.run import jobs as _jobs
from lagesbild.run.engines import get_engine, warm
from lagesbild.run.jobs import Job, JobOrder, Result

#: Set in a run process of the warm server (:mod:`lagesbild.run.server`): its jobs are forked from it, no pool.
WARM_PROCESS = "LAGESBILD_WARM_PROCESS"

#: Environment variables that cap BLAS/OpenMP threads: one per worker, since the pool already uses every core.
THREAD_LIMITS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def figures_beside(jobs: int, cores: int | None = None) -> bool:
    """Whether a run of ``jobs`` draws each report's figures in processes of their own: when it has fewer jobs
    than the machine has cores, which would otherwise idle (one report: 2,8 s → 2,1 s with the warm server).
    With as many jobs as cores the figure processes only compete with the reports (five reports on two
    cores: 3,5 s → 4,0 s; measured in bench/README.md).

    Examples
    --------
    >>> figures_beside(1, cores=2), figures_beside(2, cores=2), figures_beside(5, cores=2)
    (True, False, False)
    """
    return jobs < (cores if cores is not None else os.cpu_count() or 1)


def prepare_worker(engine: str, data_dir: str, figure_processes: bool = False) -> None:
    """A pool worker's initializer: the engine's one-time preparation (:meth:`Engine.prepare`)."""
    if figure_processes:
        os.environ[warm.FIGURE_PROCESSES] = "1"
    get_engine(engine).prepare(data_dir)


def execute(job: Job, engine: str = "warm") -> Result:
    """Execute one job with the named engine in this process and publish it atomically.

    Temporary files a killed child may have left beside the page are removed first, so no half-written
    file remains; a failure never replaces the previous report.

    Parameters
    ----------
    job : Job
    engine : str
        A name in :data:`lagesbild.run.engines.ENGINES`.

    Returns
    -------
    Result
    """
    with _jobs.print_maps(job):  # a report built for PDF draws static pictures of its maps
        outcome = get_engine(engine).render(job)
    _jobs.remove_leftovers(job)
    return _jobs.record(job, outcome)


def run_pool(order: JobOrder, engine: str, data_dir: str | Path, workers: int,
             on_result: Callable[[Result], None]) -> None:
    """Execute every job of ``order`` on a pool of ``workers`` processes; call ``on_result`` for each.

    A worker that dies (``BrokenProcessPool``) is its job's failure (and that of every job submitted
    after it), never the run's.

    Parameters
    ----------
    order : JobOrder
        The jobs, in the order they may start.
    engine : str
        A name in :data:`lagesbild.run.engines.ENGINES`.
    data_dir : str or Path
        The data folder (the warm engine loads it once per worker).
    workers : int
        Worker processes.
    on_result : callable
        Called in this process with each job's :class:`~lagesbild.run.jobs.Result` as it finishes.
    """
    # one BLAS/OpenMP thread per worker: the pool already uses every core, and threads per worker would
    # compete for them (set before the workers start, which read it when they import numpy)
    for var in THREAD_LIMITS:
        os.environ.setdefault(var, "1")
    if engine == "warm" and len(order.ready) + len(order) >= warm.WARM_UP_JOBS and order.ready:
        os.environ.setdefault(warm.WARM_UP_VAR, order.ready[0].kommun)  # the fork server warms up first
    ctx = get_engine(engine).pool_context(data_dir)
    beside = figures_beside(len(order.ready) + len(order))
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=prepare_worker,
                             initargs=(engine, str(data_dir), beside)) as pool:
        futures = {pool.submit(execute, job, engine): job for job in order.ready}
        while futures:
            finished, _ = wait(futures, return_when=FIRST_COMPLETED)
            for fut in finished:
                job = futures.pop(fut)
                try:
                    res = fut.result()
                except BrokenProcessPool as exc:
                    res = Result(job.kommun, job.report, False, error=f"worker process died: {exc}", name=job.name)
                on_result(res)
                for after in order.done(job):
                    try:
                        futures[pool.submit(execute, after, engine)] = after
                    except BrokenProcessPool as exc:
                        on_result(Result(after.kommun, after.report, False, name=after.name,
                                         error=f"worker process died: {exc}"))


def run_forks(order: JobOrder, workers: int, on_result: Callable[[Result], None]) -> None:
    """Execute every job of ``order`` in a child forked from this process, at most ``workers`` at a time.

    For a process that is warm already (the warm server's run process, :mod:`lagesbild.run.server`):
    no pool to start and nothing to import or load again. Every job is :func:`execute` with the warm
    engine in its own child (which forks once more per report, as a pool worker does), so a report
    still cannot change what the next one sees. Single-threaded: every fork happens from this thread.

    Parameters
    ----------
    order : JobOrder
    workers : int
        Jobs running at once.
    on_result : callable
        Called with each job's :class:`~lagesbild.run.jobs.Result` as it finishes; a child that died
        is its job's failure.

    Examples
    --------
    >>> import tempfile
    >>> from lagesbild.run.jobs import Job
    >>> job = Job("2080", "Falun", "", "no_such_report", {}, tempfile.mkdtemp(), "")
    >>> run_forks(JobOrder([job]), 2, lambda r: print(r.ok, r.error.split(":")[0]))
    False FileNotFoundError
    """
    from multiprocessing.connection import wait as wait_for

    from lagesbild.run.engines import warm

    queue, running = list(order.ready), {}
    # inherited by every job's child: figures beside the cells always (fewer jobs than cores), or whenever a
    # core is idle at the time (the tail of a kommun's run, when only the longest report still runs)
    os.environ[warm.FIGURE_PROCESSES] = "1" if figures_beside(len(queue) + len(order)) else "idle"
    warm.share_running_count()
    while queue or running:
        while queue and len(running) < max(1, workers):
            job = queue.pop(0)
            pid, fd = warm.start_forked(execute, job, "warm")
            running[fd] = (pid, job)
        warm.set_running(len(running))
        for fd in wait_for(list(running)):
            pid, job = running.pop(fd)
            warm.set_running(len(running))
            try:
                res = warm.finish_forked(pid, fd)
            except ChildProcessError as exc:
                res = Result(job.kommun, job.report, False, error=f"ChildProcessError: {exc}", name=job.name)
            on_result(res)
            queue.extend(order.done(job))
