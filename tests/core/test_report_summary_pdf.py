"""The one-page PDF summary."""

from __future__ import annotations

import re

import pytest
from test_report_workbook import make_report_data

from workbench.core.errors import WorkbenchError
from workbench.core.report.summary_pdf import write_summary_pdf


def test_one_a4_landscape_page_with_stage_gaps_and_actions(tmp_path):
    data = make_report_data()
    path = tmp_path / "summary.pdf"
    write_summary_pdf(data, path)
    raw = path.read_bytes()
    assert raw.startswith(b"%PDF")
    assert len(re.findall(rb"/Type /Page\b", raw)) == 1
    (box,) = set(re.findall(rb"/MediaBox \[ ?0 0 ([\d.]+) ([\d.]+) ?\]", raw))
    assert float(box[0]) == pytest.approx(841.68, abs=1) and float(box[1]) == pytest.approx(
        595.44, abs=1)
    assert [p.name for p in tmp_path.iterdir()] == ["summary.pdf"]


def test_refuses_to_overwrite_the_open_project(tmp_path):
    project = tmp_path / "client.owb"
    project.write_bytes(b"db")
    with pytest.raises(WorkbenchError):
        write_summary_pdf(make_report_data(), project, protected=project)
    assert project.read_bytes() == b"db"
