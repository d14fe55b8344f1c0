"""A run keeps what it loaded out of the collector's way, and gives it back whatever happens."""

from __future__ import annotations

import gc

import pytest

from governance_core.jobs.collection import kept_from_collection


def _collected() -> set[int]:
    """The objects the collector looks at (a frozen one is not among them)."""
    return {id(o) for o in gc.get_objects()}


def test_what_is_alive_is_frozen_inside_and_collectable_after() -> None:
    loaded = [[k] for k in range(100)]  # lists: objects the collector tracks
    with kept_from_collection():
        made = [[k] for k in range(10)]
        looked_at = _collected()
        assert not any(id(o) in looked_at for o in loaded)
        assert all(id(o) in looked_at for o in made)
    looked_at = _collected()
    assert all(id(o) in looked_at for o in loaded) and gc.get_freeze_count() == 0


def test_a_failing_run_unfreezes_too() -> None:
    def failing() -> None:
        with kept_from_collection():
            raise RuntimeError("the run failed")

    with pytest.raises(RuntimeError):
        failing()
    assert gc.get_freeze_count() == 0


def test_inside_a_run_that_keeps_them_nothing_more_is_done() -> None:
    with kept_from_collection():
        frozen = gc.get_freeze_count()
        with kept_from_collection():
            [object() for _ in range(10)]
        assert gc.get_freeze_count() == frozen  # the outer run's objects stay kept
    assert gc.get_freeze_count() == 0
