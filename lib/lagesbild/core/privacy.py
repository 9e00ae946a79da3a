"""The publication rules for place-level data, in one place.

Place-level incident data (incident logs, citizen reports, events counted per place, district or grid
cell) is only published aggregated, and a count of 1 or 2 is never published: it could point to one
person or one household. This module holds that threshold and the helpers that apply it to tables.
The grid counterpart is :func:`lagesbild.stats.spatial.publishable`.
"""

from __future__ import annotations

import numbers

import pandas as pd

#: The smallest count that may be published for place-level data. Not a parameter: it cannot be lowered.
MIN_PUBLISHED = 3

#: What a report shows instead of a count of 1 or 2.
SMALL_LABEL = f"färre än {MIN_PUBLISHED}"


def _mask_value(value):
    if isinstance(value, numbers.Number) and not isinstance(value, bool) and not pd.isna(value):
        if 0 < value < MIN_PUBLISHED:
            return SMALL_LABEL
        return int(value) if float(value).is_integer() else value
    return value


def mask_small(counts: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Replace counts of 1 and 2 by the text "färre än 3", for publication.

    Zero stays zero (no events is not identifying); larger counts stay as whole numbers. Non-numeric
    cells are left as they are. The result has object dtype, ready for :func:`lagesbild.render.report.table`.

    Parameters
    ----------
    counts : pandas.Series or pandas.DataFrame

    Returns
    -------
    Same type as ``counts``, object dtype.

    Examples
    --------
    >>> import pandas as pd
    >>> mask_small(pd.Series([0, 1, 2, 3, 40], index=list("abcde"))).tolist()
    [0, 'färre än 3', 'färre än 3', 3, 40]
    >>> mask_small(pd.DataFrame({"antal": [2, 5], "typ": ["x", "y"]})).to_dict("list")
    {'antal': ['färre än 3', 5], 'typ': ['x', 'y']}
    """
    if isinstance(counts, pd.DataFrame):
        return pd.DataFrame({c: mask_small(counts[c]) for c in counts.columns}, index=counts.index)
    return pd.Series([_mask_value(v) for v in counts.tolist()], index=counts.index, name=counts.name, dtype=object)


def hide_small(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts of 1 and 2 as missing (NaN), for a chart that shows counts by colour (e.g. a heatmap).

    A colour scale publishes a cell's count as surely as a number does; the chart shows these cells
    as "färre än 3" instead (:func:`lagesbild.render.charts.weekday_hour` with ``missing_label``).

    Examples
    --------
    >>> hide_small(pd.DataFrame({0: [0, 1], 1: [2, 7]})).to_dict("list")
    {0: [0.0, nan], 1: [nan, 7.0]}
    """
    values = counts.astype(float)
    return values.where((values == 0) | (values >= MIN_PUBLISHED) | values.isna())


def small_total(n: int) -> str:
    """A total of events that may be small, as publishable Swedish text.

    Examples
    --------
    >>> small_total(0), small_total(2), small_total(1234)
    ('0', 'färre än 3', '1\\xa0234')
    """
    from lagesbild.core import fmt

    n = int(n)
    if n < 0:
        raise ValueError(f"small_total: a count cannot be negative, got {n}")
    return SMALL_LABEL if 0 < n < MIN_PUBLISHED else fmt.number(n)


def assert_publishable(counts: pd.Series | pd.DataFrame, what: str = "counts") -> None:
    """Raise if any numeric count in ``counts`` is 1 or 2: a last check before a table is published.

    Examples
    --------
    >>> import pandas as pd
    >>> assert_publishable(pd.Series([0, 3, "färre än 3"]))
    >>> assert_publishable(pd.Series([0, 2]), "händelser per plats")
    Traceback (most recent call last):
    ...
    ValueError: händelser per plats: 1 value(s) between 1 and 2 would be published; mask them with mask_small()
    """
    frame = counts.to_frame() if isinstance(counts, pd.Series) else counts
    numeric = frame.apply(pd.to_numeric, errors="coerce")
    bad = int(((numeric > 0) & (numeric < MIN_PUBLISHED)).sum().sum())
    if bad:
        raise ValueError(f"{what}: {bad} value(s) between 1 and {MIN_PUBLISHED - 1} would be published; "
                         "mask them with mask_small()")


#: What a report shows for a count hidden only so that a masked one cannot be worked out from a total.
HIDDEN_LABEL = "visas inte"


def mask_parts(parts: pd.DataFrame, total: pd.Series) -> pd.DataFrame:
    """Mask a breakdown and its total so that no count of 1 or 2 can be worked out by subtraction.

    Each row is a breakdown (e.g. incident log and citizen reports at a place) that adds up to
    ``total``. Counts of 1 and 2 become "färre än 3"; in a row where that happened, the other
    non-zero parts become "visas inte" as well, since total minus them would give the masked
    count back. The total is masked by the same rule as any count.

    Parameters
    ----------
    parts : pandas.DataFrame
        Non-negative counts, one column per part.
    total : pandas.Series
        The row totals (aligned with ``parts``).

    Returns
    -------
    pandas.DataFrame
        The parts and a last column ``total.name`` (or "Totalt"), object dtype.

    Examples
    --------
    >>> parts = pd.DataFrame({"logg": [5, 40, 0], "medborgare": [1, 6, 2]})
    >>> mask_parts(parts, parts.sum(axis=1).rename("Totalt")).values.tolist()
    [['visas inte', 'färre än 3', 6], [40, 6, 46], [0, 'färre än 3', 'färre än 3']]
    """
    out = mask_small(parts)
    small = ((parts > 0) & (parts < MIN_PUBLISHED)).any(axis=1)
    for column in parts.columns:
        hide = small & (parts[column] >= MIN_PUBLISHED)
        out.loc[hide, column] = HIDDEN_LABEL
    out[total.name or "Totalt"] = mask_small(total)
    return out


def mask_with_other(counts: pd.Series, other: str = "övriga") -> pd.Series:
    """Counts per category, with the small ones merged into ``other`` so that none is 1 or 2.

    Categories with 1 or 2 are summed into ``other``; if that sum is itself 1 or 2, the smallest
    publishable category joins it too (a total published elsewhere minus the rest would otherwise
    give the small sum back). The result adds up to the same total.

    Examples
    --------
    >>> mask_with_other(pd.Series({"polis": 10, "kommun": 5, "skola": 1})).to_dict()
    {'polis': 10, 'övriga': 6}
    >>> mask_with_other(pd.Series({"polis": 10, "kommun": 2, "skola": 2})).to_dict()
    {'polis': 10, 'övriga': 4}
    >>> mask_with_other(pd.Series({"polis": 10, "kommun": 4})).to_dict()
    {'polis': 10, 'kommun': 4}
    """
    counts = counts.astype("int64").sort_values(ascending=False, kind="stable")
    small = counts[(counts > 0) & (counts < MIN_PUBLISHED)]
    kept = counts.drop(small.index)
    rest = int(small.sum())
    while 0 < rest < MIN_PUBLISHED and len(kept[kept > 0]):
        smallest = kept[kept > 0].index[-1]
        rest += int(kept[smallest])
        kept = kept.drop(smallest)
    if rest:
        kept = pd.concat([kept, pd.Series({other: rest}, dtype="int64")])
    return kept
