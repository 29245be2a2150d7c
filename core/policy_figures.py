"""Policy timeline: laws, sub-decrees, strategies, campaigns and projects on one dated axis, one row per kind.

Builders take a keyword-only `lang` ("en" or "km"): words come from the catalogue (locales/policy.csv), the
titles and descriptions in Khmer from data/policies.csv (`title_km`, `description_km`).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.i18n import translator
from core.theme import PALETTE, template_for

# Kind codes (as in data/policies.csv) in the order the timeline rows are drawn, top to bottom, with plain names.
KIND_LABELS: dict[str, str] = {
    "law": "Law",
    "sub_decree": "Sub-decree",
    "declaration": "Ministerial declaration",
    "regulation_status": "Regulation (status)",
    "policy": "Policy",
    "strategy": "Strategy",
    "plan": "Plan or roadmap",
    "guideline": "Guideline",
    "campaign": "Campaign",
    "project": "Project",
    "event": "Event",
}
# Three families, three colours: rules, plans, actions. The row already tells the exact kind.
KIND_FAMILY: dict[str, str] = {
    "law": "Laws and regulations", "sub_decree": "Laws and regulations", "declaration": "Laws and regulations",
    "regulation_status": "Laws and regulations",
    "policy": "Policies, strategies and plans", "strategy": "Policies, strategies and plans",
    "plan": "Policies, strategies and plans", "guideline": "Policies, strategies and plans",
    "campaign": "Campaigns, projects and events", "project": "Campaigns, projects and events",
    "event": "Campaigns, projects and events",
}
FAMILY_COLOURS = {"Laws and regulations": PALETTE[0], "Policies, strategies and plans": PALETTE[1],
                  "Campaigns, projects and events": PALETTE[2]}
# The families' names in the catalogue keys (policy.family.<name>).
FAMILY_NAMES = {"Laws and regulations": "rules", "Policies, strategies and plans": "plans",
                "Campaigns, projects and events": "actions"}


def placement_rule(*, lang: str = "en") -> str:
    """How an item is placed on the time axis (the chart's method note; see placed_on)."""
    _ = translator(lang)
    return _("policy.method")


def kind_label(code: str, *, lang: str = "en") -> str:
    """A kind code in words ('sub_decree' -> 'Sub-decree'); a code the catalogue does not know is spelled out."""
    english = KIND_LABELS.get(code, code.replace("_", " ").capitalize())
    if lang == "en":
        return english
    word = translator(lang).label("policy_kind", code)
    return word if word != code else english


def family_label(family: str, *, lang: str = "en") -> str:
    _ = translator(lang)
    return _(f"policy.family.{FAMILY_NAMES[family]}") if family in FAMILY_NAMES else family


def status_label(code: str, *, lang: str = "en") -> str:
    """A status code in words ('not_stated' -> 'not stated'); unknown codes with their underscores as spaces."""
    word = translator(lang).label("policy_status", code)
    return word if word != code else code.replace("_", " ")


def place_label(place: str, *, lang: str = "en") -> str:
    """Where an item applies ('Cambodia', 'Phnom Penh') in the language."""
    return place if lang == "en" else translator(lang).label("policy_geography", place)


def shown_text(policies: pd.DataFrame, column: str, *, lang: str = "en") -> pd.Series:
    """A text column in the language: `<column>_km` in Khmer where the data has it, else the English."""
    english = policies[column]
    if lang != "km" or f"{column}_km" not in policies:
        return english
    khmer = policies[f"{column}_km"].fillna("")
    return khmer.where(khmer.str.strip() != "", english)


def placed_on(date: str, year: int) -> pd.Timestamp:
    """Where an item sits on the time axis, from its date as published (see PLACEMENT_RULE)."""
    text = str(date or "").strip()
    parts = text.split("-") if text else []
    if len(parts) == 3:
        return pd.Timestamp(text)
    if len(parts) == 2:
        return pd.Timestamp(f"{text}-15")
    return pd.Timestamp(f"{int(parts[0]) if parts else int(year)}-07-01")


def date_as_published(date: str, year: int, *, lang: str = "en") -> str:
    """'27 Apr 1999', 'Oct 2018', '2003', or 'not stated (c. 2024)' ('27 មេសា 1999', 'តុលា 2018' in Khmer)."""
    _ = translator(lang)
    text = str(date or "").strip()
    if not text:
        return _("policy.date_not_stated", year=int(year))
    parts = text.split("-")
    stamp = placed_on(text, year)
    if len(parts) == 3:
        return f"{stamp.day} {stamp.strftime('%b %Y')}" if lang == "en" else _.date(stamp.year, stamp.month, stamp.day)
    if len(parts) == 2:
        return stamp.strftime("%b %Y") if lang == "en" else _.date(stamp.year, stamp.month)
    return text


def with_timeline_columns(policies: pd.DataFrame, *, lang: str = "en") -> pd.DataFrame:
    """The policies with their axis position, the date as published and the plain kind name (in `lang`), and
    title_shown, status_shown and geography_shown: the title, status and place as the language writes them."""
    frame = policies.copy()
    frame["placed_on"] = [placed_on(d, y) for d, y in zip(frame["date"], frame["year"], strict=True)]
    frame["date_shown"] = [date_as_published(d, y, lang=lang)
                           for d, y in zip(frame["date"], frame["year"], strict=True)]
    frame["kind_label"] = frame["kind"].map(lambda code: kind_label(code, lang=lang))
    frame["family"] = frame["kind"].map(KIND_FAMILY).fillna("Policies, strategies and plans")
    frame["title_shown"] = shown_text(frame, "title", lang=lang)
    frame["status_shown"] = frame["status"].map(lambda code: status_label(code, lang=lang))
    frame["geography_shown"] = frame["geography"].map(lambda place: place_label(place, lang=lang))
    return frame.sort_values("placed_on").reset_index(drop=True)


def policy_timeline(policies: pd.DataFrame, *, lang: str = "en") -> go.Figure:
    """One marker per item, one row per kind (top to bottom in KIND_LABELS order), hover with title and date."""
    _ = translator(lang)
    frame = with_timeline_columns(policies, lang=lang)
    rows = [kind_label(k, lang=lang) for k in KIND_LABELS if k in set(frame["kind"])]
    rows += [kind_label(k, lang=lang) for k in dict.fromkeys(frame["kind"]) if k not in KIND_LABELS]
    fig = go.Figure(layout=go.Layout(template=template_for(lang), height=max(300, 44 * len(rows) + 150)))
    # In Khmer the hover gives the Khmer title, then the title as published (in italics) under it.
    hover = _("policy.hover", title="%{customdata[0]}", original="" if lang == "en" else "<br><i>%{customdata[4]}</i>",
              date="%{customdata[1]}", place="%{customdata[2]}", status="%{customdata[3]}") + "<extra></extra>"
    for family, colour in FAMILY_COLOURS.items():
        group = frame[frame["family"] == family]
        if group.empty:
            continue
        fig.add_trace(go.Scatter(
            x=group["placed_on"], y=group["kind_label"], mode="markers", name=family_label(family, lang=lang),
            marker=dict(size=15, color=colour, line=dict(width=1.5, color="white"), opacity=0.9),
            customdata=list(zip(group["title_shown"], group["date_shown"], group["geography_shown"],
                                group["status_shown"], *([] if lang == "en" else [group["title"]]), strict=True)),
            hovertemplate=hover,
        ))
    low = min(frame["placed_on"].min().year, 1996) if not frame.empty else 1996
    high = max(frame["placed_on"].max().year, 2025) if not frame.empty else 2025
    fig.update_xaxes(title_text=_("policy.axis_x"), type="date",
                     range=[pd.Timestamp(f"{low - 1}-07-01"), pd.Timestamp(f"{high + 1}-07-01")],
                     dtick="M24", tickformat="%Y", showgrid=True, gridcolor="#eeeeee")
    fig.update_yaxes(title_text="", type="category", categoryorder="array", categoryarray=rows[::-1],
                     showgrid=True, gridcolor="#eeeeee", rangemode="normal")
    fig.update_layout(legend=dict(y=-0.22))
    return fig

