"""Small helpers for the plain-language sentences shown to users."""

from __future__ import annotations


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` followed by the noun in the right number: ``count(1, "person", "people")``.

    Without ``plural`` the plural adds an "s" ("1 action", "3 actions"). Large numbers get
    thousands separators ("1,739 ties").
    """
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


def count_of(part: int, whole: int, singular: str, plural: str | None = None) -> str:
    """``"1 of 1 tie"``, ``"3 of 1,739 ties"``: the noun agrees with the whole."""
    return f"{part:,} of {count(whole, singular, plural)}"
