"""Publication times: parse what feeds and pages write, keep the original UTC offset, store UTC.

A naive time (no offset) is read in the time zone of the source's language, the way its readers
would read it: a Korean page's "2025-12-21 18:04" is Seoul time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import feedparser

from monitor.lang import LANGUAGES

# The zone a naive time is read in: each language's own (monitor.lang), and Chinese, which pages
# are detected in though it has no module yet.
LANGUAGE_ZONES = {**{code: spec.zone for code, spec in LANGUAGES.items() if spec.zone != "UTC"}, "zh": "Asia/Shanghai"}

_KO_JA_DATE = re.compile(
    r"(\d{4})\s*[.\-/년年]\s*(\d{1,2})\s*[.\-/월月]\s*(\d{1,2})\s*[일日.]?"
    r"(?:\s*\([^)]*\))?"  # weekday, e.g. (월) or (日)
    r"(?:\s*(오전|오후|午前|午後)?\s*(\d{1,2})\s*[:시時]\s*(\d{1,2})\s*(?:분|分)?(?:\s*:?\s*(\d{1,2}))?)?"
)


@dataclass(frozen=True)
class Timestamp:
    """A moment, stored as UTC, with the offset it was written in (minutes east of UTC)."""

    utc: datetime
    offset_minutes: int

    @property
    def utc_iso(self) -> str:
        return self.utc.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def offset(self) -> str:
        sign = "+" if self.offset_minutes >= 0 else "-"
        hours, minutes = divmod(abs(self.offset_minutes), 60)
        return f"{sign}{hours:02d}:{minutes:02d}"

    @property
    def local(self) -> datetime:
        return self.utc.astimezone(timezone(timedelta(minutes=self.offset_minutes)))


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    """The archive's timestamp format: UTC, second precision, `Z` (sorts as text, SQLite reads it)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_timestamp(moment: datetime, lang: str | None = None) -> Timestamp:
    """Attach the language's zone to a naive datetime, then split it into UTC and offset."""
    if moment.tzinfo is None or moment.tzinfo.utcoffset(moment) is None:
        moment = moment.replace(tzinfo=ZoneInfo(LANGUAGE_ZONES.get(lang or "", "UTC")))
    offset = moment.utcoffset() or timedelta(0)
    return Timestamp(moment.astimezone(timezone.utc), int(offset.total_seconds() // 60))


def parse_timestamp(value: str | None, lang: str | None = None) -> Timestamp | None:
    """Parse a date as feeds and pages write it: ISO 8601, RFC 822, Korean/Japanese forms, and
    whatever else feedparser's date handlers know. None when nothing sensible comes out."""
    if not value or not value.strip():
        return None
    text = value.strip()
    moment = _parse_iso_like(text) or _parse_rfc822(text) or _parse_ko_ja(text)
    if moment is not None:
        return to_timestamp(moment, lang) if 1990 <= moment.year <= 2100 else None
    parsed = feedparser.datetimes._parse_date(text)  # UTC struct_time; the offset is lost
    if parsed is None:
        return None
    return Timestamp(datetime(*parsed[:6], tzinfo=timezone.utc), 0)


def _parse_iso_like(text: str) -> datetime | None:
    candidate = text.replace(" ", "T", 1) if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    candidate = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", candidate)  # +0900 -> +09:00
    try:
        return datetime.fromisoformat(candidate.replace("Z", "+00:00"))
    except ValueError:
        return None


def _parse_rfc822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _parse_ko_ja(text: str) -> datetime | None:
    match = _KO_JA_DATE.search(text)
    if not match:
        return None
    year, month, day = int(match.group(1)), int(match.group(2)), int(match.group(3))
    meridiem, hour, minute, second = match.group(4), match.group(5), match.group(6), match.group(7)
    hour_value = int(hour) if hour else 0
    if meridiem in ("오후", "午後") and hour_value < 12:
        hour_value += 12
    if meridiem in ("오전", "午前") and hour_value == 12:
        hour_value = 0
    try:
        return datetime(year, month, day, hour_value, int(minute or 0), int(second or 0))
    except ValueError:
        return None
