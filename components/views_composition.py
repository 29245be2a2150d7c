"""The Composition page's views: cached builders of its figures, tables and texts, and the functions that draw
them (app_pages/composition.py calls them).

The drawing code lives in this module rather than in the page file: a page file is compiled anew on every rerun
and a cached function defined there is re-created each time. What the page draws depends only on the data folder,
the selection and the language (and the spread chart's material), so it is built once per combination and shared
read-only (cache_resource): callers must not mutate it. The builders load their tables themselves (a DataError
is raised, never cached).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data import load, show_data_error
from components.filters import unrecognised_link_values
from components.frame import chart_frame, kpi
from components.i18n import url_control
from core import composition_figures as cfig
from core import sectors
from core.catalogue import DataError, short_label, split_ids
from core.composition_figures import fmt
from core.i18n import Translator, printed_ends, translator, year_range
from core.sectors import DATA_VALUE, OTHER_MATERIALS, Selection, apply

APPLIES = ("material", "wsource", "geo", "conf", "years")
SET_FILTERS = ("wsource", "geo", "conf", "years")  # the material filter picks segments, not whole breakdowns
SPREAD_KEY = "comp_spread"
SPREAD_DEFAULT = "organic"
SPREAD_MIN_SETS = 3


# ------------------------------------------------------------------ helpers

def source_labels(sources: pd.DataFrame, lang: str = "en") -> dict[str, str]:
    _ = translator(lang)
    labels = {}
    for _index, row in sources.iterrows():
        label = short_label(row)
        labels[row["id"]] = _("composition.untitled") if label.startswith("Unknown") else label
    return labels


def chosen_materials(selection: Selection) -> set[str]:
    """Material codes of the data that the material filter keeps ('other' covers the minor materials)."""
    picked = set(selection.values.get("material") or ())
    if not picked:
        return set(cfig.MATERIAL_ORDER)
    wanted = {DATA_VALUE.get("material", {}).get(v, v) for v in picked}
    return wanted | (OTHER_MATERIALS if "other" in wanted else set())


def empty_state(what: str, selection: Selection, _: Translator, applies: tuple[str, ...] = APPLIES) -> None:
    """`what` is a key of composition.empty.*: the things no row is left of."""
    st.info(_("composition.empty_state", what=_(f"composition.empty.{what}"),
              selection=selection.describe(applies, _)), icon=":material/filter_alt_off:")


def spread_notice(options: list[str], _: Translator) -> None:
    bad = [shown for _key, shown in unrecognised_link_values({SPREAD_KEY: options})]
    if bad:
        st.caption(_("composition.link_notice", values=f"{SPREAD_KEY}={', '.join(bad)}"))


def materials_key(selection: Selection) -> str:
    """chosen_materials as a cache key: the codes, sorted and comma-separated."""
    return ",".join(sorted(chosen_materials(selection)))


selection_key = sectors.selection_key
from_key = sectors.selection_from_key


def cited(cells) -> tuple[str, ...]:
    """The source ids of these cells, each once, in order ('a;b' cites two): what source_line would compute from
    the cells, done once in the cached builder rather than on every rerun."""
    return tuple(dict.fromkeys(source for cell in cells for source in split_ids(str(cell))))


# ------------------------------------------------------------------ cached work (data folder + selection only)
# What the page draws depends only on the data folder, the selection and the language (and the spread chart's
# material), so it is built once per combination and shared read-only (cache_resource): nothing may mutate it.
# The builders load their tables themselves (a DataError is raised, never cached).

def build_model(data_dir: str, set_key: str, materials: str, lang: str = "en") -> dict:
    """`materials`: the material codes the material filter keeps, comma-separated (materials_key)."""
    shown = tuple(materials.split(","))
    rows = cfig.tidy(apply(load("composition"), from_key(set_key), SET_FILTERS), source_labels(load("sources"), lang),
                     lang=lang)
    if rows.empty:
        return {"empty": True}
    visible = rows[rows["material"].isin(shown)]
    return {"empty": False,
            "kpis": kpi_specs(visible, cfig.set_summary(rows[rows["set_id"].isin(visible["set_id"])]), lang),
            "comparison": comparison_frame(rows, set(shown), lang),
            "plastic": plastic_frame(rows, set(shown), lang),
            "spread": spread_frames(visible, set(shown), lang)}


@st.cache_resource(show_spinner=False, max_entries=64)
def model(data_dir: str, set_key: str, materials: str, lang: str) -> dict:
    return build_model(data_dir, set_key, materials, lang)


@st.cache_resource(show_spinner=False, max_entries=64)
def sources_model(data_dir: str, key: str, lang: str) -> dict | None:
    return source_frame(load("estimates"), from_key(key), lang)


# ------------------------------------------------------------------ views

def _range(values: pd.Series, lang: str) -> str:
    """'50–80%', or the one value ('60%') when both ends print the same (core.i18n.printed_ends)."""
    kind, low, high = printed_ends(values, lambda v: fmt(v, ".3g", lang))
    return f"{low}–{high}%" if kind == "range" else f"{low}%"


def kpi_specs(rows: pd.DataFrame, summary: pd.DataFrame, lang: str = "en") -> list[tuple[str, str, str]]:
    """(label, value, caption) of the three headline numbers."""
    _ = translator(lang)
    specs: list[tuple[str, str, str]] = []

    def kpi(label: str, value: str, *, caption: str) -> None:
        specs.append((label, value, caption))

    complete = int(summary["complete"].sum())
    kpi(_("composition.kpi.shown"), f"{len(summary)}",
        caption=_("composition.kpi.shown_caption", complete=complete, partial=len(summary) - complete))
    for material in ("organic", "plastic"):
        chosen = rows[(rows["material"] == material)]
        ends = pd.concat([chosen["share_pct"], chosen["share_low"], chosen["share_high"]]).dropna()
        if ends.empty:
            kpi(_(f"composition.kpi.{material}"), _("composition.share.no_figure"),
                caption=_(f"composition.kpi.{material}_none"))
        else:
            count = chosen.loc[chosen[["share_pct", "share_low", "share_high"]].notna().any(axis=1), "set_id"].nunique()
            if printed_ends(ends, lambda v: fmt(v, ".3g", lang))[0] != "range":
                caption = (_("composition.kpi.same_caption", count=count) if count > 1
                           else _("composition.kpi.same_caption_one"))
            else:
                caption = (_("composition.kpi.range_caption", count=count) if count > 1
                           else _("composition.kpi.range_caption_one"))
            kpi(_(f"composition.kpi.{material}_all"), _range(ends, lang), caption=caption)
    return specs


def kpi_row(specs: list[tuple[str, str, str]]) -> None:
    for col, (label, value, caption) in zip(st.columns(3), specs, strict=True):
        with col:
            kpi(label, value, caption=caption)


def comparison_frame(rows: pd.DataFrame, shown: set[str], lang: str = "en") -> dict | None:
    """The chart_frame arguments of the comparison chart (None when no set reports a chosen material)."""
    _ = translator(lang)
    segments = cfig.stacked_segments(rows, shown, lang=lang)
    if segments[segments["kind"].isin(["share", "range"])].empty:
        return None
    keep = segments.loc[segments["kind"].isin(["share", "range"]), "set_id"].unique()
    segments = segments[segments["set_id"].isin(keep)]
    summary = cfig.set_summary(rows)
    summary = summary[summary["set_id"].isin(keep)]
    table = rows[rows["set_id"].isin(keep)][
        ["set_id", "set_label", "group", "geography", "waste_source", "period", "material", "material_label",
         "share_pct", "share_low", "share_high", "published", "set_complete", "confidence", "source_id", "quote",
         "note"]]
    complete = int(summary["complete"].sum())
    partial = len(summary) - complete
    years = summary["year"].dropna()
    span = year_range(int(years.min()), int(years.max())) if not years.empty else _("composition.years_not_stated")
    if not years.empty and len(years) < len(summary):  # "(some undated)" only when some are, and not all
        span = _("composition.sets.span_undated", span=span)
    # The bars' order in words, for the counts shown: no "then 1 partial ones" or "Complete breakdowns first" when
    # none is complete.
    order = (_("composition.sets.order", partial=partial) if complete and partial > 1
             else _("composition.sets.order_one_partial") if complete and partial == 1
             else _("composition.sets.order_complete") if complete
             else _("composition.sets.order_partial", partial=partial) if partial > 1
             else _("composition.sets.order_partial_one"))
    return dict(
        key="comp-sets",
        title=(_("composition.sets.title_partial", complete=complete, total=len(summary))
               if complete < len(summary) else _("composition.sets.title")),
        subtitle=_("composition.sets.subtitle", span=span, order=order),
        figure=cfig.composition_bars(segments, lang=lang),
        table=table,
        source_ids=cited(summary["source_id"]),
        alt=_("composition.sets.alt", total=len(summary), complete=complete, partial=partial),
        reading=_("composition.sets.reading"),
        method=_("composition.sets.method"),
    )


def comparison_view(frame: dict | None, selection: Selection, _: Translator) -> None:
    if frame is None:
        empty_state("reporting", selection, _)
        return
    chart_frame(**frame)


def plastic_frame(rows: pd.DataFrame, shown: set[str], lang: str = "en") -> dict | str:
    """The chart_frame arguments of the plastic chart, or why it is not drawn ('hidden' or 'empty')."""
    _ = translator(lang)
    if "plastic" not in shown:
        return "hidden"
    plastic = rows[rows["material"] == "plastic"]
    if plastic.empty:
        return "empty"
    dated = plastic[plastic["year"].notna()]
    undated = plastic[plastic["year"].isna()]
    capital = dated[dated["group"] == "Phnom Penh"].sort_values("year")
    capital = capital[capital["share_pct"].notna()]
    national = dated[dated["group"] == "National"]
    parts = []
    if len(capital) >= 2:
        first, last = capital.iloc[0], capital.iloc[-1]
        parts.append(_("composition.plastic.title_capital", first=first["published"], first_year=int(first["year"]),
                       last=last["published"], last_year=int(last["year"])))
    if not national.empty:
        ends = pd.concat([national["share_pct"], national["share_low"], national["share_high"]]).dropna()
        share = _range(ends, lang)
        parts.append(_("composition.plastic.title_national", year=int(national["year"].min()), share=share))
    title = (_("composition.plastic.title_both", capital=parts[0], national=parts[1]) if len(parts) == 2
             else parts[0] if parts else _("composition.plastic.title"))
    undated_text = "; ".join(f"{r['published']} ({r['set_label']})" for _index, r in undated.iterrows())
    return dict(
        key="comp-plastic",
        title=title,
        subtitle=(_("composition.plastic.subtitle")
                  + (" " + _("composition.plastic.undated", items=undated_text) if undated_text else "")),
        figure=cfig.share_over_time(plastic, material_label=cfig.material_name("plastic", lang=lang), lang=lang),
        table=plastic[["set_label", "group", "period", "published", "share_pct", "share_low", "share_high",
                       "material_label", "confidence", "source_id", "quote"]],
        source_ids=cited(plastic["source_id"]),
        alt=_("composition.plastic.alt", count=len(dated)),
        reading=_("composition.plastic.reading"),
        method=_("composition.plastic.method"),
    )


def plastic_view(frame: dict | str, selection: Selection, _: Translator) -> None:
    if frame == "hidden":
        st.info(_("composition.plastic.hidden"), icon=":material/filter_alt_off:")
        return
    if frame == "empty":
        empty_state("plastic", selection, _)
        return
    chart_frame(**frame)


def spread_frames(rows: pd.DataFrame, shown: set[str], lang: str = "en") -> dict[str, dict]:
    """The chart_frame arguments of the spread chart for each material it can show, in the control's order."""
    # Only materials that at least three breakdowns report can disagree in a way worth a chart.
    counts = rows.groupby("material")["set_id"].nunique()
    options = [m for m in cfig.MATERIAL_ORDER if m in shown and counts.get(m, 0) >= SPREAD_MIN_SETS]
    return {material: spread_frame(rows, material, lang) for material in options}


def spread_frame(rows: pd.DataFrame, material: str, lang: str = "en") -> dict:
    _ = translator(lang)
    label = cfig.material_name(material, lang=lang)
    chosen = rows[rows["material"] == material]
    widest = None
    for name, group in chosen.groupby("group"):
        ends = pd.concat([group["share_pct"], group["share_low"], group["share_high"]]).dropna()
        if len(group) > 1 and (widest is None or ends.max() - ends.min() > widest[1]):
            widest = (name, ends.max() - ends.min(), ends.min(), ends.max(), len(group))
    if widest and fmt(widest[2], ".3g", lang) == fmt(widest[3], ".3g", lang):
        widest = None  # every group publishes one value: no disagreement to name
    title = (_("composition.spread.title", group=cfig.group_name(widest[0], lang=lang), count=widest[4],
               material=label.lower(), low=fmt(widest[2], ".3g", lang), high=fmt(widest[3], ".3g", lang))
             if widest else _("composition.spread.title_plain", material=label))
    return dict(
        key="comp-spread",
        title=title,
        subtitle=_("composition.spread.subtitle", material=label),
        figure=cfig.share_spread(chosen, material_label=label, lang=lang),
        table=chosen[["group", "set_label", "period", "published", "share_pct", "share_low", "share_high",
                      "confidence", "source_id", "quote", "note"]],
        source_ids=cited(chosen["source_id"]),
        alt=_("composition.spread.alt", material=label.lower()),
        reading=_("composition.spread.reading"),
        method=_("composition.spread.method"),
    )


def spread_view(frames: dict[str, dict], _: Translator) -> None:
    options = list(frames)
    if not options:
        st.info(_("composition.spread.none"), icon=":material/filter_alt_off:")
        return
    spread_notice(options, _)
    default = SPREAD_DEFAULT if SPREAD_DEFAULT in options else options[0]
    lang = _.lang
    material = url_control(st.segmented_control, _("composition.spread.control"), key=SPREAD_KEY,
                           options=options, default=default,
                           format_func=lambda code: cfig.material_name(code, lang=lang),
                           required=True) or default
    chart_frame(**frames[material])


def source_frame(estimates: pd.DataFrame, selection: Selection, lang: str = "en") -> dict | None:
    _ = translator(lang)
    rows = apply(cfig.source_share_rows(estimates, lang=lang), selection, APPLIES)
    if rows.empty:
        return None
    total = rows["value"].sum()
    code = rows["geo_code"].iloc[0]
    place = rows["geography"].iloc[0].split(" (")[0]
    if lang != "en" and _.label("place", code) != str(code):
        place = _.label("place", code)
    top = rows.iloc[0]
    share = (_("composition.qualifier.nearly", value=fmt(top["value"], ".3g", lang) + "%")
             if top["qualifier"] == "nearly" else fmt(top["value"], ".3g", lang) + "%")
    total_text = fmt(total, ".4g", lang) + "%"
    return dict(
        key="comp-wsource",
        title=(_("composition.sources.title", share=share, place=place)
               if top["waste_source"] == "households" else _("composition.sources.title_plain", place=place)),
        subtitle=_("composition.sources.subtitle", place=place, total=total_text),
        figure=cfig.source_share_bars(rows, lang=lang),
        table=rows[["id", "label", "waste_source", "geography", "period", "value", "qualifier", "unit",
                    "confidence", "source_id", "quote", "note"]],
        source_ids=cited(rows["source_id"]),
        alt=_("composition.sources.alt", count=len(rows), place=place),
        reading=_("composition.sources.reading"),
        method=(_("composition.sources.method_sum", total=total_text) if abs(total - 100) > 0.5
                else _("composition.sources.method")),
    )


def source_view(data_dir: str, selection: Selection, _: Translator) -> None:
    try:  # it loads the estimates: a broken file is shown as a data error, never cached
        frame = sources_model(data_dir, selection_key(selection, APPLIES), _.lang)
    except DataError as error:
        show_data_error(error)
        return
    if frame is None:
        empty_state("sources", selection, _)
        return
    chart_frame(**frame)
