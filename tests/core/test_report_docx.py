"""The narrative report (.docx) of the demo, reopened with python-docx: chapters in order, the
executive summary's sentences word for word, the charts embedded, one plan row per action,
page numbers in the footer, no real name when pseudonymised, and an atomic write."""

from __future__ import annotations

import re
import shutil
import zipfile

import pytest
from docx import Document
from libreoffice import printed_text

from workbench.core.errors import WorkbenchError
from workbench.core.network.pseudonyms import PseudonymKey
from workbench.core.project import Project
from workbench.core.report.assemble import build_report_data
from workbench.core.report.docx_report import CHAPTERS, write_report_docx
from workbench.core.report.figures import report_figures
from workbench.core.report.summary import executive_summary
from workbench.core.tasks import Cancelled, Progress


@pytest.fixture(scope="module")
def written(demo_file, tmp_path_factory):
    """The pseudonymised demo's report data, its .docx and the roster's real names."""
    folder = tmp_path_factory.mktemp("docx")
    path = folder / "demo.owb"
    shutil.copy(demo_file, path)
    with Project.open(path) as project:
        names = {p.name for p in project.people.list()}
        data = build_report_data(project, pseudonymise=True, key=PseudonymKey(b"d" * 32))
    out = folder / "report.docx"
    write_report_docx(data, out)
    return data, out, names


def _body(document) -> list:
    """(style name, text) of every paragraph of the body, in order."""
    return [(p.style.name, p.text) for p in document.paragraphs]


def test_title_page_and_chapters_in_order(written):
    data, out, _names = written
    document = Document(str(out))
    body = _body(document)
    assert body[0] == ("Title", "Organisation design report")
    assert [text for style, text in body if style == "Heading 1"] == list(CHAPTERS)
    assert any(style == "Heading 2" for style, _text in body)
    assert f"Client: {data.engagement.client}" in [text for _s, text in body]


def test_executive_summary_reads_the_shared_sentences(written):
    data, out, _names = written
    body = _body(Document(str(out)))
    start = body.index(("Heading 1", CHAPTERS[0])) + 1
    end = next(i for i in range(start, len(body)) if body[i][0].startswith("Heading"))
    paragraphs = [text for style, text in body[start:end] if style == "Normal"]
    assert paragraphs == executive_summary(data).sentences()


def test_ladder_and_map_are_embedded_at_print_resolution(written):
    data, out, _names = written
    document = Document(str(out))
    assert len(document.inline_shapes) == 6  # ladder, heat map, map, say vs show, learning, plan
    blobs = {rel.target_part.blob for rel in document.part.rels.values()
             if "image" in rel.reltype}
    figures = report_figures(data)
    assert figures["ladder"] in blobs and figures["map"] in blobs
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert document.inline_shapes[0].width == text_width  # the ladder spans the column


def test_plan_tables_have_one_row_per_action(written):
    data, out, _names = written
    tables = [t for t in Document(str(out)).tables if t.rows[0].cells[0].text == "ID"]
    rows = [row for table in tables for row in table.rows[1:]]
    assert len(rows) == len(data.plan)
    assert sorted(row.cells[0].text for row in rows) == sorted(a.uid for a in data.plan)
    first = next(a for a in data.plan if a.uid == rows[0].cells[0].text)
    assert rows[0].cells[3].text == first.owner
    assert first.measure in rows[0].cells[5].text


def test_footer_numbers_the_pages(written):
    _data, out, _names = written
    footer = Document(str(out)).sections[0].footer._element.xml
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer)


def test_pseudonymised_report_names_nobody(written):
    _data, out, names = written
    with zipfile.ZipFile(out) as archive:
        xml = "".join(archive.read(n).decode("utf-8") for n in archive.namelist()
                      if n.endswith(".xml"))
    text = re.sub(r"<[^>]+>", "", xml)
    assert not {name for name in names if name in text}


def test_failed_write_leaves_the_old_file_and_no_temporary(written, tmp_path):
    data, _out, _names = written
    path = tmp_path / "report.docx"
    path.write_bytes(b"old report")

    def cancel(fraction, message):
        if fraction > 0.5:
            progress.cancel()

    progress = Progress(cancel)
    with pytest.raises(Cancelled):
        write_report_docx(data, path, progress=progress)
    assert path.read_bytes() == b"old report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]
    with pytest.raises(WorkbenchError, match="open project"):
        write_report_docx(data, path, protected=path)


def test_libreoffice_prints_it_with_every_chapter(written, tmp_path):
    data, out, _names = written
    text = printed_text(out, tmp_path)
    pages = text.split("\f")[:-1]  # pdftotext ends every page with a form feed
    assert 10 <= len(pages) <= 30
    flat = " ".join(text.split())
    for chapter in CHAPTERS:
        assert chapter in flat
    footer = re.compile(rf"{re.escape(data.engagement.client)} · page \d+")
    assert all(footer.sub("", page).strip() for page in pages)  # no blank page
