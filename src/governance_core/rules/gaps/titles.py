"""Titles of the records and fields of passages not encoded in the published JSON Schemas
(loading/schemas.py), through the message catalog."""

from __future__ import annotations

from governance_core.messages import _
from governance_core.rules.kinds import SchemaTitles

__all__ = ["schema_titles"]


def schema_titles() -> SchemaTitles:
    """The titles in the current language."""
    return SchemaTitles(
        records={
            "Unencoded": _("Not encoded"),
        },
        fields={
            "unencoded": _("Passages not encoded, with the reason"),
        },
    )
