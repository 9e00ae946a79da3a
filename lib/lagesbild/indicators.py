"""The key-indicator table's traffic light: only statistically clear differences get a colour.

The summary report shows each key indicator of the kommun beside its län and riket. A cell gets a
colour only when the difference is statistically clear at level ``alpha`` (5 %); otherwise it says
"ingen tydlig skillnad", and without data "saknas" — never a colour. Colour never carries the meaning
alone: every status also has a symbol and a word, and the text says whether the difference is better
or worse (:class:`Light`).

Three rules, one function each:

* :func:`rate_light` — a crime rate (Brå's reported crimes per 100 000 inhabitants): an exact test on
  the counts. With the comparison region's count and population, the kommun is compared with the
  *rest* of the region (exact conditional binomial test; see the function for why); with only the
  region's rate, an exact Poisson test against that rate.
* :func:`share_light` — a survey share with a 95 % interval (NTU): a z-test of the difference with
  standard errors recovered from both intervals.
* :func:`missing_light` — anything missing: status "saknas", no colour.

:func:`indicator_table` builds the whole table from the crime-trends key figures
(``reports/<kommun>/crime_trends.json``, ``key_figures.indicators``) and the NTU results
(:func:`lagesbild.ntu.latest`).

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

from lagesbild import fmt

HIGHER = "högre"
LOWER = "lägre"
UNCLEAR = "ingen tydlig skillnad"
MISSING = "saknas"
#: Every status a light can have.
STATUSES: tuple[str, ...] = (HIGHER, LOWER, UNCLEAR, MISSING)

WORSE = "sämre"
BETTER = "bättre"
#: Colour of a clear difference by what it means (Okabe & Ito 2008); no other status has a colour.
COLOURS: dict[str, str] = {WORSE: "#D55E00", BETTER: "#0072B2"}
#: Text colour to use on each colour (contrast at least 5:1).
TEXT_COLOURS: dict[str, str] = {WORSE: "#000000", BETTER: "#FFFFFF"}
#: Symbol per status: the direction of the difference, readable without colour.
SYMBOLS: dict[str, str] = {HIGHER: "▲", LOWER: "▼", UNCLEAR: "○", MISSING: "–"}
#: Word per status, for the table cell.
WORDS: dict[str, str] = {HIGHER: "Högre", LOWER: "Lägre", UNCLEAR: "Ingen tydlig skillnad", MISSING: "Uppgift saknas"}

RATE_UNIT = "per 100 000 invånare"
SHARE_UNIT = "procent"

_METHOD_REST = ("exakt villkorat binomialtest (tvåsidigt, centralt) av kommunen mot resten av {region}; "
                "Clopper–Pearson-intervall för kvoten")
_METHOD_REFERENCE = "exakt Poissontest (tvåsidigt, centralt) mot takten i {region} som känd referens; exakt intervall"
_METHOD_SHARES = "z-test av skillnaden, standardfel ur båda 95 %-intervallen"


@dataclass(frozen=True)
class Light:
    """The traffic light of one indicator against one comparison region.

    Attributes
    ----------
    status : str
        One of :data:`STATUSES`: "högre", "lägre", "ingen tydlig skillnad", "saknas".
    higher_is_worse : bool
        Whether a higher value is worse for this indicator (crime, victimisation, worry: yes).
    comparison : str
        The comparison region as used in a sentence, e.g. "länet", "riket".
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
        Swedish description of the test ("" when missing).
    reason : str
        Why the status is "saknas" (Swedish; "" otherwise).

    Examples
    --------
    >>> light = Light(HIGHER, True, "länet", 1.4, 1.2, 1.7, 0.001, 0.05, "ratio", "test")
    >>> light.assessment, light.colour, light.symbol, light.word, light.direction
    ('sämre', '#D55E00', '▲', 'Högre', 'högre är sämre')
    >>> light.text
    'Tydligt högre än i länet (sämre)'
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
    def direction(self) -> str:
        """"högre är sämre" or "högre är bättre"."""
        return "högre är sämre" if self.higher_is_worse else "högre är bättre"

    @property
    def assessment(self) -> str | None:
        """"sämre" or "bättre" for a clear difference, else None."""
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

    @property
    def word(self) -> str:
        """The status as a word for a table cell."""
        return WORDS[self.status]

    @property
    def text(self) -> str:
        """One Swedish phrase: the status against the comparison and, if clear, better or worse."""
        if self.status == MISSING:
            return f"Uppgift saknas för jämförelse med {self.comparison}"
        if self.status == UNCLEAR:
            return f"Ingen tydlig skillnad mot {self.comparison}"
        return f"Tydligt {self.status} än i {self.comparison} ({self.assessment})"

    @property
    def detail(self) -> str:
        """The numbers behind the status in Swedish (the estimate, its interval, the p-value)."""
        if self.status == MISSING:
            return self.reason
        level = fmt.number(100 * (1 - self.alpha))
        if self.kind == "ratio":
            est = (f"kvot {fmt.number(self.estimate, 2)} ({level} % KI {fmt.number(self.ci_low, 2)}–"
                   f"{fmt.number(self.ci_high, 2)})")
        else:
            sign = "+" if self.estimate > 0 else ""
            est = (f"skillnad {sign}{fmt.number(self.estimate, 1)} procentenheter ({level} % KI "
                   f"{fmt.number(self.ci_low, 1)} till {fmt.number(self.ci_high, 1)})")
        return f"{est}, {fmt.pvalue(self.p_value)}"

    def as_dict(self) -> dict:
        """Every field and derived value as a plain dict (JSON-ready: NaN and ∞ become None).

        Examples
        --------
        >>> missing_light("riket", "Rikets värde saknas.").as_dict()["colour"] is None
        True
        """
        out = asdict(self)
        for key in ("estimate", "ci_low", "ci_high", "p_value"):
            value = out[key]
            out[key] = None if value is None or not math.isfinite(value) else float(value)
        out.update(direction=self.direction, assessment=self.assessment, colour=self.colour,
                   text_colour=self.text_colour, symbol=self.symbol, word=self.word, text=self.text,
                   detail=self.detail)
        return out


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"expected a number or None, got {value!r}")
    return not math.isfinite(float(value))


def _check_alpha(alpha: float) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not 0 < float(alpha) < 1:
        raise ValueError(f"alpha must be a number strictly between 0 and 1, got {alpha!r}")
    return float(alpha)


def missing_light(comparison: str = "länet", reason: str = "", higher_is_worse: bool = True,
                  alpha: float = 0.05) -> Light:
    """The light of a comparison that cannot be made: status "saknas", never a colour.

    Parameters
    ----------
    comparison : str
        The comparison region as used in a sentence ("länet", "riket").
    reason : str
        Swedish: what is missing (shown as :attr:`Light.detail`).
    higher_is_worse : bool
        Kept so the table can still say which direction is worse.
    alpha : float

    Examples
    --------
    >>> light = missing_light("riket", "Rikets värde saknas.")
    >>> light.status, light.colour, light.symbol, light.text
    ('saknas', None, '–', 'Uppgift saknas för jämförelse med riket')
    """
    nan = float("nan")
    return Light(MISSING, bool(higher_is_worse), comparison, nan, nan, nan, nan, _check_alpha(alpha), "",
                 "", reason or "Uppgift saknas.")


def _status(p: float, alpha: float, estimate_above: bool | None) -> str:
    if not p < alpha or estimate_above is None:
        return UNCLEAR
    return HIGHER if estimate_above else LOWER


def rate_light(count: float | None, population: float | None, *, ref_count: float | None = None,
               ref_population: float | None = None, ref_rate: float | None = None, nested: bool = True,
               higher_is_worse: bool = True, alpha: float = 0.05, comparison: str = "länet") -> Light:
    """Is the kommun's crime rate clearly higher or lower than its län's (or riket's)?

    Reported crimes are counts, so the test is exact on the counts: no normal approximation, valid
    for the small counts of a small kommun (4 robberies) as for large ones.

    **With the comparison region's count and population** (``ref_count``, ``ref_population``) the
    kommun is compared with the *rest* of the region (``nested=True``, the default: the region's
    count and population include the kommun's). Why: the kommun is part of its län (and of riket).
    Testing it against the län's own rate (a) compares the kommun partly with itself — the län's
    rate is a weighted mean of the kommun's and the rest's, so the difference is shrunk by the
    kommun's share of the län (Falun is about a fifth of Dalarna) and the test loses power —, (b)
    treats the län's rate as known although it is itself a count with chance variation, and (c) a
    naive two-sample test against the whole län would count the kommun's crimes twice and assume
    independence where there is none. The kommun and the *rest* of the region are disjoint, so their
    counts are independent Poisson counts, and "kommun above the län" is the same statement as
    "kommun above the rest of the län" (the län's rate lies between the two). Given the total
    ``n = count + rest``, the kommun's count is binomial with probability
    ``population / (population + rest population)`` when the rates are equal: the exact conditional
    test. Its two-sided p-value is the *central* one (twice the smaller tail, capped at 1), so
    that it rejects exactly when the Clopper–Pearson interval of the rate ratio excludes 1 — the
    colour and the printed interval can never disagree. (For riket the kommun is under 1 % of the
    population, so the rest of Sweden and Sweden give the same answer, but the same rule is used.)
    Pass ``nested=False`` when the reference region does not contain the kommun.

    **With only the region's rate** (``ref_rate``, per 100 000) the kommun's count is tested against
    that rate as a known reference: the exact Poisson test (``statsmodels.stats.rates.test_poisson``,
    method ``"exact-c"``) with the exact (Garwood) interval of the kommun's rate
    (``confint_poisson``, same method), which again agree. This ignores the region's own chance
    variation and, for the län, the overlap above (the difference is shrunk by the kommun's share),
    so it is a fallback: it errs towards "ingen tydlig skillnad". Brå's rates are rounded to whole
    numbers, which for rates below about 20 per 100 000 moves the reference by several per cent;
    counts are better.

    Parameters
    ----------
    count : int or None
        The kommun's number of reported crimes (a whole number ≥ 0).
    population : float or None
        The kommun's population (the exposure, > 0).
    ref_count, ref_population : float or None
        The comparison region's count and population (including the kommun's when ``nested``).
    ref_rate : float or None
        The comparison region's rate per 100 000 inhabitants, used when its count or population is
        missing.
    nested : bool, default True
        Whether the region's count and population include the kommun's.
    higher_is_worse : bool, default True
    alpha : float, default 0.05
    comparison : str, default "länet"
        The region as used in a sentence ("länet", "riket").

    Returns
    -------
    Light
        ``estimate`` is the rate ratio kommun / rest of the region (or / the reference rate).
        "saknas" when the count, the population or every reference value is missing.

    Raises
    ------
    ValueError
        A negative or fractional count, a population ≤ 0, or (``nested``) a region whose count or
        population is smaller than the kommun's.

    Examples
    --------
    150 car crimes among 60 000 inhabitants against a län with 648 among 287 000 (the rest of the
    län: 498 among 227 000): ratio 1,14, not clear.

    >>> light = rate_light(150, 60_000, ref_count=648, ref_population=287_000)
    >>> light.status, round(light.estimate, 2), round(light.p_value, 2)
    ('ingen tydlig skillnad', 1.14, 0.18)
    >>> rate_light(341, 59_930, ref_rate=1233, comparison="riket").text
    'Tydligt lägre än i riket (bättre)'
    >>> rate_light(None, 59_930, ref_rate=1233).status
    'saknas'
    """
    a = _check_alpha(alpha)
    worse = bool(higher_is_worse)
    if _is_missing(count):
        return missing_light(comparison, "Kommunens antal saknas.", worse, a)
    if _is_missing(population):
        return missing_light(comparison, "Kommunens folkmängd saknas.", worse, a)
    if count < 0 or float(count) != int(count):
        raise ValueError(f"count must be a whole number ≥ 0, got {count!r}")
    if population <= 0:
        raise ValueError(f"population must be > 0, got {population!r}")
    x, pop = int(count), float(population)
    if not _is_missing(ref_count) and not _is_missing(ref_population):
        return _rest_light(x, pop, ref_count, ref_population, nested, worse, a, comparison)
    if not _is_missing(ref_rate):
        return _reference_light(x, pop, float(ref_rate), worse, a, comparison)
    return missing_light(comparison, f"Jämförelsevärdet för {comparison} saknas.", worse, a)


def _rest_light(x: int, pop: float, ref_count: float, ref_population: float, nested: bool, worse: bool,
                alpha: float, comparison: str) -> Light:
    from scipy import stats as sps

    if ref_count < 0 or float(ref_count) != int(ref_count) or ref_population <= 0:
        raise ValueError(f"the region's count must be a whole number ≥ 0 and its population > 0, "
                         f"got {ref_count!r} and {ref_population!r}")
    rest, rest_pop = (int(ref_count) - x, float(ref_population) - pop) if nested else (int(ref_count),
                                                                                     float(ref_population))
    if rest < 0 or rest_pop <= 0:
        raise ValueError(f"the region ({ref_count!r} among {ref_population!r}) must include the kommun "
                         f"({x} among {pop!r}); pass nested=False if it does not")
    n = x + rest
    share = pop / (pop + rest_pop)
    method = _METHOD_REST.format(region=comparison)
    if n == 0:
        return Light(UNCLEAR, worse, comparison, float("nan"), 0.0, math.inf, 1.0, alpha, "ratio", method)
    p = min(1.0, 2.0 * min(float(sps.binom.cdf(x, n, share)), float(sps.binom.sf(x - 1, n, share))))
    ci = sps.binomtest(x, n).proportion_ci(confidence_level=1.0 - alpha, method="exact")
    odds = rest_pop / pop  # a proportion q of the events in the kommun ↔ rate ratio q / (1 - q) × rest_pop / pop
    low = float(ci.low) / (1.0 - float(ci.low)) * odds
    high = math.inf if float(ci.high) >= 1.0 else float(ci.high) / (1.0 - float(ci.high)) * odds
    ratio = math.inf if rest == 0 else (x / pop) / (rest / rest_pop)
    return Light(_status(p, alpha, ratio > 1 if ratio != 1 else None), worse, comparison, float(ratio), low, high,
                 p, alpha, "ratio", method)


def _reference_light(x: int, pop: float, ref_rate: float, worse: bool, alpha: float, comparison: str) -> Light:
    from statsmodels.stats.rates import confint_poisson, test_poisson

    if ref_rate < 0:
        raise ValueError(f"ref_rate must be ≥ 0, got {ref_rate!r}")
    rate0 = ref_rate / 100_000
    p = min(1.0, float(test_poisson(x, pop, rate0, method="exact-c").pvalue))
    low, high = (float(v) for v in confint_poisson(x, pop, method="exact-c", alpha=alpha))
    if rate0 == 0:
        ratio, low, high = (math.inf if x else math.nan), (math.inf if low > 0 else 0.0), math.inf
    else:
        ratio, low, high = (x / pop) / rate0, low / rate0, high / rate0
    above = None if ratio == 1 or math.isnan(ratio) else ratio > 1
    return Light(_status(p, alpha, above), worse, comparison, float(ratio), low, high, p, alpha, "ratio",
                 _METHOD_REFERENCE.format(region=comparison))


def share_light(share: float | None, ci_low: float | None, ci_high: float | None, ref_share: float | None,
                ref_ci_low: float | None, ref_ci_high: float | None, *, higher_is_worse: bool = True,
                alpha: float = 0.05, ci_level: float = 0.95, overlap: float = 0.0,
                comparison: str = "länet") -> Light:
    """Is the kommun's survey share (NTU) clearly higher or lower than the län's (or riket's)?

    NTU publishes each share with a 95 % confidence interval and no standard error. The standard
    error of each estimate is recovered from its interval, ``se = (high - low) / (2 × 1,96)``
    (``z`` of ``ci_level``; an asymmetric interval is taken with its average half-width), and the
    difference ``d = share - ref_share`` is tested with

        ``z = d / sqrt(se² + se_ref² - 2 × overlap × se²)``,  two-sided ``p = 2 × (1 - Φ(|z|))``;

    the difference is clear when ``p < alpha``. This is the usual test of two estimates given with
    intervals (Altman & Bland 2003, BMJ 326:219), the same as
    :func:`lagesbild.evaluation.survey_change` for two survey rounds.

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
    comparison : str, default "länet"

    Returns
    -------
    Light
        ``estimate`` is the difference in percentage points, with its interval. "saknas" when a value
        is missing or both intervals have no width.

    Raises
    ------
    ValueError
        A share outside its interval, ``overlap`` outside [0, 1), ``alpha`` or ``ci_level`` outside (0, 1).

    Examples
    --------
    Falun 19 % [15–23] feel unsafe late in the evening, riket 25,0 % [24,6–25,4]:

    >>> light = share_light(19, 15, 23, 25.0, 24.6, 25.4, comparison="riket")
    >>> light.status, round(light.estimate, 1), round(light.p_value, 4)
    ('lägre', -6.0, 0.0034)
    >>> share_light(19, 15, 23, 21.2, 19.3, 23.2).status
    'ingen tydlig skillnad'
    """
    from scipy.stats import norm

    a = _check_alpha(alpha)
    level = _check_alpha(ci_level)
    worse = bool(higher_is_worse)
    if not 0.0 <= float(overlap) < 1.0:
        raise ValueError(f"overlap must be in [0, 1), got {overlap!r}")
    values = (share, ci_low, ci_high, ref_share, ref_ci_low, ref_ci_high)
    if any(_is_missing(v) for v in values[:3]):
        return missing_light(comparison, "Kommunens andel eller dess intervall saknas.", worse, a)
    if any(_is_missing(v) for v in values[3:]):
        return missing_light(comparison, f"Andelen för {comparison} eller dess intervall saknas.", worse, a)
    for m, lo, hi, who in ((share, ci_low, ci_high, "share"), (ref_share, ref_ci_low, ref_ci_high, "ref_share")):
        if not lo <= m <= hi:
            raise ValueError(f"{who} {m!r} is outside its interval {lo!r}–{hi!r}")
    q = float(norm.ppf(0.5 + level / 2.0))
    se, se_ref = (ci_high - ci_low) / (2 * q), (ref_ci_high - ref_ci_low) / (2 * q)
    variance = se**2 + se_ref**2 - 2.0 * float(overlap) * se**2
    if not variance > 0:
        return missing_light(comparison, "Osäkerheten går inte att beräkna (intervall utan bredd).", worse, a)
    d = float(share) - float(ref_share)
    sd = math.sqrt(variance)
    p = float(2.0 * norm.sf(abs(d) / sd))
    half = float(norm.ppf(1.0 - a / 2.0)) * sd
    return Light(_status(p, a, d > 0 if d != 0 else None), worse, comparison, d, d - half, d + half, p, a,
                 "difference", _METHOD_SHARES)


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
        ``indicator, year, count, rate, rate_lan, rate_riket`` and, once the crime-trends notebook
        adds them (:func:`lagesbild.crime.with_comparison_counts`), ``population, count_lan,
        population_lan, count_riket, population_riket``. Without the counts the region's rate is
        the reference (:func:`rate_light`); without ``population`` the kommun's is derived from
        ``count / rate × 100 000`` (rounded rate; the ``note`` says so).
    ntu_latest : pandas.DataFrame, optional
        :func:`lagesbild.ntu.latest` of the kommun (empty or None: no NTU rows).
    alpha : float, default 0.05

    Returns
    -------
    pandas.DataFrame
        One row per indicator, crime first: ``source`` ("Anmälda brott" or "NTU"), ``theme``,
        ``indicator`` (short Swedish label), ``year``, ``value``, ``unit`` ("per 100 000 invånare"
        or "procent"), ``value_lan``, ``value_riket``, ``higher_is_worse``, ``lan`` and ``riket``
        (:class:`Light`), ``status_lan``, ``status_riket``, ``note``.

    Examples
    --------
    >>> crime = [{"indicator": "Bilbrott", "year": 2024, "count": 150, "rate": 250.0, "rate_lan": 226.0,
    ...           "rate_riket": 383.0, "population": 60_000, "count_lan": 648, "population_lan": 287_000,
    ...           "count_riket": 40_508, "population_riket": 10_576_000}]
    >>> t = indicator_table(crime)
    >>> t[["indicator", "status_lan", "status_riket"]].values.tolist()
    [['Bilbrott', 'ingen tydlig skillnad', 'lägre']]
    """
    a = _check_alpha(alpha)
    rows: list[dict] = []
    for rec in crime_indicators or []:
        count, rate = _get(rec, "count"), _get(rec, "rate")
        population, note = _get(rec, "population"), ""
        if population is None and count is not None and rate:
            population = count / rate * 100_000
            note = "Folkmängden är härledd ur antal och Brå:s avrundade takt."
        lights = {}
        for suffix, comparison in (("lan", "länet"), ("riket", "riket")):
            lights[suffix] = rate_light(count, population, ref_count=_get(rec, f"count_{suffix}"),
                                        ref_population=_get(rec, f"population_{suffix}"),
                                        ref_rate=_get(rec, f"rate_{suffix}"), alpha=a, comparison=comparison)
        rows.append({"source": "Anmälda brott", "theme": "Anmälda brott", "indicator": str(rec.get("indicator", "")),
                     "year": rec.get("year"), "value": rate, "unit": RATE_UNIT, "value_lan": _get(rec, "rate_lan"),
                     "value_riket": _get(rec, "rate_riket"), "higher_is_worse": True, "lan": lights["lan"],
                     "riket": lights["riket"], "note": note})
    if ntu_latest is not None:
        for r in ntu_latest.itertuples():
            lights = {suffix: share_light(r.share, r.ci_low, r.ci_high, getattr(r, f"share_{suffix}"),
                                          getattr(r, f"ci_low_{suffix}"), getattr(r, f"ci_high_{suffix}"),
                                          alpha=a, comparison=comparison)
                      for suffix, comparison in (("lan", "länet"), ("riket", "riket"))}
            rows.append({"source": "NTU", "theme": r.theme_label, "indicator": r.label, "year": r.year,
                         "value": r.share, "unit": SHARE_UNIT, "value_lan": r.share_lan,
                         "value_riket": r.share_riket, "higher_is_worse": True, "lan": lights["lan"],
                         "riket": lights["riket"], "note": ""})
    cols = ["source", "theme", "indicator", "year", "value", "unit", "value_lan", "value_riket", "higher_is_worse",
            "lan", "riket", "status_lan", "status_riket", "note"]
    if not rows:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame(rows)
    out["status_lan"] = [light.status for light in out["lan"]]
    out["status_riket"] = [light.status for light in out["riket"]]
    for col in ("value", "value_lan", "value_riket"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    return out[cols]


__all__ = ["BETTER", "COLOURS", "HIGHER", "LOWER", "MISSING", "RATE_UNIT", "SHARE_UNIT", "STATUSES", "SYMBOLS",
           "TEXT_COLOURS", "UNCLEAR", "WORDS", "WORSE", "Light", "indicator_table", "missing_light", "rate_light",
           "share_light"]
