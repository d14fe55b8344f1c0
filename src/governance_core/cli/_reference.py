"""The command-line reference of the documentation site (docs/cli.md in Chinese, docs/cli.en.md
in English): typer's Markdown of every command, its help texts through the message catalog
(cli/_help.py) and, in Chinese, the words typer puts around them too."""

from __future__ import annotations

import typer
from typer.cli import get_docs_for_click

from governance_core.cli._help import frame, localised
from governance_core.messages import Language, _, in_language

__all__ = ["PAGES", "reference"]

# Where each language's page lives, relative to the repository (mkdocs-static-i18n suffixes).
PAGES: dict[Language, str] = {"zh": "docs/cli.md", "en": "docs/cli.en.md"}


def _frame() -> dict[str, str]:
    """typer's own words in the page, in the current language (headings in bold)."""
    words = frame()
    headings = ("Usage:", "Arguments:", "Options:", "Commands:")
    return {
        **{f"**{h[:-1]}**:": f"**{words[h].rstrip(':：')}**{words[h][-1]}" for h in headings},
        **{k: v for k, v in words.items() if k not in headings},
    }


def reference(app: typer.Typer, lang: Language) -> str:
    """The Markdown reference of ``app`` in ``lang``."""
    command = localised(app, lang)
    with in_language(lang):
        title = _("Command line: `governance`")
        text = get_docs_for_click(
            obj=command, ctx=typer.Context(command), name="governance", title=title
        )
        for english, said in _frame().items():
            text = text.replace(english, said)
    return text.strip() + "\n"
