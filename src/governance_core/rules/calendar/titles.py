"""Titles of the records and fields of the official calendar in the published JSON Schemas
(loading/schemas.py), through the message catalog."""

from __future__ import annotations

from governance_core.messages import _
from governance_core.rules.kinds import SchemaTitles

__all__ = ["schema_titles"]


def schema_titles() -> SchemaTitles:
    """The titles in the current language."""
    return SchemaTitles(
        records={
            "CalendarYear": _("A year of the official calendar"),
        },
        fields={
            "calendar": _("The official calendar: days off and make-up working days, by year"),
            "holidays": _("Days off (dates or ranges A..B)"),
            "workdays": _("Make-up working days on a weekend (调休上班)"),
        },
    )
