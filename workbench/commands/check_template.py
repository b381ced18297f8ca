"""`workbench check-template FILE`: validate a questionnaire template (YAML or XLSForm)."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from workbench.core.questionnaire.schema import CHOICE_KINDS, NUMERIC_KINDS


def run(args: argparse.Namespace) -> int:
    """Print ``FILE:LINE: field: message`` per problem; exit 1 when there are any.

    An XLSForm that loads prints one summary line and a line per warning (exit 0).
    """
    from workbench.core.questionnaire import TemplateError, check_template, format_problems

    path = Path(args.file)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from workbench.core.questionnaire.xlsform import read_xlsform

        try:
            loaded = read_xlsform(path)
        except TemplateError as error:
            print(format_problems(error.problems), file=sys.stderr)
            return 1
        kinds = [q.kind for q in loaded.template.questions()]
        choice = sum(k in CHOICE_KINDS for k in kinds)
        number = sum(k in NUMERIC_KINDS for k in kinds)
        text = sum(k == "text" for k in kinds)
        print(f"{path}: ok — {len(loaded.template.sections)} sections, "
              f"{len(kinds) + loaded.notes} questions ({choice} choice, {number} number, "
              f"{text} text, {loaded.notes} notes); {loaded.skipped} skipped")
        for warning in loaded.warnings:
            print(f"  warning: {dataclasses.replace(warning, file=str(path))}")
        return 0
    problems = check_template(path)
    if problems:
        print(format_problems(problems), file=sys.stderr)
        return 1
    print(f"{path}: ok")
    return 0
