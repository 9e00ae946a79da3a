"""Swedish formatting of numbers, percentages, p-values and dates for report text.

Swedish style: decimal comma, a (non-breaking) space as thousands separator, "%" after a
non-breaking space, and "−" (U+2212) as the minus sign. All functions return plain text (never
HTML); escaping is the display layer's job.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
MINUS = "\u2212"

MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december"]
MONTHS_SHORT = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
WEEKDAYS = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
WEEKDAYS_SHORT = ["mån", "tis", "ons", "tor", "fre", "lör", "sön"]


def number(x: float | int | None, decimals: int = 0, missing: str = "uppgift saknas") -> str:
    """Format a number the Swedish way.

    Parameters
    ----------
    x : float, int or None
        The number. ``None`` and NaN give ``missing``.
    decimals : int
        Digits after the decimal comma.
    missing : str
        Text for a missing value.

    Returns
    -------
    str

    Examples
    --------
    >>> number(1234567.891, 1).replace("\\u00a0", " ")
    '1 234 567,9'
    >>> number(-3.5, 1)
    '−3,5'
    >>> number(float("nan"))
    'uppgift saknas'

    Halves are rounded away from zero, as Swedish readers (and Excel) expect, not to even as
    Python's ``format`` does; the value is taken as written (``repr``), so 2.675 gives 2,68:

    >>> number(2.25, 1), number(62.5), number(-0.125, 2), number(2.675, 2)
    ('2,3', '63', '−0,13', '2,68')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return missing
    if isinstance(x, float) and math.isinf(x):
        return ("" if x > 0 else MINUS) + "∞"
    rounded = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{abs(rounded):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    if rounded < 0:
        text = MINUS + text
    return text


def percent(x: float | None, decimals: int = 0, signed: bool = False) -> str:
    """Format a percentage given in percent units (``12.5`` → ``"12,5 %"``).

    Parameters
    ----------
    x : float or None
        Value in percent.
    decimals : int
        Digits after the decimal comma.
    signed : bool
        Prefix ``+`` on positive values (for changes).

    Examples
    --------
    >>> percent(12.5, 1).replace("\\u00a0", " ")
    '12,5 %'
    >>> percent(7, signed=True).replace("\\u00a0", " ")
    '+7 %'
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "uppgift saknas"
    sign = "+" if signed and round(x, decimals) > 0 else ""
    return f"{sign}{number(x, decimals)}{NBSP}%"


def pvalue(p: float) -> str:
    """Format a p-value for a sentence: ``p = 0,03``, ``p < 0,001``.

    Examples
    --------
    >>> pvalue(0.0312)
    'p = 0,031'
    >>> pvalue(0.00001)
    'p < 0,001'
    >>> pvalue(0.5)
    'p = 0,50'
    """
    if p is None or math.isnan(p):
        return "p saknas"
    if p < 0.001:
        return "p < 0,001"
    decimals = 3 if p < 0.1 else 2
    return f"p = {number(p, decimals)}"


def month(d: date | datetime, short: bool = False) -> str:
    """Month and year in Swedish (``"mars 2024"``).

    Examples
    --------
    >>> month(date(2024, 3, 1))
    'mars 2024'
    >>> month(date(2024, 3, 1), short=True)
    'mar 2024'
    """
    names = MONTHS_SHORT if short else MONTHS
    return f"{names[d.month - 1]} {d.year}"


def day(d: date | datetime) -> str:
    """A date in Swedish long form (``"22 augusti 2026"``).

    Examples
    --------
    >>> day(date(2026, 8, 22))
    '22 augusti 2026'
    """
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def genitive(name: str) -> str:
    """Swedish genitive of a name: ``Falun`` → ``Faluns``; names ending in s, x or z take nothing.

    Examples
    --------
    >>> genitive("Falun"), genitive("Borås"), genitive("Lax")
    ('Faluns', 'Borås', 'Lax')
    """
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"


def year_list(years: list[int]) -> str:
    """Years in Swedish prose: runs of three or more as a span, the rest joined with "och".

    Examples
    --------
    >>> year_list([2025]), year_list([2024, 2025]), year_list([2021, 2022, 2023, 2025])
    ('2025', '2024 och 2025', '2021–2023 och 2025')
    >>> year_list([])
    ''
    """
    ys = sorted(set(int(y) for y in years))
    runs: list[list[int]] = []
    for y in ys:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    parts = [f"{r[0]}–{r[-1]}" if len(r) >= 3 else ", ".join(str(y) for y in r) for r in runs]
    parts = [p for part in parts for p in part.split(", ")]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " och " + parts[-1]


def plain(value) -> str:
    """A value as an error message shows it: numbers as the numbers they are, text quoted.

    numpy and pandas scalars print as ``np.int64(2019)`` in numpy 2; a user expects ``2019``. Lists,
    tuples and arrays are shown element by element.

    Examples
    --------
    >>> import numpy as np
    >>> plain(np.int64(2019)), plain(np.float64(0.5)), plain("1283"), plain([np.int64(1), "a"]), plain(None)
    ('2019', '0.5', "'1283'", "[1, 'a']", 'None')
    """
    item = getattr(value, "item", None)
    if callable(item) and type(value).__module__ == "numpy" and getattr(value, "ndim", 1) == 0:
        value = item()
    tolist = getattr(value, "tolist", None)
    if callable(tolist) and type(value).__module__ in ("numpy", "pandas.core.series"):
        value = tolist()
    if isinstance(value, (list, tuple)):
        inner = ", ".join(plain(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner}{',' if len(value) == 1 else ''})"
    return repr(value)


def join(items) -> str:
    """Items as Swedish prose: "a", "a och b", "a, b och c" ("" for none).

    Examples
    --------
    >>> join([]), join(["Söder"]), join(["Dalhem", "Söder"]), join([1, 2, 3])
    ('', 'Söder', 'Dalhem och Söder', '1, 2 och 3')
    """
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " och " + items[-1]
