"""`kpisync status`: the last runs, the latest one's failures, open flags and the next run, from the database
alone; and the one-line summary the service puts in systemd's STATUS=."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from typer.testing import CliRunner

from connectors.errors import FatalError
from daemon.admin.status import last_sync_line, read_status, report_lines
from daemon.cli import app
from daemon.sync.cycle import run_sync
from tests.daemon.sync_world import FORM_ID, World, response

BANGKOK = ZoneInfo("Asia/Bangkok")
NNET = "ร้อยละของผู้เข้าสอบ N-NET"


def _two_syncs(world: World) -> None:
    """An ok sync with a respondent the roster does not know, then one whose form Google refuses."""
    world.submit(response("a1", "somsri@sukho.nfe.go.th", NNET, value="70"))
    world.submit(response("a2", "stranger@example.com", NNET, value="80"))
    assert run_sync(world.settings, world.deps).outcome == "ok"
    world.clock.now += timedelta(minutes=15)
    error = FatalError("Requested entity was not found.", status=404, method="forms.forms.get")
    world.forms.inject(error, method="forms.forms.get")
    assert run_sync(world.settings, world.deps).outcome == "partial"


def test_report_names_last_sync_failure_flags_and_next_run(world: World) -> None:
    """The head says the last sync was partial, lists its failure with the form id and hint, counts the
    open flags by kind in Thai, and puts the next run one interval after the last start."""
    _two_syncs(world)
    report = read_status(world.deps.engine, world.settings)
    assert [r.outcome for r in report.runs] == ["partial", "ok"]
    second_start = world.clock.now
    assert report.next_run == second_start + timedelta(minutes=15)

    lines = report_lines(report, world.settings, now=second_start)

    assert lines[0] == f"ฐานข้อมูล: {world.settings.database}"
    assert lines[1].startswith(f"ซิงก์ล่าสุด {second_start.astimezone(BANGKOK):%H:%M} สำเร็จบางส่วน")
    next_local = (second_start + timedelta(minutes=15)).astimezone(BANGKOK)
    assert lines[2] == f"ครั้งถัดไป: {next_local:%Y-%m-%d %H:%M} (ทุก 15 นาที เมื่อบริการทำงานอยู่)"
    failure = next(line for line in lines if FORM_ID in line)
    assert "404" in failure and "service account" in failure
    assert f"{1:>7}  ไม่มีชื่อในทะเบียนบุคลากร (not_in_roster)" in lines
    assert report.open_flags.get("not_in_roster") == 1


def test_a_next_run_in_the_past_reads_as_now(world: World) -> None:
    """When the service has not run for a while, the next run is 'now', not a time that has passed."""
    _two_syncs(world)
    report = read_status(world.deps.engine, world.settings)
    much_later = world.clock.now + timedelta(days=2)
    lines = report_lines(report, world.settings, now=much_later)
    assert f"ครั้งถัดไป: {much_later.astimezone(BANGKOK):%Y-%m-%d %H:%M}" in lines[2]


def test_status_command_prints_runs_and_flags(world: World) -> None:
    """`kpisync status` exits 0 and prints the head lines and the table of runs, with no Google call."""
    _two_syncs(world)
    calls = len(world.ledger.calls)
    result = CliRunner().invoke(app, ["status", "--config", str(world.settings.config_path)])
    assert result.exit_code == 0, result.output
    assert "สำเร็จบางส่วน" in result.stdout and "สำเร็จ" in result.stdout
    assert FORM_ID in result.stdout
    assert "การซิงก์ล่าสุด" in result.stdout
    assert len(world.ledger.calls) == calls


def test_status_without_a_database_says_so_and_creates_none(world: World) -> None:
    """Before the first sync there is no database: one line naming it, exit 2, and no empty file left."""
    world.deps.close()
    world.settings.database.unlink()
    result = CliRunner().invoke(app, ["status", "--config", str(world.settings.config_path)])
    assert result.exit_code == 2
    assert "no database at" in result.stderr and "database:" in result.stderr
    assert not world.settings.database.exists()


def test_last_sync_line_in_words() -> None:
    """STATUS= reads: when the last sync ended, how, what it brought, the next run; English too."""
    finished = datetime(2026, 11, 1, 3, 5, tzinfo=UTC)
    following = datetime(2026, 11, 1, 3, 20, tzinfo=UTC)
    counts = {"inserted": 3, "updated": 0}
    thai = last_sync_line("ok", finished, counts, next_run=following, tz=BANGKOK, lang="th")
    assert thai == "ซิงก์ล่าสุด 10:05 สำเร็จ (3 คำตอบใหม่); ครั้งถัดไป 10:20"
    english = last_sync_line("interrupted", finished, {}, next_run=None, tz=BANGKOK, lang="en")
    assert english == "last sync 10:05 interrupted"
    never = last_sync_line("ok", None, {}, next_run=following, tz=BANGKOK, lang="en")
    assert never == "no sync yet; next 10:20"
