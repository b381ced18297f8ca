"""The `workbench` command: the GUI by default, and headless commands for scripts and CI.

Exit codes: 0 ok, 1 user error (message on stderr), 2 usage error.
"""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import NoReturn

from workbench import APP_NAME, __version__

Command = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], str]] = {}
_MEASURING = ("analyse", "demo", "export", "plan", "report")  # commands that load igraph


def command(name: str, help: str, target: str):
    """Register a subcommand: ``target`` is 'module:function' imported only when it runs."""
    def decorator(configure: Callable[[argparse.ArgumentParser], None]):
        _COMMANDS[name] = (help, configure, target)
        return configure
    return decorator


@command("demo", "write the demo engagement to a project file", "workbench.commands.demo:run")
def _demo_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", help="project file to write (.owb)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")


@command("import", "import people, ties, customer insights or evidence into a project "
         "(creates it if missing)",
         "workbench.commands.import_:run")
def _import_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project")
    p.add_argument("--people", help="people file (CSV or XLSX)")
    p.add_argument("--ties", help="ties file (edge list, matrix, GraphML, GEXF, Pajek, DL)")
    p.add_argument("--network", help="network name (default: one network per relation)")
    p.add_argument("--type", help="relation of the ties without one: advice, collaboration, "
                   "customer insight, trust, reports to or other")
    p.add_argument("--insights", help="customer insight log (CSV or XLSX, or a filled "
                   "insight entry workbook); added to the project's log")
    p.add_argument("--evidence", help="customer evidence per segment (CSV or XLSX); replaces "
                   "the project's customer measures")
    p.add_argument("--accept-valid", action="store_true",
                   help="import the valid part when problems are found")


@command("events", "turn e-mail, meeting or chat logs into dated networks of an existing "
         "project", "workbench.commands.events:run")
def _events_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project", help="project file (.owb) with people")
    kind = p.add_mutually_exclusive_group(required=True)
    for flag, what in (("emails", "e-mail"), ("meetings", "meeting"), ("chats", "chat")):
        kind.add_argument(f"--{flag}", metavar="PATH",
                          help=f"{what} log: a CSV or Parquet file, or a folder of them")
    p.add_argument("--period", choices=("week", "month", "quarter"), default="month",
                   help="one network per week, month (default) or quarter")
    p.add_argument("--max-recipients", type=int, default=25, metavar="N",
                   help="messages or meetings with more recipients are broadcasts (default 25)")
    p.add_argument("--down-weight", action="store_true",
                   help="count broadcasts 1/n for each of their n recipients instead of "
                   "leaving them out")
    p.add_argument("--min-interactions", type=int, default=2, metavar="N",
                   help="interactions a pair needs in a period to be tied (default 2)")
    p.add_argument("--working-hours", type=_hours, metavar="FROM-TO",
                   help="keep only weekday events in these local hours, e.g. 8-18")
    p.add_argument("--timezone", default="UTC", metavar="NAME",
                   help="time zone of the periods and working hours (default UTC)")
    p.add_argument("--reciprocal", action="store_true",
                   help="keep a tie only when it goes both ways in the period")
    p.add_argument("--weight", choices=("interactions", "minutes"), default="interactions",
                   help="tie strength: number of interactions (default) or meeting minutes")
    p.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                   help="duckdb (default, on this computer) or spark (a cluster)")
    p.add_argument("--master", metavar="URL", help="Spark master URL (with --engine spark)")
    p.add_argument("--accept-valid", action="store_true",
                   help="import the valid part when rows have problems")


def _hours(text: str) -> tuple[int, int]:
    start, sep, end = text.partition("-")
    if not (sep and start.strip().isdigit() and end.strip().isdigit()):
        raise argparse.ArgumentTypeError(f"{text!r} is not working hours like 8-18")
    return int(start), int(end)


@command("analyse", "compute network metrics and write one row per person",
         "workbench.commands.analyse:run")
def _analyse_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project")
    p.add_argument("--network", help="network name (default: the first advice network, else the first collaboration network, else the first one)")
    p.add_argument("--out", required=True, help="CSV file to write")
    p.add_argument("--exact", action="store_true",
                   help="betweenness and harmonic closeness from every person even above 5,000 "
                        "people (otherwise estimated from 256 of them); slower: about 15 s at "
                        "10,000 people and 100,000 ties, split over the idle cores")


@command("export", "export a network to GraphML or GEXF", "workbench.commands.export:run")
def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project")
    p.add_argument("--network", required=True)
    fmt = p.add_mutually_exclusive_group(required=True)
    fmt.add_argument("--graphml", metavar="OUT")
    fmt.add_argument("--gexf", metavar="OUT")


@command("report", "write a deliverable: plan workbook, narrative report, slide deck or "
         "summary, chosen by the file's extension", "workbench.commands.report:run")
def _report_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project")
    p.add_argument("--out", required=True, metavar="FILE",
                   help="file to write: .xlsx plan workbook, .docx narrative report, "
                   ".pptx slide deck or .pdf one-page summary")


@command("answer", "save one respondent's answers from a question,value file",
         "workbench.commands.answer:run")
def _answer_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project")
    p.add_argument("--template", required=True, help="questionnaire id, e.g. maturity_ladder")
    p.add_argument("--respondent", required=True, help="respondent name (added when new)")
    p.add_argument("--round", help="round name (created when missing; default: the newest "
                   "round of the questionnaire)")
    p.add_argument("--from", dest="source", required=True, metavar="FILE",
                   help="CSV or XLSX with the columns question,value")


@command("plan", "propose a plan from the gaps (nothing is saved) and write it as CSV",
         "workbench.commands.plan:run")
def _plan_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("project")
    p.add_argument("--target", type=int, choices=range(1, 6), metavar="N",
                   help="target step 1-5 (default: the engagement's)")
    p.add_argument("--start", type=_iso_date, metavar="YYYY-MM-DD",
                   help="propose a fresh plan from the gaps whose first step starts that day, "
                   "ignoring the stored plan and its gates (default: continue the stored plan "
                   "after its actions and gates, from its start, else the engagement's start, "
                   "else today)")
    p.add_argument("--out", required=True, help="CSV file to write")


@command("check-template", "validate a questionnaire template file",
         "workbench.commands.check_template:run")
def _check_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file")


def _iso_date(text: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2027-01-31") from None


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workbench", description=f"{APP_NAME}. Without a command, opens the app.",
        epilog="commands: " + ", ".join(_COMMANDS) + " (workbench COMMAND --help for details)",
    )
    parser.add_argument("project", nargs="?", help="project file (.owb) to open")
    parser.add_argument("--demo", action="store_true", help="open the demo engagement")
    parser.add_argument("--self-test", action="store_true",
                        help="check that the app works (headless) and exit: 0 = ok")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _run_command(name: str, argv: Sequence[str]) -> int:
    help_text, configure, target = _COMMANDS[name]
    parser = argparse.ArgumentParser(prog=f"workbench {name}", description=help_text)
    configure(parser)
    args = parser.parse_args(argv)
    module_name, func_name = target.split(":")
    import importlib

    from workbench.core.errors import WorkbenchError
    from workbench.core.tasks import Cancelled

    if name in _MEASURING:
        from workbench.core.network.igraph_import import import_igraph_unplotted

        import_igraph_unplotted()
    func: Command = getattr(importlib.import_module(module_name), func_name)
    log = logging.getLogger("workbench.cli")
    log.info("workbench %s %s", name, " ".join(argv))
    try:
        return func(args)
    except WorkbenchError as exc:
        print(f"workbench {name}: {exc}", file=sys.stderr)
        return 1
    except Cancelled:
        print(f"workbench {name}: cancelled", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"workbench {name}: interrupted", file=sys.stderr)
        return 1
    except Exception as exc:
        from workbench.core.failures import storage_error

        mapped = storage_error(exc)  # a damaged, read-only or full file or disk: not a bug
        if mapped is not None:
            log.warning("workbench %s: %s", name, mapped)
            print(f"workbench {name}: {mapped}", file=sys.stderr)
            return 1
        log.exception("workbench %s failed", name)
        raise


def _could_be_project(name: str) -> bool:
    """A path the GUI may open: an existing file, or a new name ending in .owb."""
    from pathlib import Path

    path = Path(name)
    return path.is_file() or path.suffix.lower() == ".owb"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in _COMMANDS:
        from workbench.logs import configure_logging

        configure_logging()
        return _run_command(argv[0], argv[1:])
    parser = _gui_parser()
    args = parser.parse_args(argv)
    if args.project and not _could_be_project(args.project):
        parser.error(f"{args.project!r} is neither a command nor a project file "
                     f"(commands: {', '.join(_COMMANDS)})")
    if args.self_test:
        from workbench.selftest import main as self_test

        return self_test()
    from workbench.gui.app import run_gui

    return run_gui(project=args.project, demo=args.demo)


def console() -> NoReturn:
    """The ``workbench`` program: :func:`main`, then exit. After a command that leaves no
    thread behind, the exit handlers run (logs flushed, temporary files removed, child
    processes joined) and the process ends without the interpreter freeing its heap object
    by object, which takes 0.1-0.2 s after a large import or analysis."""
    code = main()
    if sys.argv[1:2] and sys.argv[1] in _COMMANDS and threading.active_count() == 1:
        atexit._run_exitfuncs()  # what a normal exit runs, in the same order
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    console()
