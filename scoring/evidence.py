"""Whether a submission's evidence meets the documents its indicator requires.

The seed's committee could not verify criteria whose report never reached the province; naming the missing
document in a flag is how kpisync makes that visible. Every kind gets these flags; the evidence-present kind
also scores by them.
"""

from __future__ import annotations

import re

from scoring.explain import Lang, list_text, say
from scoring.facts import EvidenceFact, SubmissionFacts
from scoring.flags import FlagCode, FlagHit
from scoring.model import EvidenceReport, EvidenceRequirement, Indicator

# File names stand "_", "-" and "." in for spaces ("KM_plan_2567.pdf"), so all of them compare as one space.
_SEPARATORS = re.compile(r"[\s_.\-]+")


def _words(text: str) -> str:
    return _SEPARATORS.sub(" ", text.casefold()).strip()


def _could_be(requirement: EvidenceRequirement, fact: EvidenceFact) -> bool:
    """Whether ``fact`` may be the required document: its name matches, or nothing is known of it to say
    it is not (a link that cannot be opened has neither a real name nor a kind)."""
    if not fact.is_link:
        return False
    if not fact.kind_known or not requirement.match:
        return True
    name = _words(fact.name)
    return any(_words(word) in name for word in requirement.match)


def _right_kind(requirement: EvidenceRequirement, fact: EvidenceFact) -> bool:
    return fact.kind_known and (not requirement.kinds or fact.kind in requirement.kinds)


def _names(facts: list[EvidenceFact]) -> str:
    return list_text([fact.name or fact.kind.value for fact in facts])


def check_requirement(
    requirement: EvidenceRequirement, evidence: tuple[EvidenceFact, ...], lang: Lang
) -> tuple[bool, str, FlagHit | None]:
    """(met, explanation line, flag) for one required document.

    A readable file of the right kind and name meets it. Otherwise the flag is the most useful one: a
    candidate exists but cannot be opened (unreadable: a file of the right kind, or a link whose kind
    nobody can know), or can be opened but is the wrong kind (a photo where a video was required), or
    nothing resembles it at all (missing; an answer that is no link at all is nothing).
    """
    doc = requirement.label(lang)
    named = [fact for fact in evidence if _could_be(requirement, fact)]
    good = [fact for fact in named if fact.readable and _right_kind(requirement, fact)]
    if good:
        return True, say("ev_ok", lang, doc=doc, files=_names(good)), None
    waiting = [fact for fact in named if not fact.checked]
    if waiting:
        # Drive has not answered about these yet: neither "unreadable" nor "missing" would be true.
        return False, say("ev_unchecked", lang, doc=doc, files=_names(waiting)), None
    unreadable = [
        fact
        for fact in named
        if not fact.readable and (not fact.kind_known or _right_kind(requirement, fact))
    ]
    if unreadable:
        line = say("ev_unreadable", lang, doc=doc, files=_names(unreadable))
        return False, line, FlagHit(FlagCode.EVIDENCE_UNREADABLE, f"{doc}: {_names(unreadable)}")
    wrong = [fact for fact in named if fact.readable and fact.kind_known]
    if wrong:
        kinds = list_text([kind.value for kind in requirement.kinds])
        got = list_text(sorted({fact.kind.value for fact in wrong}))
        line = say("ev_wrong_kind", lang, doc=doc, kinds=kinds, got=got)
        return False, line, FlagHit(FlagCode.EVIDENCE_WRONG_KIND, f"{doc}: {kinds} ≠ {got}")
    return False, say("ev_missing", lang, doc=doc), FlagHit(FlagCode.EVIDENCE_MISSING, doc)


def check_evidence(indicator: Indicator, facts: SubmissionFacts, lang: Lang = "th") -> EvidenceReport:
    """The report over every requirement of the indicator (an indicator without requirements is satisfied)."""
    lines: list[str] = []
    flags: list[FlagHit] = []
    satisfied = True
    awaiting = False
    for requirement in indicator.required_evidence:
        met, line, flag = check_requirement(requirement, facts.evidence, lang)
        satisfied = satisfied and met
        lines.append(line)
        if flag is not None:
            flags.append(flag)
        elif not met:
            awaiting = True
    return EvidenceReport(
        satisfied=satisfied, lines=tuple(lines), flags=tuple(flags), awaiting_check=awaiting and not flags
    )
