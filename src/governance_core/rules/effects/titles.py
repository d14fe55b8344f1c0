"""Titles of the records and fields of effects in the published JSON Schemas
(loading/schemas.py), through the message catalog."""

from __future__ import annotations

from governance_core.messages import _
from governance_core.rules.kinds import SchemaTitles

__all__ = ["schema_titles"]


def schema_titles() -> SchemaTitles:
    """The titles in the current language."""
    return SchemaTitles(
        records={
            "DeclaredEffect": _("Effect of a decision"),
            "ImposedBy": _("Decision that imposes it"),
            "Lasts": _("How long it lasts"),
            "Due": _("When a duty is due"),
        },
        fields={
            "effects": _("Effects of decisions (bars, labels, duties)"),
            "imposed_by": _("Decisions that impose it"),
            "lasts": _("How long it lasts"),
            "bars": _("What it bars"),
            "subject": _("Whom it is on"),
            "due": _("When it is due"),
            "lifted_by": _("What lifts it"),
            "done_by": _("Who carries out the duty"),
            "until_lifted": _("Until lifted"),
            "working_days": _("Working days"),
            "years": _("Years"),
            "months": _("Months"),
        },
    )
