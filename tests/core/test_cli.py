"""The `workbench` command: exit codes, messages on stderr, the demo and check-template."""

from __future__ import annotations

import pytest

from workbench.cli import main
from workbench.core.project import Project


def test_demo_writes_a_deterministic_project(tmp_path, capsys, demo_copy):
    # the other build to compare with is (a copy of) the session's demo, from build_demo too
    first, second = tmp_path / "a.owb", demo_copy
    assert main(["demo", str(first)]) == 0
    assert "297 people" in capsys.readouterr().out

    def content(path):
        with Project.open(path) as project:
            rounds = project.assessments.rounds()
            return (project.people.list(),
                    {n.name: project.networks.ties(n.id) for n in project.networks.list()},
                    [project.assessments.answers(r.id) for r in rounds],
                    [project.plans.actions(p.id) for p in project.plans.plans()])

    people, ties, answers, actions = content(first)
    assert (people, ties, answers, actions) == content(second)
    departments = {p.department for p in people}
    assert len(people) >= 290 and len(departments - {"Executive"}) >= 8
    assert sum(p.customer_facing for p in people) > 50
    assert all(p.manager_id for p in people if p.role != "Chief Executive")
    assert {"advice", "collaboration", "customer_insight"} <= set(ties)
    assert len(answers) == 4 and all(len(a) >= 6 for a in answers)
    assert len(actions[0]) == 8


def test_demo_refuses_to_overwrite_without_force(tmp_path, capsys):
    out = tmp_path / "demo.owb"
    out.write_bytes(b"keep me")
    assert main(["demo", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert out.read_bytes() == b"keep me"


def test_check_template_ok_and_broken(tmp_path, capsys):
    from workbench.paths import templates_dir

    assert main(["check-template", str(templates_dir() / "org_design.yaml")]) == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nversion: 1\ntitle: T\nsections:\n  - id: s\n    title: S\n"
                   "    questions:\n      - id: q1\n        kind: bogus\n        text: hi\n")
    assert main(["check-template", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:9: sections[0].questions[0].kind:" in err


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["analyse"])
    assert exit_info.value.code == 2
