"""The formal reporting line: manager cycles and manager -> report ties (iterative, linear)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from workbench.core.model import Person, Tie

REPORTING = "reporting"


def find_manager_cycles(manager_of: Mapping[str, str | None]) -> list[list[str]]:
    """Every cycle in the manager links, each as ids in link order (a -> manager of a -> ...).

    Links to ids that are not keys of ``manager_of`` end a chain. Runs in linear time without
    recursion, so a 50,000-level chain is fine. Someone who is their own manager is a cycle
    of one.
    """
    done: set[str] = set()
    cycles: list[list[str]] = []
    for start in manager_of:
        if start in done:
            continue
        path: list[str] = []
        on_path: dict[str, int] = {}
        node: str | None = start
        while node is not None and node in manager_of and node not in done:
            if node in on_path:
                cycles.append(path[on_path[node]:])
                break
            on_path[node] = len(path)
            path.append(node)
            node = manager_of[node]
        done.update(path)
    return cycles


def reporting_ties(people: Iterable[Person]) -> list[Tie]:
    """One tie manager -> report (type "reporting") per person whose manager is in ``people``."""
    people = list(people)
    ids = {p.id for p in people}
    return [
        Tie(p.manager_id, p.id, 1.0, REPORTING)
        for p in people
        if p.manager_id is not None and p.manager_id != p.id and p.manager_id in ids
    ]
