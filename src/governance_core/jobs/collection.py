"""Keeping a run's long-lived objects (the engine, a district's data) out of the cyclic
garbage collector's way while the run makes and drops its own."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["kept_from_collection"]


@contextmanager
def kept_from_collection() -> Iterator[None]:
    """Inside the block, what is alive when it begins is left out of collections (gc.freeze):
    a full collection would otherwise walk all of the engine again and again, and in a forked
    worker touch every inherited object, copying the parent's memory page by page. What the
    block makes is collected as usual; at its end everything is collectable again.

    Inside another such block, or in a worker forked from one, nothing more is done: the
    frozen objects are left where they are (freezing again would touch every inherited
    object, and unfreezing give the parent's objects back to the worker's collections)."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
