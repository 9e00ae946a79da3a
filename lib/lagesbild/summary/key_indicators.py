"""The key indicators against the län and riket (the summary's section 3), in Swedish.

The traffic light is statistics (:mod:`lagesbild.stats.indicators`): it returns codes — a status
("higher", "lower", "unclear", "missing"), an assessment ("worse", "better"), the comparison region
("lan", "riket"), the test used and why a comparison is missing. This module words them for the
reader: the table cell (:func:`light_text`), a phrase (:func:`light_phrase`), the numbers behind it
(:func:`light_detail`), the method paragraph (:func:`method_text`), the sentence of "Det viktigaste"
(:func:`compare_phrase`) and the key-indicator rows of the summary's JSON (:func:`key_indicator_figures`),
which keep the Swedish values the JSON has always had ("högre", "sämre", "Anmälda brott").

Examples
--------
>>> from lagesbild.stats.indicators import rate_light
>>> light = rate_light(400, 10_000, ref_rate=1000, tau2=0.05)
>>> light.status, light_text(light), light_phrase(light)
('higher', '▲ Högre (sämre)', 'Tydligt högre än i länet (sämre)')
"""

from __future__ import annotations

import math

import pandas as pd

from lagesbild.core import fmt
from lagesbild.core.fmt import join
from lagesbild.stats import indicators as ind
from lagesbild.summary.sources import number_or_none
from lagesbild.summary.text import SET_WORDS

#: A light's status as a word in a sentence, and as the summary's JSON publishes it.
STATUS_WORDS: dict[str, str] = {ind.HIGHER: "högre", ind.LOWER: "lägre", ind.UNCLEAR: "ingen tydlig skillnad",
                                ind.MISSING: "saknas"}
#: A light's status in a table cell (after its symbol, :data:`lagesbild.stats.indicators.SYMBOLS`).
CELL_WORDS: dict[str, str] = {ind.HIGHER: "Högre", ind.LOWER: "Lägre", ind.UNCLEAR: "Ingen tydlig skillnad",
                              ind.MISSING: "Uppgift saknas"}
#: What a clear difference means; also the cell classes of :data:`lagesbild.render.report.CELL_CLASSES`.
ASSESSMENT_WORDS: dict[str, str] = {ind.WORSE: "sämre", ind.BETTER: "bättre"}
#: The comparison regions as used in a sentence ("tydligt högre än i länet").
COMPARISON_WORDS: dict[str, str] = {ind.LAN: "länet", ind.RIKET: "riket"}
#: The kind of indicator (the table's ``source``) as the summary's JSON publishes it.
SOURCE_WORDS: dict[str, str] = {ind.CRIME: "Anmälda brott", ind.NTU: "NTU"}
#: The tests, in Swedish (``{region}``: the comparison region, "länet" or "riket").
METHOD_TEXTS: dict[str, str] = {
    ind.FUNNEL: "trattdiagrammets regel (Spiegelhalter 2005): kommunens antal mot det som {region}s tal ger vid "
                "kommunens folkmängd, med hänsyn till både slumpen och den vanliga variationen mellan kommuner",
    ind.SHARE_Z_TEST: "z-test av skillnaden, standardfel ur båda 95 %-intervallen",
}
#: Why a comparison is missing, in Swedish (``{region}`` as in :data:`METHOD_TEXTS`).
REASON_TEXTS: dict[str, str] = {
    "missing": "Uppgift saknas.",
    "count_missing": "Kommunens antal saknas.",
    "population_missing": "Kommunens folkmängd saknas.",
    "reference_missing": "Jämförelsevärdet för {region} saknas.",
    "variation_unknown": "Variationen mellan kommuner kan inte skattas i den här kategorin (för få kommuner har den i "
                         "underlaget), så ingen jämförelse görs.",
    "share_missing": "Kommunens andel eller dess intervall saknas.",
    "reference_share_missing": "Andelen för {region} eller dess intervall saknas.",
    "no_interval_width": "Osäkerheten går inte att beräkna (intervall utan bredd).",
}
#: The notes of :func:`lagesbild.stats.indicators.indicator_table`, in Swedish.
NOTE_TEXTS: dict[str, str] = {ind.POPULATION_DERIVED: "Folkmängden är härledd ur antal och Brå:s avrundade takt."}

#: The two comparison columns of :func:`key_indicator_display`.
_COLUMNS = {ind.LAN: "Jämfört med länet", ind.RIKET: "Jämfört med riket"}


def _year(value) -> int | None:
    """The year of a row: None when missing (None, or NaN in a column pandas made float)."""
    year = number_or_none(value)
    return None if year is None else int(year)


def _region(light: ind.Light) -> str:
    if light.comparison not in COMPARISON_WORDS:
        raise ValueError(f"unknown comparison region {light.comparison!r}; a light compares with one of "
                         f"{list(COMPARISON_WORDS)} (lagesbild.stats.indicators.COMPARISONS)")
    return COMPARISON_WORDS[light.comparison]


def light_text(light: ind.Light) -> str:
    """A traffic light as table text: symbol, word and, for a clear difference, better or worse.

    The colour (:attr:`lagesbild.stats.indicators.Light.colour`) never carries the meaning alone: the
    symbol gives the direction and the word what it means.

    Examples
    --------
    >>> from lagesbild.stats.indicators import rate_light
    >>> light_text(rate_light(341, 59_930, ref_rate=1233, tau2=0.01, comparison="riket"))
    '▼ Lägre (bättre)'
    >>> light_text(rate_light(None, 59_930, ref_rate=1233, tau2=0.01))
    '– Uppgift saknas'
    """
    text = f"{light.symbol} {CELL_WORDS[light.status]}"
    return f"{text} ({ASSESSMENT_WORDS[light.assessment]})" if light.assessment else text


def light_phrase(light: ind.Light) -> str:
    """A traffic light as one Swedish phrase: the status against the region and, if clear, better or worse.

    Examples
    --------
    >>> from lagesbild.stats.indicators import missing_light, share_light
    >>> light_phrase(share_light(19, 15, 23, 25.0, 24.6, 25.4, comparison="riket"))
    'Tydligt lägre än i riket (bättre)'
    >>> light_phrase(share_light(19, 15, 23, 21.2, 19.3, 23.2))
    'Ingen tydlig skillnad mot länet'
    >>> light_phrase(missing_light("riket"))
    'Uppgift saknas för jämförelse med riket'
    """
    region = _region(light)
    if light.status == ind.MISSING:
        return f"Uppgift saknas för jämförelse med {region}"
    if light.status == ind.UNCLEAR:
        return f"Ingen tydlig skillnad mot {region}"
    return f"Tydligt {STATUS_WORDS[light.status]} än i {region} ({ASSESSMENT_WORDS[light.assessment]})"


def light_detail(light: ind.Light) -> str:
    """The numbers behind a light in Swedish (estimate, interval, p-value), or why it is missing.

    Examples
    --------
    >>> from lagesbild.stats.indicators import rate_light, share_light
    >>> light_detail(share_light(19, 15, 23, 25.0, 24.6, 25.4, comparison="riket"))
    'skillnad −6,0 procentenheter (95 % KI −10,0 till −2,0), p = 0,003'
    >>> light_detail(rate_light(400, 10_000, ref_rate=1000, tau2=0.0))
    'kvot 4,00 (95 % KI 3,62–4,40), p < 0,001'
    >>> light_detail(rate_light(400, 10_000, ref_rate=None, tau2=0.0, comparison="riket"))
    'Jämförelsevärdet för riket saknas.'
    """
    if light.status == ind.MISSING:
        return REASON_TEXTS[light.reason].format(region=_region(light))
    level = fmt.number(100 * (1 - light.alpha))
    if light.kind == "ratio":
        est = (f"kvot {fmt.number(light.estimate, 2)} ({level} % KI {fmt.number(light.ci_low, 2)}–"
               f"{fmt.number(light.ci_high, 2)})")
    else:
        sign = "+" if light.estimate > 0 else ""
        est = (f"skillnad {sign}{fmt.number(light.estimate, 1)} procentenheter ({level} % KI "
               f"{fmt.number(light.ci_low, 1)} till {fmt.number(light.ci_high, 1)})")
    return f"{est}, {fmt.pvalue(light.p_value)}"


def light_method(light: ind.Light) -> str:
    """The test behind a light, in Swedish ("" for a missing comparison).

    Examples
    --------
    >>> from lagesbild.stats.indicators import rate_light
    >>> light_method(rate_light(400, 10_000, ref_rate=1000, tau2=0.05, comparison="riket"))[:60]
    'trattdiagrammets regel (Spiegelhalter 2005): kommunens antal'
    >>> "det som rikets tal ger" in light_method(rate_light(400, 10_000, ref_rate=1000, tau2=0.05, comparison="riket"))
    True
    """
    return METHOD_TEXTS[light.method].format(region=_region(light)) if light.method else ""


def compare_phrase(lan: ind.Light, riket: ind.Light) -> str:
    """The kommun against the län and riket in one phrase, for "Det viktigaste".

    Examples
    --------
    >>> from lagesbild.stats.indicators import missing_light, rate_light
    >>> lower = rate_light(300, 100_000, ref_rate=1000, tau2=0.0)
    >>> compare_phrase(lower, rate_light(300, 100_000, ref_rate=1000, tau2=0.0, comparison="riket"))
    'tydligt lägre än i länet och riket'
    >>> compare_phrase(lower, missing_light("riket"))
    'tydligt lägre än i länet'
    >>> compare_phrase(missing_light("lan"), missing_light("riket"))
    'jämförelse saknas'
    """
    clear = (ind.HIGHER, ind.LOWER)
    if lan.status == riket.status and lan.status in clear:
        return f"tydligt {STATUS_WORDS[lan.status]} än i {_region(lan)} och {_region(riket)}"
    if lan.status == riket.status == ind.UNCLEAR:
        return f"ingen tydlig skillnad mot {_region(lan)} och {_region(riket)}"
    parts = []
    for light in (lan, riket):
        if light.status in clear:
            parts.append(f"tydligt {STATUS_WORDS[light.status]} än i {_region(light)}")
        elif light.status == ind.UNCLEAR:
            parts.append(f"ingen tydlig skillnad mot {_region(light)}")
    return join(parts) if parts else "jämförelse saknas"


def key_indicator_display(table: pd.DataFrame) -> pd.DataFrame:
    """The key-indicator table for the report: values and both traffic lights as text.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`lagesbild.stats.indicators.indicator_table`.

    Returns
    -------
    pandas.DataFrame
        Columns ``Nyckeltal``, ``Underlag``, ``År``, ``Kommunen``, ``Länet``, ``Riket``,
        ``Jämfört med länet``, ``Jämfört med riket``; rates as whole numbers per 100 000 invånare,
        shares in % with one decimal.

    Examples
    --------
    >>> from lagesbild.stats.indicators import indicator_table
    >>> t = indicator_table([{"indicator": "Bilbrott", "set": "kommunindikatorer", "year": 2024, "count": 150,
    ...     "rate": 250.0, "rate_lan": 226.0, "rate_riket": 383.0, "population": 60_000, "dispersion": {"tau2": 0.005}}])
    >>> key_indicator_display(t).values.tolist()[0]
    ['Bilbrott', 'Anmälda brott per 100 000 invånare (Brå, kommunindikatorer)', '2024', '250', '226', '383', '○ Ingen tydlig skillnad', '▼ Lägre (bättre)']
    """
    columns = ["Nyckeltal", "Underlag", "År", "Kommunen", "Länet", "Riket", *_COLUMNS.values()]
    rows = []
    for r in table.itertuples():
        crime = r.source == ind.CRIME

        def value(v, crime=crime) -> str:
            if v is None or (isinstance(v, float) and math.isnan(v)):
                return "–"
            return fmt.number(v) if crime else f"{fmt.number(v, 1)}\u00a0%"

        where = SET_WORDS.get(getattr(r, "set", "") or "", "Brå")
        what = f"Anmälda brott per 100 000 invånare ({where})" if crime else f"NTU, andel i procent ({r.theme})"
        year = "–" if _year(r.year) is None else str(_year(r.year)) + (" (prel.)" if getattr(r, "preliminary", False) else "")
        rows.append([r.indicator, what, year, value(r.value), value(r.value_lan),
                     value(r.value_riket), light_text(r.lan), light_text(r.riket)])
    return pd.DataFrame(rows, columns=columns)


def key_indicator_classes(table: pd.DataFrame) -> dict[str, list[str | None]]:
    """The traffic light's cell colours for :func:`key_indicator_display`'s two comparison columns.

    Only a clear difference gets a colour ("sämre" or "bättre", :data:`lagesbild.render.report.CELL_CLASSES`);
    no clear difference and a missing comparison get none. Pass it as ``report.table(..., cell_classes=...)``.

    Examples
    --------
    >>> from lagesbild.stats.indicators import indicator_table
    >>> t = indicator_table([{"indicator": "Bilbrott", "year": 2024, "count": 150, "rate": 250.0, "rate_lan": 226.0,
    ...     "rate_riket": 383.0, "population": 60_000, "dispersion": {"tau2": 0.005}}])
    >>> key_indicator_classes(t)
    {'Jämfört med länet': [None], 'Jämfört med riket': ['bättre']}
    """
    return {heading: [ASSESSMENT_WORDS.get(light.assessment) for light in table[col]] if len(table) else []
            for col, heading in _COLUMNS.items()}


def method_text(table: pd.DataFrame, alpha: float) -> str:
    """How the traffic light was decided, in Swedish: the tests actually used, the level, the symbols.

    Examples
    --------
    >>> from lagesbild.stats.indicators import indicator_table
    >>> t = indicator_table([{"indicator": "Bilbrott", "year": 2024, "count": 150, "rate": 250.0, "rate_lan": 226.0,
    ...                       "rate_riket": 383.0, "population": 60_000, "dispersion": {"tau2": 0.005}}])
    >>> "trattdiagrammets regel" in method_text(t, 0.05), "p < 0,05" in method_text(t, 0.05)
    (True, True)
    """
    methods = []
    for col in _COLUMNS:
        for light in table[col] if len(table) else []:
            method = light_method(light)
            if method and method not in methods:
                methods.append(method)
    used = ("Metoder: " + "; ".join(methods) + ".") if methods else ""
    crime = len(table) and (table["source"] == ind.CRIME).any()
    summed = ("För Brås kategorier för alla kommuner är länet summan av länets kommuner och riket summan av alla "
              "kommuner (Brås eget rikstal räknar också brott som inte kan föras till någon kommun). Anmälda brott "
              "skiljer sig mycket mer mellan kommuner än slumpen ger, så en skillnad kallas tydlig först när den är "
              "större än kommuner brukar skilja sig, samma regel som trattdiagrammet i rapporten Brottsutvecklingen. "
              if crime else "")
    return (f"Ett nyckeltal jämförs med länet och riket med ett statistiskt test, och bara en skillnad med p < "
            f"{fmt.number(alpha, 2)} kallas tydlig och markeras: ▲ tydligt högre, ▼ tydligt lägre, ○ ingen tydlig "
            "skillnad, – uppgift saknas. Inom parentes står om skillnaden är bättre eller sämre, och bara en tydlig "
            "skillnad får färg (orange för sämre, blå för bättre); för alla nyckeltal här är ett högre värde sämre. "
            + summed + used)


def key_indicator_counts(table: pd.DataFrame) -> dict[str, int]:
    """How many key indicators are clearly worse or better than the län or riket.

    Returns
    -------
    dict
        ``indicators`` (rows), ``worse`` (clearly worse than the län or riket), ``better`` (clearly
        better than both or than one without being worse than the other), ``missing`` (no
        comparison at all).

    Examples
    --------
    >>> from lagesbild.stats.indicators import indicator_table
    >>> t = indicator_table([{"indicator": "Bilbrott", "year": 2024, "count": 150, "rate": 250.0, "rate_lan": 226.0,
    ...     "rate_riket": 383.0, "population": 60_000, "dispersion": {"tau2": 0.005}}])
    >>> key_indicator_counts(t)
    {'indicators': 1, 'worse': 0, 'better': 1, 'missing': 0}
    """
    worse = better = missing = 0
    for lan, riket in zip(table["lan"], table["riket"], strict=True) if len(table) else []:
        verdicts = {lan.assessment, riket.assessment}
        if ind.WORSE in verdicts:
            worse += 1
        elif ind.BETTER in verdicts:
            better += 1
        if lan.status == ind.MISSING and riket.status == ind.MISSING:
            missing += 1
    return {"indicators": int(len(table)), "worse": worse, "better": better, "missing": missing}


def light_figures(light: ind.Light) -> dict:
    """A light as the summary's JSON publishes it: status and assessment in Swedish, estimate and p-value.

    Examples
    --------
    >>> from lagesbild.stats.indicators import missing_light, rate_light
    >>> light_figures(rate_light(400, 10_000, ref_rate=1000, tau2=0.0))["status"]
    'högre'
    >>> light_figures(missing_light("riket"))
    {'status': 'saknas', 'assessment': None, 'estimate': None, 'p_value': None}
    """
    return {"status": STATUS_WORDS[light.status], "assessment": ASSESSMENT_WORDS.get(light.assessment),
            "estimate": number_or_none(light.estimate), "p_value": number_or_none(light.p_value)}


def key_indicator_figures(table: pd.DataFrame) -> list[dict]:
    """The key-indicator table as the rows of the summary's JSON (``key_figures["key_indicators"]``).

    Examples
    --------
    >>> from lagesbild.stats.indicators import indicator_table
    >>> rows = key_indicator_figures(indicator_table([{"indicator": "Bilbrott", "year": 2024, "count": 150,
    ...     "rate": 250.0, "rate_lan": 226.0, "rate_riket": 383.0, "population": 60_000, "dispersion": {"tau2": 0.005}}]))
    >>> rows[0]["source"], rows[0]["value"], rows[0]["lan"]["status"], rows[0]["riket"]["assessment"]
    ('Anmälda brott', 250.0, 'ingen tydlig skillnad', 'bättre')
    """
    return [{"source": SOURCE_WORDS[r.source], "indicator": r.indicator, "year": _year(r.year),
             "value": number_or_none(r.value), "value_lan": number_or_none(r.value_lan),
             "value_riket": number_or_none(r.value_riket), "lan": light_figures(r.lan), "riket": light_figures(r.riket)}
            for r in table.itertuples()]


__all__ = [
    "ASSESSMENT_WORDS", "CELL_WORDS", "COMPARISON_WORDS", "METHOD_TEXTS", "NOTE_TEXTS", "REASON_TEXTS",
    "SOURCE_WORDS", "STATUS_WORDS", "compare_phrase", "key_indicator_classes", "key_indicator_counts",
    "key_indicator_display", "key_indicator_figures", "light_detail", "light_figures", "light_method",
    "light_phrase", "light_text", "method_text",
]
