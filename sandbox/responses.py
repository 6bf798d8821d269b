"""Forms v1 responses: responses.list (paging, the timestamp filter) and responses.get, plus the sandbox-only
respondent endpoints Google has no API for (submit, edit, owner delete).

Pages followed: https://developers.google.com/workspace/forms/api/reference/rest/v1/forms.responses/list and
.../forms.responses. Undocumented behaviour, stricter choice (see sandbox/README.md): the filter compares
``lastSubmittedTime``; results come in an order unrelated to time (by a hash of the responseId); a pageSize
above 5000 or below 0 is refused.
"""

from __future__ import annotations

import base64
import calendar
import copy
import hashlib
import json
import re
from datetime import datetime
from typing import Any

from sandbox import discovery
from sandbox.core import ApiError, ApiRequest, ApiResponse, Router
from sandbox.forms import FormsService, bad, not_found, question_titles, questions

MAX_PAGE = 5000
_TIME = r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z"
_FILTER = re.compile(rf"^\s*timestamp\s*(>=|>)\s*{_TIME}\s*$")


def to_nanos(stamp: str) -> int:
    """RFC3339 UTC "Zulu" time to integer nanoseconds, so comparisons keep every digit Google may send."""
    found = re.fullmatch(_TIME, stamp)
    if not found:
        raise ValueError(stamp)
    *parts, frac = found.groups()
    seconds = calendar.timegm((*(int(p) for p in parts), 0, 0, 0))
    return seconds * 10**9 + int((frac or "0").ljust(9, "0"))


def format_time(when: datetime) -> str:
    """Google's timestamp shape: UTC, milliseconds, a Z."""
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def with_digits(stamp: str, digits: int) -> str:
    """The same instant with exactly ``digits`` fractional digits (truncated, or padded with zeros). Forms
    answers ``createTime`` with milliseconds and ``lastSubmittedTime`` with microseconds, as in Google's own
    sample output ("2021-03-25T01:23:58.146Z" and "2021-03-25T01:23:58.146607Z")."""
    found = re.fullmatch(_TIME, stamp)
    if not found:
        raise ValueError(stamp)
    fraction = (found.group(7) or "").ljust(digits, "0")[:digits]
    return f"{stamp.split('.', maxsplit=1)[0].rstrip('Z')}.{fraction}Z"


def micro_time(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond:06d}Z"


def collects_email(form: dict[str, Any]) -> bool:
    """VERIFIED and RESPONDER_INPUT record an address; DO_NOT_COLLECT and an unset setting do not."""
    return form.get("settings", {}).get("emailCollectionType") in {"VERIFIED", "RESPONDER_INPUT"}


def accepting(form: dict[str, Any]) -> bool:
    """Whether respondents can submit: legacy forms (no publishSettings) always could."""
    state = form.get("publishSettings", {}).get("publishState", {})
    return bool(state.get("isAcceptingResponses", True)) if "publishSettings" in form else True


class ResponsesService:
    def __init__(self, forms: FormsService) -> None:
        self.forms = forms
        self.store = forms.store

    def _responses(self, form_id: str) -> dict[str, dict[str, Any]]:
        self.forms.form(form_id)
        found: dict[str, dict[str, Any]] = self.forms.data["responses"].setdefault(form_id, {})
        return found

    # --- respondent side (sandbox only) ----------------------------------------------------------------

    def submit(self, form_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """A respondent submits the form. ``submittedAt``/``responseId`` let a seed pin history."""
        _only(body, {"respondentEmail", "answers", "submittedAt", "responseId"})
        with self.store.lock:
            form = self.forms.form(form_id)
            _check_accepting(form)
            responses = self._responses(form_id)
            when = _stamp(body.get("submittedAt")) or micro_time(self.forms.clock.now())
            email = body.get("respondentEmail")
            kind = form.get("settings", {}).get("emailCollectionType")
            if kind in {"VERIFIED", "RESPONDER_INPUT"} and not email:
                raise bad(f"This form collects emails ({kind}): respondentEmail is required.")
            response_id = body.get("responseId") or self._new_id(form_id)
            if response_id in responses:
                raise ApiError(409, f"Response {response_id} already exists.")
            response: dict[str, Any] = {
                "formId": form_id,
                "responseId": response_id,
                "createTime": with_digits(when, 3),
                "lastSubmittedTime": with_digits(when, 6),
                "answers": self._answers(form, body.get("answers") or {}),
            }
            if email and collects_email(form):  # a form that does not collect addresses records none
                response["respondentEmail"] = email
            responses[response_id] = response
            self.store.save("forms")  # the response and the id counter
            return copy.deepcopy(response)

    def edit(self, form_id: str, response_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """The respondent edits: same responseId, answers replaced, lastSubmittedTime moves forward."""
        _only(body, {"answers", "submittedAt"})
        with self.store.lock:
            form = self.forms.form(form_id)
            response = self._responses(form_id).get(response_id)
            if response is None:
                raise not_found()
            _check_accepting(form)
            when = _stamp(body.get("submittedAt")) or micro_time(self.forms.clock.now())
            if to_nanos(when) <= to_nanos(response["lastSubmittedTime"]):
                raise bad("An edit must be submitted after the response it changes.")
            response["answers"] = self._answers(form, body.get("answers") or {})
            response["lastSubmittedTime"] = with_digits(when, 6)
            self.store.save("forms", "responses", form_id, response_id)
            return copy.deepcopy(response)

    def delete(self, form_id: str, response_id: str) -> None:
        with self.store.lock:
            if self._responses(form_id).pop(response_id, None) is None:
                raise not_found()
            self.store.save("forms", "responses", form_id)

    def _new_id(self, form_id: str) -> str:
        digest = hashlib.sha256(f"{form_id}:{self.forms._next_hex(form_id)}".encode()).digest()
        return "ACYDBN" + base64.urlsafe_b64encode(digest).decode().rstrip("=").replace("-", "x").replace(
            "_", "y"
        )

    def _answers(self, form: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
        """Answers keyed by questionId or by the title a respondent sees; lists of strings or Answer JSON."""
        known = questions(form)
        by_title = {title: qid for qid, title in question_titles(form).items()}
        answers: dict[str, Any] = {}
        for key, value in given.items():
            qid = key if key in known else by_title.get(key)
            if qid is None:
                raise bad(f"The form has no question {key!r}.")
            answer = (
                {"textAnswers": {"answers": [{"value": str(v)} for v in value]}}
                if isinstance(value, list)
                else value
            )
            discovery.check_value("forms", {"$ref": "Answer"}, answer, f"answers[{qid}]")
            answer = {"questionId": qid, **{k: v for k, v in answer.items() if k != "questionId"}}
            _check_answer(known[qid], answer, key)
            answers[qid] = answer
        for qid, question in known.items():
            if question.get("required") and qid not in answers:
                raise bad(f"Question {qid} is required.")
        return answers

    # --- reading (Forms v1) ------------------------------------------------------------------------------

    def list(self, form_id: str, params: dict[str, list[str]]) -> dict[str, Any]:
        raw_filter = (params.get("filter") or [""])[0]
        bound = _parse_filter(raw_filter) if raw_filter else None
        size = int((params.get("pageSize") or ["0"])[0])
        if size < 0 or size > MAX_PAGE:
            raise bad(f"pageSize must be between 0 and {MAX_PAGE}.")
        size = size or MAX_PAGE
        after = _read_token((params.get("pageToken") or [""])[0], form_id, raw_filter)
        with self.store.lock:
            rows = sorted(self._responses(form_id).values(), key=lambda r: _order_key(r["responseId"]))
            if bound is not None:
                op, limit = bound
                rows = [r for r in rows if _passes(to_nanos(r["lastSubmittedTime"]), op, limit)]
            if after:
                rows = [r for r in rows if _order_key(r["responseId"]) > after]
            page = [{k: v for k, v in r.items() if k != "formId"} for r in copy.deepcopy(rows[:size])]
        result: dict[str, Any] = {}
        if page:
            result["responses"] = page
        if len(rows) > size:
            result["nextPageToken"] = _make_token(form_id, raw_filter, _order_key(page[-1]["responseId"]))
        return result

    def get(self, form_id: str, response_id: str) -> dict[str, Any]:
        with self.store.lock:
            response = self._responses(form_id).get(response_id)
            if response is None:
                raise not_found()
            return copy.deepcopy(response)

    # --- HTTP -----------------------------------------------------------------------------------------------

    def register(self, router: Router) -> None:
        p = "/v1/forms/{formId}/responses"
        router.add("GET", p, "forms.forms.responses.list", "forms", self._http_list)
        router.add("GET", p + "/{responseId}", "forms.forms.responses.get", "forms", self._http_get)
        s = "/sandbox/forms/{formId}/responses"
        router.add("POST", s, None, "sandbox", self._http_submit)
        router.add("PUT", s + "/{responseId}", None, "sandbox", self._http_edit)
        router.add("DELETE", s + "/{responseId}", None, "sandbox", self._http_delete)

    def _http_list(self, req: ApiRequest) -> ApiResponse:
        self.forms.sharing.require("forms", req.path_params["formId"], req.caller, write=False)
        return ApiResponse(200, self.list(req.path_params["formId"], req.params))

    def _http_get(self, req: ApiRequest) -> ApiResponse:
        self.forms.sharing.require("forms", req.path_params["formId"], req.caller, write=False)
        return ApiResponse(200, self.get(req.path_params["formId"], req.path_params["responseId"]))

    def _http_submit(self, req: ApiRequest) -> ApiResponse:
        return ApiResponse(200, self.submit(req.path_params["formId"], _object(req.body)))

    def _http_edit(self, req: ApiRequest) -> ApiResponse:
        pp = req.path_params
        return ApiResponse(200, self.edit(pp["formId"], pp["responseId"], _object(req.body)))

    def _http_delete(self, req: ApiRequest) -> ApiResponse:
        self.delete(req.path_params["formId"], req.path_params["responseId"])
        return ApiResponse(200, {})


def _check_accepting(form: dict[str, Any]) -> None:
    if not accepting(form):
        raise ApiError(
            400, f"The form {form['formId']} is not accepting responses.", status="FAILED_PRECONDITION"
        )


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad("The body must be a JSON object.")
    return body


def _only(body: dict[str, Any], allowed: set[str]) -> None:
    extra = set(body) - allowed
    if extra:
        raise bad(f"Unknown field(s) {sorted(extra)}; allowed: {sorted(allowed)}.")


def _stamp(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(_TIME, value):
        raise bad(f"{value!r} is not an RFC3339 UTC time like 2026-03-01T10:00:00.000Z.")
    return value


def _check_answer(question: dict[str, Any], answer: dict[str, Any], key: str) -> None:
    if "fileUploadAnswers" in answer:
        if "fileUploadQuestion" not in question:
            raise bad(f"Question {key!r} does not take file uploads.")
        return
    values = [a.get("value", "") for a in answer.get("textAnswers", {}).get("answers", [])]
    choice = question.get("choiceQuestion")
    if choice:
        options = {o.get("value") for o in choice.get("options", [])}
        other = any(o.get("isOther") for o in choice.get("options", []))
        if choice.get("type") != "CHECKBOX" and len(values) > 1:
            raise bad(f"Question {key!r} takes one choice.")
        if not other and any(v not in options for v in values):
            raise bad(f"{values!r} is not among the options of {key!r}.")
    elif "fileUploadQuestion" in question:
        raise bad(f"Question {key!r} takes file uploads.")


def _parse_filter(text: str) -> tuple[str, int]:
    found = _FILTER.match(text)
    if not found:
        raise ApiError(
            400,
            f'Invalid filter "{text}": only "timestamp > T" and "timestamp >= T" with T in RFC3339 UTC '
            "are supported.",
            reason="invalidArgument",
            location="filter",
        )
    return found.group(1), to_nanos(text.split(found.group(1), 1)[1].strip())


def _passes(value: int, op: str, limit: int) -> bool:
    return value > limit if op == ">" else value >= limit


def _order_key(response_id: str) -> str:
    return hashlib.sha256(response_id.encode()).hexdigest()


def _make_token(form_id: str, raw_filter: str, after: str) -> str:
    data = json.dumps({"f": form_id, "q": raw_filter, "a": after}).encode()
    return base64.urlsafe_b64encode(data).decode()


def _read_token(token: str, form_id: str, raw_filter: str) -> str:
    if not token:
        return ""
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
        after = str(data["a"])
        same = data["f"] == form_id and data["q"] == raw_filter
    except (ValueError, KeyError, TypeError):
        raise ApiError(
            400, "The page token is invalid.", reason="invalidArgument", location="pageToken"
        ) from None
    if not same:
        raise ApiError(
            400,
            "The page token does not belong to this request: the form and the filter must be the same.",
            reason="invalidArgument",
            location="pageToken",
        )
    return after
