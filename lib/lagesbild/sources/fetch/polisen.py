"""polisen.se: the latest events of Polismyndigheten's open data, appended to the archive without duplicates.

https://polisen.se/api/events (Polismyndigheten's open data): a JSON list of the latest
events (``id, datetime, name, summary, url, type, location{name, gps}``); ``locationname`` and
``DateTime`` filter it. Only events not yet in the archive (or newer versions of them) are
written, unchanged, to ``fetched/police_events/polisen_<time>.json``.

Run as ``python -m lagesbild.sources.fetch polisen``; :func:`fetch_polisen` stages the file.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pandas as pd

from lagesbild.core.paths import DataDir
from lagesbild.sources import processed
from lagesbild.sources import public as sources
from lagesbild.sources.fetch.common import FetchError, Http, Staged, _kommuner, _provenance

POLISEN = "https://polisen.se/api/events"


def new_events(items: list[dict], known: pd.DataFrame) -> tuple[list[dict], dict]:
    """The API's events that the archive does not have yet, or has in an older version.

    Parameters
    ----------
    items : list of dict
        The API's JSON list.
    known : pandas.DataFrame
        ``id, datetime`` of the events already in the data (raw and fetched).

    Returns
    -------
    (list of dict, dict)
        The events to write (API items unchanged, one per id, the newest), and counts
        ``received, new, updated, known``.

    Examples
    --------
    >>> known = pd.DataFrame({"id": [1, 2], "datetime": pd.to_datetime(["2024-05-01 10:00", "2024-05-01 11:00"]).tz_localize("Europe/Stockholm")})
    >>> items = [{"id": 1, "datetime": "2024-05-01 10:00:00 +02:00"}, {"id": 2, "datetime": "2024-05-01 12:00:00 +02:00"},
    ...          {"id": 3, "datetime": "2024-05-02 09:00:00 +02:00"}, {"id": 3, "datetime": "2024-05-02 09:00:00 +02:00"}]
    >>> keep, counts = new_events(items, known)
    >>> [e["id"] for e in keep], counts
    ([2, 3], {'received': 4, 'new': 1, 'updated': 1, 'known': 1})
    """
    newest: dict[int, tuple[pd.Timestamp, dict]] = {}
    for ev in items:
        when = sources.parse_local_times(pd.Series([ev.get("datetime")]), POLISEN).iloc[0]
        eid = int(ev["id"])
        if eid not in newest or when > newest[eid][0]:
            newest[eid] = (when, ev)
    had = known.groupby("id")["datetime"].max().to_dict() if len(known) else {}
    keep, counts = [], {"received": len(items), "new": 0, "updated": 0, "known": 0}
    for eid, (when, ev) in newest.items():
        if eid not in had:
            counts["new"] += 1
        elif when > had[eid]:
            counts["updated"] += 1
        else:
            counts["known"] += 1
            continue
        keep.append(ev)
    return keep, counts


def fetch_polisen(data: DataDir, http: Http, codes: list[str] | None, url: str = POLISEN) -> Staged:
    """The latest polisen.se events not yet in the archive, staged (not written).

    With kommun codes, asks for those kommuner's events (``locationname``) and their län's.

    Examples
    --------
    >>> from lagesbild.core.paths import DATA
    >>> fetch_polisen(DataDir(DATA), Http(retries=0, timeout=1), None, url="http://127.0.0.1:9/api/events")
    Traceback (most recent call last):
    ...
    lagesbild.sources.fetch.common.FetchError: error: could not reach 127.0.0.1:9 (connection refused); the bundled data in data/raw is still used
    """
    kommuner = _kommuner(data)
    start = len(http.urls)
    params = None
    if codes:
        sel = kommuner[kommuner["kommun_kod"].isin(codes)]
        params = {"locationname": ";".join([*sel["kommun"], *sel["lan"].drop_duplicates()])}
    items = http.get_json(url, params=params, max_age=0)  # the feed changes every few minutes
    if not isinstance(items, list):
        raise FetchError(urlsplit(url).netloc, "the answer is not a list of events", reached=True)
    kind = processed.KINDS["events"]
    known = [sources.load_events(p)[["id", "datetime"]] for p in processed.raw_files(data, kind)] if _has(data, kind) else []
    keep, counts = new_events(items, pd.concat(known, ignore_index=True) if known else pd.DataFrame(columns=["id", "datetime"]))
    staged = Staged()
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    if keep:
        name = f"police_events/polisen_{stamp}.json"
        prov = _provenance("polisen", http, start, len(keep), source_text="Polismyndigheten, polisen.se/api/events",
                           licence="Polismyndighetens öppna information", counts=counts, kommuner=codes or "alla")
        staged.add(name, json.dumps(keep, ensure_ascii=False, indent=1).encode("utf-8"), prov)
    staged.summary.append(f"polisen.se: {counts['received']} events received, {counts['new']} new, "
                          f"{counts['updated']} updated, {counts['known']} already in the archive")
    return staged


def _has(data: DataDir, kind: processed.Kind) -> bool:
    return bool(processed._glob(data.raw, kind) or processed.fetched_files(data, kind))
