"""Which file column feeds which standard field: guessed from header names, saved for reuse."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.model import STANDARD_PERSON_FIELDS

TIE_FIELDS = ("source", "target", "weight", "type")
# the customer-learning lab's files (workbench.core.learning): an insight log, customer evidence
INSIGHT_FIELDS = ("source", "segment", "summary", "received_on", "received_by", "can_act",
                  "action_taken", "acted_on", "result", "loop_closed", "via_gatekeeper")
EVIDENCE_FIELDS = ("segment", "kind", "value", "unit", "period", "source", "target")
FIELDS = {"people": STANDARD_PERSON_FIELDS, "ties": TIE_FIELDS, "insights": INSIGHT_FIELDS,
          "evidence": EVIDENCE_FIELDS}
REQUIRED = {"people": ("id",), "ties": ("source", "target"),
            "insights": ("source", "segment", "summary", "received_on", "received_by"),
            "evidence": ("segment", "kind", "value")}

# Header names (compared without case, accents, spaces or punctuation) that mean a field;
# the first name of each list is the standard one and wins over the others.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id", "personid", "employeeid", "empid", "employeenumber", "employeeno", "staffid",
           "staffnumber", "personnelnumber", "workerid", "userid", "badgeid"),
    "name": ("name", "fullname", "employeename", "displayname", "personname", "staffname"),
    "email": ("email", "emailaddress", "mail", "workemail", "businessemail"),
    "department": ("department", "dept", "departmentname", "division", "unit", "orgunit",
                   "businessunit", "function", "team"),
    "role": ("role", "jobtitle", "title", "position", "job", "jobrole"),
    "manager_id": ("managerid", "manager", "linemanager", "linemanagerid", "supervisor",
                   "supervisorid", "reportsto", "manageremployeeid", "bossid"),
    "location": ("location", "site", "office", "city", "country", "worklocation"),
    "customer_facing": ("customerfacing", "clientfacing", "frontline", "customercontact"),
    "segment": ("segment", "customersegment", "marketsegment"),
    "source": ("source", "sourceid", "from", "fromid", "ego", "sender", "respondent",
               "respondentid", "nominator", "id1", "node1"),
    "target": ("target", "targetid", "to", "toid", "alter", "receiver", "recipient", "nominee",
               "id2", "node2"),
    "weight": ("weight", "value", "strength", "frequency", "count", "w"),
    "type": ("type", "relation", "relationship", "tietype", "relationtype", "network", "layer"),
}
# Where a field of one kind has other header names than the field of that name in SYNONYMS.
KIND_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "insights": {
        "source": ("source", "insightsource", "sourcetype", "channel", "origin", "insighttype",
                   "camefrom", "heardthrough"),
        "segment": ("segment", "customersegment", "marketsegment", "customergroup",
                    "customertype"),
        "summary": ("summary", "insight", "whatthecustomersaid", "customersaid", "description",
                    "feedback", "details", "comment", "text"),
        "received_on": ("receivedon", "datereceived", "received", "receiveddate", "insightdate",
                        "date", "when"),
        "received_by": ("receivedby", "whoreceivedit", "whoreceived", "receiver", "heardby",
                        "capturedby", "loggedby", "reportedby", "recipient"),
        "can_act": ("canact", "whocanact", "whocanactonit", "canactonit", "actor",
                    "actionowner", "owner", "responsible", "decisionmaker"),
        "action_taken": ("actiontaken", "action", "whatwasdone", "response", "fix"),
        "acted_on": ("actedon", "dateactedon", "dateacted", "actiondate", "acteddate", "datedone",
                     "resolvedon"),
        "result": ("result", "outcome", "effect"),
        "loop_closed": ("loopclosed", "closedtheloop", "closedloop", "customertold",
                        "toldthecustomer", "toldcustomer", "customerinformed"),
        "via_gatekeeper": ("viagatekeeper", "gatekeeper", "throughagatekeeper",
                           "throughgatekeeper", "passedagatekeeper", "passedgatekeeper",
                           "filtered"),
    },
    "evidence": {
        "segment": ("segment", "customersegment", "marketsegment", "customergroup",
                    "customertype"),
        "kind": ("kind", "measure", "measurekind", "metric", "indicator", "measuretype", "kpi"),
        "value": ("value", "figure", "score", "actual", "result", "amount"),
        "unit": ("unit", "units", "unitofmeasure", "uom"),
        "period": ("period", "quarter", "month", "timeperiod", "asof", "date"),
        "source": ("source", "datasource", "origin", "system", "from"),
        "target": ("target", "servicelevel", "targetvalue", "goal"),
    },
}


def header_key(name: str) -> str:
    """A header name reduced for comparison: "Manager-ID " and "managerId" give "managerid"."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return re.sub(r"[^0-9a-z]", "", "".join(c for c in folded if not unicodedata.combining(c)))


@dataclass
class ColumnMapping:
    """``columns`` maps a standard field to the file column that holds it.

    For people, file columns that are neither mapped nor listed in ``ignored`` are kept as
    extra attributes.
    """

    kind: str
    columns: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind not in FIELDS:
            raise WorkbenchError(f"unknown mapping kind {self.kind!r}; use "
                                 f"{', '.join(FIELDS)}.")
        unknown = sorted(set(self.columns) - set(FIELDS[self.kind]))
        if unknown:
            raise WorkbenchError(f"the {self.kind} mapping names unknown fields: "
                                 f"{', '.join(unknown)}.")

    def to_dict(self) -> dict[str, Any]:
        """Plain data for saving in the project (JSON or YAML)."""
        return {"kind": self.kind, "columns": dict(self.columns), "ignored": list(self.ignored)}

    @classmethod
    def from_dict(cls, data: Any) -> ColumnMapping:
        """Rebuild a saved mapping; :class:`WorkbenchError` when the data is malformed."""
        if not isinstance(data, dict):
            raise WorkbenchError("a saved column mapping must be a mapping of settings.")
        columns = data.get("columns", {})
        ignored = data.get("ignored", [])
        if not (isinstance(columns, dict)
                and all(isinstance(k, str) and isinstance(v, str) for k, v in columns.items())):
            raise WorkbenchError("a saved column mapping has malformed 'columns'.")
        if not (isinstance(ignored, list) and all(isinstance(c, str) for c in ignored)):
            raise WorkbenchError("a saved column mapping has malformed 'ignored'.")
        return cls(str(data.get("kind", "")), dict(columns), list(ignored))

    def missing_required(self) -> list[str]:
        """Required fields that have no column yet."""
        return [f for f in REQUIRED[self.kind] if f not in self.columns]

    def indexes(self, table_columns: Sequence[str], file: str) -> dict[str, int]:
        """Field -> column position in a table; :class:`WorkbenchError` if it does not fit."""
        missing = self.missing_required()
        if missing:
            raise WorkbenchError(
                f"{file}: no column chosen for {', '.join(missing)}; the file's columns are "
                f"{', '.join(table_columns)}.")
        position = {name: i for i, name in enumerate(table_columns)}
        absent = [c for c in self.columns.values() if c not in position]
        if absent:
            columns = "column" if len(absent) == 1 else "columns"
            raise WorkbenchError(f"{file}: the mapping uses {columns} {', '.join(absent)}, "
                                 "which the file does not have.")
        return {f: position[c] for f, c in self.columns.items()}


def guess_mapping(table_columns: Sequence[str], kind: str) -> ColumnMapping:
    """Map each standard field of ``kind`` to the best-named column (each column used once)."""
    fields = FIELDS.get(kind, ())
    synonyms = {name: KIND_SYNONYMS.get(kind, {}).get(name) or SYNONYMS[name] for name in fields}
    candidates = []
    for index, column in enumerate(table_columns):
        key = header_key(column)
        for name in fields:
            if key in synonyms[name]:
                candidates.append((synonyms[name].index(key), index, name, column))
    mapping = ColumnMapping(kind)
    used: set[str] = set()
    for _, _, name, column in sorted(candidates):
        if name not in mapping.columns and column not in used:
            mapping.columns[name] = column
            used.add(column)
    return mapping


def columns_fit(columns: Sequence[str], kind: str, mapping: ColumnMapping | None = None) -> bool:
    """Whether ``columns`` hold every required field of ``kind``: by ``mapping`` when given,
    else by the guessed mapping."""
    mapping = mapping or guess_mapping(columns, kind)
    return not mapping.missing_required() and set(mapping.columns.values()) <= set(columns)
