"""`workbench check-template FILE`: validate a questionnaire template."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workbench.core.wording import count


def run(args: argparse.Namespace) -> int:
    """Print ``FILE:LINE: field: message`` per problem; exit 1 when there are any."""
    from workbench.core.questionnaire import check_template, format_problems

    path = Path(args.file)
    if path.suffix.lower() == ".xlsx":
        from workbench.core.questionnaire.xlsform import import_xlsform

        template = import_xlsform(path)
        print(f"{path}: ok — {template.title} v{template.version}, "
              f"{count(len(template.questions()), 'question')}")
        return 0
    problems = check_template(path)
    if problems:
        print(format_problems(problems), file=sys.stderr)
        return 1
    print(f"{path}: ok")
    return 0
