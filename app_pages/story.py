"""Story: the key findings as slides, one chart each, previous / next, the slide number kept in the link.

The slide number is a plain number in the link (`?slide=3`) in every language, and the language switch keeps
`lang` beside it, so a presenter's link (`/story?slide=3&lang=km&present=1`) reopens the same slide in the
same language.
"""

from __future__ import annotations

import streamlit as st

from components import views_story as view
from components.data import show_data_error
from components.i18n import tr
from core import story
from core.catalogue import DataError, data_dir_from_env
from core.explorer import escape_markdown


def main() -> None:
    _ = tr()
    lang = _.lang
    number = view.current_slide(_)
    view.controls(number, "top", _)
    try:  # built once per data folder, slide, language and presentation mode
        shown = view.slide_view(str(data_dir_from_env()), number, lang, bool(st.session_state.get(view.PRESENT_KEY)))
    except DataError as error:
        show_data_error(error)
        return
    except (LookupError, KeyError, ValueError) as problem:
        st.title(_("story.page.failed_title", number=number, label=story.slide_label(story.SLIDES[number - 1].key,
                                                                                      lang)))
        st.error(_("story.page.failed", problem=escape_markdown(str(problem))), icon=":material/report:")
        return
    if lang == "km":
        view.khmer_style()
    with st.container(key="story-slide"):
        view.draw(shown, _)


main()
