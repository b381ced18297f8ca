"""Say vs show: what leaders rate for a ladder step against what the network shows.

Both sides are put on the same 0..4 scale. *Say* is the leaders' mean rating of the step.
*Show* turns one network figure into a level with fixed anchors (below), optionally capped
by a second figure. The sides agree when they differ by at most :data:`ALIGNED_WITHIN` points.

* Step 1, internal social networks: the share of customer-related ties that cross departments;
  40 % or more is level 4 (linear below). With no customer champions the level is 0, because
  step 1 is about supporting the people who already go the extra mile together.
* Step 2, cross-functional teams: the overall E-I index (-1 all ties inside departments,
  +1 all between) mapped linearly to 0..4. Without a single community that spans departments
  it is capped at 1: there is no informal team to formalise.
* Step 3, coordinator: the number of people whose brokerage already links teams (coordinator
  candidates): 0 -> 0, 1 -> 2, 2 -> 3, 3 or more -> 4. One candidate is a start but a
  key-person risk; several give a real choice.
* Steps 4 and 5 (matrix reporting, segment managers) are formal reporting structures. The
  informal network neither proves nor disproves them, so no network evidence applies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from workbench.core.wording import count

ALIGNED = "aligned"
OVERRATE = "leaders overrate"
UNDERRATE = "leaders underrate"
INSUFFICIENT = "insufficient data"
NOT_APPLICABLE = "no network evidence applies"
VERDICTS = (ALIGNED, OVERRATE, UNDERRATE, INSUFFICIENT, NOT_APPLICABLE)
ALIGNED_WITHIN = 1.0
MIN_RESPONDENTS = 1


@dataclass(frozen=True)
class LeaderRating:
    """Leaders' mean rating of one step on the 0..4 scale and how many rated it."""

    mean: float | None
    n: int


@dataclass(frozen=True)
class NetworkFigures:
    """Network figures used as evidence; ``None`` means not measured (network missing)."""

    cross_dept_customer_tie_share: float | None = None
    champions_count: int | None = None
    overall_ei: float | None = None
    cross_dept_communities: int | None = None
    coordinator_candidates: int | None = None


@dataclass(frozen=True)
class StepEvidence:
    """Say vs show for one step, with a one-sentence finding."""

    step: int
    say_text: str
    say_value: float | None
    show_text: str
    show_value: float | None  # the network level on the 0..4 scale
    verdict: str
    finding: str


@dataclass(frozen=True)
class _Rule:
    describe: Callable[[NetworkFigures], str | None]  # None when a needed figure is missing
    level: Callable[[NetworkFigures], float]


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 4.0)


def _step1_text(f: NetworkFigures) -> str | None:
    if f.cross_dept_customer_tie_share is None or f.champions_count is None:
        return None
    return (f"{f.cross_dept_customer_tie_share:.0%} of customer ties cross departments; "
            f"{count(f.champions_count, 'customer champion')}")


def _step1_level(f: NetworkFigures) -> float:
    if not f.champions_count:
        return 0.0
    return _clamp(4.0 * (f.cross_dept_customer_tie_share or 0.0) / 0.4)


def _step2_text(f: NetworkFigures) -> str | None:
    if f.overall_ei is None or f.cross_dept_communities is None:
        return None
    return (f"silo score (E-I) {f.overall_ei:+.2f}; "
            f"{count(f.cross_dept_communities, 'community', 'communities')} spanning departments")


def _step2_level(f: NetworkFigures) -> float:
    level = _clamp(2.0 * ((f.overall_ei or 0.0) + 1.0))
    return level if f.cross_dept_communities else min(level, 1.0)


def _step3_text(f: NetworkFigures) -> str | None:
    if f.coordinator_candidates is None:
        return None
    return f"{count(f.coordinator_candidates, 'person', 'people')} already bridging teams"


_CANDIDATE_LEVELS = (0.0, 2.0, 3.0)  # 0, 1, 2 candidates; 3 or more -> 4


def _step3_level(f: NetworkFigures) -> float:
    candidates = f.coordinator_candidates or 0
    return (_CANDIDATE_LEVELS[candidates] if candidates < len(_CANDIDATE_LEVELS)
            else 4.0)


RULES: dict[int, _Rule] = {
    1: _Rule(_step1_text, _step1_level),
    2: _Rule(_step2_text, _step2_level),
    3: _Rule(_step3_text, _step3_level),
}


def say_vs_show(ratings: Mapping[int, LeaderRating], figures: NetworkFigures | None,
                steps: tuple[int, ...] = (1, 2, 3, 4, 5)) -> list[StepEvidence]:
    """Compare leaders' ratings with network evidence for each step (see module notes)."""
    return [_step_evidence(step, ratings.get(step), figures or NetworkFigures()) for step in steps]


def _step_evidence(step: int, rating: LeaderRating | None, figures: NetworkFigures) -> StepEvidence:
    said = rating is not None and rating.mean is not None and rating.n >= MIN_RESPONDENTS
    say_value = rating.mean if said and rating is not None else None
    say_text = (f"leaders rate it {say_value:.1f} of 4 (n={rating.n})"
                if said and rating is not None else "no leader ratings")
    rule = RULES.get(step)
    if rule is None:
        return StepEvidence(step, say_text, say_value, "formal structure, not visible in the "
                            "informal network", None, NOT_APPLICABLE,
                            f"Step {step} is about formal reporting lines, so only leaders' "
                            "view and the org chart can tell how far it has come.")
    show_text = rule.describe(figures)
    show_value = rule.level(figures) if show_text is not None else None
    if show_text is None:
        show_text = "network figures missing"
    if say_value is None or show_value is None:
        missing = " and ".join(name for name, absent in (
            ("leaders' ratings", say_value is None), ("network data", show_value is None))
            if absent)
        return StepEvidence(step, say_text, say_value, show_text, show_value, INSUFFICIENT,
                            f"Step {step} cannot be checked yet: {missing} missing.")
    difference = say_value - show_value
    if difference > ALIGNED_WITHIN:
        verdict = OVERRATE
        finding = (f"Leaders see step {step} further along ({say_value:.1f}) than the network "
                   f"shows ({show_value:.1f}); test the claim with the people behind the ties.")
    elif difference < -ALIGNED_WITHIN:
        verdict = UNDERRATE
        finding = (f"The network shows more step {step} practice ({show_value:.1f}) than leaders "
                   f"credit ({say_value:.1f}); build on what already works.")
    else:
        verdict = ALIGNED
        finding = (f"What leaders say about step {step} ({say_value:.1f}) matches what the "
                   f"network shows ({show_value:.1f}).")
    return StepEvidence(step, say_text, say_value, show_text, show_value, verdict, finding)
