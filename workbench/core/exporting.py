"""Write a project's people and networks out: GraphML/GEXF for network tools, CSV for sheets.

Every export honours the project's privacy choices (pseudonyms, dropped columns) and writes
atomically; the open project file is refused as a target. People are written as
:class:`~workbench.core.privacy.ShownPeople` shows them: when pseudonymised, node ids, tie ends,
manager ids, names and e-mail addresses are all pseudonyms (an id may be an e-mail address).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from workbench.core.errors import WorkbenchError
from workbench.core.model import STANDARD_PERSON_FIELDS, NetworkInfo, Person
from workbench.core.network.formats import write_gexf, write_graphml
from workbench.core.privacy import (
    INDIVIDUAL_LABELS,
    Privacy,
    ShownPeople,
    load_privacy,
    shown_people,
)
from workbench.core.tasks import Progress, ensure_progress
from workbench.core.xlsx_safety import atomic_output, safe_csv_value

if TYPE_CHECKING:
    from workbench.core.project import Project

FORMATS = ("graphml", "gexf")
PersonMetrics = Mapping[str, Mapping[str, float | None]]  # person id -> metric -> value


def find_network(project: Project, name: str) -> NetworkInfo:
    """The network called ``name``; :class:`WorkbenchError` naming the ones that exist."""
    info = project.networks.find(name)
    if info is None:
        names = ", ".join(repr(n.name) for n in project.networks.list()) or "none"
        raise WorkbenchError(f"No network named {name!r} in {project.path.name} "
                             f"(networks: {names}).")
    return info


def network_graph(project: Project, info: NetworkInfo, privacy: Privacy | None = None,
                  metrics: PersonMetrics | None = None) -> nx.DiGraph | nx.Graph:
    """The network as a graph whose nodes carry every person field, extra attribute and
    ``metrics`` value (keyed by stored person id); edges carry ``weight`` and ``type``. Node
    ids and names are as :class:`ShownPeople` shows them (pseudonyms when pseudonymised)."""
    privacy = privacy if privacy is not None else load_privacy(project)
    stored = project.people.list()
    shown = ShownPeople(privacy, stored)
    G: nx.DiGraph | nx.Graph = nx.DiGraph() if info.directed else nx.Graph()
    for original, person in zip(stored, shown.people(), strict=True):
        attrs = {f.name: getattr(person, f.name) for f in fields(Person)
                 if f.name not in ("id", "attributes")}
        attrs["manager_id"] = attrs["manager_id"] or ""
        attrs.update({k: v for k, v in person.attributes.items() if k not in attrs})
        for key, value in (metrics or {}).get(original.id, {}).items():
            if isinstance(value, str):  # e.g. a role: "peripheral" only when labels may show
                value = shown.mention(value) if value not in INDIVIDUAL_LABELS \
                    else shown.individual_label(value) or None
            if value is not None:
                attrs[key] = value
        G.add_node(person.id, **attrs)
    for tie in project.networks.ties(info.id):
        G.add_edge(shown.id(tie.source), shown.id(tie.target), weight=tie.weight,
                   type=info.type)
    return G


def export_network(project: Project, name: str, out: str | Path, fmt: str | None = None,
                   metrics: PersonMetrics | None = None,
                   progress: Progress | None = None) -> Path:
    """Write network ``name`` to GraphML or GEXF (``fmt``, default: from the suffix)."""
    progress = ensure_progress(progress)
    out = Path(out)
    fmt = (fmt or out.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise WorkbenchError(f"{out.name}: choose a .graphml or .gexf file name.")
    info = find_network(project, name)
    progress.update(0.1, f"Collecting {name}")
    G = network_graph(project, info, metrics=metrics)
    progress.update(0.5, f"Writing {out.name}")
    (write_graphml if fmt == "graphml" else write_gexf)(G, out, protected=project.path)
    progress.update(1.0, f"Wrote {out.name}")
    return out


def export_people_csv(project: Project, out: str | Path) -> Path:
    """The roster as CSV (UTF-8 with BOM so spreadsheet programs read accents), re-importable."""
    people = shown_people(project).people()
    extras = sorted({k for p in people for k in p.attributes} - set(STANDARD_PERSON_FIELDS))
    rows = [[p.id, p.name, p.email, p.department, p.role, p.manager_id or "", p.location,
             "yes" if p.customer_facing else "no", p.segment,
             *(p.attributes.get(k, "") for k in extras)] for p in people]
    return _write_csv(project, out, [*STANDARD_PERSON_FIELDS, *extras], rows)


def export_ties_csv(project: Project, name: str, out: str | Path) -> Path:
    """One network's ties as CSV: source, target, weight, type (re-importable; the ends are
    pseudonyms when pseudonymised, matching :func:`export_people_csv`)."""
    info = find_network(project, name)
    shown = shown_people(project)
    rows = [[shown.id(t.source), shown.id(t.target), f"{t.weight:g}", info.type]
            for t in project.networks.ties(info.id)]
    return _write_csv(project, out, ["source", "target", "weight", "type"], rows)


def _write_csv(project: Project, out: str | Path, header: list[str],
               rows: list[list[str]]) -> Path:
    out = Path(out)
    with atomic_output(out, project.path) as tmp, open(tmp, "w", encoding="utf-8-sig",
                                                        newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([safe_csv_value(v) for v in header])
        writer.writerows([safe_csv_value(v) for v in row] for row in rows)
    return out
