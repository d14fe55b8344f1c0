"""Reminders and escalation (``reminders:`` in a policy file): when to remind of a step's
deadline or a duty's due day, and when to escalate to the role above, counted in working days
on the official calendar (docs/reminders.md)."""

from governance_core.rules.reminders._definition import Escalation, ReminderRule
from governance_core.rules.reminders.kind import (
    REMINDERS,
    REMINDERS_SECTION,
    Moment,
    Reminders,
    RemindersKind,
)

__all__ = [
    "REMINDERS",
    "REMINDERS_SECTION",
    "Escalation",
    "Moment",
    "ReminderRule",
    "Reminders",
    "RemindersKind",
]
