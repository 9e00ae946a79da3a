"""Public data: reading, validating, building ``data/processed/`` and fetching newer data.

``readers``     reading CSV/Excel as Swedish users have them (``;``, decimal comma, ``..``)
``schemas``     pandera schemas of every tidy data shape, and validation with clear errors
``categories``  Brå's two category sets (SOL, Dalarna's kommunindikatorer), Kolada names, focus areas
``substances``  the six drugs in wastewater, their biomarkers and Swedish names
``public``      loaders for each real public source (Brå, SCB, boundaries, polisen.se)
``processed``   building ``data/processed/`` from ``raw/`` < ``fetched/`` < ``local/``, rebuilt on change
``euda``        EUDA's European wastewater table: loaders, recomputed means, rank, percentile
``ntu``         Brå's NTU survey (Dalarna) and its comparability
``fetch``       ``python -m lagesbild.sources.fetch``: newer data from Kolada, SCB and polisen.se
``districts``   polisen.se events per district named in their summaries

The package forwards attribute access to ``public``, which holds what the flat module ``lagesbild.sources``
held before the layered layout (``lagesbild.sources.X`` is ``lagesbild.sources.public.X``).
"""

from lagesbild.core.lazy import forward

__getattr__ = forward(__name__, __file__, "public")
