"""The per-row way, for comparison: what a script written in an afternoon does with the same forms.

Every run it reads each form and all of its responses, reads the key and timestamp columns of its sheet,
then for each response not in the sheet calls gspread's ``append_row`` (one Sheets call per submission), for
each edited one ``update`` of its row, and for the evidence of every row it writes one Drive ``files.get``
per file. No batching, no scoring, no checkpoint: the shape of most Forms-to-Sheet scripts.

It goes through the same real client libraries and the same ledger transports as kpisync, so calls and bytes
are counted the same way. Run as a process of its own by the bench:

    python -m bench.baseline --base-url URL --config kpisync.toml --spreadsheet ID --ledger OUT.json
"""

from __future__ import annotations

import argparse
import json
import re
import tomllib
from dataclasses import asdict
from pathlib import Path
from typing import Any

import google_auth_httplib2
import gspread
import httplib2
from google.auth.credentials import AnonymousCredentials
from googleapiclient.discovery import build
from gspread.utils import ValueInputOption

from connectors.ledger import ApiLedger, LedgerHttp, LedgerSession

_DRIVE_ID = re.compile(r"(?:/d/|[?&]id=|/folders/)([A-Za-z0-9_-]{10,})")
_RESOURCE_KEY = re.compile(r"resourcekey=([A-Za-z0-9_-]+)")
HEADER = ["responseId", "lastSubmittedTime", "email", "answers", "evidence"]


class PerRow:
    """One run of the per-row script against ``base_url``."""

    def __init__(self, base_url: str, ledger: ApiLedger, timeout: float = 120.0) -> None:
        creds = AnonymousCredentials()  # type: ignore[no-untyped-call]
        self.ledger = ledger

        def http() -> Any:
            return google_auth_httplib2.AuthorizedHttp(creds, http=httplib2.Http(timeout=timeout))

        self.forms_http = LedgerHttp(ledger, "forms", http, credentials=creds)
        self.drive_http = LedgerHttp(ledger, "drive", http, credentials=creds)
        base = base_url.rstrip("/")
        self.forms = build(
            "forms", "v1", http=self.forms_http, static_discovery=True, cache_discovery=False,
            client_options={"api_endpoint": base + "/"},
        )  # fmt: skip
        self.drive = build(
            "drive", "v3", http=self.drive_http, static_discovery=True, cache_discovery=False,
            client_options={"api_endpoint": base + "/drive/v3/"},
        )  # fmt: skip
        self.session = LedgerSession(creds, ledger, base_url=base, timeout=timeout)
        self.sheets = gspread.Client(auth=creds, session=self.session)

    def run(self, form_ids: list[str], spreadsheet_id: str) -> dict[str, int]:
        worksheet = self.sheets.open_by_key(spreadsheet_id).sheet1
        stored: list[list[str]] = list(worksheet.get("A:B"))
        if not any(stored):
            worksheet.append_row(HEADER, value_input_option=ValueInputOption.raw)
            stored = [HEADER]
        row_of = {row[0]: (n + 1, row[1] if len(row) > 1 else "") for n, row in enumerate(stored) if row}
        counts = {"appended": 0, "updated": 0, "files": 0}
        for form_id in form_ids:
            form = (
                self.forms.forms()
                .get(formId=form_id)
                .execute(http=self.forms_http.bound("forms.forms.get", 1))
            )
            titles = _titles(form)
            for response in self._responses(form_id):
                known = row_of.get(response["responseId"])
                if known is not None and known[1] == response["lastSubmittedTime"]:
                    continue
                row = self._row(response, titles, counts)
                if known is None:
                    worksheet.append_row(row, value_input_option=ValueInputOption.raw)
                    counts["appended"] += 1
                else:
                    worksheet.update(values=[row], range_name=f"A{known[0]}", raw=True)
                    counts["updated"] += 1
        return counts

    def _responses(self, form_id: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        token = None
        while True:
            request = self.forms.forms().responses().list(formId=form_id, pageToken=token)
            page = request.execute(http=self.forms_http.bound("forms.forms.responses.list", 1))
            out.extend(page.get("responses", []))
            token = page.get("nextPageToken")
            if not token:
                return out

    def _row(self, response: dict[str, Any], titles: dict[str, str], counts: dict[str, int]) -> list[str]:
        answers: list[str] = []
        ids: dict[str, str | None] = {}
        for qid, answer in sorted(response.get("answers", {}).items()):
            texts = [a.get("value", "") for a in answer.get("textAnswers", {}).get("answers", [])]
            uploads = answer.get("fileUploadAnswers", {}).get("answers", [])
            answers.append(f"{titles.get(qid, qid)}: {' | '.join(texts + [u['fileName'] for u in uploads])}")
            for text in texts:
                for line in text.split():
                    for file_id in _DRIVE_ID.findall(line):
                        key = _RESOURCE_KEY.search(line)
                        ids[file_id] = key.group(1) if key else None
            ids.update({u["fileId"]: None for u in uploads})
        evidence = [f"{file_id}: {self._check(file_id, key)}" for file_id, key in ids.items()]
        counts["files"] += len(ids)
        email = str(response.get("respondentEmail", ""))
        return [
            response["responseId"],
            response["lastSubmittedTime"],
            email,
            "\n".join(answers),
            "\n".join(evidence),
        ]

    def _check(self, file_id: str, resource_key: str | None) -> str:
        request = self.drive.files().get(
            fileId=file_id, fields="id,name,mimeType,trashed", supportsAllDrives=True
        )
        if resource_key:
            request.headers["X-Goog-Drive-Resource-Keys"] = f"{file_id}/{resource_key}"
        try:
            meta = request.execute(http=self.drive_http.bound("drive.files.get", 1))
        except Exception as exc:  # the per-row way writes what went wrong into the row
            return f"error {getattr(getattr(exc, 'resp', None), 'status', '?')}"
        return "trashed" if meta.get("trashed") else str(meta.get("mimeType", ""))

    def close(self) -> None:
        self.forms_http.close()
        self.drive_http.close()
        self.session.close()  # type: ignore[no-untyped-call]


def _titles(form: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in form.get("items", []):
        question = item.get("questionItem", {}).get("question")
        if question:
            out[question["questionId"]] = item.get("title", "")
        for row in item.get("questionGroupItem", {}).get("questions", []):
            out[row["questionId"]] = (
                f"{item.get('title', '')} [{row.get('rowQuestion', {}).get('title', '')}]"
            )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--config", required=True, type=Path, help="the kpisync.toml whose forms to read")
    parser.add_argument("--spreadsheet", required=True)
    parser.add_argument("--ledger", required=True, type=Path, help="where to write the calls made (JSON)")
    args = parser.parse_args(argv)
    form_ids = [f["form_id"] for f in tomllib.loads(args.config.read_text("utf-8"))["forms"]]
    ledger = ApiLedger()
    script = PerRow(args.base_url, ledger)
    try:
        counts = script.run(form_ids, args.spreadsheet)
    finally:
        script.close()
        calls = [asdict(c) for c in ledger.calls]
        args.ledger.write_text(json.dumps({"calls": calls}), "utf-8")
    args.ledger.with_suffix(".counts.json").write_text(json.dumps(counts), "utf-8")


if __name__ == "__main__":
    main()
