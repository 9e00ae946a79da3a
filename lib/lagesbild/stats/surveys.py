"""The change between two independent survey estimates, from their confidence intervals.

* :func:`survey_change` — the difference between two independent survey estimates (e.g. the
  problem index 0–6 of a trygghetsmätning or NTU) from their confidence intervals.

Used by the project evaluation (:mod:`lagesbild.projects.text`) and the survey summary
(:mod:`lagesbild.summary.surveys`). The result is a frozen dataclass of numbers, never Swedish. SciPy is
imported inside the function, so ``import lagesbild.stats.surveys`` stays fast.

References
----------
Altman, D. G. & Bland, J. M. (2003). Interaction revisited: the difference between two
estimates. *BMJ* 326:219.
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
