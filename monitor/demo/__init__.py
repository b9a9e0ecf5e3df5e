"""The bundled demo news site and the fixture server that serves it (demo, tests, benchmarks)."""

from monitor.demo.server import FixtureServer, demo_config, demo_feeds
from monitor.demo.site import Article, Outlet, Site, load_site

__all__ = ["Article", "FixtureServer", "Outlet", "Site", "demo_config", "demo_feeds", "load_site"]
