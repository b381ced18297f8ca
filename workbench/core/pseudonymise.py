"""Pseudonyms in the project file itself: a one-way conversion, and imports on the way in.

:func:`convert_to_pseudonyms` replaces every person's id, name and e-mail address in the file
by their keyed pseudonym (ids in ties, reporting lines, plan owners, workshop ballots and
free text too), drops the analysis cache (it holds names), forgets the undo history and
rewrites the file with ``VACUUM`` so the old names are gone from it. Who is behind each
pseudonym is written beside the key, outside the project (:func:`~workbench.core.network.
pseudonyms.save_identities`).

Afterwards :func:`incoming_for` pseudonymises what an import brings with the same key, so a
people or ties file with the original ids still lines up with the converted roster.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select, text, update

from workbench.core.model import Person, Tie
from workbench.core.network.pseudonyms import (
    EMAIL_DOMAIN,
    LONG_LENGTH,
    PseudonymKey,
    identities_path,
    key_file,
    pseudonym,
    pseudonyms_for,
    save_identities,
)
from workbench.core.privacy import (
    SETTING_KEY,
    STORED_KEY,
    Privacy,
    ShownPeople,
    key_dir,
    privacy_settings,
    stores_pseudonyms,
)
from workbench.core.store.schema import TABLES
from workbench.core.tasks import Progress, ensure_progress
from workbench.core.wording import count

if TYPE_CHECKING:
    from workbench.core.project import Project

LABEL = "Replace names by pseudonyms"
Identity = tuple[str, str, str, str]  # pseudonym, original id, name, e-mail


@dataclass(frozen=True)
class Conversion:
    """What :func:`convert_to_pseudonyms` did; ``people`` is 0 when nothing was left to do."""

    people: int
    key_path: Path
    identities_path: Path


def conversion_warning(project: Project, directory: str | Path | None = None) -> str:
    """What converting ``project`` will do, in plain words for a confirmation question."""
    where = key_file(project.engagement.uuid(), directory if directory is not None else key_dir())
    people = project.people.count()
    if people:
        what = (f"Names and e-mail addresses of {count(people, 'person', 'people')} will be "
                "replaced by pseudonyms in this file.")
    else:
        what = "People imported into this file from now on will be stored as pseudonyms."
    return (f"{what} This cannot be undone; the key to re-identify stays on this computer in "
            f"{where}.")


def convert_to_pseudonyms(project: Project, directory: str | Path | None = None,
                          progress: Progress | None = None) -> Conversion:
    """Replace every name and e-mail address in the project file by pseudonyms, one way.

    The pseudonym of a person is the one the outputs already showed (keyed HMAC of the id, see
    :mod:`workbench.core.network.pseudonyms`), so earlier pseudonymised exports still match.
    Who is behind each pseudonym is written beside the key (``directory``, default
    :func:`~workbench.core.privacy.key_dir`) before the file changes. Afterwards the undo
    history is cleared and the file rewritten (``VACUUM``; ``secure_delete`` is on), so
    neither undo nor the file's free pages bring a name back. Pseudonyms are then switched on
    for good. A project already converted is left as it is.
    """
    progress = ensure_progress(progress)
    key = PseudonymKey.load_or_create(project.engagement.uuid(),
                                      directory if directory is not None else key_dir())
    assert key.path is not None
    if stores_pseudonyms(project):
        return Conversion(0, key.path, identities_path(key))
    settings = privacy_settings(project)
    people = project.people.list()
    shown = ShownPeople(Privacy(replace(settings, pseudonymise=True), key), people)
    progress.update(0.05, "Keeping who is behind each pseudonym")
    save_identities(key, [(shown.id(p.id), p.id, p.name, p.email) for p in people])
    progress.update(0.1, "Replacing names")
    with project.edit(LABEL) as w:
        # Written past the undo recorder on purpose: the history is dropped below, and its
        # before-images would otherwise keep every name in memory until then.
        _convert(w.conn, shown, key)
        project.settings.set(SETTING_KEY, replace(settings, pseudonymise=True).to_dict(), LABEL)
        project.settings.set(STORED_KEY, {"people": len(people),
                                          "converted": dt.date.today().isoformat()}, LABEL)
    progress.update(0.8, "Rewriting the project file")
    project.forget_history()
    progress.update(1.0, "Names replaced by pseudonyms")
    return Conversion(len(people), key.path, identities_path(key))


# -- the conversion, table by table ------------------------------------------------------------

def _convert(conn: Connection, shown: ShownPeople, key: PseudonymKey) -> None:
    scrub, mention = shown.scrub, shown.mention

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return mention(value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    _people(conn, shown)
    _ties(conn, shown)
    conn.execute(TABLES["analysis_cache"].delete())  # findings and ids of the old names
    _respondents(conn, shown, key)
    _rewrite(conn, "engagement", {"description": scrub})
    _rewrite(conn, "network", {"name": scrub, "source_file": scrub})
    _rewrite(conn, "answer", {"value": walk})
    _rewrite(conn, "plan_action", {"owner": mention, "title": scrub, "measure": scrub,
                                   "evidence": scrub, "notes": scrub})
    _rewrite(conn, "note", {"topic": scrub, "text": scrub})
    _rewrite(conn, "workshop_session", {"name": scrub})
    _rewrite(conn, "workshop_item", {"title": scrub, "section": scrub})
    for table in ("workshop_vote", "workshop_prediction"):
        _rewrite(conn, table, {"value": walk})
        _participants(conn, table, mention)
    _rewrite(conn, "workshop_consensus", {"value": walk, "note": scrub})
    _rewrite(conn, "workshop_note", {"text": scrub})
    _rewrite(conn, "insight", {"received_by": mention, "can_act": mention, "summary": scrub,
                               "action_taken": scrub, "result": scrub})
    _rewrite(conn, "experiment", {"owner": mention, "changes": walk, "title": scrub,
                                  "early_adopters": scrub, "pilot_measures": scrub,
                                  "business_case": scrub})
    _rewrite(conn, "journey_stage", {"owner": mention, **dict.fromkeys(
        ("name", "need", "feeling", "interaction", "channel", "enablers", "quality_measure",
         "productivity_measure", "handoff_break"), scrub)})
    setting = TABLES["setting"]
    _rewrite(conn, "setting", {"value": walk},
             setting.c.key.notin_([SETTING_KEY, STORED_KEY]))


def _people(conn: Connection, shown: ShownPeople) -> None:
    """Id, name, e-mail and manager id become pseudonyms; attribute values naming someone
    too. Department, role and the other columns stay (they are not names)."""
    table = TABLES["person"]
    rows = conn.execute(select(table.c.id, table.c.person_id, table.c.email,
                               table.c.manager_id, table.c.attributes)).all()
    for row in rows:
        alias = shown.id(row.person_id)
        conn.execute(update(table).where(table.c.id == row.id).values(
            person_id=alias, name=alias,
            email=f"{alias.lower()}@{EMAIL_DOMAIN}" if (row.email or "").strip() else "",
            manager_id=shown.id(row.manager_id) if row.manager_id else None,
            attributes={k: shown.mention(v) if isinstance(v, str) else v
                        for k, v in (row.attributes or {}).items()}))


def _ties(conn: Connection, shown: ShownPeople) -> None:
    """Both ends of every tie, through a temporary old -> new table (not in the file)."""
    ends = {r[0] for r in conn.exec_driver_sql(
        "SELECT source FROM tie UNION SELECT target FROM tie")}
    if not ends:
        return
    conn.exec_driver_sql("CREATE TEMP TABLE pseudonym_map (old TEXT PRIMARY KEY, new TEXT)")
    try:
        conn.exec_driver_sql("INSERT INTO pseudonym_map (old, new) VALUES (?, ?)",
                             [(end, shown.id(end)) for end in ends])
        for column in ("source", "target"):
            conn.execute(text(
                f"UPDATE tie SET {column} = (SELECT new FROM pseudonym_map "
                f"WHERE old = tie.{column})"))
    finally:
        conn.exec_driver_sql("DROP TABLE temp.pseudonym_map")


def _respondents(conn: Connection, shown: ShownPeople, key: PseudonymKey) -> None:
    """Respondents on the roster get their pseudonym; others a pseudonym of their name."""
    from workbench.core.services.assessments import CONSENSUS_CODE

    table = TABLES["respondent"]
    rows = conn.execute(select(table.c.id, table.c.code, table.c.name)).all()
    for row in rows:
        code, name = row.code, row.name or ""
        who = shown.resolve(name) or shown.resolve(code)
        if who is not None:
            new_name = shown.id(who)
        elif name.strip():
            new_name = pseudonym(key, "respondent:" + name.strip().casefold())
        else:
            new_name = ""
        new_code = code
        if code != CONSENSUS_CODE:
            if (found := shown.resolve(code)) is not None:
                new_code = shown.id(found)
            elif "@" in code or " " in code.strip():
                new_code = pseudonym(key, "respondent:" + code.strip().casefold())
        if (new_code, new_name) != (code, name):
            conn.execute(update(table).where(table.c.id == row.id).values(
                code=new_code, name=new_name))


def _participants(conn: Connection, name: str, mention: Callable[[str], str]) -> None:
    """Ballot participants as shown; two that become alike on one item are numbered."""
    table = TABLES[name]
    rows = conn.execute(select(table.c.id, table.c.item_id, table.c.participant)
                        .order_by(table.c.id)).all()
    taken: dict[int, set[str]] = {}
    for row in rows:
        taken.setdefault(row.item_id, set()).add(row.participant)
    for row in rows:
        new = mention(row.participant)
        if new == row.participant:
            continue
        used = taken[row.item_id]
        candidate, number = new, 2
        while candidate in used:
            candidate, number = f"{new} ({number})", number + 1
        used.discard(row.participant)
        used.add(candidate)
        conn.execute(update(table).where(table.c.id == row.id).values(participant=candidate))


def _rewrite(conn: Connection, name: str, columns: Mapping[str, Callable[[Any], Any]],
             *where: Any) -> None:
    """Pass each value of ``columns`` (those the table has) through its function."""
    table = TABLES.get(name)
    if table is None:
        return
    chosen = [c for c in columns if c in table.c]
    if not chosen:
        return
    for row in conn.execute(select(table.c.id, *(table.c[c] for c in chosen)).where(*where)):
        values = {}
        for column, value in zip(chosen, row[1:], strict=True):
            if value is None:
                continue
            new = columns[column](value)
            if new != value:
                values[column] = new
        if values:
            conn.execute(update(table).where(table.c.id == row.id).values(**values))


# -- imports into a converted project ----------------------------------------------------------

class Incoming:
    """Pseudonymises what an import brings into a converted project, with the project's key.

    An id already on the roster (a pseudonym) stays as it is; any other id becomes its keyed
    pseudonym (the long form when that is how the roster holds it), the same the conversion
    gave, so files with the original ids line up with the converted roster.
    """

    def __init__(self, key: PseudonymKey, roster_ids: Iterable[str]) -> None:
        self.key = key
        self.roster = set(roster_ids)

    def id(self, raw: str) -> str:
        if raw in self.roster:
            return raw
        long = pseudonym(self.key, raw, LONG_LENGTH)
        return long if long in self.roster else pseudonym(self.key, raw)

    def people(self, people: Sequence[Person]) -> tuple[list[Person], list[Identity]]:
        """The people with pseudonyms for ids, names, manager ids and e-mail addresses, and
        who is behind each new pseudonym (for the identities file beside the key)."""
        fresh = [p.id for p in people if p.id not in self.roster]
        batch = pseudonyms_for(self.key, fresh)  # long forms for clashes inside this file
        ids = {p.id: (p.id if p.id in self.roster else
                      self.id(p.id) if self.id(p.id) in self.roster else batch[p.id])
               for p in people}
        result, identities = [], []
        for p in people:
            alias = ids[p.id]
            if alias != p.id:
                identities.append((alias, p.id, p.name, p.email))
            manager = p.manager_id
            result.append(replace(
                p, id=alias, name=alias,
                email=f"{alias.lower()}@{EMAIL_DOMAIN}" if p.email.strip() else "",
                manager_id=(ids.get(manager) or self.id(manager)) if manager else None))
        return result, identities

    def ties(self, ties: Iterable[Tie]) -> list[Tie]:
        return [Tie(self.id(t.source), self.id(t.target), t.weight, t.type) for t in ties]

    def known(self, roster_ids: Iterable[str]) -> Mapping[str, str]:
        """Original id -> stored id for every id that names someone on ``roster_ids``."""
        return _KnownIds(self, set(roster_ids))


class _KnownIds(Mapping[str, str]):
    """A lazy mapping: any id whose pseudonym is on the roster maps to that pseudonym."""

    def __init__(self, incoming: Incoming, roster: set[str]) -> None:
        self.incoming, self.roster = incoming, roster

    def __getitem__(self, raw: str) -> str:
        stored = raw if raw in self.roster else self.incoming.id(raw)
        if stored not in self.roster:
            raise KeyError(raw)
        return stored

    def __iter__(self) -> Iterator[str]:
        return iter(self.roster)

    def __len__(self) -> int:
        return len(self.roster)


def incoming_for(project: Project, directory: str | Path | None = None) -> Incoming | None:
    """How imports into ``project`` are pseudonymised; None unless it stores pseudonyms."""
    if not stores_pseudonyms(project):
        return None
    key = PseudonymKey.load_or_create(project.engagement.uuid(),
                                      directory if directory is not None else key_dir())
    return Incoming(key, (p.id for p in project.people.list()))


def keep_identities(project: Project, identities: Sequence[Identity],
                    directory: str | Path | None = None) -> None:
    """Add imported people to the identities file beside the project's key."""
    if identities:
        key = PseudonymKey.load_or_create(project.engagement.uuid(),
                                          directory if directory is not None else key_dir())
        save_identities(key, identities)
