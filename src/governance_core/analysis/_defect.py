"""A finding of the analysis: what is wrong with which rule, where it is written, said in
Chinese and English, and a witness — the input that shows it, which the engine has run."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import Any, final

import attrs

from governance_core.messages import in_language
from governance_core.rules.common import Title

__all__ = ["Defect", "Severity", "said"]


class Severity(enum.Enum):
    """``error``: a rule that can never do what it is for (an item never met, a grade never
    given); ``warning``: one that does less than it says (a redundant item, a capped line);
    ``info``: worth knowing, not wrong."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@final
@attrs.frozen(slots=True)
class Defect:
    """One finding. ``witness`` is plain data (JSON-ready): the input, and under ``expect``
    what the engine gives for it; ``confirmed`` says the engine gave exactly that."""

    kind: str
    severity: Severity
    rule: str
    position: str
    message: Title
    witness: Mapping[str, Any]
    confirmed: bool = True


def said(words: Callable[[], str], **fields: Any) -> Title:
    """``words()`` (a message of the catalog) in Chinese and in English, its ``{fields}``
    filled."""
    with in_language("zh"):
        zh = words().format(**fields)
    with in_language("en"):
        en = words().format(**fields)
    return Title(zh, en)
