"""Titles of the records and fields of reminder rules in the published JSON Schemas
(loading/schemas.py), through the message catalog."""

from __future__ import annotations

from governance_core.messages import _
from governance_core.rules.kinds import SchemaTitles

__all__ = ["schema_titles"]


def schema_titles() -> SchemaTitles:
    """The titles in the current language."""
    return SchemaTitles(
        records={
            "ReminderRule": _("Reminder rule"),
            "Escalation": _("Escalation"),
        },
        fields={
            "reminders": _("Reminders and escalation"),
            "before_working_days": _("Working days before the last day"),
            "on_due": _("On the last day"),
            "escalate": _("Escalate"),
            "after_working_days": _("Working days after the last day"),
            "to": _("To whom"),
            "ReminderRule.effect": _("The duty (an effect's id)"),
        },
    )
