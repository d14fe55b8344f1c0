"""A wrong command line said in the reader's language: typer (its vendored click) words its
usage errors in English ("Error: Missing argument 'LIST'."); the entry point shows them
through the message catalog instead, with the usage line and where to find help."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

from governance_core.messages import Language, _, in_language

__all__ = ["show_usage_error"]

# click's sentences, each with what it says in the catalog (the parts in groups kept)
_SENTENCES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"^Missing argument '(.+)'\.$"),
        lambda m: _("Missing argument '{name}'.").format(name=m[1]),
    ),
    (
        re.compile(r"^Missing option '(.+)'\.$"),
        lambda m: _("Missing option '{name}'.").format(name=m[1]),
    ),
    (
        re.compile(
            r"^No such option: (\S+)(?: Did you mean (\S+)\?| \(Possible options: (.+)\))?$"
        ),
        lambda m: (
            _("No such option: {name}").format(name=m[1])
            + (_(" (did you mean {other}?)").format(other=m[2] or m[3]) if m[2] or m[3] else "")
        ),
    ),
    (
        re.compile(r"^No such command '(.+)'\.(?: Did you mean (.+)\?)?$"),
        lambda m: (
            _("No such command '{name}'.").format(name=m[1])
            + (_(" (did you mean {other}?)").format(other=m[2]) if m[2] else "")
        ),
    ),
    (
        re.compile(r"^Got unexpected extra argument(?:s|\(s\))? \((.+)\)$"),
        lambda m: _("Unexpected extra arguments: {args}").format(args=m[1]),
    ),
    (
        re.compile(r"^Option '(.+)' requires an argument\.$"),
        lambda m: _("Option '{name}' requires a value.").format(name=m[1]),
    ),
    (
        re.compile(r"^Invalid value for (.+?): (.*)$", re.DOTALL),
        lambda m: _("Invalid value for {name}: {reason}").format(name=m[1], reason=_reason(m[2])),
    ),
    (
        re.compile(r"^Invalid value: (.*)$", re.DOTALL),
        lambda m: _("Invalid value: {reason}").format(reason=_reason(m[1])),
    ),
]
_CHOICE = re.compile(r"^'(.*)' is not one of (.+)\.$")
_NUMBER = re.compile(r"^'(.*)' is not a valid (integer|float)(?: range)?\.$")
_BOUNDS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"^Input should be greater than or equal to (\S+)$"),
        lambda m: _("it must be at least {bound}").format(bound=m[1]),
    ),
    (
        re.compile(r"^Input should be less than or equal to (\S+)$"),
        lambda m: _("it must be at most {bound}").format(bound=m[1]),
    ),
    (re.compile(r"^Input should be a valid integer\b.*$"), lambda m: _("not a whole number")),
    (re.compile(r"^Input should be a valid number\b.*$"), lambda m: _("not a number")),
]


def _reason(text: str) -> str:
    """click's reason for a bad value (a choice, a number), or ours (already in words)."""
    text = text.removeprefix("Value error, ")
    if found := _CHOICE.match(text):
        return _("{value!r} is not one of {choices}").format(value=found[1], choices=found[2])
    if found := _NUMBER.match(text):
        return _("{value!r} is not a number").format(value=found[1])
    for pattern, words in _BOUNDS:  # typer's own checks of a number's range and kind
        if found := pattern.match(text):
            return words(found)
    return text


def _said(message: str) -> str:
    for pattern, words in _SENTENCES:
        if found := pattern.match(message):
            return words(found)
    return message


def show_usage_error(error: Any, lang: Language) -> None:
    """Print ``error`` (a click UsageError or ClickException) as typer would, in ``lang``,
    an ID-card or mobile number in what was typed masked as in every output."""
    from governance_core.files import masked

    with in_language(lang):
        ctx = getattr(error, "ctx", None)
        if ctx is not None:
            usage, said = ctx.get_usage(), _("Usage:")
            if said != "Usage:":  # the reader's word, without click's space after it
                usage = usage.replace("Usage: ", said, 1)
            hint = _("Run '{command} --help' for help.").format(command=ctx.command_path)
            print(f"{usage}\n{hint}\n", file=sys.stderr)
        message = _("Error: {message}").format(message=_said(error.format_message()))
        print(masked(message), file=sys.stderr)
