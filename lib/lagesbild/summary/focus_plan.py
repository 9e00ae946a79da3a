"""The åtgärdsplan: the draft drawn from what stands out, the template, and the kommun's edited plan.

One row per problem in the shape of Trelleborg's samverkansöverenskommelse: problem → aktivitet →
uppföljning → mål. Activities are suggestions from the measure catalogue of the place assessment
(:data:`lagesbild.places.factors.MEASURES`, via :data:`ACTIVITY_MEASURES`); the follow-up names the indicator
and its source; the goal is measurable ("inte tydligt högre än i länet 2027"). It is a **draft** for
the analyst: download it from the report, edit it, and point the parameter ``focus_plan`` at the file
(:func:`load_focus_plan`; template in ``data/templates/atgardsplan/``); then the report shows the
kommun's plan instead.

The pieces: :func:`draft_focus_plan` (with :func:`activity_for` and :func:`goal_year`),
:func:`focus_plan_display` (the table the report shows), :func:`focus_plan_path` and
:func:`load_focus_plan` (the kommun's file, every cell checked), and the template
(:data:`TEMPLATE`, :func:`write_templates`). The plan's activities are followed up in the project
evaluation (:data:`FOLLOW_UP_TAIL`; the summary's section 4, :mod:`lagesbild.summary.text`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from lagesbild.core import fmt
from lagesbild.core.errors import InputError
from lagesbild.core.fmt import join, plain
from lagesbild.core.paths import PROJ_ROOT, input_folder
from lagesbild.inputs import tables as it
from lagesbild.inputs.tables import Column, Table
from lagesbild.sources import schemas
from lagesbild.summary.standout import SIGNALS, WASTEWATER_PERCENTILE

#: Columns of a focus plan (loaded or drafted), in order.
FOCUS_COLUMNS: tuple[str, ...] = ("problem", "aktivitet", "uppfoljning", "mal", "ansvar")
#: Their headings in the report (and in the draft's download, which loads back as a plan).
FOCUS_HEADINGS: dict[str, str] = {"problem": "Problem", "aktivitet": "Aktivitet", "uppfoljning": "Uppföljning",
                                  "mal": "Mål", "ansvar": "Ansvar"}

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


def _draft_row(r, year: int) -> dict[str, str]:
    d = r.details
    short = ", ".join(f"tydligt högre än i {join(d.get('worse_than', ['länet']))}" if s == "nivå" else SIGNALS[s]
                      for s in r.signals)
    problem = f"{r.topic} ({short})"
    if r.kind == "platser":
        places = join(d.get("places", []))
        return {"problem": problem,
                "aktivitet": f"Besiktning eller trygghetsvandring vid {places}, sedan åtgärder efter platsernas svaga "
                             "faktorer (se åtgärdskatalogen i Platsbedömning).",
                "uppfoljning": "Hot spots och faktorpoäng i Platsbedömning vid varje ny besiktning" + FOLLOW_UP_TAIL,
                "mal": f"Färre platser vid säkerställda hot spots än i dag ({len(d.get('places', []))}) år {year}",
                "ansvar": ""}
    if r.kind == "avloppsvatten":
        return {"problem": problem,
                "aktivitet": "Fortsatta mätningar minst en vecka varje år; förebyggande insatser mot narkotikabruk i "
                             "samverkan med socialtjänsten, skolan och polisen.",
                "uppfoljning": f"Belastning av {d['substance'].lower()} i mg per dag och 1 000 invånare och percentilen "
                               "i Europa (Narkotika i avloppsvatten)" + FOLLOW_UP_TAIL,
                "mal": f"Under percentil {fmt.number(WASTEWATER_PERCENTILE)} bland de europeiska mätplatserna år {year}",
                "ansvar": ""}
    if r.kind == "trygghetsmätning":
        top = f" ({d['top_question']})" if d.get("top_question") else ""
        return {"problem": problem,
                "aktivitet": f"Trygghetsvandring i {d['area']} och åtgärder efter frågan med högst problemindex{top}.",
                "uppfoljning": f"Totalindex för {d['area']} i polisens trygghetsmätning (den här rapporten, avsnitt 2)"
                               + FOLLOW_UP_TAIL,
                "mal": (f"Problemindex för {d['area']} tydligt lägre än {fmt.number(d['index'], 2)} ({d['year']}) vid "
                        f"mätningen år {year}" if d.get("index") is not None
                        else f"Inga stora problem i {d['area']} vid mätningen år {year}"),
                "ansvar": ""}
    if r.kind == "ntu":
        share = d.get("value")
        worse = join(d.get("worse_than", ["länet"]))
        return {"problem": problem, "aktivitet": activity_for(r.topic),
                "uppfoljning": f"NTU (Brå): andel {r.topic.lower()}, varje år (den här rapporten, avsnitt 2 och 3)"
                               + FOLLOW_UP_TAIL,
                "mal": (f"Inte tydligt högre än i {worse} i NTU år {year} (i dag "
                        f"{fmt.number(share, 1)}\u00a0%, {d.get('year')})" if share is not None
                        else f"Inte tydligt högre än i {worse} i NTU år {year}"),
                "ansvar": ""}
    # a Brå category
    follow = f"Brå: anmälda brott, {r.topic[:1].lower()}{r.topic[1:]}, per 100 000 invånare, varje år (Brottsutvecklingen)"
    if "nivå" in r.signals:
        goal = f"Inte tydligt högre än i {join(d.get('worse_than', ['länet']))} år {year}"
    elif "ökning" in r.signals and d.get("previous_rate") is not None:
        goal = (f"Tillbaka till högst {fmt.number(d['previous_rate'])} per 100 000 invånare (nivån "
                f"{d['previous_year']}) år {year}")
    elif d.get("rate") is not None:
        goal = f"Lägre än {fmt.number(d['rate'])} per 100 000 invånare ({d['year']}) år {year}"
    else:
        goal = f"Sätt ett mätbart mål när Brås statistik för kategorin finns i underlaget (senast år {year})"
    return {"problem": problem, "aktivitet": activity_for(r.topic), "uppfoljning": follow + FOLLOW_UP_TAIL,
            "mal": goal, "ansvar": ""}


def draft_focus_plan(problems: pd.DataFrame, year: int) -> pd.DataFrame:
    """A draft plan from the standing-out problems: problem → aktivitet → uppföljning → mål.

    Parameters
    ----------
    problems : pandas.DataFrame
        :func:`lagesbild.summary.standout.standout_problems`.
    year : int
        The goal year (:func:`goal_year`).

    Returns
    -------
    pandas.DataFrame
        :data:`FOCUS_COLUMNS` (``ansvar`` empty: for the analyst), one row per problem, in rank order.

    Examples
    --------
    >>> from lagesbild.summary.standout import standout_problems
    >>> p = standout_problems(None, {"indicators": [{"indicator": "Skadegörelsebrott", "year": 2024, "count": 700,
    ...     "rate": 1170.0, "previous_year": 2023, "previous_count": 571, "previous_rate": 952.0,
    ...     "change": {"rate_ratio": 1.23, "p_value": 0.001, "detectable": True}}]})
    >>> row = draft_focus_plan(p, 2027).iloc[0]
    >>> row["problem"], row["mal"].replace("\\xa0", " ")
    ('Skadegörelsebrott (tydlig ökning från året före)', 'Tillbaka till högst 952 per 100 000 invånare (nivån 2023) år 2027')
    """
    rows = [_draft_row(r, int(year)) for r in problems.itertuples()]
    return pd.DataFrame(rows, columns=list(FOCUS_COLUMNS)).astype(str)


def focus_plan_display(plan: pd.DataFrame) -> pd.DataFrame:
    """A focus plan with Swedish headings; the ``Ansvar`` column only when some row has one.

    Examples
    --------
    >>> plan = pd.DataFrame([["P", "A", "U", "M", ""]], columns=list(FOCUS_COLUMNS))
    >>> list(focus_plan_display(plan).columns)
    ['Problem', 'Aktivitet', 'Uppföljning', 'Mål']
    """
    keep = [c for c in FOCUS_COLUMNS if c != "ansvar" or (plan[c].astype(str).str.strip() != "").any()]
    return plan[keep].rename(columns=FOCUS_HEADINGS).reset_index(drop=True)


_TEMPLATE_ROWS: tuple[tuple[str, ...], ...] = (
    ("1287", "Misshandel i centrum på helgnätter", "Trygghetsvärdar och synlig polis i centrum fredag och lördag "
     "kl. 22–03; bättre belysning på Stortorget", "Anmälda misshandelsbrott i centrum (polisens öppna data), varje halvår",
     "Antalet misshandelsbrott i centrum ska minska till 2027", "båda"),
    ("1287", "Otrygghet vid busstationen kvällstid", "Trygghetsvandring med boende; beskärning av buskage och ny "
     "belysning längs gångstråket", "Andel otrygga i polisens trygghetsmätning för området, varje år",
     "Problemindex för området tydligt lägre än 2024 vid mätningen 2026", "kommun"),
    ("1287", "Narkotika: hög belastning av amfetamin i avloppsvattnet", "Fortsatta mätningar en vecka per år; "
     "förebyggande insatser i skolan", "Amfetamin i mg per dag och 1 000 invånare (Narkotika i avloppsvatten)",
     "Under percentil 75 bland de europeiska mätplatserna 2027", "kommun"),
)

#: The focus-plan table: its columns (name, required column, Swedish description, example, aliases) and example rows.
TEMPLATE = Table(
    "atgardsplan", "Åtgärdsplan (fokusområden)",
    "En rad per problem som kommunen väljer att arbeta med: problemet, aktiviteten, hur den följs upp och ett mätbart "
    "mål (som i Trelleborgs samverkansöverenskommelse). Utgå från utkastet i lägesbildsrapporten (ladda ned tabellen "
    "som CSV eller Excel) eller från den här mallen.",
    (
        Column("kommun", False, "Kommunkod, fyra siffror (SCB), t.ex. 1287 eller 0114 (behåll nollan). Tom "
               "cell eller ingen kolumn = planen gäller kommunen som rapporten byggs för; rader för andra "
               "kommuner hoppas över.", "1287", ("kommun_kod", "kommunkod")),
        Column("problem", True, "Problemet, kort och konkret: vad, var och gärna när.",
               _TEMPLATE_ROWS[0][1]),
        Column("aktivitet", True, "Vad som görs åt problemet (en eller flera aktiviteter, åtskilda med "
               "semikolon).", _TEMPLATE_ROWS[0][2], ("aktiviteter", "åtgärd", "atgard", "åtgärder")),
        Column("uppfoljning", True, "Hur det följs upp: vilket mått, ur vilken källa och hur ofta.",
               _TEMPLATE_ROWS[0][3], ("uppföljning",)),
        Column("mal", True, "Ett mätbart mål med årtal, t.ex. Inte tydligt högre än i länet 2027.",
               _TEMPLATE_ROWS[0][4], ("mål",)),
        Column("ansvar", False, "Vem som ansvarar, t.ex. kommun, polis, båda eller en förvaltning; tom = inte "
               "angivet.", _TEMPLATE_ROWS[0][5], ("ansvarig",)),
    ),
    _TEMPLATE_ROWS,
    templates="data/templates/atgardsplan",
)

#: A loaded focus plan (:func:`load_focus_plan`); index = spreadsheet row.
FOCUS_PLAN_SCHEMA = pa.DataFrameSchema(
    {c: pa.Column(str, pa.Check.str_length(min_value=0 if c == "ansvar" else 1)) for c in FOCUS_COLUMNS},
    strict=True, ordered=True, name="atgardsplan",
)

#: Longest text in a cell of the plan (a table cell is not a document).
MAX_CELL_CHARS = 600

_KOMMUN_RE = re.compile(r"^\d{4}$")


def focus_plan_path(value: str = "") -> Path | None:
    """The edited focus plan a report reads, or None for the draft.

    A relative path is relative to the project root (:func:`lagesbild.core.paths.input_folder`).

    Raises
    ------
    InputError
        A path that is not an existing file.

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
    if not path.is_file():
        raise InputError(path, "the focus plan file does not exist",
                         "give the path of the edited plan (CSV or Excel, relative to the project folder): start from "
                         "the draft in the lägesbild report or data/templates/atgardsplan/atgardsplan.csv, or leave "
                         "focus_plan empty to show the draft")
    return path


def load_focus_plan(path: str | Path, kommun: str) -> pd.DataFrame:
    """Load an analyst-edited focus plan (CSV or Excel) for one kommun, checking every cell.

    Headers are the template's (``problem``, ``aktivitet``, ``uppfoljning``, ``mal``, optional
    ``ansvar`` and ``kommun``) or the report's Swedish headings (``Problem`` … ``Mål``, so the draft
    downloaded from the report loads as it is); case does not matter. An ``.xlsx`` is read from the
    sheet ``atgardsplan`` if there is one, else the first sheet.

    Parameters
    ----------
    path : str or Path
    kommun : str
        The kommun the report is for: rows with another kommun code are skipped.

    Returns
    -------
    pandas.DataFrame
        :data:`FOCUS_PLAN_SCHEMA`: :data:`FOCUS_COLUMNS` as text (spaces collapsed), index =
        spreadsheet row, ``attrs["file"]``.

    Raises
    ------
    InputError
        Naming file, row and column: unknown, duplicate or missing columns, an empty problem,
        activity, follow-up or goal, a cell longer than :data:`MAX_CELL_CHARS`, a kommun code that is
        not four digits, the same problem and activity twice (both rows named), or no row for the
        kommun.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "plan.csv"
    >>> _ = p.write_text("Problem;Aktivitet;Uppföljning;Mål\\nKlotter i centrum;Snabb sanering;Anmälda brott;"
    ...                  "Lägre än 2024 år 2027\\n", encoding="utf-8")
    >>> load_focus_plan(p, "2080").loc[2].tolist()
    ['Klotter i centrum', 'Snabb sanering', 'Anmälda brott', 'Lägre än 2024 år 2027', '']
    >>> _ = p.write_text("problem;aktivitet;uppfoljning;mal\\nKlotter;;Anmälda brott;Lägre\\n", encoding="utf-8")
    >>> load_focus_plan(p, "2080")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    lagesbild.core.errors.InputError: ...plan.csv, row 2, column 'aktivitet': the cell is empty. Fix: write what is done about the problem (every row needs problem, aktivitet, uppfoljning and mal).
    """
    path = Path(path)
    file = str(path)
    kommun = str(kommun).strip()
    df, headers = TEMPLATE.read(path)
    has_kommun = "kommun" not in df.attrs["absent"]
    for col in (*FOCUS_COLUMNS, "kommun"):
        df[col] = df[col].astype(str).map(lambda v: " ".join(v.split()))
    if has_kommun:
        bad = (df["kommun"] != "") & ~df["kommun"].str.match(_KOMMUN_RE)
        if bad.any():
            row = int(df.index[bad.to_numpy()][0])
            raise InputError(file, f"{plain(df.loc[row, 'kommun'])} is not a four-digit kommun code",
                             "write the SCB kommun code as four digits (keep the leading zero, e.g. 0114), or leave the "
                             "cell empty for the kommun the report is for", row=row, column=headers["kommun"])
        df = df[(df["kommun"] == "") | (df["kommun"] == kommun)]
    what = {"problem": "write the problem", "aktivitet": "write what is done about the problem",
            "uppfoljning": "write how it is followed up (which measure, from which source, how often)",
            "mal": "write a measurable goal with a year"}
    for col, fix in what.items():
        empty = df[col] == ""
        if empty.any():
            row = int(df.index[empty.to_numpy()][0])
            raise InputError(file, "the cell is empty",
                             f"{fix} (every row needs problem, aktivitet, uppfoljning and mal)", row=row,
                             column=headers[col])
    for col in FOCUS_COLUMNS:
        long = df[col].str.len() > MAX_CELL_CHARS
        if long.any():
            row = int(df.index[long.to_numpy()][0])
            raise InputError(file, f"the cell has {len(df.loc[row, col])} characters, more than {MAX_CELL_CHARS}",
                             "shorten it: the plan is a table; put the details in the kommun's own documents",
                             row=row, column=headers.get(col, col))
    key = df["problem"].str.casefold() + "|" + df["aktivitet"].str.casefold()
    dup = key.duplicated(keep="first")
    if dup.any():
        second = int(df.index[dup.to_numpy()][0])
        first = int(df.index[(key == key[second]).to_numpy()][0])
        raise InputError(file, f"rows {first} and {second} have the same problem and activity",
                         "delete one of the rows or make them different", row=second, column=headers["aktivitet"])
    if df.empty:
        raise InputError(file, f"the plan has no row for kommun {kommun}",
                         f"add rows for {kommun} (or leave the kommun cells empty), or check the kommun column",
                         column=headers["kommun"] if has_kommun else None)
    out = schemas.validate(df[list(FOCUS_COLUMNS)].astype(str), FOCUS_PLAN_SCHEMA, file)
    out.attrs["file"] = file
    return out


def _instructions_rows() -> list[it.InstructionRow]:
    rows = it.instructions_rows(
        [TEMPLATE], "Mall för åtgärdsplan (fokusområden)",
        "Fyll i bladet atgardsplan (en rad per problem) och spara det som atgardsplan.csv eller atgardsplan.xlsx. Ange "
        "filen med parametern focus_plan (reports: lagesbild: focus_plan i kommunens parameterfil); då visar "
        "lägesbilden planen i stället för utkastet. Exempelraderna ska ersättas.")
    rows += [("Rubriker", "", "Rubrikerna kan också vara lägesbildsrapportens: Problem, Aktivitet, Uppföljning, Mål, "
              "Ansvar. Stora och små bokstäver spelar ingen roll.", "")]
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
    '\\ufeffkommun;problem;aktivitet;uppfoljning;mal;ansvar'
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
        "# Mall för åtgärdsplan (focus-plan template)",
        "",
        it.generated_note("lagesbild.summary.focus_plan.write_templates", "TEMPLATE",
                          "lib/lagesbild/summary/focus_plan.py"),
        "",
        "The lägesbild report (`notebooks/lagesbild.ipynb`) ends its analysis with proposed focus areas in the shape "
        "of Trelleborg's samverkansöverenskommelse: **problem → aktivitet → uppföljning → mål**. Without a plan of "
        "the kommun's own it shows a *draft*, drafted from the problems that stand out in the data "
        "(`lagesbild.summary.focus_plan.draft_focus_plan`). The analyst edits it and gives it back:",
        "",
        "1. download the draft from the report (the links under the table: CSV or Excel), or copy `atgardsplan.csv` "
        "from this folder;",
        "2. edit the rows: keep, change, delete or add problems; write who is responsible in `ansvar`;",
        "3. point the report at the file with the parameter `focus_plan` (in the kommun's YAML: `reports: lagesbild: "
        "focus_plan: \"path/to/atgardsplan.csv\"`, relative to the repository) and build the report again. It then "
        "shows the kommun's plan instead of the draft.",
        "",
        "Headers match case-insensitively and may be the template's (`problem`, `aktivitet`, `uppfoljning`, `mal`, "
        "`ansvar`, `kommun`) or the report's headings (`Problem`, `Aktivitet`, `Uppföljning`, `Mål`, `Ansvar`); a "
        "column that is neither is an error, so that a misspelt header is never silently ignored. An `.xlsx` is read "
        "from the sheet `atgardsplan` if there is one, else from the first sheet. Every problem is reported with "
        "file, spreadsheet row, column and a fix. The example rows are invented.",
        "",
        "The files here are written by `lagesbild.summary.focus_plan.write_templates(\"data/templates/atgardsplan\")`; a test "
        "checks that they are what it writes today and that the example rows load.",
        "",
        *it.columns_markdown(TEMPLATE),
    ]
    lines += [
        f"Every row needs `problem`, `aktivitet`, `uppfoljning` and `mal`; a cell holds at most {MAX_CELL_CHARS} "
        "characters; the same problem with the same activity twice is an error. Rows whose `kommun` is another "
        "kommun's code are skipped, so one file may hold several kommuners plans.",
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
    "ACTIVITY_MEASURES", "ANALYSIS_ACTIVITY", "FOCUS_COLUMNS", "FOCUS_HEADINGS", "FOCUS_PLAN_SCHEMA",
    "FOLLOW_UP_TAIL", "MAX_CELL_CHARS", "NON_PLACE_ACTIVITY", "NON_PLACE_PREFIXES", "TEMPLATE",
    "activity_for", "draft_focus_plan", "focus_plan_display", "focus_plan_path", "goal_year",
    "load_focus_plan", "template_csv", "templates_markdown", "workbook_bytes", "write_templates"
]
