"""Flow links and the Sankey: shares kept as published, remainders and assumptions marked, tonnages derived."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from core import flow_figures as ff
from core import i18n
from core.catalogue import Catalogue


@pytest.fixture(scope="module")
def tables():
    catalogue = Catalogue()
    return catalogue.load("treatment"), catalogue.load("estimates"), catalogue.load("population")


def rows_of(treatment: pd.DataFrame, set_id: str) -> pd.DataFrame:
    rows = treatment[treatment["set_id"] == set_id]
    assert not rows.empty, f"data/treatment.csv has no set '{set_id}'; the flows page and these tests expect it"
    return rows


def test_published_shares_flow_straight_from_generation(tables):
    treatment, _, _ = tables
    links = ff.flow_links(rows_of(treatment, "pheakdey-2022-national"))
    assert set(links["from"]) == {ff.GENERATED}
    shares = dict(zip(links["to"], links["share_pct"], strict=True))
    assert shares == {"Landfill": 44, "Recycling": 4, "Incineration": 4, "Composting": 2,
                      "Uncontrolled disposal": 46}
    status = dict(zip(links["to"], links["status"], strict=True))
    assert status["Uncontrolled disposal"] == "remainder" and status["Landfill"] == "stated"


def test_collection_stage_marks_the_split_as_assumed(tables):
    treatment, _, _ = tables
    links = ff.flow_links(rows_of(treatment, "pheakdey-2022-national"),
                          rows_of(treatment, "pheakdey-2022-collection-national"))
    first = links[links["from"] == ff.GENERATED].set_index("to")
    assert first.loc[ff.COLLECTED, "share_pct"] == 72 and first.loc[ff.COLLECTED, "status"] == "stated"
    assert first.loc[ff.UNCOLLECTED, "share_pct"] == 28 and first.loc[ff.UNCOLLECTED, "status"] == "remainder"
    uncontrolled = links[links["to"] == "Uncontrolled disposal"]
    assert sorted(uncontrolled["share_pct"]) == [18, 28], "46% split: 28 not collected, 18 collected"
    assert set(uncontrolled["status"]) == {"assumed"}
    landfill = links[links["to"] == "Landfill"].iloc[0]
    assert landfill["from"] == ff.COLLECTED and landfill["status"] == "stated" and landfill["path_assumed"]
    # Nothing is lost or invented: what leaves each stage is what entered it.
    for stage in (ff.COLLECTED, ff.UNCOLLECTED):
        assert links.loc[links["from"] == stage, "share_pct"].sum() == pytest.approx(first.loc[stage, "share_pct"])


def test_a_source_that_covers_part_of_the_waste_gets_a_gap_not_a_fill(tables):
    treatment, _, _ = tables
    links = ff.flow_links(rows_of(treatment, "undp-pp-c2020"))
    gap = links[links["to"] == ff.GAP]
    assert len(gap) == 1 and gap.iloc[0]["share_pct"] == 20 and gap.iloc[0]["status"] == "not described"


def test_same_source_total_and_population(tables):
    treatment, estimates, population = tables
    own = ff.same_source_total(rows_of(treatment, "pheakdey-2022-national"), estimates)
    assert own is not None and own["value_t"] == 4_780_000 and own["id"] == "E003"
    assert ff.same_source_total(rows_of(treatment, "creaser-koh-dambang"), estimates) is None
    battambang = ff.same_source_total(rows_of(treatment, "gggi-2019-battambang"), estimates)
    assert battambang is not None and battambang["derived"], "145 t/day x 365 is marked derived"
    people = ff.population_for(population, 2020.0)
    assert people["year"] == 2019 and people["population"] == 15_552_211, "nearest census to 2020"


def test_tonnages_are_share_times_total(tables):
    treatment, _, _ = tables
    links = ff.with_tonnages(ff.flow_links(rows_of(treatment, "pheakdey-2022-national")), 4_780_000, 15_552_211)
    landfill = links.set_index("to").loc["Landfill"]
    assert landfill["tonnes_per_year"] == pytest.approx(0.44 * 4_780_000)
    assert landfill["tonnes_per_day"] == pytest.approx(0.44 * 4_780_000 / 365)
    assert landfill["kg_per_person_day"] == pytest.approx(0.44 * 4_780_000 * 1000 / 15_552_211 / 365)
    shares_only = ff.with_tonnages(ff.flow_links(rows_of(treatment, "pheakdey-2022-national")), None, None)
    assert shares_only["tonnes_per_year"].isna().all(), "no total chosen: no tonnes, never zero"


def test_sankey_trace_and_labels(tables):
    treatment, _, _ = tables
    links = ff.flow_links(rows_of(treatment, "pheakdey-2022-national"),
                          rows_of(treatment, "pheakdey-2022-collection-national"))
    figure = ff.flow_sankey(links, total_t=4_780_000)
    sankey = [t for t in figure.data if t.type == "sankey"]
    assert len(sankey) == 1
    trace = sankey[0]
    assert list(trace.link.value) == list(links["share_pct"])
    labels = list(trace.node.label)
    assert any(label.startswith("Not collected") and "(remainder)" in label for label in labels)
    assert any(label.startswith("Landfill") and "2.10 Mt/yr" in label for label in labels)
    assert any(label.startswith("Uncontrolled disposal") and "(remainder)" in label for label in labels), (
        "a remainder split into assumed links is still labelled a remainder")
    legend = {t.name for t in figure.data if t.type == "scatter"}
    assert legend == {ff.STATUS_LABELS[s] for s in ("stated", "remainder", "assumed")}


def test_breakdown_bars_hatch_remainders_and_name_the_axis(tables):
    treatment, _, _ = tables
    figure = ff.breakdown_bars(treatment, {})
    assert {t.type for t in figure.data} == {"bar"}
    assert figure.layout.xaxis.title.text == "Share of waste generated (%)"
    remainders = [t for t in figure.data if t.name.endswith("(remainder)")]
    assert remainders and all(t.marker.pattern.shape == "/" for t in remainders)
    # Hatching over the route's colour: with Plotly's default ("replace") the legend swatch of a remainder is blank.
    assert all(t.marker.pattern.fillmode == "overlay" and t.marker.color for t in remainders)
    assert figure.layout.xaxis.range[1] > 100 and figure.layout.xaxis.dtick == 10, "the 100% tick is labelled"
    summary = ff.set_summary(treatment).set_index("set_id")
    assert summary.loc["undp-pp-c2020", "not_described_pct"] == 20
    assert summary.loc["pheakdey-2022-national", "remainder_pct"] == 46


# ------------------------------------------------------------------ Khmer

KHMER = re.compile(r"[\u1780-\u17FF]")


def test_every_route_status_place_and_period_in_the_data_has_a_label(tables):
    """Each code data/treatment.csv holds is shown in words in Khmer: a label.<field>.<code> entry exists."""
    treatment, _, population = tables
    entries = i18n.catalogue()
    needed = {("route", r) for r in treatment["route"]} | {("flow_status", s) for s in ff.STATUS_LABELS}
    needed |= {("flows_place", g) for g in treatment["geography"]}
    needed |= {("flows_period", p) for p in treatment["period"] if re.search(r"[A-Za-z]", p)}
    needed |= {("flows_population_kind", k) for k in population["kind"]}
    missing = [f"{field}: {code}" for field, code in sorted(needed)
               if f"label.{field}.{re.sub(r'[^a-z0-9]+', '_', code.lower()).strip('_')}" not in entries]
    assert not missing, f"codes of data/ with no label in locales/flows.csv: {missing}"
    # The English of a label is the English the page showed before it was translated.
    for route, name in ff.ROUTE_NAMES.items():
        assert i18n.label("en", "route", route) == name
    for status, name in ff.STATUS_LABELS.items():
        assert i18n.label("en", "flow_status", status) == name
    for field, code in needed:
        if field in ("flows_place", "flows_period"):
            assert i18n.label("en", field, code) == code
        assert KHMER.search(i18n.label("km", field, code)), f"label.{field} '{code}' has no Khmer"


def test_links_in_khmer_keep_their_english_ids_and_shares(tables):
    treatment, _, _ = tables
    rows = rows_of(treatment, "pheakdey-2022-national")
    stage = rows_of(treatment, "pheakdey-2022-collection-national")
    english, khmer = ff.flow_links(rows, stage), ff.flow_links(rows, stage, lang="km")
    assert list(khmer["from_id"]) == list(english["from"]) and list(khmer["to_id"]) == list(english["to"])
    assert list(khmer["share_pct"]) == list(english["share_pct"]), "translation never changes a number"
    assert set(khmer["from"]) == {"សំណល់ដែលបានបង្កើត", "បានប្រមូល", "មិនបានប្រមូល"}
    assert "ទីលានចាក់សំណល់" in set(khmer["to"]) and "Landfill" not in set(khmer["to"])
    assert ff.route_name("other", "buried", lang="km") == "ផ្សេងទៀត៖ buried", "the source's words stay as published"
    gap = ff.flow_links(rows_of(treatment, "undp-pp-c2020"), lang="km")
    assert gap.loc[gap["to_id"] == ff.GAP, "to"].iloc[0] == "ប្រភពមិនបានពិពណ៌នា"


def test_sankey_in_khmer_has_khmer_labels_and_separators(tables):
    treatment, _, _ = tables
    links = ff.flow_links(rows_of(treatment, "pheakdey-2022-national"),
                          rows_of(treatment, "pheakdey-2022-collection-national"), lang="km")
    figure = ff.flow_sankey(links, total_t=4_780_000, lang="km")
    assert figure.layout.separators == ",." or figure.layout.template.layout.separators == ",."
    trace = next(t for t in figure.data if t.type == "sankey")
    labels = list(trace.node.label)
    assert labels[0].startswith("សំណល់ដែលបានបង្កើត")
    assert any(label.startswith("ទីលានចាក់សំណល់") and "2,10 លានតោន/ឆ្នាំ" in label for label in labels), labels
    assert any("(នៅសល់)" in label for label in labels), "a remainder node says so"
    assert "នៃសំណល់ដែលបានបង្កើត" in trace.link.hovertemplate
    legend = {t.name for t in figure.data if t.type == "scatter"}
    assert legend == {i18n.label("km", "flow_status", s) for s in ("stated", "remainder", "assumed")}
    # Drawn from English links the Sankey is the same shape: ids, not words, decide the nodes.
    english = ff.flow_sankey(ff.flow_links(rows_of(treatment, "pheakdey-2022-national"),
                                           rows_of(treatment, "pheakdey-2022-collection-national")),
                             total_t=4_780_000)
    assert list(english.data[0].link.source) == list(trace.link.source)
    assert list(english.data[0].link.target) == list(trace.link.target)


def test_breakdown_bars_in_khmer(tables):
    treatment, _, _ = tables
    figure = ff.breakdown_bars(treatment, {}, lang="km")
    assert figure.layout.template.layout.separators == ",."
    assert figure.layout.xaxis.title.text == "ចំណែកនៃសំណល់ដែលបានបង្កើត (%)"
    names = {t.name for t in figure.data}
    assert "ទីលានចាក់សំណល់" in names and "ការដុតចោលនៅទីវាល" in names
    assert all(KHMER.search(name) for name in names)
    texts = [text for trace in figure.data for text in trace.text]
    assert "82,5%" in texts and "82.5%" not in texts, "a decimal comma in Khmer"


def test_tonnes_and_numbers_follow_the_language():
    assert ff.tonnes_text(2_850_000) == "2.85 Mt" and ff.tonnes_text(630_679) == "631 kt"
    assert ff.tonnes_text(2_850_000, lang="km") == "2,85 លានតោន"
    assert ff.tonnes_text(1_630_679, lang="km") == "1,63 លានតោន"
    assert ff.tonnes_text(630_679, lang="km") == "631 ពាន់តោន"
    assert ff.fmt(13_096.4, ",.0f", "km") == "13.096" and ff.fmt(13_096.4, ",.0f") == "13,096"
