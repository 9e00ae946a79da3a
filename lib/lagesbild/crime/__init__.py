"""Crime trends (``notebooks/crime_trends.ipynb``).

``analysis``  the crime report's analysis of one kommun (``analyse``) and the tables and key figures made from it
``reported``  Brå's reported crime: populations, rates, the kommun against its län and riket, tests, the summary
``events``    polisen.se's police events: the comparable months, counts per type and month, the change
``groups``    the kommun among other kommuner: SKR kommungrupp, funnel over all kommuner, its peers on a map
``text``      the crime report's Swedish sentences

The package forwards attribute access to ``analysis``, ``reported``, ``events`` and ``groups``, which hold
what the flat module ``lagesbild.crime`` held before the layered layout (``lagesbild.crime.analyse`` is
``lagesbild.crime.analysis.analyse``, ``lagesbild.crime.kommun_events`` is ``lagesbild.crime.events.kommun_events``).
"""

from lagesbild.core.lazy import forward

__getattr__ = forward(__name__, __file__, "analysis", "reported", "events", "groups")
