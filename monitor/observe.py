"""What `monitor daemon --http HOST:PORT` serves for container platforms: `/healthz` (200 while the
daemon shows signs of life, 503 when it has not for `max_age`) and Prometheus `/metrics` (polls,
failures, articles stored, fetch latency, the last cycle's age), with prometheus-client.

Metric names (all prefixed `monitor_`):
    feed_polls_total{result="ok"|"unchanged"|"failed"}     feed polls by result
    feed_poll_failures_total                                failed feed polls
    articles_stored_total                                   new articles stored
    cycles_total{outcome="ok"|"skipped"|"failed"}           poll cycles (skipped: another run held the lock)
    fetch_duration_seconds{purpose="feed"|"page"|...}       histogram of HTTP request latency
    fetch_failures_total{purpose}                           HTTP requests that failed
    last_cycle_timestamp_seconds                            when the last cycle finished (unix time)
    last_cycle_age_seconds                                  seconds since then (NaN before the first)
    digests_published_total, deliveries_total{channel, outcome="ok"|"failed"}
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

log = logging.getLogger("monitor.observe")

_LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 60.0)


class DaemonMetrics:
    """The daemon's counters and its health, in one registry of its own."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.started = clock()
        self.last_cycle: float | None = None  # when the last cycle finished
        self.last_activity = self.started  # when a cycle last began or ended
        self.cycle_count = 0
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.polls = Counter("monitor_feed_polls", "Feed polls, by result", ["result"], registry=r)
        self.poll_failures = Counter("monitor_feed_poll_failures", "Feed polls that failed", registry=r)
        self.articles = Counter("monitor_articles_stored", "New articles stored", registry=r)
        self.cycles = Counter("monitor_cycles", "Poll cycles, by outcome", ["outcome"], registry=r)
        self.fetch_seconds = Histogram("monitor_fetch_duration_seconds", "HTTP request latency, by purpose", ["purpose"],
                                       buckets=_LATENCY_BUCKETS, registry=r)  # fmt: skip
        self.fetch_failures = Counter("monitor_fetch_failures", "HTTP requests that failed, by purpose", ["purpose"], registry=r)
        self.last_cycle_at = Gauge("monitor_last_cycle_timestamp_seconds", "When the last poll cycle finished (unix time)", registry=r)
        age = Gauge("monitor_last_cycle_age_seconds", "Seconds since the last poll cycle finished", registry=r)
        age.set_function(lambda: math.nan if self.last_cycle is None else self.clock() - self.last_cycle)
        self.digests = Counter("monitor_digests_published", "Daily digests written", registry=r)
        self.deliveries = Counter("monitor_deliveries", "Digest deliveries, by channel and outcome", ["channel", "outcome"], registry=r)
        for result in ("ok", "unchanged", "failed"):
            self.polls.labels(result)
        for outcome in ("ok", "skipped", "failed"):
            self.cycles.labels(outcome)

    def cycle_started(self) -> None:
        self.last_activity = self.clock()

    def cycle_finished(self, polled: int, failed: int, unchanged: int, stored: int, fetches: Iterable[dict]) -> None:
        """Count one completed cycle: its polls, the articles it stored, and its requests (rows of
        the fetch log: purpose, elapsed_ms, error)."""
        self.polls.labels("ok").inc(max(0, polled - failed - unchanged))
        self.polls.labels("unchanged").inc(unchanged)
        self.polls.labels("failed").inc(failed)
        self.poll_failures.inc(failed)
        self.articles.inc(stored)
        for fetch in fetches:
            if fetch["elapsed_ms"] is not None:
                self.fetch_seconds.labels(fetch["purpose"]).observe(fetch["elapsed_ms"] / 1000)
            if fetch["error"]:
                self.fetch_failures.labels(fetch["purpose"]).inc()
        self.cycle_ended("ok")

    def cycle_ended(self, outcome: str) -> None:
        now = self.clock()
        self.cycles.labels(outcome).inc()
        self.cycle_count += 1
        self.last_activity = now
        if outcome == "ok":
            self.last_cycle = now
            self.last_cycle_at.set(now)

    def health(self, max_age: float) -> tuple[bool, dict]:
        """(healthy, details): healthy while a cycle began or ended within `max_age` seconds."""
        now = self.clock()
        quiet = now - self.last_activity
        details = {
            "status": "ok" if quiet <= max_age else "stale",
            "seconds_since_activity": round(quiet, 3),
            "last_cycle_age_seconds": None if self.last_cycle is None else round(now - self.last_cycle, 3),
            "cycles": self.cycle_count,
            "max_age_seconds": max_age,
        }
        return quiet <= max_age, details


class ObservationServer:
    """`/healthz` and `/metrics` over HTTP on `host:port` (port 0: any free port), in a thread."""

    def __init__(self, metrics: DaemonMetrics, host: str, port: int, max_age: float) -> None:
        self.metrics = metrics
        self.max_age = max_age
        self._httpd = ThreadingHTTPServer((host, port), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="monitor-http", daemon=True)  # fmt: skip

    @property
    def address(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"{host}:{port}"

    def start(self) -> "ObservationServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def _handler(server: ObservationServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "sovereign-ai-monitor"

        def log_message(self, format: str, *args: object) -> None:  # probes every few seconds: not worth a log line
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            path = self.path.split("?", 1)[0]
            if path == "/metrics":
                self._send(200, generate_latest(server.metrics.registry), CONTENT_TYPE_LATEST)
            elif path == "/healthz":
                healthy, details = server.metrics.health(server.max_age)
                self._send(200 if healthy else 503, json.dumps(details).encode() + b"\n", "application/json")
            else:
                self._send(404, b"not found: try /healthz or /metrics\n", "text/plain; charset=utf-8")

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def parse_listen(value: str) -> tuple[str, int]:
    """`127.0.0.1:9100`, `[::1]:9100`, `:9100` (all interfaces) -> (host, port). Raises ValueError."""
    host, sep, port = value.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ValueError(f"expected HOST:PORT like 127.0.0.1:9100, got {value!r}")
    return host.strip("[]") or "0.0.0.0", int(port)
