"""Statistics of a before/after evaluation of a place-based safety project ("did it work?").

Crime counts before and after an intervention, in four kinds of area (the contract of the
evaluation notebook): the treated area (``behandlat``), a control area (``kontroll``), the
displacement area around the treated area (``förskjutning``) and the displacement area around
the control (``kontrollförskjutning``).

* :func:`wdd` — the Weighted Displacement Difference test of Wheeler & Ratcliffe (2018): a
  difference in differences of counts with a Poisson standard error, optionally per unit of time
  or area. :func:`wdd_harm` combines several crime types with harm weights.
* :func:`wdq` — the Weighted Displacement Quotient of Bowers & Johnson (2003), its reading
  (displacement or diffusion of benefits) and the total net effect (Guerette 2009). Descriptive
  only: it has no standard error.
* :func:`treated_only` — when there is no control area: the Poisson E-test of the treated
  area's counts (:func:`lagesbild.stats.counts.poisson_change`).
* :func:`regression_to_mean` — a heuristic warning that the before period was chosen at a peak.
* :func:`survey_change` — the difference between two independent survey estimates (e.g. the
  problem index 0–6 of a trygghetsmätning or NTU) from their confidence intervals.
* :func:`commitment_status` — whether a commitment (åtagande) was met: ``"met"``, ``"partly_met"``,
  ``"not_met"`` or ``"not_assessable"``, with the reason as a code.

Sign conventions differ between the methods, as in their sources: a **negative** WDD estimate is
a reduction (fewer crimes than the control trend predicts), while Guerette's gross, net and total
net effects are **positive** for a reduction. Each result documents its own sign.

Results are frozen dataclasses of numbers and codes, never Swedish: the report's words and sentences
are in :mod:`lagesbild.projects.text`. SciPy is imported inside the functions, so ``import lagesbild.stats.effects``
stays fast.

References
----------
Wheeler, A. P. & Ratcliffe, J. H. (2018). A simple weighted displacement difference test to
evaluate place based crime interventions. *Crime Science* 7:11.
https://doi.org/10.1186/s40163-018-0085-5

Wheeler, A. P. (2020–2021). Blog posts on the WDD with harm weights (2020-11-19), different
pre/post time periods (2021-01-09) and different area sizes (2021-02-23),
https://andrewpwheeler.com; implemented in the R package ``ptools`` (``wdd``, ``wdd_harm``).

Bowers, K. J. & Johnson, S. D. (2003). Measuring the geographical displacement and diffusion of
benefit effects of crime prevention activity. *Journal of Quantitative Criminology* 19(3),
275–301.

Guerette, R. T. (2009). *Analyzing crime displacement and diffusion*. Problem-Oriented Guides for
Police, Problem-Solving Tools Series No. 10. Center for Problem-Oriented Policing
(appendices B–D).

Altman, D. G. & Bland, J. M. (2003). Interaction revisited: the difference between two
estimates. *BMJ* 326:219.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from lagesbild.core.fmt import plain
from lagesbild.stats.counts import MIN_TOTAL_COUNT, ChangeTest, _as_count, check_alpha, poisson_change

if TYPE_CHECKING:
    import pandas as pd

#: Order of the four areas in :func:`wdd`'s ``area_weights`` when given as a sequence (the order
#: of the function's arguments; note that R's ``ptools::wdd`` uses control, treated,
#: displacement control, displacement treated).
AREA_ROLES = ("treated", "control", "displacement", "displacement_control")

#: Method codes of :attr:`WDDResult.method` and :attr:`WDDHarmResult.method` (the report describes them:
#: :data:`lagesbild.projects.text.METHOD_TEXTS`).
WDD_METHOD = "wdd"
WDD_HARM_METHOD = "wdd_harm"

#: Codes of :attr:`WDQResult.reading`, from diffusion to displacement. Thresholds as in Bowers & Johnson
#: (2003) and Guerette (2009, appendix C); the report's words are :data:`lagesbild.projects.text.WDQ_READINGS`.
WDQ_READING_CODES = ("not_computable", "no_success", "diffusion_greater", "diffusion", "none", "displacement",
                     "displacement_greater")

#: The before-period mean must exceed the mean of the earlier periods by more than this many
#: Poisson standard deviations (``sqrt`` of the earlier mean) for :func:`regression_to_mean`
#: to warn.
RTM_THRESHOLD_SD = 1.5

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


# --- validation helpers ----------------------------------------------------------------------


def _items(value: object, lengths: tuple[int, ...]) -> tuple | None:
    """The items of a list-like (tuple, list, numpy array, pandas Series; not text or a mapping)
    when there are as many as one of ``lengths``, else None."""
    if isinstance(value, str | bytes | Mapping):
        return None
    try:
        items = tuple(value)  # type: ignore[call-overload]
    except TypeError:
        return None
    return items if len(items) in lengths else None


def _pair(value: object, name: str) -> tuple[int, int]:
    """A (before, after) pair of non-negative whole counts."""
    items = _items(value, (2,))
    if items is None:
        raise ValueError(f"{name} must be a pair (before, after) of counts, got {plain(value)}.")
    return _as_count(items[0], f"{name}[0] (before)"), _as_count(items[1], f"{name}[1] (after)")


def _positive(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a positive number, got {plain(value)}.")
    x = float(value)
    if not math.isfinite(x) or x <= 0:
        raise ValueError(f"{name} must be a positive number, got {plain(value)}.")
    return x


def _real(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {plain(value)}.")
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {plain(value)}.")
    return x


def _time_weights(time_weights: object) -> tuple[float, float]:
    if time_weights is None:
        return 1.0, 1.0
    items = _items(time_weights, (2,))
    if items is None:
        raise ValueError(
            f"time_weights must be a pair (before, after), e.g. (2, 1) for two years before and one "
            f"after, got {plain(time_weights)}."
        )
    return _positive(items[0], "time_weights[0]"), _positive(items[1], "time_weights[1]")


def _area_weights(area_weights: object) -> dict[str, float]:
    if area_weights is None:
        return dict.fromkeys(AREA_ROLES, 1.0)
    if isinstance(area_weights, Mapping):
        unknown = set(area_weights) - set(AREA_ROLES)
        if unknown:
            raise ValueError(
                f"area_weights has unknown keys {sorted(map(str, unknown))}; use {list(AREA_ROLES)}."
            )
        given = {k: _positive(v, f"area_weights[{plain(k)}]") for k, v in area_weights.items()}
        return {role: given.get(role, 1.0) for role in AREA_ROLES}
    items = _items(area_weights, (2, 4))
    if items is None:
        raise ValueError(
            "area_weights must be a mapping with keys among "
            f"{list(AREA_ROLES)} or a sequence of 2 or 4 numbers in that order, got {plain(area_weights)}."
        )
    values = [_positive(v, f"area_weights[{i}]") for i, v in enumerate(items)]
    values += [1.0] * (4 - len(values))
    return dict(zip(AREA_ROLES, values, strict=True))


def _normal_inference(estimate: float, variance: float, alpha: float) -> tuple[float, float, float, float]:
    """z, two-sided p, and the normal interval ``estimate ± z_{1-alpha/2} * se``."""
    from scipy.stats import norm

    se = math.sqrt(variance)
    if se == 0.0:
        return math.nan, math.nan, estimate, estimate
    z = estimate / se
    p = float(2.0 * norm.sf(abs(z)))
    q = float(norm.ppf(1.0 - alpha / 2.0))
    return z, p, estimate - q * se, estimate + q * se


# --- Weighted Displacement Difference --------------------------------------------------------


@dataclass(frozen=True)
class WDDResult:
    """Result of :func:`wdd`, the Weighted Displacement Difference test.

    Counts are divided by their weights (``time weight × area weight``) before differencing, so
    with weights the estimate is a change per unit of time and/or area. Without weights it is a
    number of crimes.

    Attributes
    ----------
    estimate : float
        Total WDD: ``local_estimate + displacement_estimate`` (local only without displacement
        areas). **Negative = fewer crimes than the control trend predicts (a reduction)**.
    se : float
        Standard error, ``sqrt(variance)``.
    variance : float
        Poisson variance: ``sum(count / weight**2)`` over every count used (the plain sum of the
        counts without weights).
    z : float
        ``estimate / se``; ``nan`` when the variance is 0 (all counts 0).
    p_value : float
        Two-sided p-value from the standard normal, ``2 * Φ(-|z|)``; ``nan`` when ``se == 0``.
    ci_low, ci_high : float
        Normal confidence interval ``estimate ± z_{1-alpha/2} * se`` (level ``1 - alpha``).
    alpha : float
        Significance level.
    detectable : bool
        ``p_value < alpha``.
    local_estimate, local_se : float
        ``treated_change - control_change`` and its standard error.
    displacement_estimate, displacement_se : float
        ``displacement_change - displacement_control_change`` and its standard error; ``nan``
        without displacement areas. Negative = fewer crimes around the treated area than expected
        (diffusion of benefits); positive = more (displacement).
    treated_change, control_change, displacement_change, displacement_control_change : float
        Weighted ``after - before`` in each area (the last two ``nan`` without displacement areas).
    treated, control : tuple of int
        The (before, after) counts given.
    displacement, displacement_control : tuple of int or None
        The (before, after) counts given, or None.
    time_weights : tuple of float
        (before, after) time weights.
    area_weights : tuple of float
        Area weights in the order of :data:`AREA_ROLES` (treated, control, displacement,
        displacement control).
    too_few : bool
        Fewer than 10 events in the treated area (before + after): the normal approximation is
        poor and the change is too uncertain to report. Everything is still computed.
    method : str
        :data:`WDD_METHOD`.
    """

    estimate: float
    se: float
    variance: float
    z: float
    p_value: float
    ci_low: float
    ci_high: float
    alpha: float
    detectable: bool
    local_estimate: float
    local_se: float
    displacement_estimate: float
    displacement_se: float
    treated_change: float
    control_change: float
    displacement_change: float
    displacement_control_change: float
    treated: tuple[int, int]
    control: tuple[int, int]
    displacement: tuple[int, int] | None
    displacement_control: tuple[int, int] | None
    time_weights: tuple[float, float]
    area_weights: tuple[float, float, float, float]
    too_few: bool
    method: str


def wdd(
    treated: Sequence[int],
    control: Sequence[int],
    displacement: Sequence[int] | None = None,
    displacement_control: Sequence[int] | None = None,
    alpha: float = 0.05,
    *,
    time_weights: Sequence[float] | None = None,
    area_weights: Mapping[str, float] | Sequence[float] | None = None,
) -> WDDResult:
    """Weighted Displacement Difference test of a place-based intervention.

    Wheeler & Ratcliffe (2018): with counts ``T0, T1`` (treated area before/after), ``C0, C1``
    (control), ``D0, D1`` (displacement area around the treated area) and ``DC0, DC1`` (its
    control),

    * local estimate ``(T1 - T0) - (C1 - C0)``,
    * displacement estimate ``(D1 - D0) - (DC1 - DC0)``,
    * WDD = local + displacement, with variance ``T0 + T1 + C0 + C1 + D0 + D1 + DC0 + DC1``
      (each count is Poisson, so its variance is the count itself),
    * ``z = WDD / sqrt(variance)``, two-sided p-value and interval from the standard normal.

    A negative WDD means fewer crimes than the control areas' trend predicts (a reduction).

    Weights (Wheeler 2021, blog posts on different pre/post periods and area sizes; R
    ``ptools::wdd``): each count is divided by ``time weight × area weight`` and its variance by
    the square of that, so the estimate becomes a change per unit of time (e.g. per year when two
    years before are compared with one year after: ``time_weights=(2, 1)``) and/or per unit of
    area (e.g. per km²).

    Parameters
    ----------
    treated, control : pair of int
        (before, after) crime counts in the treated and the control area.
    displacement, displacement_control : pair of int, optional
        (before, after) counts in the displacement area around the treated area and in the one
        around the control area. Give both or neither.
    alpha : float, default 0.05
        Significance level; the interval has level ``1 - alpha``. (``ptools`` defaults to 0.1.)
    time_weights : pair of float, optional
        (before, after) lengths of the periods, e.g. ``(2, 1)`` for two years before and one year
        after. Default ``(1, 1)``.
    area_weights : mapping or sequence of float, optional
        Sizes of the areas: a mapping with keys among ``"treated"``, ``"control"``,
        ``"displacement"``, ``"displacement_control"`` (missing keys are 1), or a sequence of 2
        or 4 numbers in that order (:data:`AREA_ROLES`). Default: all 1.

    Returns
    -------
    WDDResult

    Raises
    ------
    ValueError
        A count that is not a non-negative whole number, a pair that is not of length 2, only one
        of the two displacement areas, weights that are not positive numbers, ``alpha`` outside
        (0, 1).

    Notes
    -----
    The normal approximation needs reasonably large counts; ``too_few`` flags fewer than 10
    events in the treated area. The Poisson variance ignores overdispersion (counts that vary
    more than Poisson), which makes the interval too narrow for very variable crime types.

    Examples
    --------
    The worked example of Wheeler & Ratcliffe (2018) (the "MOPPIN up Dodge" counts from
    Guerette 2009, appendix D, with a displacement control area): WDD = −118, se = √1568 ≈ 39,6,
    z = −2,98, 95 % interval −196 to −40.

    >>> r = wdd(treated=(207, 110), control=(308, 318),
    ...         displacement=(178, 157), displacement_control=(150, 140))
    >>> r.estimate, r.variance, round(r.z, 2), round(r.ci_low), round(r.ci_high)
    (-118.0, 1568.0, -2.98, -196, -40)

    Two years before, one after (Wheeler 2021): per year the estimate is −20 with variance 115.

    >>> r = wdd((80, 20), (100, 50), time_weights=(2, 1))
    >>> r.estimate, r.variance
    (-20.0, 115.0)
    """
    a = check_alpha(alpha)
    t = _pair(treated, "treated")
    c = _pair(control, "control")
    if (displacement is None) != (displacement_control is None):
        raise ValueError(
            "Give both displacement and displacement_control (the areas around the treated and the "
            "control area), or neither."
        )
    d = None if displacement is None else _pair(displacement, "displacement")
    dc = None if displacement_control is None else _pair(displacement_control, "displacement_control")
    tw = _time_weights(time_weights)
    aw = _area_weights(area_weights)

    def change(pair: tuple[int, int], role: str) -> tuple[float, float]:
        w0, w1 = tw[0] * aw[role], tw[1] * aw[role]
        return pair[1] / w1 - pair[0] / w0, pair[1] / w1**2 + pair[0] / w0**2

    t_change, t_var = change(t, "treated")
    c_change, c_var = change(c, "control")
    local = t_change - c_change
    local_var = t_var + c_var
    if d is not None and dc is not None:
        d_change, d_var = change(d, "displacement")
        dc_change, dc_var = change(dc, "displacement_control")
        disp = d_change - dc_change
        disp_var = d_var + dc_var
        estimate, variance = local + disp, local_var + disp_var
        disp_se = math.sqrt(disp_var)
    else:
        d_change = dc_change = disp = disp_se = math.nan
        estimate, variance = local, local_var

    z, p, lo, hi = _normal_inference(estimate, variance, a)
    return WDDResult(
        estimate=float(estimate),
        se=math.sqrt(variance),
        variance=float(variance),
        z=z,
        p_value=p,
        ci_low=float(lo),
        ci_high=float(hi),
        alpha=a,
        detectable=bool(p < a),
        local_estimate=float(local),
        local_se=math.sqrt(local_var),
        displacement_estimate=float(disp),
        displacement_se=float(disp_se),
        treated_change=float(t_change),
        control_change=float(c_change),
        displacement_change=float(d_change),
        displacement_control_change=float(dc_change),
        treated=t,
        control=c,
        displacement=d,
        displacement_control=dc,
        time_weights=tw,
        area_weights=tuple(aw[role] for role in AREA_ROLES),
        too_few=t[0] + t[1] < MIN_TOTAL_COUNT,
        method=WDD_METHOD,
    )


@dataclass(frozen=True)
class WDDHarmResult:
    """Result of :func:`wdd_harm`: WDD estimates of several crime types combined with harm weights.

    Attributes
    ----------
    estimate : float
        ``sum(weight_k * WDD_k)``, in harm units. Negative = less harm than expected.
    se, variance : float
        ``variance = sum(weight_k**2 * variance_k)`` (crime types are independent Poisson counts).
    z, p_value, ci_low, ci_high : float
        Normal inference as in :class:`WDDResult`.
    alpha : float
        Significance level.
    detectable : bool
        ``p_value < alpha``.
    by_type : dict of str to WDDResult
        The WDD of each crime type.
    weights : dict of str to float
        The harm weight of each crime type.
    too_few : bool
        Fewer than 10 events in the treated area over all crime types (before + after).
    method : str
        :data:`WDD_HARM_METHOD`.
    """

    estimate: float
    se: float
    variance: float
    z: float
    p_value: float
    ci_low: float
    ci_high: float
    alpha: float
    detectable: bool
    by_type: dict[str, WDDResult]
    weights: dict[str, float]
    too_few: bool
    method: str


def wdd_harm(
    counts_by_type: Mapping[str, Sequence[Sequence[int]]],
    weights: Mapping[str, float],
    alpha: float = 0.05,
    *,
    time_weights: Sequence[float] | None = None,
    area_weights: Mapping[str, float] | Sequence[float] | None = None,
) -> WDDHarmResult:
    """Harm-weighted WDD: combine the WDD of several crime types with harm weights.

    Following Wheeler (2020, "Amending the WDD test to incorporate harm weights"; R
    ``ptools::wdd_harm``): compute the WDD of each crime type, then the harm estimate
    ``sum(w_k * WDD_k)`` with variance ``sum(w_k**2 * Var(WDD_k))``. A reduction of 10 crimes of
    weight 10 is thereby less certain than a reduction of 25 crimes of weight 4, although both
    are 100 harm units.

    Parameters
    ----------
    counts_by_type : mapping of str to tuple of pairs
        For each crime type, ``(treated, control)`` or ``(treated, control, displacement,
        displacement_control)``, each a (before, after) pair of counts, as in :func:`wdd`.
    weights : mapping of str to float
        Harm weight of each crime type (positive), e.g. from a crime harm index. Must have the
        same keys as ``counts_by_type``.
    alpha : float, default 0.05
        Significance level.
    time_weights, area_weights : optional
        Passed to :func:`wdd` for every crime type.

    Returns
    -------
    WDDHarmResult

    Raises
    ------
    ValueError
        No crime types, keys of ``counts_by_type`` and ``weights`` that differ, a weight that is
        not positive, counts :func:`wdd` rejects.

    Examples
    --------
    The inputs of ``ptools::wdd_harm``'s documented example (robbery, burglary, theft with
    weights 10, 5, 1); by hand: −10·10 − 5·5 − 30·1 = −155 with variance 100·70 + 25·105 + 230.

    >>> h = wdd_harm({"rån": ((20, 10), (20, 20)), "inbrott": ((25, 20), (30, 30)),
    ...               "stöld": ((70, 20), (80, 60))}, {"rån": 10, "inbrott": 5, "stöld": 1})
    >>> h.estimate, h.variance, h.by_type["rån"].estimate
    (-155.0, 9855.0, -10.0)
    """
    a = check_alpha(alpha)
    if not isinstance(counts_by_type, Mapping) or not isinstance(weights, Mapping):
        raise ValueError("counts_by_type and weights must be mappings (dicts) keyed by crime type.")
    if not counts_by_type:
        raise ValueError("counts_by_type is empty; give the counts of at least one crime type.")
    if set(counts_by_type) != set(weights):
        missing = sorted(map(str, set(counts_by_type) - set(weights)))
        extra = sorted(map(str, set(weights) - set(counts_by_type)))
        raise ValueError(
            f"counts_by_type and weights must have the same crime types; without a weight: {missing}, "
            f"weight without counts: {extra}."
        )
    by_type: dict[str, WDDResult] = {}
    w: dict[str, float] = {}
    for kind, areas in counts_by_type.items():
        items = _items(areas, (2, 4))
        if items is None:
            raise ValueError(
                f"counts_by_type[{plain(kind)}] must be (treated, control) or (treated, control, displacement, "
                f"displacement_control), each a (before, after) pair, got {plain(areas)}."
            )
        w[kind] = _positive(weights[kind], f"weights[{plain(kind)}]")
        by_type[kind] = wdd(*items, alpha=a, time_weights=time_weights, area_weights=area_weights)

    estimate = sum(w[k] * r.estimate for k, r in by_type.items())
    variance = sum(w[k] ** 2 * r.variance for k, r in by_type.items())
    z, p, lo, hi = _normal_inference(estimate, variance, a)
    treated_total = sum(r.treated[0] + r.treated[1] for r in by_type.values())
    return WDDHarmResult(
        estimate=float(estimate),
        se=math.sqrt(variance),
        variance=float(variance),
        z=z,
        p_value=p,
        ci_low=float(lo),
        ci_high=float(hi),
        alpha=a,
        detectable=bool(p < a),
        by_type=by_type,
        weights=w,
        too_few=treated_total < MIN_TOTAL_COUNT,
        method=WDD_HARM_METHOD,
    )


# --- Weighted Displacement Quotient ----------------------------------------------------------


@dataclass(frozen=True)
class WDQResult:
    """Result of :func:`wdq`: Weighted Displacement Quotient and total net effect.

    Notation of Guerette (2009, appendix B): ``R`` treated (response) area, ``C`` control,
    ``D`` displacement (buffer) area, ``DC`` its control; ``b`` before, ``a`` after.

    Attributes
    ----------
    treated, control, displacement : tuple of int
        (before, after) counts given.
    displacement_control : tuple of int or None
        (before, after) counts of the displacement area's own control, or None (then the
        control area serves for both).
    gross_effect : float
        ``Rb - Ra``. **Positive = fewer crimes** in the treated area.
    net_effect : float
        ``Rb/Cb - Ra/Ca``. Positive = the treated area fell relative to the control.
    success_measure : float
        ``Ra/Ca - Rb/Cb`` (the WDQ's denominator). **Negative = success**.
    displacement_measure : float
        ``Da/Ca - Db/Cb`` (with a displacement control: ``Da/DCa - Db/DCb``), the WDQ's
        numerator. Positive = possible displacement, negative = possible diffusion of benefits.
    wdq : float
        ``displacement_measure / success_measure``; ``nan`` when the success measure is not
        negative (no direct effect: Bowers & Johnson's quotient is then not interpretable) or a
        control count is 0.
    reading : str
        One of :data:`WDQ_READING_CODES`: ``"diffusion_greater"`` (WDQ > 1), ``"diffusion"``
        (0 < WDQ ≤ 1), ``"none"`` (WDQ = 0), ``"displacement"`` (−1 ≤ WDQ < 0),
        ``"displacement_greater"`` (WDQ < −1), ``"no_success"`` or ``"not_computable"``.
    direct_net_effect : float
        ``Rb * Ca/Cb - Ra``: crimes prevented in the treated area (expected from the control
        trend minus observed). Positive = fewer crimes.
    buffer_net_effect : float
        ``Db * Ca/Cb - Da`` (with a displacement control ``Db * DCa/DCb - Da``). Positive =
        diffusion of benefits, negative = displacement.
    total_net_effect : float
        ``direct_net_effect + buffer_net_effect`` (Guerette's TNE): crimes prevented overall.
    """

    treated: tuple[int, int]
    control: tuple[int, int]
    displacement: tuple[int, int]
    displacement_control: tuple[int, int] | None
    gross_effect: float
    net_effect: float
    success_measure: float
    displacement_measure: float
    wdq: float
    reading: str
    direct_net_effect: float
    buffer_net_effect: float
    total_net_effect: float


def _wdq_reading(value: float) -> str:
    if value > 1:
        return "diffusion_greater"
    if value > 0:
        return "diffusion"
    if value == 0:
        return "none"
    if value >= -1:
        return "displacement"
    return "displacement_greater"


def wdq(
    treated: Sequence[int],
    control: Sequence[int],
    displacement: Sequence[int],
    displacement_control: Sequence[int] | None = None,
) -> WDQResult:
    """Weighted Displacement Quotient (Bowers & Johnson 2003) and total net effect (Guerette 2009).

    With ``R`` the treated area, ``C`` the control, ``D`` the displacement (buffer) area, ``b``
    before and ``a`` after:

    * success measure ``Ra/Ca - Rb/Cb`` (negative = the treated area improved relative to the
      control),
    * displacement measure ``Da/Ca - Db/Cb`` (positive = displacement, negative = diffusion),
    * ``WDQ = displacement measure / success measure``, read as: > 1 diffusion of benefits larger
      than the direct effect; 0 < WDQ ≤ 1 diffusion; 0 none; −1 ≤ WDQ < 0 displacement, but no
      larger than the direct effect (still a net benefit); < −1 displacement larger than the
      direct effect,
    * total net effect ``TNE = [Rb·Ca/Cb − Ra] + [Db·Ca/Cb − Da]``: crimes prevented in the
      treated and the displacement area together (positive = fewer crimes).

    The WDQ is only read when the success measure is negative (Bowers & Johnson: without a direct
    effect there is nothing to be displaced from); otherwise ``wdq`` is ``nan`` and the reading
    ``"no_success"``. These are descriptive ratios without a standard error; use :func:`wdd` for
    a test.

    Parameters
    ----------
    treated, control, displacement : pair of int
        (before, after) counts in the treated area, the control area and the displacement area.
    displacement_control : pair of int, optional
        (before, after) counts in a control area for the displacement area. When given, it
        replaces the control area in the displacement measure (``Da/DCa - Db/DCb``) and in the
        buffer part of the TNE (``Db·DCa/DCb − Da``), as Wheeler & Ratcliffe's WDD does.

    Returns
    -------
    WDQResult

    Raises
    ------
    ValueError
        A count that is not a non-negative whole number or a pair that is not of length 2.

    Notes
    -----
    A control count of 0 makes the ratios undefined: every ratio field is then ``nan`` and the
    reading ``"not_computable"`` (the gross effect is still computed).

    Examples
    --------
    Guerette (2009), appendix D ("MOPPIN up Dodge", Lancashire): gross effect 97, net effect
    0,326, total net effect 130,5 crimes prevented; the quotient is positive and below 1
    (diffusion of benefits smaller than the direct effect).

    >>> r = wdq(treated=(207, 110), control=(308, 318), displacement=(178, 157))
    >>> r.gross_effect, round(r.net_effect, 3), round(r.total_net_effect, 1)
    (97.0, 0.326, 130.5)
    >>> round(r.wdq, 3), r.reading
    (0.258, 'diffusion')
    """
    rb, ra = _pair(treated, "treated")
    cb, ca = _pair(control, "control")
    db, da = _pair(displacement, "displacement")
    dcp = None if displacement_control is None else _pair(displacement_control, "displacement_control")
    xb, xa = (cb, ca) if dcp is None else dcp  # the displacement area's comparison

    gross = float(rb - ra)
    nan = math.nan
    if cb == 0 or ca == 0 or xb == 0 or xa == 0:
        return WDQResult(
            treated=(rb, ra), control=(cb, ca), displacement=(db, da), displacement_control=dcp,
            gross_effect=gross, net_effect=nan, success_measure=nan, displacement_measure=nan,
            wdq=nan, reading="not_computable", direct_net_effect=nan, buffer_net_effect=nan,
            total_net_effect=nan,
        )
    success = ra / ca - rb / cb
    disp = da / xa - db / xb
    if success < 0:
        quotient = disp / success
        reading = _wdq_reading(quotient)
    else:
        quotient, reading = nan, "no_success"
    direct = rb * ca / cb - ra
    buffer = db * xa / xb - da
    return WDQResult(
        treated=(rb, ra),
        control=(cb, ca),
        displacement=(db, da),
        displacement_control=dcp,
        gross_effect=gross,
        net_effect=float(rb / cb - ra / ca),
        success_measure=float(success),
        displacement_measure=float(disp),
        wdq=float(quotient),
        reading=reading,
        direct_net_effect=float(direct),
        buffer_net_effect=float(buffer),
        total_net_effect=float(direct + buffer),
    )


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
    comparison is weak. A control area (:func:`wdd`) protects against regression to the mean only
    if the control was chosen the same way (also at a peak).

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
        (:func:`treated_only`): met only for a statistically detectable decrease,
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
        not dates, counts :func:`treated_only` rejects.

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
