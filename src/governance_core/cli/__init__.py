"""The `governance` command line (typer + rich), a thin layer over the Engine."""

import sys

from governance_core.cli._errors import show_usage_error
from governance_core.cli._help import language_asked, localised
from governance_core.cli.app import app
from governance_core.errors import GovernanceError
from governance_core.messages import _, in_language

__all__ = ["app", "main"]


def _is_named(error: BaseException, name: str) -> bool:
    """Whether ``error`` is of the class ``name`` or below it. typer raises the exceptions
    of the click it carries inside under its public base ``TyperException`` and does not
    export them: they are told apart by class name, never imported from typer's private
    modules."""
    return any(cls.__name__ == name for cls in type(error).__mro__)


def main() -> None:
    """Entry point of the `governance` script: never a traceback. Every command ends its
    own expected errors with a message; anything that still escapes is named in one line
    (exit 1), and an interrupt ends the command quietly (exit 130)."""
    from typer.exceptions import Abort, TyperException

    lang = language_asked(sys.argv[1:])
    try:
        code = localised(app, lang).main(prog_name="governance", standalone_mode=False)
    except TyperException as error:  # typer's click: a wrong command line, or help
        if _is_named(error, "NoArgsIsHelpError"):  # `governance process` alone: its help
            error.show()  # type: ignore[attr-defined]
        else:  # a wrong command line, said in the reader's language
            show_usage_error(error, lang)
        sys.exit(error.exit_code)
    except Abort:
        sys.exit(1)
    except GovernanceError as error:
        print(error, file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as error:  # a bug: say so in one line, not with a traceback
        with in_language("zh"):
            print(
                _(
                    "internal error ({kind}): {reason}; please report it with the command you ran"
                ).format(kind=type(error).__name__, reason=str(error)[:300]),
                file=sys.stderr,
            )
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
