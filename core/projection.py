"""Compound-growth projection of a published total: a transparent model, never a published figure."""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

FORMULA = "value(year) = base value × (1 + rate / 100) ^ (year − base year)"


def project(base_value: float, base_year: float, rate_pct: float, years: Iterable[float]) -> pd.DataFrame:
    """Grow `base_value` (given for `base_year`) by `rate_pct` percent a year, compounded, to each of `years`.

    Returns one row per year: year, value, years_ahead (year − base year), rate_pct and factor
    ((1 + rate/100) ** years_ahead). A base year that is the middle of a period (e.g. 2014.5) is allowed;
    years before the base year are refused, because this is a projection, not a back-cast.
    """
    if not math.isfinite(base_value) or base_value < 0:
        raise ValueError(f"the base value must be a finite number of at least 0, not {base_value!r}")
    if not math.isfinite(rate_pct) or rate_pct <= -100:
        raise ValueError(f"the growth rate must be a finite percentage above -100, not {rate_pct!r}")
    wanted = sorted({float(year) for year in years})
    if any(year < base_year for year in wanted):
        raise ValueError(f"every projected year must be on or after the base year {base_year:g}")
    ahead = [year - base_year for year in wanted]
    factors = [(1 + rate_pct / 100) ** n for n in ahead]
    return pd.DataFrame({
        "year": wanted,
        "years_ahead": ahead,
        "rate_pct": float(rate_pct),
        "factor": factors,
        "value": [base_value * factor for factor in factors],
    })


def projection_years(base_year: float, last_year: int) -> list[float]:
    """The base year, then every whole year after it up to `last_year` (the points a projection line needs)."""
    return [float(base_year)] + [float(y) for y in range(math.floor(base_year) + 1, last_year + 1)]
