"""Changes and trends in drug loads measured in wastewater: numbers and small dataclasses.

Loads are biomarker loads in mg per day per 1 000 inhabitants (:data:`UNIT`), as EUDA reports
them. The functions take the tidy frames of the wastewater modules (``DAILY``: one row per site ×
campaign × substance × day; ``SUMMARY``: one row per site × campaign × substance) and answer:

* Did the load change between the last two campaigns? :func:`year_over_year` compares the daily
  loads of the two campaigns on the log scale with Welch's t-test.
* Is there a trend over several years? :func:`multi_year_trend` fits a log-linear OLS trend to the
  campaign means, with the Theil–Sen slope alongside as a robustness check.
* How do weekdays differ from the weekend? :func:`weekday_profile` and :func:`weekend_ratio`.

:func:`lagesbild.wastewater.text.describe_yoy`, :func:`~lagesbild.wastewater.text.describe_trend` and
:func:`~lagesbild.wastewater.text.summary_sentences` turn the results into Swedish sentences that never
claim more than the data carry.

The statistics stay here rather than in :mod:`lagesbild.stats`: they are written for the wastewater
frames (campaigns of a week, values below the limit of quantification, EUDA's zeros), not for counts in
general.

Why the log scale (geometric means)
-----------------------------------
Daily loads are positive and right-skewed: one party weekend can double a week's mean. Their
logarithms are close to symmetric, and a difference of mean log loads back-transforms to a *ratio*
of geometric means: "a typical measurement day was 38 % higher". That ratio is what
:func:`year_over_year` tests and gives a confidence interval for; the arithmetic means (what EUDA
publishes as "daily mean") are reported alongside for the levels. The two ratios are close when the
day-to-day spread is similar in both campaigns, but they are not the same number, which is why the
sentences say "ett typiskt mätdygn" for the percentage.

What one campaign can and cannot say
------------------------------------
EUDA measures one week (seven consecutive days) a year at each site, usually in spring. Welch's
test treats the days of a campaign as independent draws from that campaign, so it answers "were
these two weeks different beyond day-to-day variation?", not "was the year different?". A holiday,
a festival or rain in one of the weeks is a real difference between the weeks, but not between the
years. The sentences therefore always say that a week need not represent the year, and a trend
over years (:func:`multi_year_trend`) uses one point per campaign, so campaign-to-campaign noise is
part of its (wide) interval.

Zero loads
----------
EUDA writes 0 for a day where nothing could be quantified, without the limit of quantification
(LOQ). A zero has no logarithm and there is no LOQ to substitute, so zeros are counted as below the
LOQ and any zero in the compared data makes the log-scale comparison impossible: the result is
marked ``not_interpretable`` rather than computed with zeros dropped (which would bias it upwards).
Own lab data flag values below the LOQ in ``below_loq`` and carry a substituted positive value;
those are used as they are and counted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lagesbild.core import fmt, units
from lagesbild.core.fmt import plain
from lagesbild.stats.counts import check_alpha

#: Unit of every load, for axis labels and sentences.
UNIT = units.LOAD_UNIT

#: EUDA's groups of days (0 = Monday): "Weekday mean" = Tuesday–Thursday; "Weekend mean" = Friday–Monday
#: (a weekend's use shows up in the wastewater with a delay, so Monday belongs to the weekend). One
#: definition, in :mod:`lagesbild.sources.euda`.
WEEKDAY_DAYS: tuple[int, ...] = units.WEEKDAY_DAYS
WEEKEND_DAYS: tuple[int, ...] = units.WEEKEND_DAYS

#: Swedish names of the two groups of days, as legends and tables show them.
WEEKDAY_GROUP = units.WEEKDAY_GROUP
WEEKEND_GROUP = units.WEEKEND_GROUP

#: A campaign with fewer measured days than this is too short for :func:`year_over_year`.
MIN_DAYS = 3
#: :func:`multi_year_trend` needs at least this many different years.
MIN_TREND_YEARS = 3

#: Method codes of :attr:`LoadChange.method` and :attr:`LoadTrend.method` (the report describes them:
#: :data:`lagesbild.wastewater.text.METHOD_TEXTS`).
YOY_METHOD = "welch_log_ratio"
TREND_METHOD = "ols_log_trend_theil_sen"

_DAILY_COLUMNS = ["site_id", "year", "campaign", "substance", "date", "weekday", "load", "below_loq"]
_SUMMARY_COLUMNS = ["site_id", "year", "campaign", "substance", "daily_mean"]


# --------------------------------------------------------------------------------------------
# Result classes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadChange:
    """Result of :func:`year_over_year`: did the load change between the last two campaigns?

    Attributes
    ----------
    site_id, substance : str
        What was compared.
    years : tuple of (int or None, int or None)
        Year of the earlier and the later campaign; ``None`` where there is no such campaign.
    campaigns : tuple of (str or None, str or None)
        Labels of the two campaigns (for EUDA the year as text, for own data e.g. ``"2025 v.12"``).
    mean_before, mean_after : float
        Arithmetic mean of the daily loads (what EUDA publishes as "daily mean"); NaN if missing.
    gmean_before, gmean_after : float
        Geometric mean of the daily loads (NaN when a load is 0 or the campaign is missing).
    ratio : float
        ``gmean_after / gmean_before``: the ratio of geometric means, i.e. ``exp`` of the difference
        of mean log loads. NaN when it cannot be computed.
    ci_low, ci_high : float
        Confidence interval (level ``1 - alpha``) of ``ratio``: Welch's interval for the
        difference of mean log loads with Welch–Satterthwaite degrees of freedom, back-transformed.
        NaN when ``too_few`` or ``not_interpretable``, or when no day varies at all.
    p : float
        Two-sided p-value of Welch's t-test on the log loads (NaN as the interval).
    t, df : float
        Welch's t statistic (after minus before) and its Welch–Satterthwaite degrees of freedom.
    n_before, n_after : int
        Days with a measured value in each campaign.
    n_below_loq : tuple of (int, int)
        Days below the limit of quantification (flagged ``below_loq`` or with load 0) in each.
    n_zero : tuple of (int, int)
        Days with load exactly 0 in each (EUDA's "nothing quantified"); any zero makes the log
        comparison impossible, so ``not_interpretable`` is then True.
    alpha : float
        Significance level.
    detectable : bool
        The interval excludes 1; always False when ``too_few`` or ``not_interpretable``.
    too_few : bool
        Fewer than :data:`MIN_DAYS` measured days in either campaign, or fewer than two campaigns.
    not_interpretable : bool
        More than half of the days below the LOQ in either campaign, or a zero load.
    method : str
        :data:`YOY_METHOD`.

    Examples
    --------
    >>> r = LoadChange("SE001", "cocaine", (2023, 2024), ("2023", "2024"), 300.0, 400.0, 290.0, 390.0,
    ...                1.34, 1.1, 1.6, 0.01, 3.0, 11.0, 7, 7, (0, 0), (0, 0), 0.05, True, False, False, "")
    >>> r.detectable, r.years
    (True, (2023, 2024))
    """

    site_id: str
    substance: str
    years: tuple[int | None, int | None]
    campaigns: tuple[str | None, str | None]
    mean_before: float
    mean_after: float
    gmean_before: float
    gmean_after: float
    ratio: float
    ci_low: float
    ci_high: float
    p: float
    t: float
    df: float
    n_before: int
    n_after: int
    n_below_loq: tuple[int, int]
    n_zero: tuple[int, int]
    alpha: float
    detectable: bool
    too_few: bool
    not_interpretable: bool
    method: str


@dataclass(frozen=True)
class LoadTrend:
    """Result of :func:`multi_year_trend`: a log-linear trend over the years.

    Attributes
    ----------
    site_id, substance : str
    years : tuple of int
        The years with a campaign mean (sorted, gaps allowed).
    n_years : int
        Number of different years.
    n_campaigns : int
        Number of campaign means used (equals ``n_years`` when there is one campaign a year).
    annual_change_pct : float
        ``100 * (exp(b) - 1)``, ``b`` the OLS slope of log(daily mean) on the year.
    ci_low_pct, ci_high_pct : float
        Confidence interval (level ``1 - alpha``) of ``annual_change_pct`` (t distribution with
        ``n_campaigns - 2`` degrees of freedom, so very wide with three years).
    p : float
        Two-sided p-value of the OLS slope.
    theil_sen_pct, theil_sen_low_pct, theil_sen_high_pct : float
        The Theil–Sen slope (median of pairwise slopes) on the same log values, in percent per
        year, with its confidence interval (level ``1 - alpha``; Sen 1968).
    alpha : float
    detectable : bool
        The OLS interval excludes 0; always False when ``too_few`` or ``not_interpretable``.
    too_few : bool
        Fewer than :data:`MIN_TREND_YEARS` different years. Estimates are then NaN.
    not_interpretable : bool
        A campaign mean is 0 (nothing quantified), so there is no log value. Estimates are NaN.
    zero_years : tuple of int
        The years with a campaign mean of 0.
    method : str
        :data:`TREND_METHOD`.

    Examples
    --------
    >>> t = LoadTrend("SE001", "cocaine", (2022, 2023, 2024), 3, 3, 10.0, -5.0, 27.0, 0.2, 9.0, -8.0,
    ...               30.0, 0.05, False, False, False, (), "")
    >>> t.annual_change_pct, t.detectable
    (10.0, False)
    """

    site_id: str
    substance: str
    years: tuple[int, ...]
    n_years: int
    n_campaigns: int
    annual_change_pct: float
    ci_low_pct: float
    ci_high_pct: float
    p: float
    theil_sen_pct: float
    theil_sen_low_pct: float
    theil_sen_high_pct: float
    alpha: float
    detectable: bool
    too_few: bool
    not_interpretable: bool
    zero_years: tuple[int, ...]
    method: str


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _require(df: pd.DataFrame, columns: list[str], name: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(df).__name__}.")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name} lacks column(s) {', '.join(map(repr, missing))}; see the DAILY/SUMMARY "
                         "contract in lagesbild.wastewater.trends.")


def _select(df: pd.DataFrame, site_id: str, substance: str, name: str) -> pd.DataFrame:
    rows = df.loc[(df["site_id"] == site_id) & (df["substance"] == substance)]
    if rows.empty:
        raise ValueError(f"{name} has no rows for site {plain(site_id)} and substance {plain(substance)}.")
    return rows


def _campaign_order(rows: pd.DataFrame) -> list[str]:
    """Campaign labels from earliest to latest (year, then first date, then label)."""
    keys = (rows.assign(_date=pd.to_datetime(rows["date"]) if "date" in rows else pd.NaT)
            .groupby("campaign", sort=False)
            .agg(year=("year", "min"), first=("_date", "min")))
    keys = keys.reset_index().sort_values(["year", "first", "campaign"], na_position="first")
    return keys["campaign"].astype(str).tolist()


def _loads(rows: pd.DataFrame, where: str) -> pd.DataFrame:
    loads = pd.to_numeric(rows["load"], errors="coerce").astype(float)
    if (loads < 0).any():
        raise ValueError(f"{where}: a load is negative ({loads.min()}); loads cannot be negative.")
    return rows.assign(load=loads).loc[loads.notna()]


# --------------------------------------------------------------------------------------------
# Year over year
# --------------------------------------------------------------------------------------------


def year_over_year(daily: pd.DataFrame, site_id: str, substance: str, alpha: float = 0.05) -> LoadChange:
    """Compare the daily loads of the last two campaigns of a site with Welch's t-test on logs.

    The two latest campaigns that have at least one measured day are compared (for EUDA data the
    last two years with data, not necessarily consecutive). The test is Welch's t-test
    (:func:`scipy.stats.ttest_ind` with ``equal_var=False``) on the natural logarithms of the daily
    loads, later minus earlier; its confidence interval for the difference of mean logs uses the
    Welch–Satterthwaite degrees of freedom and is back-transformed with ``exp`` to an interval for
    the ratio of geometric means (see the module docstring for why the log scale).

    Parameters
    ----------
    daily : pandas.DataFrame
        ``DAILY`` frame (columns ``site_id, year, campaign, substance, date, weekday, load,
        below_loq``; more are ignored). Rows with ``load`` NaN are not measured and are ignored.
    site_id : str
    substance : str
        Substance key (see :data:`lagesbild.sources.substances.SUBSTANCES`).
    alpha : float, default 0.05
        Significance level; the interval has level ``1 - alpha``.

    Returns
    -------
    LoadChange
        With fewer than :data:`MIN_DAYS` measured days in either campaign, or only one campaign,
        ``too_few`` is True and there is no interval or p-value (NaN). Values flagged
        ``below_loq`` are used at their substituted value and counted; when more than half of the
        days of either campaign are below the LOQ, or any load is 0, ``not_interpretable`` is True
        and there is no interval either. The means are still given.

    Raises
    ------
    ValueError
        ``daily`` lacks a column, has no row for the site and substance, has a negative load, or
        ``alpha`` is outside (0, 1).

    Examples
    --------
    >>> import pandas as pd
    >>> daily = pd.DataFrame({
    ...     "site_id": "SE999", "substance": "cocaine", "date": pd.NaT, "below_loq": False,
    ...     "year": [2023] * 4 + [2024] * 4, "campaign": ["2023"] * 4 + ["2024"] * 4,
    ...     "weekday": [1, 2, 3, 4] * 2, "load": [100.0, 110, 90, 120, 150, 160, 140, 170]})
    >>> r = year_over_year(daily, "SE999", "cocaine")
    >>> r.years, r.mean_before, r.mean_after, round(r.ratio, 3), r.detectable
    ((2023, 2024), 105.0, 155.0, 1.481, True)
    """
    a = check_alpha(alpha)
    _require(daily, _DAILY_COLUMNS, "daily")
    rows = _loads(_select(daily, site_id, substance, "daily"), f"daily, site {plain(site_id)}, {plain(substance)}")
    order = _campaign_order(rows) if not rows.empty else []
    picked = order[-2:]
    groups = [rows.loc[rows["campaign"].astype(str) == c] for c in picked]
    if len(groups) == 1:
        picked, groups = [None, *picked], [None, *groups]
    elif not groups:
        picked, groups = [None, None], [None, None]

    def _stats(g: pd.DataFrame | None) -> tuple[int | None, int, int, int, float, float, np.ndarray]:
        if g is None:
            return None, 0, 0, 0, math.nan, math.nan, np.array([])
        x = g["load"].to_numpy(dtype=float)
        flagged = g["below_loq"].fillna(False).astype(bool).to_numpy()
        zero = x == 0
        gmean = float(np.exp(np.mean(np.log(x)))) if not zero.any() else math.nan
        return (int(g["year"].min()), x.size, int((flagged | zero).sum()), int(zero.sum()),
                float(np.mean(x)), gmean, x)

    yb, nb, loqb, zb, mb, gb, xb = _stats(groups[0])
    ya, na, loqa, za, ma, ga, xa = _stats(groups[1])
    too_few = min(nb, na) < MIN_DAYS
    not_interpretable = bool(zb or za or (nb and loqb > nb / 2) or (na and loqa > na / 2))

    nan = math.nan
    ratio = ga / gb if math.isfinite(ga) and math.isfinite(gb) else nan
    ci_low = ci_high = p = t = df = nan
    if not too_few and not not_interpretable:
        la, lb = np.log(xa), np.log(xb)
        if np.ptp(la) > 0 or np.ptp(lb) > 0:  # some day differs from the others
            from scipy import stats as sps

            res = sps.ttest_ind(la, lb, equal_var=False)
            ci = res.confidence_interval(confidence_level=1.0 - a)
            ci_low, ci_high = float(np.exp(ci.low)), float(np.exp(ci.high))
            p, t, df = float(res.pvalue), float(res.statistic), float(res.df)
    detectable = bool(math.isfinite(ci_low) and (ci_low > 1.0 or ci_high < 1.0))

    return LoadChange(
        site_id=str(site_id), substance=str(substance), years=(yb, ya),
        campaigns=(picked[0], picked[1]),
        mean_before=mb, mean_after=ma, gmean_before=gb, gmean_after=ga,
        ratio=float(ratio), ci_low=ci_low, ci_high=ci_high, p=p, t=t, df=df,
        n_before=nb, n_after=na, n_below_loq=(loqb, loqa), n_zero=(zb, za), alpha=a,
        detectable=detectable, too_few=too_few, not_interpretable=not_interpretable, method=YOY_METHOD,
    )


# --------------------------------------------------------------------------------------------
# Multi-year trend
# --------------------------------------------------------------------------------------------


def multi_year_trend(summary: pd.DataFrame, site_id: str, substance: str, alpha: float = 0.05) -> LoadTrend:
    """Average yearly change of the load: OLS of log(daily mean) on the year, with Theil–Sen alongside.

    One point per campaign: its ``daily_mean`` at its ``year``. The OLS fit
    (:class:`statsmodels.regression.linear_model.OLS`) gives the slope ``b`` of log load per year,
    reported as ``100 * (exp(b) - 1)`` % per year with a t interval and p-value. The Theil–Sen
    slope (:func:`scipy.stats.theilslopes`, median of all pairwise slopes) on the same log values
    is reported alongside: a single unusual campaign moves it much less than the OLS slope.

    Each year is one campaign (for EUDA, one week). The scatter around the line therefore holds
    the real year-to-year change *and* the campaign-to-campaign noise (which week was measured,
    weather, events), and with few years the interval is wide: with three years the t quantile has
    one degree of freedom (12,7 for 95 %).

    Parameters
    ----------
    summary : pandas.DataFrame
        ``SUMMARY`` frame (columns ``site_id, year, campaign, substance, daily_mean``; more are
        ignored). Rows with ``daily_mean`` NaN are ignored.
    site_id, substance : str
    alpha : float, default 0.05

    Returns
    -------
    LoadTrend
        ``too_few`` with fewer than :data:`MIN_TREND_YEARS` different years; ``not_interpretable``
        when a campaign mean is 0 (see the module docstring). In both cases every estimate is NaN.

    Raises
    ------
    ValueError
        ``summary`` lacks a column, has no row for the site and substance, has a negative daily
        mean, or ``alpha`` is outside (0, 1).

    Examples
    --------
    Loads growing by exactly 10 % a year:

    >>> import pandas as pd
    >>> s = pd.DataFrame({"site_id": "SE999", "substance": "cocaine", "year": [2021, 2022, 2023, 2024],
    ...                   "campaign": ["2021", "2022", "2023", "2024"],
    ...                   "daily_mean": [100.0, 110.0, 121.0, 133.1]})
    >>> t = multi_year_trend(s, "SE999", "cocaine")
    >>> round(t.annual_change_pct, 6), round(t.theil_sen_pct, 6), t.n_years
    (10.0, 10.0, 4)
    """
    a = check_alpha(alpha)
    _require(summary, _SUMMARY_COLUMNS, "summary")
    rows = _select(summary, site_id, substance, "summary")
    means = pd.to_numeric(rows["daily_mean"], errors="coerce").astype(float)
    rows = rows.assign(daily_mean=means).loc[means.notna()].sort_values("year")
    if (rows["daily_mean"] < 0).any():
        raise ValueError(f"summary, site {plain(site_id)}, {plain(substance)}: a daily_mean is negative.")
    x = rows["year"].astype(int).to_numpy()
    y = rows["daily_mean"].to_numpy(dtype=float)
    years = tuple(int(v) for v in np.unique(x))
    zero_years = tuple(int(v) for v in np.unique(x[y == 0]))
    too_few = len(years) < MIN_TREND_YEARS
    not_interpretable = bool(zero_years)

    nan = math.nan
    est = lo = hi = p = ts = ts_lo = ts_hi = nan
    if not too_few and not not_interpretable:
        import statsmodels.api as sm
        from scipy import stats as sps

        logy = np.log(y)
        xc = (x - x[0]).astype(float)
        fit = sm.OLS(logy, sm.add_constant(xc)).fit()
        b = float(fit.params[1])
        ci = fit.conf_int(alpha=a)[1]
        est, lo, hi = (100.0 * math.expm1(v) for v in (b, float(ci[0]), float(ci[1])))
        p = float(fit.pvalues[1])
        ts_res = sps.theilslopes(logy, xc, alpha=1.0 - a)
        ts, ts_lo, ts_hi = (100.0 * math.expm1(float(v))
                            for v in (ts_res.slope, ts_res.low_slope, ts_res.high_slope))
    detectable = bool(math.isfinite(lo) and (lo > 0.0 or hi < 0.0))
    return LoadTrend(
        site_id=str(site_id), substance=str(substance), years=years, n_years=len(years),
        n_campaigns=int(x.size), annual_change_pct=est, ci_low_pct=lo, ci_high_pct=hi, p=p,
        theil_sen_pct=ts, theil_sen_low_pct=ts_lo, theil_sen_high_pct=ts_hi, alpha=a,
        detectable=detectable, too_few=too_few, not_interpretable=not_interpretable,
        zero_years=zero_years, method=TREND_METHOD,
    )


# --------------------------------------------------------------------------------------------
# Weekday pattern
# --------------------------------------------------------------------------------------------


def yearly_loads(daily: pd.DataFrame, site_id: str, substance: str) -> pd.DataFrame:
    """A site's measured days of one substance per year: count, mean load, and the log-scale mean and spread.

    The lägesbild follows up an åtgärdsplan's goal on a substance's load against any baseline year
    (:mod:`lagesbild.summary.followup`, :func:`lagesbild.stats.goals.goal_status`); these are the numbers
    its test needs, so it never recomputes the report's data. The log-scale figures follow
    :func:`year_over_year`'s rules: they are NaN when the year has fewer than :data:`MIN_DAYS` measured
    days, a zero load, or more than half of its days below the LOQ (the comparison is then not
    interpretable).

    Parameters
    ----------
    daily : pandas.DataFrame
        ``DAILY`` frame (``site_id``, ``year``, ``substance``, ``load``, ``below_loq``); rows with
        ``load`` NaN are not measured.
    site_id, substance : str

    Returns
    -------
    pandas.DataFrame
        ``year``, ``days``, ``mean`` (arithmetic mean of the daily loads), ``log_mean``, ``log_sd``
        (mean and sample standard deviation of their natural logarithms), ``below_loq``; by year.

    Examples
    --------
    >>> d = pd.DataFrame({"site_id": "S", "substance": "cocaine", "year": [2024] * 3 + [2025] * 3,
    ...                   "load": [100.0, 100.0, 400.0, 50.0, 0.0, 60.0], "below_loq": False})
    >>> y = yearly_loads(d, "S", "cocaine")
    >>> y["year"].tolist(), y["days"].tolist(), y["mean"].tolist()
    ([2024, 2025], [3, 3], [200.0, 36.666666666666664])
    >>> round(float(y.loc[0, "log_mean"]), 4), round(float(y.loc[0, "log_sd"]), 4), bool(np.isnan(y.loc[1, "log_mean"]))
    (5.0673, 0.8004, True)
    """
    _require(daily, ["site_id", "year", "substance", "load", "below_loq"], "daily")
    rows = daily[(daily["site_id"] == site_id) & (daily["substance"] == substance) & daily["load"].notna()]
    out = []
    for year, g in rows.groupby("year", sort=True):
        loads = g["load"].astype(float).to_numpy()
        below = int((g["below_loq"].astype(bool) | (g["load"] == 0)).sum())
        n = len(loads)
        usable = n >= MIN_DAYS and bool((loads > 0).all()) and below <= n / 2
        logs = np.log(loads) if usable else None
        out.append({"year": int(year), "days": n, "mean": float(loads.mean()),
                    "log_mean": float(logs.mean()) if usable else float("nan"),
                    "log_sd": float(logs.std(ddof=1)) if usable else float("nan"), "below_loq": below})
    return pd.DataFrame(out, columns=["year", "days", "mean", "log_mean", "log_sd", "below_loq"])


def weekday_profile(daily: pd.DataFrame, site_id: str, substance: str, year: int) -> pd.DataFrame:
    """Mean load per weekday in one year, Monday first, with EUDA's weekday/weekend grouping.

    Parameters
    ----------
    daily : pandas.DataFrame
        ``DAILY`` frame.
    site_id, substance : str
    year : int

    Returns
    -------
    pandas.DataFrame
        Seven rows (Monday … Sunday) with columns ``weekday`` (0 = Monday), ``veckodag`` (Swedish
        short name, :data:`lagesbild.core.fmt.WEEKDAYS_SHORT`), ``grupp`` (:data:`WEEKDAY_GROUP` for
        Tuesday–Thursday, :data:`WEEKEND_GROUP` for Friday–Monday), ``load`` (mean of the measured
        loads on that weekday in the year; NaN if none), ``n_days`` and ``n_below_loq``.
        Values below the LOQ are included at their substituted value.

    Raises
    ------
    ValueError
        ``daily`` lacks a column, or has no measured load for the site, substance and year.

    Examples
    --------
    >>> import pandas as pd
    >>> daily = pd.DataFrame({"site_id": "SE999", "substance": "MDMA", "year": 2024, "campaign": "2024",
    ...                       "date": pd.NaT, "below_loq": False, "weekday": [2, 3, 4, 5, 6, 0, 1],
    ...                       "load": [8.82, 12.87, 12.45, 28.11, 26.8, 10.5, 9.13]})
    >>> p = weekday_profile(daily, "SE999", "MDMA", 2024)
    >>> p[["veckodag", "load"]].values.tolist()[:2], p["grupp"].tolist()[:2]
    ([['mån', 10.5], ['tis', 9.13]], ['helg (fre–mån)', 'vardag (tis–tor)'])
    """
    _require(daily, _DAILY_COLUMNS, "daily")
    rows = daily.loc[(daily["site_id"] == site_id) & (daily["substance"] == substance)
                     & (daily["year"] == year)]
    rows = _loads(rows, f"daily, site {plain(site_id)}, {plain(substance)}, {year}")
    if rows.empty:
        raise ValueError(f"daily has no measured load for site {plain(site_id)}, substance {plain(substance)} "
                         f"in {year}.")
    wd = pd.to_numeric(rows["weekday"], errors="coerce")
    if wd.isna().any() or not wd.isin(range(7)).all():
        raise ValueError("daily['weekday'] must be 0 (Monday) … 6 (Sunday) on every measured row.")
    flagged = rows["below_loq"].fillna(False).astype(bool) | (rows["load"] == 0)
    g = pd.DataFrame({"weekday": wd.astype(int), "load": rows["load"], "loq": flagged}).groupby("weekday")
    out = pd.DataFrame({"weekday": range(7)})
    out["veckodag"] = fmt.WEEKDAYS_SHORT
    out["grupp"] = [WEEKDAY_GROUP if d in WEEKDAY_DAYS else WEEKEND_GROUP for d in range(7)]
    out["load"] = out["weekday"].map(g["load"].mean()).astype(float)
    out["n_days"] = out["weekday"].map(g["load"].size()).fillna(0).astype(int)
    out["n_below_loq"] = out["weekday"].map(g["loq"].sum()).fillna(0).astype(int)
    return out


def weekend_ratio(summary_row: pd.Series | Mapping) -> float:
    """Weekend mean divided by weekday mean for one ``SUMMARY`` row.

    EUDA's weekend mean is the mean of Friday–Monday and its weekday mean that of Tuesday–Thursday
    (:data:`WEEKEND_DAYS`, :data:`WEEKDAY_DAYS`). Exception: in EUDA's 2021 rows the published
    means are Saturday–Monday and Tuesday–Friday (checked against the day columns in the tests), so
    a 2021 ratio is not strictly comparable with other years. A ratio above 1 points to weekend
    (recreational) use, typical of cocaine and MDMA.

    Parameters
    ----------
    summary_row : pandas.Series or mapping
        Needs ``weekday_mean`` and ``weekend_mean``.

    Returns
    -------
    float
        NaN when either mean is missing or the weekday mean is 0 (the ratio is undefined).

    Raises
    ------
    ValueError
        A key is missing or a mean is negative.

    Examples
    --------
    >>> weekend_ratio({"weekday_mean": 10.27, "weekend_mean": 19.47})  # Graz, MDMA, 2024
    1.8958130477117818
    >>> weekend_ratio({"weekday_mean": 0.0, "weekend_mean": 1.0})
    nan
    """
    try:
        wd, we = summary_row["weekday_mean"], summary_row["weekend_mean"]
    except KeyError as exc:
        raise ValueError(f"summary_row needs 'weekday_mean' and 'weekend_mean'; missing {exc}.") from exc
    wd = math.nan if wd is None or pd.isna(wd) else float(wd)
    we = math.nan if we is None or pd.isna(we) else float(we)
    if wd < 0 or we < 0:
        raise ValueError(f"weekday_mean and weekend_mean cannot be negative, got {wd} and {we}.")
    if math.isnan(wd) or math.isnan(we) or wd == 0:
        return math.nan
    return we / wd
