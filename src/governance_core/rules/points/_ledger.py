"""The points ledger (嘉祥 文明银行, source 001): claims through 村民申报 → 联户党员审核 →
评价委员会评审, redemptions at the 文明超市, balances, and why each point was earned.

The book is append-only in time, per household: a posting (a committee's decision, a
redemption) may not be dated before the household's last one, so a later entry can never
change a balance a redemption was checked against. Every refusal is a :class:`LedgerError`
naming the claim or redemption and what to do; a refused operation changes nothing.

What an approved one-vote-veto item (一票否决) does is the scheme's ``veto_effect``, a dated
text parameter: ``forfeit_balance`` (the balance falls to 0 on the veto's approval) or
``bar_redemption`` (no redemption from the veto's approval to the end of that calendar year).
When it has no value on the day, the veto is recorded, the balance is marked provisional, and
redemptions that the effect could forbid are refused until it is published.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import final

import attrs

from governance_core.errors import LedgerError, Problem
from governance_core.files import did_you_mean
from governance_core.messages import _, in_language
from governance_core.rules.points._scheme import Catalogue, ItemKind, PointItem

__all__ = [
    "Claim",
    "ClaimStatus",
    "Household",
    "Ledger",
    "Posting",
    "Redemption",
    "Review",
    "Statement",
    "VetoEffect",
]

Points = int | Fraction


class VetoEffect(enum.Enum):
    FORFEIT_BALANCE = "forfeit_balance"
    BAR_REDEMPTION = "bar_redemption"


class ClaimStatus(enum.Enum):
    """Where a household's claim stands in the two reviews before its points count."""

    DECLARED = "declared"  # 村民申报: waiting for the linked party member
    MEMBER_APPROVED = "member_approved"  # 联户党员审核 passed: waiting for the committee
    APPROVED = "approved"  # 评价委员会评审 passed: the points count
    REJECTED = "rejected"  # refused at either review: nothing counts


@final
@attrs.frozen(slots=True)
class Household:
    """A 储户 of the bank. ``linked_member`` is the party member linked to the household
    (联户党员); when given, only they may make the first review of its claims."""

    id: str
    name: str
    town: str
    village: str | None = None
    linked_member: str | None = None


@final
@attrs.frozen(slots=True)
class Review:
    """A review step: who, on which day, passed or refused, and why."""

    by: str
    reviewed_on: date
    approved: bool
    note: str = ""


@final
@attrs.frozen(slots=True)
class Claim:
    """A claim that a household did (or, for a deduction or veto item, was found doing) what
    an item describes on ``occurred_on``, declared on ``declared_on``, with its reviews."""

    id: str
    household: str
    item: str
    occurred_on: date
    declared_on: date
    evidence: tuple[str, ...] = ()
    member_review: Review | None = None
    committee_review: Review | None = None

    @property
    def status(self) -> ClaimStatus:
        for review in (self.member_review, self.committee_review):
            if review is not None and not review.approved:
                return ClaimStatus.REJECTED
        if self.committee_review is not None:
            return ClaimStatus.APPROVED
        return ClaimStatus.DECLARED if self.member_review is None else ClaimStatus.MEMBER_APPROVED


@final
@attrs.frozen(slots=True)
class Redemption:
    """Points exchanged for goods at the 文明超市."""

    id: str
    household: str
    redeemed_on: date
    points: Decimal
    goods: str


@final
@attrs.frozen(slots=True)
class Posting:
    """One line of a household's book: an approved claim (with the item and value it earned
    under) or a redemption, the signed points and the balance after it. A veto's posting
    carries the ``effect`` in force on its day (None: not published; ``note`` says so)."""

    on: date
    points: Points
    balance: Points
    claim: Claim | None = None
    item: PointItem | None = None
    redemption: Redemption | None = None
    effect: VetoEffect | None = None
    note: str = ""

    @property
    def unpublished_veto(self) -> bool:
        return self.item is not None and self.item.kind is ItemKind.VETO and self.effect is None

    def explain(self, catalogue: Catalogue, lang: str = "zh") -> str:
        """Why: the item, its category and citation, and the steps that approved it."""
        with in_language("zh" if lang == "zh" else "en"):
            return self._explain(catalogue, lang)

    def _explain(self, catalogue: Catalogue, lang: str) -> str:
        if self.redemption is not None:
            return _("redeemed {goods}").format(goods=self.redemption.goods)
        assert self.claim is not None and self.item is not None
        claim, item = self.claim, self.item
        steps = catalogue.scheme.steps
        assert claim.member_review is not None and claim.committee_review is not None
        trail = (
            f"{steps[0].in_language(lang)} {claim.declared_on} → "
            f"{steps[1].in_language(lang)} {claim.member_review.by} {claim.member_review.reviewed_on} → "
            f"{steps[2].in_language(lang)} {claim.committee_review.by} {claim.committee_review.reviewed_on}"
        )
        scope = item.town or _("county-wide")
        what = (
            f"{catalogue.category(item.category).title.in_language(lang)} · "
            f"{item.title.in_language(lang)} ({scope})"
        )
        effect = self.effect and _effect_words(self.effect)
        note = "; ".join(filter(None, (effect, self.note)))
        return f"{what}: {trail}; {item.citation}" + (f"; {note}" if note else "")


def _effect_words(effect: VetoEffect) -> str:
    words = {
        VetoEffect.FORFEIT_BALANCE: _("the balance is forfeited"),
        VetoEffect.BAR_REDEMPTION: _("redemption is barred"),
    }
    return words[effect]


@final
@attrs.frozen(slots=True)
class Statement:
    """A household's book as of a date: postings, balance, and the claims that earned
    nothing yet (pending) or at all (rejected). ``provisional`` when a veto's effect is not
    published on its day (``notes`` say which)."""

    household: Household
    as_of: date
    postings: tuple[Posting, ...]
    balance: Points
    pending: tuple[Claim, ...]
    rejected: tuple[Claim, ...]
    provisional: bool
    notes: tuple[str, ...]


def _refuse(rule_id: str, message: str, hint: str | None = None, field: str = "") -> LedgerError:
    return LedgerError([Problem(message, rule_id=rule_id, hint=hint)], field=field)


class Ledger:
    """One scheme's book: households, claims and redemptions, checked as they come.

    ``veto_effect(day)`` gives the scheme's veto-effect parameter on a day (None when it has
    no value then).
    """

    def __init__(self, catalogue: Catalogue, veto_effect: Callable[[date], str | None]) -> None:
        self.catalogue = catalogue
        self._veto_effect = veto_effect
        self._households: dict[str, Household] = {}
        self._claims: dict[str, Claim] = {}
        self._redemptions: dict[str, Redemption] = {}
        self._postings: dict[str, list[Posting]] = {}

    # -- households and claims ------------------------------------------------------------

    def register(self, household: Household) -> None:
        if household.id in self._households:
            raise _refuse(
                household.id, _("household {id!r} is registered already").format(id=household.id)
            )
        self._households[household.id] = household
        self._postings[household.id] = []

    def household(self, household_id: str) -> Household:
        try:
            return self._households[household_id]
        except KeyError:
            hint = did_you_mean(household_id, self._households) or (
                _("register it first (a ledger file lists it under households)")
            )
            raise _refuse(
                household_id,
                _("no household {household_id!r}").format(household_id=household_id),
                hint,
                "household",
            ) from None

    def claims(self) -> tuple[Claim, ...]:
        return tuple(self._claims.values())

    def declare(self, claim: Claim) -> Claim:
        """村民申报: record a claim with no review yet."""
        if claim.id in self._claims:
            raise _refuse(
                claim.id, _("claim {id!r} is recorded already").format(id=claim.id), field="id"
            )
        household = self.household(claim.household)
        if claim.member_review is not None or claim.committee_review is not None:
            raise _refuse(
                claim.id, _("a declared claim has no review yet"), _("review it afterwards")
            )
        if claim.declared_on < claim.occurred_on:
            raise _refuse(
                claim.id,
                _("declared on {declared_on}, before it occurred ({occurred_on})").format(
                    declared_on=claim.declared_on, occurred_on=claim.occurred_on
                ),
                field="declared_on",
            )
        self._item(claim, household)
        self._claims[claim.id] = claim
        return claim

    def review_by_member(self, claim_id: str, review: Review) -> Claim:
        """联户党员审核: the household's linked party member passes or refuses the claim."""
        claim = self._claim(claim_id, ClaimStatus.DECLARED, "联户党员审核")
        linked = self._households[claim.household].linked_member
        if linked is not None and review.by != linked:
            raise _refuse(
                claim.id,
                _("{by} is not the party member linked to household {household}").format(
                    by=review.by, household=claim.household
                ),
                _("its linked member is {linked}").format(linked=linked),
                "member_review.by",
            )
        if review.reviewed_on < claim.declared_on:
            raise _refuse(
                claim.id,
                _("reviewed on {reviewed_on}, before it was declared ({declared_on})").format(
                    reviewed_on=review.reviewed_on, declared_on=claim.declared_on
                ),
                field="member_review.reviewed_on",
            )
        updated = attrs.evolve(claim, member_review=review)
        self._claims[claim.id] = updated
        return updated

    def review_by_committee(self, claim_id: str, review: Review) -> Claim:
        """评价委员会评审: the village committee decides; an approval posts the points."""
        claim = self._claim(claim_id, ClaimStatus.MEMBER_APPROVED, "评价委员会评审")
        assert claim.member_review is not None
        if review.reviewed_on < claim.member_review.reviewed_on:
            raise _refuse(
                claim.id,
                _("decided on {reviewed_on}, before the member's review ({reviewed_on2})").format(
                    reviewed_on=review.reviewed_on, reviewed_on2=claim.member_review.reviewed_on
                ),
                field="committee_review.reviewed_on",
            )
        updated = attrs.evolve(claim, committee_review=review)
        if review.approved:
            household = self._households[claim.household]
            self._in_date_order(
                household.id, review.reviewed_on, claim.id, "committee_review.reviewed_on"
            )
            self._post(household, updated, self._item(claim, household), review.reviewed_on)
        self._claims[claim.id] = updated
        return updated

    # -- redemptions -----------------------------------------------------------------------

    def redeem(self, redemption: Redemption) -> Posting:
        """Exchange points for goods; refused beyond the balance or when a veto forbids it."""
        rid = redemption.id
        if rid in self._redemptions:
            raise _refuse(
                rid, _("redemption {rid!r} is recorded already").format(rid=rid), field="id"
            )
        household = self.household(redemption.household)
        asked = _exact(redemption.points)
        if asked <= 0:
            raise _refuse(
                rid,
                _("points must be above 0, not {points}").format(points=redemption.points),
                field="points",
            )
        self._in_date_order(household.id, redemption.redeemed_on, rid, "redeemed_on")
        for veto in self._postings[household.id]:
            if veto.unpublished_veto:
                raise _refuse(
                    rid,
                    _(
                        "a 一票否决 item was approved on {on} and what it does is not published"
                    ).format(on=veto.on),
                    _("give the parameter {veto_effect} a value").format(
                        veto_effect=self.catalogue.scheme.veto_effect
                    ),
                )
            barred = veto.effect is VetoEffect.BAR_REDEMPTION
            if barred and veto.on.year == redemption.redeemed_on.year:
                raise _refuse(
                    rid,
                    _(
                        "a 一票否决 item approved on {on} bars redemption until the year's end"
                    ).format(on=veto.on),
                    field="redeemed_on",
                )
        balance = self._balance(household.id)
        if asked > balance:
            raise _refuse(
                rid,
                _("{asked} points asked, the balance is {balance}").format(
                    asked=asked, balance=balance
                ),
                field="points",
            )
        posting = Posting(redemption.redeemed_on, -asked, balance - asked, redemption=redemption)
        self._postings[household.id].append(posting)
        self._redemptions[rid] = redemption
        return posting

    # -- reading ---------------------------------------------------------------------------

    def statement(self, household_id: str, as_of: date) -> Statement:
        household = self.household(household_id)
        postings = tuple(p for p in self._postings[household.id] if p.on <= as_of)
        mine = [
            c
            for c in self._claims.values()
            if c.household == household.id and c.declared_on <= as_of
        ]
        pending = tuple(
            c
            for c in mine
            if c.status in (ClaimStatus.DECLARED, ClaimStatus.MEMBER_APPROVED)
            or (c.committee_review is not None and c.committee_review.reviewed_on > as_of)
        )
        rejected = tuple(
            c for c in mine if c.status is ClaimStatus.REJECTED and _decided_on(c) <= as_of
        )
        notes = tuple(p.note for p in postings if p.unpublished_veto)
        return Statement(
            household,
            as_of,
            postings,
            postings[-1].balance if postings else 0,
            pending,
            rejected,
            bool(notes),
            notes,
        )

    def households(self) -> tuple[Household, ...]:
        return tuple(self._households.values())

    def latest(self) -> date | None:
        """The last day anything was recorded: a declaration, a review or a posting."""
        days = [p.on for book in self._postings.values() for p in book]
        for claim in self._claims.values():
            days.append(claim.declared_on)
            days += [r.reviewed_on for r in (claim.member_review, claim.committee_review) if r]
        return max(days, default=None)

    # -- inside ----------------------------------------------------------------------------

    def _claim(self, claim_id: str, wanted: ClaimStatus, step: str) -> Claim:
        try:
            claim = self._claims[claim_id]
        except KeyError:
            hint = did_you_mean(claim_id, self._claims) or _("declare it first")
            raise _refuse(
                claim_id, _("no claim {claim_id!r}").format(claim_id=claim_id), hint
            ) from None
        if claim.status is not wanted:
            raise _refuse(
                claim_id,
                _("{step} needs a claim that is {value}; this one is {value2}").format(
                    step=step, value=wanted.value, value2=claim.status.value
                ),
                _("the steps are 村民申报 → 联户党员审核 → 评价委员会评审, each once"),
            )
        return claim

    def _item(self, claim: Claim, household: Household) -> PointItem:
        item = self.catalogue.item(household.town, claim.item, claim.occurred_on)
        if item is None:
            known = self.catalogue.item_ids()
            raise _refuse(
                claim.id,
                _("no item {item!r} of {id} is in effect for {town} on {occurred_on}").format(
                    item=claim.item,
                    id=self.catalogue.scheme.id,
                    town=household.town,
                    occurred_on=claim.occurred_on,
                ),
                did_you_mean(claim.item, known)
                or _("items: {value}").format(value=", ".join(known) or "none"),
                "item",
            )
        if item.kind is not ItemKind.VETO and item.points_on(claim.occurred_on) is None:
            raise _refuse(
                claim.id,
                _("item {id!r} has no value on {occurred_on}").format(
                    id=item.id, occurred_on=claim.occurred_on
                ),
                _("give the year's value in the item's values"),
                "occurred_on",
            )
        return item

    def _in_date_order(self, household_id: str, day: date, rule_id: str, field: str) -> None:
        book = self._postings[household_id]
        if book and day < book[-1].on:
            raise _refuse(
                rule_id,
                _("dated {day}, before the household's last posting ({on})").format(
                    day=day, on=book[-1].on
                ),
                _("the book is kept in date order: record entries as they happen"),
                field,
            )

    def _balance(self, household_id: str) -> Points:
        book = self._postings[household_id]
        return book[-1].balance if book else 0

    def _post(self, household: Household, claim: Claim, item: PointItem, day: date) -> None:
        balance = self._balance(household.id)
        if item.kind is ItemKind.VETO:
            raw = self._veto_effect(day)
            try:
                effect = None if raw is None else VetoEffect(raw)
            except ValueError:
                raise _refuse(
                    claim.id,
                    _("{veto_effect} is {raw!r} on {day}, not a veto effect").format(
                        veto_effect=self.catalogue.scheme.veto_effect, raw=raw, day=day
                    ),
                    _("one of: {value}").format(value=", ".join(e.value for e in VetoEffect)),
                ) from None
            note = (
                ""
                if effect is not None
                else _("veto {title} ({day}): its effect is not published ({parameter})").format(
                    title=item.title.zh, day=day, parameter=self.catalogue.scheme.veto_effect
                )
            )
            lost = balance if effect is VetoEffect.FORFEIT_BALANCE else 0
            posting = Posting(day, -lost, balance - lost, claim, item, effect=effect, note=note)
        else:
            value = item.points_on(claim.occurred_on)
            assert value is not None  # checked when declared
            signed = value if item.kind is ItemKind.BONUS else -value
            posting = Posting(day, signed, balance + signed, claim, item)
        self._postings[household.id].append(posting)


def _exact(value: Decimal) -> Points:
    exact = Fraction(value)
    return exact.numerator if exact.denominator == 1 else exact


def _decided_on(claim: Claim) -> date:
    review = claim.committee_review or claim.member_review
    assert review is not None
    return review.reviewed_on
