"""Whether an operativt mål of an åtgärdsplan is met, from a measured series, as codes.

An åtgärdsplan's measurable goal names a series (a Brå category per 100 000 inhabitants, an NTU
share, a trygghetsmätning index …), a target value, a target year and a direction. Each rebuild of
the lägesbild judges it with one rule (:func:`goal_status`), honest about uncertainty: a goal is
**met** only when the latest value lies on the goal's side of the target *and* that is statistically
clear — either a clear change in the right direction since the baseline year (the Poisson E-test of
:func:`lagesbild.stats.counts.poisson_change` for counts, :func:`lagesbild.stats.surveys.survey_change`
for survey estimates with intervals, Welch's t-test on the log daily loads for wastewater), or a value
clearly on the goal's side of the target itself (an exact Poisson test of the count against the count the
target rate implies; a survey interval that lies wholly on the goal's side; a one-sample t-test of the log
daily loads against the target's log). A value on the goal's side that could be chance is **on the way**, as is a
value that has moved towards the target before the target year; a clear change away from the goal, or
a value short of the target in the target year, is **not met**; no measurement since the plan was set
is **not measurable yet**.

Two kinds are judged otherwise. A place's factor score (:class:`ScoreObservation`) is an assessment, not a
sample: there is no sampling uncertainty to test, so it is **met** when the latest inspection's score is
on the goal's side of the target, **on the way** before the target year when it has moved towards the
target by at least a tolerance (the place report's "changed", 0,5 points), and **not met** otherwise.
Events at a place are counts (:class:`CountObservation` with ``per=1`` and the covered years as exposure);
a count that may not be published (below 3) is judged at its least favourable value
(:func:`least_favourable`), so the status says nothing about the count beyond "fewer than 3".

Results are frozen dataclasses of numbers and codes, never Swedish: the words and the printed rule are
in :mod:`lagesbild.summary.plan_text`. SciPy is imported inside the functions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from lagesbild.core.fmt import plain
from lagesbild.stats.counts import check_alpha, poisson_change
from lagesbild.stats.surveys import survey_change

#: Statuses of :func:`goal_status`.
MET = "met"
ON_THE_WAY = "on_the_way"
NOT_MET = "not_met"
NOT_MEASURABLE = "not_measurable"
STATUSES = (MET, ON_THE_WAY, NOT_MET, NOT_MEASURABLE)

#: Why a goal has its status (:attr:`GoalStatus.reason`).
REASONS = ("no_data", "no_new_data", "clear_change", "clear_level", "not_clear", "uncertainty_unknown",
           "moving_towards", "clear_away", "short_of_target", "assessed_on_side", "assessed_towards",
           "assessed_away", "withheld")

#: Counts are rates per this many inhabitants.
PER = 100_000.0


@dataclass(frozen=True)
class CountObservation:
    """A count in a year with its exposure: a rate per ``per`` units of exposure.

    For crimes the exposure is the population and ``per`` is :data:`PER` (a rate per 100 000
    inhabitants); for events at a place the exposure is the covered part of the year (10 months: 10/12)
    and ``per`` is 1 (events per year).

    Examples
    --------
    >>> CountObservation(2025, 150, 50_000.0).value
    300.0
    >>> CountObservation(2025, 10, 10 / 12, per=1.0).value
    12.0
    """

    year: int
    count: int
    exposure: float
    per: float = PER

    @property
    def value(self) -> float:
        """The rate per ``per`` units of exposure."""
        return self.count / self.exposure * self.per


@dataclass(frozen=True)
class ScoreObservation:
    """An assessed score in a year (a place's combined factor score at its latest inspection): no sampling error.

    Examples
    --------
    >>> ScoreObservation(2025, 2.75).value
    2.75
    """

    year: int
    value: float


@dataclass(frozen=True)
class SurveyObservation:
    """A survey estimate in a year (a share in percent, an index) with its 95 % interval, if known.

    Examples
    --------
    >>> SurveyObservation(2024, 2.75, 2.66, 2.84).has_interval, SurveyObservation(2024, 12.0).has_interval
    (True, False)
    """

    year: int
    value: float
    ci_low: float | None = None
    ci_high: float | None = None

    @property
    def has_interval(self) -> bool:
        """Whether the estimate has a usable interval (``ci_low <= value <= ci_high``, ``ci_low < ci_high``)."""
        lo, hi = self.ci_low, self.ci_high
        return (lo is not None and hi is not None and not math.isnan(lo) and not math.isnan(hi)
                and lo <= self.value <= hi and lo < hi)


@dataclass(frozen=True)
class LoadObservation:
    """A year's measured days of a wastewater load: the mean load, and the log-scale mean and spread of its days.

    ``log_mean`` and ``log_sd`` are None when the days cannot be compared on the log scale (too few,
    a zero, mostly below the LOQ: :func:`lagesbild.wastewater.trends.yearly_loads`).

    Examples
    --------
    >>> LoadObservation(2025, 100.0, 7, 4.6, 0.1).has_log, LoadObservation(2025, 100.0, 7).has_log
    (True, False)
    """

    year: int
    value: float
    days: int
    log_mean: float | None = None
    log_sd: float | None = None

    @property
    def has_log(self) -> bool:
        """Whether the days can be tested on the log scale."""
        return (self.log_mean is not None and self.log_sd is not None and self.days >= 2
                and not math.isnan(self.log_mean) and not math.isnan(self.log_sd))


Observation = CountObservation | SurveyObservation | LoadObservation | ScoreObservation


def welch_log_pvalue(before: LoadObservation, after: LoadObservation) -> float:
    """Two-sided p-value of Welch's t-test on the log loads of two years, from their means and spreads.

    ``t = (m₁ − m₀) / √(s₀²/n₀ + s₁²/n₁)`` with the Welch–Satterthwaite degrees of freedom (as the
    wastewater report's year-over-year test, :func:`lagesbild.wastewater.trends.year_over_year`).

    Examples
    --------
    Log means 4,0 and 5,0, spread 0,5, seven days each: t = 1 / √(2 · 0,25 / 7) = 3,74 on 12 df:

    >>> round(welch_log_pvalue(LoadObservation(2024, 60.0, 7, 4.0, 0.5), LoadObservation(2025, 160.0, 7, 5.0, 0.5)), 4)
    0.0028
    """
    from scipy.stats import t as student

    v0, v1 = before.log_sd ** 2 / before.days, after.log_sd ** 2 / after.days
    se = math.sqrt(v0 + v1)
    if se == 0:
        return 1.0 if after.log_mean == before.log_mean else 0.0
    df = (v0 + v1) ** 2 / (v0 ** 2 / (before.days - 1) + v1 ** 2 / (after.days - 1))
    return float(2 * student.sf(abs((after.log_mean - before.log_mean) / se), df))


def log_level_pvalue(obs: LoadObservation, target: float) -> float:
    """Two-sided p-value of a one-sample t-test of the log loads against ``log(target)`` (n − 1 df).

    Examples
    --------
    Log mean 4,0, spread 0,5, seven days, target e⁵ ≈ 148,4: t = −1 / (0,5 / √7) = −5,29 on 6 df:

    >>> round(log_level_pvalue(LoadObservation(2025, 60.0, 7, 4.0, 0.5), math.exp(5)), 4)
    0.0018
    """
    from scipy.stats import t as student

    se = obs.log_sd / math.sqrt(obs.days)
    diff = obs.log_mean - math.log(target)
    if se == 0:
        return 1.0 if diff == 0 else 0.0
    return float(2 * student.sf(abs(diff / se), obs.days - 1))


@dataclass(frozen=True)
class GoalStatus:
    """Result of :func:`goal_status`: a status and a reason as codes, and the numbers behind them.

    Attributes
    ----------
    status : str
        One of :data:`STATUSES`.
    reason : str
        One of :data:`REASONS`.
    target : float
    target_year : int
    lower_is_better : bool
        True for a goal of at most ``target`` ("högst"), False for at least ("minst").
    year, value : int or None, float or None
        The observation judged (None: none).
    baseline_year, baseline_value : int or None, float or None
        The baseline compared with (None: none).
    change_p : float or None
        p-value of the change baseline → observation (None: not tested).
    level_p : float or None
        p-value of the count against the target (counts only; None otherwise).
    alpha : float
    """

    status: str
    reason: str
    target: float
    target_year: int
    lower_is_better: bool
    year: int | None = None
    value: float | None = None
    baseline_year: int | None = None
    baseline_value: float | None = None
    change_p: float | None = None
    level_p: float | None = None
    alpha: float = 0.05


def poisson_level_pvalue(count: int, expected: float) -> float:
    """Two-sided exact Poisson p-value of ``count`` against a Poisson mean ``expected``.

    ``min(1, 2 · min(P(X ≤ count), P(X ≥ count)))`` with ``X ~ Poisson(expected)`` (the central
    exact test, as R's ``poisson.test`` against a rate).

    Examples
    --------
    By hand: ``P(X ≤ 3 | 10) = e^-10 (1 + 10 + 50 + 166,67) = 0,01034``, so p = 0,0207:

    >>> round(poisson_level_pvalue(3, 10.0), 4)
    0.0207
    >>> poisson_level_pvalue(10, 10.0)
    1.0
    """
    from scipy.stats import poisson

    if expected <= 0 or math.isnan(expected):
        raise ValueError(f"expected must be a positive number, got {plain(expected)}")
    low = float(poisson.cdf(count, expected))
    high = float(poisson.sf(count - 1, expected))
    return min(1.0, 2.0 * min(low, high))


def pick_observations(observations: Sequence[Observation], target_year: int,
                      baseline_year: int | None) -> tuple[Observation | None, Observation | None]:
    """The baseline and the observation to judge: the target year's, else the latest before it.

    Parameters
    ----------
    observations : sequence of CountObservation or SurveyObservation
        One per year, any order.
    target_year : int
    baseline_year : int or None
        None: no baseline.

    Returns
    -------
    (baseline, latest)
        ``latest`` is the observation of ``target_year`` if there is one, else the newest before it
        (else the oldest after it); ``baseline`` the one of ``baseline_year`` (None: not measured).

    Examples
    --------
    >>> obs = [SurveyObservation(y, v) for y, v in ((2022, 2.2), (2023, 2.4), (2024, 2.7), (2028, 2.0))]
    >>> b, latest = pick_observations(obs, 2027, 2023)
    >>> b.value, latest.year
    (2.4, 2024)
    >>> pick_observations(obs, 2021, 2019)[1].year, pick_observations([], 2027, None)
    (2022, (None, None))
    """
    by_year = {int(o.year): o for o in observations}
    baseline = by_year.get(int(baseline_year)) if baseline_year is not None else None
    if not by_year:
        return baseline, None
    before = [y for y in by_year if y <= target_year]
    year = max(before) if before else min(by_year)
    return baseline, by_year[year]


def _score_status(value: float, latest: ScoreObservation, baseline: ScoreObservation | None, target_year: int,
                  better, on_side: bool, tolerance: float, numbers: dict) -> GoalStatus:
    """The rule for an assessed score: no test, a change counts from ``tolerance`` on."""
    if on_side:
        return GoalStatus(MET, "assessed_on_side", **numbers)
    moved = baseline is not None and baseline.year < latest.year and abs(value - baseline.value) >= tolerance - 1e-9 \
        and value != baseline.value
    if moved and better(value, baseline.value) and latest.year < target_year:
        return GoalStatus(ON_THE_WAY, "assessed_towards", **numbers)
    if moved and not better(value, baseline.value):
        return GoalStatus(NOT_MET, "assessed_away", **numbers)
    return GoalStatus(NOT_MET, "short_of_target", **numbers)


def goal_status(target: float, target_year: int, latest: Observation | None, baseline: Observation | None = None,
                *, lower_is_better: bool = True, start_year: int | None = None, alpha: float = 0.05,
                tolerance: float = 0.0) -> GoalStatus:
    """Judge one measurable goal: met, on the way, not met, or not measurable yet.

    Parameters
    ----------
    target : float
        The target value (a rate per 100 000 for counts; a share or index for surveys).
    target_year : int
    latest : CountObservation or SurveyObservation or None
        The observation to judge (:func:`pick_observations`); None: no measurement.
    baseline : same kind as ``latest``, optional
        The value when the plan was set; its change to ``latest`` is tested.
    lower_is_better : bool
        True: the goal is at most ``target``; False: at least.
    start_year : int, optional
        The last year measured before the plan: an observation of this year or earlier is not a
        follow-up ("no_new_data").
    alpha : float
        Significance level of the tests.
    tolerance : float
        Scores only: the smallest change (absolute) that counts as a move towards or away from the goal.

    Returns
    -------
    GoalStatus
        The rule, in order: no observation (or none after ``start_year``) → not measurable; on the
        goal's side of ``target`` and (a clear change towards the goal since the baseline, or the level
        clearly on the goal's side) → met; on the goal's side but not clearly → on the way; before
        the target year, moved towards the target and no clear change away → on the way; otherwise not
        met ("clear_away" when the change away from the goal is clear). A :class:`ScoreObservation`
        is not tested: on the goal's side → met ("assessed_on_side"); before the target year and moved
        at least ``tolerance`` towards the target since the baseline → on the way ("assessed_towards");
        moved at least ``tolerance`` away → not met ("assessed_away"); otherwise not met.

    Raises
    ------
    ValueError
        ``latest`` and ``baseline`` of different kinds; ``alpha`` outside (0, 1).

    Examples
    --------
    Skadegörelse 200 → 150 per 100 000 (100 000 inhabitants), goal at most 160 by 2027: the E-test
    finds the fall clear (p ≈ 0,007), so the goal is met.

    >>> s = goal_status(160, 2027, CountObservation(2025, 150, 1e5), CountObservation(2024, 200, 1e5))
    >>> s.status, s.reason, round(s.change_p, 3)
    ('met', 'clear_change', 0.007)

    110 → 100, goal at most 105: below the target, but the fall could be chance.

    >>> goal_status(105, 2027, CountObservation(2025, 100, 1e5), CountObservation(2024, 110, 1e5)).status
    'on_the_way'

    A place's factor score 1,67 → 2,75, goal at least 2,5: met without a test; at least 3,0 by 2027,
    judged in 2025: moved 1,08 points towards it, so on the way.

    >>> s = goal_status(2.5, 2027, ScoreObservation(2025, 2.75), ScoreObservation(2024, 1.67), lower_is_better=False,
    ...                 tolerance=0.5)
    >>> s.status, s.reason, s.change_p
    ('met', 'assessed_on_side', None)
    >>> goal_status(3.0, 2027, ScoreObservation(2025, 2.75), ScoreObservation(2024, 1.67), lower_is_better=False,
    ...             tolerance=0.5).reason
    'assessed_towards'
    """
    a = check_alpha(alpha)
    target, target_year = float(target), int(target_year)
    base = {"target": target, "target_year": target_year, "lower_is_better": bool(lower_is_better), "alpha": a}
    if latest is None:
        return GoalStatus(NOT_MEASURABLE, "no_data", **base)
    if baseline is not None and type(baseline) is not type(latest):
        raise ValueError(f"baseline and latest must be of one kind, got {type(baseline).__name__} and "
                         f"{type(latest).__name__}")
    value = float(latest.value)
    found = {"year": int(latest.year), "value": value,
             "baseline_year": None if baseline is None else int(baseline.year),
             "baseline_value": None if baseline is None else float(baseline.value)}
    if start_year is not None and latest.year <= start_year:
        return GoalStatus(NOT_MEASURABLE, "no_new_data", **base, **found)

    def better(x: float, than: float) -> bool:
        return x < than if lower_is_better else x > than

    on_side = value == target or better(value, target)
    if isinstance(latest, ScoreObservation):
        return _score_status(value, latest, baseline, target_year, better, on_side, float(tolerance),
                             {**base, **found})
    # the level against the target
    level_p, level_clear, testable = None, False, True
    if isinstance(latest, CountObservation):
        expected = target * latest.exposure / latest.per
        if expected > 0:
            level_p = poisson_level_pvalue(int(latest.count), expected)
            level_clear = better(float(latest.count), expected) and level_p < a
    elif isinstance(latest, LoadObservation):
        if latest.has_log and target > 0:
            level_p = log_level_pvalue(latest, target)
            level_clear = better(latest.log_mean, math.log(target)) and level_p < a
        else:
            testable = False
    elif latest.has_interval:
        level_clear = better(latest.ci_high if lower_is_better else latest.ci_low, target)
    else:
        testable = False
    # the change since the baseline
    change_p, towards, clear_towards, clear_away = None, False, False, False
    if baseline is not None and baseline.year < latest.year:
        towards = better(value, float(baseline.value))
        if isinstance(latest, CountObservation):
            c = poisson_change(int(baseline.count), int(latest.count), float(baseline.exposure), float(latest.exposure), a)
            change_p, detectable = float(c.p_value), bool(c.detectable)
        elif isinstance(latest, LoadObservation):
            if latest.has_log and baseline.has_log:
                change_p = welch_log_pvalue(baseline, latest)
                detectable = change_p < a
                towards = better(latest.log_mean, baseline.log_mean)  # the test's direction: typical days
            else:
                detectable = False
        elif latest.has_interval and baseline.has_interval:
            c = survey_change((baseline.value, baseline.ci_low, baseline.ci_high),
                              (latest.value, latest.ci_low, latest.ci_high), a)
            change_p, detectable = float(c.p_value), bool(c.detectable)
        else:
            detectable = False
        differs = value != float(baseline.value)
        clear_towards = detectable and towards
        clear_away = detectable and differs and not towards
    numbers = {**base, **found, "change_p": change_p, "level_p": level_p}
    if on_side and (clear_towards or level_clear):
        return GoalStatus(MET, "clear_change" if clear_towards else "clear_level", **numbers)
    if on_side:
        return GoalStatus(ON_THE_WAY, "not_clear" if testable else "uncertainty_unknown", **numbers)
    if latest.year < target_year and towards and not clear_away:
        return GoalStatus(ON_THE_WAY, "moving_towards", **numbers)
    return GoalStatus(NOT_MET, "clear_away" if clear_away else "short_of_target", **numbers)


#: How good each status is for the goal (:func:`least_favourable`).
_RANK = {MET: 3, ON_THE_WAY: 2, NOT_MET: 1, NOT_MEASURABLE: 0}


def least_favourable(statuses: Sequence[GoalStatus]) -> GoalStatus:
    """The status least favourable to the goal among those judged for every value a withheld count may have.

    A count below 3 at a place may not be published; judging the goal at each possible value (0, 1
    and 2) and keeping the worst gives a status that reveals nothing about which it was, and never
    calls a goal met that might not be. Ties keep the first.

    Examples
    --------
    Baseline 12 events, this year fewer than 3, goal at most 5 a year: the fall is clear at 2 (E-test
    p = 0,006), and at 1 and 0, so met. From a baseline of 4, 1 or 2 could be chance (0 could not):
    on the way, judged at 2 (p = 0,48), the first of the candidates in the order given.

    >>> [(s.status, round(s.change_p, 3)) for s in (least_favourable(
    ...     [goal_status(5, 2027, CountObservation(2025, c, 1, per=1), CountObservation(2024, b, 1, per=1))
    ...      for c in (2, 1, 0)]) for b in (12, 4))]
    [('met', 0.006), ('on_the_way', 0.476)]
    """
    if not statuses:
        raise ValueError("least_favourable needs at least one status")
    return min(statuses, key=lambda s: _RANK[s.status])


__all__ = ["MET", "NOT_MEASURABLE", "NOT_MET", "ON_THE_WAY", "PER", "REASONS", "STATUSES", "CountObservation",
           "GoalStatus", "LoadObservation", "Observation", "ScoreObservation", "SurveyObservation", "goal_status",
           "least_favourable", "log_level_pvalue",
           "pick_observations", "poisson_level_pvalue", "welch_log_pvalue"]
