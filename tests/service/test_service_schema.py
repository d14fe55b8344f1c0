"""Property-based tests of the service against its own OpenAPI document (schemathesis): for
every endpoint and generated request, no server error, and every answer matches what the
document declares (status, content type, schema)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, settings

from governance_core import Engine
from governance_core.service import Limits, create_app
from governance_core.storage import SqlStore
from tests.support import policy_yaml

NOW = datetime(2024, 7, 1, 9)
_folder = Path(__import__("tempfile").mkdtemp(prefix="governance-schema-"))
STORE = SqlStore(f"sqlite:///{_folder / 'schema.db'}")
(_folder / "list.yaml").write_text(policy_yaml(), encoding="utf-8")
APP = create_app(
    Engine.load(policies=[_folder / "list.yaml"]),  # the built-in procedures and one list
    STORE,
    clock=lambda: NOW,
    sweep_every=None,
    limits=Limits(max_body_bytes=100_000, max_people=50, timeout_seconds=10),
)
_record, TOKEN = STORE.tokens.create("区委组织部", [], NOW)

schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schemathesis.serializer("application/yaml")
def _yaml(_context: Any, value: Any) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True).encode("utf-8")


@schema.auth()
class _Token:
    """The bearer token the document declares (its `token` security scheme)."""

    def get(self, _case: schemathesis.Case[Any], _context: Any) -> str:
        return TOKEN

    def set(self, case: schemathesis.Case[Any], data: str, _context: Any) -> None:
        case.headers["Authorization"] = f"Bearer {data}"


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_every_endpoint_keeps_its_contract(case: schemathesis.Case[Any]) -> None:
    # a file sent as a body types every field, and names the loaded policy or scheme from an
    # enum; but its records also refer to each other and to the loaded rules (a post to a
    # person, an entry's inputs to its rubric's lines), which JSON Schema cannot say: those
    # bodies may be refused, with each problem located, though valid by the schema
    files = {"/v1/lists/{list_id}/evaluate", "/v1/assessments", "/v1/points/statements"}
    excluded = [schemathesis.checks.positive_data_acceptance] if case.path in files else []
    case.call_and_validate(excluded_checks=excluded)
