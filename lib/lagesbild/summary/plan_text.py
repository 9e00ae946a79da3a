"""The Swedish words of the åtgärdsplan and its follow-up: statuses, the rule, the causes' prompts, the measures.

Brå's guidance for an åtgärdsplan ("Upprätta åtgärdsplan", bra.se) asks per problem for its cause
(orsak), the measure (åtgärd), measurable operational goals (operativa mål), when, who is responsible,
how it is followed up, and a status (grön / gul / röd). This module holds what the reader reads about
that: the status words (:data:`GOAL_STATUS_WORDS`, :data:`GOAL_STATUS_COLOURS`), Brå's prompts for the cause
analysis with the crime triangle (:data:`ORSAK_PROMPT`), the measures the suite can follow up
(:data:`MEASURE_WORDS`), the printed rule by which each rebuild judges a measurable goal
(:data:`GOAL_RULE`, computed in :mod:`lagesbild.stats.goals`), one sentence per reason
(:func:`reason_text`) and the follow-up's summary (:func:`followup_summary`).
"""

from __future__ import annotations

from collections.abc import Mapping

from lagesbild.core import fmt, privacy
from lagesbild.places.factors import CHANGE_TOLERANCE
from lagesbild.stats import goals as g

#: Status codes (:data:`lagesbild.stats.goals.STATUSES`) → the report's words.
GOAL_STATUS_WORDS: dict[str, str] = {g.MET: "uppnått", g.ON_THE_WAY: "på väg", g.NOT_MET: "inte uppnått",
                                g.NOT_MEASURABLE: "går inte att mäta än"}
#: Status codes → Brå's traffic-light colour (none for "not measurable yet").
GOAL_STATUS_COLOURS: dict[str, str] = {g.MET: "grön", g.ON_THE_WAY: "gul", g.NOT_MET: "röd", g.NOT_MEASURABLE: ""}
#: What an analyst may write in the plan's ``status`` column (lower case) → status code.
GOAL_STATUS_INPUT: dict[str, str] = {
    "grön": g.MET, "gron": g.MET, "uppnått": g.MET, "uppnatt": g.MET,
    "gul": g.ON_THE_WAY, "på väg": g.ON_THE_WAY, "pa vag": g.ON_THE_WAY,
    "röd": g.NOT_MET, "rod": g.NOT_MET, "inte uppnått": g.NOT_MET, "inte uppnatt": g.NOT_MET,
    "går inte att mäta än": g.NOT_MEASURABLE, "gar inte att mata an": g.NOT_MEASURABLE,
}

#: The start of :data:`ORSAK_PROMPT`: a plan whose ``orsak`` still begins so has no cause written down.
ORSAK_PROMPT_START = "Att fylla i efter orsaksanalys"
#: Brå's prompts for the cause analysis, with the crime triangle, written into the draft's Orsak.
ORSAK_PROMPT = (f"{ORSAK_PROMPT_START}: varför uppstår problemet just här och nu? Gärningsperson: vilka begår "
                "brotten och vad driver dem? Offer/objekt: vilka eller vad drabbas, och varför just de? Plats och "
                "tillfälle: var och när sker det, vad gör platsen sårbar och vilken tillsyn eller vilket skydd saknas? "
                "Ta hjälp av polisen, socialtjänsten, skolan och de som bor och verkar på platsen.")
#: An empty Orsak in a kommun's plan, as the report shows it.
NO_CAUSE = "orsak inte angiven"

#: Measure kinds the suite follows up (code → what the value is), in the order of Brå's guidance.
MEASURE_WORDS: dict[str, str] = {
    "brott": "anmälda brott per 100 000 invånare (Brå)",
    "ntu": "andel i procent i NTU (Brå)",
    "trygghetsmatning": "totalindex i polisens trygghetsmätning (0–6, högre = fler problem)",
    "avloppsvatten": "belastning i avloppsvattnet i mg per dag och 1 000 invånare (medel över mätveckans dygn)",
    "faktorpoang": "samlad poäng i platsbedömningen (1–5, högre = bättre)",
    "handelser": "händelser per år i händelseloggen vid platsen",
}

#: Where each measure's series comes from, as the follow-up names a missing one.
SOURCE_NAMES: dict[str, str] = {"brott": "Rapporten Brottsutvecklingen (Brås statistik)",
                                "ntu": "NTU (Brås kommunindikatorer)", "trygghetsmatning": "Polisens trygghetsmätning",
                                "avloppsvatten": "Rapporten Narkotika i avloppsvatten (mätningar i kommunen)",
                                "faktorpoang": "Platsbedömningens platsdata (besiktningar)",
                                "handelser": "Platsbedömningens platsdata (händelselogg)"}

#: The rule by which each rebuild judges a measurable goal (:func:`lagesbild.stats.goals.goal_status`).
GOAL_RULE = (
    "Mål med ett mått som sviten kan följa (anmälda brott per 100 000 invånare, en andel i NTU, totalindex i "
    "polisens trygghetsmätning, belastningen av en substans i avloppsvattnet, antalet händelser vid en plats eller "
    "en plats samlade poäng i platsbedömningen) bedöms på nytt vid varje bygge. Uppnått: det senaste värdet (målårets, annars det "
    "senaste före) ligger på rätt sida om målvärdet och det är statistiskt säkert – antingen en tydlig förändring åt "
    "rätt håll sedan utgångsåret (E-test för antal brott och händelser, konfidensintervallen för enkäter, Welchs t-test på "
    "logaritmerade dygnsbelastningar för avloppsvatten) eller ett värde som tydligt ligger på rätt sida om "
    "målvärdet. På väg: värdet ligger på rätt sida om målvärdet men skillnaden kan "
    "vara slump, eller målåret är inte nått och värdet har rört sig mot målet utan tydlig försämring. Inte uppnått: "
    "annars. Händelser vid en plats räknas per år ur platsdatans händelselogg; ett år som loggen bara täcker till en "
    "del jämförs per månad (de täckta månaderna räknas in i testet), och ett antal under "
    f"{privacy.MIN_PUBLISHED} visas aldrig utan bedöms med det minst gynnsamma värdet (0–{privacy.MIN_PUBLISHED - 1}). "
    "En plats samlade poäng är en bedömning vid en besiktning, inte ett stickprov, och prövas därför inte statistiskt: "
    "uppnått när poängen vid den senaste besiktningen ligger på rätt sida om målvärdet, på väg när målåret inte är nått "
    f"och poängen har rört sig minst {fmt.number(CHANGE_TOLERANCE, 1)} mot målet sedan utgångsåret (samma gräns som "
    "platsbedömningen använder för en förändring), annars inte uppnått. "
    "Går inte att mäta än: ingen mätning efter utgångsåret finns i underlaget. Mål utan mått har den status "
    "som kommunen själv har skrivit i planen. Statusen säger om målet nåddes, inte varför: att åtgärderna orsakade "
    "förändringen behöver prövas mot andra förklaringar (polisens prioriteringar, viljan att anmäla, förändringar i "
    "hela länet) och helst utvärderas som projekt."
)


def status_text(code: str) -> str:
    """A status as the report shows it: the word with Brå's colour.

    Examples
    --------
    >>> status_text("met"), status_text("not_measurable"), status_text("")
    ('Uppnått (grön)', 'Går inte att mäta än', 'Ingen status angiven')
    """
    if not code:
        return "Ingen status angiven"
    word = GOAL_STATUS_WORDS[code]
    colour = GOAL_STATUS_COLOURS[code]
    return word[:1].upper() + word[1:] + (f" ({colour})" if colour else "")


def _value(kind: str, value: float | None) -> str:
    if value is None:
        return "–"
    if kind == "brott":
        return fmt.number(value)
    if kind == "ntu":
        return f"{fmt.number(value, 1)}\u00a0%"
    if kind in ("avloppsvatten", "faktorpoang"):
        return fmt.number(value, 1)
    if kind == "handelser":
        return fmt.number(value) if float(value).is_integer() else fmt.number(value, 1)
    return fmt.number(value, 2)


def measure_text(kind: str, subject: str, target: float, target_year: int, lower_is_better: bool = True) -> str:
    """A measurable goal in words: the measure, the direction, the target and the year.

    Examples
    --------
    >>> measure_text("brott", "Inbrottsstöld i bostad", 450.0, 2027)
    'Inbrottsstöld i bostad: anmälda brott per 100 000 invånare (Brå) högst 450 år 2027'
    >>> measure_text("trygghetsmatning", "Centrum", 2.4, 2027).replace("\\xa0", " ")
    'Centrum: totalindex i polisens trygghetsmätning (0–6, högre = fler problem) högst 2,40 år 2027'
    """
    direction = "högst" if lower_is_better else "minst"
    return f"{subject}: {MEASURE_WORDS[kind]} {direction} {_value(kind, target)} år {target_year}"


def plan_measure_text(kind: str, subject: str, target: str, target_year: str, direction: str = "högst",
                      baseline_year: str = "") -> str:
    """A plan row's measure columns in one cell for the reader ("–" for a goal without a measure).

    The plan's file keeps them apart (its loader reads them); the report shows them as one phrase, the
    target as the analyst wrote it (decimal comma).

    Examples
    --------
    >>> plan_measure_text("brott", "Rån", "20.5", "2027", "högst", "2024")
    'Rån: anmälda brott per 100 000 invånare (Brå) högst 20,5 år 2027, jämfört med 2024'
    >>> plan_measure_text("ntu", "Otrygg ute sent", "15", "2027", "högst").replace("\xa0", " ")
    'Otrygg ute sent: andel i procent i NTU (Brå) högst 15 % år 2027'
    >>> plan_measure_text("", "", "", "")
    '–'
    """
    kind = str(kind).strip()
    if not kind:
        return "–"
    value = str(target).strip().replace(".", ",") + ("\u00a0%" if kind == "ntu" else "")
    phrase = f"{subject}: {MEASURE_WORDS.get(kind, kind)} {direction} {value} år {target_year}"
    return phrase + (f", jämfört med {baseline_year}" if str(baseline_year).strip() else "")


def outcome_text(kind: str, status: g.GoalStatus) -> str:
    """The measured value (and the baseline) of a goal in words.

    Examples
    --------
    >>> s = g.goal_status(160, 2027, g.CountObservation(2025, 150, 1e5), g.CountObservation(2024, 200, 1e5))
    >>> outcome_text("brott", s)
    '150 år 2025 (200 år 2024)'
    >>> outcome_text("ntu", g.goal_status(10, 2027, None))
    'ingen mätning i underlaget'
    """
    if status.value is None:
        return "ingen mätning i underlaget"
    out = f"{_value(kind, status.value)} år {status.year}"
    if status.baseline_value is not None and status.baseline_year != status.year:
        out += f" ({_value(kind, status.baseline_value)} år {status.baseline_year})"
    return out


def event_count_text(point: Mapping | None, year: int | None) -> str:
    """A place's published count of a year as the report shows it: the number, "färre än 3" or "visas inte".

    ``point`` is an entry of the place report's ``place_series`` events (``count``, ``months``, ``small``,
    ``hidden``); a year the incident log covers only in part says how many months.

    Examples
    --------
    >>> event_count_text({"count": 31, "months": 12, "small": False, "hidden": False}, 2025)
    '31 år 2025'
    >>> event_count_text({"count": None, "months": 10, "small": True, "hidden": False}, 2025)
    'färre än 3 år 2025 (10 av 12 månader)'
    >>> event_count_text({"count": None, "months": 12, "small": False, "hidden": True}, 2024)
    'visas inte år 2024'
    """
    if point is None or year is None:
        return "ingen mätning i underlaget"
    if point["small"]:
        shown = privacy.SMALL_LABEL
    elif point["hidden"]:
        shown = privacy.HIDDEN_LABEL
    else:
        shown = fmt.number(point["count"])
    months = f" ({point['months']} av 12 månader)" if point["months"] < 12 else ""
    return f"{shown} år {year}{months}"


def event_outcome_text(status: g.GoalStatus, points: Mapping[int, Mapping]) -> str:
    """The outcome of a goal on the events at a place: the published counts, never one below 3.

    The status's own values are rates (a partial year per 12 months) and, for a withheld count, the least
    favourable value it was judged at; the reader gets the published counts (:func:`event_count_text`).

    Examples
    --------
    >>> pts = {2024: {"count": 12, "months": 12, "small": False, "hidden": False},
    ...        2025: {"count": None, "months": 12, "small": True, "hidden": False}}
    >>> s = g.goal_status(5, 2027, g.CountObservation(2025, 2, 1.0, per=1), g.CountObservation(2024, 12, 1.0, per=1))
    >>> event_outcome_text(s, pts)
    'färre än 3 år 2025 (12 år 2024)'
    """
    if status.year is None:
        return "ingen mätning i underlaget"
    out = event_count_text(points.get(status.year), status.year)
    if status.baseline_year is not None and status.baseline_year != status.year:
        out += f" ({event_count_text(points.get(status.baseline_year), status.baseline_year)})"
    return out


def event_notes(status: g.GoalStatus, points: Mapping[int, Mapping]) -> str:
    """What the follow-up adds about a goal on events: counts below 3 judged at their least favourable value,
    and years the incident log covers only in part.

    Examples
    --------
    >>> pts = {2024: {"count": 12, "months": 12, "small": False, "hidden": False},
    ...        2025: {"count": None, "months": 9, "small": True, "hidden": False}}
    >>> s = g.goal_status(5, 2027, g.CountObservation(2025, 2, 0.75, per=1), g.CountObservation(2024, 12, 1.0, per=1))
    >>> print(event_notes(s, pts))
     Antal under 3 visas inte; statusen är bedömd med det minst gynnsamma antalet (0–2), så den avslöjar inte antalet. Händelseloggen täcker bara 9 månader av 2025; jämförelsen räknar med de täckta månaderna.
    """
    years = [y for y in (status.year, status.baseline_year) if y is not None]
    used = [points[y] for y in dict.fromkeys(years) if y in points]
    out = ""
    if any(p["small"] for p in used):
        out += (f" Antal under {privacy.MIN_PUBLISHED} visas inte; statusen är bedömd med det minst gynnsamma antalet "
                f"(0–{privacy.MIN_PUBLISHED - 1}), så den avslöjar inte antalet.")
    partial = [(y, points[y]["months"]) for y in dict.fromkeys(years) if y in points and points[y]["months"] < 12]
    if partial:
        parts = fmt.join([f"{m} månader av {y}" for y, m in partial])
        out += f" Händelseloggen täcker bara {parts}; jämförelsen räknar med de täckta månaderna."
    return out


def p_text(p: float) -> str:
    """A p-value in words: two decimals, three below 0,01, "p < 0,001" below that.

    Examples
    --------
    >>> p_text(0.2), p_text(0.0259), p_text(0.0011), p_text(6e-8)
    ('p = 0,20', 'p = 0,026', 'p = 0,001', 'p < 0,001')
    """
    if p < 0.001:
        return "p < 0,001"
    return f"p = {fmt.number(p, 2 if p >= 0.05 else 3)}"


def reason_text(status: g.GoalStatus, start_year: int | None = None) -> str:
    """Why a measured goal has its status, in one sentence.

    Examples
    --------
    >>> s = g.goal_status(105, 2027, g.CountObservation(2025, 100, 1e5), g.CountObservation(2024, 110, 1e5))
    >>> reason_text(s)
    'Värdet ligger på rätt sida om målvärdet, men förändringen sedan utgångsåret är inte statistiskt säker (p = 0,49).'
    >>> reason_text(g.goal_status(3.0, 2027, g.ScoreObservation(2025, 2.75), g.ScoreObservation(2024, 1.67),
    ...                           lower_is_better=False, tolerance=0.5))
    'Målåret är inte nått; poängen har rört sig minst 0,5 mot målet sedan utgångsåret.'
    """
    r = status.reason
    p = f" ({p_text(status.change_p)})" if status.change_p is not None else ""
    if r == "no_data":
        return "Måttet finns inte i underlaget för kommunen."
    if r == "no_new_data":
        after = f" efter {start_year}" if start_year is not None else ""
        return f"Ingen mätning{after} finns i underlaget ännu (senaste är från {status.year})."
    if r == "clear_change":
        return f"Värdet ligger på rätt sida om målvärdet och förändringen sedan utgångsåret är statistiskt säker{p}."
    if r == "clear_level":
        return "Värdet ligger tydligt (statistiskt säkert) på rätt sida om målvärdet."
    if r == "not_clear":
        return f"Värdet ligger på rätt sida om målvärdet, men förändringen sedan utgångsåret är inte statistiskt säker{p}." \
            if status.baseline_value is not None else \
            "Värdet ligger på rätt sida om målvärdet, men skillnaden mot målvärdet kan vara slump."
    if r == "uncertainty_unknown":
        return "Värdet ligger på rätt sida om målvärdet, men osäkerheten är okänd (inget konfidensintervall)."
    if r == "moving_towards":
        return f"Målåret är inte nått; värdet har rört sig mot målet utan tydlig försämring{p}."
    if r == "clear_away":
        return f"Värdet har tydligt rört sig bort från målet sedan utgångsåret{p}."
    step = fmt.number(CHANGE_TOLERANCE, 1)
    if r == "assessed_on_side":
        return ("Poängen vid den senaste besiktningen ligger på rätt sida om målvärdet (en bedömning, inte ett "
                "stickprov: det finns ingen slumposäkerhet att pröva).")
    if r == "assessed_towards":
        return f"Målåret är inte nått; poängen har rört sig minst {step} mot målet sedan utgångsåret."
    if r == "assessed_away":
        return f"Poängen har rört sig minst {step} bort från målet sedan utgångsåret."
    if r == "withheld":
        return (f"Antalet år {status.year} visas inte, eftersom ett antal under {privacy.MIN_PUBLISHED} annars skulle "
                "gå att räkna fram ur platsbedömningens tabell över händelser per plats; målet kan inte bedömas här.")
    if status.year is not None and status.year < status.target_year:
        return f"Målåret är inte nått, men värdet har inte rört sig mot målet{p}."
    return f"Värdet når inte målvärdet år {status.year}."


def followup_summary(counts: Mapping[str, int], year: int | None) -> str:
    """One sentence: how many of the previous plan's goals have each status.

    Examples
    --------
    >>> followup_summary({"met": 1, "on_the_way": 2, "not_met": 0, "not_measurable": 1, "": 1}, 2025)
    'Åtgärdsplanen för 2025 har 5 mål: 1 uppnått, 2 på väg, 1 går inte att mäta än och 1 utan status.'
    """
    total = sum(counts.values())
    parts = [f"{n} {GOAL_STATUS_WORDS[code]}" for code, n in counts.items() if n and code in GOAL_STATUS_WORDS]
    if counts.get(""):
        parts.append(f"{counts['']} utan status")
    plan = f"Åtgärdsplanen för {year}" if year is not None else "Den förra åtgärdsplanen"
    return f"{plan} har {total} mål: {fmt.join(parts)}."


#: Headings of the follow-up table (:func:`followup_table`).
FOLLOWUP_HEADINGS: tuple[str, ...] = ("Problem", "Åtgärd", "Operativa mål", "Mått och målvärde", "Utfall", "Status",
                                      "Bedömning")


def followup_table(followup):
    """The previous plan's outcome, row by row: goal, measure, outcome, status and how it was judged.

    Parameters
    ----------
    followup : pandas.DataFrame
        :func:`lagesbild.summary.followup.follow_up`.

    Returns
    -------
    pandas.DataFrame
        :data:`FOLLOWUP_HEADINGS`. A goal without a measure has the analyst's status and says so; a
        measure whose series is not in the data says which; a status computed on invented example data
        says that too.

    Examples
    --------
    >>> import pandas as pd
    >>> s = g.goal_status(450, 2027, g.CountObservation(2025, 203, 59960.0), g.CountObservation(2024, 327, 59940.0))
    >>> f = pd.DataFrame([{"problem": "Inbrott", "atgard": "Grannsamverkan", "operativt_mal": "Högst 450", "matt": "brott",
    ...     "matt_avser": "Inbrottsstöld i bostad", "status": s.status, "computed": True, "source": True, "found": True,
    ...     "example": False,
    ...     "goal": s, "start_year": 2024}, {"problem": "Våld", "atgard": "Utbildning", "operativt_mal": "Alla utbildade",
    ...     "matt": "", "matt_avser": "", "status": "on_the_way", "computed": False, "source": False, "found": False,
    ...     "example": False,
    ...     "goal": None, "start_year": None}])
    >>> t = followup_table(f)
    >>> t.loc[0, "Utfall"], t.loc[0, "Status"], t.loc[1, "Bedömning"]
    ('339 år 2025 (546 år 2024)', 'Uppnått (grön)', 'Kommunens egen bedömning (målet har inget mått som sviten kan följa).')
    """
    import pandas as pd

    rows = []
    for r in followup.to_dict("records"):
        goal = r["goal"]
        if not r["computed"]:
            rows.append([r["problem"], r["atgard"], r["operativt_mal"], "–", "–", status_text(r["status"]),
                         "Kommunens egen bedömning (målet har inget mått som sviten kan följa)."])
            continue
        measure = measure_text(r["matt"], r["matt_avser"], goal.target, goal.target_year, goal.lower_is_better)
        points = r.get("points") if isinstance(r.get("points"), Mapping) else {}
        if not r["source"]:
            why = f"{SOURCE_NAMES[r['matt']]} finns inte för kommunen i underlaget."
        elif not r["found"]:
            why = f"{r['matt_avser']} finns inte i underlaget för kommunen; kontrollera stavningen mot rapporten."
        elif r["matt"] == "faktorpoang" and goal.reason == "no_data":
            why = f"{r['matt_avser']} har ingen besiktning med samlad poäng i underlaget."
        else:
            start = None if r["start_year"] is None or pd.isna(r["start_year"]) else int(r["start_year"])
            why = (reason_text(goal, start) + (" En mätvecka behöver inte representera hela året."
                                               if r["matt"] == "avloppsvatten" and goal.value is not None else "")
                   + (event_notes(goal, points) if r["matt"] == "handelser" else "")
                   + (f" Siffrorna för {goal.year} är Brås preliminära." if r.get("preliminary") else "")
                   + (" Mätningen är påhittade exempeldata." if r["example"] else ""))
        outcome = event_outcome_text(goal, points) if r["matt"] == "handelser" else outcome_text(r["matt"], goal)
        rows.append([r["problem"], r["atgard"], r["operativt_mal"], measure, outcome, status_text(r["status"]), why])
    return pd.DataFrame(rows, columns=list(FOLLOWUP_HEADINGS))


def followup_classes(followup) -> list[str | None]:
    """The Status column's cell colours: Brå's grön / gul / röd, the colour the cell's text names.

    Examples
    --------
    >>> import pandas as pd
    >>> followup_classes(pd.DataFrame({"status": ["met", "not_met", "on_the_way", "not_measurable", ""]}))
    ['grön', 'röd', 'gul', None, None]
    """
    return [GOAL_STATUS_COLOURS.get(s) or None for s in followup["status"]]


def plan_intro(year: int | None, file_name: str, rows: int, *, example: bool) -> str:
    """The sentence before the kommun's current plan.

    Examples
    --------
    >>> plan_intro(2026, "atgardsplan_2026.csv", 4, example=True)
    'Åtgärdsplanen för 2026 (atgardsplan_2026.csv, påhittade exempeldata) har 4 problem i Brås kolumner. Den bygger på förra årets lägesbild och följs upp i nästa.'
    """
    what = f"Åtgärdsplanen för {year}" if year is not None else "Kommunens åtgärdsplan"
    where = file_name + (", påhittade exempeldata" if example else "")
    return (f"{what} ({where}) har {rows} problem i Brås kolumner. Den bygger på förra "
            "årets lägesbild och följs upp i nästa.")


def plan_source(file_name: str, *, example: bool) -> str:
    """The source line of a plan's table.

    Examples
    --------
    >>> plan_source("atgardsplan_2025.csv", example=False)
    'Kommunens åtgärdsplan (atgardsplan_2025.csv)'
    """
    return ("Påhittade exempeldata: " if example else "") + f"Kommunens åtgärdsplan ({file_name})"


def no_previous_plan_text(has_current: bool) -> str:
    """What section 4 says when there is no earlier plan to follow up.

    Examples
    --------
    >>> no_previous_plan_text(False)[:60]
    'Det finns ingen tidigare åtgärdsplan att följa upp. Lägg kom'
    """
    first = ("Det finns ingen tidigare åtgärdsplan att följa upp: den här är kommunens första i underlaget."
             if has_current else "Det finns ingen tidigare åtgärdsplan att följa upp.")
    return (first + " Lägg kommunens planer i en mapp, en fil per år (atgardsplan_2025.csv, atgardsplan_2026.xlsx "
            "…), och ange mappen med parametern focus_plan; då följs förra årets plan upp här rad för rad.")


DRAFT_PLAN_TEXT = (
    "UTKAST för analytikern, inte ett beslut: förslagen är framtagna ur problemen ovan i Brås kolumner för en "
    "åtgärdsplan (problem, orsak, åtgärd, operativa mål, när, ansvarig, uppföljning och status). Orsaken ska skrivas "
    "efter en orsaksanalys; kolumnen Orsak visar Brås frågor med brottstriangeln. Ladda ned tabellen, redigera den, "
    "spara den som atgardsplan_ÅÅÅÅ.csv i en mapp med en plan per år och ange mappen med parametern focus_plan; då "
    "visar lägesbilden kommunens plan här och följer upp förra årets plan i avsnitt 4. Mall och instruktioner finns i "
    "data/templates/atgardsplan/.")
NO_DRAFT_TEXT = ("Inget problem sticker ut i underlaget, så det finns inget utkast. Kommunen kan ändå skriva en "
                 "åtgärdsplan utifrån sina fokusområden med mallen i data/templates/atgardsplan/.")


def plan_caption(name: str, year: int | None, *, draft: bool = False) -> str:
    """The caption of the plan's table.

    Examples
    --------
    >>> plan_caption("Falun", 2026), plan_caption("Falun", None, draft=True)[:30]
    ('Åtgärdsplan 2026 för Falun i Brås kolumner: problem, orsak, åtgärd, operativa mål, när, ansvarig, uppföljning och status.', 'Utkast till åtgärdsplan för Fa')
    """
    what = "Utkast till åtgärdsplan" if draft else "Åtgärdsplan" + (f" {year}" if year is not None else "")
    return (f"{what} för {name} i Brås kolumner: problem, orsak, åtgärd, operativa mål, när, ansvarig, uppföljning "
            "och status.")


def followup_caption(name: str, year: int | None) -> str:
    """The caption of the follow-up table.

    Examples
    --------
    >>> followup_caption("Falun", 2025)
    'Uppföljning av åtgärdsplanen 2025 för Falun: varje mål med utfall och status (uträknad där målet har ett mått).'
    """
    plan = f"åtgärdsplanen {year}" if year is not None else "den förra åtgärdsplanen"
    return f"Uppföljning av {plan} för {name}: varje mål med utfall och status (uträknad där målet har ett mått)."


def followup_source(file_name: str, *, example: bool) -> str:
    """The source line of the follow-up table: the plan, and where the outcomes come from.

    Examples
    --------
    >>> followup_source("atgardsplan_2025.csv", example=False)
    'Kommunens åtgärdsplan (atgardsplan_2025.csv); utfallen ur Brå (rapporten Brottsutvecklingen), NTU, polisens trygghetsmätning (avsnitt 2), rapporten Narkotika i avloppsvatten och rapporten Platsbedömning'
    """
    return (plan_source(file_name, example=example) + "; utfallen ur Brå (rapporten Brottsutvecklingen), NTU, "
            "polisens trygghetsmätning (avsnitt 2), rapporten Narkotika i avloppsvatten och rapporten Platsbedömning")


EXAMPLE_PLANS_TEXT = ("Åtgärdsplanerna är påhittade exempeldata för att visa hur lägesbilden följer upp en plan år "
                      "för år; de är inte kommunens beslut. Statusen för målen med mått är ändå uträknad ur "
                      "underlaget.")


__all__ = ["DRAFT_PLAN_TEXT", "EXAMPLE_PLANS_TEXT", "NO_DRAFT_TEXT", "SOURCE_NAMES", "followup_caption",
           "followup_source", "plan_caption", "FOLLOWUP_HEADINGS", "GOAL_RULE", "MEASURE_WORDS", "NO_CAUSE", "ORSAK_PROMPT", "ORSAK_PROMPT_START",
           "GOAL_STATUS_COLOURS", "GOAL_STATUS_INPUT", "GOAL_STATUS_WORDS", "event_count_text", "event_notes",
           "event_outcome_text", "followup_classes", "followup_summary", "followup_table",
           "measure_text", "no_previous_plan_text", "outcome_text", "p_text", "plan_intro", "plan_source", "reason_text",
           "status_text"]
