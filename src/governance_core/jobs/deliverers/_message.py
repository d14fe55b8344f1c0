"""What a delivery says: the consequence of a step in words of the current language (Chinese
from the command line), and the same as data for a webhook's JSON body."""

from __future__ import annotations

from datetime import datetime
from typing import Any, final

import attrs

from governance_core.files import masked
from governance_core.messages import _, language
from governance_core.plugins import Delivery

__all__ = ["Message", "message_of"]


@final
@attrs.frozen(slots=True)
class Message:
    """One delivery as every channel sends it: ``subject`` (a mail's subject), ``text`` (what
    a person reads) and ``data`` (a webhook's JSON body). ``delivery`` stays the same across
    attempts, so a receiver can tell a repeat."""

    delivery: int
    subject: str
    text: str
    data: dict[str, Any]

    def masked(self) -> Message:
        """The message with ID-card and mobile numbers masked (a channel not allowed to
        carry them)."""
        data = {k: masked(v) if isinstance(v, str) else v for k, v in self.data.items()}
        return attrs.evolve(self, subject=masked(self.subject), text=masked(self.text), data=data)


def message_of(delivery: Delivery, sent_at: datetime) -> Message:
    """The message of one consequence, or of a reminder (its words, written when the sweep
    sent it), in the current language."""
    consequence = delivery.consequence.in_language(language())
    if delivery.kind == "reminder":
        subject, text = _("Reminder"), consequence
    elif delivery.kind == "effect":
        subject, text = _("Effect of a decision"), consequence
    else:
        subject = _("Consequence of step {sequence} of {instance}").format(
            sequence=delivery.sequence, instance=delivery.instance
        )
        text = _("{subject}: {consequence}").format(subject=subject, consequence=consequence)
    data: dict[str, Any] = {
        "id": delivery.id,
        "kind": delivery.kind,
        "instance": delivery.instance,
        "sequence": delivery.sequence,
        "attempt": delivery.attempt,
        "to": list(delivery.to),
        "consequence_zh": delivery.consequence.zh,
        "consequence_en": delivery.consequence.en,
        "text": text,
        "sent_at": sent_at.isoformat(),
    }
    return Message(delivery.id, subject, text, data)
