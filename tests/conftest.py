"""Shared fixtures: a sandbox on a free loopback port, fresh per test, seeded or empty; Google clients."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import structlog
from google.auth.credentials import AnonymousCredentials
from googleapiclient.discovery import build

from daemon.logging_setup import reset_logging
from sandbox.seed import MANIFEST, seed_sample
from sandbox.server import RunningSandbox, start


@dataclass
class SandboxHandle:
    """What a test needs: where the sandbox answers, where it keeps state, and the seed's manifest."""

    base_url: str
    data_dir: Path
    manifest: dict[str, Any]
    running: RunningSandbox

    def restart(self) -> None:
        """Stop and start again on the same data directory (the port changes)."""
        self.running.shutdown()
        self.running = start(self.data_dir)
        self.base_url = self.running.base_url


class GoogleClients:
    """The unchanged googleapiclient services pointed at a sandbox; all closed when the test ends."""

    def __init__(self) -> None:
        self._open: list[Any] = []

    def _build(self, api: str, version: str, endpoint: str) -> Any:
        service = build(
            api, version, credentials=AnonymousCredentials(), static_discovery=True, cache_discovery=False,  # type: ignore[no-untyped-call]
            client_options={"api_endpoint": endpoint},
        )  # fmt: skip
        self._open.append(service)
        return service

    def forms(self, base_url: str) -> Any:
        return self._build("forms", "v1", base_url + "/")

    def drive(self, base_url: str) -> Any:
        return self._build("drive", "v3", base_url + "/drive/v3/")

    def sheets(self, base_url: str) -> Any:
        return self._build("sheets", "v4", base_url + "/")

    def close(self) -> None:
        for service in self._open:
            service.close()


@pytest.fixture
def google_clients() -> Iterator[GoogleClients]:
    """Factory for Forms/Drive/Sheets clients built from the static discovery documents."""
    clients = GoogleClients()
    yield clients
    clients.close()


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Seed once per session and copy per test: the world is deterministic, copying is cheaper than seeding.
    template = tmp_path_factory.mktemp("sandbox-template")
    seed_sample(template)
    return template


@pytest.fixture
def sandbox(tmp_path: Path, _seeded_template: Path) -> Iterator[SandboxHandle]:
    """A fresh sandbox seeded with the sample world (sandbox/SAMPLE_SPEC.md)."""
    data_dir = tmp_path / "sandbox"
    shutil.copytree(_seeded_template, data_dir)
    manifest = json.loads((data_dir / MANIFEST).read_text("utf-8"))
    running = start(data_dir)
    handle = SandboxHandle(running.base_url, data_dir, manifest, running)
    yield handle
    handle.running.shutdown()


@pytest.fixture
def empty_sandbox(tmp_path: Path) -> Iterator[SandboxHandle]:
    """A fresh sandbox with nothing in it."""
    data_dir = tmp_path / "sandbox-empty"
    running = start(data_dir)
    handle = SandboxHandle(running.base_url, data_dir, {}, running)
    yield handle
    handle.running.shutdown()


@pytest.fixture(autouse=True)
def _structlog_defaults() -> Iterator[None]:
    """Each test starts from structlog's defaults: the CLI's configure_logging never leaks into the next."""
    structlog.reset_defaults()
    yield
    structlog.reset_defaults()
    # The stdlib handler writes to the stream of the test that configured it, which is gone by now.
    reset_logging()
