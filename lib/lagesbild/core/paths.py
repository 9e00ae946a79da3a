"""Where things live. Every other module asks here instead of building paths itself."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from lagesbild.core.reports import BY_NAME

#: The repository root (``lib/lagesbild/core/paths.py`` → two levels up from ``lib``).
PROJ_ROOT = Path(__file__).resolve().parents[3]
NOTEBOOKS = PROJ_ROOT / "notebooks"
PARAMS = PROJ_ROOT / "params"
DATA = PROJ_ROOT / "data"
REPORTS = PROJ_ROOT / "reports"


@dataclass(frozen=True)
class DataDir:
    """A data folder laid out as ``data/``: ``raw/`` (read-only inputs) and ``processed/`` (built).

    Parameters
    ----------
    root : str or Path
        The folder that holds ``raw/`` (and, once built, ``processed/``).

    Examples
    --------
    >>> d = DataDir("/tmp/mydata")
    >>> d.raw.as_posix(), d.processed.as_posix()
    ('/tmp/mydata/raw', '/tmp/mydata/processed')
    """

    root: Path

    def __init__(self, root: str | Path | DataDir = DATA) -> None:
        root = root.root if isinstance(root, DataDir) else root
        object.__setattr__(self, "root", Path(root).resolve())

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "processed"


def notebook_path(report: str) -> Path:
    """Path of the notebook behind a report name.

    Examples
    --------
    >>> notebook_path("crime_trends").name
    'crime_trends.ipynb'
    """
    return NOTEBOOKS / f"{report}.ipynb"


def available_reports() -> list[str]:
    """Report names: every report in the registry (:data:`lagesbild.core.reports.REGISTRY`), sorted.

    Each has its notebook in ``notebooks/`` and each notebook there is registered (``tests/test_reports.py``).

    Examples
    --------
    >>> available_reports()
    ['crime_trends', 'lagesbild', 'place_assessment', 'project_evaluation', 'wastewater']
    """
    return sorted(BY_NAME)


#: Environment variable holding the commit a run builds from (:func:`pin_git_commit`), inherited by its processes.
GIT_COMMIT_VAR = "LAGESBILD_GIT_COMMIT"


def git_commit(root: Path = PROJ_ROOT) -> str | None:
    """The checked-out commit (short hash, ``+`` if the work tree has changes), or None outside git.

    Within a run (:func:`pin_git_commit`) the project's commit is the one the run pinned: asked once, not
    twice per report (two git processes forked from a large process: ≈ 0,02–0,05 s a report).

    Examples
    --------
    >>> c = git_commit()
    >>> c is None or len(c.rstrip("+")) >= 7
    True
    """
    import os
    import subprocess

    pinned = os.environ.get(GIT_COMMIT_VAR)
    if pinned is not None and Path(root) == PROJ_ROOT:
        return pinned or None
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short=10", "HEAD"],
                              capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return head + ("+" if dirty else "") if head else None


@contextlib.contextmanager
def pinned_git_commit():
    """Ask git for the project's commit once for a whole run; every process the run starts inherits it.

    ``lagesbild.run.batch.run`` builds its reports inside this block: their provenance and records name
    the commit the run started from (a commit made while a long run goes on is not theirs). Afterwards the
    process asks git again, as a notebook run by hand always does.

    Examples
    --------
    >>> import os
    >>> with pinned_git_commit() as commit:
    ...     commit == git_commit() == (os.environ[GIT_COMMIT_VAR] or None)
    True
    >>> GIT_COMMIT_VAR in os.environ
    False
    """
    import os

    before = os.environ.pop(GIT_COMMIT_VAR, None)
    commit = git_commit()
    os.environ[GIT_COMMIT_VAR] = commit or ""
    try:
        yield commit
    finally:
        if before is None:
            os.environ.pop(GIT_COMMIT_VAR, None)
        else:
            os.environ[GIT_COMMIT_VAR] = before


def input_folder(value: str, example: Path) -> Path:
    """The folder a report reads its own inputs from: ``value``, or the bundled ``example`` when it is empty.

    A relative path is relative to the project root (where ``run_all.py`` is), so a params YAML means
    the same folder wherever the notebook runs.

    Examples
    --------
    >>> input_folder("", DATA / "example") == DATA / "example"
    True
    >>> input_folder(" indata/platser ", DATA) == PROJ_ROOT / "indata" / "platser"
    True
    >>> input_folder("/srv/x", DATA).as_posix()
    '/srv/x'
    """
    text = str(value).strip()
    if not text:
        return example
    path = Path(text).expanduser()
    return path if path.is_absolute() else PROJ_ROOT / path
