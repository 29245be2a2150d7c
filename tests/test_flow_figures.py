"""Flow links and the Sankey: shares kept as published, remainders and assumptions marked, tonnages derived."""

from __future__ import annotations

import pandas as pd
import pytest

from core import flow_figures as ff
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
    summary = ff.set_summary(treatment).set_index("set_id")
    assert summary.loc["undp-pp-c2020", "not_described_pct"] == 20
    assert summary.loc["pheakdey-2022-national", "remainder_pct"] == 46
