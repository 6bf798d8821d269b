"""All sandbox state: one JSON document per section ("forms", "drive", "sheets", "sharing") in a data
directory, kept up to date by a write-ahead journal instead of rewriting every file after every change.

Files: ``{section}.json`` snapshots (the same JSON documents a restart loads) and ``journal.jsonl``, one line
per change since the snapshots: ``{"s": section, "ops": [...]}`` with the absolute operations of
sandbox/jsondiff.py. A change costs a diff against the copy of what is on disk and one append, proportional
to what changed (one edited row of a 1.5 MB spreadsheet writes about one row). When the journal passes
``compact_bytes``, and on ``close()``, the snapshots are rewritten (each through a temporary file and an
atomic rename) and the journal emptied.

A process killed mid-write leaves at worst a torn last journal line, which the next start drops: each ``save``
is all or nothing. A kill during compaction leaves new snapshots and the old journal, and replaying absolute
operations over them ends in the same state. (A power cut may still lose the writes the OS had not flushed:
nothing is fsynced, this is a test double.)

Hold ``lock`` while reading or changing a section and call ``save(section)`` after a change; ``save`` may be
given the path of the one document that changed, to skip diffing the rest. ``restore`` puts back the saved
version of a document (the all-or-nothing rollback of a refused call).
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from sandbox import jsondiff

JOURNAL = "journal.jsonl"
COMPACT_BYTES = 16 << 20


class Store:
    def __init__(self, data_dir: Path, *, journal: bool = True, compact_bytes: int = COMPACT_BYTES) -> None:
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.lock = threading.RLock()
        self.journaling = journal
        self.compact_bytes = compact_bytes
        self._sections: dict[str, dict[str, Any]] = {}
        self._disk: dict[str, dict[str, Any]] = {}  # what the snapshot plus the journal hold
        self._unsnapshotted: set[str] = set()  # sections whose snapshot file lags the journal (or is missing)
        self._journal_path = self.data_dir / JOURNAL
        self._pending, self.journal_bytes = self._read_journal()
        self._fd: int | None = None

    # --- reading -----------------------------------------------------------------------------------------

    def section(self, name: str) -> dict[str, Any]:
        with self.lock:
            if name not in self._sections:
                path = self.data_dir / f"{name}.json"
                loaded: dict[str, Any] = json.loads(path.read_text("utf-8")) if path.exists() else {}
                ops = self._pending.pop(name, [])
                if ops:
                    jsondiff.apply(loaded, ops, copy_values=False)
                    self._unsnapshotted.add(name)
                self._sections[name] = loaded
                self._disk[name] = jsondiff.clone(loaded) if self.journaling else {}
            return self._sections[name]

    def _read_journal(self) -> tuple[dict[str, list[jsondiff.Op]], int]:
        """Operations per section from the journal; a torn or unreadable tail is dropped from the file."""
        pending: dict[str, list[jsondiff.Op]] = {}
        if not self._journal_path.exists():
            return pending, 0
        raw = self._journal_path.read_bytes()
        good = 0
        while good < len(raw):
            end = raw.find(b"\n", good)
            if end < 0:
                break
            try:
                entry = json.loads(raw[good:end])
                section, ops = str(entry["s"]), list(entry["ops"])
            except (ValueError, KeyError, TypeError):
                break
            pending.setdefault(section, []).extend(ops)
            good = end + 1
        if good < len(raw):
            with self._journal_path.open("r+b") as handle:
                handle.truncate(good)
        return pending, good

    # --- changing -----------------------------------------------------------------------------------------

    def save(self, name: str, *path: str | int) -> None:
        """Persist what changed in a section since the last save (only under ``path`` when one is given)."""
        with self.lock:
            if name not in self._sections:
                return
            if not self.journaling:
                self._unsnapshotted.add(name)
                return
            live, disk = self._sections[name], self._disk[name]
            where = list(path)
            if where and jsondiff.get(disk, where[:-1]) is None:
                where = []  # the document is new and so is its parent: diff the whole section
            if where:
                old, new = jsondiff.get(disk, where), jsondiff.get(live, where)
                if new is None:
                    ops: list[jsondiff.Op] = [] if old is None else [["del", where]]
                else:
                    ops = (
                        jsondiff.diff(old, new, where)
                        if old is not None
                        else [["set", where, jsondiff.clone(new)]]
                    )
            else:
                ops = jsondiff.diff(disk, live)
            if not ops:
                return
            line = json.dumps({"s": name, "ops": ops}, ensure_ascii=False).encode("utf-8") + b"\n"
            self._append(line)
            jsondiff.apply(disk, ops, copy_values=False)  # the operations hold copies already
            self._unsnapshotted.add(name)
            if self.journal_bytes > self.compact_bytes:
                self.compact()

    def restore(self, name: str, *path: str | int) -> None:
        """Put back the last saved version of the document at ``path`` (or of the whole section)."""
        with self.lock:
            if name not in self._sections:
                return
            live, disk = self._sections[name], self._disk[name]
            where = list(path)
            if not where:
                live.clear()
                live.update(jsondiff.clone(disk))
                return
            parent = jsondiff.get(live, where[:-1])
            saved = jsondiff.get(disk, where)
            if isinstance(parent, dict):
                if saved is None:
                    parent.pop(where[-1], None)
                else:
                    parent[where[-1]] = jsondiff.clone(saved)

    def _append(self, line: bytes) -> None:
        if self._fd is None:
            self._fd = os.open(self._journal_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        view = memoryview(line)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        self.journal_bytes += len(line)

    # --- snapshots ----------------------------------------------------------------------------------------

    def compact(self) -> None:
        """Rewrite the snapshots of every section the journal changed, then empty the journal."""
        with self.lock:
            for name in list(self._pending):
                self.section(name)
            for name in sorted(self._unsnapshotted):
                source = self._disk[name] if self.journaling else self._sections[name]
                path = self.data_dir / f"{name}.json"
                tmp = path.with_suffix(".json.tmp")
                tmp.write_text(json.dumps(source, ensure_ascii=False), "utf-8")
                os.replace(tmp, path)
            self._unsnapshotted.clear()
            if self.journal_bytes or self._journal_path.exists():
                if self._fd is not None:
                    os.close(self._fd)
                    self._fd = None
                empty = self._journal_path.with_suffix(".jsonl.tmp")
                empty.write_bytes(b"")
                os.replace(empty, self._journal_path)
                self.journal_bytes = 0

    def close(self) -> None:
        """Compact and release the journal (a clean shutdown leaves only snapshots)."""
        with self.lock:
            self.compact()
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
