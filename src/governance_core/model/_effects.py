"""Effects a decision imposed: a bar (不得评先树优), a label (工作后进村) or a duty (诫勉谈话),
dated, on a person or, through the post the person held, on an organisation."""

from __future__ import annotations

import enum
from datetime import date
from typing import final

import attrs

__all__ = ["EffectKind", "ImposedEffect"]


class EffectKind(enum.Enum):
    """What an effect does. ``bar``: something the person may not be chosen for (awards,
    promotion) while it is in force. ``label``: a standing the person or organisation carries
    (工作后进村, 优秀第一书记). ``duty``: something someone must do about the person (诫勉谈话),
    with a due day when the source gives one."""

    BAR = "bar"
    LABEL = "label"
    DUTY = "duty"


@final
@attrs.frozen(slots=True)
class ImposedEffect:
    """An effect in force from ``starts`` to ``ends`` (inclusive; None: until lifted, or until
    an end the source does not publish, ``end_unknown``) unless lifted on ``lifted_on``.

    ``id`` names the decision and the person, so that deciding again imposes nothing twice.
    ``effect`` is the declared effect (``effects:`` in a policy file); ``bars`` what a bar
    bars; ``organisation`` the organisation an effect on an organisation is on (the one the
    person held the graded post in); ``due`` a duty's last day on the official calendar (counted on weekends only across
    ``due_provisional_year`` when that year is not published yet);
    ``decided_by`` the record that imposed it (a run's step and occurrence, a step of an
    instance)."""

    id: str
    effect: str
    person: str
    kind: EffectKind
    starts: date
    ends: date | None = None
    end_unknown: bool = False
    bars: str | None = None
    organisation: str | None = None
    due: date | None = None
    due_provisional_year: int | None = None
    lifted_on: date | None = None
    decided_by: str = ""

    def in_force(self, day: date) -> bool:
        """Whether it applies on ``day``: started, not ended and not lifted."""
        if day < self.starts or (self.ends is not None and day > self.ends):
            return False
        return self.lifted_on is None or day < self.lifted_on
