"""Safety helpers shared by every workbook writer and reader in the app.

Writing: text is always stored as a *string cell*, so a spreadsheet never evaluates text that
looks like a formula (``=SUM(A1)``, ``+1``, ``-2``, ``@x``, leading tab or CR). A leading
apostrophe would not help: openpyxl and XlsxWriter store it as part of the text. Instead:

* openpyxl: :func:`set_openpyxl_cell` assigns the value and forces ``data_type = "s"``
  (openpyxl would otherwise mark any text starting with ``=`` as a formula);
* XlsxWriter: create workbooks with :data:`XLSXWRITER_OPTIONS` and write cells with
  :func:`write_xlsxwriter_cell`, which calls ``write_string`` for text (``write`` would turn
  ``=...`` into a formula).

CSV has no cell types, so :func:`safe_csv_value` applies the same rule there the only way CSV
can: text starting with one of :data:`FORMULA_START` gets a leading apostrophe, which
spreadsheet programs read as "this is text" (plain numbers such as ``-0.5`` are left alone).

Characters XML cannot hold (NUL and the other C0 controls except tab, LF and CR) are removed,
and text longer than Excel's 32,767-character cell limit is shortened with a visible marker;
both are reported through the returned notice, never done silently.

Reading: workbooks from outside are untrusted. :func:`check_untrusted_xlsx` looks at the zip
directory before anything is decompressed (Python's zipfile never inflates a member beyond its
declared size, so the declared sizes are a real bound), :func:`open_untrusted_workbook` opens it
read-only (openpyxl parses the XML with defusedxml when it is installed, as it is here) and
:func:`iter_untrusted_rows` ignores the sheet's declared dimension and caps the row count.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from workbench.core.errors import Problem, WorkbenchError
from workbench.core.wording import count

MAX_CELL_CHARS = 32_767
MAX_SHEET_TITLE = 31
DEFAULT_MAX_UNCOMPRESSED = 512 * 1024 * 1024
DEFAULT_MAX_RATIO = 200
RATIO_CHECK_FROM_BYTES = 1024 * 1024  # small members may compress very well without harm
DEFAULT_MAX_ROWS = 1_000_000

XLSXWRITER_OPTIONS: dict[str, bool | str] = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "nan_inf_to_errors": False,
    "default_date_format": "yyyy-mm-dd hh:mm",
}
"""Pass as ``xlsxwriter.Workbook(path, XLSXWRITER_OPTIONS)`` so ``write()`` never guesses."""

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML 1.0 cannot hold (so neither can .xlsx, GraphML or GEXF)."""
_TITLE_ILLEGAL = re.compile(r"[\[\]:*?/\\]")
_NEEDS_CLEANING = re.compile("[\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

CellValue = str | int | float | bool | dt.date | dt.datetime | None

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Text starting with one of these may be evaluated as a formula by a spreadsheet program."""
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula (a plain number never is)."""
    return text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text)


def safe_csv_value(value: Any) -> Any:
    """``value`` for a CSV cell: formula-like text (see :data:`FORMULA_START`) gets a leading
    apostrophe so a spreadsheet shows it as text; everything else is returned unchanged."""
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def unescape_csv_value(text: str) -> str:
    """The text :func:`safe_csv_value` was given: a CSV cell read back without its apostrophe."""
    if text.startswith("'") and looks_like_formula(text[1:]):
        return text[1:]
    return text


class SafeCell(NamedTuple):
    """A value ready to write, and a notice when it had to be changed (else ``None``)."""

    value: CellValue
    notice: str | None


def safe_cell_text(value: Any) -> SafeCell:
    """Clean one value for writing; the writers below then store any text as a string cell.

    Turns CR/CRLF line ends into LF (what Excel uses, and what XML parsing would do anyway),
    removes characters XML cannot hold, shortens text over 32,767 characters with a marker
    saying how much was left out, and writes non-finite numbers as text. Other types
    (numbers, booleans, dates, ``None``) pass through; anything else becomes ``str(value)``.
    """
    if value is None or isinstance(value, bool | int | dt.date):
        return SafeCell(value, None)
    if isinstance(value, float):
        if math.isfinite(value):
            return SafeCell(value, None)
        return SafeCell(str(value), f"non-finite number {value} written as text")
    text = value if isinstance(value, str) else str(value)
    if is_clean_text(text):
        return SafeCell(text, None)
    notices = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as Excel stores line breaks
    cleaned, removed = XML_ILLEGAL.subn("", text)
    if removed:
        notices.append(f"removed {count(removed, 'control character')} a spreadsheet cannot hold")
    if len(cleaned) > MAX_CELL_CHARS:
        width = len(str(len(cleaned)))
        kept = MAX_CELL_CHARS - len(f" […{'9' * width} more characters not shown]")
        marker = f" […{len(cleaned) - kept} more characters not shown]"
        cleaned = cleaned[:kept] + marker
        notices.append(f"text longer than {MAX_CELL_CHARS} characters was shortened (marked)")
    return SafeCell(cleaned, "; ".join(notices) or None)


def is_clean_text(text: str) -> bool:
    """Whether :func:`safe_cell_text` leaves ``text`` as it is (a quick test for each cell of
    a large sheet: no CR, no character XML cannot hold, not over the cell limit)."""
    return len(text) <= MAX_CELL_CHARS and not _NEEDS_CLEANING.search(text)


def set_openpyxl_cell(cell: Any, value: Any) -> str | None:
    """Set an openpyxl cell (normal or write-only) safely; returns the notice, if any."""
    safe = safe_cell_text(value)
    cell.value = safe.value
    if isinstance(safe.value, str):
        cell.data_type = "s"
    return safe.notice


def write_xlsxwriter_cell(
    worksheet: Any, row: int, col: int, value: Any, cell_format: Any = None
) -> str | None:
    """Write one XlsxWriter cell with the type-specific method; returns the notice, if any."""
    safe = safe_cell_text(value)
    v = safe.value
    if v is None:
        worksheet.write_blank(row, col, None, cell_format)
    elif isinstance(v, str):
        worksheet.write_string(row, col, v, cell_format)
    elif isinstance(v, bool):
        worksheet.write_boolean(row, col, v, cell_format)
    elif isinstance(v, int | float):
        worksheet.write_number(row, col, v, cell_format)
    else:
        worksheet.write_datetime(row, col, v, cell_format)
    return safe.notice


def safe_sheet_title(title: str, existing: Any = ()) -> str:
    """A valid, unique sheet title: at most 31 (UTF-16) characters, none of ``[]:*?/\\``.

    Forbidden characters become ``_``, leading/trailing apostrophes are dropped, an empty
    title becomes ``Sheet``, and a clash with ``existing`` (compared case-insensitively, as
    Excel does) gets a `` (2)``-style suffix that still fits.
    """
    clean = XML_ILLEGAL.sub("", _TITLE_ILLEGAL.sub("_", title)).strip().strip("'").strip()
    if not clean:
        clean = "Sheet"
    elif clean.lower() == "history":  # Excel reserves this name
        clean += "_"
    taken = {name.lower() for name in existing}
    candidate = _fit_utf16(clean, MAX_SHEET_TITLE).rstrip("'")
    number = 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate = _fit_utf16(clean, MAX_SHEET_TITLE - len(suffix)).rstrip(" '") + suffix
        number += 1
    return candidate


def _fit_utf16(text: str, limit: int) -> str:
    """Longest prefix of ``text`` within ``limit`` UTF-16 units (Excel's way of counting)."""
    while len(text.encode("utf-16-le")) // 2 > limit:
        text = text[:-1]
    return text


def check_untrusted_xlsx(
    path: str | os.PathLike[str],
    max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED,
    max_ratio: float = DEFAULT_MAX_RATIO,
) -> None:
    """Refuse a file that is not a plain .xlsx or whose zip directory looks like a zip bomb.

    Raises :class:`WorkbenchError` naming the file. Nothing is decompressed here.
    """
    name = Path(path).name
    try:
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise WorkbenchError(f"{name}: cannot read the file ({exc.strerror or exc}).") from exc
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbenchError(
            f"{name}: this is an old-style .xls or a password-protected workbook; "
            "save it as an unprotected .xlsx and try again."
        )
    if not zipfile.is_zipfile(path):
        raise WorkbenchError(f"{name}: not an Excel workbook (.xlsx).")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbenchError(f"{name}: damaged workbook ({exc}).") from exc
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > max_uncompressed or total > max_uncompressed:
            raise WorkbenchError(
                f"{name}: declares more than {max_uncompressed:,} bytes of content "
                f"(part {member.filename!r}); refused as a possible zip bomb."
            )
        if member.file_size >= RATIO_CHECK_FROM_BYTES and ratio > max_ratio:
            raise WorkbenchError(
                f"{name}: part {member.filename!r} expands {ratio:.0f} times; "
                "refused as a possible zip bomb."
            )
    if "xl/workbook.xml" not in {m.filename for m in members}:
        raise WorkbenchError(f"{name}: a zip file, but not an Excel workbook (.xlsx).")


def open_untrusted_workbook(path: str | os.PathLike[str], **check: Any) -> Any:
    """Check ``path`` with :func:`check_untrusted_xlsx`, then open it read-only, values only.

    The caller must ``close()`` the workbook. Raises :class:`WorkbenchError` naming the file.
    """
    from openpyxl import load_workbook  # heavy import, only when a workbook is read

    check_untrusted_xlsx(path, **check)
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged parts
        raise WorkbenchError(f"{Path(path).name}: damaged workbook ({exc}).") from exc


class ProblemSink(Protocol):
    """Where problems go: a list, or a log that keeps the first few of each kind."""

    def append(self, problem: Problem, /) -> None: ...


def iter_untrusted_rows(
    worksheet: Any, file: str, problems: ProblemSink, max_rows: int = DEFAULT_MAX_ROWS
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """Yield ``(row_number, values)`` of a sheet, ignoring its declared dimension.

    Rows beyond ``max_rows`` are not read (an error :class:`Problem` says so); when the sheet
    declared a different number of rows than it holds, a warning is added after the last row.
    Reading a damaged sheet raises :class:`WorkbenchError` naming file and sheet.
    """
    declared = worksheet.max_row
    if hasattr(worksheet, "reset_dimensions"):  # read-only sheets trust <dimension> otherwise
        worksheet.reset_dimensions()
    last = 0
    try:
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number > max_rows:
                problems.append(Problem(
                    file, "too_many_rows",
                    f"sheet {worksheet.title!r} has more than {max_rows:,} rows; "
                    "the rest was not read", row=number,
                ))
                return
            last = number
            yield number, tuple(values)
    except Exception as exc:  # damaged sheet XML, bad cell values
        raise WorkbenchError(f"{file}: sheet {worksheet.title!r} is damaged ({exc}).") from exc
    if declared is not None and declared != last:
        problems.append(Problem(
            file, "misdeclared_dimension",
            f"sheet {worksheet.title!r} declares {count(declared, 'row')} but holds {last:,}; "
            "all rows present were read", severity="warning",
        ))


@contextlib.contextmanager
def atomic_output(
    path: str | os.PathLike[str], protected: str | os.PathLike[str] | None = None
) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success it replaces ``path`` atomically.

    On an exception the temporary file is removed and any old ``path`` is left untouched.
    Refuses (``WorkbenchError``) a ``path`` that is the ``protected`` file, e.g. the open
    project, or whose folder does not exist.
    """
    target = Path(path)
    if protected is not None and _same_file(target, Path(protected)):
        raise WorkbenchError(
            f"{target.name}: this is the open project file; choose another file name."
        )
    if not target.parent.is_dir():
        raise WorkbenchError(f"{target.name}: the folder {target.parent} does not exist.")
    if target.is_dir():
        raise WorkbenchError(f"{target}: this is a folder; give a file name.")
    try:
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise WorkbenchError(f"{target.name}: cannot write in {target.parent} ({exc}).") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, target)  # an OSError here is put into words below
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, Exception) and not isinstance(exc, WorkbenchError):
            from workbench.core.failures import storage_error

            mapped = storage_error(exc, target, project_file=False)  # e.g. a full disk
            if mapped is not None:
                raise mapped from exc
        raise


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.normcase(a.resolve()) == os.path.normcase(b.resolve())
