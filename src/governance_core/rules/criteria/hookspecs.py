"""The plugin hooks that supply criteria lists from Python (reached through
:class:`~governance_core.plugins.Plugins`, like every hook; docs/plugins.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from governance_core.rules.kinds import hookspec

if TYPE_CHECKING:
    from governance_core.rules.criteria.definition import CriteriaList

__all__ = ["CriteriaSpecs"]


class CriteriaSpecs:
    """The hooks of this kind; ``tests/loading/test_hooks.py`` runs each example as a plugin."""

    @hookspec
    def governance_criteria_lists(self) -> Iterable[CriteriaList] | None:
        """Criteria lists built in Python, for lists generated from other data.

        The records are checked as if read from a file (types, ids, numbers, sizes,
        expressions); a malformed record is a :class:`~governance_core.errors.PluginError`
        naming this plugin.

        :returns: :class:`~governance_core.CriteriaList` records; ``None`` for none.

        Example::

            from governance_core.plugins import hookimpl
            from governance_core.rules.common import Citation, Title
            from governance_core.rules.criteria.definition import CriteriaList, Criterion, Effect, HitPolicy

            SOURCE = Citation("示例文件", "第一条", "example")

            @hookimpl
            def governance_criteria_lists():
                item = Criterion("gangs", Title("涉黑涉恶", "Organised crime"), SOURCE,
                                 'has_finding("涉黑涉恶")')
                return [CriteriaList("demo.records", Title("示例", "Example"), SOURCE, 1,
                                     Effect.ADVISORY, HitPolicy.ANY, (item,))]
        """
