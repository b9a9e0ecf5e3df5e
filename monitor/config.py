"""Load and validate `feeds.yaml`: the sources to poll and the settings that travel down the pipeline.

Every problem is reported as a `ConfigError` naming the file, the entry and the field, so a user
editing the file by hand gets one clear line instead of a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from datetime import time as clock_time
from typing import Any, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from monitor.lang import CODES
from monitor.schedule import PollPolicy

LANGUAGES = CODES  # the languages with a module in monitor.lang
FEED_KINDS = ("topical", "general")
# What a general feed's entries are fetched for: "keywords", those whose headline or summary holds a
# tracked keyword (the others are kept as skipped entries); "all", every entry, its page kept when it
# is about the story or its headline or summary held a keyword (the others are kept as entries skipped
# after reading: an oblique headline, a speech or a prize citation, is read all the same).
FETCH_MODES = ("keywords", "all")

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_DURATION_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?\s*$", re.I)
_SIZE_UNITS = {"b": 1, "kb": 1000, "kib": 1024, "mb": 10**6, "mib": 2**20, "gb": 10**9, "gib": 2**30}


class ConfigError(ValueError):
    """A configuration file is unreadable or holds an invalid value."""


@dataclass(frozen=True)
class FetchSettings:
    """How the monitor talks HTTP: limits, politeness and identity. Shared by feed and page fetches."""

    user_agent: str = "sovereign-ai-monitor/0.1 (news monitor; +https://github.com/sovereign-ai-monitor)"
    timeout: float = 20.0  # connect / read / write / pool, each
    total_timeout: float = 60.0  # a whole response, so a server dripping bytes cannot hold a worker
    max_body_bytes: int = 10 * 2**20
    max_redirects: int = 5
    per_host_concurrency: int = 2
    per_host_min_interval: float = 1.0
    robots_timeout: float = 10.0
    retry_after_cap: float = 6 * 3600.0
    workers: int = 8
    # Networks that may be fetched although they are not public (loopback, private, link-local...):
    # nothing by default. The demo and the tests allow 127.0.0.0/8; an intranet user lists theirs.
    allow_private: tuple[str, ...] = ()


@dataclass(frozen=True)
class FeedSource:
    """One entry of `feeds.yaml`."""

    name: str
    url: str
    lang: str
    kind: str  # "topical": every entry is about the story (search feed); "general": filter by keywords
    poll_interval: float  # the starting interval, or the only one when `fixed_interval`
    title: str = ""
    fixed_interval: bool = False  # the feed sets its own poll_interval: no adaptation
    per_host_min_interval: float | None = None  # politeness overrides for this feed's host
    per_host_concurrency: int | None = None
    # Non-public networks this feed (and the articles it links to) may be fetched from.
    allow_private: tuple[str, ...] = ()
    fetch: str = "keywords"  # a general feed's entries to fetch: FETCH_MODES


@dataclass(frozen=True)
class DigestSettings:
    """When the daily digest is written: a local time in a time zone, into a folder (with the Atom
    feed of the digests, `feed.atom`, whose links start with `base_url` when the folder is served)."""

    time: clock_time = clock_time(7, 0)
    timezone: str = "Asia/Seoul"
    folder: str = "digests"
    base_url: str | None = None


@dataclass(frozen=True)
class EmailDelivery:
    """The daily digest by email: an SMTP server, the sender and the recipients. The password is
    never in the file: `password_env` names the environment variable that holds it."""

    host: str
    sender: str
    recipients: tuple[str, ...]
    port: int = 587
    security: str = "starttls"  # starttls (STARTTLS on a plain connection), tls (implicit TLS), none
    username: str | None = None
    password_env: str | None = None
    timeout: float = 30.0
    allow_private: tuple[str, ...] = ()  # besides defaults.allow_private


@dataclass(frozen=True)
class WebhookDelivery:
    """The daily digest as a JSON POST. `token_env` names the environment variable holding a bearer
    token; failed attempts (network errors, 408, 429, 5xx) are retried, waiting `retry_delay`,
    doubled each time."""

    url: str
    token_env: str | None = None
    attempts: int = 4
    retry_delay: float = 5.0
    timeout: float = 20.0
    allow_private: tuple[str, ...] = ()  # besides defaults.allow_private


@dataclass(frozen=True)
class DeliverySettings:
    email: EmailDelivery | None = None
    webhook: WebhookDelivery | None = None

    @property
    def channels(self) -> list[str]:
        return [name for name in ("email", "webhook") if getattr(self, name) is not None]


@dataclass(frozen=True)
class Config:
    feeds: tuple[FeedSource, ...]
    fetch: FetchSettings = field(default_factory=FetchSettings)
    # Words that make an entry of a general feed worth fetching, matched in title and summary.
    keywords: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # What general feeds are fetched for when they do not say (FETCH_MODES): `defaults.fetch`.
    general_fetch: str = "keywords"
    # Links that are opaque redirects (news aggregators): resolved before their article is fetched.
    opaque_link_patterns: tuple[str, ...] = (r"^https?://news\.google\.com/(?:rss/)?articles/",)
    # Extracted text shorter than this (in characters, not words) counts as a failed extraction.
    min_text_chars: int = 200
    # Extraction worker processes (monitor.workers): None is one per core (none on a one-core
    # machine); 0 extracts in the monitor's own process.
    processes: int | None = None
    # Transient page failures are retried this many times before the entry is kept from its feed only.
    article_max_attempts: int = 5
    poll: PollPolicy = field(default_factory=PollPolicy)
    # `monitor status` exits 1 when a feed has failed this many polls in a row.
    failing_threshold: int = 5
    digest: DigestSettings = field(default_factory=DigestSettings)
    delivery: DeliverySettings = field(default_factory=DeliverySettings)
    daemon_tick: float = 60.0  # how often the daemon looks for due feeds
    # PostgreSQL with several workers: how long a feed or entry a worker took stays its own. A worker
    # killed mid-run leaves its leases, which another worker takes over once this has passed.
    lease_time: float = 600.0
    # A name reported for the story's company identifies the story once this many outlets reported it.
    names_min_outlets: int = 2
    # The fact definitions (facts.yaml): beside the feeds file, else the copy shipped with the package.
    facts_file: str = field(default_factory=lambda: str(default_facts_file()))
    # Where facts_file comes from: "setting" (defaults.facts), "beside" (facts.yaml beside the feeds
    # file) or "packaged" (neither: the facts shipped with the package).
    facts_origin: str = "packaged"
    source: str = "<defaults>"

    def with_fetch(self, **changes: Any) -> "Config":
        return replace(self, fetch=replace(self.fetch, **changes))


def default_facts_file() -> Path:
    """The fact definitions shipped with the package (the repository's facts.yaml)."""
    packaged = Path(__file__).resolve().parent / "_facts.yaml"
    return packaged if packaged.is_file() else Path(__file__).resolve().parents[1] / "facts.yaml"


def default_feeds_file() -> Path:
    """The feeds file shipped with the package (the repository's feeds.yaml): the project's feeds,
    keywords and settings, whatever the current folder."""
    packaged = Path(__file__).resolve().parent / "_feeds.yaml"
    return packaged if packaged.is_file() else Path(__file__).resolve().parents[1] / "feeds.yaml"


def packaged_config() -> Config:
    """The shipped feeds file, read with the shipped facts: what `monitor demo` and the commands that
    only read an archive use when no feeds file is given or found."""
    config = load_config(default_feeds_file())
    return replace(config, facts_file=str(default_facts_file()), facts_origin="packaged")


def parse_duration(value: Any) -> float:
    """`90`, `"90s"`, `"30m"`, `"2h"`, `"1d"` -> seconds."""
    if isinstance(value, bool):
        raise ValueError(f"expected a duration like 30m, got {value!r}")
    if isinstance(value, (int, float)):
        if value < 0:
            raise ValueError(f"a duration cannot be negative: {value!r}")
        return float(value)
    match = _DURATION.match(str(value))
    if not match:
        raise ValueError(f"expected a duration like 90s, 30m or 2h, got {value!r}")
    return float(match.group(1)) * _DURATION_UNITS[match.group(2)]


def parse_size(value: Any) -> int:
    """`1048576`, `"10MB"`, `"512KiB"` -> bytes."""
    if isinstance(value, bool):
        raise ValueError(f"expected a size like 10MB, got {value!r}")
    if isinstance(value, int):
        return value
    match = _SIZE.match(str(value))
    if not match:
        raise ValueError(f"expected a size like 10MB or 512KiB, got {value!r}")
    return int(float(match.group(1)) * _SIZE_UNITS[(match.group(2) or "b").lower()])


_FETCH_FIELDS: dict[str, Any] = {
    "user_agent": str,
    "timeout": parse_duration,
    "total_timeout": parse_duration,
    "max_body_bytes": parse_size,
    "max_redirects": int,
    "per_host_concurrency": int,
    "per_host_min_interval": parse_duration,
    "robots_timeout": parse_duration,
    "retry_after_cap": parse_duration,
    "workers": int,
    "allow_private": lambda value: _parse_allow(value),
}
_POLL_FIELDS = {"min_poll_interval": "min_interval", "max_poll_interval": "max_interval", "backoff_cap": "backoff_cap"}
_DEFAULTS_FIELDS = set(_FETCH_FIELDS) | set(_POLL_FIELDS) | {
    "poll_interval",
    "keywords",
    "fetch",
    "opaque_link_patterns",
    "min_text_chars",
    "article_max_attempts",
    "failing_threshold",
    "digest",
    "delivery",
    "daemon_tick",
    "lease_time",
    "facts",
    "names_min_outlets",
    "processes",
}
_FEED_FIELDS = {
    "name", "url", "lang", "kind", "poll_interval", "title", "per_host_min_interval", "per_host_concurrency", "allow_private",
    "fetch",
}  # fmt: skip
_DEFAULT_POLL_INTERVAL = 1800.0


def load_config(path: str | Path) -> Config:
    """Read and validate a feeds file. Raises `ConfigError` with file, entry and field on bad input."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}:{where}: invalid YAML: {problem}") from None
    return config_from_dict(data, source=str(path), folder=path.parent)


def config_from_dict(data: Any, source: str = "<config>", folder: Path | None = None) -> Config:
    """Validate an already-parsed feeds document (the YAML's structure) into a `Config`. Relative
    paths in it (the facts file) are taken from `folder`, the feeds file's folder."""
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping with 'defaults' and 'feeds' at the top")
    unknown = set(data) - {"defaults", "feeds"}
    if unknown:
        raise ConfigError(f"{source}: unknown top-level key(s): {', '.join(sorted(unknown))}")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise ConfigError(f"{source}: defaults: expected a mapping")

    def bad(where: str, key: str, message: str) -> ConfigError:
        return ConfigError(f"{source}: {where}: field '{key}': {message}")

    unknown = set(defaults) - _DEFAULTS_FIELDS
    if unknown:
        raise ConfigError(f"{source}: defaults: unknown field(s): {', '.join(sorted(unknown))}")
    fetch_changes = {}
    for key, convert in _FETCH_FIELDS.items():
        if key in defaults:
            try:
                fetch_changes[key] = convert(defaults[key])
            except (TypeError, ValueError) as exc:
                raise bad("defaults", key, str(exc)) from None
    fetch = replace(FetchSettings(), **fetch_changes)
    if fetch.max_body_bytes <= 0 or fetch.workers <= 0 or fetch.per_host_concurrency <= 0:
        raise ConfigError(f"{source}: defaults: max_body_bytes, workers and per_host_concurrency must be > 0")

    try:
        default_interval = parse_duration(defaults.get("poll_interval", _DEFAULT_POLL_INTERVAL))
    except ValueError as exc:
        raise bad("defaults", "poll_interval", str(exc)) from None
    keywords = _parse_keywords(defaults.get("keywords") or {}, lambda k, m: bad("defaults", k, m))
    default_fetch = defaults.get("fetch", "keywords")
    if default_fetch not in FETCH_MODES:
        raise bad("defaults", "fetch", f"must be one of {', '.join(FETCH_MODES)}, got {default_fetch!r}")
    patterns = defaults.get("opaque_link_patterns", Config.opaque_link_patterns)
    if not isinstance(patterns, list | tuple):
        raise bad("defaults", "opaque_link_patterns", "expected a list of regular expressions")
    for pattern in patterns:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as exc:
            raise bad("defaults", "opaque_link_patterns", f"invalid regular expression {pattern!r}: {exc}") from None
    poll_changes = {}
    for key, attribute in _POLL_FIELDS.items():
        if key in defaults:
            try:
                poll_changes[attribute] = parse_duration(defaults[key])
            except ValueError as exc:
                raise bad("defaults", key, str(exc)) from None
    poll = replace(PollPolicy(), **poll_changes)
    if not 0 < poll.min_interval <= poll.max_interval <= poll.backoff_cap:
        raise ConfigError(f"{source}: defaults: need 0 < min_poll_interval <= max_poll_interval <= backoff_cap")
    try:
        daemon_tick = parse_duration(defaults.get("daemon_tick", Config.daemon_tick))
    except ValueError as exc:
        raise bad("defaults", "daemon_tick", str(exc)) from None
    try:
        lease_time = parse_duration(defaults.get("lease_time", Config.lease_time))
    except ValueError as exc:
        raise bad("defaults", "lease_time", str(exc)) from None
    if lease_time <= 0:
        raise bad("defaults", "lease_time", f"must be longer than 0s, got {defaults.get('lease_time')!r}")
    digest = _parse_digest(defaults.get("digest") or {}, lambda k, m: bad("defaults", f"digest.{k}", m))
    delivery = _parse_delivery(defaults.get("delivery") or {}, fetch.allow_private, lambda k, m: bad("defaults", f"delivery.{k}", m))
    scalars = {}
    for key in ("min_text_chars", "article_max_attempts", "failing_threshold", "names_min_outlets"):
        if key in defaults:
            value = defaults[key]
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise bad("defaults", key, f"expected a whole number >= 0, got {value!r}")
            scalars[key] = value

    if "processes" in defaults and defaults["processes"] != "auto":
        value = defaults["processes"]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise bad("defaults", "processes", f"expected auto (one per core) or a whole number >= 0, got {value!r}")
        scalars["processes"] = value

    facts = defaults.get("facts")
    if facts is not None and (not isinstance(facts, str) or not facts.strip()):
        raise bad("defaults", "facts", f"expected the path of a facts file, got {facts!r}")
    if facts is not None:
        scalars["facts_file"] = str((folder or Path.cwd()) / facts)
        scalars["facts_origin"] = "setting"
    elif folder is not None and (folder / "facts.yaml").is_file():
        scalars["facts_file"] = str(folder / "facts.yaml")
        scalars["facts_origin"] = "beside"

    raw_feeds = data.get("feeds")
    if not isinstance(raw_feeds, list) or not raw_feeds:
        raise ConfigError(f"{source}: feeds: expected a non-empty list of feeds")
    feeds = []
    seen_names: set[str] = set()
    seen_urls: set[str] = set()
    for index, raw in enumerate(raw_feeds):
        feed = _parse_feed(raw, index, default_interval, source, default_fetch)
        where = f"feeds[{index}] ({feed.name})"
        refused = _refused_destination(feed.url, (*fetch.allow_private, *feed.allow_private))
        if refused:
            raise ConfigError(
                f"{source}: {where}: field 'url': {refused}; list its network under allow_private to poll it"
            )
        if feed.name in seen_names:
            raise ConfigError(f"{source}: {where}: field 'name': duplicate name {feed.name!r}")
        if feed.url in seen_urls:
            raise ConfigError(f"{source}: {where}: field 'url': the same URL is listed twice")
        seen_names.add(feed.name)
        seen_urls.add(feed.url)
        feeds.append(feed)
    return Config(
        feeds=tuple(feeds),
        fetch=fetch,
        keywords=keywords,
        general_fetch=default_fetch,
        opaque_link_patterns=tuple(patterns),
        poll=poll,
        digest=digest,
        delivery=delivery,
        daemon_tick=daemon_tick,
        lease_time=lease_time,
        source=source,
        **scalars,
    )


def _parse_digest(raw: Any, bad) -> DigestSettings:
    if not isinstance(raw, dict):
        raise bad("", "expected a mapping with time, timezone and folder")
    unknown = set(raw) - {"time", "timezone", "folder", "base_url"}
    if unknown:
        raise bad(sorted(unknown)[0], "unknown field")
    settings = DigestSettings()
    if "time" in raw:
        value = raw["time"]
        if isinstance(value, int):  # YAML 1.1 reads 07:00 as a base-60 number of minutes
            value = f"{value // 60:02d}:{value % 60:02d}"
        try:
            settings = replace(settings, time=clock_time.fromisoformat(str(value)))
        except ValueError:
            raise bad("time", f"expected a local time like 07:00, got {raw['time']!r}") from None
    if "timezone" in raw:
        try:
            ZoneInfo(str(raw["timezone"]))
        except (ZoneInfoNotFoundError, ValueError):
            raise bad("timezone", f"unknown time zone {raw['timezone']!r}") from None
        settings = replace(settings, timezone=str(raw["timezone"]))
    if "folder" in raw:
        settings = replace(settings, folder=str(raw["folder"]))
    if "base_url" in raw:
        base = raw["base_url"]
        if not isinstance(base, str) or not re.match(r"^https?://[^/\s]+", base):
            raise bad("base_url", f"expected the http(s) URL the digest folder is served at, got {base!r}")
        settings = replace(settings, base_url=base if base.endswith("/") else base + "/")
    return settings


_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")
_SECURITY = ("starttls", "tls", "none")


def _parse_delivery(raw: Any, allow: tuple[str, ...], bad) -> DeliverySettings:
    """`defaults.delivery: {email: {...}, webhook: {...}}`; either may be left out."""
    if not isinstance(raw, dict):
        raise bad("", "expected a mapping with email and/or webhook")
    unknown = set(raw) - {"email", "webhook"}
    if unknown:
        raise bad(sorted(unknown)[0], "unknown channel (expected email or webhook)")
    email = _parse_email(raw["email"], allow, lambda k, m: bad(f"email.{k}", m)) if "email" in raw else None
    webhook = _parse_webhook(raw["webhook"], allow, lambda k, m: bad(f"webhook.{k}", m)) if "webhook" in raw else None
    return DeliverySettings(email=email, webhook=webhook)


def _common_channel(raw: dict, allowed: set[str], bad) -> dict[str, Any]:
    unknown = set(raw) - allowed
    if unknown:
        raise bad(sorted(unknown)[0], "unknown field")
    values: dict[str, Any] = {}
    for key in ("password_env", "token_env"):
        if key in raw:
            if not isinstance(raw[key], str) or not _ENV_NAME.match(raw[key]):
                raise bad(key, f"expected the name of an environment variable like MONITOR_SECRET, got {raw[key]!r}")
            values[key] = raw[key]
    if "timeout" in raw:
        try:
            values["timeout"] = parse_duration(raw["timeout"])
        except ValueError as exc:
            raise bad("timeout", str(exc)) from None
    if "allow_private" in raw:
        try:
            values["allow_private"] = _parse_allow(raw["allow_private"])
        except ValueError as exc:
            raise bad("allow_private", str(exc)) from None
    return values


def _parse_email(raw: Any, allow: tuple[str, ...], bad) -> EmailDelivery:
    if not isinstance(raw, dict):
        raise bad("", "expected a mapping with host, from and to")
    values = _common_channel(raw, {"host", "port", "security", "from", "to", "username", "password_env", "timeout", "allow_private"}, bad)
    for key in ("host", "from", "to"):
        if key not in raw:
            raise bad(key, "missing")
    host = raw["host"]
    if not isinstance(host, str) or not host.strip() or "/" in host or " " in host.strip():
        raise bad("host", f"expected the SMTP server's host name, got {host!r}")
    port = raw.get("port", 587)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise bad("port", f"expected a port number like 587, got {port!r}")
    security = raw.get("security", "starttls")
    if security not in _SECURITY:
        raise bad("security", f"must be one of {', '.join(_SECURITY)}, got {security!r}")
    sender = raw["from"]
    if not isinstance(sender, str) or not _ADDRESS.search(sender.strip().rstrip(">").split("<")[-1]):
        raise bad("from", f"expected an address like monitor@example.org, got {sender!r}")
    recipients = raw["to"]
    if isinstance(recipients, str):
        recipients = [recipients]
    if not isinstance(recipients, list) or not recipients or not all(isinstance(r, str) and _ADDRESS.match(r.strip()) for r in recipients):
        raise bad("to", f"expected a list of addresses like [analyst@example.org], got {raw['to']!r}")
    username = raw.get("username")
    if username is not None and (not isinstance(username, str) or not username):
        raise bad("username", f"expected a string, got {username!r}")
    if "password_env" in values and username is None:
        raise bad("password_env", "a password needs a username")
    refused = _refused_destination(f"smtp://{host.strip()}/", (*allow, *values.get("allow_private", ())))
    if refused:
        raise bad("host", f"{refused}; list its network under allow_private to send through it")
    return EmailDelivery(host=host.strip(), port=port, security=security, sender=sender.strip(),
                         recipients=tuple(r.strip() for r in recipients), username=username, **values)  # fmt: skip


def _parse_webhook(raw: Any, allow: tuple[str, ...], bad) -> WebhookDelivery:
    if not isinstance(raw, dict):
        raise bad("", "expected a mapping with url")
    values = _common_channel(raw, {"url", "token_env", "attempts", "retry_delay", "timeout", "allow_private"}, bad)
    url = raw.get("url")
    if url is None:
        raise bad("url", "missing")
    if not isinstance(url, str) or not re.match(r"^https?://[^/\s]+", url.strip()):
        raise bad("url", f"expected an http(s) URL, got {url!r}")
    attempts = raw.get("attempts", WebhookDelivery.attempts)
    if not isinstance(attempts, int) or isinstance(attempts, bool) or not 1 <= attempts <= 10:
        raise bad("attempts", f"expected a whole number from 1 to 10, got {attempts!r}")
    if "retry_delay" in raw:
        try:
            values["retry_delay"] = parse_duration(raw["retry_delay"])
        except ValueError as exc:
            raise bad("retry_delay", str(exc)) from None
    refused = _refused_destination(url.strip(), (*allow, *values.get("allow_private", ())))
    if refused:
        raise bad("url", f"{refused}; list its network under allow_private to deliver to it")
    return WebhookDelivery(url=url.strip(), attempts=attempts, **values)


def _parse_allow(value: Any) -> tuple[str, ...]:
    """`allow_private: [127.0.0.0/8, 10.1.2.3]` -> the entries, each checked to be an address or network."""
    from monitor.fetch.guard import parse_networks

    if not isinstance(value, list | tuple):
        raise ValueError(f"expected a list of networks like [127.0.0.0/8], got {value!r}")
    parse_networks(value)
    return tuple(str(v).strip() for v in value)


def _refused_destination(url: str, allow: tuple[str, ...]) -> str | None:
    """Why a feed URL's host, when it names an address in any spelling (or localhost), is refused
    by the destination policy; None for a public address or a host name (checked when connecting)."""
    from urllib.parse import urlsplit

    from monitor.fetch.guard import ip_literal, parse_networks, refusal

    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    address = ip_literal(host)
    if address is None:
        return None
    reason = refusal(address, parse_networks(allow))
    return f"{host} {reason}" if reason else None


def _parse_keywords(raw: Any, bad) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise bad("keywords", "expected a mapping of language to a list of words")
    keywords = {}
    for lang, words in raw.items():
        if lang not in LANGUAGES:
            raise bad("keywords", f"unknown language {lang!r} (expected one of {', '.join(LANGUAGES)})")
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise bad("keywords", f"{lang}: expected a list of non-empty strings")
        keywords[lang] = tuple(w.strip() for w in words)
    return keywords


def _parse_feed(raw: Any, index: int, default_interval: float, source: str, default_fetch: str = "keywords") -> FeedSource:
    where = f"feeds[{index}]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: {where}: expected a mapping with name, url, lang and kind")
    if isinstance(raw.get("name"), str):
        where = f"{where} ({raw['name']})"

    def bad(key: str, message: str) -> ConfigError:
        return ConfigError(f"{source}: {where}: field '{key}': {message}")

    unknown = set(raw) - _FEED_FIELDS
    if unknown:
        raise ConfigError(f"{source}: {where}: unknown field(s): {', '.join(sorted(unknown))}")
    for key in ("name", "url", "lang", "kind"):
        if key not in raw:
            raise bad(key, "missing")
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise bad(key, f"expected a non-empty string, got {raw[key]!r}")
    name = raw["name"].strip()
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise bad("name", f"use letters, digits, '-', '_' or '.', got {name!r}")
    url = raw["url"].strip()
    if not re.match(r"^https?://[^/\s]+", url):
        raise bad("url", f"expected an http(s) URL, got {url!r}")
    lang = raw["lang"].strip()
    if lang not in LANGUAGES:
        raise bad("lang", f"must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    kind = raw["kind"].strip()
    if kind not in FEED_KINDS:
        raise bad("kind", f"must be one of {', '.join(FEED_KINDS)}, got {kind!r}")
    try:
        interval = parse_duration(raw.get("poll_interval", default_interval))
    except ValueError as exc:
        raise bad("poll_interval", str(exc)) from None
    if interval < 60:
        raise bad("poll_interval", f"at least 60 seconds, got {interval:g}s")
    title = raw.get("title", "")
    if not isinstance(title, str):
        raise bad("title", f"expected a string, got {title!r}")
    fetch = raw.get("fetch", default_fetch)
    if fetch not in FETCH_MODES:
        raise bad("fetch", f"must be one of {', '.join(FETCH_MODES)}, got {fetch!r}")
    politeness: dict[str, Any] = {}
    if "allow_private" in raw:
        try:
            politeness["allow_private"] = _parse_allow(raw["allow_private"])
        except ValueError as exc:
            raise bad("allow_private", str(exc)) from None
    if "per_host_min_interval" in raw:
        try:
            politeness["per_host_min_interval"] = parse_duration(raw["per_host_min_interval"])
        except ValueError as exc:
            raise bad("per_host_min_interval", str(exc)) from None
    if "per_host_concurrency" in raw:
        value = raw["per_host_concurrency"]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise bad("per_host_concurrency", f"expected a whole number >= 1, got {value!r}")
        politeness["per_host_concurrency"] = value
    return FeedSource(
        name=name,
        url=url,
        lang=lang,
        kind=kind,
        poll_interval=interval,
        title=title,
        fixed_interval="poll_interval" in raw,
        fetch=fetch,
        **politeness,
    )
