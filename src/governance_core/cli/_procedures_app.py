"""`governance procedures`: every loaded procedure, with its states, steps and roles."""

from __future__ import annotations

import sys
from typing import Any

from governance_core.cli._options import (
    FROM_OPTIONS,
    Choice,
    Format,
    FormatOption,
    Lang,
    LangOption,
    loads_policies,
)
from governance_core.messages import _

__all__ = ["procedures"]


@loads_policies
def procedures(
    fmt: FormatOption = Format.table, lang: LangOption = Lang.zh, choice: Choice = FROM_OPTIONS
) -> None:
    """Every loaded procedure: id, title, source, its states, steps and the roles that take
    them (`governance diagram ID` draws one)."""
    from rich.table import Table

    from governance_core.cli._output import plain_console
    from governance_core.model import converter
    from governance_core.present.shapes import dumps
    from governance_core.rules.procedures.kind import PROCEDURES

    found = choice.engine().policies.of(PROCEDURES)
    if fmt is Format.json:
        data: list[Any] = [converter.unstructure(p) for p in found.values()]
        sys.stdout.buffer.write(dumps(data) + b"\n")
        return
    console = plain_console()
    if not found:
        console.print(_("no procedure is loaded: name a district's plugin (--plugin shizhong)"))
        return
    table = Table(
        _("procedure"),
        _("title"),
        _("source"),
        _("states"),
        _("steps"),
        _("roles"),
        show_lines=True,
    )
    for p in found.values():
        steps = [f"{s.title.in_language(lang.value)}（{s.id}）" for s in p.steps]
        roles = [r.title.in_language(lang.value) for r in p.roles]
        table.add_row(
            p.id,
            p.title.in_language(lang.value),
            str(p.citation),
            str(len(p.states)),
            "\n".join(steps),
            "、".join(roles),
        )
    console.print(table)
