"""Running reports: parameters, jobs, engines, the local pool, Dask, the command line.

The reports themselves are registered in :mod:`lagesbild.core.reports` (every layer reads their names);
this package builds the jobs and the order they run in from that registry.

``params``    per-kommun YAML and notebook parameters, validated before a run
``jobs``      one report for one kommun: Job, Result, Outcome; plan, render, record; the order jobs start in
``engines``   how a notebook is executed, behind one interface: ``warm`` (fork a pre-imported worker per
              report) and ``kernel`` (a fresh Jupyter kernel per report)
``local``     the local process pool
``dask``      running the jobs on a Dask distributed cluster
``batch``     one run: plan, execute on the pool or the cluster, write the landing page
``cli``       ``run_all.py``'s command line
``runner``    the former runner's names, re-exported (``lagesbild.runner``)
``notebook``  what every report notebook does first and last: load the data, open, state provenance

Imports point one way: ``jobs`` ← ``engines`` ← ``local``, ``dask`` ← ``batch`` ← ``cli`` ← ``runner``.
"""
