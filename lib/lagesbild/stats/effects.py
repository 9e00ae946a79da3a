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

The rest of the evaluation has its own modules: the treated area alone, without a control, and the
regression-to-the-mean warning (:mod:`lagesbild.stats.treated`), the change between two survey
estimates (:mod:`lagesbild.stats.surveys`) and whether a commitment was met
(:mod:`lagesbild.stats.commitments`). They share this module's validation helpers. The names they took
from here still answer here (``lagesbild.evaluation.treated_only`` works), looked up lazily.

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
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lagesbild.core import lazy
from lagesbild.core.fmt import plain
from lagesbild.stats.counts import MIN_TOTAL_COUNT, _as_count, check_alpha

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


# --- names that moved ----------------------------------------------------------------------

# ``treated_only``, ``regression_to_mean``, ``survey_change``, ``commitment_status`` and their results and
# constants now live in their own modules; old code (``lagesbild.evaluation.treated_only``) still finds them.
__getattr__ = lazy.also_in(__name__, "lagesbild.stats.treated", "lagesbild.stats.surveys",
                           "lagesbild.stats.commitments")
