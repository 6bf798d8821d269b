"""structlog, configured once by the entry point: JSON lines when stdout is not a terminal (journald under
systemd), a readable console on a terminal. Library modules only call ``structlog.get_logger()``.

Secrets never reach a log line: any key that names a secret has its value replaced before rendering,
whatever the module that logged it (a defence in depth; no module is meant to log one in the first place).
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


def redact_secrets(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: mask values under secret-looking keys and key material inside any string."""
    for key in list(event_dict):
        value = event_dict[key]
        if _SECRET_KEY.search(key) and key != "event":
            event_dict[key] = REDACTED
        elif isinstance(value, str):
            event_dict[key] = _SECRET_TEXT.sub(REDACTED, value)
    return event_dict


def configure_logging(*, level: str = "INFO", json: bool | None = None, stream: TextIO | None = None) -> None:
    """Configure structlog for the process. ``json=None`` picks JSON unless ``stream`` is a terminal."""
    out = stream if stream is not None else sys.stdout
    use_json = (not out.isatty()) if json is None else json
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if use_json
        else structlog.dev.ConsoleRenderer(colors=out.isatty())
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact_secrets,
            structlog.processors.format_exc_info if use_json else structlog.processors.StackInfoRenderer(),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=out),
        cache_logger_on_first_use=False,
    )
