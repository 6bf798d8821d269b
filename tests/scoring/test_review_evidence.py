"""Review: a required document's name words match file names however the words are separated."""

from __future__ import annotations

import pytest
from scoring_helpers import load_config

from scoring.evidence import check_evidence
from scoring.facts import EvidenceFact, EvidenceKind, SubmissionFacts
from scoring.flags import FlagCode


@pytest.mark.parametrize("name", ["KM_plan_2567.pdf", "km-plan.docx", "KM.Plan.pdf", "KM  plan.pdf"])
def test_match_words_ignore_underscores_hyphens_and_dots(name: str) -> None:
    """A file named "KM_plan_2567.pdf" is the "KM plan" the ESA indicator asks for, not missing evidence."""
    indicator = load_config("esa-standard.toml").indicators["ESA-1-2"]
    evidence = (
        EvidenceFact(EvidenceKind.DOCUMENT, True, "action plan 2567.pdf", "application/pdf"),
        EvidenceFact(EvidenceKind.DOCUMENT, True, name, "application/pdf"),
        EvidenceFact(EvidenceKind.DOCUMENT, True, "รายงานผลการจัดการความรู้.pdf", "application/pdf"),
    )
    report = check_evidence(indicator, SubmissionFacts(evidence=evidence))
    assert report.flags == ()
    assert report.satisfied


def test_a_file_that_does_not_name_the_document_is_still_missing() -> None:
    """Loosening the separators does not let an unrelated file stand in for the KM plan."""
    indicator = load_config("esa-standard.toml").indicators["ESA-1-2"]
    evidence = (
        EvidenceFact(EvidenceKind.DOCUMENT, True, "action_plan.pdf", "application/pdf"),
        EvidenceFact(EvidenceKind.DOCUMENT, True, "KM_report.pdf", "application/pdf"),
        EvidenceFact(EvidenceKind.DOCUMENT, True, "planner.pdf", "application/pdf"),
    )
    report = check_evidence(indicator, SubmissionFacts(evidence=evidence))
    assert [(flag.code, flag.detail) for flag in report.flags] == [
        (FlagCode.EVIDENCE_MISSING, "แผนการจัดการความรู้ (KM)")
    ]
