"""The plugin hooks that supply procedures from Python (reached through
:class:`~governance_core.plugins.Plugins`, like every hook; docs/plugins.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from governance_core.rules.kinds import hookspec

if TYPE_CHECKING:
    from governance_core.rules.procedures import ProcessChanges, ProcessDefinition

__all__ = ["ProceduresSpecs"]


class ProceduresSpecs:
    """The hooks of this kind; ``tests/loading/test_hooks.py`` runs each example as a plugin."""

    @hookspec
    def governance_process_definitions(self) -> Iterable[ProcessDefinition] | None:
        """Procedures built in Python: states, steps, roles, guards, evidence, deadlines.

        Checked as if read from a policy file's ``processes`` section, after every extension
        and overlay is merged (docs/procedures.md): one initial state, every state reachable,
        terminal states absorbing, every state able to reach an end, guards naming loaded
        lists and valid expressions.

        :returns: :class:`~governance_core.rules.procedures.ProcessDefinition` records;
            ``None`` for none.

        Example::

            from governance_core.plugins import hookimpl
            from governance_core.rules.common import Citation, Title
            from governance_core.rules.procedures import (
                ProcessDefinition, Role, State, Step, SubjectKind,
            )

            @hookimpl
            def governance_process_definitions():
                town = Role("town_committee", Title("镇街党(工)委", "Town party committee"))
                return [ProcessDefinition(
                    "demo.review", Title("审核", "Review"), Citation("示例", "一", "example"),
                    SubjectKind.MATTER, "submitted",
                    (State("submitted", Title("已提交", "Submitted")),
                     State("approved", Title("已批准", "Approved"), terminal=True)),
                    (Step("approve", Title("批准", "Approve"), ("submitted",), "approved",
                          roles=("town_committee",)),),
                    roles=(town,),
                )]
        """

    @hookspec
    def governance_process_extensions(self) -> Iterable[ProcessChanges] | None:
        """Additions to procedures other suppliers define.

        Roles, states, steps, guards and evidence may be added; a step that is not required
        may be removed, with a reason. Extensions are applied in the order of their suppliers' names, before overlays; the
        merged procedure is checked whole, so an extension cannot orphan a required step.

        :returns: :class:`~governance_core.rules.procedures.ProcessChanges` records; ``None``
            for none.

        Example::

            from governance_core.plugins import hookimpl
            from governance_core.rules.common import Title
            from governance_core.rules.procedures import (
                EvidenceKind, ProcessChanges, StepExtension,
            )

            @hookimpl
            def governance_process_extensions():
                photos = EvidenceKind("photos", Title("公开栏照片", "Photo of the notice board"))
                return [ProcessChanges(
                    "core.four_deliberations_two_disclosures",
                    extend=(StepExtension("disclose_results", evidence=(photos,)),),
                )]
        """
