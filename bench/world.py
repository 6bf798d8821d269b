"""A big office for the benchmark, written straight into a sandbox data directory: 30 forms (ten of each of
the sample's three kinds, with the same questions), a roster of one person per ten responses, N responses
and 5,000 distinct evidence files, and the kpisync.toml that syncs it.

Built through the sandbox's own services (no HTTP, no journal), deterministically from a seed, so 50,000
responses take seconds. The evidence mixes what a real office sends: uploads and pasted links of every shape,
Google Docs, videos, a few files not shared with the service account, trashed, deleted, folders, shortcuts,
files that need a resource key, and a few identical copies sent by two people.

``World`` also keeps what the minimum-call formula needs (forms, responses per form, distinct files,
shortcut targets) and what a scenario needs to submit new responses and edits later.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sandbox import seed_data as d
from sandbox.core import Store
from sandbox.drive import FOLDER, SHORTCUT, DriveService
from sandbox.forms import FormsService, question_titles
from sandbox.limits import Clock
from sandbox.responses import ResponsesService, format_time
from sandbox.seed_shapes import MIME, create_form, put_evidence_file

REPO = Path(__file__).resolve().parents[1]
RUBRIC_FILE = REPO / "config" / "rubrics" / "sukhothai-2569.toml"
FORM_COUNT = 30
FILE_COUNT = 5000
BUILD_TIME = datetime(2026, 2, 15, 3, 0, tzinfo=UTC)
ROSTER_ID = "1BenchRosterSukhothai2569xxxxxxxxxxxxxxxxxx"
DASHBOARD_ID = "1BenchDashboardSukhothai2569xxxxxxxxxxxxxxx"
BASELINE_ID = "1BenchPerRowBaselineSukhothai2569xxxxxxxxxx"
KINDS = (d.FORM_ALL, d.FORM_TEACHER, d.FORM_DISTRICT)  # the sample form each bench form copies
SCALES = {"1k": 1_000, "10k": 10_000, "50k": 50_000}


@dataclass
class Person:
    email: str
    name: str
    unit: str
    role: str
    staff_type: str


@dataclass
class World:
    """What was built, for the formula and for the scenarios that change the world later."""

    data_dir: Path
    config: Path
    responses: int
    forms: list[str]
    kind_of: dict[str, str]  # bench form id -> the sample form it copies
    questions: dict[str, dict[str, str]]  # form id -> title -> questionId
    responses_per_form: dict[str, int]
    files: int  # distinct Drive ids the responses name
    shortcut_targets: int  # distinct targets of the shortcuts among them
    people: list[Person] = field(default_factory=list)
    response_ids: dict[str, list[str]] = field(default_factory=dict)  # form id -> response ids

    def manifest(self) -> dict[str, Any]:
        return {
            "responses": self.responses,
            "forms": len(self.forms),
            "people": len(self.people),
            "files": self.files,
            "shortcut_targets": self.shortcut_targets,
            "responses_per_form": self.responses_per_form,
        }


def form_id(n: int) -> str:
    return f"1BenchForm{n:02d}Sukhothai2569".ljust(44, "x")


def build_world(data_dir: Path, responses: int, *, seed: int = 2569, files: int = FILE_COUNT) -> World:
    """Write the world into ``data_dir`` (which must be empty) and its kpisync.toml beside it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(data_dir, journal=False)
    builder = _Builder(store, random.Random(seed), responses, files)  # noqa: S311 - reproducible on purpose
    world = builder.build(data_dir)
    store.close()
    world.config.write_text(config_text(world), "utf-8")
    return world


class _Builder:
    def __init__(self, store: Store, rng: random.Random, responses: int, files: int) -> None:
        self.store = store
        self.rng = rng
        self.count = responses
        self.file_count = files
        clock = Clock(source=BUILD_TIME.timestamp)
        self.forms = FormsService(store, clock)
        self.responses = ResponsesService(self.forms)
        self.drive = DriveService(store, clock, d.SERVICE_ACCOUNT)
        self.folders: dict[str, str] = {}
        self.shortcut_targets = 0

    def build(self, data_dir: Path) -> World:
        people = roster(self.rng, max(48, self.count // 10))
        self._spreadsheets(people)
        ids = [form_id(n + 1) for n in range(FORM_COUNT)]
        kind_of = {fid: KINDS[n % len(KINDS)] for n, fid in enumerate(ids)}
        questions = {fid: self._form(fid, kind_of[fid], n + 1) for n, fid in enumerate(ids)}
        evidence = self._evidence(people)
        slots = _spread(len(evidence), self.count)
        who = {kind: [p for p in people if eligible(kind, p.role)] for kind in KINDS}
        per_form = {fid: 0 for fid in ids}
        response_ids: dict[str, list[str]] = {fid: [] for fid in ids}
        for n in range(self.count):
            fid = ids[n % len(ids)]
            person = self.rng.choice(who[kind_of[fid]])
            mine = [evidence[i] for i in slots.get(n, [])]
            answers = answers_for(self.rng, kind_of[fid], person, mine)
            when = _submitted(self.rng)
            body = {"respondentEmail": person.email, "answers": answers, "submittedAt": format_time(when)}
            response_ids[fid].append(self.responses.submit(fid, body)["responseId"])
            per_form[fid] += 1
        return World(
            data_dir=data_dir,
            config=data_dir.parent / "kpisync.toml",
            responses=self.count,
            forms=ids,
            kind_of=kind_of,
            questions=questions,
            responses_per_form=per_form,
            files=len(evidence),
            shortcut_targets=self.shortcut_targets,
            people=people,
            response_ids=response_ids,
        )

    def _spreadsheets(self, people: list[Person]) -> None:
        from sandbox.sheets import seed_spreadsheet  # noqa: PLC0415 - the Sheets half of the sandbox

        rows = [[p.email, p.name, p.unit, p.role, p.staff_type] for p in people]
        seed_spreadsheet(self.store, ROSTER_ID, d.ROSTER_TITLE, {d.ROSTER_TAB: [d.ROSTER_HEADER, *rows]})
        seed_spreadsheet(self.store, DASHBOARD_ID, d.DASHBOARD_TITLE, {"Sheet1": []})
        seed_spreadsheet(self.store, BASELINE_ID, "per-row baseline", {"Sheet1": []})

    def _form(self, fid: str, kind: str, n: int) -> dict[str, str]:
        title = f"{d.FORM_TITLES[kind]} ({n:02d})"
        self.folders[fid] = create_form(self.drive, self.forms, fid, kind, title)
        return {title: qid for qid, title in question_titles(self.forms.form(fid)).items()}

    # --- evidence ------------------------------------------------------------------------------------------

    def _file(self, owner: str, name: str, kind: str, **access: Any) -> dict[str, Any]:
        return put_evidence_file(self.drive, self.rng, owner, name, kind, **access)

    def _evidence(self, people: list[Person]) -> list[Evidence]:
        """``file_count`` distinct Drive ids, each to be named by one response: what each one is, as a link
        or an upload."""
        out: list[Evidence] = []
        kinds = ["pdf", "docx", "jpg", "mp4", "doc", "sheet", "slides"]
        copies: list[dict[str, Any]] = []
        for n in range(self.file_count):
            owner = people[n % len(people)].email
            roll = self.rng.random()
            name = f"หลักฐาน_{n + 1:05d}"
            if roll < 0.01:
                target = self._file(owner, f"{name}_ต้นฉบับ.pdf", "pdf")
                self.shortcut_targets += 1
                entry = self.drive.put_file(
                    {
                        "name": f"ทางลัด {name}",
                        "mimeType": SHORTCUT,
                        "shortcutDetails": {"targetId": target["id"]},
                    }
                )
                out.append(Evidence("link", link_for(self.rng, entry)))
            elif roll < 0.03:
                entry = self._file(owner, f"{name}.pdf", "pdf", readers=[owner])  # not shared with kpisync
                out.append(Evidence("link", link_for(self.rng, entry)))
            elif roll < 0.04:
                entry = self._file(owner, f"{name}.pdf", "pdf")
                self.drive.patch(entry["id"], {"trashed": True})
                out.append(Evidence("link", link_for(self.rng, entry)))
            elif roll < 0.045:
                entry = self.drive.put_file(
                    {"name": f"แฟ้ม {name}", "mimeType": FOLDER, "owners": [{"emailAddress": owner}]}
                )
                out.append(Evidence("link", f"https://drive.google.com/drive/folders/{entry['id']}"))
            elif roll < 0.05:
                out.append(
                    Evidence("link", f"https://drive.google.com/file/d/1BenchDeleted{n:05d}xxxxxxxxxx/view")
                )
            elif roll < 0.055:
                entry = self._file(owner, f"{name}.jpg", "jpg", readers=[owner], needs_key=True)
                out.append(Evidence("link", link_for(self.rng, entry)))
            else:
                kind = self.rng.choice(kinds)
                if kind in {"pdf", "docx", "jpg", "mp4"} and self.rng.random() < 0.4:
                    entry = self._file(d.FORM_OWNER, f"{kind.upper()}_{name}.{kind}", kind)
                    if copies and self.rng.random() < 0.02:
                        # The same file uploaded again by someone else: equal content, a new Drive id.
                        twin = self.rng.choice(copies)
                        self.drive.patch(
                            entry["id"], {"md5Checksum": twin["md5Checksum"], "size": twin["size"]}
                        )
                    copies.append(self.drive.data["files"][entry["id"]])
                    upload = {"fileId": entry["id"], "fileName": entry["name"], "mimeType": entry["mimeType"]}
                    out.append(Evidence("upload", upload=upload))
                else:
                    entry = self._file(owner, f"{name}.{kind}", kind)
                    out.append(Evidence("link", link_for(self.rng, entry)))
        return out


@dataclass(frozen=True)
class Evidence:
    how: str  # "link" | "upload"
    link: str = ""
    upload: dict[str, str] | None = None


def roster(rng: random.Random, count: int) -> list[Person]:
    """``count`` people in the sample's proportions of roles (30 teachers to 3 planning, 3 finance, 9 district
    offices and 3 executives)."""
    shares = [
        (d.ROLE_TEACHER, 30),
        (d.ROLE_PLANNING, 3),
        (d.ROLE_FINANCE, 3),
        (d.ROLE_DISTRICT, 9),
        (d.ROLE_EXECUTIVE, 3),
    ]
    people: list[Person] = []
    for n in range(count):
        slot = n % 48
        role = next(r for r, share in _cumulative(shares) if slot < share)
        slug, district = d.DISTRICTS[n % len(d.DISTRICTS)]
        female = rng.random() < 0.6
        first = rng.choice(d.FIRST_NAMES_F if female else d.FIRST_NAMES_M)
        title = rng.choice(["นางสาว", "นาง"]) if female else "นาย"
        name = f"{title}{first} {rng.choice(d.LAST_NAMES)}"
        unit = f"สกร.อำเภอ{district}" if role in (d.ROLE_TEACHER, d.ROLE_DISTRICT) else d.PROVINCE_UNIT
        if role == d.ROLE_DISTRICT:
            name = unit
        people.append(Person(f"staff{n + 1:05d}.{slug}@{d.DOMAIN}", name, unit, role, d.STAFF_TYPES[n % 3]))
    return people


def _cumulative(shares: list[tuple[str, int]]) -> list[tuple[str, int]]:
    total = 0
    out = []
    for role, share in shares:
        total += share
        out.append((role, total))
    return out


def eligible(kind: str, role: str) -> bool:
    if kind == d.FORM_TEACHER:
        return role == d.ROLE_TEACHER
    if kind == d.FORM_DISTRICT:
        return role == d.ROLE_DISTRICT
    return role != d.ROLE_EXECUTIVE


def _spread(files: int, responses: int) -> dict[int, list[int]]:
    """Evidence file index -> the response that names it, spread evenly over the responses."""
    out: dict[int, list[int]] = {}
    for i in range(files):
        out.setdefault(i * responses // files, []).append(i)
    return out


def _submitted(rng: random.Random) -> datetime:
    """A time inside one of the rounds' submission windows; about 2% after the deadline."""
    label = rng.choice(d.ROUNDS)
    start, deadline = (datetime.fromisoformat(t) for t in d.ROUND_WINDOWS[label])
    if rng.random() < 0.02:
        return deadline + timedelta(days=rng.randint(1, 10), seconds=rng.randint(0, 86_000))
    seconds = int((deadline - start).total_seconds())
    return start + timedelta(seconds=rng.randint(0, seconds), microseconds=rng.randint(0, 999_999))


def link_for(rng: random.Random, entry: dict[str, Any]) -> str:
    """A Drive link the way people paste them, by the file's kind."""
    file_id, mime = entry["id"], entry["mimeType"]
    if mime == MIME["doc"]:
        return f"https://docs.google.com/document/d/{file_id}/edit?usp=sharing"
    if mime == MIME["sheet"]:
        return f"https://docs.google.com/spreadsheets/d/{file_id}/edit#gid=0"
    if mime == MIME["slides"]:
        return f"https://docs.google.com/presentation/d/{file_id}/edit?usp=sharing"
    if "resourceKey" in entry:
        return (
            f"https://drive.google.com/file/d/{file_id}/view?usp=sharing&resourcekey={entry['resourceKey']}"
        )
    if rng.random() < 0.3:
        return f"https://drive.google.com/open?id={file_id}"
    return f"https://drive.google.com/file/d/{file_id}/view?usp=sharing"


def answers_for(rng: random.Random, kind: str, person: Person, evidence: list[Evidence]) -> dict[str, Any]:
    """One respondent's answers to a form of ``kind``, keyed by question title, as the sample's people type
    them (Thai digits, percent signs, N/A, Thai dates, notes that start with = or +)."""
    round_label = rng.choice(d.ROUNDS)
    _code, name, answer_kind = rng.choice(d.INDICATORS[kind])
    answers: dict[str, Any] = {d.Q_NAME: [person.name], d.Q_INDICATOR: [name], d.Q_ROUND: [round_label]}
    if answer_kind == "value":
        n = str(rng.randint(40, 100))
        value = rng.choice(d.VALUE_SHAPES).format(n=n, t=d.thai_digits(n))
        if value:
            answers[d.Q_VALUE] = [d.thai_digits(value) if rng.random() < 0.2 else value]
    if answer_kind in {"steps", "matrix"}:
        top = 4 if answer_kind == "matrix" else 5
        count = rng.randint(1, top)
        answers[d.Q_STEPS] = sorted(rng.sample(d.STEPS[:top], count))
        if answer_kind == "matrix":
            answers[d.Q_VALUE] = [str(rng.randint(0, count))]
    if answer_kind == "awards":
        for row in d.AWARD_ROWS:
            answers[f"{d.Q_AWARDS} [{row}]"] = [rng.choice(["0", "0", "1", "2"])]
    links = [e.link for e in evidence if e.how == "link"]
    if answer_kind == "video" and rng.random() < 0.5:
        links.append(f"https://youtu.be/{rng.choice(d.YOUTUBE_IDS)}")
    if links:
        answers[d.Q_LINKS] = ["\n".join(links)]
    uploads = [e.upload for e in evidence if e.upload is not None]
    if uploads:
        answers[d.Q_UPLOAD] = {"fileUploadAnswers": {"answers": uploads}}
    month, abbr = d.THAI_MONTHS[rng.randint(0, 11)]
    day = rng.randint(1, 28)
    answers[d.Q_DATE] = [
        rng.choice([f"{day} {month} 2568", f"{day} {abbr} 69", d.thai_digits(f"{day:02d}/05/2569")])
    ]
    roll = rng.random()
    if roll < 0.05:
        answers[d.Q_NOTE] = [rng.choice(d.RISKY_NOTES)]
    elif roll < 0.3:
        answers[d.Q_NOTE] = [rng.choice(d.PLAIN_NOTES)]
    return answers


def config_text(world: World) -> str:
    """The kpisync.toml of the world: the sample's settings, the bench's 30 forms, roster and dashboard."""
    head = f"""# Written by bench/world.py for a benchmark world of {world.responses} responses.
timezone = "Asia/Bangkok"
lang = "th"
database = "kpisync.db"
rubric_file = {json.dumps(str(RUBRIC_FILE))}

[google]
timeout_seconds = 120

[google.retry]
max_attempts = 5
initial_wait_seconds = 1
max_wait_seconds = 32

[schedule]
interval_minutes = 15
full_reconcile_hours = 24

[evidence]
recheck_after_hours = 24

[dashboard]
spreadsheet_id = "{DASHBOARD_ID}"

[roster]
spreadsheet_id = "{ROSTER_ID}"
tab = "{d.ROSTER_TAB}"

[roster.columns]
email = "อีเมล"
name = "ชื่อ-นามสกุล"
unit = "หน่วยงาน"
role = "บทบาท"
staff_type = "ประเภทบุคลากร"
"""
    questions = "\n".join(
        f'{key} = "{title}"'
        for key, title in (
            ("name", d.Q_NAME),
            ("indicator", d.Q_INDICATOR),
            ("round", d.Q_ROUND),
            ("value", d.Q_VALUE),
            ("steps", d.Q_STEPS),
            ("awards", d.Q_AWARDS),
            ("links", d.Q_LINKS),
            ("uploads", d.Q_UPLOAD),
            ("date", d.Q_DATE),
            ("note", d.Q_NOTE),
        )
    )
    awards = "\n".join(
        f'"{row}" = "{level}"'
        for row, level in zip(d.AWARD_ROWS, ("national", "regional", "provincial", "district"), strict=True)
    )
    forms = [
        f'\n[[forms]]\nform_id = "{fid}"\nlabel = "แบบฟอร์ม {n + 1:02d}"\n\n[forms.questions]\n{questions}\n\n'
        f'[forms.award_rows]\n{awards}\n\n[forms.indicator_aliases]\n"DMIS" = "ALL-1"\n'
        for n, fid in enumerate(world.forms)
    ]
    return head + "".join(forms)
