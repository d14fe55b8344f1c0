"""Titles of the records and fields of cycles in the published JSON Schemas
(loading/schemas.py), through the message catalog."""

from __future__ import annotations

from governance_core.messages import _
from governance_core.rules.kinds import SchemaTitles

__all__ = ["schema_titles"]


def schema_titles() -> SchemaTitles:
    """The titles in the current language."""
    return SchemaTitles(
        records={
            "Cycle": _("Cycle"),
            "CycleStep": _("Step of a cycle"),
            "Applies": _("What a step applies"),
            "StepDeadline": _("Deadline of a cycle step"),
        },
        fields={
            "applies": _("What the step applies"),
            "cadence": _("How often it runs"),
            "cadence_parameter": _("Parameter holding the cadence"),
            "cycles": _("Cycles"),
            "day": _("Day (MM-DD)"),
            "deadline": _("Deadline"),
            "at_least": _("Parameter giving how many records each needs"),
            "under": _("Name of the organisation whose own it addresses"),
            "levels": _("Levels of the organisations that keep the records"),
            "points_scheme": _("Points scheme"),
            "records": _("Kind of records each organisation keeps"),
        },
    )
