"""Policy timeline page in AppTest: every item with its source link, the kind filter in the link, empty state."""

from __future__ import annotations

import json
import re

import pandas as pd
from streamlit.testing.v1 import AppTest

from core.catalogue import Catalogue
from tests.conftest import DATA
from tests.helpers import all_text, assert_clean, run_framed

PAGE = "policy"


RECORD = re.compile(r"- \*\*(?P<date>.+?) · (?P<kind>.+?)\*\* · \*\*(?P<title>.+?)\*\*  \n"
                    r"  (?P<what_it_does>.+?)  \n  :small\[(?P<facts>.+)\]$", re.MULTILINE)
LINK = re.compile(r"\]\((https?://[^)\s]+)\)")


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def item_table(app: AppTest) -> pd.DataFrame:
    """The list under the timeline, read back from its Markdown: one row per record, with its source link."""
    lists = [str(m.value) for m in app.markdown if str(m.value).startswith("- **")]
    assert len(lists) == 1, "the list of items is shown once"
    rows = []
    for match in RECORD.finditer(lists[0]):
        row = {k: unescape(v) for k, v in match.groupdict().items()}
        link = LINK.search(match["facts"])
        row["link"] = link.group(1) if link else None
        if app.query_params.get("lang") == "km":  # the Khmer title, then (unescaped brackets) the title as published
            both = re.fullmatch(r"((?:\\.|[^\\(])+) \((.+)\)", match["title"])
            row["title_km"], row["title"] = unescape(both.group(1)), unescape(both.group(2))
        rows.append(row)
    assert len(rows) == lists[0].count("\n- **") + 1, "every record is read"
    return pd.DataFrame(rows)


def test_every_item_is_on_the_timeline_with_a_source_link():
    app = run_framed(PAGE)
    assert_clean(app)
    assert "26 waste-related laws, rules, plans and campaigns from 1996 to 2025" in all_text(app)
    assert len(app.get("plotly_chart")) == 1
    table = item_table(app)
    assert len(table) == 26
    assert table["link"].str.startswith("http").all(), "each item links to its source"
    assert "27 Apr 1999" in set(table["date"]), "Sub-Decree 36 with its date as published"


def test_kind_filter_is_read_from_the_link():
    app = run_framed(PAGE, {"pol_kind": ["law", "sub_decree"]})
    assert_clean(app)
    assert app.multiselect(key="pol_kind").value == ["law", "sub_decree"]
    table = item_table(app)
    assert set(table["kind"]) == {"Law", "Sub-decree"} and len(table) == 9
    assert "9 waste-related laws" in all_text(app)


def test_year_filter_from_the_link_applies():
    app = run_framed(PAGE, {"years": ["2020", "2025"]})
    assert_clean(app)
    table = item_table(app)
    assert len(table) == 13 and "24 Dec 1996" not in set(table["date"])


def test_one_year_is_worded_as_one_year_and_one_item_in_the_singular():
    degenerate = re.compile(r"(?<![\d.,])(\d[\d.,]*)\s*(?:to|–|ដល់)\s*\1(?![\d.,])")
    app = run_framed(PAGE, {"years": ["2015", "2016"]})
    assert_clean(app)
    shown = all_text(app)
    assert "One waste-related law or sub-decree in 2015" in shown
    assert "Cambodia and Phnom Penh, 2015." in shown
    assert "laws, rules, plans and campaigns" not in shown, "one item is not written in the plural"
    assert not degenerate.search(shown), degenerate.search(shown).group(0)
    khmer = all_text(run_framed(PAGE, {"years": ["2015", "2016"], "lang": "km"}))
    assert "ច្បាប់ ឬអនុក្រឹត្យទាក់ទងនឹងសំណល់ចំនួនមួយ ក្នុងឆ្នាំ 2015" in khmer
    assert not degenerate.search(khmer), degenerate.search(khmer).group(0)


def test_filters_that_leave_nothing_show_the_empty_state():
    app = run_framed(PAGE, {"pol_kind": "declaration", "geo": "Phnom Penh"})
    assert_clean(app)
    infos = [i.value for i in app.info]
    assert any("No policy item matches" in i and "Ministerial declaration" in i for i in infos), infos
    assert not app.get("plotly_chart")


def test_malformed_kind_falls_back_with_a_notice():
    app = run_framed(PAGE, {"pol_kind": "decree_of_doom"})
    assert_clean(app)
    assert app.multiselect(key="pol_kind").value == []
    assert len(item_table(app)) == 26
    assert any("not recognised" in c.value and "decree_of_doom" in c.value for c in app.caption)


# ---------------------------------------------------------------------------------------------------------------
# Khmer (?lang=km): Khmer headings, kinds, titles and dates; the link keeps the kind codes.
# ---------------------------------------------------------------------------------------------------------------

KHMER = re.compile(r"[\u1780-\u17FF]")


def test_khmer_page_shows_policy_names_in_khmer():
    app = run_framed(PAGE, {"lang": "km"})
    assert_clean(app)
    headings = [t.value for t in app.title] + [m.value for m in app.markdown if str(m.value).startswith("####")]
    assert len(headings) == 2 and all(KHMER.search(h) for h in headings), headings
    assert "ចំនួន 26 ពីឆ្នាំ 1996 ដល់ 2025" in headings[1]
    table = item_table(app)
    policies = Catalogue(DATA).load("policies").set_index("title")
    assert (table["title_km"] == table["title"].map(policies["title_km"])).all(), "each item with its Khmer name"
    assert table["title_km"].map(lambda t: bool(KHMER.search(t))).all()
    assert "27 មេសា 1999" in set(table["date"]) and set(table["kind"]) >= {"ច្បាប់", "អនុក្រឹត្យ"}
    assert table["what_it_does"].map(lambda t: bool(KHMER.search(t))).all()
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["template"]["layout"]["separators"] == ",."
    shown = [c[0] for trace in spec["data"] for c in trace["customdata"]]
    assert "អនុក្រឹត្យលេខ 36 ស្ដីពីការគ្រប់គ្រងសំណល់រឹង" in shown, "the timeline's hover names items in Khmer"
    assert "Rules came first" not in all_text(app)


def test_khmer_kind_filter_keeps_codes_in_the_link():
    app = run_framed(PAGE, {"lang": "km", "pol_kind": ["law", "sub_decree"]})
    assert_clean(app)
    picker = app.multiselect(key="pol_kind")
    assert picker.value == ["law", "sub_decree"]
    assert picker.format_func("sub_decree") == "អនុក្រឹត្យ"
    assert list(app.query_params.get_all("pol_kind") if hasattr(app.query_params, "get_all")
                else app.query_params["pol_kind"]) == ["law", "sub_decree"]
    assert len(item_table(app)) == 9 and set(item_table(app)["kind"]) == {"ច្បាប់", "អនុក្រឹត្យ"}


def test_khmer_empty_state():
    app = run_framed(PAGE, {"lang": "km", "pol_kind": "declaration", "geo": "Phnom Penh"})
    assert_clean(app)
    infos = [i.value for i in app.info]
    assert any("គ្មានធាតុគោលនយោបាយណាត្រូវនឹង" in i and "ប្រកាសរបស់ក្រសួង" in i for i in infos), infos


def test_a_rerun_draws_the_same_page(data_copy, monkeypatch):
    """The list under the timeline is replayed from Streamlit's cache on a rerun, message for message."""
    from tests.test_sources_page import drawn

    monkeypatch.setenv("KHWASTE_DATA_DIR", str(data_copy))
    for query in ({"lang": "km"}, {"geo": "Phnom Penh", "pol_kind": ["law", "sub_decree"]}):
        app = run_framed(PAGE, query)
        assert_clean(app)
        first = drawn(app)
        app.run()
        assert drawn(app) == first, query


def test_the_list_is_full_text_not_a_grid():
    """Each item is a record with its full title and description (the grid cut them off), and no data grid is
    drawn on a first visit."""
    app = run_framed(PAGE)
    assert_clean(app)
    assert not app.dataframe, "no data grid until a reader opens the chart's table tab"
    table = item_table(app)
    policies = Catalogue(DATA).load("policies")
    assert set(table["title"]) == set(policies["title"])
    plastic = table[table["title"] == "Sub-Decree No. 168 on the Management of Plastic Bags"].iloc[0]
    assert plastic["date"] == "10 Oct 2017" and plastic["kind"] == "Sub-decree"
    assert plastic["what_it_does"].endswith("in 32 articles.")
    assert "Status: in force" in plastic["facts"] and "Confidence: high" in plastic["facts"]


def test_the_list_escapes_what_the_data_says():
    """Markdown, link or HTML syntax in a title, description or note stays text; only a plain http(s) address is
    linked."""
    from components import views_policy

    table = pd.DataFrame([{
        "date": "2020", "kind": "Law", "title": "Evil **bold** [click](javascript:alert(1)) <b>x</b>",
        "link": "javascript:alert(1)", "source": "Src [x](http://evil)", "what_it_does": "Does _this_\nand that",
        "applies_to": "Cambodia", "status": "in force", "confidence": "high", "note": "a :red[note]",
    }])
    text = views_policy.item_records(table, "en")
    assert "](javascript" not in text and "](http://evil" not in text and "<b>" not in text
    assert "\\*\\*bold\\*\\*" in text and "\\:red\\[note\\]" in text
    assert text.count("\n") == 2, "a newline in the data does not start a new line"
    table.loc[0, "link"] = "https://example.org/a?b=c"
    assert "](https://example.org/a?b=c)" in views_policy.item_records(table, "en")
