"""Where each value and key of a file was written, kept small: a tree shaped like the data, its
keys the data's own, one packed integer per entry (a file may hold a million values)."""

from __future__ import annotations

from typing import Any, final

__all__ = ["VALUE_BITS", "Mark", "Positions", "pack"]

Mark = tuple[int, int, str | None]  # 1-based line, column, scalar style (None: plain)

_BITS = 27  # a line or a column: a file is at most 64 MB, one line as long
_STYLES = (None, '"', "'", "|", ">")
VALUE_BITS = 2 * _BITS + 3


def pack(mark: Mark) -> int:
    line, column, style = mark
    code = _STYLES.index(style) if style in _STYLES else 0
    return (line << (_BITS + 3)) | (column << 3) | code


def _unpack(packed: int) -> Mark:
    mask = (1 << _BITS) - 1
    return packed >> (_BITS + 3) & mask, packed >> 3 & mask, _STYLES[packed & 7]


@final
class Positions:
    """Where the values of one list or mapping were written: for each entry one integer (the
    key's line and column above the value's line, column and style), and the positions of
    the lists and mappings among them. Shaped like the data, its keys the data's own, so a
    file's positions cost a few dozen bytes a value."""

    __slots__ = ("children", "marks")

    def __init__(self, marks: dict[Any, int] | list[int]) -> None:
        self.marks = marks
        self.children: dict[Any, Positions] = {}

    def entry(self, part: str | int) -> int:
        """The packed marks of an entry; KeyError when there is none."""
        try:
            if isinstance(self.marks, list):
                if not isinstance(part, int) or isinstance(part, bool) or part < 0:
                    raise KeyError(part)
                return self.marks[part]
            return self.marks[part]
        except (IndexError, TypeError):
            raise KeyError(part) from None

    def value(self, part: str | int) -> Mark:
        return _unpack(self.entry(part) & ((1 << VALUE_BITS) - 1))

    def key(self, part: str | int) -> Mark:
        if isinstance(self.marks, list):
            raise KeyError(part)  # a list's values have no keys
        line_column = self.entry(part) >> VALUE_BITS
        return _unpack(line_column << 3)

    def parts(self) -> list[str | int]:
        return list(range(len(self.marks))) if isinstance(self.marks, list) else list(self.marks)
