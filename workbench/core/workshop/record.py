"""The session record as plain rows for the exported workbook's "Workshop" sheet."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from workbench.core.workshop.agenda import PREDICT_PAIRS
from workbench.core.workshop.predictions import pair_label

if TYPE_CHECKING:
    from workbench.core.privacy import ShownPeople
    from workbench.core.project import Project

WORKSHOP_COLUMNS = ("Session", "Item", "Section", "Question", "Kind", "Votes", "Individual votes",
                    "Consensus", "Note", "Minutes planned", "Minutes spent")


def _value_text(value: object, kind: str) -> str:
    if isinstance(value, list):
        return ", ".join(pair_label(v) if kind == PREDICT_PAIRS else str(v) for v in value)
    return "" if value is None else str(value)


def workshop_rows(project: Project, shown: ShownPeople | None = None) -> list[dict[str, object]]:
    """One row per agenda item of every session, keyed by :data:`WORKSHOP_COLUMNS`.

    Anonymous sessions list individual votes as a sorted tally (no participant, no order);
    named sessions give each participant's vote. Participants, picked people and names inside
    notes appear as the project's privacy shows them (``shown``, default: the project's).
    """
    from workbench.core.privacy import ShownPeople, load_privacy

    if shown is None:
        shown = ShownPeople(load_privacy(project), project.people.list())
    mention, scrub = shown.mention, shown.scrub

    def _text(value: object, kind: str) -> str:
        if isinstance(value, list):
            value = [mention(v) if isinstance(v, str) else v for v in value]
        elif isinstance(value, str):
            value = mention(value)
        return _value_text(value, kind)

    rows: list[dict[str, object]] = []
    service = project.workshop
    for session in service.sessions():
        consensus = service.consensus(session.id)
        spent = service.time_spent(session.id)
        notes = service.notes(session.id)
        for item in service.items(session.id):
            ballots = (service.votes(item.id) if item.kind == "question"
                       else service.predictions(item.id))
            if session.anonymous:
                tally = Counter(_text(b.value, item.kind) for b in ballots)
                individual = "; ".join(f"{v} ×{n}" for v, n in sorted(tally.items()))
            else:
                individual = "; ".join(f"{mention(b.participant)}: {_text(b.value, item.kind)}"
                                       for b in ballots)
            agreed = consensus.get(item.id)
            item_notes = [scrub(n.text) for n in notes if n.item_id == item.id]
            rows.append({
                "Session": scrub(session.name), "Item": item.position + 1,
                "Section": item.section, "Question": item.title, "Kind": item.kind, "Votes": len(ballots),
                "Individual votes": individual,
                "Consensus": _text(agreed.value, item.kind) if agreed else "",
                "Note": "\n".join(([scrub(agreed.note)] if agreed and agreed.note else [])
                                  + item_notes),
                "Minutes planned": item.minutes,
                "Minutes spent": round(spent.get(item.id, 0.0) / 60, 1),
            })
    return rows
