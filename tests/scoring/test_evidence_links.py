"""A link nobody can open is "not readable", never "missing"; an answer that is no link at all is "missing".

The teacher's remedy differs (share the file, or send it at all), so the flag must not mix them up.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from scoring_helpers import load_config

from scoring.engine import score_submission
from scoring.evidence import check_requirement
from scoring.facts import EvidenceFact, EvidenceKind, SubmissionFacts
from scoring.flags import FlagCode
from scoring.model import EvidenceRequirement, ScoreStatus

K = EvidenceKind
VIDEO = EvidenceRequirement(name="คลิปวิดีโอกิจกรรม", kinds=(K.VIDEO, K.YOUTUBE))
ANY = EvidenceRequirement(name="หลักฐานใด ๆ")
KM_PLAN = EvidenceRequirement(name="แผน KM", kinds=(K.DOCUMENT,), match=("แผนการจัดการความรู้", "KM plan"))

LINK = "https://drive.google.com/file/d/1Privatexxxxxxxxxxxxxxxxxxxx/view"
# What daemon/evidence.view_item builds for each shape of answer.
UNOPENED_LINK = EvidenceFact(K.OTHER, False, LINK, kind_known=False)
TEXT = EvidenceFact(K.OTHER, False, "ส่งทางไลน์แล้วค่ะ", is_link=False)
PHOTO = EvidenceFact(K.IMAGE, True, "ภาพกิจกรรม.jpg", "image/jpeg")
CLIP = EvidenceFact(K.VIDEO, True, "กิจกรรม.mp4", "video/mp4")
TRASHED_CLIP = EvidenceFact(K.VIDEO, False, "กิจกรรม.mp4", "video/mp4")
TRASHED_PHOTO = EvidenceFact(K.IMAGE, False, "ภาพ.jpg", "image/jpeg")
OTHER_DOC = EvidenceFact(K.DOCUMENT, True, "รายงานประจำปี.pdf", "application/pdf")
KM_DOC = EvidenceFact(K.DOCUMENT, True, "KM_plan_2567.pdf", "application/pdf")

CASES = [
    # requirement, evidence, met, flag
    (VIDEO, (UNOPENED_LINK,), False, FlagCode.EVIDENCE_UNREADABLE),
    (VIDEO, (TEXT,), False, FlagCode.EVIDENCE_MISSING),
    (VIDEO, (PHOTO,), False, FlagCode.EVIDENCE_WRONG_KIND),
    (VIDEO, (CLIP,), True, None),
    (VIDEO, (), False, FlagCode.EVIDENCE_MISSING),
    (VIDEO, (TRASHED_CLIP,), False, FlagCode.EVIDENCE_UNREADABLE),
    (VIDEO, (TRASHED_PHOTO,), False, FlagCode.EVIDENCE_MISSING),
    (VIDEO, (TEXT, UNOPENED_LINK), False, FlagCode.EVIDENCE_UNREADABLE),
    (VIDEO, (PHOTO, UNOPENED_LINK), False, FlagCode.EVIDENCE_UNREADABLE),
    (VIDEO, (UNOPENED_LINK, CLIP), True, None),
    (ANY, (TEXT,), False, FlagCode.EVIDENCE_MISSING),
    (ANY, (UNOPENED_LINK,), False, FlagCode.EVIDENCE_UNREADABLE),
    (ANY, (PHOTO,), True, None),
    (KM_PLAN, (UNOPENED_LINK,), False, FlagCode.EVIDENCE_UNREADABLE),
    (KM_PLAN, (OTHER_DOC, TEXT), False, FlagCode.EVIDENCE_MISSING),
    (KM_PLAN, (EvidenceFact(K.OTHER, False, "KM plan ส่งทางไลน์", is_link=False),), False,
     FlagCode.EVIDENCE_MISSING),
    (KM_PLAN, (KM_DOC,), True, None),
]  # fmt: skip


@pytest.mark.parametrize(("requirement", "evidence", "met", "flag"), CASES)
def test_check_requirement_table(
    requirement: EvidenceRequirement,
    evidence: tuple[EvidenceFact, ...],
    met: bool,
    flag: FlagCode | None,
) -> None:
    """Each shape of evidence answer gets the one flag whose remedy fits it (or none when met)."""
    got_met, _line, hit = check_requirement(requirement, evidence, "th")
    assert got_met is met
    assert (hit.code if hit else None) is flag


def test_unopened_link_explains_sharing_not_resending() -> None:
    """The line for an unopened link names it and tells to share it with the service account, in Thai and
    English."""
    _met, th, hit = check_requirement(VIDEO, (UNOPENED_LINK,), "th")
    _met, en, _hit = check_requirement(VIDEO, (UNOPENED_LINK,), "en")
    assert LINK in th and "แชร์" in th and "ขาดหลักฐาน" not in th
    assert LINK in en and "service account" in en and "missing" not in en
    assert hit is not None and LINK in hit.detail


def test_evidence_present_scores_zero_for_an_unshared_clip_and_flags_only_unreadable() -> None:
    """The DPA/TCH-5 clip sent as an unshared link: 0 points, "not readable", and no "missing" flag."""
    indicator = load_config("sukhothai-2569.toml").indicators["TCH-5"]
    result = score_submission(indicator, SubmissionFacts(evidence=(UNOPENED_LINK,)))
    assert result.status is ScoreStatus.SCORED and result.value == Decimal("0.00000")
    assert [hit.code for hit in result.flags] == [FlagCode.EVIDENCE_UNREADABLE]
    assert "แชร์" in result.explanation and "ขาดหลักฐาน" not in result.explanation


def test_evidence_present_still_says_missing_for_words_instead_of_a_link() -> None:
    """Words ("ส่งทางไลน์แล้ว") instead of a link are no evidence: 0 points and "missing" naming the clip."""
    indicator = load_config("sukhothai-2569.toml").indicators["TCH-5"]
    result = score_submission(indicator, SubmissionFacts(evidence=(TEXT,)))
    assert result.value == Decimal("0.00000")
    assert [(hit.code, hit.detail) for hit in result.flags] == [(FlagCode.EVIDENCE_MISSING, "คลิปวิดีโอกิจกรรม")]
