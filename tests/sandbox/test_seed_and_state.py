"""The sample world follows SAMPLE_SPEC.md, is deterministic, and the sandbox's state survives a restart."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from sandbox.responses import to_nanos
from sandbox.seed import seed_sample
from sandbox.server import start
from tests.sandbox.api_helpers import control

ALL = "1FormAllStaffSukhothai2569xxxxxxxxxxxxxxxxx"


def _forms_state(data_dir: Path) -> dict:
    return json.loads((data_dir / "forms.json").read_text("utf-8"))


def _answers_by_title(state: dict, form_id: str, response_id: str) -> dict[str, list[str]]:
    titles = {}
    for item in state["forms"][form_id]["items"]:
        if "questionItem" in item:
            titles[item["questionItem"]["question"]["questionId"]] = item["title"]
        for question in item.get("questionGroupItem", {}).get("questions", []):
            titles[question["questionId"]] = f"{item['title']} [{question['rowQuestion']['title']}]"
    answers = state["responses"][form_id][response_id]["answers"]
    return {
        titles[q]: [v["value"] for v in a.get("textAnswers", {}).get("answers", [])]
        for q, a in answers.items()
    }


def test_seed_is_deterministic(tmp_path: Path) -> None:
    """Two seeds of empty directories produce byte-identical state and the same manifest."""
    first, second = seed_sample(tmp_path / "a"), seed_sample(tmp_path / "b")
    assert first == second
    for name in ("forms.json", "drive.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_seed_has_the_spec_sizes_and_fixed_ids(sandbox) -> None:
    """48 roster people, at least 150 responses, the fixed form and spreadsheet ids."""
    m = sandbox.manifest
    assert m["roster"]["count"] == 48 and m["response_count"] >= 150
    assert m["forms"] == {
        "all_staff": ALL,
        "teacher": "1FormTeacherSukhothai2569xxxxxxxxxxxxxxxxxx",
        "district": "1FormDistrictSukhothai2569xxxxxxxxxxxxxxxxx",
    }
    assert m["spreadsheets"]["roster"] == "1RosterSukhothaiKpi2569xxxxxxxxxxxxxxxxxxxx"


def test_special_cases_hold_in_the_state(sandbox) -> None:
    """Late is past its deadline, the duplicate pair shares its key, the stranger is not on the roster."""
    m, state = sandbox.manifest, _forms_state(sandbox.data_dir)
    late = state["responses"][ALL][m["late_response"]["response_id"]]
    assert to_nanos(late["lastSubmittedTime"]) > to_nanos(m["late_response"]["deadline"])
    pair = [state["responses"][ALL][m["duplicate_pair"][k]] for k in ("earlier", "later")]
    keys = [_answers_by_title(state, ALL, r["responseId"]) for r in pair]
    earlier, later = ((k["ตัวชี้วัด"], k["รอบการประเมิน"]) for k in keys)
    assert earlier == later
    assert pair[0]["respondentEmail"] == pair[1]["respondentEmail"]
    assert to_nanos(pair[0]["lastSubmittedTime"]) < to_nanos(pair[1]["lastSubmittedTime"])
    assert m["not_in_roster"]["email"] not in m["roster"]["emails"]
    notes = {tuple(_answers_by_title(state, ALL, rid)["หมายเหตุ"]) for rid in m["risky_notes"].values()}
    assert notes == {
        ("=1+1",),
        ('=HYPERLINK("http://evil.example","x")',),
        ("+66 81 234 5678",),
        ("-ไม่มี-",),
        ("@ครูสมศรี",),
    }


def test_tch1_awards_example_and_no_accidental_duplicates(sandbox) -> None:
    """The TCH-1 example has national 1 and provincial 1; only the declared pair repeats a key."""
    m, state = sandbox.manifest, _forms_state(sandbox.data_dir)
    teacher_form = m["forms"]["teacher"]
    awards = _answers_by_title(state, teacher_form, m["tch1_awards"]["response_id"])
    assert awards["จำนวนรางวัล [ระดับประเทศ]"] == ["1"] and awards["จำนวนรางวัล [ระดับจังหวัด]"] == ["1"]
    seen: dict[tuple, int] = {}
    for form_id, responses in state["responses"].items():
        for rid, response in responses.items():
            a = _answers_by_title(state, form_id, rid)
            key = (response.get("respondentEmail"), a["ตัวชี้วัด"][0], a["รอบการประเมิน"][0])
            seen[key] = seen.get(key, 0) + 1
    assert [k for k, n in seen.items() if n > 1] == [
        (m["duplicate_pair"]["email"], "ผลงานการปฏิบัติที่เป็นเลิศ (Best Practice)", "รอบ 6 เดือน")
    ]


def test_state_survives_a_restart(sandbox, google_clients) -> None:
    """A response submitted over HTTP is still there after the server restarts on the same data directory."""
    form_id = sandbox.manifest["forms"]["district"]
    answers = {
        "ชื่อ-นามสกุล": ["สกร.อำเภอเมืองสุโขทัย"],
        "ตัวชี้วัด": ["ห้องสมุดประชาชนดีเด่น"],
        "รอบการประเมิน": ["รอบ 9 เดือน"],
    }
    body = {"respondentEmail": "district.mueang@sukho.nfe.go.th", "answers": answers}
    created = control(sandbox.base_url, "POST", f"/sandbox/forms/{form_id}/responses", body)
    sandbox.restart()
    forms = google_clients.forms(sandbox.base_url)
    found = forms.forms().responses().get(formId=form_id, responseId=created["responseId"]).execute()
    assert found["respondentEmail"] == "district.mueang@sukho.nfe.go.th"


def test_seeding_a_seeded_directory_returns_its_manifest(sandbox) -> None:
    """seed_sample on an already seeded directory changes nothing and answers the existing manifest."""
    before = (sandbox.data_dir / "forms.json").read_bytes()
    assert seed_sample(sandbox.data_dir) == sandbox.manifest
    assert (sandbox.data_dir / "forms.json").read_bytes() == before


@pytest.mark.skipif(
    importlib.util.find_spec("sandbox.sheets") is None, reason="the Sheets part is not present"
)
def test_roster_spreadsheet_is_seeded(sandbox) -> None:
    """The roster spreadsheet is in the Sheets state with its Thai title (sandbox.sheets.seed_spreadsheet)."""
    assert sandbox.manifest["spreadsheets_seeded"] is True
    state = json.loads((sandbox.data_dir / "sheets.json").read_text("utf-8"))
    assert "รายชื่อบุคลากร" in json.dumps(state, ensure_ascii=False)


def test_server_start_on_empty_dir(tmp_path: Path) -> None:
    """start() on a new directory serves health and shuts down cleanly."""
    running = start(tmp_path / "fresh")
    try:
        assert control(running.base_url, "GET", "/sandbox/health") == {"ok": True}
    finally:
        running.shutdown()
