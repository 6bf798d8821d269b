"""Evidence facts the daemon hands to scoring, and "the same file sent twice" across Forms uploads.

Every Forms upload gets a new Drive id, so the content's md5Checksum (with its size) is what tells that two
people, or two indicators of one person, used the same file. Google Docs, Sheets and Slides have no md5.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from connectors.base import EvidenceStatus
from connectors.memory import DriveFile as FakeDriveFile
from daemon.results.evidence import EvidenceUse, EvidenceView, duplicate_files, view_item
from daemon.store.models import DriveFile, EvidenceItem, Flag, LinkKind, Score
from daemon.sync.cycle import run_sync
from daemon.sync.normalize import submission_key
from scoring.facts import EvidenceFact, EvidenceKind
from tests.daemon.sync_world import FORM_ID, World, response

NOW = datetime(2026, 3, 1, tzinfo=UTC)
MD5 = "0cc175b9c0f1b6a831c399e269772661"
PDF = "application/pdf"


def _view(file_id: str, md5: str | None = None, size: int | None = 1000) -> EvidenceView:
    fact = EvidenceFact(EvidenceKind.DOCUMENT, True, f"{file_id}.pdf", PDF)
    return EvidenceView(f"{file_id}.pdf", None, "ok", fact, file_id, md5, size if md5 else None)


def _use(key: str, email: str, indicator: str, *, superseded: bool = False) -> EvidenceUse:
    return EvidenceUse(key, email, email.partition("@")[0], indicator, superseded=superseded)


# --- duplicate_files, pure -------------------------------------------------------------------------------


def test_same_md5_different_ids_across_people_is_flagged_on_both() -> None:
    """Two uploads of one file by two people (new ids, same md5 and size): both rows name the other."""
    uses = [_use("S-a", "a@x", "TCH-5"), _use("S-b", "b@x", "TCH-5")]
    views = {"S-a": [_view("1Upload_a", MD5)], "S-b": [_view("1Upload_b", MD5)]}
    found = duplicate_files(uses, views, "th")
    assert found == {
        "S-a": {"1Upload_a: เนื้อหาเดียวกับไฟล์ 1Upload_b ของ b (TCH-5)"},
        "S-b": {"1Upload_b: เนื้อหาเดียวกับไฟล์ 1Upload_a ของ a (TCH-5)"},
    }


def test_same_md5_for_two_indicators_of_one_person_is_flagged() -> None:
    """One person sending one file for two indicators is the seed's "same file sent twice"."""
    uses = [_use("S-a", "a@x", "ALL-1"), _use("S-b", "a@x", "ALL-3")]
    views = {"S-a": [_view("1Upload_a", MD5)], "S-b": [_view("1Upload_b", MD5)]}
    found = duplicate_files(uses, views, "en")
    assert found["S-a"] == {"1Upload_a: same content as 1Upload_b of a (ALL-3)"}
    assert found["S-b"] == {"1Upload_b: same content as 1Upload_a of a (ALL-1)"}


@pytest.mark.parametrize("superseded", [True, False])
def test_same_person_same_indicator_resubmitting_is_not_a_duplicate(superseded: bool) -> None:
    """Re-uploading the file for the same indicator (a corrected submission that supersedes the first,
    or the same evidence in a later round) is expected, not a flag."""
    uses = [_use("S-a", "a@x", "TCH-5", superseded=superseded), _use("S-b", "a@x", "TCH-5")]
    views = {"S-a": [_view("1Upload_a", MD5)], "S-b": [_view("1Upload_b", MD5)]}
    assert duplicate_files(uses, views, "th") == {}


def test_a_superseded_submission_does_not_make_others_duplicates() -> None:
    """The file of a replaced submission no longer counts against another person."""
    uses = [_use("S-a", "a@x", "TCH-5", superseded=True), _use("S-b", "b@x", "TCH-5")]
    views = {"S-a": [_view("1Upload_a", MD5)], "S-b": [_view("1Upload_b", MD5)]}
    assert duplicate_files(uses, views, "th") == {}


def test_same_md5_but_different_size_is_not_the_same_file() -> None:
    """The checksum is compared with the size, so a mismatch in either keeps files apart."""
    uses = [_use("S-a", "a@x", "TCH-5"), _use("S-b", "b@x", "TCH-5")]
    views = {"S-a": [_view("1Upload_a", MD5, 1000)], "S-b": [_view("1Upload_b", MD5, 1001)]}
    assert duplicate_files(uses, views, "th") == {}


def test_google_docs_without_md5_compare_by_id_only() -> None:
    """Two different Docs (no md5) are not duplicates; one Doc linked by two people is, by its id."""
    uses = [_use("S-a", "a@x", "ALL-1"), _use("S-b", "b@x", "ALL-1"), _use("S-c", "c@x", "ALL-1")]
    views = {"S-a": [_view("1Doc_one")], "S-b": [_view("1Doc_two")], "S-c": [_view("1Doc_one")]}
    found = duplicate_files(uses, views, "th")
    assert found == {
        "S-a": {"1Doc_one: ใช้ไฟล์เดียวกับ c (ALL-1)"},
        "S-c": {"1Doc_one: ใช้ไฟล์เดียวกับ a (ALL-1)"},
    }


def test_the_same_drive_id_is_named_once_not_also_as_same_content() -> None:
    """A file linked by two people carries one flag (by id), not a second one for its equal md5."""
    uses = [_use("S-a", "a@x", "TCH-5"), _use("S-b", "b@x", "TCH-5")]
    views = {"S-a": [_view("1Shared", MD5)], "S-b": [_view("1Shared", MD5)]}
    assert duplicate_files(uses, views, "th") == {
        "S-a": {"1Shared: ใช้ไฟล์เดียวกับ b (TCH-5)"},
        "S-b": {"1Shared: ใช้ไฟล์เดียวกับ a (TCH-5)"},
    }


# --- view_item: the fact scoring gets ------------------------------------------------------------------


def _item(kind: LinkKind, original: str, file_id: str | None = None, **upload: str) -> EvidenceItem:
    source = "upload" if upload else "link"
    return EvidenceItem(
        submission_key="S-a", position=0, source=source, kind=kind, original=original, file_id=file_id,
        upload_name=upload.get("name"), upload_mime_type=upload.get("mime"),
    )  # fmt: skip


def _check(status: EvidenceStatus, mime: str | None = None, md5: str | None = None) -> DriveFile:
    name = "กิจกรรม.mp4" if mime else None
    return DriveFile(
        file_id="1File", status=status.value, name=name, mime_type=mime, size=10 if md5 else None,
        md5_checksum=md5, checked_at=NOW,
    )  # fmt: skip


def test_unshared_link_is_a_link_of_unknown_kind() -> None:
    """A pasted Drive link Google answers 404 for: a link, not readable, kind not known."""
    url = "https://drive.google.com/file/d/1File/view"
    fact = view_item(_item(LinkKind.DRIVE_FILE, url, "1File"), _check(EvidenceStatus.NOT_FOUND)).fact
    assert (fact.is_link, fact.readable, fact.kind_known, fact.name) == (True, False, False, url)


def test_unchecked_link_is_a_link_of_unknown_kind() -> None:
    """A Drive link not checked yet (a dry run) is not "missing" either: its kind is simply not known."""
    fact = view_item(_item(LinkKind.DRIVE_FILE, "https://drive.google.com/open?id=1File", "1File"), None).fact
    assert (fact.is_link, fact.readable, fact.kind_known) == (True, False, False)


def test_text_that_is_no_link_is_marked_so() -> None:
    """The text "ส่งทางไลน์แล้ว" becomes a fact scoring knows is no evidence at all."""
    fact = view_item(_item(LinkKind.NOT_A_LINK, "ส่งทางไลน์แล้ว"), None).fact
    assert (fact.is_link, fact.readable) == (False, False)


def test_trashed_upload_keeps_the_kind_its_upload_declared() -> None:
    """An uploaded clip later trashed is still known to be a video (the response carries its mimeType)."""
    item = _item(LinkKind.DRIVE_FILE, "กิจกรรม.mp4", "1File", name="กิจกรรม.mp4", mime="video/mp4")
    fact = view_item(item, _check(EvidenceStatus.NOT_FOUND)).fact
    assert (fact.kind, fact.kind_known, fact.readable) == (EvidenceKind.VIDEO, True, False)


def test_unshared_folder_link_is_a_folder() -> None:
    """A folder URL says it is a folder even when the folder cannot be opened."""
    url = "https://drive.google.com/drive/folders/1File"
    fact = view_item(_item(LinkKind.DRIVE_FOLDER, url, "1File"), _check(EvidenceStatus.NOT_FOUND)).fact
    assert (fact.kind, fact.kind_known) == (EvidenceKind.FOLDER, True)


def test_md5_is_taken_from_readable_files_only() -> None:
    """A readable binary file carries its md5 and size; a trashed one does not take part in the match."""
    item = _item(LinkKind.DRIVE_FILE, "x", "1File")
    ok = view_item(item, _check(EvidenceStatus.OK, "video/mp4", MD5))
    trashed = view_item(item, _check(EvidenceStatus.TRASHED, "video/mp4", MD5))
    assert (ok.md5_checksum, ok.size) == (MD5, 10)
    assert (trashed.md5_checksum, trashed.size) == (None, None)


# --- through a sync on the in-memory fakes --------------------------------------------------------------

SOMSRI = "somsri@sukho.nfe.go.th"
SOMCHAI = "somchai@sukho.nfe.go.th"
CLIP_TCH5 = "กิจกรรมพัฒนาคุณภาพผู้เรียน"


def _open_flags(world: World, rid: str) -> dict[str, list[str]]:
    with Session(world.deps.engine) as session:
        query = select(Flag).where(
            Flag.submission_key == submission_key(FORM_ID, rid),
            Flag.closed_at == None,  # noqa: E711
        )
        found: dict[str, list[str]] = {}
        for flag in session.exec(query):
            found.setdefault(flag.code, []).append(flag.detail)
        return found


def test_sync_flags_one_clip_uploaded_by_two_teachers(world: World) -> None:
    """Two teachers upload the same clip through the Form (two Drive ids, one md5): both rows are flagged
    "duplicate_file" naming the other teacher and indicator."""
    for file_id in ("1UploadSomsrixxxxxxxxxxxxxxx", "1UploadSomchaixxxxxxxxxxxxxx"):
        world.drive.add(FakeDriveFile(file_id, "กิจกรรม.mp4", "video/mp4", size=5_000_000, md5_checksum=MD5))
    world.submit(
        response("r1", SOMSRI, CLIP_TCH5,
                 uploads=(("1UploadSomsrixxxxxxxxxxxxxxx", "กิจกรรม.mp4", "video/mp4"),))
    )  # fmt: skip
    world.submit(
        response("r2", SOMCHAI, CLIP_TCH5,
                 uploads=(("1UploadSomchaixxxxxxxxxxxxxx", "กิจกรรม - นายสมชาย.mp4", "video/mp4"),))
    )  # fmt: skip
    assert run_sync(world.settings, world.deps).outcome == "ok"
    assert _open_flags(world, "r1")["duplicate_file"] == [
        "1UploadSomsrixxxxxxxxxxxxxxx: เนื้อหาเดียวกับไฟล์ 1UploadSomchaixxxxxxxxxxxxxx ของ นายสมชาย ดีงาม (TCH-5)"
    ]
    assert "นางสาวสมศรี ใจดี (TCH-5)" in _open_flags(world, "r2")["duplicate_file"][0]


def test_sync_says_unshared_clip_link_is_unreadable_not_missing(world: World) -> None:
    """A clip sent as a link the service account may not open: score 0, "evidence_unreadable", and no
    "evidence_missing" telling the teacher to record it again."""
    world.submit(
        response("r1", SOMSRI, CLIP_TCH5, links="https://drive.google.com/file/d/1Privatexxxxxxxxxxxxxxxxxxxx/view")
    )  # fmt: skip
    world.submit(response("r2", SOMCHAI, CLIP_TCH5, links="ส่งทางไลน์แล้วครับ"))
    run_sync(world.settings, world.deps)
    unshared, text = _open_flags(world, "r1"), _open_flags(world, "r2")
    assert "evidence_unreadable" in unshared and "evidence_missing" not in unshared
    assert "evidence_missing" in text and "evidence_unreadable" not in text
    with Session(world.deps.engine) as session:
        key = submission_key(FORM_ID, "r1")
        stored = session.exec(select(Score).where(Score.submission_key == key)).one()
    assert stored.value == "0.00000" and "แชร์" in stored.explanation
