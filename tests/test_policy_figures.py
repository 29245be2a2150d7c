"""Policy timeline figure: dates placed as published, one row per kind, hover with title and date."""

from __future__ import annotations

import re

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


# ---------------------------------------------------------------------------------------------------------------
# Khmer: titles and descriptions come with the data; kinds, statuses, places and dates in Khmer.
# ---------------------------------------------------------------------------------------------------------------

KHMER = re.compile(r"[\u1780-\u17FF]")


def test_every_policy_has_its_title_and_description_in_khmer(policies):
    for column in ("title_km", "description_km"):
        missing = policies.loc[~policies[column].map(lambda text: bool(KHMER.search(text))), "id"].tolist()
        assert not missing, f"{column} must be Khmer text for every item: {missing}"
    assert set(policies["km_status"]) <= {"machine", "reviewed"}
    codes = policies.loc[policies["id"] == "PL01", "title_km"].iloc[0]
    assert "NS/RKM/1296/36" in codes, "document numbers stay as published"


def test_every_code_in_the_data_has_a_label(policies):
    from core.i18n import catalogue

    entries = catalogue()
    for field, column in (("policy_kind", "kind"), ("policy_status", "status"), ("policy_geography", "geography")):
        keys = {f"label.{field}.{re.sub(r'[^a-z0-9]+', '_', c.lower()).strip('_')}" for c in policies[column]}
        assert not keys - set(entries), f"add to locales/policy.csv: {sorted(keys - set(entries))}"
    for code, word in policy_figures.KIND_LABELS.items():
        assert policy_figures.kind_label(code) == word, "the English kind names stay as they were"
        assert KHMER.search(policy_figures.kind_label(code, lang="km"))
    for code in set(policies["status"]):
        assert policy_figures.status_label(code) == code.replace("_", " ")


@pytest.mark.parametrize(("date", "year", "shown"), [
    ("1999-04-27", 1999, "27 មេសា 1999"),
    ("2018-10", 2018, "តុលា 2018"),
    ("2003", 2003, "2003"),
    ("", 2024, "មិនបានបញ្ជាក់ (ប្រហែលឆ្នាំ 2024)"),
])
def test_dates_in_khmer(date, year, shown):
    assert policy_figures.date_as_published(date, year, lang="km") == shown


def test_khmer_timeline_shows_khmer_titles_kinds_and_dates(policies):
    fig = policy_figures.policy_timeline(policies, lang="km")
    assert fig.layout.template.layout.separators == ",."
    rows = list(fig.layout.yaxis.categoryarray)
    assert rows[-1] == "ច្បាប់" and "អនុក្រឹត្យ" in rows and all(KHMER.search(r) for r in rows)
    assert all(KHMER.search(t.name) for t in fig.data), "legend in Khmer"
    assert KHMER.search(fig.layout.xaxis.title.text)
    by_english = dict(zip(policies["title"], policies["title_km"], strict=True))
    for trace in fig.data:
        assert "កាលបរិច្ឆេទ៖ %{customdata[1]}" in trace.hovertemplate
        for item in trace.customdata:
            assert item[0] == by_english[item[4]], "the hover opens with the Khmer title, the published one under it"
    dates = [c[1] for t in fig.data for c in t.customdata]
    assert "27 មេសា 1999" in dates and "Apr" not in " ".join(dates)
    english = policy_figures.policy_timeline(policies)
    assert english.layout.template.layout.separators == ".,"
