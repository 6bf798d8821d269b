"""Forms v1 structure: forms.create, forms.batchUpdate (createItem, deleteItem, updateFormInfo,
updateSettings), forms.get and forms.setPublishSettings, with Google's id assignment (8-hex itemIds and
questionIds) and a revisionId that moves on a change of content (not of publish settings).

Pages followed: https://developers.google.com/workspace/forms/api/reference/rest/v1/forms,
.../forms/batchUpdate, .../forms/setPublishSettings and
https://developers.google.com/workspace/forms/api/guides/api-changes-to-google-forms.
Who may call them: sandbox/access.py. Responses live in sandbox/responses.py.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from sandbox.access import Sharing
from sandbox.core import SERVICE_ACCOUNT, ApiError, ApiRequest, ApiResponse, Router, Store
from sandbox.limits import Clock

QUESTION_KINDS = (
    "choiceQuestion",
    "textQuestion",
    "scaleQuestion",
    "dateQuestion",
    "timeQuestion",
    "fileUploadQuestion",
    "rowQuestion",
    "ratingQuestion",
)
ITEM_KINDS = ("questionItem", "questionGroupItem", "pageBreakItem", "textItem", "imageItem", "videoItem")
REQUEST_KINDS = ("createItem", "deleteItem", "moveItem", "updateItem", "updateFormInfo", "updateSettings")


def not_found() -> ApiError:
    return ApiError(404, "Requested entity was not found.")


def bad(message: str) -> ApiError:
    return ApiError(400, message, reason="badRequest")


class FormsService:
    """The forms section of the store: {"forms": {formId: Form}, "responses": {formId: {responseId: ...}}}."""

    def __init__(self, store: Store, clock: Clock, sharing: Sharing | None = None) -> None:
        self.store = store
        self.clock = clock
        self.sharing = sharing or Sharing(store)

    @property
    def data(self) -> dict[str, Any]:
        section = self.store.section("forms")
        section.setdefault("forms", {})
        section.setdefault("responses", {})
        section.setdefault("counter", 0)
        return section

    def _next_hex(self, salt: str) -> str:
        """A fresh 8-hex id, deterministic for a given history so seeds are reproducible."""
        data = self.data
        data["counter"] += 1
        return hashlib.sha256(f"{salt}:{data['counter']}".encode()).hexdigest()[:8]

    def form(self, form_id: str) -> dict[str, Any]:
        found: dict[str, Any] | None = self.data["forms"].get(form_id)
        if found is None:
            raise not_found()
        return found

    def create(
        self,
        body: dict[str, Any],
        *,
        form_id: str | None = None,
        owner: str = SERVICE_ACCOUNT,
        editors: list[str] | None = None,
        published: bool = True,
    ) -> dict[str, Any]:
        """forms.create: Google copies only info.title and info.documentTitle and refuses anything else. The
        form belongs to ``owner``; it is published and accepting responses unless ``published`` is False
        (the ``unpublished`` query parameter)."""
        extra = set(body) - {"info"}
        info = body.get("info") or {}
        if extra or set(info) - {"title", "documentTitle"}:
            raise bad(
                "Only info.title and info.documentTitle can be set when creating a form; "
                "add items and settings with batchUpdate."
            )
        with self.store.lock:
            data = self.data
            if form_id is None:
                digest = hashlib.sha256(f"form:{data['counter']}:{info}".encode()).hexdigest()
                form_id = "1" + digest[:43]
                data["counter"] += 1
            if form_id in data["forms"]:
                raise ApiError(409, f"Form {form_id} already exists.")
            title = info.get("title", "")
            form = {
                "formId": form_id,
                "info": {
                    "title": title,
                    "documentTitle": info.get("documentTitle", title or "Untitled form"),
                },
                "settings": {},
                "revisionId": "00000001",
                "responderUri": f"https://docs.google.com/forms/d/e/{form_id[::-1]}/viewform",
                "items": [],
                "publishSettings": {
                    "publishState": {"isPublished": published, "isAcceptingResponses": published}
                },
            }
            data["forms"][form_id] = form
            data["responses"][form_id] = {}
            self.store.save("forms")
            self.sharing.created("forms", form_id, owner, editors)
            return _without_empty(copy.deepcopy(form))

    def batch_update(
        self, form_id: str, body: dict[str, Any], *, allow_file_upload: bool = False
    ) -> dict[str, Any]:
        """forms.batchUpdate, all requests or none. ``allow_file_upload`` is for the seed only: Google's API
        cannot create file upload questions, only the Forms editor can."""
        with self.store.lock:
            form = self.form(form_id)
            required = (body.get("writeControl") or {}).get("requiredRevisionId")
            if required is not None and required != form["revisionId"]:
                raise ApiError(
                    400,
                    f"The required revision ID {required!r} does not match.",
                    status="FAILED_PRECONDITION",
                )
            draft = copy.deepcopy(form)
            replies = []
            for index, request in enumerate(body.get("requests") or []):
                kinds = [k for k in REQUEST_KINDS if k in request]
                if len(kinds) != 1:
                    raise bad(f"requests[{index}] must set exactly one kind of request.")
                replies.append(self._apply(draft, kinds[0], request[kinds[0]], index, allow_file_upload))
            if draft != form:
                draft["revisionId"] = f"{int(form['revisionId']) + 1:08d}"
                self.data["forms"][form_id] = draft
                self.store.save("forms")  # the id counter may have moved too
            result: dict[str, Any] = {
                "replies": replies,
                "writeControl": {"requiredRevisionId": draft["revisionId"]},
            }
            if body.get("includeFormInResponse"):
                result["form"] = copy.deepcopy(draft)
            return result

    def _apply(
        self, form: dict[str, Any], kind: str, request: dict[str, Any], index: int, allow_file_upload: bool
    ) -> dict[str, Any]:
        items: list[dict[str, Any]] = form["items"]
        if kind == "createItem":
            position = (request.get("location") or {}).get("index")
            if position is None or not 0 <= int(position) <= len(items):
                raise bad(f"requests[{index}].createItem.location.index must be in [0, {len(items)}].")
            item = copy.deepcopy(request.get("item") or {})
            question_ids = self._prepare_item(form, item, index, allow_file_upload)
            items.insert(int(position), item)
            return {"createItem": {"itemId": item["itemId"], "questionId": question_ids}}
        if kind == "deleteItem":
            position = (request.get("location") or {}).get("index")
            if position is None or not 0 <= int(position) < len(items):
                raise bad(f"requests[{index}].deleteItem.location.index is out of range.")
            del items[int(position)]
            return {}
        if kind == "updateFormInfo":
            self._update_masked(form["info"], request.get("info") or {}, request.get("updateMask"), index)
            return {}
        if kind == "updateSettings":
            self._update_masked(
                form["settings"], request.get("settings") or {}, request.get("updateMask"), index
            )
            return {}
        raise ApiError(501, f"The sandbox does not emulate {kind}.", status="UNIMPLEMENTED")

    @staticmethod
    def _update_masked(target: dict[str, Any], source: dict[str, Any], mask: str | None, index: int) -> None:
        if not mask:
            raise bad(f"requests[{index}]: updateMask is required.")
        fields = list(source) if mask == "*" else [f.strip() for f in mask.split(",")]
        for path in fields:
            head, _, rest = path.partition(".")
            if rest:
                target.setdefault(head, {})[rest] = (source.get(head) or {}).get(rest)
            elif head in source:
                target[head] = source[head]
            else:
                target.pop(head, None)

    def _prepare_item(
        self, form: dict[str, Any], item: dict[str, Any], index: int, allow_upload: bool
    ) -> list[str]:
        kinds = [k for k in ITEM_KINDS if k in item]
        if len(kinds) != 1:
            raise bad(f"requests[{index}].createItem.item must set exactly one kind of item.")
        used = {i["itemId"] for i in form["items"]} | set(question_titles(form))
        item_id = item.get("itemId") or self._fresh(used, form["formId"])
        if item_id in used:
            raise bad(f"Item ID {item_id} is already used in this form.")
        item["itemId"] = item_id
        used.add(item_id)
        questions: list[dict[str, Any]] = []
        if "questionItem" in item:
            questions = [item["questionItem"].setdefault("question", {})]
        elif "questionGroupItem" in item:
            group = item["questionGroupItem"]
            questions = group.get("questions") or []
            columns = (group.get("grid") or {}).get("columns") or {}
            if not questions or not columns.get("options"):
                raise bad(f"requests[{index}]: a question group needs questions and grid.columns.options.")
            if any("rowQuestion" not in q for q in questions):
                raise bad(f"requests[{index}]: every question of a grid must be a rowQuestion.")
        ids = []
        for question in questions:
            self._check_question(question, index, allow_upload)
            qid = question.get("questionId") or self._fresh(used, form["formId"])
            if qid in used:
                raise bad(f"Question ID {qid} is already used in this form.")
            question["questionId"] = qid
            used.add(qid)
            ids.append(qid)
        return ids

    def _fresh(self, used: set[str], salt: str) -> str:
        while True:
            candidate = self._next_hex(salt)
            if candidate not in used:
                return candidate

    @staticmethod
    def _check_question(question: dict[str, Any], index: int, allow_upload: bool) -> None:
        kinds = [k for k in QUESTION_KINDS if k in question]
        if len(kinds) != 1:
            raise bad(f"requests[{index}]: a question must set exactly one kind of question.")
        if kinds[0] == "fileUploadQuestion" and not allow_upload:
            raise bad("The API currently does not support creating file upload questions.")
        if kinds[0] == "choiceQuestion":
            choice = question["choiceQuestion"]
            if choice.get("type") in {None, "CHOICE_TYPE_UNSPECIFIED"} or not choice.get("options"):
                raise bad(f"requests[{index}]: a choice question needs a type and at least one option.")

    def set_publish_settings(self, form_id: str, body: dict[str, Any]) -> dict[str, Any]:
        """forms.setPublishSettings: both publishState booleans at once, never accepting while unpublished.
        A legacy form (no publishSettings) is refused, as the method's page says."""
        with self.store.lock:
            form = self.form(form_id)
            if "publishSettings" not in form:
                raise ApiError(
                    400,
                    "Legacy forms aren't supported because they don't have the publish_settings field.",
                    status="FAILED_PRECONDITION",
                )
            mask = body.get("updateMask") or "*"
            if mask not in {"*", "publishState", "publish_state"}:
                raise bad(f'Invalid update mask "{mask}": only "publish_state" and "*" are accepted.')
            state = (body.get("publishSettings") or {}).get("publishState")
            if not isinstance(state, dict) or {"isPublished", "isAcceptingResponses"} - set(state):
                raise bad("publish_state needs both is_published and is_accepting_responses.")
            if state["isAcceptingResponses"] and not state["isPublished"]:
                raise bad("Setting is_accepting_responses to true and is_published to false isn't supported.")
            form["publishSettings"] = {"publishState": dict(state)}
            self.store.save("forms", "forms", form_id)
            return {"formId": form_id, "publishSettings": copy.deepcopy(form["publishSettings"])}

    # --- HTTP handlers -------------------------------------------------------------------------------

    def http_create(self, req: ApiRequest) -> ApiResponse:
        unpublished = (req.param("unpublished") or "false").lower() == "true"
        return ApiResponse(200, self.create(req.body or {}, owner=req.caller, published=not unpublished))

    def http_batch_update(self, req: ApiRequest) -> ApiResponse:
        self.sharing.require("forms", req.path_params["formId"], req.caller, write=True)
        return ApiResponse(200, self.batch_update(req.path_params["formId"], req.body or {}))

    def http_get(self, req: ApiRequest) -> ApiResponse:
        self.sharing.require("forms", req.path_params["formId"], req.caller, write=False)
        with self.store.lock:
            return ApiResponse(200, _without_empty(copy.deepcopy(self.form(req.path_params["formId"]))))

    def http_publish(self, req: ApiRequest) -> ApiResponse:
        self.sharing.require("forms", req.path_params["formId"], req.caller, write=True)
        return ApiResponse(200, self.set_publish_settings(req.path_params["formId"], req.body or {}))

    def register(self, router: Router) -> None:
        router.add("POST", "/v1/forms", "forms.forms.create", "forms", self.http_create)
        router.add(
            "POST",
            "/v1/forms/{formId}:batchUpdate",
            "forms.forms.batchUpdate",
            "forms",
            self.http_batch_update,
        )
        router.add("GET", "/v1/forms/{formId}", "forms.forms.get", "forms", self.http_get)
        router.add(
            "POST",
            "/v1/forms/{formId}:setPublishSettings",
            "forms.forms.setPublishSettings",
            "forms",
            self.http_publish,
        )


def _without_empty(form: dict[str, Any]) -> dict[str, Any]:
    # Google's JSON leaves out empty repeated fields and empty settings.
    return {k: v for k, v in form.items() if v not in ([], None) and not (k == "settings" and v == {})}


def question_titles(form: dict[str, Any]) -> dict[str, str]:
    """questionId -> the title a respondent sees: "Item", or "Item [Row]" for a grid row (as in a Sheet)."""
    titles = {}
    for item in form["items"]:
        if "questionItem" in item:
            titles[item["questionItem"]["question"]["questionId"]] = item.get("title", "")
        for question in item.get("questionGroupItem", {}).get("questions", []):
            row = question.get("rowQuestion", {}).get("title", "")
            titles[question["questionId"]] = f"{item.get('title', '')} [{row}]"
    return titles


def questions(form: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """questionId -> the Question, with grid rows given their grid's columns as a choiceQuestion."""
    found = {}
    for item in form["items"]:
        if "questionItem" in item:
            question = item["questionItem"]["question"]
            found[question["questionId"]] = question
        group = item.get("questionGroupItem")
        if group:
            for question in group.get("questions", []):
                found[question["questionId"]] = {**question, "choiceQuestion": group["grid"]["columns"]}
    return found
