#!/usr/bin/env python
"""Build lägesbild reports for one, several or all kommuner. See ``python run_all.py --help``.

A thin wrapper: everything happens in :func:`lagesbild.run.cli.main`, or, while ``run_all.py --serve``
runs, in that warm server (:func:`lagesbild.run.server.delegate`).
"""

import sys

if __name__ == "__main__":  # guard needed: worker processes are spawned and re-import this module
    from lagesbild.run.server import delegate

    code = delegate(sys.argv[1:])
    if code is None:
        from lagesbild.run.cli import main

        code = main()
    sys.exit(code)
