"""The service's application: FastAPI on the loaded engine and a SQL store."""

from __future__ import annotations

import sys
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
    routes_records,
    routes_scoring,
    routes_tasks,
)
from governance_core.service.context import DEFAULT_LIMITS, Limits, Service
from governance_core.service.timers import sweeping

__all__ = ["create_app"]


def create_app(
    engine: Engine,
    store: SqlStore,
    *,
    roster: Roster | None = None,
    limits: Limits = DEFAULT_LIMITS,
    clock: Callable[[], datetime] = datetime.now,
    sweep_every: float | None = 60.0,
) -> FastAPI:
    """The service over ``engine`` and ``store``: OpenAPI at ``/openapi.json``, interactive
    documentation at ``/docs``, every endpoint under ``/v1`` (docs/service.md). ``roster``:
    the district's people and organisations (whom instances are about, where roles count, the
    facts guards read). Due automatic steps are swept every ``sweep_every`` seconds."""
    # a request's work hops to a worker thread and back; at Python's default switch interval
    # (5 ms) each hop may wait that long for the event loop's thread to let go of the GIL
    sys.setswitchinterval(min(sys.getswitchinterval(), 0.0005))
    app = FastAPI(
        title="governance_core",
        version=__version__,
        summary="Cadre-management policies of a district: cited, dated, explained, audited.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        lifespan=sweeping(sweep_every),
    )
    app.state.service = Service(engine, store, roster, limits, clock)
    problems.install(app)
    routes = (routes_health, routes_policies, routes_lists, routes_scoring, routes_procedures,
              routes_tasks, routes_records)  # fmt: skip
    for module in routes:
        app.include_router(module.router)
    return app
