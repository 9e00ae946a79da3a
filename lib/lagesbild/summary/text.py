"""The summary's Swedish sentences and tables, in the order of the report (``notebooks/lagesbild.ipynb``).

* the sources: when each report was built (:func:`built_text`), what a section says when its report is
  missing (:func:`missing_text`), source lines, the table of sources, the note on example data;
* 1. Kartläggning: the crime picture (:func:`crime_points`, :func:`crime_table`), the places that stand
  out, Polisen's utsatta områden, the narcotics picture;
* 2. Annan information: NTU, Polisens trygghetsmätning, citizens' reports, polisen.se events;
* 4. Uppföljning: the evaluated projects and the commitments.

Section 3 (Analys) has modules of its own: the key indicators against the län and riket
(:mod:`lagesbild.summary.key_indicators`), what stands out (:mod:`lagesbild.summary.standout`) and the
åtgärdsplan (:mod:`lagesbild.summary.focus_plan`); the report as a whole (Det viktigaste, what is
missing, caveats, key figures) is :mod:`lagesbild.summary.report`.

Every function here takes the source reports' key figures as read by :mod:`lagesbild.summary.sources`
(plain dicts) and returns text or a table of text; nothing is recomputed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

import pandas as pd

from lagesbild.core import fmt
from lagesbild.core.fmt import join
from lagesbild.summary.sources import (
    SOURCE_REPORTS,
    TOTAL_CRIME,
    Sources,
    build_command,
    indicator_record,
    report_link,
    source_title,
)

# ============================================================================================
# The sources
# ============================================================================================

#: Build times are shown in Swedish time.
TIMEZONE = "Europe/Stockholm"


def built_text(when: dt.datetime | str) -> str:
    """A build time in Swedish time: ``22 november 2026 kl. 21.25``.

    Examples
    --------
    >>> built_text("2026-11-22T20:25:13+00:00")
    '22 november 2026 kl. 21.25'
    >>> built_text("2026-07-01T08:05:00+00:00")
    '1 juli 2026 kl. 10.05'
    """
    from zoneinfo import ZoneInfo

    when = dt.datetime.fromisoformat(when) if isinstance(when, str) else when
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    local = when.astimezone(ZoneInfo(TIMEZONE))
    return f"{fmt.day(local)} kl. {local.hour:02d}.{local.minute:02d}"


def missing_text(report: str, kommun: str) -> str:
    """What a section says when its source report is missing, and how to build it.

    Examples
    --------
    >>> print(missing_text("wastewater", "2080"))
    Rapporten Narkotika i avloppsvatten finns inte för kommunen i den här körningen, så avsnittet kan inte visa den. Bygg den med python run_all.py --kommun 2080 --report wastewater och bygg sedan lägesbilden igen (python run_all.py --kommun 2080 bygger alla rapporter i rätt ordning).
    """
    return (f"Rapporten {source_title(report)} finns inte för kommunen i den här körningen, så "
            f"avsnittet kan inte visa den. Bygg den med {build_command(kommun, report)} och bygg sedan lägesbilden igen "
            f"({build_command(kommun)} bygger alla rapporter i rätt ordning).")


def source_line(sources: Sources, report: str, data: str = "") -> str:
    """The source of a figure or table the summary takes from a report: the report, its build time, its data.

    Examples
    --------
    >>> import tempfile
    >>> from lagesbild.summary.sources import load_sources
    >>> source_line(load_sources(tempfile.mkdtemp(), "2080"), "crime_trends", "Brå, kommunindikatorer")
    'Rapporten Brottsutvecklingen (crime_trends.html); Brå, kommunindikatorer'
    """
    title = source_title(report)
    src = sources.found.get(report)
    built = f", byggd {built_text(src.generated)}" if src is not None else ""
    return f"Rapporten {title} ({report_link(report)}{built})" + (f"; {data}" if data else "")


def sources_table(sources: Sources, version: str | None = None) -> pd.DataFrame:
    """The reports the summary builds on: title, file, build time, example data, remarks.

    Parameters
    ----------
    sources : Sources
    version : str, optional
        The running lagesbild version; a report built with another version gets a remark.

    Returns
    -------
    pandas.DataFrame
        Columns ``Rapport``, ``Fil``, ``Byggd``, ``Exempeldata``, ``Anmärkning``; one row per
        source report in :data:`SOURCE_REPORTS` order, missing ones included.

    Examples
    --------
    >>> import tempfile
    >>> from lagesbild.summary.sources import load_sources
    >>> t = sources_table(load_sources(tempfile.mkdtemp(), "2080"))
    >>> t.iloc[0].tolist()
    ['Brottsutvecklingen', 'crime_trends.html', 'saknas', '–', 'Bygg den med python run_all.py --kommun 2080 --report crime_trends']
    """
    rows = []
    for report, title in SOURCE_REPORTS.items():
        src = sources.found.get(report)
        if src is None:
            rows.append([title, report_link(report), "saknas", "–",
                         f"Bygg den med {build_command(sources.kommun, report)}"])
            continue
        remark = (f"Byggd med lagesbild {src.version}, den här rapporten med {version}."
                  if version and src.version and src.version != version else "")
        rows.append([title, src.link, built_text(src.generated), "ja" if src.example else "nej", remark or "–"])
    return pd.DataFrame(rows, columns=["Rapport", "Fil", "Byggd", "Exempeldata", "Anmärkning"])


def example_text(sources: Sources, trygghet_example: bool = False, *, surveys_example: bool = False,
                 plans_example: bool = False, texts_example: bool = False) -> str | None:
    """The one EXEMPELDATA note at the top: every part of the lägesbild that rests on invented examples (None: none).

    The other reports marked as example data, Polisens trygghetsmätning, the local surveys, the
    åtgärdsplaner and the kommun's own texts (the boxes marked EXEMPELTEXT); each section says it again.

    Examples
    --------
    >>> import tempfile
    >>> from lagesbild.summary.sources import load_sources
    >>> empty = load_sources(tempfile.mkdtemp(), "2080")
    >>> print(example_text(empty, trygghet_example=True))
    Delar av lägesbilden bygger på påhittade exempeldata, inte på verkliga uppgifter: Polisens trygghetsmätning. Siffrorna där beskriver inte verkligheten i kommunen; de visar hur rapporten ser ut när kommunen har egna uppgifter.
    >>> print(example_text(empty, True, surveys_example=True, plans_example=True, texts_example=True))
    Delar av lägesbilden bygger på påhittade exempeldata, inte på verkliga uppgifter: Polisens trygghetsmätning, lokala enkäter och åtgärdsplanerna. Siffrorna där beskriver inte verkligheten i kommunen; de visar hur rapporten ser ut när kommunen har egna uppgifter. Rutorna märkta EXEMPELTEXT är påhittade exempeltexter, inte kommunens egna slutsatser (mall i data/templates/lagesbild_texter/, parametern texts).
    >>> example_text(empty) is None
    True
    """
    parts = [SOURCE_REPORTS[r] for r in sources.example_reports]
    parts += [what for flag, what in ((trygghet_example, "Polisens trygghetsmätning"),
                                      (surveys_example, "lokala enkäter"), (plans_example, "åtgärdsplanerna")) if flag]
    sentences = []
    if parts:
        sentences.append("Delar av lägesbilden bygger på påhittade exempeldata, inte på verkliga uppgifter: "
                         + join(parts) + ". Siffrorna där beskriver inte verkligheten i kommunen; de visar hur "
                         "rapporten ser ut när kommunen har egna uppgifter.")
    if texts_example:
        sentences.append("Rutorna märkta EXEMPELTEXT är påhittade exempeltexter, inte kommunens egna slutsatser "
                         "(mall i data/templates/lagesbild_texter/, parametern texts).")
    return " ".join(sentences) or None

# ============================================================================================
# 1. Kartläggning
# ============================================================================================


def ratio_change(ratio: float | None) -> str:
    """A rate ratio as the change in per cent, signed and rounded to whole per cent ("–" without a ratio).

    Examples
    --------
    >>> ratio_change(0.738).replace("\xa0", " "), ratio_change(2.0).replace("\xa0", " "), ratio_change(None)
    ('−26 %', '+100 %', '–')
    """
    return "–" if ratio is None else fmt.percent(100 * (ratio - 1), 0, signed=True)


def _change_text(rec: Mapping) -> str:
    c = rec.get("change")
    if not c:
        return "kan inte prövas" if rec.get("change_reason") else "–"
    if c.get("too_few"):
        return "för få fall för att bedöma"
    word = ("tydlig ökning" if (c["rate_ratio"] or 0) > 1 else "tydlig minskning") if c["detectable"] \
        else "ingen tydlig förändring"
    return f"{ratio_change(c.get('rate_ratio'))} ({word})"


def _trend_text(rec: Mapping) -> str:
    t = rec.get("trend")
    if not t:
        return "–"
    if t.get("too_few"):
        return "för få fall för att bedöma"
    pct = t.get("annual_change_pct")
    head = "–" if pct is None else f"{fmt.percent(pct, 1, signed=True)} per år"
    word = ("tydligt uppåt" if (pct or 0) > 0 else "tydligt nedåt") if t["detectable"] else "ingen tydlig trend"
    return f"{head} ({word})"


#: The crime table's "Underlag" words of the category sets (short: the table is wide).
SHORT_SET_WORDS = {"sol": "statistikdatabasen", "kommunindikatorer": "kommunindikator", "övrigt": "egen fil"}
#: The "Underlag" words of the category sets (:mod:`lagesbild.sources.categories`).
SET_WORDS = {"sol": "Brå, statistikdatabasen", "kommunindikatorer": "Brå, kommunindikatorer",
             "övrigt": "egen eller hämtad fil", "ntu": "NTU"}


def _year_text(rec: Mapping) -> str:
    return f"{rec['year']}" + (" (prel.)" if rec.get("preliminary") else "")


def crime_table(crime: Mapping) -> pd.DataFrame:
    """The crime picture as a table: every category's latest level, change and trend.

    Parameters
    ----------
    crime : dict
        The key figures of ``crime_trends`` (:meth:`Sources.figures`).

    Returns
    -------
    pandas.DataFrame
        Columns ``Kategori``, ``Underlag`` (Brå's statistics database, its kommunindikatorer, or an own or
        fetched file; only when there are several), ``År`` (with "(prel.)" for a possibly preliminary
        year), ``Antal``, ``Per 100 000 invånare``, ``Länet``, ``Riket`` (rates rounded to whole numbers, as
        in the report), ``Förändring från året före``, ``Trend``.

    Examples
    --------
    >>> crime = {"indicators": [{"indicator": "Bilbrott", "set": "kommunindikatorer", "year": 2024, "count": 150,
    ...     "rate": 250.4, "rate_lan": 226.0, "rate_riket": 383.0,
    ...     "change": {"rate_ratio": 0.738, "detectable": True, "too_few": False},
    ...     "trend": {"annual_change_pct": 5.84, "detectable": False, "too_few": False}}]}
    >>> crime_table(crime).values.tolist()[0]
    ['Bilbrott', '2024', 150, 250.0, 226.0, 383.0, '−26\xa0% (tydlig minskning)', '+5,8\xa0% per år (ingen tydlig trend)']
    """
    def rate(x):
        return None if x is None else float(round(x))

    recs = crime.get("indicators", [])
    rows = [[r["indicator"], SHORT_SET_WORDS.get(r.get("set") or "", "Brå"), _year_text(r), r["count"], rate(r["rate"]),
             rate(r.get("rate_lan")), rate(r.get("rate_riket")), _change_text(r), _trend_text(r)] for r in recs]
    out = pd.DataFrame(rows, columns=["Kategori", "Underlag", "År", "Antal", "Per 100 000 invånare", "Länet", "Riket",
                                      "Förändring från året före", "Trend"])
    if len({r.get("set") for r in recs}) <= 1:  # one set: the caption's source says which
        out = out.drop(columns="Underlag")
    return out


def crime_points(crime: Mapping, name: str, lan: str) -> list[str]:
    """The crime picture in a few sentences: total level, clear changes and trends, focus areas.

    Parameters
    ----------
    crime : dict
        Key figures of ``crime_trends``.
    name, lan : str
        The kommun's and the län's names.

    Returns
    -------
    list of str

    Examples
    --------
    >>> crime = {"bra_available": True, "indicators": [{"indicator": "Totalt antal anmälda brott", "year": 2024,
    ...     "count": 4697, "rate": 7833.0, "rate_lan": 8750.0, "rate_riket": 14090.0, "previous_year": 2023,
    ...     "change": {"rate_ratio": 0.93, "detectable": True, "too_few": False}}],
    ...     "detectable_increases": ["Bilbrott"], "detectable_decreases": [], "focus_areas": {}}
    >>> for p in crime_points(crime, "Falun", "Dalarnas län"): print(p.replace("\\xa0", " "))
    År 2024 anmäldes 4 697 brott i Falun, 7 833 per 100 000 invånare (Dalarnas län: 8 750, riket: 14 090). Avsnitt 3 prövar om skillnaderna är tydliga.
    Jämfört med 2023 är det en tydlig minskning (−7 %).
    Tydlig ökning från året före: Bilbrott.
    Kommunen har inte angett några fokusområden (focus_areas i kommunens parameterfil).

    With fetched data: counts derived from rates, and the kommun's place in its SKR kommungrupp:

    >>> crime |= {"derived_count_years": [2025], "kommungrupp": "Större stad", "kommungrupp_comparison": [
    ...     {"indicator": "Totalt antal anmälda brott", "year": 2025, "n": 24, "rank": 5, "median": 9100.0, "position": "låg"}]}
    >>> for p in crime_points(crime, "Falun", "Dalarnas län")[2:4]: print(p.replace("\\xa0", " "))
    Antalen för 2025 är härledda ur Brås tal per 100 000 invånare och folkmängden (källan anger bara talen per invånare för de åren).
    I kommungruppen Större stad (SKR) ligger Falun bland den fjärdedel av gruppen som har lägst tal: plats 5 av 24 (1 = lägst) för anmälda brott per 100 000 invånare 2025, gruppens median 9 100.
    """
    if not crime.get("bra_available"):
        return [f"Brås statistik över anmälda brott finns inte för {name} i den data rapporterna byggdes på, så "
                "brottsnivåer och förändringar kan inte visas. Lägg Brås export för kommunen i data/local/crime/ "
                "(format i data/raw/README.md) och bygg rapporterna igen."]
    out = []
    total = indicator_record(crime, TOTAL_CRIME)
    if total is not None:
        lan_word = f"{fmt.genitive(lan)} kommuner" if total.get("basis_lan") == "summa" else lan
        riket_word = "alla kommuner" if total.get("basis_riket") == "summa" else "riket"
        out.append(f"År {_year_text(total)} anmäldes {fmt.number(total['count'])} brott i {name}, "
                   f"{fmt.number(total['rate'])} per 100 000 invånare ({lan_word}: {fmt.number(total.get('rate_lan'))}, "
                   f"{riket_word}: {fmt.number(total.get('rate_riket'))}). Avsnitt 3 prövar om skillnaderna är tydliga.")
        zone = (total.get("dispersion") or {}).get("zone")
        if zone:
            from lagesbild.crime.text import ZONE_WORDS

            out.append(f"I trattdiagrammet över alla kommuner ligger {name} {ZONE_WORDS[zone]} kring rikets tal"
                       + (": skillnaden är inte större än vad kommuner av samma storlek brukar skilja sig."
                          if zone == "inside" else f": tydligt {'högre' if zone.startswith('high') else 'lägre'} än "
                          "kommuner av samma storlek brukar ligga."))
        c = total.get("change")
        if c and not c.get("too_few") and total.get("previous_year"):
            what = (("en tydlig ökning" if c["rate_ratio"] > 1 else "en tydlig minskning") if c["detectable"]
                    else "ingen tydlig förändring")
            out.append(f"Jämfört med {total['previous_year']} är det {what} ({ratio_change(c.get('rate_ratio'))}).")
        if crime.get("derived_count_years"):
            out.append(f"Antalen för {fmt.year_list(crime['derived_count_years'])} är härledda ur Brås tal per 100 000 "
                       "invånare och folkmängden (källan anger bara talen per invånare för de åren).")
        if crime.get("preliminary_years"):
            out.append(f"Siffrorna för {fmt.year_list(crime['preliminary_years'])} kan vara Brås preliminära och kan "
                       "ändras något när Brå publicerar de slutliga i mars.")
    group = next((r for r in crime.get("kommungrupp_comparison") or [] if r.get("indicator") == TOTAL_CRIME), None)
    if group is not None and crime.get("kommungrupp"):
        where = {"låg": "bland den fjärdedel av gruppen som har lägst tal", "hög": "bland den fjärdedel som har högst",
                 "mitten": "i gruppens mittersta hälft"}[group["position"]]
        out.append(f"I kommungruppen {crime['kommungrupp']} (SKR) ligger {name} {where}: plats {group['rank']} av "
                   f"{group['n']} (1 = lägst) för anmälda brott per 100 000 invånare {group['year']}, gruppens median "
                   f"{fmt.number(group['median'])}.")
    if crime.get("detectable_increases"):
        out.append("Tydlig ökning från året före: " + join(crime["detectable_increases"]) + ".")
    if crime.get("detectable_decreases"):
        out.append("Tydlig minskning från året före: " + join(crime["detectable_decreases"]) + ".")
    up = [r["indicator"] for r in crime.get("indicators", [])
          if r.get("trend") and r["trend"]["detectable"] and (r["trend"].get("annual_change_pct") or 0) > 0]
    down = [r["indicator"] for r in crime.get("indicators", [])
            if r.get("trend") and r["trend"]["detectable"] and (r["trend"].get("annual_change_pct") or 0) < 0]
    if up:
        out.append("Tydligt uppåtgående trend över flera år: " + join(up) + ".")
    if down:
        out.append("Tydligt nedåtgående trend över flera år: " + join(down) + ".")
    out.append(focus_text(crime))
    return out


def focus_text(crime: Mapping) -> str:
    """The kommun's focus areas and the Brå categories each matched (directly, or the broader SOL category).

    Examples
    --------
    >>> focus_text({"focus_areas": {"Våld i offentlig miljö": ["A", "B"], "Klotter": []}})
    'Kommunens fokusområden: Våld i offentlig miljö (2 kategorier i Brås statistik) och Klotter (ingen motsvarande kategori i Brås statistik).'
    >>> focus_text({"focus_areas": {"Våld": ["Brott mot person"]}, "focus_broader": {"Våld": ["Brott mot person"]}})
    'Kommunens fokusområden: Våld (följs med den bredare kategorin Brott mot person).'
    """
    focus = crime.get("focus_areas") or {}
    broader = crime.get("focus_broader") or {}
    if not focus:
        return "Kommunen har inte angett några fokusområden (focus_areas i kommunens parameterfil)."
    parts = []
    for area, matches in focus.items():
        wide = [m for m in broader.get(area, []) if m in matches]
        direct = [m for m in matches if m not in wide]
        bits = []
        if direct:
            bits.append(f"{len(direct)} {'kategori' if len(direct) == 1 else 'kategorier'} i Brås statistik")
        if wide:
            bits.append(f"följs med den bredare kategorin {join(wide)}" if not direct
                        else f"och den bredare {join(wide)}")
        parts.append(f"{area} ({' '.join(bits)})" if bits else f"{area} (ingen motsvarande kategori i Brås statistik)")
    return "Kommunens fokusområden: " + join(parts) + "."


def place_points(places: Mapping, name: str) -> list[str]:
    """The places that stand out, in a few sentences (from the place assessment's key figures).

    Examples
    --------
    >>> p = {"place_data": True, "example_data": False, "places": 8, "places_assessed": 6, "period": ["2024-01", "2025-12"],
    ...      "hot_spot_places": ["Torget"], "priority": ["Torget", "Parken", "Stråket", "Tunneln"], "gini": 0.846}
    >>> for t in place_points(p, "Ort"): print(t)
    8 platser i registret, 6 bedömda vid besiktning eller trygghetsvandring; händelser januari 2024–december 2025.
    Platser vid statistiskt säkerställda hot spots (Getis-Ord Gi*): Torget.
    Högst prioriterade platser: Torget, Parken och Stråket.
    Händelserna är koncentrerade: Ginikoefficienten är 0,85 (0 är jämnt fördelat, 1 är allt i en ruta).
    >>> place_points({"place_data": False}, "Falun")[0][:42]
    'Falun har ingen platsdata i underlaget: in'
    """
    if not places.get("place_data"):
        return [f"{name} har ingen platsdata i underlaget: inga platser är bedömda och inga händelser från samverkan "
                "eller invånarnas rapporter är analyserade. Kommunen samlar in dem med mallarna i data/templates/ "
                "(platser, besiktningar, händelselogg, medborgarrapporter)."]
    period = places.get("period")
    when = ""
    if period:
        start, end = (dt.date.fromisoformat(f"{p}-01") for p in period)
        when = f"; händelser {fmt.month(start)}–{fmt.month(end)}"
    out = [f"{fmt.number(places['places'])} platser i registret, {fmt.number(places['places_assessed'])} bedömda vid "
           f"besiktning eller trygghetsvandring{when}."]
    hot = places.get("hot_spot_places") or []
    out.append("Platser vid statistiskt säkerställda hot spots (Getis-Ord Gi*): " + join(hot) + "." if hot
               else "Ingen plats ligger vid en statistiskt säkerställd hot spot.")
    if places.get("priority"):
        out.append("Högst prioriterade platser: " + join(places["priority"][:3]) + ".")
    if places.get("gini") is not None:
        out.append(f"Händelserna är koncentrerade: Ginikoefficienten är {fmt.number(places['gini'], 2)} (0 är jämnt "
                   "fördelat, 1 är allt i en ruta).")
    return out


#: The source line of Polisen's utsatta områden.
USO_SOURCE = "Polismyndigheten, utsatta områden 2025"


def utsatta_omraden_text(areas, name: str) -> str:
    """What Polisen's list of utsatta områden says about the kommun, in one or two sentences.

    Parameters
    ----------
    areas : pandas.DataFrame
        The kommun's rows of the processed ``utsatta_omraden`` (``name, class``).
    name : str
        The kommun's name.

    Examples
    --------
    >>> a = pd.DataFrame({"name": ["Söder", "Dalhem"], "class": ["utsatt", "utsatt"]})
    >>> print(utsatta_omraden_text(a, "Helsingborg"))
    Polisen räknar 2 områden i Helsingborg som utsatta (Dalhem och Söder) i sin lista från 2025. Ett utsatt område har låg socioekonomisk status och kriminella som påverkar lokalsamhället; i ett särskilt utsatt område är det svårt eller nästan omöjligt för polisen att fullgöra sitt uppdrag.
    >>> utsatta_omraden_text(a.head(0), "Falun")
    'Falun har inget område på Polisens lista över utsatta och särskilt utsatta områden (2025).'
    """
    if areas is None or not len(areas):
        return f"{name} har inget område på Polisens lista över utsatta och särskilt utsatta områden (2025)."
    parts = []
    for cls, one, many in (("sarskilt", "särskilt utsatt", "särskilt utsatta"), ("utsatt", "utsatt", "utsatta")):
        found = sorted(areas.loc[areas["class"] == cls, "name"].astype(str))
        if found:
            parts.append(f"{len(found)} {'område' if len(found) == 1 else 'områden'} i {name} som "
                         f"{one if len(found) == 1 else many} ({join(found)})")
    text = "Polisen räknar " + " och ".join(p if i == 0 else p.replace(f" i {name} som", " som") for i, p in enumerate(parts))
    return (text + " i sin lista från 2025. Ett utsatt område har låg socioekonomisk status och kriminella som påverkar "
            "lokalsamhället; i ett särskilt utsatt område är det svårt eller nästan omöjligt för polisen att fullgöra "
            "sitt uppdrag.")


def utsatta_omraden_table(areas) -> pd.DataFrame:
    """The kommun's utsatta områden as a table: name, class, town, police region and area.

    Examples
    --------
    >>> a = pd.DataFrame({"name": ["Söder"], "class": ["utsatt"], "ort": ["Helsingborg"], "polisregion": ["Syd"],
    ...                   "area_ha": [210.9]})
    >>> utsatta_omraden_table(a).values.tolist()
    [['Söder', 'utsatt område', 'Helsingborg', 'Syd', '211']]
    """
    from lagesbild.sources.public import USO_CLASSES

    order = {"sarskilt": 0, "utsatt": 1}
    rows = areas.assign(_o=areas["class"].map(order)).sort_values(["_o", "name"])
    return pd.DataFrame({"Område": rows["name"].astype(str), "Klass": rows["class"].map(USO_CLASSES),
                         "Ort": rows["ort"].astype(str), "Polisregion": rows["polisregion"].astype(str),
                         "Yta (hektar)": rows["area_ha"].map(fmt.number)}).reset_index(drop=True)


def wastewater_table(wastewater: Mapping) -> pd.DataFrame:
    """The latest wastewater load per substance with its European percentile.

    Examples
    --------
    >>> w = {"latest": [{"substance": "Amfetamin", "year": 2025, "daily_mean": 256.4, "percentile_europe": 91.2}]}
    >>> wastewater_table(w).values.tolist()[0]
    ['Amfetamin', '2025', 256.4, 91.2]
    """
    rows = [[r["substance"], str(r["year"]), r["daily_mean"], r.get("percentile_europe")]
            for r in wastewater.get("latest", [])]
    return pd.DataFrame(rows, columns=["Substans", "År", "mg per dag och 1 000 invånare", "Percentil i Europa"])


def narcotics_points(wastewater: Mapping | None, crime: Mapping | None, name: str, lan: str) -> list[str]:
    """The narcotics picture: reported narcotics crime (Brå) and narcotics in the wastewater.

    Either source may be None (its report is missing); the sentences then use the other.

    Examples
    --------
    >>> w = {"own_measurements": False, "example_data": False, "euda_sites": ["SE009"], "latest": [
    ...     {"substance": "Amfetamin", "year": 2024, "daily_mean": 279.39, "percentile_europe": 93.2}]}
    >>> for t in narcotics_points(w, None, "Trollhättan", "Västra Götalands län"): print(t.replace("\\xa0", " "))
    Trollhättan ingår i EUDA:s europeiska studie av avloppsvatten.
    Amfetamin 2024: 279,4 mg per dag och 1 000 invånare, percentil 93 bland de europeiska mätplatserna (93 % av dem har samma eller lägre belastning).
    """
    out = []
    for category, what in (("Narkotikabrott + vapenlagsbrott", "Anmälda narkotika- och vapenlagsbrott"),
                           ("Narkotikabrott", "Anmälda narkotikabrott (kommunindikatorn)")):
        narc = indicator_record(crime, category)
        if narc is None or narc.get("rate") is None:
            continue
        lan_word = f"{fmt.genitive(lan)} kommuner" if narc.get("basis_lan") == "summa" else lan
        riket_word = "alla kommuner" if narc.get("basis_riket") == "summa" else "riket"
        out.append(f"{what} {_year_text(narc)}: {fmt.number(narc['rate'])} per 100 000 invånare ({lan_word}: "
                   f"{fmt.number(narc.get('rate_lan'))}, {riket_word}: {fmt.number(narc.get('rate_riket'))}).")
    if out:
        out.append("Antalet anmälda narkotikabrott speglar till stor del polisens kontroller, inte bara hur mycket "
                   "narkotika som används.")
    if wastewater is None:
        return out
    if wastewater.get("own_measurements"):
        out.append(f"{name} mäter narkotika i avloppsvattnet"
                   + (" (i underlaget: påhittade exempeldata)." if wastewater.get("example_data") else "."))
    elif wastewater.get("euda_sites"):
        out.append(f"{name} ingår i EUDA:s europeiska studie av avloppsvatten.")
    if not wastewater.get("latest"):
        out.append(f"{name} har inga mätningar av narkotika i avloppsvatten i underlaget. Rapporten Narkotika i "
                   "avloppsvatten visar de närmaste mätplatserna och läget i landet.")
    for r in wastewater.get("latest", []):
        pct = r.get("percentile_europe")
        where = ("" if pct is None else f", percentil {fmt.number(pct)} bland de europeiska mätplatserna "
                 f"({fmt.percent(pct)} av dem har samma eller lägre belastning)")
        out.append(f"{r['substance']} {r['year']}: {fmt.number(r['daily_mean'], 1)} mg per dag och 1 000 invånare"
                   f"{where}.")
    return out

# ============================================================================================
# 2. Annan information
# ============================================================================================


def _share_text(share: float, low: float, high: float) -> str:
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    text = f"{fmt.number(share, 1)}\u00a0%"
    if low is None or (isinstance(low, float) and math.isnan(low)):
        return text
    return f"{text} ({fmt.number(low, 1)}–{fmt.number(high, 1)})"


def ntu_table(latest: pd.DataFrame) -> pd.DataFrame:
    """NTU's latest results for the kommun beside the län and riket, with 95 % intervals, by theme.

    Parameters
    ----------
    latest : pandas.DataFrame
        :func:`lagesbild.sources.ntu.latest`.

    Returns
    -------
    pandas.DataFrame
        Columns ``Indikator``, ``Tema``, ``Avser år``, ``Kommunen``, ``Länet``, ``Riket``,
        ``Svarande i kommunen``; a share as "19,0 % (15,0–23,0)".

    Examples
    --------
    >>> nan = float("nan")
    >>> latest = pd.DataFrame([{"theme_label": "Otrygghet", "label": "Otrygg ute sent", "year": 2025, "survey_year": 2025,
    ...     "share": 19.0, "ci_low": 15.0, "ci_high": 23.0, "respondents": 465.0, "share_lan": 21.2, "ci_low_lan": 19.3,
    ...     "ci_high_lan": 23.2, "share_riket": nan, "ci_low_riket": nan, "ci_high_riket": nan}])
    >>> ntu_table(latest).values.tolist()[0]
    ['Otrygg ute sent', 'Otrygghet', '2025', '19,0\\xa0% (15,0–23,0)', '21,2\\xa0% (19,3–23,2)', '–', 465]
    """
    rows = []
    for r in latest.itertuples():
        rows.append([r.label, r.theme_label, str(int(r.year)), _share_text(r.share, r.ci_low, r.ci_high),
                     _share_text(r.share_lan, r.ci_low_lan, r.ci_high_lan),
                     _share_text(r.share_riket, r.ci_low_riket, r.ci_high_riket),
                     None if math.isnan(r.respondents) else int(r.respondents)])
    return pd.DataFrame(rows, columns=["Indikator", "Tema", "Avser år", "Kommunen", "Länet", "Riket",
                                       "Svarande i kommunen"])


def ntu_note(latest: pd.DataFrame) -> str:
    """How to read NTU's years and intervals (victimisation refers to the year before the survey).

    Examples
    --------
    >>> latest = pd.DataFrame({"theme": ["utsatthet", "oro"], "year": [2024, 2025], "survey_year": [2025, 2025]})
    >>> print(ntu_note(latest))
    Frågorna om utsatthet för brott gäller året före undersökningen: NTU 2025 frågar om 2024. Kolumnen Avser år anger det år siffran gäller; övriga frågor gäller undersökningsåret. Inom parentes står 95 % konfidensintervall: NTU är en urvalsundersökning, och i en kommun svarar några hundra personer.
    >>> latest["share"], latest["ci_low"] = [5.0, 6.0], [4.0, float("nan")]  # a share fetched from Kolada
    >>> print(ntu_note(latest).split("personer. ")[1])
    Andelar utan intervall är hämtade från Kolada, som publicerar Brås andel utan konfidensintervall; de kan inte prövas mot länet och riket och får därför ingen färg bland nyckeltalen.
    """
    victim = latest[latest["theme"] == "utsatthet"]
    years = ""
    if len(victim):
        r = victim.sort_values("survey_year").iloc[-1]
        years = f": NTU {int(r['survey_year'])} frågar om {int(r['year'])}"
    text = ("Frågorna om utsatthet för brott gäller året före undersökningen" + years + ". Kolumnen Avser år anger "
            "det år siffran gäller; övriga frågor gäller undersökningsåret. Inom parentes står 95 % konfidensintervall: "
            "NTU är en urvalsundersökning, och i en kommun svarar några hundra personer.")
    if ntu_without_interval(latest):
        text += (" Andelar utan intervall är hämtade från Kolada, som publicerar Brås andel utan konfidensintervall; "
                 "de kan inte prövas mot länet och riket och får därför ingen färg bland nyckeltalen.")
    return text


def ntu_without_interval(latest: pd.DataFrame) -> bool:
    """Whether any share in the table (kommun, län or riket) comes without its interval (fetched from Kolada).

    Examples
    --------
    >>> nan = float("nan")
    >>> ntu_without_interval(pd.DataFrame({"share": [5.0], "ci_low": [3.0], "share_lan": [4.0], "ci_low_lan": [nan]}))
    True
    >>> ntu_without_interval(pd.DataFrame({"share": [nan], "ci_low": [nan]}))
    False
    """
    for suffix in ("", "_lan", "_riket"):
        share, low = f"share{suffix}", f"ci_low{suffix}"
        if share in latest and low in latest and (latest[share].notna() & latest[low].isna()).any():
            return True
    return False


def trygghet_levels(results: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """The questions for which the police's report states a problem level, in one year (default the latest).

    Parameters
    ----------
    results : pandas.DataFrame
        :func:`lagesbild.summary.surveys.load_trygghet` rows of one kommun.
    year : int, optional

    Returns
    -------
    pandas.DataFrame
        Columns ``Område``, ``Fråga``, ``Problemindex (0–6)``, ``Problemnivå enligt polisen``; large
        problems first, then by index (highest first). Empty when no level is stated.

    Examples
    --------
    >>> r = pd.DataFrame({"omrade": ["A", "A", "B"], "year": 2024, "question": ["Klotter", "Nedskräpning", "Klotter"],
    ...                   "is_total": False, "index": [2.1, 3.1, 1.0], "level": ["vissa problem", "stora problem", ""]})
    >>> trygghet_levels(r).values.tolist()
    [['A', 'Nedskräpning', 3.1, 'stora problem'], ['A', 'Klotter', 2.1, 'vissa problem']]
    """
    columns = ["Område", "Fråga", "Problemindex (0–6)", "Problemnivå enligt polisen"]
    if results.empty:
        return pd.DataFrame(columns=columns)
    year = int(results["year"].max()) if year is None else int(year)
    rows = results[(results["year"] == year) & (results["level"] != "")].copy()
    order = {"stora problem": 0, "vissa problem": 1, "små problem": 2}
    rows = rows.assign(_o=rows["level"].map(order)).sort_values(["_o", "index"], ascending=[True, False], kind="stable")
    out = rows[["omrade", "question", "index", "level"]].astype({"index": float})
    out.columns = columns
    return out.reset_index(drop=True)


def trygghet_template_text() -> str:
    """What a kommun fills in to bring Polisens trygghetsmätning into the summary.

    Examples
    --------
    >>> "data/templates/trygghetsmatning" in trygghet_template_text()
    True
    """
    from lagesbild.summary import surveys as trygghet

    return ("Polisens trygghetsmätning redovisar per område ett problemindex för varje fråga och ett totalindex. "
            + trygghet.INDEX_RULE + " Kommunen skriver av resultaten ur polisens rapport i mallen "
            "data/templates/trygghetsmatning/trygghetsmatning.csv (eller .xlsx): en rad per område, år och fråga, med "
            "index, intervall och den problemnivå (små, vissa eller stora problem) som rapporten anger. Mappen anges med "
            "parametern trygghet_data (reports: lagesbild: trygghet_data i kommunens parameterfil).")


def citizen_reports_text(places: Mapping, name: str) -> str:
    """What the underlag holds on citizens' reports of unsafe places (they are part of the place data).

    Examples
    --------
    >>> citizen_reports_text({"place_data": False}, "Falun")[:58]
    'Underlaget har inga medborgarrapporter för Falun. De samla'
    >>> citizen_reports_text({"place_data": True, "citizen_reports": 120}, "Ort").replace("\\xa0", " ")[:60]
    'Invånarnas rapporter om otrygga platser (medborgarrapporter,'
    """
    if not places.get("place_data"):
        return (f"Underlaget har inga medborgarrapporter för {name}. De samlas in med mallen "
                "data/templates/medborgarrapporter.csv (till exempel ur en trygghetsapp eller kommunens felanmälan) och "
                "analyseras i platsbedömningen tillsammans med händelseloggen.")
    count = places.get("citizen_reports")
    many = f", {fmt.number(count)} i underlaget" if isinstance(count, int) and not isinstance(count, bool) else ""
    example = " Platsdata i underlaget är påhittade exempeldata." if places.get("example_data") else ""
    return (f"Invånarnas rapporter om otrygga platser (medborgarrapporter{many}) analyseras i platsbedömningen "
            f"tillsammans med händelseloggen från samverkan; se rapporten Platsbedömning.{example}")


def police_events_text(crime: Mapping, name: str) -> str:
    """The polisen.se events placed in the kommun over the last twelve months, with what they are.

    Examples
    --------
    >>> police_events_text({"events_last_12_months": 129, "events_period_end": "2025-12"}, "Falun")[:100]
    'Polisen publicerade 129 händelser placerade i Falun på polisen.se under tolv månader till och med de'
    """
    n, end = crime.get("events_last_12_months"), crime.get("events_period_end")
    if n is None or not end:
        return (f"Polisens händelsearkiv anger inte kommun för händelserna i underlaget, så händelserna i {name} kan "
                "inte följas.")
    month = fmt.month(dt.date.fromisoformat(f"{end}-01"))
    return (f"Polisen publicerade {fmt.number(n)} händelser placerade i {name} på polisen.se under tolv månader till "
            f"och med {month}. Händelserna är polisens pressmeddelanden, inte brottsstatistik: många är inte brott, och "
            "urvalet är polisens.")

# ============================================================================================
# 4. Uppföljning
# ============================================================================================


#: Commitment statuses in report order (as the project evaluation writes them).
COMMITMENT_STATUSES: tuple[str, ...] = ("uppfyllt", "delvis uppfyllt", "ej uppfyllt", "kan ej bedömas")


def commitments_table(projects: Mapping) -> pd.DataFrame:
    """The commitments per status (from the project evaluation's key figures).

    Examples
    --------
    >>> commitments_table({"commitments": {"uppfyllt": 1, "ej uppfyllt": 2, "delvis uppfyllt": 0}}).values.tolist()
    [['uppfyllt', 1], ['ej uppfyllt', 2]]
    """
    counts = projects.get("commitments") or {}
    order = [s for s in COMMITMENT_STATUSES if s in counts] + sorted(s for s in counts if s not in COMMITMENT_STATUSES)
    rows = [[s, int(counts[s])] for s in order if counts[s]]
    return pd.DataFrame(rows, columns=["Status", "Antal åtaganden"])


def _signed(x: float) -> str:
    return ("+" if x > 0 and fmt.number(x, 1) != "0,0" else "") + fmt.number(x, 1)


def projects_table(projects: Mapping) -> pd.DataFrame:
    """The evaluated projects: effect estimate (WDD) with its interval and whether the effect is clear.

    Examples
    --------
    >>> p = {"projects": [{"id": "P1", "name": "Trygg park", "wdd_estimate": -12.0, "wdd_ci": [-20.5, -3.5],
    ...                    "detectable": True}, {"id": "P2", "name": "Ljus", "wdd_estimate": None, "wdd_ci": None,
    ...                    "detectable": None}]}
    >>> projects_table(p).values.tolist()
    [['Trygg park', '−12,0', '−20,5 till −3,5', 'ja, färre händelser än väntat'], ['Ljus', '–', '–', 'kan inte bedömas (för få händelser eller inget kontrollområde)']]
    """
    rows = []
    for r in projects.get("projects", []):
        est, ci, det = r.get("wdd_estimate"), r.get("wdd_ci"), r.get("detectable")
        if det is None or est is None:
            verdict = "kan inte bedömas (för få händelser eller inget kontrollområde)"
        elif det:
            verdict = "ja, färre händelser än väntat" if est < 0 else "ja, fler händelser än väntat"
        else:
            verdict = "nej, skillnaden kan bero på slumpen"
        rows.append([r["name"], "–" if est is None else _signed(est),
                     "–" if not ci else f"{_signed(ci[0])} till {_signed(ci[1])}", verdict])
    return pd.DataFrame(rows, columns=["Projekt", "Skattad effekt (händelser jämfört med kontrollområdet)",
                                       "95 % konfidensintervall", "Tydlig effekt"])


def followup_points(projects: Mapping, name: str) -> list[str]:
    """The follow-up in sentences: how many projects have an estimate and a clear effect; commitments.

    Examples
    --------
    >>> p = {"example_data": False, "projects": [{"id": "P1", "name": "A", "wdd_estimate": 1.0, "wdd_ci": [-19.0, 21.0],
    ...      "detectable": False}], "commitments": {"uppfyllt": 1, "ej uppfyllt": 0}}
    >>> for t in followup_points(p, "Ort"): print(t)
    1 projekt är utvärderat före och efter; 1 har en effektskattning och inget av dem en tydlig effekt.
    Åtaganden: 1 uppfyllt (av 1).
    """
    out = []
    items = projects.get("projects", [])
    if items:
        estimated = [r for r in items if r.get("detectable") is not None]
        clear = [r for r in estimated if r["detectable"]]
        word = "projekt är utvärderat" if len(items) == 1 else "projekt är utvärderade"
        clear_text = ("inget av dem en tydlig effekt" if not clear
                      else f"{len(clear)} av dem en tydlig effekt ({join([r['name'] for r in clear])})")
        out.append(f"{len(items)} {word} före och efter; {len(estimated)} har en effektskattning och {clear_text}.")
    else:
        out.append(f"{name} har inga projekt i underlaget att utvärdera. Projekt registreras med mallen i "
                   "data/templates/projects/.")
    counts = {s: n for s, n in (projects.get("commitments") or {}).items() if n}
    if counts:
        total = sum(counts.values())
        parts = [f"{fmt.number(counts[s])} {s}" for s in (*COMMITMENT_STATUSES, *sorted(counts)) if s in counts]
        parts = list(dict.fromkeys(parts))
        out.append(f"Åtaganden: {', '.join(parts)} (av {fmt.number(total)}).")
    else:
        out.append(f"{name} har inga åtaganden (till exempel medborgarlöften) i underlaget.")
    if projects.get("example_data"):
        out.append("Projekten och åtagandena i underlaget är påhittade exempeldata.")
    return out


__all__ = [
    "COMMITMENT_STATUSES", "SET_WORDS", "SHORT_SET_WORDS", "TIMEZONE", "USO_SOURCE", "built_text",
    "citizen_reports_text", "commitments_table", "crime_points", "crime_table", "example_text", "focus_text",
    "followup_points", "missing_text", "narcotics_points", "ntu_note", "ntu_table", "ntu_without_interval",
    "place_points", "police_events_text", "projects_table", "ratio_change", "source_line", "sources_table",
    "trygghet_levels", "trygghet_template_text", "utsatta_omraden_table", "utsatta_omraden_text",
    "wastewater_table"
]
