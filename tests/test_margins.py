"""Margins sized before Plotly draws (core.margins): big enough for the labels and legend, never below the layout's,
and left to Plotly for figures the estimate does not cover. tests/test_browser.py checks the result in Chromium."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from components.frame import prepared_figure
from core.margins import REFERENCE_WIDTH, label_size, presized_margins, text_width
from core.theme import template_for

LONG = ["Phnom Penh · Challcharoenwattana et al. 2015 · year n.s.", "National · World Bank n.d. · 2010", "Kampot"]


def _bars(labels=LONG, names=("Organic / food", "Plastic"), **layout) -> go.Figure:
    figure = go.Figure([go.Bar(name=name, x=[40, 20, 10][: len(labels)], y=labels, orientation="h") for name in names])
    figure.update_layout(template=template_for("en"), height=400, **layout)
    figure.update_yaxes(type="category", title_text="")
    figure.update_xaxes(title_text="Share of the waste by weight, %")
    return figure


def test_text_width_follows_the_glyphs_and_the_size():
    assert text_width("WWWW", 14) > text_width("iiii", 14) > 0
    assert text_width("Organic", 28) == pytest.approx(2 * text_width("Organic", 14))
    assert text_width("Organic", 14, bold=True) > text_width("Organic", 14)
    # A Khmer consonant after the coeng sign is written under the line: it adds no width.
    assert text_width("\u1780\u17d2\u1780", 14) == pytest.approx(text_width("\u1780\u17d2", 14))
    assert label_size("a<br><b>wider line</b>", 14) == (pytest.approx(text_width("wider line", 14, bold=True)), 2)


def test_long_category_labels_get_a_left_margin_that_holds_them():
    margins = presized_margins(_bars().to_dict())
    widest = max(text_width(label, 14) for label in LONG)
    assert widest < margins["l"] < widest + 60
    # The x axis's labels and title, then the two-entry legend under the plot, set the bottom margin.
    assert 60 < margins["b"] < 160
    short = presized_margins(_bars(labels=["A", "B"]).to_dict())
    assert short["l"] < 60 < margins["l"]


def test_more_legend_entries_than_fit_on_a_line_need_a_taller_bottom_margin():
    one_line = presized_margins(_bars(names=("Organic", "Plastic")).to_dict())
    names = tuple(f"Material with a long name {n}" for n in range(12))
    lines = presized_margins(_bars(names=names).to_dict())
    assert lines["b"] > one_line["b"] + 2 * 18  # at least two more lines of legend
    assert sum(44 + text_width(n, 14) for n in names) > REFERENCE_WIDTH  # the premise: they cannot share a line


def test_numpy_arrays_are_read_as_their_values():
    """Figure.to_dict() keeps numpy arrays: the labels are the array's items, not the array printed."""
    as_lists = presized_margins(_bars().to_dict())
    figure = _bars()
    figure.data[0].y = np.array(LONG, dtype=object)
    figure.data[0].x = np.array([40.0, 20.0, 10.0])
    assert presized_margins(figure.to_dict()) == as_lists


def test_margins_never_go_below_the_layouts_own():
    margins = presized_margins(_bars(labels=["A"], margin=dict(l=300, r=120, t=90, b=200)).to_dict())
    assert margins["l"] >= 300 and margins["r"] >= 120 and margins["t"] >= 90 and margins["b"] >= 200


def test_figures_the_estimate_does_not_cover_are_left_to_plotly():
    sankey = go.Figure(go.Sankey(node=dict(label=["a", "b"]), link=dict(source=[0], target=[1], value=[1])))
    assert presized_margins(sankey.to_dict()) is None
    log_axis = _bars()
    log_axis.update_xaxes(type="log")
    assert presized_margins(log_axis.to_dict()) is None
    tilting = go.Figure(go.Bar(x=[f"A rather long category label {n}" for n in range(12)], y=list(range(12))))
    tilting.update_layout(template=template_for("en"))
    assert presized_margins(tilting.to_dict()) is None  # Plotly may tilt these labels
    fixed = _bars(margin=dict(autoexpand=False, l=10))
    assert presized_margins(fixed.to_dict()) is None


def test_the_chart_frame_sends_the_presized_margins():
    figure = _bars()
    sent = prepared_figure(figure).to_dict()["layout"]["margin"]
    assert sent == presized_margins(figure.to_dict())
    assert sent["l"] > 200  # not the template's 10 px


def test_odd_figures_give_margins_or_none_and_never_raise():
    empty = go.Figure()
    empty.update_layout(template=template_for("en"))
    margins = presized_margins(empty.to_dict())  # Plotly still draws two empty axes with a few labels
    assert margins["t"] == 30 and all(10 <= margins[side] < 60 for side in "lrb")
    with_gaps = _bars(labels=["A", "B", "C"])
    with_gaps.data[0].x = [float("nan"), None, 3.0]
    assert presized_margins(with_gaps.to_dict())["l"] > 10
    odd = _bars().to_dict()
    odd["layout"]["margin"] = {"l": "wide"}
    assert presized_margins(odd) is None
    odd = _bars().to_dict()
    odd["layout"]["height"] = float("inf")
    assert presized_margins(odd) is None
    assert presized_margins({}) == {"l": 80, "r": 80, "t": 100, "b": 80}  # Plotly's own defaults, untouched
