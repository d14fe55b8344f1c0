"""A run keeps what it loaded out of the collector's way, and gives it back whatever happens."""

from __future__ import annotations

import gc

import pytest

from governance_core.jobs.collection import kept_from_collection


def test_what_is_alive_is_frozen_inside_and_collectable_after() -> None:
    loaded = [object() for _ in range(100)]
    with kept_from_collection():
        assert gc.get_freeze_count() >= len(loaded)
    assert gc.get_freeze_count() == 0


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
