"""The Swedish text of the lägesbild's ``### Lokala enkäter`` (2. Annan information).

The kommun's own surveys are loaded and compared in :mod:`lagesbild.summary.local_surveys`
(:func:`~lagesbild.summary.local_surveys.load_local_surveys`,
:func:`~lagesbild.summary.local_surveys.survey_statistics`); this module turns that into what the
reader sees: the paragraph on how values are compared (:func:`method_text`), one table per survey
(:func:`survey_table`, :func:`survey_caption`, :func:`survey_source`), a sentence per clear change
(:func:`change_points`), the example-data note (:func:`example_text`) and, without any survey, the
paragraph pointing at the template (:func:`template_text`). Nothing is computed here.
"""

from __future__ import annotations

import pandas as pd

from lagesbild.core import fmt
from lagesbild.core.fmt import join
from lagesbild.summary import local_surveys as ls

#: The template folder, named in the report.
TEMPLATE_FOLDER = "data/templates/lokala_enkater"

_WORDS = {ls.INCREASE: "tydlig ökning", ls.DECREASE: "tydlig minskning",
          ls.NO_CLEAR_CHANGE: "kan inte skiljas från slumpen"}


def template_text(name: str) -> str:
    """What the section says when the kommun has no local survey: what they are and how to add them.

    Examples
    --------
    >>> text = template_text("Upplands Väsby")
    >>> text.startswith("Underlaget har inga lokala enkäter för Upplands Väsby."), TEMPLATE_FOLDER in text
    (True, True)
    """
    return (f"Underlaget har inga lokala enkäter för {name}. Många kommuner har egna enkäter som säger något om "
            "brott och trygghet, till exempel en trygghetsundersökning bland företagen, regionens folkhälsoenkät till "
            "skolelever (andelen som använt narkotika) eller skolenkäter som Stockholmsenkäten och LUPP. Kommunen "
            f"skriver av resultaten i mallen {TEMPLATE_FOLDER}/lokala_enkater.csv (eller .xlsx): en rad per enkät, "
            "indikator, grupp och år, med andel eller medelvärde, antal svarande och intervallet om rapporten anger "
            "det. Mappen anges med parametern local_surveys (reports: lagesbild: local_surveys i kommunens "
            "parameterfil); då visar lägesbilden värdena med sin osäkerhet och säger vilka förändringar som är "
            "tydliga.")


def example_text(data: ls.LocalSurveys) -> str:
    """The example-data note of the section.

    Examples
    --------
    >>> data = ls.load_local_surveys(ls.EXAMPLE_LOCAL_SURVEYS, "2080")
    >>> example_text(data)[:67]
    'Enkätresultaten i det här avsnittet är påhittade exempeldata, inte '
    """
    text = ("Enkätresultaten i det här avsnittet är påhittade exempeldata, inte verkliga resultat: de visar hur "
            "avsnittet ser ut när kommunen har fyllt i mallen för lokala enkäter.")
    return f"{text} {data.description}" if data.description else text


def method_text(alpha: float = 0.05) -> str:
    """How the values' uncertainty and their changes are found, for the reader.

    Examples
    --------
    >>> text = method_text(0.05)
    >>> "Wilsonintervall" in text, "p under 0,05" in text
    (True, True)
    """
    return f"{ls.INTERVAL_RULE} {ls.change_rule(alpha)} {ls.SAMPLE_RULE}"


def surveys(stats: pd.DataFrame) -> list[str]:
    """The surveys of :func:`~lagesbild.summary.local_surveys.survey_statistics`, in the order of the tables.

    Examples
    --------
    >>> surveys(pd.DataFrame({"enkat": ["B", "A", "B"]}))
    ['B', 'A']
    """
    return list(dict.fromkeys(stats["enkat"])) if len(stats) else []


def _is_share(r) -> bool:
    return r["measure"] == ls.SHARE


def _value(r) -> str:
    if _is_share(r):
        return fmt.percent(r["value"], 1)
    return f"{fmt.number(r['value'], 2)} (skala {_scale(r)})"


def _scale(r) -> str:
    return f"{fmt.number(r['scale_min'], 0 if float(r['scale_min']).is_integer() else 1)}–" \
           f"{fmt.number(r['scale_max'], 0 if float(r['scale_max']).is_integer() else 1)}"


def _interval(r) -> str:
    if r["interval"] == ls.NO_INTERVAL:
        return "–"
    decimals = 1 if _is_share(r) else 2
    text = f"{fmt.number(r['interval_low'], decimals)}–{fmt.number(r['interval_high'], decimals)}"
    return text + (" (beräknat)" if r["interval"] == ls.WILSON else "")


def _difference(r) -> str:
    decimals = 1 if _is_share(r) else 2
    sign = "+" if round(r["change"], decimals) > 0 else ""
    unit = " procentenheter" if _is_share(r) else ""
    return f"{sign}{fmt.number(r['change'], decimals)}{unit}"


def change_text(r) -> str:
    """The change of one value against its previous measurement, in words (a cell of :func:`survey_table`).

    Examples
    --------
    >>> nan = float("nan")
    >>> r = {"measure": "andel", "change_status": "decrease", "change": -6.5, "previous_year": 2021.0,
    ...      "without_uncertainty": ""}
    >>> change_text(r).replace("\\xa0", " ")
    '−6,5 procentenheter sedan 2021: tydlig minskning'
    >>> change_text(dict(r, change_status="unknown", without_uncertainty="2016", previous_year=2016.0))
    '−6,5 procentenheter sedan 2016: går inte att bedöma, 2016 saknar både intervall och antal svarande'
    >>> change_text(dict(r, change_status="no_previous"))
    'Första mätningen i underlaget'
    """
    status = r["change_status"]
    if status == ls.NO_PREVIOUS:
        return "Första mätningen i underlaget"
    head = f"{_difference(r)} sedan {int(r['previous_year'])}"
    if status == ls.UNKNOWN_CHANGE:
        lacks = "både intervall och antal svarande" if _is_share(r) else "intervall"
        return f"{head}: går inte att bedöma, {r['without_uncertainty']} saknar {lacks}"
    return f"{head}: {_WORDS[status]}"


def survey_table(stats: pd.DataFrame, survey: str) -> pd.DataFrame:
    """One survey's values: indicator, group, year, value, interval, respondents, change in words.

    Parameters
    ----------
    stats : pandas.DataFrame
        :func:`lagesbild.summary.local_surveys.survey_statistics`.
    survey : str
        One of :func:`surveys`.

    Returns
    -------
    pandas.DataFrame
        Text columns ``Indikator``, ``Grupp``, ``År``, ``Värde``, ``95 % KI``, ``Svarande``,
        ``Förändring`` and, when a row of the survey has a note, ``Anmärkning``; "–" where a value
        is missing. A computed (Wilson) interval is marked "(beräknat)".

    Examples
    --------
    >>> data = ls.load_local_surveys(ls.EXAMPLE_LOCAL_SURVEYS, "2080")
    >>> t = survey_table(ls.survey_statistics(data.results), "LUPP")
    >>> [v.replace("\\xa0", " ") for v in t.iloc[1].tolist()]
    ['Andel som känner sig otrygga i centrum på kvällen', 'Åk 8', '2023', '27,5 %', '24,1–31,2 (beräknat)', '602', '+5,5 procentenheter sedan 2019: tydlig ökning']
    """
    rows = stats[stats["enkat"] == survey]
    table = pd.DataFrame({
        "Indikator": rows["indikator"].astype(str),
        "Grupp": rows["grupp"].astype(str),
        "År": rows["year"].map(lambda y: str(int(y))),
        "Värde": [_value(r) for _, r in rows.iterrows()],
        "95 % KI": [_interval(r) for _, r in rows.iterrows()],
        "Svarande": rows["respondents"].map(lambda n: fmt.number(n, 0, missing="–")),
        "Förändring": [change_text(r) for _, r in rows.iterrows()],
    })
    if (rows["anmarkning"] != "").any():
        table["Anmärkning"] = rows["anmarkning"].where(rows["anmarkning"] != "", "–").astype(str)
    return table.reset_index(drop=True)


def survey_caption(stats: pd.DataFrame, survey: str, name: str) -> str:
    """The caption of one survey's table.

    Examples
    --------
    >>> s = pd.DataFrame({"enkat": ["LUPP", "LUPP"], "year": [2019, 2023]})
    >>> survey_caption(s, "LUPP", "Falun")
    'LUPP i Falun 2019 och 2023: värde per indikator, grupp och år med 95 % konfidensintervall, antal svarande och förändring sedan föregående mätning.'
    """
    years = sorted({int(y) for y in stats.loc[stats["enkat"] == survey, "year"]})
    return (f"{survey} i {name} {join(years)}: värde per indikator, grupp och år med 95 % konfidensintervall, antal "
            "svarande och förändring sedan föregående mätning.")


def survey_source(data: ls.LocalSurveys, stats: pd.DataFrame, survey: str) -> str:
    """The source line of one survey's table: its publishers, and the files it was read from.

    Examples
    --------
    >>> data = ls.load_local_surveys(ls.EXAMPLE_LOCAL_SURVEYS, "2080")
    >>> survey_source(data, ls.survey_statistics(data.results), "LUPP")
    'Falu kommun, LUPP (påhittade exempeldata; lokala_enkater/lupp_falun.csv)'
    """
    rows = stats[stats["enkat"] == survey]
    publishers = join(dict.fromkeys(rows["utgivare"]))
    folder = data.folder.name if data.folder is not None else ""
    files = ", ".join(f"{folder}/{f}" if folder else f for f in dict.fromkeys(rows["file"]))
    note = f"påhittade exempeldata; {files}" if data.example else files
    return f"{publishers}, {survey} ({note})"


def _latest(stats: pd.DataFrame, survey: str) -> pd.DataFrame:
    """The latest row of each indicator and group of a survey."""
    rows = stats[stats["enkat"] == survey]
    return rows.groupby([rows["indikator"], rows["grupp"]], sort=False).tail(1)


def change_points(stats: pd.DataFrame, survey: str) -> list[str]:
    """A sentence per clear change at the latest measurement of each indicator and group, or one that says there is none.

    Parameters
    ----------
    stats : pandas.DataFrame
        :func:`lagesbild.summary.local_surveys.survey_statistics`.
    survey : str

    Returns
    -------
    list of str
        Empty when no indicator has an earlier measurement.

    Examples
    --------
    >>> data = ls.load_local_surveys(ls.EXAMPLE_LOCAL_SURVEYS, "2080")
    >>> for p in change_points(ls.survey_statistics(data.results), "LUPP"):
    ...     print(p.replace("\\xa0", " "))
    Andel som känner sig otrygga i centrum på kvällen (Åk 8) ökade från 22,0 % 2019 till 27,5 % 2023, en tydlig ökning med 5,5 procentenheter (p = 0,025; 95 % konfidensintervall för ökningen 0,7–10,3 procentenheter). Skillnaden är större än vad slumpen i urvalet brukar ge.
    Övriga förändringar sedan föregående mätning går inte att skilja från slumpen.
    """
    latest = _latest(stats, survey)
    compared = latest[latest["change_status"] != ls.NO_PREVIOUS]
    if compared.empty:
        return []
    points = []
    for _, r in compared.iterrows():
        if r["change_status"] not in (ls.INCREASE, ls.DECREASE):
            continue
        up = r["change_status"] == ls.INCREASE
        decimals = 1 if _is_share(r) else 2
        unit = " procentenheter" if _is_share(r) else ""
        before = fmt.percent(r["previous_value"], 1) if _is_share(r) else fmt.number(r["previous_value"], 2)
        after = fmt.percent(r["value"], 1) if _is_share(r) else fmt.number(r["value"], 2)
        scale = "" if _is_share(r) else f" (skala {_scale(r)})"
        low, high = (r["change_low"], r["change_high"]) if up else (-r["change_high"], -r["change_low"])
        points.append(
            f"{r['indikator']}{scale} ({r['grupp']}) {'ökade' if up else 'minskade'} från {before} "
            f"{int(r['previous_year'])} till {after} {int(r['year'])}, en tydlig {'ökning' if up else 'minskning'} med "
            f"{fmt.number(abs(r['change']), decimals)}{unit} ({fmt.pvalue(r['change_p'])}; 95 % konfidensintervall för "
            f"{'ökningen' if up else 'minskningen'} {fmt.number(low, decimals)}–{fmt.number(high, decimals)}{unit}). "
            "Skillnaden är större än vad slumpen i urvalet brukar ge.")
    unknown = compared[compared["change_status"] == ls.UNKNOWN_CHANGE]
    unclear = compared[compared["change_status"] == ls.NO_CLEAR_CHANGE]
    rest = []
    if len(unclear):
        rest.append("går inte att skilja från slumpen")
    if len(unknown):
        rest.append("går inte att bedöma, eftersom ett av åren saknar uppgift om osäkerheten")
    if rest:
        lead = ("Övriga förändringar sedan föregående mätning" if points
                else "Ingen förändring sedan föregående mätning är tydlig: förändringarna")
        points.append(f"{lead} {' eller '.join(rest)}.")
    return points


__all__ = ["TEMPLATE_FOLDER", "change_points", "change_text", "example_text", "method_text", "survey_caption",
           "survey_source", "survey_table", "surveys", "template_text"]
