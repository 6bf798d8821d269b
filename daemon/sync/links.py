"""Links as respondents paste them, reduced to what can be checked: Drive file ids (with resource keys), Drive
folders, YouTube videos, other web pages, and text that is not a link at all.

Shapes handled are those in reference/google-apis.md §2.5 and DOMAIN.md: ``/file/d/ID/view``, ``open?id=``,
``uc?id=``, ``thumbnail?id=``, ``docs.google.com/{document,spreadsheets,presentation,drawings,forms}/d/ID``,
folders (``/drive/folders/ID``, ``/drive/u/0/folders/ID``), legacy ``spreadsheet/ccc?key=``,
``lh3.googleusercontent.com/d/ID``, ``resourcekey=`` anywhere in the query, and links surrounded by words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from daemon.store.models import LinkKind


@dataclass(frozen=True)
class Link:
    kind: LinkKind
    original: str  # the URL (or the text) as the respondent typed it
    file_id: str | None = None  # Drive file or folder id
    resource_key: str | None = None

    @property
    def is_drive(self) -> bool:
        return self.kind in (LinkKind.DRIVE_FILE, LinkKind.DRIVE_FOLDER)


_ID = r"[A-Za-z0-9_-]{10,}"
# Schemes are optional because people paste "drive.google.com/..." from the address bar.
_URL_RE = re.compile(
    r"(?:https?://|(?<![\w.@])(?=(?:www\.|drive\.google\.com|docs\.google\.com|youtu\.be|m\.youtube\.com|youtube\.com/)))"
    r"[^\s<>\"'()\[\]{},]+",
    re.IGNORECASE,
)
# Thai sentences end links with no space before "ครับ"/"ค่ะ": a URL never contains Thai letters.
_THAI_RE = re.compile(r"[\u0E00-\u0E7F]")
_TRAILING = ".,;:!?)]}>'\"”’"
# "/u/1/" sits before "/d/" in links copied while several Google accounts are signed in.
_FILE_PATH_RES = (
    re.compile(rf"/file/(?:u/\d+/)?d/({_ID})"),
    re.compile(rf"/(?:document|spreadsheets|presentation|drawings|forms)/(?:u/\d+/)?d/({_ID})"),
    re.compile(rf"^/d/({_ID})"),
)
_FOLDER_PATH_RE = re.compile(rf"/folders/({_ID})")
_ID_ONLY_RE = re.compile(rf"^{_ID}$")
_DRIVE_HOSTS = ("drive.google.com", "docs.google.com", "lh3.googleusercontent.com")
_YOUTUBE_HOSTS = ("youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "music.youtube.com")


def extract_links(text: str | None) -> list[Link]:
    """Every link in ``text`` in order, de-duplicated; text with no link at all gives one NOT_A_LINK item.

    Blank text gives nothing: an empty optional answer is not evidence of anything.
    """
    if text is None or not text.strip():
        return []
    found: list[Link] = []
    seen: set[tuple[str, str | None, str]] = set()
    for match in _URL_RE.finditer(text):
        raw = _trim(match.group(0))
        if not raw:
            continue
        link = classify_url(raw)
        identity = (link.kind.value, link.file_id, link.file_id or link.original)
        if identity in seen:
            continue
        seen.add(identity)
        found.append(link)
    if not found:
        return [Link(LinkKind.NOT_A_LINK, text.strip())]
    return found


def _trim(raw: str) -> str:
    thai = _THAI_RE.search(raw)
    if thai:
        raw = raw[: thai.start()]
    return raw.rstrip(_TRAILING)


def classify_url(url: str) -> Link:
    """One URL → its kind and, for Drive, the file or folder id and resource key."""
    with_scheme = url if re.match(r"^https?://", url, re.IGNORECASE) else "https://" + url
    try:
        parts = urlsplit(with_scheme)
    except ValueError:
        return Link(LinkKind.NOT_A_LINK, url)
    host = (parts.hostname or "").lower()
    if not host or "." not in host:
        return Link(LinkKind.NOT_A_LINK, url)
    query = parse_qs(parts.query)
    resource_key = _first(query, "resourcekey")
    if host in _DRIVE_HOSTS:
        return _drive_link(url, parts.path, query, resource_key)
    if host in _YOUTUBE_HOSTS:
        return Link(LinkKind.YOUTUBE, url)
    return Link(LinkKind.WEB, url)


def _drive_link(url: str, path: str, query: dict[str, list[str]], resource_key: str | None) -> Link:
    if "/forms/d/e/" in path:
        # A responder link carries the public id, not the form's file id: nothing to check in Drive.
        return Link(LinkKind.NOT_A_LINK, url)
    folder = _FOLDER_PATH_RE.search(path)
    if folder:
        return Link(LinkKind.DRIVE_FOLDER, url, folder.group(1), resource_key)
    for pattern in _FILE_PATH_RES:
        found = pattern.search(path)
        if found:
            return Link(LinkKind.DRIVE_FILE, url, found.group(1), resource_key)
    for name in ("id", "key"):
        value = _first(query, name)
        if value and _ID_ONLY_RE.match(value):
            return Link(LinkKind.DRIVE_FILE, url, value, resource_key)
    return Link(LinkKind.NOT_A_LINK, url)


def _first(query: dict[str, list[str]], name: str) -> str | None:
    values = query.get(name)
    return values[0] if values else None
