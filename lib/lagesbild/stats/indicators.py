"""The key-indicator table's traffic light: only statistically clear differences get a colour.

The summary report shows each key indicator of the kommun beside its län and riket. A cell gets a
colour only when the difference is statistically clear at level ``alpha`` (5 %); otherwise its status is
``"unclear"``, and without data ``"missing"`` — never a colour. Colour never carries the meaning alone:
every status also has a symbol (:data:`SYMBOLS`), and the report words it and says whether the difference
is better or worse (:class:`Light`).

Statistics return numbers and codes, never Swedish: a light's status, assessment, comparison region,
method and reason are codes, worded by the summary report (:mod:`lagesbild.summary.key_indicators`).

Three rules, one function each:

* :func:`rate_light` — a crime rate (Brå's reported crimes per 100 000 inhabitants): the funnel plot's
  rule (Spiegelhalter 2005), the kommun's count against the count the region's rate gives, allowing for
  chance and for the usual variation between kommuner.
* :func:`share_light` — a survey share with a 95 % interval (NTU): a z-test of the difference with
  standard errors recovered from both intervals.
* :func:`missing_light` — anything missing: status ``"missing"`` with a reason code, no colour.

:func:`indicator_table` builds the whole table from the crime-trends key figures
(``reports/<kommun>/crime_trends.json``, ``key_figures.indicators``) and the NTU results
(:func:`lagesbild.sources.ntu.latest`).

Colours are Okabe & Ito's colour-blind-safe pair (2008): vermillion ``#D55E00`` for worse, blue
``#0072B2`` for better. Against white both have a contrast of at least 3:1 (3,9 and 5,2), enough for a
marker or a filled cell (WCAG 1.4.11); text *on* the colour must be black on vermillion (5,4:1) and
white on blue (5,2:1), as :attr:`Light.text_colour` says.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import pandas as pd

from lagesbild.core.fmt import plain
from lagesbild.stats.counts import check_alpha

HIGHER = "higher"
LOWER = "lower"
UNCLEAR = "unclear"
MISSING = "missing"
#: Every status a light can have: clearly higher, clearly lower, no clear difference, no comparison.
STATUSES: tuple[str, ...] = (HIGHER, LOWER, UNCLEAR, MISSING)

WORSE = "worse"
BETTER = "better"
#: What a clear difference means, given whether a higher value is worse.
ASSESSMENTS: tuple[str, ...] = (WORSE, BETTER)

LAN = "lan"
RIKET = "riket"
#: The comparison regions of :func:`indicator_table` (the suffixes of its ``value_*`` columns).
COMPARISONS: tuple[str, ...] = (LAN, RIKET)

#: Colour of a clear difference by what it means (Okabe & Ito 2008); no other status has a colour.
COLOURS: dict[str, str] = {WORSE: "#D55E00", BETTER: "#0072B2"}
#: Text colour to use on each colour (contrast at least 5:1).
TEXT_COLOURS: dict[str, str] = {WORSE: "#000000", BETTER: "#FFFFFF"}
#: Symbol per status: the direction of the difference, readable without colour.
SYMBOLS: dict[str, str] = {HIGHER: "▲", LOWER: "▼", UNCLEAR: "○", MISSING: "–"}

#: The indicator's kind in :func:`indicator_table`'s ``source``: Brå's reported crime, or an NTU share.
CRIME = "crime"
NTU = "ntu"
#: The unit of ``value``: reported crimes per 100 000 inhabitants, or a share in per cent.
RATE_UNIT = "per_100000"
SHARE_UNIT = "percent"

#: The tests (:attr:`Light.method`): the funnel plot's rule for counts (:func:`rate_light`), the z-test of
#: two shares with intervals (:func:`share_light`).
FUNNEL = "funnel"
SHARE_Z_TEST = "share_z_test"
METHODS: tuple[str, ...] = (FUNNEL, SHARE_Z_TEST)

#: Why a light is "missing" (:attr:`Light.reason`).
REASONS: tuple[str, ...] = (
    "missing",                  # no comparison (the generic reason of missing_light)
    "count_missing",            # the kommun's count
    "population_missing",       # the kommun's population
    "reference_missing",        # the comparison region's rate
    "variation_unknown",        # the between-kommun variance could not be estimated (too few kommuner)
    "share_missing",            # the kommun's share or its interval
    "reference_share_missing",  # the comparison region's share or its interval
    "no_interval_width",        # both intervals without width: no uncertainty to test with
)
#: :func:`indicator_table`'s ``note``: the population was derived from the count and Brå's rounded rate.
POPULATION_DERIVED = "population_derived"


@dataclass(frozen=True)
class Light:
    """The traffic light of one indicator against one comparison region.

    Attributes
    ----------
    status : str
        One of :data:`STATUSES`: "higher", "lower", "unclear" (no clear difference), "missing".
    higher_is_worse : bool
        Whether a higher value is worse for this indicator (crime, victimisation, worry: yes).
    comparison : str
        The comparison region, a code of :data:`COMPARISONS` ("lan", "riket").
    estimate : float
        Rate ratio kommun / comparison (:func:`rate_light`) or difference in percentage points
        (:func:`share_light`); NaN when missing.
    ci_low, ci_high : float
        Its confidence interval (level ``1 - alpha``).
    p_value : float
        Two-sided p-value (NaN when missing).
    alpha : float
        Significance level.
    kind : str
        "ratio" or "difference" (what ``estimate`` is).
    method : str
        The test, a code of :data:`METHODS` ("" when missing).
    reason : str
        Why the status is "missing", a code of :data:`REASONS` ("" otherwise).

    Examples
    --------
    >>> light = Light(HIGHER, True, LAN, 1.4, 1.2, 1.7, 0.001, 0.05, "ratio", FUNNEL)
    >>> light.assessment, light.colour, light.symbol
    ('worse', '#D55E00', '▲')
    """

    status: str
    higher_is_worse: bool
    comparison: str
    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    alpha: float
    kind: str
    method: str
    reason: str = ""

    @property
    def assessment(self) -> str | None:
        """"worse" or "better" for a clear difference, else None."""
        if self.status not in (HIGHER, LOWER):
            return None
        return WORSE if (self.status == HIGHER) == self.higher_is_worse else BETTER

    @property
    def colour(self) -> str | None:
        """Hex colour of a clear difference (:data:`COLOURS`); None for every other status."""
        return COLOURS.get(self.assessment) if self.assessment else None

    @property
    def text_colour(self) -> str | None:
        """Text colour to use on :attr:`colour` (None without a colour)."""
        return TEXT_COLOURS.get(self.assessment) if self.assessment else None

    @property
    def symbol(self) -> str:
        """▲ higher, ▼ lower, ○ no clear difference, – missing."""
        return SYMBOLS[self.status]

    def as_dict(self) -> dict:
        """Every field and derived value as a plain dict (JSON-ready: NaN and ∞ become None).

        Examples
        --------
        >>> missing_light(RIKET, "reference_missing").as_dict()["colour"] is None
        True
        """
        out = asdict(self)
        for key in ("estimate", "ci_low", "ci_high", "p_value"):
            value = out[key]
            out[key] = None if value is None or not math.isfinite(value) else float(value)
        out.update(assessment=self.assessment, colour=self.colour, text_colour=self.text_colour, symbol=self.symbol)
        return out


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"expected a number or None, got {plain(value)}")
    return not math.isfinite(float(value))


def missing_light(comparison: str = LAN, reason: str = "missing", higher_is_worse: bool = True,
                  alpha: float = 0.05) -> Light:
    """The light of a comparison that cannot be made: status "missing", never a colour.

    Parameters
    ----------
    comparison : str
        The comparison region, a code of :data:`COMPARISONS`.
    reason : str
        What is missing, a code of :data:`REASONS`.
    higher_is_worse : bool
        Kept so the table can still say which direction is worse.
    alpha : float

    Raises
    ------
    ValueError
        A reason that is not in :data:`REASONS`.

    Examples
    --------
    >>> light = missing_light(RIKET, "reference_missing")
    >>> light.status, light.colour, light.symbol, light.reason
    ('missing', None, '–', 'reference_missing')
    """
    if reason not in REASONS:
        raise ValueError(f"unknown reason {plain(reason)}; use one of {list(REASONS)}")
    nan = float("nan")
    return Light(MISSING, bool(higher_is_worse), comparison, nan, nan, nan, nan, check_alpha(alpha), "",
                 "", reason)


def _status(p: float, alpha: float, estimate_above: bool | None) -> str:
    if not p < alpha or estimate_above is None:
        return UNCLEAR
    return HIGHER if estimate_above else LOWER


def rate_light(count: float | None, population: float | None, *, ref_rate: float | None = None,
               tau2: float | None = None, higher_is_worse: bool = True, alpha: float = 0.05,
               comparison: str = LAN) -> Light:
    """Is the kommun's crime rate clearly higher or lower than its län's (or riket's)?

    The same honest rule as the crime report's funnel plot (:mod:`lagesbild.stats.funnel`, Spiegelhalter
    2005): reported crime varies far more between kommuner than chance alone gives (from ten to
    hundreds of times the Poisson variance, measured on Brå's figures for all 290 kommuner), so a
    test that knows only chance (an exact Poisson or binomial test) calls almost every difference of
    a large kommun "clear". Here the kommun's count is compared with the count expected at the
    region's rate, ``E = ref_rate × population / 100 000``, on the square-root scale with the
    variance of chance *and* of the usual variation between kommuners added:
    ``z = (sqrt(count / E) − 1) / sqrt(1 / (4 E) + tau2)`` (:func:`lagesbild.stats.funnel.compare`),
    where ``tau2`` is the between-kommun variance estimated from every kommun with the category
    (the crime report's key figures carry it). Against riket (all kommuner) this is exactly the
    funnel plot: clearly higher or lower ⇔ outside the 95 % limits. A difference is clear when
    ``p < alpha``; the interval is that of the ratio kommun / region on the same scale.

    The region's rate includes the kommun's own crimes, which pulls it towards the kommun; for a
    kommun that is a large part of its län the test is therefore cautious (it says "unclear" sooner),
    never too eager.

    Parameters
    ----------
    count : int or None
        The kommun's number of reported crimes (a whole number ≥ 0).
    population : float or None
        The kommun's population (the exposure, > 0).
    ref_rate : float or None
        The comparison region's rate per 100 000 inhabitants.
    tau2 : float or None
        The between-kommun variance on the square-root scale (:attr:`lagesbild.stats.funnel.Overdispersion.tau2_applied`;
        0 when kommuner vary no more than chance). None when it could not be estimated (fewer than ten
        kommuner have the category): then there is no comparison, and the reason says so.
    higher_is_worse : bool, default True
    alpha : float, default 0.05
    comparison : str, default "lan"
        The region, a code of :data:`COMPARISONS`.

    Returns
    -------
    Light
        ``estimate`` is the ratio of the kommun's rate to the region's. "missing" when the count, the
        population, the region's rate or the between-kommun variance is missing (:data:`REASONS`).

    Raises
    ------
    ValueError
        A negative or fractional count, a population ≤ 0, a negative region rate or ``tau2``.

    Examples
    --------
    1 446 narcotics and weapons crimes among 152 429 inhabitants (949 per 100 000) against riket's 1 167
    per 100 000 (E = 1 778,9): by chance alone clearly lower (z = 2 (√1 446 − √1 778,9) = −8,3), but kommuner vary
    with tau2 = 0,05, so z = (sqrt(1 446 / 1 778,9) − 1) / sqrt(1 / 7 115,6 + 0,05) = −0,0984 / 0,2239 = −0,44:
    no clear difference (p = 0,66).

    >>> light = rate_light(1446, 152_429, ref_rate=1167, tau2=0.05, comparison="riket")
    >>> light.status, round(light.estimate, 3), round(light.p_value, 2)
    ('unclear', 0.813, 0.66)
    >>> light = rate_light(1446, 152_429, ref_rate=1167, tau2=0.0, comparison="riket")
    >>> light.status, light.assessment, light.method
    ('lower', 'better', 'funnel')
    >>> rate_light(1446, 152_429, ref_rate=1167, tau2=None).reason
    'variation_unknown'
    """
    from lagesbild.stats import funnel

    a = check_alpha(alpha)
    worse = bool(higher_is_worse)
    if _is_missing(count):
        return missing_light(comparison, "count_missing", worse, a)
    if _is_missing(population):
        return missing_light(comparison, "population_missing", worse, a)
    if _is_missing(ref_rate):
        return missing_light(comparison, "reference_missing", worse, a)
    if _is_missing(tau2):
        return missing_light(comparison, "variation_unknown", worse, a)
    if count < 0 or float(count) != int(count):
        raise ValueError(f"count must be a whole number ≥ 0, got {plain(count)}")
    if population <= 0:
        raise ValueError(f"population must be > 0, got {plain(population)}")
    if ref_rate < 0 or tau2 < 0:
        raise ValueError(f"ref_rate and tau2 must be ≥ 0, got {plain(ref_rate)} and {plain(tau2)}")
    method = FUNNEL
    c = funnel.compare(int(count), float(population), float(ref_rate), tau2=float(tau2), alpha=a)
    if c.reason:
        return Light(UNCLEAR, worse, comparison, float("nan"), float("nan"), float("nan"), float("nan"), a, "ratio",
                     method, "")
    from scipy.stats import norm

    half = float(norm.ppf(1 - a / 2)) * math.sqrt(1 / (4 * c.expected) + float(tau2))
    root = math.sqrt(c.ratio)
    low, high = max(0.0, root - half) ** 2, (root + half) ** 2
    status = {"higher": HIGHER, "lower": LOWER}.get(c.direction, UNCLEAR)
    return Light(status, worse, comparison, float(c.ratio), low, high, float(c.p_value), a, "ratio", method)


def share_light(share: float | None, ci_low: float | None, ci_high: float | None, ref_share: float | None,
                ref_ci_low: float | None, ref_ci_high: float | None, *, higher_is_worse: bool = True,
                alpha: float = 0.05, ci_level: float = 0.95, overlap: float = 0.0,
                comparison: str = LAN) -> Light:
    """Is the kommun's survey share (NTU) clearly higher or lower than the län's (or riket's)?

    NTU publishes each share with a 95 % confidence interval and no standard error. The standard
    error of each estimate is recovered from its interval, ``se = (high - low) / (2 × 1,96)``
    (``z`` of ``ci_level``; an asymmetric interval is taken with its average half-width), and the
    difference ``d = share - ref_share`` is tested with

        ``z = d / sqrt(se² + se_ref² - 2 × overlap × se²)``,  two-sided ``p = 2 × (1 - Φ(|z|))``;

    the difference is clear when ``p < alpha``. This is the usual test of two estimates given with
    intervals (Altman & Bland 2003, BMJ 326:219), the same as
    :func:`lagesbild.stats.surveys.survey_change` for two survey rounds.

    The kommun's respondents are part of the län's (and riket's) sample, so the two estimates are
    positively correlated: with the kommun making up a share ``w`` of the region's estimate,
    ``cov = w × se²``. ``overlap`` is that ``w``. The default 0 ignores the correlation, which
    *overstates* the standard error of the difference, so the test is conservative: it may miss a
    real difference but does not invent one. NTU's weights are not published, so ``w`` can only be
    approximated (the kommun's share of the region's population aged 16–84); leave it at 0 unless
    you have it.

    Parameters
    ----------
    share, ci_low, ci_high : float or None
        The kommun's share in % and its interval.
    ref_share, ref_ci_low, ref_ci_high : float or None
        The comparison region's.
    higher_is_worse : bool, default True
    alpha : float, default 0.05
    ci_level : float, default 0.95
        Level of the published intervals.
    overlap : float, default 0.0
        The kommun's share ``w`` of the region's estimate, 0 ≤ w < 1.
    comparison : str, default "lan"
        The region, a code of :data:`COMPARISONS`.

    Returns
    -------
    Light
        ``estimate`` is the difference in percentage points, with its interval. "missing" when a value
        is missing or both intervals have no width (:data:`REASONS`).

    Raises
    ------
    ValueError
        A share outside its interval, ``overlap`` outside [0, 1), ``alpha`` or ``ci_level`` outside (0, 1).

    Examples
    --------
    Falun 19 % [15–23] feel unsafe late in the evening, riket 25,0 % [24,6–25,4]:

    >>> light = share_light(19, 15, 23, 25.0, 24.6, 25.4, comparison="riket")
    >>> light.status, round(light.estimate, 1), round(light.p_value, 4), light.method
    ('lower', -6.0, 0.0034, 'share_z_test')
    >>> share_light(19, 15, 23, 21.2, 19.3, 23.2).status
    'unclear'
    """
    from scipy.stats import norm

    a = check_alpha(alpha)
    level = check_alpha(ci_level)
    worse = bool(higher_is_worse)
    if not 0.0 <= float(overlap) < 1.0:
        raise ValueError(f"overlap must be in [0, 1), got {plain(overlap)}")
    values = (share, ci_low, ci_high, ref_share, ref_ci_low, ref_ci_high)
    if any(_is_missing(v) for v in values[:3]):
        return missing_light(comparison, "share_missing", worse, a)
    if any(_is_missing(v) for v in values[3:]):
        return missing_light(comparison, "reference_share_missing", worse, a)
    for m, lo, hi, who in ((share, ci_low, ci_high, "share"), (ref_share, ref_ci_low, ref_ci_high, "ref_share")):
        if not lo <= m <= hi:
            raise ValueError(f"{who} {plain(m)} is outside its interval {plain(lo)}–{plain(hi)}")
    q = float(norm.ppf(0.5 + level / 2.0))
    se, se_ref = (ci_high - ci_low) / (2 * q), (ref_ci_high - ref_ci_low) / (2 * q)
    variance = se**2 + se_ref**2 - 2.0 * float(overlap) * se**2
    if not variance > 0:
        return missing_light(comparison, "no_interval_width", worse, a)
    d = float(share) - float(ref_share)
    sd = math.sqrt(variance)
    p = float(2.0 * norm.sf(abs(d) / sd))
    half = float(norm.ppf(1.0 - a / 2.0)) * sd
    return Light(_status(p, a, d > 0 if d != 0 else None), worse, comparison, d, d - half, d + half, p, a,
                 "difference", SHARE_Z_TEST)


def _get(record: Mapping, key: str) -> float | None:
    value = record.get(key)
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def indicator_table(crime_indicators: Sequence[Mapping] | None, ntu_latest: pd.DataFrame | None = None, *,
                    alpha: float = 0.05) -> pd.DataFrame:
    """The key-indicator table: every crime indicator and NTU share with its lights against län and riket.

    Parameters
    ----------
    crime_indicators : list of dict or None
        ``key_figures["indicators"]`` of ``reports/<kommun>/crime_trends.json``: each with
        ``indicator, year, count, rate, rate_lan, rate_riket, population`` and ``dispersion`` (the
        category's variation between kommuner, :func:`lagesbild.crime.groups.funnel_figures`: ``tau2``), as
        :func:`lagesbild.crime.analysis.key_figures` writes them; ``set`` and ``preliminary`` are carried
        along. Without ``population`` the kommun's is derived from ``count / rate × 100 000`` (``note`` is
        then :data:`POPULATION_DERIVED`); without ``dispersion`` there is no comparison (:func:`rate_light`).
    ntu_latest : pandas.DataFrame, optional
        :func:`lagesbild.sources.ntu.latest` of the kommun (empty or None: no NTU rows).
    alpha : float, default 0.05

    Returns
    -------
    pandas.DataFrame
        One row per indicator, crime first: ``source`` (:data:`CRIME` or :data:`NTU`), ``theme`` (NTU's
        theme label as the data name it; "" for crime), ``indicator`` (the label as the data name it),
        ``year``, ``value``, ``unit`` (:data:`RATE_UNIT` or :data:`SHARE_UNIT`), ``value_lan``,
        ``value_riket``, ``higher_is_worse``, ``lan`` and ``riket`` (:class:`Light`), ``status_lan``,
        ``status_riket``, ``note`` (:data:`POPULATION_DERIVED` or ""), ``set`` (the category set, or "ntu"),
        ``preliminary``.

    Examples
    --------
    >>> crime = [{"indicator": "Bilbrott", "year": 2024, "count": 150, "rate": 250.0, "rate_lan": 226.0,
    ...           "rate_riket": 383.0, "population": 60_000, "dispersion": {"tau2": 0.005}}]
    >>> t = indicator_table(crime)
    >>> t[["source", "indicator", "status_lan", "status_riket"]].values.tolist()
    [['crime', 'Bilbrott', 'unclear', 'lower']]
    """
    a = check_alpha(alpha)
    rows: list[dict] = []
    for rec in crime_indicators or []:
        count, rate = _get(rec, "count"), _get(rec, "rate")
        population, note = _get(rec, "population"), ""
        if population is None and count is not None and rate:
            population = count / rate * 100_000
            note = POPULATION_DERIVED
        tau2 = _get(rec.get("dispersion") or {}, "tau2")
        lights = {suffix: rate_light(count, population, ref_rate=_get(rec, f"rate_{suffix}"), tau2=tau2, alpha=a,
                                     comparison=suffix)
                  for suffix in COMPARISONS}
        rows.append({"source": CRIME, "theme": "", "indicator": str(rec.get("indicator", "")),
                     "year": rec.get("year"), "value": rate, "unit": RATE_UNIT, "value_lan": _get(rec, "rate_lan"),
                     "value_riket": _get(rec, "rate_riket"), "higher_is_worse": True, "lan": lights["lan"],
                     "riket": lights["riket"], "note": note, "set": rec.get("set") or "",
                     "preliminary": bool(rec.get("preliminary"))})
    if ntu_latest is not None:
        for r in ntu_latest.itertuples():
            lights = {suffix: share_light(r.share, r.ci_low, r.ci_high, getattr(r, f"share_{suffix}"),
                                          getattr(r, f"ci_low_{suffix}"), getattr(r, f"ci_high_{suffix}"),
                                          alpha=a, comparison=suffix)
                      for suffix in COMPARISONS}
            rows.append({"source": NTU, "theme": r.theme_label, "indicator": r.label, "year": r.year,
                         "value": r.share, "unit": SHARE_UNIT, "value_lan": r.share_lan,
                         "value_riket": r.share_riket, "higher_is_worse": True, "lan": lights["lan"],
                         "riket": lights["riket"], "note": "", "set": "ntu", "preliminary": False})
    cols = ["source", "theme", "indicator", "year", "value", "unit", "value_lan", "value_riket", "higher_is_worse",
            "lan", "riket", "status_lan", "status_riket", "note", "set", "preliminary"]
    if not rows:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame(rows)
    out["status_lan"] = [light.status for light in out["lan"]]
    out["status_riket"] = [light.status for light in out["riket"]]
    for col in ("value", "value_lan", "value_riket"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    return out[cols]


__all__ = ["ASSESSMENTS", "BETTER", "COLOURS", "COMPARISONS", "CRIME", "FUNNEL", "HIGHER", "LAN", "LOWER", "METHODS",
           "MISSING", "NTU", "POPULATION_DERIVED", "RATE_UNIT", "REASONS", "RIKET", "SHARE_UNIT", "SHARE_Z_TEST",
           "STATUSES", "SYMBOLS", "TEXT_COLOURS", "UNCLEAR", "WORSE", "Light", "indicator_table", "missing_light",
           "rate_light", "share_light"]
