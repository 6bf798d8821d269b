"""Drive links of every shape reduced to file ids; everything else classified, never an exception."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daemon.store.models import LinkKind
from daemon.sync.links import classify_url, extract_links

FID = "1AbCdEfGhIjKlMnOpQrStUvWxYz012345"


@pytest.mark.parametrize(
    ("url", "kind", "file_id", "resource_key"),
    [
        (f"https://drive.google.com/file/d/{FID}/view?usp=sharing", LinkKind.DRIVE_FILE, FID, None),
        (
            f"https://drive.google.com/file/d/{FID}/view?usp=sharing&resourcekey=0-abc_DEF",
            LinkKind.DRIVE_FILE,
            FID,
            "0-abc_DEF",
        ),
        (f"https://drive.google.com/open?id={FID}", LinkKind.DRIVE_FILE, FID, None),
        (f"https://drive.google.com/uc?id={FID}&export=download", LinkKind.DRIVE_FILE, FID, None),
        (f"https://drive.google.com/thumbnail?id={FID}", LinkKind.DRIVE_FILE, FID, None),
        (f"https://docs.google.com/document/d/{FID}/edit", LinkKind.DRIVE_FILE, FID, None),
        (f"https://docs.google.com/spreadsheets/d/{FID}/edit#gid=0", LinkKind.DRIVE_FILE, FID, None),
        (f"https://docs.google.com/presentation/d/{FID}/edit?usp=sharing", LinkKind.DRIVE_FILE, FID, None),
        (f"https://docs.google.com/spreadsheet/ccc?key={FID}", LinkKind.DRIVE_FILE, FID, None),
        (f"https://lh3.googleusercontent.com/d/{FID}", LinkKind.DRIVE_FILE, FID, None),
        (f"https://drive.google.com/drive/folders/{FID}", LinkKind.DRIVE_FOLDER, FID, None),
        (
            f"https://drive.google.com/drive/u/0/folders/{FID}?resourcekey=0-k",
            LinkKind.DRIVE_FOLDER,
            FID,
            "0-k",
        ),
        (f"drive.google.com/file/d/{FID}/view", LinkKind.DRIVE_FILE, FID, None),
        ("https://docs.google.com/forms/d/e/1FAIpQLSexample/viewform", LinkKind.NOT_A_LINK, None, None),
        ("https://drive.google.com/drive/my-drive", LinkKind.NOT_A_LINK, None, None),
        ("https://youtu.be/dQw4w9WgXcQ", LinkKind.YOUTUBE, None, None),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", LinkKind.YOUTUBE, None, None),
        ("https://sukhothai.nfe.go.th/news/123", LinkKind.WEB, None, None),
    ],
)
def test_classify_url(url: str, kind: LinkKind, file_id: str | None, resource_key: str | None) -> None:
    """Each URL shape of google-apis.md §2.5 gives its kind, file id and resource key."""
    link = classify_url(url)
    assert (link.kind, link.file_id, link.resource_key) == (kind, file_id, resource_key)


def test_links_inside_thai_text() -> None:
    """A link glued to Thai words or punctuation is cut where the URL ends."""
    links = extract_links(
        f"ดูหลักฐานที่ https://drive.google.com/file/d/{FID}/viewครับ, และ (https://youtu.be/abc)."
    )
    assert [(lk.kind, lk.file_id) for lk in links] == [(LinkKind.DRIVE_FILE, FID), (LinkKind.YOUTUBE, None)]
    assert links[1].original == "https://youtu.be/abc"


def test_same_file_twice_is_one_link() -> None:
    """Two URLs of the same Drive file count once."""
    text = f"https://drive.google.com/open?id={FID} https://drive.google.com/file/d/{FID}/view"
    assert len(extract_links(text)) == 1


def test_text_without_link() -> None:
    """Words with no link become one NOT_A_LINK item; blank text gives nothing."""
    assert [lk.kind for lk in extract_links("ส่งเอกสารให้ ผอ. แล้ว")] == [LinkKind.NOT_A_LINK]
    assert extract_links("   ") == []
    assert extract_links(None) == []


@given(st.text())
def test_never_raises(text: str) -> None:
    """Any text at all is classified without an exception, and Drive ids are id-shaped."""
    for link in extract_links(text):
        if link.file_id is not None:
            assert link.file_id.replace("-", "").replace("_", "").isalnum()
