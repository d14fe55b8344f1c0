"""The registered kinds of rule, in the order they are assembled, and the sections of policy
and overlay files they make up. Adding a kind: its package under ``rules/`` and one line here.

Loading reads :data:`KINDS` each time it reads a file or assembles a set (the file forms are
built once per registry), so a test may register a kind of its own for a while.
"""

from __future__ import annotations

import functools
from typing import Any

from governance_core.rules.calendar.kind import CALENDAR
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.cycles.kind import CYCLES
from governance_core.rules.gaps.kind import GAPS
from governance_core.rules.kinds import PolicyKind, Section
from governance_core.rules.parameter_sections import PARAMETER_CHANGES, PARAMETERS
from governance_core.rules.points.kind import POINTS
from governance_core.rules.procedures.kind import PROCEDURES
from governance_core.rules.scoring.kind import SCORING

__all__ = ["KINDS", "overlay_sections", "policy_sections"]

# a kind may refer to the records of any other (by section name), so their ids are all known
# before the first is assembled; the order only decides the order of the problems reported
KINDS: tuple[PolicyKind[Any], ...] = (
    CRITERIA,
    SCORING,
    POINTS,
    PROCEDURES,
    CYCLES,
    CALENDAR,
    GAPS,
)


def policy_sections() -> tuple[Section[Any], ...]:
    """Every section a policy file may hold; parameters, which every kind reads, first."""
    return _sections(KINDS, overlay=False)


def overlay_sections() -> tuple[Section[Any], ...]:
    """Every section an overlay file may hold besides its ``overlay:`` header."""
    return _sections(KINDS, overlay=True)


@functools.cache
def _sections(kinds: tuple[PolicyKind[Any], ...], *, overlay: bool) -> tuple[Section[Any], ...]:
    if overlay:
        return (PARAMETER_CHANGES, *(s for kind in kinds for s in kind.overlay_sections))
    return (PARAMETERS, *(s for kind in kinds for s in kind.sections))
