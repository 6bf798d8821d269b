"""Who sent a response when the form collects no email: the name typed, matched against the roster.

Names are compared after taking away what people type differently: titles (นาย, นาง, นางสาว, น.ส., ดร.,
ว่าที่ ร.ต., Mr., Dr., …), spaces, zero-width characters and case. A title is tried both ways (taken away and
kept), because some given names start like one (นางนวล). A name that fits two roster people is never guessed:
it is reported ambiguous, with the people it fits. Pure: no database, no network.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

from daemon.sync.normalize import Normalized
from scoring.flags import FlagCode, FlagHit

# Longest first, so นางสาว is taken before นาง. English titles only with their dot (Dr. but not Drew).
_TITLES = (
    "ว่าที่ร้อยตรีหญิง", "ว่าที่ร้อยตรี", "ว่าที่ร.ต.หญิง", "ว่าที่ร.ต.", "ว่าที่ร.ท.", "ว่าที่ร.อ.",
    "ผู้ช่วยศาสตราจารย์", "รองศาสตราจารย์", "ศาสตราจารย์", "ผศ.ดร.", "รศ.ดร.", "ผศ.", "รศ.", "ศ.",
    "นางสาว", "น.ส.", "ด.ร.", "ดร.", "นาง", "นาย", "mrs.", "mr.", "ms.", "dr.",
)  # fmt: skip
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")


def _plain(text: str) -> str:
    """NFC, no invisible characters, no spaces at all, lower case."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", text))
    return _SPACES.sub("", text).casefold()


def name_forms(text: str) -> frozenset[str]:
    """Every way ``text`` may be written without its titles: as typed, then with each leading title taken
    away in turn (ว่าที่ ร.ต. ดร. สมชาย → สมชาย)."""
    plain = _plain(text)
    forms = {plain} if plain else set()
    rest = plain
    while True:
        title = next((t for t in _TITLES if rest.startswith(t) and len(rest) > len(t)), None)
        if title is None:
            break
        rest = rest[len(title) :]
        forms.add(rest)
    return frozenset(forms)


@dataclass(frozen=True)
class NameMatch:
    email: str | None  # the one roster person the name fits, else None
    candidates: tuple[str, ...] = ()  # every person it fits (two or more: ambiguous)

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


class RosterNames:
    """The roster's names, ready to match a typed name against."""

    def __init__(self, people: Iterable[tuple[str, str]]) -> None:
        """``people``: (email, name) of each person."""
        self._people = [(e, n) for e, n in people if n.strip()]
        self._cached: list[tuple[str, frozenset[str]]] | None = None

    @property
    def _forms(self) -> list[tuple[str, frozenset[str]]]:
        # Worked out on the first match: most forms collect verified emails and never ask.
        if self._cached is None:
            self._cached = [(e, name_forms(n)) for e, n in self._people]
        return self._cached

    def digest(self) -> str:
        """A digest of the names matched against: when it changes, responses without an email are matched
        again."""
        text = "\n".join(f"{e}\t{n}" for e, n in sorted(self._people))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def match(self, typed: str) -> NameMatch:
        wanted = name_forms(typed)
        if not wanted:
            return NameMatch(None)
        # The most specific fit first: a name equal to a roster name as written beats one that needs its
        # titles taken away, so นางนวล ใจดี is not read as นวล ใจดี when both are in the roster.
        exact = sorted({e for e, forms in self._forms if _plain(typed) in forms})
        fits = exact or sorted({e for e, forms in self._forms if forms & wanted})
        return NameMatch(fits[0] if len(fits) == 1 else None, tuple(fits))


def identify(normalized: Normalized, roster: RosterNames) -> Normalized:
    """A response with no email, given the email of the one roster person its typed name fits; a name that
    fits several gets the ambiguous-name flag naming them (and no email), one that fits nobody stays as it
    is (the results then flag it not in the roster, by the name typed)."""
    found = roster.match(normalized.respondent_name)
    if found.email is not None:
        return replace(normalized, email=found.email)
    if found.ambiguous:
        detail = f"{normalized.respondent_name}: {', '.join(found.candidates)}"
        return replace(normalized, flags=(*normalized.flags, FlagHit(FlagCode.AMBIGUOUS_NAME, detail)))
    return normalized
