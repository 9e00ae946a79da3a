"""Texts and tables of the project evaluation report: "did it work?", answered without over-claiming.

The statistics are in :mod:`lagesbild.stats.effects`, :mod:`lagesbild.stats.treated`,
:mod:`lagesbild.stats.surveys` and :mod:`lagesbild.stats.commitments`, and the registers, areas and counts in
:mod:`lagesbild.projects.data`. This module turns their results into Swedish sentences, a verdict and
display tables for ``notebooks/project_evaluation.ipynb``. Counts per area and period are
place-level incident data: they are published through :mod:`lagesbild.core.privacy` (never 1 or 2).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lagesbild.core import fmt, privacy
from lagesbild.core.fmt import plain
from lagesbild.core.paths import DATA
from lagesbild.text import caveats as register

#: The bundled example projects and commitments, used when no folder is given.
EXAMPLE_PROJECTS = DATA / "example" / "projects"

#: Swedish names of the four areas, in drawing order.
AREA_NAMES = {"behandlat": "Behandlat område", "förskjutning": "Närområde (förskjutning)",
              "kontroll": "Kontrollområde", "kontrollförskjutning": "Kontrollområdets närområde"}


def project_folder(project_data: str) -> Path:
    """The folder of project data a report reads: the given one (relative to the project), or the example.

    Examples
    --------
    >>> from lagesbild.core.paths import PROJ_ROOT
    >>> project_folder("") == EXAMPLE_PROJECTS, project_folder("indata/projekt") == PROJ_ROOT / "indata" / "projekt"
    (True, True)
    """
    from lagesbild.core.paths import input_folder

    return input_folder(project_data, EXAMPLE_PROJECTS)


def _signed(x: float, decimals: int = 0) -> str:
    """A number with "+" when it is positive *as printed* (fmt.number rounds halves away from zero)."""
    text = fmt.number(x, decimals)
    return f"+{text}" if x > 0 and text.strip("0,") != "" else text


def _interval(low: float, high: float) -> str:
    """Interval limits in whole numbers, or with one decimal when a limit would print as a misleading 0."""
    decimals = 1 if any(v != 0 and fmt.number(v) in ("0", "−0") for v in (low, high)) else 0
    return f"{fmt.number(low, decimals)} till {fmt.number(high, decimals)}"


def wdd_text(res) -> str:
    """The Weighted Displacement Difference in words, with its interval and what it can and cannot say.

    Examples
    --------
    >>> from lagesbild import evaluation
    >>> text = wdd_text(evaluation.wdd((120, 80), (100, 110))).replace("\xa0", " ")  # −50 ± 1,96 × √410
    >>> text[text.index("50 händelser"):]
    '50 händelser färre i det behandlade området än väntat (95 % konfidensintervall −90 till −10). Skillnaden är statistiskt säkerställd.'
    """
    level = fmt.percent(100 * (1 - res.alpha))
    interval = f"({level} konfidensintervall {_interval(res.ci_low, res.ci_high)})"
    if res.too_few:
        return ("Det behandlade området har för få händelser för att effekten ska gå att bedöma "
                f"(skattning {_signed(res.estimate)}, {level} konfidensintervall {_interval(res.ci_low, res.ci_high)}).")
    n = abs(res.estimate)
    unit = "händelse" if fmt.number(n) == "1" else "händelser"
    if fmt.number(n) == "0":
        what = "lika många händelser i det behandlade området som väntat"
    elif res.estimate < 0:
        what = f"{fmt.number(n)} {unit} färre i det behandlade området än väntat"
    else:
        what = f"{fmt.number(n)} {unit} fler i det behandlade området än väntat"
    verdict = ("Skillnaden är statistiskt säkerställd." if res.detectable
               else "Skillnaden kan bero på slumpen: intervallet rymmer både en minskning och ingen effekt alls."
               if res.ci_low < 0 < res.ci_high else "Skillnaden är inte statistiskt säkerställd.")
    return f"Jämfört med utvecklingen i kontrollområdet blev det {what} {interval}. {verdict}"


def treated_text(res) -> str:
    """The treated area alone (E-test), in words.

    Examples
    --------
    >>> from lagesbild.stats.treated import treated_only
    >>> treated_text(treated_only(40, 20)).startswith("I det behandlade området minskade")
    True
    """
    if res.too_few:
        return (f"I det behandlade området är händelserna för få ({privacy.small_total(res.count_before)} före, "
                f"{privacy.small_total(res.count_after)} efter) för att säga något om förändringen.")
    small = any(0 < n < privacy.MIN_PUBLISHED for n in (res.count_before, res.count_after))
    counts = f"{privacy.small_total(res.count_before)} före och {privacy.small_total(res.count_after)} efter"
    pct = "" if small else f", {fmt.percent(res.change_pct, signed=True)} per år räknat"  # a % would reveal a masked count
    if res.rate_ratio < 1:
        text = f"I det behandlade området minskade händelserna ({counts}{pct})."
    elif res.rate_ratio > 1:
        text = f"I det behandlade området ökade händelserna ({counts}{pct})."
    else:
        text = f"I det behandlade området var händelserna oförändrade ({counts})."
    if res.detectable:
        text += " Förändringen är statistiskt säkerställd (E-test), men utan jämförelse säger den inte om projektet var orsaken."
    else:
        text += " Förändringen är inte statistiskt säkerställd (E-test)."
    return text


#: What a Weighted Displacement Quotient says, by :attr:`lagesbild.stats.effects.WDQResult.reading`
#: (thresholds as in Bowers & Johnson 2003 and Guerette 2009, appendix C).
WDQ_READINGS = {
    "not_computable": "Kan inte beräknas: kontrollområdet har 0 brott i någon period.",
    "no_success": (
        "Ingen direkt effekt: brotten minskade inte i det behandlade området jämfört med "
        "kontrollområdet, så förskjutning eller spridning av vinster kan inte bedömas."
    ),
    "diffusion_greater": "Spridning av vinster (diffusion) som är större än den direkta effekten.",
    "diffusion": (
        "Spridning av vinster (diffusion) till närområdet, högst lika stor som den direkta effekten."
    ),
    "none": "Varken förskjutning eller spridning av vinster i närområdet.",
    "displacement": (
        "Förskjutning till närområdet, men högst lika stor som den direkta effekten: "
        "insatsen gav ändå en nettovinst."
    ),
    "displacement_greater": "Förskjutning till närområdet som är större än den direkta effekten.",
}

#: The methods of :mod:`lagesbild.stats.effects` in words, by their ``method`` code.
METHOD_TEXTS = {
    "wdd": (
        "Weighted Displacement Difference (Wheeler & Ratcliffe 2018): skillnad i skillnader av antal, "
        "standardfel från Poissonfördelningen (normalapproximation)"
    ),
    "wdd_harm": (
        "Skadeviktad Weighted Displacement Difference (Wheeler 2020): viktad summa av WDD per brottstyp, "
        "varians = summan av vikt² × varians"
    ),
}


def wdq_text(res, direct_detectable: bool = True) -> str:
    """The Weighted Displacement Quotient's reading and the total net effect.

    Without a statistically detectable direct effect (``direct_detectable`` False, from the WDD) the
    quotient describes noise, and the text says it is not to be read.

    Examples
    --------
    >>> from lagesbild import evaluation
    >>> wdq_text(evaluation.wdq((120, 80), (100, 110), (60, 50))).startswith("Förskjutningskvoten (WDQ)")
    True
    >>> wdq_text(evaluation.wdq((13, 17), (10, 14), (19, 15)), direct_detectable=False)[:60]
    'Förskjutningskvoten (WDQ) tolkas inte: det finns ingen säker'
    """
    reading = WDQ_READINGS[res.reading]
    if res.wdq != res.wdq:  # NaN: cannot be read
        return f"Förskjutningskvoten (WDQ) går inte att läsa: {reading[0].lower()}{reading[1:]}"
    if not direct_detectable:
        return ("Förskjutningskvoten (WDQ) tolkas inte: det finns ingen säkerställd direkt effekt i det behandlade "
                f"området, så en kvot ({fmt.number(res.wdq, 2)}) mellan närområdets och områdets förändring beskriver "
                "mest slumpvariation.")
    return (f"Förskjutningskvoten (WDQ) är {fmt.number(res.wdq, 2)}: {reading[0].lower()}{reading[1:]} "
            f"Den totala nettoeffekten är {_signed(res.total_net_effect, 1)} händelser (positivt betyder färre "
            "händelser; kvoten enligt Bowers & Johnson 2003, nettoeffekten enligt Guerette 2009). Kvoten har inget "
            "konfidensintervall: läs den som en beskrivning.")


def rtm_text(check) -> str | None:
    """A warning about regression to the mean, or None when the before period was not a peak.

    Examples
    --------
    >>> from lagesbild.stats.treated import regression_to_mean
    >>> s = pd.Series([10, 11, 9, 10, 30])
    >>> rtm_text(regression_to_mean(s, 1)).startswith("Observera")
    True
    """
    if check is None or not check.warning:
        return None
    return ("Observera: perioden före projektet hade fler händelser än perioderna innan "
            f"(medel {fmt.number(check.before_mean, 1)} mot {fmt.number(check.earlier_mean, 1)}). Om platsen valdes just "
            "för att händelserna var många kan de minska av sig själva efteråt (regression mot medelvärdet); en del av "
            "en minskning kan då bero på det och inte på projektet.")


def verdict(wdd_res, treated_res, rtm_check=None) -> str:
    """The plain-Swedish verdict: what the numbers carry, never more.

    Examples
    --------
    >>> from lagesbild import evaluation
    >>> from lagesbild.stats.treated import treated_only
    >>> verdict(evaluation.wdd((120, 80), (100, 110)), treated_only(120, 80)).startswith("Siffrorna talar för")
    True
    >>> verdict(evaluation.wdd((12, 10), (10, 11)), treated_only(12, 10)).startswith("Det går inte")
    True
    """
    if wdd_res is None:
        if treated_res is None or treated_res.too_few:
            return "Det går inte att säga om projektet fungerade: underlaget har för få händelser och inget kontrollområde."
        return ("Utan kontrollområde går det inte att skilja projektets effekt från den allmänna utvecklingen. "
                + treated_text(treated_res))
    if wdd_res.too_few:
        return "Det går inte att säga om projektet fungerade: det behandlade området har för få händelser."
    caveat = " Men perioden före var ovanligt hög, så en del kan vara regression mot medelvärdet." if (
        rtm_check is not None and rtm_check.warning) else ""
    if wdd_res.detectable and wdd_res.estimate < 0:
        return ("Siffrorna talar för att händelserna minskade mer i det behandlade området än i kontrollområdet under "
                f"samma tid. Det stöder att projektet bidrog, men bevisar det inte: annat kan ha ändrats samtidigt.{caveat}")
    if wdd_res.detectable and wdd_res.estimate > 0:
        return ("Händelserna ökade mer i det behandlade området än i kontrollområdet. Siffrorna ger inget stöd för att "
                "projektet minskade dem; det kan finnas förklaringar utanför projektet, till exempel mer rapportering.")
    return ("Det går inte att säga att projektet minskade händelserna: skillnaden mot kontrollområdet kan bero på "
            f"slumpen. Det betyder inte att projektet saknade effekt, bara att underlaget inte räcker för att visa den.{caveat}")


def effect_rows(wdd_res) -> pd.DataFrame:
    """The estimates for the interval chart: the local effect and, with displacement areas, the displacement and total.

    Examples
    --------
    >>> from lagesbild import evaluation
    >>> effect_rows(evaluation.wdd((120, 80), (100, 110), (60, 50), (80, 85)))["label"].tolist()
    ['Behandlat område', 'Närområde (förskjutning)', 'Totalt (WDD)']
    """
    from scipy.stats import norm

    z = norm.ppf(1 - wdd_res.alpha / 2)
    rows = [{"label": "Behandlat område", "estimate": wdd_res.local_estimate,
             "ci_low": wdd_res.local_estimate - z * wdd_res.local_se,
             "ci_high": wdd_res.local_estimate + z * wdd_res.local_se}]
    if wdd_res.displacement_estimate == wdd_res.displacement_estimate:  # not NaN
        rows.append({"label": "Närområde (förskjutning)", "estimate": wdd_res.displacement_estimate,
                     "ci_low": wdd_res.displacement_estimate - z * wdd_res.displacement_se,
                     "ci_high": wdd_res.displacement_estimate + z * wdd_res.displacement_se})
        rows.append({"label": "Totalt (WDD)", "estimate": wdd_res.estimate, "ci_low": wdd_res.ci_low,
                     "ci_high": wdd_res.ci_high})
    return pd.DataFrame(rows)


def counts_display(counts: pd.DataFrame, projekt_id: str) -> pd.DataFrame:
    """Events per area and period for one project, masked (never 1 or 2), areas in drawing order.

    Examples
    --------
    >>> c = pd.DataFrame({"projekt_id": "P", "roll": ["behandlat", "behandlat", "kontroll", "kontroll"],
    ...                   "period": ["före", "efter"] * 2, "kategori": "alla", "antal": [40, 2, 30, 31]})
    >>> counts_display(c, "P").values.tolist()
    [['Behandlat område', 40, 'färre än 3'], ['Kontrollområde', 30, 31]]
    """
    c = counts[(counts["projekt_id"] == projekt_id) & (counts["kategori"] == "alla")]
    wide = c.pivot_table(index="roll", columns="period", values="antal", aggfunc="sum", fill_value=0)
    wide = wide.reindex([r for r in AREA_NAMES if r in wide.index])
    out = pd.DataFrame({"Område": [AREA_NAMES[r] for r in wide.index],
                        "Före": privacy.mask_small(wide.get("före", pd.Series(0, index=wide.index))).to_numpy(),
                        "Efter": privacy.mask_small(wide.get("efter", pd.Series(0, index=wide.index))).to_numpy()})
    privacy.assert_publishable(out[["Före", "Efter"]], "händelser per område och period")
    return out


def pair(counts: pd.DataFrame, projekt_id: str, roll: str) -> tuple[int, int] | None:
    """(before, after) counts of one area, or None when the project has no such area.

    Examples
    --------
    >>> c = pd.DataFrame({"projekt_id": "P", "roll": ["behandlat", "behandlat"], "period": ["före", "efter"],
    ...                   "kategori": "alla", "antal": [40, 25]})
    >>> pair(c, "P", "behandlat"), pair(c, "P", "kontroll")
    ((40, 25), None)
    """
    rows = counts[(counts["projekt_id"] == projekt_id) & (counts["roll"] == roll) & (counts["kategori"] == "alla")]
    if rows.empty:
        return None
    by = rows.groupby("period")["antal"].sum()
    return int(by.get("före", 0)), int(by.get("efter", 0))


#: The report's word for each commitment status of :func:`lagesbild.stats.commitments.commitment_status`.
STATUS_WORDS = {"met": "uppfyllt", "partly_met": "delvis uppfyllt", "not_met": "ej uppfyllt",
                "not_assessable": "kan ej bedömas"}
STATUS_ORDER = tuple(STATUS_WORDS.values())


def _num(x: float) -> str:
    """A number for a sentence: no trailing zeros, at most two decimals."""
    text = fmt.number(x, 2)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


def _pct(share: float) -> str:
    """A share as a percentage; never rounded onto the partial-share limit from either side."""
    from lagesbild.stats.commitments import PARTIAL_SHARE

    for decimals in range(6):
        if share == PARTIAL_SHARE or round(100.0 * share, decimals) != 100.0 * PARTIAL_SHARE:
            break
    return fmt.percent(100.0 * share, decimals)


def _missing_reason(what: str, deadline, today) -> str:
    if deadline is None:
        return f"{what} saknas."
    if today > deadline:
        return f"{what} saknas, och tidsfristen ({fmt.day(deadline)}) har passerat."
    return f"{what} saknas ännu; tidsfristen ({fmt.day(deadline)}) har inte passerat."


_MISSING = {"missing_outcome": "Utfall", "missing_before": "Antal före insatsen",
            "missing_after": "Antal efter insatsen", "missing_counts": "Antal före och efter insatsen"}


def _threshold_reason(s) -> str:
    """Why a "minst"/"högst" commitment has its status."""
    from lagesbild.stats.commitments import PARTIAL_SHARE

    at_least = s.kind == "minst"
    goal = f"målet ({'minst' if at_least else 'högst'} {_num(s.target)})"
    if s.reason == "reached":
        return f"Utfallet {_num(s.outcome)} {'når' if at_least else 'håller sig inom'} {goal}."
    if s.baseline is not None:
        partial_text = (f"motsvarar {_pct(s.share)} av den planerade förändringen från {_num(s.baseline)} till "
                        f"{_num(s.target)}")
    elif s.share != s.share:  # NaN: no share to show
        partial_text = ""
    elif at_least:
        partial_text = f"är {_pct(s.share)} av målvärdet"
    else:
        partial_text = f"målvärdet är {_pct(s.share)} av utfallet"
    missed = f"Utfallet {_num(s.outcome)} {'når inte' if at_least else 'ligger över'} {goal}"
    rule = f"delvis uppfyllt kräver minst {_pct(PARTIAL_SHARE)}"
    if s.reason == "partly_reached":
        return f"{missed}, men {partial_text}; {rule}."
    if partial_text:
        return f"{missed} och {partial_text}; {rule}."
    return f"{missed}."


def _count_reason(s) -> str:
    """Why a "minska"/"öka" commitment has its status (from its E-test)."""
    from lagesbild.stats.counts import MIN_TOTAL_COUNT

    r = s.change
    counts = f"{_num(r.count_before)} före och {_num(r.count_after)} efter"
    if r.years_before != r.years_after:
        counts += f" (perioder på {_num(r.years_before)} och {_num(r.years_after)} år)"
    if s.reason == "too_few":
        return (f"För få händelser ({counts}) för att bedöma en förändring; minst {MIN_TOTAL_COUNT} "
                "behövs sammanlagt.")
    down = s.kind == "minska"
    noun = "minskning" if down else "ökning"
    change = fmt.percent(r.change_pct, 0, signed=True)
    if s.reason == "unchanged":
        return f"Antalet är oförändrat ({counts})."
    if s.reason == "wrong_direction":
        return f"Antalet {'ökade' if down else 'minskade'} ({counts}, {change})."
    verb = "minskade" if down else "ökade"
    if s.reason == "not_detectable":
        return (f"Antalet {verb} ({counts}, {change}), men {noun}en är inte statistiskt säkerställd "
                f"({fmt.pvalue(r.p_value)}) och kan vara slumpmässig.")
    if s.reason == "short_of_target":
        return (f"Antalet {verb} påvisbart ({counts}, {change}, {fmt.pvalue(r.p_value)}), men målet var "
                f"en {noun} med minst {fmt.percent(s.target, 0)}.")
    return f"Antalet {verb} ({counts}, {change}); {noun}en är statistiskt säkerställd ({fmt.pvalue(r.p_value)})."


def commitment_reason(status) -> str:
    """The Swedish reason for a commitment's status, as the report's "Skäl" column shows it.

    When the commitment is not met (and could be judged) and its deadline has not passed, the reason
    ends by saying that the judgement is preliminary.

    Parameters
    ----------
    status : lagesbild.stats.commitments.CommitmentStatus
        From :func:`lagesbild.stats.commitments.commitment_status`.

    Returns
    -------
    str
        One or two sentences of plain text.

    Examples
    --------
    >>> from lagesbild.stats.commitments import commitment_status
    >>> commitment_reason(commitment_status("minst", 10, 12))
    'Utfallet 12 når målet (minst 10).'
    >>> print(commitment_reason(commitment_status("minska", None, None, before=60, after=30)).replace("\\u2212", "-").replace("\\u00a0", " "))
    Antalet minskade (60 före och 30 efter, -50 %); minskningen är statistiskt säkerställd (p = 0,001).
    >>> commitment_reason(commitment_status("ja/nej", None, None, deadline="2025-06-30", today="2025-09-01"))
    'Utfall saknas, och tidsfristen (30 juni 2025) har passerat.'
    >>> commitment_reason(commitment_status("ja/nej", None, "nej", deadline="2026-06-30", today="2025-09-01"))
    'Åtagandet är inte genomfört. Tidsfristen (30 juni 2026) har inte passerat, så bedömningen är preliminär.'
    """
    if status.reason in _MISSING:
        return _missing_reason(_MISSING[status.reason], status.deadline, status.today)
    if status.reason == "done":
        return "Åtagandet är genomfört."
    if status.reason == "not_done":
        text = "Åtagandet är inte genomfört."
    elif status.kind in ("minst", "högst"):
        text = _threshold_reason(status)
    else:
        text = _count_reason(status)
    if status.status not in ("met", "not_assessable") and status.deadline is not None \
            and not status.today > status.deadline:
        text += f" Tidsfristen ({fmt.day(status.deadline)}) har inte passerat, så bedömningen är preliminär."
    return text


def commitments_table(commitments: pd.DataFrame, today=None, alpha: float = 0.05) -> pd.DataFrame:
    """Every commitment with its status and the reason, judged by :func:`lagesbild.stats.commitments.commitment_status`.

    Examples
    --------
    >>> c = pd.DataFrame({"atagande_id": ["A"], "ar": [2025], "text": ["Minst 900 timmar polis"], "agare": ["polis"],
    ...                   "typ": ["minst"], "mal": [900.0], "enhet": ["timmar"], "deadline": [pd.Timestamp("2025-12-31")],
    ...                   "utfall": ["950"], "fore": [float("nan")], "efter": [float("nan")]})
    >>> commitments_table(c, today=pd.Timestamp("2026-01-15"))[["Åtagande", "Status"]].values.tolist()
    [['Minst 900 timmar polis', 'uppfyllt']]
    >>> c2 = c.assign(typ="ja/nej", mal=float("nan"), utfall=1.0, text="Trygghetsvandring")
    >>> commitments_table(c2, today=pd.Timestamp("2026-01-15"))["Status"].tolist()
    ['uppfyllt']
    """
    from lagesbild.stats.commitments import commitment_status

    rows = []
    for r in commitments.itertuples():
        outcome = r.utfall
        kind = r.typ
        if outcome is None or (isinstance(outcome, float) and outcome != outcome) or \
                (isinstance(outcome, str) and not outcome.strip()):
            outcome = None  # not reported yet
        elif kind == "ja/nej":  # the register stores ja/nej as 1/0
            outcome = outcome.strip().lower() if isinstance(outcome, str) else ("ja" if float(outcome) == 1 else "nej")
        elif kind in ("minst", "högst"):
            outcome = float(str(outcome).replace(",", ".").replace("\u00a0", "").replace(" ", ""))
        target = None if r.mal != r.mal else r.mal
        before = None if getattr(r, "fore", float("nan")) != getattr(r, "fore", float("nan")) else int(r.fore)
        after = None if getattr(r, "efter", float("nan")) != getattr(r, "efter", float("nan")) else int(r.efter)
        if kind in ("minska", "öka"):
            outcome = None
        status = commitment_status(kind, target, outcome, deadline=r.deadline, today=today,
                                   before=before, after=after, alpha=alpha)
        rows.append({"År": str(int(r.ar)), "Åtagande": r.text, "Ägare": r.agare, "Status": STATUS_WORDS[status.status],
                     "Skäl": commitment_reason(status)})
    return pd.DataFrame(rows, columns=["År", "Åtagande", "Ägare", "Status", "Skäl"])


class ProjectResult:
    """Everything the report shows for one project, from :func:`evaluate_project` (attributes documented there)."""

    def __init__(self, **values) -> None:
        self.__dict__.update(values)


#: Before and after periods whose lengths differ by more than this many days are compared per year.
SAME_LENGTH_DAYS = 7


def evaluate_project(row, place_data, *, buffer_m: int = 250, alpha: float = 0.05) -> ProjectResult:
    """Areas, counts and every estimate for one project row of :func:`lagesbild.projects.data.load_project_folder`.

    Events are the place data's incident log and citizen reports (:func:`lagesbild.places.analysis.combined_events`).
    When the before and after periods differ in length by more than :data:`SAME_LENGTH_DAYS`, the WDD is
    computed per year (time weights) and says so.

    Returns
    -------
    ProjectResult
        ``row``, ``areas`` (GeoDataFrame), ``notes`` (Swedish notes on the areas), ``periods``, ``counts``
        (raw: mask before publishing), ``pairs`` (dict role → (before, after)), ``wdd`` (None without a
        control area), ``wdq`` (None without control or when not computable), ``treated`` (E-test),
        ``rtm`` (regression-to-the-mean check or None), ``per_year`` (bool), ``has_events`` (bool),
        ``small_counts`` (bool: an area has 1 or 2 events in a period; then no estimate may be published,
        since an estimate and the other counts would give the masked count back).

    Examples
    --------
    >>> from lagesbild import placedata, projects, place
    >>> pdata = placedata.load_place_data(place.EXAMPLE_PLACES, "1283")
    >>> proj = projects.load_project_folder(EXAMPLE_PROJECTS, "1283", places=pdata.places)
    >>> r = evaluate_project(proj.projects.iloc[0], pdata)
    >>> r.pairs["behandlat"], r.wdd is not None  # incidents and citizen reports
    ((13, 17), True)
    """
    from lagesbild.places import analysis as place
    from lagesbild.projects.areas import count_events, project_areas, project_periods
    from lagesbild.stats import effects as evaluation
    from lagesbild.stats.treated import treated_only

    places = place_data.places if place_data is not None else None
    areas = project_areas(row, places, buffer_m=buffer_m)
    periods = project_periods(row)
    events = (place.combined_events(place_data.incidents, place_data.citizen_reports) if place_data is not None
              else place.combined_events(None, None))
    counts = count_events(areas, events, periods, places=places)
    pairs = {r: pair(counts, row["projekt_id"], r) for r in AREA_NAMES}
    pairs = {k: v for k, v in pairs.items() if v is not None}
    days = (int(row["fore_dagar"]), int(row["efter_dagar"]))
    per_year = abs(days[0] - days[1]) > SAME_LENGTH_DAYS
    weights = (days[0] / 365.25, days[1] / 365.25) if per_year else None
    treated = pairs.get("behandlat", (0, 0))
    w = q = None
    if "kontroll" in pairs:
        displacement = pairs.get("förskjutning") if "kontrollförskjutning" in pairs else None
        w = evaluation.wdd(treated, pairs["kontroll"], displacement,
                           pairs.get("kontrollförskjutning") if displacement else None, alpha, time_weights=weights)
        if "förskjutning" in pairs:
            q = evaluation.wdq(treated, pairs["kontroll"], pairs["förskjutning"], pairs.get("kontrollförskjutning"))
    t = treated_only(treated[0], treated[1], alpha, years_before=days[0] / 365.25,
                     years_after=days[1] / 365.25)
    rtm = _rtm_check(areas, events, row, places)
    small = any(0 < n < privacy.MIN_PUBLISHED for p in pairs.values() for n in p)
    return ProjectResult(row=row, areas=areas, notes=list(areas.attrs.get("notes", [])), periods=periods,
                         counts=counts, pairs=pairs, wdd=w, wdq=q, treated=t, rtm=rtm, per_year=per_year,
                         has_events=len(events) > 0, small_counts=small)


def _rtm_check(areas, events, row, places):
    """Regression to the mean: the treated area's counts in earlier windows as long as the before period."""
    from lagesbild.projects.areas import count_events
    from lagesbild.stats.treated import regression_to_mean

    if not len(events):
        return None
    start, end = pd.Timestamp(row["fore_start"]), pd.Timestamp(row["fore_slut"])
    length = end - start + pd.Timedelta(days=1)
    first = events["tid"].min().normalize()
    windows = {}
    i = 0
    while start - (i + 1) * length >= first:
        i += 1
        windows[f"w{i}"] = (start - i * length, start - i * length + length - pd.Timedelta(days=1))
    if not windows:
        return None
    windows = dict(reversed(list(windows.items())))
    windows["före"] = (start, end)
    treated = areas[areas["roll"] == "behandlat"]
    c = count_events(treated, events, windows, by=None, places=places)
    series = c[c["roll"] == "behandlat"].set_index("period")["antal"].reindex(list(windows)).fillna(0)
    return regression_to_mean(series.reset_index(drop=True), 1)


def project_table(row) -> pd.DataFrame:
    """The project's facts as a two-column table.

    Examples
    --------
    >>> r = {"namn": "Trygg plats", "atgarder": ("belysning", "röjning"), "atgardstyp": "fysisk", "budget_sek": 1_400_000,
    ...      "start": pd.Timestamp("2024-07-01"), "slut": pd.Timestamp("2024-12-31"), "fore_start": pd.Timestamp("2024-01-01"),
    ...      "fore_slut": pd.Timestamp("2024-06-30"), "efter_start": pd.Timestamp("2025-01-01"),
    ...      "efter_slut": pd.Timestamp("2025-06-30")}
    >>> project_table(r).iloc[2].tolist()
    ['Budget', '1\\xa0400\\xa0000 kr']
    """
    measures = row["atgarder"]
    measures = ", ".join(measures) if isinstance(measures, list | tuple) else str(measures)
    return pd.DataFrame({"Uppgift": ["Projekt", "Åtgärder", "Budget", "Genomförande", "Period före", "Period efter"],
                         "Värde": [row["namn"], f"{measures} ({row['atgardstyp']})",
                                   "uppgift saknas" if row["budget_sek"] != row["budget_sek"] or row["budget_sek"] is None
                                   else f"{fmt.number(row['budget_sek'])} kr",
                                   f"{fmt.day(row['start'])} – {fmt.day(row['slut'])}",
                                   f"{fmt.day(row['fore_start'])} – {fmt.day(row['fore_slut'])}",
                                   f"{fmt.day(row['efter_start'])} – {fmt.day(row['efter_slut'])}"]})


def factor_change(inspections: pd.DataFrame | None, place_ids, start, end) -> pd.DataFrame | None:
    """The eight factors at the treated places: the latest round before ``start`` against the latest after ``end``.

    Returns None when there is no round on both sides.

    Examples
    --------
    >>> from lagesbild import factors
    >>> insp = pd.DataFrame({"plats_id": ["P"] * 2, "datum": pd.to_datetime(["2024-03-01", "2025-03-01"]),
    ...     "typ": ["besiktning"] * 2, "roll": ["polis"] * 2, "anteckning": ["", ""],
    ...     **{k: [2.0, 3.0] for k in factors.FACTOR_KEYS}})
    >>> t = factor_change(insp, ["P"], pd.Timestamp("2024-07-01"), pd.Timestamp("2024-12-31"))
    >>> [t.iloc[0, 0], *map(float, t.iloc[0, 1:])]
    ['Omhändertagna miljöer', 2.0, 3.0, 1.0]
    """
    from lagesbild.places import factors

    if inspections is None or not len(inspections):
        return None
    rows = inspections[inspections["plats_id"].isin(list(place_ids))]
    before = rows[rows["datum"] < pd.Timestamp(start)]
    after = rows[rows["datum"] > pd.Timestamp(end)]
    if before.empty or after.empty:
        return None

    def latest_mean(frame: pd.DataFrame) -> pd.Series:
        rounds = factors.inspection_rounds(frame)
        last = rounds.sort_values("datum").groupby("plats_id").tail(1)
        return last[list(factors.FACTOR_KEYS)].mean()

    b, a = latest_mean(before), latest_mean(after)
    return pd.DataFrame({"Faktor": [factors.FACTOR_NAMES[k] for k in factors.FACTOR_KEYS],
                         "Före": b.to_numpy(), "Efter": a.to_numpy(), "Förändring": (a - b).to_numpy()})


def survey_table(surveys: pd.DataFrame | None, projekt_id: str, alpha: float = 0.05) -> pd.DataFrame | None:
    """Survey indices before and after for a project, with the change and its interval.

    Examples
    --------
    >>> s = pd.DataFrame({"projekt_id": ["P", "P"], "index": ["Problemindex"] * 2, "period": ["före", "efter"],
    ...                   "varde": [2.1, 1.7], "ki_lag": [1.8, 1.4], "ki_hog": [2.4, 2.0]})
    >>> row = survey_table(s, "P").iloc[0]
    >>> row["Index"], float(row["Före"]), float(row["Efter"]), row["Säkerställd"]
    ('Problemindex', 2.1, 1.7, 'nej')
    """
    from lagesbild.stats.surveys import survey_change

    if surveys is None or not len(surveys):
        return None
    rows = surveys[surveys["projekt_id"] == projekt_id]
    out = []
    for index, g in rows.groupby("index", sort=False):
        by = g.set_index("period")
        if not {"före", "efter"} <= set(by.index):
            continue
        b, a = by.loc["före"], by.loc["efter"]
        limits = [b["ki_lag"], b["ki_hog"], a["ki_lag"], a["ki_hog"]]
        if any(v is None or v != v for v in limits):  # no interval given: the change cannot be tested
            out.append({"Index": index, "Före": float(b["varde"]), "Efter": float(a["varde"]),
                        "Förändring": float(a["varde"]) - float(b["varde"]), "Konfidensintervall": "–",
                        "Säkerställd": "kan ej bedömas (konfidensintervall saknas)"})
            continue
        ch = survey_change((b["varde"], b["ki_lag"], b["ki_hog"]), (a["varde"], a["ki_lag"], a["ki_hog"]), alpha)
        out.append({"Index": index, "Före": float(b["varde"]), "Efter": float(a["varde"]), "Förändring": ch.difference,
                    "Konfidensintervall": f"{fmt.number(ch.ci_low, 2)} till {fmt.number(ch.ci_high, 2)}",
                    "Säkerställd": "ja" if ch.detectable else "nej"})
    return pd.DataFrame(out) if out else None


def summary_points(results: list, commitments: pd.DataFrame | None, name: str) -> list[str]:
    """The report's summary: one verdict per project and the commitments' statuses.

    Examples
    --------
    >>> summary_points([], None, "Falun")[0].startswith("Falun har inga projekt")
    True
    """
    out = []
    if not results:
        out.append(f"{name} har inga projekt i underlaget att utvärdera.")
    for r in results:
        if getattr(r, "small_counts", False):
            out.append(f"{r.row['namn']}: för få händelser i något område för att skatta effekten.")
        else:
            out.append(f"{r.row['namn']}: {verdict(r.wdd, r.treated, r.rtm)}")
    if commitments is not None and len(commitments):
        counts = commitments["Status"].value_counts()
        parts = [f"{fmt.number(int(counts[s]))} {s}" for s in STATUS_ORDER if s in counts]
        out.append(f"Åtaganden: {', '.join(parts)} (av {fmt.number(len(commitments))}).")
    return out


def check_buffer(buffer_m, where: str = "notebook parameters") -> None:
    """Check the buffer width (1–2000 m) before anything runs; raise a ParamsError naming the key.

    Examples
    --------
    >>> check_buffer(250)
    >>> check_buffer(0)
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.ParamsError: notebook parameters, column 'buffer_m': buffer_m is 0, outside 1–2000. Fix: give the width of the surrounding area in metres, from 1 to 2000.
    """
    from lagesbild.core.errors import ParamsError

    if isinstance(buffer_m, bool) or not isinstance(buffer_m, int | float) or not 1 <= buffer_m <= 2000:
        raise ParamsError(where, f"buffer_m is {plain(buffer_m)}, outside 1–2000",
                          "give the width of the surrounding area in metres, from 1 to 2000", column="buffer_m")


def source_text(proj, folder) -> str:
    """The source line for the projects and commitments.

    Examples
    --------
    >>> source_text(None, EXAMPLE_PROJECTS)
    'Projekt- och åtagandereg. saknas'
    """
    if proj is None:
        return "Projekt- och åtagandereg. saknas"
    what = "påhittade exempeldata" if proj.example else (proj.source or "kommunens egna register")
    return f"Projekt- och åtagandeuppgifter ({what}, {Path(folder).name})"


def events_source(place_data) -> str:
    """The source line for event counts (the place data's incident log and citizen reports).

    Examples
    --------
    >>> events_source(None)
    'Ingen händelselogg'
    """
    if place_data is None:
        return "Ingen händelselogg"
    return ("Händelselogg och medborgarrapporter ("
            + ("påhittade exempeldata" if place_data.example else (place_data.source or "kommunens egna uppgifter")) + ")")


def inspections_source(place_data) -> str:
    """The source line for the factor scores.

    Examples
    --------
    >>> inspections_source(None)
    'Inga besiktningar'
    """
    if place_data is None:
        return "Inga besiktningar"
    return ("Besiktningar och trygghetsvandringar ("
            + ("påhittade exempeldata" if place_data.example else (place_data.source or "kommunens egna uppgifter")) + ")")


def no_projects_text(name: str, folder, proj) -> str:
    """Why a kommun's report has no project to evaluate.

    Examples
    --------
    >>> no_projects_text("Falun", EXAMPLE_PROJECTS, None).startswith("Det finns inga projekt för Falun")
    True
    """
    if Path(folder).resolve() == EXAMPLE_PROJECTS.resolve():
        where = ("De medföljande exempeldata har bara ett projekt i Helsingborg och åtaganden i Helsingborg och Halmstad, "
                 "och ingen egen mapp (project_data) är angiven för kommunen.")
    else:
        where = f"Mappen {Path(folder).name} har inga projekt med kommunens kod."
    return f"Det finns inga projekt för {name} att utvärdera. {where}"


def areas_alt(result, buffer_m: int, reference=None) -> str:
    """The areas map in words; with ``reference``, also the kommun outline and the utsatta områden it shows.

    Parameters
    ----------
    result : ProjectResult
        From :func:`evaluate_project` (``row`` and ``areas``).
    buffer_m : int
        The width of the surrounding areas.
    reference : lagesbild.render.mapref.ReferenceLayers, optional
        The map's reference layers (:func:`lagesbild.render.mapref.reference_text` is added; ``result.areas``
        needs a CRS then).

    Examples
    --------
    >>> class R: areas = pd.DataFrame({"roll": ["behandlat", "förskjutning"]}); row = {"namn": "X"}
    >>> areas_alt(R(), 250)
    'Karta över X: behandlat område och närområde (förskjutning) med en ring på 250 meter runt områdena.'
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from lagesbild.render.mapref import ReferenceLayers
    >>> class G: areas = gpd.GeoDataFrame({"roll": ["behandlat"]}, geometry=[box(0, 0, 100, 100)], crs=3006); row = {"namn": "X"}
    >>> soder = gpd.GeoDataFrame({"name": ["Söder"], "class": ["utsatt"]}, geometry=[box(0, 0, 50, 50)], crs=3006)
    >>> areas_alt(G(), 250, ReferenceLayers(outline=None, areas=soder))
    'Karta över X: behandlat område med en ring på 250 meter runt områdena. Kartan visar också Polisens utsatta område Söder.'
    """
    present = [AREA_NAMES[r].lower() for r in AREA_NAMES if r in set(result.areas["roll"])]
    text = present[0] if len(present) == 1 else ", ".join(present[:-1]) + " och " + present[-1]
    out = f"Karta över {result.row['namn']}: {text} med en ring på {fmt.number(buffer_m)} meter runt områdena."
    if reference is None:
        return out
    from lagesbild.render.mapref import reference_text

    extra = reference_text(reference, result.areas)
    return f"{out} {extra}" if extra else out


def map_source(source: str, reference) -> str:
    """The source line of a project's areas map: the project source, the reference system, the reference layers.

    A map that shows utsatta områden always credits "Polismyndigheten, utsatta områden 2025"
    (:func:`lagesbild.render.mapref.source_with_reference`).

    Examples
    --------
    >>> map_source("Projekt- och åtagandeuppgifter (påhittade exempeldata, projects)", None)
    'Projekt- och åtagandeuppgifter (påhittade exempeldata, projects); områden i SWEREF 99 TM'
    """
    from lagesbild.render.mapref import source_with_reference

    return source_with_reference(f"{source}; områden i SWEREF 99 TM", reference)


#: The processed data the areas maps draw from (the kommun outline and Polisen's utsatta områden).
MAP_KINDS = ("boundaries", "utsatta_omraden")


def provenance_files(ds, proj, place_data, results: list) -> list[dict]:
    """The files the report used, for :func:`lagesbild.render.report.provenance`.

    The kommun table always; with projects also the place data and the data of the maps' reference
    layers (:data:`MAP_KINDS`); the project folder's files when there is one.

    Examples
    --------
    >>> from lagesbild.sources.processed import Dataset
    >>> ds = Dataset(*[None] * 6, files=[{"name": "kommuner.csv", "kinds": ["kommuner"]},
    ...                                  {"name": "kommuner.geojson", "kinds": ["boundaries"]},
    ...                                  {"name": "uso.geojson", "kinds": ["utsatta_omraden"]}])
    >>> [f["name"] for f in provenance_files(ds, None, None, [])]
    ['kommuner.csv']
    >>> [f["name"] for f in provenance_files(ds, None, None, ["ett projekt"])]
    ['kommuner.csv', 'kommuner.geojson', 'uso.geojson']
    """
    return (ds.files_of("kommuner", *(MAP_KINDS if results else ())) + (proj.files if proj is not None else [])
            + (place_data.files if place_data is not None and results else []))


def effect_alt(res) -> str:
    """The effect chart (:func:`effect_rows` drawn by :func:`lagesbild.render.charts.estimate_intervals`) in words.

    Every estimate in the chart with its interval, then what the main one (the total with
    displacement areas, else the treated area's) carries: an interval that spans zero means the
    difference can be chance, never "no effect" (as :func:`verdict`).

    Examples
    --------
    >>> from lagesbild import evaluation
    >>> print(effect_alt(evaluation.wdd((120, 80), (100, 110))).replace("\u00a0", " "))
    Effektskattning med 95 % konfidensintervall, i händelser jämfört med kontrollområdet: behandlat område −50 (−90 till −10). Hela intervallet ligger under noll: färre händelser än kontrollområdet ger anledning att vänta.
    """
    rows = effect_rows(res)

    def signed(v: float) -> str:
        text = fmt.number(v)
        return f"+{text}" if round(v) > 0 else text

    parts = [f"{r.label[0].lower()}{r.label[1:]} {signed(r.estimate)} ({signed(r.ci_low)} till {signed(r.ci_high)})"
             for r in rows.itertuples()]
    several = len(parts) > 1
    head = (f"Effektskattning{'ar' if several else ''} med {fmt.percent(100 * (1 - res.alpha))} konfidensintervall, "
            f"i händelser jämfört med kontrollområdet: {'; '.join(parts)}.")
    which = "för totalen " if several else ""
    if res.detectable and res.estimate < 0:
        tail = f"Hela intervallet {which}ligger under noll: färre händelser än kontrollområdet ger anledning att vänta."
    elif res.detectable and res.estimate > 0:
        tail = f"Hela intervallet {which}ligger över noll: fler händelser än kontrollområdet ger anledning att vänta."
    else:
        tail = f"Intervallet {which}rymmer noll: skillnaden mot kontrollområdet kan bero på slumpen."
    return f"{head} {tail}"


def _score(v) -> str:
    return "–" if v is None or v != v else fmt.number(float(v), 1)


def _change(v) -> str:
    if v is None or v != v:
        return "–"
    text = fmt.number(float(v), 1)
    return f"+{text}" if round(float(v), 1) > 0 else text


#: ``formatters`` for :func:`factor_change` and :func:`survey_table` tables.
FACTOR_FORMAT = {"Före": _score, "Efter": _score, "Förändring": _change}
SURVEY_FORMAT = {"Före": lambda v: fmt.number(v, 2), "Efter": lambda v: fmt.number(v, 2),
                 "Förändring": lambda v: ("+" if round(v, 2) > 0 else "") + fmt.number(v, 2)}


def commitments_intro() -> str:
    """How the commitments are judged.

    Examples
    --------
    >>> "E-test" in commitments_intro()
    True
    """
    from lagesbild.stats.commitments import PARTIAL_SHARE

    return ("Varje åtagande bedöms mot sitt mål: uppfyllt när målet nås, delvis uppfyllt när minst "
            f"{fmt.number(100 * PARTIAL_SHARE)} procent av målet nås, ej uppfyllt annars, och kan ej bedömas när utfall "
            "saknas. Ett mål om att brotten ska minska bedöms med ett statistiskt test (E-test) av antalen före och efter, "
            "inte bara med skillnaden: en minskning som kan bero på slumpen räknas som delvis uppfyllt.")


def caveats(proj, results: list) -> list[str]:
    """The report's caveats.

    Examples
    --------
    >>> any("kontrollområde" in c for c in caveats(None, []))
    True
    """
    out = []
    if proj is not None and proj.example:
        out.append("Projekten, åtagandena och händelserna i rapporten är påhittade exempeldata.")
    out += [register.text("eval_control_area"), register.text("eval_reporting"), register.text("eval_poisson"),
            register.text("small_counts")]
    return out


def key_figures(title: str, cfg, proj, results: list, commitments) -> dict:
    """The report's key figures for ``<report>.json``.

    Examples
    --------
    >>> class C: kommun, name, lan = "2080", "Falun", "Dalarnas län"
    >>> key_figures("t", C(), None, [], None)["projects"]
    []
    """
    return {
        "title": title, "kommun": cfg.kommun, "name": cfg.name, "lan": cfg.lan,
        "example_data": bool(proj is not None and proj.example),
        "projects": [{"id": r.row["projekt_id"], "name": r.row["namn"],
                      "wdd_estimate": None if r.wdd is None or r.small_counts else round(float(r.wdd.estimate), 2),
                      "wdd_ci": (None if r.wdd is None or r.small_counts
                                 else [round(float(r.wdd.ci_low), 2), round(float(r.wdd.ci_high), 2)]),
                      "detectable": None if r.wdd is None or r.small_counts else bool(r.wdd.detectable)}
                     for r in results],
        "commitments": {} if commitments is None else {s: int((commitments["Status"] == s).sum()) for s in STATUS_ORDER},
    }


SMALL_COUNTS_TEXT = (f"Något område har färre än {privacy.MIN_PUBLISHED} händelser i en period. Effekten skattas därför "
                     "inte i rapporten: med så få händelser går inget att säga, och en skattning skulle tillsammans med "
                     "de andra antalen avslöja det dolda antalet.")
