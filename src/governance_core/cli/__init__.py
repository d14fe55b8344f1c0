"""The `governance` command line (typer + rich), a thin layer over the Engine."""

from governance_core.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the `governance` script."""
    app()
