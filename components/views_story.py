"""The Story page's views: the slide controls, the cached slide as drawn (its figure at the height presentation
mode leaves), and the functions that draw it (app_pages/story.py calls them).

The drawing code lives in this module rather than in the page file: a page file is compiled anew on every rerun
and a cached function defined there is re-created each time. The slide itself comes from components.views
(story_slide); slide_view adds what the page derives from it per presentation mode, once per (data folder,
slide, language, mode), so a rerun does not copy and resize the figure again. Results are shared read-only.
"""

from __future__ import annotations

import math
from functools import lru_cache

import plotly.graph_objects as go
import streamlit as st

from components import views
from components.frame import kpi, prepared_figure, prepared_table, source_line
from components.present import briefing_download
from core import story
from core.explorer import escape_markdown
from core.i18n import Translator
from core.theme import PLOTLY_CONFIG

SLIDE_KEY = "slide"
PRESENT_KEY = "present"  # components.present keeps the presentation mode in the session under this key
COUNT = len(story.SLIDES)
# Presentation mode at 1280x720: the chart gets the height that title, subtitle, tabs and source line leave on one
# screen. Their lines are estimated from the text's length; Khmer fits fewer characters on a line than English.
# Measured in Chromium with components.present's stylesheet: heading lines 36 px, caption lines 26 px, the
# header, tab bar and gaps 184 px, the "full citations" expander 37 px. tests/test_browser_story.py checks the fit.
SCREEN = 720
FIXED_PX, CAPTION_LINE_PX, EXPANDER_PX, SAFETY_PX = 184, 26, 37, 8
TITLE_LINE_PX = {"en": 36, "km": 43}  # Khmer titles get more line height (KHMER_CSS)
# Khmer stacks vowels and subscript consonants above and below the line: a title's second line needs more room
# than Latin's 1.25 (a constant stylesheet; only the slide's own container is styled).
KHMER_CSS = "<style>.st-key-story-slide h1 { line-height: 1.5 !important; }</style>"
TITLE_CHARS = {"en": 86, "km": 84}  # characters on one line of the slide title
CAPTION_CHARS = {"en": 180, "km": 160}  # characters on one line of the subtitle or source line
CHART_MIN, CHART_MAX = 260, story.SLIDE_HEIGHT


def khmer_style() -> None:
    """The slide title's Khmer line height (a constant stylesheet, no data or link text)."""
    st.html(KHMER_CSS)


def go_to(number: int) -> None:
    """Button callback: the slide number lives in the link, so a copied address reopens this slide."""
    st.query_params[SLIDE_KEY] = str(number)


def current_slide(_: Translator) -> int:
    """The slide from the link; a bad or out-of-range value falls back to slide 1 with a quiet notice."""
    raw = st.query_params.get(SLIDE_KEY)
    if raw is None:
        number = 1
    else:
        parsed = story.parse_slide(raw)
        if parsed is None:
            st.caption(_("story.page.bad_slide", value=escape_markdown(str(raw)[:12]), count=COUNT))
        number = parsed or 1
    if st.query_params.get(SLIDE_KEY) != str(number):
        st.query_params[SLIDE_KEY] = str(number)
    return number


def controls(number: int, where: str, _: Translator) -> None:
    with st.container(key="story-controls"):
        buttons(number, where, _)


def buttons(number: int, where: str, _: Translator) -> None:
    left, middle, right, menu = st.columns([1.2, 1.3, 1.1, 1.1], vertical_alignment="center")
    with left:
        st.button(_("story.page.previous"), key=f"story-prev-{where}", icon=":material/arrow_back:",
                  disabled=number == 1, on_click=go_to, args=(number - 1,), width="stretch")
    with middle:
        st.markdown(f"**{_('story.page.counter', number=number, count=COUNT)}**")
    with right:
        st.button(_("story.page.next"), key=f"story-next-{where}", icon=":material/arrow_forward:", type="primary",
                  disabled=number == COUNT, on_click=go_to, args=(number + 1,), width="stretch")
    with menu:
        slide_menu(number, where, _)


@lru_cache(maxsize=8)
def menu_labels(lang: str) -> tuple[str, ...]:
    """'1. Headline', '2. …': every slide's menu entry in the language (the catalogue is read once per process)."""
    return tuple(f"{index}. {story.slide_label(spec.key, lang)}" for index, spec in enumerate(story.SLIDES, start=1))


def slide_menu(number: int, where: str, _: Translator) -> None:
    """Every slide by name (a click opens it; the link keeps the number) and the briefing pack's download."""
    with st.popover(_("story.page.menu"), icon=":material/list:", help=_("story.page.menu_help"),
                    width="stretch"):
        for index, label in enumerate(menu_labels(_.lang), start=1):
            st.button(label, key=f"story-goto-{where}-{index}",
                      type="primary" if index == number else "tertiary", disabled=index == number,
                      on_click=go_to, args=(index,), width="stretch")
        st.divider()
        briefing_download(f"story-briefing-{where}")


def chart_height(slide: story.Slide, lang: str) -> int:
    """The chart's height in presentation mode: what the slide's title, subtitle and source line leave."""
    title_lines = math.ceil(len(slide.title) / TITLE_CHARS.get(lang, TITLE_CHARS["en"]))
    caption_chars = CAPTION_CHARS.get(lang, CAPTION_CHARS["en"])
    subtitle_lines = math.ceil(len(slide.subtitle) / caption_chars)
    sources = len(slide.source_ids)
    if sources > 3:  # short names on the line, the full citations in an expander (components.frame.source_line)
        source_px = CAPTION_LINE_PX * math.ceil((24 * sources + 90) / caption_chars) + EXPANDER_PX
    else:  # full citations, one to two lines each
        source_px = CAPTION_LINE_PX * math.ceil(1.5 * sources)
    title_px = TITLE_LINE_PX.get(lang, TITLE_LINE_PX["en"]) * title_lines
    used = FIXED_PX + title_px + CAPTION_LINE_PX * subtitle_lines + source_px + SAFETY_PX
    return max(CHART_MIN, min(CHART_MAX, SCREEN - used))


@st.cache_resource(show_spinner=False, max_entries=128)
def slide_view(data_dir: str, number: int, lang: str, present: bool) -> dict:
    """Slide `number` as the page draws it: the slide (components.views.story_slide), its figure (in presentation
    mode a copy at the height the slide's texts leave), its table's height and its quoted texts as Markdown.

    Built once per data folder, slide, language and mode; a DataError, LookupError, KeyError or ValueError of the
    slide's builder propagates uncached."""
    slide = views.story_slide(data_dir, number, lang)
    height = chart_height(slide, lang) if present else "auto"
    figure = story.fit(slide.figure, height) if present and slide.figure is not None else slide.figure
    return {"slide": slide, "figure": figure, "table_height": height,
            "note": f"> {escape_markdown(slide.note)}" if slide.note else "",
            "points": tuple(f"**{escape_markdown(title)}**  \n{escape_markdown(text)}" for title, text in slide.points)}


def draw_chart(slide: story.Slide, figure: go.Figure, table_height: int | str, _: Translator) -> None:
    """The slide's chart with its data one tab away (as in the chart frame of the analysis pages)."""
    chart_tab, table_tab = st.tabs([_("frame.tab_chart"), _("frame.tab_table")], key=f"story-tabs-{slide.key}")
    with chart_tab:
        st.plotly_chart(prepared_figure(figure), key=f"story-chart-{slide.key}", config=PLOTLY_CONFIG, theme=None,
                        alt=slide.alt)
    with table_tab:
        # The data's own column names, so the table reads like (and downloads as) the files in data/.
        st.dataframe(None if slide.table is None else prepared_table(slide.table), hide_index=True,
                     key=f"story-table-{slide.key}", height=table_height)


def draw(shown: dict, _: Translator) -> None:
    """The slide of slide_view: title, subtitle, numbers, quote, chart, points and source line."""
    slide = shown["slide"]
    st.title(slide.title)
    st.caption(slide.subtitle)
    if slide.metrics:
        columns = st.columns(len(slide.metrics))
        for column, (label, value, caption) in zip(columns, slide.metrics, strict=True):
            with column:
                kpi(label, value, caption=caption)
    if shown["note"]:
        st.markdown(shown["note"])
    if shown["figure"] is not None:
        draw_chart(slide, shown["figure"], shown["table_height"], _)
    if shown["points"]:
        columns = st.columns(3 if len(shown["points"]) > 4 else 2)
        for index, text in enumerate(shown["points"]):
            with columns[index % len(columns)], st.container(border=True):
                st.markdown(text)
    source_line(slide.source_ids)
