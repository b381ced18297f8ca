"""Counted nouns in user-facing sentences agree with the number."""

from __future__ import annotations

import pytest

from workbench.core.wording import count


@pytest.mark.parametrize(("n", "expected"), [(0, "0 actions"), (1, "1 action"), (2, "2 actions")])
def test_regular_plural_adds_s(n, expected):
    assert count(n, "action") == expected


@pytest.mark.parametrize(("n", "expected"), [(0, "0 people"), (1, "1 person"), (7, "7 people")])
def test_irregular_plural_is_used_for_any_number_but_one(n, expected):
    assert count(n, "person", "people") == expected


def test_large_numbers_get_thousands_separators():
    assert count(1739, "tie") == "1,739 ties"


def test_part_of_a_whole_agrees_with_the_whole():
    from workbench.core.wording import count_of

    assert count_of(1, 1, "tie") == "1 of 1 tie"
    assert count_of(1567, 1739, "tie") == "1,567 of 1,739 ties"
