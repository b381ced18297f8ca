"""The one rule every tie weight read from a file must pass: a finite number above zero.

Weights are also capped at :data:`MAX_WEIGHT`, far above any tie strength, count or duration a
file can sensibly hold, so summing duplicate ties (2 million rows at most) can never overflow
to infinity during import or analysis.
"""

from __future__ import annotations

import math

MAX_WEIGHT = 1e15


def weight_problem(value: float, signed: bool = False) -> str | None:
    """Why ``value`` cannot be a tie weight (``"is negative"``...), or ``None`` when it can.

    ``signed``: a negative weight is a signed tie (dislike, distrust) and is allowed, within
    the same cap as a positive one (network files keep the sign of a tie)."""
    if math.isnan(value):
        return "is not a number"
    if signed and value < 0:
        value = -value
    if value < 0:
        return "is negative"
    if value == 0:
        return "is zero (no tie)"
    if value > MAX_WEIGHT:
        return "is infinite" if math.isinf(value) else f"is larger than {MAX_WEIGHT:g}"
    return None
