"""Options and helpers every `governance` command shares: what to load, output format and
language, dates, and how an input's problems end a command (exit 1)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import attrs
import typer

from governance_core.engine import Engine
from governance_core.errors import GovernanceError
from governance_core.plugins import Settings, example_settings_file, find_settings, read_settings

__all__ = [
    "Choice",
    "ConfigOption",
    "Format",
    "FormatOption",
    "Lang",
    "LangOption",
    "OverlayOption",
    "PluginOption",
    "PolicyOption",
    "StrictOption",
    "fail",
    "parse_date",
]


class Format(StrEnum):
    table = "table"
    json = "json"


class Lang(StrEnum):
    zh = "zh"
    en = "en"


PolicyOption = Annotated[
    list[Path] | None,
    typer.Option("--policy", "-p", help="A policy file to load (repeatable)."),
]
PluginOption = Annotated[
    list[str] | None,
    typer.Option(
        "--plugin", help='A plugin to load, with an optional version: "shizhong>=0.1" (repeatable).'
    ),
]
OverlayOption = Annotated[
    list[Path] | None,
    typer.Option("--overlay", "-o", help="An overlay file to apply, in order (repeatable)."),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Settings file (governance.toml or pyproject.toml); default: the one in this folder.",
    ),
]
LangOption = Annotated[Lang, typer.Option("--lang", "-l", help="Language of the output.")]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table or json.")]
StrictOption = Annotated[
    bool,
    typer.Option(
        "--strict", help="A parameter with no value on the date is an error, not 'unknown'."
    ),
]


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date in YYYY-MM-DD form") from None


def fail(error: GovernanceError) -> typer.Exit:
    typer.echo(str(error), err=True)
    return typer.Exit(1)


@attrs.frozen
class Choice:
    """What the options ask to load."""

    config: Path | None = None
    plugins: list[str] | None = None
    overlays: list[Path] | None = None
    policies: list[Path] | None = None

    def settings(self, *, example_if_empty: bool = False) -> Settings:
        settings = read_settings(self.config) if self.config else find_settings(Path.cwd())
        if example_if_empty and not (
            settings.plugins or settings.policies or self.plugins or self.policies
        ):
            settings = read_settings(example_settings_file())
        return settings

    def engine(
        self,
        *,
        strict: bool | None = None,
        example_if_empty: bool = False,
        settings: Settings | None = None,
    ) -> Engine:
        return Engine.load(
            settings or self.settings(example_if_empty=example_if_empty),
            plugins=self.plugins or (),
            overlays=self.overlays or (),
            policies=self.policies or (),
            strict_parameters=strict,
        )
