"""Effects in the store (``SqlStore.effects``): each imposition and lifting is a record of kind
``effect`` in the hash chain, its body the effect after the event; the effect as it stands is
its last record. Imposing is named by the effect's id, so deciding again imposes nothing twice;
lifting is an event of its own, with who lifted it and why (docs/effects.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, final

import attrs
import orjson
from sqlalchemy import select

from governance_core.errors import GovernanceError
from governance_core.messages import _
from governance_core.model import ImposedEffect, converter
from governance_core.rules.common import Title
from governance_core.storage import _schema as schema
from governance_core.storage._chain import Chain
from governance_core.storage.decisions import checked, outbox_key, record_once

__all__ = ["EffectError", "EffectLog", "RecordedEffect", "effect_bodies"]

KIND = "effect"


class EffectError(GovernanceError):
    """An effect that cannot be lifted: unknown, lifted already, or lifted before it began."""


@final
@attrs.frozen(slots=True)
class RecordedEffect:
    """An effect as it stands, with its history: when it was imposed, and who lifted it, on
    what day and why (``lifted_by``, ``reason``; None while in force)."""

    effect: ImposedEffect
    imposed_at: int
    lifted_by: str | None = None
    reason: str | None = None
    lifted_at: int | None = None


def effect_bodies(effects: Iterable[ImposedEffect]) -> list[dict[str, Any]]:
    """The chained bodies of effects imposed."""
    return [{"event": "imposed", "effect": converter.unstructure(e)} for e in effects]


@final
class EffectLog:
    """Effects recorded in a database's chain."""

    __slots__ = ("_chain",)

    def __init__(self, chain: Chain) -> None:
        self._chain = chain

    def impose(
        self, effects: Iterable[ImposedEffect], messages: Mapping[str, Title] | None = None
    ) -> int:
        """Record effects imposed, in one transaction; one already recorded (the same id) is
        not recorded again. With ``messages`` (what to tell, by effect id), each is queued in
        the outbox with its record, to be delivered (docs/delivery.md). The number written."""
        found = list(effects)
        ids: list[str] = [f"effect/{e.id}" for e in found]
        bodies = effect_bodies(found)
        if messages is None:
            return record_once(self._chain, KIND, bodies, ids)
        for body, effect in zip(bodies, found, strict=True):
            body["outbox"] = outbox_key(KIND, effect.id)
            body["payload"] = converter.unstructure(messages[effect.id])
        return record_once(self._chain, KIND, bodies, ids, queued=True)

    def lift(self, effect_id: str, on: date, *, by: str, reason: str) -> RecordedEffect:
        """Lift an effect from ``on`` (it is no longer in force that day), recorded with who
        lifted it and why; EffectError when it is unknown, already lifted or ended, or
        ``on`` is before it began."""
        current = self._current(effect_id)
        effect = current.effect
        if current.lifted_at is not None or effect.lifted_on is not None:
            raise EffectError(
                _("effect {id} was lifted on {day}").format(id=effect_id, day=effect.lifted_on)
            )
        if on < effect.starts:
            raise EffectError(
                _("effect {id} begins on {starts}: it cannot be lifted on {day}").format(
                    id=effect_id, starts=effect.starts, day=on
                )
            )
        lifted = attrs.evolve(effect, lifted_on=on)
        body = {
            "event": "lifted",
            "effect": converter.unstructure(lifted),
            "by": by,
            "reason": reason,
        }
        record_once(self._chain, KIND, [body], None)
        return self._current(effect_id)

    def effects(
        self, *, person_id: str | None = None, in_force_on: date | None = None
    ) -> list[RecordedEffect]:
        """Every effect as it stands, in the order imposed; of one person, and in force on a
        day, when given. StoreError when a record no longer matches the chain."""
        query = select(schema.effect_records, schema.events.c.body).join(
            schema.events, schema.events.c.position == schema.effect_records.c.position
        )
        if person_id is not None:
            query = query.where(schema.effect_records.c.person_id == person_id)
        with self._chain.engine.connect() as c:
            rows = c.execute(query.order_by(schema.effect_records.c.position)).all()
            found = [{**row._asdict(), "body": orjson.loads(row.body)} for row in rows]
            checked(c, KIND, found)
        standing: dict[str, RecordedEffect] = {}
        for record in found:
            body, position = record["body"], record["position"]
            effect = converter.structure(body["effect"], ImposedEffect)
            if body["event"] == "imposed":
                standing[effect.id] = RecordedEffect(effect, position)
            else:
                earlier = standing[effect.id]
                standing[effect.id] = attrs.evolve(
                    earlier,
                    effect=effect,
                    lifted_by=body["by"],
                    reason=body["reason"],
                    lifted_at=position,
                )
        return [
            r for r in standing.values() if in_force_on is None or r.effect.in_force(in_force_on)
        ]

    def _current(self, effect_id: str) -> RecordedEffect:
        query = (
            select(schema.effect_records.c.person_id)
            .where(schema.effect_records.c.effect_record == effect_id)
            .limit(1)
        )
        with self._chain.engine.connect() as c:
            person = c.execute(query).scalar()
        for recorded in self.effects(person_id=person) if person is not None else ():
            if recorded.effect.id == effect_id:
                return recorded
        raise EffectError(_("no effect {id} is recorded").format(id=effect_id))
