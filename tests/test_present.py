"""Presentation mode in AppTest: ?present=1 hides the sidebar (constant CSS), moves the menu to the top, and sticks."""

from __future__ import annotations

import pytest

import components.present as present
from tests.helpers import assert_clean, run_framed


def nav_position(app) -> str | None:
    try:
        return app.session_state[present.NAV_KEY]
    except KeyError:
        return None


def styles(app) -> list[str]:
    return [h.proto.body for h in app.get("html") if "<style>" in h.proto.body]


@pytest.mark.parametrize("value", ["1", "true", "on"])
def test_present_link_switches_on_the_screen_share_layout(value):
    app = run_framed("overview", {"present": value})
    assert_clean(app)
    assert styles(app) == [present.PRESENT_CSS.strip()], "the constant stylesheet is injected once"
    assert '[data-testid="stSidebar"]' in present.PRESENT_CSS and "display: none" in present.PRESENT_CSS
    assert nav_position(app) == "top", "the page menu moves to the top while the sidebar is hidden"
    assert not app.button, "no start button: the sidebar is hidden while presenting"
    assert app.query_params.get("present") in ("1", ["1"]), "the link is normalised to present=1"
    captions = " ".join(c.value for c in app.caption)
    assert "CC BY 4.0" not in captions, "the long footer is skipped when presenting"


def test_large_metric_values_wrap_instead_of_ending_in_an_ellipsis():
    """At presentation size 'not published' is wider than its card: the value (and Streamlit's ellipsis box inside
    it) wraps rather than being cut to 'not publis…'. The rule lives only in the presentation stylesheet."""
    css = present.PRESENT_CSS
    start = css.index('[data-testid="stMain"] [data-testid="stMetricValue"] > div')
    selector, body = css[start:css.index("}", start)].split("{")
    assert all(part.strip().startswith('[data-testid="stMain"] [data-testid="stMetricValue"]')
               for part in selector.split(",")), "scoped to the metric values of the main block"
    for declaration in ("white-space: normal !important", "overflow: visible !important",
                        "text-overflow: clip !important", "overflow-wrap: anywhere"):
        assert declaration in body, declaration


def test_default_layout_has_sidebar_menu_and_footer():
    app = run_framed("overview")
    assert_clean(app)
    assert styles(app) == []
    assert nav_position(app) == "sidebar"
    start = app.button(key=present.START_KEY)
    assert start.label == "Presentation mode" and "Exit presentation" in start.help
    assert "present" not in app.query_params
    assert any("CC BY 4.0" in c.value for c in app.caption)


@pytest.mark.parametrize("value", ["0", "false", "banana", "<script>"])
def test_off_or_unknown_values_leave_the_normal_layout(value):
    app = run_framed("overview", {"present": value})
    assert_clean(app)
    assert styles(app) == []
    assert nav_position(app) == "sidebar"
    assert "present" not in app.query_params, "an unknown value is dropped from the link"


def test_the_button_starts_presenting_and_the_exit_link_ends_it():
    app = run_framed("overview", {"geo": "Phnom Penh"})
    app.button(key=present.START_KEY).click().run()
    assert_clean(app)
    assert nav_position(app) == "top" and styles(app)
    assert app.query_params.get("present") in ("1", ["1"])
    exit_link = next(link for link in app.get("page_link") if link.proto.label == "Exit presentation")
    assert exit_link.proto.query_string == "geo=Phnom+Penh&present=0", "it ends presenting, keeps the filters"
    app.query_params["present"] = "0"  # what following the exit link does
    app.run()
    assert nav_position(app) == "sidebar" and not styles(app)
    assert "present" not in app.query_params
    assert app.button(key=present.START_KEY), "the start button is back"


def test_mode_survives_a_link_that_drops_the_parameter():
    """Moving to another page may drop present from the link: the session keeps the mode and writes it back."""
    app = run_framed("overview", {"present": "1"})
    del app.query_params["present"]
    app.run()
    assert nav_position(app) == "top"
    assert app.query_params.get("present") in ("1", ["1"])


def test_every_page_runs_in_presentation_mode():
    from core.site import PAGES

    for spec in PAGES:
        app = run_framed(spec.url_path, {"present": "1"})
        assert_clean(app)
        assert nav_position(app) == "top", spec.url_path


@pytest.mark.parametrize(("lang", "words"), [("en", "The briefing could not be built: "),
                                             ("km", "មិនអាចរៀបចំឯកសារសង្ខេបបានទេ៖ ")])
def test_a_briefing_that_cannot_be_built_explains_itself_in_the_language(data_copy, monkeypatch, lang, words):
    (data_copy / "sources.csv").write_text("", encoding="utf-8")
    monkeypatch.setenv("KHWASTE_DATA_DIR", str(data_copy))
    page = present.briefing_bytes(lang).decode("utf-8")
    assert words in page and "data/sources.csv" in page and f"<html lang='{lang}'>" in page
    assert "<script" not in page
