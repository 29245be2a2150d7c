"""Recycling figures: rates side by side, prices one panel per currency, earnings never on one axis."""

from __future__ import annotations

import pytest

from core import recycling_figures as rf
from core.catalogue import Catalogue


@pytest.fixture(scope="module")
def estimates():
    return Catalogue().load("estimates")


def test_rates_chart_shows_every_rate_with_its_qualifier(estimates):
    rates = rf.rate_rows(estimates).copy()
    assert {"E103", "E116", "E176", "E177", "E180", "E181", "E182"} <= set(rates["id"])
    rates["label"] = rates["id"]
    figure = rf.ranked_dots(rates, label="label", unit_title="Share recycled (%)", colour_by="geo_level", unit="%")
    assert figure.layout.xaxis.title.text == "Share recycled (%)"
    texts = [text for trace in figure.data for text in (trace.text or [])]
    assert "<10%" in texts, "the 'less than 10%' figure keeps its qualifier"
    assert "20%" in texts and "4.3%" in texts


def test_prices_never_share_an_axis_across_currencies(estimates):
    prices = rf.price_rows(estimates)
    figure = rf.price_panels(prices)
    titles = {figure.layout[name].title.text for name in figure.layout if name.startswith("yaxis")}
    assert titles == {"riel/kg", "USD/kg", "THB/kg"}, titles
    per_20 = prices.set_index("id").loc["E195"]
    assert per_20["derived"] and per_20["value"] == pytest.approx(1.5 / 20) and per_20["unit_shown"] == "USD/kg"
    riel = [t for t in figure.data if t.xaxis == "x"]
    assert all(y in (800, 1000, 200, 100) for t in riel for y in t.y if y is not None)


def test_income_panels_one_axis_per_currency_and_period(estimates):
    income = estimates[estimates["indicator"] == "picker_income"].copy()
    income["label"] = income["id"]
    figure = rf.income_panels(income, label="label")
    titles = {figure.layout[name].title.text for name in figure.layout if name.startswith("xaxis")}
    assert titles == {"Riel per day (riel/day)", "US dollars per day (USD/day)",
                      "US dollars per month (USD/month)"}
    ranges = [t for t in figure.data if t.mode == "lines+markers"]
    assert ranges and list(ranges[0].x) == [2500, 20000], "the 2019 range is drawn as a bar, no midpoint"


def test_exports_bars(estimates):
    exports = estimates[estimates["indicator"] == "exports"]
    figure = rf.exports_bars(exports)
    assert figure.data[0].type == "bar"
    assert sorted(figure.data[0].x) == [10000, 17000]
    assert "Metal (copper)" in list(figure.data[0].y)
    assert figure.layout.xaxis.title.text == "Tonnes exported (t)"


def test_value_text_keeps_qualifiers_and_ranges(estimates):
    row = estimates.set_index("id").loc["E216"].copy()
    assert rf.value_text(row) == "2,500–20,000"
    assert rf.value_text(estimates.set_index("id").loc["E177"], "%") == "<10%"
