"""Publication rules for place-level counts (lagesbild.privacy)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lagesbild import privacy


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
