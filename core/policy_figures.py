"""Policy timeline: laws, sub-decrees, strategies, campaigns and projects on one dated axis, one row per kind."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.theme import PALETTE, TEMPLATE

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
PLACEMENT_RULE = (
    "items dated to the day sit on that day; items dated only to a month sit on the 15th of that month, and "
    "items dated only to a year (or with no date, only a year) sit on 1 July of that year. The date column "
    "shows the date exactly as published."
)


def kind_label(code: str) -> str:
    return KIND_LABELS.get(code, code.replace("_", " ").capitalize())


def placed_on(date: str, year: int) -> pd.Timestamp:
    """Where an item sits on the time axis, from its date as published (see PLACEMENT_RULE)."""
    text = str(date or "").strip()
    parts = text.split("-") if text else []
    if len(parts) == 3:
        return pd.Timestamp(text)
    if len(parts) == 2:
        return pd.Timestamp(f"{text}-15")
    return pd.Timestamp(f"{int(parts[0]) if parts else int(year)}-07-01")


def date_as_published(date: str, year: int) -> str:
    """'27 Apr 1999', 'Oct 2018', '2003', or 'not stated (c. 2024)'."""
    text = str(date or "").strip()
    if not text:
        return f"not stated (c. {int(year)})"
    parts = text.split("-")
    stamp = placed_on(text, year)
    if len(parts) == 3:
        return f"{stamp.day} {stamp.strftime('%b %Y')}"
    if len(parts) == 2:
        return stamp.strftime("%b %Y")
    return text


def with_timeline_columns(policies: pd.DataFrame) -> pd.DataFrame:
    """The policies with their axis position, the date as published and the plain kind name."""
    frame = policies.copy()
    frame["placed_on"] = [placed_on(d, y) for d, y in zip(frame["date"], frame["year"], strict=True)]
    frame["date_shown"] = [date_as_published(d, y) for d, y in zip(frame["date"], frame["year"], strict=True)]
    frame["kind_label"] = frame["kind"].map(kind_label)
    frame["family"] = frame["kind"].map(KIND_FAMILY).fillna("Policies, strategies and plans")
    return frame.sort_values("placed_on").reset_index(drop=True)


def policy_timeline(policies: pd.DataFrame) -> go.Figure:
    """One marker per item, one row per kind (top to bottom in KIND_LABELS order), hover with title and date."""
    frame = with_timeline_columns(policies)
    rows = [kind_label(k) for k in KIND_LABELS if k in set(frame["kind"])]
    rows += [kind_label(k) for k in dict.fromkeys(frame["kind"]) if k not in KIND_LABELS]
    fig = go.Figure(layout=go.Layout(template=TEMPLATE, height=max(300, 44 * len(rows) + 150)))
    for family, colour in FAMILY_COLOURS.items():
        group = frame[frame["family"] == family]
        if group.empty:
            continue
        fig.add_trace(go.Scatter(
            x=group["placed_on"], y=group["kind_label"], mode="markers", name=family,
            marker=dict(size=15, color=colour, line=dict(width=1.5, color="white"), opacity=0.9),
            customdata=list(zip(group["title"], group["date_shown"], group["geography"],
                                group["status"].str.replace("_", " "), strict=True)),
            hovertemplate=("<b>%{customdata[0]}</b><br>Date: %{customdata[1]}<br>Applies to: %{customdata[2]}"
                           "<br>Status: %{customdata[3]}<extra></extra>"),
        ))
    low = min(frame["placed_on"].min().year, 1996) if not frame.empty else 1996
    high = max(frame["placed_on"].max().year, 2025) if not frame.empty else 2025
    fig.update_xaxes(title_text="Date adopted, launched or held (year)", type="date",
                     range=[pd.Timestamp(f"{low - 1}-07-01"), pd.Timestamp(f"{high + 1}-07-01")],
                     dtick="M24", tickformat="%Y", showgrid=True, gridcolor="#eeeeee")
    fig.update_yaxes(title_text="", type="category", categoryorder="array", categoryarray=rows[::-1],
                     showgrid=True, gridcolor="#eeeeee", rangemode="normal")
    fig.update_layout(legend=dict(y=-0.22))
    return fig

