"""A points scheme (积分制): categories, items with dated values, scoped to a town or not.

嘉祥's 文明银行 (source 001) is the model: points in five categories, bonus items and
one-vote-veto items (一票否决), and each town may add its own items and change values by year.
A scheme is one record; its items are separate records naming it, so a town's plugin or policy
file adds items without touching the county's scheme. Which item applies is decided per claim:
the town's own item of that id if it has one in effect, else the county-wide one.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from datetime import date
from fractions import Fraction
from typing import final

import attrs

from governance_core.files import did_you_mean
from governance_core.messages import _
from governance_core.rules.common import Citation, Title, in_effect
from governance_core.rules.parameters import ParameterKind, ParameterValue, overlapping
from governance_core.rules.provenance import Found

__all__ = [
    "Catalogue",
    "ItemKind",
    "PointCategory",
    "PointItem",
    "PointsScheme",
    "checked_item",
    "item_reference_problems",
    "reference_problems",
    "scheme_problems",
]


class ItemKind(enum.Enum):
    """What an approved claim of an item does to the household's points."""

    BONUS = "bonus"  # 加分项: its value is earned
    DEDUCTION = "deduction"  # 减分项: its value is lost
    VETO = "veto"  # 一票否决项: no value; the scheme's veto effect applies


@final
@attrs.frozen(slots=True)
class PointCategory:
    """A category of items (人居环境美 …)."""

    id: str
    title: Title


@final
@attrs.frozen(slots=True)
class PointsScheme:
    """A points scheme. ``veto_effect`` names a dated text parameter saying what an approved
    veto item does (see :mod:`governance_core.rules.points._ledger`); a parameter without a
    value leaves balances provisional and refuses redemptions it could forbid.
    ``claim_procedure`` names the procedure whose instances, each about a claim, review
    claims: its steps into ``member_approved`` and ``approved`` (or ``refused``) are the
    reviews the ledger posts from (docs/points.md)."""

    id: str
    title: Title
    citation: Citation
    categories: tuple[PointCategory, ...]
    veto_effect: str
    steps: tuple[Title, Title, Title]  # who declares, who reviews first, who decides
    claim_procedure: str | None = None


@final
@attrs.frozen(slots=True)
class PointItem:
    """An item of a scheme, for every town (``town`` None) or one town. ``values`` are the
    points by date range (a town changes them by year); a veto item has none."""

    scheme: str
    id: str
    title: Title
    citation: Citation
    category: str
    kind: ItemKind
    town: str | None = None
    values: tuple[ParameterValue, ...] = ()
    effective_from: date | None = None
    effective_to: date | None = None

    def in_effect(self, day: date) -> bool:
        return in_effect(day, self.effective_from, self.effective_to)

    def points_on(self, day: date) -> int | Fraction | None:
        """The item's value on ``day``; None when it has none then (or is a veto item)."""
        for v in self.values:
            if in_effect(day, v.effective_from, v.effective_to):
                value: int | Fraction = v.value
                return value
        return None


def scheme_problems(scheme: PointsScheme) -> Iterator[Found]:
    """What is wrong with a scheme on its own."""
    seen: set[str] = set()
    for i, category in enumerate(scheme.categories):
        if category.id in seen:
            yield (
                ("categories", i, "id"),
                _("category {id!r} is listed twice").format(id=category.id),
                None,
            )
        seen.add(category.id)
    if not scheme.categories:
        yield ("categories",), _("a scheme needs at least one category"), None


def reference_problems(
    scheme: PointsScheme, parameter_kinds: Mapping[str, ParameterKind]
) -> Iterator[Found]:
    """What a scheme names that is not loaded, or does not fit."""
    kind = parameter_kinds.get(scheme.veto_effect)
    if kind is None:
        yield (
            ("veto_effect",),
            _("no parameter {veto_effect!r} is loaded").format(veto_effect=scheme.veto_effect),
            _("declare it (kind: text); without values if the source does not publish it"),
        )
    elif kind is not ParameterKind.TEXT:
        yield (
            ("veto_effect",),
            _("{veto_effect!r} is a {value}, not text").format(
                veto_effect=scheme.veto_effect, value=kind.value
            ),
            None,
        )


def item_reference_problems(
    item: PointItem, schemes: Mapping[str, PointsScheme]
) -> Iterator[Found]:
    """An item of a scheme that is not loaded, or in a category the scheme does not have."""
    scheme = schemes.get(item.scheme)
    if scheme is None:
        yield (
            ("scheme",),
            _("no points scheme {scheme!r} is loaded").format(scheme=item.scheme),
            did_you_mean(item.scheme, schemes),
        )
        return
    categories = [c.id for c in scheme.categories]
    if item.category not in categories:
        yield (
            ("category",),
            _("{category!r} is not a category of {id}").format(
                category=item.category, id=scheme.id
            ),
            did_you_mean(item.category, categories)
            or _("categories: {value}").format(value=", ".join(categories)),
        )


def checked_item(item: PointItem) -> tuple[PointItem, list[Found]]:
    """The item with its points made exact numbers, and what is wrong with it on its own."""
    found: list[Found] = []
    if item.kind is ItemKind.VETO and item.values:
        found.append((("values",), _("a veto item has no points"), _("make it a deduction")))
    if item.kind is not ItemKind.VETO and not item.values:
        found.append(
            (("values",), _("a {value} item needs its points").format(value=item.kind.value), None)
        )
    values = []
    for k, v in enumerate(item.values):
        try:
            points = ParameterKind.NUMBER.coerce(v.value)
        except ValueError as exc:
            found.append((("values", k, "value"), str(exc), None))
            continue
        if points <= 0:
            found.append(
                (
                    ("values", k, "value"),
                    _("points must be above 0, not {points}").format(points=points),
                    _("the kind (bonus or deduction) gives the sign"),
                )
            )
        values.append(attrs.evolve(v, value=points))
    for i, j in overlapping(item.values):
        found.append(
            (
                ("values", j),
                _("value {value} is in effect on days value {value2} covers").format(
                    value=j + 1, value2=i + 1
                ),
                None,
            )
        )
    return attrs.evolve(item, values=tuple(values)), found


@final
@attrs.frozen(slots=True)
class Catalogue:
    """A scheme with every item loaded for it, by (town, id); town None is county-wide."""

    scheme: PointsScheme
    items: Mapping[tuple[str | None, str], PointItem]

    def item(self, town: str, item_id: str, day: date) -> PointItem | None:
        """The item a claim of ``item_id`` in ``town`` on ``day`` is under: the town's own
        in effect, else the county-wide one; None when neither is in effect."""
        for scope in (town, None):
            item = self.items.get((scope, item_id))
            if item is not None and item.in_effect(day):
                return item
        return None

    def item_ids(self) -> list[str]:
        return sorted({item_id for _, item_id in self.items})

    def category(self, category_id: str) -> PointCategory:
        return next(c for c in self.scheme.categories if c.id == category_id)
