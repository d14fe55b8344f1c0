"""What a recount of an instance's deadlines changes: counted again once a year they were
counted across provisionally is published, each deadline keeps its day, moves (remembering the
day it had) or stops being provisional, and the event says which, in words."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from governance_core.messages import _
from governance_core.runtime.records import Deadline

__all__ = ["recounted", "waiting"]


def waiting(deadlines: Iterable[Deadline]) -> dict[str, list[Deadline]]:
    """The deadlines of every instance that has a provisional one, by instance."""
    held: dict[str, list[Deadline]] = {}
    for deadline in deadlines:
        held.setdefault(deadline.instance, []).append(deadline)
    return {k: found for k, found in held.items() if any(d.provisional_year for d in found)}


def _same(a: Deadline, b: Deadline) -> bool:
    return (a.last_day, a.unknown_because, a.provisional_year) == (
        b.last_day,
        b.unknown_because,
        b.provisional_year,
    )


def recounted(
    before: Sequence[Deadline], after: Sequence[Deadline]
) -> tuple[list[Deadline], str] | None:
    """The deadlines after the recount (a moved day keeps the day it had in ``moved_from``)
    and the note of the recount's event; None when nothing changed."""
    held = {d.step: d for d in before}
    found: list[Deadline] = []
    notes: list[str] = []
    for new in after:
        old = held.get(new.step)
        if old is None or _same(old, new):
            found.append(attrs.evolve(new, moved_from=old.moved_from) if old else new)
            continue
        moved = old.last_day != new.last_day
        found.append(attrs.evolve(new, moved_from=old.last_day if moved else old.moved_from))
        notes.append(_note(old, new))
    if not notes and {d.step for d in before} == {d.step for d in after}:
        return None
    return found, "; ".join(notes) or _("the deadlines were counted again")


def _note(old: Deadline, new: Deadline) -> str:
    if old.last_day != new.last_day:
        text = _("{step}: last day moved from {old} to {new}").format(
            step=new.step, old=old.last_day or "?", new=new.last_day or "?"
        )
    else:
        text = _("{step}: last day {day} confirmed").format(step=new.step, day=new.last_day)
    if new.provisional_year is not None:
        text += _(" (still provisional: the {year} calendar is not published)").format(
            year=new.provisional_year
        )
    elif old.provisional_year is not None:
        text += _(" (the {year} calendar is published)").format(year=old.provisional_year)
    return text
