"""Durable storage: the SQL store of procedures (SQLite by default, PostgreSQL) and the
decision log beside it, both appending to one hash chain; the in-memory and journal stores;
the audit of the chain."""

from governance_core.runtime.storage._chain import GENESIS, StoreError, canonical_event
from governance_core.runtime.storage._recorded import RecordedScoreSheet, RecordedVerdict
from governance_core.runtime.storage.decisions import DecisionLog
from governance_core.runtime.storage.sql import SqlStore

__all__ = [
    "GENESIS",
    "DecisionLog",
    "RecordedScoreSheet",
    "RecordedVerdict",
    "SqlStore",
    "StoreError",
    "canonical_event",
]
