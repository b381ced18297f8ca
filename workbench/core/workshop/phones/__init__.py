"""Workshop voting from participants' phones, served by the laptop over the room's network.

The laptop runs a small web server while the presenter is on (:class:`PhoneServer`): phones
join by scanning a QR code (or typing the short address and a 6-digit code), see the item the
presenter shows, and vote. Every vote goes through the same service calls as a vote on the
laptop and is committed before the phone is told it counted. Nothing leaves the room: the
server answers only on the laptop's own network address and loads no outside page, font or
script.

Why aiohttp: one dependency holds the server, server-sent events and a test client, and it
runs on its own asyncio loop in one background thread, so the GUI's Qt loop is never shared
or blocked. Starlette would need uvicorn as a second package and a server process model made
for deployment rather than for a thread inside a desktop program.

The parts: :mod:`.network` picks the address, :mod:`.voting` holds the ballot rules for phones
(devices, one vote each, changes until the reveal, what a phone may see), :mod:`.server` is the
HTTP layer and the start/stop controller, ``static/`` the phone's page (plain HTML, CSS and
JavaScript, no framework, no build step).
"""

from workbench.core.workshop.phones.network import Address, lan_address
from workbench.core.workshop.phones.server import PhoneServer
from workbench.core.workshop.phones.voting import PhoneEvent, PhoneVoting, Refused

__all__ = ["Address", "PhoneEvent", "PhoneServer", "PhoneVoting", "Refused", "lan_address"]
