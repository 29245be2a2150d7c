"""Scenario lab: move waste between treatment routes and see the committed greenhouse-gas emissions change."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components.data import load, need
from components.filters import applied_note, current, unrecognised_link_values
from components.frame import chart_frame, kpi, source_line
from core import evidence, ghg
from core import scenario_figures as sfig
from core.catalogue import DataError, data_dir_from_env, split_ids
from core.scenario import (
    BASELINE_SET,
    DEFAULT_SITE,
    DOSSIER_TO_MODEL,
    MATERIAL_MAP,
    PRESET_COMPOST_PCT,
    PRESET_LANDFILL,
    PRESET_QUESTION,
    SHARE_TOLERANCE,
    SITE_ROUTES,
    composition_sets,
    model_composition,
)

# ------------------------------------------------------------------ the baseline and the mappings


SITE_TYPES = ("unmanaged_deep", "unmanaged_shallow", "uncategorised_dump", "semi_aerobic", "sanitary_landfill",
              "sanitary_landfill_capture")

ROUTE_LABELS = {
    "sanitary_landfill": "Sanitary landfill, no gas capture",
    "sanitary_landfill_capture": "Sanitary landfill with gas capture",
    "semi_aerobic": "Semi-aerobic managed landfill",
    "unmanaged_deep": "Unmanaged deep dump",
    "unmanaged_shallow": "Unmanaged shallow dump",
    "uncategorised_dump": "Dump of unknown depth",
    "open_burning": "Open burning",
    "incineration": "Incineration",
    "composting": "Composting",
    "anaerobic_digestion": "Anaerobic digestion",
    "recycling": "Recycling",
    "uncollected": "Uncontrolled disposal (not collected)",
}

MATERIAL_NOTES = {
    "organic": "food waste, with food's IPCC factors: the sources do not split garden waste out",
    "other": "other inert (DOC 0): the sources do not say what 'other' holds",
    "inert": "other inert (DOC 0)",
}


@dataclass(frozen=True)
class Lever:
    """One scenario slider: a share of the mixed waste stream sent to a route."""

    key: str
    label: str
    route: str | None  # None: the site type chosen for today's landfills
    help: str


LEVERS = (
    Lever("dump", "To landfills and dumps, as today", None,
          "The same site type as the baseline's 'landfill' share (chosen under Assumptions)."),
    Lever("sanitary", "To sanitary landfill, no gas capture", "sanitary_landfill",
          "Managed anaerobic site covered with soil (IPCC site type 'managed anaerobic', cover oxidation)."),
    Lever("lfg", "To sanitary landfill with gas capture", "sanitary_landfill_capture",
          "As above, with landfill gas collected (WARM typical efficiency) and flared."),
    Lever("compost", "To composting", "composting",
          "Only food and garden waste is composted; the rest is screened out and goes where rejects go."),
    Lever("ad", "To anaerobic digestion", "anaerobic_digestion",
          "Only food and garden waste is digested; the rest is screened out and goes where rejects go."),
    Lever("recycle", "To recycling", "recycling",
          "Credited only for materials with a WARM factor (paper, cardboard, metals, glass, PET, HDPE, PP); "
          "the rest is a sorting reject."),
    Lever("incin", "To incineration", "incineration", "Mass-burn incineration; no energy-recovery credit."),
)
REMAINDER_ROUTE = "uncollected"
SCENARIOS = (("a", "Scenario A"), ("b", "Scenario B"))
BASELINE = "Baseline"
SENSITIVITY_MODES = ("Net emissions", "Change vs baseline")


PARAMETER_NAMES = {
    "doc": "DOC", "docf": "DOCf", "mcf": "MCF", "f": "F (CH₄ in landfill gas)", "ox": "OX (cover oxidation)",
    "lfg_collection_efficiency": "Gas collection efficiency", "flare_destruction": "Flare destruction",
    "dm": "Dry matter", "cf": "Carbon fraction", "fcf": "Fossil carbon fraction",
    "open_burning_of": "Open-burning oxidation", "open_burning_ch4": "Open-burning CH₄",
    "open_burning_n2o": "Open-burning N₂O", "incineration_of": "Incineration oxidation",
    "incineration_ch4": "Incineration CH₄", "incineration_n2o": "Incineration N₂O",
    "compost_ch4": "Composting CH₄", "compost_n2o": "Composting N₂O", "ad_ch4": "Digestion CH₄",
    "ad_n2o": "Digestion N₂O", "gwp_ch4": "GWP of CH₄", "gwp_n2o": "GWP of N₂O", "gwp": "GWP100 set",
    "recycling_credit": "Recycling credit",
}


@dataclass(frozen=True)
class Switch:
    """A two-way choice between a table's default and one published alternative."""

    key: str
    choice: str  # choice key of core.ghg.parameters_from_table
    title: str
    options: tuple[str, str]  # labels, stored in the URL; the default first
    captions: tuple[str, str]
    alternative: str  # the option value core.ghg understands
    help: str


class PageProblem(Exception):
    """A data problem this page can name (shown as a message, never a traceback)."""


# ------------------------------------------------------------------ reading the tables

def baseline_shares(treatment: pd.DataFrame) -> pd.DataFrame:
    """The baseline set's rows (route, share), checked: present, mapped, and adding up to 100 %."""
    rows = treatment[treatment["set_id"] == BASELINE_SET]
    if rows.empty:
        raise PageProblem(f"data/treatment.csv has no rows of the baseline set '{BASELINE_SET}' "
                          "(the 2020-21 national route shares).")
    shares = pd.to_numeric(rows["share_pct"], errors="coerce")
    if shares.isna().any():
        raise PageProblem(f"data/treatment.csv: a share of '{BASELINE_SET}' is empty or not a number.")
    unknown = sorted(set(rows["route"]) - set(DOSSIER_TO_MODEL) - set(SITE_ROUTES))
    if unknown:
        raise PageProblem(f"data/treatment.csv: the model has no route for {', '.join(unknown)} in "
                          f"'{BASELINE_SET}'; add it to the page's route mapping.")
    if abs(shares.sum() - 100) > SHARE_TOLERANCE:
        raise PageProblem(f"data/treatment.csv: the shares of '{BASELINE_SET}' add up to {shares.sum():g} %, "
                          "not 100 %.")
    return rows.assign(share_pct=shares)


def model_route(dossier_route: str, site: str) -> str:
    return site if dossier_route in SITE_ROUTES else DOSSIER_TO_MODEL[dossier_route]


def baseline_routes(rows: pd.DataFrame, site: str) -> dict[str, float]:
    """Model route shares of the baseline, rescaled to exactly 100 (published shares may round)."""
    shares: dict[str, float] = {}
    for route, share in zip(rows["route"], rows["share_pct"], strict=True):
        target = model_route(route, site)
        shares[target] = shares.get(target, 0.0) + float(share)
    total = sum(shares.values())
    return {route: share * 100 / total for route, share in shares.items()}


def lever_defaults(rows: pd.DataFrame) -> dict[str, int]:
    """Slider start values: the baseline shares, each on the lever that matches its route."""
    defaults = {lever.key: 0 for lever in LEVERS}
    by_route = {lever.route: lever.key for lever in LEVERS if lever.route}
    for route, share in zip(rows["route"], rows["share_pct"], strict=True):
        if route in SITE_ROUTES:
            defaults["dump"] += round(float(share))
        elif DOSSIER_TO_MODEL[route] in by_route:
            defaults[by_route[DOSSIER_TO_MODEL[route]]] += round(float(share))
        elif DOSSIER_TO_MODEL[route] != REMAINDER_ROUTE:
            raise PageProblem(f"the baseline route '{route}' has no slider on this page.")
    return defaults


def _edition_label(edition: str) -> str:
    return edition.replace("IPCC ", "").strip() or "default"


def build_switches(table: pd.DataFrame) -> list[Switch]:
    """The four published conflicts the page exposes, with labels and values read from the table."""
    defaults = table[table["is_default"].astype(bool)]
    alternatives = table[~table["is_default"].astype(bool)]

    def one(parameter: str, frame: pd.DataFrame, edition: str | None = None) -> pd.Series:
        rows = frame[frame["parameter"] == parameter]
        if edition is not None:
            rows = rows[rows["edition"] == edition]
        if rows.empty:
            raise PageProblem(f"data/emission_factors.csv has no {'alternative' if edition else 'default'} "
                              f"row for {parameter}{f' ({edition})' if edition else ''}.")
        return rows.iloc[0]

    switches = []
    ch4, n2o = one("gwp_ch4", defaults), one("gwp_n2o", defaults)
    ch4_alt, n2o_alt = one("gwp_ch4", alternatives, "AR6"), one("gwp_n2o", alternatives, "AR6")
    switches.append(Switch(
        "gwp", "gwp", "Global warming potentials (100 years)", (ch4["edition"], ch4_alt["edition"]),
        (f"CH₄ {ch4['value']:g}, N₂O {n2o['value']:g} (as UNFCCC reporting uses)",
         f"CH₄ {ch4_alt['value']:g}, N₂O {n2o_alt['value']:g} (non-fossil CH₄)"),
        ch4_alt["edition"], "IPCC AR5 WG1 Table 8.A.1 vs AR6 WG1 Table 7.15."))
    for key, parameter, title, unit in (
            ("of", "open_burning_of", "Open-burning oxidation factor", "of carbon burned"),
            ("n2o", "open_burning_n2o", "Open-burning N₂O, g per t dry matter", "g N₂O/t dry matter")):
        default, alt = one(parameter, defaults), one(parameter, alternatives)
        switches.append(Switch(
            key, parameter, title, (f"{default['value']:g}", f"{alt['value']:g}"),
            (f"{default['edition']} (default, confidence {default['confidence']})",
             f"{alt['edition']} (confidence {alt['confidence']})"),
            "alt", f"Sources disagree: {default['value']:g} vs {alt['value']:g} {unit}. {default['note']}"))
    docf = one("docf", defaults)
    docf_alt = alternatives[(alternatives["parameter"] == "docf") & alternatives["edition"].eq("IPCC 2019")]
    if docf_alt.empty:
        raise PageProblem("data/emission_factors.csv has no IPCC 2019 DOCf rows.")
    listed = ", ".join(f"{m} {v:g}" for m, v in zip(docf_alt["material"], docf_alt["value"], strict=True))
    switches.append(Switch(
        "docf", "docf", "DOCf, the share of degradable carbon that decomposes",
        (_edition_label(docf["edition"]), _edition_label("IPCC 2019")),
        (f"{docf['value']:g} for every material", listed), "IPCC 2019",
        "IPCC 2006 bulk default vs the 2019 Refinement's values by material (Table 3.0)."))
    return switches


@st.cache_resource(show_spinner=False, max_entries=16)
def _source_names(data_dir: str) -> dict[str, str]:
    sources = load("sources")  # a DataError is not cached: a fixed file is read on the next run
    names = {}
    for row_id, producer, year in zip(sources["id"], sources["producer"], sources["year"], strict=True):
        year_text = "n.d." if year is None or pd.isna(year) else str(int(year))
        names[row_id] = f"{producer or row_id} ({year_text})"
    return names


def source_names() -> dict[str, str]:
    """Source id -> 'Producer (year)', or an empty map while data/sources.csv cannot be read."""
    try:
        return _source_names(data_key())
    except DataError:
        return {}


# ------------------------------------------------------------------ the model, cached

# Cached functions take the data folder (a short string) rather than the emission-factor table: hashing a
# DataFrame on every call costs more than the work it saves. They read the table themselves (components.data
# caches it), so the page must have loaded it without error first.
# Results the page only reads (frames, dicts, lists) use st.cache_resource, so a rerun does not unpickle
# copies of them; st.cache_data is kept where a caller derives new frames from the result.

def data_key() -> str:
    return str(data_dir_from_env())


def factor_table() -> pd.DataFrame:
    return load("emission_factors")


@st.cache_resource(show_spinner=False, max_entries=64)
def parameters(data_dir: str, choices: tuple) -> ghg.Parameters:
    """The resolved parameters of a choice of alternatives (never mutated: with_value returns a copy)."""
    return ghg.parameters_from_table(factor_table(), dict(choices))


@st.cache_resource(show_spinner=False, max_entries=128)
def run_case(total_t: float, composition: tuple, routes: tuple, data_dir: str, choices: tuple,
             residue: str, burn_pct: float) -> tuple[pd.DataFrame, dict[str, float], pd.Series]:
    """A case's per-row results, their summary and net t CO2e by where the waste was treated."""
    params = parameters(data_dir, choices)
    results = ghg.run_scenario(total_t, dict(composition), dict(routes), params, residue_route=residue,
                               uncollected_burn_pct=burn_pct)
    return results, ghg.summary(results), group_by_treatment(results)


@st.cache_data(show_spinner=False, max_entries=64)
def sensitivity_case(total_t: float, composition: tuple, routes: tuple, data_dir: str, choices: tuple,
                     residue: str, burn_pct: float) -> pd.DataFrame:
    return ghg.sensitivity(total_t, dict(composition), dict(routes), factor_table(), dict(choices),
                           residue_route=residue, uncollected_burn_pct=burn_pct)


@st.cache_resource(show_spinner=False, max_entries=64)
def route_factors(composition: tuple, routes: tuple, data_dir: str, choices: tuple, residue: str,
                  burn_pct: float) -> pd.DataFrame:
    """Net t CO2e per tonne of the mixed waste sent wholly to each route."""
    params = parameters(data_dir, choices)
    rows = []
    for route in routes:
        results = ghg.run_scenario(1.0, dict(composition), {route: 100}, params, residue_route=residue,
                                   uncollected_burn_pct=burn_pct)
        rows.append({"route": route, "label": ROUTE_LABELS[route],
                     "net_co2e_per_t": float(results["net_co2e"].sum()),
                     "ch4_t_per_t": float(results["ch4_t"].sum())})
    return pd.DataFrame(rows)


def frame_key(frame: pd.DataFrame) -> str:
    """A stand-in for a chart's (small) data frame that is cheap to hash: the repr of its columns and rows."""
    return repr((tuple(frame.columns), tuple(frame.itertuples(index=False, name=None))))


@st.cache_resource(show_spinner=False, max_entries=256)
def cached_figure(kind: str, key: str, _build: Callable[[], go.Figure]) -> go.Figure:
    """A figure built once per (chart, data); st.plotly_chart only reads it (to_dict), never changes it."""
    return _build()


@dataclass(frozen=True)
class Case:
    """A named set of route shares and its modelled results."""

    name: str
    routes: dict[str, float]
    residue: str
    results: pd.DataFrame
    totals: dict[str, float]
    by_treatment: pd.Series
    key: tuple  # (name, *arguments of run_case): identifies the case in the caches below


# ------------------------------------------------------------------ formatting

def mt_co2e(value_t: float, *, signed: bool = False) -> str:
    value_mt = round(value_t / 1e6, 2) + 0.0  # + 0.0 turns -0.0 into 0.0
    if signed and value_mt == 0:
        return "0.00 Mt CO₂e"
    text = f"{value_mt:+.2f}" if signed else f"{value_mt:.2f}"
    return text.replace("-", "−") + " Mt CO₂e"


def pct_change(new: float, old: float) -> float:
    return (new - old) / old * 100 if old else math.nan


def signed_pct(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    rounded = round(value) + 0
    return "0%" if rounded == 0 else f"{rounded:+d}%".replace("-", "−")


# ------------------------------------------------------------------ link values

def _is_number_in(low: float, high: float) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        try:
            value = float(text)
        except ValueError:
            return False
        return math.isfinite(value) and low <= value <= high
    return check


def link_checks(sets: Mapping[str, pd.DataFrame], switches: list[Switch]) -> dict[str, Callable[[str], bool]]:
    """URL key -> test of a value, mirroring what each bound widget accepts."""
    checks: dict[str, Callable[[str], bool]] = {
        "mt": _is_number_in(0.1, 20.0), "burn": _is_number_in(0, 100),
        "comp": set(sets).__contains__,
        "site": {ROUTE_LABELS[s] for s in SITE_TYPES}.__contains__,
        "cmp": {"true", "false"}.__contains__,
        "sens": set(SENSITIVITY_MODES).__contains__,
    }
    checks.update({switch.key: set(switch.options).__contains__ for switch in switches})
    for prefix, _ in SCENARIOS:
        checks.update({f"{prefix}_{lever.key}": _is_number_in(0, 100) for lever in LEVERS})
        checks[f"{prefix}_res"] = {ROUTE_LABELS[r] for r in ghg.RESIDUE_ROUTES}.__contains__
    return checks


def preset_values(defaults: Mapping[str, int]) -> dict[str, object]:
    """Widget values of the preset: A with a gas-capturing landfill, B the same without capture."""
    kept = defaults["recycle"] + defaults["incin"]
    values: dict[str, object] = {"cmp": True}
    for prefix, (lever_key, residue) in PRESET_LANDFILL.items():
        levers = {lever.key: 0 for lever in LEVERS}
        levers.update(compost=PRESET_COMPOST_PCT, recycle=defaults["recycle"], incin=defaults["incin"])
        levers[lever_key] = 100 - PRESET_COMPOST_PCT - kept
        values.update({f"{prefix}_{key}": value for key, value in levers.items()})
        values[f"{prefix}_res"] = residue
    return values


def reset_values(defaults: Mapping[str, int]) -> dict[str, object]:
    values: dict[str, object] = {}
    for prefix, _ in SCENARIOS:
        values.update({f"{prefix}_{key}": value for key, value in defaults.items()})
        values[f"{prefix}_res"] = ghg.DEFAULT_RESIDUE_ROUTE
    return values


def set_widgets(values: Mapping[str, object]) -> None:
    """Button callback: set bound widgets (Streamlit then writes the new values to the link)."""
    for key, value in values.items():
        st.session_state[key] = value


# ------------------------------------------------------------------ controls

@dataclass(frozen=True)
class Settings:
    total_t: float
    set_id: str
    composition: dict[str, float]
    site: str
    burn_pct: float
    choices: dict[str, str]


@st.cache_data(show_spinner=False, max_entries=16)
def site_type_help(data_dir: str) -> str:
    """The selectbox help, with each site type's methane correction factor read from the table."""
    params = parameters(data_dir, ())
    mcf = "; ".join(f"{ROUTE_LABELS[route].lower()} {params.get('mcf', route=ghg.DISPOSAL_SITES[route][0]):g}"
                    for route in SITE_TYPES)
    return ("The 2020-21 'landfills' (164 sites) are mostly dumpsites, so the default is an unmanaged deep dump "
            "(5 m or more, or a high water table; shallow: under 5 m). IPCC methane correction factors (MCF): "
            f"{mcf}. The same site type is used by the scenarios' first slider.")


def assumption_controls(sets: Mapping[str, pd.DataFrame], switches: list[Switch], default_mt: float,
                        headline_text: str, site_help: str) -> Settings:
    with st.container(border=True):
        st.markdown("**Assumptions shared by the baseline and both scenarios** — so that differences between "
                    "them come from the routes alone; the sensitivity chart shows how much each assumption "
                    "moves the answer.")
        left, right = st.columns(2, gap="large")
        with left:
            total_mt = st.number_input(
                "Waste generated in one year, million tonnes", min_value=0.1, max_value=20.0,
                value=round(default_mt, 2), step=0.05, format="%.2f", key="mt", bind="query-params",
                help=f"Default: {headline_text}")
            st.caption(f"Default {default_mt:.2f} Mt: {headline_text}")
            set_ids = list(sets)
            set_id = st.selectbox("Waste composition (complete published breakdowns)", set_ids, index=0,
                                  key="comp", bind="query-params",
                                  help="Only breakdowns that cover all the waste (shares adding to 100 %) "
                                       "can drive the model.")
            rows = sets[set_id]
            composition_note(rows)
            site = st.selectbox(
                "Treat the baseline's 'landfill' share as", SITE_TYPES, index=SITE_TYPES.index(DEFAULT_SITE),
                format_func=ROUTE_LABELS.get, key="site", bind="query-params",
                help=site_help)
            burn = st.slider("Share of uncollected waste burned in the open (the rest is dumped in shallow "
                             "heaps)", 0, 100, value=int(ghg.DEFAULT_UNCOLLECTED_BURN_PCT), step=5, format="%d%%",
                             key="burn", bind="query-params",
                             help="An assumption, not a published figure: no source splits Cambodia's "
                                  "uncontrolled disposal into burning and dumping.")
        with right:
            choices: dict[str, str] = {}
            for switch in switches:
                picked = st.radio(switch.title, switch.options, index=0, captions=switch.captions,
                                  horizontal=True, key=switch.key, bind="query-params", help=switch.help)
                if picked == switch.options[1]:
                    choices[switch.choice] = switch.alternative
            st.caption("Defaults: AR5 (UNFCCC reporting), the lower open-burning figures attributed to the IPCC "
                       "text, and the 2006 DOCf used with the other 2006 defaults (Cambodia reports with the 2006 "
                       "Guidelines). Every value and its source is listed under Methodology below.")
    return Settings(total_t=float(total_mt) * 1e6, set_id=set_id, composition=model_composition(rows),
                    site=site, burn_pct=float(burn), choices=choices)


def composition_note(rows: pd.DataFrame) -> None:
    first = rows.iloc[0]
    published = float(rows["share_pct"].sum())
    parts = []
    for material, share in zip(rows["material"], rows["share_pct"], strict=True):
        target = MATERIAL_MAP[material]
        note = MATERIAL_NOTES.get(material)
        shown = f"{material} {share:g}%"
        if target != material:
            shown += f" → {note or target}"
        parts.append(shown)
    rescaled = f" Published shares add up to {published:g}%, rescaled to 100%." if abs(published - 100) > 1e-9 \
        else ""
    st.caption(f"{first['geography']}, {first['period']}; source {first['source_id']} (confidence "
               f"{first['confidence']}). Mapped to model materials: {'; '.join(parts)}.{rescaled}")
    if isinstance(first.get("note"), str) and first["note"].startswith("Caution"):
        st.caption(first["note"])


def scenario_controls(prefix: str, title: str, defaults: Mapping[str, int], *,
                      disabled: bool = False) -> tuple[dict[str, int], str] | None:
    """Route sliders of one scenario; None (with a message) while they add up to more than 100 %."""
    with st.container(border=True):
        st.markdown(f"**{title}**: % of all waste sent to each route")
        values = {lever.key: st.slider(lever.label, 0, 100, value=defaults[lever.key], step=1, format="%d%%",
                                       key=f"{prefix}_{lever.key}", bind="query-params", help=lever.help,
                                       disabled=disabled)
                  for lever in LEVERS}
        residue = st.selectbox(
            "Where rejects of composting, digestion and recycling go", ghg.RESIDUE_ROUTES,
            index=ghg.RESIDUE_ROUTES.index(ghg.DEFAULT_RESIDUE_ROUTE), format_func=ROUTE_LABELS.get,
            key=f"{prefix}_res", bind="query-params", disabled=disabled,
            help="Non-compostable material screened out of composting and digestion, and material recycling "
                 "cannot credit, goes here. Default: shallow dump (an assumption).")
        if disabled:
            return None
        used = sum(values.values())
        remainder = 100 - used
        if remainder < 0:
            st.warning(f"**{title} is not computed: the sliders add up to {used}%**, {-remainder} points more "
                       "than all the waste. Lower one or more of them until the remainder (uncontrolled "
                       "disposal) is 0% or more.", icon=":material/block:")
            return None
        st.progress(remainder / 100, text=f"Remainder, uncontrolled disposal (not collected): **{remainder}%**")
        return values, residue


def scenario_routes(values: Mapping[str, int], site: str) -> dict[str, float]:
    routes: dict[str, float] = {}
    for lever in LEVERS:
        share = float(values[lever.key])
        if share > 0:
            route = lever.route or site
            routes[route] = routes.get(route, 0.0) + share
    remainder = 100.0 - sum(routes.values())
    if remainder > 0:
        routes[REMAINDER_ROUTE] = routes.get(REMAINDER_ROUTE, 0.0) + remainder
    return routes


def baseline_panel(rows: pd.DataFrame, site: str) -> None:
    with st.container(border=True):
        st.markdown(f"**{BASELINE}**: national route shares, {rows['period'].iloc[0]}")
        st.markdown("\n".join(f"- **{share:g}%** {label} → *{ROUTE_LABELS[model_route(route, site)].lower()}*"
                               for route, label, share in zip(rows["route"], rows["route_label"],
                                                              rows["share_pct"], strict=True)))
        st.caption("As published → as modelled. 'Uncontrolled' is modelled as uncollected waste, partly "
                   "burned in the open and partly dumped (the split is set under Assumptions); rejects of "
                   "composting and recycling go to a shallow dump.")
        source_line(rows["source_id"])


# ------------------------------------------------------------------ results

def delta_pct(new: float, old: float) -> str | None:
    """'-42%' for st.metric (an ASCII minus, so that the arrow points down); None when unchanged."""
    change = pct_change(new, old)
    if math.isnan(change) or round(change) == 0:
        return None
    return f"{round(change):+d}%"


def kpi_rows(cases: list[Case], settings: Settings, headline_text: str) -> None:
    base = cases[0].totals
    gwp = "AR6" if settings.choices.get("gwp") else "AR5"
    for case in cases:
        totals = case.totals
        is_base = case.name == BASELINE
        cols = st.columns(4)
        with cols[0]:
            kpi(f"{case.name}: net emissions", mt_co2e(totals["net_co2e"]),
                caption=f"committed by one year's waste, GWP100 {gwp}",
                help="Direct CH₄, N₂O and fossil CO₂ over the waste's lifetime, minus recycling credits.")
        with cols[1]:
            if is_base:
                kpi("Waste modelled", f"{settings.total_t / 1e6:.2f} Mt", caption=headline_text)
            else:
                change = totals["net_co2e"] - base["net_co2e"]
                kpi(f"{case.name}: change vs baseline",
                    signed_pct(pct_change(totals["net_co2e"], base["net_co2e"])),
                    delta=None if abs(change) < 5e3 else mt_co2e(change, signed=True).replace("−", "-"),
                    caption="net emissions against the baseline; negative = fewer")
        with cols[2]:
            kpi(f"{case.name}: landfill/dump CH₄", f"{totals['ch4_landfill_dump_t'] / 1e3:,.0f} kt CH₄",
                delta=None if is_base else delta_pct(totals["ch4_landfill_dump_t"], base["ch4_landfill_dump_t"]),
                caption=f"methane from landfills and dumps (= {mt_co2e(totals['ch4_landfill_dump_co2e'])}), "
                        "incl. uncollected waste dumped")
        with cols[3]:
            kpi(f"{case.name}: net per tonne", f"{totals['net_co2e_per_t'] * 1e3:,.0f} kg CO₂e",
                delta=None if is_base else delta_pct(totals["net_co2e_per_t"], base["net_co2e_per_t"]),
                caption="per tonne of waste generated")


def group_by_treatment(results: pd.DataFrame) -> pd.Series:
    """Net t CO2e by where the waste was treated: rejects count where they went; uncollected stays one group."""
    key = results["treated_as"].where(results["route"] != REMAINDER_ROUTE, REMAINDER_ROUTE)
    return results.groupby(key, sort=False)["net_co2e"].sum()


def change_sentence(case: Case, base: Case) -> str:
    new, old = case.totals["net_co2e"], base.totals["net_co2e"]
    change = pct_change(new, old)
    if abs(new - old) < 0.5:
        return f"{case.name} equals the baseline"
    verb = "cuts" if new < old else "raises"
    return f"{case.name} {verb} net emissions by {abs(change):.0f}% to {new / 1e6:.2f} Mt CO₂e"


def subtitle(settings: Settings, rows: pd.DataFrame, extra: str = "") -> str:
    gwp = "AR6" if settings.choices.get("gwp") else "AR5"
    return (f"Cambodia, all municipal waste of one year ({settings.total_t / 1e6:.2f} Mt); baseline routes "
            f"{rows['period'].iloc[0]}; composition {settings.set_id}; committed (lifetime) emissions, "
            f"GWP100 {gwp}. {extra}").strip()


def net_chart(cases: list[Case], settings: Settings, rows: pd.DataFrame, source_ids: list[str]) -> None:
    base = cases[0]
    totals = pd.DataFrame([{"case": c.name, **{k: c.totals[k] for k in ("direct_co2e", "avoided_co2e",
                                                                         "net_co2e", "ch4_landfill_dump_co2e")}}
                           for c in cases])
    others = cases[1:]
    if others and all(abs(c.totals["net_co2e"] - base.totals["net_co2e"]) < 0.5 for c in others):
        title = (f"{' and '.join(c.name for c in others)} equal{'s' if len(others) == 1 else ''} the baseline, "
                 f"{base.totals['net_co2e'] / 1e6:.2f} Mt CO₂e: move the sliders or try the preset")
    elif others:
        title = "; ".join(change_sentence(c, base) for c in others) + \
            f" (baseline {base.totals['net_co2e'] / 1e6:.2f} Mt CO₂e)"
    else:
        title = (f"The baseline commits {base.totals['net_co2e'] / 1e6:.2f} Mt CO₂e; the scenario cannot be "
                 "computed until its shares add up to 100% or less")
    chart_frame(
        key="scenario-net",
        title=title,
        subtitle=subtitle(settings, rows, "Million tonnes CO₂e (Mt CO₂e)."),
        figure=cached_figure("net", frame_key(totals), lambda: sfig.net_comparison(totals)),
        table=totals.rename(columns={"case": "case", "direct_co2e": "direct_tco2e", "avoided_co2e": "avoided_tco2e",
                                     "net_co2e": "net_tco2e", "ch4_landfill_dump_co2e": "landfill_dump_ch4_tco2e"}),
        source_ids=source_ids,
        alt="Bar chart of net committed emissions: "
            + "; ".join(f"{c.name} {c.totals['net_co2e'] / 1e6:.2f} Mt CO2e" for c in cases) + ".",
        reading="Direct emissions are drawn up, recycling credits down, and the diamond is the net. The "
                "scenarios keep the baseline's tonnage, composition and emission factors; only the routes "
                "change.",
        method="IPCC 2006 Vol. 5 Tier 1 mass balance: every tonne is charged with all the methane it will "
               "release (committed emissions), plus N₂O and fossil CO₂ from burning and biological "
               "treatment, minus WARM recycling credits. See Methodology.",
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def route_breakdown(case_keys: tuple) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, float]:
    """Net t CO2e by treatment route for each case (keys as Case.key), its table, the baseline's top route and
    that route's share of the baseline's direct emissions."""
    frames = []
    for name, *args in case_keys:
        grouped = run_case(*args)[2]
        frames.append(pd.DataFrame({"case": name, "route": grouped.index, "net_co2e": grouped.to_numpy()}))
    by_route = pd.concat(frames, ignore_index=True)
    base = by_route[by_route["case"] == BASELINE]
    direct = base[base["net_co2e"] > 0]
    top = direct.sort_values("net_co2e", ascending=False).iloc[0]
    share = top["net_co2e"] / direct["net_co2e"].sum() * 100
    table = by_route.assign(route_label=by_route["route"].map(ROUTE_LABELS)).rename(
        columns={"net_co2e": "net_tco2e"})
    return by_route, table[["case", "route", "route_label", "net_tco2e"]], top, share


def route_chart(cases: list[Case], settings: Settings, rows: pd.DataFrame, source_ids: list[str]) -> None:
    case_keys = tuple(case.key for case in cases)
    by_route, table, top, share = route_breakdown(case_keys)
    chart_frame(
        key="scenario-routes",
        title=f"{share:.0f}% of the baseline's emissions come from one route: "
              f"{ROUTE_LABELS[top['route']].lower()}",
        subtitle=subtitle(settings, rows, "Net million tonnes CO₂e by where the waste is treated."),
        figure=cached_figure("routes", repr(case_keys), lambda: sfig.emissions_by_route(by_route, ROUTE_LABELS)),
        table=table,
        source_ids=source_ids,
        alt="Stacked bar chart of net emissions by treatment route for "
            + ", ".join(c.name for c in cases) + f"; in the baseline {ROUTE_LABELS[top['route']]} gives "
            f"{top['net_co2e'] / 1e6:.2f} Mt CO2e.",
        reading="Each segment is the waste treated on one route. Rejects screened out of composting, digestion "
                "or recycling are counted where they end up (the 'rejects go' choice of each scenario); "
                "uncontrolled disposal mixes open burning and shallow dumping.",
        method="sum of run_scenario rows by the route each tonne is actually treated on (column treated_as).",
    )


def intensity_chart(cases: list[Case], settings: Settings, rows: pd.DataFrame, source_ids: list[str],
                    data_dir: str) -> None:
    routes = tuple(dict.fromkeys([settings.site] + [lever.route for lever in LEVERS if lever.route]
                                 + [REMAINDER_ROUTE]))
    factors = route_factors(tuple(settings.composition.items()), routes, data_dir,
                            tuple(settings.choices.items()), ghg.DEFAULT_RESIDUE_ROUTE, settings.burn_pct)
    worst = factors.sort_values("net_co2e_per_t").iloc[-1]
    best = factors.sort_values("net_co2e_per_t").iloc[0]
    averages = {c.name: c.totals["net_co2e_per_t"] for c in cases}
    params = parameters(data_dir, tuple(settings.choices.items()))

    def mcf(route: str) -> float:
        return params.get("mcf", route=ghg.DISPOSAL_SITES[route][0])

    chart_frame(
        key="scenario-intensity",
        title=f"Per tonne of mixed waste, {worst['label'].lower()} commits the most "
              f"({worst['net_co2e_per_t'] * 1e3:,.0f} kg CO₂e) and {best['label'].lower()} the least "
              f"({best['net_co2e_per_t'] * 1e3:,.0f} kg)",
        subtitle=subtitle(settings, rows, "Kilograms CO₂e per tonne of waste of the chosen composition; "
                                          "dashed lines: each case's average."),
        figure=cached_figure("intensity", (frame_key(factors), tuple(averages.items())),
                             lambda: sfig.route_intensity(factors, averages)),
        table=factors.assign(net_kgco2e_per_t=factors["net_co2e_per_t"] * 1e3,
                             ch4_kg_per_t=factors["ch4_t_per_t"] * 1e3)[
            ["route", "label", "net_kgco2e_per_t", "ch4_kg_per_t"]],
        source_ids=source_ids,
        alt="Horizontal bar chart of net emissions per tonne of mixed waste by route, from "
            f"{best['label']} ({best['net_co2e_per_t'] * 1e3:,.0f} kg) to {worst['label']} "
            f"({worst['net_co2e_per_t'] * 1e3:,.0f} kg CO2e per tonne).",
        reading="Per tonne of the whole mixed stream, so composting and recycling include their rejects "
                "(sent to a shallow dump here). A sanitary landfill without gas capture commits more methane "
                "per tonne than a dump: it is deeper and fully anaerobic (IPCC MCF "
                f"{mcf('sanitary_landfill'):g} against {mcf('unmanaged_deep'):g} for a deep dump and "
                f"{mcf('unmanaged_shallow'):g} for a shallow one).",
        method="run_scenario of one tonne with 100 % on each route; rejects to the model default (shallow dump).",
    )


def sensitivity_label(row: pd.Series) -> str:
    name = PARAMETER_NAMES.get(row["parameter"], row["parameter"])
    if row["kind"] == "choice":
        return f"{name}: {row['case_high']} instead of {row['case_low']}"
    route = row["route"] if row["parameter"] in ("mcf", "ox") else ""
    where = ", ".join(part.replace("_", " ") for part in (row["material"], route) if part)
    where = f" ({where})" if where else ""
    return f"{name}{where}: {row['input_low']:g} to {row['input_high']:g}"


@st.cache_resource(show_spinner=False, max_entries=64)
def tornado_rows(total_t: float, composition: tuple, data_dir: str, choices: tuple, burn_pct: float,
                 routes: tuple, residue: str, base_routes: tuple | None, base_residue: str | None) -> pd.DataFrame:
    """Sensitivity rows of a case, labelled; with base_routes, its change against that baseline instead."""
    sens = sensitivity_case(total_t, composition, routes, data_dir, choices, residue, burn_pct)
    if base_routes is not None:
        base = sensitivity_case(total_t, composition, base_routes, data_dir, choices, base_residue,
                                burn_pct).set_index("id")
        sens = sens.set_index("id")
        for column in ("delta_low", "delta_high"):
            sens[column] = sens[column] - base.loc[sens.index, column]
        sens["swing"] = (sens["delta_high"] - sens["delta_low"]).abs()
        sens = sens.reset_index().sort_values("swing", ascending=False, ignore_index=True)
    return sens.assign(label=sens.apply(sensitivity_label, axis=1))


TORNADO_COLUMNS = ["label", "delta_low", "delta_high", "low_text", "high_text"]  # what sfig.tornado reads


def tornado_chart(cases: list[Case], settings: Settings, rows: pd.DataFrame, source_ids: list[str],
                  data_dir: str) -> None:
    target = next((c for c in cases if c.name != BASELINE), cases[0])
    mode = st.radio("Sensitivity of", SENSITIVITY_MODES, horizontal=True, key="sens",
                    bind="query-params", disabled=target.name == BASELINE,
                    help="Net: how far the case's total moves. Change: how far its saving against the baseline "
                         "moves (the baseline is recomputed with the same swung value).")

    change = mode == SENSITIVITY_MODES[1] and target.name != BASELINE
    what = f"{target.name}'s change against the baseline" if change else f"{target.name}'s net emissions"
    sens = tornado_rows(settings.total_t, tuple(settings.composition.items()), data_dir,
                        tuple(settings.choices.items()), settings.burn_pct, tuple(target.routes.items()),
                        target.residue, tuple(cases[0].routes.items()) if change else None,
                        cases[0].residue if change else None)
    shown = sens[sens["swing"] > 1e-6].head(12)
    if shown.empty:
        same = target.routes == cases[0].routes and target.residue == cases[0].residue
        st.info(f"No parameter moves {what}"
                + (f": {target.name} sends the waste where the baseline does. Choose 'Net emissions', or "
                   "change the scenario." if same else "."), icon=":material/info:")
        return
    shown = shown.assign(low_text=[("default" if k == "choice" else f"low end {v:g}")
                                   for k, v in zip(shown["kind"], shown["input_low"], strict=True)],
                         high_text=[(str(c) if k == "choice" else f"high end {v:g}")
                                    for k, c, v in zip(shown["kind"], shown["case_high"], shown["input_high"],
                                                       strict=True)])
    top = shown.iloc[0]
    bars = shown[TORNADO_COLUMNS]
    chart_frame(
        key="scenario-tornado",
        title=f"{top['label'].split(':')[0]} moves {what} most: by up to {top['swing'] / 1e6:.2f} Mt CO₂e "
              + ("with its published alternative" if top["kind"] == "choice" else "across its published range"),
        subtitle=subtitle(settings, rows, f"Change in {what}, million tonnes CO₂e, when one parameter at a time "
                                          "takes the ends of its published range or its published alternative; "
                                          "the 12 widest swings."),
        figure=cached_figure("tornado", frame_key(bars), lambda: sfig.tornado(bars)),
        table=sens[["label", "id", "kind", "input_low", "input_default", "input_high", "net_low", "net_default",
                    "net_high", "delta_low", "delta_high", "swing"]],
        source_ids=source_ids,
        alt=f"Tornado chart of the {len(shown)} parameters that move {what} most; the widest is {top['label']} "
            f"with a swing of {top['swing'] / 1e6:.2f} Mt CO2e.",
        reading="Blue: the low end of a range (or the default of a choice); vermillion: the high end (or the "
                "alternative). Ranges are those the sources publish (IPCC default ranges, bonsai min/max); "
                "parameters with no published range are fixed.",
        method="core.ghg.sensitivity: one parameter at a time, all others at their chosen values.",
    )


# ------------------------------------------------------------------ methodology

def methodology(data_dir: str, settings: Settings, names: Mapping[str, str], rows: pd.DataFrame,
                comp_rows: pd.DataFrame) -> None:
    with st.expander("Methodology: equations, every parameter with its source, assumptions and limits",
                     icon=":material/functions:"):
        st.markdown("**Committed emissions.** Each tonne of this year's waste is charged with every emission it "
                    "will ever cause, booked now (IPCC 2006 Vol. 5, Tier 1 mass balance). Per tonne of wet waste "
                    "of material *j*:")
        st.latex(r"\text{CH}_4^{\,site} = DOC_j \times DOC_{f,j} \times MCF_{site} \times F \times \tfrac{16}{12}"
                 r" \times (1 - OX)")
        st.latex(r"\text{with gas capture: } \text{CH}_4 = G\,[(1-R)(1-OX) + R\,(1-DE)]")
        st.latex(r"\text{CO}_2^{\,fossil} = dm_j \times CF_j \times FCF_j \times OF \times \tfrac{44}{12}, \quad "
                 r"\text{N}_2\text{O}_{burn} = EF_{N_2O} \times dm_j")
        st.latex(r"\text{net CO}_2\text{e} = \text{CO}_2^{\,fossil} + GWP_{CH_4}\,\text{CH}_4 + GWP_{N_2O}\,"
                 r"\text{N}_2\text{O} - \text{recycling credit}")
        st.markdown(
            "Composting and digestion use IPCC Table 4.1 factors per kg of wet waste; incineration the same "
            "fossil-carbon equation with its own oxidation factor; biogenic CO₂ is not counted (IPCC convention)."
            "\n\n**Assumptions (stated so that you can disagree with them)**\n"
            "- Route shares apply to the mixed stream: x % of every material goes to the route.\n"
            "- Composting and digestion accept only food and garden waste; every other material sent there is "
            "a **reject** and goes to each scenario's 'rejects go' route (baseline: a shallow dump).\n"
            "- Recycling is credited only for materials with a WARM factor; generic paper is credited as "
            "'mixed paper', other materials are rejects. No sorting losses are applied.\n"
            f"- **Uncollected waste** (the baseline's 'uncontrolled' share and the scenarios' remainder): "
            f"{settings.burn_pct:g}% burned in the open, the rest dumped in shallow heaps. Not a published "
            "figure.\n"
            f"- The baseline's 'landfill' share is modelled as **{ROUTE_LABELS[settings.site].lower()}**.\n"
            "- **Committed emissions = lifetime emissions of this year's waste**, not the emissions of this "
            "year: the methane of a dump is released over decades. An annual inventory (first-order decay) "
            "would give different numbers year by year.\n"
            "- Recycling credits are US EPA WARM v16 factors (US grid and US virgin production): indicative "
            "only for Cambodia.")
        st.markdown("**Routes as published → routes modelled**")
        st.dataframe(pd.DataFrame({
            "route in data/treatment.csv": rows["route"], "label": rows["route_label"],
            "share %": rows["share_pct"], "modelled as": [ROUTE_LABELS[model_route(r, settings.site)]
                                                          for r in rows["route"]]}),
            hide_index=True, key="method-routes")
        st.markdown("**Materials as published → materials modelled**")
        st.dataframe(pd.DataFrame({
            "material in data/composition.csv": comp_rows["material"], "label": comp_rows["material_label"],
            "share %": comp_rows["share_pct"], "modelled as": comp_rows["material"].map(MATERIAL_MAP)}),
            hide_index=True, key="method-materials")
        st.markdown("**Every parameter the model uses, with the values chosen above**")
        used = used_parameters(data_dir, tuple(settings.choices.items()), bool(names))
        st.dataframe(used, hide_index=True, key="method-parameters")
        if not names:
            st.caption("Source titles cannot be listed yet (data/sources.csv is not readable); the source ids "
                       "are shown instead.")
        st.markdown(
            "**Not covered:** collection and transport, energy recovery credits (incineration, biogas, landfill "
            "gas use), compost and soil-carbon credits, carbon stored in landfills, black carbon from open "
            "burning, annual timing of methane (first-order decay), wastewater and sludge, and waste burned or "
            "dumped into water. Medium- and low-confidence values still need checking against the IPCC PDFs "
            "(research dossier lca.md).")
        source_line(used["source_id"], prefix="parameter_source")


@st.cache_resource(show_spinner=False, max_entries=64)
def used_parameters(data_dir: str, choices: tuple, with_names: bool) -> pd.DataFrame:
    """parameter_table of a choice of alternatives, with source names when data/sources.csv is readable."""
    return parameter_table(factor_table(), parameters(data_dir, choices), source_names() if with_names else {})


def parameter_table(table: pd.DataFrame, params: ghg.Parameters, names: Mapping[str, str]) -> pd.DataFrame:
    ids = [row_id for key, row_id in params.row_ids.items() if key[0] in ghg.MODEL_PARAMETERS]
    used = table.set_index("id").loc[ids].reset_index()
    used["sources"] = [", ".join(names.get(s, s) for s in split_ids(cell)) for cell in used["source_id"]]
    columns = ["parameter", "material", "route", "value", "unit", "low", "high", "edition", "sources",
               "confidence", "quote", "note", "id", "source_id"]
    return used[columns].sort_values(["parameter", "material", "route"], ignore_index=True)


# ------------------------------------------------------------------ page

def main() -> None:
    st.title("Scenario lab: what if Cambodia's waste took other routes?")
    st.markdown("Move waste between treatment routes and see the greenhouse gases it commits: methane from "
                "landfills and dumps, gases from burning and composting, and credits for recycling. The "
                "baseline is the 2020-21 national route mix; every factor comes from IPCC and EPA tables, with "
                "its source listed under Methodology. The link in your address bar keeps your scenario.")
    # The model works on the national stream as a whole; the sector filters shape the evidence pages.
    applied_note(current(), ())
    loaded = need("treatment", "composition", "emission_factors", "estimates")
    if loaded is None:
        return
    data_dir = data_key()
    try:
        base_rows, defaults, sets, switches, headline = prepared(data_dir)
    except (PageProblem, LookupError, ValueError, KeyError) as problem:
        st.error(f"**The scenario lab cannot be drawn:** {problem}", icon=":material/report:")
        return
    headline_text = (f"national waste generated in {headline.year} ({headline.source_id}), the dashboard's "
                     "headline figure")
    ignored = [f"{k}={v}" for k, v in unrecognised_link_values(link_checks(sets, switches))]
    if ignored:
        st.caption(f"Some values in the link were not recognised and the defaults are used instead: "
                   f"{', '.join(ignored)}.")

    buttons = st.columns([3, 1, 2])
    with buttons[0]:
        st.button(PRESET_QUESTION, type="primary",
                  icon=":material/lightbulb:", on_click=set_widgets, args=(preset_values(defaults),), key="preset")
    with buttons[1]:
        st.button("Reset scenarios", icon=":material/restart_alt:", on_click=set_widgets,
                  args=(reset_values(defaults),), key="reset")
    with buttons[2]:
        compare = st.toggle("Compare two scenarios side by side", value=False, key="cmp", bind="query-params")
    preset_slot = st.empty()  # filled once the assumptions are known, with the preset's numbers

    settings = assumption_controls(sets, switches, headline.value_t / 1e6, headline_text, site_type_help(data_dir))

    columns = st.columns(3, gap="medium")
    with columns[0]:
        baseline_panel(base_rows, settings.site)
    picked: dict[str, tuple[dict[str, int], str] | None] = {}
    for column, (prefix, name) in zip(columns[1:], SCENARIOS, strict=True):
        with column:
            if prefix == "b" and not compare:
                # Drawn (switched off) rather than left out, so that the preset can set B's values and
                # Streamlit writes them to the link: it does so only for widgets drawn on the previous run.
                with st.expander(f"{name} is off: switch on **Compare two scenarios** to use it",
                                 icon=":material/compare_arrows:"):
                    scenario_controls(prefix, name, defaults, disabled=True)
                continue
            picked[prefix] = scenario_controls(prefix, name, defaults)

    specs = [(BASELINE, baseline_routes(base_rows, settings.site), ghg.DEFAULT_RESIDUE_ROUTE)]
    for prefix, name in SCENARIOS:
        if picked.get(prefix) is not None:
            values, residue = picked[prefix]
            specs.append((name, scenario_routes(values, settings.site), residue))
    preset = preset_values(defaults)
    preset_specs = [(name, scenario_routes({lever.key: preset[f"{prefix}_{lever.key}"] for lever in LEVERS},
                                           settings.site), preset[f"{prefix}_res"]) for prefix, name in SCENARIOS]
    composition_key = tuple(settings.composition.items())
    choices_key = tuple(sorted(settings.choices.items()))
    try:
        def make_case(name: str, routes: dict[str, float], residue: str) -> Case:
            args = (settings.total_t, composition_key, tuple(routes.items()), data_dir, choices_key, residue,
                    settings.burn_pct)
            return Case(name, routes, residue, *run_case(*args), key=(name, *args))

        cases, preset_cases = ([make_case(*spec) for spec in group] for group in (specs, preset_specs))
    except (ValueError, KeyError) as problem:
        st.error(f"**The model refused these inputs:** {problem}", icon=":material/report:")
        return
    with preset_slot.container():
        preset_note(defaults, cases[0], preset_cases)

    st.subheader("Results")
    st.caption("How to read these numbers: **committed emissions = the lifetime emissions of this year's "
               "waste**, booked now, not this year's inventory; **uncollected waste** is "
               f"{settings.burn_pct:g}% burned in the open and the rest dumped in shallow heaps (an assumption); "
               "**rejects** of composting, digestion and recycling go where each scenario says (baseline: a "
               "shallow dump). Details under Methodology.")
    kpi_rows(cases, settings, headline_text)
    source_ids = chart_sources(data_dir, settings.set_id, choices_key)
    net_chart(cases, settings, base_rows, source_ids)
    route_chart(cases, settings, base_rows, source_ids)
    intensity_chart(cases, settings, base_rows, source_ids, data_dir)
    tornado_chart(cases, settings, base_rows, source_ids, data_dir)
    methodology(data_dir, settings, source_names(), base_rows, sets[settings.set_id])


# cache_resource: the page's own classes (Switch) cannot be pickled, and the result is only ever read.
@st.cache_resource(show_spinner=False, max_entries=16)
def prepared(data_dir: str) -> tuple[pd.DataFrame, dict[str, int], dict[str, pd.DataFrame], list[Switch],
                                     evidence.Headline]:
    """Baseline rows, slider defaults, composition sets, switches and headline (raises PageProblem & co.)."""
    base_rows = baseline_shares(load("treatment"))
    defaults = lever_defaults(base_rows)
    sets = composition_sets(load("composition"))
    if not sets:
        raise PageProblem("data/composition.csv has no complete breakdown (set_complete true, shares adding "
                          "to 100) whose materials the model knows.")
    return base_rows, defaults, sets, build_switches(factor_table()), evidence.headline_total(load("estimates"))


@st.cache_resource(show_spinner=False, max_entries=64)
def chart_sources(data_dir: str, set_id: str, choices: tuple) -> list[str]:
    """The sources under every chart: baseline routes, headline, composition set and parameters used."""
    base_rows, _, _, _, headline = prepared(data_dir)
    composition = load("composition")
    return list(dict.fromkeys(
        list(base_rows["source_id"]) + [headline.source_id]
        + list(composition.loc[composition["set_id"] == set_id, "source_id"])
        + [split_ids(cell)[0] for cell in used_parameters(data_dir, choices, False)["source_id"]]))


def preset_note(defaults: Mapping[str, int], base: Case, preset_cases: list[Case]) -> None:
    """The preset's definition, and its answer under the current assumptions."""
    kept = defaults["recycle"] + defaults["incin"]
    landfill = 100 - PRESET_COMPOST_PCT - kept
    with_capture, without_capture = (c.totals["net_co2e"] for c in preset_cases)
    old = base.totals["net_co2e"]
    st.caption(
        f"The question, made precise: **{PRESET_COMPOST_PCT}% of all waste goes through composting** (so half of "
        f"the food and garden waste is composted; the other materials in it are screened out as rejects), "
        f"recycling and incineration stay at today's {defaults['recycle']}% and {defaults['incin']}%, and **no "
        f"waste is dumped or left uncollected**: the other {landfill}% and all rejects go to a sanitary "
        f"landfill. Scenario A's landfill captures and flares its gas; scenario B's does not. **The answer** "
        f"with the assumptions below: net committed emissions go from {old / 1e6:.2f} to "
        f"**{with_capture / 1e6:.2f} Mt CO₂e ({signed_pct(pct_change(with_capture, old))}) with gas capture**, "
        f"and to {without_capture / 1e6:.2f} Mt CO₂e ({signed_pct(pct_change(without_capture, old))}) without it"
        + (": a deep, anaerobic landfill makes more methane than the dumps and open burning it replaces."
           if without_capture > old else "."))


main()
