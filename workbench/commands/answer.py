"""`workbench answer PROJECT --template ID --respondent NAME [--round NAME] --from answers.csv`.

The file has the columns ``question,value`` (CSV or XLSX). The round is created when missing;
values are checked against the questionnaire and every problem is printed with its row and
column. Exit 1 on any error, and then nothing is written.
"""

from __future__ import annotations

import argparse
import sys

from workbench.core.wording import count


def run(args: argparse.Namespace) -> int:
    from workbench.core.project import Project
    from workbench.core.questionnaire.answers_csv import AnswerFileError, save_answer_file

    with Project.open(args.project) as project:
        try:
            saved = save_answer_file(project, args.template, args.respondent, args.source,
                                     args.round)
        except AnswerFileError as error:
            for problem in error.problems:
                label = "error" if problem.severity == "error" else "warning"
                print(f"{label}: {problem}", file=sys.stderr)
            print(f"workbench answer: nothing was saved ({count(len(error.problems), 'problem')})",
                  file=sys.stderr)
            return 1
    for problem in saved.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    made = " (new round)" if saved.round_created else ""
    who = " (new respondent)" if saved.respondent_added else ""
    print(f"Saved {count(saved.answers, 'answer')} of {saved.respondent}{who} in round "
          f"{saved.round_name!r}{made}.")
    return 0
