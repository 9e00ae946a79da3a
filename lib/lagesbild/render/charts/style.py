"""The look every chart shares, and the helpers the chart modules are built on.

* colours: the Okabe–Ito palette (:data:`PALETTE`), its colours dark enough for a thin line
  (:data:`LINE_PALETTE`), the grey of context lines (:data:`GREY`) and the check behind them
  (:func:`contrast_ratio`, WCAG 2);
* lines: the style of each comparison level (:data:`LEVEL_STYLES`: kommun, län, riket, jämförelse) and
  of the i-th category line (``_style_cycle``: colour, line style and marker all vary);
* sizes: the default figure (``_FIGSIZE``) and the fonts of ticks, labels and titles (``_TICK_SIZE``,
  ``_LABEL_SIZE``, ``_TITLE_SIZE``);
* Swedish numbers on axes: :func:`swedish_formatter`, ``_AutoSwedishFormatter`` (the fewest decimals
  that tell the ticks apart) and ``_year_formatter`` ("2024", never "2 024");
* axes: ``_new_axes`` (a new constrained-layout figure unless an ``ax`` is given) and ``_tidy`` (no
  top or right spine, a faint grid along the value axis);
* input: ``_require_columns`` (a DataFrame with these columns and at least one row, else a
  :class:`ValueError` that says what is missing);
* alt texts: ``_join`` (a Swedish list, "a, b och c").

The names with a leading underscore belong to the package: the chart modules import them, notebooks
use only the public names.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import ticker
from matplotlib.axes import Axes

from lagesbild.core import fmt

__all__ = [
    "PALETTE",
    "LINE_PALETTE",
    "GREY",
    "LEVEL_STYLES",
    "swedish_formatter",
    "contrast_ratio",
    "bar_collection",
]

#: Okabe–Ito colour-blind safe palette, ordered by contrast against a white background (the
#: yellow, hard to see as a thin line, comes last).
PALETTE: list[str] = [
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#F0E442",  # yellow
]

#: The colours of :data:`PALETTE` with at least 3:1 contrast against white (WCAG 1.4.11 for
#: graphical objects), for lines; orange, sky blue and yellow are too light for a thin line.
LINE_PALETTE: list[str] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000"]

#: Neutral grey for context (comparison lines): 3.4:1 against white, so a grey line is still seen.
GREY = "#8C8C8C"
_LIGHT_GREY = "#BBBBBB"
_TEXT_GREY = "#444444"

#: Line style per comparison level; keyword arguments for :meth:`Axes.plot`. Levels differ in
#: line style, width and marker as well as colour, so they stay apart in greyscale print too.
LEVEL_STYLES: dict[str, dict] = {
    "kommun": {"color": PALETTE[0], "linestyle": "-", "linewidth": 2.6, "marker": "o",
               "markersize": 5, "zorder": 4},
    "län": {"color": PALETTE[1], "linestyle": "--", "linewidth": 1.8, "marker": "s",
            "markersize": 4, "zorder": 3},
    "riket": {"color": PALETTE[6], "linestyle": ":", "linewidth": 2.0, "marker": "^",
              "markersize": 5, "zorder": 3},
    "jämförelse": {"color": GREY, "linestyle": "-", "linewidth": 1.0, "marker": ".",
                   "markersize": 4, "zorder": 2},
}

_LEVEL_ORDER = list(LEVEL_STYLES)

# Line styles and markers cycled together with PALETTE for categorical lines.
_LINESTYLES = ["-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3))]
_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]

_FIGSIZE = (9.0, 4.0)
_TICK_SIZE = 9
_LABEL_SIZE = 10
_TITLE_SIZE = 10


# --------------------------------------------------------------------------------------------
# Swedish number formatting
# --------------------------------------------------------------------------------------------


def swedish_formatter(decimals: int = 0) -> ticker.FuncFormatter:
    """Tick formatter that writes numbers the Swedish way.

    Built on :func:`lagesbild.core.fmt.number`: decimal comma, non-breaking space as thousands
    separator and "−" (U+2212) as the minus sign.

    Parameters
    ----------
    decimals : int, default 0
        Digits after the decimal comma.

    Returns
    -------
    matplotlib.ticker.FuncFormatter
        Set it with ``ax.yaxis.set_major_formatter(...)``.

    Raises
    ------
    ValueError
        If ``decimals`` is negative.

    Examples
    --------
    >>> f = swedish_formatter()
    >>> f(1234567).replace("\\u00a0", " ")
    '1 234 567'
    >>> swedish_formatter(1)(2.5)
    '2,5'
    >>> swedish_formatter(1)(-0.25)  # halves away from zero, as fmt.number
    '−0,3'
    """
    if decimals < 0:
        raise ValueError(f"decimals must be 0 or more, got {decimals}")

    def _format(x: float, pos: int | None = None) -> str:
        return fmt.number(x, decimals)

    return ticker.FuncFormatter(_format)


class _AutoSwedishFormatter(ticker.Formatter):
    """Swedish tick formatter that picks the fewest decimals that tell the ticks apart.

    Ticks 0, 0.5, 1, ... get one decimal ("0,5"); ticks 0, 500, 1 000 get none.
    """

    def __init__(self, max_decimals: int = 3) -> None:
        self.max_decimals = max_decimals
        self._decimals = 0

    def set_locs(self, locs) -> None:
        super().set_locs(locs)
        self._decimals = self._needed_decimals(np.asarray(locs, dtype=float))

    def _needed_decimals(self, locs: np.ndarray) -> int:
        locs = locs[np.isfinite(locs)]
        if locs.size == 0:
            return 0
        scale = max(float(np.max(np.abs(locs))), 1.0)
        for d in range(self.max_decimals + 1):
            if np.all(np.abs(np.round(locs, d) - locs) <= 1e-9 * scale):
                return d
        return self.max_decimals

    def __call__(self, x: float, pos: int | None = None) -> str:
        return fmt.number(x, self._decimals)


def _year_formatter() -> ticker.FuncFormatter:
    """Years as plain integers: "2024", never "2 024"."""
    return ticker.FuncFormatter(lambda x, pos=None: f"{int(round(x))}")


# --------------------------------------------------------------------------------------------
# Axes: a new one, tidied; input checks; the style of the i-th line
# --------------------------------------------------------------------------------------------


def _tidy(ax: Axes, grid_axis: str | None = "y") -> None:
    """Remove chart junk: top/right spines; a faint grid along the value axis only."""
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=_TICK_SIZE)
    if grid_axis:
        ax.grid(axis=grid_axis, color="#DDDDDD", linewidth=0.6)
        ax.set_axisbelow(True)


def _panel_title(ax: Axes, text: str, fontsize: float) -> None:
    """A panel's title, at the height matplotlib would give it, placed without asking again at every draw.

    Left to itself matplotlib places a title at each draw and layout pass (three per figure with constrained
    layout), measuring the panel's tick labels to see whether top ticks or an offset text ("1e6") would
    overlap it. The reports' panels have neither (ticks at the bottom, Swedish number formatters without an
    offset), so the title stands where it would anyway: the same pixels, ≈ 20 % less time for a figure of
    six panels (``bench/README.md``, issue 16).
    """
    ax.set_title(text, fontsize=fontsize, y=1.0)


def _unlabelled(axes) -> None:
    """Tell matplotlib that these panels' axes have no labels (the figure's ``supylabel`` names the values).

    matplotlib places an axis label at every draw and layout pass by measuring the axis's tick labels, even
    when the label is empty. An empty label given fixed coordinates is not placed: the same pixels (tested),
    ≈ 15 % less time for a six-panel figure in a report process (``bench/README.md``, issue 16). A label set
    afterwards stands at those coordinates, beside its axis.
    """
    for ax in axes:
        if not ax.get_xlabel():
            ax.xaxis.set_label_coords(0.5, -0.15)
        if not ax.get_ylabel():
            ax.yaxis.set_label_coords(-0.15, 0.5)


def _new_axes(ax: Axes | None, figsize: tuple[float, float] = _FIGSIZE) -> Axes:
    """``ax`` itself, or the axes of a new figure of ``figsize`` inches with constrained layout."""
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def bar_collection(ax: Axes, x, heights, width: float, color: str):
    """Vertical bars from 0 as ONE collection: the pixels of ``ax.bar`` at a fraction of its cost.

    ``ax.bar`` adds one Rectangle patch per bar and updates the data limits bar by bar (≈ 3 ms a bar:
    a third of a second for a six-panel chart of monthly events). The same quadrilaterals, unedged and
    antialiased, drawn as one :class:`~matplotlib.collections.PolyCollection` give the same PNG (compared
    pixel by pixel in the tests); the y axis sticks to 0 as a bar chart's does.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> bars = bar_collection(ax, [1.0, 2.0], [3.0, 0.0], width=0.5, color="#1f77b4")
    >>> bars.get_paths()[0].vertices[:4].tolist()
    [[0.75, 0.0], [0.75, 3.0], [1.25, 3.0], [1.25, 0.0]]
    >>> plt.close(fig)
    """
    from matplotlib.collections import PolyCollection

    x = np.asarray(x, dtype=float)
    top = np.asarray(heights, dtype=float)
    left, right, zero = x - width / 2, x + width / 2, np.zeros_like(top)
    corners = np.stack([np.stack(pair, axis=1) for pair in ((left, zero), (left, top), (right, top), (right, zero))],
                       axis=1)
    bars = PolyCollection(corners, facecolors=color, edgecolors="none", linewidths=0, antialiaseds=True)
    bars.sticky_edges.y.append(0)
    ax.add_collection(bars, autolim=True)
    ax._request_autoscale_view()
    return bars


def _require_columns(df: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    """Check that ``df`` (called ``name`` in the message) is a DataFrame with ``columns`` and a row.

    Raises
    ------
    ValueError
        Not a DataFrame, a column missing (the message names it and all that are needed), or no rows.

    Examples
    --------
    >>> _require_columns(pd.DataFrame({"year": [2024]}), ["year", "rate"], "rates")
    Traceback (most recent call last):
    ...
    ValueError: rates is missing column(s) 'rate'; it needs 'year', 'rate'
    """
    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(
            f"{name} is missing column(s) {', '.join(map(repr, missing))}; "
            f"it needs {', '.join(map(repr, columns))}"
        )
    if df.empty:
        raise ValueError(f"{name} is empty: there are no rows to plot")


def _style_cycle(i: int) -> dict:
    """Colour, line style and marker for the i-th category line; all three vary."""
    return {
        "color": LINE_PALETTE[i % len(LINE_PALETTE)],
        "linestyle": _LINESTYLES[i % len(_LINESTYLES)],
        "marker": _MARKERS[i % len(_MARKERS)],
    }


# --------------------------------------------------------------------------------------------
# Accessibility: contrast, and the Swedish lists of the alt texts
# --------------------------------------------------------------------------------------------


def contrast_ratio(color: str, background: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two colours, from 1 (none) to 21 (black on white).

    Parameters
    ----------
    color, background : str
        Any matplotlib colour (``"#0072B2"``, ``"black"`` …).

    Returns
    -------
    float

    Examples
    --------
    >>> round(contrast_ratio("#000000"), 1), round(contrast_ratio("#767676"), 2)
    (21.0, 4.54)
    """
    from matplotlib.colors import to_rgb

    def luminance(c: str) -> float:
        channels = [v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4 for v in to_rgb(c)]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    a, b = sorted((luminance(color), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _join(items: Sequence[str], limit: int = 4) -> str:
    """A Swedish list: "a, b och c", after ``limit`` items "… och 3 till".

    When an item has a comma or "och" of its own ("Våld mot barn och unga, flickor"), the items are
    separated by semicolons so the list still reads right.

    Examples
    --------
    >>> _join(["Rån", "Stöld", "Bilbrott"]), _join(list("abcdef"))
    ('Rån, Stöld och Bilbrott', 'a, b, c, d och 2 till')
    >>> _join(["Rån", "Våld mot barn och unga"])
    'Rån; Våld mot barn och unga'
    """
    items = list(items)
    rest = len(items) - limit if len(items) > limit else 0
    items = items[:limit] if rest else items
    if any("," in i or " och " in i for i in items):
        return "; ".join(items) + (f"; och {rest} till" if rest else "")
    if rest:
        return ", ".join(items) + f" och {rest} till"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " och " + items[-1]
