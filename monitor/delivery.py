"""Delivery of the daily digest: by email (SMTP, a text and an HTML part) and by webhook (a JSON
POST, retried). Settings come from feeds.yaml (`defaults.delivery`), secrets from the environment.

Both obey the destination policy of the fetches (`monitor.fetch.guard`): a server on a loopback,
private or otherwise non-public address is refused unless its network is listed under
`allow_private` (the defaults' or the channel's). The webhook goes through the same guarded
transport as every fetch (the address checked is the address connected to; redirects are not
followed); the SMTP server's addresses are checked before connecting.
"""

from __future__ import annotations

import base64
import logging
import os
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from datetime import datetime, timezone

import httpcore
import httpx

from monitor.config import EmailDelivery, FetchSettings, WebhookDelivery
from monitor.fetch import guard
from monitor.fetch.http import GuardedTransport

log = logging.getLogger("monitor.delivery")

_RETRIED_STATUSES = {408, 425, 429, 500, 502, 503, 504}
_MAX_RETRY_AFTER = 300.0


class DeliveryError(RuntimeError):
    """A digest could not be delivered; the message says where and why, in one line."""


@dataclass(frozen=True)
class Delivered:
    channel: str  # "email" or "webhook"
    detail: str  # "to a@b.c, d@e.f" / "HTTP 200 after 2 attempts"


def secret(name: str | None, what: str) -> str | None:
    """The value of the environment variable `name` (None when no variable is configured).
    Raises DeliveryError when it is configured but not set."""
    if name is None:
        return None
    value = os.environ.get(name)
    if not value:
        raise DeliveryError(f"{what}: environment variable {name} is not set")
    return value


def build_email(settings: EmailDelivery, subject: str, text: str, html: str) -> EmailMessage:
    """A multipart/alternative message: the Markdown digest as text/plain, the page as text/html
    (both UTF-8, so Korean and Japanese arrive as written)."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message["Date"] = format_datetime(datetime.now(timezone.utc))
    message["Message-ID"] = make_msgid(domain=settings.sender.rstrip(">").rsplit("@", 1)[-1])
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    return message


def send_email(settings: EmailDelivery, message: EmailMessage, allow: Sequence[str] = ()) -> Delivered:
    """Send `message` through the configured SMTP server (STARTTLS, implicit TLS or plain, as
    configured; login when a username is set). Raises DeliveryError."""
    where = f"email via {settings.host}:{settings.port}"
    _check_destination(settings.host, settings.port, (*allow, *settings.allow_private), where)
    password = secret(settings.password_env, where)
    try:
        if settings.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                                    context=ssl.create_default_context())  # fmt: skip
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            if settings.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.username:
                _login(client, settings.username, password or "")
            refused = client.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"{where}: {_smtp_reason(exc)}") from None
    if refused:
        raise DeliveryError(f"{where}: refused recipients: {', '.join(sorted(refused))}")
    return Delivered("email", f"to {', '.join(settings.recipients)}")


def post_webhook(
    settings: WebhookDelivery,
    body: bytes,
    *,
    idempotency_key: str,
    allow: Sequence[str] = (),
    user_agent: str = FetchSettings.user_agent,
    sleep: Callable[[float], None] = time.sleep,
) -> Delivered:
    """POST `body` (JSON) to the webhook, retrying network failures, timeouts, 408, 425, 429 and 5xx
    up to `attempts` times (waiting `retry_delay`, doubled each time, or the Retry-After asked, up to
    5 minutes); another status is final. The same `Idempotency-Key` goes with every attempt, so a
    receiver can drop a retry it already has. Raises DeliveryError."""
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": user_agent,
        "Idempotency-Key": idempotency_key,
    }
    token = secret(settings.token_env, f"webhook {settings.url}")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    networks = guard.parse_networks((*allow, *settings.allow_private))
    delay = settings.retry_delay
    last = ""
    with httpx.Client(transport=GuardedTransport(limits=httpx.Limits(max_connections=2)), follow_redirects=False,
                      timeout=httpx.Timeout(settings.timeout)) as client:  # fmt: skip
        for attempt in range(1, settings.attempts + 1):
            wait = delay
            try:
                with guard.exchange(settings.timeout, networks):
                    response = client.post(settings.url, content=body, headers=headers)
                status = response.status_code
                if 200 <= status < 300:
                    return Delivered("webhook", f"HTTP {status} after {attempt} attempt{'s' if attempt > 1 else ''}")
                last = f"HTTP {status}"
                if status not in _RETRIED_STATUSES:
                    raise DeliveryError(f"webhook {settings.url}: {last} (not retried)")
                retry_after = response.headers.get("retry-after", "")
                if retry_after.isdigit():
                    wait = max(wait, min(float(retry_after), _MAX_RETRY_AFTER))
            except guard.DestinationRefused as exc:
                raise DeliveryError(f"webhook {settings.url}: {exc}; list its network under allow_private") from None
            except httpx.HTTPError as exc:
                last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
            if attempt < settings.attempts:
                log.warning("webhook %s: attempt %d failed (%s); retrying in %gs", settings.url, attempt, last, wait)
                sleep(wait)
                delay *= 2
    raise DeliveryError(f"webhook {settings.url}: {settings.attempts} attempts failed, last: {last}")


def _login(client: smtplib.SMTP, username: str, password: str) -> None:
    """SMTP AUTH: PLAIN (RFC 4616: one exchange, UTF-8, so a Korean or Japanese password works)
    when the server offers it, else smtplib's own choice (ASCII credentials only)."""
    client.ehlo_or_helo_if_needed()
    if "plain" not in client.esmtp_features.get("auth", "").lower().split():
        if not (username + password).isascii():
            raise smtplib.SMTPException("the server does not offer AUTH PLAIN, which a non-ASCII password needs")
        client.login(username, password)
        return
    token = base64.b64encode(b"\0" + username.encode("utf-8") + b"\0" + password.encode("utf-8")).decode("ascii")
    code, reply = client.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _check_destination(host: str, port: int, allow: Sequence[str], where: str) -> None:
    """Refuse a server whose every address the destination policy refuses."""
    networks = guard.parse_networks(allow)
    try:
        addresses = [address for _, address in guard.resolve(host, port, 10.0)]
    except (OSError, httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
        raise DeliveryError(f"{where}: {exc}") from None
    if not addresses:
        raise DeliveryError(f"{where}: {host} has no address")
    if all(guard.refusal(address, networks) for address in addresses):
        reason = guard.refusal(addresses[0], networks)
        raise DeliveryError(f"{where}: destination refused: {host} {reason}; list its network under allow_private")


def _smtp_reason(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}".strip()
    if isinstance(exc, socket.timeout):
        return f"no answer within the timeout ({exc})"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
