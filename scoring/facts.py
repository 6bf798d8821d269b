"""What scoring needs to know about one submission, extracted from the form answers and the Drive checks.

The daemon builds these values from the store; scoring never sees Google's shapes. All of it is plain data.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

RoundMonths = Literal[6, 9, 12]

# The award levels a form can report, from the highest to the lowest (the grid rows ระดับประเทศ … ระดับอำเภอ).
AWARD_LEVELS: tuple[str, ...] = ("national", "regional", "provincial", "district")


class EvidenceKind(enum.StrEnum):
    DOCUMENT = "document"
    IMAGE = "image"
    VIDEO = "video"
    FOLDER = "folder"
    YOUTUBE = "youtube"
    WEB_LINK = "web_link"
    OTHER = "other"


@dataclass(frozen=True)
class EvidenceFact:
    """One piece of evidence as checked: its kind, whether the service account could read it, and its name.

    ``is_link`` is False for an answer that names no file or page at all ("ส่งทางไลน์แล้ว"): it is never
    evidence. ``kind_known`` is False for a link nobody could open (not shared, deleted, not checked yet):
    Google tells nothing about such a file, so ``kind`` is a placeholder (``other``) and ``name`` the link as
    typed, and the link may well be the very document a rubric asks for. The two are told apart because the
    teacher's remedy differs: share the file, or send it at all.

    ``checked`` is False for a Drive file Drive has not answered about yet (a new link during an outage):
    ``readable`` then says nothing, and no verdict may be drawn from it (scoring waits instead).
    """

    kind: EvidenceKind
    readable: bool
    name: str
    mime_type: str | None = None
    is_link: bool = True
    kind_known: bool = True
    checked: bool = True


@dataclass(frozen=True)
class SubmissionFacts:
    """One submission's answers, reduced to what a rubric can score.

    ``value_text`` is the numeric answer exactly as typed (scoring parses it); ``steps_met`` the milestone
    steps ticked (1-based); ``awards`` the number of awards per level key of ``AWARD_LEVELS``;
    ``manual_score`` the committee's own score, for manual indicators.
    """

    value_text: str = ""
    steps_met: frozenset[int] = frozenset()
    awards: Mapping[str, int] = field(default_factory=dict)
    evidence: tuple[EvidenceFact, ...] = ()
    files_attached: bool = False
    round_months: RoundMonths = 12
    manual_score: Decimal | None = None
