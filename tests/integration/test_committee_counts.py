"""The committee's word counts in the very next sync: a person types into the dashboard Sheet through the
plain Sheets client, and the score used, the person's total and weighted score follow. Expected figures are
worked out from the Sheet's own rows and the rubric's weights, not from the daemon's model."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from daemon.app import build_deps
from daemon.settings import Settings, load_settings
from daemon.store.models import Review
from daemon.sync.cycle import SyncDeps, run_sync
from scoring.flags import FlagCode, flag_label

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
SUBS, SUMMARY = "ผลการประเมิน", "สรุปคะแนน"
KEY, USED, AUTO = "รหัสรายการ", "คะแนนที่ใช้", "คะแนนอัตโนมัติ"
FIVE = Decimal("0.00001")


def _grid(sheets: Any, spreadsheet_id: str, tab: str) -> list[list[Any]]:
    reply = (
        sheets.spreadsheets().values()
        .get(spreadsheetId=spreadsheet_id, range=f"'{tab}'", valueRenderOption="UNFORMATTED_VALUE")
        .execute()
    )  # fmt: skip
    return list(reply.get("values", []))


def _rows(grid: list[list[Any]]) -> list[dict[str, Any]]:
    header = grid[0]
    return [{h: (r[i] if i < len(r) else "") for i, h in enumerate(header)} for r in grid[1:]]


def _dec(value: Any) -> Decimal | None:
    if value in ("", None):
        return None
    return Decimal(repr(value)).quantize(FIVE, rounding=ROUND_HALF_UP)


class World:
    def __init__(self, settings: Settings, deps: SyncDeps, sheets: Any) -> None:
        self.settings, self.deps, self.sheets = settings, deps, sheets
        self.sid = settings.dashboard.spreadsheet_id

    def sync(self) -> Any:
        summary = run_sync(self.settings, self.deps)
        assert summary.outcome == "ok"
        return summary

    def submissions(self) -> dict[str, dict[str, Any]]:
        return {str(r[KEY]): r for r in _rows(_grid(self.sheets, self.sid, SUBS)) if r.get(KEY)}

    def type(self, key: str, column: str, text: str) -> None:
        """What a committee member does: types into one cell beside the row, as the Sheets UI would."""
        grid = _grid(self.sheets, self.sid, SUBS)
        col = grid[0].index(column)
        row = next(i for i, r in enumerate(grid) if r and r[0] == key)
        self.sheets.spreadsheets().values().update(
            spreadsheetId=self.sid,
            range=f"'{SUBS}'!{chr(65 + col)}{row + 1}",
            valueInputOption="USER_ENTERED",
            body={"values": [[text]]},
        ).execute()

    def summary_row(self, email: str, round_label: str) -> dict[str, Any]:
        rows = _rows(_grid(self.sheets, self.sid, SUMMARY))
        return next(r for r in rows if r["อีเมล"] == email and r["รอบ"] == round_label)

    def expected(self, email: str, round_label: str, role: str) -> tuple[Decimal, Decimal]:
        """Total and weighted score from the submissions tab's own คะแนนที่ใช้ and the rubric's weights."""
        used: dict[str, Decimal | None] = {}
        for row in self.submissions().values():
            if row["อีเมล"] == email and row["รอบ"] == round_label and row["สถานะ"] == "ปัจจุบัน":
                used[str(row["ตัวชี้วัด"]).split()[0]] = _dec(row[USED])
        rubrics = self.settings.rubrics
        pairs = [(i.weight, used.get(i.code)) for i in rubrics.for_role(role)]
        present = [s for _, s in pairs if s is not None]
        if rubrics.scale.missing_scores == "zero":
            counted = [(w, s or Decimal(0)) for w, s in pairs]
        else:
            counted = [(w, s) for w, s in pairs if s is not None]
        weights = sum((w for w, _ in counted), Decimal(0))
        weighted = sum((w * s for w, s in counted), Decimal(0)) / weights if weights else Decimal(0)
        total = sum(present, Decimal(0))
        return total.quantize(FIVE, ROUND_HALF_UP), weighted.quantize(FIVE, ROUND_HALF_UP)


@pytest.fixture
def world(sandbox: Any, google_clients: Any, tmp_path: Path, request: pytest.FixtureRequest) -> World:
    env = {"KPISYNC_GOOGLE_BASE_URL": sandbox.base_url, "KPISYNC_DATABASE": str(tmp_path / "kpisync.db")}
    settings = load_settings(REPO / "config" / "kpisync.toml", env=env)
    deps = build_deps(settings)
    request.addfinalizer(deps.close)
    return World(settings, deps, google_clients.sheets(sandbox.base_url))


def _tch1_seven(world: World) -> dict[str, Any]:
    for row in world.submissions().values():
        is_tch1 = str(row["ตัวชี้วัด"]).startswith("TCH-1 ")
        if is_tch1 and row["สถานะ"] == "ปัจจุบัน" and _dec(row[AUTO]) == Decimal(7):
            return row
    raise AssertionError("the sample has a current TCH-1 row scored 7")


def test_committee_score_and_decision_count_in_the_next_sync(world: World) -> None:
    """๓ typed beside a TCH-1 row scored 7 makes its score used 3 and lowers the person's total and weighted
    score in the next sync; clearing restores 7; ไม่รับรอง gives 0; "ประมาณ 4" is flagged and 7 counts; a
    sync after that writes nothing."""
    first = world.sync()
    row = _tch1_seven(world)
    key, email, round_label = str(row[KEY]), str(row["อีเมล"]), str(row["รอบ"])
    assert _dec(row[USED]) == Decimal(7)
    before = world.summary_row(email, round_label)
    role = str(before["บทบาท"])
    assert (_dec(before["คะแนนรวม"]), _dec(before["คะแนนถ่วงน้ำหนัก"])) == world.expected(
        email, round_label, role
    )

    world.type(key, "คะแนนที่กรรมการให้", "๓")
    second = world.sync()
    after = world.submissions()[key]
    assert _dec(after[USED]) == Decimal(3)
    assert _dec(after[AUTO]) == Decimal(7), "the auto score stays as it is"
    assert "คะแนนที่กรรมการให้" in str(after["คำอธิบายคะแนน"])
    summary = world.summary_row(email, round_label)
    total, weighted = world.expected(email, round_label, role)
    assert _dec(summary["คะแนนรวม"]) == total == _dec(before["คะแนนรวม"]) - 4  # type: ignore[operator]
    assert _dec(summary["คะแนนถ่วงน้ำหนัก"]) == weighted < _dec(before["คะแนนถ่วงน้ำหนัก"])  # type: ignore[operator]
    assert _dec(next(v for k, v in summary.items() if k.split()[0] == "TCH-1")) == Decimal(3)

    world.type(key, "คะแนนที่กรรมการให้", "")
    world.sync()
    assert _dec(world.submissions()[key][USED]) == Decimal(7)
    assert _dec(world.summary_row(email, round_label)["คะแนนรวม"]) == _dec(before["คะแนนรวม"])

    world.type(key, "ผลการพิจารณา", "ไม่รับรอง")
    world.sync()
    rejected = world.submissions()[key]
    assert _dec(rejected[USED]) == Decimal(0)
    assert "ไม่รับรอง โดยคณะกรรมการ" in str(rejected["คำอธิบายคะแนน"])
    assert world.expected(email, round_label, role)[0] == _dec(before["คะแนนรวม"]) - 7  # type: ignore[operator]

    world.type(key, "ผลการพิจารณา", "รับรอง")
    world.type(key, "คะแนนที่กรรมการให้", "ประมาณ 4")
    world.sync()
    vague = world.submissions()[key]
    assert _dec(vague[USED]) == Decimal(7)
    assert f"{flag_label(FlagCode.UNPARSEABLE)}: คะแนนที่กรรมการให้: ประมาณ 4" in str(vague["ข้อสังเกต"])

    quiet = world.sync()
    assert quiet.write_calls == 0
    # Reading the committee's cells first costs no call: a sync with nothing new is still F + ΣP + 3 (its
    # read takes the committee's columns only). One that finds a new entry there reads the tabs whole, then
    # adds the fence before its write and the check after it.
    assert second.write_calls == 1
    assert quiet.api_calls == second.api_calls - second.write_calls - 3 < first.api_calls
    with Session(world.deps.engine) as session:
        texts = [r.override_score for r in session.exec(select(Review).order_by(col(Review.id)))]
    assert texts == ["๓", "", "", "ประมาณ 4"], "each change kept, the earlier ones replaced"
