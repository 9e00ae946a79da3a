#!/usr/bin/env python
"""Build lägesbild reports for one, several or all kommuner. See ``python run_all.py --help``.

A thin wrapper: everything happens in :func:`lagesbild.run.cli.main`.
"""

import sys

if __name__ == "__main__":  # guard needed: worker processes are spawned and re-import this module
    from lagesbild.run.cli import main

    sys.exit(main())
