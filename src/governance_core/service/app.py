"""The service's application: FastAPI on the loaded engine and a SQL store."""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from governance_core._version import __version__
from governance_core.engine import Engine
from governance_core.jobs.deliverers import Channel
from governance_core.model import Roster
from governance_core.rules.points.kind import POINTS
from governance_core.rules.scoring.kind import SCORING
from governance_core.service import (
    problems,
    routes_health,
    routes_lists,
    routes_policies,
    routes_procedures,
    routes_records,
    routes_scoring,
    routes_tasks,
    web,
)
from governance_core.service.context import BODY_SCHEMAS, DEFAULT_LIMITS, Limits, Service
from governance_core.service.memory import Trimming
from governance_core.service.timers import sweeping
from governance_core.storage import SqlStore

__all__ = ["create_app"]


def create_app(
    engine: Engine,
    store: SqlStore,
    *,
    roster: Roster | None = None,
    limits: Limits = DEFAULT_LIMITS,
    clock: Callable[[], datetime] = datetime.now,
    sweep_every: float | None = 60.0,
    channels: Sequence[Channel] = (),
) -> FastAPI:
    """The service over ``engine`` and ``store``: OpenAPI at ``/openapi.json``, interactive
    documentation at ``/docs``, every endpoint under ``/v1`` (docs/service.md), the
    workbench's pages at ``/`` (docs/workbench.md). ``roster``:
    the district's people and organisations (whom instances are about, where roles count, the
    facts guards read). Due automatic steps are swept every ``sweep_every`` seconds, and then
    the outbox is delivered through ``channels`` and the plugins that deliver (docs/delivery.md)."""
    # a request's work hops to a worker thread and back; at Python's default switch interval
    # (5 ms) each hop may wait that long for the event loop's thread to let go of the GIL
    sys.setswitchinterval(min(sys.getswitchinterval(), 0.0005))
    app = FastAPI(
        title="governance_core",
        version=__version__,
        summary="Cadre-management policies of a district: cited, dated, explained, audited.",
        openapi_url="/openapi.json",
        docs_url=None,  # served from a package by the workbench, never a CDN
        redoc_url=None,
        lifespan=sweeping(sweep_every),
    )
    app.state.service = Service(engine, store, roster, limits, clock, tuple(channels))
    problems.install(app)
    app.add_middleware(Trimming)
    routes = (
        routes_health,
        routes_policies,
        routes_lists,
        routes_scoring,
        routes_procedures,
        routes_tasks,
        routes_records,
    )
    for module in routes:
        app.include_router(module.router)
    web.install(app)
    app.openapi = lambda: _with_bodies(app)  # type: ignore[method-assign]
    return app


def _loaded_ids(schemas: dict[str, Any], engine: Engine) -> None:
    """What a body names among the loaded rules, as the enums the service accepts."""
    named = {
        ("AssessmentFile", "policy"): sorted(engine.policies.of(SCORING).grade_policies),
        ("LedgerFile", "scheme"): sorted(engine.policies.of(POINTS).catalogues),
    }
    for (record, field), ids in named.items():
        if record in schemas and ids:
            schemas[record]["properties"][field]["enum"] = ids


def _with_bodies(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document, with the records of the request bodies in its components."""
    if app.openapi_schema is None:
        document = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            routes=app.routes,
        )
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(copy.deepcopy(BODY_SCHEMAS))
        _loaded_ids(schemas, app.state.service.engine)
        app.openapi_schema = document
    return app.openapi_schema
