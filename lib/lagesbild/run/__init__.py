"""Running reports: parameters, engines, the local pool, Dask, the command line.

``params``  per-kommun YAML and notebook parameters, validated before a run
``runner``  running notebooks for many kommuner on a process pool; ``run_all.py``'s command line
``warm``    the warm engine: pre-imported workers that fork a fresh process per report
``dask``    running the jobs on a Dask distributed cluster
"""
