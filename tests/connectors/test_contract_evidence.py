"""EvidenceChecker contract: InMemoryEvidence and GoogleDrive (batched files.get on the sandbox) agree."""

from __future__ import annotations

import pytest
from conn_worlds import World

from connectors.base import EvidenceStatus, FileChecks, FileRef

PDF = "application/pdf"
FOLDER = "application/vnd.google-apps.folder"
SHORTCUT = "application/vnd.google-apps.shortcut"


def fid(name: str) -> str:
    return f"1{name}".ljust(33, "x")


@pytest.fixture
def files(world: World) -> dict[str, str | None]:
    """One file of each kind the checker must tell apart; values are resource keys where needed."""
    keys: dict[str, str | None] = {}
    keys["ok"] = world.add_file(fid("ok"), "รายงาน.pdf", PDF, size=1234)
    keys["folder"] = world.add_file(fid("folder"), "หลักฐาน", FOLDER)
    keys["trashed"] = world.add_file(fid("trashed"), "ลบแล้ว.pdf", PDF, size=10, trashed=True)
    keys["unshared"] = world.add_file(fid("unshared"), "ส่วนตัว.pdf", PDF, size=10, readable=False)
    keys["keyed"] = world.add_file(fid("keyed"), "ลิงก์.pdf", PDF, size=10, needs_key=True)
    keys["shortcut"] = world.add_file(fid("shortcut"), "ทางลัด", SHORTCUT, shortcut_to=fid("ok"))
    return keys


def test_each_kind_gets_its_verdict(world: World, files: dict[str, str | None]) -> None:
    """ok, folder, trashed, unshared (404), missing (404) and a keyed link are told apart."""
    refs = [FileRef(fid(n)) for n in ("ok", "folder", "trashed", "unshared", "missing")]
    refs.append(FileRef(fid("keyed"), files["keyed"]))
    got = world.evidence.check_files(refs).verdicts
    assert {k: v.status for k, v in got.items()} == {
        fid("ok"): EvidenceStatus.OK,
        fid("folder"): EvidenceStatus.FOLDER,
        fid("trashed"): EvidenceStatus.TRASHED,
        fid("unshared"): EvidenceStatus.NOT_FOUND,
        fid("missing"): EvidenceStatus.NOT_FOUND,
        fid("keyed"): EvidenceStatus.OK,
    }
    ok = got[fid("ok")]
    assert (ok.name, ok.mime_type, ok.size) == ("รายงาน.pdf", PDF, 1234)
    assert ok.web_view_link and fid("ok") in ok.web_view_link


def test_resource_key_is_needed(world: World, files: dict[str, str | None]) -> None:
    """A link-shared file that needs its resource key is NOT_FOUND without it."""
    assert files["keyed"]
    got = world.evidence.check_files([FileRef(fid("keyed"))]).verdicts
    assert got[fid("keyed")].status is EvidenceStatus.NOT_FOUND


def test_shortcut_resolves_to_target(world: World, files: dict[str, str | None]) -> None:
    """A shortcut is judged by its target, keyed by the shortcut's id, with via_shortcut set."""
    got = world.evidence.check_files([FileRef(fid("shortcut"))]).verdicts
    check = got[fid("shortcut")]
    assert check.status is EvidenceStatus.OK
    assert check.file_id == fid("ok")
    assert check.via_shortcut == fid("shortcut")
    assert check.mime_type == PDF
    assert world.ledger.count(method="drive.batch") == 2  # the shortcuts, then their targets


def test_batches_of_at_most_100(world: World) -> None:
    """150 refs (with a duplicate) go out as two batches, 100 and 50 inner calls, one ledger entry each."""
    ids = [fid(f"bulk{i:03d}") for i in range(150)]
    for file_id in ids[::10]:
        world.add_file(file_id, "x.pdf", PDF, size=1)
    got = world.evidence.check_files([FileRef(i) for i in [*ids, ids[0]]]).verdicts
    assert len(got) == 150
    assert sum(c.status is EvidenceStatus.OK for c in got.values()) == 15
    batches = [c for c in world.ledger.calls if c.method == "drive.batch"]
    assert sorted(c.inner_calls for c in batches) == [50, 100]
    assert world.ledger.quota_units("drive") == 150


def test_nothing_to_check_costs_nothing(world: World) -> None:
    """An empty list makes no API call."""
    assert world.evidence.check_files([]) == FileChecks()
    assert world.ledger.count() == 0
