"""Durable storage, a layer above the runtime: the SQL store of procedures (SQLite by default,
PostgreSQL), the decision log, the outbox and the service's tokens beside it, all appending to
one hash chain; the journal store of the command line; the audit of the chain and the
signatures of its head. The runtime holds the store protocol and the store in memory.

The SQL names are imported on first use, so that the in-memory store (which the runtime
uses by default) does not load SQLAlchemy and alembic with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from governance_core.storage._chain import GENESIS, canonical_event
    from governance_core.storage._database import StoreError
    from governance_core.storage._recorded import RecordedScoreSheet, RecordedVerdict
    from governance_core.storage.decisions import DecisionLog
    from governance_core.storage.sql import SqlStore

__all__ = [
    "GENESIS",
    "DecisionLog",
    "RecordedScoreSheet",
    "RecordedVerdict",
    "SqlStore",
    "StoreError",
    "canonical_event",
    "shown_url",
]

_HOMES = {
    "GENESIS": "_chain",
    "StoreError": "_database",
    "canonical_event": "_chain",
    "RecordedScoreSheet": "_recorded",
    "RecordedVerdict": "_recorded",
    "DecisionLog": "decisions",
    "SqlStore": "sql",
    "shown_url": "_database",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
