"""Every help page of the command line, as the `governance` script shows it under zh (the
default), holds no English prose: only ids (command, role and state names), option names,
environment variables, file names, formats and the names of other programs (issue 35)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer.main
from click.testing import CliRunner

from governance_core.cli import app
from governance_core.cli._help import localised

# what may stay as it is written: other programs and standards, and the ids a command takes
NAMES = {
    "SQLAlchemy", "OpenAPI", "Excel", "JUnit", "Schema", "Ed25519", "Mermaid", "Graphviz", "Dask",
}  # fmt: skip
IDS = {
    "json", "table", "yaml", "yml", "jsonl", "xlsx", "csv", "sqlite", "toml", "zh", "en",
    "governance", "shizhong", "jiaozhou", "https", "http", "utf", "gbk", "true", "false",
    "token", "dot", "svg", "png", "pdf", "html", "markdown", "mermaid", "postgresql", "psycopg",
    "base", "webhook", "docs", "core", "tcp",
    # the roles a token may hold and the states of the outbox (ids, as the service takes them)
    "committee", "district", "town", "pending", "dead", "delivered", "delivering",
    # the kinds `schema` writes, settings tables ([delivery], reminders:), a package's name
    # (chinese-calendar) and the shell's own name
    "policy", "overlay", "cases", "schemas", "delivery", "reminders", "chinese", "shell",
}  # fmt: skip
# quoted, coded or otherwise literal text: ids by construction
_LITERAL = re.compile(
    r"`[^`]*`|'[^']*'|\"[^\"]*\"|--?[\w-]+|\b[A-Z][A-Z0-9_]+\b|\w+\.\w+[\w.]*|\{[^}]*\}|<[^>]*>"
)


def _commands(command: Any, path: list[str]) -> list[list[str]]:
    found = [path]
    for name, sub in getattr(command, "commands", {}).items():
        found += _commands(sub, [*path, name])
    return found


COMMANDS = _commands(typer.main.get_command(app), [])
COMMAND_NAMES = {part for path in COMMANDS for name in path for part in name.split("-")}


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "governance")
def test_the_help_page_is_chinese(path: list[str]) -> None:
    shown = CliRunner().invoke(localised(app, "zh"), [*path, "--help"], prog_name="governance")
    assert shown.exit_code == 0
    prose = _LITERAL.sub(" ", shown.output)
    english = {
        word
        for word in re.findall(r"[A-Za-z]{3,}", prose)
        if word.lower() not in IDS and word not in NAMES and word not in COMMAND_NAMES
    }
    assert not english, f"{' '.join(path)}: {sorted(english)}\n{shown.output}"
