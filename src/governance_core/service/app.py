"""The service's application: FastAPI on the loaded engine and a SQL store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI

from governance_core._version import __version__
from governance_core.engine import Engine
from governance_core.model import Roster
from governance_core.runtime.storage import SqlStore
from governance_core.service import (
    problems,
    routes_health,
    routes_lists,
    routes_policies,
    routes_procedures,
)
from governance_core.service.context import DEFAULT_LIMITS, Limits, Service

__all__ = ["create_app"]


def create_app(
    engine: Engine,
    store: SqlStore,
    *,
    roster: Roster | None = None,
    limits: Limits = DEFAULT_LIMITS,
    clock: Callable[[], datetime] = datetime.now,
) -> FastAPI:
    """The service over ``engine`` and ``store``: OpenAPI at ``/openapi.json``, interactive
    documentation at ``/docs``, every endpoint under ``/v1`` (docs/service.md)."""
    app = FastAPI(
        title="governance_core",
        version=__version__,
        summary="Cadre-management policies of a district: cited, dated, explained, audited.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.service = Service(engine, store, roster, limits, clock)
    problems.install(app)
    for module in (routes_health, routes_policies, routes_lists, routes_procedures):
        app.include_router(module.router)
    return app
