"""The Glossary sheet of the plan workbook: every term a reader meets, defined once.

One alphabetical table of the method's terms (:func:`workbench.core.report.method_notes.
glossary`: step, stage, bar, gap...) and the network's (:func:`workbench.core.network.glossary.
terms`: the measures, the whole-network figures, the findings and the brokerage roles), each
with its one-line definition and whether it belongs to the method or the network. The Method
sheet refers here instead of keeping a glossary of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.core.network.glossary import terms
from workbench.core.report.method_notes import glossary

if TYPE_CHECKING:
    from workbench.core.questionnaire.schema import Bar
    from workbench.core.report.data import ReportData
    from workbench.core.report.workbook_writer import _Formats, _Sheet

GLOSSARY_SHEET = "Glossary"
METHOD = "Method"
NETWORK = "Network"


def glossary_rows(bar: Bar) -> list[tuple[str, str, str]]:
    """(term, meaning, part) of every term, in alphabetical order of the term."""
    rows = [(term, meaning, METHOD) for term, meaning in glossary(bar)]
    rows += [(t.label, t.definition, NETWORK) for t in terms()]
    return sorted(rows, key=lambda row: row[0].casefold())


def write_glossary_sheet(sheet: _Sheet, data: ReportData, fmt: _Formats, book: Any) -> None:
    """One row per term under a frozen, filtered header that prints on every page."""
    sheet.columns([30, 100, 12])
    sheet.row(0, ["Term", "Meaning", "Part"], fmt.header)
    rows = glossary_rows(data.method.bar)
    for row, (term, meaning, part) in enumerate(rows, start=1):
        sheet.row(row, [term, meaning, part], [fmt.label, fmt.wrap, fmt.text])
    sheet.finish_table(0, len(rows))
