"""Workshop page in AppTest: facts, six takeaways, next steps, links only to pages that exist, source cited."""

from __future__ import annotations

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
