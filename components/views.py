"""Cached builders of page content that depends only on the data folder (DESIGN.md section 6).

They live in a module, not in the page files: a page file runs anew on every rerun, so a cached function
defined there is re-created (and its source re-hashed) each time. Each builder takes the data folder string,
loads its tables with components.data.load (a DataError is raised, never cached) and returns plain arguments
and figures that the page draws. Builders of text also take the language (`lang`), so that each language is
cached on its own. The results are shared resources: callers must not mutate them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data import load
from core import evidence, figures
from core.catalogue import format_citation, short_label
from core.i18n import translator

# ------------------------------------------------------------------ overview


def source_labels(sources: pd.DataFrame) -> dict[str, str]:
    """Short legend labels ('Pheakdey et al. 2022'); two sources with one label get a title cue."""
    labels = {row["id"]: short_label(row) for _, row in sources.iterrows()}
    counts = pd.Series(list(labels.values())).value_counts()
    titles = sources.set_index("id")["title"]
    for source, label in labels.items():
        if counts[label] > 1:
            labels[source] = f"{label}: {' '.join(str(titles[source]).split()[:4])}…"
    return labels


def _first_label(by_id: pd.DataFrame, cell: str) -> str:
    return short_label(by_id.loc[cell.split(";")[0]])


@st.cache_resource(show_spinner=False, max_entries=8)
def overview_headline(data_dir: str, lang: str = "en") -> tuple[list[dict], str]:
    """The four headline cards (kpi arguments) and the quote line; built once per data folder and language."""
    _ = translator(lang)
    estimates, sources = load("estimates"), load("sources")
    headline = evidence.headline_total(estimates)
    by_id = sources.set_index("id", drop=False)
    source = by_id.loc[headline.source_id]
    cite = short_label(source)
    growth = evidence.growth_for(estimates, headline)
    totals = evidence.national_totals(estimates)
    low, high = evidence.spread(totals)
    recycling = evidence.national_recycling_rate(estimates)
    # Khmer's unit word (លានតោន) does not fit a card beside the number: there the unit goes into the label.
    unit_in_label = lang != "en" and headline.value_t >= 1e6
    cards = [dict(label=(_("overview.kpi_generated_in_mt", year=headline.year) if unit_in_label
                         else _("overview.kpi_generated", year=headline.year)),
                  value=(_.num(headline.value_t / 1e6, 2) if unit_in_label
                         else evidence.format_tonnes(headline.value_t, lang=lang)),
                  caption=_("overview.kpi_generated_caption", cite=cite), help=evidence.headline_rule(lang=lang))]
    if growth is None:
        cards.append(dict(label=_("overview.kpi_change_previous"), value=_("overview.kpi_no_figure"),
                          caption=_("overview.kpi_change_none")))
    else:
        cards.append(dict(label=_("overview.kpi_change", year=headline.year - 1),
                          value=_.pct(growth["value"], 1, signed=True),
                          caption=_("overview.kpi_change_caption", cite=cite)))
    low_mt, high_mt = _.num(low["value_t"] / 1e6, 2), _.num(high["value_t"] / 1e6, 2)
    cards.append(dict(
        label=_("overview.kpi_totals") if lang == "en" else _("overview.kpi_totals_in_mt"),
        value=(_("overview.kpi_totals_value", low=low_mt, high=high_mt) if lang == "en"
               else f"{low_mt}–{high_mt}"),
        caption=_("overview.kpi_totals_caption", low=_first_label(by_id, low["source_id"]),
                  high=_first_label(by_id, high["source_id"]))))
    if recycling is None:
        cards.append(dict(label=_("overview.kpi_recycled_none_label"), value=_("overview.kpi_no_figure"),
                          caption=_("overview.kpi_recycled_none")))
    else:
        cards.append(dict(label=_("overview.kpi_recycled", period=recycling["period"]),
                          value=_.pct(recycling["value"]),
                          caption=_("overview.kpi_recycled_caption",
                                    source=_first_label(by_id, recycling["source_id"]),
                                    confidence=figures.word(lang, "confidence", recycling["confidence"]))))
    return cards, f"“{headline.quote}” — {format_citation(source)}"


@st.cache_resource(show_spinner=False, max_entries=8)
def overview_spread(data_dir: str, lang: str = "en") -> dict:
    """The chart_frame arguments of the spread chart (figure included); built once per data folder and language."""
    _ = translator(lang)
    estimates, sources = load("estimates"), load("sources")
    totals = evidence.national_totals(estimates)
    headline = evidence.headline_total(estimates)
    low, high = evidence.spread(totals)
    dated = totals[totals["year"].notna()]
    undated = totals[totals["year"].isna()]
    undated_text = "; ".join(f"{evidence.format_tonnes(v, lang=lang)} ({s})" for v, s in
                             zip(undated["value_t"], undated["source_id"], strict=True) if not pd.isna(v))
    years = f"{int(dated['year'].min())}–{int(dated['year'].max())}"
    figure = figures.estimate_spread(totals, source_labels(sources), headline_id=headline.row_id, lang=lang)
    table = totals[["period", "value", "value_low", "value_high", "unit", "value_t", "derived", "scope",
                    "confidence", "source_id", "quote", "note"]].rename(columns={"value_t": "tonnes_per_year"})
    low_mt, high_mt = _.num(low["value_t"] / 1e6, 2), _.num(high["value_t"] / 1e6, 2)
    return dict(
        key="national-spread",
        title=_("overview.spread_title", low=low_mt, high=high_mt),
        subtitle=_("overview.spread_subtitle", years=years, count=_.num(len(totals)),
                   sources=_.num(totals["source_id"].nunique()))
        + (_("overview.spread_undated", items=undated_text) if undated_text else _("overview.full_stop")),
        figure=figure,
        table=table,
        source_ids=totals["source_id"],
        alt=_("overview.spread_alt", count=_.num(len(dated)), years=years, low=low_mt, high=high_mt,
              year=headline.year, value=_.num(headline.value_t / 1e6, 2)),
        reading=_("overview.spread_reading"),
        method=_("overview.spread_method") + " " + evidence.headline_rule(lang=lang),
    )


def place_label(lang: str, code: object) -> str:
    """Where a per-capita figure was measured, in words (overview.place.<geo_level>); other levels as the data
    spell them."""
    _ = translator(lang)
    return _(f"overview.place.{code}") if _.has(f"overview.place.{code}") else str(code)


@st.cache_resource(show_spinner=False, max_entries=8)
def overview_per_capita(data_dir: str, lang: str = "en") -> dict | None:
    """The chart_frame arguments of the per-capita chart, or None when no figure is recorded."""
    _ = translator(lang)
    estimates, sources = load("estimates"), load("sources")
    rows = estimates[(estimates["indicator"] == evidence.PER_CAPITA_INDICATOR)
                     & (estimates["unit"] == "kg/cap/day")].copy()
    if rows.empty:
        return None
    labels = source_labels(sources)
    year = rows["year_end"].map(lambda y: _("overview.year_not_stated") if pd.isna(y) else str(int(y)))
    kind = rows["scope"].map(lambda s: " " + _("overview.projection") if s == "projection" else "")
    # The place as the data name it; a national figure is "Cambodia" in the reader's language.
    place = rows["geography"] if lang == "en" else rows["geography"].where(rows["geo_level"] != "national",
                                                                          _("overview.cambodia"))
    rows["label"] = (place.str.slice(0, 34) + ", " + year + kind + " — "
                     + rows["source_id"].map(lambda s: labels.get(s.split(";")[0], s)))
    rows["place"] = rows["geo_level"].map(lambda code: place_label(lang, code))
    rows = rows.sort_values(["geo_level", "value"], ascending=[True, False])
    figure = figures.labelled_dots(rows, label="label", value="value", low="value_low", high="value_high",
                                   unit_title=_("overview.per_capita_unit"), colour_by="place", hover="quote",
                                   lang=lang)
    national = rows[rows["geo_level"] == "national"]
    return dict(
        key="per-capita",
        title=_("overview.per_capita_title"),
        subtitle=_("overview.per_capita_subtitle"),
        figure=figure,
        table=rows[["geography", "geo_level", "period", "value", "value_low", "value_high", "unit", "confidence",
                    "source_id", "quote"]],
        source_ids=rows["source_id"],
        alt=_("overview.per_capita_alt", count=_.num(len(rows)), low=_.num(national["value"].min()),
              high=_.num(national["value"].max())),
        reading=_("overview.per_capita_reading"),
    )


# ------------------------------------------------------------------ story


@st.cache_resource(show_spinner=False, max_entries=64)
def story_slide(data_dir: str, number: int, lang: str = "en"):
    """Slide `number` (1-based) of core.story.SLIDES in the language, built from the data; a LookupError, KeyError
    or ValueError of the builder propagates uncached, as does a DataError."""
    from core import story

    spec = story.SLIDES[number - 1]
    return spec.build({name: load(name) for name in spec.needs}, lang=lang)


# ------------------------------------------------------------------ workshop


@st.cache_resource(show_spinner=False, max_entries=8)
def source_short_labels(data_dir: str) -> dict[str, str]:
    """Every source's short label ('Pheakdey et al. 2022'), by id."""
    return {row["id"]: short_label(row) for _, row in load("sources").iterrows()}


@st.cache_resource(show_spinner=False, max_entries=8)
def workshop_sections(data_dir: str, lang: str = "en") -> dict[str, list[dict]]:
    """The workshop table's rows as records, by section, each section in its 'order'; in Khmer the `title` and
    `text` of each record are the table's `title_km` and `text_km` (the quote stays as the source worded it)."""
    workshop = evidence.in_language(load("workshop"), lang)
    return {str(name): group.sort_values("order").to_dict("records")
            for name, group in workshop.groupby("section")}
