"""Event-log files: one file or a folder of CSV or Parquet files, their columns mapped to roles.

CSV files may be in any encoding (detected like the roster's, see
:mod:`workbench.core.network.tabular`) with a sniffed delimiter; the engines read UTF-8, so
:func:`utf8_files` gives them transcoded temporary copies of the others, deleted afterwards.
Columns are matched to the roles of :data:`~workbench.core.events.pipeline.ROLES` by their
header names (any case, spacing or punctuation) unless a mapping says which column is which.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.events.pipeline import GROUP_KEYS, REF_ROLES, ROLES
from workbench.core.events.rules import KINDS
from workbench.core.network.mapping import header_key
from workbench.core.network.tabular import detect_delimiter, detect_encoding, read_sample

FORMATS = {".csv": "csv", ".parquet": "parquet"}
UTF8 = ("utf-8", "utf-8-sig", "ascii")
TRANSCODE_CHUNK = 1 << 20
SAMPLE_ROWS = 5000

# Header names (reduced by header_key) that mean a role; earlier names win.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "sender": ("sender", "from", "senderemail", "senderaddress", "fromaddress", "senderid",
               "fromid", "author", "authorid", "user", "userid"),
    "recipients": ("recipients", "recipient", "to", "toaddress", "toaddresses", "recipientemail",
                   "recipientid", "receivers", "receiver", "members", "channelmembers",
                   "participants"),
    "timestamp": ("timestamp", "sent", "senttime", "sentat", "datetime", "time", "datesent",
                  "sentdate", "created", "createdat", "date", "when"),
    "message_id": ("messageid", "msgid", "internetmessageid", "mailid", "emailid", "id"),
    "size": ("size", "sizebytes", "bytes", "messagesize"),
    "organiser": ("organiser", "organizer", "organiserid", "organizerid", "organiseremail",
                  "organizeremail", "host", "owner", "chair"),
    "attendees": ("attendees", "attendee", "participants", "participant", "invitees", "invitee",
                  "guests", "members"),
    "start": ("start", "starttime", "startdatetime", "startsat", "begin", "meetingstart",
              "datetime", "timestamp", "date", "time"),
    "duration": ("duration", "durationminutes", "durationmin", "minutes", "mins", "length"),
    "meeting_id": ("meetingid", "eventid", "calendarid", "meeting", "id"),
    "channel": ("channel", "channelid", "channelname", "chat", "chatid", "thread", "threadid",
                "conversation", "conversationid", "room"),
}


@dataclass(frozen=True)
class EventSource:
    """What to read: the files of one event log and which column holds which role."""

    kind: str
    files: tuple[Path, ...]
    format: str  # "csv" or "parquet"
    columns: dict[str, str]  # role -> column name
    delimiter: str = ","
    header: bool = True
    encodings: tuple[str, ...] = ()  # per CSV file
    display_name: str = ""
    # rows sharing who, when and reference are one event (one row per recipient or attendee);
    # judged on the first rows: without repeats there each row is an event of its own
    grouped: bool = True


def open_source(kind: str, path: str | Path,
                mapping: dict[str, str] | None = None) -> EventSource:
    """The event log at ``path`` (a file, or a folder of all-CSV or all-Parquet files).

    Raises :class:`WorkbenchError` naming the file when it cannot be read, files of a folder
    differ, or a required role has no column.
    """
    if kind not in KINDS:
        raise WorkbenchError(f"unknown kind of events {kind!r}; use one of {', '.join(KINDS)}.")
    path = Path(path)
    files = _files(path)
    fmt = FORMATS[files[0].suffix.lower()]
    display = path.name if path.is_file() else f"{path.name} ({len(files)} files)"
    if fmt == "parquet":
        first, rows = _parquet_sample(files[0])
        headers = [first] + [_parquet_sample(f)[0] for f in files[1:]]
        encodings: tuple[str, ...] = ()
        delimiter = ","
    else:
        sniffed = [_csv_sample(f) for f in files]
        headers = [h for h, _, _, _ in sniffed]
        encodings = tuple(e for _, e, _, _ in sniffed)
        delimiter, rows = sniffed[0][2], sniffed[0][3]
        odd = next((f for f, (_, _, d, _) in zip(files, sniffed, strict=True)
                    if d != delimiter), None)
        if odd is not None:
            raise WorkbenchError(f"{odd.name}: its columns are separated by another character "
                                 f"than {files[0].name}'s; give all files one separator.")
    for file, header in zip(files[1:], headers[1:], strict=True):
        if header != headers[0]:
            raise WorkbenchError(f"{file.name}: its columns ({', '.join(header)}) differ from "
                                 f"{files[0].name}'s ({', '.join(headers[0])}).")
    columns = _map_columns(kind, headers[0], mapping, files[0].name)
    grouped = _repeats(kind, columns, headers[0], rows)
    return EventSource(kind, files, fmt, columns, delimiter, True, encodings, display, grouped)


def _files(path: Path) -> tuple[Path, ...]:
    if path.is_file():
        if path.suffix.lower() not in FORMATS:
            raise WorkbenchError(f"{path.name}: read CSV (.csv) or Parquet (.parquet) files.")
        return (path,)
    if not path.is_dir():
        raise WorkbenchError(f"{path}: no such file or folder.")
    found = sorted(p for p in path.iterdir()
                   if p.is_file() and p.suffix.lower() in FORMATS)
    if not found:
        raise WorkbenchError(f"{path.name}: the folder holds no .csv or .parquet files.")
    kinds = {FORMATS[p.suffix.lower()] for p in found}
    if len(kinds) > 1:
        raise WorkbenchError(f"{path.name}: the folder mixes CSV and Parquet files; put the files "
                             "of one format in a folder of their own.")
    return tuple(found)


def _csv_sample(file: Path) -> tuple[list[str], str, str, list[list[str]]]:
    """(column names, encoding, delimiter, first rows) of a CSV file, from its first bytes."""
    sample, complete = read_sample(file)
    encoding = detect_encoding(sample, complete)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, complete)
    text = text.lstrip("\ufeff")
    delimiter = detect_delimiter(text, complete)
    lines = text.splitlines(keepends=True)
    records = list(csv.reader(lines if complete else lines[:-1], delimiter=delimiter))
    header = [h.strip() for h in records[0]] if records else []
    if not any(header):
        raise WorkbenchError(f"{file.name}: the file is empty or has no header row.")
    return header, encoding, delimiter, records[1:SAMPLE_ROWS + 1]


def _parquet_sample(file: Path) -> tuple[list[str], list[list[str]]]:
    """(column names, first rows as text) of a Parquet file."""
    import duckdb

    try:
        sample = duckdb.sql(f"SELECT * FROM read_parquet(?) LIMIT {SAMPLE_ROWS}",
                            params=[str(file)])
        assert sample is not None  # a SELECT always gives a relation
        return list(sample.columns), [[str(v) for v in row] for row in sample.fetchall()]
    except duckdb.Error as exc:
        raise WorkbenchError(f"{file.name}: not a readable Parquet file ({exc}).") from exc


def _repeats(kind: str, columns: dict[str, str], header: list[str],
             rows: list[list[str]]) -> bool:
    """Whether some rows share who, when and reference: one row per recipient (attendee)."""
    wanted = [header.index(columns[r]) for r in (*GROUP_KEYS[kind], *REF_ROLES[kind])
              if r in columns]
    keys = [tuple(row[i] if i < len(row) else "" for i in wanted) for row in rows]
    return len(set(keys)) < len(keys)


def guess_columns(kind: str, header: list[str]) -> dict[str, str]:
    """Role -> column, from the header names (each column used once, best names first)."""
    required, optional = ROLES[kind]
    candidates = []
    for index, column in enumerate(header):
        key = header_key(column)
        for role in (*required, *optional):
            if key in SYNONYMS[role]:
                candidates.append((SYNONYMS[role].index(key), index, role, column))
    found: dict[str, str] = {}
    for _, _, role, column in sorted(candidates):
        if role not in found and column not in found.values():
            found[role] = column
    return found


def _map_columns(kind: str, header: list[str], mapping: dict[str, str] | None,
                 file: str) -> dict[str, str]:
    required, optional = ROLES[kind]
    columns = dict(mapping) if mapping else guess_columns(kind, header)
    unknown = sorted(set(columns) - set(required) - set(optional))
    if unknown:
        raise WorkbenchError(f"the mapping names {', '.join(unknown)}, which {kind} do not "
                             f"have; use {', '.join((*required, *optional))}.")
    absent = [c for c in columns.values() if c not in header]
    if absent:
        raise WorkbenchError(f"{file}: no column {', '.join(map(repr, absent))}; the file's "
                             f"columns are {', '.join(header)}.")
    missing = [r for r in required if r not in columns]
    if missing:
        raise WorkbenchError(f"{file}: no column for {', '.join(missing)}; the file's columns "
                             f"are {', '.join(header)}. Rename the columns or give a mapping.")
    return columns


@contextlib.contextmanager
def utf8_files(source: EventSource) -> Iterator[list[Path]]:
    """The source's files as UTF-8: the files themselves, or transcoded temporary copies
    (written chunk by chunk, deleted on leaving) of files in other encodings."""
    if source.format != "csv" or all(e in UTF8 for e in source.encodings):
        yield list(source.files)
        return
    folder = Path(tempfile.mkdtemp(prefix="workbench-events-"))
    try:
        paths = []
        for index, (file, encoding) in enumerate(zip(source.files, source.encodings,
                                                     strict=True)):
            if encoding in UTF8:
                paths.append(file)
                continue
            copy = folder / f"{index:05d}-{file.stem}.csv"
            with open(file, encoding=encoding, errors="replace", newline="") as src, \
                    open(copy, "w", encoding="utf-8", newline="") as dst:
                shutil.copyfileobj(src, dst, TRANSCODE_CHUNK)
            paths.append(copy)
        yield paths
    finally:
        shutil.rmtree(folder, ignore_errors=True)
