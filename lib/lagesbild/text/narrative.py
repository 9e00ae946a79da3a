"""Short Swedish sentences that state a finding together with its uncertainty.

The sentences are plain text (never HTML; the display layer escapes). Numbers are formatted by
:mod:`lagesbild.core.fmt`: decimal comma, non-breaking space as thousands separator and before
``%``, and ``−`` (U+2212) as minus sign.

Two rules keep the text honest:

* a change is called "statistiskt säkerställd" only when the test says so, and the p-value is
  always given;
* small numbers are never turned into percentages or ratios: when a
  :class:`~lagesbild.stats.counts.ChangeTest` is ``too_few`` (fewer than 10 events in total) the
  sentence says the numbers are too small instead of quoting the rate ratio, so 2 → 4 is never
  described as a doubling or "+100 %".
"""

from __future__ import annotations

import math

from lagesbild.core import fmt
from lagesbild.core.fmt import plain
from lagesbild.stats.counts import ChangeTest, TrendTest

NBSP = fmt.NBSP

#: Largest disagreement (as a factor, 5 %) tolerated between the direction of the values shown
#: and the test's rate ratio before :func:`describe_change` refuses to write a sentence.
_DIRECTION_TOLERANCE = 0.05


def _level(alpha: float) -> str:
    """Confidence level for ``alpha`` as Swedish text: 0.05 → ``"95 %"``, 0.001 → ``"99,9 %"``."""
    level = 100.0 * (1.0 - alpha)
    decimals = next(d for d in range(4) if abs(round(level, d) - level) < 1e-9 or d == 3)
    return fmt.percent(level, decimals)


def _signed(x: float, decimals: int) -> str:
    """A number with an explicit ``+`` on positive values (``−`` comes from :func:`fmt.number`)."""
    sign = "+" if round(x, decimals) > 0 else ""
    return sign + fmt.number(x, decimals)


def _check_finite(x: float, name: str) -> None:
    if x is None or isinstance(x, bool) or not math.isfinite(float(x)):
        raise ValueError(f"{name} must be a finite number, got {plain(x)}.")


def describe_change(
    subject: str,
    test: ChangeTest,
    year_before: int | str,
    year_after: int | str,
    value_before: float,
    value_after: float,
    unit: str = "per 100\u00a0000 invånare",
    decimals: int = 0,
) -> str:
    """One Swedish sentence about the change between two years, with its uncertainty.

    The direction word (``ökade``/``minskade``, or ``låg oförändrat på`` when the two values are
    equal as displayed) follows the values shown. The statistical clause follows ``test``:
    "förändringen är statistiskt säkerställd" only when ``test.detectable``. The rate ratio and
    its confidence interval (level ``1 - test.alpha``) are given when they are informative, i.e.
    when ``test.too_few`` is False and the ratio is finite and non-zero. When ``test.too_few``
    the sentence says the numbers are too small and gives no ratio or percentage.

    Parameters
    ----------
    subject : str
        What is counted, starting with a capital, e.g. ``"Anmälda skadegörelsebrott"``.
    test : ChangeTest
        Result of :func:`lagesbild.stats.counts.poisson_change` for the same two years.
    year_before, year_after : int or str
        The two years compared, or labels of two periods (``"jan–dec 2025"``).
    value_before, value_after : float
        The values to show (rates or counts, on the scale named by ``unit``).
    unit : str, default "per 100 000 invånare" (with a non-breaking space)
        Appended to the subject; use ``""`` for plain counts.
    decimals : int, default 0
        Decimals of the values shown.

    Returns
    -------
    str
        Plain text ending with a full stop.

    Raises
    ------
    ValueError
        Non-finite values, negative ``decimals``, ``year_after`` not after ``year_before``, or
        values that move in the opposite direction to ``test.rate_ratio`` by more than 5 %
        (a sign that the values and the test do not belong together).

    Examples
    --------
    >>> from lagesbild.stats.counts import poisson_change
    >>> t = poisson_change(2, 4)
    >>> print(describe_change("Anmälda narkotikabrott", t, 2023, 2024, 2, 4, unit=""))
    Anmälda narkotikabrott ökade från 2 (2023) till 4 (2024); det är ingen statistiskt säkerställd förändring (p = 0,48), och antalen är för små för att säga något säkert om utvecklingen.

    >>> t = poisson_change(1234, 1100)
    >>> text = describe_change("Anmälda skadegörelsebrott", t, 2023, 2024, 1234, 1100)
    >>> print(text.replace("\\u00a0", " "))
    Anmälda skadegörelsebrott per 100 000 invånare minskade från 1 234 (2023) till 1 100 (2024); förändringen är statistiskt säkerställd (kvot 0,89; 95 % KI 0,82–0,97; p = 0,006).
    """
    _check_finite(value_before, "value_before")
    _check_finite(value_after, "value_after")
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"decimals must be a non-negative integer, got {plain(decimals)}.")
    if isinstance(year_before, int) and isinstance(year_after, int) and year_after <= year_before:
        raise ValueError(f"year_after ({year_after}) must be later than year_before ({year_before}).")

    shown_before = fmt.number(value_before, decimals)
    shown_after = fmt.number(value_after, decimals)
    ratio = test.rate_ratio
    if (
        shown_before != shown_after
        and value_before > 0
        and value_after > 0
        and math.isfinite(ratio)
        and ratio > 0
        and (value_after > value_before) != (ratio > 1)
        and abs(math.log(value_after / value_before) - math.log(ratio)) > _DIRECTION_TOLERANCE
    ):
        raise ValueError(
            f"The values ({value_before} → {value_after}) and the test's rate ratio ({ratio:.3g}) "
            "point in opposite directions; pass the values and the test for the same two years."
        )

    who = f"{subject} {unit}" if unit else subject
    if shown_before == shown_after:
        almost = "i stort sett " if test.detectable else ""
        finding = f"{who} låg {almost}oförändrat på {shown_after} ({year_before} och {year_after})"
    else:
        verb = "ökade" if value_after > value_before else "minskade"
        finding = f"{who} {verb} från {shown_before} ({year_before}) till {shown_after} ({year_after})"

    details = []
    if not test.too_few and math.isfinite(ratio) and ratio > 0 and math.isfinite(test.ci_high):
        details.append(f"kvot {fmt.number(ratio, 2)}")
        details.append(
            f"{_level(test.alpha)} KI {fmt.number(test.ci_low, 2)}–{fmt.number(test.ci_high, 2)}"
        )
    details.append(fmt.pvalue(test.p_value))
    paren = "; ".join(details)

    if test.detectable:
        verdict = f"förändringen är statistiskt säkerställd ({paren})"
        if test.too_few:
            verdict += ", men antalen är små, så hur stor förändringen är går inte att säga säkert"
    else:
        verdict = f"det är ingen statistiskt säkerställd förändring ({paren})"
        if test.too_few:
            verdict += ", och antalen är för små för att säga något säkert om utvecklingen"
    return f"{finding}; {verdict}."


def describe_trend(subject: str, trend: TrendTest) -> str:
    """One Swedish sentence about the average yearly trend, with its confidence interval.

    Percentages are whole numbers unless the change is below 0,5 % per year (then one or two
    decimals, so that a real but small trend is not shown as "0 %"). The interval's level is
    ``1 - trend.alpha``.

    Parameters
    ----------
    subject : str
        What is measured, starting with a capital and including the unit, e.g.
        ``"Anmälda bostadsinbrott per 100 000 invånare"``.
    trend : TrendTest
        Result of :func:`lagesbild.stats.counts.trend_test`.

    Returns
    -------
    str
        Plain text ending with a full stop. For ``trend.too_few``:
        ``"För få år eller för få fall för att bedöma en trend."``

    Raises
    ------
    ValueError
        Never for a :class:`~lagesbild.stats.counts.TrendTest` from :func:`~lagesbild.stats.counts.trend_test`;
        only if a hand-made one has a finite change but a missing interval or p-value.

    Examples
    --------
    >>> t = TrendTest(2017, 2024, 8, -6.2, -9.1, -3.2, 0.0004, 1.3, 0.05, True, False, "")
    >>> print(describe_trend("Anmälda bostadsinbrott per 100 000 invånare", t).replace("\\u00a0", " "))
    Anmälda bostadsinbrott per 100 000 invånare har minskat med i genomsnitt 6 % per år 2017–2024 (95 % KI −9 till −3 %); trenden är statistiskt säkerställd (p < 0,001).

    >>> t = TrendTest(2017, 2024, 8, -1.8, -5.2, 1.4, 0.41, 1.0, 0.05, False, False, "")
    >>> print(describe_trend("Anmälda rån", t).replace("\\u00a0", " "))
    Anmälda rån visar ingen statistiskt säkerställd trend 2017–2024 (i genomsnitt −2 % per år; 95 % KI −5 till +1 %; p = 0,41).
    """
    if trend.too_few:
        return "För få år eller för få fall för att bedöma en trend."
    period = f"{trend.first_year}–{trend.last_year}"
    est = trend.annual_change_pct
    if not math.isfinite(est):
        return f"{subject}: det går inte att skatta någon trend {period}."
    for name in ("ci_low_pct", "ci_high_pct", "p_value"):
        if not math.isfinite(getattr(trend, name)):
            raise ValueError(f"trend.{name} is missing although annual_change_pct is {plain(est)}.")

    decimals = 0 if abs(est) >= 0.5 else (1 if abs(est) >= 0.05 else 2)
    ci = (
        f"{_level(trend.alpha)} KI {_signed(trend.ci_low_pct, decimals)} till "
        f"{_signed(trend.ci_high_pct, decimals)}{NBSP}%"
    )
    p = fmt.pvalue(trend.p_value)
    if trend.detectable:
        direction = "ökat" if est > 0 else "minskat"
        return (
            f"{subject} har {direction} med i genomsnitt {fmt.percent(abs(est), decimals)} per år "
            f"{period} ({ci}); trenden är statistiskt säkerställd ({p})."
        )
    return (
        f"{subject} visar ingen statistiskt säkerställd trend {period} "
        f"(i genomsnitt {_signed(est, decimals)}{NBSP}% per år; {ci}; {p})."
    )


def change_method(test: ChangeTest) -> str:
    """The method of a change test in Swedish, for a report's method section.

    Parameters
    ----------
    test : ChangeTest
        Result of :func:`lagesbild.stats.counts.poisson_change`.

    Returns
    -------
    str
        Plain text without a full stop.

    Raises
    ------
    ValueError
        A method code this function does not know.

    Examples
    --------
    >>> from lagesbild.stats.counts import poisson_change
    >>> change_method(poisson_change(30, 60))
    'Poisson E-test (Krishnamoorthy & Thomson 2004); exakt villkorat konfidensintervall för kvoten (Clopper–Pearson)'
    """
    if test.method != "poisson_e_test":
        raise ValueError(f"unknown method code {plain(test.method)} of a ChangeTest.")
    return ("Poisson E-test (Krishnamoorthy & Thomson 2004); "
            "exakt villkorat konfidensintervall för kvoten (Clopper–Pearson)")


def trend_method(trend: TrendTest) -> str:
    """The method of a trend test in Swedish, or why there is no estimate.

    Parameters
    ----------
    trend : TrendTest
        Result of :func:`lagesbild.stats.counts.trend_test`.

    Returns
    -------
    str
        Plain text: the model (with the dispersion and, when the standard errors were scaled, the
        degrees of freedom), or a sentence saying why the trend was not estimated.

    Raises
    ------
    ValueError
        A method code this function does not know.

    Examples
    --------
    >>> from lagesbild.stats.counts import trend_test
    >>> print(trend_method(trend_test(range(2017, 2024), [50, 40, 62, 45, 30, 35, 28], [1e4] * 7)))
    Poissonregression (log-länk) av antal mot år med exponeringen (t.ex. folkmängd) som offset; standardfelen uppskalade för överspridning (kvasi-Poisson, dispersion 2,1), t-fördelning med 5 frihetsgrader
    >>> print(trend_method(trend_test([2022, 2023, 2024], [40, 50, 60])))
    För få år eller fall för en trendanalys (kräver minst 4 år och minst 10 fall totalt).
    """
    from lagesbild.stats.counts import MIN_TOTAL_COUNT, MIN_TREND_YEARS

    if trend.method == "too_few":
        return (f"För få år eller fall för en trendanalys (kräver minst {MIN_TREND_YEARS} år och "
                f"minst {MIN_TOTAL_COUNT} fall totalt).")
    if trend.method in ("all_in_first_year", "all_in_last_year"):
        where = "första" if trend.method == "all_in_first_year" else "sista"
        return f"Trenden kan inte skattas: alla fall är från periodens {where} år."
    if trend.method not in ("poisson_glm", "quasi_poisson_glm"):
        raise ValueError(f"unknown method code {plain(trend.method)} of a TrendTest.")
    method = "Poissonregression (log-länk) av antal mot år"
    if trend.offset:
        method += " med exponeringen (t.ex. folkmängd) som offset"
    if trend.method == "quasi_poisson_glm":
        method += (
            f"; standardfelen uppskalade för överspridning (kvasi-Poisson, dispersion "
            f"{fmt.number(trend.dispersion, 1)}), t-fördelning med {trend.n_years - 2} frihetsgrader"
        )
    else:
        method += f"; ingen överspridning (dispersion {fmt.number(trend.dispersion, 1)})"
    return method
