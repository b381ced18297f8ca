"""The engagement: client, consultant, dates, target step, privacy threshold."""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from workbench.core.errors import WorkbenchError
from workbench.core.model import Engagement, default_end_date
from workbench.core.services.base import Service
from workbench.core.store.schema import EngagementRow

MIN_GROUP_FLOOR = 3
_FIELDS = tuple(f.name for f in dataclasses.fields(Engagement))


class EngagementService(Service):
    def get(self) -> Engagement:
        t = EngagementRow.__table__
        with self.project.read() as conn:
            row = conn.execute(select(t).where(t.c.id == 1)).mappings().one()
        return Engagement(**{k: row[k] for k in _FIELDS})

    def uuid(self) -> str:
        t = EngagementRow.__table__
        with self.project.read() as conn:
            return conn.execute(select(t.c.uuid).where(t.c.id == 1)).scalar_one()

    def update(self, label: str = "Edit engagement", **values) -> None:
        unknown = set(values) - set(_FIELDS)
        if unknown:
            raise WorkbenchError(f"Unknown engagement fields: {', '.join(sorted(unknown))}")
        if "min_group_size" in values and int(values["min_group_size"]) < MIN_GROUP_FLOOR:
            raise WorkbenchError(
                f"The minimum group size cannot be below {MIN_GROUP_FLOOR} (privacy floor)."
            )
        if "target_step" in values and not 1 <= int(values["target_step"]) <= 5:
            raise WorkbenchError("The target step must be between 1 and 5.")
        if values.get("start_date") and "end_date" not in values:
            # An end date nobody chose (none, or the 100-day default) follows the start.
            old = self.get()
            if old.end_date is None or old.end_date == old.start_date or (
                    old.start_date and old.end_date == default_end_date(old.start_date)):
                values["end_date"] = default_end_date(values["start_date"])
        with self.project.edit(label) as w:
            w.update("engagement", 1, values)
