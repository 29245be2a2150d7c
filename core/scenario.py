"""The Scenario lab's fixed choices, shared with the story: baseline set, route and material mapping, preset."""

from __future__ import annotations

import pandas as pd

# The baseline is one published breakdown: the 2020-21 national route shares of Pheakdey et al. (2022).
BASELINE_SET = "pheakdey-2022-national"
SHARE_TOLERANCE = 0.5  # percentage points: published shares that add up to 100 within rounding

# How the dossier's route words become model routes. 'landfill' is a choice: the "164 landfills" of
# 2020-21 are mostly dumpsites, so the default treats them as unmanaged deep dumps (IPCC MCF 0.8).
SITE_ROUTES = ("landfill", "open_dump")
DOSSIER_TO_MODEL = {
    "recycling": "recycling",
    "incineration": "incineration",
    "composting": "composting",
    "open_burning": "open_burning",
    "uncontrolled": "uncollected",
    "uncollected": "uncollected",
    "burned_or_dumped_in_water": "uncollected",
}
DEFAULT_SITE = "unmanaged_deep"

# Composition materials of data/composition.csv -> model materials (IPCC 2006 Table 2.4 classes).
MATERIAL_MAP = {
    "organic": "food", "paper": "paper", "plastic": "plastic", "glass": "glass", "metal": "metal",
    "wood": "wood", "textile": "textile", "rubber_leather": "rubber_leather", "inert": "other_inert",
    "other": "other_inert",
}

# The preset answers "what if we compost half the organic waste and close open dumping?".
PRESET_QUESTION = "What if we compost half the organic waste and close open dumping?"
PRESET_COMPOST_PCT = 50  # % of the mixed stream through composting: half of every material, so half the organics
PRESET_LANDFILL = {"a": ("lfg", "sanitary_landfill_capture"), "b": ("sanitary", "sanitary_landfill")}


def composition_sets(composition: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Complete published breakdowns whose materials all map to model materials, national first."""
    complete = composition[composition["set_complete"].fillna(False).astype(bool)]
    sets: dict[str, pd.DataFrame] = {}
    ordered = complete.assign(national=complete["geo_level"].eq("national")).sort_values(
        ["national", "set_id"], ascending=[False, True], kind="stable")
    for set_id, rows in ordered.groupby("set_id", sort=False):
        shares = pd.to_numeric(rows["share_pct"], errors="coerce")
        if shares.isna().any() or not set(rows["material"]) <= set(MATERIAL_MAP):
            continue
        if abs(shares.sum() - 100) > SHARE_TOLERANCE:
            continue
        sets[str(set_id)] = rows.assign(share_pct=shares)
    return sets


def model_composition(rows: pd.DataFrame) -> dict[str, float]:
    """Model material -> % of wet mass, rescaled to exactly 100."""
    shares: dict[str, float] = {}
    for material, share in zip(rows["material"], rows["share_pct"], strict=True):
        target = MATERIAL_MAP[material]
        shares[target] = shares.get(target, 0.0) + float(share)
    total = sum(shares.values())
    return {material: share * 100 / total for material, share in shares.items()}
