"""A real HTTP server on loopback that serves the demo site, plus the misbehaving endpoints a
monitor meets on the web (timeouts, huge bodies, redirect loops, broken feeds, 429s).

`monitor demo`, the tests and the benchmarks all use this one server.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, replace
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from monitor.config import Config, config_from_dict
from monitor.demo.site import (
    Site,
    aggregator_token,
    article_path,
    load_site,
    render_article,
    render_feed,
    render_home,
    render_search_feed,
)

ROBOTS_TXT = "User-agent: *\nDisallow: /private/\n"
_FEED_TYPES = {"rss2": "application/rss+xml", "atom": "application/atom+xml", "rdf": "application/rdf+xml"}
_LAST_MODIFIED = formatdate(1766300000, usegmt=True)
_BROKEN_FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Broken &amp; truncated</title>'
    b"<item><title>First item survives</title><link>/broken/1.html</link></item>"
    b"<item><title>Second item & an unescaped ampersand</title><link>/broken/2.html</link></item>"
    b"<item><title>Cut off mid-"
)


@dataclass(frozen=True)
class Route:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Hit:
    path: str
    headers: dict[str, str]
    status: int


class FixtureServer:
    """`with FixtureServer() as server:` serves the bundled site at `server.base_url`."""

    def __init__(self, site: Site | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.site = site if site is not None else load_site()
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.stopping = threading.Event()
        self.holds: dict[str, tuple[threading.Event, threading.Event]] = {}
        # Host names (as the Host header gives them, without the port) whose every request is
        # answered only after so many seconds: a slow site among fast ones (bench/heldout_like.py).
        self.delays: dict[str, float] = {}
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, port), _make_handler(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FixtureServer":
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fixture-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> "FixtureServer":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def add_route(
        self, path: str, body: bytes | str, content_type: str = "text/html; charset=utf-8", status: int = 200, **headers: str
    ) -> str:
        """Serve fixed bytes at `path` (tests' own pages and feeds). Returns the absolute URL."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        extra = tuple((k.replace("_", "-"), v) for k, v in headers.items())
        self.routes[path] = Route(status, data, (("Content-Type", content_type), *extra))
        return self.base_url + path

    def hold(self, path: str) -> tuple[threading.Event, threading.Event]:
        """Make requests for `path` wait: returns (reached, release). `reached` is set when such a
        request arrives; it is answered once `release` is set (or the server stops)."""
        events = (threading.Event(), threading.Event())
        self.holds[path] = events
        return events

    def count(self, prefix: str) -> int:
        """How many requests asked for a path starting with `prefix`."""
        with self._lock:
            return sum(1 for hit in self.hits if hit.path.startswith(prefix))

    def record(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)


def _make_handler(server: FixtureServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle's algorithm and delayed ACKs each
        # keep-alive response would stall ~40 ms.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: object) -> None:  # quiet: tests read `hits`
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if parts.path in server.holds:
                reached, release = server.holds[parts.path]
                reached.set()
                while not (release.wait(0.05) or server.stopping.is_set()):
                    pass
            delay = server.delays.get((self.headers.get("Host") or "").rsplit(":", 1)[0].lower())
            if delay and server.stopping.wait(delay):
                return
            self._recorded = False
            status = self._dispatch(parts.path, query)
            self._record(status)

        def _record(self, status: int) -> None:
            """Log the request once, before its answer goes out: a client that has its answer can
            count on the log (recording after the answer raced the tests' `server.count`)."""
            if not self._recorded:
                self._recorded = True
                server.record(Hit(self.path, {k.lower(): v for k, v in self.headers.items()}, status))

        def _dispatch(self, path: str, query: dict[str, str]) -> int:
            if path in server.routes:
                route = server.routes[path]
                return self._send(route.status, route.body, dict(route.headers))
            if path == "/robots.txt":
                return self._send(200, ROBOTS_TXT.encode(), {"Content-Type": "text/plain"})
            if path.startswith("/faults/"):
                return self._fault(path[len("/faults/") :], query)
            if path.startswith("/gn/rss/articles/"):
                return self._aggregator(path.rsplit("/", 1)[-1])
            if path.startswith("/search/") and path.endswith(".xml"):
                lang = path[len("/search/") : -len(".xml")]
                body = render_search_feed(server.site, lang, server.base_url).encode("utf-8")
                return self._send_feed(body, "application/rss+xml; charset=utf-8")
            segments = [s for s in path.split("/") if s]
            outlet = server.site.outlets.get(segments[0]) if segments else None
            if outlet is None:
                return self._send(404, b"not found", {"Content-Type": "text/plain"})
            codec = outlet.wire_codec
            if segments[1:] == ["feed.xml"]:
                body = render_feed(server.site, outlet, server.base_url).encode(codec)
                # The Shift_JIS outlet's server sends no charset; the document's declaration says it.
                charset = "" if outlet.encoding == "shift_jis" else f"; charset={outlet.encoding}"
                return self._send_feed(body, _FEED_TYPES[outlet.feed_format] + charset)
            if not segments[1:]:
                return self._send(200, render_home(server.site, outlet).encode(codec), {"Content-Type": "text/html"})
            amp = segments[1] == "amp"
            rest = segments[2:] if amp else segments[1:]
            if len(rest) == 2 and rest[0] == "articles" and rest[1].endswith(".html"):
                article = server.site.article(outlet.key, rest[1][: -len(".html")])
                if article is not None:
                    page = render_article(server.site, article, server.base_url, amp=amp)
                    charset = "" if outlet.encoding == "shift_jis" else f"; charset={outlet.encoding}"
                    return self._send(200, page.encode(codec), {"Content-Type": "text/html" + charset})
            return self._send(404, b"not found", {"Content-Type": "text/plain"})

        def _send_feed(self, body: bytes, content_type: str) -> int:
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", {"ETag": etag})
            return self._send(200, body, {"Content-Type": content_type, "ETag": etag, "Last-Modified": _LAST_MODIFIED})

        def _aggregator(self, token: str) -> int:
            for article in server.site.articles:
                path = article_path(article)
                if aggregator_token(path) == token:
                    return self._send(302, b"", {"Location": server.base_url + path})
            # Like the newer aggregator links: a page that redirects only with JavaScript.
            page = b"<html><body><script>location.href='/'</script>Opening the article...</body></html>"
            return self._send(200, page, {"Content-Type": "text/html; charset=utf-8"})

        def _fault(self, name: str, query: dict[str, str]) -> int:
            if name == "slow":  # answers only after `delay` seconds (the client's timeout fires first)
                delay = min(float(query.get("delay", "5")), 30.0)
                if server.stopping.wait(delay):
                    return 0
                return self._send(200, b"<html><body>late</body></html>", {"Content-Type": "text/html"})
            if name == "drip":  # headers at once, then a byte every `interval` seconds
                return self._drip(float(query.get("interval", "0.2")), int(query.get("bytes", "200")))
            if name == "huge":  # 50 MB of HTML, streamed without a Content-Length
                return self._huge(int(query.get("mb", "50")), declare=False)
            if name == "huge-declared":
                return self._huge(int(query.get("mb", "50")), declare=True)
            if name == "loop":
                n = int(query.get("n", "0"))
                return self._send(302, b"", {"Location": f"/faults/loop?n={n + 1}"})
            if name == "broken-feed.xml":
                return self._send(200, _BROKEN_FEED, {"Content-Type": "application/rss+xml"})
            if name == "not-a-feed.xml":
                return self._send(200, b"<html><body><h1>Service unavailable</h1></body></html>", {"Content-Type": "text/html"})
            if name.startswith("status/"):
                headers = {"Content-Type": "text/plain"}
                if "retry_after" in query:
                    headers["Retry-After"] = query["retry_after"]
                return self._send(int(name.split("/", 1)[1]), b"error", headers)
            return self._send(404, b"no such fault", {"Content-Type": "text/plain"})

        def _drip(self, interval: float, total: int) -> int:
            self._record(200)
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(total))
            self.end_headers()
            try:
                for _ in range(total):
                    if server.stopping.wait(interval):
                        break
                    self.wfile.write(b" ")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            return 200

        def _huge(self, megabytes: int, declare: bool) -> int:
            chunk = b"<p>" + b"x" * 65530 + b"</p>\n"
            total = megabytes * 2**20 // len(chunk)
            self._record(200)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if declare:
                self.send_header("Content-Length", str(total * len(chunk)))
                self.end_headers()
                return 200  # the client refuses on the header; nothing is sent
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for _ in range(total):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading at its cap
            return 200

        def _send(self, status: int, body: bytes, headers: dict[str, str]) -> int:
            self._record(status)
            try:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return status

    return Handler


AGGREGATOR_LINKS = r"/gn/rss/articles/"  # the demo's stand-in for news.google.com/rss/articles/
# The demo site runs on loopback, which the monitor refuses unless told otherwise: said here, once.
LOOPBACK = ("127.0.0.0/8",)


def demo_config(server: FixtureServer, base: Config, feeds: list[dict] | None = None) -> Config:
    """`base` (keywords, what general feeds are fetched for, limits) pointed at the fixture site: its
    feeds (or `feeds`), its aggregator links, and no politeness gap (loopback answers at once)."""
    site = config_from_dict(
        {"defaults": {"allow_private": list(LOOPBACK), "fetch": base.general_fetch},
         "feeds": feeds if feeds is not None else demo_feeds(server)},
        source="demo site",
    )
    config = replace(
        base,
        feeds=site.feeds,
        source=site.source,
        opaque_link_patterns=(*base.opaque_link_patterns, AGGREGATOR_LINKS),
    )
    allow = tuple(dict.fromkeys([*base.fetch.allow_private, *LOOPBACK]))
    return config.with_fetch(per_host_min_interval=0, per_host_concurrency=8, allow_private=allow)


def demo_feeds(server: FixtureServer) -> list[dict]:
    """The demo site's feeds, as `feeds.yaml` entries: each outlet's section feed (general) and a
    keyword-search feed per language (topical, linking through aggregator redirects)."""
    feeds = [
        {"name": f"demo-{o.key}", "url": f"{server.base_url}/{o.key}/feed.xml", "lang": o.lang, "kind": "general", "title": o.name}
        for o in server.site.outlets.values()
    ]
    feeds += [
        {"name": f"demo-search-{lang}", "url": f"{server.base_url}/search/{lang}.xml", "lang": lang, "kind": "topical"}
        for lang in ("ko", "ja", "en")
    ]
    return feeds

