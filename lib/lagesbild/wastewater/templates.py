"""The lab-results table, declared once: its columns, the template, the rules and advice in Swedish.

A *lab-results folder* (see :mod:`lagesbild.wastewater.labresults`, which loads it) holds one table of
analysis results, ``analyser.csv`` or ``analyser.xlsx``. The columns are declared once, in
:data:`TEMPLATE` (with :mod:`lagesbild.inputs.tables`), and the folder in :data:`LAB_FOLDER`; the
declaration reads the table and writes the templates in ``data/templates/wastewater/`` (CSV,
``analyser.xlsx`` with an instruction sheet, README), so the templates and the docs cannot drift.
The Swedish rules of the instruction sheet (:data:`LOAD_RULE`, :data:`CAMPAIGN_RULE`,
:data:`PRIVACY_RULE`; the LOQ rule is :data:`lagesbild.wastewater.loads.LOQ_RULE`) and the advice for a
measurement programme (:data:`PROGRAMME_ADVICE`) are here too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from lagesbild.core.workbook import template_workbook
from lagesbild.inputs import tables as it
from lagesbild.inputs.folders import METADATA_KEYS, Folder
from lagesbild.inputs.tables import Column, Table
from lagesbild.sources.substances import SUBSTANCES
from lagesbild.wastewater.loads import _UNIT_SPELLINGS_SV, LOQ_RULE

# ============================================================================================
# Constants: the table, programme advice
# ============================================================================================

#: The file stem of the results table in a lab-results folder (``analyser.csv`` or ``analyser.xlsx``).
FILE_KIND = "analyser"

#: Swedish description of the table, used in the provenance of a report.
FILE_DESCRIPTION = "Analysresultat för avloppsvatten (egen mätning)"

#: What a measurement programme needs, in Swedish, for the report and the template README.
PROGRAMME_ADVICE: tuple[str, ...] = (
    "Ta flödesproportionella dygnsprov (samlingsprov över 24 timmar) av inkommande avloppsvatten, före "
    "reningen: ett prov per dygn.",
    "Ta prov sju dagar i följd, så att både vardagar och en helg ingår.",
    "Mät minst en gång per år, under samma årstid varje år, så att åren går att jämföra.",
    "Använd samma reningsverk, samma provpunkt och samma laboratorium varje gång; byts metod eller "
    "laboratorium ska det antecknas.",
    "Analysera de fem ämnena, med samma biomarkörer varje gång: kokain (som biomarkören bensoylekgonin), "
    "amfetamin, metamfetamin, MDMA (ecstasy) och cannabis (som biomarkören THC-COOH).",
    "Anteckna för varje provdygn reningsverkets flöde (m³ per dygn) och antalet personer som är anslutna "
    "till verket; utan dem går belastningen inte att räkna ut.",
    "Be laboratoriet ange kvantifieringsgränsen (LOQ) för varje ämne och skriva \"<LOQ\" för värden under den.",
)

# ============================================================================================
# The template
# ============================================================================================


def _column(name: str, required: bool, description: str, example: str, *aliases: str) -> Column:
    return Column(name, required, description, example, tuple(aliases))


_PLANT = "Trelleborgs reningsverk"
_ROWS: tuple[tuple[str, ...], ...] = (
    ("2025-03-12", _PLANT, "1287", "bensoylekgonin", "412,5", "ng/L", "10", "12 350", "44 000",
     "Exempellaboratoriet", ""),
    ("2025-03-12", _PLANT, "1287", "amfetamin", "0,95", "µg/L", "0,01", "12 350", "44 000", "Exempellaboratoriet", ""),
    ("2025-03-12", _PLANT, "1287", "MDMA", "24,1", "", "", "12 350", "44 000", "Exempellaboratoriet", ""),
    ("2025-03-12", _PLANT, "1287", "THC-COOH", "151", "ng/L", "20", "12 350", "44 000", "Exempellaboratoriet", ""),
    ("2025-03-12", _PLANT, "1287", "metamfetamin", "<LOQ", "ng/L", "5", "12 350", "44 000", "Exempellaboratoriet",
     "Under kvantifieringsgränsen"),
    ("2025-03-12", _PLANT, "1287", "ketamin", "<2", "ng/L", "", "12 350", "44 000", "Exempellaboratoriet", ""),
)

#: The results table: its columns (name, required column, Swedish description, example, aliases) and
#: the example rows of the template.
TEMPLATE = Table(
    FILE_KIND, "Analyser av avloppsvatten",
    "En rad per analysresultat: ett ämne i ett dygnsprov från ett reningsverk. Ett resultat per "
    "provdag, reningsverk och ämne.",
    (
        _column("provdatum", True,
                "Dag då dygnsprovet (24 timmar) togs, ÅÅÅÅ-MM-DD, t.ex. 2025-03-12 (eller ett datum i Excel). "
                "Ange dagen då provtagningen startade, likadant varje gång.", "2025-03-12", "datum"),
        _column("reningsverk", True, "Reningsverkets namn, samma stavning varje gång.", _PLANT),
        _column("kommun", True, "Kommunkod, fyra siffror (SCB), t.ex. 1287 för Trelleborg eller 0114 (behåll nollan).",
                "1287", "kommun_kod", "kommunkod"),
        _column("substans", True,
                "Ämnet: drogen eller dess biomarkör, t.ex. bensoylekgonin (kokain), amfetamin, metamfetamin, "
                "MDMA, THC-COOH (cannabis), ketamin.", "bensoylekgonin", "ämne"),
        _column("koncentration", True,
                "Uppmätt halt som tal (decimalkomma går bra), eller <LOQ när halten är under "
                "kvantifieringsgränsen (då krävs loq), eller <0,5 med kvantifieringsgränsen efter tecknet.",
                "412,5", "halt"),
        _column("enhet", False, f"Enhet för koncentration och loq: {_UNIT_SPELLINGS_SV}. Tom cell = ng/L.", "ng/L"),
        _column("loq", False,
                "Kvantifieringsgräns (LOQ) i samma enhet som koncentrationen. Krävs när koncentrationen är <LOQ.",
                "10", "kvantifieringsgräns"),
        _column("flode_m3_per_dygn", True,
                "Reningsverkets inkommande flöde under provdygnet, m³ per dygn (större än 0).", "12 350",
                "flöde_m3_per_dygn", "flöde", "flode"),
        _column("personer", True,
                "Antal personer anslutna till reningsverket (heltal, större än 0), samma för alla ämnen samma dag.",
                "44 000", "anslutna_personer", "anslutna personer"),
        _column("laboratorium", False, "Laboratoriet som gjorde analysen (får vara tom).", "Exempellaboratoriet",
                "lab"),
        _column("kommentar", False,
                "Anteckning om provet. Publiceras aldrig; skriv inga namn eller personuppgifter.",
                "Under kvantifieringsgränsen", "anmärkning"),
    ),
    _ROWS,
    templates="data/templates/wastewater", description=FILE_DESCRIPTION, noun="results table", row_noun="lab result",
)

#: The lab-results folder: one results table and an optional ``metadata.yaml``.
LAB_FOLDER = Folder("lab-results folder", (TEMPLATE,), needs=(FILE_KIND,), table_noun="lab-results table",
                    example_kommun="1287", merge_hint="put all results in one table")

PRIVACY_RULE = (
    "Kolumnen kommentar läses bara av analytikern och publiceras aldrig i en rapport. Skriv inga namn, "
    "personnummer eller andra uppgifter som pekar ut en person."
)

LOAD_RULE = (
    "Belastning (mg per dygn och 1 000 invånare) = koncentration (ng/L) × flöde (m³ per dygn) / antal anslutna "
    "personer. Omräkningsfaktorerna tar ut varandra: ng/L × m³/dygn × 1 000 L/m³ = ng/dygn; / 1 000 000 = "
    "mg/dygn; × 1 000 / personer = per 1 000 invånare."
)

CAMPAIGN_RULE = (
    "En mätkampanj är en följd av provdagar i rad vid samma reningsverk; den får namn efter ISO-år och "
    "vecka för första provdagen, t.ex. 2025 v.11. Vardagsmedel = tisdag–torsdag, helgmedel = "
    "fredag–måndag, dygnsmedel = alla uppmätta dagar (samma indelning som EUDA)."
)

# ============================================================================================
# Substance names
# ============================================================================================


def accepted_substances() -> str:
    """Every substance name a results file may use, grouped by substance, for error messages.

    Case does not matter; each group starts with the substance key.

    Examples
    --------
    >>> accepted_substances().split("; ")[1]
    'amphetamine, Amfetamin'
    """
    parts = []
    for s in SUBSTANCES.values():
        names: dict[str, str] = {}
        for name in ((s.biomarker, *s.aliases) if not s.biomarker_is_drug else (s.key, s.name, s.biomarker, *s.aliases)):
            names.setdefault(name.casefold(), name)
        parts.append(", ".join(names.values()))
    return "; ".join(parts)


# ============================================================================================
# Writing templates and tables
# ============================================================================================


def csv_text(rows: Iterable[Mapping[str, object] | Iterable[object]]) -> str:
    """The text of a ``;``-separated results CSV with the template header (UTF-8 BOM included).

    Parameters
    ----------
    rows : iterable of mappings or sequences
        A mapping is keyed by template column name (or alias); missing keys are empty cells. A
        sequence holds the cells in template order. None and NaN are written as empty cells.

    Examples
    --------
    >>> csv_text([{"provdatum": "2025-03-12", "reningsverk": "Verket", "kommun": "1287"}]).splitlines()[1]
    '2025-03-12;Verket;1287;;;;;;;;'
    """
    return TEMPLATE.csv_text(rows)


def write_csv(path: str | Path, rows: Iterable[Mapping[str, object] | Iterable[object]]) -> None:
    """Write results as a template-shaped CSV (``;``, UTF-8 with BOM), atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "analyser.csv"
    >>> write_csv(p, [("2025-03-12", "Verket", "1287", "MDMA", "20", "", "", "10000", "40000", "", "")])
    >>> from lagesbild.wastewater.labresults import load_lab_results
    >>> float(load_lab_results(p).loc[2, "load"])
    5.0
    """
    TEMPLATE.write_csv(path, rows)


def instructions_rows() -> list[it.InstructionRow]:
    """The rows of the ``Instruktioner`` sheet: (section/column, required, description, example).

    Examples
    --------
    >>> rows = instructions_rows()
    >>> rows[0][0], any(r[0] == "koncentration" for r in rows), any(r[0] == "LOQ-regeln" for r in rows)
    ('Mall för analyser av avloppsvatten', True, True)
    """
    rows = it.instructions_rows(
        [TEMPLATE], "Mall för analyser av avloppsvatten",
        "Fyll i bladet analyser (en rad per analysresultat) och spara det som analyser.csv eller analyser.xlsx i en "
        "egen mapp. Rubrikerna måste stå kvar; exempelraderna ska ersättas.")
    rows.append(("Ämnen", "", "Godkända namn per ämne: " + accepted_substances(), ""))
    rows.append(("Enheter", "", f"{_UNIT_SPELLINGS_SV}. Allt räknas om till ng/L (1 µg/L = 1 ng/mL = 1 000 ng/L).", ""))
    rows.append(("Belastning", "", LOAD_RULE, ""))
    rows.append(("LOQ-regeln", "", LOQ_RULE, ""))
    rows.append(("Mätkampanjer", "", CAMPAIGN_RULE, ""))
    rows.append(it.BLANK)
    rows.append(("Mätprogram", "", "Det här behöver ett mätprogram:", ""))
    rows += [(f"{i}.", "", advice, "") for i, advice in enumerate(PROGRAMME_ADVICE, start=1)]
    rows.append(it.BLANK)
    rows.append(("Integritet", "", PRIVACY_RULE, ""))
    return rows


def workbook_bytes() -> bytes:
    """The template workbook ``analyser.xlsx`` as bytes: sheets ``analyser`` and ``Instruktioner``.

    Deterministic: fixed document dates and zip entry times, so the same template gives the same bytes.

    Examples
    --------
    >>> workbook_bytes() == workbook_bytes()
    True
    """
    return template_workbook([TEMPLATE], instructions_rows())


def templates_markdown() -> str:
    """``data/templates/wastewater/README.md``: every column, units, loads, the LOQ rule and the advice.

    Examples
    --------
    >>> text = templates_markdown()
    >>> "| koncentration | ja |" in text, "## LOQ-regeln" in text, "## Mätprogram" in text
    (True, True, True)
    """
    lines = [
        "# Mall för analyser av avloppsvatten (wastewater lab-results template)",
        "",
        it.generated_note("lagesbild.wastewater.templates.write_templates", "TEMPLATE",
                          "lib/lagesbild/wastewater/templates.py"),
        "",
        "This template is the input of a kommun's own wastewater measurements in the wastewater report. A "
        "*lab-results folder* holds one table `analyser.csv` (`;`-separated, UTF-8) or `analyser.xlsx` (read "
        "from the sheet `analyser`, else the first sheet), one row per lab result, plus an optional "
        "`metadata.yaml`. Headers match case-insensitively; optional columns may be left out, but a column "
        "that is not in the template is an error, so that a misspelt header is never silently ignored. Every "
        "problem is reported with file, spreadsheet row, column and a fix. Other tables in the folder are an "
        "error; other files (README, scripts) are ignored.",
        "",
        "The files here are written by `lagesbild.wastewater.templates.write_templates(\"data/templates/wastewater\")`; a "
        "test checks that they are what it writes today and that the example rows load. `analyser.xlsx` "
        "has the sheet `analyser` and an `Instruktioner` sheet with the same text as this page.",
        "",
        *it.files_markdown([TEMPLATE], METADATA_KEYS),
        *it.columns_markdown(TEMPLATE),
        "Ett resultat per provdag, reningsverk och ämne: två rader för samma dag, verk och ämne är fel (även om "
        "ämnet är stavat på två sätt, t.ex. kokain och bensoylekgonin; behåll då biomarkören). Alla rader för "
        "samma dag och verk ska ha samma flöde och samma antal personer.",
        "",
        "## Ämnen",
        "",
        "| nyckel | namn | biomarkör | andra godkända namn |",
        "|---|---|---|---|",
        *[f"| `{s.key}` | {s.name} | {s.biomarker} | {', '.join(s.aliases)} |" for s in SUBSTANCES.values()],
        "",
        "Stora och små bokstäver spelar ingen roll.",
        "",
        "## Enheter",
        "",
        f"Koncentration och loq anges i samma enhet, kolumnen `enhet`: {_UNIT_SPELLINGS_SV}. Allt räknas om till "
        "ng/L: 1 µg/L = 1 ng/mL = 1 000 ng/L. Andra enheter är fel. Flödet anges i m³ per dygn. Tal får "
        "skrivas med decimalkomma (`412,5`) och mellanslag (`12 350`).",
        "",
        "## Belastning",
        "",
        LOAD_RULE,
        "",
        "Belastningen är biomarkörens belastning, som EUDA redovisar den. Den räknas inte om till förbrukning "
        "av drogen (det kräver publicerade omräkningsfaktorer per ämne).",
        "",
        "## LOQ-regeln",
        "",
        LOQ_RULE,
        "",
        "`<LOQ` (eller `< LOQ`) kräver kvantifieringsgränsen i kolumnen `loq`; `<0,5` anger gränsen direkt. Ett "
        "tal som är lägre än radens `loq` räknas också som under LOQ.",
        "",
        "## Mätkampanjer och veckodagar",
        "",
        CAMPAIGN_RULE,
        "",
        "## Mätprogram",
        "",
        "Det här behöver ett mätprogram:",
        "",
        *[f"{i}. {advice}" for i, advice in enumerate(PROGRAMME_ADVICE, start=1)],
        "",
        "## Datum",
        "",
        "Datum som `2025-03-12`; datumceller i Excel går också bra.",
        "",
        "## Integritet",
        "",
        PRIVACY_RULE,
        "",
    ]
    return "\n".join(lines)


def write_templates(folder: str | Path) -> list[Path]:
    """Write the templates: ``analyser.csv``, ``analyser.xlsx`` and ``README.md``, each atomically.

    Parameters
    ----------
    folder : str or Path
        Target folder (created if missing), e.g. ``data/templates/wastewater``.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> [p.name for p in write_templates(pathlib.Path(tempfile.mkdtemp()))]
    ['analyser.csv', 'analyser.xlsx', 'README.md']
    """
    return it.write_templates(folder, [TEMPLATE], workbook_name=f"{FILE_KIND}.xlsx", workbook=workbook_bytes(),
                              readme=templates_markdown())


__all__ = [
    "CAMPAIGN_RULE", "FILE_DESCRIPTION", "FILE_KIND", "LAB_FOLDER", "LOAD_RULE", "PRIVACY_RULE", "PROGRAMME_ADVICE",
    "TEMPLATE", "accepted_substances", "csv_text", "instructions_rows", "templates_markdown", "workbook_bytes",
    "write_csv", "write_templates",
]
