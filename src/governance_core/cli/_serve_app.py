"""`governance serve`: the HTTP service on uvicorn (docs/service.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from governance_core.cli._options import (
    DEFAULT_DATABASE,
    FROM_OPTIONS,
    Choice,
    StoreOption,
    loads_policies,
)
from governance_core.messages import _

__all__ = ["serve"]


@loads_policies
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on.", metavar="ADDRESS")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port.", metavar="PORT")
    ] = 8000,
    database: StoreOption = DEFAULT_DATABASE,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, help="Worker processes (each loads the engine).", metavar="N"
        ),
    ] = 1,
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            help="The district's roster: whom instances are about and in which organisations "
            "(where a token's roles count), and the facts guards read.",
            metavar="FILE",
        ),
    ] = None,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """Serve the loaded policies over HTTP: OpenAPI at /openapi.json, documentation at /docs,
    every endpoint under /v1 with a bearer token (`governance token create`)."""
    try:
        import uvicorn  # the service extra: pip install governance_core[service]

        from governance_core.service import create_app
        from governance_core.service.access_log import log_config
        from governance_core.service.environment import VARIABLE, settings_text
        from governance_core.storage import SqlStore
    except ImportError:
        raise typer.BadParameter(
            _("the service needs its extra: pip install 'governance_core[service]'")
        ) from None
    from governance_core.jobs.deliverers import configured
    from governance_core.model import load_roster

    settings = choice.settings()
    # loaded here first: a bad plugin, roster or [delivery] table is said before serving
    engine = choice.engine(settings=settings)
    channels = configured(settings, os.environ)
    people = load_roster(roster) if roster is not None else None
    store = SqlStore(database)
    if workers == 1:
        app = create_app(engine, store, roster=people, channels=channels)
        uvicorn.run(app, host=host, port=port, log_level="info", log_config=log_config())
        return
    os.environ[VARIABLE] = settings_text(
        database,
        choice.config,
        choice.plugins or [],
        choice.overlays or [],
        choice.policies or [],
        roster,
    )
    uvicorn.run(
        "governance_core.service.environment:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        log_config=log_config(),
    )
