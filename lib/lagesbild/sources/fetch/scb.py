"""SCB: population per kommun and year (table TAB638), for turning Kolada's rates into counts.

SCB's PxWebApi 2.0 (launched October 2025), https://statistikdatabasen.scb.se/api/v2, table
``TAB638`` "Folkmängd efter region, civilstånd, ålder och kön. År 1968–" (the successor of v1's
``BefolkningNy``), as described by SCB's API specification and public v2 clients:
``GET /tables/TAB638/metadata?lang=sv`` answers JSON-stat 2.0 (the years are the categories of
``Tid``; the population's ContentsCode is the one labelled "Folkmängd", or ``BE0101N1``), and
``POST /tables/TAB638/data?lang=sv&outputFormat=json-stat2`` with a body
``{"selection": [{"variableCode", "valueCodes"}, …]}`` answers JSON-stat 2.0 (``id``, ``size``,
``dimension.<id>.category.index``, ``value`` in row-major order). Civilstånd, age and sex are
left out of the selection, so PxWeb eliminates (sums) them. Errors are problem JSON
(``{"type", "title", "status"}``); ``/config`` gives maxDataCells 150 000 and 30 calls per 10 s.
Population is **always fetched for every kommun** (one small request), also with ``--kommun``:
a län's and riket's population are sums over all kommuner, and the reports need them to turn
Kolada's rates into counts. Writes ``fetched/population/scb_alla_*.csv``.

Run as ``python -m lagesbild.sources.fetch scb``; :func:`fetch_scb` stages the file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlencode, urlsplit

import pandas as pd

from lagesbild.core.fmt import plain
from lagesbild.core.paths import DataDir
from lagesbild.sources.fetch.common import FetchError, Http, Staged, _chunks, _kommuner, _provenance, _scope

SCB = "https://statistikdatabasen.scb.se/api/v2"
SCB_API = "PxWebApi 2.0"
#: SCB's population table (Region, Civilstand, Alder, Kon, ContentsCode, Tid) and its population content.
SCB_TABLE = "TAB638"
SCB_CONTENTS = "BE0101N1"
SCB_CONTENTS_LABEL = "Folkmängd"
#: Query string of every SCB data request.
SCB_DATA_PARAMS = {"lang": "sv", "outputFormat": "json-stat2"}
#: SCB's maxDataCells (``/config``); a data request asks for fewer cells than this.
SCB_MAX_CELLS = 150_000


def _jsonstat_codes(dimension: dict) -> list[str]:
    """The category codes of a JSON-stat 2.0 dimension, in their order.

    ``category.index`` is a list or a ``{code: position}`` object; a single category may come
    with ``label`` only.

    Examples
    --------
    >>> _jsonstat_codes({"category": {"index": {"2024": 1, "2023": 0}}}), _jsonstat_codes({"category": {"label": {"BE0101N1": "Folkmängd"}}})
    (['2023', '2024'], ['BE0101N1'])
    """
    category = dimension["category"]
    index = category.get("index")
    if index is None:  # a single category may come without an index
        index = list(category["label"])
    if isinstance(index, dict):
        index = [c for c, _ in sorted(index.items(), key=lambda kv: kv[1])]
    return [str(c) for c in index]


def parse_jsonstat2(doc: dict) -> pd.DataFrame:
    """A JSON-stat 2.0 dataset as a long table: one column of codes per dimension, and ``value``.

    Examples
    --------
    >>> doc = {"version": "2.0", "class": "dataset", "id": ["Region", "Tid"], "size": [2, 2],
    ...        "dimension": {"Region": {"category": {"index": {"0114": 0, "2080": 1},
    ...                                              "label": {"0114": "Upplands Väsby", "2080": "Falun"}}},
    ...                      "Tid": {"category": {"index": ["2023", "2024"]}}},
    ...        "value": [1, 2, 3, None]}
    >>> parse_jsonstat2(doc).values.tolist()
    [['0114', '2023', 1.0], ['0114', '2024', 2.0], ['2080', '2023', 3.0], ['2080', '2024', nan]]
    """
    try:
        ids, sizes, dims, values = doc["id"], doc["size"], doc["dimension"], doc["value"]
    except (KeyError, TypeError) as exc:
        raise ValueError(f"not a JSON-stat 2.0 dataset (missing {exc})") from exc
    try:
        codes = [_jsonstat_codes(dims[d]) for d in ids]
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"a dimension has no categories ({exc})") from exc
    if [len(c) for c in codes] != list(sizes):
        raise ValueError("the dimension sizes do not match their categories")
    n = 1
    for s in sizes:
        n *= s
    if isinstance(values, dict):  # sparse form {"position": value}
        values = [values.get(str(i)) for i in range(n)]
    if len(values) != n:
        raise ValueError(f"{len(values)} values for {n} cells")
    grid = pd.MultiIndex.from_product(codes, names=ids).to_frame(index=False)
    grid["value"] = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype(float)
    return grid


def parse_scb_metadata(meta: dict) -> dict:
    """What a data request needs from an SCB v2 table's metadata (JSON-stat 2.0).

    Returns
    -------
    dict
        ``years``: the years of ``Tid`` (ints, ascending); ``contents``: the ContentsCode labelled
        :data:`SCB_CONTENTS_LABEL` ("Folkmängd"), else :data:`SCB_CONTENTS` if the table has that
        code; ``regions``: the codes of ``Region``.

    Raises
    ------
    ValueError
        If a variable is missing or no population content is found.

    Examples
    --------
    >>> meta = {"version": "2.0", "class": "dataset", "id": ["Region", "ContentsCode", "Tid"],
    ...         "dimension": {"Region": {"category": {"index": {"00": 0, "2080": 1}}},
    ...                       "ContentsCode": {"category": {"index": {"BE0101N2": 0, "BE0101N1": 1},
    ...                                                     "label": {"BE0101N2": "Folkökning", "BE0101N1": "Folkmängd"}}},
    ...                       "Tid": {"category": {"index": {"2023": 0, "2024": 1}}}}}
    >>> parse_scb_metadata(meta)
    {'years': [2023, 2024], 'contents': 'BE0101N1', 'regions': ['00', '2080']}
    >>> meta["dimension"]["ContentsCode"] = {"category": {"index": ["X1"], "label": {"X1": "Medelålder"}}}
    >>> parse_scb_metadata(meta)
    Traceback (most recent call last):
    ...
    ValueError: no ContentsCode labelled 'Folkmängd' and no code BE0101N1 (the table has X1 'Medelålder')
    """
    dims = meta.get("dimension") if isinstance(meta, dict) else None
    if not isinstance(dims, dict):
        raise ValueError("no 'dimension' object: not JSON-stat 2.0 metadata")

    def variable(code: str) -> tuple[list[str], dict]:
        if code not in dims:
            raise ValueError(f"no variable {plain(code)} (the table has {', '.join(dims)})")
        try:
            return _jsonstat_codes(dims[code]), dict(dims[code]["category"].get("label") or {})
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"the variable {plain(code)} has no categories") from exc

    regions, _ = variable("Region")
    contents, labels = variable("ContentsCode")
    times, _ = variable("Tid")
    by_label = [c for c in contents if str(labels.get(c, "")).strip().casefold() == SCB_CONTENTS_LABEL.casefold()]
    if len(by_label) == 1:
        content = by_label[0]
    elif SCB_CONTENTS in contents:
        content = SCB_CONTENTS
    else:
        found = ", ".join(f"{c} {plain(labels.get(c, ''))}" for c in contents) or "none"
        raise ValueError(f"no ContentsCode labelled {plain(SCB_CONTENTS_LABEL)} and no code {SCB_CONTENTS} "
                         f"(the table has {found})")
    years = sorted(int(t) for t in times if re.fullmatch(r"\d{4}", t))
    return {"years": years, "contents": content, "regions": regions}


def parse_scb_population(doc: dict, kommuner: pd.DataFrame) -> pd.DataFrame:
    """SCB population (JSON-stat 2.0) as population rows ``kommun_kod, kommun, year, population``.

    Regions that are not kommuner (riket, län) and empty cells are left out.

    Examples
    --------
    >>> k = pd.DataFrame({"kommun_kod": ["2080"], "kommun": ["Falun"], "lan_kod": ["20"], "lan": ["Dalarnas län"]})
    >>> doc = {"id": ["Region", "ContentsCode", "Tid"], "size": [2, 1, 1],
    ...        "dimension": {"Region": {"category": {"index": {"00": 0, "2080": 1}}},
    ...                      "ContentsCode": {"category": {"index": {"BE0101N1": 0}}},
    ...                      "Tid": {"category": {"index": {"2024": 0}}}}, "value": [10551707, 59686]}
    >>> parse_scb_population(doc, k).to_dict("records")
    [{'kommun_kod': '2080', 'kommun': 'Falun', 'year': 2024, 'population': 59686}]
    """
    long = parse_jsonstat2(doc)
    region = next((c for c in long.columns if c.lower() == "region"), None)
    year = next((c for c in long.columns if c.lower() in ("tid", "år", "year")), None)
    if region is None or year is None:
        raise ValueError(f"no Region or Tid dimension (found {', '.join(long.columns[:-1])})")
    names = dict(zip(kommuner["kommun_kod"], kommuner["kommun"], strict=True))
    long = long[long[region].isin(list(names)) & long["value"].notna()]
    out = pd.DataFrame({"kommun_kod": long[region].astype(str), "kommun": long[region].map(names).astype(str),
                        "year": long[year].astype(str).str[:4].astype(int),
                        "population": long["value"].round().astype("int64")})
    return out.sort_values(["kommun_kod", "year"]).reset_index(drop=True)


def scb_query(codes: Sequence[str], years: Sequence[int], contents: str = SCB_CONTENTS) -> dict:
    """The PxWebApi 2.0 body of a data request: population 31 December of some regions and years.

    Civilstand, Alder and Kon are not selected, so PxWeb eliminates (sums) them. The output
    format and language go in the query string (:data:`SCB_DATA_PARAMS`), not in the body.

    Examples
    --------
    >>> scb_query(["2080"], [2023, 2024])
    {'selection': [{'variableCode': 'Region', 'valueCodes': ['2080']}, {'variableCode': 'ContentsCode', 'valueCodes': ['BE0101N1']}, {'variableCode': 'Tid', 'valueCodes': ['2023', '2024']}]}
    """
    return {"selection": [
        {"variableCode": "Region", "valueCodes": list(codes)},
        {"variableCode": "ContentsCode", "valueCodes": [contents]},
        {"variableCode": "Tid", "valueCodes": [str(y) for y in years]},
    ]}


def fetch_scb(data: DataDir, http: Http, codes: list[str] | None, years: tuple[int, int],
              base: str = SCB, table: str = SCB_TABLE) -> Staged:
    """Population per kommun and year from SCB's PxWebApi 2.0 (table TAB638), parsed and staged (not written).

    The table's metadata is read first (:func:`parse_scb_metadata`): its years, so that a range
    beyond the published years asks only for those that exist, and the population's ContentsCode.
    Then one POST per piece of at most :data:`SCB_MAX_CELLS` cells asks for the population of
    **every kommun** in the kommun list, also when ``codes`` names some: a län's and riket's
    population are sums over all kommuner, and the reports need them. ``codes`` only adds a line
    saying so to the summary.

    Examples
    --------
    >>> from lagesbild.core.paths import DATA
    >>> fetch_scb(DataDir(DATA), Http(retries=0, timeout=1), ["2080"], (2023, 2024), base="http://127.0.0.1:9/api/v2")
    Traceback (most recent call last):
    ...
    lagesbild.sources.fetch.common.FetchError: error: could not reach 127.0.0.1:9 (connection refused); the bundled data in data/raw is still used
    """
    kommuner = _kommuner(data)
    start = len(http.urls)
    host = urlsplit(base).netloc
    try:
        meta = parse_scb_metadata(http.get_json(f"{base}/tables/{table}/metadata", params={"lang": "sv"}))
    except ValueError as exc:
        raise FetchError(host, f"the metadata of table {table} is not as expected ({exc})", reached=True) from exc
    available = meta["years"]
    if not available:
        raise FetchError(host, f"the table {table} lists no years", reached=True)
    wanted = [y for y in available if years[0] <= y <= years[1]]
    if not wanted:
        raise FetchError(host, f"the table has the years {available[0]}–{available[-1]}, none in {years[0]}–{years[1]}",
                         reached=True)
    all_codes = sorted(kommuner["kommun_kod"])
    in_table = set(meta["regions"])
    regions = [c for c in all_codes if c in in_table]
    if not regions:
        raise FetchError(host, f"the table {table} has none of the {len(all_codes)} kommun codes in its variable Region",
                         reached=True)
    bodies = [scb_query(part, wanted, meta["contents"])
              for part in _chunks(regions, max(1, SCB_MAX_CELLS // len(wanted)))]
    frames = []
    for body in bodies:
        try:
            frames.append(parse_scb_population(http.post_json(f"{base}/tables/{table}/data", body,
                                                              params=SCB_DATA_PARAMS), kommuner))
        except ValueError as exc:
            raise FetchError(host, f"the answer is not the expected JSON-stat ({exc})", reached=True) from exc
    pop = pd.concat(frames, ignore_index=True).sort_values(["kommun_kod", "year"]).reset_index(drop=True)
    staged = Staged()
    if codes:
        staged.summary.append(f"scb: population is fetched for all {len(regions)} kommuner, not only "
                              f"{', '.join(codes)}: län and riket populations are sums over every kommun")
    name = f"population/scb_{_scope(None)}_{wanted[0]}-{wanted[-1]}.csv"
    prov = _provenance("scb", http, start, len(pop),
                       source_text=f"SCB, {table} Folkmängd 31 december ({SCB_API})",
                       licence="CC0 (SCB öppna data)", api=SCB_API, api_url=base, table=table,
                       contents_code=meta["contents"], query_string=urlencode(SCB_DATA_PARAMS),
                       queries=bodies, years=[wanted[0], wanted[-1]], kommuner="alla",
                       requested_kommuner=codes or "alla",
                       kommuner_not_in_table=sorted(set(all_codes) - in_table))
    staged.add(name, pop.to_csv(index=False).encode("utf-8"), prov)
    staged.summary.append(f"{name}: {len(pop)} rows, {wanted[0]}–{wanted[-1]}")
    return staged
