"""``python -m lagesbild.sources.fetch`` (and the old ``python -m lagesbild.fetch``): the command line.

Imports are absolute: under the old name, ``lagesbild.__init__._MovedLoader`` runs this file's code
with ``__package__`` ``lagesbild``, where a relative import would not resolve.
"""

import sys

from lagesbild.sources.fetch.cli import main

if __name__ == "__main__":
    sys.exit(main())
