"""The Recycling page in AppTest: headline numbers, gaps shown as gaps, filters from the link, empty state."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import text as i18n_text
from tests.helpers import (
    all_text,
    assert_clean,
    break_first_row,
    chart_tab_labels,
    every_chart_tab,
    metrics,
    open_chart_tab,
    open_filters,
    run_framed,
)

PAGE = "recycling"


@pytest.fixture(scope="module")
def default_app() -> AppTest:
    return run_framed(PAGE, tables=True)


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
    assert [c.key for c in default_app.get("plotly_chart")] == [
        "chart-recycling-rates", "chart-recycling-prices", "chart-picker-counts"], (
        "rates, prices and the first of the waste-picker tabs (counts): the other picker charts wait in their tabs")
    text = all_text(default_app)
    assert "Published recycling rates run from 4% to 20% of waste" in text
    assert "17,000 t of metal (copper) and 10,000 t of plastic" in text


def records(app: AppTest, *first_headers: str) -> list[list[str]]:
    """The rows (cells, unescaped) of the Markdown table of records whose first header is one of these."""
    body = next(m.value for m in app.markdown if m.value.startswith(tuple(f"| {h}" for h in first_headers)))
    return [[cell.strip().replace("\\", "") for cell in line.strip("|").split(" | ")]
            for line in body.splitlines()[2:]]


def exports_table(app: AppTest) -> list[list[str]]:
    return records(app, "Material", "សម្ភារៈ")


def test_exports_are_a_table_of_records_with_place_year_source_and_confidence(default_app):
    """One year of exports (two figures the title already states) is a table of records, not a two-bar chart."""
    rows = exports_table(default_app)
    assert sorted(rows) == [
        ["Metal (copper)", "17,000\u00a0t", "Cambodia, 2017", "Cambodia Waste Summit n.d.", "medium"],
        ["Plastic", "10,000\u00a0t", "Cambodia, 2017", "Cambodia Waste Summit n.d.", "medium"],
    ], rows
    frame = [c.value for c in default_app.caption if c.value.startswith("Source")]
    assert any("Cambodia Waste Summit" in value for value in frame), "the table's source line"
    assert "Most recovered material leaves the country" in all_text(default_app)


def test_the_exports_table_in_khmer(khmer_app):
    assert_clean(khmer_app)
    rows = exports_table(khmer_app)
    assert {row[0] for row in rows} == {"លោហៈ (ទង់ដែង)", "ប្លាស្ទិក"}, rows
    assert any(row[1] == "17.000\u00a0តោន" for row in rows), rows


def industry_table(app: AppTest) -> list[list[str]]:
    """The rows (cells) of the businesses' table: the Markdown table under its heading."""
    return records(app, "What was counted", "អ្វីដែលបានរាប់")


def test_business_figures_are_listed_as_records_with_place_year_source_and_confidence(default_app):
    """Single figures (several about one business) are table rows, not headline cards."""
    rows = industry_table(default_app)
    assert len(rows) == 7 and all(len(row) == 5 for row in rows)
    by_what = {(row[0], row[1]): row for row in rows}
    assert by_what[("Scrap dealers", "≤400")][2:] == ["Phnom Penh, not dated in the excerpt", "The Cambodia Daily n.d.",
                                                     "low"]
    assert by_what[("Recycling factories", "5")][2:] == ["Phnom Penh, 2009", "Phnom Penh Post 2009", "medium"]
    assert by_what[("PET waste generated (forecast)", "83,000\u00a0t\u2060/\u2060yr")][2] == "Cambodia, 2025 (forecast)"
    assert "Scrap dealers" not in metrics(default_app), "no headline card for a single figure"
    assert "not comparable with one another and are not totals" in all_text(default_app)


def test_business_table_escapes_what_the_data_says(monkeypatch):
    """A source name with table or link syntax stays text inside its cell."""
    import pandas as pd

    from components import views_recycling
    from components.data import load

    estimates = load("estimates")
    rows = estimates[estimates["indicator"].isin(["scrap_dealers"])]
    by_id = load("sources").set_index("id").copy()
    first = rows.iloc[0]["source_id"].split(";")[0].strip()
    by_id.loc[first, "authors"] = "Evil | col [click](javascript:alert(1)) <b>x</b>"
    by_id.loc[first, "year"] = pd.NA
    table, ids = views_recycling.industry_specs(rows, by_id)
    line = table.splitlines()[2]
    assert line.count(" | ") == 4, line  # still five cells
    assert "](javascript" not in line and "<b>" not in line and "\\|" in line
    assert first in ids


@pytest.mark.parametrize("lang", ["en", "km"])
def test_business_table_units_do_not_wrap_at_their_slash(lang):
    """Word joiners (U+2060) hold 'តោន/ឆ្នាំ' together in the figure cells; nowhere else, and escaping still holds."""
    from components import views_recycling
    from components.data import load

    estimates = load("estimates")
    by_id = load("sources").set_index("id")
    table, _ids = views_recycling.industry_specs(estimates, by_id, lang)
    lines = table.splitlines()
    assert "\u2060" not in lines[0], "the header row has no joiners"
    figures = [line.strip("|").split(" | ")[1].strip() for line in lines[2:]]
    with_unit = [cell for cell in figures if "/" in cell]
    assert len(with_unit) == 5, figures  # three t/day and two t/yr figures
    for cell in with_unit:
        assert cell.count("/") == cell.count("\u2060/\u2060") == 1, repr(cell)
        assert "\u2060/\u2060".join(part for part in cell.replace("\u2060", "").split("/")) == cell
    for line in lines[2:]:
        other = line.strip("|").split(" | ")
        assert not any("\u2060" in cell for i, cell in enumerate(other) if i != 1), "joiners in figure cells only"
    unit = "តោន/ឆ្នាំ" if lang == "km" else "t/yr"
    assert any(cell.replace("\u2060", "").endswith(unit) for cell in with_unit), "the text reads the same without them"


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
    app = run_framed(PAGE, {"material": "plastic"}, tables=True)
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


def test_figures_that_agree_are_not_read_as_a_range():
    """A filter that leaves one rate, or several of one value, words them as such: never "4% to 4%"."""
    one = all_text(run_framed(PAGE, {"conf": "high"}))
    assert "The one published recycling rate shown is 4% of waste" in one
    assert "The national figure puts recycling at 4% of waste." in one
    assert "It is the only published rate that matches the filters" in one
    assert "They come from different sources" not in one
    same = all_text(run_framed(PAGE, {"years": ["2020", "2024"]}))
    assert "National figures all put recycling at 4% of waste; Phnom Penh's one figure at 20%." in same
    assert "published national figures:" not in same, "no spread under the headline when the figures agree"
    for text in (one, same):
        assert not re.search(r"(\d[\d.]*%) to \1(?!\d)", text), re.findall(r"\d[\d.]*% to \d[\d.]*%", text)
    khmer = all_text(run_framed(PAGE, {"conf": "high", "lang": "km"}))
    assert "អត្រាកែច្នៃដែលបានបោះពុម្ពផ្សាយតែមួយដែលបានបង្ហាញ គឺ 4% នៃសំណល់" in khmer
    assert not re.search(r"(\d[\d,]*%) ដល់ \1(?!\d)", khmer)


def test_picker_counts_and_price_years_that_agree_are_not_read_as_a_range():
    """One count of pickers, or one year of prices, is worded as one value: never "2,000 to 2,000" or "2020–2020"."""
    import pandas as pd

    from components import views_recycling
    from components.data import load

    degenerate = re.compile(r"(?<![\d.,])(\d[\d.,]*)\s*(?:to|–|ដល់)\s*\1(?![\d.,])")
    one = all_text(run_framed(PAGE, {"conf": "high"}))
    assert "The one published count of waste pickers shown is 2,000 people, and it is not a census" in one
    years = all_text(run_framed(PAGE, {"years": ["2020", "2024"]}))
    assert "The one published count of waste pickers shown is 3,000 people, and it is not a census" in years
    assert "Phnom Penh, Battambang and export buyers, 2020. Open markers" in years
    khmer = all_text(run_framed(PAGE, {"years": ["2020", "2024"], "lang": "km"}))
    assert "ចំនួនអ្នករើសអេតចាយដែលបានបោះពុម្ពផ្សាយតែមួយដែលបានបង្ហាញ គឺ 3.000 នាក់" in khmer
    assert "អ្នកទិញសម្រាប់នាំចេញ 2020។" in khmer
    for text in (one, years, khmer):
        assert not degenerate.search(text), [m.group(0) for m in degenerate.finditer(text)]
    # Several counts of one value (not in the ledger today): one value, and how many agree.
    estimates = load("estimates")
    count = estimates[(estimates["indicator"] == "waste_pickers") & (estimates["unit"] == "persons")].head(1)
    twice = pd.concat([count, count.assign(id=count["id"] + "-copy")])
    frames = views_recycling.pickers_frames(twice, load("sources").set_index("id"))
    value = f"{twice['value'].iloc[0]:,.0f}"
    assert frames[0]["title"] == (f"The 2 published counts of waste pickers shown all put it at {value} people, "
                                  "and none is a census")


def test_a_worded_headline_value_wraps_in_its_card_and_numbers_load_no_html():
    """'not published' is wider than a card in a row of four: the page adds the wrapping style beside a worded value
    only (an unfiltered page of numbers draws no HTML element for it)."""
    from components.frame import WORDED_KPI_CSS

    filtered = run_framed(PAGE, {"conf": "high"})
    assert metrics(filtered)["Waste pickers, Cambodia"] == "not published"
    styles = [h.proto.body for h in filtered.get("html")]
    assert styles and set(styles) == {WORDED_KPI_CSS}
    assert "white-space: normal" in WORDED_KPI_CSS and "stMetricValue" in WORDED_KPI_CSS
    assert not run_framed(PAGE).get("html"), "every headline value is a number: no style element"


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


# ------------------------------------------------------------------ Khmer

KHMER = re.compile(r"[\u1780-\u17FF]")


@pytest.fixture(scope="module")
def khmer_app() -> AppTest:
    return run_framed(PAGE, {"lang": "km"}, tables=True)


def test_khmer_page_has_khmer_titles_numbers_and_charts(khmer_app):
    assert_clean(khmer_app)
    assert khmer_app.title[0].value == "ការកែច្នៃ និងវិស័យក្រៅផ្លូវការ"
    headings = [m.value for m in khmer_app.markdown if m.value.startswith("####")]
    # Rates, exports, prices and the first waste-picker tab; the other two picker charts are checked below.
    assert len(headings) == 4 and all(KHMER.search(h) for h in headings)
    assert all(KHMER.search(s.value) for s in khmer_app.subheader)
    shown = metrics(khmer_app)
    assert shown["បានកែច្នៃ (ថ្នាក់ជាតិ)"] == "4%"
    assert shown["អ្នករើសអេតចាយ ប្រហែល 2021"] == "~3.000", "Khmer grouping and the period in Khmer"
    assert shown["ចំណូល 2021 (លានដុល្លារអាមេរិក)"] == "56", "the long unit word in the label, not the tile"
    text = all_text(khmer_app)
    assert "4,3% ដល់ 20%" in text, "the Phnom Penh range with a decimal comma"
    assert "លោហៈ (ទង់ដែង) 17.000 តោន និង ប្លាស្ទិក 10.000 តោន" in text
    assert "Pheakdey et al. 2022" in text, "source names stay as published"
    charts = [chart for view in [khmer_app, *every_chart_tab(PAGE, {"lang": "km"})[1:]]
              for chart in view.get("plotly_chart")]
    assert len({chart.key for chart in charts}) == 5, "rates, prices and the three waste-picker charts"
    for chart in charts:
        layout = json.loads(chart.proto.spec)["layout"]
        assert (layout.get("separators") or layout["template"]["layout"]["separators"]) == ",."
        assert KHMER.search(chart.proto.alt), "alt text in Khmer"


def test_khmer_business_table(khmer_app):
    rows = industry_table(khmer_app)
    assert len(rows) == 7
    assert all(KHMER.search(row[0]) for row in rows), "what was counted, in Khmer"
    assert "83.000\u00a0តោន\u2060/\u2060ឆ្នាំ" in [row[1] for row in rows], "Khmer grouping, the unit kept whole"


def test_khmer_gaps_and_workshop_cards(khmer_app):
    text = all_text(khmer_app)
    assert text.count("មិនបានបោះពុម្ពផ្សាយ") >= 6
    assert "ចំណែកស្ត្រីក្នុងចំណោមអ្នករើសអេតចាយ ទូទាំងប្រទេសកម្ពុជា" in text
    assert "Not published" not in text and "Share of women among waste pickers" not in text
    assert "**កិច្ចគាំពារសង្គមសម្រាប់កម្មករក្រៅផ្លូវការ**" in text, "workshop cards from data/workshop.csv's title_km"


def test_khmer_tables_keep_the_data_columns(khmer_app):
    prices = [d.value for d in khmer_app.dataframe if "unit_as_published" in d.value.columns]
    assert prices and {"riel/kg", "USD/kg", "USD/20kg", "THB/kg"} <= set(prices[0]["unit_as_published"])


def test_khmer_empty_states():
    app = run_framed(PAGE, {"lang": "km", "material": "glass"})
    assert_clean(app)
    infos = [i.value for i in app.info]
    assert infos and all(KHMER.search(i) and "សម្ភារៈ: កញ្ចក់" in i for i in infos), infos
    assert all("matches the filters" not in i for i in infos)


def test_the_cache_key_reads_back_as_the_selection():
    """The cached builder takes the selection as one short string (cheap to hash on every rerun)."""
    from components import views_recycling as view
    from core.sectors import Selection

    chosen = Selection(values={"material": ("plastic",), "actor": ("informal",)}, years=(2015, 2024))
    key = view.selection_key(chosen)
    assert isinstance(key, str)
    assert view.from_key(key) == chosen
    assert view.from_key(view.selection_key(Selection())) == Selection()


def test_waste_picker_charts_are_tabs_that_draw_only_the_open_chart():
    app = run_framed(PAGE)
    assert chart_tab_labels(app) == {"pickers": ["How many", "What they earn", "How they live"]}
    for label, chart, title in (("What they earn", "chart-picker-income", "earn a few dollars a day or less"),
                                ("How they live", "chart-picker-conditions", "Many pickers are children"),
                                ("How many", "chart-picker-counts", "Counts of waste pickers range")):
        open_chart_tab(app, "pickers", label)
        assert_clean(app)
        assert [c.key for c in app.get("plotly_chart")] == ["chart-recycling-rates", "chart-recycling-prices", chart]
        assert title in all_text(app), f"the {label!r} tab shows its chart's frame"


def test_an_open_picker_tab_stays_open_when_a_filter_changes():
    app = open_chart_tab(run_framed(PAGE), "pickers", "What they earn")
    open_filters(app)
    app.multiselect(key="actor").set_value(["informal"]).run()
    assert_clean(app)
    assert app.session_state["charts-pickers"] == "What they earn"
    assert "chart-picker-income" in [c.key for c in app.get("plotly_chart")]


def test_picker_tabs_in_khmer():
    app = run_framed(PAGE, {"lang": "km"})
    assert_clean(app)
    labels = chart_tab_labels(app)["pickers"]
    assert labels == [i18n_text("km", f"recycling.pickers.tab.{name}") for name in ("counts", "income", "conditions")]
    open_chart_tab(app, "pickers", labels[1])
    assert_clean(app)
    assert "chart-picker-income" in [c.key for c in app.get("plotly_chart")]
