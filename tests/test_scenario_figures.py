"""Figure builders of the Scenario lab: trace types, values in the stated units, axis titles."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from core import scenario_figures as sfig

TOTALS = pd.DataFrame({
    "case": ["Baseline", "Scenario A"],
    "direct_co2e": [2_000_000.0, 1_200_000.0],
    "avoided_co2e": [20_000.0, 50_000.0],
    "net_co2e": [1_980_000.0, 1_150_000.0],
})


def test_net_comparison_bars_and_net_marker():
    fig = sfig.net_comparison(TOTALS)
    assert [type(t) for t in fig.data] == [go.Bar, go.Bar, go.Scatter]
    direct, avoided, net = fig.data
    assert list(direct.y) == pytest.approx([2.0, 1.2]), "direct emissions in Mt CO2e"
    assert list(avoided.y) == pytest.approx([-0.02, -0.05]), "credits drawn below zero"
    assert list(net.y) == pytest.approx([1.98, 1.15])
    assert list(net.text) == ["1.98", "1.15"]
    assert fig.layout.barmode == "relative"
    assert "million tonnes co₂e" in fig.layout.yaxis.title.text.lower()


def test_emissions_by_route_one_trace_per_route_with_fixed_colours():
    frame = pd.DataFrame({
        "case": ["Baseline", "Baseline", "Scenario A", "Scenario A", "Scenario A"],
        "route": ["unmanaged_deep", "recycling", "composting", "recycling", "open_burning"],
        "net_co2e": [1_500_000.0, -30_000.0, 200_000.0, -60_000.0, 0.0],
    })
    fig = sfig.emissions_by_route(frame, {"unmanaged_deep": "Deep dump", "recycling": "Recycling",
                                          "composting": "Composting"})
    names = [t.name for t in fig.data]
    assert names == ["Deep dump", "Recycling", "Composting"], "routes with no emissions are left out"
    assert all(isinstance(t, go.Bar) for t in fig.data)
    deep = fig.data[0]
    assert list(deep.x) == ["Baseline", "Scenario A"]
    assert list(deep.y) == pytest.approx([1.5, 0.0]), "a case without the route shows zero"
    assert fig.data[1].marker.color == sfig.ROUTE_COLOURS["recycling"]
    assert fig.layout.barmode == "relative"
    assert "million tonnes co₂e" in fig.layout.yaxis.title.text.lower()


def test_route_intensity_sorted_bars_in_kg_and_average_lines():
    factors = pd.DataFrame({"route": ["composting", "unmanaged_deep", "recycling"],
                            "label": ["Composting", "Deep dump", "Recycling"],
                            "net_co2e_per_t": [0.2, 0.9, -0.1]})
    fig = sfig.route_intensity(factors, {"Baseline": 0.69, "Scenario A": 0.40})
    bars = fig.data[0]
    assert isinstance(bars, go.Bar) and bars.orientation == "h"
    assert list(bars.y) == ["Recycling", "Composting", "Deep dump"], "sorted, largest at the top"
    assert list(bars.x) == pytest.approx([-100, 200, 900]), "kg CO2e per tonne"
    lines = fig.data[1:]
    assert [type(t) for t in lines] == [go.Scatter, go.Scatter]
    assert list(lines[1].x) == pytest.approx([400] * 3), "a vertical line across all routes"
    assert lines[1].name == "Scenario A: 400 average"
    assert "kg CO₂e per tonne" in fig.layout.xaxis.title.text


def test_tornado_widest_swing_on_top():
    swings = pd.DataFrame({"label": ["F", "DOC food", "GWP AR6"],
                           "delta_low": [-800_000.0, -500_000.0, 0.0],
                           "delta_high": [800_000.0, 400_000.0, -60_000.0]})
    fig = sfig.tornado(swings)
    low, high = fig.data
    assert isinstance(low, go.Bar) and low.orientation == "h"
    # Plotly draws the first category at the bottom: the widest swing comes last.
    assert list(low.y) == ["GWP AR6", "DOC food", "F"]
    assert list(low.x) == pytest.approx([0, -0.5, -0.8])
    assert list(high.x) == pytest.approx([-0.06, 0.4, 0.8])
    assert fig.layout.barmode == "overlay"
    assert fig.layout.xaxis.title.text == sfig.CO2E_CHANGE_MT


def test_builders_use_the_shared_template():
    from core.theme import TEMPLATE

    fig = sfig.net_comparison(TOTALS)
    assert fig.layout.template.layout.font.family == TEMPLATE.layout.font.family


# ------------------------------------------------------------------ Khmer

KHMER = re.compile(r"[\u1780-\u17FF]")
KM_TOTALS = TOTALS.assign(case=["កម្រិតមូលដ្ឋាន", "សេណារីយ៉ូ A"])


def _khmer_texts(fig: go.Figure) -> list[str]:
    """Every text a reader sees on the figure: axis titles, legend names, hover templates."""
    texts = [fig.layout.xaxis.title.text or "", fig.layout.yaxis.title.text or ""]
    texts += [t.name for t in fig.data if t.showlegend is not False and t.name]
    texts += [t.hovertemplate for t in fig.data if t.hovertemplate]
    return [t for t in texts if t]


def test_khmer_builders_write_khmer_words_and_numbers():
    figures = [
        sfig.net_comparison(KM_TOTALS, lang="km"),
        sfig.emissions_by_route(pd.DataFrame({"case": ["កម្រិតមូលដ្ឋាន"], "route": ["recycling"],
                                              "net_co2e": [-30_000.0]}), {"recycling": "ការកែច្នៃ"}, lang="km"),
        sfig.route_intensity(pd.DataFrame({"route": ["composting"], "label": ["ការធ្វើជីកំប៉ុស"],
                                           "net_co2e_per_t": [1.2346]}), {"កម្រិតមូលដ្ឋាន": 0.69}, lang="km"),
        sfig.tornado(pd.DataFrame({"label": ["F"], "delta_low": [-1.0], "delta_high": [1.0]}), lang="km"),
    ]
    for fig in figures:
        assert fig.layout.template.layout.separators == ",.", "Khmer: decimal comma, dot for thousands"
        texts = _khmer_texts(fig)
        english = [t for t in texts if not KHMER.search(t)]
        assert not english, f"texts left in English in the Khmer figure: {english}"
    net, _, intensity, tornado = figures
    assert list(net.data[2].text) == ["1,98", "1,15"], "the net labels use the decimal comma"
    assert "លានតោន CO₂e" in net.layout.yaxis.title.text, "Mt CO₂e in Khmer on the axis"
    assert list(intensity.data[0].text) == ["1.235"], "kg per tonne grouped the Khmer way"
    assert intensity.data[1].name == "កម្រិតមូលដ្ឋាន: មធ្យម 690"
    assert "%{y:.3f}" in net.data[0].hovertemplate, "Plotly fills the hover number (with the layout's separators)"
    assert tornado.layout.xaxis.title.text != sfig.CO2E_CHANGE_MT


def test_english_stays_the_default():
    fig = sfig.net_comparison(TOTALS)
    assert fig.layout.template.layout.separators == ".,"
    assert fig.data[0].name == "Direct emissions (CH₄, N₂O, fossil CO₂)"
    assert fig.data[0].hovertemplate == "%{x}: direct %{y:.3f} Mt CO₂e<extra></extra>"
    assert sfig.route_intensity(pd.DataFrame({"route": ["composting"], "label": ["Composting"],
                                              "net_co2e_per_t": [1.2346]}), {}).data[0].text == ("1,235",)
    assert [t.name for t in sfig.tornado(pd.DataFrame({"label": ["F"], "delta_low": [-1.0],
                                                       "delta_high": [1.0]})).data] == [
        "Low end of range / default", "High end of range / alternative"]


@pytest.mark.parametrize("builder", ["net_comparison", "emissions_by_route", "route_intensity", "tornado"])
def test_lang_is_keyword_only(builder):
    import inspect

    parameter = inspect.signature(getattr(sfig, builder)).parameters["lang"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY and parameter.default == "en"
