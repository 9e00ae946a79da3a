"""Units and groupings of the data, with the Swedish names reports show (kept apart from
:mod:`lagesbild.sources.schemas` so that report kernels that only need the names do not import pandera).

Brå publishes reported crime in two units; wastewater loads have one unit, and EUDA groups the days of
a campaign into a weekday and a weekend mean.

Examples
--------
>>> UNITS
('Antal', 'Antal per 100 000 inv')
>>> WEEKDAY_DAYS, WEEKEND_DAYS
((1, 2, 3), (4, 5, 6, 0))
"""

NBSP = "\u00a0"

COUNT_UNIT = "Antal"
RATE_UNIT = "Antal per 100 000 inv"
UNITS = (COUNT_UNIT, RATE_UNIT)

#: Unit of every wastewater load, for axis labels and sentences.
LOAD_UNIT = f"mg per dygn och 1{NBSP}000 invånare"

#: Days of EUDA's weekday mean (Tuesday–Thursday) and weekend mean (Friday–Monday); weekday numbers
#: (0 = Monday). A weekend's use shows up in the wastewater with a delay, so Monday belongs to the weekend.
WEEKDAY_DAYS: tuple[int, ...] = (1, 2, 3)
WEEKEND_DAYS: tuple[int, ...] = (4, 5, 6, 0)

#: Swedish names of the two groups of days, as legends and tables show them.
WEEKDAY_GROUP = "vardag (tis–tor)"
WEEKEND_GROUP = "helg (fre–mån)"
