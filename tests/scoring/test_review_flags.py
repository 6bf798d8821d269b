"""Review: the flag for a blank number says only what is true of the submission."""

from __future__ import annotations

from scoring_helpers import load_config

from scoring.engine import score_submission
from scoring.facts import SubmissionFacts
from scoring.flags import FlagCode, flag_label


def test_blank_number_without_a_file_is_not_labelled_as_file_attached() -> None:
    """A blank N-NET rate with nothing attached must not be shown as "แนบไฟล์แต่ไม่กรอกตัวเลข"."""
    indicator = load_config("sukhothai-2569.toml").indicators["TCH-2"]
    result = score_submission(indicator, SubmissionFacts(value_text="", files_attached=False))
    (flag,) = result.flags
    assert flag.code is FlagCode.NUMBERS_MISSING
    assert "แนบไฟล์" not in flag_label(flag.code, "th")
    assert "แนบไฟล์" not in flag.detail


def test_blank_number_with_a_file_still_says_the_file_came_without_numbers() -> None:
    """Seed 004's case, a file without the numbers, stays named in the flag's detail."""
    indicator = load_config("sukhothai-2569.toml").indicators["TCH-2"]
    result = score_submission(indicator, SubmissionFacts(value_text="-", files_attached=True))
    (flag,) = result.flags
    assert flag.code is FlagCode.NUMBERS_MISSING
    assert "แนบไฟล์" in flag.detail
