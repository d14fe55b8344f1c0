"""`governance sources`: per source document, every passage the loaded policies cite and where it
is encoded, or why it is not (docs/sources.md)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import orjson
import typer

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

if TYPE_CHECKING:  # imported by the command itself (_options says why)
    from governance_core.loading.source_index import Passage

__all__ = ["sources"]


def _where(passage: Passage) -> str:
    if passage.reason is not None:
        return _("not encoded: {reason}").format(reason=passage.reason)
    return "\n".join(passage.encoded_in)


@loads_policies
def sources(
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help="Only this source document (its file name, or its start: 000).",
            metavar="SOURCE",
        ),
    ] = None,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """Every passage of the source documents the loaded policies cite, with the records that
    encode it — lists and their items, parameters, grade policies, rubrics, procedures and
    their steps, cycles — and what their authors recorded as not encoded, with the reason."""
    from rich.table import Table

    from governance_core.cli._output import plain_console
    from governance_core.loading.source_index import source_index
    from governance_core.model import converter

    passages = [
        p
        for p in source_index(choice.engine().policies)
        if source is None or p.source.startswith(source)
    ]
    if fmt is Format.json:
        sys.stdout.buffer.write(orjson.dumps(converter.unstructure(passages)) + b"\n")
        return
    console = plain_console()
    if not passages:
        console.print(_("no passage is cited: name a district's plugin (--plugin shizhong)"))
        return
    for name in sorted({p.source for p in passages}):
        table = Table(
            _("document"),
            _("article"),
            _("the source's words"),
            _("encoded in"),
            title=name,
            show_lines=True,
        )
        for p in (p for p in passages if p.source == name):
            table.add_row(p.document, p.article, p.quote, _where(p))
        console.print(table)
    encoded = sum(1 for p in passages if p.reason is None)
    console.print(
        _("{encoded} passages encoded, {missing} recorded as not encoded").format(
            encoded=encoded, missing=len(passages) - encoded
        )
    )
