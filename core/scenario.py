"""The Scenario lab's fixed choices, shared with the story: baseline set, route and material mapping, preset."""

from __future__ import annotations

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
