"""The executive summary every deliverable opens with, in sentences worded once.

Where the organisation stands, the target, the three gaps that matter most with the plan
actions that close them (or, when the plan has none, the library action that would), what the
network shows, where leaders' view and the network differ, and the first finding of the
customer-learning lab. The workbook, the PDF summary,
the report document and the deck all take these sentences from :func:`executive_summary`, so
the key sentences are identical in every format.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.core.plan.builder import PlanAction
from workbench.core.plan.evidence import OVERRATE, UNDERRATE
from workbench.core.questionnaire.schema import STEPS
from workbench.core.report.data import ReportData
from workbench.core.wording import count_of

TOP = 3  # gaps named in the summary
NETWORK_LINES = 3  # headline sentences of the network story
_NUMBERS = {2: "two", 3: "three"}


@dataclass(frozen=True)
class GapLine:
    """One of the gaps that matter most; ``actions`` as "A-0003 Title (Owner, due 2026-11-19)"."""

    label: str
    step: int | None
    level: float
    shortfall: float
    actions: tuple[str, ...]


@dataclass(frozen=True)
class ExecutiveSummary:
    """The summary's sentences; :meth:`sentences` gives them in reading order."""

    stage: str
    target: str
    gaps: tuple[GapLine, ...]
    gaps_sentence: str
    network: tuple[str, ...]
    differences: tuple[str, ...]  # steps where leaders over- or underrate what the network shows
    learning: tuple[str, ...] = ()  # what the customer-learning lab shows first

    def sentences(self) -> list[str]:
        """Stage, target, the gaps, the network's headline, the say-vs-show differences, the
        customer-learning lab's first finding."""
        return [self.stage, self.target, self.gaps_sentence, *self.network, *self.differences,
                *self.learning]


def _step_words(step: int) -> str:
    return f"step {step} ({STEPS[step]})" if step in STEPS else f"step {step}"


def stage_sentence(stage: int) -> str:
    """Where the leaders' ratings place the organisation on the ladder."""
    if stage not in STEPS:
        return ("The leaders' ratings do not yet place the organisation on the ladder: no "
                "step meets the bar.")
    return f"The leaders' ratings place the organisation at {_step_words(stage)}."


def target_sentence(data: ReportData) -> str:
    """The engagement's target step, with how many leaders chose what."""
    e = data.engagement
    aim = f"The engagement aims at {_step_words(e.target_step)}"
    voters = sum(e.votes.values())
    if e.leaders_choice is None or not voters:
        return f"{aim}; no leader chose a target step in the latest maturity round."
    chosen = e.votes.get(e.leaders_choice, 0)
    if e.leaders_choice == e.target_step:
        return f"{aim}; {count_of(chosen, voters, 'leader')} chose it."
    choice = ("to stay where the organisation is" if e.leaders_choice == 0
              else f"step {e.leaders_choice}")
    backing = e.votes.get(e.target_step, 0)
    return (f"{aim}, chosen by {count_of(backing, voters, 'leader')}; most leaders "
            f"({chosen}) chose {choice}.")


def action_text(action: PlanAction) -> str:
    """"A-0003 Open a shared channel (Head of service, due 2026-11-19)"."""
    owner = action.owner or (f"{action.owner_role}, owner open" if action.owner_role
                             else "owner open")
    return f"{action.uid} {action.title} ({owner}, due {action.due:%Y-%m-%d})"


def _in_sentence(label: str) -> str:
    """A label inside a sentence: "how fast insight..." for "How fast insight...", while
    "Step 2 · Roles" and "AI first contact" keep their capitals."""
    if label[:1].isupper() and label[1:2].islower() and not label.startswith("Step "):
        return label[0].lower() + label[1:]
    return label


def _gap_words(line: GapLine, source: str, data: ReportData) -> str:
    what = (f"{_in_sentence(line.label)} ({line.level:.1f} of 4, {line.shortfall:.1f} below "
            "the bar)")
    if line.actions:
        return f"{what}, closed by {' and '.join(line.actions)}"
    remedy = data.remedies.get(source)
    if remedy is None:
        return f"{what}, which no plan or library action serves yet"
    library_id, title = remedy
    return (f"{what}, which no plan action serves yet (the library's {library_id} "
            f"'{title}' would)")


def executive_summary(data: ReportData) -> ExecutiveSummary:
    """The summary of ``data`` (see the module notes)."""
    gaps = sorted(data.top_gaps, key=lambda g: g.rank)[:TOP]
    lines = tuple(GapLine(g.label, g.step, g.mean, g.shortfall,
                          tuple(action_text(a) for a in data.plan if a.source == g.source))
                  for g in gaps)
    if not lines:
        gaps_sentence = "No assessed item is below the bar, so there is no gap to close."
    else:
        parts = [_gap_words(line, g.source, data) for line, g in zip(lines, gaps, strict=True)]
        listed = parts[0] if len(parts) == 1 else "; ".join(parts[:-1]) + "; and " + parts[-1]
        gaps_sentence = (f"The only gap below the bar is {listed}." if len(parts) == 1 else
                         f"The {_NUMBERS[len(parts)]} gaps that matter most are {listed}.")
    network = (tuple(line.text for line in data.story.headline[:NETWORK_LINES])
               if data.story is not None else ())
    differences = tuple(e.finding for e in data.evidence if e.verdict in (OVERRATE, UNDERRATE))
    learning = tuple(f"{f.headline}." for f in data.learning.findings[:1])
    return ExecutiveSummary(stage_sentence(data.engagement.stage_reached),
                            target_sentence(data), lines, gaps_sentence, network, differences,
                            learning)
