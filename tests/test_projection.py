"""core.projection against compound growth worked by hand."""

from __future__ import annotations

import pytest

from core.i18n import text
from core.projection import FORMULA, project, projection_years


def test_ten_percent_a_year_compounds():
    # 100 -> 110 -> 121 -> 133.1: each year adds 10% of the year before, not of the base.
    path = project(100, 2020, 10, [2020, 2021, 2022, 2023])
    assert list(path["year"]) == [2020, 2021, 2022, 2023]
    assert list(path["value"]) == pytest.approx([100, 110, 121, 133.1])
    assert list(path["years_ahead"]) == [0, 1, 2, 3]
    assert set(path["rate_pct"]) == {10}


def test_headline_at_six_point_three_percent():
    # 1.063^2 = 1.129969; ^3 = 1.201157; ^6 = 1.201157^2 = 1.442778; ^5 = 1.201157 x 1.129969 = 1.357270;
    # ^11 = 1.442778 x 1.357270 = 1.958242. Times 2.85 Mt: 4.1119 Mt in 2030 and 5.5810 Mt in 2035.
    path = project(2_850_000, 2024, 6.3, [2030, 2035]).set_index("year")
    assert path.loc[2030, "factor"] == pytest.approx(1.442778, rel=1e-6)
    assert path.loc[2030, "value"] == pytest.approx(4_111_918, rel=1e-6)
    assert path.loc[2035, "value"] == pytest.approx(5_580_990, rel=1e-5)


def test_negative_rate_and_mid_period_base():
    assert project(100, 2020, -50, [2022])["value"].iloc[0] == pytest.approx(25)
    # A base figure for 2014-15 sits at 2014.5; one year later is 2015.5.
    assert project(100, 2014.5, 10, [2015.5])["value"].iloc[0] == pytest.approx(110)


def test_zero_growth_keeps_the_base():
    assert list(project(42, 2024, 0, [2024, 2030])["value"]) == [42, 42]


@pytest.mark.parametrize(("value", "rate", "years"), [(100, 5, [2019]), (100, -100, [2021]), (-1, 5, [2021]),
                                                      (float("nan"), 5, [2021])])
def test_impossible_inputs_are_refused(value, rate, years):
    with pytest.raises(ValueError):
        project(value, 2020, rate, years)


def test_projection_years_start_at_the_base_and_end_at_the_last_year():
    assert projection_years(2024, 2027) == [2024, 2025, 2026, 2027]
    assert projection_years(2014.5, 2016) == [2014.5, 2015, 2016]
    assert "(1 + rate / 100) ^ (year − base year)" in FORMULA


def test_the_formula_reads_the_same_in_the_catalogue():
    assert text("en", "generation.formula") == FORMULA
    khmer = text("km", "generation.formula")
    assert "(1 + " in khmer and "/ 100) ^ (" in khmer, "the same arithmetic, Khmer words"
