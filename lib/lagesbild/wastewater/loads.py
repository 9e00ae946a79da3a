"""From concentrations to loads: concentration units, the load per 1 000 inhabitants and the LOQ rule.

A concentration (ng/L, after unit conversion, :func:`unit_factor`) times the day's flow (m³/day)
divided by the population served is the load in mg per day per 1 000 inhabitants, the unit EUDA
reports (:func:`load_mg_per_day_per_1000`). Values below the limit of quantification (LOQ) follow one
rule, :data:`LOQ_RULE`, applied in one place (:func:`apply_loq_rule`, :func:`is_mostly_below_loq`); a
lab's ``koncentration`` cell is read by :func:`parse_concentration`. The lab results are loaded by
:mod:`lagesbild.wastewater.labresults`.

No back-calculation to drug consumption is made: that needs published excretion and correction
factors per substance, and none is cited here.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lagesbild.core.errors import InputError
from lagesbild.core.fmt import plain
from lagesbild.sources.readers import MISSING_MARKERS, to_number

# ============================================================================================
# Constants: units and the LOQ rule
# ============================================================================================

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


#: A plain number: digits, at most one decimal comma or point (parsed without the Series machinery).
_PLAIN = re.compile(r"^-?\d+(?:[.,]\d+)?$")


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
        if _PLAIN.match(body):  # most cells: digits and at most one decimal sign, read as to_number reads them
            value = float(body.replace(",", "."))
        else:
            value = float(to_number(pd.Series([body]), file="", column="", allow_missing=False).iloc[0])
    except InputError:
        what = "'<' must be followed by LOQ or a number" if below else f"{plain(cell)} is not a number"
        raise ValueError(what) from None
    if value < 0 or (below and value <= 0):
        raise ValueError(f"{plain(cell)} is not a concentration (must be {'above' if below else 'at least'} 0)")
    return (float("nan"), True, value) if below else (value, False, float("nan"))


__all__ = [
    "DEFAULT_UNIT", "LOQ_FRACTION", "LOQ_RULE", "MOSTLY_BELOW_LOQ_SHARE", "UNITS", "apply_loq_rule",
    "is_mostly_below_loq", "load_mg_per_day_per_1000", "parse_concentration", "unit_factor",
]
