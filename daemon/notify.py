"""systemd's service notification protocol (sd_notify(3)), spoken over the ``$NOTIFY_SOCKET`` datagram socket
with the standard library.

Under ``Type=notify`` the service tells systemd ``READY=1`` once it can work, keeps a one-line ``STATUS=``
(what ``systemctl status kpisync`` prints), pings ``WATCHDOG=1`` more often than ``WatchdogSec=`` and says
``STOPPING=1`` when it begins to shut down. Outside systemd there is no socket and every call is a no-op.
A notification that cannot be sent is logged and dropped: telling systemd must never stop a sync.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Mapping

import structlog

ENV_SOCKET = "NOTIFY_SOCKET"
ENV_WATCHDOG_USEC = "WATCHDOG_USEC"
ENV_WATCHDOG_PID = "WATCHDOG_PID"
# A datagram to a local socket does not block for long, but a full receive queue could: never wait past this.
SEND_TIMEOUT_SECONDS = 2.0
# STATUS= is one line shown in `systemctl status`; systemd keeps it short.
MAX_STATUS = 200


def _log() -> structlog.typing.FilteringBoundLogger:
    return structlog.get_logger(__name__)  # type: ignore[no-any-return]


def _address(value: str) -> str | bytes:
    # An address starting with '@' is in Linux's abstract namespace: the '@' stands for a leading NUL byte.
    if value.startswith("@"):
        return b"\0" + value[1:].encode()
    return value


class Notifier:
    """Sends sd_notify messages to one socket; ``address=None`` sends nothing."""

    def __init__(self, address: str | None) -> None:
        self.address = address or None
        self._lock = threading.Lock()  # the watchdog thread and the sync thread both send
        self._socket: socket.socket | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Notifier:
        env = os.environ if environ is None else environ
        return cls(env.get(ENV_SOCKET))

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def send(self, *assignments: str) -> bool:
        """Send ``KEY=value`` lines as one datagram; True when it went out."""
        if self.address is None:
            return False
        payload = "\n".join(assignments).encode("utf-8")
        with self._lock:
            try:
                if self._socket is None:
                    self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
                    self._socket.settimeout(SEND_TIMEOUT_SECONDS)
                self._socket.sendto(payload, _address(self.address))
            except OSError as exc:
                _log().warning("notify.failed", socket=self.address, error=str(exc), message=assignments[0])
                return False
        return True

    def ready(self, status: str) -> bool:
        return self.send("READY=1", _status(status))

    def status(self, status: str) -> bool:
        return self.send(_status(status))

    def watchdog(self) -> bool:
        return self.send("WATCHDOG=1")

    def stopping(self, status: str) -> bool:
        return self.send("STOPPING=1", _status(status))

    def close(self) -> None:
        with self._lock:
            if self._socket is not None:
                self._socket.close()
                self._socket = None


def _status(text: str) -> str:
    one_line = " ".join(text.split())
    return "STATUS=" + one_line[:MAX_STATUS]


def watchdog_interval(environ: Mapping[str, str] | None = None, pid: int | None = None) -> float | None:
    """Seconds between watchdog pings (half of ``WatchdogSec=``, as sd_watchdog_enabled(3) advises), or None
    when systemd expects none from this process."""
    env = os.environ if environ is None else environ
    usec = env.get(ENV_WATCHDOG_USEC, "")
    if not usec.isdigit() or int(usec) == 0:
        return None
    owner = env.get(ENV_WATCHDOG_PID, "")
    if owner and owner != str(os.getpid() if pid is None else pid):
        return None  # the watchdog is meant for another process (e.g. a wrapper that started us)
    return int(usec) / 1_000_000 / 2
