"""Project-level settings (saved column mappings, privacy switches, thresholds)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from workbench.core.services.base import Service
from workbench.core.store.schema import SettingRow

_T = SettingRow.__table__


class SettingsService(Service):
    def get(self, key: str, default: Any = None) -> Any:
        with self.project.read() as conn:
            row = conn.execute(select(_T.c.value).where(_T.c.key == key)).first()
        return default if row is None else row[0]

    def set(self, key: str, value: Any, label: str | None = None) -> None:
        with self.project.edit(label or f"Change setting {key}") as w:
            pk = w.conn.execute(select(_T.c.id).where(_T.c.key == key)).scalar()
            if pk is None:
                w.insert("setting", {"key": key, "value": value})
            else:
                w.update("setting", pk, {"value": value})
