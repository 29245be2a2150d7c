"""Work a page does once and then reuses, rather than on every run (bench/README.md measures the gain): each chart's
JSON text, the page menu's st.Page objects and the <html lang> script. Each reuse must give exactly what doing the
work again would give."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io
import pytest

from components import frame
from components.i18n import HTML_LANG_EN, HTML_LANG_KM
from components.site_nav import NAV_PAGES_KEY
from core.i18n import translator
from core.margins import presized_margins
from core.site import PAGES
from tests.helpers import assert_clean, run_framed, tree_nodes


def elements(app, kind: str) -> list:
    return [node for node in tree_nodes(app) if getattr(node, "type", None) == kind]


# ------------------------------------------------------------------ chart JSON


def test_a_prepared_figure_is_turned_into_json_once_and_as_plotly_would():
    figure = go.Figure(go.Bar(x=["Organic", "Plastic"], y=[55, 21]))
    figure.update_layout(title="t")
    spec = frame.prepared_figure(figure).to_dict()
    text = plotly.io.to_json(spec, validate=False)  # what st.plotly_chart calls
    # The figure as Plotly writes it, with the margins sized before drawing (core.margins) as its only change.
    plain = frame._with_presized_margins(figure.to_dict())
    assert plain["layout"]["margin"] == presized_margins(figure.to_dict())
    assert text == frame._PLOTLY_TO_JSON(plain, validate=False)
    assert json.loads(text)["data"][0]["y"] == [55, 21]
    assert plotly.io.to_json(spec, validate=False) is text, "the second call reuses the first one's text"
    # Anything else goes to Plotly unchanged: a plain dict, a figure, other arguments.
    assert plotly.io.to_json(plain, validate=False) == text
    assert plotly.io.to_json(plain, validate=False) is not plotly.io.to_json(plain, validate=False)
    assert plotly.io.to_json(spec, validate=False, pretty=True) == frame._PLOTLY_TO_JSON(spec, validate=False,
                                                                                        pretty=True)


def test_charts_are_not_serialised_again_on_a_rerun(monkeypatch):
    """Streamlit asks plotly.io.to_json for every chart on every run; after the first run the answer is kept."""
    app = run_framed("generation")
    assert_clean(app)
    first = [chart.proto.spec for chart in elements(app, "plotly_chart")]
    assert len(first) == 3, "national, per person and Phnom Penh (the chart outside Phnom Penh waits in its tab)"

    asked, made = [], []

    def asking(fig, *args, **kwargs):
        asked.append(type(fig))
        return frame._to_json(fig, *args, **kwargs)

    def making(fig, *args, **kwargs):
        made.append(type(fig))
        return original(fig, *args, **kwargs)

    original = frame._PLOTLY_TO_JSON
    monkeypatch.setattr(plotly.io, "to_json", asking)
    monkeypatch.setattr(frame, "_PLOTLY_TO_JSON", making)
    app.run()
    assert_clean(app)
    assert len(asked) == 3, "st.plotly_chart no longer calls plotly.io.to_json: the JSON cache is bypassed"
    assert made == [], "a chart's JSON was made again on a rerun"
    assert [chart.proto.spec for chart in elements(app, "plotly_chart")] == first


# ------------------------------------------------------------------ page menu


def test_the_page_menu_is_made_once_per_session_and_language():
    app = run_framed("flows")
    made = app.session_state[NAV_PAGES_KEY]
    assert list(made) == ["en"]
    pages = [page for section in made["en"].values() for page in section]
    assert [page.url_path for page in pages] == [""] + [spec.url_path for spec in PAGES[1:]]  # the first at /
    english = translator("en")
    assert [page.title for page in pages] == [english(f"site.page.{spec.url_path}") for spec in PAGES]

    app.run()
    again = [page for section in app.session_state[NAV_PAGES_KEY]["en"].values() for page in section]
    assert all(a is b for a, b in zip(pages, again, strict=True)), "the menu's pages were made again"

    app.query_params["lang"] = "km"
    app.run()
    assert_clean(app)
    khmer = translator("km")
    titled = [page.title for section in app.session_state[NAV_PAGES_KEY]["km"].values() for page in section]
    assert titled == [khmer(f"site.page.{spec.url_path}") for spec in PAGES]
    assert list(app.session_state[NAV_PAGES_KEY]["km"]) == [khmer(spec.section_key) for spec in
                                                           dict((s.section_key, s) for s in PAGES).values()]


def test_sessions_do_not_share_menu_pages():
    """st.navigation marks the chosen page object runnable and running it clears the mark: sessions sharing an
    object could refuse each other's page."""
    one, two = run_framed("flows"), run_framed("flows")
    first = next(iter(one.session_state[NAV_PAGES_KEY]["en"].values()))[0]
    second = next(iter(two.session_state[NAV_PAGES_KEY]["en"].values()))[0]
    assert first is not second


# ------------------------------------------------------------------ <html lang>


def scripts(app) -> list[str]:
    return [node.proto.body for node in elements(app, "html")]


@pytest.mark.parametrize("first, then", [("en", "km"), ("km", "en")])
def test_the_html_lang_script_is_sent_when_the_language_changes(first, then):
    """Streamlit's page starts as <html lang="en">: an English session sends no script until it switches."""
    script = {"en": HTML_LANG_EN, "km": HTML_LANG_KM}
    app = run_framed("policy", {"lang": first} if first != "en" else None)
    assert scripts(app) == ([] if first == "en" else [script[first]])
    app.run()
    assert_clean(app)
    assert scripts(app) == [], "the page's <html lang> is already set; the script is not sent again"
    app.query_params["lang"] = then
    app.run()
    assert_clean(app)
    assert scripts(app) == [script[then]]
    app.query_params["lang"] = first
    app.run()
    assert scripts(app) == [script[first]], "and back"


# ------------------------------------------------------------------ the server's own work per run


def test_the_server_does_no_housekeeping_after_every_run():
    """A forced full garbage collection after each run (Streamlit's default) took ~110 ms with warm caches and
    held every session; the source watcher rescans every imported module's path. tests/test_load_sessions.py
    measures the throughput (docs/deploy.md) and that memory still comes back."""
    import tomllib

    from tests.conftest import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False
    assert config["server"]["fileWatcherType"] == "none"
