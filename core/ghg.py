"""Committed greenhouse-gas emissions of one year's municipal waste, by material and treatment route.

The model is the IPCC 2006 Vol. 5 Tier 1 mass balance ("methane commitment"): all the methane a tonne
will ever release from a disposal site is booked in the year it is deposited, so landfills and dumps
compare like for like with routes that emit at once (burning, composting, recycling). Every number
comes from ``data/emission_factors.csv``; this module holds no parameter values, only the equations
and the scenario rules below. Gases are returned separately (t CH4, t N2O, t fossil CO2) and as CO2e.

Equations, per tonne of wet waste of material j (research dossier lca.md §4):

* disposal sites: CH4 = DOC_j x DOCf_j x MCF x F x 16/12 x (1 - OX); with gas capture the captured part
  R (collection efficiency) is flared: CH4 = G x [(1 - R)(1 - OX) + R(1 - destruction efficiency)];
* open burning: fossil CO2 = dm_j x CF_j x FCF_j x OF x 44/12, CH4 per wet tonne, N2O per tonne dry matter;
  the CH4 and N2O factors are for mixed MSW, so they apply to every material burned, inerts included;
* incineration: the same fossil CO2 with the incineration OF; CH4 and N2O per wet tonne;
* composting and anaerobic digestion: CH4 and N2O per kg wet waste (IPCC Table 4.1);
* recycling: the WARM net recycling factor, reported as avoided CO2e (positive = avoided).

Biogenic CO2 is excluded (IPCC convention). Not covered: collection and transport, energy recovery
credits (incineration, biogas, landfill gas use), compost and soil-carbon credits, landfill carbon
storage, black carbon, annual (first-order-decay) inventory timing, wastewater and sludge.

Scenario rules (assumptions, stated on purpose so a reader can disagree with them):

* Route shares apply to the mixed waste stream: x % of every material goes to route r.
* Composting and anaerobic digestion accept only food and garden waste. Every other material sent
  there is screened out as residue and treated by ``residue_route`` (default ``unmanaged_shallow``,
  an assumption, not a dossier figure); its tonnes stay on the composting row, with ``treated_as``
  saying where they went.
* Recycling credits exist only where the table holds a WARM factor: aluminium, steel, glass, PET, HDPE,
  PP, cardboard and mixed paper, with generic ``paper`` credited as WARM "mixed paper (general)".
  Anything else sent to recycling (plastic not split by polymer, generic metal, organics ...) is a
  sorting reject and goes to ``residue_route``: it earns no credit and is not lost. No sorting
  losses are applied to materials that do have a credit (no sourced rate).
* Uncollected waste is an ASSUMPTION, not a dossier figure: a user-set share is burned in the open
  (``uncollected_burn_pct``, default 50) and the rest dumped in unmanaged shallow heaps.
* Recycling grades (aluminium, steel, pet, hdpe, pp, cardboard, mixed_paper) are sub-types of metal,
  plastic and paper: they take the parent's physical properties (DOC, dm, CF, FCF) on every other route.
* The ``semi_aerobic`` route is a managed, soil-covered site (OX 0.1); ``uncategorised_dump`` uses the
  IPCC uncategorised MCF for dumps of unknown depth.

Alternatives in the table (AR6 GWPs, 2019 DOCf, the open-burning OF and N2O conflicts, WARM v15 ...) are
selected with ``parameters_from_table(table, choices)``; ``sensitivity`` swings every range and choice.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

MATERIALS = ("food", "garden", "paper", "wood", "textile", "nappies", "rubber_leather", "plastic", "metal",
             "glass", "other_inert")
RECYCLING_GRADES: Mapping[str, str] = {
    "aluminium": "metal", "steel": "metal", "pet": "plastic", "hdpe": "plastic", "pp": "plastic",
    "cardboard": "paper", "mixed_paper": "paper",
}
COMPOSITION_MATERIALS = MATERIALS + tuple(RECYCLING_GRADES)
# WARM's "mixed paper (general)" is the factor meant for paper of unknown grade.
CREDIT_GRADE: Mapping[str, str] = {"paper": "mixed_paper"}
BIOLOGICAL_FEEDSTOCK = frozenset({"food", "garden"})

# route -> (IPCC site type for MCF, cover class for OX, landfill gas captured?)
DISPOSAL_SITES: Mapping[str, tuple[str, str, bool]] = {
    "sanitary_landfill": ("managed_anaerobic", "managed_covered", False),
    "sanitary_landfill_capture": ("managed_anaerobic", "managed_covered", True),
    "semi_aerobic": ("semi_aerobic", "managed_covered", False),
    "unmanaged_deep": ("unmanaged_deep", "unmanaged_or_uncovered", False),
    "unmanaged_shallow": ("unmanaged_shallow", "unmanaged_or_uncovered", False),
    "uncategorised_dump": ("uncategorised", "unmanaged_or_uncovered", False),
}
ROUTES = tuple(DISPOSAL_SITES) + ("open_burning", "incineration", "composting", "anaerobic_digestion",
                                  "recycling", "uncollected")
# Routes that take any material, so they can receive residues.
RESIDUE_ROUTES = tuple(DISPOSAL_SITES) + ("open_burning", "incineration")
DEFAULT_RESIDUE_ROUTE = "unmanaged_shallow"
DEFAULT_UNCOLLECTED_BURN_PCT = 50.0
UNCOLLECTED_DUMP_ROUTE = "unmanaged_shallow"

# A choice key names one parameter, or a group that must switch together.
CHOICE_GROUPS: Mapping[str, tuple[str, ...]] = {"gwp": ("gwp_ch4", "gwp_n2o")}
DEFAULT_OPTION = "default"
ALT_OPTION = "alt"
MODEL_PARAMETERS = frozenset({
    "doc", "docf", "mcf", "f", "ox", "lfg_collection_efficiency", "flare_destruction",
    "dm", "cf", "fcf", "open_burning_of", "open_burning_ch4", "open_burning_n2o",
    "incineration_of", "incineration_ch4", "incineration_n2o",
    "compost_ch4", "compost_n2o", "ad_ch4", "ad_n2o", "gwp_ch4", "gwp_n2o", "recycling_credit",
})
TABLE_COLUMNS = ("id", "parameter", "material", "route", "value", "low", "high", "edition", "is_default",
                 "alternative_to")

CH4_PER_C = 16 / 12
CO2_PER_C = 44 / 12
G_PER_T = 1e6
G_PER_KG = 1e3
SHARE_TOLERANCE = 1e-6

RESULT_COLUMNS = ("material", "route", "treated_as", "tonnes", "ch4_t", "ch4_landfill_dump_t", "n2o_t",
                  "co2_fossil_t", "ch4_landfill_dump_co2e", "direct_co2e", "avoided_co2e", "net_co2e")
SENSITIVITY_COLUMNS = ("id", "kind", "parameter", "material", "route", "case_low", "case_high", "input_low",
                       "input_default", "input_high", "net_default", "net_low", "net_high", "delta_low",
                       "delta_high", "swing")

Key = tuple[str, str, str]


@dataclass(frozen=True)
class Parameters:
    """Resolved parameter values keyed by (parameter, material, route); '' means any material or route."""

    values: Mapping[Key, float]
    row_ids: Mapping[Key, str]
    choices: Mapping[str, str] = field(default_factory=dict)

    def _key(self, parameter: str, material: str, route: str) -> Key | None:
        for key in ((parameter, material, route), (parameter, material, ""), (parameter, "", route),
                    (parameter, "", "")):
            if key in self.values:
                return key
        return None

    def has(self, parameter: str, material: str = "", route: str = "") -> bool:
        return self._key(parameter, material, route) is not None

    def get(self, parameter: str, material: str = "", route: str = "") -> float:
        key = self._key(parameter, material, route)
        if key is None:
            raise KeyError(f"the emission-factor table has no value for {parameter!r} "
                           f"(material {material!r}, route {route!r})")
        return self.values[key]

    def row_id(self, parameter: str, material: str = "", route: str = "") -> str:
        """Id of the table row a value came from, for an audit trail."""
        key = self._key(parameter, material, route)
        if key is None:
            raise KeyError(f"no row for {parameter!r} (material {material!r}, route {route!r})")
        return self.row_ids[key]

    def with_value(self, key: Key, value: float) -> Parameters:
        """A copy with one value replaced (used to swing a parameter over its range)."""
        if key not in self.values:
            raise KeyError(f"{key} is not a resolved parameter")
        return Parameters({**self.values, key: float(value)}, self.row_ids, self.choices)

    @property
    def gwp_ch4(self) -> float:
        return self.get("gwp_ch4")

    @property
    def gwp_n2o(self) -> float:
        return self.get("gwp_n2o")


@dataclass(frozen=True)
class Gases:
    """Emissions in tonnes of each gas (per tonne of waste, or for a tonnage once scaled)."""

    ch4: float = 0.0
    n2o: float = 0.0
    co2_fossil: float = 0.0
    avoided_co2e: float = 0.0
    ch4_landfill_dump: float = 0.0  # the part of ch4 released by disposal sites

    def __add__(self, other: Gases) -> Gases:
        return Gases(self.ch4 + other.ch4, self.n2o + other.n2o, self.co2_fossil + other.co2_fossil,
                     self.avoided_co2e + other.avoided_co2e, self.ch4_landfill_dump + other.ch4_landfill_dump)

    def scaled(self, factor: float) -> Gases:
        return Gases(self.ch4 * factor, self.n2o * factor, self.co2_fossil * factor,
                     self.avoided_co2e * factor, self.ch4_landfill_dump * factor)

    def direct_co2e(self, params: Parameters) -> float:
        return self.co2_fossil + self.ch4 * params.gwp_ch4 + self.n2o * params.gwp_n2o

    def net_co2e(self, params: Parameters) -> float:
        return self.direct_co2e(params) - self.avoided_co2e


# ------------------------------------------------------------------ reading the table

def _tokens(text: str) -> set[str]:
    return {t for t in re.split(r"[\s,;/()]+", text.lower()) if t}


def _as_bool(value: object, row_id: str) -> bool:
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if pd.api.types.is_bool(value):
        return bool(value)
    raise ValueError(f"row {row_id}: is_default must be true or false, got {value!r}")


def _clean_table(df: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in TABLE_COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"emission-factor table lacks columns {missing}")
    duplicated = sorted(set(df["id"][df["id"].duplicated()]))
    if duplicated:
        raise ValueError(f"duplicate row ids in the emission-factor table: {duplicated}")
    table = df.loc[:, list(TABLE_COLUMNS)].copy()
    for column in ("material", "route", "alternative_to", "edition"):
        table[column] = table[column].fillna("").astype(str).str.strip()
    table["is_default"] = [_as_bool(v, i) for v, i in zip(table["is_default"], table["id"], strict=True)]
    for column in ("value", "low", "high"):
        table[column] = pd.to_numeric(table[column])
    bad = table[(table["low"] > table["value"]) | (table["value"] > table["high"])]
    if not bad.empty:
        raise ValueError(f"rows whose value lies outside low..high: {list(bad['id'])}")
    return table


def _chosen_rows(table: pd.DataFrame, choice: str, option: str) -> pd.DataFrame:
    members = CHOICE_GROUPS.get(choice, (choice,))
    candidates = table[~table["is_default"] & table["parameter"].isin(members)]
    if candidates.empty:
        raise ValueError(f"choice {choice!r}: the table has no alternative value for {', '.join(members)}")
    wanted = option.strip().lower()
    if wanted == ALT_OPTION:
        picked = candidates
    else:
        editions = candidates["edition"].str.lower()
        picked = candidates[editions == wanted]
        if picked.empty:
            picked = candidates[editions.map(lambda e: wanted in _tokens(e))]
    available = sorted(set(candidates["edition"]))
    if picked.empty:
        raise ValueError(f"choice {choice}={option!r} matches no alternative; available: {available}")
    keys = list(zip(picked["parameter"], picked["material"], picked["route"], strict=True))
    if len(set(keys)) < len(keys):
        raise ValueError(f"choice {choice}={option!r} is ambiguous (several alternatives for one value); "
                         f"name one of {available}")
    return picked


def parameters_from_table(df: pd.DataFrame, choices: Mapping[str, str] | None = None) -> Parameters:
    """Resolve the emission-factor table into the values the model uses.

    Default rows are used unless ``choices`` selects alternatives. A choice key is a parameter name
    (``docf``, ``open_burning_of``, ``compost_n2o``, ``recycling_credit`` ...) or the group ``gwp``;
    its value is ``"default"``, ``"alt"`` (the single alternative of each default row) or an edition
    label from the table, matched exactly or as a word ("AR6", "2019", "worst"). An alternative that is
    material-specific (e.g. DOCf 2019 for food) replaces the default for that material only.
    """
    return _parameters(_clean_table(df), choices)


def _default_values(table: pd.DataFrame) -> tuple[dict[Key, float], dict[Key, str]]:
    """The default rows' values and row ids, by key, of a table _clean_table has already checked."""
    values: dict[Key, float] = {}
    row_ids: dict[Key, str] = {}
    for row in table[table["is_default"]].itertuples(index=False):
        key = (row.parameter, row.material, row.route)
        if key in values:
            raise ValueError(f"two default rows for {key}: {row_ids[key]} and {row.id}")
        values[key], row_ids[key] = float(row.value), row.id
    return values, row_ids


def _parameters(table: pd.DataFrame, choices: Mapping[str, str] | None,
                defaults: tuple[dict[Key, float], dict[Key, str]] | None = None) -> Parameters:
    """parameters_from_table of a table _clean_table has already checked; `defaults` is its _default_values, when
    already known (sensitivity resolves many choices from one table)."""
    values, row_ids = (dict(part) for part in (defaults or _default_values(table)))
    for choice, option in (choices or {}).items():
        if option is None or option.strip().lower() == DEFAULT_OPTION:
            continue
        for row in _chosen_rows(table, choice, option).itertuples(index=False):
            key = (row.parameter, row.material, row.route)
            values[key], row_ids[key] = float(row.value), row.id
    return Parameters(values, row_ids, dict(choices or {}))


# ------------------------------------------------------------------ per-tonne factors

def physical_material(material: str) -> str:
    """The Table 2.4 material whose properties a recycling grade shares (pet -> plastic)."""
    return RECYCLING_GRADES.get(material, material)


def credit_grade(material: str) -> str:
    return CREDIT_GRADE.get(material, material)


def treated_as(material: str, route: str, params: Parameters,
               residue_route: str = DEFAULT_RESIDUE_ROUTE) -> str:
    """Where a tonne of ``material`` sent to ``route`` is actually treated (residues leave the route)."""
    biological = route in ("composting", "anaerobic_digestion")
    if biological and physical_material(material) not in BIOLOGICAL_FEEDSTOCK:
        return residue_route
    if route == "recycling" and not params.has("recycling_credit", credit_grade(material), "recycling"):
        return residue_route
    return route


def disposal_site_ch4(material: str, route: str, params: Parameters) -> float:
    """t CH4 per t wet waste deposited, over the site's lifetime (committed methane)."""
    site, cover, captured = DISPOSAL_SITES[route]
    m = physical_material(material)
    generated = (params.get("doc", m) * params.get("docf", m) * params.get("mcf", route=site)
                 * params.get("f") * CH4_PER_C)
    ox = params.get("ox", route=cover)
    if not captured:
        return generated * (1 - ox)
    collected = params.get("lfg_collection_efficiency", m, route)
    # Captured gas bypasses the cover; what the flare does not destroy escapes.
    slip = 1 - params.get("flare_destruction", route=route)
    return generated * ((1 - collected) * (1 - ox) + collected * slip)


def fossil_co2(material: str, oxidation_factor: float, params: Parameters) -> float:
    """t fossil CO2 per t wet waste burned."""
    m = physical_material(material)
    return params.get("dm", m) * params.get("cf", m) * params.get("fcf", m) * oxidation_factor * CO2_PER_C


def _treatment_gases(material: str, route: str, params: Parameters) -> Gases:
    m = physical_material(material)
    if route in DISPOSAL_SITES:
        ch4 = disposal_site_ch4(m, route, params)
        return Gases(ch4=ch4, ch4_landfill_dump=ch4)
    if route == "open_burning":
        return Gases(
            ch4=params.get("open_burning_ch4", route=route) / G_PER_T,
            n2o=params.get("open_burning_n2o", route=route) * params.get("dm", m) / G_PER_T,
            co2_fossil=fossil_co2(m, params.get("open_burning_of", route=route), params),
        )
    if route == "incineration":
        return Gases(
            ch4=params.get("incineration_ch4", route=route) / G_PER_T,
            n2o=params.get("incineration_n2o", route=route) / G_PER_T,
            co2_fossil=fossil_co2(m, params.get("incineration_of", route=route), params),
        )
    if route == "composting":
        return Gases(ch4=params.get("compost_ch4", route=route) / G_PER_KG,
                     n2o=params.get("compost_n2o", route=route) / G_PER_KG)
    if route == "anaerobic_digestion":
        return Gases(ch4=params.get("ad_ch4", route=route) / G_PER_KG,
                     n2o=params.get("ad_n2o", route=route) / G_PER_KG)
    if route == "recycling":
        # WARM's net factor already includes reprocessing, so there is no separate direct term.
        return Gases(avoided_co2e=-params.get("recycling_credit", credit_grade(material), route))
    raise ValueError(f"unknown treatment route {route!r}")


def per_tonne(material: str, route: str, params: Parameters, *, residue_route: str = DEFAULT_RESIDUE_ROUTE,
              uncollected_burn_pct: float = DEFAULT_UNCOLLECTED_BURN_PCT) -> Gases:
    """Gases per tonne of wet ``material`` sent to ``route`` (residues follow ``residue_route``)."""
    _check_options(residue_route, uncollected_burn_pct)
    if material not in COMPOSITION_MATERIALS:
        raise ValueError(f"unknown material {material!r}; known: {', '.join(COMPOSITION_MATERIALS)}")
    if route == "uncollected":
        burned = uncollected_burn_pct / 100
        return (_treatment_gases(material, "open_burning", params).scaled(burned)
                + _treatment_gases(material, UNCOLLECTED_DUMP_ROUTE, params).scaled(1 - burned))
    if route not in ROUTES:
        raise ValueError(f"unknown route {route!r}; known: {', '.join(ROUTES)}")
    return _treatment_gases(material, treated_as(material, route, params, residue_route), params)


def factor_table(params: Parameters, materials: Iterable[str] = MATERIALS, routes: Iterable[str] = ROUTES,
                 *, residue_route: str = DEFAULT_RESIDUE_ROUTE,
                 uncollected_burn_pct: float = DEFAULT_UNCOLLECTED_BURN_PCT) -> pd.DataFrame:
    """Per-tonne factors (t gas and tCO2e per t wet waste) for every (material, route)."""
    rows = []
    for material in materials:
        for route in routes:
            gases = per_tonne(material, route, params, residue_route=residue_route,
                              uncollected_burn_pct=uncollected_burn_pct)
            rows.append({
                "material": material, "route": route,
                "treated_as": _treated_label(material, route, params, residue_route, uncollected_burn_pct),
                "ch4_t_per_t": gases.ch4, "n2o_t_per_t": gases.n2o, "co2_fossil_t_per_t": gases.co2_fossil,
                "direct_co2e_per_t": gases.direct_co2e(params), "avoided_co2e_per_t": gases.avoided_co2e,
                "net_co2e_per_t": gases.net_co2e(params),
            })
    return pd.DataFrame(rows)


def _treated_label(material: str, route: str, params: Parameters, residue_route: str,
                   uncollected_burn_pct: float) -> str:
    if route == "uncollected":
        dumped = 100 - uncollected_burn_pct
        return f"open_burning {uncollected_burn_pct:g}% + {UNCOLLECTED_DUMP_ROUTE} {dumped:g}%"
    return treated_as(material, route, params, residue_route)


# ------------------------------------------------------------------ scenario

def _check_options(residue_route: str, uncollected_burn_pct: float) -> None:
    if residue_route not in RESIDUE_ROUTES:
        raise ValueError(f"residue_route must be one of {', '.join(RESIDUE_ROUTES)}, got {residue_route!r}")
    if not 0 <= uncollected_burn_pct <= 100:
        raise ValueError(f"uncollected_burn_pct must lie in 0..100, got {uncollected_burn_pct!r}")


def _format_shares(shares: Mapping[str, float]) -> str:
    return ", ".join(f"{name}={share:g}" for name, share in shares.items())


def _check_shares(shares: Mapping[str, float], known: Iterable[str], what: str) -> dict[str, float]:
    known = tuple(known)
    if not shares:
        raise ValueError(f"{what} are empty")
    unknown = [name for name in shares if name not in known]
    if unknown:
        raise ValueError(f"{what}: unknown {unknown}; known: {', '.join(known)}")
    bad = {name: s for name, s in shares.items() if not (math.isfinite(s) and s >= 0)}
    if bad:
        raise ValueError(f"{what} must be finite and non-negative: {_format_shares(bad)}")
    total = sum(shares.values())
    if abs(total - 100) > SHARE_TOLERANCE:
        raise ValueError(f"{what} must sum to 100 %, they sum to {total:g}: {_format_shares(shares)}")
    return dict(shares)


def complete_composition(composition: Mapping[str, float],
                         remainder_to: str | None = None) -> dict[str, float]:
    """Check a composition (% by wet mass); ``remainder_to`` names the material that takes 100 - sum."""
    shares = dict(composition)
    if remainder_to is not None:
        if remainder_to not in COMPOSITION_MATERIALS:
            raise ValueError(f"remainder_to {remainder_to!r} is not a known material")
        rest = 100 - sum(shares.values())
        if rest < -SHARE_TOLERANCE:
            raise ValueError("composition shares exceed 100 % before the remainder: "
                             f"{_format_shares(shares)}")
        shares[remainder_to] = shares.get(remainder_to, 0.0) + max(rest, 0.0)
    return _check_shares(shares, COMPOSITION_MATERIALS, "composition shares")


def run_scenario(total_tonnes: float, composition: Mapping[str, float], route_shares: Mapping[str, float],
                 params: Parameters, *, residue_route: str = DEFAULT_RESIDUE_ROUTE,
                 uncollected_burn_pct: float = DEFAULT_UNCOLLECTED_BURN_PCT,
                 remainder_to: str | None = None) -> pd.DataFrame:
    """Committed emissions of ``total_tonnes`` of waste: one row per (material, route) sent there.

    ``composition`` is % of wet mass by material, ``route_shares`` % of the mixed stream by route;
    each must sum to 100 (a ValueError names the shares otherwise). Gases are in tonnes, CO2e in
    tonnes; ``avoided_co2e`` is positive when recycling avoids emissions, net = direct - avoided.
    """
    if not (math.isfinite(total_tonnes) and total_tonnes >= 0):
        raise ValueError(f"total_tonnes must be finite and non-negative, got {total_tonnes!r}")
    _check_options(residue_route, uncollected_burn_pct)
    materials = complete_composition(composition, remainder_to)
    routes = _check_shares(route_shares, ROUTES, "route shares")
    # Dividing by the actual sums (100 within tolerance) keeps the tonnes adding up exactly.
    material_sum, route_sum = sum(materials.values()), sum(routes.values())
    rows = []
    for material, material_share in materials.items():
        for route, route_share in routes.items():
            tonnes = total_tonnes * (material_share / material_sum) * (route_share / route_sum)
            gases = per_tonne(material, route, params, residue_route=residue_route,
                              uncollected_burn_pct=uncollected_burn_pct).scaled(tonnes)
            rows.append({
                "material": material, "route": route,
                "treated_as": _treated_label(material, route, params, residue_route, uncollected_burn_pct),
                "tonnes": tonnes, "ch4_t": gases.ch4, "ch4_landfill_dump_t": gases.ch4_landfill_dump,
                "n2o_t": gases.n2o, "co2_fossil_t": gases.co2_fossil,
                "ch4_landfill_dump_co2e": gases.ch4_landfill_dump * params.gwp_ch4,
                "direct_co2e": gases.direct_co2e(params), "avoided_co2e": gases.avoided_co2e,
                "net_co2e": gases.net_co2e(params),
            })
    results = pd.DataFrame(rows, columns=list(RESULT_COLUMNS))
    if not math.isclose(results["tonnes"].sum(), total_tonnes, rel_tol=1e-9, abs_tol=1e-9):
        raise RuntimeError(f"mass balance broken: {results['tonnes'].sum()} t out for {total_tonnes} t in")
    return results


def summary(results: pd.DataFrame) -> dict[str, float]:
    """Scenario totals: direct, avoided and net tCO2e, gases, disposal-site methane, intensity per tonne."""
    total = float(results["tonnes"].sum())
    sums = {column: float(results[column].sum()) for column in RESULT_COLUMNS[3:]}

    def per_tonne_of_waste(value: float) -> float:
        return value / total if total > 0 else math.nan

    return {
        "tonnes": total,
        "direct_co2e": sums["direct_co2e"],
        "avoided_co2e": sums["avoided_co2e"],
        "net_co2e": sums["net_co2e"],
        "ch4_t": sums["ch4_t"],
        "n2o_t": sums["n2o_t"],
        "co2_fossil_t": sums["co2_fossil_t"],
        "ch4_landfill_dump_t": sums["ch4_landfill_dump_t"],
        "ch4_landfill_dump_co2e": sums["ch4_landfill_dump_co2e"],
        "direct_co2e_per_t": per_tonne_of_waste(sums["direct_co2e"]),
        "net_co2e_per_t": per_tonne_of_waste(sums["net_co2e"]),
    }


# ------------------------------------------------------------------ sensitivity

def _choice_key(parameter: str) -> str:
    for group, members in CHOICE_GROUPS.items():
        if parameter in members:
            return group
    return parameter


def alternative_options(df: pd.DataFrame, choices: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """Every (choice key, edition) the table offers for model parameters, other than the current choice."""
    return _alternative_options(_clean_table(df), choices)


def _alternative_options(table: pd.DataFrame, choices: Mapping[str, str] | None) -> list[tuple[str, str]]:
    """alternative_options of a table _clean_table has already checked."""
    current = {key: option for key, option in (choices or {}).items()
               if option and option.strip().lower() != DEFAULT_OPTION}
    # A choice such as "2019" resolves to the edition "IPCC 2019": that edition is not an alternative.
    in_use = {(key, edition) for key, option in current.items()
              for edition in _chosen_rows(table, key, option)["edition"]}
    options: list[tuple[str, str]] = []
    alternatives = table[~table["is_default"] & table["parameter"].isin(MODEL_PARAMETERS)]
    for parameter, edition in zip(alternatives["parameter"], alternatives["edition"], strict=True):
        option = (_choice_key(parameter), edition)
        if option not in options and option not in in_use:
            options.append(option)
    options.extend((key, DEFAULT_OPTION) for key in current)
    return options


def sensitivity(total_tonnes: float, composition: Mapping[str, float], route_shares: Mapping[str, float],
                table: pd.DataFrame, choices: Mapping[str, str] | None = None,
                **scenario_options) -> pd.DataFrame:
    """Change in net tCO2e when each parameter swings over its low/high range, and for each alternative.

    One row per table row in use that has a range (``kind`` "range"), and one per alternative edition
    (``kind`` "choice", with the alternative in ``case_high``). Sorted by swing, for a tornado chart.
    """
    checked = _clean_table(table)  # checked and read once: every alternative below is resolved from it
    defaults = _default_values(checked)
    base_params = _parameters(checked, choices, defaults)

    def net(params: Parameters) -> float:
        results = run_scenario(total_tonnes, composition, route_shares, params, **scenario_options)
        return float(results["net_co2e"].sum())

    base = net(base_params)
    clean = checked.set_index("id")
    rows = []
    for key, row_id in base_params.row_ids.items():
        low, high = clean.at[row_id, "low"], clean.at[row_id, "high"]
        if key[0] not in MODEL_PARAMETERS or pd.isna(low) or pd.isna(high):
            continue
        net_low, net_high = net(base_params.with_value(key, low)), net(base_params.with_value(key, high))
        rows.append({"id": row_id, "kind": "range", "parameter": key[0], "material": key[1], "route": key[2],
                     "case_low": "low", "case_high": "high", "input_low": float(low),
                     "input_default": base_params.values[key], "input_high": float(high),
                     "net_low": net_low, "net_high": net_high})
    for key, option in _alternative_options(checked, choices):
        alternative = net(_parameters(checked, {**(choices or {}), key: option}, defaults))
        rows.append({"id": f"{key}={option}", "kind": "choice", "parameter": key, "material": "", "route": "",
                     "case_low": (choices or {}).get(key) or DEFAULT_OPTION, "case_high": option,
                     "input_low": math.nan, "input_default": math.nan, "input_high": math.nan,
                     "net_low": base, "net_high": alternative})
    out = pd.DataFrame(rows, columns=[c for c in SENSITIVITY_COLUMNS if c not in
                                      ("net_default", "delta_low", "delta_high", "swing")])
    out["net_default"] = base
    out["delta_low"] = out["net_low"] - base
    out["delta_high"] = out["net_high"] - base
    out["swing"] = (out["delta_high"] - out["delta_low"]).abs()
    return out.loc[:, list(SENSITIVITY_COLUMNS)].sort_values("swing", ascending=False, ignore_index=True)
