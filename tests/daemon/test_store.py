"""The store: migrations at startup, an owner-only file, exact decimals, and the roster source."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlmodel import Session, select

from daemon.settings import RosterColumns, RosterSettings
from daemon.store.db import HEAD_REVISION, alembic_config, current_revision, migrate, open_engine
from daemon.store.models import DATA_TABLES, Score
from daemon.store.scores import ScoreWriter
from daemon.sync.failures import PartUnusableError
from daemon.sync.roster import load_roster, parse_rows


def test_migrations_create_every_table_once(tmp_path: Path) -> None:
    """Opening the database runs the migration; opening it again is a no-op with the same tables."""
    path = tmp_path / "state" / "kpisync.db"
    engine = open_engine(path)
    names = set(inspect(engine).get_table_names())
    engine.dispose()
    assert {t.__tablename__ for t in DATA_TABLES} | {"sync_run", "api_call", "alembic_version"} <= names  # type: ignore[attr-defined]
    again = open_engine(path)
    assert set(inspect(again).get_table_names()) == names
    again.dispose()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_head_revision_is_alembics_head(tmp_path: Path) -> None:
    """HEAD_REVISION, which lets a migrated database open without alembic, is the newest migration, and a
    database one migration behind is still brought to it."""
    engine = open_engine(tmp_path / "kpisync.db")
    script = ScriptDirectory.from_config(alembic_config(engine))
    assert script.get_heads() == [HEAD_REVISION]
    assert current_revision(engine) == HEAD_REVISION
    previous = script.get_revision(HEAD_REVISION).down_revision
    assert isinstance(previous, str)
    command.downgrade(alembic_config(engine), previous)
    assert current_revision(engine) == previous
    migrate(engine)
    assert current_revision(engine) == HEAD_REVISION
    engine.dispose()


def test_scores_are_stored_exactly(tmp_path: Path) -> None:
    """A Decimal score goes in and comes out digit for digit; an identical score adds no row."""
    engine = open_engine(tmp_path / "k.db")
    now = datetime(2026, 11, 1, tzinfo=UTC)
    kwargs = {
        "submission_key": "S-f-r",
        "indicator_code": "X",
        "rubric_version": "v1",
        "status": "scored",
        "explanation": "e",
    }
    with Session(engine) as session:
        writer = ScoreWriter(session, now)
        assert writer.save(None, value=Decimal("4.80653"), **kwargs)
        assert writer.flush() == 1
        session.commit()
        first = session.exec(select(Score)).one()
        writer = ScoreWriter(session, now)
        assert not writer.save(first, value=Decimal("4.80653"), **kwargs)
        assert writer.flush() == 0
        session.commit()
        rows = session.exec(select(Score)).all()
    engine.dispose()
    assert [Decimal(r.value or "") for r in rows] == [Decimal("4.80653")]


def test_roster_by_header_any_order() -> None:
    """Roster columns are found by header text in any order; emails are lowercased, blanks skipped."""
    rows = [
        ["บทบาท", "อีเมล", "ชื่อ-นามสกุล", "หน่วยงาน"],
        ["ครู", "SomSri@Sukho.nfe.go.th ", "นางสาวสมศรี  ใจดี", "สกร.อำเภอเมืองสุโขทัย"],
        ["ครู", "", "ไม่มีอีเมล", ""],
        ["ครู"],
    ]
    entries = parse_rows(rows, RosterColumns(), source="roster")
    assert [(e.email, e.name, e.role, e.staff_type) for e in entries] == [
        ("somsri@sukho.nfe.go.th", "นางสาวสมศรี ใจดี", "ครู", "")
    ]


def test_roster_without_email_column() -> None:
    """A roster with no email column is an unusable part (not a config error) naming the column."""
    with pytest.raises(PartUnusableError) as info:
        parse_rows([["ชื่อ"], ["ก"]], RosterColumns(), source="roster.csv")
    assert "อีเมล" in info.value.message and "roster.columns.email" in info.value.hint


def test_roster_with_no_one_in_it() -> None:
    """A roster tab emptied by mistake (a header and no email) is unusable, never "everyone left"."""
    for rows in ([], [["อีเมล", "ชื่อ-นามสกุล"]], [["อีเมล"], [""], ["ไม่ใช่อีเมล"]]):
        with pytest.raises(PartUnusableError):
            parse_rows(rows, RosterColumns(), source="roster.csv")


def test_roster_from_csv(tmp_path: Path) -> None:
    """A CSV roster (with a BOM, as Excel writes it) loads like the spreadsheet tab."""
    path = tmp_path / "roster.csv"
    path.write_text(
        "\ufeffอีเมล,ชื่อ-นามสกุล,หน่วยงาน,บทบาท,ประเภทบุคลากร\na@b.th,ก ข,หน่วย,ครู,พนักงานราชการ\n", encoding="utf-8"
    )
    entries = load_roster(RosterSettings(csv_file=path), sheets=None)  # type: ignore[arg-type]
    assert [(e.email, e.staff_type) for e in entries] == [("a@b.th", "พนักงานราชการ")]
