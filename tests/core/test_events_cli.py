"""`workbench events`: the exact command-line contract on real projects and real log files."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from workbench.cli import main
from workbench.core.project import Project

PEOPLE = ("id,name,email\n"
          "e1,Ann Lee,ann@client.com\n"
          "e2,Bo Chen,bo@client.com\n"
          "e3,Cy Diaz,cy@client.com\n")
# January: e1 -> e2 twice, e2 -> e1 twice (once by id), e1 -> e3 once (below the minimum);
# February: e1 -> e2 twice, and one e-mail to someone not on the people list.
EMAILS = ("sender,recipients,timestamp\n"
          "ann@client.com,bo@client.com;cy@client.com,2026-01-05 09:00\n"
          " ANN@Client.com ,Bo Chen <bo@client.com>,2026-01-06 10:00\n"
          "bo@client.com,ann@client.com,2026-01-07T11:00:00Z\n"
          "e2,e1,2026-01-08 11:00\n"
          "ann@client.com,stranger@elsewhere.com,2026-02-02 09:00\n"
          "ann@client.com,bo@client.com,2026-02-03 09:00\n"
          "ann@client.com,bo@client.com,2026-02-04 09:00\n")
BAD_ROW = "bo@client.com,ann@client.com,the day after\n"  # line 9 of the file


@pytest.fixture
def project_file(tmp_path) -> Path:
    people = tmp_path / "people.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    path = tmp_path / "client.owb"
    assert main(["import", str(path), "--people", str(people)]) == 0
    return path


@pytest.fixture
def emails(tmp_path) -> Path:
    path = tmp_path / "emails.csv"
    path.write_text(EMAILS, encoding="utf-8")
    return path


def stored(path: Path) -> dict[str, tuple[str, dt.date | None, set]]:
    with Project.open(path) as project:
        return {n.name: (n.type, n.date, {(t.source, t.target, t.weight)
                                          for t in project.networks.ties(n.id)})
                for n in project.networks.list()}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_emails_become_one_dated_network_per_month(project_file, emails, capsys):
    assert main(["events", str(project_file), "--emails", str(emails)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "emails.csv: 7 e-mails read."
    assert "Network 'E-mail 2026-01': 2 ties" in out and "Network 'E-mail 2026-02': 1 tie" in out
    assert out[-1].startswith("Imported into client.owb: network 'E-mail 2026-01': 2 ties")
    assert stored(project_file) == {
        "E-mail 2026-01": ("email", dt.date(2026, 1, 1),
                           {("e1", "e2", 2.0), ("e2", "e1", 2.0)}),
        "E-mail 2026-02": ("email", dt.date(2026, 2, 1), {("e1", "e2", 2.0)}),
    }
    text = project_file.read_bytes()
    assert b"stranger@elsewhere.com" not in text and b"ann@client.com" in text  # roster only


def test_prints_what_each_rule_left_out_and_the_unknown_people(project_file, emails, capsys):
    assert main(["events", str(project_file), "--emails", str(emails), "--period", "quarter",
                 "--min-interactions", "1", "--max-recipients", "1"]) == 0
    out = capsys.readouterr().out
    assert "Excluded (broadcast): 1 e-mail" in out
    assert "Excluded (no known participant): 1 e-mail" in out
    assert "Not on the people list: 1 person (1 link left out; e.g. stranger@elsewhere.com)" in out
    assert "Network 'E-mail 2026-Q1': 2 ties" in out
    # the e-mail to two people is a broadcast with a cut-off of 1; the rest make 3 ties
    (name, (kind, date, ties)), = stored(project_file).items()
    assert (name, date) == ("E-mail 2026-Q1", dt.date(2026, 1, 1))
    assert ties == {("e1", "e2", 3.0), ("e2", "e1", 2.0)}


def test_rows_with_errors_write_nothing_unless_accept_valid(project_file, emails, capsys):
    emails.write_text(EMAILS + BAD_ROW, encoding="utf-8")
    before = digest(project_file)
    assert main(["events", str(project_file), "--emails", str(emails)]) == 1
    err = capsys.readouterr().err
    assert "emails.csv, row 9, column 'timestamp'" in err
    assert "nothing was imported" in err
    assert digest(project_file) == before
    assert main(["events", str(project_file), "--emails", str(emails), "--accept-valid"]) == 0
    assert set(stored(project_file)) == {"E-mail 2026-01", "E-mail 2026-02"}


def test_meetings_in_a_folder_with_minutes(project_file, tmp_path, capsys):
    folder = tmp_path / "calendar"
    folder.mkdir()
    (folder / "part-1.csv").write_text(  # Windows-1252, with a subject that is not read
        "organizer;attendees;start;duration;subject\n"
        "e1;e2,e3;2026-03-30 09:00;30;Réunion budget\n", encoding="cp1252")
    (folder / "part-2.csv").write_text(
        "organizer;attendees;start;duration;subject\n"
        "e2;e1;2026-04-02 09:00;60;Weekly\n", encoding="utf-8")
    assert main(["events", str(project_file), "--meetings", str(folder), "--period", "quarter",
                 "--min-interactions", "1", "--weight", "minutes"]) == 0
    assert stored(project_file) == {
        "Meetings 2026-Q1": ("meeting", dt.date(2026, 1, 1),
                             {("e1", "e2", 30.0), ("e1", "e3", 30.0), ("e2", "e3", 30.0)}),
        "Meetings 2026-Q2": ("meeting", dt.date(2026, 4, 1), {("e1", "e2", 60.0)}),
    }
    assert "Meetings 2026-Q2" in capsys.readouterr().out
    assert "Réunion".encode("cp1252") not in project_file.read_bytes()
    assert "Réunion".encode() not in project_file.read_bytes()


@pytest.mark.parametrize("argv", [
    ["--emails", "x.csv", "--master", "spark://host:7077"],  # --master needs --engine spark
    ["--emails", "x.csv", "--weight", "minutes"],  # minutes are for meetings
    ["--chats", "x.csv", "--timezone", "Mars/Olympus"],
])
def test_usage_errors_exit_2_and_write_nothing(project_file, argv, capsys):
    before = digest(project_file)
    assert main(["events", str(project_file), *argv]) == 2
    assert capsys.readouterr().err.startswith("workbench events:")
    assert digest(project_file) == before


@pytest.mark.parametrize("argv", [
    ["--emails", "a.csv", "--meetings", "b.csv"],  # the kinds exclude each other
    [],  # one kind is required
    ["--emails", "a.csv", "--period", "year"],
    ["--emails", "a.csv", "--working-hours", "8 to 18"],
])
def test_argument_errors_exit_2(project_file, argv):
    with pytest.raises(SystemExit) as exit_:
        main(["events", str(project_file), *argv])
    assert exit_.value.code == 2


def test_missing_project_or_no_people_exit_1_and_create_nothing(tmp_path, emails, capsys):
    missing = tmp_path / "nowhere.owb"
    assert main(["events", str(missing), "--emails", str(emails)]) == 1
    assert "does not exist" in capsys.readouterr().err and not missing.exists()
    empty = tmp_path / "empty.owb"
    Project.create(empty, client="Empty").close()
    before = digest(empty)
    assert main(["events", str(empty), "--emails", str(emails)]) == 1
    assert "import the people list first" in capsys.readouterr().err
    assert digest(empty) == before


def test_a_missing_log_exits_1(project_file, tmp_path, capsys):
    assert main(["events", str(project_file), "--chats", str(tmp_path / "none.csv")]) == 1
    assert "none.csv" in capsys.readouterr().err
    assert stored(project_file) == {}


def test_a_project_with_pseudonyms_stores_no_address_or_id_from_the_log(pseudonymised_demo,
                                                                          tmp_path, capsys):
    from workbench.core.pseudonymise import convert_to_pseudonyms

    path, people = pseudonymised_demo
    with Project.open(path) as project:
        convert_to_pseudonyms(project)
    ann, bo = people[0], people[1]
    log = tmp_path / "mail.csv"
    log.write_text("from,to,sent\n"
                   f"{ann.email},{bo.email},2026-05-04 09:00\n"
                   f"{ann.id},{bo.email.upper()},2026-05-05 09:00\n"
                   f"{ann.email},outsider@elsewhere.com,2026-05-06 09:00\n", encoding="utf-8")
    assert main(["events", str(path), "--emails", str(log)]) == 0
    out = capsys.readouterr().out
    assert "Network 'E-mail 2026-05': 1 tie" in out
    assert "Not on the people list: 1 person (1 link left out)." in out  # no address shown
    with Project.open(path) as project:
        network = next(n for n in project.networks.list() if n.name == "E-mail 2026-05")
        (tie,) = project.networks.ties(network.id)
    assert tie.weight == 2.0 and ann.id not in (tie.source, tie.target)
    text = path.read_bytes()
    for raw in (ann.email, bo.email, ann.name, bo.name):
        assert raw.encode() not in text and raw not in out
