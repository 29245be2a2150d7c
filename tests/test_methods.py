"""core/methods.py: citation counts, the rows behind each conflict, and gap texts free of invented figures."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from core import evidence, methods
from core.catalogue import Catalogue
from core.sectors import BY_KEY
from tests.conftest import DATA


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    catalogue = Catalogue(DATA, use_parquet=False)
    return {name: catalogue.load(name) for name in catalogue.resource_names() if name != "boundaries"}


def toy() -> dict[str, pd.DataFrame]:
    return {
        "estimates": pd.DataFrame({"id": ["E1", "E2", "E3"], "source_id": ["a", "a;b", "abc"]}),
        "policies": pd.DataFrame({"id": ["P1"], "source_id": ["b"]}),
        "indicators": pd.DataFrame({"code": ["x"]}),
    }


def test_citation_counts_count_each_cited_source_of_a_row():
    counts = methods.citation_counts(toy())
    as_dict = {(r.source_id, r.resource): r.rows for r in counts.itertuples()}
    assert as_dict == {("a", "estimates"): 2, ("b", "estimates"): 1, ("abc", "estimates"): 1, ("b", "policies"): 1}


def test_rows_citing_matches_whole_ids_not_substrings():
    frame = toy()["estimates"]
    assert methods.rows_citing(frame, "a")["id"].tolist() == ["E1", "E2"], "'abc' is another source"
    assert methods.rows_citing(frame, "zzz").empty


def test_cited_in_summarises_per_table_in_order():
    counts = methods.citation_counts(toy())
    summary = methods.cited_in(counts, pd.Series(["b", "a", "nobody"]), ["estimates", "policies"]).set_index("id")
    assert summary.loc["b", "cited_in"] == "estimates 1 · policies 1" and summary.loc["b", "rows_citing"] == 2
    assert summary.loc["nobody", "rows_citing"] == 0
    assert summary.loc["nobody", "cited_in"] == "not cited by any row"


def test_counts_on_the_real_data_add_up(tables):
    counts = methods.citation_counts(tables)
    for name, frame in methods.citing_tables(tables).items():
        cells = frame["source_id"].fillna("").map(lambda c: len([s for s in c.split(";") if s.strip()]))
        assert counts.loc[counts["resource"] == name, "rows"].sum() == cells.sum(), name
    assert set(counts["source_id"]) <= set(tables["sources"]["id"]), "every cited id is a listed source"


def test_confidence_scale_matches_the_filter_levels(tables):
    assert [level for level, _ in methods.CONFIDENCE_SCALE] == list(BY_KEY["conf"].options)
    counts = methods.confidence_counts(tables["sources"], tables["estimates"])
    assert counts["sources"].sum() == len(tables["sources"])
    assert counts["ledger_figures"].sum() == len(tables["estimates"])


def test_every_conflict_row_exists_and_is_shown(tables):
    for conflict in methods.CONFLICTS:
        rows = methods.conflict_rows(conflict, tables)
        expected = sum(len(ids) for _, ids in conflict.rows)
        assert len(rows) == expected, f"conflict {conflict.key}: fix its row ids in core/methods.py"
        assert rows["quote"].str.len().gt(0).all(), f"conflict {conflict.key}: every row shows its quote"


def test_conflict_titles_quote_the_data(tables):
    """Figures in a conflict's title must be the ledger's own numbers; update the text if the data change."""
    ledger = tables["estimates"].set_index("id")["value"]
    factors = tables["emission_factors"].set_index("id")["value"]
    assert ledger["E001"] == 2_850_000 and ledger["E003"] == 4_780_000
    assert {ledger[i] for i in ("E007", "E012", "E014", "E017", "E260")} == {4_000_000}
    assert ledger["E004"] == ledger["E003"], "the 'urban' secondary figure repeats the national one"
    assert ledger["E023"] == 6_818_000 and ledger["E033"] == 0.487
    assert ledger["E156"] == 31.4 and ledger["E157"] == 3
    assert tables["facilities"].set_index("id").loc["F01", "area_ha"] == 31.4
    assert factors["open-burning-of"] == 0.58 and factors["open-burning-of-alt"] == 0.71
    assert "2.85 Mt" in methods.CONFLICTS[0].title and "4.78 Mt" in methods.CONFLICTS[0].title


def test_missing_conflict_row_is_named(tables):
    broken = methods.Conflict("x", "t", "t", (("estimates", ("E999999",)),))
    with pytest.raises(KeyError, match="E999999"):
        methods.conflict_rows(broken, tables)


def test_gaps_invent_no_figures():
    """Gaps are written in words: the only numbers allowed are years and ranges of years."""
    for gap in methods.GAPS:
        numbers = re.findall(r"\b\d+(?:[.,]\d+)?\b", gap.text)
        assert all(re.fullmatch(r"(19|20)\d\d", n) for n in numbers), f"a figure crept into a gap: {gap.text}"


def test_gap_and_method_pages_are_known_topics():
    topics = set(methods.TOPIC_LABELS)
    for item in (*methods.GAPS, *methods.METHODS, *methods.CONFLICTS):
        assert set(item.pages) <= topics, f"unknown page in {item}: add it to TOPIC_LABELS"


def test_methods_state_the_rules_the_code_uses():
    text = {m.key: m.text for m in methods.METHODS}
    assert evidence.HEADLINE_RULE in text["headline"]
    assert f"multiplied by {evidence.DAYS_PER_YEAR}" in text["per-day"]
    assert "(1 + growth rate)^(t − base year)" in text["projection"]
    assert "remainder" in text["flows"] and "share ×" in text["flows"]


def test_summary_view_drops_columns_empty_for_these_rows():
    rows = pd.DataFrame({"id": ["E1"], "indicator": ["x"], "value": [1.0], "value_low": [float("nan")],
                         "unit": [""], "source_id": ["a"], "quote": ["q"]})
    assert methods.summary_view("estimates", rows).columns.tolist() == ["id", "indicator", "value", "quote"]


# ------------------------------------------------------------------ Khmer

KHMER = re.compile(r"[\u1780-\u17FF]")
EN_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
KM_NUMBER = re.compile(r"\d+(?:\.\d{3})*(?:,\d+)?")


def numbers(text: str, lang: str) -> set[float]:
    """The numbers a text states, read the language's way (en 6,818,000 and 2.85; km 6.818.000 and 2,85)."""
    if lang == "en":
        return {float(n.replace(",", "")) for n in EN_NUMBER.findall(text)}
    return {float(n.replace(".", "").replace(",", ".")) for n in KM_NUMBER.findall(text)}


def test_english_constants_are_the_catalogues_english():
    assert methods.methods_in(lang="en") == methods.METHODS
    assert methods.gaps_in(lang="en") == methods.GAPS
    assert methods.conflicts_in(lang="en") == methods.CONFLICTS
    assert methods.confidence_scale(lang="en") == methods.CONFIDENCE_SCALE
    assert methods.TOPIC_LABELS[""] == "Across the data" and methods.TOPIC_LABELS["scenario"] == \
        "Greenhouse-gas parameters"


def test_every_method_gap_conflict_and_level_is_in_khmer():
    texts = [m.title for m in methods.methods_in(lang="km")] + [m.text for m in methods.methods_in(lang="km")]
    texts += [g.text for g in methods.gaps_in(lang="km")]
    texts += [c.title for c in methods.conflicts_in(lang="km")] + [c.text for c in methods.conflicts_in(lang="km")]
    texts += [text for _, text in methods.confidence_scale(lang="km")] + [methods.confidence_note(lang="km")]
    texts += [methods.topic_label(p, lang="km") for p in methods.TOPICS]
    english_only = [t for t in texts if not KHMER.search(t)]
    assert not english_only, english_only


def test_khmer_texts_state_the_same_figures_written_the_khmer_way():
    """Translation is of words: every number in a Khmer text is one the English states (2.85 -> 2,85)."""
    pairs = [(e.text, k.text) for e, k in zip(methods.GAPS, methods.gaps_in(lang="km"), strict=True)]
    for en, km in zip(methods.CONFLICTS, methods.conflicts_in(lang="km"), strict=True):
        pairs += [(en.title, km.title), (en.text, km.text)]
    for en, km in zip(methods.METHODS, methods.methods_in(lang="km"), strict=True):
        pairs += [(en.text, km.text)]
    for en_text, km_text in pairs:
        assert numbers(km_text, "km") == numbers(en_text, "en"), f"figures differ:\n{en_text}\n{km_text}"
    titles = [c.title for c in methods.conflicts_in(lang="km")]
    assert "2,85 លានតោន" in titles[0] and "4,78 លានតោន" in titles[0]
    assert not any("2.85" in t or "0.487" in t for t in titles), "decimals are written with a comma in Khmer"


def test_khmer_keeps_the_rules_of_the_code():
    khmer = {m.key: m.text for m in methods.methods_in(lang="km")}
    assert evidence.headline_rule(lang="km") in khmer["headline"]
    assert f"គុណនឹង {evidence.DAYS_PER_YEAR}" in khmer["per-day"]


def test_cited_in_and_conflict_rows_in_khmer(tables):
    counts = methods.citation_counts(toy())
    summary = methods.cited_in(counts, pd.Series(["b", "nobody"]), ["estimates", "policies"], lang="km")
    summary = summary.set_index("id")
    assert summary.loc["b", "cited_in"] == "estimates 1 · policies 1", "table names stay the data's names"
    assert KHMER.search(summary.loc["nobody", "cited_in"])
    dangkor = next(c for c in methods.CONFLICTS if c.key == "dangkor-area")
    english, khmer = methods.conflict_rows(dangkor, tables), methods.conflict_rows(dangkor, tables, lang="km")
    assert list(khmer.columns) == list(english.columns), "the columns keep the data's names"
    assert khmer["quote"].tolist() == english["quote"].tolist(), "quotes stay as published"
    assert khmer["value"].tolist() == english["value"].tolist()
    facility = khmer[khmer["table"] == "facilities"].iloc[0]
    assert KHMER.search(facility["figure"]) and "Dangkor" in facility["figure"]


def test_confidence_counts_in_khmer(tables):
    counts = methods.confidence_counts(tables["sources"], tables["estimates"], lang="km")
    assert counts["confidence"].tolist() == ["high", "medium", "low"], "levels stay codes"
    assert all(KHMER.search(d) for d in counts["definition"])
