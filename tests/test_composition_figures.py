"""Composition figures and tidy frames: sets, the explicit 'not reported' remainder, ranges, plastics."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from core import composition_figures as cfig
from core import i18n
from core.catalogue import Catalogue


@pytest.fixture(scope="module")
def rows(real_data_dir) -> pd.DataFrame:
    return cfig.tidy(Catalogue(real_data_dir, use_parquet=False).load("composition"), {})


def test_sets_are_grouped_and_complete_sets_come_first(rows):
    summary = cfig.set_summary(rows)
    assert summary["set_label"].is_unique, "each bar needs its own label"
    complete = summary[summary["complete"]]
    assert len(complete) == 3
    assert list(summary["complete"][: len(complete)]) == [True] * len(complete), "complete sets first"
    groups = dict(zip(summary["set_id"], summary["group"], strict=True))
    assert groups["yim-2014-commercial"] == "Commercial waste, Phnom Penh"
    assert groups["wb-city-pp"] == "Phnom Penh"
    assert groups["freshnews-2023-rural-households"] == "Rural areas and small towns"
    assert groups["swift-2019-street-siemreap"] == "Street sweepings"
    assert groups["mtaseav-2021-national"] == "National"


def test_partial_set_remainder_is_not_reported_never_invented(rows):
    segments = cfig.stacked_segments(rows)
    moe = segments[segments["set_id"] == "moe-ppp-c2023"]  # 60 organic + 20 plastic + 10 general = 90
    assert moe.loc[moe["kind"] == "not_reported", "width"].tolist() == [pytest.approx(10)]
    assert moe.loc[moe["kind"] == "share", "width"].sum() == pytest.approx(90)
    complete = segments[segments["set_id"] == "wb-country-2010"]
    assert "not_reported" not in set(complete["kind"]), "a complete set has no unreported segment"
    yim = segments[segments["set_id"] == "yim-2014-commercial"]  # partial, but the shares add up to 100.51
    assert "not_reported" not in set(yim["kind"]), "no negative remainder"


def test_ranges_split_into_low_end_and_hatched_rest(rows):
    segments = cfig.stacked_segments(rows)
    sethy = segments[(segments["set_id"] == "sethy-2014-national") & (segments["material"] == "organic")]
    assert dict(zip(sethy["kind"], sethy["width"], strict=True)) == {"share": 60, "range": 20}
    rest = segments[(segments["set_id"] == "sethy-2014-national") & (segments["kind"] == "not_reported")]
    assert rest["width"].tolist() == [pytest.approx(5)], "100 - (80 upper organic + 15 plastic)"


def test_material_filter_hides_segments_but_keeps_the_bar_whole(rows):
    segments = cfig.stacked_segments(rows, {"plastic"})
    wb = segments[segments["set_id"] == "wb-country-2010"]
    assert dict(zip(wb["kind"], wb["width"], strict=True)) == pytest.approx({"share": 8.6, "hidden": 91.4})


def test_composition_bars_trace_types_and_axes(rows):
    fig = cfig.composition_bars(cfig.stacked_segments(rows))
    assert {t.type for t in fig.data} == {"bar"}
    assert fig.layout.barmode == "stack"
    assert "Share of the waste by weight, %" in fig.layout.xaxis.title.text
    names = {t.name for t in fig.data}
    assert {"Plastic", "Organic / food", "Not reported by the source"} <= names
    plastic = next(t for t in fig.data if t.name == "Plastic")
    assert 8.6 in list(plastic.x)


def test_plastic_over_time_ranges_and_lower_bounds(rows):
    plastic = rows[rows["material"] == "plastic"]
    fig = cfig.share_over_time(plastic)
    assert fig.layout.yaxis.title.text == "Plastic share of the waste, %"
    bars = [t for t in fig.data if t.mode == "lines+markers"]
    assert any(list(t.y) == [9, 15] for t in bars), "the rural 9-15% range is a bar"
    more_than = [t for t in fig.data if t.mode == "markers+text"]
    assert more_than and list(more_than[0].y) == [20] and more_than[0].text == ("more than",)
    points = [y for t in fig.data if t.mode == "markers" for y in t.y]
    assert 6 in points and 21 in points, "Phnom Penh 1999 (6%) and 2015 (21%)"


def test_share_spread_draws_each_group_span(rows):
    organic = rows[rows["material"] == "organic"]
    fig = cfig.share_spread(organic, material_label="Organic / food")
    bands = [t for t in fig.data if t.mode == "lines" and t.line.width == 14]
    national = next(t for t in bands if t.y[0] == "National")
    assert list(national.x) == [55, 80], "national organic shares span 55% (2020-21) to 80% (top of 60-80%)"
    assert fig.layout.xaxis.title.text == "Organic / food share of the waste, %"
    assert fig.layout.xaxis.range[1] > 100, "Plotly drops the label of a tick that falls exactly on the range's end"


def test_source_share_rows_and_bars(real_data_dir):
    estimates = Catalogue(real_data_dir, use_parquet=False).load("estimates")
    shares = cfig.source_share_rows(estimates)
    assert list(shares["waste_source"]) == ["households", "hotels_guesthouses", "restaurants", "markets", "shops"]
    assert list(shares["value"]) == [60, 16.7, 13.8, 7.5, 5.4]
    fig = cfig.source_share_bars(shares)
    assert fig.data[0].type == "bar" and fig.data[0].orientation == "h"
    assert fig.data[0].text[0] == "nearly 60%"
    assert fig.layout.xaxis.title.text == "Share of the city's municipal solid waste, %"


# ------------------------------------------------------------------ Khmer

KHMER = re.compile(r"[\u1780-\u17FF]")


@pytest.fixture(scope="module")
def rows_km(real_data_dir) -> pd.DataFrame:
    return cfig.tidy(Catalogue(real_data_dir, use_parquet=False).load("composition"), {}, lang="km")


def test_every_material_waste_source_group_and_place_in_the_data_has_a_label(real_data_dir):
    catalogue = Catalogue(real_data_dir, use_parquet=False)
    composition = catalogue.load("composition")
    entries = i18n.catalogue()

    def key(field: str, code: object) -> str:
        return f"label.{field}.{re.sub(r'[^a-z0-9]+', '_', str(code).strip().lower()).strip('_')}"

    missing = [key("material", code) for code in composition["material"].unique()
               if key("material", code) not in entries]
    assert not missing, f"materials in data/composition.csv with no label in locales/composition.csv: {missing}"
    shares = cfig.source_share_rows(catalogue.load("estimates"))
    sources = set(composition["waste_source"]) | set(shares["waste_source"])
    assert [c for c in sources if key("waste_source", c) not in entries] == []
    groups = set(cfig.tidy(composition, {})["group"]) | set(cfig.GROUP_ORDER) | {"Commercial waste"}
    assert [g for g in groups if key("place_group", g) not in entries] == []
    places = [c for c in composition["geo_code"].unique() if str(c).strip() and not pd.isna(c)]
    assert [c for c in places if key("place", c) not in entries] == []
    # The English labels are the words the page has always shown.
    for code, word in cfig.MATERIAL_LABELS.items():
        assert cfig.material_name(code) == word
        assert KHMER.search(cfig.material_name(code, lang="km")), code
    assert all(cfig.group_name(g) == g for g in cfig.GROUP_ORDER)


def test_numbers_follow_the_language():
    assert cfig.fmt(1234.5, ",.1f", "km") == "1.234,5"
    assert cfig.fmt(1234.5, ",.1f", "en") == "1,234.5"
    assert cfig.fmt(103.4, ".4g", "km") == "103,4"
    assert cfig.qualified("nearly", 60) == "nearly 60%"
    assert cfig.qualified("nearly", 60, lang="km") == "ជិត 60%"


def test_khmer_figures_have_khmer_words_and_khmer_separators(rows_km):
    segments = cfig.stacked_segments(rows_km, lang="km")
    fig = cfig.composition_bars(segments, lang="km")
    assert fig.layout.template.layout.separators == ",."
    assert KHMER.search(fig.layout.xaxis.title.text)
    names = {t.name for t in fig.data}
    assert {"ប្លាស្ទិក", "មិនបានរាយការណ៍ដោយប្រភព"} <= names, names
    plastic = next(t for t in fig.data if t.name == "ប្លាស្ទិក")
    assert "8,6" in plastic.text, "bar labels are written the Khmer way"
    places = [label.split(" · ")[0] for label in segments["set_label"]]
    assert all(KHMER.search(place) for place in places), "bar labels name places in Khmer"
    moe = segments[(segments["set_id"] == "moe-ppp-c2023") & (segments["kind"] == "not_reported")]
    assert moe["published"].tolist() == ["10% មិនបានរាយការណ៍ដោយប្រភព"]
    over_time = cfig.share_over_time(rows_km[rows_km["material"] == "plastic"], lang="km")
    assert over_time.layout.yaxis.title.text == "ចំណែកប្លាស្ទិកនៃសំណល់ (%)"
    assert {t.name for t in over_time.data} >= {"ភ្នំពេញ", "ថ្នាក់ជាតិ"}
    assert all("confidence" not in t.hovertemplate for t in over_time.data)
    spread = cfig.share_spread(rows_km[rows_km["material"] == "organic"], material_label="សរីរាង្គ", lang="km")
    national = next(t for t in spread.data if t.mode == "lines" and t.line.width == 14 and t.y[0] == "ថ្នាក់ជាតិ")
    assert list(national.x) == [55, 80], "the same numbers, the group named in Khmer"
    assert list(spread.layout.yaxis.categoryarray)[0] == "ថ្នាក់ជាតិ"


def test_khmer_waste_source_bars(real_data_dir):
    shares = cfig.source_share_rows(Catalogue(real_data_dir, use_parquet=False).load("estimates"), lang="km")
    assert list(shares["waste_source"])[0] == "households", "codes stay codes"
    assert list(shares["label"])[0] == "គ្រួសារ"
    fig = cfig.source_share_bars(shares, lang="km")
    assert fig.data[0].text[0] == "ជិត 60%" and "16,7%" in fig.data[0].text
    assert KHMER.search(fig.layout.xaxis.title.text)


def test_text_in_and_beside_the_bars_meets_wcag_aa(rows):
    """Labels inside filled bars and the 'more than' labels reach 4.5:1 against what is behind them."""
    from core.theme import contrast

    figure = cfig.composition_bars(cfig.stacked_segments(rows))
    checked = 0
    for trace in figure.data:
        if trace.type != "bar" or not any(trace.text or ()):
            continue
        fill = trace.marker.color if not trace.marker.pattern.shape else "#ffffff"
        assert contrast(fill, trace.textfont.color) >= 4.5, (trace.name, fill, trace.textfont.color)
        checked += 1
    assert checked >= 3
    plastic = rows[rows["material"] == "plastic"]
    for trace in cfig.share_over_time(plastic).data:
        if trace.mode and "text" in trace.mode:
            assert contrast("#ffffff", trace.textfont.color) >= 4.5
