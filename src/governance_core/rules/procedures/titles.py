"""Titles of the records and fields of procedures in the published JSON Schemas
(loading/schemas.py), through the message catalog."""

from __future__ import annotations

from governance_core.messages import _
from governance_core.rules.kinds import SchemaTitles

__all__ = ["schema_titles"]


def schema_titles() -> SchemaTitles:
    """The titles in the current language."""
    return SchemaTitles(
        records={
            "ProcessDefinition": _("Procedure"),
            "State": _("State"),
            "Step": _("Step"),
            "Guard": _("Guard"),
            "EvidenceKind": _("Required document"),
            "DueRule": _("Deadline of a step"),
            "Role": _("Role"),
            "ProcessChanges": _("Changes to a procedure"),
            "StepExtension": _("Additions to a step"),
            "StepRemoval": _("Removal of a step"),
        },
        fields={
            "automatic": _("Taken automatically when due"),
            "consequence": _("Consequence of the step"),
            "dest": _("State it leads to"),
            "due": _("Deadline of the step"),
            "expect": _("Outcome the guard expects"),
            "extend": _("Additions"),
            "guards": _("Guards"),
            "initial": _("Initial state"),
            "once_per_actor": _("How often one actor may take it (year: once a year)"),
            "process": _("Procedure"),
            "process_extensions": _("Procedure extensions"),
            "processes": _("Procedures"),
            "required": _("Required: may not be removed"),
            "roles": _("Roles"),
            "sources": _("States it leaves from"),
            "states": _("States"),
            "subject": _("What an instance is about"),
            "terminal": _("Terminal state"),
            "when": _("Subjects the guard applies to"),
        },
    )
