"""Which address of the laptop the phones in the room can reach."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

LOOPBACK = "127.0.0.1"
# A documentation address (TEST-NET-1): connecting a UDP socket to it only asks the system
# which interface would route there; no packet is sent.
_ROUTE_PROBE = ("192.0.2.1", 9)


@dataclass(frozen=True)
class Address:
    """Where the server listens; ``warning`` says why phones may not reach it (else empty)."""

    host: str
    warning: str = ""

    @property
    def reachable(self) -> bool:
        return not self.warning


def _usable(host: str) -> bool:
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return ip.version == 4 and not (ip.is_loopback or ip.is_link_local or ip.is_unspecified
                                    or ip.is_multicast)


def _routed_address() -> str | None:
    """The address of the interface that carries the default route (None without one)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(_ROUTE_PROBE)
        return probe.getsockname()[0]
    except OSError:
        return None
    finally:
        probe.close()


def _host_addresses() -> list[str]:
    """The IPv4 addresses the machine's own name resolves to."""
    try:
        found = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return list(dict.fromkeys(str(entry[4][0]) for entry in found))


def lan_address() -> Address:
    """The laptop's address on the room's network, or loopback with a warning when none."""
    candidates = [_routed_address(), *_host_addresses()]
    host = next((c for c in candidates if c and _usable(c)), None)
    if host is not None:
        return Address(host)
    return Address(LOOPBACK, "This laptop is on no network, so phones cannot reach it. Join "
                   "the room's Wi-Fi (or open a hotspot on the laptop) and start phones again; "
                   "until then only this laptop can open the voting page.")
