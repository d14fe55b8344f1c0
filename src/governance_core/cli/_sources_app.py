"""`governance sources`: per source document, every passage the loaded policies cite and where it
is encoded, or why it is not (docs/sources.md)."""

from __future__ import annotations

import sys
from pathlib import Path
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
    uncovered: Annotated[
        bool,
        typer.Option(
            "--uncovered",
            help="List the rule-bearing sentences of the documents (read from --texts) that "
            "no record encodes and none explains; exit 1 when there is one.",
        ),
    ] = False,
    texts: Annotated[
        Path | None,
        typer.Option(
            "--texts",
            help="The folder of the source documents, named as the citations name them.",
            metavar="FOLDER",
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
    from governance_core.loading.source_index import cited_words, source_index
    from governance_core.model import converter

    engine = choice.engine()
    passages = [
        p for p in source_index(engine.policies) if source is None or p.source.startswith(source)
    ]
    if uncovered:
        if texts is None:
            raise typer.BadParameter(_("give the documents' folder"), param_hint="--texts")
        words = cited_words(engine.policies)
        chosen = {k: v for k, v in words.items() if source is None or k.startswith(source)}
        raise typer.Exit(_print_uncovered(chosen, texts, fmt))
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


def _print_uncovered(words: dict[str, list[tuple[str, str]]], folder: Path, fmt: Format) -> int:
    """Print what no record covers; 1 when something is, else 0."""
    from rich.table import Table

    from governance_core.cli._output import plain_console
    from governance_core.loading.source_coverage import uncovered
    from governance_core.model import converter

    found = uncovered(words, folder)
    if fmt is Format.json:
        data = {
            "documents": {
                source: {"sentences": total, "covered": covered}
                for source, (total, covered) in found.counts.items()
            },
            "uncovered": converter.unstructure(list(found.uncovered)),
            "absent": list(found.absent),
        }
        sys.stdout.buffer.write(orjson.dumps(data) + b"\n")
        return 1 if found.uncovered else 0
    console = plain_console()
    if found.uncovered:
        table = Table(_("document"), _("line"), _("sentence"), show_lines=True)
        for s in found.uncovered:
            table.add_row(s.source, str(s.line), s.text)
        console.print(table)
    for source, (total, covered) in found.counts.items():
        console.print(
            _("{source}: {total} rule-bearing sentences, {covered} covered, {left} not").format(
                source=source, total=total, covered=covered, left=total - covered
            )
        )
    for source in found.absent:
        console.print(_("{source}: cited, not in the folder").format(source=source))
    return 1 if found.uncovered else 0
