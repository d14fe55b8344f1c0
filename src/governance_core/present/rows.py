"""A table as every surface shows it: a title, headers, rows of cells and a caption. The
command line prints one as a terminal table, a workbook writes it as a sheet, a web page as an
HTML table; none of them decides what is in it.

A cell is text or a number (or a date, a truth, nothing), or :class:`Marked` text whose parts
carry a :class:`Tone` (a met item of a disqualification list reads as bad news, a missing fact
as doubt): each surface turns a tone into its own look (a colour, a fill, a class).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from typing import final

import attrs

from governance_core.files.spreadsheets import Cell as SheetCell

__all__ = ["Cell", "Marked", "Rows", "Tone", "plain", "plain_rows"]


class Tone(enum.Enum):
    """How a part of a cell reads, for a surface to show as it can."""

    PLAIN = "plain"
    BAD = "bad"  # a finding that hits: a disqualification met, an error
    GOOD = "good"  # what passes: not met, loaded, settled
    DOUBT = "doubt"  # unknown, provisional, incomplete
    QUIET = "quiet"  # not in effect, not named
    STRONG = "strong"  # a total, a heading inside a table


@final
@attrs.frozen(slots=True)
class Marked:
    """Text in parts, each with its tone."""

    parts: tuple[tuple[str, Tone], ...]

    @classmethod
    def of(cls, text: str, tone: Tone = Tone.PLAIN) -> Marked:
        return cls(((text, tone),))

    @classmethod
    def joined(cls, pieces: Iterable[Marked], separator: str = "\n") -> Marked:
        """The pieces one after the other, ``separator`` between them."""
        parts: list[tuple[str, Tone]] = []
        for n, piece in enumerate(pieces):
            if n:
                parts.append((separator, Tone.PLAIN))
            parts += piece.parts
        return cls(tuple(parts))

    def __str__(self) -> str:
        return "".join(text for text, _tone in self.parts)


Cell = SheetCell | Marked
"""What a cell holds: what a workbook's cell holds, or text in tones."""


@final
@attrs.frozen(slots=True)
class Rows:
    """A table: ``headers``, ``rows`` of cells (one per header), a ``title`` above it, a
    ``caption`` below it; ``separated`` when each row is set apart (rows of several lines)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    title: str | None = None
    caption: str | None = None
    separated: bool = False

    @classmethod
    def of(
        cls,
        headers: Sequence[str],
        rows: Iterable[Sequence[Cell]],
        *,
        title: str | None = None,
        caption: str | None = None,
        separated: bool = False,
    ) -> Rows:
        return cls(tuple(headers), tuple(tuple(r) for r in rows), title, caption, separated)


def plain(cell: Cell) -> SheetCell:
    """A cell without its tones: what a surface that shows none writes (a workbook)."""
    return str(cell) if isinstance(cell, Marked) else cell


def plain_rows(rows: Rows) -> list[list[SheetCell]]:
    """The rows' cells without their tones, as a workbook writes them."""
    return [[plain(cell) for cell in row] for row in rows.rows]
