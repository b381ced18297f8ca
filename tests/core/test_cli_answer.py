"""`workbench answer`: one respondent's answers from a question,value file, all or nothing."""

from __future__ import annotations

import openpyxl

from workbench.cli import main
from workbench.core.project import Project


def _round_answers(path, template: str) -> dict[str, dict[str, dict]]:
    """round name -> respondent code -> answers, for rounds of ``template``."""
    with Project.open(path) as project:
        return {r.name: project.assessments.answers(r.id)
                for r in project.assessments.rounds() if r.template.key == template}


def _write(path, text: str, encoding: str = "utf-8") -> str:
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_creates_the_round_and_respondent_and_saves_typed_values(tmp_path, project_path, capsys):
    Project.create(project_path).close()
    answers = _write(tmp_path / "a.csv", "question,value\ns1_communication_systems,3\n"
                     "s1_information_sharing, 2 \ntarget_step,Step 3 - Customer-centricity "
                     "coordinator\n")
    code = main(["answer", str(project_path), "--template", "maturity_ladder",
                 "--respondent", "Ana Lima", "--round", "Baseline", "--from", answers])
    assert code == 0, capsys.readouterr().err
    assert "Saved 3 answers of Ana Lima (new respondent) in round 'Baseline' (new round)" in \
        capsys.readouterr().out
    assert _round_answers(project_path, "maturity_ladder") == {"Baseline": {"Ana Lima": {
        "s1_communication_systems": 3, "s1_information_sharing": 2, "target_step": "3"}}}


def test_any_error_writes_nothing_and_names_row_and_column(tmp_path, project_path, capsys):
    Project.create(project_path).close()
    # semicolons and cp1252, as Excel writes them in much of Europe
    answers = _write(tmp_path / "bad.csv", "Question;Value\ns1_communication_systems;3\n"
                     "s1_information_sharing;seven\nno_such_question;1\n"
                     "s1_working_climate;9\ns1_communication_systems;2\n", "cp1252")
    code = main(["answer", str(project_path), "--template", "maturity_ladder",
                 "--respondent", "Bo", "--from", answers])
    err = capsys.readouterr().err
    assert code == 1
    assert "bad.csv, row 3, column 'value': s1_information_sharing: 'seven' is not a number" in err
    assert "bad.csv, row 4, column 'question': 'no_such_question' is not a question" in err
    assert "bad.csv, row 5, column 'value': s1_working_climate:" in err
    assert "bad.csv, row 6, column 'question': 's1_communication_systems' is answered again " \
           "(first on row 2)" in err
    assert "nothing was saved" in err
    assert _round_answers(project_path, "maturity_ladder") == {}


def test_second_respondent_joins_the_newest_round_and_answers_can_be_replaced(
        tmp_path, project_path, capsys):
    Project.create(project_path).close()
    first = _write(tmp_path / "one.csv", "question,value\ntransparency,1\n")
    assert main(["answer", str(project_path), "--template", "org_design", "--respondent", "A",
                 "--from", first]) == 0
    book = tmp_path / "two.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["question", "value"])
    workbook.active.append(["transparency", 4])
    workbook.active.append(["cco_owner", "Nobody in particular"])
    workbook.save(book)
    assert main(["answer", str(project_path), "--template", "org_design", "--respondent", "B",
                 "--from", str(book)]) == 0
    again = _write(tmp_path / "again.csv", "question,value\ntransparency,2\n")
    assert main(["answer", str(project_path), "--template", "org_design", "--respondent", "A",
                 "--from", again]) == 0
    rounds = _round_answers(project_path, "org_design")
    assert list(rounds) == [next(iter(rounds))] and len(rounds) == 1
    assert next(iter(rounds.values())) == {"A": {"transparency": 2},
                                           "B": {"transparency": 4, "cco_owner": "nobody"}}
    capsys.readouterr()


def test_unknown_template_round_of_another_questionnaire_and_missing_columns(
        tmp_path, project_path, capsys):
    Project.create(project_path).close()
    good = _write(tmp_path / "g.csv", "question,value\ntransparency,1\n")
    assert main(["answer", str(project_path), "--template", "nope", "--respondent", "A",
                 "--from", good]) == 1
    assert "no questionnaire 'nope'" in capsys.readouterr().err
    assert main(["answer", str(project_path), "--template", "org_design", "--respondent", "A",
                 "--round", "R1", "--from", good]) == 0
    ladder = _write(tmp_path / "l.csv", "question,value\ns1_communication_systems,1\n")
    assert main(["answer", str(project_path), "--template", "maturity_ladder",
                 "--respondent", "A", "--round", "R1", "--from", ladder]) == 1
    assert "belongs to the questionnaire 'org_design'" in capsys.readouterr().err
    cols = _write(tmp_path / "c.csv", "id,answer\ntransparency,1\n")
    assert main(["answer", str(project_path), "--template", "org_design", "--respondent", "A",
                 "--from", cols]) == 1
    assert "row 1: the header needs the columns 'question' and 'value'" in capsys.readouterr().err
    with Project.open(project_path) as project:
        assert [len(project.assessments.answers(r.id)) for r in project.assessments.rounds()] \
            == [1]
