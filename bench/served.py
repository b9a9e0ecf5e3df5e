"""Serve a fixture site from a separate process, so its CPU and memory do not count against the
pipeline being measured."""

from __future__ import annotations

import multiprocessing
from contextlib import contextmanager
from typing import Callable, Iterator

from monitor.demo import FixtureServer, Site


def _serve(make_site: Callable[[], Site], ready, stop) -> None:
    with FixtureServer(site=make_site()) as server:
        ready.send(server.base_url)
        stop.wait()


@contextmanager
def served(make_site: Callable[[], Site]) -> Iterator[str]:
    """`with served(lambda: site_of(500)) as base_url:` (the factory runs in the child)."""
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    stop = context.Event()
    process = context.Process(target=_serve, args=(make_site, send, stop), daemon=True)
    process.start()
    try:
        yield receive.recv()
    finally:
        stop.set()
        process.join(5)
