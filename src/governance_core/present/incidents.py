"""Incidents as people read them (``governance incidents``, the service): their kind and state
in words, what each is about, its cause, its retries and how it was resolved."""

from __future__ import annotations

from collections.abc import Sequence

from governance_core.messages import _
from governance_core.present.rows import Rows
from governance_core.storage.incidents import Incident, IncidentKind, IncidentStatus

__all__ = ["incident_kind_words", "incident_state_words", "incidents_rows"]


def incident_kind_words(kind: IncidentKind) -> str:
    words = {
        IncidentKind.DEAD_LETTER: _("delivery died"),
        IncidentKind.BLOCKED_STEP: _("step blocked"),
        IncidentKind.EFFECT_NOT_APPLIED: _("effect not applied"),
    }
    return words[kind]


def incident_state_words(incident: Incident) -> str:
    if incident.status is IncidentStatus.OPEN:
        return _("open")
    return _("resolved by {by}: {how}").format(by=incident.resolved_by, how=incident.resolution)


def incidents_rows(incidents: Sequence[Incident]) -> Rows:
    """One row per incident, the id below what it is about (to retry or resolve it)."""
    headers = (_("kind"), _("about"), _("cause"), _("opened"), _("retries"), _("state"))
    rows = [
        (
            incident_kind_words(i.kind),
            f"{i.target}\n{i.id}",
            i.cause,
            i.opened_at.isoformat(timespec="minutes"),
            str(i.retries),
            incident_state_words(i),
        )
        for i in incidents
    ]
    caption = None if rows else _("no incidents")
    return Rows.of(headers, rows, title=_("Incidents"), caption=caption, separated=True)
