"""Bounds on the work any input file can cause, and reading a file within them.

Files come from district offices, plugins and e-mail: a few hundred bytes of YAML aliases can
expand to billions of values, a 5 KB workbook can claim a million rows. Every loader reads
through :func:`read_bounded` and checks its structure against these limits before the work
grows with the input, so that a hostile file is refused in well under a second. The figures
leave room for a province: a 50,000-person roster is about 15 MB of YAML.
"""

from __future__ import annotations

import os
import stat
from decimal import Decimal
from pathlib import Path as FilePath
from typing import Final

from governance_core.errors import Problem, ProblemsError
from governance_core.files._os_words import os_reason
from governance_core.messages import _

__all__ = [
    "MAX_ALIAS_VALUES",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NUMBER_DIGITS",
    "MAX_NUMBER_MAGNITUDE",
    "MAX_PROBLEMS",
    "MAX_TABLE_CELLS",
    "MAX_TABLE_COLUMNS",
    "MAX_TABLE_ROWS",
    "MAX_UNPACKED_BYTES",
    "capped",
    "number_problem",
    "read_bounded",
]

MAX_FILE_BYTES: Final = 64 * 1024 * 1024
"""Largest file read: YAML, JSON, CSV, TOML or workbook."""
MAX_DEPTH: Final = 64
"""Deepest nesting of lists and mappings in a YAML or JSON file (policies need about 8)."""
MAX_ALIAS_VALUES: Final = 10_000
"""How many values YAML aliases (``*name``) may add to a file by repeating an anchor."""
MAX_PROBLEMS: Final = 200
"""Problems reported for one file; the rest are counted, not listed."""
MAX_TABLE_ROWS: Final = 200_000
MAX_TABLE_COLUMNS: Final = 200
MAX_TABLE_CELLS: Final = 4_000_000
MAX_NUMBER_DIGITS: Final = 30
"""Significant digits of a number read from a file or written in an expression."""
MAX_NUMBER_MAGNITUDE: Final = 15
"""A number read or written is below 10**15 in size: money, points and counts all are, and
``1e999999999`` (sixteen characters) would otherwise take exact arithmetic hours."""
MAX_UNPACKED_BYTES: Final = 256 * 1024 * 1024
"""Largest total size of a workbook's parts once unzipped."""


def read_bounded(path: str | FilePath, error: type[ProblemsError]) -> bytes:
    """The bytes of ``path``, refusing a file over :data:`MAX_FILE_BYTES` without reading it
    all, a folder, what is not a regular file (a FIFO would wait for ever, ``/dev/zero``
    never ends), or one that cannot be read."""
    name = str(path)
    try:
        # without blocking: opening a FIFO for reading would wait for a writer for ever
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(descriptor, "rb") as handle:
            mode = os.fstat(descriptor).st_mode
            if stat.S_ISDIR(mode):
                raise IsADirectoryError
            if not stat.S_ISREG(mode):  # a FIFO, a device, a socket
                raise error([Problem(_("not a regular file"), name, hint=_("name a file"))])
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise error([Problem(_("file not found"), name, hint=_("check the path"))]) from None
    except IsADirectoryError:
        raise error([Problem(_("a folder, not a file"), name, hint=_("name a file"))]) from None
    except OSError as exc:
        raise error(
            [Problem(_("cannot read the file: {reason}").format(reason=os_reason(exc)), name)]
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise error(
            [
                Problem(
                    _("the file is larger than {size} MB").format(
                        size=MAX_FILE_BYTES // (1024 * 1024)
                    ),
                    name,
                    hint=_("split it into several files"),
                )
            ]
        )
    return data


def capped(problems: list[Problem], file: str | None) -> list[Problem]:
    """At most :data:`MAX_PROBLEMS` problems, the rest counted in one last problem: a 50 MB
    string where a list belongs is one mistake, not fifty million."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return [
        *problems[:MAX_PROBLEMS],
        Problem(
            _("and {count:,} more problems").format(count=rest),
            file,
            hint=_("fix the ones above first"),
        ),
    ]


def number_problem(value: int | Decimal) -> str | None:
    """Why ``value`` is out of bounds, or None when it is within them. Checks the digits
    without converting (an int of 5,000 digits cannot even be printed by default)."""
    if isinstance(value, int):
        too_big = value.bit_length() > 50 and abs(value) >= 10**MAX_NUMBER_MAGNITUDE
        digits_ok = True
    else:
        if not value.is_finite():
            return _("it is not a finite number")
        _sign, digits, exponent = value.as_tuple()
        too_big = value != 0 and value.adjusted() >= MAX_NUMBER_MAGNITUDE
        digits_ok = (
            len(digits) <= MAX_NUMBER_DIGITS
            and isinstance(exponent, int)
            and (exponent >= -MAX_NUMBER_DIGITS)
        )
    if too_big:
        return _("numbers must be smaller than 10^{limit}").format(limit=MAX_NUMBER_MAGNITUDE)
    if not digits_ok:
        return _("numbers may have at most {limit} digits").format(limit=MAX_NUMBER_DIGITS)
    return None
