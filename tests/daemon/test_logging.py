"""Logging setup: JSON off a terminal, console on one, and secrets masked whatever module logs them."""

from __future__ import annotations

import io
import json
import logging
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


def test_logs_go_to_stderr_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    """Without a stream, events go to stderr so that a command's stdout (a table, an export) stays clean."""
    configure_logging(json=True)
    structlog.get_logger().info("sync.finished", rows=1)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert json.loads(captured.err.strip())["event"] == "sync.finished"


def test_stdlib_logging_is_rendered_by_structlog() -> None:
    """A stdlib logger's record (APScheduler's) comes out as the same JSON line, with level and timestamp."""
    out = io.StringIO()
    configure_logging(stream=out)
    logging.getLogger("apscheduler.executors.default").warning("Run time of job %s was missed", "sync")
    record = json.loads(out.getvalue().strip())
    assert record["event"] == "Run time of job sync was missed"
    assert record["level"] == "warning"
    assert "timestamp" in record


def test_configuring_twice_keeps_one_stdlib_handler() -> None:
    """A second configure replaces the stdlib handler instead of doubling every line."""
    first, second = io.StringIO(), io.StringIO()
    configure_logging(stream=first)
    configure_logging(stream=second)
    logging.getLogger("apscheduler").warning("once")
    assert first.getvalue() == ""
    assert len(second.getvalue().strip().splitlines()) == 1


def test_a_token_quoted_by_an_exception_is_masked() -> None:
    """Redaction runs after the traceback is formatted: a bearer token in an exception message is masked."""
    out = io.StringIO()
    configure_logging(stream=out)
    try:
        raise RuntimeError("refresh failed for ya29.a0AfH6SMBsecret")
    except RuntimeError:
        structlog.get_logger().exception("sync.crashed")
    text = out.getvalue()
    assert "ya29.a0AfH6SMBsecret" not in text
    assert "RuntimeError" in json.loads(text)["exception"]


def test_stdlib_exception_is_masked_too() -> None:
    """An APScheduler-style error logged with exc_info through stdlib is masked the same way."""
    out = io.StringIO()
    configure_logging(stream=out)
    try:
        raise ValueError("Authorization: Bearer ya29.stdlibsecret")
    except ValueError:
        logging.getLogger("apscheduler.executors.default").exception("Job raised")
    assert "ya29.stdlibsecret" not in out.getvalue()
    assert "ValueError" in out.getvalue()


def test_secrets_inside_nested_values_are_masked() -> None:
    """A secret key inside a nested dict or list, and key material in a nested string, are replaced."""
    event = redact_secrets(
        None,
        "info",
        {"event": "x", "request": {"headers": {"Authorization": "Bearer abc"}, "body": ["ya29.zzz", 3]}},
    )
    assert event["request"]["headers"]["Authorization"] == REDACTED
    assert event["request"]["body"] == [REDACTED, 3]
