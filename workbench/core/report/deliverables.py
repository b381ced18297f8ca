"""The four deliverables of an engagement, chosen by the file's extension.

``.xlsx`` plan workbook, ``.docx`` narrative report, ``.pptx`` slide deck, ``.pdf`` one-page
summary. :func:`export_deliverable` assembles the :class:`ReportData` once and hands it to the
writer of the extension, so the four never disagree; the ``workbench report`` command and the
app's File → Export menu both go through it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.core.errors import WorkbenchError
from workbench.core.tasks import Progress, ensure_progress
from workbench.core.wording import count

if TYPE_CHECKING:
    from workbench.core.project import Project
    from workbench.core.report.data import ReportData

# writer(data, path, protected, progress) -> notices about shortened or escaped cells
# (the menu reads this table before the window shows: nothing heavy is imported at load time)
Writer = Callable[["ReportData", Path, Path | None, Progress], list[str]]


def _workbook(data: ReportData, path: Path, protected: Path | None,
              progress: Progress) -> list[str]:
    from workbench.core.report.workbook_writer import write_plan_workbook

    return write_plan_workbook(data, path, protected=protected, progress=progress)


def _report(data: ReportData, path: Path, protected: Path | None,
            progress: Progress) -> list[str]:
    from workbench.core.report.docx_report import write_report_docx

    write_report_docx(data, path, progress=progress, protected=protected)
    return []


def _deck(data: ReportData, path: Path, protected: Path | None,
          progress: Progress) -> list[str]:
    from workbench.core.report.pptx_deck import write_deck_pptx

    write_deck_pptx(data, path, progress=progress, protected=protected)
    return []


def _summary(data: ReportData, path: Path, protected: Path | None,
             progress: Progress) -> list[str]:
    from workbench.core.report.summary_pdf import write_summary_pdf

    progress.update(0.1, "Drawing the summary")
    write_summary_pdf(data, path, protected=protected)
    return []


@dataclass(frozen=True)
class Format:
    """One deliverable: what it is called, the file filter of a save dialog and its writer."""

    suffix: str
    name: str  # "Plan workbook"
    file_type: str  # "Excel workbook", for a save dialog's filter
    suggested: str  # the end of a suggested file name: "<project> plan.xlsx"
    write: Writer

    @property
    def label(self) -> str:
        """The menu text without the ellipsis: "Plan workbook (.xlsx)"."""
        return f"{self.name} ({self.suffix})"

    @property
    def file_filter(self) -> str:
        return f"{self.file_type} (*{self.suffix})"


FORMATS: dict[str, Format] = {f.suffix: f for f in (
    Format(".xlsx", "Plan workbook", "Excel workbook", "plan.xlsx", _workbook),
    Format(".docx", "Narrative report", "Word document", "report.docx", _report),
    Format(".pptx", "Slide deck", "PowerPoint presentation", "deck.pptx", _deck),
    Format(".pdf", "Summary", "PDF document", "summary.pdf", _summary),
)}


def deliverable_format(path: str | Path) -> Format:
    """The deliverable a file name asks for; any other extension is refused by name."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        kinds = ", ".join(f"{f.suffix} ({f.name.lower()})" for f in FORMATS.values())
        given = f"ends in {suffix!r}" if suffix else "has no extension"
        raise WorkbenchError(f"{Path(path).name} {given}; give a file ending in one of "
                             f"{kinds}.")
    return FORMATS[suffix]


def export_deliverable(project: Project, path: str | Path,
                       progress: Progress | None = None) -> tuple[ReportData, list[str]]:
    """Write the deliverable ``path``'s extension names, atomically, from one assembled
    :class:`ReportData`. Returns the data written and the writer's notices (workbook cells
    shortened or escaped). Refuses the open project file and an unknown extension before any
    work is done."""
    from workbench.core.report.assemble import _check_target, _write_error, build_report_data

    _check_target(project, path)
    form = deliverable_format(path)
    progress = ensure_progress(progress)
    data = build_report_data(project, progress=progress.sub(0.0, 0.6))
    try:
        notices = form.write(data, Path(path), project.path, progress.sub(0.6, 1.0))
    except OSError as exc:
        raise _write_error(path, exc) from None
    progress.update(1.0, f"{form.name} written")
    return data, notices


def written_line(path: str | Path, data: ReportData) -> str:
    """The one line the ``report`` command prints after writing ``path``."""
    done = sum(a.status == "Done" for a in data.plan)
    return (f"Wrote {path}: stage reached {data.engagement.stage_reached}, target step "
            f"{data.engagement.target_step}, {count(len(data.top_gaps), 'gap')}, "
            f"{count(len(data.plan), 'action')} ({done} done), "
            f"{count(len(data.network), 'person', 'people')} in the network.")
