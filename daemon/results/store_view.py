"""What scoring, the totals and the dashboard read of the store, read once per sync.

Scoring, the person-round figures and the dashboard model each look at the same active submissions, people,
evidence, committee entries and version numbers. Read separately, a first sync of 10,000 responses loaded
every submission seven times and every evidence item twice; ``StoreView.read`` loads them once, after
superseding (the one step that changes submissions), and the steps after it share the objects.

The view is valid until the next commit of its session (a commit expires the objects, and reading an
expired one costs a query each): the sync builds it, scores, totals and lays out the dashboard without
committing in between.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from daemon.results.committee import review_applies
from daemon.results.evidence import EvidenceView, evidence_views
from daemon.store import records, repo
from daemon.store.models import Person, Review
from daemon.store.records import SubmissionRecord


@dataclass(frozen=True)
class StoreView:
    submissions: list[SubmissionRecord]  # active (not withdrawn), by key
    people: dict[str, Person]  # everyone ever in the roster, by email (``active`` tells who still is)
    evidence: dict[str, list[EvidenceView]]  # by submission key
    reviews: dict[str, Review]  # the committee's current entry, by submission key
    numbers: dict[int, int]  # response version id → its number within the response (ฉบับที่)

    @classmethod
    def read(cls, session: Session) -> StoreView:
        return cls(
            submissions=records.active_submissions(session),
            people={p.email: p for p in session.exec(select(Person)).all()},
            evidence=evidence_views(session),
            reviews=repo.current_reviews(session),
            numbers=repo.version_numbers(session),
        )

    @property
    def roster(self) -> dict[str, Person]:
        """The people in the roster as last read."""
        return {email: p for email, p in self.people.items() if p.active}

    def reviews_in_force(self) -> tuple[dict[str, Review], dict[str, Review]]:
        """The committee's current words by submission, split into those that judge the version the
        submission counts and those given on an earlier version (the respondent edited since): these no
        longer count."""
        counted = {sub.key: sub.response_version_id for sub in self.submissions}
        applying: dict[str, Review] = {}
        stale: dict[str, Review] = {}
        for key, review in self.reviews.items():
            version = counted.get(key)
            if version is None or review_applies(review.response_version_id, version):
                applying[key] = review
            else:
                stale[key] = review
        return applying, stale
