"""FormsSource contract: the same promises from InMemoryForms and GoogleForms on the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from conn_worlds import World

from connectors.errors import FatalError

QUESTIONS = ["ชื่อ-นามสกุล", "ผลการดำเนินงาน (ตัวเลข)"]
TITLE = "ตัวชี้วัดคุณภาพ สกร.สุโขทัย – ทดสอบ"


def setup_form(world: World, count: int = 5) -> str:
    form_id = world.create_form(TITLE, QUESTIONS)
    for i in range(count):
        world.submit(
            form_id,
            f"ACYDBN{i:03d}",
            f"2026-03-0{i + 1}T10:00:00.500Z",
            {"ชื่อ-นามสกุล": f"นางสาวสมศรี {i}", "ผลการดำเนินงาน (ตัวเลข)": f"{80 + i}"},
        )
    return form_id


def all_responses(world: World, form_id: str, since: datetime | None = None) -> list[dict[str, object]]:
    return [r for page in world.forms.list_responses(form_id, since=since) for r in page]


def test_get_form_has_items_by_title(world: World) -> None:
    """forms.get returns the form's id, title, revisionId and each question with its questionId."""
    form_id = setup_form(world, 0)
    form = world.forms.get_form(form_id)
    assert form["formId"] == form_id
    assert form["info"]["title"] == TITLE
    assert form.get("revisionId")
    titles = [item["title"] for item in form["items"]]
    assert titles == QUESTIONS
    assert all(item["questionItem"]["question"]["questionId"] for item in form["items"])


def test_list_returns_every_response_in_pages(world: World) -> None:
    """Five responses with pages of two come back as three pages, each response once, without formId."""
    form_id = setup_form(world, 5)
    pages = list(world.forms.list_responses(form_id))
    assert [len(p) for p in pages] == [2, 2, 1]
    ids = [r["responseId"] for p in pages for r in p]
    assert sorted(ids) == [f"ACYDBN{i:03d}" for i in range(5)]
    assert all("formId" not in r for p in pages for r in p)
    assert world.ledger.count(method="forms.forms.responses.list") == 3


def test_answers_are_keyed_by_question_id(world: World) -> None:
    """Each answer sits under the questionId forms.get gave its question, as textAnswers."""
    form_id = setup_form(world, 1)
    qids = {
        i["title"]: i["questionItem"]["question"]["questionId"]
        for i in world.forms.get_form(form_id)["items"]
    }
    (response,) = all_responses(world, form_id)
    answer = response["answers"][qids["ผลการดำเนินงาน (ตัวเลข)"]]  # type: ignore[index]
    assert answer["textAnswers"]["answers"][0]["value"] == "80"


def test_since_is_inclusive(world: World) -> None:
    """since keeps responses submitted exactly at the watermark and drops the ones before it."""
    form_id = setup_form(world, 5)
    since = datetime(2026, 3, 3, 10, 0, 0, 500000, tzinfo=UTC)
    ids = sorted(str(r["responseId"]) for r in all_responses(world, form_id, since))
    assert ids == ["ACYDBN002", "ACYDBN003", "ACYDBN004"]


def test_edit_keeps_id_and_moves_last_submitted(world: World) -> None:
    """An edited response is one response, same id, later lastSubmittedTime, seen by an incremental pull."""
    form_id = setup_form(world, 2)
    world.edit(form_id, "ACYDBN000", "2026-04-01T00:00:00Z", {"ชื่อ-นามสกุล": "แก้ไขแล้ว"})
    since = datetime(2026, 3, 15, tzinfo=UTC)
    (edited,) = all_responses(world, form_id, since)
    assert edited["responseId"] == "ACYDBN000"
    assert str(edited["lastSubmittedTime"]).startswith("2026-04-01T00:00:00")
    assert len(all_responses(world, form_id)) == 2


def test_deleted_response_disappears(world: World) -> None:
    """A response the owner deleted is no longer listed."""
    form_id = setup_form(world, 3)
    world.delete(form_id, "ACYDBN001")
    assert sorted(str(r["responseId"]) for r in all_responses(world, form_id)) == ["ACYDBN000", "ACYDBN002"]


def test_empty_form_yields_one_empty_page(world: World) -> None:
    """A form without responses yields a single empty page (one API call)."""
    form_id = setup_form(world, 0)
    assert list(world.forms.list_responses(form_id)) == [[]]


def test_unknown_form_is_fatal(world: World) -> None:
    """A form that does not exist (or is not shared) is a fatal 404, not retried."""
    with pytest.raises(FatalError) as raised:
        world.forms.get_form("1NoSuchFormxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
    assert raised.value.status == 404
    assert world.ledger.count(method="forms.forms.get") == 1
