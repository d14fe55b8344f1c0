"""Durable storage of procedures: the SQL store (SQLite by default, PostgreSQL) with its
hash-chained events. Work in progress of the [store] issue: see docs/procedures.md."""

from governance_core.runtime.storage.sql import GENESIS, SqlStore, StoreError, canonical_event

__all__ = ["GENESIS", "SqlStore", "StoreError", "canonical_event"]
