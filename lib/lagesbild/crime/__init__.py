"""Crime trends (``notebooks/crime_trends.ipynb``).

``analysis``  reported-crime and police-event tables for one kommun: comparisons, tests, funnels, kommungrupp
``text``      the crime report's Swedish sentences

The package forwards attribute access to ``analysis``, which holds what the flat module ``lagesbild.crime``
held before the layered layout (``lagesbild.crime.X`` is ``lagesbild.crime.analysis.X``).
"""

from lagesbild.core.lazy import forward

__getattr__ = forward(__name__, __file__, "analysis")
