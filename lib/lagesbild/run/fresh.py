"""Is a report up to date? Content keys, never timestamps.

A report is rebuilt only when something it depends on changed. What it depends on:

* the job itself: report, kommun, its name and län, its parameters (what the kommun's YAML made of them);
* the notebook (its bytes) and the library (``lagesbild``'s version and every module's bytes): a change
  to either rebuilds every report;
* what it read while it ran (:mod:`lagesbild.core.reads`): the kinds of processed data (by the raw,
  fetched and local files each kind was built from, as ``processed/manifest.json`` records them), the
  kommun's own folders (their listing and every file's bytes) and single files (the lägesbild reads the
  other reports' key figures; a file it looked for and did not find counts as "missing").

After a report is written, :func:`write_record` keeps that list and the digests beside it, in
``OUT/<kommun>/_build/<report>.json`` (paths of this machine: not part of the published report). A
report is up to date (:func:`up_to_date`) when its page and key figures exist, the key figures are the
ones that record was written with, and every digest is the same again. A report whose record is missing
or unreadable, or whose notebook does not display what it read, is always rebuilt. A failed build
never writes a record, so it is tried again on the next run.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from pathlib import Path

from lagesbild import __version__
from lagesbild.core.files import atomic_write_json
from lagesbild.core.paths import NOTEBOOKS

#: The folder beside a kommun's reports that holds their build records.
RECORDS = "_build"
#: Format of a build record; another format is never up to date.
FORMAT = 1


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_digest(path: str | Path) -> str | None:
    """SHA-256 of a file's bytes; None when it does not exist (missing is a state a report may depend on).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"
    >>> file_digest(p) is None
    True
    >>> _ = p.write_text("x"); file_digest(p)[:12]
    '2d711642b726'
    """
    # imported here: the warm server's client imports this module and must not import pandas
    from lagesbild.sources.processed import sha256

    path = Path(path)
    return sha256(path) if path.is_file() else None


def folder_digest(path: str | Path) -> str | None:
    """One digest of a folder's files: every name and every file's bytes (sub-folders by name); None if absent.

    Hidden files and Excel's lock files (``~$…``) are left out, as the folder readers leave them out.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> before = folder_digest(d)
    >>> _ = (d / "~$platser.xlsx").write_text("lock"); folder_digest(d) == before
    True
    >>> _ = (d / "platser.csv").write_text("x"); folder_digest(d) == before
    False
    """
    path = Path(path)
    if not path.is_dir():
        return None
    h = hashlib.sha256()
    for p in sorted(path.iterdir()):
        if p.name.startswith((".", "~$")):
            continue
        h.update(p.name.encode() + b"\0")
        h.update((file_digest(p) or "dir").encode() + b"\n")
    return h.hexdigest()


@functools.cache
def library_digest() -> str:
    """The library's version and the bytes of every module of ``lagesbild`` (computed once per process)."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256(__version__.encode())
    for p in sorted(root.rglob("*.py")):
        h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def notebook_digest(report: str) -> str | None:
    """SHA-256 of the report's notebook."""
    return file_digest(NOTEBOOKS / f"{report}.ipynb")


def read_manifest(data_dir: str | Path) -> dict:
    """A data folder's ``processed/manifest.json`` (``{}`` when it has none)."""
    path = Path(data_dir) / "processed" / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def kind_digest(manifest: dict, kind: str) -> str | None:
    """Digest of one kind of processed data: the files it was built from (paths and SHA-256) and those of the
    kinds it was built with; None when the data folder has no such kind.

    Examples
    --------
    >>> m = {"format": 7, "kinds": {"crime": {"files": [{"path": "crime/a.csv", "sha256": "ab"}], "built": "2026-01-01"}}}
    >>> kind_digest(m, "crime") == kind_digest(m | {"kinds": {"crime": {**m["kinds"]["crime"], "built": "later"}}}, "crime")
    True
    >>> kind_digest(m, "ntu") is None
    True
    """
    entry = manifest.get("kinds", {}).get(kind)
    if entry is None:
        return None
    content = {"format": manifest.get("format"), "version": manifest.get("lagesbild_version"),
               "files": entry.get("files"), "depends_on": entry.get("depends_on")}
    return _sha(json.dumps(content, sort_keys=True).encode())


def fingerprint(job, inputs: dict, manifest: dict) -> dict:
    """Every digest a report's freshness is judged by (see the module's docstring).

    Parameters
    ----------
    job : lagesbild.run.jobs.Job
    inputs : dict
        What the report read (:func:`lagesbild.core.reads.snapshot`).
    manifest : dict
        The data folder's ``processed/manifest.json``.
    """
    return {
        "job": _sha(json.dumps([job.report, job.kommun, job.name, job.lan, job.parameters], sort_keys=True,
                               default=str).encode()),
        "notebook": notebook_digest(job.report),
        "library": library_digest(),
        "kinds": {k: kind_digest(manifest, k) for k in inputs.get("kinds", [])},
        "files": {p: file_digest(p) for p in inputs.get("files", [])},
        "folders": {p: folder_digest(p) for p in inputs.get("folders", [])},
    }


def _paths(job) -> tuple[Path, Path, Path]:
    out = Path(job.out_dir) / job.kommun
    return out / f"{job.report}.html", out / f"{job.report}.json", out / RECORDS / f"{job.report}.json"


def write_record(job, inputs: dict | None) -> None:
    """Keep what a just-written report read, and the digests of it, beside the report.

    Call it after the page and its key figures are written. Without ``inputs`` (a notebook that does not
    display what it read) any old record is removed: the report is then rebuilt every time.
    """
    html, meta, record = _paths(job)
    if inputs is None:
        record.unlink(missing_ok=True)
        return
    data_dir = job.parameters.get("data_dir")
    atomic_write_json(record, {"format": FORMAT, "inputs": inputs, "key_figures": file_digest(meta),
                               "fingerprint": fingerprint(job, inputs, read_manifest(data_dir) if data_dir else {})})


def up_to_date(job, manifest: dict | None = None) -> bool:
    """Whether the report of ``job`` in its output folder was built from exactly what it would read now.

    Parameters
    ----------
    job : lagesbild.run.jobs.Job
    manifest : dict, optional
        The data folder's manifest (read from ``job.parameters["data_dir"]`` when not given).

    Returns
    -------
    bool
        False when the page, its key figures or its build record is missing or unreadable, when the key
        figures are not those the record was written with, when any digest differs, or when the job asks
        for a PDF and the page has a map without its static picture (it was built for the screen only;
        the PDF and Word files themselves are made from an up-to-date page by :mod:`lagesbild.run.formats`).
    """
    html, meta, record = _paths(job)
    if not (html.is_file() and meta.is_file() and record.is_file()):
        return False
    try:
        kept = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(kept, dict) or kept.get("format") != FORMAT or kept.get("key_figures") != file_digest(meta):
        return False
    if manifest is None:
        data_dir = job.parameters.get("data_dir")
        manifest = read_manifest(data_dir) if data_dir else {}
    if fingerprint(job, kept.get("inputs") or {}, manifest) != kept.get("fingerprint"):
        return False
    if getattr(job, "print_maps", False):  # a PDF is asked for: the page needs its maps' static pictures
        from lagesbild.publish.formats import lacks_print_maps

        return not lacks_print_maps(html.read_text(encoding="utf-8"))
    return True


@contextlib.contextmanager
def locked(folder: str | Path):
    """Hold an exclusive lock on a folder while in the block (POSIX ``flock`` on the folder itself; no lock
    file is left behind); another process writing the same kommun's reports waits. Elsewhere a no-op."""
    try:
        import fcntl
        import os
    except ImportError:  # Windows: atomic replaces still keep every file whole
        yield
        return
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
