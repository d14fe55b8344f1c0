"""A ledger file: households, claims with their reviews, and redemptions, replayed in date
order into a :class:`Ledger`. Every refusal is reported at its place in the file, and the
ledger is returned only when the whole file is valid."""

from __future__ import annotations

from collections.abc import Callable
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
from governance_core.rules.points._ledger import Claim, Household, Ledger, Redemption

__all__ = ["LedgerFile", "load_ledger"]


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


def load_ledger(path: str | Path, open_ledger: Callable[[str], Ledger]) -> Ledger:
    """Read a ledger file and replay it into the ledger ``open_ledger(scheme id)`` gives.
    LedgerError lists every problem, located; nothing is returned half-built."""
    return ledger_from(load_yaml(path, LedgerError), open_ledger)


def ledger_from(located: Located, open_ledger: Callable[[str], Ledger]) -> Ledger:
    """The ledger of located data (a file's, or a request body's), replayed as
    :func:`load_ledger` does."""
    read = structure_located(converter, located, LedgerFile, LedgerError, _rule_of(located.data))
    try:
        ledger = open_ledger(read.scheme)
    except UnknownPolicyError as exc:
        raise LedgerError([located.problem(("scheme",), str(exc), rule_id=read.scheme)]) from None
    problems: list[Problem] = []

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
