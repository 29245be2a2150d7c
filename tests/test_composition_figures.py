"""Composition figures and tidy frames: sets, the explicit 'not reported' remainder, ranges, plastics."""

from __future__ import annotations

import pandas as pd
import pytest

from core import composition_figures as cfig
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


def test_source_share_rows_and_bars(real_data_dir):
    estimates = Catalogue(real_data_dir, use_parquet=False).load("estimates")
    shares = cfig.source_share_rows(estimates)
    assert list(shares["waste_source"]) == ["households", "hotels_guesthouses", "restaurants", "markets", "shops"]
    assert list(shares["value"]) == [60, 16.7, 13.8, 7.5, 5.4]
    fig = cfig.source_share_bars(shares)
    assert fig.data[0].type == "bar" and fig.data[0].orientation == "h"
    assert fig.data[0].text[0] == "nearly 60%"
    assert fig.layout.xaxis.title.text == "Share of the city's municipal solid waste, %"
