"""The masking policy on everything a command prints: standard output and standard error are
wrapped so that ID-card and mobile numbers are masked in tables, JSON, messages, refusal
reasons and errors alike, whichever code printed them; ``--show-personal-data REASON`` lifts
it for one command, and the reason goes to standard error for the session's log.

Text is masked a line at a time (a number never spans lines), so a number printed in two
writes is still caught; what is left at the end is masked when the stream is flushed.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

import typer

from governance_core.messages import _

__all__ = ["masking_output", "show_personal_data_for"]


class _MaskedBytes(io.RawIOBase):
    """The ``buffer`` of a masked text stream: UTF-8 bytes go through the same policy."""

    def __init__(self, text: _MaskedText) -> None:
        self._text = text

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._text.write(bytes(data).decode("utf-8", errors="replace"))
        return len(data)

    def flush(self) -> None:
        self._text.flush()


class _MaskedText(io.TextIOBase):
    def __init__(self, inner: TextIO, mask: Callable[[str], str]) -> None:
        self._inner = inner
        self._mask = mask
        self._pending = ""
        self._buffer = _MaskedBytes(self)

    @property
    def buffer(self) -> _MaskedBytes:
        return self._buffer

    @property  # read-only in TextIOBase's stub too; the inner stream's is reported
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._inner, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self._inner, "errors", None)

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._inner.isatty()

    def fileno(self) -> int:
        return self._inner.fileno()

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # a text stream refuses bytes, as click checks
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        whole, newline, rest = (self._pending + text).rpartition("\n")
        if newline:
            self._inner.write(self._mask(whole + newline))
            self._pending = rest
        else:
            self._pending = rest
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self._inner.write(self._mask(self._pending))
            self._pending = ""
        self._inner.flush()


@contextmanager
def masking_output() -> Iterator[None]:
    """Standard output and error masked inside the block, restored (and flushed) after."""
    from governance_core.files import masked  # imported by commands only (_options says why)

    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _MaskedText(out, masked), _MaskedText(err, masked)
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        sys.stdout, sys.stderr = out, err


def show_personal_data_for(ctx: typer.Context, reason: str) -> None:
    """Lift the masking for the rest of the command, after writing why to standard error."""
    if not reason.strip():
        raise typer.BadParameter(
            _("say why the personal data is needed"), param_hint="--show-personal-data"
        )
    from governance_core.files import showing_personal_data

    ctx.with_resource(showing_personal_data())
    typer.echo(_("personal data shown unmasked: {reason}").format(reason=reason), err=True)
