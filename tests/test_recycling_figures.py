"""Recycling figures: rates side by side, prices one panel per currency, earnings never on one axis."""

from __future__ import annotations

import re

import pytest

from core import i18n
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


def test_price_year_axes_tick_whole_years_once(estimates):
    """The Thai baht panel spans mid-2008 to early 2009: automatic ticks fell on half years and printed 2009 twice."""
    figure = rf.price_panels(rf.price_rows(estimates))
    axes = [name for name in figure.layout if name.startswith("xaxis")]
    assert len(axes) == 3
    for name in axes:
        axis = figure.layout[name]
        xs = [x for t in figure.data if t.xaxis == name.replace("axis", "") for x in t.x if x is not None]
        assert axis.tickmode == "linear" and axis.tickformat == "d", name
        assert float(axis.tick0).is_integer() and int(axis.dtick) == axis.dtick >= 1, (name, axis.tick0, axis.dtick)
        ticks = [axis.tick0 + k * axis.dtick for k in range(100) if axis.tick0 + k * axis.dtick <= max(xs) + 1]
        assert len({int(t) for t in ticks}) == len(ticks), "one label per year"
        assert 2 <= len([t for t in ticks if min(xs) - 1 <= t <= max(xs) + 1]) <= 7, (name, ticks)


def test_income_panels_one_axis_per_currency_and_period(estimates):
    income = estimates[estimates["indicator"] == "picker_income"].copy()
    income["label"] = income["id"]
    figure = rf.income_panels(income, label="label")
    titles = {figure.layout[name].title.text for name in figure.layout if name.startswith("xaxis")}
    assert titles == {"Riel per day (riel/day)", "US dollars per day (USD/day)",
                      "US dollars per month (USD/month)"}
    ranges = [t for t in figure.data if t.mode == "lines+markers"]
    assert ranges and list(ranges[0].x) == [2500, 20000], "the 2019 range is drawn as a bar, no midpoint"


def test_export_names_say_copper_where_the_quote_does(estimates):
    exports = estimates[estimates["indicator"] == "exports"]
    assert sorted(rf.export_names(exports)) == ["Metal (copper)", "Plastic"]


def test_value_text_keeps_qualifiers_and_ranges(estimates):
    row = estimates.set_index("id").loc["E216"].copy()
    assert rf.value_text(row) == "2,500–20,000"
    assert rf.value_text(estimates.set_index("id").loc["E177"], "%") == "<10%"


# ------------------------------------------------------------------ Khmer

KHMER = re.compile(r"[\u1780-\u17FF]")


def _key(code: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", code.lower()).strip("_")


def test_every_material_place_period_and_unit_shown_has_a_label(estimates):
    """The page shows the recycling topics' materials, places and worded periods in words: each has a label."""
    rows = estimates[estimates["topic"].isin(["recycling", "informal", "plastic"])]
    entries = i18n.catalogue()
    needed = {("recycled_material", m) for m in rows["material"]} | {("recycled_material", "metal_copper")}
    needed |= {("recycling_place", g) for g in rows["geography"]}
    needed |= {("recycling_period", p) for p in rows["period"] if re.search(r"[A-Za-z]", p)}
    needed |= {("recycling_unit", u) for u in (*rf.PRICE_UNITS, *rf.INCOME_UNITS)}
    missing = sorted(f"{field}: {code}" for field, code in needed if f"label.{field}.{_key(code)}" not in entries)
    assert not missing, f"codes with no label in locales/recycling.csv: {missing}"
    for field, code in needed:
        assert KHMER.search(i18n.label("km", field, code)), f"label.{field} '{code}' has no Khmer"
    for material, name in rf.MATERIAL_NAMES.items():
        assert i18n.label("en", "recycled_material", material) == name, "English stays as it was"
    for unit, name in (rf.PRICE_UNITS | rf.INCOME_UNITS).items():
        assert i18n.label("en", "recycling_unit", unit) == name
    for geography in rows["geography"]:
        assert i18n.label("en", "recycling_place", geography) == geography


def test_khmer_figures_use_khmer_words_and_the_decimal_comma(estimates):
    rates = rf.rate_rows(estimates).copy()
    rates["label"] = rates["id"]
    dots = rf.ranked_dots(rates, label="label", unit_title="ចំណែកដែលបានកែច្នៃ (%)", colour_by="geo_level", unit="%",
                          lang="km")
    assert dots.layout.template.layout.separators == ",."
    texts = [text for trace in dots.data for text in (trace.text or [])]
    assert "4,3%" in texts and "<10%" in texts and "4.3%" not in texts
    assert "កម្រិតទំនុកចិត្ត" in dots.data[0].hovertemplate

    prices = rf.price_panels(rf.price_rows(estimates), lang="km")
    titles = [a.text for a in prices.layout.annotations]
    assert "រៀលក្នុងមួយគីឡូក្រាម" in titles and "Riel per kg" not in titles
    assert {prices.layout[n].title.text for n in prices.layout if n.startswith("yaxis")} == {"riel/kg", "USD/kg",
                                                                                             "THB/kg"}
    assert prices.layout.xaxis.title.text == "ឆ្នាំនៃតម្លៃ"
    assert "ប្លាស្ទិក" in {t.name for t in prices.data}

    income = estimates[estimates["indicator"] == "picker_income"].copy()
    income["label"] = income["id"]
    panels = rf.income_panels(income, label="label", lang="km")
    titles = {panels.layout[n].title.text for n in panels.layout if n.startswith("xaxis")}
    assert "រៀលក្នុងមួយថ្ងៃ (riel/day)" in titles
    assert any("2.500–20.000 riel/day" in (trace.hovertemplate or "") for trace in panels.data), (
        "the 2019 range is written the Khmer way in its hover text")

    assert "លោហៈ (ទង់ដែង)" in rf.export_names(estimates[estimates["indicator"] == "exports"], lang="km")


def test_value_text_in_khmer(estimates):
    by_id = estimates.set_index("id")
    assert rf.value_text(by_id.loc["E216"], lang="km") == "2.500–20.000"
    assert rf.value_text(by_id.loc["E177"], "%", lang="km") == "<10%"
    assert rf.unit_symbol("t/day", lang="km") == "តោន/ថ្ងៃ" and rf.unit_symbol("t/day") == "t/day"
    assert rf.period_name("c. 2021", lang="km") == "ប្រហែល 2021" and rf.period_name("2017", lang="km") == "2017"
