"""The slide deck: written from the demo's report data and reopened with python-pptx. One
message per slide (the title is the sentence, the stage sentence first), notes with the
numbers on every slide, the map and the timeline as pictures that keep their aspect inside
the slide, titles of at most two lines, body text of at least 16 pt that fits its box, no
name of a pseudonymised project anywhere, and LibreOffice opening the file slide for slide.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from libreoffice import printed_text
from PIL import Image
from pptx import Presentation
from pptx.util import Emu, Pt
from test_pseudonyms_everywhere import leaks

from workbench.core.errors import WorkbenchError
from workbench.core.project import Project
from workbench.core.report.assemble import build_report_data
from workbench.core.report.pptx_deck import (
    CONTENT,
    MIN_BODY_PT,
    SLIDE_SIZE,
    TITLE_PT,
    Para,
    fit_text,
    fit_title,
    short_sentence,
    text_height,
    title_fits,
    wrapped,
    write_deck_pptx,
)
from workbench.core.report.summary import executive_summary
from workbench.core.tasks import Cancelled, Progress

EMU_PER_INCH = 914400


@pytest.fixture(scope="module")
def demo_deck(demo_file, tmp_path_factory):
    """The demo's report data and its deck, written once for the module."""
    folder = tmp_path_factory.mktemp("deck")
    copy = folder / "demo.owb"
    shutil.copy(demo_file, copy)
    with Project.open(copy) as project:
        data = build_report_data(project)
    path = folder / "demo.pptx"
    write_deck_pptx(data, path)
    return data, path


def slide_texts(slide) -> list[str]:
    parts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
    parts += [cell.text for shape in slide.shapes if shape.has_table
              for row in shape.table.rows for cell in row.cells]
    return parts


def deck_text(path: Path) -> str:
    parts = []
    for slide in Presentation(str(path)).slides:
        parts += slide_texts(slide)
        parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def inches(value: int) -> float:
    return value / EMU_PER_INCH


def test_the_demo_deck_gives_one_message_per_slide_with_the_numbers_in_the_notes(demo_deck):
    data, path = demo_deck
    deck = Presentation(str(path))
    summary = executive_summary(data)
    assert (inches(deck.slide_width), inches(deck.slide_height)) == pytest.approx(SLIDE_SIZE,
                                                                                  abs=0.01)
    slides = list(deck.slides)
    assert 10 <= len(slides) <= 15
    titles = [slide.shapes.title.text for slide in slides]
    assert titles[1] == summary.stage  # the first content slide
    assert titles[2] == summary.target
    assert len(set(titles)) == len(titles)  # one message each
    assert all(title_fits(t) for t in titles)
    for title, slide in zip(titles, slides, strict=True):
        notes = slide.notes_slide.notes_text_frame.text
        assert len(notes) > 40, title
        assert any(ch.isdigit() for ch in notes), title  # the numbers behind the message
    # each of the three gaps has its slide, and the gaps sentence is in the notes
    for line in summary.gaps:
        assert any(t.startswith(f"{line.label} stands at {line.level:.1f} of 4")
                   for t in titles), line.label
    text = " ".join(deck_text(path).split())
    assert summary.gaps_sentence in text and summary.network[0] in text
    stage_notes = slides[1].notes_slide.notes_text_frame.text
    assert "The stage is the highest step" in stage_notes and "mean 3.29" in stage_notes


def test_the_map_and_the_timeline_are_pictures_that_keep_their_aspect(demo_deck):
    data, path = demo_deck
    summary = executive_summary(data)
    slides = {s.shapes.title.text: s for s in Presentation(str(path)).slides}
    map_slide = slides[short_sentence(summary.network[0])]
    plan_slide = next(s for t, s in slides.items() if t.startswith("The plan runs 8 actions"))
    for slide in (map_slide, plan_slide):
        pictures = [s for s in slide.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == 1
        picture = pictures[0]
        with Image.open(io.BytesIO(picture.image.blob)) as image:
            width, height = image.size
        assert picture.width / picture.height == pytest.approx(width / height, rel=0.01)
        assert width >= 1000  # drawn at slide resolution, not a thumbnail
        assert inches(picture.left) >= CONTENT.left - 0.01
        assert inches(picture.top) >= CONTENT.top - 0.01
        assert inches(picture.left + picture.width) <= CONTENT.left + CONTENT.width + 0.01
        assert inches(picture.top + picture.height) <= CONTENT.top + CONTENT.height + 0.01
    # the timeline fills the content area along one side
    timeline = next(s for s in plan_slide.shapes if s.shape_type == 13)
    assert max(inches(timeline.width) / CONTENT.width,
               inches(timeline.height) / CONTENT.height) == pytest.approx(1.0, abs=0.01)


def test_body_text_is_at_least_16_pt_and_fits_inside_its_box_on_the_slide(demo_deck):
    _data, path = demo_deck
    deck = Presentation(str(path))
    width, height = inches(deck.slide_width), inches(deck.slide_height)
    checked = 0
    for slide in deck.slides:
        title = slide.shapes.title
        assert title.text_frame.paragraphs[0].runs[0].font.size >= Pt(TITLE_PT)
        for shape in slide.shapes:
            assert inches(shape.left) >= 0 and inches(shape.left + shape.width) <= width
            assert inches(shape.top) >= 0 and inches(shape.top + shape.height) <= height
            frames = ([cell.text_frame for row in shape.table.rows for cell in row.cells]
                      if shape.has_table else [shape.text_frame] if shape.has_text_frame
                      else [])
            for frame in frames:
                sizes = {run.font.size for p in frame.paragraphs for run in p.runs}
                assert sizes and min(sizes) >= Pt(MIN_BODY_PT), slide.shapes.title.text
            if shape.has_text_frame and shape.shape_id != title.shape_id:
                paras = [Para(p.text) for p in shape.text_frame.paragraphs]
                size = Emu(min(run.font.size for p in shape.text_frame.paragraphs
                               for run in p.runs)).pt
                assert text_height(paras, inches(shape.width), size) <= inches(shape.height)
                checked += 1
    assert checked >= 10


def test_a_sentence_too_long_for_two_lines_is_shortened_and_overflow_goes_to_the_notes():
    long = "The organisation " + "works across many departments and teams " * 6 + "today."
    assert not title_fits(long)
    short = fit_title(long)
    assert title_fits(short) and short.endswith("…")
    assert fit_title(long, "A short message.") == "A short message."
    assert len(wrapped(short, CONTENT.width, TITLE_PT, 0.52)) <= 2
    notes: list[str] = []
    paras = [Para(f"Paragraph {i}: " + "a sentence of some length " * 12) for i in range(12)]
    fitted = fit_text(paras, CONTENT, notes)
    assert fitted.size == MIN_BODY_PT and 0 < len(fitted.paras) < len(paras)
    assert text_height(fitted.paras, CONTENT.width, MIN_BODY_PT) <= CONTENT.height
    assert len(notes) == len(paras) - len(fitted.paras)
    assert notes[-1].endswith(paras[len(fitted.paras)].text)  # nothing is lost


def test_a_pseudonymised_demo_deck_names_nobody(pseudonymised_demo, tmp_path):
    copy, people = pseudonymised_demo
    with Project.open(copy) as project:
        data = build_report_data(project)
    names, emails = {p.name for p in people}, {p.email for p in people}
    assert len(names) == 297 and data.pseudonymised
    path = tmp_path / "pseudo.pptx"
    write_deck_pptx(data, path)
    text = deck_text(path)
    assert leaks(text, names, emails) == set()
    owners = next(s for s in Presentation(str(path)).slides
                  if s.shapes.title.text.startswith("The step 1 gate"))
    table = next(shape.table for shape in owners.shapes if shape.has_table)
    shown = [row.cells[0].text for row in list(table.rows)[1:]]
    assert any(o.startswith("Head of") for o in shown), shown  # owners by their role


def test_the_deck_is_written_whole_or_not_at_all(demo_deck, tmp_path):
    data, _path = demo_deck
    target = tmp_path / "deck.pptx"
    target.write_bytes(b"old deck")
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        write_deck_pptx(data, target, progress)
    assert target.read_bytes() == b"old deck" and list(tmp_path.iterdir()) == [target]
    with pytest.raises(WorkbenchError, match="does not exist"):
        write_deck_pptx(data, tmp_path / "missing" / "deck.pptx")
    seen: list[float] = []
    write_deck_pptx(data, target, Progress(lambda fraction, _message: seen.append(fraction)))
    assert list(tmp_path.iterdir()) == [target] and len(Presentation(str(target)).slides) >= 10
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_libreoffice_opens_the_deck_slide_for_slide(demo_deck, tmp_path):
    data, path = demo_deck
    text = printed_text(path, tmp_path)
    assert text.count("\f") == len(Presentation(str(path)).slides)  # one page per slide
    assert executive_summary(data).stage in " ".join(text.split())
