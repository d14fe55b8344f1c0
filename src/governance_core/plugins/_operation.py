"""An operation observers see: an evaluation or a transition of a procedure."""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date
from typing import Any, final

import attrs

__all__ = ["Operation", "OperationKind"]


class OperationKind(enum.Enum):
    EVALUATE = "evaluate"
    ASSESS = "assess"


@final
@attrs.frozen(slots=True)
class Operation:
    """What is about to run: its kind, its subject (a list id, a process instance), the
    date it is as of, and how many records it covers.

    :meth:`perform` runs it; the plugin facade calls it exactly once, inside every observer.
    """

    kind: OperationKind
    subject: str
    as_of: date
    size: int
    _run: Callable[[], Any] = attrs.field(alias="run", repr=False, eq=False)
    _done: list[bool] = attrs.field(factory=list, init=False, repr=False, eq=False)

    def perform(self) -> Any:
        """Run the operation; a second call is an error (an observer must not run it again)."""
        if self._done:
            raise RuntimeError(
                f"operation {self.kind.value} {self.subject!r} was performed already"
            )
        self._done.append(True)
        return self._run()
