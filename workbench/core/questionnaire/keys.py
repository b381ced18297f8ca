"""The digit a respondent types (and sees beside it) for each answer option of a question."""

from __future__ import annotations

from typing import Any

from workbench.core.questionnaire.schema import Question


def option_keys(question: Question) -> list[tuple[int | None, str, Any]]:
    """``(digit, text, value)`` per option, in the order shown.

    Ratings use their level (0-4) and scales their number (1-5). A choice whose option values
    are all different single digits uses the value itself, so on the target-step question
    "2" is step 2 and "0" is "stay where we are"; other choices are numbered 1, 2, 3 … in
    order. Options past the ninth have no digit (None).
    """
    if question.kind == "rating_0_4":
        return [(level, text, level) for level, text in enumerate(question.anchors or ())]
    if question.kind == "scale_1_5":
        names = {1: "lowest", 3: "middle", 5: "highest"}
        return [(n, names.get(n, ""), n) for n in range(1, 6)]
    values = [o.value for o in question.options]
    if all(len(v) == 1 and v.isdigit() for v in values) and len(set(values)) == len(values):
        return [(int(o.value), o.label, o.value) for o in question.options]
    return [(i if i <= 9 else None, o.label, o.value)
            for i, o in enumerate(question.options, start=1)]
