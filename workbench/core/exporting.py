"""Write a project's people and networks out: GraphML/GEXF for network tools, CSV for sheets.

Every export honours the project's privacy choices (pseudonyms, dropped columns) and writes
atomically; the open project file is refused as a target.
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
from workbench.core.privacy import Privacy, load_privacy
from workbench.core.tasks import Progress, ensure_progress
from workbench.core.xlsx_safety import atomic_output

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
    ``metrics`` value; edges carry ``weight`` and ``type``."""
    privacy = privacy if privacy is not None else load_privacy(project)
    people = privacy.people(project.people.list())
    G: nx.DiGraph | nx.Graph = nx.DiGraph() if info.directed else nx.Graph()
    for person in people:
        attrs = {f.name: getattr(person, f.name) for f in fields(Person)
                 if f.name not in ("id", "attributes")}
        attrs["manager_id"] = attrs["manager_id"] or ""
        attrs.update({k: v for k, v in person.attributes.items() if k not in attrs})
        for key, value in (metrics or {}).get(person.id, {}).items():
            if value is not None:
                attrs[key] = value
        G.add_node(person.id, **attrs)
    for tie in project.networks.ties(info.id):
        G.add_edge(tie.source, tie.target, weight=tie.weight, type=info.type)
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
    people = load_privacy(project).people(project.people.list())
    extras = sorted({k for p in people for k in p.attributes} - set(STANDARD_PERSON_FIELDS))
    rows = [[p.id, p.name, p.email, p.department, p.role, p.manager_id or "", p.location,
             "yes" if p.customer_facing else "no", p.segment,
             *(p.attributes.get(k, "") for k in extras)] for p in people]
    return _write_csv(project, out, [*STANDARD_PERSON_FIELDS, *extras], rows)


def export_ties_csv(project: Project, name: str, out: str | Path) -> Path:
    """One network's ties as CSV: source, target, weight, type (re-importable)."""
    info = find_network(project, name)
    rows = [[t.source, t.target, f"{t.weight:g}", info.type]
            for t in project.networks.ties(info.id)]
    return _write_csv(project, out, ["source", "target", "weight", "type"], rows)


def _write_csv(project: Project, out: str | Path, header: list[str],
               rows: list[list[str]]) -> Path:
    out = Path(out)
    with atomic_output(out, project.path) as tmp, open(tmp, "w", encoding="utf-8-sig",
                                                        newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return out
