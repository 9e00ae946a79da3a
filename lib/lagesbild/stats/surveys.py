"""The change between two independent survey estimates, from their confidence intervals.

* :func:`survey_change` — the difference between two independent survey estimates (e.g. the
  problem index 0–6 of a trygghetsmätning or NTU) from their confidence intervals.
* :func:`wilson_interval` — the Wilson score interval of a share from its respondents.
* :func:`share_change` — the difference between two shares of independent samples with their
  respondents: the two-proportion z-test, and Newcombe's interval of the difference.

Used by the project evaluation (:mod:`lagesbild.projects.text`), the survey summary
(:mod:`lagesbild.summary.surveys`) and the local surveys (:mod:`lagesbild.summary.local_surveys`). The
results are numbers and frozen dataclasses of numbers, never Swedish. SciPy and statsmodels are imported
inside the functions, so ``import lagesbild.stats.surveys`` stays fast.

References
----------
Altman, D. G. & Bland, J. M. (2003). Interaction revisited: the difference between two
estimates. *BMJ* 326:219.

Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
*Journal of the American Statistical Association* 22(158), 209–212.

Newcombe, R. G. (1998). Interval estimation for the difference between independent proportions:
comparison of eleven methods. *Statistics in Medicine* 17(8), 873–890 (method 10).

Agresti, A. (2013). *Categorical Data Analysis*, 3rd ed., section 3.1 (the z-test of two proportions
with the pooled standard error).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from lagesbild.core.fmt import plain
from lagesbild.stats.counts import check_alpha
from lagesbild.stats.effects import _items, _normal_inference, _real

# --- survey estimates ------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyChange:
    """Result of :func:`survey_change`: the difference of two independent survey estimates.

    Attributes
    ----------
    before_mean, after_mean : float
        The two estimates.
    difference : float
        ``after_mean - before_mean``. For a problem index (0–6, higher = more problems) a
        negative difference is an improvement.
    se_before, se_after : float
        Standard errors recovered from the intervals: ``(ci_high - ci_low) / (2 z)`` with
        ``z = z_{1-(1-ci_level)/2}``.
    se : float
        ``sqrt(se_before**2 + se_after**2)``.
    z : float
        ``difference / se``.
    p_value : float
        Two-sided p-value from the standard normal.
    ci_low, ci_high : float
        ``difference ± z_{1-alpha/2} * se``.
    alpha : float
        Significance level of the result.
    ci_level : float
        Level of the intervals given as input.
    detectable : bool
        ``p_value < alpha``.
    """

    before_mean: float
    after_mean: float
    difference: float
    se_before: float
    se_after: float
    se: float
    z: float
    p_value: float
    ci_low: float
    ci_high: float
    alpha: float
    ci_level: float
    detectable: bool


def _estimate(value: object, name: str, q: float) -> tuple[float, float]:
    items = _items(value, (3,))
    if items is None:
        raise ValueError(f"{name} must be (mean, ci_low, ci_high), got {plain(value)}.")
    m = _real(items[0], f"{name} mean")
    lo = _real(items[1], f"{name} ci_low")
    hi = _real(items[2], f"{name} ci_high")
    if not lo <= m <= hi or lo == hi:
        raise ValueError(f"{name} needs ci_low <= mean <= ci_high with ci_low < ci_high, got {plain(value)}.")
    return m, (hi - lo) / (2.0 * q)


def survey_change(
    before: Sequence[float], after: Sequence[float], alpha: float = 0.05, *, ci_level: float = 0.95
) -> SurveyChange:
    """Difference between two independent survey estimates given with confidence intervals.

    For survey results published only as an estimate with a confidence interval (NTU, a kommun's
    trygghetsmätning, the problem index 0–6 of a place), the standard error of each estimate is
    recovered from its interval assuming normality, ``se = (high - low) / (2 * z)``, and the
    difference ``after - before`` is tested with ``se(d) = sqrt(se_before² + se_after²)``
    (Altman & Bland 2003). The two estimates must come from independent samples (two survey
    rounds, not the same respondents asked twice).

    Parameters
    ----------
    before, after : tuple of float
        ``(mean, ci_low, ci_high)`` of each estimate.
    alpha : float, default 0.05
        Significance level of the result; its interval has level ``1 - alpha``.
    ci_level : float, default 0.95
        Level of the input intervals.

    Returns
    -------
    SurveyChange

    Raises
    ------
    ValueError
        An estimate that is not three finite numbers with ``ci_low <= mean <= ci_high`` and
        ``ci_low < ci_high``; ``alpha`` or ``ci_level`` outside (0, 1).

    Notes
    -----
    An asymmetric interval (e.g. of a proportion near 0 or 1) is treated as symmetric with its
    average half-width. Ratios (e.g. odds ratios) should be given on the log scale.

    Examples
    --------
    Problem index 2,0 (95 % CI 1,8–2,2) before and 1,7 (1,5–1,9) after:

    >>> c = survey_change((2.0, 1.8, 2.2), (1.7, 1.5, 1.9))
    >>> round(c.difference, 2), round(c.se, 4), round(c.p_value, 3), c.detectable
    (-0.3, 0.1443, 0.038, True)
    """
    from scipy.stats import norm

    a = check_alpha(alpha)
    level = check_alpha(ci_level)
    q = float(norm.ppf(0.5 + level / 2.0))
    m0, se0 = _estimate(before, "before", q)
    m1, se1 = _estimate(after, "after", q)
    diff = m1 - m0
    variance = se0**2 + se1**2
    z, p, lo, hi = _normal_inference(diff, variance, a)
    return SurveyChange(
        before_mean=m0,
        after_mean=m1,
        difference=diff,
        se_before=se0,
        se_after=se1,
        se=math.sqrt(variance),
        z=z,
        p_value=p,
        ci_low=lo,
        ci_high=hi,
        alpha=a,
        ci_level=level,
        detectable=bool(p < a),
    )


# --- shares with their respondents -----------------------------------------------------------


def _share(value: object, name: str) -> tuple[float, float]:
    items = _items(value, (2,))
    if items is None:
        raise ValueError(f"{name} must be (share, respondents), got {plain(value)}.")
    p = _real(items[0], f"{name} share")
    n = _real(items[1], f"{name} respondents")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{name} share must be a proportion from 0 to 1, got {plain(items[0])}.")
    if n <= 0:
        raise ValueError(f"{name} respondents must be above 0, got {plain(items[1])}.")
    return p, n


def wilson_interval(share: float, respondents: float, alpha: float = 0.05) -> tuple[float, float]:
    """The Wilson score interval of a share (a proportion 0–1) answered by ``respondents`` persons.

    ``(p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n)`` with ``z = z_{1−alpha/2}`` (Wilson 1927),
    computed by :func:`statsmodels.stats.proportion.proportion_confint` (``method="wilson"``). Unlike
    the normal (Wald) interval it stays within 0–1 and keeps its level for small samples and for
    shares near 0 or 1. A published share is often weighted: when the survey gives its own interval,
    use that one instead.

    Parameters
    ----------
    share : float
        The proportion, 0–1.
    respondents : float
        The number who answered (above 0).
    alpha : float, default 0.05
        The interval has level ``1 - alpha``.

    Returns
    -------
    (float, float)
        Lower and upper limit, as proportions.

    Raises
    ------
    ValueError
        A share outside 0–1, respondents not above 0, ``alpha`` outside (0, 1).

    Examples
    --------
    30 of 120 (25 %): 18,1–33,4 %.

    >>> low, high = wilson_interval(0.25, 120)
    >>> round(low, 4), round(high, 4)
    (0.1811, 0.3344)
    """
    from statsmodels.stats.proportion import proportion_confint

    a = check_alpha(alpha)
    p, n = _share((share, respondents), "the estimate")
    low, high = proportion_confint(p * n, n, alpha=a, method="wilson")
    return float(max(0.0, low)), float(min(1.0, high))


@dataclass(frozen=True)
class ShareChange:
    """Result of :func:`share_change`: the difference of two shares of independent samples.

    Attributes
    ----------
    before, after : float
        The two shares (proportions 0–1).
    n_before, n_after : float
        Their respondents.
    difference : float
        ``after - before`` (a proportion; × 100 for percentage points).
    pooled : float
        The pooled share ``(before·n_before + after·n_after) / (n_before + n_after)``.
    se : float
        The pooled standard error ``sqrt(pooled (1 − pooled) (1/n_before + 1/n_after))``.
    z : float
        ``difference / se`` (NaN when ``se`` is 0: both shares 0 or both 1).
    p_value : float
        Two-sided p-value of the z-test (NaN when ``se`` is 0).
    ci_low, ci_high : float
        Newcombe's hybrid score interval of the difference (method 10), level ``1 - alpha``.
    alpha : float
    detectable : bool
        ``p_value < alpha``.
    """

    before: float
    after: float
    n_before: float
    n_after: float
    difference: float
    pooled: float
    se: float
    z: float
    p_value: float
    ci_low: float
    ci_high: float
    alpha: float
    detectable: bool


def share_change(before: Sequence[float], after: Sequence[float], alpha: float = 0.05) -> ShareChange:
    """Difference between two shares of independent samples, each given with its respondents.

    The two-proportion z-test with the pooled standard error (Agresti 2013, 3.1) decides whether the
    difference is clear (``p < alpha``); the interval of the difference is Newcombe's hybrid score
    interval (1998, method 10) from the two Wilson intervals, which keeps its level for small samples.
    The samples must be independent (two survey rounds, not the same persons asked twice). The shares
    are taken as simple random samples: a weighted survey's own intervals are better, compared with
    :func:`survey_change`.

    Parameters
    ----------
    before, after : tuple of float
        ``(share, respondents)``: the proportion 0–1 and the number who answered.
    alpha : float, default 0.05

    Returns
    -------
    ShareChange

    Raises
    ------
    ValueError
        A share outside 0–1, respondents not above 0, ``alpha`` outside (0, 1).

    Examples
    --------
    25 % of 120 before, 40 % of 125 after:

    >>> c = share_change((0.25, 120), (0.40, 125))
    >>> round(c.difference, 2), round(c.se, 4), round(c.z, 3), round(c.p_value, 4), c.detectable
    (0.15, 0.0599, 2.503, 0.0123, True)
    """
    from scipy.stats import norm

    a = check_alpha(alpha)
    p0, n0 = _share(before, "before")
    p1, n1 = _share(after, "after")
    diff = p1 - p0
    pooled = (p0 * n0 + p1 * n1) / (n0 + n1)
    se = math.sqrt(pooled * (1.0 - pooled) * (1.0 / n0 + 1.0 / n1))
    if se > 0:
        z = diff / se
        p = float(2.0 * norm.sf(abs(z)))
    else:
        z = p = math.nan
    l0, u0 = wilson_interval(p0, n0, a)
    l1, u1 = wilson_interval(p1, n1, a)
    low = diff - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    high = diff + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    return ShareChange(before=p0, after=p1, n_before=n0, n_after=n1, difference=diff, pooled=pooled, se=se, z=z,
                       p_value=p, ci_low=low, ci_high=high, alpha=a, detectable=bool(p < a))
