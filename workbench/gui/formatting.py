"""One way to show dates on screen: the system locale's short date.

Files and data keep ISO dates (YYYY-MM-DD); everything the GUI shows goes through
:func:`short_date`, and every date field is made by :func:`date_edit` (or set up with
:func:`use_short_dates`), so a user sees one format throughout.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime
from PySide6.QtWidgets import QDateEdit, QWidget


def qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def short_date(value: dt.date | dt.datetime | None, empty: str = "") -> str:
    """``value`` in the locale's short date format ("05/01/2026", "1/5/26"…); ``empty``
    for no date."""
    if value is None:
        return empty
    if isinstance(value, dt.datetime):
        value = value.date()
    return QLocale().toString(qdate(value), QLocale.ShortFormat)


def short_datetime(value: dt.datetime | None, empty: str = "") -> str:
    """Date and time in the locale's short formats."""
    if value is None:
        return empty
    moment = QDateTime(qdate(value.date()), QTime(value.hour, value.minute, value.second))
    return QLocale().toString(moment, QLocale.ShortFormat)


def date_range(start: dt.date, end: dt.date) -> str:
    return f"{short_date(start)} to {short_date(end)}"


def edit_format() -> str:
    """The display format of date fields: the locale's short date, with the year in full
    so that typing a date can never land in the wrong century."""
    form = QLocale().dateFormat(QLocale.ShortFormat)
    return form if "yyyy" in form else form.replace("yy", "yyyy")


def use_short_dates(edit: QDateEdit) -> QDateEdit:
    edit.setDisplayFormat(edit_format())
    edit.setCalendarPopup(True)
    return edit


def date_edit(value: dt.date | QDate | None = None, parent: QWidget | None = None) -> QDateEdit:
    """A date field in the locale's short format with a calendar pop-up (today if no date)."""
    edit = use_short_dates(QDateEdit(parent))
    if isinstance(value, dt.date):
        value = qdate(value)
    edit.setDate(value or QDate.currentDate())
    return edit
