"""A consequence handed to the plugins that deliver it (``governance_deliver``)."""

from __future__ import annotations

from typing import final

import attrs

from governance_core.rules.common import Title

__all__ = ["Delivery"]


@final
@attrs.frozen(slots=True)
class Delivery:
    """One consequence of one step, delivered at least once: ``id`` stays the same across
    attempts, so a deliverer that sends a notice can tell a repeat and send it once.
    ``attempt`` counts from 1; ``to``: the roles it is addressed to (a reminder's or an
    escalation's), which choose the channels it goes through."""

    id: int
    instance: str
    sequence: int
    kind: str
    consequence: Title
    attempt: int
    to: tuple[str, ...] = ()
