"""Workshop page in AppTest: facts, six takeaways, next steps, links only to pages that exist, source cited; in
Khmer from the data's own Khmer columns."""

from __future__ import annotations

import re

import pytest

from core.catalogue import Catalogue
from tests.helpers import all_text, assert_clean, run_framed

# Run inside the dashboard frame, so st.page_link finds the registered pages.
PAGE = "workshop"


def test_workshop_facts_takeaways_and_source():
    app = run_framed(PAGE)
    assert_clean(app)
    text = all_text(app)
    assert "on 25 and 26 March 2025" in text and "Cambodiana Hotel" in text
    assert "UNEP" in text and "COMPOSTED" in text
    for n in range(1, 7):
        assert f"**{n}. " in text, f"takeaway {n} is shown"
    assert "Social protection for informal workers" in text, "the next steps are shown"
    assert "https://www.iges.or.jp/en/events/20250325-0" in text, "the IGES event page is cited"
    assert "Filters that apply here: none." in text


def test_takeaways_link_to_registered_pages():
    app = run_framed(PAGE)
    links = app.get("page_link")
    targets = {link.proto.page for link in links}
    assert {"recycling", "policy", "scenario"} <= targets, targets
    assert "workshop" not in targets, "the page does not link to itself"


def test_a_page_missing_from_the_registry_is_skipped_not_broken(monkeypatch):
    import core.site

    without = tuple(p for p in core.site.PAGES if p.url_path not in {"recycling", "scenario"})
    monkeypatch.setattr(core.site, "PAGES", without)
    app = run_framed(PAGE)
    assert_clean(app)
    targets = {link.proto.page for link in app.get("page_link")}
    assert "recycling" not in targets and "scenario" not in targets
    assert "policy" in targets


# ------------------------------------------------------------------ Khmer

KHMER = re.compile(r"[\u1780-\u17FF]")
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@pytest.fixture(scope="module")
def workshop():
    return Catalogue().load("workshop")


def test_workshop_in_khmer_shows_the_khmer_columns(workshop):
    app = run_framed(PAGE, {"lang": "km"})
    assert_clean(app)
    assert app.title[0].value == "សិក្ខាសាលា 2025"
    assert all(KHMER.search(s.value) for s in app.subheader), [s.value for s in app.subheader]
    text = all_text(app)
    takeaways = workshop[workshop["section"] == "takeaway"].sort_values("order")
    for order, title_km, title in zip(takeaways["order"], takeaways["title_km"], takeaways["title"], strict=True):
        assert f"**{order}. {title_km}**" in text, title_km
        assert title not in text, f"the English title {title!r} is shown in the Khmer view"
    for row in workshop.itertuples():
        assert row.text_km in text, row.id
    assert "ចំណុចសំខាន់ៗទាំង 6" in [s.value for s in app.subheader]
    # The organisers' own words stay as they wrote them (the help text of each row).
    helps = [m.help for m in app.markdown if getattr(m, "help", None)]
    assert helps and all("IGES-CCET 2025" in h and h.startswith("“") for h in helps)
    labels = [link.label for link in app.get("page_link")]
    assert labels and all(KHMER.search(label) for label in labels), labels
    assert app.query_params.get("lang") in ("km", ["km"])


def test_every_workshop_row_has_its_khmer_text_and_no_new_number(workshop):
    """title_km and text_km are Khmer, marked machine or reviewed, and state exactly the numbers of the English
    (written the Khmer way: 2,85 for 2.85): translation is of words, never of figures."""
    assert set(workshop["km_status"]) <= {"machine", "reviewed"}
    for row in workshop.itertuples():
        for english, khmer in ((row.title, row.title_km), (row.text, row.text_km)):
            assert KHMER.search(khmer), f"{row.id}: {khmer!r} is not Khmer"
            numbers_en = sorted(NUMBER.findall(english))
            numbers_km = sorted(n.replace(",", ".") for n in NUMBER.findall(khmer))
            assert numbers_km == numbers_en, f"{row.id}: numbers differ: {numbers_en} vs {numbers_km}"


@pytest.mark.parametrize("lang", ["en", "km"])
def test_a_rerun_draws_the_same_page(data_copy, monkeypatch, lang):
    """Everything under the filter note is replayed from Streamlit's cache on a rerun, message for message."""
    from tests.test_sources_page import drawn

    monkeypatch.setenv("KHWASTE_DATA_DIR", str(data_copy))
    app = run_framed(PAGE, {"lang": lang})
    assert_clean(app)
    first = drawn(app)
    app.run()
    assert drawn(app) == first
