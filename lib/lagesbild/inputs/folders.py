"""The folder a kommun keeps its own tables in: which tables, ``metadata.yaml`` and provenance.

A report reads a kommun's tables from one folder per domain (a place-data folder, a lab-results
folder, …). A domain declares the folder once as a :class:`Folder`: its tables
(:class:`~lagesbild.inputs.tables.Table`), which of them are needed, and how it is named in errors.
:meth:`Folder.open` then checks the kommun code, the folder, its file names and ``metadata.yaml``
and returns the tables found (:class:`FolderFiles`); the domain loads and cross-checks them, keeps the
kommun's rows and lists the files it used with :meth:`FolderFiles.provenance`.

Every folder may hold a ``metadata.yaml`` with the keys of :data:`METADATA_KEYS`, all optional;
``exempeldata: true`` marks invented example data, which every report then says. Other files (README,
scripts, Excel lock files ``~$…``) are ignored; a table whose name is not one of the folder's tables, or
two files of one table, are errors.

Examples
--------
>>> import tempfile, pathlib
>>> from lagesbild.inputs.tables import Column, Table
>>> fruit = Table("frukt", "Frukt", "", (Column("namn", True, ""),), noun="fruit list", row_noun="fruit",
...               description="Fruktlista")
>>> folder = Folder("fruit folder", (fruit,), needs=("frukt",), table_noun="fruit table")
>>> d = pathlib.Path(tempfile.mkdtemp()) / "frukter"
>>> d.mkdir()
>>> folder.open(d, "1283")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
lagesbild.core.errors.InputError: .../frukter/frukt.csv: the folder has no fruit list (frukt.csv or frukt.xlsx). Fix: add frukt.csv from data/templates/ with one row per fruit.
>>> _ = (d / "frukt.csv").write_text("namn\\näpple\\n", encoding="utf-8")
>>> _ = (d / "metadata.yaml").write_text("exempeldata: true\\ndatum: 2025-03-14\\n", encoding="utf-8")
>>> found = folder.open(d, "1283")
>>> sorted(found.tables), found.metadata["exempeldata"]
(['frukt'], True)
>>> [(f["name"], f["description"], f["date"]) for f in found.provenance()]
[('frukter/frukt.csv', 'Fruktlista (påhittade exempeldata)', '2025-03-14')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import yaml

from lagesbild.core import reads
from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.core.yamlio import strict_yaml
from lagesbild.inputs.tables import DATE, Table
from lagesbild.sources.processed import sha256
from lagesbild.sources.readers import CSV_SUFFIXES, EXCEL_SUFFIXES

#: Keys allowed in ``metadata.yaml``.
METADATA_KEYS: dict[str, str] = {
    "exempeldata": "true if the data are invented example data (every report then says so), else false",
    "beskrivning": "one sentence: what the data are",
    "kalla": "where the data come from (organisation, system)",
    "datum": "when the data were exported, as 2025-03-14",
}

#: Added to a file's description in a report's provenance when the folder holds invented example data.
EXAMPLE_MARK = " (påhittade exempeldata)"

_KOMMUN = re.compile(r"^\d{4}$")
T = TypeVar("T")


def read_metadata_defaults() -> dict:
    """The metadata of a folder without ``metadata.yaml``: not example data, no description.

    Examples
    --------
    >>> read_metadata_defaults()
    {'exempeldata': False, 'beskrivning': '', 'kalla': '', 'datum': ''}
    """
    return {"exempeldata": False, "beskrivning": "", "kalla": "", "datum": ""}


def read_metadata(path: str | Path) -> dict:
    """Read and check ``metadata.yaml`` (keys in :data:`METADATA_KEYS`; all optional).

    Returns
    -------
    dict
        ``exempeldata`` (bool, default False), ``beskrivning``, ``kalla``, ``datum`` (str, default "").

    Raises
    ------
    InputError
        Not YAML (a key written twice included), not UTF-8, not ``key: value`` lines, an unknown key,
        ``exempeldata`` not true or false, a value that is not a text, ``datum`` not a date.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "metadata.yaml"
    >>> _ = p.write_text("exempeldata: true\\ndatum: 2025-03-14\\n", encoding="utf-8")
    >>> read_metadata(p)
    {'exempeldata': True, 'beskrivning': '', 'kalla': '', 'datum': '2025-03-14'}
    """
    path = Path(path)
    try:
        raw = strict_yaml(path.read_text(encoding="utf-8-sig"))  # a key written twice is an error
    except yaml.YAMLError as exc:  # the message on one line (the run's summary shows only the first)
        mark = getattr(exc, "problem_mark", None)
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        fix = "keep only one of the two lines" if "appears twice" in problem else "write one 'key: value' per line"
        raise InputError(path, f"the file is not valid YAML ({problem})", fix,
                         row=mark.line + 1 if mark else None) from None
    except UnicodeDecodeError:
        raise InputError(path, "the file is not UTF-8 text", "save it as UTF-8 (any text editor can)") from None
    raw = {} if raw is None else raw
    if not isinstance(raw, dict):
        raise InputError(path, "the file is not a list of 'key: value' lines",
                         f"write one 'key: value' per line with the keys {', '.join(METADATA_KEYS)}")
    out = read_metadata_defaults()
    for key, value in raw.items():
        if key not in METADATA_KEYS:
            raise InputError(path, f"unknown key {plain(key)}",
                             "use only " + "; ".join(f"{k}: {v}" for k, v in METADATA_KEYS.items()), column=str(key))
        if key == "exempeldata":
            if not isinstance(value, bool):
                raise InputError(path, f"exempeldata is {plain(value)}, not true or false", "write true or false",
                                 column=key)
            out[key] = value
        elif isinstance(value, dt.date):
            out[key] = value.isoformat()
        elif value is None or isinstance(value, str | int | float):
            out[key] = "" if value is None else str(value).strip()
        else:
            raise InputError(path, f"{key} is not a text", "write a single line of text", column=key)
    if out["datum"] and not DATE.match(out["datum"]):
        raise InputError(path, f"datum {plain(out['datum'])} is not a date", "write the date as 2025-03-14", column="datum")
    return out


@dataclass(frozen=True)
class Folder:
    """A folder of a kommun's own tables, as a report reads it.

    Parameters
    ----------
    name : str
        What the folder is called in errors, e.g. "place-data folder".
    tables : tuple of Table
        The tables the folder may hold, one file (CSV or Excel) each, named after the table's kind
        (or one of its other names).
    needs : tuple of str
        Kinds of which the folder must hold at least one (e.g. ``("platser",)``; ``("projekt",
        "ataganden")`` for one or both).
    table_noun : str
        What a table of the folder is called in errors: "'x.csv' is not a place-data table".
    example_kommun : str
        The kommun code in the fix of a bad kommun argument.
    merge_hint : str
        For a folder of one table, said when it holds two: e.g. "put all results in one table".

    Examples
    --------
    >>> from lagesbild.inputs.tables import Column, Table
    >>> t = Table("frukt", "Frukt", "", (Column("namn", True, ""),))
    >>> Folder("fruit folder", (t,), needs=("frukt",)).kinds
    ('frukt',)
    """

    name: str
    tables: tuple[Table, ...]
    needs: tuple[str, ...]
    table_noun: str = "table"
    example_kommun: str = "1283"
    merge_hint: str = ""

    def __post_init__(self) -> None:
        unknown = set(self.needs) - set(self.kinds)
        if not self.needs or unknown:
            raise ValueError(f"{self.name}: needs must name some of its tables {self.kinds}, got {self.needs}")

    @property
    def kinds(self) -> tuple[str, ...]:
        """The kinds of the folder's tables, in order."""
        return tuple(t.kind for t in self.tables)

    def table(self, kind: str) -> Table:
        """The folder's table of ``kind`` (KeyError if none)."""
        for t in self.tables:
            if t.kind == kind:
                return t
        raise KeyError(kind)

    def _kind_of(self, stem: str) -> str:
        return next((t.kind for t in self.tables if t.is_named(stem)), "")

    def find(self, folder: str | Path) -> dict[str, Path]:
        """The tables in ``folder`` by kind (file names compared case-insensitively).

        Raises
        ------
        InputError
            The folder does not exist; a table file (CSV or Excel) whose name is none of the folder's
            tables; two files of one table.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from lagesbild.inputs.tables import Column, Table
        >>> t = Table("frukt", "Frukt", "", (Column("namn", True, ""),))
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> for name in ("Frukt.xlsx", "README.md", "~$frukt.xlsx"):
        ...     _ = (d / name).write_text("x")
        >>> {k: p.name for k, p in Folder("fruit folder", (t,), needs=("frukt",)).find(d).items()}
        {'frukt': 'Frukt.xlsx'}
        """
        folder = Path(folder)
        reads.folder(folder)  # its listing and files: what a rebuild of the report depends on
        if not folder.is_dir():
            raise InputError(folder, f"the {self.name} does not exist", f"create it with {self._start()}, or correct the path")
        found: dict[str, Path] = {}
        single = len(self.tables) == 1
        for p in sorted(folder.iterdir()):
            if not p.is_file() or p.name.startswith(("~$", ".")) or p.suffix.lower() not in (*CSV_SUFFIXES, *EXCEL_SUFFIXES):
                continue
            kind = self._kind_of(p.stem)
            if not kind:
                t = self.tables[0]
                fix = (f"name the {t.noun} {t.kind}.csv or {t.kind}.xlsx, or move the file out of the folder" if single
                       else f"name it {', '.join(self.kinds)} (.csv or .xlsx), or move it out of the folder")
                raise InputError(p, f"{plain(p.name)} is not a {self.table_noun}", fix)
            if kind in found:
                two = f"{self.table(kind).noun}s" if single else f"{kind} files"
                hint = f" ({self.merge_hint})" if self.merge_hint else ""
                raise InputError(p, f"there are two {two} ({found[kind].name} and {p.name})",
                                 f"keep one of them in the folder{hint}")
            found[kind] = p
        return found

    def require(self, folder: str | Path, tables: Mapping[str, Path]) -> None:
        """Raise unless ``tables`` (found by :meth:`find`) hold one of the tables in :attr:`needs`.

        Examples
        --------
        >>> from lagesbild.inputs.tables import Column, Table
        >>> a = Table("projekt", "", "", (Column("id", True, ""),), noun="project register")
        >>> b = Table("ataganden", "", "", (Column("id", True, ""),), noun="commitments register")
        >>> Folder("project folder", (a, b), needs=("projekt", "ataganden")).require("p", {})
        Traceback (most recent call last):
        ...
        lagesbild.core.errors.InputError: p/projekt.csv: the folder has neither a project register (projekt.csv/.xlsx) nor a commitments register (ataganden.csv/.xlsx). Fix: add projekt.csv and/or ataganden.csv from data/templates/.
        """
        if any(k in tables for k in self.needs):
            return
        folder = Path(folder)
        needs = [self.table(k) for k in self.needs]
        first = needs[0]
        if len(needs) == 1:
            raise InputError(folder / f"{first.kind}.csv",
                             f"the folder has no {first.noun} ({first.kind}.csv or {first.kind}.xlsx)",
                             f"add {first.kind}.csv from {first.templates}/ with one row per {first.row_noun}")
        raise InputError(folder / f"{first.kind}.csv",
                         "the folder has neither " + " nor ".join(f"a {t.noun} ({t.kind}.csv/.xlsx)" for t in needs),
                         f"add {' and/or '.join(f'{t.kind}.csv' for t in needs)} from {first.templates}/")

    def _start(self) -> str:
        """What a new folder needs, for the fix of a missing folder."""
        first = self.table(self.needs[0])
        files = " and/or ".join(f"{k}.csv" for k in self.needs)
        at_least = "at least " if len(self.needs) == 1 and len(self.tables) > 1 else ""
        copy = f"{first.templates}/{first.kind}.csv" if len(self.tables) == 1 else f"{first.templates}/"
        return f"{at_least}{files} (copy {copy})"

    def open(self, folder: str | Path, kommun: str) -> FolderFiles:
        """Check the kommun code, the folder, its tables and ``metadata.yaml``; the tables are not read yet.

        Parameters
        ----------
        folder : str or Path
        kommun : str
            Four-digit kommun code, e.g. "1283".

        Returns
        -------
        FolderFiles

        Raises
        ------
        InputError
            A kommun code that is not four digits, the errors of :meth:`find` and :meth:`require`, and
            the errors of :func:`read_metadata`.
        """
        folder = Path(folder)
        kommun = str(kommun).strip()
        if not _KOMMUN.match(kommun):
            raise InputError(folder, f"kommun {plain(kommun)} is not a four-digit kommun code",
                             f"pass e.g. '{self.example_kommun}'")
        tables = self.find(folder)
        self.require(folder, tables)
        meta_path = folder / "metadata.yaml"
        meta = read_metadata(meta_path) if meta_path.exists() else read_metadata_defaults()
        return FolderFiles(self, folder, kommun, tables, meta)


@dataclass(frozen=True)
class FolderFiles:
    """The tables found in a kommun's folder (:meth:`Folder.open`) and its metadata.

    ``tables`` maps kind → file; ``metadata`` is :func:`read_metadata` (or its defaults).
    """

    spec: Folder
    folder: Path
    kommun: str
    tables: dict[str, Path] = field(default_factory=dict)
    metadata: dict = field(default_factory=read_metadata_defaults)

    @property
    def example(self) -> bool:
        """True for invented example data (``exempeldata: true``)."""
        return bool(self.metadata["exempeldata"])

    def provenance(self, kinds: Iterable[str] | None = None) -> list[dict]:
        """The files read, for a report's provenance: ``name``, ``description``, ``sha256``, ``date``.

        Parameters
        ----------
        kinds : iterable of str, optional
            The kinds the report used (default: every table found), listed in the folder's order.

        Returns
        -------
        list of dict
            ``name`` is "folder/file"; ``description`` the table's, marked as invented example data
            when it is; ``date`` the metadata's ``datum``, else the file's modification day.
        """
        wanted = set(self.tables if kinds is None else kinds)
        out = []
        for kind in self.spec.kinds:
            if kind not in wanted or kind not in self.tables:
                continue
            p = self.tables[kind]
            date = self.metadata["datum"] or dt.date.fromtimestamp(p.stat().st_mtime).isoformat()
            description = self.spec.table(kind).description + (EXAMPLE_MARK if self.example else "")
            out.append({"name": f"{self.folder.name}/{p.name}", "description": description, "sha256": sha256(p),
                        "date": date})
        return out


#: Tables parsed in this process, by what and which file contents (:func:`parsed_once`); the oldest go first.
_PARSED: dict[tuple, object] = {}
_PARSED_MAX = 16


def parsed_once(what: str, tables: Mapping[str, Path], parse: Callable[[], T]) -> T:
    """``parse()`` once per process for the same tables with the same contents; a deep copy each time.

    A folder's tables are read and checked whole before one kommun's rows are kept, so every kommun's
    report of a national run parses the same example folder. Keyed by ``what`` and every table's path
    and SHA-256 (a changed file is parsed again); a copy is returned, so a caller that changes what it
    got changes nothing for the next. The warm engine parses the example folders before it forks
    (:func:`lagesbild.run.engines.warm.preload`): every report then gets them parsed.

    Parameters
    ----------
    what : str
        Names the parse (e.g. ``"places"``): two parses of the same files give different things.
    tables : mapping of str to Path
        The files ``parse`` reads.
    parse : callable
        Reads and checks them; its errors propagate (and nothing is kept).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.csv"; _ = p.write_text("x")
    >>> calls = []
    >>> def parse():
    ...     calls.append(1)
    ...     return {"rows": [1, 2]}
    >>> first = parsed_once("demo", {"a": p}, parse); first["rows"].append(3)
    >>> parsed_once("demo", {"a": p}, parse), len(calls)
    ({'rows': [1, 2]}, 1)
    >>> _ = p.write_text("y"); _ = parsed_once("demo", {"a": p}, parse); len(calls)
    2
    """
    import copy

    key = (what, tuple(sorted((kind, str(Path(path).resolve()), sha256(path)) for kind, path in tables.items())))
    if key not in _PARSED:
        value = parse()
        while len(_PARSED) >= _PARSED_MAX:
            del _PARSED[next(iter(_PARSED))]
        _PARSED[key] = value
    return copy.deepcopy(_PARSED[key])


__all__ = ["EXAMPLE_MARK", "METADATA_KEYS", "Folder", "FolderFiles", "parsed_once", "read_metadata",
           "read_metadata_defaults"]
