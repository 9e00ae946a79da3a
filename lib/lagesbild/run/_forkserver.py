"""Imported by multiprocessing's fork server (``set_forkserver_preload``) before it forks pool workers.

The fork server is the one process of a warm run that imports the report libraries and loads the
processed data (:func:`lagesbild.run.engines.warm.preload`; the data folder comes from the environment
variable ``LAGESBILD_PRELOAD_DATA``, which :meth:`lagesbild.run.engines.warm.WarmEngine.pool_context` sets
before the server starts). For a large run it also warms up on one report
(:func:`lagesbild.run.engines.warm.warm_up`; ``LAGESBILD_PRELOAD_WARM_UP`` names the kommun). Every pool worker is forked from it and shares those pages copy-on-write
instead of holding its own copy; ``gc.freeze()`` keeps the garbage collector from touching (and so
copying) them. Workers still run ``warm.preload`` as their initializer, which is a no-op here and does
the whole job if this import failed or the server was started for another data folder.

Importing it anywhere else would turn that process into a warm worker (an IPython shell, Agg backend),
so pytest's doctest collection skips it (``--ignore`` in ``pyproject.toml``).
"""

import gc
import os

from lagesbild.run.engines import warm

warm.preload(os.environ.get("LAGESBILD_PRELOAD_DATA") or None)
if os.environ.get("LAGESBILD_PRELOAD_DATA") and os.environ.get(warm.WARM_UP_VAR):  # a large run
    warm.warm_up(os.environ["LAGESBILD_PRELOAD_DATA"], os.environ[warm.WARM_UP_VAR])
gc.freeze()
