"""Event-log sources: encodings, folders, Parquet, column mapping, pseudonyms at ingest."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.events import engine_duckdb
from workbench.core.events.importing import apply_events, read_events
from workbench.core.events.people import PeopleLookup
from workbench.core.events.rules import AggregationRules
from workbench.core.events.source import open_source, utf8_files
from workbench.core.model import Person
from workbench.core.project import Project
from workbench.core.tasks import Progress

ROSTER = [Person("EMP-10001", name="Zoë Åberg", email="zoe.aberg@client-co.com"),
          Person("EMP-10002", name="Renée Müller", email="renee.muller@client-co.com"),
          Person("EMP-10003", name="Sam Ode", email="sam.ode@client-co.com")]
LOG = ("Absender;Empfänger;Gesendet\n"
       "Zoë Åberg <zoe.aberg@client-co.com>;renee.muller@client-co.com;2026-01-05 10:00\n"
       "zoe.aberg@client-co.com;Renée <RENEE.MULLER@client-co.com>;2026-01-06 10:00\n")
MAPPING = {"sender": "Absender", "recipients": "Empfänger", "timestamp": "Gesendet"}
RULES = AggregationRules(min_interactions=1)


def aggregate(path: Path, mapping: dict[str, str] | None = None):
    return engine_duckdb.aggregate(open_source("emails", path, mapping), RULES,
                                   PeopleLookup(ROSTER), Progress())


def pairs(result) -> list[tuple[str, str, float]]:
    return [(s, t, w) for p in result.periods
            for s, t, w in zip(p.sources, p.targets, p.weights, strict=True)]


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig"])
def test_csv_in_any_encoding_is_read_through_a_temporary_utf8_copy(tmp_path, encoding):
    path = tmp_path / "log.csv"
    path.write_text(LOG, encoding=encoding)
    source = open_source("emails", path, MAPPING)
    assert source.delimiter == ";" and source.columns["recipients"] == "Empfänger"
    with utf8_files(source) as paths:
        copies = [p for p in paths if p != path]
        assert [p.read_text(encoding="utf-8-sig") for p in paths] == [LOG]
    assert all(not p.exists() for p in copies)  # the copies are gone afterwards
    assert pairs(aggregate(path, MAPPING)) == [("EMP-10001", "EMP-10002", 2.0)]


def test_a_folder_of_files_is_one_log(tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    header, *rows = LOG.splitlines(keepends=True)
    (folder / "jan-1.csv").write_text(header + rows[0], encoding="utf-8")
    (folder / "jan-2.csv").write_text(header + rows[1], encoding="cp1252")
    source = open_source("emails", folder, MAPPING)
    assert source.display_name == "mail (2 files)" and len(source.files) == 2
    assert pairs(aggregate(folder, MAPPING)) == [("EMP-10001", "EMP-10002", 2.0)]
    (folder / "feb.parquet").write_bytes(b"PAR1")
    with pytest.raises(WorkbenchError, match="mixes CSV and Parquet"):
        open_source("emails", folder, MAPPING)


def test_files_of_a_folder_must_share_their_columns(tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "a.csv").write_text("sender,recipients,timestamp\n", encoding="utf-8")
    (folder / "b.csv").write_text("from,to,sent,size\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="b.csv: its columns"):
        open_source("emails", folder)


def test_parquet_files_are_read_and_their_bad_records_located(tmp_path):
    path = tmp_path / "log.parquet"
    duckdb.sql("COPY (SELECT * FROM (VALUES "
               "('zoe.aberg@client-co.com', 'sam.ode@client-co.com', TIMESTAMP '2026-03-02 09:00'),"
               "('ZOE.ABERG@client-co.com', 'EMP-10003', TIMESTAMP '2026-03-03 09:00'),"
               "('', 'sam.ode@client-co.com', TIMESTAMP '2026-03-04 09:00')"
               ") AS t(sender, recipients, sent_at)) "
               f"TO '{path}' (FORMAT parquet)")
    source = open_source("emails", path)
    assert source.format == "parquet"
    assert source.columns == {"sender": "sender", "recipients": "recipients",
                              "timestamp": "sent_at"}
    result = aggregate(path)
    assert pairs(result) == [("EMP-10001", "EMP-10003", 2.0)]
    assert [(p.file, p.row, p.column) for p in result.problems] == [("log.parquet", 3,
                                                                     "sender")]


def test_a_log_without_a_required_column_names_the_columns_it_has(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("from,subject\na@x.com,hello\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="no column for recipients, timestamp; the "
                                             "file's columns are from, subject"):
        open_source("emails", path)
    with pytest.raises(WorkbenchError, match="no column 'Sent'"):
        open_source("emails", path, {"sender": "from", "recipients": "subject",
                                     "timestamp": "Sent"})


def test_pseudonymised_project_imports_by_original_address_and_keeps_none(tmp_path,
                                                                         monkeypatch):
    from workbench.core.pseudonymise import convert_to_pseudonyms

    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    file = tmp_path / "p.owb"
    log = tmp_path / "log.csv"
    log.write_text("sender,recipients,timestamp\n"
                   "zoe.aberg@client-co.com,EMP-10002;sam.ode@client-co.com,2026-01-05 10:00\n"
                   "EMP-10002,ZOE.ABERG@client-co.com,2026-01-06 10:00\n"
                   "stranger@else.com,EMP-10003,2026-01-06 10:00\n", encoding="utf-8")
    with Project.create(file) as project:
        project.people.add_many(ROSTER)
        convert_to_pseudonyms(project)
        stored = sorted(p.id for p in project.people.list())
        plan = read_events(project, "emails", log, RULES)
        assert plan.aggregate.unknown_people == 1
        apply_events(project, plan)
        (network,) = project.networks.list()
        ties = project.networks.ties(network.id)
        assert len(ties) == 3 and {t.source for t in ties} | {t.target for t in ties} <= set(
            stored)
    data = file.read_bytes()
    raw = [p.id for p in ROSTER] + [p.email for p in ROSTER] + ["stranger@else.com"]
    for text in raw:
        for form in (text, text.lower(), text.upper()):
            assert form.encode() not in data
            assert form.encode("utf-16-le") not in data


def test_parquet_lists_of_recipients_are_read_like_list_cells(tmp_path):
    path = tmp_path / "chat.parquet"
    duckdb.sql("COPY (SELECT 'EMP-10001' AS sender, ['EMP-10002', 'sam.ode@client-co.com'] "
               "AS members, '2026-01-05T10:00:00+01:00' AS timestamp, 'general' AS channel) "
               f"TO '{path}' (FORMAT parquet)")
    source = open_source("chats", path)
    assert source.columns["recipients"] == "members" and source.columns["channel"] == "channel"
    result = engine_duckdb.aggregate(source, RULES, PeopleLookup(ROSTER), Progress())
    assert pairs(result) == [("EMP-10001", "EMP-10002", 1.0), ("EMP-10001", "EMP-10003", 1.0)]
