"""The gaps kind: a cited sentence of a source with the reason it is not encoded."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, final

import attrs

from governance_core.rules.common import Citation, Title
from governance_core.rules.gaps.titles import schema_titles
from governance_core.rules.kinds import Assembly, SchemaTitles, Section

__all__ = ["GAPS", "UNENCODED", "GapsKind", "Unencoded"]


@final
@attrs.frozen(slots=True)
class Unencoded:
    """A rule a source states that is not encoded: what it is, where it is said (the citation's
    note quotes it) and why it is not encoded (no condition to evaluate, no steps given, a
    subject the engine does not model…)."""

    id: str
    title: Title
    citation: Citation
    reason: Title


UNENCODED = Section("unencoded", Unencoded, title=Title("未编码的规定", "not encoded"))


@final
@attrs.frozen(slots=True)
class GapsKind:
    """What the sources say that is not encoded; ``PolicySet.of(GAPS)`` maps id → record."""

    name: str = "gaps"
    sections: tuple[Section[Any], ...] = (UNENCODED,)
    overlay_sections: tuple[Section[Any], ...] = ()
    titles: Callable[[], SchemaTitles] = schema_titles
    hookspecs: type | None = None

    def assemble(self, assembly: Assembly) -> Mapping[str, Unencoded]:
        return {k: record for k, (record, _origin) in assembly.records(UNENCODED).items()}


GAPS = GapsKind()
"""The gaps kind, registered under the entry-point group ``governance_core.kinds``."""
