"""Story: the key findings as slides, one chart each, previous / next, the slide number kept in the link."""

from __future__ import annotations

import streamlit as st

from components import views
from components.data import need
from components.frame import kpi, source_line
from components.present import briefing_download
from core import story
from core.catalogue import data_dir_from_env
from core.explorer import escape_markdown
from core.theme import PLOTLY_CONFIG

SLIDE_KEY = "slide"
COUNT = len(story.SLIDES)


def go_to(number: int) -> None:
    """Button callback: the slide number lives in the link, so a copied address reopens this slide."""
    st.query_params[SLIDE_KEY] = str(number)


def current_slide() -> int:
    """The slide from the link; a bad or out-of-range value falls back to slide 1 with a quiet notice."""
    raw = st.query_params.get(SLIDE_KEY)
    if raw is None:
        number = 1
    else:
        parsed = story.parse_slide(raw)
        if parsed is None:
            st.caption(f"The link asked for slide '{escape_markdown(str(raw)[:12])}', which does not exist; "
                       f"showing slide 1 of {COUNT}.")
        number = parsed or 1
    if st.query_params.get(SLIDE_KEY) != str(number):
        st.query_params[SLIDE_KEY] = str(number)
    return number


def controls(number: int, where: str) -> None:
    with st.container(key="story-controls"):
        buttons(number, where)


def buttons(number: int, where: str) -> None:
    left, middle, right, rest = st.columns([1.2, 1.3, 1.1, 1.6], vertical_alignment="center")
    with left:
        st.button("Previous", key=f"story-prev-{where}", icon=":material/arrow_back:", disabled=number == 1,
                  on_click=go_to, args=(number - 1,), width="stretch")
    with middle:
        st.markdown(f"**Slide {number} of {COUNT}**")
    with right:
        st.button("Next", key=f"story-next-{where}", icon=":material/arrow_forward:", type="primary",
                  disabled=number == COUNT, on_click=go_to, args=(number + 1,), width="stretch")
    with rest:
        briefing_download(f"story-briefing-{where}", label="Briefing")


def draw(slide: story.Slide) -> None:
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
        st.plotly_chart(slide.figure, key=f"story-chart-{slide.key}", config=PLOTLY_CONFIG, theme=None,
                        alt=slide.alt)
    if slide.points:
        columns = st.columns(3 if len(slide.points) > 4 else 2)
        for index, (title, text) in enumerate(slide.points):
            with columns[index % len(columns)], st.container(border=True):
                st.markdown(f"**{escape_markdown(title)}**  \n{escape_markdown(text)}")
    source_line(slide.source_ids)


def main() -> None:
    number = current_slide()
    spec = story.SLIDES[number - 1]
    controls(number, "top")
    loaded = need(*spec.needs)
    if loaded is None:
        return
    try:
        slide = views.story_slide(str(data_dir_from_env()), number)  # built once per data folder and slide
    except (LookupError, KeyError, ValueError) as problem:
        st.title(f"Slide {number}: {spec.label}")
        st.error(f"**This slide cannot be drawn:** {escape_markdown(str(problem))}. The other slides keep "
                 "working.", icon=":material/report:")
        return
    draw(slide)


main()
