"""Titles of the records and fields of criteria lists in the published JSON Schemas
(loading/schemas.py), through the message catalog."""

from __future__ import annotations

from governance_core.messages import _
from governance_core.rules.kinds import SchemaTitles

__all__ = ["schema_titles"]


def schema_titles() -> SchemaTitles:
    """The titles in the current language."""
    return SchemaTitles(
        records={
            "CriteriaList": _("Criteria list"),
            "Criterion": _("Item of a list"),
            "ListChanges": _("Changes to a list"),
            "ItemReplacement": _("Replacement of an item"),
            "ItemRemoval": _("Removal of an item"),
        },
        fields={
            "add": _("Items added"),
            "applies_to": _("Roles of the posts whose holders the list addresses"),
            "criterion": _("The replacing item"),
            "declared_size": _("Number of items the source declares"),
            "effect": _("Effect of a hit"),
            "hit_policy": _("Hit policy"),
            "items": _("Items"),
            "lists": _("Criteria lists"),
            "number": _("Number in the source"),
        },
    )
