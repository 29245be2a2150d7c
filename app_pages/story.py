"""Story: the key findings as slides, one chart each, previous / next, the slide number kept in the link.

The slide number is a plain number in the link (`?slide=3`) in every language, and the language switch keeps
`lang` beside it, so a presenter's link (`/story?slide=3&lang=km&present=1`) reopens the same slide in the
same language.
"""

from __future__ import annotations

import math

import streamlit as st

from components import views
from components.data import need
from components.frame import kpi, source_line
from components.i18n import current_lang, tr
from components.present import briefing_download
from core import story
from core.catalogue import data_dir_from_env
from core.explorer import escape_markdown
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


def go_to(number: int) -> None:
    """Button callback: the slide number lives in the link, so a copied address reopens this slide."""
    st.query_params[SLIDE_KEY] = str(number)


def current_slide() -> int:
    """The slide from the link; a bad or out-of-range value falls back to slide 1 with a quiet notice."""
    _ = tr()
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


def controls(number: int, where: str) -> None:
    with st.container(key="story-controls"):
        buttons(number, where)


def buttons(number: int, where: str) -> None:
    _ = tr()
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
        slide_menu(number, where)


def slide_menu(number: int, where: str) -> None:
    """Every slide by name (a click opens it; the link keeps the number) and the briefing pack's download."""
    _ = tr()
    lang = current_lang()
    with st.popover(_("story.page.menu"), icon=":material/list:", help=_("story.page.menu_help"),
                    width="stretch"):
        for index, spec in enumerate(story.SLIDES, start=1):
            st.button(f"{index}. {story.slide_label(spec.key, lang)}", key=f"story-goto-{where}-{index}",
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


def draw_chart(slide: story.Slide, *, present: bool, lang: str) -> None:
    """The slide's chart with its data one tab away (as in the chart frame of the analysis pages)."""
    _ = tr()
    figure = story.fit(slide.figure, chart_height(slide, lang)) if present else slide.figure
    chart_tab, table_tab = st.tabs([_("frame.tab_chart"), _("frame.tab_table")], key=f"story-tabs-{slide.key}")
    with chart_tab:
        st.plotly_chart(figure, key=f"story-chart-{slide.key}", config=PLOTLY_CONFIG, theme=None, alt=slide.alt)
    with table_tab:
        # The data's own column names, so the table reads like (and downloads as) the files in data/.
        st.dataframe(slide.table, hide_index=True, key=f"story-table-{slide.key}",
                     height=chart_height(slide, lang) if present else "auto")


def draw(slide: story.Slide, *, present: bool, lang: str) -> None:
    st.title(slide.title)
    st.caption(slide.subtitle)
    if slide.metrics:
        columns = st.columns(len(slide.metrics))
        for column, (label, value, caption) in zip(columns, slide.metrics, strict=True):
            with column:
                kpi(label, value, caption=caption)
    if slide.note:
        st.markdown(f"> {escape_markdown(slide.note)}")
    if slide.figure is not None:
        draw_chart(slide, present=present, lang=lang)
    if slide.points:
        columns = st.columns(3 if len(slide.points) > 4 else 2)
        for index, (title, text) in enumerate(slide.points):
            with columns[index % len(columns)], st.container(border=True):
                st.markdown(f"**{escape_markdown(title)}**  \n{escape_markdown(text)}")
    source_line(slide.source_ids)


def main() -> None:
    _ = tr()
    lang = current_lang()
    number = current_slide()
    spec = story.SLIDES[number - 1]
    controls(number, "top")
    loaded = need(*spec.needs)
    if loaded is None:
        return
    try:  # built once per data folder, slide and language
        slide = views.story_slide(str(data_dir_from_env()), number, lang)
    except (LookupError, KeyError, ValueError) as problem:
        st.title(_("story.page.failed_title", number=number, label=story.slide_label(spec.key, lang)))
        st.error(_("story.page.failed", problem=escape_markdown(str(problem))), icon=":material/report:")
        return
    if lang == "km":
        st.html(KHMER_CSS)
    with st.container(key="story-slide"):
        draw(slide, present=bool(st.session_state.get(PRESENT_KEY)), lang=lang)


main()
