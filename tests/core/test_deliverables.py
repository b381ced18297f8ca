"""The four deliverables from one content source: each written by `export_deliverable` for the
demo, opened by its own library (openpyxl, python-docx, python-pptx, the PDF's text runs); the
key sentences of `executive_summary` read the same in all four; a pseudonymised demo names
nobody in any of them and by default no individual label stands beside a real name; LibreOffice prints the workbook's Plan sheet with every column apart.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from libreoffice import printed_text
from openpyxl import load_workbook
from pptx import Presentation
from test_pseudonyms_everywhere import leaks, workbook_text
from test_report_method import pdf_lines

from workbench.core.errors import WorkbenchError
from workbench.core.privacy import INDIVIDUAL_LABELS
from workbench.core.project import Project
from workbench.core.report.deliverables import FORMATS, export_deliverable
from workbench.core.report.summary import executive_summary

NEAR = 80  # characters either side of a name where its label would read as about the person
DATE_RUN_ON = re.compile(r"\d{4}-\d{2}-\d{2}[^\s,.;:)\]–-]")  # "2026-12-16Not started"


def docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows
              for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in (*section.header.paragraphs, *section.footer.paragraphs)]
    return "\n".join(parts)


def pptx_text(path: Path) -> str:
    parts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


READERS = {".xlsx": workbook_text, ".docx": docx_text, ".pptx": pptx_text,
           ".pdf": pdf_lines}


def flat(text: str) -> str:
    """Runs of white space as one space: a sentence wrapped over lines reads whole."""
    return " ".join(text.split())


def shows(sentence: str, text: str, suffix: str) -> bool:
    """Whether ``sentence`` is in ``text``; in a PDF, glyphs outside ASCII (a dash, a middle
    dot) are drawn apart, so the pieces between them are looked for one by one."""
    text = flat(text)
    if suffix != ".pdf":
        return flat(sentence) in text
    return all(part.strip() in text for part in re.split(r"[^\x20-\x7e]+", flat(sentence))
               if part.strip())


def write_all(project_path: Path, folder: Path) -> dict[str, tuple[Path, object]]:
    """Each deliverable of the project, by the export path the CLI and the app use."""
    folder.mkdir()
    written = {}
    with Project.open(project_path) as project:
        for suffix in FORMATS:
            path = folder / f"deliverable{suffix}"
            data, _notices = export_deliverable(project, path)
            written[suffix] = (path, data)
    return written


@pytest.fixture(scope="module")
def demo_deliverables(demo_file, tmp_path_factory):
    folder = tmp_path_factory.mktemp("deliverables")
    copy = folder / "demo.owb"
    shutil.copy(demo_file, copy)
    return write_all(copy, folder / "out")


def test_each_format_opens_in_its_own_library_with_the_same_key_sentences(demo_deliverables):
    summaries = {suffix: executive_summary(data)
                 for suffix, (_path, data) in demo_deliverables.items()}
    first = summaries[".xlsx"]
    assert all(s == first for s in summaries.values())  # one content source, four times
    assert first.gaps and first.network  # the demo has gaps and a network story
    key = {"stage": first.stage, "target": first.target, "top gap": first.gaps_sentence,
           "top finding": first.network[0]}
    assert "step 1" in first.stage and "step 2" in first.target
    missing = {}
    for suffix, (path, _data) in demo_deliverables.items():
        text = READERS[suffix](path)
        assert len(flat(text)) > 500, suffix  # opened and read, not an empty shell
        missing[suffix] = [name for name, sentence in key.items()
                           if not shows(sentence, text, suffix)]
    assert missing == {suffix: [] for suffix in FORMATS}


def test_a_pseudonymised_demo_names_nobody_in_any_format(pseudonymised_demo, tmp_path):
    copy, people = pseudonymised_demo
    names, emails = {p.name for p in people}, {p.email for p in people}
    assert len(names) == 297
    written = write_all(copy, tmp_path / "out")
    found = {suffix: sorted(leaks(READERS[suffix](path), names, emails))
             for suffix, (path, _data) in written.items()}
    assert found == {suffix: [] for suffix in FORMATS}
    assert all(data.pseudonymised for _path, data in written.values())


def test_by_default_no_format_puts_an_individual_label_beside_the_persons_name(
        demo_deliverables):
    data = demo_deliverables[".xlsx"][1]
    labelled = {(p.name, p.role) for p in data.network if p.role in INDIVIDUAL_LABELS}
    assert len(labelled) > 5 and not data.name_individual_labels  # the demo's default
    beside = {}
    for suffix, (path, _data) in demo_deliverables.items():
        text = flat(READERS[suffix](path))
        beside[suffix] = sorted(
            (name, label) for name, label in labelled for found in re.finditer(re.escape(name), text)
            if label in text[max(0, found.start() - NEAR):found.end() + NEAR].casefold())
    assert beside == {suffix: [] for suffix in FORMATS}


def test_an_unknown_extension_is_refused_by_naming_the_four(demo, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(WorkbenchError) as caught:
        export_deliverable(demo, out / "plan.xls")
    assert all(suffix in str(caught.value) for suffix in FORMATS)
    assert list(out.iterdir()) == []


def test_libreoffice_prints_the_plan_sheet_with_every_column_apart(demo_deliverables, tmp_path):
    workbook = demo_deliverables[".xlsx"][0]
    text = printed_text(workbook, tmp_path, layout=True)
    assert text.count("\f") > 1  # pdftotext ends every page with a form feed
    assert DATE_RUN_ON.search(text) is None, DATE_RUN_ON.search(text)
    book = load_workbook(workbook, read_only=True)
    rows = list(book["Plan"].iter_rows(values_only=True))
    book.close()
    header = list(rows[0])
    uid, due, status = (header.index(h) for h in ("Action ID", "Due", "Status"))
    lines = text.splitlines()
    for row in rows[1:]:
        line = next((line for line in lines if line.lstrip().startswith(f"{row[uid]} ")), None)
        assert line is not None, f"{row[uid]} is not printed as a word of its own"
        assert re.search(rf"{row[due]:%Y-%m-%d}\s+{row[status]}", line), line
