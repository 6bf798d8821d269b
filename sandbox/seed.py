"""Build the sample world of sandbox/SAMPLE_SPEC.md in a data directory, deterministically (fixed random seed
and a fixed clock), through the sandbox's own services rather than HTTP so the fixtures stay fast.

The manifest (also written to ``sample_manifest.json``) names every special case so tests need not hard-code
ids.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sandbox import seed_data as d
from sandbox.core import Store
from sandbox.drive import FOLDER, SHORTCUT, DriveService
from sandbox.forms import FormsService, question_titles
from sandbox.limits import Clock
from sandbox.responses import ResponsesService, format_time
from sandbox.seed_shapes import MIME, Person, create_form, put_evidence_file, roster

MANIFEST = "sample_manifest.json"
SEED_TIME = datetime(2026, 2, 15, 3, 0, tzinfo=UTC)
MIN_RESPONSES = 150


def seed_sample(data_dir: Path) -> dict[str, Any]:
    """Seed ``data_dir`` once (a seeded directory answers its existing manifest) and return the manifest."""
    path = Path(data_dir) / MANIFEST
    if path.exists():
        found: dict[str, Any] = json.loads(path.read_text("utf-8"))
        return found
    # Without a journal: each section is written once at the end, not after each of the seed's changes.
    store = Store(Path(data_dir), journal=False)
    manifest = _World(store).build()
    store.close()
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
    return manifest


class _World:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.rng = random.Random(d.SEED)  # noqa: S311 - sample data, reproducible on purpose
        clock = Clock(source=SEED_TIME.timestamp)
        self.forms = FormsService(store, clock)
        self.responses = ResponsesService(self.forms)
        self.drive = DriveService(store, clock, d.SERVICE_ACCOUNT)
        self.people = roster(self.rng)
        self.files: dict[str, list[dict[str, Any]]] = {}  # owner email -> their evidence files
        self.upload_folders: dict[str, str] = {}
        self.used: set[tuple[str, ...]] = set()  # (form, email, indicator, round) already submitted
        self.manifest: dict[str, Any] = {
            "seed": d.SEED,
            "service_account": d.SERVICE_ACCOUNT,
            "form_owner": d.FORM_OWNER,
        }

    def build(self) -> dict[str, Any]:
        self._spreadsheets()
        self._forms()
        self._evidence()
        self._special_responses()
        self._filler_responses()
        counts = {
            d.FORM_KEYS[fid]: len(self.forms.data["responses"][fid])
            for fid in (d.FORM_ALL, d.FORM_TEACHER, d.FORM_DISTRICT)
        }
        self.manifest["response_counts"] = counts
        self.manifest["response_count"] = sum(counts.values())
        return self.manifest

    # --- spreadsheets, forms, files -------------------------------------------------------------------------

    def _spreadsheets(self) -> None:
        rows = [[p.email, p.name, p.unit, p.role, p.staff_type] for p in self.people]
        self.manifest["spreadsheets"] = {"roster": d.ROSTER_ID, "dashboard": d.DASHBOARD_ID}
        self.manifest["roster"] = {"count": len(rows), "tab": d.ROSTER_TAB, "emails": [r[0] for r in rows]}
        try:
            from sandbox.sheets import seed_spreadsheet  # the Sheets engineer's part  # noqa: PLC0415
        except ImportError:
            self.manifest["spreadsheets_seeded"] = False
            return
        seed_spreadsheet(self.store, d.ROSTER_ID, d.ROSTER_TITLE, {d.ROSTER_TAB: [d.ROSTER_HEADER, *rows]})
        seed_spreadsheet(self.store, d.DASHBOARD_ID, d.DASHBOARD_TITLE, {"Sheet1": []})
        self.manifest["spreadsheets_seeded"] = True

    def _forms(self) -> None:
        self.manifest["forms"] = {}
        self.manifest["questions"] = {}
        for form_id, title in d.FORM_TITLES.items():
            self.upload_folders[form_id] = create_form(self.drive, self.forms, form_id, form_id, title)
            self.manifest["forms"][d.FORM_KEYS[form_id]] = form_id
            titles = question_titles(self.forms.form(form_id))
            self.manifest["questions"][form_id] = {title: qid for qid, title in titles.items()}
        self.manifest["upload_folders"] = dict(self.upload_folders)

    def _file(self, owner: str, name: str, kind: str, **access: Any) -> dict[str, Any]:
        return put_evidence_file(self.drive, self.rng, owner, name, kind, **access)

    def _evidence(self) -> None:
        kinds = ["pdf", "docx", "jpg", "mp4", "doc", "sheet", "slides"]
        for n, person in enumerate(self.people):
            own = [
                self._file(person.email, f"หลักฐาน_{n + 1:02d}_{i}.{k}", k) for i, k in enumerate(kinds * 2)
            ]
            self.rng.shuffle(own)
            self.files[person.email] = own
        owner = self.people[0].email
        unreadable = self._file(owner, "รายงานผล (ไม่ได้แชร์).pdf", "pdf", readers=[owner])
        trashed = self._file(owner, "รายงานเก่า.pdf", "pdf")
        self.drive.patch(trashed["id"], {"trashed": True})
        folder = self.drive.put_file(
            {"name": "แฟ้มหลักฐาน", "mimeType": FOLDER, "owners": [{"emailAddress": owner}]}
        )
        target = self._file(owner, "เกียรติบัตร.pdf", "pdf")
        shortcut = self.drive.put_file(
            {"name": "ทางลัด เกียรติบัตร", "mimeType": SHORTCUT, "shortcutDetails": {"targetId": target["id"]}}
        )
        keyed = self._file(owner, "ภาพกิจกรรม.jpg", "jpg", readers=[owner], needs_key=True)
        self.manifest["files"] = {
            "unreadable": unreadable["id"],
            "deleted": "1DeletedEvidenceFileSukhothai2569xxxx",
            "trashed": trashed["id"],
            "folder": folder["id"],
            "shortcut": shortcut["id"],
            "shortcut_target": target["id"],
            "resource_key": {"id": keyed["id"], "resource_key": keyed["resourceKey"]},
        }

    # --- responses -----------------------------------------------------------------------------------------

    def _when(self, round_label: str) -> datetime:
        start, deadline = (datetime.fromisoformat(t) for t in d.ROUND_WINDOWS[round_label])
        seconds = int((deadline - start).total_seconds()) - 3 * 86400
        return start + timedelta(seconds=self.rng.randint(0, seconds), milliseconds=self.rng.randint(0, 999))

    def _answers(self, person: Person, form_id: str, indicator: tuple[str, str, str], round_label: str,
                 **over: Any) -> dict[str, Any]:  # fmt: skip
        rng = self.rng
        _code, name, kind = indicator
        answers: dict[str, Any] = {d.Q_NAME: [person.name], d.Q_INDICATOR: [name], d.Q_ROUND: [round_label]}
        if kind == "value":
            n = str(rng.randint(40, 100))
            shape = rng.choice(d.VALUE_SHAPES)
            value = shape.format(n=n, t=d.thai_digits(n))
            value = d.thai_digits(value) if rng.random() < 0.2 else value
            if value:
                answers[d.Q_VALUE] = [value]
        if kind in {"steps", "matrix"}:
            count = rng.randint(1, 4 if kind == "matrix" else 5)
            answers[d.Q_STEPS] = sorted(rng.sample(d.STEPS[: 4 if kind == "matrix" else 5], count))
            if kind == "matrix":
                answers[d.Q_VALUE] = [str(rng.randint(0, count))]
        if kind == "awards":
            for row in d.AWARD_ROWS:
                answers[f"{d.Q_AWARDS} [{row}]"] = [rng.choice(["0", "0", "1", "2"])]
        links = over.pop("links", None)
        if links is None:
            # Each file is used once, so the only shared file is the one the manifest names.
            own = self.files.get(person.email, [])
            links = [self._link(own.pop()) for _ in range(min(len(own), rng.randint(0, 2)))]
            if kind == "video" and rng.random() < 0.5:
                links.append(f"https://youtu.be/{rng.choice(d.YOUTUBE_IDS)}")
        if links:
            answers[d.Q_LINKS] = ["\n".join(links)]
        uploads = over.pop("uploads", None)
        if uploads is None and rng.random() < 0.4:
            uploads = [
                self._upload(
                    form_id, person, rng.choice(["pdf", "jpg", "mp4" if kind == "video" else "docx"])
                )
            ]
        if uploads:
            answers[d.Q_UPLOAD] = {"fileUploadAnswers": {"answers": uploads}}
        answers[d.Q_DATE] = [self._thai_date(round_label)]
        note = over.pop("note", None) or (rng.choice(d.PLAIN_NOTES) if rng.random() < 0.3 else None)
        if note:
            answers[d.Q_NOTE] = [note]
        answers.update(over)
        return answers

    def _link(self, entry: dict[str, Any]) -> str:
        file_id, mime = entry["id"], entry["mimeType"]
        if mime == MIME["doc"]:
            return f"https://docs.google.com/document/d/{file_id}/edit?usp=sharing"
        if mime == MIME["sheet"]:
            return f"https://docs.google.com/spreadsheets/d/{file_id}/edit#gid=0"
        if mime == MIME["slides"]:
            return f"https://docs.google.com/presentation/d/{file_id}/edit?usp=sharing"
        if mime == FOLDER:
            return f"https://drive.google.com/drive/folders/{file_id}"
        if "resourceKey" in entry:
            return f"https://drive.google.com/file/d/{file_id}/view?usp=sharing&resourcekey={entry['resourceKey']}"
        if self.rng.random() < 0.3:
            return f"https://drive.google.com/open?id={file_id}"
        return f"https://drive.google.com/file/d/{file_id}/view?usp=sharing"

    def _upload(self, form_id: str, person: Person, kind: str) -> dict[str, str]:
        stem = person.email.split("@")[0]
        entry = self._file(d.FORM_OWNER, f"{kind.upper()}_{stem} - {person.name}.{kind}", kind)
        self.drive.patch(entry["id"], {"parents": [self.upload_folders[form_id]]})
        return {"fileId": entry["id"], "fileName": entry["name"], "mimeType": entry["mimeType"]}

    def _thai_date(self, round_label: str) -> str:
        when = self._when(round_label) - timedelta(days=self.rng.randint(5, 60))
        month, abbr = d.THAI_MONTHS[when.month - 1]
        be = when.year + 543
        return self.rng.choice(d.DATE_SHAPES).format(
            d=when.day, month=month, abbr=abbr, be=be, be2=str(be)[-2:], td=d.thai_digits(f"{when.day:02d}"),
            tm=d.thai_digits(f"{when.month:02d}"), tbe=d.thai_digits(str(be)), ce=when.year,
            mm=f"{when.month:02d}", dd=f"{when.day:02d}",
        )  # fmt: skip

    def _submit(self, form_id: str, person: Person | str, answers: dict[str, Any], when: datetime) -> str:
        email = person if isinstance(person, str) else person.email
        self.used.add(self._key(form_id, email, answers))
        body = {"respondentEmail": email, "answers": answers, "submittedAt": format_time(when)}
        response_id: str = self.responses.submit(form_id, body)["responseId"]
        return response_id

    @staticmethod
    def _key(form_id: str, email: str, answers: dict[str, Any]) -> tuple[str, ...]:
        return (form_id, email, answers[d.Q_INDICATOR][0], answers[d.Q_ROUND][0])

    def _eligible(self, form_id: str) -> list[Person]:
        if form_id == d.FORM_TEACHER:
            return [p for p in self.people if p.role == d.ROLE_TEACHER]
        if form_id == d.FORM_DISTRICT:
            return [p for p in self.people if p.role == d.ROLE_DISTRICT]
        return [p for p in self.people if p.role != d.ROLE_EXECUTIVE]

    def _special_responses(self) -> None:
        m = self.manifest
        files = m["files"]
        teacher = self._eligible(d.FORM_TEACHER)[0]
        other = self._eligible(d.FORM_TEACHER)[1]
        all_ind, tch, six, nine = (
            d.INDICATORS[d.FORM_ALL],
            d.INDICATORS[d.FORM_TEACHER],
            d.ROUNDS[0],
            d.ROUNDS[1],
        )
        drive_link = "https://drive.google.com/file/d/{}/view?usp=sharing".format
        key = files["resource_key"]
        specials = {
            "unreadable": [drive_link(files["unreadable"])],
            "deleted": [drive_link(files["deleted"])],
            "trashed": [f"https://drive.google.com/open?id={files['trashed']}"],
            "folder": [f"https://drive.google.com/drive/folders/{files['folder']}"],
            "shortcut": [drive_link(files["shortcut"])],
            "resource_key": [f"{drive_link(key['id'])}&resourcekey={key['resource_key']}"],
            "youtube": [
                f"https://www.youtube.com/watch?v={d.YOUTUBE_IDS[0]}",
                f"https://youtu.be/{d.YOUTUBE_IDS[1]}",
            ],
            "website": [d.WEBSITES[0]],
            "text_around_link": [],
        }
        m["evidence_responses"] = {}
        for n, (case, case_links) in enumerate(specials.items()):
            person = self._eligible(d.FORM_ALL)[n + 2]
            links = case_links
            if case == "text_around_link":
                links = [f"ดูหลักฐานที่ {drive_link(self.files[person.email].pop()['id'])} ครับ"]
            answers = self._answers(person, d.FORM_ALL, all_ind[0], six, links=links, uploads=[])
            m["evidence_responses"][case] = self._submit(d.FORM_ALL, person, answers, self._when(six))
        shared = self.files[teacher.email].pop()
        both = []
        for person in (teacher, other):
            answers = self._answers(
                person, d.FORM_TEACHER, tch[4], six, links=[self._link(shared)], uploads=[]
            )
            both.append(self._submit(d.FORM_TEACHER, person, answers, self._when(six)))
        m["shared_file"] = {"file_id": shared["id"], "response_ids": both}
        awards = {
            f"{d.Q_AWARDS} [{row}]": [v] for row, v in zip(d.AWARD_ROWS, ["1", "0", "1", "0"], strict=True)
        }
        answers = self._answers(teacher, d.FORM_TEACHER, tch[0], six, **awards)
        m["tch1_awards"] = {"response_id": self._submit(d.FORM_TEACHER, teacher, answers, self._when(six)),
                            "email": teacher.email, "expected_points": 7}  # fmt: skip
        edited_by = self._eligible(d.FORM_ALL)[20]
        first = self._when(nine)
        answers = self._answers(edited_by, d.FORM_ALL, all_ind[4], nine, **{d.Q_VALUE: ["12"]})
        edited = self._submit(d.FORM_ALL, edited_by, answers, first)
        changed = {**answers, d.Q_VALUE: ["18"]}
        self.responses.edit(
            d.FORM_ALL, edited, {"answers": changed, "submittedAt": format_time(first + timedelta(days=2))}
        )
        m["edited_response"] = {
            "form_id": d.FORM_ALL,
            "response_id": edited,
            "value_before": "12",
            "value_after": "18",
        }
        late_by = self._eligible(d.FORM_ALL)[21]
        late_at = datetime.fromisoformat(d.ROUND_WINDOWS[six][1]) + timedelta(days=3)
        answers = self._answers(late_by, d.FORM_ALL, all_ind[1], six)
        late = self._submit(d.FORM_ALL, late_by, answers, late_at)
        m["late_response"] = {
            "form_id": d.FORM_ALL,
            "response_id": late,
            "round": six,
            "deadline": d.ROUND_WINDOWS[six][1],
        }
        dup_by = self._eligible(d.FORM_ALL)[22]
        when = self._when(six)
        pair = [
            self._submit(
                d.FORM_ALL,
                dup_by,
                self._answers(dup_by, d.FORM_ALL, all_ind[2], six),
                when + timedelta(days=k),
            )
            for k in (0, 5)
        ]
        m["duplicate_pair"] = {
            "form_id": d.FORM_ALL,
            "earlier": pair[0],
            "later": pair[1],
            "email": dup_by.email,
        }
        stranger = Person(d.NOT_IN_ROSTER, "นายสมชาย ภายนอก", "", d.ROLE_TEACHER, "")
        answers = self._answers(stranger, d.FORM_ALL, all_ind[0], six, links=[], uploads=[])
        outsider = self._submit(d.FORM_ALL, stranger, answers, self._when(six))
        m["not_in_roster"] = {"form_id": d.FORM_ALL, "email": d.NOT_IN_ROSTER, "response_id": outsider}
        m["risky_notes"] = {}
        for n, note in enumerate(d.RISKY_NOTES):
            person = self._eligible(d.FORM_ALL)[30 + n]
            answers = self._answers(person, d.FORM_ALL, all_ind[3], nine, note=note)
            m["risky_notes"][note] = self._submit(d.FORM_ALL, person, answers, self._when(nine))

    def _filler_responses(self) -> None:
        total = sum(len(v) for v in self.forms.data["responses"].values())
        form_ids = [d.FORM_ALL, d.FORM_TEACHER, d.FORM_DISTRICT]
        while total < MIN_RESPONSES + 10:
            for form_id in form_ids:
                for person in self._eligible(form_id):
                    if self.rng.random() < 0.45:
                        round_label = self.rng.choice(d.ROUNDS)
                        indicator = self.rng.choice(d.INDICATORS[form_id])
                        if (form_id, person.email, indicator[1], round_label) in self.used:
                            continue
                        answers = self._answers(person, form_id, indicator, round_label)
                        self._submit(form_id, person, answers, self._when(round_label))
                        total += 1
