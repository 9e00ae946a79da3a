"""Texts and tables of the project evaluation report: "did it work?", answered without over-claiming.

The statistics are in :mod:`lagesbild.evaluation` and the registers, areas and counts in
:mod:`lagesbild.projects`. This module turns their results into Swedish sentences, a verdict and
display tables for ``notebooks/project_evaluation.ipynb``. Counts per area and period are
place-level incident data: they are published through :mod:`lagesbild.privacy` (never 1 or 2).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lagesbild import fmt, privacy
from lagesbild.paths import DATA, PROJ_ROOT

#: The bundled example projects and commitments, used when no folder is given.
EXAMPLE_PROJECTS = DATA / "example" / "projects"

#: Swedish names of the four areas, in drawing order.
AREA_NAMES = {"behandlat": "Behandlat område", "förskjutning": "Närområde (förskjutning)",
              "kontroll": "Kontrollområde", "kontrollförskjutning": "Kontrollområdets närområde"}


def project_folder(project_data: str) -> Path:
    """The folder of project data a report reads: the given one (relative to the project), or the example.

    Examples
    --------
    >>> project_folder("") == EXAMPLE_PROJECTS, project_folder("indata/projekt") == PROJ_ROOT / "indata" / "projekt"
    (True, True)
    """
    if not str(project_data).strip():
        return EXAMPLE_PROJECTS
    path = Path(str(project_data).strip()).expanduser()
    return path if path.is_absolute() else PROJ_ROOT / path


def _signed(x: float, decimals: int = 0) -> str:
    text = fmt.number(x, decimals)
    return f"+{text}" if round(x, decimals) > 0 else text


def wdd_text(res) -> str:
    """The Weighted Displacement Difference in words, with its interval and what it can and cannot say.

    Examples
    --------
    >>> from lagesbild import evaluation
    >>> text = wdd_text(evaluation.wdd((120, 80), (100, 110))).replace("\xa0", " ")  # −50 ± 1,96 × √410
    >>> text[text.index("50 färre"):]
    '50 färre brott och händelser i det behandlade området än väntat (95 % konfidensintervall −90 till −10). Skillnaden är statistiskt säkerställd.'
    """
    level = fmt.percent(100 * (1 - res.alpha))
    interval = f"({level} konfidensintervall {fmt.number(res.ci_low)} till {fmt.number(res.ci_high)})"
    if res.too_few:
        return ("Det behandlade området har för få händelser för att effekten ska gå att bedöma "
                f"(skattning {_signed(res.estimate)} {interval}).")
    if res.estimate < 0:
        what = f"{fmt.number(-res.estimate)} färre brott och händelser i det behandlade området än väntat"
    elif res.estimate > 0:
        what = f"{fmt.number(res.estimate)} fler brott och händelser i det behandlade området än väntat"
    else:
        what = "lika många brott och händelser i det behandlade området som väntat"
    verdict = ("Skillnaden är statistiskt säkerställd." if res.detectable
               else "Skillnaden kan bero på slumpen: intervallet rymmer både en minskning och ingen effekt alls."
               if res.ci_low < 0 < res.ci_high else "Skillnaden är inte statistiskt säkerställd.")
    return f"Jämfört med utvecklingen i kontrollområdet blev det {what} {interval}. {verdict}"


def treated_text(res) -> str:
    """The treated area alone (E-test), in words.

    Examples
    --------
    >>> from lagesbild import evaluation
    >>> treated_text(evaluation.treated_only(40, 20)).startswith("I det behandlade området minskade")
    True
    """
    if res.too_few:
        return (f"I det behandlade området är händelserna för få ({privacy.small_total(res.count_before)} före, "
                f"{privacy.small_total(res.count_after)} efter) för att säga något om förändringen.")
    direction = "minskade" if res.rate_ratio < 1 else "ökade" if res.rate_ratio > 1 else "var oförändrade"
    text = (f"I det behandlade området {direction} händelserna från {privacy.small_total(res.count_before)} till "
            f"{privacy.small_total(res.count_after)} ({_signed(res.change_pct)} % per år räknat).")
    if res.detectable:
        text += " Förändringen är statistiskt säkerställd (E-test), men utan jämförelse säger den inte om projektet var orsaken."
    else:
        text += " Förändringen är inte statistiskt säkerställd (E-test)."
    return text


def wdq_text(res) -> str:
    """The Weighted Displacement Quotient's reading and the total net effect.

    Examples
    --------
    >>> from lagesbild import evaluation
    >>> wdq_text(evaluation.wdq((120, 80), (100, 110), (60, 50))).startswith("Förskjutningskvoten (WDQ)")
    True
    """
    from lagesbild.evaluation import WDQ_READINGS

    reading = WDQ_READINGS[res.reading]
    if res.wdq != res.wdq:  # NaN: cannot be read
        return f"Förskjutningskvoten (WDQ) går inte att läsa: {reading[0].lower()}{reading[1:]}"
    return (f"Förskjutningskvoten (WDQ) är {fmt.number(res.wdq, 2)}: {reading[0].lower()}{reading[1:]} "
            f"Den totala nettoeffekten är {_signed(res.total_net_effect, 1)} händelser (positivt betyder färre "
            "händelser, Bowers & Johnson 2003). Kvoten har inget konfidensintervall: läs den som en beskrivning.")


def rtm_text(check) -> str | None:
    """A warning about regression to the mean, or None when the before period was not a peak.

    Examples
    --------
    >>> from lagesbild import evaluation
    >>> s = pd.Series([10, 11, 9, 10, 30])
    >>> rtm_text(evaluation.regression_to_mean(s, 1)).startswith("Observera")
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
    >>> verdict(evaluation.wdd((120, 80), (100, 110)), evaluation.treated_only(120, 80)).startswith("Siffrorna talar för")
    True
    >>> verdict(evaluation.wdd((12, 10), (10, 11)), evaluation.treated_only(12, 10)).startswith("Det går inte")
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


STATUS_ORDER = ("uppfyllt", "delvis uppfyllt", "ej uppfyllt", "kan ej bedömas")


def commitments_table(commitments: pd.DataFrame, today=None, alpha: float = 0.05) -> pd.DataFrame:
    """Every commitment with its status and the reason, judged by :func:`lagesbild.evaluation.commitment_status`.

    Examples
    --------
    >>> c = pd.DataFrame({"atagande_id": ["A"], "ar": [2025], "text": ["Minst 900 timmar polis"], "agare": ["polis"],
    ...                   "typ": ["minst"], "mal": [900.0], "enhet": ["timmar"], "deadline": [pd.Timestamp("2025-12-31")],
    ...                   "utfall": ["950"], "fore": [float("nan")], "efter": [float("nan")]})
    >>> commitments_table(c, today=pd.Timestamp("2026-01-15"))[["Åtagande", "Status"]].values.tolist()
    [['Minst 900 timmar polis', 'uppfyllt']]
    """
    from lagesbild import evaluation

    rows = []
    for r in commitments.itertuples():
        outcome = r.utfall
        if isinstance(outcome, str) and outcome.strip() == "":
            outcome = None
        kind = r.typ
        if kind in ("minst", "högst") and outcome is not None:
            outcome = float(str(outcome).replace(",", ".").replace("\u00a0", "").replace(" ", ""))
        target = None if r.mal != r.mal else r.mal
        before = None if getattr(r, "fore", float("nan")) != getattr(r, "fore", float("nan")) else int(r.fore)
        after = None if getattr(r, "efter", float("nan")) != getattr(r, "efter", float("nan")) else int(r.efter)
        if kind in ("minska", "öka"):
            outcome = None
        status = evaluation.commitment_status(kind, target, outcome, deadline=r.deadline, today=today,
                                              before=before, after=after, alpha=alpha)
        rows.append({"År": int(r.ar), "Åtagande": r.text, "Ägare": r.agare, "Status": status.status,
                     "Skäl": status.reason})
    return pd.DataFrame(rows, columns=["År", "Åtagande", "Ägare", "Status", "Skäl"])
