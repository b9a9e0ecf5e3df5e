"""A hostile HTTP server on loopback, written on raw sockets so that it can misbehave below HTTP:
drip a status line one byte at a time, send interim `100 Continue` responses forever, stack gzip
layers, trickle empty compressed blocks, and serve hostile feed documents. Each request is logged
(path, peer address) before it is answered, so a test can read the log without racing the client.

`with FaultServer() as server:` serves at `server.base_url`; `server.paths()` lists what was asked.
"""

from __future__ import annotations

import gzip
import socket
import socketserver
import threading
import time
import zlib
from functools import cache


@cache
def gzip_bomb(megabytes: int = 1024) -> bytes:
    """A gzip stream of `megabytes` MiB of zeros (about 1 MB for 1 GiB). One MiB is compressed
    with a full flush, so its deflate blocks stand alone and are repeated instead of recomputed."""
    zeros = bytes(2**20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(megabytes):
        crc = zlib.crc32(zeros, crc)
    size = (megabytes * 2**20) & 0xFFFFFFFF
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + block * megabytes + b"\x03\x00" + crc.to_bytes(4, "little") + size.to_bytes(4, "little")


@cache
def double_gzip_bomb(megabytes: int = 1024) -> bytes:
    """`Content-Encoding: gzip, gzip`: a few KB that inflate to `megabytes` MiB through two layers."""
    return gzip.compress(gzip_bomb(megabytes), 6)


def entity_feed(value_chars: int = 100_000, references: int = 20_000) -> bytes:
    """An RSS feed declaring one large entity and using it many times (feedparser's loose parser
    would expand it to value_chars x references characters)."""
    refs = "&big;" * references
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY big "{"x" * value_chars}">\n]>\n'
        f'<rss version="2.0"><channel><title>Entity feed</title><item><title>t</title>'
        f"<link>http://127.0.0.1/x</link><description>{refs}</description></item></channel></rss>"
    ).encode()


def billion_laughs() -> bytes:
    decls = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [{decls}]><rss version="2.0"><channel><title>&lol9;</title>'
        f"<item><title>&lol9;</title><link>http://127.0.0.1/y</link></item></channel></rss>"
    ).encode()


class FaultServer:
    """Routes: a dict path -> handler(conn, server); `add(path, status, body, headers)` for plain
    answers. Built-in hostile routes are listed in `_builtin`."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.log: list[tuple[str, str]] = []  # (path, client address)
        self.routes: dict[str, object] = {}
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                outer._handle(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self._server = Server((host, 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FaultServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def paths(self, prefix: str = "") -> list[str]:
        with self._lock:
            return [path for path, _ in self.log if path.startswith(prefix)]

    def add(self, path: str, body: bytes | str, status: int = 200, content_type: str = "text/html; charset=utf-8", **headers: str) -> str:
        data = body.encode() if isinstance(body, str) else body
        head = {"Content-Type": content_type, **{k.replace("_", "-"): v for k, v in headers.items()}}
        self.routes[path] = ("plain", status, data, head)
        return self.base_url + path

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        self.routes[path] = ("plain", status, b"", {"Location": location})
        return self.base_url + path

    # -- the connection ---------------------------------------------------------------------------

    def _handle(self, conn: socket.socket) -> None:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.settimeout(30)
        try:
            while not self.stopping.is_set():
                request = b""
                while b"\r\n\r\n" not in request:
                    data = conn.recv(65536)
                    if not data:
                        return
                    request += data
                path = request.split(b"\r\n", 1)[0].split(b" ")[1].decode("latin-1")
                with self._lock:
                    self.log.append((path, conn.getpeername()[0]))
                if not self._answer(conn, path.split("?", 1)[0]):
                    return
        except OSError:
            return
        finally:
            conn.close()

    def _answer(self, conn: socket.socket, path: str) -> bool:
        """Answer one request; False when the connection must close."""
        route = self.routes.get(path)
        if route is not None:
            _, status, body, headers = route
            self._send(conn, status, body, headers)
            return True
        handler = getattr(self, "_fault_" + path.strip("/").replace("-", "_").replace(".", "_"), None)
        if handler is None:
            self._send(conn, 404, b"not found", {"Content-Type": "text/plain"})
            return True
        handler(conn)
        return False

    def _send(self, conn: socket.socket, status: int, body: bytes, headers: dict[str, str]) -> None:
        lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in headers.items()] + [f"Content-Length: {len(body)}", "", ""]
        conn.sendall("\r\n".join(lines).encode("latin-1") + body)

    def _drip(self, conn: socket.socket, data: bytes, interval: float) -> None:
        for byte in data:
            if self.stopping.wait(interval):
                return
            conn.sendall(bytes([byte]))

    # -- hostile routes -----------------------------------------------------------------------

    def _fault_drip_headers(self, conn: socket.socket) -> None:
        """The status line and headers one byte every 0.2 s (each read succeeds: no read timeout)."""
        head = b"HTTP/1.1 200 OK\r\n" + b"X-Padding: " + b"a" * 100_000 + b"\r\n\r\n"
        self._drip(conn, head, 0.2)

    def _fault_continue_forever(self, conn: socket.socket) -> None:
        """Interim responses, never a final one."""
        while not self.stopping.wait(0.1):
            conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")

    def _fault_empty_gzip_blocks(self, conn: socket.socket) -> None:
        """A gzip body made of empty stored blocks, sent forever: bytes arrive, nothing decodes."""
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n")
        header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"
        conn.sendall(b"%x\r\n%s\r\n" % (len(header), header))
        block = b"\x00\x00\x00\xff\xff"  # a non-final stored block of length 0
        while not self.stopping.wait(0.05):
            conn.sendall(b"%x\r\n%s\r\n" % (len(block) * 20, block * 20))

    def _fault_gzip_bomb(self, conn: socket.socket) -> None:
        body = gzip_bomb()
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n" + b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def _fault_double_gzip(self, conn: socket.socket) -> None:
        body = double_gzip_bomb()
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Encoding: gzip, gzip\r\n"
            + b"Content-Length: %d\r\n\r\n" % len(body)
            + body
        )

    def _fault_triple_gzip(self, conn: socket.socket) -> None:
        body = gzip.compress(gzip.compress(gzip.compress(b"<rss/>")))
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Encoding: gzip, gzip, gzip\r\n"
            + b"Content-Length: %d\r\n\r\n" % len(body)
            + body
        )

    def _fault_entity_feed_xml(self, conn: socket.socket) -> None:
        self._send(conn, 200, entity_feed(), {"Content-Type": "application/rss+xml"})

    def _fault_laughs_xml(self, conn: socket.socket) -> None:
        self._send(conn, 200, billion_laughs(), {"Content-Type": "application/rss+xml"})

    def _fault_deep_json(self, conn: socket.socket) -> None:
        self._send(conn, 200, b"[" * 200_000, {"Content-Type": "application/feed+json"})

    def _fault_surrogate_json(self, conn: socket.socket) -> None:
        body = b'{"version": "https://jsonfeed.org/version/1.1", "title": "bad \\ud800 title", "items": [{"id": "1", "url": "http://127.0.0.1/s", "title": "lone \\udc00 surrogate"}]}'
        self._send(conn, 200, body, {"Content-Type": "application/feed+json"})

    def _fault_typed_json(self, conn: socket.socket) -> None:
        body = (
            b'{"version": "https://jsonfeed.org/version/1.1", "title": ["a", "list"], "items": ['
            b'{"id": {"x": 1}, "url": "http://127.0.0.1/t", "title": 5, "date_published": ["2026", "01"],'
            b' "authors": "nobody", "summary": {"html": 1}}, 7, null, "str"]}'
        )
        self._send(conn, 200, body, {"Content-Type": "application/feed+json"})


def wait_for(predicate, seconds: float = 10.0) -> bool:
    """Poll `predicate` until true (for a server's own log, never for timing)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
