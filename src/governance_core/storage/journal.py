"""A store that keeps every accepted write in a JSON-lines journal file and replays it when
opened: what the ``governance process`` commands use between runs until the SQL store.

Each line is one write (an instance created, or an event appended with the expected version
and the new deadlines), appended and flushed to disk (fsync) after the in-memory store has
accepted it, so a refused or conflicting write leaves the file as it was. The guards' verdicts
are kept as their status and reason; the explained detail is in the result the fire returned.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, final

import orjson

from governance_core.errors import Problem, WorkflowError
from governance_core.files.protection import key_from_environment, protect, reveal
from governance_core.loading.manifest import Manifest
from governance_core.messages import _
from governance_core.model import ImposedEffect, converter
from governance_core.rules.procedures import ProcessDefinition
from governance_core.runtime.records import Deadline, Event, ProcessInstance
from governance_core.runtime.store import MemoryStore

__all__ = ["JournalStore"]


@final
class JournalStore:
    """A :class:`~governance_core.runtime.ProcessStore` backed by a journal file."""

    __slots__ = ("_memory", "path")

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._memory = MemoryStore()
        key_from_environment()  # personal data encrypted in the file with a key (security.md)
        if self.path.exists():
            self._replay()

    def _replay(self) -> None:
        with self.path.open("rb") as journal:
            for number, line in enumerate(journal, 1):
                try:
                    entry: dict[str, Any] = orjson.loads(reveal(line.decode("utf-8")))
                    instance = converter.structure(entry["instance"], ProcessInstance)
                    event = converter.structure(entry["event"], Event)
                    deadlines = entry["deadlines"]
                    found = (
                        None
                        if deadlines is None
                        else converter.structure(deadlines, tuple[Deadline, ...])
                    )
                    if entry["expected"] is None:
                        self._memory.create(instance, event, found or ())
                    else:
                        self._memory.append(instance, entry["expected"], event, found)
                except Exception as exc:  # any malformed line: the journal cannot be trusted
                    problem = Problem(
                        _("journal entry cannot be replayed: {name}: {exc}").format(
                            name=type(exc).__name__, exc=exc
                        ),
                        str(self.path),
                        number,
                        hint=_("restore the journal from a backup; it is never edited by hand"),
                    )
                    raise WorkflowError(str(problem)) from exc

    def _write(
        self,
        instance: ProcessInstance,
        expected: int | None,
        event: Event,
        deadlines: Sequence[Deadline] | None,
    ) -> None:
        entry = {
            "instance": converter.unstructure(instance),
            "expected": expected,
            "event": converter.unstructure(event),
            "deadlines": None if deadlines is None else converter.unstructure(tuple(deadlines)),
        }
        with self.path.open("ab") as journal:
            journal.write(protect(orjson.dumps(entry).decode("utf-8")).encode("utf-8") + b"\n")
            journal.flush()
            os.fsync(journal.fileno())

    def pin(self, definition: ProcessDefinition, content_hash: str) -> None:
        """Nothing to keep: the journal pins each instance by its definition's hash."""

    def create(
        self, instance: ProcessInstance, event: Event, deadlines: Sequence[Deadline]
    ) -> Event:
        summary = event.summarised()
        recorded = self._memory.create(instance, summary, deadlines)
        if recorded is not summary:
            return recorded  # a request id already recorded
        self._write(instance, None, summary, deadlines)
        return event

    def append(
        self,
        instance: ProcessInstance,
        expected_version: int,
        event: Event,
        deadlines: Sequence[Deadline] | None,
    ) -> Event:
        summary = event.summarised()
        recorded = self._memory.append(instance, expected_version, summary, deadlines)
        if recorded is not summary:
            return recorded
        self._write(instance, expected_version, summary, deadlines)
        return event

    def load(self, instance_id: str) -> ProcessInstance:
        return self._memory.load(instance_id)

    def events(self, instance_id: str) -> tuple[Event, ...]:
        return self._memory.events(instance_id)

    def by_request(self, request_id: str) -> Event | None:
        return self._memory.by_request(request_id)

    def instances(self) -> Iterator[ProcessInstance]:
        return self._memory.instances()

    def deadlines(self) -> Iterator[Deadline]:
        return self._memory.deadlines()

    def effects_in_force(self, person: str, day: date) -> tuple[ImposedEffect, ...]:
        return self._memory.effects_in_force(person, day)

    def keep_policy_set(self, manifest: Manifest) -> None:
        """Kept while the journal is open: its events name the digest."""
        self._memory.keep_policy_set(manifest)

    def policy_set(self, digest: str) -> Manifest | None:
        return self._memory.policy_set(digest)
