"""The fetch stage against a real HTTP server on loopback."""

import threading

import pytest

from monitor.config import FetchSettings
from monitor.fetch import Fetcher, FetchError, HostGate, RobotsPolicy
from monitor.fetch.http import parse_retry_after

SETTINGS = FetchSettings(timeout=1.0, total_timeout=3.0, max_body_bytes=2 * 2**20, per_host_min_interval=0, robots_timeout=1.0, allow_private=("127.0.0.0/8",))


@pytest.fixture
def fetcher():
    with Fetcher(SETTINGS) as opened:
        yield opened


def test_honest_user_agent_and_conditional_get(server, fetcher):
    url = server.base_url + "/hanbit/feed.xml"
    first = fetcher.get(url, purpose="feed")
    assert first.status == 200 and first.headers["etag"]
    assert server.hits[-1].headers["user-agent"].startswith("sovereign-ai-monitor/")
    second = fetcher.get(url, purpose="feed", etag=first.headers["etag"])
    assert second.not_modified and second.body == b""
    records = fetcher.drain_records()
    assert [(r.purpose, r.status) for r in records] == [("feed", 200), ("feed", 304)]
    assert records[0].bytes == len(first.body) and fetcher.drain_records() == []


def test_a_server_that_never_answers_times_out(server, fetcher):
    with pytest.raises(FetchError) as caught:
        fetcher.get(server.base_url + "/faults/slow?delay=20")
    assert caught.value.kind == "timeout" and caught.value.transient


def test_a_server_dripping_bytes_hits_the_total_deadline(server):
    settings = FetchSettings(timeout=1.0, total_timeout=0.5, per_host_min_interval=0, allow_private=("127.0.0.0/8",))
    with Fetcher(settings) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(server.base_url + "/faults/drip?interval=0.1&bytes=100")
    assert caught.value.kind == "timeout" and "within" in str(caught.value)


def test_a_50mb_page_is_cut_off_at_the_cap_while_streaming(server, fetcher):
    with pytest.raises(FetchError) as caught:
        fetcher.get(server.base_url + "/faults/huge?mb=50")
    error = caught.value
    assert error.kind == "too_large" and not error.transient
    assert SETTINGS.max_body_bytes < error.bytes_read <= SETTINGS.max_body_bytes + 2**17


def test_a_declared_50mb_body_is_refused_before_reading(server, fetcher):
    with pytest.raises(FetchError) as caught:
        fetcher.get(server.base_url + "/faults/huge-declared?mb=50")
    assert caught.value.kind == "too_large" and caught.value.bytes_read == 0


def test_redirect_loop_stops_at_the_cap(server, fetcher):
    with pytest.raises(FetchError) as caught:
        fetcher.get(server.base_url + "/faults/loop")
    assert caught.value.kind == "redirects"
    assert server.count("/faults/loop") == SETTINGS.max_redirects + 1


def test_retry_after_blocks_the_host_and_defers_later_requests(server, fetcher):
    with pytest.raises(FetchError) as caught:
        fetcher.get(server.base_url + "/faults/status/429?retry_after=120")
    assert caught.value.status == 429 and caught.value.retry_after == 120 and caught.value.transient
    hits_before = len(server.hits)
    with pytest.raises(FetchError) as deferred:
        fetcher.get(server.base_url + "/hanbit/feed.xml")
    assert deferred.value.kind == "deferred" and deferred.value.retry_after > 100
    assert len(server.hits) == hits_before  # the host was not asked again


def test_http_errors_are_classified(server, fetcher):
    with pytest.raises(FetchError) as missing:
        fetcher.get(server.base_url + "/faults/status/404")
    assert missing.value.status == 404 and not missing.value.transient
    with pytest.raises(FetchError) as failing:
        fetcher.get(server.base_url + "/faults/status/500")
    assert failing.value.transient
    with pytest.raises(FetchError) as refused:
        fetcher.get("http://127.0.0.1:1/closed")
    assert refused.value.kind == "network" and refused.value.status is None


def test_parse_retry_after():
    assert parse_retry_after("30") == 30
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past
    assert parse_retry_after("soon") is None


def test_robots_txt_is_honoured(server, fetcher):
    robots = RobotsPolicy(fetcher)
    assert robots.check(server.base_url + "/hanbit/articles/x.html").allowed
    verdict = robots.check(server.base_url + "/private/x.html")
    assert not verdict.allowed and not verdict.transient
    assert server.count("/robots.txt") == 1  # cached per host


def test_missing_robots_txt_allows_and_unreachable_robots_txt_disallows_for_now(server, fetcher):
    server.add_route("/robots.txt", b"gone", "text/plain", status=404)
    assert RobotsPolicy(fetcher).check(server.base_url + "/private/x.html").allowed
    server.add_route("/robots.txt", b"down", "text/plain", status=500)
    verdict = RobotsPolicy(fetcher).check(server.base_url + "/hanbit/articles/x.html")
    assert not verdict.allowed and verdict.transient and "unreachable" in verdict.reason


class FakeClock:
    def __init__(self):
        self.now = 100.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(round(seconds, 3))
        self.now += seconds


def test_host_gate_spaces_requests_to_one_host_only():
    clock = FakeClock()
    gate = HostGate(max_in_flight=2, min_interval=2.0, clock=clock, sleep=clock.sleep)
    for _ in range(3):
        with gate.slot("a.example"):
            pass
    with gate.slot("b.example"):
        pass
    assert clock.slept == [2.0, 2.0]  # the second and third request to a.example waited; b did not


def test_host_gate_blocks_a_host_that_asked_to_wait():
    clock = FakeClock()
    gate = HostGate(max_in_flight=2, min_interval=0, clock=clock, sleep=clock.sleep)
    gate.block("a.example", 10)
    assert gate.blocked_for("a.example") == 10 and gate.blocked_for("b.example") == 0
    with gate.slot("a.example"):
        pass
    assert clock.slept == [10.0]


def test_host_gate_caps_requests_in_flight():
    gate = HostGate(max_in_flight=1, min_interval=0)
    inside = threading.Event()
    release = threading.Event()
    second_entered = threading.Event()

    def first():
        with gate.slot("a.example"):
            inside.set()
            release.wait(5)

    def second():
        with gate.slot("a.example"):
            second_entered.set()

    t1 = threading.Thread(target=first)
    t1.start()
    inside.wait(5)
    t2 = threading.Thread(target=second)
    t2.start()
    assert not second_entered.wait(0.2)  # blocked while the first holds the only place
    release.set()
    assert second_entered.wait(5)
    t1.join()
    t2.join()


def test_per_host_overrides_and_slowing_down_after_a_429():
    clock = FakeClock()
    gate = HostGate(max_in_flight=2, min_interval=0, clock=clock, sleep=clock.sleep)
    gate.configure("slow.example", min_interval=5)
    for _ in range(2):
        with gate.slot("slow.example"):
            pass
    with gate.slot("fast.example"):
        pass
    assert clock.slept == [5.0]
    gate.slow_down("fast.example")  # a 429: at least 1 s between requests from now on
    for _ in range(2):
        with gate.slot("fast.example"):
            pass
    assert clock.slept == [5.0, 1.0]
