"""structlog, configured once by the entry point: JSON lines when stderr is not a terminal (journald under
systemd), a readable console on a terminal. Library modules only call ``structlog.get_logger()``.

Logs go to stderr, so a command's own output on stdout (a summary line, a table, an export) stays clean
to pipe. The standard library's logging (APScheduler's job events and errors, google-auth's warnings) is
rendered by the same processors into the same stream, so journald gets one format.

Secrets never reach a log line: any key that names a secret has its value replaced, at any depth of nested
dicts and lists, and key material inside any text is masked, after an exception's traceback has been
formatted into text, so a token quoted by an exception message is masked too (a defence in depth; no
module is meant to log one in the first place).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any, TextIO

import structlog

_SECRET_KEY = re.compile(r"(secret|token|password|passwd|private_key|credential|authorization|api_key)", re.I)
# Key material pasted into a message or a value (a PEM block or an OAuth bearer token) is masked too.
_SECRET_TEXT = re.compile(
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----|ya29\.[\w.-]+", re.S
)
REDACTED = "[redacted]"
# The marker on the stdlib handler this module installs, so a second configure replaces it.
_HANDLER_NAME = "kpisync"


def _redact(key: str | None, value: Any) -> Any:
    if key is not None and key != "event" and _SECRET_KEY.search(key):
        return REDACTED
    if isinstance(value, str):
        return _SECRET_TEXT.sub(REDACTED, value)
    if isinstance(value, dict):
        return {k: _redact(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_redact(None, v) for v in value]
    return value


def redact_secrets(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: mask values under secret-looking keys (at any depth) and key material in text."""
    for key in list(event_dict):
        event_dict[key] = _redact(key, event_dict[key])
    return event_dict


def _shared_processors() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def _final_processors(use_json: bool, colors: bool) -> list[Any]:
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if use_json
        else structlog.dev.ConsoleRenderer(colors=colors)
    )
    # The traceback becomes text first, so redaction sees what an exception's message quoted.
    return [structlog.processors.format_exc_info, redact_secrets, renderer]


def configure_logging(*, level: str = "INFO", json: bool | None = None, stream: TextIO | None = None) -> None:
    """Configure structlog and the stdlib root logger. ``json=None`` picks JSON unless the stream is a
    terminal; the stream defaults to stderr."""
    out = stream if stream is not None else sys.stderr
    is_tty = out.isatty()
    use_json = (not is_tty) if json is None else json
    numeric = logging.getLevelName(level.upper())
    structlog.configure(
        processors=[*_shared_processors(), *_final_processors(use_json, is_tty)],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        # One write per line (message and newline together): the sync and watchdog threads log at once.
        logger_factory=structlog.WriteLoggerFactory(file=out),
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(out)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*_shared_processors(), structlog.stdlib.ExtraAdder()],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                *_final_processors(use_json, is_tty),
            ],
        )
    )
    root = logging.getLogger()
    reset_logging()
    root.addHandler(handler)
    root.setLevel(numeric)
    # APScheduler logs two INFO lines per job run, the watchdog's included: noise in the journal. Its
    # warnings (a missed run, a skipped overlapping one) and errors still come through.
    logging.getLogger("apscheduler.executors").setLevel(max(numeric, logging.WARNING))


def reset_logging() -> None:
    """Remove the stdlib handler ``configure_logging`` installed (tests, and a second configure)."""
    root = logging.getLogger()
    for existing in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(existing)
