"""The names of the former one-module runner, kept so that scripts and old imports keep working.

``lagesbild.runner`` (the flat name, :data:`lagesbild.MOVED`) and ``lagesbild.run.runner`` are this
module. The runner is now split by what each part does; new code imports from there:

=====================================================  ==============================================
``Job``, ``Result``, ``Outcome``, ``plan``, ``record``,  :mod:`lagesbild.run.jobs`
``first_line``, ``JobOrder``
``ENGINES``, ``default_engine``                         :mod:`lagesbild.run.engines`
``ipc_kernel_manager_class``, ``RETRYABLE``             :mod:`lagesbild.run.engines.kernel`
``run``, ``Summary``, ``index_entries``                 :mod:`lagesbild.run.batch`
``parser``, ``main``                                    :mod:`lagesbild.run.cli`
=====================================================  ==============================================

``execute`` and ``execute_warm`` (one job with the kernel or the warm engine, recorded) are
:func:`lagesbild.run.local.execute`; ``render_kernel`` and ``render_warm`` are the engines' ``render``.
"""

from __future__ import annotations

from lagesbild.core.reports import SUMMARY
from lagesbild.run import local
from lagesbild.run.batch import Summary, index_entries, run
from lagesbild.run.cli import main, parser
from lagesbild.run.engines import ENGINES, default_engine
from lagesbild.run.engines.kernel import RETRYABLE, ipc_kernel_manager_class
from lagesbild.run.jobs import Job, JobOrder, Outcome, Result, first_line, plan, record

#: The report that summarises the others (``notebooks/lagesbild.ipynb``); it reads their key figures.
SUMMARY_REPORT = SUMMARY.name

__all__ = ["ENGINES", "RETRYABLE", "SUMMARY_REPORT", "Job", "JobOrder", "Outcome", "Result", "Summary",
           "default_engine", "execute", "execute_warm", "first_line", "index_entries", "ipc_kernel_manager_class",
           "main", "parser", "plan", "record", "render_kernel", "render_warm", "run"]


def execute(job: Job) -> Result:
    """Execute one job in a fresh Jupyter kernel in this process and publish it (the kernel engine)."""
    return local.execute(job, "kernel")


def execute_warm(job: Job) -> Result:
    """Execute one job in a child forked from this process and publish it (the warm engine)."""
    return local.execute(job, "warm")


def render_kernel(job: Job) -> Outcome:
    """One job's :class:`Outcome` from the kernel engine (nothing written)."""
    return ENGINES["kernel"].render(job)


def render_warm(job: Job) -> Outcome:
    """One job's :class:`Outcome` from the warm engine (nothing written)."""
    return ENGINES["warm"].render(job)
