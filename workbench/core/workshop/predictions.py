"""Predict, then reveal: the network's answer to a question and how well the team guessed it."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scipy.stats import spearmanr

from workbench.core.model import Person, Tie

PAIR_SEPARATOR = "|"


def pair_key(a: str, b: str) -> str:
    """One key for an unordered pair of departments."""
    return PAIR_SEPARATOR.join(sorted((a, b)))


def pair_label(key: str) -> str:
    return " ↔ ".join(key.split(PAIR_SEPARATOR))


def insight_nominations(ties: Iterable[Tie]) -> dict[str, int]:
    """Person -> how many different people name them for customer insight (self-ties ignored)."""
    nominators: dict[str, set[str]] = defaultdict(set)
    for tie in ties:
        if tie.source != tie.target:
            nominators[tie.target].add(tie.source)
    return {person: len(names) for person, names in nominators.items()}


def department_pair_density(people: Iterable[Person], ties: Iterable[Tie],
                            min_group_size: int = 5) -> dict[str, float]:
    """Pair of departments -> share of their cross pairs of people linked by a tie.

    A tie in either direction links a pair of people once. Departments with fewer than
    ``min_group_size`` people (and people without a department) are left out for privacy.
    """
    department = {p.id: p.department for p in people if p.department}
    sizes = Counter(department.values())
    shown = sorted(d for d, n in sizes.items() if n >= min_group_size)
    linked: set[tuple[str, str]] = set()
    for tie in ties:
        a, b = department.get(tie.source), department.get(tie.target)
        if a and b and a != b and a in shown and b in shown:
            first, second = sorted((tie.source, tie.target))
            linked.add((first, second))
    counts = Counter(pair_key(department[x], department[y]) for x, y in linked)
    return {pair_key(a, b): counts[pair_key(a, b)] / (sizes[a] * sizes[b])
            for i, a in enumerate(shown) for b in shown[i + 1:]}


@dataclass(frozen=True)
class PredictionScore:
    """The team's picks beside the measured answer.

    ``team`` and ``measured`` are the top ``k`` (key, figure) of each side, best first;
    ``hits`` the keys on both lists; ``rank_correlation`` (Spearman, -1..1) compares the
    number of team picks with the measured figure over everything either side named, None
    when there are fewer than three such keys or one side gives every key the same figure.
    """

    team: list[tuple[str, int]]
    measured: list[tuple[str, float]]
    hits: list[str]
    overlap: float
    rank_correlation: float | None
    participants: int


def score_prediction(picks: Sequence[Sequence[str]], measured: Mapping[str, float], k: int = 5,
                     lowest: bool = False) -> PredictionScore:
    """Score the participants' ``picks`` against ``measured`` figures.

    The measured answer is the ``k`` keys with the highest figures (``lowest=True``: the
    lowest, e.g. department pairs that rarely work together); ties are broken by key.
    """
    tally = Counter(key for person in picks for key in dict.fromkeys(person))
    team = sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    sign = 1.0 if lowest else -1.0
    top = sorted(measured.items(), key=lambda kv: (sign * kv[1], kv[0]))[:k]
    top_keys = {key for key, _ in top}
    hits = [key for key, _ in team if key in top_keys]
    union = sorted(set(tally) | top_keys)
    correlation = None
    if len(union) >= 3:
        team_votes = [tally.get(key, 0) for key in union]
        figures = [-sign * measured.get(key, 0.0) for key in union]
        if len(set(team_votes)) > 1 and len(set(figures)) > 1:
            value = float(spearmanr(team_votes, figures).statistic)
            correlation = None if math.isnan(value) else value
    return PredictionScore(team, top, hits, len(hits) / k if k else 0.0, correlation,
                           len(picks))
