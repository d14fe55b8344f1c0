"""A ledger file: households, claims with their reviews, and redemptions, replayed in date
order into a :class:`Ledger`. Every refusal is reported at its place in the file, and the
ledger is returned only when the whole file is valid."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from pathlib import Path
from typing import final

import attrs

from governance_core.errors import LedgerError, Problem, UnknownPolicyError
from governance_core.files import load_yaml, structure_located
from governance_core.files.yaml_tree import Located
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.messages import _
from governance_core.model import converter
from governance_core.rules.points._ledger import Claim, Household, Ledger, Redemption, Review

__all__ = ["ClaimReviews", "LedgerFile", "ledger_from", "load_ledger"]


@final
@attrs.frozen(slots=True)
class LedgerFile:
    """The top level of a ledger file."""

    scheme: str
    households: tuple[Household, ...] = ()
    claims: tuple[Claim, ...] = ()
    redemptions: tuple[Redemption, ...] = ()


# the steps of a day in the order they happen: a claim is declared, then reviewed, then
# decided; goods are redeemed after the day's decisions
_DECLARE, _MEMBER, _COMMITTEE, _REDEEM = range(4)


def _rule_of(data: object) -> Callable[[DataPath], str | None]:
    def rule(path: DataPath) -> str | None:
        try:
            return str(data[path[0]][path[1]]["id"])  # type: ignore[index]
        except (IndexError, KeyError, TypeError):
            return None

    return rule


@final
@attrs.frozen(slots=True)
class ClaimReviews:
    """A claim's reviews as its claim procedure took them (``by``: the instance), for the
    claims whose file does not record them."""

    by: str
    member: Review | None = None
    committee: Review | None = None


def load_ledger(
    path: str | Path,
    open_ledger: Callable[[str], Ledger],
    reviews: Mapping[str, ClaimReviews] | None = None,
) -> Ledger:
    """Read a ledger file and replay it into the ledger ``open_ledger(scheme id)`` gives.
    LedgerError lists every problem, located; nothing is returned half-built."""
    return ledger_from(load_yaml(path, LedgerError), open_ledger, reviews)


def _reviewed(
    located: Located, claims: tuple[Claim, ...], reviews: Mapping[str, ClaimReviews]
) -> tuple[tuple[Claim, ...], list[Problem]]:
    """The claims with the reviews their procedure took where the file records none; a claim
    reviewed in both is a problem naming the instance."""
    found, problems = [], []
    for i, claim in enumerate(claims):
        taken = reviews.get(claim.id)
        if taken is None:
            found.append(claim)
            continue
        twice = [
            field
            for field, review, held in (
                ("member_review", taken.member, claim.member_review),
                ("committee_review", taken.committee, claim.committee_review),
            )
            if review is not None and held is not None
        ]
        for field in twice:
            problems.append(
                located.problem(
                    ("claims", i, field),
                    _("reviewed twice: in the file and by procedure instance {by}").format(
                        by=taken.by
                    ),
                    rule_id=claim.id,
                    hint=_("keep one: the procedure's steps are the record"),
                )
            )
        found.append(
            attrs.evolve(
                claim,
                member_review=claim.member_review or taken.member,
                committee_review=claim.committee_review or taken.committee,
            )
        )
    return tuple(found), problems


def ledger_from(
    located: Located,
    open_ledger: Callable[[str], Ledger],
    reviews: Mapping[str, ClaimReviews] | None = None,
) -> Ledger:
    """The ledger of located data (a file's, or a request body's), replayed as
    :func:`load_ledger` does; ``reviews`` (by claim id) are the reviews a claim procedure
    took, posted with the file's (an approval by the committee posts the points)."""
    read = structure_located(converter, located, LedgerFile, LedgerError, _rule_of(located.data))
    claims, reviewed_twice = _reviewed(located, read.claims, reviews or {})
    read = attrs.evolve(read, claims=claims)
    try:
        ledger = open_ledger(read.scheme)
    except UnknownPolicyError as exc:
        raise LedgerError([located.problem(("scheme",), str(exc), rule_id=read.scheme)]) from None
    problems: list[Problem] = list(reviewed_twice)

    def attempt(where: DataPath, rule_id: str, step: Callable[[], object]) -> bool:
        try:
            step()
        except LedgerError as exc:
            sub: DataPath = tuple(exc.field.split(".")) if exc.field else ()
            for p in exc.problems:
                problems.append(
                    located.problem((*where, *sub), p.message, rule_id=rule_id, hint=p.hint)
                )
            return False
        return True

    for i, household in enumerate(read.households):
        attempt(("households", i), household.id, partial(ledger.register, household))

    steps: list[tuple[date, int, int, DataPath, str, Callable[[], object]]] = []
    for i, claim in enumerate(read.claims):
        where: DataPath = ("claims", i)
        declared = attrs.evolve(claim, member_review=None, committee_review=None)
        steps.append(
            (claim.declared_on, _DECLARE, i, where, claim.id, partial(ledger.declare, declared))
        )
        if claim.member_review is not None:
            review = claim.member_review
            steps.append(
                (
                    review.reviewed_on,
                    _MEMBER,
                    i,
                    where,
                    claim.id,
                    partial(ledger.review_by_member, claim.id, review),
                )
            )
        if claim.committee_review is not None:
            if claim.member_review is None:
                problems.append(
                    located.problem(
                        (*where, "committee_review"),
                        _("the committee decides only after the linked member's review"),
                        rule_id=claim.id,
                        hint=_("add member_review"),
                    )
                )
                continue
            review = claim.committee_review
            steps.append(
                (
                    review.reviewed_on,
                    _COMMITTEE,
                    i,
                    where,
                    claim.id,
                    partial(ledger.review_by_committee, claim.id, review),
                )
            )
    for i, redemption in enumerate(read.redemptions):
        steps.append(
            (
                redemption.redeemed_on,
                _REDEEM,
                i,
                ("redemptions", i),
                redemption.id,
                partial(ledger.redeem, redemption),
            )
        )

    failed: set[DataPath] = set()  # a claim refused at one step is not tried at the next
    for _day, _order, _claim, where, rule_id, step in sorted(steps, key=lambda s: s[:3]):
        if where not in failed and not attempt(where, rule_id, step):
            failed.add(where)
    if problems:
        raise LedgerError(problems)
    return ledger
