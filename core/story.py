"""The story: the dashboard's key findings as an ordered list of slides, each built from the data (no Streamlit).

Each slide has one chart (or a short list of points), a title that states the finding, and the ids of the
sources it rests on. The Story page draws them one at a time; core.briefing writes them all into one HTML file.
The figures come from the same builders the analysis pages use, so a slide and its page always agree.

Every builder takes `lang` ("en" or "km"): titles, subtitles, labels, alt text and numbers come from the
catalogue (locales/story.csv, keys `story.*`) and the figures from the builders in the same language. Tables keep
the data's own column names, so what a slide's Table tab shows matches data/.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from core import composition_figures as cfig
from core import evidence, figures, ghg
from core import flow_figures as ff
from core import scenario_figures as sfig
from core.catalogue import short_label, split_ids
from core.i18n import Translator, translator
from core.scenario import (
    BASELINE_SET,
    DEFAULT_SITE,
    DOSSIER_TO_MODEL,
    PRESET_COMPOST_PCT,
    PRESET_LANDFILL,
    SHARE_TOLERANCE,
    SITE_ROUTES,
    composition_sets,
    model_composition,
)
from core.theme import template_for

Tables = Mapping[str, pd.DataFrame]
SLIDE_HEIGHT = 430  # px: a chart, its title and its source line fit a 1280x720 screen share

# ------------------------------------------------------------------ the scenario preset
# The Scenario lab's preset, "compost half the organic waste and close open dumping", with the lab's default
# assumptions. The page file app_pages/scenario.py runs itself on import, so the pure pieces the preset needs
# are mirrored here; tests/test_story_page.py checks them against the page's own constants.


@dataclass(frozen=True)
class Slide:
    """One slide: the finding as a title, one figure or a few points, and its sources."""

    key: str
    label: str  # short name for a menu
    title: str
    subtitle: str
    source_ids: tuple[str, ...]
    figure: go.Figure | None = None
    alt: str = ""
    metrics: tuple[tuple[str, str, str], ...] = ()  # (label, value, caption)
    points: tuple[tuple[str, str], ...] = ()  # (title, text)
    note: str = ""
    table: pd.DataFrame | None = field(default=None, compare=False)


# ------------------------------------------------------------------ helpers

def source_labels(sources: pd.DataFrame) -> dict[str, str]:
    """Short legend labels ('Pheakdey et al. 2022'); two sources with one label get a title cue (as Overview)."""
    labels = {row["id"]: short_label(row) for _, row in sources.iterrows()}
    counts = pd.Series(list(labels.values()), dtype="object").value_counts()
    titles = sources.set_index("id")["title"]
    for source, label in labels.items():
        if counts[label] > 1:
            labels[source] = f"{label}: {' '.join(str(titles[source]).split()[:4])}…"
    return labels


def _ids(cells) -> tuple[str, ...]:
    out: list[str] = []
    for cell in cells:
        for source in split_ids(str(cell)):
            if source and source not in out:
                out.append(source)
    return tuple(out)


def fit(figure: go.Figure, height: int = SLIDE_HEIGHT) -> go.Figure:
    """The figure at slide height (a copy); the builders' own heights suit a scrolling page."""
    out = go.Figure(figure)
    out.update_layout(height=height)
    return out


def _mt(value_t: float, _: Translator) -> str:
    """Tonnes as million tonnes with two decimals, in the language's digits: 1.09 (en), 1,09 (km)."""
    return _.num(value_t / 1e6, 2)


def _sig(value: float, _: Translator, digits: int = 4) -> str:
    """A number to `digits` significant figures ('{:.4g}'), in the language's digits: 45.55 / 45,55."""
    text = f"{value:.{digits}g}"
    if "e" in text:
        return text
    return _.num(float(text), len(text.split(".")[1]) if "." in text else 0)


def _signed_pct(new: float, old: float, _: Translator) -> str:
    change = round((new - old) / old * 100) if old else 0
    return "0%" if change == 0 else _.pct(change, 0, signed=True).replace("-", "−")


def _listed(items: list[str], _: Translator) -> str:
    """'a, b and c' / 'a, b និង c'."""
    if len(items) < 2:
        return items[0] if items else ""
    return _("story.list_and", items=", ".join(items[:-1]), last=items[-1])


def slide_label(key: str, lang: str = "en") -> str:
    """A slide's short name for the menu ('Per person' / 'ក្នុងមនុស្សម្នាក់'), from its key."""
    _ = translator(lang)
    return _(f"story.label.{key.replace('-', '_')}")


# ------------------------------------------------------------------ slides

def headline_slide(t: Tables, *, lang: str = "en") -> Slide:
    _ = translator(lang)
    estimates, sources = t["estimates"], t["sources"]
    headline = evidence.headline_total(estimates)
    growth = evidence.growth_for(estimates, headline)
    low, high = evidence.spread(evidence.national_totals(estimates))
    by_id = sources.set_index("id", drop=False)
    cite = short_label(by_id.loc[headline.source_id]) if headline.source_id in by_id.index else headline.source_id
    value = evidence.format_tonnes(headline.value_t, lang=lang)
    if growth is None:
        title = _("story.headline.title", value=value, year=headline.year)
    else:
        title = _("story.headline.title_more" if growth["value"] >= 0 else "story.headline.title_less",
                  value=value, year=headline.year, change=_.pct(abs(growth["value"]), 1),
                  previous=headline.year - 1)
    metrics = [(_("story.headline.metric_generated", year=headline.year), value,
                _("story.headline.metric_generated_caption", cite=cite))]
    if growth is not None:
        metrics.append((_("story.headline.metric_change", year=headline.year - 1),
                        _.pct(growth["value"], 1, signed=True),
                        _("story.headline.metric_change_caption", cite=cite)))
    metrics.append((_("story.headline.metric_totals"),
                    _("story.unit.mt_range", low=_mt(low["value_t"], _), high=_mt(high["value_t"], _)),
                    _("story.headline.metric_totals_caption")))
    return Slide(
        key="headline", label=slide_label("headline", lang), title=title,
        subtitle=_("story.headline.subtitle"),
        source_ids=_ids([headline.source_id] + ([growth["source_id"]] if growth is not None else [])),
        metrics=tuple(metrics), note=f"“{headline.quote}”",  # the source's own words, never translated
    )


def spread_slide(t: Tables, *, lang: str = "en") -> Slide:
    _ = translator(lang)
    estimates, sources = t["estimates"], t["sources"]
    totals = evidence.national_totals(estimates)
    headline = evidence.headline_total(estimates)
    low, high = evidence.spread(totals)
    dated = totals[totals["year"].notna()]
    years = f"{int(dated['year'].min())}–{int(dated['year'].max())}"
    figure = figures.estimate_spread(totals, source_labels(sources), headline_id=headline.row_id, lang=lang)
    figure.update_layout(legend=dict(font=dict(size=11)))
    low_text, high_text = _mt(low["value_t"], _), _mt(high["value_t"], _)
    return Slide(
        key="spread", label=slide_label("spread", lang),
        title=_("story.spread.title", low=low_text, high=high_text),
        subtitle=_("story.spread.subtitle", years=years, count=_.num(len(totals)),
                   sources=_.num(totals["source_id"].nunique())),
        source_ids=_ids(totals["source_id"]), figure=fit(figure),
        alt=_("story.spread.alt", count=_.num(len(dated)), years=years, low=low_text, high=high_text,
              year=headline.year, headline=_mt(headline.value_t, _)),
        table=totals[["period", "value", "unit", "value_t", "scope", "confidence", "source_id"]],
    )


PLACE_LABELS = {"national": "National", "city": "City or town", "multi_city": "Several small towns",
                "rural": "Rural community", "urban": "Urban areas", "province": "Province"}


def per_capita_slide(t: Tables, *, lang: str = "en") -> Slide:
    _ = translator(lang)
    estimates, sources = t["estimates"], t["sources"]
    rows = estimates[(estimates["indicator"] == evidence.PER_CAPITA_INDICATOR)
                     & (estimates["unit"] == "kg/cap/day")].copy()
    if rows.empty:
        raise LookupError("no per-capita generation figure in the ledger")
    labels = source_labels(sources)
    year = rows["year_end"].map(lambda y: _("story.per_capita.year_not_stated") if pd.isna(y) else str(int(y)))
    kind = rows["scope"].map(lambda s: _("story.per_capita.projection") if s == "projection" else "")
    rows["label"] = (rows["geography"].str.slice(0, 30) + ", " + year + kind + " — "
                     + rows["source_id"].map(lambda s: labels.get(s.split(";")[0], s)))
    rows["place"] = [_(f"story.place.{code}") if _.has(f"story.place.{code}") else PLACE_LABELS.get(code, code)
                     for code in rows["geo_level"]]
    rows = rows.sort_values(["geo_level", "value"], ascending=[True, False])
    figure = figures.labelled_dots(rows, label="label", value="value", low="value_low", high="value_high",
                                   unit_title=_("story.per_capita.unit"), colour_by="place", hover="quote",
                                   lang=lang)
    # The legend above the dots: below them it would run into the axis title at a screen-share height.
    figure.update_layout(legend=dict(orientation="h", x=0, xanchor="left", y=1.02, yanchor="bottom"))
    national = rows[(rows["geo_level"] == "national") & (rows["scope"] != "projection") & rows["value"].notna()]
    span = (_("story.per_capita.span", low=_.num(national["value"].min()), high=_.num(national["value"].max()))
            if not national.empty else _("story.per_capita.span_unknown"))
    return Slide(
        key="per-capita", label=slide_label("per-capita", lang),
        title=_("story.per_capita.title", span=span),
        subtitle=_("story.per_capita.subtitle"),
        source_ids=_ids(rows["source_id"]), figure=fit(figure),
        alt=_("story.per_capita.alt", count=_.num(len(rows)), span=span),
        table=rows[["geography", "period", "value", "unit", "confidence", "source_id"]],
    )


def _material_name(code: str, fallback: str, _: Translator) -> str:
    """A material's name for a bar: the composition page's words (label.material.*), else the data's own."""
    if _.lang == "en":
        return cfig.MATERIAL_LABELS.get(code, fallback)
    return cfig.material_name(code, lang=_.lang) if _.has(f"label.material.{code}") else fallback


def composition_slide(t: Tables, *, lang: str = "en") -> Slide:
    _ = translator(lang)
    composition, sources = t["composition"], t["sources"]
    complete = composition[composition["set_complete"].fillna(False).astype(bool)
                           & composition["geo_level"].eq("national")]
    if complete.empty:
        raise LookupError("no complete national composition in data/composition.csv")
    rows = cfig.tidy(complete, source_labels(sources), lang=lang)
    latest = rows.sort_values("year", na_position="first")["set_id"].iloc[-1]
    rows = rows[rows["set_id"] == latest].copy()
    rows["value"] = rows["share_pct"].fillna(rows["share_low"])
    rows = rows.sort_values("value")
    rows["name"] = [_material_name(m, label, _) for m, label in zip(rows["material"], rows["material_label"],
                                                                    strict=True)]
    first = rows.iloc[0]
    top = rows.iloc[-1]
    figure = go.Figure(layout=go.Layout(template=template_for(lang), height=SLIDE_HEIGHT))
    figure.add_trace(go.Bar(
        x=rows["value"], y=rows["name"], orientation="h",
        marker_color=[cfig.MATERIAL_COLOURS.get(m, "#8c8c8c") for m in rows["material"]],
        text=[_.pct(v) for v in rows["value"]], textposition="outside", cliponaxis=False,
        hovertemplate=_("story.composition.hover", material="%{y}", share="%{x:.3g}%") + "<extra></extra>",
    ))
    figure.update_layout(showlegend=False, margin=dict(l=10, r=40, t=10, b=10))
    figure.update_xaxes(title_text=_("story.composition.axis"), range=[0, min(100.0, top["value"] * 1.15)],
                        showgrid=True, gridcolor="#e5e5e5")
    figure.update_yaxes(title_text="")
    plastic = rows[rows["material"] == "plastic"]
    word = f"story.material_word.{top['material']}"
    material = _(f"story.material_word.{top['material']}") if _.has(word) else top["name"]
    if plastic.empty:
        title = _("story.composition.title", material=material, share=_.pct(top["value"]))
    else:
        title = _("story.composition.title_plastic", material=material, share=_.pct(top["value"]),
                  plastic=_.pct(plastic["value"].iloc[0]))
    caution = str(first.get("note") or "")
    return Slide(
        key="composition", label=slide_label("composition", lang), title=title,
        subtitle=_("story.composition.subtitle", year=cfig.year_text(first, lang=lang), source=first["source"])
        + (_("story.composition.caution_siem_reap") if "Siem Reap" in caution else ""),
        source_ids=_ids(rows["source_id"]), figure=figure,
        alt=_("story.composition.alt", shares="; ".join(
            f"{n} {_.pct(v)}" for n, v in zip(rows["name"], rows["value"], strict=True))),
        table=rows[["material", "material_label", "share_pct", "period", "confidence", "source_id"]],
    )


def flows_slide(t: Tables, *, lang: str = "en") -> Slide:
    _ = translator(lang)
    treatment, estimates = t["treatment"], t["estimates"]
    rows = treatment[treatment["set_id"] == BASELINE_SET]
    if rows.empty:
        raise LookupError(f"data/treatment.csv has no rows of the set '{BASELINE_SET}'")
    companion = ff.COLLECTION_COMPANIONS.get(BASELINE_SET)
    stage = treatment[treatment["set_id"] == companion] if companion else None
    links = ff.flow_links(rows, stage if stage is not None and not stage.empty else None, lang=lang)
    total = ff.same_source_total(rows, estimates)
    total_t = None if total is None else float(total["value_t"])
    figure = ff.flow_sankey(links, total_t=total_t, lang=lang)
    # More room between nodes: the small routes' two-line labels must not overlap at a screen-share height.
    figure.update_traces(node_pad=36, selector=dict(type="sankey"))
    first = rows.iloc[0]
    # The place as the data name it; a national breakdown is "Cambodia" in the reader's language.
    place = first["geography"] if lang == "en" or first["geo_level"] != "national" else _("story.cambodia")
    biggest = rows.sort_values("share_pct", ascending=False).iloc[0]
    name = ff.route_name(biggest["route"], biggest["route_label"], lang=lang).lower()
    if biggest["status"] == "remainder":
        name = _("story.flows.remainder", route=name)
    recovered = rows.loc[rows["route"].isin(["recycling", "composting"]), "share_pct"].sum()
    source_ids = _ids(list(rows["source_id"]) + [s for s in links["source_id"] if s]
                      + ([total["source_id"]] if total is not None else []))
    return Slide(
        key="flows", label=slide_label("flows", lang),
        title=_("story.flows.title", place=place, period=first["period"], route=name,
                share=_sig(biggest["share_pct"], _) + "%", recovered=_sig(recovered, _) + "%"),
        subtitle=(_("story.flows.subtitle_total", total=evidence.format_tonnes(total_t, lang=lang)) if total_t
                  else _("story.flows.subtitle")),
        source_ids=source_ids, figure=fit(figure),
        alt=_("story.flows.alt", place=place, period=first["period"], links="; ".join(
            _("story.flows.alt_link", source=a, target=b, share=_sig(s, _) + "%")
            for a, b, s in zip(links["from"], links["to"], links["share_pct"], strict=True))),
        table=links[["from", "to", "share_pct", "status", "source_id"]],
    )


# -- the scenario preset

def _baseline_rows(treatment: pd.DataFrame) -> pd.DataFrame:
    rows = treatment[treatment["set_id"] == BASELINE_SET]
    shares = pd.to_numeric(rows["share_pct"], errors="coerce")
    if rows.empty or shares.isna().any() or abs(shares.sum() - 100) > SHARE_TOLERANCE:
        raise LookupError(f"the baseline route set '{BASELINE_SET}' is missing or does not add up to 100%")
    unknown = set(rows["route"]) - set(DOSSIER_TO_MODEL) - set(SITE_ROUTES)
    if unknown:
        raise LookupError(f"the model has no route for {', '.join(sorted(unknown))}")
    return rows.assign(share_pct=shares)


def _baseline_routes(rows: pd.DataFrame, site: str = DEFAULT_SITE) -> dict[str, float]:
    shares: dict[str, float] = {}
    for route, share in zip(rows["route"], rows["share_pct"], strict=True):
        target = site if route in SITE_ROUTES else DOSSIER_TO_MODEL[route]
        shares[target] = shares.get(target, 0.0) + float(share)
    total = sum(shares.values())
    return {route: share * 100 / total for route, share in shares.items()}


def _kept_pct(rows: pd.DataFrame) -> tuple[int, int]:
    """Today's recycling and incineration shares, rounded as the lab's sliders start."""
    recycle = sum(round(float(s)) for r, s in zip(rows["route"], rows["share_pct"], strict=True)
                  if r not in SITE_ROUTES and DOSSIER_TO_MODEL[r] == "recycling")
    incin = sum(round(float(s)) for r, s in zip(rows["route"], rows["share_pct"], strict=True)
                if r not in SITE_ROUTES and DOSSIER_TO_MODEL[r] == "incineration")
    return recycle, incin


def _composition(composition: pd.DataFrame) -> tuple[str, dict[str, float]]:
    """The lab's default composition: the first complete breakdown the model can read, national first."""
    sets = composition_sets(composition)
    if not sets:
        raise LookupError("no complete composition the model can read")
    set_id, rows = next(iter(sets.items()))
    return set_id, model_composition(rows)


def preset_cases(t: Tables, *, lang: str = "en") -> tuple[pd.DataFrame, dict[str, object]]:
    """Net emissions of today's routes and of the preset with and without landfill gas capture."""
    _ = translator(lang)
    treatment, composition, table, estimates = (t["treatment"], t["composition"], t["emission_factors"],
                                                t["estimates"])
    rows = _baseline_rows(treatment)
    set_id, mix = _composition(composition)
    headline = evidence.headline_total(estimates)
    params = ghg.parameters_from_table(table)
    recycle, incin = _kept_pct(rows)
    landfill_pct = 100 - PRESET_COMPOST_PCT - recycle - incin
    cases = [(_("story.scenario.case_today"), _baseline_routes(rows), ghg.DEFAULT_RESIDUE_ROUTE)]
    names = {"a": _("story.scenario.case_capture"), "b": _("story.scenario.case_no_capture")}
    for prefix, (_lever, residue) in PRESET_LANDFILL.items():
        routes = {"composting": float(PRESET_COMPOST_PCT), residue: float(landfill_pct)}
        if recycle:
            routes["recycling"] = float(recycle)
        if incin:
            routes["incineration"] = float(incin)
        cases.append((names[prefix], routes, residue))
    records = []
    for name, routes, residue in cases:
        totals = ghg.summary(ghg.run_scenario(headline.value_t, mix, routes, params, residue_route=residue))
        records.append({"case": name, **{k: totals[k] for k in ("direct_co2e", "avoided_co2e", "net_co2e")}})
    used = [row_id for key, row_id in params.row_ids.items() if key[0] in ghg.MODEL_PARAMETERS]
    factor_sources = table.set_index("id").loc[used, "source_id"]
    info = {"headline": headline, "set_id": set_id, "recycle": recycle, "incin": incin,
            "landfill_pct": landfill_pct,
            "source_ids": _ids(list(rows["source_id"]) + [headline.source_id]
                               + list(composition.loc[composition["set_id"] == set_id, "source_id"])
                               + [split_ids(c)[0] for c in factor_sources])}
    return pd.DataFrame(records), info


def scenario_slide(t: Tables, *, lang: str = "en") -> Slide:
    _ = translator(lang)
    totals, info = preset_cases(t, lang=lang)
    base, with_capture, without = totals["net_co2e"]
    figure = sfig.net_comparison(totals, lang=lang)
    figure.update_layout(height=SLIDE_HEIGHT)
    headline = info["headline"]
    return Slide(
        key="scenario", label=slide_label("scenario", lang),
        title=_("story.scenario.title", base=_mt(base, _), capture=_mt(with_capture, _),
                change_capture=_signed_pct(with_capture, base, _), without=_mt(without, _),
                change_without=_signed_pct(without, base, _)),
        subtitle=_("story.scenario.subtitle", total=_mt(headline.value_t, _), year=headline.year,
                   compost=_.pct(PRESET_COMPOST_PCT), recycle=_.pct(info["recycle"]),
                   incin=_.pct(info["incin"]), landfill=_.pct(info["landfill_pct"])),
        source_ids=tuple(info["source_ids"]), figure=figure,
        alt=_("story.scenario.alt", cases="; ".join(
            _("story.scenario.alt_case", case=c, value=_mt(v, _))
            for c, v in zip(totals["case"], totals["net_co2e"], strict=True))),
        table=totals,
    )


def _cards(rows: pd.DataFrame, lang: str) -> list[tuple[str, str]]:
    """(title, text) of workshop rows, in Khmer from the file's title_km and text_km where it has them."""
    rows = evidence.in_language(rows, lang)
    return [(str(title), str(text)) for title, text in zip(rows["title"], rows["text"], strict=True)]


def takeaways_slide(t: Tables, *, lang: str = "en") -> Slide:
    _ = translator(lang)
    workshop = t["workshop"]
    cards = workshop[workshop["section"] == "takeaway"].sort_values("order")
    if cards.empty:
        raise LookupError("data/workshop.csv has no takeaways")
    return Slide(
        key="takeaways", label=slide_label("takeaways", lang),
        title=_("story.takeaways.title", count=_.num(len(cards))),
        subtitle=_("story.takeaways.subtitle", dates=f"25–{_.date(2025, 3, 26)}"),
        source_ids=_ids(cards["source_id"]),
        points=tuple(_cards(cards, lang)),
    )


def next_steps_slide(t: Tables, *, lang: str = "en") -> Slide:
    _ = translator(lang)
    workshop = t["workshop"]
    steps = workshop[workshop["section"] == "next_step"].sort_values("order")
    if steps.empty:
        raise LookupError("data/workshop.csv has no next steps")
    points = _cards(steps, lang)
    names = [title.lower() for title, _text in points]
    return Slide(
        key="next-steps", label=slide_label("next-steps", lang),
        title=_("story.next_steps.title", steps=_listed(names, _)),
        subtitle=_("story.next_steps.subtitle"),
        source_ids=_ids(steps["source_id"]),
        points=tuple(points),
    )


@dataclass(frozen=True)
class SlideSpec:
    key: str
    label: str  # English; slide_label(key, lang) gives it in a language
    needs: tuple[str, ...]
    build: Callable[..., Slide]  # build(tables, lang="en")


SLIDES: tuple[SlideSpec, ...] = (
    SlideSpec("headline", "Headline", ("estimates", "sources"), headline_slide),
    SlideSpec("spread", "Spread of estimates", ("estimates", "sources"), spread_slide),
    SlideSpec("per-capita", "Per person", ("estimates", "sources"), per_capita_slide),
    SlideSpec("composition", "Composition", ("composition", "sources"), composition_slide),
    SlideSpec("flows", "Where it goes", ("treatment", "estimates"), flows_slide),
    SlideSpec("scenario", "Scenario", ("treatment", "composition", "emission_factors", "estimates"),
              scenario_slide),
    SlideSpec("takeaways", "Workshop takeaways", ("workshop",), takeaways_slide),
    SlideSpec("next-steps", "Next steps", ("workshop",), next_steps_slide),
)
TABLES_NEEDED = tuple(dict.fromkeys(name for spec in SLIDES for name in spec.needs))


def parse_slide(raw: object, count: int = len(SLIDES)) -> int | None:
    """A 1-based slide number from a link value, or None when it is not a whole number from 1 to count."""
    text = str(raw if raw is not None else "").strip()
    if not text.isdecimal() or len(text) > 4:
        return None
    number = int(text)
    return number if 1 <= number <= count else None


def build_all(t: Tables, *, lang: str = "en") -> list[Slide]:
    """Every slide, in order (raises LookupError, KeyError or ValueError on a data problem)."""
    return [spec.build(t, lang=lang) for spec in SLIDES]
