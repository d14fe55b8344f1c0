"""Read a roster from a YAML or JSON file, every problem located by line and column."""

from __future__ import annotations

from pathlib import Path

from governance_core.errors import ProblemKind, RosterError
from governance_core.files import Located, load_yaml, structure_located
from governance_core.messages import _
from governance_core.model._convert import converter
from governance_core.model._roster import Roster

__all__ = ["load_roster", "roster_from"]


def load_roster(path: str | Path) -> Roster:
    """Load a roster file (YAML or JSON).

    Raises :class:`RosterError` listing every problem: malformed YAML, unknown or missing
    fields, wrong types, duplicate ids and references to people or organisations that the
    roster does not hold. Nothing is returned unless the whole file is valid.
    """
    return roster_from(load_yaml(path, RosterError))


def roster_from(located: Located) -> Roster:
    """The roster of located data (a file's, or a workbook's); RosterError lists every
    problem at its place: wrong values, duplicate ids, rows naming what the roster lacks."""
    roster = structure_located(converter, located, Roster, RosterError)
    issues = roster.issues()
    if issues:
        raise RosterError(
            located.problem(
                (i.section, i.index, i.field),
                i.message,
                hint=_("fix or remove the row"),
                kind=ProblemKind.REFERENCE if i.field in ("person", "organisation") else None,
            )
            for i in issues
        )
    return roster
