"""Update masks (``fields``) in Google's syntax, applied to the JSON a request replaces."""

from __future__ import annotations

import copy
from typing import Any

from sandbox.core import ApiError
from sandbox.fieldmask import camel


def field_paths(mask: str) -> list[str]:
    """``a(b,c),d/e`` → ``["a.b", "a.c", "d.e"]`` (Google accepts both ``.`` and ``/``, and names in
    camelCase or separated_by_underscores: https://developers.google.com/workspace/sheets/api/guides/field-masks)."""
    out: list[str] = []

    def walk(text: str, prefix: str) -> None:
        depth, start = 0, 0
        parts = []
        for i, ch in enumerate(text):
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            elif ch == "," and depth == 0:
                parts.append(text[start:i])
                start = i + 1
        parts.append(text[start:])
        for part in (p.strip() for p in parts):
            if not part:
                continue
            if "(" in part and part.endswith(")"):
                head, _, inner = part.partition("(")
                walk(inner[:-1], prefix + _names(head) + ".")
            else:
                out.append(prefix + _names(part))

    walk(mask or "", "")
    return out


def _names(path: str) -> str:
    return ".".join(camel(name) for name in path.replace("/", ".").split("."))


def apply_fields(
    target: dict[str, Any], source: dict[str, Any], mask: str | None, everything: tuple[str, ...]
) -> None:
    """Copy the masked fields from source to target; a masked field absent from source is cleared."""
    if not mask:
        raise ApiError(400, "At least one field must be updated, but 'fields' is empty.")
    paths = field_paths(mask)
    if "*" in paths:
        paths = [*everything, *(k for k in source if k not in everything)]
    for path in paths:
        keys = path.split(".")
        src: Any = source
        for key in keys:
            src = src.get(key) if isinstance(src, dict) else None
        node = target
        for key in keys[:-1]:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):
                raise ApiError(400, f"Invalid field mask: {path}")
        if src is None:
            node.pop(keys[-1], None)
        else:
            node[keys[-1]] = copy.deepcopy(src)
