"""The service built from settings passed in the environment: how `governance serve
--workers N` hands the engine's settings to each uvicorn worker process (each loads its own
engine; the store is shared)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
from fastapi import FastAPI

from governance_core.engine import Engine
from governance_core.jobs.deliverers import configured
from governance_core.model import load_roster
from governance_core.plugins import Settings, find_settings, read_settings
from governance_core.service.app import create_app
from governance_core.storage import SqlStore

__all__ = ["VARIABLE", "app_from_environment", "settings_text"]

VARIABLE = "GOVERNANCE_SERVICE_SETTINGS"


def settings_text(
    database: str,
    config: Path | None,
    plugins: list[str],
    overlays: list[Path],
    policies: list[Path],
    roster: Path | None = None,
) -> str:
    """What :func:`app_from_environment` reads, as the value of :data:`VARIABLE`."""
    return orjson.dumps(
        {
            "database": database,
            "config": str(config) if config else None,
            "plugins": plugins,
            "overlays": [str(p) for p in overlays],
            "policies": [str(p) for p in policies],
            "roster": str(roster) if roster else None,
        }
    ).decode()


def _settings(data: dict[str, Any]) -> Settings:
    return read_settings(Path(data["config"])) if data.get("config") else find_settings(Path.cwd())


def engine_of(data: dict[str, Any]) -> Engine:
    return Engine.load(
        _settings(data),
        plugins=data["plugins"],
        overlays=data["overlays"],
        policies=data["policies"],
    )


def app_from_environment() -> FastAPI:
    """The application :data:`VARIABLE` describes (a uvicorn factory)."""
    data = orjson.loads(os.environ[VARIABLE])
    roster = load_roster(data["roster"]) if data.get("roster") else None
    channels = configured(_settings(data), os.environ)
    return create_app(engine_of(data), SqlStore(data["database"]), roster=roster, channels=channels)
