"""The Data explorer page in AppTest: a table from the link, literal search, filters, empty state, the zip."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from core.catalogue import Catalogue
from tests.conftest import DATA
from tests.helpers import assert_clean, run_framed

PAGE = "explorer"


def rows_shown(app: AppTest) -> tuple[int, int]:
    line = next(m.value for m in app.markdown if m.value.endswith("rows shown**"))
    shown, total = line.strip("*").removesuffix(" rows shown").split(" of ")
    return int(shown.replace(",", "")), int(total.replace(",", ""))


@pytest.fixture(scope="module")
def data() -> Catalogue:
    return Catalogue(DATA, use_parquet=False)


def test_default_table_is_the_evidence_ledger_in_full(data):
    app = run_framed(PAGE)
    assert_clean(app)
    ledger = data.load("estimates")
    assert app.selectbox(key="ex_res").value == "estimates"
    assert rows_shown(app) == (len(ledger), len(ledger))
    assert app.dataframe[0].value.shape == ledger.shape, "the table shows every row and column"


def test_resource_from_the_link_is_shown(data):
    app = run_framed(PAGE, {"ex_res": "facilities"})
    assert_clean(app)
    facilities = data.load("facilities")
    assert app.selectbox(key="ex_res").value == "facilities"
    assert "#### Landfills and dumpsites" in [m.value for m in app.markdown]
    assert rows_shown(app) == (len(facilities), len(facilities))
    assert set(app.dataframe[0].value["id"]) == set(facilities["id"])


@pytest.mark.parametrize("name", [n for n in Catalogue(DATA).resource_names() if n != "boundaries"])
def test_every_table_opens(name, data):
    app = run_framed(PAGE, {"ex_res": name})
    assert_clean(app)
    assert rows_shown(app)[1] == len(data.load(name))


def test_column_help_comes_from_the_descriptor(data):
    app = run_framed(PAGE, {"ex_res": "facilities"})
    config = json.loads(app.dataframe[0].proto.columns)
    field = data.field("facilities", "intake_t_per_day")
    assert field["description"] in config["intake_t_per_day"]["help"]
    assert f"Unit: {field['unit']}" in config["intake_t_per_day"]["help"], "numeric columns name their unit"
    assert config["area_ha"]["type_config"].get("format") == "plain", "numbers are shown in full, not rounded"


def test_script_in_the_link_is_matched_literally_and_never_rendered_as_html():
    app = run_framed(PAGE, {"ex_q": "<script>alert(1)</script>"})
    assert_clean(app)
    assert app.text_input(key="ex_q").value == "<script>alert(1)</script>"
    assert rows_shown(app)[0] == 0
    assert not any(m.allow_html for m in app.markdown), "no Markdown on this page may allow HTML"
    info = app.info[0].value
    assert "\\<script\\>" in info, f"the search is quoted with its markup escaped: {info}"


def test_search_is_literal_not_a_pattern(data):
    ledger = data.load("estimates")
    text_columns = [c for c in ledger.columns if ledger[c].dtype == "str"]

    def literal_count(text: str) -> int:
        hits = ledger[text_columns].apply(lambda col: col.str.lower().str.contains(text.lower(), regex=False))
        return int(hits.any(axis=1).sum())

    for text in (".*", "(", "e.g."):
        app = run_framed(PAGE, {"ex_q": text})
        assert_clean(app)
        assert rows_shown(app)[0] == literal_count(text), f"search {text!r} should match the text itself"


def test_search_ignores_case(data):
    lower, upper = run_framed(PAGE, {"ex_q": "phnom penh"}), run_framed(PAGE, {"ex_q": "PHNOM PENH"})
    assert rows_shown(lower) == rows_shown(upper) and rows_shown(lower)[0] > 0


def test_sector_filters_from_the_link_narrow_the_table(data):
    app = run_framed(PAGE, {"conf": "high"})
    assert_clean(app)
    ledger = data.load("estimates")
    assert rows_shown(app) == (int((ledger["confidence"] == "high").sum()), len(ledger))
    assert set(app.dataframe[0].value["confidence"]) == {"high"}


def test_filter_without_a_column_is_named_and_ignored(data):
    app = run_framed(PAGE, {"ex_res": "population", "stage": "recycling"})
    assert_clean(app)
    assert rows_shown(app)[0] == len(data.load("population")), "population has no stage column"
    assert any("Set but not used here" in c.value and "value-chain stage" in c.value for c in app.caption)


def test_empty_state_says_what_emptied_it():
    app = run_framed(PAGE, {"conf": "low", "ex_q": "nearly 2.85 million tonnes"})
    assert_clean(app)
    assert rows_shown(app)[0] == 0
    assert not app.dataframe, "no empty table is drawn"
    info = app.info[0].value
    assert "confidence: Low" in info and "2\\.85" in info and "Clear the search box" in info, info


def test_unknown_table_in_the_link_falls_back_quietly():
    app = run_framed(PAGE, {"ex_res": "nonsense<b>"})
    assert_clean(app)
    assert app.selectbox(key="ex_res").value == "estimates"
    assert any("does not exist" in c.value for c in app.caption), "a quiet notice names the bad link value"


def test_downloads_of_rows_and_package_are_offered():
    app = run_framed(PAGE, {"ex_res": "treatment", "conf": "high"})
    labels = {b.key: b.label for b in app.get("download_button")}
    assert {"ex-dl-csv", "ex-dl-parquet", "ex-zip", "ex-geojson"} <= set(labels), labels


def test_package_download_callable_builds_a_valid_zip(monkeypatch, data):
    captured = {}
    original = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        captured[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    app = run_framed(PAGE)
    assert_clean(app)
    build = captured.get("cambodia-waste-datapackage.zip")
    assert build is not None, f"the zip must be built lazily (download_button data=callable): {list(captured)}"
    archive = zipfile.ZipFile(io.BytesIO(build()))
    assert archive.testzip() is None
    names = set(archive.namelist())
    assert "datapackage.json" in names and "khm_adm1.geojson" in names and "khm_adm1.SOURCE.md" in names
    assert {f"{n}.csv" for n in ("sources", "estimates", "treatment")} <= names
    assert json.loads(archive.read("datapackage.json")) == data.descriptor
    assert build() == build(), "the zip is cached and stable between clicks"
    geojson = captured.get("khm_adm1.geojson")
    assert geojson is not None and geojson() == (DATA / "khm_adm1.geojson").read_bytes()


def test_broken_file_is_named_and_the_package_section_survives(data_copy, monkeypatch):
    path = data_copy / "facilities.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("F01", "X01", 1)  # breaks the id pattern F\d\d
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("KHWASTE_DATA_DIR", str(data_copy))
    app = run_framed(PAGE, {"ex_res": "facilities"})
    assert not app.exception
    assert app.error and "data/facilities.csv, row 2, column 'id'" in app.error[0].value
    assert any(b.key == "ex-zip" for b in app.get("download_button")), "the package download is still offered"


# ------------------------------------------------------------------ Khmer

KHMER = re.compile(r"[\u1780-\u17FF]")


def test_khmer_page_translates_words_and_keeps_the_data_as_published(data):
    app = run_framed(PAGE, {"lang": "km", "ex_res": "facilities"})
    assert_clean(app)
    assert KHMER.search(app.title[0].value)
    assert "#### ទីលានចាក់សំណល់ និងកន្លែងចាក់សំរាមចំហ" in [m.value for m in app.markdown]
    facilities = data.load("facilities")
    count = f"**បង្ហាញ {len(facilities)} ជួរ ក្នុងចំណោម {len(facilities)} ជួរ**"
    assert count in [m.value for m in app.markdown], [m.value for m in app.markdown]
    shown = app.dataframe[0].value
    assert list(shown.columns) == list(facilities.columns), "columns keep the data's names, as in the download"
    assert shown["name"].tolist() == facilities["name"].tolist(), "contents stay as published"
    config = json.loads(app.dataframe[0].proto.columns)
    assert "ហិកតា" in config["area_ha"]["help"], "column tooltips are in Khmer"
    assert any("មិនបកប្រែ" in c.value for c in app.caption), "the page says what stays untranslated"
    assert KHMER.search(app.text_input(key="ex_q").label) and KHMER.search(app.expander[0].label)
    labels = {b.key: b.label for b in app.get("download_button")}
    assert all(KHMER.search(label) for label in labels.values()), labels


def test_khmer_numbers_in_column_help_use_a_decimal_comma(data):
    app = run_framed(PAGE, {"lang": "km", "ex_res": "composition"})
    assert_clean(app)
    config = json.loads(app.dataframe[0].proto.columns)
    assert "0.5" in data.field("composition", "set_complete")["description"]
    assert "0,5" in config["set_complete"]["help"] and "0.5" not in config["set_complete"]["help"]


def test_khmer_table_picker_keeps_the_file_name_in_the_link():
    app = run_framed(PAGE, {"lang": "km", "ex_res": "facilities"})
    picker = app.selectbox(key="ex_res")
    assert picker.value == "facilities" and app.query_params.get("ex_res") in ("facilities", ["facilities"])
    assert picker.format_func("treatment").startswith("treatment · ") and KHMER.search(picker.format_func("treatment"))
    picker.set_value("treatment").run()
    assert app.query_params.get("ex_res") in ("treatment", ["treatment"]), "the link holds the code, not the label"
    assert "#### ផ្លូវនៃការប្រព្រឹត្តិកម្ម និងការចោលសំណល់" in [m.value for m in app.markdown]
    english = run_framed(PAGE, {"ex_res": "treatment"})
    assert english.selectbox(key="ex_res").value == "treatment", "the same link opens the same table in English"
    assert english.selectbox(key="ex_res").format_func("treatment") == "treatment"


def test_khmer_empty_state_quotes_the_search_safely():
    app = run_framed(PAGE, {"lang": "km", "conf": "low", "ex_q": "<b>nearly 2.85 million tonnes"})
    assert_clean(app)
    info = app.info[0].value
    assert KHMER.search(info) and "\\<b\\>" in info and "2\\.85" in info, info
    assert "ខ្ពស់" not in info and "ទាប" in info, "the filter is named in Khmer"


def test_english_page_shows_no_khmer():
    app = run_framed(PAGE)
    texts = [m.value for m in app.markdown] + [c.value for c in app.caption] + [e.label for e in app.expander]
    assert not [t for t in texts if KHMER.search(t)]


def test_whole_number_columns_are_drawn_as_whole_numbers():
    config = json.loads(run_framed(PAGE).dataframe[0].proto.columns)
    assert config["year_start"]["type_config"].get("format") == "%d", "years must not show float noise"
    assert config["value"]["type_config"].get("format") == "plain", "measured values are never rounded"


@pytest.mark.parametrize("key", ["ex_res", "ex_q"])
def test_khmer_view_survives_a_malformed_link(key):
    from tests.test_fuzz_params import COMBINED_REPEATED, assert_clean, bound_widgets

    clean = run_framed(PAGE, {"lang": "km"})
    defaults = {k: w.value for k, w in bound_widgets(clean).items()}
    query = {"lang": "km", key: COMBINED_REPEATED}
    app = run_framed(PAGE, query)
    assert_clean(app, query, defaults, f"{PAGE}?lang=km&{key}=…")
    assert KHMER.search(app.title[0].value)


def test_a_rerun_draws_the_same_page(data_copy, monkeypatch):
    """The table's part without widgets is replayed from Streamlit's cache on a rerun, message for message."""
    from tests.test_sources_page import drawn

    monkeypatch.setenv("KHWASTE_DATA_DIR", str(data_copy))
    for query in ({"lang": "km", "ex_res": "facilities"}, {"ex_q": "phnom", "conf": "high"}, {"ex_q": "zzzqqq"}):
        app = run_framed(PAGE, query)
        assert_clean(app)
        first = drawn(app)
        app.run()
        assert drawn(app) == first, query
