"""Hypothesis's entry point: lets ``st.from_type`` draw the library's records.

Hypothesis runs it while it is itself being imported, which may happen inside an import of
:mod:`.strategies` (that module imports hypothesis first): so nothing here is imported at
module level, and each strategy is looked up only when it is first drawn.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["register_type_strategies"]


def register_type_strategies() -> None:
    """Register a strategy for each record kind (called by hypothesis's entry point)."""
    from hypothesis import strategies as st

    from governance_core.model import Document, Dossier, Finding, Organisation, Person, Post, Roster
    from governance_core.rules.scoring import Ballots

    def later(build: str, *args: Any) -> st.SearchStrategy[Any]:
        def strategy() -> st.SearchStrategy[Any]:
            module = importlib.import_module("governance_core.testing.strategies")
            found: st.SearchStrategy[Any] = getattr(module, build)(*args)
            return found

        return st.deferred(strategy)

    st.register_type_strategy(Person, later("people"))
    st.register_type_strategy(Dossier, later("dossiers"))
    st.register_type_strategy(Roster, later("rosters"))
    st.register_type_strategy(Ballots, later("ballots"))
    st.register_type_strategy(Finding, later("findings", "p00001"))
    st.register_type_strategy(Post, later("posts", "p00001"))
    st.register_type_strategy(Document, later("documents", "p00001"))
    st.register_type_strategy(Organisation, later("organisation_leaves"))
