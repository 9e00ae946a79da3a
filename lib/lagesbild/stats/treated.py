"""The treated area alone: its change without a control area, and whether its before period was a peak.

Part of the before/after evaluation of a place-based safety project (the comparisons with control
areas, WDD and WDQ, are in :mod:`lagesbild.stats.effects`).

* :func:`treated_only` — when there is no control area: the Poisson E-test of the treated
  area's counts (:func:`lagesbild.stats.counts.poisson_change`).
* :func:`regression_to_mean` — a heuristic warning that the before period was chosen at a peak.

Results are frozen dataclasses of numbers and codes, never Swedish: the report's words and sentences
are in :mod:`lagesbild.projects.text`. SciPy is imported inside the functions, so
``import lagesbild.stats.treated`` stays fast.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lagesbild.core.fmt import plain
from lagesbild.stats.counts import ChangeTest, poisson_change
from lagesbild.stats.effects import _positive

if TYPE_CHECKING:
    import pandas as pd

#: The before-period mean must exceed the mean of the earlier periods by more than this many
#: Poisson standard deviations (``sqrt`` of the earlier mean) for :func:`regression_to_mean`
#: to warn.
RTM_THRESHOLD_SD = 1.5


# --- treated area only -----------------------------------------------------------------------


@dataclass(frozen=True)
class TreatedOnlyResult:
    """Result of :func:`treated_only`: the treated area's own change, without a control.

    Attributes
    ----------
    count_before, count_after : int
        Counts in the before and after period.
    years_before, years_after : float
        Lengths of the periods (the exposures of the E-test).
    rate_before, rate_after : float
        Counts per year.
    rate_ratio : float
        ``rate_after / rate_before`` (``inf`` when only the before count is 0, ``nan`` for 0 → 0).
    change_pct : float
        ``100 * (rate_ratio - 1)``: negative = a decrease.
    ci_low, ci_high : float
        Exact confidence interval of the rate ratio (see :class:`lagesbild.stats.counts.ChangeTest`).
    p_value : float
        Two-sided p-value of the Poisson E-test.
    alpha : float
        Significance level.
    detectable : bool
        ``p_value < alpha``.
    too_few : bool
        Fewer than 10 events in total: say nothing about the change.
    reading : str
        ``"too_few"``, ``"decrease"`` (detectable decrease), ``"increase"`` (detectable increase)
        or ``"no_detectable_change"``.
    test : ChangeTest
        The full result of :func:`lagesbild.stats.counts.poisson_change`.
    """

    count_before: int
    count_after: int
    years_before: float
    years_after: float
    rate_before: float
    rate_after: float
    rate_ratio: float
    change_pct: float
    ci_low: float
    ci_high: float
    p_value: float
    alpha: float
    detectable: bool
    too_few: bool
    reading: str
    test: ChangeTest


def treated_only(
    before: int, after: int, alpha: float = 0.05, *, years_before: float = 1, years_after: float = 1
) -> TreatedOnlyResult:
    """Change in the treated area alone: the Poisson E-test of the before and after counts.

    Without a control area the change cannot be separated from the general trend (the whole
    kommun may have fallen), nor from regression to the mean (see :func:`regression_to_mean`);
    say so when reporting it. The test is :func:`lagesbild.stats.counts.poisson_change` with the period
    lengths as exposures.

    Parameters
    ----------
    before, after : int
        Counts in the treated area before and after the intervention.
    alpha : float, default 0.05
        Significance level.
    years_before, years_after : float, default 1
        Lengths of the two periods (any unit, as long as both use it), e.g. 2 and 1 for two years
        before and one after.

    Returns
    -------
    TreatedOnlyResult
        ``reading`` is ``"too_few"`` with fewer than 10 events in total, whatever the p-value.

    Raises
    ------
    ValueError
        As :func:`lagesbild.stats.counts.poisson_change`.

    Examples
    --------
    >>> r = treated_only(40, 10, years_before=2, years_after=1)
    >>> r.rate_before, r.rate_after, r.change_pct, r.reading
    (20.0, 10.0, -50.0, 'decrease')
    >>> treated_only(4, 1).reading
    'too_few'
    """
    t = poisson_change(before, after, exposure_before=years_before, exposure_after=years_after, alpha=alpha)
    if t.too_few:
        reading = "too_few"
    elif not t.detectable:
        reading = "no_detectable_change"
    else:
        reading = "decrease" if t.rate_ratio < 1 else "increase"
    return TreatedOnlyResult(
        count_before=t.count_before,
        count_after=t.count_after,
        years_before=t.exposure_before,
        years_after=t.exposure_after,
        rate_before=t.count_before / t.exposure_before,
        rate_after=t.count_after / t.exposure_after,
        rate_ratio=t.rate_ratio,
        change_pct=100.0 * (t.rate_ratio - 1.0),
        ci_low=t.ci_low,
        ci_high=t.ci_high,
        p_value=t.p_value,
        alpha=t.alpha,
        detectable=t.detectable,
        too_few=t.too_few,
        reading=reading,
        test=t,
    )


# --- regression to the mean ------------------------------------------------------------------


@dataclass(frozen=True)
class RegressionToMeanCheck:
    """Result of :func:`regression_to_mean` (a heuristic, not a test).

    Attributes
    ----------
    before_periods : int
        Number of periods in the before period (the last entries of the history).
    earlier_periods : int
        Number of periods before that.
    before_mean : float
        Mean count per period in the before period.
    earlier_mean : float
        Mean count per period in the earlier periods.
    earlier_sd : float
        ``sqrt(earlier_mean)``: the Poisson standard deviation of one period's count.
    excess_sd : float
        ``(before_mean - earlier_mean) / earlier_sd``; ``inf`` when the earlier mean is 0 and the
        before mean is not, 0 when both are 0.
    earlier_max_mean : float
        The highest mean of any run of ``before_periods`` consecutive earlier periods (of all
        earlier periods when there are fewer).
    above_threshold : bool
        ``excess_sd > threshold_sd``.
    highest : bool
        The before period is higher than every earlier run of the same length
        (``before_mean > earlier_max_mean``).
    warning : bool
        ``above_threshold or highest``: the before period may have been chosen at a peak, and part
        of a later decrease may be regression to the mean.
    threshold_sd : float
        The threshold used (default :data:`RTM_THRESHOLD_SD`).
    """

    before_periods: int
    earlier_periods: int
    before_mean: float
    earlier_mean: float
    earlier_sd: float
    excess_sd: float
    earlier_max_mean: float
    above_threshold: bool
    highest: bool
    warning: bool
    threshold_sd: float


def regression_to_mean(
    history: pd.Series, before_periods: int, *, threshold_sd: float = RTM_THRESHOLD_SD
) -> RegressionToMeanCheck:
    """Warn when the before period looks chosen at a peak (risk of regression to the mean).

    Places are often picked for an intervention because they just had an unusually bad period;
    the next period then tends to be better anyway. This **heuristic** (not a statistical test)
    compares the before period with the periods before it and warns when

    * the before-period mean exceeds the mean of the earlier periods by more than ``threshold_sd``
      (default 1,5) Poisson standard deviations of one period's count, ``sqrt(earlier mean)``, or
    * the before period is the highest in the series: its mean is above the mean of every earlier
      run of the same number of consecutive periods.

    Parameters
    ----------
    history : pandas.Series
        Count per period (e.g. per month or quarter), in time order; the last ``before_periods``
        entries are the before period. A DatetimeIndex or PeriodIndex must be increasing.
    before_periods : int
        Number of periods in the before period (at least 1, fewer than ``len(history)``).
    threshold_sd : float, default :data:`RTM_THRESHOLD_SD`
        Threshold in Poisson standard deviations.

    Returns
    -------
    RegressionToMeanCheck

    Raises
    ------
    ValueError
        ``before_periods`` not a whole number from 1 to ``len(history) - 1``, values that are
        missing, negative or not finite, a time index that is not increasing, a threshold that is
        not positive.

    Notes
    -----
    A heuristic: crime counts usually vary more than Poisson (overdispersion), so a warning means
    "look at the series", not "the effect is an artefact". With only a few earlier periods the
    comparison is weak. A control area (:func:`lagesbild.stats.effects.wdd`) protects against regression to
    the mean only if the control was chosen the same way (also at a peak).

    Examples
    --------
    >>> import pandas as pd
    >>> c = regression_to_mean(pd.Series([10, 9, 11, 10, 19]), before_periods=1)
    >>> c.earlier_mean, round(c.excess_sd, 2), c.highest, c.warning
    (10.0, 2.85, True, True)
    >>> regression_to_mean(pd.Series([10, 14, 8, 10, 11]), before_periods=1).warning
    False
    """
    import numpy as np
    import pandas as pd

    thr = _positive(threshold_sd, "threshold_sd")
    s = history if isinstance(history, pd.Series) else pd.Series(history)
    if isinstance(before_periods, bool) or not isinstance(before_periods, numbers.Integral):
        raise ValueError(f"before_periods must be a whole number, got {plain(before_periods)}.")
    k = int(before_periods)
    n = len(s)
    if not 1 <= k < n:
        raise ValueError(
            f"before_periods must be from 1 to len(history) - 1 = {n - 1} (the history needs earlier "
            f"periods to compare with), got {k}."
        )
    if isinstance(s.index, pd.DatetimeIndex | pd.PeriodIndex) and not s.index.is_monotonic_increasing:
        raise ValueError("history's time index must be increasing (oldest period first); sort it first.")
    try:
        values = np.asarray(pd.to_numeric(s, errors="raise"), dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"history must hold numbers (counts per period): {exc}") from exc
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError(
            "history must hold non-negative counts for every period (no missing values); "
            f"got {plain(values.tolist())}."
        )
    earlier, before = values[:-k], values[-k:]
    before_mean = float(before.mean())
    earlier_mean = float(earlier.mean())
    sd = math.sqrt(earlier_mean)
    diff = before_mean - earlier_mean
    if sd > 0:
        excess = diff / sd
    else:
        excess = 0.0 if diff == 0 else math.copysign(math.inf, diff)
    window = min(k, earlier.size)
    earlier_max = float(pd.Series(earlier).rolling(window).mean().max())
    above = bool(excess > thr)
    highest = bool(before_mean > earlier_max)
    return RegressionToMeanCheck(
        before_periods=k,
        earlier_periods=int(earlier.size),
        before_mean=before_mean,
        earlier_mean=earlier_mean,
        earlier_sd=sd,
        excess_sd=float(excess),
        earlier_max_mean=earlier_max,
        above_threshold=above,
        highest=highest,
        warning=above or highest,
        threshold_sd=thr,
    )
