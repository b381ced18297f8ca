"""Phone-voting test helpers: a small workshop project and a phone speaking plain HTTP.

Every request goes to the loopback address only.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from http.cookies import SimpleCookie
from pathlib import Path

from sqlalchemy import func, select

from workbench.core.model import Person, Tie
from workbench.core.project import Project
from workbench.core.questionnaire.loader import load_template
from workbench.core.store.schema import WorkshopNoteRow, WorkshopPredictionRow, WorkshopVoteRow
from workbench.core.workshop.agenda import PREDICT_PEOPLE, AgendaItem, agenda_from_template
from workbench.paths import templates_dir

PEOPLE = [("p1", "Ann Lee", "Sales"), ("p2", "Bo Chen", "Sales"), ("p3", "Cy Diaz", "Service"),
          ("p4", "Dee Evans", "Service"), ("p5", "Ed Fox", "Finance"),
          ("p6", "Annika Berg", "Finance")]


def phones_project(path: Path, *, named: bool = False, predictions: bool = False,
                   limit: int = 2) -> tuple[Project, int]:
    """A project with a maturity-ladder round and a workshop on its first ``limit`` questions
    (ratings 0-4 with anchors), plus a "who do people go to" item when ``predictions``."""
    template = load_template(templates_dir() / "maturity_ladder.yaml")
    project = Project.create(path)
    tid = project.assessments.store_template(template.id, template.version, template.title,
                                             template.model_dump_json(by_alias=True))
    round_id = project.assessments.add_round(tid, "Baseline")
    agenda = agenda_from_template(template)[:limit]
    if predictions:
        agenda.append(AgendaItem(PREDICT_PEOPLE, "", "Who do people go to for customer insight?",
                                 "Predict, then reveal"))
        project.people.add_many([Person(i, n, department=d) for i, n, d in PEOPLE])
        project.networks.add("insight", [Tie("p1", "p3"), Tie("p2", "p3"), Tie("p4", "p5")],
                             type="customer_insight")
    session = project.workshop.create_session("Board", agenda, round_id=round_id,
                                              anonymous=not named)
    return project, session


def stored_rows(project: Project) -> dict[str, int]:
    """How many votes, predictions and notes the project file holds."""
    with project.read() as conn:
        return {name: conn.execute(select(func.count()).select_from(row.__table__)).scalar()
                for name, row in (("votes", WorkshopVoteRow),
                                  ("predictions", WorkshopPredictionRow),
                                  ("notes", WorkshopNoteRow))}


class Phone:
    """One phone's browser: keeps its cookie and the page's token, speaks JSON."""

    def __init__(self, port: int, host: str = "127.0.0.1") -> None:
        self.host, self.port = host, port
        self.cookie = ""
        self.csrf = ""

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        sent = {"Cookie": self.cookie} if self.cookie else {}
        sent.update(headers or {})
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            raw = response.read()
            cookie = response.getheader("Set-Cookie")
        finally:
            conn.close()
        if cookie:
            parsed = SimpleCookie(cookie)
            self.cookie = "; ".join(f"{k}={m.value}" for k, m in parsed.items())
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            data = {"text": raw.decode()}
        if isinstance(data, dict) and data.get("csrf"):
            self.csrf = data["csrf"]
        return response.status, data

    def post(self, path: str, payload: object, *, token: bool = True) -> tuple[int, dict]:
        headers = {"Content-Type": "application/json",
                   "Origin": f"http://{self.host}:{self.port}"}
        if token:
            headers["X-Workbench-Token"] = self.csrf
        return self.request("POST", path, json.dumps(payload).encode(), headers)

    def join(self, code: str, name: str | None = None) -> tuple[int, dict]:
        payload = {"code": code} if name is None else {"code": code, "name": name}
        return self.post("/api/join", payload, token=False)

    def state(self) -> tuple[int, dict]:
        return self.request("GET", "/api/state")

    def vote(self, item_id: int, **body: object) -> tuple[int, dict]:
        return self.post(f"/api/items/{item_id}/vote", body)


@dataclass(frozen=True)
class Storm:
    """What a crowd of phones sent and got back."""

    acknowledged: list[tuple[int, int]]  # (item id, value) of every vote answered 200
    refused: list[int]  # the other statuses
    latencies: list[float]  # seconds from sending a vote to its answer
    seconds: float  # wall time of the whole storm

    @property
    def p95(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, round(0.95 * len(ordered)) - 1)]

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds


def vote_storm(port: int, code: str, item_ids: list[int], phones: int) -> Storm:
    """``phones`` phones join at once, then each votes on every item, one after another.

    Phone ``n`` votes ``(n + position) % 5`` on the item at ``position``; all requests go to
    the loopback address; the storm ends when every phone has had its answers.
    """
    import aiohttp

    base = f"http://127.0.0.1:{port}"
    acknowledged: list[tuple[int, int]] = []
    refused: list[int] = []
    latencies: list[float] = []

    async def phone(n: int) -> None:
        jar = aiohttp.CookieJar(unsafe=True)  # cookies from an IP address, as phones keep them
        timeout = aiohttp.ClientTimeout(total=60)
        async with aiohttp.ClientSession(base, cookie_jar=jar, timeout=timeout) as session:
            async with session.post("/api/join", json={"code": code}) as response:
                assert response.status == 200, await response.text()
                csrf = (await response.json())["csrf"]
            headers = {"X-Workbench-Token": csrf, "Origin": base}
            for position, item in enumerate(item_ids):
                value = (n + position) % 5
                began = time.perf_counter()
                async with session.post(f"/api/items/{item}/vote", json={"value": value},
                                        headers=headers) as response:
                    await response.read()
                latencies.append(time.perf_counter() - began)
                if response.status == 200:
                    acknowledged.append((item, value))
                else:
                    refused.append(response.status)

    async def crowd() -> None:
        await asyncio.gather(*(phone(n) for n in range(phones)))

    began = time.perf_counter()
    asyncio.run(crowd())
    return Storm(acknowledged, refused, latencies, time.perf_counter() - began)


def vote_storm_apart(port: int, code: str, item_ids: list[int], phones: int) -> Storm:
    """:func:`vote_storm` from a process of its own: phones are not inside the laptop's
    process, and the crowd's own work then does not slow the server down."""
    done = subprocess.run([sys.executable, __file__, str(port), code,
                           ",".join(map(str, item_ids)), str(phones)],
                          capture_output=True, text=True, timeout=300, check=True)
    data = json.loads(done.stdout)
    return Storm([(item, value) for item, value in data["acknowledged"]], data["refused"],
                 data["latencies"], data["seconds"])


if __name__ == "__main__":  # the crowd of vote_storm_apart
    port, code, items, phones = sys.argv[1:]
    storm = vote_storm(int(port), code, [int(i) for i in items.split(",")], int(phones))
    print(json.dumps(asdict(storm)))
