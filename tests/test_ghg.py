"""Hand-worked checks of the committed-emissions model in core.ghg against the emission-factor table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from core import ghg

ROOT = Path(__file__).resolve().parent.parent

# Phnom Penh-like mix used only to exercise the model; every material has a share.
COMPOSITION = {"food": 50, "garden": 5, "paper": 8, "cardboard": 3, "wood": 2, "textile": 2, "nappies": 3,
               "rubber_leather": 1, "plastic": 10, "pet": 3, "metal": 1, "aluminium": 1, "glass": 3,
               "other_inert": 8}
ROUTES = {"sanitary_landfill": 20, "unmanaged_deep": 30, "open_burning": 10, "composting": 5, "recycling": 5,
          "uncollected": 30}


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return pd.read_csv(ROOT / "data/emission_factors.csv")


@pytest.fixture(scope="module")
def params(table) -> ghg.Parameters:
    return ghg.parameters_from_table(table)


# ------------------------------------------------------------------ hand-worked factors

def test_food_in_deep_dump(params):
    # 0.15 x 0.5 x 0.8 x 0.5 x 16/12 = 0.04 t CH4; x 28 = 1.12 tCO2e
    gases = ghg.per_tonne("food", "unmanaged_deep", params)
    assert gases.ch4 == pytest.approx(0.04)
    assert gases.direct_co2e(params) == pytest.approx(1.12)
    assert gases.ch4_landfill_dump == pytest.approx(0.04)


def test_paper_in_deep_dump_matches_dossier(params):
    # 0.40 x 0.5 x 0.8 x 0.5 x 16/12 x 28 = 2.99 (dossier §4.2 worked value)
    gases = ghg.per_tonne("paper", "unmanaged_deep", params)
    assert gases.direct_co2e(params) == pytest.approx(2.99, abs=0.005)


def test_docf_2019_raises_food_methane(table):
    params = ghg.parameters_from_table(table, {"docf": "2019"})
    gases = ghg.per_tonne("food", "unmanaged_deep", params)
    assert gases.ch4 == pytest.approx(0.056)
    assert gases.direct_co2e(params) == pytest.approx(1.568)
    # Plastics have no 2019 DOCf row and keep the 2006 default (their DOC is 0 anyway).
    assert params.row_id("docf", "plastic") == "docf-2006"


def test_sanitary_landfill_uses_cover_oxidation(params):
    # MCF 1.0 and OX 0.1: 0.15 x 0.5 x 1.0 x 0.5 x 16/12 x 0.9 = 0.045 t CH4
    assert ghg.per_tonne("food", "sanitary_landfill", params).ch4 == pytest.approx(0.045)


def test_gas_capture_flares_part_of_the_methane(params):
    # G = 0.05; (1 - 0.595) x 0.9 escapes the cover, 0.595 x (1 - 0.9) slips through the flare
    gases = ghg.per_tonne("food", "sanitary_landfill_capture", params)
    assert gases.ch4 == pytest.approx(0.05 * (0.405 * 0.9 + 0.595 * 0.1))
    assert gases.ch4 < ghg.per_tonne("food", "sanitary_landfill", params).ch4


def test_composting_food_2006_default(params):
    gases = ghg.per_tonne("food", "composting", params)
    assert gases.ch4 == pytest.approx(0.004)
    assert gases.n2o == pytest.approx(0.0003)


def test_composting_food_2019_n2o(table):
    params = ghg.parameters_from_table(table, {"compost_n2o": "2019"})
    gases = ghg.per_tonne("food", "composting", params)
    assert gases.ch4 == pytest.approx(0.004)
    assert gases.n2o == pytest.approx(0.00024)


def test_open_burning_plastic(params, table):
    gases = ghg.per_tonne("plastic", "open_burning", params)
    # 1 x 0.75 x 1.0 x 0.58 x 44/12 = 1.595 -> 1.60 tCO2
    assert gases.co2_fossil == pytest.approx(1.595)
    assert gases.co2_fossil == pytest.approx(1.60, rel=0.005)  # as the dossier rounds it
    assert gases.ch4 == pytest.approx(0.0065)
    # 150 g N2O per t dry matter, plastics dm 1.0
    assert gases.n2o == pytest.approx(0.00015)
    alt = ghg.parameters_from_table(table, {"open_burning_of": "alt", "open_burning_n2o": "alt"})
    alt_gases = ghg.per_tonne("plastic", "open_burning", alt)
    # 0.71 instead of 0.58: 1.9525 -> 1.95
    assert alt_gases.co2_fossil == pytest.approx(1.9525)
    assert alt_gases.n2o == pytest.approx(0.0015)


def test_incineration_plastic(params):
    gases = ghg.per_tonne("plastic", "incineration", params)
    assert gases.co2_fossil == pytest.approx(2.75)
    assert gases.n2o == pytest.approx(50e-6)


def test_ar6_switch(table):
    ar5 = ghg.parameters_from_table(table)
    ar6 = ghg.parameters_from_table(table, {"gwp": "AR6"})
    assert (ar5.gwp_ch4, ar5.gwp_n2o) == (28, 265)
    assert (ar6.gwp_ch4, ar6.gwp_n2o) == (27, 273)
    assert ghg.per_tonne("food", "unmanaged_deep", ar6).direct_co2e(ar6) == pytest.approx(0.04 * 27)


def test_recycling_credit_and_rejects(params):
    pet = ghg.per_tonne("pet", "recycling", params)
    assert pet.avoided_co2e == pytest.approx(1.15)
    assert pet.net_co2e(params) == pytest.approx(-1.15)
    # Generic paper is credited as WARM mixed paper; unsplit plastic has no factor and is a reject.
    assert ghg.per_tonne("paper", "recycling", params).avoided_co2e == pytest.approx(3.91)
    assert ghg.treated_as("plastic", "recycling", params) == ghg.DEFAULT_RESIDUE_ROUTE
    assert ghg.per_tonne("plastic", "recycling", params).avoided_co2e == 0


def test_non_compostables_go_to_residue(params):
    assert ghg.treated_as("paper", "composting", params) == "unmanaged_shallow"
    assert ghg.per_tonne("paper", "composting", params) == ghg.per_tonne("paper", "unmanaged_shallow", params)
    landfill = ghg.per_tonne("paper", "composting", params, residue_route="sanitary_landfill")
    assert landfill == ghg.per_tonne("paper", "sanitary_landfill", params)


def test_uncollected_is_the_stated_split(params):
    burned = ghg.per_tonne("food", "open_burning", params)
    dumped = ghg.per_tonne("food", "unmanaged_shallow", params)
    mixed = ghg.per_tonne("food", "uncollected", params, uncollected_burn_pct=30)
    assert mixed.ch4 == pytest.approx(0.3 * burned.ch4 + 0.7 * dumped.ch4)
    assert mixed.n2o == pytest.approx(0.3 * burned.n2o)


# ------------------------------------------------------------------ scenario rules

def test_mass_balance(params):
    results = ghg.run_scenario(1_000_000, COMPOSITION, ROUTES, params)
    assert results["tonnes"].sum() == pytest.approx(1_000_000)
    assert len(results) == len(COMPOSITION) * len(ROUTES)
    assert not results.duplicated(["material", "route"]).any()
    assert (results["net_co2e"] == results["direct_co2e"] - results["avoided_co2e"]).all()
    by_material = results.groupby("material")["tonnes"].sum()
    for material, share in COMPOSITION.items():
        assert by_material[material] == pytest.approx(1_000_000 * share / 100)


def test_route_shares_must_sum_to_100(params):
    with pytest.raises(ValueError, match=r"route shares must sum to 100.*sum to 90.*composting=30"):
        ghg.run_scenario(100, {"food": 100}, {"unmanaged_deep": 60, "composting": 30}, params)


def test_composition_must_sum_to_100_or_name_a_remainder(params):
    with pytest.raises(ValueError, match=r"composition shares must sum to 100.*food=60.*plastic=20"):
        ghg.run_scenario(100, {"food": 60, "plastic": 20}, {"composting": 100}, params)
    results = ghg.run_scenario(100, {"food": 60, "plastic": 20}, {"composting": 100}, params,
                               remainder_to="other_inert")
    assert results.set_index("material").at["other_inert", "tonnes"] == pytest.approx(20)


def test_unknown_route_is_rejected(params):
    with pytest.raises(ValueError, match="landfil"):
        ghg.run_scenario(100, {"food": 100}, {"landfil": 100}, params)


@pytest.mark.parametrize("dump", ["unmanaged_deep", "unmanaged_shallow", "uncategorised_dump"])
def test_composting_instead_of_dumping_never_raises_methane(params, dump):
    methane = []
    for compost_share in range(0, 101, 10):
        routes = {dump: 100 - compost_share, "composting": compost_share}
        results = ghg.run_scenario(1000, COMPOSITION, routes, params)
        methane.append(results["ch4_t"].sum())
    assert all(later <= earlier + 1e-12 for earlier, later in zip(methane, methane[1:], strict=False))
    assert methane[-1] < methane[0]


def test_summary_adds_up(params):
    results = ghg.run_scenario(2000, COMPOSITION, ROUTES, params)
    totals = ghg.summary(results)
    assert totals["tonnes"] == pytest.approx(2000)
    assert totals["net_co2e"] == pytest.approx(totals["direct_co2e"] - totals["avoided_co2e"])
    assert totals["net_co2e_per_t"] == pytest.approx(totals["net_co2e"] / 2000)
    dumps = results[results["treated_as"].isin(ghg.DISPOSAL_SITES)]
    assert totals["ch4_landfill_dump_t"] >= dumps["ch4_t"].sum() - 1e-12
    assert totals["ch4_landfill_dump_t"] <= totals["ch4_t"]


# ------------------------------------------------------------------ table and choices

def test_alternatives_point_to_a_default_of_the_same_parameter(table):
    defaults = table[table["is_default"]].set_index("id")
    alternatives = table[~table["is_default"]]
    assert alternatives["alternative_to"].isin(defaults.index).all()
    assert (defaults.loc[alternatives["alternative_to"], "parameter"].to_numpy()
            == alternatives["parameter"].to_numpy()).all()
    assert table["id"].is_unique


def test_bad_choices_are_refused(table):
    with pytest.raises(ValueError, match="ambiguous"):
        ghg.parameters_from_table(table, {"gwp": "alt"})
    with pytest.raises(ValueError, match="available"):
        ghg.parameters_from_table(table, {"gwp": "AR7"})
    with pytest.raises(ValueError, match="no alternative"):
        ghg.parameters_from_table(table, {"f": "alt"})


def test_sensitivity_rows(table):
    swings = ghg.sensitivity(1000, COMPOSITION, ROUTES, table)
    assert swings["id"].is_unique
    ranged = swings[swings["kind"] == "range"]
    assert {"doc-food", "mcf-unmanaged-deep", "f", "open-burning-ch4", "compost-ch4"} <= set(ranged["id"])
    assert (ranged["input_low"] <= ranged["input_default"]).all()
    assert (ranged["input_default"] <= ranged["input_high"]).all()
    choices = swings[swings["kind"] == "choice"]
    assert {"gwp=AR6", "open_burning_n2o=bonsai transcription", "docf=IPCC 2019"} <= set(choices["id"])
    # More DOC in food means more methane from the dumps, so net emissions rise.
    food = ranged.set_index("id").loc["doc-food"]
    assert food["net_low"] < food["net_default"] < food["net_high"]
    assert (swings["swing"].diff().dropna() <= 1e-9).all()
