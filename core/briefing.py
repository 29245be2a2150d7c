"""The briefing pack: one self-contained HTML file with the story's charts, numbers, takeaways and sources.

Plotly is bundled inline once (no CDN), no external font or image is referenced, so the file opens offline and
can be emailed. `python -m core.briefing --out briefing.html` writes it from the data folder.
"""

from __future__ import annotations

import argparse
import html
from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.io as pio

from core import story
from core.catalogue import Catalogue, format_citation, select_sources, short_label
from core.site import APP_TITLE, BOUNDARY_ATTRIBUTION, DATA_LICENCE_NOTE
from core.theme import INK, PLOTLY_CONFIG

LANGUAGES = ("en",)
CHART_HEIGHT = 460

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
@media print {{ body {{ background: white; }} h2 {{ break-before: page; }} }}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def check_lang(lang: str) -> str:
    """Only English today; the translation work adds 'km' here and in the catalogue of strings."""
    if lang not in LANGUAGES:
        raise ValueError(f"briefing language {lang!r} is not available; choose one of {', '.join(LANGUAGES)}")
    return lang


def _source_names(ids: tuple[str, ...], sources: pd.DataFrame) -> str:
    cited = select_sources(sources, ids)
    if cited.empty:
        return "none recorded"
    return "; ".join(short_label(row) for _, row in cited.iterrows())


def _chart(slide: story.Slide, first: bool) -> str:
    figure = story.fit(slide.figure, CHART_HEIGHT)
    return pio.to_html(figure, full_html=False, include_plotlyjs=bool(first),
                       include_mathjax=False, config=PLOTLY_CONFIG, div_id=f"chart-{slide.key}",
                       default_width="100%", default_height=f"{CHART_HEIGHT}px", validate=True)


def _section(slide: story.Slide, number: int, sources: pd.DataFrame, first_chart: bool) -> str:
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
    label = "Source" if len(slide.source_ids) == 1 else "Sources"
    parts.append(f'<p class="source">{label}: {_e(_source_names(slide.source_ids, sources))} '
                 "(full citations at the end).</p></section>")
    return "\n".join(parts)


def build_briefing(tables: Mapping[str, pd.DataFrame], *, lang: str = "en", today: date | None = None) -> str:
    """The whole briefing as one HTML string (raises ValueError for a language not offered yet)."""
    check_lang(lang)
    sources = tables["sources"]
    slides = story.build_all(tables)
    sections = []
    first_chart = True
    for number, slide in enumerate(slides, start=1):
        sections.append(_section(slide, number, sources, first_chart))
        first_chart = first_chart and slide.figure is None
    cited: list[str] = []
    for slide in slides:
        cited += [s for s in slide.source_ids if s not in cited]
    rows = select_sources(sources, cited)
    source_items = "\n".join(
        f"<li>{_e(format_citation(row))}"
        + (f' <a href="{_e(row["url"])}">{_e(row["url"])}</a>' if row.get("url") else "") + "</li>"
        for _, row in rows.iterrows())
    built = (today or date.today()).isoformat()
    return f"""<!doctype html>
<html lang="{_e(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(APP_TITLE)}: briefing</title>
<style>{STYLE}</style>
</head>
<body>
<main>
<h1>{_e(APP_TITLE)}: briefing</h1>
<p class="lead">The key findings of the Cambodia waste dashboard in {len(slides)} steps: how much waste, how sure
we are, where it goes, what one scenario would change, and what the March 2025 national workshop asked for next.
Every number names its source; the charts are interactive (hover for details, the camera icon saves a PNG).
Built {built}.</p>
{chr(10).join(sections)}
<section id="sources"><h2>Sources</h2>
<ol class="sources">
{source_items}
</ol></section>
<footer>{_e(DATA_LICENCE_NOTE)} {_e(BOUNDARY_ATTRIBUTION)}</footer>
</main>
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
    parser.add_argument("--lang", default="en", choices=LANGUAGES, help="language (only 'en' today)")
    parser.add_argument("--data-dir", default=None, help="data folder (default: KHWASTE_DATA_DIR or data/)")
    args = parser.parse_args(argv)
    text = build_from_folder(args.data_dir, lang=args.lang)
    out = Path(args.out)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
