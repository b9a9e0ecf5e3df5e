"""`monitor daemon`: the cron cycle on a schedule, plus the daily digest job.

Every tick runs exactly what `monitor run --once` runs, from the state kept in the archive
(`feeds.next_poll_at`, the entry queue), under the same lock: stopping and restarting loses
nothing, and a cron run and a daemon never work on the archive at once.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from monitor.config import Config
from monitor.dates import iso, utc_now
from monitor.digest import last_due_day
from monitor.facts import FactsError
from monitor.lock import LockBusy
from monitor.observe import DaemonMetrics
from monitor.pipeline import Pipeline, locked_pipeline
from monitor.publish import publish_digest
from monitor.store import Archive

log = logging.getLogger("monitor.daemon")

HEARTBEAT = "daemon.heartbeat"
LAST_DIGEST = "digest.last_day"


class Daemon:
    def __init__(
        self, config: Config, db_path: str, clock: Callable[[], datetime] = utc_now, metrics: DaemonMetrics | None = None
    ) -> None:
        self.config = config
        self.db_path = db_path
        self.clock = clock
        self.metrics = metrics  # counted when the daemon serves /metrics
        self.stopping = threading.Event()
        self._pipeline: Pipeline | None = None
        self._guard = threading.Lock()

    def run(self) -> None:
        """Run until SIGTERM or SIGINT. Returns once no cycle is writing to the archive."""
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self.stop())
        digest = self.config.digest
        scheduler = BackgroundScheduler(timezone=digest.timezone)
        scheduler.add_job(
            self.cycle, "interval", seconds=self.config.daemon_tick, next_run_time=self.clock(),
            max_instances=1, coalesce=True, id="poll",
        )  # fmt: skip
        scheduler.add_job(
            self.write_digest_if_due,
            CronTrigger(hour=digest.time.hour, minute=digest.time.minute, second=digest.time.second, timezone=digest.timezone),
            max_instances=1, coalesce=True, misfire_grace_time=None, id="digest",
        )  # fmt: skip
        log.info("daemon started: tick %ss, digest at %s %s", self.config.daemon_tick, digest.time, digest.timezone)
        self.write_digest_if_due()  # a digest missed while the daemon was down is written once, now
        scheduler.start()
        self.stopping.wait()
        scheduler.shutdown(wait=True)
        log.info("daemon stopped")

    def stop(self) -> None:
        self.stopping.set()
        with self._guard:
            if self._pipeline is not None:
                self._pipeline.stop()

    def cycle(self) -> None:
        """One poll cycle, skipped when another run holds the archive."""
        if self.stopping.is_set():
            return
        if self.metrics:
            self.metrics.cycle_started()
        outcome = "failed"
        try:
            with locked_pipeline(self.config, self.db_path, clock=self.clock) as pipeline:
                logged_before = pipeline.archive.last_fetch_log_id()
                pipeline.archive.set_state(HEARTBEAT, iso(self.clock()), self.clock())
                with self._guard:
                    self._pipeline = pipeline
                if self.stopping.is_set():
                    pipeline.stop()
                try:
                    summary = pipeline.run_once()
                finally:
                    with self._guard:
                        self._pipeline = None
                pipeline.archive.set_state(HEARTBEAT, iso(self.clock()), self.clock())
                if self.metrics:
                    self.metrics.cycle_finished(summary.feeds_polled, summary.feeds_failed, summary.feeds_unchanged,
                                                summary.articles_new, pipeline.archive.fetch_log_after(logged_before))  # fmt: skip
                    outcome = ""
            log.info("cycle: %s", summary.line())
            log.info("cycle %s", summary.timing_line())
        except LockBusy as exc:
            outcome = "skipped"
            log.info("cycle skipped: %s", exc)
        except FactsError as exc:  # facts.yaml was edited into a mistake: say so each tick until fixed
            log.error("cycle skipped: %s", exc)
        except Exception:  # a failed cycle must not end the daemon: the next tick tries again
            log.exception("cycle failed")
        finally:
            if self.metrics and outcome:
                self.metrics.cycle_ended(outcome)

    def write_digest_if_due(self) -> None:
        """Write the digest of the last day whose digest time has passed, unless already written."""
        digest = self.config.digest
        now = self.clock()
        day = last_due_day(now, digest.time, digest.timezone)
        try:
            with Archive(self.db_path) as archive, archive.exclusive("digest") as alone:
                if not alone:  # another worker's daemon is publishing it
                    return
                last = archive.state(LAST_DIGEST)
                if last is None:  # first start: digests begin with the next scheduled one
                    archive.set_state(LAST_DIGEST, day.isoformat(), now)
                    return
                if last >= day.isoformat():
                    return
                published = publish_digest(archive, self.config, day, now)
                archive.set_state(LAST_DIGEST, day.isoformat(), now)
            log.info("digest for %s written to %s, feed %s", day, ", ".join(map(str, published.files)), published.feed)
            if self.metrics:
                self.metrics.digests.inc()
            for delivered in published.delivered:
                log.info("digest for %s delivered by %s %s", day, delivered.channel, delivered.detail)
                if self.metrics:
                    self.metrics.deliveries.labels(delivered.channel, "ok").inc()
            for failure in published.failures:  # the files are there; `monitor publish --date` delivers again
                log.error("digest for %s not delivered: %s", day, failure)
                if self.metrics:
                    self.metrics.deliveries.labels(failure.split(" ", 1)[0], "failed").inc()
        except Exception:
            log.exception("digest for %s failed", day)
