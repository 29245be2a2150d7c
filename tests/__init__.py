"""The test suite. tests/helpers.py holds shared assertions: let pytest rewrite them for readable failures."""

import pytest

pytest.register_assert_rewrite("tests.helpers")
