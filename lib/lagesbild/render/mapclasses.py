"""Classes and colours of the choropleth maps (:mod:`lagesbild.render.maps`).

Quantile class limits (:func:`class_breaks`), each value's class (:func:`classify`) and the classes'
colours, light to dark along cividis (:func:`sequential_colors`).
"""

from __future__ import annotations

import numpy as np

#: Colour for kommuner without a value (with a dashed outline, so not colour alone).
MISSING_COLOR = "#d4d4d4"
#: Outline of ordinary polygons.
EDGE_COLOR = "#4d4d4d"
#: Outline colour of context polygons (e.g. assessed places on a grid map).
CONTEXT_COLOR = "#CC79A7"

#: Default number of classes in the legend (fewer when there are fewer distinct values).
N_CLASSES = 5


# --------------------------------------------------------------------------------------------
# classes and colours
# --------------------------------------------------------------------------------------------

def class_breaks(values, k: int = N_CLASSES) -> np.ndarray:
    """Quantile class limits of the finite values (ties merged), from the minimum to the maximum.

    Parameters
    ----------
    values : array-like of float
        NaN values are ignored.
    k : int
        Wanted number of classes; fewer come back when values tie.

    Returns
    -------
    numpy.ndarray
        ``n + 1`` increasing limits for ``n`` classes; ``[v, v]`` when all values equal ``v``;
        empty when no value is finite.

    Examples
    --------
    >>> class_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], k=2).tolist()
    [1.0, 5.5, 10.0]
    >>> class_breaks([3, 3, 3]).tolist()
    [3.0, 3.0]
    >>> class_breaks([float("nan")]).tolist()
    []
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return np.array([], dtype=float)
    edges = np.unique(np.quantile(x, np.linspace(0, 1, max(1, min(k, np.unique(x).size)) + 1)))
    if edges.size == 1:
        edges = np.array([edges[0], edges[0]])
    return edges


def classify(values, edges) -> np.ndarray:
    """Class index (0-based) of each value for the limits from :func:`class_breaks`; -1 for NaN.

    Class ``i`` holds ``edges[i] < v <= edges[i + 1]``; the first class includes its lower limit.

    Parameters
    ----------
    values : array-like of float
    edges : array-like of float
        Increasing class limits.

    Returns
    -------
    numpy.ndarray of int

    Examples
    --------
    >>> classify([1, 5.5, 6, 10, float("nan")], [1.0, 5.5, 10.0]).tolist()
    [0, 0, 1, 1, -1]
    """
    x = np.asarray(values, dtype=float)
    edges = np.asarray(edges, dtype=float)
    out = np.full(x.shape, -1, dtype=int)
    finite = np.isfinite(x)
    if edges.size >= 2:
        out[finite] = np.searchsorted(edges[1:-1], x[finite], side="left")
    return out


def sequential_colors(n: int) -> list[str]:
    """``n`` colours from light to dark along cividis (colour-blind safe, monotone in lightness).

    Parameters
    ----------
    n : int
        Number of classes.

    Returns
    -------
    list of str
        Hex colours, lightest (lowest class) first.

    Examples
    --------
    >>> sequential_colors(3)
    ['#ead34c', '#817f78', '#163770']
    """
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps["cividis"]
    if n <= 0:
        return []
    positions = [0.9] if n == 1 else np.linspace(0.92, 0.12, n)
    return [to_hex(cmap(float(p))) for p in positions]
