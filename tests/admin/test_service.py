"""`kpisync run` under systemd: sd_notify messages (READY, STATUS, WATCHDOG, STOPPING) received on a socket
the test binds, the start line, and SIGTERM in the middle of a sync ending the process cleanly with the
database consistent."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, create_engine, func, select

from daemon.demo import find_config
from daemon.notify import Notifier, watchdog_interval
from daemon.service import run_service
from daemon.store.models import Checkpoint, ResponseVersion, SyncRun
from daemon.sync.cycle import run_sync
from tests.daemon.sync_world import World
from tests.sandbox.api_helpers import control

REPO_CONFIG = find_config()
KPISYNC = str(Path(sys.executable).parent / "kpisync")


class Listener:
    """The systemd side of the notify protocol: a datagram socket the service sends to, read on a thread of
    its own as systemd does, so a sender never waits on a full queue."""

    def __init__(self, address: str) -> None:
        self.address = address
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(b"\0" + address[1:].encode() if address.startswith("@") else address)
        self.messages: list[dict[str, str]] = []
        self._arrived = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = self.sock.recv(4096).decode("utf-8")
            except OSError:  # closed
                return
            if not data:  # shut down
                return
            with self._arrived:
                self.messages.append(dict(line.split("=", 1) for line in data.splitlines()))
                self._arrived.notify_all()

    def wait_for(self, key: str, contains: str = "") -> dict[str, str]:
        """The first message that sets ``key`` (with ``contains`` in its value), waiting up to a minute."""

        def found() -> dict[str, str] | None:
            return next((m for m in self.messages if key in m and contains in m[key]), None)

        with self._arrived:
            assert self._arrived.wait_for(found, timeout=60), f"no {key} {contains!r} in {self.messages}"
            message = found()
        assert message is not None
        return message

    def close(self) -> None:
        self.sock.shutdown(socket.SHUT_RDWR)  # wakes the reader's recv, which close() alone would not
        self.sock.close()
        self._reader.join(timeout=10)


@pytest.fixture
def listener() -> Iterator[Listener]:
    """A notify socket in Linux's abstract namespace (no path length limit, nothing left on disk)."""
    made = Listener(f"@kpisync-test-{uuid.uuid4().hex}")
    yield made
    made.close()


def test_notifier_sends_one_datagram_per_message(listener: Listener) -> None:
    """READY=1 and STATUS= go out together as one datagram; STATUS is flattened to one line."""
    notifier = Notifier(listener.address)
    assert notifier.ready("started\nnow")
    assert listener.wait_for("READY") == {"READY": "1", "STATUS": "started now"}
    notifier.close()


def test_notifier_to_a_filesystem_socket() -> None:
    """A path NOTIFY_SOCKET works as well as an abstract one."""
    folder = tempfile.mkdtemp(prefix="kn", dir="/tmp")
    try:
        made = Listener(os.path.join(folder, "notify"))
        notifier = Notifier.from_environ({"NOTIFY_SOCKET": made.address})
        assert notifier.watchdog()
        assert made.wait_for("WATCHDOG") == {"WATCHDOG": "1"}
        made.close()
        notifier.close()
    finally:
        for name in os.listdir(folder):
            os.unlink(os.path.join(folder, name))
        os.rmdir(folder)


def test_without_a_socket_nothing_is_sent() -> None:
    """Outside systemd (no NOTIFY_SOCKET) every notification is a no-op."""
    notifier = Notifier.from_environ({})
    assert not notifier.enabled
    assert not notifier.ready("x")


def test_a_gone_socket_does_not_raise() -> None:
    """A socket nobody listens on is logged and dropped: telling systemd never stops a sync."""
    notifier = Notifier(f"@kpisync-nobody-{uuid.uuid4().hex}")
    assert not notifier.status("x")
    notifier.close()


def test_watchdog_interval_is_half_of_watchdogsec() -> None:
    """WATCHDOG_USEC=300000000 (5 min) pings every 150 s; another process's watchdog is not ours."""
    assert watchdog_interval({"WATCHDOG_USEC": "300000000"}) == 150.0
    assert watchdog_interval({"WATCHDOG_USEC": "300000000", "WATCHDOG_PID": "1"}, pid=2) is None
    assert watchdog_interval({"WATCHDOG_USEC": "300000000", "WATCHDOG_PID": "2"}, pid=2) == 150.0
    assert watchdog_interval({}) is None


def test_service_says_ready_status_and_pings_the_watchdog(world: World, listener: Listener) -> None:
    """The service sends READY=1, a STATUS with the last sync in words and the next run, WATCHDOG=1 pings,
    and on stop STOPPING=1; the sync it ran is recorded."""
    stop = threading.Event()
    result: list[bool] = []
    notifier = Notifier(listener.address)

    def wait_for_stop() -> int:
        stop.wait(120)
        return int(signal.SIGTERM)

    def serve() -> None:
        result.append(
            run_service(
                world.settings,
                lambda: run_sync(world.settings, world.deps),
                notifier=notifier,
                version="9.9.9",
                now=lambda: datetime.now(world.settings.tz),
                watchdog_seconds=0.05,
                wait_for_stop=wait_for_stop,
                block_signals=False,
            )
        )

    worker = threading.Thread(target=serve)
    worker.start()
    try:
        assert listener.wait_for("READY")["STATUS"] == "kpisync 9.9.9 เริ่มทำงาน"
        assert listener.wait_for("STATUS", "กำลังซิงก์")
        done = listener.wait_for("STATUS", "ซิงก์ล่าสุด")["STATUS"]
        assert listener.wait_for("WATCHDOG") == {"WATCHDOG": "1"}
    finally:
        stop.set()
        worker.join(timeout=60)
        notifier.close()
    assert "สำเร็จ" in done and "คำตอบใหม่" not in done  # the world starts with no response
    assert "ครั้งถัดไป" in done
    assert listener.wait_for("STOPPING")["STATUS"] == "กำลังหยุด"
    assert result == [True]
    with Session(world.deps.engine) as session:
        assert [r.outcome for r in session.exec(select(SyncRun)).all()] == ["ok"]


@pytest.mark.integration
def test_sigterm_mid_sync_exits_cleanly_with_a_consistent_database(
    sandbox: Any, tmp_path: Path, listener: Listener
) -> None:
    """`kpisync run` as systemd starts it: READY=1, a start line with the version and next run; SIGTERM while
    a slowed sync runs gives STOPPING=1, exit 0, every run closed and every response stored once."""
    # Only Forms is slowed (6 calls): the sync is long enough to be interrupted, short enough to finish.
    control(sandbox.base_url, "POST", "/sandbox/latency", {"forms": 0.5})
    database = tmp_path / "k.db"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"WATCHDOG_PID", "CREDENTIALS_DIRECTORY"}},
        "KPISYNC_GOOGLE_BASE_URL": sandbox.base_url,
        "KPISYNC_DATABASE": str(database),
        "NOTIFY_SOCKET": listener.address,
        "WATCHDOG_USEC": "400000",
    }
    proc = subprocess.Popen(
        [KPISYNC, "run", "--config", str(REPO_CONFIG)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert listener.wait_for("READY")["READY"] == "1"
        listener.wait_for("STATUS", "กำลังซิงก์")
        listener.wait_for("WATCHDOG")
        proc.send_signal(signal.SIGTERM)
        assert listener.wait_for("STOPPING")["STOPPING"] == "1"
        _out, err = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err[-2000:]
    events = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    started = next(e for e in events if e["event"] == "service.started")
    assert started["version"][0].isdigit()
    assert datetime.fromisoformat(started["next_run"]).tzinfo is not None
    names = [e["event"] for e in events]
    assert names.index("service.stopping") < names.index("service.stopped")

    engine = create_engine(f"sqlite:///{database}")
    with Session(engine) as session:
        runs = session.exec(select(SyncRun)).all()
        checkpoints = {c.form_id for c in session.exec(select(Checkpoint)).all()}
        stored = {
            form_id: session.exec(
                select(func.count()).select_from(ResponseVersion).where(ResponseVersion.form_id == form_id)
            ).one()
            for form_id in sandbox.manifest["forms"].values()
        }
    engine.dispose()
    # The run is closed, as stopped at a step boundary; no form is half stored: a form has all its
    # responses with its checkpoint, or none and no checkpoint.
    assert [(r.outcome, r.finished_at is not None) for r in runs] == [("interrupted", True)]
    for name, form_id in sandbox.manifest["forms"].items():
        expected = sandbox.manifest["response_counts"][name] if form_id in checkpoints else 0
        assert stored[form_id] == expected, name
