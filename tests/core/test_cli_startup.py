"""The headless commands load only what they use: no Qt, no ORM, no migration machinery (a
new project is made from the schema snapshot, a current one needs none), no plotting, analysis
or questionnaire models for an import; no plotting, networkx or scipy for the measures."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from workbench.core.model import Person, Tie
from workbench.core.project import Project

NEVER = ("PySide6", "pandas", "sqlalchemy.orm", "pydantic", "alembic")
PROBE = """
import json, sys
from workbench.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _run(*args: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                          check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 0, done.stderr
    return set(result["modules"])


@pytest.fixture
def files(tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("id,name,department\na,Ann,Sales\nb,Bo,Ops\nc,Cy,Ops\n", encoding="utf-8")
    ties = tmp_path / "ties.csv"
    ties.write_text("source,target,weight,type\na,b,1,advice\nb,c,2,advice\n",
                    encoding="utf-8")
    return people, ties


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return [n for n in names if n in modules or any(m.startswith(n + ".") for m in modules)]


def test_import_into_a_new_project_loads_no_gui_plotting_or_analysis(tmp_path, files):
    people, ties = files
    modules = _run("import", str(tmp_path / "new.owb"), "--people", str(people),
                   "--ties", str(ties))
    assert _loaded(modules, (*NEVER, "matplotlib", "networkx", "scipy", "numpy", "igraph",
                             "workbench.core.questionnaire", "workbench.core.plan")) == []
    with Project.open(tmp_path / "new.owb") as project:
        assert [p.id for p in project.people.list()] == ["a", "b", "c"]
        (network,) = project.networks.list()
        assert project.networks.ties(network.id) == [Tie("a", "b", 1.0, "advice"),
                                                     Tie("b", "c", 2.0, "advice")]


def test_commands_on_an_existing_project_load_only_what_they_use(tmp_path, files):
    path = tmp_path / "current.owb"
    with Project.create(path) as project:
        project.people.add_many([Person("a", "Ann"), Person("b", "Bo"), Person("c", "Cy")])
    people, ties = files
    imported = _run("import", str(path), "--ties", str(ties))
    analysed = _run("analyse", str(path), "--out", str(tmp_path / "metrics.csv"))
    assert _loaded(imported, (*NEVER, "matplotlib", "networkx", "scipy")) == []
    # measures straight from the stored ties: no graph library, no sparse matrices, and igraph
    # without the plotting that would import matplotlib
    assert _loaded(analysed, (*NEVER, "matplotlib", "networkx", "scipy")) == []
    assert (tmp_path / "metrics.csv").read_text(encoding="utf-8").count("\n") == 4


def test_the_program_exits_with_the_commands_code_its_output_written(tmp_path, files):
    """``python -m workbench`` (and the installed ``workbench``) end a command without freeing
    the heap: the output must be complete, the project closed and the exit code kept."""
    people, ties = files
    path = tmp_path / "quick.owb"

    def program(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True,
                              text=True, timeout=120)

    done = program("import", str(path), "--people", str(people), "--ties", str(ties))
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("network 'advice': 2 ties")
    out = tmp_path / "metrics.csv"
    done = program("analyse", str(path), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("3 people")
    assert out.read_text(encoding="utf-8").count("\n") == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "metrics.csv", "people.csv", "quick.owb", "ties.csv"]  # no lock or temporary file left
    refused = program("analyse", str(path), "--network", "nope", "--out", str(out))
    assert refused.returncode == 1
    assert "No network named 'nope'" in refused.stderr
