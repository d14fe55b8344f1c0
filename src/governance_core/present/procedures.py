"""Procedures for people: an instance's heading and history event by event, its deadlines,
what may be done on it and why not, and what is due on a day."""

from __future__ import annotations

from collections.abc import Sequence

from governance_core.messages import _, in_language
from governance_core.present.calendar import deadline_text
from governance_core.present.rows import Marked, Rows, Tone
from governance_core.present.verdicts import Language
from governance_core.present.words import (
    authenticated_words,
    due_words,
    guard_words,
    step_words,
)
from governance_core.rules.procedures import ProcessDefinition
from governance_core.runtime import Deadline, DueStatus, DueStep, Event, Permission, ProcessInstance

__all__ = ["deadline_rows", "due_rows", "history_rows", "instance_heading", "permission_rows"]


def instance_heading(
    instance: ProcessInstance, definition: ProcessDefinition, lang: Language
) -> Marked:
    """An instance in one line: its id, the procedure, whom it is about, where it stands."""
    state = definition.state(instance.state).title.in_language(lang)
    rest = (
        f" {definition.title.in_language(lang)} — "
        f"{instance.subject}: {state} (v{instance.version}, {instance.entered_on})"
    )
    return Marked(((instance.id, Tone.STRONG), (rest, Tone.PLAIN)))


def history_rows(events: Sequence[Event], lang: Language) -> Rows:
    """An instance's events: the step, the move, who under which role and how they were
    authenticated, when, and the documents, guards and note recorded with it."""
    with in_language(lang):
        rows = []
        for e in events:
            guards = "; ".join(f"{v.guard}: {guard_words(v.status)}" for v in e.verdicts)
            evidence = ", ".join(f"{k}={v}" for k, v in e.evidence)
            rows.append(
                (
                    str(e.sequence),
                    step_words(e),
                    f"{e.source or '·'} → {e.dest}",
                    f"{e.actor}"
                    + (f" ({e.role})" if e.role else "")
                    + (f"\n{authenticated_words(e.authenticated)}" if e.authenticated else ""),
                    e.at.isoformat(),
                    " | ".join(filter(None, (evidence, guards, e.note))),
                )
            )
        headers = ("#", _("step"), _("from → to"), _("actor"), _("at"), _("evidence / guards"))
        return Rows.of(headers, rows)


def _due_step(d: Deadline) -> str:
    return d.step + (_(" (automatic)") if d.automatic else "")


def deadline_rows(deadlines: Sequence[Deadline], lang: Language) -> Rows | None:
    """An instance's deadlines in its state: the step and its last day (provisional, or
    moved by a recount, said so); None when it has none."""
    if not deadlines:
        return None
    with in_language(lang):
        rows = [
            (
                _due_step(d),
                deadline_text(d.last_day, d.provisional_year, d.moved_from)
                or d.unknown_because
                or "?",
            )
            for d in deadlines
        ]
        return Rows.of((_("step"), _("last day")), rows, title=_("deadlines"))


def permission_rows(permissions: Sequence[Permission], lang: Language) -> Rows:
    """Each step leaving the state: whether it may be taken, the documents to name, why not
    (each refusal, item by item)."""
    with in_language(lang):
        rows = [
            (
                p.step,
                p.title.in_language(lang),
                Marked.of("✓", Tone.GOOD) if p.allowed else Marked.of("✗", Tone.BAD),
                ", ".join(p.evidence),
                "\n".join(p.reasons),
            )
            for p in permissions
        ]
        headers = (_("step"), "", _("allowed"), _("evidence to name"), _("why not"))
        return Rows.of(headers, rows)


_DUE_TONE = {
    DueStatus.OVERDUE: Tone.BAD,
    DueStatus.UPCOMING: Tone.PLAIN,
    DueStatus.UNKNOWN: Tone.DOUBT,
}


def due_rows(found: Sequence[DueStep], lang: Language) -> Rows:
    """What is due on a day: overdue first, then upcoming, then what cannot be counted."""
    with in_language(lang):
        rows = [
            (
                d.deadline.instance,
                _due_step(d.deadline),
                deadline_text(
                    d.deadline.last_day, d.deadline.provisional_year, d.deadline.moved_from
                )
                or "?",
                Marked.of(due_words(d.status), _DUE_TONE[d.status]),
                str(d.days_left) if d.days_left is not None else d.deadline.unknown_because or "",
            )
            for d in found
        ]
        headers = (
            _("instance"),
            _("step"),
            _("last day"),
            _("status"),
            _("days left / why unknown"),
        )
        return Rows.of(headers, rows)
