"""Kolada (RKA): Brå's reported crime per 100 000 inhabitants, SKR's kommungrupper and Brå's NTU.

Kolada API v3 (RKA), https://api.kolada.se/v3, Swagger at ``/v3/docs``; v2 is decommissioned.
What this module relies on was gathered from public v3 client code and the v2 documentation
(repository ``Hypergene/kolada``), not checked against the live API from here: the resource paths
are v2's (metadata ``/kpi?title=…``, ``/kpi`` for every KPI, and ``/municipality_groups``; data
``/data/kpi/<ids>/municipality/<ids>/year/<years>`` and ``/data/kpi/<ids>/year/<years>``); KPI
metadata items are ``{"id", "title", "description", "municipality_type", …}``; every
answer is ``{"values": [...], "count": n, …}`` with the next page's full URL, which some clients
read as ``next_page`` and others as ``next_url`` (both are followed, see :func:`kolada_pages`);
data items are ``{"kpi", "municipality", "period", "values": [{"gender": "T|K|M", "value",
"count", "status"}]}`` with region ids ``KKKK`` (kommun), ``00LL`` (län) and ``0000`` (riket);
group ``members`` are ids or ``{"id", "title"}`` objects; clients send at most 25 ids per list
and 25 years per request ("the API refuses longer year lists"), so requests are cut into such
pieces (:data:`KOLADA_MAX_IDS`, :data:`KOLADA_MAX_YEARS`). Writes Brå's reported crime per
100 000 inhabitants (total, violence, theft, damage, narcotics, …) as ``fetched/crime/kolada_*.csv``
and SKR's kommungruppsindelning as ``fetched/kommungrupper/kolada_kommungrupper.csv``. The KPI ids
are **looked up at run time** from the metadata endpoint by their titles (:data:`KOLADA_KPIS`);
none is hard-coded (``N07403`` is, for instance, *violence*, not all crime, as the rKolada tests
show). Kolada publishes rates only; the counts stay Brå's bundled ones where they exist.

**NTU** (Brå's Nationella trygghetsundersökningen), where Kolada has it: which NTU KPIs Kolada
has, for which regions, and whether its ``period`` is the survey year or the year asked about
could not be confirmed from here, so nothing is assumed. The whole KPI list (``/kpi``, every
page) is read and a KPI is a candidate when its title or description mentions NTU
(:data:`NTU_MARKER`); type ``L`` (regions only) is left out. Each candidate is mapped to one of
Brå's indicators (``lagesbild.sources.ntu.INDICATORS``) by the keyword rules :data:`NTU_RULES` — one
rule or none, never by id — and then **checked against the bundled shares** (``raw/ntu/``) by
:func:`check_ntu_kpi`: with Kolada's year as given, one earlier and one later, at least 3
overlapping region-years (riket, Dalarnas län and its kommuner are bundled) of which 80 % agree
within 0.6 percentage points (of several shifts that agree, the one that agrees best; 0 on a
tie). KPIs that pass are written as share rows only (unit
:data:`NTU_UNIT`; Kolada is assumed to give no interval), total over genders, years corrected by
the shift, for the same regions as crime, and **only for region-years the bundled data lacks**
(so a bundled share never loses its interval), as ``fetched/ntu/kolada_ntu_*.csv``. Its
provenance lists the KPIs used (id, title, indicator, shift, points compared and agreeing) and
those not used with the reason. If no KPI passes, no NTU file is written (the summary says so).

Run as ``python -m lagesbild.sources.fetch kolada``; :func:`fetch_kolada` stages the files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import urljoin, urlsplit

import pandas as pd
import requests

from lagesbild import __version__
from lagesbild.core.fmt import plain
from lagesbild.core.paths import DataDir
from lagesbild.core.units import RATE_UNIT
from lagesbild.sources import processed
from lagesbild.sources.fetch.common import FetchError, Http, Staged, _chunks, _kommuner, _provenance, _scope

KOLADA = "https://api.kolada.se/v3"
#: At most this many ids (KPIs, regions) in one list of a Kolada URL, and years in one request.
KOLADA_MAX_IDS = 25
KOLADA_MAX_YEARS = 25

#: Kolada KPIs to fetch: (pattern on the KPI title, indicator name written). The name is Brå's
#: where Brå's kommunindikatorer have the same category, so that fetched rows replace bundled ones.
KOLADA_KPIS: tuple[tuple[str, str], ...] = (
    (r"^anmälda brott totalt, antal/100 000 inv$", "Totalt antal anmälda brott"),
    (r"^anmälda våldsbrott, antal/100 000 inv$", "Våldsbrott"),
    (r"^anmälda stöld(- och tillgreppsbrott)?.*, antal/100 000 inv$", "Stöld och tillgreppsbrott, totalt"),
    (r"^anmälda skadegörelsebrott.*, antal/100 000 inv$", "Skadegörelsebrott"),
    (r"^anmälda narkotikabrott.*, antal/100 000 inv$", "Narkotikabrott"),
    (r"^anmälda bostadsinbrott.*, antal/100 000 inv$", "Bostadsinbrott"),
    (r"^anmälda brott om skadegörelse.*, antal/100 000 inv$", "Skadegörelsebrott"),
)
#: SKR's nine kommungrupper (2017 indelning, still in use); Kolada's group titles contain these names.
SKR_GROUPS = ("Storstäder", "Pendlingskommun nära storstad", "Större stad", "Pendlingskommun nära större stad",
              "Lågpendlingskommun nära större stad", "Mindre stad/tätort", "Pendlingskommun nära mindre stad/tätort",
              "Landsbygdskommun", "Landsbygdskommun med besöksnäring")
KOLADA_SOURCE = "Brå via Kolada (RKA), nyckeltal om anmälda brott"
KOLADA_LICENCE = "CC BY 4.0 (Kolada), Källa: Brå"

#: A Kolada KPI is an NTU candidate when its title or description matches this (case-insensitive).
NTU_MARKER = re.compile(r"\bntu\b|nationella\s+trygghetsundersökning", re.IGNORECASE)
#: Keyword rules from a Kolada KPI's title to Brå's NTU indicator (a key of ``lagesbild.sources.ntu.INDICATORS``):
#: every pattern of a rule (a regular expression; ``^(?!…)`` excludes) must be found in the casefolded title
#: (or, if the title matches no rule, in the description). A KPI that matches no rule or two rules is not used.
NTU_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Självrapporterad utsatthet för misshandel", (r"utsatt", r"misshandel")),
    ("Självrapporterad utsatthet för sexualbrott", (r"utsatt", r"sexualbrott|sexuella? (?:brott|övergrepp)")),
    ("Självrapporterad utsatthet för rån", (r"utsatt", r"\brån\b")),
    ("Självrapporterad utsatthet för försäljningsbedrägeri", (r"utsatt", r"försäljningsbedräger")),
    ("Självrapporterad utsatthet för kortbedrägeri", (r"utsatt", r"kortbedräger")),
    ("Självrapporterad utsatthet för cykelstöld bland cykelägare", (r"utsatt|stöld", r"cykel", r"^(?!.*\boro)")),
    ("Otrygghet vid utevistelse sent på kvällen i det egna bostadsområdet", (r"otrygg", r"utevistelse|kvällen")),
    ("Oro för att utsättas för misshandel", (r"\boro", r"misshandel")),
    ("Oro för att utsättas för våldtäkt/sexuella angrepp", (r"\boro", r"våldtäkt|sexuella angrepp")),
    ("Oro för att utsättas för bostadsinbrott enligt NTU. Andel (%) i befolkningen (16–84 år) som oroar sig "
     "ganska/mycket ofta.", (r"\boro", r"inbrott")),
    ("Oro för att utsättas för stöld av/skadegörelse på bil (bland hushåll som ägde bil)", (r"\boro", r"\bbil")),
    ("Avstått från någon aktivitet på grund av oro för att utsättas för brott", (r"avstått|avstår", r"aktivitet")),
    ("Valt en annan väg eller ett annat färdsätt på grund av oro för att utsättas för brott",
     (r"annan väg|annat färdsätt",)),
    ("Problem med skadegörelse i det egna bostadsområdet", (r"problem", r"skadegörelse")),
    ("Problem med klotter i det egna bostadsområdet", (r"problem", r"klotter")),
    ("Problem med öppen narkotikahandel i det egna bostadsområdet", (r"problem", r"narkotikahandel")),
    ("Problem med fortkörning i det egna bostadsområdet", (r"problem", r"fortkörning")),
    ("Problem med övrig störande körning i det egna bostadsområdet", (r"problem", r"störande körning")),
    ("Problem med personer påverkade av alkohol eller droger i det egna bostadsområdet",
     (r"problem", r"alkohol|droger|berusade")),
    ("Problem med gäng som uppehåller sig i det egna bostadsområdet", (r"problem", r"\bgäng")),
)
#: The check of a mapped NTU KPI against the bundled shares (:func:`check_ntu_kpi`): values agree when
#: they differ by at most this many percentage points (Brå rounds kommun shares to whole or tenth percents) …
NTU_TOLERANCE = 0.6
#: … for at least this share of the overlapping points, and there must be at least this many points.
NTU_MIN_AGREEING = 0.8
NTU_MIN_POINTS = 3
#: Year shifts tried: Kolada's ``period`` as it is, one year earlier, one later (this order breaks ties).
NTU_SHIFTS = (0, -1, 1)
#: The unit written for Kolada's NTU shares (``lagesbild.sources.ntu.load_ntu`` reads a unit starting "Andel" as a share).
NTU_UNIT = "Andel (%) enligt Kolada (utan konfidensintervall)"
NTU_SOURCE = "Brå, Nationella trygghetsundersökningen (NTU), via Kolada (RKA)"


#: Keys of a Kolada answer that hold the next page's URL: public v3 clients disagree on the name.
KOLADA_NEXT_KEYS = ("next_page", "next_url")


def kolada_next_page(page: dict, url: str) -> str:
    """The URL of the page after ``page`` (the answer to ``url``), or ``""`` on the last page.

    The URL is read from ``next_page`` or ``next_url``, whichever is present; if an answer has
    both, they must agree. A relative URL is resolved against ``url``. Any other key naming a next
    page (``next``, ``nextPage``, …) with a value is an error: following none would silently keep
    only the first page.

    Examples
    --------
    >>> u = "https://api.kolada.se/v3/kpi?title=x"
    >>> kolada_next_page({"values": [], "next_url": u + "&page=2"}, u)
    'https://api.kolada.se/v3/kpi?title=x&page=2'
    >>> kolada_next_page({"values": [], "next_page": None}, u)
    ''
    >>> kolada_next_page({"values": [], "nextPage": u + "&page=2"}, u)
    Traceback (most recent call last):
    ...
    lagesbild.sources.fetch.common.FetchError: error: api.kolada.se did not give a usable answer (the answer to https://api.kolada.se/v3/kpi?title=x names its next page in nextPage, which lagesbild does not know (it follows next_page or next_url); update lagesbild.sources.fetch.kolada.KOLADA_NEXT_KEYS); nothing was changed, the data already in data/ is still used
    >>> kolada_next_page({"next_page": u + "&page=2", "next_url": u + "&page=3"}, u)
    Traceback (most recent call last):
    ...
    lagesbild.sources.fetch.common.FetchError: error: api.kolada.se did not give a usable answer (the answer to https://api.kolada.se/v3/kpi?title=x names two next pages: next_page https://api.kolada.se/v3/kpi?title=x&page=2, next_url https://api.kolada.se/v3/kpi?title=x&page=3); nothing was changed, the data already in data/ is still used
    """
    unknown = [k for k in page if "next" in k.lower() and k not in KOLADA_NEXT_KEYS and page[k]]
    if unknown:
        raise FetchError(urlsplit(url).netloc, f"the answer to {url} names its next page in {', '.join(unknown)}, "
                         f"which lagesbild does not know (it follows {' or '.join(KOLADA_NEXT_KEYS)}); update "
                         "lagesbild.sources.fetch.kolada.KOLADA_NEXT_KEYS", reached=True)
    found = {k: urljoin(url, str(page[k])) for k in KOLADA_NEXT_KEYS if page.get(k)}
    if len(set(found.values())) > 1:
        raise FetchError(urlsplit(url).netloc, f"the answer to {url} names two next pages: "
                         + ", ".join(f"{k} {v}" for k, v in found.items()), reached=True)
    return next(iter(found.values()), "")


def kolada_pages(http: Http, url: str) -> list[dict]:
    """Every ``values`` item of a Kolada answer, following the next page (:func:`kolada_next_page`) to the end.

    A next page that was already read is an error (the loop would not end).

    Examples
    --------
    >>> class Fake:
    ...     pages = {"u1": {"values": [1, 2], "count": 2, "next_url": "u2"}, "u2": {"values": [3], "count": 1}}
    ...     def get_json(self, url): return self.pages[url]
    >>> kolada_pages(Fake(), "u1")
    [1, 2, 3]
    """
    out: list[dict] = []
    seen: set[str] = set()
    while url:
        if url in seen:
            raise FetchError(urlsplit(url).netloc, f"the next page points back to {url}", reached=True)
        seen.add(url)
        page = http.get_json(url)
        if not isinstance(page, dict) or not isinstance(page.get("values"), list):
            raise FetchError(urlsplit(url).netloc, f"the answer to {url} has no 'values' list", reached=True)
        out.extend(page["values"])
        url = kolada_next_page(page, url)
    return out


def kolada_data_urls(base: str, kpi_ids: Sequence[str], region_ids: Sequence[str] | None,
                     years: Sequence[int]) -> list[str]:
    """The Kolada data URLs for some KPIs, regions and years, cut to the API's limits.

    Each URL names at most :data:`KOLADA_MAX_IDS` KPI ids, as many region ids, and
    :data:`KOLADA_MAX_YEARS` years. ``region_ids`` None asks for every region
    (``/data/kpi/<ids>/year/<years>``).

    Examples
    --------
    >>> urls = kolada_data_urls("https://api.kolada.se/v3", ["N07403"], [f"{i:04d}" for i in range(30)],
    ...                         range(1995, 2025))
    >>> len(urls)
    4
    >>> urls[0].split("/municipality/")[1].split("/year/")[0].count(",") + 1, urls[0].split("/year/")[1]
    (25, '1995,1996,1997,1998,1999,2000,2001,2002,2003,2004,2005,2006,2007,2008,2009,2010,2011,2012,2013,2014,2015,2016,2017,2018,2019')
    >>> urls[-1]
    'https://api.kolada.se/v3/data/kpi/N07403/municipality/0025,0026,0027,0028,0029/year/2020,2021,2022,2023,2024'
    >>> kolada_data_urls("https://api.kolada.se/v3", ["N07403", "N07540"], None, [2024])
    ['https://api.kolada.se/v3/data/kpi/N07403,N07540/year/2024']
    """
    year_parts = [",".join(str(y) for y in part) for part in _chunks(list(years), KOLADA_MAX_YEARS)]
    urls = []
    for kpis in _chunks(list(kpi_ids), KOLADA_MAX_IDS):
        kpi_part = f"{base}/data/kpi/{','.join(kpis)}"
        regions = [None] if region_ids is None else _chunks(list(region_ids), KOLADA_MAX_IDS)
        for ids in regions:
            where = "" if ids is None else f"/municipality/{','.join(ids)}"
            urls += [f"{kpi_part}{where}/year/{y}" for y in year_parts]
    return urls


def select_kolada_kpis(kpis: Iterable[dict]) -> list[dict]:
    """The KPIs of :data:`KOLADA_KPIS` among Kolada's KPI metadata, matched by title.

    Returns one dict per matched KPI: ``id, title, indicator``; a KPI matched by two patterns
    takes the first. KPIs for regions only (``municipality_type`` ``L``) are left out; those for
    kommuner (``K``) or for both (``alla``) are kept.

    Examples
    --------
    >>> meta = [{"id": "N1", "title": "Anmälda våldsbrott, antal/100 000 inv", "municipality_type": "K"},
    ...         {"id": "U2", "title": "Anmälda våldsbrott (treårsmedelvärde), antal/1000 inv", "municipality_type": "K"},
    ...         {"id": "N3", "title": "Anmälda brott totalt, antal/100 000 inv", "municipality_type": "alla"},
    ...         {"id": "N4", "title": "Anmälda narkotikabrott, antal/100 000 inv", "municipality_type": "L"}]
    >>> [(k["id"], k["indicator"]) for k in select_kolada_kpis(meta)]
    [('N3', 'Totalt antal anmälda brott'), ('N1', 'Våldsbrott')]
    """
    chosen: dict[str, dict] = {}
    indicators: set[str] = set()
    for pattern, indicator in KOLADA_KPIS:
        for kpi in kpis:
            title = str(kpi.get("title", "")).strip()
            if (re.match(pattern, title, flags=re.IGNORECASE) and kpi.get("municipality_type", "K") != "L"
                    and kpi["id"] not in chosen and indicator not in indicators):
                chosen[kpi["id"]] = {"id": kpi["id"], "title": title, "indicator": indicator}
                indicators.add(indicator)
    return list(chosen.values())


def kolada_region_code(municipality_id: str) -> str | None:
    """Kolada's municipality id as an SCB region code: ``0000`` → ``00``, ``0020`` → ``20``, kommuner unchanged.

    Group ids (``G…``) give None.

    Examples
    --------
    >>> [kolada_region_code(i) for i in ["0000", "0020", "2080", "G12345"]]
    ['00', '20', '2080', None]
    """
    mid = str(municipality_id).strip()
    if not re.fullmatch(r"\d{4}", mid):
        return None
    return mid[2:] if mid.startswith("00") else mid


def parse_kolada_data(values: Iterable[dict], kpis: list[dict], kommuner: pd.DataFrame) -> pd.DataFrame:
    """Kolada data items as crime rows (``region_code, region_name, year, indicator, unit, value``).

    Only the total over genders (``T``) is kept; regions not in the kommun list (groups, unknown
    ids) are left out. The unit is ``Antal per 100 000 inv``.

    Examples
    --------
    >>> k = pd.DataFrame({"kommun_kod": ["2080"], "kommun": ["Falun"], "lan_kod": ["20"], "lan": ["Dalarnas län"]})
    >>> items = [{"kpi": "N1", "municipality": "2080", "period": 2023,
    ...           "values": [{"gender": "T", "value": 812.5, "count": 1, "status": ""}]},
    ...          {"kpi": "N1", "municipality": "0000", "period": 2023, "values": [{"gender": "T", "value": None}]}]
    >>> parse_kolada_data(items, [{"id": "N1", "indicator": "Våldsbrott"}], k).to_dict("records")[0]
    {'region_code': '00', 'region_name': 'Hela landet', 'year': 2023, 'indicator': 'Våldsbrott', 'unit': 'Antal per 100 000 inv', 'value': nan}
    """
    indicator = {k["id"]: k["indicator"] for k in kpis}
    names = _region_names(kommuner)
    v = parse_kolada_values(values, list(indicator), names, keep_missing=True)
    df = pd.DataFrame({"region_code": v["region_code"], "region_name": v["region_code"].map(names), "year": v["year"],
                       "indicator": v["kpi"].map(indicator), "unit": RATE_UNIT, "value": v["value"]})
    return df.sort_values(["indicator", "region_code", "year"], kind="stable").reset_index(drop=True)


def parse_kommungrupper(groups: Iterable[dict], kommuner: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """SKR's kommungrupper from Kolada's municipality groups; returns the table and the groups used.

    A group belongs to the SKR group whose name (:data:`SKR_GROUPS`) is the longest one its title
    contains ("Landsbygdskommun med besöksnäring" is not "Landsbygdskommun"). Where Kolada has
    several groups for one name (older indelningar), the one whose title names the latest year wins.
    A kommun in two of the chosen groups is an error. A group's ``members`` may be ids (``"2080"``)
    or objects (``{"id": "2080", "title": "Falun"}``); public clients show both forms.

    Examples
    --------
    >>> k = pd.DataFrame({"kommun_kod": ["1283", "2080"], "kommun": ["Helsingborg", "Falun"],
    ...                   "lan_kod": ["12", "20"], "lan": ["Skåne län", "Dalarnas län"]})
    >>> g = [{"id": "G1", "title": "Större stad", "members": [{"id": "1283", "title": "Helsingborg"}, "2080"]},
    ...      {"id": "G2", "title": "Landsbygdskommun med besöksnäring", "members": []}]
    >>> parse_kommungrupper(g, k)[0][["kommun_kod", "kommungrupp"]].values.tolist()
    [['1283', 'Större stad'], ['2080', 'Större stad']]
    """
    by_name: dict[str, list[dict]] = {}
    longest_first = sorted(SKR_GROUPS, key=len, reverse=True)
    for g in groups:
        title = str(g.get("title", ""))
        name = next((n for n in longest_first if n.lower() in title.lower()), None)
        if name is not None:
            by_name.setdefault(name, []).append(g)

    def latest(g: dict) -> int:
        years = [int(y) for y in re.findall(r"(?<!\d)(?:19|20)\d{2}(?!\d)", str(g.get("title", "")))]
        return max(years, default=0)

    chosen = {name: max(cands, key=latest) for name, cands in by_name.items()}
    names = dict(zip(kommuner["kommun_kod"], kommuner["kommun"], strict=True))
    rows, where = [], {}
    for name, g in chosen.items():
        for m in g.get("members") or []:
            code = str(m.get("id", "") if isinstance(m, dict) else m).strip()
            if code not in names:
                continue
            if code in where:
                raise FetchError("api.kolada.se", f"kommun {code} is in both {plain(where[code])} and {plain(g['title'])}",
                                 reached=True)
            where[code] = g["title"]
            rows.append({"kommun_kod": code, "kommun": names[code], "kommungrupp": name})
    df = pd.DataFrame(rows, columns=["kommun_kod", "kommun", "kommungrupp"]).sort_values("kommun_kod").reset_index(drop=True)
    return df, [{"id": g["id"], "title": g["title"], "kommungrupp": n} for n, g in chosen.items()]


# ---------------------------------------------------------------------------------------------
# Kolada: Brå's NTU (Nationella trygghetsundersökningen), found and checked at run time
# ---------------------------------------------------------------------------------------------

def kolada_municipality_id(region_code: str) -> str:
    """An SCB region code as Kolada's municipality id: ``00`` → ``0000``, ``20`` → ``0020``, kommuner unchanged.

    Examples
    --------
    >>> [kolada_municipality_id(c) for c in ["00", "20", "2080"]]
    ['0000', '0020', '2080']
    """
    code = str(region_code).strip()
    return f"00{code}" if len(code) == 2 else code


def ntu_rules_matched(text: str) -> list[str]:
    """The NTU indicators (:data:`NTU_RULES`) whose every pattern is found in ``text`` (casefolded).

    Examples
    --------
    >>> ntu_rules_matched("Andel som känner sig otrygga vid utevistelse sent på kvällen (NTU), %")
    ['Otrygghet vid utevistelse sent på kvällen i det egna bostadsområdet']
    >>> ntu_rules_matched("Oro för att utsättas för misshandel, andel (%)")
    ['Oro för att utsättas för misshandel']
    >>> ntu_rules_matched("Utsatta för misshandel, andel (%)")
    ['Självrapporterad utsatthet för misshandel']
    >>> ntu_rules_matched("Förtroende för polisen (NTU), andel (%)")
    []
    """
    key = re.sub(r"\s+", " ", str(text)).casefold()
    return [indicator for indicator, patterns in NTU_RULES if all(re.search(p, key) for p in patterns)]


def select_ntu_kpis(kpis: Iterable[dict]) -> tuple[list[dict], list[dict]]:
    """NTU candidates among Kolada's KPI metadata, each mapped to Brå's indicator by :data:`NTU_RULES`.

    A KPI is a candidate when its title or description mentions NTU (:data:`NTU_MARKER`: "NTU" or
    "Nationella trygghetsundersökningen", case-insensitive). Its title is matched against the rules;
    if no rule matches the title, its description is. Nothing is ever mapped by id.

    Returns
    -------
    (list of dict, list of dict)
        The mapped candidates (``id, title, indicator, matched_on`` — ``"title"`` or ``"description"``),
        in the metadata's order; and the candidates not used (``id, title, reason``): for regions only
        (``municipality_type`` ``L``, left out as for crime), no rule matches, or two rules match.

    Examples
    --------
    >>> meta = [{"id": "N1", "title": "Oro för misshandel, andel (%)", "description": "Källa: Brå, NTU."},
    ...         {"id": "N2", "title": "Förtroende för polisen (NTU), andel (%)"},
    ...         {"id": "N3", "title": "Anmälda våldsbrott, antal/100 000 inv"},
    ...         {"id": "N4", "title": "Otrygga (NTU), andel (%)", "municipality_type": "L"}]
    >>> mapped, not_used = select_ntu_kpis(meta)
    >>> [(k["id"], k["indicator"], k["matched_on"]) for k in mapped]
    [('N1', 'Oro för att utsättas för misshandel', 'title')]
    >>> [(k["id"], k["reason"]) for k in not_used]
    [('N2', 'no rule of NTU_RULES matches its title or description'), ('N4', 'for regions only (municipality_type L)')]
    """
    mapped: list[dict] = []
    not_used: list[dict] = []
    for kpi in kpis:
        if not isinstance(kpi, dict) or "id" not in kpi:
            continue
        title = str(kpi.get("title") or "").strip()
        description = str(kpi.get("description") or "")
        if not (NTU_MARKER.search(title) or NTU_MARKER.search(description)):
            continue
        base = {"id": str(kpi["id"]), "title": title}
        if kpi.get("municipality_type", "K") == "L":
            not_used.append({**base, "reason": "for regions only (municipality_type L)"})
            continue
        matched_on, found = "title", ntu_rules_matched(title)
        if not found:
            matched_on, found = "description", ntu_rules_matched(description)
        if len(found) == 1:
            mapped.append({**base, "indicator": found[0], "matched_on": matched_on})
        elif not found:
            not_used.append({**base, "reason": "no rule of NTU_RULES matches its title or description"})
        else:
            not_used.append({**base, "reason": f"its {matched_on} matches {len(found)} rules: " + "; ".join(found)})
    return mapped, not_used


def parse_kolada_values(values: Iterable[dict], kpi_ids: Iterable[str], names: dict[str, str],
                        keep_missing: bool = False) -> pd.DataFrame:
    """Kolada data items as ``kpi, region_code, year, value``: total over genders (``T``) only.

    Regions not in ``names`` (groups, unknown ids) are left out; of two items for the same KPI,
    region and period the later is kept. A missing value (``null``) is left out, or kept as NaN
    with ``keep_missing``.

    Examples
    --------
    >>> items = [{"kpi": "N1", "municipality": "0000", "period": 2024,
    ...           "values": [{"gender": "K", "value": 9.0}, {"gender": "T", "value": 7.5}]},
    ...          {"kpi": "N1", "municipality": "G12", "period": 2024, "values": [{"gender": "T", "value": 1.0}]},
    ...          {"kpi": "N1", "municipality": "2080", "period": "2024", "values": [{"gender": "T", "value": None}]}]
    >>> parse_kolada_values(items, ["N1"], {"00": "Hela landet", "2080": "Falun"}).to_dict("records")
    [{'kpi': 'N1', 'region_code': '00', 'year': 2024, 'value': 7.5}]
    """
    wanted = set(kpi_ids)
    rows = []
    for item in values:
        code = kolada_region_code(item.get("municipality", ""))
        if code is None or code not in names or item.get("kpi") not in wanted:
            continue
        for v in item.get("values") or []:
            if v.get("gender", "T") == "T" and (keep_missing or v.get("value") is not None):
                rows.append({"kpi": item["kpi"], "region_code": code, "year": int(str(item["period"])[:4]),
                             "value": float("nan") if v.get("value") is None else float(v["value"])})
    df = pd.DataFrame(rows, columns=["kpi", "region_code", "year", "value"]).astype({"year": "int64", "value": float})
    df = df.drop_duplicates(["kpi", "region_code", "year"], keep="last")
    return df.sort_values(["kpi", "region_code", "year"], kind="stable").reset_index(drop=True)


def ntu_agreement(values: pd.DataFrame, bundled: pd.DataFrame, shift: int) -> tuple[int, int]:
    """How many region-years Kolada's values (their year moved by ``shift``) share with the bundled shares,
    and at how many of them the two differ by at most :data:`NTU_TOLERANCE` percentage points.

    Examples
    --------
    >>> kolada = pd.DataFrame({"region_code": ["00", "00"], "year": [2024, 2025], "value": [10.0, 11.0]})
    >>> bundled = pd.DataFrame({"region_code": ["00", "00"], "year": [2023, 2024], "share": [10.3, 11.9]})
    >>> ntu_agreement(kolada, bundled, 0), ntu_agreement(kolada, bundled, -1)
    ((1, 0), (2, 1))
    """
    k = values.dropna(subset=["value"]).assign(year=lambda d: d["year"].astype(int) + shift)
    b = bundled.dropna(subset=["share"]).assign(year=lambda d: d["year"].astype(int))
    both = k.merge(b, on=["region_code", "year"], how="inner")
    agreeing = int(((both["value"] - both["share"]).abs() <= NTU_TOLERANCE + 1e-9).sum())
    return len(both), agreeing


def ntu_agrees(compared: int, agreeing: int) -> bool:
    """Whether ``agreeing`` of ``compared`` points are enough (:data:`NTU_MIN_POINTS`, :data:`NTU_MIN_AGREEING`).

    Examples
    --------
    >>> ntu_agrees(5, 4), ntu_agrees(5, 3), ntu_agrees(2, 2)
    (True, False, False)
    """
    return compared >= NTU_MIN_POINTS and agreeing >= NTU_MIN_AGREEING * compared - 1e-9


def check_ntu_kpi(values: pd.DataFrame, bundled: pd.DataFrame) -> tuple[int | None, int, int]:
    """Check a Kolada KPI against Brå's bundled shares of the indicator it was mapped to.

    Each shift of :data:`NTU_SHIFTS` (0, −1, +1) moves Kolada's years before comparing. A shift
    *agrees* when at least :data:`NTU_MIN_POINTS` region-years overlap and Kolada's value is within
    :data:`NTU_TOLERANCE` percentage points of the bundled share at no fewer than
    :data:`NTU_MIN_AGREEING` of them. When several shifts agree, the best agreement wins rather than
    always 0: a share that barely changes from year to year (rån, about 1 %) also agrees one year off
    (with Brå's data rounded as Kolada might give it and its period the survey year, shift 0 agrees at 115
    of 136 points and −1 at all 153), and 0 would then write every year one year wrong.

    Parameters
    ----------
    values : pandas.DataFrame
        Kolada's values of one KPI: ``region_code, year, value`` (``year`` as Kolada's ``period``).
    bundled : pandas.DataFrame
        The bundled shares of the indicator: ``region_code, year, share`` (``year`` as in the
        bundled file: the year the figure is about).

    Returns
    -------
    (int or None, int, int)
        The shift to add to Kolada's years — of the shifts that agree, the one with the largest share
        of agreeing points, and on a tie the first in :data:`NTU_SHIFTS` (0, then −1) — or None when
        no shift agrees; and the points
        compared and agreeing at that shift (with None: at the shift that came closest — enough points
        first, then the larger share agreeing, then more points, then the order of :data:`NTU_SHIFTS`).

    Examples
    --------
    >>> bundled = pd.DataFrame({"region_code": ["00"] * 4, "year": [2021, 2022, 2023, 2024],
    ...                         "share": [2.1, 3.4, 1.9, 2.9]})
    >>> same = pd.DataFrame({"region_code": ["00"] * 4, "year": [2021, 2022, 2023, 2024], "value": [2.0, 3.0, 2.0, 3.0]})
    >>> check_ntu_kpi(same, bundled)
    (0, 4, 4)
    >>> later = same.assign(year=same["year"] + 1)  # Kolada's period is the survey year, one after the bundled year
    >>> check_ntu_kpi(later, bundled)
    (-1, 4, 4)
    >>> flat = pd.DataFrame({"region_code": ["00"] * 5, "year": range(2020, 2025), "value": [1.0] * 5})
    >>> check_ntu_kpi(flat, flat.rename(columns={"value": "share"}))  # every shift agrees fully: 0
    (0, 5, 5)
    >>> check_ntu_kpi(same.assign(value=[5.0, 5.0, 2.0, 5.0]), bundled)
    (None, 4, 1)
    >>> check_ntu_kpi(same.head(2), bundled)  # too few points
    (None, 2, 2)
    """
    results = {shift: ntu_agreement(values, bundled, shift) for shift in NTU_SHIFTS}

    def ratio(shift: int) -> float:
        compared, agreeing = results[shift]
        return agreeing / compared if compared else 0.0

    good = [s for s in NTU_SHIFTS if ntu_agrees(*results[s])]
    if good:  # the largest share agreeing; on a tie the first of NTU_SHIFTS (0, then -1)
        best = max(good, key=lambda s: (ratio(s), -NTU_SHIFTS.index(s)))
        return best, *results[best]
    closest = max(NTU_SHIFTS, key=lambda s: (results[s][0] >= NTU_MIN_POINTS, ratio(s), results[s][0],
                                             -NTU_SHIFTS.index(s)))
    return None, *results[closest]


def _shift_text(shift: int) -> str:
    return f"{shift:+d}" if shift else "0"


def _canonical_ntu(indicator: str) -> str:
    """Brå's NTU indicator name as the key of ``lagesbild.sources.ntu.INDICATORS`` (dashes and spaces aside), else itself."""
    from lagesbild.sources.ntu import INDICATORS

    def norm(text: str) -> str:
        return re.sub(r"\s+", " ", str(text).replace("\u2013", "-")).strip().casefold()

    by_norm = {norm(k): k for k in INDICATORS}
    return by_norm.get(norm(indicator), str(indicator).strip())


def _bundled_ntu(data: DataDir, kommuner: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The bundled NTU shares (``raw/ntu/``, not earlier fetches), with ``key``: the INDICATORS name."""
    from lagesbild.sources.ntu import empty_ntu, load_ntu

    files = processed._glob(data.raw, processed.KINDS["ntu"])
    frames = [load_ntu(f, kommuner) for f in files]
    df = pd.concat(frames, ignore_index=True) if frames else empty_ntu()
    df = df.drop_duplicates(["region_code", "year", "indicator"]).assign(key=lambda d: d["indicator"].map(_canonical_ntu))
    return df, [f.relative_to(data.raw).as_posix() for f in files]


def _fetch_ntu(data: DataDir, http: Http, base: str, kommuner: pd.DataFrame, ids: list[str] | None,
               codes: list[str] | None, years: tuple[int, int], staged: Staged) -> None:
    """Stage Kolada's NTU shares that passed :func:`check_ntu_kpi` (see :func:`fetch_kolada`)."""
    start = len(http.urls)
    host = urlsplit(base).netloc
    mapped, not_used = select_ntu_kpis(kolada_pages(http, f"{base}/kpi"))
    bundled, against = _bundled_ntu(data, kommuner)
    names = _region_names(kommuner)
    accepted: list[dict] = []
    values = pd.DataFrame(columns=["kpi", "region_code", "year", "value"])
    if mapped and bundled.empty:
        not_used += [{**k, "reason": "no bundled NTU figures (raw/ntu/) to check it against"} for k in mapped]
        mapped = []
    if mapped:
        region_ids = None
        if ids is not None:
            extra = sorted({kolada_municipality_id(c) for c in bundled["region_code"]} - set(ids))
            region_ids = [*ids, *extra]  # the bundled regions too: the check needs them
        asked = range(years[0] - 1, years[1] + 2)  # a year either side, so that a shifted year still lands in range
        items: list[dict] = []
        for data_url in kolada_data_urls(base, [k["id"] for k in mapped], region_ids, asked):
            items += kolada_pages(http, data_url)
        values = parse_kolada_values(items, [k["id"] for k in mapped], names)
        for k in mapped:
            mine = values[values["kpi"] == k["id"]]
            theirs = bundled.loc[bundled["key"] == k["indicator"], ["region_code", "year", "share"]]
            shift, compared, agreeing = check_ntu_kpi(mine, theirs)
            per_shift = {s: ntu_agreement(mine, theirs, s) for s in NTU_SHIFTS}
            numbers = {"compared": compared, "agreeing": agreeing,
                       "tried": {_shift_text(s): list(n) for s, n in per_shift.items()},
                       "shifts_agreeing": [s for s, n in per_shift.items() if ntu_agrees(*n)]}
            if len(numbers["shifts_agreeing"]) > 1:
                staged.summary.append(f"ntu: {k['id']} agrees with the bundled figures at more than one year shift "
                                      f"({', '.join(map(_shift_text, numbers['shifts_agreeing']))}); "
                                      f"{_shift_text(shift)} is used")
            if shift is None:
                reason = (f"its values do not agree with the bundled NTU shares (at least {NTU_MIN_POINTS} points, "
                          f"{NTU_MIN_AGREEING:.0%} within {NTU_TOLERANCE:g} percentage points) with any year shift; "
                          f"closest: {agreeing} of {compared} points")
                not_used.append({**k, "reason": reason, "year_shift": None, **numbers})
            else:
                accepted.append({**k, "year_shift": shift, **numbers})
    best: dict[str, dict] = {}
    for k in accepted:  # two KPIs for one indicator: the better agreement wins
        other = best.get(k["indicator"])
        score = (k["agreeing"] / k["compared"], k["compared"])
        if other is None or score > (other["agreeing"] / other["compared"], other["compared"]):
            best[k["indicator"]] = k
    for k in accepted:
        if best[k["indicator"]] is not k:
            not_used.append({**k, "reason": f"{best[k['indicator']]['id']} is another KPI for the same indicator and "
                                            "agrees better with the bundled shares"})
    accepted = [k for k in accepted if best[k["indicator"]] is k]
    for k in accepted:
        v = values.loc[values["kpi"] == k["id"], "value"]
        bad = v[(v < 0) | (v > 100)]
        if len(bad):
            row = values.loc[bad.index[0]]
            raise FetchError(host, f"the NTU KPI {k['id']} ({k['title']}) has {row['value']:g} for region "
                             f"{row['region_code']} in {row['year']}: not a share in % (0–100)", reached=True)
    if not accepted:
        if not not_used:
            staged.summary.append("ntu: no Kolada KPI mentions NTU in its title or description; no NTU file written")
            return
        staged.summary.append(f"ntu: none of the {len(not_used)} NTU KPI(s) in Kolada passed the check against the "
                              "bundled NTU figures; no NTU file written")
        staged.summary += [f"  not used: {k['id']} {plain(k['title'])}: {k['reason']}" for k in not_used]
        return
    wanted = None if ids is None else {kolada_region_code(i) for i in ids}
    have = set(zip(bundled["region_code"], bundled["year"], bundled["key"], strict=True))
    spelled = dict(zip(bundled["key"], bundled["indicator"], strict=True))
    rows, skipped = [], 0
    for k in accepted:
        mine = values[values["kpi"] == k["id"]]
        written = 0
        for r in mine.itertuples():
            year = int(r.year) + k["year_shift"]
            if not years[0] <= year <= years[1] or (wanted is not None and r.region_code not in wanted):
                continue
            if (r.region_code, year, k["indicator"]) in have:
                skipped += 1  # the bundled share keeps its interval
                continue
            rows.append({"region_code": r.region_code, "region_name": names[r.region_code], "year": year,
                         "indicator": spelled.get(k["indicator"], k["indicator"]), "unit": NTU_UNIT,
                         "value": r.value})
            written += 1
        k["rows"] = written
    if not rows:
        staged.summary.append(f"ntu: {len(accepted)} NTU KPI(s) from Kolada agree with the bundled NTU figures, but "
                              "Kolada has nothing for these regions and years that the bundled data lacks; "
                              "no NTU file written")
        return
    cols = ["region_code", "region_name", "year", "indicator", "unit", "value"]
    df = pd.DataFrame(rows, columns=cols).sort_values(["indicator", "region_code", "year"], kind="stable")
    name = f"ntu/kolada_ntu_{_scope(codes)}_{years[0]}-{years[1]}.csv"
    check = {"tolerance_percentage_points": NTU_TOLERANCE, "min_share_agreeing": NTU_MIN_AGREEING,
             "min_points": NTU_MIN_POINTS, "year_shifts_tried": list(NTU_SHIFTS), "against": against,
             "year_shift_meaning": "written year = Kolada's period + year_shift (the year as in the bundled file)"}
    prov = _provenance("kolada", http, start, len(df), source_text=NTU_SOURCE, licence=KOLADA_LICENCE,
                       kpi_search=f"{base}/kpi (all KPIs, every page): title or description mentions NTU",
                       kpis=accepted, not_used=not_used, check=check, unit=NTU_UNIT, years=list(years),
                       kommuner=codes or "alla", regions=int(df["region_code"].nunique()),
                       skipped_bundled=skipped,
                       note="share rows only (Kolada gives no confidence interval); region-years that the "
                            "bundled NTU data already has are not written, so the bundled share and its "
                            "interval stay")
    staged.add(name, df.to_csv(index=False).encode("utf-8"), prov)
    staged.summary.append(f"{name}: {len(df)} rows, KPIs {', '.join(k['id'] for k in accepted)} "
                          f"({len(not_used)} NTU KPI(s) not used, see the provenance)")


def _region_names(kommuner: pd.DataFrame) -> dict[str, str]:
    return {"00": "Hela landet", **dict(zip(kommuner["kommun_kod"], kommuner["kommun"], strict=True)),
            **dict(zip(kommuner["lan_kod"], kommuner["lan"], strict=False))}


def fetch_kolada(data: DataDir, http: Http, codes: list[str] | None, years: tuple[int, int],
                 base: str = KOLADA) -> Staged:
    """Brå's crime KPIs, SKR's kommungrupper and checked NTU KPIs from Kolada, parsed and staged (not written).

    ``codes`` None means every kommun; otherwise the kommuner, their län, riket, and every other
    member of their kommungrupp (so that a report can compare with the group). The data requests
    are cut by :func:`kolada_data_urls` (at most 25 ids and 25 years each) and every page of every
    answer is read. NTU (see the module docstring): candidates from ``/kpi`` by
    :func:`select_ntu_kpis`, their values for those regions plus the bundled NTU regions and a year
    either side of ``years``, each checked by :func:`check_ntu_kpi`; the KPIs that pass are staged as
    ``ntu/kolada_ntu_<scope>_<years>.csv`` (region-years the bundled NTU data lacks only).

    Examples
    --------
    >>> from lagesbild.core.paths import DATA
    >>> fetch_kolada(DataDir(DATA), Http(retries=0, timeout=1), ["2080"], (2023, 2024), base="http://127.0.0.1:9/v3")
    Traceback (most recent call last):
    ...
    lagesbild.sources.fetch.common.FetchError: error: could not reach 127.0.0.1:9 (connection refused); the bundled data in data/raw is still used
    """
    kommuner = _kommuner(data)
    start = len(http.urls)
    meta = kolada_pages(http, requests.Request("GET", f"{base}/kpi", params={"title": "anmälda"}).prepare().url)
    kpis = select_kolada_kpis(meta)
    if not kpis:
        raise FetchError(urlsplit(base).netloc, "no KPI on reported crime found in the metadata (/kpi?title=anmälda)",
                         reached=True)
    groups_url = f"{base}/municipality_groups"
    groups, used_groups = parse_kommungrupper(kolada_pages(http, groups_url), kommuner)
    group_urls = list(dict.fromkeys(http.urls[start:]))
    ids: list[str] | None = None
    if codes:
        wanted = set(codes)
        mine = groups.loc[groups["kommun_kod"].isin(wanted), "kommungrupp"]
        wanted |= set(groups.loc[groups["kommungrupp"].isin(mine), "kommun_kod"])
        lans = {c[:2] for c in wanted}
        ids = ["0000", *sorted(f"00{lan}" for lan in lans), *sorted(wanted)]
    items: list[dict] = []
    for data_url in kolada_data_urls(base, [k["id"] for k in kpis], ids, range(years[0], years[1] + 1)):
        items += kolada_pages(http, data_url)
    crime = parse_kolada_data(items, kpis, kommuner)
    staged = Staged()
    name = f"crime/kolada_{_scope(codes)}_{years[0]}-{years[1]}.csv"
    asked = ids if ids is not None else ["0000", *sorted(f"00{lan}" for lan in kommuner["lan_kod"].unique())]
    without = [i for i in asked if kolada_region_code(i) not in set(crime["region_code"])]
    prov = _provenance("kolada", http, start, len(crime), source_text=KOLADA_SOURCE, licence=KOLADA_LICENCE,
                       kpis=kpis, years=list(years), kommuner=codes or "alla",
                       regions=int(crime["region_code"].nunique()), missing_values=int(crime["value"].isna().sum()),
                       regions_without_values=without)
    staged.add(name, crime.to_csv(index=False).encode("utf-8"), prov)
    staged.summary.append(f"{name}: {len(crime)} rows, KPIs {', '.join(k['id'] for k in kpis)}")
    if without:  # a changed region-id convention would silently drop län or riket: say it
        staged.summary.append(f"note: no values for the region ids {', '.join(without)} (riket 0000, län 00LL); "
                              "comparisons with them will be missing")
    if not len(groups):
        staged.summary.append("note: no SKR kommungrupp among Kolada's municipality groups; no kommungrupp file written")
    if len(groups):
        gname = "kommungrupper/kolada_kommungrupper.csv"
        gprov = {"source": "kolada", "fetched_at": prov["fetched_at"], "urls": group_urls, "rows": len(groups),
                 "lagesbild_version": __version__, "groups": used_groups,
                 "source_text": "SKR:s kommungruppsindelning via Kolada (RKA)", "licence": "CC BY 4.0 (Kolada)"}
        staged.add(gname, groups.to_csv(index=False).encode("utf-8"), gprov)
        staged.summary.append(f"{gname}: {len(groups)} kommuner in {groups['kommungrupp'].nunique()} groups")
    _fetch_ntu(data, http, base, kommuner, ids, codes, years, staged)
    return staged
