"""Logging setup: JSON off a terminal, console on one, and secrets masked whatever module logs them."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
import structlog

from daemon.logging_setup import REDACTED, configure_logging, redact_secrets


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _restore_structlog() -> Iterator[None]:
    yield
    structlog.reset_defaults()


def test_json_lines_when_not_a_terminal() -> None:
    """Off a terminal each event is one JSON object with level, timestamp and fields, Thai kept readable."""
    out = io.StringIO()
    configure_logging(stream=out)
    structlog.get_logger().info("sync.finished", rows=3, tab="ผลการประเมิน")
    record = json.loads(out.getvalue().strip())
    assert record["event"] == "sync.finished"
    assert record["level"] == "info"
    assert record["rows"] == 3
    assert "timestamp" in record
    assert "ผลการประเมิน" in out.getvalue()


def test_console_on_a_terminal() -> None:
    """On a terminal the output is the human-readable console format, not JSON."""
    out = _Tty()
    configure_logging(stream=out)
    structlog.get_logger().info("hello", n=1)
    text = out.getvalue()
    assert "hello" in text
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)


def test_level_filters_lower_events() -> None:
    """A WARNING level drops info events (the demo keeps its table clean this way)."""
    out = io.StringIO()
    configure_logging(level="WARNING", stream=out)
    structlog.get_logger().info("quiet")
    structlog.get_logger().warning("loud")
    assert "quiet" not in out.getvalue()
    assert "loud" in out.getvalue()


def test_secrets_never_reach_the_output() -> None:
    """Values under secret-looking keys and key material inside text are replaced before rendering."""
    out = io.StringIO()
    configure_logging(stream=out)
    pem = "-----BEGIN PRIVATE KEY-----\nMIIEabc\n-----END PRIVATE KEY-----"
    structlog.get_logger().info("auth", access_token="ya29.secretvalue", private_key=pem, note=f"key {pem}")
    text = out.getvalue()
    assert "ya29.secretvalue" not in text
    assert "MIIEabc" not in text
    record = json.loads(text)
    assert record["access_token"] == REDACTED
    assert record["note"] == f"key {REDACTED}"


def test_redaction_keeps_ordinary_fields() -> None:
    """Fields that are not secrets pass through unchanged."""
    event = redact_secrets(None, "info", {"event": "x", "rows": 2, "email": "a@b.th"})
    assert event == {"event": "x", "rows": 2, "email": "a@b.th"}
