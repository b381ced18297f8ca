"""Survey and questionnaire workbooks are signed with the project's secret key (HMAC-SHA256).

A respondent who relabels a workbook to someone else and recomputes the plain SHA-256
checksum the app used to write, a workbook exported by another project, and a workbook from
before signatures are all refused; an untouched workbook is accepted.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import pytest
from test_rounds import fill as answer
from test_rounds import pulse, round_with
from test_survey import fill as nominate

from workbench.core import importing
from workbench.core.model import Person
from workbench.core.network.survey import INFO_SHEET, ROSTER_SHEET, export_survey_workbook
from workbench.core.project import Project
from workbench.core.questionnaire import rounds as R
from workbench.core.signing import SIGNING_KEY_SETTING, sign, verify

PEOPLE = [Person("p1", "Ann Lee"), Person("p2", "Bo Chen"), Person("p3", "Cy Diaz")]


@pytest.fixture
def staffed(project):
    project.people.add_many(PEOPLE)
    return project


def test_the_signing_key_is_made_once_kept_in_the_file_and_not_undoable(tmp_path):
    with Project.create(tmp_path / "a.owb") as first:
        key = first.settings.signing_key()
        assert len(key) == 32 and first.settings.signing_key() == key
        assert first.history.undo_label is None and first.undo() is None
        first.settings.set("some.choice", 1)
        first.undo()  # an undone setting and its redo never clash with the key's row
        first.redo()
        assert first.settings.get(SIGNING_KEY_SETTING) == key.hex()
    with Project.open(tmp_path / "a.owb") as again:
        assert again.settings.signing_key() == key
    with Project.create(tmp_path / "b.owb") as second:
        assert second.settings.signing_key() != key


def test_sign_and_verify():
    key = bytes(range(32))
    signature = sign(key, {"respondent": "A"})
    assert verify(key, {"respondent": "A"}, signature)
    assert not verify(key, {"respondent": "B"}, signature)
    assert not verify(bytes(32), {"respondent": "A"}, signature)
    assert not verify(key, {"respondent": "A"}, None)
    assert not verify(key, {"respondent": "A"}, "é" * 64)


# --------------------------------------------------------------------------- ONA surveys

def _info_rows(sheet) -> dict[str, object]:
    return {row[0].value: row[1] for row in sheet.iter_rows(max_col=2) if row[0].value}


def relabel_survey(path: Path, respondent: str, *, old_format: bool = False) -> None:
    """Change the respondent in the hidden sheet and write the old-style SHA-256 checksum
    (what anyone could recompute) in place of the signature."""
    book = openpyxl.load_workbook(path)
    sheet = book[INFO_SHEET]
    cells = _info_rows(sheet)
    cells["respondent_id"].value = json.dumps(respondent)
    if old_format:
        cells["format"].value = json.dumps(1)
    info = {key: json.loads(cell.value) for key, cell in cells.items() if key != "signature"}
    roster = [row[0].value for row in book[ROSTER_SHEET].iter_rows(max_col=1)]
    payload = json.dumps([info, roster], sort_keys=True, ensure_ascii=True)
    sheet.cell(cells["signature"].row, 1).value = "checksum"
    cells["signature"].value = json.dumps(hashlib.sha256(payload.encode()).hexdigest())
    book.save(path)


def _survey(project, folder: Path, respondent: str = "p1") -> Path:
    folder.mkdir(exist_ok=True)
    export = export_survey_workbook(project.people.list(), folder, respondents=[respondent],
                                    key=project.settings.signing_key())
    [path] = export.paths
    nominate(path, {"advice": [("Bo Chen (p2)", 4)], "energy": [("Cy Diaz (p3)", 2)]})
    return path


def _read_surveys(project, paths: list[Path]):
    plan = importing.read_survey_files(project, paths)
    ties = {(t.source, t.target, t.weight) for n in plan.networks for t in n.ties}
    return ties, [(p.file, p.kind, p.message) for p in plan.problems]


def test_untouched_survey_is_accepted(staffed, tmp_path):
    path = _survey(staffed, tmp_path / "out")
    ties, problems = _read_surveys(staffed, [path])
    assert ties == {("p1", "p2", 4.0), ("p1", "p3", 2.0)} and problems == []


def test_survey_relabelled_with_a_recomputed_checksum_is_refused(staffed, tmp_path):
    path = _survey(staffed, tmp_path / "out")
    relabel_survey(path, "p3")  # p1's answers passed off as p3's
    ties, [(file, kind, message)] = _read_surveys(staffed, [path])
    assert ties == set() and (file, kind) == (path.name, "altered")
    assert "signature does not match" in message


def test_survey_from_another_project_is_refused(staffed, tmp_path):
    with Project.create(tmp_path / "other.owb") as other:
        other.people.add_many(PEOPLE)
        path = _survey(other, tmp_path / "elsewhere")
    ties, [(_file, kind, message)] = _read_surveys(staffed, [path])
    assert ties == set() and kind == "altered" and "another project" in message


def test_survey_from_before_signatures_asks_for_a_new_export(staffed, tmp_path):
    path = _survey(staffed, tmp_path / "out")
    relabel_survey(path, "p1", old_format=True)  # exactly what version 1 wrote
    ties, [(_file, kind, message)] = _read_surveys(staffed, [path])
    assert ties == set() and kind == "unsigned" and "re-export the workbooks" in message


# --------------------------------------------------------------------------- questionnaires

def relabel_response(path: Path, respondent: str, *, old_format: bool = False) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book["_meta"]
    cells = _info_rows(sheet)
    cells["respondent"].value = respondent
    if old_format:
        cells["format_version"].value = 1
    payload = {
        "format": cells["format"].value, "format_version": int(cells["format_version"].value),
        "template_id": cells["template_id"].value,
        "template_version": int(cells["template_version"].value),
        "round_id": str(cells["round_id"].value), "respondent": respondent,
        "rows": json.loads(cells["rows"].value)}
    sheet.cell(cells["signature"].row, 1).value = "checksum"
    cells["signature"].value = hashlib.sha256(
        json.dumps(payload, sort_keys=True).encode()).hexdigest()
    book.save(path)


def _exported_round(project, folder: Path) -> tuple[int, dict[str, Path]]:
    round_id = round_with(project, ["A", "B"])
    folder.mkdir()
    paths = {p.stem.split("_")[-1]: p for p in R.export_round_workbooks(project, round_id, folder)}
    answer(paths["A"], {"climate": 3, "owner": "cco"})
    return round_id, paths


def test_untouched_questionnaire_is_accepted(project, tmp_path):
    round_id, paths = _exported_round(project, tmp_path / "out")
    [file] = R.preview_returned_files(project, round_id, [paths["A"]]).files
    assert (file.status, file.respondent_code) == (R.READY, "A")
    assert file.answers == {"climate": 3, "owner": "cco"}


def test_questionnaire_relabelled_with_a_recomputed_checksum_is_refused(project, tmp_path):
    round_id, paths = _exported_round(project, tmp_path / "out")
    relabel_response(paths["A"], "B")  # A's answers passed off as B's
    [file] = R.preview_returned_files(project, round_id, [paths["A"]]).files
    assert file.status == R.REFUSED and "signature does not match" in file.reason
    assert project.assessments.answers(round_id)["B"] == {}


def test_questionnaire_from_another_project_is_refused(project, tmp_path):
    round_id = round_with(project, ["A"])
    with Project.create(tmp_path / "other.owb") as other:
        other_round = round_with(other, ["A"])
        (tmp_path / "x").mkdir()
        [path] = R.export_round_workbooks(other, other_round, tmp_path / "x")
    book = openpyxl.load_workbook(path)  # even with this engagement's round written in
    for key, value in book["_meta"].iter_rows(max_col=2):
        if key.value == "round_id":
            value.value = R.workbook_round_key(project, round_id)
    book.save(path)
    [file] = R.preview_returned_files(project, round_id, [path]).files
    assert file.status == R.REFUSED and "exported by another project" in file.reason


def test_questionnaire_from_before_signatures_asks_for_a_new_export(project, tmp_path):
    round_id, paths = _exported_round(project, tmp_path / "out")
    relabel_response(paths["A"], "A", old_format=True)  # exactly what version 1 wrote
    [file] = R.preview_returned_files(project, round_id, [paths["A"]]).files
    assert file.status == R.REFUSED and "re-export the workbooks" in file.reason
    assert pulse().id in file.path.name
