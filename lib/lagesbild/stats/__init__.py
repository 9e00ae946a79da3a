"""Statistics: numbers and small dataclasses, never Swedish sentences.

``counts``         change and trend tests for counts (Poisson E-test, exact intervals, GLM trend)
``funnel``         funnel plots (Spiegelhalter 2005) with limits widened for the variation between kommuner
``spatial``        grid in SWEREF 99 TM, counts safe to publish, events per place
``hotspots``       Getis-Ord Gi* hot and cold spots on the grid, and the hot-spot map safe to publish
``concentration``  how concentrated events are over cells or places: Lorenz curve, Gini, top shares
``effects``        WDD (Wheeler & Ratcliffe 2018), WDQ, net effect: a treated area against control areas
``treated``        the treated area alone (E-test without a control), regression to the mean
``surveys``        the change between two survey estimates given with confidence intervals
``commitments``    whether a commitment (åtagande) was met, as status and reason codes
``goals``          whether an åtgärdsplan's measurable goal is met, on the way, not met or not measurable yet
``indicators``     traffic lights for indicators (funnel rule)

The package forwards attribute access to ``counts``, which holds what the flat module ``lagesbild.stats``
held before the layered layout (``lagesbild.stats.X`` is ``lagesbild.stats.counts.X``). The old flat
``lagesbild.evaluation`` and ``lagesbild.spatial`` are ``effects`` and ``spatial``, which still answer for
the names they gave to ``treated``, ``surveys``, ``commitments``, ``hotspots`` and ``concentration``.
"""

from lagesbild.core.lazy import forward

__getattr__ = forward(__name__, __file__, "counts")
