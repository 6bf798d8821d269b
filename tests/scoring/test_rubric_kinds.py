"""Every rubric kind, table-driven, through the public ``score_submission`` on the real config."""

from __future__ import annotations

from decimal import Decimal

import pytest
from scoring_helpers import one_indicator

from scoring.engine import ScoreStatus, score_submission
from scoring.facts import EvidenceFact, EvidenceKind, SubmissionFacts
from scoring.flags import FlagCode
from scoring.rubric import RubricSet


def steps(*numbers: int) -> frozenset[int]:
    return frozenset(numbers)


@pytest.mark.parametrize(
    ("code", "met", "expected"),
    [
        ("ALL-2", steps(1, 2, 3, 4, 5), "5.00000"),
        ("ALL-2", steps(1, 2, 4, 5), "2.00000"),
        ("ALL-2", steps(2, 3, 4, 5), "0.00000"),  # step 1 missed: sequential gives 0 (seed 000)
        ("ALL-3", steps(2, 3, 4, 5), "4.00000"),  # the same answers counted one by one (the seed's remedy)
        ("ALL-3", steps(1, 3), "2.00000"),
        ("ALL-2", steps(), "0.00000"),
        ("ALL-3", steps(), "0.00000"),
        ("ALL-3", steps(1, 9), "1.00000"),  # a step outside the rubric is ignored
    ],
)
def test_milestone(sukhothai: RubricSet, code: str, met: frozenset[int], expected: str) -> None:
    """Sequential counts consecutive steps from step 1; counted counts every step met."""
    result = score_submission(sukhothai.indicators[code], SubmissionFacts(steps_met=met))
    assert result.status is ScoreStatus.SCORED
    assert result.value == Decimal(expected)
    assert str(result.value) == expected


def test_step1_missed_is_explained(sukhothai: RubricSet) -> None:
    """A sequential zero says step 1 was missed, so the committee sees why work done scored nothing."""
    result = score_submission(sukhothai.indicators["ALL-2"], SubmissionFacts(steps_met=steps(2, 3)))
    assert "ไม่ผ่านขั้นที่ 1" in result.explanation
    assert "2, 3" in result.explanation


def test_milestone_points_per_step_list() -> None:
    """Per-step points add up for the steps that count."""
    indicator = one_indicator("milestone", {"steps": 3, "mode": "counted", "points_per_step": [1, 1.5, 2.5]})
    result = score_submission(indicator, SubmissionFacts(steps_met=steps(2, 3)))
    assert result.value == Decimal("4.00000")


@pytest.mark.parametrize(
    ("done", "clear", "level"),
    [
        (steps(1, 2, 3, 4), "4", 5),
        (steps(1, 2, 3, 4), "3", 4),
        (steps(1, 2, 3, 4), "2", 3),
        (steps(1, 2, 3, 4), "1", 2),
        (steps(1, 2, 3, 4), "0", 1),  # all done, none clear
        (steps(1, 2, 3), "3", 1),  # not all done
        (steps(1, 2, 3, 4), "๔", 5),  # Thai digit
    ],
)
def test_quality_matrix_seed_003(sukhothai: RubricSet, done: frozenset[int], clear: str, level: int) -> None:
    """Seed 003's five quality levels from aspects done × aspects clear."""
    result = score_submission(
        sukhothai.indicators["DST-2"], SubmissionFacts(value_text=clear, steps_met=done)
    )
    assert result.status is ScoreStatus.SCORED
    assert result.value == Decimal(level)
    assert f"ระดับคุณภาพ {level}" in result.explanation


def test_quality_matrix_clear_above_done(sukhothai: RubricSet) -> None:
    """More aspects clear than done cannot be and is flagged out of range, not scored."""
    result = score_submission(
        sukhothai.indicators["DST-2"], SubmissionFacts(value_text="3", steps_met=steps(1, 2))
    )
    assert result.status is ScoreStatus.NOT_SCORABLE
    assert result.value is None
    assert [f.code for f in result.flags] == [FlagCode.VALUE_OUT_OF_RANGE]


@pytest.mark.parametrize(
    ("code", "awards", "expected", "above"),
    [
        ("TCH-1", {"national": 1, "provincial": 1}, "7.00000", True),  # seed 000's example
        ("TCH-1", {"national": 2}, "10.00000", True),
        ("TCH-1", {"district": 3}, "3.00000", False),
        ("TCH-1", {}, "0.00000", False),
        ("TCH-1", {"national": 0, "regional": 0}, "0.00000", False),
        ("ALL-4", {"national": 1, "provincial": 1}, "5.00000", False),  # capped at 5
        ("DST-4", {"regional": 1, "district": 1}, "4.00000", False),
    ],
)
def test_awards(sukhothai: RubricSet, code: str, awards: dict[str, int], expected: str, above: bool) -> None:
    """Points per level summed; a cap holds where configured; above full score is flagged for confirmation."""
    result = score_submission(sukhothai.indicators[code], SubmissionFacts(awards=awards))
    assert result.value == Decimal(expected)
    assert (FlagCode.ABOVE_MAX in {f.code for f in result.flags}) is above


def test_seed_000_seven_points_explained(sukhothai: RubricSet) -> None:
    """The 7-point explanation lists each award with its points, in Thai and in English."""
    facts = SubmissionFacts(awards={"national": 1, "provincial": 1})
    thai = score_submission(sukhothai.indicators["TCH-1"], facts).explanation
    english = score_submission(sukhothai.indicators["TCH-1"], facts, lang="en").explanation
    assert "ระดับประเทศ 1 รางวัล × 5 = 5" in thai and "ระดับจังหวัด 1 รางวัล × 2 = 2" in thai
    assert "national 1 × 5 = 5" in english and "provincial 1 × 2 = 2" in english


def test_awards_cap_is_explained(sukhothai: RubricSet) -> None:
    """A capped total says what it was before the cap."""
    result = score_submission(sukhothai.indicators["ALL-4"], SubmissionFacts(awards={"national": 2}))
    assert "เพดาน 5" in result.explanation and "10" in result.explanation


@pytest.mark.parametrize(
    ("code", "typed", "expected"),
    [
        ("TCH-2", "87", "4.70000"),
        ("TCH-2", "๘๗ %", "4.70000"),
        ("TCH-2", "ร้อยละ 87", "4.70000"),
        ("TCH-2", "80", "4.00000"),
        ("TCH-2", "95", "5.00000"),  # above the last threshold: the cap
        ("TCH-2", "40", "0.00000"),  # below the first: the configured floor
        ("TCH-2", "55.5", "1.55000"),
        ("DST-3", "30", "2.50000"),
        ("ALL-5", "7", "1.16667"),  # 1 + 1/6, half-up at 5 places
    ],
)
def test_linear(sukhothai: RubricSet, code: str, typed: str, expected: str) -> None:
    """A value maps onto 1..5 linearly between thresholds, with floor and cap, 5 decimals half-up."""
    result = score_submission(sukhothai.indicators[code], SubmissionFacts(value_text=typed))
    assert result.status is ScoreStatus.SCORED
    assert str(result.value) == expected


def test_linear_explains_the_thresholds(sukhothai: RubricSet) -> None:
    """The explanation shows between which thresholds the value fell and the arithmetic."""
    result = score_submission(sukhothai.indicators["TCH-2"], SubmissionFacts(value_text="87"))
    assert "ระหว่าง 80 (4 คะแนน) และ 90 (5 คะแนน)" in result.explanation
    assert result.explanation.endswith("= 4.70000")


def test_linear_falling_scores() -> None:
    """Lower-is-better thresholds score a smaller value higher."""
    indicator = one_indicator("linear", {"thresholds": [[1, 5], [3, 1]]})
    assert score_submission(indicator, SubmissionFacts(value_text="2")).value == Decimal("3.00000")
    assert score_submission(indicator, SubmissionFacts(value_text="0.5")).value == Decimal("5.00000")


def video(readable: bool = True, name: str = "clip.mp4") -> EvidenceFact:
    return EvidenceFact(EvidenceKind.VIDEO, readable, name, "video/mp4")


@pytest.mark.parametrize(
    ("evidence", "expected", "flag"),
    [
        ((video(),), "5.00000", None),
        ((EvidenceFact(EvidenceKind.YOUTUBE, True, "https://youtu.be/x"),), "5.00000", None),
        ((video(readable=False),), "0.00000", FlagCode.EVIDENCE_UNREADABLE),
        ((EvidenceFact(EvidenceKind.IMAGE, True, "photo.jpg"),), "0.00000", FlagCode.EVIDENCE_WRONG_KIND),
        ((), "0.00000", FlagCode.EVIDENCE_MISSING),
    ],
)
def test_evidence_present(
    sukhothai: RubricSet, evidence: tuple[EvidenceFact, ...], expected: str, flag: FlagCode | None
) -> None:
    """Full score only for a readable video; otherwise 0 and a flag naming the document."""
    result = score_submission(sukhothai.indicators["TCH-5"], SubmissionFacts(evidence=evidence))
    assert result.value == Decimal(expected)
    assert [f.code for f in result.flags] == ([flag] if flag else [])
    if flag:
        assert "คลิปวิดีโอกิจกรรม" in result.flags[0].detail


def test_required_evidence_flags_other_kinds(sukhothai: RubricSet) -> None:
    """A missing named report flags a milestone indicator without changing its score (seed 000's problem)."""
    result = score_submission(sukhothai.indicators["FIN-1"], SubmissionFacts(steps_met=steps(1, 2)))
    assert result.value == Decimal("2.00000")
    assert [(f.code, f.detail) for f in result.flags] == [
        (FlagCode.EVIDENCE_MISSING, "รายงานผลการเบิกจ่ายที่เสนอผู้อำนวยการ")
    ]
    ok = SubmissionFacts(
        steps_met=steps(1, 2), evidence=(EvidenceFact(EvidenceKind.DOCUMENT, True, "รายงาน.pdf"),)
    )
    assert score_submission(sukhothai.indicators["FIN-1"], ok).flags == ()


def test_manual(sukhothai: RubricSet) -> None:
    """A manual indicator waits for the committee, then takes its score."""
    waiting = score_submission(sukhothai.indicators["PLN-2"], SubmissionFacts())
    assert waiting.status is ScoreStatus.MANUAL and waiting.value is None
    assert FlagCode.NEEDS_MANUAL in {f.code for f in waiting.flags}
    given = score_submission(sukhothai.indicators["PLN-2"], SubmissionFacts(manual_score=Decimal("4.5")))
    assert given.status is ScoreStatus.MANUAL and given.value == Decimal("4.50000")
    assert FlagCode.NEEDS_MANUAL not in {f.code for f in given.flags}
    too_high = score_submission(sukhothai.indicators["PLN-2"], SubmissionFacts(manual_score=Decimal(6)))
    assert too_high.status is ScoreStatus.NOT_SCORABLE
    assert FlagCode.VALUE_OUT_OF_RANGE in {f.code for f in too_high.flags}
