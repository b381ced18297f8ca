"""What the network shows, in the plan workbook: the Summary's headline block and the
Network findings sheet, both written from :attr:`ReportData.story
<workbench.core.report.data.ReportData.story>` (people already as privacy shows them).

The Network findings sheet: which network and its date, the network in figures (plain words),
then each finding kind with its plain name, what it means, its rule with this network's
numbers and every entry, most unusual first. On the reporting lines it says they are the
formal structure and gives no informal finding. It prints like the Method sheet: landscape,
fit to the page width, wrapped text, the title row on every page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from workbench.core.network.glossary import definition, label
from workbench.core.network.relations import ADVICE, COLLABORATION, how_to_import
from workbench.core.report.glossary_sheet import GLOSSARY_SHEET
from workbench.core.report.sheet_lines import Lines

if TYPE_CHECKING:
    from workbench.core.report.data import NetworkStory, ReportData
    from workbench.core.report.workbook_writer import _Formats, _Sheet

FINDINGS_SHEET = "Network findings"
HEADLINE_TITLE = "What this network shows"
NO_NETWORK = ("No network with ties has been imported yet, so there is nothing to say about "
              "how people work together.")
NOTHING_STANDS_OUT = ("Nothing stands out: no person, department or team is far enough from "
                      f"what is typical here for the headline. The {FINDINGS_SHEET} sheet "
                      "lists every finding.")
TEXT_WIDTH = 96  # characters of the column holding the sentences


def not_named(story: NetworkStory) -> str:
    """Why the story names nobody ("" when it names people)."""
    return "" if story.names_people else (
        "Nobody is named beside a finding: the privacy settings leave individual labels out "
        "beside real names, so each sentence gives the person's department instead.")


def formal_advice() -> str:
    """What to import for informal findings."""
    return (f"For informal findings, {how_to_import(ADVICE)} or "
            f"{how_to_import(COLLABORATION).removeprefix('import ')}.")


def write_headline(out: Lines, data: ReportData) -> None:
    """The Summary's "What this network shows" block: which network and its date, then at
    most five sentences, most telling first, each under its finding's plain name."""
    story = data.story
    out.section(HEADLINE_TITLE)
    if story is None:
        out.why_empty(NO_NETWORK)
        return
    if story.formal:
        out.why_empty(f"{story.caption()}: the formal structure. {' '.join(story.notes)} "
                      f"{formal_advice()}")
        return
    out.why_empty(f"{story.caption()}, most telling first. The {FINDINGS_SHEET} sheet "
                  f"gives every finding with its rule; the {GLOSSARY_SHEET} sheet defines "
                  "each term.")
    for line in story.headline:
        out.fact(label(line.kind), line.text)
    if not story.headline:
        out.why_empty(NOTHING_STANDS_OUT)
    if story.headline and not story.names_people:
        out.why_empty(not_named(story))


def write_findings_sheet(sheet: _Sheet, data: ReportData, fmt: _Formats, book: Any) -> None:
    """The Network findings sheet (see the module notes)."""
    story = data.story
    named = story is not None and story.names_people
    widths = [24, TEXT_WIDTH, *([26] if named else []), 22]
    last = len(widths) - 1
    sheet.columns(widths)
    out = Lines(sheet, fmt, last)
    caption = story.caption() if story else ""
    title = f"{HEADLINE_TITLE}: {caption[:1].lower()}{caption[1:]}" if story else HEADLINE_TITLE
    out.line([title, *[""] * last], fmt.title, {0: last})
    if story is None:
        out.why_empty(NO_NETWORK)
        sheet.print_setup(0)
        return
    out.why_empty(
        "The formal structure: who reports to whom." if story.formal else
        "Every finding is measured against this network's own spread and against random "
        "networks with the same numbers of ties per person; its rule gives the numbers used. "
        f"The {GLOSSARY_SHEET} sheet defines every term. {not_named(story)}".strip())

    out.section("The network in figures")
    for key, text in story.figures:
        out.fact(label(key), text)
    for note in story.notes:
        out.why_empty(note)
    if story.formal:
        out.why_empty(formal_advice())
    elif not story.findings:
        out.why_empty("No person, department or team meets the rule of any finding in this "
                      "network.")
    for finding in story.findings:
        out.section(finding.title)
        out.fact("What it means", definition(finding.kind))
        out.fact("Rule", finding.rule)
        out.header(["#", "What the network shows", *(["Who"] if named else []),
                    "Department"])
        for number, entry in enumerate(finding.entries, start=1):
            out.line([number, entry.text, *([entry.who] if named else []), entry.departments],
                     [fmt.rank, fmt.wrap, *([fmt.wrap] if named else []), fmt.wrap])
    sheet.print_setup(0)
