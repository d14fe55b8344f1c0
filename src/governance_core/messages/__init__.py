"""The one message catalog: every sentence a user reads, in English and Chinese (gettext).

Messages are written in English in the code as ``_("the file is empty")`` (with ``{name}``
fields filled by ``.format``) and translated from ``locale/zh/LC_MESSAGES/governance_core.po``,
which ``scripts/messages`` extracts, updates and compiles with Babel. The language is the
caller's: the command line sets it from ``--lang`` (Chinese by default); a library user calls
:func:`set_language` or :func:`in_language`, and gets English otherwise. A test fails when a
message in the code has no Chinese translation or the compiled catalog is stale.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Literal

__all__ = [
    "LANGUAGES",
    "N_",
    "RECORDS_LANGUAGE",
    "Language",
    "_",
    "in_language",
    "language",
    "set_language",
]

Language = Literal["zh", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "en")
DOMAIN = "governance_core"
LOCALE = Path(__file__).parent / "locale"

_current: ContextVar[Language] = ContextVar("governance_language", default="en")

# What the engine writes into a district's records itself (the note of an event it opens) is
# kept in the records' language, not the caller's: a district's records are read by its
# clerks whether the library, the service or the command line wrote them.
RECORDS_LANGUAGE: Language = "zh"


@cache
def _catalog(lang: Language) -> gettext.NullTranslations:
    if lang == "en":  # the code's own text
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE, languages=[lang])


def language() -> Language:
    """The language messages are given in now."""
    return _current.get()


def set_language(lang: Language) -> None:
    """Give every later message (in this thread or task) in ``lang``."""
    _current.set(lang)


@contextmanager
def in_language(lang: Language) -> Iterator[None]:
    """Give messages in ``lang`` inside the ``with`` block only."""
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)


def _(message: str) -> str:
    """``message`` in the current language (itself when the catalog has no translation)."""
    return _catalog(_current.get()).gettext(message)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for it)
    """Mark ``message`` for the catalog without translating it now: a word kept in data and
    said later through ``_(word)``, in the language of that moment."""
    return message
