"""Options and helpers every `governance` command shares: what to load, output format and
language, dates, and how an input's problems end a command (exit 1)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import attrs
import typer

from governance_core.errors import GovernanceError, Problem
from governance_core.messages import _, in_language

# The engine, the plugins and the store are imported by the commands that use them, never at
# the top of a command module: `governance --help` and every command's parsing stay fast.
if TYPE_CHECKING:
    from governance_core.engine import Engine
    from governance_core.plugins import Settings
    from governance_core.rules.cycles import Period
    from governance_core.storage import SqlStore

__all__ = [
    "FROM_OPTIONS",
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
    "loads_policies",
    "parse_date",
]

F = TypeVar("F", bound=Callable[..., Any])


class Format(StrEnum):
    table = "table"
    json = "json"


class Lang(StrEnum):
    zh = "zh"
    en = "en"


PolicyOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--policy",
        "-p",
        help="A policy file to load (repeatable).",
        metavar="FILE",
        envvar="GOVERNANCE_POLICIES",
    ),
]
PluginOption = Annotated[
    list[str] | None,
    typer.Option(
        "--plugin",
        help='A plugin to load, with an optional version: "shizhong>=0.1" (repeatable).',
        metavar="NAME[>=VERSION]",
        envvar="GOVERNANCE_PLUGINS",
    ),
]
OverlayOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--overlay",
        "-o",
        help="An overlay file to apply, in order (repeatable).",
        metavar="FILE",
        envvar="GOVERNANCE_OVERLAYS",
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Settings file (governance.toml or pyproject.toml); default: the one in this folder.",
        metavar="FILE",
        envvar="GOVERNANCE_CONFIG",
    ),
]


def speak(ctx: typer.Context, lang: Lang) -> Lang:
    """Give every message of this command in ``lang`` (the catalog's language is reset when
    the command ends, so a program that runs commands in-process keeps its own)."""
    ctx.with_resource(in_language(lang.value))
    return lang


LangOption = Annotated[
    Lang,
    typer.Option(
        "--lang", "-l", help="Language of the output.", callback=speak, envvar="GOVERNANCE_LANG"
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table or json.")]
StrictOption = Annotated[
    bool,
    typer.Option(
        "--strict", help="A parameter with no value on the date is an error, not 'unknown'."
    ),
]


DEFAULT_DATABASE = "sqlite:///governance.db"
StoreOption = Annotated[
    str,
    typer.Option(
        "--database",
        help="SQLAlchemy URL of the store: sqlite:///FILE, postgresql+psycopg://…",
        metavar="URL",
        envvar="GOVERNANCE_DATABASE",
    ),
]


def parse_datetime(text: str, option: str = "--at") -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            _("{text!r} is not a date and time in ISO 8601 form").format(text=text),
            param_hint=option,
        ) from None


def existing_store(url: str, *, write: bool = False) -> SqlStore:
    """The store at ``url``, which must exist, opened without creating or migrating anything
    (to read it); with ``write``, then opened again to write to it (revoking a token, retrying
    a delivery). An unusable one ends the command with its message (exit 1)."""
    from governance_core.storage import SqlStore  # SQLAlchemy: for these commands only

    try:
        store = SqlStore(url, create=False)
        if write:
            store.engine.dispose()
            store = SqlStore(url)
        return store
    except GovernanceError as error:
        raise fail(error) from None


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            _("{text!r} is not a date in YYYY-MM-DD form").format(text=text)
        ) from None


def parse_period(text: str) -> Period:
    """``--period`` as a period (2024-10, 2024Q4, 2024H2, 2024), or a usage error saying why."""
    from governance_core.rules.cycles import Period

    try:
        return Period.parse(text)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--period") from None


def output_file(path: Path, option: str = "--output") -> Path:
    """``path``, once its folder is known to exist: checked before anything is computed or
    written, so that a typo does not cost a whole run or leave half of its results."""
    if not path.parent.is_dir():
        raise typer.BadParameter(
            _("the folder {folder} does not exist").format(folder=path.parent), param_hint=option
        )
    if path.is_dir():
        raise typer.BadParameter(
            _("{path} is a folder; name a file").format(path=path), param_hint=option
        )
    return path


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

    def settings(self, *, example_if_empty: bool = False, example_base: bool = False) -> Settings:
        """The settings file named or found. ``example_if_empty``: the example settings when
        nothing is loaded otherwise; ``example_base``: the example settings when no settings
        file is named or found (what the command line names is loaded beside them)."""
        from governance_core.plugins import example_settings_file, find_settings, read_settings

        settings = read_settings(self.config) if self.config else find_settings(Path.cwd())
        nothing = not (settings.plugins or settings.policies or self.plugins or self.policies)
        if (example_if_empty and nothing) or (example_base and settings.origin is None):
            settings = read_settings(example_settings_file())
        return settings

    def engine(
        self,
        *,
        strict: bool | None = None,
        example_if_empty: bool = False,
        settings: Settings | None = None,
    ) -> Engine:
        from governance_core.engine import Engine

        return Engine.load(
            settings or self.settings(example_if_empty=example_if_empty),
            plugins=self.plugins or (),
            overlays=self.overlays or (),
            policies=self.policies or (),
            strict_parameters=strict,
        )


FROM_OPTIONS = Choice()
"""The default of a command's ``choice``: :func:`loads_policies` passes the real one."""

_LOADING = (
    ("plugin", PluginOption),
    ("overlay", OverlayOption),
    ("policy", PolicyOption),
    ("config", ConfigOption),
)


def loads_policies(command: F) -> F:
    """Give ``command`` the loading options every command shares (``--plugin``,
    ``--overlay``, ``--policy``, ``--config``) as one ``choice: Choice`` argument, and end it
    on any :class:`GovernanceError` with the error's located problems and exit 1 — never a
    traceback. The options keep their place after the command's name
    (``governance check --plugin shizhong``)."""
    signature = inspect.signature(command, eval_str=True)
    own = [p for p in signature.parameters.values() if p.name != "choice"]
    shared = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=option)
        for name, option in _LOADING
    ]

    @functools.wraps(command)
    def with_loading(
        *args: Any,
        plugin: list[str] | None = None,
        overlay: list[Path] | None = None,
        policy: list[Path] | None = None,
        config: Path | None = None,
        **kwargs: Any,
    ) -> Any:
        try:
            return command(*args, choice=Choice(config, plugin, overlay, policy), **kwargs)
        except GovernanceError as error:
            raise fail(error) from None

    # typer reads the options from the signature and the annotations
    with_loading.__signature__ = signature.replace(parameters=[*own, *shared])  # type: ignore[attr-defined]
    hints = {p.name: p.annotation for p in own}
    with_loading.__annotations__ = {
        **hints,
        **dict(_LOADING),
        "return": signature.return_annotation,
    }
    return with_loading  # type: ignore[return-value]


def no_cycle(engine: Engine) -> Problem:
    """Why nothing runs when no loaded plugin declares a cycle, in plain words: the
    district plugins loaded that declare none, or that none is loaded."""
    from governance_core.rules.common import SupplierKind

    named = [
        p.supplier.name for p in engine.plugins.plugins() if p.supplier.kind is SupplierKind.PLUGIN
    ]
    if named:
        return Problem(
            _("{plugins} declares no cycle: there is nothing to run or plan").format(
                plugins="、".join(named)
            ),
            hint=_("its lists and procedures are used with evaluate and process"),
        )
    return Problem(
        _("no cycle is loaded: nothing to run"),
        hint=_("name a district's plugin (--plugin shizhong) or a settings file that loads one"),
    )
