"""The fixed shape of the sample world: its people (the roster) and the items of its forms."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sandbox import seed_data as d

if TYPE_CHECKING:
    from sandbox.drive import DriveService
    from sandbox.forms import FormsService

MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "jpg": "image/jpeg",
    "mp4": "video/mp4",
    "doc": "application/vnd.google-apps.document",
    "sheet": "application/vnd.google-apps.spreadsheet",
    "slides": "application/vnd.google-apps.presentation",
}


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    unit: str
    role: str
    staff_type: str


def roster(rng: random.Random) -> list[Person]:
    """48 people: 30 teachers, 3 planning, 3 finance, 9 district offices, 3 executives."""
    people = []
    used: set[str] = set()

    def name() -> str:
        while True:
            female = rng.random() < 0.6
            first = rng.choice(d.FIRST_NAMES_F if female else d.FIRST_NAMES_M)
            full = f"{rng.choice(['นางสาว', 'นาง']) if female else 'นาย'}{first} {rng.choice(d.LAST_NAMES)}"
            if full not in used:
                used.add(full)
                return full

    for n in range(30):
        slug, district = d.DISTRICTS[n % len(d.DISTRICTS)]
        kind = d.STAFF_TYPES[n % 3]
        people.append(
            Person(
                f"teacher{n + 1:02d}.{slug}@{d.DOMAIN}", name(), f"สกร.อำเภอ{district}", d.ROLE_TEACHER, kind
            )
        )
    for role, prefix in ((d.ROLE_PLANNING, "plan"), (d.ROLE_FINANCE, "finance")):
        for n in range(3):
            kind = d.STAFF_TYPES[n % 2]
            people.append(Person(f"{prefix}{n + 1}@{d.DOMAIN}", name(), d.PROVINCE_UNIT, role, kind))
    for slug, district in d.DISTRICTS:
        unit = f"สกร.อำเภอ{district}"
        people.append(Person(f"district.{slug}@{d.DOMAIN}", unit, unit, d.ROLE_DISTRICT, "ข้าราชการ"))
    for n in range(3):
        people.append(
            Person(f"director{n + 1}@{d.DOMAIN}", name(), d.PROVINCE_UNIT, d.ROLE_EXECUTIVE, "ข้าราชการ")
        )
    return people


def form_items(form_id: str, folder_id: str) -> list[dict[str, Any]]:
    """The ten items of every form, in SAMPLE_SPEC order; the option texts are exact."""

    def choice(kind: str, values: list[str]) -> dict[str, Any]:
        return {"choiceQuestion": {"type": kind, "options": [{"value": v} for v in values]}}

    def item(title: str, question: dict[str, Any]) -> dict[str, Any]:
        return {"title": title, "questionItem": {"question": question}}

    names = [name for _, name, _ in d.INDICATORS[form_id]]
    return [
        item(d.Q_NAME, {"required": True, "textQuestion": {}}),
        item(d.Q_INDICATOR, {"required": True, **choice("RADIO", names)}),
        item(d.Q_ROUND, {"required": True, **choice("RADIO", d.ROUNDS)}),
        item(d.Q_VALUE, {"textQuestion": {}}),
        item(d.Q_STEPS, choice("CHECKBOX", d.STEPS)),
        {
            "title": d.Q_AWARDS,
            "questionGroupItem": {
                "questions": [{"rowQuestion": {"title": row}} for row in d.AWARD_ROWS],
                "grid": {"columns": {"type": "RADIO", "options": [{"value": c} for c in d.AWARD_COLUMNS]}},
            },
        },
        item(d.Q_LINKS, {"textQuestion": {"paragraph": True}}),
        item(
            d.Q_UPLOAD,
            {"fileUploadQuestion": {"folderId": folder_id, "maxFiles": 5, "maxFileSize": "10485760"}},
        ),
        item(d.Q_DATE, {"textQuestion": {}}),
        item(d.Q_NOTE, {"textQuestion": {"paragraph": True}}),
    ]


def create_form(drive: DriveService, forms: FormsService, form_id: str, kind: str, title: str) -> str:
    """A form shaped like the sample's ``kind`` (one of its form ids), made as the office makes one: its
    upload folder in Drive, verified emails, the ten items. Returns the upload folder's id."""
    from sandbox.drive import FOLDER  # noqa: PLC0415 - sandbox.drive is heavier than these shapes

    folder = drive.put_file(
        {"name": f"{title} (File responses)", "mimeType": FOLDER, "owners": [{"emailAddress": d.FORM_OWNER}]}
    )
    forms.create({"info": {"title": title}}, form_id=form_id, owner=d.FORM_OWNER, editors=[d.SERVICE_ACCOUNT])
    settings = {"settings": {"emailCollectionType": "VERIFIED"}, "updateMask": "emailCollectionType"}
    requests: list[dict[str, Any]] = [{"updateSettings": settings}]
    requests += [
        {"createItem": {"item": item, "location": {"index": i}}}
        for i, item in enumerate(form_items(kind, folder["id"]))
    ]
    forms.batch_update(form_id, {"requests": requests}, allow_file_upload=True)
    return str(folder["id"])


def put_evidence_file(
    drive: DriveService, rng: random.Random, owner: str, name: str, kind: str, **access: Any
) -> dict[str, Any]:
    """A file of ``kind`` (a MIME key) owned by ``owner``; uploads get a size and an md5, Google's own
    documents have neither."""
    meta: dict[str, Any] = {"name": name, "mimeType": MIME[kind], "owners": [{"emailAddress": owner}]}
    if kind not in {"doc", "sheet", "slides"}:
        size = rng.randint(40_000, 90_000_000 if kind == "mp4" else 4_000_000)
        meta.update(size=str(size), md5Checksum=f"{rng.getrandbits(128):032x}")
    return drive.put_file(meta, **access)
