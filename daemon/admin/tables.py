"""What the admin commands print as tables (rich): the changes a rescore found."""

from __future__ import annotations

from rich.table import Table

from daemon.results.rescore import ScoreChange
from scoring.explain import Lang


def change_table(changes: list[ScoreChange], lang: Lang) -> Table | str:
    """Person, indicator (or weighted / category / total / rank), round, old → new, then the count."""
    th = lang == "th"
    if not changes:
        return "ไม่มีคะแนนเปลี่ยน" if th else "No score changed"
    none = "ไม่มีคะแนน" if th else "–"
    caption = f"คะแนนที่เปลี่ยน {len(changes)} รายการ" if th else f"{len(changes)} scores changed"
    table = Table(caption=caption, caption_justify="left")
    for header in (("ผู้รับการประเมิน", "Person"), ("ตัวชี้วัด/คะแนน", "Indicator/score"), ("รอบ", "Round")):
        table.add_column(header[0] if th else header[1])
    table.add_column("เดิม → ใหม่" if th else "old → new", justify="right")
    for ch in changes:
        old = none if ch.old is None else str(ch.old)
        new = none if ch.new is None else str(ch.new)
        if ch.old == ch.new:  # the value stayed and only the status moved (pending → manual …)
            old, new = f"{old} ({ch.old_status})", f"{new} ({ch.new_status})"
        table.add_row(ch.person, ch.label, ch.round, f"{old} → {new}")
    return table
