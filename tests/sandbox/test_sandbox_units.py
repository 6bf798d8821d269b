"""Pure parts of the sandbox: the fields mask, the discovery checks, timestamps, the batch codec."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox import batch, discovery, fieldmask
from sandbox.core import ApiError, ApiResponse
from sandbox.responses import format_time, to_nanos
from sandbox.server import Sandbox, make_server

FILE = {
    "id": "1",
    "name": "a",
    "owners": [{"emailAddress": "e", "displayName": "d"}],
    "shortcutDetails": {"targetId": "t"},
}


def test_mask_parses_nested_and_slash_forms() -> None:
    """``a,b(c,d)`` and ``b/c`` both select into b; repeated selections merge."""
    assert fieldmask.parse("id,owners(emailAddress,displayName)") == {
        "id": None,
        "owners": {"emailAddress": None, "displayName": None},
    }
    assert fieldmask.parse("owners/emailAddress,owners/displayName") == fieldmask.parse(
        "owners(emailAddress,displayName)"
    )


@pytest.mark.parametrize("text", ["", "a,", "a(b", "a)b", "a()", "a//b"])
def test_mask_refuses_malformed_selections(text: str) -> None:
    """Unbalanced or empty selections answer 400 "Invalid field selection"."""
    with pytest.raises(ApiError) as caught:
        fieldmask.parse(text)
    assert caught.value.code == 400


def test_mask_checks_names_against_the_schema() -> None:
    """A field the Drive File schema does not have is refused; nested known fields pass."""
    spec = discovery.response_schema("drive.files.get")
    fieldmask.check("drive", fieldmask.parse("id,owners(emailAddress),shortcutDetails/targetId"), spec)
    with pytest.raises(ApiError, match="owners/colour"):
        fieldmask.check("drive", fieldmask.parse("owners(colour)"), spec)


def test_mask_masks_lists_and_maps() -> None:
    """List elements and map values are masked one by one (a response's answers map)."""
    spec = discovery.response_schema("forms.forms.responses.list")
    body = {
        "responses": [
            {"responseId": "r", "answers": {"q1": {"questionId": "q1", "textAnswers": {"answers": []}}}}
        ]
    }
    masked = fieldmask.apply(fieldmask.parse("responses(answers(questionId))"), body, spec, "forms")
    assert masked == {"responses": [{"answers": {"q1": {"questionId": "q1"}}}]}


@given(st.sets(st.sampled_from(sorted(FILE))))
def test_mask_keeps_exactly_the_selected_top_level_fields(chosen: set[str]) -> None:
    """Selecting any set of top-level fields keeps exactly those present, with their whole values."""
    if not chosen:
        return
    masked = fieldmask.apply(fieldmask.parse(",".join(sorted(chosen))), FILE)
    assert masked == {k: FILE[k] for k in chosen}


def test_unknown_query_parameter_message_matches_google() -> None:
    """The refusal of an unknown parameter uses Google's wording and names the parameter."""
    with pytest.raises(ApiError) as caught:
        discovery.check_params("forms.forms.get", {"foo": ["1"]})
    assert caught.value.message.startswith(
        'Invalid JSON payload received. Unknown name "foo": Cannot bind query parameter.'
    )


def test_standard_parameters_are_allowed() -> None:
    """alt, fields, prettyPrint, quotaUser and $.xgafv are accepted on every method."""
    standard = {"alt": ["json"], "fields": ["id"], "prettyPrint": ["false"], "quotaUser": ["u"]}
    discovery.check_params("drive.files.get", {**standard, "$.xgafv": ["2"], "supportsAllDrives": ["true"]})


def test_body_path_uses_proto_names() -> None:
    """An unknown nested field is reported at its snake_case proto path, as Google does."""
    with pytest.raises(ApiError) as caught:
        discovery.check_body(
            "forms.forms.batchUpdate", {"requests": [{"createItem": {"item": {"bogus": 1}}}]}
        )
    assert "at 'requests[0].create_item.item'" in caught.value.message


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1)), st.integers(0, 10**6))  # noqa: DTZ001 - naive bounds
def test_timestamps_order_like_the_instants_they_name(moment: datetime, micros: int) -> None:
    """to_nanos preserves the order of instants, so the filter compares time, not strings."""
    first = moment.replace(tzinfo=UTC)
    later = first + timedelta(microseconds=micros + 1000)
    assert to_nanos(format_time(first)) < to_nanos(format_time(later))
    assert (
        to_nanos(format_time(first))
        == int(first.replace(microsecond=first.microsecond // 1000 * 1000).timestamp()) * 10**9
        + first.microsecond // 1000 * 10**6
    )


def test_nanosecond_precision_is_kept() -> None:
    """A filter bound with nanoseconds separates instants a microsecond clock could not."""
    assert to_nanos("2026-01-01T00:00:00.000000001Z") > to_nanos("2026-01-01T00:00:00Z")


def test_batch_codec_round_trip() -> None:
    """A multipart request parses into its calls; the answer carries Content-ID response-<id> per call."""
    body = (
        b"--B\r\nContent-Type: application/http\r\nContent-ID: <u + 1>\r\n\r\n"
        b"GET /drive/v3/files/abc?fields=id HTTP/1.1\r\nX-Goog-Drive-Resource-Keys: abc/0-k\r\n\r\n"
        b"\r\n--B--\r\n"
    )
    (part,) = batch.parse('multipart/mixed; boundary="B"', body, {"x-sandbox-caller": "me@x"})
    assert part.content_id == "u + 1" and part.request.path == "/drive/v3/files/abc"
    assert part.request.params == {"fields": ["id"]}
    assert part.request.headers["x-goog-drive-resource-keys"] == "abc/0-k"
    content_type, answer = batch.build([("u + 1", ApiResponse(404, {"error": {"code": 404}}))])
    assert content_type.startswith("multipart/mixed; boundary=")
    assert b"Content-ID: <response-u + 1>" in answer and b"HTTP/1.1 404 Not Found" in answer


def test_query_booleans_are_read_case_insensitively() -> None:
    """``False`` (as gspread sends it) is a boolean to Google; ``maybe`` is refused as TYPE_BOOL."""
    discovery.check_params("drive.files.get", {"supportsAllDrives": ["False"]})
    with pytest.raises(ApiError, match="TYPE_BOOL"):
        discovery.check_params("drive.files.get", {"supportsAllDrives": ["maybe"]})


def test_a_client_gone_mid_answer_prints_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A killed or timed-out client (BrokenPipe, ConnectionReset) is not logged; any other error is."""
    server = make_server(Sandbox(tmp_path))
    try:
        for gone in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset")):
            try:
                raise gone
            except ConnectionError:
                server.handle_error(None, ("127.0.0.1", 1))
        assert capsys.readouterr().err == ""
        try:
            raise ValueError("the sandbox's own bug")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 1))
        assert "ValueError: the sandbox's own bug" in capsys.readouterr().err
    finally:
        server.server_close()
