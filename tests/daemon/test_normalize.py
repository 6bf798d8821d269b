"""Raw Form responses become submissions, evidence and flags; nothing a respondent types raises."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from daemon.settings import Settings, load_settings
from daemon.store.models import LinkKind
from daemon.sync.normalize import index_questions, indicator_names, normalize_response, submission_key
from scoring.flags import FlagCode
from tests.daemon.sync_world import CONFIG, DATA, FORM_ID, QID, form_json, response


@pytest.fixture(scope="module")
def cfg(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("cfg")
    (tmp / "rubric.toml").write_bytes((DATA / "rubric.toml").read_bytes())
    (tmp / "kpisync.toml").write_text(CONFIG, encoding="utf-8")
    return load_settings(tmp / "kpisync.toml", env={})


def run(cfg: Settings, resp: dict[str, Any], form: dict[str, Any] | None = None) -> Any:
    questions = index_questions(form or form_json())
    return normalize_response(resp, FORM_ID, questions, cfg.forms[0], indicator_names(cfg))


def codes(normalized: Any) -> set[str]:
    return {f.code.value for f in normalized.flags}


def test_full_answer(cfg: Settings) -> None:
    """Indicator by Thai name, round, Thai-digit steps, grid awards, links and uploads are all understood."""
    resp = response(
        "r1",
        "SomSri@Sukho.nfe.go.th",
        "นักศึกษาที่สร้างชื่อเสียงให้ สกร.",
        round_text="รอบ ๑๒ เดือน",
        steps=("ขั้นที่ 1", "ขั้นที่ ๓"),
        awards={"ระดับประเทศ": "1", "ระดับจังหวัด": "๑", "ระดับอำเภอ": "0"},
        links="ดูที่ https://drive.google.com/open?id=1DocOkxxxxxxxxxxxxxxxxxxxxxx และ https://youtu.be/x1",
        uploads=(("1VideoOkxxxxxxxxxxxxxxxxxxxx", "กิจกรรม.mp4", "video/mp4"),),
        date_text="29 ส.ค. 68",
        note="=1+1",
    )
    n = run(cfg, resp)
    assert (n.email, n.indicator_code, n.round_months) == ("somsri@sukho.nfe.go.th", "TCH-1", 12)
    assert n.steps == (1, 3)
    assert dict(n.awards) == {"national": 1, "provincial": 1}
    assert [lk.kind for lk in n.links] == [LinkKind.DRIVE_FILE, LinkKind.YOUTUBE]
    assert n.uploads[0].file_id == "1VideoOkxxxxxxxxxxxxxxxxxxxx"
    assert n.files_attached
    assert n.note_text == "=1+1"
    assert n.flags == ()
    assert n.key == submission_key(FORM_ID, "r1")


def test_submission_key_is_short_stable_and_distinct() -> None:
    """The row key is 'S-' and 10 hex digits, the same for the same form and response, different otherwise."""
    key = submission_key("1FormA", "ACYDBN-r1")
    assert re.fullmatch(r"S-[0-9a-f]{10}", key)
    assert key == submission_key("1FormA", "ACYDBN-r1")
    others = {submission_key(form, f"ACYDBN-r{i}") for form in ("1FormA", "1FormB") for i in range(500)}
    assert key in others and len(others) == 1000


def test_unknown_indicator_and_round_are_flags(cfg: Settings) -> None:
    """An indicator or round that matches nothing is an 'unparseable' flag naming the question."""
    n = run(cfg, response("r1", "a@b.th", "ตัวชี้วัดที่ไม่มีอยู่", round_text="รอบพิเศษ"))
    assert n.indicator_code is None and n.round_months is None
    details = sorted(f.detail for f in n.flags if f.code is FlagCode.UNPARSEABLE)
    assert details == ["ตัวชี้วัด: ตัวชี้วัดที่ไม่มีอยู่", "รอบการประเมิน: รอบพิเศษ"]


def test_bad_date_and_award_cell(cfg: Settings) -> None:
    """An unreadable date or award count is flagged; the rest of the answer still counts."""
    n = run(cfg, response("r1", "a@b.th", "DMIS 100%", date_text="เมื่อวานนี้", awards={"ระดับภาค": "หลาย"}))
    assert n.indicator_code == "ALL-1"
    assert codes(n) == {"unparseable"}
    assert len(n.flags) == 2


def test_form_changed(cfg: Settings) -> None:
    """A mapped question missing from the form is a 'form changed' flag naming it, once."""
    n = run(cfg, response("r1", "a@b.th", "DMIS 100%"), form=form_json(drop="ลิงก์หลักฐาน"))
    assert [(f.code, f.detail) for f in n.flags] == [(FlagCode.FORM_CHANGED, "ลิงก์หลักฐาน")]


def test_question_id_pin_wins_over_title(cfg: Settings) -> None:
    """A pinned questionId finds the question even after its title was edited."""
    form = form_json()
    for item in form["items"]:
        if item["title"] == "ตัวชี้วัด":
            item["title"] = "เลือกตัวชี้วัด"
    form_cfg = cfg.forms[0].model_copy(
        update={
            "questions": cfg.forms[0].questions.model_copy(
                update={
                    "indicator": cfg.forms[0].questions.indicator.model_copy(
                        update={"question_id": QID["indicator"]}
                    )
                }
            )
        }
    )
    n = normalize_response(
        response("r1", "a@b.th", "DMIS 100%"), FORM_ID, index_questions(form), form_cfg, indicator_names(cfg)
    )
    assert n.indicator_code == "ALL-1" and n.flags == ()


def test_content_hash_is_stable(cfg: Settings) -> None:
    """The same answers hash the same; a changed answer hashes differently."""
    a = run(cfg, response("r1", "a@b.th", "DMIS 100%", value="85"))
    b = run(cfg, response("r1", "a@b.th", "DMIS 100%", value="85"))
    c = run(cfg, response("r1", "a@b.th", "DMIS 100%", value="86"))
    assert a.content_hash() == b.content_hash() != c.content_hash()


answer_text = st.text(max_size=40) | st.sampled_from(["N/A", "-", "๘๕ %", "ร้อยละ 85", "=1+1", "@x", "+66"])


@settings(max_examples=60, deadline=None)
@given(
    indicator=answer_text,
    round_text=answer_text,
    value=answer_text,
    steps=st.lists(answer_text, max_size=3),
    award=answer_text,
    links=answer_text,
    date_text=answer_text,
)
def test_any_answers_never_raise(
    cfg: Settings,
    indicator: str,
    round_text: str,
    value: str,
    steps: list[str],
    award: str,
    links: str,
    date_text: str,
) -> None:
    """Whatever is typed into any question, normalizing returns a submission (flags, not exceptions)."""
    resp = response(
        "r1",
        "a@b.th",
        indicator,
        round_text=round_text,
        value=value,
        steps=tuple(steps),
        awards={"ระดับประเทศ": award},
        links=links,
        date_text=date_text,
    )
    n = run(cfg, resp)
    assert n.value_text == value.strip()


def test_missing_answers_block(cfg: Settings, tmp_path: Path) -> None:
    """A response with no answers at all still normalizes, flagged as unparseable."""
    n = run(cfg, {"responseId": "r9", "lastSubmittedTime": "2026-03-01T00:00:00Z"})
    assert n.email == "" and FlagCode.UNPARSEABLE in {f.code for f in n.flags}
