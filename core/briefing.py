"""The briefing pack: one self-contained HTML file with the story's charts, numbers, takeaways and sources.

Plotly is bundled inline once (no CDN), no external font or image is referenced, so the file opens offline and
can be emailed. In Khmer the self-hosted Noto Sans Khmer faces (static/fonts, SIL OFL) are embedded in the file
as data, so the Khmer script renders the same on a machine without a Khmer font.
`python -m core.briefing --out briefing.html [--lang km]` writes it from the data folder.
"""

from __future__ import annotations

import argparse
import base64
import html
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.io as pio

from core import story
from core.catalogue import Catalogue, format_citation, select_sources, short_label
from core.i18n import LANGS, Translator, translator
from core.site import BOUNDARY_ATTRIBUTION
from core.theme import INK, PLOTLY_CONFIG

LANGUAGES = LANGS
CHART_HEIGHT = 460
FONTS_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
# The faces embedded in a Khmer briefing: (file, CSS font-weight). Noto Sans Khmer covers the Khmer script only, so
# Latin text keeps the stack's other faces; unicode-range says so to the browser.
KHMER_FACES = (("NotoSansKhmer-Regular.ttf", 400), ("NotoSansKhmer-Bold.ttf", 700))
KHMER_RANGE = "U+1780-17FF, U+19E0-19FF, U+200B-200D, U+25CC"

STYLE = f"""
body {{ font-family: 'Noto Sans', 'Noto Sans Khmer', 'Segoe UI', Arial, sans-serif; color: {INK}; margin: 0;
  line-height: 1.45; background: #f6f7f9; }}
main {{ max-width: 1100px; margin: 0 auto; padding: 1.5rem 1.5rem 3rem; background: white; }}
h1 {{ font-size: 1.9rem; margin-bottom: 0.2rem; }}
h2 {{ font-size: 1.3rem; margin: 2.2rem 0 0.3rem; border-top: 1px solid #ddd; padding-top: 1.2rem; }}
.lead, .subtitle, .source {{ color: #4a4f57; }}
.subtitle {{ font-size: 0.95rem; margin: 0 0 0.6rem; }}
.source {{ font-size: 0.85rem; margin-top: 0.4rem; }}
.metrics {{ display: flex; gap: 1rem; flex-wrap: wrap; }}
.metric {{ border: 1px solid #ddd; border-radius: 0.5rem; padding: 0.7rem 1rem; flex: 1 1 14rem; }}
.metric .value {{ font-size: 2rem; font-weight: 700; }}
.metric .label {{ font-size: 0.9rem; }}
.metric .caption {{ font-size: 0.8rem; color: #4a4f57; }}
.cards {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 0.8rem; }}
.card {{ border: 1px solid #ddd; border-radius: 0.5rem; padding: 0.7rem 1rem; }}
.card strong {{ display: block; margin-bottom: 0.2rem; }}
blockquote {{ margin: 0.8rem 0; padding-left: 1rem; border-left: 3px solid #0072B2; color: #4a4f57; }}
ol.sources li {{ margin-bottom: 0.4rem; font-size: 0.9rem; }}
footer {{ margin-top: 2rem; font-size: 0.8rem; color: #4a4f57; }}
html[lang="km"] body {{ line-height: 1.6; }}
@media print {{ body {{ background: white; }} h2 {{ break-before: page; }} }}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def check_lang(lang: str) -> str:
    """'en' or 'km'; any other language raises ValueError (the catalogue has no texts for it)."""
    if lang not in LANGUAGES:
        raise ValueError(f"briefing language {lang!r} is not available; choose one of {', '.join(LANGUAGES)}")
    return lang


def font_faces(lang: str) -> str:
    """@font-face rules with the Khmer faces as base64 data (nothing fetched); empty for English."""
    if lang != "km":
        return ""
    rules = []
    for name, weight in KHMER_FACES:
        data = base64.b64encode((FONTS_DIR / name).read_bytes()).decode("ascii")
        rules.append(f"@font-face {{ font-family: 'Noto Sans Khmer'; font-style: normal; font-weight: {weight}; "
                     f"font-display: block; unicode-range: {KHMER_RANGE}; "
                     f"src: url(data:font/ttf;base64,{data}) format('truetype'); }}")
    return "\n".join(rules) + "\n"


# Plotly measures its labels when it draws; once the embedded faces have loaded the charts are laid out again, so
# that Khmer labels are measured in the face they are shown in.
RELAYOUT_AFTER_FONTS = """<script>
document.fonts && document.fonts.ready.then(function () {
  document.querySelectorAll('.js-plotly-plot').forEach(function (chart) { Plotly.Plots.resize(chart); });
});
</script>"""


def _source_names(ids: tuple[str, ...], sources: pd.DataFrame, _: Translator) -> str:
    cited = select_sources(sources, ids)
    if cited.empty:
        return _("briefing.none_recorded")
    return "; ".join(short_label(row) for _row, row in cited.iterrows())


def _chart(slide: story.Slide, first: bool) -> str:
    figure = story.fit(slide.figure, CHART_HEIGHT)
    return pio.to_html(figure, full_html=False, include_plotlyjs=bool(first),
                       include_mathjax=False, config=PLOTLY_CONFIG, div_id=f"chart-{slide.key}",
                       default_width="100%", default_height=f"{CHART_HEIGHT}px", validate=True)


def _section(slide: story.Slide, number: int, sources: pd.DataFrame, first_chart: bool, _: Translator) -> str:
    parts = [f'<section id="{_e(slide.key)}">', f"<h2>{number}. {_e(slide.title)}</h2>",
             f'<p class="subtitle">{_e(slide.subtitle)}</p>']
    if slide.metrics:
        parts.append('<div class="metrics">' + "".join(
            f'<div class="metric"><div class="label">{_e(label)}</div><div class="value">{_e(value)}</div>'
            f'<div class="caption">{_e(caption)}</div></div>' for label, value, caption in slide.metrics)
            + "</div>")
    if slide.note:
        parts.append(f"<blockquote>{_e(slide.note)}</blockquote>")
    if slide.figure is not None:
        parts.append(f'<figure role="group" aria-label="{_e(slide.alt)}">{_chart(slide, first_chart)}</figure>')
    if slide.points:
        parts.append('<div class="cards">' + "".join(
            f'<div class="card"><strong>{_e(title)}</strong>{_e(text)}</div>' for title, text in slide.points)
            + "</div>")
    names = _source_names(slide.source_ids, sources, _)
    line = _("briefing.source_one" if len(slide.source_ids) == 1 else "briefing.source_many", names=names)
    parts.append(f'<p class="source">{_e(line)}</p></section>')
    return "\n".join(parts)


def build_briefing(tables: Mapping[str, pd.DataFrame], *, lang: str = "en", today: date | None = None) -> str:
    """The whole briefing as one HTML string in English or Khmer (raises ValueError for another language)."""
    check_lang(lang)
    _ = translator(lang)
    sources = tables["sources"]
    slides = story.build_all(tables, lang=lang)
    sections = []
    first_chart = True
    for number, slide in enumerate(slides, start=1):
        sections.append(_section(slide, number, sources, first_chart, _))
        first_chart = first_chart and slide.figure is None
    cited: list[str] = []
    for slide in slides:
        cited += [s for s in slide.source_ids if s not in cited]
    rows = select_sources(sources, cited)
    source_items = "\n".join(
        f"<li>{_e(format_citation(row))}"
        + (f' <a href="{_e(row["url"])}">{_e(row["url"])}</a>' if row.get("url") else "") + "</li>"
        for _index, row in rows.iterrows())
    day = today or date.today()
    built = day.isoformat() if lang == "en" else _.date(day.year, day.month, day.day)
    title = _e(_("briefing.title"))
    after = f"\n{RELAYOUT_AFTER_FONTS}" if lang == "km" else ""
    return f"""<!doctype html>
<html lang="{_e(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{font_faces(lang)}{STYLE}</style>
</head>
<body>
<main>
<h1>{title}</h1>
<p class="lead">{_e(_("briefing.lead", count=len(slides), built=built))}</p>
{chr(10).join(sections)}
<section id="sources"><h2>{_e(_("briefing.sources_heading"))}</h2>
<ol class="sources">
{source_items}
</ol></section>
<footer>{_e(_("site.licence_note"))} {_e(BOUNDARY_ATTRIBUTION)}</footer>
</main>{after}
</body>
</html>
"""


def build_from_folder(data_dir: str | Path | None = None, *, lang: str = "en") -> str:
    catalogue = Catalogue(data_dir)
    names = dict.fromkeys((*story.TABLES_NEEDED, "sources"))
    return build_briefing({name: catalogue.load(name) for name in names}, lang=lang)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the one-file briefing pack (HTML, works offline).")
    parser.add_argument("--out", default="briefing.html", help="output file (default: briefing.html)")
    parser.add_argument("--lang", default="en", choices=LANGUAGES, help="language: en (English) or km (Khmer)")
    parser.add_argument("--data-dir", default=None, help="data folder (default: KHWASTE_DATA_DIR or data/)")
    args = parser.parse_args(argv)
    text = build_from_folder(args.data_dir, lang=args.lang)
    out = Path(args.out)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
