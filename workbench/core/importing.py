"""Bring people and ties into a project: check, preview the changes, apply as one undo step.

The parsers in :mod:`workbench.core.network` read files into people, ties and located
problems. This module turns their results into what a project will gain (a roster diff and
networks to add), refuses input with error-severity problems unless the caller accepts the
valid part, and writes everything as one undoable edit: a failure or Cancel while writing
leaves the project as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.failures import check_integrity
from workbench.core.model import Person, Tie
from workbench.core.network.formats_base import sniff_network_file
from workbench.core.network.hierarchy import REPORTING, reporting_ties
from workbench.core.network.mapping import ColumnMapping
from workbench.core.network.people_import import (
    PersonChange,
    RosterDiff,
    diff_roster,
    import_people,
)
from workbench.core.network.relations import OTHER, known_relation, relation_key
from workbench.core.network.tabular import ReadOptions
from workbench.core.network.ties_import import TiesImport, TiesOptions, import_ties
from workbench.core.tasks import Progress, ensure_progress, gc_paused
from workbench.core.wording import count

if TYPE_CHECKING:  # the readers and the store load networkx/SQLAlchemy: imported when used
    from workbench.core.network.formats import NetworkFile
    from workbench.core.network.survey import SurveyImport
    from workbench.core.project import Project

FORMAL_NETWORK = "Reporting lines"
SHOWN_ERRORS = 20
MAPPING_KEY = "import.mapping.{kind}"
MIXED = "mixed"  # the type of one named network holding ties of several relations


class ImportRefused(WorkbenchError):
    """The input has errors and the caller did not accept importing only the valid part."""

    def __init__(self, message: str, problems: Sequence[Problem]) -> None:
        super().__init__(message)
        self.problems = list(problems)


@dataclass
class NetworkDraft:
    """A network about to be added: its name, relation, ties and the file it came from."""

    name: str
    type: str
    ties: list[Tie]
    directed: bool = True
    source_file: str = ""


@dataclass
class ImportPlan:
    """Everything one import will change; build it, show it, then :func:`apply_import` it."""

    diff: RosterDiff = field(default_factory=RosterDiff)
    kept: list[Person] = field(default_factory=list)  # would be removed, but still in ties
    networks: list[NetworkDraft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    mappings: list[ColumnMapping] = field(default_factory=list)  # saved for the next import
    # (pseudonym, id, name, e-mail) of people pseudonymised on the way in: kept beside the
    # key, never in the project (see workbench.core.pseudonymise)
    identities: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        """The problems whose rows were left out (severity "error")."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def changes_people(self) -> bool:
        return bool(self.diff.added or self.diff.changed or self.diff.removed)


@dataclass(frozen=True)
class ImportSummary:
    """What an applied import changed."""

    added: int
    changed: int
    removed: int
    networks: dict[str, int]  # network name -> ties stored

    def describe(self) -> str:
        parts = []
        if self.added or self.changed or self.removed:
            parts.append(f"people: {self.added} added, {self.changed} changed, "
                         f"{self.removed} removed")
        parts.extend(f"network {name!r}: {count(ties, 'tie')}"
                     for name, ties in self.networks.items())
        return "; ".join(parts) or "nothing to change"


# --------------------------------------------------------------------------- checking


def refuse_unless_accepted(problems: Sequence[Problem], accept_valid: bool) -> None:
    """Raise :class:`ImportRefused` listing the errors, unless there are none or they are
    accepted (the rows with errors are then simply left out)."""
    errors = [p for p in problems if p.severity == "error"]
    if not errors or accept_valid:
        return
    shown = "\n".join(f"  {p}" for p in errors[:SHOWN_ERRORS])
    more = f"\n  ... and {len(errors) - SHOWN_ERRORS} more" if len(errors) > SHOWN_ERRORS else ""
    raise ImportRefused(
        f"{count(len(errors), 'problem')} would leave rows out; nothing was imported.\n"
        f"{shown}{more}\n"
        "Fix the file, or accept importing only the valid part.", errors)


# --------------------------------------------------------------------------- people


def plan_people(project: Project, people: Sequence[Person]) -> ImportPlan:
    """The roster change of importing ``people``: everyone is added on a first import; a
    re-import is matched by id. People a re-import would remove but who still appear in a
    network are kept (listed in ``kept``) so no tie points at nobody."""
    diff = diff_roster(project.people.list(), list(people))
    plan = ImportPlan(diff=diff)
    if diff.removed:
        in_ties = _ids_in_networks(project)
        plan.kept = [p for p in diff.removed if p.id in in_ties]
        diff.removed = [p for p in diff.removed if p.id not in in_ties]
    return plan


def _ids_in_networks(project: Project) -> set[str]:
    ids: set[str] = set()
    for info in project.networks.list():
        for tie in project.networks.ties(info.id):
            ids.add(tie.source)
            ids.add(tie.target)
    return ids


def roster_after(project: Project, plan: ImportPlan) -> list[Person]:
    """The roster as it will be once ``plan`` is applied."""
    removed = {p.id for p in plan.diff.removed}
    changed = {c.id: c.after for c in plan.diff.changed}
    kept = [changed.get(p.id, p) for p in project.people.list() if p.id not in removed]
    return kept + plan.diff.added


def combine(*plans: ImportPlan) -> ImportPlan:
    """One plan doing what each of ``plans`` does (a people file plus a ties file).

    Only one plan may add or remove people; the others may change people (a network file's
    partitions, read against the roster the first plan leaves), and those changes are folded
    into the first plan's."""
    with_people = [p for p in plans if p.changes_people or p.kept]
    base = with_people[0] if with_people else ImportPlan()
    diff = base.diff
    for other in with_people[1:]:
        if other.diff.added or other.diff.removed or other.kept:
            raise ValueError("only one of the plans may add or remove people")
        diff = _fold_changes(diff, other.diff.changed)
    return ImportPlan(diff=diff, kept=base.kept,
                      networks=[n for p in plans for n in p.networks],
                      problems=[x for p in plans for x in p.problems],
                      mappings=[m for p in plans for m in p.mappings],
                      identities=[i for p in plans for i in p.identities])


def _fold_changes(diff: RosterDiff, changes: Sequence[PersonChange]) -> RosterDiff:
    """``diff`` followed by ``changes`` (made to the roster ``diff`` leaves) as one diff."""
    added = {p.id: p for p in diff.added}
    changed = {c.id: c for c in diff.changed}
    for change in changes:
        if change.id in added:
            added[change.id] = change.after
        elif change.id in changed:
            redone = diff_roster([changed[change.id].before], [change.after]).changed
            if redone:
                changed[change.id] = redone[0]
            else:  # the second change undoes the first
                del changed[change.id]
        else:
            changed[change.id] = change
    return RosterDiff(added=list(added.values()), changed=list(changed.values()),
                      removed=diff.removed)


def describe_change(change: PersonChange) -> str:
    """One line for a changed person: ``department: Sales -> Service; role: ...``."""
    return "; ".join(f"{c.field}: {c.before or '(blank)'} -> {c.after or '(blank)'}"
                     for c in change.fields)


# --------------------------------------------------------------------------- networks


def unique_name(wanted: str, taken: Iterable[str]) -> str:
    """``wanted``, or ``wanted (2)``, ``(3)``... when a network already has that name."""
    taken = set(taken)
    name, number = wanted, 2
    while name in taken:
        name, number = f"{wanted} ({number})", number + 1
    return name


def networks_from_ties(result: TiesImport, file: str, name: str | None = None,
                       relation: str | None = None) -> list[NetworkDraft]:
    """One network per relation of a ties file, or one network ``name`` holding all of them.

    ``relation`` is the type of ties that have none (a file without a type column).
    """
    default = relation_key(relation or "")
    by_relation: dict[str, list[Tie]] = {}
    if len(result.relations) == 1:  # the usual file: its ties as they are
        by_relation[result.relations[0] or default] = result.ties
    else:
        for tie in result.ties:
            by_relation.setdefault(tie.type or default, []).append(tie)
    return _drafts(by_relation, file, name, default, directed=True)


def networks_from_file(result: NetworkFile, file: str, name: str | None = None,
                       relation: str | None = None) -> list[NetworkDraft]:
    """The networks of a GraphML/GEXF/Pajek/DL file (one per relation unless ``name``).

    A relation the app knows is stored by its key ("Customer Insight" -> ``customer_insight``),
    so spellings of one relation make one network. A network keeps the name the file gives it
    (a DL level label "friend" makes network "friend" of type ``trust``) unless several names
    of the file fell into it; then it is named by the key. Ties the file gives no relation take
    ``relation``; without one their network is named after the file, as for an edge list
    without a type column.
    """
    from workbench.core.network.formats import DEFAULT_RELATION

    default = relation_key(relation or "")

    def key(rel: str) -> str:
        found = known_relation(rel)
        return default if rel == DEFAULT_RELATION else found.key if found else rel

    def drafts(groups: dict[str, list[Tie]]) -> list[NetworkDraft]:
        by_kind: dict[str, list[Tie]] = {}
        labels: dict[str, set[str]] = {}
        for rel, ties in groups.items():
            by_kind.setdefault(key(rel), []).extend(ties)
            if ties and rel != DEFAULT_RELATION:
                labels.setdefault(key(rel), set()).add(rel)
        made = _drafts(by_kind, file, name, default, directed=result.directed)
        if name:
            return made
        return [replace(d, name=next(iter(labels[d.type])))
                if len(labels.get(d.type, ())) == 1 else d for d in made]

    if result.ties_by_time:  # one network per time point: "advice, time 3"
        points = sorted({t for by_point in result.ties_by_time.values() for t in by_point})
        return [replace(d, name=f"{d.name}, time {point}") for point in points
                for d in drafts({rel: by_point.get(point, [])
                                 for rel, by_point in result.ties_by_time.items()})]
    return drafts(dict(result.ties_by_relation))


def networks_from_survey(result: SurveyImport, file: str,
                         date: dt.date | None = None) -> list[NetworkDraft]:
    """One network per survey question (relation) from filled survey workbooks."""
    suffix = f" survey {date.isoformat()}" if date else " survey"
    return [NetworkDraft(f"{relation}{suffix}", relation, ties, True, file)
            for relation, ties in result.ties_by_relation.items() if ties]


def formal_network(people: Iterable[Person]) -> NetworkDraft:
    """The formal reporting network (manager -> report) derived from the roster."""
    return NetworkDraft(FORMAL_NETWORK, REPORTING, reporting_ties(people), True, "roster")


def _drafts(by_relation: dict[str, list[Tie]], file: str, name: str | None, default: str,
            directed: bool) -> list[NetworkDraft]:
    stem = Path(file).stem
    if name:
        ties = [t for group in by_relation.values() for t in group]
        types = [r for r in by_relation if r]
        kind = types[0] if len(types) == 1 else (default if not types else MIXED)
        return [NetworkDraft(name, kind, ties, directed, file)] if ties else []
    return [NetworkDraft(relation if relation not in ("", OTHER) else stem, relation, ties,
                         directed, file)
            for relation, ties in by_relation.items() if ties]


def _relation_warnings(drafts: Sequence[NetworkDraft], file: str) -> list[Problem]:
    """A note for each network say-vs-show, customer champions and predict-then-reveal will
    not use because it has no relation, or one name holds ties of several relations (one
    note for all the networks of a file with time points)."""
    names: dict[str, list[str]] = {}
    for draft in drafts:
        if draft.type == MIXED:
            why = ("holds ties of several relations; leave the network name empty to get one "
                   "network per relation")
        elif not draft.type:
            why = ("has no relation; give one when importing (advice, collaboration, customer "
                   "insight…)")
        else:
            continue
        names.setdefault(why, []).append(draft.name)
    problems = []
    for why, named in names.items():
        more = f" (and {count(len(named) - 1, 'more network')} like it)" if len(named) > 1 else ""
        problems.append(Problem(file, "no_relation", f"network {named[0]!r}{more} {why}. It "
                                "is mapped, but say-vs-show, customer champions and "
                                "predict-then-reveal will not use it.", severity="warning"))
    return problems


def check_ties_against_roster(drafts: Sequence[NetworkDraft], known: set[str],
                              file: str) -> tuple[list[NetworkDraft], list[Problem]]:
    """Drop ties naming people outside the roster (each reported once per id)."""
    problems: list[Problem] = []
    reported: set[str] = set()
    checked = []
    for draft in drafts:
        kept = []
        for tie in draft.ties:
            missing = [end for end in (tie.source, tie.target) if end not in known]
            for end in missing:
                if end not in reported:
                    reported.add(end)
                    problems.append(Problem(file, "unknown_id", f"{end!r} is not in the people "
                                            "list; their ties were skipped"))
            if not missing:
                kept.append(tie)
        checked.append(NetworkDraft(draft.name, draft.type, kept, draft.directed,
                                    draft.source_file))
    return [d for d in checked if d.ties], problems


def people_from_network_file(result: NetworkFile) -> list[Person]:
    """People for the nodes of a network file (used when the project has no roster yet)."""
    people = []
    for node in result.people_ids:
        attrs = result.node_attributes.get(node, {})
        label = result.labels.get(node, node)
        people.append(Person(
            node, name=label if label != node else str(attrs.get("name", "")),
            department=_text(attrs.get("department", "")),
            attributes={k: _text(v) for k, v in attrs.items()
                        if k not in ("name", "department", "label")},
        ))
    return people


def _text(value: object) -> str:
    """A node attribute as a roster cell: 2.0 -> "2", 0.25 -> "0.25"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def person_attribute_changes(result: NetworkFile, people: Sequence[Person],
                             stored_id: Callable[[str], str] = str) -> list[PersonChange]:
    """The roster changes a network file's person attributes (Pajek partitions and vectors)
    make to the people its nodes match (``stored_id``: a node's id as the roster holds it).
    A ``department`` partition sets the department; any other is an attribute."""
    if not result.person_attributes:
        return []
    roster = {p.id: p for p in people}
    changes = []
    for node in result.people_ids:
        person = roster.get(stored_id(node))
        values = {k: _text(v) for k, v in result.node_attributes.get(node, {}).items()
                  if k in result.person_attributes}
        if person is None or not values:
            continue
        department = values.pop("department", person.department)
        after = replace(person, department=department,
                        attributes={**person.attributes, **values})
        if after != person:
            changes.extend(diff_roster([person], [after]).changed)
    return changes


# --------------------------------------------------------------------------- reading files


def saved_mapping(project: Project, kind: str) -> ColumnMapping | None:
    """The column mapping last used for ``kind`` (people or ties), if any and still valid."""
    data = project.settings.get(MAPPING_KEY.format(kind=kind))
    if data is None:
        return None
    try:
        return ColumnMapping.from_dict(data)
    except WorkbenchError:
        return None


def mapping_fits(mapping: ColumnMapping | None, columns: Sequence[str]) -> bool:
    """Whether every column a mapping uses exists in a file's columns."""
    return mapping is not None and set(mapping.columns.values()) <= set(columns)


def is_network_file(path: str | Path) -> bool:
    """GraphML, GEXF, Pajek or UCINET DL, judged by the first bytes of the file (a UCINET
    file saved as ``.dat`` or ``.txt`` is DL), else by the file name."""
    return sniff_network_file(path) is not None


def read_people_file(project: Project, path: str | Path, mapping: ColumnMapping | None = None,
                     options: ReadOptions | None = None,
                     progress: Progress | None = None) -> ImportPlan:
    """Read a people file and plan its import (roster diff, problems, mapping to save).

    Into a project that stores pseudonyms, the people come in pseudonymised (ids, names,
    manager ids and e-mail addresses), matched to the roster by the keyed pseudonym of their id.
    """
    from workbench.core.pseudonymise import incoming_for

    progress = ensure_progress(progress)
    result = import_people(path, mapping, options, progress.sub(0.0, 0.8))
    people, identities = result.people, list[tuple[str, str, str, str]]()
    incoming = incoming_for(project)
    if incoming is not None:
        people, identities = incoming.people(people)
    plan = plan_people(project, people)
    progress.update(1.0, "Compared with the roster")
    plan.problems, plan.mappings = result.problems, [result.mapping]
    plan.identities = identities
    return plan


def read_ties_file(project: Project, path: str | Path, *, name: str | None = None,
                   relation: str | None = None, mapping: ColumnMapping | None = None,
                   options: ReadOptions | None = None, roster: Sequence[Person] | None = None,
                   progress: Progress | None = None) -> ImportPlan:
    """Read a ties file (edge list, matrix or network file) and plan its networks.

    ``roster`` is the people the ties may name (default: the project's roster). A network
    file read into a project without people brings its nodes in as people. Into a project
    that stores pseudonyms, ids are replaced by their keyed pseudonyms on the way in.
    """
    from workbench.core.pseudonymise import incoming_for

    progress = ensure_progress(progress)
    file = Path(path).name
    people = list(roster) if roster is not None else project.people.list()
    incoming = incoming_for(project)
    if is_network_file(path):
        from workbench.core.network.formats import read_network_file

        result = read_network_file(path, progress.sub(0.0, 0.9))
        drafts = networks_from_file(result, file, name, relation)
        if incoming is not None:
            drafts = [replace(d, ties=incoming.ties(d.ties)) for d in drafts]
        if not people:
            added, identities = people_from_network_file(result), list[tuple[str, str, str, str]]()
            if incoming is not None:
                added, identities = incoming.people(added)
            plan = ImportPlan(diff=RosterDiff(added=added), identities=identities)
            plan.networks = drafts
            plan.problems = [*result.problems, *_relation_warnings(drafts, file)]
            return plan
        drafts, unknown = check_ties_against_roster(drafts, {p.id for p in people}, file)
        changed = person_attribute_changes(result, people, incoming.id if incoming else str)
        return ImportPlan(diff=RosterDiff(changed=changed), networks=drafts,
                          problems=[*result.problems, *unknown,
                                    *_relation_warnings(drafts, file)])
    if not people:
        raise WorkbenchError(f"{file}: import the people list first; ties can only name "
                             "people the project knows.")
    read = TiesOptions(read=options or ReadOptions(), default_type=relation or "")
    ids = [p.id for p in people]
    known = incoming.known(ids) if incoming is not None else ids
    ties = import_ties(path, known, mapping, read, progress.sub(0.0, 0.9))
    if incoming is not None:  # a matrix keeps the ids of the file: pseudonymise them here
        ties = replace(ties, ties=incoming.ties(ties.ties))
    drafts = networks_from_ties(ties, file, name, relation)
    return ImportPlan(networks=drafts, problems=[*ties.problems, *_relation_warnings(drafts, file)],
                      mappings=[ties.mapping] if ties.mapping is not None else [])


def read_survey_files(project: Project, paths: Sequence[str | Path],
                      date: dt.date | None = None, survey_id: str | None = None,
                      progress: Progress | None = None) -> ImportPlan:
    """Read filled survey workbooks into one network per question."""
    from workbench.core.network.survey import import_survey_workbooks

    result = import_survey_workbooks(paths, project.people.list(), survey_id, progress,
                                     key=project.settings.signing_key())
    label = Path(paths[0]).name if len(paths) == 1 else f"{len(paths)} survey files"
    return ImportPlan(networks=networks_from_survey(result, label, date),
                      problems=result.problems)


# --------------------------------------------------------------------------- applying


def apply_import(project: Project, plan: ImportPlan, *, accept_valid: bool = False,
                 date: dt.date | None = None, label: str = "Import",
                 progress: Progress | None = None) -> ImportSummary:
    """Write ``plan`` to the project as one undoable edit.

    Refuses (:class:`ImportRefused`) when the plan has error problems and ``accept_valid`` is
    false, and (:class:`~workbench.core.errors.ProjectFileError`) when the project file is
    damaged. Network names already used get a numbered suffix. Nothing is written on failure
    or Cancel.
    """
    refuse_unless_accepted(plan.problems, accept_valid)
    progress = ensure_progress(progress)
    progress.update(0.0, "Checking the project file")
    check_integrity(project)  # never write a bulk import into a damaged file
    progress.update(0.0, "Saving")
    if plan.identities:  # before the file changes: who is behind the new pseudonyms
        from workbench.core.pseudonymise import keep_identities

        keep_identities(project, plan.identities)
    diff = plan.diff
    stored: dict[str, int] = {}
    with project.edit(label), gc_paused():  # a tuple per row to store: no collector passes
        if project.people.count() == 0 and diff.added:
            project.people.add_many(diff.added, label)
        elif plan.changes_people:
            project.people.merge(diff.added, [c.after for c in diff.changed],
                                 [p.id for p in diff.removed], label)
        for mapping in plan.mappings:
            project.settings.set(MAPPING_KEY.format(kind=mapping.kind), mapping.to_dict(), label)
        taken = {n.name for n in project.networks.list()}
        for index, draft in enumerate(plan.networks):
            progress.update((index + 1) / (len(plan.networks) + 1), f"Saving {draft.name}")
            name = unique_name(draft.name, taken)
            taken.add(name)
            project.networks.add(name, draft.ties, type=draft.type, date=date,
                                 directed=draft.directed, source_file=draft.source_file,
                                 label=label)
            stored[name] = len(draft.ties)
        progress.update(1.0, "Saved")
    return ImportSummary(len(diff.added), len(diff.changed), len(diff.removed), stored)
