"""Check requests against the discovery documents shipped inside google-api-python-client.

Google's front end refuses a query parameter the method does not declare, a body field its schema does not
have, an enum value outside the list and a value of the wrong type, all with 400 INVALID_ARGUMENT. The
sandbox does the same from the very documents the client library was built from, so it cannot quietly accept
what Google rejects. The messages follow Google's ("Invalid JSON payload received. Unknown name ...") with
proto (snake_case) paths.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import googleapiclient

from sandbox.core import ApiError

DOCUMENTS = {"forms": "forms.v1", "drive": "drive.v3", "sheets": "sheets.v4"}
_INT_FORMATS = {"int32": (-(2**31), 2**31 - 1), "uint32": (0, 2**32 - 1)}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def invalid(message: str, location: str | None = None) -> ApiError:
    return ApiError(400, message, reason="badRequest" if location is None else "invalid", location=location)


@cache
def document(api: str) -> dict[str, Any]:
    """The discovery document of one API ("forms", "drive", "sheets") as shipped in the installed package."""
    folder = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"
    data: dict[str, Any] = json.loads((folder / f"{DOCUMENTS[api]}.json").read_text("utf-8"))
    return data


@cache
def methods(api: str) -> dict[str, dict[str, Any]]:
    """Every method of an API by its discovery id (``forms.forms.responses.list``)."""
    found: dict[str, dict[str, Any]] = {}

    def walk(node: dict[str, Any]) -> None:
        for method in node.get("methods", {}).values():
            found[method["id"]] = method
        for child in node.get("resources", {}).values():
            walk(child)

    walk(document(api))
    return found


def method(method_id: str) -> dict[str, Any]:
    api = method_id.split(".", 1)[0]
    try:
        return methods(api)[method_id]
    except KeyError:
        raise KeyError(f"no discovery method {method_id!r}") from None


def schema(api: str, name: str) -> dict[str, Any]:
    found: dict[str, Any] = document(api)["schemas"][name]
    return found


def response_schema(method_id: str) -> dict[str, Any] | None:
    ref = method(method_id).get("response", {}).get("$ref")
    return schema(method_id.split(".", 1)[0], ref) if ref else None


def check_params(method_id: str, params: dict[str, list[str]]) -> None:
    """Refuse query parameters the method does not declare and values of the wrong type or enum."""
    api = method_id.split(".", 1)[0]
    declared: dict[str, Any] = dict(document(api)["parameters"])
    declared.update(
        {k: v for k, v in method(method_id).get("parameters", {}).items() if v.get("location") == "query"}
    )
    for name, values in params.items():
        spec = declared.get(name)
        if spec is None:
            raise invalid(
                f'Invalid JSON payload received. Unknown name "{name}": Cannot bind query parameter. '
                f"Field '{name}' could not be found in request message.",
                location=name,
            )
        if len(values) > 1 and not spec.get("repeated"):
            raise invalid(f"Parameter '{name}' may be given only once.", location=name)
        for value in values:
            _check_scalar(spec, value, _snake(name), from_query=True)


def check_body(method_id: str, body: Any) -> None:
    """Refuse a body that does not fit the method's request schema, recursively."""
    ref = method(method_id).get("request", {}).get("$ref")
    if ref is None:
        return
    check_value(method_id.split(".", 1)[0], {"$ref": ref}, body, "")


def check_value(api: str, spec: dict[str, Any], value: Any, path: str) -> None:
    """Check one JSON value against a discovery schema fragment; ``path`` is the proto path for messages."""
    if value is None:
        return  # JSON null means "default" to Google's JSON mapping
    if "$ref" in spec:
        spec = schema(api, spec["$ref"])
    kind = spec.get("type")
    if kind == "object" and ("properties" in spec or "additionalProperties" not in spec):
        if not isinstance(value, dict):
            raise invalid(
                f"Invalid value at '{path or 'body'}': expected an object, got {json.dumps(value)}."
            )
        props: dict[str, Any] = spec.get("properties", {})
        for key, item in value.items():
            if key not in props:
                where = f" at '{path}'" if path else ""
                raise invalid(
                    f'Invalid JSON payload received. Unknown name "{key}"{where}: Cannot find field.'
                )
            check_value(api, props[key], item, _join(path, _snake(key)))
    elif kind == "object":
        if not isinstance(value, dict):
            raise invalid(f"Invalid value at '{path}': expected a map, got {json.dumps(value)}.")
        for key, item in value.items():
            check_value(api, spec["additionalProperties"], item, f"{path}[{key}]")
    elif kind == "array":
        if not isinstance(value, list):
            raise invalid(f"Invalid value at '{path}': expected a list, got {json.dumps(value)}.")
        for index, item in enumerate(value):
            check_value(api, spec.get("items", {}), item, f"{path}[{index}]")
    elif kind in {"string", "integer", "number", "boolean"}:
        _check_scalar(spec, value, path, from_query=False)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _check_scalar(spec: dict[str, Any], value: Any, path: str, *, from_query: bool) -> None:
    kind = spec.get("type")
    shown = json.dumps(value, ensure_ascii=False)
    if kind == "string":
        if not isinstance(value, str) and not (spec.get("format") in {"int64", "uint64"} and _is_int(value)):
            raise invalid(f"Invalid value at '{path}' (TYPE_STRING), {shown}")
        if "enum" in spec and value not in spec["enum"]:
            raise invalid(f"Invalid value at '{path}' (TYPE_ENUM), {shown}")
    elif kind == "integer":
        number = _as_int(value)
        low, high = _INT_FORMATS.get(spec.get("format", "int32"), (-(2**63), 2**63 - 1))
        if number is None or not low <= number <= high:
            raise invalid(f"Invalid value at '{path}' (TYPE_INT32), {shown}")
    elif kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if from_query:
            ok = re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", str(value)) is not None
        if not ok:
            raise invalid(f"Invalid value at '{path}' (TYPE_DOUBLE), {shown}")
    elif kind == "boolean":
        # Google reads query booleans case-insensitively (gspread sends Python's "False").
        ok = str(value).lower() in {"true", "false"} if from_query else isinstance(value, bool)
        if not ok:
            raise invalid(f"Invalid value at '{path}' (TYPE_BOOL), {shown}")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _as_int(value: Any) -> int | None:
    if _is_int(value):
        return int(value)
    # Google's JSON mapping also takes an integer written as a string, in a body as in a query.
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    return None
