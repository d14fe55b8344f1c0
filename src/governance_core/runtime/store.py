"""The store the runtime writes through, and an in-memory implementation.

The protocol is shaped for a durable store (the SQL store): every write is one atomic unit
that compares the instance's version before it writes (compare-and-swap), appends the event,
and replaces the instance's deadlines; a request id already recorded makes the write return
the first event and write nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Protocol, final

from governance_core.errors import UnknownInstanceError, VersionConflictError
from governance_core.loading.manifest import Manifest
from governance_core.model import ImposedEffect
from governance_core.rules.procedures import ProcessDefinition
from governance_core.runtime.records import Deadline, Event, ProcessInstance

__all__ = ["MemoryStore", "ProcessStore"]


class ProcessStore(Protocol):
    """Where instances, their events and their deadlines are kept."""

    def pin(self, definition: ProcessDefinition, content_hash: str) -> None:
        """Keep the definition instances run under, by content hash (a durable store keeps
        it so that an instance's history can be replayed against it)."""
        ...

    def create(
        self, instance: ProcessInstance, event: Event, deadlines: Sequence[Deadline]
    ) -> Event:
        """Record a new instance and its opening event; a request id already recorded returns
        its first event and writes nothing; an instance id already used is a VersionConflictError."""
        ...

    def append(
        self,
        instance: ProcessInstance,
        expected_version: int,
        event: Event,
        deadlines: Sequence[Deadline] | None,
    ) -> Event:
        """Record ``instance`` as moved by ``event`` if the stored version is still
        ``expected_version`` (VersionConflictError otherwise, nothing written). ``deadlines``
        replace the instance's, or are kept when None. Returns the event recorded, or the first
        event of a request id already recorded."""
        ...

    def load(self, instance_id: str) -> ProcessInstance:
        """A fresh copy of the stored instance; UnknownInstanceError when there is none."""
        ...

    def events(self, instance_id: str) -> tuple[Event, ...]:
        """The instance's events in order (sequence 1, 2, …)."""
        ...

    def by_request(self, request_id: str) -> Event | None:
        """The event recorded under ``request_id``, if any."""
        ...

    def instances(self) -> Iterator[ProcessInstance]:
        """Every stored instance (fresh copies), ordered by id."""
        ...

    def deadlines(self) -> Iterator[Deadline]:
        """The current deadlines of every instance, ordered by instance and step."""
        ...

    def effects_in_force(self, person: str, day: date) -> tuple[ImposedEffect, ...]:
        """The effects on ``person`` in force on ``day`` that the store holds (those steps
        imposed, and any the store records besides), for the guards to read."""
        ...

    def keep_policy_set(self, manifest: Manifest) -> None:
        """Keep the manifest of the policy set steps name by its digest (once), as a
        definition is pinned: a step can then be checked against its policies."""
        ...

    def policy_set(self, digest: str) -> Manifest | None:
        """The manifest kept for ``digest``; None when none is."""
        ...


# process, process version, definition hash, subject, state, version, entered on: the fields
# of a ProcessInstance after its id, so that load() rebuilds one from them
_Row = tuple[str, int, str, str, str, int, date]


@final
class MemoryStore:
    """A :class:`ProcessStore` in memory, for tests, examples and one-off runs."""

    __slots__ = ("_deadlines", "_events", "_manifests", "_requests", "_rows")

    def __init__(self) -> None:
        self._rows: dict[str, _Row] = {}
        self._events: dict[str, list[Event]] = {}
        self._requests: dict[str, Event] = {}
        self._deadlines: dict[str, tuple[Deadline, ...]] = {}
        self._manifests: dict[str, Manifest] = {}

    @staticmethod
    def _row(i: ProcessInstance) -> _Row:
        return (
            i.process,
            i.process_version,
            i.definition_hash,
            i.subject,
            i.state,
            i.version,
            i.entered_on,
        )

    def pin(self, definition: ProcessDefinition, content_hash: str) -> None:
        """Nothing to keep: the definition lives as long as the runtime."""

    def create(
        self, instance: ProcessInstance, event: Event, deadlines: Sequence[Deadline]
    ) -> Event:
        first = self._requests.get(event.request_id) if event.request_id else None
        if first is not None:
            return first
        if instance.id in self._rows:
            _, _, _, _, _, version, _ = self._rows[instance.id]
            raise VersionConflictError(instance.id, 0, version)
        self._rows[instance.id] = self._row(instance)
        self._events[instance.id] = [event]
        self._deadlines[instance.id] = tuple(deadlines)
        if event.request_id:
            self._requests[event.request_id] = event
        return event

    def append(
        self,
        instance: ProcessInstance,
        expected_version: int,
        event: Event,
        deadlines: Sequence[Deadline] | None,
    ) -> Event:
        request = event.request_id
        if request:
            first = self._requests.get(request)
            if first is not None:
                return first
        key = instance.id
        row = self._rows.get(key)
        if row is None:
            raise UnknownInstanceError(key)
        _, _, _, _, _, version, _ = row
        if version != expected_version:
            raise VersionConflictError(key, expected_version, version)
        self._rows[key] = self._row(instance)  # a migration changes the pinned definition too
        self._events[key].append(event)
        if deadlines is not None:
            self._deadlines[key] = tuple(deadlines)
        if request:
            self._requests[request] = event
        return event

    def load(self, instance_id: str) -> ProcessInstance:
        row = self._rows.get(instance_id)
        if row is None:
            raise UnknownInstanceError(instance_id)
        return ProcessInstance(instance_id, *row)

    def events(self, instance_id: str) -> tuple[Event, ...]:
        if instance_id not in self._events:
            raise UnknownInstanceError(instance_id)
        return tuple(self._events[instance_id])

    def by_request(self, request_id: str) -> Event | None:
        return self._requests.get(request_id)

    def instances(self) -> Iterator[ProcessInstance]:
        for instance_id in sorted(self._rows):
            yield self.load(instance_id)

    def deadlines(self) -> Iterator[Deadline]:
        for instance_id in sorted(self._deadlines):
            yield from sorted(self._deadlines[instance_id], key=lambda d: d.step)

    def keep_policy_set(self, manifest: Manifest) -> None:
        self._manifests.setdefault(manifest.digest, manifest)

    def policy_set(self, digest: str) -> Manifest | None:
        return self._manifests.get(digest)

    def effects_in_force(self, person: str, day: date) -> tuple[ImposedEffect, ...]:
        # the effects steps imposed are kept with their events
        return tuple(
            effect
            for events in self._events.values()
            for event in events
            for effect in event.effects
            if effect.person == person and effect.in_force(day)
        )

    def __len__(self) -> int:
        return len(self._rows)
