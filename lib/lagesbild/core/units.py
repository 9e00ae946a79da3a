"""The two units Brå publishes reported crime in (kept apart from :mod:`lagesbild.sources.schemas` so that
report kernels that only need the names do not import pandera)."""

COUNT_UNIT = "Antal"
RATE_UNIT = "Antal per 100 000 inv"
UNITS = (COUNT_UNIT, RATE_UNIT)
