"""The built-in templates' anchors describe what a leader can see, one sentence per cell.

A rating anchor is only useful when it says something specific about its own question. The
checks here catch the fill-in pattern ("first signs of X, carried by a few people") that makes
every cell read alike: anchors of the same level in different questions must not be the same
sentence with a noun or phrase swapped. Similarity is measured on words, after removing the
level prefix ("Emerging: "), with :class:`difflib.SequenceMatcher`.

Calibration (largest same-level ratio per template): the fill-in wording of template version 1
reached 0.86 in maturity_ladder, 0.87 in org_design, 0.82 in customer_learning and 0.68 in
insight_to_action; the rewritten version 2 stays at or below 0.39 everywhere. ``MAX_SIMILARITY``
sits between the two with margin on both sides.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from itertools import combinations

import pytest

from workbench.core.questionnaire import builtin_templates
from workbench.core.questionnaire.schema import Template

MAX_SIMILARITY = 0.55
MAX_ANCHOR_LENGTH = 220
LEVEL_PREFIXES = ("Absent", "Emerging", "Developing", "Established", "Embedded")
NOT_IN_PLACE = "Not in place yet"
NO_STRUCTURE_STEPS = (4, 5)  # matrix reporting and segment managers may not exist yet
FILLER_QUESTION = re.compile(r"rate today's state|how far are we", re.IGNORECASE)


def strip_prefix(anchor: str) -> str:
    """The anchor without its level name ("Emerging: ", "Not in place yet: ")."""
    name, colon, rest = anchor.partition(":")
    if colon and name.strip() in (*LEVEL_PREFIXES, NOT_IN_PLACE):
        return rest.strip()
    return anchor.strip()


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower())


def similarity(a: str, b: str) -> float:
    """Word-level likeness of two anchors (0 = nothing shared, 1 = same words, same order)."""
    return SequenceMatcher(None, words(strip_prefix(a)), words(strip_prefix(b)),
                           autojunk=False).ratio()


def most_similar_pair(template: Template) -> tuple[float, int, str, str]:
    """``(ratio, level, question_a, question_b)`` of the likeliest same-level anchor pair."""
    rated = [q for q in template.questions() if q.anchors]
    best = (0.0, -1, "", "")
    for level in range(5):
        for qa, qb in combinations(rated, 2):
            assert qa.anchors is not None and qb.anchors is not None
            ratio = similarity(qa.anchors[level], qb.anchors[level])
            if ratio > best[0]:
                best = (ratio, level, qa.id, qb.id)
    return best


def wording_problems(template: Template, max_similarity: float = MAX_SIMILARITY) -> list[str]:
    """Everything that breaks the anchor rules in one template, as readable lines."""
    problems: list[str] = []
    rated = [q for q in template.questions() if q.anchors]
    for level in range(5):
        for qa, qb in combinations(rated, 2):
            assert qa.anchors is not None and qb.anchors is not None
            ratio = similarity(qa.anchors[level], qb.anchors[level])
            if ratio >= max_similarity:
                problems.append(f"level {level}: {qa.id} and {qb.id} read alike ({ratio:.2f})")
    seen: dict[str, str] = {}
    for question in rated:
        assert question.anchors is not None
        for level, anchor in enumerate(question.anchors):
            where = f"{question.id} level {level}"
            if len(anchor) > MAX_ANCHOR_LENGTH:
                problems.append(f"{where} is {len(anchor)} characters long")
            body = " ".join(words(strip_prefix(anchor)))
            if body in seen:
                problems.append(f"{where} repeats {seen[body]} word for word")
            seen.setdefault(body, where)
            expected = LEVEL_PREFIXES[level]
            if question.group is not None and question.group.step in NO_STRUCTURE_STEPS \
                    and level == 0:
                expected = NOT_IN_PLACE
            if not anchor.startswith(f"{expected}: "):
                problems.append(f"{where} should start with '{expected}: '")
        if question.group is not None and question.group.step in NO_STRUCTURE_STEPS \
                and NOT_IN_PLACE not in question.help:
            problems.append(f"{question.id}: the help should explain the '{NOT_IN_PLACE}' answer")
        if FILLER_QUESTION.search(question.text) or not question.text.endswith("?"):
            problems.append(f"{question.id}: the text should be a plain question")
    return problems


RATED = [t for t in builtin_templates() if any(q.anchors for q in t.questions())]


@pytest.mark.parametrize("template", RATED, ids=lambda t: t.id)
def test_builtin_anchors_are_specific_short_and_prefixed(template):
    assert wording_problems(template) == []


@pytest.mark.parametrize("template", RATED, ids=lambda t: t.id)
def test_no_same_level_anchors_share_a_fill_in_frame(template):
    ratio, level, qa, qb = most_similar_pair(template)
    assert ratio < MAX_SIMILARITY, f"level {level}: {qa} and {qb} read alike ({ratio:.2f})"


def test_no_anchor_is_repeated_in_any_template():
    bodies = [" ".join(words(strip_prefix(a)))
              for t in RATED for q in t.questions() for a in q.anchors or ()]
    assert len(bodies) == len(set(bodies))


def test_every_step_4_and_5_item_can_be_answered_not_in_place_for_zero():
    ladder = next(t for t in RATED if t.scoring.target_question)
    items = [q for q in ladder.questions() if q.group and q.group.step in NO_STRUCTURE_STEPS]
    assert len(items) == 14
    for question in items:
        assert question.anchors is not None
        assert question.anchors[0].startswith(f"{NOT_IN_PLACE}: ")
        assert len(strip_prefix(question.anchors[0])) > 20  # its own explanation
        assert question.answer_error(0) is None  # the answer scores 0


def test_the_check_catches_the_fill_in_pattern():
    frame = ("first signs of {}, carried by a few people; nothing agreed yet.",
             "{} agreed and in use in some areas, but patchy and dropped under pressure.")
    topics = ["open channels between customer champions", "one shared customer record"]
    questions = [{"id": f"q{i}", "kind": "rating_0_4", "text": "Is it there?",
                  "anchors": [f"Absent: nothing about {topic} at {i}.",
                              "Emerging: " + frame[0].format(topic),
                              "Developing: " + frame[1].format(topic),
                              f"Established: {topic} everywhere ({i}).",
                              f"Embedded: {topic} improves itself ({i})."]}
                 for i, topic in enumerate(topics)]
    template = Template.model_validate({"id": "t", "version": 1, "title": "T", "sections": [
        {"id": "s", "title": "S", "questions": questions}]})
    assert most_similar_pair(template)[0] >= MAX_SIMILARITY
    assert any("read alike" in p for p in wording_problems(template))
