"""How the command line prints what :mod:`governance_core.present` gives: rows as terminal
tables, lines as text, each tone in its colour, personal data masked."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from governance_core.files import masked
from governance_core.present.rows import Cell, Marked, Rows, Tone

__all__ = ["plain_console", "print_lines", "print_marked", "print_rows"]

_STYLE = {
    Tone.PLAIN: "",
    Tone.BAD: "bold red",
    Tone.GOOD: "green",
    Tone.DOUBT: "yellow",
    Tone.QUIET: "dim",
    Tone.STRONG: "bold",
}


class _PlainConsole(Console):
    """Text as it is, and masked before it is laid out: a table may wrap a long number over
    two lines, where the masking of the output stream would no longer see it whole."""

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(masked(text), **options)


def plain_console(*, stderr: bool = False) -> Console:
    """A console that prints text as it is: names, subjects and titles are never read as
    rich markup (``[/x]`` in a name would end a style that was never opened, and crash),
    and personal data is masked under the policy of :mod:`governance_core.files`."""
    return _PlainConsole(stderr=stderr, markup=False, emoji=False, highlight=False)


def _text(cell: Cell) -> Text:
    # Text, not markup: titles and reasons hold brackets such as evidence ids
    if isinstance(cell, Marked):
        return Text.assemble(*((masked(part), _STYLE[tone]) for part, tone in cell.parts))
    return Text(masked("" if cell is None else str(cell)))


def print_marked(console: Console, marked: Marked) -> None:
    """A line of text in tones."""
    console.print(_text(marked))


def print_rows(console: Console, rows: Rows | None) -> None:
    """``rows`` as a terminal table (nothing when None)."""
    if rows is None:
        return
    table = Table(title=rows.title, caption=rows.caption, show_lines=rows.separated)
    for header in rows.headers:
        table.add_column(header, overflow="fold")
    for row in rows.rows:
        table.add_row(*(_text(cell) for cell in row))
    console.print(table)


def print_lines(console: Console, lines: Iterable[str]) -> None:
    """Each line as text."""
    for line in lines:
        console.print(Text(line))
