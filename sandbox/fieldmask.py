"""The ``fields`` partial-response mask: ``a,b(c,d),e/f`` and ``*``, checked against the response schema.

Google answers only the selected fields, and refuses a selection naming a field the resource does not have
(Drive: 400 "Invalid field selection x"). Selections under a map (e.g. a response's ``answers``) select from
each value of the map. The one-platform APIs (Forms, Sheets) take the FieldMask JSON form as well: subfields
dot-separated (``sheets.properties.title``) and names in camelCase or separated_by_underscores
(https://developers.google.com/workspace/sheets/api/guides/field-masks); Drive keeps its ``a/b`` form.
"""

from __future__ import annotations

import re
from typing import Any

from sandbox import discovery
from sandbox.core import ApiError

# name -> sub-mask; None means "the whole field".
Mask = dict[str, "Mask | None"]


def _bad(text: str) -> ApiError:
    return ApiError(400, f"Invalid field selection {text}", reason="invalidParameter", location="fields")


def camel(name: str) -> str:
    """``sheet_id`` -> ``sheetId`` (a camelCase name is unchanged)."""
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), name)


def parse(text: str, api: str = "drive") -> Mask:
    """Parse a fields expression into a tree; raises ApiError for unbalanced or empty selections."""
    compact = text.replace(" ", "")
    mask, rest = _parse_list(compact, 0, text, api != "drive")
    if rest != len(compact):
        raise _bad(text)
    return mask


def _parse_list(text: str, pos: int, original: str, field_mask_form: bool) -> tuple[Mask, int]:
    mask: Mask = {}
    while True:
        start = pos
        while pos < len(text) and text[pos] not in ",()":
            pos += 1
        path = text[start:pos]
        if not path:
            raise _bad(original)
        sub: Mask | None = None
        if pos < len(text) and text[pos] == "(":
            sub, pos = _parse_list(text, pos + 1, original, field_mask_form)
            if pos >= len(text) or text[pos] != ")":
                raise _bad(original)
            pos += 1
        parts = [camel(p) for p in re.split(r"[./]", path)] if field_mask_form else path.split("/")
        _insert(mask, parts, sub, original)
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        return mask, pos


def _insert(mask: Mask, parts: list[str], sub: Mask | None, original: str) -> None:
    if any(not p for p in parts):
        raise _bad(original)
    head, rest = parts[0], parts[1:]
    if not rest:
        if head in mask and mask[head] is not None and sub is not None:
            mask[head] = {**(mask[head] or {}), **sub}
        else:
            mask[head] = None if (head in mask and mask[head] is None) else sub
        return
    child = mask.get(head, {})
    if child is None:
        return  # the whole field is already selected
    mask[head] = child
    _insert(child, rest, sub, original)


def check(api: str, mask: Mask, spec: dict[str, Any] | None, path: str = "") -> None:
    """Refuse selections naming fields the schema does not have."""
    if spec is None:
        return
    spec = _resolve(api, spec)
    for name, sub in mask.items():
        if name == "*":
            continue
        props = spec.get("properties")
        if spec.get("type") == "array":
            check(api, {name: sub}, spec.get("items"), path)
            continue
        if props is None:
            if "additionalProperties" in spec:
                check(api, {name: sub} if sub is None else sub, spec["additionalProperties"], path)
                continue
            raise _bad(f"{path}{name}")
        if name not in props:
            raise _bad(f"{path}{name}")
        if sub is not None:
            check(api, sub, props[name], f"{path}{name}/")


def _resolve(api: str, spec: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in spec:
        spec = discovery.schema(api, spec["$ref"])
    return spec


def apply(mask: Mask, value: Any, spec: dict[str, Any] | None = None, api: str = "") -> Any:
    """Keep only the selected fields of a JSON value (lists and map values are masked element by element)."""
    if "*" in mask:
        return value
    if isinstance(value, list):
        item_spec = _resolve(api, spec).get("items") if spec else None
        return [apply(mask, item, item_spec, api) for item in value]
    if not isinstance(value, dict):
        return value
    resolved = _resolve(api, spec) if spec else {}
    if "additionalProperties" in resolved and "properties" not in resolved:
        return {k: apply(mask, v, resolved["additionalProperties"], api) for k, v in value.items()}
    props = resolved.get("properties", {})
    out: dict[str, Any] = {}
    for name, sub in mask.items():
        if name in value:
            out[name] = value[name] if sub is None else apply(sub, value[name], props.get(name), api)
    return out
