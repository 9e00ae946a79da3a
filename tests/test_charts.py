"""Tests of lagesbild.render.charts: assert on the artists the chart functions return.

Every chart is called through the package (``charts.<name>``), as the notebooks call it; the last
section checks the package itself: its lazy lookup of names in its modules' ``__all__``.
"""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

matplotlib.use("Agg")

from lagesbild.core import fmt
from lagesbild.render import charts  # noqa: E402

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _tick_texts(labels) -> list[str]:
    return [t.get_text() for t in labels if t.get_text()]


def _rates() -> pd.DataFrame:
    rows = []
    for name, level, base in [("Ale", "kommun", 1.5), ("Västra Götaland", "län", 2.0),
                              ("Riket", "riket", 2.5)]:
        for indicator, scale in [("Misshandel", 0.1), ("Inbrott", 1000.0)]:
            for year in (2021, 2022, 2023):
                rows.append({"region_name": name, "level": level, "indicator": indicator,
                             "year": year, "count": 10.0, "rate": (base + year - 2021) * scale})
    return pd.DataFrame(rows)


class TestModuleConstants:
    def test_palette_is_okabe_ito(self):
        okabe_ito = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2",
                     "#D55E00", "#CC79A7"}
        assert set(charts.PALETTE) == okabe_ito
        assert len(charts.PALETTE) == 8

    def test_level_styles_differ_in_more_than_colour(self):
        assert set(charts.LEVEL_STYLES) == {"kommun", "län", "riket", "jämförelse"}
        styles = {(s["linestyle"], s["linewidth"], s["marker"]) for s in charts.LEVEL_STYLES.values()}
        assert len(styles) == 4
        assert charts.LEVEL_STYLES["kommun"]["linestyle"] == "-"
        assert charts.LEVEL_STYLES["län"]["linestyle"] == "--"
        assert charts.LEVEL_STYLES["riket"]["linestyle"] == ":"
        widths = {k: s["linewidth"] for k, s in charts.LEVEL_STYLES.items()}
        assert widths["kommun"] == max(widths.values())
        assert widths["jämförelse"] == min(widths.values())


class TestSwedishFormatter:
    def test_thousands_separator_is_nbsp(self):
        assert charts.swedish_formatter()(1000) == f"1{NBSP}000"

    def test_decimal_comma(self):
        assert charts.swedish_formatter(1)(2.5) == "2,5"

    def test_minus_sign(self):
        assert charts.swedish_formatter()(-3) == "\u22123"

    def test_negative_decimals_rejected(self):
        with pytest.raises(ValueError, match="decimals"):
            charts.swedish_formatter(-1)

    def test_auto_formatter_uses_decimals_only_when_needed(self):
        f = charts.style._AutoSwedishFormatter()
        assert f.format_ticks([0, 0.5, 1.0, 2.5]) == ["0,0", "0,5", "1,0", "2,5"]
        assert f.format_ticks([0, 500, 1000]) == ["0", "500", f"1{NBSP}000"]


class TestIndicatorTrends:
    def test_one_panel_per_indicator_in_order(self):
        fig = charts.indicator_trends(_rates(), ["Inbrott", "Misshandel"])
        assert [ax.get_title() for ax in fig.axes] == ["Inbrott", "Misshandel"]

    def test_unused_grid_cells_removed(self):
        fig = charts.indicator_trends(_rates(), ["Inbrott", "Misshandel"], ncols=3)
        assert len(fig.axes) == 2
        fig = charts.indicator_trends(_rates(), ["Inbrott", "Misshandel"], ncols=1)
        assert len(fig.axes) == 2

    def test_one_line_per_region_styled_by_level(self):
        fig = charts.indicator_trends(_rates(), ["Misshandel"])
        lines = fig.axes[0].get_lines()
        assert [line.get_label() for line in lines] == ["Ale", "Västra Götaland", "Riket"]
        assert [line.get_linestyle() for line in lines] == ["-", "--", ":"]
        assert lines[0].get_linewidth() > lines[1].get_linewidth()
        assert to_hex(lines[0].get_color()).upper() == charts.LEVEL_STYLES["kommun"]["color"]

    def test_single_shared_legend_with_region_names(self):
        fig = charts.indicator_trends(_rates(), ["Inbrott", "Misshandel"])
        assert len(fig.legends) == 1
        assert all(ax.get_legend() is None for ax in fig.axes)
        assert _tick_texts(fig.legends[0].get_texts()) == ["Ale", "Västra Götaland", "Riket"]

    def test_years_on_integer_ticks_and_y_from_zero(self):
        fig = charts.indicator_trends(_rates(), ["Inbrott"])
        fig.canvas.draw()
        ax = fig.axes[0]
        assert ax.get_ylim()[0] == 0
        xticks = ax.get_xticks()
        assert np.allclose(xticks, np.round(xticks))
        assert "2022" in _tick_texts(ax.get_xticklabels())  # a year, not "2 022"

    def test_y_ticks_in_swedish_format(self):
        fig = charts.indicator_trends(_rates(), ["Inbrott", "Misshandel"])
        fig.canvas.draw()
        big = _tick_texts(fig.axes[0].get_yticklabels())
        small = _tick_texts(fig.axes[1].get_yticklabels())
        assert f"1{NBSP}000" in big
        assert any("," in t for t in small)
        assert "." not in "".join(big + small)

    def test_nan_is_a_gap_not_zero(self):
        rates = _rates()
        rates.loc[(rates["region_name"] == "Ale") & (rates["year"] == 2022), "rate"] = np.nan
        fig = charts.indicator_trends(rates, ["Misshandel"])
        ydata = fig.axes[0].get_lines()[0].get_ydata()
        assert np.isnan(ydata[1])

    def test_long_title_is_wrapped(self):
        name = "Skadegörelse genom brand eller klotter på allmän plats och i skolor"
        rates = _rates().replace({"indicator": {"Misshandel": name}})
        fig = charts.indicator_trends(rates, [name, "Inbrott"])
        assert "\n" in fig.axes[0].get_title()

    def test_count_column_can_be_plotted(self):
        fig = charts.indicator_trends(_rates(), ["Inbrott"], value="count", ylabel="antal")
        assert fig.axes[0].get_lines()[0].get_ydata().tolist() == [10.0, 10.0, 10.0]

    def test_comparison_level_is_grey_and_thin(self):
        rates = _rates()
        extra = rates[rates["region_name"] == "Ale"].assign(region_name="Kungälv", level="jämförelse")
        fig = charts.indicator_trends(pd.concat([rates, extra]), ["Inbrott"])
        last = fig.axes[0].get_lines()[-1]
        assert last.get_label() == "Kungälv"
        assert last.get_linewidth() == charts.LEVEL_STYLES["jämförelse"]["linewidth"]

    def test_region_without_any_data_named_in_legend(self):
        rates = _rates()
        rates.loc[rates["region_name"] == "Riket", "rate"] = np.nan
        fig = charts.indicator_trends(rates, ["Inbrott", "Misshandel"])
        assert [len(ax.get_lines()) for ax in fig.axes] == [2, 2]
        assert _tick_texts(fig.legends[0].get_texts())[-1] == "Riket (uppgift saknas)"

    def test_single_year(self):
        rates = _rates().query("year == 2023")
        fig = charts.indicator_trends(rates, ["Inbrott"])
        fig.canvas.draw()
        assert "2023" in _tick_texts(fig.axes[0].get_xticklabels())

    def test_duplicate_index_labels_are_fine(self):
        rates = _rates()
        rates.index = [0] * len(rates)
        fig = charts.indicator_trends(rates, ["Inbrott"])
        assert fig.axes[0].get_lines()[0].get_ydata().tolist() == [1500.0, 2500.0, 3500.0]

    def test_empty_frame_raises(self):
        with pytest.raises(ValueError, match="empty"):
            charts.indicator_trends(_rates().iloc[0:0], ["Inbrott"])

    def test_missing_column_raises(self):
        with pytest.raises(ValueError, match="'rate'"):
            charts.indicator_trends(_rates().drop(columns="rate"), ["Inbrott"])

    def test_indicator_without_rows_raises_naming_it(self):
        with pytest.raises(ValueError, match="'Rån'"):
            charts.indicator_trends(_rates(), ["Inbrott", "Rån"])

    def test_indicator_all_nan_raises_naming_it(self):
        rates = _rates()
        rates.loc[rates["indicator"] == "Misshandel", "rate"] = np.nan
        with pytest.raises(ValueError, match="no data for indicator 'Misshandel'"):
            charts.indicator_trends(rates, ["Inbrott", "Misshandel"])

    def test_no_indicators_raises(self):
        with pytest.raises(ValueError, match="indicators is empty"):
            charts.indicator_trends(_rates(), [])

    def test_unknown_level_raises(self):
        rates = _rates().replace({"level": {"län": "region"}})
        with pytest.raises(ValueError, match="unknown level"):
            charts.indicator_trends(rates, ["Inbrott"])

    def test_duplicate_rows_raise(self):
        rates = _rates()
        with pytest.raises(ValueError, match="more than one row"):
            charts.indicator_trends(pd.concat([rates, rates.iloc[:1]]), ["Misshandel"])

    def test_two_regions_at_kommun_level_raise(self):
        rates = _rates()
        extra = rates[rates["region_name"] == "Ale"].assign(region_name="Kungälv")
        with pytest.raises(ValueError, match="jämförelse"):
            charts.indicator_trends(pd.concat([rates, extra]), ["Inbrott"])


def _monthly() -> pd.DataFrame:
    return pd.DataFrame({
        "month": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-04-01",
                                 "2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01",
                                 "2024-02-01"]),
        "type": ["Inbrott", "Inbrott", "Inbrott", "Brand", "Brand", "Brand", "Brand", "Rån"],
        "count": [4, 2, 1, 10, 3, 1, 1, 1],
    })


class TestMonthlyEvents:
    def test_default_types_ordered_by_total(self):
        ax = charts.monthly_events(_monthly())
        assert [line.get_label() for line in ax.get_lines()] == ["Brand", "Inbrott", "Rån"]

    def test_default_is_six_largest(self):
        frame = pd.DataFrame({
            "month": pd.Timestamp("2024-01-01"),
            "type": [f"typ {i}" for i in range(8)],
            "count": list(range(10, 18)),
        })
        ax = charts.monthly_events(frame)
        assert [line.get_label() for line in ax.get_lines()] == [f"typ {i}" for i in range(7, 1, -1)]

    def test_given_types_in_given_order(self):
        ax = charts.monthly_events(_monthly(), types=["Rån", "Inbrott"])
        assert [line.get_label() for line in ax.get_lines()] == ["Rån", "Inbrott"]

    def test_missing_month_is_zero(self):
        ax = charts.monthly_events(_monthly(), types=["Inbrott"])
        line = ax.get_lines()[0]
        assert line.get_ydata().tolist() == [4.0, 0.0, 2.0, 1.0]
        assert len(line.get_xdata()) == 4

    def test_full_month_range_for_sparse_type(self):
        ax = charts.monthly_events(_monthly(), types=["Rån"])
        assert ax.get_lines()[0].get_ydata().tolist() == [0.0, 1.0, 0.0, 0.0]

    def test_explicit_nan_count_stays_a_gap(self):
        frame = _monthly()
        frame.loc[frame.index[2], "count"] = np.nan  # Inbrott, April: unknown, not zero
        ax = charts.monthly_events(frame, types=["Inbrott"])
        ydata = ax.get_lines()[0].get_ydata()
        assert ydata[:3].tolist() == [4.0, 0.0, 2.0]
        assert np.isnan(ydata[3])

    def test_months_normalised_to_month_start(self):
        frame = _monthly().assign(month=lambda d: d["month"] + pd.Timedelta(days=14))
        ax = charts.monthly_events(frame, types=["Inbrott"])
        assert ax.get_lines()[0].get_ydata().tolist() == [4.0, 0.0, 2.0, 1.0]

    def test_lines_differ_in_style_not_only_colour(self):
        ax = charts.monthly_events(_monthly())
        lines = ax.get_lines()
        assert len({line.get_linestyle() for line in lines}) == len(lines)
        assert len({line.get_marker() for line in lines}) == len(lines)

    def test_swedish_month_labels_and_ylabel(self):
        ax = charts.monthly_events(_monthly())
        labels = _tick_texts(ax.get_xticklabels())
        assert labels == ["jan\n2024", "feb", "mar", "apr"]
        assert ax.get_ylabel() == "antal händelser per månad"
        assert ax.get_ylim()[0] == 0

    def test_legend_names_types(self):
        ax = charts.monthly_events(_monthly())
        assert _tick_texts(ax.get_legend().get_texts()) == ["Brand", "Inbrott", "Rån"]

    def test_y_ticks_swedish_for_large_counts(self):
        frame = _monthly().assign(count=lambda d: d["count"] * 300)
        ax = charts.monthly_events(frame)
        ax.figure.canvas.draw()
        assert f"1{NBSP}000" in _tick_texts(ax.get_yticklabels())

    def test_long_range_thins_ticks_and_shows_years(self):
        months = pd.date_range("2021-01-01", "2024-12-01", freq="MS")
        frame = pd.DataFrame({"month": months, "type": "Brand", "count": 1})
        ax = charts.monthly_events(frame)
        labels = _tick_texts(ax.get_xticklabels())
        assert len(labels) <= 12
        assert [lab for lab in labels if "\n" in lab] == [f"jan\n{y}" for y in range(2021, 2025)]

    def test_uses_given_axes(self):
        fig, ax = plt.subplots()
        assert charts.monthly_events(_monthly(), ax=ax) is ax

    def test_empty_raises(self):
        with pytest.raises(ValueError, match="empty"):
            charts.monthly_events(_monthly().iloc[0:0])

    def test_all_nan_counts_raise(self):
        with pytest.raises(ValueError, match="no counts"):
            charts.monthly_events(_monthly().assign(count=np.nan))

    def test_unknown_type_raises(self):
        with pytest.raises(ValueError, match="'Mord'"):
            charts.monthly_events(_monthly(), types=["Brand", "Mord"])


def _matrix(values=None) -> pd.DataFrame:
    if values is None:
        values = np.arange(168, dtype=float).reshape(7, 24) * 15
    return pd.DataFrame(values, index=range(7), columns=range(24))


class TestWeekdayHour:
    def test_weekday_names_on_y(self):
        ax = charts.weekday_hour(_matrix())
        assert _tick_texts(ax.get_yticklabels()) == fmt.WEEKDAYS_SHORT

    def test_hours_on_x(self):
        ax = charts.weekday_hour(_matrix())
        assert _tick_texts(ax.get_xticklabels()) == [str(h) for h in range(24)]

    def test_monday_on_top(self):
        ax = charts.weekday_hour(_matrix())
        bottom, top = ax.get_ylim()
        assert top < bottom

    def test_colourbar_label_and_swedish_ticks(self):
        ax = charts.weekday_hour(_matrix())
        ax.figure.canvas.draw()
        cbar_ax = [a for a in ax.figure.axes if a is not ax][0]
        assert cbar_ax.get_ylabel() == "antal händelser"
        labels = _tick_texts(cbar_ax.get_yticklabels())
        assert f"1{NBSP}000" in labels or f"2{NBSP}000" in labels

    def test_cividis_default_and_no_annotations(self):
        ax = charts.weekday_hour(_matrix())
        assert ax.collections[0].get_cmap().name == "cividis"
        assert len(ax.texts) == 0

    def test_nan_cell_marked_missing(self):
        values = np.ones((7, 24))
        values[2, 5] = np.nan
        ax = charts.weekday_hour(_matrix(values))
        assert ax.patch.get_hatch()
        assert _tick_texts(ax.get_legend().get_texts()) == ["uppgift saknas"]

    def test_cells_hidden_for_privacy_are_named_as_such(self):
        from lagesbild.core import privacy

        values = np.full((7, 24), 5.0)
        values[2, 5], values[3, 6] = 1, 2
        ax = charts.weekday_hour(privacy.hide_small(_matrix(values)), missing_label=privacy.SMALL_LABEL)
        assert _tick_texts(ax.get_legend().get_texts()) == ["färre än 3"]
        shown = ax.collections[0].get_array()
        assert shown.mask.sum() == 2 and not np.isin(shown.compressed(), [1, 2]).any()

    def test_wrong_shape_raises(self):
        with pytest.raises(ValueError, match="7 × 24"):
            charts.weekday_hour(_matrix().iloc[:6])

    def test_empty_raises(self):
        with pytest.raises(ValueError, match="empty"):
            charts.weekday_hour(pd.DataFrame())

    def test_all_nan_raises(self):
        with pytest.raises(ValueError, match="missing"):
            charts.weekday_hour(_matrix(np.full((7, 24), np.nan)))

    def test_all_zero_raises(self):
        with pytest.raises(ValueError, match="no events"):
            charts.weekday_hour(_matrix(np.zeros((7, 24))))


class TestBarRanking:
    def test_sorted_descending_largest_on_top(self):
        values = pd.Series({"Ale": 2.5, "Kungälv": 7.0, "Tjörn": 4.0})
        ax = charts.bar_ranking(values)
        assert _tick_texts(ax.get_yticklabels()) == ["Kungälv", "Tjörn", "Ale"]
        widths = [p.get_width() for p in ax.patches]
        assert widths == [7.0, 4.0, 2.5]
        bottom, top = ax.get_ylim()
        assert top < bottom  # first (largest) bar at the top

    def test_highlight_is_hatched_and_coloured(self):
        values = pd.Series({"Ale": 2.5, "Kungälv": 7.0, "Tjörn": 4.0})
        ax = charts.bar_ranking(values, highlight="Ale")
        hatches = [p.get_hatch() for p in ax.patches]
        assert hatches == [None, None, "///"]
        colours = [to_hex(p.get_facecolor()).upper() for p in ax.patches]
        assert colours[2] in charts.PALETTE
        assert colours[0] == colours[1] and colours[0] not in charts.PALETTE
        bold = [t.get_fontweight() for t in ax.get_yticklabels()]
        assert bold[2] == "bold"

    def test_value_labels_in_swedish_format(self):
        values = pd.Series({"Ale": 2.5, "Kungälv": 1234.5})
        ax = charts.bar_ranking(values)
        assert sorted(t.get_text() for t in ax.texts) == [f"1{NBSP}234,5", "2,5"]

    def test_whole_numbers_without_decimals(self):
        ax = charts.bar_ranking(pd.Series({"Ale": 3.0, "Kungälv": 12000.0}))
        assert sorted(t.get_text() for t in ax.texts) == [f"12{NBSP}000", "3"]

    def test_nan_listed_as_missing(self):
        values = pd.Series({"Ale": 2.5, "Tjörn": np.nan, "Kungälv": 7.0})
        ax = charts.bar_ranking(values)
        assert _tick_texts(ax.get_yticklabels()) == ["Kungälv", "Ale", "Tjörn"]
        assert len(ax.patches) == 2
        assert "uppgift saknas" in [t.get_text() for t in ax.texts]

    def test_x_ticks_swedish(self):
        ax = charts.bar_ranking(pd.Series({"Ale": 2500.0, "Kungälv": 1800.0}), xlabel="per 100 000")
        ax.figure.canvas.draw()
        assert f"1{NBSP}000" in _tick_texts(ax.get_xticklabels())
        assert ax.get_xlabel() == "per 100 000"

    def test_unknown_highlight_raises(self):
        with pytest.raises(ValueError, match="'Mölndal'"):
            charts.bar_ranking(pd.Series({"Ale": 1.0}), highlight="Mölndal")

    def test_empty_raises(self):
        with pytest.raises(ValueError, match="empty"):
            charts.bar_ranking(pd.Series(dtype=float))

    def test_all_nan_raises(self):
        with pytest.raises(ValueError, match="every value is missing"):
            charts.bar_ranking(pd.Series({"Ale": np.nan, "Tjörn": np.nan}))

    def test_duplicate_names_raise(self):
        with pytest.raises(ValueError, match="duplicate"):
            charts.bar_ranking(pd.Series([1.0, 2.0], index=["Ale", "Ale"]))


class TestMonthlyEventsPanels:
    @staticmethod
    def monthly():
        return pd.DataFrame({
            "month": pd.to_datetime(["2024-01-01", "2024-03-01", "2024-01-01", "2024-02-01", "2024-02-01"]),
            "type": ["Inbrott", "Inbrott", "Brand", "Brand", "Rån"],
            "count": [4, 2, 1, 3, 7],
        })

    def teardown_method(self):
        plt.close("all")

    def test_one_panel_per_type_in_the_given_order(self):
        fig = charts.monthly_events_panels(self.monthly(), types=["Brand", "Inbrott"], ncols=2)
        visible = [ax for ax in fig.axes if ax.get_visible()]
        assert [ax.get_title() for ax in visible] == ["Brand", "Inbrott"]

    def test_missing_month_is_a_zero_bar(self):
        fig = charts.monthly_events_panels(self.monthly(), types=["Inbrott"])
        bars = fig.axes[0].collections[0].get_paths()
        assert [float(p.vertices[1, 1]) for p in bars] == [4.0, 0.0, 2.0]

    def test_bars_are_the_pixels_of_matplotlibs_bar(self):
        """The one-collection bars (style.bar_collection) draw the same PNG as ax.bar, pixel for pixel."""
        import io

        from PIL import Image

        from lagesbild.render.charts.style import bar_collection
        from lagesbild.render.pngs import png_bytes

        x = np.arange(19000.0, 19000.0 + 30 * 31, 30.5)
        heights = np.random.default_rng(7).poisson(4, size=len(x)).astype(float)
        pictures, limits = [], []
        for draw in (lambda ax: ax.bar(x, heights, width=24, color="#1f5a96"),
                     lambda ax: bar_collection(ax, x, heights, width=24, color="#1f5a96")):
            fig, ax = plt.subplots(figsize=(4, 2), layout="constrained")
            draw(ax)
            ax.set_ylim(0, heights.max() * 1.1)
            pictures.append(np.asarray(Image.open(io.BytesIO(png_bytes(fig))).convert("RGB")))
            limits.append(ax.get_xlim())
            plt.close(fig)
        assert limits[0] == pytest.approx(limits[1]) and pictures[0].shape == pictures[1].shape
        assert np.array_equal(pictures[0], pictures[1])

    def test_default_types_ranked_by_total_and_unused_panels_hidden(self):
        fig = charts.monthly_events_panels(self.monthly(), ncols=2)
        assert [ax.get_title() for ax in fig.axes if ax.get_visible()] == ["Rån", "Inbrott", "Brand"]
        assert sum(not ax.get_visible() for ax in fig.axes) == 1

    def test_unknown_type_and_bad_ncols_are_errors(self):
        with pytest.raises(ValueError, match="no events of type 'Klotter'"):
            charts.monthly_events_panels(self.monthly(), types=["Klotter"])
        with pytest.raises(ValueError, match="ncols"):
            charts.monthly_events_panels(self.monthly(), ncols=0)


# ---- place report: factor profile and Lorenz curve ----

@pytest.mark.parametrize("chart", ["trends", "events", "funnel"])
def test_panel_titles_stand_where_matplotlib_would_place_them(chart):
    """Titles placed once (issue 16: not measured again at every draw) stand exactly where automatic placement puts them."""
    from lagesbild.stats.funnel import funnel

    if chart == "trends":
        fig = charts.indicator_trends(_rates(), ["Inbrott", "Misshandel"])
    elif chart == "events":
        fig = charts.monthly_events_panels(TestMonthlyEventsPanels.monthly(), ncols=2)
    else:
        rng = np.random.default_rng(1)
        pops = rng.integers(2_000, 900_000, 60)
        fig = charts.funnel_panels({"Rån": funnel(rng.poisson(pops / 200), pops, ids=range(60))}, own=3, own_label="X")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    titled = [ax for ax in fig.axes if ax.get_visible() and ax.get_title()]
    def where():  # the titles and the panels (a layout engine makes room for a title where it stands)
        return [(*ax.title.get_window_extent(renderer).bounds, *ax.get_position().bounds) for ax in titled]

    placed = where()
    for ax in titled:  # the same text, placed automatically
        ax.set_title(ax.get_title(), fontsize=ax.title.get_fontsize())
    fig.canvas.draw()
    assert titled
    assert np.allclose(where(), placed, atol=1e-6)


@pytest.mark.parametrize("chart", ["trends", "events"])
def test_panels_without_axis_labels_draw_the_same_pixels(chart, monkeypatch):
    """Empty axis labels given fixed coordinates (issue 16: not placed at every draw) change no pixel."""
    from lagesbild.render.pngs import png_bytes

    def draw():
        if chart == "trends":
            fig = charts.indicator_trends(_rates(), ["Inbrott", "Misshandel"], ncols=2)
        else:
            fig = charts.monthly_events_panels(TestMonthlyEventsPanels.monthly(), ncols=2)
        return png_bytes(fig)

    fixed = draw()
    module = charts.crime if chart == "trends" else charts.events
    monkeypatch.setattr(module, "_unlabelled", lambda axes: None)  # matplotlib places the empty labels
    assert draw() == fixed


def _profile(scores, previous=None) -> pd.DataFrame:
    names = [f"Faktor {i}" for i in range(len(scores))]
    out = pd.DataFrame({"faktor": names, "poang": scores})
    if previous is not None:
        out["foregaende"] = previous
    return out


def test_factor_profile_bars_have_the_scores_and_weak_ones_differ_in_colour_and_hatch():
    ax = charts.factor_profile(_profile([1.0, 2.0, 2.5, 5.0]))
    bars = ax.patches
    assert [b.get_width() for b in bars] == [1.0, 2.0, 2.5, 5.0]
    weak = [str(b.get_hatch()) == "///" for b in bars]
    assert weak == [True, True, False, False]  # at or below 2 is weak
    assert to_hex(bars[0].get_facecolor()) != to_hex(bars[2].get_facecolor())
    assert ax.get_xlim() == (0, 5.6)


def test_factor_profile_marks_previous_scores_and_names_them_in_the_legend():
    ax = charts.factor_profile(_profile([3.0, 4.0], previous=[2.0, np.nan]))
    offsets = np.ma.filled(ax.collections[0].get_offsets(), np.nan)
    assert offsets.shape[0] == 2 and offsets[0][0] == 2.0 and np.isnan(offsets[1][0])  # no marker without a score
    assert "Föregående bedömning" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_factor_profile_without_previous_has_no_previous_legend():
    ax = charts.factor_profile(_profile([3.0, 4.0]))
    assert "Föregående bedömning" not in [t.get_text() for t in ax.get_legend().get_texts()]


def test_factor_profile_needs_an_assessed_factor():
    with pytest.raises(ValueError, match="no assessed factor"):
        charts.factor_profile(_profile([np.nan, np.nan]))


def test_lorenz_curve_draws_equality_and_the_curve():
    ax = charts.lorenz_curve([0, 0.5, 1], [0, 0.1, 1])
    lines = ax.get_lines()
    assert list(lines[0].get_xdata()) == [0, 1] and list(lines[1].get_ydata()) == [0, 0.1, 1]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Jämn fördelning", "Faktisk fördelning"]


@pytest.mark.parametrize(("x", "y"), [([0], [0]), ([0, 1], [0]), ([0, np.nan], [0, 1])])
def test_lorenz_curve_rejects_bad_input(x, y):
    with pytest.raises(ValueError):
        charts.lorenz_curve(x, y)


# --------------------------------------------------------------------------------------------
# Wastewater charts
# --------------------------------------------------------------------------------------------


def _ww_summary() -> pd.DataFrame:
    rows = [("SE002", "Gävle", y, m) for y, m in [(2019, 200.0), (2020, 250.5), (2022, 300.0), (2023, 320.0)]]
    rows += [("SE005", "Stockholm", y, m) for y, m in [(2019, 400.0), (2020, 420.0), (2021, 450.0)]]
    rows += [("SE003", "Karlstad", 2024, 180.0)]
    df = pd.DataFrame(rows, columns=["site_id", "site", "year", "daily_mean"])
    return df.assign(substance="cocaine")


class TestWwLoadsOverTime:
    def test_highlighted_site_stands_out_and_others_are_grey(self):
        ax = charts.ww_loads_over_time(_ww_summary(), ["SE005", "SE002", "SE003"], "cocaine", highlight="SE002")
        lines = ax.get_lines()
        assert [ln.get_label() for ln in lines] == ["Gävle", "Stockholm", "Karlstad"]
        own, others = lines[0], lines[1:]
        assert to_hex(own.get_color()) == charts.LEVEL_STYLES["kommun"]["color"].lower()
        assert all(to_hex(ln.get_color()) == charts.GREY.lower() for ln in others)
        assert all(own.get_linewidth() > ln.get_linewidth() for ln in others)
        styles = {(str(ln.get_linestyle()), ln.get_marker()) for ln in lines}
        assert len(styles) == 3  # not told apart by colour alone
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Gävle", "Stockholm", "Karlstad"]

    def test_missing_year_is_a_gap_and_one_year_is_a_marker(self):
        ax = charts.ww_loads_over_time(_ww_summary(), ["SE002", "SE003"], "cocaine", highlight="SE002")
        gavle, karlstad = ax.get_lines()
        assert list(gavle.get_xdata()) == [2019, 2020, 2021, 2022, 2023]
        y = np.asarray(gavle.get_ydata(), dtype=float)
        assert np.isnan(y[2]) and list(y[[0, 1, 3, 4]]) == [200.0, 250.5, 300.0, 320.0]
        assert list(karlstad.get_xdata()) == [2024] and karlstad.get_marker() not in (None, "None", "")

    def test_axes_labels_years_and_units(self):
        ax = charts.ww_loads_over_time(_ww_summary(), ["SE002"], "cocaine")
        ax.figure.canvas.draw()
        assert ax.get_ylabel() == f"mg per dygn och 1{NBSP}000 invånare"
        years = _tick_texts(ax.get_xticklabels())
        assert years and all(t.isdigit() and len(t) == 4 for t in years)  # "2020", never "2 020" or "2020,5"
        assert ax.get_ylim()[0] == 0
        assert all("." not in t for t in _tick_texts(ax.get_yticklabels()))

    def test_european_mean_line(self):
        eu = pd.Series({2019: 350.0, 2020: 380.0, 2021: np.nan, 2022: 410.0})
        ax = charts.ww_loads_over_time(_ww_summary(), ["SE002"], "cocaine", highlight="SE002", european=eu)
        line = ax.get_lines()[-1]
        assert line.get_label() == "Europeiskt medelvärde (EUDA)"
        assert line.get_linestyle() == ":" and to_hex(line.get_color()) == "#000000"
        assert list(line.get_xdata()) == [2019, 2020, 2021, 2022]

    def test_without_highlight_each_site_gets_its_own_colour(self):
        ax = charts.ww_loads_over_time(_ww_summary(), ["SE002", "SE005"], "cocaine")
        colours = [to_hex(ln.get_color()) for ln in ax.get_lines()]
        assert len(set(colours)) == 2 and all(c.upper() in charts.PALETTE for c in colours)

    def test_site_without_data_is_named_in_the_legend(self):
        ax = charts.ww_loads_over_time(_ww_summary(), ["SE002", "SE999"], "cocaine", highlight="SE002")
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Gävle", "SE999 (uppgift saknas)"]

    def test_several_campaigns_in_a_year_are_averaged(self):
        s = pd.DataFrame({"site_id": "X", "site": "Xby", "year": [2024, 2024, 2025], "substance": "MDMA",
                          "daily_mean": [10.0, 20.0, 30.0]})
        ax = charts.ww_loads_over_time(s, ["X"], "MDMA")
        assert list(ax.get_lines()[0].get_ydata()) == [15.0, 30.0]

    @pytest.mark.parametrize(("args", "kw", "match"), [
        ((["SE002"], "ketamine"), {}, "no data for substance"),
        (([], "cocaine"), {}, "site_ids is empty"),
        ((["SE002"], "cocaine"), {"highlight": "SE005"}, "highlight"),
        ((["SE002"], "cocaine"), {"european": pd.Series({2020: np.nan})}, "european has no value"),
    ])
    def test_degenerate_input(self, args, kw, match):
        with pytest.raises(ValueError, match=match):
            charts.ww_loads_over_time(_ww_summary(), *args, **kw)

    def test_empty_summary(self):
        with pytest.raises(ValueError, match="empty"):
            charts.ww_loads_over_time(_ww_summary().iloc[:0], ["SE002"], "cocaine")


class TestWwWeekdayPattern:
    LOADS = [10.5, 9.13, 8.82, 12.87, 12.45, 28.11, 26.8]  # Graz, MDMA, 2024, Monday first

    def test_bars_monday_to_sunday_with_groups_in_colour_and_hatch(self):
        ax = charts.ww_weekday_pattern(pd.DataFrame({"weekday": range(7), "load": self.LOADS}))
        bars = ax.patches
        assert [b.get_height() for b in bars] == self.LOADS
        assert _tick_texts(ax.get_xticklabels()) == fmt.WEEKDAYS_SHORT
        weekend = [str(b.get_hatch()) == "///" for b in bars]
        assert weekend == [True, False, False, False, True, True, True]
        colours = [to_hex(b.get_facecolor()) for b in bars]
        assert len({c for c, w in zip(colours, weekend, strict=True) if w}) == 1
        assert colours[0] != colours[1]
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend == ["Vardag (tis–tor)", "Helg (fre–mån)"]
        assert sorted(t.get_text() for t in ax.texts) == sorted(fmt.number(v, 1) for v in self.LOADS)

    def test_works_with_weekday_profile_output_in_any_row_order(self):
        from lagesbild.wastewater.trends import weekday_profile
        daily = pd.DataFrame({"site_id": "AT001", "substance": "MDMA", "year": 2024, "campaign": "2024",
                              "date": pd.NaT, "below_loq": False, "weekday": [6, 5, 4, 3, 2, 1, 0],
                              "load": self.LOADS[::-1]})
        profile = weekday_profile(daily, "AT001", "MDMA", 2024).iloc[::-1]
        ax = charts.ww_weekday_pattern(profile)
        assert [b.get_height() for b in ax.patches] == self.LOADS

    def test_missing_weekday_is_named(self):
        ax = charts.ww_weekday_pattern(pd.DataFrame({"weekday": [1, 2, 3], "load": [1.0, np.nan, 3.0]}))
        assert len(ax.patches) == 2
        assert sum(t.get_text() == "uppgift saknas" for t in ax.texts) == 5

    @pytest.mark.parametrize(("profile", "match"), [
        (pd.DataFrame({"weekday": [0, 1], "load": [np.nan, np.nan]}), "no load"),
        (pd.DataFrame({"weekday": [0, 7], "load": [1.0, 2.0]}), "0 \\(Monday\\)"),
        (pd.DataFrame({"weekday": [0, 0], "load": [1.0, 2.0]}), "twice"),
        (pd.DataFrame({"weekday": [0], "value": [1.0]}), "missing column"),
        (pd.DataFrame({"weekday": [], "load": []}), "empty"),
    ])
    def test_degenerate_input(self, profile, match):
        with pytest.raises(ValueError, match=match):
            charts.ww_weekday_pattern(profile)


def test_estimate_intervals_draw_each_interval_and_the_reference():
    r = pd.DataFrame({"label": ["A", "B"], "estimate": [-5.0, 2.0], "ci_low": [-9.0, -1.0], "ci_high": [-1.0, 5.0]})
    ax = charts.estimate_intervals(r, xlabel="Brott", reference=0.0)
    lines = ax.get_lines()
    assert [list(map(float, ln.get_xdata())) for ln in lines[0:4:2]] == [[-9.0, -1.0], [-1.0, 5.0]]
    assert [float(v) for v in lines[-1].get_xdata()] == [0.0, 0.0]  # the "no effect" line
    lo, hi = ax.get_xlim()
    assert lo < -9 and hi > 9 and abs(lo) == pytest.approx(abs(hi))  # symmetric around "no effect"


def test_estimate_intervals_reject_missing_values():
    r = pd.DataFrame({"label": ["A"], "estimate": [np.nan], "ci_low": [0.0], "ci_high": [1.0]})
    with pytest.raises(ValueError, match="missing"):
        charts.estimate_intervals(r, xlabel="x")


# --------------------------------------------------------------------------------------------
# Accessibility: contrast of line colours, alt texts that state the finding
# --------------------------------------------------------------------------------------------


class TestContrast:
    def test_contrast_ratio_matches_wcag_reference_values(self):
        assert charts.contrast_ratio("#000000") == pytest.approx(21.0)
        assert charts.contrast_ratio("#ffffff") == pytest.approx(1.0)
        assert charts.contrast_ratio("#767676") == pytest.approx(4.54, abs=0.01)  # the classic AA grey
        assert charts.contrast_ratio("#ffffff", "#767676") == charts.contrast_ratio("#767676", "#ffffff")

    def test_line_colours_have_3_to_1_against_white(self):
        assert set(charts.LINE_PALETTE) <= set(charts.PALETTE)
        assert all(charts.contrast_ratio(c) >= 3 for c in charts.LINE_PALETTE)
        left_out = set(charts.PALETTE) - set(charts.LINE_PALETTE)
        assert left_out == {"#E69F00", "#56B4E9", "#F0E442"}
        assert all(charts.contrast_ratio(c) < 3 for c in left_out)  # too light for a thin line
        assert charts.contrast_ratio(charts.GREY) >= 3
        assert all(charts.contrast_ratio(s["color"]) >= 3 for s in charts.LEVEL_STYLES.values())

    def test_many_category_lines_stay_visible_and_distinct(self):
        types = [f"Typ {i}" for i in range(8)]
        monthly = pd.DataFrame({"month": pd.Timestamp("2024-01-01"), "type": types, "count": range(10, 18)})
        ax = charts.monthly_events(monthly, types=types)
        lines = ax.get_lines()
        assert len(lines) == 8
        assert all(charts.contrast_ratio(to_hex(ln.get_color())) >= 3 for ln in lines)
        styles = {(to_hex(ln.get_color()), str(ln.get_linestyle()), ln.get_marker()) for ln in lines}
        assert len(styles) == 8


def _trend(change, detectable=True, too_few=False):
    from types import SimpleNamespace

    return SimpleNamespace(annual_change_pct=change, detectable=detectable, too_few=too_few)


def _alt_rates(kommun: dict, riket: dict, years=(2023, 2024)) -> pd.DataFrame:
    rows = []
    for name, level, values in (("Ale", "kommun", kommun), ("Västra Götalands län", "län", riket),
                                ("Hela landet", "riket", riket)):
        for indicator, per_year in values.items():
            for year, rate in zip(years, per_year, strict=True):
                rows.append({"region_name": name, "level": level, "indicator": indicator, "year": year, "rate": rate})
    return pd.DataFrame(rows)


class TestIndicatorTrendsAlt:
    def test_names_detectable_trends_counts_the_rest_and_compares_with_the_riket(self):
        names = ["Rån", "Stöld", "Bilbrott", "Inbrott", "Mord", "Bedrägeri"]
        kommun = {"Rån": [10.0, 30.0], "Stöld": [500.0, 400.0], "Bilbrott": [1.0, 1.0], "Inbrott": [1.0, 1.0],
                  "Mord": [1.0, 1.0], "Bedrägeri": [900.0, float("nan")]}
        riket = {n: [20.0, 20.0] for n in names} | {"Stöld": [600.0, 600.0]}
        trends = {"Rån": _trend(12.4), "Stöld": _trend(-0.3), "Bilbrott": _trend(1.0, False),
                  "Inbrott": _trend(-2.0, False), "Mord": _trend(float("nan"), False, True),
                  "Bedrägeri": _trend(3.0, False)}
        text = charts.indicator_trends_alt(_alt_rates(kommun, riket), names, trends).replace(NBSP, " ")
        # above the riket in the last year with both values: Rån (2024: 30 > 20), Bedrägeri (2023: 900 > 20);
        # Stöld 400 < 600, the others 1 < 20
        assert text == ("Ale jämfört med Västra Götalands län och hela landet i 6 kategorier. "
                        "Statistiskt säkerställd ökning: Rån (+12 % per år). "
                        "Statistiskt säkerställd minskning: Stöld (−0,3 % per år). "
                        "Ingen statistiskt säkerställd trend i övriga 3 kategorier. "
                        "För få fall för att bedöma trenden: Mord. "
                        "Senaste året med jämförbara värden låg Ale över hela landet i 2 av 6 kategorier "
                        "(Rån och Bedrägeri).")

    def test_all_flat_and_always_above(self):
        rates = _alt_rates({"Rån": [30.0, 30.0], "Stöld": [30.0, 30.0]}, {"Rån": [20.0, 20.0], "Stöld": [20.0, 20.0]})
        text = charts.indicator_trends_alt(rates, ["Rån", "Stöld"], {"Rån": _trend(1, False), "Stöld": _trend(2, False)})
        assert text == ("Ale jämfört med Västra Götalands län och hela landet i 2 kategorier. Ingen av dem har en "
                        "statistiskt säkerställd trend. Senaste året med jämförbara värden låg Ale över hela landet i "
                        "alla kategorierna.")

    def test_names_with_commas_are_listed_with_semicolons(self):
        names = ["Våld mot barn och unga, flickor", "Våld mot barn och unga, pojkar"]
        rates = _alt_rates({n: [1.0, 1.0] for n in names}, {n: [5.0, 5.0] for n in names})
        text = charts.indicator_trends_alt(rates, names, {n: _trend(-9.0) for n in names}).replace(NBSP, " ")
        assert ("minskning: Våld mot barn och unga, flickor (−9 % per år); Våld mot barn och unga, pojkar "
                "(−9 % per år).") in text
        assert text.endswith("låg Ale inte över hela landet i någon kategori.")

    def test_needs_a_kommun_and_indicators(self):
        rates = _alt_rates({"Rån": [1.0, 1.0]}, {"Rån": [1.0, 1.0]})
        with pytest.raises(ValueError, match="no region at level 'kommun'"):
            charts.indicator_trends_alt(rates[rates["level"] != "kommun"], ["Rån"], {})
        with pytest.raises(ValueError, match="indicators is empty"):
            charts.indicator_trends_alt(rates, [], {})


class TestMonthlyEventsAlt:
    def test_types_ranked_by_total_and_the_peak_month(self):
        # Brand 10+3+1+1 = 15, Inbrott 4+2+1 = 7, Rån 1; Brand's most: 10 in January
        assert charts.monthly_events_alt(_monthly()) == (
            "Januari 2024–april 2024: flest händelser av typen Brand (15), sedan Inbrott (7) och Rån (1). "
            "Flest av typen Brand under en månad: 10 i januari 2024.")

    def test_only_the_types_in_the_chart(self):
        assert charts.monthly_events_alt(_monthly(), types=["Inbrott"]) == (
            "Januari 2024–april 2024: flest händelser av typen Inbrott (7). "
            "Flest av typen Inbrott under en månad: 4 i januari 2024.")

    def test_rejects_what_the_chart_rejects(self):
        with pytest.raises(ValueError, match="no events of type 'Mord'"):
            charts.monthly_events_alt(_monthly(), types=["Mord"])


class TestWeekdayHourAlt:
    def test_busiest_day_hour_and_single_hour(self):
        values = np.zeros((7, 24))
        values[4, 22], values[4, 23], values[5, 23], values[0, 8] = 9, 4, 6, 5
        # Friday 13, Saturday 6, Monday 5; hour 23: 10, hour 22: 9; single most: Friday 22–23 (9)
        assert charts.weekday_hour_alt(_matrix(values), what="händelser och rapporter") == (
            "Flest händelser och rapporter på fredagar (13) och klockan 23–00 (10). "
            "Flest under en enskild timme: fredagar klockan 22–23 (9).")

    def test_private_counts_of_one_or_two_are_never_written(self):
        values = np.full((7, 24), np.nan)
        values[6, 3], values[2, 3] = 2, 1
        text = charts.weekday_hour_alt(_matrix(values), private=True)
        assert text == ("Flest händelser på söndagar (färre än 3) och klockan 03–04 (3). "
                        "Flest under en enskild timme: söndagar klockan 03–04 (färre än 3).")
        assert "(2)" in charts.weekday_hour_alt(_matrix(values))  # public data: the number itself

    def test_rejects_what_the_chart_rejects(self):
        with pytest.raises(ValueError, match="7 × 24"):
            charts.weekday_hour_alt(pd.DataFrame(np.ones((6, 24))))
        with pytest.raises(ValueError, match="no events"):
            charts.weekday_hour_alt(_matrix(np.zeros((7, 24))))


# --------------------------------------------------------------------------------------------
# The package: every name through charts.<name>, lazily
# --------------------------------------------------------------------------------------------

#: The public names of the single module lagesbild.render.charts was before it became a package.
FORMER_MODULE_NAMES = (
    "PALETTE", "LINE_PALETTE", "GREY", "LEVEL_STYLES", "swedish_formatter", "contrast_ratio",
    "indicator_trends", "indicator_trends_alt", "bar_ranking", "group_strip", "group_strip_alt",
    "monthly_events", "monthly_events_panels", "monthly_events_alt", "weekday_hour", "weekday_hour_alt",
    "funnel_panels", "funnel_alt", "factor_profile", "lorenz_curve", "ww_loads_over_time",
    "ww_weekday_pattern", "estimate_intervals",
)


def _module(name: str) -> types.ModuleType:
    return getattr(charts, name)


class TestPackage:
    def test_import_loads_no_matplotlib_pandas_or_numpy(self):
        code = ("import sys; import lagesbild.render.charts; from lagesbild import charts; "
                "print(sorted(m for m in ('matplotlib', 'pandas', 'numpy') if m in sys.modules))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        assert out.strip() == "[]"

    @pytest.mark.parametrize("name", FORMER_MODULE_NAMES)
    def test_the_former_modules_names_still_work(self, name):
        assert getattr(charts, name) is not None
        assert name in dir(charts)

    def test_from_import_works(self):
        from lagesbild.render.charts import PALETTE, funnel_panels

        assert PALETTE is charts.style.PALETTE
        assert funnel_panels is charts.funnel.funnel_panels

    @pytest.mark.parametrize("module", charts.FORWARDED)
    def test_every_name_in_a_modules_all_is_the_packages(self, module):
        mod = _module(module)
        assert mod.__name__ == f"lagesbild.render.charts.{module}"
        for name in mod.__all__:
            assert getattr(charts, name) is getattr(mod, name), name

    def test_no_name_is_in_two_modules(self):
        seen: dict[str, str] = {}
        for module in charts.FORWARDED:
            for name in _module(module).__all__:
                assert name not in seen, f"{name} is in the __all__ of both {seen[name]} and {module}"
                seen[name] = module

    @pytest.mark.parametrize("module", charts.FORWARDED)
    def test_every_public_name_defined_in_a_module_is_in_its_all(self, module):
        """A new chart without its name in ``__all__`` would not be reachable as ``charts.<name>``."""
        import ast

        mod = _module(module)
        tree = ast.parse(Path(mod.__file__).read_text(encoding="utf-8"))
        defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)}
        defined |= {t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                    if isinstance(t, ast.Name)}
        defined |= {node.target.id for node in tree.body if isinstance(node, ast.AnnAssign)}
        assert {n for n in defined if not n.startswith("_")} == set(mod.__all__)

    def test_unknown_and_private_names_are_attribute_errors_naming_the_modules(self):
        with pytest.raises(AttributeError, match=r"no attribute 'no_such_chart'.*__all__ of .*style, crime"):
            charts.no_such_chart  # noqa: B018
        with pytest.raises(AttributeError):
            charts._tidy  # noqa: B018  (the modules' own helpers are not forwarded)
        assert not hasattr(charts, "plt")
