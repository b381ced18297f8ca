"""Project-level settings (saved column mappings, privacy switches, thresholds)."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import func, insert, select

from workbench.core.services.base import Service
from workbench.core.signing import KEY_BYTES, SIGNING_KEY_SETTING
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

    def signing_key(self) -> bytes:
        """The project's secret for signing the workbooks it sends out, made on first use.

        The key lives in the project file only. It is written outside the undo history, so
        no undo can take it away from workbooks already sent; its row gets a negative id,
        which the ids an undo or redo puts back (all positive) can never clash with.
        """
        stored = self.get(SIGNING_KEY_SETTING)
        key = _key_bytes(stored)
        if key is not None:
            return key
        with self.project.edit("Create the workbook signing key") as w:
            stored = w.conn.execute(
                select(_T.c.value).where(_T.c.key == SIGNING_KEY_SETTING)).scalar()
            key = _key_bytes(stored)
            if key is None:
                key = secrets.token_bytes(KEY_BYTES)
                w.conn.execute(_T.delete().where(_T.c.key == SIGNING_KEY_SETTING))
                lowest = w.conn.execute(select(func.min(_T.c.id))).scalar() or 0
                w.conn.execute(insert(_T).values(id=min(lowest, 0) - 1, key=SIGNING_KEY_SETTING,
                                                 value=key.hex()))
        return key


def _key_bytes(stored: Any) -> bytes | None:
    """The key a setting value holds (hex text of :data:`KEY_BYTES` bytes), else ``None``."""
    if not isinstance(stored, str) or len(stored) != 2 * KEY_BYTES:
        return None
    try:
        return bytes.fromhex(stored)
    except ValueError:
        return None
