"""A text sheet of the plan workbook written top to bottom: sections, label-and-text facts,
table headers, running sentences and those that say why a part is empty (the Method, Network findings and
Glossary sheets, and the Summary's blocks)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.core.report.workbook_writer import _Formats, _Sheet


class Lines:
    """Writes rows from ``at`` down, keeping the next free row; ``last`` is the last column
    a section, a fact's text or a sentence spans."""

    def __init__(self, sheet: _Sheet, fmt: _Formats, last: int, at: int = 0) -> None:
        self.sheet, self.fmt, self.last, self.at = sheet, fmt, last, at

    def line(self, values: list[Any], formats: Any, spans: dict[int, int] | None = None
             ) -> None:
        self.sheet.row(self.at, values, formats, spans=spans)
        self.at += 1

    def section(self, title: str) -> None:
        self.at += 1
        self.line([title, *[""] * self.last], self.fmt.section)

    def fact(self, label: str, text: Any) -> None:
        self.line([label, text], [self.fmt.label, self.fmt.wrap], {1: self.last})

    def header(self, names: list[str], spans: dict[int, int] | None = None) -> None:
        self.line(names, self.fmt.header, spans)

    def sentence(self, text: str) -> None:
        """A sentence of running text across the columns up to ``last``."""
        self.line([text], self.fmt.wrap, {0: self.last})

    def why_empty(self, sentence: str) -> None:
        self.line([sentence], self.fmt.note, {0: self.last})
