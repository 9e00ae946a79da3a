"""The tables of a project folder, declared once: columns, controlled vocabularies, rules and the templates.

A *project folder* (see :mod:`lagesbild.projects.data`, which loads it) holds up to three tables,
``projekt``, ``ataganden`` and ``enkat``. The columns of each table are declared once, in
:data:`TEMPLATES` (with :mod:`lagesbild.inputs.tables`), and the folder in :data:`PROJECT_FOLDER`;
the declaration reads the tables and writes the templates in ``data/templates/projects/`` (CSV,
``mallar.xlsx`` with an instruction sheet, README), so templates and docs cannot drift. The
controlled vocabularies (:data:`MEASURE_TYPES`, :data:`OWNERS`, :data:`COMMITMENT_TYPES`,
:data:`SURVEY_PERIODS`) and the Swedish rules of the instruction sheet (:data:`AREA_RULE`,
:data:`PERIOD_RULE`, :data:`COMMITMENT_RULE`, :data:`PRIVACY_RULE`) are here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from lagesbild.core.workbook import template_workbook
from lagesbild.inputs import tables as it
from lagesbild.inputs.coordinates import CRS_RULE
from lagesbild.inputs.folders import METADATA_KEYS, Folder
from lagesbild.inputs.tables import Table

# ============================================================================================
# Controlled vocabularies and constants
# ============================================================================================

#: The three kinds of table in a project folder (file stem = kind).
FILE_KINDS: tuple[str, ...] = ("projekt", "ataganden", "enkat")


#: Kinds of measure (``atgardstyp``).
MEASURE_TYPES: tuple[str, ...] = ("fysisk", "social", "fysisk och social")
_MEASURE_TYPE_ALIASES = {"fysisk/social": "fysisk och social", "fysisk & social": "fysisk och social",
                         "fysisk + social": "fysisk och social", "social och fysisk": "fysisk och social"}

#: Who owns a commitment (``agare``).
OWNERS: tuple[str, ...] = ("kommun", "polis", "båda")
_OWNER_ALIASES = {"bada": "båda", "kommunen": "kommun", "polisen": "polis", "kommun och polis": "båda",
                  "polis och kommun": "båda"}

#: Kinds of commitment (``typ``): a target number (``minst``, ``högst``), a direction between two
#: counts (``minska``, ``öka``) or done / not done (``ja/nej``).
COMMITMENT_TYPES: tuple[str, ...] = ("minst", "högst", "minska", "öka", "ja/nej")
_TYPE_ALIASES = {"hogst": "högst", "oka": "öka", "ja / nej": "ja/nej", "ja-nej": "ja/nej", "janej": "ja/nej",
                 "ja eller nej": "ja/nej"}
#: Commitment types with a target number in ``mal`` and a number in ``utfall``.
TARGET_TYPES: tuple[str, ...] = ("minst", "högst")
#: Commitment types whose outcome is two counts, ``fore`` and ``efter``.
DIRECTION_TYPES: tuple[str, ...] = ("minska", "öka")

#: Survey periods (``period``).
SURVEY_PERIODS: tuple[str, ...] = ("före", "efter")
_PERIOD_ALIASES = {"fore": "före"}

_TEMPLATES = "data/templates/projects"

PRIVACY_RULE = (
    "Kolumnen kommentar i projektregistret läses bara av analytikern och publiceras aldrig i en rapport. "
    "Skriv inga namn, personnummer eller andra uppgifter som pekar ut en person i någon kolumn."
)
AREA_RULE = (
    "Behandlat område och kontrollområde anges ANTINGEN som en WKT-polygon (POLYGON eller MULTIPOLYGON, t.ex. "
    "kopierad från QGIS) med radens koordinatsystem, ELLER som plats_id från platsregistret åtskilda med "
    "semikolon (HBG-001; HBG-002); flera platser slås ihop till ett område. Kontrollområdet ska likna det "
    "behandlade området men inte få insatsen, och får inte överlappa det. Runt båda läggs ett "
    "förskjutningsområde (en ring, standard 250 m) för att se om problemen flyttat dit; där ringen runt det "
    "behandlade området når in i kontrollområdet räknas ytan bara till kontrollområdet, och ringen runt "
    "kontrollområdet tar inte med något inom 250 m från det behandlade området."
)
PERIOD_RULE = (
    "Perioden före (fore_start–fore_slut) ska sluta senast den dag insatsen börjar (start), och perioden efter "
    "(efter_start–efter_slut) ska börja tidigast den dag insatsen slutar (slut). Alla datum är hela dagar och "
    "slutdagen räknas med. Perioderna får vara olika långa; rapporten räknar då om till antal per dag "
    "(fore_dagar och efter_dagar). Jämför helst lika långa perioder under samma tid på året."
)
COMMITMENT_RULE = (
    "typ minst eller högst: måltalet i mal och utfallet som tal i utfall. typ minska eller öka: antal före och "
    "efter i fore och efter (mal och utfall tomma). typ ja/nej: utfall ja eller nej (mal tom). Tom utfallscell "
    "(eller tomma fore och efter) betyder att utfallet inte är rapporterat än."
)

# ============================================================================================
# Templates
# ============================================================================================

_KOMMUN_DESCRIPTION = "Kommunkod, fyra siffror (SCB), t.ex. 1283 för Helsingborg eller 0114 (behåll nollan)."
_HBG_POLYGON = ("POLYGON ((356630 6212510, 356800 6212510, 356800 6212670, 356630 6212670, 356630 6212510))")

#: Every file kind's columns (name, required column, Swedish description, aliases) and example rows.
TEMPLATES: dict[str, Table] = {
    "projekt": it.table(
        "projekt", "Projekt",
        "Projektregistret: en rad per trygghetsprojekt (insats) som ska utvärderas före och efter.",
        [
            ("projekt_id", True, "Projektets id, unikt i registret (text), t.ex. HBG-2024-01. Används i enkat."),
            ("namn", True, "Projektets namn, som det ska stå i rapporten."),
            ("kommun", True, _KOMMUN_DESCRIPTION, "kommun_kod", "kommunkod"),
            ("atgarder", True, "Åtgärderna, åtskilda med semikolon, t.ex. belysning; röjning; aktivering.",
             "åtgärder"),
            ("atgardstyp", True, "fysisk, social eller fysisk och social.", "åtgärdstyp"),
            ("budget_sek", False, "Budget i kronor, tal 0 eller större (mellanslag går bra); tom = okänd.",
             "budget", "budget_kr"),
            ("start", True, "Första dagen för insatsen, ÅÅÅÅ-MM-DD (eller ett datum i Excel)."),
            ("slut", True, "Sista dagen för insatsen (samma dag som start eller senare)."),
            ("behandlat_omrade", True,
             "Området där insatsen görs: en WKT-polygon (med koordinatsystem) ELLER plats_id från "
             "platsregistret åtskilda med semikolon, t.ex. HBG-001; HBG-002.",
             "behandlat_område", "behandlat område"),
            ("kontrollomrade", False,
             "Jämförelseområde utan insatsen, på samma sätt som behandlat_omrade; tom = inget kontrollområde. "
             "Får inte överlappa det behandlade området.", "kontrollområde"),
            ("fore_start", True, "Första dagen i perioden före insatsen.", "före_start"),
            ("fore_slut", True, "Sista dagen i perioden före; senast samma dag som start.", "före_slut"),
            ("efter_start", True, "Första dagen i perioden efter; tidigast samma dag som slut."),
            ("efter_slut", True, "Sista dagen i perioden efter."),
            ("koordinatsystem", False,
             "Koordinatsystem för WKT-polygonerna: EPSG:3006 (SWEREF 99 TM) eller EPSG:4326 (WGS 84). "
             "Krävs när ett område är en polygon."),
            ("kommentar", False, "Anteckning om projektet. Publiceras aldrig; skriv inga namn eller personuppgifter.",
             "anteckning"),
        ],
        [
            ("HBG-2024-01", "Trygg Drottninghög – belysning och aktivering", "1283",
             "belysning; beskärning; aktivering", "fysisk och social", "1 400 000", "2024-07-01", "2024-12-31",
             "HBG-001", "HBG-006", "2024-01-01", "2024-06-30", "2025-01-01", "2025-06-30", "",
             "Kontrollområdet liknar Drottninghög men fick ingen insats."),
            ("HBG-2025-02", "Ny belysning på Södergatan", "1283", "belysning", "fysisk", "250 000", "2025-03-01",
             "2025-03-31", _HBG_POLYGON, "", "2024-09-01", "2025-02-28", "2025-04-01", "2025-09-30",
             "EPSG:3006", ""),
        ],
        templates=_TEMPLATES, description="Projektregister", noun="project register", row_noun="project",
    ),
    "ataganden": it.table(
        "ataganden", "Åtaganden",
        "En rad per åtagande, t.ex. i ett medborgarlöfte eller en samverkansöverenskommelse, med mål och utfall.",
        [
            ("atagande_id", True, "Åtagandets id, unikt i registret (text), t.ex. HAL-2025-1.", "åtagande_id"),
            ("kommun", True, _KOMMUN_DESCRIPTION, "kommun_kod", "kommunkod"),
            ("ar", True, "Året åtagandet gäller, t.ex. 2025.", "år"),
            ("text", True, "Åtagandet ordagrant som det publicerades.", "åtagande"),
            ("agare", True, "Vem som äger åtagandet: kommun, polis eller båda.", "ägare"),
            ("indikator", False, "Vad som mäts, t.ex. Timmar synlig uniformerad polis i stadskärnan."),
            ("typ", True, "minst, högst, minska, öka eller ja/nej (se Åtaganden nedan)."),
            ("mal", False, "Måltal för typ minst och högst (tal 0 eller större); tom för minska, öka och ja/nej.",
             "mål"),
            ("enhet", False, "Enhet för mål och utfall, t.ex. timmar, gånger, brott."),
            ("deadline", True, "Sista dagen för att uppfylla åtagandet, ÅÅÅÅ-MM-DD.", "slutdatum"),
            ("utfall", False, "Utfallet: ett tal för minst och högst, ja eller nej för ja/nej; tom = inte "
             "rapporterat än. Tom för minska och öka (använd fore och efter)."),
            ("fore", False, "Antal före, heltal 0 eller större (bara för minska och öka).", "före"),
            ("efter", False, "Antal efter, heltal 0 eller större (bara för minska och öka)."),
            ("kalla", False, "Var utfallet redovisas, t.ex. Polisens uppföljning av medborgarlöftet.", "källa"),
        ],
        [
            ("HAL-2025-1", "1380", "2025", "Minst 900 timmar synlig uniformerad polis i stadskärnan", "polis",
             "Timmar synlig uniformerad polis i stadskärnan", "minst", "900", "timmar", "2025-12-31", "950", "",
             "", "Polisens uppföljning av medborgarlöftet"),
            ("HAL-2025-3", "1380", "2025", "Antalet misshandelsbrott i stadskärnan ska minska", "båda",
             "Anmälda misshandelsbrott i stadskärnan", "minska", "", "brott", "2025-12-31", "", "48", "35",
             "Polisens öppna data"),
            ("HAL-2025-4", "1380", "2025", "Trygghetsvandring i varje prioriterat område", "kommun", "",
             "ja/nej", "", "", "2025-12-31", "", "", "", ""),
        ],
        templates=_TEMPLATES, names=("åtaganden",), description="Åtaganden (t.ex. medborgarlöften)",
        noun="commitments register", row_noun="commitment",
    ),
    "enkat": it.table(
        "enkat", "Enkätindex",
        "En rad per index och period (före eller efter) från en trygghetsmätning eller enkät, för ett projekt "
        "(projekt_id) eller ett område (omrade).",
        [
            ("projekt_id", False, "Projektets id i projektregistret; tom om raden gäller ett område utan projekt."),
            ("omrade", False, "Området som mätningen gäller (krävs när projekt_id är tomt).", "område"),
            ("kommun", False, "Kommunkod, fyra siffror; krävs när projekt_id är tomt (annars projektets kommun).",
             "kommun_kod", "kommunkod"),
            ("index", True, "Indexets namn, t.ex. Problemindex (polisens trygghetsmätning)."),
            ("period", True, "före eller efter."),
            ("varde", True, "Indexets värde (tal, decimalkomma går bra).", "värde"),
            ("ki_lag", False, "Nedre gräns i 95 % konfidensintervall (tom om okänd).", "ki_låg"),
            ("ki_hog", False, "Övre gräns i 95 % konfidensintervall (tom om okänd).", "ki_hög"),
            ("n", False, "Antal svarande, heltal större än 0.", "antal_svar"),
            ("kalla", False, "Mätningen, t.ex. Polisens trygghetsmätning 2024.", "källa"),
        ],
        [
            ("HBG-2024-01", "", "", "Problemindex (polisens trygghetsmätning)", "före", "2,1", "1,8", "2,4", "412",
             "Polisens trygghetsmätning 2024"),
            ("HBG-2024-01", "", "", "Problemindex (polisens trygghetsmätning)", "efter", "1,7", "1,4", "2,0", "398",
             "Polisens trygghetsmätning 2025"),
            ("", "Planteringen", "1283", "Problemindex (polisens trygghetsmätning)", "före", "2,3", "2,0", "2,6",
             "", "Polisens trygghetsmätning 2024"),
        ],
        templates=_TEMPLATES, names=("enkät",), description="Enkätindex före och efter", noun="survey table",
        row_noun="index and period",
    ),
}

#: Swedish description of each file kind, used in the provenance of a report.
FILE_DESCRIPTIONS: dict[str, str] = {kind: t.description for kind, t in TEMPLATES.items()}

#: The project folder: its three tables, of which the project register or the commitments register is needed.
PROJECT_FOLDER = Folder("project folder", tuple(TEMPLATES.values()), needs=("projekt", "ataganden"),
                        table_noun="project-folder table", example_kommun="1283")


# ============================================================================================
# Writing templates and tables
# ============================================================================================


def csv_text(kind: str, rows: Iterable[Mapping[str, object] | Iterable[object]]) -> str:
    """The text of a ``;``-separated CSV of ``kind`` with the template header (UTF-8 BOM included).

    Parameters
    ----------
    kind : str
        One of :data:`FILE_KINDS`.
    rows : iterable of mappings or sequences
        A mapping is keyed by template column name (or alias); missing keys are empty cells. A
        sequence holds the cells in template order. None and NaN are written as empty cells.

    Examples
    --------
    >>> csv_text("enkat", [{"omrade": "Söder", "kommun": "1283", "värde": "2,1"}]).splitlines()[1]
    ';Söder;1283;;;2,1;;;;'
    """
    return TEMPLATES[kind].csv_text(rows)


def write_csv(path: str | Path, kind: str, rows: Iterable[Mapping[str, object] | Iterable[object]]) -> None:
    """Write rows of ``kind`` as a template-shaped CSV (``;``, UTF-8 with BOM), atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "enkat.csv"
    >>> write_csv(p, "enkat", [{"omrade": "Söder", "kommun": "1283", "index": "Problemindex", "period": "efter",
    ...                         "varde": "1,7"}])
    >>> from lagesbild.projects.data import load_surveys
    >>> load_surveys(p)["varde"].tolist()
    [1.7]
    """
    TEMPLATES[kind].write_csv(path, rows)


def instructions_rows() -> list[it.InstructionRow]:
    """The rows of the ``Instruktioner`` sheet: (section/column, required, description, example).

    Examples
    --------
    >>> rows = instructions_rows()
    >>> rows[0][0], any(r[0] == "behandlat_omrade" for r in rows), any(r[0] == "Perioder" for r in rows)
    ('Mallar för projekt och åtaganden', True, True)
    """
    rows = it.instructions_rows(
        TEMPLATES.values(), "Mallar för projekt och åtaganden",
        "Spara varje blad som egen fil (CSV eller .xlsx) med bladets namn, t.ex. projekt.csv, och lägg filerna i en "
        "mapp. En .xlsx-fil läses från bladet med filens namn, annars från första bladet. Rubrikerna måste stå kvar; "
        "exempelraderna ska ersättas. projekt eller ataganden behövs (eller båda); enkat är frivillig.")
    rows.append(("Områden", "", AREA_RULE, ""))
    rows.append(("Perioder", "", PERIOD_RULE, ""))
    rows.append(("Åtaganden", "", COMMITMENT_RULE, ""))
    rows.append(("Koordinater", "", CRS_RULE, ""))
    rows.append(("Åtgärdstyp (atgardstyp)", "", ", ".join(MEASURE_TYPES), ""))
    rows.append(("Ägare (agare)", "", ", ".join(OWNERS), ""))
    rows.append(("Typ (typ)", "", ", ".join(COMMITMENT_TYPES), ""))
    rows.append(("Period (enkat)", "", ", ".join(SURVEY_PERIODS), ""))
    rows.append(("Integritet", "", PRIVACY_RULE, ""))
    return rows


def workbook_bytes() -> bytes:
    """The template workbook ``mallar.xlsx`` as bytes: one sheet per kind and ``Instruktioner``.

    Deterministic: fixed document dates and zip entry times, so the same templates give the same bytes.

    Examples
    --------
    >>> workbook_bytes() == workbook_bytes()
    True
    """
    rows = instructions_rows()
    return template_workbook(
        TEMPLATES.values(), rows, instruction_widths=(32, 20, 100, 40),
        titles={r[0] for r in rows if r[0] and not r[1] and not r[3]},
        column_width=lambda col: max(12, min(50, max(len(col.name), len(col.example)) + 3)))


def templates_markdown() -> str:
    """``data/templates/projects/README.md``: every file and column, areas, periods, commitments and rules.

    Examples
    --------
    >>> text = templates_markdown()
    >>> "| projekt_id | ja |" in text, "## Perioder" in text, "## Integritet" in text
    (True, True, True)
    """
    lines = [
        "# Mallar för projekt och åtaganden (project and commitment templates)",
        "",
        it.generated_note("lagesbild.projects.templates.write_templates", "TEMPLATES",
                          "lib/lagesbild/projects/templates.py"),
        "",
        "These templates are the input of the project-evaluation report (before/after evaluation of safety "
        "projects and follow-up of commitments such as medborgarlöften). A *project folder* holds up to three "
        "tables, each as CSV (`;`-separated, UTF-8) or Excel (`.xlsx`), named after its kind, plus an optional "
        "`metadata.yaml`. `projekt` or `ataganden` is required (or both); `enkat` is optional. `åtaganden` and "
        "`enkät` are accepted file names too. `mallar.xlsx` holds all three as sheets plus an `Instruktioner` "
        "sheet: save each sheet as its own file (`projekt.xlsx`, `ataganden.csv` …); an `.xlsx` is read from the "
        "sheet named after the kind, else from its first sheet. Headers match case-insensitively (with or "
        "without å, ä, ö); optional columns may be left out, but a column that is not in the template is an "
        "error, so that a misspelt header is never silently ignored. Every problem is reported with file, "
        "spreadsheet row, column and a fix. Other tables in the folder are an error; other files (README, "
        "scripts) are ignored.",
        "",
        "The templates are written by `lagesbild.projects.templates.write_templates(\"data/templates/projects\")`; a test "
        "checks that these files are what it writes today and that their example rows load.",
        "",
        *it.files_markdown(TEMPLATES.values(), METADATA_KEYS),
    ]
    for t in TEMPLATES.values():
        lines += it.columns_markdown(t)
    lines += [
        "## Områden", "", AREA_RULE, "",
        "Platserna hämtas ur platsregistret (`platser.csv`, se `data/templates/README.md`). Ett okänt plats_id "
        "eller en plats i en annan kommun är fel.", "",
        "## Perioder", "", PERIOD_RULE, "",
        "## Åtaganden", "", COMMITMENT_RULE, "",
        "## Koordinater", "", CRS_RULE, "",
        "## Kontrollerade listor", "",
        f"- **atgardstyp:** {', '.join(MEASURE_TYPES)}.",
        f"- **agare:** {', '.join(OWNERS)}.",
        f"- **typ:** {', '.join(COMMITMENT_TYPES)}.",
        f"- **period (enkat):** {', '.join(SURVEY_PERIODS)}.", "",
        "Stora och små bokstäver spelar ingen roll.", "",
        "## Datum och tal", "",
        "Datum som `2024-07-01`; datumceller i Excel går också bra. Tal får skrivas med decimalkomma (`2,1`) "
        "och mellanslag (`1 400 000`).", "",
        "## Integritet", "", PRIVACY_RULE, "",
    ]
    return "\n".join(lines)


def write_templates(folder: str | Path) -> list[Path]:
    """Write the templates: three CSVs, ``mallar.xlsx`` and ``README.md``, each atomically.

    Parameters
    ----------
    folder : str or Path
        Target folder (created if missing), e.g. ``data/templates/projects``.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> [p.name for p in write_templates(pathlib.Path(tempfile.mkdtemp()))]
    ['projekt.csv', 'ataganden.csv', 'enkat.csv', 'mallar.xlsx', 'README.md']
    """
    return it.write_templates(folder, TEMPLATES.values(), workbook_name="mallar.xlsx", workbook=workbook_bytes(),
                              readme=templates_markdown())


__all__ = [
    "AREA_RULE", "COMMITMENT_RULE", "COMMITMENT_TYPES", "DIRECTION_TYPES", "FILE_DESCRIPTIONS", "FILE_KINDS",
    "MEASURE_TYPES", "OWNERS", "PERIOD_RULE", "PRIVACY_RULE", "PROJECT_FOLDER", "SURVEY_PERIODS", "TARGET_TYPES",
    "TEMPLATES", "csv_text", "instructions_rows", "templates_markdown", "workbook_bytes", "write_csv",
    "write_templates",
]
