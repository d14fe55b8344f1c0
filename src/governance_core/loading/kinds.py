"""The registered kinds of rule, in the order they are assembled, and the sections of policy
and overlay files they make up. Adding a kind: its package under ``rules/`` and one line here.
"""

from __future__ import annotations

from typing import Any

from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.kinds import PolicyKind, Section
from governance_core.rules.parameter_sections import PARAMETER_CHANGES, PARAMETERS
from governance_core.rules.points.kind import POINTS
from governance_core.rules.procedures.kind import PROCEDURES
from governance_core.rules.scoring.kind import SCORING

__all__ = ["KINDS", "OVERLAY_SECTIONS", "POLICY_SECTIONS"]

# a kind may refer to the records of any other (by section name), so their ids are all known
# before the first is assembled; the order only decides the order of the problems reported
KINDS: tuple[PolicyKind[Any], ...] = (
    CRITERIA,
    SCORING,
    POINTS,
    PROCEDURES,
)

POLICY_SECTIONS: tuple[Section[Any], ...] = (
    PARAMETERS,
    *(section for kind in KINDS for section in kind.sections),
)
"""Every section a policy file may hold; parameters, which every kind reads, first."""

OVERLAY_SECTIONS: tuple[Section[Any], ...] = (
    PARAMETER_CHANGES,
    *(section for kind in KINDS for section in kind.overlay_sections),
)
"""Every section an overlay file may hold besides its ``overlay:`` header."""
