"""What the derived parts of the store are computed from, as digests: a sync with nothing new compares them
with what the store recorded (``daemon.store.models.Derived``) and recomputes nothing.

Scores, flags and figures (part ``results``) are a function of the stored submissions, evidence verdicts,
people and committee entries, and of the settings, the rubric set and the code that computes them. The sync
marks a part stale in the same transaction as any input it changes; the digest covers the rest, so an edited
rubric, a changed setting or an upgraded kpisync recomputes everything once, without anyone remembering to
run ``kpisync rescore``. The code is digested from its source files, so no version number has to be bumped.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

from daemon.settings import Settings

RESULTS = "results"
DASHBOARD = "dashboard"
DERIVED = (RESULTS, DASHBOARD)

# The code each part's output depends on (packages are taken whole).
RESULTS_CODE = ("scoring", "daemon.results", "daemon.store.models")
DASHBOARD_CODE = (*RESULTS_CODE, "daemon.dashboard")


@cache
def source_digest(modules: tuple[str, ...]) -> str:
    """A digest of the source files of ``modules`` (a package: every .py file in it, recursively)."""
    digest = hashlib.sha256()
    for name in modules:
        module = import_module(name)
        path = Path(str(module.__file__))
        files = sorted(path.parent.rglob("*.py")) if path.name == "__init__.py" else [path]
        for file in files:
            if "migrations" in file.parts:
                continue
            digest.update(str(file.relative_to(path.parent)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def digest_of(*parts: Any) -> str:
    """A digest of JSON-able parts (anything else by its ``repr``, which frozen dataclasses make stable)."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=repr)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def settings_part(settings: Settings) -> dict[str, Any]:
    """The settings that shape scores, flags and the Sheet (not credentials, schedule or paths)."""
    rubrics = settings.rubrics
    return {
        "settings": settings.model_dump(
            mode="json", exclude={"rubrics", "config_path", "database", "google"}
        ),
        "indicators": {code: i.version for code, i in rubrics.indicators.items()},
        "scale": rubrics.scale.model_dump(mode="json"),
        "categories": {k: v.model_dump(mode="json") for k, v in rubrics.categories.items()},
        "rounds": sorted(repr(r) for r in settings.round_map().values()),
        "fiscal_year": settings.fiscal_year_be,
    }


def results_digest(settings: Settings) -> str:
    return digest_of(settings_part(settings), source_digest(RESULTS_CODE))
