"""A kommun's own wastewater lab results: template, loading, loads, the LOQ rule, daily and campaign tables.

A *lab-results folder* holds one table of analysis results, as CSV or Excel (``.xlsx``), and an
optional ``metadata.yaml`` (the same keys as a place-data folder, see
:data:`lagesbild.inputs.folders.METADATA_KEYS`):

=====================  ====================================================  ======
file                   what                                                  needed
=====================  ====================================================  ======
``analyser.*``         one row per lab result: day, plant, substance,        yes
                       concentration, flow, population served
``metadata.yaml``      ``exempeldata``, ``beskrivning``, ``kalla``,          no
                       ``datum``
=====================  ====================================================  ======

The columns are declared once, in :data:`TEMPLATE` (with :mod:`lagesbild.inputs.tables`), and the
folder in :data:`LAB_FOLDER`; the declaration reads the table and writes the templates in
``data/templates/wastewater/`` (CSV, ``analyser.xlsx`` with an instruction sheet, README), so the
templates and the docs cannot drift. Every problem in a file is an
:class:`~lagesbild.core.errors.InputError` naming file, spreadsheet row, column, what is wrong and the fix.

From concentrations to loads
----------------------------
A concentration (ng/L, after unit conversion) times the day's flow (m³/day) divided by the population
served is the load in mg per day per 1 000 inhabitants, the unit EUDA reports
(:func:`load_mg_per_day_per_1000`). Values below the limit of quantification (LOQ) follow one rule,
:data:`LOQ_RULE`, applied in one place (:func:`apply_loq_rule`, :func:`is_mostly_below_loq`).

Results become the shared tidy tables of the wastewater report: :func:`to_daily` (``DAILY``: one
row per site × campaign × substance × day) and :func:`to_summary` (``SUMMARY``: weekday, weekend
and daily means per campaign, with EUDA's day definitions, :data:`WEEKDAY_DAYS` and
:data:`WEEKEND_DAYS`). A *campaign* is a run of consecutive sampling days at one plant, labelled by
the ISO year and week of its first day, e.g. ``"2025 v.12"``.

No back-calculation to drug consumption is made: that needs published excretion and correction
factors per substance, and none is cited here.

The column ``kommentar`` may hold anything the analyst writes; it is kept for reading in JupyterLab
but must **never be published** in a report.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.core.workbook import template_workbook
from lagesbild.inputs import tables as it
from lagesbild.inputs.folders import METADATA_KEYS, Folder
from lagesbild.inputs.tables import Column, Rule, Table, cell_text, is_filled, normalise
from lagesbild.sources import schemas
from lagesbild.sources.readers import MISSING_MARKERS, to_number
from lagesbild.sources.substances import SUBSTANCES, substance_key

# ============================================================================================
# Constants: units, the LOQ rule, day definitions, programme advice
# ============================================================================================

#: The file stem of the results table in a lab-results folder (``analyser.csv`` or ``analyser.xlsx``).
FILE_KIND = "analyser"

#: Swedish description of the table, used in the provenance of a report.
FILE_DESCRIPTION = "Analysresultat för avloppsvatten (egen mätning)"

#: ``source`` and ``country`` of every row this module writes to the DAILY and SUMMARY tables.
SOURCE = "egen mätning"
COUNTRY = "SE"

#: Accepted concentration units (compared in lower case without spaces; µ and μ read as u) and the
#: factor that converts a value in that unit to ng/L. 1 µg/L = 1 000 ng/L; 1 ng/mL = 1 000 ng/L.
UNITS: dict[str, float] = {"ng/l": 1.0, "ug/l": 1000.0, "ng/ml": 1000.0}

#: Unit of an empty ``enhet`` cell (or a file without the column).
DEFAULT_UNIT = "ng/L"

_UNIT_SPELLINGS = "ng/L (default), µg/L (or ug/L) or ng/mL"
_UNIT_SPELLINGS_SV = "ng/L (standard), µg/L (eller ug/L) eller ng/mL"

#: The LOQ rule: a value below the limit of quantification counts as this fraction of the LOQ.
LOQ_FRACTION = 0.5

#: A campaign mean is flagged when *more than* this share of its measured days are below LOQ.
MOSTLY_BELOW_LOQ_SHARE = 0.5

#: The LOQ rule in Swedish, for the report.
LOQ_RULE = (
    "Ett värde under kvantifieringsgränsen (LOQ) räknas som halva kvantifieringsgränsen (LOQ/2) när "
    "belastning och medelvärden beräknas, och dagen markeras som under LOQ. Om mer än hälften av dagarna "
    "i en mätkampanj ligger under LOQ markeras kampanjens medelvärde som osäkert: det beror då mest på "
    "kvantifieringsgränsen och inte på vad som finns i avloppsvattnet, så dess utveckling över tid tolkas inte."
)

#: Days of the week in the weekday mean (0 = Monday): Tuesday, Wednesday, Thursday, as EUDA.
WEEKDAY_DAYS: tuple[int, ...] = (1, 2, 3)
#: Days of the week in the weekend mean: Friday, Saturday, Sunday, Monday, as EUDA (the samples of
#: these days carry the weekend's use). The daily mean is the mean of all measured days.
WEEKEND_DAYS: tuple[int, ...] = (4, 5, 6, 0)


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
# Contract schemas
# ============================================================================================

_KOMMUN_RE = r"^\d{4}$"

#: A loaded results table (:func:`load_lab_results`). Concentrations in ng/L; index = spreadsheet row.
RESULTS_SCHEMA = pa.DataFrameSchema(
    {
        "date": pa.Column("datetime64[ns]"),
        "site_id": pa.Column(str, pa.Check(is_filled)),
        "site": pa.Column(str, pa.Check(is_filled)),
        "kommun_kod": pa.Column(str, pa.Check.str_matches(_KOMMUN_RE)),
        "substance": pa.Column(str, pa.Check.isin(list(SUBSTANCES))),
        "concentration": pa.Column(float, pa.Check.ge(0), nullable=True),
        "loq": pa.Column(float, pa.Check.gt(0), nullable=True),
        "below_loq": pa.Column(bool),
        "concentration_used": pa.Column(float, pa.Check.ge(0)),
        "flow_m3_per_day": pa.Column(float, pa.Check.gt(0)),
        "population": pa.Column(int, pa.Check.gt(0)),
        "load": pa.Column(float, pa.Check.ge(0)),
        "laboratorium": pa.Column(str),
        "kommentar": pa.Column(str),
    },
    checks=pa.Check(lambda d: ~d["below_loq"] | d["loq"].notna(), error="below LOQ needs loq"),
    unique=["date", "site_id", "substance"], strict=True, ordered=True, name="lab_results",
)

#: Columns of the shared DAILY table, in order.
DAILY_COLUMNS: tuple[str, ...] = ("site_id", "site", "country", "kommun_kod", "year", "campaign", "substance",
                                  "date", "weekday", "load", "source", "below_loq")
#: Columns of the SUMMARY table this module writes (the shared ones plus the LOQ columns), in order.
SUMMARY_COLUMNS: tuple[str, ...] = ("site_id", "site", "country", "kommun_kod", "year", "campaign", "substance",
                                    "weekday_mean", "weekend_mean", "daily_mean", "n_days", "source",
                                    "n_below_loq", "mostly_below_loq")

DAILY_SCHEMA = pa.DataFrameSchema(
    {
        "site_id": pa.Column(str, pa.Check(is_filled)),
        "site": pa.Column(str),
        "country": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{2}$")),
        "kommun_kod": pa.Column(str, pa.Check.str_matches(_KOMMUN_RE), nullable=True),
        "year": pa.Column(int, pa.Check.in_range(1990, 2100)),
        "campaign": pa.Column(str, pa.Check(is_filled)),
        "substance": pa.Column(str, pa.Check.isin(list(SUBSTANCES))),
        "date": pa.Column("datetime64[ns]", nullable=True),
        "weekday": pa.Column(int, pa.Check.in_range(0, 6)),
        "load": pa.Column(float, pa.Check.ge(0), nullable=True),
        "source": pa.Column(str),
        "below_loq": pa.Column(bool),
    },
    strict=True, ordered=True, name="daily",
)

SUMMARY_SCHEMA = pa.DataFrameSchema(
    {
        "site_id": pa.Column(str, pa.Check(is_filled)),
        "site": pa.Column(str),
        "country": pa.Column(str),
        "kommun_kod": pa.Column(str, nullable=True),
        "year": pa.Column(int),
        "campaign": pa.Column(str),
        "substance": pa.Column(str, pa.Check.isin(list(SUBSTANCES))),
        "weekday_mean": pa.Column(float, nullable=True),
        "weekend_mean": pa.Column(float, nullable=True),
        "daily_mean": pa.Column(float, nullable=True),
        "n_days": pa.Column(int, pa.Check.ge(0)),
        "source": pa.Column(str),
        "n_below_loq": pa.Column(int, pa.Check.ge(0)),
        "mostly_below_loq": pa.Column(bool),
    },
    unique=["site_id", "campaign", "substance"], strict=True, ordered=True, name="summary",
)

# ============================================================================================
# Units, loads and the LOQ rule
# ============================================================================================


def unit_factor(unit: str) -> float | None:
    """The factor that converts a concentration in ``unit`` to ng/L, or None for an unknown unit.

    An empty unit is :data:`DEFAULT_UNIT` (ng/L). Case, spaces and the spelling of micro (µ, μ or u)
    do not matter.

    Examples
    --------
    >>> unit_factor("ng/L"), unit_factor(" µg / l "), unit_factor("ug/L"), unit_factor("ng/ml"), unit_factor("")
    (1.0, 1000.0, 1000.0, 1000.0, 1.0)
    >>> unit_factor("mg/kg") is None
    True
    """
    clean = re.sub(r"\s+", "", str(unit)).casefold().replace("µ", "u").replace("μ", "u")
    if not clean:
        return UNITS["ng/l"]
    return UNITS.get(clean)


def load_mg_per_day_per_1000(conc_ng_per_l, flow_m3_per_day, population):
    """Load in mg per day per 1 000 inhabitants: concentration × flow / population.

    The unit identity: a concentration in ng/L times a flow in m³/day times 1 000 L/m³ is ng/day;
    divided by 10⁶ ng/mg it is mg/day; times 1 000 divided by the population served it is mg/day
    per 1 000 inhabitants. The factors cancel (1 000 × 10⁻⁶ × 1 000 = 1), so

        load [mg/day/1 000 inh] = conc [ng/L] × flow [m³/day] / population.

    Parameters
    ----------
    conc_ng_per_l : float or array-like
        Concentration in ng/L (convert other units with :func:`unit_factor` first).
    flow_m3_per_day : float or array-like
        The plant's inflow on the sampling day, m³/day; greater than 0.
    population : float or array-like
        Population served by the plant; greater than 0.

    Returns
    -------
    float or numpy.ndarray (a pandas.Series if ``conc_ng_per_l`` is one)

    Raises
    ------
    ValueError
        If a flow or population is not greater than 0.

    Examples
    --------
    1 000 ng/L in 10 000 m³/day is 10¹⁰ ng/day = 10 000 mg/day; from 50 000 people that is
    200 mg/day per 1 000 inhabitants:

    >>> load_mg_per_day_per_1000(1000.0, 10_000.0, 50_000)
    200.0
    >>> round(load_mg_per_day_per_1000(0.95 * unit_factor("µg/L"), 12_350, 44_000), 2)
    266.65
    """
    flow = np.asarray(flow_m3_per_day, dtype=float)
    pop = np.asarray(population, dtype=float)
    if np.any(~(flow > 0)) or np.any(~(pop > 0)):
        raise ValueError("flow and population must be greater than 0")
    out = np.asarray(conc_ng_per_l, dtype=float) * flow / pop
    if isinstance(conc_ng_per_l, pd.Series):
        return pd.Series(out, index=conc_ng_per_l.index, name="load")
    return out if out.ndim else float(out)


def apply_loq_rule(concentration, loq, below_loq):
    """The concentration used for loads and means: the measured value, or LOQ/2 where below LOQ.

    This is the one place the LOQ rule (:data:`LOQ_RULE`) replaces values: a value below the limit
    of quantification counts as :data:`LOQ_FRACTION` (½) of the LOQ. This substitution is common in
    environmental chemistry; here it is simply our rule, applied the same way everywhere.

    Parameters
    ----------
    concentration, loq : float or array-like
        Measured concentration (ignored where below LOQ; may be NaN there) and LOQ, same unit.
    below_loq : bool or array-like of bool

    Returns
    -------
    float or numpy.ndarray (a pandas.Series if ``concentration`` is one)

    Raises
    ------
    ValueError
        Where a value below LOQ has no LOQ (NaN or not greater than 0).

    Examples
    --------
    >>> apply_loq_rule(np.array([12.0, np.nan, 3.0]), np.array([5.0, 5.0, 5.0]), np.array([False, True, True]))
    array([12. ,  2.5,  2.5])
    >>> apply_loq_rule(7.0, np.nan, False)
    7.0
    """
    conc = np.asarray(concentration, dtype=float)
    limit = np.asarray(loq, dtype=float)
    below = np.asarray(below_loq, dtype=bool)
    if np.any(below & ~(limit > 0)):
        raise ValueError("a value below LOQ needs its LOQ (greater than 0)")
    out = np.where(below, limit * LOQ_FRACTION, conc)
    if isinstance(concentration, pd.Series):
        return pd.Series(out, index=concentration.index, name=concentration.name)
    return out if out.ndim else float(out)


def is_mostly_below_loq(n_below_loq, n_days):
    """True where more than half (:data:`MOSTLY_BELOW_LOQ_SHARE`) of the measured days are below LOQ.

    A campaign mean so flagged is mostly the LOQ rule, not the wastewater: the report must not
    interpret its trend.

    Examples
    --------
    >>> is_mostly_below_loq(4, 7), is_mostly_below_loq(3, 7), is_mostly_below_loq(1, 2), is_mostly_below_loq(0, 0)
    (True, False, False, False)
    """
    n_below = np.asarray(n_below_loq, dtype=float)
    n = np.asarray(n_days, dtype=float)
    out = (n > 0) & (n_below > MOSTLY_BELOW_LOQ_SHARE * n)
    if isinstance(n_below_loq, pd.Series):
        return pd.Series(out, index=n_below_loq.index, name="mostly_below_loq")
    return out if out.ndim else bool(out)


_BELOW = re.compile(r"^<\s*(.*)$")


def parse_concentration(text: str) -> tuple[float, bool, float]:
    """Read a ``koncentration`` cell: a number, ``<LOQ`` or ``<`` followed by the LOQ.

    Parameters
    ----------
    text : str
        The cell, e.g. ``"412,5"``, ``"1 234.5"``, ``"<LOQ"``, ``"< LOQ"``, ``"<0,5"``, ``"< 0.5"``.

    Returns
    -------
    (value, below_loq, loq_in_cell) : tuple
        ``value`` is the number (NaN when below LOQ); ``loq_in_cell`` is the number after ``<``
        (NaN for ``<LOQ`` or a plain number).

    Raises
    ------
    ValueError
        If the cell is empty, not a number, negative, or ``<`` is followed by something else.

    Examples
    --------
    >>> parse_concentration("412,5"), parse_concentration("< LOQ"), parse_concentration("<0,5")
    ((412.5, False, nan), (nan, True, nan), (nan, True, 0.5))
    """
    cell = str(text).strip()
    if cell in MISSING_MARKERS:
        raise ValueError("the concentration is empty")
    below = _BELOW.match(cell)
    body = below.group(1).strip() if below else cell
    if below and body.casefold() == "loq":
        return float("nan"), True, float("nan")
    try:
        value = float(to_number(pd.Series([body]), file="", column="", allow_missing=False).iloc[0])
    except InputError:
        what = "'<' must be followed by LOQ or a number" if below else f"{plain(cell)} is not a number"
        raise ValueError(what) from None
    if value < 0 or (below and value <= 0):
        raise ValueError(f"{plain(cell)} is not a concentration (must be {'above' if below else 'at least'} 0)")
    return (float("nan"), True, value) if below else (value, False, float("nan"))


# ============================================================================================
# Sites and campaigns
# ============================================================================================


def make_site_id(kommun: str, plant: str) -> str:
    """The site id of a plant: the kommun code and a slug of the plant's name.

    Examples
    --------
    >>> make_site_id("1287", "Trelleborgs reningsverk"), make_site_id("0114", " Käppalaverket (Lidingö) ")
    ('1287-trelleborgs-reningsverk', '0114-kappalaverket-lidingo')
    """
    ascii_name = unicodedata.normalize("NFKD", str(plant)).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return f"{kommun}-{slug}"


def label_campaigns(dates: pd.Series) -> pd.DataFrame:
    """Group the sampling days of one plant into campaigns: runs of consecutive days.

    A campaign is labelled by the ISO year and ISO week of its first day (``"2025 v.12"``); its
    ``year`` is that ISO year, so every day of a campaign has the same year (a campaign starting on
    Monday 30 December 2024 is "2025 v.1", year 2025). Two runs that start in the same ISO week
    (e.g. a week with a lost sample day) get the same label and so are one campaign in
    :func:`to_summary`.

    Parameters
    ----------
    dates : pandas.Series of datetime64
        Sampling days of one plant (repeats allowed, any order).

    Returns
    -------
    pandas.DataFrame
        Aligned with ``dates``: ``campaign`` (str), ``year`` (int), ``start`` (first day of the run).

    Examples
    --------
    >>> days = pd.Series(pd.to_datetime(["2024-12-30", "2024-12-31", "2025-01-01", "2025-03-12", "2025-03-13"]))
    >>> label_campaigns(days)["campaign"].tolist()
    ['2025 v.1', '2025 v.1', '2025 v.1', '2025 v.11', '2025 v.11']
    """
    day = pd.to_datetime(dates).dt.normalize()
    unique = pd.Series(np.sort(day.dropna().unique()))
    new_run = unique.diff() != pd.Timedelta(days=1)
    start = unique.where(new_run).ffill()
    by_day = pd.Series(start.to_numpy(), index=unique.to_numpy())
    first = day.map(by_day)
    iso = first.dt.isocalendar()
    out = pd.DataFrame({
        "campaign": iso["year"].astype(str) + " v." + iso["week"].astype(str),
        "year": iso["year"].astype("int64"),
        "start": first,
    }, index=dates.index)
    out["campaign"] = out["campaign"].astype(str)
    return out


# ============================================================================================
# Reading the results table
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


def _positive(values: pd.Series, file: str, column: str, *, integer: bool = False,
              allow_missing: bool = False, what: str = "value") -> pd.Series:
    out = to_number(values, file=file, column=column, integer=integer, allow_missing=allow_missing)
    bad = out.notna() & ~(out > 0)
    if bad.any():
        row = values.index[bad.to_numpy()][0]
        raise InputError(file, f"{what} {plain(values[row])} is not greater than 0",
                         f"write the {what} as a number greater than 0", row=int(row), column=column)
    return out


def load_lab_results(path: str | Path) -> pd.DataFrame:
    """Load a results table (``analyser.csv``/``.xlsx``): check every cell, convert units, compute loads.

    Parameters
    ----------
    path : str or Path
        The file (for ``.xlsx``: the sheet ``analyser`` if there is one, else the first sheet).

    Returns
    -------
    pandas.DataFrame
        One row per result, index = spreadsheet row, columns (see :data:`RESULTS_SCHEMA`):
        ``date`` (datetime64[ns]), ``site_id`` (:func:`make_site_id`), ``site`` (plant name as first
        written), ``kommun_kod``, ``substance`` (key in :data:`lagesbild.sources.substances.SUBSTANCES`),
        ``concentration`` (ng/L as measured; NaN for ``<LOQ``), ``loq`` (ng/L or NaN), ``below_loq``
        (``<…`` or a number below the row's LOQ), ``concentration_used`` (ng/L after
        :func:`apply_loq_rule`), ``flow_m3_per_day``, ``population`` (int), ``load``
        (mg/day/1 000 inh, :func:`load_mg_per_day_per_1000` of ``concentration_used``),
        ``laboratorium``, ``kommentar`` (never publish).

    Raises
    ------
    InputError
        Naming row and column: unknown or missing columns, a bad date, an empty plant, a kommun that
        is not four digits, an unknown substance (the fix lists the accepted names), a concentration
        that is not a number or ``<LOQ``, ``<LOQ`` without ``loq``, ``<0,5`` that disagrees with
        ``loq``, an unknown unit, a flow or population not above 0 (or a population not whole), two
        results for one day, plant and substance (both rows named), and two different flows or
        populations for one day and plant.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "analyser.csv"
    >>> _ = p.write_text("provdatum;reningsverk;kommun;substans;koncentration;enhet;loq;flode_m3_per_dygn;personer\\n"
    ...                  "2025-03-12;Verket;1287;bensoylekgonin;400;ng/L;;12 000;40 000\\n"
    ...                  "2025-03-12;Verket;1287;metamfetamin;<LOQ;µg/L;0,005;12 000;40 000\\n", encoding="utf-8")
    >>> df = load_lab_results(p)
    >>> df[["substance", "below_loq", "concentration_used", "load"]].values.tolist()
    [['cocaine', False, 400.0, 120.0], ['methamphetamine', True, 2.5, 0.75]]
    """
    path = Path(path)
    file = str(path)
    df, headers = TEMPLATE.read(path)
    it.check_cells(df, {
        "reningsverk": Rule(lambda s: s.map(lambda v: bool(make_site_id("0000", v)[5:])),
                             lambda v: "the plant name is empty" if not v.strip() else f"{plain(v)} is not a plant name",
                             "write the treatment plant's name, the same way on every row"),
        "kommun": it.kommun_rule("1287 for Trelleborg"),
        "substans": Rule(lambda s: s.map(lambda v: substance_key(v, biomarker_only=True) is not None),
                          lambda v: (f"{plain(v)} is not a biomarker this suite knows" if v else "the substance is empty"),
                          "write the biomarker the lab measured (for cocaine benzoylecgonine, for cannabis THC-COOH; "
                          "a parent drug's concentration is not its biomarker's); accepted names: "
                          + accepted_substances()),
        "enhet": Rule(lambda s: s.map(lambda v: unit_factor(v) is not None),
                       lambda v: f"{plain(v)} is not a concentration unit this suite knows",
                       f"write {_UNIT_SPELLINGS}; ask the lab to convert other units"),
    }, file, headers)
    date = it.parse_dates(df["provdatum"], file, headers["provdatum"], allow_future=False)
    flow = _positive(df["flode_m3_per_dygn"], file, headers["flode_m3_per_dygn"], what="flow")
    population = _positive(df["personer"], file, headers["personer"], integer=True, what="population")
    loq_cells = _positive(df["loq"], file, headers["loq"], allow_missing=True, what="LOQ")

    factor = df["enhet"].map(unit_factor).astype(float)
    conc = pd.Series(np.nan, index=df.index)
    below = pd.Series(False, index=df.index)
    loq = loq_cells.copy()
    column = headers["koncentration"]
    for row, cell in df["koncentration"].items():
        try:
            value, is_below, cell_loq = parse_concentration(cell)
        except ValueError as exc:
            raise InputError(file, str(exc), "write the concentration as a number (412,5 or 412.5), as <LOQ "
                             "(and the LOQ in column loq) or as <0,5 (the LOQ after '<')",
                             row=int(row), column=column) from None
        if is_below and np.isnan(cell_loq) and np.isnan(loq_cells[row]):
            raise InputError(file, f"{plain(cell)} is below LOQ but the row has no LOQ",
                             f"write the limit of quantification in column {plain(headers['loq'])} (same unit as the "
                             "concentration), or write the concentration as <0,5 with the LOQ after '<'",
                             row=int(row), column=headers["loq"])
        if is_below and not np.isnan(cell_loq) and not np.isnan(loq_cells[row]) \
                and not np.isclose(cell_loq, loq_cells[row], rtol=1e-9, atol=0):
            raise InputError(file, f"{plain(cell)} says the LOQ is {cell_loq:g} but column loq says {loq_cells[row]:g}",
                             "correct one of them, or write <LOQ and keep the LOQ in column loq",
                             row=int(row), column=column)
        if is_below and not np.isnan(cell_loq):
            loq[row] = cell_loq
        elif not is_below and not np.isnan(loq_cells[row]) and value < loq_cells[row]:
            is_below = True  # a number below the row's own LOQ: the LOQ rule applies to it as well
        conc[row], below[row] = value, is_below

    kommun = cell_text(df["kommun"])
    plant = df["reningsverk"].map(lambda v: " ".join(v.split())).astype(str)
    site_id = pd.Series([make_site_id(k, p) for k, p in zip(kommun, plant, strict=True)], index=df.index)
    substance = df["substans"].map(lambda v: substance_key(v, biomarker_only=True)).astype(str)
    _check_unique(df, date, site_id, substance, plant, file, headers)
    _check_same_day(date, site_id, flow, "flow", file, headers["flode_m3_per_dygn"])
    _check_same_day(date, site_id, population, "population", file, headers["personer"])

    conc_ng, loq_ng = conc * factor, loq * factor
    used = apply_loq_rule(conc_ng, loq_ng, below)
    out = pd.DataFrame({
        "date": date,
        "site_id": site_id.astype(str),
        "site": site_id.map(plant.groupby(site_id).first()).astype(str),
        "kommun_kod": kommun,
        "substance": substance,
        "concentration": conc_ng.astype(float),
        "loq": loq_ng.astype(float),
        "below_loq": below.astype(bool),
        "concentration_used": used.astype(float),
        "flow_m3_per_day": flow.astype(float),
        "population": population.astype("int64"),
        "load": load_mg_per_day_per_1000(used, flow, population).astype(float),
        "laboratorium": cell_text(df["laboratorium"]),
        "kommentar": cell_text(df["kommentar"]),
    }, index=df.index)
    out = schemas.validate(out, RESULTS_SCHEMA, file)
    out.attrs["file"] = file
    return out


def _check_unique(df: pd.DataFrame, date: pd.Series, site_id: pd.Series, substance: pd.Series,
                  plant: pd.Series, file: str, headers: Mapping[str, str]) -> None:
    keys = date.dt.strftime("%Y-%m-%d") + "|" + site_id + "|" + substance
    pair = it.first_repeat(keys)
    if pair is None:
        return
    a, b = pair
    names = (df.loc[a, "substans"], df.loc[b, "substans"])
    spelled = f" (written {plain(names[0])} and {plain(names[1])})" if normalise(names[0]) != normalise(names[1]) else ""
    raise InputError(
        file,
        f"rows {a} and {b} are both results for {SUBSTANCES[substance[b]].name} on {date[b]:%Y-%m-%d} at "
        f"{plant[b]}{spelled}",
        "keep one result per day, plant and substance: delete one of the rows or correct its date; if the lab "
        "reports both the drug and its biomarker, keep the biomarker (benzoylecgonine for cocaine, THC-COOH "
        "for cannabis)", row=b, column=headers["substans"])


def _check_same_day(date: pd.Series, site_id: pd.Series, values: pd.Series, what: str, file: str,
                    column: str) -> None:
    """All rows of one day and plant must give the same value (one flow, one population per day)."""
    key = date.dt.strftime("%Y-%m-%d") + "|" + site_id
    first = values.groupby(key).transform("first")
    differs = values != first
    if differs.any():
        b = values.index[differs.to_numpy()][0]
        a = values.index[((key == key[b]) & (values == first[b])).to_numpy()][0]
        raise InputError(file, f"rows {int(a)} and {int(b)} give different {what}s ({values[a]:g} and {values[b]:g}) "
                         f"for the same day and plant", f"a day at a plant has one {what}: write the same value on "
                         "every row of that day", row=int(b), column=column)


# ============================================================================================
# DAILY and SUMMARY tables
# ============================================================================================


def _empty(columns: Iterable[str], schema: pa.DataFrameSchema) -> pd.DataFrame:
    dtypes = {"year": "int64", "weekday": "int64", "n_days": "int64", "n_below_loq": "int64",
              "below_loq": bool, "mostly_below_loq": bool, "date": "datetime64[ns]"}
    floats = {"load", "weekday_mean", "weekend_mean", "daily_mean"}
    return schema.validate(pd.DataFrame({
        c: pd.Series([], dtype=dtypes.get(c, "float64" if c in floats else str)) for c in columns}))


def to_daily(results: pd.DataFrame) -> pd.DataFrame:
    """Results as the shared DAILY table: one row per site × campaign × substance × day.

    Every substance measured in a campaign gets a row for every day of the campaign; a day
    without a result for it has ``load`` NaN (not measured). ``load`` of a day below LOQ is the
    LOQ/2 load (:func:`apply_loq_rule`) with ``below_loq`` True.

    Parameters
    ----------
    results : pandas.DataFrame
        As :func:`load_lab_results` returns (possibly filtered to one kommun).

    Returns
    -------
    pandas.DataFrame
        :data:`DAILY_COLUMNS`: ``site_id``, ``site``, ``country`` ("SE"), ``kommun_kod``, ``year`` and
        ``campaign`` (:func:`label_campaigns`), ``substance``, ``date``, ``weekday`` (0 = Monday),
        ``load`` (mg/day/1 000 inh), ``source`` ("egen mätning"), ``below_loq``. Sorted by site,
        date, substance (in :data:`~lagesbild.sources.substances.SUBSTANCES` order); index 0, 1, …

    Examples
    --------
    >>> results = pd.DataFrame({"date": pd.to_datetime(["2025-03-12", "2025-03-13", "2025-03-12"]),
    ...     "site_id": "1287-verket", "site": "Verket", "kommun_kod": "1287",
    ...     "substance": ["cocaine", "cocaine", "MDMA"], "below_loq": False, "load": [80.0, 90.0, 5.0]})
    >>> daily = to_daily(results)
    >>> daily[["campaign", "substance", "weekday", "load"]].values.tolist()
    [['2025 v.11', 'cocaine', 2, 80.0], ['2025 v.11', 'MDMA', 2, 5.0], ['2025 v.11', 'cocaine', 3, 90.0],
     ['2025 v.11', 'MDMA', 3, nan]]
    """
    if results.empty:
        return _empty(DAILY_COLUMNS, DAILY_SCHEMA)
    frames = []
    order = {k: i for i, k in enumerate(SUBSTANCES)}
    for site_id, rows in results.groupby("site_id", sort=True):
        labels = label_campaigns(rows["date"])
        rows = rows.assign(campaign=labels["campaign"], year=labels["year"], start=labels["start"])
        days = rows[["campaign", "year", "start", "date"]].drop_duplicates()
        substances = rows[["campaign", "substance"]].drop_duplicates()
        grid = days.merge(substances, on="campaign")
        grid = grid.merge(rows[["date", "substance", "load", "below_loq"]], on=["date", "substance"], how="left")
        grid["below_loq"] = grid["below_loq"].fillna(False).astype(bool)
        first = rows.iloc[0]
        grid = grid.assign(site_id=site_id, site=first["site"], kommun_kod=first["kommun_kod"])
        frames.append(grid)
    daily = pd.concat(frames, ignore_index=True)
    daily["_order"] = daily["substance"].map(order)
    daily = daily.sort_values(["site_id", "date", "_order"], kind="stable").reset_index(drop=True)
    daily = daily.assign(country=COUNTRY, source=SOURCE, weekday=daily["date"].dt.day_of_week.astype("int64"))
    daily = daily[list(DAILY_COLUMNS)].astype({"year": "int64", "load": "float64", "date": "datetime64[ns]"})
    for col in ("site_id", "site", "kommun_kod", "campaign", "substance", "country", "source"):
        daily[col] = daily[col].astype(str)
    return DAILY_SCHEMA.validate(daily)


def to_summary(daily: pd.DataFrame) -> pd.DataFrame:
    """Campaign means from a DAILY table: weekday, weekend and daily means, days and LOQ flags.

    The day definitions are EUDA's: weekday mean = mean of Tuesday, Wednesday, Thursday
    (:data:`WEEKDAY_DAYS`); weekend mean = mean of Friday, Saturday, Sunday, Monday
    (:data:`WEEKEND_DAYS`); daily mean = mean of all days. Days without a load (NaN) are left out
    of the means and of ``n_days``. Loads below LOQ enter the means as their LOQ/2 value
    (:func:`apply_loq_rule`); ``mostly_below_loq`` flags a campaign where more than half of the
    measured days are below LOQ (:func:`is_mostly_below_loq`).

    Parameters
    ----------
    daily : pandas.DataFrame
        A DAILY table (:data:`DAILY_COLUMNS`), e.g. from :func:`to_daily`.

    Returns
    -------
    pandas.DataFrame
        :data:`SUMMARY_COLUMNS`, one row per site × campaign × substance, sorted by site, year,
        campaign start and substance.

    Examples
    --------
    >>> days = pd.date_range("2025-03-10", periods=7)  # Monday … Sunday
    >>> daily = pd.DataFrame({"site_id": "1287-verket", "site": "Verket", "country": "SE", "kommun_kod": "1287",
    ...     "year": 2025, "campaign": "2025 v.11", "substance": "MDMA", "date": days, "weekday": days.day_of_week,
    ...     "load": [10.0, 4.0, 5.0, 6.0, 12.0, 20.0, 18.0], "source": "egen mätning", "below_loq": False})
    >>> to_summary(daily)[["weekday_mean", "weekend_mean", "daily_mean", "n_days", "mostly_below_loq"]].values.tolist()
    [[5.0, 15.0, 10.714285714285714, 7, False]]
    """
    if daily.empty:
        return _empty(SUMMARY_COLUMNS, SUMMARY_SCHEMA)
    keys = ["site_id", "site", "country", "kommun_kod", "year", "campaign", "substance", "source"]
    measured = daily["load"].notna()
    work = daily.assign(
        _weekday=daily["load"].where(daily["weekday"].isin(WEEKDAY_DAYS)),
        _weekend=daily["load"].where(daily["weekday"].isin(WEEKEND_DAYS)),
        _measured=measured,
        _below=daily["below_loq"].astype(bool) & measured,
    )
    out = work.groupby(keys, dropna=False, sort=False).agg(
        weekday_mean=("_weekday", "mean"), weekend_mean=("_weekend", "mean"), daily_mean=("load", "mean"),
        n_days=("_measured", "sum"), n_below_loq=("_below", "sum"), _start=("date", "min"),
    ).reset_index()
    out["mostly_below_loq"] = is_mostly_below_loq(out["n_below_loq"], out["n_days"]).astype(bool)
    order = {k: i for i, k in enumerate(SUBSTANCES)}
    out["_order"] = out["substance"].map(order)
    out = out.sort_values(["site_id", "year", "_start", "campaign", "_order"], kind="stable").reset_index(drop=True)
    out = out.astype({"n_days": "int64", "n_below_loq": "int64", "year": "int64",
                      "weekday_mean": "float64", "weekend_mean": "float64", "daily_mean": "float64"})
    kommun = out["kommun_kod"].astype(object).where(out["kommun_kod"].notna(), None)
    out = out[list(SUMMARY_COLUMNS)].copy()
    out["kommun_kod"] = pd.Series(kommun, dtype=str) if kommun.notna().all() else kommun
    return SUMMARY_SCHEMA.validate(out)


# ============================================================================================
# A lab-results folder
# ============================================================================================


@dataclass
class LabData:
    """The own wastewater lab results of one kommun, loaded from a lab-results folder.

    ``results`` as :func:`load_lab_results` (only the kommun's rows), ``daily`` and ``summary`` as
    :func:`to_daily` and :func:`to_summary`. ``files`` lists the tables read (``name``,
    ``description``, ``sha256``, ``date``) for the report's provenance. ``example`` is True for
    invented example data: every report must say so.
    """

    results: pd.DataFrame
    daily: pd.DataFrame
    summary: pd.DataFrame
    example: bool
    description: str
    source: str
    files: list[dict] = field(default_factory=list)
    kommun_kod: str = ""
    folder: Path | None = None


def find_lab_table(folder: str | Path) -> Path:
    """The results table of a lab-results folder: ``analyser.csv`` or ``analyser.xlsx``.

    Other files (``metadata.yaml``, README, scripts, Excel lock files ``~$…``) are ignored; another
    table, two results tables or none are errors (:data:`LAB_FOLDER`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("Analyser.xlsx", "metadata.yaml", "make_example.py"):
    ...     _ = (d / name).write_text("x")
    >>> find_lab_table(d).name
    'Analyser.xlsx'
    """
    found = LAB_FOLDER.find(folder)
    LAB_FOLDER.require(folder, found)
    return found[FILE_KIND]


def load_lab_folder(folder: str | Path, kommun: str) -> LabData | None:
    """Load a lab-results folder and keep the results of one kommun.

    The whole table is loaded and checked first; then the rows whose ``kommun`` is ``kommun`` are
    kept and turned into the DAILY and SUMMARY tables.

    Parameters
    ----------
    folder : str or Path
        The lab-results folder (see the module docstring).
    kommun : str
        Four-digit kommun code, e.g. "1287".

    Returns
    -------
    LabData or None
        None when the table has no result for ``kommun``.

    Raises
    ------
    InputError
        Missing folder or table, other tables in the folder, bad ``metadata.yaml``, and every error
        of :func:`load_lab_results`.

    Examples
    --------
    >>> from lagesbild.core.paths import DATA
    >>> data = load_lab_folder(DATA / "example" / "wastewater", "1287")
    >>> data.example, data.files[0]["name"], sorted(data.summary["campaign"].unique())
    (True, 'wastewater/analyser.csv', ['2023 v.11', '2024 v.11', '2025 v.11'])
    >>> load_lab_folder(DATA / "example" / "wastewater", "1283") is None
    True
    """
    found = LAB_FOLDER.open(folder, kommun)
    meta = found.metadata
    results = load_lab_results(found.tables[FILE_KIND])
    mine = results[results["kommun_kod"] == found.kommun]
    if mine.empty:
        return None
    mine.attrs = dict(results.attrs)
    daily = to_daily(mine)
    return LabData(results=mine, daily=daily, summary=to_summary(daily), example=meta["exempeldata"],
                   description=meta["beskrivning"], source=meta["kalla"], files=found.provenance(),
                   kommun_kod=found.kommun, folder=found.folder)


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
        it.generated_note("lagesbild.wastewater.labresults.write_templates", "TEMPLATE",
                          "lib/lagesbild/wastewater/labresults.py"),
        "",
        "This template is the input of a kommun's own wastewater measurements in the wastewater report. A "
        "*lab-results folder* holds one table `analyser.csv` (`;`-separated, UTF-8) or `analyser.xlsx` (read "
        "from the sheet `analyser`, else the first sheet), one row per lab result, plus an optional "
        "`metadata.yaml`. Headers match case-insensitively; optional columns may be left out, but a column "
        "that is not in the template is an error, so that a misspelt header is never silently ignored. Every "
        "problem is reported with file, spreadsheet row, column and a fix. Other tables in the folder are an "
        "error; other files (README, scripts) are ignored.",
        "",
        "The files here are written by `lagesbild.wastewater.labresults.write_templates(\"data/templates/wastewater\")`; a "
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
    "CAMPAIGN_RULE", "COUNTRY", "DAILY_COLUMNS", "DAILY_SCHEMA", "DEFAULT_UNIT", "FILE_DESCRIPTION", "FILE_KIND", "LAB_FOLDER",
    "LOAD_RULE", "LOQ_FRACTION", "LOQ_RULE", "MOSTLY_BELOW_LOQ_SHARE", "PRIVACY_RULE", "PROGRAMME_ADVICE",
    "RESULTS_SCHEMA", "SOURCE", "SUMMARY_COLUMNS", "SUMMARY_SCHEMA", "TEMPLATE", "UNITS", "WEEKDAY_DAYS",
    "WEEKEND_DAYS", "LabData", "accepted_substances", "apply_loq_rule", "csv_text", "find_lab_table",
    "instructions_rows", "is_mostly_below_loq", "label_campaigns", "load_lab_folder", "load_lab_results",
    "load_mg_per_day_per_1000", "make_site_id", "parse_concentration", "templates_markdown", "to_daily",
    "to_summary", "unit_factor", "workbook_bytes", "write_csv", "write_templates",
]
