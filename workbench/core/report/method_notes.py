"""What the client deliverables say about the method: the stage rule, the target step beside
the leaders' choice, the steering answers and what they changed, and the glossary.

:func:`method_notes` reads them from a project into :class:`MethodNotes`; the text functions
are shared by the workbook's Summary and Method sheets and the PDF summary, so all three say
the same thing about the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from workbench.core.learning.gaps import LOG_WEIGHT
from workbench.core.method.target import leaders_choice_note
from workbench.core.questionnaire.schema import FOUNDATIONS, STEPS, Bar
from workbench.core.report.data import (
    EngagementSummary,
    GateRecord,
    MethodNotes,
    NetworkUsed,
    RoundUsed,
    SteeringAnswer,
)
from workbench.core.wording import count

if TYPE_CHECKING:
    from workbench.core.method.gaps import Gap
    from workbench.core.method.rounds import Round
    from workbench.core.model import NetworkInfo
    from workbench.core.plan.builder import PlanAction, ScheduleRules
    from workbench.core.privacy import ShownPeople
    from workbench.core.project import Project

CHOICE_DIFFERS = "Leaders chose otherwise"  # label of the note when the choice differs
DESIGN_TEMPLATE = "org_design"  # its latest round fills the Questionnaire sheet

# The choices that steer the method, in the order the Method sheet lists them, each with what
# a level below the bar and a level at or above it say about the organisation.
STEERING: tuple[tuple[str, str, str], ...] = (
    ("org_design:cco_owner",
     "Leaders do not agree that one senior person carries the four customer functions",
     "Most leaders name one senior person who carries the four customer functions"),
    ("customer_learning:value_kind",
     "Too few customer relationships go beyond functional value",
     "Most leaders see customer relationships that go beyond functional value"),
    ("insight_to_action:chosen_service_level",
     "At least one leader says no service level has been chosen",
     "Every leader names a chosen service level"),
    ("customer_learning:human_and_ai",
     "Learning from customers does not yet rest on automated first contact with people "
     "ready to take over",
     "Learning from customers rests on automated first contact with people ready to take "
     "over"),
    ("insight_to_action:insight_timing",
     "Insight usually takes longer than a few days to reach the people who serve customers",
     "Insight reaches the people who serve customers within days or sooner"),
    ("customer_learning:non_customer_incubation",
     "Few leaders see a running pilot or scaled initiative that helps non-customers learn or "
     "grow",
     "Most leaders see a running pilot or scaled initiative that helps non-customers grow"),
)


def step_label(step: int | None) -> str:
    """"2 - Cross-functional teams"; "none yet" for 0 or an unknown step."""
    return f"{step} - {STEPS[step]}" if step in STEPS else "none yet"


def gap_place(gap: Gap) -> str:
    """Where a gap sits: its ladder step, else the title of its questionnaire."""
    from workbench.core.questionnaire.loader import builtin_templates

    if gap.step is not None:
        return f"Step {step_label(gap.step)}"
    titles = {t.id: t.title for t in builtin_templates()}
    return titles.get(gap.template_id) or gap.template_id.replace("_", " ").capitalize()


def stage_rule(bar: Bar) -> str:
    """The stage rule in one sentence, with the bar."""
    return (f"The stage is the highest step whose ratings meet the bar (cells averaging at "
            f"least {bar.mean:g} on the 0-4 scale, none below {bar.min_cell:g}) with every "
            "lower step meeting it too: steps may be stopped at, not skipped.")


def bar_text(bar: Bar) -> str:
    """The bar in plain words, for steps and for the other assessed items."""
    return (f"A step meets the bar when all {len(FOUNDATIONS)} of its cells are rated, their "
            f"mean is at least {bar.mean:g} and no cell mean is below {bar.min_cell:g} "
            "(0 absent, 1 emerging, 2 developing, 3 established, 4 embedded). Any other "
            f"assessed item whose level is below {bar.mean:g} is a gap.")


def leaders_choice_text(e: EngagementSummary) -> str:
    """What most leaders chose in the latest maturity round, with how many chose it."""
    if e.leaders_choice is None:
        return "Nobody chose a target step in the latest maturity round."
    voters = sum(e.votes.values())
    chosen = ("Stay where the organisation is" if e.leaders_choice == 0
              else f"Step {step_label(e.leaders_choice)}")
    return f"{chosen} ({e.votes.get(e.leaders_choice, 0)} of {count(voters, 'leader')})"


def votes_text(votes: Mapping[int, int]) -> str:
    """"Step 2: 5; step 3: 1" (step 0 reads "stay")."""
    if not votes:
        return ("No votes: the latest maturity round did not ask for a target step, or nobody "
                "answered that question.")
    text = "; ".join(f"{'stay' if step == 0 else f'step {step}'}: {count(n, 'leader')}"
                     for step, n in sorted(votes.items()))
    return text[0].upper() + text[1:]


def target_facts(e: EngagementSummary) -> list[tuple[str, str]]:
    """Target step, stage reached and leaders' choice as label/value pairs: the Summary and
    Method sheets and the PDF all show these."""
    facts = [("Target step", step_label(e.target_step)),
             ("Stage reached", step_label(e.stage_reached)),
             ("Leaders' choice", leaders_choice_text(e))]
    note = leaders_choice_note(e.leaders_choice, e.target_step)
    return [*facts, (CHOICE_DIFFERS, note)] if note else facts


def target_origin(e: EngagementSummary) -> str:
    """Where the target step comes from."""
    return (f"The engagement setting (Engagement page) is step {e.target_step}. The plan, "
            "every screen, this workbook and the PDF summary use it; the leaders' choice is "
            "shown beside it, never in its place.")


def schedule_texts(rules: ScheduleRules) -> list[tuple[str, str]]:
    """The scheduling rules in force, as label/sentence pairs."""
    return [
        ("Starts per owner role",
         f"At most {count(rules.max_starts, 'action')} start per owner role in any "
         f"{count(rules.period_days, 'day')}, counted from the plan start; further starts "
         "move to the next period."),
        ("Order within a step",
         "Design actions come first; structure actions (reporting lines, formal roles and "
         "teams) start only once every design action of the step is due; an action starts "
         "after the actions it depends on are due."),
        ("Windows", "Each step gets a 100-day window that ends with its gate. An action that "
         "runs past its window keeps its full length and is flagged on the Plan sheet."),
        ("Actions per gap", "One library action per full point of shortfall, at least one and "
         "at most three."),
    ]


def glossary(bar: Bar) -> list[tuple[str, str]]:
    """The method's terms in plain words."""
    return [
        ("Step", "One of the five rungs of the customer-centricity ladder, from internal "
         "social networks (1) to customer segment managers (5); each builds what the next "
         "one needs."),
        ("Stage", "The highest step the leaders' ratings show in place, with every step "
         "below it in place too."),
        ("Bar", f"The level an item must reach: {bar.mean:g} on the 0-4 scale (a step's cells "
         f"on average, with none below {bar.min_cell:g})."),
        ("Gap", "An assessed item below the bar: a ladder cell of a step between the stage "
         "and the target, a design, customer-learning or insight-to-action item, or a "
         "practice the insight-to-action log measures below it (insights waiting weeks for "
         "action, a source nobody acts on, customers never told what was done)."),
        ("Shortfall", f"The bar minus the item's level: a level of {bar.mean - 1.2:g} is a "
         f"shortfall of 1.2."),
        ("Weight", "How much the leaders said an item matters: their mean importance (1-5) "
         "divided by 3, or 1 when importance was not asked. A gap read from the insight log "
         f"weighs {LOG_WEIGHT:g}: months of one practice count for less than the leaders' "
         "considered rating. Gaps are ranked by shortfall times weight."),
        ("Gate", "The decision at the end of a step's window, recorded with the value the "
         "step created: continue to the next step, repeat the step, or stop."),
        ("Window", "The 100 days given to one step's actions; the next step's window starts "
         "after its gate."),
        ("Owner role", "The role that carries an action (for example Head of service) until "
         "the consultant confirms a person for it; until then the owner reads (open)."),
    ]


def steering_consequence(source: str, level: float | None, bar: float, gap: Gap | None,
                         gaps: int, actions: int, steered: bool | None = None) -> str:
    """One sentence on what the method did with the answers to ``source``.

    ``level``: the leaders' mean level (None when nobody answered); ``gap``: its gap when it
    is one, of ``gaps`` ranked in all; ``actions``: plan actions serving it; ``steered``: for
    ``value_kind``, whether most leaders called the value functional (then the
    relationships-first items weigh more).
    """
    from workbench.core.method.gaps import STEER_FACTOR

    below, met = next((b, m) for ref, b, m in STEERING if ref == source)
    if level is None:
        text = "Nobody answered it, so it adds no gap and no action."
    elif gap is None:
        text = f"{met} (level {level:.1f}, bar {bar:g}), so it adds no gap and no action."
    else:
        served = (f"{count(actions, 'plan action')} {'serves' if actions == 1 else 'serve'} it"
                  if actions else "no plan action serves it yet")
        text = (f"{below} (level {level:.1f} against the bar {bar:g}), so it is gap "
                f"{gap.rank} of {gaps}; {served}.")
    if steered is None:
        return text
    weight = (f"Most leaders call the value functional, so relationships-first gaps weigh "
              f"{STEER_FACTOR:g} times as much when gaps are ranked" if steered else
              "Functional is not the most common answer, so relationships-first gaps keep "
              "their usual weight")
    return f"{weight}; {text[0].lower()}{text[1:]}"


# -- reading the project -------------------------------------------------------------------

def steering_answers(rounds: Mapping[str, Round], gaps: Sequence[Gap],
                     plan: Sequence[PlanAction]) -> list[SteeringAnswer]:
    """The steering questions: answers per option in the latest round of their questionnaire
    and the consequence (see :func:`steering_consequence`)."""
    from workbench.core.method.gaps import STEER_QUESTION, item_level, steered
    from workbench.core.method.rounds import with_agreed
    from workbench.core.plan.library import item_label

    by_template = {r.template.id: r for r in rounds.values()}
    gap_of = {g.source: g for g in gaps}
    found = []
    for source, _below, _met in STEERING:
        template_id, question_id = source.split(":", 1)
        round_ = by_template.get(template_id)
        question = next((q for q in round_.template.questions() if q.id == question_id),
                        None) if round_ else None
        if round_ is None or question is None:
            found.append(SteeringAnswer(source, item_label(source), consequence=(
                "Not asked: no round of a questionnaire with this question has been run, so "
                "it does not change the plan.")))
            continue
        given = [a.get(question_id) for a in round_.answers.values()]
        counts = tuple((option.label or option.value,
                        sum(str(v) == option.value for v in given if v is not None))
                       for option in question.options)
        answers, agreed = with_agreed(round_, [question_id])
        level = item_level(question, answers)
        is_steer = question_id == STEER_QUESTION
        sentence = steering_consequence(
            source, level, round_.template.scoring.bar.mean, gap_of.get(source), len(gaps),
            sum(a.source == source for a in plan),
            steered(round_.template, answers) if is_steer else None)
        if agreed:
            sentence += " The level is the value agreed in the workshop."
        found.append(SteeringAnswer(source, question.short or item_label(source), counts,
                                    sum(v is None for v in given), sentence))
    return found


def rounds_used(project: Project, rounds: Mapping[str, Round]) -> list[RoundUsed]:
    """The rounds the method read (the latest of each questionnaire), oldest first."""
    from workbench.core.method.rounds import is_ladder

    info = {r.id: r for r in project.assessments.rounds()}
    steering = {ref.split(":", 1)[0] for ref, _b, _m in STEERING}
    used = []
    for r in sorted(rounds.values(), key=lambda r: r.id):
        if is_ladder(r.template):
            use = ("Stage reached, the Maturity sheet, the ladder-cell gaps and the leaders' "
                   "choice of target step")
        else:
            use = "Gaps of its rated items" + (" and the steering answers"
                                               if r.template.id in steering else "")
            if r.template.id == DESIGN_TEMPLATE:
                use += "; the Questionnaire sheet"
        used.append(RoundUsed(r.name, r.template.title or r.template.id,
                              info[r.id].date if r.id in info else None, len(r.answers), use))
    return used


def networks_used(main: NetworkInfo | None, customer: NetworkInfo | None) -> list[NetworkUsed]:
    """The networks the report's figures come from."""
    found = []
    if main is not None:
        found.append(NetworkUsed(main.name, relation(main), main.date, main.tie_count,
                                 "Per-person measures and roles, department ties, and the "
                                 "network side of the Evidence sheet"))
    if customer is not None:
        found.append(NetworkUsed(customer.name, relation(customer), customer.date,
                                 customer.tie_count, "Customer champions and the share of "
                                 "customer ties across departments"))
    return found


def relation(info: NetworkInfo | None) -> str:
    """A network's relation as people read it ("customer insight"); "" without a network."""
    return "" if info is None else (info.type or info.name).replace("_", " ")


def gates_recorded(project: Project, shown: ShownPeople) -> list[GateRecord]:
    """The current plan's gate decisions, by step and each step's earliest first, with
    people as privacy shows them."""
    plans = project.plans.plans()
    if not plans:
        return []
    return [GateRecord(g.step, d.decision, d.decided_on, shown.owner(d.decided_by),
                       shown.scrub(d.value_created))
            for _step, g in sorted(project.plans.gates(plans[0].id).items())
            for d in g.decisions]


def next_gate(project: Project) -> tuple[int, dt.date] | None:
    """The lowest planned step not yet passed by a ``continue`` decision, and the last day of
    its current window (None without a dated plan, or after a ``stop``)."""
    from workbench.core.plan.apply import current_plan, window_of
    from workbench.core.plan.gates import STOP

    plan = current_plan(project)
    if plan is None:
        return None
    gates = project.plans.gates(plan.id)
    steps = sorted({a.step for a in project.plans.actions(plan.id) if a.step})
    step = next((s for s in steps if not (s in gates and gates[s].passed)), None)
    if step is None or any(g.decision == STOP for g in gates.values()):
        return None
    window = window_of(project, step)
    return None if window is None else (step, window[1])


def method_notes(project: Project, bar: Bar, rounds: Mapping[str, Round], gaps: Sequence[Gap],
                 plan: Sequence[PlanAction], networks: Sequence[NetworkUsed],
                 shown: ShownPeople) -> MethodNotes:
    """Everything the Method sheet shows about ``project``."""
    from workbench.core.method.settings import disagreement_rule
    from workbench.core.plan.apply import schedule_rules

    return MethodNotes(bar, steering_answers(rounds, gaps, plan), disagreement_rule(project),
                       rounds_used(project, rounds), networks, schedule_rules(project),
                       gates_recorded(project, shown), next_gate(project),
                       collaboration_rules(project))


def collaboration_rules(project: Project) -> list[tuple[str, list[str]]]:
    """The rules of the last import of each kind of collaboration data, in sentences."""
    from workbench.core.errors import WorkbenchError
    from workbench.core.events.rules import KINDS, SETTINGS_KEY, AggregationRules

    labels = {"emails": "E-mail", "meetings": "Meetings", "chats": "Chat"}
    found = []
    for kind in KINDS:
        data = project.settings.get(SETTINGS_KEY.format(kind=kind))
        if isinstance(data, dict):
            try:
                found.append((labels[kind], AggregationRules.from_dict(data).describe(kind)))
            except (TypeError, ValueError, KeyError, WorkbenchError):
                continue  # a damaged setting: the sheet says nothing rather than guess
    return found
