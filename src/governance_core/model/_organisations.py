"""The organisation tree: district → town → village (rural) / community (urban) → grid."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import final

import attrs

from governance_core.messages import _

__all__ = ["Area", "OrgLevel", "Organisation", "OrganisationRecord", "OrganisationTree"]


class OrgLevel(enum.Enum):
    """Level of an organisation in the tree (区/县, 镇/街道, 村, 社区, 网格)."""

    DISTRICT = "district"
    TOWN = "town"
    VILLAGE = "village"
    COMMUNITY = "community"
    GRID = "grid"


class Area(enum.Enum):
    """Rural and urban rules differ (e.g. 9 vs 7 basic conditions, source 000)."""

    RURAL = "rural"
    URBAN = "urban"


# Which level a parent must have; the root (a district) has none.
_PARENT_LEVELS: Mapping[OrgLevel, frozenset[OrgLevel]] = {
    OrgLevel.DISTRICT: frozenset(),
    OrgLevel.TOWN: frozenset({OrgLevel.DISTRICT}),
    OrgLevel.VILLAGE: frozenset({OrgLevel.TOWN}),
    OrgLevel.COMMUNITY: frozenset({OrgLevel.TOWN}),
    OrgLevel.GRID: frozenset({OrgLevel.VILLAGE, OrgLevel.COMMUNITY}),
}


@final
@attrs.frozen(slots=True)
class Organisation:
    """A node of the tree. ``parent`` is None only for a district."""

    id: str
    name: str
    level: OrgLevel
    parent: str | None = None


@final
@attrs.frozen(slots=True)
class OrganisationRecord:
    """A record an organisation keeps of a duty done on a day: a meeting held (党员和村民代表
    会议, 阳光议事), a disclosure posted. A cycle step checks that each organisation it
    addresses has one in each occurrence (docs/cycles.md)."""

    id: str
    organisation: str
    kind: str
    dated: date


@final
class OrganisationTree:
    """Organisations by id, with the checks and walks the rules need."""

    __slots__ = ("_by_id",)

    def __init__(self, organisations: Iterable[Organisation]) -> None:
        self._by_id: dict[str, Organisation] = {o.id: o for o in organisations}

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[Organisation]:
        return iter(self._by_id.values())

    def __contains__(self, org_id: object) -> bool:
        return org_id in self._by_id

    def get(self, org_id: str) -> Organisation | None:
        return self._by_id.get(org_id)

    def problems(self, organisation: Organisation) -> list[str]:
        """What is wrong with this node's place in the tree (empty when nothing is)."""
        allowed = _PARENT_LEVELS[organisation.level]
        if organisation.parent is None:
            if allowed:
                names = " or ".join(sorted(level.value for level in allowed))
                return [
                    _("a {level} needs a parent ({names})").format(
                        level=organisation.level.value, names=names
                    )
                ]
            return []
        parent = self._by_id.get(organisation.parent)
        if parent is None:
            return [_("parent {parent!r} is not in the roster").format(parent=organisation.parent)]
        if parent.level not in allowed:
            return [
                _("a {level} cannot sit under a {parent_level} ({parent!r})").format(
                    level=organisation.level.value,
                    parent_level=parent.level.value,
                    parent=organisation.parent,
                )
            ]
        return []

    def ancestors(self, org_id: str) -> Iterator[Organisation]:
        """This organisation and each parent up to the district."""
        seen: set[str] = set()
        current = self._by_id.get(org_id)
        while current is not None and current.id not in seen:
            seen.add(current.id)
            yield current
            current = self._by_id.get(current.parent) if current.parent else None

    def area(self, org_id: str) -> Area | None:
        """Rural for a village and what lies under it, urban for a community; else None."""
        for org in self.ancestors(org_id):
            if org.level is OrgLevel.VILLAGE:
                return Area.RURAL
            if org.level is OrgLevel.COMMUNITY:
                return Area.URBAN
        return None

    def town_of(self, org_id: str) -> Organisation | None:
        return next((o for o in self.ancestors(org_id) if o.level is OrgLevel.TOWN), None)
