"""Respondents of forms that collect no email, found by the name they typed."""

from __future__ import annotations

from typing import Any

import pytest
import structlog
from sqlmodel import Session, select

from daemon.store.models import Flag, Submission
from daemon.sync.cycle import run_sync
from daemon.sync.names import RosterNames, name_forms
from tests.daemon.sync_world import FORM_ID, World, form_json, response

ROSTER = RosterNames(
    [
        ("somsri@sukho.nfe.go.th", "นางสาวสมศรี ใจดี"),
        ("somchai@sukho.nfe.go.th", "นายสมชาย ดีงาม"),
        ("somchai2@sukho.nfe.go.th", "ว่าที่ ร.ต. สมชาย ดีงาม"),
        ("wilai@sukho.nfe.go.th", "ดร.วิไล แผนดี"),
    ]
)


@pytest.mark.parametrize(
    "typed",
    ["นางสาวสมศรี ใจดี", "น.ส.สมศรี ใจดี", "สมศรี ใจดี", "สมศรี  ใจดี", "สม\u200bศรี ใจ\u200dดี", " นางสาว สมศรีใจดี "],
)
def test_titles_spaces_and_invisible_characters_do_not_matter(typed: str) -> None:
    """Every way of typing Somsri's name finds her, and only her."""
    assert ROSTER.match(typed).email == "somsri@sukho.nfe.go.th"


def test_a_name_that_fits_two_people_is_never_guessed() -> None:
    """สมชาย ดีงาม fits both the นาย and the ว่าที่ ร.ต.: no email, both named."""
    found = ROSTER.match("สมชาย ดีงาม")
    assert found.email is None and found.ambiguous
    assert found.candidates == ("somchai2@sukho.nfe.go.th", "somchai@sukho.nfe.go.th")


def test_nobody_and_a_given_name_that_starts_like_a_title() -> None:
    """An unknown name fits nobody; นางนวล (a given name) is tried with and without its title-like start."""
    assert ROSTER.match("สมหญิง ไม่มีชื่อ").candidates == ()
    assert "นางนวลใจดี" in name_forms("นางนวล ใจดี") and "นวลใจดี" in name_forms("นางนวล ใจดี")
    wilai = "wilai@sukho.nfe.go.th"
    assert ROSTER.match("Dr. วิไล แผนดี").email == ROSTER.match("ดร. วิไล แผนดี").email == wilai


def _no_email(rid: str, name: str) -> dict[str, Any]:
    resp = response(rid, "", "ร้อยละของผู้เข้าสอบ N-NET", value="85")
    resp.pop("respondentEmail")
    resp["answers"]["1000aaa1"]["textAnswers"]["answers"] = [{"value": name}]
    return resp


def _world_without_email(world: World, collection: str) -> None:
    form = form_json()
    form["settings"] = {"emailCollectionType": collection}
    world.forms.add_form(form)
    world.submit(_no_email("n1", "นางสาว สมศรี ใจดี"))
    world.submit(_no_email("n2", "สมหญิง ไม่มีชื่อ"))


def test_a_form_without_email_is_matched_by_name_in_a_sync(world: World) -> None:
    """A sync of a DO_NOT_COLLECT form: the matched name gets the roster email (and no not-in-roster flag),
    the unknown one is flagged not in the roster by the name typed."""
    _world_without_email(world, "DO_NOT_COLLECT")
    run_sync(world.settings, world.deps)
    with Session(world.deps.engine) as session:
        subs = {
            s.response_id: s for s in session.exec(select(Submission).where(Submission.form_id == FORM_ID))
        }
        flags = {(f.submission_key, f.code, f.detail) for f in session.exec(select(Flag))}
    assert subs["n1"].email == "somsri@sukho.nfe.go.th"
    assert not any(k == subs["n1"].key and c == "not_in_roster" for k, c, _ in flags)
    assert (subs["n2"].key, "not_in_roster", "สมหญิง ไม่มีชื่อ") in flags


def test_a_form_where_respondents_type_their_email_is_warned_about(world: World) -> None:
    """RESPONDER_INPUT: the sync warns that nobody verified the addresses."""
    _world_without_email(world, "RESPONDER_INPUT")
    with structlog.testing.capture_logs() as events:
        run_sync(world.settings, world.deps)
    warned = [e for e in events if e["event"] == "sync.form_email_unverified"]
    assert warned and warned[0]["form_id"] == FORM_ID and warned[0]["log_level"] == "warning"
