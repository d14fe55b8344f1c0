"""The reviews a points scheme's claim procedure took (docs/points.md): each instance is about
one claim (its subject), and its steps into ``member_approved`` and ``approved`` — or into
``refused`` from either — are the linked member's and the committee's reviews, by whoever
took the step, on its day. The ledger posts from them as from a ledger file's reviews, so the
procedure's chained steps are the record of every posting they make."""

from __future__ import annotations

from governance_core.errors import LedgerError, Problem
from governance_core.messages import _
from governance_core.rules.points import ClaimReviews, Review
from governance_core.runtime import Event, ProcessStore

__all__ = ["claim_reviews"]

MEMBER_APPROVED, APPROVED = "member_approved", "approved"
REFUSED = ("refused", "rejected")


def _review(event: Event) -> tuple[str, Review] | None:
    """Which review a step is (``member`` or ``committee``), or None for another step."""
    day = event.at.date()
    note = event.note or ""
    if event.dest == MEMBER_APPROVED:
        return "member", Review(event.actor, day, True, note)
    if event.dest == APPROVED:
        return "committee", Review(event.actor, day, True, note)
    if event.dest in REFUSED:
        stage = "committee" if event.source == MEMBER_APPROVED else "member"
        return stage, Review(event.actor, day, False, note)
    return None


def claim_reviews(store: ProcessStore, process: str) -> dict[str, ClaimReviews]:
    """The reviews each instance of ``process`` took, by the claim it is about; LedgerError
    when two instances reviewed one claim (which one counts is a person's decision)."""
    found: dict[str, ClaimReviews] = {}
    twice: list[Problem] = []
    for instance in store.instances():
        if instance.process != process:
            continue
        reviews = ClaimReviews(instance.id)
        for event in store.events(instance.id):
            taken = _review(event)
            if taken is not None:
                stage, review = taken
                reviews = ClaimReviews(
                    instance.id,
                    review if stage == "member" else reviews.member,
                    review if stage == "committee" else reviews.committee,
                )
        if reviews.member is None and reviews.committee is None:
            continue
        first = found.get(instance.subject)
        if first is not None:
            message = _("claim {claim} is reviewed by two procedure instances: {first} and {other}")
            hint = _("close one of them: a claim is reviewed once")
            said = message.format(claim=instance.subject, first=first.by, other=instance.id)
            twice.append(Problem(said, hint=hint))
            continue
        found[instance.subject] = reviews
    if twice:
        raise LedgerError(twice)
    return found
