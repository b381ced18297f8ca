"""Sixty phones voting on twenty items at once, on loopback: every acknowledged vote is in the
project file (read through a separate SQLite connection), and the answer times are printed."""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest
from phones_client import phones_project, vote_storm_apart

from workbench.core.workshop.phones import PhoneServer

PHONES, ITEMS = 60, 20


@pytest.mark.slow  # about 12 s on an idle two-core machine: 1,200 commits to the file
def test_sixty_phones_twenty_items(tmp_path, capsys):
    project, session = phones_project(tmp_path / "load.owb", limit=ITEMS)
    server = PhoneServer(project, session, host="127.0.0.1")
    server.start()
    try:
        items = list(server.voting.items)
        assert len(items) == ITEMS
        storm = vote_storm_apart(server.port, server.code, items, PHONES)
    finally:
        server.stop()
        project.close()
    assert storm.refused == []
    assert len(storm.acknowledged) == PHONES * ITEMS
    with sqlite3.connect(tmp_path / "load.owb") as conn:
        stored = conn.execute("SELECT item_id, CAST(value AS INTEGER), participant "
                              "FROM workshop_vote").fetchall()
    assert Counter((item, value) for item, value, _ in stored) == Counter(storm.acknowledged)
    # one ballot per phone and item, labelled Phone 1..60 on each item
    per_item = Counter(item for item, _, _ in stored)
    assert set(per_item.values()) == {PHONES}
    assert {p for _, _, p in stored} == {f"Phone {n}" for n in range(1, PHONES + 1)}
    with capsys.disabled():
        print(f"\n{PHONES} phones x {ITEMS} items: {storm.per_second:.0f} votes/s, "
              f"p95 answer {storm.p95 * 1000:.0f} ms, {storm.seconds:.1f} s in all")
