"""Titles of the records and fields of points schemes in the published JSON Schemas
(loading/schemas.py), through the message catalog."""

from __future__ import annotations

from governance_core.messages import _
from governance_core.rules.kinds import SchemaTitles

__all__ = ["schema_titles"]


def schema_titles() -> SchemaTitles:
    """The titles in the current language."""
    return SchemaTitles(
        records={
            "PointsScheme": _("Points scheme"),
            "PointCategory": _("Points category"),
            "PointItem": _("Points item"),
        },
        fields={
            "claim_procedure": _("Procedure whose steps review claims"),
            "categories": _("Categories"),
            "category": _("Category"),
            "point_items": _("Points items"),
            "points_schemes": _("Points schemes"),
            "veto_effect": _("Parameter saying what a veto does"),
        },
    )
