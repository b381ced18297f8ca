"""Insight and evidence files: messy CSV/XLSX, located problems, the CLI contract, and the
offline entry workbook's round trip."""

from __future__ import annotations

import datetime as dt
import hashlib

import openpyxl
import pytest

from workbench.cli import main
from workbench.core.errors import WorkbenchError
from workbench.core.importing import ImportRefused
from workbench.core.learning.entry_workbook import ENTRY_SHEET, HELP_SHEET, write_insight_workbook
from workbench.core.learning.evidence_import import apply_evidence, import_evidence
from workbench.core.learning.insights_import import apply_insights, read_insights_file
from workbench.core.learning.model import InsightDraft, MeasureDraft
from workbench.core.learning.reading import parse_day
from workbench.core.model import Person
from workbench.core.privacy import PrivacySettings, save_privacy, shown_people
from workbench.core.project import Project

D = dt.date
ROSTER = [Person("E1001", "Zoë Müller", "zoe@example.org", "Customer Service",
                 segment="Households"),
          Person("E1002", "Bo Lind", "bo@example.org", "Finance", "Head of Finance",
                 segment="Small business"),
          Person("E1003", "Cy Adams", "cy@example.org", "Sales")]
# cp1252, semicolons, a header people write; data rows are on lines 2..10
MESSY = (
    "Source;Customer segment;Insight;Date received;Received by;Who can act;Action taken;"
    "Acted on;Customer told;Gatekeeper\r\n"
    "Complaint;Households;Café bill shows the wrong VAT;05/03/2026;E1001;E1002;Fixed rate;"
    "12/03/2026;yes;no\r\n"
    "compliant;Households;Meter never read;2026-03-06;Zoë Müller;Head of Billing;;;;\r\n"
    "survey;Small business;Invoice hard to read;46090;bo@example.org;E1002;;;;yes\r\n"
    "partner/third party;Small business;Broker says sign-up is slow;31/02/2026;E1003;E1002;;;;\r\n"
    "data;Households;Debit failures on the 1st;2026-03-10;E1001;E1002;Moved debit date;"
    "2026-03-08;;\r\n"
    ";Households;No source given;2026-03-11;E1001;E1002;;;;\r\n"
    "frontline;Households;Evening install slots wanted;11.3.2026;E9999;Head of Operations;"
    "Opened Saturday slots;;maybe;\r\n"
    "Frontline conversation;Public sector;School wants figures by building;12 March 2026;"
    ";E1003;;;;\r\n"
    "Data;Large business;Half-hourly gaps at weekends;2026-03-13;E1003;E1003;Patched feed;"
    "2026-03-20;Y;N\r\n"
)


def _problems(result) -> set[tuple[int | None, str | None, str, str]]:
    return {(p.row, p.column, p.kind, p.severity) for p in result.problems}


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def roster_project(project):
    project.people.add_many(ROSTER)
    return project


@pytest.fixture
def messy_csv(tmp_path):
    path = tmp_path / "log.csv"
    path.write_bytes(MESSY.encode("cp1252"))
    return path


@pytest.mark.parametrize(("text", "day"), [
    ("2026-03-05", D(2026, 3, 5)), ("2026-03-05 00:00:00", D(2026, 3, 5)),
    ("05/03/2026", D(2026, 3, 5)), ("5.3.26", D(2026, 3, 5)), ("5-3-2026", D(2026, 3, 5)),
    ("5 March 2026", D(2026, 3, 5)), ("05-Mar-2026", D(2026, 3, 5)),
    ("46086", D(2026, 3, 5)),  # Excel counts 46086 days from 1899-12-30
])
def test_dates_in_common_forms(text, day):
    assert parse_day(text) == day


@pytest.mark.parametrize(("text", "message"), [
    ("31/02/2026", "'31/02/2026' is not a date"),
    ("03/25/2026", "is it month first"),
    ("next week", "'next week' is not a date"),
    ("1899-01-01", "falls in 1899"),
])
def test_dates_that_cannot_be_read_say_why(text, message):
    with pytest.raises(ValueError, match=message):
        parse_day(text)


def test_a_messy_log_keeps_the_valid_rows_and_locates_every_problem(roster_project, messy_csv):
    result = read_insights_file(roster_project, messy_csv)
    assert _problems(result) == {
        (3, "Source", "unknown_source", "error"),
        (5, "Date received", "bad_date", "error"),
        (6, "Acted on", "acted_before_received", "error"),
        (7, "Source", "blank", "error"),
        (8, "Received by", "unknown_person", "warning"),
        (8, "Acted on", "no_date_acted", "warning"),
        (8, "Customer told", "yes_no", "warning"),
        (9, "Received by", "blank", "error"),
    }
    messages = {p.row: str(p) for p in result.problems if p.severity == "error"}
    assert messages[3] == ("log.csv, row 3, column 'Source': unknown source 'compliant' (did "
                           "you mean 'complaint'?); use one of: complaint, survey, frontline "
                           "conversation, data, partner; row skipped")
    assert "before it was received on 2026-03-10" in messages[6]
    assert result.records == [
        InsightDraft("complaint", "Households", "Café bill shows the wrong VAT", D(2026, 3, 5),
                     "E1001", "E1002", "Fixed rate", D(2026, 3, 12), "", True, False),
        # an Excel day number; the receiver named by e-mail address
        InsightDraft("survey", "Small business", "Invoice hard to read", D(2026, 3, 9),
                     "E1002", "E1002", via_gatekeeper=True),
        # "frontline" means a frontline conversation; an unknown id and a role stay text
        InsightDraft("frontline conversation", "Households", "Evening install slots wanted",
                     D(2026, 3, 11), "E9999", "Head of Operations", "Opened Saturday slots"),
        InsightDraft("data", "Large business", "Half-hourly gaps at weekends", D(2026, 3, 13),
                     "E1003", "E1003", "Patched feed", D(2026, 3, 20), "", True, False),
    ]


def test_errors_refuse_the_import_unless_the_valid_part_is_accepted(roster_project, messy_csv):
    result = read_insights_file(roster_project, messy_csv)
    with pytest.raises(ImportRefused, match="5 problems would leave rows out"):
        apply_insights(roster_project, result)
    assert roster_project.learning.data().insights == []
    summary = apply_insights(roster_project, result, accept_valid=True, file=messy_csv)
    assert summary.describe() == "4 insights added"
    assert roster_project.history.undo_label == "Import 4 insights from log.csv"
    assert [i.ref for i in roster_project.learning.data().insights] == [
        "I-0001", "I-0002", "I-0003", "I-0004"]
    roster_project.undo()  # one step: the insights and the saved mapping
    assert roster_project.learning.data().insights == []
    assert roster_project.settings.get("import.mapping.insights") is None


def test_a_workbook_with_a_notes_sheet_first_and_real_date_cells(roster_project, tmp_path):
    path = tmp_path / "log.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active["A1"] = "Insights from the March huddles"
    sheet = book.create_sheet("Log")
    sheet.append(["Source", "Segment", "What the customer said", "Date received",
                  "Received by", "Can act", "Date acted on", "Loop closed"])
    sheet.append(["Complaint", "Households", "Direct debit doubled", dt.datetime(2026, 3, 2),
                  1001, "Bo Lind", dt.datetime(2026, 3, 4), True])
    sheet.append(["Survey", "Households", "Welcome pack too late", 46090, "E1001", "E1002",
                  "soon", None])
    book.save(path)
    result = read_insights_file(roster_project, path)
    assert _problems(result) == {(None, None, "sheet", "warning"),
                                 (2, "Received by", "unknown_person", "warning"),
                                 (3, "Date acted on", "bad_date", "error")}
    assert result.records == [InsightDraft("complaint", "Households", "Direct debit doubled",
                                           D(2026, 3, 2), "1001", "E1002",
                                           acted_on=D(2026, 3, 4), loop_closed=True)]


def test_a_file_without_a_summary_column_is_refused_with_its_columns(roster_project, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("Source,Segment,Date,Received by\ncomplaint,Households,2026-03-01,E1\n",
                    encoding="utf-8")
    with pytest.raises(WorkbenchError, match="no column chosen for summary"):
        read_insights_file(roster_project, path)


EVIDENCE = (
    "Segment,Measure,Value,Unit,Period,Target\n"
    "Households,CSAT,\"7,2\",score 0-10,2026-Q3,8\n"
    "households,Complaints unresolved after 30 days,18 %,,2026-Q3,10\n"
    "Small busines,churn,19,%,2026-Q3,12\n"
    "Small business,happiness,3,,2026-Q3,\n"
    "Small business,effort,high,,2026-Q3,3\n"
    "Small business,silent churn,9,%,2026-Q3,five\n"
    ",churn,4,%,2026-Q3,\n"
    "Households,nps,7.5,score 0-10,2026-Q3,\n"
    "Small business,Lapse,19,%,2026-Q3,12\n"
)


def test_evidence_joins_known_segments_and_reports_the_rest_per_row(tmp_path):
    path = tmp_path / "evidence.csv"
    path.write_text(EVIDENCE, encoding="utf-8")
    result = import_evidence(path, ["Households", "Small business"])
    assert _problems(result) == {
        (4, "Segment", "unknown_segment", "error"),
        (5, "Measure", "unknown_measure", "error"),
        (6, "Value", "not_a_number", "error"),
        (7, "Target", "not_a_number", "error"),
        (8, "Segment", "blank", "error"),
        (9, "Measure", "duplicate_measure", "error"),
    }
    assert "unknown segment 'Small busines' (did you mean 'Small business'?)" in \
        next(str(p) for p in result.problems if p.row == 4)
    assert "satisfaction of Households for 2026-Q3 is already given on row 2" in \
        next(str(p) for p in result.problems if p.row == 9)
    assert result.records == [
        MeasureDraft("Households", "satisfaction", 7.2, "score 0-10", "2026-Q3", "", 8.0),
        MeasureDraft("Households", "complaints unresolved", 18.0, "%", "2026-Q3", "", 10.0),
        MeasureDraft("Small business", "churn", 19.0, "%", "2026-Q3", "", 12.0),
    ]


def test_evidence_into_a_project_without_segments_takes_them_with_a_warning(project, tmp_path):
    path = tmp_path / "evidence.csv"
    path.write_text("Segment,KPI,Figure\nFarmers,churn,4\n", encoding="utf-8")
    result = import_evidence(path, project.learning.segments())
    assert _problems(result) == {(None, None, "no_segments", "warning")}
    apply_evidence(project, result)
    assert [(m.segment, m.kind, m.value) for m in project.learning.data().measures] == [
        ("Farmers", "churn", 4.0)]


# -- the command line ------------------------------------------------------------------------


def _project_with_roster(path) -> None:
    with Project.create(path) as project:
        project.people.add_many(ROSTER)


def test_cli_refuses_a_messy_log_and_writes_nothing(tmp_path, messy_csv, capsys):
    target = tmp_path / "p.owb"
    _project_with_roster(target)
    before = _digest(target)
    assert main(["import", str(target), "--insights", str(messy_csv)]) == 1
    captured = capsys.readouterr()
    assert "log.csv: 4 insights to add; 8 problems (5 errors, 3 warnings)" in captured.err
    assert ("error: log.csv, row 5, column 'Date received': the date received: '31/02/2026' "
            "is not a date") in captured.err
    assert "5 errors; nothing was imported" in captured.err
    assert _digest(target) == before
    # into a project that does not exist yet: none is left behind
    missing = tmp_path / "new.owb"
    assert main(["import", str(missing), "--insights", str(messy_csv)]) == 1
    assert not missing.exists()


def test_cli_accepts_the_valid_part_and_adds_evidence_in_the_same_run(tmp_path, messy_csv,
                                                                      capsys):
    target = tmp_path / "p.owb"
    _project_with_roster(target)
    evidence = tmp_path / "evidence.csv"
    # "Large business" is known only from the insight file of the same run
    evidence.write_text("Segment,Measure,Value\nLarge business,churn,6 %\n"
                        "Households,effort,3.4\n", encoding="utf-8")
    code = main(["import", str(target), "--insights", str(messy_csv), "--evidence",
                 str(evidence), "--accept-valid"])
    assert code == 0
    out = capsys.readouterr().out
    assert "Imported into p.owb: 4 insights added; 2 measures added" in out
    with Project.open(target) as project:
        data = project.learning.data()
        assert len(data.insights) == 4
        assert [(m.segment, m.kind, m.value, m.unit) for m in data.measures] == [
            ("Households", "effort", 3.4, ""), ("Large business", "churn", 6.0, "%")]


def test_cli_evidence_with_an_unknown_segment_exits_1(tmp_path, capsys):
    target = tmp_path / "p.owb"
    _project_with_roster(target)
    before = _digest(target)
    evidence = tmp_path / "evidence.csv"
    evidence.write_text("Segment,Measure,Value\nHouseholds,churn,14\nRetail,churn,3\n",
                        encoding="utf-8")
    assert main(["import", str(target), "--evidence", str(evidence)]) == 1
    err = capsys.readouterr().err
    assert "evidence.csv, row 3, column 'Segment': unknown segment 'Retail'" in err
    assert _digest(target) == before
    assert main(["import", str(target), "--evidence", str(evidence), "--accept-valid"]) == 0


def test_cli_keeps_people_and_insights_in_separate_runs(tmp_path, messy_csv, capsys):
    code = main(["import", str(tmp_path / "p.owb"), "--people", str(messy_csv), "--insights",
                 str(messy_csv)])
    assert code == 2
    assert "in two runs" in capsys.readouterr().err
    assert not (tmp_path / "p.owb").exists()


# -- the offline entry workbook ---------------------------------------------------------------


def _fill(path, rows) -> None:
    book = openpyxl.load_workbook(path)
    sheet = book[ENTRY_SHEET]
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_entry_workbook_offers_the_lists_and_reads_back_equal(roster_project, tmp_path):
    path = write_insight_workbook(roster_project, tmp_path / "entry.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:2] == [ENTRY_SHEET, HELP_SHEET]
    assert book.active.title == HELP_SHEET  # opens on the instructions
    lists = book["_lists"]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in lists["C"] if c.value] == ["Bo Lind", "Cy Adams", "Zoë Müller"]
    assert [c.value for c in lists["B"] if c.value] == ["Households", "Small business"]
    validations = {str(v.sqref): v for v in book[ENTRY_SHEET].data_validations.dataValidation}
    assert validations["A2:A1001"].formula1 == "'_lists'!$A$1:$A$5"
    assert validations["D2:D1001"].type == "date"
    assert validations["E2:E1001"].formula1 == "'_lists'!$C$1:$C$3"
    book.close()

    _fill(path, [
        ["complaint", "Households", "Debit doubled without a letter", D(2026, 3, 2),
         "Zoë Müller", "Bo Lind", "Capped rises at 25 %", D(2026, 3, 20), "Fewer calls", "yes",
         "no"],
        ["partner", "Public sector", "Tender needs carbon per site", D(2026, 3, 4), "Cy Adams",
         "Head of Product", None, None, None, None, "yes"],
    ])
    result = read_insights_file(roster_project, path)
    assert result.problems == []
    assert result.records == [
        InsightDraft("complaint", "Households", "Debit doubled without a letter", D(2026, 3, 2),
                     "E1001", "E1002", "Capped rises at 25 %", D(2026, 3, 20), "Fewer calls",
                     True, False),
        InsightDraft("partner", "Public sector", "Tender needs carbon per site", D(2026, 3, 4),
                     "E1003", "Head of Product", via_gatekeeper=True),
    ]
    apply_insights(roster_project, result)
    stored = roster_project.learning.data().insights
    assert [InsightDraft(**{k: getattr(i, k) for k in InsightDraft.__dataclass_fields__})
            for i in stored] == result.records


def test_entry_workbook_shows_pseudonyms_when_privacy_is_on(roster_project, tmp_path,
                                                          monkeypatch):
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    save_privacy(roster_project, PrivacySettings(pseudonymise=True))
    shown = shown_people(roster_project)
    path = write_insight_workbook(roster_project, tmp_path / "entry.xlsx")
    book = openpyxl.load_workbook(path)
    listed = [c.value for c in book["_lists"]["C"] if c.value]
    everything = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows()
                          for c in row if c.value is not None)
    book.close()
    assert sorted(listed) == sorted(shown.label(p.id) for p in ROSTER)
    assert not any(p.name in everything or p.email in everything for p in ROSTER)
    _fill(path, [["survey", "Households", "Bills hard to read", D(2026, 3, 2),
                  shown.label("E1003"), shown.label("E1002")]])
    result = read_insights_file(roster_project, path)
    assert result.problems == []
    assert [(r.received_by, r.can_act) for r in result.records] == [("E1003", "E1002")]


def test_entry_workbook_is_never_written_over_the_open_project(roster_project):
    with pytest.raises(WorkbenchError, match="open project file"):
        write_insight_workbook(roster_project, roster_project.path)
