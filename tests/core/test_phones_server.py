"""The phones' voting server, headless, on loopback: joining, one vote per phone, the reveal,
refusals that write nothing, rate limits, live state after a reconnect, privacy of names."""

from __future__ import annotations

import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from phones_client import PEOPLE, Phone, phones_project, stored_rows

from workbench.core.privacy import PrivacySettings, save_privacy
from workbench.core.questionnaire.loader import load_template
from workbench.core.workshop.agenda import PICKS_PER_PARTICIPANT
from workbench.core.workshop.phones import PhoneServer, lan_address
from workbench.core.workshop.phones import server as server_module
from workbench.core.workshop.phones.server import BURST, JOIN_FAILURES, MAX_BODY, RATE
from workbench.core.workshop.rules import DuplicateVote
from workbench.paths import templates_dir

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def served(tmp_path, monkeypatch):
    """A running server on loopback over a two-question session plus a prediction item."""
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path / "userdata"))
    project, session = phones_project(tmp_path / "phones.owb", predictions=True)
    server = PhoneServer(project, session, host="127.0.0.1")
    server.start()
    yield project, server
    server.stop()
    project.close()


def _items(server):
    items = list(server.voting.items.values())
    return items[0], items[1], items[2]  # two ladder questions, then the prediction


def _joined(server, name=None) -> Phone:
    phone = Phone(server.port)
    status, _ = phone.join(server.code, name)
    assert status == 200
    return phone


def test_a_phone_needs_the_code_and_then_sees_the_item(served):
    project, server = served
    first, _, _ = _items(server)
    phone = Phone(server.port)
    assert phone.state()[0] == 401
    assert phone.vote(first.id, value=2)[0] == 401
    wrong = "000000" if server.code != "000000" else "111111"
    status, answer = phone.join(wrong)
    assert status == 403 and "6 digits" in answer["error"]
    assert phone.state()[0] == 401
    status, state = phone.join(server.code)
    assert status == 200 and "HttpOnly" not in phone.cookie  # parsed: the value only
    status, state = phone.state()
    assert status == 200
    # the ladder's levels with their anchors, as the template words them
    template = load_template(templates_dir() / "maturity_ladder.yaml")
    anchors = template.question(first.ref).anchors
    page = state["item"]
    assert (page["type"], page["title"], page["number"], page["of"]) == (
        "ladder", first.title, 1, 3)
    assert [c["value"] for c in page["choices"]] == [0, 1, 2, 3, 4]
    assert [f"{c['name']}: {c['detail']}" for c in page["choices"]] == list(anchors)
    assert state["ballots"] == 0 and state["mine"] is None and not state["closed"]
    # the page itself and its files come from the laptop, nothing from elsewhere
    status, page_html = phone.request("GET", "/")
    assert status == 200 and "/static/phone.js" in page_html["text"]
    assert "http" not in page_html["text"].replace("http-equiv", "")


def test_vote_change_and_one_ballot_per_phone(served):
    project, server = served
    first, second, _ = _items(server)
    ann, bo = _joined(server), _joined(server)
    assert ann.vote(first.id, value=3) == (200, {"ok": True, "changed": False, "ballots": 1})
    assert ann.vote(first.id, value=1)[1]["changed"] is True
    assert bo.vote(first.id, value=4)[1]["ballots"] == 2
    votes = project.workshop.votes(first.id)
    assert sorted((b.participant, b.value) for b in votes) == [("Phone 1", 1), ("Phone 2", 4)]
    # the laptop's next anonymous participant does not collide with the phones
    label = project.workshop.anonymous_participant(first.id)
    assert label == "P3"
    project.workshop.cast_vote(first.id, label, 0)
    server.follow(first.id, closed=False, ballots=3)  # as the presenter does each second
    # a phone's labels restart on each item, so two items' ballots cannot be linked
    bo.vote(second.id, value=2)
    assert [b.participant for b in project.workshop.votes(second.id)] == ["Phone 1"]
    # the phone sees its own vote and the count, never the others' values
    state = ann.state()[1]
    assert state["mine"] == 1 and state["ballots"] == 3
    assert set(state) == {"joined", "named", "name", "csrf", "version", "item", "closed",
                          "ballots", "mine"}


def test_votes_close_at_the_reveal(served):
    project, server = served
    first, second, _ = _items(server)
    phone = _joined(server)
    phone.vote(first.id, value=2)
    server.follow(first.id, closed=True, ballots=1)
    status, answer = phone.vote(first.id, value=4)
    assert status == 409 and "revealed" in answer["error"]
    assert [b.value for b in project.workshop.votes(first.id)] == [2]
    assert _joined(server).vote(first.id, value=0)[0] == 409
    assert phone.state()[1]["closed"] is True
    # moving on does not reopen it; the next item takes votes
    server.follow(second.id, closed=False, ballots=0)
    assert phone.vote(first.id, value=4)[0] == 409
    assert phone.vote(second.id, value=4)[0] == 200


def test_refusals_write_nothing(served):
    project, server = served
    first, _, predict = _items(server)
    phone = _joined(server)
    before = stored_rows(project)
    last_step = project.history.undo_label
    base = f"/api/items/{first.id}/vote"
    good = {"Content-Type": "application/json", "X-Workbench-Token": phone.csrf}
    cases = [
        (phone.vote(999, value=2), 404),
        (phone.request("POST", "/api/items/x/vote", b'{"value": 2}', good), 404),
        (phone.vote(first.id, value=5), 422),
        (phone.vote(first.id, value="3"), 422),
        (phone.vote(first.id, value=True), 422),
        (phone.vote(first.id), 422),
        (phone.vote(predict.id, picks=[0, 1, 2, 3][:PICKS_PER_PARTICIPANT + 1]), 422),
        (phone.vote(predict.id, picks=[len(PEOPLE)]), 422),
        (phone.vote(predict.id, picks=[]), 422),
        (phone.vote(predict.id, picks="p1"), 422),
        (phone.request("POST", base, json.dumps({"value": 2, "pad": "x" * MAX_BODY}).encode(),
                       good), 413),
        (phone.request("POST", base, b"value=2", {**good, "Content-Type": "text/plain"}), 415),
        (phone.request("POST", base, b"{value", good), 400),
        (phone.request("POST", base, b'{"value": 2}', {**good, "X-Workbench-Token": "guess"}),
         403),
        (phone.request("POST", base, b'{"value": 2}', {**good, "Origin": "http://evil.test"}),
         403),
        (phone.request("POST", base, b'{"value": 2}', {**good, "Host": "evil.test"}), 421),
        (phone.post(f"/api/items/{first.id}/note", {"text": "  "}), 422),
        (phone.post(f"/api/items/{first.id}/note", {"text": "x" * 1001}), 422),
        (Phone(server.port).vote(first.id, value=2), 401),
    ]
    assert [status for (status, _), _ in cases] == [expected for _, expected in cases]
    assert all(answer.get("error") for (_, answer), _ in cases)
    assert stored_rows(project) == before
    assert project.history.undo_label == last_step  # no empty undo step either


def test_rate_limits(served, monkeypatch):
    project, server = served
    first, _, _ = _items(server)
    eager, calm = _joined(server), _joined(server)
    # the limiter's clock stands still while the phones flood it (however slow the machine)
    clock = [time.monotonic()]
    monkeypatch.setattr(server_module, "time", SimpleNamespace(
        monotonic=lambda: clock[0], perf_counter=time.perf_counter))
    statuses = [eager.vote(999, value=1)[0] for _ in range(BURST + 30)]
    assert statuses[:BURST] == [404] * BURST  # a burst as large as the limit is answered
    assert 429 in statuses[BURST:]
    assert eager.vote(first.id, value=1)[0] == 429  # held back, and nothing written
    assert project.workshop.votes(first.id) == []
    assert calm.vote(first.id, value=1)[0] == 200  # another phone is not held back
    clock[0] += 2 / RATE  # the limit refills
    assert eager.vote(first.id, value=2)[0] == 200
    assert sorted(b.participant for b in project.workshop.votes(first.id)) == [
        "Phone 1", "Phone 2"]
    # wrong codes are limited per network address, and then even the right one waits
    guesser = Phone(server.port)
    wrong = "000000" if server.code != "000000" else "111111"
    assert [guesser.join(wrong)[0] for _ in range(JOIN_FAILURES)] == [403] * JOIN_FAILURES
    assert guesser.join(server.code)[0] == 429


def _events(port: int, cookie: str):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/api/events", headers={"Cookie": cookie})
    response = conn.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/event-stream")
    return conn, response


def _next_state(response) -> dict:
    """Read the event stream up to its next "state" event."""
    event = None
    while True:
        line = response.fp.readline().decode().rstrip("\n")
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: ") and event == "state":
            return json.loads(line[6:])


def _state_where(response, wanted, events: int = 5) -> dict:
    """The first of the next few states for which ``wanted(state)`` holds (earlier updates,
    such as the phones joining, may still be on their way)."""
    for _ in range(events):
        state = _next_state(response)
        if wanted(state):
            return state
    raise AssertionError(f"no state as wanted in {events} events; the last: {state}")


def test_live_state_and_reconnect(served):
    project, server = served
    first, second, _ = _items(server)
    watcher, voter = _joined(server), _joined(server)
    conn, stream = _events(server.port, watcher.cookie)
    assert _next_state(stream)["item"]["id"] == first.id
    voter.vote(first.id, value=3)
    assert _state_where(stream, lambda state: state["ballots"] == 1)  # pushed unasked
    conn.close()  # the phone loses the network...
    server.follow(second.id, closed=False, ballots=0)  # ...while the presenter moves on
    voter.vote(second.id, value=1)
    conn, stream = _events(server.port, watcher.cookie)  # EventSource reconnects by itself
    state = _next_state(stream)
    assert (state["item"]["id"], state["ballots"]) == (second.id, 1)
    conn.close()
    assert Phone(server.port).request("GET", "/api/events")[0] == 401


def test_named_session_asks_a_name_once(tmp_path):
    project, session = phones_project(tmp_path / "named.owb", named=True)
    server = PhoneServer(project, session, host="127.0.0.1")
    server.start()
    try:
        first = next(iter(server.voting.items.values()))
        phone = Phone(server.port)
        assert phone.state()[1]["named"] is True
        assert phone.join(server.code)[0] == 422
        assert phone.join(server.code, "  Ann   Lee ")[0] == 200
        assert phone.vote(first.id, value=2)[0] == 200
        assert phone.vote(first.id, value=3)[0] == 200
        assert [(b.participant, b.value) for b in project.workshop.votes(first.id)] == [
            ("Ann Lee", 3)]
        with pytest.raises(DuplicateVote):  # the laptop refuses the name for this item
            project.workshop.check_participant(first.id, "ann lee")
        phone.post(f"/api/items/{first.id}/note", {"text": "Sales hears it first"})
        assert [n.text for n in project.workshop.notes(session)] == [
            "Ann Lee: Sales hears it first"]
        # a second phone giving a name that voted on the laptop is refused on that item
        project.workshop.cast_vote(first.id, "Bo Chen", 1)
        status, answer = _joined(server, "bo chen").vote(first.id, value=4)
        assert status == 409 and "already voted" in answer["error"]
    finally:
        server.stop()
        project.close()


def test_prediction_search_and_privacy(served):
    project, server = served
    _, _, predict = _items(server)
    phone = _joined(server)
    status, answer = phone.request("GET", f"/api/items/{predict.id}/search?q=ann")
    assert status == 200
    assert [f["text"] for f in answer["found"]] == ["Ann Lee  (Sales)", "Annika Berg  (Finance)"]
    server.follow(predict.id, closed=False, ballots=0)
    page = phone.state()[1]["item"]
    assert (page["type"], page["picks"], page["candidates"]) == ("predict", 3, [])  # no roster
    keys = [f["key"] for f in answer["found"]]
    assert phone.vote(predict.id, picks=keys)[0] == 200
    assert project.workshop.predictions(predict.id)[0].value == ["p1", "p6"]
    # pseudonyms on: a new server shows pseudonyms only, and names find nobody
    server.stop()
    save_privacy(project, PrivacySettings(pseudonymise=True))
    private = PhoneServer(project, server.voting.session_id, host="127.0.0.1")
    private.start()
    try:
        phone = _joined(private)
        assert phone.request("GET", f"/api/items/{predict.id}/search?q=ann")[1]["found"] == []
        found = phone.request("GET", f"/api/items/{predict.id}/search?q=(")[1]["found"]
        assert len(found) == len(PEOPLE)
        names = [name for _, name, _ in PEOPLE]
        assert not any(part in f["text"] for f in found for name in names
                       for part in name.split())
    finally:
        private.stop()


def test_the_address_is_the_rooms_network_or_loopback_with_a_warning(monkeypatch):
    from workbench.core.workshop.phones import network

    monkeypatch.setattr(network, "_routed_address", lambda: None)
    monkeypatch.setattr(network, "_host_addresses", lambda: ["127.0.1.1", "169.254.3.4",
                                                            "192.168.1.20"])
    assert lan_address() == network.Address("192.168.1.20")
    monkeypatch.setattr(network, "_routed_address", lambda: "10.0.0.7")
    assert lan_address().host == "10.0.0.7"  # the interface of the default route comes first
    monkeypatch.setattr(network, "_routed_address", lambda: None)
    monkeypatch.setattr(network, "_host_addresses", lambda: ["127.0.1.1"])
    address = lan_address()
    assert address.host == "127.0.0.1" and not address.reachable
    assert "phones cannot reach it" in address.warning


def test_acknowledged_votes_survive_kill_9(tmp_path):
    project, session = phones_project(tmp_path / "kill.owb", limit=3)
    project.close()
    script = textwrap.dedent(f"""
        import sys, time
        from workbench.core.project import Project
        from workbench.core.workshop.phones import PhoneServer
        project = Project.open({str(tmp_path / "kill.owb")!r})
        server = PhoneServer(project, {session}, host="127.0.0.1")
        server.start()
        print(server.port, server.code, flush=True)
        time.sleep(60)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                             cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        port, code = child.stdout.readline().split()
        phones = [Phone(int(port)) for _ in range(3)]
        acknowledged = 0
        for n, phone in enumerate(phones):
            assert phone.join(code)[0] == 200
            for item in (1, 2, 3):
                status, _ = phone.vote(item, value=(n + item) % 5)
                acknowledged += status == 200
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    assert acknowledged == 9
    with sqlite3.connect(tmp_path / "kill.owb") as conn:
        rows = conn.execute("SELECT item_id, value FROM workshop_vote").fetchall()
    assert sorted(rows) == sorted((item, (n + item) % 5) for n in range(3)
                                  for item in (1, 2, 3))
