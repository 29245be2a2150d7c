"""The Recycling page in AppTest: headline numbers, gaps shown as gaps, filters from the link, empty state."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import all_text, assert_clean, break_first_row, metrics, run_framed

PAGE = "recycling"


@pytest.fixture(scope="module")
def default_app() -> AppTest:
    return run_framed(PAGE)


def test_headline_numbers_with_sources(default_app):
    assert_clean(default_app)
    shown = metrics(default_app)
    assert shown["Recycled (national)"] == "4%"
    assert shown["Revenue, 2021"] == "US$56M"
    assert shown["Depots, 2018"] == "462"
    assert shown["Waste pickers, c. 2021"] == "~3,000"
    text = all_text(default_app)
    assert "published national figures: 4% to 11%" in text
    assert "Pheakdey et al. 2022" in text


def test_every_chart_is_drawn(default_app):
    assert len(default_app.get("plotly_chart")) == 6, "rates, exports, prices, picker counts, earnings, conditions"
    text = all_text(default_app)
    assert "Published recycling rates run from 4% to 20% of waste" in text
    assert "17,000 t of metal (copper) and 10,000 t of plastic" in text


def test_gaps_are_shown_as_not_published(default_app):
    text = all_text(default_app)
    for gap in ("Share of women among waste pickers, Cambodia-wide", "National plastic recycling capacity",
                "Exports of recyclables after 2017", "National counts of itinerant buyers and junk shops"):
        assert gap in text, f"the gap '{gap}' is listed"
    assert text.count("Not published") >= 6


def test_workshop_takeaways_on_the_informal_sector(default_app):
    text = all_text(default_app)
    assert "Integrating the informal sector" in text and "social protection" in text


def test_prices_keep_their_currencies(default_app):
    tables = [d.value for d in default_app.dataframe if "unit_as_published" in d.value.columns]
    assert tables, "the price table is shown"
    assert {"riel/kg", "USD/kg", "USD/20kg", "THB/kg"} <= set(tables[0]["unit_as_published"])


def test_material_filter_from_the_link_narrows_the_page():
    app = run_framed(PAGE, {"material": "plastic"})
    assert_clean(app)
    text = all_text(app)
    assert "Active: material: Plastic" in text
    prices = [d.value for d in app.dataframe if "unit_as_published" in d.value.columns]
    assert prices and set(prices[0]["material"]) <= {"plastic", "mixed"}


def test_filters_with_no_data_show_empty_states_and_the_gaps():
    app = run_framed(PAGE, {"material": "glass"})
    assert_clean(app)
    infos = [i.value for i in app.info]
    assert infos and all("matches the filters" in i for i in infos)
    assert "Share of women among waste pickers, Cambodia-wide" in all_text(app), "gaps stay visible"


def test_malformed_filter_in_the_link_falls_back_without_exception():
    app = run_framed(PAGE, {"material": "unobtainium", "years": ["20x0", "2024"]})
    assert_clean(app)
    assert metrics(app)["Recycled (national)"] == "4%"


def test_broken_estimates_file_keeps_the_gaps_and_the_workshop(data_copy, monkeypatch):
    break_first_row(data_copy / "estimates.csv", "value", "lots")
    monkeypatch.setenv("KHWASTE_DATA_DIR", str(data_copy))
    app = run_framed(PAGE)
    assert not app.exception
    assert any("data/estimates.csv, row 2, column 'value'" in e.value for e in app.error)
    assert "National plastic recycling capacity" in all_text(app), "the gaps need no data file"
