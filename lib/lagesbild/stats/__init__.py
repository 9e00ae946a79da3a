"""Statistics: numbers and small dataclasses, never Swedish sentences.

``counts``      change and trend tests for counts (Poisson E-test, exact intervals, GLM trend)
``funnel``      funnel plots (Spiegelhalter 2005) with limits widened for the variation between kommuner
``spatial``     grid in SWEREF 99 TM, Getis-Ord Gi* hot spots, concentration
``effects``     WDD (Wheeler & Ratcliffe 2018), WDQ, net effect, regression to the mean, survey change
``indicators``  traffic lights for indicators (funnel rule)

The package forwards attribute access to ``counts``, which holds what the flat module ``lagesbild.stats``
held before the layered layout (``lagesbild.stats.X`` is ``lagesbild.stats.counts.X``).
"""

from lagesbild.core.lazy import forward

__getattr__ = forward(__name__, __file__, "counts")
