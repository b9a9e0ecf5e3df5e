"""Publishing one day's digest: its files (md, html, json) in the digest folder, the Atom feed
beside them, and its delivery by email and webhook as feeds.yaml configures. What the daemon does
at `digest.time`, and `monitor publish` on demand (e.g. from cron)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from monitor.atom import write_feed
from monitor.config import Config
from monitor.delivery import Delivered, DeliveryError, build_email, post_webhook, send_email
from monitor.digest import Digest, build_digest, render, title_line, write_digest_files
from monitor.store import Archive

log = logging.getLogger("monitor.publish")


@dataclass
class Published:
    day: date
    files: list[Path]
    feed: Path
    delivered: list[Delivered] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # one line per channel that could not deliver


def publish_digest(
    archive: Archive,
    config: Config,
    day: date,
    now: datetime,
    *,
    deliver: bool = True,
    sleep: Callable[[float], None] = time.sleep,
) -> Published:
    """Write the digest of the local `day` and the Atom feed into `digest.folder`, then deliver it
    through every configured channel (unless `deliver` is False). A channel that fails is reported
    in `failures` and does not stop the others; the files are written first, whatever happens."""
    settings = config.digest
    digest = build_digest(archive, day, settings.timezone, now, failing_threshold=config.failing_threshold, poll=config.poll)
    # The feed first, the day's Markdown last: once the .md is there, the day is complete.
    feed = write_feed(settings.folder, archive.recent_updates(), now, settings.base_url, new=[digest])
    files = write_digest_files(digest, settings.folder)
    published = Published(day, files, feed)
    if deliver:
        for channel in config.delivery.channels:
            try:
                published.delivered.append(deliver_digest(digest, config, channel, sleep=sleep))
            except DeliveryError as exc:
                published.failures.append(str(exc))
    return published


def deliver_digest(digest: Digest, config: Config, channel: str, *, sleep: Callable[[float], None] = time.sleep) -> Delivered:
    """Deliver `digest` through one configured channel ("email" or "webhook"). Raises DeliveryError."""
    allow = config.fetch.allow_private
    if channel == "email" and config.delivery.email is not None:
        message = build_email(config.delivery.email, title_line(digest), render(digest, "md"), render(digest, "html"))
        return send_email(config.delivery.email, message, allow)
    if channel == "webhook" and config.delivery.webhook is not None:
        body = render(digest, "json").encode("utf-8")
        return post_webhook(config.delivery.webhook, body, idempotency_key=f"digest-{digest.day}", allow=allow,
                            user_agent=config.fetch.user_agent, sleep=sleep)  # fmt: skip
    raise DeliveryError(f"no {channel} delivery configured (defaults.delivery.{channel})")
