"""The åtgärdsplan in Brå's columns: the draft drawn from what stands out, the template, and the kommun's plan.

One row per problem in Brå's columns ("Upprätta åtgärdsplan", bra.se): Problem, Orsak, Åtgärd, Operativa
mål, När, Ansvarig, Uppföljning and Status (grön / gul / röd), plus optional columns that make an
operativt mål measurable by the suite (:data:`MEASURE_COLUMNS`: measure, subject, target, target year,
direction, baseline year; followed up in :mod:`lagesbild.summary.followup`). The draft's åtgärder are
suggestions from the measure catalogue of the place assessment (:data:`lagesbild.places.factors.MEASURES`,
via :data:`ACTIVITY_MEASURES`); its Orsak holds Brå's prompts for the cause analysis with the crime
triangle, so that the cause is written down, not skipped. It is a **draft** for the analyst: download
it from the report, edit it, and point the parameter ``focus_plan`` at the file or at a folder of plans
by year (:func:`load_focus_plan`; template in ``data/templates/atgardsplan/``); then the report shows
the kommun's plan instead. Plans in the earlier columns (problem, aktivitet, uppföljning, mål, ansvar)
still load.

The pieces: :func:`draft_focus_plan` (with :func:`activity_for` and :func:`goal_year`),
:func:`focus_plan_display` (the table the report shows), :func:`focus_plan_path` and
:func:`load_focus_plan` (the kommun's file, every cell checked), and the template
(:data:`TEMPLATE`, :func:`write_templates`). Its Swedish words (statuses, prompts, measures) are in
:mod:`lagesbild.summary.plan_text`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from lagesbild.core import fmt, reads
from lagesbild.core.errors import InputError
from lagesbild.core.fmt import join, plain
from lagesbild.core.paths import PROJ_ROOT, input_folder
from lagesbild.inputs import tables as it
from lagesbild.inputs.folders import parsed_once
from lagesbild.inputs.tables import Column, Table
from lagesbild.sources import schemas
from lagesbild.summary.plan_text import (
    GOAL_RULE,
    GOAL_STATUS_INPUT,
    GOAL_STATUS_WORDS,
    MEASURE_WORDS,
    NO_CAUSE,
    ORSAK_PROMPT,
    ORSAK_PROMPT_START,
    plan_measure_text,
    status_text,
)
from lagesbild.summary.standout import SIGNALS, WASTEWATER_PERCENTILE

#: Brå's columns of an åtgärdsplan (loaded or drafted), in order ("Upprätta åtgärdsplan", bra.se).
FOCUS_COLUMNS: tuple[str, ...] = ("problem", "orsak", "atgard", "operativt_mal", "nar", "ansvarig", "uppfoljning",
                                  "status")
#: The optional columns of a measurable operativt mål (:mod:`lagesbild.summary.followup` follows them up).
MEASURE_COLUMNS: tuple[str, ...] = ("matt", "matt_avser", "malvarde", "malar", "riktning", "utgangsar")
#: Every column of a loaded or drafted plan, in order.
PLAN_COLUMNS: tuple[str, ...] = FOCUS_COLUMNS + MEASURE_COLUMNS
#: Their headings in the report (and in the draft's download, which loads back as a plan).
FOCUS_HEADINGS: dict[str, str] = {"problem": "Problem", "orsak": "Orsak", "atgard": "Åtgärd",
                                  "operativt_mal": "Operativa mål", "nar": "När", "ansvarig": "Ansvarig",
                                  "uppfoljning": "Uppföljning", "status": "Status", "matt": "Mått",
                                  "matt_avser": "Avser", "malvarde": "Målvärde", "malar": "Målår",
                                  "riktning": "Riktning", "utgangsar": "Utgångsår"}
#: Accepted directions of a measurable goal (lower case; empty = :data:`DEFAULT_DIRECTION` of the measure).
DIRECTIONS: tuple[str, ...] = ("högst", "minst")
#: The direction of an empty ``riktning`` per measure ("högst" for the others): a place's factor score is
#: better the higher it is (1–5, :data:`lagesbild.places.factors.SCALE`).
DEFAULT_DIRECTION: dict[str, str] = {"faktorpoang": "minst"}
#: The page's one column for a row's measure (:func:`focus_plan_display`).
MEASURE_HEADING = "Mått och målvärde"
#: Columns every row must fill in.
REQUIRED: tuple[str, ...] = ("problem", "atgard", "operativt_mal", "uppfoljning")

#: Measures of the place assessment's catalogue (keys of :data:`lagesbild.places.factors.MEASURES`) to try
#: first for a problem, by how its name begins (lower case; the first match wins). Suggestions for
#: the analyst, in the spirit of situational crime prevention; a problem that matches none gets
#: :data:`ANALYSIS_ACTIVITY`, one in :data:`NON_PLACE_PREFIXES` gets :data:`NON_PLACE_ACTIVITY`.
ACTIVITY_MEASURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("våld i offentlig miljö", ("belysning", "trygghetsvardar", "samverkan")),
    ("misshandel", ("belysning", "trygghetsvardar", "samverkan")),
    ("rån", ("belysning", "siktlinjer", "trygghetsvardar")),
    ("skadegörelse", ("klotter", "underhall", "stadfadderskap")),
    ("klotter", ("klotter", "underhall", "stadfadderskap")),
    ("oro för bostadsinbrott", ("grannsamverkan", "skalskydd")),
    ("bostadsinbrott", ("grannsamverkan", "skalskydd")),
    ("inbrottsstöld i bostad", ("grannsamverkan", "skalskydd")),
    ("oro för stöld av eller skadegörelse på bil", ("belysning", "siktlinjer")),
    ("bilbrott", ("belysning", "siktlinjer", "kamerabevakning")),
    ("cykelstöld", ("skalskydd", "belysning")),
    ("stöld", ("skalskydd", "samverkan")),
    ("öppen narkotikahandel", ("samverkan", "trygghetsvardar", "belysning")),
    ("narkotika", ("samverkan", "trygghetsvardar")),
    ("trafikbrott", ("trafiksakerhet",)),
    ("fortkörning", ("trafiksakerhet",)),
    ("övrig störande körning", ("trafiksakerhet",)),
    ("otrygg", ("belysning", "siktlinjer", "trygghetsvardar")),
    ("personer påverkade", ("trygghetsvardar", "samverkan")),
    ("gäng", ("trygghetsvardar", "aktivering", "samverkan")),
    ("avstått", ("aktivering", "belysning", "trygghetsvardar")),
    ("valt annan väg", ("belysning", "siktlinjer", "trygghetsvardar")),
    ("oro för", ("informationsinsatser", "trygghetsvardar")),
    ("försäljningsbedrägeri", ("informationsinsatser",)),
    ("kortbedrägeri", ("informationsinsatser",)),
)
#: Problems for which the place measures do not fit (crime indoors or in close relationships).
NON_PLACE_PREFIXES: tuple[str, ...] = ("våld i nära relationer", "våld i inomhusmiljö", "sexualbrott")
NON_PLACE_ACTIVITY = ("Platsåtgärder passar sällan för våld inomhus eller i nära relationer. Pröva insatser i "
                      "samverkan med socialtjänsten, skolan, hälso- och sjukvården och polisen.")
ANALYSIS_ACTIVITY = ("Fördjupad analys tillsammans med polisen av var, när och mot vem brotten sker, innan "
                     "åtgärder väljs.")
#: The follow-up every activity shares: it becomes a project or commitment in the project evaluation.
FOLLOW_UP_TAIL = "; insatsen registreras som projekt eller åtagande och följs i Utvärdering av trygghetsarbetet"


def activity_for(topic: str) -> str:
    """The draft activity for a problem: measures from the catalogue, or what to do instead.

    Examples
    --------
    >>> activity_for("Skadegörelsebrott")
    'Förslag att pröva: Snabb klotter- och skadegörelsesanering; Reparation, städning och underhåll; Städdagar och fadderskap för platsen.'
    >>> activity_for("Våld i nära relationer, mot kvinnor").startswith("Platsåtgärder passar sällan")
    True
    >>> activity_for("Totalt antal anmälda brott").startswith("Fördjupad analys")
    True
    """
    from lagesbild.places.factors import MEASURES

    key = topic.strip().lower()
    if key.startswith(NON_PLACE_PREFIXES):
        return NON_PLACE_ACTIVITY
    names = {m.key: m.name for m in MEASURES}
    for prefix, measures in ACTIVITY_MEASURES:
        if key.startswith(prefix):
            return "Förslag att pröva: " + "; ".join(names[m] for m in measures) + "."
    return ANALYSIS_ACTIVITY


def goal_year(crime: Mapping | None, today: dt.date | None = None) -> int:
    """The year a draft goal is set for: three years after Brå's latest year, else three after last year.

    Examples
    --------
    >>> goal_year({"bra_latest_year": 2024}), goal_year(None, dt.date(2026, 11, 22))
    (2027, 2028)
    """
    latest = (crime or {}).get("bra_latest_year")
    if latest is None:
        latest = (today or dt.date.today()).year - 1
    return int(latest) + 3


def number_cell(value: float, decimals: int = 6) -> str:
    """A target as a loaded plan holds it: a decimal point, at most ``decimals`` decimals, no trailing zeros.

    Examples
    --------
    >>> number_cell(952.0), number_cell(2.75), number_cell(1813.44092, 0)
    ('952', '2.75', '1813')
    """
    return f"{float(value):.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{float(value):.0f}"


def _row(problem: str, atgard: str, uppfoljning: str, mal: str, measure: tuple[str, str, str, str, str] | None = None
         ) -> dict[str, str]:
    out = {"problem": problem, "orsak": ORSAK_PROMPT, "atgard": atgard, "operativt_mal": mal, "nar": "",
           "ansvarig": "", "uppfoljning": uppfoljning, "status": ""}
    kind, subject, target, year, base = measure or ("", "", "", "", "")
    out.update(matt=kind, matt_avser=subject, malvarde=target, malar=year, riktning="högst" if kind else "",
               utgangsar=base)
    return out


def _draft_row(r, year: int) -> dict[str, str]:
    d = r.details
    short = ", ".join(f"tydligt högre än i {join(d.get('worse_than', ['länet']))}" if s == "nivå" else SIGNALS[s]
                      for s in r.signals)
    problem = f"{r.topic} ({short})"
    if r.kind == "platser":
        places = join(d.get("places", []))
        return _row(problem,
                    f"Besiktning eller trygghetsvandring vid {places}, sedan åtgärder efter platsernas svaga "
                    "faktorer (se åtgärdskatalogen i Platsbedömning).",
                    "Hot spots och faktorpoäng i Platsbedömning vid varje ny besiktning" + FOLLOW_UP_TAIL,
                    f"Färre platser vid säkerställda hot spots än i dag ({len(d.get('places', []))}) år {year}")
    if r.kind == "avloppsvatten":
        return _row(problem,
                    "Fortsatta mätningar minst en vecka varje år; förebyggande insatser mot narkotikabruk i "
                    "samverkan med socialtjänsten, skolan och polisen.",
                    f"Belastning av {d['substance'].lower()} i mg per dag och 1 000 invånare och percentilen "
                    "i Europa (Narkotika i avloppsvatten)" + FOLLOW_UP_TAIL,
                    f"Under percentil {fmt.number(WASTEWATER_PERCENTILE)} bland de europeiska mätplatserna år {year}")
    if r.kind == "trygghetsmätning":
        top = f" ({d['top_question']})" if d.get("top_question") else ""
        measured = d.get("index") is not None
        return _row(problem,
                    f"Trygghetsvandring i {d['area']} och åtgärder efter frågan med högst problemindex{top}.",
                    f"Totalindex för {d['area']} i polisens trygghetsmätning (den här rapporten, avsnitt 2)"
                    + FOLLOW_UP_TAIL,
                    f"Problemindex för {d['area']} tydligt lägre än {fmt.number(d['index'], 2)} ({d['year']}) vid "
                    f"mätningen år {year}" if measured else f"Inga stora problem i {d['area']} vid mätningen år {year}",
                    ("trygghetsmatning", d["area"], number_cell(d["index"], 2), str(year), str(d["year"]))
                    if measured else None)
    if r.kind == "ntu":
        share = d.get("value")
        worse = join(d.get("worse_than", ["länet"]))
        return _row(problem, activity_for(r.topic),
                    f"NTU (Brå): andel {r.topic.lower()}, varje år (den här rapporten, avsnitt 2 och 3)"
                    + FOLLOW_UP_TAIL,
                    f"Inte tydligt högre än i {worse} i NTU år {year} (i dag {fmt.number(share, 1)}\u00a0%, "
                    f"{d.get('year')})" if share is not None else f"Inte tydligt högre än i {worse} i NTU år {year}")
    # a Brå category
    follow = f"Brå: anmälda brott, {r.topic[:1].lower()}{r.topic[1:]}, per 100 000 invånare, varje år (Brottsutvecklingen)"
    measure = None
    if "nivå" in r.signals:
        goal = f"Inte tydligt högre än i {join(d.get('worse_than', ['länet']))} år {year}"
    elif "ökning" in r.signals and d.get("previous_rate") is not None:
        goal = (f"Tillbaka till högst {fmt.number(d['previous_rate'])} per 100 000 invånare (nivån "
                f"{d['previous_year']}) år {year}")
        measure = ("brott", r.topic, number_cell(d["previous_rate"], 0), str(year), str(d["year"]))
    elif d.get("rate") is not None:
        goal = f"Lägre än {fmt.number(d['rate'])} per 100 000 invånare ({d['year']}) år {year}"
        measure = ("brott", r.topic, number_cell(d["rate"], 0), str(year), str(d["year"]))
    else:
        goal = f"Sätt ett mätbart mål när Brås statistik för kategorin finns i underlaget (senast år {year})"
    return _row(problem, activity_for(r.topic), follow + FOLLOW_UP_TAIL, goal, measure)


def draft_focus_plan(problems: pd.DataFrame, year: int) -> pd.DataFrame:
    """A draft åtgärdsplan from the standing-out problems, in Brå's columns.

    Parameters
    ----------
    problems : pandas.DataFrame
        :func:`lagesbild.summary.standout.standout_problems`.
    year : int
        The goal year (:func:`goal_year`).

    Returns
    -------
    pandas.DataFrame
        :data:`PLAN_COLUMNS`, one row per problem, in rank order. ``orsak`` holds Brå's prompts for the
        cause analysis (:data:`lagesbild.summary.plan_text.ORSAK_PROMPT`); ``nar``, ``ansvarig`` and
        ``status`` are empty (for the analyst); a goal the suite can follow up (a Brå category's rate, a
        trygghetsmätning area's index) has its measure columns filled in.

    Examples
    --------
    >>> from lagesbild.summary.standout import standout_problems
    >>> p = standout_problems(None, {"indicators": [{"indicator": "Skadegörelsebrott", "year": 2024, "count": 700,
    ...     "rate": 1170.0, "previous_year": 2023, "previous_count": 571, "previous_rate": 952.0,
    ...     "change": {"rate_ratio": 1.23, "p_value": 0.001, "detectable": True}}]})
    >>> row = draft_focus_plan(p, 2027).iloc[0]
    >>> row["problem"], row["operativt_mal"].replace("\\xa0", " ")
    ('Skadegörelsebrott (tydlig ökning från året före)', 'Tillbaka till högst 952 per 100 000 invånare (nivån 2023) år 2027')
    >>> row[list(MEASURE_COLUMNS)].tolist(), row["orsak"][:30]
    (['brott', 'Skadegörelsebrott', '952', '2027', 'högst', '2024'], 'Att fylla i efter orsaksanalys')
    """
    rows = [_draft_row(r, int(year)) for r in problems.itertuples()]
    return pd.DataFrame(rows, columns=list(PLAN_COLUMNS)).astype(str)


def has_measures(plan: pd.DataFrame) -> bool:
    """Whether some row of a plan names a measure (then the report shows the measure columns).

    Examples
    --------
    >>> has_measures(pd.DataFrame({"matt": ["", "brott"]})), has_measures(pd.DataFrame({"matt": [""]}))
    (True, False)
    """
    return "matt" in plan and bool((plan["matt"].astype(str).str.strip() != "").any())


def focus_plan_file(plan: pd.DataFrame, *, draft: bool = False) -> pd.DataFrame:
    """A plan as a file the loader reads back: Brå's columns, then the measure columns when some row has one.

    What the report's download of the plan holds (:func:`focus_plan_display` is what the page shows). An
    empty Orsak in a kommun's plan reads "orsak inte angiven" (the draft keeps Brå's prompts); the status in
    words with Brå's colour (:func:`lagesbild.summary.plan_text.status_text`), empty when none is written.
    Loads back with :func:`load_focus_plan`.

    Examples
    --------
    >>> plan = pd.DataFrame([["P", "", "A", "M", "", "", "U", "met"] + [""] * 6], columns=list(PLAN_COLUMNS))
    >>> shown = focus_plan_file(plan)
    >>> list(shown.columns)
    ['Problem', 'Orsak', 'Åtgärd', 'Operativa mål', 'När', 'Ansvarig', 'Uppföljning', 'Status']
    >>> shown.loc[0, "Orsak"], shown.loc[0, "Status"]
    ('orsak inte angiven', 'Uppnått (grön)')
    """
    cols = list(FOCUS_COLUMNS) + (list(MEASURE_COLUMNS) if has_measures(plan) else [])
    out = plan[cols].astype(str).copy()
    if not draft:
        out["orsak"] = out["orsak"].map(lambda v: v if v.strip() else NO_CAUSE)
    out["status"] = out["status"].map(lambda v: status_text(v) if v in GOAL_STATUS_WORDS else v)
    if "malvarde" in out:
        out["malvarde"] = out["malvarde"].str.replace(".", ",", regex=False)
    return out.rename(columns=FOCUS_HEADINGS).reset_index(drop=True)


def focus_plan_display(plan: pd.DataFrame, *, draft: bool = False) -> pd.DataFrame:
    """The plan as the page shows it: Brå's eight columns, and the measure in one column when some row has one.

    Six measure columns beside Brå's eight do not fit a page; the reader gets them as one phrase
    (:func:`lagesbild.summary.plan_text.plan_measure_text`) and the download keeps them apart
    (:func:`focus_plan_file`, ``download_frame`` of :func:`lagesbild.render.report.table`).

    Examples
    --------
    >>> plan = pd.DataFrame([["P", "O", "A", "M", "2026", "K", "U", ""] + ["brott", "Rån", "20.5", "2027", "högst", ""]],
    ...                     columns=list(PLAN_COLUMNS))
    >>> shown = focus_plan_display(plan)
    >>> list(shown.columns)[-2:], shown.loc[0, "Mått och målvärde"]
    (['Status', 'Mått och målvärde'], 'Rån: anmälda brott per 100 000 invånare (Brå) högst 20,5 år 2027')
    """
    out = focus_plan_file(plan, draft=draft)
    if not has_measures(plan):
        return out
    rows = plan.reset_index(drop=True).astype(str)
    out = out[[FOCUS_HEADINGS[c] for c in FOCUS_COLUMNS]].copy()
    out[MEASURE_HEADING] = [plan_measure_text(r["matt"], r["matt_avser"], r["malvarde"], r["malar"],
                                              r["riktning"] or "högst", r["utgangsar"]) for _, r in rows.iterrows()]
    return out


_TEMPLATE_ROWS: tuple[tuple[str, ...], ...] = (
    ("1287", "Misshandel i centrum på helgnätter",
     "Gärningsperson: berusade unga män efter krogstängning. Offer/objekt: besökare i taxikön. Plats och tillfälle: "
     "trångt torg med dålig belysning, få vuxna ute kl. 01–03.",
     "Trygghetsvärdar och synlig polis i centrum fredag och lördag kl. 22–03; bättre belysning på Stortorget",
     "Anmälda brott mot person ska vara högst 1 800 per 100 000 invånare 2027", "Fredag och lördag kl. 22–03 från "
     "mars 2026", "Polisen och kommunens trygghetssamordnare", "Anmälda brott mot person per 100 000 invånare (Brå), "
     "varje år; polisens händelser i centrum varje halvår", "", "brott", "Brott mot person (3–7 kap. BrB)", "1800",
     "2027", "högst", "2025"),
    ("1287", "Otrygghet vid busstationen kvällstid",
     "Gärningsperson: grupper som samlas i den skymda passagen. Offer/objekt: resenärer kvällstid. Plats och "
     "tillfälle: buskage skymmer sikten, ingen personal efter kl. 19.",
     "Trygghetsvandring med boende; beskärning av buskage och ny belysning längs gångstråket",
     "Totalindex för Centrum tydligt lägre än 2,40 vid mätningen 2027", "Hösten 2026", "Kommunens gatuenhet",
     "Totalindex för Centrum i polisens trygghetsmätning, varje år", "", "trygghetsmatning", "Centrum", "2,4",
     "2027", "högst", "2025"),
    ("1287", "Narkotika: hög belastning av amfetamin i avloppsvattnet", "",
     "Fortsatta mätningar en vecka per år; förebyggande insatser i skolan",
     "Under percentil 75 bland de europeiska mätplatserna 2027", "Mars varje år", "Kommunen (socialtjänsten)",
     "Amfetamin i mg per dag och 1 000 invånare (Narkotika i avloppsvatten)", "gul", "", "", "", "", "", ""),
)

_SUPPORTED = ", ".join(MEASURE_WORDS)

#: The plan's table: its columns (name, required column, Swedish description, example, aliases) and example rows.
TEMPLATE = Table(
    "atgardsplan", "Åtgärdsplan",
    "En rad per problem som kommunen väljer att arbeta med, i Brås kolumner (Upprätta åtgärdsplan, bra.se): "
    "problemet, dess orsak, åtgärden, operativa mål, när, vem som ansvarar, hur det följs upp och status. Ett "
    "operativt mål som sviten kan mäta får dessutom ett mått (kolumnerna matt till utgangsar); då räknar lägesbilden "
    "ut statusen vid varje bygge. Utgå från utkastet i lägesbildsrapporten (ladda ned tabellen som CSV eller Excel) "
    "eller från den här mallen.",
    (
        Column("kommun", False, "Kommunkod, fyra siffror (SCB), t.ex. 1287 eller 0114 (behåll nollan). Tom "
               "cell eller ingen kolumn = planen gäller kommunen som rapporten byggs för; rader för andra "
               "kommuner hoppas över.", "1287", ("kommun_kod", "kommunkod")),
        Column("problem", True, "Problemet, kort och konkret: vad, var och gärna när.", _TEMPLATE_ROWS[0][1]),
        Column("orsak", False, "Orsaken enligt orsaksanalysen, med brottstriangeln: gärningsperson (vilka och "
               "varför), offer/objekt (vilka eller vad drabbas) och plats och tillfälle (var, när, vad gör platsen "
               "sårbar). Tom cell visas som 'orsak inte angiven'.", _TEMPLATE_ROWS[0][2],
               ("orsaker", "orsaksanalys")),
        Column("atgard", True, "Åtgärden: vad som görs åt orsaken (en eller flera, åtskilda med semikolon).",
               _TEMPLATE_ROWS[0][3], ("åtgärd", "åtgärder", "atgarder", "aktivitet", "aktiviteter")),
        Column("operativt_mal", True, "Operativa mål: mätbart, med årtal, t.ex. Högst 450 anmälda bostadsinbrott "
               "per 100 000 invånare 2027.", _TEMPLATE_ROWS[0][4],
               ("operativa mål", "operativa_mal", "operativt mål", "mål", "mal")),
        Column("nar", False, "När åtgärden genomförs (period, tider).", _TEMPLATE_ROWS[0][5],
               ("när", "tidplan", "tidsplan")),
        Column("ansvarig", False, "Vem som ansvarar: förvaltning, polis, förening; tom = inte angivet.",
               _TEMPLATE_ROWS[0][6], ("ansvar", "vem")),
        Column("uppfoljning", True, "Hur det följs upp: vilket mått, ur vilken källa och hur ofta.",
               _TEMPLATE_ROWS[0][7], ("uppföljning",)),
        Column("status", False, "Status som kommunen själv bedömer: grön, gul eller röd (eller uppnått, på väg, "
               "inte uppnått, går inte att mäta än). Mål med ett mått får sin status uträknad i uppföljningen; "
               "tom = ingen status angiven.", "gul"),
        Column("matt", False, "Mått för ett mätbart mål: brott (anmälda brott per 100 000 invånare, Brå), ntu "
               "(andel i procent i NTU), trygghetsmatning (totalindex i polisens trygghetsmätning), "
               "avloppsvatten (belastning av en substans i mg per dag och 1 000 invånare), faktorpoang (en plats "
               "samlade poäng 1–5 i platsbedömningen) eller handelser (händelser per år vid en plats i platsdatans "
               "händelselogg). Tom = målet följs upp med den status kommunen skriver.", _TEMPLATE_ROWS[0][9],
               ("mått",)),
        Column("matt_avser", False, "Vad måttet avser: Brås brottskategori (som i rapporten Brottsutvecklingen), "
               "NTU-frågan (som i lägesbildens NTU-tabell), området i trygghetsmätningen, substansen (som i "
               "rapporten Narkotika i avloppsvatten, t.ex. Kokain) eller platsen (som den heter i platsdatans "
               "platser, för faktorpoang och handelser).", _TEMPLATE_ROWS[0][10],
               ("avser", "mått avser", "matt avser")),
        Column("malvarde", False, "Målvärdet som tal (decimalkomma går bra): per 100 000 invånare, procent, index, "
               "mg per dag och 1 000 invånare, poäng eller händelser per år.", _TEMPLATE_ROWS[0][11], ("målvärde",)),
        Column("malar", False, "Målåret, fyra siffror.", _TEMPLATE_ROWS[0][12], ("målår",)),
        Column("riktning", False, "högst (värdet ska vara högst målvärdet; tom cell betyder högst, för faktorpoang "
               "minst eftersom högre poäng är bättre) eller minst.", _TEMPLATE_ROWS[0][13]),
        Column("utgangsar", False, "Utgångsår: året som förändringen räknas från. Tom = året före planens år.",
               _TEMPLATE_ROWS[0][14], ("utgångsår",)),
    ),
    _TEMPLATE_ROWS,
    templates="data/templates/atgardsplan",
)

#: A loaded plan (:func:`load_focus_plan`); index = spreadsheet row.
FOCUS_PLAN_SCHEMA = pa.DataFrameSchema(
    {c: pa.Column(str, pa.Check.str_length(min_value=1 if c in REQUIRED else 0)) for c in PLAN_COLUMNS},
    strict=True, ordered=True, name="atgardsplan",
)

#: Longest text in a cell of the plan (a table cell is not a document).
MAX_CELL_CHARS = 600

_KOMMUN_RE = re.compile(r"^\d{4}$")
_YEAR_RE = re.compile(r"^\d{4}$")


def focus_plan_path(value: str = "") -> Path | None:
    """The edited plan (a file, or a folder of plans by year) a report reads, or None for the default.

    A relative path is relative to the project root (:func:`lagesbild.core.paths.input_folder`).

    Raises
    ------
    InputError
        A path that is neither an existing file nor an existing folder.

    Examples
    --------
    >>> focus_plan_path("") is None
    True
    >>> focus_plan_path("data/templates/atgardsplan/atgardsplan.csv").name
    'atgardsplan.csv'
    """
    if not str(value).strip():
        return None
    path = input_folder(value, PROJ_ROOT)
    if not path.is_file() and not path.is_dir():
        raise InputError(path, "the focus plan file or folder does not exist",
                         "give the path of the edited plan (CSV or Excel) or of a folder with one plan per year "
                         "(atgardsplan_2025.csv, atgardsplan_2026.xlsx …), relative to the project folder: start from "
                         "the draft in the lägesbild report or data/templates/atgardsplan/atgardsplan.csv, or leave "
                         "focus_plan empty to show the draft")
    return path


def _first(mask: pd.Series) -> int:
    return int(mask.index[mask.to_numpy()][0])


def _status_code(value: str) -> str | None:
    """The status code of a cell (None: not a status); "Uppnått (grön)" as the report writes it is accepted."""
    key = re.sub(r"\s*\([^)]*\)\s*$", "", value).strip().lower()
    return "" if not key else GOAL_STATUS_INPUT.get(key)


def _check_measures(df: pd.DataFrame, file: str, headers: dict) -> None:
    """Check the measure columns row by row and write them in canonical form (kind code, numbers)."""
    given = df["matt"] != ""
    others = [c for c in MEASURE_COLUMNS if c != "matt"]
    stray = ~given & (df[others] != "").any(axis=1)
    if stray.any():
        row = _first(stray)
        col = next(c for c in others if df.loc[row, c] != "")
        raise InputError(file, "a measure column is filled in but matt is empty",
                         f"write the measure in matt ({_SUPPORTED}) or empty the measure columns", row=row,
                         column=headers[col])
    kinds = {**{k: k for k in MEASURE_WORDS}, "trygghetsmätning": "trygghetsmatning", "brå": "brott",
             "anmälda brott": "brott", "faktorpoäng": "faktorpoang", "samlad poäng": "faktorpoang",
             "händelser": "handelser"}
    for row in df.index[given.to_numpy()]:
        kind = df.loc[row, "matt"].lower()
        if kind not in kinds:
            raise InputError(file, f"{plain(df.loc[row, 'matt'])} is not a measure",
                             f"use one of the supported measures: {_SUPPORTED}; or empty the measure "
                             "columns and write the status yourself", row=row, column=headers["matt"])
        df.loc[row, "matt"] = kinds[kind]
        for col, fix in (("matt_avser", "name the Brå category, the NTU question, the survey area, the substance "
                                        "or the place"),
                         ("malvarde", "write the target value as a number"), ("malar", "write the target year")):
            if df.loc[row, col] == "":
                raise InputError(file, "the cell is empty", f"{fix} (a row with a measure needs matt_avser, malvarde "
                                 "and malar)", row=row, column=headers[col])
        if df.loc[row, "riktning"].lower() not in ("", *DIRECTIONS):
            raise InputError(file, f"{plain(df.loc[row, 'riktning'])} is not a direction",
                             "write högst (the value shall be at most the target; the default) or minst", row=row,
                             column=headers["riktning"])
        df.loc[row, "riktning"] = df.loc[row, "riktning"].lower() or DEFAULT_DIRECTION.get(kinds[kind], "högst")
    if given.any():
        target = it.numbers(df[given], "malvarde", file, headers)
        df.loc[given, "malvarde"] = target.map(number_cell)
    for col in ("malar", "utgangsar"):
        bad = (df[col] != "") & ~df[col].str.match(_YEAR_RE)
        if bad.any():
            row = _first(bad)
            raise InputError(file, f"{plain(df.loc[row, col])} is not a year", "write the year as four digits, e.g. 2027",
                             row=row, column=headers[col])
    late = given & (df["utgangsar"] != "") & (df["utgangsar"] >= df["malar"])
    if late.any():
        row = _first(late)
        raise InputError(file, f"the baseline year {df.loc[row, 'utgangsar']} is not before the target year "
                         f"{df.loc[row, 'malar']}", "write a baseline year before the target year, or leave it empty",
                         row=row, column=headers["utgangsar"])


def load_focus_plan(path: str | Path, kommun: str, *, allow_empty: bool = False) -> pd.DataFrame:
    """Load an analyst-edited åtgärdsplan (CSV or Excel) for one kommun, checking every cell.

    Headers are the template's (:data:`TEMPLATE`) or the report's Swedish headings (``Problem``,
    ``Orsak``, ``Åtgärd``, ``Operativa mål`` …, so the draft downloaded from the report loads as it
    is); case does not matter. A plan in the earlier columns (``aktivitet``, ``mal``, ``ansvar``)
    loads too: they are other names of ``atgard``, ``operativt_mal`` and ``ansvarig``. An ``.xlsx``
    is read from the sheet ``atgardsplan`` if there is one, else the first sheet.

    Parameters
    ----------
    path : str or Path
    kommun : str
        The kommun the report is for: rows with another kommun code are skipped.
    allow_empty : bool
        Return an empty plan instead of raising when no row is for ``kommun`` (a shared example).

    Returns
    -------
    pandas.DataFrame
        :data:`FOCUS_PLAN_SCHEMA`: :data:`PLAN_COLUMNS` as text (spaces collapsed; ``status`` as a code
        of :data:`lagesbild.stats.goals.STATUSES` or ""; ``orsak`` "" when it still holds the draft's
        prompts; ``matt`` a code of :data:`lagesbild.summary.plan_text.MEASURE_WORDS`, ``malvarde`` a
        number with a decimal point, ``riktning`` "högst" or "minst" for a row with a measure), index =
        spreadsheet row, ``attrs["file"]`` and ``attrs["headers"]`` (column → the file's header).

    Raises
    ------
    InputError
        Naming file, row and column: unknown, duplicate or missing columns, an empty problem,
        åtgärd, operativt mål or uppföljning, a cell longer than :data:`MAX_CELL_CHARS`, a kommun
        code that is not four digits, a status that is none of the words, a measure the suite cannot
        follow up (the error lists the supported ones) or one without its subject, target or year,
        the same problem and åtgärd twice, or no row for the kommun.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "plan.csv"
    >>> _ = p.write_text("Problem;Aktivitet;Uppföljning;Mål\\nKlotter i centrum;Snabb sanering;Anmälda brott;"
    ...                  "Lägre än 2024 år 2027\\n", encoding="utf-8")
    >>> load_focus_plan(p, "2080").loc[2, ["problem", "atgard", "operativt_mal", "orsak"]].tolist()
    ['Klotter i centrum', 'Snabb sanering', 'Lägre än 2024 år 2027', '']
    >>> _ = p.write_text("problem;atgard;uppfoljning;mal;matt;avser;malvarde;malar\\n"
    ...                  "Klotter;Sanering;Platsdata;Minst 3,5;Faktorpoäng;Torget;3,5;2027\\n", encoding="utf-8")
    >>> load_focus_plan(p, "2080").loc[2, ["matt", "malvarde", "riktning"]].tolist()  # a higher score is better
    ['faktorpoang', '3.5', 'minst']
    >>> _ = p.write_text("problem;atgard;uppfoljning;mal;matt;avser;malvarde;malar\\n"
    ...                  "Klotter;Sanering;Brå;Högst 800;skjutningar;Torget;5;2027\\n", encoding="utf-8")
    >>> load_focus_plan(p, "2080")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: ...plan.csv, row 2, column 'matt': 'skjutningar' is not a measure. Fix: use one of the supported measures: brott, ntu, trygghetsmatning, avloppsvatten, faktorpoang, handelser; or empty the measure columns and write the status yourself.
    """
    path = Path(path)
    file = str(path)
    kommun = str(kommun).strip()
    reads.file(path)
    # every kommun's lägesbild reads the example plans: the file is read once per process, checked per kommun below
    df, headers = parsed_once("atgardsplan", {"plan": path}, lambda: TEMPLATE.read(path))
    has_kommun = "kommun" not in df.attrs["absent"]
    for col in (*PLAN_COLUMNS, "kommun"):
        df[col] = df[col].astype(str).map(lambda v: " ".join(v.split()))
    if has_kommun:
        bad = (df["kommun"] != "") & ~df["kommun"].str.match(_KOMMUN_RE)
        if bad.any():
            row = _first(bad)
            raise InputError(file, f"{plain(df.loc[row, 'kommun'])} is not a four-digit kommun code",
                             "write the SCB kommun code as four digits (keep the leading zero, e.g. 0114), or leave the "
                             "cell empty for the kommun the report is for", row=row, column=headers["kommun"])
        df = df[(df["kommun"] == "") | (df["kommun"] == kommun)].copy()
    what = {"problem": "write the problem", "atgard": "write what is done about the problem",
            "operativt_mal": "write a measurable goal with a year",
            "uppfoljning": "write how it is followed up (which measure, from which source, how often)"}
    for col, fix in what.items():
        empty = df[col] == ""
        if empty.any():
            raise InputError(file, "the cell is empty", f"{fix} (every row needs problem, atgard, operativt_mal and "
                             "uppfoljning)", row=_first(empty), column=headers[col])
    for col in PLAN_COLUMNS:
        long = df[col].str.len() > MAX_CELL_CHARS
        if long.any():
            row = _first(long)
            raise InputError(file, f"the cell has {len(df.loc[row, col])} characters, more than {MAX_CELL_CHARS}",
                             "shorten it: the plan is a table; put the details in the kommun's own documents",
                             row=row, column=headers.get(col, col))
    codes = df["status"].map(_status_code)
    if codes.isna().any():
        row = _first(codes.isna())
        raise InputError(file, f"{plain(df.loc[row, 'status'])} is not a status",
                         "write grön, gul or röd (or uppnått, på väg, inte uppnått, går inte att mäta än), or leave "
                         "the cell empty", row=row, column=headers["status"])
    df["status"] = codes.astype(str)
    df.loc[df["orsak"].str.startswith(ORSAK_PROMPT_START), "orsak"] = ""
    _check_measures(df, file, headers)
    key = df["problem"].str.casefold() + "|" + df["atgard"].str.casefold()
    dup = key.duplicated(keep="first")
    if dup.any():
        second = _first(dup)
        first = _first(key == key[second])
        raise InputError(file, f"rows {first} and {second} have the same problem and activity",
                         "delete one of the rows or make them different", row=second, column=headers["atgard"])
    if df.empty and not allow_empty:
        raise InputError(file, f"the plan has no row for kommun {kommun}",
                         f"add rows for {kommun} (or leave the kommun cells empty), or check the kommun column",
                         column=headers["kommun"] if has_kommun else None)
    out = schemas.validate(df[list(PLAN_COLUMNS)].astype(str), FOCUS_PLAN_SCHEMA, file)
    out.attrs["file"] = file
    out.attrs["headers"] = {c: headers.get(c, c) for c in PLAN_COLUMNS}  # the file's own headers, for errors
    return out


def _instructions_rows() -> list[it.InstructionRow]:
    rows = it.instructions_rows(
        [TEMPLATE], "Mall för åtgärdsplan (Brås kolumner)",
        "Fyll i bladet atgardsplan (en rad per problem) och spara det som atgardsplan_ÅÅÅÅ.csv eller "
        "atgardsplan_ÅÅÅÅ.xlsx (ÅÅÅÅ = planens år) i en mapp med kommunens planer, en fil per år. Ange mappen (eller en "
        "enda fil) med parametern focus_plan (reports: lagesbild: focus_plan i kommunens parameterfil). Lägesbilden "
        "visar då den senaste planen i avsnitt 3 och följer upp planen året före rad för rad i avsnitt 4. "
        "Exempelraderna ska ersättas.")
    rows += [
        ("Orsak", "", "Skriv orsaken efter en orsaksanalys med brottstriangeln: gärningsperson (vilka begår brotten och "
         "varför), offer/objekt (vilka eller vad drabbas) och plats och tillfälle (var och när, vad gör platsen "
         "sårbar, vilken tillsyn saknas). En tom orsak visas som 'orsak inte angiven'.", ""),
        ("Mätbara mål", "", "Ett mål med mått (matt, matt_avser, malvarde, malar, riktning, utgangsar) får sin status "
         f"uträknad vid varje bygge. Mått som stöds: {_SUPPORTED}. För faktorpoang och handelser skrivs platsens namn "
         "som i platsdatans platser i matt_avser; serierna kommer ur rapporten Platsbedömning. " + GOAL_RULE, ""),
        ("Rubriker", "", "Rubrikerna kan också vara lägesbildsrapportens (Problem, Orsak, Åtgärd, Operativa mål, När, "
         "Ansvarig, Uppföljning, Status, Mått, Avser, Målvärde, Målår, Riktning, Utgångsår) eller den tidigare mallens "
         "(aktivitet, mal, ansvar). Stora och små bokstäver spelar ingen roll.", ""),
    ]
    return rows


def workbook_bytes() -> bytes:
    """The template workbook ``atgardsplan.xlsx``: the plan's sheet and ``Instruktioner``; deterministic.

    Examples
    --------
    >>> workbook_bytes() == workbook_bytes()
    True
    """
    from lagesbild.core.workbook import template_workbook

    rows = _instructions_rows()
    return template_workbook([TEMPLATE], rows, instruction_widths=(32, 20, 100, 30),
                             titles={r[0] for r in rows if r[0] and not r[1] and r[0] not in ("Kolumn",)},
                             column_width=lambda col: max(14, min(50, max(len(col.name), len(col.example)) + 3)))


def template_csv() -> str:
    """The template ``atgardsplan.csv`` as text (``;``-separated, UTF-8 BOM, the example rows).

    Examples
    --------
    >>> template_csv().splitlines()[0]
    '\\ufeffkommun;problem;orsak;atgard;operativt_mal;nar;ansvarig;uppfoljning;status;matt;matt_avser;malvarde;malar;riktning;utgangsar'
    """
    return TEMPLATE.csv_text(TEMPLATE.rows)


def templates_markdown() -> str:
    """``data/templates/atgardsplan/README.md``: every column and how the plan reaches the report.

    Examples
    --------
    >>> text = templates_markdown()
    >>> "| problem | ja |" in text, "focus_plan" in text
    (True, True)
    """
    lines = [
        "# Mall för åtgärdsplan (åtgärdsplan template)",
        "",
        it.generated_note("lagesbild.summary.focus_plan.write_templates", "TEMPLATE",
                          "lib/lagesbild/summary/focus_plan.py"),
        "",
        "Lag (2023:196) asks the kommun to base an **åtgärdsplan** on the lägesbild and to follow it up. The lägesbild "
        "report (`notebooks/lagesbild.ipynb`) writes the plan in Brå's columns (\"Upprätta åtgärdsplan\", bra.se): "
        "**Problem, Orsak, Åtgärd, Operativa mål, När, Ansvarig, Uppföljning, Status** (grön / gul / röd). Without a "
        "plan of the kommun's own it shows a *draft*, drawn from the problems that stand out in the data "
        "(`lagesbild.summary.focus_plan.draft_focus_plan`), with Brå's prompts for the cause analysis in *Orsak*. The "
        "analyst edits it and gives it back:",
        "",
        "1. download the draft from the report (the links under the table: CSV or Excel), or copy `atgardsplan.csv` "
        "from this folder;",
        "2. edit the rows: keep, change, delete or add problems; write the cause after a cause analysis (the crime "
        "triangle: offender, victim/target, place and opportunity), when, who is responsible and the status;",
        "3. save it as `atgardsplan_<year>.csv` (or `.xlsx`), `<year>` being the plan's year, in a folder that keeps "
        "one plan per year (`atgardsplan_2025.csv`, `atgardsplan_2026.xlsx`, …), and point the report at the folder "
        "with the parameter `focus_plan` (in the kommun's YAML: `reports: lagesbild: focus_plan: \"path/to/folder\"`, "
        "relative to the repository). Build the report again.",
        "",
        "**The yearly cycle** (lägesbild → åtgärdsplan → uppföljning → ny lägesbild): the newest plan in the folder is "
        "shown in section 3 (*Åtgärdsplan*); the plan of the year before it is followed up row by row in section 4 "
        "(*Uppföljning*), with the status computed from the data for every goal with a measure and the analyst's "
        "status for the others, beside the commitments and projects of the project evaluation. Other table files in "
        "the folder are an error; `metadata.yaml` (as in other data folders, `exempeldata: true` for invented data) "
        "and other files are allowed. `focus_plan` may still name a single file as before: that plan is the current "
        "one (its year taken from a name like `atgardsplan_2026.csv`), and nothing is followed up. With "
        "`focus_plan` empty the report reads the bundled example plans in `data/example/atgardsplan/` (Falun, 2080, and "
        "Helsingborg, 1283; "
        "labelled as example data in the report) when they have rows for the kommun, else it shows the draft.",
        "",
        "**Measurable operativa mål.** A goal the suite can measure names its measure in the optional columns `matt` "
        f"({', '.join(f'`{k}`' for k in MEASURE_WORDS)}), `matt_avser` (the Brå category as in the crime report, the "
        "NTU question as in the lägesbild's NTU table, the survey area, the substance as in the wastewater report, "
        "e.g. `Kokain`, or, for `faktorpoang` and `handelser`, the place by its name in the place data's `platser`, "
        "e.g. `Gångtunneln vid Eneborg`), `malvarde` (the target), `malar` (the "
        "target year), `riktning` (`högst`, the default, or `minst`; for `faktorpoang` the default is `minst`, since a "
        "higher factor score is better) and `utgangsar` (the baseline year; empty = the "
        "year before the plan's). Each rebuild judges it with this rule (`lagesbild.stats.goals.goal_status`):",
        "",
        f"> {GOAL_RULE}",
        "",
        "`faktorpoang` is the place's combined factor score (*samlad poäng*, 1–5, the mean of the assessed factors) "
        "at the latest inspection of a year, as the place assessment report computes it; `handelser` counts the "
        "events of the place data's incident log at the place in a year (by `plats_id` or by position inside the "
        "place). Both series are published by the place assessment report (its key figures, `place_series`; "
        "build it first) and never with a count below 3. A place name that is not in the place data is an error "
        "that lists the places; without place data for the kommun such a goal is not measurable yet. A measure that "
        "is none of these is an error that lists the supported ones; write the status yourself instead.",
        "",
        "Headers match case-insensitively and may be the template's, the report's headings (`Problem`, `Orsak`, "
        "`Åtgärd`, `Operativa mål`, `När`, `Ansvarig`, `Uppföljning`, `Status`, `Mått`, `Avser`, `Målvärde`, `Målår`, "
        "`Riktning`, `Utgångsår`) or the earlier template's (`aktivitet`, `mal`, `ansvar`: a plan written before "
        "loads as it is); a column that is none of them is an error, so that a misspelt header is never silently "
        "ignored. An `.xlsx` is read from the sheet `atgardsplan` if there is one, else from the first sheet. Every "
        "problem is reported with file, spreadsheet row, column and a fix. The example rows are invented.",
        "",
        "The files here are written by `lagesbild.summary.focus_plan.write_templates(\"data/templates/atgardsplan\")`; "
        "a test checks that they are what it writes today and that the example rows load.",
        "",
        *it.columns_markdown(TEMPLATE),
    ]
    lines += [
        "Every row needs `problem`, `atgard`, `operativt_mal` and `uppfoljning`; a row with `matt` needs "
        f"`matt_avser`, `malvarde` and `malar`; a cell holds at most {MAX_CELL_CHARS} characters; the same problem "
        "with the same åtgärd twice is an error. `status` is grön, gul, röd, uppnått, på väg, inte uppnått, går inte "
        "att mäta än or empty. Rows whose `kommun` is another kommun's code are skipped, so one file may hold "
        "several kommuners plans.",
        "",
    ]
    return "\n".join(lines)


def write_templates(folder: str | Path) -> list[Path]:
    """Write the templates ``atgardsplan.csv``, ``atgardsplan.xlsx`` and ``README.md`` atomically.

    Parameters
    ----------
    folder : str or Path
        Target folder (created if missing), e.g. ``data/templates/atgardsplan``.

    Returns
    -------
    list of Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> [p.name for p in write_templates(pathlib.Path(tempfile.mkdtemp()))]
    ['atgardsplan.csv', 'atgardsplan.xlsx', 'README.md']
    """
    return it.write_templates(folder, [TEMPLATE], workbook_name="atgardsplan.xlsx", workbook=workbook_bytes(),
                              readme=templates_markdown())


__all__ = [
    "ACTIVITY_MEASURES", "ANALYSIS_ACTIVITY", "DEFAULT_DIRECTION", "DIRECTIONS", "FOCUS_COLUMNS", "FOCUS_HEADINGS", "FOCUS_PLAN_SCHEMA",
    "FOLLOW_UP_TAIL", "MAX_CELL_CHARS", "MEASURE_COLUMNS", "NON_PLACE_ACTIVITY", "NON_PLACE_PREFIXES", "PLAN_COLUMNS",
    "REQUIRED", "TEMPLATE", "activity_for", "draft_focus_plan", "focus_plan_display", "focus_plan_file", "focus_plan_path", "goal_year",
    "has_measures", "number_cell",
    "load_focus_plan", "template_csv", "templates_markdown", "workbook_bytes", "write_templates"
]
