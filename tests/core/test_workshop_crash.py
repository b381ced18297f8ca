"""A workshop killed with SIGKILL mid-vote keeps every vote cast before the kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from workbench.core.project import Project

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")

VOTER = textwrap.dedent("""
    import sys, time
    from workbench.core.project import Project
    project = Project.open(sys.argv[1])
    item = int(sys.argv[2])
    n = 0
    while True:
        n += 1
        project.workshop.cast_vote(item, f"P{n}", n % 5)
        print(n, flush=True)  # reported only after the vote is committed
        time.sleep(0.01)
""")


def test_votes_survive_sigkill(tmp_path):
    from workbench.core.questionnaire.loader import load_template
    from workbench.core.workshop.agenda import agenda_from_template
    from workbench.paths import templates_dir

    path = tmp_path / "crash.owb"
    template = load_template(templates_dir() / "maturity_ladder.yaml")
    with Project.create(path) as project:
        session = project.workshop.create_session(
            "Live", agenda_from_template(template, sections={"step_1"}))
        item = project.workshop.items(session)[0].id
    proc = subprocess.Popen([sys.executable, "-c", VOTER, str(path), str(item)],
                            stdout=subprocess.PIPE, text=True)
    reported = 0
    deadline = time.monotonic() + 20
    while reported < 25 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        reported = int(line)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert reported >= 25, "the voter did not get going"
    with Project.open(path) as project:
        votes = project.workshop.votes(item)
    assert len(votes) >= reported
    assert [v.value for v in votes[:reported]] == [n % 5 for n in range(1, reported + 1)]
