"""The lägesbild summary as a whole: Det viktigaste, what is missing, the caveats, its key figures and provenance.

Lag (2023:196) om kommuners ansvar för brottsförebyggande arbete, 4 §, asks every kommun for a
*lägesbild* over the crime in its area: a mapping (kartläggning) of the crime, its extent and
consequences, other information that matters, and an analysis of both; from it the kommun decides an
*åtgärdsplan*. The summary report (``notebooks/lagesbild.ipynb``) is that lägesbild in the law's
order, built from the four reports of the same run.

This module is the report as a whole: the bullets of "Det viktigaste" (:func:`headline_points`), what
the underlag lacks (:func:`gaps`), the caveats (:func:`caveats`), the key figures the summary publishes
(:func:`key_figures`) and the files behind it (:func:`provenance_files`). The sections' own pieces are in
the other modules of :mod:`lagesbild.summary` (its docstring lists them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from lagesbild.core import fmt
from lagesbild.core.fmt import join
from lagesbild.stats import indicators as ind
from lagesbild.summary.followup import plan_provenance, status_counts
from lagesbild.summary.key_indicators import compare_phrase, key_indicator_counts, key_indicator_figures
from lagesbild.summary.sources import (
    SOURCE_REPORTS,
    TOTAL_CRIME,
    Sources,
    build_command,
    source_figures,
)
from lagesbild.summary.text import built_text
from lagesbild.text import caveats as register


def gaps(sources: Sources, name: str, *, ntu_reason: str = "", trygghet_loaded: bool = False,
         trygghet_example: bool = False, local_loaded: bool = False, local_example: bool = False) -> list[str]:
    """What the lägesbild lacks, one sentence each, with how to get it.

    Parameters
    ----------
    sources : Sources
    name : str
        The kommun's name.
    ntu_reason : str
        Why NTU is missing (:attr:`lagesbild.sources.ntu.NtuComparison.reason`); "" when it is there.
    trygghet_loaded : bool
        Whether the police's safety survey is in the underlag.
    trygghet_example : bool
        Whether that survey is the invented example (then the kommun's own is still missing).
    local_loaded, local_example : bool
        Whether the kommun's local surveys (lokala enkäter) are in the underlag, and whether they are the
        invented example.

    Returns
    -------
    list of str
        A report built on example data counts as missing the kommun's own data.

    Examples
    --------
    >>> import tempfile
    >>> from lagesbild.summary.sources import load_sources
    >>> g = gaps(load_sources(tempfile.mkdtemp(), "0114"), "Upplands Väsby", ntu_reason="Ingen NTU.")
    >>> len(g), g[0]
    (7, 'Rapporten Brottsutvecklingen saknas i körningen (python run_all.py --kommun 0114 --report crime_trends).')
    >>> g[-1]
    'Kommunens egna enkäter, t.ex. skol-, ungdoms- eller företagsenkäter (mall i data/templates/lokala_enkater/).'
    """
    out = [f"Rapporten {SOURCE_REPORTS[r]} saknas i körningen ({build_command(sources.kommun, r)})."
           for r in sources.missing]
    crime, places = sources.figures("crime_trends"), sources.figures("place_assessment")
    ww, proj = sources.figures("wastewater"), sources.figures("project_evaluation")
    def note(example: bool) -> str:
        return "; rapporten bygger nu på påhittade exempeldata" if example else ""

    if crime is not None and not crime["bra_available"]:
        out.append("Brås statistik över anmälda brott för kommunen (lägg Brås export i data/local/crime/).")
    for year, inds in sorted(((crime or {}).get("missing_population") or {}).items()):
        out.append(f"Folkmängden {year} för {name} ({join(inds)} visas därför utan tal per 100 000 invånare): lägg "
                   "SCB:s folkmängd i data/local/population/ eller kör python -m lagesbild.sources.fetch scb --all.")
    if places is not None and (not places["place_data"] or places["example_data"]):
        out.append("Kommunens platsdata: platser, besiktningar, händelselogg och medborgarrapporter (mallar i "
                   f"data/templates/{note(places['place_data'] and places['example_data'])}).")
    if ww is not None and (not ww["latest"] or ww["example_data"]):
        out.append(f"Mätningar av narkotika i avloppsvatten (mall i data/templates/wastewater/{note(ww['example_data'])}).")
    if proj is not None and (proj["example_data"] or (not proj["projects"] and not any(proj["commitments"].values()))):
        out.append("Kommunens projekt och åtaganden att följa upp (mallar i data/templates/projects/"
                   f"{note(proj['example_data'])}).")
    if ntu_reason:
        out.append(f"NTU per kommun: {ntu_reason}")
    if not trygghet_loaded or trygghet_example:
        shown = "; avsnitt 2 visar nu påhittade exempeldata" if trygghet_loaded and trygghet_example else ""
        out.append(f"Polisens trygghetsmätning för {name} (mall i data/templates/trygghetsmatning/{shown}).")
    if not local_loaded or local_example:
        shown = "; avsnitt 2 visar nu påhittade exempeldata" if local_loaded and local_example else ""
        out.append(f"Kommunens egna enkäter, t.ex. skol-, ungdoms- eller företagsenkäter (mall i "
                   f"data/templates/lokala_enkater/{shown}).")
    return out


def headline_points(name: str, key_indicators: pd.DataFrame, problems: pd.DataFrame, sources: Sources,
                    missing: Sequence[str]) -> list[str]:
    """"Det viktigaste": the total level, the key indicators' lights, what stands out, follow-up, gaps.

    Examples
    --------
    >>> import tempfile
    >>> from lagesbild.summary.sources import load_sources
    >>> from lagesbild.stats.indicators import indicator_table
    >>> from lagesbild.summary.standout import standout_problems
    >>> src = load_sources(tempfile.mkdtemp(), "2080")
    >>> pts = headline_points("Falun", indicator_table(None), standout_problems(None), src, ["x"])
    >>> pts[0]
    'Rapporten Brottsutvecklingen saknas i körningen, så brottsnivån kan inte visas.'
    """
    out = []
    total = key_indicators[(key_indicators["source"] == ind.CRIME) & (key_indicators["indicator"] == TOTAL_CRIME)] \
        if len(key_indicators) else key_indicators
    if len(total):
        r = total.iloc[0]
        prel = " (preliminärt)" if bool(r.get("preliminary", False)) else ""
        out.append(f"Anmälda brott {int(r['year'])}{prel}: {fmt.number(r['value'])} per 100 000 invånare i {name}, "
                   f"{compare_phrase(r['lan'], r['riket'])}.")
    elif sources.figures("crime_trends") is None:
        out.append(f"Rapporten {SOURCE_REPORTS['crime_trends']} saknas i körningen, så brottsnivån kan inte visas.")
    else:
        out.append(f"Brås statistik över anmälda brott saknas för {name} i underlaget.")
    counts = key_indicator_counts(key_indicators)
    if counts["indicators"]:
        out.append(f"Av {counts['indicators']} nyckeltal är {counts['worse']} tydligt sämre och {counts['better']} "
                   "tydligt bättre än i länet eller riket; övriga skiljer sig inte tydligt eller saknar jämförelse "
                   "(avsnitt 3).")
    if len(problems):
        out.append("Det som sticker ut mest: " + "; ".join(problems["topic"].astype(str)) + " (avsnitt 3).")
    else:
        out.append("Inget i underlaget sticker ut som ett tydligt problem (avsnitt 3).")
    proj = sources.figures("project_evaluation")
    if proj is not None:
        c = {s: n for s, n in (proj["commitments"] or {}).items() if n}
        if proj["projects"] or c:
            n = len(proj["projects"])
            parts = [f"{n} {'utvärderat projekt' if n == 1 else 'utvärderade projekt'}"] if n else []
            if c:
                total, done = sum(c.values()), c.get("uppfyllt", 0)
                parts.append(f"{total} {'åtagande' if total == 1 else 'åtaganden'}, varav {done} "
                             f"{'uppfyllt' if done == 1 else 'uppfyllda'}")
            out.append("Uppföljning: " + " och ".join(parts) + " (avsnitt 4).")
    if missing:
        out.append(f"Underlaget saknar {len(missing)} delar; de listas nedan och i respektive avsnitt.")
    return out


def followup_figures(followed: pd.DataFrame | None, plan_year: int | None, *, example: bool = False) -> dict | None:
    """The previous plan's follow-up for ``lagesbild.json``: per goal its problem, operativt mål, measure,
    target and status code, and how many goals have each status (None: no previous plan).

    No measured value is published here: the page shows them with their rounding and masks (a place's
    count below 3); a reader of the JSON who wants them reads the source reports' own figures.

    Examples
    --------
    >>> from lagesbild.stats.goals import GoalStatus
    >>> f = pd.DataFrame({"problem": ["Rån", "Klotter"], "operativt_mal": ["Högst 20,5", "Färre"],
    ...                   "matt": ["brott", ""], "matt_avser": ["Rån", ""], "status": ["met", ""],
    ...                   "computed": [True, False],
    ...                   "goal": [GoalStatus("met", "clear_change", 20.5, 2027, True), None]})
    >>> out = followup_figures(f, 2025, example=True)
    >>> out["plan_year"], out["example_data"], out["counts"]["met"], out["counts"]["none"]
    (2025, True, 1, 1)
    >>> out["goals"][0]
    {'problem': 'Rån', 'operativt_mal': 'Högst 20,5', 'measure': 'brott', 'subject': 'Rån', 'target': 20.5, 'target_year': 2027, 'direction': 'högst', 'status': 'met', 'computed': True}
    >>> out["goals"][1]["measure"], out["goals"][1]["target"], out["goals"][1]["status"], followup_figures(None, None)
    (None, None, None, None)
    """
    if followed is None:
        return None

    def text(value) -> str | None:
        value = "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()
        return value or None

    goals = []
    for r in followed.to_dict("records"):
        goal = r.get("goal")
        goals.append({"problem": text(r["problem"]), "operativt_mal": text(r.get("operativt_mal")),
                      "measure": text(r.get("matt")), "subject": text(r.get("matt_avser")),
                      "target": None if goal is None else float(goal.target),
                      "target_year": None if goal is None else int(goal.target_year),
                      "direction": None if goal is None else ("högst" if goal.lower_is_better else "minst"),
                      "status": text(r["status"]), "computed": bool(r.get("computed", False))})
    counts = {code or "none": n for code, n in status_counts(followed).items()}
    return {"plan_year": None if plan_year is None else int(plan_year), "example_data": bool(example),
            "goals": goals, "counts": counts}


def local_survey_figures(local) -> dict | None:
    """The kommun's local surveys for ``lagesbild.json``: which surveys, how many indicators, the latest year
    (None: no local surveys read).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> res = pd.DataFrame({"enkat": ["LUPP", "LUPP", "FTU"], "indikator": ["Trygg", "Trygg", "Utsatt"],
    ...                     "year": [2019, 2023, 2024]})
    >>> local_survey_figures(SimpleNamespace(results=res, example=True))
    {'example_data': True, 'surveys': ['FTU', 'LUPP'], 'indicators': 2, 'latest_year': 2024}
    >>> local_survey_figures(None) is None
    True
    """
    if local is None:
        return None
    res = local.results
    return {"example_data": bool(local.example), "surveys": sorted(res["enkat"].unique().tolist()),
            "indicators": int(res[["enkat", "indikator"]].drop_duplicates().shape[0]),
            "latest_year": int(res["year"].max())}


def key_figures(title: str, cfg, sources: Sources, key_indicators: pd.DataFrame, problems: pd.DataFrame,
                plan: pd.DataFrame, plan_file: Path | None, *, ntu_available: bool, trygghet_data=None,
                missing: Sequence[str] = (), plans=None, followed: pd.DataFrame | None = None,
                local=None) -> dict:
    """The summary's key figures for ``lagesbild.json``.

    Parameters
    ----------
    title : str
    cfg : lagesbild.run.params.KommunConfig
        ``kommun``, ``name``, ``lan``.
    sources : Sources
    key_indicators : pandas.DataFrame
        :func:`lagesbild.stats.indicators.indicator_table`.
    problems : pandas.DataFrame
        :func:`lagesbild.summary.standout.standout_problems`.
    plan : pandas.DataFrame
        The focus plan shown (draft or loaded).
    plan_file : Path or None
        The loaded plan's file (None: the draft).
    ntu_available : bool
    trygghet_data : lagesbild.summary.surveys.TrygghetData or None
    missing : sequence of str
        :func:`gaps`.
    plans : lagesbild.summary.followup.Plans, optional
        The kommun's plans by year (the current plan's year, whether they are example data).
    followed : pandas.DataFrame, optional
        :func:`lagesbild.summary.followup.follow_up` of the previous plan (:func:`followup_figures`).
    local : lagesbild.summary.local_surveys.LocalSurveys, optional
        The local surveys read (:func:`local_survey_figures`).

    Examples
    --------
    >>> import tempfile
    >>> from lagesbild.summary.sources import load_sources
    >>> from lagesbild.stats.indicators import indicator_table
    >>> from lagesbild.summary.focus_plan import draft_focus_plan
    >>> from lagesbild.summary.standout import standout_problems
    >>> class C: kommun, name, lan = "2080", "Falun", "Dalarnas län"
    >>> k = key_figures("t", C(), load_sources(tempfile.mkdtemp(), "2080"), indicator_table(None), standout_problems(None),
    ...                 draft_focus_plan(standout_problems(None), 2027), None, ntu_available=False)
    >>> k["missing_reports"], k["focus_plan"]
    (['crime_trends', 'place_assessment', 'wastewater', 'project_evaluation'], {'source': 'utkast', 'file': None, 'rows': 0, 'year': None, 'example_data': False})
    >>> k["plan_followup"], k["local_surveys"]
    (None, None)
    """
    tm = None
    if trygghet_data is not None:
        res = trygghet_data.results
        tm = {"example_data": bool(trygghet_data.example), "latest_year": int(res["year"].max()),
              "areas": int(res.loc[res["year"] == res["year"].max(), "omrade"].nunique())}
    plans_example = bool(plans is not None and plans.example and plan_file is not None)
    local_example = bool(local is not None and local.example)
    return {
        "title": title, "kommun": cfg.kommun, "name": cfg.name, "lan": cfg.lan,
        "example_data": bool(sources.example_reports or (trygghet_data is not None and trygghet_data.example)
                             or plans_example or local_example),
        "sources": {r: {"found": r in sources.found,
                        "generated": sources.found[r].generated.isoformat() if r in sources.found else None,
                        "example_data": bool(sources.found[r].example) if r in sources.found else False}
                    for r in SOURCE_REPORTS},
        "missing_reports": sources.missing,
        **source_figures(sources),
        "key_indicators": key_indicator_figures(key_indicators),
        "ntu_available": bool(ntu_available),
        "trygghetsmatning": tm,
        "problems": [{"rank": int(r.rank), "kind": r.kind, "topic": r.topic, "signals": list(r.signals),
                      "reports": [x for x in r.reports if x], "example_data": bool(r.example)}
                     for r in problems.itertuples()],
        "focus_plan": {"source": "utkast" if plan_file is None else "fil",
                       "file": None if plan_file is None else Path(plan_file).name, "rows": int(len(plan)),
                       "year": (None if plan_file is None or plans is None or plans.current is None
                                or plans.current.year is None else int(plans.current.year)),
                       "example_data": plans_example},
        "plan_followup": followup_figures(followed, None if plans is None or plans.previous is None else plans.previous.year,
                                     example=bool(plans is not None and plans.example)),
        "local_surveys": local_survey_figures(local),
        "gaps": list(missing),
    }


def caveats(key_indicators: pd.DataFrame, alpha: float, *, draft: bool) -> list[str]:
    """The summary's caveats, in Swedish, including what the number of comparisons means for the lights.

    Parameters
    ----------
    key_indicators : pandas.DataFrame
        :func:`lagesbild.stats.indicators.indicator_table`.
    alpha : float
    draft : bool
        Whether the focus areas shown are the draft.

    Examples
    --------
    >>> from lagesbild.stats.indicators import indicator_table
    >>> c = caveats(indicator_table([{"indicator": "Bilbrott", "year": 2024, "count": 150, "rate": 250.0,
    ...     "rate_lan": 226.0, "rate_riket": 383.0}] * 10), 0.05, draft=True)
    >>> [t for t in c if "slumpen" in t][0][:95]
    'Med 10 nyckeltal och två jämförelser vardera väntas ungefär 1 tydlig skillnad av slumpen även o'
    """
    out = [register.text("summary_recounts_nothing"), register.text("bra_reported_crime")]
    n = int(len(key_indicators))
    if n:
        expected = 2 * n * alpha
        many = fmt.number(expected)
        out.append(f"Med {n} nyckeltal och två jämförelser vardera väntas ungefär {many} "
                   f"{'tydlig skillnad' if many == '1' else 'tydliga skillnader'} av slumpen även om kommunen inte skiljer "
                   "sig från länet eller riket. En enstaka tydlig "
                   "skillnad är därför en fråga att pröva, inte ett bevis; flera belägg för samma problem väger tyngre.")
    out.append(register.text("summary_standout_rule"))
    if draft:
        out.append(register.text("summary_draft_focus"))
    return out


def provenance_files(sources: Sources, files: Sequence[Mapping] = (), plan_file: Path | None = None) -> list[dict]:
    """The data files behind the summary: ``files`` (processed data, survey tables), the plans, the source JSONs.

    Examples
    --------
    >>> import tempfile
    >>> from lagesbild.summary.sources import load_sources
    >>> provenance_files(load_sources(tempfile.mkdtemp(), "2080"), [{"name": "raw/ntu.csv"}])
    [{'name': 'raw/ntu.csv'}]
    """
    from lagesbild.sources.processed import sha256

    out = [dict(f) for f in files]
    if plan_file is not None:  # the current plan and, in a folder of plans by year, the one section 4 follows up
        out += plan_provenance(plan_file)
    for report, src in sources.found.items():
        out.append({"name": f"{src.kommun}/{report}.json",
                    "description": f"Nyckeltal ur rapporten {src.title}" + (" (exempeldata)" if src.example else ""),
                    "date": built_text(src.generated), "sha256": sha256(src.file)})
    return out


__all__ = [
    "caveats", "followup_figures", "gaps", "headline_points", "key_figures", "local_survey_figures", "provenance_files"
]
