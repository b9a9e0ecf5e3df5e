"""Where the monitor may connect, and for how long.

Every request the monitor makes (feeds, pages, robots.txt, aggregator hops) goes through one
httpcore network backend that

- resolves the host itself and refuses loopback, private, link-local, multicast, reserved and
  unspecified addresses (every spelling: `2130706433`, `0x7f.1`, `127.1`, `::ffff:127.0.0.1` all
  resolve to the address that is checked), unless an explicit allow list admits them;
- connects to the very address it checked (no second lookup, so no DNS-rebinding gap), and checks
  a pooled connection again when another request reuses it under a stricter policy;
- holds every socket operation of a request to the request's deadline (connect, TLS, status line,
  headers, 1xx responses, body): each operation's timeout is clipped to the time left, and a
  watchdog shuts the socket down at the deadline, so no server can keep a request alive by
  answering slowly, byte by byte, or with endless interim responses.

A request runs inside `exchange(seconds, allow)`; the `Fetcher` opens one per `get`.
"""

from __future__ import annotations

import heapq
import ipaddress
import itertools
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from typing import Any

import httpcore

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# The watchdog fires this long after a deadline: the clipped per-operation timeouts normally end
# the request first with a clean timeout; the watchdog catches what they cannot (a TLS handshake
# or a write that trickles through many operations).
_WATCHDOG_GRACE = 0.25
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class DestinationRefused(Exception):
    """A request to an address the destination policy does not admit. Not retried."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(f"destination refused: {host} {reason}")
        self.host = host
        self.reason = reason


class DeadlineExceeded(httpcore.TimeoutException):
    """The request's whole-exchange deadline passed (httpx reports it as a timeout)."""


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """`["127.0.0.0/8", "10.1.2.3"]` -> networks. Raises ValueError naming a bad entry."""
    networks = []
    for value in values:
        if not isinstance(value, str):
            raise ValueError(f"expected an address or network like 10.0.0.0/8, got {value!r}")
        try:
            networks.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(f"not an address or network: {value!r}") from None
    return tuple(networks)


def unwrap(address: Address) -> Address:
    """The IPv4 address inside an IPv4-mapped or NAT64 IPv6 address, else the address itself."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def refusal(address: Address | str, allow: Iterable[Network] = ()) -> str | None:
    """Why the policy refuses `address` ("is a loopback address"), or None when it may be used:
    a public address, or one inside an allowed network."""
    address = unwrap(ipaddress.ip_address(address) if isinstance(address, str) else address)
    if any(address.version == net.version and address in net for net in allow):
        return None
    for kind, test in (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("non-public", not address.is_global),
    ):
        if test:
            return f"is a {kind} address ({address})"
    return None


_IPV4_PART = re.compile(r"^(?:0[xX][0-9a-fA-F]*|[0-9]+)$")


def ip_literal(host: str) -> Address | None:
    """The address a URL's host names without a DNS lookup, in any spelling the C resolver accepts
    (dotted, decimal `2130706433`, hex `0x7f.1`, short `127.1`, bracketed IPv6), or the loopback
    address for `localhost` names; None for an ordinary host name."""
    host = host.strip().strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return ipaddress.IPv4Address("127.0.0.1")
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        pass
    parts = host.split(".")
    if 1 <= len(parts) <= 4 and all(_IPV4_PART.match(p) for p in parts):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


# -- the per-request context -------------------------------------------------------------------


class Exchange:
    """One request's deadline and policy, and the sockets it is using (for the watchdog)."""

    def __init__(self, seconds: float, allow: tuple[Network, ...]) -> None:
        self.deadline = time.monotonic() + seconds
        self.seconds = seconds
        self.allow = allow
        self.expired = False
        self.finished = False
        self._streams: set[GuardedStream] = set()
        self._lock = threading.Lock()

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def clip(self, timeout: float | None) -> float:
        """`timeout` cut to the time left; raises DeadlineExceeded when none is left."""
        left = self.remaining()
        if left <= 0 or self.expired:
            raise DeadlineExceeded(f"no answer within the {self.seconds:g}s deadline")
        return left if timeout is None else min(timeout, left)

    def attach(self, stream: GuardedStream) -> None:
        with self._lock:
            self._streams.add(stream)
            expired = self.expired
        if expired:
            stream.abort()

    def release(self) -> None:
        """The request's response is closed: its connection goes back to the pool, unwatched."""
        with self._lock:
            self._streams.clear()

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            streams = list(self._streams)
        for stream in streams:
            stream.abort()


_NO_EXCHANGE = Exchange(float("inf"), ())
_local = threading.local()


def current() -> Exchange:
    stack = getattr(_local, "stack", None)
    return stack[-1] if stack else _NO_EXCHANGE


@contextmanager
def exchange(seconds: float, allow: tuple[Network, ...] = ()) -> Iterator[Exchange]:
    """Run the requests of this block (in this thread) under one deadline and policy. Nested
    blocks (a robots.txt fetched while following a redirect) have their own."""
    opened = Exchange(seconds, allow)
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    stack.append(opened)
    _watchdog.watch(opened)
    try:
        yield opened
    finally:
        opened.finished = True
        opened.release()
        stack.pop()


class _Watchdog:
    """One daemon thread that expires exchanges whose deadline passed."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Exchange]] = []
        self._cond = threading.Condition()
        self._counter = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, ex: Exchange) -> None:
        if ex.deadline == float("inf"):
            return
        with self._cond:
            heapq.heappush(self._heap, (ex.deadline + _WATCHDOG_GRACE, next(self._counter), ex))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="monitor-watchdog", daemon=True)
                self._thread.start()
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait()
                when, _, ex = self._heap[0]
                if ex.finished:
                    heapq.heappop(self._heap)
                    continue
                wait = when - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
            ex.expire()


_watchdog = _Watchdog()

# Lookups run here so that a resolver that hangs cannot hold a request past its deadline.
_resolver = ThreadPoolExecutor(max_workers=4, thread_name_prefix="monitor-dns")


def resolve(host: str, port: int, timeout: float) -> list[tuple[int, Address]]:
    """(family, address) for every address of `host`, in the resolver's order."""
    try:
        future = _resolver.submit(socket.getaddrinfo, host, port, 0, socket.SOCK_STREAM)
        infos = future.result(timeout=max(timeout, 0.001))
    except FutureTimeout:
        raise httpcore.ConnectTimeout(f"looking up {host} took longer than {timeout:.1f}s") from None
    except (socket.gaierror, UnicodeError, OSError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
    found = []
    for family, _, _, _, sockaddr in infos:
        try:
            found.append((family, ipaddress.ip_address(sockaddr[0].split("%")[0])))
        except ValueError:
            continue
    return list(dict.fromkeys(found))


# -- the network backend -----------------------------------------------------------------------


class GuardedStream(httpcore.NetworkStream):
    """A socket whose every operation is held to the current exchange's deadline and policy."""

    def __init__(self, sock: socket.socket, host: str, peer: Address) -> None:
        self._sock = sock
        self.host = host
        self.peer = peer

    def _enter(self, timeout: float | None, *, request_start: bool = False) -> Exchange:
        ex = current()
        if request_start:
            reason = refusal(self.peer, ex.allow)
            if reason:  # a pooled connection reused under a stricter policy
                raise DestinationRefused(self.host, reason)
        ex.attach(self)
        self._sock.settimeout(ex.clip(timeout))
        return ex

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        ex = self._enter(timeout)
        try:
            return self._sock.recv(max_bytes)
        except socket.timeout:
            raise _timeout(ex, httpcore.ReadTimeout, "read") from None
        except OSError as exc:
            if ex.expired:
                raise DeadlineExceeded(f"no complete answer within the {ex.seconds:g}s deadline") from None
            raise httpcore.ReadError(str(exc)) from None

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        ex = self._enter(timeout, request_start=True)
        try:
            while buffer:
                self._sock.settimeout(ex.clip(timeout))
                sent = self._sock.send(buffer)
                buffer = buffer[sent:]
        except socket.timeout:
            raise _timeout(ex, httpcore.WriteTimeout, "write") from None
        except OSError as exc:
            if ex.expired:
                raise DeadlineExceeded(f"request not sent within the {ex.seconds:g}s deadline") from None
            raise httpcore.WriteError(str(exc)) from None

    def close(self) -> None:
        self._sock.close()

    def abort(self) -> None:
        """Wake any operation blocked on this socket (from the watchdog's thread)."""
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        ex = self._enter(timeout)
        try:
            wrapped = ssl_context.wrap_socket(self._sock, server_hostname=server_hostname)
        except socket.timeout:
            self.close()
            raise _timeout(ex, httpcore.ConnectTimeout, "TLS handshake") from None
        except OSError as exc:
            self.close()
            if ex.expired:
                raise DeadlineExceeded(f"TLS handshake not done within the {ex.seconds:g}s deadline") from None
            raise httpcore.ConnectError(str(exc)) from None
        return GuardedStream(wrapped, self.host, self.peer)

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object" and isinstance(self._sock, ssl.SSLSocket):
            return self._sock._sslobj  # what httpcore's own stream returns (for HTTP/2 negotiation)
        if info == "client_addr":
            return self._sock.getsockname()
        if info == "server_addr":
            return self._sock.getpeername()
        if info == "socket":
            return self._sock
        if info == "is_readable":
            return _readable(self._sock)
        return None


def _timeout(ex: Exchange, kind: type[Exception], what: str) -> Exception:
    if ex.remaining() <= 0.05 or ex.expired:
        return DeadlineExceeded(f"no complete answer within the {ex.seconds:g}s deadline ({what})")
    return kind(f"{what} timed out")


def _readable(sock: socket.socket) -> bool:
    """Whether an idle pooled connection has data or EOF waiting (then it is not reused)."""
    import select

    if sock.fileno() == -1:
        return True
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


class GuardedBackend(httpcore.NetworkBackend):
    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        ex = current()
        addresses = resolve(host, port, ex.clip(timeout))
        if not addresses:
            raise httpcore.ConnectError(f"{host} has no address")
        permitted = [(family, address) for family, address in addresses if refusal(address, ex.allow) is None]
        if not permitted:
            raise DestinationRefused(host, refusal(addresses[0][1], ex.allow) or "is not permitted")
        last_error: Exception | None = None
        for family, address in permitted:
            sock = socket.socket(family, socket.SOCK_STREAM)
            stream = GuardedStream(sock, host, address)
            try:
                ex.attach(stream)
                sock.settimeout(ex.clip(timeout))
                if local_address:
                    sock.bind((local_address, 0))
                sock.connect((str(address), port))
                for option in socket_options or ():
                    sock.setsockopt(*option)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                return stream
            except socket.timeout:
                sock.close()
                last_error = _timeout(ex, httpcore.ConnectTimeout, f"connect to {address}")
            except OSError as exc:
                sock.close()
                if ex.expired:
                    raise DeadlineExceeded(f"no connection within the {ex.seconds:g}s deadline") from None
                last_error = httpcore.ConnectError(f"{host} ({address}): {exc.strerror or exc}")
        assert last_error is not None
        raise last_error

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)
