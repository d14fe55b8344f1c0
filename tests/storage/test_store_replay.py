"""Recorded histories (tests/fixtures/histories) replayed against the definitions they were
pinned to reproduce their instances' states, in memory and through the SQL store; a history
that a definition does not allow is named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest

from governance_core import Event, ProcessDefinition, ProcessInstance
from governance_core.errors import WorkflowError
from governance_core.model import converter
from governance_core.runtime.replay import replay
from governance_core.storage import SqlStore
from governance_core.storage.audit import replay_all, verify
from tests.support import TESTS

HISTORIES = sorted((TESTS / "fixtures" / "histories").glob("*.json"))


def read(path: Path) -> tuple[ProcessDefinition, ProcessInstance, list[Event]]:
    data: dict[str, Any] = orjson.loads(path.read_bytes())
    definition = converter.structure(data["definition"], ProcessDefinition)
    instance = converter.structure(data["instance"], ProcessInstance)
    events = [converter.structure(e, Event) for e in data["events"]]
    return definition, instance, events


@pytest.mark.parametrize("path", HISTORIES, ids=lambda p: p.stem)
def test_a_recorded_history_replays_to_its_state(path: Path, tmp_path: Path) -> None:
    definition, instance, events = read(path)
    assert definition.content_hash() == instance.definition_hash
    assert replay(definition, events) == (instance.state, instance.version, instance.entered_on)
    store = SqlStore(f"sqlite:///{tmp_path / 'replay.db'}")
    store.pin(definition, instance.definition_hash)
    assert store.import_history([(instance, events)]) == len(events)
    assert replay_all(store) == [] and verify(store).ok


def test_a_history_the_definition_does_not_allow_is_named() -> None:
    definition, _, events = read(HISTORIES[0])
    skipped = [events[0], *(attrs.evolve(e, sequence=e.sequence - 1) for e in events[2:])]
    with pytest.raises(WorkflowError, match=r"event 2: step .* cannot be taken from"):
        replay(definition, skipped)


def test_there_are_recorded_histories() -> None:
    assert len(HISTORIES) >= 3
