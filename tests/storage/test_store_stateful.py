"""A stateful test of the SQL store: writers fire on fresh copies and on stale ones kept from
earlier; a stale writer must get the conflict and change nothing. Run against a mutant without
the version check, the stale-writer rule fails (see the [store] closing note)."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from hypothesis import settings
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule

from governance_core import Actor, Engine, ProcessInstance, VersionConflictError
from governance_core.storage import SqlStore
from tests.storage.store_workers import FOUR, NEXT

AT = datetime(2024, 3, 1, 9, 0)
ENGINE = Engine.load()


class StoreMachine(RuleBasedStateMachine):
    copies = Bundle("copies")

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.runtime = ENGINE.runtime(SqlStore(f"sqlite:///{Path(self.folder.name) / 's.db'}"))
        self.versions: dict[str, int] = {}

    def teardown(self) -> None:
        self.runtime.store.engine.dispose()  # type: ignore[attr-defined]
        self.folder.cleanup()

    @rule(target=copies)
    def start(self) -> ProcessInstance:
        number = len(self.versions)
        instance = self.runtime.start(
            FOUR, f"事项{number}", Actor("a"), AT, instance_id=f"m{number}"
        )
        self.versions[instance.id] = 1
        return self.runtime.store.load(instance.id)

    @rule(target=copies, copy=copies)
    def fire_fresh(self, copy: ProcessInstance) -> ProcessInstance:
        fresh = self.runtime.store.load(copy.id)
        if fresh.state in NEXT:
            step, role, kind = NEXT[fresh.state]
            self.runtime.fire(fresh, step, Actor("w", frozenset({role})), AT, evidence={kind: "d"})
            self.versions[fresh.id] += 1
        return self.runtime.store.load(copy.id)

    @rule(copy=copies)
    def fire_stale(self, copy: ProcessInstance) -> None:
        """A writer holding an old copy: if the instance moved since, nothing may be written."""
        stored = self.runtime.store.load(copy.id)
        if copy.state not in NEXT or stored.version == copy.version:
            return
        held = ProcessInstance(
            copy.id,
            copy.process,
            copy.process_version,
            copy.definition_hash,
            copy.subject,
            copy.state,
            copy.version,
            copy.entered_on,
        )
        step, role, kind = NEXT[held.state]
        try:
            self.runtime.fire(
                held, step, Actor("stale", frozenset({role})), AT, evidence={kind: "d"}
            )
        except VersionConflictError:
            pass
        else:
            raise AssertionError(f"a stale writer (v{copy.version}) overwrote v{stored.version}")
        assert self.runtime.store.load(copy.id).version == stored.version

    @invariant()
    def versions_count_events(self) -> None:
        for instance_id, version in self.versions.items():
            assert self.runtime.store.load(instance_id).version == version
            assert len(self.runtime.history(instance_id)) == version


TestStore = StoreMachine.TestCase
TestStore.settings = settings(max_examples=25, stateful_step_count=20, deadline=None)
