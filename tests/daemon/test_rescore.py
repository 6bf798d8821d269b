"""`kpisync rescore`: exactly the changed figures after a rubric edit, from the store alone, and ranks that
compare like with like."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

from daemon.cli import app
from daemon.dashboard.build import build_dashboard_model
from daemon.dashboard.layout import layout
from daemon.results import totals
from daemon.results.rescore import run_rescore
from daemon.results.store_view import StoreView
from daemon.results.totals import PersonRound, ranks
from daemon.settings import Settings, load_settings
from daemon.store.models import DATA_TABLES, PersonTotalRow, Score, Submission
from daemon.sync.cycle import run_sync
from scoring.aggregate import PersonTotal, aggregate_person
from scoring.model import Indicator
from tests.daemon.sync_world import World, make_world, response

SOMSRI = "somsri@sukho.nfe.go.th"
SOMCHAI = "somchai@sukho.nfe.go.th"
PLAN = "plan@sukho.nfe.go.th"
AWARDS = "นักศึกษาที่สร้างชื่อเสียงให้ สกร."
NNET = "ร้อยละของผู้เข้าสอบ N-NET"
ONLINE = "นวัตกรรมการจัดการเรียนรู้ออนไลน์"
STEPS = ("ขั้นที่ 1", "ขั้นที่ 2", "ขั้นที่ 3")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    made = make_world(tmp_path)
    made.submit(response("r1", SOMSRI, AWARDS, awards={"ระดับประเทศ": "1"}))
    made.submit(response("r2", SOMSRI, NNET, value="70"))
    made.submit(response("r3", SOMCHAI, NNET, value="90"))
    made.submit(response("r4", PLAN, ONLINE, steps=STEPS))
    assert run_sync(made.settings, made.deps).outcome == "ok"
    yield made
    made.deps.close()


def edit_rubric(world: World, old: str, new: str) -> Settings:
    rubric = world.settings.config_path.parent / "rubric.toml"
    text = rubric.read_text(encoding="utf-8")
    assert old in text
    rubric.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_settings(world.settings.config_path, env={})


def snapshot(world: World) -> dict[str, list[str]]:
    with Session(world.deps.engine) as session:
        return {
            str(table.__tablename__): sorted(  # type: ignore[attr-defined]
                json.dumps(row.model_dump(), default=str, sort_keys=True)
                for row in session.exec(select(table))
            )
            for table in (*DATA_TABLES, PersonTotalRow)
        }


def stored_scores(world: World, email: str) -> dict[str, Decimal | None]:
    """The current score of each counting submission of ``email``, read straight from the tables."""
    with Session(world.deps.engine) as session:
        subs = session.exec(select(Submission).where(Submission.email == email)).all()
        out: dict[str, Decimal | None] = {}
        for sub in subs:
            score = session.exec(
                select(Score).where(Score.submission_key == sub.key, Score.is_current == True)  # noqa: E712
            ).one()
            out[score.indicator_code] = None if score.value is None else Decimal(score.value)
        return out


def teacher_indicators(settings: Settings) -> list[Indicator]:
    return [i for i in settings.rubrics.indicators.values() if i.applies_to("ครู")]


def test_weight_change_reports_only_weighted_and_category_of_teachers(world: World) -> None:
    """A new TCH-1 weight changes no indicator score, only teachers' weighted and teacher-category scores."""
    settings = edit_rubric(world, "[indicators.TCH-1]\n", "[indicators.TCH-1]\nweight = 3\n")
    changes = run_rescore(settings, world.deps)
    assert not [c for c in changes if c.kind == "indicator"]
    assert {(c.email, c.kind, c.indicator) for c in changes} == {
        (SOMSRI, "weighted", "weighted"),
        (SOMSRI, "category", "teacher"),
        (SOMCHAI, "weighted", "weighted"),
        (SOMCHAI, "category", "teacher"),
    }
    by = {(c.email, c.indicator): c for c in changes}
    # Somsri: TCH-1 5 (weight 3), TCH-2 3; ALL-1, ALL-2, TCH-5 not sent count 0: 18/7 against 8/5 before.
    assert (by[(SOMSRI, "weighted")].old, by[(SOMSRI, "weighted")].new) == (
        Decimal("1.6"),
        Decimal("2.57143"),
    )
    for email in (SOMSRI, SOMCHAI):
        figures = aggregate_person(
            email, teacher_indicators(settings), stored_scores(world, email), settings.rubrics.scale
        )
        assert by[(email, "weighted")].new == figures.weighted
        assert by[(email, "teacher")].new == figures.per_category["teacher"]


def test_threshold_change_reports_exactly_the_scores_whose_value_moved(world: World) -> None:
    """A steeper TCH-2 line moves 70 % from 3 to 5 and leaves 90 % at 5: only Somsri's score is reported."""
    settings = edit_rubric(world, "[[50, 1], [90, 5]]", "[[50, 1], [70, 5]]")
    changes = run_rescore(settings, world.deps)
    indicator = [(c.email, c.indicator, c.old, c.new) for c in changes if c.kind == "indicator"]
    assert indicator == [(SOMSRI, "TCH-2", Decimal("3"), Decimal("5"))]
    assert {c.email for c in changes} == {SOMSRI}
    with Session(world.deps.engine) as session:
        versions = {
            s.rubric_version for s in session.exec(select(Score).where(Score.indicator_code == "TCH-2"))
        }
    assert len(versions) == 2, "the unchanged 90 % score is recorded under the new version, not reported"


def test_second_rescore_reports_nothing_and_writes_nothing(world: World) -> None:
    """Rescoring again with the same rubric reports no change and leaves every row as it was."""
    settings = edit_rubric(world, "[indicators.TCH-1]\n", "[indicators.TCH-1]\nweight = 2\n")
    assert run_rescore(settings, world.deps)
    before = snapshot(world)
    assert run_rescore(settings, world.deps) == []
    assert snapshot(world) == before


def test_rescore_without_a_rubric_change_reports_nothing(world: World) -> None:
    """Right after a sync, rescore with the same config finds nothing to report and writes nothing."""
    before = snapshot(world)
    assert run_rescore(world.settings, world.deps) == []
    assert snapshot(world) == before


def test_cli_rescore_needs_no_credentials(world: World) -> None:
    """`kpisync rescore` opens only the database: no key file, exit 0, a Thai table and the count."""
    config = world.settings.config_path
    env = {"KPISYNC_DATABASE": str(world.settings.database), "CREDENTIALS_DIRECTORY": None}
    edit_rubric(world, "[indicators.TCH-1]\n", "[indicators.TCH-1]\nweight = 3\n")
    runner = CliRunner()
    first = runner.invoke(app, ["rescore", "--config", str(config)], env=env)
    assert first.exit_code == 0, first.output
    assert "คะแนนถ่วงน้ำหนัก" in first.stdout
    assert "คะแนนที่เปลี่ยน 4 รายการ" in first.stdout
    second = runner.invoke(app, ["rescore", "--config", str(config)], env=env)
    assert second.exit_code == 0, second.output
    assert "ไม่มีคะแนนเปลี่ยน" in second.stdout


def person_round(email: str, role: str, weighted: str) -> PersonRound:
    figures = PersonTotal(email, {}, {}, Decimal(weighted), Decimal(weighted), 1, 1)
    return PersonRound(email, 2569, 6, role, "u", figures, ())


def test_ranks_compare_within_round_and_role_with_ties() -> None:
    """Teachers and district offices are ranked apart, by weighted score; equal scores share a rank."""
    rows = [
        person_round("a", "ครู", "3"),
        person_round("b", "ครู", "3"),
        person_round("c", "ครู", "4"),
        person_round("d", "ครู", "1"),
        person_round("e", "สกร.อำเภอ", "2"),
        person_round("f", "สกร.อำเภอ", "5"),
    ]
    got = {email: rank for (email, _, _), rank in ranks(rows).items()}
    assert got == {"c": 1, "a": 2, "b": 2, "d": 4, "f": 1, "e": 2}


def test_summary_comes_from_aggregate_with_categories_and_units(world: World) -> None:
    """The Sheet's summary has per-category columns, ranks per role, and a per-unit tab."""
    with Session(world.deps.engine) as session:
        model = build_dashboard_model(
            session,
            world.settings,
            world.clock(),
            totals.standing(session, world.settings, StoreView.read(session)),
        )
    rows = {r.email: r for r in model.summary}
    assert rows[PLAN].rank == 1, "the only planning officer is first among planning officers"
    assert (rows[SOMSRI].rank, rows[SOMCHAI].rank) == (1, 2)
    figures = aggregate_person(
        SOMSRI, teacher_indicators(world.settings), stored_scores(world, SOMSRI), world.settings.rubrics.scale
    )
    assert (rows[SOMSRI].weighted, rows[SOMSRI].category_scores) == (figures.weighted, figures.per_category)
    tabs = layout(model)
    headers = [c.header for c in tabs.summary.columns]
    assert headers[-6:-4] == ["all", "teacher"], "category columns come after the indicator columns"
    assert tabs.units.title == "สรุปรายหน่วยงาน"
    assert {row[1] for row in tabs.units.rows} == {
        "สกร.อำเภอเมืองสุโขทัย",
        "สกร.อำเภอศรีสำโรง",
        "สำนักงานจังหวัด",
    }


def test_rank_changes_are_reported(world: World) -> None:
    """A heavier TCH-2 lifts Somchai (N-NET 5) past Somsri (award 5, N-NET 3): both rank moves are reported,
    old → new, beside the weighted scores that caused them."""
    settings = edit_rubric(world, "[indicators.TCH-2]\n", "[indicators.TCH-2]\nweight = 5\n")
    changes = run_rescore(settings, world.deps)
    moved = {(c.email, c.old, c.new) for c in changes if c.kind == "rank"}
    assert moved == {(SOMSRI, Decimal(1), Decimal(2)), (SOMCHAI, Decimal(2), Decimal(1))}
    assert all(c.label.startswith("อันดับ") for c in changes if c.kind == "rank")
    assert run_rescore(settings, world.deps) == []
