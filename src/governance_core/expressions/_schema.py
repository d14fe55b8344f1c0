"""The names an expression may use: the record schema, parameters and functions.

Every name has an English spelling and a Chinese alias; both resolve to the same thing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import final

import attrs

from governance_core.expressions._functions import BUILTIN_FUNCTIONS, FunctionRegistry
from governance_core.expressions._types import ExprType

__all__ = ["PERSON_FIELDS", "RECORD_NAMES", "ExpressionSchema"]

# Top-level record names: canonical name, Chinese alias, type.
RECORD_NAMES: Mapping[str, tuple[str, ExprType]] = MappingProxyType(
    {
        "as_of": ("评价日期", ExprType.DATE),
        "person": ("人员", ExprType.PERSON),
    }
)

# Fields of `person` (model.Person) an expression may read: name → (Chinese alias, type).
PERSON_FIELDS: Mapping[str, tuple[str, ExprType]] = MappingProxyType(
    {
        "id": ("编号", ExprType.TEXT),
        "name": ("姓名", ExprType.TEXT),
        "birth_date": ("出生日期", ExprType.DATE),
        "gender": ("性别", ExprType.TEXT),
        "education": ("学历", ExprType.TEXT),
        "party_member_since": ("入党日期", ExprType.DATE),
    }
)


def _aliases(table: Mapping[str, tuple[str, ExprType]]) -> dict[str, str]:
    result = {name: name for name in table}
    result.update({zh: name for name, (zh, _) in table.items()})
    return result


_RECORD_ALIASES = _aliases(RECORD_NAMES)
_PERSON_ALIASES = _aliases(PERSON_FIELDS)


@final
@attrs.frozen(slots=True)
class ExpressionSchema:
    """What expressions of a policy set may name: records, parameters (id → type), functions."""

    parameters: Mapping[str, ExprType] = attrs.field(factory=dict)
    functions: FunctionRegistry = BUILTIN_FUNCTIONS

    def record(self, name: str) -> str | None:
        """The canonical record name for ``name`` (English or Chinese), if it is one."""
        return _RECORD_ALIASES.get(name)

    def person_field(self, name: str) -> str | None:
        return _PERSON_ALIASES.get(name)

    def person_fields(self) -> Iterator[str]:
        return iter(_PERSON_ALIASES)

    def names(self) -> Iterator[str]:
        """Every name an expression may use bare: records, parameters, functions."""
        yield from _RECORD_ALIASES
        yield from self.parameters
        yield from self.functions
