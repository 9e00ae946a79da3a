"""What the place assessment report needs beyond its building blocks: settings, folders, periods.

The building blocks are :mod:`lagesbild.placedata` (inputs), :mod:`lagesbild.factors` (the eight
factors), :mod:`lagesbild.spatial` (grid, hot spots, concentration), :mod:`lagesbild.districts`
(polisen.se counts per district) and :mod:`lagesbild.privacy` (what may be published). This module
checks the report's settings before a run and holds the small steps that tie them together, so the
notebook only calls, plots and narrates. It imports nothing heavy at module level: the runner
imports it to check parameters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lagesbild.errors import ParamsError
from lagesbild.paths import DATA, PROJ_ROOT

#: The bundled example place data (Helsingborg), used when no folder is given.
EXAMPLE_PLACES = DATA / "example" / "places"

#: Allowed ranges of the report's numeric settings: (smallest, largest, why).
LIMITS: dict[str, tuple[float, float, str]] = {
    "cell_size": (50, 2000, "rutor mindre än 50 m pekar ut enskilda adresser, större än 2 km säger inget om platser"),
    "months": (1, 120, "en period på 1–120 hela månader"),
    "alpha": (0.001, 0.2, "en signifikansnivå mellan 0,001 och 0,2"),
    "permutations": (99, 99999, "minst 99 permutationer för ett meningsfullt p-värde"),
}


def check_settings(values: dict[str, Any], where: str = "parameters") -> None:
    """Check the place report's numeric settings against :data:`LIMITS`; raise naming the key.

    Keys not in :data:`LIMITS` are ignored (their type is checked elsewhere).

    Parameters
    ----------
    values : dict
        Parameter name → value.
    where : str
        The file or source the values came from, named in the error.

    Raises
    ------
    ParamsError

    Examples
    --------
    >>> check_settings({"cell_size": 250, "alpha": 0.05, "kommun": "1283"})
    >>> check_settings({"cell_size": 10}, "params/1283_helsingborg.yaml")
    Traceback (most recent call last):
    ...
    lagesbild.errors.ParamsError: params/1283_helsingborg.yaml, column 'cell_size': cell_size is 10, outside 50–2000. Fix: give a value from 50 to 2000 (rutor mindre än 50 m pekar ut enskilda adresser, större än 2 km säger inget om platser).
    """
    for key, (low, high, why) in LIMITS.items():
        if key not in values:
            continue
        value = values[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or not (low <= value <= high):
            raise ParamsError(where, f"{key} is {value!r}, outside {low:g}–{high:g}",
                              f"give a value from {low:g} to {high:g} ({why})", column=key)


def place_folder(place_data: str) -> Path:
    """The folder of place data a report reads: the given one, or the bundled example.

    A relative path is relative to the project root (where ``run_all.py`` is), so a params YAML
    means the same folder wherever the notebook runs.

    Examples
    --------
    >>> place_folder("") == EXAMPLE_PLACES
    True
    >>> place_folder("/srv/trygghet/platser").as_posix()
    '/srv/trygghet/platser'
    >>> place_folder("indata/platser") == PROJ_ROOT / "indata" / "platser"
    True
    """
    if not str(place_data).strip():
        return EXAMPLE_PLACES
    path = Path(str(place_data).strip()).expanduser()
    return path if path.is_absolute() else PROJ_ROOT / path
