"""The kernel engine: a fresh Jupyter kernel per report, through papermill's Python API.

Slower than the warm engine (a kernel start and the report's imports every time) but it needs no
``fork``, so it runs everywhere; ``run_all.py --engine kernel``. Kernels talk over Unix sockets
(:func:`ipc_kernel_manager_class`), so parallel kernels never race for a TCP port.
"""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from pathlib import Path

from lagesbild.core.paths import notebook_path
from lagesbild.run.jobs import Job, Outcome, failed_outcome, first_line, render_notebook

#: Errors from starting a kernel under load that are worth one more try (FINDINGS: parallel papermill).
RETRYABLE = ("Kernel didn't respond", "Address already in use", "Kernel died before replying")


def ipc_kernel_manager_class(stderr_path: str | None = None):
    """A kernel manager that talks to its kernel over Unix sockets in the temp folder, not TCP.

    No ports means no "Address already in use" races between parallel kernels and no warning
    about unencrypted TCP; each kernel gets its own socket path, removed at shutdown. With
    ``stderr_path``, the kernel process's own stderr (not the cells' output, which the notebook
    keeps) goes to that file instead of the terminal, so a batch run prints only its summary.

    Examples
    --------
    >>> ipc_kernel_manager_class()().transport
    'ipc'
    """
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class IPCKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self) -> str:
            return "ipc"

        @default("ip")
        def _default_ip(self) -> str:
            return os.path.join(tempfile.gettempdir(), f"lagesbild-kernel-{uuid.uuid4().hex[:12]}")

        async def start_kernel(self, **kw):
            if stderr_path is None:
                return await super().start_kernel(**kw)
            with open(stderr_path, "ab") as log:  # the child keeps its own handle
                kw.setdefault("stderr", log)
                return await super().start_kernel(**kw)

    return IPCKernelManager


class KernelEngine:
    """A fresh Jupyter kernel per report (papermill); workers are spawned and need no preparation.

    Examples
    --------
    >>> e = KernelEngine()
    >>> e.name, e.available(), e.pool_context("data").get_start_method()
    ('kernel', True, 'spawn')
    """

    name = "kernel"
    description = "a fresh Jupyter kernel per report (papermill)"

    def __init__(self, retries: int = 2) -> None:
        #: How many more times a kernel that failed to start (:data:`RETRYABLE`) is tried.
        self.retries = retries

    def available(self) -> bool:
        """Always: a kernel needs no ``fork``."""
        return True

    def prepare(self, data_dir: str | Path | None = None) -> None:
        """Nothing: each report's kernel imports and loads what it needs itself."""

    def pool_context(self, data_dir: str | Path):
        """Spawned workers: nothing of the parent's state reaches a kernel."""
        import multiprocessing

        return multiprocessing.get_context("spawn")

    def render(self, job: Job) -> Outcome:
        """Execute one job in a fresh kernel; return its :class:`~lagesbild.run.jobs.Outcome` (nothing written
        to the output folder: papermill's working copy lives in a private temporary folder).

        A kernel that fails to start under load (:data:`RETRYABLE`) is tried again, up to
        :attr:`retries` times; any other failure is the job's failure, with the notebook executed so far
        and the kernel's own log.
        """
        import nbformat
        import papermill
        from papermill.exceptions import PapermillExecutionError

        t0 = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix="lagesbild-") as tmp:
            tmp_nb = os.path.join(tmp, f"{job.report}.ipynb")
            kernel_log = os.path.join(tmp, "kernel.log")

            def log_text() -> str | None:
                return Path(kernel_log).read_text(encoding="utf-8", errors="replace") if os.path.exists(kernel_log) else None

            def executed_so_far():
                return nbformat.read(tmp_nb, as_version=4) if os.path.exists(tmp_nb) and os.path.getsize(tmp_nb) else None

            try:
                for attempt in range(self.retries + 1):
                    try:
                        nb = papermill.execute_notebook(
                            str(notebook_path(job.report)), tmp_nb, parameters=job.parameters, kernel_name="python3",
                            progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                            shutdown_kernel="immediate",  # outputs are complete; a graceful shutdown costs ~1 s per report
                            cwd=str(notebook_path(job.report).parent),
                            kernel_manager_class=ipc_kernel_manager_class(kernel_log),
                        )
                        break
                    except PapermillExecutionError as exc:
                        return failed_outcome(job, f"{exc.ename}: {first_line(exc.evalue)}", t0, nb=executed_so_far(),
                                              kernel_log=log_text())
                    except (RuntimeError, OSError) as exc:  # kernel start races under load
                        if attempt < self.retries and any(s in str(exc) for s in RETRYABLE):
                            time.sleep(0.5 * (attempt + 1))
                            continue
                        return failed_outcome(job, f"{type(exc).__name__}: {first_line(str(exc))}", t0,
                                              nb=executed_so_far(), kernel_log=log_text())
                return render_notebook(job, nb, t0)
            except Exception as exc:  # noqa: BLE001 — a worker must report, never crash the run
                return failed_outcome(job, f"{type(exc).__name__}: {first_line(str(exc))}", t0,
                                      tb=traceback.format_exc(), kernel_log=log_text())
