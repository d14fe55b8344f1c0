"""The command line's own help in the reader's language.

typer takes each command's help from its docstring and each option's from ``help=``, in
English, when the commands are declared. The words are translated when the command line is
built for a run: :func:`localised` walks the command tree and puts every help text through
the message catalog (``scripts/messages`` adds these texts to it, read by
:func:`help_texts`), and so are the words typer prints around them (``Usage:``,
``Options:``, ``[default: …]``: :func:`frame`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence
from typing import Any

import typer
import typer.main

from governance_core.messages import LANGUAGES, Language, _, in_language

__all__ = ["frame", "help_texts", "language_asked", "localised"]


def _commands(command: Any) -> Iterator[Any]:
    """``command`` and every command under it (typer's vendored click, duck-typed)."""
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _commands(sub)


def help_texts(app: typer.Typer) -> list[str]:
    """Every help text of ``app``'s commands, options and arguments, as declared."""
    found: dict[str, None] = {}
    for command in _commands(typer.main.get_command(app)):
        for text in (command.help, command.short_help, command.epilog):
            if text:
                found[text] = None
        for param in command.params:
            if getattr(param, "help", None):
                found[param.help] = None
    return list(found)


def _no_type(ctx: Any = None) -> None:
    return None


def _first_sentence(text: str) -> str:
    """A Chinese help text's first sentence, for the list of commands: click shortens help at
    a space, and Chinese has none, so it would print only ``...``."""
    text = text.split("。", 1)[0]
    return text if len(text) <= 50 else text.split("；", 1)[0]


def frame() -> dict[str, str]:
    """typer's own words around the help texts, in the current language."""
    return {
        "Usage:": _("Usage:"),
        "Arguments:": _("Arguments:"),
        "Options:": _("Options:"),
        "Commands:": _("Commands:"),
        "[default: ": _("[default: "),
        "[env var: ": _("[env var: "),
        "; default: ": _("; default: "),
        "[required]": _("[required]"),
        "; required]": _("; required]"),
        "Show this message and exit.": _("Show this message and exit."),
    }


def _in_words(get_help: Any, lang: Language) -> Any:
    """``get_help`` with typer's frame in ``lang``."""

    def get(ctx: Any) -> str:
        text: str = get_help(ctx)
        with in_language(lang):
            words = frame()
            for english, said in words.items():
                # click wraps long option lines, sometimes inside "[env var: …]": a space of
                # the English may be a line break and an indent
                text = re.sub(re.escape(english).replace(r"\ ", r"\s+"), said, text)
        return text.replace(f"{words['Usage:']} ", words["Usage:"], 1)

    return get


def localised(app: typer.Typer, lang: Language) -> Any:
    """``app``'s click command with every help text in ``lang``, and no Python type beside an
    argument (typer prints ``ROSTER <path>`` whatever the metavar says; an option's metavar
    already replaces its type)."""
    root = typer.main.get_command(app)
    with in_language(lang):
        for command in _commands(root):
            command.help = _(command.help) if command.help else command.help
            command.short_help = _(command.short_help) if command.short_help else None
            if lang == "zh" and command.help and not command.short_help:
                command.short_help = _first_sentence(command.help)
            for param in command.params:
                if getattr(param, "help", None):
                    param.help = _(param.help)
                if param.param_type_name == "argument":
                    param.display_type_rich = _no_type
            if lang != "en":
                command.get_help = _in_words(command.get_help, lang)
    return root


def language_asked(argv: Sequence[str]) -> Language:
    """The language a command line asks for (``--lang``/``-l``, then ``GOVERNANCE_LANG``),
    Chinese by default; help is printed before the options are parsed, so it is read here."""
    asked = os.environ.get("GOVERNANCE_LANG", "zh")
    for i, arg in enumerate(argv):
        if arg in ("--lang", "-l") and i + 1 < len(argv):
            asked = argv[i + 1]
        elif arg.startswith("--lang="):
            asked = arg.partition("=")[2]
    return next((lang for lang in LANGUAGES if lang == asked), "zh")
