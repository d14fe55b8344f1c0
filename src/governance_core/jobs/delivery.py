"""Delivering the consequences in a store's outbox through the plugins' ``governance_deliver``
and the channels of the settings' ``[delivery]`` table (a signed webhook, e-mail, the WeCom
and DingTalk robots): claim one due row, hand it to every deliverer, acknowledge it, or record
the failure for a later attempt (docs/storage.md, "The outbox"; docs/delivery.md). Safe to run
in several processes at once. A row is delivered at least once: when one deliverer fails, the
others may see it again, with the same delivery id."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import final

import attrs

from governance_core.engine import Engine
from governance_core.errors import GovernanceError, PluginError
from governance_core.jobs.deliverers import Channel, DeliveryError, message_of, routed
from governance_core.messages import _
from governance_core.model import converter
from governance_core.plugins import Delivery
from governance_core.rules.common import Title
from governance_core.storage import SqlStore
from governance_core.storage.incidents import Incident, IncidentKind
from governance_core.storage.outbox import OutboxRow

__all__ = ["DeliveryReport", "deliver_due", "of_dead_letter"]


@final
@attrs.frozen(slots=True)
class DeliveryReport:
    """What one pass delivered, what failed (and will be retried), what died."""

    delivered: tuple[int, ...] = ()
    failed: tuple[tuple[int, str], ...] = ()
    dead: tuple[int, ...] = ()


def _delivery(row: OutboxRow) -> Delivery:
    # a reminder's payload says whom it is addressed to beside its words
    payload = dict(row.payload)
    to = tuple(payload.pop("to", ()))
    return Delivery(
        row.id,
        row.instance,
        row.sequence,
        row.kind,
        converter.structure(payload, Title),
        row.attempts,
        to,
    )


def of_dead_letter(row: OutboxRow, reason: str, at: datetime, subject: str | None) -> Incident:
    """The incident of a delivery that died after its last attempt (one per death)."""
    cause = _("delivery of outbox row {row} died after {attempts} attempts: {reason}").format(
        row=row.id, attempts=row.attempts, reason=reason
    )
    return Incident(
        f"dead/{row.id}/{row.attempts}",
        IncidentKind.DEAD_LETTER,
        f"outbox:{row.id}",
        cause,
        at,
        subject=subject,
    )


def _subject(store: SqlStore, row: OutboxRow) -> str | None:
    """Whom a dead consequence concerns: its instance's subject (a reminder's is in its text)."""
    if row.kind != "consequence":
        return None
    try:
        return store.load(row.instance).subject
    except GovernanceError:
        return None


def deliver_due(
    engine: Engine,
    store: SqlStore,
    now: datetime,
    *,
    lease: timedelta = timedelta(minutes=10),
    backoff: timedelta = timedelta(minutes=1),
    max_attempts: int = 5,
    clock: Callable[[], datetime] | None = None,
    channels: Sequence[Channel] = (),
) -> DeliveryReport:
    """Deliver every consequence due at ``now``, one at a time, each to every plugin that
    implements ``governance_deliver`` and through every channel (masked unless the channel
    may carry personal data); ``clock`` (default: ``now`` throughout) dates the
    acknowledgements and the messages. A row whose delivery fails is retried after
    ``backoff`` doubling per attempt, and is dead after ``max_attempts``: an incident then
    says so (docs/incidents.md)."""
    if backoff <= timedelta(0) or lease <= timedelta(0):
        raise ValueError("the back-off and the lease must be positive")
    at = clock or (lambda: now)
    delivered: list[int] = []
    failed: list[tuple[int, str]] = []
    dead: list[int] = []
    # a failed row is due again only after its back-off, and a claimed one after its lease,
    # both later than ``now``: each row is claimed at most once in a pass
    while (row := store.outbox.claim(now, lease)) is not None:
        delivery = _delivery(row)
        try:
            engine.plugins.deliver(delivery)
            message = message_of(delivery, at())
            for channel in routed(channels, delivery.to):
                channel.send(message if channel.personal_data else message.masked())
        except (PluginError, DeliveryError) as error:
            reason = str(error.problems[0]) if isinstance(error, PluginError) else str(error)
            store.outbox.failed(row, at(), reason, backoff=backoff, max_attempts=max_attempts)
            if row.attempts >= max_attempts:
                dead.append(row.id)
                store.incidents.open([of_dead_letter(row, reason, at(), _subject(store, row))])
            else:
                failed.append((row.id, reason))
            continue
        if store.outbox.acknowledge(row, at()):
            delivered.append(row.id)
    return DeliveryReport(tuple(delivered), tuple(failed), tuple(dead))
