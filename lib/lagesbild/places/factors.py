"""The eight factors of a place assessment, their scale, profiles, change and the measures they point to.

Helsingborg's *handlingsplan för trygghet i stadsmiljön* assesses a place by eight factors, scored at
a site inspection (*okulär besiktning*) or a safety walk (*trygghetsvandring*). This module holds the
factors, the documented scale, and the functions that turn inspections into profiles, weakest
factors, change since the previous inspection, suggested kinds of measures and a priority list.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lagesbild.core import fmt, privacy
from lagesbild.core.fmt import plain


@dataclass(frozen=True)
class Factor:
    """One of the eight factors: a stable ``key`` (column name in data) and its Swedish ``name``."""

    key: str
    name: str
    question: str


#: The eight factors, in the handlingsplan's order. ``key`` is the column name used in loaded data;
#: templates accept the key or the Swedish name as the column header.
FACTORS: tuple[Factor, ...] = (
    Factor("omhandertagna_miljoer", "Omhändertagna miljöer",
           "Är platsen städad, hel och underhållen, utan klotter, skräp och trasig utrustning?"),
    Factor("befolkade_platser", "Befolkade platser och stråk",
           "Rör sig människor här under dygnets olika timmar, finns det anledning att vara här?"),
    Factor("overblickbarhet", "Överblickbarhet",
           "Kan man se och bli sedd, finns det skymda hörn, täta buskage eller återvändsgränder?"),
    Factor("belysning", "Belysning",
           "Är platsen och stråken jämnt och tillräckligt belysta, så att ansikten går att känna igen?"),
    Factor("sakerhetsatgarder", "Säkerhetsåtgärder",
           "Finns lås, skalskydd, bevakning, trygghetsvärdar eller kamerabevakning där det behövs?"),
    Factor("samhorighet", "Samhörighet",
           "Känner de som bor och verkar här ansvar för platsen och varandra?"),
    Factor("identitet_rykte", "Identitet och rykte",
           "Har platsen en tydlig och positiv identitet, eller ett rykte som håller människor borta?"),
    Factor("information", "Information",
           "Finns skyltning, kontaktuppgifter och information om vad som görs på platsen?"),
)

#: Column keys of the eight factors, in order.
FACTOR_KEYS: tuple[str, ...] = tuple(f.key for f in FACTORS)

#: Swedish name per key.
FACTOR_NAMES: dict[str, str] = {f.key: f.name for f in FACTORS}

#: The documented scale: a whole number 1–5 per factor, an empty cell = not assessed.
SCALE_MIN = 1
SCALE_MAX = 5
SCALE: dict[int, str] = {
    1: "Stora brister",
    2: "Brister",
    3: "Godtagbart",
    4: "Bra",
    5: "Mycket bra",
}

#: A factor scored at or below this is a weak factor that calls for measures.
WEAK_AT_OR_BELOW = 2

#: Fewest factors (of eight) that must be assessed for an overall score: at least half of them.
MIN_ASSESSED = 4

#: A change between two rounds smaller than this (in points, absolute) counts as "oförändrad";
#: a change of exactly this much counts as a change.
CHANGE_TOLERANCE = 0.5

#: Direction of a change (column ``riktning``): a higher score is better.
BETTER = "bättre"
WORSE = "sämre"
UNCHANGED = "oförändrad"
#: The score is missing in one of the two rounds.
NOT_COMPARABLE = "ej jämförbar"

#: Label of a factor that was not assessed (empty cell).
NOT_ASSESSED = "Ej bedömd"

#: Swedish name of the overall score in long tables.
OVERALL_NAME = "Samlad poäng"

#: Reason given in the priority list for a place without an overall score.
TOO_FEW_ASSESSED = "för få faktorer bedömda"

# Allowance for floating-point error when a mean of several assessors is compared with a boundary.
_EPS = 1e-9

_ROUND_COLUMNS = ["plats_id", "datum", "typ", "n_bedomare", *FACTOR_KEYS]


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

def _require_columns(df: pd.DataFrame, columns: Iterable[str], caller: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{caller}: the frame lacks column(s) {missing}; it has {list(df.columns)}")


def _as_rounds(frame: pd.DataFrame, caller: str) -> pd.DataFrame:
    """The rounds of ``frame``: itself if it already is the output of :func:`inspection_rounds`
    (it has ``n_bedomare`` and no ``roll``), else ``inspection_rounds(frame)``."""
    if "n_bedomare" in frame.columns and "roll" not in frame.columns:
        _require_columns(frame, _ROUND_COLUMNS, caller)
        out = frame[_ROUND_COLUMNS].copy()
        out[list(FACTOR_KEYS)] = out[list(FACTOR_KEYS)].astype("float64")
        return out.sort_values(["plats_id", "datum"], kind="stable").reset_index(drop=True)
    return inspection_rounds(frame)


def _half_up(x: float) -> int:
    return int(math.floor(x + 0.5))


def _check_n(n: int | None, caller: str) -> None:
    if n is not None and (isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0):
        raise ValueError(f"{caller}: n must be a non-negative whole number or None, got {plain(n)}")


# --------------------------------------------------------------------------------------------
# rounds, scores and profiles
# --------------------------------------------------------------------------------------------

def inspection_rounds(inspections: pd.DataFrame) -> pd.DataFrame:
    """Combine the assessors of each inspection into one round per place and day.

    Several assessors (one row each) at the same place on the same day form one round. Each
    factor's score of the round is the mean over the round's rows that assessed it (empty cells
    are ignored; a factor nobody assessed stays NaN). The free-text ``anteckning`` and the
    assessor ``roll`` are dropped: notes are never published.

    Parameters
    ----------
    inspections : pandas.DataFrame
        Inspections per the data contract: ``plats_id``, ``datum``, ``typ`` and the eight factor
        columns (:data:`FACTOR_KEYS`, 1–5 or NaN); other columns are ignored.

    Returns
    -------
    pandas.DataFrame
        One row per (``plats_id``, ``datum``), sorted by both, with columns ``plats_id``,
        ``datum`` (the day), ``typ`` (the round's kinds, unique, sorted, joined by ", "),
        ``n_bedomare`` (number of rows, i.e. assessors) and the eight factor scores.

    Raises
    ------
    ValueError
        A column is missing, or a row has no ``plats_id`` or ``datum`` (these would otherwise be
        dropped silently; validate the file first).

    Examples
    --------
    >>> import pandas as pd
    >>> base = {"plats_id": "P1", "datum": pd.Timestamp("2024-05-02"), "roll": "polis",
    ...         "anteckning": "", **dict.fromkeys(FACTOR_KEYS, 3.0)}
    >>> insp = pd.DataFrame([{**base, "typ": "besiktning", "belysning": 1.0},
    ...                      {**base, "typ": "trygghetsvandring", "belysning": 2.0, "information": None}])
    >>> r = inspection_rounds(insp)
    >>> r[["plats_id", "typ", "n_bedomare", "belysning", "information"]]
      plats_id                           typ  n_bedomare  belysning  information
    0       P1  besiktning, trygghetsvandring           2        1.5          3.0
    """
    _require_columns(inspections, ["plats_id", "datum", "typ", *FACTOR_KEYS], "inspection_rounds")
    df = inspections[["plats_id", "datum", "typ", *FACTOR_KEYS]].copy()
    no_place = df["plats_id"].isna() | (df["plats_id"].astype(str).str.strip() == "")
    if no_place.any():
        raise ValueError(f"inspection_rounds: {int(no_place.sum())} row(s) have no plats_id "
                         f"(first: index {plain(df.index[no_place][0])}); validate the inspections first")
    df["datum"] = pd.to_datetime(df["datum"]).dt.normalize()
    if df["datum"].isna().any():
        raise ValueError(f"inspection_rounds: {int(df['datum'].isna().sum())} row(s) have no datum "
                         f"(first: index {plain(df.index[df['datum'].isna()][0])}); validate the inspections first")
    df["plats_id"] = df["plats_id"].astype(str)
    df[list(FACTOR_KEYS)] = df[list(FACTOR_KEYS)].astype("float64")
    groups = df.groupby(["plats_id", "datum"], sort=True)
    scores = groups[list(FACTOR_KEYS)].mean()
    n = groups.size().rename("n_bedomare").astype("int64")
    kinds = groups["typ"].agg(lambda s: ", ".join(sorted(set(s.dropna().astype(str))))).rename("typ")
    out = pd.concat([kinds, n, scores], axis=1).reset_index()
    return out[_ROUND_COLUMNS].reset_index(drop=True)


def overall_score(scores: pd.DataFrame) -> pd.Series:
    """The overall score per row: the mean of the assessed factors.

    The rule: a factor that was not assessed (NaN) is left out of the mean, and a row with fewer
    than :data:`MIN_ASSESSED` (4, half of the eight) assessed factors gets no overall score (NaN),
    since a mean of one to three factors says too little about the place as a whole. Every
    factor weighs the same.

    Parameters
    ----------
    scores : pandas.DataFrame
        Has the eight factor columns (:data:`FACTOR_KEYS`); other columns are ignored.

    Returns
    -------
    pandas.Series
        Named ``samlad``, same index as ``scores``.

    Examples
    --------
    >>> import pandas as pd
    >>> a = dict.fromkeys(FACTOR_KEYS, float("nan")) | dict(zip(FACTOR_KEYS[:4], [1.0, 2.0, 3.0, 5.0]))
    >>> b = dict.fromkeys(FACTOR_KEYS, float("nan")) | dict(zip(FACTOR_KEYS[:3], [4.0, 4.0, 4.0]))
    >>> overall_score(pd.DataFrame([a, b])).tolist()
    [2.75, nan]
    """
    _require_columns(scores, FACTOR_KEYS, "overall_score")
    values = scores[list(FACTOR_KEYS)].astype("float64")
    assessed = values.notna().sum(axis=1)
    return values.mean(axis=1, skipna=True).where(assessed >= MIN_ASSESSED).rename("samlad")


def n_assessed(scores: pd.DataFrame) -> pd.Series:
    """How many of the eight factors are assessed (not NaN) per row.

    Parameters
    ----------
    scores : pandas.DataFrame
        Has the eight factor columns (:data:`FACTOR_KEYS`).

    Returns
    -------
    pandas.Series
        Integers 0–8, named ``n_bedomda``.

    Examples
    --------
    >>> import pandas as pd
    >>> row = dict.fromkeys(FACTOR_KEYS, 3.0) | {"belysning": float("nan")}
    >>> n_assessed(pd.DataFrame([row])).tolist()
    [7]
    """
    _require_columns(scores, FACTOR_KEYS, "n_assessed")
    return scores[list(FACTOR_KEYS)].astype("float64").notna().sum(axis=1).astype("int64").rename("n_bedomda")


def latest_profiles(inspections: pd.DataFrame) -> pd.DataFrame:
    """Each place's latest round: its factor profile, overall score and the previous round's date.

    Parameters
    ----------
    inspections : pandas.DataFrame
        Inspections per the data contract, or the output of :func:`inspection_rounds`
        (recognised by its ``n_bedomare`` column and the absence of ``roll``).

    Returns
    -------
    pandas.DataFrame
        One row per place, sorted by ``plats_id``, with columns ``plats_id``, ``datum``, ``typ``,
        ``n_bedomare``, the eight factor scores, ``samlad`` (:func:`overall_score`),
        ``n_bedomda`` (factors assessed) and ``foregaende_datum`` (the previous round's day, or
        NaT if this is the only round).

    Examples
    --------
    >>> import pandas as pd
    >>> base = {"plats_id": "P1", "typ": "besiktning", "roll": "polis", "anteckning": "",
    ...         **dict.fromkeys(FACTOR_KEYS, 3.0)}
    >>> insp = pd.DataFrame([{**base, "datum": pd.Timestamp("2023-05-02")},
    ...                      {**base, "datum": pd.Timestamp("2024-05-02"), "belysning": 1.0}])
    >>> p = latest_profiles(insp)
    >>> p[["plats_id", "datum", "belysning", "samlad", "n_bedomda", "foregaende_datum"]]
      plats_id      datum  belysning  samlad  n_bedomda foregaende_datum
    0       P1 2024-05-02        1.0    2.75          8       2023-05-02
    """
    rounds = _as_rounds(inspections, "latest_profiles")
    rounds["foregaende_datum"] = rounds.groupby("plats_id")["datum"].shift(1)
    latest = rounds.groupby("plats_id", sort=True).tail(1).copy()
    latest["samlad"] = overall_score(latest)
    latest["n_bedomda"] = n_assessed(latest)
    columns = [*_ROUND_COLUMNS, "samlad", "n_bedomda", "foregaende_datum"]
    return latest[columns].sort_values("plats_id", kind="stable").reset_index(drop=True)


def scale_label(score: float) -> str:
    """The scale's label (:data:`SCALE`) of a score rounded half up; "Ej bedömd" when missing.

    A mean of several assessors can fall between two steps: 2.5 is rounded up to 3
    ("Godtagbart"), consistently with a weak factor being one scored at most
    :data:`WEAK_AT_OR_BELOW`.

    Parameters
    ----------
    score : float
        A score 1–5, or NaN/None.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        The score is outside the scale.

    Examples
    --------
    >>> scale_label(2.5), scale_label(2.49), scale_label(float("nan"))
    ('Godtagbart', 'Brister', 'Ej bedömd')
    """
    if score is None or pd.isna(score):
        return NOT_ASSESSED
    if not SCALE_MIN <= float(score) <= SCALE_MAX:
        raise ValueError(f"scale_label: score {plain(score)} is outside the scale {SCALE_MIN}–{SCALE_MAX}")
    return SCALE[_half_up(float(score))]


def profile_table(inspections: pd.DataFrame, plats_id: str) -> pd.DataFrame:
    """The factor profile of one place as a report shows it: one row per factor.

    Parameters
    ----------
    inspections : pandas.DataFrame
        Inspections per the data contract, or the output of :func:`inspection_rounds`.
    plats_id : str
        The place.

    Returns
    -------
    pandas.DataFrame
        Indexed by factor key (index name ``nyckel``, in :data:`FACTORS` order), with columns
        ``faktor`` (Swedish name), ``poang`` (latest round's score), ``betyg``
        (:func:`scale_label`), ``foregaende`` (the previous round's score, NaN if there is none
        or it was not assessed), ``forandring`` (``poang − foregaende``) and ``svag`` (bool: score
        at or below :data:`WEAK_AT_OR_BELOW`; False when not assessed).

    Raises
    ------
    ValueError
        The place has no inspection.

    Examples
    --------
    >>> import pandas as pd
    >>> base = {"plats_id": "P1", "typ": "besiktning", "roll": "polis", "anteckning": "",
    ...         **dict.fromkeys(FACTOR_KEYS, 3.0)}
    >>> insp = pd.DataFrame([{**base, "datum": pd.Timestamp("2023-05-02")},
    ...                      {**base, "datum": pd.Timestamp("2024-05-02"), "belysning": 2.0,
    ...                       "information": None}])
    >>> profile_table(insp, "P1").loc[["belysning", "information"]]
                     faktor  poang     betyg  foregaende  forandring   svag
    nyckel
    belysning     Belysning    2.0   Brister         3.0        -1.0   True
    information Information    NaN Ej bedömd         3.0         NaN  False
    """
    rounds = _as_rounds(inspections, "profile_table")
    place = rounds[rounds["plats_id"] == str(plats_id)]
    if place.empty:
        raise ValueError(f"profile_table: no inspection of place {plain(plats_id)}; places inspected: "
                         f"{sorted(rounds['plats_id'].unique())}")
    latest = place.iloc[-1][list(FACTOR_KEYS)].astype("float64")
    if len(place) >= 2:
        previous = place.iloc[-2][list(FACTOR_KEYS)].astype("float64")
    else:
        previous = pd.Series(np.nan, index=list(FACTOR_KEYS))
    out = pd.DataFrame({
        "faktor": [FACTOR_NAMES[k] for k in FACTOR_KEYS],
        "poang": latest.to_numpy(),
        "betyg": [scale_label(v) for v in latest],
        "foregaende": previous.to_numpy(),
        "forandring": (latest - previous).to_numpy(),
        "svag": (latest <= WEAK_AT_OR_BELOW + _EPS).to_numpy(dtype=bool),
    }, index=pd.Index(list(FACTOR_KEYS), name="nyckel"))
    return out


def weakest_factors(scores: Mapping[str, float] | pd.Series, n: int | None = 3, *,
                    only_weak: bool = True) -> list[str]:
    """The factors with the lowest scores, lowest first.

    Parameters
    ----------
    scores : pandas.Series or mapping
        One place's scores by factor key (e.g. a row of :func:`latest_profiles`); must hold all
        eight keys (NaN = not assessed; never counted as weak).
    n : int or None
        At most this many factors; ``None`` for all.
    only_weak : bool
        ``True`` (default): only factors scored at or below :data:`WEAK_AT_OR_BELOW`, so the list
        is empty when no factor is weak. ``False``: the lowest assessed factors whatever their
        score (to name "the relatively weakest" at a place without weak factors).

    Returns
    -------
    list of str
        Factor keys; ties keep the :data:`FACTORS` order.

    Examples
    --------
    >>> s = dict.fromkeys(FACTOR_KEYS, 4.0) | {"belysning": 2.0, "overblickbarhet": 2.0, "information": 1.0}
    >>> weakest_factors(s)
    ['information', 'overblickbarhet', 'belysning']
    >>> weakest_factors(dict.fromkeys(FACTOR_KEYS, 4.0) | {"samhorighet": 3.0})
    []
    >>> weakest_factors(dict.fromkeys(FACTOR_KEYS, 4.0) | {"samhorighet": 3.0}, n=1, only_weak=False)
    ['samhorighet']
    """
    _check_n(n, "weakest_factors")
    missing = [k for k in FACTOR_KEYS if k not in scores]
    if missing:
        raise ValueError(f"weakest_factors: scores lack factor(s) {missing}")
    assessed = [(k, float(scores[k])) for k in FACTOR_KEYS if not pd.isna(scores[k])]
    if only_weak:
        assessed = [(k, v) for k, v in assessed if v <= WEAK_AT_OR_BELOW + _EPS]
    ranked = sorted(assessed, key=lambda kv: kv[1])  # stable: ties keep FACTORS order
    keys = [k for k, _ in ranked]
    return keys if n is None else keys[:n]


def direction(change: float, tolerance: float = CHANGE_TOLERANCE) -> str:
    """The direction of a change in score: "bättre", "sämre", "oförändrad" or "ej jämförbar".

    A change whose absolute size is less than ``tolerance`` is "oförändrad"; exactly
    ``tolerance`` already counts (with a 1e-9 allowance for floating-point error in means). A
    higher score is better. NaN (a score missing in one round) is "ej jämförbar".

    Parameters
    ----------
    change : float
        Latest minus previous score.
    tolerance : float
        Smallest change that counts, in points; default :data:`CHANGE_TOLERANCE` (0.5).

    Returns
    -------
    str

    Examples
    --------
    >>> direction(0.5), direction(-0.5), direction(0.49), direction(float("nan"))
    ('bättre', 'sämre', 'oförändrad', 'ej jämförbar')
    """
    if change is None or pd.isna(change):
        return NOT_COMPARABLE
    if change >= tolerance - _EPS:
        return BETTER
    if change <= -tolerance + _EPS:
        return WORSE
    return UNCHANGED


_CHANGE_COLUMNS = ["plats_id", "datum", "foregaende_datum", "typ", "foregaende_typ", "samma_typ", "nyckel",
                   "faktor", "senaste", "foregaende", "forandring", "riktning"]


def change_since_previous(inspections: pd.DataFrame, tolerance: float = CHANGE_TOLERANCE) -> pd.DataFrame:
    """Change per factor and overall between each place's two latest rounds.

    Only places with at least two rounds appear. Two rounds are not fully comparable: different
    assessors, or a safety walk (*trygghetsvandring*, residents' experience) against an
    inspection (*besiktning*, professionals' assessment), can shift scores without the place
    having changed; ``samma_typ`` says whether both rounds had the same kind(s). The overall
    score of each round follows :func:`overall_score`, so it may rest on different factors in
    the two rounds.

    Parameters
    ----------
    inspections : pandas.DataFrame
        Inspections per the data contract, or the output of :func:`inspection_rounds`.
    tolerance : float
        A change of less than this many points is "oförändrad" (see :func:`direction`).

    Returns
    -------
    pandas.DataFrame
        Long: per place nine rows, the eight factors in :data:`FACTORS` order and then the
        overall score (``nyckel`` "samlad", ``faktor`` "Samlad poäng"). Columns ``plats_id``,
        ``datum``, ``foregaende_datum``, ``typ``, ``foregaende_typ``, ``samma_typ``, ``nyckel``,
        ``faktor``, ``senaste``, ``foregaende``, ``forandring`` (senaste − foregaende) and
        ``riktning``.

    Examples
    --------
    >>> import pandas as pd
    >>> base = {"plats_id": "P1", "roll": "polis", "anteckning": "", **dict.fromkeys(FACTOR_KEYS, 3.0)}
    >>> insp = pd.DataFrame([{**base, "datum": pd.Timestamp("2023-05-02"), "typ": "besiktning"},
    ...                      {**base, "datum": pd.Timestamp("2024-05-02"), "typ": "trygghetsvandring",
    ...                       "belysning": 1.0, "information": 3.5}])
    >>> c = change_since_previous(insp)
    >>> c.loc[c["nyckel"].isin(["belysning", "information", "samlad"]),
    ...       ["faktor", "senaste", "foregaende", "forandring", "riktning", "samma_typ"]]
             faktor  senaste  foregaende  forandring    riktning  samma_typ
    3     Belysning   1.0000         3.0     -2.0000       sämre      False
    7   Information   3.5000         3.0      0.5000      bättre      False
    8  Samlad poäng   2.8125         3.0     -0.1875  oförändrad      False
    """
    rounds = _as_rounds(inspections, "change_since_previous")
    rounds["samlad"] = overall_score(rounds)
    size = rounds.groupby("plats_id")["datum"].transform("size")
    rounds = rounds[size >= 2]
    latest = rounds.groupby("plats_id", sort=True).nth(-1).set_index("plats_id")
    previous = rounds.groupby("plats_id", sort=True).nth(-2).set_index("plats_id").reindex(latest.index)
    if latest.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in _CHANGE_COLUMNS})
    keys = [*FACTOR_KEYS, "samlad"]
    names = {**FACTOR_NAMES, "samlad": OVERALL_NAME}
    parts = []
    for order, key in enumerate(keys):
        change = latest[key] - previous[key]
        parts.append(pd.DataFrame({
            "plats_id": latest.index.astype(str),
            "datum": latest["datum"].to_numpy(),
            "foregaende_datum": previous["datum"].to_numpy(),
            "typ": latest["typ"].to_numpy(),
            "foregaende_typ": previous["typ"].to_numpy(),
            "samma_typ": (latest["typ"] == previous["typ"]).to_numpy(dtype=bool),
            "nyckel": key,
            "faktor": names[key],
            "senaste": latest[key].to_numpy(dtype="float64"),
            "foregaende": previous[key].to_numpy(dtype="float64"),
            "forandring": change.to_numpy(dtype="float64"),
            "riktning": [direction(v, tolerance) for v in change],
            "_order": order,
        }))
    out = pd.concat(parts, ignore_index=True).sort_values(["plats_id", "_order"], kind="stable")
    return out[_CHANGE_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# measures
# --------------------------------------------------------------------------------------------

#: Kind of a measure: a change to the physical environment, or a social/organisational measure.
PHYSICAL = "fysisk"
SOCIAL = "social"
MEASURE_KINDS: tuple[str, ...] = (PHYSICAL, SOCIAL)


@dataclass(frozen=True)
class Measure:
    """A kind of measure that can strengthen one or more factors.

    Parameters
    ----------
    key : str
        Stable identifier.
    name : str
        Swedish name, as shown in a report.
    kind : str
        :data:`PHYSICAL` ("fysisk") or :data:`SOCIAL` ("social").
    description : str
        Swedish description: what is done, and what to keep in mind.
    factors : tuple of str
        Factor keys the measure addresses (first = main factor).
    actors : tuple of str
        Who typically carries it out (Swedish).

    Examples
    --------
    >>> m = Measure("x", "Förbättrad belysning", PHYSICAL, "Jämn belysning.", ("belysning",), ("kommunen",))
    >>> m.kind
    'fysisk'
    >>> Measure("y", "Fel", "annat", "", ("belysning",), ())
    Traceback (most recent call last):
    ...
    ValueError: Measure 'y': kind must be one of ('fysisk', 'social'), got 'annat'
    """

    key: str
    name: str
    kind: str
    description: str
    factors: tuple[str, ...]
    actors: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.kind not in MEASURE_KINDS:
            raise ValueError(f"Measure {plain(self.key)}: kind must be one of {MEASURE_KINDS}, got {plain(self.kind)}")
        unknown = [f for f in self.factors if f not in FACTOR_NAMES]
        if unknown or not self.factors:
            raise ValueError(f"Measure {plain(self.key)}: factors must be non-empty keys of FACTOR_KEYS, "
                             f"unknown: {unknown}")


#: Kinds of measures per factor, physical and social. Suggestions for the analyst to weigh
#: against the place; not a prescription.
MEASURES: tuple[Measure, ...] = (
    # ---- physical ---------------------------------------------------------------------------
    Measure(
        "belysning", "Förbättrad belysning", PHYSICAL,
        "Jämn belysning av gångstråk, entréer, hållplatser och mötesplatser med ljus som återger färger "
        "väl, så att ansikten går att känna igen på några meters avstånd. Belys även buskage och "
        "väggar, undvik bländning och djupa skuggor, och laga trasiga armaturer snabbt.",
        ("belysning", "overblickbarhet"),
        ("kommunen", "fastighetsägare", "bostadsbolag"),
    ),
    Measure(
        "siktlinjer", "Beskärning och röjning för siktlinjer", PHYSICAL,
        "Beskär och gallra buskar och träd längs stråk och vid entréer så att man ser och syns, och "
        "så att vegetationen inte skymmer belysningen. Planera återkommande skötsel, inte en engångsinsats.",
        ("overblickbarhet", "belysning", "omhandertagna_miljoer"),
        ("kommunen", "fastighetsägare", "bostadsbolag"),
    ),
    Measure(
        "skymda_platser", "Öppna upp skymda hörn och återvändsgränder", PHYSICAL,
        "Ta bort eller flytta plank, förråd och annat som skapar skymda hörn, ersätt täta "
        "väggpartier med glas eller nät, och skapa alternativa vägar och utgångar där ett stråk "
        "saknar flyktväg, t.ex. i gångtunnlar och på parkeringar.",
        ("overblickbarhet", "sakerhetsatgarder"),
        ("kommunen", "fastighetsägare"),
    ),
    Measure(
        "underhall", "Reparation, städning och underhåll", PHYSICAL,
        "Laga trasig utrustning, töm papperskorgar, städa bort skräp och skrotade fordon och håll "
        "efter grönytor, med tydligt ansvar och en skötselplan. En väl omhändertagen plats "
        "signalerar att någon bryr sig.",
        ("omhandertagna_miljoer", "identitet_rykte"),
        ("kommunen", "fastighetsägare", "bostadsbolag"),
    ),
    Measure(
        "klotter", "Snabb klotter- och skadegörelsesanering", PHYSICAL,
        "Sanera klotter och åtgärda skadegörelse inom ett fast antal timmar (ofta 24), så att det "
        "inte blir kvar och drar till sig mer. Ett gemensamt åtagande mellan kommun och "
        "fastighetsägare gör att snabbheten gäller hela platsen.",
        ("omhandertagna_miljoer", "identitet_rykte"),
        ("kommunen", "fastighetsägare", "bostadsbolag"),
    ),
    Measure(
        "skalskydd", "Skalskydd och lås", PHYSICAL,
        "Säkra entréer, källare, soprum, förråd och cykelrum med lås, passersystem och "
        "porttelefon, och håll dem hela. Försvårar inbrott och obehörig vistelse i trapphus och "
        "utrymmen.",
        ("sakerhetsatgarder",),
        ("fastighetsägare", "bostadsbolag"),
    ),
    Measure(
        "kamerabevakning", "Kamerabevakning", PHYSICAL,
        "Kameror kan stödja andra åtgärder där brott är koncentrerade. Kamerabevakning regleras av "
        "kamerabevakningslagen (2018:1200) och dataskyddsförordningen: bevakningen ska vara nödvändig "
        "och proportionerlig, tydligt skyltas, och för platser dit allmänheten har tillträde kan "
        "tillstånd från Integritetsskyddsmyndigheten (IMY) krävas. Kontrollera vad som gäller hos "
        "IMY innan beslut, och planera vem som tittar på bilderna och hur länge de sparas.",
        ("sakerhetsatgarder",),
        ("kommunen", "fastighetsägare", "polisen"),
    ),
    Measure(
        "skyltning", "Skyltning och information på platsen", PHYSICAL,
        "Vägvisning, platsens namn, vem som ansvarar för platsen och hur man gör en felanmälan, "
        "samt information om pågående och planerade åtgärder. Hel och aktuell skyltning.",
        ("information", "identitet_rykte"),
        ("kommunen", "fastighetsägare"),
    ),
    Measure(
        "trafiksakerhet", "Trafiksäkerhetsåtgärder", PHYSICAL,
        "Farthinder, säkra passager och hinder mot motorfordon på gång- och cykelstråk och torg, "
        "så att gående och cyklister kan röra sig säkert och störande körning försvåras.",
        ("sakerhetsatgarder", "befolkade_platser"),
        ("kommunen", "Trafikverket", "fastighetsägare"),
    ),
    Measure(
        "funktioner", "Funktioner som ger anledning att vara på platsen", PHYSICAL,
        "Sittplatser, lekplats, utegym, odling, kiosk eller café och väderskydd som lockar olika "
        "grupper vid olika tider på dygnet; fler människor på platsen ger fler ögon som ser.",
        ("befolkade_platser", "identitet_rykte", "samhorighet"),
        ("kommunen", "fastighetsägare", "näringsidkare"),
    ),
    # ---- social -----------------------------------------------------------------------------
    Measure(
        "aktivering", "Aktivering av platsen", SOCIAL,
        "Evenemang, marknader, idrott, kultur och föreningsaktiviteter på platsen, gärna "
        "återkommande och på tider då den annars är öde.",
        ("befolkade_platser", "identitet_rykte", "samhorighet"),
        ("kommunen", "föreningsliv", "näringsidkare"),
    ),
    Measure(
        "platsskapande", "Platsskapande (placemaking) med boende", SOCIAL,
        "Boende, verksamma och unga formar platsen tillsammans: dialog om vad platsen behöver, "
        "gemensamma byggdagar, konst och tillfälliga åtgärder som kan prövas innan de blir "
        "permanenta.",
        ("samhorighet", "identitet_rykte", "omhandertagna_miljoer"),
        ("kommunen", "bostadsbolag", "föreningsliv", "boende"),
    ),
    Measure(
        "stadfadderskap", "Städdagar och fadderskap för platsen", SOCIAL,
        "Skräpplockardagar och fadderskap där skolor, föreningar, företag eller boende tar "
        "ansvar för en plats, med kommunens eller fastighetsägarens stöd med material och hämtning.",
        ("omhandertagna_miljoer", "samhorighet"),
        ("föreningsliv", "skolor", "boende", "kommunen"),
    ),
    Measure(
        "samverkan", "Samverkan mellan aktörer (EST, BID, fastighetsägare)", SOCIAL,
        "Gemensam lägesbild och gemensamma åtgärder i samverkan, t.ex. Effektiv samordning för "
        "trygghet (EST), fastighetsägarsamverkan eller Business Improvement District (BID): "
        "regelbundna möten, delad händelserapportering och en tydlig ansvarsfördelning.",
        ("sakerhetsatgarder", "omhandertagna_miljoer", "samhorighet"),
        ("kommunen", "polisen", "fastighetsägare", "bostadsbolag", "näringsidkare"),
    ),
    Measure(
        "trygghetsvardar", "Trygghetsvärdar och vuxenvandringar", SOCIAL,
        "Synlig vuxennärvaro på tider och platser där det behövs: trygghetsvärdar, "
        "ordningsvakter där det är motiverat, nattvandrare och föräldravandringar.",
        ("sakerhetsatgarder", "befolkade_platser", "samhorighet"),
        ("kommunen", "bostadsbolag", "föreningsliv", "frivilliga"),
    ),
    Measure(
        "grannsamverkan", "Grannsamverkan", SOCIAL,
        "Grannar håller uppsikt över varandras bostäder och närmiljö och håller kontakt med "
        "polisen, enligt Samverkan mot brotts modell.",
        ("samhorighet", "sakerhetsatgarder"),
        ("polisen", "boende", "bostadsbolag"),
    ),
    Measure(
        "informationsinsatser", "Information om vad som görs", SOCIAL,
        "Berätta för boende och verksamma vilka åtgärder som görs och varför, t.ex. på "
        "möten, anslag, webben och i sociala medier, och återkoppla på synpunkter och "
        "felanmälningar så att de vet att de tas om hand.",
        ("information", "samhorighet", "identitet_rykte"),
        ("kommunen", "polisen", "bostadsbolag"),
    ),
    Measure(
        "rykte", "Kommunikation för att bryta ett dåligt rykte", SOCIAL,
        "Lyft fram det som fungerar och det som förändrats, med platsens egna röster, och bjud in "
        "människor som annars undviker platsen. Ett rykte kan finnas kvar långt efter att platsen "
        "blivit bättre.",
        ("identitet_rykte", "information"),
        ("kommunen", "bostadsbolag", "näringsidkare", "föreningsliv"),
    ),
)


def measures_for(factor_keys: str | Iterable[str]) -> pd.DataFrame:
    """Suggested kinds of measures for the given factors, from :data:`MEASURES`.

    Parameters
    ----------
    factor_keys : str or iterable of str
        Factor keys, e.g. the output of :func:`weakest_factors`; repeats are ignored.

    Returns
    -------
    pandas.DataFrame
        One row per (factor, measure): columns ``faktor`` (Swedish name), ``atgard``, ``typ``
        ("fysisk"/"social"), ``beskrivning`` and ``aktorer`` (joined by ", "). In the order of the
        factors given; within a factor physical before social, then in :data:`MEASURES` order. A
        measure addressing two of the factors appears under each.

    Raises
    ------
    ValueError
        An unknown factor key.

    Examples
    --------
    >>> m = measures_for(["belysning"])
    >>> m[["faktor", "atgard", "typ"]]
          faktor                                  atgard     typ
    0  Belysning                    Förbättrad belysning  fysisk
    1  Belysning  Beskärning och röjning för siktlinjer  fysisk
    """
    keys = [factor_keys] if isinstance(factor_keys, str) else list(factor_keys)
    unknown = [k for k in keys if k not in FACTOR_NAMES]
    if unknown:
        raise ValueError(f"measures_for: unknown factor key(s) {unknown}; keys are {list(FACTOR_KEYS)}")
    rows = []
    for key in dict.fromkeys(keys):
        for kind in MEASURE_KINDS:
            for m in MEASURES:
                if m.kind == kind and key in m.factors:
                    rows.append({"faktor": FACTOR_NAMES[key], "atgard": m.name, "typ": m.kind,
                                 "beskrivning": m.description, "aktorer": ", ".join(m.actors)})
    return pd.DataFrame(rows, columns=["faktor", "atgard", "typ", "beskrivning", "aktorer"])


# --------------------------------------------------------------------------------------------
# priority list
# --------------------------------------------------------------------------------------------

_ORDINALS = {1: "", 2: "näst ", 3: "tredje ", 4: "fjärde ", 5: "femte ", 6: "sjätte ", 7: "sjunde ",
             8: "åttonde ", 9: "nionde ", 10: "tionde "}


def _ordinal_most(rank: int) -> str:
    """"flest", "näst flest", "tredje flest" … "11:e flest", "21:a flest"."""
    if rank in _ORDINALS:
        return f"{_ORDINALS[rank]}flest"
    suffix = "a" if rank % 10 in (1, 2) and rank % 100 not in (11, 12) else "e"
    return f"{rank}:{suffix} flest"


def _count_text(x: float) -> str:
    """The load as publishable text: 1 and 2 never appear (lagesbild.core.privacy), only "färre än 3"."""
    if x == 0:
        return "inga händelser"
    if 0 < x < privacy.MIN_PUBLISHED:
        return f"{privacy.SMALL_LABEL} händelser"
    decimals = 0 if float(x).is_integer() else 1
    return f"{fmt.number(x, decimals)} händelser"


def priority_list(profiles: pd.DataFrame, load: pd.Series | Mapping[str, float], *,
                  weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Rank places by combining weak factor scores with incident load.

    The rule, transparent by design:

    - ``brist`` = (5 − samlad) / (5 − 1): 0 for a place scoring 5 on every assessed factor, 1 for
      one scoring 1 (:data:`SCALE_MAX`, :data:`SCALE_MIN`).
    - ``belastning`` = load / the largest load among the places listed: 1 for the place with
      most events, 0 with none (0 for all if no place has any). A load of 1 or 2 counts as 0 here
      and in the "flest av" ranking: it is never published (:mod:`lagesbild.core.privacy`), and an
      exact share or rank would reveal it.
    - ``prioritet`` = the weighted mean of the two, by default with equal weights.

    A place without an overall score (fewer than :data:`MIN_ASSESSED` factors assessed) gets
    ``brist`` and ``prioritet`` NaN and is ranked last, with the reason "för få faktorer
    bedömda". Ties are broken by ``plats_id``.

    Parameters
    ----------
    profiles : pandas.DataFrame
        One row per place with ``plats_id`` and the eight factor scores, e.g. the output of
        :func:`latest_profiles`; ``samlad`` is used when present, else computed.
    load : pandas.Series or mapping
        Events per place in the period (e.g. incidents plus citizen reports), indexed by
        ``plats_id``. Places missing from it, or NaN, count 0; places not in ``profiles`` are
        ignored.
    weights : mapping, optional
        ``{"brist": w1, "belastning": w2}``, non-negative with a positive sum; default equal.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``prioritet`` descending: ``plats_id``, ``samlad``, ``handelser`` (the load),
        ``brist``, ``belastning``, ``prioritet``, ``rang`` (1…n) and ``skal`` (the reasoning in
        Swedish).

    Examples
    --------
    >>> import pandas as pd
    >>> profiles = pd.DataFrame([
    ...     {"plats_id": "A", **dict.fromkeys(FACTOR_KEYS, 2.0), "belysning": 1.0},
    ...     {"plats_id": "B", **dict.fromkeys(FACTOR_KEYS, 4.0)}])
    >>> p = priority_list(profiles, pd.Series({"A": 3, "B": 6}))
    >>> p[["plats_id", "samlad", "handelser", "brist", "belastning", "prioritet", "rang"]]
      plats_id  samlad  handelser    brist  belastning  prioritet  rang
    0        A   1.875          3  0.78125         0.5   0.640625     1
    1        B   4.000          6  0.25000         1.0   0.625000     2
    >>> print(p.loc[0, "skal"])
    Samlad poäng 1,9 av 5 (svagast: Belysning, Omhändertagna miljöer, Befolkade platser och stråk) och 3 händelser, näst flest av 2 platser.
    """
    _require_columns(profiles, ["plats_id", *FACTOR_KEYS], "priority_list")
    if profiles["plats_id"].duplicated().any():
        dup = profiles.loc[profiles["plats_id"].duplicated(), "plats_id"].tolist()
        raise ValueError(f"priority_list: profiles must have one row per place; repeated: {dup}")
    w = {"brist": 1.0, "belastning": 1.0}
    if weights is not None:
        unknown = set(weights) - set(w)
        if unknown:
            raise ValueError(f"priority_list: unknown weight(s) {sorted(unknown)}; use 'brist' and 'belastning'")
        w.update({k: float(v) for k, v in weights.items()})
        if min(w.values()) < 0 or sum(w.values()) <= 0 or not all(math.isfinite(v) for v in w.values()):
            raise ValueError(f"priority_list: weights must be finite, non-negative, with a positive sum; got {w}")

    load = pd.Series(load, dtype="float64") if not isinstance(load, pd.Series) else load.astype("float64")
    load.index = load.index.astype(str)
    if load.index.duplicated().any():
        raise ValueError(f"priority_list: load has repeated places {load.index[load.index.duplicated()].tolist()}")
    if (load < 0).any():
        raise ValueError(f"priority_list: load cannot be negative: {load[load < 0].to_dict()}")

    df = profiles.copy()
    df["plats_id"] = df["plats_id"].astype(str)
    df.index = pd.Index(df["plats_id"].to_numpy(), dtype="str")
    samlad = df["samlad"].astype("float64") if "samlad" in df.columns else overall_score(df)
    events = load.reindex(df.index).fillna(0.0)
    if (events % 1 == 0).all():
        events = events.astype("int64")
    # A load of 1 or 2 is never published (lagesbild.core.privacy); it counts as 0 in the load share and in the
    # ranking, so neither "prioritet" nor "flest av" can reveal which it was.
    counted = events.where(~((events > 0) & (events < privacy.MIN_PUBLISHED)), 0)
    top = float(counted.max()) if len(counted) else 0.0
    out = pd.DataFrame({
        "plats_id": df["plats_id"],
        "samlad": samlad,
        "handelser": events,
        "brist": (SCALE_MAX - samlad) / (SCALE_MAX - SCALE_MIN),
        "belastning": counted / top if top > 0 else counted * 0.0,
    })
    out["belastning"] = out["belastning"].astype("float64")
    out["prioritet"] = (w["brist"] * out["brist"] + w["belastning"] * out["belastning"]) / sum(w.values())
    out["_key"] = out["prioritet"].round(9)
    out = out.sort_values(["_key", "plats_id"], ascending=[False, True], na_position="last", kind="stable")
    out = out.drop(columns="_key").reset_index(drop=True)
    out["rang"] = np.arange(1, len(out) + 1, dtype="int64")

    n_places = len(out)
    counted = out["handelser"].where(~((out["handelser"] > 0) & (out["handelser"] < privacy.MIN_PUBLISHED)), 0)
    load_rank = counted.rank(method="min", ascending=False)
    load_ties = counted.map(counted.value_counts())
    assessed = n_assessed(df.loc[out["plats_id"]]).to_numpy()
    reasons = []
    for i, row in out.iterrows():
        events_text = _count_text(row["handelser"])
        if counted[i] > 0 and n_places > 1:
            events_text += f", {_ordinal_most(int(load_rank[i]))} av {n_places} platser"
            if load_ties[i] > 1:
                events_text += " (delad placering)"
        if pd.isna(row["samlad"]):
            reasons.append(f"Ingen samlad poäng, {TOO_FEW_ASSESSED} ({assessed[i]} av {len(FACTOR_KEYS)}); "
                           f"placeras sist. {events_text[0].upper()}{events_text[1:]}.")
            continue
        weak = weakest_factors(df.loc[row["plats_id"]], n=3)
        weak_text = (f"svagast: {', '.join(FACTOR_NAMES[k] for k in weak)}" if weak
                     else "ingen svag faktor")
        reasons.append(f"Samlad poäng {fmt.number(row['samlad'], 1)} av {SCALE_MAX} ({weak_text}) "
                       f"och {events_text}.")
    out["skal"] = pd.Series(reasons, index=out.index, dtype="str")
    return out[["plats_id", "samlad", "handelser", "brist", "belastning", "prioritet", "rang", "skal"]]
