"""The headless-Chromium helper (tests/browser.py) on three small pages: clean, console.error, uncaught
exception. Without Chromium they are skipped, except under CI=true (CI installs it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import PageReport, open_in_chromium
from requirements import chromium

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Digest</title>
<style>body {{ font-family: sans-serif; margin: 16px; }} h1 {{ color: #123; }} li {{ margin: 8px 0; }}</style>
</head><body>
<h1>Daily digest</h1>
<ul><li>Story one: a headline long enough to wrap on a phone screen</li><li>Story two</li></ul>
<script>{script}</script>
</body></html>
"""


def render(tmp_path: Path, script: str) -> PageReport:
    chromium()
    html = tmp_path / "page.html"
    html.write_text(PAGE.format(script=script), encoding="utf-8")
    return open_in_chromium(html, tmp_path / "shots" / "page.png")


def test_clean_page_has_no_errors_and_a_screenshot(tmp_path):
    report = render(tmp_path, 'console.log("digest ready");')
    assert report.console_errors == []
    assert any("digest ready" in message for message in report.console_messages), report.console_messages
    shot = report.screenshot
    assert shot == tmp_path / "shots" / "page.png" and shot.is_file()
    data = shot.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert len(data) > 1024, f"screenshot is only {len(data)} bytes"
    # The IHDR chunk holds the size: the viewport asked for, 390 x 844 by default.
    assert int.from_bytes(data[16:20], "big") == 390 and int.from_bytes(data[20:24], "big") == 844


def test_console_error_is_reported(tmp_path):
    report = render(tmp_path, 'console.log("fine"); console.warn("careful"); console.error("boom");')
    assert len(report.console_errors) == 1, report.console_errors
    assert "boom" in report.console_errors[0]
    # log and warning levels are messages, not errors
    assert any("fine" in m for m in report.console_messages)
    assert any("careful" in m for m in report.console_messages)
    assert not any("fine" in e or "careful" in e for e in report.console_errors)


def test_uncaught_exception_is_reported(tmp_path):
    report = render(tmp_path, 'throw new Error("kaboom");')
    assert len(report.console_errors) == 1, report.console_errors
    assert "Uncaught" in report.console_errors[0] and "kaboom" in report.console_errors[0]
    assert report.screenshot.read_bytes()[:8] == PNG_SIGNATURE
