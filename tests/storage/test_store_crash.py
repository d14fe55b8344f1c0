"""The crash harness: a child process fires steps and acknowledges each only after its
commit; the parent kills it with SIGKILL at random moments, over and over. After each kill no
acknowledged step is missing, SQLite's integrity check passes, the chain verifies and every
instance's version equals its number of events."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

from sqlalchemy import text

from governance_core.storage import SqlStore
from governance_core.storage.audit import verify
from tests.storage.store_workers import fire_until_killed

KILLS = 100


def test_no_acknowledged_step_is_lost_to_sigkill(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    SqlStore(url)  # the schema, before any child
    rng = random.Random(20261122)
    acknowledged: set[tuple[str, int]] = set()
    # forked, not spawned: a child starts in milliseconds instead of importing the library
    # again, and opens its own store after the fork
    fork = multiprocessing.get_context("fork")
    for _ in range(KILLS):
        read_end, write_end = os.pipe()
        child = fork.Process(target=fire_until_killed, args=(url, write_end), daemon=True)
        child.start()
        os.close(write_end)
        with os.fdopen(read_end, encoding="utf-8") as acknowledgements:
            first = acknowledgements.readline()  # running: it has committed one step
            assert first, "the child died before its first step"
            time.sleep(rng.uniform(0.0, 0.15))
            assert child.pid is not None
            os.kill(child.pid, signal.SIGKILL)
            rest = acknowledgements.read()
        child.join()
        # a step is acknowledged by its whole line (each line is one write)
        for line in (first + rest).split("\n")[:-1]:
            instance, sequence = line.split()
            acknowledged.add((instance, int(sequence)))
    store = SqlStore(url)
    with store.engine.connect() as c:
        assert c.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        kept = {(i, s) for i, s in c.execute(text("SELECT instance, sequence FROM events"))}
    assert acknowledged <= kept
    report = verify(store)
    assert report.ok, report.reason  # includes: every version equals its number of events
    # every child acknowledged at least the step it was waited for; on a busy machine it may
    # be killed before a second one, so this is ">=", not ">"
    assert len(acknowledged) >= KILLS
