"""Policy timeline: Cambodia's waste laws, sub-decrees, strategies, campaigns and projects, 1996 to 2025."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.data import load, need
from components.filters import applied_note, current, unrecognised_link_values
from components.frame import chart_frame, downloads, source_line
from components.i18n import tr, url_control
from core import policy_figures
from core.catalogue import data_dir_from_env, short_label, split_ids
from core.i18n import translator
from core.sectors import Selection, apply

APPLIES = ("geo", "years")
KIND_KEY = "pol_kind"


def policy_rows(policies: pd.DataFrame) -> pd.DataFrame:
    """Policies tagged so the sector filters can read them: national or Phnom Penh, and the year they date from."""
    return policies.assign(geo_level=policies["geo_code"].map(lambda code: "national" if code == "KH" else "city"),
                           year_start=policies["year"], year_end=policies["year"])


def kind_picker(policies: pd.DataFrame) -> list[str]:
    _ = tr()
    present = set(policies["kind"])
    known = [k for k in policy_figures.KIND_LABELS if k in present]
    options = known + sorted(present - set(known))
    bad = [shown for _key, shown in unrecognised_link_values({KIND_KEY: options})]
    # The link keeps the codes (?pol_kind=sub_decree) whatever the language; English shows the codes as before,
    # Khmer the kinds' Khmer names.
    chosen = url_control(st.multiselect, _("policy.kind_picker"), key=KIND_KEY, options=options, default=[],
                         multi=True, placeholder=_("policy.kind_picker.all"),
                         format_func=None if _.lang == "en" else
                         (lambda code: policy_figures.kind_label(code, lang=_.lang)),
                         help=_("policy.kind_picker.help", codes="; ".join(
                             f"{k} = {policy_figures.kind_label(k, lang=_.lang)}" for k in options)))
    if bad:
        st.caption(_("filters.unrecognised", values=f"{KIND_KEY}: {', '.join(bad[:3])}"))
    return list(chosen)


def source_links(policies: pd.DataFrame, sources: pd.DataFrame) -> tuple[list[str], list[str | None]]:
    by_id = sources.set_index("id")
    labels, links = [], []
    for cell in policies["source_id"]:
        ids = [s for s in split_ids(cell) if s in by_id.index]
        labels.append("; ".join(short_label(by_id.loc[s]) for s in ids))
        links.append(next((by_id.loc[s, "url"] for s in ids if by_id.loc[s, "url"]), None))
    return labels, links


# ------------------------------------------------------------------ cached work

# The shown items, their table and the timeline depend only on the data folder, the filters, the kinds picked
# and the language: built once per such key, from small hashable arguments (the functions read the tables
# themselves).

def view_key(selection: Selection, kinds: list[str]) -> tuple:
    values = tuple(sorted((k, tuple(v)) for k, v in selection.values.items()))
    return str(data_dir_from_env()), values, tuple(selection.years), tuple(kinds)


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


@st.cache_resource(show_spinner=False, max_entries=64)
def policy_view(data_dir: str, values: tuple, years: tuple, kinds: tuple, lang: str) -> dict:
    """Everything the timeline and the list draw for one (folder, filters, kinds, language); only ever read."""
    _ = translator(lang)
    shown = apply(policy_rows(load("policies")), Selection(values=dict(values), years=years), APPLIES)
    if kinds:
        shown = shown[shown["kind"].isin(kinds)]
    if shown.empty:
        return {"empty": True}
    rows = policy_figures.with_timeline_columns(shown, lang=lang)
    first, last = int(rows.iloc[0]["year"]), int(rows.iloc[-1]["year"])
    binding = rows[rows["kind"].isin(["law", "sub_decree"])]
    labels, links = source_links(rows, load("sources"))
    title = _("policy.title", count=len(rows), first=first, last=last) if binding.empty else \
        _("policy.title_binding", count=len(rows), first=first, last=last, binding=len(binding))
    kinds_text = ", ".join(_("policy.alt_kind", count=n, kind=label.lower() if lang == "en" else label)
                           for label, n in rows["kind_label"].value_counts().items())
    return {
        "empty": False,
        "rows": rows,
        "title": title,
        "subtitle": _("policy.subtitle", first=first, last=last),
        "alt": _("policy.alt", count=len(rows), first=first, last=last, kinds=kinds_text),
        "table": rows[["date_shown", "year", "kind", "kind_label", "title", "geography", "status", "source_id"]],
        "figure": policy_figures.policy_timeline(shown, lang=lang),
        "items": items(rows, labels, links, lang),
    }


def timeline(view: dict) -> None:
    _ = tr()
    chart_frame(
        key="policy-timeline", title=view["title"], subtitle=view["subtitle"], figure=view["figure"],
        table=view["table"], source_ids=view["rows"]["source_id"], alt=view["alt"],
        reading=_("policy.reading"), method=policy_figures.placement_rule(lang=_.lang),
    )


def item_table(view: dict) -> None:
    _ = tr()
    st.subheader(_("policy.items.heading"))
    shown, table = view["rows"], view["items"]
    column = st.column_config.TextColumn
    st.dataframe(table, hide_index=True, key="policy-table", height=35 * (len(table) + 1) + 3, column_config={
        "kind": column(_("policy.column.kind")),
        "source": column(_("policy.column.source")),
        "applies_to": column(_("policy.column.applies_to")),
        "status": column(_("policy.column.status")),
        "confidence": column(_("policy.column.confidence")),
        "date": column(_("policy.column.date"), help=_("policy.column.date_help")),
        "title_km": column(_("policy.column.title_km"), width="large"),
        "title": column(_("policy.column.title"), width="large"),
        "what_it_does": column(_("policy.column.what_it_does"), width="large"),
        "link": st.column_config.LinkColumn(_("policy.column.link"), display_text=_("policy.open_source")),
        "note": column(_("policy.column.note"), width="medium"),
    })
    source_line(shown["source_id"])
    downloads(table, name="policy-timeline", key="policy-table")


def main() -> None:
    _ = tr()
    st.title(_("site.page.policy"))
    st.markdown(_("policy.intro"))
    selection = current()
    applied_note(selection, APPLIES)
    loaded = need("policies", "sources")
    if loaded is None:
        return
    policies = loaded[0]
    kinds = kind_picker(policies)
    view = policy_view(*view_key(selection, kinds), _.lang)
    if view["empty"]:
        described = selection.describe(APPLIES, _)
        reasons = [described] if described else []
        if kinds:
            reasons.append(_("policy.empty.kinds", kinds=", ".join(policy_figures.kind_label(k, lang=_.lang)
                                                                    for k in kinds)))
        st.info(_("policy.empty", reasons="; ".join(reasons) or _("policy.empty.current")),
                icon=":material/filter_alt_off:")
        return
    timeline(view)
    item_table(view)


main()
