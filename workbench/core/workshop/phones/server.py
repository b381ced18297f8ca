"""The phones' web server: HTTP routes, safety checks, live state, and its start/stop controller.

Routes (all answers JSON except the page and the event stream)::

    GET  /                       the phone's page (join form, then the item on screen)
    GET  /static/<file>          its script and style sheet
    POST /api/join               {"code": "123456", "name": "..."} -> cookie for this phone
    GET  /api/state              what the phone shows now (401 before joining)
    GET  /api/events             server-sent events: the state again whenever it changes
    GET  /api/items/<id>/search?q=ann          roster search on a prediction item
    POST /api/items/<id>/vote    {"value": 3} or {"picks": [4, 9]}
    POST /api/items/<id>/note    {"text": "..."}

Safety: a phone needs the session code once (then a cookie); every POST needs JSON, a body of
at most :data:`MAX_BODY` bytes, the session's token in the ``X-Workbench-Token`` header (the
page gets it with its state: another site's page can neither read it nor send the header) and,
when the browser names one, an ``Origin`` that is this server. The ``Host`` must be one of the
server's own addresses (so a renamed host cannot reach it). Each phone may send
:data:`BURST` requests at once and :data:`RATE` a second after that; wrong codes are limited
per network address. A refusal writes nothing.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import io
import json
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import TYPE_CHECKING, Any

import segno
from aiohttp import web

from workbench.core.errors import WorkbenchError
from workbench.core.workshop.phones.network import LOOPBACK, Address, lan_address
from workbench.core.workshop.phones.voting import PhoneEvent, PhoneVoting, Refused

if TYPE_CHECKING:
    from workbench.core.project import Project

MAX_BODY = 4096  # bytes of one request body
BURST, RATE = 30, 10.0  # requests per phone: at once, then per second
JOIN_FAILURES = 10  # wrong codes per network address and minute
TOKEN_HEADER = "X-Workbench-Token"
DEVICE_COOKIE = "workbench_phone"
KEEPALIVE = 15.0  # seconds between comments on an idle event stream
COALESCE = 0.15  # seconds: many votes close together become one update to the phones
STATIC = {"phone.js": "application/javascript", "phone.css": "text/css"}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class RateLimit:
    """Token buckets by key: ``burst`` requests at once, refilled at ``rate`` per second."""

    def __init__(self, burst: float, rate: float) -> None:
        self.burst, self.rate = burst, rate
        self._buckets: dict[str, tuple[float, float]] = {}

    def _tokens(self, key: str) -> float:
        now = time.monotonic()
        tokens, then = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        self._buckets[key] = (tokens, now)
        return tokens

    def exhausted(self, key: str) -> bool:
        """Whether ``key`` has no request left, without spending one."""
        return self._tokens(key) < 1

    def allow(self, key: str) -> bool:
        """Spend one request of ``key``; False (nothing spent) when none is left."""
        tokens = self._tokens(key)
        if tokens < 1:
            return False
        self._buckets[key] = (tokens - 1, self._buckets[key][1])
        return True


def _refused(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


class PhoneApp:
    """The aiohttp application over one :class:`PhoneVoting`; runs on one event loop."""

    def __init__(self, voting: PhoneVoting, hosts: set[str]) -> None:
        self.voting = voting
        self.hosts = hosts  # "address:port" values the Host header may name
        # Writes wait for the project's write lock anyway: one thread takes them in arrival
        # order (threads fighting over the lock halved the votes per second); reads have two.
        self.writer = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="phone-votes")
        self.readers = concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="phone-reads")
        self.limit = RateLimit(BURST, RATE)
        self.joins = RateLimit(JOIN_FAILURES, JOIN_FAILURES / 60)
        self.streams: set[asyncio.Queue[bool]] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        self._flush_pending = False
        self._files = {name: resources.files(__package__).joinpath("static", name).read_bytes()
                       for name in (*STATIC, "index.html")}
        voting.add_listener(self._changed)

    def build(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY, middlewares=[self._guard])
        app.router.add_get("/", self.index)
        app.router.add_get("/static/{name}", self.static)
        app.router.add_post("/api/join", self.join)
        app.router.add_get("/api/state", self.state)
        app.router.add_get("/api/events", self.events)
        app.router.add_get("/api/items/{item}/search", self.search)
        app.router.add_post("/api/items/{item}/vote", self.vote)
        app.router.add_post("/api/items/{item}/note", self.note)
        app.on_shutdown.append(self._close_streams)
        return app

    # -- checks shared by every route ---------------------------------------------------

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if self.loop is None:
            self.loop = asyncio.get_running_loop()
        if self.hosts and request.host not in self.hosts:
            return _refused(421, "This address is not the workshop's.")
        if request.method == "POST":
            origin = request.headers.get("Origin")
            if origin is not None and origin != f"http://{request.host}":
                return _refused(403, "Votes are only taken from the workshop's own page.")
            if request.content_type != "application/json":
                return _refused(415, "Send JSON (Content-Type: application/json).")
            if (request.content_length or 0) > MAX_BODY:
                return _refused(413, f"A request holds at most {MAX_BODY} bytes.")
        try:
            response = await handler(request)
        except Refused as exc:
            return _refused(exc.status, str(exc))
        except web.HTTPRequestEntityTooLarge:
            return _refused(413, f"A request holds at most {MAX_BODY} bytes.")
        except WorkbenchError as exc:  # the project refused (a damaged file, a full disk)
            return _refused(503, str(exc))
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    async def _read(self, func: Callable[..., Any], *args: Any) -> Any:
        """Run a blocking call that reads the project file, off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self.readers, func, *args)

    async def _write(self, func: Callable[..., Any], *args: Any) -> Any:
        """Run a call that writes the project file, on the one writing thread."""
        return await asyncio.get_running_loop().run_in_executor(self.writer, func, *args)

    def _token(self, request: web.Request) -> str | None:
        return request.cookies.get(DEVICE_COOKIE)

    def _check_phone(self, request: web.Request) -> str:
        """The token of a joined phone sending the page's own token, within its rate."""
        token = self._token(request) or ""
        self.voting.device(token)
        if request.headers.get(TOKEN_HEADER) != self.voting.csrf:
            raise Refused(403, "Reload the page: it is not this workshop's.")
        if not self.limit.allow(token):
            raise Refused(429, "Too many requests from this phone: wait a moment.")
        return token

    @staticmethod
    async def _json(request: web.Request) -> Any:
        try:
            return await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise Refused(400, "The request is not valid JSON.") from None

    @staticmethod
    def _item_id(request: web.Request) -> int:
        try:
            return int(request.match_info["item"])
        except ValueError:
            raise Refused(404, "There is no such agenda item.") from None

    # -- routes -------------------------------------------------------------------------

    async def index(self, request: web.Request) -> web.Response:
        return web.Response(body=self._files["index.html"], content_type="text/html",
                            charset="utf-8", headers={"Content-Security-Policy": (
                                "default-src 'self'; img-src 'self' data:; "
                                "frame-ancestors 'none'")})

    async def static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in STATIC:
            raise Refused(404, "No such file.")
        return web.Response(body=self._files[name], content_type=STATIC[name], charset="utf-8")

    async def join(self, request: web.Request) -> web.Response:
        address = request.remote or ""
        if self.joins.exhausted(address):
            raise Refused(429, "Too many wrong codes from this network address: wait a "
                          "minute, then type the code on the big screen.")
        body = await self._json(request)
        if not isinstance(body, dict):
            raise Refused(422, "Send the code as a JSON object.")
        try:
            token = self.voting.join(body.get("code"), body.get("name"))  # in memory
        except Refused as exc:
            if exc.status == 403:  # only wrong codes count against the address
                self.joins.allow(address)
            raise
        state = await self._read(self.voting.state, token)
        response = web.json_response(state)
        response.set_cookie(DEVICE_COOKIE, token, httponly=True, samesite="Strict", path="/")
        return response

    async def state(self, request: web.Request) -> web.Response:
        try:
            return web.json_response(await self._read(self.voting.state, self._token(request)))
        except Refused as exc:
            if exc.status != 401:
                raise
            return web.json_response({"joined": False, "named": self.voting.named,
                                      "error": str(exc)}, status=401)

    async def search(self, request: web.Request) -> web.Response:
        found = await self._read(self.voting.search, self._token(request),
                                self._item_id(request), request.query.get("q", "")[:80])
        return web.json_response({"found": found})

    async def vote(self, request: web.Request) -> web.Response:
        token = self._check_phone(request)
        body = await self._json(request)
        return web.json_response(await self._write(
            self.voting.vote, token, self._item_id(request), body))

    async def note(self, request: web.Request) -> web.Response:
        token = self._check_phone(request)
        body = await self._json(request)
        return web.json_response(await self._write(
            self.voting.note, token, self._item_id(request), body))

    async def events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: the phone's state now, then after every change.

        A browser's EventSource reconnects by itself after a drop (``retry``), and a new
        connection starts with the current state, so a phone never misses an item change.
        """
        token = self._token(request)
        self.voting.device(token)
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream",
                                               "Cache-Control": "no-store"})
        await response.prepare(request)
        queue: asyncio.Queue[bool] = asyncio.Queue(maxsize=1)
        self.streams.add(queue)
        try:
            await response.write(b"retry: 2000\n\n")
            running = True
            while running:
                state = await self._read(self.voting.state, token)
                await response.write(f"event: state\ndata: {json.dumps(state)}\n\n".encode())
                while True:
                    try:
                        running = await asyncio.wait_for(queue.get(), KEEPALIVE)
                        break
                    except TimeoutError:
                        await response.write(b": still here\n\n")
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self.streams.discard(queue)
        return response

    # -- live updates -------------------------------------------------------------------

    def _changed(self, event: PhoneEvent) -> None:
        """Any thread: schedule one update of every open event stream."""
        loop = self.loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop stopped in between
                loop.call_soon_threadsafe(self._schedule_flush)

    def _schedule_flush(self) -> None:
        if not self._flush_pending and self.loop is not None:
            self._flush_pending = True
            self.loop.call_later(COALESCE, self._flush)

    def _flush(self) -> None:
        self._flush_pending = False
        self._wake(True)

    def _wake(self, running: bool) -> None:
        for queue in list(self.streams):
            if queue.empty():
                queue.put_nowait(running)

    async def _close_streams(self, app: web.Application) -> None:
        for queue in list(self.streams):
            with contextlib.suppress(asyncio.QueueEmpty):
                queue.get_nowait()
            queue.put_nowait(False)


class PhoneServer:
    """Starts and stops the phones' server in a thread of its own, for one workshop session.

    ``listeners`` get every :class:`PhoneEvent` on the server's threads: the GUI connects one
    that emits a Qt signal. ``host`` None picks the laptop's address on the room's network.
    """

    def __init__(self, project: Project, session_id: int, host: str | None = None,
                 listeners: list[Callable[[PhoneEvent], None]] | None = None) -> None:
        self.voting = PhoneVoting(project, session_id)
        for listener in listeners or []:
            self.voting.add_listener(listener)
        self.address = Address(host) if host else lan_address()
        self.port = 0
        self.app: PhoneApp | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self.started_in = 0.0  # seconds start() took

    @property
    def code(self) -> str:
        return self.voting.code

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def url(self) -> str:
        """The short address phones open (the code is typed there)."""
        return f"http://{self.address.host}:{self.port}/"

    @property
    def join_url(self) -> str:
        """The address in the QR code: the page with the code filled in."""
        return f"{self.url}?code={self.code}"

    def qr_png(self, scale: int = 10) -> bytes:
        out = io.BytesIO()
        segno.make(self.join_url, error="m").save(out, kind="png", scale=scale, border=2)
        return out.getvalue()

    def qr_svg(self, scale: int = 10) -> bytes:
        out = io.BytesIO()
        segno.make(self.join_url, error="m").save(out, kind="svg", scale=scale, border=2)
        return out.getvalue()

    def follow(self, item_id: int, closed: bool, ballots: int) -> None:
        """What the presenter shows now (see :meth:`PhoneVoting.follow`)."""
        self.voting.follow(item_id, closed, ballots)

    def start(self, timeout: float = 10.0) -> None:
        """Listen on a free port of the chosen address; returns once phones can connect."""
        if self.running:
            return
        began = time.perf_counter()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind((self.address.host, 0))
        except OSError as exc:
            sock.close()
            raise WorkbenchError(f"The voting server cannot listen on {self.address.host}: "
                                 f"{exc.strerror or exc}.") from None
        self.port = sock.getsockname()[1]
        hosts = {f"{self.address.host}:{self.port}"}
        if self.address.host == LOOPBACK:
            hosts.add(f"localhost:{self.port}")
        self.app = PhoneApp(self.voting, hosts)
        ready = threading.Event()
        failure: list[BaseException] = []
        self._thread = threading.Thread(target=self._serve, args=(sock, ready, failure),
                                        name="phone-voting", daemon=True)
        self._thread.start()
        if not ready.wait(timeout) or failure:
            self.stop()
            reason = failure[0] if failure else "it did not start in time"
            raise WorkbenchError(f"The voting server could not start: {reason}.")
        self.started_in = time.perf_counter() - began

    def _serve(self, sock: socket.socket, ready: threading.Event,
               failure: list[BaseException]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        assert self.app is not None
        self.app.loop = loop
        try:
            runner = web.AppRunner(self.app.build(), access_log=None, shutdown_timeout=2.0)
            loop.run_until_complete(runner.setup())
            loop.run_until_complete(web.SockSite(runner, sock).start())
            self._runner = runner
        except Exception as exc:  # reported by start()
            failure.append(exc)
            ready.set()
            loop.close()
            return
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(runner.cleanup())
            loop.close()

    def stop(self) -> None:
        """Close the server and every phone's connection; safe to call twice."""
        thread, loop = self._thread, self._loop
        if thread is None:
            return
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        if self.app is not None:
            self.app.writer.shutdown(wait=True)
            self.app.readers.shutdown(wait=True)
        self._thread = self._loop = self._runner = None
