"""One look for every chart: a colour-blind-safe palette and the shared Plotly template."""

from __future__ import annotations

import plotly.graph_objects as go

from core.i18n import LANGS, plotly_separators

# Okabe-Ito: distinguishable under the common colour-vision deficiencies (Okabe & Ito 2008).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
# For charts with many series (one per source): Okabe-Ito followed by Paul Tol's "muted" scheme, both designed
# for colour-vision deficiencies; hover text and the table still name every source.
WIDE_PALETTE = PALETTE[:7] + ["#332288", "#117733", "#882255", "#44AA99", "#999933", "#AA4499", "#88CCEE",
                              "#DDCC77", "#CC6677", "#000000"]
GREY = "#6b6b6b"
INK = "#1f2328"
# Source Sans is Streamlit's own (bundled) face; Noto Sans Khmer is self-hosted (static/fonts, SIL OFL) and
# covers only Khmer script, so Latin text keeps Source Sans and Khmer renders the same on every machine.
FONT_FAMILY = "'Source Sans', 'Noto Sans Khmer', Arial, sans-serif"

# Scope decides the marker: what was generated is a filled circle, what was collected an open diamond,
# so the two quantities are never read as one series.
SCOPE_SYMBOLS = {"generated": "circle", "collected": "diamond-open", "disposed": "square-open",
                 "landfilled": "square-open", "projection": "x"}

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font=dict(family=FONT_FAMILY, size=14, color=INK),
        title=dict(font=dict(size=18)),
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=dict(l=10, r=10, t=30, b=10),
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=13)),
        legend=dict(orientation="h", yanchor="top", y=-0.18, xanchor="left", x=0, title_text=""),
        # automargin: long category labels and axis titles push the plot area instead of being cut off.
        # ticklabeloverflow="allow": with automargin no label overflows the chart, and Plotly's default for
        # numeric and date axes ("hide past div") measures every tick label once per label drawn (quadratic
        # getBBox calls; ~35 ms a chart in Chromium here), so the check is switched off.
        xaxis=dict(showgrid=False, linecolor=GREY, ticks="outside", tickcolor=GREY, zeroline=False,
                   automargin=True, title=dict(standoff=10), ticklabeloverflow="allow"),
        yaxis=dict(gridcolor="#e5e5e5", linecolor=GREY, zeroline=False, rangemode="tozero",
                   automargin=True, title=dict(standoff=10), ticklabeloverflow="allow"),
    )
)

# Numbers on axes and in hover text follow the language (CLDR): 1,234.5 in English, 1.234,5 in Khmer.
def _with_separators(lang: str) -> go.layout.Template:
    template = go.layout.Template(TEMPLATE)
    template.layout.separators = plotly_separators(lang)
    return template


TEMPLATES = {lang: _with_separators(lang) for lang in LANGS}


def template_for(lang: str) -> go.layout.Template:
    """The shared template with the language's decimal and thousands separators."""
    return TEMPLATES.get(lang, TEMPLATES["en"])


# Passed to every st.plotly_chart: PNG export at presentation resolution, no Plotly logo link.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    "toImageButtonOptions": {"format": "png", "width": 1600, "height": 900, "scale": 1,
                             "filename": "cambodia-waste-chart"},
}


def _luminance(hex_colour: str) -> float:
    """WCAG relative luminance of '#rrggbb'."""
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two '#rrggbb' colours (1 to 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable_ink(background: str) -> str:
    """Black or white, whichever reads better on `background` (text inside bars)."""
    return "#000000" if contrast(background, "#000000") >= contrast(background, "#ffffff") else "#ffffff"


def colour_for(index: int, *, wide: bool = False) -> str:
    """The palette colour for the n-th series, cycling (wide: up to 17 distinct colours)."""
    palette = WIDE_PALETTE if wide else PALETTE
    return palette[index % len(palette)]
