"""Funnel plots (trattdiagram) of crime rates with control limits widened for overdispersion.

Every kommun's rate of reported crimes per 100 000 inhabitants is set against its population,
with 95 % and 99,8 % control limits around a target rate (by default the national rate of the
units themselves, ``sum(counts) / sum(populations)``). Reported crime varies far more between
kommuner than a Poisson model allows, so the limits are widened for that overdispersion with the
method of Spiegelhalter (2005a, 2005b) in the variant of the Care Quality Commission, as in R's
FunnelPlotR (``funnel_plot(..., sr_method = "CQC")``):

1. For unit *i* with observed count ``O`` and expected count ``E = target_rate * population``
   the square-root ratio ``y = sqrt(O / E)`` has standard error ``s = 1 / (2 sqrt(E))`` around
   the target 1, so the Poisson z-score is ``z = (y - 1) / s = 2 (sqrt(O) - sqrt(E))``.
2. The z-scores are winsorised at 10 % in each tail: values below the 10th percentile are
   replaced by the 10th-percentile value and values above the 90th by the 90th-percentile value
   (percentiles interpolated linearly between order statistics, R's default ``quantile`` type 7,
   which is what FunnelPlotR uses).
3. The multiplicative dispersion is ``phi = mean(z_winsorised ** 2)``.
4. The additive between-unit variance on the square-root scale is the DerSimonian–Laird type
   estimate ``tau2 = max(0, (N phi - (N - 1)) / (sum(w) - sum(w ** 2) / sum(w)))`` with
   ``w = 1 / s ** 2 = 4 E``. When ``N phi <= N - 1`` there is no overdispersion and ``tau2 = 0``.
5. Limits for a unit with expected count ``E`` on the square-root scale are
   ``1 ± z_alpha sqrt(phi / (4 E) + tau2)`` with ``phi = 1`` for the additive method and
   ``tau2 = 0`` for the multiplicative one (both neutral for plain Poisson limits). They are
   squared back to the ratio scale (the lower one floored at 0 first) and multiplied by the
   target rate. A unit's overdispersion-adjusted z-score is ``(y - 1) / sqrt(phi s ** 2 + tau2)``
   with two-sided p-value ``2 Phi(-|z|)``; it lies outside the limits at level ``1 - alpha``
   exactly when ``p < alpha``.

Everything here returns numbers, arrays, data frames and small frozen dataclasses; the Swedish
words for a report are written elsewhere (:func:`lagesbild.render.charts.funnel_panels`,
:func:`lagesbild.render.charts.funnel_alt`). SciPy is imported inside the functions, as in
:mod:`lagesbild.stats.counts`.

References
----------
Spiegelhalter, D. J. (2005a). Funnel plots for comparing institutional performance.
*Statistics in Medicine* 24(8), 1185–1202.

Spiegelhalter, D. J. (2005b). Handling over-dispersion of performance indicators.
*Quality and Safety in Health Care* 14(5), 347–351.

DerSimonian, R. & Laird, N. (1986). Meta-analysis in clinical trials. *Controlled Clinical
Trials* 7(3), 177–188.

Mainey, C. et al. FunnelPlotR: funnel plots for comparing institutional performance (R package,
NHS-R Community), ``sr_method = "CQC"``.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from lagesbild.core.fmt import plain
from lagesbild.stats.counts import _as_count, check_alpha

__all__ = [
    "LEVELS",
    "ZONES",
    "Overdispersion",
    "Funnel",
    "Comparison",
    "overdispersion",
    "funnel",
    "ratio_limits",
    "limits",
    "limit_curves",
    "compare",
]

#: The two control-limit levels of a funnel plot: about 1 in 20 and 1 in 500 units outside by chance.
LEVELS: tuple[float, float] = (0.95, 0.998)

#: Zone codes of :attr:`Funnel.units`, from high to low. ``""`` means the unit has no zone (no limits,
#: or it was left out).
ZONES: tuple[str, ...] = ("high_998", "high_95", "inside", "low_95", "low_998")

_METHODS = ("additive", "multiplicative", "none")
#: Winsorising of the first estimate when outliers are trimmed (:func:`overdispersion`): Spiegelhalter's 10 %.
TRIM_START_WINSORISE = 0.1


@dataclass(frozen=True)
class Overdispersion:
    """Overdispersion of counts around their expected values, estimated by :func:`overdispersion`.

    Attributes
    ----------
    n : int
        Number of units the estimate is based on.
    phi : float
        Multiplicative dispersion: the mean of the squared winsorised Poisson z-scores (1 for
        Poisson data without winsorising; about 0,68 with 10 % winsorising, since the extremes
        are pulled in). ``nan`` when it cannot be estimated (fewer than ``min_units`` units, or
        no events at all).
    tau2 : float
        Additive between-unit variance on the square-root scale (DerSimonian–Laird form). 0 when
        there is no overdispersion (``n * phi <= n - 1``); ``nan`` when it cannot be estimated.
    winsorise : float
        Fraction winsorised in each tail of the z-scores.
    method : str
        The adjustment the limits use: ``"additive"`` (``tau2``), ``"multiplicative"`` (``phi``)
        or ``"none"`` (plain Poisson limits, or no limits at all when the target rate is 0).
    overdispersed : bool
        ``n * phi > n - 1``: the counts vary more than Poisson around the target.
    reason : str
        Why ``method`` is ``"none"`` (English, for logs and developers); ``""`` otherwise.
    trimmed : int
        Units left out of the estimate because they lay outside the 99,8 % limits
        (``trim_outliers=True``); they still get a z-score and a zone.

    Examples
    --------
    >>> od = Overdispersion(n=290, phi=12.5, tau2=0.011, winsorise=0.1, method="additive",
    ...                     overdispersed=True, reason="")
    >>> od.tau2_applied, od.phi_applied
    (0.011, 1.0)
    """

    n: int
    phi: float
    tau2: float
    winsorise: float
    method: str
    overdispersed: bool
    reason: str
    trimmed: int = 0

    @property
    def tau2_applied(self) -> float:
        """The ``tau2`` the limits and z-scores use: :attr:`tau2` for the additive method, else 0."""
        return float(self.tau2) if self.method == "additive" else 0.0

    @property
    def phi_applied(self) -> float:
        """The ``phi`` the limits and z-scores use: ``max(phi, 1)`` for the multiplicative method, else 1.

        Limits are never made narrower than Poisson limits.
        """
        return max(float(self.phi), 1.0) if self.method == "multiplicative" else 1.0


@dataclass(frozen=True, eq=False)
class Funnel:
    """A funnel plot's numbers, from :func:`funnel`.

    Attributes
    ----------
    target_rate : float
        The rate the limits are centred on, per :attr:`per` inhabitants (by default the
        national rate of the units: ``per * sum(count) / sum(population)`` of the units used).
    per : float
        Rates are per this many inhabitants (100 000).
    levels : tuple of float
        The two limit levels, :data:`LEVELS` (0,95 and 0,998).
    od : Overdispersion
        The overdispersion estimate and the adjustment the limits use.
    units : pandas.DataFrame
        One row per input unit, in input order, indexed by the unit ids (index name ``"id"``),
        with columns ``count``, ``population``, ``rate`` (per :attr:`per`), ``expected``
        (``target_rate * population / per``), ``z`` (overdispersion-adjusted z-score), ``p``
        (two-sided p-value), ``zone`` (one of :data:`ZONES`, or ``""``) and ``included``
        (False for units left out because their count or population is missing, or their
        population is not positive; their other values are NaN and zone ``""``). When the
        funnel has no limits, ``z`` and ``p`` are NaN and every zone is ``""``.
    excluded : int
        Number of units left out.

    Examples
    --------
    >>> f = funnel([10, 20, 30], [1000, 2000, 3000], ids=["a", "b", "c"])
    >>> f.target_rate, f.has_limits, f.od.method, f.units.loc["b", "zone"]
    (1000.0, True, 'none', 'inside')
    """

    target_rate: float
    per: float
    levels: tuple[float, float]
    od: Overdispersion
    units: pd.DataFrame
    excluded: int

    @property
    def has_limits(self) -> bool:
        """True when the funnel has control limits (the target rate is positive)."""
        return self.target_rate > 0


@dataclass(frozen=True)
class Comparison:
    """One unit's rate compared with a reference rate, from :func:`compare`.

    Attributes
    ----------
    count : int
        Observed count.
    expected : float
        Count expected at the reference rate: ``target_rate * population / per``.
    ratio : float
        ``count / expected``; ``nan`` when the reference rate is 0.
    z : float
        z-score of the square-root ratio, with the between-unit variance added:
        ``(sqrt(ratio) - 1) / sqrt(phi / (4 expected) + tau2)``; ``nan`` when the reference rate is 0.
    p_value : float
        Two-sided p-value ``2 Phi(-|z|)``; ``nan`` when the reference rate is 0.
    alpha : float
        Significance level.
    direction : str
        ``"higher"`` or ``"lower"`` when ``p_value < alpha``, else ``"unclear"``.
    reason : str
        Why there is no test (English), ``""`` when there is one.

    Examples
    --------
    >>> c = Comparison(144, 100.0, 1.44, 4.0, 6.3e-5, 0.05, "higher", "")
    >>> c.direction
    'higher'
    """

    count: int
    expected: float
    ratio: float
    z: float
    p_value: float
    alpha: float
    direction: str
    reason: str


# --- validation helpers ----------------------------------------------------------------------


def _float_vector(values: object, name: str) -> np.ndarray:
    """A 1-d float array; missing values (``None``, ``pd.NA``, NaN) become NaN."""
    try:
        if isinstance(values, (pd.Series, pd.Index)):
            arr = values.to_numpy(dtype=float, na_value=np.nan)
        else:
            try:
                arr = np.asarray(values, dtype=float)
            except TypeError:  # pd.NA among plain values; anything else fails again below
                arr = np.asarray([np.nan if v is pd.NA else v for v in values], dtype=float)  # type: ignore[union-attr]
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a sequence of numbers: {exc}") from exc
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}.")
    return arr


def _check_counts(counts: np.ndarray, name: str = "counts") -> None:
    """Raise unless every non-missing count is a non-negative whole number."""
    present = counts[~np.isnan(counts)]
    bad = present[~np.isfinite(present) | (present < 0) | (present != np.round(present))]
    if bad.size:
        raise ValueError(f"{name} must be non-negative whole numbers, got {plain(bad[:5].tolist())}.")


def _check_level(level: float) -> float:
    if isinstance(level, bool) or not isinstance(level, numbers.Real) or not 0.0 < float(level) < 1.0:
        raise ValueError(f"level must be a number strictly between 0 and 1 (e.g. 0.95), got {plain(level)}.")
    return float(level)


def _check_positive(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not (
        math.isfinite(float(value)) and float(value) > 0
    ):
        raise ValueError(f"{name} must be a positive number, got {plain(value)}.")
    return float(value)


def _check_scale(tau2: float, phi: float) -> tuple[float, float]:
    if isinstance(tau2, bool) or not isinstance(tau2, numbers.Real) or not (
        math.isfinite(float(tau2)) and float(tau2) >= 0
    ):
        raise ValueError(
            f"tau2 must be a finite number >= 0, got {plain(tau2)} (use Overdispersion.tau2_applied, "
            "which is 0 when tau2 could not be estimated)."
        )
    if isinstance(phi, bool) or not isinstance(phi, numbers.Real) or not (
        math.isfinite(float(phi)) and float(phi) > 0
    ):
        raise ValueError(f"phi must be a finite positive number, got {plain(phi)} (use Overdispersion.phi_applied).")
    return float(tau2), float(phi)


def _check_winsorise(winsorise: float) -> float:
    if isinstance(winsorise, bool) or not isinstance(winsorise, numbers.Real) or not 0.0 <= winsorise < 0.5:
        raise ValueError(f"winsorise must be a fraction in [0, 0.5), got {plain(winsorise)}.")
    return float(winsorise)


def _z_alpha(level: float) -> float:
    from scipy.stats import norm

    return float(norm.ppf(1.0 - (1.0 - level) / 2.0))


def _two_sided_p(z: np.ndarray) -> np.ndarray:
    from scipy.stats import norm

    return 2.0 * norm.sf(np.abs(z))


# --- public functions ------------------------------------------------------------------------


def overdispersion(
    observed: ArrayLike,
    expected: ArrayLike,
    *,
    method: str = "additive",
    winsorise: float = 0.1,
    min_units: int = 10,
    trim_outliers: bool = False,
) -> Overdispersion:
    """Estimate the overdispersion of counts around their expected values (Spiegelhalter 2005).

    Poisson z-scores of the square-root ratio, ``z = 2 (sqrt(O) - sqrt(E))``, are winsorised at
    ``winsorise`` in each tail (values beyond the percentile replaced by the percentile, linear
    interpolation as R's ``quantile``); ``phi`` is the mean of their squares and
    ``tau2 = max(0, (N phi - (N - 1)) / (sum(w) - sum(w^2) / sum(w)))`` with ``w = 4 E``.

    Parameters
    ----------
    observed : array-like of int
        Observed counts (non-negative whole numbers).
    expected : array-like of float
        Expected counts under the target (positive), same length.
    method : {"additive", "multiplicative", "none"}, default "additive"
        The adjustment wanted. The result's ``method`` is this one when the counts are
        overdispersed and there are enough units, else ``"none"`` (and ``reason`` says why).
    winsorise : float, default 0.1
        Fraction winsorised in each tail, in [0, 0.5).
    min_units : int, default 10
        With fewer units ``phi`` and ``tau2`` are not estimated (NaN, method ``"none"``).
    trim_outliers : bool, default False
        Start from the 10 % winsorised estimate (:data:`TRIM_START_WINSORISE`), leave out the
        units outside its 99,8 % limits, estimate again (with ``winsorise``) from the units kept,
        and repeat until no unit moves in or out (at most 50 rounds). A few extreme units (a city
        whose vandalism is counted per bus) then no longer widen every unit's limits; use it
        with ``winsorise=0``, the plain DerSimonian–Laird estimate, which winsorising biases
        downwards when unit sizes differ a lot (see :func:`funnel`).

    Returns
    -------
    Overdispersion

    Raises
    ------
    ValueError
        Counts that are missing, negative or not whole numbers; expected counts that are not
        positive finite numbers; sequences of different lengths; an unknown ``method``;
        ``winsorise`` outside [0, 0.5); ``min_units`` below 2.

    Examples
    --------
    Ten units with 100 expected events each. The z-scores 2 (sqrt(O) - 10) sorted are −12, −6,
    −4, −2, 0, 0, 2, 4, 6, 8; the 10th and 90th percentiles are −12 + 0,9 · 6 = −6,6 and
    6 + 0,1 · 2 = 6,2, so phi = (6,6² + 6² + 4² + 2² + 2² + 4² + 6² + 6,2²) / 10 = 19,4 and
    tau2 = (10 · 19,4 − 9) / (4 000 − 400) = 185 / 3 600:

    >>> od = overdispersion([100, 144, 64, 121, 81, 169, 49, 196, 16, 100], [100.0] * 10)
    >>> round(od.phi, 4), round(od.tau2, 6), od.method, od.overdispersed
    (19.4, 0.051389, 'additive', True)

    Counts exactly as expected: no overdispersion.

    >>> overdispersion([100] * 12, [100.0] * 12).method
    'none'

    One extreme unit among ten that vary little (z-scores 0, ±4, ±4, ±2, ±2 and 40). Without
    winsorising it alone sets ``tau2`` = (1 680 − 9) / (4 000 − 400) = 0,4642, wide enough to keep
    itself inside the 99,8 % limits; trimmed, the estimate comes from the other nine: phi = 80 / 9,
    tau2 = (80 − 8) / (3 600 − 400) = 0,0225:

    >>> counts, expected = [100, 144, 64, 144, 64, 121, 81, 121, 81, 900], [100.0] * 10
    >>> round(overdispersion(counts, expected, winsorise=0).tau2, 4)
    0.4642
    >>> od = overdispersion(counts, expected, winsorise=0, trim_outliers=True, min_units=5)
    >>> round(od.tau2, 4), od.n, od.trimmed
    (0.0225, 9, 1)
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, _METHODS))}, got {plain(method)}.")
    w_frac = _check_winsorise(winsorise)
    if isinstance(min_units, bool) or not isinstance(min_units, numbers.Integral) or min_units < 2:
        raise ValueError(f"min_units must be a whole number >= 2, got {plain(min_units)}.")
    obs = _float_vector(observed, "observed")
    exp = _float_vector(expected, "expected")
    if obs.size != exp.size:
        raise ValueError(f"observed and expected must have the same length, got {obs.size} and {exp.size}.")
    if np.isnan(obs).any():
        raise ValueError("observed has missing counts; leave those units out first.")
    _check_counts(obs, "observed")
    if not np.all(np.isfinite(exp)) or np.any(exp <= 0):
        raise ValueError(f"expected must be positive finite numbers, got {plain(exp[~(exp > 0)][:5].tolist())}.")

    n = int(obs.size)
    if n < min_units:
        return Overdispersion(
            n=n, phi=math.nan, tau2=math.nan, winsorise=w_frac, method="none", overdispersed=False,
            reason=f"too few units to estimate overdispersion: {n} < min_units = {min_units}",
        )
    keep = np.ones(n, dtype=bool)
    for round_ in range(50 if trim_outliers else 1):
        # trimming starts from the winsorised estimate, so that an extreme unit cannot widen the
        # limits enough to keep itself inside them; later rounds use ``winsorise`` on the units kept
        start = trim_outliers and round_ == 0
        n, phi, tau2, overdispersed = _estimate(obs[keep], exp[keep], TRIM_START_WINSORISE if start else w_frac)
        if not trim_outliers or n < min_units:
            break
        scale = (1.0 / (4.0 * exp) + tau2) if method == "additive" else max(phi, 1.0) / (4.0 * exp)
        inside = np.abs((np.sqrt(obs / exp) - 1.0) / np.sqrt(scale)) <= _z_alpha(LEVELS[1])
        if (inside == keep).all() and not start:
            break
        keep = inside
    if n < min_units:
        return Overdispersion(
            n=n, phi=math.nan, tau2=math.nan, winsorise=w_frac, method="none", overdispersed=False,
            reason=f"too few units inside the 99.8 % limits to estimate overdispersion: {n} < min_units = {min_units}",
            trimmed=int((~keep).sum()),
        )
    if method == "none":
        used, reason = "none", "no adjustment requested (method='none')"
    elif not overdispersed:
        used, reason = "none", f"no overdispersion: N*phi = {n * phi:.4g} <= N - 1 = {n - 1}"
    else:
        used, reason = method, ""
    return Overdispersion(
        n=n, phi=phi, tau2=float(tau2), winsorise=w_frac, method=used, overdispersed=bool(overdispersed),
        reason=reason, trimmed=int((~keep).sum()),
    )


def _estimate(obs: np.ndarray, exp: np.ndarray, w_frac: float) -> tuple[int, float, float, bool]:
    """phi (mean squared winsorised z-score) and the DerSimonian–Laird type tau2 of some units."""
    n = int(obs.size)
    z = 2.0 * (np.sqrt(obs) - np.sqrt(exp))
    low, high = np.quantile(z, [w_frac, 1.0 - w_frac])
    phi = float(np.mean(np.clip(z, low, high) ** 2))
    w = 4.0 * exp
    denominator = float(w.sum() - (w**2).sum() / w.sum())  # > 0 for n >= 2 positive weights
    overdispersed = n * phi > n - 1
    tau2 = max(0.0, (n * phi - (n - 1)) / denominator) if overdispersed else 0.0
    return n, phi, float(tau2), bool(overdispersed)


def funnel(
    counts: ArrayLike,
    populations: ArrayLike,
    ids: ArrayLike | None = None,
    *,
    target_rate: float | None = None,
    method: str = "additive",
    winsorise: float = 0.1,
    per: float = 100_000,
    min_units: int = 10,
    trim_outliers: bool = False,
) -> Funnel:
    """Funnel plot numbers: each unit's rate, overdispersion-adjusted z-score and zone.

    Parameters
    ----------
    counts : array-like of int
        Observed counts per unit (non-negative whole numbers; NaN/None = missing). A pandas
        Series gives its index as the default ids.
    populations : array-like of float
        Population per unit, same length. Units whose count or population is missing, or whose
        population is 0 or negative, are left out (and counted in :attr:`Funnel.excluded`).
    ids : array-like, optional
        Unit ids (e.g. kommun codes), unique. Default: the index of ``counts`` if it is a pandas
        Series, else 0, 1, 2, ...
    target_rate : float, optional
        Rate per ``per`` inhabitants to centre the limits on. Default: the units' own overall
        rate, ``per * sum(count) / sum(population)`` over the units used.
    method : {"additive", "multiplicative", "none"}, default "additive"
        How the limits are widened for overdispersion: the additive random-effects ``tau2``
        (recommended), the multiplicative ``phi``, or not at all.
    winsorise : float, default 0.1
        Fraction of z-scores winsorised in each tail before estimating the overdispersion.
    per : float, default 100 000
        Rates are per this many inhabitants.
    min_units : int, default 10
        With fewer units used, overdispersion is not estimated: plain Poisson limits, method
        ``"none"`` and a ``reason``.
    trim_outliers : bool, default False
        Estimate the overdispersion without the units outside the 99,8 % limits, repeatedly
        (:func:`overdispersion`); every unit still gets its z-score and zone.

    Returns
    -------
    Funnel
        When the target rate is 0 (no events anywhere, or ``target_rate=0``) there are no
        limits: ``has_limits`` is False, ``od.method`` is ``"none"`` with a ``reason``, ``z`` and
        ``p`` are NaN and every zone is ``""``.

    Raises
    ------
    ValueError
        Counts that are negative, fractional or infinite; sequences of different lengths;
        duplicate ids; a negative or non-finite ``target_rate``; no unit left to use; invalid
        ``method``, ``winsorise``, ``per`` or ``min_units``.

    Notes
    -----
    Two properties of the method to keep in mind when reading the result:

    * Winsorising pulls in the largest z-scores, and when kommuner really differ those belong
      mostly to the large kommuner, which carry most of the information about ``tau2``. For
      Poisson data the winsorised ``phi`` is about 0,68 instead of 1, and with populations
      spread like Sweden's (2 500–1 000 000) the 10 % winsorised ``tau2`` comes out at roughly
      half the true between-kommun variance, so somewhat more than 5 % of kommuner fall outside
      the 95 % limits by chance (about 15 % in simulations from the additive model itself).
      ``winsorise=0`` gives the plain DerSimonian–Laird estimate without that bias, but then a
      few extreme kommuner widen everyone's limits. The default follows Spiegelhalter and the CQC.
    * The normal approximation on the square-root scale is rough for small expected counts:
      a kommun with 0 events falls below the 95 % Poisson limit as soon as ``E > 0,96``, while
      an exact Poisson test needs ``E > 3,7``. Zones of kommuner with a handful of expected
      events (rare categories, small kommuner) should be read with that in mind.

    Examples
    --------
    Ten kommuner of 10 000 inhabitants, target 1 000 per 100 000 (100 expected events each; the
    counts of the :func:`overdispersion` example). Kommun "i" has 16 events: its square-root ratio
    0,4 is (0,4 − 1) / sqrt(1/400 + 185/3 600) = −2,58 standard errors from 1, outside the 95 %
    limits but not the 99,8 % ones:

    >>> counts = [100, 144, 64, 121, 81, 169, 49, 196, 16, 100]
    >>> f = funnel(counts, [10_000] * 10, ids=list("abcdefghij"), target_rate=1000)
    >>> round(f.od.tau2, 6), round(float(f.units.loc["i", "z"]), 2), f.units.loc["i", "zone"]
    (0.051389, -2.58, 'low_95')

    A missing population and a kommun of 0 inhabitants are left out:

    >>> f = funnel([5, 7, 3], [1000, None, 0])
    >>> f.excluded, f.units["included"].tolist()
    (2, [True, False, False])
    """
    if method not in _METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, _METHODS))}, got {plain(method)}.")
    per = _check_positive(per, "per")
    cnt = _float_vector(counts, "counts")
    pop = _float_vector(populations, "populations")
    if cnt.size != pop.size:
        raise ValueError(f"counts and populations must have the same length, got {cnt.size} and {pop.size}.")
    if isinstance(counts, pd.Series) and isinstance(populations, pd.Series) and not counts.index.equals(
        populations.index
    ):
        raise ValueError("counts and populations are Series with different indexes; align them first.")
    _check_counts(cnt)
    if ids is None:
        index = counts.index if isinstance(counts, pd.Series) else pd.RangeIndex(cnt.size)
    else:
        index = pd.Index(list(ids) if not isinstance(ids, pd.Index) else ids)
        if index.size != cnt.size:
            raise ValueError(f"ids must have the same length as counts, got {index.size} and {cnt.size}.")
    if index.has_duplicates:
        raise ValueError(f"ids must be unique, got duplicates {plain(index[index.duplicated()].unique().tolist()[:5])}.")
    index = index.rename("id")

    used = ~np.isnan(cnt) & np.isfinite(pop) & (pop > 0)
    if not used.any():
        raise ValueError(
            "no unit has both a count and a positive population; a funnel plot needs at least one."
        )
    o, p_used = cnt[used], pop[used]
    if target_rate is None:
        theta = per * float(o.sum()) / float(p_used.sum())
    else:
        if isinstance(target_rate, bool) or not isinstance(target_rate, numbers.Real) or not (
            math.isfinite(float(target_rate)) and float(target_rate) >= 0
        ):
            raise ValueError(f"target_rate must be a finite number >= 0 (per {per:g}), got {plain(target_rate)}.")
        theta = float(target_rate)

    n_used = int(used.sum())
    expected = theta * p_used / per
    z = np.full(n_used, np.nan)
    p = np.full(n_used, np.nan)
    zone = np.full(n_used, "", dtype=object)
    if theta > 0:
        od = overdispersion(o, expected, method=method, winsorise=winsorise, min_units=min_units,
                            trim_outliers=trim_outliers)
        z = (np.sqrt(o / expected) - 1.0) / np.sqrt(od.phi_applied / (4.0 * expected) + od.tau2_applied)
        p = _two_sided_p(z)
        zone = _zones(z, p)
    else:
        _check_winsorise(winsorise)
        od = Overdispersion(
            n=n_used, phi=math.nan, tau2=math.nan, winsorise=float(winsorise), method="none",
            overdispersed=False, reason="target rate is 0 (no events): no control limits",
        )

    units = pd.DataFrame(
        {
            "count": cnt,
            "population": np.where(used, pop, np.nan),
            "rate": np.nan,
            "expected": np.nan,
            "z": np.nan,
            "p": np.nan,
            "zone": "",
            "included": used,
        },
        index=index,
    )
    units.loc[used, "rate"] = per * o / p_used
    units.loc[used, "expected"] = expected
    units.loc[used, "z"] = z
    units.loc[used, "p"] = p
    units.loc[used, "zone"] = zone
    units["zone"] = units["zone"].astype(object)
    return Funnel(
        target_rate=theta, per=per, levels=LEVELS, od=od, units=units, excluded=int((~used).sum())
    )


def _zones(z: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Zone code per unit from its adjusted z-score and p-value (the p-value rule of the limits)."""
    outer, inner = 1.0 - LEVELS[1], 1.0 - LEVELS[0]
    high = z > 0
    return np.select(
        [(p < outer) & high, (p < inner) & high, (p < outer) & ~high, (p < inner) & ~high],
        ["high_998", "high_95", "low_998", "low_95"],
        default="inside",
    ).astype(object)


def ratio_limits(
    expected: ArrayLike, level: float = 0.95, *, tau2: float = 0.0, phi: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Control limits for the ratio observed / expected, for units with the given expected counts.

    ``(max(0, 1 - z) ** 2, (1 + z) ** 2)`` with ``z = z_alpha sqrt(phi / (4 E) + tau2)``: plain
    Poisson limits on the square-root scale with ``tau2 = 0, phi = 1``, additive random-effects
    limits with ``tau2 > 0``, multiplicative ones with ``phi > 1``.

    Parameters
    ----------
    expected : array-like of float
        Expected counts (positive).
    level : float, default 0.95
        Limit level, e.g. 0.95 or 0.998.
    tau2 : float, default 0
        Additive between-unit variance on the square-root scale (:attr:`Overdispersion.tau2_applied`).
    phi : float, default 1
        Multiplicative dispersion (:attr:`Overdispersion.phi_applied`).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Lower and upper limit of the ratio; the lower limit is never below 0.

    Raises
    ------
    ValueError
        An expected count that is not a positive finite number; ``level`` outside (0, 1);
        ``tau2`` negative or not finite; ``phi`` not a positive finite number.

    Examples
    --------
    With 100 expected events the Poisson 95 % limits are (1 ∓ 1.96 / 20) squared:

    >>> low, high = ratio_limits([100.0], 0.95)
    >>> round(float(low[0]), 4), round(float(high[0]), 4)
    (0.8136, 1.2056)
    """
    lev = _check_level(level)
    t2, ph = _check_scale(tau2, phi)
    e = _float_vector(np.atleast_1d(np.asarray(expected)), "expected")
    if not np.all(np.isfinite(e)) or np.any(e <= 0):
        raise ValueError(f"expected must be positive finite numbers, got {plain(e[~(e > 0)][:5].tolist())}.")
    half = _z_alpha(lev) * np.sqrt(ph / (4.0 * e) + t2)
    return np.maximum(0.0, 1.0 - half) ** 2, (1.0 + half) ** 2


def limits(f: Funnel, populations: ArrayLike, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """A funnel's control limits on the rate scale (per :attr:`Funnel.per`) at the given populations.

    Parameters
    ----------
    f : Funnel
        From :func:`funnel`; its overdispersion adjustment is used.
    populations : array-like of float
        Populations (positive) to compute the limits at.
    level : float, default 0.95
        Limit level, e.g. 0.95 or 0.998.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Lower and upper limit of the rate per ``f.per`` inhabitants.

    Raises
    ------
    ValueError
        The funnel has no limits (its target rate is 0; check :attr:`Funnel.has_limits`), a
        population that is not a positive finite number, ``level`` outside (0, 1).

    Examples
    --------
    >>> f = funnel([100] * 10, [10_000] * 10)   # 1 000 per 100 000, no overdispersion
    >>> low, high = limits(f, [10_000], 0.95)
    >>> round(float(low[0]), 1), round(float(high[0]), 1)
    (813.6, 1205.6)
    """
    if not f.has_limits:
        raise ValueError(f"this funnel has no control limits: {f.od.reason}.")
    pop = _float_vector(np.atleast_1d(np.asarray(populations)), "populations")
    if not np.all(np.isfinite(pop)) or np.any(pop <= 0):
        raise ValueError(f"populations must be positive finite numbers, got {plain(pop[~(pop > 0)][:5].tolist())}.")
    low, high = ratio_limits(
        f.target_rate * pop / f.per, level, tau2=f.od.tau2_applied, phi=f.od.phi_applied
    )
    return low * f.target_rate, high * f.target_rate


def limit_curves(f: Funnel, n_points: int = 200) -> pd.DataFrame:
    """The funnel's limit curves over a log-spaced population grid, for drawing.

    Parameters
    ----------
    f : Funnel
        From :func:`funnel`, with limits.
    n_points : int, default 200
        Number of grid points (at least 2), from the smallest to the largest population of the
        units used.

    Returns
    -------
    pandas.DataFrame
        Columns ``population``, ``low_95``, ``high_95``, ``low_998``, ``high_998`` (rates per
        ``f.per``), one row per grid point.

    Raises
    ------
    ValueError
        The funnel has no limits, or ``n_points`` < 2.

    Examples
    --------
    >>> f = funnel([10, 100, 1000] * 4, [1_000, 10_000, 100_000] * 4)
    >>> c = limit_curves(f, n_points=3)
    >>> c["population"].round().tolist(), list(c.columns)
    ([1000.0, 10000.0, 100000.0], ['population', 'low_95', 'high_95', 'low_998', 'high_998'])
    """
    if isinstance(n_points, bool) or not isinstance(n_points, numbers.Integral) or n_points < 2:
        raise ValueError(f"n_points must be a whole number >= 2, got {plain(n_points)}.")
    if not f.has_limits:
        raise ValueError(f"this funnel has no control limits: {f.od.reason}.")
    pop = f.units.loc[f.units["included"], "population"].to_numpy(dtype=float)
    grid = np.geomspace(pop.min(), pop.max(), int(n_points))
    out = {"population": grid}
    for level, tag in zip(f.levels, ("95", "998"), strict=True):
        out[f"low_{tag}"], out[f"high_{tag}"] = limits(f, grid, level)
    return pd.DataFrame(out)


def compare(
    count: int,
    population: float,
    target_rate: float,
    *,
    tau2: float = 0.0,
    phi: float = 1.0,
    alpha: float = 0.05,
    per: float = 100_000,
) -> Comparison:
    """Compare one unit's count with a reference rate, allowing for between-unit variation.

    The test of the funnel plot for a single unit: ``z = (sqrt(O / E) - 1) / sqrt(phi / (4 E) + tau2)``
    with ``E = target_rate * population / per``. Use the ``tau2`` estimated from all kommuner
    (:attr:`Overdispersion.tau2_applied`) to ask whether a kommun differs from, say, its län by
    more than kommuner usually differ; with ``tau2 = 0, phi = 1`` it is a plain Poisson test on
    the square-root scale.

    Parameters
    ----------
    count : int
        Observed count (non-negative whole number).
    population : float
        The unit's population (positive).
    target_rate : float
        Reference rate per ``per`` inhabitants (>= 0).
    tau2 : float, default 0
        Additive between-unit variance on the square-root scale.
    phi : float, default 1
        Multiplicative dispersion (use ``tau2`` or ``phi``, not both).
    alpha : float, default 0.05
        Significance level.
    per : float, default 100 000
        ``target_rate`` is per this many inhabitants.

    Returns
    -------
    Comparison
        A reference rate of 0 gives no test: ratio, z and p are NaN, direction ``"unclear"``
        and ``reason`` says why.

    Raises
    ------
    ValueError
        A count that is negative or fractional, a population that is not positive, a negative
        or non-finite ``target_rate``, an invalid ``tau2``, ``phi``, ``alpha`` or ``per``.

    Examples
    --------
    144 events where 100 were expected: z = 2 (12 - 10) = 4 without overdispersion,
    but 0,2 / sqrt(0,0025 + 0,04) = 0,97 when kommuner vary with tau2 = 0,04.

    >>> c = compare(144, 10_000, 1000)
    >>> c.ratio, round(c.z, 6), c.direction
    (1.44, 4.0, 'higher')
    >>> c = compare(144, 10_000, 1000, tau2=0.04)
    >>> round(c.z, 3), c.direction
    (0.97, 'unclear')
    """
    o = _as_count(count, "count")
    pop = _check_positive(population, "population")
    t2, ph = _check_scale(tau2, phi)
    a = check_alpha(alpha)
    per_ = _check_positive(per, "per")
    if isinstance(target_rate, bool) or not isinstance(target_rate, numbers.Real) or not (
        math.isfinite(float(target_rate)) and float(target_rate) >= 0
    ):
        raise ValueError(f"target_rate must be a finite number >= 0, got {plain(target_rate)}.")
    e = float(target_rate) * pop / per_
    if e <= 0:
        return Comparison(o, e, math.nan, math.nan, math.nan, a, "unclear",
                          "reference rate is 0: nothing to compare with")
    ratio = o / e
    z = (math.sqrt(ratio) - 1.0) / math.sqrt(ph / (4.0 * e) + t2)
    p = float(_two_sided_p(np.asarray(z)))
    direction = ("higher" if z > 0 else "lower") if p < a else "unclear"
    return Comparison(o, e, float(ratio), float(z), p, a, direction, "")
