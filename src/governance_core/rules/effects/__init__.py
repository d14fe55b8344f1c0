"""Effects of decisions (``effects:`` in a policy file): a bar (不得评先树优, 两年内不得提拔重用),
a label (工作后进村) or a duty (诫勉谈话) that a grade, a list's hit or a procedure's step
imposes on a person, dated and cited (docs/effects.md)."""

from governance_core.rules.effects._definition import (
    DeclaredEffect,
    Due,
    ImposedBy,
    Lasts,
    Subject,
)
from governance_core.rules.effects.kind import EFFECTS, EFFECTS_SECTION, Effects, EffectsKind

__all__ = [
    "EFFECTS",
    "EFFECTS_SECTION",
    "DeclaredEffect",
    "Due",
    "Effects",
    "EffectsKind",
    "ImposedBy",
    "Lasts",
    "Subject",
]
