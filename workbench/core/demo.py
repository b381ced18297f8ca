"""Build the demo engagement from the recipe in ``resources/demo`` (deterministic)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML

from workbench.core.errors import ProjectFileError
from workbench.core.model import Person, Tie
from workbench.core.project import Project
from workbench.core.services.plans import Action
from workbench.core.tasks import Progress, ensure_progress
from workbench.paths import resource


def load_recipe(name: str = "demo/recipe.yaml") -> dict:
    return YAML(typ="safe").load(resource(name).read_text(encoding="utf-8"))


@dataclass
class _Org:
    people: list[Person]
    team_of: dict[str, str]
    heads: dict[str, str]  # department -> head id; "Executive" -> CEO


def _build_people(recipe: dict, rng: random.Random) -> _Org:
    names = YAML(typ="safe").load(resource("demo/names.yaml").read_text(encoding="utf-8"))
    used: set[str] = set()

    def new_name() -> str:
        while True:
            name = f"{rng.choice(names['first'])} {rng.choice(names['last'])}"
            if name not in used:
                used.add(name)
                return name

    people: list[Person] = []
    team_of: dict[str, str] = {}
    counter = iter(range(1001, 100_000))

    def add(department: str, role: str, manager: str | None, facing: bool, team: str) -> str:
        pid = f"E{next(counter)}"
        name = new_name()
        email = name.lower().replace(" ", ".").replace("'", "") + "@harbourview.example"
        segment = rng.choice(recipe["segments"]) if facing else ""
        people.append(Person(pid, name, email, department, role, manager,
                             rng.choice(recipe["locations"]), facing, segment,
                             {"tenure_years": str(rng.randint(0, 25))}))
        team_of[pid] = team
        return pid

    ceo = add("Executive", "Chief Executive", None, False, "Executive")
    heads = {"Executive": ceo}
    for dept in recipe["departments"]:
        name, share = dept["name"], dept["customer_facing"]
        head = add(name, f"Head of {name}", ceo, share > 0.8, f"{name} leadership")
        heads[name] = head
        teams = [f"{name} team {i + 1}" for i in range(dept["teams"])]
        leads = [add(name, "Team lead", head, rng.random() < share, t) for t in teams]
        for i in range(dept["size"] - 1 - len(leads)):
            k = i % len(teams)
            add(name, "Specialist", leads[k], rng.random() < share, teams[k])
    return _Org(people, team_of, heads)


def _nominations(org: _Org, spec: dict, rng: random.Random, silo: dict) -> dict[tuple, float]:
    by_team: dict[str, list[str]] = {}
    by_dept: dict[str, list[str]] = {}
    for p in org.people:
        by_team.setdefault(org.team_of[p.id], []).append(p.id)
        by_dept.setdefault(p.department, []).append(p.id)
    everyone = [p.id for p in org.people]
    dept_of = {p.id: p.department for p in org.people}
    ties: dict[tuple, float] = {}

    def draw(rate: float) -> int:
        return int(rate) + (rng.random() < rate - int(rate))

    for p in org.people:
        pools = (("within_team", by_team[org.team_of[p.id]]),
                 ("within_department", by_dept[p.department]),
                 ("across_departments", everyone))
        for key, pool in pools:
            rate = spec.get(key, 0.0)
            if key == "across_departments" and p.department == silo["department"]:
                rate *= silo["across_departments_factor"]
            for _ in range(draw(rate)):
                other = rng.choice(pool)
                if other == p.id:
                    continue
                if key == "across_departments" and (
                        dept_of[other] == p.department
                        or (dept_of[other] == silo["department"]
                            and rng.random() > silo["across_departments_factor"])):
                    continue
                ties[(p.id, other)] = float(rng.randint(1, 5))
    return ties


def _plant_champions(org: _Org, plan: dict, rng: random.Random,
                     networks: dict[str, dict[tuple, float]]) -> list[str]:
    candidates = [p for p in org.people if p.department in plan["departments"]
                  and p.customer_facing and p.role == "Specialist"]
    champions = [p.id for p in rng.sample(candidates, plan["count"])]
    dept_of = {p.id: p.department for p in org.people}
    for a in champions:
        for b in champions:
            if a != b and rng.random() < plan["ties_among"]:
                networks["collaboration"][(a, b)] = float(rng.randint(3, 5))
                networks["customer_insight"][(a, b)] = float(rng.randint(3, 5))
        others = [p.id for p in org.people if dept_of[p.id] != dept_of[a]]
        for source in rng.sample(others, plan["insight_nominations"]):
            networks["customer_insight"][(source, a)] = float(rng.randint(3, 5))
    return champions


def _plant_broker(org: _Org, plan: dict, rng: random.Random,
                  advice: dict[tuple, float]) -> str:
    pool = [p.id for p in org.people
            if p.department == plan["department"] and p.role == "Specialist"]
    broker = rng.choice(pool)
    askers = [p.id for p in org.people if p.id != broker]
    for source in rng.sample(askers, plan["incoming_advice"]):
        advice[(source, broker)] = float(rng.randint(2, 5))
    return broker


def _followup(base: dict[tuple, float], spec: dict, org: _Org, rng: random.Random,
              silo: dict) -> dict[tuple, float]:
    kept = {k: w for k, w in base.items() if rng.random() < spec["keep_share"]}
    extra = _nominations(org, {"across_departments": spec["extra_across_departments"]}, rng, silo)
    kept.update(extra)
    return kept


def _ties(pairs: dict[tuple, float], kind: str) -> list[Tie]:
    return [Tie(s, t, w, kind) for (s, t), w in sorted(pairs.items())]


@dataclass(frozen=True)
class DemoSummary:
    people: int
    networks: dict[str, int]
    champions: list[str]
    broker: str
    silo_department: str


def build_demo(out: str | os.PathLike, *, overwrite: bool = False,
               progress: Progress | None = None) -> DemoSummary:
    """Write the demo engagement to ``out`` atomically (a temp file renamed at the end)."""
    progress = ensure_progress(progress)
    out = Path(out)
    if out.exists() and not overwrite:
        raise ProjectFileError(f"{out}: a file with this name already exists.")
    if not out.parent.is_dir():
        raise ProjectFileError(f"{out}: the folder {out.parent} does not exist.")
    if out.is_dir():
        raise ProjectFileError(f"{out}: this is a folder; give a file name.")
    recipe = load_recipe()
    rng = random.Random(recipe["seed"])
    tmp = out.with_name(f".{out.name}.{os.getpid()}.demo")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        project = Project.create(tmp, client=recipe["engagement"]["client"])
        try:
            summary = _fill(project, recipe, rng, progress)
        finally:
            project.close()
        try:
            os.replace(tmp, out)
        except OSError as exc:
            raise ProjectFileError(f"{out}: cannot write the project ({exc.strerror}).") from exc
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return summary


def _fill(project: Project, recipe: dict, rng: random.Random, progress: Progress) -> DemoSummary:
    from workbench.core.demo_assessments import add_demo_rounds
    from workbench.core.demo_learning import add_demo_learning

    engagement = dict(recipe["engagement"])
    project.engagement.update(**engagement)
    progress.update(0.05, "Creating people")
    org = _build_people(recipe, rng)
    project.people.add_many(org.people)

    progress.update(0.2, "Creating networks")
    silo = recipe["planted"]["silo"]
    specs = recipe["networks"]
    pairs = {name: _nominations(org, spec, rng, silo)
             for name, spec in specs.items() if "copy_of" not in spec}
    champions = _plant_champions(org, recipe["planted"]["champions"], rng, pairs)
    broker = _plant_broker(org, recipe["planted"]["overloaded_broker"], rng, pairs["advice"])
    for name, spec in specs.items():
        if "copy_of" in spec:
            pairs[name] = _followup(pairs[spec["copy_of"]], spec, org, rng, silo)
    for name, spec in specs.items():
        project.networks.add(name, _ties(pairs[name], spec["type"]), type=spec["type"],
                             date=spec["date"], source_file="demo recipe")
    project.settings.set("demo.planted", {"champions": champions, "broker": broker,
                                          "silo": silo["department"]})

    progress.update(0.5, "Answering questionnaires")
    add_demo_rounds(project, recipe, org.heads, rng)

    progress.update(0.85, "Drafting the plan")
    _add_plan(project, recipe["plan"], org)
    progress.update(0.95, "Filling the customer-learning lab")
    add_demo_learning(project, org.people)
    progress.update(1.0, "Demo ready")
    return DemoSummary(len(org.people), {n: len(p) for n, p in pairs.items()}, champions,
                       broker, silo["department"])


def _add_plan(project: Project, plan: dict, org: _Org) -> None:
    """The plan as a consultant has it a few weeks in: owner roles confirmed for the people
    the recipe names, step 1 under way and its gate not decided yet."""
    from workbench.core.plan.owners import assigned_names, confirm_owners

    by_role = {p.role: p.id for p in org.people if p.role.startswith(("Head of", "Chief"))}
    confirm_owners(project, {role: by_role[held] for role, held in plan["owners"].items()},
                   "Confirm action owners")
    names = assigned_names(project, org.people)
    start: dt.date = plan["start_date"]
    plan_id = project.plans.add_plan(plan["name"], 2, start)
    actions: Iterable[Action] = [
        Action(f"A-{i + 1:04d}", a["title"], a["step"], kind=a["kind"],
               source=f"maturity_ladder:s{a['step']}_{a['foundation']}",
               owner_role=a["owner_role"], owner=names.get(a["owner_role"], ""),
               start=start + dt.timedelta(days=a["days"][0]),
               due=start + dt.timedelta(days=a["days"][1]),
               status=a["status"], measure=a["measure"], evidence=a["evidence"])
        for i, a in enumerate(plan["actions"])]
    project.plans.add_actions(plan_id, list(actions), label="Draft plan")
