"""Assessments, points and personal data through the service: the command line's shapes,
problems located in the body, numbers masked unless the token may see them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from fastapi.testclient import TestClient

from governance_core import Engine
from governance_core.service import create_app
from governance_core.storage import SqlStore
from tests.support import ROOT

pytestmark = pytest.mark.districts  # every test here reads a contrib plugin

CONTRIB = ROOT / "plugins_contrib"
JSON = {"Content-Type": "application/json"}  # the bodies sent are JSON
NOW = datetime(2024, 12, 31, 9)


def _json(path: Path) -> bytes:
    return orjson.dumps(yaml.safe_load(path.read_text(encoding="utf-8")))


def _client(tmp_path: Path, **load: Any) -> tuple[TestClient, SqlStore]:
    store = SqlStore(f"sqlite:///{tmp_path / 'service.db'}")
    return TestClient(create_app(Engine.load(**load), store, clock=lambda: NOW)), store


def _bearer(store: SqlStore, *, raw: bool = False) -> dict[str, str]:
    _record, text = store.tokens.create("区委组织部", [], NOW, raw_personal_data=raw)
    return {"Authorization": f"Bearer {text}", "Accept-Language": "en", **JSON}


def test_an_assessment_is_graded_as_rank_prints_it(tmp_path: Path) -> None:
    client, store = _client(tmp_path, plugins=["jiaozhou"])
    body = _json(CONTRIB / "jiaozhou" / "docs" / "example-assessment.yaml")
    response = client.post("/v1/assessments", content=body, headers=_bearer(store))
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["policy"] == "jiaozhou.first_secretary_grades" and data["graded"]
    assert all(isinstance(g["place"], int | None) for g in data["graded"])
    bad = client.post(
        "/v1/assessments",
        content=b'{"policy": "jiaozhou.first_secretary_grades"}',
        headers=_bearer(store),
    )
    assert bad.status_code == 422 and bad.json()["problems"][0]["file"] == "request body"


def test_points_statements(tmp_path: Path) -> None:
    items = CONTRIB / "jiaxiang" / "docs" / "example-town-items.yaml"
    client, store = _client(tmp_path, plugins=["jiaxiang"], policies=[items])
    body = _json(CONTRIB / "jiaxiang" / "docs" / "example-ledger.yaml")
    response = client.post(
        "/v1/points/statements?household=h001", content=body, headers=_bearer(store)
    )
    assert response.status_code == 200, response.text
    (statement,) = response.json()["statements"]
    assert statement["household"]["id"] == "h001" and statement["postings"]


def test_personal_data_is_masked_unless_the_token_may_see_it(tmp_path: Path) -> None:
    client, store = _client(tmp_path, plugins=["shizhong"])
    roster = {"people": [{"id": "p1", "name": "张三 13812345678 11010519491231002X"}]}
    url = "/v1/lists/shizhong.exit_conditions/evaluate?as_of=2024-06-30"
    masked = client.post(url, content=orjson.dumps(roster), headers=_bearer(store)).text
    assert "13812345678" not in masked and "11010519491231002X" not in masked
    shown = client.post(url, content=orjson.dumps(roster), headers=_bearer(store, raw=True)).text
    assert "13812345678" in shown
    # problems are masked too: a bad value echoed back carries no number
    bad = {"people": [{"id": "p1", "name": "某", "birth_date": "13812345678"}]}
    refused = client.post(url, content=orjson.dumps(bad), headers=_bearer(store))
    assert refused.status_code == 422 and "13812345678" not in refused.text
