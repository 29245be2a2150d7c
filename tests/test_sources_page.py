"""The Sources and methods page in AppTest: every source, its figures, methods, conflicts, gaps and links."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.i18n import HTML_LANG_EN, HTML_LANG_KM
from core import explorer, methods
from core.catalogue import Catalogue
from core.site import PAGES
from tests.conftest import DATA
from tests.helpers import all_text, assert_clean, metrics, run_framed, tree_nodes

PAGE = "sources"


def tables_with(app: AppTest, *columns: str, without: tuple[str, ...] = ()) -> list[pd.DataFrame]:
    """The dataframes shown whose columns include these (st.dataframe keeps no key in AppTest)."""
    frames = [d.value for d in app.dataframe]
    return [f for f in frames if set(columns) <= set(f.columns) and not set(without) & set(f.columns)]


def source_list(app: AppTest) -> pd.DataFrame:
    found = tables_with(app, "citation", "rows_citing")
    assert len(found) == 1, "the page shows one list of sources"
    return found[0]


def ledger_rows(app: AppTest) -> pd.DataFrame:
    found = tables_with(app, "indicator", "quote", without=("figure",))
    assert len(found) == 1, "the chosen source's ledger rows are shown once"
    return found[0]


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    catalogue = Catalogue(DATA, use_parquet=False)
    return {name: catalogue.load(name) for name in catalogue.resource_names() if name != "boundaries"}


@pytest.fixture(scope="module")
def default_app() -> AppTest:
    return run_framed(PAGE)


def test_page_runs_and_counts_sources(default_app, tables):
    assert_clean(default_app, allow_warnings=False)
    sources = tables["sources"]
    shown = metrics(default_app)
    assert shown["Sources listed"] == str(len(sources))
    assert shown["Figures in the evidence ledger"] == str(len(tables["estimates"]))
    high = int((sources["confidence"] == "high").sum())
    assert shown["Sources rated high confidence"] == f"{high} of {len(sources)}"


def test_every_source_is_listed_with_citation_licence_and_counts(default_app, tables):
    listed = source_list(default_app)
    sources = tables["sources"]
    assert set(listed["id"]) == set(sources["id"]), "every source appears in the list"
    assert {"citation", "licence", "kind", "accessed", "access_note", "url", "rows_citing", "cited_in"} <= set(
        listed.columns)
    row = listed.set_index("id").loc["pheakdey-2022-ijerph"]
    counts = methods.citation_counts({k: v for k, v in tables.items() if k != "sources"})
    expected = int(counts.loc[counts["source_id"] == "pheakdey-2022-ijerph", "rows"].sum())
    assert row["rows_citing"] == expected and expected > 0
    assert f"estimates {len(methods.rows_citing(tables['estimates'], 'pheakdey-2022-ijerph'))}" in row["cited_in"]


def test_default_source_is_the_headline_source_with_its_rows(default_app):
    assert default_app.selectbox(key="src_id").value == "iges-2025-workshop"
    rows = ledger_rows(default_app)
    assert "E001" in set(rows["id"]) and "quote" in rows.columns


def test_source_from_the_link_shows_its_citation_and_rows(tables):
    app = run_framed(PAGE, {"src_id": "pheakdey-2022-ijerph"})
    assert_clean(app, allow_warnings=False)
    source = tables["sources"].set_index("id").loc["pheakdey-2022-ijerph"]
    assert f"**{source['citation']}**" in [m.value for m in app.markdown]
    found = {name: len(methods.rows_citing(frame, "pheakdey-2022-ijerph"))
             for name, frame in tables.items() if name != "sources" and "source_id" in frame.columns}
    total = sum(found.values())
    assert any(m.value.startswith(f"**{total} rows of data come from this source**") for m in app.markdown)
    shown = ledger_rows(app)
    assert len(shown) == found["estimates"] and "E003" in set(shown["id"])
    links = [link.proto for link in app.get("page_link")]
    explorer_links = [p for p in links if p.page == "explorer"]
    assert explorer_links, "each table of rows links to the Data explorer"


def test_confidence_filter_from_the_link_narrows_the_list(tables):
    app = run_framed(PAGE, {"conf": "low"})
    assert_clean(app, allow_warnings=False)
    listed = source_list(app)
    assert set(listed["confidence"]) == {"low"}
    assert len(listed) == int((tables["sources"]["confidence"] == "low").sum())


def test_empty_state_names_the_filters(tables):
    sources = tables["sources"]
    combos = pd.crosstab(sources["kind"], sources["confidence"])
    empty = [(kind, level) for kind in combos.index for level in combos.columns if combos.loc[kind, level] == 0]
    assert empty, "the test needs a kind with no source at some confidence level"
    kind, level = empty[0]
    app = run_framed(PAGE, {"src_kind": kind, "conf": level})
    assert_clean(app, allow_warnings=False)
    info = app.info[0].value
    assert f"kind: {kind}" in info and "confidence" in info and "widen" in info, info
    assert not tables_with(app, "citation", "rows_citing"), "no empty table is drawn"


def test_malformed_link_values_fall_back_quietly():
    app = run_framed(PAGE, {"src_id": "no-such-source", "src_kind": "gossip"})
    assert_clean(app, allow_warnings=False)
    assert app.selectbox(key="src_id").value == "iges-2025-workshop"
    notes = [c.value for c in app.caption if c.value.startswith("Not recognised in the link")]
    assert len(notes) == 2, notes


def test_methods_conflicts_and_gaps_are_all_shown(default_app):
    text = all_text(default_app, with_metrics=False)
    for method in methods.METHODS:
        assert method.title in text
    assert "Today the rule picks 2.85 Mt for 2024" in text
    for conflict in methods.CONFLICTS:
        assert f"**{conflict.title}**" in text
    shown = tables_with(default_app, "figure", "quote")
    assert len(shown) == len(methods.CONFLICTS), "each conflict shows the rows behind it"
    assert sum(len(f) for f in shown) == sum(len(ids) for c in methods.CONFLICTS for _, ids in c.rows)
    for gap in methods.GAPS:
        assert gap.text in text
    for _, definition in methods.CONFIDENCE_SCALE:
        assert definition in text


def test_page_links_point_only_to_registered_pages(default_app):
    registered = {spec.url_path for spec in PAGES}
    # The default page (the first in the registry) is served at the root, so its link's page is "".
    linked = {link.proto.page or PAGES[0].url_path for link in default_app.get("page_link")}
    assert linked and linked <= registered, f"links to pages that do not exist: {linked - registered}"


def test_broken_table_is_named_and_the_rest_of_the_page_survives(data_copy, monkeypatch):
    (data_copy / "treatment.csv").write_text("", encoding="utf-8")
    monkeypatch.setenv("KHWASTE_DATA_DIR", str(data_copy))
    app = run_framed(PAGE)
    assert not app.exception
    assert any("data/treatment.csv" in e.value for e in app.error), "the broken file is named"
    text = all_text(app, with_metrics=False)
    assert "What is still missing" in [s.value for s in app.subheader]
    assert all(f"**{c.title}**" in text for c in methods.CONFLICTS), "conflicts need no treatment rows"


def test_broken_sources_file_is_reported_once(data_copy, monkeypatch):
    (data_copy / "sources.csv").write_text("", encoding="utf-8")
    monkeypatch.setenv("KHWASTE_DATA_DIR", str(data_copy))
    app = run_framed(PAGE)
    assert not app.exception
    assert len(app.error) == 1 and "data/sources.csv" in app.error[0].value, [e.value for e in app.error]
    text = all_text(app, with_metrics=False)
    assert all(gap.text in text for gap in methods.GAPS), "the gaps need no data file"
    assert all(m.title in text for m in methods.METHODS)


# ------------------------------------------------------------------ Khmer

KHMER = re.compile(r"[\u1780-\u17FF]")


@pytest.fixture(scope="module")
def khmer_app() -> AppTest:
    return run_framed(PAGE, {"lang": "km"})


def test_khmer_page_translates_every_section(khmer_app, tables):
    assert_clean(khmer_app, allow_warnings=False)
    assert KHMER.search(khmer_app.title[0].value)
    assert all(KHMER.search(s.value) for s in khmer_app.subheader), [s.value for s in khmer_app.subheader]
    shown = metrics(khmer_app)
    assert all(KHMER.search(label) for label in shown), shown
    sources = tables["sources"]
    high = int((sources["confidence"] == "high").sum())
    assert shown["ប្រភពដែលមានកម្រិតទំនុកចិត្តខ្ពស់"] == f"{high}/{len(sources)}"
    text = all_text(khmer_app, with_metrics=False)
    for item in (*methods.methods_in(lang="km"), *methods.conflicts_in(lang="km")):
        assert item.title in text
    for gap in methods.gaps_in(lang="km"):
        assert gap.text in text
    assert not any(gap.text in text for gap in methods.GAPS), "no English gap text in the Khmer view"


def test_khmer_numbers_are_written_the_khmer_way(khmer_app):
    text = all_text(khmer_app, with_metrics=False)
    assert "2,85 លានតោន" in text, "the headline note formats 2.85 Mt the Khmer way"
    assert "2.85 Mt" not in text


def test_khmer_keeps_citations_and_quotes_as_published(khmer_app, tables):
    source = tables["sources"].set_index("id").loc["iges-2025-workshop"]
    markdown = [m.value for m in khmer_app.markdown]
    assert f"**{source['citation']}**" in markdown, "the citation is shown untranslated"
    quote = explorer.escape_markdown(source["quote"])
    assert any(m.startswith("**សម្រង់") and m.endswith(f"“{quote}”") for m in markdown), "the quote stays verbatim"
    assert any("មិនបកប្រែ" in c.value for c in khmer_app.caption), "the page says, in Khmer, what stays as published"
    listed = source_list(khmer_app)
    assert list(listed.columns) == ["id", "citation", "kind", "confidence", "licence", "accessed", "rows_citing",
                                    "cited_in", "access_note", "url", "note"], "the list keeps the data's columns"
    assert set(listed["kind"]) <= set(tables["sources"]["kind"]), "codes stay codes in the table and download"


def test_khmer_kind_filter_keeps_codes_in_the_link(tables):
    app = run_framed(PAGE, {"lang": "km", "src_kind": "news"})
    assert_clean(app, allow_warnings=False)
    widget = app.multiselect(key="src_kind")
    assert widget.value == ["news"] and KHMER.search(widget.format_func("news"))
    assert set(source_list(app)["kind"]) == {"news"}
    widget.set_value(["news", "NGO"]).run()
    linked = app.query_params.get_all("src_kind") if hasattr(app.query_params, "get_all") else \
        app.query_params["src_kind"]
    assert sorted(linked) == ["NGO", "news"], "the link holds the data's codes, not Khmer labels"


def test_every_source_kind_and_licence_has_a_khmer_label(tables):
    from core.i18n import catalogue as entries
    from core.i18n import label

    sources = tables["sources"]
    for field, column in (("source_kind", "kind"), ("source_licence", "licence")):
        for code in sources[column].dropna().unique():
            key = f"label.{field}.{re.sub(r'[^a-z0-9]+', '_', code.lower()).strip('_')}"
            assert key in entries(), f"add {key} to locales/sources.csv"
            assert label("en", field, code) == code, "English shows the data's own word"
            assert KHMER.search(label("km", field, code)) or code == "ODbL-1.0"


def test_khmer_empty_state_names_filters_in_khmer(tables):
    sources = tables["sources"]
    combos = pd.crosstab(sources["kind"], sources["confidence"])
    kind, level = next((k, lv) for k in combos.index for lv in combos.columns if combos.loc[k, lv] == 0)
    app = run_framed(PAGE, {"lang": "km", "src_kind": kind, "conf": level})
    assert_clean(app, allow_warnings=False)
    info = app.info[0].value
    assert KHMER.search(info) and "កម្រិតទំនុកចិត្ត" in info, info


def test_english_page_shows_no_khmer(default_app):
    texts = [m.value for m in default_app.markdown] + [c.value for c in default_app.caption]
    assert not [t for t in texts if KHMER.search(t)]


@pytest.mark.parametrize("key", ["src_kind", "src_id"])
def test_khmer_view_survives_a_malformed_link(key):
    from tests.test_fuzz_params import COMBINED_REPEATED, assert_clean, bound_widgets

    clean = run_framed(PAGE, {"lang": "km"})
    defaults = {k: w.value for k, w in bound_widgets(clean).items()}
    query = {"lang": "km", key: COMBINED_REPEATED}
    app = run_framed(PAGE, query)
    assert_clean(app, query, defaults, f"{PAGE}?lang=km&{key}=…")
    notes = [c.value for c in app.caption if c.value.startswith("មិនស្គាល់ក្នុងតំណ")]
    assert notes, "a quiet Khmer notice names the ignored link value"


# ------------------------------------------------------------------ reruns

def drawn(app: AppTest) -> list[tuple[str, str]]:
    """Every element and block the page drew, in order, as (type, its message): what a browser receives. A widget
    counts by its id and label (its message also carries the value the session set, which a rerun restates). The
    frame's <html lang> script is left out: it is sent once per language change, not on every run
    (tests/test_rerun_costs.py)."""
    return [(type(node).__name__, f"{node.proto.id} {getattr(node.proto, 'label', '')}" if getattr(node.proto, "id", "")
             else str(node.proto)) for node in tree_nodes(app)
            if getattr(node, "proto", None) and getattr(node.proto, "body", None) not in (HTML_LANG_EN, HTML_LANG_KM)]


@pytest.mark.parametrize("lang", ["en", "km"])
def test_a_rerun_draws_the_same_page(data_copy, monkeypatch, lang):
    """The sections without widgets are drawn by cached functions, whose elements Streamlit replays on a rerun:
    a fresh data folder draws them anew on the first run and replays them on the second, message for message."""
    monkeypatch.setenv("KHWASTE_DATA_DIR", str(data_copy))
    app = run_framed(PAGE, {"lang": lang, "src_id": "pheakdey-2022-ijerph", "conf": ["high", "medium"]})
    assert_clean(app)
    first = drawn(app)
    app.run()
    assert drawn(app) == first
