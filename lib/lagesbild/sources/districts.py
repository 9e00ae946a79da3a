"""Real counts per district (stadsdel) from polisen.se events that name the district.

polisen.se places an event only in a kommun (its position is the kommun's centroid), but the summary
often names the district: "Söder. En skadad person anträffas utomhus." or "… i Drottninghög". Counting
the events whose summary names a district gives real, public, if incomplete, counts per district. They
are a lower bound (many summaries name only a street or nothing), and a name can be ambiguous (a street
called after the district); the report says so.
"""

from __future__ import annotations

import re

import pandas as pd

from lagesbild.core import privacy


def mention_pattern(name: str) -> re.Pattern:
    """A regular expression that finds ``name`` as a whole word, with its first letter capitalised.

    Whole word: "Söder" matches "Söder. En man…" and "på Söder" but not "Södertull" or "söder om".
    The first letter must be upper case (a district is a proper noun), the rest is as given.

    Examples
    --------
    >>> p = mention_pattern("Söder")
    >>> [bool(p.search(t)) for t in ["Söder. Bråk", "bråk på Söder i natt", "Södertull", "söder om stan"]]
    [True, True, False, False]
    >>> bool(mention_pattern("Norra hamnen").search("Bilbrand i Norra hamnen."))
    True
    """
    name = " ".join(str(name).split())
    if not name:
        raise ValueError("mention_pattern: empty district name")
    first, rest = name[0].upper(), name[1:]
    body = re.escape(first) + r"\s+".join(re.escape(part) for part in rest.split(" "))
    return re.compile(r"(?<![\w-])" + body + r"(?![\w-])")


def mentions(texts: pd.Series, names: list[str]) -> pd.DataFrame:
    """Which texts name which district: one boolean column per name, aligned with ``texts``.

    Parameters
    ----------
    texts : pandas.Series of str
        Event summaries (missing values never match).
    names : list of str
        District names; duplicates (after whitespace normalisation) are an error.

    Examples
    --------
    >>> t = pd.Series(["Söder. Bråk.", "Rån i Dalhem och på Söder.", None])
    >>> mentions(t, ["Söder", "Dalhem"]).to_dict("list")
    {'Söder': [True, True, False], 'Dalhem': [False, True, False]}
    """
    clean = [" ".join(str(n).split()) for n in names]
    dupes = sorted({n for n in clean if clean.count(n) > 1})
    if dupes:
        raise ValueError(f"mentions: district names given twice: {', '.join(dupes)}")
    text = texts.astype("string").fillna("")
    return pd.DataFrame({n: text.str.contains(mention_pattern(n), regex=True).astype(bool) for n in clean},
                        index=texts.index)


def district_counts(events: pd.DataFrame, names: list[str], *, text_column: str = "summary",
                    type_column: str = "type", top_types: int = 3) -> pd.DataFrame:
    """Events per district named in their summary, with the most common event types.

    An event that names two districts counts for both. The counts are raw: publish them through
    :func:`publishable_counts`, which masks 1 and 2.

    Parameters
    ----------
    events : pandas.DataFrame
        polisen.se events of one kommun and period, with ``text_column`` and ``type_column``.
    names : list of str
        The districts to look for.
    top_types : int
        How many of the most common event types to list per district.

    Returns
    -------
    pandas.DataFrame
        One row per district in the order given: ``stadsdel``, ``handelser`` (int), ``vanligaste_typer``
        (the ``top_types`` most common types with their counts, "Typ (n)", only types with at least
        :data:`lagesbild.core.privacy.MIN_PUBLISHED` events; ties alphabetically).

    Examples
    --------
    >>> ev = pd.DataFrame({"summary": ["Söder. Bråk."] * 3 + ["Dalhem. Brand."], "type": ["Bråk"] * 3 + ["Brand"]})
    >>> district_counts(ev, ["Söder", "Dalhem", "Eneborg"]).to_dict("list")
    {'stadsdel': ['Söder', 'Dalhem', 'Eneborg'], 'handelser': [3, 1, 0], 'vanligaste_typer': ['Bråk (3)', '', '']}
    """
    if top_types < 0:
        raise ValueError("district_counts: top_types cannot be negative")
    found = mentions(events[text_column], names)
    rows = []
    for name in found.columns:
        hit = events.loc[found[name], type_column].astype(str)
        counts = hit.value_counts()
        counts = counts[counts >= privacy.MIN_PUBLISHED]
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top_types]
        rows.append({"stadsdel": name, "handelser": int(len(hit)),
                     "vanligaste_typer": ", ".join(f"{t} ({n})" for t, n in ordered)})
    return pd.DataFrame(rows, columns=["stadsdel", "handelser", "vanligaste_typer"])


def publishable_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """:func:`district_counts` ready to publish: counts of 1 and 2 become "färre än 3".

    Examples
    --------
    >>> c = pd.DataFrame({"stadsdel": ["Söder", "Dalhem"], "handelser": [14, 2], "vanligaste_typer": ["Bråk (3)", ""]})
    >>> publishable_counts(c)["handelser"].tolist()
    [14, 'färre än 3']
    """
    out = counts.copy()
    out["handelser"] = privacy.mask_small(out["handelser"])
    privacy.assert_publishable(out["handelser"], "händelser per stadsdel")
    return out
