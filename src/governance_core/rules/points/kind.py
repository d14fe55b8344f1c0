"""Points schemes as a kind of rule (积分制: 嘉祥's 文明银行): schemes from ``points_schemes:``
and their items from ``point_items:`` (a town may have its own item of an id the county has),
each checked on its own, then against the scheme and the parameters they name."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, final

import attrs

from governance_core.errors import Problem
from governance_core.files import Located, did_you_mean
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.messages import N_, _
from governance_core.rules.common import Title, find, range_problems
from governance_core.rules.kinds import Assembly, SchemaTitles, Section
from governance_core.rules.points._scheme import (
    Catalogue,
    PointItem,
    PointsScheme,
    checked_item,
    item_reference_problems,
    reference_problems,
    scheme_problems,
)
from governance_core.rules.points.titles import schema_titles
from governance_core.rules.provenance import located_problems

__all__ = ["POINTS", "POINTS_SCHEMES", "POINT_ITEMS", "Points", "PointsKind"]


@final
@attrs.frozen(slots=True)
class Points:
    """The points schemes of a set with their items, by scheme id."""

    catalogues: Mapping[str, Catalogue] = attrs.field(factory=dict)

    def catalogue(self, scheme_id: str) -> Catalogue:
        """The points scheme with this id and its items; UnknownPolicyError otherwise."""
        return find(N_("points scheme"), N_("points schemes"), self.catalogues, scheme_id)


def _scheme(
    located: Located, base: DataPath, scheme: PointsScheme
) -> tuple[PointsScheme, list[Problem]]:
    return scheme, list(located_problems(located, base, scheme.id, scheme_problems(scheme)))


def _item(located: Located, base: DataPath, item: PointItem) -> tuple[PointItem, list[Problem]]:
    fixed, found = checked_item(item)
    return fixed, [
        *located_problems(located, base, item.id, found),
        *range_problems(located, base, item.id, item.effective_from, item.effective_to),
    ]


def _item_key(item: PointItem) -> str:
    # a town may have its own item of an id the county has; one record per town and id
    return f"{item.scheme}/{item.town or '*'}/{item.id}"


POINTS_SCHEMES = Section(
    "points_schemes", PointsScheme, title=Title("积分办法", "points schemes"), check=_scheme
)
POINT_ITEMS = Section(
    "point_items", PointItem, title=Title("积分项目", "point items"), check=_item, key=_item_key
)


@final
@attrs.frozen(slots=True)
class PointsKind:
    """Points schemes and their items; ``PolicySet.of(POINTS)`` is a :class:`Points`."""

    name: str = "points"
    sections: tuple[Section[Any], ...] = (POINTS_SCHEMES, POINT_ITEMS)
    overlay_sections: tuple[Section[Any], ...] = ()
    titles: Callable[[], SchemaTitles] = schema_titles
    hookspecs: type | None = None

    def assemble(self, assembly: Assembly) -> Points:
        problems = assembly.problems
        kinds = {k: p.kind for k, p in assembly.parameters.items()}
        schemes = assembly.records(POINTS_SCHEMES)
        processes = frozenset(assembly.declared("processes"))
        for scheme, origin in schemes.values():
            for sub, message, hint in reference_problems(scheme, kinds):
                problems.at(origin, sub, message, scheme.id, hint)
            wanted = scheme.claim_procedure
            if wanted is not None and wanted not in processes:
                message = _("no {section} {ref!r} is loaded").format(
                    section="processes", ref=wanted
                )
                hint = did_you_mean(wanted, processes)
                problems.at(origin, ("claim_procedure",), message, scheme.id, hint)
        known = {k: s for k, (s, _) in schemes.items()}
        by_scheme: dict[str, dict[tuple[str | None, str], PointItem]] = {k: {} for k in known}
        for item, origin in assembly.records(POINT_ITEMS).values():
            found = list(item_reference_problems(item, known))
            for sub, message, hint in found:
                problems.at(origin, sub, message, item.id, hint)
            if not found:
                by_scheme[item.scheme][(item.town, item.id)] = item
        return Points({k: Catalogue(known[k], by_scheme[k]) for k in known})


POINTS = PointsKind()
"""The points kind, registered under the entry-point group ``governance_core.kinds``."""
