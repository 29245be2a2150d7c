"""The Policy timeline page: its cached views and its drawing (app_pages/policy.py only calls `main`).

The kinds to pick from depend on the data folder and the language; the shown items, their table and the timeline
on the folder, the filters, the kinds picked and the language. Each is built once per such key by a cached
builder here, from small hashable arguments, and shared read-only (components/views.py explains the pattern).
The list under the timeline is drawn inside a cached function, so Streamlit replays its elements on later runs
(components/views_sources.py explains this). The drawing lives here rather than in the page file, which is
compiled anew on every run. A DataError is never cached: the builders raise it and the page shows it through
components.data.need.
"""

from __future__ import annotations

import ast
import re

import pandas as pd
import streamlit as st

from components.data import load, need
from components.filters import applied_note, current, unrecognised_link_values
from components.frame import chart_frame, downloads, source_line
from components.i18n import tr, url_control
from core import policy_figures
from core.catalogue import DataError, data_dir_from_env, short_label, split_ids
from core.explorer import escape_markdown
from core.i18n import translator
from core.sectors import Selection, apply

APPLIES = ("geo", "years")
KIND_KEY = "pol_kind"


def policy_rows(policies: pd.DataFrame) -> pd.DataFrame:
    """Policies tagged so the sector filters can read them: national or Phnom Penh, and the year they date from."""
    return policies.assign(geo_level=policies["geo_code"].map(lambda code: "national" if code == "KH" else "city"),
                           year_start=policies["year"], year_end=policies["year"])


def source_links(policies: pd.DataFrame, sources: pd.DataFrame) -> tuple[list[str], list[str | None]]:
    by_id = sources.set_index("id")
    labels, links = [], []
    for cell in policies["source_id"]:
        ids = [s for s in split_ids(cell) if s in by_id.index]
        labels.append("; ".join(short_label(by_id.loc[s]) for s in ids))
        links.append(next((by_id.loc[s, "url"] for s in ids if by_id.loc[s, "url"]), None))
    return labels, links


def items(rows: pd.DataFrame, labels: list[str], links: list[str | None], lang: str) -> pd.DataFrame:
    """The list under the timeline. In Khmer the kind, place, status and description are in Khmer and the Khmer
    title (title_km) comes before the title as published."""
    _ = translator(lang)
    table = pd.DataFrame({
        "date": rows["date_shown"], "kind": rows["kind_label"], "title": rows["title"], "link": links,
        "source": labels,
        "what_it_does": policy_figures.shown_text(rows, "description", lang=lang),
        "applies_to": rows["geography_shown"], "status": rows["status_shown"],
        "confidence": rows["confidence"] if lang == "en" else
        rows["confidence"].map(lambda level: _(f"filters.conf.option.{level}")),
        "note": rows["note"],
    })
    if lang == "km":
        table.insert(2, "title_km", rows["title_shown"])
    return table


_SAFE_URL = re.compile(r"https?://[^\s()<>\[\]]+")


def item_records(table: pd.DataFrame, lang: str) -> str:
    """The list under the timeline as Markdown: one record per item, in full (date and kind, title, what it does,
    where it applies, status, confidence, note, and its source as a link).

    A list rather than a data grid: the grid cut the titles and descriptions off and hid the later columns beyond
    the page's width, and it cost every first visit about 1.8 MB of grid code. Sorting stays in the chart frame's
    table tab and in the Data explorer; the download below the list has every column. Every cell from the data is
    escaped (no Markdown, link or HTML can come from it) and a source is linked only through a plain http(s)
    address."""
    _ = translator(lang)
    records = []
    for row in table.itertuples(index=False):
        title = escape_markdown(row.title)
        if lang == "km":
            title = f"{escape_markdown(row.title_km)} ({title})"
        source = escape_markdown(row.source)
        link = str(row.link) if isinstance(row.link, str) and _SAFE_URL.fullmatch(row.link) else ""
        facts = [
            f"{_('policy.column.applies_to')}: {escape_markdown(row.applies_to)}",
            f"{_('policy.column.status')}: {escape_markdown(row.status)}",
            f"{_('policy.column.confidence')}: {escape_markdown(row.confidence)}",
            f"{_('policy.column.source')}: " + (f"[{source}]({link})" if link else source),
        ]
        if isinstance(row.note, str) and row.note.strip():
            facts.append(f"{_('policy.column.note')}: {escape_markdown(row.note)}")
        records.append(f"- **{escape_markdown(row.date)} · {escape_markdown(row.kind)}** · **{title}**  \n"
                       f"  {escape_markdown(row.what_it_does)}  \n"
                       f"  :small[{' · '.join(facts)}]")
    return "\n".join(records)


# ------------------------------------------------------------------ cached views

@st.cache_resource(show_spinner=False, max_entries=8)
def policy_page(data_dir: str, lang: str) -> dict:
    """The kinds to pick from (known kinds in the timeline's order, then any other) with their words; raises the
    DataError of policies.csv or sources.csv."""
    _ = translator(lang)
    policies = load("policies")
    load("sources")
    present = set(policies["kind"])
    known = [k for k in policy_figures.KIND_LABELS if k in present]
    options = known + sorted(present - set(known))
    return {
        "options": options,
        "labels": {k: policy_figures.kind_label(k, lang=lang) for k in options},
        "help": _("policy.kind_picker.help", codes="; ".join(
            f"{k} = {policy_figures.kind_label(k, lang=lang)}" for k in options)),
    }


@st.cache_resource(show_spinner=False, max_entries=64)
def policy_view(data_dir: str, shown_key: str, lang: str) -> dict:
    """Everything the timeline and the list draw for one (folder, filters, kinds, language); only ever read.
    `shown_key` is the repr of (filter values, years, kinds): a short string is hashed in one step."""
    _ = translator(lang)
    values, years, kinds = ast.literal_eval(shown_key)
    shown = apply(policy_rows(load("policies")), Selection(values=dict(values), years=years), APPLIES)
    if kinds:
        shown = shown[shown["kind"].isin(kinds)]
    if shown.empty:
        return {"empty": True}
    rows = policy_figures.with_timeline_columns(shown, lang=lang)
    first, last = int(rows.iloc[0]["year"]), int(rows.iloc[-1]["year"])
    binding = rows[rows["kind"].isin(["law", "sub_decree"])]
    labels, links = source_links(rows, load("sources"))
    # One year (or one item) is worded as such, not "from 2015 to 2015" or "1 ... laws".
    if first != last:
        title = _("policy.title", count=len(rows), first=first, last=last) if binding.empty else \
            _("policy.title_binding", count=len(rows), first=first, last=last, binding=len(binding))
    elif len(rows) > 1:
        title = _("policy.title_year", count=len(rows), year=first) if binding.empty else \
            _("policy.title_year_binding", count=len(rows), year=first, binding=len(binding))
    else:
        title = _("policy.title_single", year=first) if binding.empty else \
            _("policy.title_single_binding", year=first)
    kinds_text = ", ".join(_("policy.alt_kind", count=n, kind=label.lower() if lang == "en" else label)
                           for label, n in rows["kind_label"].value_counts().items())
    table = items(rows, labels, links, lang)
    return {
        "empty": False,
        "frame": dict(
            key="policy-timeline", title=title,
            subtitle=_("policy.subtitle", first=first, last=last) if first != last else
            _("policy.subtitle_year", year=first),
            figure=policy_figures.policy_timeline(shown, lang=lang),
            table=rows[["date_shown", "year", "kind", "kind_label", "title", "geography", "status", "source_id"]],
            source_ids=tuple(dict.fromkeys(s for cell in rows["source_id"] for s in split_ids(str(cell)))),
            alt=_("policy.alt", count=len(rows), first=first, last=last, kinds=kinds_text) if first != last else
            _("policy.alt_year", count=len(rows), year=first, kinds=kinds_text) if len(rows) > 1 else
            _("policy.alt_single", year=first, kinds=kinds_text),
            reading=_("policy.reading"), method=policy_figures.placement_rule(lang=lang),
        ),
        "items": table,
        "records": item_records(table, lang),
    }


# ------------------------------------------------------------------ sections

def kind_picker(page: dict) -> list[str]:
    _ = tr()
    options = page["options"]
    bad = [shown for _key, shown in unrecognised_link_values({KIND_KEY: options})]
    # The link keeps the codes (?pol_kind=sub_decree) whatever the language; English shows the codes as before,
    # Khmer the kinds' Khmer names.
    chosen = url_control(st.multiselect, _("policy.kind_picker"), key=KIND_KEY, options=options, default=[],
                         multi=True, placeholder=_("policy.kind_picker.all"),
                         format_func=None if _.lang == "en" else page["labels"].__getitem__, help=page["help"])
    if bad:
        st.caption(_("filters.unrecognised", values=f"{KIND_KEY}: {', '.join(bad[:3])}"))
    return list(chosen)


def item_list(view: dict) -> None:
    _ = tr()
    st.subheader(_("policy.items.heading"))
    st.markdown(view["records"])
    source_line(view["frame"]["source_ids"])


@st.cache_resource(show_spinner=False, max_entries=32)
def _replayed_items(data_dir: str, shown_key: str, lang: str) -> None:
    """The list under the timeline, drawn once per key (no widget in it): Streamlit replays its elements on later
    runs, about half the cost of drawing them anew."""
    item_list(policy_view(data_dir, shown_key, lang))


def main() -> None:
    _ = tr()
    st.title(_("site.page.policy"))
    st.markdown(_("policy.intro"))
    selection = current()
    applied_note(selection, APPLIES)
    data_dir = str(data_dir_from_env())
    try:
        page = policy_page(data_dir, _.lang)
    except DataError:  # the broken file says what is wrong with it
        need("policies", "sources")
        return
    kinds = kind_picker(page)
    values = tuple(sorted((k, tuple(v)) for k, v in selection.values.items()))
    shown_key = repr((values, tuple(selection.years), tuple(kinds)))
    view = policy_view(data_dir, shown_key, _.lang)
    if view["empty"]:
        described = selection.describe(APPLIES, _)
        reasons = [described] if described else []
        if kinds:
            reasons.append(_("policy.empty.kinds", kinds=", ".join(policy_figures.kind_label(k, lang=_.lang)
                                                                    for k in kinds)))
        st.info(_("policy.empty", reasons="; ".join(reasons) or _("policy.empty.current")),
                icon=":material/filter_alt_off:")
        return
    chart_frame(**view["frame"])
    _replayed_items(data_dir, shown_key, _.lang)
    downloads(view["items"], name="policy-timeline", key="policy-table")
