"""What a reveal shows: distribution, centre, spread and the votes far from the group."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class VoteStats:
    """Statistics of one item's votes; numeric figures are None for choice questions."""

    count: int
    distribution: dict[object, int]  # every possible value, in scale order -> votes
    mean: float | None = None
    median: float | None = None
    spread: float | None = None  # population standard deviation
    low: float | None = None
    high: float | None = None
    outliers: list[object] = field(default_factory=list)  # votes far from the median
    mode: list[object] = field(default_factory=list)  # most chosen value(s)
    agreement: float | None = None  # share of votes on the most chosen value


def vote_stats(votes: Sequence[Any], scale: Sequence[Any],
               numeric: bool = True) -> VoteStats:
    """Statistics of ``votes`` on a question whose possible values are ``scale``.

    A numeric vote is an outlier when it lies further from the median than both 1.5 times the
    interquartile range and a quarter of the scale's range (so one point on a 0-4 scale):
    on a five-point scale that means two or more points away from the middle of the group.
    """
    distribution = {value: 0 for value in scale}
    counted = Counter(votes)
    for value, n in counted.items():
        distribution[value] = distribution.get(value, 0) + n
    if not votes:
        return VoteStats(0, distribution)
    top = max(counted.values())
    mode = [v for v in distribution if counted.get(v) == top]
    agreement = top / len(votes)
    if not numeric:
        return VoteStats(len(votes), distribution, mode=mode, agreement=agreement)
    numbers = [float(v) for v in votes]
    median = statistics.median(numbers)
    if len(numbers) >= 2:
        q1, _, q3 = statistics.quantiles(numbers, n=4, method="inclusive")
    else:
        q1 = q3 = numbers[0]
    scale_range = float(max(scale)) - float(min(scale)) if scale else 0.0
    gap = max(1.5 * (q3 - q1), scale_range / 4)
    outliers = [v for v in votes if abs(float(v) - median) > gap]
    return VoteStats(
        len(votes), distribution, statistics.fmean(numbers), median,
        statistics.pstdev(numbers), min(numbers), max(numbers), outliers, mode, agreement,
    )
