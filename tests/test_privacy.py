"""Publication rules for place-level counts (lagesbild.core.privacy)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lagesbild.core import privacy


def test_threshold_is_three():
    assert privacy.MIN_PUBLISHED == 3
    assert privacy.SMALL_LABEL == "färre än 3"


@pytest.mark.parametrize(("value", "shown"), [(0, 0), (1, "färre än 3"), (2, "färre än 3"), (3, 3), (250, 250),
                                              (2.0, "färre än 3"), (np.int64(1), "färre än 3"), (7.0, 7)])
def test_mask_small_values(value, shown):
    out = privacy.mask_small(pd.Series([value]))
    assert out.iloc[0] == shown and type(out.iloc[0]) is type(shown)


def test_mask_small_keeps_missing_and_text():
    out = privacy.mask_small(pd.DataFrame({"a": [np.nan, 1], "b": ["Söder", "x"]}))
    assert pd.isna(out.loc[0, "a"]) and out.loc[1, "a"] == "färre än 3"
    assert out["b"].tolist() == ["Söder", "x"]


def test_masked_tables_pass_the_last_check_and_raw_ones_do_not():
    raw = pd.DataFrame({"plats": ["A", "B", "C"], "antal": [0, 2, 9]})
    with pytest.raises(ValueError, match="1 value"):
        privacy.assert_publishable(raw[["antal"]])
    privacy.assert_publishable(privacy.mask_small(raw))


@pytest.mark.parametrize(("n", "text"), [(0, "0"), (1, "färre än 3"), (2, "färre än 3"), (3, "3"), (1500, "1\u00a0500")])
def test_small_total(n, text):
    assert privacy.small_total(n) == text


def test_small_total_rejects_negative():
    with pytest.raises(ValueError, match="negative"):
        privacy.small_total(-1)


@pytest.mark.parametrize(("parts", "total"), [
    ([5, 1], 6), ([5, 2], 7), ([1, 7], 8), ([0, 2], 2), ([3, 0], 3), ([1, 1], 2), ([10, 20], 30)])
def test_mask_parts_never_lets_a_small_part_be_subtracted_out(parts, total):
    out = privacy.mask_parts(pd.DataFrame([parts], columns=["a", "b"]), pd.Series([total], name="Totalt")).iloc[0]
    shown = {k: v for k, v in out.items() if isinstance(v, int | np.integer)}
    assert all(not 0 < v < 3 for v in shown.values())
    if "Totalt" in shown:  # a published total with one published part would give the other part back
        others = [k for k in ("a", "b") if k in shown]
        hidden = [k for k in ("a", "b") if k not in shown]
        for k in hidden:
            assert parts[["a", "b"].index(k)] == 0 or len(others) == 0 or shown[others[0]] == 0 or \
                not 0 < total - shown[others[0]] < 3


@pytest.mark.parametrize("counts", [{"a": 10, "b": 1}, {"a": 10, "b": 2, "c": 1}, {"a": 3, "b": 3}, {"a": 2},
                                    {"a": 9, "b": 4, "c": 2}, {"a": 0, "b": 5}])
def test_mask_with_other_keeps_the_total_and_has_no_small_count(counts):
    out = privacy.mask_with_other(pd.Series(counts))
    assert out.sum() == sum(counts.values())
    assert not ((out > 0) & (out < 3)).any() or (len(out) == 1 and sum(counts.values()) < 3)


def test_hide_small_leaves_no_one_or_two_for_a_colour_scale():
    import numpy as np

    counts = pd.DataFrame(np.arange(168).reshape(7, 24) % 5, index=range(7), columns=range(24))
    hidden = privacy.hide_small(counts)
    assert not hidden.isin([1, 2]).any().any()
    assert (hidden.isna() == counts.isin([1, 2])).all().all()  # exactly the 1s and 2s are hidden
    assert (hidden[counts.isin([0, 3, 4])] == counts[counts.isin([0, 3, 4])]).sum().sum() == counts.isin([0, 3, 4]).sum().sum()
