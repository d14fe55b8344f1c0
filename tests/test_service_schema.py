"""Property-based tests of the service against its own OpenAPI document (schemathesis): for
every endpoint and generated request, no server error, and every answer matches what the
document declares (status, content type, schema)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from governance_core import Engine
from governance_core.runtime.storage import SqlStore
from governance_core.service import Limits, create_app

NOW = datetime(2024, 7, 1, 9)
_folder = Path(__import__("tempfile").mkdtemp(prefix="governance-schema-"))
STORE = SqlStore(f"sqlite:///{_folder / 'schema.db'}")
APP = create_app(Engine.load(plugins=["shizhong"]), STORE, clock=lambda: NOW, sweep_every=None,
                 limits=Limits(max_body_bytes=100_000, max_people=50, timeout_seconds=10))  # fmt: skip
_record, TOKEN = STORE.tokens.create("区委组织部", [], NOW)

schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_every_endpoint_keeps_its_contract(case: schemathesis.Case[Any]) -> None:
    # the bodies are declared as objects (rosters, assessment and ledger files) whose real
    # constraints the library checks and locates: a schema-valid body may still be refused
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"},
        excluded_checks=[schemathesis.checks.positive_data_acceptance],
    )
