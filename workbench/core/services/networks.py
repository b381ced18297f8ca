"""Named, dated networks of ties between people (advice, collaboration, customer insight...)."""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import math
import sqlite3
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from workbench.core.errors import WorkbenchError
from workbench.core.failures import SQLITE_FULL, SQLITE_READONLY, sqlite_code
from workbench.core.model import NetworkInfo, Tie
from workbench.core.services.base import Service
from workbench.core.store.schema import AnalysisCacheRow, NetworkRow, TieRow

_N = NetworkRow.__table__
_T = TieRow.__table__
_C = AnalysisCacheRow.__table__


@dataclass(frozen=True)
class TieColumns:
    """A network's ties as parallel columns in stored order (a missing weight reads as 1.0),
    with the same fingerprint :meth:`NetworkService.fingerprint` gives."""

    sources: list[str]
    targets: list[str]
    weights: list[float]
    fingerprint: str


class NetworkService(Service):
    def list(self) -> list[NetworkInfo]:
        counts = (select(_T.c.network_id, func.count().label("n"))
                  .group_by(_T.c.network_id).subquery())
        query = (select(_N, func.coalesce(counts.c.n, 0).label("n"))
                 .outerjoin(counts, counts.c.network_id == _N.c.id).order_by(_N.c.id))
        with self.project.read() as conn:
            rows = conn.execute(query).mappings().all()
        return [NetworkInfo(r["id"], r["name"], r["type"] or "", r["date"], r["n"],
                            bool(r["directed"]), r["source_file"] or "") for r in rows]

    def find(self, name: str) -> NetworkInfo | None:
        return next((n for n in self.list() if n.name == name), None)

    def add(self, name: str, ties: Sequence[Tie], *, type: str = "", date: dt.date | None = None,
            directed: bool = True, source_file: str = "", label: str | None = None) -> int:
        """Store a new network and its ties (bulk insert) as one undoable edit."""
        if not name.strip():
            raise WorkbenchError("A network needs a name.")
        if self.find(name) is not None:
            raise WorkbenchError(f"A network named {name!r} already exists.")
        with self.project.edit(label or f"Import network {name}") as w:
            network_id = w.insert("network", {"name": name, "type": type, "date": date,
                                              "directed": directed, "source_file": source_file})
            w.insert_columns("tie", {"network_id": [network_id] * len(ties),
                                     "source": [t.source for t in ties],
                                     "target": [t.target for t in ties],
                                     "weight": [t.weight for t in ties]})
        return network_id

    def ties(self, network_id: int) -> builtins.list[Tie]:
        info = self._info(network_id)
        return [Tie(s, t, w if w is not None else 1.0, info.type)
                for s, t, w in zip(*self._tie_lists(network_id), strict=True)]

    def tie_columns(self, network_id: int) -> TieColumns:
        """The ties as columns read in one query: no Tie object per row, and the fingerprint
        without reading the ties a second time."""
        sources, targets, weights = self._tie_lists(network_id)
        return TieColumns(sources, targets, [1.0 if w is None else w for w in weights],
                          _fingerprint(sources, targets, weights))

    def _tie_lists(self, network_id: int
                   ) -> tuple[builtins.list[str], builtins.list[str], builtins.list[float | None]]:
        """Sources, targets and weights (None where missing) in stored order."""
        rows = self._fetch_rows("SELECT source, target, weight FROM tie WHERE network_id = ? "
                                "ORDER BY id", (network_id,))
        return tuple(list(map(itemgetter(i), rows)) for i in range(3))  # type: ignore[return-value]

    def rename(self, network_id: int, name: str) -> None:
        other = self.find(name)
        if other is not None and other.id != network_id:
            raise WorkbenchError(f"A network named {name!r} already exists.")
        with self.project.edit(f"Rename network to {name}") as w:
            w.update("network", network_id, {"name": name})

    def update(self, network_id: int, **values) -> None:
        with self.project.edit("Edit network") as w:
            w.update("network", network_id, values)

    def remove(self, network_id: int) -> None:
        info = self._info(network_id)
        with self.project.edit(f"Delete network {info.name}") as w:
            w.delete_where("analysis_cache", _C.c.network_id == network_id)
            w.delete_where("tie", _T.c.network_id == network_id)
            w.delete("network", network_id)

    def fingerprint(self, network_id: int) -> str:
        """A digest of the network's ties; cached analysis is valid while it is unchanged."""
        return _fingerprint(*self._tie_lists(network_id))

    def cached(self, network_id: int, key: str, fingerprint: str) -> bytes | None:
        with self.project.read() as conn:
            row = conn.execute(select(_C.c.fingerprint, _C.c.payload).where(
                _C.c.network_id == network_id, _C.c.key == key)).first()
        return row[1] if row is not None and row[0] == fingerprint else None

    def store_cache(self, network_id: int, key: str, fingerprint: str, payload: bytes) -> None:
        """Keep a computed result; written outside the undo history (it is derived data).

        On a read-only project file or a full disk the result is simply not kept: it is
        computed again next time, and analysing never needs to write.
        """
        try:
            with self.project._write_lock, self.project.engine.begin() as conn:
                conn.execute(_C.delete().where(_C.c.network_id == network_id, _C.c.key == key))
                conn.execute(_C.insert().values(network_id=network_id, key=key,
                                                fingerprint=fingerprint, payload=payload))
        except (DBAPIError, sqlite3.Error) as exc:
            if sqlite_code(exc) not in (SQLITE_READONLY, SQLITE_FULL):
                raise

    def _info(self, network_id: int) -> NetworkInfo:
        info = next((n for n in self.list() if n.id == network_id), None)
        if info is None:
            raise WorkbenchError(f"No network with id {network_id}.")
        return info


def _fingerprint(sources: Sequence[str], targets: Sequence[str],
                 weights: Sequence[float | None]) -> str:
    """Digest of a network's ties in stored order (a missing weight differs from any number)."""
    digest = hashlib.sha256()
    for ids in (sources, targets):
        digest.update("\x1f".join(ids).encode())
        digest.update(b"\x1e")
    digest.update(array("d", [math.nan if w is None else w for w in weights]).tobytes())
    return digest.hexdigest()
