"""What the insight and evidence importers share: opening a mapped table, reading dates and
choices the way people type them, and writing an accepted import.

Tables come through :mod:`workbench.core.network.tabular` (encodings, separators, untrusted
workbooks, located row problems) and columns through :mod:`workbench.core.network.mapping`
(kinds ``insights`` and ``evidence``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Generic, TypeVar

from workbench.core.errors import Problem
from workbench.core.learning.model import ImportSummary
from workbench.core.network.mapping import ColumnMapping, columns_fit, guess_mapping, header_key
from workbench.core.network.tabular import ReadOptions, Table

if TYPE_CHECKING:
    from workbench.core.project import Project

EARLIEST_YEAR, LATEST_YEAR = 1990, 2100
# Excel counts days from 1899-12-30; five digits cover 1927-05-19 (10000) to 2173-10-14.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL = re.compile(r"\d{5}(?:\.0+)?")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
_WORDY_FORMATS = ("%d %B %Y", "%d %b %Y", "%d-%b-%Y", "%d-%b-%y", "%B %d, %Y", "%b %d, %Y",
                  "%d %b %y")
DATE_HELP = "write it as YYYY-MM-DD or DD/MM/YYYY"

R = TypeVar("R")


@dataclass
class FileImport(Generic[R]):
    """The records a file gives (rows with errors left out), every problem and the mapping."""

    records: list[R]
    problems: list[Problem]
    mapping: ColumnMapping

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


@contextmanager
def mapped_table(path: str | os.PathLike[str], kind: str, mapping: ColumnMapping | None,
                 options: ReadOptions | None) -> Iterator[tuple[Table, ColumnMapping,
                                                                dict[str, int]]]:
    """The open table of ``path`` (the first sheet whose columns fit ``kind``), its mapping
    (guessed when not given) and field -> column position. Raises
    :class:`~workbench.core.errors.WorkbenchError` when required columns are missing."""
    if mapping is not None and mapping.kind != kind:
        raise ValueError(f"a {kind} import needs a {kind} mapping, not {mapping.kind!r}")
    fits = partial(columns_fit, kind=kind, mapping=mapping)
    with (options or ReadOptions()).open_fitting(path, fits) as table:
        mapping = mapping or guess_mapping(table.columns, kind)
        yield table, mapping, mapping.indexes(table.columns, table.file)


def parse_day(text: str) -> dt.date:
    """A date typed in a common way: ISO (``2026-03-05``, with or without a time), day first
    (``05/03/2026``, ``5.3.26``, ``5-3-2026``), with a month name (``5 March 2026``,
    ``05-Mar-2026``) or an Excel day number (``46086``). :class:`ValueError` says why not."""
    text = text.strip()
    try:
        day = dt.datetime.fromisoformat(text).date()
    except ValueError:
        day = _other_day(text)
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise ValueError(f"{text!r} falls in {day.year}; check the date")
    return day


def _other_day(text: str) -> dt.date:
    if _SERIAL.fullmatch(text):
        return _EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    if match := _DAY_FIRST.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
        year += 2000 if year < 100 else 0
        try:
            return dt.date(year, month, day)
        except ValueError:
            hint = " (day first: is it month first?)" if month > 12 >= day else ""
            raise ValueError(f"{text!r} is not a date{hint}; {DATE_HELP}") from None
    for pattern in _WORDY_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date; {DATE_HELP}")


def match_choice(text: str, choices: Sequence[str],
                 aliases: Mapping[str, str] | None = None) -> str | None:
    """The choice ``text`` names, compared without case, spaces or punctuation (a plural
    "s" too); ``aliases`` maps other words (reduced the same way) to choices."""
    key = header_key(text)
    for choice in choices:
        reduced = header_key(choice)
        if key in (reduced, reduced + "s"):
            return choice
    return (aliases or {}).get(key)


def nearest(text: str, choices: Sequence[str]) -> str | None:
    """The choice that looks most like ``text`` (a typo), if any looks close."""
    by_key = {header_key(c): c for c in choices}
    found = difflib.get_close_matches(header_key(text), list(by_key), n=1, cutoff=0.6)
    return by_key[found[0]] if found else None


def unknown_choice(what: str, text: str, choices: Sequence[str]) -> str:
    """``unknown source 'compliant' (did you mean 'complaint'?); use one of: ...``"""
    guess = nearest(text, choices)
    hint = f" (did you mean {guess!r}?)" if guess else ""
    return f"unknown {what} {text!r}{hint}; use one of: {', '.join(choices)}"


def apply_file_import(project: Project, result: FileImport[R], store: Callable[[], ImportSummary],
                      *, label: str, accept_valid: bool) -> ImportSummary:
    """Refuse when ``result`` has errors (unless ``accept_valid``), refuse a damaged project
    file, then save the mapping for next time and call ``store`` in one undoable edit."""
    from workbench.core.failures import check_integrity
    from workbench.core.importing import MAPPING_KEY, refuse_unless_accepted

    refuse_unless_accepted(result.problems, accept_valid)
    check_integrity(project)
    with project.edit(label):  # the store's own edit joins this one: one undo step
        summary = store()
        project.settings.set(MAPPING_KEY.format(kind=result.mapping.kind),
                             result.mapping.to_dict(), label)
    return summary
