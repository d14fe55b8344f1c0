"""A plugin's expression function, checked at every call against what it declares.

Python does not check return types: a plugin function declared to give a bool that returns
``None`` or ``'no'`` would make an item met (any non-empty text is true) while its list says
not hit, and a disqualification would be skipped without a word. So each call's value is
checked against the declared type, and whatever the function raises (other than a missing
fact, which makes the item unknown) is a :class:`PluginError` naming the plugin, the function
and the value: the command ends and nothing is evaluated.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from governance_core.errors import PluginError, Problem
from governance_core.expressions import ExprFunction, ExprType, MissingFact, Span
from governance_core.messages import _
from governance_core.rules.common import Supplier

__all__ = ["guarded"]


def _is_number(value: object) -> bool:
    return isinstance(value, int | Fraction | Decimal) and not isinstance(value, bool)


_CHECKS: dict[ExprType, Callable[[object], bool]] = {
    ExprType.BOOL: lambda v: isinstance(v, bool),
    ExprType.NUMBER: _is_number,
    ExprType.TEXT: lambda v: isinstance(v, str),
    ExprType.DATE: lambda v: isinstance(v, date),
    ExprType.SPAN: lambda v: isinstance(v, Span),
    ExprType.TEXTS: lambda v: isinstance(v, tuple | list) and all(isinstance(x, str) for x in v),
    ExprType.NUMBERS: lambda v: isinstance(v, tuple | list) and all(_is_number(x) for x in v),
}


def _failed(supplier: Supplier, function: ExprFunction, message: str) -> PluginError:
    return PluginError(
        [
            Problem(
                message,
                file=str(supplier),
                rule_id=f"{function.name}()",
                hint=_("fix the plugin's function, or do not load the plugin"),
            )
        ]
    )


def guarded(function: ExprFunction, supplier: Supplier) -> ExprFunction:
    """``function`` with its value checked at every call (see the module's docstring)."""
    check = _CHECKS.get(function.returns)
    impl = function.impl

    def call(*args: Any) -> Any:
        try:
            value = impl(*args)
        except MissingFact:
            raise
        except BaseException as exc:  # a plugin's failure of any kind (SystemExit too) fails closed
            raise _failed(
                supplier,
                function,
                _("the function raised {kind}: {reason}").format(
                    kind=type(exc).__name__, reason=str(exc)[:200]
                ),
            ) from None
        if check is not None and not check(value):
            raise _failed(
                supplier,
                function,
                _("the function returned {value} ({kind}) where it declares {declared}").format(
                    value=repr(value)[:60],
                    kind=type(value).__name__,
                    declared=function.returns.value,
                ),
            )
        return value

    return attrs.evolve(function, impl=call)
