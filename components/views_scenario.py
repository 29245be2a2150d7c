"""The Scenario lab's pieces (app_pages/scenario.py draws them): fixed choices, controls, the model, cached views.

They live in a module, not in the page file: a page file is compiled and run anew on every rerun, so its size
and every cached function defined in it cost on each run. What a run shows is built once: `page_base` (cached per
data folder and language: what the controls need, i.e. switches, defaults, link checks, notes) and `results_view`
(kept in that base per control values: every number, text, table and figure under the controls; the sensitivity
chart per mode on first use), so a warm run makes one Streamlit cache call and draws. The results are shared,
read-only objects. A DataError is raised by the builders, never kept: the page shows it
(components.data.show_data_error), and a fixed file is read on the next run.

Drawn only on demand (collapsed panels that rerun the page when opened): scenario B's levers while the comparison
is off, and the methodology panel's content.

Every text comes from the catalogue (locales/scenario.csv, keys `scenario.*`) in the session's language. The link
holds codes in both languages: numeric sliders stay bound (bind="query-params"); controls whose options are shown
as words (site type, rejects' route, the four published conflicts, the sensitivity mode) are kept in the link by
components.i18n.url_control. Links written before the translation held English labels for some of them
(site=Unmanaged+deep+dump, a_res=Open+burning, sens=Net+emissions): they are still accepted (LEGACY_LINK_VALUES).
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from components.data import load
from components.frame import chart_frame, kpi, lazy_panel, prepared_table, source_line
from components.i18n import tr, url_control, url_value
from core import evidence, ghg
from core import scenario_figures as sfig
from core.catalogue import DataError, data_dir_from_env, split_ids
from core.i18n import Translator, translator
from core.scenario import (
    BASELINE_SET,
    DEFAULT_SITE,
    DOSSIER_TO_MODEL,
    MATERIAL_MAP,
    PRESET_COMPOST_PCT,
    PRESET_LANDFILL,
    SHARE_TOLERANCE,
    SITE_ROUTES,
    composition_sets,
    model_composition,
)

# ------------------------------------------------------------------ the baseline and the mappings


SITE_TYPES = ("unmanaged_deep", "unmanaged_shallow", "uncategorised_dump", "semi_aerobic", "sanitary_landfill",
              "sanitary_landfill_capture")
# Every model route the page names; its words are the catalogue's scenario.route.<code>.
ROUTES = SITE_TYPES + ("open_burning", "incineration", "composting", "anaerobic_digestion", "recycling",
                       "uncollected")

# The English labels that links written before the translation hold for the site type and the rejects' route
# (Streamlit's bound selectboxes wrote the displayed label). Kept literally, so those links keep working even if
# the catalogue's English wording changes; tests/test_scenario_page.py checks they match it today.
LEGACY_ROUTE_LABELS = {
    "sanitary_landfill": "Sanitary landfill, no gas capture",
    "sanitary_landfill_capture": "Sanitary landfill with gas capture",
    "semi_aerobic": "Semi-aerobic managed landfill",
    "unmanaged_deep": "Unmanaged deep dump",
    "unmanaged_shallow": "Unmanaged shallow dump",
    "uncategorised_dump": "Dump of unknown depth",
    "open_burning": "Open burning",
    "incineration": "Incineration",
}
# Model materials named by the composition note (a published material mapped to another model material).
MATERIAL_NOTES = frozenset({"organic", "other", "inert"})


def route_label(_: Translator, route: str) -> str:
    """A model route in words ('Unmanaged deep dump')."""
    return _(f"scenario.route.{route}") if route in ROUTES else route


@dataclass(frozen=True)
class Lever:
    """One scenario slider: a share of the mixed waste stream sent to a route (words: scenario.lever.<key>.*)."""

    key: str
    route: str | None  # None: the site type chosen for today's landfills


LEVERS = (
    Lever("dump", None),
    Lever("sanitary", "sanitary_landfill"),
    Lever("lfg", "sanitary_landfill_capture"),
    Lever("compost", "composting"),
    Lever("ad", "anaerobic_digestion"),
    Lever("recycle", "recycling"),
    Lever("incin", "incineration"),
)
REMAINDER_ROUTE = "uncollected"
SCENARIOS = ("a", "b")  # prefixes of the two scenarios' link keys; names: scenario.case.a / scenario.case.b
BASELINE = "baseline"  # the baseline's case code; name: scenario.case.baseline
SENSITIVITY_MODES = ("net", "change")  # link codes of the sensitivity radio; words: scenario.sens.<code>
DEFAULT_SENSITIVITY = "net"
SENSITIVITY_KEY = "sens"

# Link values written before the translation (English labels), mapped to today's codes.
LEGACY_LINK_VALUES: dict[str, dict[str, str]] = {
    "site": {LEGACY_ROUTE_LABELS[route]: route for route in SITE_TYPES},
    **{f"{prefix}_res": {LEGACY_ROUTE_LABELS[route]: route for route in ghg.RESIDUE_ROUTES}
       for prefix in SCENARIOS},
    SENSITIVITY_KEY: {"Net emissions": "net", "Change vs baseline": "change"},
}

# Parameters of the emission-factor table with words in the catalogue (scenario.param.<code>).
PARAMETERS = ("doc", "docf", "mcf", "f", "ox", "lfg_collection_efficiency", "flare_destruction", "dm", "cf",
              "fcf", "open_burning_of", "open_burning_ch4", "open_burning_n2o", "incineration_of",
              "incineration_ch4", "incineration_n2o", "compost_ch4", "compost_n2o", "ad_ch4", "ad_n2o",
              "gwp_ch4", "gwp_n2o", "gwp", "recycling_credit")
CONFIDENCE = ("high", "medium", "low")


def where_word(_: Translator, code: str) -> str:
    """A material or IPCC site/cover code of the emission-factor table in words ('rubber leather')."""
    return _(f"scenario.where.{code}") if _.has(f"scenario.where.{code}") else code.replace("_", " ")


def case_name(_: Translator, code: str) -> str:
    """'Baseline', 'Scenario A', 'Scenario B' in the language."""
    return _(f"scenario.case.{code}")


@dataclass(frozen=True)
class Switch:
    """A two-way choice between a table's default and one published alternative."""

    key: str
    choice: str  # choice key of core.ghg.parameters_from_table
    title: str
    options: tuple[str, str]  # codes, stored in the URL; the default first
    captions: tuple[str, str]
    alternative: str  # the option value core.ghg understands
    help: str
    numeric: bool = False  # options are numbers (written with the language's decimal sign)


class PageProblem(Exception):
    """A data problem this page can name (shown as a message, never a traceback): a catalogue key and its values."""

    def __init__(self, name: str, **params: object) -> None:
        self.name, self.params = name, params
        super().__init__(self.message(translator("en")))

    def message(self, _: Translator) -> str:
        return _(f"scenario.problem.{self.name}", **self.params)


class ModelRefused(Exception):
    """The model refused the scenarios (a ValueError or KeyError of core.ghg); the page names the problem."""

    def __init__(self, problem: Exception) -> None:
        self.problem = problem
        super().__init__(str(problem))


# ------------------------------------------------------------------ numbers in words

def g(_: Translator, value: float) -> str:
    """A number as Python's '{:g}' writes it, with the language's decimal sign (0.58 / 0,58)."""
    text = f"{value:g}"
    return text.replace(".", ",") if _.lang == "km" else text


def mt_value(_: Translator, value_t: float, *, signed: bool = False) -> str:
    """Tonnes as million tonnes, two decimals: '1.97' (signed: '+0.12', '−0.45'; a true minus sign)."""
    value_mt = round(value_t / 1e6, 2) + 0.0  # + 0.0 turns -0.0 into 0.0
    if signed and value_mt == 0:
        return _.num(0, 2)
    return _.num(value_mt, 2, grouping=False, signed=signed).replace("-", "−")


def mt_co2e(_: Translator, value_t: float, *, signed: bool = False) -> str:
    """'1.97 Mt CO₂e' (signed: '+0.12', '−0.45'; a true minus sign)."""
    return _("scenario.unit.mt", value=mt_value(_, value_t, signed=signed))


def pct_change(new: float, old: float) -> float:
    return (new - old) / old * 100 if old else math.nan


def signed_pct(_: Translator, value: float) -> str:
    if math.isnan(value):
        return _("scenario.not_available")
    rounded = round(value) + 0
    return "0%" if rounded == 0 else _.num(rounded, 0, grouping=False, signed=True).replace("-", "−") + "%"


def mt_number(_: Translator, value_t: float) -> str:
    """Tonnes as million tonnes with two decimals, in the language ('1.97')."""
    return _.num(value_t / 1e6, 2, grouping=False)


# ------------------------------------------------------------------ reading the tables

def baseline_shares(treatment: pd.DataFrame) -> pd.DataFrame:
    """The baseline set's rows (route, share), checked: present, mapped, and adding up to 100 %."""
    rows = treatment[treatment["set_id"] == BASELINE_SET]
    if rows.empty:
        raise PageProblem("no_baseline", set_id=BASELINE_SET)
    shares = pd.to_numeric(rows["share_pct"], errors="coerce")
    if shares.isna().any():
        raise PageProblem("share_not_number", set_id=BASELINE_SET)
    unknown = sorted(set(rows["route"]) - set(DOSSIER_TO_MODEL) - set(SITE_ROUTES))
    if unknown:
        raise PageProblem("unknown_route", routes=", ".join(unknown), set_id=BASELINE_SET)
    if abs(shares.sum() - 100) > SHARE_TOLERANCE:
        raise PageProblem("shares_sum", set_id=BASELINE_SET, total=f"{shares.sum():g}")
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
            raise PageProblem("no_slider", route=route)
    return defaults


def _edition_label(edition: str) -> str:
    return edition.replace("IPCC ", "").strip() or "default"


def confidence_word(_: Translator, level: object) -> str:
    return _(f"scenario.confidence.{level}") if level in CONFIDENCE else str(level)


@dataclass(frozen=True)
class SwitchRows:
    """The table rows behind the four switches (read once; the words are added per language)."""

    ch4: pd.Series
    n2o: pd.Series
    ch4_alt: pd.Series
    n2o_alt: pd.Series
    burning: tuple[tuple[str, pd.Series, pd.Series], ...]  # (key, default row, alternative row)
    docf: pd.Series
    docf_alt: pd.DataFrame


def switch_rows(table: pd.DataFrame) -> SwitchRows:
    """The rows of the four published conflicts the page exposes (raises PageProblem when one is missing)."""
    defaults = table[table["is_default"].astype(bool)]
    alternatives = table[~table["is_default"].astype(bool)]

    def one(parameter: str, frame: pd.DataFrame, edition: str | None = None) -> pd.Series:
        rows = frame[frame["parameter"] == parameter]
        if edition is not None:
            rows = rows[rows["edition"] == edition]
        if rows.empty:
            if edition:
                raise PageProblem("no_alternative_row", parameter=parameter, edition=edition)
            raise PageProblem("no_default_row", parameter=parameter)
        return rows.iloc[0]

    burning = tuple((key, one(parameter, defaults), one(parameter, alternatives))
                    for key, parameter in (("of", "open_burning_of"), ("n2o", "open_burning_n2o")))
    docf_alt = alternatives[(alternatives["parameter"] == "docf") & alternatives["edition"].eq("IPCC 2019")]
    if docf_alt.empty:
        raise PageProblem("no_docf_2019")
    return SwitchRows(one("gwp_ch4", defaults), one("gwp_n2o", defaults), one("gwp_ch4", alternatives, "AR6"),
                      one("gwp_n2o", alternatives, "AR6"), burning, one("docf", defaults), docf_alt)


def build_switches(rows: SwitchRows, lang: str = "en") -> list[Switch]:
    """The four published conflicts, with labels in the language and values read from the table."""
    _ = translator(lang)
    ch4, n2o, ch4_alt, n2o_alt = rows.ch4, rows.n2o, rows.ch4_alt, rows.n2o_alt
    switches = [Switch(
        "gwp", "gwp", _("scenario.switch.gwp.title"), (ch4["edition"], ch4_alt["edition"]),
        (_("scenario.switch.gwp.caption_default", ch4=g(_, ch4["value"]), n2o=g(_, n2o["value"])),
         _("scenario.switch.gwp.caption_alt", ch4=g(_, ch4_alt["value"]), n2o=g(_, n2o_alt["value"]))),
        ch4_alt["edition"], _("scenario.switch.gwp.help"))]
    for key, default, alt in rows.burning:
        # The options are the link codes as the table writes them ('0.58'); the labels use the language's decimal
        # sign. The row's note is the data's own words (data/emission_factors.csv), quoted as it stands.
        switches.append(Switch(
            key, default["parameter"], _(f"scenario.switch.{key}.title"),
            (f"{default['value']:g}", f"{alt['value']:g}"),
            (_("scenario.switch.caption_default", edition=default["edition"],
               confidence=confidence_word(_, default["confidence"])),
             _("scenario.switch.caption_alt", edition=alt["edition"],
               confidence=confidence_word(_, alt["confidence"]))),
            "alt", _(f"scenario.switch.{key}.help", default=g(_, default["value"]), alt=g(_, alt["value"]),
                     note=default["note"]), numeric=True))
    docf, docf_alt = rows.docf, rows.docf_alt
    listed = ", ".join(f"{where_word(_, m)} {g(_, v)}"
                       for m, v in zip(docf_alt["material"], docf_alt["value"], strict=True))
    switches.append(Switch(
        "docf", "docf", _("scenario.switch.docf.title"),
        (_edition_label(docf["edition"]), _edition_label("IPCC 2019")),
        (_("scenario.switch.docf.caption_default", value=g(_, docf["value"])), listed), "IPCC 2019",
        _("scenario.switch.docf.help")))
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
# The model's numbers never depend on the language; only the functions that put words on them take `lang`.

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
def _route_factors(composition: tuple, routes: tuple, data_dir: str, choices: tuple, residue: str,
                   burn_pct: float) -> pd.DataFrame:
    """Net t CO2e per tonne of the mixed waste sent wholly to each route."""
    params = parameters(data_dir, choices)
    rows = []
    for route in routes:
        results = ghg.run_scenario(1.0, dict(composition), {route: 100}, params, residue_route=residue,
                                   uncollected_burn_pct=burn_pct)
        rows.append({"route": route, "net_co2e_per_t": float(results["net_co2e"].sum()),
                     "ch4_t_per_t": float(results["ch4_t"].sum())})
    return pd.DataFrame(rows)


def route_factors(composition: tuple, routes: tuple, data_dir: str, choices: tuple, residue: str,
                  burn_pct: float, lang: str = "en") -> pd.DataFrame:
    """_route_factors with each route's label in the language (the model runs once for both languages)."""
    factors = _route_factors(composition, routes, data_dir, choices, residue, burn_pct)
    _ = translator(lang)
    labels = [route_label(_, route) for route in factors["route"]]
    return factors.assign(label=labels)[["route", "label", "net_co2e_per_t", "ch4_t_per_t"]]


@dataclass(frozen=True)
class Case:
    """A set of route shares and its modelled results; `code` is 'baseline', 'a' or 'b', `name` its words."""

    code: str
    name: str
    routes: dict[str, float]
    residue: str
    results: pd.DataFrame
    totals: dict[str, float]
    by_treatment: pd.Series
    key: tuple  # (code, *arguments of run_case): identifies the case

    @property
    def is_base(self) -> bool:
        return self.code == BASELINE


# ------------------------------------------------------------------ link values

def _is_number_in(low: float, high: float) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        try:
            value = float(text)
        except ValueError:
            return False
        return math.isfinite(value) and low <= value <= high
    return check


def upgrade_legacy_link() -> set[str]:
    """Links written before the translation hold English labels for some controls: turn them into codes.
    Returns the keys the link holds."""
    try:
        held = set(st.query_params)
    except Exception:  # a link that cannot be read holds nothing to upgrade or report
        return set()
    for key, aliases in LEGACY_LINK_VALUES.items():
        if key not in held:
            continue
        try:
            values = [str(v) for v in st.query_params.get_all(key)]
        except Exception:
            continue
        if any(v in aliases for v in values):
            codes = [aliases.get(v, v) for v in values]
            st.query_params[key] = codes if len(codes) > 1 else codes[0]
    return held


def link_checks(sets: Mapping[str, pd.DataFrame], switches: list[Switch]) -> dict[str, Callable[[str], bool]]:
    """URL key -> test of a value, mirroring what each control accepts (codes, and the legacy English labels)."""
    checks: dict[str, Callable[[str], bool]] = {
        "mt": _is_number_in(0.1, 20.0), "burn": _is_number_in(0, 100),
        "comp": set(sets).__contains__,
        "site": {*SITE_TYPES, *LEGACY_LINK_VALUES["site"]}.__contains__,
        "cmp": {"true", "false"}.__contains__,
        SENSITIVITY_KEY: {*SENSITIVITY_MODES, *LEGACY_LINK_VALUES[SENSITIVITY_KEY]}.__contains__,
    }
    checks.update({switch.key: set(switch.options).__contains__ for switch in switches})
    for prefix in SCENARIOS:
        checks.update({f"{prefix}_{lever.key}": _is_number_in(0, 100) for lever in LEVERS})
        checks[f"{prefix}_res"] = {*ghg.RESIDUE_ROUTES, *LEGACY_LINK_VALUES[f"{prefix}_res"]}.__contains__
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
    for prefix in SCENARIOS:
        values.update({f"{prefix}_{key}": value for key, value in defaults.items()})
        values[f"{prefix}_res"] = ghg.DEFAULT_RESIDUE_ROUTE
    return values


# Controls kept in the link by url_control, with their defaults: a button that sets them writes the link too.
LINKED_DEFAULTS = {f"{prefix}_res": ghg.DEFAULT_RESIDUE_ROUTE for prefix in SCENARIOS}
HIDDEN_PREFIX = "b"  # scenario B's controls are drawn only while the comparison is on (or its closed panel opened)


def _write_link(key: str, value: object, default: object) -> None:
    """Put a control's value in the link as its code; the default leaves the link clean."""
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    else:
        st.query_params[key] = str(value)


def set_widgets(values: Mapping[str, object], lever_defaults: Mapping[str, int]) -> None:
    """Button callback: set the widgets and keep the link in step with them. url_control's controls are written
    here (the link wins over the session there, so it must change with them). Streamlit writes a bound widget to
    the link only when it was drawn on the previous run: scenario B's levers, hidden while the comparison is off,
    are written here then (while they are drawn, they are bound and Streamlit refuses, and writes them itself)."""
    for key, value in values.items():
        st.session_state[key] = value
        if key in LINKED_DEFAULTS:
            _write_link(key, value, LINKED_DEFAULTS[key])
        elif key.startswith(f"{HIDDEN_PREFIX}_"):
            with contextlib.suppress(StreamlitAPIException):  # bound to the widget drawn on the previous run
                _write_link(key, value, lever_defaults[key.removeprefix(f"{HIDDEN_PREFIX}_")])


# ------------------------------------------------------------------ what the controls need, built once

@dataclass(frozen=True)
class Settings:
    total_t: float
    set_id: str
    composition: dict[str, float]
    site: str
    burn_pct: float
    choices: dict[str, str]


@dataclass(frozen=True)
class Base:
    """Everything the controls and the baseline panel show, per data folder and language (read-only)."""

    base_rows: pd.DataFrame
    defaults: dict[str, int]
    sets: dict[str, pd.DataFrame]
    headline: evidence.Headline
    headline_text: str
    switches: list[Switch]
    switch_labels: tuple[dict[str, str], ...]  # per switch: option code -> its words (numbers: decimal sign)
    checks: dict[str, Callable[[str], bool]]
    preset: dict[str, object]
    reset: dict[str, object]
    site_help: str
    composition_notes: dict[str, tuple[str, ...]]  # set id -> its caption(s)
    baseline_panels: dict[str, tuple[str, str]]  # site type -> (heading, route list)
    baseline_sources: tuple[str, ...]
    # The results views built so far for this data folder and language, by control values (see results_view):
    # a dictionary lookup costs far less than a Streamlit cache call, and it goes when this object is cleared.
    results: OrderedDict = field(default_factory=OrderedDict, compare=False, repr=False)
    lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)
    sources_read: list[bool] = field(default_factory=lambda: [False], compare=False, repr=False)

    def with_source_names(self) -> bool:
        """Whether data/sources.csv can be read (the parameter table then names its sources). Asked on every run
        until it can: a file that could not be read is read again on the next run, and once read it stays read."""
        if not self.sources_read[0] and source_names():
            self.sources_read[0] = True
        return self.sources_read[0]


def composition_captions(_: Translator, rows: pd.DataFrame) -> tuple[str, ...]:
    """The captions under the composition choice: the set's origin and mapping, and a caution when it has one."""
    first = rows.iloc[0]
    published = float(rows["share_pct"].sum())
    parts = []
    for material, share in zip(rows["material"], rows["share_pct"], strict=True):
        target = MATERIAL_MAP[material]
        shown = _("scenario.composition.share", material=_(f"scenario.material.{material}"), share=g(_, share))
        if target != material:
            shown += " → " + (_(f"scenario.material_note.{material}") if material in MATERIAL_NOTES
                              else where_word(_, target))
        parts.append(shown)
    rescaled = " " + _("scenario.composition.rescaled", total=g(_, published)) if abs(published - 100) > 1e-9 \
        else ""
    captions = [_("scenario.composition.caption", geography=first["geography"], period=first["period"],
                  source=first["source_id"], confidence=confidence_word(_, first["confidence"]),
                  parts="; ".join(parts), rescaled=rescaled)]
    if isinstance(first.get("note"), str) and first["note"].startswith("Caution"):
        captions.append(first["note"])  # the data's own words (data/composition.csv)
    return tuple(captions)


def dossier_route_label(_: Translator, route: str, published: str) -> str:
    """A route of data/treatment.csv in words: the data's own label in English, the catalogue's in Khmer."""
    if _.lang == "en" or not _.has(f"scenario.dossier_route.{route}"):
        return published
    return _(f"scenario.dossier_route.{route}")


def baseline_texts(_: Translator, rows: pd.DataFrame, site: str) -> tuple[str, str]:
    heading = _("scenario.baseline.heading", name=case_name(_, BASELINE), period=rows["period"].iloc[0])
    listed = "\n".join(_("scenario.baseline.row", share=g(_, share), published=dossier_route_label(_, route, label),
                         modelled=route_label(_, model_route(route, site)).lower())
                       for route, label, share in zip(rows["route"], rows["route_label"], rows["share_pct"],
                                                      strict=True))
    return heading, listed


def site_type_help(data_dir: str, lang: str = "en") -> str:
    """The selectbox help, with each site type's methane correction factor read from the table."""
    _ = translator(lang)
    params = parameters(data_dir, ())
    mcf = "; ".join(f"{route_label(_, route).lower()} {g(_, params.get('mcf', route=ghg.DISPOSAL_SITES[route][0]))}"
                    for route in SITE_TYPES)
    return _("scenario.assumptions.site_help", mcf=mcf)


# cache_resource: the page's own classes (SwitchRows) cannot be pickled, and the result is only ever read.
@st.cache_resource(show_spinner=False, max_entries=16)
def prepared(data_dir: str) -> tuple[pd.DataFrame, dict[str, int], dict[str, pd.DataFrame], SwitchRows,
                                     evidence.Headline]:
    """Baseline rows, slider defaults, composition sets, the switches' rows and headline (raises PageProblem & co.)."""
    base_rows = baseline_shares(load("treatment"))
    defaults = lever_defaults(base_rows)
    sets = composition_sets(load("composition"))
    if not sets:
        raise PageProblem("no_composition")
    return base_rows, defaults, sets, switch_rows(factor_table()), evidence.headline_total(load("estimates"))


@st.cache_resource(show_spinner=False, max_entries=16)
def page_base(data_dir: str, lang: str) -> Base:
    """What the controls need, in the language. Raises DataError for the four tables the page reads (in the order
    components.data.need would name them), PageProblem and LookupError/ValueError for data the model cannot use."""
    for name in ("treatment", "composition", "emission_factors", "estimates"):
        load(name)
    _ = translator(lang)
    base_rows, defaults, sets, rows_of_switches, headline = prepared(data_dir)
    switches = build_switches(rows_of_switches, lang)
    checks = link_checks(sets, switches)
    return Base(
        base_rows=base_rows, defaults=defaults, sets=sets, headline=headline,
        headline_text=_("scenario.headline", year=headline.year, source=headline.source_id),
        switches=switches,
        switch_labels=tuple(({code: g(_, float(code)) for code in switch.options} if switch.numeric else {})
                            for switch in switches),
        checks=checks, preset=preset_values(defaults), reset=reset_values(defaults),
        site_help=site_type_help(data_dir, lang),
        composition_notes={set_id: composition_captions(_, rows) for set_id, rows in sets.items()},
        baseline_panels={site: baseline_texts(_, base_rows, site) for site in SITE_TYPES},
        baseline_sources=tuple(base_rows["source_id"]),
    )


# ------------------------------------------------------------------ controls

def assumption_controls(base: Base) -> tuple[float, str, str, float, tuple[tuple[str, str], ...]]:
    """The shared assumptions; returns (total tonnes, composition set, site type, burn %, choices)."""
    _ = tr()
    default_mt = base.headline.value_t / 1e6
    with st.container(border=True):
        st.markdown(_("scenario.assumptions.intro"))
        left, right = st.columns(2, gap="large")
        with left:
            total_mt = st.number_input(
                _("scenario.assumptions.total_label"), min_value=0.1, max_value=20.0,
                value=round(default_mt, 2), step=0.05, format="%.2f", key="mt", bind="query-params",
                help=_("scenario.assumptions.total_help", headline=base.headline_text))
            st.caption(_("scenario.assumptions.total_caption", value=_.num(default_mt, 2, grouping=False),
                         headline=base.headline_text))
            # The options are the composition sets' ids (codes, shown as they are): the control stays bound.
            set_id = st.selectbox(_("scenario.assumptions.comp_label"), list(base.sets), index=0,
                                  key="comp", bind="query-params", help=_("scenario.assumptions.comp_help"))
            if base.composition_notes[set_id]:  # the set's notes as paragraphs of one caption
                st.caption("\n\n".join(base.composition_notes[set_id]))
            site = url_control(
                st.selectbox, _("scenario.assumptions.site_label"), key="site", options=SITE_TYPES,
                default=DEFAULT_SITE, format_func=lambda route: route_label(_, route), help=base.site_help)
            burn = st.slider(_("scenario.assumptions.burn_label"), 0, 100,
                             value=int(ghg.DEFAULT_UNCOLLECTED_BURN_PCT), step=5, format="%d%%",
                             key="burn", bind="query-params", help=_("scenario.assumptions.burn_help"))
        with right:
            choices = conflict_switches(base)
    return float(total_mt) * 1e6, set_id, site, float(burn), tuple(choices)


SWITCHES_KEY = "scenario-switches"  # the published-conflict switches' panel: its open state (session only)


def conflict_switches(base: Base) -> list[tuple[str, str]]:
    """Where published figures conflict (GWP edition, open-burning factors, DOCf): a closed panel whose switches
    are drawn only while it is open (opening it reruns the page); closed, their values come from the link (which
    keeps them) and are named in a caption under it. Returns the chosen alternatives as (choice, alternative)."""
    _ = tr()
    panel = st.expander(_("scenario.assumptions.switches_panel", count=len(base.switches)), icon=":material/tune:",
                        key=SWITCHES_KEY, on_change="rerun")
    choices: list[tuple[str, str]] = []
    chosen: list[str] = []
    for switch, labels in zip(base.switches, base.switch_labels, strict=True):
        if panel.open:
            with panel:
                picked = url_control(st.radio, switch.title, key=switch.key, options=switch.options,
                                     default=switch.options[0], captions=switch.captions, horizontal=True,
                                     format_func=lambda code, labels=labels: labels.get(code, code),
                                     help=switch.help)
        else:
            picked = url_value(switch.key, options=switch.options, default=switch.options[0])
        chosen.append(f"{switch.title}: {labels.get(picked, picked)}")
        if picked == switch.options[1]:
            choices.append((switch.choice, switch.alternative))
    if panel.open:
        panel.caption(_("scenario.assumptions.defaults_caption"))
    else:
        st.caption(_("scenario.assumptions.switches_now", choices="; ".join(chosen)))
    return choices


def scenario_controls(prefix: str, defaults: Mapping[str, int], *,
                      disabled: bool = False) -> tuple[tuple[int, ...], str] | None:
    """Route sliders of one scenario: (lever values in LEVERS order, rejects' route); None (with a message) while
    they add up to more than 100 %."""
    _ = tr()
    title = case_name(_, prefix)
    with st.container(border=True):
        st.markdown(_("scenario.controls.heading", name=title))
        values = tuple(st.slider(_(f"scenario.lever.{lever.key}.label"), 0, 100, value=defaults[lever.key],
                                 step=1, format="%d%%", key=f"{prefix}_{lever.key}", bind="query-params",
                                 help=_(f"scenario.lever.{lever.key}.help"), disabled=disabled)
                       for lever in LEVERS)
        residue = url_control(
            st.selectbox, _("scenario.controls.residue_label"), key=f"{prefix}_res", options=ghg.RESIDUE_ROUTES,
            default=ghg.DEFAULT_RESIDUE_ROUTE, format_func=lambda route: route_label(_, route), disabled=disabled,
            help=_("scenario.controls.residue_help"))
        if disabled:
            return None
        used = sum(values)
        remainder = 100 - used
        if remainder < 0:
            st.warning(_("scenario.controls.over_100", name=title, used=used, over=-remainder),
                       icon=":material/block:")
            return None
        st.progress(remainder / 100, text=_("scenario.controls.remainder", remainder=remainder))
        return values, residue


HIDDEN_PANEL_KEY = "scenario-b-off"  # the closed scenario's panel: its open state (session only, not in the link)


def hidden_scenario(prefix: str, defaults: Mapping[str, int]) -> None:
    """A scenario that is switched off: a closed panel whose levers are drawn (switched off) only while it is open
    (opening it reruns the page), so that a default run does not draw eight controls nobody can move."""
    _ = tr()
    panel = st.expander(_("scenario.b_off", name=case_name(_, prefix)), icon=":material/compare_arrows:",
                        key=HIDDEN_PANEL_KEY, on_change="rerun")
    if panel.open:
        with panel:
            scenario_controls(prefix, defaults, disabled=True)


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


def baseline_panel(base: Base, site: str) -> None:
    _ = tr()
    heading, listed = base.baseline_panels[site]
    with st.container(border=True):
        st.markdown(heading)
        st.markdown(listed)
        st.caption(_("scenario.baseline.caption"))
        source_line(base.baseline_sources)


# ------------------------------------------------------------------ results, built once per control values

def delta_pct(new: float, old: float) -> str | None:
    """'-42%' for st.metric (an ASCII minus, so that the arrow points down); None when unchanged."""
    change = pct_change(new, old)
    if math.isnan(change) or round(change) == 0:
        return None
    return f"{round(change):+d}%"


def gwp_edition(settings: Settings) -> str:
    return "AR6" if settings.choices.get("gwp") else "AR5"


def kpi_rows(_: Translator, cases: list[Case], settings: Settings, headline_text: str) -> list[list[dict]]:
    """Four tiles per case (kpi arguments). The value's unit comes from the catalogue (scenario.kpi.*_value):
    English writes it after the number; Khmer units are long words, so the Khmer tile shows the number and names
    the unit in its caption (a tile's value does not wrap)."""
    base = cases[0].totals
    gwp = gwp_edition(settings)
    rows = []
    for case in cases:
        totals = case.totals
        tiles = [dict(label=_("scenario.kpi.net", case=case.name),
                      value=_("scenario.kpi.net_value", value=mt_value(_, totals["net_co2e"])),
                      caption=_("scenario.kpi.net_caption", gwp=gwp), help=_("scenario.kpi.net_help"))]
        if case.is_base:
            tiles.append(dict(label=_("scenario.kpi.modelled"),
                              value=_("scenario.kpi.modelled_value",
                                      value=_.num(settings.total_t / 1e6, 2, grouping=False)),
                              caption=_("scenario.kpi.modelled_caption", headline=headline_text)))
        else:
            change = totals["net_co2e"] - base["net_co2e"]
            tiles.append(dict(label=_("scenario.kpi.change", case=case.name),
                              value=signed_pct(_, pct_change(totals["net_co2e"], base["net_co2e"])),
                              delta=None if abs(change) < 5e3 else mt_co2e(_, change, signed=True).replace("−", "-"),
                              caption=_("scenario.kpi.change_caption")))
        tiles.append(dict(label=_("scenario.kpi.ch4", case=case.name),
                          value=_("scenario.kpi.ch4_value", value=_.num(totals["ch4_landfill_dump_t"] / 1e3, 0)),
                          delta=None if case.is_base else delta_pct(totals["ch4_landfill_dump_t"],
                                                                    base["ch4_landfill_dump_t"]),
                          caption=_("scenario.kpi.ch4_caption", co2e=mt_co2e(_, totals["ch4_landfill_dump_co2e"]))))
        tiles.append(dict(label=_("scenario.kpi.per_tonne", case=case.name),
                          value=_("scenario.kpi.per_tonne_value", value=_.num(totals["net_co2e_per_t"] * 1e3, 0)),
                          delta=None if case.is_base else delta_pct(totals["net_co2e_per_t"],
                                                                    base["net_co2e_per_t"]),
                          caption=_("scenario.kpi.per_tonne_caption")))
        rows.append(tiles)
    return rows


def group_by_treatment(results: pd.DataFrame) -> pd.Series:
    """Net t CO2e by where the waste was treated: rejects count where they went; uncollected stays one group."""
    key = results["treated_as"].where(results["route"] != REMAINDER_ROUTE, REMAINDER_ROUTE)
    return results.groupby(key, sort=False)["net_co2e"].sum()


def change_sentence(_: Translator, case: Case, base: Case) -> str:
    new, old = case.totals["net_co2e"], base.totals["net_co2e"]
    change = pct_change(new, old)
    if abs(new - old) < 0.5:
        return _("scenario.net.equals_one", case=case.name)
    return _("scenario.net.cuts" if new < old else "scenario.net.raises", case=case.name,
             change=_.num(abs(change), 0, grouping=False), value=mt_number(_, new))


def subtitle(_: Translator, settings: Settings, rows: pd.DataFrame, extra: str = "") -> str:
    return _("scenario.subtitle", total=mt_number(_, settings.total_t), period=rows["period"].iloc[0],
             set_id=settings.set_id, gwp=gwp_edition(settings), extra=extra).strip()


def net_frame(_: Translator, cases: list[Case], settings: Settings, rows: pd.DataFrame,
              source_ids: list[str]) -> dict:
    """chart_frame arguments of the net-emissions chart."""
    base = cases[0]
    totals = pd.DataFrame([{"case": c.name, **{k: c.totals[k] for k in ("direct_co2e", "avoided_co2e",
                                                                         "net_co2e", "ch4_landfill_dump_co2e")}}
                           for c in cases])
    others = cases[1:]
    baseline_mt = mt_number(_, base.totals["net_co2e"])
    if others and all(abs(c.totals["net_co2e"] - base.totals["net_co2e"]) < 0.5 for c in others):
        if len(others) == 1:
            title = _("scenario.net.title_equal", case=others[0].name, value=baseline_mt)
        else:
            title = _("scenario.net.title_equal_both", cases=_("scenario.and", first=others[0].name,
                                                               second=others[1].name), value=baseline_mt)
    elif others:
        title = _("scenario.net.title_change", changes="; ".join(change_sentence(_, c, base) for c in others),
                  value=baseline_mt)
    else:
        title = _("scenario.net.title_baseline_only", value=baseline_mt)
    return dict(
        key="scenario-net",
        title=title,
        subtitle=subtitle(_, settings, rows, _("scenario.net.unit")),
        figure=sfig.net_comparison(totals, lang=_.lang),
        table=totals.rename(columns={"case": "case", "direct_co2e": "direct_tco2e", "avoided_co2e": "avoided_tco2e",
                                     "net_co2e": "net_tco2e", "ch4_landfill_dump_co2e": "landfill_dump_ch4_tco2e"}),
        source_ids=source_ids,
        alt=_("scenario.net.alt", values="; ".join(_("scenario.net.alt_case", case=c.name,
                                                     value=mt_number(_, c.totals["net_co2e"])) for c in cases)),
        reading=_("scenario.net.reading"),
        method=_("scenario.net.method"),
    )


def route_breakdown(_: Translator, cases: list[Case]) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series, float]:
    """Net t CO2e by treatment route for each case, its table, the baseline's top route and that route's share of
    the baseline's direct emissions."""
    frames = [pd.DataFrame({"code": case.code, "case": case.name, "route": case.by_treatment.index,
                            "net_co2e": case.by_treatment.to_numpy()}) for case in cases]
    by_route = pd.concat(frames, ignore_index=True)
    base = by_route[by_route["code"] == BASELINE]
    direct = base[base["net_co2e"] > 0]
    top = direct.sort_values("net_co2e", ascending=False).iloc[0]
    share = top["net_co2e"] / direct["net_co2e"].sum() * 100
    table = by_route.assign(route_label=[route_label(_, r) for r in by_route["route"]]).rename(
        columns={"net_co2e": "net_tco2e"})
    return by_route.drop(columns="code"), table[["case", "route", "route_label", "net_tco2e"]], top, share


def route_frame(_: Translator, cases: list[Case], settings: Settings, rows: pd.DataFrame,
                source_ids: list[str]) -> dict:
    """chart_frame arguments of the emissions-by-route chart."""
    by_route, table, top, share = route_breakdown(_, cases)
    labels = {route: route_label(_, route) for route in ROUTES}
    return dict(
        key="scenario-routes",
        title=_("scenario.routes.title", share=_.num(share, 0, grouping=False),
                route=route_label(_, top["route"]).lower()),
        subtitle=subtitle(_, settings, rows, _("scenario.routes.unit")),
        figure=sfig.emissions_by_route(by_route, labels, lang=_.lang),
        table=table,
        source_ids=source_ids,
        alt=_("scenario.routes.alt", cases=", ".join(case.name for case in cases), route=route_label(_, top["route"]),
              value=mt_number(_, top["net_co2e"])),
        reading=_("scenario.routes.reading"),
        method=_("scenario.routes.method"),
    )


def intensity_frame(_: Translator, cases: list[Case], settings: Settings, rows: pd.DataFrame,
                    source_ids: list[str], data_dir: str) -> dict:
    """chart_frame arguments of the per-tonne chart."""
    routes = tuple(dict.fromkeys([settings.site] + [lever.route for lever in LEVERS if lever.route]
                                 + [REMAINDER_ROUTE]))
    factors = route_factors(tuple(settings.composition.items()), routes, data_dir,
                            tuple(settings.choices.items()), ghg.DEFAULT_RESIDUE_ROUTE, settings.burn_pct, _.lang)
    worst = factors.sort_values("net_co2e_per_t").iloc[-1]
    best = factors.sort_values("net_co2e_per_t").iloc[0]
    averages = {c.name: c.totals["net_co2e_per_t"] for c in cases}
    params = parameters(data_dir, tuple(settings.choices.items()))

    def mcf(route: str) -> str:
        return g(_, params.get("mcf", route=ghg.DISPOSAL_SITES[route][0]))

    def kg(value: float) -> str:
        return _.num(value * 1e3, 0)

    return dict(
        key="scenario-intensity",
        title=_("scenario.intensity.title", worst=worst["label"].lower(), worst_kg=kg(worst["net_co2e_per_t"]),
                best=best["label"].lower(), best_kg=kg(best["net_co2e_per_t"])),
        subtitle=subtitle(_, settings, rows, _("scenario.intensity.unit")),
        figure=sfig.route_intensity(factors, averages, lang=_.lang),
        table=factors.assign(net_kgco2e_per_t=factors["net_co2e_per_t"] * 1e3,
                             ch4_kg_per_t=factors["ch4_t_per_t"] * 1e3)[
            ["route", "label", "net_kgco2e_per_t", "ch4_kg_per_t"]],
        source_ids=source_ids,
        alt=_("scenario.intensity.alt", best=best["label"], best_kg=kg(best["net_co2e_per_t"]),
              worst=worst["label"], worst_kg=kg(worst["net_co2e_per_t"])),
        reading=_("scenario.intensity.reading", sanitary=mcf("sanitary_landfill"), deep=mcf("unmanaged_deep"),
                  shallow=mcf("unmanaged_shallow")),
        method=_("scenario.intensity.method"),
    )


def sensitivity_label(_: Translator, row: pd.Series) -> str:
    parameter = row["parameter"]
    name = _(f"scenario.param.{parameter}") if parameter in PARAMETERS else parameter
    if row["kind"] == "choice":
        low = row["case_low"]
        return _("scenario.sens.choice_label", name=name, high=row["case_high"],
                 low=_("scenario.sens.default") if low == ghg.DEFAULT_OPTION else low)
    route = row["route"] if parameter in ("mcf", "ox") else ""
    where = ", ".join(where_word(_, part) for part in (row["material"], route) if part)
    where = f" ({where})" if where else ""
    return _("scenario.sens.range_label", name=name, where=where, low=g(_, row["input_low"]),
             high=g(_, row["input_high"]))


def tornado_rows(total_t: float, composition: tuple, data_dir: str, choices: tuple, burn_pct: float,
                 routes: tuple, residue: str, base_routes: tuple | None, base_residue: str | None,
                 lang: str = "en") -> pd.DataFrame:
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
    _ = translator(lang)
    return sens.assign(label=[sensitivity_label(_, row) for _i, row in sens.iterrows()])


TORNADO_COLUMNS = ["label", "delta_low", "delta_high", "low_text", "high_text"]  # what sfig.tornado reads


def tornado_view(_: Translator, cases: list[Case], settings: Settings, rows: pd.DataFrame, source_ids: list[str],
                 data_dir: str, mode: str) -> tuple[str, str] | dict:
    """The sensitivity chart's chart_frame arguments, or ("info", text) when no parameter moves the result."""
    target = next((c for c in cases if not c.is_base), cases[0])
    change = mode == "change" and not target.is_base
    what = _("scenario.sens.what_change" if change else "scenario.sens.what_net", case=target.name)
    sens = tornado_rows(settings.total_t, tuple(settings.composition.items()), data_dir,
                        tuple(settings.choices.items()), settings.burn_pct, tuple(target.routes.items()),
                        target.residue, tuple(cases[0].routes.items()) if change else None,
                        cases[0].residue if change else None, _.lang)
    shown = sens[sens["swing"] > 1e-6].head(12)
    if shown.empty:
        same = target.routes == cases[0].routes and target.residue == cases[0].residue
        return ("info", _("scenario.sens.none_same", what=what, case=target.name, net=_("scenario.sens.net")) if same
                else _("scenario.sens.none", what=what))
    shown = shown.assign(low_text=[(_("scenario.sens.default") if k == "choice"
                                    else _("scenario.sens.low_end", value=g(_, v)))
                                   for k, v in zip(shown["kind"], shown["input_low"], strict=True)],
                         high_text=[(str(c) if k == "choice" else _("scenario.sens.high_end", value=g(_, v)))
                                    for k, c, v in zip(shown["kind"], shown["case_high"], shown["input_high"],
                                                       strict=True)])
    top = shown.iloc[0]
    bars = shown[TORNADO_COLUMNS]
    swing = mt_number(_, top["swing"])
    return dict(
        key="scenario-tornado",
        title=_("scenario.sens.title_choice" if top["kind"] == "choice" else "scenario.sens.title_range",
                name=top["label"].split(":")[0], what=what, value=swing),
        subtitle=subtitle(_, settings, rows, _("scenario.sens.unit", what=what)),
        figure=sfig.tornado(bars, lang=_.lang),
        table=sens[["label", "id", "kind", "input_low", "input_default", "input_high", "net_low", "net_default",
                    "net_high", "delta_low", "delta_high", "swing"]],
        source_ids=source_ids,
        alt=_("scenario.sens.alt", count=len(shown), what=what, label=top["label"], value=swing),
        reading=_("scenario.sens.reading"),
        method=_("scenario.sens.method"),
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def used_parameters(data_dir: str, choices: tuple, with_names: bool) -> pd.DataFrame:
    """parameter_table of a choice of alternatives, with source names when data/sources.csv is readable."""
    return parameter_table(factor_table(), parameters(data_dir, choices), source_names() if with_names else {})


def parameter_table(table: pd.DataFrame, params: ghg.Parameters, names: Mapping[str, str]) -> pd.DataFrame:
    """The table's rows in use, in the data's own columns and words (a reader can match them to the file)."""
    ids = [row_id for key, row_id in params.row_ids.items() if key[0] in ghg.MODEL_PARAMETERS]
    used = table.set_index("id").loc[ids].reset_index()
    used["sources"] = [", ".join(names.get(s, s) for s in split_ids(cell)) for cell in used["source_id"]]
    columns = ["parameter", "material", "route", "value", "unit", "low", "high", "edition", "sources",
               "confidence", "quote", "note", "id", "source_id"]
    return used[columns].sort_values(["parameter", "material", "route"], ignore_index=True)


def chart_sources(data_dir: str, base_rows: pd.DataFrame, headline: evidence.Headline, set_id: str,
                  choices: tuple) -> list[str]:
    """The sources under every chart: baseline routes, headline, composition set and parameters used."""
    composition = load("composition")
    return list(dict.fromkeys(
        list(base_rows["source_id"]) + [headline.source_id]
        + list(composition.loc[composition["set_id"] == set_id, "source_id"])
        + [split_ids(cell)[0] for cell in used_parameters(data_dir, choices, False)["source_id"]]))


@dataclass(frozen=True)
class Methodology:
    """The methodology panel's texts and tables (the equations are constant)."""

    committed: str
    latex_capture: str
    latex_net: str
    latex_credit: str
    assumptions: str
    routes_heading: str
    routes: pd.DataFrame
    materials_heading: str
    materials: pd.DataFrame
    parameters_heading: str
    parameters: pd.DataFrame
    no_source_titles: str | None
    not_covered: str
    source_ids: tuple[str, ...]


def methodology_view(_: Translator, data_dir: str, settings: Settings, with_names: bool, rows: pd.DataFrame,
                     comp_rows: pd.DataFrame) -> Methodology:
    used = used_parameters(data_dir, tuple(settings.choices.items()), with_names)
    return Methodology(
        committed=_("scenario.method.committed"),
        latex_capture=_("scenario.method.latex_capture"),
        latex_net=_("scenario.method.latex_net"),
        latex_credit=_("scenario.method.latex_credit"),
        assumptions=_("scenario.method.assumptions", burn=g(_, settings.burn_pct),
                      site=route_label(_, settings.site).lower()),
        routes_heading=_("scenario.method.routes_heading"),
        routes=pd.DataFrame({
            _("scenario.method.col_route"): rows["route"],
            _("scenario.method.col_label"): [dossier_route_label(_, r, label)
                                             for r, label in zip(rows["route"], rows["route_label"], strict=True)],
            _("scenario.method.col_share"): rows["share_pct"],
            _("scenario.method.col_modelled"): [route_label(_, model_route(r, settings.site))
                                                for r in rows["route"]]}),
        materials_heading=_("scenario.method.materials_heading"),
        materials=pd.DataFrame({
            _("scenario.method.col_material"): comp_rows["material"],
            _("scenario.method.col_label"): (comp_rows["material_label"] if _.lang == "en" else
                                             [_(f"scenario.material.{m}") for m in comp_rows["material"]]),
            _("scenario.method.col_share"): comp_rows["share_pct"],
            _("scenario.method.col_modelled"): [MATERIAL_MAP[m] if _.lang == "en" else where_word(_, MATERIAL_MAP[m])
                                                for m in comp_rows["material"]]}),
        parameters_heading=_("scenario.method.parameters_heading"),
        parameters=used,
        no_source_titles=None if with_names else _("scenario.method.no_source_titles"),
        not_covered=_("scenario.method.not_covered"),
        source_ids=tuple(used["source_id"]),
    )


@dataclass
class ResultsView:
    """Everything under the controls for one set of control values, in one language (shared, read-only)."""

    cases: list[Case]
    settings: Settings
    base_rows: pd.DataFrame
    source_ids: list[str]
    data_dir: str
    lang: str
    preset_note: str
    results_caption: str
    kpis: list[list[dict]]
    frames: tuple[dict, ...]  # chart_frame arguments: net, routes, intensity
    target_is_base: bool  # the sensitivity chart shows the baseline: its mode switch is off
    methodology: Methodology
    _tornado: dict[str, tuple[str, str] | dict] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def tornado(self, mode: str) -> tuple[str, str] | dict:
        """The sensitivity chart in a mode, built on first use (a DataError propagates and nothing is kept)."""
        built = self._tornado.get(mode)
        if built is None:
            with self._lock:
                built = self._tornado.get(mode)
                if built is None:
                    built = tornado_view(translator(self.lang), self.cases, self.settings, self.base_rows,
                                         self.source_ids, self.data_dir, mode)
                    self._tornado[mode] = built
        return built


def preset_note_text(_: Translator, defaults: Mapping[str, int], base: Case, preset_cases: list[Case]) -> str:
    """The preset's definition, and its answer under the current assumptions."""
    kept = defaults["recycle"] + defaults["incin"]
    landfill = 100 - PRESET_COMPOST_PCT - kept
    with_capture, without_capture = (c.totals["net_co2e"] for c in preset_cases)
    old = base.totals["net_co2e"]
    return (_("scenario.preset.note", compost=PRESET_COMPOST_PCT, recycle=defaults["recycle"],
              incin=defaults["incin"], landfill=landfill, old=mt_number(_, old),
              with_capture=mt_number(_, with_capture),
              with_change=signed_pct(_, pct_change(with_capture, old)),
              without_capture=mt_number(_, without_capture),
              without_change=signed_pct(_, pct_change(without_capture, old)))
            + _("scenario.preset.more_methane" if without_capture > old else "scenario.preset.end"))


RESULTS_KEPT = 128  # results views kept per data folder and language


def results_view(base: Base, data_dir: str, lang: str, total_t: float, set_id: str, site: str, burn_pct: float,
                 choices: tuple[tuple[str, str], ...], picks: tuple[tuple[str, tuple[int, ...], str], ...],
                 with_names: bool) -> ResultsView:
    """Every result the page shows for these control values (`base` is page_base(data_dir, lang)): `choices` as
    (choice, alternative) in the switches' order, `picks` the scenarios to model as (prefix, lever values in LEVERS
    order, rejects' route). Built once and kept in `base` (the oldest go first); raises ModelRefused when core.ghg
    refuses the cases and DataError for a table it cannot read, and then keeps nothing."""
    key = (total_t, set_id, site, burn_pct, choices, picks, with_names)
    view = base.results.get(key)
    if view is None:
        view = _results_view(base, data_dir, lang, *key)
        with base.lock:
            base.results[key] = view
            while len(base.results) > RESULTS_KEPT:
                base.results.popitem(last=False)
    return view


def _results_view(base: Base, data_dir: str, lang: str, total_t: float, set_id: str, site: str, burn_pct: float,
                  choices: tuple[tuple[str, str], ...], picks: tuple[tuple[str, tuple[int, ...], str], ...],
                  with_names: bool) -> ResultsView:
    _ = translator(lang)
    settings = Settings(total_t=total_t, set_id=set_id, composition=model_composition(base.sets[set_id]),
                        site=site, burn_pct=burn_pct, choices=dict(choices))
    specs = [(BASELINE, baseline_routes(base.base_rows, site), ghg.DEFAULT_RESIDUE_ROUTE)]
    for prefix, values, residue in picks:
        specs.append((prefix, scenario_routes(dict(zip((lever.key for lever in LEVERS), values, strict=True)), site),
                      residue))
    preset = base.preset
    preset_specs = [(prefix, scenario_routes({lever.key: preset[f"{prefix}_{lever.key}"] for lever in LEVERS}, site),
                     preset[f"{prefix}_res"]) for prefix in SCENARIOS]
    composition_key = tuple(settings.composition.items())
    choices_key = tuple(sorted(settings.choices.items()))
    try:
        def make_case(code: str, routes: dict[str, float], residue: str) -> Case:
            args = (total_t, composition_key, tuple(routes.items()), data_dir, choices_key, residue, burn_pct)
            return Case(code, case_name(_, code), routes, residue, *run_case(*args), key=(code, *args))

        cases, preset_cases = ([make_case(*spec) for spec in group] for group in (specs, preset_specs))
    except (ValueError, KeyError) as problem:
        raise ModelRefused(problem) from problem
    rows = base.base_rows
    source_ids = chart_sources(data_dir, rows, base.headline, set_id, choices_key)
    return ResultsView(
        cases=cases, settings=settings, base_rows=rows, source_ids=source_ids, data_dir=data_dir, lang=lang,
        preset_note=preset_note_text(_, base.defaults, cases[0], preset_cases),
        results_caption=_("scenario.results_caption", burn=g(_, burn_pct)),
        kpis=kpi_rows(_, cases, settings, base.headline_text),
        frames=(net_frame(_, cases, settings, rows, source_ids), route_frame(_, cases, settings, rows, source_ids),
                intensity_frame(_, cases, settings, rows, source_ids, data_dir)),
        target_is_base=next((c for c in cases if not c.is_base), cases[0]).is_base,
        methodology=methodology_view(_, data_dir, settings, with_names, rows, base.sets[set_id]),
    )


# ------------------------------------------------------------------ drawing the results

def draw_kpis(rows: list[list[dict]]) -> None:
    for tiles in rows:
        for column, tile in zip(st.columns(4), tiles, strict=True):
            with column:
                kpi(**tile)


SENSITIVITY_PANEL = "scenario-sensitivity"  # lazy_panel key of the sensitivity chart (session state panel-<key>)


def draw_tornado(view: ResultsView) -> None:
    """Which published assumption moves the result most: a panel, built (the model rerun once per parameter end,
    its control and chart drawn) only while it is open; a link with ?sens= opens it."""
    _ = tr()
    panel = lazy_panel(_("scenario.sens.panel"), key=SENSITIVITY_PANEL, icon=":material/swap_vert:",
                       opened_by_link=SENSITIVITY_KEY in st.query_params)
    if panel is None:
        return
    with panel:
        mode = url_control(st.radio, _("scenario.sens.label"), key=SENSITIVITY_KEY, options=SENSITIVITY_MODES,
                           default=DEFAULT_SENSITIVITY, format_func=lambda code: _(f"scenario.sens.{code}"),
                           horizontal=True, disabled=view.target_is_base, help=_("scenario.sens.help"))
        built = view.tornado(mode)
        if isinstance(built, tuple):
            st.info(built[1], icon=":material/info:")
        else:
            chart_frame(**built)


LATEX_SITE = (r"\text{CH}_4^{\,site} = DOC_j \times DOC_{f,j} \times MCF_{site} \times F \times \tfrac{16}{12}"
              r" \times (1 - OX)")
LATEX_BURN = (r"\text{CO}_2^{\,fossil} = dm_j \times CF_j \times FCF_j \times OF \times \tfrac{44}{12}, \quad "
              r"\text{N}_2\text{O}_{burn} = EF_{N_2O} \times dm_j")


METHOD_KEY = "scenario-method"  # the methodology panel's open state (session only, not in the link)


def draw_methodology(method: Methodology) -> None:
    """The methodology panel. Its content is drawn only while it is open (opening it reruns the page): three
    tables, four equations and a citation list are not worth sending on every run of a page most readers use for
    its sliders."""
    _ = tr()
    panel = st.expander(_("scenario.method.expander"), icon=":material/functions:", key=METHOD_KEY,
                        on_change="rerun")
    if not panel.open:
        return
    with panel:
        st.markdown(method.committed)
        st.latex(LATEX_SITE)
        st.latex(r"\text{" + method.latex_capture + r" } \text{CH}_4 = G\,[(1-R)(1-OX) + R\,(1-DE)]")
        st.latex(LATEX_BURN)
        st.latex(r"\text{" + method.latex_net + r" CO}_2\text{e} = \text{CO}_2^{\,fossil} + GWP_{CH_4}\,"
                 r"\text{CH}_4 + GWP_{N_2O}\,\text{N}_2\text{O} - \text{" + method.latex_credit + "}")
        st.markdown(method.assumptions)
        st.markdown(method.routes_heading)
        st.dataframe(prepared_table(method.routes), hide_index=True, key="method-routes")
        st.markdown(method.materials_heading)
        st.dataframe(prepared_table(method.materials), hide_index=True, key="method-materials")
        st.markdown(method.parameters_heading)
        st.dataframe(prepared_table(method.parameters), hide_index=True, key="method-parameters")
        if method.no_source_titles:
            st.caption(method.no_source_titles)
        st.markdown(method.not_covered)
        source_line(method.source_ids, prefix="parameter_source")
