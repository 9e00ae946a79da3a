"""Whether a commitment (åtagande) of a safety project was met, as codes.

* :func:`commitment_status` — whether a commitment was met: ``"met"``, ``"partly_met"``,
  ``"not_met"`` or ``"not_assessable"``, with the reason as a code. A commitment to reduce (or
  increase) crime is judged by the treated area's E-test (:func:`lagesbild.stats.treated.treated_only`).

Results are frozen dataclasses of numbers and codes, never Swedish: the report's words and sentences
are in :mod:`lagesbild.projects.text`.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from datetime import date, datetime

from lagesbild.core.fmt import plain
from lagesbild.stats.counts import check_alpha
from lagesbild.stats.effects import _real
from lagesbild.stats.treated import TreatedOnlyResult, treated_only

#: Commitment statuses returned by :func:`commitment_status` (the report's words:
#: :data:`lagesbild.projects.text.STATUS_WORDS`).
MET = "met"
PARTLY_MET = "partly_met"
NOT_MET = "not_met"
NOT_ASSESSABLE = "not_assessable"
STATUSES = (MET, PARTLY_MET, NOT_MET, NOT_ASSESSABLE)

#: Why a commitment has its status (:attr:`CommitmentStatus.reason`).
REASONS = ("missing_outcome", "missing_before", "missing_after", "missing_counts", "done", "not_done", "reached",
           "partly_reached", "missed", "too_few", "unchanged", "wrong_direction", "not_detectable", "short_of_target",
           "detectable")

#: Kinds of commitment understood by :func:`commitment_status`: the codes of the ``typ`` column of the
#: commitments register (:mod:`lagesbild.projects.data`), as the kommun writes them.
KINDS = ("minst", "högst", "minska", "öka", "ja/nej")

#: A "minst"/"högst" commitment that is not met counts as partly met when at least this
#: share of the target is reached (without a baseline), or this share of the planned way from the
#: baseline to the target (with a baseline). See :func:`commitment_status`.
PARTIAL_SHARE = 0.75


# --- commitments -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentStatus:
    """Result of :func:`commitment_status`: a status and a reason, as codes (the words are the report's).

    :func:`lagesbild.projects.text.commitment_reason` turns a result into the Swedish reason the
    report shows, and :data:`lagesbild.projects.text.STATUS_WORDS` names the statuses.

    Attributes
    ----------
    kind : str
        One of :data:`KINDS`.
    status : str
        One of :data:`STATUSES`: ``"met"``, ``"partly_met"``, ``"not_met"``, ``"not_assessable"``.
    reason : str
        One of :data:`REASONS`: why the status is what it is (e.g. ``"reached"``, ``"too_few"``,
        ``"missing_outcome"``).
    share : float
        For "minst"/"högst": the share compared with :data:`PARTIAL_SHARE` (see
        :func:`commitment_status`); ``nan`` otherwise or when it is not defined.
    change : TreatedOnlyResult or None
        For "minska"/"öka" with counts: the E-test of the before and after counts.
    target : float or None
        The target as a number ("minst"/"högst"; the required change in percent for "minska"/"öka").
    outcome : float or None
        The outcome as a number ("minst"/"högst"); None for the other kinds.
    baseline : float or None
        The baseline ("minst"/"högst"), if one was given.
    deadline : datetime.date or None
        The deadline, if one was given.
    today : datetime.date or None
        The date of the judgement.

    Examples
    --------
    >>> s = CommitmentStatus("minst", MET, "reached", 1.2, None, 10.0, 12.0)
    >>> s.status, s.reason, s.baseline
    ('met', 'reached', None)
    """

    kind: str
    status: str
    reason: str
    share: float
    change: TreatedOnlyResult | None
    target: float | None = None
    outcome: float | None = None
    baseline: float | None = None
    deadline: date | None = None
    today: date | None = None


def _missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, numbers.Real):
        return math.isnan(float(value))
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _as_date(value: object, name: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):  # also pandas.Timestamp
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValueError(f"{name} must be a date like 2025-12-31, got {plain(value)}.") from exc
    raise ValueError(f"{name} must be a date (datetime.date or 'YYYY-MM-DD'), got {plain(value)}.")


def _finite(value: object) -> bool:
    """A finite real number (not a bool)."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(float(value))


def _threshold_status(kind: str, target: float, outcome: float, baseline: float | None) -> tuple[str, str, float]:
    """Status, reason and share of a "minst"/"högst" commitment."""
    at_least = kind == "minst"
    met = outcome >= target if at_least else outcome <= target
    share = math.nan
    if baseline is not None:
        span = target - baseline
        if (span <= 0) if at_least else (span >= 0):
            raise ValueError(
                f"For a '{kind}' commitment the target must be {'above' if at_least else 'below'} the "
                f"baseline, got target {target} and baseline {baseline}."
            )
        share = (outcome - baseline) / span
    elif at_least and target > 0 and outcome >= 0:
        share = outcome / target
    elif not at_least and target >= 0 and outcome > 0:
        share = target / outcome
    if met:
        return MET, "reached", share
    if not math.isnan(share) and share >= PARTIAL_SHARE:
        return PARTLY_MET, "partly_reached", share
    return NOT_MET, "missed", share


def _count_status(
    kind: str, target: float | None, before: object, after: object, alpha: float,
    years_before: float, years_after: float,
) -> tuple[str, str, TreatedOnlyResult]:
    """Status and reason of a "minska"/"öka" commitment from the E-test."""
    r = treated_only(
        before, after, alpha, years_before=years_before, years_after=years_after  # type: ignore[arg-type]
    )
    if r.too_few:
        return NOT_ASSESSABLE, "too_few", r
    wanted = r.rate_ratio < 1 if kind == "minska" else r.rate_ratio > 1
    if not wanted:
        return NOT_MET, ("unchanged" if r.rate_ratio == 1 else "wrong_direction"), r
    if not r.detectable:
        return PARTLY_MET, "not_detectable", r
    if target is not None and target > 0 and abs(r.change_pct) < target:
        return PARTLY_MET, "short_of_target", r
    return MET, "detectable", r


def commitment_status(
    kind: str,
    target: object,
    outcome: object,
    *,
    baseline: float | None = None,
    deadline: object = None,
    today: object = None,
    before: int | None = None,
    after: int | None = None,
    alpha: float = 0.05,
    years_before: float = 1,
    years_after: float = 1,
) -> CommitmentStatus:
    """Whether a commitment (åtagande) in a safety project was met, and why (as codes).

    Rules by ``kind``:

    ``"minst"`` (at least ``target``)
        ``outcome >= target`` → met. Otherwise partly met when the share reaches
        :data:`PARTIAL_SHARE` (75 %), else not met. The share is ``outcome / target``
        without a baseline (only for ``target > 0`` and ``outcome >= 0``), and with a baseline
        the share of the planned change achieved, ``(outcome - baseline) / (target - baseline)``
        (the target must then be above the baseline).
    ``"högst"`` (at most ``target``)
        ``outcome <= target`` → met. Otherwise partly met when the share reaches
        75 %: ``target / outcome`` without a baseline (only for ``target >= 0`` and
        ``outcome > 0``; i.e. at most a third over the target), and
        ``(baseline - outcome) / (baseline - target)`` with a baseline (target below baseline).
    ``"minska"`` (a crime-based goal: fewer events)
        Judged by the Poisson E-test of the ``before`` and ``after`` counts
        (:func:`lagesbild.stats.treated.treated_only`): met only for a statistically detectable decrease,
        partly met if the count fell but not detectably, not met if it rose or did
        not change, not assessable with fewer than 10 events in total. ``target``, if given,
        is a required decrease in percent (e.g. 20 for "minska med 20 %"): a detectable decrease
        smaller than that is partly met. ``before`` defaults to ``baseline`` and
        ``after`` to ``outcome``.
    ``"öka"``
        The same for an increase.
    ``"ja/nej"`` (done or not)
        ``outcome`` "ja" (or True) → met, "nej" (or False) → not met; ``target`` is ignored.

    A missing outcome (None, NaN, empty text; for "minska"/"öka" a missing before or after
    count) gives "not_assessable" with a ``missing_…`` reason; whether the deadline has passed
    follows from ``deadline`` and ``today``, which the result carries for the report's sentence
    (:func:`lagesbild.projects.text.commitment_reason`).

    Reasons (:data:`REASONS`): ``"missing_outcome"``, ``"missing_before"``, ``"missing_after"``,
    ``"missing_counts"`` (both counts); ``"done"``, ``"not_done"`` ("ja/nej"); ``"reached"``,
    ``"partly_reached"``, ``"missed"`` ("minst"/"högst"); ``"too_few"``, ``"unchanged"``,
    ``"wrong_direction"``, ``"not_detectable"``, ``"short_of_target"``, ``"detectable"``
    ("minska"/"öka").

    Parameters
    ----------
    kind : str
        One of :data:`KINDS` (the vocabulary of the commitments register's ``typ`` column).
    target : float or None
        Target value ("minst"/"högst"), required decrease/increase in percent or None
        ("minska"/"öka"), ignored for "ja/nej".
    outcome : float, str, bool or None
        The outcome; for "minska"/"öka" the after count (when ``after`` is not given).
    baseline : float, optional
        Starting value ("minst"/"högst"); the before count for "minska"/"öka" (when ``before`` is
        not given).
    deadline : date or str, optional
        When the commitment should be met (``datetime.date`` or ``"YYYY-MM-DD"``).
    today : date or str, optional
        The date of the judgement; default today.
    before, after : int, optional
        Counts before and after ("minska"/"öka").
    alpha : float, default 0.05
        Significance level of the E-test.
    years_before, years_after : float, default 1
        Lengths of the before and after periods ("minska"/"öka").

    Returns
    -------
    CommitmentStatus

    Raises
    ------
    ValueError
        An unknown kind, a target that is not a number (where one is needed), an outcome that is
        not a number (or "ja"/"nej"), a baseline on the wrong side of the target, dates that are
        not dates, counts :func:`lagesbild.stats.treated.treated_only` rejects.

    Examples
    --------
    >>> commitment_status("minst", 10, 8).status
    'partly_met'
    >>> commitment_status("högst", 4, 3).status
    'met'
    >>> s = commitment_status("minska", None, None, before=60, after=30)
    >>> s.status, s.reason, round(s.change.p_value, 4)
    ('met', 'detectable', 0.0015)
    >>> s = commitment_status("ja/nej", None, None, deadline="2025-06-30", today="2025-09-01")
    >>> s.status, s.reason, s.deadline < s.today
    ('not_assessable', 'missing_outcome', True)
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {list(KINDS)}, got {plain(kind)}.")
    a = check_alpha(alpha)
    due = _as_date(deadline, "deadline")
    now = _as_date(today, "today") or date.today()
    nan = math.nan

    if kind in ("minska", "öka"):
        goal = None if _missing(target) else _real(target, "target")
        if goal is not None and goal < 0:
            raise ValueError(
                f"For '{kind}' the target is a change in percent (>= 0) or None, got {plain(target)}."
            )
        b = before if before is not None else baseline
        af = after if after is not None else outcome
        if _missing(b) or _missing(af):
            reason = ("missing_counts" if _missing(b) and _missing(af)
                      else "missing_before" if _missing(b) else "missing_after")
            return CommitmentStatus(kind, NOT_ASSESSABLE, reason, nan, None, goal, None, None, due, now)
        status, reason, change = _count_status(kind, goal, b, af, a, years_before, years_after)
        return CommitmentStatus(kind, status, reason, nan, change, goal, None, None, due, now)

    if _missing(outcome):
        goal = float(target) if kind != "ja/nej" and _finite(target) else None
        return CommitmentStatus(kind, NOT_ASSESSABLE, "missing_outcome", nan, None, goal, None, None, due, now)

    if kind == "ja/nej":
        if isinstance(outcome, bool):
            done = outcome
        elif isinstance(outcome, str) and outcome.strip().lower() in ("ja", "nej"):
            done = outcome.strip().lower() == "ja"
        else:
            raise ValueError(f"The outcome of a 'ja/nej' commitment must be 'ja' or 'nej', got {plain(outcome)}.")
        if done:
            return CommitmentStatus(kind, MET, "done", nan, None, None, None, None, due, now)
        return CommitmentStatus(kind, NOT_MET, "not_done", nan, None, None, None, None, due, now)

    goal = _real(target, "target")
    value = _real(outcome, "outcome")
    base = None if _missing(baseline) else _real(baseline, "baseline")
    status, reason, share = _threshold_status(kind, goal, value, base)
    return CommitmentStatus(kind, status, reason, share, None, goal, value, base, due, now)
