"""Policy timeline figure: dates placed as published, one row per kind, hover with title and date."""

from __future__ import annotations

import pandas as pd
import pytest

from core import policy_figures
from core.catalogue import Catalogue
from tests.conftest import DATA


@pytest.fixture(scope="module")
def policies() -> pd.DataFrame:
    return Catalogue(DATA).load("policies")


@pytest.mark.parametrize(("date", "year", "placed", "shown"), [
    ("1999-04-27", 1999, "1999-04-27", "27 Apr 1999"),
    ("2018-10", 2018, "2018-10-15", "Oct 2018"),
    ("2003", 2003, "2003-07-01", "2003"),
    ("", 2024, "2024-07-01", "not stated (c. 2024)"),
])
def test_dates_are_placed_and_shown_as_published(date, year, placed, shown):
    assert policy_figures.placed_on(date, year) == pd.Timestamp(placed)
    assert policy_figures.date_as_published(date, year) == shown


def test_timeline_has_one_marker_per_item_on_its_kind_row(policies):
    fig = policy_figures.policy_timeline(policies)
    assert {t.type for t in fig.data} == {"scatter"}
    assert sum(len(t.x) for t in fig.data) == len(policies) == 26
    rows = list(fig.layout.yaxis.categoryarray)
    assert rows[-1] == "Law" and "Sub-decree" in rows and "Campaign" in rows, "laws on the top row"
    assert len(rows) == policies["kind"].nunique()
    laws = [y for t in fig.data for y in t.y if y == "Law"]
    assert len(laws) == 3


def test_axis_titles_and_hover(policies):
    fig = policy_figures.policy_timeline(policies)
    assert "(year)" in fig.layout.xaxis.title.text
    assert fig.layout.xaxis.range[0].year <= 1996 and fig.layout.xaxis.range[1].year >= 2025
    hover = fig.data[0].hovertemplate
    assert "customdata[0]" in hover and "Date: %{customdata[1]}" in hover
    first = [t for t in fig.data if t.name == "Laws and regulations"][0]
    titles = [c[0] for c in first.customdata]
    assert any("Sub-Decree No. 36" in t for t in titles)
    assert "24 Dec 1996" in [c[1] for c in first.customdata]


def test_unknown_kind_still_gets_a_row(policies):
    extra = policies.head(1).assign(kind="ordinance", id="PL99")
    fig = policy_figures.policy_timeline(pd.concat([policies, extra], ignore_index=True))
    assert "Ordinance" in list(fig.layout.yaxis.categoryarray)
