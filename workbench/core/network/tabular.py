"""Read people and ties tables from CSV or XLSX files, row by row, reporting problems.

CSV files: the encoding (BOM, UTF-8, UTF-16, else cp1252 or a charset-normalizer guess) and the
delimiter (``, ; tab |``, or the one an Excel ``sep=;`` first line declares) are detected unless
given. XLSX files are treated as untrusted (see
:mod:`workbench.core.xlsx_safety`). Either way rows are streamed: :class:`Table` holds an
iterator of ``(row_number, cells)`` where ``row_number`` is the 1-based line (CSV) or sheet row
(XLSX) the user sees, and ``cells`` has exactly one string per column. NUL bytes, undecodable
characters, ragged rows, empty rows and too many rows become :class:`Problem` entries.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from workbench.core import wording
from workbench.core.errors import Problem, WorkbenchError
from workbench.core.xlsx_safety import (
    iter_untrusted_rows,
    open_untrusted_workbook,
    unescape_csv_value,
)

DEFAULT_MAX_ROWS = 2_000_000
DELIMITERS = (",", ";", "\t", "|")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SAMPLE_BYTES = 64 * 1024
PROBLEMS_PER_KIND = 1000

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# charset-normalizer is unreliable on short Western samples (it often answers cp1250 or a DOS
# code page for cp1252 text), so its guess is only taken when it names a non-Latin script.
_NON_LATIN_LANGUAGES = frozenset({
    "Russian", "Ukrainian", "Bulgarian", "Serbian", "Macedonian", "Kazakh", "Greek", "Hebrew",
    "Arabic", "Farsi", "Japanese", "Chinese", "Korean", "Thai",
})

Row = tuple[int, list[str]]
# Excel's first line naming the separator, e.g. "sep=;" (possibly followed by more separators)
_EXCEL_SEPARATOR = re.compile(r'"?sep=([^\r\n])"?\1*[ \t]*(?:\r\n|\r|\n|$)', re.IGNORECASE)


class ProblemLog:
    """Problems of one file; keeps the first ``per_kind`` of each kind and counts the rest."""

    def __init__(self, file: str, per_kind: int = PROBLEMS_PER_KIND) -> None:
        self.file = file
        self.per_kind = per_kind
        self.counts: Counter[str] = Counter()
        self._kept: list[Problem] = []
        self._severity: dict[str, str] = {}

    def add(
        self, kind: str, message: str, row: int | None = None, column: str | None = None,
        severity: str = "error",
    ) -> None:
        """Record a problem of this file."""
        self.append(Problem(self.file, kind, message, row, column, severity))

    def append(self, problem: Problem) -> None:
        """Record a ready-made problem (list-compatible, for shared helpers)."""
        self.counts[problem.kind] += 1
        self._severity.setdefault(problem.kind, problem.severity)
        if self.counts[problem.kind] <= self.per_kind:
            self._kept.append(problem)

    def to_list(self) -> list[Problem]:
        """The kept problems, plus one summary line per kind that had more than were kept."""
        summary = [
            Problem(self.file, kind, f"{wording.count(count - self.per_kind, 'more problem')} "
                    "of this kind (not listed one by one)", severity=self._severity[kind])
            for kind, count in self.counts.items() if count > self.per_kind
        ]
        located = sorted(self._kept, key=lambda p: (p.row is None, p.row or 0))
        return located + summary


@dataclass(frozen=True)
class ReadOptions:
    """How to read a table; ``None`` means detect (encoding, delimiter, header) or first sheet."""

    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | int | None = None
    header_row: int | None = None
    max_rows: int = DEFAULT_MAX_ROWS

    def open(self, path: str | os.PathLike[str]) -> Table:
        """:func:`read_table` with these options."""
        return read_table(path, **asdict(self))

    def open_fitting(self, path: str | os.PathLike[str],
                     fits: Callable[[list[str]], bool]) -> Table:
        """:meth:`open`; but when no sheet was chosen and the first sheet of a workbook has
        no columns that ``fits`` accepts (notes, a cover page), the first sheet that does
        (with a warning naming it). Falls back to the first sheet when none fits."""
        if self.sheet is not None or not _is_xlsx(Path(path)):
            return self.open(path)
        # One open workbook for the whole search: reopening it per sheet re-reads the
        # workbook's list of sheets each time, which made a file of 1,000 sheets quadratic.
        workbook = open_untrusted_workbook(path)
        try:
            names = list(workbook.sheetnames)
            found = next((index for index in range(len(names)) if len(names) > 1
                          and _sheet_fits(self, Path(path), workbook, index, fits)), 0)
        finally:
            workbook.close()
        if found == 0:
            return self.open(path)
        table = replace(self, sheet=found).open(path)
        skipped = _shown_names(names[:found])
        table.problems.add("sheet", f"read sheet {names[found]!r}: the sheet(s) before "
                           f"it ({skipped}) lack the needed columns", severity="warning")
        return table


@dataclass
class Table:
    """An open table: header, a one-pass row iterator, and what was detected.

    ``rows`` yields ``(row_number, cells)``; problems found while iterating are added to
    ``problems`` as the rows go by. Use as a context manager (or call :meth:`close`).
    """

    file: str
    columns: list[str]
    header: list[str]
    header_row: int
    rows: Iterator[Row]
    problems: ProblemLog
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheet_names: list[str] = field(default_factory=list)
    fraction_read: Callable[[], float] = lambda: 0.0
    resource: Any = None  # the open file or workbook behind ``rows``

    def close(self) -> None:
        """Stop reading and release the file."""
        close = getattr(self.rows, "close", None)
        if close is not None:
            close()
        if self.resource is not None:
            self.resource.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class Preview:
    """The first rows of a table for the import dialog."""

    columns: list[str]
    rows: list[Row]
    problems: list[Problem]
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    sheet_names: list[str]


def _sheet_fits(options: ReadOptions, path: Path, workbook: Any, index: int,
                fits: Callable[[list[str]], bool]) -> bool:
    """Whether sheet ``index`` of the open ``workbook`` has a header ``fits`` accepts."""
    try:
        table = _read_xlsx(path, index, options.header_row, options.max_rows, workbook)
    except WorkbenchError:  # an empty or chart sheet
        return False
    try:
        return fits(table.columns)
    finally:
        table.close()


def _shown_names(names: list[str], most: int = 10) -> str:
    """``'A', 'B'`` for a few sheet names; the first ``most`` and a count for many."""
    shown = ", ".join(repr(n) for n in names[:most])
    return shown if len(names) <= most else f"{shown} and {len(names) - most:,} more"


def read_table(
    path: str | os.PathLike[str], *, encoding: str | None = None, delimiter: str | None = None,
    sheet: str | int | None = None, header_row: int | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> Table:
    """Open a CSV or XLSX file and read its header; data rows stream from ``Table.rows``.

    ``header_row`` is the 1-based row holding the column names (default: the first non-empty
    row). ``sheet`` is a sheet name or 0-based index (default: the first sheet). At most
    ``max_rows`` data rows are read; more is reported as an error problem. Raises
    :class:`WorkbenchError` for a file that cannot be read at all.
    """
    path = Path(path)
    if delimiter is not None and len(delimiter) != 1:
        raise WorkbenchError(f"{path.name}: the separator must be one character.")
    if _is_xlsx(path):
        return _read_xlsx(path, sheet, header_row, max_rows)
    return _read_csv(path, encoding, delimiter, header_row, max_rows)


def preview(path: str | os.PathLike[str], n: int = 20, **options: Any) -> Preview:
    """Header, the first ``n`` data rows and the problems met so far (for the import dialog)."""
    with read_table(path, **options) as table:
        rows = [row for _, row in zip(range(n), table.rows, strict=False)]
        return Preview(table.columns, rows, table.problems.to_list(), table.encoding,
                       table.delimiter, table.sheet, table.sheet_names)


# --- detection -------------------------------------------------------------------------------


def _is_xlsx(path: Path) -> bool:
    if path.suffix.lower() in XLSX_SUFFIXES:
        return True
    try:
        with open(path, "rb") as handle:
            return handle.read(4) == b"PK\x03\x04"
    except OSError as exc:
        raise WorkbenchError(f"{path.name}: cannot read the file ({exc.strerror or exc}).") from exc


def detect_encoding(sample: bytes, complete: bool) -> str:
    """Best encoding for a CSV sample; ``complete`` says the sample is the whole file."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return utf16
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # imported only for non-UTF-8 files

    best = from_bytes(sample).best()
    if best is not None and best.language in _NON_LATIN_LANGUAGES:
        return best.encoding
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return best.encoding if best is not None else "latin-1"


def _utf16_without_bom(sample: bytes) -> str | None:
    head = sample[:4096]
    half = len(head) // 2
    if half < 2:
        return None
    even_nul = head[0::2].count(0) / half
    odd_nul = head[1::2].count(0) / half
    if odd_nul > 0.4 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.4 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def detect_delimiter(text: str, complete: bool = True) -> str:
    """The delimiter among ``, ; tab |`` that splits the sample lines most consistently.

    ``complete=False`` says the sample was cut, so its last line is ignored.
    """
    lines = text.splitlines()
    lines = lines[:200] if complete or len(lines) < 2 else lines[:-1][:200]
    best, best_score = ",", (False, 0.0, 0)
    for candidate in DELIMITERS:
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=candidate) if any(r)]
        except csv.Error:
            continue
        if not counts:
            continue
        width, hits = max(Counter(counts).items(), key=lambda item: (item[1], item[0]))
        score = (width > 1, hits / len(counts), width)
        if score > best_score:
            best, best_score = candidate, score
    return best


# --- CSV -------------------------------------------------------------------------------------


def read_sample(path: Path) -> tuple[bytes, bool]:
    """The first :data:`SAMPLE_BYTES` of a file and whether they are the whole file."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            sample = handle.read(SAMPLE_BYTES)
    except OSError as exc:
        raise WorkbenchError(f"{path.name}: cannot read the file ({exc.strerror or exc}).") from exc
    return sample, len(sample) >= size


def _read_csv(
    path: Path, encoding: str | None, delimiter: str | None, header_row: int | None,
    max_rows: int,
) -> Table:
    sample, complete = read_sample(path)
    encoding = encoding or detect_encoding(sample, complete)
    try:
        codec = codecs.lookup(encoding)
    except LookupError as exc:
        raise WorkbenchError(f"{path.name}: unknown encoding {encoding!r}.") from exc
    if not getattr(codec, "_is_text_encoding", True):  # e.g. rot13, base64
        raise WorkbenchError(f"{path.name}: {encoding!r} is not a text encoding.")
    text = codec.incrementaldecoder(errors="replace").decode(sample, final=complete)
    declared = _EXCEL_SEPARATOR.match(text.lstrip("\ufeff"))
    if declared:
        text = text.lstrip("\ufeff")[declared.end():]
    delimiter = delimiter or (declared and declared[1]) or detect_delimiter(text, complete)

    problems = ProblemLog(path.name)
    binary = open(path, "rb")  # noqa: SIM115 - closed by Table.close()
    stream = io.TextIOWrapper(binary, encoding=encoding, errors="replace", newline="")
    records = _csv_records(csv.reader(stream, delimiter=delimiter), path.name)
    if declared:  # the "sep=;" line Excel writes is not the header; rows keep their numbers
        next(records, None)
    try:
        table = _start_table(path.name, records, problems, header_row, max_rows,
                             text_file=True)
    except BaseException:
        stream.close()
        raise
    table.resource, table.encoding, table.delimiter = stream, encoding, delimiter
    size = os.fstat(binary.fileno()).st_size
    table.fraction_read = lambda: binary.tell() / size if size and not binary.closed else 1.0
    return table


def _cleaned_text(cells: list[str], row: int, problems: ProblemLog) -> list[str]:
    """Cells without NUL characters; NULs and undecodable bytes (U+FFFD) reported."""
    joined = "".join(cells)
    if "\ufffd" in joined:
        problems.add("encoding", "characters that do not fit the file's encoding were "
                     "replaced by \ufffd; choose the encoding if names look wrong",
                     row=row, severity="warning")
    if "\x00" in joined:
        problems.add("nul_bytes", "NUL characters removed from this row (is the file binary "
                     "or in another encoding?)", row=row, severity="warning")
        return [cell.replace("\x00", "") for cell in cells]
    return cells


def _csv_records(reader: Any, file: str) -> Iterator[Row]:
    """CSV records with the line each one starts on."""
    start = 1
    try:
        for record in reader:
            yield start, record
            start = reader.line_num + 1
    except csv.Error as exc:
        raise WorkbenchError(f"{file}: row {start}: cannot read this row ({exc}).") from exc


# --- XLSX ------------------------------------------------------------------------------------


def _read_xlsx(path: Path, sheet: str | int | None, header_row: int | None,
               max_rows: int, opened: Any = None) -> Table:
    """A table on one sheet; ``opened`` is a workbook already open (left open on close)."""
    workbook = open_untrusted_workbook(path) if opened is None else opened
    try:
        names = list(workbook.sheetnames)
        worksheet = _choose_sheet(workbook, names, sheet, path.name)
        problems = ProblemLog(path.name)
        declared = worksheet.max_row or 0
        raw = iter_untrusted_rows(worksheet, path.name, problems, max_rows=max_rows + 1)
        position = [0]
        texts = _xlsx_text_rows(raw, position)
        table = _start_table(path.name, texts, problems, header_row, max_rows,
                             text_file=False)
    except BaseException:
        if opened is None:
            workbook.close()
        raise
    table.resource = workbook if opened is None else None
    table.sheet, table.sheet_names = worksheet.title, names
    table.fraction_read = lambda: min(position[0] / declared, 1.0) if declared else 0.0
    return table


def _choose_sheet(workbook: Any, names: list[str], sheet: str | int | None, file: str) -> Any:
    if sheet is None:
        sheet = 0
    if isinstance(sheet, int):
        if not 0 <= sheet < len(names):
            raise WorkbenchError(f"{file}: there is no sheet number {sheet + 1}.")
        sheet = names[sheet]
    if sheet not in names:
        raise WorkbenchError(
            f"{file}: no sheet named {sheet!r}; the sheets are {', '.join(names)}.")
    worksheet = workbook[sheet]
    if not hasattr(worksheet, "iter_rows"):
        raise WorkbenchError(f"{file}: sheet {sheet!r} is a chart, not a table.")
    return worksheet


def _xlsx_text_rows(raw: Iterator[tuple[int, tuple[Any, ...]]],
                    position: list[int]) -> Iterator[Row]:
    for number, values in raw:
        position[0] = number
        yield number, [cell_text(value) for value in values]


def cell_text(value: Any) -> str:
    """A spreadsheet value as the text a user would type: 1001.0 -> "1001", dates ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


# --- rows shared by both formats ---------------------------------------------------------------


def _start_table(
    file: str, records: Iterator[Row], problems: ProblemLog, header_row: int | None,
    max_rows: int, *, text_file: bool,
) -> Table:
    """Read the header; ``text_file`` turns on the CSV-only checks (NUL, encoding, short)."""
    number, header = _find_header(records, header_row, file)
    if text_file:
        header = _cleaned_text(header, number, problems)
    header = [h.strip() for h in header]
    if header:
        header[0] = header[0].lstrip("\ufeff")
    while header and not header[-1]:
        header.pop()
    if not header:
        raise WorkbenchError(f"{file}: row {number}: the header row has no column names.")
    columns = _unique_columns(header, number, problems)
    rows = _data_rows(records, columns, problems, max_rows, text_file)
    return Table(file, columns, header, number, rows, problems)


def _find_header(records: Iterator[Row], header_row: int | None, file: str) -> Row:
    for number, cells in records:
        if header_row is None and "".join(cells).strip():
            return number, cells
        if header_row is not None and number >= header_row:
            if number > header_row:  # the requested row was inside a multi-line record
                raise WorkbenchError(f"{file}: there is no row {header_row} to use as header.")
            return number, cells
    raise WorkbenchError(f"{file}: the file holds no rows (no header found).")


def _unique_columns(header: list[str], row: int, problems: ProblemLog) -> list[str]:
    columns: list[str] = []
    seen: set[str] = set()
    for index, name in enumerate(header, start=1):
        unique = name or f"column_{index}"
        if unique in seen:
            suffix = 2
            while f"{name} ({suffix})" in seen:
                suffix += 1
            problems.add("duplicate_column", f"column name {name!r} appears more than once; "
                         f"this one is called {name} ({suffix})", row=row, column=name,
                         severity="warning")
            unique = f"{name} ({suffix})"
        seen.add(unique)
        columns.append(unique)
    return columns


def _data_rows(
    records: Iterator[Row], columns: list[str], problems: ProblemLog, max_rows: int,
    text_file: bool,
) -> Iterator[Row]:
    """Rows cut or padded to one cell per column; empty runs, ragged rows (a short row names
    its first missing column) and the cap reported."""
    width = len(columns)
    count = 0
    empty_from = empty_to = 0
    for number, cells in records:
        joined = "".join(cells)
        if text_file and ("\x00" in joined or "\ufffd" in joined):
            cells = _cleaned_text(cells, number, problems)
            joined = "".join(cells)
        if text_file and "'" in joined:  # formula-like text our CSV exports escaped
            cells = [unescape_csv_value(cell) for cell in cells]
        if not joined.strip():
            if not empty_from:
                empty_from = number
            empty_to = number
            continue
        if empty_from:
            _report_empty(problems, empty_from, empty_to)
            empty_from = 0
        count += 1
        if count > max_rows:
            problems.add("too_many_rows", f"more than {max_rows:,} data rows; the rest "
                         "was not read", row=number)
            return
        size = len(cells)
        if size != width:
            if size > width:
                if "".join(cells[width:]).strip():
                    problems.add("ragged_row", f"row has {wording.count(size, 'cell')} but the "
                                 f"header has {wording.count(width, 'column')}; row skipped",
                                 row=number)
                    continue
                cells = cells[:width]
            else:
                if text_file:
                    problems.add("ragged_row", f"row has {wording.count(size, 'cell')} but the "
                                 f"header has {wording.count(width, 'column')}; missing cells "
                                 "left blank", row=number, column=columns[size],
                                 severity="warning")
                cells = cells + [""] * (width - size)
        yield number, cells
    if empty_from:
        _report_empty(problems, empty_from, empty_to)


def _report_empty(problems: ProblemLog, first: int, last: int) -> None:
    span = "empty row" if first == last else f"empty rows {first} to {last}"
    problems.add("empty_row", f"{span} skipped", row=first, severity="warning")
