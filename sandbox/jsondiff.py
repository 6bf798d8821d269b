"""Differences between two JSON documents as a short list of absolute operations, and applying them.

The store (sandbox/store.py) journals what a call changed instead of rewriting whole data files: it keeps a
copy of what is on disk, diffs the live state against it after each change, appends the operations and
applies them to the copy. Operations name a location by its path of keys and list indexes and assign it:

- ``["set", path, value]``: the value at ``path`` becomes ``value`` (a new key, or a changed value);
- ``["del", path]``: the key at ``path`` is removed;
- ``["splice", path, start, values]``: the list at ``path`` keeps its first ``start`` items and continues
  with ``values`` (a list that grew, shrank, or changed from ``start`` on); skipped when the list is shorter
  than ``start``, which only happens when replaying over a state a later operation already shortened.

Values Python calls equal count as unchanged, also across types (``1``, ``1.0`` and ``True``): the
comparison runs at C speed that way, and the sandbox never swaps one such value for another in place.

Every operation is absolute, so replaying a journal over a state that already holds some of it ends in the
same state: a compaction killed halfway cannot double an appended row. An operation whose parent is gone
(removed by a later operation) is skipped on replay.
"""

from __future__ import annotations

from typing import Any

Path = list[str | int]
Op = list[Any]


def clone(value: Any) -> Any:
    """A deep copy of a JSON value (dicts, lists, scalars), several times faster than copy.deepcopy."""
    kind = type(value)
    if kind is dict:
        return {k: clone(v) for k, v in value.items()}
    if kind is list:
        return [clone(v) for v in value]
    return value


def diff(old: Any, new: Any, path: Path | None = None) -> list[Op]:
    """The operations that turn ``old`` into ``new`` (empty when they are equal)."""
    out: list[Op] = []
    _diff(old, new, list(path or []), out)
    return out


def _diff(old: Any, new: Any, path: Path, out: list[Op]) -> None:
    if old == new and type(old) is type(new):
        return
    if type(old) is dict and type(new) is dict:
        for key in old:
            if key not in new:
                out.append(["del", [*path, key]])
        for key, value in new.items():
            if key not in old:
                out.append(["set", [*path, key], clone(value)])
            else:
                _diff(old[key], value, [*path, key], out)
        return
    if type(old) is list and type(new) is list:
        common = 0
        limit = min(len(old), len(new))
        while common < limit and old[common] == new[common]:
            common += 1
        if len(old) == len(new):
            # Same length: change items in place, so one edited row costs one row.
            for index in range(common, len(new)):
                _diff(old[index], new[index], [*path, index], out)
            return
        out.append(["splice", path, common, clone(new[common:])])
        return
    out.append(["set", path, clone(new)])


def apply(doc: dict[str, Any], ops: list[Op], *, copy_values: bool = True) -> None:
    """Apply operations to ``doc`` in place (values are copied unless ``copy_values`` is False)."""
    for op in ops:
        kind, path = op[0], op[1]
        if not path:
            if kind == "set" and isinstance(op[2], dict):
                doc.clear()
                doc.update(clone(op[2]) if copy_values else op[2])
            continue
        parent = _walk(doc, path[:-1])
        if parent is None:
            continue
        last = path[-1]
        if kind == "set":
            value = clone(op[2]) if copy_values else op[2]
            if isinstance(parent, dict) or _has_index(parent, last):
                parent[last] = value
        elif kind == "del":
            if isinstance(parent, dict):
                parent.pop(last, None)
        elif kind == "splice":
            target = parent.get(last) if isinstance(parent, dict) else _index(parent, last)
            if isinstance(target, list) and len(target) >= op[2]:
                values = clone(op[3]) if copy_values else op[3]
                del target[op[2] :]
                target.extend(values)


def _walk(doc: Any, path: Path) -> Any:
    node = doc
    for key in path:
        if (isinstance(node, dict) and key in node) or _has_index(node, key):
            node = node[key]
        else:
            return None
    return node


def _has_index(node: Any, key: str | int) -> bool:
    return isinstance(node, list) and isinstance(key, int) and key < len(node)


def _index(parent: Any, key: str | int) -> Any:
    return parent[key] if _has_index(parent, key) else None


def get(doc: Any, path: Path) -> Any:
    """The value at ``path``, or None."""
    return _walk(doc, path)
