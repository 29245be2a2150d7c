"""Generation figures and tidy frames, on the real ledger: trace types, values, axis titles, no midpoints."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from core import evidence, i18n
from core import generation_figures as gfig
from core.catalogue import Catalogue
from core.projection import project, projection_years


@pytest.fixture(scope="module")
def estimates(real_data_dir) -> pd.DataFrame:
    return Catalogue(real_data_dir, use_parquet=False).load("estimates")


@pytest.fixture(scope="module")
def totals(estimates) -> pd.DataFrame:
    return evidence.national_totals(estimates)


def test_national_evidence_shows_every_dated_figure_coloured_by_confidence(totals):
    fig = gfig.national_evidence(totals, {}, headline_id="E001")
    markers = [t for t in fig.data if t.mode == "markers" and t.x is not None and len(t.x) and t.x[0] is not None]
    plotted = sum(len(t.x) for t in markers)
    dated = totals[totals["year"].notna() & totals["value_t"].notna()]
    assert plotted == len(dated), "every dated national figure with a value is one marker"
    names = {t.name for t in markers}
    assert {"high confidence", "medium confidence", "low confidence"} <= names
    assert fig.layout.yaxis.title.text == "Million tonnes per year (Mt/yr)"
    assert "Year" in fig.layout.xaxis.title.text
    assert any(a.text == "Headline" for a in fig.layout.annotations)
    high = next(t for t in markers if t.name == "high confidence")
    assert 2.85 in [round(v, 2) for v in high.y], "the 2024 headline (2.85 Mt) is a high-confidence marker"


def test_national_ranges_are_bars_without_midpoints():
    rows = pd.DataFrame([{"id": "X1", "year": 2020.0, "value_t": math.nan, "value_t_low": 1e6, "value_t_high": 2e6,
                          "scope": "generated", "confidence": "medium", "source_id": "s", "period": "2020",
                          "method": "as published", "quote": "q"}])
    fig = gfig.national_evidence(rows, {"s": "S"})
    ranges = [t for t in fig.data if t.mode == "lines+markers"]
    assert len(ranges) == 1 and list(ranges[0].y) == [1.0, 2.0]
    points = [t for t in fig.data if t.mode == "markers" and t.x is not None and len(t.x) and t.x[0] is not None]
    assert not points, "no invented midpoint"


def test_city_daily_converts_yearly_figures_and_flags_them(estimates):
    cities = gfig.city_daily(estimates)
    pp_2019 = cities.set_index("id").loc["E077"]  # 1,015,980 t/yr in 2019
    assert pp_2019["t_per_day"] == pytest.approx(1_015_980 / 365)
    assert bool(pp_2019["derived"]) and pp_2019["method"] == "published t/yr ÷ 365"
    e021 = cities.set_index("id").loc["E021"]  # Phnom Penh 2,000-3,000 t/day: a range, no midpoint
    assert math.isnan(e021["t_per_day"]) and (e021["t_per_day_low"], e021["t_per_day_high"]) == (2000, 3000)
    assert set(cities["geo_level"]) <= {"city", "province", "site"}
    assert "Phnom Penh" in set(cities["place"])


def test_dated_dots_draws_ranges_as_bars_and_leaves_out_undated(estimates):
    cities = gfig.city_daily(estimates)
    capital = cities[cities["geo_code"] == "KH-12"]
    fig = gfig.dated_dots(capital, value="t_per_day", low="t_per_day_low", high="t_per_day_high",
                          group="scope", scope="scope", y_title="Tonnes per day (t/day)", unit="t/day")
    xs = [x for t in fig.data if t.x is not None for x in t.x if x is not None]
    assert xs and all(not math.isnan(x) for x in xs), "undated figures are not plotted"
    bars = [t for t in fig.data if t.mode == "lines+markers"]
    assert any(list(t.y) == [2000, 3000] for t in bars), "the 2019 range 2,000-3,000 t/day is a bar"
    assert fig.layout.yaxis.title.text == "Tonnes per day (t/day)"


def test_per_capita_daily_divides_yearly_figures(estimates):
    per_capita = gfig.per_capita_daily(estimates).set_index("id")
    assert per_capita.loc["E283", "kg_per_day"] == pytest.approx(212 / 365)
    assert per_capita.loc["E031", "kg_per_day"] == pytest.approx(0.78)
    assert not bool(per_capita.loc["E031", "derived"])


def test_base_options_and_growth_presets(totals, estimates):
    options = gfig.base_options(totals)
    assert "E001" in set(options["id"]) and options["year"].notna().all() and options["value_t"].notna().all()
    assert set(options["scope"]) == {"generated"}
    presets = gfig.growth_presets(estimates)
    rates = {(row["id"], row["end"]): row["rate_pct"] for _, row in presets.iterrows()}
    assert rates[("E002", "")] == 6.3
    assert rates[("E009", "")] == 10
    assert rates[("E015", "low end")] == 10 and rates[("E015", "high end")] == 12, "a range gives both ends"


def test_projection_chart_is_dashed_and_marks_2030_and_2035(totals):
    path = project(2_850_000, 2024, 6.3, projection_years(2024, 2035))
    other = project(2_850_000, 2024, 10, projection_years(2024, 2035))
    fig = gfig.projection_chart(totals, path, base_label="E001, 2024", alternatives={"At +10%/yr": other})
    line = next(t for t in fig.data if t.name == "Projection at +6.3% a year")
    assert line.line.dash == "dash"
    assert line.y[-1] == pytest.approx(5.58099, rel=1e-4)
    marked = next(t for t in fig.data if t.name == "Projected 2030 and 2035")
    assert list(marked.x) == [2030, 2035]
    notes = [a.text for a in fig.layout.annotations]
    assert notes == ["4.11 Mt in 2030<br>(projection)", "5.58 Mt in 2035<br>(projection)"]
    assert next(t for t in fig.data if t.name == "At +10%/yr").line.dash == "dot"
    assert fig.layout.yaxis.title.text == "Million tonnes per year (Mt/yr)"
    assert fig.layout.xaxis.title.text == "Year"


# ------------------------------------------------------------------ Khmer

KHMER = re.compile(r"[\u1780-\u17FF]")


@pytest.mark.parametrize("value", [2_850_000, 630_679, 950, 12_400_000, 1_000])
def test_tonnes_text_is_format_tonnes_in_english_and_khmer_in_khmer(value):
    assert gfig.tonnes_text(value) == evidence.format_tonnes(value)
    km = gfig.tonnes_text(value, lang="km")
    assert KHMER.search(km)
    assert km.split()[0] == evidence.format_tonnes(value).split()[0].translate(str.maketrans(",.", ".,"))
    assert gfig.tonnes_text(2_850_000, lang="km") == "2,85 លានតោន"
    assert gfig.tonnes_text(630_679, lang="km") == "631 ពាន់តោន"


def test_headline_rule_in_the_catalogue_is_the_ledgers():
    assert i18n.text("en", "generation.headline_rule") == evidence.HEADLINE_RULE
    assert KHMER.search(i18n.text("km", "generation.headline_rule"))


def test_every_code_the_figures_name_has_words(estimates, totals):
    entries = i18n.catalogue()
    cities = gfig.city_daily(estimates)
    per_capita = gfig.per_capita_daily(estimates)
    scopes = set(totals["scope"]) | set(cities["scope"]) | set(per_capita["scope"])
    assert scopes <= set(gfig.SCOPE_WORDS), scopes - set(gfig.SCOPE_WORDS)
    assert [s for s in scopes if f"generation.scope.{s}" not in entries] == []
    assert all(gfig.scope_name(s) == gfig.SCOPE_WORDS[s] for s in gfig.SCOPE_WORDS), "English words unchanged"
    levels = set(per_capita["geo_level"])
    assert [g for g in levels if f"generation.group.{g}" not in entries] == []
    assert all(gfig.group_name(level) == word for level, word in gfig.PER_CAPITA_GROUPS.items())
    codes = set(cities["geo_code"])
    missing = [c for c in codes if f"label.place.{c.lower().replace('-', '_')}" not in entries]
    assert not missing, f"places with tonnages but no label.place entry: {missing}"
    for code, name in gfig.PLACE_NAMES.items():
        assert i18n.label("en", "place", code) == name
        assert KHMER.search(gfig.place_name(code, name, lang="km"))
    methods = set(totals["method"]) | set(cities["method"]) | set(per_capita["method"])
    assert all(KHMER.search(gfig.method_name(m, lang="km")) for m in methods), methods
    assert all(gfig.method_name(m) == m for m in methods)


def test_khmer_national_chart(totals):
    fig = gfig.national_evidence(totals, {}, headline_id="E001", lang="km")
    assert fig.layout.template.layout.separators == ",."
    assert fig.layout.yaxis.title.text == "លានតោនក្នុងមួយឆ្នាំ (លានតោន/ឆ្នាំ)"
    assert any(a.text == "តួលេខចម្បង" for a in fig.layout.annotations)
    high = next(t for t in fig.data if t.name == "ទំនុកចិត្តខ្ពស់" and t.x is not None and t.x[0] is not None)
    assert 2.85 in [round(v, 2) for v in high.y], "the same numbers"
    assert "លានតោន" in high.hovertemplate and "million" not in high.hovertemplate
    assert all("Scope" not in (t.name or "") for t in fig.data)
    assert gfig.national_evidence(totals, {}).layout.template.layout.separators == ".,"


def test_khmer_dots_and_projection(estimates, totals):
    cities = gfig.city_daily(estimates)
    others = cities[cities["geo_code"] != "KH-12"]
    names = {p: gfig.place_name(c, p, lang="km") for p, c in zip(others["place"], others["geo_code"], strict=True)}
    fig = gfig.dated_dots(others, value="t_per_day", low="t_per_day_low", high="t_per_day_high", group="place",
                          scope="scope", y_title="តោនក្នុងមួយថ្ងៃ", unit="តោន/ថ្ងៃ", group_names=names, lang="km")
    legend = {t.name for t in fig.data if t.showlegend is not False}
    assert {"សៀមរាប", "បាត់ដំបង", "បានបង្កើត"} <= legend, legend
    path = project(2_850_000, 2024, 6.3, projection_years(2024, 2035))
    fig = gfig.projection_chart(totals, path, base_label="E001, 2024", lang="km")
    assert [a.text for a in fig.layout.annotations] == ["4,11 លានតោន<br>នៅឆ្នាំ 2030<br>(ការព្យាករ)",
                                                        "5,58 លានតោន<br>នៅឆ្នាំ 2035<br>(ការព្យាករ)"]
    assert any(t.name == "ការព្យាករតាមអត្រា +6,3% ក្នុងមួយឆ្នាំ" for t in fig.data)
    assert fig.layout.xaxis.title.text == "ឆ្នាំ"
