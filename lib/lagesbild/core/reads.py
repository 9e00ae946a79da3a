"""What a report read while it ran: kinds of processed data, files and folders.

A rebuild must know what a report depends on to skip it when nothing it read has changed
(:mod:`lagesbild.run.fresh`). Rather than a hand-kept list per report, which goes stale the day a
notebook reads one more table, the readers record what they are asked for, as ``make``'s compilers
report the headers a file included:

* :class:`lagesbild.sources.processed.Dataset` records each kind of data a report touches (``ds.crime``,
  ``ds.files_of("ntu")`` …);
* :meth:`lagesbild.inputs.folders.Folder.find` records the kommun's own folders (places, lab results,
  projects, surveys, åtgärdsplan), :func:`lagesbild.sources.readers.read_table` every table it reads;
* the lägesbild summary records the other reports' key-figure files it reads (or looks for).

:func:`start` begins a report's record (:func:`lagesbild.run.notebook.load` calls it), :func:`snapshot`
returns it; the notebook's provenance cell displays it with :data:`MIME`, and the runner keeps it beside
the report. The record lives in the process that runs the report (a forked child or a kernel).
"""

from __future__ import annotations

from pathlib import Path

#: MIME type of the record in a notebook's outputs (never shown in a report: the export drops it).
MIME = "application/vnd.lagesbild.inputs+json"

_KINDS: set[str] = set()
_FILES: set[str] = set()
_FOLDERS: set[str] = set()


def start() -> None:
    """Forget what was recorded so far: a report's record begins here.

    Examples
    --------
    >>> file("/tmp/a.csv"); start(); snapshot()
    {'kinds': [], 'files': [], 'folders': []}
    """
    _KINDS.clear()
    _FILES.clear()
    _FOLDERS.clear()


def kind(*names: str) -> None:
    """Record kinds of processed data (``"crime"``, ``"ntu"`` …) as read."""
    _KINDS.update(names)


def file(path: str | Path) -> None:
    """Record a file as read, or looked for (a missing file the report noticed is a dependency too)."""
    _FILES.add(str(Path(path).resolve()))


def folder(path: str | Path) -> None:
    """Record a folder whose listing and files the report read."""
    _FOLDERS.add(str(Path(path).resolve()))


def snapshot() -> dict[str, list[str]]:
    """What was recorded since :func:`start`: sorted kinds, and absolute paths of files and folders.

    Examples
    --------
    >>> start(); kind("crime", "kommuner"); kind("crime"); folder("/tmp")
    >>> snapshot()
    {'kinds': ['crime', 'kommuner'], 'files': [], 'folders': ['/tmp']}
    """
    return {"kinds": sorted(_KINDS), "files": sorted(_FILES), "folders": sorted(_FOLDERS)}
