"""The static types of the expression language, checked at load time."""

from __future__ import annotations

import enum

__all__ = ["ExprType"]


class ExprType(enum.Enum):
    """What an expression or a name evaluates to. Lists hold literals of one type."""

    BOOL = "bool"
    NUMBER = "number"
    TEXT = "text"
    DATE = "date"
    SPAN = "span"
    TEXTS = "list of text"
    NUMBERS = "list of numbers"
    PERSON = "person"

    @property
    def element(self) -> ExprType | None:
        """The element type of a list type (None for scalars)."""
        return {ExprType.TEXTS: ExprType.TEXT, ExprType.NUMBERS: ExprType.NUMBER}.get(self)

    @property
    def ordered(self) -> bool:
        """Whether ``<``, ``<=``, ``>``, ``>=`` apply."""
        return self in (ExprType.NUMBER, ExprType.DATE)
